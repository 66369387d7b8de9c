/*
 * bilingual: joins a paragraph's pieces (segments and the text between them) back into the
 * paragraph's translation, codes and all (bilingual.h). The one place that decides what a
 * paragraph becomes, for `--format doc` and for merge alike.
 */
#include "bilingual.h"

#include <stdlib.h>
#include <string.h>

/* The fragment a piece contributes: a segment's translation when it has a usable one, else its
 * source (a failed or filtered segment is written as the document had it). */
static const xlate_fragment *piece_output(const xlate_bi_piece *pc) {
    if (!pc->is_segment || !pc->target.text)
        return &pc->source;
    if (pc->seg && (pc->seg->status == XLATE_SEG_FAILED || pc->seg->status == XLATE_SEG_FILTERED))
        return &pc->source;
    return &pc->target;
}

static int append_fragment(xlate_fragment *out, const xlate_fragment *f) {
    size_t base = out->len;
    if (xlate_fragment_append(out, f->text ? f->text : "", f->len) != 0)
        return -1;
    if (!f->n_codes)
        return 0;
    xlate_code *codes = realloc(out->codes, (out->n_codes + f->n_codes) * sizeof *codes);
    if (!codes)
        return -1;
    out->codes = codes;
    for (size_t i = 0; i < f->n_codes; i++) {
        const xlate_code *c = &f->codes[i];
        xlate_code d = {c->kind, base + c->pos, c->id, c->data ? strdup(c->data) : NULL,
                        c->name ? strdup(c->name) : NULL, c->native_id ? strdup(c->native_id) : NULL};
        out->codes[out->n_codes++] = d;
        if ((c->data && !d.data) || (c->name && !d.name) || (c->native_id && !d.native_id))
            return -1;
    }
    return 0;
}

int xlate_bi_para_join(const xlate_bi_para *p, xlate_fragment *out) {
    memset(out, 0, sizeof *out);
    if (xlate_fragment_append(out, "", 0) != 0)
        return -1;
    for (size_t i = 0; i < p->n_pieces; i++)
        if (append_fragment(out, piece_output(&p->pieces[i])) != 0) {
            xlate_fragment_free(out);
            return -1;
        }
    return 0;
}

int xlate_bi_para_set_preseg_targets(const xlate_bi_para *bp, xlate_para *p) {
    size_t j = 0;
    for (size_t i = 0; i < bp->n_pieces; i++) {
        const xlate_bi_piece *pc = &bp->pieces[i];
        if (!pc->is_segment)
            continue;
        while (j < p->n_presegs && p->presegs[j].span.end <= p->presegs[j].span.start)
            j++;
        if (j == p->n_presegs)
            return 0; /* more segments than presegs: not cut from them; the writer cuts */
        xlate_preseg *pr = &p->presegs[j++];
        /* A target the document brought and the run kept stays as the document has it. */
        if (piece_output(pc) != &pc->target || (pc->seg && pc->seg->preset))
            continue;
        xlate_fragment copy;
        if (xlate_fragment_copy(&copy, &pc->target) != 0)
            return -1;
        xlate_fragment_free(&pr->target);
        pr->target = copy;
    }
    p->presegs_set = 1;
    return 0;
}

int xlate_bi_para_needs_review(const xlate_bi_para *p) {
    for (size_t i = 0; i < p->n_pieces; i++) {
        const xlate_bi_piece *pc = &p->pieces[i];
        const xlate_seg *s = pc->seg;
        if (pc->is_segment && pc->needs_review && pc->target.text)
            return 1;
        if (pc->is_segment && s && s->status != XLATE_SEG_OK && s->status != XLATE_SEG_FILTERED)
            return 1;
    }
    return 0;
}

static void piece_fragment_free(xlate_fragment *f, int codes_borrowed) {
    if (!codes_borrowed) {
        xlate_fragment_free(f);
        return;
    }
    free(f->codes);
    free(f->text);
    memset(f, 0, sizeof *f);
}

void xlate_bi_para_free(xlate_bi_para *p) {
    for (size_t i = 0; i < p->n_pieces; i++) {
        piece_fragment_free(&p->pieces[i].source, p->pieces[i].codes_borrowed);
        piece_fragment_free(&p->pieces[i].target, p->pieces[i].codes_borrowed);
        free(p->pieces[i].id);
    }
    free(p->pieces);
    memset(p, 0, sizeof *p);
}

void xlate_bidoc_free(xlate_bidoc *d) {
    if (d->paras && d->fdoc)
        for (size_t i = 0; i < d->fdoc->n_paras; i++)
            xlate_bi_para_free(&d->paras[i]);
    free(d->paras);
    memset(d, 0, sizeof *d);
}
