/*
 * test_align: the aligner's parts (core/align) — names across scripts, the anchors two
 * translations share, the term map read as a dictionary, the banded programme — and the aligner
 * on small texts where the answer is known: an extra sentence on one side is left unaligned and
 * marked, a sentence merged in translation is a 2-1 bead, and a long text is aligned in a band.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "align_anchors.h"
#include "align_dict.h"
#include "align_dp.h"
#include "align_names.h"
#include "buf.h"
#include "check.h"
#include "segment.h"

static uint64_t key_of(xlate_align_names *n, const char *word) {
    uint64_t k = 0;
    int rc = xlate_align_name_key(n, word, strlen(word), &k);
    CHECK(rc >= 0);
    return rc == 1 ? k : 0;
}

static void test_names(void) {
    xlate_align_names *n = NULL;
    xlate_error err = {0};
    CHECK(xlate_align_names_new(&n, &err) == 0);
    if (!n)
        return;
    /* the same name in two scripts, inflected or not */
    CHECK(key_of(n, "Столтенберг") != 0);
    CHECK(key_of(n, "Столтенберг") == key_of(n, "Stoltenberg"));
    CHECK(key_of(n, "Харківській") == key_of(n, "Kharkiv"));
    CHECK(key_of(n, "Зеленський") == key_of(n, "Zelensky"));
    CHECK(key_of(n, "Києві") == key_of(n, "Kyiv"));
    CHECK(key_of(n, "Шмигаль") == key_of(n, "Shmyhal"));
    CHECK(key_of(n, "НАТО") == key_of(n, "NATO"));
    /* different names stay apart; a lowercase word is no name */
    CHECK(key_of(n, "Kharkiv") != key_of(n, "Kherson"));
    CHECK(key_of(n, "Одеса") != key_of(n, "Kyiv"));
    CHECK(key_of(n, "столтенберг") == 0);
    char sk[32];
    CHECK(xlate_align_name_skeleton(n, "Харківській", strlen("Харківській"), sk, sizeof sk) > 0);
    CHECK_STR(sk, "hrkvsk");
    xlate_align_names_free(n);
}

static int features(xlate_align_names *n, const xlate_align_dict *d, int side, const char *text,
                    xlate_align_feat *f) {
    xlate_align_feat_options o = {1, n, d, side};
    return xlate_align_features(&o, text, strlen(text), NULL, f);
}

static size_t shared(const xlate_align_feat *a, const xlate_align_feat *b) {
    return xlate_align_common(a->anchors, a->n_anchors, NULL, 0, b->anchors, b->n_anchors, NULL, 0);
}

static void test_anchors(void) {
    xlate_align_names *n = NULL;
    xlate_error err = {0};
    CHECK(xlate_align_names_new(&n, &err) == 0);
    xlate_align_feat uk, en, other;
    CHECK(features(n, NULL, 0, "Про це він сказав в інтервʼю The Economist 24 травня 2024 року: «так».",
                   &uk) == 0);
    CHECK(features(n, NULL, 1, "He said this in an interview with The Economist on May 24, 2024: \"yes\".",
                   &en) == 0);
    CHECK(features(n, NULL, 1, "Analysts had expected exactly this step in 2019.", &other) == 0);
    /* The, Economist, 24, May = 5, 2024, the colon, two quotation marks */
    CHECK(shared(&uk, &en) >= 7);
    CHECK_INT(shared(&uk, &other), 0);
    /* "10:30" is a time, not a colon between words; leading zeros do not count */
    xlate_align_feat t1, t2;
    CHECK(features(n, NULL, 0, "о 09:05", &t1) == 0);
    CHECK(features(n, NULL, 1, "at 9 5", &t2) == 0);
    CHECK_INT(t1.n_anchors, 2);
    CHECK_INT(shared(&t1, &t2), 2);
    /* two sentences against one: the multiset union */
    xlate_align_feat a, b, ab;
    CHECK(features(n, NULL, 0, "У 2023 році.", &a) == 0);
    CHECK(features(n, NULL, 0, "У 2024 році.", &b) == 0);
    CHECK(features(n, NULL, 1, "In 2023 and 2024.", &ab) == 0);
    CHECK_INT(xlate_align_common(a.anchors, a.n_anchors, b.anchors, b.n_anchors, ab.anchors,
                                 ab.n_anchors, NULL, 0), 2);
    xlate_align_feat_free(&uk);
    xlate_align_feat_free(&en);
    xlate_align_feat_free(&other);
    xlate_align_feat_free(&t1);
    xlate_align_feat_free(&t2);
    xlate_align_feat_free(&a);
    xlate_align_feat_free(&b);
    xlate_align_feat_free(&ab);
    xlate_align_names_free(n);
}

static char *write_temp(const char *name, const char *text) {
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", name);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

static void test_dict(void) {
    xlate_error err = {0};
    xlate_align_dict *d = NULL;
    /* written en → uk: read for uk → en with its columns swapped */
    const char *path = write_temp("align-test-terms.tsv",
                                  "# languages: en uk\nsource\ttarget\tnote\n"
                                  "Secretary General\tгенеральний секретар\t\nbudget\tбюджет\t\n");
    CHECK(xlate_align_dict_load(path, "uk", "en", &d, &err) == 0);
    CHECK_INT(xlate_align_dict_size(d), 2);
    xlate_align_names *n = NULL;
    CHECK(xlate_align_names_new(&n, &err) == 0);
    xlate_align_feat uk, en;
    /* inflected: "генерального секретаря", "бюджету" */
    CHECK(features(n, d, 0, "Заява генерального секретаря щодо бюджету.", &uk) == 0);
    CHECK(features(n, d, 1, "The statement of the Secretary General on the budget.", &en) == 0);
    CHECK(shared(&uk, &en) >= 2);
    xlate_align_feat_free(&uk);
    xlate_align_feat_free(&en);
    xlate_align_dict_free(d);
    xlate_align_names_free(n);
    remove(path);
    /* a file without the header is refused, naming it */
    path = write_temp("align-test-bad.tsv", "a\tb\n");
    CHECK(xlate_align_dict_load(path, "uk", "en", &d, &err) == -1);
    CHECK(err.message && strstr(err.message, "align-test-bad.tsv:1"));
    xlate_error_clear(&err);
    remove(path);
}

/* A cost that likes the diagonal only, to see the band's work. */
static double diagonal_cost(void *data, size_t i, size_t j, int di, int dj) {
    (void)data;
    (void)i;
    (void)j;
    return di == 1 && dj == 1 ? 0.0 : 5.0;
}

static void test_dp_band(void) {
    xlate_align_band b;
    xlate_error err = {0};
    CHECK(xlate_align_band_diagonal(100000, 100000, 8, &b) == 0);
    /* a band of about 17 cells a row: linear, not 10^10 */
    size_t cells = 0;
    for (size_t i = 0; i <= b.n; i++)
        cells += b.hi[i] - b.lo[i] + 1;
    CHECK(cells < 100001 * 20);
    xlate_align_step *s = NULL;
    size_t n = 0;
    int edge = 1;
    CHECK(xlate_align_dp(&b, diagonal_cost, NULL, &s, &n, &edge, &err) == 0);
    CHECK_INT(n, 100000);
    CHECK_INT(edge, 0);
    free(s);
    xlate_align_band_free(&b);
    /* corners from a coarse path: the band passes through them */
    size_t I[] = {0, 2, 2, 5}, J[] = {0, 3, 4, 6};
    CHECK(xlate_align_band_around(5, 6, I, J, 4, 0, &b) == 0);
    CHECK(b.lo[2] <= 3 && b.hi[2] >= 4);
    CHECK_INT(b.lo[0], 0);
    CHECK_INT(b.hi[5], 6);
    xlate_align_band_free(&b);
}

/* Splits text into one-line sentences, a blank line between paragraphs. */
static xlate_span *line_spans(const char *text, size_t *n) {
    xlate_span *sp = malloc(strlen(text) * sizeof *sp);
    size_t k = 0, para = 0, start = 0, len = strlen(text);
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '\n')
            continue;
        if (i > start)
            sp[k++] = (xlate_span){start, i, para};
        else if (k)
            para++;
        start = i + 1;
    }
    *n = k;
    return sp;
}

static void align_texts(const char *src, const char *tgt, xlate_align_bead **beads, size_t *nb) {
    xlate_align_options o = XLATE_ALIGN_OPTIONS_INIT;
    xlate_aligner *a = NULL;
    xlate_error err = {0};
    CHECK(xlate_aligner_new(&o, &a, &err) == 0);
    size_t ns, nt;
    xlate_span *ss = line_spans(src, &ns), *ts = line_spans(tgt, &nt);
    xlate_align_side s = {src, ss, ns, "uk", NULL}, t = {tgt, ts, nt, "en", NULL};
    CHECK(xlate_align(a, &s, &t, beads, nb, &err) == 0);
    free(ss);
    free(ts);
    xlate_aligner_free(a);
}

static void test_align_small(void) {
    const char *uk = "Депутати ухвалили бюджет на 2025 рік.\n"
                     "За рішення проголосували 87 депутатів.\n"
                     "Мер Віталій Кличко назвав його бюджетом стійкості.\n"
                     "Доходи становитимуть 92,4 млрд гривень, а видатки майже 98 млрд гривень.\n";
    const char *en = "Deputies approved the budget for 2025.\n"
                     "A total of 87 deputies voted for the decision.\n"
                     "Subscribe to our Telegram channel!\n"
                     "Mayor Vitali Klitschko called it a budget of resilience.\n"
                     "Revenues will amount to 92.4 billion hryvnias.\n"
                     "Expenditures will be almost 98 billion hryvnias.\n";
    xlate_align_bead *b = NULL;
    size_t n = 0;
    align_texts(uk, en, &b, &n);
    CHECK_INT(n, 5);
    if (n == 5) {
        CHECK(b[0].src == 0 && b[0].n_src == 1 && b[0].tgt == 0 && b[0].n_tgt == 1);
        CHECK(b[1].src == 1 && b[1].tgt == 1 && b[1].n_src == 1 && b[1].n_tgt == 1);
        /* the promotion is on the English side only: unaligned, score 0 */
        CHECK(b[2].n_src == 0 && b[2].n_tgt == 1 && b[2].tgt == 2 && b[2].score == 0);
        CHECK(b[3].src == 2 && b[3].tgt == 3);
        /* one sentence translated as two */
        CHECK(b[4].src == 3 && b[4].n_src == 1 && b[4].tgt == 4 && b[4].n_tgt == 2);
        CHECK(b[4].score > 50 && !b[4].low);
    }
    free(b);
}

/* 3,000 sentence pairs with a missing sentence every 50: aligned in a band, every pair right. */
static void test_align_long(void) {
    xlate_buf uk = XLATE_BUF_INIT, en = XLATE_BUF_INIT;
    size_t pairs = 3000;
    for (size_t k = 0; k < pairs; k++) {
        CHECK(xlate_buf_printf(&uk, "Речення номер %zu розповідає про %zu подій у місті Харків.\n", k,
                               k * 7 % 1000) == 0);
        if (k % 50 == 25)
            continue; /* the translator left it out */
        CHECK(xlate_buf_printf(&en, "Sentence number %zu tells of %zu events in Kharkiv.\n", k,
                               k * 7 % 1000) == 0);
    }
    CHECK(xlate_buf_putc(&uk, 0) == 0 && xlate_buf_putc(&en, 0) == 0);
    xlate_align_bead *b = NULL;
    size_t n = 0, right = 0, unaligned = 0;
    align_texts(uk.data, en.data, &b, &n);
    for (size_t k = 0; k < n; k++) {
        if (b[k].n_src == 1 && b[k].n_tgt == 1 && b[k].tgt == b[k].src - (b[k].src + 24) / 50)
            right++;
        if (b[k].n_src == 1 && b[k].n_tgt == 0 && b[k].src % 50 == 25)
            unaligned++;
    }
    CHECK_INT(unaligned, pairs / 50);
    CHECK_INT(right, pairs - pairs / 50);
    free(b);
    xlate_buf_free(&uk);
    xlate_buf_free(&en);
}

int main(void) {
    test_names();
    test_anchors();
    test_dict();
    test_dp_band();
    test_align_small();
    test_align_long();
    return check_result("align");
}
