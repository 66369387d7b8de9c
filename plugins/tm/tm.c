/*
 * tm: the translation memory plugin. In the chain it is a translator that looks every active
 * segment up in an SQLite memory (tm_store.h) before the engines after it run: an exact match
 * becomes the target (score 100), a match differing only in numbers is repaired and used (99),
 * fuzzy matches from `threshold` up are offered as candidates or, with fuzzy=fill, the best one
 * fills the target with a "tm_fuzzy" warning. Translators after it leave the segments it filled
 * alone (segment_match_score). With learn=yes it reads what the whole chain made of each batch
 * (batch_done) and writes the finished translations into the memory, one transaction per
 * document (document_done).
 */
#include <xlate/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tm_store.h"

static const xlate_lang_pair tm_pairs[] = {{"*", "*"}};

static const xlate_option_spec tm_options[] = {
    /* A string, not XLATE_OPTION_PATH: a batch records a path option by its file's contents, and a
     * memory that learns changes its file, which --resume must not take for another memory. */
    {"db", XLATE_OPTION_STRING, NULL, "the memory's SQLite file (required; created when missing)"},
    {"threshold", XLATE_OPTION_INT, "75", "the lowest fuzzy score offered, 0..100"},
    {"fuzzy", XLATE_OPTION_STRING, "offer",
     "offer: fuzzy matches are only recorded as candidates; fill: the best one becomes the "
     "target, with a warning"},
    {"candidates", XLATE_OPTION_INT, "3", "how many matches are recorded per segment, 1..100"},
    {"learn", XLATE_OPTION_BOOL, "no",
     "yes: write every segment that ends the chain ok with a translation into the memory"},
    {"repair", XLATE_OPTION_BOOL, "yes",
     "yes: a match differing only in numbers gets the new numbers, scored 99"},
};

/* A finished translation waiting for the end of its document. */
typedef struct learned {
    char *source;
    char *target;
} learned;

typedef struct tm_instance {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    xlate_tm_store *store;
    const char *src_lang, *tgt_lang;
    long long pair;            /* -1 until the pair is in the memory */
    xlate_tm_query query;
    int fill;                  /* fuzzy=fill */
    int learn;
    learned *pending;          /* the current document's translations (learn=yes) */
    size_t n_pending, cap_pending;
    char *origin;              /* "learn:DOCUMENT" for the pending ones */
    long long *used;           /* the units this document's segments took a target from */
    size_t n_used, cap_used;
} tm_instance;

static void drop_pending(tm_instance *t) {
    for (size_t i = 0; i < t->n_pending; i++) {
        free(t->pending[i].source);
        free(t->pending[i].target);
    }
    t->n_pending = 0;
    free(t->origin);
    t->origin = NULL;
}

static void tm_destroy(void *instance) {
    tm_instance *t = instance;
    drop_pending(t);
    free(t->pending);
    free(t->used);
    xlate_tm_close(t->store);
    free(t);
}

static int read_options(tm_instance *t, const xlate_options *options) {
    const xlate_host *h = t->host;
    long long threshold = 75, candidates = 3;
    int repair = 1;
    (void)h->option_int(options, "threshold", &threshold);
    (void)h->option_int(options, "candidates", &candidates);
    (void)h->option_bool(options, "learn", &t->learn);
    (void)h->option_bool(options, "repair", &repair);
    if (threshold < 0 || threshold > 100) {
        h->set_error(t->ctx, "threshold=%lld is out of range: give a score from 0 to 100 (75 is "
                     "usual)", threshold);
        return XLATE_EINVAL;
    }
    if (candidates < 1 || candidates > 100) {
        h->set_error(t->ctx, "candidates=%lld is out of range: give 1 to 100", candidates);
        return XLATE_EINVAL;
    }
    const char *fuzzy = h->option(options, "fuzzy");
    if (fuzzy && strcmp(fuzzy, "offer") != 0 && strcmp(fuzzy, "fill") != 0) {
        h->set_error(t->ctx, "fuzzy=%s: give offer (record fuzzy matches as candidates) or fill "
                     "(the best one becomes the target, with a warning)", fuzzy);
        return XLATE_EINVAL;
    }
    t->fill = fuzzy && strcmp(fuzzy, "fill") == 0;
    t->query.threshold = (int)threshold;
    t->query.max = (size_t)candidates;
    t->query.repair = repair;
    return XLATE_OK;
}

static int find_pair(tm_instance *t, int create);

static int tm_create(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *options,
                     void **instance) {
    /* A table long enough but with the calls unset is a host built before it implemented them. */
    if (!XLATE_HOST_HAS(host, segment_match_score) || !host->segment_add_match ||
        !host->segment_match_score) {
        host->set_error(ctx, "this xlate is too old for the tm plugin: its host has no "
                        "segment_add_match (plugin ABI 1.3 with translation memories); use a newer "
                        "xlate");
        return XLATE_ERROR;
    }
    const char *db = host->option(options, "db");
    if (!db || !*db) {
        host->set_error(ctx, "tm needs its memory's file: --plugin tm:db=FILE (created when "
                        "missing; fill it with xlate tm import)");
        return XLATE_EINVAL;
    }
    tm_instance *t = calloc(1, sizeof *t);
    if (!t)
        return XLATE_ENOMEM;
    t->host = host;
    t->ctx = ctx;
    t->pair = -1;
    t->src_lang = host->source_lang(ctx);
    t->tgt_lang = host->target_lang(ctx);
    int rc = read_options(t, options);
    if (rc == XLATE_OK && (!t->tgt_lang || !*t->tgt_lang)) {
        host->set_error(ctx, "tm needs the run's target language to choose the memory's pair: "
                        "give --to LANG");
        rc = XLATE_EINVAL;
    }
    char err[1024];
    if (rc == XLATE_OK && xlate_tm_open(db, 1, &t->store, err, sizeof err) != 0) {
        host->set_error(ctx, "%s", err);
        rc = XLATE_ERROR;
    }
    if (rc == XLATE_OK && find_pair(t, 0) != 0)
        rc = XLATE_ERROR;
    if (rc != XLATE_OK) {
        tm_destroy(t);
        return rc;
    }
    *instance = t;
    return XLATE_OK;
}

/* The pair's id (the exact pair, else one with the same primary subtags: a run's "en" uses a
 * memory's "en-US"), looked up again until some run (this one's learning, another process) has put
 * the pair in the memory. Returns 0 (t->pair may still be -1) or -1. */
static int find_pair(tm_instance *t, int create) {
    if (t->pair >= 0)
        return 0;
    long long id;
    char chosen[256];
    int matching = 0;
    int rc = xlate_tm_pair_for(t->store, t->src_lang, t->tgt_lang, &id, chosen, sizeof chosen,
                               &matching);
    if (rc == 1 && create)
        rc = xlate_tm_pair(t->store, t->src_lang, t->tgt_lang, 1, &id);
    if (rc == 0 && matching)
        t->host->log(t->ctx, matching > 1 ? XLATE_LOG_WARNING : XLATE_LOG_INFO,
                     "the memory has no %s → %s pair; using %s%s", t->src_lang, t->tgt_lang,
                     chosen, matching > 1 ? " (the one with the most units of the pairs with the "
                                            "same languages)" : "");
    if (rc < 0) {
        t->host->set_error(t->ctx, "%s", xlate_tm_errmsg(t->store));
        return -1;
    }
    if (rc == 0)
        t->pair = id;
    return 0;
}

static int record_matches(tm_instance *t, xlate_batch *batch, size_t i, const xlate_tm_match *m,
                          size_t n) {
    const xlate_host *h = t->host;
    /* A segment with inline codes keeps its matches as candidates: the memory holds plain text,
     * and a translator after it puts the codes where they belong. */
    int may_use = h->segment_code_count(batch, i) == 0;
    for (size_t k = 0; k < n; k++) {
        int use = may_use && k == 0 && (m[k].kind != XLATE_TM_FUZZY || t->fill);
        if (h->segment_add_match(batch, i, m[k].target, strlen(m[k].target), m[k].score,
                                 m[k].source, strlen(m[k].source), use) != XLATE_OK) {
            const char *why = h->last_error(t->ctx);
            h->set_error(t->ctx, "recording a match: %s", why ? why : "refused by the host");
            return -1;
        }
        if (use && t->n_used == t->cap_used) {
            size_t cap = t->cap_used ? 2 * t->cap_used : 64;
            long long *grown = realloc(t->used, cap * sizeof *grown);
            if (!grown) {
                h->set_error(t->ctx, "out of memory");
                return -1;
            }
            t->used = grown;
            t->cap_used = cap;
        }
        if (use)
            t->used[t->n_used++] = m[k].id;
        if (use && m[k].kind == XLATE_TM_FUZZY) {
            char msg[512];
            snprintf(msg, sizeof msg, "fuzzy match from the translation memory, score %d: check "
                     "it against the memory's source \"%.300s\"", m[k].score, m[k].source);
            if (h->segment_warn(batch, i, "tm_fuzzy", msg) != XLATE_OK)
                return -1;
        }
    }
    return 0;
}

static int tm_process(void *instance, xlate_batch *batch) {
    tm_instance *t = instance;
    const xlate_host *h = t->host;
    if (find_pair(t, 0) != 0)
        return XLATE_ERROR;
    if (t->pair < 0)
        return XLATE_OK;  /* nothing of this pair in the memory yet */
    size_t n = h->batch_count(batch);
    /* One read transaction for the batch's lookups: the file's locks taken once. */
    if (xlate_tm_read_begin(t->store) != 0) {
        h->set_error(t->ctx, "reading the memory: %s", xlate_tm_errmsg(t->store));
        return XLATE_ERROR;
    }
    int rc = XLATE_OK;
    for (size_t i = 0; i < n && rc == XLATE_OK; i++) {
        /* An earlier memory in the chain already filled it. */
        if (!h->segment_active(batch, i) || h->segment_match_score(batch, i) >= 0)
            continue;
        size_t len;
        const char *src = h->segment_source(batch, i, &len);
        xlate_tm_match *m;
        size_t nm;
        if (xlate_tm_lookup(t->store, t->pair, src, len, &t->query, &m, &nm) != 0) {
            h->set_error(t->ctx, "looking up the memory: %s", xlate_tm_errmsg(t->store));
            rc = XLATE_ERROR;
            break;
        }
        if (record_matches(t, batch, i, m, nm) != 0)
            rc = XLATE_ERROR;
        xlate_tm_matches_free(m, nm);
    }
    xlate_tm_read_end(t->store);
    return rc;
}

/* The target a glossary alone makes: the source with each term span replaced by its target
 * term. Such a target is no translation, and learning it would teach the memory the source. */
static int is_glossary_pseudo_target(const xlate_host *h, const xlate_batch *batch, size_t i,
                                     const char *src, size_t src_len, const char *tgt,
                                     size_t tgt_len) {
    size_t terms = h->segment_term_count(batch, i), at = 0, o = 0;
    for (size_t k = 0; k <= terms; k++) {
        const xlate_term *term = k < terms ? h->segment_term(batch, i, k) : NULL;
        size_t end = term ? term->start : src_len;
        if (!term && k < terms)
            return 0;
        if (end < at || end > src_len || o + (end - at) > tgt_len ||
            memcmp(tgt + o, src + at, end - at) != 0)
            return 0;
        o += end - at;
        if (term) {
            size_t tl = strlen(term->target);
            if (o + tl > tgt_len || memcmp(tgt + o, term->target, tl) != 0)
                return 0;
            o += tl;
            at = term->end;
        }
    }
    return o == tgt_len;
}

static int keep_for_learning(tm_instance *t, const char *src, size_t src_len, const char *tgt,
                             size_t tgt_len) {
    if (t->n_pending == t->cap_pending) {
        size_t cap = t->cap_pending ? t->cap_pending * 2 : 64;
        learned *grown = realloc(t->pending, cap * sizeof *grown);
        if (!grown)
            return -1;
        t->pending = grown;
        t->cap_pending = cap;
    }
    learned *l = &t->pending[t->n_pending];
    l->source = strndup(src, src_len);
    l->target = strndup(tgt, tgt_len);
    if (!l->source || !l->target) {
        free(l->source);
        free(l->target);
        return -1;
    }
    t->n_pending++;
    return 0;
}

static int tm_batch_done(void *instance, const xlate_batch *batch) {
    tm_instance *t = instance;
    const xlate_host *h = t->host;
    size_t n = h->batch_count(batch);
    if (!t->learn || n == 0)
        return XLATE_OK;
    /* A new document began without document_done for the last one: that one was stopped part
     * way, and what it showed is not learned. */
    if (h->segment_index(batch, 0) == 0 || !t->origin) {
        drop_pending(t);
        const char *doc = h->document_name(batch);
        size_t len = strlen("learn:") + strlen(doc ? doc : "-") + 1;
        t->origin = malloc(len);
        if (!t->origin)
            return XLATE_ENOMEM;
        snprintf(t->origin, len, "learn:%s", doc ? doc : "-");
    }
    /* A 1.4 host says whether the chain ended the segment ok; a warned translation (a lost term,
     * a check that failed) is not one the memory should give again as its own. */
    int has_status = XLATE_HOST_HAS(h, segment_status);
    for (size_t i = 0; i < n; i++) {
        if (!h->segment_active(batch, i) ||
            (has_status && h->segment_status(batch, i) != XLATE_SEGMENT_OK))
            continue;
        size_t src_len, tgt_len = 0;
        const char *tgt = h->segment_target(batch, i, &tgt_len);
        if (!tgt || tgt_len == 0)
            continue;
        /* 100: the memory's own unchanged; below 99: a fuzzy fill, marked for checking. A
         * repaired match (99) is a translation of a new sentence and is learned. */
        double score = h->segment_match_score(batch, i);
        if (score >= 100 || (score >= 0 && score < 99))
            continue;
        const char *src = h->segment_source(batch, i, &src_len);
        if (is_glossary_pseudo_target(h, batch, i, src, src_len, tgt, tgt_len))
            continue;
        if (keep_for_learning(t, src, src_len, tgt, tgt_len) != 0) {
            h->set_error(t->ctx, "out of memory keeping translations to learn");
            return XLATE_ENOMEM;
        }
    }
    return XLATE_OK;
}

/* The units this document used are marked so, in one write at its end rather than one per
 * lookup: a repaired match prefers the unit used last. A memory this run cannot write (a file
 * without write permission) is still read: the failure is a warning. */
static void mark_used(tm_instance *t) {
    if (t->n_used && xlate_tm_touch(t->store, t->used, t->n_used, (long long)time(NULL)) != 0)
        t->host->log(t->ctx, XLATE_LOG_WARNING, "could not mark %zu unit(s) of the memory as used: %s",
                     t->n_used, xlate_tm_errmsg(t->store));
    t->n_used = 0;
}

static int tm_document_done(void *instance) {
    tm_instance *t = instance;
    mark_used(t);
    if (!t->learn || t->n_pending == 0) {
        drop_pending(t);
        return XLATE_OK;
    }
    int rc = find_pair(t, 1) == 0 && xlate_tm_begin(t->store) == 0 ? 0 : -1;
    long long now = (long long)time(NULL);
    for (size_t i = 0; rc == 0 && i < t->n_pending; i++)
        if (xlate_tm_put(t->store, t->pair, t->pending[i].source, strlen(t->pending[i].source),
                         t->pending[i].target, strlen(t->pending[i].target), t->origin, now) < 0)
            rc = -1;
    if (rc == 0 && xlate_tm_commit(t->store) != 0)
        rc = -1;
    if (rc != 0) {
        t->host->set_error(t->ctx, "learning %zu translation(s): %s", t->n_pending,
                           xlate_tm_errmsg(t->store));
        xlate_tm_rollback(t->store);
    }
    drop_pending(t);
    return rc == 0 ? XLATE_OK : XLATE_ERROR;
}

static const xlate_plugin tm_plugin = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "tm",
    .version = "1.0.0",
    .description = "translation memory on SQLite: exact, repaired and fuzzy matches; learns "
                   "from finished runs",
    .kind = XLATE_KIND_TRANSLATOR,
    .pairs = tm_pairs,
    .n_pairs = sizeof tm_pairs / sizeof tm_pairs[0],
    .options = tm_options,
    .n_options = sizeof tm_options / sizeof tm_options[0],
    .create = tm_create,
    .process = tm_process,
    .destroy = tm_destroy,
    .batch_done = tm_batch_done,
    .document_done = tm_document_done,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    (void)host;
    return &tm_plugin;
}
