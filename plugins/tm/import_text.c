/*
 * import_text: the line formats into the memory — TSV with a header naming a `source` and a
 * `target` column (a plain two-column file, or xlate's own TSV output, whose escapes \t \n \r \\
 * are undone and whose rows are taken only when their `status` is ok), and xlate's JSONL output
 * (objects with "source", "target" and "status"). Neither names languages: --from and --to do.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "tool.h"

/* Reads one line (without its newline) into *buf; returns its length, or -1 at the end. */
static long read_line(FILE *f, char **buf, size_t *cap) {
    ssize_t n = getline(buf, cap, f);
    if (n < 0)
        return -1;
    while (n > 0 && ((*buf)[n - 1] == '\n' || (*buf)[n - 1] == '\r'))
        (*buf)[--n] = '\0';
    return (long)n;
}

/* Undoes xlate's TSV escapes in place; returns the new length. */
static size_t unescape(char *s, size_t len) {
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len) {
            char c = s[++i];
            s[o++] = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
        } else
            s[o++] = s[i];
    }
    return o;
}

/* Splits a line at tabs into at most `max` fields; returns the count. */
static size_t split(char *line, char **field, size_t *len, size_t max) {
    size_t n = 0;
    char *at = line;
    while (n < max) {
        char *tab = strchr(at, '\t');
        field[n] = at;
        len[n] = tab ? (size_t)(tab - at) : strlen(at);
        n++;
        if (!tab)
            break;
        *tab = '\0';
        at = tab + 1;
    }
    return n;
}

#define MAX_COLUMNS 16

int tool_import_tsv(tool_import *im) {
    FILE *f = fopen(im->path, "rb");
    if (!f) {
        snprintf(im->err, sizeof im->err, "%s: cannot read it", im->path);
        return -1;
    }
    char *line = NULL, *field[MAX_COLUMNS];
    size_t cap = 0, len[MAX_COLUMNS];
    long n, lineno = 1;
    int rc = 0, c_source = -1, c_target = -1, c_status = -1;
    size_t columns = 0;
    if ((n = read_line(f, &line, &cap)) >= 0) {
        columns = split(line, field, len, MAX_COLUMNS);
        for (size_t i = 0; i < columns; i++) {
            if (strcmp(field[i], "source") == 0)
                c_source = (int)i;
            else if (strcmp(field[i], "target") == 0)
                c_target = (int)i;
            else if (strcmp(field[i], "status") == 0)
                c_status = (int)i;
        }
    }
    if (c_source < 0 || c_target < 0) {
        snprintf(im->err, sizeof im->err, "%s:1: the first line must be the header "
                 "\"source<TAB>target\" (or xlate's \"id<TAB>source<TAB>target<TAB>status"
                 "<TAB>message\")", im->path);
        rc = -1;
    }
    while (rc == 0 && (n = read_line(f, &line, &cap)) >= 0) {
        lineno++;
        if (n == 0)
            continue;
        size_t got = split(line, field, len, MAX_COLUMNS);
        if (got != columns) {
            snprintf(im->err, sizeof im->err, "%s:%ld: %zu column(s), the header has %zu: a tab "
                     "inside a text must be written \\t; nothing of this file was imported",
                     im->path, lineno, got, columns);
            rc = -1;
            break;
        }
        if (c_status >= 0 && strcmp(field[c_status], "ok") != 0) {
            tool_import_skip(im, "status is not ok");
            continue;
        }
        size_t sl = unescape(field[c_source], len[c_source]);
        size_t tl = unescape(field[c_target], len[c_target]);
        rc = tool_import_unit(im, im->from, im->to, field[c_source], sl, field[c_target], tl);
    }
    free(line);
    fclose(f);
    return rc;
}

static const char *string_member(json_object *o, const char *name, size_t *len, int *is_null) {
    json_object *v = NULL;
    *is_null = !json_object_object_get_ex(o, name, &v) || json_object_is_type(v, json_type_null);
    if (*is_null || !json_object_is_type(v, json_type_string))
        return NULL;
    *len = (size_t)json_object_get_string_len(v);
    return json_object_get_string(v);
}

int tool_import_jsonl(tool_import *im) {
    FILE *f = fopen(im->path, "rb");
    if (!f) {
        snprintf(im->err, sizeof im->err, "%s: cannot read it", im->path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    long n, lineno = 0;
    int rc = 0;
    json_tokener *tok = json_tokener_new();
    if (!tok)
        rc = -1;
    while (rc == 0 && (n = read_line(f, &line, &cap)) >= 0) {
        lineno++;
        if (n == 0)
            continue;
        json_tokener_reset(tok);
        json_object *o = json_tokener_parse_ex(tok, line, (int)n);
        enum json_tokener_error jerr = json_tokener_get_error(tok);
        if (!o || jerr != json_tokener_success || !json_object_is_type(o, json_type_object)) {
            snprintf(im->err, sizeof im->err, "%s:%ld: not a JSON object (%s); nothing of this "
                     "file was imported", im->path, lineno,
                     jerr != json_tokener_success ? json_tokener_error_desc(jerr) : "another value");
            json_object_put(o);
            rc = -1;
            break;
        }
        size_t sl = 0, tl = 0;
        int snull, tnull, stnull;
        const char *src = string_member(o, "source", &sl, &snull);
        const char *tgt = string_member(o, "target", &tl, &tnull);
        size_t stl;
        const char *status = string_member(o, "status", &stl, &stnull);
        if (!src) {
            snprintf(im->err, sizeof im->err, "%s:%ld: no \"source\" string: not a line xlate "
                     "writes; nothing of this file was imported", im->path, lineno);
            rc = -1;
        } else if (!tgt)
            tool_import_skip(im, "no target");
        else if (status && strcmp(status, "ok") != 0)
            tool_import_skip(im, "status is not ok");
        else
            rc = tool_import_unit(im, im->from, im->to, src, sl, tgt, tl);
        json_object_put(o);
    }
    if (tok)
        json_tokener_free(tok);
    else
        snprintf(im->err, sizeof im->err, "out of memory");
    free(line);
    fclose(f);
    return rc;
}
