/*
 * writer_tmx: the TMX 1.4b output format of the writer stage, valid against tmx14.dtd. The prolog
 * and header are written once per stream, then one <tu> per segment, then the closing tags.
 *
 * A <tu> (tuid = the stream-wide segment id) carries a prop "x-document" naming the document; a
 * source <tuv> with a prop "x-term" per term span ("source → target"); and a target <tuv> when the
 * segment has a target. Failed and filtered segments, and segments no plugin gave a target, keep
 * only their source <tuv> (the DTD asks for at least one). A segment that is not "ok" gets a prop
 * "x-status", and its messages go in a <note>, each after its plugin's name, joined by "; " as in
 * the TSV message column. No segment is ever dropped. Inline codes are TMX's own inline elements
 * (put_code). A target a translation memory's match set says where it came from in props
 * "x-xlate-origin" (the plugin), "x-xlate-score" (0 .. 100) and "x-xlate-match-source" (the
 * memory's source), so that a CAT tool importing the file keeps them.
 *
 * Text: & < > " are written as entities and CR as &#13; (a parser would turn a raw CR into LF).
 * XML 1.0 cannot carry the other control characters below U+0020, nor U+FFFE and U+FFFF, even as
 * character references: each of them is replaced with U+FFFD, so the file always parses.
 * A language left empty by the user is written as "und" (BCP 47: undetermined), because the DTD
 * requires xml:lang and srclang to have a value.
 */
#include <string.h>

#include "writer_impl.h"
#include "xlate_config.h"

static const char *xml_escape_char(UChar32 c) {
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\r': return "&#13;";
    case '\t':
    case '\n': return NULL;
    case 0xFFFE:
    case 0xFFFF: return "\xEF\xBF\xBD";
    default: return c < 0x20 ? "\xEF\xBF\xBD" : NULL;
    }
}

static const char *xml_text_escape(UChar32 c, char tmp[16]) {
    (void)tmp;
    return xml_escape_char(c);
}

/* In an attribute value a parser turns raw tab and newline into spaces, so they are escaped too. */
static const char *xml_attr_escape(UChar32 c, char tmp[16]) {
    (void)tmp;
    if (c == '\t')
        return "&#9;";
    if (c == '\n')
        return "&#10;";
    return xml_escape_char(c);
}

static int put_text(xlate_buf *out, const char *s, size_t len) {
    return xlate_put_escaped(out, s, len, xml_text_escape);
}

static int put_attr(xlate_buf *out, const char *name, const char *value) {
    return xlate_buf_printf(out, " %s=\"", name) ||
           xlate_put_escaped(out, value, strlen(value), xml_attr_escape) ||
           xlate_buf_putc(out, '"');
}

static const char *lang_or_und(const char *lang) { return lang && *lang ? lang : "und"; }

static int tmx_begin(const xlate_writer_ctx *ctx, xlate_buf *out) {
    const char *version = ctx->tool_version && *ctx->tool_version ? ctx->tool_version
                                                                   : XLATE_VERSION;
    return xlate_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                               "<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n"
                               "<tmx version=\"1.4\">\n"
                               "  <header creationtool=\"xlate\"") ||
           put_attr(out, "creationtoolversion", version) ||
           xlate_buf_puts(out, " datatype=\"plaintext\" segtype=\"sentence\" adminlang=\"en\"") ||
           put_attr(out, "srclang", lang_or_und(ctx->source_lang)) ||
           xlate_buf_puts(out, " o-tmf=\"xlate\"/>\n  <body>\n");
}

static int put_prop(xlate_buf *out, const char *indent, const char *type, const char *text,
                    size_t len) {
    return xlate_buf_puts(out, indent) || xlate_buf_puts(out, "<prop type=\"") ||
           xlate_buf_puts(out, type) || xlate_buf_puts(out, "\">") || put_text(out, text, len) ||
           xlate_buf_puts(out, "</prop>\n");
}

static int put_term_prop(xlate_buf *out, const xlate_seg *seg, const xlate_term_rec *t) {
    return xlate_buf_puts(out, "        <prop type=\"x-term\">") ||
           put_text(out, seg->source + t->start, t->end - t->start) ||
           xlate_buf_puts(out, " \xE2\x86\x92 ") || put_text(out, t->target, strlen(t->target)) ||
           xlate_buf_puts(out, "</prop>\n");
}

static int put_tuv_open(xlate_buf *out, const char *lang) {
    return xlate_buf_puts(out, "      <tuv") || put_attr(out, "xml:lang", lang) ||
           xlate_buf_puts(out, ">\n");
}

/* An inline code as TMX's own: <bpt>/<ept> for the two ends of a span in the segment (i: the
 * code's id, which both ends share), <it> for an end whose partner is in another segment, <ph>
 * for a code that stands alone; x, the code's number in the segment, is the same in the source and
 * the target, so that a tool matches them. The content is the document's markup, escaped. */
static int put_code(xlate_buf *out, const xlate_seg *seg, size_t index, xlate_escape_fn escape) {
    const xlate_seg_code *c = &seg->codes[index];
    const char *tag;
    int rc;
    (void)escape;
    if (c->kind == XLATE_SEG_CODE_STANDALONE) {
        tag = "ph";
        rc = xlate_buf_printf(out, "<ph x=\"%zu\">", index + 1);
    } else if (c->isolated) {
        tag = "it";
        rc = xlate_buf_printf(out, "<it pos=\"%s\" x=\"%zu\">",
                              c->kind == XLATE_SEG_CODE_OPEN ? "begin" : "end", index + 1);
    } else if (c->kind == XLATE_SEG_CODE_OPEN) {
        tag = "bpt";
        rc = xlate_buf_printf(out, "<bpt i=\"%u\" x=\"%zu\">", c->id, index + 1);
    } else {
        tag = "ept";
        rc = xlate_buf_printf(out, "<ept i=\"%u\">", c->id);
    }
    return rc || put_text(out, c->data, strlen(c->data)) || xlate_buf_printf(out, "</%s>", tag);
}

static int put_tuv_seg(xlate_buf *out, const xlate_seg *seg, int is_target, const char *text,
                       size_t len) {
    return xlate_buf_puts(out, "        <seg>") ||
           xlate_put_with_codes(out, seg, is_target, text, len, xml_text_escape, put_code) ||
           xlate_buf_puts(out, "</seg>\n      </tuv>\n");
}

/* The source's xml:lang: the language identified for the segment (--from auto), else the run's.
 * A run whose documents may each be in another language says srclang="*all*" in the header
 * (TMX 1.4), which no <tuv> can take: one whose language was not told is "und". */
static const char *source_lang_of(const xlate_writer_ctx *ctx, const xlate_doc *doc,
                                  const xlate_seg *seg) {
    const char *lang = xlate_seg_language(doc, seg);
    if (lang)
        return lang;
    return strcmp(ctx->source_lang, "*all*") == 0 ? "und" : lang_or_und(ctx->source_lang);
}

static int put_source_tuv(xlate_buf *out, const xlate_writer_ctx *ctx, const xlate_doc *doc,
                          const xlate_seg *seg) {
    if (put_tuv_open(out, source_lang_of(ctx, doc, seg)))
        return -1;
    for (size_t k = 0; k < seg->n_terms; k++)
        if (put_term_prop(out, seg, &seg->terms[k]))
            return -1;
    return put_tuv_seg(out, seg, 0, seg->source, seg->source_len);
}

static int put_status(xlate_buf *out, const xlate_seg *seg) {
    const char *status = xlate_seg_status_name(seg->status);
    if (seg->status != XLATE_SEG_OK && put_prop(out, "      ", "x-status", status, strlen(status)))
        return -1;
    if (seg->message && (xlate_buf_puts(out, "      <note>") ||
                         xlate_put_messages_joined(out, seg, xml_text_escape) ||
                         xlate_buf_puts(out, "</note>\n")))
        return -1;
    return 0;
}

static int put_origin(xlate_buf *out, const xlate_seg *seg) {
    const xlate_seg_match *m = xlate_seg_used_match(seg);
    size_t len;
    if (!m || !xlate_output_target(seg, &len))
        return 0;
    const char *plugin = m->plugin ? m->plugin : "xlate";
    xlate_buf score = XLATE_BUF_INIT;
    int rc = xlate_put_score(&score, m->score) ||
             put_prop(out, "      ", "x-xlate-origin", plugin, strlen(plugin)) ||
             put_prop(out, "      ", "x-xlate-score", score.data, score.len) ||
             put_prop(out, "      ", "x-xlate-match-source", m->source, strlen(m->source));
    xlate_buf_free(&score);
    return rc ? -1 : 0;
}

static int put_tu(xlate_buf *out, const xlate_writer_ctx *ctx, const xlate_doc *doc,
                  const xlate_seg *seg, size_t id) {
    size_t target_len;
    const char *target = xlate_output_target(seg, &target_len);
    if (xlate_buf_puts(out, "    <tu tuid=\"") || xlate_put_uint(out, id) ||
        xlate_buf_puts(out, "\">\n") ||
        put_prop(out, "      ", "x-document", doc->name, strlen(doc->name)) ||
        put_status(out, seg) || put_origin(out, seg) || put_source_tuv(out, ctx, doc, seg))
        return -1;
    if (target && (put_tuv_open(out, lang_or_und(ctx->target_lang)) ||
                   put_tuv_seg(out, seg, 1, target, target_len)))
        return -1;
    return xlate_buf_puts(out, "    </tu>\n");
}

static int tmx_document(const xlate_writer_ctx *ctx, const xlate_doc *doc, size_t first_id,
                        xlate_buf *out) {
    for (size_t i = 0; i < doc->n_segs; i++)
        if (put_tu(out, ctx, doc, &doc->segs[i], first_id + i))
            return -1;
    return 0;
}

static int tmx_end(const xlate_writer_ctx *ctx, xlate_buf *out) {
    (void)ctx;
    return xlate_buf_puts(out, "  </body>\n</tmx>\n");
}

const xlate_writer_format xlate_writer_tmx = {tmx_begin, tmx_document, tmx_end};
