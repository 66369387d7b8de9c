/*
 * test_batch_pool: the workers and their bounded queue (core/batch/batch_pool.h) — every job done once,
 * results taken back in the order they were added whatever order they finished in, the queue's
 * bounds in jobs and bytes, queued jobs dropped on a stop, a worker's failed start.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "batch_pool.h"
#include "check.h"

typedef struct job {
    size_t index;
    int done;          /* how many times a worker processed it */
} job;

typedef struct ctx {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int gate_open;     /* job 0 waits for it when `gated` */
    int gated;
    int job0_started;
    unsigned fail_from; /* workers from this index fail to start (0: none fail) */
    int idle_calls;
} ctx;

static int start(void *c, unsigned index, xlate_error *err) {
    ctx *x = c;
    if (x->fail_from && index >= x->fail_from) {
        xlate_error_set(err, XLATE_ERROR, "worker %u could not start", index);
        return -1;
    }
    return 0;
}

static void process(void *c, unsigned index, void *p) {
    ctx *x = c;
    job *j = p;
    (void)index;
    if (x->gated && j->index == 0) {
        pthread_mutex_lock(&x->mu);
        x->job0_started = 1;
        pthread_cond_broadcast(&x->cv);
        while (!x->gate_open)
            pthread_cond_wait(&x->cv, &x->mu);
        pthread_mutex_unlock(&x->mu);
    }
    /* uneven work, so that jobs finish out of order */
    volatile unsigned long spin = 0;
    for (unsigned long k = 0; k < (j->index % 7) * 20000ul; k++)
        spin += k;
    j->done++;
}

static void idle(void *c, unsigned index) {
    ctx *x = c;
    (void)index;
    pthread_mutex_lock(&x->mu);
    x->idle_calls++;
    pthread_mutex_unlock(&x->mu);
}

static void ctx_init(ctx *x) {
    memset(x, 0, sizeof *x);
    pthread_mutex_init(&x->mu, NULL);
    pthread_cond_init(&x->cv, NULL);
}

static void wait_job0(ctx *x) {
    pthread_mutex_lock(&x->mu);
    while (!x->job0_started)
        pthread_cond_wait(&x->cv, &x->mu);
    pthread_mutex_unlock(&x->mu);
}

static void open_gate(ctx *x) {
    pthread_mutex_lock(&x->mu);
    x->gate_open = 1;
    pthread_cond_broadcast(&x->cv);
    pthread_mutex_unlock(&x->mu);
}

static void test_order_and_once(void) {
    enum { N = 600 };
    ctx x;
    xlate_pool *p;
    xlate_error err = {XLATE_OK, NULL};
    job *jobs = calloc(N, sizeof *jobs);
    size_t taken = 0, in_order = 1;
    ctx_init(&x);
    xlate_pool_work w = {&x, start, process, idle};
    CHECK_INT(xlate_pool_start(&w, 3, 4, 1 << 20, &p, &err), 0);
    for (size_t i = 0; i < N; i++) {
        jobs[i].index = i;
        /* every fifth job needs no work: it only keeps its place */
        CHECK_INT(xlate_pool_add(p, &jobs[i], 100, i % 5 == 4 ? XLATE_POOL_DONE : 0), 0);
        job *j;
        while ((j = xlate_pool_next_done(p)) != NULL)
            in_order = in_order && j->index == taken++;
    }
    xlate_pool_stop(p, 0);
    job *j;
    while ((j = xlate_pool_next_done(p)) != NULL)
        in_order = in_order && j->index == taken++;
    CHECK(in_order);
    CHECK_INT((int)taken, N);
    int once = 1;
    for (size_t i = 0; i < N; i++)
        once = once && jobs[i].done == (i % 5 == 4 ? 0 : 1);
    CHECK(once);
    CHECK(x.idle_calls >= 3); /* each worker writes out what it holds as it ends */
    xlate_pool_free(p, NULL);
    free(jobs);
}

static void test_bounds(void) {
    ctx x;
    xlate_pool *p;
    xlate_error err = {XLATE_OK, NULL};
    job jobs[8] = {{0, 0}};
    size_t n_jobs, n_bytes;
    ctx_init(&x);
    x.gated = 1;
    xlate_pool_work w = {&x, start, process, NULL};
    /* one worker: 4 jobs, 100 bytes */
    CHECK_INT(xlate_pool_start(&w, 1, 4, 100, &p, &err), 0);
    for (size_t i = 0; i < 8; i++)
        jobs[i].index = i;
    CHECK_INT(xlate_pool_add(p, &jobs[0], 10, 0), 0);
    wait_job0(&x); /* the worker holds job 0: the queue is empty */
    /* an empty queue takes a job larger than the byte budget */
    CHECK_INT(xlate_pool_add(p, &jobs[1], 500, XLATE_POOL_NOWAIT), 0);
    CHECK_INT(xlate_pool_add(p, &jobs[2], 1, XLATE_POOL_NOWAIT), 1);
    xlate_pool_queued(p, &n_jobs, &n_bytes);
    CHECK_INT((int)n_jobs, 1);
    CHECK_INT((int)n_bytes, 500);
    /* a job that needs no work is never refused */
    CHECK_INT(xlate_pool_add(p, &jobs[2], 1, XLATE_POOL_DONE | XLATE_POOL_NOWAIT), 0);
    open_gate(&x);
    xlate_pool_stop(p, 0);
    CHECK_INT(jobs[0].done + jobs[1].done + jobs[2].done, 2);
    xlate_pool_free(p, NULL);

    /* the bound in jobs */
    ctx_init(&x);
    x.gated = 1;
    memset(jobs, 0, sizeof jobs);
    CHECK_INT(xlate_pool_start(&w, 1, 4, 1000, &p, &err), 0);
    CHECK_INT(xlate_pool_add(p, &jobs[0], 1, 0), 0);
    wait_job0(&x);
    for (size_t i = 1; i <= 4; i++) {
        jobs[i].index = i;
        CHECK_INT(xlate_pool_add(p, &jobs[i], 1, XLATE_POOL_NOWAIT), 0);
    }
    CHECK_INT(xlate_pool_add(p, &jobs[5], 1, XLATE_POOL_NOWAIT), 1);
    xlate_pool_queued(p, &n_jobs, &n_bytes);
    CHECK_INT((int)n_jobs, 4);
    open_gate(&x);
    xlate_pool_stop(p, 0);
    int all = 1;
    for (size_t i = 0; i <= 4; i++)
        all = all && jobs[i].done == 1 && xlate_pool_next_done(p) == &jobs[i];
    CHECK(all);
    CHECK(jobs[5].done == 0 && xlate_pool_next_done(p) == NULL);
    xlate_pool_free(p, NULL);
}

typedef struct stopper {
    xlate_pool *p;
} stopper;

static void *stop_dropping(void *arg) {
    xlate_pool_stop(((stopper *)arg)->p, 1);
    return NULL;
}

static int n_freed;
static void count_free(void *j) {
    (void)j;
    n_freed++;
}

/* A stop that drops the queue: the job in hand is finished, the queued ones are never done. */
static void test_drop(void) {
    ctx x;
    stopper st;
    pthread_t t;
    xlate_error err = {XLATE_OK, NULL};
    job jobs[5] = {{0, 0}};
    size_t n_jobs = 1, n_bytes;
    ctx_init(&x);
    x.gated = 1;
    xlate_pool_work w = {&x, start, process, NULL};
    CHECK_INT(xlate_pool_start(&w, 1, 8, 1000, &st.p, &err), 0);
    for (size_t i = 0; i < 5; i++) {
        jobs[i].index = i;
        CHECK_INT(xlate_pool_add(st.p, &jobs[i], 1, 0), 0);
    }
    wait_job0(&x);
    pthread_create(&t, NULL, stop_dropping, &st);
    while (n_jobs) { /* the stop has emptied the queue: evidence, not a clock */
        sched_yield();
        xlate_pool_queued(st.p, &n_jobs, &n_bytes);
    }
    open_gate(&x);
    pthread_join(t, NULL);
    CHECK(xlate_pool_next_done(st.p) == &jobs[0]);
    CHECK(xlate_pool_next_done(st.p) == NULL);
    int none = 1;
    for (size_t i = 1; i < 5; i++)
        none = none && jobs[i].done == 0;
    CHECK(none);
    n_freed = 0;
    xlate_pool_free(st.p, count_free);
    CHECK_INT(n_freed, 4);
}

/* The error of the lowest-numbered worker that failed, whichever failed first. */
static void test_failed_start(void) {
    ctx x;
    xlate_pool *p = (xlate_pool *)&x;
    xlate_error err = {XLATE_OK, NULL};
    ctx_init(&x);
    x.fail_from = 1;
    xlate_pool_work w = {&x, start, process, NULL};
    CHECK_INT(xlate_pool_start(&w, 4, 2, 100, &p, &err), -1);
    CHECK(p == NULL);
    CHECK_STR(err.message, "worker 1 could not start");
    xlate_error_clear(&err);
}

int main(void) {
    test_order_and_once();
    test_bounds();
    test_drop();
    test_failed_start();
    return check_result("test_batch_pool");
}
