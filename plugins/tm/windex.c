/*
 * windex: the prefix filter's tokens and order, the length filter and the banded word distance
 * (see windex.h).
 */
#include "windex.h"

#include <stdlib.h>

typedef struct ordered {
    uint32_t df;   /* the word's frozen count: rarer first */
    uint64_t tok;
} ordered;

static int by_order(const void *a, const void *b) {
    const ordered *x = a, *y = b;
    if (x->df != y->df)
        return x->df < y->df ? -1 : 1;
    return (x->tok > y->tok) - (x->tok < y->tok);
}

static uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* ceil(t * n / 100): the words two sentences must share (see windex.h). */
static size_t must_share(size_t n, int threshold) {
    return ((size_t)threshold * n + 99) / 100;
}

size_t xlate_tm_must_share(size_t n, int threshold) { return must_share(n, threshold); }

size_t xlate_tm_prefix_len(size_t n, int threshold) {
    size_t share = must_share(n, threshold);
    return share == 0 ? n : n - share + 1;
}

size_t xlate_tm_sure_hits(size_t nr, int threshold) {
    return must_share(nr, threshold) - must_share(nr, XLATE_TM_INDEX_MIN) + 1;
}

int xlate_tm_tokens(long long pair, const uint32_t *w, const uint32_t *df, size_t n,
                    uint64_t **out) {
    *out = NULL;
    if (n == 0)
        return 0;
    *out = malloc(n * sizeof **out);
    if (!*out || xlate_tm_tokens_to(pair, w, df, n, *out) != 0) {
        free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

/* A sentence's few dozen tokens are ordered on the stack: every unit of an import comes
 * through here, and a malloc each cost more than the sort. */
#define TOKENS_ON_STACK 64

int xlate_tm_tokens_to(long long pair, const uint32_t *w, const uint32_t *df, size_t n,
                       uint64_t *out) {
    if (n == 0)
        return 0;
    ordered local[TOKENS_ON_STACK];
    ordered *o = n <= TOKENS_ON_STACK ? local : malloc(n * sizeof *o);
    if (!o)
        return -1;
    for (size_t i = 0; i < n; i++) {
        /* The k-th occurrence of a word is its own token, so that repeats count. */
        uint64_t occ = 0;
        for (size_t j = 0; j < i; j++)
            occ += w[j] == w[i];
        o[i].df = df[i];
        o[i].tok = mix(w[i] ^ mix((uint64_t)pair * 0x9E3779B97F4A7C15ull + occ));
    }
    /* An insertion sort at that size, cheaper than qsort's calls. */
    if (n <= TOKENS_ON_STACK)
        for (size_t i = 1; i < n; i++) {
            ordered x = o[i];
            size_t j = i;
            while (j > 0 && by_order(&x, &o[j - 1]) < 0) {
                o[j] = o[j - 1];
                j--;
            }
            o[j] = x;
        }
    else
        qsort(o, n, sizeof *o, by_order);
    for (size_t i = 0; i < n; i++)
        out[i] = o[i].tok;
    if (o != local)
        free(o);
    return 0;
}

int xlate_tm_lengths_may_score(size_t nq, size_t nr, int threshold) {
    size_t lo = nq < nr ? nq : nr, hi = nq < nr ? nr : nq;
    return 100 * lo >= (size_t)threshold * hi;
}

size_t xlate_tm_max_distance(size_t nq, size_t nr, int threshold) {
    size_t longer = nq > nr ? nq : nr;
    return (100 - (size_t)threshold) * longer / 100;
}

size_t xlate_tm_distance_within(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                                size_t k, uint32_t *work) {
    size_t diff = na > nb ? na - nb : nb - na;
    if (diff > k)
        return k + 1;
    if (na == 0 || nb == 0)
        return diff;
    const uint32_t inf = (uint32_t)(k + 1);
    uint32_t *prev = work, *cur = work + nb + 1;
    for (size_t j = 0; j <= nb; j++)
        prev[j] = j <= k ? (uint32_t)j : inf;
    for (size_t i = 1; i <= na; i++) {
        size_t lo = i > k ? i - k : 1, hi = i + k < nb ? i + k : nb;
        cur[lo - 1] = lo == 1 && i <= k ? (uint32_t)i : inf;
        uint32_t row_min = cur[lo - 1];
        for (size_t j = lo; j <= hi; j++) {
            uint32_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (best > inf)
                best = inf;
            cur[j] = best;
            if (best < row_min)
                row_min = best;
        }
        if (hi < nb)
            cur[hi + 1] = inf;
        if (row_min > k)
            return k + 1;
        uint32_t *t = prev;
        prev = cur;
        cur = t;
    }
    return prev[nb] > k ? k + 1 : prev[nb];
}

size_t xlate_tm_varint_put(uint8_t *p, uint64_t v) {
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}
