/*
 * terms: a term's words in an Apertium answer → a placeholder (see terms.h). Words are compared
 * case-folded (ICU), split at whitespace: the engine writes its translation with the case of
 * the source word, the glossary with its own.
 */
#include "terms.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucasemap.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "placeholder.h"

/* One change to the answer: bytes start..end become prefix, the placeholder, suffix (a term
 * placed), or nothing (more words of a term already placed elsewhere). */
typedef struct edit {
    size_t start, end;
    size_t term;
    int placed;
    size_t keep_from;              /* the engine's words kept before the target start here */
    size_t match_start, match_end; /* the words replaced by the placeholder */
    int lower_rest;                /* the engine's other words get lower case */
    int lower_next;                /* the word after gets its lower case back (terms.h) */
} edit;

typedef struct edits {
    edit *v;
    size_t n, cap;
} edits;

static int push_edit(edits *e, edit x) {
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 8;
        edit *v = realloc(e->v, cap * sizeof *v);
        if (!v)
            return -1;
        e->v = v;
        e->cap = cap;
    }
    e->v[e->n++] = x;
    return 0;
}

static int is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The next whitespace-separated word of s[*at .. len): its bounds, or 0 at the end. */
static int next_word(const char *s, size_t len, size_t *at, size_t *ws, size_t *we) {
    size_t i = *at;
    while (i < len && is_space(s[i]))
        i++;
    if (i >= len)
        return 0;
    *ws = i;
    while (i < len && !is_space(s[i]))
        i++;
    *we = *at = i;
    return 1;
}

static int fold(UCaseMap *cm, const char *s, size_t len, xp_buf *out) {
    xp_buf_reset(out);
    UErrorCode err = U_ZERO_ERROR;
    int32_t need = ucasemap_utf8FoldCase(cm, NULL, 0, s, (int32_t)len, &err);
    if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
        return -1;
    if (xp_buf_reserve(out, (size_t)need + 1) != 0)
        return -1;
    err = U_ZERO_ERROR;
    ucasemap_utf8FoldCase(cm, out->data, need + 1, s, (int32_t)len, &err);
    if (U_FAILURE(err))
        return -1;
    out->len = (size_t)need;
    out->data[need] = '\0';
    return 0;
}

/* Whether the words of `target` follow each other in r[0 .. rlen), compared case-folded; if so
 * their byte range in r. */
static int find_target(UCaseMap *cm, const char *r, size_t rlen, const char *target,
                       size_t *ms, size_t *me) {
    xp_buf a = XP_BUF_INIT, b = XP_BUF_INIT;
    size_t tlen = strlen(target), at = 0, ws, we;
    int found = 0;
    while (!found && next_word(r, rlen, &at, &ws, &we)) {
        size_t ra = ws, ta = 0, rws, rwe, tws, twe;
        int same = 1, any = 0;
        while (next_word(target, tlen, &ta, &tws, &twe)) {
            any = 1;
            if (!next_word(r, rlen, &ra, &rws, &rwe) || fold(cm, r + rws, rwe - rws, &a) != 0 ||
                fold(cm, target + tws, twe - tws, &b) != 0 || a.len != b.len ||
                memcmp(a.data, b.data, a.len) != 0) {
                same = 0;
                break;
            }
            *me = rwe;
        }
        if (same && any) {
            *ms = ws;
            found = 1;
        }
    }
    xp_buf_free(&a);
    xp_buf_free(&b);
    return found;
}

/* Letters, none of them lower case: an acronym such as NATO, whose case Apertium copies onto
 * every word it makes of it ("DE LA OTAN"). */
static int all_capitals(const char *s, size_t len) {
    int letters = 0;
    for (size_t i = 0; i < len;) {
        UChar32 c;
        U8_NEXT(s, i, len, c);
        if (c < 0)
            return 0;
        if (u_islower(c))
            return 0;
        letters += u_isalpha(c) != 0;
    }
    return letters >= 2;
}

static int has_lower(const char *s, size_t len) {
    for (size_t i = 0; i < len;) {
        UChar32 c;
        U8_NEXT(s, i, len, c);
        if (c >= 0 && u_islower(c))
            return 1;
    }
    return 0;
}

/* Whether text[0 .. at) has no letter or digit: what stands at `at` begins the answer. */
static int begins_answer(const char *text, size_t at) {
    for (size_t i = 0; i < at;) {
        UChar32 c;
        U8_NEXT(text, i, at, c);
        if (c >= 0 && (u_isalpha(c) || u_isdigit(c)))
            return 0;
    }
    return 1;
}

/* The edit that places term k on the engine's words text[start .. end). */
static edit place(UCaseMap *cm, const char *text, size_t start, size_t end, size_t k,
                  const xlate_apertium_term *t) {
    edit e = {start, end, k, 1, start, start, end, 0, 0};
    e.lower_next = t->next_lower && begins_answer(text, start);
    size_t ms, me;
    if (find_target(cm, text + start, end - start, t->target, &ms, &me)) {
        e.match_start = start + ms;
        e.match_end = start + me;
        /* A mark (mark_unknown=on) before the engine's words was about the word the glossary
         * now supplies. */
        if (ms > 0 && strchr("*#@", text[start]))
            e.keep_from = start + 1;
        e.lower_rest = all_capitals(t->source, t->source_len) &&
                       !has_lower(text + start, e.match_start - start) &&
                       !has_lower(text + e.match_end, end - e.match_end);
    }
    return e;
}

/* The edits for term k: one range when its words lie together (words the engine put between
 * them belong to its rendering of the term), else the first run placed and the others cut. */
static int edits_for_term(UCaseMap *cm, const char *text, const xlate_apertium_marks *m, size_t k,
                          const xlate_apertium_term *t, edits *out) {
    size_t first = SIZE_MAX, last = 0, first_end = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (m->v[i].term != k)
            continue;
        if (m->v[i].start < first) {
            first = m->v[i].start;
            first_end = m->v[i].end;
        }
        if (m->v[i].end > last)
            last = m->v[i].end;
    }
    if (first == SIZE_MAX)
        return 0;
    int interleaved = 0;
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].term != k && m->v[i].start < last && m->v[i].end > first)
            interleaved = 1;
    if (!interleaved)
        return push_edit(out, place(cm, text, first, last < first ? first : last, k, t));
    if (push_edit(out, place(cm, text, first, first_end, k, t)) != 0)
        return -1;
    for (size_t i = 0; i < m->n; i++) {
        if (m->v[i].term != k || m->v[i].start == first)
            continue;
        size_t s = m->v[i].start;
        if (s > 0 && text[s - 1] == ' ')
            s--;
        if (push_edit(out, (edit){s, m->v[i].end, k, 0, 0, 0, 0, 0, 0}) != 0)
            return -1;
    }
    return 0;
}

static int by_start(const void *a, const void *b) {
    const edit *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->term < y->term ? -1 : x->term > y->term;
}

static int append_lowered(UCaseMap *cm, const char *s, size_t len, int lower, xp_buf *out) {
    if (!lower || len == 0)
        return xp_buf_append(out, s, len);
    UErrorCode err = U_ZERO_ERROR;
    int32_t need = ucasemap_utf8ToLower(cm, NULL, 0, s, (int32_t)len, &err);
    if ((err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err)) ||
        xp_buf_reserve(out, (size_t)need + 1) != 0)
        return -1;
    err = U_ZERO_ERROR;
    ucasemap_utf8ToLower(cm, out->data + out->len, need + 1, s, (int32_t)len, &err);
    if (U_FAILURE(err))
        return -1;
    out->len += (size_t)need;
    out->data[out->len] = '\0';
    return 0;
}

/* Appends text[0 .. len) with the first letter of its first word lowered when that word is
 * capitalised (an upper-case letter, then a lower-case one): "Tiene", not "OTAN" nor "Kiev's"
 * second word. */
static int append_lowering_first_word(UCaseMap *cm, const char *text, size_t len, xp_buf *out) {
    size_t i = 0;
    while (i < len && text[i] == ' ')
        i++;
    size_t first = i, second = i;
    UChar32 c = -1, d = -1;
    if (i < len)
        U8_NEXT(text, second, len, c);
    size_t after = second;
    if (second < len)
        U8_NEXT(text, after, len, d);
    if (c < 0 || d < 0 || !u_isupper(c) || !u_islower(d))
        return xp_buf_append(out, text, len);
    return xp_buf_append(out, text, first) | append_lowered(cm, text + first, second - first, 1, out) |
           xp_buf_append(out, text + second, len - second);
}

/* Appends the engine's text[from .. to) between two edits, or before the first or after the
 * last: a run of spaces where it meets a placed term becomes one space (the engine leaves two
 * where it moved or dropped a word next to the term: "De la otan  los aliados"), and after a
 * term beginning the answer its first word may get its lower case back. */
static int append_between(UCaseMap *cm, const char *text, size_t from, size_t to,
                          int after_term, int before_term, int lower_first, xp_buf *out) {
    while (after_term && to - from >= 2 && text[from] == ' ' && text[from + 1] == ' ')
        from++;
    while (before_term && to - from >= 2 && text[to - 1] == ' ' && text[to - 2] == ' ')
        to--;
    return lower_first ? append_lowering_first_word(cm, text + from, to - from, out)
                       : xp_buf_append(out, text + from, to - from);
}

static int apply(UCaseMap *cm, const char *text, size_t len, edits *e, xp_buf *out) {
    if (e->n) /* qsort takes no NULL array, even of no elements */
        qsort(e->v, e->n, sizeof *e->v, by_start);
    size_t at = 0;
    int rc = 0, lower_next = 0, after_term = 0;
    for (size_t i = 0; i < e->n && rc == 0; i++) {
        const edit *x = &e->v[i];
        if (x->start < at)
            continue; /* words shared with a term already placed */
        rc |= append_between(cm, text, at, x->start, after_term, 1, lower_next, out);
        lower_next = x->placed && x->lower_next;
        after_term = 1;
        if (x->placed) {
            rc |= append_lowered(cm, text + x->keep_from, x->match_start - x->keep_from, x->lower_rest, out);
            rc |= xp_buf_printf(out, XLATE_PLACEHOLDER_FORMAT, (unsigned)x->term);
            rc |= append_lowered(cm, text + x->match_end, x->end - x->match_end, x->lower_rest, out);
        }
        at = x->end;
    }
    rc |= append_between(cm, text, at, len, after_term, 0, lower_next, out);
    return rc ? -1 : 0;
}

int xlate_apertium_place_terms(const char *text, size_t len, const xlate_apertium_marks *marks,
                               const xlate_apertium_term *terms, size_t n_terms, xp_buf *out) {
    UErrorCode err = U_ZERO_ERROR;
    UCaseMap *cm = ucasemap_open("", U_FOLD_CASE_DEFAULT, &err);
    if (U_FAILURE(err))
        return -1;
    edits e = {NULL, 0, 0};
    int rc = 0;
    for (size_t k = 0; k < n_terms && rc == 0; k++)
        rc = edits_for_term(cm, text, marks, k, &terms[k], &e);
    if (rc == 0)
        rc = apply(cm, text, len, &e, out);
    if (rc == 0 && !out->data)
        rc = xp_buf_puts(out, "");
    free(e.v);
    ucasemap_close(cm);
    return rc;
}
