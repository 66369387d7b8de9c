/* detect: BOMs, UTF-16/32 without BOM, UTF-8 with a few broken bytes, the Cyrillic code pages
 * that ICU's detector confuses (KOI8-U/KOI8-R, CP1125/IBM866, Mac Cyrillic/windows-1251),
 * sampling of large input, and the language scorer. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "detect.h"
#include "encode.h"

static const char uk_text[] =
    "Навесні в Ужгороді цвітуть сакури, і туристи їдуть сюди з усієї країни. Ґазди продають "
    "сир, мед і вино просто на вулицях, а в кав'ярнях пахне свіжою кавою. Є навіть екскурсії "
    "старим містом, де розповідають про замок і його господарів.\n";
static const char ru_text[] =
    "Весной в Ужгороде цветут сакуры, и туристы едут сюда со всей страны. Продавцы предлагают "
    "сыр, мёд и вино прямо на улицах, а в кофейнях пахнет свежим кофе. Есть даже экскурсии по "
    "старому городу, где рассказывают о замке и его хозяевах.\n";
static const char en_text[] =
    "In spring the cherry trees bloom in Uzhhorod, and visitors come from all over the country. "
    "Farmers sell cheese, honey and wine right in the streets, and the cafes smell of fresh "
    "coffee. There are even tours of the old town that tell the story of the castle.\n";

static void detect_as(const char *text, const char *encoding, const char *want_encoding,
                      const char *want_language) {
    char *bytes = NULL;
    size_t len = 0;
    xlate_error err = {0};
    CHECK_INT(xlate_encode(text, strlen(text), encoding, 0, NULL, &bytes, &len, &err), 0);
    xlate_detection d;
    CHECK_INT(xlate_detect(bytes, len, &d, &err), 0);
    CHECK_STR(d.encoding, want_encoding);
    CHECK_STR(d.language, want_language);
    CHECK(d.confidence > 0.5 && d.confidence <= 1.0);
    if (strcmp(d.encoding, want_encoding) != 0)
        fprintf(stderr, "  (text encoded as %s)\n", encoding);
    free(bytes);
}

static void test_code_pages(void) {
    detect_as(uk_text, "cp1251", "windows-1251", "uk");
    detect_as(uk_text, "koi8-u", "KOI8-U", "uk");
    detect_as(uk_text, "cp1125", "CP1125", "uk");
    detect_as(uk_text, "mac-cyrillic", "x-mac-cyrillic", "uk");
    detect_as(ru_text, "cp1251", "windows-1251", "ru");
    detect_as(ru_text, "koi8-r", "KOI8-R", "ru");
    detect_as(ru_text, "cp866", "IBM866", "ru");
    detect_as(ru_text, "iso-8859-5", "ISO-8859-5", "ru");
    detect_as(ru_text, "mac-cyrillic", "x-mac-cyrillic", "ru");
    detect_as(en_text, "utf-8", "UTF-8", "en");
    detect_as(uk_text, "utf-8", "UTF-8", "uk");
    detect_as(uk_text, "utf-16le", "UTF-16LE", "uk");
    detect_as(ru_text, "utf-16be", "UTF-16BE", "ru");
    detect_as(en_text, "utf-16le", "UTF-16LE", "en");
    detect_as(uk_text, "utf-32le", "UTF-32LE", "uk");
    detect_as(en_text, "utf-32be", "UTF-32BE", "en");
}

static void test_boms(void) {
    static const struct {
        const char *bytes;
        size_t len, bom;
        const char *encoding;
    } cases[] = {
        {"\xEF\xBB\xBFhi", 5, 3, "UTF-8"},
        {"\xFF\xFEh\0i\0", 6, 2, "UTF-16LE"},
        {"\xFE\xFF\0h\0i", 6, 2, "UTF-16BE"},
        {"\xFF\xFE\0\0h\0\0\0", 8, 4, "UTF-32LE"},
        {"\0\0\xFE\xFF\0\0\0h", 8, 4, "UTF-32BE"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xlate_detection d;
        CHECK_INT(xlate_detect(cases[i].bytes, cases[i].len, &d, NULL), 0);
        CHECK_STR(d.encoding, cases[i].encoding);
        CHECK_INT(d.bom_len, cases[i].bom);
        CHECK(d.confidence == 1.0);
    }
}

static void test_mostly_utf8_stays_utf8(void) {
    /* one broken byte in UTF-8 text: decode must report it, not guess a code page */
    const char s[] = "Привіт \xFF світ, як справи у Києві?";
    xlate_detection d;
    CHECK_INT(xlate_detect(s, sizeof s - 1, &d, NULL), 0);
    CHECK_STR(d.encoding, "UTF-8");
    CHECK(d.confidence < 1.0);
    CHECK_INT(xlate_detect("", 0, &d, NULL), 0);
    CHECK_STR(d.encoding, "UTF-8");
    CHECK_STR(d.language, "");
}

static void test_large_input_is_sampled(void) {
    /* 3 MB of KOI8-U: detection looks at slices and still gets it right */
    char *one = NULL;
    size_t one_len = 0;
    CHECK_INT(xlate_encode(uk_text, strlen(uk_text), "koi8-u", 0, NULL, &one, &one_len, NULL), 0);
    size_t reps = (3u << 20) / one_len + 1, len = reps * one_len;
    char *big = malloc(len);
    for (size_t i = 0; i < reps; i++)
        memcpy(big + i * one_len, one, one_len);
    xlate_detection d;
    CHECK_INT(xlate_detect(big, len, &d, NULL), 0);
    CHECK_STR(d.encoding, "KOI8-U");
    free(big);
    free(one);
}

static void test_scorer(void) {
    xlate_text_score s;
    xlate_score_text(uk_text, strlen(uk_text), &s);
    CHECK_STR(s.language, "uk");
    xlate_score_text(ru_text, strlen(ru_text), &s);
    CHECK_STR(s.language, "ru");
    xlate_score_text(en_text, strlen(en_text), &s);
    CHECK_STR(s.language, "en");
    CHECK_INT(s.junk, 0);
    xlate_score_text("ok", 2, &s);
    CHECK_STR(s.language, "");
    /* box drawing from a DOS code page read wrong is junk and costs */
    xlate_text_score clean, boxes;
    xlate_score_text("Київ і Львів", strlen("Київ і Львів"), &clean);
    xlate_score_text("Ки╖в ╕ Льв╕в", strlen("Ки╖в ╕ Льв╕в"), &boxes);
    CHECK_INT(boxes.junk, 3);
    CHECK(boxes.score < clean.score);
    /* broken case inside words (Mac Cyrillic read as windows-1251) costs too */
    xlate_text_score cased;
    xlate_score_text("моЯ земЛя", strlen("моЯ земЛя"), &cased);
    CHECK_INT(cased.case_breaks, 2);
}

/* The light check that mojibake repair asks first must say what the full scorer's counts say. */
static void test_odd_marks_agree_with_scorer(void) {
    static const char *const pieces[] = {
        "Київ", "і", "Є", "Ґ", "ё", "Ў", "ђ", "a", "Z", "iPhone", "єОселя", " ", ", ", "\n", "\t",
        "\x01", "\x7F", "«", "»", "„", "“", "”", "№", "§", "°", "±", "‚", "ƒ", "Ã", "é", "╖",
        "\xC2\x85", "\xEF\xBF\xBD", "—", "–", "…", "ʼ", "'", "Ω", "中", "1", "РЎС‚", "Ð¡Ñ"};
    enum { PIECES = sizeof pieces / sizeof pieces[0] };
    unsigned state = 3;
    char buf[256];
    for (int round = 0; round < 20000; round++) {
        size_t len = 0;
        int n = 1 + (int)((state = state * 1103515245u + 12345u) >> 16) % 8;
        for (int k = 0; k < n; k++) {
            state = state * 1103515245u + 12345u;
            const char *p = pieces[(state >> 16) % PIECES];
            size_t pl = strlen(p);
            memcpy(buf + len, p, pl);
            len += pl;
        }
        xlate_text_score sc;
        xlate_score_text(buf, len, &sc);
        int want = sc.junk || sc.rare || sc.foreign || sc.case_breaks;
        CHECK_INT(xlate_text_has_odd_marks(buf, len), want);
        if (xlate_text_has_odd_marks(buf, len) != want) {
            fprintf(stderr, "  text: \"%.*s\"\n", (int)len, buf);
            break;
        }
    }
    CHECK_INT(xlate_text_has_odd_marks(uk_text, strlen(uk_text)), 0);
    CHECK_INT(xlate_text_has_odd_marks("моЯ земЛя", strlen("моЯ земЛя")), 1);
}

/* Decoding's detection: the same encoding without the language; valid UTF-8 marked checked. */
static void test_detect_encoding_only(void) {
    xlate_detection full, bare;
    CHECK_INT(xlate_detect(uk_text, strlen(uk_text), &full, NULL), 0);
    CHECK_INT(xlate_detect_encoding(uk_text, strlen(uk_text), &bare, NULL), 0);
    CHECK_STR(full.encoding, "UTF-8");
    CHECK_STR(bare.encoding, "UTF-8");
    CHECK_STR(full.language, "uk");
    CHECK_STR(bare.language, "");
    CHECK_INT(bare.utf8_checked, 1);
    char *bytes = NULL;
    size_t len = 0;
    CHECK_INT(xlate_encode(uk_text, strlen(uk_text), "koi8-u", 0, NULL, &bytes, &len, NULL), 0);
    CHECK_INT(xlate_detect(bytes, len, &full, NULL), 0);
    CHECK_INT(xlate_detect_encoding(bytes, len, &bare, NULL), 0);
    CHECK_STR(bare.encoding, full.encoding);
    CHECK(bare.confidence == full.confidence);
    CHECK_STR(bare.language, "");
    CHECK_INT(bare.utf8_checked, 0);
    free(bytes);
    const char broken[] = "Київ, Львів, Одеса \xFF і Харків";
    CHECK_INT(xlate_detect_encoding(broken, sizeof broken - 1, &bare, NULL), 0);
    CHECK_STR(bare.encoding, "UTF-8");
    CHECK_INT(bare.utf8_checked, 0);
}

int main(void) {
    test_odd_marks_agree_with_scorer();
    test_detect_encoding_only();
    test_code_pages();
    test_boms();
    test_mostly_utf8_stays_utf8();
    test_large_input_is_sampled();
    test_scorer();
    return check_result("detect");
}
