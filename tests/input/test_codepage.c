/* codepage: the names users type resolve to one canonical name and iconv's; each single-byte code
 * page xlate is built to read gives the characters its standard assigns (the letters that tell
 * the Cyrillic pages apart), leaves undefined the bytes the standard leaves undefined, and turns
 * back into the same bytes; multi-byte and stateful encodings (UTF-16, Shift_JIS, ISO-2022-JP,
 * UTF-7, UTF-8) are refused as tables, so that decode hands them to iconv whole. */
#include <iconv.h>
#include <stdint.h>
#include <string.h>
#include <unicode/utf8.h>

#include "check.h"
#include "codepage.h"

static void check_resolves(const char *typed, const char *canonical, const char *iconv_name) {
    xlate_encoding_name en;
    xlate_error err = {0};
    int rc = xlate_encoding_resolve(typed, &en, &err);
    CHECK_INT(rc, 0);
    if (rc == 0) {
        CHECK_STR(en.canonical, canonical);
        CHECK_STR(en.iconv, iconv_name);
    }
    xlate_error_clear(&err);
}

static void test_names(void) {
    check_resolves("cp1251", "windows-1251", "CP1251");
    check_resolves("Windows_1251", "windows-1251", "CP1251");
    check_resolves("CP-1251", "windows-1251", "CP1251");
    check_resolves("koi8-u", "KOI8-U", "KOI8-U");
    check_resolves("KOI8", "KOI8-R", "KOI8-R");
    check_resolves("ruscii", "CP1125", "CP1125");
    check_resolves("866", "IBM866", "CP866");
    check_resolves("iso-8859-5", "ISO-8859-5", "ISO-8859-5");
    check_resolves("mac-cyrillic", "x-mac-cyrillic", "MAC-CYRILLIC");
    check_resolves("Mac Ukrainian", "x-mac-ukrainian", "MAC-UK");
    check_resolves("latin1", "ISO-8859-1", "ISO-8859-1");
    check_resolves("utf-16le", "UTF-16LE", "UTF-16LE");
    /* Not in the alias table but known to iconv: kept as typed for iconv, upper case reported. */
    check_resolves("iso-8859-2", "ISO-8859-2", "iso-8859-2");

    xlate_encoding_name en;
    xlate_error err = {0};
    CHECK_INT(xlate_encoding_resolve("klingon-8", &en, &err), -1);
    CHECK_INT(err.status, XLATE_EINVAL);
    CHECK(err.message && strstr(err.message, "unknown encoding 'klingon-8'") != NULL);
    CHECK(err.message && strstr(err.message, "iconv -l") != NULL);
    xlate_error_clear(&err);
    /* Longer than any name iconv has: refused without asking iconv to open it. */
    CHECK_INT(xlate_encoding_resolve("iso-8859-5iso-8859-5iso-8859-5iso", &en, &err), -1);
    xlate_error_clear(&err);

    CHECK(xlate_encoding_is_utf8("UTF-8"));
    CHECK(xlate_encoding_is_utf8("utf8"));
    CHECK(xlate_encoding_is_utf8("Utf_8"));
    CHECK(!xlate_encoding_is_utf8("UTF-16"));
    CHECK(!xlate_encoding_is_utf8("cp1251"));
    CHECK(!xlate_encoding_is_utf8(NULL));
}

/* A byte and the code point its standard gives it (XLATE_CP_UNDEFINED: none). */
typedef struct mapping {
    unsigned char byte;
    uint32_t ucs;
} mapping;

typedef struct page {
    const char *name;           /* as a user types it */
    mapping known[12];          /* ends at the first { 0, 0 } */
    int n_undefined;            /* how many of the 256 bytes the standard leaves undefined */
} page;

#define UNDEF XLATE_CP_UNDEFINED

static const page pages[] = {
    /* Ukrainian letters first: Ґ ґ Є є І і Ї ї are where the Cyrillic pages differ. */
    {"cp1251",
     {{0xC0, 0x0410}, {0xFF, 0x044F}, {0xA8, 0x0401}, {0xA5, 0x0490}, {0xB4, 0x0491},
      {0xAA, 0x0404}, {0xB2, 0x0406}, {0xAF, 0x0407}, {0x80, 0x0402}, {0x98, UNDEF}},
     1},
    {"koi8-u",
     {{0xE1, 0x0410}, {0xC1, 0x0430}, {0xB4, 0x0404}, {0xA4, 0x0454}, {0xB6, 0x0406},
      {0xA6, 0x0456}, {0xA7, 0x0457}, {0xAD, 0x0491}, {0xA3, 0x0451}, {0x80, 0x2500}},
     0},
    {"koi8-r",
     {{0xE1, 0x0410}, {0xC1, 0x0430}, {0xA3, 0x0451}, {0xB3, 0x0401}, {0xA4, 0x2553},
      {0xB4, 0x2562}, {0xA6, 0x2555}, {0x80, 0x2500}},
     0},
    {"cp1125",
     {{0x80, 0x0410}, {0xA0, 0x0430}, {0xF2, 0x0490}, {0xF3, 0x0491}, {0xF4, 0x0404},
      {0xF6, 0x0406}, {0xF8, 0x0407}, {0xF0, 0x0401}, {0xFF, 0x00A0}},
     0},
    {"cp866",
     {{0x80, 0x0410}, {0xA0, 0x0430}, {0xE0, 0x0440}, {0xF0, 0x0401}, {0xF2, 0x0404},
      {0xF4, 0x0407}, {0xF6, 0x040E}, {0xF8, 0x00B0}, {0xFF, 0x00A0}},
     0},
    {"iso-8859-5",
     {{0xB0, 0x0410}, {0xD0, 0x0430}, {0xA4, 0x0404}, {0xA6, 0x0406}, {0xF0, 0x2116},
      {0xA0, 0x00A0}, {0x80, 0x0080}},
     0},
    {"mac-cyrillic",
     {{0x80, 0x0410}, {0xE0, 0x0430}, {0xDF, 0x044F}, {0xA2, 0x0490}, {0xB6, 0x0491},
      {0xFF, 0x00A4}},
     0},
    {"mac-ukrainian",
     {{0x80, 0x0410}, {0xA2, 0x0490}, {0xB6, 0x0491}, {0xB8, 0x0404}, {0xBA, 0x0407}},
     0},
    {"cp1252",
     {{0x80, 0x20AC}, {0x9F, 0x0178}, {0xE9, 0x00E9}, {0x81, UNDEF}, {0x8D, UNDEF},
      {0x8F, UNDEF}, {0x90, UNDEF}, {0x9D, UNDEF}},
     5},
    {"latin1", {{0x80, 0x0080}, {0xE9, 0x00E9}, {0xFF, 0x00FF}}, 0},
    {"ascii", {{0x41, 0x0041}, {0x7F, 0x007F}, {0x80, UNDEF}, {0xFF, UNDEF}}, 128},
};

static int load_page(const char *typed, xlate_codepage *cp, char *iconv_name, size_t size) {
    xlate_encoding_name en;
    xlate_error err = {0};
    int rc = xlate_encoding_resolve(typed, &en, &err);
    xlate_error_clear(&err);
    CHECK_INT(rc, 0);
    if (rc != 0)
        return -1;
    snprintf(iconv_name, size, "%s", en.iconv);
    rc = xlate_codepage_load(en.iconv, cp);
    CHECK_INT(rc, 0);
    return rc;
}

/* Each byte's UTF-8 is the encoding of its code point, and undefined bytes have none. */
static void check_columns_agree(const char *name, const xlate_codepage *cp) {
    for (int b = 0; b < 256; b++) {
        if (cp->to_ucs[b] == UNDEF) {
            CHECK_INT(cp->utf8_len[b], 0);
            continue;
        }
        int32_t i = 0;
        UChar32 c;
        U8_NEXT(cp->utf8[b], i, cp->utf8_len[b], c);
        if (c != (UChar32)cp->to_ucs[b] || i != cp->utf8_len[b]) {
            fprintf(stderr, "%s: byte 0x%02X: UTF-8 column gives U+%04X, code point U+%04X\n",
                    name, b, (unsigned)c, (unsigned)cp->to_ucs[b]);
            check_failures++;
        }
    }
}

/* Every defined byte, decoded through the table and encoded back by iconv, is itself: a document
 * read in this code page and written in it again comes out unchanged. */
static void check_round_trip(const char *name, const char *iconv_name, const xlate_codepage *cp) {
    char bytes[256], utf8[1024], back[512];
    size_t n = 0, u = 0;
    for (int b = 0; b < 256; b++) {
        if (!cp->utf8_len[b])
            continue;
        bytes[n++] = (char)b;
        memcpy(utf8 + u, cp->utf8[b], cp->utf8_len[b]);
        u += cp->utf8_len[b];
    }
    iconv_t cd = iconv_open(iconv_name, "UTF-8");
    CHECK(cd != (iconv_t)-1);
    if (cd == (iconv_t)-1)
        return;
    char *in = utf8, *out = back;
    size_t in_left = u, out_left = sizeof back;
    size_t r = iconv(cd, &in, &in_left, &out, &out_left);
    iconv_close(cd);
    size_t got = (size_t)(out - back);
    if (r == (size_t)-1 || got != n || memcmp(back, bytes, n) != 0) {
        size_t at = 0;
        while (at < n && at < got && back[at] == bytes[at])
            at++;
        fprintf(stderr, "%s: round trip differs at byte 0x%02X\n", name,
                at < n ? (unsigned char)bytes[at] : 0);
        check_failures++;
    }
}

static void test_code_pages(void) {
    for (size_t p = 0; p < sizeof pages / sizeof pages[0]; p++) {
        const page *pg = &pages[p];
        xlate_codepage cp;
        char iconv_name[32];
        if (load_page(pg->name, &cp, iconv_name, sizeof iconv_name) != 0) {
            fprintf(stderr, "  (code page %s)\n", pg->name);
            continue;
        }
        for (const mapping *m = pg->known; m->byte || m->ucs; m++) {
            if (cp.to_ucs[m->byte] != m->ucs) {
                fprintf(stderr, "%s: byte 0x%02X is U+%04X, want U+%04X\n", pg->name, m->byte,
                        (unsigned)cp.to_ucs[m->byte], (unsigned)m->ucs);
                check_failures++;
            }
        }
        int undefined = 0;
        for (int b = 0; b < 256; b++) {
            undefined += cp.to_ucs[b] == UNDEF;
            /* all of these pages keep ASCII where ASCII has it */
            if (b < 0x80 && cp.to_ucs[b] != (uint32_t)b) {
                fprintf(stderr, "%s: ASCII byte 0x%02X is U+%04X\n", pg->name, b,
                        (unsigned)cp.to_ucs[b]);
                check_failures++;
            }
        }
        CHECK_INT(undefined, pg->n_undefined);
        check_columns_agree(pg->name, &cp);
        check_round_trip(pg->name, iconv_name, &cp);
    }
}

static void test_first_undefined(void) {
    xlate_codepage cp;
    char iconv_name[32];
    if (load_page("cp1251", &cp, iconv_name, sizeof iconv_name) != 0)
        return;
    const char kyiv[] = "\xCA\xE8\xBF\xE2"; /* Київ */
    CHECK_INT(xlate_codepage_first_undefined(&cp, kyiv, 4), 4);
    CHECK_INT(xlate_codepage_first_undefined(&cp, "ab\x98\xC0", 4), 2);
    CHECK_INT(xlate_codepage_first_undefined(&cp, "\x98", 1), 0);
    CHECK_INT(xlate_codepage_first_undefined(&cp, "", 0), 0);
    /* A NUL is a byte like any other: defined, and not the end. */
    CHECK_INT(xlate_codepage_first_undefined(&cp, "a\0b\x98", 4), 3);
    if (load_page("ascii", &cp, iconv_name, sizeof iconv_name) != 0)
        return;
    CHECK_INT(xlate_codepage_first_undefined(&cp, "plain \xD0\x9A", 8), 6);
}

/* Encodings a byte table cannot hold: decoding them byte by byte would turn their text into
 * ASCII look-alikes or refuse it, so load says so and decode uses iconv on the whole text. */
static void test_not_tables(void) {
    static const char *const names[] = {"UTF-16", "UTF-16LE", "UTF-32", "SHIFT_JIS", "EUC-JP",
                                        "GB18030", "BIG5", "ISO-2022-JP", "ISO-2022-KR",
                                        "UTF-7", "UTF-8"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        xlate_codepage cp;
        int rc = xlate_codepage_load(names[i], &cp);
        if (rc != 1) {
            fprintf(stderr, "%s: load gave %d, want 1 (not a single-byte table)\n", names[i], rc);
            check_failures++;
        }
    }
    xlate_codepage cp;
    CHECK_INT(xlate_codepage_load("NO-SUCH-ENCODING", &cp), -1);
}

int main(void) {
    test_names();
    test_code_pages();
    test_first_undefined();
    test_not_tables();
    return check_result("codepage");
}
