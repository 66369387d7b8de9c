/*
 * testcheck: a check plugin (ABI 1.2) for the host's tests. It reads each active segment's source
 * and target after the translators and warns with code "missing_word" when the source holds
 * `word` and the target does not, and with code "no_target" when a segment reaches it without a
 * target (which a check placed after a translator never sees). Each warning is also logged at
 * info level with the document's name and the segment's output id, as a user would look it up.
 *
 * With `probe=on` it also makes, on each batch's first segment, every kind of host call a plugin
 * can get wrong and logs what host->last_error says about each one; with `pass_on=on` it then
 * returns the last failed call's status from process() without set_error, as a careless plugin
 * would, so that the host's own reason shows. Built twice: as testcheck.so, and as
 * named_otherwise.so with the descriptor name "othercheck" (a file named otherwise than its
 * plugin).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlate/plugin.h"

#ifndef TESTCHECK_NAME
#define TESTCHECK_NAME "testcheck"
#endif

typedef struct testcheck {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    const char *word;
    int probe, pass_on;
} testcheck;

static const xlate_option_spec options[] = {
    {"word", XLATE_OPTION_STRING, "NATO", "warn when the source has this word and the target not"},
    {"probe", XLATE_OPTION_BOOL, "off", "make wrong host calls and log what last_error says"},
    {"pass_on", XLATE_OPTION_BOOL, "off", "with probe: fail process() with a host call's status"},
};

static const xlate_lang_pair pairs[] = {{"en", "x-upper"}, {"uk", "en"}};

static int create(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *opts,
                  void **instance) {
    testcheck *t = calloc(1, sizeof *t);
    if (!t)
        return XLATE_ENOMEM;
    t->host = host;
    t->ctx = ctx;
    t->word = host->option(opts, "word");
    if (host->option_bool(opts, "probe", &t->probe) != XLATE_OK ||
        host->option_bool(opts, "pass_on", &t->pass_on) != XLATE_OK) {
        host->set_error(ctx, "%s", host->last_error(ctx));
        free(t);
        return XLATE_EINVAL;
    }
    /* An option the descriptor does not declare: last_error says so. */
    long long unused;
    if (host->option_int(opts, "nosuch", &unused) != XLATE_ENOTFOUND)
        host->log(ctx, XLATE_LOG_ERROR, "option_int of an undeclared option did not fail");
    else if (t->probe)
        host->log(ctx, XLATE_LOG_WARNING, "probe option_int: %s", host->last_error(ctx));
    *instance = t;
    return XLATE_OK;
}

static int probe_one(testcheck *t, const char *what, int rc) {
    const char *why = t->host->last_error(t->ctx);
    t->host->log(t->ctx, XLATE_LOG_WARNING, "probe %s: rc=%d %s", what, rc,
                 why ? why : "(no reason)");
    return rc;
}

/* Every call here is wrong in one way; the host must refuse each with a reason. */
static int probe(testcheck *t, xlate_batch *b) {
    const xlate_host *h = t->host;
    size_t n = h->batch_count(b), len;
    const char *src = h->segment_source(b, 0, &len);
    int rc = XLATE_OK;
    probe_one(t, "warn_index", h->segment_warn(b, n + 2, "x", "out of range"));
    probe_one(t, "warn_code", h->segment_warn(b, 0, "Bad Code", "a code with spaces"));
    probe_one(t, "warn_utf8", h->segment_warn(b, 0, NULL, "bad \xC3 byte"));
    probe_one(t, "set_target_utf8", h->segment_set_target(b, 0, "ok \xFF no", 8));
    probe_one(t, "fail_index", h->segment_fail(b, n, "out of range"));
    /* A span that ends inside a two-byte character, when the source starts with one. */
    if (len >= 2 && ((unsigned char)src[0] & 0xE0) == 0xC0) {
        xlate_term inside = {0, 1, "X", NULL, 0};
        probe_one(t, "term_inside", h->segment_add_term(b, 0, &inside));
    }
    if (len >= 4) {
        xlate_term first = {0, len, "WHOLE", NULL, 0}, overlap = {0, len / 2, "HALF", NULL, 0};
        if (h->segment_add_term(b, 0, &first) == XLATE_OK)
            probe_one(t, "term_overlap", h->segment_add_term(b, 0, &overlap));
    }
    rc = probe_one(t, "masked_format", h->segment_masked_source(b, 0, "[%s]", NULL, NULL));
    if (t->pass_on || h->last_error(t->ctx) == NULL)
        return rc;
    h->segment_active(b, 0); /* a call that succeeds: the reason is gone */
    probe_one(t, "after_success", XLATE_OK);
    return rc;
}

static int process(void *instance, xlate_batch *batch) {
    testcheck *t = instance;
    const xlate_host *h = t->host;
    for (size_t i = 0; i < h->batch_count(batch); i++) {
        if (!h->segment_active(batch, i))
            continue;
        size_t slen, tlen;
        const char *src = h->segment_source(batch, i, &slen);
        const char *tgt = h->segment_target(batch, i, &tlen);
        const char *code = NULL;
        char message[256];
        if (!tgt) {
            code = "no_target";
            strcpy(message, "no target to check: the check ran before any translator");
        } else if (strstr(src, t->word) && !strstr(tgt, t->word)) {
            code = "missing_word";
            snprintf(message, sizeof message, "'%s' is in the source but not in the target",
                     t->word);
        }
        if (!code)
            continue;
        int rc = h->segment_warn(batch, i, code, message);
        if (rc != XLATE_OK) {
            h->set_error(t->ctx, "segment_warn: %s", h->last_error(t->ctx));
            return XLATE_ERROR;
        }
        h->log(t->ctx, XLATE_LOG_INFO, "%s, segment %zu: %s", h->document_name(batch),
               h->segment_output_id(batch, i), code);
    }
    if (t->probe && h->batch_count(batch)) {
        int rc = probe(t, batch);
        if (t->pass_on && rc != XLATE_OK)
            return rc; /* passed on bare, as a careless plugin does: the host says why */
    }
    return XLATE_OK;
}

static void destroy(void *instance) { free(instance); }

static const xlate_plugin descriptor = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = TESTCHECK_NAME,
    .version = "1.2.0",
    .description = "warns when a word of the source is missing from the target (host tests)",
    .kind = XLATE_KIND_CHECK,
    .pairs = pairs,
    .n_pairs = sizeof pairs / sizeof pairs[0],
    .options = options,
    .n_options = sizeof options / sizeof options[0],
    .create = create,
    .process = process,
    .destroy = destroy,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    /* It calls segment_warn, last_error, segment_output_id and document_name: ABI 1.2. */
    return XLATE_HOST_HAS(host, document_name) ? &descriptor : NULL;
}
