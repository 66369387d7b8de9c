/*
 * test_usage: the per-service usage table (core/host/usage.c) — names checked as count_usage
 * takes them, totals kept per service in name order, counts that saturate instead of wrapping,
 * the table and JSON the run prints and batch's report holds, and counts added from several
 * threads at once (batch workers) summed exactly.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "usage.h"

/* A worker's counts; returns how many adds failed (check.h's counters belong to the main thread). */
static void *add_many(void *u) {
    intptr_t failed = 0;
    for (int i = 0; i < 10000; i++)
        failed += xlate_usage_add(u, i % 2 ? "deepl" : "google", 1, 7) != 0;
    return (void *)failed;
}

int main(void) {
    xlate_usage *u = NULL;
    CHECK_INT(xlate_usage_new(&u), 0);
    CHECK(xlate_usage_name_ok("deepl") && xlate_usage_name_ok("my_service-2"));
    CHECK(!xlate_usage_name_ok("") && !xlate_usage_name_ok(NULL) && !xlate_usage_name_ok("DeepL") &&
          !xlate_usage_name_ok("a b") && !xlate_usage_name_ok("a/b"));
    char long_name[XLATE_USAGE_NAME_MAX + 2];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[XLATE_USAGE_NAME_MAX] = '\0';
    CHECK(xlate_usage_name_ok(long_name));
    long_name[XLATE_USAGE_NAME_MAX] = 'a';
    long_name[XLATE_USAGE_NAME_MAX + 1] = '\0';
    CHECK(!xlate_usage_name_ok(long_name));

    xlate_buf b = XLATE_BUF_INIT;
    CHECK_INT(xlate_usage_table(u, "  ", &b), 0);
    CHECK(b.len == 0);
    CHECK_INT(xlate_usage_json(u, &b), 0);
    CHECK_STR(b.data, "{}");
    xlate_buf_reset(&b);

    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        CHECK_INT(pthread_create(&t[i], NULL, add_many, u), 0);
    for (int i = 0; i < 4; i++) {
        void *failed = NULL;
        pthread_join(t[i], &failed);
        CHECK(failed == NULL);
    }
    CHECK_INT(xlate_usage_add(u, "Bad Name", 1, 1), 0); /* ignored */
    CHECK_INT(xlate_usage_add(u, "microsoft", UINT64_MAX - 1, 5), 0);
    CHECK_INT(xlate_usage_add(u, "microsoft", 5, UINT64_MAX), 0);
    CHECK_INT((int)xlate_usage_count(u), 3);
    const char *name;
    uint64_t req, chars;
    xlate_usage_entry(u, 0, &name, &req, &chars);
    CHECK_STR(name, "deepl");
    CHECK(req == 20000 && chars == 140000);
    xlate_usage_entry(u, 1, &name, &req, &chars);
    CHECK_STR(name, "google");
    xlate_usage_entry(u, 2, &name, &req, &chars);
    CHECK_STR(name, "microsoft");
    CHECK(req == UINT64_MAX && chars == UINT64_MAX);

    CHECK_INT(xlate_usage_json(u, &b), 0);
    CHECK_STR(b.data, "{\"deepl\": {\"requests\": 20000, \"characters\": 140000}, "
                      "\"google\": {\"requests\": 20000, \"characters\": 140000}, "
                      "\"microsoft\": {\"requests\": 18446744073709551615, "
                      "\"characters\": 18446744073709551615}}");
    xlate_buf_reset(&b);
    CHECK_INT(xlate_usage_table(u, "  ", &b), 0);
    CHECK(b.data && strstr(b.data, "  service              requests     characters\n"
                                    "  deepl                   20000         140000\n"));
    xlate_buf_free(&b);
    xlate_usage_free(u);
    return check_result("test_usage");
}
