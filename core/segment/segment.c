/*
 * segment: the third stage of the data path. Clean UTF-8 from normalize → sentence spans with
 * byte offsets for the document. Paragraphs end at blank lines and every line ends a segment
 * (headlines and captions carry no final punctuation); inside a line, ICU's sentence break
 * iterator for the source locale proposes boundaries and the language's SRX rules (srx.c) confirm,
 * veto or add them. Knows nothing of plugins or writers.
 */
#include "segment.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "srx.h"
#include "utf8.h"

/* A long text is segmented a block at a time, each block's UTF-16 copy made in one buffer that
 * the next block reuses: a copy of the whole text is memory the system must hand over page by
 * page, which costs more than the segmentation itself. Blocks end right after a line end that
 * a blank line follows: ICU's iteration and the paragraphs start afresh there, and with a
 * context on both sides the rules decide every place of the block as they do in the whole
 * text (xlate_srx_rules_breaks_in says when they cannot). */
enum {
    BLOCK_BYTES = 1 << 20,  /* the size a block grows to before it looks for its end */
    CONTEXT_BYTES = 1 << 14 /* the text given on each side (at least 5,461 units) */
};

struct xlate_segmenter {
    xlate_srx_rules *rules;
    UBreakIterator *icu; /* NULL when the rules do not ask for ICU */
    size_t block_bytes;  /* 0: the whole text at once */
    size_t last_blocks;  /* the blocks the last text took */
};

/* ICU wants "uk_UA", users write "uk-UA". */
static void icu_locale(const char *lang, char *out, size_t size) {
    size_t i = 0;
    for (; lang[i] && i + 1 < size; i++)
        out[i] = lang[i] == '-' ? '_' : lang[i];
    out[i] = '\0';
}

int xlate_segmenter_new(const char *lang, const char *srx_path, xlate_segmenter **out,
                        xlate_error *err) {
    *out = NULL;
    if (!lang)
        lang = "";
    xlate_srx *srx = NULL;
    int rc = srx_path ? xlate_srx_load(srx_path, &srx, err) : xlate_srx_load_default(&srx, err);
    if (rc != 0)
        return -1;
    xlate_segmenter *s = calloc(1, sizeof *s);
    if (!s) {
        xlate_srx_free(srx);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    s->block_bytes = BLOCK_BYTES;
    rc = xlate_srx_rules_new(srx, lang, &s->rules, err);
    int wants_icu = xlate_srx_wants_icu(srx);
    xlate_srx_free(srx);
    if (rc == 0 && wants_icu) {
        char locale[64];
        icu_locale(lang, locale, sizeof locale);
        UErrorCode status = U_ZERO_ERROR;
        s->icu = ubrk_open(UBRK_SENTENCE, locale, NULL, 0, &status);
        if (U_FAILURE(status)) {
            xlate_error_set(err, XLATE_ERROR,
                            "cannot open ICU's sentence break iterator for \"%s\": %s", lang,
                            u_errorName(status));
            rc = -1;
        }
    }
    if (rc != 0) {
        xlate_segmenter_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

int xlate_segmenter_clone(const xlate_segmenter *proto, xlate_segmenter **out, xlate_error *err) {
    *out = NULL;
    xlate_segmenter *s = calloc(1, sizeof *s);
    if (!s || xlate_srx_rules_clone(proto->rules, &s->rules, err) != 0) {
        if (!s)
            xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        free(s);
        return -1;
    }
    s->block_bytes = proto->block_bytes;
    if (proto->icu) {
        /* A copy of the iterator shares ICU's compiled break rules and cache with it. */
        UErrorCode status = U_ZERO_ERROR;
        s->icu = ubrk_clone(proto->icu, &status);
        if (U_FAILURE(status)) {
            xlate_error_set(err, XLATE_ERROR, "cannot copy ICU's sentence break iterator: %s",
                            u_errorName(status));
            xlate_segmenter_free(s);
            return -1;
        }
    }
    *out = s;
    return 0;
}

void xlate_segmenter_set_block_bytes(xlate_segmenter *s, size_t bytes) {
    s->block_bytes = bytes;
}

size_t xlate_segmenter_last_blocks(const xlate_segmenter *s) {
    return s->last_blocks;
}

void xlate_segmenter_free(xlate_segmenter *s) {
    if (!s)
        return;
    xlate_srx_rules_free(s->rules);
    if (s->icu)
        ubrk_close(s->icu);
    free(s);
}

/* ---------------------------------------------------------------- text helpers ------------- */

static int is_line_end(UChar c) {
    return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x85 || c == 0x2028 ||
           c == 0x2029;
}

static int is_space(UChar c) {
    if (c < 0x80)
        return c == ' ' || (c >= '\t' && c <= '\r');
    return !U16_IS_SURROGATE(c) && u_isUWhiteSpace(c);
}

/* UTF-8 to UTF-16 for valid text, as u_strFromUTF8 converts it, in one tight loop: the text
 * comes from normalize and is valid, so the general converter's care is wasted on it. Returns
 * the number of units, or -1 at the first invalid sequence (overlong forms, surrogates, values
 * past U+10FFFF, cut sequences), which the caller leaves to ICU to report. */
static int32_t decode_valid_utf8(const uint8_t *s, size_t len, UChar *u) {
    int32_t n = 0;
    size_t i = 0;
    while (i < len) {
        uint8_t c = s[i];
        if (c < 0x80) {
            u[n++] = c;
            i++;
        } else if (c >= 0xC2 && c < 0xE0) {
            if (i + 1 >= len || (s[i + 1] & 0xC0) != 0x80)
                return -1;
            u[n++] = (UChar)(((c & 0x1F) << 6) | (s[i + 1] & 0x3F));
            i += 2;
        } else if (c >= 0xE0 && c < 0xF0) {
            if (i + 2 >= len || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80 ||
                (c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] >= 0xA0))
                return -1;
            u[n++] = (UChar)(((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F));
            i += 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            if (i + 3 >= len || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80 ||
                (s[i + 3] & 0xC0) != 0x80 || (c == 0xF0 && s[i + 1] < 0x90) ||
                (c == 0xF4 && s[i + 1] >= 0x90))
                return -1;
            UChar32 cp = ((UChar32)(c & 0x07) << 18) | ((UChar32)(s[i + 1] & 0x3F) << 12) |
                         ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
            u[n++] = U16_LEAD(cp);
            u[n++] = U16_TRAIL(cp);
            i += 4;
        } else {
            return -1;
        }
    }
    return n;
}

static int to_utf16(const char *text, size_t len, UChar **out, int32_t *out_len,
                    xlate_error *err) {
    if (len >= (size_t)INT32_MAX) {
        xlate_error_set(err, XLATE_ERROR,
                        "the text is %zu bytes; segmentation handles up to 2 GB a document — "
                        "split it into smaller files",
                        len);
        return -1;
    }
    UChar *u = malloc((len + 1) * sizeof *u); /* UTF-16 never needs more units than UTF-8 bytes */
    if (!u) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory for a %zu-byte text", len);
        return -1;
    }
    int32_t n = decode_valid_utf8((const uint8_t *)text, len, u);
    if (n >= 0) {
        u[n] = 0;
        *out = u;
        *out_len = n;
        return 0;
    }
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8(u, (int32_t)len + 1, out_len, text, (int32_t)len, &status);
    if (U_FAILURE(status)) {
        free(u);
        if (status == U_INVALID_CHAR_FOUND)
            xlate_error_set(err, XLATE_ERROR,
                            "invalid UTF-8 at byte %zu; decode the text before segmenting it",
                            xlate_utf8_first_invalid(text, len, NULL));
        else
            xlate_error_set(err, XLATE_ERROR, "cannot convert the text to UTF-16: %s",
                            u_errorName(status));
        return -1;
    }
    *out = u;
    return 0;
}

/* Maps UTF-16 indices to UTF-8 byte offsets, walking forward only (spans come in order). */
typedef struct offset_map {
    const UChar *u;
    int32_t i;  /* UTF-16 index reached */
    size_t b;   /* its byte offset */
} offset_map;

/* Each unit's share of UTF-8 bytes: 1, 2 or 3 for a BMP character, 2 for each half of a
 * surrogate pair (4 for the pair). */
static inline unsigned utf8_share(UChar c) {
    return 1u + (c >= 0x80) + (c >= 0x800) - ((c & 0xF800) == 0xD800);
}

static size_t byte_offset(offset_map *m, int32_t target) {
    /* No branches, and runs of a fixed length the compiler turns into vector code: the walk
     * covers the whole text once. */
    enum { RUN = 16 };
    size_t b = m->b;
    int32_t i = m->i;
    for (; target - i >= RUN; i += RUN) {
        unsigned run = 0;
        for (int k = 0; k < RUN; k++)
            run += utf8_share(m->u[i + k]);
        b += run;
    }
    for (; i < target; i++)
        b += utf8_share(m->u[i]);
    m->i = target;
    m->b = b;
    return b;
}

/* ---------------------------------------------------------------- ICU proposals ------------ */

typedef struct positions {
    int32_t *v;
    size_t n, cap;
} positions;

static int push_position(positions *p, int32_t pos) {
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 256;
        int32_t *v = realloc(p->v, p->cap * sizeof *v);
        if (!v)
            return -1;
        p->v = v;
    }
    p->v[p->n++] = pos;
    return 0;
}

/* ICU puts its boundary after the white space that follows a sentence; the rules look at the
 * end of the sentence itself, so each boundary moves back over that white space. Boundaries at
 * line ends are dropped: every line end breaks anyway.
 *
 * ICU breaks after every line end, so a run of blank lines (or of other white space with line
 * ends in it) holds a boundary on each line: walking each one back over the whole run would cost
 * the square of its length. A walk that reaches the boundary before it takes that one's result
 * instead of going over the same white space again, so each unit is walked at most once. */
static int icu_boundaries(UBreakIterator *bi, const UChar *u, int32_t n, positions *out,
                          xlate_error *err) {
    UErrorCode status = U_ZERO_ERROR;
    ubrk_setText(bi, u, n, &status);
    if (U_FAILURE(status)) {
        xlate_error_set(err, XLATE_ERROR, "ICU's sentence break iterator failed: %s",
                        u_errorName(status));
        return -1;
    }
    int32_t prev_b = -1, prev_p = 0; /* the boundary before and where its walk stopped */
    int prev_crosses = 0;
    for (int32_t b = ubrk_next(bi); b != UBRK_DONE && b < n; b = ubrk_next(bi)) {
        int32_t p = b;
        int crosses_line = 0;
        while (p > 0 && p != prev_b && is_space(u[p - 1])) {
            crosses_line |= is_line_end(u[p - 1]);
            p--;
        }
        if (p == prev_b && p > 0 && is_space(u[p - 1])) {
            p = prev_p; /* the rest of the run was walked for the boundary before */
            crosses_line |= prev_crosses;
        }
        prev_b = b;
        prev_p = p;
        prev_crosses = crosses_line;
        if (p == 0 || crosses_line || is_line_end(u[p]))
            continue;
        if (push_position(out, p) != 0) {
            xlate_error_set(err, XLATE_ENOMEM, "out of memory");
            return -1;
        }
    }
    static const UChar empty[1] = {0};
    ubrk_setText(bi, empty, 0, &status);
    return 0;
}

/* ---------------------------------------------------------------- spans -------------------- */

typedef struct span_list {
    xlate_span *v;
    size_t n, cap;
} span_list;

static int push_span(span_list *l, size_t start, size_t end, size_t paragraph) {
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        xlate_span *v = realloc(l->v, l->cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
    }
    l->v[l->n++] = (xlate_span){start, end, paragraph};
    return 0;
}

/* Adds [from, to) of the UTF-16 text as a span, without its outer white space. */
static int add_piece(span_list *l, offset_map *m, const UChar *u, int32_t from, int32_t to,
                     size_t paragraph) {
    while (from < to && is_space(u[from]))
        from++;
    while (to > from && is_space(u[to - 1]))
        to--;
    if (from == to)
        return 0;
    size_t start = byte_offset(m, from);
    size_t end = byte_offset(m, to);
    return push_span(l, start, end, paragraph);
}

static int32_t line_end(const UChar *u, int32_t from, int32_t n) {
    while (from < n && !is_line_end(u[from]))
        from++;
    return from;
}

static int blank(const UChar *u, int32_t from, int32_t to) {
    for (int32_t i = from; i < to; i++)
        if (!is_space(u[i]))
            return 0;
    return 1;
}

/* The start of the line after the line end at `le` (past CR LF), or n. */
static int32_t next_line_start(const UChar *u, int32_t le, int32_t n) {
    if (le < n && u[le] == '\r' && le + 1 < n && u[le + 1] == '\n')
        le++;
    return le < n ? le + 1 : n;
}

/* A sentence wrapped onto the next line: the line does not end like a sentence (or a heading
 * with a colon) and the next line goes on in lower case, as hard-wrapped text (mail, man pages,
 * old archives) does. Headlines and captions end without punctuation too, but the line after them
 * starts with a capital, so they stay segments of their own. */
static int wraps_onto_next_line(const UChar *u, int32_t ls, int32_t le, int32_t n) {
    int32_t last = le;
    while (last > ls && is_space(u[last - 1]))
        last--;
    if (last == ls || le >= n || u[le] == 0x2029)
        return 0;
    switch (u[last - 1]) {
    case '.': case '!': case '?': case ':': case ';': case 0x2026: /* … */
        return 0;
    default:
        break;
    }
    int32_t next = next_line_start(u, le, n);
    while (next < n && (u[next] == ' ' || u[next] == '\t'))
        next++;
    return next < n && !is_line_end(u[next]) && u_islower(u[next]);
}

/* Where the lines of the text before stopped: blocks go on from it. */
typedef struct line_state {
    size_t paragraph;
    int seen_text, blank_since;
} line_state;

/* Cuts each line at the breaks inside it; blank lines start a new paragraph. A sentence wrapped
 * onto the next line stays one segment (its source keeps the line break). `u` starts at byte
 * `byte_base` of the text, at the start of a line that no line before goes on into. */
static int cut_lines(const UChar *u, int32_t n, size_t byte_base, const int32_t *breaks,
                     size_t n_breaks, line_state *st, span_list *out) {
    offset_map m = {u, 0, byte_base};
    size_t paragraph = st->paragraph, k = 0;
    int seen_text = st->seen_text, blank_since = st->blank_since;
    int32_t carried = -1; /* start of a piece that goes on from the line before */
    for (int32_t ls = 0; ls < n;) {
        int32_t le = line_end(u, ls, n);
        if (blank(u, ls, le)) {
            blank_since = 1;
        } else {
            if (seen_text && blank_since)
                paragraph++;
            seen_text = 1;
            blank_since = 0;
            int32_t from = carried >= 0 ? carried : ls;
            while (k < n_breaks && breaks[k] <= ls)
                k++;
            for (; k < n_breaks && breaks[k] < le; k++) {
                if (add_piece(out, &m, u, from, breaks[k], paragraph) != 0)
                    return -1;
                from = breaks[k];
            }
            carried = wraps_onto_next_line(u, ls, le, n) ? from : -1;
            if (carried < 0 && add_piece(out, &m, u, from, le, paragraph) != 0)
                return -1;
        }
        if (le < n && u[le] == 0x2029)
            blank_since = 1;
        ls = next_line_start(u, le, n);
    }
    *st = (line_state){paragraph, seen_text, blank_since};
    return 0;
}

/* The whole text at once: one UTF-16 copy of it. */
static int split_whole(xlate_segmenter *s, const char *text, size_t len, span_list *out,
                       xlate_error *err) {
    UChar *u = NULL;
    int32_t n = 0;
    if (to_utf16(text, len, &u, &n, err) != 0)
        return -1;
    positions proposals = {NULL, 0, 0};
    int32_t *breaks = NULL;
    size_t n_breaks = 0;
    line_state st = {0, 0, 0};
    xlate_srx_block whole = {0, n, 0, 0, len};
    int complete = 0, rc = -1;
    if (s->icu && icu_boundaries(s->icu, u, n, &proposals, err) != 0)
        goto done;
    if (xlate_srx_rules_breaks_in(s->rules, u, n, &whole, proposals.v, proposals.n, &breaks,
                                  &n_breaks, &complete, err) != 0)
        goto done;
    if (cut_lines(u, n, 0, breaks, n_breaks, &st, out) != 0) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        goto done;
    }
    rc = 0;
done:
    free(breaks);
    free(proposals.v);
    free(u);
    return rc;
}

/* The end of the block that starts at `from`: right after the first line end past from + size
 * that a blank line (spaces and tabs at most) follows, or len. */
static size_t block_end(const char *text, size_t len, size_t from, size_t size) {
    for (size_t i = from + size; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        if (!nl)
            break;
        size_t start = (size_t)(nl - text) + 1, j = start;
        while (j < len && (text[j] == ' ' || text[j] == '\t'))
            j++;
        if (j < len && (text[j] == '\n' || (text[j] == '\r' && j + 1 < len && text[j + 1] == '\n')))
            return start;
        i = start;
    }
    return len;
}

static size_t back_to_character(const char *text, size_t at, size_t floor) {
    while (at > floor && ((unsigned char)text[at] & 0xC0) == 0x80)
        at--;
    return at;
}

static size_t on_to_character(const char *text, size_t at, size_t ceiling) {
    while (at < ceiling && ((unsigned char)text[at] & 0xC0) == 0x80)
        at++;
    return at;
}

/* A block's UTF-16 piece: text[w0, w1) with the block [a, b) inside it at units [*ca, *cb).
 * Returns the piece's units, or -1 for text that is not valid UTF-8 (left to split_whole to
 * report). */
static int32_t block_piece(const char *text, size_t w0, size_t a, size_t b, size_t w1, UChar *u,
                           int32_t *ca, int32_t *cb) {
    const uint8_t *t = (const uint8_t *)text;
    int32_t before = decode_valid_utf8(t + w0, a - w0, u);
    int32_t inside = before < 0 ? -1 : decode_valid_utf8(t + a, b - a, u + before);
    int32_t after = inside < 0 ? -1 : decode_valid_utf8(t + b, w1 - b, u + before + inside);
    if (after < 0)
        return -1;
    *ca = before;
    *cb = before + inside;
    return before + inside + after;
}

/* Block by block (see BLOCK_BYTES). *complete is 0, with no spans added, when the rules cannot
 * run on blocks or a block's answer needs more of the text (split_whole then). */
static int split_in_blocks(xlate_segmenter *s, const char *text, size_t len, span_list *out,
                           int *complete, xlate_error *err) {
    *complete = 0;
    s->last_blocks = 0;
    if (!xlate_srx_rules_blockwise(s->rules))
        return 0;
    UChar *u = NULL;
    size_t cap = 0, units_before = 0; /* units of text[0, a) */
    positions proposals = {NULL, 0, 0};
    line_state st = {0, 0, 0};
    size_t spans_before = out->n;
    int rc = -1;
    for (size_t a = 0; a < len;) {
        size_t b = block_end(text, len, a, s->block_bytes);
        size_t w0 = on_to_character(text, a > CONTEXT_BYTES ? a - CONTEXT_BYTES : 0, a);
        size_t w1 = len - b > CONTEXT_BYTES ? back_to_character(text, b + CONTEXT_BYTES, b) : len;
        if (w1 - w0 + 1 > cap) {
            cap = w1 - w0 + 1; /* UTF-16 never needs more units than UTF-8 bytes */
            free(u);
            if (!(u = malloc(cap * sizeof *u))) {
                xlate_error_set(err, XLATE_ENOMEM, "out of memory");
                goto done;
            }
        }
        int32_t ca = 0, cb = 0, n = block_piece(text, w0, a, b, w1, u, &ca, &cb);
        if (n < 0)
            goto incomplete;
        proposals.n = 0;
        if (s->icu && icu_boundaries(s->icu, u + ca, cb - ca, &proposals, err) != 0)
            goto done;
        for (size_t i = 0; i < proposals.n; i++)
            proposals.v[i] += ca;
        xlate_srx_block block = {ca, cb, w1 < len, (int32_t)(units_before - (size_t)ca), len};
        int32_t *breaks = NULL;
        size_t n_breaks = 0;
        int block_complete = 0;
        if (xlate_srx_rules_breaks_in(s->rules, u, n, &block, proposals.v, proposals.n, &breaks,
                                      &n_breaks, &block_complete, err) != 0)
            goto done;
        if (!block_complete)
            goto incomplete;
        for (size_t i = 0; i < n_breaks; i++)
            breaks[i] -= ca;
        int cut = cut_lines(u + ca, cb - ca, a, breaks, n_breaks, &st, out);
        free(breaks);
        if (cut != 0) {
            xlate_error_set(err, XLATE_ENOMEM, "out of memory");
            goto done;
        }
        units_before += (size_t)(cb - ca);
        s->last_blocks++;
        a = b;
    }
    *complete = 1;
    rc = 0;
    goto done;
incomplete:
    out->n = spans_before;
    rc = 0;
done:
    free(proposals.v);
    free(u);
    return rc;
}

int xlate_segmenter_split(xlate_segmenter *s, const char *text, size_t len, xlate_span **spans,
                          size_t *n_spans, xlate_error *err) {
    *spans = NULL;
    *n_spans = 0;
    span_list out = {NULL, 0, 0};
    int complete = 0;
    s->last_blocks = 1;
    /* Past 2 GB split_whole says what to do. */
    if (s->block_bytes && len > s->block_bytes && len < (size_t)INT32_MAX &&
        split_in_blocks(s, text, len, &out, &complete, err) != 0) {
        free(out.v);
        return -1;
    }
    if (!complete)
        s->last_blocks = 1;
    if (!complete && split_whole(s, text, len, &out, err) != 0) {
        free(out.v);
        return -1;
    }
    *spans = out.v;
    *n_spans = out.n;
    return 0;
}
