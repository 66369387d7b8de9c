/*
 * encode: the inverse of decode, used only at the writer end of the data path. UTF-8 → another
 * encoding for --output-encoding / --to-encoding. A character the encoding cannot hold is an error
 * naming it and its place, or is replaced when the caller asks.
 */
#ifndef XLATE_CORE_ENCODE_H
#define XLATE_CORE_ENCODE_H

#include <stddef.h>
#include "error.h"

/* Converts `len` bytes of UTF-8 to `encoding`. With `replace` nonzero an unmappable character
 * becomes the encoding's substitute ("?"); otherwise it is an error naming the character (U+XXXX),
 * its byte offset, line and column in the UTF-8 text, and `where`. *out is allocated (free()).
 * Returns 0, or -1 with err set. */
int xlate_encode(const char *utf8, size_t len, const char *encoding, int replace, const char *where,
                 char **out, size_t *out_len, xlate_error *err);

#endif
