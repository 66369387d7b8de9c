/*
 * langcode: ISO 639-1 ↔ ISO 639-3 language codes, for engines that name languages with three
 * letters (Apertium's pairs "eng-spa", APy's "eng|spa") while xlate's --from/--to use BCP 47's two.
 * Used by the translator plugins when they build an engine's pair name; ICU knows the codes.
 */
#ifndef XLATE_PLUGIN_LANGCODE_H
#define XLATE_PLUGIN_LANGCODE_H

#include <stddef.h>

/* Writes the three-letter code for `code` ("uk" → "ukr"; a three-letter code is kept; a region
 * such as "en-US" is dropped) into out. Returns 0, or -1 when the code is unknown or too long. */
int xlate_lang_to_639_3(const char *code, char *out, size_t outlen);

/* Writes the two-letter code for a three-letter one ("ukr" → "uk"); an Apertium variant suffix
 * ("eng_US") becomes a BCP 47 region ("en-US"). Codes without a two-letter form are kept as they
 * are. Returns 0, or -1 when out is too small. */
int xlate_lang_to_639_1(const char *code, char *out, size_t outlen);

#endif
