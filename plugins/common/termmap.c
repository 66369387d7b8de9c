/*
 * termmap: reads TSV and CSV term maps, picks the reader for a file, and checks the entries of
 * every format (see termmap.h). Strict on purpose: a map with a wrong column count or an unknown
 * column is almost always a map edited with spaces for tabs or saved with another separator, and
 * matching with it would silently lose terms.
 */
#include "termmap.h"

#include "langcode.h"
#include "termmap_internal.h"
#include "xp_buf.h"

#include <xlate/plugin.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/utf8.h>

enum column { COL_SOURCE, COL_TARGET, COL_NOTE, COL_CASE, COL_KEEP, COL_FORBIDDEN, N_KNOWN_COLUMNS };
static const char *const column_names[N_KNOWN_COLUMNS] = {"source", "target", "note", "case",
                                                          "keep", "forbidden"};
#define MAX_COLUMNS 16

/* --- shared helpers ---------------------------------------------------------------------- */

int termmap_fail(termmap_sink *s, unsigned line, const char *fmt, ...) {
    int n = line ? snprintf(s->err, s->err_size, "%s:%u: ", s->map->name, line)
                 : snprintf(s->err, s->err_size, "%s: ", s->map->name);
    if (n >= 0 && (size_t)n < s->err_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(s->err + n, s->err_size - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return XLATE_ERROR;
}

xlate_term_entry *termmap_new_entry(termmap_sink *s, unsigned line, unsigned concept) {
    xlate_termmap *map = s->map;
    if (map->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        xlate_term_entry *e = realloc(map->entries, cap * sizeof *e);
        if (!e)
            return NULL;
        map->entries = e;
        s->cap = cap;
    }
    xlate_term_entry *e = &map->entries[map->count++];
    memset(e, 0, sizeof *e);
    e->line = line;
    e->concept = concept;
    return e;
}

int termmap_add_forbidden(xlate_term_entry *e, const char *s, size_t len) {
    char **v = realloc(e->forbidden, (e->n_forbidden + 1) * sizeof *v);
    if (!v)
        return -1;
    e->forbidden = v;
    if (!(v[e->n_forbidden] = termmap_copy_trimmed(s, len)))
        return -1;
    e->n_forbidden++;
    return 0;
}

char *termmap_copy_trimmed(const char *p, size_t len) {
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

long termmap_invalid_utf8_at(const char *p, size_t len) {
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

const char *xlate_termmap_format_name(xlate_termmap_format format) {
    switch (format) {
    case XLATE_TERMMAP_CSV:
        return "CSV";
    case XLATE_TERMMAP_TBX:
        return "TBX";
    case XLATE_TERMMAP_TSV:
    default:
        return "TSV";
    }
}

/* --- rows: the fields of one TSV line or CSV record -------------------------------------- */

typedef struct row {
    int n;                            /* fields on the row, even past MAX_COLUMNS */
    const char *field[MAX_COLUMNS + 1];
    size_t len[MAX_COLUMNS + 1];
    unsigned line;
} row;

typedef struct table_parser {
    termmap_sink *sink;
    xlate_termmap_format format;
    char sep;                 /* '\t', ',' or ';' */
    const char *source_lang, *target_lang;
    int columns[MAX_COLUMNS]; /* the known column each field of a row is */
    int n_columns;            /* 0 until the header is read */
    xp_buf unquoted;          /* a CSV record's fields, unquoted */
    size_t offsets[MAX_COLUMNS + 1];
} table_parser;

static const char *separator_name(char sep) {
    return sep == '\t' ? "tab" : sep == ';' ? "semicolon" : "comma";
}

static int is_blank(const char *p, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (p[i] != ' ' && p[i] != '\t')
            return 0;
    return 1;
}

static void add_field(row *r, const char *p, size_t len) {
    if (r->n <= MAX_COLUMNS) {
        r->field[r->n] = p;
        r->len[r->n] = len;
    }
    r->n++;
}

/* A column named by a language tag: the pair's source or target language stands for the
 * `source` or `target` column (spreadsheets head their columns "en", "es"). */
static int language_column(const table_parser *tp, const char *name) {
    char tag[XLATE_TERMMAP_LANG_MAX];
    if (xlate_lang_tag_canonical(name, tag, sizeof tag) != 0)
        return -1;
    if (tp->source_lang && xlate_lang_tags_agree(tag, tp->source_lang))
        return COL_SOURCE;
    if (tp->target_lang && xlate_lang_tags_agree(tag, tp->target_lang))
        return COL_TARGET;
    return -1;
}

static int column_of(const table_parser *tp, const char *name) {
    for (int k = 0; k < N_KNOWN_COLUMNS; k++)
        if (tp->format == XLATE_TERMMAP_CSV ? strcasecmp(name, column_names[k]) == 0
                                            : strcmp(name, column_names[k]) == 0)
            return k;
    return tp->format == XLATE_TERMMAP_CSV ? language_column(tp, name) : -1;
}

static int parse_header(table_parser *tp, const row *r) {
    termmap_sink *s = tp->sink;
    if (r->n > MAX_COLUMNS)
        return termmap_fail(s, r->line, "header has %d columns, at most %d are allowed", r->n,
                            MAX_COLUMNS);
    int seen[N_KNOWN_COLUMNS] = {0};
    for (int i = 0; i < r->n; i++) {
        char *name = termmap_copy_trimmed(r->field[i], r->len[i]);
        if (!name)
            return XLATE_ENOMEM;
        int col = column_of(tp, name);
        if (col < 0) {
            termmap_fail(s, r->line,
                         "unknown column \"%s\" in the header; the columns are source, target, "
                         "note, case, keep, forbidden, separated by %ss", name,
                         separator_name(tp->sep));
            free(name);
            return XLATE_ERROR;
        }
        free(name);
        if (seen[col]++)
            return termmap_fail(s, r->line, "column \"%s\" appears twice in the header",
                                column_names[col]);
        tp->columns[i] = col;
    }
    tp->n_columns = r->n;
    if (!seen[COL_SOURCE] || !seen[COL_TARGET])
        return termmap_fail(s, r->line, "the header must name the columns \"source\" and "
                            "\"target\" (%s-separated); this one lacks \"%s\"",
                            separator_name(tp->sep), seen[COL_SOURCE] ? "target" : "source");
    return XLATE_OK;
}

static int parse_flag(termmap_sink *s, unsigned line, const char *column, const char *value,
                      const char *yes, const char *no, int *out) {
    if (!*value || strcmp(value, no) == 0) {
        *out = 0;
        return XLATE_OK;
    }
    if (strcmp(value, yes) == 0) {
        *out = 1;
        return XLATE_OK;
    }
    return termmap_fail(s, line, "column \"%s\" is \"%s\"; use \"%s\", \"%s\" or leave it empty",
                        column, value, yes, no);
}

/* "a | b" → the variants a and b. */
static int split_forbidden(xlate_term_entry *e, const char *value) {
    for (const char *p = value; *p;) {
        size_t n = strcspn(p, "|");
        if (!is_blank(p, n) && termmap_add_forbidden(e, p, n) != 0)
            return XLATE_ENOMEM;
        p += n;
        if (*p)
            p++;
    }
    return XLATE_OK;
}

/* Reads the fields of one row into e (which owns what it got even on failure). */
static int fill_entry(table_parser *tp, const row *r, xlate_term_entry *e) {
    termmap_sink *s = tp->sink;
    char *value[N_KNOWN_COLUMNS] = {0};
    int rc = XLATE_OK;
    for (int i = 0; i < tp->n_columns && rc == XLATE_OK; i++)
        if (!(value[tp->columns[i]] = termmap_copy_trimmed(r->field[i], r->len[i])))
            rc = XLATE_ENOMEM;
    e->source = value[COL_SOURCE];
    e->target = value[COL_TARGET];
    e->note = value[COL_NOTE] && *value[COL_NOTE] ? value[COL_NOTE] : NULL;
    if (value[COL_NOTE] && !e->note)
        free(value[COL_NOTE]);
    if (rc == XLATE_OK && value[COL_CASE])
        rc = parse_flag(s, r->line, "case", value[COL_CASE], "sensitive", "insensitive",
                        &e->case_sensitive);
    if (rc == XLATE_OK && value[COL_KEEP])
        rc = parse_flag(s, r->line, "keep", value[COL_KEEP], "yes", "no", &e->keep);
    if (rc == XLATE_OK && value[COL_FORBIDDEN])
        rc = split_forbidden(e, value[COL_FORBIDDEN]);
    free(value[COL_CASE]);
    free(value[COL_KEEP]);
    free(value[COL_FORBIDDEN]);
    if (rc != XLATE_OK)
        return rc;
    if (!*e->source)
        return termmap_fail(s, r->line, "the source term is empty");
    if (!*e->target && !e->keep)
        return termmap_fail(s, r->line, "the target term of \"%s\" is empty; give one, or set "
                            "keep to \"yes\" to keep the source as it stands", e->source);
    return XLATE_OK;
}

static int parse_entry(table_parser *tp, const row *r) {
    termmap_sink *s = tp->sink;
    if (r->n != tp->n_columns)
        return termmap_fail(s, r->line, "%d %s-separated column%s, the header has %d", r->n,
                            separator_name(tp->sep), r->n == 1 ? "" : "s", tp->n_columns);
    xlate_term_entry *e = termmap_new_entry(s, r->line, r->line);
    return e ? fill_entry(tp, r, e) : XLATE_ENOMEM;
}

static int parse_row(table_parser *tp, const row *r) {
    for (int i = 0; i < r->n && i <= MAX_COLUMNS; i++) {
        long bad = termmap_invalid_utf8_at(r->field[i], r->len[i]);
        if (bad >= 0)
            return termmap_fail(tp->sink, r->line, "invalid UTF-8 in field %d; save the map as "
                                "UTF-8", i + 1);
    }
    return tp->n_columns == 0 ? parse_header(tp, r) : parse_entry(tp, r);
}

/* --- the languages line ------------------------------------------------------------------ */

#define LANGUAGES_KEY "languages:"
#define LANGUAGES_FORM "write \"# languages: SOURCE TARGET\" with two BCP 47 language tags, " \
                       "e.g. \"# languages: uk en\""

/* The text after "languages:" when the comment line is the map's languages line, else NULL. */
static const char *languages_value(const char *p, size_t len, size_t *value_len) {
    size_t i = 1, key = sizeof LANGUAGES_KEY - 1;
    while (i < len && (p[i] == ' ' || p[i] == '\t'))
        i++;
    if (len - i < key || memcmp(p + i, LANGUAGES_KEY, key) != 0)
        return NULL;
    *value_len = len - i - key;
    return p + i + key;
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

static int parse_languages(table_parser *tp, unsigned line, const char *value, size_t len) {
    termmap_sink *s = tp->sink;
    xlate_termmap *map = s->map;
    if (tp->n_columns)
        return termmap_fail(s, line, "the languages line must come before the column header");
    if (map->languages_line)
        return termmap_fail(s, line, "the languages are already given on line %u; keep one of "
                            "the two lines", map->languages_line);
    const char *p = value, *end = value + len;
    char tag[2][XLATE_TERMMAP_LANG_MAX], extra[8];
    char *slot[2] = {map->source_lang, map->target_lang};
    for (int i = 0; i < 2; i++) {
        size_t n = next_word(&p, end, tag[i], sizeof tag[i]);
        if (!n)
            return termmap_fail(s, line, "the languages line needs a source and a target; "
                                LANGUAGES_FORM);
        if (n >= sizeof tag[i] ||
            xlate_lang_tag_canonical(tag[i], slot[i], XLATE_TERMMAP_LANG_MAX) != 0)
            return termmap_fail(s, line, "\"%s\" in the languages line is not a BCP 47 language "
                                "tag of a known ISO 639 language; %s", tag[i], LANGUAGES_FORM);
    }
    if (next_word(&p, end, extra, sizeof extra))
        return termmap_fail(s, line, "the languages line names more than two languages; "
                            LANGUAGES_FORM);
    map->languages_line = line;
    return XLATE_OK;
}

/* A comment line: the languages line is read, others are skipped. */
static int parse_comment(table_parser *tp, unsigned line, const char *p, size_t len) {
    size_t value_len;
    const char *value = languages_value(p, len, &value_len);
    return value ? parse_languages(tp, line, value, value_len) : XLATE_OK;
}

/* --- TSV --------------------------------------------------------------------------------- */

static int parse_tsv_line(table_parser *tp, const char *p, size_t len, unsigned number) {
    if (len && p[0] == '#')
        return parse_comment(tp, number, p, len);
    if (len == 0 || is_blank(p, len))
        return XLATE_OK;
    long bad = termmap_invalid_utf8_at(p, len);
    if (bad >= 0)
        return termmap_fail(tp->sink, number, "invalid UTF-8 at byte %ld of the line; save the "
                            "map as UTF-8", bad + 1);
    row r = {.line = number};
    const char *start = p, *end = p + len;
    for (;;) {
        const char *tab = memchr(start, '\t', (size_t)(end - start));
        const char *stop = tab ? tab : end;
        add_field(&r, start, (size_t)(stop - start));
        if (!tab)
            break;
        start = tab + 1;
    }
    return parse_row(tp, &r);
}

static int parse_tsv(table_parser *tp, const char *text, size_t len) {
    const char *p = text, *end = text + len;
    int rc = XLATE_OK;
    for (unsigned number = 1; p < end && rc == XLATE_OK; number++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        if (n && p[n - 1] == '\r')
            n--;
        rc = parse_tsv_line(tp, p, n, number);
        p = nl ? nl + 1 : end;
    }
    return rc;
}

/* --- CSV (RFC 4180) ---------------------------------------------------------------------- */

/* The separator of a CSV map: ';' when its header line has more semicolons than commas outside
 * quotes (the spreadsheets of locales with a decimal comma), else ','. */
static char csv_separator(const char *p, const char *end) {
    size_t commas = 0, semicolons = 0;
    int quoted = 0;
    for (; p < end && (quoted || (*p != '\n' && *p != '\r')); p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted && *p == ',')
            commas++;
        else if (!quoted && *p == ';')
            semicolons++;
    }
    return semicolons > commas ? ';' : ',';
}

/* Reads one quoted field starting at the quote *p into tp->unquoted; *line counts the line
 * breaks inside it. */
static int csv_quoted_field(table_parser *tp, const char **p, const char *end, unsigned *line) {
    unsigned opened = *line;
    const char *q = *p + 1;
    for (;;) {
        const char *quote = memchr(q, '"', (size_t)(end - q));
        if (!quote)
            return termmap_fail(tp->sink, opened, "a quoted field starts here and is never "
                                "closed; end it with a quote, and double the quotes inside it "
                                "(\"\")");
        for (const char *c = q; c < quote; c++)
            *line += *c == '\n';
        if (xp_buf_append(&tp->unquoted, q, (size_t)(quote - q)) != 0)
            return XLATE_ENOMEM;
        if (quote + 1 < end && quote[1] == '"') {
            if (xp_buf_putc(&tp->unquoted, '"') != 0)
                return XLATE_ENOMEM;
            q = quote + 2;
            continue;
        }
        q = quote + 1;
        if (q < end && *q == '\r' && (q + 1 == end || q[1] == '\n'))
            q++;
        if (q < end && *q != tp->sep && *q != '\n')
            return termmap_fail(tp->sink, *line, "text after the closing quote of a field; "
                                "enclose the whole field in quotes and double the quotes "
                                "inside it (\"\")");
        *p = q;
        return XLATE_OK;
    }
}

static int csv_plain_field(table_parser *tp, const char **p, const char *end, unsigned line) {
    const char *q = *p;
    while (q < end && *q != tp->sep && *q != '\n')
        q++;
    size_t n = (size_t)(q - *p);
    if (n && (*p)[n - 1] == '\r' && (q == end || *q == '\n'))
        n--;
    if (memchr(*p, '"', n))
        return termmap_fail(tp->sink, line, "a quote inside a field that does not start with "
                            "one; enclose the field in quotes and double the quote (\"\")");
    if (xp_buf_append(&tp->unquoted, *p, n) != 0)
        return XLATE_ENOMEM;
    *p = q;
    return XLATE_OK;
}

/* Reads the record at *p (up to and including its line break) into r; *line advances past it. */
static int csv_record(table_parser *tp, const char **p, const char *end, unsigned *line, row *r) {
    xp_buf_reset(&tp->unquoted);
    r->n = 0;
    r->line = *line;
    int n = 0;
    for (;;) {
        if (n <= MAX_COLUMNS)
            tp->offsets[n] = tp->unquoted.len;
        int rc = *p < end && **p == '"' ? csv_quoted_field(tp, p, end, line)
                                         : csv_plain_field(tp, p, end, *line);
        if (rc != XLATE_OK)
            return rc;
        /* a NUL after each field: its end, and a non-NULL buffer for an empty record */
        if (xp_buf_putc(&tp->unquoted, '\0') != 0)
            return XLATE_ENOMEM;
        n++;
        if (*p < end && **p == tp->sep) {
            (*p)++;
            continue;
        }
        if (*p < end) /* the line break */
            (*p)++;
        (*line)++;
        break;
    }
    for (int i = 0; i < n; i++) {
        size_t start = i <= MAX_COLUMNS ? tp->offsets[i] : 0;
        add_field(r, tp->unquoted.data + start, strlen(tp->unquoted.data + start));
    }
    return XLATE_OK;
}

static int parse_csv(table_parser *tp, const char *text, size_t len) {
    const char *p = text, *end = text + len;
    unsigned line = 1;
    int rc = XLATE_OK;
    while (p < end && rc == XLATE_OK) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        if (n && p[n - 1] == '\r')
            n--;
        if (is_blank(p, n) || (tp->n_columns == 0 && p[0] == '#')) {
            if (n && p[0] == '#')
                rc = parse_comment(tp, line, p, n);
            p = nl ? nl + 1 : end;
            line++;
            continue;
        }
        if (tp->n_columns == 0)
            tp->sep = csv_separator(p, end);
        row r;
        rc = csv_record(tp, &p, end, &line, &r);
        if (rc == XLATE_OK)
            rc = parse_row(tp, &r);
    }
    return rc;
}

/* --- every format: entries checked together ---------------------------------------------- */

static int compare_entries(const void *a, const void *b) {
    const xlate_term_entry *x = *(const xlate_term_entry *const *)a;
    const xlate_term_entry *y = *(const xlate_term_entry *const *)b;
    if (x->case_sensitive != y->case_sensitive)
        return x->case_sensitive - y->case_sensitive;
    int c = strcmp(x->source, y->source);
    if (c)
        return c;
    return x < y ? -1 : x > y;
}

/* The same source with the same case rule twice is an error: the second would never match, and
 * which target the author meant is not ours to guess. The repeat nearest the top is named. */
static int check_not_repeated(termmap_sink *s) {
    xlate_termmap *map = s->map;
    if (map->count < 2)
        return XLATE_OK;
    const xlate_term_entry **sorted = malloc(map->count * sizeof *sorted);
    if (!sorted)
        return XLATE_ENOMEM;
    for (size_t i = 0; i < map->count; i++)
        sorted[i] = &map->entries[i];
    qsort(sorted, map->count, sizeof *sorted, compare_entries);
    const xlate_term_entry *repeat = NULL, *first = NULL;
    for (size_t i = 1; i < map->count; i++) {
        const xlate_term_entry *a = sorted[i - 1], *b = sorted[i];
        if (a->case_sensitive != b->case_sensitive || strcmp(a->source, b->source) != 0)
            continue;
        size_t g = i - 1; /* the group's first entry, in map order */
        while (g > 0 && sorted[g - 1]->case_sensitive == b->case_sensitive &&
               strcmp(sorted[g - 1]->source, b->source) == 0)
            g--;
        if (!repeat || b < repeat) {
            repeat = b;
            first = sorted[g];
        }
    }
    int rc = XLATE_OK;
    if (repeat)
        rc = termmap_fail(s, repeat->line, "the source term \"%s\" is already on line %u; keep "
                          "one of the two", repeat->source, first->line);
    free(sorted);
    return rc;
}

/* UTF-16 or UTF-32 (a spreadsheet's "Unicode text") would fail as invalid UTF-8 on line 1 with
 * no hint of why. */
static int refuse_utf16(termmap_sink *s, const char *text, size_t len) {
    if (len >= 2 && (((unsigned char)text[0] == 0xFF && (unsigned char)text[1] == 0xFE) ||
                     ((unsigned char)text[0] == 0xFE && (unsigned char)text[1] == 0xFF)))
        return termmap_fail(s, 0, "the file is UTF-16 (it starts with a UTF-16 byte order mark); "
                            "save the map as UTF-8");
    return XLATE_OK;
}

int xlate_termmap_parse_format(xlate_termmap_format format, const char *text, size_t len,
                               const char *name, const char *source_lang,
                               const char *target_lang, xlate_termmap *map, char *err,
                               size_t err_size) {
    memset(map, 0, sizeof *map);
    map->format = format;
    if (!(map->name = strdup(name))) {
        snprintf(err, err_size, "%s: out of memory reading the term map", name);
        return XLATE_ENOMEM;
    }
    termmap_sink sink = {map, 0, err, err_size};
    int rc = refuse_utf16(&sink, text, len);
    if (rc == XLATE_OK && format == XLATE_TERMMAP_TBX) {
        rc = termmap_parse_tbx(&sink, text, len, source_lang, target_lang);
    } else if (rc == XLATE_OK) {
        if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
            text += 3, len -= 3;
        table_parser tp = {&sink, format, format == XLATE_TERMMAP_TSV ? '\t' : ',', source_lang,
                           target_lang, {0}, 0, XP_BUF_INIT, {0}};
        rc = format == XLATE_TERMMAP_TSV ? parse_tsv(&tp, text, len) : parse_csv(&tp, text, len);
        if (rc == XLATE_OK && tp.n_columns == 0)
            rc = termmap_fail(&sink, 0, "no header line; the first line must name the columns, "
                              "e.g. \"source%starget%snote\"", format == XLATE_TERMMAP_TSV ?
                              "<TAB>" : ",", format == XLATE_TERMMAP_TSV ? "<TAB>" : ",");
        xp_buf_free(&tp.unquoted);
    }
    if (rc == XLATE_OK)
        rc = check_not_repeated(&sink);
    if (rc == XLATE_ENOMEM)
        snprintf(err, err_size, "%s: out of memory reading the term map", name);
    if (rc != XLATE_OK)
        xlate_termmap_free(map);
    return rc;
}

int xlate_termmap_parse(const char *text, size_t len, const char *name, xlate_termmap *map,
                        char *err, size_t err_size) {
    return xlate_termmap_parse_format(XLATE_TERMMAP_TSV, text, len, name, NULL, NULL, map, err,
                                      err_size);
}

/* --- files ------------------------------------------------------------------------------- */

static int has_extension(const char *path, const char *ext) {
    const char *base = strrchr(path, '/');
    const char *dot = strrchr(base ? base + 1 : path, '.');
    return dot && strcasecmp(dot + 1, ext) == 0;
}

xlate_termmap_format xlate_termmap_detect(const char *path, const char *text, size_t len) {
    if (path) {
        if (has_extension(path, "tsv") || has_extension(path, "tab") || has_extension(path, "txt"))
            return XLATE_TERMMAP_TSV;
        if (has_extension(path, "csv"))
            return XLATE_TERMMAP_CSV;
        if (has_extension(path, "tbx") || has_extension(path, "xml"))
            return XLATE_TERMMAP_TBX;
    }
    size_t i = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < len && isspace((unsigned char)text[i]))
        i++;
    if (i < len && text[i] == '<')
        return XLATE_TERMMAP_TBX;
    /* the first line that is not a comment is the header */
    for (const char *p = text + i, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        if (n && p[0] != '#' && !is_blank(p, n))
            return memchr(p, '\t', n) ? XLATE_TERMMAP_TSV : XLATE_TERMMAP_CSV;
        p = nl ? nl + 1 : end;
    }
    return XLATE_TERMMAP_TSV;
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

static int read_file(const char *path, char **data, size_t *len, char *err, size_t err_size) {
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "%s: cannot open the term map: %s", path, strerror(errno));
        return XLATE_ENOTFOUND;
    }
    size_t cap = 0;
    int rc = XLATE_OK;
    for (;;) {
        if (*len == cap) {
            cap = cap ? cap * 2 : 65536;
            char *grown = realloc(*data, cap);
            if (!grown) {
                rc = XLATE_ENOMEM;
                break;
            }
            *data = grown;
        }
        size_t got = fread(*data + *len, 1, cap - *len, f);
        *len += got;
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
    if (rc != XLATE_OK) {
        free(*data);
        *data = NULL;
    }
    return rc;
}

int xlate_termmap_load(const char *path, const char *source_lang, const char *target_lang,
                       xlate_termmap *map, char *err, size_t err_size) {
    memset(map, 0, sizeof *map);
    char *data;
    size_t len;
    int rc = read_file(path, &data, &len, err, err_size);
    if (rc != XLATE_OK)
        return rc;
    xlate_termmap_format format = xlate_termmap_detect(path, data ? data : "", len);
    rc = xlate_termmap_parse_format(format, data ? data : "", len, path, source_lang, target_lang,
                                    map, err, err_size);
    free(data);
    if (rc == XLATE_OK && format != XLATE_TERMMAP_TBX && !map->languages_line)
        languages_from_name(path, map);
    return rc;
}

void xlate_termmap_free(xlate_termmap *map) {
    for (size_t i = 0; i < map->count; i++) {
        xlate_term_entry *e = &map->entries[i];
        free(e->source);
        free(e->target);
        free(e->note);
        for (size_t k = 0; k < e->n_forbidden; k++)
            free(e->forbidden[k]);
        free(e->forbidden);
    }
    free(map->entries);
    free(map->name);
    memset(map, 0, sizeof *map);
}
