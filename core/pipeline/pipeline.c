/*
 * pipeline: runs one document along the whole data path — decode → normalize → segment → each
 * plugin of the chain in order — and hands back the document for a writer. The chain (loaded
 * plugins) is shared; each worker owns a pipeline with its own segmenter and plugin instances.
 * A document crosses the chain a batch at a time, each batch through every plugin before the
 * next one enters, so that its first records can be written while the rest are still to come.
 */
#include "pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "langid.h"
#include "langtag.h"
#include "options.h"
#include "segment.h"

#define DEFAULT_BATCH_SIZE 64

struct xlate_chain {
    xlate_loaded_plugin **plugins;
    char **options; /* the KEY=VALUE text of each plugin's --plugin argument, isolate= taken out */
    signed char *isolate; /* per plugin: 1 isolate=yes, 0 isolate=no, -1 not said */
    xlate_shared **shared; /* per plugin: what its load() made for every worker, or NULL */
    size_t n;
};

struct xlate_pipeline {
    xlate_pipeline_config cfg;
    char *source_lang, *target_lang, *srx_path, *isolation_program;
    const xlate_chain *chain;
    xlate_segmenter *segmenter;
    xlate_instance **instances; /* NULL slot: to be (re)created before the next document */
    xlate_isolated **isolated;  /* the same for plugins that run in a child process */
    size_t *order;              /* the chain's indexes in the order plugins run: checks last */
    size_t next_first_id;       /* the output id of the next document's first segment */
    unsigned char *gone;        /* per plugin: it gave up, and sits out the rest of the document */
    int doc_failed;             /* a plugin gave up on the document: no document_done for it */
};

/* --- the chain --------------------------------------------------------------------------------- */

void xlate_chain_free(xlate_chain *c) {
    if (!c)
        return;
    for (size_t i = 0; c->shared && i < c->n; i++)
        xlate_shared_free(c->shared[i]);
    for (size_t i = 0; i < c->n; i++) {
        xlate_plugin_unload(c->plugins[i]);
        free(c->options[i]);
    }
    free(c->shared);
    free(c->plugins);
    free(c->options);
    free(c->isolate);
    free(c);
}

size_t xlate_chain_length(const xlate_chain *c) { return c ? c->n : 0; }

const xlate_plugin *xlate_chain_descriptor(const xlate_chain *c, size_t i) {
    return xlate_loaded_plugin_descriptor(c->plugins[i]);
}

const xlate_loaded_plugin *xlate_chain_plugin(const xlate_chain *c, size_t i) {
    return c->plugins[i];
}

const char *xlate_chain_options(const xlate_chain *c, size_t i) {
    return c->options[i];
}

int xlate_chain_isolation(const xlate_chain *c, size_t i) {
    return c->isolate[i];
}

/* The end of the option item that starts at `at`: the next comma that no backslash escapes. */
static size_t option_item_end(const char *text, size_t at) {
    while (text[at] && text[at] != ',')
        at += text[at] == '\\' && text[at + 1] ? 2 : 1;
    return at;
}

static int parse_isolate_value(const char *v, size_t len, int *out) {
    static const char *const yes[] = {"yes", "true", "on", "1"}, *const no[] = {"no", "false", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strlen(yes[i]) == len && strncasecmp(v, yes[i], len) == 0)
            return *out = 1, 0;
        if (strlen(no[i]) == len && strncasecmp(v, no[i], len) == 0)
            return *out = 0, 0;
    }
    return -1;
}

/* Takes the host's own key `isolate` out of a plugin's option text (in place), so that the
 * plugin's options are checked without it. *isolate: 1 yes, 0 no, -1 absent. */
static int take_isolate_option(char *text, const char *plugin, signed char *isolate,
                               xlate_error *err) {
    static const char key[] = "isolate=";
    *isolate = -1;
    for (size_t at = 0; text[at];) {
        size_t end = option_item_end(text, at);
        if (strncmp(text + at, key, sizeof key - 1) != 0) {
            at = text[end] ? end + 1 : end;
            continue;
        }
        int v;
        const char *value = text + at + sizeof key - 1;
        if (*isolate != -1 || parse_isolate_value(value, (size_t)(text + end - value), &v) != 0) {
            xlate_error_set(err, XLATE_EINVAL, "--plugin %s: isolate=%.*s: %s", plugin,
                            (int)(text + end - value), value,
                            *isolate != -1 ? "given twice" : "use isolate=yes or isolate=no");
            return -1;
        }
        *isolate = (signed char)v;
        /* The item goes with one comma: the one after it, or before it when it is the last. */
        size_t from = at, to = text[end] ? end + 1 : end;
        if (!text[end] && from > 0)
            from--;
        memmove(text + from, text + to, strlen(text + to) + 1);
        at = from;
    }
    return 0;
}

/* Loads one --plugin argument into slot i and checks its options now, so that a typo is a usage
 * error before any document is read. */
static int load_chain_entry(xlate_chain *c, size_t i, const xlate_plugin_search *search,
                            const char *spec, xlate_error *err) {
    char *name = NULL, *opts = NULL;
    if (xlate_plugin_spec_split(spec, &name, &opts, err) != 0)
        return -1;
    if (take_isolate_option(opts, name, &c->isolate[i], err) != 0) {
        free(name);
        free(opts);
        return -1;
    }
    int rc = xlate_plugin_load(search, name, &c->plugins[i], err);
    free(name);
    if (rc != 0) {
        free(opts);
        return rc; /* XLATE_ENOTFOUND stays itself, so the caller can tell a missing plugin */
    }
    xlate_options *checked = NULL;
    rc = xlate_options_parse(xlate_loaded_plugin_descriptor(c->plugins[i]), opts, &checked, err);
    xlate_options_free(checked);
    if (rc != 0) {
        /* Slot i is not counted in c->n yet, so the chain's free would not see it. */
        xlate_plugin_unload(c->plugins[i]);
        c->plugins[i] = NULL;
        free(opts);
        return -1;
    }
    c->options[i] = opts;
    c->n = i + 1;
    return 0;
}

/* --- language pairs ------------------------------------------------------------------------- */

/* What one plugin declares: whether a pair serves the run's languages, and the list to show. */
typedef struct pair_scan {
    const char *from, *to;
    int serves;
    size_t n;
    xlate_buf list; /* "en→es, es→en" */
} pair_scan;

static void scan_pair(void *data, const char *source, const char *target) {
    pair_scan *ps = data;
    if (!source || !target)
        return;
    ps->serves |= xlate_langtag_covers(source, ps->from) && xlate_langtag_covers(target, ps->to);
    if (ps->n < 40)
        xlate_buf_printf(&ps->list, "%s%s→%s", ps->n ? ", " : "", source, target);
    else if (ps->n == 40)
        xlate_buf_puts(&ps->list, ", …");
    ps->n++;
}

/* The pairs enumerate_pairs finds at run time when it finds any, else the descriptor's list. The
 * runtime list covers only where the plugin looks by default: once the user gives the plugin
 * options (a modes folder, a server), they may reach other engines, so the descriptor's pairs
 * decide and the plugin's `create` judges the rest with its own message. */
static void scan_plugin_pairs(const xlate_loaded_plugin *p, const char *options, pair_scan *ps) {
    const xlate_plugin *d = xlate_loaded_plugin_descriptor(p);
    xlate_loaded_plugin_pairs(p, scan_pair, ps);
    if (!d->enumerate_pairs)
        return;
    int configured = options && *options;
    for (size_t i = 0; i < d->n_pairs; i++) {
        if (ps->n == 0)
            scan_pair(ps, d->pairs[i].source, d->pairs[i].target);
        else if (configured && d->pairs[i].source && d->pairs[i].target)
            ps->serves |= xlate_langtag_covers(d->pairs[i].source, ps->from) &&
                          xlate_langtag_covers(d->pairs[i].target, ps->to);
    }
}

/* A chain with translators that declare pairs, none of which serves the run's languages, is
 * refused: it would run and give the wrong language, or an engine error for every segment. */
static int check_translator_pairs(const xlate_chain *c, const char *from, const char *to,
                                  xlate_error *err) {
    xlate_buf served = XLATE_BUF_INIT;
    size_t translators = 0;
    int serves = 0;
    for (size_t i = 0; i < c->n && !serves; i++) {
        const xlate_plugin *d = xlate_chain_descriptor(c, i);
        if (d->kind != XLATE_KIND_TRANSLATOR)
            continue;
        pair_scan ps = {from, to, 0, 0, XLATE_BUF_INIT};
        scan_plugin_pairs(c->plugins[i], c->options[i], &ps);
        /* A translator that declares no pair at all says nothing either way (`xlate plugin
         * check` tells its author to declare some); the others judge the run. */
        if (ps.n == 0) {
            xlate_buf_free(&ps.list);
            continue;
        }
        serves = ps.serves;
        xlate_buf_printf(&served, "%s%s: %s", translators ? "; " : "", d->name,
                         ps.list.data ? ps.list.data : "out of memory");
        xlate_buf_free(&ps.list);
        translators++;
    }
    if (translators && !serves)
        xlate_error_set(err, XLATE_EINVAL,
                        "no translator in the chain serves %s → %s; the pairs they declare are "
                        "(%s); choose the source and target languages among them",
                        from, to, served.data ? served.data : "out of memory");
    xlate_buf_free(&served);
    return translators && !serves ? -1 : 0;
}

int xlate_chain_check_pairs(const xlate_chain *c, const char *source_lang, const char *target_lang,
                            xlate_error *err) {
    if (!source_lang || !target_lang || !*source_lang || !*target_lang)
        return 0;
    return check_translator_pairs(c, source_lang, target_lang, err);
}

void xlate_chain_warn_pairs(const xlate_chain *c, size_t first, const char *source_lang,
                            const char *target_lang, const xlate_log_sink *log) {
    if (!log || !log->fn || log->level < XLATE_LOG_WARNING || !source_lang || !target_lang ||
        !*source_lang || !*target_lang)
        return;
    for (size_t i = first; i < c->n; i++) {
        const xlate_plugin *d = xlate_chain_descriptor(c, i);
        if (d->kind != XLATE_KIND_GLOSSARY && d->kind != XLATE_KIND_CHECK)
            continue;
        pair_scan ps = {source_lang, target_lang, 0, 0, XLATE_BUF_INIT};
        scan_plugin_pairs(c->plugins[i], c->options[i], &ps);
        if (!ps.serves) {
            xlate_buf line = XLATE_BUF_INIT;
            xlate_buf_printf(&line, "it declares no pair for %s → %s (it declares: %s); it may "
                                    "not serve these languages",
                             source_lang, target_lang, ps.n && ps.list.data ? ps.list.data : "none");
            if (line.data)
                log->fn(log->data, d->name, XLATE_LOG_WARNING, line.data);
            xlate_buf_free(&line);
        }
        xlate_buf_free(&ps.list);
    }
}

int xlate_chain_load(const xlate_plugin_search *search, const char *const *specs, size_t n_specs,
                     const char *source_lang, const char *target_lang, xlate_chain **out,
                     xlate_error *err) {
    xlate_chain *c = calloc(1, sizeof *c);
    if (c) {
        c->plugins = calloc(n_specs ? n_specs : 1, sizeof *c->plugins);
        c->options = calloc(n_specs ? n_specs : 1, sizeof *c->options);
        c->isolate = calloc(n_specs ? n_specs : 1, sizeof *c->isolate);
        c->shared = calloc(n_specs ? n_specs : 1, sizeof *c->shared);
    }
    if (!c || !c->plugins || !c->options || !c->isolate || !c->shared) {
        xlate_chain_free(c);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n_specs; i++) {
        int rc = load_chain_entry(c, i, search, specs[i], err);
        if (rc != 0) {
            xlate_chain_free(c);
            return rc;
        }
    }
    if (source_lang && target_lang && *source_lang && *target_lang &&
        check_translator_pairs(c, source_lang, target_lang, err) != 0) {
        xlate_chain_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

/* The order the plugins run in: the user's, except that check plugins come after all the others
 * (they read what the translators wrote), in the user's order among themselves. */
static void chain_run_order(const xlate_chain *c, size_t *order) {
    size_t n = 0;
    for (int checks = 0; checks < 2; checks++)
        for (size_t i = 0; i < c->n; i++)
            if ((xlate_chain_descriptor(c, i)->kind == XLATE_KIND_CHECK) == checks)
                order[n++] = i;
}

/* --- the worker's pipeline ------------------------------------------------------------------ */

void xlate_pipeline_free(xlate_pipeline *p) {
    if (!p)
        return;
    for (size_t i = 0; p->instances && i < p->chain->n; i++)
        xlate_instance_free(p->instances[i]);
    for (size_t i = 0; p->isolated && i < p->chain->n; i++)
        xlate_isolated_free(p->isolated[i]);
    free(p->instances);
    free(p->isolated);
    free(p->order);
    free(p->gone);
    xlate_segmenter_free(p->segmenter);
    free(p->source_lang);
    free(p->target_lang);
    free(p->srx_path);
    free(p->isolation_program);
    free(p);
}

static int chain_runs_isolated(const xlate_chain *c, const xlate_pipeline_config *cfg, size_t i) {
    return c->isolate[i] == -1 ? cfg->isolate != 0 : c->isolate[i] == 1;
}

static int runs_isolated(const xlate_pipeline *p, size_t i) {
    return chain_runs_isolated(p->chain, &p->cfg, i);
}

int xlate_chain_share(xlate_chain *c, const xlate_pipeline_config *cfg, xlate_error *err) {
    xlate_run_env env = {cfg->log, cfg->dry_run, xlate_usage_sink_of(cfg->usage)};
    for (size_t i = 0; i < c->n; i++) {
        /* An isolated plugin loads in its child, where its instance is. */
        if (c->shared[i] || chain_runs_isolated(c, cfg, i))
            continue;
        if (xlate_shared_new(c->plugins[i], c->options[i], cfg->source_lang, cfg->target_lang,
                             &env, &c->shared[i], err) != 0)
            return -1;
    }
    return 0;
}

static int ensure_instance(xlate_pipeline *p, size_t i, xlate_error *err) {
    xlate_run_env env = {p->cfg.log, p->cfg.dry_run, xlate_usage_sink_of(p->cfg.usage)};
    if (runs_isolated(p, i))
        return p->isolated[i] ? 0
                              : xlate_isolated_new(p->chain->plugins[i], p->chain->options[i],
                                                   p->source_lang, p->target_lang, &env,
                                                   &p->cfg.isolation, &p->isolated[i], err);
    if (p->instances[i])
        return 0;
    return xlate_instance_new_shared(p->chain->plugins[i], p->chain->options[i], p->source_lang,
                                     p->target_lang, &env, p->chain->shared[i], &p->instances[i],
                                     err);
}

/* Plugin i over a batch, in this process or in its child. Returns 0; 1 when its child was lost
 * with the batch (the segments are marked, err says so, the plugin goes on); 2 when the run was
 * stopped while the child worked (the batch is to be dropped); -1 when the plugin failed (its
 * instance is gone: a new one starts with the next document). */
static int process_with(xlate_pipeline *p, size_t i, xlate_doc *doc, size_t first, size_t count,
                        xlate_error *err) {
    if (p->isolated[i]) {
        int rc = xlate_isolated_process(p->isolated[i], doc, first, count, err);
        if (rc < 0) {
            xlate_isolated_free(p->isolated[i]);
            p->isolated[i] = NULL;
        }
        return rc;
    }
    if (xlate_instance_process(p->instances[i], doc, first, count, err) == 0)
        return 0;
    xlate_instance_free(p->instances[i]);
    p->instances[i] = NULL;
    return -1;
}

int xlate_pipeline_segmenter_new(const xlate_pipeline_config *cfg, xlate_segmenter **out,
                                 xlate_error *err) {
    return xlate_segmenter_new(cfg->source_lang ? cfg->source_lang : "", cfg->srx_path, out, err);
}

int xlate_pipeline_new(const xlate_pipeline_config *cfg, const xlate_chain *chain,
                       xlate_pipeline **out, xlate_error *err) {
    xlate_pipeline *p = calloc(1, sizeof *p);
    if (!p) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    p->cfg = *cfg;
    p->chain = chain;
    p->source_lang = strdup(cfg->source_lang ? cfg->source_lang : "");
    p->target_lang = strdup(cfg->target_lang ? cfg->target_lang : "");
    p->srx_path = cfg->srx_path ? strdup(cfg->srx_path) : NULL;
    p->instances = calloc(chain->n ? chain->n : 1, sizeof *p->instances);
    p->isolated = calloc(chain->n ? chain->n : 1, sizeof *p->isolated);
    p->gone = calloc(chain->n ? chain->n : 1, 1);
    p->order = calloc(chain->n ? chain->n : 1, sizeof *p->order);
    p->next_first_id = 1;
    if (!p->source_lang || !p->target_lang || !p->instances || !p->isolated || !p->gone ||
        !p->order ||
        (cfg->srx_path && !p->srx_path)) {
        xlate_pipeline_free(p);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    p->cfg.source_lang = p->source_lang;
    p->cfg.target_lang = p->target_lang;
    p->cfg.srx_path = p->srx_path;
    p->cfg.isolation.program = NULL; /* borrowed: each isolated instance keeps its own copy */
    if (cfg->isolation.program && !(p->isolation_program = strdup(cfg->isolation.program))) {
        xlate_pipeline_free(p);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    p->cfg.isolation.program = p->isolation_program;
    if (!p->cfg.isolation.stop)
        p->cfg.isolation.stop = cfg->stop;
    if ((cfg->segmenter ? xlate_segmenter_clone(cfg->segmenter, &p->segmenter, err)
                        : xlate_pipeline_segmenter_new(&p->cfg, &p->segmenter, err)) != 0) {
        xlate_pipeline_free(p);
        return -1;
    }
    chain_run_order(chain, p->order);
    for (size_t i = 0; i < chain->n; i++) {
        if (ensure_instance(p, i, err) != 0) {
            xlate_pipeline_free(p);
            return -1;
        }
    }
    *out = p;
    return 0;
}

/* decode → normalize → segment: the document's text and its segments, before any plugin. */
static int build_document(xlate_pipeline *p, const char *name, const char *bytes, char *owned,
                          size_t len, int fill, xlate_doc *doc, xlate_error *err) {
    xlate_decoded dec;
    if ((owned ? xlate_decode_owned(owned, len, &p->cfg.decode, name, &dec, err)
               : xlate_decode(bytes, len, &p->cfg.decode, name, &dec, err)) != 0)
        return -1;
    char *text = NULL;
    size_t text_len = 0;
    /* The decoded text passes to normalize, which gives it back when nothing changes. */
    int rc = xlate_normalize_owned(dec.text, dec.len, &p->cfg.normalize, &text, &text_len, err);
    dec.text = NULL;
    if (rc != 0) {
        xlate_error_prefix(err, "%s", name);
        xlate_decoded_free(&dec);
        return -1;
    }
    xlate_span *spans = NULL;
    size_t n_spans = 0;
    if (xlate_segmenter_split(p->segmenter, text, text_len, &spans, &n_spans, err) != 0) {
        xlate_error_prefix(err, "%s", name);
        free(text);
        xlate_decoded_free(&dec);
        return -1;
    }
    rc = fill ? xlate_doc_init(doc, name, text, text_len, spans, n_spans)
              : xlate_doc_init_unfilled(doc, name, text, text_len, spans, n_spans);
    free(spans);
    if (rc != 0) {
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", name);
    } else {
        snprintf(doc->encoding, sizeof doc->encoding, "%s", dec.encoding);
        doc->repaired = dec.repaired;
    }
    xlate_decoded_free(&dec);
    return rc;
}

/* Returns how many of the failed segments lost their message for want of memory; their status
 * is failed all the same. */
static size_t fail_active_segments(xlate_doc *doc, size_t from, const char *plugin,
                                   const char *message) {
    size_t lost = 0;
    for (size_t i = from; i < doc->n_segs; i++) {
        xlate_seg *s = &doc->segs[i];
        if ((s->status == XLATE_SEG_OK || s->status == XLATE_SEG_WARNING) &&
            xlate_seg_add_message(s, XLATE_SEG_FAILED, plugin, NULL, message) != 0)
            lost++;
    }
    return lost;
}

static void tell(const xlate_pipeline *p, const char *message) {
    if (p->cfg.on_message && message)
        p->cfg.on_message(p->cfg.message_data, message);
}

/* Plugin i cannot go on: the document's segments from `from` on that are still active fail with
 * its message (kept, marked), and it sits out the rest of the document. */
static void give_up(xlate_pipeline *p, size_t i, xlate_doc *doc, size_t from, xlate_error *err) {
    if (fail_active_segments(doc, from, xlate_chain_descriptor(p->chain, i)->name,
                             err->message ? err->message : "plugin failed") > 0)
        tell(p, "out of memory: some failed segments carry no message");
    tell(p, err->message);
    xlate_error_clear(err);
    p->gone[i] = 1;
    p->doc_failed = 1;
}

/* Whether plugin i's descriptor has batch_done (document 0) or document_done (1): a plugin
 * without one costs nothing, isolated or not. */
static int has_done(const xlate_pipeline *p, size_t i, int document) {
    const xlate_plugin *d = xlate_chain_descriptor(p->chain, i);
    return document ? d->document_done != NULL : d->batch_done != NULL;
}

/* Plugin i's batch_done (document 0) or document_done (1), in this process or in its child.
 * Returns 0; -1 with err when it failed (its instance is gone, as after a failing process); 2
 * when the run was stopped meanwhile. */
static int done_with(xlate_pipeline *p, size_t i, int document, xlate_doc *doc, size_t first,
                     size_t count, xlate_error *err) {
    if (p->isolated[i]) {
        int rc = document ? xlate_isolated_document_done(p->isolated[i], doc->name, err)
                          : xlate_isolated_batch_done(p->isolated[i], doc, first, count, err);
        if (rc == 2)
            return 2;
        if (rc == 0)
            return 0;
        xlate_isolated_free(p->isolated[i]);
        p->isolated[i] = NULL;
        return -1;
    }
    if ((document ? xlate_instance_document_done(p->instances[i], doc->name, err)
                  : xlate_instance_batch_done(p->instances[i], doc, first, count, err)) == 0)
        return 0;
    xlate_instance_free(p->instances[i]);
    p->instances[i] = NULL;
    return -1;
}

/* After the chain and the lost codes: each plugin that asks, in chain order, sees the batch as it
 * will be written. One that fails fails the document from this batch on, as a failing process
 * does. Returns 1 when the run was stopped while an isolated plugin had the batch. */
static int batch_done_on(xlate_pipeline *p, xlate_doc *doc, size_t first, size_t count) {
    xlate_error err = {0};
    for (size_t i = 0; i < p->chain->n; i++) {
        if (p->gone[i] || !has_done(p, i, 0) || (!p->instances[i] && !p->isolated[i]))
            continue;
        int rc = done_with(p, i, 0, doc, first, count, &err);
        if (rc == 2)
            return 1;
        if (rc < 0)
            give_up(p, i, doc, first, &err);
    }
    return 0;
}

/* The document went through the whole chain: each plugin that asks, in chain order, is told. One
 * that fails fails the document: its segments still fine are marked failed, or, when they were
 * streamed out already (`streamed`), -1 is returned with err for the caller to fail the file. */
static int document_done_on(xlate_pipeline *p, xlate_doc *doc, int streamed, xlate_error *err) {
    xlate_error e = {0};
    int rc = 0;
    for (size_t i = 0; i < p->chain->n; i++) {
        if (p->gone[i] || !has_done(p, i, 1) || (!p->instances[i] && !p->isolated[i]))
            continue;
        int done = done_with(p, i, 1, doc, 0, doc->n_segs, &e);
        if (done == 2)
            break;
        if (done == 0)
            continue;
        if (!streamed) {
            give_up(p, i, doc, 0, &e);
        } else if (rc == 0) {
            xlate_error_set(err, XLATE_ERROR, "%s", e.message ? e.message : "plugin failed");
            rc = -1;
        }
        xlate_error_clear(&e);
    }
    return rc;
}

/* Gives segments [first, first + count) to each plugin of the chain in turn. A plugin whose
 * process() fails is made anew for the next document; an isolated one whose child was lost fails
 * that batch alone and goes on with a new child. Returns 1 when the run was stopped while an
 * isolated plugin had the batch: the batch did not get through the chain. */
static int run_chain_on(xlate_pipeline *p, xlate_doc *doc, size_t first, size_t count) {
    xlate_error err = {0};
    for (size_t step = 0; step < p->chain->n; step++) {
        size_t i = p->order[step];
        if (p->gone[i])
            continue;
        if (ensure_instance(p, i, &err) != 0) {
            give_up(p, i, doc, first, &err);
            continue;
        }
        int rc = process_with(p, i, doc, first, count, &err);
        if (rc == 2)
            return 1;
        if (rc == 1) {
            tell(p, err.message);
            xlate_error_clear(&err);
        } else if (rc < 0) {
            give_up(p, i, doc, first + count, &err);
        }
    }
    /* Once the whole chain is done a code still without a place in its target is put back at
     * the end, filed under the plugin that set the target: never lost before the batch is out. */
    for (size_t k = first; k < first + count; k++) {
        xlate_seg *s = &doc->segs[k];
        /* A failed or filtered segment's target is never written: nothing to put back there. */
        if (s->n_codes && (s->status == XLATE_SEG_OK || s->status == XLATE_SEG_WARNING) &&
            xlate_seg_place_lost_codes(s, s->target_plugin) != 0)
            tell(p, "out of memory: a segment's lost inline codes carry no message");
    }
    return batch_done_on(p, doc, first, count);
}

/* Below this many bytes of letters a segment's language is not told apart from its document's:
 * a name, a number with its unit, a two-word heading say too little. */
#define SEGMENT_LANG_MIN_LETTER_BYTES 20

/* --from auto: segments [first, first + count) that read surely as another language than their
 * document's get that language recorded, before the chain sees them. */
static int mark_segment_languages(const xlate_pipeline *p, xlate_doc *doc, size_t first, size_t count) {
    for (size_t k = first; k < first + count; k++) {
        xlate_seg *s = &doc->segs[k];
        xlate_langid id;
        if (!s->source)
            continue;
        xlate_langid_identify(s->source, s->source_len, 0, &id);
        if (!id.language[0] || !id.reliable || id.text_bytes < SEGMENT_LANG_MIN_LETTER_BYTES ||
            xlate_langid_same_language(id.language, p->source_lang))
            continue;
        if (xlate_doc_set_seg_language(doc, k, id.language) != 0)
            return -1;
    }
    return 0;
}

static int stop_requested(const xlate_pipeline *p) {
    return p->cfg.stop && *p->cfg.stop;
}

/* Takes a document built for the chain through it a batch at a time, handing each batch to
 * `emit` when there is one. Returns 0, or 1 when stopped (the document keeps what went through),
 * or -1 with err (the document freed). */
static int run_batches(xlate_pipeline *p, xlate_doc *d, const char *name, xlate_pipeline_emit emit,
                       void *data, xlate_error *err) {
    size_t batch = p->cfg.batch_size ? p->cfg.batch_size : DEFAULT_BATCH_SIZE;
    size_t done = 0;
    int stopped = 0;
    memset(p->gone, 0, p->chain->n);
    p->doc_failed = 0;
    if (p->cfg.identified_lang)
        snprintf(d->lang, sizeof d->lang, "%s", p->source_lang);
    while (done < d->n_segs && !stopped) {
        size_t count = d->n_segs - done < batch ? d->n_segs - done : batch;
        if (stop_requested(p)) {
            stopped = 1;
            break;
        }
        if ((emit && xlate_doc_fill(d, done, count) != 0) ||
            (p->cfg.identified_lang && mark_segment_languages(p, d, done, count) != 0)) {
            xlate_doc_free(d);
            xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", name);
            return -1;
        }
        if (run_chain_on(p, d, done, count) != 0) {
            stopped = 1;
            break;
        }
        done += count;
        stopped = emit && emit(data, d, done - count, count) != 0;
        if (emit)
            xlate_doc_release(d, done - count, count);
    }
    if (stopped) {
        xlate_doc_truncate(d, done);
    } else if (!p->doc_failed && document_done_on(p, d, emit != NULL, err) != 0) {
        xlate_doc_free(d);
        return -1;
    }
    return stopped;
}

/* Both entry points: `owned`, when not NULL, is `bytes`, given up. */
static int run_document(xlate_pipeline *p, const char *name, const char *bytes, char *owned,
                        size_t len, xlate_pipeline_emit emit, void *data, xlate_doc *doc,
                        xlate_error *err) {
    xlate_doc d;
    size_t first_id = p->next_first_id;
    p->next_first_id = 1;
    /* Streamed, a segment's source is copied as its batch enters the chain and freed once the
     * batch is written: the document is not held twice. */
    if (build_document(p, name, bytes, owned, len, !emit, &d, err) != 0)
        return -1;
    d.first_id = first_id;
    int rc = run_batches(p, &d, name, emit, data, err);
    if (rc < 0)
        return -1;
    *doc = d;
    return rc;
}

int xlate_pipeline_run_document(xlate_pipeline *p, const xlate_fdoc *fdoc, int retranslate, xlate_doc *doc,
                                xlate_doc_cut *cut, xlate_error *err) {
    xlate_doc d;
    size_t first_id = p->next_first_id;
    p->next_first_id = 1;
    if (xlate_document_cut(p->segmenter, p->cfg.documents_as_is ? NULL : &p->cfg.normalize, retranslate, fdoc,
                           &d, cut, err) != 0)
        return -1;
    snprintf(d.encoding, sizeof d.encoding, "%s", fdoc->encoding);
    d.first_id = first_id;
    int rc = run_batches(p, &d, fdoc->name ? fdoc->name : "-", NULL, NULL, err);
    if (rc < 0) {
        xlate_doc_cut_free(cut);
        return -1;
    }
    *doc = d;
    return rc;
}

void xlate_pipeline_set_first_id(xlate_pipeline *p, size_t id) {
    p->next_first_id = id ? id : 1;
}

int xlate_pipeline_stream(xlate_pipeline *p, const char *name, char *bytes, size_t len,
                          xlate_pipeline_emit emit, void *data, xlate_doc *doc, xlate_error *err) {
    if (!bytes) {
        static char empty[1];
        return run_document(p, name, empty, NULL, 0, emit, data, doc, err);
    }
    return run_document(p, name, bytes, bytes, len, emit, data, doc, err);
}

int xlate_pipeline_run(xlate_pipeline *p, const char *name, const char *bytes, size_t len,
                       xlate_doc *doc, xlate_error *err) {
    return run_document(p, name, bytes, NULL, len, NULL, NULL, doc, err);
}

void xlate_doc_get_stats(const xlate_doc *doc, xlate_doc_stats *st) {
    memset(st, 0, sizeof *st);
    st->segments = doc->n_segs;
    for (size_t i = 0; i < doc->n_segs; i++) {
        switch (doc->segs[i].status) {
        case XLATE_SEG_FAILED: st->failed++; break;
        case XLATE_SEG_WARNING: st->warnings++; break;
        case XLATE_SEG_FILTERED: st->filtered++; break;
        default: break;
        }
    }
}
