/*
 * checks_util: excerpts for messages and the case-insensitive term search of the checks (see
 * checks_util.h).
 */
#include "checks_util.h"

#include <stdio.h>
#include <stdlib.h>
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

static int prefix_folded(const char *hay, size_t hlen, const char *needle, size_t nlen) {
    size_t end;
    return match_folded(hay, hlen, needle, nlen, &end);
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

typedef struct keyed_token {
    const char *key;
    size_t len;
    qa_token *tok;
} keyed_token;

static int keyed_cmp(const void *a, const void *b) {
    const keyed_token *x = a, *y = b;
    int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* A date's value ("2024-05-24") never equals a number's (digits and marks), so one key serves. */
static size_t collect(qa_profile *pr, const char *text, unsigned kinds, int by_value,
                      keyed_token *out) {
    size_t n = 0;
    for (size_t i = 0; i < pr->n_tokens; i++) {
        qa_token *t = &pr->tokens[i];
        if (!(kinds & (1u << t->kind)) || t->matched)
            continue;
        if (out) {
            out[n].key = by_value ? t->value : text + t->start;
            out[n].len = by_value ? strlen(t->value) : t->end - t->start;
            out[n].tok = t;
        }
        n++;
    }
    return n;
}

void qa_match_tokens(qa_profile *src, const char *src_text, qa_profile *tgt, const char *tgt_text,
                     unsigned kinds, int by_value) {
    size_t ns = collect(src, src_text, kinds, by_value, NULL);
    size_t nt = collect(tgt, tgt_text, kinds, by_value, NULL);
    if (!ns || !nt)
        return;
    /* a sentence's few: one against each; a table's many: sorted */
    keyed_token *a = ns * nt <= 64 ? NULL : malloc((ns + nt) * sizeof *a);
    if (a) {
        keyed_token *b = a + ns;
        collect(src, src_text, kinds, by_value, a);
        collect(tgt, tgt_text, kinds, by_value, b);
        qsort(a, ns, sizeof *a, keyed_cmp);
        qsort(b, nt, sizeof *b, keyed_cmp);
        for (size_t i = 0, j = 0; i < ns && j < nt;) {
            int c = keyed_cmp(&a[i], &b[j]);
            if (c == 0)
                a[i++].tok->matched = b[j++].tok->matched = 1;
            else if (c < 0)
                i++;
            else
                j++;
        }
        free(a);
        return;
    }
    /* the same pairing, one against each (also when out of memory for the lists) */
    for (size_t i = 0; i < src->n_tokens; i++) {
        qa_token *x = &src->tokens[i];
        if (!(kinds & (1u << x->kind)) || x->matched)
            continue;
        keyed_token kx = {by_value ? x->value : src_text + x->start,
                          by_value ? strlen(x->value) : x->end - x->start, x};
        for (size_t j = 0; j < tgt->n_tokens && !x->matched; j++) {
            qa_token *y = &tgt->tokens[j];
            if (!(kinds & (1u << y->kind)) || y->matched)
                continue;
            keyed_token ky = {by_value ? y->value : tgt_text + y->start,
                              by_value ? strlen(y->value) : y->end - y->start, y};
            if (keyed_cmp(&kx, &ky) == 0)
                x->matched = y->matched = 1;
        }
    }
}
