/*
 * writer_impl: what the format modules (writer_tsv.c, writer_jsonl.c, writer_tmx.c,
 * writer_review.c) share with
 * writer.c, the stream object that drives them. Internal to the writer stage.
 */
#ifndef XLATE_CORE_WRITER_IMPL_H
#define XLATE_CORE_WRITER_IMPL_H

#include "error.h" /* XLATE_MUST_CHECK */

#include <stddef.h>
#include <unicode/umachine.h>
#include "buf.h"
#include "document.h"
#include "writer.h"

/* What a format module sees of the stream: its options, with languages never NULL, and what was
 * written before the call (a format that sums up the stream, such as the review page, reads
 * them; the others need not). */
typedef struct xlate_writer_ctx {
    const char *source_lang;
    const char *target_lang;
    const char *tool_version;
    size_t documents;        /* documents begun before this call */
    int continues;           /* this call writes more segments of the document of the last call */
    size_t doc_counts[4];    /* segments of the last call's document per xlate_seg_status */
    size_t counts[4];        /* segments of the whole stream per xlate_seg_status */
} xlate_writer_ctx;

/* One output format. `first_id` is the stream-wide id of the document's first segment: ids
 * continue across the documents of one stream, so that they stay unique in a merged output.
 * Every function returns 0, or -1 when out of memory. */
typedef struct xlate_writer_format {
    int (*begin)(const xlate_writer_ctx *ctx, xlate_buf *out);
    int (*document)(const xlate_writer_ctx *ctx, const xlate_doc *doc, size_t first_id,
                    xlate_buf *out);
    int (*end)(const xlate_writer_ctx *ctx, xlate_buf *out);
} xlate_writer_format;

extern const xlate_writer_format xlate_writer_tsv;
extern const xlate_writer_format xlate_writer_jsonl;
extern const xlate_writer_format xlate_writer_tmx;
extern const xlate_writer_format xlate_writer_review;

/* The escape rule of a format: returns the text that stands for code point `c`, or NULL to copy
 * the character as it is. `tmp` is room for a computed escape (e.g. "\u001f"). For speed only
 * the characters some format escapes are passed: below U+0020, " \ & < >, and U+FFFE upwards. */
typedef const char *(*xlate_escape_fn)(UChar32 c, char tmp[16]);

/* Appends `len` bytes of text, each character passed through `escape`. A byte sequence that is
 * not UTF-8 (only possible in a file name, every other text was validated upstream) becomes
 * U+FFFD, so the output is always valid UTF-8. Returns 0, or -1 when out of memory. */
int xlate_put_escaped(xlate_buf *out, const char *s, size_t len, xlate_escape_fn escape);

/* Appends the decimal digits of `v` (printf would do, but it is slow on the per-segment path). */
int xlate_put_uint(xlate_buf *out, size_t v);

/* Appends a match's score (0 .. 100) as a decimal with at most two decimals and a point
 * ("100", "76.5"), whatever the locale. */
int xlate_put_score(xlate_buf *out, double score);

/* The text a segment carries as its target in the output: none for failed and filtered
 * segments (whatever a plugin left behind is partial), otherwise what the plugins set, if any. */
const char *xlate_output_target(const xlate_seg *seg, size_t *len);

/* How a format writes one inline code at its place in a source or target text; `index` is the
 * code's index in the segment (source order). Returns 0, or -1 when out of memory. */
typedef int (*xlate_put_code_fn)(xlate_buf *out, const xlate_seg *seg, size_t index,
                                 xlate_escape_fn escape);

/* Writes a code as the document's own markup: its data through `escape`. */
int xlate_put_code_markup(xlate_buf *out, const xlate_seg *seg, size_t index,
                          xlate_escape_fn escape);

/* Appends `text` (the segment's source when `is_target` is 0, else its output target) with each
 * of the segment's inline codes at its place — pos in the source, target_pos in the target (a
 * code without one at the end: never dropped) — the text through `escape`, the codes through
 * `put_code`. With no codes it is xlate_put_escaped. Returns 0, or -1 when out of memory. */
int xlate_put_with_codes(xlate_buf *out, const xlate_seg *seg, int is_target, const char *text,
                         size_t len, xlate_escape_fn escape, xlate_put_code_fn put_code);

/* Where code `index` of the segment stands in its source (is_target 0) or in the output target of
 * `len` bytes: pos, or target_pos (a code with no place in the target at its end). */
size_t xlate_code_place(const xlate_seg *seg, size_t index, int is_target, size_t len);

/* Fills `order` (seg->n_codes entries) with the codes' indexes by their place in the text, in
 * source order at one place. */
void xlate_codes_in_place_order(const xlate_seg *seg, int is_target, size_t len, size_t *order);

/* Where byte `at` of the segment's source (or target) lands once the codes' markup is written
 * inline: `at` plus the data of every code placed before it (at it too when `after_codes_at`). */
size_t xlate_offset_with_codes(const xlate_seg *seg, int is_target, size_t at, int after_codes_at);

/* Appends the segment's messages joined as the TSV message column and the TMX note show them
 * (xlate_seg_messages_joined: "qa: numbers differ; glossary: ..."), each character passed
 * through `escape`. Nothing when it has none. Returns 0, or -1 when out of memory. */
int xlate_put_messages_joined(xlate_buf *out, const xlate_seg *seg, xlate_escape_fn escape);

#endif
