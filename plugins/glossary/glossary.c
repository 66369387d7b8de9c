/*
 * glossary: the plugin entry and descriptor of the glossary plugin — a chain stage between
 * segmentation and the writers. For each active segment it finds the term map's terms in the
 * source (inflected forms included, through termmap → dictpath/lemmatizer → matcher), records
 * each as a term span, and, when no earlier plugin set a target, sets the target to the source
 * with each span replaced by its target term.
 *
 * The term map, the words of its terms and the dictionary chosen for them are loaded once per
 * run (load, ABI 1.5) and read by every worker's instance; the rest lives in the instance
 * (hunspell handle, stem cache, matcher with its scratch): the host makes one instance per
 * worker thread and hunspell handles are not thread-safe.
 */
#include "casefold.h"
#include "dictpath.h"
#include "langcode.h"
#include "lemmatizer.h"
#include "matcher.h"
#include "placeholder.h"
#include "termmap.h"

#include <xlate/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* The default term map, embedded at build time by scripts/embed.py, and its hash. */
#include "oboz_uk_en_map.h"
extern const char xlate_glossary_default_map[];
extern const unsigned long xlate_glossary_default_map_len;

#define DEFAULT_MAP_NAME "oboz-uk-en.tsv (built in)"

/* What load() makes once for every instance; read-only once made. */
typedef struct glossary_shared {
    xlate_termmap map;
    const char **words; /* the words of the map's terms (pointing into the map) */
    size_t *lens;
    size_t n_words, cap_words;
    int stem;            /* match through a dictionary's stems */
    char dict[4096];     /* that dictionary, without .aff/.dic ("" when stem is 0) */
} glossary_shared;

typedef struct glossary {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    const glossary_shared *shared; /* the run's (plugin_shared), or own_shared */
    glossary_shared *own_shared;   /* loaded by this instance: a host older than ABI 1.5 */
    const xlate_termmap *map;      /* &shared->map */
    xlate_lemmatizer *lem;
    xlate_matcher *matcher;
    char *scratch; /* the target being built, or a kept term's text */
    size_t scratch_cap;
    char dict_path[4096]; /* the hunspell dictionary used, for the debug log */
    char *cased; /* a target term with the capital of a sentence's start */
    size_t cased_cap;
    xlate_byte_range *recorded; /* spans of earlier plugins on the current segment */
    size_t recorded_cap;
} glossary;

/* The built-in map is uk→en; a map of one's own (file=) serves any pair, its terms matched
 * inflected through the hunspell dictionary of --from. */
static const xlate_lang_pair glossary_pairs[] = {{"uk", "en"}, {"*", "*"}};

static const xlate_option_spec glossary_options[] = {
    {"file", XLATE_OPTION_PATH, NULL,
     "term map: TSV or CSV (source, target[, note, case, keep, forbidden]) or TBX; default: the "
     "built-in OBOZ.UA uk-en map"},
    {"dict", XLATE_OPTION_PATH, NULL,
     "hunspell dictionary, without .aff/.dic, used to match inflected forms; default: the one "
     "for --from in $DICPATH or /usr/share/hunspell; what a term map needs of it is cached in "
     "$XDG_CACHE_HOME/xlate (XLATE_CACHE_DIR=DIR, or off)"},
    {"stem", XLATE_OPTION_BOOL, "on",
     "on: match inflected forms through the dictionary's stems; off: written forms only (still "
     "case-insensitive), no dictionary loaded"},
};

static void glossary_unload(void *shared) {
    glossary_shared *gs = shared;
    if (!gs)
        return;
    xlate_termmap_free(&gs->map);
    free(gs->words);
    free(gs->lens);
    free(gs);
}

static void glossary_destroy(void *instance) {
    glossary *g = instance;
    if (g->lem) {
        size_t hits, misses;
        xlate_lemmatizer_stats(g->lem, &hits, &misses);
        g->host->log(g->ctx, XLATE_LOG_DEBUG, "stem cache: %zu hits, %zu lookups", hits, misses);
    }
    xlate_matcher_free(g->matcher);
    xlate_lemmatizer_close(g->lem);
    glossary_unload(g->own_shared);
    free(g->scratch);
    free(g->cased);
    free(g->recorded);
    free(g);
}

static int load_map(const xlate_host *host, xlate_plugin_ctx *ctx, xlate_termmap *map,
                    const char *file, char *err, size_t err_size) {
    if (file && *file)
        return xlate_termmap_load(file, host->source_lang(ctx), host->target_lang(ctx), map, err,
                                  err_size);
    return xlate_termmap_parse(xlate_glossary_default_map, xlate_glossary_default_map_len,
                               DEFAULT_MAP_NAME, map, err, err_size);
}

/* A map made for other languages finds nothing, or puts words of the wrong language into the
 * target, and the run would still say "ok": the user hears of it before the first document. The
 * host says a warning from create() once, however many workers start an instance. */
static void warn_if_map_is_for_other_languages(const xlate_host *host, xlate_plugin_ctx *ctx,
                                               const xlate_termmap *m) {
    if (m->skipped)
        host->log(ctx, XLATE_LOG_WARNING,
                     "%zu term entr%s of %s (the first on line %u) %s no term in %s or no "
                     "preferred or admitted term in %s; %s not used", m->skipped,
                     m->skipped == 1 ? "y" : "ies", m->name, m->first_skipped_line,
                     m->skipped == 1 ? "has" : "have", m->source_lang, m->target_lang,
                     m->skipped == 1 ? "it is" : "they are");
    const char *from = host->source_lang(ctx), *to = host->target_lang(ctx);
    if (!m->source_lang[0] ||
        (xlate_lang_tags_agree(m->source_lang, from) && xlate_lang_tags_agree(m->target_lang, to)))
        return;
    char said_by[64];
    if (m->languages_line)
        snprintf(said_by, sizeof said_by, "its line %u", m->languages_line);
    else
        snprintf(said_by, sizeof said_by, "by its file name");
    host->log(ctx, XLATE_LOG_WARNING,
                 "the term map %s is for %s\u2192%s (%s), but this run is %s\u2192%s: its terms "
                 "will not be found or will put words of another language into the target; give "
                 "--from/--to or file= to match", m->name, m->source_lang, m->target_lang, said_by,
                 from, to);
}

/* The words of the map's terms, for the lemmatizer to load only the dictionary entries that
 * can matter for them; the pointers point into the map. */
static int add_term_word(void *arg, const char *word, size_t len) {
    glossary_shared *gs = arg;
    if (gs->n_words == gs->cap_words) {
        size_t cap = gs->cap_words ? gs->cap_words * 2 : 256;
        const char **w = realloc(gs->words, cap * sizeof *w);
        if (w)
            gs->words = w;
        size_t *l = realloc(gs->lens, cap * sizeof *l);
        if (l)
            gs->lens = l;
        if (!w || !l)
            return XLATE_ENOMEM;
        gs->cap_words = cap;
    }
    gs->words[gs->n_words] = word;
    gs->lens[gs->n_words++] = len;
    return 0;
}

/* The dictionary of the run's source language, found among the installed ones, into gs->dict;
 * stems off, with a warning, when the language has none. */
static void find_dictionary(const xlate_host *host, xlate_plugin_ctx *ctx, glossary_shared *gs) {
    const char *lang = host->source_lang(ctx), *env = getenv("DICPATH");
    /* a map for en-GB in an en run: its variety decides the dictionary */
    const char *map_lang = gs->map.source_lang;
    if (map_lang[0] && !strchr(lang, '-') && strchr(map_lang, '-') &&
        xlate_lang_tags_agree(map_lang, lang))
        lang = map_lang;
    char dirs[4096];
    snprintf(dirs, sizeof dirs, "%s%s%s", env && *env ? env : "", env && *env ? ":" : "",
             XLATE_DICTPATH_DEFAULT);
    if (xlate_dictpath_find(lang, dirs, gs->words, gs->lens, gs->n_words, gs->dict,
                            sizeof gs->dict) == XLATE_OK)
        return;
    gs->stem = 0;
    gs->dict[0] = '\0';
    host->log(ctx, XLATE_LOG_WARNING,
              "no hunspell dictionary for %s in %s: terms match as written (any case), not "
              "inflected; install one (Debian: hunspell-%.*s) or give dict=PATH", lang, dirs,
              (int)strcspn(lang, "-"), lang);
}

/* The term map, its terms' words and the dictionary for them: what every instance of a run
 * reads the same. */
static int glossary_load(const xlate_host *host, xlate_plugin_ctx *ctx,
                         const xlate_options *options, void **shared) {
    glossary_shared *gs = calloc(1, sizeof *gs);
    char err[1024] = "";
    if (!gs) {
        host->set_error(ctx, "out of memory loading the glossary");
        return XLATE_ENOMEM;
    }
    const char *dict = host->option(options, "dict");
    gs->stem = 1;
    host->option_bool(options, "stem", &gs->stem);
    int rc = load_map(host, ctx, &gs->map, host->option(options, "file"), err, sizeof err);
    if (rc == XLATE_OK) {
        warn_if_map_is_for_other_languages(host, ctx, &gs->map);
        if ((rc = xlate_matcher_term_words(&gs->map, add_term_word, gs)) != XLATE_OK)
            snprintf(err, sizeof err, "out of memory listing the words of the term map");
    }
    if (rc != XLATE_OK) {
        host->set_error(ctx, "%s", err);
        glossary_unload(gs);
        return rc;
    }
    if (gs->stem && dict && *dict)
        snprintf(gs->dict, sizeof gs->dict, "%s", dict);
    else if (gs->stem)
        find_dictionary(host, ctx, gs);
    *shared = gs;
    return XLATE_OK;
}

static int open_lemmatizer(glossary *g, char *err, size_t err_size) {
    const glossary_shared *gs = g->shared;
    int rc = xlate_lemmatizer_open_for(gs->stem ? gs->dict : NULL, gs->stem, gs->words, gs->lens,
                                       gs->n_words, &g->lem, err, err_size);
    if (rc == 0) {
        xlate_lemmatizer_set_language(g->lem, g->host->source_lang(g->ctx));
        snprintf(g->dict_path, sizeof g->dict_path, "%s", gs->stem ? gs->dict : "no dictionary");
    }
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
    g->shared = XLATE_HOST_HAS(host, plugin_shared) ? host->plugin_shared(ctx) : NULL;
    if (!g->shared) {
        /* A host older than ABI 1.5 does not call load: the instance loads for itself. */
        void *own = NULL;
        int rc = glossary_load(host, ctx, options, &own);
        if (rc != XLATE_OK) {
            glossary_destroy(g);
            return rc;
        }
        g->shared = g->own_shared = own;
    }
    g->map = &g->shared->map;
    char err[1024] = "";
    int rc = open_lemmatizer(g, err, sizeof err);
    if (rc == XLATE_OK)
        rc = xlate_matcher_build(g->map, g->lem, &g->matcher, err, sizeof err);
    if (rc == XLATE_OK && (rc = xlate_lemmatizer_focus(g->lem, xlate_matcher_has_key,
                                                       g->matcher)) != XLATE_OK)
        snprintf(err, sizeof err, "out of memory indexing the dictionary for the term map");
    if (rc != XLATE_OK) {
        host->set_error(ctx, "%s", err);
        glossary_destroy(g);
        return rc;
    }
    host->log(ctx, XLATE_LOG_DEBUG, "dictionary: %s", xlate_lemmatizer_origin(g->lem));
    host->log(ctx, XLATE_LOG_DEBUG, "dictionary file: %s", g->dict_path);
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

/* Whether the span at byte `at` begins a sentence of the source: nothing but spaces, quotes,
 * brackets and dashes before it, back to the segment's start or to a sentence's end (. ! ? …). */
static int starts_sentence(const char *src, size_t at) {
    while (at > 0) {
        int32_t i = (int32_t)at;
        UChar32 c;
        U8_PREV(src, 0, i, c);
        if (c == '.' || c == '!' || c == '?' || c == 0x2026)
            return 1;
        if (c < 0 || !(u_isUWhiteSpace(c) || u_hasBinaryProperty(c, UCHAR_QUOTATION_MARK) ||
                       u_charType(c) == U_START_PUNCTUATION || u_charType(c) == U_DASH_PUNCTUATION))
            return 0;
        at = (size_t)i;
    }
    return 1;
}

/* At a sentence's start a term written with a capital there ("Ground troops will...") gets its
 * target with a capital too ("Tropas terrestres"); the map writes it as inside a sentence. The
 * target with its first letter made upper case goes to g->cased; NULL when it needs no change. */
static const char *sentence_cased_target(glossary *g, const char *src, const xlate_match *mt,
                                         const char *target) {
    int32_t i = (int32_t)mt->start, t = 0, len = (int32_t)strlen(target);
    UChar32 first, c;
    U8_NEXT(src, i, (int32_t)mt->end, first);
    U8_NEXT(target, t, len, c);
    if (first < 0 || c < 0 || !u_isupper(first) || !u_islower(c) || !starts_sentence(src, mt->start))
        return NULL;
    UChar32 upper = u_totitle(c);
    char head[U8_MAX_LENGTH];
    int32_t n = 0;
    UBool error = 0;
    U8_APPEND(head, n, (int32_t)sizeof head, upper, error);
    if (error || xlate_grow_bytes(&g->cased, &g->cased_cap, (size_t)(n + len - t) + 1) != 0)
        return NULL;
    memcpy(g->cased, head, (size_t)n);
    memcpy(g->cased + n, target + t, (size_t)(len - t) + 1);
    return g->cased;
}

static int record_match(glossary *g, xlate_batch *batch, size_t i, const char *src,
                        const xlate_match *mt) {
    const xlate_term_entry *e = &g->map->entries[mt->entry];
    xlate_term term = {mt->start, mt->end, e->target, e->note, 0};
    const char *cased = e->keep ? NULL : sentence_cased_target(g, src, mt, e->target);
    if (cased)
        term.target = cased;
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

/* The same target for a segment with inline codes: the host masks the source and unmasks it
 * untranslated, which puts each term's target and each code where the source has them. */
static int set_target_keeping_codes(glossary *g, xlate_batch *batch, size_t i) {
    char *masked = NULL;
    size_t len = 0;
    int rc = g->host->segment_masked_source(batch, i, XLATE_PLACEHOLDER_FORMAT, &masked, &len);
    if (rc != XLATE_OK)
        return rc;
    rc = g->host->segment_set_unmasked_target(batch, i, XLATE_PLACEHOLDER_FORMAT, masked, len);
    g->host->free(masked);
    return rc;
}

static int has_codes(const glossary *g, const xlate_batch *batch, size_t i) {
    return XLATE_HOST_HAS(g->host, segment_code_count) &&
           g->host->segment_code_count(batch, i) > 0;
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
    if (has_codes(g, batch, i))
        return set_target_keeping_codes(g, batch, i);
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
    .description = "finds the terms of a term map (TSV, CSV, TBX), inflected forms included "
                   "(hunspell, any language), and marks them with their target terms",
    .kind = XLATE_KIND_GLOSSARY,
    .pairs = glossary_pairs,
    .n_pairs = sizeof glossary_pairs / sizeof glossary_pairs[0],
    .options = glossary_options,
    .n_options = sizeof glossary_options / sizeof glossary_options[0],
    .create = glossary_create,
    .process = glossary_process,
    .destroy = glossary_destroy,
    .enumerate_pairs = NULL,
    .load = glossary_load,
    .unload = glossary_unload,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    if (!host || XLATE_ABI_VERSION_MAJOR(host->abi_version) != XLATE_ABI_MAJOR)
        return NULL;
    return &glossary_plugin;
}
