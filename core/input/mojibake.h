/*
 * mojibake: part of the decode stage, after conversion to UTF-8. Recognizes UTF-8 that was once
 * (or twice) decoded as windows-1251, KOI8-R, windows-1252 or Latin-1 and re-encoded as UTF-8
 * ("РЎС‚РѕР»С‚РµРЅР±РµСЂРі" for "Столтенберг") and reverses it. Text that reads fine is never
 * touched: a repair is kept only when every step is exact and the result reads better.
 */
#ifndef XLATE_CORE_MOJIBAKE_H
#define XLATE_CORE_MOJIBAKE_H

#include "error.h" /* XLATE_MUST_CHECK */

#include <stddef.h>

typedef struct xlate_mojibake_result {
    int rounds;          /* mis-decodings undone: 0 (text left as it was), 1 or 2 */
    char via[32];        /* the code page of the last round undone, e.g. "windows-1251" */
    char *text;          /* the repaired text (malloc'd, NUL-terminated) when rounds > 0 */
    size_t len;
} xlate_mojibake_result;

/* Looks at `len` bytes of valid UTF-8. Returns 0 (result filled; free result->text), or -1 when
 * out of memory. */
XLATE_MUST_CHECK int xlate_mojibake_repair(const char *utf8, size_t len, xlate_mojibake_result *result);

#endif
