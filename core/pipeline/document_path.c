/*
 * document_path: a document a format module read becomes segments with inline codes, and the
 * chain's work on them becomes each paragraph's target (document_path.h). Sits between the
 * format modules (which know nothing of segments) and the chain (which knows nothing of
 * paragraphs); pipeline.c calls it before and after the chain.
 */
#include "document_path.h"

#include <stdlib.h>
#include <string.h>

/* Paragraphs stand apart in the document's text as the segmenter's paragraphs do. */
static const char PARA_SEPARATOR[] = "\n\n";

static int oom(xlate_error *err, const char *name) {
    xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", name ? name : "-");
    return -1;
}

void xlate_doc_cut_free(xlate_doc_cut *cut) {
    for (size_t i = 0; cut->sources && i < cut->n_paras; i++)
        xlate_fragment_free(&cut->sources[i]);
    free(cut->sources);
    free(cut->para_start);
    free(cut->seg_preseg);
    memset(cut, 0, sizeof *cut);
}

/* --- normalizing between codes ----------------------------------------------------------------- */

static int add_cut_point(size_t **v, size_t *n, size_t pos) {
    size_t *w = realloc(*v, (*n + 1) * sizeof *w);
    if (!w)
        return -1;
    *v = w;
    w[(*n)++] = pos;
    return 0;
}

static int cmp_size(const void *a, const void *b) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Where old offset `pos` (one of the cut points) lands in the normalized text. */
static size_t mapped(const size_t *points, const size_t *moved, size_t n, size_t pos) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (points[mid] < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return moved[lo];
}

/* Normalizes paragraph `p`'s source run by run between its codes and its presegs' ends, so that
 * each of them keeps its place; *out gets the text with the codes at their new places, *ps and
 * *pe the presegs' new ends. */
/* A paragraph of text alone, no codes and no presegs: the one run is the whole text. */
static int normalize_plain_paragraph(const xlate_para *p, const xlate_normalize_options *norm, xlate_fragment *out,
                                     const char *name, xlate_error *err) {
    const char *text = p->source.text ? p->source.text : "";
    if (!norm)
        return xlate_fragment_append(out, text, p->source.len) != 0 ? oom(err, name) : 0;
    char *clean = NULL;
    size_t clean_len = 0;
    if (xlate_normalize(text, p->source.len, norm, &clean, &clean_len, err) != 0) {
        xlate_error_prefix(err, "%s", name);
        return -1;
    }
    int failed = xlate_fragment_append(out, clean, clean_len) != 0;
    free(clean);
    if (failed) {
        xlate_fragment_free(out);
        return oom(err, name);
    }
    return 0;
}

static int normalize_paragraph(const xlate_para *p, const xlate_normalize_options *norm, xlate_fragment *out,
                               size_t *ps, size_t *pe, const char *name, xlate_error *err) {
    size_t *points = NULL, n = 0, *moved = NULL;
    int rc = -1;
    memset(out, 0, sizeof *out);
    if (p->source.n_codes == 0 && p->n_presegs == 0)
        return normalize_plain_paragraph(p, norm, out, name, err);
    if (add_cut_point(&points, &n, 0) != 0 || add_cut_point(&points, &n, p->source.len) != 0)
        goto done;
    for (size_t i = 0; i < p->source.n_codes; i++)
        if (add_cut_point(&points, &n, p->source.codes[i].pos) != 0)
            goto done;
    for (size_t i = 0; i < p->n_presegs; i++)
        if (add_cut_point(&points, &n, p->presegs[i].span.start) != 0 ||
            add_cut_point(&points, &n, p->presegs[i].span.end) != 0)
            goto done;
    qsort(points, n, sizeof *points, cmp_size);
    if (!(moved = calloc(n, sizeof *moved)) || xlate_fragment_append(out, "", 0) != 0)
        goto done;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && points[i] > points[i - 1]) {
            const char *run = p->source.text + points[i - 1];
            size_t run_len = points[i] - points[i - 1];
            if (!norm) {
                if (xlate_fragment_append(out, run, run_len) != 0)
                    goto done;
            } else {
                char *clean = NULL;
                size_t clean_len = 0;
                if (xlate_normalize(run, run_len, norm, &clean, &clean_len, err) != 0) {
                    xlate_error_prefix(err, "%s", name);
                    goto done;
                }
                int failed = xlate_fragment_append(out, clean, clean_len) != 0;
                free(clean);
                if (failed)
                    goto done;
            }
        }
        moved[i] = out->len;
    }
    if (p->source.n_codes && !(out->codes = calloc(p->source.n_codes, sizeof *out->codes)))
        goto done;
    for (size_t i = 0; i < p->source.n_codes; i++) {
        const xlate_code *c = &p->source.codes[i];
        xlate_code *d = &out->codes[out->n_codes++];
        d->kind = c->kind;
        d->id = c->id;
        d->pos = mapped(points, moved, n, c->pos);
        if (!(d->data = strdup(c->data ? c->data : "")) || (c->name && !(d->name = strdup(c->name))) ||
            (c->native_id && !(d->native_id = strdup(c->native_id))))
            goto done;
    }
    for (size_t i = 0; i < p->n_presegs; i++) {
        ps[i] = mapped(points, moved, n, p->presegs[i].span.start);
        pe[i] = mapped(points, moved, n, p->presegs[i].span.end);
    }
    rc = 0;
done:
    if (rc != 0 && !err->message)
        oom(err, name);
    if (rc != 0)
        xlate_fragment_free(out);
    free(points);
    free(moved);
    return rc;
}

/* --- segments ---------------------------------------------------------------------------------- */

typedef struct span_list {
    xlate_span *v;
    long *preseg;
    size_t n, cap;
} span_list;

static int push_span(span_list *l, size_t start, size_t end, size_t para, long preseg) {
    if (l->n == l->cap) { /* doubling: a document has a segment or more a paragraph */
        size_t cap = l->cap ? 2 * l->cap : 64;
        xlate_span *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        long *p = realloc(l->preseg, cap * sizeof *p);
        if (!p)
            return -1;
        l->preseg = p;
        l->cap = cap;
    }
    l->v[l->n] = (xlate_span){start, end, para};
    l->preseg[l->n++] = preseg;
    return 0;
}

/* Paragraph k's segments: its presegs as they are (but empty ones), else the segmenter's. */
static int cut_paragraph(xlate_segmenter *sg, const xlate_fragment *src, const xlate_para *p, const size_t *ps,
                         const size_t *pe, size_t k, size_t base, span_list *l, const char *name,
                         xlate_error *err) {
    if (p->n_presegs) {
        for (size_t j = 0; j < p->n_presegs; j++)
            if (pe[j] > ps[j] && push_span(l, base + ps[j], base + pe[j], k, (long)j) != 0)
                return oom(err, name);
        return 0;
    }
    xlate_span *spans = NULL;
    size_t n = 0;
    if (xlate_segmenter_split(sg, src->text, src->len, &spans, &n, err) != 0) {
        xlate_error_prefix(err, "%s", name);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (push_span(l, base + spans[i].start, base + spans[i].end, k, -1) != 0) {
            free(spans);
            return oom(err, name);
        }
    free(spans);
    return 0;
}

/* Whether code `c` of the paragraph has its partner inside [start, end) strictly. */
static int partner_inside(const xlate_fragment *src, const xlate_code *c, size_t start, size_t end) {
    if (c->kind == XLATE_SEG_CODE_STANDALONE)
        return 1;
    for (size_t i = 0; i < src->n_codes; i++) {
        const xlate_code *o = &src->codes[i];
        if (o != c && o->id == c->id && o->kind != c->kind && o->kind != XLATE_SEG_CODE_STANDALONE)
            return o->pos > start && o->pos < end;
    }
    return 0;
}

static int give_codes(xlate_seg *s, const xlate_fragment *src, size_t start, size_t end) {
    for (size_t i = 0; i < src->n_codes; i++) {
        const xlate_code *c = &src->codes[i];
        if (c->pos > start && c->pos < end &&
            xlate_seg_add_code(s, c->pos - start, c->kind, c->id, !partner_inside(src, c, start, end), c->data) != 0)
            return -1;
    }
    return 0;
}

/* The target the document brought, each of the segment's codes placed where that target has it
 * (a code the target lacks is left to xlate_seg_place_lost_codes, which says so). */
static int give_preset(xlate_seg *s, const xlate_preseg *ps) {
    if (xlate_seg_set_target(s, ps->target.text, ps->target.len) != 0)
        return -1;
    s->preset = 1;
    for (size_t i = 0; i < s->n_codes; i++)
        for (size_t j = 0; j < ps->target.n_codes; j++) {
            const xlate_code *c = &ps->target.codes[j];
            if (c->id == s->codes[i].id && c->kind == s->codes[i].kind && c->pos <= s->target_len) {
                s->codes[i].has_target_pos = 1;
                s->codes[i].target_pos = c->pos;
                break;
            }
        }
    return 0;
}

int xlate_document_cut(xlate_segmenter *sg, const xlate_normalize_options *norm, int retranslate,
                       const xlate_fdoc *fdoc, xlate_doc *doc, xlate_doc_cut *cut, xlate_error *err) {
    const char *name = fdoc->name ? fdoc->name : "-";
    span_list l = {0};
    xlate_buf text = XLATE_BUF_INIT;
    size_t *ps = NULL, *pe = NULL;
    memset(cut, 0, sizeof *cut);
    memset(doc, 0, sizeof *doc);
    cut->sources = calloc(fdoc->n_paras ? fdoc->n_paras : 1, sizeof *cut->sources);
    cut->para_start = calloc(fdoc->n_paras ? fdoc->n_paras : 1, sizeof *cut->para_start);
    if (!cut->sources || !cut->para_start)
        goto fail_oom;
    cut->n_paras = fdoc->n_paras;
    /* The text's size is about the sources' and separators' (normalizing changes it little):
     * taken at once, it is not copied over and over as it grows. */
    size_t estimate = 1;
    for (size_t k = 0; k < fdoc->n_paras; k++)
        estimate += fdoc->paras[k].source.len + sizeof PARA_SEPARATOR - 1;
    if (xlate_buf_reserve_bulk(&text, estimate) != 0)
        goto fail_oom;
    for (size_t k = 0; k < fdoc->n_paras; k++) {
        const xlate_para *p = &fdoc->paras[k];
        free(ps);
        free(pe);
        ps = calloc(p->n_presegs + 1, sizeof *ps);
        pe = calloc(p->n_presegs + 1, sizeof *pe);
        if (!ps || !pe)
            goto fail_oom;
        if (normalize_paragraph(p, norm, &cut->sources[k], ps, pe, name, err) != 0)
            goto fail;
        if (k > 0 && xlate_buf_append(&text, PARA_SEPARATOR, sizeof PARA_SEPARATOR - 1) != 0)
            goto fail_oom;
        cut->para_start[k] = text.len;
        if (xlate_buf_append(&text, cut->sources[k].text, cut->sources[k].len) != 0)
            goto fail_oom;
        if (cut_paragraph(sg, &cut->sources[k], p, ps, pe, k, cut->para_start[k], &l, name, err) != 0)
            goto fail;
    }
    if (xlate_buf_append(&text, "", 0) != 0)
        goto fail_oom;
    size_t text_len = text.len;
    char *owned = text.data;
    text.data = NULL;
    if (xlate_doc_init(doc, name, owned, text_len, l.v, l.n) != 0)
        goto fail_oom;
    for (size_t i = 0; i < doc->n_segs; i++) {
        xlate_seg *s = &doc->segs[i];
        size_t k = s->paragraph, start = s->start - cut->para_start[k], end = s->end - cut->para_start[k];
        if (give_codes(s, &cut->sources[k], start, end) != 0)
            goto fail_oom;
        if (l.preseg[i] >= 0) {
            const xlate_preseg *pr = &fdoc->paras[k].presegs[l.preseg[i]];
            if (pr->final && !retranslate && pr->target.text && give_preset(s, pr) != 0)
                goto fail_oom;
        }
    }
    cut->seg_preseg = l.preseg;
    free(l.v);
    free(ps);
    free(pe);
    return 0;
fail_oom:
    oom(err, name);
fail:
    xlate_doc_free(doc);
    xlate_doc_cut_free(cut);
    xlate_buf_free(&text);
    free(l.v);
    free(l.preseg);
    free(ps);
    free(pe);
    return -1;
}

/* --- back to paragraphs ------------------------------------------------------------------------ */

/* Room for `n` codes in f->codes, allocated once for all of them (a piece's codes are known
 * before they are copied). */
static int reserve_codes(xlate_fragment *f, size_t n) {
    if (!n)
        return 0;
    xlate_code *codes = realloc(f->codes, (f->n_codes + n) * sizeof *codes);
    if (!codes)
        return -1;
    f->codes = codes;
    return 0;
}

/* Puts code `c` at `pos` of a piece's fragment f, whose codes have room for it (reserve_codes).
 * The code's strings are borrowed, not copied: they are the paragraph's (the cut's sources),
 * a segment's (the xlate_doc) or a preseg's (the fdoc), all of which outlive the bidoc; the piece
 * says so (codes_borrowed). A paragraph's code data is thus held once however many pieces and
 * joins it goes through. */
static void copy_code(xlate_fragment *f, const xlate_code *c, size_t pos) {
    xlate_code d = {c->kind, pos, c->id, c->data ? c->data : (char *)"", c->name, c->native_id};
    f->codes[f->n_codes++] = d;
}

/* Bytes [from, to) of the paragraph's source with the codes whose index is in [c_from, c_to). */
static int slice(const xlate_fragment *src, size_t from, size_t to, size_t c_from, size_t c_to, xlate_fragment *out) {
    memset(out, 0, sizeof *out);
    if (xlate_fragment_append(out, src->text + from, to - from) != 0 || reserve_codes(out, c_to - c_from) != 0)
        return -1;
    for (size_t i = c_from; i < c_to; i++)
        copy_code(out, &src->codes[i], src->codes[i].pos - from);
    return 0;
}

static const xlate_code *paragraph_code(const xlate_fragment *src, unsigned id, xlate_seg_code_kind kind) {
    for (size_t i = 0; i < src->n_codes; i++)
        if (src->codes[i].id == id && src->codes[i].kind == kind)
            return &src->codes[i];
    return NULL;
}

/* A segment's translation with its codes: where the translator put them, else at the end (in
 * source order), so that none is lost. */
static int segment_target(const xlate_seg *s, const xlate_fragment *src, xlate_fragment *out) {
    memset(out, 0, sizeof *out);
    if (!s->target)
        return 0;
    if (xlate_fragment_append(out, s->target, s->target_len) != 0 || reserve_codes(out, s->n_codes) != 0)
        return -1;
    for (int placed = 1; placed >= 0; placed--)
        for (size_t i = 0; i < s->n_codes; i++) {
            const xlate_seg_code *c = &s->codes[i];
            if (c->has_target_pos != placed)
                continue;
            const xlate_code *pc = paragraph_code(src, c->id, c->kind);
            xlate_code fallback = {c->kind, 0, c->id, c->data, NULL, NULL};
            size_t pos = placed && c->target_pos <= s->target_len ? c->target_pos : s->target_len;
            copy_code(out, pc ? pc : &fallback, pos);
        }
    /* Codes in target order; at one place, placed ones before those put back at the end. */
    for (size_t i = 1; i < out->n_codes; i++)
        for (size_t j = i; j > 0 && out->codes[j - 1].pos > out->codes[j].pos; j--) {
            xlate_code t = out->codes[j];
            out->codes[j] = out->codes[j - 1];
            out->codes[j - 1] = t;
        }
    return 0;
}

/* The target a document brought for a segment, with the codes its source has: a code the
 * target holds but the segment's source does not (one at the segment's very start or end, which
 * stays in the text between segments) is left to that text, where the join writes it once. */
static int preset_target(const xlate_fragment *given, const xlate_fragment *source, xlate_fragment *out) {
    memset(out, 0, sizeof *out);
    if (xlate_fragment_append(out, given->text, given->len) != 0 || reserve_codes(out, given->n_codes) != 0)
        return -1;
    for (size_t i = 0; i < given->n_codes; i++) {
        const xlate_code *c = &given->codes[i];
        int in_source = 0;
        for (size_t j = 0; j < source->n_codes && !in_source; j++)
            in_source = source->codes[j].id == c->id && source->codes[j].kind == c->kind;
        if (in_source)
            copy_code(out, c, c->pos);
    }
    return 0;
}

/* The next piece of bp, whose pieces array has room for all of them (a gap before each segment
 * and one after the last: 2 n + 1 for n segments, allocated zeroed by xlate_document_bilingual). */
static xlate_bi_piece *new_piece(xlate_bi_para *bp) {
    xlate_bi_piece *pc = &bp->pieces[bp->n_pieces++];
    pc->codes_borrowed = 1; /* copy_code */
    return pc;
}

/* The text and codes from `*at` (byte) and `*ci` (code) up to `to`, codes at `to` included, as a
 * gap piece (none when it would be empty). */
static int add_gap(xlate_bi_para *bp, const xlate_fragment *src, size_t *at, size_t *ci, size_t to) {
    size_t c_to = *ci;
    while (c_to < src->n_codes && src->codes[c_to].pos <= to)
        c_to++;
    if (to > *at || c_to > *ci) {
        xlate_bi_piece *pc = new_piece(bp);
        if (!pc || slice(src, *at, to, *ci, c_to, &pc->source) != 0)
            return -1;
    }
    *at = to;
    *ci = c_to;
    return 0;
}

static int add_segment(xlate_bi_para *bp, const xlate_fdoc *fdoc, const xlate_doc_cut *cut, const xlate_seg *s,
                       size_t seg_index, size_t *at, size_t *ci) {
    size_t k = s->paragraph;
    const xlate_fragment *src = &cut->sources[k];
    size_t start = s->start - cut->para_start[k], end = s->end - cut->para_start[k];
    size_t c_to = *ci;
    while (c_to < src->n_codes && src->codes[c_to].pos < end)
        c_to++;
    xlate_bi_piece *pc = new_piece(bp);
    if (!pc || slice(src, start, end, *ci, c_to, &pc->source) != 0)
        return -1;
    pc->is_segment = 1;
    pc->seg = s;
    long pi = cut->seg_preseg ? cut->seg_preseg[seg_index] : -1;
    const xlate_preseg *pr = pi >= 0 ? &fdoc->paras[k].presegs[pi] : NULL;
    if (pr && pr->id && !(pc->id = strdup(pr->id)))
        return -1;
    pc->final = s->preset;
    if (s->preset && pr ? preset_target(&pr->target, &pc->source, &pc->target) != 0
                        : segment_target(s, src, &pc->target) != 0)
        return -1;
    *at = end;
    *ci = c_to;
    return 0;
}

int xlate_document_bilingual(const xlate_fdoc *fdoc, const xlate_doc *doc, const xlate_doc_cut *cut,
                             xlate_bidoc *bi, xlate_error *err) {
    memset(bi, 0, sizeof *bi);
    bi->fdoc = fdoc;
    bi->paras = calloc(fdoc->n_paras ? fdoc->n_paras : 1, sizeof *bi->paras);
    if (!bi->paras)
        return oom(err, fdoc->name);
    size_t s = 0;
    for (size_t k = 0; k < fdoc->n_paras; k++) {
        const xlate_fragment *src = &cut->sources[k];
        size_t at = 0, ci = 0, n = 0;
        while (s + n < doc->n_segs && doc->segs[s + n].paragraph == k)
            n++;
        if (!(bi->paras[k].pieces = calloc(2 * n + 1, sizeof *bi->paras[k].pieces)))
            goto fail;
        for (; s < doc->n_segs && doc->segs[s].paragraph == k; s++) {
            size_t start = doc->segs[s].start - cut->para_start[k];
            if (add_gap(&bi->paras[k], src, &at, &ci, start) != 0 ||
                add_segment(&bi->paras[k], fdoc, cut, &doc->segs[s], s, &at, &ci) != 0)
                goto fail;
        }
        if (add_gap(&bi->paras[k], src, &at, &ci, src->len) != 0)
            goto fail;
    }
    return 0;
fail:
    xlate_bidoc_free(bi);
    return oom(err, fdoc->name);
}

static int has_target(const xlate_bi_para *p) {
    for (size_t i = 0; i < p->n_pieces; i++)
        if (p->pieces[i].is_segment && p->pieces[i].target.text)
            return 1;
    return 0;
}

int xlate_document_apply(xlate_fdoc *fdoc, const xlate_bidoc *bi, xlate_error *err) {
    for (size_t k = 0; k < fdoc->n_paras; k++) {
        xlate_para *p = &fdoc->paras[k];
        xlate_fragment_free(&p->target);
        p->needs_review = xlate_bi_para_needs_review(&bi->paras[k]);
        if (!has_target(&bi->paras[k]))
            continue;
        if (xlate_bi_para_join(&bi->paras[k], &p->target) != 0 ||
            (p->n_presegs && xlate_bi_para_set_preseg_targets(&bi->paras[k], p) != 0))
            return oom(err, fdoc->name);
    }
    return 0;
}
