/*
 * normalize: the second stage of the data path, between decode and segment. Valid UTF-8 in,
 * clean UTF-8 out, in two passes: a cleaning pass (CR LF and lone CR to LF, NBSP to space, soft
 * hyphens and zero-width characters out, Ukrainian apostrophes inside Cyrillic words unified,
 * Latin look-alike letters inside Cyrillic words made Cyrillic and the reverse), then ICU's
 * NFC/NFKC, chunk by chunk, where ICU's quick check lets already-normalized text pass untouched.
 */
#include "normalize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "buf.h"

int xlate_norm_form_parse(const char *word, xlate_norm_form *out) {
    if (!word)
        return -1;
    if (strcmp(word, "nfc") == 0 || strcmp(word, "NFC") == 0)
        *out = XLATE_NORM_NFC;
    else if (strcmp(word, "nfkc") == 0 || strcmp(word, "NFKC") == 0)
        *out = XLATE_NORM_NFKC;
    else if (strcmp(word, "none") == 0)
        *out = XLATE_NORM_NONE;
    else
        return -1;
    return 0;
}

/* --- character classes ------------------------------------------------------------------------ */

typedef enum script_class { SCRIPT_OTHER, SCRIPT_LATIN, SCRIPT_CYRILLIC } script_class;

/* Cyrillic combining marks (titlo and friends) inside the Cyrillic block. */
static int is_cyrillic_mark(UChar32 c) { return c >= 0x0483 && c <= 0x0489; }

/* Letters and marks. ASCII and the Cyrillic block, nearly all of the text, are answered without
 * asking ICU (U+0482 is the one symbol there). */
static int is_word_char(UChar32 c) {
    if (c < 0x80)
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    if (c >= 0x0400 && c <= 0x052F)
        return c != 0x0482;
    return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK)) != 0;
}

static int is_mark(UChar32 c) {
    if (c < 0x0300)
        return 0;
    if (c >= 0x0400 && c <= 0x052F)
        return is_cyrillic_mark(c);
    return (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

static script_class letter_script(UChar32 c) {
    if (c < 0x80)
        return SCRIPT_LATIN;
    if (c >= 0x0400 && c <= 0x052F)
        return SCRIPT_CYRILLIC;
    if ((c >= 0x00C0 && c <= 0x024F && c != 0xD7 && c != 0xF7) || (c >= 0x1E00 && c <= 0x1EFF))
        return SCRIPT_LATIN;
    return SCRIPT_OTHER;
}

static int is_apostrophe(UChar32 c) {
    return c == 0x27 || c == 0x2019 || c == 0x02BC || c == 0x60 || c == 0xB4;
}

/* Invisible characters that only get in the way of matching and segmenting. */
static int is_always_invisible(UChar32 c) {
    return c == 0x00AD || c == 0x200B || c == 0x2060 || c == 0xFEFF;
}

/* ZWJ/ZWNJ carry meaning in emoji and some scripts, but none inside a Latin/Cyrillic word. */
static int is_joiner(UChar32 c) { return c == 0x200C || c == 0x200D; }

static int is_nbsp(UChar32 c) { return c == 0x00A0 || c == 0x202F; }

/* Latin and Cyrillic letters that look the same (each pair is confusable in ICU's data; the unit
 * test checks that with the spoof checker). Only letters of the Ukrainian and Russian alphabets
 * on the Cyrillic side, so a fix never brings in a foreign letter. */
static const struct twin {
    UChar32 latin, cyrillic;
} twins[] = {
    {'A', 0x0410}, {'B', 0x0412}, {'C', 0x0421}, {'E', 0x0415}, {'H', 0x041D}, {'I', 0x0406},
    {'K', 0x041A}, {'M', 0x041C}, {'O', 0x041E}, {'P', 0x0420}, {'T', 0x0422}, {'X', 0x0425},
    {'a', 0x0430}, {'c', 0x0441}, {'e', 0x0435}, {'i', 0x0456}, {'o', 0x043E},
    {'p', 0x0440}, {'x', 0x0445}, {'y', 0x0443}, {0x00CF, 0x0407}, {0x00EF, 0x0457},
    {0x00CB, 0x0401}, {0x00EB, 0x0451},
};

static UChar32 cyrillic_twin(UChar32 latin) {
    for (size_t i = 0; i < sizeof twins / sizeof twins[0]; i++)
        if (twins[i].latin == latin)
            return twins[i].cyrillic;
    return 0;
}

static UChar32 latin_twin(UChar32 cyrillic) {
    for (size_t i = 0; i < sizeof twins / sizeof twins[0]; i++)
        if (twins[i].cyrillic == cyrillic)
            return twins[i].latin;
    return 0;
}

/* --- the cleaning pass ------------------------------------------------------------------------ */

typedef enum word_fix { FIX_NONE, FIX_TO_CYRILLIC, FIX_TO_LATIN } word_fix;

typedef struct word_span {
    size_t end;          /* byte after the word */
    size_t cyrillic, latin, other;
    int latin_all_twins, cyrillic_all_twins;
    int has_invisible, has_apostrophe;
    int code_like;       /* an option, format or escape ("-aфайл", "%CПроц", "x512"): no fixing */
} word_span;

/* Does the apostrophe-like character at `i` sit between two letters? */
static int apostrophe_inside_word(const char *s, size_t len, size_t i) {
    UChar32 c;
    U8_NEXT(s, i, len, c);
    if (i >= len)
        return 0;
    U8_NEXT(s, i, len, c);
    return c >= 0 && is_word_char(c) && !is_mark(c);
}

/* For a word of both scripts: does every letter of each script have a twin in the other? */
static void find_twins(const char *s, size_t start, word_span *w) {
    for (size_t i = start; i < w->end;) {
        UChar32 c;
        U8_NEXT_UNSAFE(s, i, c);
        script_class sc = is_word_char(c) && !is_mark(c) ? letter_script(c) : SCRIPT_OTHER;
        if (sc == SCRIPT_LATIN)
            w->latin_all_twins &= cyrillic_twin(c) != 0;
        else if (sc == SCRIPT_CYRILLIC)
            w->cyrillic_all_twins &= latin_twin(c) != 0;
    }
}

/* Scans the word starting at `start` (a letter): letters, marks, invisible characters and
 * apostrophes between letters. */
static void scan_word(const char *s, size_t len, size_t start, word_span *w) {
    memset(w, 0, sizeof *w);
    w->latin_all_twins = w->cyrillic_all_twins = 1;
    size_t i = start;
    while (i < len) {
        const unsigned char *u = (const unsigned char *)s + i;
        /* the bulk of a Cyrillic or English word, without the general path */
        if ((u[0] == 0xD0 || u[0] == 0xD1) && i + 1 < len) {
            w->cyrillic++; /* U+0400..U+047F: all letters */
            i += 2;
            continue;
        }
        if (u[0] < 0x80 && ((u[0] | 0x20) >= 'a' && (u[0] | 0x20) <= 'z')) {
            w->latin++;
            i++;
            continue;
        }
        size_t here = i;
        UChar32 c;
        U8_NEXT(s, i, len, c);
        if (c < 0)
            break;
        if (is_apostrophe(c)) { /* before letters: U+02BC is a letter to Unicode */
            if (!apostrophe_inside_word(s, len, here)) {
                i = here;
                break;
            }
            w->has_apostrophe = 1;
        } else if (is_word_char(c)) {
            if (is_mark(c))
                continue;
            script_class sc = letter_script(c);
            w->latin += sc == SCRIPT_LATIN;
            w->cyrillic += sc == SCRIPT_CYRILLIC;
            w->other += sc == SCRIPT_OTHER;
        } else if (is_always_invisible(c) || is_joiner(c)) {
            w->has_invisible = 1;
        } else {
            i = here;
            break;
        }
    }
    w->end = i;
    if (w->latin && w->cyrillic)
        find_twins(s, start, w);
}

static word_fix decide_word_fix(const word_span *w) {
    if (!w->cyrillic || !w->latin || w->other || w->code_like)
        return FIX_NONE;
    int latin_fits = w->latin_all_twins, cyrillic_fits = w->cyrillic_all_twins;
    if (latin_fits && !cyrillic_fits)
        return FIX_TO_CYRILLIC;
    if (cyrillic_fits && !latin_fits)
        return FIX_TO_LATIN;
    if (latin_fits && cyrillic_fits && w->cyrillic != w->latin)
        return w->cyrillic > w->latin ? FIX_TO_CYRILLIC : FIX_TO_LATIN;
    return FIX_NONE;
}

static int put_char(xlate_buf *b, UChar32 c) {
    char u[4];
    size_t n = 0;
    U8_APPEND_UNSAFE(u, n, c);
    return xlate_buf_append(b, u, n);
}

static word_fix word_fix_for(const word_span *w, const xlate_normalize_options *o) {
    return o->fix_homoglyphs ? decide_word_fix(w) : FIX_NONE;
}

/* Apostrophes are unified only in Cyrillic words: "don't" stays as it was written. */
static int is_cyrillic_word(const word_span *w, word_fix fix) {
    return w->cyrillic && (fix == FIX_TO_CYRILLIC || (!w->latin && !w->other));
}

static int word_needs_edit(const word_span *w, const xlate_normalize_options *o) {
    word_fix fix = word_fix_for(w, o);
    return fix != FIX_NONE || (w->has_invisible && o->fix_spaces) ||
           (w->has_apostrophe && o->apostrophe && is_cyrillic_word(w, fix));
}

static int emit_word(const char *s, size_t start, const word_span *w,
                     const xlate_normalize_options *o, xlate_buf *b) {
    word_fix fix = word_fix_for(w, o);
    int cyrillic_word = is_cyrillic_word(w, fix);
    size_t i = start;
    int rc = 0;
    while (i < w->end && rc == 0) {
        size_t here = i;
        UChar32 c, twin = 0;
        U8_NEXT_UNSAFE(s, i, c);
        if (o->fix_spaces && (is_always_invisible(c) || is_joiner(c)))
            continue;
        if (is_apostrophe(c) && cyrillic_word && o->apostrophe) {
            rc = xlate_buf_puts(b, o->apostrophe);
            continue;
        }
        if (fix == FIX_TO_CYRILLIC && letter_script(c) == SCRIPT_LATIN)
            twin = cyrillic_twin(c);
        else if (fix == FIX_TO_LATIN && letter_script(c) == SCRIPT_CYRILLIC)
            twin = latin_twin(c);
        rc = twin ? put_char(b, twin) : xlate_buf_append(b, s + here, i - here);
    }
    return rc;
}

/* Mixed-script words in command lines and formats are meant that way: a Latin option letter
 * glued to a Cyrillic placeholder ("-Oрівень"), a format letter ("%CПроц"), a letter before a
 * number ("БЛОКИx512"). */
static int looks_like_code(const char *s, size_t len, size_t start, size_t end) {
    char before = start > 0 ? s[start - 1] : ' ';
    char after = end < len ? s[end] : ' ';
    return before == '-' || before == '%' || before == '=' || before == '\\' || before == '$' ||
           (after >= '0' && after <= '9');
}

static int clean_pass(const char *s, size_t len, const xlate_normalize_options *o, xlate_buf *b) {
    size_t i = 0, copied = 0; /* s[copied, i) is still to be copied verbatim */
    int rc = 0;
    while (i < len && rc == 0) {
        unsigned char byte = (unsigned char)s[i];
        if (byte < 0x80 && byte != '\r' && !is_word_char(byte)) {
            i++;
            continue;
        }
        size_t here = i;
        UChar32 c;
        U8_NEXT(s, i, len, c);
        int word = is_word_char(c) && !is_mark(c) && !is_apostrophe(c);
        int space = o->fix_spaces && is_nbsp(c);
        int drop = o->fix_spaces && is_always_invisible(c);
        if (!(word || space || drop || c == '\r'))
            continue;
        word_span w;
        if (word) {
            scan_word(s, len, here, &w);
            w.code_like = looks_like_code(s, len, here, w.end);
            i = w.end;
            if (!word_needs_edit(&w, o))
                continue;
        }
        rc = xlate_buf_append(b, s + copied, here - copied);
        if (rc)
            break;
        if (word) {
            rc = emit_word(s, here, &w, o, b);
        } else if (space) {
            rc = xlate_buf_putc(b, ' ');
        } else if (c == '\r') {
            if (i < len && s[i] == '\n')
                i++;
            rc = xlate_buf_putc(b, '\n');
        }
        copied = i;
    }
    if (rc == 0)
        rc = xlate_buf_append(b, s + copied, len - copied);
    return rc;
}

/* --- Unicode normalization form --------------------------------------------------------------- */

enum { CHUNK_BYTES = 1 << 16 };

/* Ends a chunk just before an ASCII byte at or after `want`: NFC and NFKC have a boundary before
 * every ASCII character, so chunks normalize independently. */
static size_t chunk_end(const char *s, size_t len, size_t want) {
    if (want >= len)
        return len;
    for (size_t i = want; i < len; i++)
        if ((unsigned char)s[i] < 0x80)
            return i;
    return len;
}

/* Characters below SETTLED_LIMIT (Latin, Cyrillic) and in the punctuation block from
 * SETTLED_PUNCT (dashes, quotes, ellipsis, currency) have their ICU verdict cached a call. */
enum { SETTLED_LIMIT = 0x500, SETTLED_PUNCT = 0x2000, SETTLED_PUNCT_END = 0x2100,
       SETTLED_MIN_TEXT = 1 << 14 };

typedef struct utf16_scratch {
    UChar *a, *b;
    int32_t cap_a, cap_b;
    int have_settled;
    unsigned char settled[SETTLED_LIMIT]; /* 1: normalized alone and a boundary before it */
    unsigned char settled_punct[SETTLED_PUNCT_END - SETTLED_PUNCT];
} utf16_scratch;

/* Asks ICU, once a call, which of the first code points are "settled": quick check YES on their
 * own and a normalization boundary before them whatever precedes. A run of settled characters is
 * normalized as it stands, which answers for ASCII, Latin-1 and Cyrillic text without
 * converting it to UTF-16. */
static int is_settled(const UNormalizer2 *n2, UChar32 c) {
    UErrorCode st = U_ZERO_ERROR;
    UChar u = (UChar)c;
    return unorm2_hasBoundaryBefore(n2, c) && unorm2_quickCheck(n2, &u, 1, &st) == UNORM_YES &&
           U_SUCCESS(st);
}

static void find_settled(const UNormalizer2 *n2, utf16_scratch *t) {
    for (UChar32 c = 0; c < SETTLED_LIMIT; c++)
        t->settled[c] = (unsigned char)is_settled(n2, c);
    for (UChar32 c = SETTLED_PUNCT; c < SETTLED_PUNCT_END; c++)
        t->settled_punct[c - SETTLED_PUNCT] = (unsigned char)is_settled(n2, c);
    t->have_settled = 1;
}

static int all_settled(const utf16_scratch *t, const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (u[i] < 0x80) {
            if (!t->settled[u[i]])
                return 0;
            i++;
        } else if ((u[i] & 0xE0) == 0xC0 && i + 1 < n) {
            unsigned c = (unsigned)(u[i] & 0x1F) << 6 | (u[i + 1] & 0x3F);
            if (c >= SETTLED_LIMIT || !t->settled[c])
                return 0;
            i += 2;
        } else if (u[i] == 0xE2 && i + 2 < n && (u[i + 1] & 0xFC) == 0x80) { /* U+2000..U+20FF */
            unsigned c = 0x2000 | (unsigned)(u[i + 1] & 0x03) << 6 | (u[i + 2] & 0x3F);
            if (!t->settled_punct[c - SETTLED_PUNCT])
                return 0;
            i += 3;
        } else {
            return 0;
        }
    }
    return 1;
}

static int grow(UChar **p, int32_t *cap, int32_t need) {
    if (need <= *cap)
        return 0;
    UChar *q = realloc(*p, (size_t)need * sizeof(UChar));
    if (!q)
        return -1;
    *p = q;
    *cap = need;
    return 0;
}

static int normalize_chunk(const UNormalizer2 *n2, const char *s, size_t n, utf16_scratch *t,
                           xlate_buf *out, xlate_error *err) {
    if (t->have_settled && all_settled(t, s, n))
        return xlate_buf_append(out, s, n) == 0 ? 0 : -1;
    UErrorCode st = U_ZERO_ERROR;
    int32_t n16 = 0;
    if (n > INT32_MAX / 2 || grow(&t->a, &t->cap_a, (int32_t)n + 1) != 0)
        goto oom;
    u_strFromUTF8(t->a, t->cap_a, &n16, s, (int32_t)n, &st);
    int32_t span = U_SUCCESS(st) ? unorm2_spanQuickCheckYes(n2, t->a, n16, &st) : 0;
    if (U_FAILURE(st))
        goto icu;
    if (span == n16) /* already normalized: the common case, nearly free */
        return xlate_buf_append(out, s, n) == 0 ? 0 : -1;

    int32_t cap = n16 + n16 / 2 + 16;
    if (grow(&t->b, &t->cap_b, cap) != 0)
        goto oom;
    memcpy(t->b, t->a, (size_t)span * sizeof(UChar));
    int32_t m = unorm2_normalizeSecondAndAppend(n2, t->b, span, t->cap_b, t->a + span, n16 - span,
                                                &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) {
        st = U_ZERO_ERROR;
        if (grow(&t->b, &t->cap_b, m + 1) != 0)
            goto oom;
        memcpy(t->b, t->a, (size_t)span * sizeof(UChar));
        m = unorm2_normalizeSecondAndAppend(n2, t->b, span, t->cap_b, t->a + span, n16 - span,
                                            &st);
    }
    if (U_FAILURE(st))
        goto icu;
    int32_t n8 = 0;
    if (xlate_buf_reserve(out, (size_t)m * 3) != 0)
        goto oom;
    u_strToUTF8(out->data + out->len, (int32_t)(out->cap - out->len), &n8, t->b, m, &st);
    if (U_FAILURE(st))
        goto icu;
    out->len += (size_t)n8;
    out->data[out->len] = '\0';
    return 0;
icu:
    xlate_error_set(err, XLATE_ERR_RUN, "normalization failed in ICU: %s", u_errorName(st));
    return -1;
oom:
    xlate_error_set(err, XLATE_ERR_RUN, "out of memory while normalizing");
    return -1;
}

static int apply_form(xlate_norm_form form, const char *s, size_t len, xlate_buf *out,
                      xlate_error *err) {
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *n2 =
        form == XLATE_NORM_NFKC ? unorm2_getNFKCInstance(&st) : unorm2_getNFCInstance(&st);
    if (U_FAILURE(st)) {
        xlate_error_set(err, XLATE_ERR_RUN, "ICU normalizer unavailable: %s", u_errorName(st));
        return -1;
    }
    utf16_scratch t;
    t.a = t.b = NULL;
    t.cap_a = t.cap_b = 0;
    t.have_settled = 0;
    if (len >= SETTLED_MIN_TEXT) /* worth the 1280 questions to ICU */
        find_settled(n2, &t);
    int rc = xlate_buf_reserve(out, len + len / 16);
    if (rc != 0)
        xlate_error_set(err, XLATE_ERR_RUN, "out of memory while normalizing");
    for (size_t pos = 0; pos < len && rc == 0;) {
        size_t end = chunk_end(s, len, pos + CHUNK_BYTES);
        rc = normalize_chunk(n2, s + pos, end - pos, &t, out, err);
        pos = end;
    }
    free(t.a);
    free(t.b);
    return rc;
}

int xlate_normalize(const char *text, size_t len, const xlate_normalize_options *opts, char **out,
                    size_t *out_len, xlate_error *err) {
    static const xlate_normalize_options defaults = XLATE_NORMALIZE_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    if (!text)
        text = "";
    xlate_buf cleaned = XLATE_BUF_INIT, formed = XLATE_BUF_INIT;
    if (xlate_buf_reserve(&cleaned, len) != 0 || clean_pass(text, len, opts, &cleaned) != 0) {
        xlate_buf_free(&cleaned);
        xlate_error_set(err, XLATE_ERR_RUN, "out of memory while normalizing");
        return -1;
    }
    xlate_buf *result = &cleaned;
    if (opts->form != XLATE_NORM_NONE) {
        if (apply_form(opts->form, cleaned.data, cleaned.len, &formed, err) != 0) {
            xlate_buf_free(&cleaned);
            xlate_buf_free(&formed);
            return -1;
        }
        result = &formed;
    }
    *out = xlate_buf_steal(result, out_len);
    xlate_buf_free(&cleaned);
    xlate_buf_free(&formed);
    if (!*out) {
        xlate_error_set(err, XLATE_ERR_RUN, "out of memory while normalizing");
        return -1;
    }
    return 0;
}
