/*
 * abi_v1_3: a translation memory compiled against the frozen ABI 1.3 header
 * (tests/abi/v1_3/plugin.h), which knows nothing of segment_status, dry_run or count_usage. Every
 * active segment whose source starts with "TM:" gets the memory's exact match (use 1, score 100,
 * target "MEM<rest>"); its batch_done, a 1.3 call at the end of the 1.3 descriptor, tells on
 * stderr (a warning line) how many segments of the batch it saw and how many had a target, so a
 * test sees that a 1.4 host still calls it where the 1.3 layout has it.
 */
#include <string.h>
#include <stdlib.h>

#include "plugin.h" /* tests/abi/v1_3/plugin.h: the ABI 1.3 header, frozen */

typedef struct abi_v1_3 {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
} abi_v1_3;

static const xlate_lang_pair v13_pairs[] = {{"*", "*"}};

static int v13_create(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *opts,
                      void **instance) {
    (void)opts;
    abi_v1_3 *p = calloc(1, sizeof *p);
    if (!p) {
        host->set_error(ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    p->host = host;
    p->ctx = ctx;
    *instance = p;
    return XLATE_OK;
}

static int v13_process(void *instance, xlate_batch *b) {
    const xlate_host *h = ((abi_v1_3 *)instance)->host;
    for (size_t i = 0; i < h->batch_count(b); i++) {
        size_t len = 0;
        const char *src = h->segment_source(b, i, &len);
        if (!h->segment_active(b, i) || len < 3 || memcmp(src, "TM:", 3) != 0)
            continue;
        char *target = malloc(len + 1);
        if (!target)
            return XLATE_ENOMEM;
        memcpy(target, "MEM", 3);
        memcpy(target + 3, src + 3, len - 3);
        int rc = h->segment_add_match(b, i, target, len, 100.0, src, len, 1);
        free(target);
        if (rc != XLATE_OK)
            return rc;
    }
    return XLATE_OK;
}

static int v13_batch_done(void *instance, const xlate_batch *b) {
    abi_v1_3 *p = instance;
    size_t with_target = 0, n = p->host->batch_count(b);
    for (size_t i = 0; i < n; i++)
        with_target += p->host->segment_target(b, i, NULL) != NULL;
    p->host->log(p->ctx, XLATE_LOG_WARNING, "batch_done: %zu segments, %zu with a target", n,
                 with_target);
    return XLATE_OK;
}

static void v13_destroy(void *instance) { free(instance); }

static const xlate_plugin v13_descriptor = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "abi_v1_3",
    .version = "1.3.0",
    .description = "a translation memory built against the frozen ABI 1.3 header",
    .kind = XLATE_KIND_TRANSLATOR,
    .pairs = v13_pairs,
    .n_pairs = 1,
    .create = v13_create,
    .process = v13_process,
    .destroy = v13_destroy,
    .batch_done = v13_batch_done,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    return XLATE_HOST_HAS(host, segment_match_score) ? &v13_descriptor : NULL;
}
