/*
 * fuzzy: how close a memory's source is to a new one, and the repair of a match that differs
 * only in numbers. The score is a Levenshtein distance over words (key.h's words: punctuation and
 * whitespace ignored, case kept), normalised by the longer sentence: 100 * (1 - d / max(n, m)),
 * rounded down, so that one word changed in a ten-word sentence scores 90. Sentences whose keys
 * differ never score 100 (at most 99): only an exact match is certain.
 */
#ifndef XLATE_TM_FUZZY_H
#define XLATE_TM_FUZZY_H

#include <stddef.h>

#include "key.h"

/* The word edit distance between two word lists. Returns -1 when out of memory. */
long xlate_tm_word_distance(const xlate_tm_word *a, size_t na, const xlate_tm_word *b, size_t nb);

/* The score (0..100) of two word lists, as above; `same_key` nonzero when the keys are equal. */
int xlate_tm_score(const xlate_tm_word *a, size_t na, const xlate_tm_word *b, size_t nb, int same_key);

/* Repairs a memory's target for a new source whose number key equals the memory source's: each
 * number of the target that is one of the memory source's numbers becomes the new source's number
 * at that place. Returns a malloc'd target (NULL, *status 0, when out of memory), or NULL with
 * *status 1 when the target cannot be repaired: it does not hold every number of the memory's
 * source, holds another number, or one number stands for two different new ones. */
char *xlate_tm_repair(const char *mem_key, size_t mem_key_len, const char *new_key,
                      size_t new_key_len, const char *target, size_t target_len, int *status);

#endif
