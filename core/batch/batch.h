/*
 * batch: many documents through the data path at once — what `xlate batch` runs. Reads entries
 * from archive_in, runs each document through a worker's own pipeline (decode → normalize →
 * segment → plugin chain), hands the result to the writers and archive_out, and writes
 * report.json and an optional combined TMX in input order, so that the output does not depend on
 * the number of workers. Resumable: each finished document leaves a line in the output's journal.
 * Its names say "bulk" (xlate_bulk_run), since the ABI's `xlate_batch` is the segments of one
 * `process` call. Its parts: batch_pool (the workers and their queue), batch_docs (documents read
 * by their format module, written back in their format or as XLIFF), batch_journal (the journal
 * and --resume), batch_record (the options the outputs are made with), batch_report (the report,
 * the outputs' names and the combined TMX or XLIFF).
 */
#ifndef XLATE_CORE_BATCH_H
#define XLATE_CORE_BATCH_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "error.h"
#include "msg_tally.h"
#include "pipeline.h"
#include "progress.h"
#include "writer.h"

/* What a batch writes for each document. */
typedef enum xlate_bulk_output {
    XLATE_BULK_RECORDS = 0, /* aligned records, one file per format (formats below) */
    XLATE_BULK_DOC,         /* the document in its own format, translated, under its own name */
    XLATE_BULK_XLIFF12,     /* the document as XLIFF 1.2, NAME.xlf; with `combined`, one XLIFF of
                               every document instead */
    XLATE_BULK_XLIFF21      /* the same in XLIFF 2.1 */
} xlate_bulk_output;

typedef struct xlate_bulk_config {
    const char *input;              /* a folder, an archive, or "-" for a list of paths */
    FILE *list;                     /* where "-" reads its paths (stdin) */
    const char *output;             /* a folder, or an archive name (.tar.gz, .zip, ...) */
    const xlate_chain *chain;       /* loaded once, shared by the workers */
    const xlate_pipeline_config *pipeline; /* languages, decode and normalize options */
    xlate_bulk_output output_kind;  /* records, or documents in their format or as XLIFF */
    const xlate_format *formats;    /* records: one output file per document and format */
    size_t n_formats;
    const char *input_format;       /* the format module every document is read by (format.h);
                                       NULL: chosen per document, by extension then content */
    int retranslate;                /* targets a document holds as done are translated again */
    const char *output_encoding;    /* NULL: UTF-8 */
    int output_replace;
    unsigned jobs;                  /* worker threads; 0: the number of cores */
    const char *combined;           /* one TMX of every segment (XLIFF outputs: one XLIFF of
                                       every document), or NULL */
    const char *report;             /* NULL: report.json in the output folder (beside an archive) */
    int resume;                     /* skip documents whose outputs are complete */
    unsigned shard_index, shard_count; /* this run does shard_index of shard_count; count 0: all */
    uint64_t max_doc_size;          /* 0: the default */
    double max_ratio;               /* 0: the default */
    long long pack_time;            /* stamped on an archive OUTPUT's entries (seconds since
                                       1970); XLATE_PACK_TIME_NOW: the time of packing */
    xlate_progress_mode progress;
    FILE *progress_out;             /* where progress goes; NULL: nowhere */
    int progress_tty;               /* whether progress_out is a terminal */
    /* The outputs go to a scratch folder the caller removes (a dry run): the summary names no
     * report. */
    int scratch_output;
    /* Set (to nonzero) by a signal handler: stop after the documents in flight. May be NULL. */
    volatile sig_atomic_t *stop;
} xlate_bulk_config;

typedef struct xlate_bulk_summary {
    size_t entries;          /* entries reported */
    size_t ok, failed, skipped, rejected, resumed;
    size_t segments, failed_segments;
    int interrupted;         /* a signal stopped it; --resume finishes */
    int input_broken;        /* the archive could not be read to its end */
    char *report_path;       /* where the report went (free()) */
    xlate_msg_tally messages; /* warnings and failures per plugin and code, of every document
                                 (a resumed one's as its journal line keeps them) */
} xlate_bulk_summary;

/* Runs the batch. Returns 0 when it ran — documents that failed, an interruption or a broken
 * archive are in the summary and the report, and the caller's exit status is 1 for any of them —
 * or -1 with err when it could not start or could not write its output. */
XLATE_MUST_CHECK int xlate_bulk_run(const xlate_bulk_config *cfg, xlate_bulk_summary *sum, xlate_error *err);

void xlate_bulk_summary_free(xlate_bulk_summary *sum);

/* Parses --shard "K/N" (0 <= K < N). Returns 0, or -1. */
XLATE_MUST_CHECK int xlate_shard_parse(const char *text, unsigned *index, unsigned *count);

/* The shard (0 .. count-1) of an entry: a stable hash (64-bit FNV-1a) of its path with the last
 * extension of the file name removed — the part its output names share — so that every machine
 * splits the same way and documents whose outputs would collide fall in the same shard. */
unsigned xlate_shard_of(const char *path, unsigned count);

#endif
