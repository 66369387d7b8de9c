/*
 * batch_pool: the worker threads and their bounded queue (see batch_pool.h). One lock guards the
 * queue and the order; the workers sleep on `job_ready`, the adding thread on `room`.
 */
#include "batch_pool.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

typedef enum item_state { ITEM_QUEUED, ITEM_DONE, ITEM_DROPPED } item_state;

/* A job in input order, from its adding to its taking back. */
typedef struct item {
    void *job;
    size_t bytes;
    item_state state;
} item;

typedef struct worker {
    xlate_pool *pool;
    unsigned index;
    pthread_t thread;
    int started;
    int ready; /* 1 once started, -1 when its start failed (err says why) */
    xlate_error err;
} worker;

struct xlate_pool {
    xlate_pool_work work;
    pthread_mutex_t mu;
    pthread_cond_t job_ready, room, started;
    /* the order: items [head, n) not yet taken back; item k has sequence number first_seq + k */
    item *order;
    size_t head, n, cap;
    size_t first_seq;
    /* the queue: sequence numbers of the items waiting for a worker */
    size_t *queue;
    size_t q_head, q_len, q_cap, q_bytes, q_byte_budget;
    int closing, stopped, adder_waiting;
    unsigned n_ready;
    worker *workers;
    unsigned n_workers;
};

static item *item_of(xlate_pool *p, size_t seq) {
    return &p->order[seq - p->first_seq];
}

static int queue_full(const xlate_pool *p, size_t bytes) {
    return p->q_len == p->q_cap || (p->q_len > 0 && p->q_bytes + bytes > p->q_byte_budget);
}

/* Half of the queue is free again. */
static int queue_drained(const xlate_pool *p) {
    return p->q_len <= p->q_cap / 2 && p->q_bytes <= p->q_byte_budget / 2;
}

/* Takes the next queued job, waiting for one; returns 0 with *seq and *job, or -1 when closing
 * and the queue is empty. Called and returns with the lock held. */
static int take_job(xlate_pool *p, worker *w, size_t *seq, void **job) {
    while (p->q_len == 0 && !p->closing) {
        if (p->work.idle) {
            /* about to wait: what the worker holds goes out first, outside the lock */
            pthread_mutex_unlock(&p->mu);
            p->work.idle(p->work.ctx, w->index);
            pthread_mutex_lock(&p->mu);
            if (p->q_len || p->closing)
                break;
        }
        pthread_cond_wait(&p->job_ready, &p->mu);
    }
    if (p->q_len == 0)
        return -1;
    *seq = p->queue[p->q_head];
    p->q_head = (p->q_head + 1) % p->q_cap;
    p->q_len--;
    item *it = item_of(p, *seq);
    p->q_bytes -= it->bytes;
    *job = it->job;
    if (p->adder_waiting && queue_drained(p))
        pthread_cond_signal(&p->room);
    return 0;
}

static void *worker_main(void *arg) {
    worker *w = arg;
    xlate_pool *p = w->pool;
    /* Named, so that top -H, perf and gdb tell the workers from the reading main thread. */
    pthread_setname_np(pthread_self(), "xlate-worker");
    int made = p->work.start ? p->work.start(p->work.ctx, w->index, &w->err) : 0;
    pthread_mutex_lock(&p->mu);
    w->ready = made == 0 ? 1 : -1;
    p->n_ready++;
    pthread_cond_broadcast(&p->started);
    if (made != 0) {
        pthread_mutex_unlock(&p->mu);
        return NULL;
    }
    for (;;) {
        size_t seq;
        void *job;
        if (take_job(p, w, &seq, &job) != 0)
            break;
        pthread_mutex_unlock(&p->mu);
        p->work.process(p->work.ctx, w->index, job);
        /* Nobody waits for a single job: the adding thread looks for finished ones whenever it
         * runs (xlate_pool_next_done). */
        pthread_mutex_lock(&p->mu);
        item_of(p, seq)->state = ITEM_DONE;
    }
    pthread_mutex_unlock(&p->mu);
    if (p->work.idle)
        p->work.idle(p->work.ctx, w->index);
    return NULL;
}

static int start_threads(xlate_pool *p, xlate_error *err) {
    unsigned started = 0;
    sigset_t stop_signals, old_mask;
    int rc = 0;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, &old_mask);
    for (unsigned i = 0; i < p->n_workers; i++) {
        worker *w = &p->workers[i];
        w->pool = p;
        w->index = i;
        int e = pthread_create(&w->thread, NULL, worker_main, w);
        if (e != 0) {
            xlate_error_set(err, XLATE_ERROR, "cannot start a worker thread: %s", strerror(e));
            rc = -1;
            break;
        }
        w->started = 1;
        started++;
    }
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    pthread_mutex_lock(&p->mu);
    while (p->n_ready < started)
        pthread_cond_wait(&p->started, &p->mu);
    pthread_mutex_unlock(&p->mu);
    /* The first worker's error, whichever thread failed first, so the message is stable. */
    for (unsigned i = 0; rc == 0 && i < p->n_workers; i++) {
        if (p->workers[i].ready < 0) {
            const xlate_error *we = &p->workers[i].err;
            xlate_error_set(err, we->status ? we->status : XLATE_ERROR, "%s",
                            we->message ? we->message : "a worker could not start");
            rc = -1;
        }
    }
    return rc;
}

int xlate_pool_start(const xlate_pool_work *work, unsigned workers, size_t jobs_per_worker,
                     size_t bytes_per_worker, xlate_pool **out, xlate_error *err) {
    xlate_pool *p = calloc(1, sizeof *p);
    *out = NULL;
    if (workers == 0)
        workers = 1;
    if (!p) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    p->work = *work;
    p->n_workers = workers;
    p->q_cap = (jobs_per_worker ? jobs_per_worker : 1) * workers;
    p->q_byte_budget = bytes_per_worker * workers;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->job_ready, NULL);
    pthread_cond_init(&p->room, NULL);
    pthread_cond_init(&p->started, NULL);
    p->queue = calloc(p->q_cap, sizeof *p->queue);
    p->workers = calloc(workers, sizeof *p->workers);
    if (!p->queue || !p->workers) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        xlate_pool_free(p, NULL);
        return -1;
    }
    if (start_threads(p, err) != 0) {
        xlate_pool_free(p, NULL);
        return -1;
    }
    *out = p;
    return 0;
}

/* Room for one more item at the end of the order, compacting or growing it. */
static int order_room(xlate_pool *p) {
    if (p->n < p->cap)
        return 0;
    if (p->head > 0 && p->head >= p->cap / 2) {
        memmove(p->order, p->order + p->head, (p->n - p->head) * sizeof *p->order);
        p->n -= p->head;
        p->first_seq += p->head;
        p->head = 0;
        return 0;
    }
    size_t cap = p->cap ? p->cap * 2 : 64;
    item *o = realloc(p->order, cap * sizeof *o);
    if (!o)
        return -1;
    p->order = o;
    p->cap = cap;
    return 0;
}

int xlate_pool_add(xlate_pool *p, void *job, size_t bytes, int flags) {
    pthread_mutex_lock(&p->mu);
    if (!(flags & XLATE_POOL_DONE) && queue_full(p, bytes)) {
        if (flags & XLATE_POOL_NOWAIT) {
            pthread_mutex_unlock(&p->mu);
            return 1;
        }
        p->adder_waiting = 1;
        while (!queue_drained(p) && queue_full(p, bytes))
            pthread_cond_wait(&p->room, &p->mu);
        p->adder_waiting = 0;
    }
    if (order_room(p) != 0) {
        pthread_mutex_unlock(&p->mu);
        return -1;
    }
    size_t seq = p->first_seq + p->n;
    p->order[p->n++] = (item){job, bytes, (flags & XLATE_POOL_DONE) ? ITEM_DONE : ITEM_QUEUED};
    if (!(flags & XLATE_POOL_DONE)) {
        p->queue[(p->q_head + p->q_len) % p->q_cap] = seq;
        p->q_len++;
        p->q_bytes += bytes;
        pthread_cond_signal(&p->job_ready);
    }
    pthread_mutex_unlock(&p->mu);
    return 0;
}

void *xlate_pool_next_done(xlate_pool *p) {
    void *job = NULL;
    pthread_mutex_lock(&p->mu);
    if (p->head < p->n && p->order[p->head].state == ITEM_DONE)
        job = p->order[p->head++].job;
    pthread_mutex_unlock(&p->mu);
    return job;
}

void xlate_pool_queued(xlate_pool *p, size_t *jobs, size_t *bytes) {
    pthread_mutex_lock(&p->mu);
    *jobs = p->q_len;
    *bytes = p->q_bytes;
    pthread_mutex_unlock(&p->mu);
}

void xlate_pool_stop(xlate_pool *p, int drop_queued) {
    if (p->stopped)
        return;
    pthread_mutex_lock(&p->mu);
    if (drop_queued) {
        while (p->q_len) {
            item_of(p, p->queue[p->q_head])->state = ITEM_DROPPED;
            p->q_head = (p->q_head + 1) % p->q_cap;
            p->q_len--;
        }
        p->q_bytes = 0;
    }
    p->closing = 1;
    pthread_cond_broadcast(&p->job_ready);
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < p->n_workers; i++)
        if (p->workers[i].started)
            pthread_join(p->workers[i].thread, NULL);
    p->stopped = 1;
}

void xlate_pool_free(xlate_pool *p, void (*free_job)(void *job)) {
    if (!p)
        return;
    if (p->workers)
        xlate_pool_stop(p, 1);
    for (size_t i = p->head; free_job && i < p->n; i++)
        free_job(p->order[i].job);
    for (unsigned i = 0; p->workers && i < p->n_workers; i++)
        xlate_error_clear(&p->workers[i].err);
    free(p->order);
    free(p->queue);
    free(p->workers);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->job_ready);
    pthread_cond_destroy(&p->room);
    pthread_cond_destroy(&p->started);
    free(p);
}
