/*
 * normalize: the second stage. Valid UTF-8 → clean UTF-8 with ICU: Unicode normalization form,
 * CR LF to LF, Ukrainian apostrophes unified, invisible characters removed, look-alike letters of
 * the other script fixed. Takes decode's output, gives segment its input.
 */
#ifndef XLATE_CORE_NORMALIZE_H
#define XLATE_CORE_NORMALIZE_H

#include <stddef.h>
#include "error.h"

typedef enum xlate_norm_form {
    XLATE_NORM_NFC = 0,
    XLATE_NORM_NFKC = 1,
    XLATE_NORM_NONE = 2
} xlate_norm_form;

typedef struct xlate_normalize_options {
    xlate_norm_form form;
    const char *apostrophe;  /* UTF-8 of the one apostrophe inside words (default "\u02BC" ʼ);
                                NULL leaves apostrophes as they are */
    int fix_homoglyphs;      /* Latin look-alikes inside Cyrillic words → Cyrillic, and reverse */
    int fix_spaces;          /* NBSP → space, soft hyphen and zero-width characters removed */
} xlate_normalize_options;

#define XLATE_NORMALIZE_OPTIONS_INIT {XLATE_NORM_NFC, "\xCA\xBC", 1, 1}

/* Parses "nfc" / "nfkc" / "none". Returns 0, or -1 for an unknown word. */
XLATE_MUST_CHECK int xlate_norm_form_parse(const char *word, xlate_norm_form *out);

/* Normalizes `len` bytes of valid UTF-8. *out is allocated (free()), NUL-terminated.
 * Returns 0, or -1 with err set. */
XLATE_MUST_CHECK int xlate_normalize(const char *text, size_t len, const xlate_normalize_options *opts,
                                     char **out, size_t *out_len, xlate_error *err);

/* The same, taking over `text` (malloc'd, with room for a NUL at text[len]): text that needs no
 * change comes back as *out itself instead of a copy. `text` is freed or becomes *out, whatever
 * the result; the caller must not touch it again. */
XLATE_MUST_CHECK int xlate_normalize_owned(char *text, size_t len, const xlate_normalize_options *opts, char **out,
                                           size_t *out_len, xlate_error *err);

#endif
