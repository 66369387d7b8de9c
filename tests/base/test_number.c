/*
 * test_number: include/xlate/number.h, the one strict reading of a number that the host and the
 * plugins share — every form the C library would also take (a sign, white space, another base,
 * inf and nan, a value that wraps) refused, and said apart from a number out of range.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "xlate/number.h"

static enum xlate_number_result uint_of(const char *s, uint64_t max, uint64_t *v) {
    return xlate_parse_uint(s, strlen(s), max, v);
}

static void test_uint(void) {
    static const char *const syntax[] = {"", "+5", "-1", " 5", "5 ", "\t5", "5\n", "0x10", "1e3",
                                         "5.0", "5,0", "five", "99999999999999999999x", "-0"};
    for (size_t i = 0; i < sizeof syntax / sizeof syntax[0]; i++) {
        uint64_t v = 42;
        if (uint_of(syntax[i], UINT64_MAX, &v) != XLATE_NUMBER_SYNTAX)
            fprintf(stderr, "  '%s' was taken\n", syntax[i]);
        CHECK_INT(uint_of(syntax[i], UINT64_MAX, &v), XLATE_NUMBER_SYNTAX);
        CHECK_INT(v, 42); /* left alone */
    }
    uint64_t v = 0;
    CHECK_INT(uint_of("18446744073709551615", UINT64_MAX, &v), XLATE_NUMBER_OK);
    CHECK(v == UINT64_MAX);
    CHECK_INT(uint_of("18446744073709551616", UINT64_MAX, &v), XLATE_NUMBER_RANGE); /* wraps to 0 */
    CHECK_INT(uint_of("18446744073709551621", UINT64_MAX, &v), XLATE_NUMBER_RANGE); /* wraps to 5 */
    CHECK_INT(uint_of("1025", 1024, &v), XLATE_NUMBER_RANGE);
    CHECK_INT(uint_of("1024", 1024, &v), XLATE_NUMBER_OK);
    CHECK_INT(v, 1024);
    CHECK_INT(uint_of("007", 10, &v), XLATE_NUMBER_OK);
    CHECK_INT(v, 7);
    /* The length bounds the text: digits followed by more are read as far as asked. */
    CHECK_INT(xlate_parse_uint("12]", 2, UINT64_MAX, &v), XLATE_NUMBER_OK);
    CHECK_INT(v, 12);
    CHECK_INT(xlate_parse_uint("12]", 3, UINT64_MAX, &v), XLATE_NUMBER_SYNTAX);
    CHECK_INT(xlate_parse_uint(NULL, 0, UINT64_MAX, &v), XLATE_NUMBER_SYNTAX);
}

static enum xlate_number_result int_of(const char *s, int64_t *v) {
    return xlate_parse_int(s, strlen(s), INT64_MIN, INT64_MAX, v);
}

static void test_int(void) {
    static const char *const syntax[] = {"", "+5", "-", "--1", "- 1", " -1", "-1 ", "0x10",
                                         "1e3", "5.0", "+-1"};
    for (size_t i = 0; i < sizeof syntax / sizeof syntax[0]; i++) {
        int64_t v = 42;
        CHECK_INT(int_of(syntax[i], &v), XLATE_NUMBER_SYNTAX);
        CHECK_INT(v, 42);
    }
    int64_t v = 0;
    CHECK_INT(int_of("-9223372036854775808", &v), XLATE_NUMBER_OK);
    CHECK(v == INT64_MIN);
    CHECK_INT(int_of("9223372036854775807", &v), XLATE_NUMBER_OK);
    CHECK(v == INT64_MAX);
    CHECK_INT(int_of("-9223372036854775809", &v), XLATE_NUMBER_RANGE);
    CHECK_INT(int_of("9223372036854775808", &v), XLATE_NUMBER_RANGE);
    CHECK_INT(int_of("-18446744073709551615", &v), XLATE_NUMBER_RANGE); /* would wrap to 1 */
    CHECK_INT(int_of("-0", &v), XLATE_NUMBER_OK);
    CHECK_INT(v, 0);
    CHECK_INT(xlate_parse_int("-1", 2, 0, 10, &v), XLATE_NUMBER_RANGE);
    CHECK_INT(xlate_parse_int("11", 2, 0, 10, &v), XLATE_NUMBER_RANGE);
}

static enum xlate_number_result real_of(const char *s, double *v) {
    return xlate_parse_real(s, strlen(s), -1e308, 1e308, v);
}

static void test_real(void) {
    static const char *const syntax[] = {"", "+1", ".5", "5.", "-.5", "1e", "1e+", "e5", " 1",
                                         "1 ", "0x10", "0x1p3", "inf", "-inf", "nan", "NAN",
                                         "infinity", "1,5", "1..5", "1e5.5", "--1"};
    for (size_t i = 0; i < sizeof syntax / sizeof syntax[0]; i++) {
        double v = 42;
        if (real_of(syntax[i], &v) != XLATE_NUMBER_SYNTAX)
            fprintf(stderr, "  '%s' was taken\n", syntax[i]);
        CHECK_INT(real_of(syntax[i], &v), XLATE_NUMBER_SYNTAX);
        CHECK(v == 42);
    }
    static const struct {
        const char *text;
        double value;
    } fine[] = {{"0", 0}, {"2", 2}, {"0.5", 0.5}, {"-1.5E-2", -0.015}, {"1e3", 1000},
                {"1e+3", 1000}, {"007.25", 7.25}, {"1e-400", 0}};
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        double v = 42;
        CHECK_INT(real_of(fine[i].text, &v), XLATE_NUMBER_OK);
        CHECK(v == fine[i].value);
    }
    double v = 0;
    CHECK_INT(real_of("1e999", &v), XLATE_NUMBER_RANGE);
    CHECK_INT(real_of("-1e999", &v), XLATE_NUMBER_RANGE);
    CHECK_INT(xlate_parse_real("0.5", 3, 1, 100, &v), XLATE_NUMBER_RANGE);
    CHECK_INT(xlate_parse_real("100.5", 5, 1, 100, &v), XLATE_NUMBER_RANGE);
    /* A process whose locale writes "0,5" still reads "0.5" and refuses "0,5". */
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "uk_UA.UTF-8") ||
        setlocale(LC_NUMERIC, "ru_RU.UTF-8")) {
        CHECK_INT(real_of("0.5", &v), XLATE_NUMBER_OK);
        CHECK(v == 0.5);
        CHECK_INT(real_of("0,5", &v), XLATE_NUMBER_SYNTAX);
        setlocale(LC_NUMERIC, "C");
    }
}

int main(void) {
    test_uint();
    test_int();
    test_real();
    return check_result("test_number");
}
