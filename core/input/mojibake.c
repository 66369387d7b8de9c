/*
 * mojibake: part of the decode stage, run on decode's UTF-8 under --encoding auto. Finds lines
 * that are UTF-8 which somebody decoded as windows-1251, KOI8-R, windows-1252 or Latin-1 (once or
 * twice) and undoes it: each character goes back to the byte that code page gave it (tables from
 * ICU's converters), and the bytes must form valid UTF-8 that reads better (detect's language
 * scorer) than the line did.
 * Clean Cyrillic or Latin text fails the first test within a character or two, so it is never
 * touched and costs next to nothing.
 */
#include "mojibake.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/utf8.h>

#include "buf.h"
#include "codepage.h"
#include "detect.h"

/* A repair must make the line cheaper by this many bits in the language scorer, in total (a
 * long line may hold only one broken word), and no worse a character. */
#define MIN_GAIN_BITS 12.0

/* Character → byte for the upper half of one code page, sorted by character; the characters
 * below DIRECT_LIMIT (Latin-1, Cyrillic: nearly every character a check meets) also by index. */
enum { DIRECT_LIMIT = 0x480 };

typedef struct reverse_map {
    char name[32];
    uint32_t chars[128];
    unsigned char bytes[128];
    int n;
    unsigned char direct[DIRECT_LIMIT]; /* the byte, 0 where none (bytes here are >= 0x80) */
} reverse_map;

static const char *const mangling_code_pages[] = {"windows-1251", "koi8-r", "windows-1252",
                                                   "iso-8859-1"};
enum { MAPS = sizeof mangling_code_pages / sizeof mangling_code_pages[0] };

/* The character of each upper-half byte, from ICU's converter. ICU keeps converter data loaded
 * between documents, while iconv loads and unloads a shared object for every call, which cost
 * more than everything else the repair check does on a short document. ICU's tables for these
 * four code pages are iconv's (test_mojibake checks it) except at bytes 80..9F that iconv leaves
 * undefined, where ICU gives the C1 control of the byte's value — what Windows decoders do, and
 * what the maps make of such bytes anyway. Returns 0, or -1 when ICU lacks the code page. */
static int upper_half_from_icu(const char *name, uint32_t chars[128]) {
    UErrorCode st = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(name, &st);
    if (U_FAILURE(st))
        return -1;
    ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
    char bytes[128];
    for (int b = 0; b < 128; b++)
        bytes[b] = (char)(0x80 + b);
    /* all 128 at once when each byte is one BMP character; else byte by byte */
    UChar out[256];
    UErrorCode all = U_ZERO_ERROR;
    int32_t n = U_SUCCESS(st) ? ucnv_toUChars(cnv, out, 256, bytes, 128, &all) : 0;
    int whole = U_SUCCESS(all) && n == 128;
    for (int b = 0; b < 128 && U_SUCCESS(st); b++) {
        if (whole) {
            chars[b] = out[b];
            continue;
        }
        UErrorCode one = U_ZERO_ERROR;
        ucnv_resetToUnicode(cnv);
        n = ucnv_toUChars(cnv, out, 2, bytes + b, 1, &one);
        chars[b] = U_SUCCESS(one) && n == 1 ? out[0] : XLATE_CP_UNDEFINED;
    }
    ucnv_close(cnv);
    return U_SUCCESS(st) ? 0 : -1;
}

static int search_byte(const reverse_map *r, UChar32 c) {
    int lo = 0, hi = r->n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (r->chars[mid] == (uint32_t)c)
            return r->bytes[mid];
        if (r->chars[mid] < (uint32_t)c)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* Windows decoders pass bytes a code page leaves undefined through as C1 controls (U+0080 +
 * byte), so those come back too. */
static int load_reverse_map(const char *name, reverse_map *r) {
    xlate_encoding_name en;
    uint32_t upper[128];
    if (xlate_encoding_resolve(name, &en, NULL) != 0 ||
        upper_half_from_icu(en.canonical, upper) != 0)
        return -1;
    snprintf(r->name, sizeof r->name, "%s", en.canonical);
    r->n = 0;
    for (int b = 0x80; b < 0x100; b++) {
        uint32_t c = upper[b - 0x80];
        if (c == XLATE_CP_UNDEFINED && b <= 0x9F)
            c = (uint32_t)b;
        if (c == XLATE_CP_UNDEFINED)
            continue;
        int i = r->n++;
        while (i > 0 && r->chars[i - 1] > c) {
            r->chars[i] = r->chars[i - 1];
            r->bytes[i] = r->bytes[i - 1];
            i--;
        }
        r->chars[i] = c;
        r->bytes[i] = (unsigned char)b;
    }
    memset(r->direct, 0, sizeof r->direct);
    for (int i = 0; i < r->n; i++) /* what the search answers, whatever it does with duplicates */
        if (r->chars[i] < DIRECT_LIMIT)
            r->direct[r->chars[i]] = (unsigned char)search_byte(r, (UChar32)r->chars[i]);
    return 0;
}

static int byte_for(const reverse_map *r, UChar32 c) {
    if (c < 0x80)
        return c;
    if (c < DIRECT_LIMIT)
        return r->direct[c] ? r->direct[c] : -1;
    return search_byte(r, c);
}

/* Checks that every character has a byte and that the bytes are well-formed UTF-8 with at least
 * one multi-byte sequence, without writing anything: clean text fails within a character or two.
 * ASCII maps to itself, so only the part from the first non-ASCII byte is looked at. */
static int reversal_is_utf8(const char *s, size_t len, size_t ascii_prefix,
                            const reverse_map *r) {
    size_t i = ascii_prefix;
    int pending = 0, multibyte = 0;
    while (i < len) {
        UChar32 c;
        U8_NEXT(s, i, len, c);
        int b = c < 0 ? -1 : byte_for(r, c);
        if (b < 0)
            return 0;
        if (pending > 0) {
            if ((b & 0xC0) != 0x80)
                return 0;
            pending--;
        } else if (b >= 0x80) {
            if (b >= 0xC2 && b <= 0xDF)
                pending = 1;
            else if (b >= 0xE0 && b <= 0xEF)
                pending = 2;
            else if (b >= 0xF0 && b <= 0xF4)
                pending = 3;
            else
                return 0;
            multibyte = 1;
        }
    }
    return !pending && multibyte;
}

/* Turns each character back into its byte, when reversal_is_utf8 allows it; the result must
 * also pass ICU's stricter UTF-8 check (no overlong forms or surrogates). */
static int unmangle(const char *s, size_t len, size_t ascii_prefix, const reverse_map *r,
                    xlate_buf *out) {
    if (!reversal_is_utf8(s, len, ascii_prefix, r))
        return -1;
    xlate_buf_reset(out);
    if (xlate_buf_reserve(out, len) != 0)
        return -1;
    for (size_t i = 0; i < len;) {
        UChar32 c;
        U8_NEXT(s, i, len, c);
        out->data[out->len++] = (char)byte_for(r, c);
    }
    out->data[out->len] = '\0';
    for (size_t k = 0; k < out->len;) {
        UChar32 c;
        U8_NEXT(out->data, k, out->len, c);
        if (c < 0)
            return -1;
    }
    return 0;
}

static size_t ascii_prefix_of(const char *s, size_t len) {
    size_t i = 0;
    while (i < len && (unsigned char)s[i] < 0x80)
        i++;
    return i;
}

static int has_non_ascii(const char *s, size_t len) { return ascii_prefix_of(s, len) < len; }

typedef struct line_repair {
    xlate_buf current, once, twice, best;
    const char *line;
    size_t line_len;
    int original_scored; /* scoring is the costly part: only done once a reversal succeeds */
    xlate_text_score original, best_score;
    int rounds;
    const char *via;
} line_repair;

/* Keeps `trial` when it reads clearly better than the line as it came and better than anything
 * kept so far (fewer rounds win a tie). */
static void consider(line_repair *lr, const xlate_buf *trial, int rounds, const char *via) {
    if (!lr->original_scored) {
        xlate_score_text(lr->line, lr->line_len, &lr->original);
        lr->original_scored = 1;
    }
    xlate_text_score sc;
    xlate_score_text(trial->data, trial->len, &sc);
    double before = -lr->original.score * (double)lr->original.chars;
    double after = -sc.score * (double)sc.chars;
    if (after > before - MIN_GAIN_BITS || sc.score < lr->original.score ||
        sc.junk > lr->original.junk)
        return;
    if (lr->rounds && sc.score <= lr->best_score.score)
        return;
    xlate_buf_reset(&lr->best);
    if (xlate_buf_append(&lr->best, trial->data, trial->len) != 0)
        return;
    lr->best_score = sc;
    lr->rounds = rounds;
    lr->via = via;
}

/* Tries every code page, and every pair of them for text mangled twice; the intermediate text
 * of a double mangling reads no better than the final one, so both rounds are judged together. */
static void try_reversals(const char *s, size_t len, const reverse_map *maps, line_repair *lr) {
    size_t prefix = ascii_prefix_of(s, len);
    for (int m1 = 0; m1 < MAPS; m1++) {
        if (unmangle(s, len, prefix, &maps[m1], &lr->once) != 0)
            continue;
        size_t once_prefix = ascii_prefix_of(lr->once.data, lr->once.len);
        for (int m2 = 0; m2 < MAPS; m2++)
            if (unmangle(lr->once.data, lr->once.len, once_prefix, &maps[m2], &lr->twice) == 0)
                consider(lr, &lr->twice, 2, maps[m1].name);
        consider(lr, &lr->once, 1, maps[m1].name);
    }
}

static int repair_line(const char *s, size_t len, const reverse_map *maps, line_repair *lr) {
    lr->rounds = 0;
    if (!has_non_ascii(s, len))
        return 0;
    lr->line = s;
    lr->line_len = len;
    lr->original_scored = 0;
    try_reversals(s, len, maps, lr);
    if (lr->rounds) {
        xlate_buf swap = lr->current;
        lr->current = lr->best;
        lr->best = swap;
    }
    return 0;
}

/* Could the line be mojibake at all? Every kind leaves a mark the scorer counts: a rare symbol
 * (‚ ¤ ©), a foreign letter (Ã Ð Ў), box drawing, or a capital inside a word (РЎС). */
static int line_looks_broken(const char *s, size_t len) {
    return xlate_text_has_odd_marks(s, len);
}

/* Builds the reverse maps (four ICU converters opened). Short documents only do it once a line
 * looks broken; long ones do it at once, because checking every line would cost more. */
static int load_maps(reverse_map *maps) {
    for (int m = 0; m < MAPS; m++)
        if (load_reverse_map(mangling_code_pages[m], &maps[m]) != 0)
            return -1;
    return 0;
}

enum { EAGER_MAPS_BYTES = 1 << 16 };

int xlate_mojibake_repair(const char *utf8, size_t len, xlate_mojibake_result *result) {
    memset(result, 0, sizeof *result);
    if (!has_non_ascii(utf8, len))
        return 0;
    reverse_map maps[MAPS];
    int have_maps = 0;
    if (len >= EAGER_MAPS_BYTES) {
        if (load_maps(maps) != 0)
            return -1;
        have_maps = 1;
    }

    line_repair lr;
    memset(&lr, 0, sizeof lr);
    xlate_buf out = XLATE_BUF_INIT;
    size_t done = 0; /* utf8[0, done) is in `out` or needs no change */
    int status = 0;
    for (size_t start = 0; start < len && status == 0;) {
        const char *nl = memchr(utf8 + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - utf8) : len;
        lr.rounds = 0;
        if (!have_maps && has_non_ascii(utf8 + start, end - start) &&
            line_looks_broken(utf8 + start, end - start)) {
            if (load_maps(maps) != 0) {
                status = -1;
                break;
            }
            have_maps = 1;
        }
        if (have_maps && repair_line(utf8 + start, end - start, maps, &lr) != 0) {
            status = -1;
            break;
        }
        if (lr.rounds > 0) {
            if (xlate_buf_append(&out, utf8 + done, start - done) != 0 ||
                xlate_buf_append(&out, lr.current.data, lr.current.len) != 0)
                status = -1;
            done = end;
            if (lr.rounds > result->rounds)
                result->rounds = lr.rounds;
            snprintf(result->via, sizeof result->via, "%s", lr.via);
        }
        start = nl ? end + 1 : len;
    }
    if (status == 0 && result->rounds > 0) {
        if (xlate_buf_append(&out, utf8 + done, len - done) != 0)
            status = -1;
        else
            result->text = xlate_buf_steal(&out, &result->len);
        if (!result->text)
            status = -1;
    }
    if (status != 0)
        result->rounds = 0;
    xlate_buf_free(&out);
    xlate_buf_free(&lr.current);
    xlate_buf_free(&lr.once);
    xlate_buf_free(&lr.twice);
    xlate_buf_free(&lr.best);
    return status;
}
