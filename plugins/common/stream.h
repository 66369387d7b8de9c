/*
 * stream: moves a batch of segments through a persistent engine pipeline (see child.h) as framed
 * units, many in flight at once, and keeps the run going when the engine fails: a pipeline that
 * dies, hangs or answers out of step is stopped and started again, the oldest unit in flight is
 * sent again alone, and a unit the engine fails on alone (twice, if it crashed) is reported failed
 * with the engine's own words; the others go on. Used by the translator plugins that drive local engines (apertium, exec).
 */
#ifndef XLATE_PLUGIN_STREAM_H
#define XLATE_PLUGIN_STREAM_H

#include <stddef.h>

#include "xp_buf.h"

typedef struct xlate_stream xlate_stream;

/* How units are framed and the engine started. The commands are copied. */
typedef struct xlate_stream_config {
    char *const *const *cmds; /* n_cmds argv arrays, each NULL-terminated */
    size_t n_cmds;
    char delim;               /* the byte that ends a unit on stdout ('\0' or '\n') */
    int timeout_ms;           /* longest wait for one unit before the engine is deemed hung */
    size_t max_in_flight;     /* units written ahead of the answers */
    size_t max_bytes_in_flight;
} xlate_stream_config;

/* What one batch asks of the stream. Indices run 0 .. n-1. */
typedef struct xlate_stream_job {
    size_t n;
    void *data;
    /* Nonzero when unit k is to be sent at all (skipped units get no callback). */
    int (*wanted)(void *data, size_t k);
    /* Appends unit k, delimiter included, to `out`. Returns 0, or -1 to fail unit k with the
     * message left in `out` (the stream then calls `fail`). */
    int (*encode)(void *data, size_t k, xp_buf *out);
    /* Takes the engine's answer to unit k (without the delimiter). Returns 0 when the answer is
     * unit k's, or -1 when it is not (the engine is out of step): the stream restarts it. */
    int (*accept)(void *data, size_t k, const char *answer, size_t len);
    /* Unit k failed: the engine died on it, hung on it, or it could not be encoded. */
    void (*fail)(void *data, size_t k, const char *message);
} xlate_stream_job;

/* Starts the engine. Returns 0, or -1 with a message in `err`. */
XP_MUST_CHECK int xlate_stream_open(xlate_stream **out, const xlate_stream_config *config, char *err,
                                    size_t errlen);

/* Runs every wanted unit of the job. Returns 0 when each unit was accepted or failed; -1 with a
 * message in `err` when the engine cannot be started again (the units not done were failed). */
XP_MUST_CHECK int xlate_stream_run(xlate_stream *s, const xlate_stream_job *job, char *err, size_t errlen);

/* The engine's process group, or -1 when it is not running (for tests that kill it). */
XP_MUST_CHECK int xlate_stream_pgid(const xlate_stream *s);

/* How many times the engine was started (1 after open). */
unsigned xlate_stream_starts(const xlate_stream *s);

/* Stops the engine (stdin closed, killed if it lingers) and frees everything. */
void xlate_stream_close(xlate_stream *s);

#endif
