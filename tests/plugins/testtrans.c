/*
 * testtrans: a translator plugin for the host's tests. Its "translation" is the source in upper
 * case (ASCII letters), made from the masked source so glossary terms travel through it as
 * placeholders. Options make it misbehave on purpose: fail segments that contain a word, drop or
 * duplicate placeholders, or fail the whole batch.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "xlate/plugin.h"

typedef struct testtrans {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    const char *fail_word;   /* segments containing it are failed */
    int placeholders;        /* 1 keep, 0 drop, 2 duplicate */
    int fail_batch;
} testtrans;

static const xlate_option_spec options[] = {
    {"fail_word", XLATE_OPTION_STRING, NULL, "fail every segment that contains this text"},
    {"placeholders", XLATE_OPTION_STRING, "keep", "keep, drop or duplicate the term placeholders"},
    {"fail_batch", XLATE_OPTION_BOOL, "false", "make process() fail"},
    {"count", XLATE_OPTION_INT, "1", "an integer option, for option tests"},
    {"null_instance", XLATE_OPTION_BOOL, "false", "create() returns XLATE_OK without an instance"},
};

static const xlate_lang_pair pairs[] = {{"*", "*"}};

#define FORMAT "{T%u}"

static int create(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *opts,
                  void **instance) {
    testtrans *t = calloc(1, sizeof *t);
    if (!t) {
        host->set_error(ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    t->host = host;
    t->ctx = ctx;
    t->fail_word = host->option(opts, "fail_word");
    const char *ph = host->option(opts, "placeholders");
    t->placeholders = strcmp(ph, "drop") == 0 ? 0 : strcmp(ph, "duplicate") == 0 ? 2 : 1;
    host->option_bool(opts, "fail_batch", &t->fail_batch);
    int null_instance = 0;
    host->option_bool(opts, "null_instance", &null_instance);
    if (null_instance) { /* a broken plugin: success, and nothing to call process on */
        free(t);
        *instance = NULL;
        return XLATE_OK;
    }
    *instance = t;
    return XLATE_OK;
}

/* Upper-cases ASCII letters outside placeholders; drops or doubles "{T0}" when asked. */
static char *fake_translation(const testtrans *t, const char *masked, size_t len, size_t *out_len) {
    char *out = malloc(len * 2 + 1);
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        if (strncmp(masked + i, "{T0}", 4) == 0) {
            for (int k = 0; k < t->placeholders; k++) {
                memcpy(out + o, "{T0}", 4);
                o += 4;
            }
            i += 4;
            continue;
        }
        if (masked[i] == '{') { /* other placeholders pass as they are */
            while (i < len && masked[i] != '}')
                out[o++] = masked[i++];
            if (i < len)
                out[o++] = masked[i++];
            continue;
        }
        out[o++] = (char)toupper((unsigned char)masked[i++]);
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

static int process(void *instance, xlate_batch *batch) {
    testtrans *t = instance;
    const xlate_host *h = t->host;
    if (t->fail_batch) {
        h->set_error(t->ctx, "the engine is gone (fail_batch)");
        return XLATE_ERROR;
    }
    for (size_t i = 0; i < h->batch_count(batch); i++) {
        if (!h->segment_active(batch, i))
            continue;
        size_t len;
        const char *src = h->segment_source(batch, i, &len);
        if (t->fail_word && strstr(src, t->fail_word)) {
            h->segment_fail(batch, i, "testtrans: this segment contains the fail word");
            continue;
        }
        char *masked = NULL;
        size_t mlen = 0;
        if (h->segment_masked_source(batch, i, FORMAT, &masked, &mlen) != XLATE_OK)
            return XLATE_ERROR;
        size_t tlen;
        char *tr = fake_translation(t, masked, mlen, &tlen);
        h->free(masked);
        int rc = h->segment_set_unmasked_target(batch, i, FORMAT, tr, tlen);
        free(tr);
        if (rc != XLATE_OK)
            return rc;
    }
    return XLATE_OK;
}

static void destroy(void *instance) { free(instance); }

static const xlate_plugin descriptor = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "testtrans",
    .version = "1.0.0",
    .description = "upper-cases the source (for the host's tests)",
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
    (void)host;
    return &descriptor;
}
