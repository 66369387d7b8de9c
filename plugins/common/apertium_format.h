/*
 * apertium_format: segment text ↔ Apertium's stream format, the job apertium-destxt and
 * apertium-retxt do for the `apertium` command, done in-process so that no deformatter process is
 * started per segment. Special characters get a backslash; glossary placeholders and newlines
 * travel as superblanks ("[...]"), which every Apertium stage passes through unchanged; each unit
 * ends with a marker superblank that proves the whole unit came through. Sits between the plugins
 * that feed Apertium engines (apertium, exec with format=apertium) and stream.
 */
#ifndef XLATE_PLUGIN_APERTIUM_FORMAT_H
#define XLATE_PLUGIN_APERTIUM_FORMAT_H

#include <stddef.h>

#include "buf.h"
#include "placeholder.h"

/* The placeholder format given to the host's segment_masked_source (placeholder.h). */
#define XLATE_APERTIUM_PLACEHOLDER XLATE_PLACEHOLDER_FORMAT

/* Appends `text` in stream format, then the end marker for unit `id` and the null-flush byte. */
void xlate_apertium_encode(const char *text, size_t len, unsigned long long id, xlate_buf *out);

/* Appends the plain text of an answer, placeholders kept, and checks that it ends with unit
 * `id`'s marker. Returns 0, or -1 when the marker is missing or belongs to another unit. */
int xlate_apertium_decode(const char *answer, size_t len, unsigned long long id, xlate_buf *out);

#endif
