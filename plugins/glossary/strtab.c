/*
 * strtab: string-keyed hash table for the glossary plugin (stem interning, the stem cache).
 * Hand-written because neither ICU nor the C library offers a hash table for byte-string keys
 * (ICU's UHashtable is internal API).
 */
#include "strtab.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Tables from this size up have their pages made writable when allocated (xlate_strtab_zalloc). */
#define POPULATE_MIN_BYTES ((size_t)64 << 10)

void *xlate_strtab_zalloc(size_t n, size_t size) {
    void *p = calloc(n, size);
#ifdef MADV_POPULATE_WRITE
    size_t bytes = n * size; /* calloc refused an overflow */
    long page = sysconf(_SC_PAGESIZE);
    if (p && bytes >= POPULATE_MIN_BYTES && page > 0) {
        uintptr_t mask = (uintptr_t)page - 1;
        uintptr_t from = ((uintptr_t)p + mask) & ~mask, to = ((uintptr_t)p + bytes) & ~mask;
        /* Advice: a kernel older than 5.14 refuses it, and the pages then come a fault at a time. */
        if (to > from)
            (void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
    }
#endif
    return p;
}

/* Eight bytes at a time, each step a multiply and a shift to spread the bits: the matcher hashes
 * every word of the text, so a byte-at-a-time hash is a visible part of a run. Never returns 0,
 * which marks an empty slot. */
uint64_t xlate_strtab_hash(const char *key, size_t len) {
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ len, w;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        memcpy(&w, key + i, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
    }
    w = 0;
    if (len > i)
        memcpy(&w, key + i, len - i);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 29;
    return h ? h : 1;
}

static int slot_holds(const xlate_strtab *t, const xlate_strtab_slot *s, uint64_t h,
                      const char *key, size_t len) {
    return s->hash == h && s->key_len == len && memcmp(t->keys + s->key_off, key, len) == 0;
}

int xlate_strtab_find(const xlate_strtab *t, const char *key, size_t len, uint32_t *value) {
    return t->count != 0 && xlate_strtab_find_hashed(t, key, len, xlate_strtab_hash(key, len), value);
}

int xlate_strtab_find_hashed(const xlate_strtab *t, const char *key, size_t len, uint64_t h,
                             uint32_t *value) {
    if (t->count == 0)
        return 0;
    size_t mask = t->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        const xlate_strtab_slot *s = &t->slots[i];
        if (s->hash == 0)
            return 0;
        if (slot_holds(t, s, h, key, len)) {
            *value = s->value;
            return 1;
        }
    }
}

static void place_slot(xlate_strtab_slot *slots, size_t cap, const xlate_strtab_slot *s) {
    size_t mask = cap - 1;
    size_t i = (size_t)s->hash & mask;
    while (slots[i].hash != 0)
        i = (i + 1) & mask;
    slots[i] = *s;
}

/* Moves the keys into a zeroed array of `cap` slots (a power of two, at least twice the count). */
static int resize_slots(xlate_strtab *t, size_t cap) {
    xlate_strtab_slot *slots = xlate_strtab_zalloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].hash != 0)
            place_slot(slots, cap, &t->slots[i]);
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return 0;
}

/* Keeps the load factor at or under one half so probes stay short. */
static int grow_slots(xlate_strtab *t) {
    return resize_slots(t, t->cap ? t->cap * 2 : 64);
}

static int reserve_keys(xlate_strtab *t, size_t need) {
    if (need <= t->keys_cap)
        return 0;
    size_t cap = t->keys_cap ? t->keys_cap : 4096;
    while (cap < need)
        cap *= 2;
    char *keys = realloc(t->keys, cap);
    if (!keys)
        return -1;
    t->keys = keys;
    t->keys_cap = cap;
    return 0;
}

int xlate_strtab_reserve(xlate_strtab *t, size_t keys, size_t key_bytes) {
    size_t cap = t->cap ? t->cap : 64;
    if (keys > SIZE_MAX / 4 || key_bytes > UINT32_MAX - t->keys_len)
        return -1;
    while (cap < 2 * (t->count + keys))
        cap *= 2;
    if (cap > t->cap && resize_slots(t, cap) != 0)
        return -1;
    return reserve_keys(t, t->keys_len + key_bytes);
}

static int store_key(xlate_strtab *t, const char *key, size_t len, uint32_t *off) {
    if (t->keys_len + len > UINT32_MAX || reserve_keys(t, t->keys_len + len) != 0)
        return -1;
    memcpy(t->keys + t->keys_len, key, len);
    *off = (uint32_t)t->keys_len;
    t->keys_len += len;
    return 0;
}

int xlate_strtab_insert(xlate_strtab *t, const char *key, size_t len, uint32_t value) {
    if ((t->count + 1) * 2 > t->cap && grow_slots(t) != 0)
        return -1;
    xlate_strtab_slot s = {xlate_strtab_hash(key, len), 0, (uint32_t)len, value};
    if (len > UINT32_MAX || store_key(t, key, len, &s.key_off) != 0)
        return -1;
    place_slot(t->slots, t->cap, &s);
    t->count++;
    return 0;
}

void xlate_strtab_clear(xlate_strtab *t) {
    if (t->slots)
        memset(t->slots, 0, t->cap * sizeof *t->slots);
    t->count = 0;
    t->keys_len = 0;
}

void xlate_strtab_free(xlate_strtab *t) {
    free(t->slots);
    free(t->keys);
    *t = (xlate_strtab)XLATE_STRTAB_INIT;
}
