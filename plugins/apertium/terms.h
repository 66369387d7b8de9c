/*
 * terms: where a glossary term goes in an Apertium answer. The plugin hands each term's source
 * words to the engine inside a word-bound blank, so the engine translates the sentence with the
 * term in it (word order, agreement, the prepositions a noun needs) and keeps the blank on the
 * words it made of the term, wherever it moved them. This module turns those words into a
 * placeholder for the host's segment_set_unmasked_target: where the engine's words hold the
 * target term (the engine's "de la OTAN" for NATO → OTAN), only the term is the glossary's and
 * the words the engine added stay; otherwise all of them give way to the target term. Sits
 * between apertium_format's decoder and the host, in the apertium plugin.
 */
#ifndef XLATE_PLUGIN_APERTIUM_TERMS_H
#define XLATE_PLUGIN_APERTIUM_TERMS_H

#include <stddef.h>

#include "apertium_format.h"
#include "xp_buf.h"

typedef struct xlate_apertium_term {
    const char *source; /* the term as the segment's source writes it */
    size_t source_len;
    const char *target; /* the glossary's target term, NUL-terminated */
    int next_lower;     /* the source's word after the term starts with a lower-case letter */
} xlate_apertium_term;

/* Appends `text` (a decoded answer) to `out` with each term's words replaced as said above by
 * the placeholder XLATE_PLACEHOLDER_FORMAT of the term's index. When a term's words begin the
 * answer, the engine takes them for an unknown sentence start and capitalises the word after
 * them ("*Kyiv Tiene el derecho"); that word gets its lower case back when its source word has
 * one (next_lower) and it is capitalised, not in capitals. A run of spaces the engine left
 * next to a term's words ("De la otan  los aliados") becomes one space. A term the engine dropped gets
 * no placeholder, nor does one whose words it merged with another term's (the host reports
 * both as lost). Returns 0, or -1 when out of memory. */
XP_MUST_CHECK int xlate_apertium_place_terms(const char *text, size_t len, const xlate_apertium_marks *marks,
                                             const xlate_apertium_term *terms, size_t n_terms, xp_buf *out);

#endif
