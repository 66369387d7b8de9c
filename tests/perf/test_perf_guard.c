/*
 * test_perf_guard: the cheap guard of the speed the benches measure (bench/segment.sh,
 * bench/glossary-throughput.sh), so that a change that makes xlate several times slower fails the
 * suite instead of waiting for someone to run bench/. Two ratios, each xlate against its anchor
 * on the same 4 MB of Ukrainian news prose built from the repository's texts:
 *
 *   segment   `xlate segment --from uk`  against plain ICU sentence break iteration
 *             (bench/icu_sentences.c, built as a test executable; its path is argv[1]);
 *   glossary  `xlate run --plugin glossary --format jsonl`  against
 *             `iconv -f utf-8 -t utf-8 | uconv -x any-nfc`.
 *
 * A ratio is the anchor's CPU seconds for the text over xlate's (higher is better, as the benches
 * print it), where a side's seconds for the text are its run on the text less its run on an empty
 * file: what each pays per byte, not for starting. Start-up (loading ICU data, compiling the
 * segmentation rules, the glossary's dictionary) is some 40 ms of xlate's 80 on 2 MB and varies
 * from machine to machine far more than the work per byte does; a guard that counted it measured
 * the machine's loader, and failed on a CI machine where today's code is as fast as anywhere.
 * CPU time (user + system from wait4, the command's children included) and never wall time, and
 * only ratios of runs made in this one process, so that neither the machine's speed nor other
 * work on it sets the figure. Policy, for a loaded two-core CI machine:
 *   - the four commands alternate, ROUNDS rounds, and each keeps its fastest run: other work only
 *     ever slows a run down (caches, a shared core), so the fastest is the least disturbed;
 *   - a ratio under its floor gets up to two more sets of ROUNDS rounds before it counts (the
 *     fastest runs over all of them), so that a burst of load on one side does not fail the test;
 *   - the floors are about a third of today's figures (see FLOORS): the guard catches a
 *     regression of a factor, not a few percent; bench/ measures the rest;
 *   - under a sanitizer the ratios say nothing about xlate and the test is skipped (exit 77), as
 *     big_line is; a missing tool (iconv, uconv: scripts/bootstrap installs them) fails.
 * Every figure and the ratio are printed whether it passes or not.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define XLATE_EXE BUILD_ROOT "/core/xlate"
#define CORPUS_BYTES (4u << 20)
#define ROUNDS 5
#define MORE_SETS 2

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif

/* FLOORS: about a third of today's figures. On this 4 MB, start-up taken out, the ratios were
 * segment 0.86-0.93 and glossary 0.92-1.17 on a two-core machine at load 3 (the benches' targets,
 * on their own texts: 0.75 and 1.5). A stage made three times slower falls under its floor; a
 * loaded machine's noise (some 10%) and another CPU's different balance of costs (some 30%) do
 * not. Raise the floors as the figures rise. */
#define SEGMENT_FLOOR 0.3
#define GLOSSARY_FLOOR 0.35

/* CPU seconds (user + system) of argv run with stdout to /dev/null (or to `out`), stderr to
 * /dev/null; -1 if it could not run or did not exit 0. */
static double cpu_seconds(char *const argv[]) {
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
        }
        /* meson sets it: glibc would then fill every block malloc hands out, a cost xlate pays
         * and the anchor (allocating little) does not. */
        unsetenv("MALLOC_PERTURB_");
        execvp(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

/* Keeps the smaller of *best and t (t < 0: a failed run, counted once in *failed). */
static void keep_fastest(double *best, double t, int *failed) {
    if (t < 0)
        (*failed)++;
    else if (*best < 0 || t < *best)
        *best = t;
}

typedef struct guard {
    const char *name;
    char *const *xlate;        /* argv of the xlate side on the text */
    char *const *xlate_empty;  /* the same on an empty file */
    char *const *anchor;       /* argv of the anchor on the text */
    char *const *anchor_empty; /* the same on an empty file */
    double floor, target;
} guard;

/* The fastest CPU seconds of each of a guard's four commands so far (-1: none yet). */
typedef struct fastest {
    double x, x_empty, a, a_empty;
} fastest;

/* One round: each command once, in turn, each keeping its fastest. */
static void run_round(const guard *g, fastest *f, int *failed) {
    keep_fastest(&f->x, cpu_seconds(g->xlate), failed);
    keep_fastest(&f->a, cpu_seconds(g->anchor), failed);
    keep_fastest(&f->x_empty, cpu_seconds(g->xlate_empty), failed);
    keep_fastest(&f->a_empty, cpu_seconds(g->anchor_empty), failed);
}

/* Runs one guard; returns 0 when its ratio is at or above its floor. */
static int run_guard(const guard *g) {
    fastest f = {-1, -1, -1, -1};
    double ratio = 0;
    int failed = 0;
    /* one run of each first, untimed: the page cache, the glossary's dictionary cache */
    if (cpu_seconds(g->xlate) < 0 || cpu_seconds(g->anchor) < 0) {
        fprintf(stderr, "%s: the xlate command or its anchor failed (is %s installed?)\n", g->name,
                g->anchor[0]);
        return -1;
    }
    for (int set = 0; set <= MORE_SETS; set++) {
        for (int r = 0; r < ROUNDS; r++)
            run_round(g, &f, &failed);
        if (failed)
            break;
        double x = f.x - f.x_empty, a = f.a - f.a_empty;
        ratio = x > 0 && a > 0 ? a / x : 0;
        fprintf(stderr, "%s: xlate %.3f - %.3f s cpu, anchor %.3f - %.3f s cpu (text - empty "
                        "file), ratio %.2f (floor %.2f, target %.2f; fastest of %d runs each)\n",
                g->name, f.x, f.x_empty, f.a, f.a_empty, ratio, g->floor, g->target,
                (set + 1) * ROUNDS);
        if (ratio >= g->floor)
            return 0;
    }
    if (failed)
        fprintf(stderr, "%s: %d runs failed\n", g->name, failed);
    else
        fprintf(stderr, "%s: ratio %.2f is under its floor %.2f: a regression of a factor\n",
                g->name, ratio, g->floor);
    return -1;
}

/* The repository's Ukrainian news prose: the gold corpus with each paragraph's sentences on one
 * line (as bench/segment.sh builds it) and the OBOZ.UA article, repeated to CORPUS_BYTES. */
static int write_corpus(const char *path) {
    size_t gold_len = 0, article_len = 0;
    char *gold = check_read_file(TEST_DATA_DIR "/segment/uk.txt", &gold_len);
    char *article = check_read_file(TEST_DATA_DIR "/../samples/oboz/oboz-stoltenberg.uk.txt",
                                    &article_len);
    FILE *f = fopen(path, "wb");
    int ok = gold && article && f;
    for (size_t i = 0; ok && i + 1 < gold_len; i++)
        if (gold[i] == '\n' && gold[i + 1] != '\n' && (i == 0 || gold[i - 1] != '\n'))
            gold[i] = ' ';
    for (size_t n = 0; ok && n < CORPUS_BYTES; n += gold_len + article_len + 2)
        ok = fwrite(gold, 1, gold_len, f) == gold_len && fputc('\n', f) != EOF &&
             fwrite(article, 1, article_len, f) == article_len && fputc('\n', f) != EOF;
    if (f && fclose(f) != 0)
        ok = 0;
    free(gold);
    free(article);
    return ok ? 0 : -1;
}

int main(int argc, char **argv) {
#ifdef UNDER_SANITIZER
    (void)argc;
    (void)argv;
    fprintf(stderr, "test_perf_guard: speed ratios under a sanitizer say nothing; skipped\n");
    return 77;
#else
    if (argc != 2) {
        fprintf(stderr, "usage: test_perf_guard ICU_SENTENCES\n");
        return 2;
    }
    char dir[] = "/tmp/xlate-perf-guard-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char corpus[64], empty[64], out[64], cache[64];
    snprintf(corpus, sizeof corpus, "%s/news.txt", dir);
    snprintf(empty, sizeof empty, "%s/empty.txt", dir);
    snprintf(out, sizeof out, "%s/out.jsonl", dir);
    snprintf(cache, sizeof cache, "%s/cache", dir);
    /* the glossary's dictionary cache of this test alone, warmed by the untimed first run */
    setenv("XLATE_CACHE_DIR", cache, 1);
    CHECK(write_corpus(corpus) == 0);
    FILE *e = fopen(empty, "wb");
    CHECK(e != NULL && fclose(e) == 0);

    char *seg_x[] = {XLATE_EXE, "segment", "--from", "uk", corpus, NULL};
    char *seg_xe[] = {XLATE_EXE, "segment", "--from", "uk", empty, NULL};
    char *seg_a[] = {argv[1], "uk", corpus, NULL};
    char *seg_ae[] = {argv[1], "uk", empty, NULL};
    char *glo_x[] = {XLATE_EXE, "run", "--plugin", "glossary", "--from", "uk", "--to", "en",
                     "--format", "jsonl", "-o", out, corpus, NULL};
    char *glo_xe[] = {XLATE_EXE, "run", "--plugin", "glossary", "--from", "uk", "--to", "en",
                      "--format", "jsonl", "-o", out, empty, NULL};
    char *glo_a[] = {"/bin/bash", "-o", "pipefail", "-c",
                     "iconv -f utf-8 -t utf-8 \"$1\" | uconv -x any-nfc", "bash",
                     corpus, NULL};
    char *glo_ae[] = {"/bin/bash", "-o", "pipefail", "-c",
                      "iconv -f utf-8 -t utf-8 \"$1\" | uconv -x any-nfc", "bash",
                      empty, NULL};
    const guard guards[] = {
        {"segment (xlate segment / plain ICU)", seg_x, seg_xe, seg_a, seg_ae, SEGMENT_FLOOR, 0.75},
        {"glossary (run --plugin glossary / iconv | uconv)", glo_x, glo_xe, glo_a, glo_ae,
         GLOSSARY_FLOOR, 1.5},
    };
    for (size_t i = 0; i < sizeof guards / sizeof guards[0]; i++)
        CHECK(run_guard(&guards[i]) == 0);
    check_remove_tree(dir);
    return check_result("test_perf_guard");
#endif
}
