/*
 * check: the assertions of the C unit tests. Each failed check prints file:line and the
 * expression; the test's main returns check_result(), nonzero when anything failed.
 */
#ifndef XLATE_TESTS_CHECK_H
#define XLATE_TESTS_CHECK_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures;

#define CHECK(expr)                                                                   \
    do {                                                                              \
        if (!(expr)) {                                                                \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr);  \
            check_failures++;                                                         \
        }                                                                             \
    } while (0)

#define CHECK_STR(got, want)                                                          \
    do {                                                                              \
        const char *got_ = (got), *want_ = (want);                                    \
        if (!got_ || strcmp(got_, want_) != 0) {                                      \
            fprintf(stderr, "%s:%d: %s\n  got:  \"%s\"\n  want: \"%s\"\n", __FILE__,  \
                    __LINE__, #got, got_ ? got_ : "(null)", want_);                   \
            check_failures++;                                                         \
        }                                                                             \
    } while (0)

#define CHECK_INT(got, want)                                                          \
    do {                                                                              \
        long long got_ = (long long)(got), want_ = (long long)(want);                 \
        if (got_ != want_) {                                                          \
            fprintf(stderr, "%s:%d: %s = %lld, want %lld\n", __FILE__, __LINE__, #got, \
                    got_, want_);                                                     \
            check_failures++;                                                         \
        }                                                                             \
    } while (0)

static inline int check_remove_entry(const char *path, const struct stat *sb, int flag,
                                     struct FTW *ftw) {
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

/* Removes a test's temporary folder and everything in it, links not followed; says so on stderr
 * when something stays behind (a leftover is no test failure). */
static inline void check_remove_tree(const char *dir) {
    if (nftw(dir, check_remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

static inline int check_result(const char *name) {
    if (check_failures)
        fprintf(stderr, "%s: %d check(s) failed\n", name, check_failures);
    return check_failures ? 1 : 0;
}

/* Reads a whole test data file; NUL-terminated, *len its size (len may be NULL). NULL when the
 * file cannot be read. The caller frees it. */
static inline char *check_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *data = NULL;
    long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (data = malloc((size_t)n + 1)) != NULL &&
        fread(data, 1, (size_t)n, f) != (size_t)n) {
        free(data);
        data = NULL;
    }
    fclose(f);
    if (data) {
        data[n] = '\0';
        if (len)
            *len = (size_t)n;
    }
    return data;
}

#endif
