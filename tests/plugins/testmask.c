/*
 * testmask: a translator plugin for the host's tests of placeholders. It answers with what the
 * test tells it, so that a test states the engine's answer exactly: `show` sets the target to the
 * segment's code count, "|", and its masked source; `reply` is an answer with placeholders, given
 * to segment_set_unmasked_target; `plain` is a target set with segment_set_target.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlate/plugin.h"

typedef struct testmask {
    const xlate_host *host;
    const char *reply;
    const char *plain;
    int show;
} testmask;

static const xlate_option_spec options[] = {
    {"show", XLATE_OPTION_BOOL, "false", "the target is the code count and the masked source"},
    {"reply", XLATE_OPTION_STRING, NULL, "the engine's answer, with placeholders"},
    {"plain", XLATE_OPTION_STRING, NULL, "a target set as plain text"},
};

static const xlate_lang_pair pairs[] = {{"*", "*"}};

#define FORMAT "[XT%u]"

static int create(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *opts,
                  void **instance) {
    testmask *t = calloc(1, sizeof *t);
    if (!t) {
        host->set_error(ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    t->host = host;
    t->reply = host->option(opts, "reply");
    t->plain = host->option(opts, "plain");
    host->option_bool(opts, "show", &t->show);
    *instance = t;
    return XLATE_OK;
}

static int show(const xlate_host *h, xlate_batch *batch, size_t i) {
    char *masked = NULL, head[32];
    size_t len = 0;
    int rc = h->segment_masked_source(batch, i, FORMAT, &masked, &len);
    if (rc != XLATE_OK)
        return rc;
    int n = snprintf(head, sizeof head, "%zu|", h->segment_code_count(batch, i));
    char *text = malloc((size_t)n + len + 1);
    if (text) {
        memcpy(text, head, (size_t)n);
        memcpy(text + n, masked, len);
        rc = h->segment_set_target(batch, i, text, (size_t)n + len);
    }
    free(text);
    h->free(masked);
    return text ? rc : XLATE_ENOMEM;
}

static int process(void *instance, xlate_batch *batch) {
    testmask *t = instance;
    const xlate_host *h = t->host;
    for (size_t i = 0; i < h->batch_count(batch); i++) {
        if (!h->segment_active(batch, i))
            continue;
        int rc = XLATE_OK;
        if (t->show)
            rc = show(h, batch, i);
        else if (t->reply)
            rc = h->segment_set_unmasked_target(batch, i, FORMAT, t->reply, strlen(t->reply));
        else if (t->plain)
            rc = h->segment_set_target(batch, i, t->plain, strlen(t->plain));
        if (rc != XLATE_OK)
            return rc;
    }
    return XLATE_OK;
}

static void destroy(void *instance) { free(instance); }

static const xlate_plugin descriptor = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "testmask",
    .version = "1.0.0",
    .description = "answers as the test says (for the host's placeholder tests)",
    .kind = XLATE_KIND_TRANSLATOR,
    .pairs = pairs,
    .n_pairs = 1,
    .options = options,
    .n_options = sizeof options / sizeof options[0],
    .create = create,
    .process = process,
    .destroy = destroy,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    return XLATE_HOST_HAS(host, segment_code_count) ? &descriptor : NULL;
}
