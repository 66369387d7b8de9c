/*
 * format_fuzz: what the harnesses of the document format modules (core/format/format.h) share.
 * A harness hands any bytes to its module's read with the options a user can set, picked by the
 * first byte; a document that reads must hold what the pipeline and the writers rely on, and
 * must write back, and read back from that, as the module promises. Each harness is one module
 * (format_html.c, format_xliff.c, ...) so that each keeps its own corpus and dictionary.
 */
#ifndef XLATE_TESTS_FORMAT_FUZZ_H
#define XLATE_TESTS_FORMAT_FUZZ_H

#include "fuzz.h"

#include <unicode/utf8.h>

#include "format.h"

/* The --encoding a user may name (NULL: what the document declares, else detection). */
/* Aborts, saying which promise broke, when `cond` is false. */
#define FUZZ_REQUIRE(cond)                                                                         \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: broken: %s\n", __FILE__, __LINE__, #cond);                    \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static const char *const fuzz_encodings[] = {NULL, NULL, "UTF-8", "windows-1251",
                                             "UTF-16LE", "ISO-8859-1", "KOI8-U", "UTF-16BE"};
/* The run's --from, which XLIFF checks against the file's. */
static const char *const fuzz_source_langs[] = {"uk", "en", NULL, "de-AT"};

static inline int fuzz_valid_utf8(const char *s, size_t len) {
    int32_t i = 0, n = (int32_t)len;
    if ((size_t)n != len)
        return 0;
    while (i < n) {
        UChar32 c;
        U8_NEXT(s, i, n, c);
        if (c < 0)
            return 0;
    }
    return 1;
}

/* A fragment's text is valid UTF-8 ending in a NUL; its codes stand inside it on character
 * boundaries, sorted by pos; ids are 1-based, every OPEN closed once by a later CLOSE of its id,
 * and no other code shares an id. Where the format has isolated codes (`isolated`: XLIFF's
 * <sc isolated="yes">, <it>), an OPEN or a CLOSE may stand without its partner. */
static inline void fuzz_check_fragment(const xlate_fragment *f, int isolated) {
    if (!f->text) {
        FUZZ_REQUIRE(f->n_codes == 0);
        return;
    }
    FUZZ_REQUIRE(f->text[f->len] == '\0');
    FUZZ_REQUIRE(fuzz_valid_utf8(f->text, f->len));
    for (size_t i = 0; i < f->n_codes; i++) {
        const xlate_code *c = &f->codes[i];
        FUZZ_REQUIRE(c->pos <= f->len);
        FUZZ_REQUIRE(i == 0 || c->pos >= f->codes[i - 1].pos);
        FUZZ_REQUIRE(c->pos == f->len || !U8_IS_TRAIL((uint8_t)f->text[c->pos]));
        FUZZ_REQUIRE(c->data && c->id != 0);
        FUZZ_REQUIRE(c->kind == XLATE_SEG_CODE_OPEN || c->kind == XLATE_SEG_CODE_CLOSE ||
                     c->kind == XLATE_SEG_CODE_STANDALONE);
        size_t opens = 0, closes = 0, others = 0, closed_after = 0;
        for (size_t k = 0; k < f->n_codes; k++) {
            const xlate_code *d = &f->codes[k];
            if (d->id != c->id)
                continue;
            opens += d->kind == XLATE_SEG_CODE_OPEN;
            closes += d->kind == XLATE_SEG_CODE_CLOSE;
            others += d->kind == XLATE_SEG_CODE_STANDALONE;
            closed_after += d->kind == XLATE_SEG_CODE_CLOSE && k > i;
        }
        if (c->kind == XLATE_SEG_CODE_STANDALONE)
            FUZZ_REQUIRE(opens + closes + others == 1); /* its id is its own */
        else
            FUZZ_REQUIRE(others == 0 && opens <= 1 && closes <= 1 &&
                         (isolated || (opens == 1 && closes == 1))); /* a pair */
        if (c->kind == XLATE_SEG_CODE_OPEN)
            FUZZ_REQUIRE(closed_after == closes); /* closed after it opens */
    }
}

/* Every paragraph: source checked as above, presegs inside it and in order, targets too; ids
 * present and unique within the document. */
static inline void fuzz_check_doc(const xlate_fdoc *doc, int isolated) {
    FUZZ_REQUIRE(doc->name && memchr(doc->encoding, 0, sizeof doc->encoding) != NULL);
    for (size_t i = 0; i < doc->n_paras; i++) {
        const xlate_para *p = &doc->paras[i];
        FUZZ_REQUIRE(p->source.text && p->id);
        fuzz_check_fragment(&p->source, isolated);
        FUZZ_REQUIRE(!p->note || fuzz_valid_utf8(p->note, strlen(p->note)));
        size_t end = 0;
        for (size_t k = 0; k < p->n_presegs; k++) {
            const xlate_preseg *s = &p->presegs[k];
            FUZZ_REQUIRE(s->span.start >= end && s->span.end >= s->span.start &&
                         s->span.end <= p->source.len);
            end = s->span.end;
            fuzz_check_fragment(&s->target, isolated);
        }
        for (size_t k = 0; k < i; k++)
            FUZZ_REQUIRE(strcmp(doc->paras[k].id, p->id) != 0);
    }
}

static inline int fuzz_write(const xlate_fdoc *doc, xlate_buf *out) {
    const xlate_format_write_options wo = {"uk", "en", "fuzz"};
    xlate_error err = {0};
    memset(out, 0, sizeof *out);
    int rc = doc->format->write(doc, &wo, out, &err);
    if (rc != 0)
        fprintf(stderr, "write: %s\n", err.message ? err.message : "(no message)");
    xlate_error_clear(&err);
    return rc;
}

/* Sets every paragraph's target to a copy of its source (copy != 0) or to none. */
static inline void fuzz_set_targets(xlate_fdoc *doc, int copy) {
    for (size_t i = 0; i < doc->n_paras; i++) {
        xlate_fragment_free(&doc->paras[i].target);
        if (copy && xlate_fragment_copy(&doc->paras[i].target, &doc->paras[i].source) != 0)
            abort();
    }
}

/* What a module promises of its output (format.h): */
enum {
    FUZZ_ISOLATED = 1, /* the format has isolated codes (fuzz_check_fragment) */
    FUZZ_CANONICAL = 2 /* written back equal to the document after its parser's canonical form
                        * (HTML, XLIFF), not byte for byte: a code's markup may come back
                        * re-serialized (libxml2 escapes a URL's non-ASCII characters) */
};

/* The same text, and the same codes at the same places; with FUZZ_CANONICAL a code's markup may
 * differ. */
static inline int fuzz_same_paragraph(const xlate_fragment *a, const xlate_fragment *b, int flags) {
    if (!(flags & FUZZ_CANONICAL))
        return xlate_fragment_equal(a, b);
    if (a->len != b->len || memcmp(a->text, b->text, a->len) != 0 || a->n_codes != b->n_codes)
        return 0;
    for (size_t i = 0; i < a->n_codes; i++)
        if (a->codes[i].kind != b->codes[i].kind || a->codes[i].pos != b->codes[i].pos ||
            a->codes[i].id != b->codes[i].id)
            return 0;
    return 1;
}

/* 1 when `out` reads with `o` as the same paragraphs as `doc`. */
static inline int fuzz_reads_back(const xlate_format_module *m, const xlate_fdoc *doc, int flags,
                                  const xlate_format_read_options *o, const xlate_buf *out) {
    xlate_fdoc back;
    xlate_error err = {0};
    if (m->read(o, "fuzz-again", out->data ? out->data : "", out->len, &back, &err) != 0) {
        xlate_error_clear(&err);
        return 0;
    }
    int same = back.n_paras == doc->n_paras;
    for (size_t i = 0; same && i < doc->n_paras; i++)
        same = fuzz_same_paragraph(&doc->paras[i].source, &back.paras[i].source, flags);
    xlate_fdoc_free(&back);
    return same;
}

/* Written with no translation, the document reads back as the same paragraphs (text and codes)
 * with the options it was read with: the user's command run again on its output. When the user
 * named no encoding and the document declares none, detection may guess differently on the
 * output: then it must read back in the encoding the module wrote it in, named. */
static inline void fuzz_check_reread(const xlate_format_module *m, const xlate_fdoc *doc, int flags,
                                     const xlate_format_read_options *o, const xlate_buf *out) {
    if (fuzz_reads_back(m, doc, flags, o, out))
        return;
    xlate_format_read_options named = *o;
    named.encoding = doc->encoding;
    FUZZ_REQUIRE(!o->encoding && fuzz_reads_back(m, doc, flags, &named, out));
}

/* The whole harness of one module; `flags` what it promises (FUZZ_ISOLATED, FUZZ_CANONICAL). */
static inline int fuzz_format(const xlate_format_module *m, int flags, const uint8_t *data, size_t size) {
    unsigned choice = fuzz_byte(&data, &size);
    xlate_format_read_options o = {fuzz_encodings[choice & 7], (choice >> 3) & 1,
                                   fuzz_source_langs[(choice >> 4) & 3]};
    fuzz_sink ^= m->sniff((const char *)data, size);
    xlate_fdoc doc;
    xlate_error err = {0};
    if (m->read(&o, "fuzz", (const char *)data, size, &doc, &err) != 0) {
        FUZZ_REQUIRE(err.message != NULL); /* a refusal says why */
        xlate_error_clear(&err);
        return 0;
    }
    FUZZ_REQUIRE(doc.format == m);
    fuzz_check_doc(&doc, flags & FUZZ_ISOLATED);

    xlate_buf out;
    fuzz_set_targets(&doc, 0);
    FUZZ_REQUIRE(fuzz_write(&doc, &out) == 0);
    fuzz_check_reread(m, &doc, flags, &o, &out);
    xlate_buf_free(&out);

    fuzz_set_targets(&doc, 1);
    FUZZ_REQUIRE(fuzz_write(&doc, &out) == 0);
    xlate_buf_free(&out);
    xlate_fdoc_free(&doc);
    return 0;
}

#endif
