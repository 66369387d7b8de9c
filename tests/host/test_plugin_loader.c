/*
 * Tests of the plugin host: loading by name and by path, refusing broken plugins with a message
 * that names the file and the reason, discovery, and the services plugins use on a batch
 * (targets, terms, placeholders, failures), through the testtrans plugin. The search path and
 * the log sink are only what the caller gives: the environment plays no part.
 */
#include <stddef.h>
#include <stdlib.h>

#include "check.h"
#include "host_services.h"
#include "xlate_config.h"

#define PLUGIN_DIR BUILD_ROOT "/tests/plugins"

static int contains(const char *s, const char *frag) { return s && strstr(s, frag) != NULL; }

static void expect_load_error(const char *file, int want_rc, int want_status,
                              const char *reason) {
    xlate_plugin_search s = {.host = xlate_host_services()};
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
                      "does not export the entry function 'xlate_plugin_entry'");
    expect_load_error(PLUGIN_DIR "/not_a_plugin.so", XLATE_ERROR, XLATE_ERROR,
                      "cannot be loaded as a shared object");
    expect_load_error(PLUGIN_DIR "/bad_descriptor.so", XLATE_ERROR, XLATE_ERROR,
                      "not a valid xlate plugin: process is NULL");
    /* A missing file is told apart from a broken one by the status alone. */
    expect_load_error(PLUGIN_DIR "/absent.so", XLATE_ENOTFOUND, XLATE_ENOTFOUND,
                      "no such plugin file");
}

static void test_unknown_name_lists_plugins(void) {
    const char *dirs[] = {PLUGIN_DIR};
    xlate_plugin_search s;
    CHECK_INT(xlate_plugin_search_init(&s, dirs, 1, 0, xlate_host_services()), 0);
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
    CHECK_INT(xlate_plugin_search_init(&s, dirs, 2, 0, xlate_host_services()), 0);
    CHECK_INT(s.n_dirs, 2);
    if (s.n_dirs == 2) {
        CHECK_STR(s.dirs[0], PLUGIN_DIR);
        CHECK_STR(s.dirs[1], XLATE_PLUGINDIR);
    }
    xlate_plugin_search_free(&s);
    CHECK_INT(xlate_plugin_search_init(&s, dirs, 1, 1, xlate_host_services()), 0);
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
    CHECK_INT(xlate_plugin_search_init(&s, dirs, 1, 0, xlate_host_services()), 0);
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
    xlate_plugin_search s = {.host = xlate_host_services()};
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
    xlate_plugin_search s = {.host = xlate_host_services()};
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

/* --- the one descriptor check (the loader's, and what `xlate plugin check` shows) ------------ */

static int demo_create(const xlate_host *h, xlate_plugin_ctx *c, const xlate_options *o, void **i) {
    (void)h, (void)c, (void)o;
    *i = NULL;
    return XLATE_OK;
}
static int demo_process(void *i, xlate_batch *b) {
    (void)i, (void)b;
    return XLATE_OK;
}
static void demo_destroy(void *i) { (void)i; }
static int demo_enumerate(const xlate_host *h, void (*emit)(void *, const char *, const char *),
                          void *data) {
    (void)h;
    emit(data, "uk", "en");
    return XLATE_OK;
}

static const xlate_lang_pair demo_pairs[] = {{"uk", "en"}};
static const xlate_option_spec demo_options[] = {
    {"model", XLATE_OPTION_PATH, NULL, "the engine's model"},
};

static xlate_plugin valid_descriptor(void) {
    xlate_plugin d = {
        .abi_version = XLATE_ABI_VERSION, .struct_size = sizeof(xlate_plugin),
        .name = "demo", .version = "1.0.0", .description = "a descriptor the host accepts",
        .kind = XLATE_KIND_TRANSLATOR, .pairs = demo_pairs, .n_pairs = 1,
        .options = demo_options, .n_options = 1,
        .create = demo_create, .process = demo_process, .destroy = demo_destroy,
    };
    return d;
}

typedef struct refusal_list {
    char text[1024]; /* the refusals, one a line */
    int n;
} refusal_list;

static void add_refusal(void *data, const char *message) {
    refusal_list *l = data;
    size_t used = strlen(l->text);
    snprintf(l->text + used, sizeof l->text - used, "%s\n", message);
    l->n++;
}

/* `d` is refused with exactly `want` (one refusal). */
static void expect_refusal(const xlate_plugin *d, const char *want) {
    refusal_list got = {{0}, 0};
    xlate_plugin out;
    CHECK_INT(xlate_plugin_descriptor_check(d, &out, add_refusal, &got), -1);
    CHECK_INT(got.n, 1);
    char line[512];
    snprintf(line, sizeof line, "%s\n", want);
    CHECK_STR(got.text, line);
}

static void test_descriptor_check_accepts_a_valid_one(void) {
    xlate_plugin d = valid_descriptor(), out;
    refusal_list got = {{0}, 0};
    CHECK_INT(xlate_plugin_descriptor_check(&d, &out, add_refusal, &got), 0);
    CHECK_INT(got.n, 0);
    CHECK_STR(out.name, "demo");
    CHECK(out.destroy == demo_destroy);
    /* An ABI 1.0 descriptor ends at destroy: what lies beyond is never read, and reads as zero. */
    d.struct_size = (uint32_t)(offsetof(xlate_plugin, destroy) + sizeof d.destroy);
    d.enumerate_pairs = demo_enumerate;
    CHECK_INT(xlate_plugin_descriptor_check(&d, &out, add_refusal, &got), 0);
    CHECK(out.enumerate_pairs == NULL);
    CHECK_INT(got.n, 0);
}

static void test_descriptor_check_refuses_each_field(void) {
    xlate_plugin d = valid_descriptor();
    d.abi_version = (uint32_t)99 << 16;
    char want[256];
    snprintf(want, sizeof want, "it was built for plugin ABI 99.0 but this xlate speaks ABI %u.%u: "
             "rebuild it against this xlate's <xlate/plugin.h> (pkg-config --cflags xlate)",
             XLATE_ABI_MAJOR, XLATE_ABI_MINOR);
    expect_refusal(&d, want);

    d = valid_descriptor();
    d.struct_size = 16;
    snprintf(want, sizeof want, "its descriptor says it is 16 bytes long, shorter than the %zu "
             "bytes ABI 1 requires: set struct_size = sizeof(xlate_plugin)",
             offsetof(xlate_plugin, destroy) + sizeof d.destroy);
    expect_refusal(&d, want);

    d = valid_descriptor();
    d.name = "My Plugin";
    expect_refusal(&d, "its name 'My Plugin' is missing or has characters other than a-z, 0-9, "
                       "'_' and '-'");
    d.name = NULL;
    expect_refusal(&d, "its name '(null)' is missing or has characters other than a-z, 0-9, "
                       "'_' and '-'");

    d = valid_descriptor();
    d.version = NULL;
    expect_refusal(&d, "its version is missing (e.g. \"1.0.0\")");
    d = valid_descriptor();
    d.description = NULL;
    expect_refusal(&d, "its description is missing (one line for `xlate plugins`)");
    d = valid_descriptor();
    d.kind = (xlate_plugin_kind)7;
    expect_refusal(&d, "its kind is 7, which is not XLATE_KIND_FILTER, _GLOSSARY, _TRANSLATOR or _CHECK");

    d = valid_descriptor();
    d.create = NULL;
    expect_refusal(&d, "create is NULL: the host cannot make an instance");
    d = valid_descriptor();
    d.process = NULL;
    expect_refusal(&d, "process is NULL: the host cannot give it segments");
    d = valid_descriptor();
    d.destroy = NULL;
    expect_refusal(&d, "destroy is NULL: the host cannot free its instances");

    d = valid_descriptor();
    d.pairs = NULL;
    d.n_pairs = 2;
    expect_refusal(&d, "n_pairs is 2 but pairs is NULL");
    d = valid_descriptor();
    d.options = NULL;
    expect_refusal(&d, "n_options is 1 but options is NULL");
    static const xlate_option_spec bad_option[] = {{"Model", XLATE_OPTION_PATH, NULL, "x"}};
    d = valid_descriptor();
    d.options = bad_option;
    expect_refusal(&d, "option 1's name 'Model' is missing or not of a-z, 0-9, '_' and '-'");
}

/* Every refusal is given, not only the first. */
static void test_descriptor_check_gives_every_refusal(void) {
    xlate_plugin d = valid_descriptor(), out;
    d.version = NULL;
    d.process = NULL;
    d.destroy = NULL;
    refusal_list got = {{0}, 0};
    CHECK_INT(xlate_plugin_descriptor_check(&d, &out, add_refusal, &got), -1);
    CHECK_INT(got.n, 3);
    CHECK(contains(got.text, "its version is missing"));
    CHECK(contains(got.text, "destroy is NULL"));
}

static void test_plugin_name_rule(void) {
    CHECK_INT(xlate_plugin_name_is_valid("glossary"), 1);
    CHECK_INT(xlate_plugin_name_is_valid("my-plugin_2"), 1);
    CHECK_INT(xlate_plugin_name_is_valid(""), 0);
    CHECK_INT(xlate_plugin_name_is_valid(NULL), 0);
    CHECK_INT(xlate_plugin_name_is_valid("Glossary"), 0);
    CHECK_INT(xlate_plugin_name_is_valid("a.so"), 0);
    CHECK_INT(xlate_plugin_name_is_valid("a b"), 0);
}

int main(void) {
    test_descriptor_check_accepts_a_valid_one();
    test_descriptor_check_refuses_each_field();
    test_descriptor_check_gives_every_refusal();
    test_plugin_name_rule();
    test_broken_plugins_are_refused();
    test_unknown_name_lists_plugins();
    test_search_path_is_what_the_caller_gives();
    test_discovery();
    test_terms_travel_as_placeholders();
    test_log_lines_go_to_the_sink();
    test_failures_keep_segments();
    test_create_failure_and_bad_options();
    return check_result("test_plugin_loader");
}
