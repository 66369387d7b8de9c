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
    case XLATE_BULK_RECORDS: return xlate_format_extension(cfg->formats[i]);
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
