/*
 * qa-translator: the translator of bench/qa-cost.sh's second run, a plugin built by the script. It
 * changes every segment a little and nothing that a qa check looks at: the target is "T: " and
 * the source, the glossary's terms put in through placeholders as an engine's would be. So qa
 * checks every segment whole (no target is a copy) and warns on next to none of them.
 */
#include <stdlib.h>
#include <string.h>

#include "xlate/plugin.h"

#define FORMAT "{T%u}"
#define PREFIX "T: "

typedef struct bench_trans {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
} bench_trans;

static const xlate_lang_pair pairs[] = {{"*", "*"}};

static int create(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *opts,
                  void **instance) {
    (void)opts;
    bench_trans *t = calloc(1, sizeof *t);
    if (!t) {
        host->set_error(ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    t->host = host;
    t->ctx = ctx;
    *instance = t;
    return XLATE_OK;
}

static int process(void *instance, xlate_batch *batch) {
    bench_trans *t = instance;
    const xlate_host *h = t->host;
    for (size_t i = 0; i < h->batch_count(batch); i++) {
        if (!h->segment_active(batch, i))
            continue;
        char *masked = NULL;
        size_t mlen = 0;
        int rc = h->segment_masked_source(batch, i, FORMAT, &masked, &mlen);
        if (rc != XLATE_OK)
            return rc;
        char *out = malloc(mlen + sizeof PREFIX);
        if (!out) {
            h->free(masked);
            h->set_error(t->ctx, "out of memory");
            return XLATE_ENOMEM;
        }
        memcpy(out, PREFIX, sizeof PREFIX - 1);
        memcpy(out + sizeof PREFIX - 1, masked, mlen);
        h->free(masked);
        rc = h->segment_set_unmasked_target(batch, i, FORMAT, out, mlen + sizeof PREFIX - 1);
        free(out);
        if (rc != XLATE_OK)
            return rc;
    }
    return XLATE_OK;
}

static void destroy(void *instance) { free(instance); }

static const xlate_plugin descriptor = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "qa-bench",
    .version = "1.0.0",
    .description = "\"T: \" and the source (bench/qa-cost.sh)",
    .kind = XLATE_KIND_TRANSLATOR,
    .pairs = pairs,
    .n_pairs = 1,
    .options = NULL,
    .n_options = 0,
    .create = create,
    .process = process,
    .destroy = destroy,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    (void)host;
    return &descriptor;
}
