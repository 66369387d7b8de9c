/*
 * xliff_export: any document the pipeline cut (bilingual.h) written as XLIFF 1.2 or 2.1 for a CAT
 * tool, at the end of the data path beside the TSV/JSONL/TMX writers. One <file> a document, its
 * bytes base64 in the skeleton so that merge needs nothing but the returned file; one unit a
 * paragraph, one segment a piece. Inline codes keep their markup as original data: 1.2
 * <bpt>/<ept>/<it>/<ph> with the markup as content (what translate-toolkit, OmegaT and Okapi all
 * read), 2.1 <sc>/<ec>/<ph> pointing into <originalData>. The glossary's terms go in notes (1.2)
 * or the glossary module (2.1), the plugins' messages in notes, and what translation memories
 * matched in <alt-trans> (1.2, one a match, pointing at its segment's <mrk> by mid) or the
 * Translation Candidates module (2.1, <mtc:match ref="#sN">).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xliff.h"
#include "xliff_internal.h"

static const char *lang_or(const char *l, const char *dflt) { return l && *l ? l : dflt; }

int xlate_xliff_export_begin(const xlate_xliff_export_options *o, xlate_buf *out, xlate_error *err) {
    xlate_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if (o->version == XLATE_XLIFF_1_2) {
        xlate_buf_puts(out, "<xliff version=\"1.2\" xmlns=\"" XLIFF12_NS "\" xmlns:xlate=\"" XLIFF_XLATE_NS "\">\n");
    } else if (o->version == XLATE_XLIFF_2_1) {
        xlate_buf_puts(out, "<xliff version=\"2.1\" xmlns=\"" XLIFF2_NS "\" xmlns:gls=\"" XLIFF_GLS_NS
                            "\" xmlns:mtc=\"" XLIFF_MTC_NS "\" xmlns:xlate=\"" XLIFF_XLATE_NS "\"");
        xliff_put_attr(out, "srcLang", lang_or(o->source_lang, "und"));
        if (o->target_lang && *o->target_lang)
            xliff_put_attr(out, "trgLang", o->target_lang);
        xlate_buf_puts(out, ">\n");
    } else {
        xlate_error_set(err, XLATE_EINVAL, "XLIFF export: unknown version %d (1.2 or 2.1)", (int)o->version);
        return -1;
    }
    if (xlate_buf_failed(out)) {
        xlate_error_set(err, XLATE_ENOMEM, "XLIFF export: out of memory");
        return -1;
    }
    return 0;
}

int xlate_xliff_export_end(const xlate_xliff_export_options *o, xlate_buf *out, xlate_error *err) {
    (void)o;
    if (xlate_buf_puts(out, "</xliff>\n") != 0) {
        xlate_error_set(err, XLATE_ENOMEM, "XLIFF export: out of memory");
        return -1;
    }
    return 0;
}

/* --- inline content ------------------------------------------------------------------------ */

typedef struct exporter {
    const xlate_xliff_export_options *o;
    const xlate_bidoc *doc;
    const xlate_para *para;
    xlate_buf *out;
    xlate_error *err;
} exporter;

/* Text, with what XML 1.0 cannot hold as a 2.1 <cp>; 1.2 has no way to carry it. */
static int put_text(exporter *x, const char *s, size_t len) {
    while (len) {
        size_t bad = xliff_bad_char(s, len);
        xliff_put_text(x->out, s, bad);
        if (bad == len)
            break;
        if (x->o->version == XLATE_XLIFF_1_2) {
            xlate_error_set(x->err, XLATE_ERROR, "%s: paragraph %s holds the control character U+%04X, which "
                            "XLIFF 1.2 cannot carry; export as XLIFF 2.1 (--format xliff2)", x->doc->fdoc->name,
                            x->para->id, (unsigned char)s[bad]);
            return -1;
        }
        xlate_buf_printf(x->out, "<cp hex=\"%04X\"/>", (unsigned char)s[bad]);
        s += bad + 1;
        len -= bad + 1;
    }
    return 0;
}

static int has_partner(const xlate_fragment *f, const xlate_code *c, xlate_seg_code_kind kind) {
    for (size_t i = 0; i < f->n_codes; i++)
        if (f->codes[i].id == c->id && f->codes[i].kind == kind)
            return 1;
    return 0;
}

/* The paragraph's source has the code: the data a 2.1 code refers to exists. */
static int para_has(const xlate_para *p, unsigned id, xlate_seg_code_kind kind) {
    for (size_t i = 0; i < p->source.n_codes; i++)
        if (p->source.codes[i].id == id && p->source.codes[i].kind == kind)
            return 1;
    return 0;
}

static void put_code_12(exporter *x, const xlate_fragment *f, const xlate_code *c) {
    const char *data = c->data ? c->data : "";
    if (c->kind == XLATE_SEG_CODE_STANDALONE)
        xlate_buf_printf(x->out, "<ph id=\"%u\">", c->id);
    else if (c->kind == XLATE_SEG_CODE_OPEN)
        xlate_buf_printf(x->out, has_partner(f, c, XLATE_SEG_CODE_CLOSE) ? "<bpt id=\"%u\">" : "<it id=\"%u\" pos=\"open\">", c->id);
    else
        xlate_buf_printf(x->out, has_partner(f, c, XLATE_SEG_CODE_OPEN) ? "<ept id=\"%u\">" : "<it id=\"%u\" pos=\"close\">", c->id);
    xliff_put_text(x->out, data, strlen(data));
    xlate_buf_puts(x->out, c->kind == XLATE_SEG_CODE_STANDALONE ? "</ph>"
                           : has_partner(f, c, c->kind == XLATE_SEG_CODE_OPEN ? XLATE_SEG_CODE_CLOSE : XLATE_SEG_CODE_OPEN)
                               ? (c->kind == XLATE_SEG_CODE_OPEN ? "</bpt>" : "</ept>") : "</it>");
}

static void put_code_2(exporter *x, const xlate_code *c) {
    const xlate_para *p = x->para;
    int known = para_has(p, c->id, c->kind);
    if (c->kind == XLATE_SEG_CODE_STANDALONE) {
        xlate_buf_printf(x->out, "<ph id=\"c%u\"", c->id);
        if (known)
            xlate_buf_printf(x->out, " dataRef=\"d%u\"", c->id);
    } else if (c->kind == XLATE_SEG_CODE_OPEN) {
        xlate_buf_printf(x->out, "<sc id=\"c%u\"", c->id);
        if (!para_has(p, c->id, XLATE_SEG_CODE_CLOSE))
            xlate_buf_puts(x->out, " isolated=\"yes\"");
        if (known)
            xlate_buf_printf(x->out, " dataRef=\"d%u\"", c->id);
    } else {
        if (para_has(p, c->id, XLATE_SEG_CODE_OPEN))
            xlate_buf_printf(x->out, "<ec startRef=\"c%u\"", c->id);
        else
            xlate_buf_printf(x->out, "<ec id=\"c%u\" isolated=\"yes\"", c->id);
        if (known)
            xlate_buf_printf(x->out, " dataRef=\"d%uc\"", c->id);
    }
    xlate_buf_puts(x->out, "/>");
}

static int put_fragment(exporter *x, const xlate_fragment *f) {
    size_t at = 0;
    for (size_t i = 0; i < f->n_codes; i++) {
        const xlate_code *c = &f->codes[i];
        if (put_text(x, f->text + at, c->pos - at) != 0)
            return -1;
        if (x->o->version == XLATE_XLIFF_1_2)
            put_code_12(x, f, c);
        else
            put_code_2(x, c);
        at = c->pos;
    }
    return f->text ? put_text(x, f->text + at, f->len - at) : 0;
}

/* --- states, notes, terms ------------------------------------------------------------------ */

static xlate_seg_status piece_status(const xlate_bi_piece *pc) {
    return pc->seg ? pc->seg->status : XLATE_SEG_OK;
}

/* The piece has a translation worth giving the translator. */
static int has_target(const xlate_bi_piece *pc) {
    xlate_seg_status st = piece_status(pc);
    return pc->target.text && st != XLATE_SEG_FAILED && st != XLATE_SEG_FILTERED;
}

static void put_message_text(xlate_buf *out, const xlate_seg_message *m) {
    if (m->plugin) {
        xliff_put_text(out, m->plugin, strlen(m->plugin));
        xlate_buf_puts(out, ": ");
    }
    xliff_put_text(out, m->text ? m->text : "", m->text ? strlen(m->text) : 0);
}

static void put_term_text(xlate_buf *out, const xlate_seg *s, const xlate_term_rec *t) {
    xlate_buf_puts(out, "glossary: ");
    if (s->source && t->end <= s->source_len)
        xliff_put_text(out, s->source + t->start, t->end - t->start);
    xlate_buf_puts(out, " \xe2\x86\x92 ");
    xliff_put_text(out, t->target ? t->target : "", t->target ? strlen(t->target) : 0);
    if (t->note) {
        xlate_buf_puts(out, " (");
        xliff_put_text(out, t->note, strlen(t->note));
        xlate_buf_putc(out, ')');
    }
}

static void put_notes_12(exporter *x, const xlate_bi_para *bp) {
    const xlate_para *p = x->para;
    if (p->note) {
        xlate_buf_puts(x->out, "\n    <note from=\"document\">");
        xliff_put_text(x->out, p->note, strlen(p->note));
        xlate_buf_puts(x->out, "</note>");
    }
    for (size_t i = 0; i < bp->n_pieces; i++) {
        const xlate_seg *s = bp->pieces[i].seg;
        for (size_t k = 0; s && k < s->n_messages; k++) {
            xlate_buf_printf(x->out, "\n    <note from=\"xlate\" priority=\"%d\">",
                             s->messages[k].level == XLATE_SEG_WARNING ? 3 : 2);
            put_message_text(x->out, &s->messages[k]);
            xlate_buf_puts(x->out, "</note>");
        }
        for (size_t k = 0; s && k < s->n_terms; k++) {
            xlate_buf_puts(x->out, "\n    <note from=\"xlate-glossary\">");
            put_term_text(x->out, s, &s->terms[k]);
            xlate_buf_puts(x->out, "</note>");
        }
    }
}

static void put_glossary_2(exporter *x, const xlate_bi_para *bp) {
    int any = 0;
    for (size_t i = 0; i < bp->n_pieces; i++) {
        const xlate_seg *s = bp->pieces[i].seg;
        for (size_t k = 0; s && k < s->n_terms; k++) {
            const xlate_term_rec *t = &s->terms[k];
            if (!any)
                xlate_buf_puts(x->out, "\n    <gls:glossary>");
            any = 1;
            xlate_buf_puts(x->out, "\n      <gls:glossEntry><gls:term source=\"xlate\">");
            if (s->source && t->end <= s->source_len)
                xliff_put_text(x->out, s->source + t->start, t->end - t->start);
            xlate_buf_puts(x->out, "</gls:term><gls:translation source=\"xlate\">");
            xliff_put_text(x->out, t->target ? t->target : "", t->target ? strlen(t->target) : 0);
            xlate_buf_puts(x->out, "</gls:translation>");
            if (t->note) {
                xlate_buf_puts(x->out, "<gls:definition>");
                xliff_put_text(x->out, t->note, strlen(t->note));
                xlate_buf_puts(x->out, "</gls:definition>");
            }
            xlate_buf_puts(x->out, "</gls:glossEntry>");
        }
    }
    if (any)
        xlate_buf_puts(x->out, "\n    </gls:glossary>");
}

static void put_notes_2(exporter *x, const xlate_bi_para *bp) {
    int any = 0;
    const xlate_para *p = x->para;
    if (p->note) {
        xlate_buf_puts(x->out, "\n    <notes>\n      <note category=\"document\">");
        xliff_put_text(x->out, p->note, strlen(p->note));
        xlate_buf_puts(x->out, "</note>");
        any = 1;
    }
    for (size_t i = 0; i < bp->n_pieces; i++) {
        const xlate_seg *s = bp->pieces[i].seg;
        for (size_t k = 0; s && k < s->n_messages; k++) {
            if (!any)
                xlate_buf_puts(x->out, "\n    <notes>");
            any = 1;
            xlate_buf_printf(x->out, "\n      <note category=\"xlate\" priority=\"%d\">",
                             s->messages[k].level == XLATE_SEG_WARNING ? 3 : 2);
            put_message_text(x->out, &s->messages[k]);
            xlate_buf_puts(x->out, "</note>");
        }
    }
    if (any)
        xlate_buf_puts(x->out, "\n    </notes>");
}

/* A match's score as XLIFF writes a quality: a decimal with a point, at most two decimals. */
static void put_score(xlate_buf *out, double score) {
    size_t hundredths = (size_t)(score * 100.0 + 0.5), frac = hundredths % 100;
    xlate_buf_printf(out, "%zu", hundredths / 100);
    if (frac % 10)
        xlate_buf_printf(out, ".%02zu", frac);
    else if (frac)
        xlate_buf_printf(out, ".%zu", frac / 10);
}

/* 1.2: each match of the paragraph's segments as an <alt-trans> for the segment's <mrk>. */
static int put_alt_trans_12(exporter *x, const xlate_bi_para *bp) {
    size_t n_seg = 0;
    for (size_t i = 0; i < bp->n_pieces; i++) {
        const xlate_bi_piece *pc = &bp->pieces[i];
        if (!pc->is_segment)
            continue;
        n_seg++;
        const xlate_seg_matches *ms = pc->seg ? pc->seg->matches : NULL;
        for (size_t k = 0; ms && k < ms->n; k++) {
            const xlate_seg_match *m = &ms->items[k];
            xlate_buf_printf(x->out, "\n    <alt-trans mid=\"%zu\" match-quality=\"", n_seg);
            put_score(x->out, m->score);
            xlate_buf_puts(x->out, "\"");
            xliff_put_attr(x->out, "origin", m->plugin ? m->plugin : "xlate");
            xlate_buf_puts(x->out, "><source>");
            if (put_text(x, m->source, strlen(m->source)) != 0)
                return -1;
            xlate_buf_puts(x->out, "</source><target>");
            if (put_text(x, m->target, strlen(m->target)) != 0)
                return -1;
            xlate_buf_puts(x->out, "</target></alt-trans>");
        }
    }
    return 0;
}

/* 2.1: the Translation Candidates module, each match pointing at its segment ("#sN"). */
static int put_matches_2(exporter *x, const xlate_bi_para *bp) {
    size_t n_seg = 0;
    int any = 0;
    for (size_t i = 0; i < bp->n_pieces; i++) {
        const xlate_bi_piece *pc = &bp->pieces[i];
        if (!pc->is_segment)
            continue;
        n_seg++;
        const xlate_seg_matches *ms = pc->seg ? pc->seg->matches : NULL;
        for (size_t k = 0; ms && k < ms->n; k++) {
            const xlate_seg_match *m = &ms->items[k];
            if (!any)
                xlate_buf_puts(x->out, "\n    <mtc:matches>");
            any = 1;
            xlate_buf_printf(x->out, "\n      <mtc:match ref=\"#s%zu\" similarity=\"", n_seg);
            put_score(x->out, m->score);
            xlate_buf_puts(x->out, "\"");
            xliff_put_attr(x->out, "origin", m->plugin ? m->plugin : "xlate");
            xlate_buf_puts(x->out, "><source>");
            if (put_text(x, m->source, strlen(m->source)) != 0)
                return -1;
            xlate_buf_puts(x->out, "</source><target>");
            if (put_text(x, m->target, strlen(m->target)) != 0)
                return -1;
            xlate_buf_puts(x->out, "</target></mtc:match>");
        }
    }
    if (any)
        xlate_buf_puts(x->out, "\n    </mtc:matches>");
    return 0;
}

static void put_original_data(exporter *x) {
    const xlate_fragment *f = &x->para->source;
    if (!f->n_codes)
        return;
    xlate_buf_puts(x->out, "\n    <originalData>");
    for (size_t i = 0; i < f->n_codes; i++) {
        const xlate_code *c = &f->codes[i];
        /* The same code twice (never in a well-formed paragraph) would repeat a data id. */
        int seen = 0;
        for (size_t k = 0; k < i; k++)
            seen |= f->codes[k].id == c->id && f->codes[k].kind == c->kind;
        if (seen)
            continue;
        xlate_buf_printf(x->out, "\n      <data id=\"d%u%s\">", c->id, c->kind == XLATE_SEG_CODE_CLOSE ? "c" : "");
        const char *d = c->data ? c->data : "";
        size_t len = strlen(d), at = 0;
        while (at < len) {
            size_t bad = xliff_bad_char(d + at, len - at);
            xliff_put_text(x->out, d + at, bad);
            at += bad;
            if (at < len)
                xlate_buf_printf(x->out, "<cp hex=\"%04X\"/>", (unsigned char)d[at++]);
        }
        xlate_buf_puts(x->out, "</data>");
    }
    xlate_buf_puts(x->out, "\n    </originalData>");
}

/* --- units --------------------------------------------------------------------------------- */

static int unit_12(exporter *x, size_t index, const xlate_bi_para *bp) {
    char *rid = xliff_id_escape(x->para->id ? x->para->id : "");
    if (!rid)
        return -1;
    xlate_buf_printf(x->out, "   <trans-unit id=\"%zu\"", index + 1);
    xliff_put_attr(x->out, "resname", rid);
    free(rid);
    xlate_buf_puts(x->out, " xml:space=\"preserve\">\n    <source>");
    for (size_t i = 0; i < bp->n_pieces; i++)
        if (put_fragment(x, &bp->pieces[i].source) != 0)
            return -1;
    xlate_buf_puts(x->out, "</source>\n    <seg-source>");
    size_t n_seg = 0, n_target = 0, review = 0;
    for (size_t i = 0; i < bp->n_pieces; i++) {
        const xlate_bi_piece *pc = &bp->pieces[i];
        if (!pc->is_segment) {
            if (put_fragment(x, &pc->source) != 0)
                return -1;
            continue;
        }
        n_seg++;
        n_target += has_target(pc);
        review |= piece_status(pc) != XLATE_SEG_OK;
        xlate_buf_printf(x->out, "<mrk mtype=\"seg\" mid=\"%zu\">", n_seg);
        if (put_fragment(x, &pc->source) != 0)
            return -1;
        xlate_buf_puts(x->out, "</mrk>");
    }
    xlate_buf_puts(x->out, "</seg-source>");
    if (n_target) {
        const char *state = review ? "needs-review-translation" : n_target < n_seg ? "needs-translation" : "translated";
        xlate_buf_printf(x->out, "\n    <target state=\"%s\">", state);
        size_t k = 0;
        for (size_t i = 0; i < bp->n_pieces; i++) {
            const xlate_bi_piece *pc = &bp->pieces[i];
            if (!pc->is_segment) {
                if (put_fragment(x, &pc->source) != 0)
                    return -1;
                continue;
            }
            xlate_buf_printf(x->out, "<mrk mtype=\"seg\" mid=\"%zu\">", ++k);
            if (has_target(pc) && put_fragment(x, &pc->target) != 0)
                return -1;
            xlate_buf_puts(x->out, "</mrk>");
        }
        xlate_buf_puts(x->out, "</target>");
    }
    put_notes_12(x, bp);
    if (put_alt_trans_12(x, bp) != 0)
        return -1;
    xlate_buf_puts(x->out, "\n   </trans-unit>\n");
    return 0;
}

static int unit_2(exporter *x, size_t index, const xlate_bi_para *bp) {
    char *name = xliff_id_escape(x->para->id ? x->para->id : "");
    if (!name)
        return -1;
    xlate_buf_printf(x->out, "   <unit id=\"u%zu\"", index + 1);
    xliff_put_attr(x->out, "name", name);
    free(name);
    xlate_buf_puts(x->out, ">");
    put_glossary_2(x, bp);
    if (put_matches_2(x, bp) != 0)
        return -1;
    put_notes_2(x, bp);
    put_original_data(x);
    size_t n_seg = 0, n_ign = 0;
    for (size_t i = 0; i < bp->n_pieces; i++) {
        const xlate_bi_piece *pc = &bp->pieces[i];
        if (!pc->is_segment) {
            xlate_buf_printf(x->out, "\n    <ignorable id=\"i%zu\"><source>", ++n_ign);
            if (put_fragment(x, &pc->source) != 0)
                return -1;
            xlate_buf_puts(x->out, "</source></ignorable>");
            continue;
        }
        int tgt = has_target(pc);
        xlate_buf_printf(x->out, "\n    <segment id=\"s%zu\" state=\"%s\"", ++n_seg, tgt ? "translated" : "initial");
        if (tgt && piece_status(pc) == XLATE_SEG_WARNING)
            xlate_buf_puts(x->out, " subState=\"xlate:needs-review\"");
        xlate_buf_puts(x->out, "><source>");
        if (put_fragment(x, &pc->source) != 0)
            return -1;
        xlate_buf_puts(x->out, "</source>");
        if (tgt) {
            xlate_buf_puts(x->out, "<target>");
            if (put_fragment(x, &pc->target) != 0)
                return -1;
            xlate_buf_puts(x->out, "</target>");
        }
        xlate_buf_puts(x->out, "</segment>");
    }
    if (!n_seg && !n_ign) /* a unit needs one: an empty paragraph is an empty segment */
        xlate_buf_puts(x->out, "\n    <segment id=\"s1\" state=\"initial\"><source></source></segment>");
    xlate_buf_puts(x->out, "\n   </unit>\n");
    return 0;
}

static const char *datatype_12(const char *format) {
    static const char *const map[][2] = {{"html", "html"}, {"po", "po"}, {"text", "plaintext"},
                                         {"xliff", "xml"}, {"md", "x-markdown"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(format, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

/* A file id that stays the same for the same document name (2.1 wants one, an NMTOKEN). */
static uint64_t name_hash(const char *s) {
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

int xlate_xliff_export_document(const xlate_xliff_export_options *o, const xlate_bidoc *doc, xlate_buf *out,
                                xlate_error *err) {
    const xlate_fdoc *fd = doc->fdoc;
    const char *format = fd->format && fd->format->name ? fd->format->name : "text";
    const char *name = fd->name ? fd->name : "-";
    exporter x = {o, doc, NULL, out, err};
    if (o->version == XLATE_XLIFF_1_2) {
        xlate_buf_puts(out, " <file");
        xliff_put_attr(out, "original", name);
        xliff_put_attr(out, "source-language", lang_or(o->source_lang, lang_or(fd->source_lang, "und")));
        if (o->target_lang && *o->target_lang)
            xliff_put_attr(out, "target-language", o->target_lang);
        const char *dt = datatype_12(format);
        if (dt) {
            xliff_put_attr(out, "datatype", dt);
        } else {
            xlate_buf_puts(out, " datatype=\"x-");
            xliff_put_text(out, format, strlen(format));
            xlate_buf_putc(out, '"');
        }
        xliff_put_attr(out, "xlate:format", format);
        if (o->encoding)
            xliff_put_attr(out, "xlate:encoding", o->encoding);
        xlate_buf_puts(out, ">\n  <header>\n   <skl><internal-file form=\"base64\">");
        xliff_put_base64(out, doc->original ? doc->original : "", doc->original_len);
        xlate_buf_puts(out, "</internal-file></skl>\n   <tool tool-id=\"xlate\" tool-name=\"xlate\"");
        if (o->tool_version)
            xliff_put_attr(out, "tool-version", o->tool_version);
        xlate_buf_puts(out, "/>\n  </header>\n  <body>\n");
    } else {
        xlate_buf_printf(out, " <file id=\"f%016llx\"", (unsigned long long)name_hash(name));
        xliff_put_attr(out, "original", name);
        xliff_put_attr(out, "xlate:format", format);
        if (o->encoding)
            xliff_put_attr(out, "xlate:encoding", o->encoding);
        xlate_buf_puts(out, " xml:space=\"preserve\">\n  <skeleton><xlate:original>");
        xliff_put_base64(out, doc->original ? doc->original : "", doc->original_len);
        xlate_buf_puts(out, "</xlate:original></skeleton>\n");
    }
    for (size_t i = 0; i < fd->n_paras; i++) {
        x.para = &fd->paras[i];
        int rc = o->version == XLATE_XLIFF_1_2 ? unit_12(&x, i, &doc->paras[i]) : unit_2(&x, i, &doc->paras[i]);
        if (rc != 0) {
            if (!err->message)
                xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", name);
            return -1;
        }
    }
    xlate_buf_puts(out, o->version == XLATE_XLIFF_1_2 ? "  </body>\n </file>\n" : " </file>\n");
    if (xlate_buf_failed(out)) {
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", name);
        return -1;
    }
    return 0;
}
