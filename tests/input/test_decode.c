/* decode: binary data refused, UTF-8 validation and BOM strip, explicit encodings through tables
 * and iconv, the three answers to invalid bytes and their message, empty and very long input,
 * auto detection, and decoding in the caller's own buffer. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "decode.h"

static int decode_with(const char *bytes, size_t len, const char *encoding, xlate_on_invalid mode,
                       xlate_decoded *d, xlate_error *err) {
    xlate_decode_options o = XLATE_DECODE_OPTIONS_INIT;
    o.encoding = encoding;
    o.on_invalid = mode;
    return xlate_decode(bytes, len, &o, "news.txt", d, err);
}

static void test_valid_utf8_passes_unchanged(void) {
    const char *s = "Столтенберг: \"Україні потрібна ППО\" - NATO.\n";
    xlate_decoded d;
    xlate_error err = {0};
    CHECK_INT(decode_with(s, strlen(s), NULL, XLATE_INVALID_ERROR, &d, &err), 0);
    CHECK_STR(d.text, s);
    CHECK_INT(d.len, strlen(s));
    CHECK_STR(d.encoding, "UTF-8");
    CHECK(d.confidence == 1.0);
    CHECK_INT(d.had_bom, 0);
    xlate_decoded_free(&d);
    CHECK_INT(decode_with(s, strlen(s), "utf-8", XLATE_INVALID_ERROR, &d, &err), 0);
    CHECK_STR(d.text, s);
    xlate_decoded_free(&d);
}

static void test_bom_is_stripped(void) {
    const char s[] = "\xEF\xBB\xBFКиїв";
    xlate_decoded d;
    xlate_error err = {0};
    CHECK_INT(decode_with(s, sizeof s - 1, NULL, XLATE_INVALID_ERROR, &d, &err), 0);
    CHECK_STR(d.text, "Київ");
    CHECK_INT(d.had_bom, 1);
    xlate_decoded_free(&d);
    CHECK_INT(decode_with(s, sizeof s - 1, "UTF-8", XLATE_INVALID_ERROR, &d, &err), 0);
    CHECK_STR(d.text, "Київ");
    xlate_decoded_free(&d);
    /* UTF-16 with a BOM, named without byte order: the BOM decides it */
    const char le[] = "\xFF\xFE\x1A\x04\x38\x04\x57\x04\x32\x04";
    CHECK_INT(decode_with(le, sizeof le - 1, "utf-16", XLATE_INVALID_ERROR, &d, &err), 0);
    CHECK_STR(d.text, "Київ");
    CHECK_STR(d.encoding, "UTF-16LE");
    xlate_decoded_free(&d);
    /* named byte order and a BOM anyway: still no U+FEFF in the text */
    const char be[] = "\xFE\xFF\x04\x1A\x04\x38\x04\x57\x04\x32";
    CHECK_INT(decode_with(be, sizeof be - 1, "UTF-16BE", XLATE_INVALID_ERROR, &d, &err), 0);
    CHECK_STR(d.text, "Київ");
    CHECK_INT(d.had_bom, 1);
    xlate_decoded_free(&d);
}

static void test_invalid_utf8_error_names_file_offset_and_bytes(void) {
    /* "Привіт " is 13 bytes; the stray 0xFF is byte 13, on line 2 */
    const char s[] = "При\nвіт \xFF світ, Київ і Харків";
    xlate_decoded d;
    xlate_error err = {0};
    CHECK_INT(decode_with(s, sizeof s - 1, NULL, XLATE_INVALID_ERROR, &d, &err), -1);
    CHECK_INT(err.status, XLATE_ERROR);
    CHECK(err.message && strstr(err.message, "news.txt") != NULL);
    CHECK(err.message && strstr(err.message, "byte offset 14") != NULL);
    CHECK(err.message && strstr(err.message, "line 2") != NULL);
    CHECK(err.message && strstr(err.message, "[ff]") != NULL);
    CHECK(err.message && strstr(err.message, "--encoding") != NULL);
    CHECK(err.message && strstr(err.message, "--on-invalid=replace") != NULL);
    xlate_error_clear(&err);
    /* the same with the encoding named */
    CHECK_INT(decode_with(s, sizeof s - 1, "utf-8", XLATE_INVALID_ERROR, &d, &err), -1);
    CHECK(err.message && strstr(err.message, "byte offset 14") != NULL);
    xlate_error_clear(&err);
}

static void test_invalid_utf8_replace_and_skip(void) {
    const char s[] = "ab\xFF" "cd\xE2\x82" "ef\xD0";
    xlate_decoded d;
    xlate_error err = {0};
    CHECK_INT(decode_with(s, sizeof s - 1, "utf-8", XLATE_INVALID_REPLACE, &d, &err), 0);
    CHECK_STR(d.text, "ab\xEF\xBF\xBD" "cd\xEF\xBF\xBD" "ef\xEF\xBF\xBD");
    CHECK_INT(d.invalid, 3);
    xlate_decoded_free(&d);
    CHECK_INT(decode_with(s, sizeof s - 1, "utf-8", XLATE_INVALID_SKIP, &d, &err), 0);
    CHECK_STR(d.text, "abcdef");
    CHECK_INT(d.invalid, 3);
    xlate_decoded_free(&d);
    /* surrogates and overlong forms are not UTF-8 either */
    const char bad[] = "\xED\xA0\x80 \xC0\xAF";
    CHECK_INT(decode_with(bad, sizeof bad - 1, "utf-8", XLATE_INVALID_ERROR, &d, &err), -1);
    CHECK(err.message && strstr(err.message, "byte offset 0") != NULL);
    xlate_error_clear(&err);
}

static void test_explicit_legacy_encodings(void) {
    static const struct {
        const char *name, *bytes, *text, *canonical;
        size_t len; /* 0: strlen(bytes) */
    } cases[] = {
        {"cp1251", "\xCA\xE8\xBF\xE2 \xB3 \xA5\xE0\xED\xEE\xEA", "Київ і Ґанок", "windows-1251", 0},
        {"windows-1251", "\xCF\xF0\xE8\xE2\xB3\xF2", "Привіт", "windows-1251", 0},
        {"koi8-u", "\xEB\xC9\xA7\xD7 \xA6 \xBD\xC1\xCE\xCF\xCB", "Київ і Ґанок", "KOI8-U", 0},
        {"koi8-r", "\xF0\xD2\xC9\xD7\xC5\xD4", "Привет", "KOI8-R", 0},
        {"cp1125", "\x8A\xA8\xF9\xA2 \xF7", "Київ і", "CP1125", 0},
        {"cp866", "\x8F\xE0\xA8\xA2\xA5\xE2", "Привет", "IBM866", 0},
        {"iso-8859-5", "\xBA\xD8\xF7\xD2", "Київ", "ISO-8859-5", 0},
        {"mac-cyrillic", "\x8A\xE8\xBB\xE2", "Київ", "x-mac-cyrillic", 0},
        {"mac-ukrainian", "\xA2\xE0\xED\xEE\xEA", "Ґанок", "x-mac-ukrainian", 0},
        {"latin1", "caf\xE9", "café", "ISO-8859-1", 0},
        {"UTF-16LE", "\x1A\x04\x38\x04\x57\x04\x32\x04", "Київ", "UTF-16LE", 8},
        {"UTF-32BE", "\x00\x00\x04\x1A\x00\x00\x04\x38", "Ки", "UTF-32BE", 8},
        /* 7-bit and stateful: its escapes must reach iconv, not a byte table */
        {"iso-2022-jp", "\x1B$BF|K\\8l\x1B(B", "日本語", "ISO-2022-JP", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xlate_decoded d;
        xlate_error err = {0};
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].bytes);
        CHECK_INT(decode_with(cases[i].bytes, len, cases[i].name, XLATE_INVALID_ERROR, &d, &err), 0);
        CHECK_STR(d.text, cases[i].text);
        CHECK_STR(d.encoding, cases[i].canonical);
        CHECK(d.confidence == 1.0);
        xlate_decoded_free(&d);
    }
}

static void test_explicit_encoding_wins_over_detection(void) {
    /* valid UTF-8 read as cp1251 on purpose: the user gets exactly that, no repair */
    const char *s = "Київ";
    xlate_decoded d;
    xlate_error err = {0};
    CHECK_INT(decode_with(s, strlen(s), "cp1251", XLATE_INVALID_ERROR, &d, &err), 0);
    CHECK_STR(d.text, "РљРёС—РІ");
    CHECK_INT(d.repaired, 0);
    xlate_decoded_free(&d);
}

static void test_invalid_in_legacy_and_utf16(void) {
    /* 0x98 is the one byte windows-1251 leaves undefined */
    const char s[] = "\xCA\xE8\xBF\xE2\x98!";
    xlate_decoded d;
    xlate_error err = {0};
    CHECK_INT(decode_with(s, sizeof s - 1, "cp1251", XLATE_INVALID_ERROR, &d, &err), -1);
    CHECK(err.message && strstr(err.message, "windows-1251") && strstr(err.message, "byte offset 4"));
    CHECK(err.message && strstr(err.message, "[98]") != NULL);
    xlate_error_clear(&err);
    CHECK_INT(decode_with(s, sizeof s - 1, "cp1251", XLATE_INVALID_REPLACE, &d, &err), 0);
    CHECK_STR(d.text, "Київ\xEF\xBF\xBD!");
    xlate_decoded_free(&d);
    /* an odd trailing byte of UTF-16 is an incomplete character */
    const char u[] = "\x1A\x04\x38\x04\x57";
    CHECK_INT(decode_with(u, 5, "utf-16le", XLATE_INVALID_ERROR, &d, &err), -1);
    CHECK(err.message && strstr(err.message, "byte offset 4") != NULL);
    xlate_error_clear(&err);
    CHECK_INT(decode_with(u, 5, "utf-16le", XLATE_INVALID_SKIP, &d, &err), 0);
    CHECK_STR(d.text, "Ки");
    xlate_decoded_free(&d);
    /* a lone low surrogate in the middle */
    const char sur[] = "\x1A\x04\x00\xDC\x38\x04";
    CHECK_INT(decode_with(sur, 6, "utf-16le", XLATE_INVALID_REPLACE, &d, &err), 0);
    CHECK_STR(d.text, "К\xEF\xBF\xBDи");
    xlate_decoded_free(&d);
}

static void test_unknown_encoding_is_usage_error(void) {
    xlate_decoded d;
    xlate_error err = {0};
    CHECK_INT(decode_with("abc", 3, "klingon-8", XLATE_INVALID_ERROR, &d, &err), -1);
    CHECK_INT(err.status, XLATE_EINVAL);
    CHECK(err.message && strstr(err.message, "klingon-8") != NULL);
    xlate_error_clear(&err);
}

static void test_empty_input(void) {
    const char *encodings[] = {NULL, "utf-8", "cp1251", "utf-16"};
    for (size_t i = 0; i < 4; i++) {
        xlate_decoded d;
        xlate_error err = {0};
        CHECK_INT(decode_with("", 0, encodings[i], XLATE_INVALID_ERROR, &d, &err), 0);
        CHECK(d.text != NULL && d.text[0] == '\0');
        CHECK_INT(d.len, 0);
        xlate_decoded_free(&d);
    }
}

static void test_ten_megabyte_line(void) {
    size_t n = 10u << 20;
    char *s = malloc(n);
    for (size_t i = 0; i + 2 <= n; i += 2)
        memcpy(s + i, (i / 2) % 7 == 6 ? "  " : "\xD1\x97", 2); /* "ї" and spaces, no newline */
    xlate_decoded d;
    xlate_error err = {0};
    CHECK_INT(decode_with(s, n, NULL, XLATE_INVALID_ERROR, &d, &err), 0);
    CHECK_INT(d.len, n);
    CHECK(d.text && memcmp(d.text, s, n) == 0);
    xlate_decoded_free(&d);
    /* and as a single-byte code page, which grows to two bytes a letter */
    for (size_t i = 0; i < n; i++)
        s[i] = i % 7 == 6 ? ' ' : '\xBF';
    CHECK_INT(decode_with(s, n, "cp1251", XLATE_INVALID_ERROR, &d, &err), 0);
    CHECK_INT(d.len, n + n - n / 7);
    xlate_decoded_free(&d);
    free(s);
}

static void test_auto_detects_legacy_and_repairs(void) {
    /* KOI8-U Ukrainian: ICU alone would say KOI8-R */
    const char s[] = "\xf7\xde\xcf\xd2\xc1 \xd7\xd7\xc5\xde\xc5\xd2\xa6 \xce\xc1\xc4 \xcd\xa6\xd3\xd4\xcf\xcd "
                     "\xda\xce\xcf\xd7\xd5 \xcc\xd5\xce\xc1\xcc\xc1 \xd3\xc9\xd2\xc5\xce\xc1. \xb6 \xd7\xd3\xa6 "
                     "\xa7\xc8\xc1\xcc\xc9 \xc4\xcf \xcd\xc5\xd4\xd2\xcf.";
    xlate_decoded d;
    xlate_error err = {0};
    CHECK_INT(decode_with(s, sizeof s - 1, NULL, XLATE_INVALID_ERROR, &d, &err), 0);
    CHECK_STR(d.encoding, "KOI8-U");
    CHECK_STR(d.text, "Вчора ввечері над містом знову лунала сирена. І всі їхали до метро.");
    xlate_decoded_free(&d);

    const char *moji = "РЎС‚РѕР»С‚РµРЅР±РµСЂРі Р·Р°СЏРІРёРІ";
    CHECK_INT(decode_with(moji, strlen(moji), NULL, XLATE_INVALID_ERROR, &d, &err), 0);
    CHECK_STR(d.text, "Столтенберг заявив");
    CHECK_INT(d.repaired, 1);
    xlate_decoded_free(&d);
    xlate_decode_options o = XLATE_DECODE_OPTIONS_INIT;
    o.repair_mojibake = 0;
    CHECK_INT(xlate_decode(moji, strlen(moji), &o, "x", &d, &err), 0);
    CHECK_STR(d.text, moji);
    CHECK_INT(d.repaired, 0);
    xlate_decoded_free(&d);
}

static void test_on_invalid_parse(void) {
    xlate_on_invalid v = XLATE_INVALID_ERROR;
    CHECK_INT(xlate_on_invalid_parse("replace", &v), 0);
    CHECK_INT(v, XLATE_INVALID_REPLACE);
    CHECK_INT(xlate_on_invalid_parse("skip", &v), 0);
    CHECK_INT(v, XLATE_INVALID_SKIP);
    CHECK_INT(xlate_on_invalid_parse("error", &v), 0);
    CHECK_INT(v, XLATE_INVALID_ERROR);
    CHECK_INT(xlate_on_invalid_parse("ignore", &v), -1);
}

/* Decoding in the caller's buffer: valid UTF-8 stays where it is, a BOM goes by moving the text
 * down, anything else is decoded into a new buffer; the caller's buffer never leaks (ASan). */
static char *owned_copy(const char *s, size_t len) {
    char *p = malloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

static void test_owned_buffer(void) {
    const char *s = "Столтенберг: \"Україні потрібна ППО\".\n";
    char *buf = owned_copy(s, strlen(s));
    xlate_decoded d;
    xlate_error err = {0};
    CHECK_INT(xlate_decode_owned(buf, strlen(s), NULL, "news.txt", &d, &err), 0);
    CHECK(d.text == buf);
    CHECK_STR(d.text, s);
    CHECK_STR(d.encoding, "UTF-8");
    CHECK(d.confidence == 1.0);
    xlate_decoded_free(&d);

    const char bom[] = "\xEF\xBB\xBFКиїв";
    buf = owned_copy(bom, sizeof bom - 1);
    CHECK_INT(xlate_decode_owned(buf, sizeof bom - 1, NULL, "news.txt", &d, &err), 0);
    CHECK_STR(d.text, "Київ");
    CHECK_INT(d.had_bom, 1);
    xlate_decoded_free(&d);

    /* the same message as from xlate_decode, and the buffer freed */
    const char bad[] = "Київ \xFF Львів";
    xlate_error copied = {0};
    CHECK_INT(decode_with(bad, sizeof bad - 1, NULL, XLATE_INVALID_ERROR, &d, &copied), -1);
    buf = owned_copy(bad, sizeof bad - 1);
    CHECK_INT(xlate_decode_owned(buf, sizeof bad - 1, NULL, "news.txt", &d, &err), -1);
    CHECK_STR(err.message, copied.message ? copied.message : "(none)");
    xlate_error_clear(&err);
    xlate_error_clear(&copied);

    const char cp1251[] = "\xCA\xE8\xBF\xE2";
    xlate_decode_options o = XLATE_DECODE_OPTIONS_INIT;
    o.encoding = "cp1251";
    buf = owned_copy(cp1251, sizeof cp1251 - 1);
    CHECK_INT(xlate_decode_owned(buf, sizeof cp1251 - 1, &o, "old.txt", &d, &err), 0);
    CHECK_STR(d.text, "Київ");
    xlate_decoded_free(&d);

    const char moji[] = "РЎС‚РѕР»С‚РµРЅР±РµСЂРі Р·Р°СЏРІРёРІ";
    buf = owned_copy(moji, sizeof moji - 1);
    CHECK_INT(xlate_decode_owned(buf, sizeof moji - 1, NULL, "x", &d, &err), 0);
    CHECK_STR(d.text, "Столтенберг заявив");
    xlate_decoded_free(&d);
}

/* Binary data is refused whatever the encoding and --on-invalid, naming file and offset; the
 * DOS end-of-file mark is dropped from text. */
static void test_binary_is_refused(void) {
    static const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0";
    const char *encodings[] = {NULL, "utf-8", "cp1251"};
    xlate_decoded d;
    xlate_error err = {0};
    for (size_t i = 0; i < 3; i++) {
        CHECK_INT(decode_with(elf, sizeof elf - 1, encodings[i], XLATE_INVALID_REPLACE, &d, &err),
                  -1);
        CHECK_INT(err.status, XLATE_ERROR);
        CHECK_STR(err.message,
                  "news.txt: binary data (control character 0x7f at offset 0), not text");
        xlate_error_clear(&err);
    }
    CHECK_INT(decode_with("Київ\0", 9, NULL, XLATE_INVALID_SKIP, &d, &err), -1);
    CHECK(err.message && strstr(err.message, "news.txt: binary data (a NUL byte at offset 8), "
                                             "not text; for UTF-16 or UTF-32 text") == err.message);
    xlate_error_clear(&err);
    /* UTF-16 named: its units are looked at, not its bytes */
    CHECK_INT(decode_with("K\0\x01\0", 4, "utf-16le", XLATE_INVALID_ERROR, &d, &err), -1);
    CHECK_STR(err.message, "news.txt: binary data (control character U+0001 (UTF-16) at offset "
                           "2), not text");
    xlate_error_clear(&err);
    const char zh[] = "\x2d\x4e\x87\x65\x0a\x00";
    CHECK_INT(decode_with(zh, 6, "utf-16le", XLATE_INVALID_ERROR, &d, &err), 0);
    CHECK_STR(d.text, "中文\n");
    xlate_decoded_free(&d);
    /* text a DOS editor ended with ^Z */
    CHECK_INT(decode_with("\xca\xe8\xbf\xe2\r\n\x1a", 7, "cp1251", XLATE_INVALID_ERROR, &d, &err),
              0);
    CHECK_STR(d.text, "Київ\r\n");
    xlate_decoded_free(&d);
    CHECK_INT(decode_with("Київ\x1a\x1a", 10, NULL, XLATE_INVALID_ERROR, &d, &err), 0);
    CHECK_STR(d.text, "Київ");
    xlate_decoded_free(&d);
}

int main(void) {
    test_binary_is_refused();
    test_valid_utf8_passes_unchanged();
    test_owned_buffer();
    test_bom_is_stripped();
    test_invalid_utf8_error_names_file_offset_and_bytes();
    test_invalid_utf8_replace_and_skip();
    test_explicit_legacy_encodings();
    test_explicit_encoding_wins_over_detection();
    test_invalid_in_legacy_and_utf16();
    test_unknown_encoding_is_usage_error();
    test_empty_input();
    test_ten_megabyte_line();
    test_auto_detects_legacy_and_repairs();
    test_on_invalid_parse();
    return check_result("decode");
}
