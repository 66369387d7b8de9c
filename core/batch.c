/*
 * batch: the data path over many documents. The main thread reads entries from archive_in in
 * input order and queues the documents; N workers, each with its own pipeline (one plugin instance
 * per plugin per worker), translate them, write every output through archive_out and leave a
 * record of what they did in the state folder. The main thread then emits the report entries and
 * the combined TMX strictly in input order, so -j 8 gives the bytes -j 1 gives. A document whose
 * record and outputs exist is not done again under --resume: its record is all the report needs.
 */
#include "batch.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "archive_in.h"
#include "archive_out.h"
#include "batch_record.h"
#include "buf.h"
#include "encode.h"
#include "json.h"
#include "srx.h"

#include "xlate_config.h"

#define STATE_ROOT ".xlate-state"

/* --- shards -------------------------------------------------------------------------------------- */

int xlate_shard_parse(const char *text, unsigned *index, unsigned *count) {
    char *end;
    unsigned long k, n;
    if (!text || *text < '0' || *text > '9')
        return -1;
    k = strtoul(text, &end, 10);
    if (*end != '/' || end[1] < '0' || end[1] > '9')
        return -1;
    n = strtoul(end + 1, &end, 10);
    if (*end != '\0' || n == 0 || n > 1000000 || k >= n)
        return -1;
    *index = (unsigned)k;
    *count = (unsigned)n;
    return 0;
}

/* The part of a path that its output names keep: the path without the file name's extension. */
static size_t stem_length(const char *path) {
    const char *base = strrchr(path, '/'), *dot;
    base = base ? base + 1 : path;
    dot = strrchr(base, '.');
    return dot && dot > base ? (size_t)(dot - path) : strlen(path);
}

unsigned xlate_shard_of(const char *path, unsigned count) {
    uint64_t h = 0xcbf29ce484222325ull;
    size_t n = stem_length(path);
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)path[i];
        h *= 0x100000001b3ull;
    }
    return count ? (unsigned)(h % count) : 0;
}

typedef struct shard_filter {
    unsigned index, count;
} shard_filter;

static int shard_wants(void *data, const char *name) {
    const shard_filter *f = data;
    const char *why;
    char *clean = xlate_entry_path_clean(name, &why);
    unsigned s = xlate_shard_of(clean ? clean : name, f->count);
    free(clean);
    return s == f->index;
}

/* --- the documents in flight --------------------------------------------------------------------- */

typedef enum slot_state { SLOT_QUEUED, SLOT_DONE, SLOT_DROPPED } slot_state;

/* One entry from reading to its report line. The main thread owns it, except while a worker
 * processes it (between the queue and state becoming DONE under the batch's lock). */
typedef struct slot {
    char *path;
    const char *status;   /* "ok", "failed", "skipped", "rejected" */
    char *message;        /* why it failed or was skipped */
    char *encoding;       /* what decode found, or NULL */
    size_t segments, failed, warnings, filtered;
    char *key;            /* documents: the name the journal knows it by ("a/b.uk-en.rec") */
    char *fragment_rel;   /* with --combined: the document's TMX units */
    int has_outputs;
    int resumed;
    slot_state state;
    char *data;           /* the document's bytes until a worker is done with them */
    size_t len;
    xlate_buf report;     /* its report.json object, made by the worker that processed it */
} slot;

static void slot_free(slot *s) {
    if (!s)
        return;
    free(s->path);
    free(s->message);
    free(s->encoding);
    free(s->key);
    free(s->fragment_rel);
    free(s->data);
    xlate_buf_free(&s->report);
    free(s);
}

/* Output names already taken, to catch "a.txt" and "a.md" that both become "a.uk-en.jsonl". */
typedef struct name_set {
    char **keys, **owners;
    size_t cap, n;
} name_set;

static uint64_t hash_str(const char *s) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ull;
    }
    return h;
}

/* Adds key → owner. Returns NULL when added, the earlier owner when taken (which `replace`
 * replaces), or "" on ENOMEM. */
static const char *name_set_put(name_set *set, const char *key, const char *owner, int replace) {
    size_t i;
    if (set->n * 2 >= set->cap) {
        name_set bigger = {NULL, NULL, set->cap ? set->cap * 2 : 256, 0};
        bigger.keys = calloc(bigger.cap, sizeof *bigger.keys);
        bigger.owners = calloc(bigger.cap, sizeof *bigger.owners);
        if (!bigger.keys || !bigger.owners) {
            free(bigger.keys);
            free(bigger.owners);
            return "";
        }
        for (size_t k = 0; k < set->cap; k++) {
            if (!set->keys[k])
                continue;
            i = hash_str(set->keys[k]) & (bigger.cap - 1);
            while (bigger.keys[i])
                i = (i + 1) & (bigger.cap - 1);
            bigger.keys[i] = set->keys[k];
            bigger.owners[i] = set->owners[k];
        }
        bigger.n = set->n;
        free(set->keys);
        free(set->owners);
        *set = bigger;
    }
    i = hash_str(key) & (set->cap - 1);
    while (set->keys[i]) {
        if (strcmp(set->keys[i], key) == 0) {
            if (replace) {
                char *o = strdup(owner);
                if (!o)
                    return "";
                free(set->owners[i]);
                set->owners[i] = o;
            }
            return set->owners[i];
        }
        i = (i + 1) & (set->cap - 1);
    }
    set->keys[i] = strdup(key);
    set->owners[i] = strdup(owner);
    if (!set->keys[i] || !set->owners[i]) {
        free(set->keys[i]);
        free(set->owners[i]);
        set->keys[i] = set->owners[i] = NULL;
        return "";
    }
    set->n++;
    return NULL;
}

static const char *name_set_get(const name_set *set, const char *key) {
    size_t i;
    if (!set->cap)
        return NULL;
    for (i = hash_str(key) & (set->cap - 1); set->keys[i]; i = (i + 1) & (set->cap - 1))
        if (strcmp(set->keys[i], key) == 0)
            return set->owners[i];
    return NULL;
}

static void name_set_free(name_set *set) {
    for (size_t i = 0; i < set->cap; i++) {
        free(set->keys[i]);
        free(set->owners[i]);
    }
    free(set->keys);
    free(set->owners);
}

/* --- the batch ----------------------------------------------------------------------------------- */

/* The report or the combined TMX: opened by outfile's rule when the batch starts, put in place
 * when it ends. */
typedef struct side_file {
    xlate_outfile *file;
    FILE *fp;   /* on file */
} side_file;

typedef struct batch {
    const xlate_batch_config *cfg;
    const char *from, *to;
    xlate_output *out;
    char *state_rel;          /* this run's state folder under the output root */
    char *report_path;
    /* the queue between the main thread and the workers */
    pthread_mutex_t mu;
    pthread_cond_t job_ready, job_done;
    slot **queue;
    size_t q_head, q_len, q_cap;
    size_t q_bytes;            /* bytes of the documents in the queue */
    int closing;
    int reader_waiting;       /* the main thread waits for the queue to drain (see enqueue) */
    unsigned n_ready;         /* workers whose pipeline is made (or failed to be) */
    /* entries in input order, from the first not yet emitted */
    slot **pending;
    size_t n_pending, cap_pending;
    /* what is emitted */
    side_file report, combined;
    size_t combined_next_id;  /* the stream-wide TMX id of the next segment */
    size_t n_report_entries;
    char **packed;            /* output files in input order, for an archive output */
    size_t n_packed, cap_packed;
    name_set names;
    /* The journal: one line a finished document, appended by the workers (O_APPEND keeps each
     * line whole), read back under --resume into `done` (key → the rest of its line). */
    int journal_fd;
    name_set done;
    char *record;             /* what the outputs are made with (batch_record.h) */
    int record_kept;          /* --resume found the same record in OUTPUT: nothing to write */
    xlate_progress *progress;
    xlate_batch_summary *sum;
    xlate_error fatal;        /* the first failure to write the output */
} batch;

typedef struct worker {
    batch *b;
    xlate_pipeline *pipeline;
    pthread_t thread;
    int started;
    int ready;          /* 1 once its pipeline is made, -1 when that failed (err says why) */
    xlate_error err;
    xlate_output_place place; /* the folder it wrote the last document's outputs into */
    xlate_buf journal;        /* journal lines not yet written (see flush_journal) */
    double journal_since;     /* when the oldest of them was added */
    xlate_error journal_err;  /* the first failure to write them */
} worker;

static char *join_path(const char *a, const char *b) {
    char *s;
    return asprintf(&s, "%s/%s", a, b) < 0 ? NULL : s;
}

/* Messages go into one report line each. */
static char *one_line(const char *msg) {
    char *s = strdup(msg ? msg : "");
    for (char *p = s; p && *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    return s;
}

/* --- what a worker does with one document -------------------------------------------------------- */

static int render(const batch *b, xlate_format format, const xlate_doc *doc, xlate_buf *out) {
    xlate_writer_options wo = {format, b->from, b->to, XLATE_VERSION};
    xlate_writer *w;
    int rc;
    if (xlate_writer_new(&wo, &w))
        return -1;
    rc = xlate_writer_begin(w, out) || xlate_writer_document(w, doc, out) ||
         xlate_writer_end(w, out);
    xlate_writer_free(w);
    return rc ? -1 : 0;
}

/* The document's TMX units alone, ids from 1; emission renumbers them into the combined file. */
static int render_fragment(const batch *b, const xlate_doc *doc, xlate_buf *out) {
    xlate_writer_options wo = {XLATE_FORMAT_TMX, b->from, b->to, XLATE_VERSION};
    xlate_writer *w;
    xlate_buf head = XLATE_BUF_INIT;
    int rc;
    if (xlate_writer_new(&wo, &w))
        return -1;
    rc = xlate_writer_begin(w, &head) || xlate_writer_document(w, doc, out);
    xlate_writer_free(w);
    xlate_buf_free(&head);
    return rc ? -1 : 0;
}

static int write_output(batch *b, xlate_output_place *place, const char *rel,
                        const xlate_buf *text, xlate_error *err) {
    const char *data = text->data ? text->data : "";
    size_t len = text->len;
    char *converted = NULL;
    int rc;
    if (b->cfg->output_encoding) {
        if (xlate_encode(data, len, b->cfg->output_encoding, b->cfg->output_replace, rel,
                         &converted, &len, err))
            return -1;
        data = converted;
    }
    rc = xlate_output_write(b->out, place, rel, data, len, err);
    free(converted);
    return rc;
}

/* key TAB status TAB encoding TAB segments TAB failed TAB warnings TAB filtered TAB message LF;
 * no field holds a tab or a newline (clean paths have no control characters; messages are made
 * one line). */
static char *journal_line(const slot *s) {
    char *t;
    if (asprintf(&t, "%s\t%s\t%s\t%zu\t%zu\t%zu\t%zu\t%s\n", s->key, s->status,
                 s->encoding ? s->encoding : "", s->segments, s->failed, s->warnings, s->filtered,
                 s->message ? s->message : "") < 0)
        return NULL;
    return t;
}

static char *first_failure(const xlate_doc *doc) {
    for (size_t i = 0; i < doc->n_segs; i++) {
        if (doc->segs[i].status == XLATE_SEG_FAILED) {
            char *m;
            if (asprintf(&m, "segment %zu: %s", doc->segs[i].id,
                         doc->segs[i].message ? doc->segs[i].message : "failed") < 0)
                return NULL;
            char *line = one_line(m);
            free(m);
            return line;
        }
    }
    return NULL;
}

/* The journal takes a worker's lines a few kilobytes or a second at a time, and whenever the
 * worker runs out of work, in one write each (O_APPEND keeps a write whole): one write a document
 * would make the workers queue on the journal's lock. A line not yet written when the batch is
 * killed only means that its document is done again under --resume. */
#define JOURNAL_FLUSH_BYTES 8192
#define JOURNAL_FLUSH_SECONDS 1.0

static double monotonic_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void flush_journal(batch *b, worker *w) {
    const char *p = w->journal.data;
    size_t left = w->journal.len;
    while (left > 0) {
        ssize_t n = write(b->journal_fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (w->journal_err.status == XLATE_OK)
                xlate_error_set(&w->journal_err, XLATE_ERROR,
                                "%s/%s/journal: cannot write: %s (--resume will do the "
                                "documents it misses again)",
                                xlate_output_root(b->out), b->state_rel, strerror(errno));
            break;
        }
        p += n;
        left -= (size_t)n;
    }
    xlate_buf_reset(&w->journal);
}

/* Adds the document's journal line; writes the lines held when there are enough or they are old. */
static int journal_document(batch *b, worker *w, const slot *s) {
    char *rec = journal_line(s);
    if (!rec)
        return -1;
    if (!w->journal.len)
        w->journal_since = monotonic_seconds();
    int rc = xlate_buf_puts(&w->journal, rec);
    free(rec);
    if (rc == 0 && (w->journal.len >= JOURNAL_FLUSH_BYTES ||
                    monotonic_seconds() - w->journal_since >= JOURNAL_FLUSH_SECONDS))
        flush_journal(b, w);
    return rc;
}

static int write_outputs(batch *b, worker *w, slot *s, const xlate_doc *doc, xlate_error *err) {
    xlate_buf text = XLATE_BUF_INIT;
    int rc = 0;
    for (size_t f = 0; rc == 0 && f < b->cfg->n_formats; f++) {
        char *rel = xlate_output_name(s->path, b->from, b->to,
                                      xlate_format_extension(b->cfg->formats[f]));
        xlate_buf_reset(&text);
        if (!rel || render(b, b->cfg->formats[f], doc, &text)) {
            xlate_error_set(err, XLATE_ENOMEM, "out of memory");
            rc = -1;
        } else {
            rc = write_output(b, &w->place, rel, &text, err);
        }
        free(rel);
    }
    if (rc == 0 && s->fragment_rel) {
        xlate_buf_reset(&text);
        if (render_fragment(b, doc, &text)) {
            xlate_error_set(err, XLATE_ENOMEM, "out of memory");
            rc = -1;
        } else {
            rc = xlate_output_write(b->out, NULL, s->fragment_rel,
                                    text.data ? text.data : "", text.len, err);
        }
    }
    xlate_buf_free(&text);
    if (rc)
        return -1;
    /* The journal line comes last: it says every output above is complete. */
    if (journal_document(b, w, s) != 0) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    return 0;
}

static int put_json_list_of_outputs(const batch *b, const slot *s, xlate_buf *line) {
    int rc = xlate_buf_puts(line, "[");
    for (size_t f = 0; rc == 0 && f < b->cfg->n_formats; f++) {
        char *rel = xlate_output_name(s->path, b->from, b->to,
                                      xlate_format_extension(b->cfg->formats[f]));
        rc = !rel || (f && xlate_buf_putc(line, ',')) || xlate_json_cstring(line, rel);
        free(rel);
    }
    return rc || xlate_buf_puts(line, "]");
}

/* The entry's object in report.json. */
static int report_object(const batch *b, const slot *s, xlate_buf *line) {
    int rc = xlate_buf_puts(line, "{\"path\":") ||
             xlate_json_cstring(line, s->path) || xlate_buf_puts(line, ",\"status\":") ||
             xlate_json_cstring(line, s->status);
    if (s->key) {
        rc = rc || xlate_buf_puts(line, ",\"encoding\":") ||
             xlate_json_cstring(line, s->encoding) ||
             xlate_buf_printf(line,
                              ",\"segments\":%zu,\"failed_segments\":%zu,\"warnings\":%zu,"
                              "\"filtered\":%zu,\"outputs\":",
                              s->segments, s->failed, s->warnings, s->filtered);
        if (s->has_outputs)
            rc = rc || put_json_list_of_outputs(b, s, line);
        else
            rc = rc || xlate_buf_puts(line, "[]");
        rc = rc || xlate_buf_puts(line, ",\"error\":") || xlate_json_cstring(line, s->message);
    } else {
        rc = rc || xlate_buf_puts(line, strcmp(s->status, "failed") == 0 ? ",\"error\":"
                                                                       : ",\"reason\":") ||
             xlate_json_cstring(line, s->message);
    }
    return rc || xlate_buf_puts(line, "}");
}

static void translate_document(batch *b, worker *w, slot *s) {
    xlate_doc doc;
    xlate_doc_stats st;
    xlate_error err = {XLATE_OK, NULL};
    int rc = xlate_pipeline_run(w->pipeline, s->path, s->data, s->len, &doc, &err);
    free(s->data);
    s->data = NULL;
    if (rc != 0) {
        s->status = "failed";
        s->message = one_line(err.message ? err.message : "the document could not be read");
        xlate_error_clear(&err);
        return;
    }
    xlate_doc_get_stats(&doc, &st);
    /* "" and NULL would read back alike from the journal; keep one of them. */
    s->encoding = doc.encoding[0] ? strdup(doc.encoding) : NULL;
    s->segments = st.segments;
    s->failed = st.failed;
    s->warnings = st.warnings;
    s->filtered = st.filtered;
    s->status = st.failed ? "failed" : "ok";
    s->message = first_failure(&doc);
    if (write_outputs(b, w, s, &doc, &err) == 0) {
        s->has_outputs = 1;
    } else {
        s->status = "failed";
        free(s->message);
        s->message = one_line(err.message);
        xlate_error_clear(&err);
    }
    xlate_doc_free(&doc);
}

/* What a worker does with a document: translate it, write its outputs, and make its report
 * object here, on the worker's core, rather than on the main thread that keeps the order. */
static void process_document(batch *b, worker *w, slot *s) {
    translate_document(b, w, s);
    if (report_object(b, s, &s->report) != 0)
        xlate_buf_free(&s->report); /* out of memory: emit tries again */
}

/* The queue holds up to QUEUE_DOCS_PER_WORKER documents a worker, and no more than
 * QUEUE_BYTES_PER_WORKER bytes a worker unless it is empty: many small news items pass in one
 * wake-up instead of one each, while large documents still come a few at a time. */
#define QUEUE_DOCS_PER_WORKER 32
#define QUEUE_BYTES_PER_WORKER ((size_t)4 << 20)

static size_t queue_byte_budget(const batch *b) {
    return QUEUE_BYTES_PER_WORKER * (b->q_cap / QUEUE_DOCS_PER_WORKER);
}

static int queue_full(const batch *b, const slot *s) {
    return b->q_len == b->q_cap || (b->q_len > 0 && b->q_bytes + s->len > queue_byte_budget(b));
}

/* Half of the queue is free again. */
static int queue_drained(const batch *b) {
    return b->q_len <= b->q_cap / 2 && b->q_bytes <= queue_byte_budget(b) / 2;
}

static void *worker_main(void *arg) {
    worker *w = arg;
    batch *b = w->b;
    /* Named, so that top -H, perf and gdb tell the workers from the reading main thread. */
    pthread_setname_np(pthread_self(), "xlate-worker");
    /* Each worker makes its own pipeline, so that plugins with a slow start (a dictionary to
     * load) start on every core at once. */
    int made = xlate_pipeline_new(b->cfg->pipeline, b->cfg->chain, &w->pipeline, &w->err);
    pthread_mutex_lock(&b->mu);
    w->ready = made == 0 ? 1 : -1;
    b->n_ready++;
    pthread_cond_broadcast(&b->job_done);
    pthread_mutex_unlock(&b->mu);
    if (made != 0)
        return NULL;
    for (;;) {
        slot *s;
        pthread_mutex_lock(&b->mu);
        while (b->q_len == 0 && !b->closing) {
            if (w->journal.len) { /* about to wait: the lines held go out first */
                pthread_mutex_unlock(&b->mu);
                flush_journal(b, w);
                pthread_mutex_lock(&b->mu);
                continue;
            }
            pthread_cond_wait(&b->job_ready, &b->mu);
        }
        if (b->q_len == 0) {
            pthread_mutex_unlock(&b->mu);
            flush_journal(b, w);
            return NULL;
        }
        s = b->queue[b->q_head];
        b->q_head = (b->q_head + 1) % b->q_cap;
        b->q_len--;
        b->q_bytes -= s->len;
        if (b->reader_waiting && queue_drained(b))
            pthread_cond_signal(&b->job_done);
        pthread_mutex_unlock(&b->mu);

        process_document(b, w, s);

        /* Nobody waits for a single document: the main thread looks for finished ones whenever
         * it runs (emit_ready), and joins the workers at the end. */
        pthread_mutex_lock(&b->mu);
        s->state = SLOT_DONE;
        pthread_mutex_unlock(&b->mu);
    }
}

/* --- resume -------------------------------------------------------------------------------------- */

/* Reads the journal a previous run left into b->done; a last line cut short by a kill has no
 * newline and is ignored (its document is done again). */
static int load_journal(batch *b) {
    char *rel = join_path(b->state_rel, "journal"), *text, *line;
    size_t len;
    int rc = 0;
    if (!rel)
        return -1;
    if (xlate_output_read(b->out, rel, &text, &len) != 0) {
        free(rel);
        return 0; /* no journal: nothing done yet */
    }
    free(rel);
    for (line = text; rc == 0 && *line;) {
        char *nl = strchr(line, '\n'), *tab;
        if (!nl)
            break;
        *nl = '\0';
        tab = strchr(line, '\t');
        if (tab) {
            *tab = '\0';
            const char *r = name_set_put(&b->done, line, tab + 1, 1);
            if (r && !*r)
                rc = -1;
        }
        line = nl + 1;
    }
    free(text);
    return rc;
}

/* The n-th tab-separated field of a journal entry (key removed), as [*start, *start + *len). */
static int journal_field(const char *entry, int n, const char **start, size_t *len) {
    const char *p = entry;
    for (int i = 0; i < n; i++) {
        p = strchr(p, '\t');
        if (!p)
            return -1;
        p++;
    }
    *start = p;
    *len = strcspn(p, "\t");
    return 0;
}

static int journal_size(const char *entry, int n, size_t *out) {
    const char *v;
    size_t len;
    char *end;
    if (journal_field(entry, n, &v, &len) || len == 0)
        return -1;
    *out = (size_t)strtoull(v, &end, 10);
    return end == v + len ? 0 : -1;
}

static char *journal_string(const char *entry, int n) {
    const char *v;
    size_t len;
    return journal_field(entry, n, &v, &len) == 0 && len ? strndup(v, len) : NULL;
}

/* Whether the journal has the document and every output it names exists; fills the slot. */
static int load_if_complete(batch *b, slot *s) {
    const char *entry = name_set_get(&b->done, s->key), *status;
    size_t len;
    int ok;
    if (!entry)
        return 0;
    ok = journal_field(entry, 0, &status, &len) == 0 && journal_size(entry, 2, &s->segments) == 0 &&
         journal_size(entry, 3, &s->failed) == 0 && journal_size(entry, 4, &s->warnings) == 0 &&
         journal_size(entry, 5, &s->filtered) == 0;
    for (size_t f = 0; ok && f < b->cfg->n_formats; f++) {
        char *rel = xlate_output_name(s->path, b->from, b->to,
                                      xlate_format_extension(b->cfg->formats[f]));
        ok = rel && xlate_output_exists(b->out, rel);
        free(rel);
    }
    if (ok && s->fragment_rel)
        ok = xlate_output_exists(b->out, s->fragment_rel);
    if (ok) {
        s->status = len == 2 && strncmp(status, "ok", 2) == 0 ? "ok" : "failed";
        s->encoding = journal_string(entry, 1);
        s->message = journal_string(entry, 6);
        s->has_outputs = 1;
        s->resumed = 1;
    }
    return ok;
}

/* A journal goes on only with the configuration it was started with: another one would mix
 * outputs made two ways. Checked before anything is written into OUTPUT; a refusal is a usage
 * error. The record itself is written by open_journal. */
static int check_record(batch *b, xlate_error *err) {
    char *rec_rel = join_path(b->state_rel, "config"), *journal_rel = join_path(b->state_rel,
                                                                                 "journal");
    char *old = NULL, *changes = NULL;
    size_t len;
    int rc = 0, oom = 0;
    if (!rec_rel || !journal_rel || xlate_batch_record_make(b->cfg, &b->record, err)) {
        rc = -1;
    } else if (b->cfg->resume && xlate_output_exists(b->out, journal_rel)) {
        if (xlate_output_read(b->out, rec_rel, &old, &len) != 0) {
            if (errno == ENOENT)
                xlate_error_set(err, XLATE_EINVAL,
                                "%s: --resume: the journal in %s/%s has no record of the options "
                                "it was made with (an earlier xlate wrote it); run without "
                                "--resume to make every output again",
                                b->cfg->output, xlate_output_root(b->out), b->state_rel);
            else
                xlate_error_set(err, XLATE_ERROR, "%s/%s: cannot read: %s",
                                xlate_output_root(b->out), rec_rel, strerror(errno));
            rc = -1;
        } else if ((changes = xlate_batch_record_diff(old, b->record, &oom)) != NULL) {
            xlate_error_set(err, XLATE_EINVAL,
                            "%s: --resume with other options than its outputs were made with: %s; "
                            "resume with the options it was started with, or run without "
                            "--resume to make every output again",
                            b->cfg->output, changes);
            rc = -1;
        } else {
            rc = oom ? -1 : 0; /* out of memory: the records could not be compared */
            b->record_kept = !oom;
        }
    }
    if (rc && (!err || err->status == XLATE_OK))
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
    free(rec_rel);
    free(journal_rel);
    free(old);
    free(changes);
    return rc;
}

/* --- emitting in input order --------------------------------------------------------------------- */

static void fail_output(batch *b, const xlate_error *err) {
    if (b->fatal.status == XLATE_OK)
        xlate_error_set(&b->fatal, XLATE_ERROR, "%s", err->message ? err->message : "write error");
}

/* Copies a document's TMX units into the combined file with its ids moved to continue the
 * stream's: the fragment was written with ids from 1, before the document's place was known. */
static int append_fragment(batch *b, const slot *s) {
    static const char marker[] = "<tu tuid=\"";
    char *text, *p;
    size_t len;
    FILE *f = b->combined.fp;
    if (xlate_output_read(b->out, s->fragment_rel, &text, &len) != 0)
        return -1;
    p = text;
    for (;;) {
        char *m = strstr(p, marker), *end;
        unsigned long long id;
        if (!m) {
            fputs(p, f);
            break;
        }
        m += sizeof marker - 1;
        fwrite(p, 1, (size_t)(m - p), f);
        id = strtoull(m, &end, 10);
        fprintf(f, "%zu", b->combined_next_id + (size_t)id - 1);
        p = end;
    }
    b->combined_next_id += s->segments;
    free(text);
    return ferror(f) ? -1 : 0;
}

static void count_entry(batch *b, const slot *s) {
    xlate_batch_summary *sum = b->sum;
    xlate_progress_counts *c = xlate_progress_counts_of(b->progress);
    sum->entries++;
    if (strcmp(s->status, "ok") == 0)
        sum->ok++;
    else if (strcmp(s->status, "failed") == 0)
        sum->failed++;
    else if (strcmp(s->status, "skipped") == 0)
        sum->skipped++;
    else
        sum->rejected++;
    sum->resumed += (size_t)s->resumed;
    sum->segments += s->segments;
    sum->failed_segments += s->failed;
    c->done++;
    c->segments += (long long)s->segments;
    c->errors += strcmp(s->status, "failed") == 0;
    c->skipped += strcmp(s->status, "skipped") == 0;
    c->rejected += strcmp(s->status, "rejected") == 0;
    c->resumed += s->resumed;
}

static int emit(batch *b, slot *s) {
    /* A processed document's object was made by its worker; the others' are made here. */
    int rc = s->report.data ? 0 : report_object(b, s, &s->report);
    if (rc == 0) {
        fputs(b->n_report_entries ? ",\n    " : "\n    ", b->report.fp);
        fwrite(s->report.data, 1, s->report.len, b->report.fp);
        b->n_report_entries++;
        if (ferror(b->report.fp))
            rc = -1;
    }
    if (rc == 0 && s->has_outputs && b->combined.fp && append_fragment(b, s))
        rc = -1;
    if (rc == 0 && s->has_outputs && xlate_output_is_archive(b->out)) {
        for (size_t f = 0; rc == 0 && f < b->cfg->n_formats; f++) {
            if (b->n_packed == b->cap_packed) {
                size_t cap = b->cap_packed ? b->cap_packed * 2 : 64;
                char **p = realloc(b->packed, cap * sizeof *p);
                if (!p) {
                    rc = -1;
                    break;
                }
                b->packed = p;
                b->cap_packed = cap;
            }
            b->packed[b->n_packed] = xlate_output_name(s->path, b->from, b->to,
                                                       xlate_format_extension(b->cfg->formats[f]));
            rc = b->packed[b->n_packed++] ? 0 : -1;
        }
    }
    count_entry(b, s);
    xlate_progress_entry(b->progress, s->path, s->resumed ? "resumed" : s->status, s->segments,
                         s->message);
    if (rc) {
        xlate_error e = {XLATE_OK, NULL};
        xlate_error_set(&e, XLATE_ERROR, "%s: cannot write the report or the combined TMX: %s",
                        b->report_path, strerror(errno));
        fail_output(b, &e);
        xlate_error_clear(&e);
    }
    return rc;
}

/* Emits every finished entry at the head of the input order. */
static void emit_ready(batch *b) {
    size_t k = 0;
    for (; k < b->n_pending; k++) {
        slot *s = b->pending[k];
        slot_state st;
        pthread_mutex_lock(&b->mu);
        st = s->state;
        pthread_mutex_unlock(&b->mu);
        if (st != SLOT_DONE)
            break;
        emit(b, s);
        slot_free(s);
    }
    if (k) {
        memmove(b->pending, b->pending + k, (b->n_pending - k) * sizeof *b->pending);
        b->n_pending -= k;
    }
    xlate_progress_update(b->progress);
}

static int add_pending(batch *b, slot *s) {
    if (b->n_pending == b->cap_pending) {
        size_t cap = b->cap_pending ? b->cap_pending * 2 : 64;
        slot **p = realloc(b->pending, cap * sizeof *p);
        if (!p)
            return -1;
        b->pending = p;
        b->cap_pending = cap;
    }
    b->pending[b->n_pending++] = s;
    return 0;
}

/* Hands a document to the workers, waiting (and emitting) while the queue is full: the queue's
 * bound is what keeps memory to a few documents whatever the archive's size. A full queue is
 * refilled once half of it is free, not document by document: each wake-up of the main thread
 * takes a core from a worker when there are as many workers as cores. */
static void enqueue(batch *b, slot *s) {
    pthread_mutex_lock(&b->mu);
    while (queue_full(b, s)) {
        b->reader_waiting = 1;
        while (!queue_drained(b) && queue_full(b, s))
            pthread_cond_wait(&b->job_done, &b->mu);
        b->reader_waiting = 0;
        pthread_mutex_unlock(&b->mu);
        emit_ready(b);
        pthread_mutex_lock(&b->mu);
    }
    b->queue[(b->q_head + b->q_len) % b->q_cap] = s;
    b->q_len++;
    b->q_bytes += s->len;
    pthread_cond_signal(&b->job_ready);
    pthread_mutex_unlock(&b->mu);
}

/* --- reading the input --------------------------------------------------------------------------- */

static int stopping(const batch *b) {
    return b->cfg->stop && *b->cfg->stop;
}

static slot *slot_from_entry(xlate_entry *e) {
    slot *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->path = e->path;
    e->path = NULL;
    s->state = SLOT_DONE;
    switch (e->kind) {
    case XLATE_ENTRY_DOCUMENT:
        s->status = "ok";
        s->state = SLOT_QUEUED;
        s->data = e->data;
        s->len = e->len;
        e->data = NULL;
        break;
    case XLATE_ENTRY_SKIPPED: s->status = "skipped"; break;
    case XLATE_ENTRY_REJECTED: s->status = "rejected"; break;
    case XLATE_ENTRY_FAILED: s->status = "failed"; break;
    }
    s->message = e->reason;
    e->reason = NULL;
    return s;
}

/* Names the document's state files, checks that its output names are its own, and under
 * --resume finds it done. Returns 1 when it still has to be translated. */
static int prepare_document(batch *b, slot *s) {
    char *rec = xlate_output_name(s->path, b->from, b->to, "rec");
    const char *owner;
    if (!rec)
        return -1;
    s->key = rec;
    if (b->cfg->combined) {
        char *frag = xlate_output_name(s->path, b->from, b->to, "tmx");
        char *dir = join_path(b->state_rel, "tmx");
        s->fragment_rel = frag && dir ? join_path(dir, frag) : NULL;
        free(frag);
        free(dir);
        if (!s->fragment_rel)
            return -1;
    }
    owner = name_set_put(&b->names, rec, s->path, 0);
    if (owner && !*owner)
        return -1;
    if (owner) {
        free(s->data);
        s->data = NULL;
        s->status = "failed";
        s->state = SLOT_DONE;
        if (asprintf(&s->message,
                     "its output would have the name of the output of \"%s\" (the same name "
                     "with another extension); rename one of them",
                     owner) < 0)
            s->message = NULL;
        return 0;
    }
    if (b->cfg->resume && load_if_complete(b, s)) {
        free(s->data);
        s->data = NULL;
        s->state = SLOT_DONE;
        return 0;
    }
    return 1;
}

static int read_input(batch *b, xlate_input *in, xlate_error *err) {
    xlate_progress_counts *c = xlate_progress_counts_of(b->progress);
    c->total = xlate_input_total(in);
    while (!stopping(b) && b->fatal.status == XLATE_OK) {
        xlate_entry e;
        slot *s;
        int r = xlate_input_next(in, &e, err);
        if (r == 0)
            return 0;
        if (r < 0)
            return -1;
        c->seen++;
        /* MB/s of text, uncompressed: what the data path actually chews through. */
        if (e.kind == XLATE_ENTRY_DOCUMENT)
            c->bytes += e.len;
        s = slot_from_entry(&e);
        xlate_entry_free(&e);
        if (!s || add_pending(b, s)) {
            slot_free(s);
            xlate_error_set(err, XLATE_ENOMEM, "out of memory");
            return -1;
        }
        if (s->state == SLOT_QUEUED) {
            int todo = prepare_document(b, s);
            if (todo < 0) {
                xlate_error_set(err, XLATE_ENOMEM, "out of memory");
                s->state = SLOT_DROPPED;
                return -1;
            }
            if (todo)
                enqueue(b, s);
        }
        emit_ready(b);
    }
    return 0;
}

/* --- the run ------------------------------------------------------------------------------------- */

/* The report and the combined TMX are files a reader must never see half of: outfile replaces a
 * file there whole when the batch ends (a batch killed half-way leaves the old one), and writes a
 * device or FIFO in place as the batch goes. The report's default place is inside OUTPUT, where a
 * link is refused as for the outputs; a path the user names is theirs to point anywhere. */
static int open_side_file(batch *b, const char *path, const char *rel_in_output, side_file *f,
                          xlate_error *err) {
    int rc = rel_in_output ? xlate_output_open_file(b->out, NULL, rel_in_output, &f->file, err)
                           : xlate_outfile_open(AT_FDCWD, path, 0, NULL, &f->file, err);
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

static int commit_side_file(side_file *f, xlate_error *err) {
    int rc = xlate_outfile_commit(f->file, err);
    f->file = NULL;
    f->fp = NULL;
    return rc;
}

/* Safe on a file never opened or already committed. */
static void abort_side_file(side_file *f) {
    xlate_outfile_abort(f->file);
    f->file = NULL;
    f->fp = NULL;
}

/* The report's name inside a folder OUTPUT, where it goes without --report (allocated; NULL when
 * out of memory). */
static char *report_in_output(const batch *b) {
    const xlate_batch_config *cfg = b->cfg;
    char *rel;
    int n = cfg->shard_count
            ? asprintf(&rel, "report.shard-%u-of-%u.json", cfg->shard_index, cfg->shard_count)
            : asprintf(&rel, "report.json");
    return n < 0 ? NULL : rel;
}

static int open_report(batch *b, xlate_error *err) {
    const xlate_batch_config *cfg = b->cfg;
    xlate_buf head = XLATE_BUF_INIT;
    int rc;
    char *rel = NULL;
    if (!cfg->report && !xlate_output_is_archive(b->out) && !(rel = report_in_output(b))) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    rc = open_side_file(b, b->report_path, rel, &b->report, err);
    free(rel);
    if (rc)
        return -1;
    xlate_buf_printf(&head, "{\n  \"version\": 1,\n  \"from\": ");
    xlate_json_cstring(&head, b->from);
    xlate_buf_puts(&head, ",\n  \"to\": ");
    xlate_json_cstring(&head, b->to);
    xlate_buf_puts(&head, ",\n  \"formats\": [");
    for (size_t f = 0; f < cfg->n_formats; f++) {
        if (f)
            xlate_buf_putc(&head, ',');
        xlate_json_cstring(&head, xlate_format_extension(cfg->formats[f]));
    }
    xlate_buf_puts(&head, "],\n  \"shard\": ");
    if (cfg->shard_count)
        xlate_buf_printf(&head, "{\"index\": %u, \"count\": %u}", cfg->shard_index,
                         cfg->shard_count);
    else
        xlate_buf_puts(&head, "null");
    xlate_buf_puts(&head, ",\n  \"documents\": [");
    rc = head.data && fputs(head.data, b->report.fp) >= 0 ? 0 : -1;
    xlate_buf_free(&head);
    if (rc)
        xlate_error_set(err, XLATE_ERROR, "%s: cannot write: %s", xlate_outfile_shown(b->report.file),
                        strerror(errno));
    return rc;
}

static int close_report(batch *b, const char *input_error, int complete, xlate_error *err) {
    const xlate_batch_summary *s = b->sum;
    xlate_buf tail = XLATE_BUF_INIT;
    xlate_buf_printf(&tail,
                     "\n  ],\n  \"summary\": {\"entries\": %zu, \"ok\": %zu, \"failed\": %zu, "
                     "\"skipped\": %zu, \"rejected\": %zu, \"segments\": %zu, "
                     "\"failed_segments\": %zu},\n  \"complete\": %s,\n  \"input_error\": ",
                     s->entries, s->ok, s->failed, s->skipped, s->rejected, s->segments,
                     s->failed_segments, complete ? "true" : "false");
    xlate_json_cstring(&tail, input_error);
    xlate_buf_puts(&tail, "\n}\n");
    if (!tail.data) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    fputs(tail.data, b->report.fp);
    xlate_buf_free(&tail);
    return commit_side_file(&b->report, err);
}

static int open_combined(batch *b, xlate_error *err) {
    xlate_writer_options wo = {XLATE_FORMAT_TMX, b->from, b->to, XLATE_VERSION};
    xlate_writer *w;
    xlate_buf head = XLATE_BUF_INIT;
    int rc;
    if (!b->cfg->combined)
        return 0;
    if (open_side_file(b, b->cfg->combined, NULL, &b->combined, err))
        return -1;
    if (xlate_writer_new(&wo, &w)) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    rc = xlate_writer_begin(w, &head);
    xlate_writer_free(w);
    if (rc || !head.data || fputs(head.data, b->combined.fp) < 0) {
        xlate_buf_free(&head);
        xlate_error_set(err, XLATE_ERROR, "%s: cannot write: %s", xlate_outfile_shown(b->combined.file),
                        strerror(errno));
        return -1;
    }
    xlate_buf_free(&head);
    b->combined_next_id = 1;
    return 0;
}

static int close_combined(batch *b, xlate_error *err) {
    xlate_writer_options wo = {XLATE_FORMAT_TMX, b->from, b->to, XLATE_VERSION};
    xlate_writer *w;
    xlate_buf head = XLATE_BUF_INIT, tail = XLATE_BUF_INIT;
    int rc;
    if (!b->combined.fp)
        return 0;
    if (xlate_writer_new(&wo, &w)) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    /* The writer's end follows its begin; only the end goes to the file. */
    rc = xlate_writer_begin(w, &head) || xlate_writer_end(w, &tail);
    xlate_writer_free(w);
    if (rc || !tail.data)
        rc = -1;
    else
        fputs(tail.data, b->combined.fp);
    xlate_buf_free(&head);
    xlate_buf_free(&tail);
    if (rc) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    return commit_side_file(&b->combined, err);
}

static int open_journal(batch *b, xlate_error *err) {
    char *rel = join_path(b->state_rel, "journal");
    if (!rel) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    if (b->cfg->resume && load_journal(b)) {
        free(rel);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    /* A fresh start forgets what an earlier run did; a journal it cannot remove would be read
     * back by a later --resume as if this run had written it. */
    if (!b->cfg->resume && xlate_output_remove(b->out, rel) != 0) {
        xlate_error_set(err, XLATE_ERROR, "%s: cannot remove the earlier run's journal: %s", rel,
                        strerror(errno));
        free(rel);
        return -1;
    }
    /* The record goes in before the first line of a new journal, never after it. */
    char *rec_rel = b->record_kept ? NULL : join_path(b->state_rel, "config");
    if (!b->record_kept && (!rec_rel || xlate_output_write(b->out, NULL, rec_rel, b->record,
                                                           strlen(b->record), err))) {
        if (!rec_rel)
            xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        free(rec_rel);
        free(rel);
        return -1;
    }
    free(rec_rel);
    b->journal_fd = xlate_output_open_append(b->out, rel, err);
    free(rel);
    return b->journal_fd < 0 ? -1 : 0;
}

static char *default_report_path(const xlate_batch_config *cfg, const xlate_output *out) {
    char *p;
    int n;
    if (cfg->report)
        return strdup(cfg->report);
    if (xlate_output_is_archive(out))
        n = cfg->shard_count ? asprintf(&p, "%s.report.shard-%u-of-%u.json", cfg->output,
                                        cfg->shard_index, cfg->shard_count)
                             : asprintf(&p, "%s.report.json", cfg->output);
    else
        n = cfg->shard_count ? asprintf(&p, "%s/report.shard-%u-of-%u.json", cfg->output,
                                        cfg->shard_index, cfg->shard_count)
                             : asprintf(&p, "%s/report.json", cfg->output);
    return n < 0 ? NULL : p;
}

static unsigned worker_count(const xlate_batch_config *cfg) {
    long n;
    if (cfg->jobs)
        return cfg->jobs;
    n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

static int start_workers(batch *b, worker *w, unsigned n, xlate_error *err) {
    unsigned started = 0;
    sigset_t stop_signals, old_mask;
    /* Workers are born with SIGINT and SIGTERM blocked, so the signal lands on the main thread:
     * it interrupts the main thread's wait for input, and never a plugin's read from its engine. */
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    for (unsigned i = 0; i < n; i++)
        w[i].place = (xlate_output_place)XLATE_OUTPUT_PLACE_INIT;
    pthread_sigmask(SIG_BLOCK, &stop_signals, &old_mask);
    for (unsigned i = 0; i < n; i++) {
        w[i].b = b;
        if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]) != 0) {
            xlate_error_set(err, XLATE_ERROR, "cannot start a worker thread: %s",
                            strerror(errno));
            break;
        }
        w[i].started = 1;
        started++;
    }
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    pthread_mutex_lock(&b->mu);
    while (b->n_ready < started)
        pthread_cond_wait(&b->job_done, &b->mu);
    pthread_mutex_unlock(&b->mu);
    if (started < n)
        return -1;
    /* The first worker's error, whichever thread failed first, so the message is stable. */
    for (unsigned i = 0; i < n; i++) {
        if (w[i].ready < 0) {
            xlate_error_set(err, w[i].err.status ? w[i].err.status : XLATE_ERROR, "%s",
                            w[i].err.message ? w[i].err.message : "a plugin could not start");
            return -1;
        }
    }
    return 0;
}

/* Lets the workers finish what they hold; queued documents nobody started are dropped when the
 * batch is stopping (they have no record, so --resume does them). */
static void stop_workers(batch *b, worker *w, unsigned n) {
    pthread_mutex_lock(&b->mu);
    if (stopping(b) || b->fatal.status != XLATE_OK) {
        while (b->q_len) {
            slot *s = b->queue[b->q_head];
            b->q_head = (b->q_head + 1) % b->q_cap;
            b->q_len--;
            b->q_bytes -= s->len;
            s->state = SLOT_DROPPED;
            free(s->data);
            s->data = NULL;
        }
    }
    b->closing = 1;
    pthread_cond_broadcast(&b->job_ready);
    pthread_mutex_unlock(&b->mu);
    for (unsigned i = 0; i < n; i++) {
        if (w[i].started)
            pthread_join(w[i].thread, NULL);
        xlate_pipeline_free(w[i].pipeline);
        xlate_error_clear(&w[i].err);
        xlate_output_place_close(&w[i].place);
        if (w[i].journal_err.status != XLATE_OK)
            fail_output(b, &w[i].journal_err);
        xlate_error_clear(&w[i].journal_err);
        xlate_buf_free(&w[i].journal);
    }
}

static int state_folder(const xlate_batch_config *cfg, char **out) {
    int n = cfg->shard_count
                ? asprintf(out, STATE_ROOT "/shard-%u-of-%u", cfg->shard_index, cfg->shard_count)
                : asprintf(out, STATE_ROOT "/all");
    return n < 0 ? -1 : 0;
}

static int finish(batch *b, const char *input_error, xlate_error *err) {
    int complete = !b->sum->interrupted && !input_error;
    int rc = 0;
    if (b->fatal.status != XLATE_OK) {
        xlate_error_set(err, XLATE_ERROR, "%s", b->fatal.message);
        return -1;
    }
    if (complete) {
        rc = close_combined(b, err);
    } else {
        abort_side_file(&b->combined);
    }
    if (rc == 0)
        rc = close_report(b, input_error, complete, err);
    if (rc == 0 && complete && xlate_output_is_archive(b->out))
        rc = xlate_output_finish(b->out, (const char *const *)b->packed, b->n_packed, err);
    else if (rc == 0 && complete && b->sum->failed == 0 &&
             xlate_output_remove(b->out, b->state_rel) != 0) { /* nothing left to resume */
        xlate_error_set(err, XLATE_ERROR, "%s: the batch is complete but its state folder could "
                        "not be removed: %s; delete it by hand", b->state_rel, strerror(errno));
        rc = -1;
    }
    return rc;
}

int xlate_batch_run(const xlate_batch_config *cfg, xlate_batch_summary *sum, xlate_error *err) {
    batch b;
    xlate_input_options in_opts = XLATE_INPUT_OPTIONS_INIT;
    shard_filter shard = {cfg->shard_index, cfg->shard_count};
    xlate_input *in = NULL;
    xlate_error input_err = {XLATE_OK, NULL};
    unsigned n_workers = worker_count(cfg);
    worker *workers = NULL;
    char *staging = NULL;
    int rc = -1, read_rc;

    memset(sum, 0, sizeof *sum);
    memset(&b, 0, sizeof b);
    b.cfg = cfg;
    b.sum = sum;
    b.journal_fd = -1;
    b.from = cfg->pipeline->source_lang ? cfg->pipeline->source_lang : "uk";
    b.to = cfg->pipeline->target_lang ? cfg->pipeline->target_lang : "";
    pthread_mutex_init(&b.mu, NULL);
    pthread_cond_init(&b.job_ready, NULL);
    pthread_cond_init(&b.job_done, NULL);

    if (cfg->max_doc_size)
        in_opts.max_doc_size = cfg->max_doc_size;
    if (cfg->max_ratio > 0)
        in_opts.max_ratio = cfg->max_ratio;
    in_opts.encoding = cfg->pipeline->decode.encoding;
    if (cfg->shard_count) {
        in_opts.want = shard_wants;
        in_opts.want_data = &shard;
    }

    b.q_cap = QUEUE_DOCS_PER_WORKER * (size_t)n_workers;
    b.queue = calloc(b.q_cap, sizeof *b.queue);
    workers = calloc(n_workers, sizeof *workers);
    if (!b.queue || !workers || state_folder(cfg, &b.state_rel)) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        goto out;
    }
    /* The output folder (an archive's staging folder) is not walked when it lies inside an
     * input folder; it need not exist yet, since the walk is over before anything is written. */
    if (xlate_output_names_archive(cfg->output)) {
        if (asprintf(&staging, "%s.partial", cfg->output) < 0)
            staging = NULL;
        in_opts.exclude_dir = staging;
    } else {
        in_opts.exclude_dir = cfg->output;
    }
    if (xlate_progress_new(cfg->progress_out ? cfg->progress : XLATE_PROGRESS_QUIET,
                           cfg->progress_out, cfg->progress_tty, &b.progress)) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        goto out;
    }
    /* Input and plugins are checked before anything is created in OUTPUT. */
    if (xlate_input_open(cfg->input, &in_opts, cfg->list, &in, err))
        goto out;
    if (start_workers(&b, workers, n_workers, err)) {
        stop_workers(&b, workers, n_workers);
        goto out;
    }
    if (xlate_output_open(cfg->output, cfg->pack_time, &b.out, err) ||
        !(b.report_path = default_report_path(cfg, b.out)) || check_record(&b, err) ||
        open_report(&b, err) || open_combined(&b, err) || open_journal(&b, err)) {
        if (b.out && !b.report_path)
            xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        b.closing = 1;
        stop_workers(&b, workers, n_workers);
        goto out;
    }

    read_rc = read_input(&b, in, &input_err);
    stop_workers(&b, workers, n_workers);
    emit_ready(&b);
    sum->interrupted = stopping(&b);
    sum->input_broken = read_rc != 0 && !sum->interrupted;
    rc = finish(&b, sum->input_broken ? input_err.message : NULL, err);
    if (rc == 0 && sum->input_broken)
        xlate_error_set(err, XLATE_ERROR, "%s", input_err.message);
    /* A batch that could not write its output (the report among it) names no report. */
    xlate_progress_finish(b.progress, rc == 0 ? b.report_path : NULL, sum->interrupted);
    if (rc == 0) {
        sum->report_path = b.report_path;
        b.report_path = NULL;
    }

out:
    abort_side_file(&b.report);
    abort_side_file(&b.combined);
    xlate_input_free(in);
    xlate_output_free(b.out);
    for (size_t i = 0; i < b.n_pending; i++)
        slot_free(b.pending[i]);
    free(b.pending);
    for (size_t i = 0; i < b.n_packed; i++)
        free(b.packed[i]);
    free(b.packed);
    name_set_free(&b.names);
    name_set_free(&b.done);
    if (b.journal_fd >= 0)
        close(b.journal_fd);
    xlate_progress_free(b.progress);
    xlate_error_clear(&b.fatal);
    xlate_error_clear(&input_err);
    free(b.queue);
    free(workers);
    free(b.state_rel);
    free(b.record);
    free(b.report_path);
    free(staging);
    pthread_mutex_destroy(&b.mu);
    pthread_cond_destroy(&b.job_ready);
    pthread_cond_destroy(&b.job_done);
    return rc;
}

void xlate_batch_summary_free(xlate_batch_summary *sum) {
    free(sum->report_path);
    sum->report_path = NULL;
}
