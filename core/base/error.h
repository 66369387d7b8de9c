/*
 * error: the one way libxlate reports failure to its caller.
 * Sits beside every stage of the data path: a stage that fails fills the caller's xlate_error with
 * a status and a message and returns nonzero. The status is the code plugins and programs that
 * embed libxlate already know (enum xlate_status, include/xlate/plugin.h), so a failure keeps its
 * meaning from a plugin through the host to the embedding API. What a command makes of a status
 * (its exit code) is the command's own business (core/cli/cli.h). No global state: the caller
 * owns the error.
 */
#ifndef XLATE_CORE_ERROR_H
#define XLATE_CORE_ERROR_H

#include <stdarg.h>

#include <xlate/plugin.h>

/* Marks a function whose result says whether it worked: dropping that result is a compile error
 * in this project (meson.build builds with -Werror=unused-result), because a failure nobody reads
 * is how output gets truncated with exit status 0. */
#if defined(__GNUC__)
#define XLATE_MUST_CHECK __attribute__((warn_unused_result))
#else
#define XLATE_MUST_CHECK
#endif

typedef struct xlate_error {
    /* XLATE_OK while there is no error; otherwise a negative enum xlate_status code:
     *   XLATE_EINVAL    the request is wrong: an unknown option or value, a bad language tag;
     *   XLATE_ENOTFOUND the request names something that is not there: a plugin, a pair;
     *   XLATE_ENOMEM    out of memory;
     *   XLATE_ERROR     the work failed: input that cannot be read or decoded, a plugin or an
     *                   engine that failed, output that cannot be written. */
    int status;
    char *message; /* owned; NULL when status is XLATE_OK. A full sentence naming file/place/what to do. */
} xlate_error;

/* Sets the error (replacing any earlier one). `status` is one of the codes above. Safe with
 * err == NULL. */
void xlate_error_set(xlate_error *err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void xlate_error_setv(xlate_error *err, int status, const char *fmt, va_list ap);

/* Prepends "prefix: " to the current message (e.g. the file name); the status stays. */
void xlate_error_prefix(xlate_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Frees the message and resets to XLATE_OK. */
void xlate_error_clear(xlate_error *err);

#endif
