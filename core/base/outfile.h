/*
 * outfile: the last step of the data path, for every file xlate writes — run's, normalize's and
 * segment's -o, a batch's output files, its report, its combined TMX and its output archive. The
 * rule for what a path may become lives here alone:
 *
 *   - a regular file, or a name that does not exist yet, is replaced whole: the bytes go to a
 *     temporary file in the same folder (unnamed, O_TMPFILE, where the file system allows), which
 *     is put in place under the name on commit, so a reader never sees half of it, a failed run
 *     leaves the old file, and a kill leaves nothing behind (a ".xlate-*.tmp" file only where the
 *     file system lacks O_TMPFILE, in the instant before the rename over an old file, or while an
 *     unnamed file the kernel cannot link — Linux before 6.10 without /proc — is copied to a
 *     named one). A file replaced keeps its permissions;
 *   - anything else — a character or block device, a FIFO, a socket, standard output ("-"),
 *     /dev/stdout, /dev/fd/N — is written in place: opened for writing without truncating it,
 *     never unlinked, never renamed over. /dev/fd/N and the like name one of this process's own
 *     descriptors and are written through a duplicate of it, at its offset;
 *   - a symbolic link is followed to what it names, which the two rules above then apply to; the
 *     link stays. Where links are refused (XLATE_OUTFILE_NO_LINKS: inside a batch's output
 *     folder, so that nothing lands outside it) a link is an error, and so is a folder anywhere.
 */
#ifndef XLATE_CORE_OUTFILE_H
#define XLATE_CORE_OUTFILE_H

#include <stddef.h>
#include <stdio.h>
#include "error.h"

typedef struct xlate_outfile xlate_outfile;

enum {
    /* `path` is one name in `dir_fd`; a symbolic link there is an error, not followed. */
    XLATE_OUTFILE_NO_LINKS = 1,
    /* `dir_fd` stays open until the handle is ended: the handle uses it as it is instead of a
     * copy of its own (and never closes it). */
    XLATE_OUTFILE_DIR_KEPT = 2,
    /* With XLATE_OUTFILE_NO_LINKS, for a name that is almost always new (a batch's output for one
     * document): the name is not looked at when the file is opened but when it is put in place,
     * and only if it proves taken; the rule above then decides as it would have at open (a file
     * is replaced keeping its permissions, a device or FIFO gets the bytes in place, a link or a
     * folder is refused), so those refusals come from commit instead of open. A look at a name
     * that is not there waits for the folder's lock while another thread adds a name to it. */
    XLATE_OUTFILE_LIKELY_NEW = 4
};

/* Opens `path` (relative to the folder `dir_fd`, or AT_FDCWD; "-" is standard output) for
 * writing by the rule above. `shown` names the file in messages (NULL: `path`). On success *out
 * is the handle, to be ended by exactly one of xlate_outfile_commit and xlate_outfile_abort.
 * Opening a FIFO waits for its reader. Returns 0, or -1 with err naming the path. */
XLATE_MUST_CHECK int xlate_outfile_open(int dir_fd, const char *path, unsigned flags, const char *shown,
                                        xlate_outfile **out, xlate_error *err);

/* The descriptor to write to (owned by the handle). */
XLATE_MUST_CHECK int xlate_outfile_fd(const xlate_outfile *f);

/* A stdio stream on the descriptor, made on the first call (owned by the handle); NULL when out
 * of memory. Use the stream or xlate_outfile_write, not both. */
FILE *xlate_outfile_stream(xlate_outfile *f);

/* The name messages use for the file. */
const char *xlate_outfile_shown(const xlate_outfile *f);

/* Whether the file is written in place (not replaced on commit). */
XLATE_MUST_CHECK int xlate_outfile_in_place(const xlate_outfile *f);

/* Writes all of `data` to the descriptor. Returns 0, or -1 with err naming the file. */
XLATE_MUST_CHECK int xlate_outfile_write(xlate_outfile *f, const void *data, size_t len, xlate_error *err);

/* Flushes and closes, and puts a replacing file in place. Frees f. Returns 0, or -1 with err
 * naming the file and the reason (a device that is full says so): then a replacing file is
 * dropped and the old one, if any, stays. */
XLATE_MUST_CHECK int xlate_outfile_commit(xlate_outfile *f, xlate_error *err);

/* Drops a replacing file (the old one stays) or closes a file written in place (what was written
 * is there). Frees f; NULL is fine. */
void xlate_outfile_abort(xlate_outfile *f);

#endif
