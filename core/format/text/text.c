/*
 * text: plain text as a format module (text.h). At the front of the data path it decodes the
 * bytes (decode.h) and cuts the text into paragraphs at blank lines, by the segmenter's rule (a
 * line of white space only, or U+2029, ends a paragraph); each paragraph's text runs from its
 * first to its last character that is not white space. At the end it writes the text between
 * paragraphs back around their targets, re-encoded into the encoding the bytes came in (encode.h).
 */
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "decode.h"
#include "encode.h"

/* What lies around the paragraphs: gap i comes before paragraph i, gap n after the last. */
typedef struct text_skeleton {
    xlate_buf gaps;       /* the gaps, one after the other */
    size_t *gap_end;      /* n_paras + 1 ends in `gaps` */
    int had_bom;
    /* Bytes the text ended with that decoding dropped (DOS end-of-file marks), in the original
     * encoding; written back when the document is written in it. */
    char *trailer;
    size_t trailer_len;
    /* Every line of the document ends in CR LF: a translation whose lines end in LF alone (the
     * pipeline's normalization makes them so) gets the document's line ends back. */
    int crlf;
} text_skeleton;

static const char *const text_extensions[] = {"txt", "text", NULL};

static void free_skeleton(void *p) {
    text_skeleton *sk = p;
    if (!sk)
        return;
    xlate_buf_free(&sk->gaps);
    free(sk->gap_end);
    free(sk->trailer);
    free(sk);
}

/* Plain text takes anything: it is the last resort of detection, never a winner by sniffing. */
static int sniff(const char *bytes, size_t len) {
    (void)bytes;
    (void)len;
    return 0;
}

static int is_line_end(UChar32 c) {
    return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x85 || c == 0x2028 || c == 0x2029;
}

static int is_space(UChar32 c) {
    if (c < 0x80)
        return c == ' ' || (c >= '\t' && c <= '\r');
    return c >= 0 && u_isUWhiteSpace(c);
}

/* The paragraphs found so far and where they lie in the text. */
typedef struct para_cut {
    size_t *start, *end;
    size_t n, cap;
} para_cut;

static int cut_push(para_cut *c, size_t start, size_t end) {
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        size_t *s = realloc(c->start, cap * sizeof *s);
        if (!s)
            return -1;
        c->start = s;
        size_t *e = realloc(c->end, cap * sizeof *e);
        if (!e)
            return -1;
        c->end = e;
        c->cap = cap;
    }
    c->start[c->n] = start;
    c->end[c->n] = end;
    c->n++;
    return 0;
}

/* Cuts valid UTF-8 into paragraphs: runs of lines that are not blank. */
static int cut_paragraphs(const char *text, size_t len, para_cut *c) {
    int32_t i = 0, n = (int32_t)len;
    int in_para = 0;
    size_t start = 0, end = 0;
    while (i < n) {
        /* One line: its first and last non-space characters, and how it ends. */
        int32_t first = -1, last_end = -1;
        UChar32 ch = 0;
        while (i < n) {
            int32_t at = i;
            U8_NEXT(text, i, n, ch);
            if (is_line_end(ch)) {
                if (ch == '\r' && i < n && text[i] == '\n')
                    i++;
                break;
            }
            if (!is_space(ch)) {
                if (first < 0)
                    first = at;
                last_end = i;
            }
        }
        if (first >= 0) {
            if (!in_para)
                start = (size_t)first;
            in_para = 1;
            end = (size_t)last_end;
        }
        if (in_para && (first < 0 || ch == 0x2029)) {
            if (cut_push(c, start, end) != 0)
                return -1;
            in_para = 0;
        }
    }
    return in_para ? cut_push(c, start, end) : 0;
}

static int is_utf8(const char *encoding) {
    return strcasecmp(encoding, "UTF-8") == 0 || strcasecmp(encoding, "UTF8") == 0;
}

/* `utf8` in the encoding, with the BOM the document had. Returns 0, or -1 with err set. */
static int encode_as(const char *utf8, size_t len, const char *encoding, int bom, const char *where,
                     xlate_buf *out, xlate_error *err) {
    xlate_buf all = XLATE_BUF_INIT;
    if ((bom && xlate_buf_append(&all, "\xEF\xBB\xBF", 3) != 0) || xlate_buf_append(&all, utf8, len) != 0) {
        xlate_buf_free(&all);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    if (is_utf8(encoding)) {
        int failed = xlate_buf_append(out, all.data ? all.data : "", all.len) != 0;
        xlate_buf_free(&all);
        if (failed)
            xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return failed ? -1 : 0;
    }
    char *enc = NULL;
    size_t enc_len = 0;
    int rc = xlate_encode(all.data ? all.data : "", all.len, encoding, 0, where, &enc, &enc_len, err);
    xlate_buf_free(&all);
    if (rc != 0)
        return -1;
    int failed = xlate_buf_append(out, enc, enc_len) != 0;
    free(enc);
    if (failed) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    return 0;
}

/* What decoding dropped from the end of the bytes: the bytes past the decoded text encoded
 * back. Nothing when the encoding does not give the bytes back (then the text is written as
 * decoded). */
static int find_trailer(const xlate_decoded *dec, const char *bytes, size_t len, text_skeleton *sk) {
    xlate_buf back = XLATE_BUF_INIT;
    xlate_error ignored = {0};
    if (encode_as(dec->text, dec->len, dec->encoding, dec->had_bom, "", &back, &ignored) != 0) {
        xlate_error_clear(&ignored);
        return 0;
    }
    int rc = 0;
    if (back.len <= len && (back.len == 0 || memcmp(back.data, bytes, back.len) == 0) && back.len < len) {
        sk->trailer = malloc(len - back.len);
        if (!sk->trailer)
            rc = -1;
        else {
            memcpy(sk->trailer, bytes + back.len, len - back.len);
            sk->trailer_len = len - back.len;
        }
    }
    xlate_buf_free(&back);
    return rc;
}

static int fill_document(const xlate_decoded *dec, const para_cut *c, xlate_fdoc *doc, text_skeleton *sk) {
    doc->paras = calloc(c->n ? c->n : 1, sizeof *doc->paras);
    sk->gap_end = calloc(c->n + 1, sizeof *sk->gap_end);
    if (!doc->paras || !sk->gap_end)
        return -1;
    size_t at = 0;
    for (size_t i = 0; i < c->n; i++) {
        xlate_para *p = &doc->paras[doc->n_paras++];
        char id[32];
        snprintf(id, sizeof id, "p%zu", i + 1);
        if (xlate_buf_append(&sk->gaps, dec->text + at, c->start[i] - at) != 0 ||
            xlate_fragment_append(&p->source, dec->text + c->start[i], c->end[i] - c->start[i]) != 0 ||
            !(p->id = strdup(id)))
            return -1;
        sk->gap_end[i] = sk->gaps.len;
        at = c->end[i];
    }
    if (xlate_buf_append(&sk->gaps, dec->text + at, dec->len - at) != 0)
        return -1;
    sk->gap_end[c->n] = sk->gaps.len;
    return 0;
}

static int has_crlf_only(const char *text, size_t len) {
    int crlf = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n') {
            if (i == 0 || text[i - 1] != '\r')
                return 0;
            crlf = 1;
        }
    return crlf;
}

/* A paragraph's text, with the document's line ends. */
static int append_paragraph(xlate_buf *b, const xlate_fragment *f, int crlf) {
    size_t from = 0;
    for (size_t i = 0; crlf && i < f->len; i++)
        if (f->text[i] == '\n' && (i == 0 || f->text[i - 1] != '\r')) {
            if (xlate_buf_append(b, f->text + from, i - from) != 0 || xlate_buf_append(b, "\r\n", 2) != 0)
                return -1;
            from = i + 1;
        }
    return xlate_buf_append(b, f->text + from, f->len - from);
}

static int text_read(const xlate_format_read_options *o, const char *name, const char *bytes, size_t len,
                     xlate_fdoc *doc, xlate_error *err) {
    /* Mojibake is left as it is: the document is to be written back as it came. */
    xlate_decode_options dopt = {o ? o->encoding : NULL, XLATE_INVALID_ERROR, 0};
    xlate_decoded dec;
    memset(doc, 0, sizeof *doc);
    if (xlate_decode(bytes, len, &dopt, name, &dec, err) != 0)
        return -1;
    para_cut c = {0};
    text_skeleton *sk = calloc(1, sizeof *sk);
    int rc = -1;
    if (sk && cut_paragraphs(dec.text, dec.len, &c) == 0 && (doc->name = strdup(name ? name : "-")) &&
        fill_document(&dec, &c, doc, sk) == 0 && find_trailer(&dec, bytes, len, sk) == 0)
        rc = 0;
    if (sk) {
        sk->had_bom = dec.had_bom;
        sk->crlf = has_crlf_only(dec.text, dec.len);
    }
    doc->format = &xlate_format_text;
    doc->skeleton = sk;
    snprintf(doc->encoding, sizeof doc->encoding, "%s", dec.encoding);
    free(c.start);
    free(c.end);
    xlate_decoded_free(&dec);
    if (rc != 0) {
        xlate_fdoc_free(doc);
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", name ? name : "-");
    }
    return rc;
}

static int text_write(const xlate_fdoc *doc, const xlate_format_write_options *o, xlate_buf *out,
                      xlate_error *err) {
    (void)o;
    const text_skeleton *sk = doc->skeleton;
    xlate_buf text = XLATE_BUF_INIT;
    size_t from = 0;
    int failed = 0;
    for (size_t i = 0; i < doc->n_paras && !failed; i++) {
        const xlate_fragment *f = doc->paras[i].target.text ? &doc->paras[i].target : &doc->paras[i].source;
        failed = xlate_buf_append(&text, sk->gaps.data + from, sk->gap_end[i] - from) != 0 ||
                 append_paragraph(&text, f, sk->crlf) != 0;
        from = sk->gap_end[i];
    }
    if (failed || xlate_buf_append(&text, sk->gaps.data ? sk->gaps.data + from : "", sk->gap_end[doc->n_paras] - from) != 0) {
        xlate_buf_free(&text);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    xlate_error why = {0};
    int rc = encode_as(text.data ? text.data : "", text.len, doc->encoding, sk->had_bom, doc->name, out, &why);
    if (rc == 0 && sk->trailer_len)
        rc = xlate_buf_append(out, sk->trailer, sk->trailer_len);
    else if (rc != 0 && why.status != XLATE_ENOMEM) {
        /* The translation holds characters the original encoding lacks: UTF-8, said by its BOM. */
        xlate_error_clear(&why);
        rc = encode_as(text.data ? text.data : "", text.len, "UTF-8", 1, doc->name, out, &why);
    }
    xlate_buf_free(&text);
    if (rc != 0) {
        if (why.message)
            *err = why;
        else
            xlate_error_set(err, XLATE_ENOMEM, "out of memory");
    }
    return rc;
}

const xlate_format_module xlate_format_text = {
    "text", text_extensions, sniff, text_read, text_write, free_skeleton,
};
