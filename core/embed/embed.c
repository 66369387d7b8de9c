/*
 * embed: the public embedding API (include/xlate/xlate.h) over the internal modules. A session
 * holds what the CLI's run command holds — plugin search path, log sink, chain, one worker
 * pipeline — and hands each text down the whole data path (pipeline) and then to a writer. It
 * adds no stage of its own; the only text it makes itself is the plain-text output, which puts
 * targets back in the places of their sources. Everything it acts on comes from the session's
 * options, never from the process's environment.
 */
#include "xlate/xlate.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "options.h"
#include "pipeline.h"
#include "writer.h"
#include "xlate_config.h"

struct xlate_session {
    char *source_lang, *target_lang, *encoding, *srx_path;
    xlate_pipeline_config cfg;
    xlate_plugin_search search;
    int search_ready;
    char **specs; /* the --plugin style arguments of the chain, in order */
    size_t n_specs;
    xlate_chain *chain;
    xlate_pipeline *pipeline;
    xlate_doc_stats last; /* counts of the last translation */
    char *errmsg;         /* NULL: no error */
};

static const char out_of_memory_text[] = "out of memory";

/* --- errors ----------------------------------------------------------------------------------- */

static void clear_error(xlate_session *s) {
    free(s->errmsg);
    s->errmsg = NULL;
}

static void set_error_text(xlate_session *s, const char *text) {
    clear_error(s);
    s->errmsg = strdup(text ? text : out_of_memory_text);
}

/* Takes the message of an internal error into the session and frees it. */
static void take_error(xlate_session *s, xlate_error *err) {
    set_error_text(s, err->message ? err->message : "unknown error");
    xlate_error_clear(err);
}

/* --- options and session ---------------------------------------------------------------------- */

/* How many bytes of xlate_session_options a caller of `version` has; 0 for a version this
 * library does not know. A caller built against an older header has a shorter struct, so no more
 * than this is read or written. */
static size_t options_size(unsigned int version) {
    switch (version) {
    case 1: return offsetof(xlate_session_options, log);
    case 2: return sizeof(xlate_session_options);
    default: return 0;
    }
}

XLATE_API int xlate_session_options_init(xlate_session_options *opts, unsigned int version) {
    static const xlate_session_options defaults = XLATE_SESSION_OPTIONS_INIT;
    size_t size = options_size(version);
    if (!opts || !size)
        return XLATE_EINVAL;
    memcpy(opts, &defaults, size);
    opts->version = version;
    return XLATE_OK;
}

/* The caller's options as this library's struct: the fields its version has, the defaults for
 * the rest. Returns 0, or -1 for an unknown version. */
static int read_options(const xlate_session_options *given, xlate_session_options *o) {
    static const xlate_session_options defaults = XLATE_SESSION_OPTIONS_INIT;
    *o = defaults;
    if (!given)
        return 0;
    size_t size = options_size(given->version);
    if (!size)
        return -1;
    memcpy(o, given, size);
    return 0;
}

XLATE_API const char *xlate_version(void) { return XLATE_VERSION; }

XLATE_API void xlate_free(void *ptr) { free(ptr); }

static int copy_string(char **dst, const char *src, const char *fallback) {
    const char *v = src ? src : fallback;
    *dst = v ? strdup(v) : NULL;
    return v && !*dst ? -1 : 0;
}

/* Splits a ':'-separated folder list into the array xlate_plugin_search_init takes. */
static int split_path_list(const char *list, char ***dirs, size_t *n) {
    *dirs = NULL;
    *n = 0;
    if (!list || !*list)
        return 0;
    size_t max = 1;
    for (const char *p = list; *p; p++)
        max += *p == ':';
    *dirs = calloc(max, sizeof **dirs);
    if (!*dirs)
        return -1;
    for (const char *p = list; p;) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        if (len && !((*dirs)[(*n)++] = strndup(p, len)))
            return -1;
        p = colon ? colon + 1 : NULL;
    }
    return 0;
}

static void free_strings(char **v, size_t n) {
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static int init_search(xlate_session *s, const char *plugin_path, int build_tree) {
    char **dirs = NULL;
    size_t n = 0;
    int rc = split_path_list(plugin_path, &dirs, &n);
    if (rc == 0)
        rc = xlate_plugin_search_init(&s->search, (const char *const *)dirs, n, build_tree, xlate_host_services());
    if (rc == 0)
        s->search.hint = "add its folder to the session's plugin_path (xlate_session_options), "
                         "or give the plugin's file as a path such as ./NAME.so";
    free_strings(dirs, n);
    s->search_ready = rc == 0;
    return rc;
}

/* An unknown encoding is the caller's mistake, so it is reported by xlate_session_new rather
 * than by the first translation. */
static int check_encoding(xlate_session *s) {
    if (!s->encoding)
        return XLATE_OK;
    xlate_decoded probe;
    xlate_error err = {0};
    if (xlate_decode("", 0, &s->cfg.decode, "encoding option", &probe, &err) != 0) {
        take_error(s, &err);
        return XLATE_EINVAL;
    }
    xlate_decoded_free(&probe);
    return XLATE_OK;
}

static int status_of(const xlate_error *err) {
    return err->status != XLATE_OK ? err->status : XLATE_ERROR;
}

/* Loads the chain the specs name and a worker pipeline for it; replaces the session's only
 * when both could be made, so that a failed call leaves the session as it was. */
static int rebuild_chain(xlate_session *s, const char *const *specs, size_t n) {
    xlate_error err = {0};
    xlate_chain *chain = NULL;
    xlate_pipeline *pipeline = NULL;
    int rc = xlate_chain_load(&s->search, specs, n, s->source_lang, s->target_lang, &chain, &err);
    if (rc == 0)
        rc = xlate_pipeline_new(&s->cfg, chain, &pipeline, &err);
    if (rc != 0) {
        int status = rc == XLATE_ENOTFOUND ? XLATE_ENOTFOUND : status_of(&err);
        take_error(s, &err);
        xlate_chain_free(chain);
        return status;
    }
    /* Only the plugin just added is new to the caller: the others were warned about before. */
    xlate_chain_warn_pairs(chain, n ? n - 1 : 0, s->source_lang, s->target_lang, &s->cfg.log);
    xlate_pipeline_free(s->pipeline);
    xlate_chain_free(s->chain);
    s->chain = chain;
    s->pipeline = pipeline;
    return XLATE_OK;
}

XLATE_API void xlate_session_free(xlate_session *s) {
    if (!s)
        return;
    xlate_pipeline_free(s->pipeline);
    xlate_chain_free(s->chain);
    free_strings(s->specs, s->n_specs);
    if (s->search_ready)
        xlate_plugin_search_free(&s->search);
    free(s->source_lang);
    free(s->target_lang);
    free(s->encoding);
    free(s->srx_path);
    free(s->errmsg);
    free(s);
}

static int log_level_ok(xlate_log_level level) {
    return (unsigned)level <= (unsigned)XLATE_LOG_DEBUG;
}

XLATE_API int xlate_session_new(const xlate_session_options *given, xlate_session **out) {
    static const xlate_decode_options decode_defaults = XLATE_DECODE_OPTIONS_INIT;
    static const xlate_normalize_options normalize_defaults = XLATE_NORMALIZE_OPTIONS_INIT;
    xlate_session_options o;
    if (!out)
        return XLATE_EINVAL;
    xlate_session *s = *out = calloc(1, sizeof *s);
    if (!s)
        return XLATE_ENOMEM;
    if (read_options(given, &o) != 0) {
        set_error_text(s, "xlate_session_new: the options' version is not one this libxlate knows; "
                          "set it to XLATE_SESSION_OPTIONS_VERSION");
        return XLATE_EINVAL;
    }
    if (!log_level_ok(o.log_level)) {
        set_error_text(s, "xlate_session_new: log_level is not an xlate_log_level; give one of "
                          "XLATE_LOG_ERROR, XLATE_LOG_WARNING, XLATE_LOG_INFO, XLATE_LOG_DEBUG");
        return XLATE_EINVAL;
    }
    if (copy_string(&s->source_lang, o.source_lang, "uk") != 0 ||
        copy_string(&s->target_lang, o.target_lang, "en") != 0 ||
        copy_string(&s->encoding, o.encoding, NULL) != 0 ||
        copy_string(&s->srx_path, o.srx_path, NULL) != 0 ||
        init_search(s, o.plugin_path, o.search_build_tree) != 0) {
        set_error_text(s, out_of_memory_text);
        return XLATE_ENOMEM;
    }
    s->cfg.decode = decode_defaults;
    s->cfg.decode.encoding = s->encoding;
    s->cfg.normalize = normalize_defaults;
    s->cfg.source_lang = s->source_lang;
    s->cfg.target_lang = s->target_lang;
    s->cfg.srx_path = s->srx_path;
    s->cfg.batch_size = o.batch_size;
    s->cfg.log.fn = o.log;
    s->cfg.log.data = o.log_data;
    s->cfg.log.level = o.log_level;
    int rc = check_encoding(s);
    if (rc == XLATE_OK)
        rc = rebuild_chain(s, NULL, 0);
    return rc;
}

/* --- the chain -------------------------------------------------------------------------------- */

XLATE_API int xlate_session_add_plugin(xlate_session *s, const char *spec) {
    if (!s || !spec)
        return XLATE_EINVAL;
    clear_error(s);
    char **specs = realloc(s->specs, (s->n_specs + 1) * sizeof *specs);
    if (!specs) {
        set_error_text(s, out_of_memory_text);
        return XLATE_ENOMEM;
    }
    s->specs = specs;
    if (!(s->specs[s->n_specs] = strdup(spec))) {
        set_error_text(s, out_of_memory_text);
        return XLATE_ENOMEM;
    }
    int rc = rebuild_chain(s, (const char *const *)s->specs, s->n_specs + 1);
    if (rc != XLATE_OK) {
        free(s->specs[s->n_specs]);
        return rc;
    }
    s->n_specs++;
    return XLATE_OK;
}

XLATE_API size_t xlate_session_plugin_count(const xlate_session *s) { return s ? s->n_specs : 0; }

/* --- translation ------------------------------------------------------------------------------ */

static int is_emitted(const xlate_seg *seg) { return seg->status != XLATE_SEG_FILTERED; }

/* The document's text with each segment's source replaced by its target. The white space and
 * line breaks between segments come from the source, so paragraphs stay where they were; a
 * dropped segment takes the space before it along. */
static int write_plain_text(const xlate_doc *doc, xlate_buf *out) {
    size_t prev_end = 0;
    int rc = 0, last_emitted = 0;
    for (size_t i = 0; i < doc->n_segs && rc == 0; i++) {
        const xlate_seg *seg = &doc->segs[i];
        last_emitted = is_emitted(seg);
        if (last_emitted) {
            const char *t = seg->target ? seg->target : seg->source;
            size_t tl = seg->target ? seg->target_len : seg->source_len;
            rc |= xlate_buf_append(out, doc->text + prev_end, seg->start - prev_end);
            rc |= xlate_buf_append(out, t, tl);
        }
        prev_end = seg->end;
    }
    if (rc == 0 && last_emitted)
        rc = xlate_buf_append(out, doc->text + prev_end, doc->text_len - prev_end);
    else if (rc == 0 && doc->text_len && doc->text[doc->text_len - 1] == '\n' && out->len)
        rc = xlate_buf_putc(out, '\n');
    return rc;
}

static int write_records(const xlate_session *s, const xlate_doc *doc, xlate_format format,
                         xlate_buf *out) {
    xlate_writer_options wo = {format, s->source_lang, s->target_lang, XLATE_VERSION};
    xlate_writer *w = NULL;
    if (xlate_writer_new(&wo, &w) != 0)
        return -1;
    int rc = xlate_writer_begin(w, out);
    rc |= xlate_writer_document(w, doc, out);
    rc |= xlate_writer_end(w, out);
    xlate_writer_free(w);
    return rc;
}

static int write_output(const xlate_session *s, const xlate_doc *doc, xlate_output_format format,
                        xlate_buf *out) {
    switch (format) {
    case XLATE_OUTPUT_TEXT: return write_plain_text(doc, out);
    case XLATE_OUTPUT_TSV: return write_records(s, doc, XLATE_FORMAT_TSV, out);
    case XLATE_OUTPUT_JSONL: return write_records(s, doc, XLATE_FORMAT_JSONL, out);
    case XLATE_OUTPUT_TMX: return write_records(s, doc, XLATE_FORMAT_TMX, out);
    }
    return -1;
}

/* Names the first failed segment, so that XLATE_PARTIAL comes with a reason. */
static void report_first_failure(xlate_session *s, const xlate_doc *doc) {
    for (size_t i = 0; i < doc->n_segs; i++) {
        const xlate_seg *seg = &doc->segs[i];
        if (seg->status != XLATE_SEG_FAILED)
            continue;
        xlate_buf b = XLATE_BUF_INIT;
        xlate_buf_printf(&b, "segment %zu failed: %s (%zu of %zu segments failed)", seg->id,
                         seg->message ? seg->message : "no message", s->last.failed, doc->n_segs);
        clear_error(s);
        s->errmsg = xlate_buf_steal(&b, NULL);
        xlate_buf_free(&b);
        return;
    }
}

XLATE_API int xlate_translate_text(xlate_session *s, const char *text, size_t len,
                                   xlate_output_format format, char **out, size_t *out_len) {
    if (out)
        *out = NULL;
    if (out_len)
        *out_len = 0;
    if (!s)
        return XLATE_EINVAL;
    clear_error(s);
    memset(&s->last, 0, sizeof s->last);
    if (!out || (!text && len) || format < XLATE_OUTPUT_TEXT || format > XLATE_OUTPUT_TMX) {
        set_error_text(s, "xlate_translate_text: out is NULL, text is NULL with a length, or the "
                          "format is not an xlate_output_format");
        return XLATE_EINVAL;
    }
    xlate_doc doc;
    xlate_error err = {0};
    if (xlate_pipeline_run(s->pipeline, "text", text ? text : "", len, &doc, &err) != 0) {
        int status = status_of(&err);
        take_error(s, &err);
        return status;
    }
    xlate_doc_get_stats(&doc, &s->last);
    xlate_buf b = XLATE_BUF_INIT;
    int rc = write_output(s, &doc, format, &b);
    if (rc == 0)
        *out = xlate_buf_steal(&b, out_len);
    xlate_buf_free(&b);
    if (rc != 0 || !*out) {
        xlate_doc_free(&doc);
        set_error_text(s, out_of_memory_text);
        return XLATE_ENOMEM;
    }
    if (s->last.failed)
        report_first_failure(s, &doc);
    xlate_doc_free(&doc);
    return s->last.failed ? XLATE_PARTIAL : XLATE_OK;
}

XLATE_API void xlate_session_last_counts(const xlate_session *s, size_t *segments, size_t *failed,
                                         size_t *filtered, size_t *warnings) {
    static const xlate_doc_stats none = {0, 0, 0, 0};
    const xlate_doc_stats *st = s ? &s->last : &none;
    if (segments)
        *segments = st->segments;
    if (failed)
        *failed = st->failed;
    if (filtered)
        *filtered = st->filtered;
    if (warnings)
        *warnings = st->warnings;
}

XLATE_API const char *xlate_session_errmsg(const xlate_session *s) {
    if (!s)
        return "no session (NULL): xlate_session_new could not make one, for want of memory";
    return s->errmsg ? s->errmsg : "";
}
