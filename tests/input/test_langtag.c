/* langtag: the tags a user gives --from and --to. Real BCP 47 tags pass in their canonical form;
 * a code nobody has, a language's name, a POSIX locale name and half a tag are usage errors that
 * say what to write instead. */
#include <string.h>

#include "check.h"
#include "langtag.h"

static void expect_tag(const char *tag, const char *canonical) {
    char out[XLATE_LANGTAG_MAX] = "";
    xlate_error err = {0};
    int rc = xlate_langtag_canonical(tag, out, sizeof out, &err);
    if (rc != 0)
        fprintf(stderr, "tag \"%s\" refused: %s\n", tag, err.message ? err.message : "");
    CHECK_INT(rc, 0);
    CHECK_STR(out, canonical);
    CHECK_INT(err.status, XLATE_OK);
    xlate_error_clear(&err);
}

/* The tag is refused as a usage error whose message contains `says`. */
static void expect_refused(const char *tag, const char *says) {
    char out[XLATE_LANGTAG_MAX] = "";
    xlate_error err = {0};
    CHECK_INT(xlate_langtag_canonical(tag, out, sizeof out, &err), -1);
    CHECK_INT(err.status, XLATE_EINVAL);
    if (!err.message || !strstr(err.message, says)) {
        fprintf(stderr, "tag \"%s\": message \"%s\" lacks \"%s\"\n", tag ? tag : "(null)",
                err.message ? err.message : "(none)", says);
        check_failures++;
    }
    xlate_error_clear(&err);
}

static void test_real_tags_pass_in_canonical_form(void) {
    expect_tag("uk", "uk");
    expect_tag("en", "en");
    expect_tag("en-GB", "en-GB");
    expect_tag("pt-BR", "pt-BR");
    expect_tag("zh-Hant", "zh-Hant");
    expect_tag("sr-Latn", "sr-Latn");
    expect_tag("es-419", "es-419");     /* a UN M.49 region */
    expect_tag("haw", "haw");           /* ISO 639 with no two-letter code */
    expect_tag("EN-gb", "en-GB");       /* tags are case-insensitive; the canonical case */
    expect_tag("eng", "en");            /* the ISO 639-2 code of a language with a 639-1 code */
    expect_tag("ukr", "uk");
    /* private use (RFC 5646): a language the parties agree on, alone or after a language */
    expect_tag("x-upper", "x-upper");
    expect_tag("X-Upper", "x-upper");
    expect_tag("en-x-foo", "en-x-foo");
}

static void test_what_is_not_a_language_is_refused(void) {
    expect_refused("xx", "xx is not an ISO 639 language code");
    expect_refused("qaa", "qaa is not an ISO 639 language code"); /* private use */
    expect_refused("und", "names no language");
    expect_refused("", "empty");
    expect_refused("x-", "not a BCP 47 language tag");
    expect_refused("x-toolongsubtag", "not a BCP 47 language tag");
    /* every refusal shows what a valid tag looks like */
    expect_refused("xx", "such as uk, en, en-GB, pt-BR, zh-Hant or sr-Latn");
}

static void test_refusals_say_what_was_meant(void) {
    expect_refused("english", "a language's name, not a BCP 47 language tag: write en");
    expect_refused("Ukrainian", "write uk");
    expect_refused("українська", "write uk"); /* the language's own name */
    expect_refused("en_GB", "joined with '-' in BCP 47: write en-GB");
    expect_refused("en-", "not a BCP 47 language tag");
    expect_refused("en--GB", "not a BCP 47 language tag");
    expect_refused("e", "not a BCP 47 language tag");
    expect_refused("en GB", "not a BCP 47 language tag");
}

static void test_unknown_scripts_and_regions_are_refused(void) {
    expect_refused("en-XX", "XX is not a region code");
    expect_refused("sr-Xyzw", "Xyzw is not an ISO 15924 script code");
}

int main(void) {
    test_real_tags_pass_in_canonical_form();
    test_what_is_not_a_language_is_refused();
    test_refusals_say_what_was_meant();
    test_unknown_scripts_and_regions_are_refused();
    return check_result("test_langtag");
}
