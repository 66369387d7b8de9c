/*
 * align: sentence alignment of a text and its translation, after both went through decode,
 * normalize and segment. Each side's sentences get features (align_anchors.h: lengths, numbers,
 * URLs, names across scripts, dictionary terms, and the words of a machine translation when one is
 * given); a dynamic programme over beads 1-1, 1-0, 0-1, 2-1 and 1-2 (align_dp.h) pairs them,
 * paragraphs first and then the sentences inside a band around the paragraph path, so that time
 * and memory grow with the text, not with its square. Knows nothing of files or writers: the
 * command (core/cli/cmd_align.c) reads the files and writes the beads (align_write.h).
 */
#ifndef XLATE_CORE_ALIGN_H
#define XLATE_CORE_ALIGN_H

#include <stddef.h>
#include "align_dict.h"
#include "error.h"
#include "segment.h"

/* One side of a pair: the normalized text and its sentence spans (segment.h), borrowed. `mt`, on
 * the source side only and may be NULL: the machine translation of each sentence (n_spans
 * strings, NULL for a sentence the translator left), whose words are compared with the target's. */
typedef struct xlate_align_side {
    const char *text;
    const xlate_span *spans;
    size_t n_spans;
    const char *lang;              /* BCP 47 tag: "uk", "en" */
    const char *const *mt;
} xlate_align_side;

typedef struct xlate_align_options {
    int length_only;               /* Gale–Church alone: no anchors, names, dictionary or MT */
    const xlate_align_dict *dict;  /* borrowed, or NULL */
    int threshold;                 /* 0..100: a pair scoring below is marked low */
} xlate_align_options;

#define XLATE_ALIGN_THRESHOLD_DEFAULT 30
#define XLATE_ALIGN_OPTIONS_INIT {0, NULL, XLATE_ALIGN_THRESHOLD_DEFAULT}

/* One bead: source sentences [src, src + n_src) with target sentences [tgt, tgt + n_tgt), 0-based
 * indexes into the sides' spans. n_src or n_tgt is 0 for a sentence left unaligned. */
typedef struct xlate_align_bead {
    size_t src, tgt;
    unsigned char n_src, n_tgt;
    int score;                     /* 0..100; 0 for an unaligned sentence */
    int low;                       /* a pair below the threshold */
} xlate_align_bead;

/* What an aligner keeps between documents: the transliterator and the cache of names it made.
 * One per thread. */
typedef struct xlate_aligner xlate_aligner;

XLATE_MUST_CHECK int xlate_aligner_new(const xlate_align_options *opts, xlate_aligner **out, xlate_error *err);
void xlate_aligner_free(xlate_aligner *a);

/* Aligns src with tgt. *beads (free()) covers every sentence of both sides once, in order.
 * Returns 0, or -1 with err set (out of memory). */
XLATE_MUST_CHECK int xlate_align(xlate_aligner *a, const xlate_align_side *src, const xlate_align_side *tgt,
                                 xlate_align_bead **beads, size_t *n_beads, xlate_error *err);

#endif
