/*
 * abi_v1_2: a translator compiled against the frozen ABI 1.2 header (tests/abi/v1_2/plugin.h),
 * which knows nothing of inline codes. Its "translation" is the source in upper case (ASCII
 * letters): through the masked pair when the segment has terms (as every 1.2 translator does), with
 * plain segment_set_target otherwise. The current host must still keep every code of a document:
 * placed where a placeholder came back, at the end with a code_lost warning where none did.
 */
#include <stdlib.h>

#include "plugin.h" /* tests/abi/v1_2/plugin.h: the ABI 1.2 header, frozen */

typedef struct abi_v1_2 {
    const xlate_host *host;
} abi_v1_2;

static const xlate_lang_pair v12_pairs[] = {{"*", "*"}};

static int v12_create(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *opts,
                      void **instance) {
    (void)opts;
    abi_v1_2 *p = calloc(1, sizeof *p);
    if (!p) {
        host->set_error(ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    p->host = host;
    *instance = p;
    return XLATE_OK;
}

static char *upper(const char *s, size_t len) {
    char *out = malloc(len + 1);
    for (size_t k = 0; out && k < len; k++)
        out[k] = (s[k] >= 'a' && s[k] <= 'z') ? (char)(s[k] - 32) : s[k];
    if (out)
        out[len] = '\0';
    return out;
}

static int v12_process(void *instance, xlate_batch *batch) {
    const xlate_host *h = ((abi_v1_2 *)instance)->host;
    for (size_t i = 0; i < h->batch_count(batch); i++) {
        if (!h->segment_active(batch, i))
            continue;
        int masked = h->segment_term_count(batch, i) > 0;
        size_t len = 0;
        char *m = NULL;
        const char *src = h->segment_source(batch, i, &len);
        if (masked && h->segment_masked_source(batch, i, "[T%u]", &m, &len) != XLATE_OK)
            return XLATE_ERROR;
        char *out = upper(masked ? m : src, len);
        if (m)
            h->free(m);
        if (!out)
            return XLATE_ENOMEM;
        int rc = masked ? h->segment_set_unmasked_target(batch, i, "[T%u]", out, len)
                        : h->segment_set_target(batch, i, out, len);
        free(out);
        if (rc != XLATE_OK)
            return rc;
    }
    return XLATE_OK;
}

static void v12_destroy(void *instance) { free(instance); }

static const xlate_plugin v12_descriptor = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "abi_v1_2",
    .version = "1.2.0",
    .description = "upper-cases the source; built against the frozen ABI 1.2 header",
    .kind = XLATE_KIND_TRANSLATOR,
    .pairs = v12_pairs,
    .n_pairs = 1,
    .create = v12_create,
    .process = v12_process,
    .destroy = v12_destroy,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    return XLATE_HOST_HAS(host, document_name) ? &v12_descriptor : NULL;
}
