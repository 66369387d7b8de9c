/*
 * align_write: beads → TSV, JSONL, TMX, XLIFF 1.2. See align_write.h.
 */
#include <stdlib.h>
#include <string.h>

#include "align_write.h"
#include "document.h"
#include "writer.h"

struct xlate_align_writer {
    xlate_align_format format;
    const char *src_lang, *tgt_lang;
    int pairs_only;
    xlate_writer *records; /* JSONL and TMX */
};

int xlate_align_format_parse(const char *word, xlate_align_format *out) {
    static const char *const names[] = {"tsv", "jsonl", "tmx", "xliff"};
    for (int i = 0; i < 4; i++)
        if (strcmp(word, names[i]) == 0) {
            *out = (xlate_align_format)i;
            return 0;
        }
    return -1;
}

const char *xlate_align_format_extension(xlate_align_format f) {
    static const char *const ext[] = {"tsv", "jsonl", "tmx", "xlf"};
    return ext[f];
}

int xlate_align_writer_new(xlate_align_format f, const char *src_lang, const char *tgt_lang,
                           const char *tool_version, int pairs_only, xlate_align_writer **out) {
    *out = NULL;
    xlate_align_writer *w = calloc(1, sizeof *w);
    if (!w)
        return -1;
    w->format = f;
    w->src_lang = src_lang;
    w->tgt_lang = tgt_lang;
    w->pairs_only = pairs_only;
    if (f == XLATE_ALIGN_JSONL || f == XLATE_ALIGN_TMX) {
        xlate_writer_options o = {f == XLATE_ALIGN_JSONL ? XLATE_FORMAT_JSONL : XLATE_FORMAT_TMX,
                                  src_lang, tgt_lang, tool_version};
        if (xlate_writer_new(&o, &w->records) != 0) {
            free(w);
            return -1;
        }
    }
    *out = w;
    return 0;
}

void xlate_align_writer_free(xlate_align_writer *w) {
    if (!w)
        return;
    xlate_writer_free(w->records);
    free(w);
}

/* --- what a bead holds --------------------------------------------------------------------- */

static int bead_wanted(const xlate_align_writer *w, const xlate_align_bead *b) {
    return !w->pairs_only || (b->n_src && b->n_tgt && !b->low);
}

/* The bytes of sentences [first, first + n) of a side, the text between them included. */
static const char *side_text(const xlate_align_side *s, size_t first, size_t n, size_t *len) {
    if (!n) {
        *len = 0;
        return "";
    }
    size_t start = s->spans[first].start, end = s->spans[first + n - 1].end;
    *len = end - start;
    return s->text + start;
}

static const char *bead_status(const xlate_align_bead *b) {
    return !b->n_src || !b->n_tgt ? "unaligned" : b->low ? "low" : "ok";
}

/* "3" or "3,4" (1-based), "" for none. */
static int put_numbers(xlate_buf *out, size_t first, size_t n) {
    for (size_t k = 0; k < n; k++)
        if (xlate_buf_printf(out, k ? ",%zu" : "%zu", first + k + 1) != 0)
            return -1;
    return 0;
}

static int bead_message(xlate_buf *m, const xlate_align_bead *b, int threshold) {
    if (!b->n_tgt)
        return xlate_buf_puts(m, b->n_src > 1 ? "source sentences " : "source sentence ") ||
               put_numbers(m, b->src, b->n_src) || xlate_buf_puts(m, " not in the target");
    if (!b->n_src)
        return xlate_buf_puts(m, b->n_tgt > 1 ? "target sentences " : "target sentence ") ||
               put_numbers(m, b->tgt, b->n_tgt) || xlate_buf_puts(m, " not in the source");
    return xlate_buf_printf(m, "pair scores %d, below the threshold %d", b->score, threshold);
}

/* --- TSV ------------------------------------------------------------------------------------- */

static int tsv_field(xlate_buf *out, const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        const char *esc = s[i] == '\t' ? "\\t" : s[i] == '\n' ? "\\n" : s[i] == '\r' ? "\\r"
                          : s[i] == '\\' ? "\\\\" : NULL;
        if (esc ? xlate_buf_puts(out, esc) : xlate_buf_putc(out, s[i]))
            return -1;
    }
    return 0;
}

static int tsv_bead(xlate_buf *out, const xlate_align_result *r, const xlate_align_bead *b) {
    size_t sl, tl;
    const char *s = side_text(r->src, b->src, b->n_src, &sl);
    const char *t = side_text(r->tgt, b->tgt, b->n_tgt, &tl);
    return put_numbers(out, b->src, b->n_src) || xlate_buf_putc(out, '\t') ||
                   put_numbers(out, b->tgt, b->n_tgt) ||
                   xlate_buf_printf(out, "\t%d\t%s\t", b->score, bead_status(b)) ||
                   tsv_field(out, s, sl) || xlate_buf_putc(out, '\t') || tsv_field(out, t, tl) ||
                   xlate_buf_putc(out, '\n')
               ? -1
               : 0;
}

/* --- XLIFF 1.2 -------------------------------------------------------------------------------- */

static int xml_text(xlate_buf *out, const char *s, size_t len, int attr) {
    for (size_t i = 0; i < len; i++) {
        const char *esc = s[i] == '<' ? "&lt;" : s[i] == '>' ? "&gt;" : s[i] == '&' ? "&amp;"
                          : attr && s[i] == '"' ? "&quot;" : NULL;
        if (esc ? xlate_buf_puts(out, esc) : xlate_buf_putc(out, s[i]))
            return -1;
    }
    return 0;
}

static int xliff_begin(xlate_buf *out) {
    return xlate_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                               "<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n");
}

static int xliff_document(const xlate_align_writer *w, const xlate_align_result *r, xlate_buf *out) {
    if (xlate_buf_puts(out, "  <file original=\"") || xml_text(out, r->src_name, strlen(r->src_name), 1) ||
        xlate_buf_printf(out, "\" source-language=\"%s\" target-language=\"%s\" datatype=\"plaintext\">\n"
                              "    <header><note>aligned with ", w->src_lang, w->tgt_lang) ||
        xml_text(out, r->tgt_name, strlen(r->tgt_name), 0) ||
        xlate_buf_puts(out, "</note></header>\n    <body>\n"))
        return -1;
    size_t id = 0;
    for (size_t k = 0; k < r->n_beads; k++) {
        const xlate_align_bead *b = &r->beads[k];
        if (!bead_wanted(w, b))
            continue;
        size_t sl, tl;
        const char *s = side_text(r->src, b->src, b->n_src, &sl);
        const char *t = side_text(r->tgt, b->tgt, b->n_tgt, &tl);
        const char *state = !strcmp(bead_status(b), "ok") ? "translated" : "needs-review-translation";
        xlate_buf msg = XLATE_BUF_INIT;
        int rc = xlate_buf_printf(out, "      <trans-unit id=\"%zu\" xml:space=\"preserve\">\n"
                                       "        <source>", ++id) ||
                 xml_text(out, s, sl, 0) || xlate_buf_puts(out, "</source>\n");
        if (!rc && b->n_tgt)
            rc = xlate_buf_printf(out, "        <target state=\"%s\">", state) || xml_text(out, t, tl, 0) ||
                 xlate_buf_puts(out, "</target>\n");
        if (!rc)
            rc = xlate_buf_printf(out, "        <note from=\"align\">score %d; source ", b->score) ||
                 put_numbers(out, b->src, b->n_src) || xlate_buf_puts(out, "; target ") ||
                 put_numbers(out, b->tgt, b->n_tgt);
        if (!rc && strcmp(bead_status(b), "ok") != 0)
            rc = bead_message(&msg, b, r->threshold) || xlate_buf_puts(out, "; ") ||
                 xml_text(out, msg.data, msg.len, 0);
        xlate_buf_free(&msg);
        if (rc || xlate_buf_puts(out, "</note>\n      </trans-unit>\n"))
            return -1;
    }
    return xlate_buf_puts(out, "    </body>\n  </file>\n");
}

/* --- JSONL and TMX through the record writers ---------------------------------------------- */

static int bead_segment(const xlate_align_result *r, const xlate_align_bead *b, xlate_seg *seg) {
    size_t sl, tl;
    const char *s = side_text(r->src, b->src, b->n_src, &sl);
    const char *t = side_text(r->tgt, b->tgt, b->n_tgt, &tl);
    if (b->n_src && b->n_tgt) {
        if (xlate_seg_add_match(seg, "align", t, tl, (double)b->score, s, sl, 1) != 0)
            return -1;
    } else if (b->n_tgt && xlate_seg_set_target(seg, t, tl) != 0) {
        return -1;
    }
    if (!strcmp(bead_status(b), "ok"))
        return 0;
    xlate_buf m = XLATE_BUF_INIT;
    int rc = bead_message(&m, b, r->threshold) != 0 || xlate_buf_putc(&m, 0) != 0 ||
             xlate_seg_add_message(seg, XLATE_SEG_WARNING, "align", b->low ? "low_score" : "unaligned",
                                   m.data) != 0;
    xlate_buf_free(&m);
    return rc ? -1 : 0;
}

/* The beads as a document of segments over the source's text: a bead's span is its source
 * sentences', an empty one where the source has none. */
static int records_document(xlate_align_writer *w, const xlate_align_result *r, xlate_buf *out) {
    size_t n = 0;
    for (size_t k = 0; k < r->n_beads; k++)
        n += bead_wanted(w, &r->beads[k]);
    xlate_span *spans = malloc((n ? n : 1) * sizeof *spans);
    size_t text_len = r->src->n_spans ? r->src->spans[r->src->n_spans - 1].end : 0;
    char *text = malloc(text_len + 1);
    if (!spans || !text) {
        free(spans);
        free(text);
        return -1;
    }
    memcpy(text, r->src->text, text_len);
    text[text_len] = 0;
    size_t at = 0, para = 0, i = 0;
    for (size_t k = 0; k < r->n_beads; k++) {
        const xlate_align_bead *b = &r->beads[k];
        if (b->n_src) {
            const xlate_span *first = &r->src->spans[b->src], *last = &r->src->spans[b->src + b->n_src - 1];
            para = first->paragraph;
            if (bead_wanted(w, b))
                spans[i++] = (xlate_span){first->start, last->end, para};
            at = last->end;
        } else if (bead_wanted(w, b)) {
            spans[i++] = (xlate_span){at, at, para};
        }
    }
    xlate_doc doc;
    int rc = xlate_doc_init(&doc, r->src_name, text, text_len, spans, n);
    free(spans);
    if (rc != 0)
        return -1;
    i = 0;
    for (size_t k = 0; rc == 0 && k < r->n_beads; k++)
        if (bead_wanted(w, &r->beads[k]))
            rc = bead_segment(r, &r->beads[k], &doc.segs[i++]);
    if (rc == 0)
        rc = xlate_writer_document(w->records, &doc, out);
    xlate_doc_free(&doc);
    return rc;
}

/* --- the stream ---------------------------------------------------------------------------- */

int xlate_align_writer_begin(xlate_align_writer *w, xlate_buf *out) {
    switch (w->format) {
    case XLATE_ALIGN_TSV:
        return xlate_buf_puts(out, "src\ttgt\tscore\tstatus\tsource\ttarget\n");
    case XLATE_ALIGN_XLIFF:
        return xliff_begin(out);
    default:
        return xlate_writer_begin(w->records, out);
    }
}

int xlate_align_writer_document(xlate_align_writer *w, const xlate_align_result *r, xlate_buf *out,
                                xlate_error *err) {
    int rc = 0;
    switch (w->format) {
    case XLATE_ALIGN_TSV:
        for (size_t k = 0; rc == 0 && k < r->n_beads; k++)
            if (bead_wanted(w, &r->beads[k]))
                rc = tsv_bead(out, r, &r->beads[k]);
        break;
    case XLATE_ALIGN_XLIFF:
        rc = xliff_document(w, r, out);
        break;
    default:
        rc = records_document(w, r, out);
        break;
    }
    if (rc != 0)
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory writing the alignment", r->src_name);
    return rc;
}

int xlate_align_writer_end(xlate_align_writer *w, xlate_buf *out) {
    switch (w->format) {
    case XLATE_ALIGN_TSV:
        return 0;
    case XLATE_ALIGN_XLIFF:
        return xlate_buf_puts(out, "</xliff>\n");
    default:
        return xlate_writer_end(w->records, out);
    }
}
