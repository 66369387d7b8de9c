/*
 * decode: the first stage of the data path. Bytes in whatever encoding they came → valid UTF-8.
 * Binary data refused, BOM strip, UTF-8 validation, conversion from a named legacy encoding
 * (iconv/ICU), and, under "auto", detection of the encoding and repair of mojibake. Knows nothing
 * of later stages.
 */
#ifndef XLATE_CORE_DECODE_H
#define XLATE_CORE_DECODE_H

#include <stddef.h>
#include "error.h"

/* What to do with bytes that are not valid in the input encoding. */
typedef enum xlate_on_invalid {
    XLATE_INVALID_ERROR = 0,   /* stop: error naming file, byte offset and the bytes around it */
    XLATE_INVALID_REPLACE = 1, /* U+FFFD for each bad sequence */
    XLATE_INVALID_SKIP = 2     /* drop the bad bytes */
} xlate_on_invalid;

typedef struct xlate_decode_options {
    const char *encoding;   /* NULL or "auto": detect; otherwise an encoding name ("cp1251") */
    xlate_on_invalid on_invalid;
    int repair_mojibake;    /* under auto: undo UTF-8 that was decoded as a legacy code page */
} xlate_decode_options;

/* Defaults: auto, error on invalid bytes, repair on. */
#define XLATE_DECODE_OPTIONS_INIT {NULL, XLATE_INVALID_ERROR, 1}

typedef struct xlate_decoded {
    char *text;          /* owned, valid UTF-8, NUL-terminated, no BOM */
    size_t len;
    char encoding[32];   /* canonical name of what the bytes were: "UTF-8", "windows-1251", ... */
    double confidence;   /* 0..1; 1 for BOM, explicit encoding or valid UTF-8 */
    int had_bom;
    int repaired;        /* mojibake was undone (number of rounds) */
    size_t invalid;      /* number of invalid sequences replaced or skipped */
} xlate_decoded;

/* Parses "error" / "replace" / "skip". Returns 0, or -1 for an unknown word. */
XLATE_MUST_CHECK int xlate_on_invalid_parse(const char *word, xlate_on_invalid *out);

/* Decodes `len` bytes. `name` is the file name used in messages ("-" for stdin). Binary data
 * (xlate_detect_binary) is refused whatever on_invalid says; the DOS end-of-file marks that may
 * end text are dropped. Returns 0 and fills *out (free with xlate_decoded_free), or -1 with err
 * set (XLATE_ERROR for bad input: "NAME: binary data (...), not text", or invalid bytes;
 * XLATE_EINVAL for an unknown encoding name). */
XLATE_MUST_CHECK int xlate_decode(const char *bytes, size_t len, const xlate_decode_options *opts, const char *name,
                                  xlate_decoded *out, xlate_error *err);

/* The same, taking over `bytes`: a malloc'd buffer with room for a NUL at bytes[len]. Valid UTF-8
 * is then used in place instead of copied (20 MB of fresh pages saved on a large file). `bytes`
 * is freed or becomes out->text, whatever the result; the caller must not touch it again. */
XLATE_MUST_CHECK int xlate_decode_owned(char *bytes, size_t len, const xlate_decode_options *opts,
                                        const char *name, xlate_decoded *out, xlate_error *err);

void xlate_decoded_free(xlate_decoded *d);

#endif
