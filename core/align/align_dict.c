/*
 * align_dict: the glossary's term map (TSV or CSV) as the aligner's bilingual dictionary. See
 * align_dict.h. Each term becomes a list of word stems; a sentence holds the term when consecutive
 * words of it begin with those stems. Stems are indexed by their first three letters, so finding
 * the terms of a sentence costs a look-up a word.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "align_dict.h"
#include "buf.h"
#include "hashtab.h"
#include "readfile.h"

/* A word of at most this many letters must match whole; a longer one may end otherwise in up to
 * INFLECTION letters (Ukrainian case endings: "секретар" ~ "секретаря", "генеральний" ~
 * "генерального"), keeping at least MIN_STEM. */
enum { EXACT_MAX = 4, INFLECTION = 3, MIN_STEM = 4, KEY_LETTERS = 3 };

typedef struct stem {
    char *text;     /* owned, lowercased UTF-8 */
    int exact;      /* the word must be this whole */
} stem;

typedef struct term {
    stem *stems;
    size_t n;
} term;

typedef struct id_list {
    uint32_t *ids;
    size_t n, cap;
} id_list;

struct xlate_align_dict {
    term *terms[2];          /* [side][id] */
    size_t n_terms;
    xlate_hashtab *index[2]; /* first letters of a term's first stem → id_list */
};

static void id_list_free(void *p) {
    id_list *l = p;
    if (l)
        free(l->ids);
    free(l);
}

/* Bytes of the first `letters` code points of s (or all of it). */
static size_t prefix_bytes(const char *s, size_t len, size_t letters) {
    size_t i = 0;
    for (size_t k = 0; k < letters && i < len; k++) {
        UChar32 c;
        U8_NEXT(s, i, len, c);
        (void)c;
    }
    return i;
}

static size_t count_letters(const char *s, size_t len) {
    size_t i = 0, k = 0;
    while (i < len) {
        UChar32 c;
        U8_NEXT(s, i, len, c);
        (void)c;
        k++;
    }
    return k;
}

static void words_free_items(xlate_align_words *w) {
    for (size_t i = 0; i < w->n; i++)
        free(w->w[i]);
    free(w->w);
    w->w = NULL;
    w->n = 0;
}

void xlate_align_words_free(xlate_align_words *w) {
    words_free_items(w);
}

/* Splits text into words (letters, digits and the apostrophes and hyphens between them),
 * lowercased. Returns 0, or -1 when out of memory. */
int xlate_align_words_split(const char *s, size_t len, xlate_align_words *out) {
    out->w = NULL;
    out->n = 0;
    size_t cap = 0, i = 0;
    xlate_buf word = XLATE_BUF_INIT;
    while (i <= len) {
        UChar32 c = 0;
        size_t at = i;
        if (i < len)
            U8_NEXT(s, i, len, c);
        else
            i++;
        int inner = c == '\'' || c == 0x2BC || c == 0x2019 || c == '-';
        int part = at < len && (u_isalnum(c) || (inner && word.len && i < len));
        if (part) {
            char enc[4];
            size_t n = 0;
            UChar32 lc = u_tolower(c);
            U8_APPEND_UNSAFE(enc, n, lc);
            if (xlate_buf_append(&word, enc, n) != 0)
                goto oom;
            continue;
        }
        /* a word ends; a trailing apostrophe or hyphen is not part of it */
        while (word.len && (word.data[word.len - 1] == '-' || word.data[word.len - 1] == '\''))
            word.len--;
        if (!word.len)
            continue;
        if (out->n == cap) {
            size_t nc = cap ? 2 * cap : 16;
            char **nw = realloc(out->w, nc * sizeof *nw);
            if (!nw)
                goto oom;
            out->w = nw;
            cap = nc;
        }
        char *copy = malloc(word.len + 1);
        if (!copy)
            goto oom;
        memcpy(copy, word.data, word.len);
        copy[word.len] = 0;
        out->w[out->n++] = copy;
        xlate_buf_reset(&word);
    }
    xlate_buf_free(&word);
    return 0;
oom:
    xlate_buf_free(&word);
    words_free_items(out);
    return -1;
}

static int make_stem(const char *word, stem *st) {
    size_t len = strlen(word), letters = count_letters(word, len);
    st->exact = letters <= EXACT_MAX;
    size_t keep = st->exact ? letters
                            : (letters - INFLECTION > MIN_STEM ? letters - INFLECTION : MIN_STEM);
    size_t b = prefix_bytes(word, len, keep);
    st->text = malloc(b + 1);
    if (!st->text)
        return -1;
    memcpy(st->text, word, b);
    st->text[b] = 0;
    return 0;
}

static int stem_matches(const stem *st, const char *word) {
    size_t n = strlen(st->text);
    return st->exact ? strcmp(st->text, word) == 0 : strncmp(st->text, word, n) == 0;
}

static int index_term(xlate_hashtab *index, const term *t, uint32_t id) {
    const char *first = t->stems[0].text;
    size_t key = prefix_bytes(first, strlen(first), KEY_LETTERS);
    id_list *l = calloc(1, sizeof *l);
    if (!l)
        return -1;
    xlate_hashtab_entry *e;
    int rc = xlate_hashtab_add(index, first, key, l, &e);
    if (rc < 0) {
        free(l);
        return -1;
    }
    if (rc == 1) {
        free(l);
        l = e->value;
    }
    if (l->n == l->cap) {
        size_t nc = l->cap ? 2 * l->cap : 4;
        uint32_t *ni = realloc(l->ids, nc * sizeof *ni);
        if (!ni)
            return -1;
        l->ids = ni;
        l->cap = nc;
    }
    l->ids[l->n++] = id;
    return 0;
}

/* One side of a term: its words as stems. A term with no word (punctuation only) gets none. */
static int make_term(const char *text, term *t) {
    xlate_align_words w;
    t->stems = NULL;
    t->n = 0;
    if (xlate_align_words_split(text, strlen(text), &w) != 0)
        return -1;
    if (w.n && !(t->stems = calloc(w.n, sizeof *t->stems))) {
        words_free_items(&w);
        return -1;
    }
    for (size_t i = 0; i < w.n; i++) {
        if (make_stem(w.w[i], &t->stems[i]) != 0) {
            words_free_items(&w);
            return -1;
        }
        t->n++;
    }
    words_free_items(&w);
    return 0;
}

static void term_free(term *t) {
    for (size_t i = 0; i < t->n; i++)
        free(t->stems[i].text);
    free(t->stems);
}

void xlate_align_dict_free(xlate_align_dict *d) {
    if (!d)
        return;
    for (int s = 0; s < 2; s++) {
        for (size_t i = 0; d->terms[s] && i < d->n_terms; i++)
            term_free(&d->terms[s][i]);
        free(d->terms[s]);
        xlate_hashtab_free(d->index[s]);
    }
    free(d);
}

size_t xlate_align_dict_size(const xlate_align_dict *d) {
    return d ? d->n_terms : 0;
}

/* --- reading the file ------------------------------------------------------------------------ */

/* Splits one line into fields: at tabs (TSV), or at commas outside double quotes with "" for a
 * quote inside (CSV). Fields are written into `line` in place. Returns the count (at most max). */
static size_t split_fields(char *line, int csv, char **f, size_t max) {
    size_t n = 0;
    char *r = line, *w = line;
    while (n < max) {
        f[n++] = w;
        int quoted = csv && *r == '"';
        if (quoted)
            r++;
        for (;;) {
            if (!*r)
                break;
            if (quoted && *r == '"') {
                if (r[1] == '"') {
                    *w++ = '"';
                    r += 2;
                    continue;
                }
                quoted = 0;
                r++;
                continue;
            }
            if (!quoted && *r == (csv ? ',' : '\t'))
                break;
            *w++ = *r++;
        }
        int more = *r != 0;
        *w++ = 0;
        if (!more)
            break;
        r++;
    }
    return n;
}

static int same_lang(const char *tag, const char *lang) {
    size_t n = strcspn(tag, "-_");
    return strlen(lang) >= n && strncasecmp(tag, lang, n) == 0 && (!lang[n] || lang[n] == '-');
}

/* "# languages: uk en": whether the map runs the other way from `from`→`to`. */
static int languages_reversed(const char *line, const char *from, const char *to) {
    char a[32] = "", b[32] = "";
    if (sscanf(line, "# languages: %31s %31s", a, b) != 2)
        return 0;
    return same_lang(from, b) && same_lang(to, a) && !(same_lang(from, a) && same_lang(to, b));
}

typedef struct loader {
    xlate_align_dict *d;
    size_t cap;
} loader;

static int add_entry(loader *L, const char *src, const char *tgt) {
    xlate_align_dict *d = L->d;
    if (d->n_terms == L->cap) {
        size_t nc = L->cap ? 2 * L->cap : 64;
        for (int s = 0; s < 2; s++) {
            term *nt = realloc(d->terms[s], nc * sizeof *nt);
            if (!nt)
                return -1;
            d->terms[s] = nt;
        }
        L->cap = nc;
    }
    term t[2];
    if (make_term(src, &t[0]) != 0)
        return -1;
    if (make_term(tgt, &t[1]) != 0) {
        term_free(&t[0]);
        return -1;
    }
    if (!t[0].n || !t[1].n) { /* a term of no words cannot be found in a sentence */
        term_free(&t[0]);
        term_free(&t[1]);
        return 0;
    }
    uint32_t id = (uint32_t)d->n_terms;
    d->terms[0][id] = t[0];
    d->terms[1][id] = t[1];
    d->n_terms++;
    return index_term(d->index[0], &t[0], id) != 0 || index_term(d->index[1], &t[1], id) != 0 ? -1 : 0;
}

static int column_of(char **f, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(f[i], name) == 0)
            return (int)i;
    return -1;
}

enum { MAX_FIELDS = 16 };

static int parse_map(loader *L, const char *path, char *data, size_t len, const char *from,
                     const char *to, xlate_error *err) {
    const char *dot = strrchr(path, '.');
    int csv = dot && strcasecmp(dot, ".csv") == 0, reversed = 0, col[2] = {-1, -1};
    size_t lineno = 0;
    char *p = data, *end = data + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *line = p;
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        p = nl ? nl + 1 : end;
        lineno++;
        if (n && line[n - 1] == '\r')
            n--;
        line[n] = 0;
        if (n == 0)
            continue;
        if (line[0] == '#') {
            if (col[0] < 0)
                reversed |= languages_reversed(line, from, to);
            continue;
        }
        if (lineno == 1 && line[0] == '<') {
            xlate_error_set(err, XLATE_EINVAL, "%s: TBX term maps are not read by align; export the "
                            "map as TSV (source, target columns)", path);
            return -1;
        }
        char *f[MAX_FIELDS];
        size_t nf = split_fields(line, csv, f, MAX_FIELDS);
        if (col[0] < 0) {
            col[0] = column_of(f, nf, "source");
            col[1] = column_of(f, nf, "target");
            if (col[0] < 0 || col[1] < 0) {
                xlate_error_set(err, XLATE_EINVAL, "%s:%zu: the header must name the columns "
                                "'source' and 'target' (plugins/glossary/README.md)", path, lineno);
                return -1;
            }
            continue;
        }
        if ((size_t)col[0] >= nf || (size_t)col[1] >= nf) {
            xlate_error_set(err, XLATE_EINVAL, "%s:%zu: fewer columns than the header names", path,
                            lineno);
            return -1;
        }
        const char *src = f[reversed ? col[1] : col[0]], *tgt = f[reversed ? col[0] : col[1]];
        if (*src && *tgt && add_entry(L, src, tgt) != 0) {
            xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", path);
            return -1;
        }
    }
    if (col[0] < 0) {
        xlate_error_set(err, XLATE_EINVAL, "%s: no header line: a term map names its 'source' and "
                        "'target' columns", path);
        return -1;
    }
    return 0;
}

int xlate_align_dict_load(const char *path, const char *from, const char *to, xlate_align_dict **out,
                          xlate_error *err) {
    *out = NULL;
    char *data = NULL;
    size_t len = 0;
    if (xlate_read_file(path, &data, &len, err) != 0)
        return -1;
    loader L = {calloc(1, sizeof(xlate_align_dict)), 0};
    if (!L.d || xlate_hashtab_new(id_list_free, &L.d->index[0]) != 0 ||
        xlate_hashtab_new(id_list_free, &L.d->index[1]) != 0) {
        free(data);
        xlate_align_dict_free(L.d);
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", path);
        return -1;
    }
    int rc = parse_map(&L, path, data, len, from, to, err);
    free(data);
    if (rc != 0) {
        xlate_align_dict_free(L.d);
        return -1;
    }
    *out = L.d;
    return 0;
}

/* Whether term t starts at word i. */
static int term_at(const term *t, const xlate_align_words *w, size_t i) {
    if (i + t->n > w->n)
        return 0;
    for (size_t k = 0; k < t->n; k++)
        if (!stem_matches(&t->stems[k], w->w[i + k]))
            return 0;
    return 1;
}

int xlate_align_dict_find(const xlate_align_dict *d, int side, const xlate_align_words *words,
                          int (*hit)(void *data, uint32_t id), void *data) {
    for (size_t i = 0; i < words->n; i++) {
        const char *w = words->w[i];
        size_t key = prefix_bytes(w, strlen(w), KEY_LETTERS);
        xlate_hashtab_entry *e = xlate_hashtab_find(d->index[side], w, key);
        if (!e)
            continue;
        const id_list *l = e->value;
        for (size_t k = 0; k < l->n; k++)
            if (term_at(&d->terms[side][l->ids[k]], words, i) && hit(data, l->ids[k]) != 0)
                return -1;
    }
    return 0;
}
