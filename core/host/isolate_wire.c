/*
 * isolate_wire: encodes and decodes the batch an isolated plugin works on, and what it gives back
 * (see isolate_wire.h). A segment's changeable state — target, terms, status, messages, inline codes,
 * translation memories' matches — travels
 * in both directions through put_state/get_state, so a new field of a segment is one edit there.
 */
#include "isolate_wire.h"

#include <stdlib.h>
#include <string.h>

/* A string's length field when there is no string at all (a target no plugin set). */
#define WIRE_NULL UINT64_MAX

/* Far beyond any real batch; a count above it is a broken message, not a reason to allocate. */
#define WIRE_MAX_COUNT ((uint64_t)1 << 32)

void xlate_wire_put_u64(xlate_buf *b, uint64_t v) {
    (void)xlate_buf_append(b, (const char *)&v, sizeof v);
}

/* The string's bytes and a NUL, so that the reader can hand out pointers into its buffer. */
void xlate_wire_put_str(xlate_buf *b, const char *s, size_t len) {
    xlate_wire_put_u64(b, s ? (uint64_t)len : WIRE_NULL);
    if (s) {
        (void)xlate_buf_append(b, s, len);
        (void)xlate_buf_putc(b, '\0');
    }
}

uint64_t xlate_wire_get_u64(xlate_wire_reader *r) {
    uint64_t v = 0;
    if (r->bad || r->left < sizeof v) {
        r->bad = 1;
        return 0;
    }
    memcpy(&v, r->p, sizeof v);
    r->p += sizeof v;
    r->left -= sizeof v;
    return v;
}

const char *xlate_wire_get_str(xlate_wire_reader *r, size_t *len) {
    uint64_t n = xlate_wire_get_u64(r);
    *len = 0;
    if (r->bad || n == WIRE_NULL)
        return NULL;
    if (n >= r->left || r->p[n] != '\0') {
        r->bad = 1;
        return NULL;
    }
    const char *s = r->p;
    r->p += n + 1;
    r->left -= n + 1;
    *len = (size_t)n;
    return s;
}

static void put_cstr(xlate_buf *b, const char *s) {
    xlate_wire_put_str(b, s, s ? strlen(s) : 0);
}

/* --- a segment's state, both directions -----------------------------------------------------
 * Whatever a plugin may change on a segment through the host functions: a field added to that is
 * written in put_state and read back in get_state, and reaches both directions at once. What the
 * plugin reads but never changes (position, source, the document's name, the output id of the
 * batch's first segment) goes out only, in xlate_wire_put_batch. */

static void put_state(xlate_buf *b, const xlate_seg *s) {
    xlate_wire_put_str(b, s->target, s->target_len);
    xlate_wire_put_u64(b, (uint64_t)s->status);
    /* Each message whole — plugin, level, code, text — so that one given in the child arrives
     * as it would have been given in the host; the joined `message` is made again from them. */
    xlate_wire_put_u64(b, s->n_messages);
    for (size_t k = 0; k < s->n_messages; k++) {
        const xlate_seg_message *m = &s->messages[k];
        put_cstr(b, m->plugin);
        xlate_wire_put_u64(b, (uint64_t)m->level);
        put_cstr(b, m->code);
        put_cstr(b, m->text);
    }
    xlate_wire_put_u64(b, s->n_terms);
    for (size_t k = 0; k < s->n_terms; k++) {
        const xlate_term_rec *t = &s->terms[k];
        xlate_wire_put_u64(b, t->start);
        xlate_wire_put_u64(b, t->end);
        put_cstr(b, t->target);
        put_cstr(b, t->note);
        xlate_wire_put_u64(b, t->flags);
        xlate_wire_put_u64(b, (uint64_t)t->has_target_pos);
        xlate_wire_put_u64(b, t->target_start);
        xlate_wire_put_u64(b, t->target_end);
    }
    xlate_wire_put_u64(b, (uint64_t)s->preset);
    put_cstr(b, s->target_plugin);
    xlate_wire_put_u64(b, s->n_codes);
    for (size_t k = 0; k < s->n_codes; k++) {
        const xlate_seg_code *c = &s->codes[k];
        xlate_wire_put_u64(b, c->pos);
        xlate_wire_put_u64(b, (uint64_t)c->kind);
        xlate_wire_put_u64(b, c->id);
        xlate_wire_put_u64(b, (uint64_t)c->isolated);
        put_cstr(b, c->data);
        xlate_wire_put_u64(b, (uint64_t)c->has_target_pos);
        xlate_wire_put_u64(b, c->target_pos);
    }
    const xlate_seg_matches *ms = s->matches;
    xlate_wire_put_u64(b, ms ? ms->n : 0);
    for (size_t k = 0; ms && k < ms->n; k++) {
        const xlate_seg_match *m = &ms->items[k];
        uint64_t score;
        memcpy(&score, &m->score, sizeof score); /* the double's bits: both ends are one program */
        put_cstr(b, m->plugin);
        put_cstr(b, m->target);
        put_cstr(b, m->source);
        xlate_wire_put_u64(b, score);
    }
    xlate_wire_put_u64(b, ms && ms->used >= 0 ? (uint64_t)ms->used : WIRE_NULL);
}

/* One match into `s`, through the mutation the host services use (score 0..100, UTF-8 texts). */
static int get_match(xlate_wire_reader *r, xlate_seg *s) {
    size_t plugin_len = 0, target_len = 0, source_len = 0;
    const char *plugin = xlate_wire_get_str(r, &plugin_len);
    const char *target = xlate_wire_get_str(r, &target_len);
    const char *source = xlate_wire_get_str(r, &source_len);
    uint64_t bits = xlate_wire_get_u64(r);
    double score;
    memcpy(&score, &bits, sizeof score);
    if (r->bad || !target || !source || (plugin && strlen(plugin) != plugin_len))
        return -1;
    return xlate_seg_add_match(s, plugin, target, target_len, score, source, source_len, 0);
}

/* The matches of a segment whose target is already set. The one said to have set the target
 * must be that target, or the state is broken. */
static int get_matches(xlate_wire_reader *r, xlate_seg *s) {
    uint64_t n = xlate_wire_get_u64(r);
    if (r->bad || n > r->left)
        return -1;
    for (uint64_t k = 0; k < n; k++)
        if (get_match(r, s) != 0)
            return -1;
    uint64_t used = xlate_wire_get_u64(r);
    if (r->bad)
        return -1;
    if (used == WIRE_NULL)
        return 0;
    if (used >= n || !s->target)
        return -1;
    const xlate_seg_match *m = &s->matches->items[used];
    if (strlen(m->target) != s->target_len || memcmp(m->target, s->target, s->target_len) != 0)
        return -1;
    s->matches->used = (long)used;
    return 0;
}

/* One inline code into `s`, whose target is already set; its place in the target is checked. */
static int get_code(xlate_wire_reader *r, xlate_seg *s) {
    size_t data_len = 0;
    uint64_t pos = xlate_wire_get_u64(r), kind = xlate_wire_get_u64(r);
    uint64_t id = xlate_wire_get_u64(r), isolated = xlate_wire_get_u64(r);
    const char *data = xlate_wire_get_str(r, &data_len);
    uint64_t has_pos = xlate_wire_get_u64(r), tpos = xlate_wire_get_u64(r);
    if (r->bad || !data || strlen(data) != data_len || pos > s->source_len ||
        kind > XLATE_SEG_CODE_STANDALONE || id > UINT32_MAX ||
        xlate_seg_add_code(s, (size_t)pos, (xlate_seg_code_kind)kind, (unsigned)id, isolated != 0,
                           data) != 0)
        return -1;
    if (!has_pos)
        return 0;
    if (!s->target || tpos > s->target_len)
        return -1;
    s->codes[s->n_codes - 1].has_target_pos = 1;
    s->codes[s->n_codes - 1].target_pos = (size_t)tpos;
    return 0;
}

/* One term into `s`, whose target is already set; its target position is checked against it. */
static int get_term(xlate_wire_reader *r, xlate_seg *s) {
    size_t target_len = 0, note_len = 0;
    uint64_t start = xlate_wire_get_u64(r), end = xlate_wire_get_u64(r);
    const char *target = xlate_wire_get_str(r, &target_len);
    const char *note = xlate_wire_get_str(r, &note_len);
    uint64_t flags = xlate_wire_get_u64(r), has_pos = xlate_wire_get_u64(r);
    uint64_t tstart = xlate_wire_get_u64(r), tend = xlate_wire_get_u64(r);
    if (r->bad || !target || start > s->source_len || end > s->source_len || flags > UINT32_MAX ||
        (s->n_terms && s->terms[s->n_terms - 1].end > start) ||
        xlate_seg_add_term(s, (size_t)start, (size_t)end, target, note, (uint32_t)flags) != 0)
        return -1;
    if (!has_pos)
        return 0;
    if (!s->target || tstart > tend || tend > s->target_len)
        return -1;
    xlate_term_rec *t = &s->terms[s->n_terms - 1];
    t->has_target_pos = 1;
    t->target_start = (size_t)tstart;
    t->target_end = (size_t)tend;
    return 0;
}

/* One message into `s`, through the mutation the host services use: its level must be one a
 * message has, its code one the host accepts, its text whole (a NUL inside is a cut message). */
static int get_message(xlate_wire_reader *r, xlate_seg *s) {
    size_t plugin_len = 0, code_len = 0, text_len = 0;
    const char *plugin = xlate_wire_get_str(r, &plugin_len);
    uint64_t level = xlate_wire_get_u64(r);
    const char *code = xlate_wire_get_str(r, &code_len);
    const char *text = xlate_wire_get_str(r, &text_len);
    if (r->bad || !text || strlen(text) != text_len || (plugin && strlen(plugin) != plugin_len) ||
        level < XLATE_SEG_WARNING || level > XLATE_SEG_FILTERED ||
        (code && !xlate_seg_code_is_valid(code)))
        return -1;
    return xlate_seg_add_message(s, (xlate_seg_status)level, plugin, code, text);
}

/* The worse of two statuses, in the order messages follow (ok < warning < filtered < failed). */
static int status_rank(uint64_t status) {
    static const int rank[] = {0, 1, 3, 2}; /* OK, WARNING, FAILED, FILTERED */
    return rank[status];
}

/* Reads a state into `s`, a segment with its source and nothing else yet. The document's own
 * mutations do the checking, as they do for a plugin in the host's process. The status is what
 * the messages make it, or worse only when a message was lost for want of memory on the way in;
 * a status better than its messages' is a broken state. */
static int get_state(xlate_wire_reader *r, xlate_seg *s) {
    size_t len = 0;
    const char *target = xlate_wire_get_str(r, &len);
    uint64_t status = xlate_wire_get_u64(r);
    uint64_t n_messages = xlate_wire_get_u64(r);
    if (r->bad || status > XLATE_SEG_FILTERED || n_messages > r->left)
        return -1;
    if (target && xlate_seg_set_target(s, target, len) != 0)
        return -1;
    for (uint64_t k = 0; k < n_messages; k++)
        if (get_message(r, s) != 0)
            return -1;
    if (status_rank(status) < status_rank(s->status))
        return -1;
    s->status = (xlate_seg_status)status;
    uint64_t n_terms = xlate_wire_get_u64(r);
    if (r->bad || n_terms > s->source_len + 1)
        return -1;
    for (uint64_t k = 0; k < n_terms; k++)
        if (get_term(r, s) != 0)
            return -1;
    s->preset = xlate_wire_get_u64(r) != 0;
    size_t plugin_len = 0;
    const char *plugin = xlate_wire_get_str(r, &plugin_len);
    uint64_t n_codes = xlate_wire_get_u64(r);
    if (r->bad || (plugin && strlen(plugin) != plugin_len) || n_codes > r->left ||
        xlate_seg_set_target_plugin(s, plugin) != 0)
        return -1;
    for (uint64_t k = 0; k < n_codes; k++)
        if (get_code(r, s) != 0)
            return -1;
    return get_matches(r, s);
}

/* --- host → child ------------------------------------------------------------------------------ */

int xlate_wire_put_batch(xlate_buf *out, const xlate_doc *doc, size_t first, size_t count) {
    put_cstr(out, doc->name);
    xlate_wire_put_u64(out, doc->first_id + first);
    xlate_wire_put_u64(out, count);
    for (size_t i = first; i < first + count; i++) {
        const xlate_seg *s = &doc->segs[i];
        xlate_wire_put_u64(out, s->id - 1);
        xlate_wire_put_u64(out, s->paragraph);
        xlate_wire_put_str(out, s->source, s->source_len);
        put_state(out, s);
    }
    return xlate_buf_failed(out) ? -1 : 0;
}

int xlate_wire_get_batch(const char *data, size_t len, xlate_doc *doc, xlate_error *err) {
    xlate_wire_reader r = {data, len, 0};
    size_t name_len = 0;
    const char *name = xlate_wire_get_str(&r, &name_len);
    uint64_t first_id = xlate_wire_get_u64(&r);
    uint64_t count = xlate_wire_get_u64(&r);
    if (r.bad || !name || first_id == 0 || first_id > SIZE_MAX || count > WIRE_MAX_COUNT ||
        count > len) {
        xlate_error_set(err, XLATE_ERROR, "isolated plugin: the host sent a malformed batch");
        return -1;
    }
    /* No text: the child's document holds only the segments the plugin sees. */
    if (xlate_doc_init(doc, name, NULL, 0, NULL, 0) != 0 ||
        (count && !(doc->segs = calloc((size_t)count, sizeof *doc->segs)))) {
        xlate_doc_free(doc);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    /* The child's segment 0 is the host's `first`: segment_output_id gives the same id there. */
    doc->first_id = (size_t)first_id;
    for (uint64_t i = 0; i < count; i++) {
        xlate_seg *s = &doc->segs[i];
        uint64_t index = xlate_wire_get_u64(&r);
        s->paragraph = (size_t)xlate_wire_get_u64(&r);
        size_t src_len = 0;
        const char *src = xlate_wire_get_str(&r, &src_len);
        if (r.bad || !src || index == UINT64_MAX || !(s->source = strndup(src, src_len)))
            goto bad;
        doc->n_segs = (size_t)i + 1;
        s->id = (size_t)index + 1;
        s->source_len = src_len;
        s->end = src_len;
        if (get_state(&r, s) != 0)
            goto bad;
    }
    if (r.left == 0)
        return 0;
bad:
    xlate_doc_free(doc);
    xlate_error_set(err, XLATE_ERROR, "isolated plugin: the host sent a malformed batch");
    return -1;
}

/* --- child → host ------------------------------------------------------------------------------ */

int xlate_wire_put_result(xlate_buf *out, const xlate_doc *doc) {
    xlate_wire_put_u64(out, doc->n_segs);
    for (size_t i = 0; i < doc->n_segs; i++)
        put_state(out, &doc->segs[i]);
    return xlate_buf_failed(out) ? -1 : 0;
}

/* Frees what a state decoded into a scratch segment, leaving its borrowed source alone. */
static void scratch_free(xlate_seg *t) {
    free(t->target);
    for (size_t k = 0; k < t->n_terms; k++) {
        free(t->terms[k].target);
        free(t->terms[k].note);
    }
    free(t->terms);
    free(t->message);
    for (size_t k = 0; k < t->n_messages; k++) {
        free(t->messages[k].plugin);
        free(t->messages[k].code);
        free(t->messages[k].text);
    }
    free(t->messages);
    for (size_t k = 0; k < t->n_codes; k++)
        free(t->codes[k].data);
    free(t->codes);
    free(t->target_plugin);
    for (size_t k = 0; t->matches && k < t->matches->n; k++) {
        free(t->matches->items[k].plugin);
        free(t->matches->items[k].target);
        free(t->matches->items[k].source);
    }
    if (t->matches)
        free(t->matches->items);
    free(t->matches);
}

/* Moves the decoded state of `from` into `to`, freeing the state `to` had. */
static void take_state(xlate_seg *to, xlate_seg *from) {
    xlate_seg old = *to;
    to->target = from->target;
    to->target_len = from->target_len;
    to->terms = from->terms;
    to->n_terms = from->n_terms;
    to->cap_terms = from->cap_terms;
    to->status = from->status;
    to->message = from->message;
    to->messages = from->messages;
    to->n_messages = from->n_messages;
    to->codes = from->codes;
    to->n_codes = from->n_codes;
    to->preset = from->preset;
    to->target_plugin = from->target_plugin;
    to->matches = from->matches;
    scratch_free(&old);
}

int xlate_wire_get_result(const char *data, size_t len, xlate_doc *doc, size_t first, size_t count,
                          xlate_error *err) {
    xlate_wire_reader r = {data, len, 0};
    uint64_t n = xlate_wire_get_u64(&r);
    if (r.bad || n != count) {
        xlate_error_set(err, XLATE_ERROR, "gave back %llu segments for a batch of %zu",
                        (unsigned long long)n, count);
        return -1;
    }
    xlate_seg *scratch = calloc(count ? count : 1, sizeof *scratch);
    if (!scratch) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    size_t done = 0;
    int rc = 0;
    for (; done < count && rc == 0; done++) {
        const xlate_seg *s = &doc->segs[first + done];
        scratch[done].source = s->source; /* borrowed: the checks read it, nothing frees it */
        scratch[done].source_len = s->source_len;
        rc = get_state(&r, &scratch[done]);
    }
    if (rc == 0 && r.left == 0) {
        for (size_t i = 0; i < count; i++)
            take_state(&doc->segs[first + i], &scratch[i]);
    } else {
        for (size_t i = 0; i < done; i++)
            scratch_free(&scratch[i]);
        xlate_error_set(err, XLATE_ERROR, "gave back a malformed result (a text that is not "
                        "UTF-8, or a term outside its segment)");
        rc = -1;
    }
    free(scratch);
    return rc;
}
