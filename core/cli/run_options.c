/*
 * run_options: the options `xlate run` and `xlate batch` share — the plugin chain, languages,
 * formats and output — on top of the input options. Turns them into a loaded chain and a
 * pipeline configuration; the subcommands do the rest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "cli.h"
#include "langtag.h"
#include "xlate/number.h"

int xlate_cli_parse_size(const char *text, uint64_t *out) {
    static const struct {
        char unit;
        uint64_t bytes;
    } units[] = {{'k', 1024}, {'K', 1024}, {'m', 1024 * 1024}, {'M', 1024 * 1024},
                 {'g', 1024ull * 1024 * 1024}, {'G', 1024ull * 1024 * 1024}};
    size_t len = text ? strlen(text) : 0;
    uint64_t mult = 1, v;
    if (len && (text[len - 1] == 'B' || text[len - 1] == 'b'))
        len--;
    for (size_t i = 0; len && i < sizeof units / sizeof units[0]; i++) {
        if (text[len - 1] == units[i].unit) {
            mult = units[i].bytes;
            len--;
            break;
        }
    }
    if (xlate_parse_uint(text, len, UINT64_MAX / mult, &v) != XLATE_NUMBER_OK || v == 0)
        return -1;
    *out = v * mult;
    return 0;
}

static int push_arg(const char ***list, size_t *n, const char *arg) {
    const char **l = realloc(*list, (*n + 1) * sizeof *l);
    if (!l)
        return -1;
    l[(*n)++] = arg;
    *list = l;
    return 0;
}

static int apply_doc_format(xlate_run_settings *s, const char *arg, xlate_error *err) {
    int d = strcmp(arg, "doc") == 0      ? XLATE_DOC_OUTPUT_DOC
            : strcmp(arg, "xliff") == 0  ? XLATE_DOC_OUTPUT_XLIFF12
            : strcmp(arg, "xliff2") == 0 ? XLATE_DOC_OUTPUT_XLIFF21
                                         : XLATE_DOC_OUTPUT_NONE;
    if (s->doc_output && s->doc_output != d) {
        xlate_error_set(err, XLATE_EINVAL, "--format %s: give one of doc, xliff and xliff2", arg);
        return -1;
    }
    s->doc_output = d;
    return 1;
}

static int apply_format(xlate_run_settings *s, const char *arg, xlate_error *err) {
    xlate_format f;
    if (strcmp(arg, "doc") == 0 || strcmp(arg, "xliff") == 0 || strcmp(arg, "xliff2") == 0)
        return apply_doc_format(s, arg, err);
    if (xlate_format_parse(arg, &f) != 0) {
        xlate_error_set(err, XLATE_EINVAL,
                        "--format %s: unknown format; use tsv, jsonl, tmx, review, doc, xliff or xliff2", arg);
        return -1;
    }
    for (size_t i = 0; i < s->n_formats; i++)
        if (s->formats[i] == f)
            return 1;
    if (s->n_formats == sizeof s->formats / sizeof s->formats[0])
        return 1;
    s->formats[s->n_formats++] = f;
    return 1;
}

/* The slot gets the tag's canonical form, so that the segmenter, the plugins and the writers all
 * see "en-GB" however the user wrote it. */
static int apply_lang(const char **slot, char **owned, const char *flag, const char *arg,
                      xlate_error *err) {
    char tag[XLATE_LANGTAG_MAX];
    if (xlate_langtag_canonical(arg, tag, sizeof tag, err) != 0) {
        xlate_error_prefix(err, "%s %s", flag, arg);
        return -1;
    }
    char *copy = strdup(tag);
    if (!copy) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    free(*owned);
    *slot = *owned = copy;
    return 1;
}

int xlate_run_settings_review_encoding_conflict(const xlate_run_settings *s) {
    const char *enc = s->input.output_encoding;
    if (!enc || strcasecmp(enc, "utf-8") == 0 || strcasecmp(enc, "utf8") == 0)
        return 0;
    for (size_t i = 0; i < s->n_formats; i++)
        if (s->formats[i] == XLATE_FORMAT_REVIEW)
            return 1;
    return 0;
}

int xlate_run_settings_apply(xlate_run_settings *s, int opt, const char *arg, xlate_error *err) {
    switch (opt) {
    case XLATE_OPT_PLUGIN:
        return push_arg(&s->plugins, &s->n_plugins, arg) == 0 ? 1 : -1;
    case XLATE_OPT_PLUGIN_PATH:
        return push_arg(&s->plugin_dirs, &s->n_plugin_dirs, arg) == 0 ? 1 : -1;
    case XLATE_OPT_FROM:
        s->auto_source = strcmp(arg, "auto") == 0;
        if (s->auto_source) {
            s->source_lang = "auto";
            return 1;
        }
        return apply_lang(&s->source_lang, &s->owned_tags[0], "--from", arg, err);
    case XLATE_OPT_TO:
        return apply_lang(&s->target_lang, &s->owned_tags[1], "--to", arg, err);
    case XLATE_OPT_FORMAT:
        return apply_format(s, arg, err);
    case XLATE_OPT_MAX_DOC_SIZE:
        if (xlate_cli_parse_size(arg, &s->max_doc_size) != 0) {
            xlate_error_set(err, XLATE_EINVAL,
                            "--max-doc-size %s: give a whole number of bytes from 1, or of K, "
                            "M or G (100M); no sign, spaces or fractions",
                            arg);
            return -1;
        }
        return 1;
    case XLATE_OPT_SRX:
        s->srx_path = arg;
        return 1;
    case XLATE_OPT_ISOLATE:
        s->isolate = 1;
        return 1;
    case XLATE_OPT_PLUGIN_TIMEOUT:
        return xlate_cli_parse_timeout("--plugin-timeout", arg, &s->plugin_timeout, err) == 0 ? 1 : -1;
    case XLATE_OPT_INPUT_FORMAT:
        if (strcmp(arg, "auto") != 0 && !xlate_format_by_name(arg)) {
            xlate_buf names = XLATE_BUF_INIT;
            for (const xlate_format_module *const *m = xlate_format_modules(); *m; m++)
                xlate_buf_printf(&names, "%s, ", (*m)->name);
            xlate_error_set(err, XLATE_EINVAL, "--input-format %s: unknown format; use auto, %s"
                            "(see 'xlate formats')", arg, names.data ? names.data : "");
            xlate_buf_free(&names);
            return -1;
        }
        s->input_format = strcmp(arg, "auto") == 0 ? NULL : arg;
        return 1;
    case XLATE_OPT_RETRANSLATE:
        s->retranslate = 1;
        return 1;
    case XLATE_OPT_DRY_RUN:
        s->dry_run = 1;
        return 1;
    case XLATE_OPT_BATCH_SIZE: {
        uint64_t n;
        if (xlate_parse_uint(arg, strlen(arg), XLATE_BATCH_SIZE_MAX, &n) != XLATE_NUMBER_OK ||
            n == 0) {
            xlate_error_set(err, XLATE_EINVAL,
                            "--batch-size %s: give the segments a plugin gets a call, 1 to %d, in "
                            "digits (the default is 64)", arg, XLATE_BATCH_SIZE_MAX);
            return -1;
        }
        s->batch_size = (size_t)n;
        return 1;
    }
    case 'o':
        s->output = arg;
        return 1;
    default:
        return xlate_input_settings_apply(&s->input, opt, arg, err);
    }
}

const char *xlate_run_settings_help(void) {
    return "  --plugin NAME[:KEY=VALUE,...]  add a plugin to the chain (repeat for a chain, in order);\n"
           "                        NAME may be a file: --plugin ./my.so; '\\,' escapes a comma\n"
           "  --plugin-path DIR     look for plugins in DIR first (repeatable; also XLATE_PLUGIN_PATH)\n"
           "  --from LANG           source language, a BCP 47 tag: uk (default), en-GB, sr-Latn;\n"
           "                        auto: each document's own, identified from its text (run)\n"
           "  --to LANG             target language, a BCP 47 tag (default en)\n"
           "  --format FMT          tsv (default), jsonl or tmx: aligned records; review: an HTML\n"
           "                        page for people, source beside target; doc: each document in\n"
           "                        its own format, translated; xliff, xliff2: XLIFF 1.2 / 2.1\n"
           "  --srx FILE            segmentation rules (SRX 2.0) instead of the built-in ones\n"
           "  --max-doc-size SIZE   refuse a document larger than SIZE bytes (default 100M; K, M,\n"
           "                        G); a document takes up to about 3x its size in memory\n"
           "  --isolate             run each plugin in a child process: a plugin that crashes or\n"
           "                        hangs fails only the segments it cannot get through (each\n"
           "                        marked, with the signal) and is started again for the rest;\n"
           "                        for one plugin: --plugin NAME:isolate=yes (or =no)\n"
           "  --plugin-timeout SECONDS  kill an isolated plugin that has not answered a batch\n"
           "                        after SECONDS (default 120; 0: no limit), as if it crashed\n"
           "  --dry-run             run the chain, but plugins that translate over the network\n"
           "                        send nothing: print the requests and characters they would\n"
           "                        send per service; no output is written\n"
           "  --batch-size N        segments each plugin gets a call (default 64): a network\n"
           "                        translator sends a call's segments in as few requests as its\n"
           "                        service allows, so raise it for a service that takes more\n"
           "                        texts a request (Google 128, Microsoft 1000)\n";
}

/* A plugin that fails many segments at once is said on stderr as it happens. */
static void print_pipeline_message(void *data, const char *message) {
    (void)data;
    fprintf(stderr, "xlate: %s\n", message);
}

int xlate_run_settings_prepare(xlate_run_settings *s, xlate_plugin_search *search,
                               xlate_chain **chain, xlate_pipeline_config *cfg, xlate_error *err) {
    if (xlate_cli_plugin_search_init(search, s->plugin_dirs, s->n_plugin_dirs) != 0) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    /* --from auto: the translators' pairs are checked once each document's language is known */
    const char *from = s->auto_source ? NULL : s->source_lang;
    if (xlate_chain_load(search, s->plugins, s->n_plugins, from, s->target_lang, chain, err) != 0) {
        xlate_plugin_search_free(search);
        return -1;
    }
    memset(cfg, 0, sizeof *cfg);
    cfg->decode = s->input.decode;
    cfg->normalize = s->input.normalize;
    cfg->source_lang = from;
    cfg->identified_lang = s->auto_source;
    cfg->target_lang = s->target_lang;
    cfg->srx_path = s->srx_path;
    cfg->on_message = print_pipeline_message;
    cfg->log = xlate_cli_log_sink();
    /* Isolated plugins run in a child of this very program; without its path they cannot. */
    if (!s->program)
        s->program = xlate_cli_program_path();
    cfg->isolate = s->isolate;
    cfg->isolation.program = s->program;
    cfg->isolation.timeout = s->plugin_timeout;
    cfg->batch_size = s->batch_size;
    if (!s->usage && xlate_usage_new(&s->usage) != 0) {
        xlate_chain_free(*chain);
        *chain = NULL;
        xlate_plugin_search_free(search);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    cfg->usage = s->usage;
    cfg->dry_run = s->dry_run;
    xlate_chain_warn_pairs(*chain, 0, from, s->target_lang, &cfg->log);
    return 0;
}

/* Without a translator the output looks like a translation run's and is not one; what the
 * targets are then is said before the first document. The bundled glossary sets a segment's
 * target to its source with the terms in place; the host itself sets none. */
void xlate_run_settings_note_targets(const xlate_chain *chain) {
    int glossary = 0;
    for (size_t i = 0; i < xlate_chain_length(chain); i++) {
        const xlate_plugin *d = xlate_chain_descriptor(chain, i);
        if (d->kind == XLATE_KIND_TRANSLATOR)
            return;
        glossary |= d->kind == XLATE_KIND_GLOSSARY && strcmp(d->name, "glossary") == 0;
    }
    fprintf(stderr, "xlate: no translator in the chain: %s; add --plugin apertium, http, llm or "
            "exec to translate\n",
            glossary ? "the targets are the sources with the glossary's terms in place"
            : xlate_chain_length(chain) ? "the targets are empty (JSONL null, no target in TMX) "
                                          "unless a plugin of the chain sets them"
                                        : "the targets are empty (JSONL null, no target in TMX)");
}

void xlate_run_settings_report_usage(const xlate_run_settings *s, const char *what_not_written) {
    xlate_buf table = XLATE_BUF_INIT;
    int counted = xlate_usage_count(s->usage) > 0;
    if (!counted && !s->dry_run)
        return;
    if (xlate_usage_table(s->usage, "  ", &table) != 0)
        xlate_buf_free(&table);
    if (s->dry_run && counted)
        fprintf(stderr, "xlate: dry run: nothing was sent; the run would send, per service:\n%s",
                table.data ? table.data : "  (out of memory)\n");
    else if (s->dry_run)
        fprintf(stderr, "xlate: dry run: no plugin of the chain sends text over the network; "
                        "nothing would be sent\n");
    else
        fprintf(stderr, "xlate: sent to network services:\n%s",
                table.data ? table.data : "  (out of memory)\n");
    if (s->dry_run)
        fprintf(stderr, "xlate: dry run: %s was not written\n", what_not_written);
    xlate_buf_free(&table);
}

const char *xlate_doc_settings_help(void) {
    return "  --input-format FMT    auto (default: by extension, then by content), text, or a module\n"
           "                        'xlate formats' lists (html, xliff, po, md)\n"
           "  --retranslate         translate again the targets a document holds as done\n";
}

void xlate_run_settings_free(xlate_run_settings *s) {
    free(s->plugins);
    free(s->plugin_dirs);
    free(s->owned_tags[0]);
    free(s->owned_tags[1]);
    free(s->program);
    s->program = NULL;
    xlate_usage_free(s->usage);
    s->usage = NULL;
    s->plugins = s->plugin_dirs = NULL;
    s->owned_tags[0] = s->owned_tags[1] = NULL;
    s->n_plugins = s->n_plugin_dirs = 0;
}
