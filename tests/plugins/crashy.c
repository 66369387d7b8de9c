/*
 * crashy: a translator for the isolation tests that breaks on purpose. Its translation is the
 * source in upper case (ASCII letters); a segment that contains CRASH_SEGV makes it segfault,
 * CRASH_ABORT makes it abort, CRASH_HANG makes it wait for ever (after a warning "hanging now",
 * for a test to wait for), and CRASH_LOG makes it log a warning. Options break create() the same ways, return a NULL instance (which the host must
 * refuse before process() dereferences it), or leak memory (for valgrind). As an engine plugin
 * does, it declares any pair and finds at run time the one it serves without options, uk → en:
 * the host's pair check then reads whether the user gave it options of its own.
 */
#include <ctype.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xlate/plugin.h"

typedef struct crashy {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    int leak;
} crashy;

static const xlate_option_spec options[] = {
    {"create", XLATE_OPTION_STRING, "ok", "ok, segv, abort, hang, or null (XLATE_OK, NULL instance)"},
    {"leak", XLATE_OPTION_BOOL, "false", "leak a block of memory in every process() call"},
};

static const xlate_lang_pair pairs[] = {{"*", "*"}};

/* Reached through a volatile pointer, so that no compiler proves the fault away. */
static int *volatile nowhere;

/* A real fault, not a sanitizer report: the tests want the signal. */
#if defined(__clang__) || defined(__GNUC__)
__attribute__((no_sanitize("undefined")))
#endif
static void segfault(void) { *nowhere = 1; }

static void hang(void) {
    for (;;)
        pause();
}

static void misbehave(const char *how) {
    if (strcmp(how, "segv") == 0)
        segfault();
    else if (strcmp(how, "abort") == 0)
        abort();
    else if (strcmp(how, "hang") == 0)
        hang();
}

static int create(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *opts,
                  void **instance) {
    const char *how = host->option(opts, "create");
    misbehave(how);
    if (strcmp(how, "null") == 0) {
        *instance = NULL;
        return XLATE_OK;
    }
    crashy *c = calloc(1, sizeof *c);
    if (!c) {
        host->set_error(ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    c->host = host;
    c->ctx = ctx;
    host->option_bool(opts, "leak", &c->leak);
    *instance = c;
    return XLATE_OK;
}

static int process(void *instance, xlate_batch *batch) {
    crashy *c = instance;
    const xlate_host *h = c->host; /* a NULL instance (create=null) faults here */
    if (c->leak) {
        char *lost = malloc(100);
        if (lost)
            memset(lost, 'x', 100);
        nowhere = (int *)(void *)lost;
        nowhere = NULL;
    }
    for (size_t i = 0; i < h->batch_count(batch); i++) {
        if (!h->segment_active(batch, i))
            continue;
        size_t len;
        const char *src = h->segment_source(batch, i, &len);
        if (strstr(src, "CRASH_SEGV"))
            segfault();
        if (strstr(src, "CRASH_ABORT"))
            abort();
        if (strstr(src, "CRASH_HANG")) {
            h->log(c->ctx, XLATE_LOG_WARNING, "hanging now");
            hang();
        }
        if (strstr(src, "CRASH_LOG"))
            h->log(c->ctx, XLATE_LOG_WARNING, "saw the log marker in a segment of %zu bytes", len);
        char *up = malloc(len + 1);
        if (!up) {
            h->set_error(c->ctx, "out of memory");
            return XLATE_ERROR;
        }
        for (size_t k = 0; k < len; k++)
            up[k] = (char)toupper((unsigned char)src[k]);
        up[len] = '\0';
        int rc = h->segment_set_target(batch, i, up, len);
        free(up);
        if (rc != XLATE_OK)
            return rc;
    }
    return XLATE_OK;
}

static void destroy(void *instance) { free(instance); }

static int enumerate_pairs(const xlate_host *host,
                           void (*emit)(void *data, const char *source, const char *target),
                           void *data) {
    (void)host;
    emit(data, "uk", "en");
    return XLATE_OK;
}

static const xlate_plugin descriptor = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "crashy",
    .version = "1.0.0",
    .description = "upper-cases the source and crashes on markers (for the isolation tests)",
    .kind = XLATE_KIND_TRANSLATOR,
    .pairs = pairs,
    .n_pairs = 1,
    .options = options,
    .n_options = sizeof options / sizeof options[0],
    .create = create,
    .process = process,
    .destroy = destroy,
    .enumerate_pairs = enumerate_pairs,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    (void)host;
    return &descriptor;
}
