/*
 * align_dp: the dynamic programme of the aligner, over two sequences of units (sentences, or
 * paragraphs) and beads 1-1, 1-0, 0-1, 2-1, 1-2. Only the cells of a band are kept: row i (i units
 * of the source taken) holds columns lo[i]..hi[i], so that time and memory are the band's size,
 * linear in the text when the band's width is bounded. The band comes from the straight line
 * between the corners (xlate_align_band_diagonal) or from a coarser alignment's path
 * (xlate_align_band_around); the cost of each bead comes from the caller.
 */
#ifndef XLATE_CORE_ALIGN_DP_H
#define XLATE_CORE_ALIGN_DP_H

#include <stddef.h>
#include "error.h"

/* The cost of the bead that takes source units [i - di, i) and target units [j - dj, j). */
typedef double (*xlate_align_cost_fn)(void *data, size_t i, size_t j, int di, int dj);

typedef struct xlate_align_step {
    size_t i, j;     /* where the bead starts */
    int di, dj;      /* how many units of each side it takes */
} xlate_align_step;

typedef struct xlate_align_band {
    size_t n, m;     /* units of the source and of the target */
    size_t *lo, *hi; /* owned, n + 1 each: row i's columns, lo[i] <= hi[i], both non-decreasing */
} xlate_align_band;

/* The band of half-width w about the line from (0, 0) to (n, m). Returns 0, or -1 (out of memory). */
XLATE_MUST_CHECK int xlate_align_band_diagonal(size_t n, size_t m, size_t w, xlate_align_band *b);

/* The band of `margin` units on every side of a coarse path given as corners (I[k], J[k]),
 * k = 0..nk-1, from (0, 0) to (n, m), non-decreasing. Returns 0, or -1 (out of memory). */
XLATE_MUST_CHECK int xlate_align_band_around(size_t n, size_t m, const size_t *I, const size_t *J, size_t nk,
                                             size_t margin, xlate_align_band *b);

void xlate_align_band_free(xlate_align_band *b);

/* The cheapest path through the band. *steps (free()) holds its beads in order. *at_edge is set
 * when the path runs along the band's edge somewhere other than the table's border, where a wider
 * band could find a cheaper one. Returns 0, or -1 (out of memory, err set). */
XLATE_MUST_CHECK int xlate_align_dp(const xlate_align_band *b, xlate_align_cost_fn cost, void *data,
                                    xlate_align_step **steps, size_t *n_steps, int *at_edge, xlate_error *err);

#endif
