/*
 * cli: what the subcommands of the xlate command share. The command only parses arguments and
 * calls libxlate; each subcommand lives in cmd_<name>.c and returns an exit status
 * (XLATE_EXIT_OK, XLATE_EXIT_FAILED, XLATE_EXIT_USAGE).
 */
#ifndef XLATE_CLI_H
#define XLATE_CLI_H

#include <getopt.h>
#include <stdio.h>
#include "decode.h"
#include "normalize.h"
#include "error.h"

/* Exit statuses of the xlate command, documented in the README and every --help. They are the
 * command's alone: libxlate reports an xlate_status, and xlate_cli_exit_status decides. */
enum { XLATE_EXIT_OK = 0, XLATE_EXIT_FAILED = 1, XLATE_EXIT_USAGE = 2 };

/* The exit status for an error: 2 when the command line asked for something wrong or absent
 * (XLATE_EINVAL, XLATE_ENOTFOUND), 1 for any other failure, 0 for none. */
XLATE_MUST_CHECK int xlate_cli_exit_status(const xlate_error *err);

/* Subcommands. argv[0] is the subcommand's name. */
XLATE_MUST_CHECK int xlate_cmd_run(int argc, char **argv);
XLATE_MUST_CHECK int xlate_cmd_plugins(int argc, char **argv);
XLATE_MUST_CHECK int xlate_cmd_detect(int argc, char **argv);
XLATE_MUST_CHECK int xlate_cmd_normalize(int argc, char **argv);
XLATE_MUST_CHECK int xlate_cmd_segment(int argc, char **argv);
/* `xlate tm`: runs the xlate-tm program (plugins/tm) with the arguments after "tm"; see cmd_tm.c. */
XLATE_MUST_CHECK int xlate_cmd_tm(int argc, char **argv);
XLATE_MUST_CHECK int xlate_cmd_batch(int argc, char **argv);
/* `xlate align`: a text and its translation aligned sentence by sentence (core/align). */
XLATE_MUST_CHECK int xlate_cmd_align(int argc, char **argv);
XLATE_MUST_CHECK int xlate_cmd_extract(int argc, char **argv);
XLATE_MUST_CHECK int xlate_cmd_merge(int argc, char **argv);
XLATE_MUST_CHECK int xlate_cmd_formats(int argc, char **argv);
XLATE_MUST_CHECK int xlate_cmd_plugin(int argc, char **argv);
/* `xlate plugin-child`: not for users; the process an isolated plugin runs in (isolate.h). */
XLATE_MUST_CHECK int xlate_cmd_plugin_child(int argc, char **argv);

/* --- input options (decode and normalize), shared by run, batch, detect, normalize, segment --- */

typedef struct xlate_input_settings {
    xlate_decode_options decode;
    xlate_normalize_options normalize;
    const char *output_encoding;  /* NULL: UTF-8 */
    int output_replace;           /* a character the output encoding lacks is replaced, not an error */
} xlate_input_settings;

#define XLATE_INPUT_SETTINGS_INIT {XLATE_DECODE_OPTIONS_INIT, XLATE_NORMALIZE_OPTIONS_INIT, NULL, 0}

/* getopt_long ids of the input options; every subcommand's own ids stay below 1000. */
enum {
    XLATE_OPT_ENCODING = 1000,
    XLATE_OPT_ON_INVALID,
    XLATE_OPT_NO_REPAIR,
    XLATE_OPT_NORMALIZE,
    XLATE_OPT_APOSTROPHE,
    XLATE_OPT_NO_APOSTROPHE,
    XLATE_OPT_NO_HOMOGLYPHS,
    XLATE_OPT_OUTPUT_ENCODING,
    XLATE_OPT_OUTPUT_REPLACE
};

/* The `struct option` entries for the ids above, to put in a subcommand's long option table. */
#define XLATE_INPUT_LONG_OPTIONS                                      \
    {"encoding", required_argument, NULL, XLATE_OPT_ENCODING},        \
    {"on-invalid", required_argument, NULL, XLATE_OPT_ON_INVALID},    \
    {"no-repair", no_argument, NULL, XLATE_OPT_NO_REPAIR},            \
    {"normalize", required_argument, NULL, XLATE_OPT_NORMALIZE},      \
    {"apostrophe", required_argument, NULL, XLATE_OPT_APOSTROPHE},    \
    {"keep-apostrophes", no_argument, NULL, XLATE_OPT_NO_APOSTROPHE}, \
    {"no-homoglyphs", no_argument, NULL, XLATE_OPT_NO_HOMOGLYPHS},    \
    {"output-encoding", required_argument, NULL, XLATE_OPT_OUTPUT_ENCODING}, \
    {"output-replace", no_argument, NULL, XLATE_OPT_OUTPUT_REPLACE}

/* Applies one parsed option. Returns 1 when `opt` was an input option and was applied, 0 when it
 * is not one of them, -1 on a bad value (err set, kind USAGE). */
XLATE_MUST_CHECK int xlate_input_settings_apply(xlate_input_settings *s, int opt, const char *arg, xlate_error *err);

/* The --help lines for the input options (a constant string). */
const char *xlate_input_settings_help(void);

/* --- reading input and writing output ------------------------------------------------------ */

/* Reads a whole file ("-" = stdin) into *data (free()). Returns 0, or -1 with err naming the file
 * and the reason (XLATE_ERROR). */
XLATE_MUST_CHECK int xlate_read_input(const char *path, char **data, size_t *len, xlate_error *err);

/* Writes UTF-8 text to `out`, converted to `s->output_encoding` when set. `where` names the
 * destination in messages. Returns 0, or -1 with err set. */
XLATE_MUST_CHECK int xlate_write_output(FILE *out, const char *where, const xlate_input_settings *s,
                                        const char *text, size_t len, xlate_error *err);

/* Reads, decodes and normalizes one file ("-" = stdin) as every subcommand does: the text that
 * segments and offsets point into. *text is allocated (free()). Returns 0, or -1 with err naming
 * the file. */
XLATE_MUST_CHECK int xlate_read_clean_text(const char *path, const xlate_input_settings *s, char **text,
                                           size_t *len, xlate_error *err);

/* Prints "xlate: <message>" to stderr, for a failure whose exit status is decided elsewhere (a
 * file among several that could not be read, a message beside a progress line). */
void xlate_cli_report(const xlate_error *err);

/* Prints "xlate: <message>" to stderr and returns the error's exit status. */
XLATE_MUST_CHECK int xlate_cli_fail(const xlate_error *err);

/* The same, then clears the error: for a subcommand that stops on it. */
XLATE_MUST_CHECK int xlate_cli_fail_clear(xlate_error *err);

/* --- run options, shared by run and batch ------------------------------------------------------ */

#include "archive_in.h" /* XLATE_INPUT_MAX_DOC_SIZE_DEFAULT */
#include "pipeline.h"
#include "writer.h"
#include "outfile.h"

typedef struct xlate_run_settings {
    xlate_input_settings input;
    const char **plugins;      /* --plugin arguments in chain order (borrowed from argv) */
    size_t n_plugins;
    const char **plugin_dirs;  /* --plugin-path arguments (borrowed) */
    size_t n_plugin_dirs;
    const char *source_lang;   /* --from as a canonical BCP 47 tag, default "uk"; "auto" with
                                  auto_source */
    const char *target_lang;   /* --to, default "en" */
    const char *srx_path;      /* --srx */
    xlate_format formats[4];   /* --format, in the order given; run uses the first */
    size_t n_formats;
    const char *output;        /* -o */
    char *owned_tags[2];       /* the canonical --from and --to that the two above point to */
    uint64_t max_doc_size;     /* --max-doc-size: bytes of the largest document read */
    int isolate;               /* --isolate */
    double plugin_timeout;     /* --plugin-timeout, seconds; 0 waits for ever */
    char *program;             /* this program's absolute path, for isolated plugins (owned) */
    /* Documents (format.h): --input-format (NULL: auto), --format doc|xliff|xliff2 (the
     * document output, XLATE_DOC_OUTPUT_*), --retranslate. */
    const char *input_format;
    int doc_output;
    int retranslate;
    int dry_run;               /* --dry-run */
    xlate_usage *usage;        /* what the run's plugins sent per service (owned; made by prepare) */
    /* --from auto: each document's language is identified (langid.h) and its pipeline made for
     * it; source_lang is then "auto" and no stage sees it. */
    int auto_source;
    size_t batch_size;         /* --batch-size: segments a plugin gets a call; 0: the default */
} xlate_run_settings;

/* The largest --batch-size: a batch is held whole in memory and goes to an isolated plugin in
 * one message, and Microsoft's 1,000 texts a request is the most any service takes. */
#define XLATE_BATCH_SIZE_MAX 4096

/* What --format doc, xliff and xliff2 ask for, instead of TSV/JSONL/TMX records. */
enum { XLATE_DOC_OUTPUT_NONE = 0, XLATE_DOC_OUTPUT_DOC = 1, XLATE_DOC_OUTPUT_XLIFF12 = 12,
       XLATE_DOC_OUTPUT_XLIFF21 = 21 };

#define XLATE_RUN_SETTINGS_INIT {XLATE_INPUT_SETTINGS_INIT, NULL, 0, NULL, 0, "uk", "en", NULL, {XLATE_FORMAT_TSV}, 0, NULL, {NULL, NULL}, XLATE_INPUT_MAX_DOC_SIZE_DEFAULT, 0, XLATE_PLUGIN_TIMEOUT_DEFAULT, NULL, NULL, 0, 0, 0, NULL, 0, 0}

enum {
    XLATE_OPT_PLUGIN = 900,
    XLATE_OPT_PLUGIN_PATH,
    XLATE_OPT_FROM,
    XLATE_OPT_TO,
    XLATE_OPT_FORMAT,
    XLATE_OPT_SRX,
    XLATE_OPT_MAX_DOC_SIZE,
    XLATE_OPT_ISOLATE,
    XLATE_OPT_PLUGIN_TIMEOUT,
    XLATE_OPT_INPUT_FORMAT,
    XLATE_OPT_RETRANSLATE,
    XLATE_OPT_DRY_RUN,
    XLATE_OPT_BATCH_SIZE
};

/* The document options of run and extract (--input-format, --retranslate). */
#define XLATE_DOC_LONG_OPTIONS                                            \
    {"input-format", required_argument, NULL, XLATE_OPT_INPUT_FORMAT},    \
    {"retranslate", no_argument, NULL, XLATE_OPT_RETRANSLATE}

/* The `struct option` entries of the run options; -o is the short option 'o' (put "o:" in the
 * optstring) and is applied with opt == 'o'. */
#define XLATE_RUN_LONG_OPTIONS                                            \
    {"plugin", required_argument, NULL, XLATE_OPT_PLUGIN},                \
    {"plugin-path", required_argument, NULL, XLATE_OPT_PLUGIN_PATH},      \
    {"from", required_argument, NULL, XLATE_OPT_FROM},                    \
    {"to", required_argument, NULL, XLATE_OPT_TO},                        \
    {"format", required_argument, NULL, XLATE_OPT_FORMAT},                \
    {"srx", required_argument, NULL, XLATE_OPT_SRX},                      \
    {"max-doc-size", required_argument, NULL, XLATE_OPT_MAX_DOC_SIZE},    \
    {"isolate", no_argument, NULL, XLATE_OPT_ISOLATE},                    \
    {"plugin-timeout", required_argument, NULL, XLATE_OPT_PLUGIN_TIMEOUT}, \
    {"dry-run", no_argument, NULL, XLATE_OPT_DRY_RUN},                    \
    {"batch-size", required_argument, NULL, XLATE_OPT_BATCH_SIZE},        \
    {"output", required_argument, NULL, 'o'}

/* 1 when the settings write the review page (--format review) with an --output-encoding that
 * is not UTF-8: the page declares UTF-8, so that is a usage error. */
int xlate_run_settings_review_encoding_conflict(const xlate_run_settings *s);

/* Applies one parsed option (run options and input options). Returns 1 when applied, 0 when
 * `opt` is not one of them, -1 on a bad value (err set, kind USAGE). */
XLATE_MUST_CHECK int xlate_run_settings_apply(xlate_run_settings *s, int opt, const char *arg, xlate_error *err);

/* A size as --max-doc-size takes it: digits, then K, M or G (powers of 1024) and an optional B
 * ("100M", "64k", "1GB", "5000"); at least one byte, no sign, spaces or fractions, no value past
 * 2^64 - 1. Returns 0, or -1. */
XLATE_MUST_CHECK int xlate_cli_parse_size(const char *text, uint64_t *out);

/* The --help lines for the run options but -o, whose meaning each command says itself (a constant
 * string). */
const char *xlate_run_settings_help(void);

/* Loads the chain the settings name and fills the pipeline config. *search must be freed with
 * xlate_plugin_search_free and *chain with xlate_chain_free by the caller. */
XLATE_MUST_CHECK int xlate_run_settings_prepare(xlate_run_settings *s, xlate_plugin_search *search,
                                                xlate_chain **chain, xlate_pipeline_config *cfg, xlate_error *err);

/* At the end of a run: on stderr, the requests and characters the chain's plugins sent (in a
 * dry run: would have sent) to each network service, and in a dry run that nothing was sent and
 * `what_not_written` (the output the run did not write) was not. Says nothing after a normal run
 * that sent nothing. */
void xlate_run_settings_report_usage(const xlate_run_settings *s, const char *what_not_written);

/* The --help lines of the document options (a constant string). */
const char *xlate_doc_settings_help(void);

/* --- documents (documents.c): format modules for run, extract and merge ---------------------- */

#include "format.h"

/* The module that reads `path`: the one --input-format names (NULL or "auto": by extension,
 * then by content). Never NULL once the name was checked by the option. */
const xlate_format_module *xlate_cli_module_for(const char *input_format, const char *path, const char *bytes,
                                                size_t len);

/* Opens `name` (a document's name, made relative and clean) for writing inside the folder
 * `dir` (created when missing, with the folders the name has): never outside it, never through
 * a link, never over a file that is there already. Returns 0, or -1 with err naming the file. */
XLATE_MUST_CHECK int xlate_cli_open_in_dir(const char *dir, const char *name, xlate_outfile **out, xlate_error *err);

/* Says once on stderr what the targets are when the chain has no translator; says nothing
 * when it has one. */
void xlate_run_settings_note_targets(const xlate_chain *chain);

void xlate_run_settings_free(xlate_run_settings *s);

/* --- what the command takes from its environment and its location (environment.c) --------- *
 * libxlate reads nothing from the process; the command fills its configuration from here. */

/* Nonzero when this xlate runs from the build tree it was built in (not installed), whose root
 * xlate_cli_build_root names: plugins made with `plugin new` there build against that tree. */
int xlate_cli_running_from_build_tree(void);
const char *xlate_cli_build_root(void);

/* The command's plugin search path: `user_dirs` (--plugin-path), then the folders of
 * XLATE_PLUGIN_PATH (colon-separated), then the build tree's plugins/ when this xlate runs from
 * its build tree, then the installed folder. Free with xlate_plugin_search_free. Returns 0, or -1
 * when out of memory. */
XLATE_MUST_CHECK int xlate_cli_plugin_search_init(xlate_plugin_search *s, const char *const *user_dirs,
                                                  size_t n_user);

/* Where plugins' log lines go: stderr, one "xlate: PLUGIN: LEVEL: message" line each, for the
 * levels up to the one XLATE_LOG names (error, warning — the default —, info, debug). */
xlate_log_sink xlate_cli_log_sink(void);

/* This program's own file as an absolute path (from /proc/self/exe), to start isolated plugins
 * and checks in a child process of it. Allocated (free()); NULL when it cannot be found. */
char *xlate_cli_program_path(void);

/* Parses a --plugin-timeout value: a number of seconds >= 0 (0: no limit), in number.h's strict
 * form. Returns 0, or -1 with a usage error naming `flag`. */
XLATE_MUST_CHECK int xlate_cli_parse_timeout(const char *flag, const char *arg, double *out, xlate_error *err);

/* The time to stamp on packed archive entries: SOURCE_DATE_EPOCH, a whole number of seconds
 * >= 0 (digits only), or XLATE_PACK_TIME_NOW when it is unset or empty. Returns 0, or -1 with
 * err (XLATE_EINVAL) naming the variable when it is set to anything else. */
XLATE_MUST_CHECK int xlate_cli_pack_time(long long *out, xlate_error *err);

#endif
