/*
 * archive_out: where a batch's output goes, after the writers. A folder in which each file is
 * written by outfile's rule (outfile.h) and never through a symbolic link, or an
 * archive (tar, tar.gz/.tgz, tar.bz2, tar.xz, tar.zst, zip — the kind follows the name) packed
 * with libarchive from a staging folder once the batch is done. Knows nothing of documents.
 */
#ifndef XLATE_CORE_ARCHIVE_OUT_H
#define XLATE_CORE_ARCHIVE_OUT_H

#include <stddef.h>
#include <stdio.h>
#include "error.h"
#include "outfile.h"

/* Whether `path` names an archive xlate can write (by its extension). */
XLATE_MUST_CHECK int xlate_output_names_archive(const char *path);

/* The output file of a document for one format: "a/b/name.txt" → "a/b/name.uk-en.jsonl"; the last
 * extension of the file name is replaced (a name without one keeps it whole). `to` may be "" (then
 * "name.uk.jsonl"). Allocated (free()), or NULL when out of memory. */
char *xlate_output_name(const char *doc_path, const char *from, const char *to, const char *ext);

typedef struct xlate_output xlate_output;

/* A pack_time that asks for the time of packing. */
#define XLATE_PACK_TIME_NOW (-1LL)

/* Opens OUTPUT. A folder is created when missing (its parent must exist). For an archive name the
 * files are staged in the folder "OUTPUT.partial", kept until xlate_output_finish packs them, so an
 * interrupted batch can be resumed; the packed entries carry `pack_time` (seconds since 1970, for
 * reproducible archives), or the time of packing when it is XLATE_PACK_TIME_NOW (any negative
 * value). Returns 0, or -1 with err. */
XLATE_MUST_CHECK int xlate_output_open(const char *path, long long pack_time, xlate_output **out, xlate_error *err);

/* The folder files are written into (OUTPUT, or the staging folder). */
const char *xlate_output_root(const xlate_output *o);
XLATE_MUST_CHECK int xlate_output_is_archive(const xlate_output *o);

/* The folder a thread wrote into last, kept open for its next write: the documents of an archive
 * come folder by folder, so most writes need not walk their path again (one openat a folder on the
 * way, each a path lookup). A place belongs to one thread; initialise it with
 * XLATE_OUTPUT_PLACE_INIT and close it with xlate_output_place_close. The folder stays the one
 * that was opened: a link put in its place later does not redirect writes. */
typedef struct xlate_output_place {
    char *dir;  /* the folder's path relative to the root, "" for the root itself */
    int fd;     /* open on it, or -1 */
} xlate_output_place;
#define XLATE_OUTPUT_PLACE_INIT {NULL, -1}

void xlate_output_place_close(xlate_output_place *place);

/* Opens `rel` (a clean relative path: no "..", no leading "/") under the root by outfile's rule,
 * creating its folders: a file there is replaced whole on commit, a device or FIFO written in
 * place. A folder on the way or the file itself that is a symbolic link is an error: nothing is
 * written through links, and no link is replaced. `place` (may be NULL) is the calling thread's
 * last folder, used and updated. Safe to call from several threads at once, each with its own
 * place. Returns 0 (*f to commit or abort), or -1 with err. */
XLATE_MUST_CHECK int xlate_output_open_file(xlate_output *o, xlate_output_place *place, const char *rel,
                                            xlate_outfile **f, xlate_error *err);

/* Writes `rel` whole through xlate_output_open_file. Returns 0, or -1 with err. */
XLATE_MUST_CHECK int xlate_output_write(xlate_output *o, xlate_output_place *place, const char *rel,
                                        const char *data, size_t len, xlate_error *err);

/* Whether `rel` exists as a regular file under the root (links not followed). */
XLATE_MUST_CHECK int xlate_output_exists(xlate_output *o, const char *rel);

/* Opens `rel` for appending (created when missing, its folders too, links refused): a journal the
 * caller writes whole lines to. Returns a file descriptor (close it), or -1 with err. */
XLATE_MUST_CHECK int xlate_output_open_append(xlate_output *o, const char *rel, xlate_error *err);

/* Reads `rel` whole (a small file the batch wrote itself). Returns 0, or -1 (errno set). */
XLATE_MUST_CHECK int xlate_output_read(xlate_output *o, const char *rel, char **data, size_t *len);

/* Removes the file or folder tree `rel` under the root, never following links, then its parent
 * folders up to the root when they became empty. Missing is fine. Returns 0, or -1. */
XLATE_MUST_CHECK int xlate_output_remove(xlate_output *o, const char *rel);

/* For an archive output: packs the files `rels` (in that order) into OUTPUT atomically, then
 * removes the staging folder. Nothing to do for a folder. Returns 0, or -1 with err. */
XLATE_MUST_CHECK int xlate_output_finish(xlate_output *o, const char *const *rels, size_t n, xlate_error *err);

void xlate_output_free(xlate_output *o);

#endif
