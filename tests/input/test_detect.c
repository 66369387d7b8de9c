/* detect: BOMs, UTF-16/32 without BOM, UTF-8 with a few broken bytes, the Cyrillic code pages
 * that ICU's detector confuses (KOI8-U/KOI8-R, CP1125/IBM866, Mac Cyrillic/windows-1251),
 * sampling of large input, the language scorer, and the rule that tells binary data from text. */
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

/* --- text or binary ---------------------------------------------------------------------------- */

static int binary(const char *bytes, size_t len, const char *encoding, xlate_binary_check *c) {
    return xlate_detect_binary(bytes, len, encoding, c);
}

static void check_sign(const char *bytes, size_t len, const char *encoding, size_t offset,
                       const char *described) {
    xlate_binary_check c;
    char what[96];
    CHECK_INT(binary(bytes, len, encoding, &c), 1);
    CHECK_INT(c.binary, 1);
    CHECK_INT(c.offset, offset);
    xlate_binary_describe(&c, what, sizeof what);
    CHECK_STR(what, described);
}

static void check_text(const char *bytes, size_t len, const char *encoding, size_t text_len) {
    xlate_binary_check c;
    CHECK_INT(binary(bytes, len, encoding, &c), 0);
    CHECK_INT(c.text_len, text_len);
    if (c.binary)
        fprintf(stderr, "  (binary at offset %zu: 0x%02x)\n", c.offset, c.value);
}

/* Every byte value in every lane of a block is judged as the rule says, one character at a time:
 * below 0x20 and not BEL..CR nor ESC, or DEL, is binary (SUB too, when text follows it). */
static void test_binary_byte_values(void) {
    for (int value = 0; value < 256; value++) {
        int sign = (value < 0x20 && !(value >= 0x07 && value <= 0x0D) && value != 0x1B) ||
                   value == 0x7F;
        for (size_t at = 0; at < 33; at++) {
            char buf[34];
            xlate_binary_check c;
            memset(buf, 'x', sizeof buf);
            buf[at] = (char)value;
            CHECK_INT(binary(buf, sizeof buf, "cp1251", &c), sign);
            if (sign && c.offset != at)
                fprintf(stderr, "  byte 0x%02x at %zu found at %zu\n", value, at, c.offset);
            CHECK(!sign || c.offset == at);
        }
    }
}

/* The control characters text has, legacy code pages, and the signs of binary data. */
static void test_binary_bytes(void) {
    const char layout[] = "Tab\tline\nVT\vFF\fCR\r\nbell\a back\bspace \x1b[1mbold\x1b[0m\n";
    check_text(layout, sizeof layout - 1, NULL, sizeof layout - 1);
    check_text(uk_text, strlen(uk_text), NULL, strlen(uk_text));
    check_text("\xcf\xf0\xe8\xe2\xb3\xf2\r\n", 8, NULL, 8); /* cp1251 */
    check_text("", 0, NULL, 0);
    check_sign("abc\0def", 7, NULL, 3, "a NUL byte at offset 3");
    check_sign("abc\x01", 4, NULL, 3, "control character 0x01 at offset 3");
    check_sign("delete\x7f", 7, "cp1251", 6, "control character 0x7f at offset 6");
    check_sign("\x7f" "ELF\x02\x01\x01\0\0\0\0", 12, NULL, 0,
               "control character 0x7f at offset 0");
    check_sign("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, NULL, 6,
               "control character 0x1a at offset 6");
    /* SUB is the end-of-file mark of DOS and CP/M files, and text no more than that */
    check_text("old text\r\n\x1a", 11, NULL, 10);
    check_text("old text\x1a\x1a\x1a\x1a", 12, "koi8-u", 8);
    check_sign("old\x1atext\x1a", 9, NULL, 3, "control character 0x1a at offset 3");
    /* every position of a block of sixteen and of the tail after the last whole block */
    for (size_t at = 0; at < 41; at++) {
        char buf[41];
        memset(buf, 'x', sizeof buf);
        buf[at] = '\x03';
        xlate_binary_check c;
        CHECK_INT(binary(buf, sizeof buf, NULL, &c), 1);
        CHECK_INT(c.offset, at);
        CHECK_INT(c.value, 3);
    }
    /* bytes 0x80..0xFF hide nothing: only what lies below 0x20, and DEL, counts */
    char high[256 + 8];
    size_t n = 0;
    for (int b = 0x80; b <= 0xFF; b++)
        high[n++] = (char)b;
    memcpy(high + n, "\x80\xa0\x9f\x1f", 4);
    check_sign(high, n + 4, "cp1251", n + 3, "control character 0x1f at offset 131");
}

/* A sign far into a large file is found where it is: every byte is looked at. */
static void test_binary_sign_deep_inside(void) {
    size_t len = (4u << 20) + 5, one = strlen(uk_text);
    char *big = malloc(len);
    for (size_t i = 0; i < len; i += one)
        memcpy(big + i, uk_text, len - i < one ? len - i : one);
    check_text(big, len, NULL, len);
    big[len - 3] = '\0';
    check_sign(big, len, NULL, len - 3, "a NUL byte at offset 4194306");
    free(big);
}

/* UTF-16/32 text is full of zero bytes and is text: with or without a BOM, under auto or named. */
static void test_binary_and_utf16_32(void) {
    const char *encodings[] = {"utf-16le", "utf-16be", "utf-32le", "utf-32be"};
    for (size_t i = 0; i < 4; i++) {
        char *bytes = NULL;
        size_t len = 0;
        CHECK_INT(xlate_encode(uk_text, strlen(uk_text), encodings[i], 0, NULL, &bytes, &len,
                               NULL), 0);
        check_text(bytes, len, NULL, len);
        check_text(bytes, len, encodings[i], len);
        free(bytes);
    }
    check_text("\xff\xfeP\0r\0", 6, NULL, 6);
    check_text("\0\0\xfe\xff\0\0\0h", 8, NULL, 8);
    /* a control character is one whatever carries it */
    const char ctl16[] = "\0K\0y\0i\0v\0\x01\0.\0\n";
    check_sign(ctl16, sizeof ctl16 - 1, NULL, 0, "a NUL byte at offset 0"); /* no UTF-16 then */
    check_sign(ctl16, sizeof ctl16 - 1, "UTF-16BE", 8,
               "control character U+0001 (UTF-16) at offset 8");
    check_sign("\xff\xfe" "a\0\0\0b\0", 8, NULL, 4, "a NUL character (UTF-16) at offset 4");
    check_text("\0K\0y\0i\0v\0\x1a", 10, NULL, 8); /* the DOS end mark in UTF-16 */
    /* Chinese in UTF-16LE without a BOM: the zero-byte pattern of Latin and Cyrillic text is not
     * there, so only the named encoding makes it text */
    const char zh[] = "\x2d\x4e\x87\x65\x0a\x00\x2d\x4e\x87\x65\x0a\x00";
    check_sign(zh, sizeof zh - 1, NULL, 5, "a NUL byte at offset 5");
    check_text(zh, sizeof zh - 1, "utf-16le", sizeof zh - 1);
    check_text(zh, sizeof zh - 1, "UTF-16", sizeof zh - 1); /* the order is guessed */
    check_sign(zh, sizeof zh - 1, "cp1251", 5, "a NUL byte at offset 5");
}

static void test_byte_order(void) {
    size_t bom;
    CHECK_INT(xlate_detect_byte_order("\xff\xfeK\0", 4, 2, &bom), 1);
    CHECK_INT(bom, 2);
    CHECK_INT(xlate_detect_byte_order("\xfe\xff\0K", 4, 2, &bom), 0);
    CHECK_INT(bom, 2);
    CHECK_INT(xlate_detect_byte_order("\0\0\xfe\xff", 4, 4, &bom), 0);
    CHECK_INT(bom, 4);
    CHECK_INT(xlate_detect_byte_order("\x1a\x04\x38\x04", 4, 2, &bom), 1);
    CHECK_INT(bom, 0);
    CHECK_INT(xlate_detect_byte_order("\x04\x1a\x04\x38", 4, 2, &bom), 0);
}

int main(void) {
    test_binary_bytes();
    test_binary_byte_values();
    test_binary_sign_deep_inside();
    test_binary_and_utf16_32();
    test_byte_order();
    test_odd_marks_agree_with_scorer();
    test_detect_encoding_only();
    test_code_pages();
    test_boms();
    test_mostly_utf8_stays_utf8();
    test_large_input_is_sampled();
    test_scorer();
    return check_result("detect");
}
