/*
 * error: sets, prefixes and clears the caller-owned xlate_error that every stage of the data
 * path fills on failure.
 */
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *format_message(const char *fmt, va_list ap) {
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    char *msg = malloc((size_t)n + 1);
    if (msg)
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
    return msg;
}

void xlate_error_setv(xlate_error *err, int status, const char *fmt, va_list ap) {
    if (!err)
        return;
    char *msg = format_message(fmt, ap);
    free(err->message);
    err->status = status;
    err->message = msg ? msg : strdup("out of memory while reporting an error");
}

void xlate_error_set(xlate_error *err, int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    xlate_error_setv(err, status, fmt, ap);
    va_end(ap);
}

void xlate_error_prefix(xlate_error *err, const char *fmt, ...) {
    if (!err || err->status == XLATE_OK)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *prefix = format_message(fmt, ap);
    va_end(ap);
    if (!prefix)
        return;
    const char *old = err->message ? err->message : "";
    size_t n = strlen(prefix) + 2 + strlen(old) + 1;
    char *msg = malloc(n);
    if (msg) {
        snprintf(msg, n, "%s: %s", prefix, old);
        free(err->message);
        err->message = msg;
    }
    free(prefix);
}

void xlate_error_clear(xlate_error *err) {
    if (!err)
        return;
    free(err->message);
    err->message = NULL;
    err->status = XLATE_OK;
}
