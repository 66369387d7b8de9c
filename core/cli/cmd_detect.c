/*
 * cmd_detect: `xlate detect [--json] FILE...` — runs the decode stage on each file and reports
 * what it found: binary data (by the rule every command applies), or the encoding, how sure
 * detection was, whether mojibake was undone, and the language the text reads as (langid.h),
 * with --paragraphs that of each paragraph too. Nothing further along the data path runs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "detect.h"
#include "json.h"
#include "langid.h"

static void print_detect_help(FILE *out) {
    fprintf(out,
            "Usage: xlate detect [--json] [--paragraphs] [OPTIONS] FILE...\n"
            "\n"
            "Tell each file's encoding, the confidence of the guess, whether mojibake (UTF-8 once\n"
            "read as cp1251, KOI8-R, cp1252 or Latin-1) was repaired, and the language, a BCP 47\n"
            "tag (some 160 languages; 'unknown' when the text does not tell). Invalid bytes never\n"
            "stop detect: they are counted and reported. A file that\n"
            "holds binary data (a NUL byte outside UTF-16/32 text, or a control character no\n"
            "text has) is reported as binary, with where the first sign of it is.\n"
            "\n"
            "Options:\n"
            "  --json                one JSON array, an object per file: file, binary, encoding,\n"
            "                        confidence, bom, mojibake_rounds, language (null: unknown),\n"
            "                        language_reliable, invalid_bytes, paragraphs (with\n"
            "                        --paragraphs: line, language, reliable);\n"
            "                        for binary data: file, binary (true), reason, offset\n"
            "  --paragraphs          also the language of each paragraph (text between blank\n"
            "                        lines) that has enough letters to tell, with its first line;\n"
            "                        a paragraph in another language than the file's is marked\n"
            "%s"
            "  -h, --help            show this help\n"
            "\n"
            "Exit status: 0 every file was read as text; 1 a file could not be read or is binary\n"
            "data; 2 usage error.\n"
            "\n"
            "Example: xlate detect --json old/*.txt\n",
            xlate_input_settings_help());
}

typedef struct file_report {
    const char *file;
    xlate_binary_check bin;  /* bin.binary: the file is binary data and nothing else was done */
    xlate_decoded d;
    xlate_langid lang;
} file_report;

/* Below this many bytes of letters a paragraph's language is not reported: a heading of two
 * words, a date line, a name say too little. */
#define PARAGRAPH_MIN_LETTER_BYTES 24

/* Calls `fn` with each paragraph of the text — lines between blank lines — and the 1-based line
 * it starts on. */
static void each_paragraph(const char *t, size_t len,
                           void (*fn)(void *data, const char *p, size_t n, size_t line), void *data) {
    size_t i = 0, line = 1, start = 0, start_line = 1;
    int in_para = 0;
    while (i <= len) {
        size_t eol = i;
        while (eol < len && t[eol] != '\n')
            eol++;
        int blank = 1;
        for (size_t k = i; k < eol; k++)
            if (t[k] != ' ' && t[k] != '\t' && t[k] != '\r')
                blank = 0;
        if (!blank && !in_para) {
            in_para = 1;
            start = i;
            start_line = line;
        } else if (blank && in_para) {
            fn(data, t + start, i - start, start_line);
            in_para = 0;
        }
        if (eol >= len)
            break;
        i = eol + 1;
        line++;
    }
    if (in_para)
        fn(data, t + start, len - start, start_line);
}

typedef struct paragraph_out {
    xlate_buf *b;
    const char *doc_lang;
    int json;
    int first;
} paragraph_out;

static void report_paragraph(void *data, const char *p, size_t n, size_t line) {
    paragraph_out *po = data;
    xlate_langid id;
    xlate_langid_identify(p, n, 0, &id);
    if (!id.language[0] || id.text_bytes < PARAGRAPH_MIN_LETTER_BYTES)
        return;
    int other = po->doc_lang[0] && !xlate_langid_same_language(id.language, po->doc_lang);
    if (po->json) {
        xlate_buf_printf(po->b, "%s{\"line\": %zu, \"language\": ", po->first ? "" : ", ", line);
        xlate_json_cstring(po->b, id.language);
        xlate_buf_printf(po->b, ", \"reliable\": %s}", id.reliable ? "true" : "false");
    } else {
        xlate_buf_printf(po->b, "  line %zu: %s%s%s\n", line, id.language,
                         id.reliable ? "" : " (unsure)", other ? " (differs from the file's)" : "");
    }
    po->first = 0;
}

static void report_paragraphs(xlate_buf *b, const file_report *r, int json) {
    paragraph_out po = {b, r->lang.language, json, 1};
    if (json)
        xlate_buf_puts(b, ", \"paragraphs\": [");
    each_paragraph(r->d.text, r->d.len, report_paragraph, &po);
    if (json)
        xlate_buf_puts(b, "]");
}

static void report_text(xlate_buf *b, const file_report *r, int paragraphs) {
    if (r->bin.binary) {
        char sign[96];
        xlate_binary_describe(&r->bin, sign, sizeof sign);
        xlate_buf_printf(b, "%s: binary data (%s), not text\n", r->file, sign);
        return;
    }
    xlate_buf_printf(b, "%s: %s%s, confidence %.2f, language %s, mojibake ", r->file,
                     r->d.encoding, r->d.had_bom ? " (BOM)" : "", r->d.confidence,
                     r->lang.language[0] ? r->lang.language : "unknown");
    if (r->d.repaired)
        xlate_buf_printf(b, "repaired (%d round%s)", r->d.repaired, r->d.repaired > 1 ? "s" : "");
    else
        xlate_buf_puts(b, "none");
    if (r->d.invalid)
        xlate_buf_printf(b, ", %zu invalid byte sequence%s replaced", r->d.invalid,
                         r->d.invalid > 1 ? "s" : "");
    xlate_buf_putc(b, '\n');
    if (paragraphs)
        report_paragraphs(b, r, 0);
}

static void report_json(xlate_buf *b, const file_report *r, int first, int paragraphs) {
    xlate_buf_puts(b, first ? "[\n  {\"file\": " : ",\n  {\"file\": ");
    xlate_json_cstring(b, r->file);
    if (r->bin.binary) {
        char sign[96];
        xlate_binary_describe(&r->bin, sign, sizeof sign);
        xlate_buf_puts(b, ", \"binary\": true, \"reason\": ");
        xlate_json_cstring(b, sign);
        xlate_buf_printf(b, ", \"offset\": %zu}", r->bin.offset);
        return;
    }
    xlate_buf_puts(b, ", \"binary\": false, \"encoding\": ");
    xlate_json_cstring(b, r->d.encoding);
    xlate_buf_printf(b, ", \"confidence\": %.3f, \"bom\": %s, \"mojibake_rounds\": %d, ",
                     r->d.confidence, r->d.had_bom ? "true" : "false", r->d.repaired);
    xlate_buf_puts(b, "\"language\": ");
    xlate_json_cstring(b, r->lang.language[0] ? r->lang.language : NULL);
    xlate_buf_printf(b, ", \"language_reliable\": %s, \"invalid_bytes\": %zu",
                     r->lang.reliable ? "true" : "false", r->d.invalid);
    if (paragraphs)
        report_paragraphs(b, r, 1);
    xlate_buf_putc(b, '}');
}

/* Decodes one file, unless it is binary data; returns 0, or -1 after printing why the file could
 * not be read. */
static int examine(const char *file, const xlate_input_settings *s, file_report *r) {
    xlate_error err = {0};
    char *bytes = NULL;
    size_t len = 0;
    memset(r, 0, sizeof *r);
    r->file = file;
    if (xlate_read_input(file, &bytes, &len, &err) != 0) {
        xlate_cli_report(&err);
        xlate_error_clear(&err);
        return -1;
    }
    if (xlate_detect_binary(bytes, len, s->decode.encoding, &r->bin)) {
        free(bytes);
        return 0;
    }
    xlate_decode_options o = s->decode;
    o.on_invalid = XLATE_INVALID_REPLACE;
    int rc = xlate_decode(bytes, len, &o, file, &r->d, &err);
    free(bytes);
    if (rc != 0) {
        xlate_cli_report(&err);
        xlate_error_clear(&err);
        return -1;
    }
    /* the language of what the reader will get, after any repair; a sample is plenty */
    size_t n = r->d.len < (1u << 18) ? r->d.len : (1u << 18);
    xlate_langid_identify_document(r->d.text, n, &r->lang);
    return 0;
}

int xlate_cmd_detect(int argc, char **argv) {
    static const struct option longopts[] = {{"json", no_argument, NULL, 'j'},
                                              {"paragraphs", no_argument, NULL, 'p'},
                                              {"help", no_argument, NULL, 'h'},
                                              XLATE_INPUT_LONG_OPTIONS,
                                              {0}};
    xlate_input_settings s = XLATE_INPUT_SETTINGS_INIT;
    xlate_error err = {0};
    int json = 0, paragraphs = 0, opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == 'j') {
            json = 1;
        } else if (opt == 'p') {
            paragraphs = 1;
        } else if (opt == 'h') {
            print_detect_help(stdout);
            return XLATE_EXIT_OK;
        } else {
            int applied = opt == '?' ? 0 : xlate_input_settings_apply(&s, opt, optarg, &err);
            if (applied < 0)
                return xlate_cli_fail_clear(&err);
            if (applied == 0) {
                fprintf(stderr, "xlate: detect: unknown option or missing value: %s; see "
                        "'xlate detect --help'\n", argv[optind - 1]);
                return XLATE_EXIT_USAGE;
            }
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "xlate: detect: name at least one FILE ('-' for standard input); see "
                "'xlate detect --help'\n");
        return XLATE_EXIT_USAGE;
    }
    int status = XLATE_EXIT_OK, first = 1;
    xlate_buf b = XLATE_BUF_INIT;
    for (int i = optind; i < argc; i++) {
        file_report r;
        if (examine(argv[i], &s, &r) != 0) {
            status = XLATE_EXIT_FAILED;
            continue;
        }
        if (r.bin.binary)
            status = XLATE_EXIT_FAILED;
        xlate_buf_reset(&b);
        if (json)
            report_json(&b, &r, first, paragraphs);
        else
            report_text(&b, &r, paragraphs);
        first = 0;
        fwrite(b.data, 1, b.len, stdout);
        xlate_decoded_free(&r.d);
    }
    if (json)
        fputs(first ? "[]\n" : "\n]\n", stdout);
    xlate_buf_free(&b);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "xlate detect: cannot write to standard output: %s\n", strerror(errno));
        status = XLATE_EXIT_FAILED;
    }
    return status;
}
