/*
 * placeholder: how the translator plugins hide a glossary term or an inline code from their engine. The host
 * writes each term of a masked source as OPEN, the term's index in decimal, CLOSE — control
 * bytes normalized text never holds — and each plugin rewrites that into what its engine keeps
 * untouched (Apertium superblanks, HTML tags).
 */
#ifndef XLATE_PLUGIN_PLACEHOLDER_H
#define XLATE_PLUGIN_PLACEHOLDER_H

#include <stddef.h>

#include "xlate/plugin.h"

#define XLATE_PLACEHOLDER_OPEN '\x01'
#define XLATE_PLACEHOLDER_CLOSE '\x02'

/* The format given to segment_masked_source / segment_set_unmasked_target. */
#define XLATE_PLACEHOLDER_FORMAT "\x01%u\x02"

/* The length of the placeholder that starts at text[0] (OPEN, digits, CLOSE), or 0 when none
 * does. The digits are text[1 .. length-2]. */
size_t xlate_placeholder_length(const char *text, size_t len);

/* 1 when segment i must reach the engine masked (segment_masked_source, and back through
 * segment_set_unmasked_target): it has glossary terms, or inline codes (asked only of a host of
 * ABI 1.3 or later, which can have them). */
int xlate_placeholder_needed(const xlate_host *host, const xlate_batch *batch, size_t i);

#endif
