/*
 * buf: the growable byte buffer shared by every stage; growth doubles so appends stay amortised
 * O(1) even for a 10 MB line, and a whole large text can be given huge pages at once.
 */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Marks the buffer failed and says so: the one way an append gives up. */
static int fail(xlate_buf *b) {
    b->failed = 1;
    return -1;
}

int xlate_buf_reserve(xlate_buf *b, size_t extra) {
    if (b->failed || extra > (size_t)-1 - b->len - 1)
        return fail(b);
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > (size_t)-1 / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return fail(b);
    b->data = p;
    b->cap = cap;
    return 0;
}

int xlate_buf_reserve_exact(xlate_buf *b, size_t extra) {
    if (b->failed || extra > (size_t)-1 - b->len - 1)
        return fail(b);
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    char *p = realloc(b->data, need);
    if (!p)
        return fail(b);
    b->data = p;
    b->cap = need;
    return 0;
}

enum { HUGE_PAGE = 2u << 20, BULK_MIN = 4u << 20 };

int xlate_buf_reserve_bulk(xlate_buf *b, size_t extra) {
    if (b->failed || b->data || extra < BULK_MIN || extra > (size_t)-1 - HUGE_PAGE)
        return xlate_buf_reserve(b, extra);
    size_t cap = (extra + 1 + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
    void *p = NULL;
    if (posix_memalign(&p, HUGE_PAGE, cap) != 0)
        return xlate_buf_reserve(b, extra);
#ifdef MADV_HUGEPAGE
    madvise(p, cap, MADV_HUGEPAGE); /* only advice: without it the pages are merely small */
#endif
    b->data = p;
    b->cap = cap;
    b->len = 0;
    b->data[0] = '\0';
    return 0;
}

void *xlate_calloc_bulk(size_t n, size_t size) {
    if (size && n > ((size_t)-1 - HUGE_PAGE) / size)
        return NULL;
    size_t bytes = n * size;
    if (bytes < BULK_MIN)
        return calloc(n ? n : 1, size ? size : 1);
    size_t cap = (bytes + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
    size_t whole = bytes & ~(size_t)(HUGE_PAGE - 1);
    void *p = NULL;
    if (posix_memalign(&p, HUGE_PAGE, cap) != 0)
        return calloc(n, size);
#ifdef MADV_HUGEPAGE
    madvise(p, whole, MADV_HUGEPAGE);
    /* the part of a huge page past the end stays unbacked: the tail takes small pages */
    if (whole < cap)
        madvise((char *)p + whole, cap - whole, MADV_NOHUGEPAGE);
#endif
    memset(p, 0, bytes);
    return p;
}

int xlate_buf_append(xlate_buf *b, const char *data, size_t len) {
    /* room already: the writers' many short appends (keys, numbers) take this way */
    if (!b->failed && len < b->cap - b->len) {
        if (len)
            memcpy(b->data + b->len, data, len);
        b->len += len;
        b->data[b->len] = '\0';
        return 0;
    }
    if (xlate_buf_reserve(b, len) != 0)
        return -1;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int xlate_buf_puts(xlate_buf *b, const char *s) { return xlate_buf_append(b, s, strlen(s)); }

int xlate_buf_putc(xlate_buf *b, char c) { return xlate_buf_append(b, &c, 1); }

int xlate_buf_printf(xlate_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return fail(b);
    if (xlate_buf_reserve(b, (size_t)n) != 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

int xlate_buf_failed(const xlate_buf *b) { return b->failed; }

void xlate_buf_reset(xlate_buf *b) {
    b->len = 0;
    b->failed = 0;
    if (b->data)
        b->data[0] = '\0';
}

char *xlate_buf_steal(xlate_buf *b, size_t *len) {
    if (b->failed || (!b->data && xlate_buf_reserve(b, 0) != 0)) {
        xlate_buf_free(b);
        return NULL;
    }
    b->data[b->len] = '\0';
    char *p = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void xlate_buf_free(xlate_buf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}
