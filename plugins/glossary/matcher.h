/*
 * matcher: finds the terms of a term map in a text, Ukrainian inflection included.
 * Sits after termmap and lemmatizer in the glossary plugin and before its process(): the plugin
 * hands it a segment's source and gets back the matched spans.
 *
 * Text and terms are cut into words (letters, digits, inner apostrophes); two words are equal
 * when their lemma keys meet (see lemmatizer.h), so "Силам оборони України" matches "Сили
 * оборони України". The punctuation between the words of a term must be the same in the text
 * (spaces, hyphens and dashes of any kind are equal and may stand for one another: "Secretary
 * General" is "Secretary-General"). Matches never overlap: at each word the
 * longest term wins (most words; then a case-sensitive term over an insensitive one; then the
 * earlier line of the map). A case-sensitive term also needs each word's capitalisation: an
 * initial capital where the term has one, none where it has none, all capitals where it is
 * written in capitals.
 */
#ifndef XLATE_GLOSSARY_MATCHER_H
#define XLATE_GLOSSARY_MATCHER_H

#include "xp_buf.h" /* XP_MUST_CHECK */

#include "lemmatizer.h"
#include "termmap.h"

#include <stddef.h>

typedef struct xlate_matcher xlate_matcher;

typedef struct xlate_match {
    size_t start;  /* byte offset of the first word of the span */
    size_t end;    /* byte offset one past its last word */
    size_t entry;  /* index of the term in the map */
} xlate_match;

/* Indexes the map's terms. The matcher borrows map and lem: both must outlive it, and lem must be
 * used by one thread at a time with it. Returns XLATE_OK, or XLATE_ERROR (a term without a word,
 * or with too many, naming map file and line) / XLATE_ENOMEM with the message in err. */
XP_MUST_CHECK int xlate_matcher_build(const xlate_termmap *map, xlate_lemmatizer *lem, xlate_matcher **out,
                                      char *err, size_t err_size);

/* Calls fn with each word of the map's source terms, cut as the matcher cuts them (the
 * vocabulary of xlate_lemmatizer_open_for). Returns 0, or fn's first non-zero result. */
XP_MUST_CHECK int xlate_matcher_term_words(const xlate_termmap *map,
                                           int (*fn)(void *arg, const char *word, size_t len), void *arg);

/* Whether a lemma key is one of the map's (a key of a term's word): the only keys of a text's
 * words the matcher compares. Fits xlate_lemmatizer_focus (m as arg). */
XP_MUST_CHECK int xlate_matcher_has_key(void *m, const char *key, size_t len);

/* A stretch of the text that no match may overlap: a span an earlier plugin recorded. */
typedef struct xlate_byte_range {
    size_t start, end;
} xlate_byte_range;

/* Finds the terms in text, in text order. `blocked` lists n_blocked ranges in source order,
 * without overlaps (a segment's term spans). A term that would overlap one of them
 * is passed over for the next best at its place ("Сили оборони" when "України" is blocked in
 * "Сили оборони України"). *matches stays valid until the next call; returns XLATE_OK or
 * XLATE_ENOMEM. */
XP_MUST_CHECK int xlate_matcher_find(xlate_matcher *m, const char *text, size_t len,
                                     const xlate_byte_range *blocked, size_t n_blocked,
                                     const xlate_match **matches, size_t *n_matches);

void xlate_matcher_free(xlate_matcher *m);

#endif
