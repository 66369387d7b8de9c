/*
 * termmap: parses the glossary's TSV term map (first stage of the glossary plugin).
 * Strict on purpose: a map with a wrong column count or an unknown column is almost always a
 * map edited with spaces for tabs, and matching with it would silently lose terms.
 */
#include "termmap.h"

#include "langcode.h"
#include "strtab.h"

#include <xlate/plugin.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>

enum column { COL_SOURCE, COL_TARGET, COL_NOTE, COL_CASE, COL_KEEP, N_KNOWN_COLUMNS };
static const char *const column_names[N_KNOWN_COLUMNS] = {"source", "target", "note", "case",
                                                          "keep"};
#define MAX_COLUMNS 16

typedef struct line_view {
    const char *p;
    size_t len;
    unsigned number;
} line_view;

typedef struct parser {
    const char *name;
    char *err;
    size_t err_size;
    int columns[MAX_COLUMNS]; /* the known column each field of a line is */
    int n_columns;
    size_t cap;
    xlate_strtab seen; /* source + case → index of the entry, to catch a term given twice */
} parser;

static int fail(parser *ps, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(parser *ps, unsigned line, const char *fmt, ...) {
    int n = snprintf(ps->err, ps->err_size, "%s:%u: ", ps->name, line);
    if (n >= 0 && (size_t)n < ps->err_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ps->err + n, ps->err_size - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return XLATE_ERROR;
}

static int is_blank(const char *p, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (p[i] != ' ' && p[i] != '\t')
            return 0;
    return 1;
}

/* Offset of the first byte that is not valid UTF-8, or -1. */
static long invalid_utf8_at(const char *p, size_t len) {
    int32_t i = 0, n = (int32_t)len;
    while (i < n) {
        int32_t at = i;
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (c < 0)
            return at;
    }
    return -1;
}

static char *copy_trimmed(const char *p, size_t len) {
    while (len && (*p == ' '))
        p++, len--;
    while (len && (p[len - 1] == ' '))
        len--;
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, p, len);
        s[len] = '\0';
    }
    return s;
}

/* Splits a line at tabs into at most MAX_COLUMNS+1 fields; returns the field count. */
static int split_tabs(const line_view *l, const char **field, size_t *field_len) {
    int n = 0;
    const char *start = l->p, *end = l->p + l->len;
    for (;;) {
        const char *tab = memchr(start, '\t', (size_t)(end - start));
        const char *stop = tab ? tab : end;
        if (n <= MAX_COLUMNS) {
            field[n] = start;
            field_len[n] = (size_t)(stop - start);
        }
        n++;
        if (!tab)
            break;
        start = tab + 1;
    }
    return n;
}

static int parse_header(parser *ps, const line_view *l) {
    const char *field[MAX_COLUMNS + 1];
    size_t field_len[MAX_COLUMNS + 1];
    int n = split_tabs(l, field, field_len);
    if (n > MAX_COLUMNS)
        return fail(ps, l->number, "header has %d columns, at most %d are allowed", n, MAX_COLUMNS);
    int seen[N_KNOWN_COLUMNS] = {0};
    for (int i = 0; i < n; i++) {
        char *name = copy_trimmed(field[i], field_len[i]);
        if (!name)
            return XLATE_ENOMEM;
        int col = -1;
        for (int k = 0; k < N_KNOWN_COLUMNS; k++)
            if (strcmp(name, column_names[k]) == 0)
                col = k;
        if (col < 0) {
            fail(ps, l->number,
                 "unknown column \"%s\" in the header; the columns are source, target, note, "
                 "case, keep, separated by tabs", name);
            free(name);
            return XLATE_ERROR;
        }
        free(name);
        if (seen[col]++)
            return fail(ps, l->number, "column \"%s\" appears twice in the header",
                        column_names[col]);
        ps->columns[i] = col;
    }
    ps->n_columns = n;
    if (!seen[COL_SOURCE] || !seen[COL_TARGET])
        return fail(ps, l->number, "the header must name the columns \"source\" and \"target\" "
                    "(tab-separated); this one lacks \"%s\"",
                    seen[COL_SOURCE] ? "target" : "source");
    return XLATE_OK;
}

static int parse_flag(parser *ps, unsigned line, const char *column, const char *value,
                      const char *yes, const char *no, int *out) {
    if (!*value || strcmp(value, no) == 0) {
        *out = 0;
        return XLATE_OK;
    }
    if (strcmp(value, yes) == 0) {
        *out = 1;
        return XLATE_OK;
    }
    return fail(ps, line, "column \"%s\" is \"%s\"; use \"%s\", \"%s\" or leave it empty", column,
                value, yes, no);
}

static int grow_entries(parser *ps, xlate_termmap *map) {
    if (map->count < ps->cap)
        return XLATE_OK;
    size_t cap = ps->cap ? ps->cap * 2 : 256;
    xlate_term_entry *e = realloc(map->entries, cap * sizeof *e);
    if (!e)
        return XLATE_ENOMEM;
    map->entries = e;
    ps->cap = cap;
    return XLATE_OK;
}

/* Reads the fields of one entry into e (which owns what it got even on failure). */
static int fill_entry(parser *ps, const line_view *l, const char **field, const size_t *field_len,
                      xlate_term_entry *e) {
    char *value[N_KNOWN_COLUMNS] = {0};
    int rc = XLATE_OK;
    for (int i = 0; i < ps->n_columns && rc == XLATE_OK; i++)
        if (!(value[ps->columns[i]] = copy_trimmed(field[i], field_len[i])))
            rc = XLATE_ENOMEM;
    e->source = value[COL_SOURCE];
    e->target = value[COL_TARGET];
    e->note = value[COL_NOTE] && *value[COL_NOTE] ? value[COL_NOTE] : NULL;
    if (value[COL_NOTE] && !e->note)
        free(value[COL_NOTE]);
    if (rc == XLATE_OK && value[COL_CASE])
        rc = parse_flag(ps, l->number, "case", value[COL_CASE], "sensitive", "insensitive",
                        &e->case_sensitive);
    if (rc == XLATE_OK && value[COL_KEEP])
        rc = parse_flag(ps, l->number, "keep", value[COL_KEEP], "yes", "no", &e->keep);
    free(value[COL_CASE]);
    free(value[COL_KEEP]);
    if (rc != XLATE_OK)
        return rc;
    if (!*e->source)
        return fail(ps, l->number, "the source term is empty");
    if (!*e->target && !e->keep)
        return fail(ps, l->number, "the target term of \"%s\" is empty; give one, or set keep "
                    "to \"yes\" to keep the source as it stands", e->source);
    return XLATE_OK;
}

/* The same source with the same case rule twice is an error: the second line would never match,
 * and which target the author meant is not ours to guess. */
static int check_not_repeated(parser *ps, const xlate_termmap *map) {
    const xlate_term_entry *e = &map->entries[map->count - 1];
    size_t len = strlen(e->source);
    char *key = malloc(len + 1);
    if (!key)
        return XLATE_ENOMEM;
    memcpy(key, e->source, len);
    key[len] = e->case_sensitive ? 'S' : 'I';
    uint32_t first;
    int rc = XLATE_OK;
    if (xlate_strtab_find(&ps->seen, key, len + 1, &first))
        rc = fail(ps, e->line, "the source term \"%s\" is already on line %u; keep one of the two",
                  e->source, map->entries[first].line);
    else if (xlate_strtab_insert(&ps->seen, key, len + 1, (uint32_t)(map->count - 1)) != 0)
        rc = XLATE_ENOMEM;
    free(key);
    return rc;
}

static int parse_entry(parser *ps, const line_view *l, xlate_termmap *map) {
    const char *field[MAX_COLUMNS + 1];
    size_t field_len[MAX_COLUMNS + 1];
    int n = split_tabs(l, field, field_len);
    if (n != ps->n_columns)
        return fail(ps, l->number, "%d tab-separated column%s, the header has %d", n,
                    n == 1 ? "" : "s", ps->n_columns);
    if (grow_entries(ps, map) != XLATE_OK)
        return XLATE_ENOMEM;
    xlate_term_entry *e = &map->entries[map->count++];
    memset(e, 0, sizeof *e);
    e->line = l->number;
    int rc = fill_entry(ps, l, field, field_len, e);
    return rc == XLATE_OK ? check_not_repeated(ps, map) : rc;
}

#define LANGUAGES_KEY "languages:"
#define LANGUAGES_FORM "write \"# languages: SOURCE TARGET\" with two BCP 47 language tags, " \
                       "e.g. \"# languages: uk en\""

/* The text after "languages:" when the comment line is the map's languages line, else NULL. */
static const char *languages_value(const line_view *l, size_t *len) {
    size_t i = 1, key = sizeof LANGUAGES_KEY - 1;
    while (i < l->len && (l->p[i] == ' ' || l->p[i] == '\t'))
        i++;
    if (l->len - i < key || memcmp(l->p + i, LANGUAGES_KEY, key) != 0)
        return NULL;
    *len = l->len - i - key;
    return l->p + i + key;
}

/* Reads the next space- or tab-separated word of [*p, end) into out; returns its length. */
static size_t next_word(const char **p, const char *end, char *out, size_t size) {
    while (*p < end && (**p == ' ' || **p == '\t'))
        (*p)++;
    size_t n = 0;
    for (; *p < end && **p != ' ' && **p != '\t'; (*p)++, n++)
        if (n + 1 < size)
            out[n] = **p;
    out[n + 1 < size ? n : size - 1] = '\0';
    return n;
}

static int parse_languages(parser *ps, const line_view *l, const char *value, size_t len,
                           xlate_termmap *map) {
    if (ps->n_columns)
        return fail(ps, l->number, "the languages line must come before the column header");
    if (map->languages_line)
        return fail(ps, l->number, "the languages are already given on line %u; keep one of the "
                    "two lines", map->languages_line);
    const char *p = value, *end = value + len;
    char tag[2][XLATE_TERMMAP_LANG_MAX], extra[8];
    char *slot[2] = {map->source_lang, map->target_lang};
    for (int i = 0; i < 2; i++) {
        size_t n = next_word(&p, end, tag[i], sizeof tag[i]);
        if (!n)
            return fail(ps, l->number, "the languages line needs a source and a target; "
                        LANGUAGES_FORM);
        if (n >= sizeof tag[i] ||
            xlate_lang_tag_canonical(tag[i], slot[i], XLATE_TERMMAP_LANG_MAX) != 0)
            return fail(ps, l->number, "\"%s\" in the languages line is not a BCP 47 language "
                        "tag of a known ISO 639 language; %s", tag[i], LANGUAGES_FORM);
    }
    if (next_word(&p, end, extra, sizeof extra))
        return fail(ps, l->number, "the languages line names more than two languages; "
                    LANGUAGES_FORM);
    map->languages_line = l->number;
    return XLATE_OK;
}

static int parse_line(parser *ps, const line_view *l, xlate_termmap *map) {
    size_t value_len;
    const char *value;
    if (l->len && l->p[0] == '#' && (value = languages_value(l, &value_len)) != NULL)
        return parse_languages(ps, l, value, value_len, map);
    if (l->len == 0 || l->p[0] == '#' || is_blank(l->p, l->len))
        return XLATE_OK;
    long bad = invalid_utf8_at(l->p, l->len);
    if (bad >= 0)
        return fail(ps, l->number, "invalid UTF-8 at byte %ld of the line; save the map as UTF-8",
                    bad + 1);
    return ps->n_columns == 0 ? parse_header(ps, l) : parse_entry(ps, l, map);
}

int xlate_termmap_parse(const char *text, size_t len, const char *name, xlate_termmap *map,
                        char *err, size_t err_size) {
    parser ps = {.name = name, .err = err, .err_size = err_size};
    memset(map, 0, sizeof *map);
    if (!(map->name = strdup(name)))
        return XLATE_ENOMEM;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3, len -= 3;
    const char *p = text, *end = text + len;
    int rc = XLATE_OK;
    for (unsigned number = 1; p < end && rc == XLATE_OK; number++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        line_view l = {p, (size_t)((nl ? nl : end) - p), number};
        if (l.len && l.p[l.len - 1] == '\r')
            l.len--;
        rc = parse_line(&ps, &l, map);
        p = nl ? nl + 1 : end;
    }
    if (rc == XLATE_OK && ps.n_columns == 0) {
        snprintf(err, err_size, "%s: no header line; the first line must name the columns, "
                 "e.g. \"source<TAB>target<TAB>note\"", name);
        rc = XLATE_ERROR;
    }
    if (rc == XLATE_ENOMEM)
        snprintf(err, err_size, "%s: out of memory reading the term map", name);
    xlate_strtab_free(&ps.seen);
    if (rc != XLATE_OK)
        xlate_termmap_free(map);
    return rc;
}

/* 1 when the part of a file name is an ISO 639-1 code: two lower-case letters ICU knows. */
static int is_language_part(const char *p, size_t n, char *tag, size_t size) {
    if (n != 2 || !islower((unsigned char)p[0]) || !islower((unsigned char)p[1]))
        return 0;
    char code[3] = {p[0], p[1], '\0'};
    return xlate_lang_tag_canonical(code, tag, size) == 0;
}

/* "terms.uk-en.tsv" → uk, en: the first two neighbouring parts of the base name that are
 * ISO 639-1 codes. Two letters only: longer words ("my-terms") are too often words. */
static void languages_from_name(const char *path, xlate_termmap *map) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *prev = NULL;
    size_t prev_len = 0;
    for (const char *p = base; *p;) {
        size_t n = strcspn(p, "-_.");
        char tag[XLATE_TERMMAP_LANG_MAX];
        if (prev && is_language_part(prev, prev_len, map->source_lang, sizeof map->source_lang) &&
            is_language_part(p, n, tag, sizeof tag)) {
            memcpy(map->target_lang, tag, sizeof tag);
            return;
        }
        prev = p;
        prev_len = n;
        p += n;
        if (*p)
            p++;
    }
    map->source_lang[0] = '\0';
}

int xlate_termmap_load(const char *path, xlate_termmap *map, char *err, size_t err_size) {
    memset(map, 0, sizeof *map);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "%s: cannot open the term map: %s", path, strerror(errno));
        return XLATE_ENOTFOUND;
    }
    char *data = NULL;
    size_t len = 0, cap = 0;
    int rc = XLATE_OK;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            char *grown = realloc(data, cap);
            if (!grown) {
                rc = XLATE_ENOMEM;
                break;
            }
            data = grown;
        }
        size_t got = fread(data + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (rc == XLATE_OK && ferror(f)) {
        snprintf(err, err_size, "%s: cannot read the term map: %s", path, strerror(errno));
        rc = XLATE_ENOTFOUND;
    } else if (rc == XLATE_ENOMEM) {
        snprintf(err, err_size, "%s: out of memory reading the term map", path);
    }
    fclose(f);
    if (rc == XLATE_OK)
        rc = xlate_termmap_parse(data ? data : "", len, path, map, err, err_size);
    free(data);
    if (rc == XLATE_OK && !map->languages_line)
        languages_from_name(path, map);
    return rc;
}

void xlate_termmap_free(xlate_termmap *map) {
    for (size_t i = 0; i < map->count; i++) {
        free(map->entries[i].source);
        free(map->entries[i].target);
        free(map->entries[i].note);
    }
    free(map->entries);
    free(map->name);
    memset(map, 0, sizeof *map);
}
