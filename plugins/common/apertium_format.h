/*
 * apertium_format: segment text ↔ Apertium's stream format, the job apertium-destxt and
 * apertium-retxt do for the `apertium` command, done in-process so that no deformatter process is
 * started per segment. The text is written as apertium-destxt writes it: the characters the
 * format reserves get a backslash, tabs, newlines and '~' (which the post-generator would take
 * for its own mark) travel in superblanks ("[...]"), and the unit ends with the ".[]" sentence
 * end the deformatter adds, which the answer drops again as apertium-retxt does. Glossary terms
 * travel either as placeholders in superblanks (a masked source: the term is cut out of the
 * sentence) or, for a pipeline run with apertium-wblank-attach/-detach, as the source words in
 * word-bound blanks ("[[t:K]]words[[/]]"), which every stage keeps on the words they wrap while
 * it reorders and inflects them. Each unit ends with a marker superblank that proves the whole
 * unit came through. Sits between the plugins that feed Apertium engines (apertium, exec with
 * format=apertium) and stream.
 */
#ifndef XLATE_PLUGIN_APERTIUM_FORMAT_H
#define XLATE_PLUGIN_APERTIUM_FORMAT_H

#include <stddef.h>

#include "xp_buf.h"
#include "placeholder.h"

/* The placeholder format given to the host's segment_masked_source (placeholder.h). */
#define XLATE_APERTIUM_PLACEHOLDER XLATE_PLACEHOLDER_FORMAT

/* A byte range of the text to hand to the engine in a word-bound blank carrying `term`. */
typedef struct xlate_apertium_span {
    size_t start, end;
    size_t term;
} xlate_apertium_span;

/* Where the words of a word-bound blank landed in a decoded answer: bytes start..end of it. */
typedef struct xlate_apertium_mark {
    size_t term;
    size_t start, end;
} xlate_apertium_mark;

typedef struct xlate_apertium_marks {
    xlate_apertium_mark *v; /* owned */
    size_t n, cap;
} xlate_apertium_marks;

#define XLATE_APERTIUM_MARKS_INIT {NULL, 0, 0}

void xlate_apertium_marks_free(xlate_apertium_marks *marks);

/* Appends `text` in stream format, then the end marker for unit `id` and the null-flush byte.
 * `spans` (n_spans of them, in text order, not overlapping; NULL when none) are wrapped in
 * word-bound blanks; a span out of order or out of range is left unwrapped. Placeholder bytes
 * (placeholder.h) in the text become superblanks. */
void xlate_apertium_encode(const char *text, size_t len, const xlate_apertium_span *spans,
                           size_t n_spans, unsigned long long id, xp_buf *out);

/* Appends the plain text of an answer, placeholders kept, and checks that it ends with unit
 * `id`'s marker. When `marks` is not NULL it is emptied and given where each word-bound blank's
 * words are in `out` (offsets from the start of `out`, which the caller passes empty). Returns 0,
 * or -1 when the marker is missing or belongs to another unit. */
XP_MUST_CHECK int xlate_apertium_decode(const char *answer, size_t len, unsigned long long id, xp_buf *out,
                                        xlate_apertium_marks *marks);

#endif
