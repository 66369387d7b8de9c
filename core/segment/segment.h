/*
 * segment: the third stage. Clean UTF-8 → sentence spans with byte offsets. Paragraphs end at
 * blank lines; sentences come from ICU's sentence break iterator for the source locale plus the
 * language's rules. Gives the document its segments; knows nothing of plugins or writers.
 */
#ifndef XLATE_CORE_SEGMENT_H
#define XLATE_CORE_SEGMENT_H

#include <stddef.h>
#include "error.h"

/* One segment: bytes [start, end) of the text, with no leading or trailing white space. */
typedef struct xlate_span {
    size_t start;
    size_t end;
    size_t paragraph; /* 0-based paragraph index */
} xlate_span;

/* A segmenter for one language. Not thread-safe: one per worker. */
typedef struct xlate_segmenter xlate_segmenter;

/* `lang` is an ISO 639-1 code or ICU locale ("uk", "en"); `srx_path` NULL for the built-in rules.
 * Returns 0, or -1 with err set. */
XLATE_MUST_CHECK int xlate_segmenter_new(const char *lang, const char *srx_path, xlate_segmenter **out,
                                         xlate_error *err);

/* A segmenter that makes the spans `proto` makes, sharing its compiled rules: no rule file read,
 * no expression compiled or analysed again, so a batch's workers each get one for a fraction of
 * what xlate_segmenter_new costs. `proto` is only read (several threads may clone it at once) and
 * must outlive the clone. Returns 0, or -1 with err set. */
XLATE_MUST_CHECK int xlate_segmenter_clone(const xlate_segmenter *proto, xlate_segmenter **out,
                                           xlate_error *err);

/* Splits `text` (valid UTF-8, `len` bytes). *spans is allocated (free()), in text order.
 * Returns 0, or -1 with err set. */
XLATE_MUST_CHECK int xlate_segmenter_split(xlate_segmenter *s, const char *text, size_t len, xlate_span **spans,
                                           size_t *n_spans, xlate_error *err);

/* A text longer than `bytes` is segmented a block of about that size at a time (1 MB unless
 * set), into the same spans as at once; 0 takes every text at once. For tests and benchmarks. */
void xlate_segmenter_set_block_bytes(xlate_segmenter *s, size_t bytes);

/* How many blocks the last text split took: 1 when it was taken at once (short, no blank line to
 * end a block at, rules that cannot run on blocks, or a block that needed more of the text). */
size_t xlate_segmenter_last_blocks(const xlate_segmenter *s);

void xlate_segmenter_free(xlate_segmenter *s);

#endif
