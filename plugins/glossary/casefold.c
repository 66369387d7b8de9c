/*
 * casefold: one place for the grow-and-retry loop around ICU's ucasemap_utf8FoldCase, shared by
 * the lemmatizer and the dictionary filter.
 */
#include "casefold.h"

#include <stdlib.h>

int xlate_grow_bytes(char **buf, size_t *cap, size_t need) {
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 256;
    while (n < need)
        n *= 2;
    char *p = realloc(*buf, n);
    if (!p)
        return -1;
    *buf = p;
    *cap = n;
    return 0;
}

long xlate_casefold(const UCaseMap *map, char **buf, size_t *cap, const char *s, size_t len) {
    for (;;) {
        UErrorCode status = U_ZERO_ERROR;
        int32_t n = ucasemap_utf8FoldCase(map, *buf, (int32_t)*cap, s, (int32_t)len, &status);
        if (U_SUCCESS(status) && (size_t)n < *cap)
            return n;
        if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
            return -1;
        if (xlate_grow_bytes(buf, cap, (size_t)n + 1) != 0)
            return -1;
    }
}
