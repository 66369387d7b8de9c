/*
 * fuzz: what the harnesses in tests/fuzz share. Each harness defines LLVMFuzzerTestOneInput and
 * is built twice: with clang and libFuzzer for scripts/fuzz, and with the normal compiler against
 * replay.c, which feeds it every file of its corpus as a test. Here: cutting one input into the
 * parts a harness needs, and a scratch folder for parsers that only read files.
 */
#ifndef XLATE_TESTS_FUZZ_H
#define XLATE_TESTS_FUZZ_H

#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Where a harness puts results it only computes for the code they run through: the compiler
 * may neither drop the call nor warn that its result is unused. */
static volatile int fuzz_sink;

/* The line that separates the parts of an input that carries several (rules, then text). */
#define FUZZ_SEPARATOR "\n----\n"

/* The next part of *data: the bytes before the next FUZZ_SEPARATOR, or all that is left. Moves
 * *data and *size past the part and its separator. The part is not NUL-terminated. */
static inline const uint8_t *fuzz_part(const uint8_t **data, size_t *size, size_t *len) {
    const uint8_t *start = *data;
    const size_t sep = sizeof FUZZ_SEPARATOR - 1;
    const uint8_t *hit = *size >= sep ? memmem(start, *size, FUZZ_SEPARATOR, sep) : NULL;
    if (!hit) {
        *len = *size;
        *data += *size;
        *size = 0;
    } else {
        *len = (size_t)(hit - start);
        *size -= *len + sep;
        *data = hit + sep;
    }
    return start;
}

/* The first byte of *data (0 when there is none), taken off: how a harness lets the fuzzer choose
 * an encoding, a language or a mode. */
static inline unsigned fuzz_byte(const uint8_t **data, size_t *size) {
    if (*size == 0)
        return 0;
    unsigned b = **data;
    (*data)++;
    (*size)--;
    return b;
}

/* A NUL-terminated copy of `len` bytes; aborts when out of memory (a harness has no better way). */
static inline char *fuzz_strndup(const uint8_t *bytes, size_t len) {
    char *s = malloc(len + 1);
    if (!s)
        abort();
    memcpy(s, bytes, len);
    s[len] = '\0';
    return s;
}

static inline int fuzz_remove_entry(const char *path, const struct stat *sb, int flag,
                                    struct FTW *ftw) {
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static char fuzz_scratch[64];

static inline void fuzz_remove_scratch(void) {
    if (fuzz_scratch[0])
        nftw(fuzz_scratch, fuzz_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A folder of the process's own under /tmp, made on first use and removed at exit: every input
 * of a run reuses it, so that a harness does not leave a folder per execution. */
static inline const char *fuzz_scratch_dir(void) {
    if (!fuzz_scratch[0]) {
        strcpy(fuzz_scratch, "/tmp/xlate-fuzz-XXXXXX");
        if (!mkdtemp(fuzz_scratch))
            abort();
        atexit(fuzz_remove_scratch);
    }
    return fuzz_scratch;
}

/* Writes `len` bytes to NAME in the scratch folder; returns the path (static: valid until the
 * next call). Aborts when the file cannot be written: the harness would test nothing. */
static inline const char *fuzz_write_file(const char *name, const void *bytes, size_t len) {
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", fuzz_scratch_dir(), name);
    FILE *f = fopen(path, "wb");
    if (!f || (len && fwrite(bytes, 1, len, f) != len) || fclose(f) != 0)
        abort();
    return path;
}

#endif
