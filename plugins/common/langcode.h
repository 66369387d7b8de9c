/*
 * langcode: ISO 639-1 ↔ ISO 639-3 language codes, for engines that name languages with three
 * letters (Apertium's pairs "eng-spa", APy's "eng|spa") while xlate's --from/--to use BCP 47's two;
 * and BCP 47 tags read from a plugin's own data (a term map's languages), compared with the run's.
 * Used by the bundled plugins; ICU knows the codes.
 */
#ifndef XLATE_PLUGIN_LANGCODE_H
#define XLATE_PLUGIN_LANGCODE_H

#include "xp_buf.h" /* XP_MUST_CHECK */

#include <stddef.h>

/* Writes the three-letter code for `code` ("uk" → "ukr"; a three-letter code is kept; a region
 * such as "en-US" is dropped) into out. Returns 0, or -1 when the code is unknown or too long. */
XP_MUST_CHECK int xlate_lang_to_639_3(const char *code, char *out, size_t outlen);

/* Writes the two-letter code for a three-letter one ("ukr" → "uk"); an Apertium variant suffix
 * ("eng_US") becomes a BCP 47 region ("en-US"). Codes without a two-letter form are kept as they
 * are. Returns 0, or -1 when out is too small. */
XP_MUST_CHECK int xlate_lang_to_639_1(const char *code, char *out, size_t outlen);

/* Writes the canonical form of the BCP 47 tag `tag` ("EN-gb" → "en-GB", "eng" → "en") into out.
 * Returns 0, or -1 when the tag does not parse whole, names no ISO 639 language ICU knows, or
 * does not fit. */
XP_MUST_CHECK int xlate_lang_tag_canonical(const char *tag, char *out, size_t outlen);

/* 1 when tags a and b can name the same language: the same ISO 639 language, and the same
 * script and the same region where both give one ("en" and "en-GB" agree, "sr-Latn" and
 * "sr-Cyrl" do not, nor "en" and "es"). 0 too when either tag is not one ICU reads. */
XP_MUST_CHECK int xlate_lang_tags_agree(const char *a, const char *b);

#endif
