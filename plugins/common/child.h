/*
 * child: a pipeline of engine processes (one command or several joined stdout→stdin) that a
 * translator plugin keeps running for the life of its instance. Sits behind the translator plugins,
 * at the far end of the plugin chain: the plugin writes segments to the first process's stdin and
 * reads translations from the last one's stdout, with timeouts, and learns how the processes ended
 * when the pipeline dies. All processes share one process group, so a hung pipeline is killed whole.
 */
#ifndef XLATE_PLUGIN_CHILD_H
#define XLATE_PLUGIN_CHILD_H

#include <stddef.h>

#include "xp_buf.h"

typedef struct xlate_child xlate_child;

/* What a wait for output ended with. */
typedef enum xlate_child_wait {
    XLATE_CHILD_UNIT = 0,    /* a whole unit (up to the delimiter) is available */
    XLATE_CHILD_EOF = 1,     /* the last process closed its stdout: the pipeline died or quit */
    XLATE_CHILD_TIMEOUT = 2, /* nothing complete arrived within the timeout */
    XLATE_CHILD_IOERR = 3    /* a read or write failed for a reason other than the pipeline's end */
} xlate_child_wait;

/* Starts `n_cmds` commands (each a NULL-terminated argv, looked up in PATH) connected in a chain.
 * Their stderr goes to one pipe that the child keeps the tail of. Returns 0, or -1 with a message
 * in `err` (e.g. the command that could not be started). */
XP_MUST_CHECK int xlate_child_start(xlate_child **out, char *const *const *cmds, size_t n_cmds, char *err,
                                    size_t errlen);

/* Queues bytes for the pipeline's stdin; they are written while waiting for output, so a
 * pipeline whose buffers are full never deadlocks against us. Returns 0 or -1 (out of memory). */
XP_MUST_CHECK int xlate_child_send(xlate_child *c, const char *data, size_t len);

/* Bytes queued but not yet written. */
size_t xlate_child_pending(const xlate_child *c);

/* Waits up to `timeout_ms` for the next unit of output ending in `delim`. On XLATE_CHILD_UNIT,
 * *unit / *len give the unit without its delimiter, valid until the next call. */
xlate_child_wait xlate_child_next_unit(xlate_child *c, char delim, int timeout_ms,
                                       const char **unit, size_t *len);

/* Kills the process group (when `kill_now`, or when it does not end soon after its stdin is
 * closed), reaps every process, and appends to `why` how the processes that failed ended ("apertium-
 * tagger: killed by signal 11 (Segmentation fault)") followed by the tail of their stderr. Frees
 * the child. `why` may be NULL. Returns 1 when a process failed by itself (crashed on a signal of
 * its own making, or exited with a nonzero status), 0 when none did (all ended well, or were
 * killed from outside with SIGKILL/SIGTERM/SIGINT/SIGHUP, or by us). */
int xlate_child_stop(xlate_child *c, int kill_now, xp_buf *why);

/* The process group id, for tests and diagnostics. */
XP_MUST_CHECK int xlate_child_pgid(const xlate_child *c);

#endif
