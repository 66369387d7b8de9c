/* shard_env: which shard of how many each scheduler's variables name — Slurm job arrays (ranges
 * from 0 or 1, steps, the count from COUNT or MAX), Kubernetes Indexed Jobs and GNU parallel with
 * the count given, XLATE_SHARD_* — and the refusals a user meets, each saying what to do. The
 * environment is a table here, so the test never touches the process's own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "shard_env.h"

/* NULL-terminated pairs: name, value, name, value, ..., NULL. */
static const char *table_get(void *data, const char *name) {
    const char *const *kv = data;
    for (; kv[0]; kv += 2)
        if (strcmp(kv[0], name) == 0)
            return kv[1];
    return NULL;
}

static void expect_shard(const char *const *env, unsigned given, unsigned want_k, unsigned want_n,
                         const char *want_scheduler) {
    unsigned k = 99, n = 99;
    const char *scheduler = NULL;
    xlate_error err = {XLATE_OK, NULL};
    int rc = xlate_shard_from_env(table_get, (void *)env, given, &k, &n, &scheduler, &err);
    CHECK_INT(rc, 0);
    if (rc)
        fprintf(stderr, "  error: %s\n", err.message);
    CHECK_INT(k, want_k);
    CHECK_INT(n, want_n);
    CHECK_STR(scheduler ? scheduler : "(none)", want_scheduler);
    xlate_error_clear(&err);
}

static void expect_refused(const char *const *env, unsigned given, const char *want_in_message) {
    unsigned k = 99, n = 99;
    const char *scheduler = NULL;
    xlate_error err = {XLATE_OK, NULL};
    CHECK_INT(xlate_shard_from_env(table_get, (void *)env, given, &k, &n, &scheduler, &err), -1);
    CHECK_INT(err.status, XLATE_EINVAL);
    CHECK(err.message && strstr(err.message, want_in_message));
    if (!err.message || !strstr(err.message, want_in_message))
        fprintf(stderr, "  message: %s\n  want in it: %s\n", err.message ? err.message : "(none)",
                want_in_message);
    xlate_error_clear(&err);
}

static void test_slurm(void) {
    /* sbatch --array=0-15: what Slurm sets in task 7 */
    const char *range[] = {"SLURM_ARRAY_TASK_ID", "7", "SLURM_ARRAY_TASK_MIN", "0",
                           "SLURM_ARRAY_TASK_MAX", "15", "SLURM_ARRAY_TASK_STEP", "1",
                           "SLURM_ARRAY_TASK_COUNT", "16", NULL};
    expect_shard(range, 0, 7, 16, "slurm");
    expect_shard(range, 16, 7, 16, "slurm");
    /* --array=1-7:2, task 5: the third of four */
    const char *step[] = {"SLURM_ARRAY_TASK_ID", "5", "SLURM_ARRAY_TASK_MIN", "1",
                          "SLURM_ARRAY_TASK_MAX", "7", "SLURM_ARRAY_TASK_STEP", "2",
                          "SLURM_ARRAY_TASK_COUNT", "4", NULL};
    expect_shard(step, 0, 2, 4, "slurm");
    /* an older Slurm without COUNT: the count from MIN, MAX and STEP */
    const char *no_count[] = {"SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_MIN", "1",
                              "SLURM_ARRAY_TASK_MAX", "4", NULL};
    expect_shard(no_count, 0, 2, 4, "slurm");
    /* only the ID: the count must be given */
    const char *only_id[] = {"SLURM_ARRAY_TASK_ID", "2", NULL};
    expect_shard(only_id, 5, 2, 5, "slurm");
    expect_refused(only_id, 0, "--shard auto/N");
    /* --array=1,4,9: not a range */
    const char *list[] = {"SLURM_ARRAY_TASK_ID", "4", "SLURM_ARRAY_TASK_MIN", "1",
                          "SLURM_ARRAY_TASK_MAX", "9", "SLURM_ARRAY_TASK_COUNT", "3", NULL};
    expect_refused(list, 0, "not one even range");
    expect_refused(range, 8, "has 16 tasks");
    const char *junk[] = {"SLURM_ARRAY_TASK_ID", "seven", NULL};
    expect_refused(junk, 3, "SLURM_ARRAY_TASK_ID is \"seven\"");
}

static void test_kubernetes(void) {
    const char *pod[] = {"JOB_COMPLETION_INDEX", "3", NULL};
    expect_shard(pod, 8, 3, 8, "kubernetes");
    expect_refused(pod, 0, "JOB_COMPLETION_INDEX");
    expect_refused(pod, 3, "below the count");
    const char *with_count[] = {"JOB_COMPLETION_INDEX", "3", "XLATE_SHARD_COUNT", "4", NULL};
    expect_shard(with_count, 0, 3, 4, "kubernetes");
    expect_refused(with_count, 5, "XLATE_SHARD_COUNT says 4");
}

static void test_parallel_and_plain(void) {
    const char *job[] = {"PARALLEL_SEQ", "1", NULL};
    expect_shard(job, 4, 0, 4, "parallel");
    const char *last[] = {"PARALLEL_SEQ", "4", NULL};
    expect_shard(last, 4, 3, 4, "parallel");
    const char *beyond[] = {"PARALLEL_SEQ", "5", NULL};
    expect_refused(beyond, 4, "below the count");
    const char *zero[] = {"PARALLEL_SEQ", "0", NULL};
    expect_refused(zero, 4, "counts its jobs from 1");
    const char *plain[] = {"XLATE_SHARD_INDEX", "0", "XLATE_SHARD_COUNT", "2", NULL};
    expect_shard(plain, 0, 0, 2, "xlate");
    /* Slurm wins when a Slurm task also runs GNU parallel inside it */
    const char *both[] = {"PARALLEL_SEQ", "2", "SLURM_ARRAY_TASK_ID", "1",
                          "SLURM_ARRAY_TASK_COUNT", "3", NULL};
    expect_shard(both, 0, 1, 3, "slurm");
    const char *none[] = {"HOME", "/root", NULL};
    expect_refused(none, 0, "no scheduler's task index");
}

int main(void) {
    test_slurm();
    test_kubernetes();
    test_parallel_and_plain();
    return check_result("shard_env");
}
