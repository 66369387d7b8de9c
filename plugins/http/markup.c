/*
 * markup: text ↔ HTML for the http plugin (see markup.h). Only the three characters that HTML
 * text must escape are escaped: APy's deformatter drops some other references (&#39;), so
 * sending fewer is safer. Decoding knows the references HTML serializers emit for text.
 */
#include "markup.h"
#include "placeholder.h"

#include <stdlib.h>
#include <string.h>


static size_t encode_placeholder(const char *text, size_t len, xp_buf *out) {
    size_t n = xlate_placeholder_length(text, len);
    if (n)
        xp_buf_printf(out, "<x id=\"%.*s\"/>", (int)(n - 2), text + 1);
    return n;
}

void xlate_http_markup_encode(const char *text, size_t len, xp_buf *out) {
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        size_t used;
        if (c == XLATE_PLACEHOLDER_OPEN &&
            (used = encode_placeholder(text + i, len - i, out)) > 0) {
            i += used - 1;
            continue;
        }
        switch (c) {
        case '&': xp_buf_puts(out, "&amp;"); break;
        case '<': xp_buf_puts(out, "&lt;"); break;
        case '>': xp_buf_puts(out, "&gt;"); break;
        default: xp_buf_putc(out, c);
        }
    }
    if (!out->data)
        xp_buf_puts(out, "");
}

static void put_utf8(xp_buf *out, unsigned long cp) {
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    xp_buf_append(out, b, n);
}

/* Decodes the reference at html[i] ('&'); returns the bytes consumed, 0 when it is none. */
static size_t decode_reference(const char *html, size_t len, size_t i, xp_buf *out) {
    static const struct {
        const char *name;
        char c;
    } named[] = {{"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}};
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
        size_t n = strlen(named[k].name);
        if (i + 1 + n <= len && memcmp(html + i + 1, named[k].name, n) == 0) {
            xp_buf_putc(out, named[k].c);
            return n + 1;
        }
    }
    if (i + 2 < len && html[i + 1] == '#') {
        int hex = html[i + 2] == 'x' || html[i + 2] == 'X';
        size_t j = i + 2 + (size_t)hex;
        unsigned long cp = 0;
        size_t digits = 0;
        while (j < len && digits < 7) {
            char c = html[j];
            int v = c >= '0' && c <= '9' ? c - '0'
                    : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (v < 0)
                break;
            cp = cp * (hex ? 16 : 10) + (unsigned long)v;
            digits++;
            j++;
        }
        if (digits > 0 && j < len && html[j] == ';' && cp > 0 && cp <= 0x10FFFF &&
            (cp < 0xD800 || cp > 0xDFFF)) {
            put_utf8(out, cp);
            return j + 1 - i;
        }
    }
    return 0;
}

/* <x id="N"/>, <x id='N'>, <x id=N /> → the placeholder; </x> → nothing. Returns the bytes
 * consumed, 0 when the tag is another one. */
static size_t decode_placeholder_tag(const char *html, size_t len, size_t i, xp_buf *out) {
    if (i + 4 <= len && memcmp(html + i, "</x>", 4) == 0)
        return 4;
    if (i + 6 > len || memcmp(html + i, "<x id=", 6) != 0)
        return 0;
    size_t j = i + 6;
    char quote = j < len && (html[j] == '"' || html[j] == '\'') ? html[j++] : 0;
    size_t digits = j;
    while (j < len && html[j] >= '0' && html[j] <= '9')
        j++;
    if (j == digits || (quote && (j >= len || html[j++] != quote)))
        return 0;
    size_t number_end = quote ? j - 1 : j;
    while (j < len && html[j] == ' ')
        j++;
    if (j < len && html[j] == '/')
        j++;
    if (j >= len || html[j] != '>')
        return 0;
    xp_buf_putc(out, XLATE_PLACEHOLDER_OPEN);
    xp_buf_append(out, html + digits, number_end - digits);
    xp_buf_putc(out, XLATE_PLACEHOLDER_CLOSE);
    return j + 1 - i;
}

void xlate_http_markup_decode(const char *html, size_t len, xp_buf *out) {
    for (size_t i = 0; i < len; i++) {
        size_t used = 0;
        if (html[i] == '&')
            used = decode_reference(html, len, i, out);
        else if (html[i] == '<')
            used = decode_placeholder_tag(html, len, i, out);
        if (used) {
            i += used - 1;
            continue;
        }
        xp_buf_putc(out, html[i]);
    }
    if (!out->data)
        xp_buf_puts(out, "");
}
