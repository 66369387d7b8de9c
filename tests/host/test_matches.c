/*
 * test_matches: translation memories' matches on segments (xlate_seg_add_match and the host's
 * segment_add_match / segment_match_score), and the calls that show a plugin what the whole
 * chain made of its segments: batch_done on a read-only view, after every plugin, and
 * document_done once a document went through all of it — not for a stopped or failed one. The
 * same run in process and with every plugin isolated in a child gives the same segments and the
 * same calls.
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "pipeline.h"
#include "readfile.h"

#define PLUGIN_DIR BUILD_ROOT "/tests/plugins"
#define XLATE_PROGRAM BUILD_ROOT "/core/xlate"

/* --- the segment's own list ----------------------------------------------------------------- */

static void one_segment_doc(xlate_doc *doc, const char *text) {
    xlate_span span = {0, strlen(text), 0};
    CHECK_INT(xlate_doc_init(doc, "d", strdup(text), strlen(text), &span, 1), 0);
}

static void test_seg_matches(void) {
    xlate_doc doc;
    one_segment_doc(&doc, "The cat sat.");
    xlate_seg *s = &doc.segs[0];
    CHECK(xlate_seg_used_match(s) == NULL);

    /* A candidate alone sets no target. */
    CHECK_INT(xlate_seg_add_match(s, "tm", "El gato.", 8, 80, "The cat.", 8, 0), 0);
    CHECK(s->target == NULL);
    CHECK(xlate_seg_used_match(s) == NULL);
    CHECK_INT(s->matches->n, 1);

    /* The one used becomes the target and is known as where it came from. */
    CHECK_INT(xlate_seg_add_match(s, "tm", "El gato se sentó.", 18, 100, "The cat sat.", 12, 1), 0);
    CHECK_STR(s->target, "El gato se sentó.");
    const xlate_seg_match *m = xlate_seg_used_match(s);
    CHECK(m != NULL);
    if (m) {
        CHECK(m->score == 100);
        CHECK_STR(m->plugin, "tm");
        CHECK_STR(m->source, "The cat sat.");
    }
    CHECK_INT(s->matches->n, 2);

    /* Bad arguments are refused and change nothing. */
    CHECK_INT(xlate_seg_add_match(s, "tm", "x", 1, 100.01, "y", 1, 1), -1);
    CHECK_INT(xlate_seg_add_match(s, "tm", "x", 1, -0.5, "y", 1, 1), -1);
    CHECK_INT(xlate_seg_add_match(s, "tm", "x", 1, NAN, "y", 1, 1), -1);
    CHECK_INT(xlate_seg_add_match(s, "tm", "", 0, 50, "y", 1, 1), -1);
    CHECK_INT(xlate_seg_add_match(s, "tm", "\xC3(", 2, 50, "y", 1, 1), -1);
    CHECK_INT(s->matches->n, 2);
    CHECK_STR(s->target, "El gato se sentó.");
    CHECK(xlate_seg_used_match(s) == m);

    /* A target set any other way is not the memory's any more; the matches stay as candidates. */
    CHECK_INT(xlate_seg_set_target(s, "Otro.", 5), 0);
    CHECK(xlate_seg_used_match(s) == NULL);
    CHECK_INT(s->matches->n, 2);

    /* Released, the matches go with the texts (the leak checker of the sanitizer build sees it). */
    xlate_doc_release(&doc, 0, 1);
    CHECK(s->matches == NULL);
    CHECK_INT(xlate_seg_add_match(s, NULL, "z", 1, 0, "w", 1, 0), 0);
    xlate_doc_truncate(&doc, 0);
    xlate_doc_free(&doc);
}

/* --- through the chain ---------------------------------------------------------------------- */

static char *temp_log(void) {
    char *path = strdup(BUILD_ROOT "/tests/matches-log-XXXXXX");
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0)
        close(fd);
    return path;
}

static char *slurp(const char *path) {
    char *data = NULL;
    size_t len = 0;
    xlate_error err = {0};
    if (xlate_read_file(path, &data, &len, &err) != 0) {
        xlate_error_clear(&err);
        return strdup("(unreadable)");
    }
    return data ? data : strdup("");
}

typedef struct run_setup {
    const char *specs[3];
    size_t n;
    int isolate;
    size_t stop_after;  /* streamed: the stop flag is set after this many batches (0: never) */
} run_setup;

typedef struct stopper {
    size_t batches, stop_after;
    volatile sig_atomic_t *stop;
} stopper;

static int count_and_stop(void *data, const xlate_doc *doc, size_t from, size_t n) {
    (void)doc, (void)from, (void)n;
    stopper *st = data;
    if (++st->batches == st->stop_after)
        *st->stop = 1;
    return 0;
}

/* Runs `text` through the chain (batches of 2); streamed when rs->stop_after. */
static int run(const run_setup *rs, const char *text, xlate_doc *doc, xlate_error *err) {
    const char *dirs[] = {PLUGIN_DIR};
    volatile sig_atomic_t stop = 0;
    xlate_pipeline_config cfg = {.decode = XLATE_DECODE_OPTIONS_INIT,
                                 .normalize = XLATE_NORMALIZE_OPTIONS_INIT,
                                 .source_lang = "en",
                                 .target_lang = "es",
                                 .batch_size = 2,
                                 .stop = &stop,
                                 .isolate = rs->isolate,
                                 .isolation = {XLATE_PROGRAM, 30, NULL}};
    xlate_plugin_search s;
    CHECK_INT(xlate_plugin_search_init(&s, dirs, 1, 0, xlate_host_services()), 0);
    xlate_chain *chain = NULL;
    int rc = xlate_chain_load(&s, rs->specs, rs->n, "en", "es", &chain, err);
    xlate_pipeline *p = NULL;
    if (rc == 0)
        rc = xlate_pipeline_new(&cfg, chain, &p, err);
    stopper st = {0, rs->stop_after, &stop};
    if (rc == 0 && rs->stop_after)
        rc = xlate_pipeline_stream(p, "doc.txt", strdup(text), strlen(text), count_and_stop, &st,
                                   doc, err);
    else if (rc == 0)
        rc = xlate_pipeline_run(p, "doc.txt", text, strlen(text), doc, err);
    xlate_pipeline_free(p);
    xlate_chain_free(chain);
    xlate_plugin_search_free(&s);
    return rc;
}

static const char three[] = "TM: one. Plain two. TM: three.\n";

/* "testmemory:log=PATH" and more options, in `buf`. */
static const char *memory_spec(char *buf, size_t size, const char *log, const char *more) {
    snprintf(buf, size, "testmemory:log=%s%s%s", log, more ? "," : "", more ? more : "");
    return buf;
}

static void check_memory_alone(int isolate) {
    char *log = temp_log(), spec[512];
    run_setup rs = {{memory_spec(spec, sizeof spec, log, NULL)}, 1, isolate, 0};
    xlate_doc doc;
    xlate_error err = {0};
    CHECK_INT(run(&rs, three, &doc, &err), 0);
    CHECK_INT(doc.n_segs, 3);
    if (doc.n_segs == 3) {
        xlate_seg *s = &doc.segs[0];
        CHECK_STR(s->target, "MEM one.");
        CHECK(s->matches != NULL);
        if (s->matches) {
            CHECK_INT(s->matches->n, 2);
            CHECK_INT(s->matches->used, 0);
            CHECK_STR(s->matches->items[0].plugin, "testmemory");
            CHECK_STR(s->matches->items[0].source, "TM: one.");
            CHECK(s->matches->items[1].score == 80);
            CHECK_STR(s->matches->items[1].target, "FUZZY");
            CHECK_STR(s->matches->items[1].source, "TM: one. (near)");
        }
        CHECK(doc.segs[1].matches == NULL);
        CHECK(doc.segs[1].target == NULL);
        CHECK(xlate_seg_used_match(&doc.segs[2]) != NULL);
    }
    char *got = slurp(log);
    CHECK_STR(got, "batch doc.txt 1 active 100 MEM one.\n"
                   "batch doc.txt 2 active -1 -\n"
                   "readonly OK\n"
                   "batch doc.txt 3 active 100 MEM three.\n"
                   "readonly OK\n"
                   "document doc.txt\n");
    free(got);
    xlate_doc_free(&doc);
    unlink(log);
    free(log);
}

/* A translator after the memory that takes every segment: batch_done sees its targets, and the
 * memory's matches are candidates only. */
static void check_translator_after(int isolate) {
    char *log = temp_log(), spec[512];
    run_setup rs = {{memory_spec(spec, sizeof spec, log, NULL), "testtrans"}, 2, isolate, 0};
    xlate_doc doc;
    xlate_error err = {0};
    CHECK_INT(run(&rs, three, &doc, &err), 0);
    CHECK_INT(doc.n_segs, 3);
    if (doc.n_segs == 3) {
        CHECK_STR(doc.segs[0].target, "TM: ONE.");
        CHECK(xlate_seg_used_match(&doc.segs[0]) == NULL);
        CHECK(doc.segs[0].matches != NULL && doc.segs[0].matches->n == 2);
    }
    char *got = slurp(log);
    CHECK_STR(got, "batch doc.txt 1 active -1 TM: ONE.\n"
                   "batch doc.txt 2 active -1 PLAIN TWO.\n"
                   "readonly OK\n"
                   "batch doc.txt 3 active -1 TM: THREE.\n"
                   "readonly OK\n"
                   "document doc.txt\n");
    free(got);
    xlate_doc_free(&doc);
    unlink(log);
    free(log);
}

/* Stopped after the first batch: that batch was done, the document was not. */
static void check_stopped(int isolate) {
    char *log = temp_log(), spec[512];
    run_setup rs = {{memory_spec(spec, sizeof spec, log, NULL)}, 1, isolate, 1};
    xlate_doc doc;
    xlate_error err = {0};
    CHECK_INT(run(&rs, three, &doc, &err), 1);
    CHECK_INT(doc.n_segs, 2);
    char *got = slurp(log);
    CHECK_STR(got, "batch doc.txt 1 active 100 MEM one.\n"
                   "batch doc.txt 2 active -1 -\n"
                   "readonly OK\n");
    free(got);
    xlate_doc_free(&doc);
    unlink(log);
    free(log);
}

/* A plugin that gives up fails the document: batch_done still sees the failed segments, and no
 * document_done comes. */
static void check_failed_document(int isolate) {
    char *log = temp_log(), spec[512];
    run_setup rs = {{memory_spec(spec, sizeof spec, log, NULL), "testtrans:fail_batch=yes"}, 2,
                    isolate, 0};
    xlate_doc doc;
    xlate_error err = {0};
    CHECK_INT(run(&rs, "TM: one. Plain two.\n", &doc, &err), 0);
    char *got = slurp(log);
    CHECK_STR(got, "batch doc.txt 1 inactive 100 MEM one.\n"
                   "batch doc.txt 2 inactive -1 -\n"
                   "readonly OK\n");
    free(got);
    xlate_doc_free(&doc);
    unlink(log);
    free(log);
}

/* batch_done fails: the batch's segments fail with the reason, and the document is not done. */
static void check_batch_done_fails(int isolate) {
    char *log = temp_log(), spec[512];
    run_setup rs = {{memory_spec(spec, sizeof spec, log, "fail=batch_done")}, 1, isolate, 0};
    xlate_doc doc;
    xlate_error err = {0};
    CHECK_INT(run(&rs, three, &doc, &err), 0);
    xlate_doc_stats st;
    xlate_doc_get_stats(&doc, &st);
    CHECK_INT(st.failed, 3);
    CHECK(doc.segs[0].message && strstr(doc.segs[0].message, "failed in batch_done: the memory "
                                                              "cannot learn") != NULL);
    char *got = slurp(log);
    CHECK(strstr(got, "document") == NULL);
    free(got);
    xlate_doc_free(&doc);

    /* document_done fails: the document's segments fail (they were not written yet). */
    rs.specs[0] = memory_spec(spec, sizeof spec, log, "fail=document_done");
    CHECK_INT(run(&rs, three, &doc, &err), 0);
    xlate_doc_get_stats(&doc, &st);
    CHECK_INT(st.failed, 3);
    CHECK(doc.segs[1].message && strstr(doc.segs[1].message, "failed in document_done") != NULL);
    xlate_doc_free(&doc);
    unlink(log);
    free(log);
}

static void test_chain(void) {
    for (int isolate = 0; isolate < 2; isolate++) {
        check_memory_alone(isolate);
        check_translator_after(isolate);
        check_stopped(isolate);
        check_failed_document(isolate);
        check_batch_done_fails(isolate);
    }
}

/* The host's reasons for refusing a match, as host->last_error gives them. */
static void test_refused_matches(void) {
    char *log = temp_log(), spec[512];
    run_setup rs = {{memory_spec(spec, sizeof spec, log, "probe=yes")}, 1, 0, 0};
    xlate_doc doc;
    xlate_error err = {0};
    CHECK_INT(run(&rs, "Plain.\n", &doc, &err), 0);
    char *got = slurp(log);
    static const char *const want[] = {
        "probe index -3 segment_add_match: segment index 99999 is out of range: the batch has 1 "
        "segments (0 .. 0)\n",
        "probe score_high -3 segment_add_match: segment 0: score 100.5 is outside 0 .. 100\n",
        "probe score_negative -3 segment_add_match: segment 0: score -1 is outside 0 .. 100\n",
        "probe score_nan -3 segment_add_match: segment 0: score nan is outside 0 .. 100\n",
        "probe empty_target -3 segment_add_match: segment 0: the target is empty\n",
        "probe null_source -3 segment_add_match: segment 0: the match source is NULL\n",
        "probe bad_utf8 -3 segment_add_match: segment 0: the target is not UTF-8 at byte 0 of 2\n",
        "probe score_of_bad_index -1\n",
        "batch doc.txt 1 active -1 -\n",
    };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        char line[256];
        snprintf(line, sizeof line, "%s", want[k]);
        /* the UTF-8 reason goes on with the byte; the prefix is what is checked */
        if (strstr(line, "bad_utf8"))
            line[strlen(line) - 1] = '\0';
        if (!strstr(got, line)) {
            fprintf(stderr, "missing in the log: %s\nlog:\n%s\n", line, got);
            CHECK(0);
        }
    }
    CHECK(doc.segs[0].matches == NULL);
    free(got);
    xlate_doc_free(&doc);
    unlink(log);
    free(log);
}

int main(void) {
    CHECK_INT(XLATE_EINVAL, -3); /* the log lines above hold the status as a number */
    test_seg_matches();
    test_chain();
    test_refused_matches();
    return check_result("test_matches");
}
