/*
 * fuzzy: the word-level edit distance and score, and number repair (see fuzzy.h). The distance
 * is the classic two-row dynamic programme over word hashes (then bytes, so that a hash
 * collision never makes two words equal).
 */
#include "fuzzy.h"

#include <stdlib.h>
#include <string.h>

static int same_word(const xlate_tm_word *a, const xlate_tm_word *b) {
    return a->hash == b->hash && a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

long xlate_tm_word_distance(const xlate_tm_word *a, size_t na, const xlate_tm_word *b, size_t nb) {
    if (na == 0 || nb == 0)
        return (long)(na + nb);
    long *row = malloc((nb + 1) * sizeof *row);
    if (!row)
        return -1;
    for (size_t j = 0; j <= nb; j++)
        row[j] = (long)j;
    for (size_t i = 1; i <= na; i++) {
        long diag = row[0];
        row[0] = (long)i;
        for (size_t j = 1; j <= nb; j++) {
            long up = row[j];
            long best = diag + !same_word(&a[i - 1], &b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    long d = row[nb];
    free(row);
    return d;
}

int xlate_tm_score(const xlate_tm_word *a, size_t na, const xlate_tm_word *b, size_t nb, int same_key) {
    if (same_key)
        return 100;
    size_t longer = na > nb ? na : nb;
    if (longer == 0)
        return 0;
    long d = xlate_tm_word_distance(a, na, b, nb);
    if (d < 0)
        return -1;
    int score = (int)(100 * (longer - (size_t)d) / longer);
    return score > 99 ? 99 : score;
}

char *xlate_tm_repair(const char *mem_key, size_t mem_key_len, const char *new_key,
                      size_t new_key_len, const char *target, size_t target_len, int *status) {
    xlate_tm_span *m = NULL, *s = NULL, *t = NULL;
    size_t nm = xlate_tm_numbers(mem_key, mem_key_len, &m);
    size_t ns = xlate_tm_numbers(new_key, new_key_len, &s);
    size_t nt = xlate_tm_numbers(target, target_len, &t);
    char *out = NULL;
    *status = 0;
    if (nm == (size_t)-1 || ns == (size_t)-1 || nt == (size_t)-1)
        goto done;
    *status = 1;
    if (nm != ns || nm == 0)
        goto done;
    /* Every number of the memory's source must stand in the target. */
    for (size_t k = 0; k < nm; k++) {
        size_t j = 0, mlen = m[k].end - m[k].start;
        while (j < nt && !(t[j].end - t[j].start == mlen &&
                           memcmp(target + t[j].start, mem_key + m[k].start, mlen) == 0))
            j++;
        if (j == nt)
            goto done;
    }
    size_t cap = target_len + 1;
    for (size_t k = 0; k < ns; k++)
        cap += s[k].end - s[k].start;
    out = malloc(cap);
    if (!out) {
        *status = 0;
        goto done;
    }
    size_t o = 0, at = 0;
    for (size_t j = 0; j < nt; j++) {
        const char *tn = target + t[j].start;
        size_t tlen = t[j].end - t[j].start;
        const xlate_tm_span *repl = NULL;
        for (size_t k = 0; k < nm; k++) {
            if (m[k].end - m[k].start != tlen || memcmp(mem_key + m[k].start, tn, tlen) != 0)
                continue;
            /* One number of the memory standing for two different new ones: which one goes
             * here is a guess, so the match is not repaired. */
            if (repl && (repl->end - repl->start != s[k].end - s[k].start ||
                         memcmp(new_key + repl->start, new_key + s[k].start,
                                repl->end - repl->start) != 0)) {
                free(out);
                out = NULL;
                goto done;
            }
            repl = &s[k];
        }
        if (!repl) {  /* a number the memory's source does not have */
            free(out);
            out = NULL;
            goto done;
        }
        memcpy(out + o, target + at, t[j].start - at);
        o += t[j].start - at;
        memcpy(out + o, new_key + repl->start, repl->end - repl->start);
        o += repl->end - repl->start;
        at = t[j].end;
    }
    memcpy(out + o, target + at, target_len - at);
    o += target_len - at;
    out[o] = '\0';
    *status = 0;
done:
    free(m);
    free(s);
    free(t);
    return out;
}
