/*
 * xp_buf: the plugins' growable byte buffer. Growth doubles, so appends stay amortised O(1) even
 * for an engine's answer of many megabytes; every size is checked before it is added.
 */
#include "xp_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int xp_buf_reserve(xp_buf *b, size_t extra) {
    if (extra > (size_t)-1 - b->len - 1)
        return -1;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > (size_t)-1 / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

int xp_buf_append(xp_buf *b, const char *data, size_t len) {
    if (xp_buf_reserve(b, len) != 0)
        return -1;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int xp_buf_puts(xp_buf *b, const char *s) { return xp_buf_append(b, s, strlen(s)); }

int xp_buf_putc(xp_buf *b, char c) { return xp_buf_append(b, &c, 1); }

int xp_buf_printf(xp_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || xp_buf_reserve(b, (size_t)n) != 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void xp_buf_reset(xp_buf *b) {
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void xp_buf_free(xp_buf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
