/*
 * document: the segments of one document between the segmenter and the writers. Built once from
 * segment's spans; the plugin host changes segments only through the mutations below, which keep
 * the invariants the writers rely on: every text plugins store is valid UTF-8 without NUL, and term
 * spans are sorted, disjoint and on character boundaries of the source.
 */
#include "document.h"

#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>

const char *xlate_seg_status_name(xlate_seg_status s) {
    switch (s) {
    case XLATE_SEG_OK: return "ok";
    case XLATE_SEG_WARNING: return "warning";
    case XLATE_SEG_FAILED: return "failed";
    case XLATE_SEG_FILTERED: return "filtered";
    }
    return "unknown";
}

static char *copy_bytes(const char *s, size_t len) {
    char *p = malloc(len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

/* Text handed to a writer must be UTF-8 that every output format can carry; a NUL byte would also
 * cut the NUL-terminated copy short for readers that use strlen. */
static int is_clean_utf8(const char *s, size_t len) {
    return xlate_utf8_first_invalid(s, len, NULL) == len && !memchr(s, '\0', len);
}

static int on_char_boundary(const char *s, size_t len, size_t pos) {
    return pos == len || !U8_IS_TRAIL((uint8_t)s[pos]);
}

static void messages_free(xlate_seg *seg) {
    for (size_t k = 0; k < seg->n_messages; k++) {
        free(seg->messages[k].plugin);
        free(seg->messages[k].code);
        free(seg->messages[k].text);
    }
    free(seg->messages);
    seg->messages = NULL;
    seg->n_messages = 0;
    free(seg->message);
    seg->message = NULL;
}

static void codes_free(xlate_seg *seg) {
    for (size_t k = 0; k < seg->n_codes; k++)
        free(seg->codes[k].data);
    free(seg->codes);
    seg->codes = NULL;
    seg->n_codes = 0;
}

static void matches_free(xlate_seg *seg) {
    xlate_seg_matches *m = seg->matches;
    if (!m)
        return;
    for (size_t k = 0; k < m->n; k++) {
        free(m->items[k].plugin);
        free(m->items[k].target);
        free(m->items[k].source);
    }
    free(m->items);
    free(m);
    seg->matches = NULL;
}

static void seg_free(xlate_seg *seg) {
    free(seg->source);
    free(seg->target);
    for (size_t k = 0; k < seg->n_terms; k++) {
        free(seg->terms[k].target);
        free(seg->terms[k].note);
    }
    free(seg->terms);
    messages_free(seg);
    codes_free(seg);
    free(seg->target_plugin);
    seg->target_plugin = NULL;
    matches_free(seg);
}

int xlate_doc_set_seg_language(xlate_doc *doc, size_t index, const char *lang) {
    size_t n = doc->n_seg_langs;
    if (!lang || strlen(lang) >= sizeof doc->seg_langs[0].lang || index >= doc->n_segs ||
        (n && doc->seg_langs[n - 1].index >= index))
        return -1;
    xlate_seg_lang *l = realloc(doc->seg_langs, (n + 1) * sizeof *l);
    if (!l)
        return -1;
    l[n].index = index;
    snprintf(l[n].lang, sizeof l[n].lang, "%s", lang);
    doc->seg_langs = l;
    doc->n_seg_langs = n + 1;
    return 0;
}

const char *xlate_seg_language(const xlate_doc *doc, const xlate_seg *seg) {
    size_t index = doc->seg_offset + (size_t)(seg - doc->segs), lo = 0, hi = doc->n_seg_langs;
    while (lo < hi) { /* recorded in index order */
        size_t mid = lo + (hi - lo) / 2;
        if (doc->seg_langs[mid].index < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < doc->n_seg_langs && doc->seg_langs[lo].index == index)
        return doc->seg_langs[lo].lang;
    return doc->lang[0] ? doc->lang : NULL;
}

static int init_doc(xlate_doc *doc, const char *name, char *text, size_t text_len,
                    const xlate_span *spans, size_t n_spans, int fill) {
    memset(doc, 0, sizeof *doc);
    doc->text = text;
    doc->text_len = text_len;
    doc->first_id = 1;
    doc->name = copy_bytes(name ? name : "-", strlen(name ? name : "-"));
    if (!doc->name)
        goto fail;
    if (n_spans) {
        doc->segs = xlate_calloc_bulk(n_spans, sizeof *doc->segs);
        if (!doc->segs)
            goto fail;
    }
    for (size_t i = 0; i < n_spans; i++) {
        const xlate_span *sp = &spans[i];
        xlate_seg *seg = &doc->segs[i];
        if (sp->start > sp->end || sp->end > text_len)
            goto fail;
        seg->id = i + 1;
        seg->paragraph = sp->paragraph;
        seg->start = sp->start;
        seg->end = sp->end;
        seg->source_len = sp->end - sp->start;
        doc->n_segs = i + 1;
        if (fill && xlate_doc_fill(doc, i, 1) != 0)
            goto fail;
    }
    return 0;
fail:
    xlate_doc_free(doc);
    return -1;
}

int xlate_doc_init(xlate_doc *doc, const char *name, char *text, size_t text_len,
                   const xlate_span *spans, size_t n_spans) {
    return init_doc(doc, name, text, text_len, spans, n_spans, 1);
}

int xlate_doc_init_unfilled(xlate_doc *doc, const char *name, char *text, size_t text_len,
                            const xlate_span *spans, size_t n_spans) {
    return init_doc(doc, name, text, text_len, spans, n_spans, 0);
}

int xlate_doc_fill(xlate_doc *doc, size_t from, size_t n) {
    for (size_t i = from; i < from + n && i < doc->n_segs; i++) {
        xlate_seg *seg = &doc->segs[i];
        if (!seg->source && !(seg->source = copy_bytes(doc->text + seg->start, seg->source_len)))
            return -1;
    }
    return 0;
}

void xlate_doc_release(xlate_doc *doc, size_t from, size_t n) {
    for (size_t i = from; i < from + n && i < doc->n_segs; i++) {
        xlate_seg *seg = &doc->segs[i];
        seg_free(seg);
        seg->source = seg->target = seg->message = NULL;
        seg->terms = NULL; /* seg_free also let go of the codes and matches */
        seg->n_terms = seg->cap_terms = 0;
        seg->target_len = 0;
    }
}

void xlate_doc_free(xlate_doc *doc) {
    if (!doc)
        return;
    for (size_t i = 0; i < doc->n_segs; i++)
        seg_free(&doc->segs[i]);
    free(doc->segs);
    free(doc->name);
    free(doc->text);
    free(doc->seg_langs);
    memset(doc, 0, sizeof *doc);
}

void xlate_doc_truncate(xlate_doc *doc, size_t n) {
    for (size_t i = n; i < doc->n_segs; i++)
        seg_free(&doc->segs[i]);
    if (n < doc->n_segs)
        doc->n_segs = n;
}

int xlate_seg_set_target(xlate_seg *seg, const char *text, size_t len) {
    if (!seg || (!text && len) || !is_clean_utf8(text ? text : "", len))
        return -1;
    return xlate_seg_set_checked_target(seg, text, len);
}

int xlate_seg_set_checked_target(xlate_seg *seg, const char *text, size_t len) {
    char *copy;
    if (!seg || (!text && len))
        return -1;
    copy = copy_bytes(text ? text : "", len);
    if (!copy)
        return -1;
    free(seg->target);
    seg->target = copy;
    seg->target_len = len;
    /* Positions in the old target mean nothing in the new one. */
    for (size_t k = 0; k < seg->n_terms; k++)
        seg->terms[k].has_target_pos = 0;
    for (size_t k = 0; k < seg->n_codes; k++)
        seg->codes[k].has_target_pos = 0;
    /* A target set anew no longer comes from the memory's match (xlate_seg_add_match sets `used`
     * again after this when the match itself is the target). */
    if (seg->matches)
        seg->matches->used = -1;
    return 0;
}

int xlate_seg_add_match(xlate_seg *seg, const char *plugin, const char *target, size_t target_len,
                        double score, const char *source, size_t source_len, int use) {
    if (!seg || !target || !target_len || !source || !source_len || !(score >= 0.0) ||
        score > 100.0 || !is_clean_utf8(target, target_len) || !is_clean_utf8(source, source_len))
        return -1;
    xlate_seg_match m = {plugin ? copy_bytes(plugin, strlen(plugin)) : NULL,
                         copy_bytes(target, target_len), copy_bytes(source, source_len), score};
    xlate_seg_matches *list = seg->matches;
    if (!list && (list = calloc(1, sizeof *list)) != NULL)
        list->used = -1;
    xlate_seg_match *items = list ? realloc(list->items, (list->n + 1) * sizeof *items) : NULL;
    if (items)
        list->items = items;
    if (list && !seg->matches)
        seg->matches = list; /* kept even when empty, so that nothing leaks below */
    if (!items || !m.target || !m.source || (plugin && !m.plugin) ||
        (use && xlate_seg_set_target(seg, target, target_len) != 0)) {
        free(m.plugin);
        free(m.target);
        free(m.source);
        return -1;
    }
    list->items[list->n] = m;
    if (use)
        list->used = (long)list->n;
    list->n++;
    return 0;
}

const xlate_seg_match *xlate_seg_used_match(const xlate_seg *seg) {
    if (!seg || !seg->matches || seg->matches->used < 0 || (size_t)seg->matches->used >= seg->matches->n)
        return NULL;
    return &seg->matches->items[seg->matches->used];
}

int xlate_seg_set_target_plugin(xlate_seg *seg, const char *plugin) {
    char *copy = NULL;
    if (plugin && !(copy = copy_bytes(plugin, strlen(plugin))))
        return -1;
    free(seg->target_plugin);
    seg->target_plugin = copy;
    return 0;
}

int xlate_seg_add_code(xlate_seg *seg, size_t pos, xlate_seg_code_kind kind, unsigned id,
                       int isolated, const char *data) {
    if (!seg || !data || pos > seg->source_len || kind < XLATE_SEG_CODE_OPEN ||
        kind > XLATE_SEG_CODE_STANDALONE ||
        (seg->source && !on_char_boundary(seg->source, seg->source_len, pos)) ||
        (seg->n_codes && seg->codes[seg->n_codes - 1].pos > pos) ||
        !is_clean_utf8(data, strlen(data)))
        return -1;
    xlate_seg_code *list = realloc(seg->codes, (seg->n_codes + 1) * sizeof *list);
    if (!list)
        return -1;
    seg->codes = list;
    xlate_seg_code c = {pos, 0, 0, id, kind, isolated ? 1 : 0, copy_bytes(data, strlen(data))};
    if (!c.data)
        return -1;
    seg->codes[seg->n_codes++] = c;
    return 0;
}

/* "<b> (open 1), </b> (close 1)": which codes were put back at the end, as the user knows them. */
static int describe_lost_codes(const xlate_seg *seg, xlate_buf *msg) {
    static const char *const kinds[] = {"open", "close", "standalone"};
    int bad = xlate_buf_puts(msg, "the translator lost the place of inline code");
    size_t lost = 0;
    for (size_t k = 0; k < seg->n_codes; k++)
        lost += !seg->codes[k].has_target_pos;
    bad |= xlate_buf_puts(msg, lost > 1 ? "s " : " ");
    for (size_t k = 0, n = 0; k < seg->n_codes; k++) {
        const xlate_seg_code *c = &seg->codes[k];
        if (c->has_target_pos)
            continue;
        bad |= xlate_buf_printf(msg, "%s%.64s (%s %u)", n++ ? ", " : "", c->data, kinds[c->kind],
                                c->id);
    }
    bad |= xlate_buf_puts(msg, "; put back at the end of the target");
    return bad ? -1 : 0;
}

int xlate_seg_place_lost_codes(xlate_seg *seg, const char *plugin) {
    size_t lost = 0;
    if (!seg)
        return -1;
    if (!seg->target)
        return 0;
    for (size_t k = 0; k < seg->n_codes; k++)
        lost += !seg->codes[k].has_target_pos;
    if (!lost)
        return 0;
    /* The message is made first: it names the codes that had no place. */
    xlate_buf msg = XLATE_BUF_INIT;
    int rc = describe_lost_codes(seg, &msg);
    for (size_t k = 0; k < seg->n_codes; k++) {
        if (!seg->codes[k].has_target_pos) {
            seg->codes[k].has_target_pos = 1;
            seg->codes[k].target_pos = seg->target_len;
        }
    }
    if (xlate_seg_add_message(seg, XLATE_SEG_WARNING, plugin, "code_lost",
                              rc == 0 && msg.data ? msg.data : "inline codes lost their place") != 0)
        rc = -1;
    xlate_buf_free(&msg);
    return rc;
}

/* Index of the first term that starts at or after `start`. */
static size_t term_insert_index(const xlate_seg *seg, size_t start) {
    size_t lo = 0, hi = seg->n_terms;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (seg->terms[mid].start < start)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int overlaps_neighbours(const xlate_seg *seg, size_t at, size_t start, size_t end) {
    if (at > 0 && seg->terms[at - 1].end > start)
        return 1;
    if (at < seg->n_terms && seg->terms[at].start < end)
        return 1;
    return 0;
}

static int grow_terms(xlate_seg *seg) {
    size_t cap;
    xlate_term_rec *p;
    if (seg->n_terms < seg->cap_terms)
        return 0;
    cap = seg->cap_terms ? seg->cap_terms * 2 : 4;
    p = realloc(seg->terms, cap * sizeof *p);
    if (!p)
        return -1;
    seg->terms = p;
    seg->cap_terms = cap;
    return 0;
}

int xlate_seg_add_term(xlate_seg *seg, size_t start, size_t end, const char *target,
                       const char *note, uint32_t flags) {
    size_t at;
    xlate_term_rec rec;
    if (!seg || !target || start >= end || end > seg->source_len)
        return -1;
    if (!on_char_boundary(seg->source, seg->source_len, start) ||
        !on_char_boundary(seg->source, seg->source_len, end))
        return -1;
    if (!is_clean_utf8(target, strlen(target)) || (note && !is_clean_utf8(note, strlen(note))))
        return -1;
    at = term_insert_index(seg, start);
    if (overlaps_neighbours(seg, at, start, end))
        return -1;
    if (grow_terms(seg))
        return -1;
    memset(&rec, 0, sizeof rec);
    rec.start = start;
    rec.end = end;
    rec.flags = flags;
    rec.target = copy_bytes(target, strlen(target));
    rec.note = note ? copy_bytes(note, strlen(note)) : NULL;
    if (!rec.target || (note && !rec.note)) {
        free(rec.target);
        free(rec.note);
        return -1;
    }
    memmove(&seg->terms[at + 1], &seg->terms[at], (seg->n_terms - at) * sizeof *seg->terms);
    seg->terms[at] = rec;
    seg->n_terms++;
    return 0;
}

/* Messages often come from an engine's stderr in whatever bytes it printed; they are kept (a
 * failure must never lose its reason) with each invalid sequence turned into U+FFFD. */
static char *copy_message(const char *msg) {
    size_t len = strlen(msg), i = 0;
    const uint8_t *u = (const uint8_t *)msg;
    char *out, *o;
    /* most messages are ASCII: copied whole, without a look at each character */
    while (i < len && u[i] < 0x80)
        i++;
    if (i == len)
        return copy_bytes(msg, len);
    i = 0;
    /* Each byte becomes at most the three bytes of U+FFFD. */
    if (len > (SIZE_MAX - 1) / 3)
        return NULL;
    out = malloc(len * 3 + 1);
    if (!out)
        return NULL;
    o = out;
    while (i < len) {
        size_t from = i;
        UChar32 c;
        U8_NEXT(u, i, len, c);
        if (c < 0) {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
        } else {
            memcpy(o, msg + from, i - from);
            o += i - from;
        }
    }
    *o = '\0';
    return out;
}

/* ok < warning < filtered < failed: a later message never makes a segment look better. */
static int status_rank(xlate_seg_status s) {
    switch (s) {
    case XLATE_SEG_OK: return 0;
    case XLATE_SEG_WARNING: return 1;
    case XLATE_SEG_FILTERED: return 2;
    case XLATE_SEG_FAILED: return 3;
    }
    return 0;
}

int xlate_seg_code_is_valid(const char *code) {
    if (!code || !*code)
        return 0;
    for (const char *p = code; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return 0;
    return 1;
}

/* The joined text (seg->message) with one more text at its end. */
static int append_joined(xlate_seg *seg, const char *text) {
    size_t old = seg->message ? strlen(seg->message) : 0, add = strlen(text);
    char *joined = realloc(seg->message, old + (old ? 2 : 0) + add + 1);
    if (!joined)
        return -1;
    if (old)
        memcpy(joined + old, "; ", 2), old += 2;
    memcpy(joined + old, text, add + 1);
    seg->message = joined;
    return 0;
}

int xlate_seg_add_message(xlate_seg *seg, xlate_seg_status level, const char *plugin,
                          const char *code, const char *text) {
    if (!seg || level <= XLATE_SEG_OK || level > XLATE_SEG_FILTERED || !text)
        return -1;
    /* The status is what a reader relies on, so it is set even when the message cannot be kept:
     * a failed segment must never stay `ok` for want of memory for its reason. */
    if (status_rank(level) >= status_rank(seg->status))
        seg->status = level;
    xlate_seg_message m = {NULL, level, NULL, copy_message(text)};
    m.plugin = plugin ? copy_bytes(plugin, strlen(plugin)) : NULL;
    m.code = code ? copy_bytes(code, strlen(code)) : NULL;
    xlate_seg_message *list = realloc(seg->messages, (seg->n_messages + 1) * sizeof *list);
    if (list)
        seg->messages = list;
    if (!list || !m.text || (plugin && !m.plugin) || (code && !m.code) ||
        append_joined(seg, m.text) != 0) {
        free(m.plugin);
        free(m.code);
        free(m.text);
        return -1;
    }
    seg->messages[seg->n_messages++] = m;
    return 0;
}

int xlate_seg_set_status(xlate_seg *seg, xlate_seg_status status, const char *message) {
    if (!seg || status < XLATE_SEG_OK || status > XLATE_SEG_FILTERED)
        return -1;
    messages_free(seg);
    seg->status = status;
    if (!message || status == XLATE_SEG_OK)
        return 0;
    return xlate_seg_add_message(seg, status, NULL, NULL, message);
}

/* "qa: numbers differ" and "qa: qa: numbers differ" say the same; a plugin that names itself at
 * the start of its text (as many did before messages carried their plugin) is not named twice. */
static int names_itself(const char *plugin, const char *text) {
    size_t n = strlen(plugin);
    if (strncmp(text, "plugin '", 8) == 0)
        return strncmp(text + 8, plugin, n) == 0 && text[8 + n] == '\'';
    return strncmp(text, plugin, n) == 0 && text[n] == ':';
}

int xlate_seg_messages_joined(const xlate_seg *seg, xlate_buf *out) {
    if (!seg->n_messages)
        return seg->message ? xlate_buf_puts(out, seg->message) : 0;
    for (size_t k = 0; k < seg->n_messages; k++) {
        const xlate_seg_message *m = &seg->messages[k];
        if ((k && xlate_buf_puts(out, "; ")) ||
            (m->plugin && !names_itself(m->plugin, m->text) &&
             (xlate_buf_puts(out, m->plugin) || xlate_buf_puts(out, ": "))) ||
            xlate_buf_puts(out, m->text))
            return -1;
    }
    return 0;
}
