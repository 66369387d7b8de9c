/*
 * checks_util: excerpts for messages and the case-insensitive term search of the checks (see
 * checks_util.h).
 */
#include "checks_util.h"

#include <stdio.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

void qa_quote(char *out, size_t outlen, const char *text, size_t len, size_t max) {
    size_t n = len;
    int cut = 0;
    if (n > max) {
        n = max;
        while (n > 0 && U8_IS_TRAIL((unsigned char)text[n]))
            n--;
        cut = 1;
    }
    snprintf(out, outlen, "“%.*s%s”", (int)n, text, cut ? "…" : "");
}

void qa_list_add(qa_list *l, const char *text, size_t start, size_t end) {
    l->n++;
    if (l->n <= QA_LIST_SHOWN) {
        char item[80];
        qa_quote(item, sizeof item, text + start, end - start, 48);
        size_t used = strlen(l->items);
        snprintf(l->items + used, sizeof l->items - used, "%s%s", l->n > 1 ? ", " : "", item);
    }
    if (l->n > QA_LIST_SHOWN)
        snprintf(l->text, sizeof l->text, "%s and %zu more", l->items, l->n - QA_LIST_SHOWN);
    else
        snprintf(l->text, sizeof l->text, "%s", l->items);
}

static int prefix_folded(const char *hay, size_t hlen, const char *needle, size_t nlen) {
    size_t i = 0, j = 0;
    while (j < nlen) {
        if (i >= hlen)
            return 0;
        UChar32 x, y;
        U8_NEXT(hay, i, hlen, x);
        U8_NEXT(needle, j, nlen, y);
        if (x != y && (x < 0 || y < 0 || u_foldCase(x, U_FOLD_CASE_DEFAULT) !=
                                             u_foldCase(y, U_FOLD_CASE_DEFAULT)))
            return 0;
    }
    return 1;
}

/* Matches needle at hay[i, hlen) ignoring case; the end of the match in *end. */
static int match_folded(const char *hay, size_t hlen, const char *needle, size_t nlen,
                        size_t *end) {
    size_t i = 0, j = 0;
    while (j < nlen) {
        if (i >= hlen)
            return 0;
        UChar32 x, y;
        U8_NEXT(hay, i, hlen, x);
        U8_NEXT(needle, j, nlen, y);
        if (x != y && (x < 0 || y < 0 || u_foldCase(x, U_FOLD_CASE_DEFAULT) !=
                                             u_foldCase(y, U_FOLD_CASE_DEFAULT)))
            return 0;
    }
    *end = i;
    return 1;
}

int qa_contains_folded(const char *hay, size_t hlen, const char *needle, size_t nlen) {
    if (nlen == 0)
        return 1;
    for (size_t i = 0; i < hlen;) {
        if (prefix_folded(hay + i, hlen - i, needle, nlen))
            return 1;
        U8_FWD_1(hay, i, hlen);
    }
    return 0;
}

static int is_word_char(UChar32 c) {
    return c >= 0 && (u_isalnum(c) || u_getIntPropertyValue(c, UCHAR_GENERAL_CATEGORY_MASK) &
                                          U_GC_M_MASK);
}

int qa_contains_word_folded(const char *hay, size_t hlen, const char *needle, size_t nlen) {
    if (nlen == 0)
        return 0;
    for (size_t i = 0; i < hlen;) {
        size_t end;
        if (match_folded(hay + i, hlen - i, needle, nlen, &end)) {
            UChar32 before = -1, after = -1;
            if (i > 0) { /* the character that ends at i */
                size_t b = i - 1;
                while (b > 0 && i - b < 4 && U8_IS_TRAIL((unsigned char)hay[b]))
                    b--;
                U8_NEXT(hay, b, i, before);
            }
            if (i + end < hlen) {
                size_t a = i + end;
                U8_NEXT(hay, a, hlen, after);
            }
            if (!is_word_char(before) && !is_word_char(after))
                return 1;
        }
        U8_FWD_1(hay, i, hlen);
    }
    return 0;
}
