/*
 * shard_env: `xlate batch --shard auto`, which shard of how many this process is, read from what
 * the scheduler that started it puts in the environment — a Slurm job array, a Kubernetes Indexed
 * Job, GNU parallel — so that one command line serves every task of an array. Sits before the
 * batch starts; knows nothing of documents.
 */
#ifndef XLATE_CORE_SHARD_ENV_H
#define XLATE_CORE_SHARD_ENV_H

#include "error.h"

/* Reads a variable of the environment the shard is taken from: its value, or NULL when unset.
 * `getenv` in the program; a table in tests. */
typedef const char *(*xlate_env_get)(void *data, const char *name);

/* Fills *index and *count (0 <= index < count) from the environment, and *scheduler with the
 * name of where they came from ("slurm", "kubernetes", "parallel", "xlate"), a static string.
 * `count_given` is the N of `--shard auto/N`, or 0 for `--shard auto`.
 *
 * The sources, the first whose variable is set winning:
 *   - Slurm job arrays: SLURM_ARRAY_TASK_ID, with SLURM_ARRAY_TASK_MIN (default 0),
 *     SLURM_ARRAY_TASK_STEP (default 1) and SLURM_ARRAY_TASK_COUNT: index (ID - MIN) / STEP
 *     of COUNT. An array that is not one even range (--array=1,4,9) is refused: its tasks
 *     cannot be told apart from a range's by the variables alone.
 *   - Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX. Kubernetes does not tell a pod the Job's
 *     completions, so the count comes from `auto/N` or XLATE_SHARD_COUNT.
 *   - GNU parallel: PARALLEL_SEQ (counted from 1), the count from `auto/N` or
 *     XLATE_SHARD_COUNT; the job numbers must run 1..N (one argument a shard).
 *   - XLATE_SHARD_INDEX and XLATE_SHARD_COUNT, for any other scheduler.
 * A count given both ways must agree. Returns 0, or -1 with err (XLATE_EINVAL: a usage error)
 * saying which variable is missing or wrong and what to do. */
XLATE_MUST_CHECK int xlate_shard_from_env(xlate_env_get get, void *data, unsigned count_given,
                                          unsigned *index, unsigned *count, const char **scheduler,
                                          xlate_error *err);

#endif
