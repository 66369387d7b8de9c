/*
 * qa: the bundled check plugin. After the translators have run it reads each active segment that
 * has a target, runs the checks of qa_check.h on its source, target and glossary terms with the
 * run's languages, and reports each problem with host->segment_warn under the check's code. The
 * checks themselves are plain functions (checks_*.c); this file is the glue: options, instance,
 * batch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qa_check.h"
#include "termmap.h"
#include "xlate/plugin.h"

#define BOOL_OPTION(name, what) {name, XLATE_OPTION_BOOL, "yes", what}

/* One option a check, in qa_code order (but `terms`, the term map; skip=terms turns that check
 * off), then the lists and the length settings. */
static const xlate_option_spec options[] = {
    BOOL_OPTION("numbers", "numbers and dates of the source in the target (locale-aware)"),
    {"terms", XLATE_OPTION_PATH, NULL,
     "a term map (TSV, CSV, TBX) whose forbidden target terms `forbidden` looks for"},
    BOOL_OPTION("forbidden", "no forbidden term of the terms= map in the target"),
    BOOL_OPTION("untranslated", "target equal to a source with words to translate"),
    BOOL_OPTION("empty", "empty or blank target"),
    BOOL_OPTION("whitespace", "the same whitespace at the start and the end"),
    BOOL_OPTION("double-space", "no double space the source does not have"),
    BOOL_OPTION("end-punct", "the same closing punctuation: . ? ! : ; …"),
    BOOL_OPTION("brackets", "brackets balanced ( ) [ ] { }"),
    BOOL_OPTION("quotes", "quotation marks balanced, in the target language's styles"),
    BOOL_OPTION("urls", "the source's URLs in the target"),
    BOOL_OPTION("emails", "the source's e-mail addresses in the target"),
    BOOL_OPTION("placeholders", "the same placeholders: %s %1$s {name} <tag>"),
    BOOL_OPTION("mixed-script", "no word mixing Latin, Cyrillic or Greek letters"),
    BOOL_OPTION("doubled-words", "no word twice in a row"),
    BOOL_OPTION("length", "target length within the pair's norm"),
    {"checks", XLATE_OPTION_STRING, NULL, "run only these checks (names separated by + or \\,)"},
    {"skip", XLATE_OPTION_STRING, NULL, "do not run these checks (names separated by + or \\,)"},
    {"length-ratio", XLATE_OPTION_DOUBLE, NULL,
     "expected target/source characters (default: the pair's measured norm, else 1.0)"},
    {"length-tolerance", XLATE_OPTION_DOUBLE, "2.0",
     "how far (a factor either way) the ratio may stray from it"},
    {"length-min", XLATE_OPTION_INT, "20", "shorter sources (characters) are not length-checked"},
};

static const xlate_lang_pair pairs[] = {{"*", "*"}};

typedef struct qa_instance {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    qa_checker *checker;
    xlate_termmap map;          /* terms=: the map, owned; forbidden points into it */
    qa_forbidden *forbidden;    /* owned array */
    qa_term *terms; /* scratch for one segment's terms */
    size_t terms_cap;
} qa_instance;

/* The checks the options leave on: each bool, then checks= (only these), then skip=. */
static int enabled_checks(const xlate_host *h, xlate_plugin_ctx *ctx, const xlate_options *o,
                          unsigned *mask) {
    *mask = 0;
    for (int k = 0; k < QA_N_CHECKS; k++) {
        int on = 1;
        if (k != QA_TERMS && h->option_bool(o, qa_code_name((qa_code)k), &on) == XLATE_OK && !on)
            continue;
        *mask |= 1u << k;
    }
    static const char *const lists[] = {"checks", "skip"};
    for (size_t l = 0; l < 2; l++) {
        const char *v = h->option(o, lists[l]);
        if (!v)
            continue;
        unsigned named;
        const char *bad;
        size_t bad_len;
        if (qa_codes_parse(v, &named, &bad, &bad_len) != 0) {
            h->set_error(ctx,
                         "%s=%s: '%.*s' is no check; the checks are numbers, terms, forbidden, "
                         "untranslated, empty, whitespace, double-space, end-punct, brackets, "
                         "quotes, urls, emails, placeholders, mixed-script, doubled-words, length",
                         lists[l], v, (int)bad_len, bad);
            return XLATE_EINVAL;
        }
        *mask = l == 0 ? (*mask & named) : (*mask & ~named);
    }
    return XLATE_OK;
}

static int read_config(const xlate_host *h, xlate_plugin_ctx *ctx, const xlate_options *o,
                       qa_config *config) {
    memset(config, 0, sizeof *config);
    int rc = enabled_checks(h, ctx, o, &config->enabled);
    if (rc != XLATE_OK)
        return rc;
    config->length_tolerance = QA_LENGTH_TOLERANCE_DEFAULT;
    config->length_min = QA_LENGTH_MIN_DEFAULT;
    double d;
    if (h->option_double(o, "length-ratio", &d) == XLATE_OK) {
        if (!(d > 0)) {
            h->set_error(ctx, "length-ratio=%g: give a ratio above 0 (e.g. 1.1)", d);
            return XLATE_EINVAL;
        }
        config->length_ratio = d;
    }
    if (h->option_double(o, "length-tolerance", &d) == XLATE_OK) {
        if (!(d > 1.0)) {
            h->set_error(ctx, "length-tolerance=%g: give a factor above 1 (e.g. 2)", d);
            return XLATE_EINVAL;
        }
        config->length_tolerance = d;
    }
    long long n;
    if (h->option_int(o, "length-min", &n) == XLATE_OK) {
        if (n < 0) {
            h->set_error(ctx, "length-min=%lld: give a number of characters, 0 or more", n);
            return XLATE_EINVAL;
        }
        config->length_min = (size_t)n;
    }
    return XLATE_OK;
}

static void qa_destroy(void *instance);

/* terms=FILE: the map's forbidden target terms, each with the term to use instead. */
static int load_forbidden(qa_instance *q, const char *file, qa_config *config) {
    const xlate_host *h = q->host;
    char err[512];
    int rc = xlate_termmap_load(file, h->source_lang(q->ctx), h->target_lang(q->ctx), &q->map, err,
                                sizeof err);
    if (rc != XLATE_OK) {
        h->set_error(q->ctx, "terms=%s: %s", file, err);
        return rc;
    }
    size_t n = 0;
    for (size_t i = 0; i < q->map.count; i++)
        n += q->map.entries[i].n_forbidden;
    if (n && !(q->forbidden = calloc(n, sizeof *q->forbidden))) {
        h->set_error(q->ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    for (size_t i = 0, k = 0; i < q->map.count; i++) {
        const xlate_term_entry *e = &q->map.entries[i];
        for (size_t j = 0; j < e->n_forbidden; j++, k++) {
            q->forbidden[k].term = e->forbidden[j];
            q->forbidden[k].use = e->keep ? e->source : e->target;
        }
    }
    if (!n)
        h->log(q->ctx, XLATE_LOG_WARNING, "terms=%s: the map forbids no term; `forbidden` finds "
                                          "nothing", file);
    config->forbidden = q->forbidden;
    config->n_forbidden = n;
    return XLATE_OK;
}

static int qa_create(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *opts,
                     void **instance) {
    qa_config config;
    int rc = read_config(host, ctx, opts, &config);
    if (rc != XLATE_OK)
        return rc;
    qa_instance *q = calloc(1, sizeof *q);
    if (!q) {
        host->set_error(ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    q->host = host;
    q->ctx = ctx;
    const char *terms = host->option(opts, "terms");
    if (terms && (config.enabled & (1u << QA_FORBIDDEN)) &&
        (rc = load_forbidden(q, terms, &config)) != XLATE_OK) {
        qa_destroy(q);
        return rc;
    }
    if (!(q->checker = qa_checker_new(host->source_lang(ctx), host->target_lang(ctx), &config))) {
        qa_destroy(q);
        host->set_error(ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    *instance = q;
    return XLATE_OK;
}

/* The glossary's terms of segment i as the checks take them; a kept term's target is its source
 * text. Returns the count, or (size_t)-1 when out of memory. */
static size_t segment_terms(qa_instance *q, const xlate_batch *b, size_t i, const char *src,
                            size_t src_len) {
    const xlate_host *h = q->host;
    size_t n = h->segment_term_count(b, i);
    if (n > q->terms_cap) {
        qa_term *t = realloc(q->terms, n * sizeof *t);
        if (!t)
            return (size_t)-1;
        q->terms = t;
        q->terms_cap = n;
    }
    size_t used = 0;
    for (size_t k = 0; k < n; k++) {
        const xlate_term *term = h->segment_term(b, i, k);
        if (!term || term->end > src_len || term->start > term->end)
            continue;
        qa_term *t = &q->terms[used++];
        t->source = src + term->start;
        t->source_len = term->end - term->start;
        if ((term->flags & XLATE_TERM_KEEP) || !term->target) {
            t->target = t->source;
            t->target_len = t->source_len;
        } else {
            t->target = term->target;
            t->target_len = strlen(term->target);
        }
    }
    return used;
}

static int check_segment(qa_instance *q, xlate_batch *b, size_t i) {
    const xlate_host *h = q->host;
    size_t src_len, tgt_len;
    const char *src = h->segment_source(b, i, &src_len);
    const char *tgt = h->segment_target(b, i, &tgt_len);
    if (!src || !tgt)
        return XLATE_OK;
    size_t n_terms = segment_terms(q, b, i, src, src_len);
    qa_findings found;
    if (n_terms == (size_t)-1 ||
        qa_checker_run(q->checker, src, src_len, tgt, tgt_len, q->terms, n_terms, &found) != 0) {
        h->set_error(q->ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    for (size_t k = 0; k < found.n; k++) {
        int rc = h->segment_warn(b, i, qa_code_name(found.items[k].code), found.items[k].message);
        if (rc != XLATE_OK) {
            const char *why = h->last_error(q->ctx);
            h->set_error(q->ctx, "could not warn on segment %zu: %s", h->segment_output_id(b, i),
                         why ? why : "the host gave no reason");
            return rc;
        }
    }
    return XLATE_OK;
}

static int qa_process(void *instance, xlate_batch *batch) {
    qa_instance *q = instance;
    size_t n = q->host->batch_count(batch);
    for (size_t i = 0; i < n; i++) {
        if (!q->host->segment_active(batch, i))
            continue;
        int rc = check_segment(q, batch, i);
        if (rc != XLATE_OK)
            return rc;
    }
    return XLATE_OK;
}

static void qa_destroy(void *instance) {
    qa_instance *q = instance;
    qa_checker_free(q->checker);
    free(q->terms);
    free(q->forbidden);
    xlate_termmap_free(&q->map);
    free(q);
}

static const xlate_plugin descriptor = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "qa",
    .version = "1.0.0",
    .description = "quality checks after translation: numbers, terms, untranslated, punctuation, "
                   "placeholders, scripts, length",
    .kind = XLATE_KIND_CHECK,
    .pairs = pairs,
    .n_pairs = sizeof pairs / sizeof pairs[0],
    .options = options,
    .n_options = sizeof options / sizeof options[0],
    .create = qa_create,
    .process = qa_process,
    .destroy = qa_destroy,
    .enumerate_pairs = NULL,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    /* warnings need ABI 1.2's segment_warn; an older host cannot run a check */
    return XLATE_HOST_HAS(host, document_name) ? &descriptor : NULL;
}
