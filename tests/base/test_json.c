/* Tests of json: string literals as RFC 8259 wants them — quotes, backslashes and control
 * characters escaped, UTF-8 left as it is, embedded NULs kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json.h"

static void expect_json(const char *s, size_t len, const char *want) {
    xlate_buf b = XLATE_BUF_INIT;
    CHECK_INT(xlate_json_string(&b, s, len), 0);
    CHECK_STR(b.data, want);
    xlate_buf_free(&b);
}

/* What RFC 8259 wants, one byte at a time: the reference the block scan must equal. */
static void escape_bytewise(xlate_buf *b, const unsigned char *s, size_t len) {
    static const char *const shorts[] = {['"'] = "\\\"", ['\\'] = "\\\\", ['\n'] = "\\n",
                                         ['\t'] = "\\t", ['\r'] = "\\r", ['\b'] = "\\b",
                                         ['\f'] = "\\f"};
    CHECK_INT(xlate_buf_putc(b, '"'), 0);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (c < sizeof shorts / sizeof shorts[0] && shorts[c])
            CHECK_INT(xlate_buf_puts(b, shorts[c]), 0);
        else if (c < 0x20)
            CHECK_INT(xlate_buf_printf(b, "\\u%04x", c), 0);
        else
            CHECK_INT(xlate_buf_putc(b, (char)c), 0);
    }
    CHECK_INT(xlate_buf_putc(b, '"'), 0);
}

/* The escapes are found eight bytes at a time: every byte value, at every place of a text
 * longer than two blocks (and so at each place within a block and in the tail), next to
 * Cyrillic and ASCII, must come out as the byte-at-a-time reference says. */
static void check_every_byte_everywhere(void) {
    const char *base = "Київ, 2024 — NATO";
    size_t len = strlen(base);
    unsigned char text[64];
    for (size_t at = 0; at < len; at++) {
        for (unsigned v = 0; v < 256; v++) {
            memcpy(text, base, len);
            text[at] = (unsigned char)v;
            xlate_buf got = XLATE_BUF_INIT, want = XLATE_BUF_INIT;
            CHECK_INT(xlate_json_string(&got, (const char *)text, len), 0);
            escape_bytewise(&want, text, len);
            if (got.len != want.len || memcmp(got.data, want.data, got.len) != 0) {
                fprintf(stderr, "byte 0x%02X at %zu: got %s, want %s\n", v, at, got.data,
                        want.data);
                CHECK(0);
            }
            xlate_buf_free(&got);
            xlate_buf_free(&want);
        }
    }
}

int main(void) {
    check_every_byte_everywhere();
    expect_json("plain", 5, "\"plain\"");
    expect_json("say \"hi\" \\ now", 14, "\"say \\\"hi\\\" \\\\ now\"");
    expect_json("a\tb\nc\rd\be\ff", 11, "\"a\\tb\\nc\\rd\\be\\ff\"");
    expect_json("\x01\x1f", 2, "\"\\u0001\\u001f\"");
    expect_json("a\0b", 3, "\"a\\u0000b\"");
    expect_json("Столтенберг ʼ €", strlen("Столтенберг ʼ €"), "\"Столтенберг ʼ €\"");
    expect_json("", 0, "\"\"");
    xlate_buf b = XLATE_BUF_INIT;
    CHECK_INT(xlate_json_cstring(&b, NULL), 0);
    CHECK_STR(b.data, "null");
    xlate_buf_free(&b);
    return check_result("test_json");
}
