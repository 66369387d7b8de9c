/*
 * writer: the last stage of the data path. Holds the running state of one output stream (the
 * next segment id, whether the header was written) and hands each document to the module of the
 * chosen format: writer_tsv.c, writer_jsonl.c, writer_tmx.c or writer_review.c. Reads documents,
 * never changes them.
 */
#include "writer.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>

#include "writer_impl.h"

struct xlate_writer {
    const xlate_writer_format *format;
    xlate_writer_ctx ctx;
    char *source_lang, *target_lang, *tool_version; /* owned copies behind ctx */
    size_t next_id;   /* stream-wide id of the next segment, from 1 */
    int begun, ended;
};

static const struct {
    const char *word;
    const char *extension;
    xlate_format format;
} format_words[] = {
    {"tsv", "tsv", XLATE_FORMAT_TSV},
    {"jsonl", "jsonl", XLATE_FORMAT_JSONL},
    {"tmx", "tmx", XLATE_FORMAT_TMX},
    {"review", "html", XLATE_FORMAT_REVIEW},
};

int xlate_format_parse(const char *word, xlate_format *out) {
    if (!word)
        return -1;
    for (size_t i = 0; i < sizeof format_words / sizeof format_words[0]; i++) {
        if (strcmp(word, format_words[i].word) == 0) {
            *out = format_words[i].format;
            return 0;
        }
    }
    return -1;
}

const char *xlate_format_name(xlate_format f) {
    for (size_t i = 0; i < sizeof format_words / sizeof format_words[0]; i++)
        if (format_words[i].format == f)
            return format_words[i].word;
    return NULL;
}

const char *xlate_format_extension(xlate_format f) {
    for (size_t i = 0; i < sizeof format_words / sizeof format_words[0]; i++)
        if (format_words[i].format == f)
            return format_words[i].extension;
    return NULL;
}

static const xlate_writer_format *format_module(xlate_format f) {
    switch (f) {
    case XLATE_FORMAT_TSV: return &xlate_writer_tsv;
    case XLATE_FORMAT_JSONL: return &xlate_writer_jsonl;
    case XLATE_FORMAT_TMX: return &xlate_writer_tmx;
    case XLATE_FORMAT_REVIEW: return &xlate_writer_review;
    }
    return NULL;
}

static char *copy_or_empty(const char *s) {
    size_t n = s ? strlen(s) : 0;
    char *p = malloc(n + 1);
    if (p) {
        if (n)
            memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

int xlate_writer_new(const xlate_writer_options *opts, xlate_writer **out) {
    xlate_writer *w;
    *out = NULL;
    if (!opts || !format_module(opts->format))
        return -1;
    w = calloc(1, sizeof *w);
    if (!w)
        return -1;
    w->format = format_module(opts->format);
    w->source_lang = copy_or_empty(opts->source_lang);
    w->target_lang = copy_or_empty(opts->target_lang);
    w->tool_version = copy_or_empty(opts->tool_version);
    if (!w->source_lang || !w->target_lang || !w->tool_version) {
        xlate_writer_free(w);
        return -1;
    }
    w->ctx.source_lang = w->source_lang;
    w->ctx.target_lang = w->target_lang;
    w->ctx.tool_version = w->tool_version;
    w->next_id = 1;
    *out = w;
    return 0;
}

int xlate_writer_begin(xlate_writer *w, xlate_buf *out) {
    if (w->begun)
        return 0;
    if (w->format->begin(&w->ctx, out) || xlate_buf_failed(out))
        return -1;
    w->begun = 1;
    return 0;
}

/* Hands segments to the format with the counts of what came before, then counts them. */
static int write_segments(xlate_writer *w, const xlate_doc *doc, int continues, xlate_buf *out) {
    /* A caller that forgot begin still gets a well-formed stream. */
    if (xlate_writer_begin(w, out))
        return -1;
    w->ctx.continues = continues;
    /* The formats append record by record; one look at the buffer's failed mark covers them all. */
    if (w->format->document(&w->ctx, doc, w->next_id, out) || xlate_buf_failed(out))
        return -1;
    if (!continues) {
        w->ctx.documents++;
        memset(w->ctx.doc_counts, 0, sizeof w->ctx.doc_counts);
    }
    for (size_t i = 0; i < doc->n_segs; i++) {
        unsigned s = (unsigned)doc->segs[i].status;
        if (s < 4) {
            w->ctx.doc_counts[s]++;
            w->ctx.counts[s]++;
        }
    }
    w->next_id += doc->n_segs;
    return 0;
}

int xlate_writer_document(xlate_writer *w, const xlate_doc *doc, xlate_buf *out) {
    return write_segments(w, doc, 0, out);
}

int xlate_writer_document_part(xlate_writer *w, const xlate_doc *doc, size_t from, size_t n,
                               xlate_buf *out) {
    /* Every format writes a document segment by segment, each record on its own, so a part is
     * the document seen through a window on its segments. */
    xlate_doc part = *doc;
    if (from > doc->n_segs || n > doc->n_segs - from)
        return -1;
    part.segs = doc->segs + from;
    part.n_segs = n;
    part.seg_offset = doc->seg_offset + from;
    return write_segments(w, &part, from > 0, out);
}

size_t xlate_writer_next_id(const xlate_writer *w) { return w->next_id; }

int xlate_writer_end(xlate_writer *w, xlate_buf *out) {
    if (w->ended)
        return 0;
    if (xlate_writer_begin(w, out) || w->format->end(&w->ctx, out) || xlate_buf_failed(out))
        return -1;
    w->ended = 1;
    return 0;
}

void xlate_writer_free(xlate_writer *w) {
    if (!w)
        return;
    free(w->source_lang);
    free(w->target_lang);
    free(w->tool_version);
    free(w);
}

/* The ASCII characters some format escapes; every other ASCII byte is copied without asking the
 * format, and so is non-ASCII below U+FFFE (only XML has to replace U+FFFE and U+FFFF). */
static int may_need_escape(uint8_t b) {
    return b < 0x20 || b == '"' || b == '\\' || b == '&' || b == '<' || b == '>';
}

int xlate_put_escaped(xlate_buf *out, const char *s, size_t len, xlate_escape_fn escape) {
    const uint8_t *u = (const uint8_t *)s;
    size_t i = 0, run = 0; /* run: start of the bytes copied as they are */
    char tmp[16];
    if (xlate_buf_reserve(out, len))
        return -1;
    while (i < len) {
        size_t at = i;
        UChar32 c;
        const char *rep;
        if (u[i] < 0x80 && !may_need_escape(u[i])) {
            i++;
            continue;
        }
        U8_NEXT(u, i, len, c);
        if (c >= 0x80 && c < 0xFFFE)
            continue;
        rep = c < 0 ? "\xEF\xBF\xBD" : escape(c, tmp);
        if (!rep)
            continue;
        if (xlate_buf_append(out, s + run, at - run) || xlate_buf_puts(out, rep))
            return -1;
        run = i;
    }
    return xlate_buf_append(out, s + run, len - run);
}

int xlate_put_uint(xlate_buf *out, size_t v) {
    char digits[24];
    size_t n = sizeof digits;
    do {
        digits[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return xlate_buf_append(out, digits + n, sizeof digits - n);
}

int xlate_put_score(xlate_buf *out, double score) {
    /* Hundredths, whatever the locale's decimal separator: JSON and XML want a point. */
    size_t hundredths = (size_t)(score * 100.0 + 0.5);
    if (xlate_put_uint(out, hundredths / 100))
        return -1;
    if (hundredths % 100 == 0)
        return 0;
    char frac[4] = {'.', (char)('0' + hundredths % 100 / 10), (char)('0' + hundredths % 10), 0};
    return xlate_buf_append(out, frac, frac[2] == '0' ? 2 : 3);
}

const char *xlate_output_target(const xlate_seg *seg, size_t *len) {
    if (seg->status == XLATE_SEG_FAILED || seg->status == XLATE_SEG_FILTERED || !seg->target) {
        *len = 0;
        return NULL;
    }
    *len = seg->target_len;
    return seg->target;
}

int xlate_put_messages_joined(xlate_buf *out, const xlate_seg *seg, xlate_escape_fn escape) {
    if (!seg->message)
        return 0;
    xlate_buf joined = XLATE_BUF_INIT;
    int rc = xlate_seg_messages_joined(seg, &joined) ||
             xlate_put_escaped(out, joined.data ? joined.data : "", joined.len, escape);
    xlate_buf_free(&joined);
    return rc ? -1 : 0;
}

int xlate_put_code_markup(xlate_buf *out, const xlate_seg *seg, size_t index,
                          xlate_escape_fn escape) {
    const char *data = seg->codes[index].data;
    return xlate_put_escaped(out, data, strlen(data), escape);
}

/* A code's place in the text written: a code with no place in the target goes at its end. */
size_t xlate_code_place(const xlate_seg *seg, size_t k, int is_target, size_t len) {
    const xlate_seg_code *c = &seg->codes[k];
    if (!is_target)
        return c->pos;
    return c->has_target_pos && c->target_pos <= len ? c->target_pos : len;
}

/* The codes' indexes by their place in the text, in source order at one place. */
void xlate_codes_in_place_order(const xlate_seg *seg, int is_target, size_t len, size_t *order) {
    for (size_t k = 0; k < seg->n_codes; k++) {
        size_t at = k, place = xlate_code_place(seg, k, is_target, len);
        while (at > 0 && xlate_code_place(seg, order[at - 1], is_target, len) > place) {
            order[at] = order[at - 1];
            at--;
        }
        order[at] = k;
    }
}

int xlate_put_with_codes(xlate_buf *out, const xlate_seg *seg, int is_target, const char *text,
                         size_t len, xlate_escape_fn escape, xlate_put_code_fn put_code) {
    if (!seg->n_codes)
        return xlate_put_escaped(out, text, len, escape);
    size_t local[16], *order = seg->n_codes <= 16 ? local : malloc(seg->n_codes * sizeof *order);
    if (!order)
        return -1;
    xlate_codes_in_place_order(seg, is_target, len, order);
    size_t at = 0;
    int rc = 0;
    for (size_t n = 0; n < seg->n_codes && rc == 0; n++) {
        size_t place = xlate_code_place(seg, order[n], is_target, len);
        rc = xlate_put_escaped(out, text + at, place - at, escape) ||
             put_code(out, seg, order[n], escape);
        at = place;
    }
    if (rc == 0)
        rc = xlate_put_escaped(out, text + at, len - at, escape);
    if (order != local)
        free(order);
    return rc ? -1 : 0;
}

size_t xlate_offset_with_codes(const xlate_seg *seg, int is_target, size_t at, int after_codes_at) {
    size_t shown = at, len = is_target ? seg->target_len : seg->source_len;
    for (size_t k = 0; k < seg->n_codes; k++) {
        size_t place = xlate_code_place(seg, k, is_target, len);
        if (place < at || (after_codes_at && place == at))
            shown += strlen(seg->codes[k].data);
    }
    return shown;
}
