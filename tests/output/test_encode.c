/* encode: UTF-8 to other encodings, the error for a character that does not fit (naming it and
 * its place), replacement on request, round trips through decode; a stream converted in parts
 * gives the bytes of the whole, and places an error in the whole stream. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "decode.h"
#include "buf.h"
#include "encode.h"

static void test_round_trips(void) {
    const char *text = "Київ і Харків, Ґанок; \"NATO\"\n";
    const char *encodings[] = {"cp1251", "koi8-u", "cp1125", "mac-cyrillic", "utf-16le", "utf-32be",
                               "utf-8"};
    for (size_t i = 0; i < sizeof encodings / sizeof encodings[0]; i++) {
        char *out = NULL;
        size_t len = 0;
        xlate_error err = {0};
        CHECK_INT(xlate_encode(text, strlen(text), encodings[i], 0, "out.txt", &out, &len, &err), 0);
        xlate_decode_options o = XLATE_DECODE_OPTIONS_INIT;
        o.encoding = encodings[i];
        xlate_decoded d;
        CHECK_INT(xlate_decode(out, len, &o, "out.txt", &d, &err), 0);
        CHECK_STR(d.text, text);
        xlate_decoded_free(&d);
        free(out);
    }
}

static void test_exact_bytes(void) {
    char *out = NULL;
    size_t len = 0;
    xlate_error err = {0};
    CHECK_INT(xlate_encode("Київ", strlen("Київ"), "cp1251", 0, NULL, &out, &len, &err), 0);
    CHECK_INT(len, 4);
    CHECK(out && memcmp(out, "\xCA\xE8\xBF\xE2", 4) == 0);
    free(out);
    CHECK_INT(xlate_encode("", 0, "koi8-u", 0, NULL, &out, &len, &err), 0);
    CHECK_INT(len, 0);
    CHECK(out && out[0] == '\0');
    free(out);
}

static void test_unmappable_is_an_error_naming_it(void) {
    /* KOI8-R has no ґ: line 2, column 3 */
    const char *text = "Привіт\nҐаҐанок";
    char *out = NULL;
    size_t len = 0;
    xlate_error err = {0};
    CHECK_INT(xlate_encode(text, strlen(text), "koi8-r", 0, "out.txt", &out, &len, &err), -1);
    CHECK_INT(err.status, XLATE_ERROR);
    CHECK(err.message && strstr(err.message, "out.txt") != NULL);
    CHECK(err.message && strstr(err.message, "U+0456") != NULL); /* і comes first, line 1 col 5 */
    CHECK(err.message && strstr(err.message, "line 1, column 5") != NULL);
    CHECK(err.message && strstr(err.message, "KOI8-R") != NULL);
    xlate_error_clear(&err);
    const char *t2 = "Привет\nдаҐанок";
    CHECK_INT(xlate_encode(t2, strlen(t2), "koi8-r", 0, "out.txt", &out, &len, &err), -1);
    CHECK(err.message && strstr(err.message, "U+0490") && strstr(err.message, "line 2, column 3"));
    CHECK(err.message && strstr(err.message, "byte offset 17") != NULL);
    xlate_error_clear(&err);
}

static void test_replace(void) {
    char *out = NULL;
    size_t len = 0;
    xlate_error err = {0};
    CHECK_INT(xlate_encode("ґава 😀!", strlen("ґава 😀!"), "koi8-r", 1, NULL, &out, &len, &err), 0);
    CHECK_INT(len, 7);
    CHECK(out && memcmp(out, "?\xC1\xD7\xC1 ?!", 7) == 0);
    free(out);
    /* in UTF-16 even the "?" is two bytes; there everything fits, so test with ASCII */
    CHECK_INT(xlate_encode("Київ ґ", strlen("Київ ґ"), "ascii", 1, NULL, &out, &len, &err), 0);
    CHECK_STR(out, "???? ?");
    free(out);
}

static void test_unknown_encoding(void) {
    char *out = NULL;
    size_t len = 0;
    xlate_error err = {0};
    CHECK_INT(xlate_encode("a", 1, "no-such-encoding", 0, NULL, &out, &len, &err), -1);
    CHECK_INT(err.status, XLATE_EINVAL);
    xlate_error_clear(&err);
}

/* `text` cut into parts at each '|' (the '|' dropped) and converted through one encoder. */
static int encode_in_parts(const char *text, const char *encoding, xlate_buf *out,
                           xlate_error *err) {
    xlate_encoder *e = NULL;
    if (xlate_encoder_new(encoding, 0, "out.txt", &e, err) != 0)
        return -1;
    int rc = 0;
    for (const char *p = text; rc == 0 && *p;) {
        size_t n = strcspn(p, "|");
        rc = xlate_encoder_put(e, p, n, out, err);
        p += n + (p[n] == '|');
    }
    if (rc == 0)
        rc = xlate_encoder_finish(e, out, err);
    xlate_encoder_free(e);
    return rc;
}

static void test_stream_in_parts(void) {
    /* UTF-16 begins with one byte-order mark, not one a part. */
    const char *encodings[] = {"utf-16", "cp1251", "utf-8"};
    for (size_t i = 0; i < sizeof encodings / sizeof encodings[0]; i++) {
        char *whole = NULL;
        size_t len = 0;
        xlate_buf parts = XLATE_BUF_INIT;
        xlate_error err = {0};
        CHECK_INT(xlate_encode("id\tКиїв\n1\tЛьвів\n", strlen("id\tКиїв\n1\tЛьвів\n"),
                               encodings[i], 0, NULL, &whole, &len, &err), 0);
        CHECK_INT(encode_in_parts("id\tКиїв\n|1\tЛьвів\n|", encodings[i], &parts, &err), 0);
        CHECK_INT(parts.len, len);
        CHECK(whole && parts.data && memcmp(whole, parts.data, len) == 0);
        free(whole);
        xlate_buf_free(&parts);
    }
    /* KOI8-R has no ґ: the third part's, at byte 26 of the stream, line 3, column 5. */
    xlate_buf out = XLATE_BUF_INIT;
    xlate_error err = {0};
    CHECK_INT(encode_in_parts("Привет\n|1 да|\n2 даҐ", "koi8-r", &out, &err), -1);
    CHECK(err.message && strstr(err.message, "U+0490") != NULL);
    CHECK(err.message && strstr(err.message, "byte offset 26 (line 3, column 5)") != NULL);
    xlate_error_clear(&err);
    /* A line that goes on from one part into the next keeps counting its columns. */
    CHECK_INT(encode_in_parts("Привет\n|1 да|Ґ", "koi8-r", &out, &err), -1);
    CHECK(err.message && strstr(err.message, "byte offset 19 (line 2, column 5)") != NULL);
    xlate_error_clear(&err);
    xlate_buf_free(&out);
}

int main(void) {
    test_round_trips();
    test_exact_bytes();
    test_unmappable_is_an_error_naming_it();
    test_replace();
    test_unknown_encoding();
    test_stream_in_parts();
    return check_result("encode");
}
