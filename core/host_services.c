/*
 * host_services: the other half of the plugin host. Implements the xlate_host table that plugins
 * call (errors, logging, options, and every read or change of a segment) and the instance
 * lifecycle around create/process/destroy. Plugins reach a document's segments only through here,
 * so the rules of the batch (spans inside the source, failed segments kept) hold for every plugin.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "options.h"
#include "plugin_host.h"

struct xlate_plugin_ctx {
    const char *plugin_name; /* borrowed from the loaded descriptor */
    const xlate_loaded_plugin *plugin;
    int starting;            /* inside create(): warnings are said once per loaded plugin */
    char *source_lang;
    char *target_lang;
    char *last_error;
    xlate_log_sink log; /* where the instance's log lines go; fn NULL: nowhere */
};

struct xlate_batch {
    xlate_doc *doc;
    size_t first, count;
    xlate_plugin_ctx *ctx;
};

struct xlate_instance {
    const xlate_loaded_plugin *plugin;
    xlate_plugin_ctx ctx;
    xlate_options *options;
    void *handle;
};

/* --- errors and logging ------------------------------------------------------------------------ */

static void host_set_error(xlate_plugin_ctx *ctx, const char *fmt, ...) {
    if (!ctx)
        return;
    va_list ap;
    va_start(ap, fmt);
    xlate_buf b = XLATE_BUF_INIT;
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n >= 0 && xlate_buf_reserve(&b, (size_t)n) == 0) {
        va_start(ap, fmt);
        vsnprintf(b.data, (size_t)n + 1, fmt, ap);
        va_end(ap);
        b.len = (size_t)n;
    }
    free(ctx->last_error);
    ctx->last_error = b.data;
}

/* A line reaches the sink the instance was made with; without a context there is no sink, and
 * the line goes nowhere. */
static void host_log(xlate_plugin_ctx *ctx, xlate_log_level level, const char *fmt, ...) {
    if (!ctx || !ctx->log.fn || level > ctx->log.level)
        return;
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* A warning about the run's configuration, said while instances are made, is said once
     * however many workers make one. */
    if (ctx->starting && level <= XLATE_LOG_WARNING &&
        !xlate_loaded_plugin_first_saying(ctx->plugin, line))
        return;
    ctx->log.fn(ctx->log.data, ctx->plugin_name, level, line);
}

static void *host_alloc(size_t size) { return malloc(size ? size : 1); }
static void host_free(void *p) { free(p); }

static const char *host_source_lang(const xlate_plugin_ctx *ctx) { return ctx->source_lang; }
static const char *host_target_lang(const xlate_plugin_ctx *ctx) { return ctx->target_lang; }

static const char *host_option(const xlate_options *o, const char *name) {
    return xlate_options_get(o, name);
}
static int host_option_int(const xlate_options *o, const char *name, long long *out) {
    return xlate_options_get_int(o, name, out);
}
static int host_option_bool(const xlate_options *o, const char *name, int *out) {
    return xlate_options_get_bool(o, name, out);
}
static int host_option_double(const xlate_options *o, const char *name, double *out) {
    return xlate_options_get_double(o, name, out);
}

/* --- the batch --------------------------------------------------------------------------------- */

static xlate_seg *batch_seg(const xlate_batch *b, size_t i) {
    return b && i < b->count ? &b->doc->segs[b->first + i] : NULL;
}

static size_t host_batch_count(const xlate_batch *b) { return b ? b->count : 0; }

static const char *host_segment_source(const xlate_batch *b, size_t i, size_t *len) {
    xlate_seg *s = batch_seg(b, i);
    if (len)
        *len = s ? s->source_len : 0;
    return s ? s->source : NULL;
}

static const char *host_segment_target(const xlate_batch *b, size_t i, size_t *len) {
    xlate_seg *s = batch_seg(b, i);
    if (len)
        *len = s && s->target ? s->target_len : 0;
    return s ? s->target : NULL;
}

static int host_segment_active(const xlate_batch *b, size_t i) {
    xlate_seg *s = batch_seg(b, i);
    return s && (s->status == XLATE_SEG_OK || s->status == XLATE_SEG_WARNING);
}

static int host_segment_set_target(xlate_batch *b, size_t i, const char *text, size_t len) {
    xlate_seg *s = batch_seg(b, i);
    if (!s || (!text && len))
        return XLATE_EINVAL;
    /* The document refuses text that is not UTF-8 or holds a NUL: that is the plugin's error. */
    return xlate_seg_set_target(s, text ? text : "", len) == 0 ? XLATE_OK : XLATE_EINVAL;
}

static int host_segment_add_term(xlate_batch *b, size_t i, const xlate_term *t) {
    xlate_seg *s = batch_seg(b, i);
    if (!s || !t || !t->target)
        return XLATE_EINVAL;
    return xlate_seg_add_term(s, t->start, t->end, t->target, t->note, t->flags) == 0 ? XLATE_OK
                                                                                      : XLATE_EINVAL;
}

static size_t host_segment_term_count(const xlate_batch *b, size_t i) {
    xlate_seg *s = batch_seg(b, i);
    return s ? s->n_terms : 0;
}

/* The public view of a recorded term. The record keeps its own copy of the view so the pointer
 * handed out stays valid until the batch ends. */
static const xlate_term *host_segment_term(const xlate_batch *b, size_t i, size_t k) {
    xlate_seg *s = batch_seg(b, i);
    if (!s || k >= s->n_terms)
        return NULL;
    xlate_term_rec *r = &s->terms[k];
    xlate_term *view = &r->view;
    view->start = r->start;
    view->end = r->end;
    view->target = r->target;
    view->note = r->note;
    view->flags = r->flags;
    return view;
}

static int mark_segment(xlate_batch *b, size_t i, xlate_seg_status status, const char *message) {
    xlate_seg *s = batch_seg(b, i);
    if (!s)
        return XLATE_EINVAL;
    return xlate_seg_set_status(s, status, message) == 0 ? XLATE_OK : XLATE_ENOMEM;
}

static int host_segment_fail(xlate_batch *b, size_t i, const char *message) {
    return mark_segment(b, i, XLATE_SEG_FAILED, message);
}

static int host_segment_drop(xlate_batch *b, size_t i, const char *reason) {
    return mark_segment(b, i, XLATE_SEG_FILTERED, reason);
}

static size_t host_segment_index(const xlate_batch *b, size_t i) {
    xlate_seg *s = batch_seg(b, i);
    return s ? s->id - 1 : 0;
}

static size_t host_segment_paragraph(const xlate_batch *b, size_t i) {
    xlate_seg *s = batch_seg(b, i);
    return s ? s->paragraph : 0;
}

/* A placeholder format must hold exactly one %u and no other conversion, since it is handed to
 * printf with a term index. */
static int placeholder_format_ok(const char *format) {
    int conversions = 0;
    for (const char *p = format; *p; p++) {
        if (*p != '%')
            continue;
        if (p[1] == '%') {
            p++;
        } else if (p[1] == 'u') {
            conversions++;
            p++;
        } else {
            return 0;
        }
    }
    return conversions == 1;
}

static int host_segment_masked_source(const xlate_batch *b, size_t i, const char *format,
                                      char **out, size_t *out_len) {
    xlate_seg *s = batch_seg(b, i);
    if (!s || !format || !out || !placeholder_format_ok(format))
        return XLATE_EINVAL;
    xlate_buf m = XLATE_BUF_INIT;
    size_t at = 0;
    int rc = 0;
    for (size_t k = 0; k < s->n_terms && rc == 0; k++) {
        rc |= xlate_buf_append(&m, s->source + at, s->terms[k].start - at);
        rc |= xlate_buf_printf(&m, format, (unsigned)k);
        at = s->terms[k].end;
    }
    rc |= xlate_buf_append(&m, s->source + at, s->source_len - at);
    if (rc != 0) {
        xlate_buf_free(&m);
        return XLATE_ENOMEM;
    }
    *out = xlate_buf_steal(&m, out_len);
    return *out ? XLATE_OK : XLATE_ENOMEM;
}

/* The placeholders of a segment's terms, made once per call. */
typedef struct placeholders {
    char **text;
    size_t *len;
    size_t *seen;
    size_t *target_start; /* where the first copy of each term's target went */
    size_t n;
} placeholders;

static void placeholders_free(placeholders *p) {
    for (size_t k = 0; k < p->n; k++)
        free(p->text ? p->text[k] : NULL);
    free(p->text);
    free(p->len);
    free(p->seen);
    free(p->target_start);
}

static int placeholders_make(placeholders *p, const char *format, size_t n) {
    p->n = n;
    p->text = calloc(n ? n : 1, sizeof *p->text);
    p->len = calloc(n ? n : 1, sizeof *p->len);
    p->seen = calloc(n ? n : 1, sizeof *p->seen);
    p->target_start = calloc(n ? n : 1, sizeof *p->target_start);
    if (!p->text || !p->len || !p->seen || !p->target_start)
        return -1;
    for (size_t k = 0; k < n; k++) {
        xlate_buf b = XLATE_BUF_INIT;
        if (xlate_buf_printf(&b, format, (unsigned)k) != 0)
            return -1;
        p->text[k] = xlate_buf_steal(&b, &p->len[k]);
        if (!p->text[k])
            return -1;
    }
    return 0;
}

/* The longest placeholder that starts at text[at], so "[XT1]" never shadows "[XT12]". */
static long placeholder_at(const placeholders *p, const char *text, size_t len, size_t at) {
    long best = -1;
    for (size_t k = 0; k < p->n; k++)
        if (p->len[k] <= len - at && memcmp(text + at, p->text[k], p->len[k]) == 0 &&
            (best < 0 || p->len[k] > p->len[best]))
            best = (long)k;
    return best;
}

static int describe_placeholder_problems(const xlate_seg *s, const placeholders *p, xlate_buf *msg) {
    for (size_t k = 0; k < p->n; k++) {
        if (p->seen[k] == 1)
            continue;
        const xlate_term_rec *t = &s->terms[k];
        xlate_buf_printf(msg, "%sterm '%.*s' → '%s' %s by the translator", msg->len ? "; " : "",
                         (int)(t->end - t->start), s->source + t->start, t->target,
                         p->seen[k] == 0 ? "was lost" : "was duplicated");
    }
    return msg->len > 0;
}

static int host_segment_set_unmasked_target(xlate_batch *b, size_t i, const char *format,
                                            const char *text, size_t len) {
    xlate_seg *s = batch_seg(b, i);
    if (!s || !format || (!text && len) || !placeholder_format_ok(format))
        return XLATE_EINVAL;
    placeholders p = {0};
    xlate_buf out = XLATE_BUF_INIT, msg = XLATE_BUF_INIT;
    int rc = placeholders_make(&p, format, s->n_terms) == 0 ? XLATE_OK : XLATE_ENOMEM;
    for (size_t at = 0; rc == XLATE_OK && at < len;) {
        long k = placeholder_at(&p, text, len, at);
        if (k < 0) {
            rc = xlate_buf_putc(&out, text[at++]) == 0 ? XLATE_OK : XLATE_ENOMEM;
            continue;
        }
        if (p.seen[k]++ == 0)
            p.target_start[k] = out.len;
        rc = xlate_buf_puts(&out, s->terms[k].target) == 0 ? XLATE_OK : XLATE_ENOMEM;
        at += p.len[k];
    }
    if (rc == XLATE_OK && xlate_seg_set_target(s, out.data ? out.data : "", out.len) != 0)
        rc = XLATE_ENOMEM;
    /* Positions are recorded after the target is set, since setting a target resets them. */
    for (size_t k = 0; rc == XLATE_OK && k < p.n; k++) {
        if (!p.seen[k])
            continue;
        xlate_term_rec *t = &s->terms[k];
        t->has_target_pos = 1;
        t->target_start = p.target_start[k];
        t->target_end = p.target_start[k] + strlen(t->target);
    }
    if (rc == XLATE_OK && describe_placeholder_problems(s, &p, &msg) &&
        s->status == XLATE_SEG_OK)
        rc = xlate_seg_set_status(s, XLATE_SEG_WARNING, msg.data) == 0 ? XLATE_OK : XLATE_ENOMEM;
    if (rc == XLATE_OK && msg.len)
        host_log(b->ctx, XLATE_LOG_WARNING, "segment %zu: %s", s->id, msg.data);
    placeholders_free(&p);
    xlate_buf_free(&out);
    xlate_buf_free(&msg);
    return rc;
}

static const xlate_host host_table = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_host),
    .set_error = host_set_error,
    .log = host_log,
    .alloc = host_alloc,
    .free = host_free,
    .source_lang = host_source_lang,
    .target_lang = host_target_lang,
    .option = host_option,
    .option_int = host_option_int,
    .option_bool = host_option_bool,
    .option_double = host_option_double,
    .batch_count = host_batch_count,
    .segment_source = host_segment_source,
    .segment_target = host_segment_target,
    .segment_active = host_segment_active,
    .segment_set_target = host_segment_set_target,
    .segment_add_term = host_segment_add_term,
    .segment_term_count = host_segment_term_count,
    .segment_term = host_segment_term,
    .segment_fail = host_segment_fail,
    .segment_drop = host_segment_drop,
    .segment_masked_source = host_segment_masked_source,
    .segment_set_unmasked_target = host_segment_set_unmasked_target,
    .segment_index = host_segment_index,
    .segment_paragraph = host_segment_paragraph,
};

const xlate_host *xlate_host_services(void) { return &host_table; }

/* --- instances --------------------------------------------------------------------------------- */

static const char *ctx_error_or(const xlate_plugin_ctx *ctx, const char *fallback) {
    return ctx->last_error && *ctx->last_error ? ctx->last_error : fallback;
}

void xlate_instance_free(xlate_instance *inst) {
    if (!inst)
        return;
    if (inst->handle)
        xlate_loaded_plugin_descriptor(inst->plugin)->destroy(inst->handle);
    xlate_options_free(inst->options);
    free(inst->ctx.source_lang);
    free(inst->ctx.target_lang);
    free(inst->ctx.last_error);
    free(inst);
}

int xlate_instance_new(const xlate_loaded_plugin *p, const char *options_text,
                       const char *source_lang, const char *target_lang,
                       const xlate_log_sink *log, xlate_instance **out, xlate_error *err) {
    const xlate_plugin *d = xlate_loaded_plugin_descriptor(p);
    xlate_instance *inst = calloc(1, sizeof *inst);
    if (!inst) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    inst->plugin = p;
    inst->ctx.plugin_name = d->name;
    inst->ctx.plugin = p;
    if (log)
        inst->ctx.log = *log;
    inst->ctx.source_lang = strdup(source_lang ? source_lang : "");
    inst->ctx.target_lang = strdup(target_lang ? target_lang : "");
    if (!inst->ctx.source_lang || !inst->ctx.target_lang) {
        xlate_instance_free(inst);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    if (xlate_options_parse(d, options_text, &inst->options, err) != 0) {
        xlate_instance_free(inst);
        return -1;
    }
    void *handle = NULL;
    inst->ctx.starting = 1;
    int rc = d->create(&host_table, &inst->ctx, inst->options, &handle);
    inst->ctx.starting = 0;
    if (rc != XLATE_OK) {
        /* XLATE_EINVAL from create means an option value the plugin refused: the user's to fix. */
        xlate_error_set(err, rc == XLATE_EINVAL ? XLATE_EINVAL : XLATE_ERROR,
                        "plugin '%s' could not start: %s", d->name,
                        ctx_error_or(&inst->ctx, "its create() failed without a message"));
        xlate_instance_free(inst);
        return -1;
    }
    inst->handle = handle;
    *out = inst;
    return 0;
}

int xlate_instance_process(xlate_instance *inst, xlate_doc *doc, size_t first, size_t count,
                           xlate_error *err) {
    const xlate_plugin *d = xlate_loaded_plugin_descriptor(inst->plugin);
    xlate_batch batch = {doc, first, count, &inst->ctx};
    free(inst->ctx.last_error);
    inst->ctx.last_error = NULL;
    if (d->process(inst->handle, &batch) == XLATE_OK)
        return 0;
    xlate_buf msg = XLATE_BUF_INIT;
    xlate_buf_printf(&msg, "plugin '%s' failed: %s", d->name,
                     ctx_error_or(&inst->ctx, "its process() failed without a message"));
    /* Nothing is dropped: every segment the plugin should have handled stays, marked failed. */
    int reasons_lost = xlate_buf_failed(&msg);
    for (size_t i = 0; i < count; i++)
        if (host_segment_active(&batch, i) &&
            xlate_seg_set_status(&doc->segs[first + i], XLATE_SEG_FAILED, msg.data) != 0)
            reasons_lost = 1;
    xlate_error_set(err, XLATE_ERROR, "%s: %s%s", doc->name, msg.data ? msg.data : "plugin failed",
                    reasons_lost ? " (out of memory: the failed segments carry no message)" : "");
    xlate_buf_free(&msg);
    return -1;
}
