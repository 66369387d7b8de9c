/*
 * readfile: core's one way to read a whole file into memory — an input document, an SRX file,
 * a journal, an entry of a listed input. At the edge of the data path, before decode; knows
 * nothing of what the bytes are.
 */
#ifndef XLATE_CORE_READFILE_H
#define XLATE_CORE_READFILE_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "error.h"

/* Appends everything `fd` gives until its end to `out` (a regular file's size is reserved at
 * once). `limit` (0: none) is the most `out` may come to hold. Returns 0, or -1 with *why: the
 * system's reason, "too large" past the limit, or "out of memory"; `out` then holds what was
 * read. Does not close fd. */
XLATE_MUST_CHECK int xlate_read_fd(int fd, size_t limit, xlate_buf *out, const char **why);

/* Reads the file at `path` whole ("-": standard input) into *data (allocated, NUL-terminated;
 * free()) and *len. Returns 0, or -1 with err naming the file and the reason. */
XLATE_MUST_CHECK int xlate_read_file(const char *path, char **data, size_t *len, xlate_error *err);

/* xlate_read_file for a document the user may limit (--max-doc-size): a file larger than
 * `limit` bytes (0: none) is refused before it is read — a pipe or standard input once more
 * than `limit` bytes came — with err (XLATE_ERROR) naming the file, its size and the limit. */
XLATE_MUST_CHECK int xlate_read_file_max(const char *path, uint64_t limit, char **data, size_t *len,
                                         xlate_error *err);

/* A size as messages say it: "12.0 MiB", "3.5 KiB", "100 bytes". */
void xlate_size_words(char *out, size_t cap, uint64_t bytes);

#endif
