/*
 * Tests of glossary.so through the plugin ABI: the built plugin is loaded with dlopen and driven
 * by a small test host that keeps segments, targets and term spans the way the ABI describes.
 * Checks what a chain relies on: targets with terms replaced, spans with byte offsets, a target
 * set by an earlier plugin left alone, inactive segments skipped, errors naming file and line.
 */
#include "check.h"

#include <xlate/plugin.h>

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- the test host ------------------------------------------------------------------------ */

struct xlate_plugin_ctx {
    char error[1024];
};

struct xlate_options {
    const char *file, *dict, *stem;
};

#define MAX_TERMS 64
typedef struct test_segment {
    const char *source;
    char *target;
    int active;
    xlate_term terms[MAX_TERMS];
    size_t n_terms;
    char *failed;
} test_segment;

struct xlate_batch {
    test_segment *segs;
    size_t n;
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

static const char *host_source_lang(const xlate_plugin_ctx *ctx) { (void)ctx; return "uk"; }
static const char *host_target_lang(const xlate_plugin_ctx *ctx) { (void)ctx; return "en"; }

static const char *host_option(const xlate_options *o, const char *name) {
    if (strcmp(name, "file") == 0)
        return o->file;
    if (strcmp(name, "dict") == 0)
        return o->dict ? o->dict : "/usr/share/hunspell/uk_UA";
    if (strcmp(name, "stem") == 0)
        return o->stem ? o->stem : "on";
    return NULL;
}

static int host_option_int(const xlate_options *o, const char *name, long long *out) {
    (void)o, (void)name, (void)out;
    return XLATE_ENOTFOUND;
}

static int host_option_bool(const xlate_options *o, const char *name, int *out) {
    const char *v = host_option(o, name);
    if (!v)
        return XLATE_ENOTFOUND;
    *out = strcmp(v, "on") == 0;
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

static int host_segment_active(const xlate_batch *b, size_t i) {
    return b->segs[i].active && !b->segs[i].failed;
}

static int host_segment_set_target(xlate_batch *b, size_t i, const char *text, size_t len) {
    free(b->segs[i].target);
    b->segs[i].target = strndup(text, len);
    return XLATE_OK;
}

static int is_char_boundary(const char *s, size_t at) {
    return ((unsigned char)s[at] & 0xC0) != 0x80;
}

/* Validates like a real host: inside the source, on character boundaries, no overlap. */
static int host_segment_add_term(xlate_batch *b, size_t i, const xlate_term *t) {
    test_segment *s = &b->segs[i];
    size_t len = strlen(s->source);
    if (t->start >= t->end || t->end > len || !is_char_boundary(s->source, t->start) ||
        !is_char_boundary(s->source, t->end) || s->n_terms == MAX_TERMS)
        return XLATE_EINVAL;
    size_t k = 0;
    for (; k < s->n_terms; k++) {
        if (s->terms[k].start < t->end && t->start < s->terms[k].end)
            return XLATE_EINVAL;
        if (s->terms[k].start > t->start)
            break;
    }
    memmove(&s->terms[k + 1], &s->terms[k], (s->n_terms - k) * sizeof *s->terms);
    s->terms[k] = *t;
    s->terms[k].target = strdup(t->target);
    s->terms[k].note = t->note ? strdup(t->note) : NULL;
    s->n_terms++;
    return XLATE_OK;
}

static size_t host_segment_term_count(const xlate_batch *b, size_t i) { return b->segs[i].n_terms; }

static const xlate_term *host_segment_term(const xlate_batch *b, size_t i, size_t k) {
    return &b->segs[i].terms[k];
}

static int host_segment_fail(xlate_batch *b, size_t i, const char *message) {
    free(b->segs[i].failed);
    b->segs[i].failed = strdup(message);
    return XLATE_OK;
}

static int host_segment_drop(xlate_batch *b, size_t i, const char *reason) {
    (void)reason;
    b->segs[i].active = 0;
    return XLATE_OK;
}

/* The test's segments have no inline codes. */
static size_t host_segment_code_count(const xlate_batch *b, size_t i) {
    (void)b;
    (void)i;
    return 0;
}

/* This host calls create without load: each instance loads its own map. */
static void *host_plugin_shared(const xlate_plugin_ctx *ctx) {
    (void)ctx;
    return NULL;
}

static const xlate_host test_host = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_host),
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
    .segment_add_term = host_segment_add_term,
    .segment_term_count = host_segment_term_count,
    .segment_term = host_segment_term,
    .segment_fail = host_segment_fail,
    .segment_drop = host_segment_drop,
    .segment_masked_source = NULL,
    .segment_set_unmasked_target = NULL,
    .segment_code_count = host_segment_code_count,
    .plugin_shared = host_plugin_shared,
};

static void free_segments(test_segment *segs, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(segs[i].target);
        free(segs[i].failed);
        for (size_t k = 0; k < segs[i].n_terms; k++) {
            free((char *)segs[i].terms[k].target);
            free((char *)segs[i].terms[k].note);
        }
    }
}

/* --- the tests ---------------------------------------------------------------------------- */

static void check_span(const test_segment *s, size_t k, const char *span, const char *target) {
    if (k >= s->n_terms) {
        fprintf(stderr, "  \"%s\": no span %zu (%s)\n", s->source, k, span);
        check_failures++;
        return;
    }
    const char *at = strstr(s->source, span);
    CHECK(at != NULL);
    if (!at)
        return;
    CHECK_INT(s->terms[k].start, at - s->source);
    CHECK_INT(s->terms[k].end, at - s->source + strlen(span));
    CHECK_STR(s->terms[k].target, target);
}

static void test_descriptor(const xlate_plugin *p) {
    CHECK_STR(p->name, "glossary");
    CHECK_INT(p->kind, XLATE_KIND_GLOSSARY);
    CHECK_INT(p->abi_version, XLATE_ABI_VERSION);
    CHECK_INT(p->struct_size, sizeof(xlate_plugin));
    static const char *const option_names[] = {"file", "dict", "stem"};
    CHECK(p->n_options == 3);
    for (size_t i = 0; i < p->n_options && i < 3; i++)
        CHECK_STR(p->options[i].name, option_names[i]);
    CHECK(p->n_pairs >= 1 && strcmp(p->pairs[0].source, "uk") == 0);
}

static void test_process_with_the_built_in_map(const xlate_plugin *p) {
    xlate_plugin_ctx ctx = {""};
    xlate_options opts = {NULL, NULL, NULL};
    void *inst = NULL;
    CHECK_INT(p->create(&test_host, &ctx, &opts, &inst), XLATE_OK);
    if (!inst) {
        fprintf(stderr, "  create: %s\n", ctx.error);
        check_failures++;
        return;
    }
    test_segment segs[5] = {
        {.source = "Генсек НАТО прибув до Харківської області.", .active = 1},
        {.source = "Київ не обробляється: сегмент відфільтровано.", .active = 0},
        {.source = "Блінкен заявив про це в Києві.", .target = strdup("Blinken said so in Kyiv."),
         .active = 1},
        {.source = "В інтерв'ю The Economist Столтенберг закликав союзників.", .active = 1},
        {.source = "Без термінів тут.", .active = 1},
    };
    xlate_batch batch = {segs, 5};
    CHECK_INT(p->process(inst, &batch), XLATE_OK);

    CHECK_STR(segs[0].target, "NATO Secretary-General прибув до Kharkiv region.");
    CHECK_INT(segs[0].n_terms, 2);
    check_span(&segs[0], 0, "Генсек НАТО", "NATO Secretary-General");
    check_span(&segs[0], 1, "Харківської області", "Kharkiv region");

    CHECK(segs[1].target == NULL);
    CHECK_INT(segs[1].n_terms, 0);

    /* an earlier plugin's target stays; the spans are still recorded */
    CHECK_STR(segs[2].target, "Blinken said so in Kyiv.");
    CHECK_INT(segs[2].n_terms, 2);
    check_span(&segs[2], 0, "Блінкен", "Blinken");
    check_span(&segs[2], 1, "Києві", "Kyiv");

    /* a kept term keeps the text as it stands and says so */
    CHECK_STR(segs[3].target, "В інтерв'ю The Economist Stoltenberg закликав allies.");
    check_span(&segs[3], 0, "The Economist", "The Economist");
    CHECK(segs[3].n_terms >= 1 && segs[3].terms[0].flags == XLATE_TERM_KEEP);

    /* no term: the target is the source as it stands, no span, not failed */
    CHECK_STR(segs[4].target, "Без термінів тут.");
    CHECK(segs[4].n_terms == 0 && segs[4].failed == NULL);
    for (size_t i = 0; i < 5; i++)
        CHECK(segs[i].failed == NULL);
    free_segments(segs, 5);
    p->destroy(inst);
}

static void test_spans_of_an_earlier_plugin_are_respected(const xlate_plugin *p) {
    xlate_plugin_ctx ctx = {""};
    xlate_options opts = {NULL, NULL, NULL};
    void *inst = NULL;
    CHECK_INT(p->create(&test_host, &ctx, &opts, &inst), XLATE_OK);
    if (!inst)
        return;
    test_segment seg = {.source = "Сили оборони України звільнили Вовчанськ.", .active = 1};
    xlate_batch batch = {&seg, 1};
    /* an earlier glossary marked "України" alone */
    const char *at = strstr(seg.source, "України");
    xlate_term earlier = {(size_t)(at - seg.source), (size_t)(at - seg.source) + strlen("України"),
                          "of Ukraine", NULL, 0};
    CHECK_INT(host_segment_add_term(&batch, 0, &earlier), XLATE_OK);
    CHECK_INT(p->process(inst, &batch), XLATE_OK);
    CHECK(seg.failed == NULL);
    /* "Сили оборони України" would overlap it: the shorter "Сили оборони" takes its place */
    CHECK_INT(seg.n_terms, 3);
    check_span(&seg, 0, "Сили оборони", "Defense Forces");
    check_span(&seg, 1, "України", "of Ukraine");
    check_span(&seg, 2, "Вовчанськ", "Vovchansk");
    CHECK_STR(seg.target, "Defense Forces of Ukraine звільнили Vovchansk.");
    free_segments(&seg, 1);
    p->destroy(inst);
}

static const char *write_temp_map(char *path, const char *text) {
    strcpy(path, "/tmp/test_glossary_XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_file_option_loads_another_map(const xlate_plugin *p) {
    char path[64];
    if (!write_temp_map(path, "source\ttarget\nзброя\tArmament\n")) {
        check_failures++;
        return;
    }
    xlate_plugin_ctx ctx = {""};
    xlate_options opts = {path, NULL, NULL};
    void *inst = NULL;
    CHECK_INT(p->create(&test_host, &ctx, &opts, &inst), XLATE_OK);
    if (inst) {
        test_segment seg = {.source = "Україна отримала зброю.", .active = 1};
        xlate_batch batch = {&seg, 1};
        CHECK_INT(p->process(inst, &batch), XLATE_OK);
        CHECK_STR(seg.target, "Україна отримала Armament.");
        free_segments(&seg, 1);
        p->destroy(inst);
    }
    remove(path);
}

static void test_bad_map_names_file_and_line(const xlate_plugin *p) {
    char path[64];
    if (!write_temp_map(path, "source\ttarget\nКиїв\tKyiv\nХарків\n")) {
        check_failures++;
        return;
    }
    xlate_plugin_ctx ctx = {""};
    xlate_options opts = {path, NULL, NULL};
    void *inst = NULL;
    CHECK(p->create(&test_host, &ctx, &opts, &inst) != XLATE_OK);
    char want[128];
    snprintf(want, sizeof want, "%s:3:", path);
    CHECK(strncmp(ctx.error, want, strlen(want)) == 0);
    remove(path);

    opts = (xlate_options){"/nonexistent/map.tsv", NULL, NULL};
    CHECK(p->create(&test_host, &ctx, &opts, &inst) != XLATE_OK);
    CHECK(strstr(ctx.error, "/nonexistent/map.tsv") != NULL);

    opts = (xlate_options){NULL, "/nonexistent/uk_UA", NULL};
    CHECK(p->create(&test_host, &ctx, &opts, &inst) != XLATE_OK);
    CHECK(strstr(ctx.error, "/nonexistent/uk_UA.aff") != NULL);
}

static void test_other_abi_major_is_refused(xlate_plugin_entry_fn entry) {
    xlate_host other = test_host;
    other.abi_version = (uint32_t)((XLATE_ABI_MAJOR + 1) << 16);
    CHECK(entry(&other) == NULL);
}

int main(void) {
    /* RTLD_NODELETE: libxml2 (for TBX maps) comes into this host with the plugin alone, and
     * the parser state it sets up when loaded would read as leaks once dlclose unloaded it; the
     * xlate command links libxml2 itself. */
    void *so = dlopen(GLOSSARY_SO, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (!so) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 1;
    }
    xlate_plugin_entry_fn entry;
    *(void **)&entry = dlsym(so, XLATE_PLUGIN_ENTRY_SYMBOL);
    if (!entry) {
        fprintf(stderr, "no %s in %s\n", XLATE_PLUGIN_ENTRY_SYMBOL, GLOSSARY_SO);
        dlclose(so);
        return 1;
    }
    const xlate_plugin *p = entry(&test_host);
    CHECK(p != NULL);
    if (p) {
        test_descriptor(p);
        test_process_with_the_built_in_map(p);
        test_spans_of_an_earlier_plugin_are_respected(p);
        test_file_option_loads_another_map(p);
        test_bad_map_names_file_and_line(p);
    }
    test_other_abi_major_is_refused(entry);
    dlclose(so);
    return check_result("test_glossary_plugin");
}
