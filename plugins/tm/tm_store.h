/*
 * tm_store: the translation memory's SQLite database — one file holding the units of many
 * language pairs, shared by the `tm` plugin's instances (one connection each) and by the
 * `xlate-tm` tool, in parallel threads and processes (WAL, a busy timeout, writers taking the
 * lock before they read). Units are keyed by key.h's exact key within their pair; lookups go
 * exact, then repaired (the number key), then fuzzy (candidates from windex.h's word index,
 * fuzzy.h's score).
 *
 * Schema version 3 (PRAGMA user_version); versions 1 and 2 (text keys, an FTS5 word table) are
 * migrated when opened, in one transaction. Ownership: the caller owns the store and frees it with
 * xlate_tm_close; strings returned in matches are owned by the match array.
 */
#ifndef XLATE_TM_STORE_H
#define XLATE_TM_STORE_H

#include <stddef.h>

#define XLATE_TM_SCHEMA_VERSION 4

typedef struct xlate_tm_store xlate_tm_store;

/* Opens (creating when missing, with `create` nonzero) the database at `path`, and migrates an
 * older schema. Returns 0, or -1 with a message in err (always set on failure, NULL-safe to
 * close). *out is NULL on failure. */
int xlate_tm_open(const char *path, int create, xlate_tm_store **out, char *err, size_t err_size);
void xlate_tm_close(xlate_tm_store *s);

/* Why the store's last call failed. */
const char *xlate_tm_errmsg(const xlate_tm_store *s);

/* The id of a language pair (tags compared without case), created when `create` is nonzero.
 * Returns 0 with *id, 1 when the pair is not in the memory (and create is 0), -1 on error. */
int xlate_tm_pair(xlate_tm_store *s, const char *src, const char *tgt, int create, long long *id);

/* The pair a run's languages use: the exact pair (tags compared without case) when the memory
 * has it, else a pair whose tags have the same primary subtags (a run "en" → "uk" finds a
 * memory's "en-US" → "uk"): of several, the one with the most units, then the first in tag
 * order. Returns 0 with *id, the chosen pair written "SRC → TGT" to `chosen` and *matching the
 * number of pairs that matched (0 for the exact pair); 1 when none matches; -1 on error. */
int xlate_tm_pair_for(xlate_tm_store *s, const char *src, const char *tgt, long long *id,
                      char *chosen, size_t chosen_size, int *matching);

/* One write transaction: taken at begin (BEGIN IMMEDIATE, so that two writers wait for each
 * other instead of failing), ended by commit or rollback. */
int xlate_tm_begin(xlate_tm_store *s);
int xlate_tm_commit(xlate_tm_store *s);
void xlate_tm_rollback(xlate_tm_store *s);

/* A read transaction around many lookups: one snapshot, and the file's locks taken once rather
 * than once a lookup (each lookup otherwise takes its own). Returns 0 or -1. */
int xlate_tm_read_begin(xlate_tm_store *s);
void xlate_tm_read_end(xlate_tm_store *s);

/* What xlate_tm_put did. */
enum xlate_tm_put_result { XLATE_TM_ADDED = 1, XLATE_TM_UPDATED = 2, XLATE_TM_UNCHANGED = 3 };

/* Stores a unit in `pair`: a new key is added; a key the pair has gets the new target (and the
 * time and origin) when its target differs. `now` is seconds since 1970. Returns a
 * xlate_tm_put_result, or -1 on error. Call between begin and commit; a new unit is an exact
 * match at once, and a fuzzy one from the commit on (the commit indexes it). */
int xlate_tm_put(xlate_tm_store *s, long long pair, const char *source, size_t source_len,
                 const char *target, size_t target_len, const char *origin, long long now);

typedef enum xlate_tm_kind { XLATE_TM_EXACT = 1, XLATE_TM_REPAIRED = 2, XLATE_TM_FUZZY = 3 } xlate_tm_kind;

typedef struct xlate_tm_match {
    xlate_tm_kind kind;
    int score;        /* 100 exact, 99 repaired, threshold .. 99 fuzzy */
    char *source;     /* the memory's source */
    char *target;     /* the memory's target, repaired for XLATE_TM_REPAIRED */
    long long id;     /* the unit */
} xlate_tm_match;

typedef struct xlate_tm_query {
    int threshold;    /* lowest fuzzy score returned, 0..100 */
    int repair;       /* nonzero: look for a repaired match */
    size_t max;       /* at most this many matches */
} xlate_tm_query;

/* The best matches of `text` in `pair`, best first: an exact match alone when there is one
 * (nothing could be better), else a repaired one, then fuzzy ones of other units. *out is
 * malloc'd (free with xlate_tm_matches_free); *n may be 0. Returns 0 or -1. */
int xlate_tm_lookup(xlate_tm_store *s, long long pair, const char *text, size_t len,
                    const xlate_tm_query *q, xlate_tm_match **out, size_t *n);
void xlate_tm_matches_free(xlate_tm_match *m, size_t n);

/* Readies the connection for a large import: a page cache of 1 GB (the indexes' pages stay in
 * memory instead of being written again and again) and, when the memory has no units yet and no
 * other connection has it open, a rollback journal instead of WAL (each page written once); a
 * transaction begun on a memory with no units builds the key indexes from its rows at the commit.
 * xlate_tm_bulk_end (or xlate_tm_close) puts the file back in WAL. The transactions stay as
 * atomic: a killed import leaves a journal that the next open rolls back. Returns 0 or -1. */
int xlate_tm_bulk(xlate_tm_store *s);
int xlate_tm_bulk_end(xlate_tm_store *s);

/* Marks the units a run used (their ids) as used at `now`, in one write transaction of its own:
 * a repaired match prefers the unit used last. Returns 0 or -1. */
int xlate_tm_touch(xlate_tm_store *s, const long long *ids, size_t n, long long now);

/* Calls `each` for each pair with its unit count, in tag order. Returns 0 or -1. */
int xlate_tm_each_pair(xlate_tm_store *s,
                       int (*each)(void *data, long long id, const char *src, const char *tgt,
                                   long long units),
                       void *data);

/* Calls `each` for every unit of `pair` (0: of every pair), in the order they were added. A
 * nonzero return from `each` stops and is returned. Returns 0, or -1 on a database error. */
int xlate_tm_each_unit(xlate_tm_store *s, long long pair,
                       int (*each)(void *data, const char *src_lang, const char *tgt_lang,
                                   const char *source, const char *target, const char *origin,
                                   long long created, long long used),
                       void *data);

#endif
