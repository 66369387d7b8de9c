/*
 * batch_docs: the document path inside a batch worker. A document of the archive or folder is
 * read by its format module (format.h: the one --input-format names, else by extension and
 * content), goes through the worker's pipeline on the document path (document_path.h), and is
 * rendered as the batch writes it: the document itself in its own format with the translation
 * in place, or its XLIFF (a whole file, or only its <file> for the combined XLIFF). Records
 * (TSV, JSONL, TMX) are made by batch.c from the segments this gives back. Below batch.c; knows
 * nothing of workers, the journal or the report.
 */
#ifndef XLATE_CORE_BATCH_DOCS_H
#define XLATE_CORE_BATCH_DOCS_H

#include <stddef.h>
#include "batch.h"
#include "buf.h"
#include "document.h"
#include "error.h"
#include "format.h"
#include "pipeline.h"

/* What a document becomes. */
typedef struct xlate_bulk_doc_options {
    xlate_bulk_output kind;   /* records: only the segments; DOC, XLIFF12, XLIFF21: `out` too */
    int xliff_fragment;       /* XLIFF: only the document's <file> (for the combined XLIFF) */
    const char *input_format; /* NULL: by extension, then content */
    const char *encoding;     /* --encoding as given, or NULL / "auto" */
    int retranslate;
    const char *from, *to;    /* the languages written into the document or the XLIFF */
} xlate_bulk_doc_options;

/* The module that reads the document at `path`: the one named, else by extension and content.
 * Never NULL. */
const xlate_format_module *xlate_bulk_doc_module(const xlate_bulk_doc_options *o, const char *path,
                                                 const char *bytes, size_t len);

/* Reads `bytes` with module `m`, runs the document through `p` and appends what it becomes to
 * `out` (nothing for records). Returns 0 with *doc filled (free with xlate_doc_free: its segments,
 * their status and messages, doc->encoding what the module found); 1 when the pipeline's stop
 * flag stopped it part way (nothing rendered, *doc untouched); -1 with err naming the document
 * when it could not be read or rendered (*doc untouched). */
XLATE_MUST_CHECK int xlate_bulk_doc_run(xlate_pipeline *p, const xlate_bulk_doc_options *o,
                                        const xlate_format_module *m, const char *path, const char *bytes,
                                        size_t len, xlate_doc *doc, xlate_buf *out, xlate_error *err);

#endif
