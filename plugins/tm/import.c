/*
 * import: the step every reader of `xlate tm import` ends in — a unit made NFC (as the host makes
 * every segment, so that the plugin's keys meet the imported ones), its pair found or added, and
 * stored; units left out are counted by reason for the summary.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdio.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "tool.h"

void tool_import_skip(tool_import *im, const char *reason) {
    im->skipped++;
    for (size_t i = 0; i < im->n_reasons; i++)
        if (strcmp(im->reasons[i].reason, reason) == 0) {
            im->reasons[i].count++;
            return;
        }
    if (im->n_reasons < TOOL_MAX_REASONS) {
        im->reasons[im->n_reasons].reason = reason;
        im->reasons[im->n_reasons].count = 1;
        im->n_reasons++;
    }
}

int tool_lang_matches(const char *asked, const char *tag) {
    size_t n = strlen(asked);
    return strncasecmp(asked, tag, n) == 0 && (tag[n] == '\0' || tag[n] == '-' || tag[n] == '_');
}

/* Nonzero when `text` is valid UTF-8 made only of code points that are in NFC whatever stands
 * around them (Quick_Check yes, combining class 0, never the second of a composition): ASCII and
 * the rest of U+0000..U+02FF, Cyrillic without its combining marks (U+0483..U+0489), general
 * punctuation past the spaces U+2000/U+2001 (which NFC changes), currency signs, the numero sign.
 * Such text is its own NFC, and most of a memory is: the import skips ICU for it. */
static int plainly_nfc(const char *text, size_t len) {
    const unsigned char *u = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        uint32_t c = u[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF && i + 1 < len && (u[i + 1] & 0xC0) == 0x80) {
            c = ((c & 0x1F) << 6) | (u[i + 1] & 0x3F);
            i += 2;
        } else if ((c & 0xF0) == 0xE0 && i + 2 < len && (u[i + 1] & 0xC0) == 0x80 &&
                   (u[i + 2] & 0xC0) == 0x80) {
            c = ((c & 0x0F) << 12) | ((uint32_t)(u[i + 1] & 0x3F) << 6) | (u[i + 2] & 0x3F);
            if (c < 0x800)
                return 0;  /* overlong: not UTF-8, ICU says so */
            i += 3;
        } else
            return 0;
        if (!(c <= 0x2FF || (c >= 0x400 && c <= 0x482) || (c >= 0x48A && c <= 0x52F) ||
              (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205E) ||
              (c >= 0x20A0 && c <= 0x20C0) || c == 0x2116))
            return 0;
    }
    return 1;
}

/* `text` in NFC, malloc'd; NULL when it is not UTF-8 or memory ran out. */
char *tool_nfc(const char *text, size_t len, size_t *out_len) {
    if (plainly_nfc(text, len)) {
        char *out = malloc(len + 1);
        if (out) {
            memcpy(out, text, len);
            out[len] = '\0';
            *out_len = len;
        }
        return out;
    }
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&status);
    int32_t n16 = 0;
    u_strFromUTF8(NULL, 0, &n16, text, (int32_t)len, &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
        return NULL;
    status = U_ZERO_ERROR;
    UChar *u = malloc(((size_t)n16 + 1) * sizeof *u), *norm = NULL;
    char *out = NULL;
    if (!u)
        return NULL;
    u_strFromUTF8(u, n16 + 1, NULL, text, (int32_t)len, &status);
    if (U_SUCCESS(status) && unorm2_isNormalized(nfc, u, n16, &status) && U_SUCCESS(status)) {
        free(u);
        out = strndup(text, len);
        if (out)
            *out_len = len;
        return out;
    }
    status = U_ZERO_ERROR;
    int32_t nn = unorm2_normalize(nfc, u, n16, NULL, 0, &status);
    status = U_ZERO_ERROR;
    norm = malloc(((size_t)nn + 1) * sizeof *norm);
    if (norm) {
        unorm2_normalize(nfc, u, n16, norm, nn + 1, &status);
        int32_t n8 = 0;
        UErrorCode st8 = U_ZERO_ERROR;
        u_strToUTF8(NULL, 0, &n8, norm, nn, &st8);
        st8 = U_ZERO_ERROR;
        out = U_SUCCESS(status) ? malloc((size_t)n8 + 1) : NULL;
        if (out) {
            u_strToUTF8(out, n8 + 1, NULL, norm, nn, &st8);
            *out_len = (size_t)n8;
        }
    }
    free(u);
    free(norm);
    return out;
}

static int only_space(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return 0;
    return 1;
}

/* The pair's id, from the last unit's when the languages are the same (looked up, and added
 * when missing, otherwise). Returns 0 or -1. */
static int same_pair_as_last(tool_import *im, const char *src_lang, const char *tgt_lang,
                             long long *pair) {
    if (im->pair > 0 && strcmp(im->pair_src, src_lang) == 0 && strcmp(im->pair_tgt, tgt_lang) == 0) {
        *pair = im->pair;
        return 0;
    }
    if (xlate_tm_pair(im->store, src_lang, tgt_lang, 1, pair) != 0)
        return -1;
    if (strlen(src_lang) < sizeof im->pair_src && strlen(tgt_lang) < sizeof im->pair_tgt) {
        strcpy(im->pair_src, src_lang);
        strcpy(im->pair_tgt, tgt_lang);
        im->pair = *pair;
    }
    return 0;
}

int tool_import_unit(tool_import *im, const char *src_lang, const char *tgt_lang,
                     const char *source, size_t source_len, const char *target, size_t target_len) {
    if (only_space(source, source_len) || only_space(target, target_len)) {
        tool_import_skip(im, "empty source or target");
        return 0;
    }
    /* Most units are their own NFC: those are stored from the reader's buffer, not a copy. */
    size_t sl = source_len, tl = target_len;
    char *src_nfc = NULL, *tgt_nfc = NULL;
    const char *src = source, *tgt = target;
    if (!plainly_nfc(source, source_len))
        src = src_nfc = tool_nfc(source, source_len, &sl);
    if (!plainly_nfc(target, target_len))
        tgt = tgt_nfc = tool_nfc(target, target_len, &tl);
    long long pair;
    int rc = 0, put;
    if (!src || !tgt) {
        tool_import_skip(im, "not UTF-8");
    } else if (same_pair_as_last(im, src_lang, tgt_lang, &pair) != 0 ||
               (put = xlate_tm_put(im->store, pair, src, sl, tgt, tl, im->origin, im->now)) < 0) {
        snprintf(im->err, sizeof im->err, "%s: %s", im->path, xlate_tm_errmsg(im->store));
        rc = -1;
    } else if (put == XLATE_TM_ADDED) {
        im->added++;
    } else if (put == XLATE_TM_UPDATED) {
        im->updated++;
    } else {
        im->unchanged++;
    }
    free(src_nfc);
    free(tgt_nfc);
    return rc;
}
