/*
 * key: the match keys of the translation memory, computed from a segment's source before any
 * lookup or store. The exact key is the source with whitespace runs folded into one space and
 * every quote or apostrophe style folded into one of each, case kept (NFC comes from the host,
 * or from the importing tool); the number key is the exact key with each number (and each date
 * written in digits) replaced by one mark, so that sentences differing only in their numbers
 * share it. Words are what the fuzzy score (fuzzy.h) and the candidate index count.
 * ICU-free on purpose: a plugin computes its keys with what it has.
 */
#ifndef XLATE_TM_KEY_H
#define XLATE_TM_KEY_H

#include <stddef.h>
#include <stdint.h>

/* The mark a number becomes in the number key: a control character, which no normalized
 * sentence holds. */
#define XLATE_TM_NUMBER_MARK '\x01'

/* The exact key of `text` (len bytes of UTF-8). Returns a malloc'd NUL-terminated string (the
 * caller frees it), *out_len its length; NULL when out of memory. */
char *xlate_tm_key(const char *text, size_t len, size_t *out_len);

/* The same key written to `out`, which holds len + 1 bytes (the key is never longer than its
 * text), NUL-terminated; returns its length. For a caller that reuses one buffer. */
size_t xlate_tm_key_to(const char *text, size_t len, char *out);

/* A number found in a text: bytes [start, end). */
typedef struct xlate_tm_span {
    size_t start, end;
} xlate_tm_span;

/* The numbers of `text`, in order: runs of ASCII digits, with '.', ',', ':', '/' or '-' kept
 * inside when a digit follows ("12.05.2024", "3,5", "10:30"). *spans is malloc'd (NULL when there
 * are none; the caller frees it). Returns the count, or (size_t)-1 when out of memory. */
size_t xlate_tm_numbers(const char *text, size_t len, xlate_tm_span **spans);

/* The number key of an exact key (see above). malloc'd, NULL when out of memory. */
char *xlate_tm_number_key(const char *key, size_t len);

/* The hash (xlate_tm_hash) of the number key of an exact key, without building it. Returns 1
 * with *hash when the key has a number, 0 (and *hash 0) when it has none. */
int xlate_tm_number_hash(const char *key, size_t len, uint64_t *hash);

/* A word of a key: letters and digits, with an apostrophe inside a word or a number's
 * separators inside a number; whitespace and punctuation separate words and are not words. */
typedef struct xlate_tm_word {
    const char *text;
    size_t len;
    uint64_t hash;  /* FNV-1a of the bytes: equal words have equal hashes */
} xlate_tm_word;

/* The words of a key, in order. *words is malloc'd (NULL when none; the caller frees it).
 * Returns the count, or (size_t)-1 when out of memory. */
size_t xlate_tm_words(const char *key, size_t len, xlate_tm_word **words);

/* The same into a caller's buffer: *words (holding *cap words, NULL when 0) is grown with
 * realloc as needed, *cap updated; the caller keeps it for the next key and frees it. Returns the
 * count, or (size_t)-1 when out of memory (*words still valid and the caller's). */
size_t xlate_tm_words_to(const char *key, size_t len, xlate_tm_word **words, size_t *cap);

/* A 64-bit hash (FNV-1a) of len bytes: what the memory indexes a key by. Equal keys have equal
 * hashes; a lookup confirms a hit on the key itself, so that a collision never makes a match. */
uint64_t xlate_tm_hash(const char *s, size_t len);

#endif
