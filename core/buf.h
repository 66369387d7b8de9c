/*
 * buf: a growable byte buffer, the common currency between stages (decoded text, writer output).
 * Used across the data path; it knows nothing about text or formats.
 */
#ifndef XLATE_CORE_BUF_H
#define XLATE_CORE_BUF_H

#include <stddef.h>

typedef struct xlate_buf {
    char *data;  /* owned; always NUL-terminated once anything was appended */
    size_t len;  /* bytes in use, not counting the NUL */
    size_t cap;
} xlate_buf;

#define XLATE_BUF_INIT {NULL, 0, 0}

/* All return 0 on success, -1 when out of memory (the buffer is unchanged then). */
int xlate_buf_reserve(xlate_buf *b, size_t extra);
int xlate_buf_append(xlate_buf *b, const char *data, size_t len);
int xlate_buf_puts(xlate_buf *b, const char *s);
int xlate_buf_putc(xlate_buf *b, char c);
int xlate_buf_printf(xlate_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Like xlate_buf_reserve, for a buffer about to take a whole large text (a file read, a stage's
 * output): many megabytes go in memory the kernel may back with huge pages, so that a 20 MB text
 * costs ten page faults instead of five thousand. Smaller sizes are a plain reserve. */
int xlate_buf_reserve_bulk(xlate_buf *b, size_t extra);

/* Empties the buffer, keeping its memory. */
void xlate_buf_reset(xlate_buf *b);

/* Hands the data to the caller (free() it); the buffer is empty afterwards. Never NULL: an empty
 * buffer gives an allocated "". Returns NULL only when out of memory. */
char *xlate_buf_steal(xlate_buf *b, size_t *len);

void xlate_buf_free(xlate_buf *b);

#endif
