/*
 * test_srx: SRX 2.0 as the standard has it — language maps and cascading, break and no-break
 * rules tried in order with the first match deciding, no break where no rule matches, SRX 1.0
 * map rules, files written for other tools (Okapi's header extensions, CDATA, long look-behinds),
 * and errors that name the file, the line and the rule.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <unicode/ustring.h>

#include "check.h"
#include "segment.h"
#include "srx.h"

#define SRX_HEAD(cascade)                                                                 \
    "<?xml version=\"1.0\"?>\n<srx xmlns=\"http://www.lisa.org/srx20\" version=\"2.0\">\n" \
    "<header segmentsubflows=\"yes\" cascade=\"" cascade "\"/>\n<body>\n"

static xlate_srx *parse_ok(const char *xml) {
    xlate_error err = {0};
    xlate_srx *srx = NULL;
    if (xlate_srx_parse(xml, strlen(xml), "test.srx", &srx, &err) != 0) {
        fprintf(stderr, "parse failed: %s\n", err.message);
        xlate_error_clear(&err);
        check_failures++;
    }
    return srx;
}

/* Break positions of an ASCII text (UTF-16 index = byte offset) as "3,7,12". */
static char *breaks_of(const char *xml, const char *lang, const char *text,
                       const int32_t *fallback, size_t n_fallback) {
    static char out[256];
    strcpy(out, "error");
    xlate_srx *srx = parse_ok(xml);
    if (!srx)
        return out;
    xlate_error err = {0};
    xlate_srx_rules *r = NULL;
    if (xlate_srx_rules_new(srx, lang, &r, &err) != 0) {
        fprintf(stderr, "compile failed: %s\n", err.message);
        xlate_error_clear(&err);
        xlate_srx_free(srx);
        check_failures++;
        return out;
    }
    UChar u[256];
    int32_t n = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8(u, 256, &n, text, -1, &status);
    int32_t *b = NULL;
    size_t nb = 0;
    if (xlate_srx_rules_breaks(r, u, n, fallback, n_fallback, &b, &nb, &err) == 0) {
        out[0] = '\0';
        for (size_t i = 0; i < nb; i++)
            snprintf(out + strlen(out), sizeof out - strlen(out), "%s%d", i ? "," : "", b[i]);
    } else {
        xlate_error_clear(&err);
    }
    free(b);
    xlate_srx_rules_free(r);
    xlate_srx_free(srx);
    return out;
}

/* The error message of parsing or compiling `xml` for `lang`, or "" when both succeed. */
static char *error_of(const char *xml, const char *lang) {
    static char out[1024];
    out[0] = '\0';
    xlate_error err = {0};
    xlate_srx *srx = NULL;
    xlate_srx_rules *r = NULL;
    if (xlate_srx_parse(xml, strlen(xml), "bad.srx", &srx, &err) == 0)
        xlate_srx_rules_new(srx, lang, &r, &err);
    if (err.message)
        snprintf(out, sizeof out, "%s", err.message);
    xlate_error_clear(&err);
    xlate_srx_rules_free(r);
    xlate_srx_free(srx);
    return out;
}

static const char rules_en_default[] =
    SRX_HEAD("yes")
    "<languagerules>\n"
    "<languagerule languagerulename=\"English\">\n"
    "  <rule break=\"no\"><beforebreak>\\bMr\\.</beforebreak><afterbreak>\\s</afterbreak></rule>\n"
    "</languagerule>\n"
    "<languagerule languagerulename=\"Default\">\n"
    "  <rule break=\"yes\"><beforebreak>[.?!]+</beforebreak><afterbreak>\\s</afterbreak></rule>\n"
    "</languagerule>\n"
    "</languagerules>\n"
    "<maprules>\n"
    "  <languagemap languagepattern=\"en.*\" languagerulename=\"English\"/>\n"
    "  <languagemap languagepattern=\".*\" languagerulename=\"Default\"/>\n"
    "</maprules>\n</body>\n</srx>\n";

static void test_cascade(void) {
    /* cascade="yes": English's no-break rule, then Default's break rule. */
    CHECK_STR(breaks_of(rules_en_default, "en", "Hi Mr. Smith. Bye! Ok", NULL, 0), "13,18");
    /* Another language gets only Default: it breaks after "Mr." too. */
    CHECK_STR(breaks_of(rules_en_default, "de", "Hi Mr. Smith. Bye! Ok", NULL, 0), "6,13,18");
    /* Language codes with a region match as patterns say. */
    CHECK_STR(breaks_of(rules_en_default, "en-GB", "Hi Mr. Smith. Bye", NULL, 0), "13");

    xlate_srx *srx = parse_ok(rules_en_default);
    CHECK_INT(xlate_srx_cascades(srx), 1);
    CHECK_INT(xlate_srx_wants_icu(srx), 0);
    xlate_srx_rules *r = NULL;
    xlate_error err = {0};
    CHECK_INT(xlate_srx_rules_new(srx, "en", &r, &err), 0);
    CHECK_INT(xlate_srx_rules_count(r), 2);
    xlate_srx_rules_free(r);
    xlate_srx_free(srx);

    /* cascade="no": only the first matching map, so English text loses Default's break rule. */
    char no_cascade[sizeof rules_en_default + 8];
    strcpy(no_cascade, rules_en_default);
    memcpy(strstr(no_cascade, "cascade=\"yes\"") + 9, "no\" ", 4);
    CHECK_STR(breaks_of(no_cascade, "en", "Hi Mr. Smith. Bye! Ok", NULL, 0), "");
    CHECK_STR(breaks_of(no_cascade, "de", "Hi Mr. Smith. Bye! Ok", NULL, 0), "6,13,18");
}

static void test_first_matching_rule_decides(void) {
    static const char nobreak_first[] =
        SRX_HEAD("yes")
        "<languagerules><languagerule languagerulename=\"L\">\n"
        "  <rule break=\"no\"><beforebreak>\\d\\.</beforebreak><afterbreak>\\s</afterbreak></rule>\n"
        "  <rule break=\"yes\"><beforebreak>\\.</beforebreak><afterbreak>\\s</afterbreak></rule>\n"
        "</languagerule></languagerules>\n"
        "<maprules><languagemap languagepattern=\".*\" languagerulename=\"L\"/></maprules>\n"
        "</body></srx>\n";
    static const char break_first[] =
        SRX_HEAD("yes")
        "<languagerules><languagerule languagerulename=\"L\">\n"
        "  <rule break=\"yes\"><beforebreak>\\.</beforebreak><afterbreak>\\s</afterbreak></rule>\n"
        "  <rule break=\"no\"><beforebreak>\\d\\.</beforebreak><afterbreak>\\s</afterbreak></rule>\n"
        "</languagerule></languagerules>\n"
        "<maprules><languagemap languagepattern=\".*\" languagerulename=\"L\"/></maprules>\n"
        "</body></srx>\n";
    CHECK_STR(breaks_of(nobreak_first, "xx", "In 2. Then x. End", NULL, 0), "13");
    CHECK_STR(breaks_of(break_first, "xx", "In 2. Then x. End", NULL, 0), "5,13");
}

static void test_fallback_is_the_last_rule(void) {
    /* Positions offered by ICU break unless a rule says otherwise; no rule matching a plain
     * position means no break. */
    static const int32_t icu[] = {6, 13};
    CHECK_STR(breaks_of(rules_en_default, "en", "Hi Mr. Smith went", icu, 2), "13");
    static const char no_rules[] =
        SRX_HEAD("yes")
        "<languagerules><languagerule languagerulename=\"Empty\"/></languagerules>\n"
        "<maprules><languagemap languagepattern=\".*\" languagerulename=\"Empty\"/></maprules>\n"
        "</body></srx>\n";
    CHECK_STR(breaks_of(no_rules, "uk", "Hi Mr. Smith went", icu, 2), "6,13");
    CHECK_STR(breaks_of(no_rules, "uk", "Hi Mr. Smith went", NULL, 0), "");
}

/* SRX 1.0 wraps the language maps in <maprule>; empty expressions match the empty string. */
static void test_srx10_and_empty_expressions(void) {
    static const char srx10[] =
        "<?xml version=\"1.0\"?>\n<srx version=\"1.0\" xmlns=\"http://www.lisa.org/srx10\">\n"
        "<header segmentsubflows=\"yes\"/>\n<body><languagerules>\n"
        "<languagerule languagerulename=\"Default\">\n"
        "  <rule><beforebreak>;</beforebreak></rule>\n"
        "</languagerule></languagerules>\n"
        "<maprules><maprule maprulename=\"Default\">\n"
        "  <languagemap languagepattern=\".*\" languagerulename=\"Default\"/>\n"
        "</maprule></maprules></body></srx>\n";
    CHECK_STR(breaks_of(srx10, "en", "a; b;c", NULL, 0), "2,5");
}

/* What files written for Okapi or OmegaT contain: foreign header elements, CDATA, escaped
 * markup, and before-break expressions of unbounded length (\w+, \s*). */
static void test_files_of_other_tools(void) {
    static const char okapi[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<srx xmlns=\"http://www.lisa.org/srx20\" "
        "xmlns:okpsrx=\"http://okapi.sf.net/srx-extensions\" version=\"2.0\">\n"
        "<header segmentsubflows=\"yes\" cascade=\"yes\">\n"
        "<formathandle type=\"start\" include=\"no\"/>\n"
        "<okpsrx:options oneSegmentIncludesAll=\"no\" trimLeadingWhitespaces=\"yes\"/>\n"
        "<okpsrx:rangeRule></okpsrx:rangeRule>\n"
        "</header>\n<body><languagerules>\n"
        "<languagerule languagerulename=\"default\">\n"
        "<rule break=\"no\"><beforebreak><![CDATA[(?<=\\s)[A-Z]\\w*\\.]]></beforebreak>"
        "<afterbreak>\\s+[A-Z]</afterbreak></rule>\n"
        "<rule break=\"no\"><beforebreak>^\\s*\\d+\\.</beforebreak><afterbreak>\\s</afterbreak></rule>\n"
        "<rule break=\"yes\"><beforebreak>[\\.\\?!]+</beforebreak><afterbreak>\\s</afterbreak></rule>\n"
        "<rule break=\"no\"><beforebreak>&lt;b&gt;</beforebreak><afterbreak></afterbreak></rule>\n"
        "</languagerule></languagerules>\n"
        "<maprules><languagemap languagepattern=\".*\" languagerulename=\"default\"/></maprules>\n"
        "</body></srx>\n";
    xlate_srx *srx = parse_ok(okapi);
    CHECK(srx && xlate_srx_wants_icu(srx) == 0);
    xlate_srx_free(srx);
    /* "Dr." before a capital: the CDATA rule; "12." opening the text: the unbounded one. */
    CHECK_STR(breaks_of(okapi, "fr", "12. Ask Dr. Who. now go? Yes", NULL, 0), "16,24");
}

/* A break rule that starts with a known character is searched by skipping to that character;
 * any other is searched by ICU position by position. Both give the same breaks. */
static void test_search_paths_agree(void) {
    static const char *const befores[][2] = {
        {"[.?!]+", "(?:[.?!]+)"},          /* a set that must occur, then the same in a group */
        {"\\.", "(?:\\.)"},                /* an escaped character */
        {"x\\.", "(?:x\\.)"},              /* a literal character */
        {"[.?!]?[.?!]", "(?:[.?!]?[.?!])"}, /* optional first element: no skipping */
        {"\\.|!", "(?:\\.|!)"},            /* alternation: no skipping */
        {"\\p{Po}", "(?:\\p{Po})"},        /* a property */
    };
    const char *text = "Ax. B!. C?! x.x. D.E.. F!";
    for (size_t i = 0; i < sizeof befores / sizeof befores[0]; i++) {
        char a[1024], b[1024], got_a[256];
        for (int k = 0; k < 2; k++)
            snprintf(k ? b : a, 1024,
                     SRX_HEAD("yes")
                     "<languagerules><languagerule languagerulename=\"L\">\n"
                     "<rule break=\"yes\"><beforebreak>%s</beforebreak>"
                     "<afterbreak>\\s</afterbreak></rule>\n"
                     "</languagerule></languagerules>\n"
                     "<maprules><languagemap languagepattern=\".*\" languagerulename=\"L\"/>"
                     "</maprules></body></srx>\n",
                     befores[i][k]);
        snprintf(got_a, sizeof got_a, "%s", breaks_of(a, "xx", text, NULL, 0));
        CHECK(got_a[0] != '\0' && strcmp(got_a, "error") != 0);
        CHECK_STR(breaks_of(b, "xx", text, NULL, 0), got_a);
    }
    /* And the positions are the ones the rule says. */
    CHECK_STR(breaks_of(rules_en_default, "de", "A. B!. C?! x.x. D", NULL, 0), "2,6,10,15");
}

static void test_errors_name_file_line_and_rule(void) {
    const char *msg = error_of("<srx><body>", "en");
    CHECK(strstr(msg, "bad.srx:") && strstr(msg, "not well-formed XML"));
    msg = error_of("<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"/>\n", "en");
    CHECK(strstr(msg, "bad.srx: not an SRX file"));
    msg = error_of(SRX_HEAD("yes")
                   "<languagerules><languagerule languagerulename=\"L\">\n"
                   "<rule break=\"no\"><beforebreak>Mr\\.</beforebreak>"
                   "<afterbreak>[A-Z</afterbreak></rule>\n"
                   "</languagerule></languagerules>\n"
                   "<maprules><languagemap languagepattern=\".*\" languagerulename=\"L\"/>"
                   "</maprules></body></srx>\n",
                   "en");
    CHECK(strstr(msg, "bad.srx:6:") && strstr(msg, "after-break") && strstr(msg, "\"L\""));
    msg = error_of(SRX_HEAD("yes")
                   "<languagerules><languagerule languagerulename=\"L\"/></languagerules>\n"
                   "<maprules><languagemap languagepattern=\".*\" languagerulename=\"M\"/>"
                   "</maprules></body></srx>\n",
                   "en");
    CHECK(strstr(msg, "bad.srx:6:") && strstr(msg, "\"M\""));
    msg = error_of(SRX_HEAD("maybe") "<languagerules/><maprules/></body></srx>\n", "en");
    CHECK(strstr(msg, "cascade"));
    msg = error_of(SRX_HEAD("yes")
                   "<languagerules><languagerule languagerulename=\"L\">\n"
                   "<rule break=\"sometimes\"><beforebreak>x</beforebreak></rule>\n"
                   "</languagerule></languagerules>\n"
                   "<maprules/></body></srx>\n",
                   "en");
    CHECK(strstr(msg, "bad.srx:6:") && strstr(msg, "break"));
}

/* The built-in rules: an SRX file that asks for ICU and has rules for uk, ru and en. */
static void test_default_rules(void) {
    xlate_error err = {0};
    xlate_srx *srx = NULL;
    CHECK_INT(xlate_srx_load_default(&srx, &err), 0);
    if (!srx)
        return;
    CHECK_INT(xlate_srx_wants_icu(srx), 1);
    CHECK_INT(xlate_srx_cascades(srx), 1);
    const char *langs[] = {"uk", "ru", "en", "de"};
    size_t counts[4] = {0};
    for (int i = 0; i < 4; i++) {
        xlate_srx_rules *r = NULL;
        CHECK_INT(xlate_srx_rules_new(srx, langs[i], &r, &err), 0);
        counts[i] = r ? xlate_srx_rules_count(r) : 0;
        xlate_srx_rules_free(r);
    }
    /* Each language adds its own rules to the ones every language has. */
    CHECK(counts[0] > counts[3] && counts[1] > counts[3] && counts[2] > counts[3]);
    CHECK(counts[3] > 0);
    xlate_srx_free(srx);

    /* The file in the source tree is the one built in. */
    xlate_srx *file = NULL;
    CHECK_INT(xlate_srx_load(TEST_DATA_DIR "/../core/rules/default.srx", &file, &err), 0);
    xlate_srx_free(file);
}

/* --srx replaces the built-in rules: the segmenter follows the file and nothing else. */
static void test_segmenter_with_srx_file(void) {
    char path[] = "/tmp/test_srx_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    CHECK(f != NULL);
    if (!f)
        return;
    fputs(SRX_HEAD("yes")
          "<languagerules><languagerule languagerulename=\"Colon\">\n"
          "<rule break=\"yes\"><beforebreak>:</beforebreak><afterbreak>\\s</afterbreak></rule>\n"
          "</languagerule></languagerules>\n"
          "<maprules><languagemap languagepattern=\".*\" languagerulename=\"Colon\"/></maprules>\n"
          "</body></srx>\n",
          f);
    fclose(f);
    xlate_error err = {0};
    xlate_segmenter *s = NULL;
    CHECK_INT(xlate_segmenter_new("uk", path, &s, &err), 0);
    const char *text = "Він сказав: завтра. Потім пішов.\nДругий рядок: так";
    xlate_span *sp = NULL;
    size_t n = 0;
    if (s)
        CHECK_INT(xlate_segmenter_split(s, text, strlen(text), &sp, &n, &err), 0);
    /* Breaks after the colons only (no ICU: the file does not ask for it), and at the line. */
    CHECK_INT(n, 4);
    if (n == 4) {
        CHECK_INT(sp[0].end, strlen("Він сказав:"));
        CHECK_INT(sp[1].end, strlen("Він сказав: завтра. Потім пішов."));
        CHECK_INT(sp[3].end, strlen(text));
    }
    free(sp);
    xlate_segmenter_free(s);
    remove(path);
}

int main(void) {
    test_cascade();
    test_first_matching_rule_decides();
    test_fallback_is_the_last_rule();
    test_srx10_and_empty_expressions();
    test_files_of_other_tools();
    test_search_paths_agree();
    test_errors_name_file_line_and_rule();
    test_default_rules();
    test_segmenter_with_srx_file();
    return check_result("test_srx");
}
