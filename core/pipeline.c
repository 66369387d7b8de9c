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

#include "options.h"
#include "segment.h"

#define DEFAULT_BATCH_SIZE 64

struct xlate_chain {
    xlate_loaded_plugin **plugins;
    char **options; /* the KEY=VALUE text of each plugin's --plugin argument, isolate= taken out */
    signed char *isolate; /* per plugin: 1 isolate=yes, 0 isolate=no, -1 not said */
    size_t n;
};

struct xlate_pipeline {
    xlate_pipeline_config cfg;
    char *source_lang, *target_lang, *srx_path, *isolation_program;
    const xlate_chain *chain;
    xlate_segmenter *segmenter;
    xlate_instance **instances; /* NULL slot: to be (re)created before the next document */
    xlate_isolated **isolated;  /* the same for plugins that run in a child process */
    unsigned char *gone;        /* per plugin: it gave up, and sits out the rest of the document */
};

/* --- the chain --------------------------------------------------------------------------------- */

void xlate_chain_free(xlate_chain *c) {
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        xlate_plugin_unload(c->plugins[i]);
        free(c->options[i]);
    }
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

int xlate_chain_load(const xlate_plugin_search *search, const char *const *specs, size_t n_specs,
                     const char *source_lang, const char *target_lang, xlate_chain **out,
                     xlate_error *err) {
    (void)source_lang;
    (void)target_lang;
    xlate_chain *c = calloc(1, sizeof *c);
    if (c) {
        c->plugins = calloc(n_specs ? n_specs : 1, sizeof *c->plugins);
        c->options = calloc(n_specs ? n_specs : 1, sizeof *c->options);
        c->isolate = calloc(n_specs ? n_specs : 1, sizeof *c->isolate);
    }
    if (!c || !c->plugins || !c->options || !c->isolate) {
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
    *out = c;
    return 0;
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
    free(p->gone);
    xlate_segmenter_free(p->segmenter);
    free(p->source_lang);
    free(p->target_lang);
    free(p->srx_path);
    free(p->isolation_program);
    free(p);
}

static int runs_isolated(const xlate_pipeline *p, size_t i) {
    return p->chain->isolate[i] == -1 ? p->cfg.isolate != 0 : p->chain->isolate[i] == 1;
}

static int ensure_instance(xlate_pipeline *p, size_t i, xlate_error *err) {
    if (runs_isolated(p, i))
        return p->isolated[i] ? 0
                              : xlate_isolated_new(p->chain->plugins[i], p->chain->options[i],
                                                   p->source_lang, p->target_lang, &p->cfg.log,
                                                   &p->cfg.isolation, &p->isolated[i], err);
    if (p->instances[i])
        return 0;
    return xlate_instance_new(p->chain->plugins[i], p->chain->options[i], p->source_lang,
                              p->target_lang, &p->cfg.log, &p->instances[i], err);
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
    if (!p->source_lang || !p->target_lang || !p->instances || !p->isolated || !p->gone ||
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
    if (xlate_segmenter_new(p->source_lang, p->srx_path, &p->segmenter, err) != 0) {
        xlate_pipeline_free(p);
        return -1;
    }
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
static int build_document(xlate_pipeline *p, const char *name, const char *bytes, size_t len,
                          xlate_doc *doc, xlate_error *err) {
    xlate_decoded dec;
    if (xlate_decode(bytes, len, &p->cfg.decode, name, &dec, err) != 0)
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
    rc = xlate_doc_init(doc, name, text, text_len, spans, n_spans);
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
static size_t fail_active_segments(xlate_doc *doc, size_t from, const char *message) {
    size_t lost = 0;
    for (size_t i = from; i < doc->n_segs; i++) {
        xlate_seg *s = &doc->segs[i];
        if ((s->status == XLATE_SEG_OK || s->status == XLATE_SEG_WARNING) &&
            xlate_seg_set_status(s, XLATE_SEG_FAILED, message) != 0)
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
    if (fail_active_segments(doc, from, err->message) > 0)
        tell(p, "out of memory: some failed segments carry no message");
    tell(p, err->message);
    xlate_error_clear(err);
    p->gone[i] = 1;
}

/* Gives segments [first, first + count) to each plugin of the chain in turn. A plugin whose
 * process() fails is made anew for the next document; an isolated one whose child was lost fails
 * that batch alone and goes on with a new child. Returns 1 when the run was stopped while an
 * isolated plugin had the batch: the batch did not get through the chain. */
static int run_chain_on(xlate_pipeline *p, xlate_doc *doc, size_t first, size_t count) {
    xlate_error err = {0};
    for (size_t i = 0; i < p->chain->n; i++) {
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
    return 0;
}

static int stop_requested(const xlate_pipeline *p) {
    return p->cfg.stop && *p->cfg.stop;
}

int xlate_pipeline_stream(xlate_pipeline *p, const char *name, const char *bytes, size_t len,
                          xlate_pipeline_emit emit, void *data, xlate_doc *doc, xlate_error *err) {
    size_t batch = p->cfg.batch_size ? p->cfg.batch_size : DEFAULT_BATCH_SIZE;
    size_t done = 0;
    int stopped = 0;
    xlate_doc d;
    if (build_document(p, name, bytes, len, &d, err) != 0)
        return -1;
    memset(p->gone, 0, p->chain->n);
    while (done < d.n_segs && !stopped) {
        size_t count = d.n_segs - done < batch ? d.n_segs - done : batch;
        if (stop_requested(p)) {
            stopped = 1;
            break;
        }
        if (run_chain_on(p, &d, done, count) != 0) {
            stopped = 1;
            break;
        }
        done += count;
        stopped = emit && emit(data, &d, done - count, count) != 0;
    }
    if (stopped)
        xlate_doc_truncate(&d, done);
    *doc = d;
    return stopped;
}

int xlate_pipeline_run(xlate_pipeline *p, const char *name, const char *bytes, size_t len,
                       xlate_doc *doc, xlate_error *err) {
    return xlate_pipeline_stream(p, name, bytes, len, NULL, NULL, doc, err);
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
