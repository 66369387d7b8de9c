/* normalize: NFC/NFKC/none, apostrophes inside Cyrillic words, invisible characters and NBSP,
 * line ends, Latin/Cyrillic look-alikes (checked against ICU's confusables data), long input,
 * the fast scans at every offset within their eight-byte blocks, ICU's word on the characters
 * they pass without asking, and normalizing in the caller's buffer. */
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/uspoof.h>

#include "check.h"
#include "normalize.h"

static char *norm(const char *s, const xlate_normalize_options *o) {
    char *out = NULL;
    size_t len = 0;
    xlate_error err = {0};
    if (xlate_normalize(s, strlen(s), o, &out, &len, &err) != 0) {
        fprintf(stderr, "normalize failed: %s\n", err.message);
        xlate_error_clear(&err);
        return NULL;
    }
    CHECK_INT(len, strlen(out));
    return out;
}

#define CHECK_NORM(in, want, opts)        \
    do {                                  \
        char *got__ = norm((in), (opts)); \
        CHECK_STR(got__, (want));         \
        free(got__);                      \
    } while (0)

static void test_clean_text_is_unchanged(void) {
    const char *texts[] = {
        "Генеральний секретар НАТО Єнс Столтенберг заявив, що Україні потрібна ППО.\n",
        "Весной в нашем городе открылся новый музей истории техники. Съешь ещё!\n",
        "The museum's new café opens on Friday; it's a 1920s carriage.\n\nSecond paragraph.\n",
        "",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        CHECK_NORM(texts[i], texts[i], NULL);
}

static void test_forms(void) {
    /* и + combining breve → й; і + combining diaeresis → ї */
    CHECK_NORM("\xD0\xB8\xCC\x86 \xD1\x96\xCC\x88", "й ї", NULL);
    xlate_normalize_options o = XLATE_NORMALIZE_OPTIONS_INIT;
    o.form = XLATE_NORM_NFKC;
    CHECK_NORM("\xEF\xAC\x81le \xE2\x91\xA0", "file 1", &o); /* ﬁ ligature, circled one */
    o.form = XLATE_NORM_NFC;
    CHECK_NORM("\xEF\xAC\x81le", "\xEF\xAC\x81le", &o);
    o.form = XLATE_NORM_NONE;
    CHECK_NORM("\xD0\xB8\xCC\x86", "\xD0\xB8\xCC\x86", &o);

    xlate_norm_form f;
    CHECK_INT(xlate_norm_form_parse("nfkc", &f), 0);
    CHECK_INT(f, XLATE_NORM_NFKC);
    CHECK_INT(xlate_norm_form_parse("none", &f), 0);
    CHECK_INT(f, XLATE_NORM_NONE);
    CHECK_INT(xlate_norm_form_parse("nfd", &f), -1);
}

static void test_apostrophes(void) {
    const char *variants[] = {"м'ясо", "м\xE2\x80\x99ясо", "м\xCA\xBCясо", "м`ясо", "м\xC2\xB4ясо"};
    xlate_normalize_options o = XLATE_NORMALIZE_OPTIONS_INIT;
    for (size_t i = 0; i < 5; i++)
        CHECK_NORM(variants[i], "м\xCA\xBCясо", &o);
    o.apostrophe = "\xE2\x80\x99";
    for (size_t i = 0; i < 5; i++)
        CHECK_NORM(variants[i], "м\xE2\x80\x99ясо", &o);
    o.apostrophe = NULL;
    for (size_t i = 0; i < 5; i++)
        CHECK_NORM(variants[i], variants[i], &o);
    /* English and quotes around words stay as written */
    CHECK_NORM("don't 'слово' сім'я", "don't 'слово' сім\xCA\xBCя", NULL);
    CHECK_NORM("п'ятниця, В'ячеслав, Мар’яна", "пʼятниця, Вʼячеслав, Марʼяна", NULL);
}

static void test_spaces_and_invisibles(void) {
    CHECK_NORM("10\xC2\xA0км, 5\xE2\x80\xAF%", "10 км, 5 %", NULL);
    CHECK_NORM("при\xC2\xADклад", "приклад", NULL);                   /* soft hyphen */
    CHECK_NORM("Ки\xE2\x80\x8Bїв \xE2\x80\x8B!", "Київ !", NULL);     /* zero-width space */
    CHECK_NORM("Ки\xE2\x80\x8Dїв", "Київ", NULL);                     /* ZWJ inside a word */
    CHECK_NORM("\xEF\xBB\xBFтекст", "текст", NULL);                   /* stray BOM */
    /* ZWJ joins emoji: kept */
    CHECK_NORM("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9", "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9", NULL);
    xlate_normalize_options o = XLATE_NORMALIZE_OPTIONS_INIT;
    o.fix_spaces = 0;
    CHECK_NORM("10\xC2\xA0км при\xC2\xADклад", "10\xC2\xA0км при\xC2\xADклад", &o);
}

static void test_line_ends(void) {
    CHECK_NORM("один\r\nдва\rтри\n\r\n", "один\nдва\nтри\n\n", NULL);
}

static void test_homoglyphs(void) {
    CHECK_NORM("Укрa\xD1\x97на", "Україна", NULL);       /* Latin a */
    CHECK_NORM("Хapків", "Харків", NULL);                /* Latin a and p */
    CHECK_NORM("\xD0\x9C" "icrosoft", "Microsoft", NULL); /* Cyrillic М in a Latin word */
    CHECK_NORM("NATO, iPhone, ППО, Kyiv", "NATO, iPhone, ППО, Kyiv", NULL);
    CHECK_NORM("Cтoлтенберг", "Столтенберг", NULL);
    /* command lines and formats mix scripts on purpose */
    CHECK_NORM("ls -aфайл, %CПроц, --color=xколір, БЛОКИx512",
               "ls -aфайл, %CПроц, --color=xколір, БЛОКИx512", NULL);
    xlate_normalize_options o = XLATE_NORMALIZE_OPTIONS_INIT;
    o.fix_homoglyphs = 0;
    CHECK_NORM("Хapків", "Хapків", &o);
}

/* Every pair the normalizer swaps must be confusable in ICU's data. */
static void test_homoglyph_pairs_are_confusable(void) {
    static const char *const pairs[][2] = {
        {"A", "А"}, {"B", "В"}, {"C", "С"}, {"E", "Е"}, {"H", "Н"}, {"I", "І"}, {"K", "К"},
        {"M", "М"}, {"O", "О"}, {"P", "Р"}, {"T", "Т"}, {"X", "Х"}, {"a", "а"}, {"c", "с"},
        {"e", "е"}, {"i", "і"}, {"o", "о"}, {"p", "р"}, {"x", "х"}, {"y", "у"}, {"Ï", "Ї"},
        {"ï", "ї"}, {"Ë", "Ё"}, {"ë", "ё"},
    };
    UErrorCode st = U_ZERO_ERROR;
    USpoofChecker *sc = uspoof_open(&st);
    CHECK(U_SUCCESS(st));
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0] && U_SUCCESS(st); i++) {
        char a[32], b[32];
        int32_t na = uspoof_getSkeletonUTF8(sc, 0, pairs[i][0], -1, a, sizeof a, &st);
        int32_t nb = uspoof_getSkeletonUTF8(sc, 0, pairs[i][1], -1, b, sizeof b, &st);
        CHECK(U_SUCCESS(st) && na == nb && memcmp(a, b, (size_t)na) == 0);
        if (!(na == nb && memcmp(a, b, (size_t)na) == 0))
            fprintf(stderr, "  not confusable: %s %s\n", pairs[i][0], pairs[i][1]);
        /* and the normalizer does swap it: Latin inside a Cyrillic word, Cyrillic inside Latin */
        char in[64], want[64];
        snprintf(in, sizeof in, "жж%sжж", pairs[i][0]);
        snprintf(want, sizeof want, "жж%sжж", pairs[i][1]);
        CHECK_NORM(in, want, NULL);
        snprintf(in, sizeof in, "ww%sww", pairs[i][1]);
        snprintf(want, sizeof want, "ww%sww", pairs[i][0]);
        CHECK_NORM(in, want, NULL);
    }
    uspoof_close(sc);
}

static void test_long_input(void) {
    /* 10 MB line of decomposed letters and no ASCII at all: one chunk, normalized whole */
    size_t reps = (10u << 20) / 4;
    char *s = malloc(reps * 4 + 1), *want = malloc(reps * 2 + 1);
    for (size_t i = 0; i < reps; i++) {
        memcpy(s + 4 * i, "\xD0\xB8\xCC\x86", 4);
        memcpy(want + 2 * i, "\xD0\xB9", 2);
    }
    s[reps * 4] = want[reps * 2] = '\0';
    char *got = norm(s, NULL);
    CHECK(got && strcmp(got, want) == 0);
    free(got);
    /* many chunks with spaces between them */
    for (size_t i = 0; i < reps; i++)
        memcpy(s + 4 * i, i % 2 ? "\xD0\xB8\xCC\x86" : "ab  ", 4);
    got = norm(s, NULL);
    CHECK(got && strlen(got) == reps / 2 * 4 + reps / 2 * 2);
    CHECK(got && strstr(got, "\xCC\x86") == NULL);
    free(got);
    free(s);
    free(want);
}

/* The form pass takes ASCII and U+0400..U+047F eight bytes at a time without asking ICU: each must
 * have a normalization boundary before it and be normalized on its own, under NFC and NFKC. */
static void test_fast_characters_are_settled(void) {
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *forms[] = {unorm2_getNFCInstance(&st), unorm2_getNFKCInstance(&st)};
    CHECK(U_SUCCESS(st));
    for (int f = 0; f < 2 && U_SUCCESS(st); f++) {
        for (UChar32 c = 0; c < 0x480; c = c == 0x7F ? 0x400 : c + 1) {
            UChar u = (UChar)c;
            int settled = unorm2_hasBoundaryBefore(forms[f], c) &&
                          unorm2_quickCheck(forms[f], &u, 1, &st) == UNORM_YES;
            CHECK(settled);
            if (!settled)
                fprintf(stderr, "  U+%04X not settled under %s\n", (unsigned)c, f ? "NFKC" : "NFC");
        }
    }
}

/* Every edit at every offset from the start of an eight-byte block, after Cyrillic (the blocks
 * the fast scans pass) or ASCII, and at the very end of the text. */
static void test_edits_at_every_offset(void) {
    static const char *const cases[][2] = {
        {"Хapків", "Харків"},
        {"Cтoлтенберг", "Столтенберг"},
        {"\xD0\x9C" "icrosoft", "Microsoft"},
        {"м'ясо", "м\xCA\xBCясо"},
        {"при\xC2\xADклад", "приклад"},
        {"и\xCC\x86", "й"},
        {"\xC3\xA9\xCC\x81", "\xC3\xA9\xCC\x81"},
        {"e\xCC\x81", "\xC3\xA9"},
        {"10\xC2\xA0км", "10 км"},
        {"один\r\nдва", "один\nдва"},
        {"Київ", "Київ"},
    };
    static const char *const fillers[] = {"ж", "w", " ", "ж ", "«"};
    static const char *const seps[] = {" ", "", "\n", ", "};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        for (size_t f = 0; f < sizeof fillers / sizeof fillers[0]; f++) {
            for (size_t sep = 0; sep < sizeof seps / sizeof seps[0]; sep++) {
                for (int n = 0; n < 20; n++) {
                    char in[256] = "", want[256] = "";
                    for (int k = 0; k < n; k++) {
                        strcat(in, fillers[f]);
                        strcat(want, fillers[f]);
                    }
                    /* glued to Cyrillic filler, a word that starts blocks earlier */
                    const char *glue = f == 0 && (c == 0 || c == 1 || c == 3) ? "" : " ";
                    strcat(in, glue);
                    strcat(want, glue);
                    strcat(in, cases[c][0]);
                    strcat(want, cases[c][1]);
                    strcat(in, seps[sep]);
                    strcat(want, seps[sep]);
                    char *got = norm(in, NULL);
                    CHECK_STR(got, want);
                    int failed = !got || strcmp(got, want) != 0;
                    free(got);
                    if (failed)
                        return;
                }
            }
        }
    }
}

static char *owned_copy(const char *s) {
    size_t n = strlen(s);
    char *p = malloc(n + 1);
    memcpy(p, s, n + 1);
    return p;
}

/* Text that needs nothing comes back as the very buffer given; text that does, changed, with the
 * buffer given freed (ASan). */
static void test_owned_buffer(void) {
    const char *clean = "Генеральний секретар НАТО Єнс Столтенберг заявив.\n";
    char *buf = owned_copy(clean), *out = NULL;
    size_t len = 0;
    xlate_error err = {0};
    CHECK_INT(xlate_normalize_owned(buf, strlen(clean), NULL, &out, &len, &err), 0);
    CHECK(out == buf);
    CHECK_STR(out, clean);
    CHECK_INT(len, strlen(clean));
    free(out);
    const char *dirty[][2] = {{"Хapків, м'ясо\r\n", "Харків, мʼясо\n"},
                              {"и\xCC\x86", "й"},
                              {"", ""}};
    for (size_t i = 0; i < 3; i++) {
        buf = owned_copy(dirty[i][0]);
        CHECK_INT(xlate_normalize_owned(buf, strlen(dirty[i][0]), NULL, &out, &len, &err), 0);
        CHECK_STR(out, dirty[i][1]);
        CHECK_INT(len, strlen(dirty[i][1]));
        free(out);
    }
}

int main(void) {
    test_fast_characters_are_settled();
    test_edits_at_every_offset();
    test_owned_buffer();
    test_clean_text_is_unchanged();
    test_forms();
    test_apostrophes();
    test_spaces_and_invisibles();
    test_line_ends();
    test_homoglyphs();
    test_homoglyph_pairs_are_confusable();
    test_long_input();
    return check_result("normalize");
}
