/*
 * hashtab: core's hash table (see hashtab.h). Linear probing over an array of entry pointers kept
 * at most half full; entries are allocated one by one so that they never move when it grows.
 */
#include "hashtab.h"

#include <stdlib.h>
#include <string.h>

struct xlate_hashtab {
    xlate_hashtab_entry **slots;
    size_t cap, n; /* cap: 0 or a power of two */
    void (*free_value)(void *);
    uint64_t (*hash)(const void *data, size_t len);
};

uint64_t xlate_hash(const void *data, size_t len) {
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

int xlate_hashtab_new_hashed(void (*free_value)(void *),
                             uint64_t (*hash)(const void *data, size_t len), xlate_hashtab **out) {
    *out = calloc(1, sizeof **out);
    if (!*out)
        return -1;
    (*out)->free_value = free_value;
    (*out)->hash = hash;
    return 0;
}

int xlate_hashtab_new(void (*free_value)(void *), xlate_hashtab **out) {
    return xlate_hashtab_new_hashed(free_value, xlate_hash, out);
}

void xlate_hashtab_free(xlate_hashtab *t) {
    if (!t)
        return;
    for (size_t i = 0; i < t->cap; i++) {
        if (t->slots[i] && t->free_value)
            t->free_value(t->slots[i]->value);
        free(t->slots[i]);
    }
    free(t->slots);
    free(t);
}

static size_t probe(xlate_hashtab_entry *const *slots, size_t cap, uint64_t hash, const void *key,
                    size_t len) {
    size_t i = (size_t)hash & (cap - 1);
    for (; slots[i]; i = (i + 1) & (cap - 1))
        if (slots[i]->hash == hash && slots[i]->key_len == len &&
            memcmp(slots[i]->key, key, len) == 0)
            break;
    return i;
}

static int grow(xlate_hashtab *t) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    xlate_hashtab_entry **slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < t->cap; i++) {
        xlate_hashtab_entry *e = t->slots[i];
        if (e)
            slots[probe(slots, cap, e->hash, e->key, e->key_len)] = e;
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return 0;
}

xlate_hashtab_entry *xlate_hashtab_find(const xlate_hashtab *t, const void *key, size_t len) {
    if (!t->cap)
        return NULL;
    return t->slots[probe(t->slots, t->cap, t->hash(key, len), key, len)];
}

int xlate_hashtab_add(xlate_hashtab *t, const void *key, size_t len, void *value,
                      xlate_hashtab_entry **entry) {
    uint64_t hash = t->hash(key, len);
    size_t i;
    if (2 * (t->n + 1) > t->cap && grow(t) != 0)
        return -1;
    i = probe(t->slots, t->cap, hash, key, len);
    if (t->slots[i]) {
        if (entry)
            *entry = t->slots[i];
        return 1;
    }
    /* the header is a multiple of 8 bytes, so the key that follows is aligned for words */
    xlate_hashtab_entry *e = malloc(sizeof *e + len + 1);
    if (!e)
        return -1;
    e->value = value;
    e->key_len = len;
    e->hash = hash;
    memcpy(e->key, key, len);
    e->key[len] = '\0';
    t->slots[i] = e;
    t->n++;
    if (entry)
        *entry = e;
    return 0;
}

size_t xlate_hashtab_count(const xlate_hashtab *t) {
    return t->n;
}
