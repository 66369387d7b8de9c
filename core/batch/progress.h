/*
 * progress: what a batch or a long run tells the person or program watching it, beside the data
 * path. One live line on a terminal (documents done/total, segments, MB/s, errors, ETA),
 * machine-readable JSON events with batch --progress=json, or — when stderr is not a terminal —
 * only the batch's final summary. Fed by one thread only (the batch's main thread, or run's), so
 * it needs no locks.
 */
#ifndef XLATE_CORE_PROGRESS_H
#define XLATE_CORE_PROGRESS_H

#include "error.h" /* XLATE_MUST_CHECK */

#include <stdint.h>
#include <stdio.h>

typedef enum xlate_progress_mode {
    XLATE_PROGRESS_AUTO = 0,  /* the live line on a terminal, else the summary only */
    XLATE_PROGRESS_QUIET = 1, /* nothing */
    XLATE_PROGRESS_JSON = 2   /* one JSON object a line for each event */
} xlate_progress_mode;

/* Parses "auto" / "quiet" / "json" (also "none" for quiet). Returns 0, or -1. */
XLATE_MUST_CHECK int xlate_progress_mode_parse(const char *word, xlate_progress_mode *out);

typedef struct xlate_progress_counts {
    long long total;       /* entries to do, or -1 when not known yet (a compressed archive) */
    long long seen;        /* entries read so far */
    long long done;        /* entries finished (documents translated, or skipped/rejected/failed) */
    long long segments;
    long long errors;      /* documents failed */
    long long resumed;     /* documents found complete and not done again */
    uint64_t bytes;        /* bytes of the documents read, uncompressed */
    uint64_t total_bytes;  /* run: bytes of the whole input, or 0 when not known (standard input) */
    long long skipped;     /* entries that are no document (binary data, a link inside) */
    long long rejected;    /* unsafe entries, never written */
} xlate_progress_counts;

/* The live line for the counts after `elapsed` seconds, without newline, e.g.
 * "xlate batch: 120/400 docs, 3571 segments, 2.4 MB/s, 1 error, ETA 0:42". Returns the length
 * snprintf would have written. */
int xlate_progress_format_line(const xlate_progress_counts *c, double elapsed, char *out,
                               size_t cap);

/* The live line of `xlate run`: `total`/`done` count input files, `errors` failed segments and
 * `bytes` the input gone through the chain, e.g.
 * "xlate run: 37%, 1/3 files, 3571 segments, 2.4 MB/s, 2 failed, ETA 0:42" — without the
 * files for one file, nor the percentage and ETA when total_bytes is 0. Returns the length
 * snprintf would have written. */
int xlate_progress_format_run_line(const xlate_progress_counts *c, double elapsed, char *out,
                                   size_t cap);

typedef struct xlate_progress xlate_progress;

/* `out` is where progress goes (the xlate command gives stderr); `is_tty` says whether it is a
 * terminal. XLATE_PROGRESS_QUIET never writes, and then `out` may be NULL. */
XLATE_MUST_CHECK int xlate_progress_new(xlate_progress_mode mode, FILE *out, int is_tty, xlate_progress **p);

/* The progress of `xlate run`: only the live line (run's), only on a terminal, and only once
 * `delay` seconds have gone by, so that a short run stays silent. Nothing is printed at the end:
 * call xlate_progress_clear, then xlate_progress_free. */
XLATE_MUST_CHECK int xlate_progress_new_run(FILE *out, int is_tty, double delay, xlate_progress **p);

/* Takes the live line off the screen, so that a message can be printed; the next update draws it
 * again. */
void xlate_progress_clear(xlate_progress *p);

/* The counts the caller updates in place; call xlate_progress_update after a change. */
xlate_progress_counts *xlate_progress_counts_of(xlate_progress *p);

/* Redraws the live line (at most ten times a second). */
void xlate_progress_update(xlate_progress *p);

/* One finished entry: a JSON event in json mode, a redraw otherwise. `status` is the report's
 * word ("ok", "failed", "skipped", "rejected", "resumed"). */
void xlate_progress_entry(xlate_progress *p, const char *path, const char *status,
                          size_t segments, const char *message);

/* Clears the live line and prints the summary (the JSON "end" event in json mode). `report` is
 * the report's path, `interrupted` whether a signal stopped the batch. */
void xlate_progress_finish(xlate_progress *p, const char *report, int interrupted);

void xlate_progress_free(xlate_progress *p);

#endif
