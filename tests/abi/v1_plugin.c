/*
 * abi_v1: a translator compiled against the frozen ABI 1.0 header (tests/abi/v1/plugin.h), never
 * against the current one. The current host must keep loading it and calling it through the 1.0
 * layout of both tables as include/xlate/plugin.h grows. It calls every kind of host service a
 * 1.0 plugin has — options, languages, the batch, terms, masking, errors — so that a field moved
 * in xlate_host shows as a wrong call here.
 *
 * Its "translation": "<target lang>:" followed by the masked source with "НАТО" carried as a
 * term to "NATO", repeated `repeat` times; a segment that contains `fail_word` is failed.
 */
#include <stdlib.h>
#include <string.h>

#include "plugin.h" /* tests/abi/v1/plugin.h: the ABI 1.0 header, frozen */

typedef struct abi_v1 {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    long long repeat;
    const char *fail_word;
} abi_v1;

static const xlate_option_spec v1_options[] = {
    {"repeat", XLATE_OPTION_INT, "1", "how many times the target repeats the source"},
    {"fail_word", XLATE_OPTION_STRING, NULL, "fail the segments that contain this text"},
};

static const xlate_lang_pair v1_pairs[] = {{"uk", "*"}};

static int v1_create(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *opts,
                     void **instance) {
    abi_v1 *p = calloc(1, sizeof *p);
    if (!p)
        return XLATE_ENOMEM;
    p->host = host;
    p->ctx = ctx;
    if (host->option_int(opts, "repeat", &p->repeat) != XLATE_OK || p->repeat < 1 || p->repeat > 3) {
        host->set_error(ctx, "repeat must be 1, 2 or 3");
        free(p);
        return XLATE_EINVAL;
    }
    p->fail_word = host->option(opts, "fail_word");
    *instance = p;
    return XLATE_OK;
}

static int v1_mark_terms(abi_v1 *p, xlate_batch *batch, size_t i) {
    const xlate_host *h = p->host;
    size_t len;
    const char *src = h->segment_source(batch, i, &len);
    const char *at = strstr(src, "НАТО");
    if (!at)
        return XLATE_OK;
    xlate_term t = {(size_t)(at - src), (size_t)(at - src) + strlen("НАТО"), "NATO", NULL, 0};
    return h->segment_add_term(batch, i, &t);
}

static int v1_translate(abi_v1 *p, xlate_batch *batch, size_t i) {
    const xlate_host *h = p->host;
    char *masked = NULL;
    size_t mlen = 0;
    if (h->segment_masked_source(batch, i, "<%u>", &masked, &mlen) != XLATE_OK)
        return XLATE_ERROR;
    const char *lang = h->target_lang(p->ctx);
    size_t cap = strlen(lang) + 1 + (size_t)p->repeat * (mlen + 1) + 1;
    char *out = malloc(cap);
    if (!out) {
        h->free(masked);
        return XLATE_ENOMEM;
    }
    size_t o = strlen(lang);
    memcpy(out, lang, o);
    out[o++] = ':';
    for (long long r = 0; r < p->repeat; r++) {
        if (r)
            out[o++] = ' ';
        memcpy(out + o, masked, mlen);
        o += mlen;
    }
    h->free(masked);
    int rc = h->segment_set_unmasked_target(batch, i, "<%u>", out, o);
    free(out);
    return rc;
}

static int v1_process(void *instance, xlate_batch *batch) {
    abi_v1 *p = instance;
    const xlate_host *h = p->host;
    for (size_t i = 0; i < h->batch_count(batch); i++) {
        if (!h->segment_active(batch, i))
            continue;
        size_t len;
        const char *src = h->segment_source(batch, i, &len);
        if (p->fail_word && strstr(src, p->fail_word)) {
            h->segment_fail(batch, i, "abi_v1: the segment contains the fail word");
            continue;
        }
        if (v1_mark_terms(p, batch, i) != XLATE_OK || v1_translate(p, batch, i) != XLATE_OK) {
            h->set_error(p->ctx, "abi_v1: a host call failed on segment %zu", i);
            return XLATE_ERROR;
        }
        if (h->segment_term_count(batch, i) > 0 && strcmp(h->segment_term(batch, i, 0)->target, "NATO") != 0) {
            h->set_error(p->ctx, "abi_v1: segment_term gave back another term");
            return XLATE_ERROR;
        }
    }
    return XLATE_OK;
}

static void v1_destroy(void *instance) { free(instance); }

static const xlate_plugin v1_descriptor = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "abi_v1",
    .version = "1.0.0",
    .description = "a translator built against the frozen ABI 1.0 header",
    .kind = XLATE_KIND_TRANSLATOR,
    .pairs = v1_pairs,
    .n_pairs = 1,
    .options = v1_options,
    .n_options = sizeof v1_options / sizeof v1_options[0],
    .create = v1_create,
    .process = v1_process,
    .destroy = v1_destroy,
};

/* A 1.0 plugin needs the 1.0 host table whole: a host that offers less is refused. */
XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    if (XLATE_ABI_VERSION_MAJOR(host->abi_version) != 1 || host->struct_size < sizeof(xlate_host))
        return NULL;
    return &v1_descriptor;
}
