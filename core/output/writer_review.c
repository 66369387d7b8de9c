/*
 * writer_review: the review page format of the writer stage (--format review): one
 * self-contained HTML5 page for a person to read, each segment's source beside its target in a
 * table row (its output id, data-status), term spans marked on both sides with the term's target
 * and note on hover, inline codes as visible tokens, the messages of each segment with their
 * plugin and code, the match a translation memory gave and its other candidates.
 *
 * The page streams as the other formats do: each document opens its <section> when its first
 * segments come and closes it when the next document or the end comes, with its counts; the
 * stream's counts, the status filter and the keyboard legend come last (only then are they
 * known) and the style shows them first. The inline style and script are review.css and
 * review.js, built in; a Content-Security-Policy names them by their SHA-256 and lets nothing
 * else in (no network, no other script). Everything from the data is escaped as text; the
 * script reads only the writer's own attributes.
 */
#include "review.h"

#include <nettle/base64.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uloc.h>

#include "writer_impl.h"

/* review.css and review.js, embedded by the build (scripts/embed.py). */
extern const char xlate_review_css[];
extern const unsigned long xlate_review_css_len;
extern const char xlate_review_js[];
extern const unsigned long xlate_review_js_len;

/* The order statuses are shown in: problems first. */
static const xlate_seg_status shown_order[] = {XLATE_SEG_FAILED, XLATE_SEG_WARNING, XLATE_SEG_OK,
                                               XLATE_SEG_FILTERED};

/* --- escaping -------------------------------------------------------------------------------- */

/* What both escapes share: the markup characters as references, noncharacters as U+FFFD. */
static const char *markup_escape(UChar32 c) {
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case 0xFFFE:
    case 0xFFFF: return "\xEF\xBF\xBD";
    default: return NULL;
    }
}

/* A control character (but tab and line feed) is no HTML text, and fonts have no glyph for its
 * Control Picture: in text it is a token a reviewer sees, "U+0001". */
#define CTL(hex) "<span class=\"ctl\">U+00" #hex "</span>"
static const char *const control_tokens[32] = {
    CTL(00), CTL(01), CTL(02), CTL(03), CTL(04), CTL(05), CTL(06), CTL(07),
    CTL(08), CTL(09), CTL(0A), CTL(0B), CTL(0C), CTL(0D), CTL(0E), CTL(0F),
    CTL(10), CTL(11), CTL(12), CTL(13), CTL(14), CTL(15), CTL(16), CTL(17),
    CTL(18), CTL(19), CTL(1A), CTL(1B), CTL(1C), CTL(1D), CTL(1E), CTL(1F),
};
#undef CTL

static const char *text_escape(UChar32 c, char tmp[16]) {
    (void)tmp;
    if (c >= 0 && c < 0x20 && c != '\t' && c != '\n')
        return control_tokens[c];
    return markup_escape(c);
}

/* In an attribute value the token is plain text. */
static const char *attr_escape(UChar32 c, char tmp[16]) {
    static const char hex[] = "0123456789ABCDEF";
    if (c >= 0 && c < 0x20 && c != '\t' && c != '\n') {
        memcpy(tmp, "U+00", 4);
        tmp[4] = hex[c >> 4], tmp[5] = hex[c & 15], tmp[6] = '\0';
        return tmp;
    }
    return markup_escape(c);
}

int xlate_review_put_text(xlate_buf *out, const char *s, size_t len) {
    return xlate_put_escaped(out, s, len, text_escape);
}

int xlate_review_put_attr(xlate_buf *out, const char *s, size_t len) {
    return xlate_put_escaped(out, s, len, attr_escape);
}

static int put_cstr(xlate_buf *out, const char *s) { return xlate_review_put_text(out, s, strlen(s)); }

static int put_attr(xlate_buf *out, const char *s) { return xlate_review_put_attr(out, s, strlen(s)); }

/* --- the page's frame -------------------------------------------------------------------------- */

/* 'sha256-BASE64' of the data, as CSP names an inline element. */
static int put_csp_hash(xlate_buf *out, const char *data, size_t len) {
    struct sha256_ctx c;
    uint8_t digest[SHA256_DIGEST_SIZE];
    char b64[BASE64_ENCODE_RAW_LENGTH(SHA256_DIGEST_SIZE) + 1];
    sha256_init(&c);
    sha256_update(&c, len, (const uint8_t *)data);
    sha256_digest(&c, sizeof digest, digest);
    base64_encode_raw(b64, sizeof digest, digest);
    b64[BASE64_ENCODE_RAW_LENGTH(SHA256_DIGEST_SIZE)] = '\0';
    return xlate_buf_puts(out, "'sha256-") || xlate_buf_puts(out, b64) || xlate_buf_putc(out, '\'');
}

int xlate_review_put_head(xlate_buf *out, const char *lang, const char *title, int with_script) {
    int rc = xlate_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"") || put_attr(out, lang) ||
             xlate_buf_puts(out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                                 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                                 "'none'; base-uri 'none'; form-action 'none'; style-src ") ||
             put_csp_hash(out, xlate_review_css, xlate_review_css_len) ||
             xlate_buf_puts(out, "; script-src ");
    if (with_script)
        rc = rc || put_csp_hash(out, xlate_review_js, xlate_review_js_len);
    else
        rc = rc || xlate_buf_puts(out, "'none'");
    return rc || xlate_buf_puts(out, "\">\n<meta name=\"viewport\" content=\"width=device-width, "
                                     "initial-scale=1\">\n<title>") ||
                   put_attr(out, title) || xlate_buf_puts(out, "</title>\n<style>") ||
                   xlate_buf_append(out, xlate_review_css, xlate_review_css_len) ||
                   xlate_buf_puts(out, "</style>\n</head>\n<body>\n")
               ? -1
               : 0;
}

int xlate_review_put_script(xlate_buf *out) {
    return xlate_buf_puts(out, "<script>") ||
                   xlate_buf_append(out, xlate_review_js, xlate_review_js_len) ||
                   xlate_buf_puts(out, "</script>\n")
               ? -1
               : 0;
}

const char *xlate_review_dir(const char *tag) {
    char id[ULOC_FULLNAME_CAPACITY];
    int32_t parsed = 0;
    UErrorCode status = U_ZERO_ERROR;
    if (!tag || !*tag) /* ICU would take the process's default locale for none */
        return "ltr";
    uloc_forLanguageTag(tag, id, (int32_t)sizeof id, &parsed, &status);
    if (U_FAILURE(status) || status == U_STRING_NOT_TERMINATED_WARNING || !id[0])
        return "ltr";
    return uloc_isRightToLeft(id) ? "rtl" : "ltr";
}

/* --- a segment's text: term spans and inline codes ------------------------------------------- */

typedef struct mark_span {
    size_t start, end;
    const xlate_term_rec *term;
} mark_span;

static int by_start(const void *a, const void *b) {
    const mark_span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The term spans of the source, or those placed in the target, sorted and without overlaps.
 * Returns how many (0 when out of memory: the text is still written, unmarked). */
static size_t collect_spans(const xlate_seg *seg, int is_target, size_t len, mark_span *spans) {
    size_t n = 0, kept = 0;
    for (size_t k = 0; k < seg->n_terms; k++) {
        const xlate_term_rec *t = &seg->terms[k];
        size_t s = is_target ? t->target_start : t->start, e = is_target ? t->target_end : t->end;
        if ((is_target && !t->has_target_pos) || s >= e || e > len)
            continue;
        spans[n++] = (mark_span){s, e, t};
    }
    qsort(spans, n, sizeof *spans, by_start);
    for (size_t k = 0; k < n; k++)
        if (!kept || spans[k].start >= spans[kept - 1].end)
            spans[kept++] = spans[k];
    return kept;
}

static int put_mark_open(xlate_buf *out, const xlate_seg *seg, const mark_span *m) {
    const xlate_term_rec *t = m->term;
    int rc = xlate_buf_puts(out, t->note ? "<mark class=\"term noted\" title=\""
                                         : "<mark class=\"term\" title=\"") ||
             xlate_review_put_attr(out, seg->source + t->start, t->end - t->start) ||
             xlate_buf_puts(out, " \xE2\x86\x92 ") || put_attr(out, t->target);
    if (t->note)
        rc = rc || xlate_buf_puts(out, "\n") || put_attr(out, t->note);
    return rc || xlate_buf_puts(out, "\">") ? -1 : 0;
}

/* A code as a token a reviewer can see ({1}, {/1}, {2/}), its markup on hover. */
static int put_code_token(xlate_buf *out, const xlate_seg *seg, size_t index) {
    const xlate_seg_code *c = &seg->codes[index];
    const char *open = c->kind == XLATE_SEG_CODE_CLOSE ? "{/" : "{";
    const char *close = c->kind == XLATE_SEG_CODE_STANDALONE ? "/}" : "}";
    return xlate_buf_puts(out, c->isolated ? "<span class=\"code isolated\" title=\""
                                           : "<span class=\"code\" title=\"") ||
                   put_attr(out, c->data) || xlate_buf_puts(out, "\">") ||
                   xlate_buf_puts(out, open) || xlate_put_uint(out, c->id) ||
                   xlate_buf_puts(out, close) || xlate_buf_puts(out, "</span>")
               ? -1
               : 0;
}

/* The text with its term spans as <mark> and its codes as tokens at their places. At one place a
 * span ends first, then the codes come, then a span starts: the elements nest. */
static int put_marked_text(xlate_buf *out, const xlate_seg *seg, int is_target, const char *text,
                           size_t len) {
    mark_span local_spans[8], *spans = local_spans;
    size_t local_order[16], *order = local_order;
    size_t n_spans = 0, pos = 0, ci = 0, si = 0;
    int open = 0, rc = 0;
    if (seg->n_terms > 8 && !(spans = malloc(seg->n_terms * sizeof *spans)))
        return -1;
    if (seg->n_codes > 16 && !(order = malloc(seg->n_codes * sizeof *order))) {
        if (spans != local_spans)
            free(spans);
        return -1;
    }
    n_spans = collect_spans(seg, is_target, len, spans);
    xlate_codes_in_place_order(seg, is_target, len, order);
    while (rc == 0) {
        size_t next = len;
        size_t code_at = ci < seg->n_codes ? xlate_code_place(seg, order[ci], is_target, len) : len;
        if (code_at < next)
            next = code_at;
        if (open && spans[si].end < next)
            next = spans[si].end;
        if (!open && si < n_spans && spans[si].start < next)
            next = spans[si].start;
        rc = xlate_review_put_text(out, text + pos, next - pos);
        pos = next;
        if (rc)
            break;
        if (open && spans[si].end == pos) {
            rc = xlate_buf_puts(out, "</mark>");
            open = 0;
            si++;
        } else if (ci < seg->n_codes && code_at == pos) {
            rc = put_code_token(out, seg, order[ci++]);
        } else if (!open && si < n_spans && spans[si].start == pos) {
            rc = put_mark_open(out, seg, &spans[si]);
            open = 1;
        } else {
            break; /* pos == len: nothing is left at the end */
        }
    }
    if (spans != local_spans)
        free(spans);
    if (order != local_order)
        free(order);
    return rc ? -1 : 0;
}

/* --- a segment's row ------------------------------------------------------------------------- */

static int put_attr_status(xlate_buf *out, const char *before, xlate_seg_status s) {
    return xlate_buf_puts(out, before) || xlate_buf_puts(out, xlate_seg_status_name(s));
}

static int put_messages(xlate_buf *out, const xlate_seg *seg) {
    if (!seg->n_messages)
        return 0;
    if (xlate_buf_puts(out, "<ul class=\"msgs\">"))
        return -1;
    for (size_t k = 0; k < seg->n_messages; k++) {
        const xlate_seg_message *m = &seg->messages[k];
        if (put_attr_status(out, "<li class=\"m-", m->level) ||
            xlate_buf_puts(out, "\"><span class=\"plugin\">") ||
            put_cstr(out, m->plugin ? m->plugin : "xlate") || xlate_buf_puts(out, "</span> "))
            return -1;
        if (m->code && (xlate_buf_puts(out, "<code class=\"mcode\">") || put_cstr(out, m->code) ||
                        xlate_buf_puts(out, "</code> ")))
            return -1;
        if (put_cstr(out, m->text) || xlate_buf_puts(out, "</li>"))
            return -1;
    }
    return xlate_buf_puts(out, "</ul>");
}

static int put_match_text(xlate_buf *out, const char *cls, const char *lang, const char *s) {
    return xlate_buf_puts(out, "<span class=\"") || xlate_buf_puts(out, cls) ||
                   xlate_buf_puts(out, "\" lang=\"") || put_attr(out, lang) ||
                   xlate_buf_puts(out, "\">") || put_cstr(out, s) || xlate_buf_puts(out, "</span>")
               ? -1
               : 0;
}

/* The match that set the target (origin, score, the memory's source) and the other candidates. */
static int put_matches(xlate_buf *out, const xlate_writer_ctx *ctx, const xlate_seg *seg) {
    const xlate_seg_matches *ms = seg->matches;
    const xlate_seg_match *used = xlate_seg_used_match(seg);
    size_t len, n_other;
    if (!ms)
        return 0;
    if (used && !xlate_output_target(seg, &len))
        used = NULL;
    if (used && (xlate_buf_puts(out, "<p class=\"tm\">from <span class=\"plugin\">") ||
                 put_cstr(out, used->plugin ? used->plugin : "xlate") ||
                 xlate_buf_puts(out, "</span> <span class=\"score\">") ||
                 xlate_put_score(out, used->score) || xlate_buf_puts(out, "%</span>: ") ||
                 put_match_text(out, "msrc", ctx->source_lang, used->source) ||
                 xlate_buf_puts(out, "</p>")))
        return -1;
    n_other = ms->n - (used ? 1 : 0);
    if (!n_other)
        return 0;
    if (xlate_buf_puts(out, "<ol class=\"cands\" title=\"other matches\">"))
        return -1;
    for (size_t k = 0; k < ms->n; k++) {
        const xlate_seg_match *m = &ms->items[k];
        if (m == used)
            continue;
        if (xlate_buf_puts(out, "<li><span class=\"score\">") || xlate_put_score(out, m->score) ||
            xlate_buf_puts(out, "%</span> <span class=\"plugin\">") ||
            put_cstr(out, m->plugin ? m->plugin : "xlate") || xlate_buf_puts(out, "</span>: ") ||
            put_match_text(out, "msrc", ctx->source_lang, m->source) ||
            xlate_buf_puts(out, " \xE2\x86\x92 ") ||
            put_match_text(out, "mtgt", ctx->target_lang, m->target) || xlate_buf_puts(out, "</li>"))
            return -1;
    }
    return xlate_buf_puts(out, "</ol>");
}

static int put_lang_cell(xlate_buf *out, const char *cls, const char *lang, const char *dir) {
    return xlate_buf_puts(out, "<td class=\"") || xlate_buf_puts(out, cls) ||
                   xlate_buf_puts(out, "\" lang=\"") || put_attr(out, lang) ||
                   xlate_buf_puts(out, "\" dir=\"") || xlate_buf_puts(out, dir) ||
                   xlate_buf_puts(out, "\">")
               ? -1
               : 0;
}

static const char *no_target_note(const xlate_seg *seg) {
    switch (seg->status) {
    case XLATE_SEG_FAILED: return "<span class=\"none\">no target: failed</span>";
    case XLATE_SEG_FILTERED: return "<span class=\"none\">no target: filtered</span>";
    default: return "<span class=\"none\">no target</span>";
    }
}

typedef struct row_dirs {
    const char *source, *target;
} row_dirs;

static int put_row(xlate_buf *out, const xlate_writer_ctx *ctx, const row_dirs *dirs,
                   const xlate_seg *seg, size_t id) {
    size_t target_len;
    const char *target = xlate_output_target(seg, &target_len);
    if (xlate_buf_puts(out, "<tr id=\"s") || xlate_put_uint(out, id) ||
        put_attr_status(out, "\" data-status=\"", seg->status) ||
        xlate_buf_puts(out, "\" tabindex=\"-1\"><td class=\"id\">") || xlate_put_uint(out, id) ||
        put_attr_status(out, "</td><td class=\"st st-", seg->status) || xlate_buf_puts(out, "\">") ||
        xlate_buf_puts(out, xlate_seg_status_name(seg->status)) || xlate_buf_puts(out, "</td>") ||
        put_lang_cell(out, "src", ctx->source_lang, dirs->source) ||
        put_marked_text(out, seg, 0, seg->source ? seg->source : "", seg->source_len) ||
        xlate_buf_puts(out, "</td>") || put_lang_cell(out, "tgt", ctx->target_lang, dirs->target))
        return -1;
    if (target ? put_marked_text(out, seg, 1, target, target_len)
               : xlate_buf_puts(out, no_target_note(seg)))
        return -1;
    if (xlate_buf_puts(out, "</td><td class=\"notes\">") ||
        (seg->preset && target &&
         xlate_buf_puts(out, "<p class=\"preset\">target kept from the document</p>")) ||
        put_messages(out, seg) || put_matches(out, ctx, seg))
        return -1;
    return xlate_buf_puts(out, "</td></tr>\n");
}

/* --- documents and the stream ----------------------------------------------------------------- */

/* "4 segments: 1 failed, 1 warning, 2 ok, 0 filtered", problems first. */
static int put_counts(xlate_buf *out, const size_t counts[4]) {
    size_t total = counts[0] + counts[1] + counts[2] + counts[3];
    if (xlate_buf_puts(out, "<b>") || xlate_put_uint(out, total) ||
        xlate_buf_puts(out, total == 1 ? "</b> segment: " : "</b> segments: "))
        return -1;
    for (size_t k = 0; k < 4; k++) {
        xlate_seg_status s = shown_order[k];
        if ((k && xlate_buf_puts(out, ", ")) || put_attr_status(out, "<span class=\"st-", s) ||
            xlate_buf_puts(out, "\" data-count=\"") || xlate_buf_puts(out, xlate_seg_status_name(s)) ||
            xlate_buf_puts(out, "\">") || xlate_put_uint(out, counts[s]) ||
            xlate_buf_putc(out, ' ') || xlate_buf_puts(out, xlate_seg_status_name(s)) ||
            xlate_buf_puts(out, "</span>"))
            return -1;
    }
    return 0;
}

static int close_section(const xlate_writer_ctx *ctx, xlate_buf *out) {
    return xlate_buf_puts(out, "</tbody>\n</table>\n<p class=\"doc-counts\">") ||
                   put_counts(out, ctx->doc_counts) || xlate_buf_puts(out, "</p>\n</section>\n")
               ? -1
               : 0;
}

static int open_section(const xlate_writer_ctx *ctx, const xlate_doc *doc, xlate_buf *out) {
    return xlate_buf_puts(out, "<section class=\"doc\">\n<h2>") ||
                   xlate_review_put_text(out, doc->name, strlen(doc->name)) ||
                   xlate_buf_puts(out, "</h2>\n<table class=\"segs\">\n<colgroup><col class=\"c-id\">"
                                       "<col class=\"c-st\"><col><col><col class=\"c-notes\"></colgroup>\n"
                                       "<thead><tr><th>id</th><th>status</th><th>source (") ||
                   put_cstr(out, ctx->source_lang) || xlate_buf_puts(out, ")</th><th>target (") ||
                   put_cstr(out, ctx->target_lang) ||
                   xlate_buf_puts(out, ")</th><th>messages, memory</th></tr></thead>\n<tbody>\n")
               ? -1
               : 0;
}

static int review_begin(const xlate_writer_ctx *ctx, xlate_buf *out) {
    xlate_buf title = XLATE_BUF_INIT;
    int rc = xlate_buf_puts(&title, "xlate review: ") || xlate_buf_puts(&title, ctx->source_lang) ||
             xlate_buf_puts(&title, " \xE2\x86\x92 ") || xlate_buf_puts(&title, ctx->target_lang) ||
             xlate_review_put_head(out, "en", title.data, 1) || /* the page's own words */
             xlate_buf_puts(out, "<main id=\"docs\">\n");
    xlate_buf_free(&title);
    return rc ? -1 : 0;
}

static int review_document(const xlate_writer_ctx *ctx, const xlate_doc *doc, size_t first_id,
                           xlate_buf *out) {
    row_dirs dirs = {xlate_review_dir(ctx->source_lang), xlate_review_dir(ctx->target_lang)};
    if (!ctx->continues && ((ctx->documents && close_section(ctx, out)) || open_section(ctx, doc, out)))
        return -1;
    for (size_t i = 0; i < doc->n_segs; i++)
        if (put_row(out, ctx, &dirs, &doc->segs[i], first_id + i))
            return -1;
    return 0;
}

static int put_filter(xlate_buf *out, const size_t counts[4]) {
    if (xlate_buf_puts(out, "<fieldset class=\"filter\"><legend>Show</legend>\n"))
        return -1;
    for (size_t k = 0; k < 4; k++) {
        const char *name = xlate_seg_status_name(shown_order[k]);
        if (xlate_buf_puts(out, "<label class=\"st-") || xlate_buf_puts(out, name) ||
            xlate_buf_puts(out, "\"><input type=\"checkbox\" data-filter=\"") ||
            xlate_buf_puts(out, name) || xlate_buf_puts(out, "\" checked> ") ||
            xlate_buf_puts(out, name) || xlate_buf_puts(out, " (") ||
            xlate_put_uint(out, counts[shown_order[k]]) || xlate_buf_puts(out, ")</label>\n"))
            return -1;
    }
    return xlate_buf_puts(out, "</fieldset>\n");
}

static int review_end(const xlate_writer_ctx *ctx, xlate_buf *out) {
    if (ctx->documents && close_section(ctx, out))
        return -1;
    return xlate_buf_puts(out, "</main>\n<header id=\"summary\">\n<h1>xlate review <span "
                               "class=\"pair\">") ||
                   put_cstr(out, ctx->source_lang) || xlate_buf_puts(out, " \xE2\x86\x92 ") ||
                   put_cstr(out, ctx->target_lang) ||
                   xlate_buf_puts(out, "</span></h1>\n<p class=\"totals\">") ||
                   put_counts(out, ctx->counts) || xlate_buf_puts(out, " in ") ||
                   xlate_put_uint(out, ctx->documents) ||
                   xlate_buf_puts(out, ctx->documents == 1 ? " document</p>\n" : " documents</p>\n") ||
                   put_filter(out, ctx->counts) ||
                   xlate_buf_puts(out, "<p class=\"legend\">Keys: <kbd>j</kbd> or <kbd>n</kbd> next "
                                       "problem (failed or warning), <kbd>k</kbd> or <kbd>p</kbd> "
                                       "previous. Hover a marked term for its target and note, a "
                                       "{1} token for the markup it stands for.</p>\n</header>\n") ||
                   xlate_review_put_script(out) || xlate_buf_puts(out, "</body>\n</html>\n")
               ? -1
               : 0;
}

const xlate_writer_format xlate_writer_review = {review_begin, review_document, review_end};
