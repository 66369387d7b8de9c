/*
 * buf: a growable byte buffer, the common currency between stages (decoded text, writer output).
 * Used across the data path; it knows nothing about text or formats.
 */
#ifndef XLATE_CORE_BUF_H
#define XLATE_CORE_BUF_H

#include "error.h" /* XLATE_MUST_CHECK */

#include <stddef.h>

typedef struct xlate_buf {
    char *data;  /* owned; always NUL-terminated once anything was appended */
    size_t len;  /* bytes in use, not counting the NUL */
    size_t cap;
    int failed;  /* an append ran out of memory: the text is incomplete (see below) */
} xlate_buf;

#define XLATE_BUF_INIT {NULL, 0, 0, 0}

/* Appends. Each returns 0, or -1 when out of memory; then the buffer keeps what it had and is
 * marked failed, and every later append does nothing and returns -1. So a run of appends (a
 * writer's record, a report) may be checked once, at the end, through xlate_buf_failed or
 * xlate_buf_steal — the way SQLite's sqlite3_str is — and a failure cannot be lost between them:
 * incomplete text is never taken for whole. */
int xlate_buf_reserve(xlate_buf *b, size_t extra);
int xlate_buf_append(xlate_buf *b, const char *data, size_t len);
int xlate_buf_puts(xlate_buf *b, const char *s);
int xlate_buf_putc(xlate_buf *b, char c);
int xlate_buf_printf(xlate_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Like xlate_buf_reserve, for a buffer about to take a whole large text (a file read, a stage's
 * output): many megabytes go in memory the kernel may back with huge pages, so that a 20 MB text
 * costs ten page faults instead of five thousand. Smaller sizes are a plain reserve. */
int xlate_buf_reserve_bulk(xlate_buf *b, size_t extra);

/* Like xlate_buf_reserve, but to exactly the room asked for, without doubling: for a text whose
 * size is known before it is read (an archive entry), which then holds no slack while it waits. */
int xlate_buf_reserve_exact(xlate_buf *b, size_t extra);

/* calloc(n, size) for an array as large as a whole text (a long document's segments): many
 * megabytes are given huge pages as xlate_buf_reserve_bulk's are, so that the first touch of each
 * costs one page fault in 512; the last, partial one small pages, so that the array takes no more
 * memory than calloc's would. Smaller arrays come from calloc. free() it. NULL when out of memory
 * or when n * size overflows. */
void *xlate_calloc_bulk(size_t n, size_t size);

/* Nonzero when an append failed since the buffer was made or last reset: its text is incomplete. */
XLATE_MUST_CHECK int xlate_buf_failed(const xlate_buf *b);

/* Empties the buffer, keeping its memory, and clears its failed mark: a new text starts. */
void xlate_buf_reset(xlate_buf *b);

/* Hands the data to the caller (free() it); the buffer is empty afterwards. Never NULL for a
 * buffer whose appends all worked: an empty buffer gives an allocated "". Returns NULL when out of
 * memory, or when the buffer is marked failed (its text is then freed, not handed on). */
XLATE_MUST_CHECK char *xlate_buf_steal(xlate_buf *b, size_t *len);

void xlate_buf_free(xlate_buf *b);

#endif
