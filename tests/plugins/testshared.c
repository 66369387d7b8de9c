/*
 * testshared: a glossary-kind plugin for the host's tests of ABI 1.5's shared data. load() makes
 * one object holding the option `prefix`; each instance takes it through plugin_shared and sets
 * every active segment's target to PREFIX + source, so a segment shows that its worker read the
 * shared object. Every call of load, create, destroy and unload appends one line to the file of
 * option `trace` ("load PID OBJECT", "create PID OBJECT", ...; OBJECT the shared object's
 * address, "none" when create got none), so a test counts them and checks their order. With
 * fail=yes load fails with a message.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xlate/plugin.h"

#define SHARED_MAGIC 0x5ead0bu

typedef struct shared_data {
    unsigned magic;
    char prefix[64];
    char trace[1024];
} shared_data;

typedef struct testshared {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    const shared_data *shared;
} testshared;

static const xlate_lang_pair pairs[] = {{"*", "*"}};

static const xlate_option_spec options[] = {
    {"trace", XLATE_OPTION_PATH, NULL, "file the calls are appended to"},
    {"prefix", XLATE_OPTION_STRING, "S:", "put before each source as its target"},
    {"fail", XLATE_OPTION_BOOL, "no", "load fails"},
};

/* One write per line, O_APPEND: the lines of several threads and processes do not mix. */
static void trace(const char *path, const char *call, const void *object) {
    if (!path || !*path)
        return;
    char line[128];
    int n = object ? snprintf(line, sizeof line, "%s %ld %p\n", call, (long)getpid(), object)
                   : snprintf(line, sizeof line, "%s %ld none\n", call, (long)getpid());
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    if (write(fd, line, (size_t)n) != n)
        perror("testshared: trace");
    close(fd);
}

static int load(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *opts,
                void **shared) {
    int fail = 0;
    host->option_bool(opts, "fail", &fail);
    if (fail) {
        host->set_error(ctx, "the shared data could not be loaded (fail=yes)");
        return XLATE_ERROR;
    }
    shared_data *s = calloc(1, sizeof *s);
    if (!s)
        return XLATE_ENOMEM;
    s->magic = SHARED_MAGIC;
    const char *prefix = host->option(opts, "prefix"), *path = host->option(opts, "trace");
    snprintf(s->prefix, sizeof s->prefix, "%s", prefix ? prefix : "");
    snprintf(s->trace, sizeof s->trace, "%s", path ? path : "");
    trace(s->trace, "load", s);
    *shared = s;
    return XLATE_OK;
}

static void unload(void *shared) {
    shared_data *s = shared;
    trace(s->trace, "unload", s);
    s->magic = 0;
    free(s);
}

static int create(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *opts,
                  void **instance) {
    const shared_data *s = host->plugin_shared(ctx);
    if (!s || s->magic != SHARED_MAGIC) {
        trace(host->option(opts, "trace"), "create", NULL);
        host->set_error(ctx, "create got no shared data from the host");
        return XLATE_ERROR;
    }
    testshared *t = calloc(1, sizeof *t);
    if (!t)
        return XLATE_ENOMEM;
    t->host = host;
    t->ctx = ctx;
    t->shared = s;
    trace(s->trace, "create", s);
    *instance = t;
    return XLATE_OK;
}

static int process(void *instance, xlate_batch *batch) {
    testshared *t = instance;
    const xlate_host *h = t->host;
    if (t->shared->magic != SHARED_MAGIC) {
        h->set_error(t->ctx, "the shared data was unloaded while an instance used it");
        return XLATE_ERROR;
    }
    for (size_t i = 0; i < h->batch_count(batch); i++) {
        size_t len;
        const char *src = h->segment_source(batch, i, &len);
        size_t plen = strlen(t->shared->prefix);
        char *target = malloc(plen + len + 1);
        if (!target)
            return XLATE_ENOMEM;
        memcpy(target, t->shared->prefix, plen);
        memcpy(target + plen, src, len);
        int rc = h->segment_active(batch, i) ? h->segment_set_target(batch, i, target, plen + len)
                                             : XLATE_OK;
        free(target);
        if (rc != XLATE_OK)
            return rc;
    }
    return XLATE_OK;
}

static void destroy(void *instance) {
    testshared *t = instance;
    trace(t->shared->trace, "destroy", t->shared);
    free(t);
}

static const xlate_plugin descriptor = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "testshared",
    .version = "1.0.0",
    .description = "targets made from data its instances share (host tests)",
    .kind = XLATE_KIND_GLOSSARY,
    .pairs = pairs,
    .n_pairs = 1,
    .options = options,
    .n_options = sizeof options / sizeof options[0],
    .create = create,
    .process = process,
    .destroy = destroy,
    .load = load,
    .unload = unload,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    return XLATE_HOST_HAS(host, plugin_shared) ? &descriptor : NULL;
}
