/*
 * align_lengths: Gale–Church length cost and bead priors. See align_lengths.h.
 */
#include <math.h>

#include "align_lengths.h"

/* Gale and Church's variance of the length difference per character. */
static const double VARIANCE = 6.8;
/* A cost no bead gets more of: beyond it every length mismatch is as bad. */
static const double MAX_COST = 30.0;

double xlate_align_length_ratio(size_t src_chars, size_t tgt_chars) {
    if (!src_chars || !tgt_chars)
        return 1.0;
    double r = (double)tgt_chars / (double)src_chars;
    return r < 0.5 ? 0.5 : r > 2.0 ? 2.0 : r;
}

static double delta(size_t src_len, size_t tgt_len, double ratio) {
    double ls = (double)src_len, lt = (double)tgt_len;
    double mean = (ls + lt / ratio) / 2.0;
    if (mean < 1.0)
        mean = 1.0;
    return (lt - ls * ratio) / sqrt(mean * VARIANCE);
}

double xlate_align_length_fit(size_t src_len, size_t tgt_len, double ratio) {
    /* two-tailed: P(|Z| >= |δ|) = erfc(|δ| / √2) */
    return erfc(fabs(delta(src_len, tgt_len, ratio)) / sqrt(2.0));
}

double xlate_align_length_cost(size_t src_len, size_t tgt_len, double ratio) {
    double p = xlate_align_length_fit(src_len, tgt_len, ratio);
    if (p <= 0.0)
        return MAX_COST;
    double c = -log(p);
    return c > MAX_COST ? MAX_COST : c;
}

double xlate_align_bead_prior(int n_src, int n_tgt) {
    double p;
    if (n_src == 1 && n_tgt == 1)
        p = 0.89;
    else if (n_src == 0 || n_tgt == 0)
        p = 0.01; /* Gale-Church had 0.0099 for both; news pages carry more lines of their own */
    else if (n_src == 2 && n_tgt == 2)
        p = 0.011;
    else
        p = 0.089 / 2;
    return -log(p);
}
