/*
 * Tests of the glossary's string table (strtab.c): keys found after many doublings, keys with NUL
 * bytes, a table sized in advance that takes its keys without growing again, clearing that keeps
 * the memory, and zeroed allocations small and large (the large ones prefaulted, still zero).
 */
#include "check.h"
#include "strtab.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int key_of(int i, char *out, size_t size) {
    return snprintf(out, size, "слово-%d", i);
}

static int all_found(const xlate_strtab *t, int n) {
    for (int i = 0; i < n; i++) {
        char k[32];
        uint32_t v = 0;
        int len = key_of(i, k, sizeof k);
        if (!xlate_strtab_find(t, k, (size_t)len, &v) || v != (uint32_t)i)
            return 0;
    }
    return 1;
}

static void test_grows_and_finds(void) {
    xlate_strtab t = XLATE_STRTAB_INIT;
    uint32_t v;
    for (int i = 0; i < 20000; i++) {
        char k[32];
        int len = key_of(i, k, sizeof k);
        CHECK_INT(xlate_strtab_insert(&t, k, (size_t)len, (uint32_t)i), 0);
    }
    CHECK_INT((int)xlate_strtab_count(&t), 20000);
    CHECK(all_found(&t, 20000));
    CHECK(!xlate_strtab_find(&t, "слово-20000", strlen("слово-20000"), &v));
    /* bytes, not C strings */
    CHECK_INT(xlate_strtab_insert(&t, "a\0b", 3, 7), 0);
    CHECK(!xlate_strtab_find(&t, "a", 1, &v));
    CHECK(xlate_strtab_find(&t, "a\0b", 3, &v) && v == 7);
    xlate_strtab_free(&t);
}

/* A table sized for its keys takes them all without moving its slots or its key store. */
static void test_reserve(void) {
    xlate_strtab t = XLATE_STRTAB_INIT;
    size_t bytes = 0;
    for (int i = 0; i < 5000; i++) {
        char k[32];
        bytes += (size_t)key_of(i, k, sizeof k);
    }
    CHECK_INT(xlate_strtab_reserve(&t, 5000, bytes), 0);
    const xlate_strtab_slot *slots = t.slots;
    const char *keys = t.keys;
    CHECK(t.cap >= 10000);
    for (int i = 0; i < 5000; i++) {
        char k[32];
        int len = key_of(i, k, sizeof k);
        CHECK_INT(xlate_strtab_insert(&t, k, (size_t)len, (uint32_t)i), 0);
    }
    CHECK(t.slots == slots);
    CHECK(t.keys == keys);
    CHECK(all_found(&t, 5000));
    /* more room later keeps what is there */
    CHECK_INT(xlate_strtab_reserve(&t, 40000, 40000 * 16), 0);
    CHECK(t.cap >= 90000);
    CHECK(all_found(&t, 5000));
    /* cleared: nothing found, the memory kept */
    xlate_strtab_clear(&t);
    CHECK_INT((int)xlate_strtab_count(&t), 0);
    CHECK(!all_found(&t, 1));
    CHECK(t.cap >= 90000);
    xlate_strtab_free(&t);
}

static void test_zalloc(void) {
    static const size_t sizes[] = {1, 100, (size_t)64 << 10, ((size_t)1 << 20) + 24};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        unsigned char *p = xlate_strtab_zalloc(sizes[k], 1);
        CHECK(p != NULL);
        int zero = p != NULL;
        for (size_t i = 0; p && i < sizes[k]; i++)
            zero = zero && p[i] == 0;
        CHECK(zero);
        if (p)
            p[sizes[k] - 1] = 1;
        free(p);
    }
}

int main(void) {
    test_grows_and_finds();
    test_reserve();
    test_zalloc();
    return check_result("test_glossary_strtab");
}
