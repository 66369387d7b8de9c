/*
 * testmemory: a translation memory for the host's tests. Every active segment whose source starts
 * with "TM:" gets two matches: the memory's exact one, which becomes the target (use 1, score 100,
 * target "MEM<rest of the source>"), and a fuzzy candidate (use 0, score 80). Its batch_done and
 * document_done append what they saw to the file named by `log`, one line each, so that a test
 * can tell what the whole chain made of the segments and when a document ended:
 *
 *     batch DOC ID STATUS SCORE TARGET        (for each segment; TARGET "-" when none)
 *     readonly OK | readonly BROKEN: ...      (once a batch: a change through the view is refused)
 *     document DOC                            (document_done, DOC the last batch's document)
 *
 * `probe=yes` makes process also call segment_add_match with bad arguments on its first segment
 * and log each status with host->last_error ("probe CASE STATUS REASON"). `fail=batch_done` or
 * `fail=document_done` makes that call fail.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlate/plugin.h"

typedef struct testmemory {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    const char *log;         /* the file the lines go to, or NULL */
    const char *fail;        /* "batch_done", "document_done" or NULL */
    int probe;
    char doc[256];           /* the document batch_done last saw */
} testmemory;

static const xlate_option_spec options[] = {
    {"log", XLATE_OPTION_PATH, NULL, "append what batch_done and document_done see to this file"},
    {"probe", XLATE_OPTION_BOOL, "no", "call segment_add_match with bad arguments and log why"},
    {"fail", XLATE_OPTION_STRING, NULL, "batch_done or document_done: that call fails"},
};

static const xlate_lang_pair pairs[] = {{"*", "*"}};

static int create(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *opts,
                  void **instance) {
    testmemory *t = calloc(1, sizeof *t);
    if (!t) {
        host->set_error(ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    t->host = host;
    t->ctx = ctx;
    t->log = host->option(opts, "log");
    t->fail = host->option(opts, "fail");
    host->option_bool(opts, "probe", &t->probe);
    if (!XLATE_HOST_HAS(host, segment_match_score)) {
        host->set_error(ctx, "this host has no segment_add_match (ABI 1.3 needed)");
        free(t);
        return XLATE_ERROR;
    }
    *instance = t;
    return XLATE_OK;
}

static void log_line(const testmemory *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void log_line(const testmemory *t, const char *fmt, ...) {
    if (!t->log)
        return;
    FILE *f = fopen(t->log, "a");
    if (!f)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
    fclose(f);
}

static void probe(testmemory *t, xlate_batch *batch) {
    const xlate_host *h = t->host;
    struct {
        const char *name;
        size_t i;
        const char *target;
        size_t target_len;
        double score;
        const char *source;
    } cases[] = {
        {"index", 99999, "x", 1, 50, "y"},
        {"score_high", 0, "x", 1, 100.5, "y"},
        {"score_negative", 0, "x", 1, -1, "y"},
        {"score_nan", 0, "x", 1, NAN, "y"},
        {"empty_target", 0, "", 0, 50, "y"},
        {"null_source", 0, "x", 1, 50, NULL},
        {"bad_utf8", 0, "\xC3(", 2, 50, "y"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        int rc = h->segment_add_match(batch, cases[k].i, cases[k].target, cases[k].target_len,
                                      cases[k].score, cases[k].source,
                                      cases[k].source ? strlen(cases[k].source) : 0, 1);
        const char *why = h->last_error(t->ctx);
        log_line(t, "probe %s %d %s", cases[k].name, rc, why ? why : "(none)");
    }
    log_line(t, "probe score_of_bad_index %g", h->segment_match_score(batch, 99999));
}

static int process(void *instance, xlate_batch *batch) {
    testmemory *t = instance;
    const xlate_host *h = t->host;
    if (t->probe && h->batch_count(batch) > 0)
        probe(t, batch);
    for (size_t i = 0; i < h->batch_count(batch); i++) {
        size_t len;
        const char *src = h->segment_source(batch, i, &len);
        if (!h->segment_active(batch, i) || len < 3 || strncmp(src, "TM:", 3) != 0)
            continue;
        char target[512];
        int n = snprintf(target, sizeof target, "MEM%.*s", (int)(len - 3), src + 3);
        if (n < 0 || (size_t)n >= sizeof target)
            continue;
        char near[512];
        int m = snprintf(near, sizeof near, "%.*s (near)", (int)len, src);
        if (h->segment_add_match(batch, i, target, (size_t)n, 100, src, len, 1) != XLATE_OK ||
            h->segment_add_match(batch, i, "FUZZY", 5, 80, near, (size_t)m, 0) != XLATE_OK) {
            h->set_error(t->ctx, "segment_add_match: %s", h->last_error(t->ctx));
            return XLATE_ERROR;
        }
    }
    return XLATE_OK;
}

/* The view is read-only: a change through it must be refused with a reason. */
static void check_read_only(testmemory *t, const xlate_batch *batch) {
    const xlate_host *h = t->host;
    xlate_batch *b = (xlate_batch *)batch;
    int rc1 = h->segment_set_target(b, 0, "changed", 7);
    const char *why = h->last_error(t->ctx);
    int said = why && strstr(why, "read-only") != NULL;
    int rc2 = h->segment_add_match(b, 0, "x", 1, 50, "y", 1, 1);
    int rc3 = h->segment_warn(b, 0, NULL, "late");
    int rc4 = h->segment_fail(b, 0, "late");
    if (rc1 == XLATE_EINVAL && said && rc2 == XLATE_EINVAL && rc3 == XLATE_EINVAL &&
        rc4 == XLATE_EINVAL)
        log_line(t, "readonly OK");
    else
        log_line(t, "readonly BROKEN: %d %d %d %d %s", rc1, rc2, rc3, rc4, why ? why : "(none)");
}

static int batch_done(void *instance, const xlate_batch *batch) {
    testmemory *t = instance;
    const xlate_host *h = t->host;
    snprintf(t->doc, sizeof t->doc, "%s", h->document_name(batch));
    for (size_t i = 0; i < h->batch_count(batch); i++) {
        size_t len = 0;
        const char *target = h->segment_target(batch, i, &len);
        log_line(t, "batch %s %zu %s %g %.*s", t->doc, h->segment_output_id(batch, i),
                 h->segment_active(batch, i) ? "active" : "inactive",
                 h->segment_match_score(batch, i), target ? (int)len : 1, target ? target : "-");
    }
    if (h->batch_count(batch) > 0)
        check_read_only(t, batch);
    if (t->fail && strcmp(t->fail, "batch_done") == 0) {
        h->set_error(t->ctx, "the memory cannot learn (fail=batch_done)");
        return XLATE_ERROR;
    }
    return XLATE_OK;
}

static int document_done(void *instance) {
    testmemory *t = instance;
    log_line(t, "document %s", t->doc);
    if (t->fail && strcmp(t->fail, "document_done") == 0) {
        t->host->set_error(t->ctx, "the memory cannot commit (fail=document_done)");
        return XLATE_ERROR;
    }
    return XLATE_OK;
}

static void destroy(void *instance) { free(instance); }

static const xlate_plugin descriptor = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "testmemory",
    .version = "1.0.0",
    .description = "a translation memory for the host's tests: TM: segments matched",
    .kind = XLATE_KIND_TRANSLATOR,
    .pairs = pairs,
    .n_pairs = 1,
    .options = options,
    .n_options = sizeof options / sizeof options[0],
    .create = create,
    .process = process,
    .destroy = destroy,
    .batch_done = batch_done,
    .document_done = document_done,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    (void)host;
    return &descriptor;
}
