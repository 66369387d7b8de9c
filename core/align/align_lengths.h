/*
 * align_lengths: Gale and Church's length model (1993). The lengths of a sentence and of its
 * translation, in characters, differ by a normally distributed amount that grows with the
 * length: δ = (l_t − c·l_s) / sqrt(l·s²). The cost of a bead is −log of the probability of a
 * difference at least that large, plus −log of the bead type's prior. The aligner's cost of a bead
 * starts here; the length-only baseline is this alone.
 */
#ifndef XLATE_CORE_ALIGN_LENGTHS_H
#define XLATE_CORE_ALIGN_LENGTHS_H

#include <stddef.h>

/* Characters of the target per character of the source: the pair's own ratio, measured over the
 * two texts (clamped to 0.5..2), so that no table of language pairs is needed. */
double xlate_align_length_ratio(size_t src_chars, size_t tgt_chars);

/* −log P(|δ| at least this) for a bead of src_len and tgt_len characters. */
double xlate_align_length_cost(size_t src_len, size_t tgt_len, double ratio);

/* The probability itself, 0..1: how well the lengths fit. */
double xlate_align_length_fit(size_t src_len, size_t tgt_len, double ratio);

/* −log of the prior of a bead of n_src and n_tgt sentences (Gale–Church's frequencies). */
double xlate_align_bead_prior(int n_src, int n_tgt);

#endif
