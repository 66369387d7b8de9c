/*
 * apertium_format: Apertium stream format in and out (see apertium_format.h). The escaped set
 * is the one apertium-destxt escapes; superblank content is copied through as the reformatter
 * does.
 */
#include "apertium_format.h"
#include "placeholder.h"

#include <stdlib.h>
#include <string.h>

#define MARKER '\x03'

static int is_stream_special(char c) {
    return c && strchr("\\[]^$/@<>{}", c) != NULL;
}

/* Copies a placeholder (open byte, digits, close byte) into a superblank; returns the bytes
 * consumed, or 0 when the open byte starts no placeholder. */
static size_t encode_placeholder(const char *text, size_t len, xlate_buf *out) {
    size_t n = xlate_placeholder_length(text, len);
    if (n) {
        xlate_buf_putc(out, '[');
        xlate_buf_append(out, text, n);
        xlate_buf_putc(out, ']');
    }
    return n;
}

void xlate_apertium_encode(const char *text, size_t len, unsigned long long id, xlate_buf *out) {
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == XLATE_PLACEHOLDER_OPEN) {
            size_t used = encode_placeholder(text + i, len - i, out);
            if (used) {
                i += used - 1;
                continue;
            }
        }
        if (c == '\n') {
            xlate_buf_puts(out, "[\n]");
        } else if (c == '\0' || c == XLATE_PLACEHOLDER_OPEN || c == XLATE_PLACEHOLDER_CLOSE ||
                   c == MARKER) {
            /* Bytes that would frame units or fake placeholders; text never needs them. */
            xlate_buf_putc(out, ' ');
        } else {
            if (is_stream_special(c))
                xlate_buf_putc(out, '\\');
            xlate_buf_putc(out, c);
        }
    }
    xlate_buf_printf(out, "[%c%llu]", MARKER, id);
    xlate_buf_putc(out, '\0');
}

/* Finds the end of a superblank starting after its '['; returns the index of its ']' or len. */
static size_t superblank_end(const char *s, size_t i, size_t len) {
    while (i < len && s[i] != ']') {
        if (s[i] == '\\' && i + 1 < len)
            i++;
        i++;
    }
    return i;
}

static void append_unescaped(const char *s, size_t len, xlate_buf *out) {
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len)
            i++;
        xlate_buf_putc(out, s[i]);
    }
}

/* A marker superblank's content is MARKER then the id in decimal. */
static int marker_matches(const char *content, size_t len, unsigned long long id) {
    char digits[32];
    if (len < 2 || len - 1 >= sizeof digits)
        return 0;
    memcpy(digits, content + 1, len - 1);
    digits[len - 1] = '\0';
    char *end;
    unsigned long long got = strtoull(digits, &end, 10);
    return *end == '\0' && got == id;
}

int xlate_apertium_decode(const char *answer, size_t len, unsigned long long id, xlate_buf *out) {
    int marked = 0;
    for (size_t i = 0; i < len; i++) {
        char c = answer[i];
        if (marked) {
            /* Only blanks may follow the marker: anything else is another unit's text. */
            if (c != ' ' && c != '\n' && c != '\t')
                return -1;
            continue;
        }
        if (c == '\\' && i + 1 < len) {
            xlate_buf_putc(out, answer[++i]);
        } else if (c == '[') {
            size_t end = superblank_end(answer, i + 1, len);
            const char *content = answer + i + 1;
            size_t clen = end - (i + 1);
            if (clen > 0 && content[0] == MARKER) {
                if (!marker_matches(content, clen, id))
                    return -1;
                marked = 1;
            } else if (clen > 0 && content[0] == XLATE_PLACEHOLDER_OPEN) {
                xlate_buf_append(out, content, clen);
            } else {
                append_unescaped(content, clen, out);
            }
            i = end;
        } else {
            xlate_buf_putc(out, c);
        }
    }
    if (!out->data)
        xlate_buf_puts(out, "");
    return marked ? 0 : -1;
}
