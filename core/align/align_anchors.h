/*
 * align_anchors: what a sentence offers the aligner besides its length — anchors that need no
 * dictionary (numbers, month names read as their numbers, URLs and e-mail addresses, quotation
 * marks, colons, question and exclamation marks, parentheses), names across scripts
 * (align_names.h), the terms of a bilingual dictionary (align_dict.h), and, for the MT similarity,
 * the words of a sentence or of its machine translation. Each becomes a 64-bit hash; a sentence's
 * hashes are kept sorted, so two sentences are compared by one merge.
 */
#ifndef XLATE_CORE_ALIGN_ANCHORS_H
#define XLATE_CORE_ALIGN_ANCHORS_H

#include <stddef.h>
#include <stdint.h>
#include "align_dict.h"
#include "align_names.h"
#include "error.h"

/* The features of one sentence (or, merged, of a paragraph). */
typedef struct xlate_align_feat {
    size_t chars;          /* code points */
    uint64_t *anchors;     /* owned, sorted; a multiset */
    size_t n_anchors;
    size_t n_weak;         /* of them, names at the sentence's start, which any capital word is */
    uint64_t *words;       /* owned, sorted; NULL unless MT similarity is on */
    size_t n_words;
} xlate_align_feat;

typedef struct xlate_align_feat_options {
    int anchors;                   /* 0: length only */
    xlate_align_names *names;      /* borrowed */
    const xlate_align_dict *dict;  /* borrowed, or NULL */
    int dict_side;                 /* 0: this is the source side; 1: the target */
} xlate_align_feat_options;

/* The features of text[0, len). `words_of`, when not NULL, is the text whose words go into
 * ->words (the sentence itself on the target side, its machine translation on the source side).
 * Returns 0, or -1 when out of memory. */
XLATE_MUST_CHECK int xlate_align_features(const xlate_align_feat_options *o, const char *text, size_t len,
                                          const char *words_of, xlate_align_feat *out);

/* Merges the features of feats[0, n) into out (a paragraph's from its sentences). */
XLATE_MUST_CHECK int xlate_align_feat_merge(const xlate_align_feat *feats, size_t n, int with_words,
                                            xlate_align_feat *out);

void xlate_align_feat_free(xlate_align_feat *f);

/* How many elements the sorted multisets a1 ∪ a2 and b1 ∪ b2 have in common (each of a1, a2, b1,
 * b2 sorted; n = 0 for one that is absent). */
size_t xlate_align_common(const uint64_t *a1, size_t na1, const uint64_t *a2, size_t na2,
                          const uint64_t *b1, size_t nb1, const uint64_t *b2, size_t nb2);

#endif
