/*
 * markup: segment text ↔ the HTML that the http plugin sends, so that glossary placeholders
 * travel as empty elements (<x id="N"/>) that both APy (its HTML deformatter turns tags into
 * Apertium superblanks) and LibreTranslate (format "html") carry through untranslated. Sits
 * between the http plugin's segments and its requests.
 */
#ifndef XLATE_HTTP_MARKUP_H
#define XLATE_HTTP_MARKUP_H

#include <stddef.h>

#include "xp_buf.h"
#include "placeholder.h"

/* The placeholder format for the host's segment_masked_source (placeholder.h). */
#define XLATE_HTTP_PLACEHOLDER XLATE_PLACEHOLDER_FORMAT

/* Appends `text` as HTML text: &, < and > escaped, each placeholder an <x id="N"/> element. */
void xlate_http_markup_encode(const char *text, size_t len, xp_buf *out);

/* Appends the plain text of an HTML answer: character references decoded, <x id="N"/> (or
 * <x id="N"></x>, as some servers re-serialize it) turned back into the placeholder. */
void xlate_http_markup_decode(const char *html, size_t len, xp_buf *out);

#endif
