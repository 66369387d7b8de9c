/*
 * cmd_normalize: `xlate normalize [OPTIONS] FILE...` — the first two stages of the data path and
 * nothing else: each file is decoded (detected, repaired) and normalized, and the text is written
 * out, UTF-8 or --to-encoding. Like `uconv -x any-nfc`, with xlate's decoding in front.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "outfile.h"

enum { OPT_TO_ENCODING = 1 };

static void print_normalize_help(FILE *out) {
    fprintf(out,
            "Usage: xlate normalize [OPTIONS] [FILE...|-]\n"
            "\n"
            "Write each FILE decoded and normalized, one after the other. With no FILE, or FILE\n"
            "'-', read standard input.\n"
            "\n"
            "Options:\n"
            "  --to-encoding NAME    write in this encoding instead of UTF-8 (same as\n"
            "                        --output-encoding)\n"
            "  -o, --output FILE     write to FILE instead of standard output\n"
            "%s"
            "  -h, --help            show this help\n"
            "\n"
            "Exit status: 0 every file written; 1 a file could not be read, decoded or written\n"
            "(e.g. invalid bytes, a character the output encoding lacks); 2 usage error.\n"
            "\n"
            "Example: xlate normalize --encoding auto --to-encoding utf-16 old.txt > new.txt\n",
            xlate_input_settings_help());
}

static int normalize_file(const char *file, const xlate_input_settings *s, FILE *out,
                          const char *where, xlate_error *err) {
    char *clean = NULL;
    size_t clean_len = 0;
    if (xlate_read_clean_text(file, s, &clean, &clean_len, err) != 0)
        return -1;
    int rc = xlate_write_output(out, where, s, clean, clean_len, err);
    if (rc != 0)
        xlate_error_prefix(err, "%s", file);
    free(clean);
    return rc;
}

int xlate_cmd_normalize(int argc, char **argv) {
    static const struct option longopts[] = {{"to-encoding", required_argument, NULL,
                                               OPT_TO_ENCODING},
                                              {"output", required_argument, NULL, 'o'},
                                              {"help", no_argument, NULL, 'h'},
                                              XLATE_INPUT_LONG_OPTIONS,
                                              {0}};
    xlate_input_settings s = XLATE_INPUT_SETTINGS_INIT;
    xlate_error err = {0};
    const char *output = NULL;
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
        if (opt == 'h') {
            print_normalize_help(stdout);
            return XLATE_EXIT_OK;
        }
        if (opt == 'o') {
            output = optarg;
            continue;
        }
        if (opt == OPT_TO_ENCODING)
            opt = XLATE_OPT_OUTPUT_ENCODING;
        int applied = opt == '?' ? 0 : xlate_input_settings_apply(&s, opt, optarg, &err);
        if (applied < 0)
            return xlate_cli_fail_clear(&err);
        if (applied == 0) {
            fprintf(stderr, "xlate: normalize: unknown option or missing value: %s; see "
                    "'xlate normalize --help'\n", argv[optind - 1]);
            return XLATE_EXIT_USAGE;
        }
    }
    /* By outfile's rule (outfile.h): a file is replaced once whole, a device or FIFO written
     * in place. */
    xlate_outfile *file;
    if (xlate_outfile_open(AT_FDCWD, output ? output : "-", 0, NULL, &file, &err) != 0) {
        return xlate_cli_fail_clear(&err);
    }
    FILE *out = xlate_outfile_stream(file);
    const char *where = xlate_outfile_shown(file);
    if (!out) {
        xlate_outfile_abort(file);
        xlate_error_set(&err, XLATE_ENOMEM, "out of memory");
        return xlate_cli_fail_clear(&err);
    }
    static char *const stdin_only[] = {"-", NULL};
    char *const *files = optind < argc ? argv + optind : stdin_only;
    int n = optind < argc ? argc - optind : 1, status = XLATE_EXIT_OK;
    for (int i = 0; i < n; i++) {
        if (normalize_file(files[i], &s, out, where, &err) != 0) {
            int st = xlate_cli_fail(&err);
            xlate_error_clear(&err);
            if (status == XLATE_EXIT_OK || st == XLATE_EXIT_USAGE)
                status = st;
        }
    }
    if (xlate_outfile_commit(file, &err) != 0)
        status = xlate_cli_fail_clear(&err);
    return status;
}
