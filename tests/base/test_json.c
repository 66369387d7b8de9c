/* Tests of json: string literals as RFC 8259 wants them — quotes, backslashes and control
 * characters escaped, UTF-8 left as it is, embedded NULs kept. */
#include <stdlib.h>

#include "check.h"
#include "json.h"

static void expect_json(const char *s, size_t len, const char *want) {
    xlate_buf b = XLATE_BUF_INIT;
    CHECK_INT(xlate_json_string(&b, s, len), 0);
    CHECK_STR(b.data, want);
    xlate_buf_free(&b);
}

int main(void) {
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
