/*
 * test_hashtab: core's hash table and hash function (core/base/hashtab.h) — the FNV-1a values batch's
 * shards depend on, adding and finding through growth, keys that are bytes, owned values, a
 * table's own hash function.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hashtab.h"

static int freed;

static void count_free(void *v) {
    freed++;
    free(v);
}

/* Published FNV-1a 64-bit values: a shard must fall where every earlier release put it. */
static void test_hash(void) {
    CHECK(xlate_hash("", 0) == 0xcbf29ce484222325ull);
    CHECK(xlate_hash("a", 1) == 0xaf63dc4c8601ec8cull);
    CHECK(xlate_hash("foobar", 6) == 0x85944171f73967e8ull);
}

static void test_add_find(void) {
    xlate_hashtab *t;
    xlate_hashtab_entry *e, *first;
    CHECK_INT(xlate_hashtab_new(count_free, &t), 0);
    CHECK(xlate_hashtab_find(t, "a", 1) == NULL);
    CHECK_INT(xlate_hashtab_add(t, "a.rec", 5, strdup("one"), &first), 0);
    /* a key already there keeps its value; the caller sees the entry */
    char *two = strdup("two");
    CHECK_INT(xlate_hashtab_add(t, "a.rec", 5, two, &e), 1);
    CHECK(e == first);
    CHECK_STR((const char *)e->value, "one");
    free(two);
    /* enough keys to grow the table many times; entries never move */
    for (int i = 0; i < 5000; i++) {
        char key[32];
        int n = snprintf(key, sizeof key, "doc/%05d.txt", i);
        char *v = malloc(sizeof(int));
        *(int *)v = i;
        CHECK_INT(xlate_hashtab_add(t, key, (size_t)n, v, NULL), 0);
    }
    CHECK_INT((int)xlate_hashtab_count(t), 5001);
    CHECK(xlate_hashtab_find(t, "a.rec", 5) == first);
    CHECK_STR((const char *)first->key, "a.rec");
    int all = 1;
    for (int i = 0; i < 5000; i++) {
        char key[32];
        int n = snprintf(key, sizeof key, "doc/%05d.txt", i);
        e = xlate_hashtab_find(t, key, (size_t)n);
        all = all && e && *(int *)e->value == i && e->key_len == (size_t)n;
    }
    CHECK(all);
    CHECK(xlate_hashtab_find(t, "doc/05000.txt", 13) == NULL);
    CHECK(xlate_hashtab_find(t, "a.re", 4) == NULL);
    freed = 0;
    xlate_hashtab_free(t);
    CHECK_INT(freed, 5001);
}

/* Keys are bytes: NULs inside count, and a word-sized key is readable in place. */
static void test_byte_keys(void) {
    xlate_hashtab *t;
    xlate_hashtab_entry *e;
    uint64_t bits[16] = {1, 2, 3};
    CHECK_INT(xlate_hashtab_new(NULL, &t), 0);
    CHECK_INT(xlate_hashtab_add(t, "a\0b", 3, NULL, NULL), 0);
    CHECK_INT(xlate_hashtab_add(t, "a\0c", 3, NULL, NULL), 0);
    CHECK_INT(xlate_hashtab_add(t, "a", 1, NULL, NULL), 0);
    CHECK_INT((int)xlate_hashtab_count(t), 3);
    CHECK_INT(xlate_hashtab_add(t, bits, sizeof bits, NULL, &e), 0);
    CHECK((uintptr_t)e->key % sizeof(uint64_t) == 0);
    CHECK(((const uint64_t *)(const void *)e->key)[2] == 3);
    bits[15] = 9;
    CHECK(xlate_hashtab_find(t, bits, sizeof bits) == NULL);
    xlate_hashtab_free(t);
}

/* A table's own hash: every add and find uses it (one that sends all keys to one place still
 * keeps them apart, the probing does), and the entries carry its values. */
static int own_hash_calls;

static uint64_t first_byte_hash(const void *data, size_t len) {
    own_hash_calls++;
    return len ? *(const unsigned char *)data : 7;
}

static void test_own_hash(void) {
    xlate_hashtab *t;
    xlate_hashtab_entry *e;
    CHECK_INT(xlate_hashtab_new_hashed(NULL, first_byte_hash, &t), 0);
    for (int i = 0; i < 300; i++) {
        char key[16];
        int n = snprintf(key, sizeof key, "k%d", i);
        CHECK_INT(xlate_hashtab_add(t, key, (size_t)n, NULL, NULL), 0);
    }
    CHECK_INT(own_hash_calls, 300);
    CHECK((e = xlate_hashtab_find(t, "k299", 4)) != NULL);
    CHECK(e && e->hash == 'k');
    CHECK(xlate_hashtab_find(t, "k300", 4) == NULL);
    CHECK_INT(xlate_hashtab_add(t, "k7", 2, NULL, &e), 1);
    CHECK_INT(own_hash_calls, 303);
    CHECK_INT((int)xlate_hashtab_count(t), 300);
    xlate_hashtab_free(t);
}

int main(void) {
    test_hash();
    test_add_find();
    test_byte_keys();
    test_own_hash();
    return check_result("test_hashtab");
}
