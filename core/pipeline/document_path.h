/*
 * document_path: the data path for a document a format module read (format.h), beside the
 * streaming path for plain text. Its paragraphs are normalized run by run between their inline
 * codes, cut into segments (the document's own, or the segmenter's) that carry the codes inside
 * them, and — once the chain has been over them — gathered into the bilingual view (bilingual.h)
 * whose join gives each paragraph its target.
 */
#ifndef XLATE_CORE_DOCUMENT_PATH_H
#define XLATE_CORE_DOCUMENT_PATH_H

#include <stddef.h>
#include "bilingual.h"
#include "document.h"
#include "error.h"
#include "format.h"
#include "normalize.h"
#include "segment.h"

/* How the segments of an xlate_doc lie in the document's paragraphs. */
typedef struct xlate_doc_cut {
    xlate_fragment *sources;  /* owned: paragraph i's source normalized, codes moved with it */
    size_t *para_start;       /* owned: where paragraph i's text starts in the xlate_doc's text */
    long *seg_preseg;         /* owned: per segment, the index of the preseg it is, or -1 */
    size_t n_paras;
} xlate_doc_cut;

/* Cuts `fdoc` into *doc (free with xlate_doc_free) and *cut (xlate_doc_cut_free). `norm` NULL
 * leaves the text as the document has it. A code at a segment's very start or end stays outside
 * it; a pair a segment boundary splits becomes two isolated codes. A preseg whose target is final
 * gives its segment that target, preset, unless `retranslate`. Returns 0, or -1 with err set. */
XLATE_MUST_CHECK int xlate_document_cut(xlate_segmenter *sg, const xlate_normalize_options *norm, int retranslate,
                                        const xlate_fdoc *fdoc, xlate_doc *doc, xlate_doc_cut *cut,
                                        xlate_error *err);

/* The bilingual view of a document after the chain: each paragraph's pieces, code ids the
 * paragraph's, segments borrowed from `doc`. The pieces' codes borrow their strings from `cut`,
 * `doc` and `fdoc` (codes_borrowed), so all three must outlive *bi. `bi->original` is left to the caller. Returns 0, or
 * -1 with err set (out of memory). */
XLATE_MUST_CHECK int xlate_document_bilingual(const xlate_fdoc *fdoc, const xlate_doc *doc, const xlate_doc_cut *cut,
                                              xlate_bidoc *bi, xlate_error *err);

/* Sets each paragraph's target (the join of its pieces), its presegs' targets (each segment's
 * own translation, xlate_bi_para_set_preseg_targets) and needs_review. A paragraph none of whose
 * segments has a target keeps target NULL, so its module writes it as it came. Returns 0, or -1
 * with err set. */
XLATE_MUST_CHECK int xlate_document_apply(xlate_fdoc *fdoc, const xlate_bidoc *bi, xlate_error *err);

void xlate_doc_cut_free(xlate_doc_cut *cut);

#endif
