/*
 * align_dp: the banded dynamic programme over beads. See align_dp.h. Each cell keeps its cost and
 * the bead that reached it (one byte), so a band of N cells costs 9N bytes.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "align_dp.h"

static const struct bead {
    int di, dj;
} beads[] = {{1, 1}, {1, 0}, {0, 1}, {2, 1}, {1, 2}};
enum { N_BEADS = sizeof beads / sizeof beads[0], NONE = 255 };

static int band_alloc(size_t n, size_t m, xlate_align_band *b) {
    b->n = n;
    b->m = m;
    b->lo = malloc((n + 1) * sizeof *b->lo);
    b->hi = malloc((n + 1) * sizeof *b->hi);
    if (!b->lo || !b->hi) {
        xlate_align_band_free(b);
        return -1;
    }
    return 0;
}

void xlate_align_band_free(xlate_align_band *b) {
    free(b->lo);
    free(b->hi);
    b->lo = b->hi = NULL;
}

/* Every row's first cell must be reachable from the row before it (a 1-0 bead), so each row
 * starts no later than the one before it ends. */
static void band_connect(xlate_align_band *b) {
    for (size_t i = 1; i <= b->n; i++)
        if (b->lo[i] > b->hi[i - 1])
            b->lo[i] = b->hi[i - 1];
}

int xlate_align_band_diagonal(size_t n, size_t m, size_t w, xlate_align_band *b) {
    if (band_alloc(n, m, b) != 0)
        return -1;
    for (size_t i = 0; i <= n; i++) {
        /* the line's column at row i, rounded both ways so that its cells are inside */
        size_t down = n ? (size_t)((double)i * (double)m / (double)n) : m;
        size_t up = n ? (size_t)ceil((double)i * (double)m / (double)n) : m;
        b->lo[i] = i == 0 ? 0 : down > w ? down - w : 0;
        b->hi[i] = i == n ? m : up + w < m ? up + w : m;
        if (i == 0 && !n)
            b->hi[i] = m;
    }
    b->hi[0] = b->hi[0] < w ? w : b->hi[0];
    if (b->hi[0] > m)
        b->hi[0] = m;
    band_connect(b);
    return 0;
}

int xlate_align_band_around(size_t n, size_t m, const size_t *I, const size_t *J, size_t nk,
                            size_t margin, xlate_align_band *b) {
    if (band_alloc(n, m, b) != 0)
        return -1;
    for (size_t i = 0; i <= n; i++) {
        b->lo[i] = SIZE_MAX;
        b->hi[i] = 0;
    }
    for (size_t k = 0; k + 1 < nk; k++)
        for (size_t i = I[k]; i <= I[k + 1] && i <= n; i++) {
            if (J[k] < b->lo[i])
                b->lo[i] = J[k];
            if (J[k + 1] > b->hi[i])
                b->hi[i] = J[k + 1];
        }
    /* rows the path missed (none when it runs from corner to corner) take their neighbour's */
    for (size_t i = 1; i <= n; i++)
        if (b->lo[i] == SIZE_MAX) {
            b->lo[i] = b->lo[i - 1];
            b->hi[i] = b->hi[i - 1];
        }
    /* widen by `margin` units of each side: row i may reach the columns of rows i ± margin */
    size_t *lo = malloc((n + 1) * sizeof *lo), *hi = malloc((n + 1) * sizeof *hi);
    if (!lo || !hi) {
        free(lo);
        free(hi);
        xlate_align_band_free(b);
        return -1;
    }
    for (size_t i = 0; i <= n; i++) {
        size_t from = i > margin ? i - margin : 0, to = i + margin < n ? i + margin : n;
        lo[i] = b->lo[from] > margin ? b->lo[from] - margin : 0;
        hi[i] = b->hi[to] + margin < m ? b->hi[to] + margin : m;
    }
    /* the corners stay inside, and the edges stay non-decreasing */
    lo[0] = 0;
    hi[n] = m;
    for (size_t i = 1; i <= n; i++) {
        if (lo[i] < lo[i - 1])
            lo[i] = lo[i - 1];
        if (hi[i] < hi[i - 1])
            hi[i] = hi[i - 1];
    }
    free(b->lo);
    free(b->hi);
    b->lo = lo;
    b->hi = hi;
    band_connect(b);
    return 0;
}

int xlate_align_dp(const xlate_align_band *b, xlate_align_cost_fn cost, void *data,
                   xlate_align_step **steps, size_t *n_steps, int *at_edge, xlate_error *err) {
    size_t n = b->n, m = b->m, cells = 0;
    *steps = NULL;
    *n_steps = 0;
    *at_edge = 0;
    size_t *row = malloc((n + 2) * sizeof *row);
    if (!row)
        goto oom;
    for (size_t i = 0; i <= n; i++) {
        row[i] = cells;
        cells += b->hi[i] - b->lo[i] + 1;
    }
    row[n + 1] = cells;
    double *c = malloc(cells * sizeof *c);
    unsigned char *back = malloc(cells);
    if (!c || !back) {
        free(c);
        free(back);
        free(row);
        goto oom;
    }
#define CELL(i, j) (row[i] + ((j) - b->lo[i]))
#define IN(i, j) ((j) >= b->lo[i] && (j) <= b->hi[i])
    for (size_t i = 0; i <= n; i++)
        for (size_t j = b->lo[i]; j <= b->hi[i]; j++) {
            size_t k = CELL(i, j);
            c[k] = INFINITY;
            back[k] = NONE;
            if (i == 0 && j == 0) {
                c[k] = 0;
                continue;
            }
            for (int t = 0; t < N_BEADS; t++) {
                size_t di = (size_t)beads[t].di, dj = (size_t)beads[t].dj;
                if (di > i || dj > j || !IN(i - di, j - dj))
                    continue;
                double prev = c[CELL(i - di, j - dj)];
                if (isinf(prev))
                    continue;
                double v = prev + cost(data, i, j, beads[t].di, beads[t].dj);
                if (v < c[k]) {
                    c[k] = v;
                    back[k] = (unsigned char)t;
                }
            }
        }
    /* walk back from (n, m) */
    size_t count = 0, i = n, j = m;
    while ((i || j) && back[CELL(i, j)] != NONE) {
        const struct bead *bd = &beads[back[CELL(i, j)]];
        i -= (size_t)bd->di;
        j -= (size_t)bd->dj;
        count++;
    }
    xlate_align_step *s = count ? malloc(count * sizeof *s) : NULL;
    if (count && !s) {
        free(c);
        free(back);
        free(row);
        goto oom;
    }
    i = n;
    j = m;
    for (size_t k = count; k-- > 0;) {
        const struct bead *bd = &beads[back[CELL(i, j)]];
        if ((j == b->lo[i] && j > 0 && i > 0) || (j == b->hi[i] && j < m && i < n))
            *at_edge = 1;
        i -= (size_t)bd->di;
        j -= (size_t)bd->dj;
        s[k] = (xlate_align_step){i, j, bd->di, bd->dj};
    }
#undef CELL
#undef IN
    free(c);
    free(back);
    free(row);
    *steps = s;
    *n_steps = count;
    return 0;
oom:
    xlate_error_set(err, XLATE_ENOMEM, "align: out of memory");
    return -1;
}
