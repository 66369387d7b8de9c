/*
 * strtab: a hash table from byte strings to 32-bit values, with the keys kept in the table.
 * Used by the glossary plugin for its stem interning and its word → stems cache; it knows
 * nothing about text. Open addressing with linear probing; grows by doubling.
 */
#ifndef XLATE_GLOSSARY_STRTAB_H
#define XLATE_GLOSSARY_STRTAB_H

#include "xp_buf.h" /* XP_MUST_CHECK */

#include <stddef.h>
#include <stdint.h>

typedef struct xlate_strtab_slot {
    uint64_t hash;    /* 0 marks an empty slot */
    uint32_t key_off; /* offset of the key in `keys` */
    uint32_t key_len;
    uint32_t value;
} xlate_strtab_slot;

typedef struct xlate_strtab {
    xlate_strtab_slot *slots;
    size_t cap;  /* a power of two, or 0 */
    size_t count;
    char *keys;  /* all keys, back to back */
    size_t keys_len, keys_cap;
} xlate_strtab;

#define XLATE_STRTAB_INIT {NULL, 0, 0, NULL, 0, 0}

/* Looks key up; returns 1 and sets *value when present, 0 when absent. */
XP_MUST_CHECK int xlate_strtab_find(const xlate_strtab *t, const char *key, size_t len, uint32_t *value);

/* The same with the key's xlate_strtab_hash already at hand. */
XP_MUST_CHECK int xlate_strtab_find_hashed(const xlate_strtab *t, const char *key, size_t len,
                                           uint64_t hash, uint32_t *value);

/* Starts loading the slot a lookup of a key with this hash begins at, so that lookups of many
 * keys known in advance (the words of a text) wait for memory side by side, not one by one. */
static inline void xlate_strtab_prefetch(const xlate_strtab *t, uint64_t hash) {
    if (t->cap)
        __builtin_prefetch(&t->slots[(size_t)hash & (t->cap - 1)]);
}

/* Adds key → value (the key must be absent). Returns 0, or -1 when out of memory or when the
 * key store would pass 4 GiB. */
XP_MUST_CHECK int xlate_strtab_insert(xlate_strtab *t, const char *key, size_t len, uint32_t value);

/* Makes room for `keys` more keys of `key_bytes` bytes in all, so that adding a number of keys
 * known in advance (a cache entry's) sizes the table once instead of growing it step by step.
 * Returns 0, or -1 when out of memory or past 4 GiB of keys. */
XP_MUST_CHECK int xlate_strtab_reserve(xlate_strtab *t, size_t keys, size_t key_bytes);

/* calloc for a table whose every page is about to be written (a hash table, a bitmap): the pages
 * of a large one are made writable at once. Otherwise each is mapped to the kernel's zero page
 * when first read and copied when first written, and that copy makes the kernel flush the TLBs
 * of the cores running the process's other threads, as a batch's workers do while their
 * glossaries restore their dictionary focus (-j 2 over 10,000 news items: page faults fell from
 * 6.5% of the CPU samples to 3.3%). Free it with free(). */
void *xlate_strtab_zalloc(size_t n, size_t size);

/* Number of keys; bytes held by the keys. */
static inline size_t xlate_strtab_count(const xlate_strtab *t) { return t->count; }
static inline size_t xlate_strtab_key_bytes(const xlate_strtab *t) { return t->keys_len; }

/* The table's hash of a byte string (never 0): also the glossary's checksum of its cache files,
 * where it guards against damage, not against forgery. */
uint64_t xlate_strtab_hash(const char *key, size_t len);

/* Forgets every key, keeping the memory. */
void xlate_strtab_clear(xlate_strtab *t);

void xlate_strtab_free(xlate_strtab *t);

#endif
