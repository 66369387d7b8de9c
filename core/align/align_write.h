/*
 * align_write: the aligner's beads as output, the last stage of `xlate align`. JSONL and TMX go
 * through the record writers of core/output (writer.h): each bead becomes a segment whose source
 * is its source sentences and whose target its target sentences, with the score as the match
 * score of origin "align", and an unaligned sentence or a pair below the threshold marked as a
 * warning (code `unaligned`, `low_score`). TSV and XLIFF are the aligner's own: TSV needs the
 * sentence numbers and the score as columns, and XLIFF export (core/format/xliff) writes a
 * document for merge, with its bytes as skeleton, which an alignment has no use for.
 */
#ifndef XLATE_CORE_ALIGN_WRITE_H
#define XLATE_CORE_ALIGN_WRITE_H

#include "align.h"
#include "buf.h"
#include "error.h"

typedef enum xlate_align_format {
    XLATE_ALIGN_TSV = 0,
    XLATE_ALIGN_JSONL,
    XLATE_ALIGN_TMX,
    XLATE_ALIGN_XLIFF
} xlate_align_format;

/* "tsv", "jsonl", "tmx", "xliff". Returns 0, or -1 for another word. */
XLATE_MUST_CHECK int xlate_align_format_parse(const char *word, xlate_align_format *out);
const char *xlate_align_format_extension(xlate_align_format f);

/* One aligned document pair, borrowed. */
typedef struct xlate_align_result {
    const char *src_name, *tgt_name;
    const xlate_align_side *src, *tgt;
    const xlate_align_bead *beads;
    size_t n_beads;
    int threshold;
} xlate_align_result;

typedef struct xlate_align_writer xlate_align_writer;

/* `pairs_only`: write only the pairs that are neither unaligned nor low (what goes into a
 * translation memory). Returns 0, or -1 (out of memory). */
XLATE_MUST_CHECK int xlate_align_writer_new(xlate_align_format f, const char *src_lang, const char *tgt_lang,
                                            const char *tool_version, int pairs_only,
                                            xlate_align_writer **out);
XLATE_MUST_CHECK int xlate_align_writer_begin(xlate_align_writer *w, xlate_buf *out);
XLATE_MUST_CHECK int xlate_align_writer_document(xlate_align_writer *w, const xlate_align_result *r,
                                                 xlate_buf *out, xlate_error *err);
XLATE_MUST_CHECK int xlate_align_writer_end(xlate_align_writer *w, xlate_buf *out);
void xlate_align_writer_free(xlate_align_writer *w);

#endif
