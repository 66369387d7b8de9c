/*
 * encode: the inverse of decode, used only at the writer end of the data path. UTF-8 → another
 * encoding for --output-encoding / --to-encoding. A character the encoding cannot hold is an error
 * naming it and its place, or is replaced when the caller asks.
 */
#ifndef XLATE_CORE_ENCODE_H
#define XLATE_CORE_ENCODE_H

#include <stddef.h>
#include "buf.h"
#include "error.h"

/* Converts `len` bytes of UTF-8 to `encoding`. With `replace` nonzero an unmappable character
 * becomes the encoding's substitute ("?"); otherwise it is an error naming the character (U+XXXX),
 * its byte offset, line and column in the UTF-8 text, and `where`. *out is allocated (free()).
 * Returns 0, or -1 with err set. */
XLATE_MUST_CHECK int xlate_encode(const char *utf8, size_t len, const char *encoding, int replace, const char *where,
                                  char **out, size_t *out_len, xlate_error *err);

/* The same conversion for output written in parts as it is made: one encoder a stream, so that
 * a stateful encoding (UTF-16 and its byte-order mark) is begun once and ended once, and a
 * character that cannot be written is placed by its offset, line and column in the whole stream. */
typedef struct xlate_encoder xlate_encoder;

/* `where` is borrowed and must outlive the encoder. Returns 0, or -1 with err set (kind USAGE for
 * an encoding iconv cannot write). */
XLATE_MUST_CHECK int xlate_encoder_new(const char *encoding, int replace, const char *where, xlate_encoder **out,
                                       xlate_error *err);

/* Appends the conversion of the next `len` bytes of the stream (whole UTF-8 characters) to `out`.
 * Returns 0, or -1 with err set. */
XLATE_MUST_CHECK int xlate_encoder_put(xlate_encoder *e, const char *utf8, size_t len, xlate_buf *out,
                                       xlate_error *err);

/* Appends what ends the stream in the encoding (a stateful encoding's reset sequence). */
XLATE_MUST_CHECK int xlate_encoder_finish(xlate_encoder *e, xlate_buf *out, xlate_error *err);

void xlate_encoder_free(xlate_encoder *e);

#endif
