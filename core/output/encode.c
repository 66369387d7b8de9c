/*
 * encode: the end of the data path, used by writers and `xlate normalize --to-encoding`. UTF-8 →
 * another encoding with glibc iconv, whole or as a stream of parts. A character the encoding
 * cannot hold stops the conversion with a message naming the character and its place, or becomes
 * the encoding's "?" on request.
 */
#include "encode.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>

#include "buf.h"
#include "codepage.h"

struct xlate_encoder {
    xlate_encoding_name enc;
    iconv_t cd;            /* (iconv_t)-1 when the target is UTF-8: the text is copied */
    char sub[16];          /* "?" in the target encoding */
    size_t sub_len;
    int replace;
    const char *where;
    size_t offset;         /* bytes of the stream before the part being converted */
    size_t line, column;   /* where that part starts (both from 1, the column in characters) */
};

/* Moves (*line, *column) over `len` bytes of UTF-8. */
static void advance_place(const char *s, size_t len, size_t *line, size_t *column) {
    size_t line_start = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n')
            (*line)++, *column = 1, line_start = i + 1;
    for (size_t i = line_start; i < len;) {
        UChar32 c;
        U8_NEXT(s, i, len, c);
        (void)c;
        (*column)++;
    }
}

static void report_unmappable(const xlate_encoder *e, const char *s, size_t len, size_t at,
                              xlate_error *err) {
    size_t end = at, line = e->line, column = e->column;
    UChar32 c;
    U8_NEXT(s, end, len, c);
    advance_place(s, at, &line, &column);
    xlate_error_set(err, XLATE_ERROR,
                    "%s: character U+%04X '%.*s' at byte offset %zu (line %zu, column %zu) cannot "
                    "be written in %s; choose another output encoding, or ask for replacement "
                    "(--output-replace) to write '?' instead",
                    e->where ? e->where : "output", c < 0 ? 0xFFFD : (unsigned)c, (int)(end - at),
                    s + at, e->offset + at, line, column, e->enc.canonical);
}

/* What "?" looks like in the target encoding (so UTF-16 gets "?\0", EBCDIC its own byte). */
static int substitute_bytes(const char *iconv_name, char *sub, size_t *sub_len) {
    iconv_t cd = iconv_open(iconv_name, "UTF-8");
    if (cd == (iconv_t)-1)
        return -1;
    char q = '?', *in = &q, *o = sub;
    size_t il = 1, ol = *sub_len;
    size_t r = iconv(cd, &in, &il, &o, &ol);
    iconv_close(cd);
    *sub_len = (size_t)(o - sub);
    return r == (size_t)-1 ? -1 : 0;
}

static void out_of_memory(const xlate_encoder *e, xlate_error *err) {
    xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory while encoding",
                    e->where ? e->where : "output");
}

/* One iconv call into the room left in `b`; `in` NULL asks for the end of the stream. */
static size_t iconv_into(xlate_encoder *e, char **in, size_t *in_left, xlate_buf *b) {
    char *o = b->data + b->len;
    size_t o_left = b->cap - b->len - 1;
    size_t r = iconv(e->cd, in, in_left, &o, &o_left);
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
    return r;
}

/* Converts a part without ending the stream: iconv keeps its state for the next part. */
static int convert(xlate_encoder *e, const char *utf8, size_t len, xlate_buf *b, xlate_error *err) {
    char *in = (char *)utf8;
    size_t in_left = len;
    while (in_left) {
        if (xlate_buf_reserve(b, in_left + in_left / 2 + 64) != 0)
            goto oom;
        if (iconv_into(e, &in, &in_left, b) != (size_t)-1)
            break;
        if (errno == E2BIG) {
            if (xlate_buf_reserve(b, b->cap) != 0)
                goto oom;
            continue;
        }
        size_t at = (size_t)(in - utf8);
        if (errno != EILSEQ || !e->replace) {
            report_unmappable(e, utf8, len, at, err);
            return -1;
        }
        size_t next = at;
        UChar32 c;
        U8_NEXT(utf8, next, len, c);
        (void)c;
        if (xlate_buf_append(b, e->sub, e->sub_len) != 0)
            goto oom;
        in += next - at;
        in_left -= next - at;
    }
    return 0;
oom:
    out_of_memory(e, err);
    return -1;
}

int xlate_encoder_new(const char *encoding, int replace, const char *where, xlate_encoder **out,
                      xlate_error *err) {
    xlate_encoder *e = calloc(1, sizeof *e);
    *out = NULL;
    if (!e) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory while encoding");
        return -1;
    }
    e->cd = (iconv_t)-1;
    e->replace = replace;
    e->where = where;
    e->line = e->column = 1;
    if (xlate_encoding_resolve(encoding, &e->enc, err) != 0) {
        free(e);
        return -1;
    }
    if (!xlate_encoding_is_utf8(e->enc.canonical)) {
        e->sub_len = sizeof e->sub;
        e->cd = iconv_open(e->enc.iconv, "UTF-8");
        if (e->cd == (iconv_t)-1 || substitute_bytes(e->enc.iconv, e->sub, &e->sub_len) != 0) {
            xlate_error_set(err, XLATE_EINVAL, "iconv cannot convert to %s", e->enc.canonical);
            xlate_encoder_free(e);
            return -1;
        }
    }
    *out = e;
    return 0;
}

int xlate_encoder_put(xlate_encoder *e, const char *utf8, size_t len, xlate_buf *out,
                      xlate_error *err) {
    int rc;
    if (e->cd == (iconv_t)-1) {
        rc = xlate_buf_append(out, utf8, len);
        if (rc != 0)
            out_of_memory(e, err);
    } else {
        rc = convert(e, utf8, len, out, err);
        if (rc == 0)
            advance_place(utf8, len, &e->line, &e->column);
    }
    e->offset += len;
    return rc;
}

int xlate_encoder_finish(xlate_encoder *e, xlate_buf *out, xlate_error *err) {
    if (e->cd == (iconv_t)-1)
        return 0;
    for (size_t room = 64;; room *= 2) {
        if (xlate_buf_reserve(out, room) != 0) {
            out_of_memory(e, err);
            return -1;
        }
        if (iconv_into(e, NULL, NULL, out) != (size_t)-1)
            return 0;
        if (errno != E2BIG) {
            xlate_error_set(err, XLATE_ERROR, "%s: cannot end the text in %s: %s",
                            e->where ? e->where : "output", e->enc.canonical, strerror(errno));
            return -1;
        }
    }
}

void xlate_encoder_free(xlate_encoder *e) {
    if (!e)
        return;
    if (e->cd != (iconv_t)-1)
        iconv_close(e->cd);
    free(e);
}

int xlate_encode(const char *utf8, size_t len, const char *encoding, int replace, const char *where,
                 char **out, size_t *out_len, xlate_error *err) {
    xlate_encoder *e = NULL;
    xlate_buf b = XLATE_BUF_INIT;
    if (xlate_encoder_new(encoding, replace, where, &e, err) != 0)
        return -1;
    int rc = xlate_encoder_put(e, utf8, len, &b, err);
    if (rc == 0)
        rc = xlate_encoder_finish(e, &b, err);
    if (rc == 0) {
        *out = xlate_buf_steal(&b, out_len);
        if (!*out) {
            out_of_memory(e, err);
            rc = -1;
        }
    }
    xlate_buf_free(&b);
    xlate_encoder_free(e);
    return rc;
}
