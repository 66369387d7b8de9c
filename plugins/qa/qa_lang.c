/*
 * qa_lang: the language conventions of the qa checks, from ICU (number symbols, the short date
 * pattern, quotation delimiters), and the length norms of the pairs measured on this repository's
 * parallel samples. See qa_lang.h.
 */
#include "qa_lang.h"

#include <string.h>

#include <unicode/udatpg.h>
#include <unicode/uloc.h>
#include <unicode/ulocdata.h>
#include <unicode/unum.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>

/* ICU locale ids use '_' where BCP 47 uses '-'. */
static void icu_locale(const char *tag, char *out, size_t outlen) {
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = uloc_forLanguageTag(tag, out, (int32_t)outlen, NULL, &err);
    if (U_FAILURE(err) || n <= 0 || (size_t)n >= outlen)
        out[0] = '\0';
}

static UChar32 first_char(const UChar *s, int32_t n) {
    UChar32 c = 0;
    int32_t i = 0;
    if (n > 0)
        U16_NEXT(s, i, n, c);
    return c;
}

static void read_number_symbols(qa_lang *l, const char *loc) {
    UErrorCode err = U_ZERO_ERROR;
    UNumberFormat *f = unum_open(UNUM_DECIMAL, NULL, 0, loc, NULL, &err);
    l->decimal = '.';
    l->group = ',';
    if (U_FAILURE(err))
        return;
    UChar buf[8];
    int32_t n = unum_getSymbol(f, UNUM_DECIMAL_SEPARATOR_SYMBOL, buf, 8, &err);
    if (U_SUCCESS(err) && n > 0)
        l->decimal = first_char(buf, n);
    err = U_ZERO_ERROR;
    n = unum_getSymbol(f, UNUM_GROUPING_SEPARATOR_SYMBOL, buf, 8, &err);
    if (U_SUCCESS(err) && n > 0)
        l->group = first_char(buf, n);
    unum_close(f);
}

/* The order of d, M and y in the locale's best pattern for a numeric date. */
static void read_date_order(qa_lang *l, const char *loc) {
    l->order = QA_DMY;
    UErrorCode err = U_ZERO_ERROR;
    UDateTimePatternGenerator *g = udatpg_open(loc, &err);
    if (U_FAILURE(err))
        return;
    static const UChar skeleton[] = {'y', 'M', 'M', 'd', 'd', 0};
    UChar pat[64];
    int32_t n = udatpg_getBestPattern(g, skeleton, -1, pat, 64, &err);
    udatpg_close(g);
    if (U_FAILURE(err) || n <= 0 || n >= 64)
        return;
    int d = -1, m = -1, y = -1;
    for (int32_t i = 0; i < n; i++) {
        if (pat[i] == 'd' && d < 0)
            d = i;
        else if (pat[i] == 'M' && m < 0)
            m = i;
        else if (pat[i] == 'y' && y < 0)
            y = i;
    }
    if (y >= 0 && y < m && y < d)
        l->order = QA_YMD;
    else if (m >= 0 && d >= 0 && m < d)
        l->order = QA_MDY;
}

static int writes_dense_script(const char *loc) {
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode codes[8];
    int32_t n = uscript_getCode(loc, codes, 8, &err);
    for (int32_t i = 0; U_SUCCESS(err) && i < n; i++)
        if (codes[i] == USCRIPT_HAN || codes[i] == USCRIPT_HANGUL || codes[i] == USCRIPT_HIRAGANA ||
            codes[i] == USCRIPT_KATAKANA || codes[i] == USCRIPT_YI)
            return 1;
    return 0;
}

static int has_quote_pair(const qa_lang *l, UChar32 open, UChar32 close) {
    for (int i = 0; i < l->n_quotes; i++)
        if (l->quote_open[i] == open && l->quote_close[i] == close)
            return 1;
    return 0;
}

static void add_quote_pair(qa_lang *l, UChar32 open, UChar32 close) {
    if (open && close && l->n_quotes < QA_MAX_QUOTE_PAIRS && !has_quote_pair(l, open, close)) {
        l->quote_open[l->n_quotes] = open;
        l->quote_close[l->n_quotes] = close;
        l->n_quotes++;
    }
}

static void read_quotes(qa_lang *l, const char *loc) {
    UErrorCode err = U_ZERO_ERROR;
    ULocaleData *d = ulocdata_open(loc, &err);
    if (U_SUCCESS(err)) {
        static const ULocaleDataDelimiterType kinds[][2] = {
            {ULOCDATA_QUOTATION_START, ULOCDATA_QUOTATION_END},
            {ULOCDATA_ALT_QUOTATION_START, ULOCDATA_ALT_QUOTATION_END}};
        for (size_t k = 0; k < 2; k++) {
            UChar a[4], b[4];
            err = U_ZERO_ERROR;
            int32_t na = ulocdata_getDelimiter(d, kinds[k][0], a, 4, &err);
            int32_t nb = ulocdata_getDelimiter(d, kinds[k][1], b, 4, &err);
            if (U_SUCCESS(err))
                add_quote_pair(l, first_char(a, na), first_char(b, nb));
        }
        ulocdata_close(d);
    }
    /* Text quotes other languages' styles too (an English name in Ukrainian text); a mark that
     * closes one pair and opens another is told apart by what is open (qa_scan). The single ‘’
     * is left to the language data: its ’ is far more often an apostrophe. */
    static const UChar32 common[][2] = {
        {0x00AB, 0x00BB}, {0x201E, 0x201C}, {0x201C, 0x201D}, {0x2039, 0x203A},
        {0x300C, 0x300D}, {0x300E, 0x300F}, {'"', '"'}};
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
        add_quote_pair(l, common[i][0], common[i][1]);
}

void qa_lang_init(qa_lang *l, const char *tag) {
    memset(l, 0, sizeof *l);
    char loc[96] = "";
    if (tag && *tag) {
        strncpy(l->tag, tag, sizeof l->tag - 1);
        icu_locale(tag, loc, sizeof loc);
        UErrorCode err = U_ZERO_ERROR;
        int32_t n = uloc_getLanguage(loc, l->language, (int32_t)sizeof l->language, &err);
        if (U_FAILURE(err) || n <= 0 || (size_t)n >= sizeof l->language)
            l->language[0] = '\0';
    }
    read_number_symbols(l, loc);
    read_date_order(l, loc);
    read_quotes(l, loc);
    l->dense = l->language[0] && writes_dense_script(l->language);
    l->greek = strcmp(l->language, "el") == 0;
    l->no_end_punct = strcmp(l->language, "th") == 0 || strcmp(l->language, "lo") == 0 ||
                      strcmp(l->language, "km") == 0;
}

/* Target characters per source character (whitespace not counted), measured on the parallel texts
 * of samples/oboz: the English and Ukrainian article (16 paragraphs, 1.05 over the whole, 0.83 to
 * 1.29 a paragraph) and its Spanish reference translation of the English (1.09). The reverse
 * direction is the inverse. */
static const struct {
    const char *from, *to;
    double ratio;
} norms[] = {
    {"uk", "en", 1.05},
    {"en", "es", 1.09},
};

double qa_lang_length_norm(const qa_lang *src, const qa_lang *tgt, int *known) {
    for (size_t i = 0; i < sizeof norms / sizeof norms[0]; i++) {
        if (strcmp(src->language, norms[i].from) == 0 && strcmp(tgt->language, norms[i].to) == 0) {
            *known = 1;
            return norms[i].ratio;
        }
        if (strcmp(src->language, norms[i].to) == 0 && strcmp(tgt->language, norms[i].from) == 0) {
            *known = 1;
            return 1.0 / norms[i].ratio;
        }
    }
    if (src->dense != tgt->dense) {
        *known = -1;
        return 0;
    }
    *known = strcmp(src->language, tgt->language) == 0 && src->language[0];
    return 1.0;
}
