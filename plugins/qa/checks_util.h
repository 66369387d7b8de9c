/*
 * checks_util: what the checks share to say where a problem is: a short list of quoted excerpts
 * ("“1 000”, “5” and 2 more") for a message, and a case-insensitive search for a term.
 */
#ifndef XLATE_QA_CHECKS_UTIL_H
#define XLATE_QA_CHECKS_UTIL_H

#include <stddef.h>

#include "qa_scan.h"

#define QA_LIST_SHOWN 3

typedef struct qa_list {
    char items[192]; /* the first QA_LIST_SHOWN items, quoted */
    char text[224];  /* the items, then "and N more" */
    size_t n;
} qa_list;

#define QA_LIST_INIT {{0}, {0}, 0}

/* Adds text[start, end) to the list (shortened at a character boundary when long). */
void qa_list_add(qa_list *l, const char *text, size_t start, size_t end);

/* Writes text[0, len) quoted into out (outlen bytes), cut at a character boundary with "…" when
 * longer than `max` bytes. */
void qa_quote(char *out, size_t outlen, const char *text, size_t len, size_t max);

/* Pairs the source's tokens of the kinds in `kinds` (bits 1u << qa_token_kind) not yet matched
 * with the target's that have the same text (by_value 0) or the same value (by_value 1), marking
 * both matched: each token pairs once. Sorted and merged, so a segment with thousands of numbers
 * costs n log n, not n². */
void qa_match_tokens(qa_profile *src, const char *src_text, qa_profile *tgt, const char *tgt_text,
                     unsigned kinds, int by_value);

/* 1 when needle occurs in hay ignoring case (ICU case folding). */
int qa_contains_folded(const char *hay, size_t hlen, const char *needle, size_t nlen);

/* The same, but only where neither end of the match touches a letter or a digit: a whole word
 * or words. */
int qa_contains_word_folded(const char *hay, size_t hlen, const char *needle, size_t nlen);

#endif
