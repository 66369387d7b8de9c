/*
 * normalize: the second stage of the data path, between decode and segment. Valid UTF-8 in,
 * clean UTF-8 out, in two passes: a cleaning pass (CR LF and lone CR to LF, NBSP to space, soft
 * hyphens and zero-width characters out, Ukrainian apostrophes inside Cyrillic words unified,
 * Latin look-alike letters inside Cyrillic words made Cyrillic and the reverse), then ICU's
 * NFC/NFKC on just the stretches around characters that are not normalized as they stand. Both
 * passes scan eight bytes at a time where the text is plain (ASCII, Cyrillic letters) and copy
 * nothing until they change something: clean text comes back as it went in.
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
#include "bytewise.h"

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

/* The first edit makes the output buffer, with room for the whole text and some growth
 * (apostrophes and Cyrillic twins take a byte more): one allocation, no copies as it grows. */
static int reserve_for_text(xlate_buf *b, size_t len) {
    return b->data ? 0 : xlate_buf_reserve_bulk(b, len + len / 16 + 64);
}

/* One step of the cleaning pass at `i`, a position the pass visits: a character start outside
 * any word already scanned. An edit appends the untouched text since *copied, then the edit, to
 * `b`. Returns the next position to visit; *plain tells that the step only passed an ASCII byte
 * that is no letter and no CR, which ends any word, so the next byte is always visited. */
static size_t clean_step(const char *s, size_t len, size_t i, const xlate_normalize_options *o,
                         xlate_buf *b, size_t *copied, int *plain, int *rc) {
    unsigned char byte = (unsigned char)s[i];
    *plain = byte < 0x80 && byte != '\r' && !is_word_char(byte);
    if (*plain)
        return i + 1;
    size_t here = i;
    UChar32 c;
    U8_NEXT(s, i, len, c);
    int word = is_word_char(c) && !is_mark(c) && !is_apostrophe(c);
    int space = o->fix_spaces && is_nbsp(c);
    int drop = o->fix_spaces && is_always_invisible(c);
    if (!(word || space || drop || c == '\r'))
        return i;
    word_span w;
    if (word) {
        scan_word(s, len, here, &w);
        w.code_like = looks_like_code(s, len, here, w.end);
        i = w.end;
        if (!word_needs_edit(&w, o))
            return i;
    }
    *rc = reserve_for_text(b, len) != 0 || xlate_buf_append(b, s + *copied, here - *copied) != 0;
    if (*rc)
        return len;
    if (word) {
        *rc = emit_word(s, here, &w, o, b);
    } else if (space) {
        *rc = xlate_buf_putc(b, ' ');
    } else if (c == '\r') {
        if (i < len && s[i] == '\n')
            i++;
        *rc = xlate_buf_putc(b, '\n');
    }
    *copied = i;
    return i;
}

/* Steps from `from` (a visited position) through `trouble` until a plain step; returns where the
 * fast scan may go on. */
static size_t clean_slowly(const char *s, size_t len, size_t from, size_t trouble,
                           const xlate_normalize_options *o, xlate_buf *b, size_t *copied,
                           int *rc) {
    size_t i = from;
    while (i < len && *rc == 0) {
        size_t here = i;
        int plain = 0;
        i = clean_step(s, len, i, o, b, copied, &plain, rc);
        if (plain && here >= trouble)
            break;
    }
    return i;
}

/* How the fast scan sees a lead byte. */
enum { LEAD_OTHER = 0, LEAD_BOUNDARY, LEAD_LATIN, LEAD_CYRILLIC };

static const unsigned char *lead_classes(void) {
    static const unsigned char classes[256] = {
#define X4(v) v, v, v, v
#define X16(v) X4(v), X4(v), X4(v), X4(v)
        /* 0x00..0x3F: controls, space, digits, punctuation; CR, ' are looked at closely */
        X4(1), X4(1), X4(1), 1, 0 /* \r */, 1, 1, X16(1),
        1, 1, 1, 1, 1, 1, 1, 0 /* ' */, 1, 1, 1, 1, 1, 1, 1, 1, X16(1),
        /* 0x40..0x7F: letters and the punctuation between them; ` looked at closely */
        1, 2, 2, 2, X4(2), X4(2), X4(2), X4(2), X4(2), 2, 2, 2, 1, 1, 1, 1, 1,
        0 /* ` */, 2, 2, 2, X4(2), X4(2), X4(2), X4(2), X4(2), 2, 2, 2, 1, 1, 1, 1, 1,
        /* 0x80..0xCF: continuation bytes and leads decoded in full */
        X16(0), X16(0), X16(0), X16(0), X16(0),
        /* 0xD0, 0xD1: U+0400..U+047F, all letters */
        3, 3, X4(0), X4(0), X4(0), 0, 0,
        X16(0), X16(0),
#undef X16
#undef X4
    };
    return classes;
}

/* Bit 7 set for bytes C0..FF other than D0/D1: lead bytes of anything but U+0400..U+047F. */
static uint64_t non_cyrillic_leads(uint64_t w) {
    uint64_t high = w & (w << 1) & XLATE_TOP_BITS;
    return high ? high & xlate_nonzero_bytes((w ^ xlate_every_byte(0xD0)) & xlate_every_byte(0xFE)) : 0;
}

/* Where the fast scan stands: letters of each script in the current word, which starts at or
 * after `sync`. */
typedef struct scan_state {
    size_t sync;
    int latin, cyrillic;
} scan_state;

/* Bytes that stop skip_cyrillic_blocks: ASCII letters, CR, ' and `, and lead bytes other than
 * D0/D1. Continuation bytes pass: from a character start on, a run of passing bytes holds no
 * other lead byte, so they belong to letters of U+0400..U+047F. */
static const unsigned char *block_stoppers(void) {
    static const unsigned char stops[256] = {
#define X4(v) v, v, v, v
#define X16(v) X4(v), X4(v), X4(v), X4(v)
        X4(0), X4(0), X4(0), 0, 1 /* \r */, 0, 0, X16(0),
        0, 0, 0, 0, 0, 0, 0, 1 /* ' */, 0, 0, 0, 0, 0, 0, 0, 0, X16(0),
        0, 1, 1, 1, X4(1), X4(1), X4(1), X4(1), X4(1), 1, 1, 1, 0, 0, 0, 0, 0,
        1 /* ` */, 1, 1, 1, X4(1), X4(1), X4(1), X4(1), X4(1), 1, 1, 1, 0, 0, 0, 0, 0,
        X16(0), X16(0), X16(0), X16(0), /* continuation bytes */
        X16(1),                         /* C0..CF */
        0, 0, X4(1), X4(1), X4(1), 1, 1, /* D0, D1 pass */
        X16(1), X16(1),
#undef X16
#undef X4
    };
    return stops;
}

/* Passes blocks of eight bytes made of Cyrillic letters (U+0400..U+047F) and ASCII characters
 * that end words — no Latin letter, CR or apostrophe — while no Latin letter is pending: no word
 * in them can need an edit. Returns the position after them, a character start. */
static size_t skip_cyrillic_blocks(const unsigned char *u, size_t i, size_t len, scan_state *st) {
    const unsigned char *stops = block_stoppers();
    size_t from = i, last_ascii_block = 0;
    uint64_t last_ascii = 0; /* bit 7 of each ASCII byte of the last block that had any */
    while (i + 8 <= len) {
        const unsigned char *p = u + i;
        if (stops[p[0]] | stops[p[1]] | stops[p[2]] | stops[p[3]] | stops[p[4]] | stops[p[5]] |
            stops[p[6]] | stops[p[7]])
            break;
        uint64_t ascii = ~xlate_load_le64(p) & XLATE_TOP_BITS;
        if (ascii) {
            last_ascii = ascii;
            last_ascii_block = i;
        }
        i += 8;
    }
    if (i == from)
        return i;
    if (last_ascii) /* the current word starts after the last ASCII byte */
        st->sync = last_ascii_block + (size_t)(63 - __builtin_clzll(last_ascii)) / 8 + 1;
    st->cyrillic = st->sync < i;
    if (i < len && (u[i] & 0xC0) == 0x80)
        i--; /* back to the lead byte of a letter cut in two (sync is never past it) */
    return i;
}

/* A character outside any word, which the cleaning pass leaves as it is whatever the options. */
static int is_plain_boundary(UChar32 c) {
    return c >= 0 && c != '\r' && !is_word_char(c) && !is_apostrophe(c) &&
           !is_always_invisible(c) && !is_joiner(c) && !is_nbsp(c);
}

/* The cleaning pass. Most text needs no edit, so a fast scan runs ahead and hands over to the
 * step-by-step pass (clean_step) only where an edit is possible: at CR, an apostrophe, NBSP, an
 * invisible character, or a word that holds both Latin and Cyrillic letters. The hand-over
 * starts at the beginning of the current word, which is a position the step-by-step pass would
 * have visited too (`sync`: after a character that ends every word), so both give the same
 * text. Nothing is copied until the first edit: *edited stays 0 and `b` empty when none. */
static int clean_pass(const char *s, size_t len, const xlate_normalize_options *o, xlate_buf *b,
                      int *edited) {
    const unsigned char *u = (const unsigned char *)s, *lead = lead_classes();
    size_t i = 0, copied = 0;
    scan_state st = {0, 0, 0};
    int rc = 0;
    while (i < len && rc == 0) {
        if (!st.latin && i + 8 <= len) {
            size_t next = skip_cyrillic_blocks(u, i, len, &st);
            if (next != i) {
                i = next;
                continue;
            }
        }
        size_t here = i;
        int ends_word = 0;
        switch (lead[u[i]]) {
        case LEAD_LATIN:
            st.latin = 1;
            i++;
            continue;
        case LEAD_CYRILLIC:
            if (i + 1 < len && (u[i + 1] & 0xC0) == 0x80) {
                st.cyrillic = 1;
                i += 2;
                continue;
            }
            goto careful;
        case LEAD_BOUNDARY:
            ends_word = 1;
            i++;
            break;
        default:
        careful: {
            UChar32 c;
            U8_NEXT(s, i, len, c);
            if (is_plain_boundary(c)) {
                ends_word = 1;
            } else if (c >= 0 && is_word_char(c) && !is_apostrophe(c)) {
                script_class sc = is_mark(c) ? SCRIPT_OTHER : letter_script(c);
                st.latin |= sc == SCRIPT_LATIN;
                st.cyrillic |= sc == SCRIPT_CYRILLIC;
                continue;
            } else { /* CR, apostrophe, NBSP, invisible, ill-formed */
                i = clean_slowly(s, len, st.sync, here, o, b, &copied, &rc);
                st.sync = i;
                st.latin = st.cyrillic = 0;
                continue;
            }
        }
        }
        if (ends_word && st.latin && st.cyrillic)
            i = clean_slowly(s, len, st.sync, here, o, b, &copied, &rc);
        st.sync = i;
        st.latin = st.cyrillic = 0;
    }
    if (rc == 0 && st.latin && st.cyrillic) /* the last word, which no boundary ended */
        clean_slowly(s, len, st.sync, len, o, b, &copied, &rc);
    *edited = copied > 0;
    if (rc == 0 && *edited)
        rc = xlate_buf_append(b, s + copied, len - copied);
    return rc;
}

/* --- Unicode normalization form --------------------------------------------------------------- */

/* A code point is "settled" when it has a normalization boundary before it whatever precedes, and
 * quick check says YES for it alone: text made of settled characters is normalized as it stands,
 * and a stretch that is not can be normalized on its own from the settled character before it up
 * to the next one. ICU is asked once a call for each code point below SETTLED_LIMIT that the text
 * holds; the rest are never taken for settled. ASCII and U+0400..U+047F (the Cyrillic letters) are
 * settled under NFC and NFKC — test_normalize checks that with ICU — and are passed eight bytes at
 * a time without asking. */
enum { SETTLED_LIMIT = 0x3000, SETTLED_BLOCK = 256 };
enum { SETTLED_UNKNOWN = 0, SETTLED_YES = 1, SETTLED_NO = 2 };

typedef struct form_pass {
    const UNormalizer2 *n2;
    unsigned char block_ready[SETTLED_LIMIT / SETTLED_BLOCK];
    unsigned char settled[SETTLED_LIMIT]; /* SETTLED_*; valid where block_ready */
    UChar *a, *b;                         /* a stretch in UTF-16, then normalized */
    int32_t cap_a, cap_b;
    xlate_buf piece;                      /* the normalized stretch in UTF-8 */
} form_pass;

static int ask_icu_settled(const UNormalizer2 *n2, UChar32 c) {
    UErrorCode st = U_ZERO_ERROR;
    UChar u = (UChar)c;
    return unorm2_hasBoundaryBefore(n2, c) && unorm2_quickCheck(n2, &u, 1, &st) == UNORM_YES &&
           U_SUCCESS(st);
}

static int is_settled(form_pass *f, UChar32 c) {
    if (c < 0 || c >= SETTLED_LIMIT)
        return 0;
    size_t block = (size_t)c / SETTLED_BLOCK;
    if (!f->block_ready[block]) {
        memset(f->settled + block * SETTLED_BLOCK, SETTLED_UNKNOWN, SETTLED_BLOCK);
        f->block_ready[block] = 1;
    }
    if (f->settled[c] == SETTLED_UNKNOWN)
        f->settled[c] = ask_icu_settled(f->n2, c) ? SETTLED_YES : SETTLED_NO;
    return f->settled[c] == SETTLED_YES;
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

static int icu_failed(xlate_error *err, UErrorCode st) {
    xlate_error_set(err, XLATE_ERROR, "normalization failed in ICU: %s", u_errorName(st));
    return -1;
}

static int normalize_oom(xlate_error *err) {
    xlate_error_set(err, XLATE_ENOMEM, "out of memory while normalizing");
    return -1;
}

/* Normalizes the stretch s[0, n) through ICU into f->piece. *changed is 0 when it was already
 * normalized (f->piece then unused). */
static int normalize_stretch(form_pass *f, const char *s, size_t n, int *changed,
                             xlate_error *err) {
    *changed = 0;
    if (n > INT32_MAX / 2 || grow(&f->a, &f->cap_a, (int32_t)n + 1) != 0)
        return normalize_oom(err);
    UErrorCode st = U_ZERO_ERROR;
    int32_t n16 = 0;
    u_strFromUTF8(f->a, f->cap_a, &n16, s, (int32_t)n, &st);
    int32_t span = U_SUCCESS(st) ? unorm2_spanQuickCheckYes(f->n2, f->a, n16, &st) : 0;
    if (U_FAILURE(st))
        return icu_failed(err, st);
    if (span == n16)
        return 0;
    if (grow(&f->b, &f->cap_b, n16 + n16 / 2 + 16) != 0)
        return normalize_oom(err);
    int32_t m = unorm2_normalize(f->n2, f->a, n16, f->b, f->cap_b, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) {
        st = U_ZERO_ERROR;
        if (grow(&f->b, &f->cap_b, m + 1) != 0)
            return normalize_oom(err);
        m = unorm2_normalize(f->n2, f->a, n16, f->b, f->cap_b, &st);
    }
    if (U_FAILURE(st))
        return icu_failed(err, st);
    xlate_buf_reset(&f->piece);
    if (xlate_buf_reserve(&f->piece, (size_t)m * 3) != 0)
        return normalize_oom(err);
    int32_t n8 = 0;
    u_strToUTF8(f->piece.data, (int32_t)(f->piece.cap - 1), &n8, f->b, m, &st);
    if (U_FAILURE(st))
        return icu_failed(err, st);
    f->piece.len = (size_t)n8;
    *changed = (size_t)n8 != n || memcmp(f->piece.data, s, n) != 0;
    return 0;
}

/* Eight bytes that hold nothing but ASCII, continuation bytes and the lead bytes D0/D1: from a
 * character start on, such bytes are ASCII and U+0400..U+047F, all settled. */
static int eight_settled_bytes(const unsigned char *u) { return !non_cyrillic_leads(xlate_load_le64(u)); }

/* Start of the last character in u[0, end): at most three continuation bytes back. */
static size_t last_char_start(const unsigned char *u, size_t floor, size_t end) {
    size_t k = end - 1;
    while (k > floor && end - k < 4 && (u[k] & 0xC0) == 0x80)
        k--;
    return k;
}

/* Where the stretch that starts at `start`, with a character that is not settled just before
 * `after`, ends: right after its last unsettled character, once STRETCH_SETTLED_RUN bytes of
 * settled text follow (decomposed text, a mark on every letter, so goes to ICU in large
 * stretches rather than a call a letter), or the stretch has grown to STRETCH_MAX. Either way a
 * settled character, hence a boundary, follows the end. */
enum { STRETCH_SETTLED_RUN = 32, STRETCH_MAX = 1 << 16 };

static size_t stretch_end(form_pass *f, const char *s, size_t len, size_t start, size_t after) {
    size_t end = after, k = after;
    while (k < len && k - end < STRETCH_SETTLED_RUN && !(end - start >= STRETCH_MAX && k > end)) {
        UChar32 c;
        U8_NEXT(s, k, len, c);
        if (!is_settled(f, c))
            end = k;
    }
    return end;
}

/* The form pass over s[0, len): settled text passes untouched; each stretch that is not, from the
 * settled character before it to the next settled one, goes through ICU. Copies nothing until a
 * stretch changes (*edited stays 0 and `out` empty when none). */
static int form_pass_run(form_pass *f, const char *s, size_t len, xlate_buf *out, int *edited,
                         xlate_error *err) {
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, copied = 0;
    size_t start = 0; /* where a stretch may begin: a settled character, or the text's start */
    *edited = 0;
    while (i < len) {
        if (i + 8 <= len && eight_settled_bytes(u + i)) {
            i += 8;
            while (i + 8 <= len && eight_settled_bytes(u + i))
                i += 8;
            if (i < len && (u[i] & 0xC0) == 0x80)
                i--; /* back to the D0/D1 lead of a letter cut in two */
            start = last_char_start(u, 0, i);
            continue;
        }
        size_t here = i;
        UChar32 c;
        if (u[i] < 0x80) {
            start = i++;
            continue;
        }
        U8_NEXT(s, i, len, c);
        if (is_settled(f, c)) {
            start = here;
            continue;
        }
        size_t end = stretch_end(f, s, len, start, i);
        int changed;
        if (normalize_stretch(f, s + start, end - start, &changed, err) != 0)
            return -1;
        if (changed) {
            if (reserve_for_text(out, len) != 0 ||
                xlate_buf_append(out, s + copied, start - copied) != 0 ||
                xlate_buf_append(out, f->piece.data, f->piece.len) != 0)
                return normalize_oom(err);
            copied = end;
            *edited = 1;
        }
        i = start = end;
    }
    if (*edited && xlate_buf_append(out, s + copied, len - copied) != 0)
        return normalize_oom(err);
    return 0;
}

static int apply_form(xlate_norm_form form, const char *s, size_t len, xlate_buf *out,
                      int *edited, xlate_error *err) {
    UErrorCode st = U_ZERO_ERROR;
    form_pass f;
    f.n2 = form == XLATE_NORM_NFKC ? unorm2_getNFKCInstance(&st) : unorm2_getNFCInstance(&st);
    if (U_FAILURE(st)) {
        xlate_error_set(err, XLATE_ERROR, "ICU normalizer unavailable: %s", u_errorName(st));
        return -1;
    }
    memset(f.block_ready, 0, sizeof f.block_ready);
    f.a = f.b = NULL;
    f.cap_a = f.cap_b = 0;
    f.piece = (xlate_buf)XLATE_BUF_INIT;
    int rc = form_pass_run(&f, s, len, out, edited, err);
    free(f.a);
    free(f.b);
    xlate_buf_free(&f.piece);
    return rc;
}

/* --- the stage -------------------------------------------------------------------------------- */

/* Cleans and forms `text`. *result is the new text, or NULL when `text` needed no change at all. */
static int normalize_text(const char *text, size_t len, const xlate_normalize_options *o,
                          char **result, size_t *result_len, xlate_error *err) {
    xlate_buf cleaned = XLATE_BUF_INIT, formed = XLATE_BUF_INIT;
    int clean_edited = 0, form_edited = 0;
    *result = NULL;
    *result_len = len;
    if (clean_pass(text, len, o, &cleaned, &clean_edited) != 0) {
        xlate_buf_free(&cleaned);
        return normalize_oom(err);
    }
    const char *now = clean_edited ? cleaned.data : text;
    size_t now_len = clean_edited ? cleaned.len : len;
    if (o->form != XLATE_NORM_NONE &&
        apply_form(o->form, now, now_len, &formed, &form_edited, err) != 0) {
        xlate_buf_free(&cleaned);
        xlate_buf_free(&formed);
        return -1;
    }
    xlate_buf *kept = form_edited ? &formed : clean_edited ? &cleaned : NULL;
    if (kept)
        *result = xlate_buf_steal(kept, result_len);
    xlate_buf_free(&cleaned);
    xlate_buf_free(&formed);
    if (kept && !*result)
        return normalize_oom(err);
    return 0;
}

int xlate_normalize(const char *text, size_t len, const xlate_normalize_options *opts, char **out,
                    size_t *out_len, xlate_error *err) {
    static const xlate_normalize_options defaults = XLATE_NORMALIZE_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    if (!text)
        text = "";
    if (normalize_text(text, len, opts, out, out_len, err) != 0)
        return -1;
    if (*out)
        return 0;
    *out = malloc(len + 1);
    if (!*out)
        return normalize_oom(err);
    memcpy(*out, text, len);
    (*out)[len] = '\0';
    *out_len = len;
    return 0;
}

int xlate_normalize_owned(char *text, size_t len, const xlate_normalize_options *opts, char **out,
                          size_t *out_len, xlate_error *err) {
    static const xlate_normalize_options defaults = XLATE_NORMALIZE_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    if (!text)
        return xlate_normalize("", 0, opts, out, out_len, err);
    int rc = normalize_text(text, len, opts, out, out_len, err);
    if (rc == 0 && !*out) {
        *out = text;
        *out_len = len;
        text[len] = '\0';
        return 0;
    }
    free(text);
    return rc;
}
