/*
 * progress: the reports of a batch or a long run to whoever watches it, beside the data path. A
 * live line redrawn in place on a terminal, JSON events for programs, the batch's summary
 * otherwise. Only one thread calls it: the batch's main thread, or run's.
 */
#include "progress.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "json.h"

/* Redraws closer together than this only make the terminal flicker. */
#define REDRAW_SECONDS 0.1

struct xlate_progress {
    xlate_progress_mode mode;
    FILE *out;
    int is_tty;
    int line_shown;       /* a live line is on the screen and must be cleared */
    int run;              /* run's line, not the batch's */
    double delay;         /* no line before this many seconds */
    double start, last_draw;
    xlate_progress_counts c;
};

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int xlate_progress_mode_parse(const char *word, xlate_progress_mode *out) {
    if (strcmp(word, "auto") == 0)
        *out = XLATE_PROGRESS_AUTO;
    else if (strcmp(word, "quiet") == 0 || strcmp(word, "none") == 0)
        *out = XLATE_PROGRESS_QUIET;
    else if (strcmp(word, "json") == 0)
        *out = XLATE_PROGRESS_JSON;
    else
        return -1;
    return 0;
}

static double mb_per_s(const xlate_progress_counts *c, double elapsed) {
    return elapsed > 0 ? (double)c->bytes / 1e6 / elapsed : 0.0;
}

static void format_duration(long long secs, char *out, size_t cap) {
    if (secs >= 3600)
        snprintf(out, cap, "%lld:%02lld:%02lld", secs / 3600, secs / 60 % 60, secs % 60);
    else
        snprintf(out, cap, "%lld:%02lld", secs / 60, secs % 60);
}

static void format_eta(const xlate_progress_counts *c, double elapsed, char *out, size_t cap) {
    long long left, secs;
    /* Resumed documents cost nothing, so they say nothing about the pace of the rest. */
    long long worked = c->done - c->resumed;
    if (c->total < 0 || worked <= 0) {
        snprintf(out, cap, "?");
        return;
    }
    left = c->total - c->done;
    if (left < 0)
        left = 0;
    secs = (long long)(elapsed * (double)left / (double)worked + 0.5);
    format_duration(secs, out, cap);
}

int xlate_progress_format_line(const xlate_progress_counts *c, double elapsed, char *out,
                               size_t cap) {
    char total[32], eta[32];
    if (c->total >= 0)
        snprintf(total, sizeof total, "%lld", c->total);
    else
        snprintf(total, sizeof total, "%lld+", c->seen); /* counted as the archive is read */
    format_eta(c, elapsed, eta, sizeof eta);
    return snprintf(out, cap, "xlate batch: %lld/%s docs, %lld segments, %.1f MB/s, %lld error%s, "
                    "ETA %s",
                    c->done, total, c->segments, mb_per_s(c, elapsed), c->errors,
                    c->errors == 1 ? "" : "s", eta);
}

int xlate_progress_format_run_line(const xlate_progress_counts *c, double elapsed, char *out,
                                   size_t cap) {
    char share[16] = "", files[64] = "", eta[48] = "";
    if (c->total_bytes > 0) {
        uint64_t done = c->bytes < c->total_bytes ? c->bytes : c->total_bytes;
        snprintf(share, sizeof share, "%d%%, ", (int)(100.0 * (double)done / (double)c->total_bytes));
        if (done > 0) {
            char left[32];
            format_duration((long long)(elapsed * (double)(c->total_bytes - done) / (double)done +
                                        0.5), left, sizeof left);
            snprintf(eta, sizeof eta, ", ETA %s", left);
        }
    }
    if (c->total > 1)
        snprintf(files, sizeof files, "%lld/%lld files, ", c->done, c->total);
    return snprintf(out, cap, "xlate run: %s%s%lld segments, %.1f MB/s, %lld failed%s", share,
                    files, c->segments, mb_per_s(c, elapsed), c->errors, eta);
}

int xlate_progress_new(xlate_progress_mode mode, FILE *out, int is_tty, xlate_progress **p) {
    xlate_progress *pr = calloc(1, sizeof *pr);
    *p = NULL;
    if (!pr)
        return -1;
    pr->mode = mode;
    pr->out = out;
    pr->is_tty = is_tty;
    pr->start = now_seconds();
    pr->last_draw = -1;
    pr->c.total = -1;
    *p = pr;
    return 0;
}

int xlate_progress_new_run(FILE *out, int is_tty, double delay, xlate_progress **p) {
    if (xlate_progress_new(XLATE_PROGRESS_AUTO, out, is_tty, p) != 0)
        return -1;
    (*p)->run = 1;
    (*p)->delay = delay;
    return 0;
}

xlate_progress_counts *xlate_progress_counts_of(xlate_progress *p) {
    return &p->c;
}

static void draw_line(xlate_progress *p, double now) {
    char line[256];
    if (p->run)
        xlate_progress_format_run_line(&p->c, now - p->start, line, sizeof line);
    else
        xlate_progress_format_line(&p->c, now - p->start, line, sizeof line);
    fprintf(p->out, "\r%s\033[K", line);
    fflush(p->out);
    p->line_shown = 1;
    p->last_draw = now;
}

void xlate_progress_update(xlate_progress *p) {
    double now;
    if (p->mode != XLATE_PROGRESS_AUTO || !p->is_tty)
        return;
    now = now_seconds();
    if (now - p->start < p->delay)
        return;
    if (!p->line_shown || now - p->last_draw >= REDRAW_SECONDS)
        draw_line(p, now);
}

void xlate_progress_clear(xlate_progress *p) {
    if (!p->line_shown)
        return;
    fputs("\r\033[K", p->out);
    fflush(p->out);
    p->line_shown = 0;
}

void xlate_progress_entry(xlate_progress *p, const char *path, const char *status,
                          size_t segments, const char *message) {
    xlate_buf b = XLATE_BUF_INIT;
    double elapsed;
    if (p->mode != XLATE_PROGRESS_JSON) {
        xlate_progress_update(p);
        return;
    }
    elapsed = now_seconds() - p->start;
    xlate_buf_puts(&b, "{\"event\":\"document\",\"path\":");
    xlate_json_cstring(&b, path);
    xlate_buf_puts(&b, ",\"status\":");
    xlate_json_cstring(&b, status);
    xlate_buf_printf(&b, ",\"segments\":%zu,\"message\":", segments);
    xlate_json_cstring(&b, message);
    xlate_buf_printf(&b, ",\"done\":%lld,\"total\":", p->c.done);
    if (p->c.total >= 0)
        xlate_buf_printf(&b, "%lld", p->c.total);
    else
        xlate_buf_puts(&b, "null");
    xlate_buf_printf(&b, ",\"seen\":%lld,\"errors\":%lld,\"bytes\":%llu,\"elapsed\":%.3f}\n",
                     p->c.seen, p->c.errors, (unsigned long long)p->c.bytes, elapsed);
    if (b.data)
        fputs(b.data, p->out);
    fflush(p->out);
    xlate_buf_free(&b);
}

void xlate_progress_finish(xlate_progress *p, const char *report, int interrupted) {
    double elapsed = now_seconds() - p->start;
    const xlate_progress_counts *c = &p->c;
    if (p->mode == XLATE_PROGRESS_QUIET)
        return;
    if (p->mode == XLATE_PROGRESS_JSON) {
        xlate_buf b = XLATE_BUF_INIT;
        xlate_buf_printf(&b,
                         "{\"event\":\"end\",\"done\":%lld,\"segments\":%lld,\"errors\":%lld,"
                         "\"skipped\":%lld,\"rejected\":%lld,\"resumed\":%lld,\"bytes\":%llu,"
                         "\"elapsed\":%.3f,\"interrupted\":%s,\"report\":",
                         c->done, c->segments, c->errors, c->skipped, c->rejected, c->resumed,
                         (unsigned long long)c->bytes, elapsed, interrupted ? "true" : "false");
        xlate_json_cstring(&b, report);
        xlate_buf_puts(&b, "}\n");
        if (b.data)
            fputs(b.data, p->out);
        xlate_buf_free(&b);
    } else {
        if (p->line_shown)
            fputs("\r\033[K", p->out);
        fprintf(p->out,
                "xlate batch: %s%lld documents, %lld segments, %lld failed, %lld skipped, "
                "%lld rejected%s%lld resumed, %.1f MB in %.1f s (%.1f MB/s); report: %s\n",
                interrupted ? "interrupted after " : "", c->done, c->segments, c->errors,
                c->skipped, c->rejected,
                c->errors || c->skipped || c->rejected ? " (see the report), " : ", ",
                c->resumed, (double)c->bytes / 1e6, elapsed, mb_per_s(c, elapsed),
                report ? report : "(none)");
        if (interrupted)
            fputs("xlate batch: run the same command with --resume to finish\n", p->out);
    }
    fflush(p->out);
}

void xlate_progress_free(xlate_progress *p) {
    free(p);
}
