/*
 * cmd_segment: `xlate segment [OPTIONS] [FILE...]` — the first three stages of the data path and
 * nothing else: each file is decoded, normalized and split into sentence segments, which are
 * printed one a line (a blank line between paragraphs), or as JSON lines with their byte offsets
 * into the normalized text.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "outfile.h"
#include "json.h"
#include "langid.h"
#include "langtag.h"
#include "segment.h"

enum { OPT_FROM = 1, OPT_SRX, OPT_FORMAT };

typedef enum segment_format { FORMAT_TXT, FORMAT_JSONL } segment_format;

static void print_segment_help(FILE *out) {
    fprintf(out,
            "Usage: xlate segment [OPTIONS] [FILE...|-]\n"
            "\n"
            "Print the sentence segments of each FILE, decoded and normalized as 'xlate run' does.\n"
            "With no FILE, or FILE '-', read standard input.\n"
            "\n"
            "Options:\n"
            "  --from LANG           language of the text, a BCP 47 tag: its ICU locale and SRX\n"
            "                        rules (default uk); auto: each file's own, identified from\n"
            "                        its text and said on stderr\n"
            "  --srx FILE            segmentation rules (SRX 2.0, e.g. from Okapi or OmegaT)\n"
            "                        instead of the built-in ones (core/segment/rules/default.srx,\n"
            "                        installed as share/xlate/default.srx: copy and edit it)\n"
            "  --format FORMAT       txt (default): one segment a line, a blank line between\n"
            "                        paragraphs; jsonl: one JSON object a segment with file, id,\n"
            "                        paragraph, start and end (bytes into the normalized text)\n"
            "                        and text\n"
            "  -o, --output FILE     write to FILE instead of standard output\n"
            "%s"
            "  -h, --help            show this help\n"
            "\n"
            "Every line of the text ends a segment; blank lines end paragraphs.\n"
            "\n"
            "Exit status: 0 every file segmented; 1 a file could not be read, decoded or\n"
            "segmented, or the SRX file is not valid; 2 usage error.\n"
            "\n"
            "Example: xlate segment --from uk --format jsonl samples/oboz/oboz-stoltenberg.uk.txt\n",
            xlate_input_settings_help());
}

/* Output goes out in pieces of about this size: the whole text's output never sits in memory.
 * Not with --output-encoding, whose converter sees the output as one text. */
enum { FLUSH_BYTES = 1 << 20 };

static int append_decimal(xlate_buf *b, size_t v) {
    char digits[24];
    size_t n = 0;
    do {
        digits[sizeof digits - ++n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return xlate_buf_append(b, digits + sizeof digits - n, n);
}

/* One segment a line, a blank line before each new paragraph (also across files). */
static int append_txt(xlate_buf *b, const char *text, const xlate_span *sp, size_t i,
                      int *first_paragraph) {
    int new_paragraph = i == 0 ? !*first_paragraph : sp[i].paragraph != sp[i - 1].paragraph;
    *first_paragraph = 0;
    if (new_paragraph && xlate_buf_putc(b, '\n') != 0)
        return -1;
    return xlate_buf_append(b, text + sp[i].start, sp[i].end - sp[i].start) != 0 ||
                   xlate_buf_putc(b, '\n') != 0
               ? -1
               : 0;
}

/* One JSON object a line; `head` is {"file":"...","id": , the same for every line of a file. */
static int append_jsonl(xlate_buf *b, const xlate_buf *head, const char *text,
                        const xlate_span *sp, size_t i) {
    return xlate_buf_append(b, head->data, head->len) != 0 || append_decimal(b, i + 1) != 0 ||
                   xlate_buf_puts(b, ",\"paragraph\":") != 0 ||
                   append_decimal(b, sp[i].paragraph) != 0 ||
                   xlate_buf_puts(b, ",\"start\":") != 0 ||
                   append_decimal(b, sp[i].start) != 0 || xlate_buf_puts(b, ",\"end\":") != 0 ||
                   append_decimal(b, sp[i].end) != 0 || xlate_buf_puts(b, ",\"text\":") != 0 ||
                   xlate_json_string(b, text + sp[i].start, sp[i].end - sp[i].start) != 0 ||
                   xlate_buf_puts(b, "}\n") != 0
               ? -1
               : 0;
}

/* Formats the segments and writes them out. */
static int write_segments(const char *file, const char *text, const xlate_span *sp, size_t n,
                          segment_format format, const xlate_input_settings *s, FILE *out,
                          const char *where, int *first_paragraph, xlate_error *err) {
    xlate_buf b = XLATE_BUF_INIT, head = XLATE_BUF_INIT;
    int rc = 0;
    if (format == FORMAT_JSONL)
        rc = xlate_buf_puts(&head, "{\"file\":") != 0 || xlate_json_cstring(&head, file) != 0 ||
                     xlate_buf_puts(&head, ",\"id\":") != 0
                 ? -1
                 : 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = format == FORMAT_TXT ? append_txt(&b, text, sp, i, first_paragraph)
                                  : append_jsonl(&b, &head, text, sp, i);
        if (rc != 0) {
            xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", file);
        } else if ((b.len >= FLUSH_BYTES && !s->output_encoding) || (i + 1 == n && b.len)) {
            rc = xlate_write_output(out, where, s, b.data, b.len, err);
            xlate_buf_reset(&b);
        }
    }
    xlate_buf_free(&b);
    xlate_buf_free(&head);
    return rc;
}

/* --from auto: the segmenter for the language of `text`, kept while the files' language stays the
 * same (*lang: the language *seg was made for). A text that does not tell keeps the one before
 * (uk for the first). Returns 0, or -1 with err. */
static int segmenter_for_text(const char *file, const char *text, size_t len, const char *srx,
                              xlate_segmenter **seg, char lang[XLATE_LANGID_MAX], xlate_error *err) {
    xlate_langid id;
    xlate_langid_identify_document(text, len, &id);
    if (!id.language[0]) {
        snprintf(id.language, sizeof id.language, "%s", lang[0] ? lang : "uk");
        fprintf(stderr, "xlate: %s: its language cannot be told from its text; taken as %s "
                "(give --from to choose)\n", file, id.language);
    } else {
        fprintf(stderr, "xlate: %s: language %s (--from auto)\n", file, id.language);
    }
    if (*seg && strcmp(id.language, lang) == 0)
        return 0;
    xlate_segmenter_free(*seg);
    *seg = NULL;
    lang[0] = '\0';
    if (xlate_segmenter_new(id.language, srx, seg, err) != 0)
        return -1;
    snprintf(lang, XLATE_LANGID_MAX, "%s", id.language);
    return 0;
}

static int segment_file(const char *file, xlate_segmenter **segp, segment_format format,
                        const xlate_input_settings *s, const char *srx, char *auto_lang, FILE *out,
                        const char *where, int *first_paragraph, xlate_error *err) {
    char *text = NULL;
    size_t len = 0;
    if (xlate_read_clean_text(file, s, &text, &len, err) != 0)
        return -1;
    if (auto_lang && segmenter_for_text(file, text, len, srx, segp, auto_lang, err) != 0) {
        free(text);
        return -1;
    }
    xlate_segmenter *seg = *segp;
    xlate_span *sp = NULL;
    size_t n = 0;
    int rc = xlate_segmenter_split(seg, text, len, &sp, &n, err);
    if (rc != 0)
        xlate_error_prefix(err, "%s", file);
    else
        rc = write_segments(file, text, sp, n, format, s, out, where, first_paragraph, err);
    free(sp);
    free(text);
    return rc;
}

static int usage_error(const char *message, const char *value) {
    fprintf(stderr, "xlate: segment: %s%s; see 'xlate segment --help'\n", message, value);
    return XLATE_EXIT_USAGE;
}

int xlate_cmd_segment(int argc, char **argv) {
    static const struct option longopts[] = {{"from", required_argument, NULL, OPT_FROM},
                                              {"srx", required_argument, NULL, OPT_SRX},
                                              {"format", required_argument, NULL, OPT_FORMAT},
                                              {"output", required_argument, NULL, 'o'},
                                              {"help", no_argument, NULL, 'h'},
                                              XLATE_INPUT_LONG_OPTIONS,
                                              {0}};
    xlate_input_settings s = XLATE_INPUT_SETTINGS_INIT;
    xlate_error err = {0};
    const char *lang = "uk", *srx = NULL, *output = NULL;
    char lang_tag[XLATE_LANGTAG_MAX];
    char auto_lang[XLATE_LANGID_MAX] = "";
    int from_auto = 0;
    segment_format format = FORMAT_TXT;
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            print_segment_help(stdout);
            return XLATE_EXIT_OK;
        case 'o':
            output = optarg;
            continue;
        case OPT_FROM:
            from_auto = strcmp(optarg, "auto") == 0;
            if (from_auto)
                continue;
            if (xlate_langtag_canonical(optarg, lang_tag, sizeof lang_tag, &err) != 0) {
                xlate_error_prefix(&err, "segment: --from %s", optarg);
                return xlate_cli_fail_clear(&err);
            }
            lang = lang_tag;
            continue;
        case OPT_SRX:
            srx = optarg;
            continue;
        case OPT_FORMAT:
            if (strcmp(optarg, "txt") == 0)
                format = FORMAT_TXT;
            else if (strcmp(optarg, "jsonl") == 0)
                format = FORMAT_JSONL;
            else
                return usage_error("--format must be txt or jsonl, not ", optarg);
            continue;
        default:
            break;
        }
        int applied = opt == '?' ? 0 : xlate_input_settings_apply(&s, opt, optarg, &err);
        if (applied < 0)
            return xlate_cli_fail_clear(&err);
        if (applied == 0)
            return usage_error("unknown option or missing value: ", argv[optind - 1]);
    }

    xlate_segmenter *seg = NULL;
    /* --from auto: each file's segmenter is made once its language is known */
    if (!from_auto && xlate_segmenter_new(lang, srx, &seg, &err) != 0)
        return xlate_cli_fail_clear(&err);
    /* By outfile's rule (outfile.h): a file is replaced once whole, a device or FIFO written
     * in place. */
    xlate_outfile *file;
    if (xlate_outfile_open(AT_FDCWD, output ? output : "-", 0, NULL, &file, &err) != 0) {
        xlate_segmenter_free(seg);
        return xlate_cli_fail_clear(&err);
    }
    FILE *out = xlate_outfile_stream(file);
    const char *where = xlate_outfile_shown(file);
    if (!out) {
        xlate_outfile_abort(file);
        xlate_segmenter_free(seg);
        xlate_error_set(&err, XLATE_ENOMEM, "out of memory");
        return xlate_cli_fail_clear(&err);
    }
    static char *const stdin_only[] = {"-", NULL};
    char *const *files = optind < argc ? argv + optind : stdin_only;
    int n = optind < argc ? argc - optind : 1, status = XLATE_EXIT_OK, first_paragraph = 1;
    for (int i = 0; i < n; i++) {
        if (segment_file(files[i], &seg, format, &s, srx, from_auto ? auto_lang : NULL, out, where,
                         &first_paragraph, &err) != 0) {
            int st = xlate_cli_fail_clear(&err);
            if (status == XLATE_EXIT_OK || st == XLATE_EXIT_USAGE)
                status = st;
        }
    }
    xlate_segmenter_free(seg);
    if (xlate_outfile_commit(file, &err) != 0)
        status = xlate_cli_fail_clear(&err);
    return status;
}
