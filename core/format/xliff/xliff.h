/*
 * xliff: XLIFF 1.2 and 2.1. As a format module (format.h) it reads a bilingual file's units and
 * writes it back with targets and states. As an export it writes any document the pipeline cut
 * (bilingual.h) as XLIFF for a CAT tool, with the document's own bytes as skeleton and the
 * glossary's terms as notes (1.2) or the glossary module (2.1); and it reads such a file back,
 * translated, for `xlate merge`.
 */
#ifndef XLATE_CORE_XLIFF_H
#define XLATE_CORE_XLIFF_H

#include <stddef.h>
#include "bilingual.h"
#include "buf.h"
#include "error.h"
#include "format.h"

extern const xlate_format_module xlate_format_xliff;

typedef enum xlate_xliff_version {
    XLATE_XLIFF_1_2 = 12,
    XLATE_XLIFF_2_1 = 21
} xlate_xliff_version;

typedef struct xlate_xliff_export_options {
    xlate_xliff_version version;
    const char *source_lang;   /* "uk" */
    const char *target_lang;   /* "en" */
    const char *tool_version;
    /* The encoding the documents were read with because the user named it (--encoding), or NULL
     * (each document's own declaration, else detection). Each <file> records it as
     * xlate:encoding, so that merge reads the original bytes the same way. */
    const char *encoding;
} xlate_xliff_export_options;

/* The export as a stream of documents into one XLIFF file (one <file> each), like the TSV/JSONL/
 * TMX writers: begin, one call per document, end. Each <file> keeps the document's name, its
 * format module's name and its bytes (base64) as skeleton, so that merge needs nothing else;
 * units are the paragraphs (id = xlate_para.id), segments the pieces, the text between them
 * <ignorable> (2.1) or the space between <mrk mtype="seg"> (1.2). Returns 0, or -1 with err set. */
XLATE_MUST_CHECK int xlate_xliff_export_begin(const xlate_xliff_export_options *o, xlate_buf *out,
                                              xlate_error *err);
XLATE_MUST_CHECK int xlate_xliff_export_document(const xlate_xliff_export_options *o, const xlate_bidoc *doc,
                                                 xlate_buf *out, xlate_error *err);
XLATE_MUST_CHECK int xlate_xliff_export_end(const xlate_xliff_export_options *o, xlate_buf *out,
                                            xlate_error *err);

/* One <file> of an exported XLIFF read back (translated in a CAT tool or not). */
typedef struct xlate_xliff_returned {
    char *name;               /* owned: the document's name as exported */
    char *format;             /* owned: its format module's name ("html") */
    char *encoding;           /* owned or NULL: the encoding extract was told to read it with
                               * (xlate:encoding), which merge reads it with again */
    char *original;           /* owned: the document's bytes, from the skeleton */
    size_t original_len;
    char **unit_ids;          /* owned: unit i's id (xlate_para.id) */
    xlate_bi_para *units;     /* owned: unit i's pieces, targets as the file has them, code ids
                               * the paragraph's */
    size_t n_units;
} xlate_xliff_returned;

/* Reads an XLIFF 1.2 or 2.1 file that `xlate extract` (or `--format xliff/xliff2`) wrote, after
 * any CAT tool edited its targets. `name` is for messages. Returns 0 with *out and *n (free each
 * with xlate_xliff_returned_free, then free()), or -1 with err set: not XLIFF, not one xlate
 * wrote (no skeleton: say so and how to make one), a code in a target that its unit's source
 * does not have — each with the line. */
XLATE_MUST_CHECK int xlate_xliff_read_returned(const char *name, const char *bytes, size_t len,
                                               xlate_xliff_returned **out, size_t *n, xlate_error *err);
void xlate_xliff_returned_free(xlate_xliff_returned *r);

#endif
