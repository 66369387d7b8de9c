/*
 * cmd_run: `xlate run` — the main job. Each input file goes through the pipeline (decode →
 * normalize → segment → plugin chain) and its aligned records are written, in input order, to
 * one output stream.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "xlate_config.h"

static void print_run_help(FILE *out) {
    fprintf(out,
            "Usage: xlate run [OPTIONS] [FILE...|-]\n"
            "\n"
            "Translate documents through a chain of plugins and write each source segment beside\n"
            "its target. With no FILE, or FILE '-', read standard input.\n"
            "\n"
            "Options:\n%s"
            "  -o, --output FILE     write to FILE instead of standard output\n"
            "%s"
            "  -h, --help            show this help\n"
            "\n"
            "Exit status: 0 all segments processed; 1 a file could not be read or decoded, or a\n"
            "segment failed (it is still in the output with its source, status 'failed');\n"
            "2 usage error (unknown option, plugin or plugin option).\n"
            "\n"
            "Example: xlate run --plugin glossary --format jsonl samples/oboz/article.uk.txt\n",
            xlate_run_settings_help(), xlate_input_settings_help());
}

typedef struct run_totals {
    size_t files_failed;
    xlate_doc_stats segs;
} run_totals;

/* Output goes to a temporary file beside -o FILE and is renamed at the end, so a failed run
 * never leaves a half-written file where the user expects a finished one. */
typedef struct run_output {
    FILE *f;
    const char *where;
    char *tmp_path;
} run_output;

static int open_output(run_output *o, const char *path, xlate_error *err) {
    o->tmp_path = NULL;
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        o->where = "standard output";
        return 0;
    }
    xlate_buf b = XLATE_BUF_INIT;
    xlate_buf_printf(&b, "%s.tmp.%ld", path, (long)getpid());
    o->tmp_path = xlate_buf_steal(&b, NULL);
    o->where = path;
    o->f = o->tmp_path ? fopen(o->tmp_path, "wb") : NULL;
    if (!o->f) {
        xlate_error_set(err, XLATE_ERR_RUN, "%s: cannot write: %s; check the folder exists and is "
                        "writable", path, strerror(errno));
        free(o->tmp_path);
        return -1;
    }
    return 0;
}

static int close_output(run_output *o, int keep, xlate_error *err) {
    if (o->f == stdout)
        return fflush(stdout) == 0 ? 0 : -1;
    int rc = fclose(o->f) == 0 ? 0 : -1;
    if (rc == 0 && keep && rename(o->tmp_path, o->where) != 0) {
        xlate_error_set(err, XLATE_ERR_RUN, "%s: cannot write: %s", o->where, strerror(errno));
        rc = -1;
    }
    if (!keep || rc != 0)
        unlink(o->tmp_path);
    free(o->tmp_path);
    return rc;
}

static void add_stats(xlate_doc_stats *sum, const xlate_doc *doc) {
    xlate_doc_stats st;
    xlate_doc_get_stats(doc, &st);
    sum->segments += st.segments;
    sum->failed += st.failed;
    sum->warnings += st.warnings;
    sum->filtered += st.filtered;
}

/* Where the records go: `out`, flushed to the output file as it passes FLUSH_BYTES when the
 * output is streamed (plain UTF-8), so a long document never sits whole in memory twice. */
#define FLUSH_BYTES (4u << 20)
#define PART_SEGMENTS 1024

typedef struct run_sink {
    xlate_writer *w;
    xlate_buf *out;
    int stream;
    run_output *o;
    const xlate_input_settings *input;
    xlate_error *err;
} run_sink;

static int flush_sink(run_sink *k) {
    int rc = xlate_write_output(k->o->f, k->o->where, k->input, k->out->data ? k->out->data : "",
                                k->out->len, k->err);
    xlate_buf_reset(k->out);
    return rc;
}

/* Writes the document's records, in parts when streaming. Returns 0, or -1 when the output
 * cannot be written. */
static int write_document(run_sink *k, const xlate_doc *doc) {
    if (!k->stream) {
        xlate_writer_document(k->w, doc, k->out);
        return 0;
    }
    for (size_t from = 0; from < doc->n_segs; from += PART_SEGMENTS) {
        size_t n = doc->n_segs - from < PART_SEGMENTS ? doc->n_segs - from : PART_SEGMENTS;
        xlate_writer_document_part(k->w, doc, from, n, k->out);
        if (k->out->len >= FLUSH_BYTES && flush_sink(k) != 0)
            return -1;
    }
    return flush_sink(k);
}

/* One file through the pipeline into the sink. A file that cannot be read or decoded is
 * reported and counted; the other files go on. Returns -1 only when the output cannot be
 * written. */
static int run_file(xlate_pipeline *p, run_sink *k, const char *path, run_totals *t) {
    xlate_error err = {0};
    char *bytes = NULL;
    size_t len = 0;
    xlate_doc doc;
    if (xlate_read_input(path, &bytes, &len, &err) != 0 ||
        xlate_pipeline_run(p, path, bytes, len, &doc, &err) != 0) {
        xlate_cli_fail(&err);
        xlate_error_clear(&err);
        free(bytes);
        t->files_failed++;
        return k->stream ? flush_sink(k) : 0;
    }
    free(bytes);
    add_stats(&t->segs, &doc);
    int rc = write_document(k, &doc);
    xlate_doc_free(&doc);
    return rc;
}

static int run_files(const xlate_run_settings *s, xlate_pipeline *p, char **files, int n_files,
                     run_output *o, run_totals *t, xlate_error *err) {
    xlate_writer_options wo = {s->n_formats ? s->formats[0] : XLATE_FORMAT_TSV, s->source_lang,
                               s->target_lang, XLATE_VERSION};
    xlate_writer *w = NULL;
    if (xlate_writer_new(&wo, &w) != 0) {
        xlate_error_set(err, XLATE_ERR_RUN, "out of memory");
        return -1;
    }
    /* A re-encoded stream is converted whole so that stateful encodings (UTF-16 BOM) come out
     * right; plain UTF-8 is flushed as it is made, to keep memory flat. */
    xlate_buf out = XLATE_BUF_INIT;
    run_sink sink = {w, &out, s->input.output_encoding == NULL, o, &s->input, err};
    int rc = xlate_writer_begin(w, &out);
    static char *const stdin_only[] = {"-"};
    char *const *list = n_files ? files : stdin_only;
    size_t n = n_files ? (size_t)n_files : 1;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = run_file(p, &sink, list[i], t);
    if (rc == 0)
        rc = xlate_writer_end(w, &out);
    if (rc == 0)
        rc = xlate_write_output(o->f, o->where, &s->input, out.data ? out.data : "", out.len, err);
    xlate_buf_free(&out);
    xlate_writer_free(w);
    return rc;
}

static void report_totals(const run_totals *t) {
    if (t->segs.failed)
        fprintf(stderr,
                "xlate: %zu of %zu segments failed; they are in the output with their source and "
                "status 'failed'\n", t->segs.failed, t->segs.segments);
    if (t->files_failed)
        fprintf(stderr, "xlate: %zu file(s) could not be processed (see the messages above)\n",
                t->files_failed);
}

static int parse_run_args(int argc, char **argv, xlate_run_settings *s, xlate_error *err) {
    static const struct option longopts[] = {
        XLATE_RUN_LONG_OPTIONS, XLATE_INPUT_LONG_OPTIONS, {"help", no_argument, NULL, 'h'}, {0}};
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
        if (opt == 'h')
            return 1;
        if (opt == '?' || opt == ':') {
            xlate_error_set(err, XLATE_ERR_USAGE, "run: unknown option or missing value: %s; see "
                            "'xlate run --help'", argv[optind - 1]);
            return -1;
        }
        int r = xlate_run_settings_apply(s, opt, optarg, err);
        if (r <= 0) {
            if (r == 0)
                xlate_error_set(err, XLATE_ERR_USAGE, "run: unknown option %s", argv[optind - 1]);
            return -1;
        }
    }
    return 0;
}

int xlate_cmd_run(int argc, char **argv) {
    xlate_run_settings s = XLATE_RUN_SETTINGS_INIT;
    xlate_error err = {0};
    int parsed = parse_run_args(argc, argv, &s, &err);
    if (parsed != 0) {
        xlate_run_settings_free(&s);
        if (parsed > 0) {
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
    run_output o = {0};
    run_totals t = {0};
    int status = XLATE_EXIT_OK;
    if (xlate_run_settings_prepare(&s, &search, &chain, &cfg, &err) != 0) {
        status = xlate_cli_fail(&err);
        goto done;
    }
    if (xlate_pipeline_new(&cfg, chain, &p, &err) != 0 || open_output(&o, s.output, &err) != 0) {
        status = xlate_cli_fail(&err);
        goto done_chain;
    }
    int rc = run_files(&s, p, argv + optind, argc - optind, &o, &t, &err);
    if (close_output(&o, rc == 0, &err) != 0 || rc != 0)
        status = xlate_cli_fail(&err);
    report_totals(&t);
    if (status == XLATE_EXIT_OK && (t.files_failed || t.segs.failed))
        status = XLATE_EXIT_FAILED;
done_chain:
    xlate_pipeline_free(p);
    xlate_chain_free(chain);
    xlate_plugin_search_free(&search);
done:
    xlate_error_clear(&err);
    xlate_run_settings_free(&s);
    return status;
}
