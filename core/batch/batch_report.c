/*
 * batch_report: report.json, the combined TMX or XLIFF, the names of a document's outputs and
 * the status word (see batch_report.h).
 */
#include "batch_report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "outfile.h"
#include "review.h"
#include "xliff.h"
#include "xlate/number.h"

#include "xlate_config.h"

const char *xlate_doc_status_word(xlate_doc_status s) {
    switch (s) {
    case XLATE_DOC_OK: return "ok";
    case XLATE_DOC_FAILED: return "failed";
    case XLATE_DOC_SKIPPED: return "skipped";
    case XLATE_DOC_REJECTED: return "rejected";
    }
    return "failed";
}

/* --- the outputs' names ------------------------------------------------------------------------- */

size_t xlate_report_n_outputs(const xlate_report_config *cfg) {
    switch (cfg->kind) {
    case XLATE_BULK_RECORDS: return cfg->n_formats;
    case XLATE_BULK_DOC: return 1;
    case XLATE_BULK_XLIFF12:
    case XLATE_BULK_XLIFF21: return cfg->combined ? 0 : 1;
    }
    return 0;
}

char *xlate_report_output_name(const xlate_report_config *cfg, const char *path, size_t i) {
    char *s;
    switch (cfg->kind) {
    case XLATE_BULK_RECORDS:
        return xlate_output_name(path, cfg->from, cfg->to, xlate_format_extension(cfg->formats[i]));
    case XLATE_BULK_DOC:
        return strdup(path);
    case XLATE_BULK_XLIFF12:
    case XLATE_BULK_XLIFF21:
        /* the whole name kept: a.html and a.md give a.html.xlf and a.md.xlf */
        return asprintf(&s, "%s.xlf", path) < 0 ? NULL : s;
    }
    return NULL;
}

/* The word the report's head gives for what each document gets. */
static const char *output_word(const xlate_report_config *cfg, size_t i) {
    switch (cfg->kind) {
    case XLATE_BULK_RECORDS: return xlate_format_name(cfg->formats[i]);
    case XLATE_BULK_DOC: return "doc";
    case XLATE_BULK_XLIFF12: return "xliff";
    case XLATE_BULK_XLIFF21: return "xliff2";
    }
    return "";
}

static size_t n_output_words(const xlate_report_config *cfg) {
    return cfg->kind == XLATE_BULK_RECORDS ? cfg->n_formats : 1;
}

/* --- the files ---------------------------------------------------------------------------------- */

/* The report or the combined TMX: opened by outfile's rule when the batch starts, put in place
 * when it ends. */
typedef struct side_file {
    xlate_outfile *file;
    FILE *fp; /* on file */
} side_file;

/* Files a reader must never see half of: outfile replaces a file there whole when the batch ends
 * (a batch killed half-way leaves the old one), and writes a device or FIFO in place as the batch
 * goes. */
static int open_side_file_at(xlate_output *out, int dir_fd, const char *path, unsigned flags,
                             const char *rel_in_output, side_file *f, xlate_error *err) {
    int rc = rel_in_output ? xlate_output_open_file(out, NULL, rel_in_output, &f->file, err)
                           : xlate_outfile_open(dir_fd, path, flags, NULL, &f->file, err);
    if (rc)
        return -1;
    if (!(f->fp = xlate_outfile_stream(f->file))) {
        xlate_outfile_abort(f->file);
        f->file = NULL;
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    return 0;
}

static int open_side_file(xlate_output *out, const char *path, const char *rel_in_output,
                          side_file *f, xlate_error *err) {
    return open_side_file_at(out, AT_FDCWD, path, 0, rel_in_output, f, err);
}

/* Writes `text` (NULL: out of memory), then puts the file in place. */
static int finish_side_file(side_file *f, const char *text, xlate_error *err) {
    if (!text) {
        xlate_outfile_abort(f->file);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    fputs(text, f->fp);
    return xlate_outfile_commit(f->file, err);
}

/* --- the report --------------------------------------------------------------------------------- */

struct xlate_report {
    side_file f;
    size_t n_entries;
};

static int put_outputs(const xlate_report_config *cfg, const char *path, xlate_buf *line) {
    int rc = xlate_buf_puts(line, "[");
    for (size_t f = 0; rc == 0 && f < xlate_report_n_outputs(cfg); f++) {
        char *rel = xlate_report_output_name(cfg, path, f);
        rc = !rel || (f && xlate_buf_putc(line, ',')) || xlate_json_cstring(line, rel);
        free(rel);
    }
    return rc || xlate_buf_puts(line, "]");
}

int xlate_report_object(const xlate_report_config *cfg, const xlate_report_entry *e,
                        xlate_buf *line) {
    int rc = (cfg->shard_count && xlate_buf_printf(line, "{\"entry\":%zu,", e->position)) ||
             xlate_buf_puts(line, cfg->shard_count ? "\"path\":" : "{\"path\":") ||
             xlate_json_cstring(line, e->path) ||
             xlate_buf_puts(line, ",\"status\":") ||
             xlate_json_cstring(line, xlate_doc_status_word(e->status));
    if (e->is_document) {
        rc = rc || xlate_buf_puts(line, ",\"encoding\":") ||
             xlate_json_cstring(line, e->encoding) ||
             xlate_buf_printf(line,
                              ",\"segments\":%zu,\"failed_segments\":%zu,\"warnings\":%zu,"
                              "\"filtered\":%zu,\"outputs\":",
                              e->segments, e->failed, e->warnings, e->filtered);
        if (e->has_outputs)
            rc = rc || put_outputs(cfg, e->path, line);
        else
            rc = rc || xlate_buf_puts(line, "[]");
        rc = rc || xlate_buf_puts(line, ",\"error\":") || xlate_json_cstring(line, e->message);
        if (e->messages)
            rc = rc || xlate_buf_puts(line, ",\"messages\":") ||
                 xlate_msg_tally_json(e->messages, line);
    } else {
        rc = rc || xlate_buf_puts(line, e->status == XLATE_DOC_FAILED ? ",\"error\":"
                                                                      : ",\"reason\":") ||
             xlate_json_cstring(line, e->message);
    }
    return rc || xlate_buf_puts(line, "}");
}

static int report_head(const xlate_report_config *cfg, xlate_buf *head) {
    int rc = xlate_buf_printf(head, "{\n  \"version\": 1,\n  \"from\": ") ||
             xlate_json_cstring(head, cfg->from) || xlate_buf_puts(head, ",\n  \"to\": ") ||
             xlate_json_cstring(head, cfg->to) || xlate_buf_puts(head, ",\n  \"formats\": [");
    for (size_t f = 0; rc == 0 && f < n_output_words(cfg); f++)
        rc = (f && xlate_buf_putc(head, ',')) || xlate_json_cstring(head, output_word(cfg, f));
    rc = rc || xlate_buf_puts(head, "],\n  \"shard\": ");
    if (cfg->shard_count)
        rc = rc || xlate_buf_printf(head, "{\"index\": %u, \"count\": %u}", cfg->shard_index,
                                    cfg->shard_count);
    else
        rc = rc || xlate_buf_puts(head, "null");
    return rc || xlate_buf_puts(head, ",\n  \"documents\": [");
}

/* Opens the report's file and writes `head` into it. */
static int report_open_with(const char *head, xlate_output *out, int dir_fd, const char *path,
                            unsigned flags, const char *rel_in_output, xlate_report **rp,
                            xlate_error *err) {
    xlate_report *r = calloc(1, sizeof *r);
    *rp = NULL;
    if (!r) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    if (open_side_file_at(out, dir_fd, path, flags, rel_in_output, &r->f, err)) {
        free(r);
        return -1;
    }
    if (fputs(head, r->f.fp) < 0) {
        xlate_error_set(err, XLATE_ERROR, "%s: cannot write: %s",
                        xlate_outfile_shown(r->f.file), strerror(errno));
        xlate_report_abort(r);
        return -1;
    }
    *rp = r;
    return 0;
}

int xlate_report_open(const xlate_report_config *cfg, xlate_output *out, const char *path,
                      const char *rel_in_output, xlate_report **rp, xlate_error *err) {
    xlate_buf head = XLATE_BUF_INIT;
    int rc;
    *rp = NULL;
    if (report_head(cfg, &head)) {
        xlate_buf_free(&head);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    rc = report_open_with(head.data, out, AT_FDCWD, path, 0, rel_in_output, rp, err);
    xlate_buf_free(&head);
    return rc;
}

int xlate_report_open_head(const char *head, int dir_fd, const char *path, unsigned flags,
                           xlate_report **rp, xlate_error *err) {
    return report_open_with(head, NULL, dir_fd, path, flags, NULL, rp, err);
}

int xlate_report_add(xlate_report *r, const xlate_buf *object) {
    fputs(r->n_entries ? ",\n    " : "\n    ", r->f.fp);
    fwrite(object->data, 1, object->len, r->f.fp);
    r->n_entries++;
    return ferror(r->f.fp) ? -1 : 0;
}

int xlate_report_close(xlate_report *r, const xlate_bulk_summary *s, const xlate_usage *usage,
                       const char *input_error, int complete, xlate_error *err) {
    xlate_buf tail = XLATE_BUF_INIT;
    xlate_msg_tally messages = s->messages;
    xlate_msg_tally_sort(&messages);
    int oom = xlate_buf_printf(&tail,
                               "\n  ],\n  \"summary\": {\"entries\": %zu, \"ok\": %zu, "
                               "\"failed\": %zu, \"skipped\": %zu, \"rejected\": %zu, "
                               "\"segments\": %zu, \"failed_segments\": %zu, \"messages\": ",
                               s->entries, s->ok, s->failed, s->skipped, s->rejected,
                               s->segments, s->failed_segments) ||
              xlate_msg_tally_json(&messages, &tail) ||
              xlate_buf_puts(&tail, "},\n  \"usage\": ") || xlate_usage_json(usage, &tail) ||
              xlate_buf_printf(&tail, ",\n  \"complete\": %s,\n  \"input_error\": ",
                               complete ? "true" : "false") ||
              xlate_json_cstring(&tail, input_error) || xlate_buf_puts(&tail, "\n}\n");
    int rc = finish_side_file(&r->f, oom ? NULL : tail.data, err);
    xlate_buf_free(&tail);
    free(r);
    return rc;
}

void xlate_report_abort(xlate_report *r) {
    if (!r)
        return;
    xlate_outfile_abort(r->f.file);
    free(r);
}

/* --- index.html of the review pages -------------------------------------------------------- */

struct xlate_index {
    side_file f;
    xlate_buf rows;
    size_t documents, segments, failed, warnings, filtered, unprocessed;
};

int xlate_report_review_output(const xlate_report_config *cfg, size_t *i) {
    if (cfg->kind != XLATE_BULK_RECORDS)
        return 0;
    for (size_t f = 0; f < cfg->n_formats; f++) {
        if (cfg->formats[f] == XLATE_FORMAT_REVIEW) {
            *i = f;
            return 1;
        }
    }
    return 0;
}

int xlate_index_open(xlate_output *out, const char *rel_in_output, xlate_index **xp,
                     xlate_error *err) {
    xlate_index *x = calloc(1, sizeof *x);
    *xp = NULL;
    if (!x) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    if (open_side_file(out, NULL, rel_in_output, &x->f, err)) {
        free(x);
        return -1;
    }
    *xp = x;
    return 0;
}

/* A path inside OUTPUT as a relative URL: each byte that is not unreserved (RFC 3986) or '/'
 * percent-encoded, so that no name can leave the link or the folder. */
static int put_href(xlate_buf *out, const char *rel) {
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)rel; *p; p++) {
        int plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                    *p == '-' || *p == '.' || *p == '_' || *p == '~' || *p == '/';
        char enc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
        if (plain ? xlate_buf_putc(out, (char)*p) : xlate_buf_append(out, enc, 3))
            return -1;
    }
    return 0;
}

static int put_cell_number(xlate_buf *out, size_t v) {
    return xlate_buf_printf(out, "<td class=\"num\">%zu</td>", v);
}

int xlate_index_add(xlate_index *x, const xlate_report_config *cfg, const xlate_report_entry *e) {
    xlate_buf *b = &x->rows;
    size_t review;
    const char *word = xlate_doc_status_word(e->status);
    int rc = xlate_buf_printf(b, "<tr data-status=\"%s\"><td>", word);
    char *rel = e->has_outputs && xlate_report_review_output(cfg, &review)
                    ? xlate_report_output_name(cfg, e->path, review)
                    : NULL;
    if (rel)
        rc = rc || xlate_buf_puts(b, "<a href=\"") || put_href(b, rel) || xlate_buf_puts(b, "\">");
    rc = rc || xlate_review_put_text(b, e->path, strlen(e->path)) ||
         (rel && xlate_buf_puts(b, "</a>")) ||
         xlate_buf_printf(b, "</td><td class=\"st st-%s\">%s</td>",
                          e->status == XLATE_DOC_OK ? "ok" : "failed", word);
    free(rel);
    if (e->is_document)
        rc = rc || put_cell_number(b, e->segments) || put_cell_number(b, e->failed) ||
             put_cell_number(b, e->warnings) || put_cell_number(b, e->filtered);
    else
        rc = rc || xlate_buf_puts(b, "<td></td><td></td><td></td><td></td>");
    rc = rc || xlate_buf_puts(b, "<td>") ||
         (e->message && xlate_review_put_text(b, e->message, strlen(e->message))) ||
         xlate_buf_puts(b, "</td></tr>\n");
    x->documents++;
    if (e->is_document) {
        x->segments += e->segments;
        x->failed += e->failed;
        x->warnings += e->warnings;
        x->filtered += e->filtered;
    }
    if (e->status != XLATE_DOC_OK)
        x->unprocessed++;
    return rc ? -1 : 0;
}

static int index_page(const xlate_index *x, const xlate_report_config *cfg, int complete,
                      xlate_buf *page) {
    xlate_buf title = XLATE_BUF_INIT;
    int rc = xlate_buf_printf(&title, "xlate review: %s \xE2\x86\x92 %s", cfg->from, cfg->to) ||
             xlate_review_put_head(page, "en", title.data, 0) ||
             xlate_buf_puts(page, "<header id=\"summary\">\n<h1>") ||
             xlate_review_put_text(page, title.data, title.len) ||
             xlate_buf_printf(page, "</h1>\n<p class=\"totals\"><b>%zu</b> entries, %zu not "
                                    "processed; <b>%zu</b> segments: <span class=\"st-failed\">%zu "
                                    "failed</span>, <span class=\"st-warning\">%zu warning</span>, "
                                    "<span class=\"st-filtered\">%zu filtered</span></p>\n",
                              x->documents, x->unprocessed, x->segments, x->failed, x->warnings,
                              x->filtered) ||
             (!complete && xlate_buf_puts(page, "<p class=\"st-failed\">The batch stopped before "
                                                "its end: the entries below are those it finished; "
                                                "--resume does the rest.</p>\n")) ||
             xlate_buf_puts(page, "</header>\n<main>\n<table class=\"segs index\">\n<thead><tr>"
                                  "<th>document</th><th>status</th><th>segments</th><th>failed</th>"
                                  "<th>warning</th><th>filtered</th><th>why</th></tr></thead>\n"
                                  "<tbody>\n") ||
             (x->rows.data && xlate_buf_append(page, x->rows.data, x->rows.len)) ||
             xlate_buf_puts(page, "</tbody>\n</table>\n</main>\n</body>\n</html>\n");
    xlate_buf_free(&title);
    return rc ? -1 : 0;
}

int xlate_index_close(xlate_index *x, const xlate_report_config *cfg, int complete,
                      xlate_error *err) {
    xlate_buf page = XLATE_BUF_INIT;
    int oom = index_page(x, cfg, complete, &page);
    int rc = finish_side_file(&x->f, oom ? NULL : page.data, err);
    xlate_buf_free(&page);
    xlate_buf_free(&x->rows);
    free(x);
    return rc;
}

void xlate_index_abort(xlate_index *x) {
    if (!x)
        return;
    xlate_outfile_abort(x->f.file);
    xlate_buf_free(&x->rows);
    free(x);
}

/* --- the combined TMX --------------------------------------------------------------------------- */

struct xlate_combined {
    side_file f;
    xlate_writer_options wo;
    xlate_xliff_export_options xo; /* XLIFF outputs: the export's, version nonzero */
    size_t next_id; /* the stream-wide id of the next segment */
};

static int is_xliff(xlate_bulk_output kind) {
    return kind == XLATE_BULK_XLIFF12 || kind == XLATE_BULK_XLIFF21;
}

/* The file's head or tail: the TMX writer's begin or end, or the XLIFF export's. */
static int combined_edge(const xlate_combined *c, int tail, xlate_buf *out) {
    if (c->xo.version) {
        xlate_error err = {XLATE_OK, NULL};
        int rc = tail ? xlate_xliff_export_end(&c->xo, out, &err) : xlate_xliff_export_begin(&c->xo, out, &err);
        xlate_error_clear(&err);
        return rc || !out->data ? -1 : 0;
    }
    xlate_writer *w;
    xlate_buf head = XLATE_BUF_INIT;
    if (xlate_writer_new(&c->wo, &w))
        return -1;
    /* The writer's end follows its begin; only the part asked for is kept. */
    int rc = xlate_writer_begin(w, tail ? &head : out) || (tail && xlate_writer_end(w, out)) || !out->data;
    xlate_writer_free(w);
    xlate_buf_free(&head);
    return rc ? -1 : 0;
}

int xlate_combined_open(const xlate_report_config *cfg, const char *path, xlate_combined **cp,
                        xlate_error *err) {
    xlate_combined *c = calloc(1, sizeof *c);
    xlate_buf head = XLATE_BUF_INIT;
    *cp = NULL;
    if (!c) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    c->wo = (xlate_writer_options){XLATE_FORMAT_TMX, cfg->from, cfg->to, XLATE_VERSION};
    if (is_xliff(cfg->kind))
        c->xo = (xlate_xliff_export_options){cfg->kind == XLATE_BULK_XLIFF21 ? XLATE_XLIFF_2_1 : XLATE_XLIFF_1_2,
                                             cfg->from, cfg->to, XLATE_VERSION, NULL};
    c->next_id = 1;
    if (combined_edge(c, 0, &head)) {
        xlate_buf_free(&head);
        free(c);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    if (open_side_file(NULL, path, NULL, &c->f, err)) {
        xlate_buf_free(&head);
        free(c);
        return -1;
    }
    if (fputs(head.data, c->f.fp) < 0) {
        xlate_error_set(err, XLATE_ERROR, "%s: cannot write: %s",
                        xlate_outfile_shown(c->f.file), strerror(errno));
        xlate_buf_free(&head);
        xlate_combined_abort(c);
        return -1;
    }
    xlate_buf_free(&head);
    *cp = c;
    return 0;
}

int xlate_combined_fragment(const xlate_report_config *cfg, const xlate_doc *doc,
                            xlate_buf *out) {
    xlate_writer_options wo = {XLATE_FORMAT_TMX, cfg->from, cfg->to, XLATE_VERSION};
    xlate_writer *w;
    xlate_buf head = XLATE_BUF_INIT;
    int rc;
    if (xlate_writer_new(&wo, &w))
        return -1;
    /* the writer's document follows its begin; only the units are kept */
    rc = xlate_writer_begin(w, &head) || xlate_writer_document(w, doc, out);
    xlate_writer_free(w);
    xlate_buf_free(&head);
    return rc ? -1 : 0;
}

int xlate_combined_append(xlate_combined *c, const char *fragment, size_t segments) {
    if (c->xo.version) {
        fputs(fragment, c->f.fp);
        return ferror(c->f.fp) ? -1 : 0;
    }
    return xlate_combined_append_from(c, fragment, strlen(fragment), segments, 1);
}

int xlate_combined_append_from(xlate_combined *c, const char *fragment, size_t len,
                               size_t segments, size_t first_id) {
    static const char marker[] = "<tu tuid=\"";
    const char *p = fragment, *end = fragment + len;
    FILE *f = c->f.fp;
    for (;;) {
        const char *m = memmem(p, (size_t)(end - p), marker, sizeof marker - 1);
        size_t digits;
        uint64_t id;
        if (!m) {
            fwrite(p, 1, (size_t)(end - p), f);
            break;
        }
        m += sizeof marker - 1;
        fwrite(p, 1, (size_t)(m - p), f);
        /* The writer numbers its units from 1, in digits only. */
        for (digits = 0; m + digits < end && m[digits] >= '0' && m[digits] <= '9'; digits++)
            ;
        if (xlate_parse_uint(m, digits, SIZE_MAX, &id) != XLATE_NUMBER_OK || id < first_id)
            return -1;
        fprintf(f, "%zu", c->next_id + (size_t)(id - first_id));
        p = m + digits;
    }
    c->next_id += segments;
    return ferror(f) ? -1 : 0;
}

int xlate_combined_close(xlate_combined *c, xlate_error *err) {
    xlate_buf tail = XLATE_BUF_INIT;
    int oom = combined_edge(c, 1, &tail);
    int rc = finish_side_file(&c->f, oom ? NULL : tail.data, err);
    xlate_buf_free(&tail);
    free(c);
    return rc;
}

void xlate_combined_abort(xlate_combined *c) {
    if (!c)
        return;
    xlate_outfile_abort(c->f.file);
    free(c);
}
