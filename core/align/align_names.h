/*
 * align_names: names across scripts. A capitalized word of either side is transliterated with ICU
 * ("Any-Latin; Latin-ASCII": Столтенберг → Stoltenberg, Харківській → Harkivsʹkij → Harkivs'kij)
 * and reduced to a skeleton that spellings of one name share — lowercase consonants, the digraphs
 * of English romanization folded (kh → h, zh → z, ch → c, sh → s, ts → c), g and h one letter,
 * doubles single — whose first KEY letters are the name's key: a shared prefix, so that inflected
 * forms (Харківській, Kharkiv) meet. Used by align_anchors to make names anchors.
 */
#ifndef XLATE_CORE_ALIGN_NAMES_H
#define XLATE_CORE_ALIGN_NAMES_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

typedef struct xlate_align_names xlate_align_names;

/* A transliterator and a cache of the keys it made. One per thread. Returns 0, or -1 with err. */
XLATE_MUST_CHECK int xlate_align_names_new(xlate_align_names **out, xlate_error *err);
void xlate_align_names_free(xlate_align_names *n);

/* The skeleton of `word` (UTF-8) written to out (NUL-terminated, at most size − 1 letters). Returns
 * its length, or -1 when the word cannot be transliterated. */
int xlate_align_name_skeleton(xlate_align_names *n, const char *word, size_t len, char *out, size_t size);

/* The key of `word` (UTF-8, `len` bytes) when it is capitalized and its skeleton has at least two
 * letters: returns 1 with *key set, 0 when the word is no name, -1 when out of memory. */
XLATE_MUST_CHECK int xlate_align_name_key(xlate_align_names *n, const char *word, size_t len, uint64_t *key);

#endif
