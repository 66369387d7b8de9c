/*
 * oboz_filter: an xlate filter plugin that drops OBOZ.UA's promotional boilerplate before
 * translation, so that translators and reviewers spend no time on it:
 *
 *   - the paragraph that begins "Тільки перевірена інформація у нас у Telegram-каналі OBOZ.UA
 *     та Viber" (with its "Не ведіться на фейки!");
 *   - the heading "Інші новини" and the teaser lines of other articles that follow it to the end
 *     of the page.
 *
 * Dropped segments stay in the output with the status "filtered" and the reason, so nothing
 * disappears unseen. Built from the installed SDK only: see meson.build or Makefile beside it.
 */
#include <stdlib.h>
#include <string.h>

#include <xlate/plugin.h>

/* What the instance remembers from one batch to the next of the same document. */
typedef struct oboz_filter {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    const char *promo;        /* the promo paragraph's first words (option "promo") */
    const char *heading;      /* the heading of the teaser block (option "heading") */
    int in_teasers;           /* the heading was seen: the rest of the document is teasers */
    int in_promo;             /* inside the promo paragraph ... */
    size_t promo_paragraph;   /* ... which is this one */
} oboz_filter;

static const xlate_option_spec filter_options[] = {
    {"promo", XLATE_OPTION_STRING,
     "Тільки перевірена інформація у нас у Telegram-каналі OBOZ.UA",
     "a paragraph that begins with this text is dropped whole"},
    {"heading", XLATE_OPTION_STRING, "Інші новини",
     "a segment that is exactly this heading is dropped with everything after it"},
};

static const xlate_lang_pair filter_pairs[] = {{"uk", "*"}};

static int filter_create(const xlate_host *host, xlate_plugin_ctx *ctx,
                         const xlate_options *options, void **instance) {
    oboz_filter *f = calloc(1, sizeof *f);
    if (!f) {
        host->set_error(ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    f->host = host;
    f->ctx = ctx;
    f->promo = host->option(options, "promo");
    f->heading = host->option(options, "heading");
    *instance = f;
    return XLATE_OK;
}

static int starts_with(const char *s, size_t len, const char *prefix) {
    size_t n = strlen(prefix);
    return n && len >= n && memcmp(s, prefix, n) == 0;
}

/* The reason a segment is boilerplate, or NULL when it is article text. */
static const char *boilerplate_reason(oboz_filter *f, size_t paragraph, const char *s, size_t len) {
    if (f->in_promo && paragraph != f->promo_paragraph)
        f->in_promo = 0;
    if (f->in_teasers)
        return "OBOZ.UA teaser of another article";
    if (f->heading && strlen(f->heading) == len && memcmp(s, f->heading, len) == 0) {
        f->in_teasers = 1;
        return "OBOZ.UA 'other news' heading";
    }
    if (f->promo && starts_with(s, len, f->promo)) {
        f->in_promo = 1;
        f->promo_paragraph = paragraph;
    }
    return f->in_promo ? "OBOZ.UA promotion of its Telegram and Viber channels" : NULL;
}

static int filter_process(void *instance, xlate_batch *batch) {
    oboz_filter *f = instance;
    const xlate_host *h = f->host;
    size_t n = h->batch_count(batch);
    /* A batch that starts at the first segment starts a new document: forget the last one. */
    if (n && h->segment_index(batch, 0) == 0)
        f->in_teasers = f->in_promo = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *source = h->segment_source(batch, i, &len);
        const char *reason = boilerplate_reason(f, h->segment_paragraph(batch, i), source, len);
        if (reason && h->segment_active(batch, i) && h->segment_drop(batch, i, reason) != XLATE_OK) {
            h->set_error(f->ctx, "cannot mark segment %zu as filtered", i);
            return XLATE_ERROR;
        }
    }
    return XLATE_OK;
}

static void filter_destroy(void *instance) { free(instance); }

static const xlate_plugin filter_descriptor = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "oboz_filter",
    .version = "1.0.0",
    .description = "drops OBOZ.UA's channel promotion and 'other news' teasers before translation",
    .kind = XLATE_KIND_FILTER,
    .pairs = filter_pairs,
    .n_pairs = sizeof filter_pairs / sizeof filter_pairs[0],
    .options = filter_options,
    .n_options = sizeof filter_options / sizeof filter_options[0],
    .create = filter_create,
    .process = filter_process,
    .destroy = filter_destroy,
};

/* The filter needs segment_index and segment_paragraph, which came with ABI 1.1: it declines to
 * load into an older host rather than fail in the middle of a run. */
XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    if (XLATE_ABI_VERSION_MAJOR(host->abi_version) != XLATE_ABI_MAJOR ||
        !XLATE_HOST_HAS(host, segment_paragraph))
        return NULL;
    return &filter_descriptor;
}
