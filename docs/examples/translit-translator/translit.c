/*
 * translit: a small xlate translator plugin that writes Ukrainian in Latin letters with one of
 * ICU's transforms (by default "Ukrainian-Latin/BGN", the BGN/PCGN romanization), for readers and
 * tools that cannot take Cyrillic. It shows what every translator does: it asks the host for the
 * source with the glossary's terms masked as placeholders, runs its engine (here an ICU
 * transliterator, one per instance since ICU's are not thread-safe) and hands the result back so
 * that the host puts the target terms in place of the placeholders.
 *
 * Built from the installed SDK only: see meson.build or Makefile beside it.
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/utrans.h>
#include <unicode/ustring.h>

#include <xlate/plugin.h>

#define PLACEHOLDER "[T%u]" /* ASCII, so the transform leaves it as it is */

typedef struct translit {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    UTransliterator *trans;
} translit;

static const xlate_option_spec translit_options[] = {
    {"rules", XLATE_OPTION_STRING, "Ukrainian-Latin/BGN",
     "the ICU transform to apply (`uconv -L` lists them)"},
};

static const xlate_lang_pair translit_pairs[] = {{"uk", "uk-Latn"}};

static void translit_destroy(void *instance) {
    translit *t = instance;
    if (t->trans)
        utrans_close(t->trans);
    free(t);
}

static int translit_create(const xlate_host *host, xlate_plugin_ctx *ctx,
                           const xlate_options *options, void **instance) {
    translit *t = calloc(1, sizeof *t);
    if (!t) {
        host->set_error(ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    t->host = host;
    t->ctx = ctx;
    const char *rules = host->option(options, "rules");
    UChar id[256];
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8(id, 256, NULL, rules, -1, &status);
    if (U_SUCCESS(status))
        t->trans = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
    if (U_FAILURE(status) || !t->trans) {
        host->set_error(ctx, "rules=%s: ICU has no such transform (%s); `uconv -L` lists them",
                        rules, u_errorName(status));
        translit_destroy(t);
        return XLATE_EINVAL;
    }
    *instance = t;
    return XLATE_OK;
}

/* UTF-8 in, UTF-8 out (malloc'd), through the transliterator. A transform can make the text
 * longer ("щ" → "shch"), so the UTF-16 buffer is grown until it fits. */
static char *transliterate(translit *t, const char *text, size_t len, size_t *out_len) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t n16 = 0;
    u_strFromUTF8(NULL, 0, &n16, text, (int32_t)len, &status);
    for (int32_t cap = n16 * 2 + 16;; cap *= 2) {
        UChar *buf = malloc((size_t)cap * sizeof *buf);
        if (!buf)
            return NULL;
        status = U_ZERO_ERROR;
        u_strFromUTF8(buf, cap, &n16, text, (int32_t)len, &status);
        int32_t length = n16, limit = n16;
        utrans_transUChars(t->trans, buf, &length, cap, 0, &limit, &status);
        if (status == U_BUFFER_OVERFLOW_ERROR) {
            free(buf);
            continue;
        }
        char *out = NULL;
        int32_t n8 = 0;
        if (U_SUCCESS(status)) {
            u_strToUTF8(NULL, 0, &n8, buf, length, &status);
            status = U_ZERO_ERROR;
            out = malloc((size_t)n8 + 1);
            if (out)
                u_strToUTF8(out, n8 + 1, &n8, buf, length, &status);
        }
        free(buf);
        if (out && U_FAILURE(status)) {
            free(out);
            out = NULL;
        }
        *out_len = (size_t)n8;
        return out;
    }
}

static int translit_process(void *instance, xlate_batch *batch) {
    translit *t = instance;
    const xlate_host *h = t->host;
    for (size_t i = 0; i < h->batch_count(batch); i++) {
        if (!h->segment_active(batch, i))
            continue;
        char *masked = NULL;
        size_t masked_len = 0, out_len = 0;
        if (h->segment_masked_source(batch, i, PLACEHOLDER, &masked, &masked_len) != XLATE_OK)
            return XLATE_ENOMEM;
        char *out = transliterate(t, masked, masked_len, &out_len);
        h->free(masked); /* the host's memory goes back through the host */
        if (!out) {
            h->segment_fail(batch, i, "translit: ICU could not transform this segment");
            continue;
        }
        int rc = h->segment_set_unmasked_target(batch, i, PLACEHOLDER, out, out_len);
        free(out); /* ours: the host has copied it */
        if (rc != XLATE_OK)
            return rc;
    }
    return XLATE_OK;
}

static const xlate_plugin translit_descriptor = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "translit",
    .version = "1.0.0",
    .description = "writes Ukrainian in Latin letters (ICU transform, BGN/PCGN by default)",
    .kind = XLATE_KIND_TRANSLATOR,
    .pairs = translit_pairs,
    .n_pairs = sizeof translit_pairs / sizeof translit_pairs[0],
    .options = translit_options,
    .n_options = sizeof translit_options / sizeof translit_options[0],
    .create = translit_create,
    .process = translit_process,
    .destroy = translit_destroy,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    return XLATE_ABI_VERSION_MAJOR(host->abi_version) == XLATE_ABI_MAJOR ? &translit_descriptor
                                                                        : NULL;
}
