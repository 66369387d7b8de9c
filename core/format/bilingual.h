/*
 * bilingual: a document's paragraphs as the pipeline cut them — each paragraph a row of pieces,
 * segments (source, translation, what the plugins said) and the text between them that nobody
 * translates — and the one rule that joins the pieces back into a paragraph's translation. Built
 * by the pipeline after the chain (or read back from a translated XLIFF by merge); read by the
 * XLIFF export and by `--format doc` through the document's format module.
 */
#ifndef XLATE_CORE_BILINGUAL_H
#define XLATE_CORE_BILINGUAL_H

#include <stddef.h>
#include "document.h"
#include "error.h"
#include "format.h"

typedef struct xlate_bi_piece {
    int is_segment;          /* 0: text between segments, written back as it is */
    xlate_fragment source;   /* owned; code ids are the paragraph's (xlate_code.id) */
    xlate_fragment target;   /* owned; segments only: the translation, text NULL when none */
    const xlate_seg *seg;    /* segments of a run: the pipeline's segment (status, messages, terms,
                              * output id), borrowed from the xlate_doc; NULL when read back */
    char *id;                /* owned or NULL: the segment's id in XLIFF ("1", "s3") */
    int final;               /* read back: the file says the target is done (state final,
                              * translated, signed-off; approved="yes") */
    int needs_review;        /* read back: the file asks for a review of the target (1.2 state
                              * needs-review-*, 2.x subState xlate:needs-review as the export
                              * writes for a segment with a warning) */
    int codes_borrowed;      /* 1: the strings of source's and target's codes (data, name,
                              * native_id) are borrowed from what the piece was cut from, which
                              * outlives it, and are not freed with it; the texts and the code
                              * arrays stay owned. 0: all owned */
} xlate_bi_piece;

typedef struct xlate_bi_para {
    xlate_bi_piece *pieces;  /* owned, in paragraph order; their sources joined are the source */
    size_t n_pieces;
} xlate_bi_para;

typedef struct xlate_bidoc {
    const xlate_fdoc *fdoc;  /* borrowed: the paragraphs' ids, notes and codes' data */
    xlate_bi_para *paras;    /* owned; fdoc->n_paras of them */
    const char *original;    /* borrowed: the document's bytes as read, for the skeleton that
                              * merge rebuilds the document from */
    size_t original_len;
} xlate_bidoc;

/* The paragraph's translation: each piece's target (or its source when it has none, or when its
 * segment failed or was filtered) and each gap's source, joined in order, every code of the
 * pieces kept at its place. Returns 0 with *out filled (free with xlate_fragment_free), or -1
 * when out of memory. */
XLATE_MUST_CHECK int xlate_bi_para_join(const xlate_bi_para *p, xlate_fragment *out);

/* Gives each preseg of `p` its own segment's translation (the contract in format.h's xlate_para):
 * segment piece j of `bp` is the j-th preseg that is not empty, as the pipeline cuts them. A
 * piece whose translation the join uses (not failed, not filtered, not a target the document
 * brought and the run kept) replaces its preseg's target; the others keep what the document had.
 * Sets p->presegs_set when the pieces are the presegs' segments. Returns 0, or -1 when out of
 * memory. */
XLATE_MUST_CHECK int xlate_bi_para_set_preseg_targets(const xlate_bi_para *bp, xlate_para *p);

/* 1 when a segment piece of the paragraph failed or has a warning, or (read back) the file asks
 * for its review (xlate_para.needs_review). */
int xlate_bi_para_needs_review(const xlate_bi_para *p);

void xlate_bi_para_free(xlate_bi_para *p);
void xlate_bidoc_free(xlate_bidoc *d);

#endif
