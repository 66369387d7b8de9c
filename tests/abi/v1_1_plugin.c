/*
 * abi_v1_1: a translator compiled against the frozen ABI 1.1 header (tests/abi/v1_1/plugin.h),
 * never against the current one. The current host must keep loading it and calling it through
 * the 1.1 layout of both tables, the 1.1 calls (segment_index, segment_paragraph) included.
 *
 * Its "translation": "P.I " (the segment's paragraph and its index in the document) followed by
 * the source; segments of paragraph `drop_from` and later are dropped with a reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin.h" /* tests/abi/v1_1/plugin.h: the ABI 1.1 header, frozen */

typedef struct abi_v1_1 {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    long long drop_from;
} abi_v1_1;

static const xlate_option_spec v11_options[] = {
    {"drop_from", XLATE_OPTION_INT, "-1", "drop the segments of this paragraph and later ones"},
};

static const xlate_lang_pair v11_pairs[] = {{"*", "*"}};

static int v11_create(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *opts,
                      void **instance) {
    abi_v1_1 *p = calloc(1, sizeof *p);
    if (!p)
        return XLATE_ENOMEM;
    p->host = host;
    p->ctx = ctx;
    if (host->option_int(opts, "drop_from", &p->drop_from) != XLATE_OK) {
        host->set_error(ctx, "drop_from has no value");
        free(p);
        return XLATE_EINVAL;
    }
    *instance = p;
    return XLATE_OK;
}

static int v11_process(void *instance, xlate_batch *batch) {
    abi_v1_1 *p = instance;
    const xlate_host *h = p->host;
    for (size_t i = 0; i < h->batch_count(batch); i++) {
        if (!h->segment_active(batch, i))
            continue;
        size_t paragraph = h->segment_paragraph(batch, i), index = h->segment_index(batch, i);
        if (p->drop_from >= 0 && paragraph >= (size_t)p->drop_from) {
            if (h->segment_drop(batch, i, "abi_v1_1: a paragraph after the limit") != XLATE_OK)
                return XLATE_ERROR;
            continue;
        }
        size_t len;
        const char *src = h->segment_source(batch, i, &len);
        char *out = malloc(len + 48);
        if (!out)
            return XLATE_ENOMEM;
        int n = snprintf(out, len + 48, "%zu.%zu %s", paragraph, index, src);
        int rc = h->segment_set_target(batch, i, out, (size_t)n);
        free(out);
        if (rc != XLATE_OK) {
            h->set_error(p->ctx, "abi_v1_1: segment_set_target failed on segment %zu", i);
            return XLATE_ERROR;
        }
    }
    return XLATE_OK;
}

static void v11_destroy(void *instance) { free(instance); }

static const xlate_plugin v11_descriptor = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "abi_v1_1",
    .version = "1.1.0",
    .description = "a translator built against the frozen ABI 1.1 header",
    .kind = XLATE_KIND_TRANSLATOR,
    .pairs = v11_pairs,
    .n_pairs = 1,
    .options = v11_options,
    .n_options = sizeof v11_options / sizeof v11_options[0],
    .create = v11_create,
    .process = v11_process,
    .destroy = v11_destroy,
};

/* It calls segment_index and segment_paragraph: a 1.0 host is declined. */
XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    return XLATE_HOST_HAS(host, segment_paragraph) ? &v11_descriptor : NULL;
}
