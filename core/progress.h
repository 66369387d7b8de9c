/*
 * progress: what a batch tells the person or program watching it, beside the data path. One live
 * line on a terminal (documents done/total, segments, MB/s, errors, ETA), machine-readable JSON
 * events with --progress=json, or — when stderr is not a terminal — only the final summary.
 * Fed by the batch's main thread only, so it needs no locks.
 */
#ifndef XLATE_CORE_PROGRESS_H
#define XLATE_CORE_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

typedef enum xlate_progress_mode {
    XLATE_PROGRESS_AUTO = 0,  /* the live line on a terminal, else the summary only */
    XLATE_PROGRESS_QUIET = 1, /* nothing */
    XLATE_PROGRESS_JSON = 2   /* one JSON object a line for each event */
} xlate_progress_mode;

/* Parses "auto" / "quiet" / "json" (also "none" for quiet). Returns 0, or -1. */
int xlate_progress_mode_parse(const char *word, xlate_progress_mode *out);

typedef struct xlate_progress_counts {
    long long total;       /* entries to do, or -1 when not known yet (a compressed archive) */
    long long seen;        /* entries read so far */
    long long done;        /* entries finished (documents translated, or skipped/rejected/failed) */
    long long segments;
    long long errors;      /* documents failed */
    long long resumed;     /* documents found complete and not done again */
    uint64_t bytes;        /* bytes of the documents read, uncompressed */
    long long skipped;     /* entries that are no document (binary data, a link inside) */
    long long rejected;    /* unsafe entries, never written */
} xlate_progress_counts;

/* The live line for the counts after `elapsed` seconds, without newline, e.g.
 * "xlate batch: 120/400 docs, 3571 segments, 2.4 MB/s, 1 error, ETA 0:42". Returns the length
 * snprintf would have written. */
int xlate_progress_format_line(const xlate_progress_counts *c, double elapsed, char *out,
                               size_t cap);

typedef struct xlate_progress xlate_progress;

/* `out` is where progress goes (stderr); `is_tty` says whether it is a terminal. */
int xlate_progress_new(xlate_progress_mode mode, FILE *out, int is_tty, xlate_progress **p);

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
