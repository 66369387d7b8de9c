/*
 * align_anchors: a sentence's anchors as sorted hashes. See align_anchors.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "align_anchors.h"
#include "hashtab.h"

/* Kinds of anchor: the first byte of what is hashed, so that the number 5 and May never meet. */
enum { K_NUMBER = 'n', K_URL = 'u', K_PUNCT = 'p', K_NAME = 'a', K_DICT = 'd', K_WORD = 'w' };

/* MT similarity compares words of at least this many letters, by their first PREFIX letters:
 * short words are mostly function words, and the prefix lets inflected forms meet. */
enum { WORD_MIN = 4, WORD_PREFIX = 5 };

typedef struct hashes {
    uint64_t *v;
    size_t n, cap;
} hashes;

static int push(hashes *h, uint64_t x) {
    if (h->n == h->cap) {
        size_t nc = h->cap ? 2 * h->cap : 16;
        uint64_t *nv = realloc(h->v, nc * sizeof *nv);
        if (!nv)
            return -1;
        h->v = nv;
        h->cap = nc;
    }
    h->v[h->n++] = x;
    return 0;
}

static int push_kind(hashes *h, char kind, const char *data, size_t len) {
    char buf[256];
    if (len > sizeof buf - 1)
        len = sizeof buf - 1;
    buf[0] = kind;
    memcpy(buf + 1, data, len);
    return push(h, xlate_hash(buf, len + 1));
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Month names, each with its number: Ukrainian and Russian in the forms news use (nominative,
 * genitive, locative), English. Compared lowercased and whole. */
static const struct month {
    const char *name;
    char number;
} months[] = {
    {"січень", 1}, {"січня", 1}, {"січні", 1}, {"лютий", 2}, {"лютого", 2}, {"лютому", 2},
    {"березень", 3}, {"березня", 3}, {"березні", 3}, {"квітень", 4}, {"квітня", 4}, {"квітні", 4},
    {"травень", 5}, {"травня", 5}, {"травні", 5}, {"червень", 6}, {"червня", 6}, {"червні", 6},
    {"липень", 7}, {"липня", 7}, {"липні", 7}, {"серпень", 8}, {"серпня", 8}, {"серпні", 8},
    {"вересень", 9}, {"вересня", 9}, {"вересні", 9}, {"жовтень", 10}, {"жовтня", 10},
    {"жовтні", 10}, {"листопад", 11}, {"листопада", 11}, {"листопаді", 11}, {"грудень", 12},
    {"грудня", 12}, {"грудні", 12},
    {"январь", 1}, {"января", 1}, {"январе", 1}, {"февраль", 2}, {"февраля", 2}, {"феврале", 2},
    {"март", 3}, {"марта", 3}, {"марте", 3}, {"апрель", 4}, {"апреля", 4}, {"апреле", 4},
    {"мая", 5}, {"мае", 5}, {"июнь", 6}, {"июня", 6}, {"июне", 6}, {"июль", 7}, {"июля", 7},
    {"июле", 7}, {"августа", 8}, {"августе", 8}, {"сентябрь", 9}, {"сентября", 9},
    {"сентябре", 9}, {"октябрь", 10}, {"октября", 10}, {"октябре", 10}, {"ноябрь", 11},
    {"ноября", 11}, {"ноябре", 11}, {"декабрь", 12}, {"декабря", 12}, {"декабре", 12},
    {"january", 1}, {"february", 2}, {"march", 3}, {"april", 4}, {"may", 5}, {"june", 6},
    {"july", 7}, {"august", 8}, {"september", 9}, {"october", 10}, {"november", 11},
    {"december", 12},
};

static int month_of(const char *lower) {
    for (size_t i = 0; i < sizeof months / sizeof months[0]; i++)
        if (strcmp(months[i].name, lower) == 0)
            return months[i].number;
    return 0;
}

static int lowercase(const char *s, size_t len, char *out, size_t size) {
    size_t i = 0, k = 0;
    while (i < len) {
        UChar32 c;
        U8_NEXT(s, i, len, c);
        if (c < 0 || k + 4 >= size)
            return -1;
        UChar32 l = u_tolower(c);
        U8_APPEND_UNSAFE(out, k, l);
    }
    out[k] = 0;
    return 0;
}

/* A run of letters (apostrophes and hyphens inside): a name, a month, or nothing. */
static int word_anchor(const xlate_align_feat_options *o, const char *w, size_t len, hashes *h,
                       size_t *weak) {
    char lower[128];
    if (lowercase(w, len, lower, sizeof lower) == 0) {
        int m = month_of(lower);
        if (m) {
            char digits[3];
            int n = snprintf(digits, sizeof digits, "%d", m);
            /* the "May" of a May date, not the verb: English capitalizes its months */
            return push_kind(h, K_NUMBER, digits, (size_t)n);
        }
    }
    uint64_t key;
    int rc = xlate_align_name_key(o->names, w, len, &key);
    if (rc < 0)
        return -1;
    if (rc && weak)
        ++*weak;
    return rc ? push(h, key ^ (uint64_t)K_NAME) : 0;
}

/* Digits of a number without leading zeros ("09" of a date is 9). */
static int number_anchor(const char *d, size_t len, hashes *h) {
    while (len > 1 && *d == '0') {
        d++;
        len--;
    }
    return push_kind(h, K_NUMBER, d, len);
}

static int is_url(const char *s, size_t len) {
    return (len > 4 && memmem(s, len, "://", 3)) || (len > 4 && strncmp(s, "www.", 4) == 0) ||
           (len > 5 && memmem(s, len, "t.me/", 5)) ||
           (memchr(s, '@', len) && memchr(s, '.', len));
}

static int url_anchor(const char *s, size_t len, hashes *h) {
    while (len && strchr(".,;:!?)»”\"'", s[len - 1]))
        len--;
    char lower[256];
    size_t n = len < sizeof lower ? len : sizeof lower;
    for (size_t i = 0; i < n; i++)
        lower[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] | 0x20 : s[i]);
    return push_kind(h, K_URL, lower, n);
}

/* Punctuation that translations keep: the quotation marks of any language as one, colons between
 * words (not in 12:30), question and exclamation marks, parentheses. */
static char punct_class(UChar32 c) {
    switch (c) {
    case '"': case 0xAB: case 0xBB: case 0x201C: case 0x201D: case 0x201E: case 0x2018:
    case 0x201A:
        return 'q';
    case ':':
        return ':';
    case '?':
        return '?';
    case '!':
        return '!';
    case '(':
        return '(';
    default:
        return 0;
    }
}

static int is_word_inner(UChar32 c) {
    return c == '\'' || c == 0x2BC || c == 0x2019 || c == '-';
}

/* One whitespace-free chunk of the sentence. */
static int chunk_anchors(const xlate_align_feat_options *o, const char *s, size_t len, hashes *h,
                         size_t *first_word_weak) {
    if (is_url(s, len))
        return url_anchor(s, len, h);
    size_t i = 0;
    while (i < len) {
        size_t at = i;
        UChar32 c;
        U8_NEXT(s, i, len, c);
        if (c >= '0' && c <= '9') {
            while (i < len && s[i] >= '0' && s[i] <= '9')
                i++;
            if (number_anchor(s + at, i - at, h) != 0)
                return -1;
        } else if (u_isalpha(c)) {
            size_t end = i;
            while (i < len) {
                size_t j = i;
                UChar32 d;
                U8_NEXT(s, j, len, d);
                if (u_isalpha(d) || u_hasBinaryProperty(d, UCHAR_DIACRITIC)) {
                    i = end = j;
                } else if (is_word_inner(d) && j < len) {
                    i = j;
                } else {
                    break;
                }
            }
            i = end;
            if (word_anchor(o, s + at, end - at, h, first_word_weak) != 0)
                return -1;
            first_word_weak = NULL;
        } else {
            char p = punct_class(c);
            int colon_in_number = c == ':' && at > 0 && i < len && s[at - 1] >= '0' &&
                                  s[at - 1] <= '9' && s[i] >= '0' && s[i] <= '9';
            if (p && !colon_in_number && push_kind(h, K_PUNCT, &p, 1) != 0)
                return -1;
        }
    }
    return 0;
}

typedef struct dict_sink {
    hashes *h;
} dict_sink;

static int dict_hit(void *data, uint32_t id) {
    dict_sink *s = data;
    char buf[4] = {(char)(id >> 24), (char)(id >> 16), (char)(id >> 8), (char)id};
    return push_kind(s->h, K_DICT, buf, 4);
}

static int dict_anchors(const xlate_align_feat_options *o, const char *text, size_t len, hashes *h) {
    xlate_align_words w;
    if (xlate_align_words_split(text, len, &w) != 0)
        return -1;
    dict_sink sink = {h};
    int rc = xlate_align_dict_find(o->dict, o->dict_side, &w, dict_hit, &sink);
    xlate_align_words_free(&w);
    return rc;
}

static int word_hashes(const char *text, hashes *h) {
    xlate_align_words w;
    if (xlate_align_words_split(text, strlen(text), &w) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < w.n; i++) {
        const char *x = w.w[i];
        size_t len = strlen(x), letters = 0, k = 0, cut = len;
        while (k < len) {
            UChar32 c;
            U8_NEXT(x, k, len, c);
            (void)c;
            if (++letters == WORD_PREFIX)
                cut = k;
        }
        if (letters >= WORD_MIN)
            rc = push_kind(h, K_WORD, x, cut);
    }
    xlate_align_words_free(&w);
    return rc;
}

static size_t count_chars(const char *s, size_t len) {
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

int xlate_align_features(const xlate_align_feat_options *o, const char *text, size_t len,
                         const char *words_of, xlate_align_feat *out) {
    memset(out, 0, sizeof *out);
    out->chars = count_chars(text, len);
    hashes a = {0}, w = {0};
    if (o->anchors) {
        size_t i = 0;
        int first = 1;
        while (i < len) {
            while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n'))
                i++;
            size_t start = i;
            while (i < len && text[i] != ' ' && text[i] != '\t' && text[i] != '\n')
                i++;
            if (i > start && chunk_anchors(o, text + start, i - start, &a, first ? &out->n_weak : NULL) != 0)
                goto oom;
            first = 0;
        }
        if (o->dict && dict_anchors(o, text, len, &a) != 0)
            goto oom;
        if (words_of && word_hashes(words_of, &w) != 0)
            goto oom;
    }
    if (a.n)
        qsort(a.v, a.n, sizeof *a.v, cmp_u64);
    if (w.n)
        qsort(w.v, w.n, sizeof *w.v, cmp_u64);
    out->anchors = a.v;
    out->n_anchors = a.n;
    out->words = w.v;
    out->n_words = w.n;
    return 0;
oom:
    free(a.v);
    free(w.v);
    return -1;
}

static int merge_into(uint64_t **dst, size_t *nd, const xlate_align_feat *f, size_t n, int words) {
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += words ? f[i].n_words : f[i].n_anchors;
    *dst = NULL;
    *nd = 0;
    if (!total)
        return 0;
    uint64_t *v = malloc(total * sizeof *v);
    if (!v)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t m = words ? f[i].n_words : f[i].n_anchors;
        if (m)
            memcpy(v + k, words ? f[i].words : f[i].anchors, m * sizeof *v);
        k += m;
    }
    qsort(v, total, sizeof *v, cmp_u64);
    *dst = v;
    *nd = total;
    return 0;
}

int xlate_align_feat_merge(const xlate_align_feat *feats, size_t n, int with_words, xlate_align_feat *out) {
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        out->chars += feats[i].chars;
        out->n_weak += feats[i].n_weak;
    }
    if (merge_into(&out->anchors, &out->n_anchors, feats, n, 0) != 0)
        return -1;
    if (with_words && merge_into(&out->words, &out->n_words, feats, n, 1) != 0) {
        xlate_align_feat_free(out);
        return -1;
    }
    return 0;
}

void xlate_align_feat_free(xlate_align_feat *f) {
    free(f->anchors);
    free(f->words);
    f->anchors = f->words = NULL;
    f->n_anchors = f->n_words = 0;
}

/* The smallest head of up to two sorted runs, and how many times it repeats across them. */
static size_t take_run(const uint64_t *x1, size_t n1, size_t *i1, const uint64_t *x2, size_t n2,
                       size_t *i2, uint64_t v) {
    size_t c = 0;
    while (*i1 < n1 && x1[*i1] == v) {
        (*i1)++;
        c++;
    }
    while (*i2 < n2 && x2[*i2] == v) {
        (*i2)++;
        c++;
    }
    return c;
}

size_t xlate_align_common(const uint64_t *a1, size_t na1, const uint64_t *a2, size_t na2,
                          const uint64_t *b1, size_t nb1, const uint64_t *b2, size_t nb2) {
    size_t ia1 = 0, ia2 = 0, ib1 = 0, ib2 = 0, common = 0;
    for (;;) {
        int have = 0;
        uint64_t va = 0, vb = 0;
        if (ia1 < na1)
            va = a1[ia1], have |= 1;
        if (ia2 < na2 && (!(have & 1) || a2[ia2] < va))
            va = a2[ia2], have |= 1;
        if (ib1 < nb1)
            vb = b1[ib1], have |= 2;
        if (ib2 < nb2 && (!(have & 2) || b2[ib2] < vb))
            vb = b2[ib2], have |= 2;
        if (have != 3)
            return common;
        if (va < vb) {
            take_run(a1, na1, &ia1, a2, na2, &ia2, va);
        } else if (vb < va) {
            take_run(b1, nb1, &ib1, b2, nb2, &ib2, vb);
        } else {
            size_t ca = take_run(a1, na1, &ia1, a2, na2, &ia2, va);
            size_t cb = take_run(b1, nb1, &ib1, b2, nb2, &ib2, vb);
            common += ca < cb ? ca : cb;
        }
    }
}
