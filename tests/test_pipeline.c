/*
 * Tests of the pipeline: a document's bytes go through decode, normalize, segment and the chain,
 * and come out as segments with offsets into the normalized text, targets and statuses; a chain
 * failure keeps every segment; an undecodable document is an error naming the file.
 */
#include <stdlib.h>

#include "check.h"
#include "pipeline.h"

#define PLUGIN_DIR BUILD_ROOT "/tests/plugins"

static xlate_pipeline_config default_config(void) {
    xlate_pipeline_config cfg = {.decode = XLATE_DECODE_OPTIONS_INIT,
                                 .normalize = XLATE_NORMALIZE_OPTIONS_INIT,
                                 .source_lang = "en",
                                 .target_lang = "es",
                                 .batch_size = 2};
    return cfg;
}

static void count_message(void *data, const char *message) {
    CHECK(strstr(message, "the engine is gone") != NULL);
    (*(int *)data)++;
}

static int run_chain_with(const char *spec, const char *text, xlate_pipeline_config cfg,
                          xlate_doc *doc, xlate_error *err);

static int run_chain(const char *spec, const char *text, xlate_doc *doc, xlate_error *err) {
    return run_chain_with(spec, text, default_config(), doc, err);
}

static int run_chain_with(const char *spec, const char *text, xlate_pipeline_config cfg,
                          xlate_doc *doc, xlate_error *err) {
    const char *dirs[] = {PLUGIN_DIR};
    xlate_plugin_search s;
    CHECK_INT(xlate_plugin_search_init(&s, dirs, 1, 0), 0);
    xlate_chain *chain = NULL;
    const char *specs[] = {spec};
    int rc = xlate_chain_load(&s, specs, spec ? 1 : 0, "en", "es", &chain, err);
    xlate_pipeline *p = NULL;
    if (rc == 0)
        rc = xlate_pipeline_new(&cfg, chain, &p, err);
    if (rc == 0)
        rc = xlate_pipeline_run(p, "doc.txt", text, strlen(text), doc, err);
    xlate_pipeline_free(p);
    xlate_chain_free(chain);
    xlate_plugin_search_free(&s);
    return rc;
}

static void test_segments_and_offsets(void) {
    const char *text = "First sentence here. Second one.\n\nA new paragraph.\n";
    xlate_doc doc;
    xlate_error err = {0};
    CHECK_INT(run_chain("testtrans", text, &doc, &err), 0);
    CHECK_INT(doc.n_segs, 3);
    if (doc.n_segs == 3) {
        CHECK_STR(doc.segs[0].source, "First sentence here.");
        CHECK_STR(doc.segs[0].target, "FIRST SENTENCE HERE.");
        CHECK_STR(doc.segs[1].source, "Second one.");
        CHECK_INT(doc.segs[2].paragraph, 1);
        for (size_t i = 0; i < 3; i++) {
            CHECK_INT(doc.segs[i].id, i + 1);
            CHECK(memcmp(doc.text + doc.segs[i].start, doc.segs[i].source, doc.segs[i].source_len) == 0);
        }
    }
    CHECK_STR(doc.encoding, "UTF-8");
    xlate_doc_free(&doc);
}

static void test_plugin_failure_keeps_every_segment(void) {
    /* batch_size 2: the second batch fails too, since fail_batch fails every call. */
    xlate_doc doc;
    xlate_error err = {0};
    CHECK_INT(run_chain("testtrans:fail_batch=yes", "One. Two. Three.\n", &doc, &err), 0);
    xlate_doc_stats st;
    xlate_doc_get_stats(&doc, &st);
    CHECK_INT(st.segments, 3);
    CHECK_INT(st.failed, 3);
    CHECK_STR(doc.segs[2].source, "Three.");
    CHECK(doc.segs[2].message && strstr(doc.segs[2].message, "the engine is gone"));
    xlate_doc_free(&doc);

    /* The program hears of it once, as it happens, when it asked to. */
    int messages = 0;
    xlate_pipeline_config cfg = default_config();
    cfg.on_message = count_message;
    cfg.message_data = &messages;
    CHECK_INT(run_chain_with("testtrans:fail_batch=yes", "One. Two. Three.\n", cfg, &doc, &err), 0);
    CHECK_INT(messages, 1);
    xlate_doc_free(&doc);
}

static void test_no_chain_keeps_sources(void) {
    xlate_doc doc;
    xlate_error err = {0};
    CHECK_INT(run_chain(NULL, "Just text.\n", &doc, &err), 0);
    CHECK_INT(doc.n_segs, 1);
    CHECK(doc.segs[0].target == NULL);
    CHECK_INT(doc.segs[0].status, XLATE_SEG_OK);
    xlate_doc_free(&doc);
}

static void test_undecodable_document(void) {
    xlate_doc doc;
    xlate_error err = {0};
    const char *dirs[] = {PLUGIN_DIR};
    xlate_plugin_search s;
    xlate_plugin_search_init(&s, dirs, 1, 0);
    xlate_chain *chain = NULL;
    CHECK_INT(xlate_chain_load(&s, NULL, 0, "en", "es", &chain, &err), 0);
    xlate_pipeline_config cfg = default_config();
    cfg.decode.encoding = "UTF-8";
    xlate_pipeline *p = NULL;
    CHECK_INT(xlate_pipeline_new(&cfg, chain, &p, &err), 0);
    CHECK_INT(xlate_pipeline_run(p, "broken.txt", "ok \xC3\x28 bad", 9, &doc, &err), -1);
    CHECK_INT(err.kind, XLATE_ERR_RUN);
    CHECK(err.message && strstr(err.message, "broken.txt"));
    CHECK(err.message && strstr(err.message, "3"));
    xlate_error_clear(&err);
    xlate_pipeline_free(p);
    xlate_chain_free(chain);
    xlate_plugin_search_free(&s);
}

static void test_unknown_plugin_is_usage_error(void) {
    xlate_doc doc;
    xlate_error err = {0};
    CHECK_INT(run_chain("nosuch", "x\n", &doc, &err), XLATE_ENOTFOUND);
    CHECK_INT(err.kind, XLATE_ERR_USAGE);
    xlate_error_clear(&err);
    /* A plugin that exists but has a bad option is another failure, told apart by the status. */
    CHECK_INT(run_chain("testtrans:colour=red", "x\n", &doc, &err), -1);
    CHECK_INT(err.kind, XLATE_ERR_USAGE);
    xlate_error_clear(&err);
}

int main(void) {
    test_segments_and_offsets();
    test_plugin_failure_keeps_every_segment();
    test_no_chain_keeps_sources();
    test_undecodable_document();
    test_unknown_plugin_is_usage_error();
    return check_result("test_pipeline");
}
