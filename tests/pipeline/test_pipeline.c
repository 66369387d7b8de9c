/*
 * Tests of the pipeline: a document's bytes go through decode, normalize, segment and the chain,
 * and come out as segments with offsets into the normalized text, targets and statuses; a chain
 * failure keeps every segment; an undecodable document is an error naming the file. Streaming:
 * each batch leaves the whole chain before the next one enters, and a stop flag or the caller
 * ends the document between two batches, keeping exactly what was handed on.
 */
#include <signal.h>
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
    CHECK_INT(xlate_plugin_search_init(&s, dirs, 1, 0, xlate_host_services()), 0);
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

/* A chain of `n` plugins run over `text` with xlate_pipeline_stream. */
static int stream_chain(const char *const *specs, size_t n, const char *text,
                        xlate_pipeline_config cfg, xlate_pipeline_emit emit, void *data,
                        xlate_doc *doc, xlate_error *err) {
    const char *dirs[] = {PLUGIN_DIR};
    xlate_plugin_search s;
    CHECK_INT(xlate_plugin_search_init(&s, dirs, 1, 0, xlate_host_services()), 0);
    xlate_chain *chain = NULL;
    int rc = xlate_chain_load(&s, specs, n, "en", "es", &chain, err);
    xlate_pipeline *p = NULL;
    if (rc == 0)
        rc = xlate_pipeline_new(&cfg, chain, &p, err);
    if (rc == 0)
        rc = xlate_pipeline_stream(p, "doc.txt", strdup(text), strlen(text), emit, data, doc, err);
    xlate_pipeline_free(p);
    xlate_chain_free(chain);
    xlate_plugin_search_free(&s);
    return rc;
}

/* What an emit callback saw, and what it does after `stop_after` batches: set *stop, or return
 * nonzero when `refuse`. */
typedef struct emitted {
    size_t calls, from[8], n[8];
    size_t stop_after;
    volatile sig_atomic_t *stop;
    int refuse;
    int problems;
    char last_target[64]; /* the target of the last segment of the last batch, as emitted */
} emitted;

static int record_batch(void *data, const xlate_doc *doc, size_t from, size_t n) {
    emitted *e = data;
    if (e->calls < 8) {
        e->from[e->calls] = from;
        e->n[e->calls] = n;
    }
    e->calls++;
    const char *t = n ? doc->segs[from + n - 1].target : NULL;
    snprintf(e->last_target, sizeof e->last_target, "%s", t ? t : "");
    /* The batch went through the whole chain: the second plugin failed "Three" already. */
    for (size_t i = from; i < from + n; i++) {
        int failed = doc->segs[i].status == XLATE_SEG_FAILED;
        if (strstr(doc->segs[i].source, "Three") ? !failed : (failed || !doc->segs[i].target))
            e->problems++;
    }
    /* ...and nothing after it entered the chain yet. */
    for (size_t i = from + n; i < doc->n_segs; i++)
        if (doc->segs[i].target || doc->segs[i].status != XLATE_SEG_OK)
            e->problems++;
    if (e->calls == e->stop_after) {
        if (e->stop)
            *e->stop = SIGINT;
        return e->refuse;
    }
    return 0;
}

static const char five_segments[] = "One here. Two here. Three here. Four here. Five here.\n";
static const char *const two_plugins[] = {"testtrans", "testtrans:fail_word=Three"};

static void test_stream_hands_on_each_batch(void) {
    xlate_doc doc;
    xlate_error err = {0};
    emitted e = {0};
    CHECK_INT(stream_chain(two_plugins, 2, five_segments, default_config(), record_batch, &e, &doc,
                           &err), 0);
    CHECK_INT(e.calls, 3);
    CHECK_INT(e.from[0], 0);
    CHECK_INT(e.n[0], 2);
    CHECK_INT(e.from[1], 2);
    CHECK_INT(e.n[1], 2);
    CHECK_INT(e.from[2], 4);
    CHECK_INT(e.n[2], 1);
    CHECK_INT(e.problems, 0);
    CHECK_STR(e.last_target, "FIVE HERE.");
    /* Written segments keep their place and status, not their texts: a streamed document is
     * not held in memory twice. */
    CHECK_INT(doc.n_segs, 5);
    CHECK(doc.segs[4].source == NULL && doc.segs[4].target == NULL);
    CHECK_INT(doc.segs[4].id, 5);
    CHECK_INT(doc.segs[4].status, XLATE_SEG_OK);
    xlate_doc_free(&doc);
}

static void test_stop_between_batches(void) {
    xlate_doc doc;
    xlate_error err = {0};
    volatile sig_atomic_t stop = 0;
    xlate_pipeline_config cfg = default_config();
    cfg.stop = &stop;

    /* A signal during the first batch: that batch is finished and kept, nothing more is done. */
    emitted e = {.stop_after = 1, .stop = &stop};
    CHECK_INT(stream_chain(two_plugins, 2, five_segments, cfg, record_batch, &e, &doc, &err), 1);
    CHECK_INT(e.calls, 1);
    CHECK_INT(e.problems, 0);
    CHECK_INT(doc.n_segs, 2);
    CHECK_STR(e.last_target, "TWO HERE.");
    xlate_doc_free(&doc);

    /* Set before the document: nothing enters the chain; the run without emit says so too. */
    CHECK_INT(stream_chain(two_plugins, 2, five_segments, cfg, NULL, NULL, &doc, &err), 1);
    CHECK_INT(doc.n_segs, 0);
    xlate_doc_free(&doc);

    /* The caller cannot write the second batch: the document ends with it. */
    emitted refuse = {.stop_after = 2, .refuse = 1};
    CHECK_INT(stream_chain(two_plugins, 2, five_segments, default_config(), record_batch, &refuse,
                           &doc, &err), 1);
    CHECK_INT(refuse.calls, 2);
    CHECK_INT(doc.n_segs, 4);
    xlate_doc_free(&doc);
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
    CHECK_INT(xlate_plugin_search_init(&s, dirs, 1, 0, xlate_host_services()), 0);
    xlate_chain *chain = NULL;
    CHECK_INT(xlate_chain_load(&s, NULL, 0, "en", "es", &chain, &err), 0);
    xlate_pipeline_config cfg = default_config();
    cfg.decode.encoding = "UTF-8";
    xlate_pipeline *p = NULL;
    CHECK_INT(xlate_pipeline_new(&cfg, chain, &p, &err), 0);
    CHECK_INT(xlate_pipeline_run(p, "broken.txt", "ok \xC3\x28 bad", 9, &doc, &err), -1);
    CHECK_INT(err.status, XLATE_ERROR);
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
    CHECK_INT(err.status, XLATE_ENOTFOUND);
    xlate_error_clear(&err);
    /* A plugin that exists but has a bad option is another failure, told apart by the status. */
    CHECK_INT(run_chain("testtrans:colour=red", "x\n", &doc, &err), -1);
    CHECK_INT(err.status, XLATE_EINVAL);
    xlate_error_clear(&err);
}

int main(void) {
    test_segments_and_offsets();
    test_plugin_failure_keeps_every_segment();
    test_no_chain_keeps_sources();
    test_undecodable_document();
    test_unknown_plugin_is_usage_error();
    test_stream_hands_on_each_batch();
    test_stop_between_batches();
    return check_result("test_pipeline");
}
