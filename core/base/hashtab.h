/*
 * hashtab: core's one hash table and one hash function. A map from byte strings (a path, a
 * journal key, an 8 KB character bitmap) to pointers, open addressing over a power-of-two array.
 * Used by batch (output names taken, the journal under --resume, the shard of a path) and by
 * srx_shape (bitmaps shared between rules). Knows nothing of what it holds.
 */
#ifndef XLATE_CORE_HASHTAB_H
#define XLATE_CORE_HASHTAB_H

#include "error.h" /* XLATE_MUST_CHECK */

#include <stddef.h>
#include <stdint.h>

/* 64-bit FNV-1a of len bytes: stable across machines and releases (batch's shards rely on it). */
uint64_t xlate_hash(const void *data, size_t len);

typedef struct xlate_hashtab xlate_hashtab;

/* One key and its value. The table owns the key (a copy, NUL-terminated, aligned for any word
 * type) and keeps the entry at one address for the table's life, so a caller may hold `key`. */
typedef struct xlate_hashtab_entry {
    void *value;
    size_t key_len;
    uint64_t hash;
    unsigned char key[]; /* key_len bytes and a NUL */
} xlate_hashtab_entry;

/* A new, empty table. `free_value`, when not NULL, is called on every value when the table is
 * freed: the table owns its values then. Returns 0, or -1 when out of memory. */
XLATE_MUST_CHECK int xlate_hashtab_new(void (*free_value)(void *), xlate_hashtab **out);

/* The same with the table's own hash function, for keys that xlate_hash reads too slowly, a
 * byte at a time (8 KB bitmaps). Every add and find of the table uses it. */
XLATE_MUST_CHECK int xlate_hashtab_new_hashed(void (*free_value)(void *),
                                              uint64_t (*hash)(const void *data, size_t len),
                                              xlate_hashtab **out);

void xlate_hashtab_free(xlate_hashtab *t);

/* The entry of `key`, adding key → value when there is none. Returns 0 when added, 1 when the key
 * was there (its value is left as it was; *entry lets the caller replace it), -1 when out of
 * memory (nothing added, `value` not taken). `entry` may be NULL. */
XLATE_MUST_CHECK int xlate_hashtab_add(xlate_hashtab *t, const void *key, size_t len, void *value,
                                       xlate_hashtab_entry **entry);

/* The entry of `key`, or NULL. */
xlate_hashtab_entry *xlate_hashtab_find(const xlate_hashtab *t, const void *key, size_t len);

size_t xlate_hashtab_count(const xlate_hashtab *t);

#endif
