/*
 * Tests of tm.so through the plugin ABI, on a test host that keeps targets, matches, warnings
 * and term spans as the ABI describes: a host without segment_add_match refused at create with
 * a message; learning only what the chain finished (not the memory's own exact matches, not a
 * glossary's source-with-terms, not a fuzzy fill), one transaction per document and nothing of a
 * document that never got document_done; then lookups filling exact and repaired matches,
 * offering fuzzy ones or filling with a "tm_fuzzy" warning that names the score.
 */
#include "check.h"

#include <xlate/plugin.h>

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --- the test host ------------------------------------------------------------------------ */

struct xlate_plugin_ctx {
    char error[1024];
};

struct xlate_options {
    const char *db, *threshold, *fuzzy, *learn, *candidates;
};

#define MAX_MATCHES 8
typedef struct test_segment {
    const char *source;
    char *target;
    int active;
    size_t index;
    double score;                   /* of the match used, -1 none */
    size_t n_matches;
    double match_scores[MAX_MATCHES];
    int match_used[MAX_MATCHES];
    char *warning;                  /* "code: message" */
    xlate_term terms[4];
    size_t n_terms;
} test_segment;

struct xlate_batch {
    test_segment *segs;
    size_t n;
    int read_only;
};

static void host_set_error(xlate_plugin_ctx *ctx, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->error, sizeof ctx->error, fmt, ap);
    va_end(ap);
}

static void host_log(xlate_plugin_ctx *ctx, xlate_log_level level, const char *fmt, ...) {
    (void)ctx, (void)level, (void)fmt;
}

static const char *host_source_lang(const xlate_plugin_ctx *ctx) { (void)ctx; return "en"; }
static const char *host_target_lang(const xlate_plugin_ctx *ctx) { (void)ctx; return "uk"; }

static const char *host_option(const xlate_options *o, const char *name) {
    if (strcmp(name, "db") == 0)
        return o->db;
    if (strcmp(name, "threshold") == 0)
        return o->threshold ? o->threshold : "75";
    if (strcmp(name, "fuzzy") == 0)
        return o->fuzzy ? o->fuzzy : "offer";
    if (strcmp(name, "learn") == 0)
        return o->learn ? o->learn : "no";
    if (strcmp(name, "candidates") == 0)
        return o->candidates ? o->candidates : "3";
    if (strcmp(name, "repair") == 0)
        return "yes";
    return NULL;
}

static int host_option_int(const xlate_options *o, const char *name, long long *out) {
    const char *v = host_option(o, name);
    if (!v)
        return XLATE_ENOTFOUND;
    *out = atoll(v);
    return XLATE_OK;
}

static int host_option_bool(const xlate_options *o, const char *name, int *out) {
    const char *v = host_option(o, name);
    if (!v)
        return XLATE_ENOTFOUND;
    *out = strcmp(v, "yes") == 0;
    return XLATE_OK;
}

static int host_option_double(const xlate_options *o, const char *name, double *out) {
    (void)o, (void)name, (void)out;
    return XLATE_ENOTFOUND;
}

static size_t host_batch_count(const xlate_batch *b) { return b->n; }

static const char *host_segment_source(const xlate_batch *b, size_t i, size_t *len) {
    *len = strlen(b->segs[i].source);
    return b->segs[i].source;
}

static const char *host_segment_target(const xlate_batch *b, size_t i, size_t *len) {
    if (b->segs[i].target && len)
        *len = strlen(b->segs[i].target);
    return b->segs[i].target;
}

static int host_segment_active(const xlate_batch *b, size_t i) { return b->segs[i].active; }

static int host_segment_set_target(xlate_batch *b, size_t i, const char *text, size_t len) {
    if (b->read_only)
        return XLATE_EINVAL;
    free(b->segs[i].target);
    b->segs[i].target = strndup(text, len);
    b->segs[i].score = -1;
    return XLATE_OK;
}

static size_t host_segment_term_count(const xlate_batch *b, size_t i) { return b->segs[i].n_terms; }
static const xlate_term *host_segment_term(const xlate_batch *b, size_t i, size_t k) {
    return &b->segs[i].terms[k];
}

static size_t host_segment_index(const xlate_batch *b, size_t i) { return b->segs[i].index; }
static size_t host_segment_code_count(const xlate_batch *b, size_t i) { (void)b, (void)i; return 0; }
static const char *host_document_name(const xlate_batch *b) { (void)b; return "doc.txt"; }
static const char *host_last_error(const xlate_plugin_ctx *ctx) { (void)ctx; return NULL; }

static int host_segment_warn(xlate_batch *b, size_t i, const char *code, const char *message) {
    if (b->read_only)
        return XLATE_EINVAL;
    free(b->segs[i].warning);
    size_t n = strlen(code) + strlen(message) + 3;
    b->segs[i].warning = malloc(n);
    snprintf(b->segs[i].warning, n, "%s: %s", code, message);
    return XLATE_OK;
}

static int host_segment_add_match(xlate_batch *b, size_t i, const char *target, size_t target_len,
                                  double score, const char *src, size_t src_len, int use) {
    test_segment *s = &b->segs[i];
    if (b->read_only || score < 0 || score > 100 || !target_len || !src_len || !src ||
        s->n_matches == MAX_MATCHES)
        return XLATE_EINVAL;
    s->match_scores[s->n_matches] = score;
    s->match_used[s->n_matches] = use;
    s->n_matches++;
    if (use) {
        free(s->target);
        s->target = strndup(target, target_len);
        s->score = score;
    }
    return XLATE_OK;
}

static double host_segment_match_score(const xlate_batch *b, size_t i) { return b->segs[i].score; }

/* A 1.3 host: the plugin's use of the 1.4 calls is tested through the xlate command. */
static const xlate_host test_host = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = (uint32_t)offsetof(xlate_host, segment_status),
    .set_error = host_set_error,
    .log = host_log,
    .alloc = malloc,
    .free = free,
    .source_lang = host_source_lang,
    .target_lang = host_target_lang,
    .option = host_option,
    .option_int = host_option_int,
    .option_bool = host_option_bool,
    .option_double = host_option_double,
    .batch_count = host_batch_count,
    .segment_source = host_segment_source,
    .segment_target = host_segment_target,
    .segment_active = host_segment_active,
    .segment_set_target = host_segment_set_target,
    .segment_term_count = host_segment_term_count,
    .segment_term = host_segment_term,
    .segment_index = host_segment_index,
    .segment_warn = host_segment_warn,
    .last_error = host_last_error,
    .document_name = host_document_name,
    .segment_code_count = host_segment_code_count,
    .segment_add_match = host_segment_add_match,
    .segment_match_score = host_segment_match_score,
};

static void free_segments(test_segment *segs, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(segs[i].target);
        free(segs[i].warning);
    }
}

/* --- the tests ---------------------------------------------------------------------------- */

static char dir[] = "/tmp/xlate-tm-plugin-XXXXXX";
static char db[300];

static void *create(const xlate_plugin *p, xlate_options *o) {
    xlate_plugin_ctx ctx = {""};
    void *inst = NULL;
    if (p->create(&test_host, &ctx, o, &inst) != XLATE_OK) {
        fprintf(stderr, "  create: %s\n", ctx.error);
        check_failures++;
        return NULL;
    }
    return inst;
}

static void test_old_host_and_bad_options(const xlate_plugin *p) {
    xlate_host old = test_host;
    old.struct_size = (uint32_t)offsetof(xlate_host, segment_add_match);
    xlate_plugin_ctx ctx = {""};
    xlate_options o = {.db = db};
    void *inst = NULL;
    CHECK_INT(p->create(&old, &ctx, &o, &inst), XLATE_ERROR);
    CHECK(strstr(ctx.error, "too old") != NULL);
    /* a table that has the fields but not the calls */
    xlate_host unset = test_host;
    unset.segment_add_match = NULL;
    ctx.error[0] = '\0';
    CHECK_INT(p->create(&unset, &ctx, &o, &inst), XLATE_ERROR);
    CHECK(strstr(ctx.error, "too old") != NULL);
    xlate_options none = {0};
    CHECK_INT(p->create(&test_host, &ctx, &none, &inst), XLATE_EINVAL);
    CHECK(strstr(ctx.error, "db=FILE") != NULL);
    xlate_options bad = {.db = db, .threshold = "101"};
    CHECK_INT(p->create(&test_host, &ctx, &bad, &inst), XLATE_EINVAL);
    xlate_options badf = {.db = db, .fuzzy = "maybe"};
    CHECK_INT(p->create(&test_host, &ctx, &badf, &inst), XLATE_EINVAL);
}

#define TEN "The council approved the new budget for the next year."
#define TEN_UK "Рада затвердила новий бюджет на наступний рік."

static void test_learning(const xlate_plugin *p) {
    xlate_options o = {.db = db, .learn = "yes"};
    void *inst = create(p, &o);
    if (!inst)
        return;
    /* what the chain made of a document: translations, a glossary's pseudo-target, a failure */
    test_segment segs[4] = {
        {.source = TEN, .target = strdup(TEN_UK), .active = 1, .index = 0, .score = -1},
        {.source = "The talks lasted 3 hours.", .target = strdup("Переговори тривали 3 години."),
         .active = 1, .index = 1, .score = -1},
        {.source = "NATO met in Kyiv.", .target = strdup("НАТО met in Київ."), .active = 1,
         .index = 2, .score = -1, .n_terms = 2,
         .terms = {{0, 4, "НАТО", NULL, 0}, {12, 16, "Київ", NULL, 0}}},
        {.source = "This one failed.", .target = strdup("Це не вдалося."), .active = 0, .index = 3,
         .score = -1},
    };
    xlate_batch batch = {segs, 4, 1};
    CHECK_INT(p->process(inst, &batch), XLATE_OK);  /* nothing in the memory yet */
    CHECK_INT(p->batch_done(inst, &batch), XLATE_OK);
    CHECK_INT(p->document_done(inst), XLATE_OK);
    free_segments(segs, 4);

    /* a document stopped part way: shown by batch_done, never finished */
    test_segment stopped[1] = {
        {.source = "Never finished.", .target = strdup("Ніколи не завершено."), .active = 1,
         .score = -1}};
    xlate_batch sb = {stopped, 1, 1};
    CHECK_INT(p->batch_done(inst, &sb), XLATE_OK);
    /* the next document starts (index 0) without document_done for that one */
    test_segment next[1] = {
        {.source = "The next document.", .target = strdup("Наступний документ."), .active = 1,
         .score = -1}};
    xlate_batch nb = {next, 1, 1};
    CHECK_INT(p->batch_done(inst, &nb), XLATE_OK);
    CHECK_INT(p->document_done(inst), XLATE_OK);
    /* and one that the instance's end cuts off */
    test_segment cut[1] = {{.source = "Cut off.", .target = strdup("Обірвано."), .active = 1,
                            .score = -1}};
    xlate_batch cb = {cut, 1, 1};
    CHECK_INT(p->batch_done(inst, &cb), XLATE_OK);
    p->destroy(inst);
    free_segments(stopped, 1);
    free_segments(next, 1);
    free_segments(cut, 1);
}

static void test_lookups(const xlate_plugin *p) {
    xlate_options o = {.db = db};
    void *inst = create(p, &o);
    if (!inst)
        return;
    test_segment segs[7] = {
        {.source = "The  council approved the new budget for the next year.", .active = 1, .score = -1},
        {.source = "The talks lasted 5 hours.", .active = 1, .score = -1},
        {.source = "The council rejected the new budget for the next year.", .active = 1, .score = -1},
        {.source = "NATO met in Kyiv.", .active = 1, .score = -1},
        {.source = "Never finished.", .active = 1, .score = -1},
        {.source = "Cut off.", .active = 1, .score = -1},
        {.source = "The next document.", .active = 1, .score = -1},
    };
    xlate_batch batch = {segs, 7, 0};
    CHECK_INT(p->process(inst, &batch), XLATE_OK);
    CHECK_STR(segs[0].target, TEN_UK);
    CHECK(segs[0].score == 100 && segs[0].n_matches == 1 && segs[0].match_used[0]);
    CHECK_STR(segs[1].target, "Переговори тривали 5 години.");
    CHECK(segs[1].score == 99);
    /* fuzzy, offered: recorded, not used */
    CHECK(segs[2].target == NULL);
    CHECK_INT(segs[2].n_matches, 1);
    CHECK(segs[2].match_scores[0] == 90 && !segs[2].match_used[0]);
    /* the glossary's pseudo-target, the unfinished documents: not learned */
    CHECK_INT(segs[3].n_matches, 0);
    CHECK_INT(segs[4].n_matches, 0);
    CHECK_INT(segs[5].n_matches, 0);
    CHECK_STR(segs[6].target, "Наступний документ.");

    /* batch_done after a lookup: the memory's own exact match is not learned again */
    free_segments(segs, 7);
    p->destroy(inst);

    xlate_options fill = {.db = db, .fuzzy = "fill"};
    inst = create(p, &fill);
    if (!inst)
        return;
    test_segment f[1] = {{.source = "The council rejected the new budget for the next year.",
                          .active = 1, .score = -1}};
    xlate_batch fb = {f, 1, 0};
    CHECK_INT(p->process(inst, &fb), XLATE_OK);
    CHECK_STR(f[0].target, TEN_UK);
    CHECK(f[0].score == 90);
    CHECK(f[0].warning && strncmp(f[0].warning, "tm_fuzzy: ", 10) == 0 &&
          strstr(f[0].warning, "score 90") != NULL);
    free_segments(f, 1);
    p->destroy(inst);
}

/* A fuzzy fill and an unchanged exact match are not learned: learning them would make a guess
 * or the memory's own text look like a translation someone made. */
static void test_not_learned(const xlate_plugin *p) {
    xlate_options o = {.db = db, .learn = "yes", .fuzzy = "fill"};
    void *inst = create(p, &o);
    if (!inst)
        return;
    test_segment segs[1] = {{.source = "The council rejected the new budget for the next year.",
                             .active = 1, .score = -1}};
    xlate_batch b = {segs, 1, 0};
    CHECK_INT(p->process(inst, &b), XLATE_OK);
    b.read_only = 1;
    CHECK_INT(p->batch_done(inst, &b), XLATE_OK);
    CHECK_INT(p->document_done(inst), XLATE_OK);
    free_segments(segs, 1);
    p->destroy(inst);

    xlate_options look = {.db = db};
    inst = create(p, &look);
    if (!inst)
        return;
    test_segment again[1] = {{.source = "The council rejected the new budget for the next year.",
                              .active = 1, .score = -1}};
    xlate_batch ab = {again, 1, 0};
    CHECK_INT(p->process(inst, &ab), XLATE_OK);
    CHECK(again[0].n_matches == 1 && again[0].match_scores[0] == 90);  /* still fuzzy only */
    free_segments(again, 1);
    p->destroy(inst);
}

int main(void) {
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(db, sizeof db, "%s/tm.db", dir);
    void *so = dlopen(TM_SO, RTLD_NOW | RTLD_LOCAL);
    if (!so) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 1;
    }
    xlate_plugin_entry_fn entry = (xlate_plugin_entry_fn)dlsym(so, XLATE_PLUGIN_ENTRY_SYMBOL);
    const xlate_plugin *p = entry ? entry(&test_host) : NULL;
    CHECK(p != NULL);
    if (p) {
        CHECK_STR(p->name, "tm");
        CHECK_INT(p->kind, XLATE_KIND_TRANSLATOR);
        test_old_host_and_bad_options(p);
        test_learning(p);
        test_lookups(p);
        test_not_learned(p);
    }
    dlclose(so);
    check_remove_tree(dir);
    return check_result("test_tm_plugin");
}
