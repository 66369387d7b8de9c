/*
 * decode: the first stage of the data path. Bytes in whatever encoding they came → valid UTF-8,
 * NUL-terminated, without BOM. UTF-8 is validated with ICU's UTF-8 macros (codepage's fast check
 * first) and, when the caller gives its buffer up, kept where it lies; single-byte code pages
 * go through a table built from iconv (much faster than iconv a call); everything else through
 * iconv. Under "auto" the encoding comes from detect and mojibake repair runs on the result.
 */
#include "decode.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/utf8.h>

#include "buf.h"
#include "codepage.h"
#include "utf8.h"
#include "detect.h"
#include "mojibake.h"

static const char replacement_char[] = "\xEF\xBF\xBD"; /* U+FFFD */

int xlate_on_invalid_parse(const char *word, xlate_on_invalid *out) {
    static const struct {
        const char *word;
        xlate_on_invalid value;
    } words[] = {{"error", XLATE_INVALID_ERROR},
                 {"replace", XLATE_INVALID_REPLACE},
                 {"skip", XLATE_INVALID_SKIP}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (word && strcmp(word, words[i].word) == 0) {
            *out = words[i].value;
            return 0;
        }
    }
    return -1;
}

void xlate_decoded_free(xlate_decoded *d) {
    if (!d)
        return;
    free(d->text);
    d->text = NULL;
    d->len = 0;
}

/* --- messages --------------------------------------------------------------------------------- */

/* "d0 bf [ff] 20 d1": up to 8 bytes either side, the bad ones in brackets. */
static void format_bytes_around(const char *bytes, size_t len, size_t at, size_t bad_len, char *out,
                                size_t size) {
    size_t from = at > 8 ? at - 8 : 0;
    size_t to = at + bad_len + 8 < len ? at + bad_len + 8 : len;
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = from; i < to && n + 8 < size; i++) {
        int open = i == at, close = i + 1 == at + bad_len;
        n += (size_t)snprintf(out + n, size - n, "%s%s%02x%s", i > from ? " " : "", open ? "[" : "",
                              (unsigned char)bytes[i], close ? "]" : "");
    }
}

static size_t line_number_at(const char *bytes, size_t at) {
    size_t line = 1;
    const char *p = bytes, *end = bytes + at;
    while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        line++;
        p++;
    }
    return line;
}

static void report_invalid(xlate_error *err, const char *name, const char *encoding,
                           const char *bytes, size_t len, size_t at, size_t bad_len) {
    char around[128];
    format_bytes_around(bytes, len, at, bad_len ? bad_len : 1, around, sizeof around);
    xlate_error_set(err, XLATE_ERROR,
                    "%s: invalid %s at byte offset %zu (line %zu; bytes: %s); if the file is in "
                    "another encoding give --encoding NAME, or give --on-invalid=replace (or skip) "
                    "to go on",
                    name, encoding, at, line_number_at(bytes, at), around);
}

static int out_of_memory(xlate_error *err, const char *name) {
    xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory while decoding", name);
    return -1;
}

/* --- UTF-8 ------------------------------------------------------------------------------------ */

/* Valid UTF-8 is the text as it stands: the caller's own buffer when it gave one up (moved to
 * its start when a BOM went), else a copy. */
static int keep_text(const char *s, size_t len, char **owned, xlate_decoded *out) {
    if (*owned) {
        out->text = *owned;
        *owned = NULL;
        if (s != out->text)
            memmove(out->text, s, len);
    } else {
        out->text = malloc(len + 1);
        if (!out->text)
            return -1;
        memcpy(out->text, s, len);
    }
    out->text[len] = '\0';
    out->len = len;
    return 0;
}

/* Rebuilds the text from `first_bad` on, replacing or dropping each ill-formed sequence (ICU's
 * maximal-subpart rule decides how many bytes one sequence covers). */
static int utf8_rebuild(const char *s, size_t len, size_t first_bad, xlate_on_invalid mode,
                        xlate_decoded *out) {
    xlate_buf b = XLATE_BUF_INIT;
    if (xlate_buf_reserve(&b, len + len / 2 + 4) != 0 || xlate_buf_append(&b, s, first_bad) != 0)
        goto oom;
    size_t i = first_bad;
    while (i < len) {
        size_t start = i;
        UChar32 c;
        U8_NEXT(s, i, len, c);
        int rc = 0;
        if (c >= 0)
            rc = xlate_buf_append(&b, s + start, i - start);
        else {
            out->invalid++;
            if (mode == XLATE_INVALID_REPLACE)
                rc = xlate_buf_append(&b, replacement_char, 3);
        }
        if (rc != 0)
            goto oom;
    }
    out->text = xlate_buf_steal(&b, &out->len);
    return out->text ? 0 : -1;
oom:
    xlate_buf_free(&b);
    return -1;
}

/* `known_valid`: detection already found every byte well-formed. */
static int decode_utf8(const char *s, size_t len, int known_valid, char **owned,
                       xlate_on_invalid mode, const char *name, xlate_decoded *out,
                       xlate_error *err) {
    size_t bad_len = 0, bad = known_valid ? len : xlate_utf8_first_invalid(s, len, &bad_len);
    if (bad == len)
        return keep_text(s, len, owned, out) == 0 ? 0 : out_of_memory(err, name);
    if (mode == XLATE_INVALID_ERROR) {
        report_invalid(err, name, "UTF-8", s, len, bad, bad_len);
        return -1;
    }
    return utf8_rebuild(s, len, bad, mode, out) == 0 ? 0 : out_of_memory(err, name);
}

/* --- single-byte code pages -------------------------------------------------------------------- */

static int decode_with_table(const xlate_codepage *cp, const char *canonical, const char *s,
                             size_t len, xlate_on_invalid mode, const char *name,
                             xlate_decoded *out, xlate_error *err) {
    size_t histogram[256] = {0};
    for (size_t i = 0; i < len; i++)
        histogram[(unsigned char)s[i]]++;
    for (int b = 0; b < 256 && mode == XLATE_INVALID_ERROR; b++) {
        if (histogram[b] && !cp->utf8_len[b]) {
            report_invalid(err, name, canonical, s, len,
                           xlate_codepage_first_undefined(cp, s, len), 1);
            return -1;
        }
    }
    /* what each byte becomes, undefined ones included (U+FFFD or nothing) */
    unsigned char seq[256][4], seq_len[256];
    memcpy(seq, cp->utf8, sizeof seq);
    memcpy(seq_len, cp->utf8_len, sizeof seq_len);
    size_t need = 0;
    for (int b = 0; b < 256; b++) {
        if (!cp->utf8_len[b]) {
            out->invalid += histogram[b];
            if (mode == XLATE_INVALID_REPLACE) {
                memcpy(seq[b], replacement_char, 3);
                seq_len[b] = 3;
            }
        }
        need += histogram[b] * seq_len[b];
    }
    xlate_buf room = XLATE_BUF_INIT; /* every step stores four bytes and keeps seq_len of them */
    if (xlate_buf_reserve_bulk(&room, need + 4) != 0)
        return out_of_memory(err, name);
    char *o = room.data, *p = o;
    for (size_t i = 0; i < len; i++) {
        unsigned char byte = (unsigned char)s[i];
        memcpy(p, seq[byte], 4);
        p += seq_len[byte];
    }
    *p = '\0';
    out->text = o;
    out->len = (size_t)(p - o);
    return 0;
}

/* --- everything else: iconv -------------------------------------------------------------------- */

/* Bytes one invalid unit covers, so that skipping it keeps UTF-16/32 aligned. */
static size_t code_unit_size(const char *iconv_name) {
    if (strncasecmp(iconv_name, "UTF-16", 6) == 0 || strncasecmp(iconv_name, "UCS-2", 5) == 0)
        return 2;
    if (strncasecmp(iconv_name, "UTF-32", 6) == 0 || strncasecmp(iconv_name, "UCS-4", 5) == 0)
        return 4;
    return 1;
}

static int decode_with_iconv(const char *iconv_name, const char *canonical, const char *s,
                             size_t len, xlate_on_invalid mode, const char *name,
                             xlate_decoded *out, xlate_error *err) {
    iconv_t cd = iconv_open("UTF-8", iconv_name);
    if (cd == (iconv_t)-1) {
        xlate_error_set(err, XLATE_EINVAL, "%s: iconv cannot convert from %s", name, canonical);
        return -1;
    }
    size_t unit = code_unit_size(iconv_name);
    xlate_buf b = XLATE_BUF_INIT;
    char *in = (char *)s;
    size_t in_left = len;
    int status = 0;
    if (xlate_buf_reserve(&b, len + len / 2 + 16) != 0)
        status = out_of_memory(err, name);
    while (status == 0 && in_left > 0) {
        char *o = b.data + b.len;
        size_t o_left = b.cap - b.len - 1;
        size_t r = iconv(cd, &in, &in_left, &o, &o_left);
        b.len = (size_t)(o - b.data);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG) {
            if (xlate_buf_reserve(&b, in_left * 2 + 64) != 0)
                status = out_of_memory(err, name);
            continue;
        }
        size_t at = (size_t)(in - s);
        size_t bad = errno == EINVAL ? in_left : (unit < in_left ? unit : in_left);
        if (mode == XLATE_INVALID_ERROR) {
            report_invalid(err, name, canonical, s, len, at, bad);
            status = -1;
            break;
        }
        out->invalid++;
        if (mode == XLATE_INVALID_REPLACE && xlate_buf_append(&b, replacement_char, 3) != 0)
            status = out_of_memory(err, name);
        in += bad;
        in_left -= bad;
    }
    iconv_close(cd);
    if (status == 0) {
        out->text = xlate_buf_steal(&b, &out->len);
        if (!out->text)
            status = out_of_memory(err, name);
    }
    xlate_buf_free(&b);
    return status;
}

/* --- dispatch --------------------------------------------------------------------------------- */

/* UTF-16/UTF-32 without a stated byte order: the BOM says it, else the zero-byte pattern. */
static void pick_byte_order(const char *s, size_t len, xlate_encoding_name *enc, size_t *bom_len) {
    int is16 = strcmp(enc->canonical, "UTF-16") == 0, is32 = strcmp(enc->canonical, "UTF-32") == 0;
    if (!is16 && !is32)
        return;
    int little = xlate_detect_byte_order(s, len, is16 ? 2 : 4, bom_len);
    snprintf(enc->canonical, sizeof enc->canonical, "%s%s", is16 ? "UTF-16" : "UTF-32",
             little ? "LE" : "BE");
    snprintf(enc->iconv, sizeof enc->iconv, "%s", enc->canonical);
}

/* Binary data is refused before a byte is decoded (detect's rule, the same for every command);
 * text loses the DOS end-of-file marks that may follow it. */
static int refuse_binary(const char *s, size_t *len, const char *encoding, const char *name,
                         xlate_error *err) {
    xlate_binary_check chk;
    if (!xlate_detect_binary(s, *len, encoding, &chk)) {
        *len = chk.text_len;
        return 0;
    }
    char sign[96];
    xlate_binary_describe(&chk, sign, sizeof sign);
    xlate_error_set(err, XLATE_ERROR, "%s: binary data (%s), not text%s", name, sign,
                    chk.unit == 1 && chk.value == 0
                        ? "; for UTF-16 or UTF-32 text without a byte order mark give "
                          "--encoding (utf-16le, utf-16be, utf-32le, utf-32be)"
                        : "");
    return -1;
}

/* Decodes with a known encoding, dropping a byte order mark. `known_valid`: the bytes are known
 * to be well-formed UTF-8; `*owned`: the buffer `s` starts, which may become the text (then set
 * to NULL) or stays the caller's. */
static int decode_as(const xlate_encoding_name *given, const char *s, size_t len, int known_valid,
                     char **owned, xlate_on_invalid mode, const char *name, xlate_decoded *out,
                     xlate_error *err) {
    xlate_encoding_name enc = *given;
    size_t bom = 0;
    pick_byte_order(s, len, &enc, &bom);
    if (refuse_binary(s, &len, enc.canonical, name, err) != 0)
        return -1;
    if (xlate_encoding_is_utf8(enc.canonical) && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        bom = 3;
    snprintf(out->encoding, sizeof out->encoding, "%s", enc.canonical);
    out->had_bom = bom > 0;
    s += bom;
    len -= bom;

    int rc;
    xlate_codepage cp;
    if (xlate_encoding_is_utf8(enc.canonical))
        rc = decode_utf8(s, len, known_valid, owned, mode, name, out, err);
    else if (xlate_codepage_load(enc.iconv, &cp) == 0)
        rc = decode_with_table(&cp, enc.canonical, s, len, mode, name, out, err);
    else
        rc = decode_with_iconv(enc.iconv, enc.canonical, s, len, mode, name, out, err);
    if (rc != 0)
        return rc;
    /* UTF-16LE/BE and friends keep U+FEFF as a character; at the start it is a BOM. */
    if (out->len >= 3 && memcmp(out->text, "\xEF\xBB\xBF", 3) == 0) {
        memmove(out->text, out->text + 3, out->len - 3 + 1);
        out->len -= 3;
        out->had_bom = 1;
    }
    return 0;
}

static int repair_mojibake(xlate_decoded *out, const char *name, xlate_error *err) {
    xlate_mojibake_result r;
    if (xlate_mojibake_repair(out->text, out->len, &r) != 0)
        return out_of_memory(err, name);
    if (r.rounds > 0) {
        free(out->text);
        out->text = r.text;
        out->len = r.len;
        out->repaired = r.rounds;
    }
    return 0;
}

static int decode_auto(const char *s, size_t len, char **owned, const xlate_decode_options *opts,
                       const char *name, xlate_decoded *out, xlate_error *err) {
    xlate_detection det;
    if (xlate_detect_encoding(s, len, &det, err) != 0) {
        xlate_error_prefix(err, "%s", name);
        return -1;
    }
    xlate_encoding_name enc;
    snprintf(enc.canonical, sizeof enc.canonical, "%s", det.encoding);
    snprintf(enc.iconv, sizeof enc.iconv, "%s", det.iconv);
    if (decode_as(&enc, s, len, det.utf8_checked, owned, opts->on_invalid, name, out, err) != 0)
        return -1;
    out->confidence = det.confidence;
    if (opts->repair_mojibake && repair_mojibake(out, name, err) != 0) {
        xlate_decoded_free(out);
        return -1;
    }
    return 0;
}

/* Both entry points: `owned` is the caller's buffer holding `bytes` when it is given up, else
 * NULL. */
static int decode_bytes(const char *bytes, size_t len, char **owned,
                        const xlate_decode_options *opts, const char *name, xlate_decoded *out,
                        xlate_error *err) {
    static const xlate_decode_options defaults = XLATE_DECODE_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    if (!name)
        name = "-";
    memset(out, 0, sizeof *out);
    if (!bytes)
        bytes = "";
    if (!opts->encoding || strcasecmp(opts->encoding, "auto") == 0)
        return decode_auto(bytes, len, owned, opts, name, out, err);

    xlate_encoding_name enc;
    if (xlate_encoding_resolve(opts->encoding, &enc, err) != 0)
        return -1;
    if (decode_as(&enc, bytes, len, 0, owned, opts->on_invalid, name, out, err) != 0)
        return -1;
    out->confidence = 1.0;
    return 0;
}

int xlate_decode(const char *bytes, size_t len, const xlate_decode_options *opts, const char *name,
                 xlate_decoded *out, xlate_error *err) {
    char *owned = NULL;
    return decode_bytes(bytes, len, &owned, opts, name, out, err);
}

int xlate_decode_owned(char *bytes, size_t len, const xlate_decode_options *opts,
                       const char *name, xlate_decoded *out, xlate_error *err) {
    char *owned = bytes;
    int rc = decode_bytes(bytes, len, &owned, opts, name, out, err);
    free(owned); /* NULL when the buffer became the text */
    return rc;
}
