/*
 * writer: the last stage. Aligned records (a document's segments with targets, term spans and
 * status) → TSV, JSONL, TMX 1.4b text, or a review page (HTML) for people. Reads documents; never
 * changes them.
 */
#ifndef XLATE_CORE_WRITER_H
#define XLATE_CORE_WRITER_H

#include <stddef.h>
#include "buf.h"
#include "document.h"
#include "error.h"

typedef enum xlate_format {
    XLATE_FORMAT_TSV = 0,
    XLATE_FORMAT_JSONL = 1,
    XLATE_FORMAT_TMX = 2,
    XLATE_FORMAT_REVIEW = 3 /* one self-contained HTML page: source beside target */
} xlate_format;

/* Parses "tsv" / "jsonl" / "tmx" / "review". Returns 0, or -1 for an unknown word. */
XLATE_MUST_CHECK int xlate_format_parse(const char *word, xlate_format *out);

/* The word --format takes: "tsv", "jsonl", "tmx", "review". */
const char *xlate_format_name(xlate_format f);

/* The usual file extension without dot: "tsv", "jsonl", "tmx", "html". */
const char *xlate_format_extension(xlate_format f);

typedef struct xlate_writer_options {
    xlate_format format;
    const char *source_lang;   /* "uk" */
    const char *target_lang;   /* "en" */
    const char *tool_version;  /* for TMX creationtoolversion */
} xlate_writer_options;

/* A writer holds the running state of one output stream (segment ids continue across documents,
 * TMX's header is written once). It appends text to a buffer the caller flushes. */
typedef struct xlate_writer xlate_writer;

XLATE_MUST_CHECK int xlate_writer_new(const xlate_writer_options *opts, xlate_writer **out);

/* Appends the stream's header (TSV column names, TMX prolog and header; nothing for JSONL). */
XLATE_MUST_CHECK int xlate_writer_begin(xlate_writer *w, xlate_buf *out);

/* Appends the records of one document. Returns 0, or -1 when out of memory. */
XLATE_MUST_CHECK int xlate_writer_document(xlate_writer *w, const xlate_doc *doc, xlate_buf *out);

/* Appends the records of segments [from, from + n) of a document, so that a long document can be
 * written out in parts: the parts of a document, in order, give the text xlate_writer_document
 * gives for it whole. Returns 0, or -1 when out of memory. */
XLATE_MUST_CHECK int xlate_writer_document_part(xlate_writer *w, const xlate_doc *doc, size_t from, size_t n,
                                                xlate_buf *out);

/* The id the next segment written will get (from 1; ids go on across documents), so that the
 * plugins can be told the ids the user will see (xlate_pipeline_set_first_id). */
size_t xlate_writer_next_id(const xlate_writer *w);

/* Appends the stream's footer (TMX's closing tags). */
XLATE_MUST_CHECK int xlate_writer_end(xlate_writer *w, xlate_buf *out);

void xlate_writer_free(xlate_writer *w);

#endif
