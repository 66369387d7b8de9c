/*
 * batch_pool: the workers of `xlate batch` and the bounded queue that feeds them. The main thread
 * adds jobs in input order; N threads process them, each with what its `start` made (a pipeline);
 * the main thread takes the finished jobs back in the order it added them, whatever order they
 * finished in. The queue's bound (jobs and bytes a worker) is what keeps memory to a few documents
 * whatever the input's size. Below batch.c; knows nothing of documents.
 */
#ifndef XLATE_CORE_BATCH_POOL_H
#define XLATE_CORE_BATCH_POOL_H

#include <stddef.h>
#include "error.h"

typedef struct xlate_pool xlate_pool;

/* What the workers do; every function runs in the thread of worker `index` (0 .. n-1). */
typedef struct xlate_pool_work {
    void *ctx;
    /* Before the worker's first job: make what it needs. Returns 0, or -1 with err. */
    int (*start)(void *ctx, unsigned index, xlate_error *err);
    /* One job. */
    void (*process)(void *ctx, unsigned index, void *job);
    /* No job is waiting (the worker is about to sleep) or the pool is closing: the time to write
     * out what the worker holds. May be NULL. */
    void (*idle)(void *ctx, unsigned index);
} xlate_pool_work;

/* Starts `workers` threads (born with SIGINT and SIGTERM blocked, so that a signal lands on the
 * calling thread and never cuts a plugin's read from its engine) and waits until each has run
 * `start`. The queue holds at most jobs_per_worker jobs a worker, and no more than
 * bytes_per_worker bytes a worker unless it is empty. Returns 0, or -1 with err (the error of the
 * lowest-numbered worker whose start failed; the pool is then stopped and freed). */
XLATE_MUST_CHECK int xlate_pool_start(const xlate_pool_work *work, unsigned workers, size_t jobs_per_worker,
                                      size_t bytes_per_worker, xlate_pool **out, xlate_error *err);

enum {
    XLATE_POOL_DONE = 1,   /* the job needs no work: it only keeps its place in the order */
    XLATE_POOL_NOWAIT = 2, /* return 1 instead of waiting when the queue is full */
};

/* Adds a job of `bytes` bytes after every job added before. A full queue is waited on until half
 * of it is free (each wake-up of the caller takes a core from a worker). Returns 0, 1 when full
 * and XLATE_POOL_NOWAIT was given (nothing added), or -1 when out of memory (nothing added). */
XLATE_MUST_CHECK int xlate_pool_add(xlate_pool *p, void *job, size_t bytes, int flags);

/* The first job added and not yet taken, when it is finished; NULL otherwise. */
void *xlate_pool_next_done(xlate_pool *p);

/* How many jobs, and how many of their bytes, wait in the queue now. */
void xlate_pool_queued(xlate_pool *p, size_t *jobs, size_t *bytes);

/* Lets the workers finish the jobs they hold and joins them. With `drop_queued`, the jobs still
 * queued are never processed (xlate_pool_next_done stops at the first of them). */
void xlate_pool_stop(xlate_pool *p, int drop_queued);

/* Stops the pool if need be and frees it, handing every job not taken to `free_job` (may be
 * NULL). */
void xlate_pool_free(xlate_pool *p, void (*free_job)(void *job));

#endif
