/*
 * shard_env: the shard a scheduler's environment names (see shard_env.h).
 */
#include "shard_env.h"

#include <string.h>

#include "xlate/number.h"

/* The largest shard count `--shard K/N` takes (batch.c's rule), so that auto and K/N agree. */
#define SHARD_COUNT_MAX 1000000u

/* A variable holding a whole number, or the reason it does not. Returns 1 set and valid, 0 unset,
 * -1 set but not a number (err says which variable and what it holds). */
static int env_number(xlate_env_get get, void *data, const char *name, uint64_t *out,
                      xlate_error *err) {
    const char *v = get(data, name);
    if (!v)
        return 0;
    if (xlate_parse_uint(v, strlen(v), 100000000, out) != XLATE_NUMBER_OK) {
        xlate_error_set(err, XLATE_EINVAL,
                        "--shard auto: %s is \"%s\", not a whole number; is this a task the "
                        "scheduler started?", name, v);
        return -1;
    }
    return 1;
}

/* The count from `auto/N` or XLATE_SHARD_COUNT, for the schedulers that give only an index. */
static int given_count(xlate_env_get get, void *data, unsigned count_given, const char *scheduler,
                       const char *index_var, uint64_t *count, xlate_error *err) {
    uint64_t n = 0;
    int r = env_number(get, data, "XLATE_SHARD_COUNT", &n, err);
    if (r < 0)
        return -1;
    if (r == 1 && count_given && n != count_given) {
        xlate_error_set(err, XLATE_EINVAL,
                        "--shard auto/%u: XLATE_SHARD_COUNT says %llu shards; give one count",
                        count_given, (unsigned long long)n);
        return -1;
    }
    if (r == 0)
        n = count_given;
    if (n == 0) {
        xlate_error_set(err, XLATE_EINVAL,
                        "--shard auto: %s gives this task's index (%s) but not how many tasks "
                        "there are; give the count as --shard auto/N or in XLATE_SHARD_COUNT",
                        scheduler, index_var);
        return -1;
    }
    *count = n;
    return 0;
}

static int from_slurm(xlate_env_get get, void *data, unsigned count_given, uint64_t *index,
                      uint64_t *count, xlate_error *err) {
    uint64_t id, min = 0, step = 1, max = 0, n = 0;
    int has_max, has_count;
    if (env_number(get, data, "SLURM_ARRAY_TASK_ID", &id, err) < 0 ||
        env_number(get, data, "SLURM_ARRAY_TASK_MIN", &min, err) < 0 ||
        env_number(get, data, "SLURM_ARRAY_TASK_STEP", &step, err) < 0 ||
        (has_max = env_number(get, data, "SLURM_ARRAY_TASK_MAX", &max, err)) < 0 ||
        (has_count = env_number(get, data, "SLURM_ARRAY_TASK_COUNT", &n, err)) < 0)
        return -1;
    if (step == 0)
        step = 1;
    if (!has_count && has_max && max >= min)
        n = (max - min) / step + 1;
    if (n == 0)
        n = count_given;
    if (n == 0) {
        xlate_error_set(err, XLATE_EINVAL,
                        "--shard auto: SLURM_ARRAY_TASK_ID is set but not SLURM_ARRAY_TASK_COUNT; "
                        "give the array's size as --shard auto/N");
        return -1;
    }
    if (id < min || (id - min) % step != 0 || (id - min) / step >= n ||
        (has_max && (max < min || (max - min) / step + 1 != n))) {
        xlate_error_set(err, XLATE_EINVAL,
                        "--shard auto: the Slurm array (task %llu; min %llu, step %llu, %llu "
                        "tasks) is not one even range such as --array=0-%llu; submit it as a "
                        "range, or give --shard K/N yourself",
                        (unsigned long long)id, (unsigned long long)min, (unsigned long long)step,
                        (unsigned long long)n, (unsigned long long)(n - 1));
        return -1;
    }
    if (count_given && count_given != n) {
        xlate_error_set(err, XLATE_EINVAL,
                        "--shard auto/%u: the Slurm array has %llu tasks; give one count",
                        count_given, (unsigned long long)n);
        return -1;
    }
    *index = (id - min) / step;
    *count = n;
    return 0;
}

int xlate_shard_from_env(xlate_env_get get, void *data, unsigned count_given, unsigned *index,
                         unsigned *count, const char **scheduler, xlate_error *err) {
    uint64_t k = 0, n = 0;
    int r;
    if (get(data, "SLURM_ARRAY_TASK_ID")) {
        *scheduler = "slurm";
        if (from_slurm(get, data, count_given, &k, &n, err))
            return -1;
    } else if (get(data, "JOB_COMPLETION_INDEX")) {
        *scheduler = "kubernetes";
        if (env_number(get, data, "JOB_COMPLETION_INDEX", &k, err) < 0 ||
            given_count(get, data, count_given, "Kubernetes", "JOB_COMPLETION_INDEX", &n, err))
            return -1;
    } else if (get(data, "PARALLEL_SEQ")) {
        *scheduler = "parallel";
        if (env_number(get, data, "PARALLEL_SEQ", &k, err) < 0 ||
            given_count(get, data, count_given, "GNU parallel", "PARALLEL_SEQ", &n, err))
            return -1;
        if (k == 0) {
            xlate_error_set(err, XLATE_EINVAL, "--shard auto: PARALLEL_SEQ is 0; GNU parallel "
                                               "counts its jobs from 1");
            return -1;
        }
        k--;
    } else if ((r = env_number(get, data, "XLATE_SHARD_INDEX", &k, err)) != 0) {
        *scheduler = "xlate";
        if (r < 0 || given_count(get, data, count_given, "the environment", "XLATE_SHARD_INDEX",
                                 &n, err))
            return -1;
    } else {
        xlate_error_set(err, XLATE_EINVAL,
                        "--shard auto: no scheduler's task index in the environment (Slurm's "
                        "SLURM_ARRAY_TASK_ID, Kubernetes' JOB_COMPLETION_INDEX, GNU parallel's "
                        "PARALLEL_SEQ, or XLATE_SHARD_INDEX); run it as a task of an array, or "
                        "give --shard K/N");
        return -1;
    }
    if (n > SHARD_COUNT_MAX || k >= n) {
        xlate_error_set(err, XLATE_EINVAL,
                        "--shard auto: %s gives task %llu of %llu; the index must be below the "
                        "count (at most %u shards)",
                        *scheduler, (unsigned long long)k, (unsigned long long)n, SHARD_COUNT_MAX);
        return -1;
    }
    *index = (unsigned)k;
    *count = (unsigned)n;
    return 0;
}
