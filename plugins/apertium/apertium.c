/*
 * apertium: the translator plugin that drives a locally installed Apertium pair. It starts the
 * pair's pipeline (from its mode file) once per instance in null-flush mode, as Apertium's APy
 * server does, and streams the segments of each batch through it. Glossary terms go to the engine
 * as their source words in word-bound blanks, so it translates the sentence around them as it
 * would without a glossary, and come back as their target terms where the engine put their words
 * (terms.c); a pipeline that cannot carry word-bound blanks gets them as superblanks instead.
 * Sits at the translator step of the plugin chain, after the glossary and before the writers. An
 * engine failure fails only the segment it happened on.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xlate/plugin.h"

#include "placeholder.h"
#include "wanted.h"
#include "xp_buf.h"
#include "apertium_format.h"
#include "langcode.h"
#include "mode.h"
#include "stream.h"
#include "terms.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#define DEFAULT_MODES_DIR "/usr/share/apertium/modes"
/* Units written ahead of the answers: enough to keep every stage of a pipeline busy. */
#define MAX_UNITS_IN_FLIGHT 4096
#define MAX_BYTES_IN_FLIGHT (1024 * 1024)

typedef struct apertium_instance {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    char pair[64];
    xlate_stream *stream;
    int wordbound; /* terms travel in word-bound blanks, not superblanks */
    int force;     /* force=yes: also what a translation memory filled */
    unsigned long long next_id; /* unit ids never repeat, so a stale answer is never taken */
} apertium_instance;

/* One batch on its way through the stream. */
typedef struct apertium_job {
    apertium_instance *inst;
    xlate_batch *batch;
    unsigned long long *ids; /* the id each unit was last sent with */
    xp_buf text, placed;
    xlate_apertium_marks marks;
    xlate_apertium_span *spans;
    xlate_apertium_term *terms;
    size_t terms_cap;
} apertium_job;

static const xlate_lang_pair any_pair[] = {{"*", "*"}};

static const xlate_option_spec apertium_options[] = {
    {"pair", XLATE_OPTION_STRING, NULL,
     "Apertium pair, e.g. eng-spa (default: from --from/--to, as three-letter codes)"},
    {"modes", XLATE_OPTION_PATH, DEFAULT_MODES_DIR,
     "directory of the pairs' mode files (apertium -d DIR/.. uses DIR/modes)"},
    {"timeout", XLATE_OPTION_INT, "30",
     "seconds to wait for one segment before the pipeline is deemed hung and restarted"},
    {"mark_unknown", XLATE_OPTION_BOOL, "off",
     "keep Apertium's marks: *word unknown, #word not generated, @word not in the bilingual dictionary"},
    XLATE_WANTED_FORCE_OPTION,
};

static int is_pair_mode_name(const char *name, size_t len) {
    /* "eng-spa.mode", "spa-eng_US.mode": two codes; analyser modes ("eng-spa-tagger") have more. */
    if (len <= 5 || strcmp(name + len - 5, ".mode") != 0)
        return 0;
    size_t dashes = 0;
    for (size_t i = 0; i < len - 5; i++)
        dashes += name[i] == '-';
    return dashes == 1 && name[0] != '-' && name[len - 6] != '-';
}

/* Calls `each` for every pair mode in `dir`, in directory order. Returns the count, -1 when the
 * directory cannot be read. */
static int for_each_pair(const char *dir, void (*each)(void *data, const char *pair, size_t len),
                         void *data) {
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (is_pair_mode_name(e->d_name, len)) {
            each(data, e->d_name, len - 5);
            n++;
        }
    }
    closedir(d);
    return n;
}

typedef struct emit_data {
    void (*emit)(void *data, const char *source, const char *target);
    void *data;
} emit_data;

static void emit_pair(void *data, const char *pair, size_t len) {
    emit_data *ed = data;
    char name[128], source[64], target[64];
    if (len >= sizeof name)
        return;
    memcpy(name, pair, len);
    name[len] = '\0';
    char *dash = strchr(name, '-');
    *dash = '\0';
    if (xlate_lang_to_639_1(name, source, sizeof source) == 0 &&
        xlate_lang_to_639_1(dash + 1, target, sizeof target) == 0)
        ed->emit(ed->data, source, target);
}

static int apertium_enumerate_pairs(const xlate_host *host,
                                    void (*emit)(void *data, const char *source, const char *target),
                                    void *data) {
    (void)host;
    emit_data ed = {emit, data};
    return for_each_pair(DEFAULT_MODES_DIR, emit_pair, &ed) < 0 ? XLATE_ENOTFOUND : XLATE_OK;
}

static void list_pair(void *data, const char *pair, size_t len) {
    xp_buf *list = data;
    if (list->len)
        xp_buf_puts(list, ", ");
    xp_buf_append(list, pair, len);
}

/* The pair named by the option, else the run's languages in Apertium's three-letter codes. */
static int choose_pair(apertium_instance *inst, const xlate_options *options) {
    const xlate_host *h = inst->host;
    const char *given = h->option(options, "pair");
    if (given && *given) {
        if (strlen(given) >= sizeof inst->pair || strchr(given, '/')) {
            h->set_error(inst->ctx, "pair '%s' is not a pair name such as eng-spa", given);
            return XLATE_EINVAL;
        }
        snprintf(inst->pair, sizeof inst->pair, "%s", given);
        return XLATE_OK;
    }
    const char *from = h->source_lang(inst->ctx), *to = h->target_lang(inst->ctx);
    char src[8], tgt[8];
    if (!to || !*to) {
        h->set_error(inst->ctx, "no target language: give --to or the option pair=, e.g. "
                                "--plugin apertium:pair=eng-spa");
        return XLATE_EINVAL;
    }
    if (xlate_lang_to_639_3(from, src, sizeof src) != 0 ||
        xlate_lang_to_639_3(to, tgt, sizeof tgt) != 0) {
        h->set_error(inst->ctx, "no Apertium code known for '%s' or '%s'; name the pair with "
                                "pair=, e.g. pair=eng-spa", from, to);
        return XLATE_EINVAL;
    }
    snprintf(inst->pair, sizeof inst->pair, "%s-%s", src, tgt);
    return XLATE_OK;
}

static int find_mode_file(apertium_instance *inst, const char *modes_dir, xp_buf *path) {
    struct stat st;
    xp_buf_printf(path, "%s/%s.mode", modes_dir, inst->pair);
    if (path->data && stat(path->data, &st) == 0 && S_ISREG(st.st_mode))
        return XLATE_OK;
    xp_buf installed = XP_BUF_INIT;
    int n = for_each_pair(modes_dir, list_pair, &installed);
    inst->host->set_error(inst->ctx,
                          "Apertium pair %s is not installed (no %s); installed in %s: %s; install "
                          "the pair's package (e.g. apt-get install apertium-%s) or name another "
                          "with pair=",
                          inst->pair, path->data ? path->data : "mode file", modes_dir,
                          n > 0 ? installed.data : "none", inst->pair);
    xp_buf_free(&installed);
    return XLATE_ENOTFOUND;
}

static int start_pipeline(apertium_instance *inst, const xlate_options *options) {
    const xlate_host *h = inst->host;
    const char *modes_dir = h->option(options, "modes");
    long long timeout_s = 30;
    int mark_unknown = 0;
    h->option_int(options, "timeout", &timeout_s);
    h->option_bool(options, "mark_unknown", &mark_unknown);
    h->option_bool(options, "force", &inst->force);
    if (timeout_s <= 0 || timeout_s > 86400) {
        h->set_error(inst->ctx, "timeout=%lld is out of range; give seconds from 1 to 86400",
                     timeout_s);
        return XLATE_EINVAL;
    }
    xp_buf path = XP_BUF_INIT;
    int rc = find_mode_file(inst, modes_dir ? modes_dir : DEFAULT_MODES_DIR, &path);
    xlate_apertium_mode mode;
    char err[512];
    if (rc == XLATE_OK && xlate_apertium_mode_load(path.data, mark_unknown, &mode, err, sizeof err) != 0) {
        h->set_error(inst->ctx, "%s", err);
        rc = XLATE_ERROR;
    }
    xp_buf_free(&path);
    if (rc != XLATE_OK)
        return rc;
    inst->wordbound = mode.wordbound;
    xlate_stream_config config = {
        .cmds = (char *const *const *)mode.cmds,
        .n_cmds = mode.n_cmds,
        .delim = '\0',
        .timeout_ms = (int)(timeout_s * 1000),
        .max_in_flight = MAX_UNITS_IN_FLIGHT,
        .max_bytes_in_flight = MAX_BYTES_IN_FLIGHT,
    };
    if (xlate_stream_open(&inst->stream, &config, err, sizeof err) != 0) {
        h->set_error(inst->ctx, "pair %s: %s", inst->pair, err);
        rc = XLATE_ERROR;
    }
    xlate_apertium_mode_free(&mode);
    return rc;
}

static void apertium_destroy(void *instance) {
    apertium_instance *inst = instance;
    xlate_stream_close(inst->stream);
    free(inst);
}

static int apertium_create(const xlate_host *host, xlate_plugin_ctx *ctx,
                           const xlate_options *options, void **instance) {
    apertium_instance *inst = calloc(1, sizeof *inst);
    if (!inst) {
        host->set_error(ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    inst->host = host;
    inst->ctx = ctx;
    int rc = choose_pair(inst, options);
    if (rc == XLATE_OK)
        rc = start_pipeline(inst, options);
    if (rc != XLATE_OK) {
        apertium_destroy(inst);
        return rc;
    }
    *instance = inst;
    return XLATE_OK;
}

static int job_wanted(void *data, size_t k) {
    apertium_job *job = data;
    return xlate_translator_wants(job->inst->host, job->batch, k, job->inst->force);
}

/* Room for the spans and terms of a segment with n terms. */
static int job_reserve_terms(apertium_job *job, size_t n) {
    if (n <= job->terms_cap)
        return 0;
    xlate_apertium_span *spans = realloc(job->spans, n * sizeof *spans);
    if (spans)
        job->spans = spans;
    xlate_apertium_term *terms = realloc(job->terms, n * sizeof *terms);
    if (terms)
        job->terms = terms;
    if (!spans || !terms)
        return -1;
    job->terms_cap = n;
    return 0;
}

/* Each term's source words in a word-bound blank carrying the term's index. */
static int encode_wordbound(apertium_job *job, size_t k, size_t n_terms, unsigned long long id,
                            xp_buf *out) {
    const xlate_host *h = job->inst->host;
    if (job_reserve_terms(job, n_terms) != 0) {
        xp_buf_puts(out, "out of memory");
        return -1;
    }
    for (size_t t = 0; t < n_terms; t++) {
        const xlate_term *term = h->segment_term(job->batch, k, t);
        job->spans[t] = (xlate_apertium_span){term->start, term->end, t};
    }
    size_t len;
    const char *src = h->segment_source(job->batch, k, &len);
    xlate_apertium_encode(src, len, job->spans, n_terms, id, out);
    return 0;
}

static int encode_masked(apertium_job *job, size_t k, unsigned long long id, xp_buf *out) {
    const xlate_host *h = job->inst->host;
    char *masked = NULL;
    size_t len = 0;
    if (h->segment_masked_source(job->batch, k, XLATE_APERTIUM_PLACEHOLDER, &masked, &len) != XLATE_OK) {
        xp_buf_puts(out, "cannot protect the segment's glossary terms (masking failed)");
        return -1;
    }
    xlate_apertium_encode(masked, len, NULL, 0, id, out);
    h->free(masked);
    return 0;
}

/* Whether segment k's terms are placed by their words in the answer (terms.h) rather than masked.
 * Inline codes have no words to find again: a segment with codes is always masked. */
static int places_by_words(const apertium_job *job, size_t k) {
    const xlate_host *h = job->inst->host;
    return job->inst->wordbound &&
           !(XLATE_HOST_HAS(h, segment_code_count) && h->segment_code_count(job->batch, k) > 0);
}

static int job_encode(void *data, size_t k, xp_buf *out) {
    apertium_job *job = data;
    const xlate_host *h = job->inst->host;
    unsigned long long id = job->inst->next_id++;
    job->ids[k] = id;
    size_t n_terms = h->segment_term_count(job->batch, k);
    if (!xlate_placeholder_needed(h, job->batch, k)) {
        size_t len;
        const char *src = h->segment_source(job->batch, k, &len);
        xlate_apertium_encode(src, len, NULL, 0, id, out);
        return 0;
    }
    return places_by_words(job, k) ? encode_wordbound(job, k, n_terms, id, out)
                                   : encode_masked(job, k, id, out);
}

/* Whether the source's word after byte `at` (past spaces) starts with a lower-case letter. */
static int next_word_lower(const char *src, size_t len, size_t at) {
    while (at < len && src[at] == ' ')
        at++;
    UChar32 c = -1;
    if (at < len)
        U8_NEXT(src, at, len, c);
    return c >= 0 && u_islower(c);
}

/* The decoded answer with each term's words turned into its placeholder (terms.h). */
static int place_terms(apertium_job *job, size_t k, size_t n_terms) {
    const xlate_host *h = job->inst->host;
    size_t src_len;
    const char *src = h->segment_source(job->batch, k, &src_len);
    if (job_reserve_terms(job, n_terms) != 0)
        return -1;
    for (size_t t = 0; t < n_terms; t++) {
        const xlate_term *term = h->segment_term(job->batch, k, t);
        int in_range = term->start <= term->end && term->end <= src_len;
        job->terms[t] = (xlate_apertium_term){src + (in_range ? term->start : 0),
                                              in_range ? term->end - term->start : 0,
                                              term->target,
                                              in_range && next_word_lower(src, src_len, term->end)};
    }
    xp_buf_reset(&job->placed);
    return xlate_apertium_place_terms(job->text.data, job->text.len, &job->marks, job->terms,
                                      n_terms, &job->placed);
}

static int job_accept(void *data, size_t k, const char *answer, size_t len) {
    apertium_job *job = data;
    const xlate_host *h = job->inst->host;
    xp_buf_reset(&job->text);
    if (xlate_apertium_decode(answer, len, job->ids[k], &job->text, &job->marks) != 0)
        return -1;
    size_t n_terms = h->segment_term_count(job->batch, k);
    if (!xlate_placeholder_needed(h, job->batch, k)) {
        h->segment_set_target(job->batch, k, job->text.data, job->text.len);
    } else if (!places_by_words(job, k)) {
        h->segment_set_unmasked_target(job->batch, k, XLATE_APERTIUM_PLACEHOLDER, job->text.data,
                                       job->text.len);
    } else if (place_terms(job, k, n_terms) == 0) {
        h->segment_set_unmasked_target(job->batch, k, XLATE_APERTIUM_PLACEHOLDER,
                                       job->placed.data, job->placed.len);
    } else {
        h->segment_fail(job->batch, k, "out of memory while placing the glossary terms");
    }
    return 0;
}

static void job_fail(void *data, size_t k, const char *message) {
    apertium_job *job = data;
    char full[1024];
    snprintf(full, sizeof full, "apertium %s: %s", job->inst->pair, message);
    job->inst->host->segment_fail(job->batch, k, full);
}

static int apertium_process(void *instance, xlate_batch *batch) {
    apertium_instance *inst = instance;
    size_t n = inst->host->batch_count(batch);
    apertium_job job = {inst, batch, calloc(n + 1, sizeof(unsigned long long)),
                        XP_BUF_INIT, XP_BUF_INIT, XLATE_APERTIUM_MARKS_INIT, NULL, NULL, 0};
    if (!job.ids) {
        inst->host->set_error(inst->ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    xlate_stream_job sj = {n, &job, job_wanted, job_encode, job_accept, job_fail};
    char err[512];
    int rc = xlate_stream_run(inst->stream, &sj, err, sizeof err);
    free(job.ids);
    free(job.spans);
    free(job.terms);
    xp_buf_free(&job.text);
    xp_buf_free(&job.placed);
    xlate_apertium_marks_free(&job.marks);
    if (rc != 0) {
        inst->host->set_error(inst->ctx, "pair %s: the pipeline cannot be started again: %s",
                              inst->pair, err);
        return XLATE_ERROR;
    }
    return XLATE_OK;
}

static const xlate_plugin apertium_plugin = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "apertium",
    .version = "1.0.0",
    .description = "Apertium rule-based translation, one persistent null-flush pipeline per worker",
    .kind = XLATE_KIND_TRANSLATOR,
    .pairs = any_pair,
    .n_pairs = 1,
    .options = apertium_options,
    .n_options = sizeof apertium_options / sizeof apertium_options[0],
    .create = apertium_create,
    .process = apertium_process,
    .destroy = apertium_destroy,
    .enumerate_pairs = apertium_enumerate_pairs,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    if (!host || XLATE_ABI_VERSION_MAJOR(host->abi_version) != XLATE_ABI_MAJOR)
        return NULL;
    return &apertium_plugin;
}
