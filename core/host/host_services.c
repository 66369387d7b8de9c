/*
 * host_services: the second half of the plugin host (host_services.h). Implements the xlate_host table that plugins
 * call (errors, logging, options, and every read or change of a segment) and the instance
 * lifecycle around create/process/destroy. Plugins reach a document's segments only through here,
 * so the rules of the batch (spans inside the source, failed segments kept) hold for every plugin.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>

#include "buf.h"
#include "options.h"
#include "host_services.h"
#include "utf8.h"

struct xlate_plugin_ctx {
    const char *plugin_name; /* borrowed from the loaded descriptor */
    const xlate_loaded_plugin *plugin;
    int starting;            /* inside create(): warnings are said once per loaded plugin */
    char *source_lang;
    char *target_lang;
    char *plugin_error;      /* what the plugin said with set_error */
    /* Why the instance's last host call failed (host->last_error), "" when it did not. A fixed
     * buffer: recording a reason must not itself fail for want of memory. */
    char call_error[512];
    xlate_log_sink log; /* where the instance's log lines go; fn NULL: nowhere */
    int dry_run;        /* the user asked for --dry-run */
    xlate_usage_sink usage; /* where count_usage adds; fn NULL: nowhere */
    void *shared;       /* what the plugin's load made (host->plugin_shared), or NULL */
};

/* The options a plugin is given: its values and the instance they belong to, so that an option
 * call that fails can say why through host->last_error. Plugins see it as `xlate_options`. */
typedef struct host_options {
    const xlate_options *values;
    xlate_plugin_ctx *ctx;
} host_options;

struct xlate_batch {
    xlate_doc *doc;
    size_t first, count;
    xlate_plugin_ctx *ctx;
    /* The view batch_done gets: the chain is done with these segments, which are what the
     * writers will write, so every call that would change one is refused. */
    const char *read_only;   /* the descriptor call the view was made for, or NULL */
};

struct xlate_instance {
    const xlate_loaded_plugin *plugin;
    xlate_plugin_ctx ctx;
    xlate_options *options;
    host_options options_view; /* what create() gets as its options */
    void *handle;
    /* A loader (xlate_shared): `handle` is what load() made, given back to unload(). */
    int is_loader, loaded;
    xlate_shared *own_shared; /* the instance's own load, when none was given to share */
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
    free(ctx->plugin_error);
    ctx->plugin_error = b.data;
}

static void say_line(xlate_plugin_ctx *ctx, xlate_log_level level, const char *line) {
    if (!ctx || !ctx->log.fn || level > ctx->log.level)
        return;
    /* A warning about the run's configuration, said while instances are made, is said once
     * however many workers make one. */
    if (ctx->starting && level <= XLATE_LOG_WARNING &&
        !xlate_loaded_plugin_first_saying(ctx->plugin, line))
        return;
    ctx->log.fn(ctx->log.data, ctx->plugin_name, level, line);
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
    say_line(ctx, level, line);
}

/* --- why a host call failed (host->last_error) ------------------------------------------------ */

/* Every host call made for an instance starts here: the reason of an earlier call is gone. */
static void call_begins(xlate_plugin_ctx *ctx) {
    if (ctx)
        ctx->call_error[0] = '\0';
}

/* Records why a call fails, logs it at debug level, and gives back the status it returns. */
static int call_fails(xlate_plugin_ctx *ctx, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int call_fails(xlate_plugin_ctx *ctx, int status, const char *fmt, ...) {
    if (!ctx)
        return status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->call_error, sizeof ctx->call_error, fmt, ap);
    va_end(ap);
    say_line(ctx, XLATE_LOG_DEBUG, ctx->call_error);
    return status;
}

static const char *host_last_error(const xlate_plugin_ctx *ctx) {
    return ctx && ctx->call_error[0] ? ctx->call_error : NULL;
}

static void *host_alloc(size_t size) { return malloc(size ? size : 1); }
static void host_free(void *p) { free(p); }

static const char *host_source_lang(const xlate_plugin_ctx *ctx) { return ctx->source_lang; }
static const char *host_target_lang(const xlate_plugin_ctx *ctx) { return ctx->target_lang; }

/* --- options ------------------------------------------------------------------------------------ */

static const host_options *options_of(const xlate_options *o) { return (const host_options *)o; }

static int option_declared(const xlate_plugin_ctx *ctx, const char *name) {
    const xlate_plugin *d = xlate_loaded_plugin_descriptor(ctx->plugin);
    for (size_t i = 0; name && i < d->n_options; i++)
        if (strcmp(d->options[i].name, name) == 0)
            return 1;
    return 0;
}

static const char *host_option(const xlate_options *o, const char *name) {
    const host_options *ho = options_of(o);
    if (!ho)
        return NULL;
    call_begins(ho->ctx);
    return xlate_options_get(ho->values, name);
}

/* The reason an option call found no value: not an option the plugin declared, no value, or a
 * value that is not of the type asked for. */
static int option_fails(const host_options *ho, const char *call, const char *name,
                        const char *type) {
    const char *v = xlate_options_get(ho->values, name);
    if (!name)
        return call_fails(ho->ctx, XLATE_EINVAL, "%s: the option name is NULL", call);
    if (!option_declared(ho->ctx, name))
        return call_fails(ho->ctx, XLATE_ENOTFOUND,
                          "%s: '%s' is not an option the descriptor declares", call, name);
    if (!v)
        return call_fails(ho->ctx, XLATE_ENOTFOUND,
                          "%s: option '%s' has no value (the user gave none, no default)", call,
                          name);
    return call_fails(ho->ctx, XLATE_ENOTFOUND, "%s: option '%s' = '%s' is not %s", call, name, v,
                      type);
}

static int host_option_int(const xlate_options *o, const char *name, long long *out) {
    const host_options *ho = options_of(o);
    if (!ho)
        return XLATE_EINVAL;
    call_begins(ho->ctx);
    if (!out)
        return call_fails(ho->ctx, XLATE_EINVAL, "option_int: out is NULL");
    return xlate_options_get_int(ho->values, name, out) == XLATE_OK
               ? XLATE_OK
               : option_fails(ho, "option_int", name, "an integer");
}
static int host_option_bool(const xlate_options *o, const char *name, int *out) {
    const host_options *ho = options_of(o);
    if (!ho)
        return XLATE_EINVAL;
    call_begins(ho->ctx);
    if (!out)
        return call_fails(ho->ctx, XLATE_EINVAL, "option_bool: out is NULL");
    return xlate_options_get_bool(ho->values, name, out) == XLATE_OK
               ? XLATE_OK
               : option_fails(ho, "option_bool", name, "a boolean (true/false, yes/no, on/off, 1/0)");
}
static int host_option_double(const xlate_options *o, const char *name, double *out) {
    const host_options *ho = options_of(o);
    if (!ho)
        return XLATE_EINVAL;
    call_begins(ho->ctx);
    if (!out)
        return call_fails(ho->ctx, XLATE_EINVAL, "option_double: out is NULL");
    return xlate_options_get_double(ho->values, name, out) == XLATE_OK
               ? XLATE_OK
               : option_fails(ho, "option_double", name, "a number");
}

/* --- the batch --------------------------------------------------------------------------------- */

/* Segment i of the batch; NULL for an index out of range. Starts the call (see call_begins). */
static xlate_seg *batch_seg(const xlate_batch *b, size_t i) {
    if (!b)
        return NULL;
    call_begins(b->ctx);
    return i < b->count ? &b->doc->segs[b->first + i] : NULL;
}

/* The segment a call names, or NULL after recording why not. */
static xlate_seg *named_seg(const xlate_batch *b, size_t i, const char *call) {
    xlate_seg *s = batch_seg(b, i);
    if (!s && b)
        call_fails(b->ctx, XLATE_EINVAL, "%s: segment index %zu is out of range: the batch has "
                                         "%zu segments (0 .. %zu)",
                   call, i, b->count, b->count ? b->count - 1 : 0);
    return s;
}

/* The segment a changing call names, or NULL after recording why not: also when the batch is
 * the read-only view of batch_done. */
static xlate_seg *changed_seg(const xlate_batch *b, size_t i, const char *call) {
    xlate_seg *s = named_seg(b, i, call);
    if (s && b->read_only) {
        call_fails(b->ctx, XLATE_EINVAL, "%s: segment %zu: the batch is read-only in %s (the "
                                         "whole chain is done with it; change segments in "
                                         "process)",
                   call, i, b->read_only);
        return NULL;
    }
    return s;
}

static size_t output_id(const xlate_batch *b, size_t i) { return b->doc->first_id + b->first + i; }

static size_t host_batch_count(const xlate_batch *b) {
    if (b)
        call_begins(b->ctx);
    return b ? b->count : 0;
}

static const char *host_segment_source(const xlate_batch *b, size_t i, size_t *len) {
    xlate_seg *s = named_seg(b, i, "segment_source");
    if (len)
        *len = s ? s->source_len : 0;
    return s ? s->source : NULL;
}

static const char *host_segment_target(const xlate_batch *b, size_t i, size_t *len) {
    xlate_seg *s = named_seg(b, i, "segment_target");
    if (len)
        *len = s && s->target ? s->target_len : 0;
    return s ? s->target : NULL;
}

static int host_segment_active(const xlate_batch *b, size_t i) {
    xlate_seg *s = named_seg(b, i, "segment_active");
    return s && !s->preset && (s->status == XLATE_SEG_OK || s->status == XLATE_SEG_WARNING);
}

/* Where UTF-8 text stops being valid, or `len` when all of it is. A NUL counts as invalid: the
 * host's copies are NUL-terminated. Every target a plugin sets passes here, so the scan goes
 * eight bytes at a time (utf8.c) and memchr finds a NUL. */
static size_t first_bad_byte(const char *text, size_t len) {
    size_t bad = xlate_utf8_first_invalid(text, len, NULL);
    const char *nul = memchr(text, '\0', bad);
    return nul ? (size_t)(nul - text) : bad;
}

static int text_refused(xlate_plugin_ctx *ctx, const char *call, size_t i, const char *what,
                        const char *text, size_t len) {
    size_t bad = first_bad_byte(text, len);
    if (bad == len)
        return 0;
    call_fails(ctx, XLATE_EINVAL, "%s: segment %zu: the %s is not UTF-8 at byte %zu of %zu (%s "
                                  "0x%02X)",
               call, i, what, bad, len, text[bad] ? "byte" : "a NUL,", (unsigned)(uint8_t)text[bad]);
    return 1;
}

/* Who set the target, so that a code it left without a place is filed under it; only a segment
 * with codes needs to know, and a segment without any costs nothing more. */
static int record_setter(const xlate_batch *b, xlate_seg *s) {
    if (!s->n_codes)
        return 0;
    return xlate_seg_set_target_plugin(s, b->ctx ? b->ctx->plugin_name : NULL);
}

static int host_segment_set_target(xlate_batch *b, size_t i, const char *text, size_t len) {
    xlate_seg *s = changed_seg(b, i, "segment_set_target");
    if (!s)
        return XLATE_EINVAL;
    if (!text && len)
        return call_fails(b->ctx, XLATE_EINVAL,
                          "segment_set_target: segment %zu: text is NULL but len is %zu", i, len);
    if (text_refused(b->ctx, "segment_set_target", i, "target", text ? text : "", len))
        return XLATE_EINVAL;
    if (xlate_seg_set_checked_target(s, text ? text : "", len) != 0 || record_setter(b, s) != 0)
        return call_fails(b->ctx, XLATE_ENOMEM,
                          "segment_set_target: segment %zu: out of memory for %zu bytes", i, len);
    return XLATE_OK;
}

/* Why a term cannot be recorded, or NULL when it can. */
static int term_refused(xlate_batch *b, const xlate_seg *s, size_t i, const xlate_term *t) {
    xlate_plugin_ctx *ctx = b->ctx;
    const char *call = "segment_add_term";
    if (!t || !t->target)
        return call_fails(ctx, XLATE_EINVAL, "%s: segment %zu: %s is NULL", call, i,
                          t ? "the term's target" : "the term");
    if (t->start >= t->end || t->end > s->source_len)
        return call_fails(ctx, XLATE_EINVAL, "%s: segment %zu: span [%zu, %zu) is not within "
                                             "the source's %zu bytes (start < end <= length)",
                          call, i, t->start, t->end, s->source_len);
    for (int edge = 0; edge < 2; edge++) {
        size_t at = edge ? t->end : t->start;
        if (at < s->source_len && U8_IS_TRAIL((uint8_t)s->source[at]))
            return call_fails(ctx, XLATE_EINVAL, "%s: segment %zu: the span [%zu, %zu) %s inside "
                                                 "a character (byte %zu is in the middle of a "
                                                 "UTF-8 sequence)",
                              call, i, t->start, t->end, edge ? "ends" : "starts", at);
    }
    if (text_refused(ctx, call, i, "term's target", t->target, strlen(t->target)) ||
        (t->note && text_refused(ctx, call, i, "term's note", t->note, strlen(t->note))))
        return XLATE_EINVAL;
    for (size_t k = 0; k < s->n_terms; k++)
        if (s->terms[k].start < t->end && t->start < s->terms[k].end)
            return call_fails(ctx, XLATE_EINVAL, "%s: segment %zu: the span [%zu, %zu) overlaps "
                                                 "term %zu at [%zu, %zu)",
                              call, i, t->start, t->end, k, s->terms[k].start, s->terms[k].end);
    return XLATE_OK;
}

static int host_segment_add_term(xlate_batch *b, size_t i, const xlate_term *t) {
    xlate_seg *s = changed_seg(b, i, "segment_add_term");
    if (!s)
        return XLATE_EINVAL;
    int rc = term_refused(b, s, i, t);
    if (rc != XLATE_OK)
        return rc;
    if (xlate_seg_add_term(s, t->start, t->end, t->target, t->note, t->flags) != 0)
        return call_fails(b->ctx, XLATE_ENOMEM, "segment_add_term: segment %zu: out of memory", i);
    return XLATE_OK;
}

static size_t host_segment_term_count(const xlate_batch *b, size_t i) {
    xlate_seg *s = named_seg(b, i, "segment_term_count");
    return s ? s->n_terms : 0;
}

static size_t host_segment_code_count(const xlate_batch *b, size_t i) {
    xlate_seg *s = named_seg(b, i, "segment_code_count");
    return s ? s->n_codes : 0;
}

/* The public view of a recorded term. The record keeps its own copy of the view so the pointer
 * handed out stays valid until the batch ends. */
static const xlate_term *host_segment_term(const xlate_batch *b, size_t i, size_t k) {
    xlate_seg *s = named_seg(b, i, "segment_term");
    if (!s)
        return NULL;
    if (k >= s->n_terms) {
        call_fails(b->ctx, XLATE_EINVAL, "segment_term: segment %zu: term %zu is out of range: "
                                         "it has %zu terms", i, k, s->n_terms);
        return NULL;
    }
    xlate_term_rec *r = &s->terms[k];
    xlate_term *view = &r->view;
    view->start = r->start;
    view->end = r->end;
    view->target = r->target;
    view->note = r->note;
    view->flags = r->flags;
    return view;
}

/* Adds a plugin's message to segment i; `call` names the host function for last_error. */
static int mark_segment(xlate_batch *b, size_t i, xlate_seg_status level, const char *code,
                        const char *message, const char *call) {
    xlate_seg *s = changed_seg(b, i, call);
    if (!s)
        return XLATE_EINVAL;
    if (!message || !*message)
        return call_fails(b->ctx, XLATE_EINVAL, "%s: segment %zu: the message is %s", call, i,
                          message ? "empty" : "NULL");
    if (code && !xlate_seg_code_is_valid(code))
        return call_fails(b->ctx, XLATE_EINVAL, "%s: segment %zu: code '%.64s' is not of "
                                                "[a-z0-9_-]+", call, i, code);
    /* segment_fail and segment_drop always took any bytes (an engine's stderr): they keep them
     * with U+FFFD in place of bad sequences. segment_warn is new and strict, as its doc says. */
    if (level == XLATE_SEG_WARNING && text_refused(b->ctx, call, i, "message", message,
                                                   strlen(message)))
        return XLATE_EINVAL;
    if (xlate_seg_add_message(s, level, b->ctx ? b->ctx->plugin_name : NULL, code, message) != 0)
        return call_fails(b->ctx, XLATE_ENOMEM, "%s: segment %zu: out of memory for the message "
                                                "(the status is set)", call, i);
    return XLATE_OK;
}

static int host_segment_fail(xlate_batch *b, size_t i, const char *message) {
    return mark_segment(b, i, XLATE_SEG_FAILED, NULL, message, "segment_fail");
}

static int host_segment_drop(xlate_batch *b, size_t i, const char *reason) {
    return mark_segment(b, i, XLATE_SEG_FILTERED, NULL, reason, "segment_drop");
}

static int host_segment_warn(xlate_batch *b, size_t i, const char *code, const char *message) {
    return mark_segment(b, i, XLATE_SEG_WARNING, code, message, "segment_warn");
}

static size_t host_segment_index(const xlate_batch *b, size_t i) {
    xlate_seg *s = named_seg(b, i, "segment_index");
    return s ? s->id - 1 : 0;
}

static size_t host_segment_paragraph(const xlate_batch *b, size_t i) {
    xlate_seg *s = named_seg(b, i, "segment_paragraph");
    return s ? s->paragraph : 0;
}

static size_t host_segment_output_id(const xlate_batch *b, size_t i) {
    xlate_seg *s = named_seg(b, i, "segment_output_id");
    return s ? output_id(b, i) : 0;
}

static const char *host_document_name(const xlate_batch *b) {
    if (!b)
        return NULL;
    call_begins(b->ctx);
    return b->doc->name;
}

/* --- translation memories' matches ----------------------------------------------------------- */

static int host_segment_add_match(xlate_batch *b, size_t i, const char *target, size_t target_len,
                                  double score, const char *match_source, size_t match_source_len,
                                  int use) {
    const char *call = "segment_add_match";
    xlate_seg *s = changed_seg(b, i, call);
    if (!s)
        return XLATE_EINVAL;
    if (!(score >= 0.0 && score <= 100.0))
        return call_fails(b->ctx, XLATE_EINVAL, "%s: segment %zu: score %g is outside 0 .. 100",
                          call, i, score);
    if (!target || !target_len)
        return call_fails(b->ctx, XLATE_EINVAL, "%s: segment %zu: the target is %s", call, i,
                          target ? "empty" : "NULL");
    if (!match_source || !match_source_len)
        return call_fails(b->ctx, XLATE_EINVAL, "%s: segment %zu: the match source is %s", call,
                          i, match_source ? "empty" : "NULL");
    if (text_refused(b->ctx, call, i, "target", target, target_len) ||
        text_refused(b->ctx, call, i, "match source", match_source, match_source_len))
        return XLATE_EINVAL;
    if (xlate_seg_add_match(s, b->ctx ? b->ctx->plugin_name : NULL, target, target_len, score,
                            match_source, match_source_len, use) != 0 ||
        (use && record_setter(b, s) != 0))
        return call_fails(b->ctx, XLATE_ENOMEM, "%s: segment %zu: out of memory", call, i);
    return XLATE_OK;
}

static double host_segment_match_score(const xlate_batch *b, size_t i) {
    xlate_seg *s = named_seg(b, i, "segment_match_score");
    const xlate_seg_match *m = s ? xlate_seg_used_match(s) : NULL;
    return m ? m->score : -1.0;
}

static int host_segment_status(const xlate_batch *b, size_t i) {
    xlate_seg *s = named_seg(b, i, "segment_status");
    if (!s)
        return -1;
    switch (s->status) {
    case XLATE_SEG_WARNING: return XLATE_SEGMENT_WARNING;
    case XLATE_SEG_FAILED: return XLATE_SEGMENT_FAILED;
    case XLATE_SEG_FILTERED: return XLATE_SEGMENT_FILTERED;
    default: return XLATE_SEGMENT_OK;
    }
}

/* --- the run: dry run and usage ---------------------------------------------------------------- */

static int host_dry_run(const xlate_plugin_ctx *ctx) { return ctx ? ctx->dry_run : 0; }

static void host_count_usage(xlate_plugin_ctx *ctx, const char *service, uint64_t requests,
                             uint64_t characters) {
    if (!ctx)
        return;
    call_begins(ctx);
    if (!xlate_usage_name_ok(service)) {
        call_fails(ctx, XLATE_EINVAL, "count_usage: service '%.64s' is not of [a-z0-9_-]+ (at "
                                      "most %d bytes); the count is ignored",
                   service ? service : "(null)", XLATE_USAGE_NAME_MAX);
        return;
    }
    if (ctx->usage.fn)
        ctx->usage.fn(ctx->usage.data, service, requests, characters);
}

/* --- placeholders ------------------------------------------------------------------------------ */

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

static int format_refused(xlate_batch *b, const char *call, size_t i, const char *format) {
    if (!format)
        return call_fails(b->ctx, XLATE_EINVAL, "%s: segment %zu: format is NULL", call, i);
    if (!placeholder_format_ok(format))
        return call_fails(b->ctx, XLATE_EINVAL, "%s: segment %zu: format '%.64s' must hold "
                                                "exactly one %%u and no other conversion",
                          call, i, format);
    return XLATE_OK;
}

/* ASCII letters compared without case: an engine may well write "[xt0]" for "[XT0]", and the
 * placeholder is still the one it was given. Other bytes compare as they are. */
static int same_ignoring_ascii_case(const char *a, const char *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return 1;
}

static int occurs_in(const char *text, size_t len, const char *needle, size_t n) {
    for (size_t at = 0; n <= len && at <= len - n; at++)
        if (same_ignoring_ascii_case(text + at, needle, n))
            return 1;
    return 0;
}

/* The placeholders of a segment's terms, then of its inline codes in source order: the format
 * with numbers first .. first + n - 1, where `first` is the lowest number that makes none of them
 * occur in the source already (ignoring ASCII case). Source text that looks like a placeholder
 * ("room [T0]") then passes through the engine as text and is never taken for a term or a code;
 * masking and unmasking compute the same numbers, as both see the same source. Entry k < n_terms
 * is term k; entry n_terms + c is code c. */
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

static int placeholders_numbered(placeholders *p, const char *format, unsigned first) {
    for (size_t k = 0; k < p->n; k++) {
        free(p->text[k]);
        xlate_buf b = XLATE_BUF_INIT;
        if (xlate_buf_printf(&b, format, first + (unsigned)k) != 0)
            return -1;
        p->text[k] = xlate_buf_steal(&b, &p->len[k]);
        if (!p->text[k])
            return -1;
    }
    return 0;
}

static int placeholders_make(placeholders *p, const char *format, const xlate_seg *s) {
    size_t n = s->n_terms + s->n_codes;
    p->n = n;
    p->text = calloc(n ? n : 1, sizeof *p->text);
    p->len = calloc(n ? n : 1, sizeof *p->len);
    p->seen = calloc(n ? n : 1, sizeof *p->seen);
    p->target_start = calloc(n ? n : 1, sizeof *p->target_start);
    if (!p->text || !p->len || !p->seen || !p->target_start)
        return -1;
    /* Each number tried moves past at least one look-alike in the source, so this ends. */
    for (unsigned first = 0;; first++) {
        if (placeholders_numbered(p, format, first) != 0)
            return -1;
        int clash = 0;
        for (size_t k = 0; k < n && !clash; k++)
            clash = occurs_in(s->source, s->source_len, p->text[k], p->len[k]);
        if (!clash || first == UINT_MAX - n)
            return 0;
    }
}

/* The longest placeholder that starts at text[at], so "[XT1]" never shadows "[XT12]". */
static long placeholder_at(const placeholders *p, const char *text, size_t len, size_t at) {
    long best = -1;
    for (size_t k = 0; k < p->n; k++)
        if (p->len[k] <= len - at && same_ignoring_ascii_case(text + at, p->text[k], p->len[k]) &&
            (best < 0 || p->len[k] > p->len[best]))
            best = (long)k;
    return best;
}

/* The source from `at` up to code c, then code c's placeholder. */
static int append_code_placeholder(xlate_buf *m, const xlate_seg *s, const placeholders *p,
                                   size_t at, size_t c) {
    size_t k = s->n_terms + c;
    return xlate_buf_append(m, s->source + at, s->codes[c].pos - at) ||
           xlate_buf_append(m, p->text[k], p->len[k]);
}

static int host_segment_masked_source(const xlate_batch *b, size_t i, const char *format,
                                      char **out, size_t *out_len) {
    xlate_batch *mb = (xlate_batch *)b;
    xlate_seg *s = named_seg(b, i, "segment_masked_source");
    if (!s)
        return XLATE_EINVAL;
    int rc = format_refused(mb, "segment_masked_source", i, format);
    if (rc != XLATE_OK)
        return rc;
    if (!out)
        return call_fails(b->ctx, XLATE_EINVAL, "segment_masked_source: segment %zu: out is NULL",
                          i);
    placeholders p = {0};
    xlate_buf m = XLATE_BUF_INIT;
    size_t at = 0;
    size_t c = 0, nt = s->n_terms;
    int bad = placeholders_make(&p, format, s);
    for (size_t k = 0; k < nt && !bad; k++) {
        const xlate_term_rec *t = &s->terms[k];
        /* A code at a term's start stands before it; one inside its span, whose text the engine
         * never sees, right after the term's placeholder. */
        for (; c < s->n_codes && s->codes[c].pos <= t->start; at = s->codes[c].pos, c++)
            bad |= append_code_placeholder(&m, s, &p, at, c);
        bad |= xlate_buf_append(&m, s->source + at, t->start - at);
        bad |= xlate_buf_append(&m, p.text[k], p.len[k]);
        at = t->end;
        for (; c < s->n_codes && s->codes[c].pos < t->end; c++)
            bad |= xlate_buf_append(&m, p.text[nt + c], p.len[nt + c]);
    }
    for (; c < s->n_codes && !bad; at = s->codes[c].pos, c++)
        bad |= append_code_placeholder(&m, s, &p, at, c);
    bad |= xlate_buf_append(&m, s->source + at, s->source_len - at);
    placeholders_free(&p);
    *out = bad ? NULL : xlate_buf_steal(&m, out_len);
    xlate_buf_free(&m);
    if (!*out)
        return call_fails(b->ctx, XLATE_ENOMEM, "segment_masked_source: segment %zu: out of memory",
                          i);
    return XLATE_OK;
}

static int describe_placeholder_problems(const xlate_seg *s, const placeholders *p, int lost,
                                         xlate_buf *msg) {
    /* Only the terms': a lost code is put back after the chain (xlate_seg_place_lost_codes). */
    for (size_t k = 0; k < s->n_terms; k++) {
        if ((lost && p->seen[k] != 0) || (!lost && p->seen[k] <= 1))
            continue;
        const xlate_term_rec *t = &s->terms[k];
        xlate_buf_printf(msg, "%sterm '%.*s' → '%s' %s by the translator", msg->len ? "; " : "",
                         (int)(t->end - t->start), s->source + t->start, t->target,
                         lost ? "was lost" : "was duplicated");
    }
    return msg->len > 0;
}

/* The host's own warning about what a translator did to the placeholders: kept on the segment
 * as the translator's (code term_lost / term_duplicated) and logged with the document and the
 * segment's output id, which is what the user finds in the output. */
static int report_placeholders(xlate_batch *b, size_t i, xlate_seg *s, const placeholders *p) {
    int rc = XLATE_OK;
    for (int lost = 1; lost >= 0 && rc == XLATE_OK; lost--) {
        xlate_buf msg = XLATE_BUF_INIT;
        if (describe_placeholder_problems(s, p, lost, &msg)) {
            if (!msg.data || xlate_seg_add_message(s, XLATE_SEG_WARNING, b->ctx->plugin_name,
                                                   lost ? "term_lost" : "term_duplicated",
                                                   msg.data) != 0)
                rc = XLATE_ENOMEM;
            else
                host_log(b->ctx, XLATE_LOG_WARNING, "%s, segment %zu: %s", b->doc->name,
                         output_id(b, i), msg.data);
        }
        xlate_buf_free(&msg);
    }
    return rc;
}

static int host_segment_set_unmasked_target(xlate_batch *b, size_t i, const char *format,
                                            const char *text, size_t len) {
    const char *call = "segment_set_unmasked_target";
    xlate_seg *s = changed_seg(b, i, call);
    if (!s)
        return XLATE_EINVAL;
    int rc = format_refused(b, call, i, format);
    if (rc != XLATE_OK)
        return rc;
    if (!text && len)
        return call_fails(b->ctx, XLATE_EINVAL, "%s: segment %zu: text is NULL but len is %zu",
                          call, i, len);
    if (text_refused(b->ctx, call, i, "text", text ? text : "", len))
        return XLATE_EINVAL;
    placeholders p = {0};
    xlate_buf out = XLATE_BUF_INIT;
    rc = placeholders_make(&p, format, s) == 0 ? XLATE_OK : XLATE_ENOMEM;
    for (size_t at = 0; rc == XLATE_OK && at < len;) {
        long k = placeholder_at(&p, text, len, at);
        if (k < 0) {
            rc = xlate_buf_putc(&out, text[at++]) == 0 ? XLATE_OK : XLATE_ENOMEM;
            continue;
        }
        if (p.seen[k]++ == 0)
            p.target_start[k] = out.len;
        /* A code's placeholder leaves no text: its first copy marks the code's place, another
         * copy is dropped. */
        if ((size_t)k < s->n_terms)
            rc = xlate_buf_puts(&out, s->terms[k].target) == 0 ? XLATE_OK : XLATE_ENOMEM;
        at += p.len[k];
    }
    if (rc == XLATE_OK && (xlate_seg_set_target(s, out.data ? out.data : "", out.len) != 0 ||
                           record_setter(b, s) != 0))
        rc = XLATE_ENOMEM;
    /* Positions are recorded after the target is set, since setting a target resets them. */
    for (size_t c = 0; rc == XLATE_OK && c < s->n_codes; c++) {
        if (!p.seen[s->n_terms + c])
            continue;
        s->codes[c].has_target_pos = 1;
        s->codes[c].target_pos = p.target_start[s->n_terms + c];
    }
    for (size_t k = 0; rc == XLATE_OK && k < s->n_terms; k++) {
        if (!p.seen[k])
            continue;
        xlate_term_rec *t = &s->terms[k];
        t->has_target_pos = 1;
        t->target_start = p.target_start[k];
        t->target_end = p.target_start[k] + strlen(t->target);
    }
    if (rc == XLATE_OK)
        rc = report_placeholders(b, i, s, &p);
    placeholders_free(&p);
    xlate_buf_free(&out);
    if (rc != XLATE_OK)
        return call_fails(b->ctx, rc, "%s: segment %zu: out of memory", call, i);
    return XLATE_OK;
}

static void *host_plugin_shared(const xlate_plugin_ctx *ctx) { return ctx ? ctx->shared : NULL; }

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
    .segment_warn = host_segment_warn,
    .last_error = host_last_error,
    .segment_output_id = host_segment_output_id,
    .document_name = host_document_name,
    .segment_code_count = host_segment_code_count,
    .segment_add_match = host_segment_add_match,
    .segment_match_score = host_segment_match_score,
    .segment_status = host_segment_status,
    .dry_run = host_dry_run,
    .count_usage = host_count_usage,
    .plugin_shared = host_plugin_shared,
};

const xlate_host *xlate_host_services(void) { return &host_table; }

/* --- instances --------------------------------------------------------------------------------- */

/* What the plugin said with set_error, else the reason of the last host call that failed (a
 * plugin that passes a host call's status on without a word still says something), else
 * `fallback`. Written into `out`. */
static void plugin_reason(const xlate_plugin_ctx *ctx, const char *fallback, xlate_buf *out) {
    if (ctx->plugin_error && *ctx->plugin_error)
        xlate_buf_puts(out, ctx->plugin_error);
    else if (ctx->call_error[0])
        xlate_buf_printf(out, "%s (the last host call that failed: %s)", fallback,
                         ctx->call_error);
    else
        xlate_buf_puts(out, fallback);
}

void xlate_instance_free(xlate_instance *inst) {
    if (!inst)
        return;
    const xlate_plugin *d = xlate_loaded_plugin_descriptor(inst->plugin);
    if (inst->is_loader) {
        if (inst->loaded && d->unload)
            d->unload(inst->handle);
    } else if (inst->handle) {
        d->destroy(inst->handle);
    }
    /* After destroy: the ABI promises unload only once no instance is left. */
    xlate_shared_free(inst->own_shared);
    xlate_options_free(inst->options);
    free(inst->ctx.source_lang);
    free(inst->ctx.target_lang);
    free(inst->ctx.plugin_error);
    free(inst);
}

static int refuse_start(xlate_instance *inst, int rc, const char *fallback, xlate_error *err) {
    const xlate_plugin *d = xlate_loaded_plugin_descriptor(inst->plugin);
    xlate_buf why = XLATE_BUF_INIT;
    plugin_reason(&inst->ctx, fallback, &why);
    /* XLATE_EINVAL from create means an option value the plugin refused: the user's to fix. */
    xlate_error_set(err, rc == XLATE_EINVAL ? XLATE_EINVAL : XLATE_ERROR,
                    "plugin '%s' could not start: %s", d->name,
                    why.data ? why.data : "out of memory");
    xlate_buf_free(&why);
    xlate_instance_free(inst);
    return -1;
}

int xlate_instance_new(const xlate_loaded_plugin *p, const char *options_text,
                       const char *source_lang, const char *target_lang,
                       const xlate_log_sink *log, xlate_instance **out, xlate_error *err) {
    xlate_run_env env = {{0}, 0, {0}};
    if (log)
        env.log = *log;
    return xlate_instance_new_in(p, options_text, source_lang, target_lang, &env, out, err);
}

/* An instance's host side, before the plugin is called: its context and validated options. */
static int instance_begin(const xlate_loaded_plugin *p, const char *options_text,
                          const char *source_lang, const char *target_lang,
                          const xlate_run_env *env, xlate_instance **out, xlate_error *err) {
    const xlate_plugin *d = xlate_loaded_plugin_descriptor(p);
    xlate_instance *inst = calloc(1, sizeof *inst);
    if (!inst) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    inst->plugin = p;
    inst->ctx.plugin_name = d->name;
    inst->ctx.plugin = p;
    if (env) {
        inst->ctx.log = env->log;
        inst->ctx.dry_run = env->dry_run != 0;
        inst->ctx.usage = env->usage;
    }
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
    inst->options_view.values = inst->options;
    inst->options_view.ctx = &inst->ctx;
    *out = inst;
    return 0;
}

int xlate_shared_new(const xlate_loaded_plugin *p, const char *options_text,
                     const char *source_lang, const char *target_lang, const xlate_run_env *env,
                     xlate_shared **out, xlate_error *err) {
    const xlate_plugin *d = xlate_loaded_plugin_descriptor(p);
    xlate_instance *inst;
    *out = NULL;
    if (!d->load)
        return 0;
    if (instance_begin(p, options_text, source_lang, target_lang, env, &inst, err) != 0)
        return -1;
    inst->is_loader = 1;
    void *data = NULL;
    inst->ctx.starting = 1;
    int rc = d->load(&host_table, &inst->ctx, (const xlate_options *)&inst->options_view, &data);
    inst->ctx.starting = 0;
    if (rc != XLATE_OK)
        return refuse_start(inst, rc, "its load() failed without a message", err);
    inst->handle = data;
    inst->loaded = 1;
    *out = inst;
    return 0;
}

void xlate_shared_free(xlate_shared *s) { xlate_instance_free(s); }

int xlate_instance_new_in(const xlate_loaded_plugin *p, const char *options_text,
                          const char *source_lang, const char *target_lang,
                          const xlate_run_env *env, xlate_instance **out, xlate_error *err) {
    return xlate_instance_new_shared(p, options_text, source_lang, target_lang, env, NULL, out,
                                     err);
}

int xlate_instance_new_shared(const xlate_loaded_plugin *p, const char *options_text,
                              const char *source_lang, const char *target_lang,
                              const xlate_run_env *env, const xlate_shared *shared,
                              xlate_instance **out, xlate_error *err) {
    const xlate_plugin *d = xlate_loaded_plugin_descriptor(p);
    xlate_instance *inst;
    if (instance_begin(p, options_text, source_lang, target_lang, env, &inst, err) != 0)
        return -1;
    if (!shared && d->load) {
        /* Nobody loaded for this instance (a single pipeline, an isolated child, a plugin
         * check): it loads for itself, and unloads after its destroy. */
        if (xlate_shared_new(p, options_text, source_lang, target_lang, env, &inst->own_shared,
                             err) != 0) {
            xlate_instance_free(inst);
            return -1;
        }
        shared = inst->own_shared;
    }
    inst->ctx.shared = shared ? shared->handle : NULL;
    void *handle = NULL;
    inst->ctx.starting = 1;
    int rc = d->create(&host_table, &inst->ctx, (const xlate_options *)&inst->options_view,
                       &handle);
    inst->ctx.starting = 0;
    if (rc != XLATE_OK)
        return refuse_start(inst, rc, "its create() failed without a message", err);
    /* The host would hand NULL to process and destroy, which the ABI says it never does. */
    if (!handle)
        return refuse_start(inst, XLATE_ERROR,
                            "its create() returned XLATE_OK but no instance (*instance is NULL)",
                            err);
    inst->handle = handle;
    *out = inst;
    return 0;
}

int xlate_instance_process(xlate_instance *inst, xlate_doc *doc, size_t first, size_t count,
                           xlate_error *err) {
    const xlate_plugin *d = xlate_loaded_plugin_descriptor(inst->plugin);
    xlate_batch batch = {doc, first, count, &inst->ctx, NULL};
    free(inst->ctx.plugin_error);
    inst->ctx.plugin_error = NULL;
    inst->ctx.call_error[0] = '\0';
    if (d->process(inst->handle, &batch) == XLATE_OK)
        return 0;
    xlate_buf why = XLATE_BUF_INIT, msg = XLATE_BUF_INIT;
    plugin_reason(&inst->ctx, "its process() failed without a message", &why);
    xlate_buf_printf(&msg, "plugin '%s' failed: %s", d->name, why.data ? why.data : "");
    xlate_buf_free(&why);
    /* Nothing is dropped: every segment the plugin should have handled stays, marked failed. */
    int reasons_lost = xlate_buf_failed(&msg);
    for (size_t i = 0; i < count; i++)
        if (host_segment_active(&batch, i) &&
            xlate_seg_add_message(&doc->segs[first + i], XLATE_SEG_FAILED, d->name, NULL,
                                  msg.data ? msg.data : "plugin failed") != 0)
            reasons_lost = 1;
    xlate_error_set(err, XLATE_ERROR, "%s: %s%s", doc->name, msg.data ? msg.data : "plugin failed",
                    reasons_lost ? " (out of memory: the failed segments carry no message)" : "");
    xlate_buf_free(&msg);
    return -1;
}

/* What the plugin said, as "plugin 'NAME' failed in CALL: why", into err. */
static void done_fails(xlate_instance *inst, const char *call, const char *doc_name,
                       xlate_error *err) {
    xlate_buf why = XLATE_BUF_INIT;
    plugin_reason(&inst->ctx, "it failed without a message", &why);
    xlate_error_set(err, XLATE_ERROR, "%s: plugin '%s' failed in %s: %s", doc_name,
                    xlate_loaded_plugin_descriptor(inst->plugin)->name, call,
                    why.data ? why.data : "out of memory");
    xlate_buf_free(&why);
}

int xlate_instance_batch_done(xlate_instance *inst, xlate_doc *doc, size_t first, size_t count,
                              xlate_error *err) {
    const xlate_plugin *d = xlate_loaded_plugin_descriptor(inst->plugin);
    if (!d->batch_done)
        return 0;
    xlate_batch batch = {doc, first, count, &inst->ctx, "batch_done"};
    free(inst->ctx.plugin_error);
    inst->ctx.plugin_error = NULL;
    inst->ctx.call_error[0] = '\0';
    if (d->batch_done(inst->handle, &batch) == XLATE_OK)
        return 0;
    done_fails(inst, "batch_done", doc->name, err);
    return -1;
}

int xlate_instance_document_done(xlate_instance *inst, const char *doc_name, xlate_error *err) {
    const xlate_plugin *d = xlate_loaded_plugin_descriptor(inst->plugin);
    if (!d->document_done)
        return 0;
    free(inst->ctx.plugin_error);
    inst->ctx.plugin_error = NULL;
    inst->ctx.call_error[0] = '\0';
    if (d->document_done(inst->handle) == XLATE_OK)
        return 0;
    done_fails(inst, "document_done", doc_name, err);
    return -1;
}
