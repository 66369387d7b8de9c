/*
 * batch_report: what `xlate batch` tells of its run — report.json (one object a document, in
 * input order, and the summary) and the combined TMX of every segment — and the word for a
 * document's status. Both files are written as the batch goes and put in place whole when it
 * ends (outfile.h), so that a reader never sees half of one. Below batch.c, which hands it the
 * entries in input order; knows nothing of workers or the journal.
 */
#ifndef XLATE_CORE_BATCH_REPORT_H
#define XLATE_CORE_BATCH_REPORT_H

#include <stddef.h>
#include "archive_out.h"
#include "batch.h"
#include "buf.h"
#include "document.h"
#include "error.h"
#include "writer.h"

typedef enum xlate_doc_status {
    XLATE_DOC_OK,
    XLATE_DOC_FAILED,
    XLATE_DOC_SKIPPED,
    XLATE_DOC_REJECTED,
} xlate_doc_status;

/* The status as the report and the journal write it: "ok", "failed", "skipped", "rejected". */
const char *xlate_doc_status_word(xlate_doc_status s);

/* What every entry's object and the head of the report name. */
typedef struct xlate_report_config {
    const char *from, *to;
    xlate_bulk_output kind;       /* records (formats below), documents, or XLIFF */
    const xlate_format *formats;
    size_t n_formats;
    int combined;                 /* --combined: XLIFF goes there, not into a file a document */
    unsigned shard_index, shard_count; /* count 0: no shards */
} xlate_report_config;

/* How many output files a document gets, and their names under OUTPUT: records
 * "a/b/name.uk-en.jsonl" (one a format), a document "a/b/name.html" (its own name), XLIFF
 * "a/b/name.html.xlf" (none when it goes into --combined). */
size_t xlate_report_n_outputs(const xlate_report_config *cfg);
/* Output i (< xlate_report_n_outputs) of the document at `path`. Allocated (free()), or NULL when
 * out of memory. */
char *xlate_report_output_name(const xlate_report_config *cfg, const char *path, size_t i);

/* One entry of the input as the report tells it. */
typedef struct xlate_report_entry {
    const char *path;
    xlate_doc_status status;
    const char *message;      /* why it failed or was skipped, or NULL */
    int is_document;          /* read as a document: the fields below are meant */
    const char *encoding;
    size_t segments, failed, warnings, filtered;
    int has_outputs;          /* its outputs (named from path, languages and formats) exist */
    const xlate_msg_tally *messages; /* its warnings and failures per plugin and code, or NULL */
    size_t position;          /* its place in the input: a shard's report says it ("entry") */
} xlate_report_entry;

/* The entry's object in report.json, appended to `out`, on one line. A shard's report begins
 * each object with "entry" (the entry's place in the whole input), which a single run's has not:
 * `xlate batch --merge-shards` orders the shards' objects by it and drops it, and so gives the
 * single run's report. Safe on any thread. Returns 0, or -1 when out of memory. */
XLATE_MUST_CHECK int xlate_report_object(const xlate_report_config *cfg, const xlate_report_entry *e,
                                         xlate_buf *out);

typedef struct xlate_report xlate_report;

/* Opens the report: `rel_in_output` inside OUTPUT (a link refused there, as for the outputs),
 * or else `path` where the user named it. Writes its head. Returns 0, or -1 with err. */
XLATE_MUST_CHECK int xlate_report_open(const xlate_report_config *cfg, xlate_output *out, const char *path,
                                       const char *rel_in_output, xlate_report **r, xlate_error *err);

/* Opens a report at `path` (in the folder `dir_fd`, or AT_FDCWD; `flags` as outfile's) whose head
 * is `head` as it stands (up to and including "\"documents\": ["): the merge of shards, which
 * takes the head the shards wrote. Returns 0, or -1 with err. */
XLATE_MUST_CHECK int xlate_report_open_head(const char *head, int dir_fd, const char *path,
                                            unsigned flags, xlate_report **r, xlate_error *err);

/* Appends an entry's object (made by xlate_report_object). Returns 0, or -1 (errno set). */
XLATE_MUST_CHECK int xlate_report_add(xlate_report *r, const xlate_buf *object);

/* Writes the summary and what the plugins sent to each network service ("usage", from `usage`;
 * NULL: {}) and puts the report in place. Returns 0, or -1 with err; r is freed. */
XLATE_MUST_CHECK int xlate_report_close(xlate_report *r, const xlate_bulk_summary *sum,
                                        const xlate_usage *usage, const char *input_error,
                                        int complete, xlate_error *err);

/* Leaves any earlier file where it was; r is freed. Safe on NULL. */
void xlate_report_abort(xlate_report *r);

/* The combined file: TMX (one prolog, then every document's units in input order with ids that
 * go on from one document to the next), or for XLIFF outputs one XLIFF holding each document as
 * its own <file>, in input order. */
typedef struct xlate_combined xlate_combined;

XLATE_MUST_CHECK int xlate_combined_open(const xlate_report_config *cfg, const char *path, xlate_combined **c,
                                         xlate_error *err);

/* A document's TMX units alone, ids from 1 (its place in the stream is not known yet): what
 * xlate_combined_append takes. Returns 0, or -1 when out of memory. */
XLATE_MUST_CHECK int xlate_combined_fragment(const xlate_report_config *cfg, const xlate_doc *doc,
                                             xlate_buf *out);

/* Appends a fragment of `segments` units, its ids moved to follow the stream's (an XLIFF <file>
 * goes as it is: its ids are its own). Returns 0, or -1 (errno set) when it cannot be written. */
XLATE_MUST_CHECK int xlate_combined_append(xlate_combined *c, const char *fragment, size_t segments);

/* Appends `len` bytes of TMX units whose ids start at `first_id`, `segments` of them, their ids
 * moved to follow the stream's: a run of units taken out of another combined TMX (a shard's).
 * TMX only. Returns 0, or -1 (errno set, or an id below first_id). */
XLATE_MUST_CHECK int xlate_combined_append_from(xlate_combined *c, const char *fragment, size_t len,
                                                size_t segments, size_t first_id);

/* Writes the closing tags and puts the file in place. Returns 0, or -1 with err; c is freed. */
XLATE_MUST_CHECK int xlate_combined_close(xlate_combined *c, xlate_error *err);

/* Leaves any earlier file where it was; c is freed. Safe on NULL. */
void xlate_combined_abort(xlate_combined *c);

#endif
