/*
 * batch: the data path over many documents — the orchestration of `xlate batch`. The main thread
 * reads entries from archive_in in input order and adds them to the worker pool (batch_pool.h);
 * each worker, with its own pipeline (one plugin instance per plugin per worker), translates a
 * document (plain text into records as text; any other document, or any document written as
 * itself or as XLIFF, through batch_docs.h), writes its outputs through archive_out and adds its
 * line to the journal (batch_journal.h). The main thread takes the entries back in input order and hands them to the
 * report and the combined TMX (batch_report.h), so -j 8 gives the bytes -j 1 gives. A document
 * the journal has (and whose outputs exist) is not done again under --resume.
 */
#include "batch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive_in.h"
#include "archive_out.h"
#include "batch_docs.h"
#include "batch_journal.h"
#include "batch_pool.h"
#include "batch_record.h"
#include "batch_report.h"
#include "buf.h"
#include "encode.h"
#include "hashtab.h"
#include "xlate/number.h"

#include "xlate_config.h"

#define STATE_ROOT ".xlate-state"

/* The queue holds up to QUEUE_DOCS_PER_WORKER documents a worker, and no more than
 * QUEUE_BYTES_PER_WORKER bytes a worker unless it is empty: many small news items pass in one
 * wake-up instead of one each, while large documents still come a few at a time. The reader
 * sleeps until half the queue is free, so the depth sets how often it wakes: at 32 a worker a
 * batch of short news items switched threads every few documents, on a virtual machine tens of
 * microseconds each against some fifty to translate such an item (256: a seventh of the
 * switches and 5-10% less CPU, 10,000 news items through the glossary, perf stat). */
#define QUEUE_DOCS_PER_WORKER 256
#define QUEUE_BYTES_PER_WORKER ((size_t)4 << 20)

/* --- shards -------------------------------------------------------------------------------------- */

int xlate_shard_parse(const char *text, unsigned *index, unsigned *count) {
    const char *slash = text ? strchr(text, '/') : NULL;
    uint64_t k, n;
    if (!slash || xlate_parse_uint(text, (size_t)(slash - text), 999999, &k) != XLATE_NUMBER_OK ||
        xlate_parse_uint(slash + 1, strlen(slash + 1), 1000000, &n) != XLATE_NUMBER_OK ||
        n == 0 || k >= n)
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
    return count ? (unsigned)(xlate_hash(path, stem_length(path)) % count) : 0;
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

/* One entry from reading to its report line. The main thread owns it, except while a worker
 * processes it (between the pool handing it out and taking it back). */
typedef struct slot {
    char *path;
    size_t position;      /* its place in the input (xlate_entry.position) */
    xlate_doc_status status;
    char *message;        /* why it failed or was skipped */
    char *encoding;       /* what decode found, or NULL */
    size_t segments, failed, warnings, filtered;
    char *key;            /* documents: the name the journal knows it by ("a/b.uk-en.rec") */
    char *fragment_rel;   /* with --combined: the document's TMX units */
    int has_outputs;
    int resumed;
    char *data;           /* the document's bytes until a worker is done with them */
    size_t len;
    xlate_buf report;     /* its report.json object, made by the worker that processed it */
    xlate_msg_tally tally; /* its segments' warnings and failures per plugin and code */
} slot;

static void slot_free(void *p) {
    slot *s = p;
    if (!s)
        return;
    free(s->path);
    free(s->message);
    free(s->encoding);
    free(s->key);
    free(s->fragment_rel);
    free(s->data);
    xlate_buf_free(&s->report);
    xlate_msg_tally_free(&s->tally);
    free(s);
}

typedef struct worker {
    xlate_pipeline *pipeline;
    xlate_output_place place;     /* the folder it wrote the last document's outputs into */
    xlate_journal_writer journal; /* its journal lines not yet written */
} worker;

typedef struct batch {
    const xlate_bulk_config *cfg;
    xlate_pipeline_config pipeline; /* cfg's, with the segmenter every worker copies */
    xlate_segmenter *segmenter;
    xlate_report_config rcfg;     /* languages, formats and shard, as the report names them */
    xlate_output *out;
    char *state_rel;              /* this run's state folder under the output root */
    char *report_path;
    xlate_pool *pool;
    worker *workers;
    unsigned n_workers;
    xlate_report *report;
    xlate_index *index;           /* index.html of the review pages, or NULL */
    xlate_combined *combined;
    char **packed;                /* output files in input order, for an archive output */
    size_t n_packed, cap_packed;
    xlate_hashtab *names;         /* output key → the path of the document that has it */
    xlate_journal *journal;
    char *record;                 /* what the outputs are made with (batch_record.h) */
    int record_kept;              /* --resume found the same record in OUTPUT: nothing to write */
    xlate_progress *progress;
    xlate_bulk_summary *sum;
    xlate_error fatal;            /* the first failure to write the output */
} batch;

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

static void report_entry_of(const slot *s, xlate_report_entry *e) {
    *e = (xlate_report_entry){s->path, s->status, s->message, s->key != NULL, s->encoding,
                              s->segments, s->failed, s->warnings, s->filtered, s->has_outputs,
                              &s->tally, s->position};
}

/* --- what a worker does with one document -------------------------------------------------------- */

static int render(const batch *b, xlate_format format, const xlate_doc *doc, xlate_buf *out) {
    xlate_writer_options wo = {format, b->rcfg.from, b->rcfg.to, XLATE_VERSION};
    xlate_writer *w;
    int rc;
    if (xlate_writer_new(&wo, &w))
        return -1;
    rc = xlate_writer_begin(w, out) || xlate_writer_document(w, doc, out) ||
         xlate_writer_end(w, out);
    xlate_writer_free(w);
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

static int is_xliff(xlate_bulk_output kind) {
    return kind == XLATE_BULK_XLIFF12 || kind == XLATE_BULK_XLIFF21;
}

/* Output f of the document: records rendered from its segments, or what batch_docs rendered. */
static int output_text(batch *b, size_t f, const xlate_doc *doc, const xlate_buf *rendered, xlate_buf *text) {
    if (b->cfg->output_kind != XLATE_BULK_RECORDS)
        return xlate_buf_append(text, rendered->data ? rendered->data : "", rendered->len);
    return render(b, b->cfg->formats[f], doc, text);
}

/* The document's part of --combined: its TMX units, or its XLIFF <file> (rendered). */
static int fragment_text(batch *b, const xlate_doc *doc, const xlate_buf *rendered, xlate_buf *text) {
    if (is_xliff(b->cfg->output_kind))
        return xlate_buf_append(text, rendered->data ? rendered->data : "", rendered->len);
    return xlate_combined_fragment(&b->rcfg, doc, text);
}

static int write_outputs(batch *b, worker *w, slot *s, const xlate_doc *doc, const xlate_buf *rendered,
                         xlate_error *err) {
    xlate_buf text = XLATE_BUF_INIT;
    int rc = 0;
    for (size_t f = 0; rc == 0 && f < xlate_report_n_outputs(&b->rcfg); f++) {
        char *rel = xlate_report_output_name(&b->rcfg, s->path, f);
        xlate_buf_reset(&text);
        if (!rel || output_text(b, f, doc, rendered, &text)) {
            xlate_error_set(err, XLATE_ENOMEM, "out of memory");
            rc = -1;
        } else {
            rc = write_output(b, &w->place, rel, &text, err);
        }
        free(rel);
    }
    if (rc == 0 && s->fragment_rel) {
        xlate_buf_reset(&text);
        if (fragment_text(b, doc, rendered, &text)) {
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
    xlate_buf messages = XLATE_BUF_INIT;
    xlate_journal_line line = {s->status, s->encoding, s->segments, s->failed,
                               s->warnings, s->filtered, s->message, NULL};
    if (xlate_msg_tally_compact(&s->tally, &messages) == 0)
        line.messages = messages.data;
    int added = line.messages ? xlate_journal_add(b->journal, &w->journal, s->key, &line) : -1;
    xlate_buf_free(&messages);
    if (added != 0) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    return 0;
}

/* Through the pipeline: plain text for records as the streaming path has it, any other document
 * (or any document when the batch writes documents or XLIFF) by its format module. Returns like
 * xlate_pipeline_run; `rendered` gets the document or its XLIFF. */
static int run_pipeline(batch *b, worker *w, slot *s, xlate_doc *doc, xlate_buf *rendered, xlate_error *err) {
    const xlate_bulk_config *cfg = b->cfg;
    xlate_bulk_doc_options o = {cfg->output_kind, is_xliff(cfg->output_kind) && cfg->combined,
                                cfg->input_format, cfg->pipeline->decode.encoding, cfg->retranslate,
                                b->rcfg.from, b->rcfg.to};
    const xlate_format_module *m = xlate_bulk_doc_module(&o, s->path, s->data, s->len);
    if (cfg->output_kind == XLATE_BULK_RECORDS && strcmp(m->name, "text") == 0)
        return xlate_pipeline_run(w->pipeline, s->path, s->data, s->len, doc, err);
    return xlate_bulk_doc_run(w->pipeline, &o, m, s->path, s->data, s->len, doc, rendered, err);
}

/* A document's bytes, read into memory the main thread allocated, are freed by the main thread
 * when it takes the document back: freed by the worker they would go back to the main thread's
 * malloc arena under the lock that the main thread, allocating the next documents, keeps taking
 * (-j 2 over 10,000 news items: the threads slept 815 times a run, 187 with this and names taken
 * to be new, outfile.h). Large ones are freed at once all the same, so that finished documents
 * waiting for their turn in the report hold a few KB each, not their text. */
#define DATA_KEPT_FOR_MAIN_MAX ((size_t)64 << 10)

static void release_data(slot *s) {
    if (s->len > DATA_KEPT_FOR_MAIN_MAX) {
        free(s->data);
        s->data = NULL;
    }
}

static void translate_document(batch *b, worker *w, slot *s) {
    xlate_doc doc;
    xlate_doc_stats st;
    xlate_error err = {XLATE_OK, NULL};
    xlate_buf rendered = XLATE_BUF_INIT;
    int rc = run_pipeline(b, w, s, &doc, &rendered, &err);
    release_data(s);
    if (rc != 0) {
        /* Stopped part way (rc 1): no output, no journal line; --resume does it again. */
        s->status = XLATE_DOC_FAILED;
        s->message = one_line(err.message ? err.message
                              : rc > 0 ? "interrupted before the document was done"
                                       : "the document could not be read");
        xlate_error_clear(&err);
        if (rc > 0 && b->cfg->output_kind == XLATE_BULK_RECORDS)
            xlate_doc_free(&doc);
        xlate_buf_free(&rendered);
        return;
    }
    xlate_doc_get_stats(&doc, &st);
    /* Out of memory only leaves the counts per plugin short; the segments keep their messages. */
    if (xlate_msg_tally_add(&s->tally, &doc, 0, doc.n_segs) == 0)
        xlate_msg_tally_sort(&s->tally);
    /* "" and NULL would read back alike from the journal; keep one of them. */
    s->encoding = doc.encoding[0] ? strdup(doc.encoding) : NULL;
    s->segments = st.segments;
    s->failed = st.failed;
    s->warnings = st.warnings;
    s->filtered = st.filtered;
    s->status = st.failed ? XLATE_DOC_FAILED : XLATE_DOC_OK;
    s->message = first_failure(&doc);
    if (write_outputs(b, w, s, &doc, &rendered, &err) == 0) {
        s->has_outputs = 1;
    } else {
        s->status = XLATE_DOC_FAILED;
        free(s->message);
        s->message = one_line(err.message);
        xlate_error_clear(&err);
    }
    xlate_doc_free(&doc);
    xlate_buf_free(&rendered);
}

/* Each worker makes its own pipeline, so that plugins with a slow start (a dictionary to load)
 * start on every core at once. Its segmenter is a copy of the batch's: the rules are compiled
 * and analysed once, not once a worker. */
static int worker_start(void *ctx, unsigned index, xlate_error *err) {
    batch *b = ctx;
    return xlate_pipeline_new(&b->pipeline, b->cfg->chain, &b->workers[index].pipeline, err);
}

/* What a worker does with a document: translate it, write its outputs, and make its report
 * object here, on the worker's core, rather than on the main thread that keeps the order. */
static void worker_process(void *ctx, unsigned index, void *job) {
    batch *b = ctx;
    slot *s = job;
    xlate_report_entry e;
    translate_document(b, &b->workers[index], s);
    report_entry_of(s, &e);
    if (xlate_report_object(&b->rcfg, &e, &s->report) != 0)
        xlate_buf_free(&s->report); /* out of memory: emit tries again */
}

static void worker_idle(void *ctx, unsigned index) {
    batch *b = ctx;
    worker *w = &b->workers[index];
    if (w->journal.pending.len)
        xlate_journal_flush(b->journal, &w->journal);
}

/* --- emitting in input order --------------------------------------------------------------------- */

static void fail_output(batch *b, const xlate_error *err) {
    if (b->fatal.status == XLATE_OK)
        xlate_error_set(&b->fatal, XLATE_ERROR, "%s", err->message ? err->message : "write error");
}

static int append_fragment(batch *b, const slot *s) {
    char *text;
    size_t len;
    int rc;
    if (xlate_output_read(b->out, s->fragment_rel, &text, &len) != 0)
        return -1;
    rc = xlate_combined_append(b->combined, text, s->segments);
    free(text);
    return rc;
}

static void count_entry(batch *b, const slot *s) {
    xlate_bulk_summary *sum = b->sum;
    xlate_progress_counts *c = xlate_progress_counts_of(b->progress);
    sum->entries++;
    switch (s->status) {
    case XLATE_DOC_OK: sum->ok++; break;
    case XLATE_DOC_FAILED: sum->failed++; c->errors++; break;
    case XLATE_DOC_SKIPPED: sum->skipped++; c->skipped++; break;
    case XLATE_DOC_REJECTED: sum->rejected++; c->rejected++; break;
    }
    sum->resumed += (size_t)s->resumed;
    sum->segments += s->segments;
    sum->failed_segments += s->failed;
    c->done++;
    c->segments += (long long)s->segments;
    c->resumed += s->resumed;
}

static int note_packed(batch *b, const slot *s) {
    for (size_t f = 0; f < xlate_report_n_outputs(&b->rcfg); f++) {
        if (b->n_packed == b->cap_packed) {
            size_t cap = b->cap_packed ? b->cap_packed * 2 : 64;
            char **p = realloc(b->packed, cap * sizeof *p);
            if (!p)
                return -1;
            b->packed = p;
            b->cap_packed = cap;
        }
        b->packed[b->n_packed] = xlate_report_output_name(&b->rcfg, s->path, f);
        if (!b->packed[b->n_packed++])
            return -1;
    }
    return 0;
}

static int emit(batch *b, slot *s) {
    xlate_report_entry e;
    report_entry_of(s, &e);
    /* A processed document's object was made by its worker; the others' are made here. */
    int rc = s->report.len ? 0 : xlate_report_object(&b->rcfg, &e, &s->report);
    if (rc == 0)
        rc = xlate_report_add(b->report, &s->report);
    if (rc == 0 && b->index)
        rc = xlate_index_add(b->index, &b->rcfg, &e);
    if (rc == 0 && s->has_outputs && b->combined && append_fragment(b, s))
        rc = -1;
    if (rc == 0 && s->has_outputs && xlate_output_is_archive(b->out))
        rc = note_packed(b, s);
    count_entry(b, s);
    (void)!xlate_msg_tally_merge(&b->sum->messages, &s->tally);
    xlate_progress_entry(b->progress, s->path,
                         s->resumed ? "resumed" : xlate_doc_status_word(s->status), s->segments,
                         s->message);
    if (rc) {
        xlate_error e2 = {XLATE_OK, NULL};
        xlate_error_set(&e2, XLATE_ERROR, "%s: cannot write the report or the combined TMX: %s",
                        b->report_path, strerror(errno));
        fail_output(b, &e2);
        xlate_error_clear(&e2);
    }
    return rc;
}

/* Emits every finished entry at the head of the input order. */
static void emit_ready(batch *b) {
    slot *s;
    while ((s = xlate_pool_next_done(b->pool)) != NULL) {
        emit(b, s);
        slot_free(s);
    }
    xlate_progress_update(b->progress);
}

/* --- reading the input --------------------------------------------------------------------------- */

static int stopping(const batch *b) {
    return b->cfg->stop && *b->cfg->stop;
}

/* Room for a document's report object (some 200 bytes for a plain one), made by the main thread
 * when the entry is read. The worker writes the object into it, so the main thread, which frees
 * it, frees its own memory: freeing a worker's takes the lock of that worker's malloc arena,
 * which the worker then waits for. */
#define REPORT_OBJECT_ROOM 512

static slot *slot_from_entry(xlate_entry *e) {
    slot *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    if (xlate_buf_reserve(&s->report, REPORT_OBJECT_ROOM) != 0) {
        free(s);
        return NULL;
    }
    s->path = e->path;
    e->path = NULL;
    s->position = e->position;
    switch (e->kind) {
    case XLATE_ENTRY_DOCUMENT:
        s->status = XLATE_DOC_OK;
        s->data = e->data;
        s->len = e->len;
        e->data = NULL;
        break;
    case XLATE_ENTRY_SKIPPED: s->status = XLATE_DOC_SKIPPED; break;
    case XLATE_ENTRY_REJECTED: s->status = XLATE_DOC_REJECTED; break;
    case XLATE_ENTRY_FAILED: s->status = XLATE_DOC_FAILED; break;
    }
    s->message = e->reason;
    e->reason = NULL;
    return s;
}

/* Under --resume, whether the journal has the document and every output it names exists; fills
 * the slot when so. Returns 1, 0, or -1 when out of memory. */
static int load_if_complete(batch *b, slot *s) {
    xlate_journal_line line;
    char *encoding, *message;
    int found = xlate_journal_find(b->journal, s->key, &line, &encoding, &message);
    int ok = found == 1;
    for (size_t f = 0; ok && f < xlate_report_n_outputs(&b->rcfg); f++) {
        char *rel = xlate_report_output_name(&b->rcfg, s->path, f);
        ok = rel && xlate_output_exists(b->out, rel);
        free(rel);
    }
    if (ok && s->fragment_rel)
        ok = xlate_output_exists(b->out, s->fragment_rel);
    if (!ok) {
        free(encoding);
        free(message);
        return found < 0 ? -1 : 0;
    }
    s->status = line.status;
    s->segments = line.segments;
    s->failed = line.failed;
    s->warnings = line.warnings;
    s->filtered = line.filtered;
    free(s->message);
    s->encoding = encoding;
    s->message = message;
    s->has_outputs = 1;
    s->resumed = 1;
    /* Its warnings per plugin and code, as its first run counted them. A journal line without
     * them (an older xlate's) counts none. */
    int oom = 0;
    char *messages = xlate_journal_find_messages(b->journal, s->key, &oom);
    int bad = oom || (messages && xlate_msg_tally_parse(&s->tally, messages) != 0);
    free(messages);
    if (bad && oom)
        return -1;
    return 1;
}

/* Names the document's state files, checks that its output names are its own, and under
 * --resume finds it done. Returns 1 when it still has to be translated, 0 when not, -1 when out
 * of memory. */
static int prepare_document(batch *b, slot *s) {
    xlate_hashtab_entry *taken;
    char *owner;
    int added, done;
    /* Records of a.txt and a.md would share a name, so they share a key; documents and XLIFF
     * keep the whole name. */
    if (b->cfg->output_kind == XLATE_BULK_RECORDS)
        s->key = xlate_output_name(s->path, b->rcfg.from, b->rcfg.to, "rec");
    else if (asprintf(&s->key, "%s.rec", s->path) < 0)
        s->key = NULL;
    if (!s->key)
        return -1;
    if (b->cfg->combined) {
        char *frag = is_xliff(b->cfg->output_kind) ? xlate_report_output_name(&b->rcfg, s->path, 0)
                     : xlate_output_name(s->path, b->rcfg.from, b->rcfg.to, "tmx");
        char *dir = join_path(b->state_rel, "tmx");
        s->fragment_rel = frag && dir ? join_path(dir, frag) : NULL;
        free(frag);
        free(dir);
        if (!s->fragment_rel)
            return -1;
    }
    if (!(owner = strdup(s->path)))
        return -1;
    added = xlate_hashtab_add(b->names, s->key, strlen(s->key), owner, &taken);
    if (added != 0)
        free(owner);
    if (added < 0)
        return -1;
    if (added == 1) {
        free(s->data);
        s->data = NULL;
        s->status = XLATE_DOC_FAILED;
        if (asprintf(&s->message,
                     "its output would have the name of the output of \"%s\" (the same name "
                     "with another extension); rename one of them",
                     (const char *)taken->value) < 0)
            s->message = NULL;
        return 0;
    }
    if (b->cfg->resume && (done = load_if_complete(b, s)) != 0) {
        free(s->data);
        s->data = NULL;
        return done < 0 ? -1 : 0;
    }
    return 1;
}

static int read_input(batch *b, xlate_input *in, xlate_error *err) {
    xlate_progress_counts *c = xlate_progress_counts_of(b->progress);
    c->total = xlate_input_total(in);
    while (!stopping(b) && b->fatal.status == XLATE_OK) {
        xlate_entry e;
        slot *s;
        int todo = 0;
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
        if (s && e.kind == XLATE_ENTRY_DOCUMENT)
            todo = prepare_document(b, s);
        xlate_entry_free(&e);
        if (!s || todo < 0 ||
            xlate_pool_add(b->pool, s, s->len, todo ? 0 : XLATE_POOL_DONE) != 0) {
            slot_free(s);
            xlate_error_set(err, XLATE_ENOMEM, "out of memory");
            return -1;
        }
        emit_ready(b);
    }
    return 0;
}

/* --- the run ------------------------------------------------------------------------------------- */

/* The report's name inside a folder OUTPUT, where it goes without --report (allocated; NULL when
 * out of memory). */
static char *report_in_output(const batch *b) {
    const xlate_bulk_config *cfg = b->cfg;
    char *rel;
    int n = cfg->shard_count
            ? asprintf(&rel, "report.shard-%u-of-%u.json", cfg->shard_index, cfg->shard_count)
            : asprintf(&rel, "report.json");
    return n < 0 ? NULL : rel;
}

/* The report's default place is inside OUTPUT, where a link is refused as for the outputs; a
 * path the user names is theirs to point anywhere. */
static int open_report(batch *b, xlate_error *err) {
    char *rel = NULL;
    int rc;
    if (!b->cfg->report && !xlate_output_is_archive(b->out) && !(rel = report_in_output(b))) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    rc = xlate_report_open(&b->rcfg, b->out, b->report_path, rel, &b->report, err);
    free(rel);
    return rc;
}

/* index.html beside the review pages, in a folder OUTPUT (in an archive the pages are packed
 * and the reader opens them by name). */
static int open_index(batch *b, xlate_error *err) {
    const xlate_bulk_config *cfg = b->cfg;
    size_t review;
    char *rel;
    int rc;
    if (!xlate_report_review_output(&b->rcfg, &review) || xlate_output_is_archive(b->out))
        return 0;
    if ((cfg->shard_count ? asprintf(&rel, "index.shard-%u-of-%u.html", cfg->shard_index,
                                     cfg->shard_count)
                          : asprintf(&rel, "index.html")) < 0) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    rc = xlate_index_open(b->out, rel, &b->index, err);
    free(rel);
    return rc;
}

static char *default_report_path(const xlate_bulk_config *cfg, const xlate_output *out) {
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

static unsigned worker_count(const xlate_bulk_config *cfg) {
    long n;
    if (cfg->jobs)
        return cfg->jobs;
    n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

/* Lets the workers finish what they hold; queued documents nobody started are dropped when the
 * batch is stopping (they have no journal line, so --resume does them). */
static void stop_workers(batch *b) {
    if (!b->pool)
        return;
    xlate_pool_stop(b->pool, stopping(b) || b->fatal.status != XLATE_OK);
    for (unsigned i = 0; i < b->n_workers; i++) {
        worker *w = &b->workers[i];
        if (w->journal.err.status != XLATE_OK)
            fail_output(b, &w->journal.err);
    }
}

static void free_workers(batch *b) {
    for (unsigned i = 0; b->workers && i < b->n_workers; i++) {
        worker *w = &b->workers[i];
        xlate_pipeline_free(w->pipeline);
        xlate_output_place_close(&w->place);
        xlate_journal_writer_free(&w->journal);
    }
    free(b->workers);
}

static int state_folder(const xlate_bulk_config *cfg, char **out) {
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
    if (b->combined && complete)
        rc = xlate_combined_close(b->combined, err);
    else
        xlate_combined_abort(b->combined);
    b->combined = NULL;
    if (rc == 0 && b->index)
        rc = xlate_index_close(b->index, &b->rcfg, complete, err);
    else
        xlate_index_abort(b->index);
    b->index = NULL;
    if (rc == 0) {
        rc = xlate_report_close(b->report, b->sum, b->cfg->pipeline->usage, input_error, complete,
                                err);
        b->report = NULL;
    }
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

/* Opens OUTPUT and what goes in it; the record is checked before anything is written there. */
static int open_output(batch *b, xlate_error *err) {
    const xlate_bulk_config *cfg = b->cfg;
    if (xlate_output_open(cfg->output, cfg->pack_time, &b->out, err))
        return -1;
    if (!(b->report_path = default_report_path(cfg, b->out)) ||
        xlate_bulk_record_make(cfg, &b->record, err)) {
        if (err->status == XLATE_OK)
            xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    if (xlate_journal_check(b->out, cfg->output, b->state_rel, b->record, cfg->resume,
                            &b->record_kept, err) ||
        open_report(b, err) || open_index(b, err) ||
        (cfg->combined && xlate_combined_open(&b->rcfg, cfg->combined, &b->combined, err)) ||
        xlate_journal_open(b->out, b->state_rel, b->record, cfg->resume, b->record_kept,
                           &b->journal, err))
        return -1;
    return 0;
}

int xlate_bulk_run(const xlate_bulk_config *cfg, xlate_bulk_summary *sum, xlate_error *err) {
    batch b;
    xlate_input_options in_opts = XLATE_INPUT_OPTIONS_INIT;
    shard_filter shard = {cfg->shard_index, cfg->shard_count};
    xlate_input *in = NULL;
    xlate_error input_err = {XLATE_OK, NULL};
    xlate_pool_work work;
    char *staging = NULL;
    int rc = -1, read_rc;

    memset(sum, 0, sizeof *sum);
    memset(&b, 0, sizeof b);
    b.cfg = cfg;
    b.sum = sum;
    b.rcfg.from = cfg->pipeline->source_lang ? cfg->pipeline->source_lang : "uk";
    b.rcfg.to = cfg->pipeline->target_lang ? cfg->pipeline->target_lang : "";
    b.rcfg.kind = cfg->output_kind;
    b.rcfg.formats = cfg->formats;
    b.rcfg.n_formats = cfg->n_formats;
    b.rcfg.combined = cfg->combined != NULL;
    b.rcfg.shard_index = cfg->shard_index;
    b.rcfg.shard_count = cfg->shard_count;
    b.n_workers = worker_count(cfg);
    b.pipeline = *cfg->pipeline;
    work = (xlate_pool_work){&b, worker_start, worker_process, worker_idle};

    if (cfg->max_doc_size)
        in_opts.max_doc_size = cfg->max_doc_size;
    if (cfg->max_ratio > 0)
        in_opts.max_ratio = cfg->max_ratio;
    in_opts.encoding = cfg->pipeline->decode.encoding;
    if (cfg->shard_count) {
        in_opts.want = shard_wants;
        in_opts.want_data = &shard;
    }

    b.workers = calloc(b.n_workers, sizeof *b.workers);
    if (!b.workers || state_folder(cfg, &b.state_rel) || xlate_hashtab_new(free, &b.names)) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        goto out;
    }
    for (unsigned i = 0; i < b.n_workers; i++) {
        b.workers[i].place = (xlate_output_place)XLATE_OUTPUT_PLACE_INIT;
        b.workers[i].journal = (xlate_journal_writer)XLATE_JOURNAL_WRITER_INIT;
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
    /* Input, rules and plugins are checked before anything is created in OUTPUT. */
    if (xlate_input_open(cfg->input, &in_opts, cfg->list, &in, err) ||
        xlate_pipeline_segmenter_new(&b.pipeline, &b.segmenter, err))
        goto out;
    b.pipeline.segmenter = b.segmenter;
    if (xlate_pool_start(&work, b.n_workers, QUEUE_DOCS_PER_WORKER, QUEUE_BYTES_PER_WORKER,
                         &b.pool, err))
        goto out;
    if (open_output(&b, err)) {
        stop_workers(&b);
        goto out;
    }

    read_rc = read_input(&b, in, &input_err);
    stop_workers(&b);
    emit_ready(&b);
    sum->interrupted = stopping(&b);
    sum->input_broken = read_rc != 0 && !sum->interrupted;
    rc = finish(&b, sum->input_broken ? input_err.message : NULL, err);
    if (rc == 0 && sum->input_broken)
        xlate_error_set(err, XLATE_ERROR, "%s", input_err.message);
    /* A batch that could not write its output (the report among it) names no report. */
    xlate_progress_finish(b.progress, rc == 0 && !cfg->scratch_output ? b.report_path : NULL,
                          sum->interrupted);
    if (rc == 0) {
        sum->report_path = b.report_path;
        b.report_path = NULL;
    }

out:
    xlate_pool_free(b.pool, slot_free);
    free_workers(&b);
    xlate_segmenter_free(b.segmenter); /* after the workers' copies */
    xlate_report_abort(b.report);
    xlate_index_abort(b.index);
    xlate_combined_abort(b.combined);
    xlate_input_free(in);
    xlate_journal_free(b.journal);
    xlate_output_free(b.out);
    for (size_t i = 0; i < b.n_packed; i++)
        free(b.packed[i]);
    free(b.packed);
    xlate_hashtab_free(b.names);
    xlate_progress_free(b.progress);
    xlate_error_clear(&b.fatal);
    xlate_error_clear(&input_err);
    free(b.state_rel);
    free(b.record);
    free(b.report_path);
    free(staging);
    return rc;
}

void xlate_bulk_summary_free(xlate_bulk_summary *sum) {
    free(sum->report_path);
    sum->report_path = NULL;
    xlate_msg_tally_free(&sum->messages);
}
