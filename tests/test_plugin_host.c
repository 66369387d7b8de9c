/*
 * Tests of the plugin host: loading by name and by path, refusing broken plugins with a message
 * that names the file and the reason, discovery, and the services plugins use on a batch
 * (targets, terms, placeholders, failures), through the testtrans plugin. The search path and
 * the log sink are only what the caller gives: the environment plays no part.
 */
#include <stdlib.h>

#include "check.h"
#include "plugin_host.h"
#include "xlate_config.h"

#define PLUGIN_DIR BUILD_ROOT "/tests/plugins"

static int contains(const char *s, const char *frag) { return s && strstr(s, frag) != NULL; }

static void expect_load_error(const char *file, int want_rc, int want_status,
                              const char *reason) {
    xlate_plugin_search s = {0};
    xlate_loaded_plugin *p = NULL;
    xlate_error err = {0};
    const char *path = file;
    CHECK_INT(xlate_plugin_load(&s, path, &p, &err), want_rc);
    CHECK_INT(err.status, want_status);
    CHECK(contains(err.message, path));
    CHECK(contains(err.message, reason));
    if (!contains(err.message, reason))
        fprintf(stderr, "  message was: %s\n", err.message ? err.message : "(none)");
    xlate_error_clear(&err);
}

static void test_broken_plugins_are_refused(void) {
    expect_load_error(PLUGIN_DIR "/wrong_abi.so", XLATE_ERROR, XLATE_ERROR,
                      "built for plugin ABI 99.0");
    expect_load_error(PLUGIN_DIR "/no_entry.so", XLATE_ERROR, XLATE_ERROR,
                      "does not export the entry symbol 'xlate_plugin_entry'");
    expect_load_error(PLUGIN_DIR "/not_a_plugin.so", XLATE_ERROR, XLATE_ERROR,
                      "cannot load as a plugin");
    expect_load_error(PLUGIN_DIR "/bad_descriptor.so", XLATE_ERROR, XLATE_ERROR,
                      "lacks create, process or destroy");
    /* A missing file is told apart from a broken one by the status alone. */
    expect_load_error(PLUGIN_DIR "/absent.so", XLATE_ENOTFOUND, XLATE_ENOTFOUND,
                      "no such plugin file");
}

static void test_unknown_name_lists_plugins(void) {
    const char *dirs[] = {PLUGIN_DIR};
    xlate_plugin_search s;
    CHECK_INT(xlate_plugin_search_init(&s, dirs, 1, 0), 0);
    xlate_loaded_plugin *p = NULL;
    xlate_error err = {0};
    CHECK_INT(xlate_plugin_load(&s, "nosuch", &p, &err), XLATE_ENOTFOUND);
    CHECK_INT(err.status, XLATE_ENOTFOUND);
    CHECK(contains(err.message, "unknown plugin 'nosuch'"));
    CHECK(contains(err.message, "testtrans"));
    xlate_error_clear(&err);
    xlate_plugin_search_free(&s);
}

/* The folders are the given ones, the build tree's when asked for, and the installed one:
 * XLATE_PLUGIN_PATH is the command's to read, not the library's. */
static void test_search_path_is_what_the_caller_gives(void) {
    const char *dirs[] = {PLUGIN_DIR, ""};
    xlate_plugin_search s;
    setenv("XLATE_PLUGIN_PATH", "/from/the/environment", 1);
    CHECK_INT(xlate_plugin_search_init(&s, dirs, 2, 0), 0);
    CHECK_INT(s.n_dirs, 2);
    if (s.n_dirs == 2) {
        CHECK_STR(s.dirs[0], PLUGIN_DIR);
        CHECK_STR(s.dirs[1], XLATE_PLUGINDIR);
    }
    xlate_plugin_search_free(&s);
    CHECK_INT(xlate_plugin_search_init(&s, dirs, 1, 1), 0);
    CHECK_INT(s.n_dirs, 3);
    if (s.n_dirs == 3) {
        CHECK_STR(s.dirs[0], PLUGIN_DIR);
        CHECK_STR(s.dirs[1], XLATE_BUILD_PLUGINDIR);
        CHECK_STR(s.dirs[2], XLATE_PLUGINDIR);
    }
    xlate_plugin_search_free(&s);
    unsetenv("XLATE_PLUGIN_PATH");
}

static void count_bad(void *data, const char *path, const char *message) {
    (void)path;
    (void)message;
    (*(int *)data)++;
}

static void test_discovery(void) {
    const char *dirs[] = {PLUGIN_DIR};
    xlate_plugin_search s;
    CHECK_INT(xlate_plugin_search_init(&s, dirs, 1, 0), 0);
    CHECK_STR(s.dirs[0], PLUGIN_DIR);
    xlate_loaded_plugin **found = NULL;
    size_t n = 0;
    int bad = 0;
    CHECK_INT(xlate_plugin_discover(&s, &found, &n, count_bad, &bad), 0);
    int has_testtrans = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(xlate_loaded_plugin_descriptor(found[i])->name, "testtrans") == 0)
            has_testtrans = 1;
        xlate_plugin_unload(found[i]);
    }
    free(found);
    CHECK(has_testtrans);
    CHECK(bad >= 4); /* wrong_abi, no_entry, not_a_plugin, bad_descriptor */
    xlate_plugin_search_free(&s);
}

/* A one-segment document "the NATO summit" with the term NATO → OTAN. */
static void make_doc(xlate_doc *doc, const char *text) {
    xlate_span span = {0, strlen(text), 0};
    CHECK_INT(xlate_doc_init(doc, "t.txt", strdup(text), strlen(text), &span, 1), 0);
}

static xlate_loaded_plugin *load_testtrans(void) {
    xlate_plugin_search s = {0};
    xlate_loaded_plugin *p = NULL;
    xlate_error err = {0};
    CHECK_INT(xlate_plugin_load(&s, PLUGIN_DIR "/testtrans.so", &p, &err), 0);
    xlate_error_clear(&err);
    return p;
}

static void run_testtrans(xlate_loaded_plugin *p, const char *options, xlate_doc *doc, int want_rc) {
    xlate_instance *inst = NULL;
    xlate_error err = {0};
    CHECK_INT(xlate_instance_new(p, options, "en", "es", NULL, &inst, &err), 0);
    if (inst)
        CHECK_INT(xlate_instance_process(inst, doc, 0, doc->n_segs, &err), want_rc);
    xlate_instance_free(inst);
    xlate_error_clear(&err);
}

static void test_terms_travel_as_placeholders(void) {
    xlate_loaded_plugin *p = load_testtrans();
    xlate_doc doc;
    make_doc(&doc, "the NATO summit");
    CHECK_INT(xlate_seg_add_term(&doc.segs[0], 4, 8, "OTAN", NULL, 0), 0);
    run_testtrans(p, "", &doc, 0);
    CHECK_STR(doc.segs[0].target, "THE OTAN SUMMIT");
    CHECK_INT(doc.segs[0].status, XLATE_SEG_OK);
    CHECK_INT(doc.segs[0].terms[0].has_target_pos, 1);
    CHECK_INT(doc.segs[0].terms[0].target_start, 4);
    CHECK_INT(doc.segs[0].terms[0].target_end, 8);
    xlate_doc_free(&doc);

    make_doc(&doc, "the NATO summit");
    CHECK_INT(xlate_seg_add_term(&doc.segs[0], 4, 8, "OTAN", NULL, 0), 0);
    run_testtrans(p, "placeholders=drop", &doc, 0);
    CHECK_INT(doc.segs[0].status, XLATE_SEG_WARNING);
    CHECK(contains(doc.segs[0].message, "'NATO' → 'OTAN' was lost"));
    xlate_doc_free(&doc);

    make_doc(&doc, "the NATO summit");
    CHECK_INT(xlate_seg_add_term(&doc.segs[0], 4, 8, "OTAN", NULL, 0), 0);
    run_testtrans(p, "placeholders=duplicate", &doc, 0);
    CHECK_INT(doc.segs[0].status, XLATE_SEG_WARNING);
    CHECK(contains(doc.segs[0].message, "was duplicated"));
    CHECK_STR(doc.segs[0].target, "THE OTANOTAN SUMMIT");
    xlate_doc_free(&doc);
    xlate_plugin_unload(p);
}

/* What a log sink receives: the host's lines under the plugin's name, filtered by the sink's
 * level. */
typedef struct log_lines {
    int n;
    char plugin[64], message[512];
    xlate_log_level level;
} log_lines;

static void record_line(void *data, const char *plugin, xlate_log_level level,
                        const char *message) {
    log_lines *l = data;
    l->n++;
    l->level = level;
    snprintf(l->plugin, sizeof l->plugin, "%s", plugin);
    snprintf(l->message, sizeof l->message, "%s", message);
}

static void run_with_sink(xlate_loaded_plugin *p, xlate_log_level level, log_lines *got) {
    xlate_log_sink sink = {record_line, got, level};
    xlate_instance *inst = NULL;
    xlate_error err = {0};
    xlate_doc doc;
    memset(got, 0, sizeof *got);
    make_doc(&doc, "the NATO summit");
    CHECK_INT(xlate_seg_add_term(&doc.segs[0], 4, 8, "OTAN", NULL, 0), 0);
    CHECK_INT(xlate_instance_new(p, "placeholders=drop", "en", "es", &sink, &inst, &err), 0);
    if (inst)
        CHECK_INT(xlate_instance_process(inst, &doc, 0, 1, &err), 0);
    xlate_instance_free(inst);
    xlate_doc_free(&doc);
    xlate_error_clear(&err);
}

static void test_log_lines_go_to_the_sink(void) {
    xlate_loaded_plugin *p = load_testtrans();
    log_lines got;
    setenv("XLATE_LOG", "error", 1); /* the command's setting: no part of the library's */
    run_with_sink(p, XLATE_LOG_WARNING, &got);
    CHECK_INT(got.n, 1);
    CHECK_STR(got.plugin, "testtrans");
    CHECK_INT(got.level, XLATE_LOG_WARNING);
    CHECK(contains(got.message, "segment 1: term 'NATO' → 'OTAN' was lost"));
    setenv("XLATE_LOG", "debug", 1);
    run_with_sink(p, XLATE_LOG_ERROR, &got);
    CHECK_INT(got.n, 0);
    unsetenv("XLATE_LOG");
    xlate_plugin_unload(p);
}

static void test_failures_keep_segments(void) {
    xlate_loaded_plugin *p = load_testtrans();
    xlate_doc doc;
    make_doc(&doc, "a bad sentence");
    run_testtrans(p, "fail_word=bad", &doc, 0);
    CHECK_INT(doc.segs[0].status, XLATE_SEG_FAILED);
    CHECK_STR(doc.segs[0].source, "a bad sentence");
    CHECK(contains(doc.segs[0].message, "fail word"));
    xlate_doc_free(&doc);

    make_doc(&doc, "any sentence");
    run_testtrans(p, "fail_batch=true", &doc, -1);
    CHECK_INT(doc.segs[0].status, XLATE_SEG_FAILED);
    CHECK(contains(doc.segs[0].message, "the engine is gone"));
    xlate_doc_free(&doc);
    xlate_plugin_unload(p);
}

static void test_create_failure_and_bad_options(void) {
    xlate_plugin_search s = {0};
    xlate_loaded_plugin *p = NULL;
    xlate_error err = {0};
    CHECK_INT(xlate_plugin_load(&s, PLUGIN_DIR "/create_fails.so", &p, &err), 0);
    xlate_instance *inst = NULL;
    CHECK_INT(xlate_instance_new(p, "", "uk", "en", NULL, &inst, &err), -1);
    CHECK_INT(err.status, XLATE_ERROR);
    CHECK(contains(err.message, "plugin 'create_fails' could not start: cannot open /nonexistent"));
    xlate_error_clear(&err);
    xlate_plugin_unload(p);

    p = load_testtrans();
    CHECK_INT(xlate_instance_new(p, "count=ten", "uk", "en", NULL, &inst, &err), -1);
    CHECK_INT(err.status, XLATE_EINVAL);
    xlate_error_clear(&err);
    xlate_plugin_unload(p);
}

int main(void) {
    test_broken_plugins_are_refused();
    test_unknown_name_lists_plugins();
    test_search_path_is_what_the_caller_gives();
    test_discovery();
    test_terms_travel_as_placeholders();
    test_log_lines_go_to_the_sink();
    test_failures_keep_segments();
    test_create_failure_and_bad_options();
    return check_result("test_plugin_host");
}
