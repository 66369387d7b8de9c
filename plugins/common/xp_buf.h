/*
 * xp_buf: the growable byte buffer of the bundled plugins (engine answers, requests, messages).
 * Plugins build on the public headers alone, as any third-party plugin does, so they carry their
 * own buffer rather than reach into libxlate's; it knows nothing about text or formats.
 */
#ifndef XP_BUF_H
#define XP_BUF_H

#include <stddef.h>

/* Marks a function whose result says whether it worked; the build makes dropping it an error
 * (-Werror=unused-result), as libxlate's XLATE_MUST_CHECK does for core. */
#if defined(__GNUC__)
#define XP_MUST_CHECK __attribute__((warn_unused_result))
#else
#define XP_MUST_CHECK
#endif

typedef struct xp_buf {
    char *data;  /* owned; always NUL-terminated once anything was appended */
    size_t len;  /* bytes in use, not counting the NUL */
    size_t cap;
} xp_buf;

#define XP_BUF_INIT {NULL, 0, 0}

/* All return 0 on success, -1 when out of memory or the size would overflow (the buffer is
 * unchanged then). */
int xp_buf_reserve(xp_buf *b, size_t extra);
int xp_buf_append(xp_buf *b, const char *data, size_t len);
int xp_buf_puts(xp_buf *b, const char *s);
int xp_buf_putc(xp_buf *b, char c);
int xp_buf_printf(xp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Empties the buffer, keeping its memory. */
void xp_buf_reset(xp_buf *b);

void xp_buf_free(xp_buf *b);

#endif
