/*
 * test_srx: SRX 2.0 as the standard has it — language maps and cascading, break and no-break
 * rules tried in order with the first match deciding, no break where no rule matches, SRX 1.0
 * map rules, files written for other tools (Okapi's header extensions, CDATA, long look-behinds),
 * and errors that name the file, the line and the rule. Then the shortcuts: what srx_shape reads
 * from an expression must hold for every match ICU finds, and rules give the same breaks with the
 * shortcuts as without them. Last, copies of compiled rules (one a batch worker) decide alike,
 * also on two threads at once, and name a failing rule as the rules they copy do.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <unicode/uregex.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "check.h"
#include "segment.h"
#include "srx.h"
#include "srx_shape.h"

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
    /* Either step may refuse the rules; the message is what is under test, from whichever. */
    if (xlate_srx_parse(xml, strlen(xml), "bad.srx", &srx, &err) == 0 &&
        xlate_srx_rules_new(srx, lang, &r, &err) == 0)
        CHECK(err.message == NULL);
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
    CHECK_INT(xlate_srx_load(TEST_DATA_DIR "/../core/segment/rules/default.srx", &file, &err), 0);
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

/* ---------------------------------------------------------------- blocks ------------------ */

/* A segmenter for the rules `body` (inside <languagerule>, for every language, with ICU). */
static xlate_segmenter *segmenter_for_rules(const char *body) {
    char path[] = "/tmp/test_srx_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    CHECK(f != NULL);
    if (!f)
        return NULL;
    fprintf(f,
            "<?xml version=\"1.0\"?>\n"
            "<srx xmlns=\"http://www.lisa.org/srx20\" xmlns:xlate=\"urn:x-xlate:srx\" "
            "version=\"2.0\"><header cascade=\"yes\"><xlate:options icu=\"yes\"/></header><body>\n"
            "<languagerules><languagerule languagerulename=\"R\">\n%s\n</languagerule>"
            "</languagerules>\n<maprules><languagemap languagepattern=\".*\" "
            "languagerulename=\"R\"/></maprules></body></srx>\n",
            body);
    fclose(f);
    xlate_error err = {0};
    xlate_segmenter *s = NULL;
    CHECK_INT(xlate_segmenter_new("uk", path, &s, &err), 0);
    xlate_error_clear(&err);
    remove(path);
    return s;
}

/* The blocks `text` took with blocks of 64 bytes, after checking that they give the spans the
 * whole text at once gives. */
static size_t blocks_agree(xlate_segmenter *s, const char *text) {
    xlate_error err = {0};
    xlate_span *whole = NULL, *blocks = NULL;
    size_t n_whole = 0, n_blocks = 0, len = strlen(text);
    xlate_segmenter_set_block_bytes(s, 0);
    CHECK_INT(xlate_segmenter_split(s, text, len, &whole, &n_whole, &err), 0);
    CHECK_INT(xlate_segmenter_last_blocks(s), 1);
    xlate_segmenter_set_block_bytes(s, 64);
    CHECK_INT(xlate_segmenter_split(s, text, len, &blocks, &n_blocks, &err), 0);
    CHECK(n_whole > 10);
    CHECK(n_whole == n_blocks && memcmp(whole, blocks, n_whole * sizeof *whole) == 0);
    free(whole);
    free(blocks);
    xlate_error_clear(&err);
    return xlate_segmenter_last_blocks(s);
}

/* A long text is segmented a block at a time with the context of the text around each block;
 * where the rules could need more (a rule that reads ahead to the end of the context, an
 * expression with no bounded look-back, a break rule that matches over a line end) it is taken
 * at once. Either way the spans are those of the whole text. */
static void test_blocks_with_srx_files(void) {
    char *text = malloc(300000);
    size_t len = 0;
    for (int i = 0; len < 280000; i++)
        len += (size_t)sprintf(text + len, "Речення %d. Друге: так.\n\n", i);
    xlate_segmenter *s = segmenter_for_rules(
        "<rule break=\"yes\"><beforebreak>:</beforebreak><afterbreak>\\s</afterbreak></rule>");
    if (s)
        CHECK(blocks_agree(s, text) > 100);
    xlate_segmenter_free(s);
    /* No break where a # follows anywhere ahead, as it does at the end of 40 KB: each full stop
     * reads on past its block's context. */
    char *hash = malloc(41000);
    size_t n_hash = 0;
    for (int i = 0; n_hash < 40000; i++)
        n_hash += (size_t)sprintf(hash + n_hash, "Речення %d. Друге.\n\n", i);
    sprintf(hash + n_hash, "#\n");
    s = segmenter_for_rules("<rule break=\"no\"><beforebreak>\\.</beforebreak>"
                            "<afterbreak>[^#]*#</afterbreak></rule>");
    if (s)
        CHECK_INT(blocks_agree(s, hash), 1);
    xlate_segmenter_free(s);
    free(hash);
    s = segmenter_for_rules("<rule break=\"no\"><beforebreak>\\p{L}+\\s\\d+\\.</beforebreak>"
                            "<afterbreak>\\s</afterbreak></rule>");
    if (s)
        CHECK_INT(blocks_agree(s, text), 1);
    xlate_segmenter_free(s);
    s = segmenter_for_rules("<rule break=\"yes\"><beforebreak>\\.\\s+</beforebreak>"
                            "<afterbreak>\\p{Lu}</afterbreak></rule>");
    if (s)
        CHECK_INT(blocks_agree(s, text), 1);
    xlate_segmenter_free(s);
    free(text);
}

/* ---------------------------------------------------------------- shapes ------------------ */

static int utf16_of(const char *s, UChar *u, int32_t cap) {
    int32_t n = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8(u, cap, &n, s, -1, &status);
    return U_SUCCESS(status) ? n : -1;
}

/* Whether the trie of `pattern` lets a match end at the end of `text`. */
static int suffix_fits(xlate_shape_reader *r, const char *pattern, const char *text) {
    xlate_shape s;
    if (xlate_shape_read(r, pattern, &s) != 0 || !s.suffixes)
        return -1;
    UChar u[128];
    int32_t n = utf16_of(text, u, 128);
    return xlate_suffix_trie_may_end_at(s.suffixes, u, n);
}

static void test_shapes(void) {
    xlate_shape_reader *r = xlate_shape_reader_new();
    CHECK(r != NULL);
    if (!r)
        return;
    xlate_shape s;
    CHECK_INT(xlate_shape_read(r, "\\.[»\"]*", &s), 0);
    CHECK_INT(s.min_len, 1);
    CHECK_INT(s.max_len, XLATE_SHAPE_UNBOUNDED);
    CHECK(s.first[0] && xlate_charbits_has(s.first[0], '.') && !xlate_charbits_has(s.first[0], '"'));
    CHECK(s.last[0] && xlate_charbits_has(s.last[0], '.') && xlate_charbits_has(s.last[0], 0xBB) &&
          !xlate_charbits_has(s.last[0], 'a'));
    CHECK(s.first[1] == NULL); /* a match may be one character long */

    CHECK_INT(xlate_shape_read(r, "\\s+[«(]*\\p{Lu}", &s), 0);
    CHECK(!s.space_only && s.first_nonspace);
    CHECK(xlate_charbits_has(s.first_nonspace, 'A') && xlate_charbits_has(s.first_nonspace, 0xAB) &&
          !xlate_charbits_has(s.first_nonspace, 'a') && !xlate_charbits_has(s.first_nonspace, ' '));
    CHECK(s.first[0] && xlate_charbits_has(s.first[0], ' ') && !xlate_charbits_has(s.first[0], 'A'));

    /* (?x): white space and comments are not part of the pattern, also inside sets. */
    CHECK_INT(xlate_shape_read(r, "(?x) a [b c] # d\n e", &s), 0);
    CHECK_INT(s.min_len, 3);
    CHECK(s.first[1] && xlate_charbits_has(s.first[1], 'c') && !xlate_charbits_has(s.first[1], ' '));
    CHECK(s.last[0] && xlate_charbits_has(s.last[0], 'e') && !xlate_charbits_has(s.last[0], 'd'));

    /* A look-behind at the end tells about the text before the end. */
    CHECK_INT(xlate_shape_read(r, "р\\.(?<=\\d\\sр\\.)", &s), 0);
    CHECK_INT(s.n_tails, 1);
    CHECK(s.n_tails == 1 && s.tails[0].last[2] && xlate_charbits_has(s.tails[0].last[2], ' ') &&
          !xlate_charbits_has(s.tails[0].last[2], 'a'));

    /* Case-insensitive parts are any text; what the reader does not know claims nothing. */
    CHECK_INT(xlate_shape_read(r, "(?i:ab)c", &s), 0);
    CHECK_INT(s.min_len, 1);
    CHECK_INT(s.max_len, XLATE_SHAPE_UNBOUNDED);
    CHECK_INT(xlate_shape_read(r, "(a)\\1", &s), -1);
    CHECK(s.min_len == 0 && s.space_only && !s.first[0] && !s.last[0] && !s.all && !s.suffixes);
    CHECK_INT(xlate_shape_read(r, "a\\Xb", &s), -1);

    /* Finitely many strings: a trie, with the word boundary at their start. */
    CHECK_INT(suffix_fits(r, "\\b(?:Mr|Dr?)\\.", "Hi Mr."), 1);
    CHECK_INT(suffix_fits(r, "\\b(?:Mr|Dr?)\\.", "Hi D."), 1);
    CHECK_INT(suffix_fits(r, "\\b(?:Mr|Dr?)\\.", "Mr."), 1);
    CHECK_INT(suffix_fits(r, "\\b(?:Mr|Dr?)\\.", "HiMr."), 0);
    CHECK_INT(suffix_fits(r, "\\b(?:Mr|Dr?)\\.", "Hi Xr."), 0);
    CHECK_INT(suffix_fits(r, "\\b(?:Mr|Dr?)\\.", "Hi Mr"), 0);
    CHECK_INT(suffix_fits(r, "н\\.\\s?п\\.", "н. п."), 1);
    CHECK_INT(suffix_fits(r, "н\\.\\s?п\\.", "н.п."), 1);
    CHECK_INT(suffix_fits(r, "a+\\.", "aa."), -1); /* infinitely many strings: no trie */
    xlate_shape_reader_free(r);
}

/* Every set the reader builds holds exactly the BMP characters ICU's matcher takes, whether the
 * reader built it itself or asked the matcher. */
static void test_shape_sets_agree_with_icu(void) {
    static const char *const atoms[] = {
        "[.?!…]", "[»\"”“’')\\]]", "[–—-]", "\\p{Lu}", "\\P{Ll}", "[\\p{L}\\p{N}ʼ'’-]",
        "[\\d/]", "[^\\s(«\"„“‘'\\[]", "[\\p{L}\\p{N}_/@%&=#~+]", "[[\\p{Ll}&&\\p{Script=Cyrillic}]--[ая]]",
        "[a-zA-Z0-9]", "[а-я]", "[^a-c]", "\\s", "\\S", "\\d", "\\w", "\\W", "\\h", "[\\-\\^]", "[-a]",
        "\\x{41}", "\\u0410", ".",
    };
    static UChar bmp[0x10000];
    int32_t n = 0;
    for (UChar32 c = 0; c < 0x10000; c++)
        if (!U16_IS_SURROGATE(c))
            bmp[n++] = (UChar)c;
    xlate_shape_reader *r = xlate_shape_reader_new();
    for (size_t a = 0; r && a < sizeof atoms / sizeof atoms[0]; a++) {
        for (int comments = 0; comments < 2; comments++) {
            char pattern[128];
            snprintf(pattern, sizeof pattern, "%s%s", comments ? "(?x)" : "", atoms[a]);
            UErrorCode status = U_ZERO_ERROR;
            URegularExpression *re = uregex_openC(pattern, UREGEX_MULTILINE, NULL, &status);
            if (U_FAILURE(status))
                continue; /* "#" starts a comment under (?x), also inside a set */
            xlate_shape s;
            int read = xlate_shape_read(r, pattern, &s);
            if (read != 0)
                fprintf(stderr, "cannot read %s\n", pattern);
            CHECK_INT(read, 0);
            uregex_setText(re, bmp, n, &status);
            int wrong = 0;
            for (int32_t i = 0; i < n && U_SUCCESS(status); i++) {
                uregex_setRegion(re, i, i + 1, &status);
                int icu = uregex_matches(re, -1, &status);
                int ours = !s.first[0] || xlate_charbits_has(s.first[0], bmp[i]);
                /* "." takes any character in the shape: more than ICU is allowed there */
                if (strcmp(atoms[a], ".") == 0 ? icu && !ours : icu != ours)
                    wrong++;
            }
            if (wrong)
                fprintf(stderr, "set %s (comments %d): %d characters differ\n", atoms[a],
                        comments, wrong);
            CHECK_INT(wrong, 0);
            CHECK(U_SUCCESS(status));
            uregex_close(re);
        }
    }
    xlate_shape_reader_free(r);
}

/* The trie's word boundary is never stricter than ICU's \b: wherever ICU finds a boundary before
 * a word character, the trie lets the string start. */
static void test_word_boundary_is_never_stricter(void) {
    xlate_shape_reader *r = xlate_shape_reader_new();
    xlate_shape s;
    CHECK(r && xlate_shape_read(r, "\\bя", &s) == 0 && s.suffixes);
    if (!r || !s.suffixes) {
        xlate_shape_reader_free(r);
        return;
    }
    UErrorCode status = U_ZERO_ERROR;
    URegularExpression *re = uregex_openC("(?<=\\bя)", 0, NULL, &status);
    uregex_useTransparentBounds(re, 1, &status);
    int missed = 0;
    for (UChar32 c = 0; c < 0x10000 && U_SUCCESS(status); c++) {
        if (U16_IS_SURROGATE(c))
            continue;
        UChar text[3] = {'x', (UChar)c, 0x44F};
        uregex_setText(re, text, 3, &status);
        uregex_setRegion(re, 3, 3, &status);
        if (uregex_lookingAt(re, -1, &status) && !xlate_suffix_trie_may_end_at(s.suffixes, text, 3))
            missed++;
    }
    CHECK_INT(missed, 0);
    CHECK(U_SUCCESS(status));
    uregex_close(re);
    xlate_shape_reader_free(r);
}

/* ---------------------------------------------------------------- shortcuts --------------- */

/* A text of the rules' favourite characters in a fixed pseudo-random order: abbreviations,
 * initials, numbers, quotes, dashes, odd white space, combining marks, format characters and
 * characters outside the BMP. */
static int32_t tricky_text(UChar *u, int32_t cap) {
    static const char *const tokens[] = {
        "вул", "проф", "р", "рр", "м", "т", "д", "п", "ін", "та", "США", "дол", "Київ", "року",
        "Mr", "Dr", "U", "S", "e", "g", "The", "He", "and", "Є", "Б", "Дж", "J", "R", "у",
        "2024", "1", "5", "24", "05", "IV", ".", ".", ".", ". ", ". ", "? ", "! ", "… ", "...",
        "»", "«", "\"", "“", "”", "’", "'", "(", ")", "[", "]", " – ", " — ", " - ", "-", ",",
        ":", ";", " ", " ", " ", "  ", "\t", "\u00a0", "\u2009", "\u2028", "\n", "\u0301",
        "\u200d", "😀", "𝐀", "ʼ", "/", "@", "%", "&", "=", "#", "~", "+", "_", "é", "ß",
    };
    uint32_t state = 12345;
    int32_t n = 0;
    for (;;) {
        state = state * 1103515245u + 12345u;
        const char *t = tokens[(state >> 8) % (sizeof tokens / sizeof tokens[0])];
        UChar piece[16];
        int32_t k = utf16_of(t, piece, 16);
        if (k < 0 || n + k >= cap)
            return n;
        memcpy(u + n, piece, (size_t)k * sizeof *u);
        n += k;
    }
}

static const char tricky_rules[] =
    SRX_HEAD("yes")
    "<languagerules><languagerule languagerulename=\"T\">\n"
    "<rule break=\"no\"><beforebreak>\\b(?:Mr|Dr|т\\.\\s?д|вул)\\.</beforebreak><afterbreak>\\s</afterbreak></rule>\n"
    "<rule break=\"no\"><beforebreak>(?x) [[\\p{Ll}&amp;&amp;\\p{Script=Cyrillic}]--[аеи]] \\. # comment\n"
    "  (?&lt;= \\b (?: (?=\\p{Ll}) (?: в(?:ул)? | р | т\\.\\s?д ) ) \\.)</beforebreak><afterbreak></afterbreak></rule>\n"
    "<rule break=\"no\"><beforebreak>р\\.(?&lt;=(?:^|[.!?…]\\s|,\\s)(?i:у|в)\\s\\d{4}\\sрр?\\.)</beforebreak>"
    "<afterbreak>\\s+\\p{Lu}</afterbreak></rule>\n"
    "<rule break=\"yes\"><beforebreak>…[»\"”“’')\\]]*</beforebreak><afterbreak>\\s+[«\"„“‘'(\\[]*\\p{Lu}</afterbreak></rule>\n"
    "<rule break=\"no\"><beforebreak>(?:\\p{Lu}(?&lt;![^\\s(«]\\p{Lu})|ж(?&lt;=\\bДж))\\.</beforebreak><afterbreak>\\s*\\p{Lu}</afterbreak></rule>\n"
    "<rule break=\"no\"><beforebreak>\\w+\\s*</beforebreak><afterbreak>[,;]</afterbreak></rule>\n"
    "<rule break=\"yes\"><beforebreak>[.?!]+[\\p{Pe}\\p{Po}\"]*</beforebreak><afterbreak>\\s</afterbreak></rule>\n"
    "<rule break=\"yes\"><beforebreak>\\.</beforebreak><afterbreak>(?=\\s+\\d)</afterbreak></rule>\n"
    "<rule break=\"yes\"><beforebreak>😀|𝐀</beforebreak><afterbreak></afterbreak></rule>\n"
    "<rule break=\"no\"><beforebreak>(?i)mr\\.</beforebreak><afterbreak>\\s+\\p{Lu}</afterbreak></rule>\n"
    "<rule break=\"yes\"><beforebreak>[:;]</beforebreak><afterbreak>\\s+-</afterbreak></rule>\n"
    "<rule break=\"no\"><beforebreak></beforebreak><afterbreak>\\u0301</afterbreak></rule>\n"
    "<rule break=\"yes\"><beforebreak>\\n</beforebreak><afterbreak></afterbreak></rule>\n"
    "</languagerule></languagerules>\n"
    "<maprules><languagemap languagepattern=\".*\" languagerulename=\"T\"/></maprules>\n"
    "</body></srx>\n";

/* The breaks of `r` over `u`, with the shortcuts on or off, as a heap array. */
static int32_t *breaks_with(xlate_srx_rules *r, int shortcuts, const UChar *u, int32_t n,
                            const int32_t *fallback, size_t n_fallback, size_t *count) {
    xlate_error err = {0};
    int32_t *b = NULL;
    xlate_srx_rules_use_shortcuts(r, shortcuts);
    if (xlate_srx_rules_breaks(r, u, n, fallback, n_fallback, &b, count, &err) != 0) {
        fprintf(stderr, "breaks failed: %s\n", err.message);
        xlate_error_clear(&err);
        check_failures++;
        *count = 0;
    }
    return b;
}

static void check_shortcuts_change_nothing(const xlate_srx *srx, const char *lang, const UChar *u,
                                           int32_t n, const int32_t *fallback, size_t n_fallback) {
    xlate_error err = {0};
    xlate_srx_rules *r = NULL;
    CHECK_INT(xlate_srx_rules_new(srx, lang, &r, &err), 0);
    if (!r) {
        xlate_error_clear(&err);
        return;
    }
    size_t n_on = 0, n_off = 0;
    int32_t *on = breaks_with(r, 1, u, n, fallback, n_fallback, &n_on);
    int32_t *off = breaks_with(r, 0, u, n, fallback, n_fallback, &n_off);
    CHECK(n_off > 10); /* the text gives the rules work */
    CHECK_INT(n_on, n_off);
    if (n_on == n_off)
        CHECK(memcmp(on, off, n_on * sizeof *on) == 0);
    free(on);
    free(off);
    xlate_srx_rules_free(r);
}

/* A check of one rule set on a text, the positions ICU offered beside it. */
typedef void rules_check(const xlate_srx *srx, const char *lang, const UChar *u, int32_t n,
                         const int32_t *fallback, size_t n_fallback);

/* Runs `check` on the tricky rules and on the built-in rules of each of `langs`, over up to
 * `units` of the tricky text, with every 7th position as if ICU had offered it. */
static void check_tricky_text(rules_check *check, const char *const *langs, size_t n_langs,
                              int32_t units) {
    static UChar u[60000];
    static int32_t fallback[60000 / 7];
    int32_t n = tricky_text(u, units < 60000 ? units : 60000);
    size_t n_fallback = 0;
    for (int32_t p = 7; p < n; p += 7)
        fallback[n_fallback++] = p;

    xlate_srx *tricky = parse_ok(tricky_rules);
    if (tricky)
        check(tricky, "xx", u, n, fallback, n_fallback);
    xlate_srx_free(tricky);

    xlate_error err = {0};
    xlate_srx *builtin = NULL;
    CHECK_INT(xlate_srx_load_default(&builtin, &err), 0);
    for (size_t i = 0; builtin && i < n_langs; i++)
        check(builtin, langs[i], u, n, fallback, n_fallback);
    xlate_srx_free(builtin);
}

static void test_shortcuts_change_nothing(void) {
    static const char *const langs[] = {"uk", "ru", "en", "de"};
    check_tricky_text(check_shortcuts_change_nothing, langs, 4, 60000);
}

/* --- copies of compiled rules (a batch's workers) ------------------------------------------- */

typedef struct clone_run {
    xlate_srx_rules *rules;
    const UChar *text;
    int32_t n;
    const int32_t *fallback;
    size_t n_fallback;
    int32_t *breaks;
    size_t n_breaks;
} clone_run;

/* The breaks of a run's text, found ten times over: a thread that shared a matcher with another
 * would see its text change under it and find other breaks at some turn. */
static void *find_breaks_repeatedly(void *arg) {
    clone_run *run = arg;
    for (int turn = 0; turn < 10; turn++) {
        size_t n = 0;
        int32_t *b = breaks_with(run->rules, 1, run->text, run->n, run->fallback, run->n_fallback, &n);
        if (turn > 0 && (n != run->n_breaks || memcmp(b, run->breaks, n * sizeof *b) != 0))
            run->n_breaks = SIZE_MAX; /* checked by the caller, which owns check_failures */
        free(run->breaks);
        run->breaks = b;
        if (run->n_breaks != SIZE_MAX)
            run->n_breaks = n;
    }
    return NULL;
}

/* Clones decide every place as the rules they copy, and two of them run at once on two threads
 * without disturbing each other (each has its own matchers, the compiled patterns shared). */
static void check_clones_decide_alike(const xlate_srx *srx, const char *lang, const UChar *u,
                                      int32_t n, const int32_t *fallback, size_t n_fallback) {
    xlate_error err = {0};
    xlate_srx_rules *proto = NULL, *a = NULL, *b = NULL;
    CHECK_INT(xlate_srx_rules_new(srx, lang, &proto, &err), 0);
    if (!proto)
        return;
    CHECK_INT(xlate_srx_rules_clone(proto, &a, &err), 0);
    CHECK_INT(xlate_srx_rules_clone(proto, &b, &err), 0);
    CHECK_INT(xlate_srx_rules_count(a), xlate_srx_rules_count(proto));
    size_t n_proto = 0;
    int32_t *want = breaks_with(proto, 1, u, n, fallback, n_fallback, &n_proto);
    CHECK(n_proto > 10);
    clone_run runs[2] = {{a, u, n, fallback, n_fallback, NULL, 0},
                         {b, u, n, fallback, n_fallback, NULL, 0}};
    pthread_t other;
    CHECK_INT(pthread_create(&other, NULL, find_breaks_repeatedly, &runs[1]), 0);
    find_breaks_repeatedly(&runs[0]);
    pthread_join(other, NULL);
    for (int i = 0; i < 2; i++) {
        if (runs[i].n_breaks != n_proto || memcmp(runs[i].breaks, want, n_proto * sizeof *want) != 0) {
            fprintf(stderr, "%s: clone %d found other breaks than the rules it copies\n", lang, i);
            CHECK(0);
        }
        free(runs[i].breaks);
    }
    free(want);
    xlate_srx_rules_free(a);
    /* the other clone still works once its sibling is gone */
    size_t n_b = 0;
    want = breaks_with(b, 1, u, n, fallback, n_fallback, &n_b);
    CHECK_INT(n_b, n_proto);
    free(want);
    xlate_srx_rules_free(b);
    xlate_srx_rules_free(proto);
}

static void test_clones(void) {
    static const char *const langs[] = {"uk", "ru", "en"};
    check_tricky_text(check_clones_decide_alike, langs, 3, 20000);
}

/* A clone whose rule backtracks without end fails as its prototype does, naming the file, the
 * line and the rule (the names are the prototype's, read by the clone). */
static void test_clone_names_a_failing_rule(void) {
    static const char nested[] =
        SRX_HEAD("yes")
        "<languagerules><languagerule languagerulename=\"Any\">\n"
        "<rule break=\"yes\"><beforebreak>(.*a){12}x</beforebreak><afterbreak>\\s</afterbreak></rule>\n"
        "</languagerule></languagerules>\n"
        "<maprules><languagemap languagepattern=\".*\" languagerulename=\"Any\"/></maprules>\n"
        "</body></srx>\n";
    xlate_srx *srx = parse_ok(nested);
    xlate_error err = {0}, proto_err = {0};
    xlate_srx_rules *proto = NULL, *copy = NULL;
    if (!srx)
        return;
    CHECK_INT(xlate_srx_rules_new(srx, "en", &proto, &err), 0);
    xlate_srx_free(srx); /* the rules keep what they need of the parsed file */
    if (!proto)
        return;
    CHECK_INT(xlate_srx_rules_clone(proto, &copy, &err), 0);
    UChar u[200];
    int32_t n = 0;
    for (; n < 180; n++)
        u[n] = 'a';
    int32_t *b = NULL;
    size_t nb = 0;
    CHECK_INT(xlate_srx_rules_breaks(proto, u, n, NULL, 0, &b, &nb, &proto_err), -1);
    free(b);
    b = NULL;
    CHECK_INT(xlate_srx_rules_breaks(copy, u, n, NULL, 0, &b, &nb, &err), -1);
    free(b);
    CHECK(err.message && strstr(err.message, "test.srx:6:") && strstr(err.message, "(.*a){12}x"));
    CHECK_STR(err.message, proto_err.message ? proto_err.message : "");
    xlate_error_clear(&err);
    xlate_error_clear(&proto_err);
    xlate_srx_rules_free(copy);
    xlate_srx_rules_free(proto);
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
    test_blocks_with_srx_files();
    test_shapes();
    test_shape_sets_agree_with_icu();
    test_word_boundary_is_never_stricter();
    test_shortcuts_change_nothing();
    test_clones();
    test_clone_names_a_failing_rule();
    return check_result("test_srx");
}
