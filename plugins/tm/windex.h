/*
 * windex: the word index of fuzzy lookups — a prefix filter with full recall. A fuzzy score of
 * T or more (fuzzy.h: 100 * (L - d) / L over words, L the longer sentence) needs the two
 * sentences to share at least ceil(T * L / 100) words, counted with repeats. Each word
 * occurrence becomes a token (the pair, the word's 32-bit hash, which occurrence of it); tokens
 * are put in one fixed order: rarer words first, by the word counts frozen at the memory's last
 * ranking (a word it did not count is taken as the rarest), then by token. Two word multisets
 * sharing t tokens share a token among the first |x| - t + 1 of each. So the memory indexes each
 * unit's first |r| - ceil(XLATE_TM_INDEX_MIN * |r| / 100) + 1 tokens, a lookup at threshold T
 * probes its first |q| - ceil(T * |q| / 100) + 1, and every unit that can score T is among the
 * units found; rare words make those lists short. The candidates are then cut by length and
 * verified with a banded word Levenshtein over the word hashes stored with each unit.
 * tm_store.c keeps the index and the counts in SQLite.
 */
#ifndef XLATE_TM_WINDEX_H
#define XLATE_TM_WINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"

/* The lowest threshold the index answers; a lookup below it scans the pair's units. */
#define XLATE_TM_INDEX_MIN 50

/* The tokens of a unit's or query's words (32-bit hashes w, with their frozen counts df), in
 * the index's order. *out is malloc'd (NULL when there are no words); returns 0, or -1 when out
 * of memory. */
int xlate_tm_tokens(long long pair, const uint32_t *w, const uint32_t *df, size_t n,
                    uint64_t **out);

/* The same into the caller's `out`, which holds n tokens. Returns 0, or -1 when out of memory. */
int xlate_tm_tokens_to(long long pair, const uint32_t *w, const uint32_t *df, size_t n,
                       uint64_t *out);

/* The words two sentences must share, counted with repeats, for a score of `threshold` when the
 * longer has n words: ceil(threshold * n / 100). */
size_t xlate_tm_must_share(size_t n, int threshold);

/* How many of its first tokens a sentence of n words must have in common with any sentence
 * scoring `threshold` with it: n - ceil(threshold * n / 100) + 1 (at most n). */
size_t xlate_tm_prefix_len(size_t n, int threshold);

/* Of the tokens a sentence of nr words shares with one scoring `threshold` (>= the index's
 * lowest) with it, how many are sure to be among the first xlate_tm_prefix_len(nr,
 * XLATE_TM_INDEX_MIN) tokens that the index holds: ceil(T nr / 100) - ceil(MIN nr / 100) + 1.
 * A lookup that probes k tokens past its prefix finds at least min(k + 1, this) of them. */
size_t xlate_tm_sure_hits(size_t nr, int threshold);

/* The 32-bit hash a unit's word is stored as, for verifying candidates. */
static inline uint32_t xlate_tm_word32(uint64_t h) { return (uint32_t)(h ^ (h >> 32)); }

/* Nonzero when sentences of nq and nr words can score `threshold`: the shorter must hold
 * threshold% of the longer's words. */
int xlate_tm_lengths_may_score(size_t nq, size_t nr, int threshold);

/* The most word edits sentences of nq and nr words can be apart and still score `threshold`. */
size_t xlate_tm_max_distance(size_t nq, size_t nr, int threshold);

/* The word edit distance of a and b when it is at most k, else k + 1 (a band of k around the
 * diagonal, stopping as soon as no cell of a row is within k). work holds 2 * (nb + 1) values. */
size_t xlate_tm_distance_within(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                                size_t k, uint32_t *work);

/* Unsigned LEB128: writes v at p (at most 10 bytes), returns the bytes written. */
size_t xlate_tm_varint_put(uint8_t *p, uint64_t v);
/* Reads one at *p (advanced); returns 0, or -1 when the bytes end inside it. Inline: a fuzzy
 * lookup reads tens of thousands of postings. */
static inline int xlate_tm_varint_get(const uint8_t **p, const uint8_t *end, uint64_t *v) {
    uint64_t r = 0;
    for (unsigned shift = 0; *p < end && shift < 64; shift += 7) {
        uint8_t c = *(*p)++;
        r |= (uint64_t)(c & 0x7F) << shift;
        if (!(c & 0x80)) {
            *v = r;
            return 0;
        }
    }
    return -1;
}

#endif
