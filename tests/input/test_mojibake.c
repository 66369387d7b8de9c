/* mojibake: UTF-8 read once or twice as windows-1251, KOI8-R, windows-1252 or Latin-1 comes back
 * exactly; clean Ukrainian, Russian and English text (every text the project ships) is never
 * touched; only the broken lines of a mixed text change; the code page tables the repair takes
 * from ICU are the ones decode takes from iconv. */
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>

#include "check.h"
#include "codepage.h"
#include "encode.h"
#include "decode.h"
#include "mojibake.h"

/* What a Windows program shows when it reads UTF-8 `text` as `code_page`: bytes the code page
 * lacks pass through as C1 controls. Built with decode (one byte at a time) to stay independent
 * of the module under test. */
static char *mangle(const char *text, const char *code_page) {
    size_t len = strlen(text);
    char *out = malloc(len * 4 + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        xlate_decode_options o = XLATE_DECODE_OPTIONS_INIT;
        o.encoding = code_page;
        xlate_decoded d;
        xlate_error err = {0};
        if (xlate_decode(text + i, 1, &o, "byte", &d, &err) == 0) {
            memcpy(out + n, d.text, d.len);
            n += d.len;
            xlate_decoded_free(&d);
        } else {
            unsigned char b = (unsigned char)text[i];
            out[n++] = (char)(0xC0 | b >> 6);
            out[n++] = (char)(0x80 | (b & 0x3F));
            xlate_error_clear(&err);
        }
    }
    out[n] = '\0';
    return out;
}

static void check_repairs(const char *original, const char *cp1, const char *cp2, int rounds) {
    char *once = mangle(original, cp1);
    char *broken = cp2 ? mangle(once, cp2) : once;
    xlate_mojibake_result r;
    CHECK_INT(xlate_mojibake_repair(broken, strlen(broken), &r), 0);
    CHECK_INT(r.rounds, rounds);
    CHECK_STR(r.text, original);
    if (r.rounds != rounds)
        fprintf(stderr, "  via %s %s: %s\n", cp1, cp2 ? cp2 : "", broken);
    free(r.text);
    if (broken != once)
        free(broken);
    free(once);
}

static void test_known_example(void) {
    const char *m = "РЎС‚РѕР»С‚РµРЅР±РµСЂРі";
    xlate_mojibake_result r;
    CHECK_INT(xlate_mojibake_repair(m, strlen(m), &r), 0);
    CHECK_INT(r.rounds, 1);
    CHECK_STR(r.text, "Столтенберг");
    CHECK_STR(r.via, "windows-1251");
    free(r.text);
}

static void test_all_code_pages_and_rounds(void) {
    const char *texts[] = {
        "Генеральний секретар НАТО Єнс Столтенберг заявив, що Україні потрібна ППО.",
        "Иван Иванович съел ещё шоколадку и вышел.",    /* И is D0 98: 0x98 is undefined in cp1251 */
        "Їжак ґелґотів біля ґанку",
        "Café crème brûlée, naïve résumé — “quoted”.",
    };
    const char *pages[] = {"windows-1251", "koi8-r", "windows-1252", "iso-8859-1"};
    for (size_t t = 0; t < 4; t++) {
        for (size_t p = 0; p < 4; p++)
            check_repairs(texts[t], pages[p], NULL, 1);
        check_repairs(texts[t], "windows-1251", "windows-1252", 2);
        check_repairs(texts[t], "windows-1251", "windows-1251", 2);
        check_repairs(texts[t], "windows-1252", "windows-1252", 2);
    }
}

static void test_only_broken_lines_change(void) {
    char *broken = mangle("Привіт, світе!", "windows-1251");
    char text[512], want[512];
    snprintf(text, sizeof text, "Чистий рядок: м'ясо, ґанок.\n%s\nClean café line.\n", broken);
    snprintf(want, sizeof want, "Чистий рядок: м'ясо, ґанок.\nПривіт, світе!\nClean café line.\n");
    xlate_mojibake_result r;
    CHECK_INT(xlate_mojibake_repair(text, strlen(text), &r), 0);
    CHECK_INT(r.rounds, 1);
    CHECK_STR(r.text, want);
    free(r.text);
    free(broken);
}

static void test_broken_line_in_long_text(void) {
    /* past 64 KB the code pages are loaded up front instead of on the first suspicious line */
    const char *clean = "Чистий рядок українського тексту, без жодних проблем.\n";
    char *broken = mangle("Столтенберг заявив про допомогу.", "windows-1251");
    size_t reps = 2000, n = strlen(clean);
    char *text = malloc(reps * n + strlen(broken) + 2), *want = malloc(reps * n + 64);
    for (size_t i = 0; i < reps; i++) {
        memcpy(text + i * n, clean, n);
        memcpy(want + i * n, clean, n);
    }
    strcpy(text + reps * n, broken);
    strcpy(want + reps * n, "Столтенберг заявив про допомогу.");
    xlate_mojibake_result r;
    CHECK_INT(xlate_mojibake_repair(text, strlen(text), &r), 0);
    CHECK_INT(r.rounds, 1);
    CHECK(r.text && strcmp(r.text, want) == 0);
    free(r.text);
    free(text);
    free(want);
    free(broken);
}

static void test_clean_text_is_never_touched(void) {
    const char *files[] = {"training/uk.txt", "training/ru.txt", "training/en.txt",
                           "texts/uk-long.txt", "texts/uk-short.txt", "texts/uk-tiny.txt",
                           "texts/ru-long.txt", "texts/ru-short.txt", "texts/ru-tiny.txt",
                           "texts/en-long.txt", "texts/en-short.txt", "texts/uk-oboz-sample.txt"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/encoding/%s", TEST_DATA_DIR, files[i]);
        char *text = check_read_file(path, NULL);
        CHECK(text != NULL);
        if (!text)
            continue;
        xlate_mojibake_result r;
        CHECK_INT(xlate_mojibake_repair(text, strlen(text), &r), 0);
        CHECK_INT(r.rounds, 0);
        CHECK(r.text == NULL);
        free(r.text);
        free(text);
    }
    /* short words and symbols that happen to look like mojibake material */
    const char *tricky[] = {"Ð", "Ã", "Р С", "£5 — ©2024 Ðoctor", "café", "ŞÜ", "Ñ", "Ñandú"};
    for (size_t i = 0; i < sizeof tricky / sizeof tricky[0]; i++) {
        xlate_mojibake_result r;
        CHECK_INT(xlate_mojibake_repair(tricky[i], strlen(tricky[i]), &r), 0);
        CHECK_INT(r.rounds, 0);
        free(r.text);
    }
}

/* Repair reads its four code pages from ICU's converters; they must be iconv's, but for the bytes
 * 80..9F that iconv leaves undefined and Windows passes through as C1 controls. */
static void test_icu_tables_are_iconvs(void) {
    static const char *const pages[][2] = {{"windows-1251", "CP1251"}, {"KOI8-R", "KOI8-R"},
                                           {"windows-1252", "CP1252"}, {"ISO-8859-1", "ISO-8859-1"}};
    for (size_t p = 0; p < 4; p++) {
        xlate_codepage cp;
        CHECK_INT(xlate_codepage_load(pages[p][1], &cp), 0);
        UErrorCode st = U_ZERO_ERROR;
        UConverter *cnv = ucnv_open(pages[p][0], &st);
        ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
        CHECK(U_SUCCESS(st));
        for (int b = 0x80; b < 0x100 && U_SUCCESS(st); b++) {
            char byte = (char)b;
            UChar u[2];
            UErrorCode one = U_ZERO_ERROR;
            ucnv_resetToUnicode(cnv);
            int32_t n = ucnv_toUChars(cnv, u, 2, &byte, 1, &one);
            uint32_t icu = U_SUCCESS(one) && n == 1 ? u[0] : XLATE_CP_UNDEFINED;
            uint32_t iconv = cp.to_ucs[b];
            if (iconv == XLATE_CP_UNDEFINED && b <= 0x9F)
                iconv = (uint32_t)b;
            if (icu == XLATE_CP_UNDEFINED && b <= 0x9F)
                icu = (uint32_t)b;
            CHECK_INT(icu, iconv);
            if (icu != iconv)
                fprintf(stderr, "  %s byte %02X\n", pages[p][0], (unsigned)b);
        }
        ucnv_close(cnv);
    }
}

int main(void) {
    test_icu_tables_are_iconvs();
    test_known_example();
    test_all_code_pages_and_rounds();
    test_only_broken_lines_change();
    test_broken_line_in_long_text();
    test_clean_text_is_never_touched();
    return check_result("mojibake");
}
