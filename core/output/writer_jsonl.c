/*
 * writer_jsonl: the JSON Lines output format of the writer stage. One JSON object per segment and
 * line, keys always in this order:
 *   id, doc, paragraph, start, end, [lang], source, target, status, [message, messages], terms,
 *   [codes], [origin, score, match_source], [candidates]
 * `start`/`end` are bytes in the document's normalized text; `target` is the text the plugins set,
 * or null when none did or the segment failed or was filtered; `message` is present only when a
 * plugin (or the host) gave one: the texts of all the segment's messages joined with "; ", as
 * readers of the one-message format expect; `messages` beside it lists them in the order they
 * came, each {plugin, level, code, text} (plugin "xlate" for the host's own, code null when
 * none, level "warning", "failed" or "filtered"); each term is {source, target, start, end, [note], [target_start, target_end]}
 * with offsets in bytes of the segment's source (and target) as written. A segment with inline
 * codes (from a document format: HTML, XLIFF) shows each code's markup in `source` and `target`
 * at its place, the term offsets counting it, and lists them in `codes`, in source order, each
 * {id, kind ("open", "close" or "standalone"), data}.
 * A target a translation memory's match set (segment_add_match with `use`) says where it came
 * from: `origin` (the plugin), `score` (0 .. 100) and `match_source` (the memory's source);
 * the other matches the segment was given follow as `candidates`, each {plugin, score, source,
 * target}, in the order they came. A segment without matches has none of these keys.
 *
 * `lang` is there when the run identified the source language (--from auto): the segment's own
 * when it reads as another language than its document, else the document's.
 *
 * Strings are escaped by json.c (RFC 8259, as most JSON libraries print them: `"`, `\` and the
 * control characters below U+0020 escaped, everything else, non-ASCII included, as UTF-8).
 */
#include <string.h>

#include "json.h"
#include "writer_impl.h"

static const char *no_escape(UChar32 c, char tmp[16]) {
    (void)c;
    (void)tmp;
    return NULL;
}

/* A file name is the one text that may not be UTF-8 (Linux names are bytes); JSON must be, so its
 * bad sequences become U+FFFD, once per document. Every other text was validated upstream. */
static int name_as_utf8(const char *name, xlate_buf *clean) {
    return xlate_put_escaped(clean, name, strlen(name), no_escape) || xlate_buf_reserve(clean, 0);
}

/* `key` is the literal text before the value, e.g. ",\"target\":". */
static int put_key_string(xlate_buf *out, const char *key, const char *s, size_t len) {
    return xlate_buf_puts(out, key) || xlate_json_string(out, s, len);
}

static int put_key_uint(xlate_buf *out, const char *key, size_t v) {
    return xlate_buf_puts(out, key) || xlate_put_uint(out, v);
}

/* An offset into the source (or target) as written: past the codes' markup before it. */
static size_t shown(const xlate_seg *seg, int is_target, size_t at, int after_codes_at) {
    return seg->n_codes ? xlate_offset_with_codes(seg, is_target, at, after_codes_at) : at;
}

static int put_term(xlate_buf *out, const xlate_seg *seg, const xlate_term_rec *t) {
    if (put_key_string(out, "{\"source\":", seg->source + t->start, t->end - t->start) ||
        put_key_string(out, ",\"target\":", t->target, strlen(t->target)) ||
        put_key_uint(out, ",\"start\":", shown(seg, 0, t->start, 1)) ||
        put_key_uint(out, ",\"end\":", shown(seg, 0, t->end, 0)))
        return -1;
    if (t->note && put_key_string(out, ",\"note\":", t->note, strlen(t->note)))
        return -1;
    if (t->has_target_pos &&
        (put_key_uint(out, ",\"target_start\":", shown(seg, 1, t->target_start, 1)) ||
         put_key_uint(out, ",\"target_end\":", shown(seg, 1, t->target_end, 0))))
        return -1;
    return xlate_buf_putc(out, '}');
}

static int put_terms(xlate_buf *out, const xlate_seg *seg) {
    if (xlate_buf_puts(out, ",\"terms\":["))
        return -1;
    for (size_t k = 0; k < seg->n_terms; k++) {
        if ((k && xlate_buf_putc(out, ',')) || put_term(out, seg, &seg->terms[k]))
            return -1;
    }
    return xlate_buf_putc(out, ']');
}

static int put_codes(xlate_buf *out, const xlate_seg *seg) {
    static const char *const kinds[] = {"open", "close", "standalone"};
    if (xlate_buf_puts(out, ",\"codes\":["))
        return -1;
    for (size_t k = 0; k < seg->n_codes; k++) {
        const xlate_seg_code *c = &seg->codes[k];
        if ((k && xlate_buf_putc(out, ',')) || put_key_uint(out, "{\"id\":", c->id) ||
            put_key_string(out, ",\"kind\":", kinds[c->kind], strlen(kinds[c->kind])) ||
            put_key_string(out, ",\"data\":", c->data, strlen(c->data)) ||
            xlate_buf_putc(out, '}'))
            return -1;
    }
    return xlate_buf_putc(out, ']');
}

/* `key` and the text as a JSON string, with the segment's codes inline when it has any. */
static int put_key_text(xlate_buf *out, const char *key, const xlate_seg *seg, int is_target,
                        const char *s, size_t len) {
    if (!seg->n_codes)
        return put_key_string(out, key, s, len);
    xlate_buf inline_text = XLATE_BUF_INIT;
    int rc = xlate_put_with_codes(&inline_text, seg, is_target, s, len, no_escape,
                                  xlate_put_code_markup) ||
             put_key_string(out, key, inline_text.data ? inline_text.data : "", inline_text.len);
    xlate_buf_free(&inline_text);
    return rc ? -1 : 0;
}

static int put_messages(xlate_buf *out, const xlate_seg *seg) {
    if (xlate_buf_puts(out, ",\"messages\":["))
        return -1;
    for (size_t k = 0; k < seg->n_messages; k++) {
        const xlate_seg_message *m = &seg->messages[k];
        const char *level = xlate_seg_status_name(m->level);
        if ((k && xlate_buf_putc(out, ',')) ||
            put_key_string(out, "{\"plugin\":", m->plugin ? m->plugin : "xlate",
                           strlen(m->plugin ? m->plugin : "xlate")) ||
            put_key_string(out, ",\"level\":", level, strlen(level)) ||
            xlate_buf_puts(out, ",\"code\":") ||
            (m->code ? xlate_json_string(out, m->code, strlen(m->code))
                     : xlate_buf_puts(out, "null")) ||
            put_key_string(out, ",\"text\":", m->text, strlen(m->text)) ||
            xlate_buf_putc(out, '}'))
            return -1;
    }
    return xlate_buf_putc(out, ']');
}

/* Where the target came from, when a memory's match set it and the target is written. */
static int put_origin(xlate_buf *out, const xlate_seg *seg) {
    const xlate_seg_match *m = xlate_seg_used_match(seg);
    size_t len;
    if (!m || !xlate_output_target(seg, &len))
        return 0;
    const char *plugin = m->plugin ? m->plugin : "xlate";
    return put_key_string(out, ",\"origin\":", plugin, strlen(plugin)) ||
                   xlate_buf_puts(out, ",\"score\":") || xlate_put_score(out, m->score) ||
                   put_key_string(out, ",\"match_source\":", m->source, strlen(m->source))
               ? -1
               : 0;
}

/* The matches that are not the target's, when there are any. */
static int put_candidates(xlate_buf *out, const xlate_seg *seg) {
    const xlate_seg_matches *ms = seg->matches;
    const xlate_seg_match *used = xlate_seg_used_match(seg);
    size_t len, n = 0;
    /* The used one is the target's origin, unless the target is not written. */
    if (used && !xlate_output_target(seg, &len))
        used = NULL;
    if (!ms || ms->n == (used ? 1u : 0u))
        return 0;
    if (xlate_buf_puts(out, ",\"candidates\":["))
        return -1;
    for (size_t k = 0; k < ms->n; k++) {
        const xlate_seg_match *m = &ms->items[k];
        if (m == used)
            continue;
        const char *plugin = m->plugin ? m->plugin : "xlate";
        if ((n++ && xlate_buf_putc(out, ',')) ||
            put_key_string(out, "{\"plugin\":", plugin, strlen(plugin)) ||
            xlate_buf_puts(out, ",\"score\":") || xlate_put_score(out, m->score) ||
            put_key_string(out, ",\"source\":", m->source, strlen(m->source)) ||
            put_key_string(out, ",\"target\":", m->target, strlen(m->target)) ||
            xlate_buf_putc(out, '}'))
            return -1;
    }
    return xlate_buf_putc(out, ']');
}

static int put_segment(xlate_buf *out, const xlate_buf *doc_name, const xlate_doc *doc,
                       const xlate_seg *seg, size_t id) {
    size_t target_len;
    const char *target = xlate_output_target(seg, &target_len);
    const char *lang = xlate_seg_language(doc, seg);
    if (put_key_uint(out, "{\"id\":", id) ||
        put_key_string(out, ",\"doc\":", doc_name->data, doc_name->len) ||
        put_key_uint(out, ",\"paragraph\":", seg->paragraph) ||
        put_key_uint(out, ",\"start\":", seg->start) || put_key_uint(out, ",\"end\":", seg->end) ||
        (lang && put_key_string(out, ",\"lang\":", lang, strlen(lang))) ||
        put_key_text(out, ",\"source\":", seg, 0, seg->source, seg->source_len))
        return -1;
    if (target ? put_key_text(out, ",\"target\":", seg, 1, target, target_len)
               : xlate_buf_puts(out, ",\"target\":null"))
        return -1;
    if (put_key_string(out, ",\"status\":", xlate_seg_status_name(seg->status),
                       strlen(xlate_seg_status_name(seg->status))))
        return -1;
    if (seg->message && (put_key_string(out, ",\"message\":", seg->message, strlen(seg->message)) ||
                         put_messages(out, seg)))
        return -1;
    if (put_terms(out, seg) || (seg->n_codes && put_codes(out, seg)))
        return -1;
    if (seg->matches && (put_origin(out, seg) || put_candidates(out, seg)))
        return -1;
    return xlate_buf_puts(out, "}\n");
}

static int jsonl_begin(const xlate_writer_ctx *ctx, xlate_buf *out) {
    (void)ctx;
    (void)out;
    return 0;
}

static int jsonl_document(const xlate_writer_ctx *ctx, const xlate_doc *doc, size_t first_id,
                          xlate_buf *out) {
    xlate_buf name = XLATE_BUF_INIT;
    int rc = name_as_utf8(doc->name, &name);
    (void)ctx;
    for (size_t i = 0; i < doc->n_segs && rc == 0; i++)
        rc = put_segment(out, &name, doc, &doc->segs[i], first_id + i);
    xlate_buf_free(&name);
    return rc ? -1 : 0;
}

static int jsonl_end(const xlate_writer_ctx *ctx, xlate_buf *out) {
    (void)ctx;
    (void)out;
    return 0;
}

const xlate_writer_format xlate_writer_jsonl = {jsonl_begin, jsonl_document, jsonl_end};
