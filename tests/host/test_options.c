/* Tests of options: --plugin argument splitting and validation against a plugin's schema. */
#include <stdlib.h>

#include "check.h"
#include "options.h"

static const xlate_option_spec specs[] = {
    {"file", XLATE_OPTION_PATH, NULL, "term map"},
    {"count", XLATE_OPTION_INT, "3", "a number"},
    {"strict", XLATE_OPTION_BOOL, "false", "a flag"},
    {"ratio", XLATE_OPTION_DOUBLE, "0.5", "a ratio"},
    {"cmd", XLATE_OPTION_STRING, NULL, "a command"},
};

static const xlate_plugin desc = {
    .abi_version = XLATE_ABI_VERSION, .struct_size = sizeof(xlate_plugin), .name = "demo",
    .options = specs, .n_options = 5,
};

static void test_split(void) {
    char *name = NULL, *opts = NULL;
    xlate_error err = {0};
    CHECK_INT(xlate_plugin_spec_split("glossary", &name, &opts, &err), 0);
    CHECK_STR(name, "glossary");
    CHECK_STR(opts, "");
    free(name), free(opts);
    CHECK_INT(xlate_plugin_spec_split("http:api=apy,url=http://127.0.0.1:2737", &name, &opts, &err), 0);
    CHECK_STR(name, "http");
    CHECK_STR(opts, "api=apy,url=http://127.0.0.1:2737");
    free(name), free(opts);
    CHECK_INT(xlate_plugin_spec_split(":file=x", &name, &opts, &err), -1);
    CHECK_INT(err.status, XLATE_EINVAL);
    xlate_error_clear(&err);
}

static void test_values_and_defaults(void) {
    xlate_options *o = NULL;
    xlate_error err = {0};
    CHECK_INT(xlate_options_parse(&desc, "file=a.tsv,count=7,strict,cmd=sed s/a\\,b/c/", &o, &err), 0);
    CHECK_STR(xlate_options_get(o, "file"), "a.tsv");
    CHECK_STR(xlate_options_get(o, "cmd"), "sed s/a,b/c/");
    long long n = 0;
    CHECK_INT(xlate_options_get_int(o, "count", &n), XLATE_OK);
    CHECK_INT(n, 7);
    int b = 0;
    CHECK_INT(xlate_options_get_bool(o, "strict", &b), XLATE_OK);
    CHECK_INT(b, 1);
    double d = 0;
    CHECK_INT(xlate_options_get_double(o, "ratio", &d), XLATE_OK);
    CHECK(d == 0.5);
    CHECK(xlate_options_get(o, "nonexistent") == NULL);
    xlate_options_free(o);
}

/* Every word the message for a bad boolean names is accepted, in any case, with its meaning. */
static void test_boolean_words(void) {
    static const struct {
        const char *word;
        int value;
    } words[] = {{"on", 1}, {"off", 0}, {"yes", 1}, {"no", 0}, {"true", 1}, {"false", 0},
                 {"1", 1},  {"0", 0},   {"ON", 1},  {"Off", 0}, {"YES", 1}, {"False", 0}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        char text[32];
        snprintf(text, sizeof text, "strict=%s", words[i].word);
        xlate_options *o = NULL;
        xlate_error err = {0};
        int b = -1;
        CHECK_INT(xlate_options_parse(&desc, text, &o, &err), 0);
        CHECK_INT(xlate_options_get_bool(o, "strict", &b), XLATE_OK);
        if (b != words[i].value)
            fprintf(stderr, "  %s gave %d\n", text, b);
        CHECK_INT(b, words[i].value);
        xlate_options_free(o);
        xlate_error_clear(&err);
    }
}

static void expect_usage_error(const char *text, const char *fragment) {
    xlate_options *o = NULL;
    xlate_error err = {0};
    CHECK_INT(xlate_options_parse(&desc, text, &o, &err), -1);
    CHECK_INT(err.status, XLATE_EINVAL);
    CHECK(err.message && strstr(err.message, fragment));
    if (err.message && !strstr(err.message, fragment))
        fprintf(stderr, "  message was: %s\n", err.message);
    xlate_error_clear(&err);
}

static void test_rejections(void) {
    expect_usage_error("colour=red", "has no option 'colour'; its options are: file, count");
    expect_usage_error("count=many", "option 'count' must be a whole number, not 'many'");
    expect_usage_error("strict=perhaps", "must be on or off (or yes/no, true/false, 1/0), not 'perhaps'");
    expect_usage_error("file=a,file=b", "option 'file' is given twice");
    expect_usage_error("file", "option 'file' needs a value");
}

/* What strtoll and strtod would have taken, each refused with the option named; the plain
 * forms pass with their value. */
static void test_strict_numbers(void) {
    static const char *const not_whole[] = {"+5", " 5", "5 ", "0x10", "010x", "5.0", "1e3", "--5",
                                            "-", "", "\t5"};
    for (size_t i = 0; i < sizeof not_whole / sizeof not_whole[0]; i++) {
        char text[64], want[96];
        snprintf(text, sizeof text, "count=%s", not_whole[i]);
        snprintf(want, sizeof want, "option 'count' must be a whole number, not '%s'", not_whole[i]);
        expect_usage_error(text, want);
    }
    expect_usage_error("count=9223372036854775808", "option 'count' is out of range: "
                                                    "'9223372036854775808' (a whole number from");
    expect_usage_error("count=-9223372036854775809", "option 'count' is out of range");
    expect_usage_error("count=99999999999999999999999", "option 'count' is out of range");
    static const char *const not_numbers[] = {"+0.5", ".5", "5.", "inf", "nan", "-inf", "0x1p3",
                                              " 0.5", "0.5 ", "1e", "1e+", "INFINITY"};
    for (size_t i = 0; i < sizeof not_numbers / sizeof not_numbers[0]; i++) {
        char text[64], want[96];
        snprintf(text, sizeof text, "ratio=%s", not_numbers[i]);
        snprintf(want, sizeof want, "option 'ratio' must be a number, not '%s'", not_numbers[i]);
        expect_usage_error(text, want);
    }
    expect_usage_error("ratio=1e999", "option 'ratio' is out of range: '1e999' (a finite number)");

    static const struct {
        const char *text;
        long long count;
        double ratio;
    } fine[] = {{"count=-9223372036854775808,ratio=-1.5E-2", -9223372036854775807LL - 1, -0.015},
                {"count=9223372036854775807,ratio=1e3", 9223372036854775807LL, 1000},
                {"count=-0,ratio=0", 0, 0},
                {"count=007,ratio=2", 7, 2}};
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        xlate_options *o = NULL;
        xlate_error err = {0};
        long long n = 1;
        double d = 1;
        CHECK_INT(xlate_options_parse(&desc, fine[i].text, &o, &err), 0);
        CHECK_INT(xlate_options_get_int(o, "count", &n), XLATE_OK);
        CHECK_INT(n, fine[i].count);
        CHECK_INT(xlate_options_get_double(o, "ratio", &d), XLATE_OK);
        CHECK(d == fine[i].ratio);
        xlate_options_free(o);
        xlate_error_clear(&err);
    }
}

int main(void) {
    test_split();
    test_boolean_words();
    test_values_and_defaults();
    test_rejections();
    test_strict_numbers();
    return check_result("test_options");
}
