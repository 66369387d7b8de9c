/*
 * placeholder: how the translator plugins hide a glossary term from their engine. The host
 * writes each term of a masked source as OPEN, the term's index in decimal, CLOSE — control
 * bytes normalized text never holds — and each plugin rewrites that into what its engine keeps
 * untouched (Apertium superblanks, HTML tags).
 */
#ifndef XLATE_PLUGIN_PLACEHOLDER_H
#define XLATE_PLUGIN_PLACEHOLDER_H

#include <stddef.h>

#define XLATE_PLACEHOLDER_OPEN '\x01'
#define XLATE_PLACEHOLDER_CLOSE '\x02'

/* The format given to segment_masked_source / segment_set_unmasked_target. */
#define XLATE_PLACEHOLDER_FORMAT "\x01%u\x02"

/* The length of the placeholder that starts at text[0] (OPEN, digits, CLOSE), or 0 when none
 * does. The digits are text[1 .. length-2]. */
size_t xlate_placeholder_length(const char *text, size_t len);

#endif
