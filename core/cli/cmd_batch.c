/*
 * cmd_batch: `xlate batch` — a folder, a tar or zip archive, or a list of paths, translated into a
 * folder or an archive, in parallel, with a report. Parses the arguments, loads the chain and
 * hands everything to the batch module of libxlate.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"
#include "xlate/number.h"

/* The one piece of process-wide mutable state the command has: the flag SIGINT and SIGTERM set.
 * A signal handler can reach nothing else safely, and sig_atomic_t is what it may write. The
 * batch reads it to stop after the documents in flight. */
static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig) {
    (void)sig;
    stop_requested = 1;
}

enum {
    OPT_JOBS = 'j',
    OPT_QUIET = 'q',
    OPT_COMBINED = 700,
    OPT_REPORT,
    OPT_RESUME,
    OPT_SHARD,
    OPT_PROGRESS,
    OPT_MAX_RATIO
};

typedef struct batch_args {
    xlate_run_settings run;
    unsigned jobs;
    const char *combined, *report;
    int resume;
    unsigned shard_index, shard_count;
    xlate_progress_mode progress;
    double max_ratio;
    const char *input;
} batch_args;

static void print_batch_help(FILE *out) {
    fprintf(out,
            "Usage: xlate batch [OPTIONS] INPUT -o OUTPUT\n"
            "\n"
            "Translate every document of INPUT — a folder, a .tar, .tar.gz/.tgz, .tar.bz2, .tar.xz,\n"
            ".tar.zst or .zip archive, or '-' for a list of paths on standard input — into OUTPUT,\n"
            "a folder or an archive whose kind follows its name. a/b/name.txt gives\n"
            "a/b/name.uk-en.tsv (one file per --format); report.json goes into the output folder\n"
            "(beside an output archive, as OUTPUT.report.json).\n"
            "\n"
            "Documents (HTML, XLIFF, PO, Markdown, text: see 'xlate formats') are read by their\n"
            "format module, chosen per document by --input-format auto. --format doc writes each\n"
            "one back in its own format and encoding, translated, under its own name\n"
            "(a/b/page.html); --format xliff or xliff2 writes a/b/page.html.xlf for a CAT tool, or\n"
            "with --combined FILE.xlf one XLIFF of every document, which 'xlate merge --output-dir'\n"
            "turns back into the documents.\n"
            "\n"
            "Options:\n%s%s"
            "  -o, --output OUTPUT   where the results go (required): a folder, created when\n"
            "                        missing, that gets each document's outputs under the\n"
            "                        document's own path, report.json, and .xlate-state/ (the\n"
            "                        journal and configuration --resume reads; removed once a\n"
            "                        batch ends complete with no failure); or, when the name ends\n"
            "                        in .tar, .tar.gz, .tgz, .tar.bz2, .tar.xz, .tar.zst or .zip,\n"
            "                        an archive of the outputs, staged in OUTPUT.partial/ and\n"
            "                        packed at the end, with OUTPUT.report.json beside it\n"
            "%s"
            "  -j, --jobs N          worker threads (default: the number of cores)\n"
            "  --combined FILE       also write one TMX of every segment, in input order; with\n"
            "                        --format xliff/xliff2: one XLIFF of every document instead of\n"
            "                        one a document\n"
            "  --report FILE         write the report to FILE\n"
            "  --resume              skip documents whose outputs are complete, do the rest;\n"
            "                        refused (exit 2) when the options that shape the outputs\n"
            "                        differ from those OUTPUT was started with\n"
            "  --shard K/N           do only shard K (0 <= K < N) of N: a stable split by path\n"
            "  --max-ratio N         largest compression ratio of an entry (default 100)\n"
            "  --progress MODE       auto (a live line on a terminal), json (events on stderr) or\n"
            "                        quiet\n"
            "  -q, --quiet           no progress and no summary\n"
            "  -h, --help            show this help\n"
            "\n"
            "Entries that are binary data (a NUL byte outside UTF-16/32 text, or a control\n"
            "character no text has) are skipped; unsafe ones (absolute paths, '..', links leading\n"
            "outside, devices, names that are not UTF-8) are rejected; both are listed in the\n"
            "report and counted in the summary. SIGINT or SIGTERM stops after the documents in\n"
            "flight; --resume finishes.\n"
            "\n"
            "Exit status: 0 every document done; 1 a document failed, the archive is corrupt, or\n"
            "the batch was interrupted; 2 usage error, or --resume with other options.\n"
            "\n"
            "Example: xlate batch --plugin glossary --format jsonl news.tar.gz -o news-en/\n",
            xlate_run_settings_help(), xlate_doc_settings_help(), xlate_input_settings_help());
}

static int apply_batch_option(batch_args *a, int opt, const char *arg, xlate_error *err) {
    switch (opt) {
    case OPT_JOBS: {
        uint64_t n;
        if (xlate_parse_uint(arg, strlen(arg), 1024, &n) != XLATE_NUMBER_OK || n < 1) {
            xlate_error_set(err, XLATE_EINVAL,
                            "-j %s: give a number of workers from 1 to 1024, in digits", arg);
            return -1;
        }
        a->jobs = (unsigned)n;
        return 1;
    }
    case OPT_QUIET: a->progress = XLATE_PROGRESS_QUIET; return 1;
    case OPT_COMBINED: a->combined = arg; return 1;
    case OPT_REPORT: a->report = arg; return 1;
    case OPT_RESUME: a->resume = 1; return 1;
    case OPT_SHARD:
        if (xlate_shard_parse(arg, &a->shard_index, &a->shard_count)) {
            xlate_error_set(err, XLATE_EINVAL,
                            "--shard %s: give K/N with 0 <= K < N, e.g. --shard 0/3 for the first "
                            "of three shards", arg);
            return -1;
        }
        return 1;
    case OPT_PROGRESS:
        if (xlate_progress_mode_parse(arg, &a->progress)) {
            xlate_error_set(err, XLATE_EINVAL, "--progress %s: use auto, json or quiet", arg);
            return -1;
        }
        return 1;
    case OPT_MAX_RATIO:
        if (xlate_parse_real(arg, strlen(arg), 1.0, 1e9, &a->max_ratio) != XLATE_NUMBER_OK) {
            xlate_error_set(err, XLATE_EINVAL,
                            "--max-ratio %s: give a decimal number from 1 to 1e9 (100)", arg);
            return -1;
        }
        return 1;
    default:
        return xlate_run_settings_apply(&a->run, opt, arg, err);
    }
}

/* Returns 0 parsed, 1 help asked for, -1 usage error. */
static int parse_batch_args(int argc, char **argv, batch_args *a, xlate_error *err) {
    static const struct option longopts[] = {
        XLATE_RUN_LONG_OPTIONS,
        XLATE_INPUT_LONG_OPTIONS,
        XLATE_DOC_LONG_OPTIONS,
        {"jobs", required_argument, NULL, OPT_JOBS},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"combined", required_argument, NULL, OPT_COMBINED},
        {"report", required_argument, NULL, OPT_REPORT},
        {"resume", no_argument, NULL, OPT_RESUME},
        {"shard", required_argument, NULL, OPT_SHARD},
        {"progress", required_argument, NULL, OPT_PROGRESS},
        {"max-ratio", required_argument, NULL, OPT_MAX_RATIO},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "ho:j:q", longopts, NULL)) != -1) {
        int r;
        if (opt == 'h')
            return 1;
        if (opt == '?' || opt == ':') {
            xlate_error_set(err, XLATE_EINVAL,
                            "batch: unknown option or missing value: %s; see 'xlate batch --help'",
                            argv[optind - 1]);
            return -1;
        }
        r = apply_batch_option(a, opt, optarg, err);
        if (r <= 0) {
            if (r == 0)
                xlate_error_set(err, XLATE_EINVAL, "batch: unknown option %s",
                                argv[optind - 1]);
            return -1;
        }
    }
    /* A batch's workers share one configuration that its report and resume journal record;
     * a language per document is run's alone. */
    if (a->run.auto_source) {
        xlate_error_set(err, XLATE_EINVAL, "batch: --from auto: batch runs every document with "
                        "one source language; name it (--from uk), or use 'xlate run --from auto' "
                        "for documents in several languages");
        return -1;
    }
    if (argc - optind != 1 || !a->run.output) {
        xlate_error_set(err, XLATE_EINVAL,
                        "batch: give one INPUT (a folder, an archive or '-') and -o OUTPUT; see "
                        "'xlate batch --help'");
        return -1;
    }
    if (a->run.doc_output && a->run.n_formats) {
        xlate_error_set(err, XLATE_EINVAL, "batch: --format: give either records (tsv, jsonl, tmx) "
                        "or one of doc, xliff and xliff2");
        return -1;
    }
    if (a->run.doc_output && a->run.input.output_encoding) {
        xlate_error_set(err, XLATE_EINVAL, "batch: --output-encoding: a document is written in its "
                        "own encoding and XLIFF in UTF-8; leave --output-encoding out");
        return -1;
    }
    a->input = argv[optind];
    return 0;
}

static void install_stop_handlers(struct sigaction *old_int, struct sigaction *old_term) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a read that waits for input (a pipe, a slow disk) returns, and the batch
     * sees the flag at once instead of after the next entry. */
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, old_int);
    sigaction(SIGTERM, &sa, old_term);
}

/* On a terminal, the warnings and failures per plugin and code of the documents processed (the
 * report has them per document and in its summary). */
static void print_message_table(xlate_bulk_summary *sum) {
    xlate_buf table = XLATE_BUF_INIT;
    if (!sum->messages.n || !isatty(STDERR_FILENO))
        return;
    xlate_msg_tally_sort(&sum->messages);
    if (xlate_msg_tally_table(&sum->messages, &table) == 0 && table.data)
        fprintf(stderr, "xlate: messages of the %zu segments, per plugin and code:\n%s",
                sum->segments, table.data);
    xlate_buf_free(&table);
}

static int run_batch(batch_args *a, xlate_error *err) {
    xlate_plugin_search search;
    xlate_chain *chain = NULL;
    xlate_pipeline_config pcfg;
    xlate_bulk_config cfg;
    xlate_bulk_summary sum;
    struct sigaction old_int, old_term;
    xlate_format default_format = XLATE_FORMAT_TSV;
    int rc, status;
    long long pack_time;
    if (xlate_cli_pack_time(&pack_time, err) != 0 ||
        xlate_run_settings_prepare(&a->run, &search, &chain, &pcfg, err) != 0)
        return -1;
    if (a->progress == XLATE_PROGRESS_AUTO) /* not inside JSON events, not with -q */
        xlate_run_settings_note_targets(chain);
    memset(&cfg, 0, sizeof cfg);
    cfg.input = a->input;
    cfg.list = stdin;
    cfg.output = a->run.output;
    cfg.chain = chain;
    cfg.pipeline = &pcfg;
    cfg.output_kind = a->run.doc_output == XLATE_DOC_OUTPUT_DOC       ? XLATE_BULK_DOC
                      : a->run.doc_output == XLATE_DOC_OUTPUT_XLIFF12 ? XLATE_BULK_XLIFF12
                      : a->run.doc_output == XLATE_DOC_OUTPUT_XLIFF21 ? XLATE_BULK_XLIFF21
                                                                      : XLATE_BULK_RECORDS;
    cfg.input_format = a->run.input_format;
    cfg.retranslate = a->run.retranslate;
    cfg.formats = a->run.n_formats ? a->run.formats : &default_format;
    cfg.n_formats = a->run.n_formats ? a->run.n_formats : 1;
    cfg.output_encoding = a->run.input.output_encoding;
    cfg.output_replace = a->run.input.output_replace;
    cfg.jobs = a->jobs;
    cfg.combined = a->combined;
    cfg.report = a->report;
    cfg.resume = a->resume;
    cfg.shard_index = a->shard_index;
    cfg.shard_count = a->shard_count;
    cfg.max_doc_size = a->run.max_doc_size;
    cfg.max_ratio = a->max_ratio;
    cfg.pack_time = pack_time;
    cfg.progress = a->progress;
    cfg.progress_out = stderr;
    cfg.progress_tty = isatty(STDERR_FILENO);
    cfg.stop = &stop_requested;

    stop_requested = 0;
    install_stop_handlers(&old_int, &old_term);
    rc = xlate_bulk_run(&cfg, &sum, err);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);

    xlate_chain_free(chain);
    xlate_plugin_search_free(&search);
    if (rc != 0) {
        xlate_bulk_summary_free(&sum);
        return -1;
    }
    if (a->progress == XLATE_PROGRESS_AUTO)
        print_message_table(&sum);
    status = sum.failed || sum.interrupted || sum.input_broken ? XLATE_EXIT_FAILED : XLATE_EXIT_OK;
    if (sum.input_broken)
        xlate_cli_report(err); /* the archive's own message; the report has it too */
    xlate_bulk_summary_free(&sum);
    return status;
}

int xlate_cmd_batch(int argc, char **argv) {
    batch_args a;
    xlate_error err = {XLATE_OK, NULL};
    xlate_run_settings init = XLATE_RUN_SETTINGS_INIT;
    int parsed, status;
    memset(&a, 0, sizeof a);
    a.run = init;
    a.progress = XLATE_PROGRESS_AUTO;
    parsed = parse_batch_args(argc, argv, &a, &err);
    if (parsed > 0) {
        print_batch_help(stdout);
        status = XLATE_EXIT_OK;
    } else if (parsed < 0) {
        status = xlate_cli_fail(&err);
    } else {
        status = run_batch(&a, &err);
        if (status < 0)
            status = xlate_cli_fail(&err);
    }
    xlate_error_clear(&err);
    xlate_run_settings_free(&a.run);
    return status;
}
