/*
 * cmd_run: `xlate run` — the main job. Each input file goes through the pipeline (decode →
 * normalize → segment → plugin chain) and its aligned records are written, in input order, to
 * one output stream, a batch of segments at a time as they leave the chain. SIGINT and SIGTERM
 * stop it between two batches with the output closed and valid; a progress line shows on a
 * terminal when the run is long.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "encode.h"
#include "langid.h"
#include "msg_tally.h"
#include "outfile.h"
#include "progress.h"
#include "readfile.h"
#include "xlate_config.h"
#ifdef XLATE_HAVE_XLIFF
#include "xliff.h"
#endif

static void print_run_help(FILE *out) {
    fprintf(out,
            "Usage: xlate run [OPTIONS] [FILE...|-]\n"
            "\n"
            "Translate documents through a chain of plugins and write each source segment beside\n"
            "its target. With no FILE, or FILE '-', read standard input.\n"
            "\n"
            "Options:\n%s%s"
            "  -o, --output FILE     write to FILE instead of standard output\n"
            "%s"
            "  -h, --help            show this help\n"
            "\n"
            "Documents: HTML, XLIFF, PO and Markdown (see 'xlate formats') are read by their format\n"
            "module, their inline markup kept as codes that travel with the segments. --format doc\n"
            "writes the one FILE back in its own format with the translation in place; --format\n"
            "xliff / xliff2 exports every FILE for a CAT tool (see 'xlate extract', 'xlate merge').\n"
            "\n"
            "Records are written as they leave the chain. SIGINT (Ctrl-C) or SIGTERM stops the run\n"
            "after the batch of segments in flight, with the output closed and valid up to there;\n"
            "a second one ends it at once. On a terminal a long run shows a progress line.\n"
            "\n"
            "Exit status: 0 all segments processed; 1 a file could not be read or decoded, was\n"
            "larger than --max-doc-size, or a segment failed (it is still in the output with its\n"
            "source, status 'failed'); 2 usage error (unknown option, plugin or plugin option);\n"
            "130 / 143 stopped by SIGINT / SIGTERM.\n"
            "\n"
            "Example: xlate run --plugin glossary --format jsonl samples/oboz/oboz-stoltenberg.uk.txt\n",
            xlate_run_settings_help(), xlate_doc_settings_help(), xlate_input_settings_help());
}

static void print_extract_help(FILE *out) {
    fprintf(out,
            "Usage: xlate extract [OPTIONS] [FILE...|-]\n"
            "\n"
            "Write documents as one XLIFF file for a CAT tool: each document a <file> with its own\n"
            "bytes as skeleton, each paragraph a unit, its segments and inline codes. Translate the\n"
            "targets in any CAT tool, then 'xlate merge' writes the translated documents. With\n"
            "--plugin the targets come pre-translated; without, they are empty. The text is kept as\n"
            "the documents have it (no normalization unless a normalization option is given).\n"
            "An --encoding given is recorded in the XLIFF, and merge reads the documents with it.\n"
            "\n"
            "Options:\n"
            "  --format xliff|xliff2 XLIFF 1.2 (default) or 2.1\n"
            "  --from LANG, --to LANG  the languages the XLIFF declares (default uk, en)\n"
            "  -o, --output FILE     write to FILE instead of standard output\n"
            "%s%s%s"
            "  -h, --help            show this help\n"
            "\n"
            "Exit status: 0 done; 1 a file could not be read; 2 usage error.\n"
            "\n"
            "Example: xlate extract -o article.xlf article.html && xlate merge -o article.en.html "
            "article.xlf\n",
            xlate_doc_settings_help(), xlate_run_settings_help(), xlate_input_settings_help());
}

/* Output goes through outfile (outfile.h): a file -o names is replaced only once the run has
 * written all of it, so a failed run never leaves a half-written file where the user expects a
 * finished one; a device, a FIFO or /dev/fd/N is written in place. A run a signal stopped keeps
 * its output: it is closed and whole up to the last segment written. */
typedef struct run_output {
    xlate_outfile *file;
    FILE *f;
    char *where; /* owned: messages name the output after the outfile is gone */
} run_output;

static int open_output(run_output *o, const char *path, xlate_error *err) {
    if (xlate_outfile_open(AT_FDCWD, path ? path : "-", 0, NULL, &o->file, err) != 0)
        return -1;
    o->where = strdup(xlate_outfile_shown(o->file));
    o->f = xlate_outfile_stream(o->file);
    if (!o->f || !o->where) {
        xlate_outfile_abort(o->file);
        free(o->where);
        o->where = NULL;
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    return 0;
}

static int close_output(run_output *o, int keep, xlate_error *err) {
    if (!keep) {
        xlate_outfile_abort(o->file);
        return 0;
    }
    return xlate_outfile_commit(o->file, err);
}

/* The one piece of process-wide mutable state the command has: the signal (SIGINT, SIGTERM) that
 * asked the run to stop, or 0. A signal handler can safely reach nothing else, and sig_atomic_t is
 * what it may write. The pipeline reads it before each batch. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig) {
    stop_signal = sig;
}

/* SA_RESTART: reads and writes go on across the signal, so the run stops at the next batch and
 * never inside a write. SA_RESETHAND: a second signal ends the process at once, for a chain that
 * does not come back. */
static void install_stop_handlers(struct sigaction *old_int, struct sigaction *old_term) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART | SA_RESETHAND;
    stop_signal = 0;
    sigaction(SIGINT, &sa, old_int);
    sigaction(SIGTERM, &sa, old_term);
}

/* How long a run works before its progress line shows: a short run stays silent. */
#define PROGRESS_DELAY_SECONDS 1.0

/* Where the records go. Each batch the chain hands on is made into text, converted when
 * --output-encoding asks, written and flushed before the next batch enters the chain. */
typedef struct run_sink {
    xlate_writer *w;
    xlate_buf out;             /* records made, not yet written */
    xlate_encoder *enc;        /* --output-encoding, or NULL for UTF-8 as it is */
    xlate_buf encoded;
    run_output *o;
    xlate_progress *progress;  /* NULL: no progress line */
    xlate_doc_stats segs;      /* of the segments written */
    xlate_msg_tally tally;     /* their warnings and failures per plugin and code */
    size_t files_failed;
    uint64_t bytes_done;       /* input bytes of the files finished */
    size_t doc_bytes;          /* input bytes of the file in the chain */
    uint64_t max_doc_size;     /* --max-doc-size */
    int broken;                /* the output could not be written; err says why */
    int interrupted;           /* a signal stopped the run before its end */
    const xlate_run_settings *s; /* --input-format, --format doc|xliff|xliff2, --retranslate */
    xlate_error *err;
    /* The pipeline the next file goes through. With --from auto it is made for each file's
     * language from `chain` and `cfg`, and kept while the files' language stays the same. */
    xlate_pipeline *p;
    const xlate_chain *chain;
    xlate_pipeline_config *cfg;
    char lang[XLATE_LANGID_MAX]; /* --from auto: the language `p` was made for */
} run_sink;

/* Writes `text` and flushes it, so that a reader of the output sees it now. Returns 0, or -1 with
 * the sink broken. */
static int write_text(run_sink *k, const xlate_buf *text) {
    if ((text->len && fwrite(text->data, 1, text->len, k->o->f) != text->len) ||
        fflush(k->o->f) != 0) {
        xlate_error_set(k->err, XLATE_ERROR, "%s: cannot write: %s", k->o->where,
                        strerror(errno));
        k->broken = 1;
        return -1;
    }
    return 0;
}

/* Writes the records made so far. Returns 0, or -1 with the sink broken. */
static int flush_sink(run_sink *k) {
    const xlate_buf *text = &k->out;
    if (k->enc) {
        xlate_buf_reset(&k->encoded);
        if (xlate_encoder_put(k->enc, k->out.data ? k->out.data : "", k->out.len, &k->encoded,
                              k->err) != 0) {
            k->broken = 1;
            return -1;
        }
        text = &k->encoded;
    }
    if (write_text(k, text) != 0)
        return -1;
    xlate_buf_reset(&k->out);
    return 0;
}

static void count_segments(xlate_doc_stats *sum, const xlate_doc *doc, size_t from, size_t n) {
    sum->segments += n;
    for (size_t i = from; i < from + n; i++) {
        switch (doc->segs[i].status) {
        case XLATE_SEG_FAILED: sum->failed++; break;
        case XLATE_SEG_WARNING: sum->warnings++; break;
        case XLATE_SEG_FILTERED: sum->filtered++; break;
        default: break;
        }
    }
}

/* `done_in_file`: how many input bytes of the file in the chain are behind us. */
static void show_progress(run_sink *k, uint64_t done_in_file) {
    if (!k->progress)
        return;
    xlate_progress_counts *c = xlate_progress_counts_of(k->progress);
    c->segments = (long long)k->segs.segments;
    c->errors = (long long)k->segs.failed;
    c->bytes = k->bytes_done + done_in_file;
    xlate_progress_update(k->progress);
}

/* The pipeline's emit: a batch of segments has left the chain. */
static int emit_batch(void *data, const xlate_doc *doc, size_t from, size_t n) {
    run_sink *k = data;
    if (xlate_writer_document_part(k->w, doc, from, n, &k->out) != 0) {
        xlate_error_set(k->err, XLATE_ENOMEM, "%s: out of memory", doc->name);
        k->broken = 1;
        return -1;
    }
    if (flush_sink(k) != 0)
        return -1;
    count_segments(&k->segs, doc, from, n);
    /* Out of memory only makes the summary table short; the records are written. */
    (void)!xlate_msg_tally_add(&k->tally, doc, from, n);
    /* How far into the file: where the last segment ends in the text, scaled to the file's bytes
     * (decoding and normalizing change the length a little, not the proportion). */
    size_t end = doc->segs[from + n - 1].end;
    show_progress(k, doc->text_len ? (uint64_t)((double)k->doc_bytes * (double)end /
                                                (double)doc->text_len)
                                   : k->doc_bytes);
    return 0;
}

/* A message while the progress line may be on the screen: the line goes first. */
static void say(run_sink *k, const xlate_error *err) {
    if (k->progress)
        xlate_progress_clear(k->progress);
    xlate_cli_report(err);
}

static void print_chain_message(void *data, const char *message) {
    xlate_progress *progress = data;
    if (progress)
        xlate_progress_clear(progress);
    fprintf(stderr, "xlate: %s\n", message);
}

#ifdef XLATE_HAVE_XLIFF
static void xliff_options(const xlate_run_settings *s, xlate_xliff_export_options *xo) {
    xo->version = s->doc_output == XLATE_DOC_OUTPUT_XLIFF21 ? XLATE_XLIFF_2_1 : XLATE_XLIFF_1_2;
    xo->source_lang = s->source_lang;
    xo->target_lang = s->target_lang;
    xo->tool_version = XLATE_VERSION;
    /* "auto" is no encoding named: merge detects again and finds the same */
    const char *enc = s->input.decode.encoding;
    xo->encoding = enc && strcasecmp(enc, "auto") != 0 ? enc : NULL;
}
#endif

/* A document through the chain, written as --format asks: records (TSV, JSONL, TMX) with its
 * codes, the document itself translated (its module's write), or XLIFF. Returns 0, or -1 with
 * err set and *output_broken when the output could not be written. */
static int write_document(run_sink *k, xlate_fdoc *fd, const xlate_doc *doc, const xlate_doc_cut *cut,
                          const char *bytes, size_t len, xlate_error *err) {
    if (!k->s->doc_output) {
        if (xlate_writer_document_part(k->w, doc, 0, doc->n_segs, &k->out) != 0) {
            xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", doc->name);
            return -1;
        }
        return 0;
    }
    xlate_bidoc bi;
    if (xlate_document_bilingual(fd, doc, cut, &bi, err) != 0)
        return -1;
    bi.original = bytes;
    bi.original_len = len;
    int rc = -1;
    if (k->s->doc_output == XLATE_DOC_OUTPUT_DOC) {
        xlate_format_write_options wo = {doc->lang[0] ? doc->lang : k->s->source_lang,
                                         k->s->target_lang, XLATE_VERSION};
        rc = xlate_document_apply(fd, &bi, err) == 0 && fd->format->write(fd, &wo, &k->out, err) == 0 ? 0 : -1;
    } else {
#ifdef XLATE_HAVE_XLIFF
        xlate_xliff_export_options xo;
        xliff_options(k->s, &xo);
        rc = xlate_xliff_export_document(&xo, &bi, &k->out, err);
#endif
    }
    xlate_bidoc_free(&bi);
    return rc;
}

/* A document its format module reads: read, through the chain on the document path, written.
 * Returns like xlate_pipeline_run_document; `bytes` stays the caller's. */
static int run_module_file(xlate_pipeline *p, run_sink *k, const xlate_format_module *m, const char *path,
                           const char *bytes, size_t len, xlate_error *err) {
    xlate_format_read_options ro = {k->s->input.decode.encoding, k->s->retranslate,
                                    k->s->auto_source ? k->lang : k->s->source_lang};
    xlate_fdoc fd;
    if (m->read(&ro, path, bytes, len, &fd, err) != 0)
        return -1;
    xlate_doc doc;
    xlate_doc_cut cut;
    int rc = xlate_pipeline_run_document(p, &fd, k->s->retranslate, &doc, &cut, err);
    if (rc >= 0) {
        if (write_document(k, &fd, &doc, &cut, bytes, len, err) != 0) {
            xlate_buf_reset(&k->out); /* the document fails alone; the output goes on */
            rc = -1;
        } else if (flush_sink(k) != 0) {
            rc = -1;
        } else {
            count_segments(&k->segs, &doc, 0, doc.n_segs);
            (void)!xlate_msg_tally_add(&k->tally, &doc, 0, doc.n_segs);
        }
        xlate_doc_free(&doc);
        xlate_doc_cut_free(&cut);
    }
    xlate_fdoc_free(&fd);
    return rc;
}

/* The bytes of a file its language is judged on: the start of a long file tells it. */
#define LANG_SAMPLE_BYTES (256u * 1024)

/* --from auto: the language of a file, from the start of it decoded as the run decodes it: line by
 * line for plain text (the language of most of it), the whole with markup skipped for a document
 * format's file; "" when the text does not tell. */
static void identify_file_language(const run_sink *k, const xlate_format_module *m, const char *path,
                                   const char *bytes, size_t len, char lang[XLATE_LANGID_MAX]) {
    xlate_decode_options o = k->s->input.decode;
    xlate_decoded d;
    xlate_error e = {0};
    xlate_langid id;
    lang[0] = '\0';
    o.on_invalid = XLATE_INVALID_REPLACE; /* a sample may end inside a character */
    if (xlate_decode(bytes, len < LANG_SAMPLE_BYTES ? len : LANG_SAMPLE_BYTES, &o, path, &d, &e) != 0) {
        xlate_error_clear(&e); /* the whole file's decode says what is wrong with it */
        return;
    }
    if (strcmp(m->name, "text") == 0)
        xlate_langid_identify_document(d.text, d.len, &id);
    else
        xlate_langid_identify(d.text, d.len, 1, &id);
    xlate_decoded_free(&d);
    snprintf(lang, XLATE_LANGID_MAX, "%s", id.language);
}

/* --from auto: makes k->p the pipeline for the file's language, said on stderr. A file whose text
 * does not tell its language keeps the language of the file before it (uk for the first). Returns
 * 0, or -1 with err when no translator of the chain serves the file's language or the pipeline
 * cannot be made: the file fails, the run goes on. */
static int use_file_language(run_sink *k, const xlate_format_module *m, const char *path,
                             const char *bytes, size_t len, xlate_error *err) {
    char lang[XLATE_LANGID_MAX];
    identify_file_language(k, m, path, bytes, len, lang);
    if (k->progress)
        xlate_progress_clear(k->progress);
    if (!lang[0]) {
        snprintf(lang, sizeof lang, "%s", k->lang[0] ? k->lang : "uk");
        fprintf(stderr, "xlate: %s: its language cannot be told from its text; taken as %s "
                "(give --from to choose)\n", path, lang);
    } else {
        fprintf(stderr, "xlate: %s: source language %s (--from auto)\n", path, lang);
    }
    if (k->p && strcmp(lang, k->lang) == 0)
        return 0;
    if (xlate_chain_check_pairs(k->chain, lang, k->s->target_lang, err) != 0) {
        xlate_error_prefix(err, "%s", path);
        return -1;
    }
    xlate_pipeline_free(k->p);
    k->p = NULL;
    k->lang[0] = '\0';
    k->cfg->source_lang = lang;
    xlate_chain_warn_pairs(k->chain, 0, lang, k->s->target_lang, &k->cfg->log);
    int rc = xlate_pipeline_new(k->cfg, k->chain, &k->p, err);
    k->cfg->source_lang = NULL; /* the pipeline keeps its own copy */
    if (rc != 0)
        return -1;
    snprintf(k->lang, sizeof k->lang, "%s", lang);
    return 0;
}

/* One file through the pipeline into the sink. A file that cannot be read or decoded is
 * reported and counted; the other files go on. Plain text written as records streams (the
 * document is never held whole); any other document, or any output in a document's format,
 * takes the document path. Returns 0; 1 when a signal stopped the run; or -1 when the output
 * cannot be written. */
static int run_file(run_sink *k, const char *path) {
    xlate_error err = {0};
    char *bytes = NULL;
    size_t len = 0;
    xlate_doc doc;
    int rc = xlate_read_file_max(path, k->max_doc_size, &bytes, &len, &err);
    k->doc_bytes = len;
    const xlate_format_module *m = rc == 0 ? xlate_cli_module_for(k->s->input_format, path, bytes, len) : NULL;
    if (rc == 0 && k->s->auto_source && use_file_language(k, m, path, bytes, len, &err) != 0) {
        free(bytes);
        bytes = NULL;
        rc = -1;
        m = NULL;
    }
    xlate_pipeline *p = k->p;
    /* Plugins name segments by the ids the output gives them, which go on across files. */
    if (p)
        xlate_pipeline_set_first_id(p, xlate_writer_next_id(k->w));
    if (rc == 0 && (k->s->doc_output || strcmp(m->name, "text") != 0)) {
        rc = run_module_file(p, k, m, path, bytes, len, &err);
        free(bytes);
        if (rc < 0 && !k->broken) {
            say(k, &err);
            k->files_failed++;
        }
        xlate_error_clear(&err);
    } else {
        if (rc == 0)
            rc = xlate_pipeline_stream(p, path, bytes, len, emit_batch, k, &doc, &err);
        else
            free(bytes);
        if (rc < 0) {
            say(k, &err);
            xlate_error_clear(&err);
            k->files_failed++;
        } else {
            xlate_doc_free(&doc);
        }
    }
    if (k->broken)
        return -1;
    k->bytes_done += len;
    if (k->progress) {
        xlate_progress_counts_of(k->progress)->done++;
        show_progress(k, 0);
    }
    return rc == 1 ? 1 : 0;
}

/* Bytes of all the input, for the progress line's share and ETA; 0 when some of it is a pipe or
 * standard input, whose size is not known before it is read. */
static uint64_t input_size(char *const *list, size_t n) {
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(list[i], "-") == 0 || stat(list[i], &st) != 0 || !S_ISREG(st.st_mode))
            return 0;
        total += (uint64_t)st.st_size;
    }
    return total;
}

/* The stream's end: the writer's closing text (TMX's closing tags), and the encoding's. */
static int end_stream(run_sink *k) {
    if (k->s->doc_output == XLATE_DOC_OUTPUT_XLIFF12 || k->s->doc_output == XLATE_DOC_OUTPUT_XLIFF21) {
#ifdef XLATE_HAVE_XLIFF
        xlate_xliff_export_options xo;
        xliff_options(k->s, &xo);
        if (xlate_xliff_export_end(&xo, &k->out, k->err) != 0)
            return -1;
#endif
    } else if (!k->s->doc_output && xlate_writer_end(k->w, &k->out) != 0) {
        xlate_error_set(k->err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    if (flush_sink(k) != 0)
        return -1;
    if (!k->enc)
        return 0;
    xlate_buf_reset(&k->encoded);
    if (xlate_encoder_finish(k->enc, &k->encoded, k->err) != 0)
        return -1;
    return write_text(k, &k->encoded);
}

/* The stream's start: the records' header, or XLIFF's; a document in its own format has none. */
static int begin_stream(run_sink *k) {
    if (k->s->doc_output == XLATE_DOC_OUTPUT_DOC)
        return 0;
    if (k->s->doc_output) {
#ifdef XLATE_HAVE_XLIFF
        xlate_xliff_export_options xo;
        xliff_options(k->s, &xo);
        return xlate_xliff_export_begin(&xo, &k->out, k->err);
#else
        return -1;
#endif
    }
    return xlate_writer_begin(k->w, &k->out);
}

/* Every file into one stream: the header, each file's records as they leave the chain, the
 * closing text — also when a signal stopped the run part way, so the output is always whole. */
static int run_files(run_sink *k, char **files, int n_files) {
    static char *const stdin_only[] = {"-"};
    char *const *list = n_files ? files : stdin_only;
    size_t n = n_files ? (size_t)n_files : 1;
    if (k->progress) {
        xlate_progress_counts *c = xlate_progress_counts_of(k->progress);
        c->total = (long long)n;
        c->total_bytes = input_size(list, n);
    }
    if (begin_stream(k) != 0 || flush_sink(k) != 0) {
        if (!k->broken && !k->err->message)
            xlate_error_set(k->err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n && !k->interrupted; i++) {
        int rc = stop_signal ? 1 : run_file(k, list[i]);
        if (rc < 0)
            return -1;
        k->interrupted = rc == 1;
    }
    return end_stream(k);
}

/* The sink for the run's settings. Returns 0, or -1 with err. */
static int open_sink(run_sink *k, const xlate_run_settings *s, run_output *o, xlate_error *err) {
    /* --from auto: each record carries its document's language; TMX's header says "*all*" */
    xlate_writer_options wo = {s->n_formats ? s->formats[0] : XLATE_FORMAT_TSV,
                               s->auto_source ? "*all*" : s->source_lang, s->target_lang,
                               XLATE_VERSION};
    memset(k, 0, sizeof *k);
    k->o = o;
    k->s = s;
    k->err = err;
    if (xlate_writer_new(&wo, &k->w) != 0) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    if (s->input.output_encoding &&
        xlate_encoder_new(s->input.output_encoding, s->input.output_replace, o->where, &k->enc,
                          err) != 0) {
        xlate_writer_free(k->w);
        return -1;
    }
    return 0;
}

static void close_sink(run_sink *k) {
    xlate_writer_free(k->w);
    xlate_encoder_free(k->enc);
    xlate_buf_free(&k->out);
    xlate_buf_free(&k->encoded);
    xlate_msg_tally_free(&k->tally);
}

/* On a terminal, the run ends with the warnings and failures per plugin and code: what a
 * reader of the output will find in its messages, counted. */
static void print_message_table(run_sink *k) {
    xlate_buf table = XLATE_BUF_INIT;
    if (!k->tally.n || !isatty(STDERR_FILENO))
        return;
    xlate_msg_tally_sort(&k->tally);
    if (xlate_msg_tally_table(&k->tally, &table) == 0 && table.data)
        fprintf(stderr, "xlate: messages of the %zu segments, per plugin and code:\n%s",
                k->segs.segments, table.data);
    xlate_buf_free(&table);
}

static void report_totals(const run_sink *k) {
    if (k->segs.failed)
        fprintf(stderr,
                "xlate: %zu of %zu segments failed; they are in the output with their source and "
                "status 'failed'\n", k->segs.failed, k->segs.segments);
    if (k->files_failed)
        fprintf(stderr, "xlate: %zu file(s) could not be processed (see the messages above)\n",
                k->files_failed);
    if (k->interrupted)
        fprintf(stderr,
                "xlate: interrupted by %s: %zu segments written to %s, which is complete and valid "
                "up to there; the rest of the input was not translated\n",
                stop_signal == SIGTERM ? "SIGTERM" : "SIGINT", k->segs.segments, k->o->where);
}

/* The progress line, when the one watching sees stderr on a terminal and the records do not go
 * to that terminal too. */
static xlate_progress *start_progress(const xlate_run_settings *s) {
    xlate_progress *progress = NULL;
    int to_stdout = !s->output || strcmp(s->output, "-") == 0;
    if (!isatty(STDERR_FILENO) || (to_stdout && isatty(STDOUT_FILENO)))
        return NULL;
    if (xlate_progress_new_run(stderr, 1, PROGRESS_DELAY_SECONDS, &progress) != 0)
        return NULL; /* out of memory: the run goes on without it */
    return progress;
}

static int parse_run_args(int argc, char **argv, xlate_run_settings *s, xlate_error *err) {
    static const struct option longopts[] = {
        XLATE_RUN_LONG_OPTIONS, XLATE_INPUT_LONG_OPTIONS, XLATE_DOC_LONG_OPTIONS,
        {"help", no_argument, NULL, 'h'}, {0}};
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
        if (opt == 'h')
            return 1;
        if (opt == '?' || opt == ':') {
            xlate_error_set(err, XLATE_EINVAL, "%s: unknown option or missing value: %s; see "
                            "'xlate %s --help'", argv[0], argv[optind - 1], argv[0]);
            return -1;
        }
        int r = xlate_run_settings_apply(s, opt, optarg, err);
        if (r <= 0) {
            if (r == 0)
                xlate_error_set(err, XLATE_EINVAL, "%s: unknown option %s", argv[0], argv[optind - 1]);
            return -1;
        }
    }
    return 0;
}

/* What the document options ask that cannot be done: a usage error. */
static int check_doc_settings(const xlate_run_settings *s, int extract, int n_files, xlate_error *err) {
    const char *cmd = extract ? "extract" : "run";
    if (s->doc_output && s->n_formats)
        xlate_error_set(err, XLATE_EINVAL, "%s: --format: give either records (tsv, jsonl, tmx, review) or "
                        "one of doc, xliff and xliff2", cmd);
    else if (extract && s->doc_output == XLATE_DOC_OUTPUT_DOC)
        xlate_error_set(err, XLATE_EINVAL, "extract: --format doc: extract writes XLIFF (xliff or "
                        "xliff2); 'xlate run --format doc' translates a document in its format");
    else if (s->doc_output == XLATE_DOC_OUTPUT_DOC && n_files > 1)
        xlate_error_set(err, XLATE_EINVAL, "run: --format doc writes one document: give one FILE a "
                        "run (%d given)", n_files);
    else if (xlate_run_settings_review_encoding_conflict(s))
        xlate_error_set(err, XLATE_EINVAL, "%s: --output-encoding: the review page is UTF-8 (it says "
                        "so in its <meta charset>); leave --output-encoding out", cmd);
    else if (s->auto_source && (extract || s->doc_output == XLATE_DOC_OUTPUT_XLIFF12 ||
                                s->doc_output == XLATE_DOC_OUTPUT_XLIFF21))
        xlate_error_set(err, XLATE_EINVAL, "%s: --from auto: an XLIFF file declares one source "
                        "language for all its documents; name it with --from", cmd);
    else if (s->doc_output && s->input.output_encoding)
        xlate_error_set(err, XLATE_EINVAL, "%s: --output-encoding: a document is written in its own "
                        "encoding and XLIFF in UTF-8; leave --output-encoding out", cmd);
#ifndef XLATE_HAVE_XLIFF
    else if (s->doc_output == XLATE_DOC_OUTPUT_XLIFF12 || s->doc_output == XLATE_DOC_OUTPUT_XLIFF21)
        xlate_error_set(err, XLATE_EINVAL, "%s: this xlate was built without the XLIFF module "
                        "('xlate formats' lists what it has)", cmd);
#endif
    else
        return 0;
    return -1;
}

/* Extraction keeps the documents' text as it is, for the translator's eyes and for merge: the
 * normalization options apply only when given. */
static void extract_defaults(xlate_run_settings *s) {
    s->input.normalize.form = XLATE_NORM_NONE;
    s->input.normalize.apostrophe = NULL;
    s->input.normalize.fix_homoglyphs = 0;
    s->input.normalize.fix_spaces = 0;
    s->doc_output = XLATE_DOC_OUTPUT_NONE;
}

static int normalization_asked(const xlate_normalize_options *n) {
    return n->form != XLATE_NORM_NONE || n->apostrophe || n->fix_homoglyphs || n->fix_spaces;
}

static int run_command(int argc, char **argv, int extract) {
    xlate_run_settings s = XLATE_RUN_SETTINGS_INIT;
    xlate_error err = {0};
    if (extract)
        extract_defaults(&s);
    int parsed = parse_run_args(argc, argv, &s, &err);
    if (parsed == 0 && extract && !s.doc_output && !s.n_formats)
        s.doc_output = XLATE_DOC_OUTPUT_XLIFF12;
    if (parsed == 0 && check_doc_settings(&s, extract, argc - optind, &err) != 0)
        parsed = -1;
    if (parsed != 0) {
        xlate_run_settings_free(&s);
        if (parsed > 0) {
            if (extract)
                print_extract_help(stdout);
            else
                print_run_help(stdout);
            return XLATE_EXIT_OK;
        }
        int st = xlate_cli_fail(&err);
        xlate_error_clear(&err);
        return st;
    }
    xlate_plugin_search search;
    xlate_chain *chain = NULL;
    xlate_pipeline_config cfg;
    xlate_pipeline *p = NULL;
    xlate_progress *progress = NULL;
    run_output o = {0};
    run_sink k;
    struct sigaction old_int, old_term;
    int status = XLATE_EXIT_OK;
    if (xlate_run_settings_prepare(&s, &search, &chain, &cfg, &err) != 0) {
        status = xlate_cli_fail(&err);
        goto done;
    }
    /* Extract without a translator is the usual case (the targets are for the CAT tool to fill):
     * nothing to warn about. */
    if (!extract || xlate_chain_length(chain) > 0)
        xlate_run_settings_note_targets(chain);
    cfg.documents_as_is = extract && !normalization_asked(&s.input.normalize);
    progress = start_progress(&s);
    cfg.on_message = print_chain_message;
    cfg.message_data = progress;
    cfg.stop = &stop_signal;
    /* A dry run goes through the writers as a real one does (a format's problems show), into
     * nothing: the output the user named is not touched. With --from auto each file's pipeline
     * is made once its language is known (use_file_language). */
    if ((!s.auto_source && xlate_pipeline_new(&cfg, chain, &p, &err) != 0) ||
        open_output(&o, s.dry_run ? "/dev/null" : s.output, &err) != 0) {
        status = xlate_cli_fail(&err);
        goto done_chain;
    }
    if (open_sink(&k, &s, &o, &err) != 0) {
        close_output(&o, 0, NULL);
        status = xlate_cli_fail(&err);
        goto done_chain;
    }
    k.progress = progress;
    k.max_doc_size = s.max_doc_size;
    k.p = p;
    k.chain = chain;
    k.cfg = &cfg;
    install_stop_handlers(&old_int, &old_term);
    int rc = run_files(&k, argv + optind, argc - optind);
    p = k.p; /* --from auto: the last file's, freed below */
    if (progress)
        xlate_progress_clear(progress);
    /* What was written stays, interrupted or not: it is whole up to where the run stopped. */
    if (close_output(&o, rc == 0, &err) != 0 || rc != 0)
        status = xlate_cli_fail(&err);
    print_message_table(&k);
    report_totals(&k);
    {
        xlate_buf what = XLATE_BUF_INIT;
        xlate_buf_printf(&what, "the output (%s)",
                         s.output && strcmp(s.output, "-") != 0 ? s.output : "standard output");
        xlate_run_settings_report_usage(&s, what.data ? what.data : "the output");
        xlate_buf_free(&what);
    }
    if (status == XLATE_EXIT_OK && k.interrupted)
        status = 128 + (int)stop_signal;
    else if (status == XLATE_EXIT_OK && (k.files_failed || k.segs.failed))
        status = XLATE_EXIT_FAILED;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    close_sink(&k);
done_chain:
    free(o.where);
    xlate_pipeline_free(p);
    xlate_chain_free(chain);
    xlate_plugin_search_free(&search);
done:
    xlate_progress_free(progress);
    xlate_error_clear(&err);
    xlate_run_settings_free(&s);
    return status;
}

int xlate_cmd_run(int argc, char **argv) {
    return run_command(argc, argv, 0);
}

int xlate_cmd_extract(int argc, char **argv) {
    return run_command(argc, argv, 1);
}
