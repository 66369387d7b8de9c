/*
 * cmd_batch: `xlate batch` — a folder, a tar or zip archive, or a list of paths, translated into a
 * folder or an archive, in parallel, with a report. Parses the arguments, loads the chain and
 * hands everything to the batch module of libxlate.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive_out.h"
#include "batch.h"
#include "cli.h"
#include "outfile.h"
#include "shard_env.h"
#include "shard_merge.h"
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
    OPT_MAX_RATIO,
    OPT_MERGE_SHARDS
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
    int merge_shards;          /* --merge-shards: the arguments are shards' reports and TMX */
    char **shard_files;        /* argv's, borrowed */
    size_t n_shard_files;
} batch_args;

static void print_batch_help(FILE *out) {
    fprintf(out,
            "Usage: xlate batch [OPTIONS] INPUT -o OUTPUT\n"
            "\n"
            "Translate every document of INPUT — a folder, a .tar, .tar.gz/.tgz, .tar.bz2, .tar.xz,\n"
            ".tar.zst or .zip archive, or '-' for a list of paths on standard input — into OUTPUT,\n"
            "a folder or an archive whose kind follows its name. a/b/name.txt gives\n"
            "a/b/name.uk-en.tsv (one file per --format); report.json goes into the output folder\n"
            "(beside an output archive, as OUTPUT.report.json). --format review writes a review\n"
            "page a/b/name.uk-en.html per document and index.html linking them with their counts.\n"
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
            "  --shard auto[/N]      take K and N from the scheduler: a Slurm job array\n"
            "                        (SLURM_ARRAY_TASK_ID and _COUNT), a Kubernetes Indexed Job\n"
            "                        (JOB_COMPLETION_INDEX; N = its completions), GNU parallel\n"
            "                        (PARALLEL_SEQ, from 1; N = the number of jobs), or\n"
            "                        XLATE_SHARD_INDEX and XLATE_SHARD_COUNT\n"
            "  --merge-shards SHARD...\n"
            "                        join the shards' reports (report.shard-K-of-N.json, or the\n"
            "                        folders holding them) and combined TMX files (*.tmx, with\n"
            "                        --combined FILE for the merged one) into what one unsharded\n"
            "                        run writes: report.json in -o OUTPUT, or --report FILE\n"
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

static const char *process_env(void *data, const char *name) {
    (void)data;
    return getenv(name);
}

/* --shard auto or auto/N: K and N from the scheduler's variables. */
static int shard_from_scheduler(batch_args *a, const char *arg, xlate_error *err) {
    uint64_t n = 0;
    const char *scheduler;
    if (arg[4] == '/' &&
        (xlate_parse_uint(arg + 5, strlen(arg + 5), 1000000, &n) != XLATE_NUMBER_OK || n == 0)) {
        xlate_error_set(err, XLATE_EINVAL,
                        "--shard %s: give auto, or auto/N with N the number of shards", arg);
        return -1;
    }
    if (xlate_shard_from_env(process_env, NULL, (unsigned)n, &a->shard_index, &a->shard_count,
                             &scheduler, err))
        return -1;
    return 1;
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
    case OPT_MERGE_SHARDS: a->merge_shards = 1; return 1;
    case OPT_SHARD:
        if (strncmp(arg, "auto", 4) == 0 && (arg[4] == '\0' || arg[4] == '/'))
            return shard_from_scheduler(a, arg, err);
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
        {"merge-shards", no_argument, NULL, OPT_MERGE_SHARDS},
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
    if (a->merge_shards) {
        if (argc - optind < 1 || (!a->run.output && !a->report)) {
            xlate_error_set(err, XLATE_EINVAL,
                            "batch --merge-shards: give the shards' reports (or their folders) "
                            "and -o OUTPUT or --report FILE; see 'xlate batch --help'");
            return -1;
        }
        a->shard_files = argv + optind;
        a->n_shard_files = (size_t)(argc - optind);
        return 0;
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
        xlate_error_set(err, XLATE_EINVAL, "batch: --format: give either records (tsv, jsonl, tmx, review) "
                        "or one of doc, xliff and xliff2");
        return -1;
    }
    if (xlate_run_settings_review_encoding_conflict(&a->run)) {
        xlate_error_set(err, XLATE_EINVAL, "batch: --output-encoding: the review page is UTF-8 (it "
                        "says so in its <meta charset>); leave --output-encoding out");
        return -1;
    }
    if (a->run.dry_run && (a->resume || a->combined || a->report)) {
        xlate_error_set(err, XLATE_EINVAL, "batch: --dry-run writes no output: leave out %s",
                        a->resume ? "--resume" : a->combined ? "--combined" : "--report");
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

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 ? 0 : -1;
}

/* A dry run's outputs go to a folder of its own under $TMPDIR, removed at the end, so that the
 * batch runs as it would (every document read, every plugin run, the outputs made) and OUTPUT is
 * never touched. Returns the folder's outputs path ("DIR/out", allocated) with *dir the folder,
 * or NULL with err. */
static char *dry_run_output(char **dir, xlate_error *err) {
    const char *tmp = getenv("TMPDIR");
    char *out = NULL;
    if (asprintf(dir, "%s/xlate-dry-run-XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0) {
        *dir = NULL;
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return NULL;
    }
    if (!mkdtemp(*dir)) {
        xlate_error_set(err, XLATE_ERROR, "batch --dry-run: cannot make a scratch folder %s: %s "
                        "(set TMPDIR to a writable folder)", *dir, strerror(errno));
        free(*dir);
        *dir = NULL;
        return NULL;
    }
    if (asprintf(&out, "%s/out", *dir) < 0) {
        out = NULL;
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
    }
    return out;
}

static void remove_dry_run_output(const char *dir) {
    if (dir && nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
        fprintf(stderr, "xlate: batch --dry-run: could not remove the scratch folder %s: %s\n",
                dir, strerror(errno));
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
    /* The workers' instances share what each plugin loads (the glossary's term map…). */
    if (xlate_chain_share(chain, &pcfg, err) != 0) {
        xlate_chain_free(chain);
        xlate_plugin_search_free(&search);
        return -1;
    }
    if (a->progress == XLATE_PROGRESS_AUTO) /* not inside JSON events, not with -q */
        xlate_run_settings_note_targets(chain);
    memset(&cfg, 0, sizeof cfg);
    cfg.input = a->input;
    cfg.list = stdin;
    cfg.output = a->run.output;
    char *scratch_dir = NULL, *scratch_out = NULL;
    if (a->run.dry_run) {
        if (!(scratch_out = dry_run_output(&scratch_dir, err))) {
            remove_dry_run_output(scratch_dir);
            free(scratch_dir);
            xlate_chain_free(chain);
            xlate_plugin_search_free(&search);
            return -1;
        }
        cfg.output = scratch_out;
        cfg.scratch_output = 1;
    }
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
    remove_dry_run_output(scratch_dir);
    free(scratch_dir);
    free(scratch_out);
    if (rc != 0) {
        xlate_bulk_summary_free(&sum);
        return -1;
    }
    if (a->progress == XLATE_PROGRESS_AUTO)
        print_message_table(&sum);
    if (a->run.dry_run || a->progress != XLATE_PROGRESS_QUIET) {
        xlate_buf what = XLATE_BUF_INIT;
        xlate_buf_printf(&what, "OUTPUT (%s)", a->run.output);
        xlate_run_settings_report_usage(&a->run, what.data ? what.data : "OUTPUT");
        xlate_buf_free(&what);
    }
    status = sum.failed || sum.interrupted || sum.input_broken ? XLATE_EXIT_FAILED : XLATE_EXIT_OK;
    if (sum.input_broken)
        xlate_cli_report(err); /* the archive's own message; the report has it too */
    xlate_bulk_summary_free(&sum);
    return status;
}

/* --- --merge-shards ------------------------------------------------------------------------- */

typedef struct shard_files {
    char **reports, **tmx;     /* owned arrays of owned names */
    size_t n_reports, n_tmx;
} shard_files;

static int add_name(char ***list, size_t *n, const char *name) {
    char **l = realloc(*list, (*n + 1) * sizeof *l);
    if (!l)
        return -1;
    *list = l;
    if (!(l[*n] = strdup(name)))
        return -1;
    (*n)++;
    return 0;
}

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The arguments sorted into reports and TMX files; a folder gives the shard reports in it. */
static int gather_shard_files(const batch_args *a, shard_files *f, xlate_error *err) {
    for (size_t i = 0; i < a->n_shard_files; i++) {
        const char *name = a->shard_files[i];
        struct stat st;
        if (stat(name, &st) == 0 && S_ISDIR(st.st_mode)) {
            char *pattern;
            glob_t g;
            if (asprintf(&pattern, "%s/report.shard-*-of-*.json", name) < 0)
                goto oom;
            int r = glob(pattern, 0, NULL, &g);
            free(pattern);
            if (r != 0) {
                xlate_error_set(err, XLATE_EINVAL,
                                "--merge-shards %s: the folder holds no report.shard-K-of-N.json",
                                name);
                return -1;
            }
            for (size_t k = 0; k < g.gl_pathc; k++)
                if (add_name(&f->reports, &f->n_reports, g.gl_pathv[k])) {
                    globfree(&g);
                    goto oom;
                }
            globfree(&g);
        } else if (ends_with(name, ".tmx")) {
            if (add_name(&f->tmx, &f->n_tmx, name))
                goto oom;
        } else if (add_name(&f->reports, &f->n_reports, name)) {
            goto oom;
        }
    }
    if (f->n_tmx && !a->combined) {
        xlate_error_set(err, XLATE_EINVAL, "--merge-shards: the shards' TMX files (%s, …) need "
                        "--combined FILE for the merged TMX", f->tmx[0]);
        return -1;
    }
    if (a->combined && !f->n_tmx) {
        xlate_error_set(err, XLATE_EINVAL, "--merge-shards --combined %s: give the shards' "
                        "combined TMX files too", a->combined);
        return -1;
    }
    return 0;
oom:
    xlate_error_set(err, XLATE_ENOMEM, "out of memory");
    return -1;
}

static void shard_files_free(shard_files *f) {
    for (size_t i = 0; i < f->n_reports; i++)
        free(f->reports[i]);
    for (size_t i = 0; i < f->n_tmx; i++)
        free(f->tmx[i]);
    free(f->reports);
    free(f->tmx);
}

/* Merges into --report FILE, or report.json inside the folder OUTPUT (links refused there, as a
 * batch's own report), or OUTPUT.report.json beside an archive OUTPUT. */
static int run_merge(const batch_args *a, xlate_error *err) {
    shard_files f = {0};
    xlate_shard_merge_config cfg = {0};
    xlate_shard_merge_result res;
    char *beside = NULL;
    int dir_fd = -1, rc = -1;
    if (gather_shard_files(a, &f, err))
        goto done;
    cfg.reports = (const char *const *)f.reports;
    cfg.n_reports = f.n_reports;
    cfg.tmx = (const char *const *)f.tmx;
    cfg.n_tmx = f.n_tmx;
    cfg.tmx_out = a->combined;
    cfg.report_dir_fd = AT_FDCWD;
    if (a->report) {
        cfg.report_out = a->report;
    } else if (xlate_output_names_archive(a->run.output)) {
        if (asprintf(&beside, "%s.report.json", a->run.output) < 0) {
            xlate_error_set(err, XLATE_ENOMEM, "out of memory");
            goto done;
        }
        cfg.report_out = beside;
    } else {
        dir_fd = open(a->run.output, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd < 0) {
            xlate_error_set(err, XLATE_ERROR, "%s: cannot open the output folder: %s",
                            a->run.output, strerror(errno));
            goto done;
        }
        cfg.report_dir_fd = dir_fd;
        cfg.report_out = "report.json";
        cfg.report_flags = XLATE_OUTFILE_NO_LINKS;
    }
    if (xlate_shards_merge(&cfg, &res, err))
        goto done;
    if (a->progress != XLATE_PROGRESS_QUIET)
        fprintf(stderr, "xlate batch: %u shards merged: %zu entries, %zu failed%s\n", res.shards,
                res.entries, res.failed, res.complete ? "" : "; a shard did not finish");
    rc = res.failed || !res.complete ? XLATE_EXIT_FAILED : XLATE_EXIT_OK;
done:
    if (dir_fd >= 0)
        close(dir_fd);
    free(beside);
    shard_files_free(&f);
    return rc;
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
        status = a.merge_shards ? run_merge(&a, &err) : run_batch(&a, &err);
        if (status < 0)
            status = xlate_cli_fail(&err);
    }
    xlate_error_clear(&err);
    xlate_run_settings_free(&a.run);
    return status;
}
