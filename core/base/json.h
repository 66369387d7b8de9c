/*
 * json: writes JSON string literals (RFC 8259) for the writers and the commands that print JSON.
 * Output only; xlate never parses JSON in its core.
 */
#ifndef XLATE_CORE_JSON_H
#define XLATE_CORE_JSON_H

#include "error.h" /* XLATE_MUST_CHECK */

#include <stddef.h>
#include "buf.h"

/* Appends `len` bytes of UTF-8 as a quoted JSON string: '"' and '\' escaped, control characters
 * as \n \t \r \b \f or \u00XX; other characters, non-ASCII included, as they are.
 * Returns 0, or -1 when out of memory. */
int xlate_json_string(xlate_buf *b, const char *s, size_t len);

/* The same for a NUL-terminated string; NULL gives `null`. */
int xlate_json_cstring(xlate_buf *b, const char *s);

#endif
