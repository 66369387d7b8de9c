/*
 * encode: the end of the data path, used by writers and `xlate normalize --to-encoding`. UTF-8 →
 * another encoding with glibc iconv. A character the encoding cannot hold stops the conversion
 * with a message naming the character and its place, or becomes the encoding's "?" on request.
 */
#include "encode.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>

#include "buf.h"
#include "codepage.h"

/* Line and column (both from 1, the column in characters) of byte `at`. */
static void place_of(const char *s, size_t at, size_t *line, size_t *column) {
    size_t line_start = 0;
    *line = 1;
    for (size_t i = 0; i < at; i++)
        if (s[i] == '\n')
            (*line)++, line_start = i + 1;
    *column = 1;
    for (size_t i = line_start; i < at;) {
        UChar32 c;
        U8_NEXT(s, i, at, c);
        (void)c;
        (*column)++;
    }
}

static void report_unmappable(const char *s, size_t len, size_t at, const char *encoding,
                              const char *where, xlate_error *err) {
    size_t end = at, line, column;
    UChar32 c;
    U8_NEXT(s, end, len, c);
    place_of(s, at, &line, &column);
    xlate_error_set(err, XLATE_ERR_RUN,
                    "%s: character U+%04X '%.*s' at byte offset %zu (line %zu, column %zu) cannot "
                    "be written in %s; choose another output encoding, or ask for replacement "
                    "(--output-replace) to write '?' instead",
                    where ? where : "output", c < 0 ? 0xFFFD : (unsigned)c, (int)(end - at), s + at,
                    at, line, column, encoding);
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

static int convert(iconv_t cd, const char *utf8, size_t len, const xlate_encoding_name *enc,
                   const char *sub, size_t sub_len, int replace, const char *where,
                   xlate_buf *b, xlate_error *err) {
    char *in = (char *)utf8;
    size_t in_left = len;
    for (int flushing = 0;;) {
        if (xlate_buf_reserve(b, in_left + in_left / 2 + 64) != 0)
            goto oom;
        char *o = b->data + b->len;
        size_t o_left = b->cap - b->len - 1;
        size_t r = flushing ? iconv(cd, NULL, NULL, &o, &o_left)
                            : iconv(cd, &in, &in_left, &o, &o_left);
        b->len = (size_t)(o - b->data);
        b->data[b->len] = '\0';
        if (r != (size_t)-1) {
            if (flushing)
                return 0;
            flushing = 1;
            continue;
        }
        if (errno == E2BIG) {
            if (xlate_buf_reserve(b, b->cap) != 0)
                goto oom;
            continue;
        }
        size_t at = (size_t)(in - utf8);
        if (errno != EILSEQ || !replace) {
            report_unmappable(utf8, len, at, enc->canonical, where, err);
            return -1;
        }
        size_t next = at;
        UChar32 c;
        U8_NEXT(utf8, next, len, c);
        (void)c;
        if (xlate_buf_append(b, sub, sub_len) != 0)
            goto oom;
        in += next - at;
        in_left -= next - at;
    }
oom:
    xlate_error_set(err, XLATE_ERR_RUN, "%s: out of memory while encoding", where ? where : "output");
    return -1;
}

int xlate_encode(const char *utf8, size_t len, const char *encoding, int replace, const char *where,
                 char **out, size_t *out_len, xlate_error *err) {
    xlate_encoding_name enc;
    if (xlate_encoding_resolve(encoding, &enc, err) != 0)
        return -1;
    xlate_buf b = XLATE_BUF_INIT;
    int rc = 0;
    if (xlate_encoding_is_utf8(enc.canonical)) {
        rc = xlate_buf_append(&b, utf8, len);
        if (rc != 0)
            xlate_error_set(err, XLATE_ERR_RUN, "out of memory while encoding");
    } else {
        char sub[16];
        size_t sub_len = sizeof sub;
        iconv_t cd = iconv_open(enc.iconv, "UTF-8");
        if (cd == (iconv_t)-1 || substitute_bytes(enc.iconv, sub, &sub_len) != 0) {
            if (cd != (iconv_t)-1)
                iconv_close(cd);
            xlate_error_set(err, XLATE_ERR_USAGE, "iconv cannot convert to %s", enc.canonical);
            return -1;
        }
        rc = convert(cd, utf8, len, &enc, sub, sub_len, replace, where, &b, err);
        iconv_close(cd);
    }
    if (rc == 0) {
        *out = xlate_buf_steal(&b, out_len);
        if (!*out) {
            xlate_error_set(err, XLATE_ERR_RUN, "out of memory while encoding");
            rc = -1;
        }
    }
    xlate_buf_free(&b);
    return rc;
}
