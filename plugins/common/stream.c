/*
 * stream: a batch of segments through a persistent engine pipeline, many units in flight, with
 * restart and isolation when the engine fails (see stream.h). Sits between a translator plugin's
 * framing (what a unit looks like for its engine) and child.c (bytes and processes).
 */
#include "stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"

struct xlate_stream {
    char ***cmds;
    size_t n_cmds;
    char delim;
    int timeout_ms;
    size_t max_in_flight;
    size_t max_bytes_in_flight;
    xlate_child *child;
    unsigned starts;
    xp_buf unit;
};

/* The units written and not yet answered, oldest first. */
typedef struct in_flight {
    size_t *index;
    size_t *bytes;
    size_t cap, head, count, total_bytes;
} in_flight;

static void free_cmds(char ***cmds, size_t n) {
    for (size_t i = 0; cmds && i < n; i++) {
        for (size_t j = 0; cmds[i] && cmds[i][j]; j++)
            free(cmds[i][j]);
        free(cmds[i]);
    }
    free(cmds);
}

static char ***copy_cmds(char *const *const *cmds, size_t n) {
    char ***copy = calloc(n, sizeof *copy);
    for (size_t i = 0; copy && i < n; i++) {
        size_t argc = 0;
        while (cmds[i][argc])
            argc++;
        copy[i] = calloc(argc + 1, sizeof *copy[i]);
        if (!copy[i]) {
            free_cmds(copy, n);
            return NULL;
        }
        for (size_t j = 0; j < argc; j++) {
            if (!(copy[i][j] = strdup(cmds[i][j]))) {
                free_cmds(copy, n);
                return NULL;
            }
        }
    }
    return copy;
}

static int start_engine(xlate_stream *s, char *err, size_t errlen) {
    if (xlate_child_start(&s->child, (char *const *const *)s->cmds, s->n_cmds, err, errlen) != 0) {
        s->child = NULL;
        return -1;
    }
    s->starts++;
    return 0;
}

int xlate_stream_open(xlate_stream **out, const xlate_stream_config *config, char *err,
                      size_t errlen) {
    xlate_stream *s = calloc(1, sizeof *s);
    if (!s || !(s->cmds = copy_cmds(config->cmds, config->n_cmds))) {
        free(s);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    s->n_cmds = config->n_cmds;
    s->delim = config->delim;
    s->timeout_ms = config->timeout_ms > 0 ? config->timeout_ms : 30000;
    s->max_in_flight = config->max_in_flight ? config->max_in_flight : 1;
    s->max_bytes_in_flight = config->max_bytes_in_flight ? config->max_bytes_in_flight : 65536;
    if (start_engine(s, err, errlen) != 0) {
        xlate_stream_close(s);
        return -1;
    }
    *out = s;
    return 0;
}

int xlate_stream_pgid(const xlate_stream *s) {
    return s->child ? xlate_child_pgid(s->child) : -1;
}

unsigned xlate_stream_starts(const xlate_stream *s) {
    return s->starts;
}

void xlate_stream_close(xlate_stream *s) {
    if (!s)
        return;
    if (s->child)
        xlate_child_stop(s->child, 0, NULL);
    free_cmds(s->cmds, s->n_cmds);
    xp_buf_free(&s->unit);
    free(s);
}

/* Why the engine failed, in words a user can act on, followed by how its processes ended. */
static int explain_failure(xlate_stream *s, xlate_child_wait what, int out_of_step,
                           xp_buf *why) {
    xp_buf endings = XP_BUF_INIT;
    /* An answer out of step is stopped gently: it is often the flush of a pipeline whose stage
     * just died, and how that stage ended is the real story. */
    int crashed = xlate_child_stop(s->child, what == XLATE_CHILD_TIMEOUT || what == XLATE_CHILD_IOERR,
                                   &endings);
    s->child = NULL;
    if (what == XLATE_CHILD_TIMEOUT)
        xp_buf_printf(why, "no answer from the engine within %d s; it was killed (raise the "
                         "plugin's timeout option if the engine is only slow)", s->timeout_ms / 1000);
    else if (what == XLATE_CHILD_IOERR)
        xp_buf_puts(why, "reading from the engine failed");
    else if (endings.len > 0)
        xp_buf_puts(why, "the engine died on this segment");
    else if (out_of_step)
        xp_buf_puts(why, "the engine answered out of step (its answer was not for this segment)");
    else
        xp_buf_puts(why, "the engine stopped without answering this segment");
    if (endings.len > 0) {
        xp_buf_puts(why, ": ");
        xp_buf_append(why, endings.data, endings.len);
    }
    xp_buf_free(&endings);
    return crashed;
}

static void fail_all_left(const xlate_stream_job *job, const in_flight *f, size_t next,
                          const char *message) {
    for (size_t i = 0; i < f->count; i++)
        job->fail(job->data, f->index[(f->head + i) % f->cap], message);
    for (size_t k = next; k < job->n; k++)
        if (job->wanted(job->data, k))
            job->fail(job->data, k, message);
}

/* Writes units ahead while the window allows; while isolating, one unit at a time. */
static void fill_window(xlate_stream *s, const xlate_stream_job *job, in_flight *f, size_t *next,
                        size_t isolate_until) {
    while (*next < job->n) {
        size_t k = *next;
        int isolating = k < isolate_until ||
                        (f->count > 0 && f->index[f->head] < isolate_until);
        if (f->count >= (isolating ? 1 : s->max_in_flight))
            return;
        if (f->count > 0 && f->total_bytes >= s->max_bytes_in_flight)
            return;
        (*next)++;
        if (!job->wanted(job->data, k))
            continue;
        xp_buf_reset(&s->unit);
        if (job->encode(job->data, k, &s->unit) != 0) {
            job->fail(job->data, k, s->unit.data ? s->unit.data : "cannot encode the segment");
            continue;
        }
        if (xlate_child_send(s->child, s->unit.data, s->unit.len) != 0) {
            job->fail(job->data, k, "out of memory");
            continue;
        }
        size_t slot = (f->head + f->count) % f->cap;
        f->index[slot] = k;
        f->bytes[slot] = s->unit.len;
        f->count++;
        f->total_bytes += s->unit.len;
    }
}

static void pop_flight(in_flight *f) {
    f->total_bytes -= f->bytes[f->head];
    f->head = (f->head + 1) % f->cap;
    f->count--;
}

int xlate_stream_run(xlate_stream *s, const xlate_stream_job *job, char *err, size_t errlen) {
    /* A unit is in flight at most once at a time, so n slots are enough. */
    in_flight f = {calloc(job->n + 1, sizeof(size_t)), calloc(job->n + 1, sizeof(size_t)), job->n + 1,
                   0, 0, 0};
    if (!f.index || !f.bytes) {
        free(f.index);
        free(f.bytes);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t next = 0, isolate_until = 0;
    size_t retried = 0; /* 1 + the unit last sent again alone after a crash, 0 for none */
    int rc = 0;
    xp_buf why = XP_BUF_INIT;
    for (;;) {
        if (!s->child && start_engine(s, err, errlen) != 0) {
            fail_all_left(job, &f, next, err);
            rc = -1;
            break;
        }
        fill_window(s, job, &f, &next, isolate_until);
        if (f.count == 0)
            break;
        size_t k = f.index[f.head];
        const char *answer;
        size_t len;
        xlate_child_wait what = xlate_child_next_unit(s->child, s->delim, s->timeout_ms, &answer, &len);
        int out_of_step = 0;
        if (what == XLATE_CHILD_UNIT) {
            if (job->accept(job->data, k, answer, len) == 0) {
                pop_flight(&f);
                continue;
            }
            out_of_step = 1;
        }
        xp_buf_reset(&why);
        int crashed = explain_failure(s, what, out_of_step, &why);
        if (what == XLATE_CHILD_TIMEOUT || crashed || (f.count == 1 && retried == k + 1)) {
            /* Engines answer in order, and every unit before this one was answered (a stage that
             * dies still passes on what it had finished, and the stages after it flush), so a
             * hang or a crash is this unit's; so is an ending the engine gives no reason for,
             * once the unit was alone in it twice. */
            job->fail(job->data, k, why.data ? why.data : "the engine failed");
            next = k + 1;
            f.count = 0;
            f.total_bytes = 0;
        } else if (f.count == 1) {
            /* An ending without a crash (killed from outside, or quit): one more try before
             * the unit is blamed. */
            retried = k + 1;
            isolate_until = k + 1;
            next = k;
            f.count = 0;
            f.total_bytes = 0;
        } else {
            /* One of several, and no crash to blame: the oldest unanswered unit goes again
             * alone, then the window opens again. Each failure thus either fails one unit or
             * gets one through: the run always ends. */
            isolate_until = k + 1;
            next = k;
            f.head = (f.head + f.count) % f.cap;
            f.count = 0;
            f.total_bytes = 0;
        }
    }
    xp_buf_free(&why);
    free(f.index);
    free(f.bytes);
    return rc;
}
