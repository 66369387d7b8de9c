/*
 * apertium_format: Apertium stream format in and out (see apertium_format.h). What is escaped,
 * what goes in superblanks and where the ".[]" sentence end goes are apertium-destxt's choices
 * (checked against apertium 3.8), so the engine sees a segment as `apertium PAIR` shows it to
 * it. That matters beyond looks: lrx-proc (apertium-lex-tools 0.4.2) reads an escaped '^' in the
 * blank after a unit's last word as the start of a word and swallows the null flush with it, so
 * a unit such as "a ^" never comes back; the deformatter's closing "." puts a word after it.
 */
#include "apertium_format.h"
#include "placeholder.h"
#include "xlate/number.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MARKER '\x03'
/* What a word-bound blank carries: this prefix, then the term's index in decimal. */
#define TERM_PREFIX "t:"

void xlate_apertium_marks_free(xlate_apertium_marks *marks) {
    free(marks->v);
    marks->v = NULL;
    marks->n = marks->cap = 0;
}

static int is_stream_special(char c) {
    return c && strchr("\\[]^$/@<>{}", c) != NULL;
}

/* The bytes apertium-destxt groups into one blank: whitespace, and '~', which lt-proc -p would
 * otherwise read as the mark of a post-generation rule and drop. */
static int is_blank_byte(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '~';
}

/* Copies a placeholder (open byte, digits, close byte) into a superblank; returns the bytes
 * consumed, or 0 when the open byte starts no placeholder. */
static size_t encode_placeholder(const char *text, size_t len, xp_buf *out) {
    size_t n = xlate_placeholder_length(text, len);
    if (n) {
        xp_buf_putc(out, '[');
        xp_buf_append(out, text, n);
        xp_buf_putc(out, ']');
    }
    return n;
}

/* A run of blank bytes: plain spaces stay as they are; a run holding a tab, a line break or a
 * '~' becomes one superblank, and one holding two line breaks (a paragraph break) ends a
 * sentence first, as the deformatter does. */
static void encode_blank_run(const char *run, size_t n, int in_term, xp_buf *out) {
    size_t breaks = 0, special = 0;
    for (size_t i = 0; i < n; i++) {
        breaks += run[i] == '\n';
        special += run[i] != ' ';
    }
    if (!special) {
        xp_buf_append(out, run, n);
        return;
    }
    if (breaks >= 2 && !in_term)
        xp_buf_puts(out, ".[]");
    xp_buf_putc(out, '[');
    xp_buf_append(out, run, n);
    xp_buf_putc(out, ']');
}

static void encode_char(char c, xp_buf *out) {
    if (c == '\0' || c == XLATE_PLACEHOLDER_OPEN || c == XLATE_PLACEHOLDER_CLOSE || c == MARKER) {
        /* Bytes that would frame units or fake placeholders; text never needs them. */
        xp_buf_putc(out, ' ');
        return;
    }
    if (is_stream_special(c))
        xp_buf_putc(out, '\\');
    xp_buf_putc(out, c);
}

/* Where the closing ".[]" goes: after the last byte that is not blank, as apertium-destxt puts
 * it before the text's trailing blanks. */
static size_t sentence_end(const char *text, size_t len) {
    while (len > 0 && is_blank_byte(text[len - 1]))
        len--;
    return len;
}

/* The encoder's place in the spans: the next one to open, and the end of the open one. */
typedef struct span_walk {
    const xlate_apertium_span *spans;
    size_t n, next;
    size_t open_end; /* SIZE_MAX when no span is open */
    size_t text_len;
} span_walk;

/* The next span that can be wrapped: in range and after the previous one. */
static void skip_bad_spans(span_walk *w, size_t at) {
    while (w->next < w->n) {
        const xlate_apertium_span *s = &w->spans[w->next];
        if (s->start >= at && s->start < s->end && s->end <= w->text_len)
            return;
        w->next++;
    }
}

/* Opens or closes a word-bound blank at byte `at` of the text. */
static void step_spans(span_walk *w, size_t at, xp_buf *out) {
    if (w->open_end == at) {
        xp_buf_puts(out, "[[/]]");
        w->open_end = SIZE_MAX;
    }
    if (w->open_end == SIZE_MAX) {
        skip_bad_spans(w, at);
        if (w->next < w->n && w->spans[w->next].start == at) {
            xp_buf_printf(out, "[[" TERM_PREFIX "%zu]]", w->spans[w->next].term);
            w->open_end = w->spans[w->next].end;
            w->next++;
        }
    }
}

/* The end of the run of blank bytes at text[i], stopping where a span opens or closes so that
 * word-bound blanks hold words, not blanks. */
static size_t blank_run_end(const char *text, size_t i, size_t limit, const span_walk *w) {
    size_t j = i;
    while (j < limit && is_blank_byte(text[j])) {
        j++;
        if (j == w->open_end || (w->next < w->n && j == w->spans[w->next].start))
            break;
    }
    return j;
}

void xlate_apertium_encode(const char *text, size_t len, const xlate_apertium_span *spans,
                           size_t n_spans, unsigned long long id, xp_buf *out) {
    span_walk w = {spans, spans ? n_spans : 0, 0, SIZE_MAX, len};
    size_t end = sentence_end(text, len);
    for (size_t i = 0; i < len;) {
        step_spans(&w, i, out);
        if (i == end)
            xp_buf_puts(out, ".[]");
        char c = text[i];
        if (c == XLATE_PLACEHOLDER_OPEN) {
            size_t used = encode_placeholder(text + i, len - i, out);
            if (used) {
                i += used;
                continue;
            }
        }
        if (is_blank_byte(c)) {
            size_t j = blank_run_end(text, i, i < end ? end : len, &w);
            encode_blank_run(text + i, j - i, w.open_end != SIZE_MAX, out);
            i = j;
            continue;
        }
        encode_char(c, out);
        i++;
    }
    step_spans(&w, len, out);
    if (end == len)
        xp_buf_puts(out, ".[]");
    xp_buf_printf(out, "[%c%llu]", MARKER, id);
    xp_buf_putc(out, '\0');
}

/* Finds the end of a superblank starting after its '['; returns the index of its ']' or len. */
static size_t superblank_end(const char *s, size_t i, size_t len) {
    while (i < len && s[i] != ']') {
        if (s[i] == '\\' && i + 1 < len)
            i++;
        i++;
    }
    return i;
}

/* Finds the end of a word-bound blank starting after its "[["; returns the index of its "]]"
 * or len. */
static size_t wordbound_end(const char *s, size_t i, size_t len) {
    while (i < len && !(s[i] == ']' && i + 1 < len && s[i + 1] == ']')) {
        if (s[i] == '\\' && i + 1 < len)
            i++;
        i++;
    }
    return i < len ? i : len;
}

static void append_unescaped(const char *s, size_t len, xp_buf *out) {
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len)
            i++;
        xp_buf_putc(out, s[i]);
    }
}

/* A marker superblank's content is MARKER then the id in decimal, digits only: "+5", " 5" or a
 * wrapped "-1" is not ours. */
static int marker_matches(const char *content, size_t len, unsigned long long id) {
    uint64_t got;
    return len >= 2 && xlate_parse_uint(content + 1, len - 1, UINT64_MAX, &got) == XLATE_NUMBER_OK &&
           got == id;
}

static void push_mark(xlate_apertium_marks *m, size_t term, size_t start) {
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 8;
        xlate_apertium_mark *v = realloc(m->v, cap * sizeof *v);
        if (!v)
            return; /* the term then counts as lost, which the host reports */
        m->v = v;
        m->cap = cap;
    }
    m->v[m->n++] = (xlate_apertium_mark){term, start, SIZE_MAX};
}

/* A word-bound blank's content: "/" closes the open ones; otherwise one or more "t:K" (merged
 * blanks are joined with "; ") open marks at `at`. Content that is not ours is dropped. */
static void take_wordbound(const char *c, size_t len, size_t at, size_t *open_from,
                           xlate_apertium_marks *m) {
    if (len == 1 && c[0] == '/') {
        for (size_t k = *open_from; k < m->n; k++)
            if (m->v[k].end == SIZE_MAX)
                m->v[k].end = at;
        *open_from = m->n;
        return;
    }
    size_t plen = strlen(TERM_PREFIX);
    for (size_t i = 0; i < len;) {
        while (i < len && (c[i] == ';' || c[i] == ' '))
            i++;
        size_t j = i;
        while (j < len && c[j] != ';')
            j++;
        if (j - i > plen && memcmp(c + i, TERM_PREFIX, plen) == 0) {
            size_t term = 0, k = i + plen;
            while (k < j && c[k] >= '0' && c[k] <= '9')
                term = term * 10 + (size_t)(c[k++] - '0');
            if (k == j && k > i + plen)
                push_mark(m, term, at);
        }
        i = j;
    }
}

/* The answer's "." before the empty superblank is the sentence end the encoder added. */
static void drop_sentence_end(xp_buf *out, xlate_apertium_marks *m) {
    if (out->len == 0 || out->data[out->len - 1] != '.')
        return;
    out->data[--out->len] = '\0';
    for (size_t k = 0; m && k < m->n; k++) {
        if (m->v[k].start > out->len)
            m->v[k].start = out->len;
        if (m->v[k].end != SIZE_MAX && m->v[k].end > out->len)
            m->v[k].end = out->len;
    }
}

int xlate_apertium_decode(const char *answer, size_t len, unsigned long long id, xp_buf *out,
                          xlate_apertium_marks *marks) {
    int marked = 0;
    size_t open_from = 0;
    if (marks)
        marks->n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = answer[i];
        if (marked) {
            /* Only blanks may follow the marker: anything else is another unit's text. */
            if (c != ' ' && c != '\n' && c != '\t')
                return -1;
            continue;
        }
        if (c == '\\' && i + 1 < len) {
            xp_buf_putc(out, answer[++i]);
        } else if (c == '[' && i + 1 < len && answer[i + 1] == '[') {
            size_t end = wordbound_end(answer, i + 2, len);
            if (marks)
                take_wordbound(answer + i + 2, end - (i + 2), out->len, &open_from, marks);
            i = end + 1;
        } else if (c == '[') {
            size_t end = superblank_end(answer, i + 1, len);
            const char *content = answer + i + 1;
            size_t clen = end - (i + 1);
            if (clen > 0 && content[0] == MARKER) {
                if (!marker_matches(content, clen, id))
                    return -1;
                marked = 1;
            } else if (clen > 0 && content[0] == XLATE_PLACEHOLDER_OPEN) {
                xp_buf_append(out, content, clen);
            } else if (clen == 0) {
                drop_sentence_end(out, marks);
            } else {
                append_unescaped(content, clen, out);
            }
            i = end;
        } else {
            xp_buf_putc(out, c);
        }
    }
    for (size_t k = 0; marks && k < marks->n; k++)
        if (marks->v[k].end == SIZE_MAX)
            marks->v[k].end = out->len;
    if (!out->data)
        xp_buf_puts(out, "");
    return marked ? 0 : -1;
}
