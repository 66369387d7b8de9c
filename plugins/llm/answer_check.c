/*
 * answer_check: the checks of a model's answer (see answer_check.h).
 */
#include "answer_check.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/ubrk.h>
#include <unicode/ucasemap.h>
#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

struct llm_checker {
    UCaseMap *fold;
    UBreakIterator *source_breaks, *target_breaks;
};

/* Below this many characters a source is a headline or a name, whose translation may be much
 * longer or shorter; the length bounds are not applied. */
#define MIN_LENGTH_CHECKED 20
#define MAX_LENGTH_RATIO 3.0

/* ICU's locale for a BCP 47 tag, with the abbreviation suppressions of its sentence rules
 * ("U.S. officials" is one sentence), so that counts differ only where sentences do. */
static UBreakIterator *sentence_breaks(const char *tag) {
    char locale[ULOC_FULLNAME_CAPACITY + 16];
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = uloc_forLanguageTag(tag && *tag ? tag : "und", locale, ULOC_FULLNAME_CAPACITY,
                                    NULL, &err);
    if (U_FAILURE(err) || n <= 0)
        snprintf(locale, sizeof locale, "root");
    strcat(locale, "@ss=standard");
    err = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_SENTENCE, locale, NULL, 0, &err);
    if (U_FAILURE(err)) {
        ubrk_close(bi);
        return NULL;
    }
    return bi;
}

llm_checker *llm_checker_new(const char *source_lang, const char *target_lang) {
    llm_checker *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    UErrorCode err = U_ZERO_ERROR;
    c->fold = ucasemap_open("", U_FOLD_CASE_DEFAULT, &err);
    c->source_breaks = sentence_breaks(source_lang);
    c->target_breaks = sentence_breaks(target_lang);
    if (U_FAILURE(err) || !c->fold || !c->source_breaks || !c->target_breaks) {
        llm_checker_free(c);
        return NULL;
    }
    return c;
}

void llm_checker_free(llm_checker *c) {
    if (!c)
        return;
    ucasemap_close(c->fold);
    ubrk_close(c->source_breaks);
    ubrk_close(c->target_breaks);
    free(c);
}

/* --- unwrapping -------------------------------------------------------------------------- */

static int is_space(unsigned char ch) {
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

static void trim(const char **text, size_t *len) {
    while (*len > 0 && is_space((unsigned char)**text)) {
        (*text)++;
        (*len)--;
    }
    while (*len > 0 && is_space((unsigned char)(*text)[*len - 1]))
        (*len)--;
}

static int starts_with(const char *text, size_t len, const char *prefix) {
    size_t n = strlen(prefix);
    return len >= n && memcmp(text, prefix, n) == 0;
}

static int ends_with(const char *text, size_t len, const char *suffix) {
    size_t n = strlen(suffix);
    return len >= n && memcmp(text + len - n, suffix, n) == 0;
}

static const char *find(const char *text, size_t len, const char *what) {
    size_t n = strlen(what);
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (memcmp(text + i, what, n) == 0)
            return text + i;
    return NULL;
}

/* A Markdown fence around the whole answer: "```" with an optional info word, a line break, the
 * text, a line break and "```". */
static int strip_fence(const char **text, size_t *len) {
    if (!starts_with(*text, *len, "```") || *len < 6 || !ends_with(*text, *len, "```"))
        return 0;
    const char *nl = memchr(*text, '\n', *len);
    if (!nl)
        return 0;
    for (const char *p = *text + 3; p < nl; p++)
        if (is_space((unsigned char)*p) && *p != '\r')
            return 0; /* "``` not a fence" */
    const char *body = nl + 1, *end = *text + *len - 3;
    if (body > end || find(body, (size_t)(end - body), "```"))
        return 0;
    *text = body;
    *len = (size_t)(end - body);
    trim(text, len);
    return 1;
}

static const char *const quote_pairs[][2] = {
    {"\"", "\""}, {"\xE2\x80\x9C", "\xE2\x80\x9D"}, /* “ ” */
    {"\xC2\xAB", "\xC2\xBB"},                       /* « » */
    {"\xE2\x80\x9E", "\xE2\x80\x9C"},               /* „ “ */
    {"'", "'"},   {"\xE2\x80\x98", "\xE2\x80\x99"}, /* ‘ ’ */
};
#define N_QUOTE_PAIRS (sizeof quote_pairs / sizeof quote_pairs[0])

static int starts_with_quote(const char *text, size_t len) {
    for (size_t q = 0; q < N_QUOTE_PAIRS; q++)
        if (starts_with(text, len, quote_pairs[q][0]) || starts_with(text, len, quote_pairs[q][1]))
            return 1;
    return 0;
}

static int ends_with_quote(const char *text, size_t len) {
    for (size_t q = 0; q < N_QUOTE_PAIRS; q++)
        if (ends_with(text, len, quote_pairs[q][0]) || ends_with(text, len, quote_pairs[q][1]))
            return 1;
    return 0;
}

/* Quotation marks around the whole answer, when the source has none at its ends (a quoted
 * source is translated quoted) and the closing mark is nowhere inside («a» and «b» is no pair). */
static int strip_quotes(const char **text, size_t *len, const char *source, size_t source_len) {
    trim(&source, &source_len);
    if (starts_with_quote(source, source_len) || ends_with_quote(source, source_len))
        return 0;
    for (size_t q = 0; q < N_QUOTE_PAIRS; q++) {
        size_t open = strlen(quote_pairs[q][0]), close = strlen(quote_pairs[q][1]);
        if (*len < open + close + 1 || !starts_with(*text, *len, quote_pairs[q][0]) ||
            !ends_with(*text, *len, quote_pairs[q][1]))
            continue;
        const char *inner = *text + open;
        size_t inner_len = *len - open - close;
        if (find(inner, inner_len, quote_pairs[q][1]) || find(inner, inner_len, quote_pairs[q][0]))
            return 0;
        *text = inner;
        *len = inner_len;
        trim(text, len);
        return 1;
    }
    return 0;
}

int llm_answer_unwrap(const char *answer, size_t len, const char *source, size_t source_len,
                      xp_buf *out) {
    const char *text = answer;
    trim(&text, &len);
    strip_fence(&text, &len);
    strip_quotes(&text, &len, source, source_len);
    return xp_buf_append(out, text, len);
}

/* --- chatter ----------------------------------------------------------------------------- */

/* Openings no translation of a news segment has: the model talking about its answer. ("Of
 * course" is not one: "Звичайно, …" is translated so.) */
static const char *const chatter_openings[] = {
    "here is", "here's", "here are", "below is", "sure,", "sure!", "certainly!", "certainly,",
    "okay,", "ok,", "i have translated", "i've translated", "as requested",
};

static int starts_with_nocase(const char *text, size_t len, const char *prefix) {
    size_t n = strlen(prefix);
    return len >= n && strncasecmp(text, prefix, n) == 0;
}

static size_t count_lines(const char *text, size_t len) {
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            n++;
    return n;
}

/* The answer's first characters, for a message: up to `max` bytes, cut at a character. */
static void excerpt(const char *text, size_t len, size_t max, char *out, size_t outlen) {
    size_t n = len < max ? len : max;
    while (n > 0 && n < len && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;
    const char *nl = memchr(text, '\n', n);
    if (nl)
        n = (size_t)(nl - text);
    snprintf(out, outlen, "%.*s%s", (int)n, text, n < len ? "…" : "");
}

/* A label before a colon near the start that speaks of the translation ("Translation:",
 * "English translation:", "Here is the translated text:"). */
static int translation_label(const char *text, size_t len) {
    const char *colon = memchr(text, ':', len < 80 ? len : 80);
    if (!colon)
        return 0;
    for (const char *p = text; p + 8 <= colon; p++)
        if (strncasecmp(p, "translat", 8) == 0)
            return 1;
    return 0;
}

int llm_answer_chatter(const char *answer, size_t len, const char *source, size_t source_len,
                       char *why, size_t whylen) {
    char start[96];
    excerpt(answer, len, 60, start, sizeof start);
    for (size_t i = 0; i < sizeof chatter_openings / sizeof chatter_openings[0]; i++) {
        if (starts_with_nocase(answer, len, chatter_openings[i])) {
            snprintf(why, whylen, "it began with “%s” instead of the translation", start);
            return 1;
        }
    }
    if (translation_label(answer, len)) {
        snprintf(why, whylen, "it began with a label, “%s”, instead of the translation", start);
        return 1;
    }
    if (find(answer, len, "```")) {
        snprintf(why, whylen, "it held a Markdown code fence (```)");
        return 1;
    }
    static const char *const notes[] = {"Note:", "(Note", "Translator's note", "NB:"};
    for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++) {
        const char *at = find(answer, len, notes[i]);
        if (at && !find(source, source_len, notes[i])) {
            char note[96];
            excerpt(at, len - (size_t)(at - answer), 60, note, sizeof note);
            snprintf(why, whylen, "it added a note, “%s”, to the translation", note);
            return 1;
        }
    }
    const char *s = source;
    size_t slen = source_len;
    trim(&s, &slen);
    size_t lines = count_lines(answer, len), source_lines = count_lines(s, slen);
    if (lines > source_lines) {
        const char *nl = memchr(answer, '\n', len);
        const char *second = nl + 1;
        char more[96];
        excerpt(second, len - (size_t)(second - answer), 60, more, sizeof more);
        snprintf(why, whylen, "it had %zu lines where the segment has %zu (after the text: “%s”)",
                 lines, source_lines, more);
        return 1;
    }
    return 0;
}

/* --- one segment ------------------------------------------------------------------------- */

static size_t code_points(const char *text, size_t len) {
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            n++;
    return n;
}

/* The sentences of `text` as ICU's iterator finds them, counting only those with a letter or a
 * digit (a lone dash or closing quote after a break is no sentence). -1 when ICU fails. */
static long count_sentences(UBreakIterator *bi, const char *text, size_t len) {
    UErrorCode err = U_ZERO_ERROR;
    int32_t n16 = 0;
    u_strFromUTF8(NULL, 0, &n16, text, (int32_t)len, &err);
    if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
        return -1;
    UChar *u = malloc(((size_t)n16 + 1) * sizeof *u);
    if (!u)
        return -1;
    err = U_ZERO_ERROR;
    u_strFromUTF8WithSub(u, n16 + 1, NULL, text, (int32_t)len, 0xFFFD, NULL, &err);
    long count = -1;
    if (U_SUCCESS(err)) {
        ubrk_setText(bi, u, n16, &err);
        if (U_SUCCESS(err)) {
            count = 0;
            int32_t start = ubrk_first(bi);
            for (int32_t end = ubrk_next(bi); end != UBRK_DONE; start = end, end = ubrk_next(bi)) {
                int32_t i = start;
                while (i < end) {
                    UChar32 ch;
                    U16_NEXT(u, i, end, ch);
                    if (u_isalnum(ch)) {
                        count++;
                        break;
                    }
                }
            }
        }
        ubrk_setText(bi, NULL, 0, &err); /* the text is freed below */
    }
    free(u);
    return count;
}

int llm_answer_merged(llm_checker *c, const char *answer, size_t len, const char *source,
                      size_t source_len, char *why, size_t whylen) {
    long got = count_sentences(c->target_breaks, answer, len);
    long want = count_sentences(c->source_breaks, source, source_len);
    if (got < 0 || want < 0)
        return -1;
    if (got != want) {
        snprintf(why, whylen, "it had %ld sentence%s where the segment has %ld: %s", got,
                 got == 1 ? "" : "s", want,
                 got > want ? "it translated more than this one segment, or split it"
                            : "it merged sentences or left one out");
        return 1;
    }
    size_t s = code_points(source, source_len), a = code_points(answer, len);
    if (s >= MIN_LENGTH_CHECKED && ((double)a > MAX_LENGTH_RATIO * (double)s ||
                                    (double)a * MAX_LENGTH_RATIO < (double)s)) {
        snprintf(why, whylen, "it was %zu characters long for a segment of %zu: %s", a, s,
                 a > s ? "it translated more than this one segment"
                       : "it left part of the segment out");
        return 1;
    }
    return 0;
}

/* --- terms ------------------------------------------------------------------------------- */

static int fold(llm_checker *c, const char *text, size_t len, xp_buf *out) {
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = ucasemap_utf8FoldCase(c->fold, NULL, 0, text, (int32_t)len, &err);
    if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
        return -1;
    xp_buf_reset(out);
    if (xp_buf_reserve(out, (size_t)n + 1) != 0)
        return -1;
    err = U_ZERO_ERROR;
    ucasemap_utf8FoldCase(c->fold, out->data, n + 1, text, (int32_t)len, &err);
    if (U_FAILURE(err))
        return -1;
    out->len = (size_t)n;
    out->data[n] = '\0';
    return 0;
}

int llm_answer_has_term(llm_checker *c, const char *answer, size_t len, const char *term,
                        size_t term_len) {
    xp_buf a = XP_BUF_INIT, t = XP_BUF_INIT;
    int found = -1;
    if (fold(c, answer, len, &a) == 0 && fold(c, term, term_len, &t) == 0)
        found = t.len == 0 || find(a.data, a.len, t.data) != NULL;
    xp_buf_free(&a);
    xp_buf_free(&t);
    return found;
}
