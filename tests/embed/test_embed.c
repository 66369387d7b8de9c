/*
 * Tests of the embedding API (include/xlate/xlate.h) as a program using libxlate sees it:
 * sessions, the chain and its errors, each output format, partial failure, bad arguments and
 * bad input, and two sessions running at once. Uses only the public header.
 */
#include <ctype.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "xlate/xlate.h"

#define PLUGIN_DIR BUILD_ROOT "/tests/plugins"

static const char article[] = "Kyiv is big. Lviv too.\n\nNew paragraph here.\n";

static xlate_session *session_with_test_plugins(void) {
    xlate_session_options o = XLATE_SESSION_OPTIONS_INIT;
    o.plugin_path = PLUGIN_DIR;
    xlate_session *s = NULL;
    CHECK_INT(xlate_session_new(&o, &s), XLATE_OK);
    CHECK(s != NULL);
    return s;
}

static char *upper(const char *s) {
    char *u = strdup(s);
    if (!u)
        abort();
    for (char *p = u; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return u;
}

static void test_version_and_options(void) {
    CHECK(strlen(xlate_version()) > 0);
    xlate_session_options o;
    CHECK_INT(xlate_session_options_init(&o, XLATE_SESSION_OPTIONS_VERSION), XLATE_OK);
    CHECK_INT(o.version, XLATE_SESSION_OPTIONS_VERSION);
    CHECK(o.source_lang == NULL && o.batch_size == 0);
    CHECK_INT(xlate_session_options_init(&o, 99), XLATE_EINVAL);
    CHECK_INT(xlate_session_options_init(NULL, XLATE_SESSION_OPTIONS_VERSION), XLATE_EINVAL);

    xlate_session *s = NULL;
    o.version = 99;
    CHECK_INT(xlate_session_new(&o, &s), XLATE_EINVAL);
    CHECK(s != NULL); /* kept, to say why */
    CHECK(strstr(xlate_session_errmsg(s), "XLATE_SESSION_OPTIONS_VERSION") != NULL);
    xlate_session_free(s);

    xlate_session_options_init(&o, XLATE_SESSION_OPTIONS_VERSION);
    o.encoding = "no-such-encoding";
    s = NULL;
    CHECK_INT(xlate_session_new(&o, &s), XLATE_EINVAL);
    CHECK(strstr(xlate_session_errmsg(s), "no-such-encoding") != NULL);
    xlate_session_free(s);
    CHECK_INT(xlate_session_new(NULL, NULL), XLATE_EINVAL);
}

/* xlate_session_options as version 1 of the header declared it. */
typedef struct options_v1 {
    unsigned int version;
    const char *source_lang, *target_lang, *plugin_path, *encoding, *srx_path;
    size_t batch_size;
} options_v1;

/* A program built against version 1 of the options has a shorter struct: the library reads and
 * writes no byte past it, and gives the later fields their defaults. */
static void test_options_version_1(void) {
    const size_t v1_size = offsetof(xlate_session_options, log);
    xlate_session_options full;
    memset(&full, 0xAB, sizeof full);
    CHECK_INT(xlate_session_options_init(&full, 1), XLATE_OK);
    CHECK_INT(full.version, 1);
    CHECK(full.plugin_path == NULL && full.batch_size == 0);
    size_t touched = 0;
    for (size_t i = v1_size; i < sizeof full; i++)
        touched += ((const unsigned char *)&full)[i] != 0xAB;
    CHECK_INT(touched, 0);

    CHECK_INT(sizeof(options_v1), v1_size);
    options_v1 *v1 = malloc(sizeof *v1); /* on the heap, so ASan sees a read past its end */
    CHECK(v1 != NULL);
    memcpy(v1, &full, sizeof *v1);
    v1->plugin_path = PLUGIN_DIR;
    xlate_session *s = NULL;
    CHECK_INT(xlate_session_new((const xlate_session_options *)v1, &s), XLATE_OK);
    CHECK_INT(xlate_session_add_plugin(s, "testtrans"), XLATE_OK);
    xlate_session_free(s);
    free(v1);

    xlate_session_options o = XLATE_SESSION_OPTIONS_INIT;
    o.log_level = (xlate_log_level)7;
    CHECK_INT(xlate_session_new(&o, &s), XLATE_EINVAL);
    CHECK(strstr(xlate_session_errmsg(s), "log_level") != NULL);
    xlate_session_free(s);
}

static void test_chain_errors(void) {
    xlate_session *s = session_with_test_plugins();
    CHECK_INT(xlate_session_add_plugin(s, "nosuch"), XLATE_ENOTFOUND);
    CHECK(strstr(xlate_session_errmsg(s), "unknown plugin 'nosuch'") != NULL);
    CHECK(strstr(xlate_session_errmsg(s), "testtrans") != NULL); /* lists what exists */
    /* A library user has no command line: the message names the session's setting. */
    CHECK(strstr(xlate_session_errmsg(s), "--plugin-path") == NULL);
    CHECK(strstr(xlate_session_errmsg(s), "plugin_path") != NULL);
    CHECK_INT(xlate_session_add_plugin(s, PLUGIN_DIR "/absent.so"), XLATE_ENOTFOUND);
    CHECK_INT(xlate_session_add_plugin(s, "testtrans:colour=red"), XLATE_EINVAL);
    CHECK(strstr(xlate_session_errmsg(s), "colour") != NULL);
    CHECK_INT(xlate_session_add_plugin(s, PLUGIN_DIR "/wrong_abi.so"), XLATE_ERROR);
    CHECK(strstr(xlate_session_errmsg(s), "ABI 99") != NULL);
    CHECK_INT(xlate_session_add_plugin(s, "create_fails"), XLATE_ERROR);
    CHECK(strstr(xlate_session_errmsg(s), "/nonexistent/model.bin") != NULL);
    CHECK_INT(xlate_session_plugin_count(s), 0); /* every failure left the chain as it was */
    CHECK_INT(xlate_session_add_plugin(s, "testtrans"), XLATE_OK);
    CHECK_STR(xlate_session_errmsg(s), "");
    CHECK_INT(xlate_session_plugin_count(s), 1);
    CHECK_INT(xlate_session_add_plugin(s, NULL), XLATE_EINVAL);
    CHECK_INT(xlate_session_add_plugin(NULL, "testtrans"), XLATE_EINVAL);
    xlate_session_free(s);
}

static void test_formats(void) {
    xlate_session *s = session_with_test_plugins();
    CHECK_INT(xlate_session_add_plugin(s, "testtrans"), XLATE_OK);
    char *out = NULL;
    size_t len = 0;
    /* Plain text: every target in its source's place, spacing and paragraphs kept. */
    CHECK_INT(xlate_translate_text(s, article, strlen(article), XLATE_OUTPUT_TEXT, &out, &len), XLATE_OK);
    char *want = upper(article);
    CHECK(out && strcmp(out, want) == 0);
    CHECK_INT(len, strlen(want));
    free(want);
    xlate_free(out);
    size_t segments = 0, failed = 9, filtered = 9, warnings = 9;
    xlate_session_last_counts(s, &segments, &failed, &filtered, &warnings);
    CHECK_INT(segments, 3);
    CHECK_INT(failed + filtered + warnings, 0);

    CHECK_INT(xlate_translate_text(s, article, strlen(article), XLATE_OUTPUT_TSV, &out, &len), XLATE_OK);
    CHECK(out && strncmp(out, "id\t", 3) == 0);
    CHECK(out && strstr(out, "\tLviv too.\tLVIV TOO.\tok") != NULL);
    xlate_free(out);
    CHECK_INT(xlate_translate_text(s, article, strlen(article), XLATE_OUTPUT_JSONL, &out, &len), XLATE_OK);
    CHECK(out && strstr(out, "\"target\":\"NEW PARAGRAPH HERE.\"") != NULL);
    xlate_free(out);
    CHECK_INT(xlate_translate_text(s, article, strlen(article), XLATE_OUTPUT_TMX, &out, &len), XLATE_OK);
    CHECK(out && strstr(out, "<tmx") != NULL && strstr(out, "<seg>KYIV IS BIG.</seg>") != NULL);
    xlate_free(out);

    /* Not NUL-terminated input: only `len` bytes count. */
    CHECK_INT(xlate_translate_text(s, "abc.XYZ", 4, XLATE_OUTPUT_TEXT, &out, &len), XLATE_OK);
    CHECK_STR(out, "ABC.");
    xlate_free(out);
    CHECK_INT(xlate_translate_text(s, "", 0, XLATE_OUTPUT_TEXT, &out, &len), XLATE_OK);
    CHECK_STR(out, "");
    xlate_free(out);
    xlate_session_free(s);
}

static void test_partial_and_bad_input(void) {
    xlate_session *s = session_with_test_plugins();
    CHECK_INT(xlate_session_add_plugin(s, "testtrans:fail_word=Lviv"), XLATE_OK);
    char *out = NULL;
    size_t len = 0, failed = 0;
    CHECK_INT(xlate_translate_text(s, article, strlen(article), XLATE_OUTPUT_TEXT, &out, &len),
              XLATE_PARTIAL);
    CHECK_STR(out, "KYIV IS BIG. Lviv too.\n\nNEW PARAGRAPH HERE.\n"); /* kept, untranslated */
    xlate_free(out);
    CHECK(strstr(xlate_session_errmsg(s), "segment 2 failed") != NULL);
    CHECK(strstr(xlate_session_errmsg(s), "fail word") != NULL);
    xlate_session_last_counts(s, NULL, &failed, NULL, NULL);
    CHECK_INT(failed, 1);

    out = (char *)"sentinel";
    CHECK_INT(xlate_translate_text(s, article, strlen(article), (xlate_output_format)42, &out, &len),
              XLATE_EINVAL);
    CHECK(out == NULL);
    CHECK_INT(xlate_translate_text(s, article, 3, XLATE_OUTPUT_TEXT, NULL, NULL), XLATE_EINVAL);
    CHECK_INT(xlate_translate_text(NULL, article, 3, XLATE_OUTPUT_TEXT, &out, &len), XLATE_EINVAL);
    CHECK(strlen(xlate_session_errmsg(NULL)) > 0);
    xlate_session_free(s);

    xlate_session_options o = XLATE_SESSION_OPTIONS_INIT;
    o.encoding = "UTF-8";
    CHECK_INT(xlate_session_new(&o, &s), XLATE_OK);
    CHECK_INT(xlate_translate_text(s, "ok \xff\xfe bad", 10, XLATE_OUTPUT_TEXT, &out, &len), XLATE_ERROR);
    CHECK(out == NULL);
    CHECK(strstr(xlate_session_errmsg(s), "byte") != NULL); /* says where */
    xlate_session_free(s);
}

/* Sessions share nothing: two threads translate at once and each gets its own text. */
static void *translate_in_thread(void *arg) {
    const char *text = arg;
    xlate_session *s = session_with_test_plugins();
    char *out = NULL, *want = upper(text);
    size_t len;
    int ok = xlate_session_add_plugin(s, "testtrans") == XLATE_OK;
    for (int i = 0; ok && i < 20; i++) {
        ok = xlate_translate_text(s, text, strlen(text), XLATE_OUTPUT_TEXT, &out, &len) == XLATE_OK &&
             strcmp(out, want) == 0;
        xlate_free(out);
    }
    free(want);
    xlate_session_free(s);
    return ok ? arg : NULL;
}

static void test_sessions_in_parallel(void) {
    pthread_t a, b;
    void *ra = NULL, *rb = NULL;
    char ta[] = "First thread. It translates.", tb[] = "Second one.\n\nAnother paragraph.";
    CHECK_INT(pthread_create(&a, NULL, translate_in_thread, ta), 0);
    CHECK_INT(pthread_create(&b, NULL, translate_in_thread, tb), 0);
    pthread_join(a, &ra);
    pthread_join(b, &rb);
    CHECK(ra == ta && rb == tb);
}

/* Log lines a session's plugins give, kept for the checks. */
typedef struct log_lines {
    char text[4096];
} log_lines;

static void keep_line(void *data, const char *plugin, xlate_log_level level, const char *message) {
    log_lines *l = data;
    size_t at = strlen(l->text);
    snprintf(l->text + at, sizeof l->text - at, "%s/%d: %s\n", plugin, (int)level, message);
}

/* ABI 1.2 through the library: a check added before the translator still runs after it, its
 * warning is in the output with its plugin's name; languages no translator declares are refused
 * as a bad argument, and a check that does not declare them is warned about in the log. */
static void test_check_plugins_and_pairs(void) {
    log_lines lines = {""};
    xlate_session_options o = XLATE_SESSION_OPTIONS_INIT;
    o.plugin_path = PLUGIN_DIR;
    o.source_lang = "en";
    o.target_lang = "x-upper";
    o.log = keep_line;
    o.log_data = &lines;
    xlate_session *s = NULL;
    CHECK_INT(xlate_session_new(&o, &s), XLATE_OK);
    CHECK_INT(xlate_session_add_plugin(s, "testcheck"), XLATE_OK);
    CHECK_INT(xlate_session_add_plugin(s, "testterms"), XLATE_OK);
    CHECK_INT(xlate_session_add_plugin(s, "testcase"), XLATE_OK);
    const char text[] = "NATO met in room [T0].\n";
    char *out = NULL;
    CHECK_INT(xlate_translate_text(s, text, strlen(text), XLATE_OUTPUT_TSV, &out, NULL), XLATE_OK);
    CHECK(out && strstr(out, "OTAN MET IN ROOM [T0].\twarning\ttestcheck: 'NATO' is in the "
                             "source but not in the target\n") != NULL);
    CHECK(out && strstr(out, "no_target") == NULL);
    xlate_free(out);
    size_t warnings = 0;
    xlate_session_last_counts(s, NULL, NULL, NULL, &warnings);
    CHECK_INT(warnings, 1);
    xlate_session_free(s);
    CHECK(strstr(lines.text, "testcheck/1:") == NULL); /* it declares en → x-upper */

    o.target_lang = "x-lower";
    lines.text[0] = '\0';
    CHECK_INT(xlate_session_new(&o, &s), XLATE_OK);
    CHECK_INT(xlate_session_add_plugin(s, "testcheck"), XLATE_OK);
    CHECK(strstr(lines.text, "testcheck/1: it declares no pair for en → x-lower") != NULL);
    CHECK_INT(xlate_session_add_plugin(s, "testtrans"), XLATE_OK);
    /* said once, for the plugin added, not again for each later one */
    CHECK(strstr(strstr(lines.text, "no pair") + 1, "no pair") == NULL);
    xlate_session_free(s);

    o.target_lang = "es";
    CHECK_INT(xlate_session_new(&o, &s), XLATE_OK);
    CHECK_INT(xlate_session_add_plugin(s, "testcase"), XLATE_EINVAL);
    CHECK(strstr(xlate_session_errmsg(s), "no translator in the chain serves en → es") != NULL);
    CHECK(strstr(xlate_session_errmsg(s), "testcase: en→x-upper, en→x-lower") != NULL);
    CHECK_INT(xlate_session_plugin_count(s), 0);
    xlate_session_free(s);
}

int main(void) {
    test_version_and_options();
    test_options_version_1();
    test_chain_errors();
    test_formats();
    test_check_plugins_and_pairs();
    test_partial_and_bad_input();
    test_sessions_in_parallel();
    return check_result("test_embed");
}
