/*
 * error: the one way core modules report failure to their caller.
 * Sits beside every stage of the data path; each stage fills an xlate_error and returns nonzero,
 * and the CLI turns it into a message and an exit status. No global state: the caller owns it.
 */
#ifndef XLATE_CORE_ERROR_H
#define XLATE_CORE_ERROR_H

#include <stdarg.h>

/* Exit statuses of the xlate command, documented in the README and --help. */
enum { XLATE_EXIT_OK = 0, XLATE_EXIT_FAILED = 1, XLATE_EXIT_USAGE = 2 };

/* What kind of failure: a run failure (bad input, plugin error) or a usage error (bad flag,
 * unknown plugin, bad option). The kind decides the exit status. */
typedef enum xlate_error_kind {
    XLATE_ERR_NONE = 0,
    XLATE_ERR_RUN = 1,
    XLATE_ERR_USAGE = 2
} xlate_error_kind;

typedef struct xlate_error {
    xlate_error_kind kind;
    char *message; /* owned; NULL when kind is NONE. A full sentence naming file/place/what to do. */
} xlate_error;

/* Sets the error (replacing any earlier one). Safe with err == NULL. */
void xlate_error_set(xlate_error *err, xlate_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void xlate_error_setv(xlate_error *err, xlate_error_kind kind, const char *fmt, va_list ap);

/* Prepends "prefix: " to the current message (e.g. the file name). */
void xlate_error_prefix(xlate_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Frees the message and resets to NONE. */
void xlate_error_clear(xlate_error *err);

/* The exit status that matches the error's kind. */
int xlate_error_exit_status(const xlate_error *err);

#endif
