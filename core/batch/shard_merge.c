/*
 * shard_merge: the shards of one batch joined (see shard_merge.h). A shard's report is the
 * report of the whole batch cut down to its entries, each object led by "entry", its place in the
 * input; the merge puts every shard's objects back in that order and sums the shards' summaries.
 * The report's lines are read as batch_report writes them (one object a line); each line is
 * parsed with json-c, so that what the merge trusts is JSON, not a layout.
 */
#include "shard_merge.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "batch_report.h"
#include "buf.h"
#include "msg_tally.h"
#include "readfile.h"
#include "usage.h"

/* One document line of a shard's report. */
typedef struct merge_doc {
    size_t entry;         /* its place in the input */
    const char *object;   /* the object without "entry", in the shard's text: {"path":...} */
    size_t object_len;
    json_object *json;    /* owned */
    unsigned shard;
} merge_doc;

/* One shard's report, read. */
typedef struct shard_report {
    const char *path;
    char *text;           /* owned: the file */
    char *head;           /* owned: its head with "shard" made null */
    unsigned index, count;
    json_object *summary; /* owned */
    json_object *usage;   /* owned, or NULL: a shard written before the usage table */
    int complete;
    json_object *input_error; /* owned, or NULL for null */
} shard_report;

/* A shard's combined TMX, read. */
typedef struct shard_tmx {
    const char *path;
    char *text;           /* owned */
    size_t len;
    size_t at;            /* where the next unit to take starts */
    int used;             /* matched to a shard */
} shard_tmx;

typedef struct merge {
    shard_report *reports;
    size_t n_reports;
    merge_doc *docs;
    size_t n_docs, cap_docs;
    shard_tmx *tmx;
    size_t n_tmx;
    xlate_error *err;
} merge;

static int oom(merge *m) {
    xlate_error_set(m->err, XLATE_ENOMEM, "out of memory");
    return -1;
}

/* --- reading a shard's report -------------------------------------------------------------- */

static const char *next_line(const char *p, const char *end, size_t *len) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    *len = (size_t)((nl ? nl : end) - p);
    return nl ? nl + 1 : end;
}

static int not_a_report(merge *m, const shard_report *r, size_t line, const char *what) {
    xlate_error_set(m->err, XLATE_ERROR,
                    "%s, line %zu: %s; give the report.shard-K-of-N.json files that "
                    "'xlate batch --shard' wrote", r->path, line, what);
    return -1;
}

/* The head up to "documents": its shard line gives K and N, and the merged head has "shard":
 * null there, as an unsharded run's has. */
static int read_head(merge *m, shard_report *r, const char **p, const char *end, size_t *line) {
    xlate_buf head = XLATE_BUF_INIT;
    int seen_shard = 0;
    for (;;) {
        size_t len;
        const char *s = *p;
        if (s == end) {
            xlate_buf_free(&head);
            return not_a_report(m, r, *line, "no \"documents\" list");
        }
        *p = next_line(s, end, &len);
        (*line)++;
        if (len > 11 && strncmp(s, "  \"shard\": ", 11) == 0) {
            if (sscanf(s + 11, "{\"index\": %u, \"count\": %u}", &r->index, &r->count) != 2 ||
                r->count == 0 || r->index >= r->count) {
                xlate_buf_free(&head);
                return not_a_report(m, r, *line, "not the report of a shard (\"shard\" is null)");
            }
            seen_shard = 1;
            if (xlate_buf_puts(&head, "  \"shard\": null,\n"))
                return oom(m);
            continue;
        }
        int last = len >= 16 && memcmp(s, "  \"documents\": [", 16) == 0;
        /* The head ends at "[": each object brings the line break before it. */
        if (xlate_buf_append(&head, s, last ? len : (size_t)(*p - s)))
            return oom(m);
        if (last)
            break;
    }
    if (!seen_shard) {
        xlate_buf_free(&head);
        return not_a_report(m, r, *line, "no \"shard\" in its head");
    }
    r->head = head.data;
    return 0;
}

static int add_doc(merge *m, const merge_doc *d) {
    if (m->n_docs == m->cap_docs) {
        size_t cap = m->cap_docs ? m->cap_docs * 2 : 256;
        merge_doc *n = realloc(m->docs, cap * sizeof *n);
        if (!n)
            return oom(m);
        m->docs = n;
        m->cap_docs = cap;
    }
    m->docs[m->n_docs++] = *d;
    return 0;
}

/* "    {"entry":N,"path":...}," — the object is kept as the shard wrote it, less its "entry". */
static int read_doc(merge *m, shard_report *r, unsigned shard, const char *s, size_t len,
                    size_t line) {
    static const char lead[] = "{\"entry\":";
    merge_doc d = {0};
    while (len && (*s == ' '))
        s++, len--;
    if (len && s[len - 1] == ',')
        len--;
    if (len < sizeof lead || memcmp(s, lead, sizeof lead - 1) != 0)
        return not_a_report(m, r, line, "a document without \"entry\" (was it made by this xlate?)");
    char *copy = strndup(s, len);
    if (!copy)
        return oom(m);
    d.json = json_tokener_parse(copy);
    free(copy);
    json_object *entry;
    if (!d.json || !json_object_is_type(d.json, json_type_object) ||
        !json_object_object_get_ex(d.json, "entry", &entry) ||
        !json_object_is_type(entry, json_type_int) || json_object_get_int64(entry) < 0) {
        json_object_put(d.json);
        return not_a_report(m, r, line, "a document line that is not a JSON object with \"entry\"");
    }
    d.entry = (size_t)json_object_get_int64(entry);
    const char *comma = memchr(s, ',', len);
    d.object = comma; /* the object from its first key on; '{' is put back when written */
    d.object_len = (size_t)(s + len - comma);
    d.shard = shard;
    if (add_doc(m, &d)) {
        json_object_put(d.json);
        return -1;
    }
    return 0;
}

/* The lines after the documents: the summary, "complete" and "input_error". */
static int read_tail(merge *m, shard_report *r, const char *p, const char *end, size_t line) {
    while (p < end) {
        size_t len;
        const char *s = p;
        p = next_line(s, end, &len);
        line++;
        char *copy = strndup(s, len);
        if (!copy)
            return oom(m);
        size_t n = strlen(copy);
        if (n && copy[n - 1] == ',')
            copy[--n] = '\0';
        int bad = 0;
        if (strncmp(copy, "  \"summary\": ", 13) == 0) {
            r->summary = json_tokener_parse(copy + 13);
            bad = !r->summary || !json_object_is_type(r->summary, json_type_object);
        } else if (strncmp(copy, "  \"usage\": ", 11) == 0) {
            r->usage = json_tokener_parse(copy + 11);
            bad = !r->usage || !json_object_is_type(r->usage, json_type_object);
        } else if (strncmp(copy, "  \"complete\": ", 14) == 0) {
            r->complete = strcmp(copy + 14, "true") == 0;
        } else if (strncmp(copy, "  \"input_error\": ", 17) == 0) {
            r->input_error = strcmp(copy + 17, "null") == 0 ? NULL : json_tokener_parse(copy + 17);
        }
        free(copy);
        if (bad)
            return not_a_report(m, r, line, "a summary or usage that is not a JSON object");
    }
    if (!r->summary)
        return not_a_report(m, r, line, "no summary: the shard did not finish writing it");
    return 0;
}

static int read_report(merge *m, shard_report *r, unsigned shard) {
    size_t len, line = 0;
    if (xlate_read_file(r->path, &r->text, &len, m->err))
        return -1;
    const char *p = r->text, *end = r->text + len;
    if (read_head(m, r, &p, end, &line))
        return -1;
    for (;;) {
        size_t n;
        const char *s = p;
        if (s == end)
            return not_a_report(m, r, line, "the document list does not end");
        p = next_line(s, end, &n);
        line++;
        if (n >= 3 && strncmp(s, "  ]", 3) == 0)
            break;
        if (read_doc(m, r, shard, s, n, line))
            return -1;
    }
    return read_tail(m, r, p, end, line);
}

/* --- the shards together --------------------------------------------------------------------- */

static int check_shards(merge *m) {
    unsigned count = m->reports[0].count;
    unsigned char *seen = calloc(count, 1);
    if (!seen)
        return oom(m);
    for (size_t i = 0; i < m->n_reports; i++) {
        const shard_report *r = &m->reports[i];
        const char *why = NULL;
        if (r->count != count)
            why = "is of another number of shards";
        else if (strcmp(r->head, m->reports[0].head) != 0)
            why = "was made with other languages or outputs";
        else if (seen[r->index])
            why = "is given twice";
        if (why) {
            xlate_error_set(m->err, XLATE_ERROR, "%s: shard %u of %u %s (against %s)", r->path,
                            r->index, r->count, why, m->reports[0].path);
            free(seen);
            return -1;
        }
        seen[r->index] = 1;
    }
    for (unsigned k = 0; k < count; k++)
        if (!seen[k]) {
            xlate_error_set(m->err, XLATE_ERROR,
                            "shard %u of %u is missing: give every shard's report "
                            "(report.shard-%u-of-%u.json)", k, count, k, count);
            free(seen);
            return -1;
        }
    free(seen);
    return 0;
}

static int by_entry(const void *a, const void *b) {
    const merge_doc *x = a, *y = b;
    return (x->entry > y->entry) - (x->entry < y->entry);
}

static int sort_docs(merge *m) {
    qsort(m->docs, m->n_docs, sizeof *m->docs, by_entry);
    for (size_t i = 1; i < m->n_docs; i++)
        if (m->docs[i].entry == m->docs[i - 1].entry) {
            xlate_error_set(m->err, XLATE_ERROR,
                            "%s and %s both report entry %zu of the input: were the shards run "
                            "over the same input?", m->reports[m->docs[i - 1].shard].path,
                            m->reports[m->docs[i].shard].path, m->docs[i].entry);
            return -1;
        }
    return 0;
}

static size_t json_size(json_object *o, const char *key) {
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_int) &&
                   json_object_get_int64(v) > 0
               ? (size_t)json_object_get_int64(v)
               : 0;
}

static const char *json_text(json_object *o, const char *key) {
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : NULL;
}

/* The shards' summaries added up: each entry is in exactly one shard. */
static int sum_summaries(merge *m, xlate_bulk_summary *sum) {
    memset(sum, 0, sizeof *sum);
    for (size_t i = 0; i < m->n_reports; i++) {
        json_object *s = m->reports[i].summary, *msgs;
        sum->entries += json_size(s, "entries");
        sum->ok += json_size(s, "ok");
        sum->failed += json_size(s, "failed");
        sum->skipped += json_size(s, "skipped");
        sum->rejected += json_size(s, "rejected");
        sum->segments += json_size(s, "segments");
        sum->failed_segments += json_size(s, "failed_segments");
        if (!json_object_object_get_ex(s, "messages", &msgs) ||
            !json_object_is_type(msgs, json_type_array))
            continue;
        for (size_t k = 0; k < json_object_array_length(msgs); k++) {
            json_object *row = json_object_array_get_idx(msgs, k);
            xlate_msg_count c = {(char *)json_text(row, "plugin"), (char *)json_text(row, "code"),
                                 json_size(row, "warnings"), json_size(row, "failures")};
            xlate_msg_tally one = {&c, 1};
            if (!c.plugin)
                continue;
            if (xlate_msg_tally_merge(&sum->messages, &one))
                return oom(m);
        }
    }
    return 0;
}

/* --- the combined TMX ------------------------------------------------------------------------ */

static const char tu_open[] = "    <tu tuid=\"";
static const char tu_close[] = "    </tu>\n";
static const char doc_prop[] = "<prop type=\"x-document\">";

/* The document a unit names, XML-unescaped into `out`. */
static int unit_document(const char *unit, const char *end, xlate_buf *out) {
    const char *p = memmem(unit, (size_t)(end - unit), doc_prop, sizeof doc_prop - 1);
    if (!p)
        return -1;
    p += sizeof doc_prop - 1;
    const char *stop = memmem(p, (size_t)(end - p), "</prop>", 7);
    if (!stop)
        return -1;
    out->len = 0;
    while (p < stop) {
        static const struct { const char *ent; char c; } ents[] = {
            {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
        size_t k = 0;
        if (*p == '&')
            for (; k < sizeof ents / sizeof ents[0]; k++)
                if ((size_t)(stop - p) >= strlen(ents[k].ent) &&
                    memcmp(p, ents[k].ent, strlen(ents[k].ent)) == 0)
                    break;
        if (*p == '&' && k < sizeof ents / sizeof ents[0]) {
            if (xlate_buf_putc(out, ents[k].c))
                return -1;
            p += strlen(ents[k].ent);
        } else {
            if (xlate_buf_putc(out, *p))
                return -1;
            p++;
        }
    }
    return xlate_buf_putc(out, '\0') ? -1 : 0;
}

/* The next unit of `t` from t->at: [*start, *end), its id and its document. 0, 1 none left, -1
 * not a unit as the TMX writer makes them. */
static int next_unit(shard_tmx *t, const char **start, const char **end, size_t *id,
                     xlate_buf *doc) {
    const char *base = t->text + t->at, *limit = t->text + t->len;
    const char *u = memmem(base, (size_t)(limit - base), tu_open, sizeof tu_open - 1);
    if (!u)
        return 1;
    const char *c = memmem(u, (size_t)(limit - u), tu_close, sizeof tu_close - 1);
    if (!c)
        return -1;
    *start = u;
    *end = c + sizeof tu_close - 1;
    *id = (size_t)strtoull(u + sizeof tu_open - 1, NULL, 10);
    return unit_document(u, *end, doc) ? -1 : 0;
}

static int bad_tmx(merge *m, const shard_tmx *t, const char *what) {
    xlate_error_set(m->err, XLATE_ERROR,
                    "%s: %s; give the combined TMX files the shards wrote with --combined, "
                    "unchanged", t->path, what);
    return -1;
}

/* The TMX whose next unit is the document's, or NULL. Each shard's TMX is matched to the shard
 * by its first unit; later units must follow in the shard's order. */
static shard_tmx *tmx_for(merge *m, shard_tmx **by_shard, const merge_doc *d, const char *path) {
    if (by_shard[d->shard])
        return by_shard[d->shard];
    xlate_buf doc = XLATE_BUF_INIT;
    for (size_t i = 0; i < m->n_tmx; i++) {
        const char *s, *e;
        size_t id;
        if (m->tmx[i].used || next_unit(&m->tmx[i], &s, &e, &id, &doc) != 0)
            continue;
        if (strcmp(doc.data, path) == 0) {
            m->tmx[i].used = 1;
            by_shard[d->shard] = &m->tmx[i];
            break;
        }
    }
    xlate_buf_free(&doc);
    return by_shard[d->shard];
}

/* Appends the document's `n` units, taken from its shard's TMX. */
static int append_units(merge *m, xlate_combined *out, shard_tmx *t, const char *path, size_t n) {
    xlate_buf doc = XLATE_BUF_INIT;
    const char *first = NULL, *last = NULL;
    size_t first_id = 0;
    for (size_t k = 0; k < n; k++) {
        const char *s, *e;
        size_t id;
        int r = next_unit(t, &s, &e, &id, &doc);
        if (r != 0 || strcmp(doc.data, path) != 0) {
            xlate_buf_free(&doc);
            return bad_tmx(m, t, r < 0   ? "a unit that is not as xlate writes them"
                                 : r > 0 ? "fewer units than its report's documents have"
                                         : "units in another order than its report's documents");
        }
        if (!first) {
            first = s;
            first_id = id;
        }
        last = e;
        t->at = (size_t)(e - t->text);
    }
    xlate_buf_free(&doc);
    if (n && xlate_combined_append_from(out, first, (size_t)(last - first), n, first_id))
        return bad_tmx(m, t, "unit ids that do not run on from one unit to the next");
    return 0;
}

static int merge_tmx(merge *m, const char *from, const char *to, const char *path) {
    xlate_report_config rcfg = {from, to, XLATE_BULK_RECORDS, NULL, 0, 0, 0, 0};
    xlate_combined *out = NULL;
    shard_tmx **by_shard = calloc(m->reports[0].count, sizeof *by_shard);
    if (!by_shard)
        return oom(m);
    if (xlate_combined_open(&rcfg, path, &out, m->err)) {
        free(by_shard);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < m->n_docs; i++) {
        const merge_doc *d = &m->docs[i];
        json_object *outputs;
        size_t n = json_size(d->json, "segments");
        const char *p = json_text(d->json, "path");
        /* A document has units in the TMX when it has outputs and segments. */
        if (!n || !p || !json_object_object_get_ex(d->json, "outputs", &outputs) ||
            json_object_array_length(outputs) == 0)
            continue;
        shard_tmx *t = tmx_for(m, by_shard, d, p);
        if (!t) {
            xlate_error_set(m->err, XLATE_ERROR,
                            "no combined TMX given has the units of %s (shard %u of %u, %s); give "
                            "every shard's --combined file", p, m->reports[d->shard].index,
                            m->reports[d->shard].count, m->reports[d->shard].path);
            rc = -1;
        } else {
            rc = append_units(m, out, t, p, n);
        }
    }
    for (size_t i = 0; rc == 0 && i < m->n_tmx; i++) {
        const char *s, *e;
        size_t id;
        xlate_buf doc = XLATE_BUF_INIT;
        if (next_unit(&m->tmx[i], &s, &e, &id, &doc) != 1)
            rc = bad_tmx(m, &m->tmx[i], m->tmx[i].used ? "more units than its report's documents have"
                                                       : "units of no shard's documents");
        xlate_buf_free(&doc);
    }
    free(by_shard);
    if (rc) {
        xlate_combined_abort(out);
        return -1;
    }
    return xlate_combined_close(out, m->err);
}

/* --- the merged report --------------------------------------------------------------------- */

/* What the shards sent to each service, summed: what one run over the whole input counts. */
static int sum_usage(merge *m, xlate_usage *usage) {
    for (size_t i = 0; i < m->n_reports; i++) {
        if (!m->reports[i].usage)
            continue;
        json_object_object_foreach(m->reports[i].usage, service, counts) {
            json_object *req, *chars;
            if (!json_object_is_type(counts, json_type_object) ||
                !json_object_object_get_ex(counts, "requests", &req) ||
                !json_object_object_get_ex(counts, "characters", &chars)) {
                xlate_error_set(m->err, XLATE_ERROR, "%s: usage of \"%s\" without requests and "
                                "characters; give the report the shard wrote", m->reports[i].path,
                                service);
                return -1;
            }
            if (xlate_usage_add(usage, service, (uint64_t)json_object_get_int64(req),
                                (uint64_t)json_object_get_int64(chars)))
                return oom(m);
        }
    }
    return 0;
}

static int write_report(merge *m, const xlate_shard_merge_config *cfg,
                        const xlate_bulk_summary *sum, int complete, const char *input_error) {
    const char *path = cfg->report_out;
    xlate_report *r;
    xlate_buf object = XLATE_BUF_INIT;
    if (xlate_report_open_head(m->reports[0].head, cfg->report_dir_fd, path, cfg->report_flags, &r,
                               m->err))
        return -1;
    for (size_t i = 0; i < m->n_docs; i++) {
        object.len = 0;
        if (xlate_buf_putc(&object, '{') ||
            xlate_buf_append(&object, m->docs[i].object + 1, m->docs[i].object_len - 1) ||
            xlate_report_add(r, &object)) {
            xlate_buf_free(&object);
            xlate_report_abort(r);
            xlate_error_set(m->err, XLATE_ERROR, "%s: cannot write the report", path);
            return -1;
        }
    }
    xlate_buf_free(&object);
    xlate_usage *usage = NULL;
    if (xlate_usage_new(&usage) || sum_usage(m, usage)) {
        if (!usage)
            oom(m);
        xlate_usage_free(usage);
        xlate_report_abort(r);
        return -1;
    }
    int rc = xlate_report_close(r, sum, usage, input_error, complete, m->err);
    xlate_usage_free(usage);
    return rc;
}

/* "from" and "to" of the head, for the TMX's header. */
static int head_languages(merge *m, char **from, char **to) {
    xlate_buf obj = XLATE_BUF_INIT;
    const char *head = m->reports[0].head, *docs = strstr(head, ",\n  \"documents\"");
    if (!docs || xlate_buf_append(&obj, head, (size_t)(docs - head)) || xlate_buf_puts(&obj, "}"))
        return oom(m);
    json_object *o = json_tokener_parse(obj.data);
    xlate_buf_free(&obj);
    const char *f = o ? json_text(o, "from") : NULL, *t = o ? json_text(o, "to") : NULL;
    *from = f ? strdup(f) : NULL;
    *to = t ? strdup(t) : NULL;
    json_object_put(o);
    if (!*from || !*to) {
        xlate_error_set(m->err, XLATE_ERROR, "%s: no \"from\" and \"to\" in its head",
                        m->reports[0].path);
        return -1;
    }
    return 0;
}

static void merge_free(merge *m) {
    for (size_t i = 0; i < m->n_reports; i++) {
        free(m->reports[i].text);
        free(m->reports[i].head);
        json_object_put(m->reports[i].summary);
        json_object_put(m->reports[i].usage);
        json_object_put(m->reports[i].input_error);
    }
    for (size_t i = 0; i < m->n_docs; i++)
        json_object_put(m->docs[i].json);
    for (size_t i = 0; i < m->n_tmx; i++)
        free(m->tmx[i].text);
    free(m->reports);
    free(m->docs);
    free(m->tmx);
}

static int read_all(merge *m, const xlate_shard_merge_config *cfg) {
    m->reports = calloc(cfg->n_reports, sizeof *m->reports);
    m->tmx = calloc(cfg->n_tmx ? cfg->n_tmx : 1, sizeof *m->tmx);
    if (!m->reports || !m->tmx)
        return oom(m);
    for (size_t i = 0; i < cfg->n_reports; i++) {
        m->reports[i].path = cfg->reports[i];
        m->n_reports++;
        if (read_report(m, &m->reports[i], (unsigned)i))
            return -1;
    }
    for (size_t i = 0; i < cfg->n_tmx; i++) {
        m->tmx[i].path = cfg->tmx[i];
        m->n_tmx++;
        if (xlate_read_file(cfg->tmx[i], &m->tmx[i].text, &m->tmx[i].len, m->err))
            return -1;
    }
    return 0;
}

int xlate_shards_merge(const xlate_shard_merge_config *cfg, xlate_shard_merge_result *result,
                       xlate_error *err) {
    merge m = {0};
    xlate_bulk_summary sum;
    char *from = NULL, *to = NULL;
    const char *input_error = NULL;
    int complete = 1, rc = -1;
    m.err = err;
    memset(&sum, 0, sizeof sum);
    memset(result, 0, sizeof *result);
    if (cfg->n_reports == 0) {
        xlate_error_set(err, XLATE_EINVAL, "--merge-shards: give the shards' reports");
        return -1;
    }
    if (read_all(&m, cfg) || check_shards(&m) || sort_docs(&m) || sum_summaries(&m, &sum))
        goto done;
    for (size_t i = 0; i < m.n_reports; i++) {
        complete = complete && m.reports[i].complete;
        if (!input_error && m.reports[i].input_error)
            input_error = json_object_get_string(m.reports[i].input_error);
    }
    if (cfg->n_tmx && (head_languages(&m, &from, &to) || merge_tmx(&m, from, to, cfg->tmx_out)))
        goto done;
    if (write_report(&m, cfg, &sum, complete, input_error))
        goto done;
    result->shards = m.reports[0].count;
    result->entries = sum.entries;
    result->failed = sum.failed;
    result->complete = complete;
    rc = 0;
done:
    free(from);
    free(to);
    xlate_msg_tally_free(&sum.messages);
    merge_free(&m);
    return rc;
}
