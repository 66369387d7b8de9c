/*
 * align: the aligner's driver. See align.h. Features for every sentence of both sides; then, when
 * both sides have paragraphs, the paragraphs are aligned first (a diagonal band, widened while the
 * best path runs along its edge) and the sentences inside a band of a few sentences about that
 * path; a side without paragraphs has its sentences aligned in a diagonal band directly. The cost
 * of a bead is Gale–Church's (align_lengths.h), less what the anchors, names, dictionary terms and
 * MT words of its two sides share, plus a little for each anchor one side has and the other lacks.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "align_anchors.h"
#include "align_dp.h"
#include "align_lengths.h"
#include "align_names.h"

/* Weights of the cost, in units of −log probability, chosen on the gold set (tests/align/gold). */
static const double W_SHARED = 1.6;       /* each anchor both sides have */
static const double W_UNSHARED = 0.35;    /* each anchor one side of a pair has and the other lacks */
static const double W_MT = 5.0;           /* the Dice similarity of MT words and target words */
static const double W_PARAGRAPH = 1.5;    /* a bead that starts a paragraph on both sides */
static const double W_CROSS = 3.0;        /* two sentences of one side in one bead across a paragraph end */
/* The first band's half-width, in units; doubled while the path runs along its edge. */
enum { BAND_START = 24, SENTENCE_MARGIN = 0 };

struct xlate_aligner {
    xlate_align_options opts;
    xlate_align_names *names;
};

int xlate_aligner_new(const xlate_align_options *opts, xlate_aligner **out, xlate_error *err) {
    *out = NULL;
    xlate_aligner *a = calloc(1, sizeof *a);
    if (!a) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    a->opts = *opts;
    if (!opts->length_only && xlate_align_names_new(&a->names, err) != 0) {
        free(a);
        return -1;
    }
    *out = a;
    return 0;
}

void xlate_aligner_free(xlate_aligner *a) {
    if (!a)
        return;
    xlate_align_names_free(a->names);
    free(a);
}

/* The units one DP aligns: features, and which of them start a paragraph. */
typedef struct units {
    const xlate_align_feat *f;
    const unsigned char *para_start; /* NULL: no paragraph bonus */
    size_t n;
} units;

typedef struct cost_ctx {
    units s, t;
    double ratio;
    int anchors, mt;
} cost_ctx;

/* The parts of a bead's cost and score, from its one or two units a side. */
typedef struct bead_view {
    size_t ls, lt, a, b, common, wa, wb, wcommon;
    size_t unshared; /* anchors of one side the other lacks, sentence-initial capitals aside */
} bead_view;

static void view_bead(const cost_ctx *x, size_t i, size_t j, int di, int dj, bead_view *v) {
    const xlate_align_feat *s1 = di ? &x->s.f[i - (size_t)di] : NULL, *s2 = di == 2 ? &x->s.f[i - 1] : NULL;
    const xlate_align_feat *t1 = dj ? &x->t.f[j - (size_t)dj] : NULL, *t2 = dj == 2 ? &x->t.f[j - 1] : NULL;
    memset(v, 0, sizeof *v);
    v->ls = (s1 ? s1->chars : 0) + (s2 ? s2->chars : 0);
    v->lt = (t1 ? t1->chars : 0) + (t2 ? t2->chars : 0);
    if (!x->anchors || !s1 || !t1)
        return;
    v->a = s1->n_anchors + (s2 ? s2->n_anchors : 0);
    v->b = t1->n_anchors + (t2 ? t2->n_anchors : 0);
    v->common = xlate_align_common(s1->anchors, s1->n_anchors, s2 ? s2->anchors : NULL,
                                   s2 ? s2->n_anchors : 0, t1->anchors, t1->n_anchors,
                                   t2 ? t2->anchors : NULL, t2 ? t2->n_anchors : 0);
    size_t weak = s1->n_weak + (s2 ? s2->n_weak : 0) + t1->n_weak + (t2 ? t2->n_weak : 0);
    size_t apart = v->a + v->b - 2 * v->common;
    v->unshared = apart > weak ? apart - weak : 0;
    if (!x->mt)
        return;
    v->wa = s1->n_words + (s2 ? s2->n_words : 0);
    v->wb = t1->n_words + (t2 ? t2->n_words : 0);
    v->wcommon = xlate_align_common(s1->words, s1->n_words, s2 ? s2->words : NULL,
                                    s2 ? s2->n_words : 0, t1->words, t1->n_words,
                                    t2 ? t2->words : NULL, t2 ? t2->n_words : 0);
}

static double bead_cost(void *data, size_t i, size_t j, int di, int dj) {
    const cost_ctx *x = data;
    double cost = xlate_align_bead_prior(di, dj);
    if (di && dj) {
        bead_view v;
        view_bead(x, i, j, di, dj, &v);
        cost += xlate_align_length_cost(v.ls, v.lt, x->ratio);
        cost -= W_SHARED * (double)v.common;
        cost += W_UNSHARED * (double)v.unshared;
        if (v.wa + v.wb)
            cost -= W_MT * 2.0 * (double)v.wcommon / (double)(v.wa + v.wb);
    }
    if (x->s.para_start && x->t.para_start && i - (size_t)di < x->s.n && j - (size_t)dj < x->t.n &&
        x->s.para_start[i - (size_t)di] && x->t.para_start[j - (size_t)dj])
        cost -= W_PARAGRAPH;
    if ((di == 2 && x->s.para_start && x->s.para_start[i - 1]) ||
        (dj == 2 && x->t.para_start && x->t.para_start[j - 1]))
        cost += W_CROSS;
    return cost;
}

/* 0..100: the length fit, with the share of anchors and of MT words in common when there are any. */
static int bead_score(const cost_ctx *x, size_t i, size_t j, int di, int dj) {
    if (!di || !dj)
        return 0;
    bead_view v;
    view_bead(x, i, j, di, dj, &v);
    double sum = xlate_align_length_fit(v.ls, v.lt, x->ratio), parts = 1;
    if (v.common + v.unshared) {
        sum += 2.0 * (double)v.common / (double)(2 * v.common + v.unshared);
        parts++;
    }
    if (v.wa + v.wb) {
        double dice = 2.0 * (double)v.wcommon / (double)(v.wa + v.wb);
        /* a good translation shares about half of its longer words' beginnings */
        sum += dice * 2 > 1 ? 1 : dice * 2;
        parts++;
    }
    return (int)lround(100.0 * sum / parts);
}

/* The best path in a diagonal band, widened while the path runs along the band's edge. */
static int dp_diagonal(cost_ctx *x, xlate_align_step **steps, size_t *n_steps, xlate_error *err) {
    size_t w = BAND_START, longest = x->s.n > x->t.n ? x->s.n : x->t.n;
    for (;;) {
        xlate_align_band b;
        if (xlate_align_band_diagonal(x->s.n, x->t.n, w, &b) != 0) {
            xlate_error_set(err, XLATE_ENOMEM, "align: out of memory");
            return -1;
        }
        int edge = 0;
        int rc = xlate_align_dp(&b, bead_cost, x, steps, n_steps, &edge, err);
        xlate_align_band_free(&b);
        if (rc != 0 || !edge || w >= longest)
            return rc;
        free(*steps);
        w *= 2;
    }
}

/* Sentence features of one side. */
static int side_features(xlate_aligner *a, const xlate_align_side *side, int dict_side, int mt,
                         xlate_align_feat **out, xlate_error *err) {
    xlate_align_feat *f = calloc(side->n_spans ? side->n_spans : 1, sizeof *f);
    if (!f)
        goto oom;
    xlate_align_feat_options fo = {!a->opts.length_only, a->names, a->opts.dict, dict_side};
    for (size_t k = 0; k < side->n_spans; k++) {
        const xlate_span *sp = &side->spans[k];
        const char *text = side->text + sp->start;
        size_t len = sp->end - sp->start;
        /* the target's own words meet the source's machine translation */
        char *own = NULL;
        const char *words_of = NULL;
        if (mt && dict_side == 0)
            words_of = side->mt && side->mt[k] ? side->mt[k] : "";
        else if (mt) {
            if (!(own = strndup(text, len)))
                goto oom_f;
            words_of = own;
        }
        int rc = xlate_align_features(&fo, text, len, words_of, &f[k]);
        free(own);
        if (rc != 0)
            goto oom_f;
    }
    *out = f;
    return 0;
oom_f:
    for (size_t k = 0; k < side->n_spans; k++)
        xlate_align_feat_free(&f[k]);
    free(f);
oom:
    xlate_error_set(err, XLATE_ENOMEM, "align: out of memory");
    return -1;
}

/* Paragraph features from sentence features: paragraph p covers sentences first[p]..first[p+1]. */
static int paragraph_features(const xlate_align_side *side, const xlate_align_feat *f, int mt,
                              xlate_align_feat **pf, size_t **first, size_t *np) {
    size_t n = side->n_spans, count = 0;
    for (size_t k = 0; k < n; k++)
        count += k == 0 || side->spans[k].paragraph != side->spans[k - 1].paragraph;
    *np = count;
    *pf = calloc(count ? count : 1, sizeof **pf);
    *first = malloc((count + 1) * sizeof **first);
    if (!*pf || !*first)
        return -1;
    size_t p = 0;
    for (size_t k = 0; k < n; k++)
        if (k == 0 || side->spans[k].paragraph != side->spans[k - 1].paragraph)
            (*first)[p++] = k;
    (*first)[count] = n;
    for (p = 0; p < count; p++)
        if (xlate_align_feat_merge(f + (*first)[p], (*first)[p + 1] - (*first)[p], mt, &(*pf)[p]) != 0)
            return -1;
    return 0;
}

static void feats_free(xlate_align_feat *f, size_t n) {
    for (size_t k = 0; f && k < n; k++)
        xlate_align_feat_free(&f[k]);
    free(f);
}

static unsigned char *paragraph_starts(const xlate_align_side *side) {
    unsigned char *ps = malloc(side->n_spans ? side->n_spans : 1);
    if (!ps)
        return NULL;
    for (size_t k = 0; k < side->n_spans; k++)
        ps[k] = k == 0 || side->spans[k].paragraph != side->spans[k - 1].paragraph;
    return ps;
}

/* Paragraphs first: the corners of their path in sentence coordinates, and the sentence band
 * about them. */
static int sentence_band_from_paragraphs(const cost_ctx *sent, const xlate_align_side *src,
                                         const xlate_align_side *tgt, int mt, xlate_align_band *band,
                                         xlate_error *err) {
    xlate_align_feat *ps = NULL, *pt = NULL;
    size_t *fs = NULL, *ft = NULL, nps = 0, npt = 0;
    xlate_align_step *steps = NULL;
    size_t n_steps = 0, *I = NULL, *J = NULL;
    int rc = -1;
    if (paragraph_features(src, sent->s.f, mt, &ps, &fs, &nps) != 0 ||
        paragraph_features(tgt, sent->t.f, mt, &pt, &ft, &npt) != 0) {
        xlate_error_set(err, XLATE_ENOMEM, "align: out of memory");
        goto done;
    }
    cost_ctx para = {{ps, NULL, nps}, {pt, NULL, npt}, sent->ratio, sent->anchors, sent->mt};
    if (dp_diagonal(&para, &steps, &n_steps, err) != 0)
        goto done;
    I = malloc((n_steps + 1) * sizeof *I);
    J = malloc((n_steps + 1) * sizeof *J);
    if (!I || !J) {
        xlate_error_set(err, XLATE_ENOMEM, "align: out of memory");
        goto done;
    }
    I[0] = J[0] = 0;
    for (size_t k = 0; k < n_steps; k++) {
        I[k + 1] = fs[steps[k].i + (size_t)steps[k].di];
        J[k + 1] = ft[steps[k].j + (size_t)steps[k].dj];
    }
    if (xlate_align_band_around(sent->s.n, sent->t.n, I, J, n_steps + 1, SENTENCE_MARGIN, band) != 0) {
        xlate_error_set(err, XLATE_ENOMEM, "align: out of memory");
        goto done;
    }
    rc = 0;
done:
    feats_free(ps, nps);
    feats_free(pt, npt);
    free(fs);
    free(ft);
    free(steps);
    free(I);
    free(J);
    return rc;
}

static int has_paragraphs(const xlate_align_side *s) {
    return s->n_spans > 1 && s->spans[s->n_spans - 1].paragraph != s->spans[0].paragraph;
}

static size_t paragraph_count(const xlate_align_side *s) {
    size_t n = 0;
    for (size_t k = 0; k < s->n_spans; k++)
        n += k == 0 || s->spans[k].paragraph != s->spans[k - 1].paragraph;
    return n;
}

/* Paragraphs lead only when the two sides cut the text alike: a side with a paragraph a sentence
 * against one with long paragraphs would force paragraph beads the five bead types cannot
 * make, and the sentences inside them would follow. */
static int paragraphs_comparable(const xlate_align_side *src, const xlate_align_side *tgt) {
    if (!has_paragraphs(src) || !has_paragraphs(tgt))
        return 0;
    size_t a = paragraph_count(src), b = paragraph_count(tgt);
    return 4 * (a < b ? a : b) >= 3 * (a < b ? b : a);
}

static size_t side_chars(const xlate_align_side *s) {
    size_t n = 0;
    for (size_t k = 0; k < s->n_spans; k++)
        for (size_t i = s->spans[k].start; i < s->spans[k].end; i++)
            n += ((unsigned char)s->text[i] & 0xC0) != 0x80;
    return n;
}

static int steps_to_beads(const cost_ctx *x, const xlate_align_step *steps, size_t n_steps, int threshold,
                          xlate_align_bead **beads, size_t *n_beads, xlate_error *err) {
    xlate_align_bead *b = malloc((n_steps ? n_steps : 1) * sizeof *b);
    if (!b) {
        xlate_error_set(err, XLATE_ENOMEM, "align: out of memory");
        return -1;
    }
    for (size_t k = 0; k < n_steps; k++) {
        const xlate_align_step *s = &steps[k];
        int score = bead_score(x, s->i + (size_t)s->di, s->j + (size_t)s->dj, s->di, s->dj);
        b[k] = (xlate_align_bead){s->i, s->j, (unsigned char)s->di, (unsigned char)s->dj, score,
                                  s->di && s->dj && score < threshold};
    }
    *beads = b;
    *n_beads = n_steps;
    return 0;
}

/* The best path: paragraphs first when both sides have comparable ones, else a diagonal band. */
static int run_dp(cost_ctx *x, const xlate_align_side *src, const xlate_align_side *tgt, int length_only,
                  int mt, xlate_align_step **steps, size_t *n_steps, xlate_error *err) {
    if (length_only || !paragraphs_comparable(src, tgt))
        return dp_diagonal(x, steps, n_steps, err);
    xlate_align_band band;
    if (sentence_band_from_paragraphs(x, src, tgt, mt, &band, err) != 0)
        return -1;
    int edge = 0;
    int rc = xlate_align_dp(&band, bead_cost, x, steps, n_steps, &edge, err);
    xlate_align_band_free(&band);
    return rc;
}

/* Characters of the target per character of the source over the 1-1 beads of a path; 0 when it
 * has too few to tell. */
static double pairs_ratio(const cost_ctx *x, const xlate_align_step *steps, size_t n) {
    size_t ls = 0, lt = 0, pairs = 0;
    for (size_t k = 0; k < n; k++)
        if (steps[k].di == 1 && steps[k].dj == 1) {
            ls += x->s.f[steps[k].i].chars;
            lt += x->t.f[steps[k].j].chars;
            pairs++;
        }
    return pairs >= 2 ? xlate_align_length_ratio(ls, lt) : 0;
}

int xlate_align(xlate_aligner *a, const xlate_align_side *src, const xlate_align_side *tgt,
                xlate_align_bead **beads, size_t *n_beads, xlate_error *err) {
    *beads = NULL;
    *n_beads = 0;
    int mt = !a->opts.length_only && src->mt != NULL;
    xlate_align_feat *fs = NULL, *ft = NULL;
    unsigned char *pss = NULL, *pst = NULL;
    xlate_align_step *steps = NULL;
    size_t n_steps = 0;
    int rc = -1;
    if (side_features(a, src, 0, mt, &fs, err) != 0 || side_features(a, tgt, 1, mt, &ft, err) != 0)
        goto done;
    if (!(pss = paragraph_starts(src)) || !(pst = paragraph_starts(tgt))) {
        xlate_error_set(err, XLATE_ENOMEM, "align: out of memory");
        goto done;
    }
    cost_ctx x = {{fs, pss, src->n_spans}, {ft, pst, tgt->n_spans},
                  xlate_align_length_ratio(side_chars(src), side_chars(tgt)), !a->opts.length_only, mt};
    if (a->opts.length_only) {
        /* the baseline has no paragraph bonus: Gale–Church's lengths and priors alone */
        x.s.para_start = x.t.para_start = NULL;
    }
    if (run_dp(&x, src, tgt, a->opts.length_only, mt, &steps, &n_steps, err) != 0)
        goto done;
    /* The ratio of the whole texts counts what only one side has (a page's boilerplate); the
     * pairs found give the pair's own. When it differs, the pairs are found again with it. */
    if (!a->opts.length_only) {
        double r = pairs_ratio(&x, steps, n_steps);
        if (r > 0 && fabs(r / x.ratio - 1.0) > 0.03) {
            x.ratio = r;
            free(steps);
            steps = NULL;
            if (run_dp(&x, src, tgt, a->opts.length_only, mt, &steps, &n_steps, err) != 0)
                goto done;
        }
    }
    rc = steps_to_beads(&x, steps, n_steps, a->opts.threshold, beads, n_beads, err);
done:
    feats_free(fs, src->n_spans);
    feats_free(ft, tgt->n_spans);
    free(pss);
    free(pst);
    free(steps);
    return rc;
}
