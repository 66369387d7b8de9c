/*
 * testcase: a translator (ABI 1.2) for the host's tests whose "engine" changes the case of every
 * ASCII letter of the masked source, placeholders included, as some engines do: to upper case
 * for the private-use target language x-upper, to lower case for x-lower. Glossary terms travel
 * as "[T%u]" placeholders, which is also text a source may hold ("room [T0]"). It declares only
 * those two pairs, so a run to another language is refused by the host.
 */
#include <stdlib.h>
#include <string.h>

#include "xlate/plugin.h"

#define FORMAT "[T%u]"

typedef struct testcase {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    int upper;
} testcase;

static const xlate_lang_pair pairs[] = {{"en", "x-upper"}, {"en", "x-lower"}};

static int create(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *opts,
                  void **instance) {
    (void)opts;
    testcase *t = calloc(1, sizeof *t);
    if (!t)
        return XLATE_ENOMEM;
    t->host = host;
    t->ctx = ctx;
    t->upper = strcmp(host->target_lang(ctx), "x-lower") != 0;
    *instance = t;
    return XLATE_OK;
}

static void change_case(char *s, size_t len, int upper) {
    for (size_t i = 0; i < len; i++) {
        if (upper && s[i] >= 'a' && s[i] <= 'z')
            s[i] = (char)(s[i] - 'a' + 'A');
        else if (!upper && s[i] >= 'A' && s[i] <= 'Z')
            s[i] = (char)(s[i] - 'A' + 'a');
    }
}

static int process(void *instance, xlate_batch *batch) {
    testcase *t = instance;
    const xlate_host *h = t->host;
    for (size_t i = 0; i < h->batch_count(batch); i++) {
        if (!h->segment_active(batch, i))
            continue;
        char *masked = NULL;
        size_t len = 0;
        int rc = h->segment_masked_source(batch, i, FORMAT, &masked, &len);
        if (rc == XLATE_OK) {
            change_case(masked, len, t->upper);
            rc = h->segment_set_unmasked_target(batch, i, FORMAT, masked, len);
            h->free(masked);
        }
        if (rc != XLATE_OK) {
            h->set_error(t->ctx, "%s", h->last_error(t->ctx));
            return XLATE_ERROR;
        }
    }
    return XLATE_OK;
}

static void destroy(void *instance) { free(instance); }

static const xlate_plugin descriptor = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "testcase",
    .version = "1.0.0",
    .description = "changes the case of the whole masked source (host tests)",
    .kind = XLATE_KIND_TRANSLATOR,
    .pairs = pairs,
    .n_pairs = sizeof pairs / sizeof pairs[0],
    .create = create,
    .process = process,
    .destroy = destroy,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    return XLATE_HOST_HAS(host, last_error) ? &descriptor : NULL;
}
