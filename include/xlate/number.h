/*
 * xlate number parsing: the one strict reading of a decimal number, for the host (command-line
 * flags, plugin options, the environment, its own journal) and for plugins (their options, the
 * markers they put in an engine's stream). A number is what it looks like and nothing else: no
 * sign where none is allowed ("+5" is not 5, "-1" is not 18446744073709551615), no white space
 * around it, no hexadecimal or octal, no "inf" or "nan", no value that wraps or overflows. The C
 * library's strtoull and strtol accept all of those silently; these functions refuse them, and
 * say whether the text is no number at all or a number outside the range the caller allows.
 *
 * Header-only (static inline), C99 and C++, no allocation, thread-safe. Lengths are in bytes;
 * the text need not be NUL-terminated.
 */
#ifndef XLATE_NUMBER_H
#define XLATE_NUMBER_H

#include <errno.h>
#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* What a parse found. */
enum xlate_number_result {
    XLATE_NUMBER_OK = 0,
    XLATE_NUMBER_SYNTAX = 1, /* not a number of the kind asked for (empty, a sign, a space...) */
    XLATE_NUMBER_RANGE = 2   /* a number, but outside [min, max] */
};

static inline int xlate_number_is_digit(char c) {
    return c >= '0' && c <= '9';
}

/* An unsigned decimal: one or more digits 0-9 and nothing else. *out gets the value when it is
 * at most `max`; it is left alone otherwise. */
static inline enum xlate_number_result xlate_parse_uint(const char *s, size_t len, uint64_t max,
                                                        uint64_t *out) {
    uint64_t v = 0;
    int too_big = 0;
    if (!s || len == 0)
        return XLATE_NUMBER_SYNTAX;
    for (size_t i = 0; i < len; i++) {
        if (!xlate_number_is_digit(s[i]))
            return XLATE_NUMBER_SYNTAX;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            too_big = 1; /* read on: "99999999999999999999x" is still no number */
        else
            v = v * 10 + d;
    }
    if (too_big || v > max)
        return XLATE_NUMBER_RANGE;
    *out = v;
    return XLATE_NUMBER_OK;
}

/* A signed decimal: an optional '-' (never '+') and one or more digits. *out gets the value
 * when it is within [min, max]. "-0" is 0. */
static inline enum xlate_number_result xlate_parse_int(const char *s, size_t len, int64_t min,
                                                       int64_t max, int64_t *out) {
    int negative = s && len > 0 && s[0] == '-';
    uint64_t magnitude = 0;
    enum xlate_number_result r =
        xlate_parse_uint(negative ? s + 1 : s, negative ? len - 1 : len, UINT64_MAX, &magnitude);
    if (r != XLATE_NUMBER_OK)
        return r;
    int64_t v;
    if (negative) {
        if (magnitude > (uint64_t)INT64_MAX + 1)
            return XLATE_NUMBER_RANGE;
        v = magnitude == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)magnitude;
    } else {
        if (magnitude > (uint64_t)INT64_MAX)
            return XLATE_NUMBER_RANGE;
        v = (int64_t)magnitude;
    }
    if (v < min || v > max)
        return XLATE_NUMBER_RANGE;
    *out = v;
    return XLATE_NUMBER_OK;
}

/* A decimal real number: an optional '-', digits, optionally '.' and digits, optionally 'e' or
 * 'E', an optional sign and digits ("0.5", "2", "1e3", "-1.5E-2"); not ".5", "5.", "+1", hex,
 * "inf" or "nan". *out gets the value when it is finite and within [min, max]. The C locale's
 * '.' is the decimal point whatever the process's locale. */
static inline enum xlate_number_result xlate_parse_real(const char *s, size_t len, double min,
                                                        double max, double *out) {
    char copy[128];
    size_t i = 0;
    if (!s || len == 0 || len >= sizeof copy)
        return !s || len == 0 ? XLATE_NUMBER_SYNTAX : XLATE_NUMBER_RANGE;
    if (s[i] == '-')
        i++;
    size_t digits = i;
    while (i < len && xlate_number_is_digit(s[i]))
        i++;
    if (i == digits)
        return XLATE_NUMBER_SYNTAX;
    size_t point = SIZE_MAX;
    if (i < len && s[i] == '.') {
        point = i++;
        digits = i;
        while (i < len && xlate_number_is_digit(s[i]))
            i++;
        if (i == digits)
            return XLATE_NUMBER_SYNTAX;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '-' || s[i] == '+'))
            i++;
        digits = i;
        while (i < len && xlate_number_is_digit(s[i]))
            i++;
        if (i == digits)
            return XLATE_NUMBER_SYNTAX;
    }
    if (i != len)
        return XLATE_NUMBER_SYNTAX;
    memcpy(copy, s, len);
    copy[len] = '\0';
    /* strtod reads the locale's decimal point: put it where the '.' was. */
    const char *dp = localeconv()->decimal_point;
    if (point != SIZE_MAX && dp && dp[0] && !dp[1])
        copy[point] = dp[0];
    char *end = NULL;
    int saved = errno;
    errno = 0;
    double v = strtod(copy, &end);
    int overflow = errno == ERANGE && (v > 1.0 || v < -1.0);
    errno = saved;
    if (end != copy + len)
        return XLATE_NUMBER_SYNTAX;
    if (overflow || !(v >= min && v <= max))
        return XLATE_NUMBER_RANGE;
    *out = v;
    return XLATE_NUMBER_OK;
}

#endif
