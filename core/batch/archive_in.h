/*
 * archive_in: where a batch's documents come from, before the data path starts. A folder walk, a
 * tar or zip archive read with libarchive, or a list of paths on stdin, read one entry at a time
 * (never the whole archive in memory). Each entry comes back as a document's bytes, or as an entry
 * that is skipped (binary data by detect's rule, a link) or rejected (unsafe: absolute path, "..",
 * a link leading outside, a device file, a name that is not UTF-8) with the reason. Knows nothing
 * of decoding, plugins or output.
 */
#ifndef XLATE_CORE_ARCHIVE_IN_H
#define XLATE_CORE_ARCHIVE_IN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "error.h"

typedef struct xlate_input_options {
    uint64_t max_doc_size;  /* bytes of one document once uncompressed; larger ones fail */
    double max_ratio;       /* uncompressed / compressed bytes of one archive entry */
    /* A folder not to walk into (the output, when it lies inside an input folder), or NULL. */
    const char *exclude_dir;
    /* Entries for which want() returns 0 are passed over without reading their data and never
     * returned (a --shard that is not this one). NULL: every entry. */
    int (*want)(void *data, const char *path);
    void *want_data;
    /* The encoding the documents will be decoded in (borrowed): NULL or "auto" for detection.
     * Binary data is told from text as decoding in it would (UTF-16/32 text holds zero bytes). */
    const char *encoding;
} xlate_input_options;

/* 100 MiB a document; a ratio of 100 is far beyond what text compresses to with gzip, bzip2, xz or
 * zstd, and far below a zip bomb's. */
#define XLATE_INPUT_MAX_DOC_SIZE_DEFAULT ((uint64_t)100 << 20)
#define XLATE_INPUT_MAX_RATIO_DEFAULT 100.0
#define XLATE_INPUT_OPTIONS_INIT \
    {XLATE_INPUT_MAX_DOC_SIZE_DEFAULT, XLATE_INPUT_MAX_RATIO_DEFAULT, NULL, NULL, NULL, NULL}

typedef enum xlate_entry_kind {
    XLATE_ENTRY_DOCUMENT = 0, /* a text document: data holds its bytes */
    XLATE_ENTRY_SKIPPED = 1,  /* not a document (binary data, a link inside the input): see reason */
    XLATE_ENTRY_REJECTED = 2, /* unsafe, never written anywhere: see reason */
    XLATE_ENTRY_FAILED = 3    /* a document that could not be read (too large, a zip bomb, I/O) */
} xlate_entry_kind;

/* "document", "skipped", "rejected", "failed". */
const char *xlate_entry_kind_name(xlate_entry_kind k);

typedef struct xlate_entry {
    xlate_entry_kind kind;
    char *path;       /* owned: the name relative to the input, '/'-separated, no "." parts. For a
                         name that is not UTF-8 the bad bytes are shown as \xNN. */
    char *reason;     /* owned, NULL for a document: why it was skipped, rejected or failed */
    char *data;       /* owned, documents only: the bytes, NUL-terminated */
    size_t len;
    /* The entry's 0-based place among all the input's entries, those want() passed over
     * included (folders aside): the same in every shard, so that shards' reports can be merged
     * back into the input order. */
    size_t position;
} xlate_entry;

void xlate_entry_free(xlate_entry *e);

typedef struct xlate_input xlate_input;

/* `spec` is a folder, an archive file (tar, optionally gzip/bzip2/xz/zstd/lzma-compressed, or zip;
 * recognised by content) or "-": a list of paths, one a line, read from `list` (stdin).
 * Returns 0, or -1 with err (a missing input, a file that is no archive libarchive reads). */
XLATE_MUST_CHECK int xlate_input_open(const char *spec, const xlate_input_options *opts, FILE *list,
                                      xlate_input **out, xlate_error *err);

/* The number of entries want() accepted, when known before reading them (folders and lists: the
 * walk is done at open), else -1 (archives: counted as they are read). */
long long xlate_input_total(const xlate_input *in);

/* Reads the next entry into *e (free with xlate_entry_free). Returns 1 with an entry, 0 at the
 * end, or -1 with err when the input cannot be read any further (a corrupt archive: the message
 * names the archive, the byte offset and the last good entry). */
XLATE_MUST_CHECK int xlate_input_next(xlate_input *in, xlate_entry *e, xlate_error *err);

void xlate_input_free(xlate_input *in);

/* --- the checks, exposed for tests and for other callers that name files --------------------- */

/* Cleans an entry name into a relative path under the output: strips "./" and empty parts.
 * Returns the allocated clean path, or NULL with *why set (a constant string) when the name is
 * absolute, has a ".." part, is not valid UTF-8, holds a control character or a backslash, names
 * the reserved ".xlate-state" folder, or is empty. *why is "out of memory" on ENOMEM. */
char *xlate_entry_path_clean(const char *name, const char **why);

/* Whether a link stored at `path` (clean) with target `target` stays inside the input root.
 * `symbolic`: targets are relative to the link's folder; otherwise (hard links) to the root. */
XLATE_MUST_CHECK int xlate_link_stays_inside(const char *path, const char *target, int symbolic);

#endif
