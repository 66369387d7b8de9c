/*
 * testusage: a "network" translator for the host's tests of ABI 1.4. Per batch it would send
 * every active segment that no memory filled to a service (option `service`, default "testnet"):
 * it counts one request and the code points of those sources with count_usage, and, unless the
 * run is a dry run, "translates" them as "[net] SOURCE". Segments holding `warn_word`,
 * `fail_word` or `drop_word` are then warned, failed or dropped, so that segment_status has
 * every status to report: batch_done appends "status DOC ID STATUS TARGET" for each segment of
 * the batch to the file `log` (TARGET "-" when none), and a line "dry_run N" once an instance.
 * A bad service name (`service=Bad Name`) is refused by the host: the plugin logs last_error as
 * a warning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlate/plugin.h"

typedef struct testusage {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    const char *service, *log, *warn_word, *fail_word, *drop_word;
    int said_dry_run;
} testusage;

static const xlate_option_spec options[] = {
    {"service", XLATE_OPTION_STRING, "testnet", "the service name counted"},
    {"log", XLATE_OPTION_STRING, NULL, "append each segment's status after the chain here"},
    {"warn_word", XLATE_OPTION_STRING, NULL, "warn segments holding this text"},
    {"fail_word", XLATE_OPTION_STRING, NULL, "fail segments holding this text"},
    {"drop_word", XLATE_OPTION_STRING, NULL, "drop segments holding this text"},
};

static const xlate_lang_pair pairs[] = {{"*", "*"}};

static int create(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *opts,
                  void **instance) {
    testusage *t = calloc(1, sizeof *t);
    if (!t) {
        host->set_error(ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    t->host = host;
    t->ctx = ctx;
    t->service = host->option(opts, "service");
    t->log = host->option(opts, "log");
    t->warn_word = host->option(opts, "warn_word");
    t->fail_word = host->option(opts, "fail_word");
    t->drop_word = host->option(opts, "drop_word");
    *instance = t;
    return XLATE_OK;
}

static void destroy(void *instance) { free(instance); }

static uint64_t code_points(const char *s, size_t len) {
    uint64_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static int holds(const char *src, const char *word) { return word && strstr(src, word); }

static int process(void *instance, xlate_batch *b) {
    testusage *t = instance;
    const xlate_host *h = t->host;
    uint64_t chars = 0;
    size_t sent = 0;
    int dry = h->dry_run(t->ctx);
    for (size_t i = 0; i < h->batch_count(b); i++) {
        size_t len = 0;
        const char *src = h->segment_source(b, i, &len);
        if (!h->segment_active(b, i) || h->segment_match_score(b, i) >= 0)
            continue;
        chars += code_points(src, len);
        sent++;
        if (!dry) {
            char *out = malloc(len + 7);
            if (!out)
                return XLATE_ENOMEM;
            memcpy(out, "[net] ", 6);
            memcpy(out + 6, src, len);
            h->segment_set_target(b, i, out, len + 6);
            free(out);
        }
        if (holds(src, t->warn_word))
            h->segment_warn(b, i, "word", "the warn word");
        if (holds(src, t->fail_word))
            h->segment_fail(b, i, "the fail word");
        if (holds(src, t->drop_word))
            h->segment_drop(b, i, "the drop word");
    }
    if (sent) {
        h->count_usage(t->ctx, t->service, 1, chars);
        if (h->last_error(t->ctx))
            h->log(t->ctx, XLATE_LOG_WARNING, "%s", h->last_error(t->ctx));
    }
    return XLATE_OK;
}

static int batch_done(void *instance, const xlate_batch *b) {
    testusage *t = instance;
    const xlate_host *h = t->host;
    if (!t->log)
        return XLATE_OK;
    FILE *f = fopen(t->log, "a");
    if (!f) {
        h->set_error(t->ctx, "cannot open %s", t->log);
        return XLATE_ERROR;
    }
    if (!t->said_dry_run++)
        fprintf(f, "dry_run %d\n", h->dry_run(t->ctx));
    for (size_t i = 0; i < h->batch_count(b); i++) {
        const char *target = h->segment_target(b, i, NULL);
        fprintf(f, "status %s %zu %d %s\n", h->document_name(b), h->segment_output_id(b, i),
                h->segment_status(b, i), target ? target : "-");
    }
    fprintf(f, "status_out_of_range %d\n", h->segment_status(b, h->batch_count(b)));
    fclose(f);
    return XLATE_OK;
}

static const xlate_plugin descriptor = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "testusage",
    .version = "1.0.0",
    .description = "test: counts what it would send to a network service (ABI 1.4)",
    .kind = XLATE_KIND_TRANSLATOR,
    .pairs = pairs,
    .n_pairs = sizeof pairs / sizeof pairs[0],
    .options = options,
    .n_options = sizeof options / sizeof options[0],
    .create = create,
    .process = process,
    .destroy = destroy,
    .batch_done = batch_done,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    return XLATE_HOST_HAS(host, count_usage) ? &descriptor : NULL;
}
