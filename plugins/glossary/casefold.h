/*
 * casefold: ICU case folding of UTF-8 into a growing buffer, for the modules of the glossary
 * plugin that compare words without case (the lemmatizer and the dictionary filter), and the
 * buffer growth they share.
 */
#ifndef XLATE_GLOSSARY_CASEFOLD_H
#define XLATE_GLOSSARY_CASEFOLD_H

#include "xp_buf.h" /* XP_MUST_CHECK */

#include <stddef.h>
#include <unicode/ucasemap.h>

/* Makes *buf hold at least `need` bytes, doubling from 256. Returns 0, or -1 out of memory.
 * The fold buffer grows with it, and so do the plugin's other scratch buffers. */
XP_MUST_CHECK int xlate_grow_bytes(char **buf, size_t *cap, size_t need);

/* Folds `len` bytes of s into *buf (grown as needed, NUL-terminated) with `map` (opened with
 * U_FOLD_CASE_DEFAULT). Returns the folded length, or -1. */
long xlate_casefold(const UCaseMap *map, char **buf, size_t *cap, const char *s, size_t len);

#endif
