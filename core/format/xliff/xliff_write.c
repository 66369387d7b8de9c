/*
 * xliff_write: the XLIFF module's `write` (format.h). Puts each translated paragraph's target
 * into the tree read by xliff.c — 1.2 <target> (with the seg-source's <mrk mtype="seg"> when the
 * unit is segmented), 2.x each <segment>'s <target>, each segment's own translation when the
 * presegs carry them (format.h), else its share cut from the paragraph's — with the codes written back as the
 * elements they were, the state set, and the target language declared; then serializes the tree.
 * Paragraphs without a target leave the tree as it was, so a document with none comes back equal
 * after canonicalization. The tree is changed in place: a document written twice keeps what the
 * first write put into units the second leaves alone.
 */
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#include "xliff.h"
#include "xliff_internal.h"

int xliff_write_doc(const xlate_fdoc *doc, const xlate_format_write_options *o, xlate_buf *out, xlate_error *err);

/* The markup a code of a target is written as: the source's element with the same id (so a
 * code's target copy never invents markup), else its own data. */
static const char *code_markup(const xlate_para *p, const xlate_code *c) {
    for (size_t i = 0; i < p->source.n_codes; i++)
        if (p->source.codes[i].id == c->id && p->source.codes[i].kind == c->kind && p->source.codes[i].data)
            return p->source.codes[i].data;
    return c->data && *c->data ? c->data : NULL;
}

/* 1 when the code stands in the source between segments (in a gap): it belongs to the gap,
 * which the tree keeps, not to a segment's target. */
static int in_gap(const xliff_skel *s, size_t pi, const xlate_code *c) {
    for (size_t i = 0; i < s->n_gap_codes[pi]; i++)
        if (s->gap_codes[pi][i].id == c->id && s->gap_codes[pi][i].kind == (int)c->kind)
            return 1;
    return 0;
}

/* Where gap `gap`'s first code stands in the translation, or -1. */
static long gap_code_pos(const xliff_skel *s, size_t pi, const xlate_fragment *t, size_t gap, size_t from) {
    for (size_t i = 0; i < s->n_gap_codes[pi]; i++) {
        if (s->gap_codes[pi][i].gap != gap)
            continue;
        for (size_t k = 0; k < t->n_codes; k++)
            if (t->codes[k].id == s->gap_codes[pi][i].id && (int)t->codes[k].kind == s->gap_codes[pi][i].kind &&
                t->codes[k].pos >= from)
                return (long)t->codes[k].pos;
        return -1;
    }
    return -1;
}

/* A segment's share of the translation: bytes [from, to) and codes [cf, ct). */
typedef struct part {
    size_t from, to, cf, ct;
} part;

/* Appends target bytes [from, to) with the codes that stand in it; used[] marks codes taken. */
static int put_part(const xliff_skel *s, size_t pi, const xlate_para *p, const xlate_fragment *t, part pt,
                    char *used, xlate_buf *b, const char *name, xlate_error *err) {
    size_t at = pt.from;
    for (size_t i = pt.cf; i < pt.ct && i < t->n_codes; i++) {
        const xlate_code *c = &t->codes[i];
        if (used[i])
            continue;
        used[i] = 1;
        if (in_gap(s, pi, c))
            continue;
        const char *m = code_markup(p, c);
        if (!m) {
            xlate_error_set(err, XLATE_ERROR, "%s: unit %s: code %u of the translation has no markup in the source; "
                            "translate the unit again", name, p->id, c->id);
            return -1;
        }
        size_t cp = c->pos < at ? at : c->pos > pt.to ? pt.to : c->pos;
        xliff_put_text(b, t->text + at, cp - at);
        xlate_buf_puts(b, m);
        at = cp;
    }
    xliff_put_text(b, t->text + at, pt.to - at);
    return 0;
}

static int starts_with(const char *s, size_t len, const char *pre, size_t n) {
    return n <= len && memcmp(s, pre, n) == 0;
}

/* Cuts the paragraph's translation into its segments' translations: the pipeline joined them
 * with the text between segments as the source has it, so that text marks the cuts. When it
 * cannot be found (a gap of no text, or one the translation lost), the first segment takes the
 * whole translation and the others are left empty. */
static size_t code_index(const xlate_fragment *t, long pos, const xliff_skel *s, size_t pi, size_t gap) {
    for (size_t i = 0; i < s->n_gap_codes[pi]; i++)
        if (s->gap_codes[pi][i].gap == gap)
            for (size_t k = 0; k < t->n_codes; k++)
                if (t->codes[k].id == s->gap_codes[pi][i].id && (int)t->codes[k].kind == s->gap_codes[pi][i].kind &&
                    (long)t->codes[k].pos == pos)
                    return k;
    return t->n_codes;
}

static int sentence_end(char c) {
    return c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == ')' || c == '"';
}

/* Where the text of the gap after segment k stands in the translation, searched in [pos, end):
 * the text may occur inside a segment too (a space), so the occurrence chosen is the one after
 * the character the segment's source ends with (punctuation survives translation), else after
 * a sentence's end, else nearest where the source's proportions put it. -1 when there is none. */
static long best_cut(const xlate_para *p, size_t k, const char *t, size_t pos, size_t end) {
    const char *src = p->source.text;
    size_t gs = p->presegs[k].span.end, gl = p->presegs[k + 1].span.start - gs;
    char last = gs > p->presegs[k].span.start ? src[gs - 1] : 0;
    size_t seg_len = gs - p->presegs[k].span.start;
    size_t rest = p->presegs[p->n_presegs - 1].span.end - p->presegs[k].span.start;
    double expect = (double)pos + (double)(end - pos) * (rest ? (double)seg_len / (double)rest : 0.0);
    long best = -1;
    double best_score = -1e18;
    for (const char *h = t + pos; end - (size_t)(h - t) >= gl;) {
        h = memmem(h, end - (size_t)(h - t), src + gs, gl);
        if (!h)
            break;
        size_t at = (size_t)(h - t);
        char before = at > 0 ? t[at - 1] : 0;
        double score = -(at > expect ? (double)at - expect : expect - (double)at);
        if (last && before == last)
            score += 1e6;
        else if (sentence_end(before))
            score += 5e5;
        if (score > best_score) {
            best_score = score;
            best = (long)at;
        }
        h++;
    }
    return best;
}

static void split_target(const xliff_skel *s, size_t pi, const xlate_para *p, part *parts) {
    const xlate_fragment *t = &p->target;
    size_t n = p->n_presegs, pos = 0, tl = t->len, cpos = 0;
    const char *src = p->source.text;
    size_t g0 = p->presegs[0].span.start;
    if (starts_with(t->text, tl, src, g0))
        pos = g0;
    size_t tail_from = p->presegs[n - 1].span.end, tail = p->source.len - tail_from;
    size_t end_all = tl >= tail && tl - tail >= pos && memcmp(t->text + tl - tail, src + tail_from, tail) == 0
                         ? tl - tail : tl;
    size_t start = pos;
    for (size_t k = 0; k < n; k++) {
        if (k == n - 1) {
            parts[k] = (part){pos, end_all, cpos, t->n_codes};
            return;
        }
        size_t gs = p->presegs[k].span.end, gl = p->presegs[k + 1].span.start - gs;
        if (!gl) {
            /* A gap of codes only (a line break between two sentences): its code marks the cut. */
            long at = gap_code_pos(s, pi, t, k + 1, pos);
            if (at < 0)
                break;
            size_t ci = code_index(t, at, s, pi, k + 1);
            parts[k] = (part){pos, (size_t)at, cpos, ci};
            pos = (size_t)at;
            cpos = ci;
            continue;
        }
        long hit = best_cut(p, k, t->text, pos, end_all);
        if (hit < 0)
            break;
        size_t cut = (size_t)hit;
        /* Codes at the cut close the segment before it; those inside the gap belong to it. */
        size_t ci = cpos;
        while (ci < t->n_codes && t->codes[ci].pos <= cut)
            ci++;
        parts[k] = (part){pos, cut, cpos, ci};
        pos = cut + gl;
        cpos = ci; /* a code the translation put inside the gap goes to the next segment's start */
    }
    parts[0] = (part){start, end_all, 0, t->n_codes};
    for (size_t k = 1; k < n; k++)
        parts[k] = (part){end_all, end_all, t->n_codes, t->n_codes};
}

/* --- each segment's own target ------------------------------------------------------------------ */

/* Whether the presegs carry each segment's translation (format.h's contract): they were set with
 * the target, and every preseg that is not empty has one. Then no cut has to be guessed. */
static int seg_targets_set(const xlate_para *p) {
    if (!p->n_presegs || !p->presegs_set)
        return 0;
    for (size_t k = 0; k < p->n_presegs; k++)
        if (p->presegs[k].span.end > p->presegs[k].span.start && !p->presegs[k].target.text)
            return 0;
    return 1;
}

static size_t last_nonempty(const xlate_para *p) {
    size_t last = 0;
    for (size_t k = 0; k < p->n_presegs; k++)
        if (p->presegs[k].span.end > p->presegs[k].span.start)
            last = k;
    return last;
}

static int in_some_preseg(const xlate_para *p, const xlate_code *c) {
    for (size_t k = 0; k < p->n_presegs; k++)
        for (size_t i = 0; i < p->presegs[k].target.n_codes; i++)
            if (p->presegs[k].target.codes[i].id == c->id && p->presegs[k].target.codes[i].kind == c->kind)
                return 1;
    return 0;
}

/* A code the paragraph's translation has and no segment's target (merge put back one a CAT tool
 * dropped) goes at the end of the last segment: never lost. */
static void put_lost_codes(const xliff_skel *s, size_t pi, const xlate_para *p, xlate_buf *b) {
    for (size_t i = 0; i < p->target.n_codes; i++) {
        const xlate_code *c = &p->target.codes[i];
        const char *m = in_gap(s, pi, c) || in_some_preseg(p, c) ? NULL : code_markup(p, c);
        if (m)
            xlate_buf_puts(b, m);
    }
}

/* Segment k's target markup: its preseg's own target when the presegs carry them, else its
 * share `pt` of the paragraph's translation. */
static int put_segment(const xliff_skel *s, size_t pi, const xlate_para *p, size_t k, int exact, part pt,
                       char *used, xlate_buf *b, const char *name, xlate_error *err) {
    if (!exact)
        return put_part(s, pi, p, &p->target, pt, used, b, name, err);
    const xlate_fragment *t = &p->presegs[k].target;
    char *own = calloc(t->n_codes + 1, 1);
    if (!own) {
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", name);
        return -1;
    }
    int rc = t->text ? put_part(s, pi, p, t, (part){0, t->len, 0, t->n_codes}, own, b, name, err) : 0;
    free(own);
    if (rc == 0 && k == last_nonempty(p))
        put_lost_codes(s, pi, p, b);
    return rc;
}

/* Adds `name` after `anchor` with the same indentation the anchor has. */
static xmlNodePtr add_after(xmlNodePtr anchor, const char *name) {
    xmlNodePtr e = xmlNewDocNode(anchor->doc, anchor->ns, (const xmlChar *)name, NULL);
    if (!e)
        return NULL;
    xmlNodePtr ws = anchor->prev && anchor->prev->type == XML_TEXT_NODE && xmlIsBlankNode(anchor->prev)
                        ? xmlCopyNode(anchor->prev, 1) : NULL;
    xmlAddNextSibling(anchor, e);
    if (ws)
        xmlAddPrevSibling(e, ws);
    return e;
}

static xmlNodePtr target_of(xmlNodePtr holder, const char *ns, xmlNodePtr after) {
    xmlNodePtr t = xliff_child(holder, ns, "target");
    return t ? t : add_after(after, "target");
}

static int fail_markup(const char *name, const xlate_para *p, xmlNodePtr where, xlate_error *err) {
    xlate_error_set(err, XLATE_ERROR, "%s:%ld: unit %s: the translation's codes do not nest as XML elements "
                    "(a closing code before its opening one?); fix the translation's codes", name,
                    xmlGetLineNo(where), p->id);
    return -1;
}

static int write_12(const xlate_fdoc *doc, xliff_skel *s, size_t i, xlate_error *err) {
    const xlate_para *p = &doc->paras[i];
    xmlNodePtr unit = s->units[i];
    xmlNodePtr source = xliff_child(unit, XLIFF12_NS, "source");
    xmlNodePtr segsrc = xliff_child(unit, XLIFF12_NS, "seg-source");
    xmlNodePtr target = target_of(unit, XLIFF12_NS, segsrc ? segsrc : source);
    char *used = calloc(p->target.n_codes + 1, 1);
    part *parts = calloc(p->n_presegs + 1, sizeof *parts);
    xlate_buf b = XLATE_BUF_INIT;
    int rc = -1;
    if (!target || !used || !parts) {
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", doc->name);
        goto done;
    }
    if (segsrc && p->n_presegs && s->seg_nodes[i] && s->seg_nodes[i][0]) {
        int exact = seg_targets_set(p);
        if (!exact)
            split_target(s, i, p, parts);
        size_t k = 0;
        for (xmlNodePtr c = segsrc->children; c; c = c->next) {
            if (k < p->n_presegs && c == s->seg_nodes[i][k]) {
                char *tag = xliff_start_tag(c);
                xlate_buf_puts(&b, tag ? tag : "");
                free(tag);
                if (put_segment(s, i, p, k, exact, parts[k], used, &b, doc->name, err) != 0)
                    goto done;
                xlate_buf_puts(&b, "</mrk>");
                k++;
            } else {
                char *m = xliff_serialize(c);
                xlate_buf_puts(&b, m ? m : "");
                free(m);
            }
        }
    } else if (put_part(s, i, p, &p->target, (part){0, p->target.len, 0, p->target.n_codes}, used, &b, doc->name, err) != 0) {
        goto done;
    }
    if (xlate_buf_failed(&b)) {
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", doc->name);
        goto done;
    }
    if (xliff_set_content(target, b.data ? b.data : "", b.len) != 0) {
        fail_markup(doc->name, p, unit, err);
        goto done;
    }
    xmlSetProp(target, (const xmlChar *)"state",
               (const xmlChar *)(p->needs_review ? "needs-review-translation" : "translated"));
    rc = 0;
done:
    xlate_buf_free(&b);
    free(used);
    free(parts);
    return rc;
}

static int write_2(const xlate_fdoc *doc, xliff_skel *s, size_t i, xlate_error *err) {
    const xlate_para *p = &doc->paras[i];
    if (!p->n_presegs)
        return 0; /* a unit of ignorables only: nothing to translate */
    char *used = calloc(p->target.n_codes + 1, 1);
    part *parts = calloc(p->n_presegs, sizeof *parts);
    int rc = -1;
    if (!used || !parts) {
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", doc->name);
        goto done;
    }
    int exact = seg_targets_set(p);
    if (!exact)
        split_target(s, i, p, parts);
    for (size_t k = 0; k < p->n_presegs; k++) {
        xmlNodePtr seg = s->seg_nodes[i][k];
        xmlNodePtr target = target_of(seg, XLIFF2_NS, xliff_child(seg, XLIFF2_NS, "source"));
        xlate_buf b = XLATE_BUF_INIT;
        if (!target || put_segment(s, i, p, k, exact, parts[k], used, &b, doc->name, err) != 0 ||
            xlate_buf_failed(&b)) {
            if (!err->message)
                xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", doc->name);
            xlate_buf_free(&b);
            goto done;
        }
        int bad = xliff_set_content(target, b.data ? b.data : "", b.len) != 0;
        xlate_buf_free(&b);
        if (bad) {
            fail_markup(doc->name, p, seg, err);
            goto done;
        }
        xmlSetProp(seg, (const xmlChar *)"state", (const xmlChar *)"translated");
        if (p->needs_review)
            xmlSetProp(seg, (const xmlChar *)"subState", (const xmlChar *)"xlate:needs-review");
    }
    rc = 0;
done:
    free(used);
    free(parts);
    return rc;
}

static void declare_target_lang(xliff_skel *s, const char *lang) {
    xmlNodePtr root = xmlDocGetRootElement(s->doc);
    if (s->version == 20) {
        xmlSetProp(root, (const xmlChar *)"trgLang", (const xmlChar *)lang);
        return;
    }
    for (xmlNodePtr c = root->children; c; c = c->next)
        if (xliff_is(c, XLIFF12_NS, "file"))
            xmlSetProp(c, (const xmlChar *)"target-language", (const xmlChar *)lang);
}

int xliff_write_doc(const xlate_fdoc *doc, const xlate_format_write_options *o, xlate_buf *out, xlate_error *err) {
    xliff_skel *s = doc->skeleton;
    if (!s || !s->doc) {
        xlate_error_set(err, XLATE_EINVAL, "%s: not read by the XLIFF module", doc->name);
        return -1;
    }
    int any = 0;
    for (size_t i = 0; i < doc->n_paras; i++) {
        if (!doc->paras[i].target.text)
            continue;
        any = 1;
        if ((s->version == 12 ? write_12(doc, s, i, err) : write_2(doc, s, i, err)) != 0)
            return -1;
    }
    if (any && o && o->target_lang && *o->target_lang)
        declare_target_lang(s, o->target_lang);
    xmlChar *mem = NULL;
    int size = 0;
    xmlDocDumpMemoryEnc(s->doc, &mem, &size, doc->encoding[0] ? doc->encoding : "UTF-8");
    if (!mem) {
        xlate_error_set(err, XLATE_ERROR, "%s: cannot write the XLIFF in %s", doc->name, doc->encoding);
        return -1;
    }
    int bad = xlate_buf_append(out, (const char *)mem, (size_t)size) != 0;
    xmlFree(mem);
    if (bad) {
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", doc->name);
        return -1;
    }
    return 0;
}
