/*
 * glossary: the plugin entry and descriptor of the glossary plugin — a chain stage between
 * segmentation and the writers. For each active segment it finds the term map's terms in the
 * source (inflected Ukrainian forms included, through termmap → lemmatizer → matcher), records
 * each as a term span, and, when no earlier plugin set a target, sets the target to the source
 * with each span replaced by its target term.
 *
 * Everything lives in the instance (map, hunspell handle, caches): the host makes one instance
 * per worker thread and hunspell handles are not thread-safe.
 */
#include "langcode.h"
#include "lemmatizer.h"
#include "matcher.h"
#include "termmap.h"

#include <xlate/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The default term map, embedded at build time by scripts/embed.py, and its hash. */
#include "oboz_uk_en_map.h"
extern const char xlate_glossary_default_map[];
extern const unsigned long xlate_glossary_default_map_len;

#define DEFAULT_MAP_NAME "oboz-uk-en.tsv (built in)"
#define DEFAULT_DICT "/usr/share/hunspell/uk_UA"

typedef struct glossary {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    xlate_termmap map;
    xlate_lemmatizer *lem;
    xlate_matcher *matcher;
    char *scratch; /* the target being built, or a kept term's text */
    size_t scratch_cap;
    xlate_byte_range *recorded; /* spans of earlier plugins on the current segment */
    size_t recorded_cap;
} glossary;

/* uk→en is the built-in map's pair; with file= it serves whatever pair the map is for. */
static const xlate_lang_pair glossary_pairs[] = {{"uk", "en"}, {"*", "*"}};

static const xlate_option_spec glossary_options[] = {
    {"file", XLATE_OPTION_PATH, NULL,
     "term map (TSV: source, target[, note, case, keep]); default: the built-in OBOZ.UA uk-en map"},
    {"dict", XLATE_OPTION_PATH, DEFAULT_DICT,
     "hunspell dictionary, without .aff/.dic, used to match inflected forms; what a term map "
     "needs of it is cached in $XDG_CACHE_HOME/xlate (XLATE_CACHE_DIR=DIR, or off)"},
    {"stem", XLATE_OPTION_BOOL, "on",
     "on: match inflected forms through the dictionary's stems; off: written forms only (still "
     "case-insensitive), no dictionary loaded"},
};

static void glossary_destroy(void *instance) {
    glossary *g = instance;
    if (g->lem) {
        size_t hits, misses;
        xlate_lemmatizer_stats(g->lem, &hits, &misses);
        g->host->log(g->ctx, XLATE_LOG_DEBUG, "stem cache: %zu hits, %zu lookups", hits, misses);
    }
    xlate_matcher_free(g->matcher);
    xlate_lemmatizer_close(g->lem);
    xlate_termmap_free(&g->map);
    free(g->scratch);
    free(g->recorded);
    free(g);
}

static int load_map(glossary *g, const char *file, char *err, size_t err_size) {
    if (file && *file)
        return xlate_termmap_load(file, &g->map, err, err_size);
    return xlate_termmap_parse(xlate_glossary_default_map, xlate_glossary_default_map_len,
                               DEFAULT_MAP_NAME, &g->map, err, err_size);
}

/* A map made for other languages finds nothing, or puts words of the wrong language into the
 * target, and the run would still say "ok": the user hears of it before the first document. The
 * host says a warning from create() once, however many workers start an instance. */
static void warn_if_map_is_for_other_languages(const glossary *g) {
    const xlate_termmap *m = &g->map;
    const char *from = g->host->source_lang(g->ctx), *to = g->host->target_lang(g->ctx);
    if (!m->source_lang[0] ||
        (xlate_lang_tags_agree(m->source_lang, from) && xlate_lang_tags_agree(m->target_lang, to)))
        return;
    char said_by[64];
    if (m->languages_line)
        snprintf(said_by, sizeof said_by, "its line %u", m->languages_line);
    else
        snprintf(said_by, sizeof said_by, "by its file name");
    g->host->log(g->ctx, XLATE_LOG_WARNING,
                 "the term map %s is for %s\u2192%s (%s), but this run is %s\u2192%s: its terms "
                 "will not be found or will put words of another language into the target; give "
                 "--from/--to or file= to match", m->name, m->source_lang, m->target_lang, said_by,
                 from, to);
}

/* The words of the map's terms, for the lemmatizer to load only the dictionary entries that
 * can matter for them; the pointers point into the map. */
typedef struct term_words {
    const char **words;
    size_t *lens;
    size_t n, cap;
} term_words;

static int add_term_word(void *arg, const char *word, size_t len) {
    term_words *tw = arg;
    if (tw->n == tw->cap) {
        size_t cap = tw->cap ? tw->cap * 2 : 256;
        const char **w = realloc(tw->words, cap * sizeof *w);
        if (w)
            tw->words = w;
        size_t *l = realloc(tw->lens, cap * sizeof *l);
        if (l)
            tw->lens = l;
        if (!w || !l)
            return XLATE_ENOMEM;
        tw->cap = cap;
    }
    tw->words[tw->n] = word;
    tw->lens[tw->n++] = len;
    return 0;
}

static int open_lemmatizer(glossary *g, const char *dict, int stem, char *err, size_t err_size) {
    term_words tw = {0};
    int rc = xlate_matcher_term_words(&g->map, add_term_word, &tw);
    if (rc == 0)
        rc = xlate_lemmatizer_open_for(dict, stem, tw.words, tw.lens, tw.n, &g->lem, err,
                                       err_size);
    else
        snprintf(err, err_size, "out of memory listing the words of the term map");
    free(tw.words);
    free(tw.lens);
    return rc;
}

static int glossary_create(const xlate_host *host, xlate_plugin_ctx *ctx,
                           const xlate_options *options, void **instance) {
    glossary *g = calloc(1, sizeof *g);
    if (!g) {
        host->set_error(ctx, "out of memory creating the glossary");
        return XLATE_ENOMEM;
    }
    g->host = host;
    g->ctx = ctx;
    const char *dict = host->option(options, "dict");
    int stem = 1;
    host->option_bool(options, "stem", &stem);
    char err[1024] = "";
    int rc = load_map(g, host->option(options, "file"), err, sizeof err);
    if (rc == XLATE_OK)
        warn_if_map_is_for_other_languages(g);
    if (rc == XLATE_OK)
        rc = open_lemmatizer(g, dict && *dict ? dict : DEFAULT_DICT, stem, err, sizeof err);
    if (rc == XLATE_OK)
        rc = xlate_matcher_build(&g->map, g->lem, &g->matcher, err, sizeof err);
    if (rc == XLATE_OK && (rc = xlate_lemmatizer_focus(g->lem, xlate_matcher_has_key,
                                                       g->matcher)) != XLATE_OK)
        snprintf(err, sizeof err, "out of memory indexing the dictionary for the term map");
    if (rc != XLATE_OK) {
        host->set_error(ctx, "%s", err);
        glossary_destroy(g);
        return rc;
    }
    host->log(ctx, XLATE_LOG_DEBUG, "dictionary: %s", xlate_lemmatizer_origin(g->lem));
    *instance = g;
    return XLATE_OK;
}

static int reserve_scratch(glossary *g, size_t need) {
    if (need <= g->scratch_cap)
        return 0;
    size_t cap = g->scratch_cap ? g->scratch_cap : 1024;
    while (cap < need)
        cap *= 2;
    char *p = realloc(g->scratch, cap);
    if (!p)
        return -1;
    g->scratch = p;
    g->scratch_cap = cap;
    return 0;
}

/* The spans earlier plugins recorded on segment i, which this one must not overlap. */
static int collect_recorded_spans(glossary *g, const xlate_batch *batch, size_t i, size_t *n) {
    *n = g->host->segment_term_count(batch, i);
    if (*n > g->recorded_cap) {
        xlate_byte_range *r = realloc(g->recorded, *n * sizeof *r);
        if (!r)
            return XLATE_ENOMEM;
        g->recorded = r;
        g->recorded_cap = *n;
    }
    for (size_t k = 0; k < *n; k++) {
        const xlate_term *t = g->host->segment_term(batch, i, k);
        g->recorded[k] = (xlate_byte_range){t->start, t->end};
    }
    return XLATE_OK;
}

static int record_match(glossary *g, xlate_batch *batch, size_t i, const char *src,
                        const xlate_match *mt) {
    const xlate_term_entry *e = &g->map.entries[mt->entry];
    xlate_term term = {mt->start, mt->end, e->target, e->note, 0};
    if (e->keep) {
        /* A kept term reads as the text has it, inflection included. */
        size_t n = mt->end - mt->start;
        if (reserve_scratch(g, n + 1) != 0)
            return XLATE_ENOMEM;
        memcpy(g->scratch, src + mt->start, n);
        g->scratch[n] = '\0';
        term.target = g->scratch;
        term.flags = XLATE_TERM_KEEP;
    }
    return g->host->segment_add_term(batch, i, &term);
}

static int append(glossary *g, size_t *len, const char *s, size_t n) {
    if (reserve_scratch(g, *len + n + 1) != 0)
        return -1;
    memcpy(g->scratch + *len, s, n);
    *len += n;
    return 0;
}

/* The source with every recorded span replaced by its target term. */
static int set_target_from_spans(glossary *g, xlate_batch *batch, size_t i, const char *src,
                                 size_t src_len) {
    size_t n = g->host->segment_term_count(batch, i), len = 0, at = 0;
    for (size_t k = 0; k < n; k++) {
        const xlate_term *t = g->host->segment_term(batch, i, k);
        if (append(g, &len, src + at, t->start - at) != 0 ||
            append(g, &len, t->target, strlen(t->target)) != 0)
            return XLATE_ENOMEM;
        at = t->end;
    }
    if (append(g, &len, src + at, src_len - at) != 0)
        return XLATE_ENOMEM;
    return g->host->segment_set_target(batch, i, g->scratch, len);
}

static int process_segment(glossary *g, xlate_batch *batch, size_t i) {
    size_t src_len, n_matches;
    const char *src = g->host->segment_source(batch, i, &src_len);
    const xlate_match *matches;
    size_t n_recorded;
    if (collect_recorded_spans(g, batch, i, &n_recorded) != XLATE_OK ||
        xlate_matcher_find(g->matcher, src, src_len, g->recorded, n_recorded, &matches,
                           &n_matches) != XLATE_OK)
        return XLATE_ENOMEM;
    for (size_t k = 0; k < n_matches; k++) {
        int rc = record_match(g, batch, i, src, &matches[k]);
        if (rc != XLATE_OK)
            return rc;
    }
    /* The target is the source with the terms in place — the source itself when no term
     * matched, so every segment of a glossary run has a target. A target an earlier plugin set
     * is left alone. */
    size_t target_len;
    if (g->host->segment_target(batch, i, &target_len) != NULL)
        return XLATE_OK;
    return set_target_from_spans(g, batch, i, src, src_len);
}

static int glossary_process(void *instance, xlate_batch *batch) {
    glossary *g = instance;
    size_t n = g->host->batch_count(batch);
    for (size_t i = 0; i < n; i++) {
        if (!g->host->segment_active(batch, i))
            continue;
        int rc = process_segment(g, batch, i);
        if (rc == XLATE_ENOMEM) {
            g->host->set_error(g->ctx, "out of memory matching terms in segment %zu", i);
            return XLATE_ERROR;
        }
        if (rc != XLATE_OK)
            g->host->segment_fail(batch, i, "the glossary could not record a term span");
    }
    return XLATE_OK;
}

static const xlate_plugin glossary_plugin = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "glossary",
    /* The built-in map is part of what the plugin does: its hash is in the version. */
    .version = "1.0.0+map." XLATE_GLOSSARY_DEFAULT_MAP_SHA256,
    .description = "finds term-map terms, inflected Ukrainian forms included (hunspell), and "
                   "marks them with their target terms",
    .kind = XLATE_KIND_GLOSSARY,
    .pairs = glossary_pairs,
    .n_pairs = sizeof glossary_pairs / sizeof glossary_pairs[0],
    .options = glossary_options,
    .n_options = sizeof glossary_options / sizeof glossary_options[0],
    .create = glossary_create,
    .process = glossary_process,
    .destroy = glossary_destroy,
    .enumerate_pairs = NULL,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    if (!host || XLATE_ABI_VERSION_MAJOR(host->abi_version) != XLATE_ABI_MAJOR)
        return NULL;
    return &glossary_plugin;
}
