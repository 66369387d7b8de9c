/*
 * testterms: a glossary (ABI 1.2) for the host's tests: marks every occurrence of `term` in the
 * source with the target `target`, so that a translator carries it through placeholders.
 */
#include <stdlib.h>
#include <string.h>

#include "xlate/plugin.h"

typedef struct testterms {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    const char *term, *target;
} testterms;

static const xlate_option_spec options[] = {
    {"term", XLATE_OPTION_STRING, "NATO", "the source term"},
    {"target", XLATE_OPTION_STRING, "OTAN", "its target term"},
};

static const xlate_lang_pair pairs[] = {{"*", "*"}};

static int create(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *opts,
                  void **instance) {
    testterms *t = calloc(1, sizeof *t);
    if (!t)
        return XLATE_ENOMEM;
    t->host = host;
    t->ctx = ctx;
    t->term = host->option(opts, "term");
    t->target = host->option(opts, "target");
    if (!*t->term) {
        host->set_error(ctx, "term must not be empty");
        free(t);
        return XLATE_EINVAL;
    }
    *instance = t;
    return XLATE_OK;
}

static int process(void *instance, xlate_batch *batch) {
    testterms *t = instance;
    const xlate_host *h = t->host;
    size_t n = strlen(t->term);
    for (size_t i = 0; i < h->batch_count(batch); i++) {
        if (!h->segment_active(batch, i))
            continue;
        size_t len;
        const char *src = h->segment_source(batch, i, &len);
        for (const char *at = strstr(src, t->term); at; at = strstr(at + n, t->term)) {
            xlate_term term = {(size_t)(at - src), (size_t)(at - src) + n, t->target, NULL, 0};
            if (h->segment_add_term(batch, i, &term) != XLATE_OK) {
                h->set_error(t->ctx, "%s", h->last_error(t->ctx));
                return XLATE_ERROR;
            }
        }
    }
    return XLATE_OK;
}

static void destroy(void *instance) { free(instance); }

static const xlate_plugin descriptor = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "testterms",
    .version = "1.0.0",
    .description = "marks one term (host tests)",
    .kind = XLATE_KIND_GLOSSARY,
    .pairs = pairs,
    .n_pairs = 1,
    .options = options,
    .n_options = sizeof options / sizeof options[0],
    .create = create,
    .process = process,
    .destroy = destroy,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    return XLATE_HOST_HAS(host, last_error) ? &descriptor : NULL;
}
