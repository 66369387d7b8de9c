/*
 * msg_tally: per plugin and code counts of the segments' messages (see msg_tally.h). A run has a
 * handful of plugins and codes, so the rows are a small array searched from the start.
 */
#include "msg_tally.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"

#define HOST_NAME "xlate"

static int same(const char *a, const char *b) {
    return a == b || (a && b && strcmp(a, b) == 0);
}

static xlate_msg_count *row_for(xlate_msg_tally *t, const char *plugin, const char *code) {
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->rows[i].plugin, plugin) == 0 && same(t->rows[i].code, code))
            return &t->rows[i];
    xlate_msg_count *rows = realloc(t->rows, (t->n + 1) * sizeof *rows);
    if (!rows)
        return NULL;
    t->rows = rows;
    xlate_msg_count *r = &rows[t->n];
    memset(r, 0, sizeof *r);
    r->plugin = strdup(plugin);
    r->code = code ? strdup(code) : NULL;
    if (!r->plugin || (code && !r->code)) {
        free(r->plugin);
        free(r->code);
        return NULL;
    }
    t->n++;
    return r;
}

static int count(xlate_msg_tally *t, const char *plugin, const char *code, size_t warnings,
                 size_t failures) {
    xlate_msg_count *r = row_for(t, plugin ? plugin : HOST_NAME, code);
    if (!r)
        return -1;
    r->warnings += warnings;
    r->failures += failures;
    return 0;
}

int xlate_msg_tally_add(xlate_msg_tally *t, const xlate_doc *doc, size_t from, size_t n) {
    for (size_t i = from; i < from + n && i < doc->n_segs; i++) {
        const xlate_seg *s = &doc->segs[i];
        for (size_t k = 0; k < s->n_messages; k++) {
            const xlate_seg_message *m = &s->messages[k];
            if (m->level != XLATE_SEG_WARNING && m->level != XLATE_SEG_FAILED)
                continue;
            if (count(t, m->plugin, m->code, m->level == XLATE_SEG_WARNING,
                      m->level == XLATE_SEG_FAILED) != 0)
                return -1;
        }
    }
    return 0;
}

int xlate_msg_tally_merge(xlate_msg_tally *t, const xlate_msg_tally *other) {
    for (size_t i = 0; i < other->n; i++) {
        const xlate_msg_count *r = &other->rows[i];
        if (count(t, r->plugin, r->code, r->warnings, r->failures) != 0)
            return -1;
    }
    return 0;
}

static int by_plugin_code(const void *a, const void *b) {
    const xlate_msg_count *x = a, *y = b;
    int c = strcmp(x->plugin, y->plugin);
    if (c)
        return c;
    if (!x->code || !y->code)
        return (x->code != NULL) - (y->code != NULL);
    return strcmp(x->code, y->code);
}

void xlate_msg_tally_sort(xlate_msg_tally *t) {
    if (t->n > 1)
        qsort(t->rows, t->n, sizeof *t->rows, by_plugin_code);
}

static size_t widest(const xlate_msg_tally *t, int code, size_t least) {
    size_t w = least;
    for (size_t i = 0; i < t->n; i++) {
        const char *s = code ? t->rows[i].code : t->rows[i].plugin;
        size_t n = s ? strlen(s) : 1;
        if (n > w)
            w = n;
    }
    return w;
}

int xlate_msg_tally_table(const xlate_msg_tally *t, xlate_buf *out) {
    if (!t->n)
        return 0;
    int pw = (int)widest(t, 0, strlen("plugin")), cw = (int)widest(t, 1, strlen("code"));
    int rc = xlate_buf_printf(out, "%-*s  %-*s  %8s  %8s\n", pw, "plugin", cw, "code", "warnings",
                              "failures");
    for (size_t i = 0; rc == 0 && i < t->n; i++) {
        const xlate_msg_count *r = &t->rows[i];
        rc = xlate_buf_printf(out, "%-*s  %-*s  %8zu  %8zu\n", pw, r->plugin, cw,
                              r->code ? r->code : "-", r->warnings, r->failures);
    }
    return rc;
}

int xlate_msg_tally_json(const xlate_msg_tally *t, xlate_buf *out) {
    int rc = xlate_buf_putc(out, '[');
    for (size_t i = 0; rc == 0 && i < t->n; i++) {
        const xlate_msg_count *r = &t->rows[i];
        rc = (i && xlate_buf_putc(out, ',')) || xlate_buf_puts(out, "{\"plugin\":") ||
             xlate_json_cstring(out, r->plugin) || xlate_buf_puts(out, ",\"code\":") ||
             xlate_json_cstring(out, r->code) ||
             xlate_buf_printf(out, ",\"warnings\":%zu,\"failures\":%zu}", r->warnings,
                              r->failures);
    }
    return rc || xlate_buf_putc(out, ']');
}

int xlate_msg_tally_compact(const xlate_msg_tally *t, xlate_buf *out) {
    int rc = xlate_buf_append(out, "", 0); /* "" rather than NULL when there is nothing */
    for (size_t i = 0; rc == 0 && i < t->n; i++) {
        const xlate_msg_count *r = &t->rows[i];
        rc = xlate_buf_printf(out, "%s%s:%s=%zu/%zu", i ? "," : "", r->plugin,
                              r->code ? r->code : "", r->warnings, r->failures);
    }
    return rc;
}

static int is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* One "plugin:code=w/f" item at *p, which moves past it. */
static int parse_item(const char **p, xlate_msg_tally *into) {
    char plugin[128], code[128];
    size_t n = 0, m = 0;
    const char *s = *p;
    while (is_name_char(*s) && n < sizeof plugin - 1)
        plugin[n++] = *s++;
    if (n == 0 || *s++ != ':')
        return -1;
    while (is_name_char(*s) && m < sizeof code - 1)
        code[m++] = *s++;
    if (*s++ != '=')
        return -1;
    plugin[n] = code[m] = '\0';
    char *end;
    unsigned long long w = strtoull(s, &end, 10);
    if (end == s || *end != '/')
        return -1;
    s = end + 1;
    unsigned long long f = strtoull(s, &end, 10);
    if (end == s)
        return -1;
    *p = end;
    return count(into, plugin, m ? code : NULL, (size_t)w, (size_t)f);
}

int xlate_msg_tally_parse(xlate_msg_tally *t, const char *text) {
    xlate_msg_tally parsed = XLATE_MSG_TALLY_INIT;
    const char *p = text;
    int rc = 0;
    while (rc == 0 && p && *p) {
        rc = parse_item(&p, &parsed);
        if (rc == 0 && *p == ',')
            p++;
        else if (rc == 0 && *p)
            rc = -1;
    }
    if (rc == 0)
        rc = xlate_msg_tally_merge(t, &parsed);
    xlate_msg_tally_free(&parsed);
    return rc;
}

void xlate_msg_tally_free(xlate_msg_tally *t) {
    for (size_t i = 0; i < t->n; i++) {
        free(t->rows[i].plugin);
        free(t->rows[i].code);
    }
    free(t->rows);
    t->rows = NULL;
    t->n = 0;
}
