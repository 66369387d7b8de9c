/*
 * tm_store: the SQLite translation memory (see tm_store.h). Every statement is prepared once per
 * connection. A unit's text is stored once: the exact key and the number key are indexed as
 * 64-bit hashes, and a hit is confirmed on the key recomputed from the stored source, so that a
 * collision never makes a match. Fuzzy candidates come from windex.h's prefix filter: postings
 * (token -> units, with each unit's word count for the length filter) kept as blobs of
 * delta-coded unit ids, one row per token and write transaction. Each unit's word hashes are
 * stored beside it, so that a commit indexes the transaction's new units from them (sorted
 * postings, inserted in token order) and verifying a candidate reads one small row and
 * tokenizes nothing. The index's word order comes from word counts frozen in tm_rank; when the
 * memory has doubled since they were counted, a commit counts again and rebuilds the postings
 * (so the cost stays linear in the units added), and bumps the ranking's generation, which
 * every connection checks before it uses its copy of the counts. Before a candidate's words are
 * read (a random page each), its word signature (tm_sig, 16 bytes a unit, kept in memory once
 * read) bounds the words it can share with the query, and drops most candidates the index
 * finds (schema 4; a schema 3 file gets its signatures computed when opened).
 */
#include "tm_store.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzy.h"
#include "key.h"
#include "windex.h"

/* How long a connection waits for another's write lock before it gives up. */
#define BUSY_TIMEOUT_MS 60000
/* Postings gathered in memory before they are written (24 bytes each). */
#define POSTINGS_BUFFERED (4u << 20)
/* The words are counted again (and the postings rebuilt) when the memory has this many units
 * and twice as many as when they were last counted. */
#define RANK_MIN_UNITS 64
/* Counts below this are not stored: such words are rare, ordered as words never counted. */
#define RANK_MIN_COUNT 2
/* The page cache of a connection that reads (KiB; SQLite's own default). Lookups touch pages
 * at random, each once or twice: a larger cache only grows the heap, and each fresh page of heap
 * costs a page fault that (measured on a 1,000,000-unit memory) costs more than the read, while
 * a full cache reuses its buffers. A write transaction gets WRITE_CACHE_KIB, so that the pages
 * it changes stay in memory until its commit; an import (xlate_tm_bulk) more. */
#define READ_CACHE_KIB 1024
#define WRITE_CACHE_KIB 65536
#define BULK_CACHE_KIB 1048576

#define STR(x) #x
#define XSTR(x) STR(x)

enum stmt_id {
    ST_PAIR_GET, ST_PAIR_ADD, ST_PAIRS, ST_UNIT_BY_KEY, ST_UNIT_ADD, ST_UNIT_UPDATE, ST_WORDS_ADD,
    ST_POST_ADD, ST_BY_NKEY, ST_POSTINGS, ST_WORDS_GET, ST_UNIT_GET, ST_SCAN, ST_TOUCH, ST_INFO_GET,
    ST_INFO_SET, ST_MAX_ID, ST_WORDS_SINCE, ST_RANKS, ST_RANK_ADD, ST_BEGIN, ST_BEGIN_READ,
    ST_COMMIT, ST_ROLLBACK, ST_SIG_GET, ST_SIG_PUT, ST_WORDS_ONLY_SINCE, ST_UNIT_BY_ID,
    ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
    [ST_PAIR_GET] = "SELECT id FROM tm_pair WHERE src = lower(?1) AND tgt = lower(?2)",
    [ST_PAIR_ADD] = "INSERT INTO tm_pair(src, tgt) VALUES (lower(?1), lower(?2))",
    [ST_PAIRS] = "SELECT p.id, p.src, p.tgt, (SELECT count(*) FROM tm_unit u WHERE u.pair = p.id) "
                 "FROM tm_pair p ORDER BY p.src, p.tgt",
    [ST_UNIT_BY_KEY] = "SELECT id, source, target FROM tm_unit WHERE pair = ?1 AND khash = ?2",
    [ST_UNIT_ADD] = "INSERT INTO tm_unit(pair, source, target, khash, nhash, created, used, origin) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
    [ST_UNIT_UPDATE] = "UPDATE tm_unit SET source = ?2, target = ?3, used = ?4, origin = ?5 "
                       "WHERE id = ?1",
    [ST_WORDS_ADD] = "INSERT INTO tm_words(unit, words) VALUES (?1, ?2)",
    [ST_POST_ADD] = "INSERT INTO tm_post(tok, first, units) VALUES (?1, ?2, ?3)",
    [ST_BY_NKEY] = "SELECT id, source, target FROM tm_unit WHERE pair = ?1 AND nhash = ?2 "
                   "ORDER BY used DESC LIMIT 8",
    [ST_POSTINGS] = "SELECT units FROM tm_post WHERE tok = ?1",
    [ST_WORDS_GET] = "SELECT words FROM tm_words WHERE unit = ?1",
    [ST_UNIT_GET] = "SELECT pair, source, target FROM tm_unit WHERE id = ?1",
    [ST_SCAN] = "SELECT w.unit, w.words FROM tm_unit u JOIN tm_words w ON w.unit = u.id "
                "WHERE u.pair = ?1",
    [ST_TOUCH] = "UPDATE tm_unit SET used = ?2 WHERE id = ?1 AND used < ?2",
    [ST_INFO_GET] = "SELECT value FROM tm_info WHERE name = ?1",
    [ST_INFO_SET] = "INSERT OR REPLACE INTO tm_info(name, value) VALUES (?1, ?2)",
    [ST_MAX_ID] = "SELECT coalesce(max(id), 0) FROM tm_unit",
    [ST_WORDS_SINCE] = "SELECT w.unit, u.pair, w.words FROM tm_words w JOIN tm_unit u ON u.id = w.unit "
                       "WHERE w.unit > ?1 ORDER BY w.unit",
    [ST_RANKS] = "SELECT word, df FROM tm_rank",
    [ST_RANK_ADD] = "INSERT INTO tm_rank(word, df) VALUES (?1, ?2)",
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_BEGIN_READ] = "BEGIN",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_SIG_GET] = "SELECT sigs FROM tm_sig WHERE block = ?1",
    [ST_SIG_PUT] = "INSERT OR REPLACE INTO tm_sig(block, sigs) VALUES (?1, ?2)",
    [ST_WORDS_ONLY_SINCE] = "SELECT unit, words FROM tm_words WHERE unit > ?1 ORDER BY unit",
    [ST_UNIT_BY_ID] = "SELECT id, source, target FROM tm_unit WHERE id = ?1",
};

/* A posting waiting for the end of its transaction. */
typedef struct posting {
    uint64_t tok;
    long long unit;
    uint32_t nwords;   /* the unit's word count: the length filter reads it from the posting */
} posting;

typedef struct posting_buf {
    posting *p, *tmp;   /* tmp: the sort's second buffer, kept for the next flush */
    size_t n, cap, tmp_cap;
} posting_buf;

/* The units an import into an empty memory added, by their exact key's hash: while the key
 * indexes are built only at the commit (see xlate_tm_begin), the import finds a repeated key
 * here. Open addressing (unit 0 marks an empty slot); a pair holds one unit per key, so of
 * the units under one hash at most one is the key's, whatever their order. */
typedef struct key_slot {
    uint64_t khash;
    long long pair, unit;
} key_slot;

typedef struct key_map {
    key_slot *v;
    size_t cap, n;
} key_map;

/* Word hash -> count, open addressing (key 0 is kept apart: it marks an empty slot). */
typedef struct count_map {
    uint32_t *key, *val;
    size_t cap, n;
    uint32_t zero;      /* the count of the word hashed 0 */
} count_map;

/* Units found under the query's tokens, with how many of them each holds. */
typedef struct hit {
    long long unit;    /* 0: an empty slot */
    uint32_t nwords;
    uint32_t hits;
} hit;

typedef struct hit_map {
    hit *v;
    size_t cap, n;
    uint32_t *used;    /* the n slots in use, so that clearing and reading cost n, not cap */
} hit_map;

/* Word signatures (tm_sig): each unit's words as a 128-bit set (bit h % 128 of each word hash
 * h), SIG_BLOCK units to a row. A query word whose bit a unit's set lacks is not one of its
 * words, so the query words whose bits are set bound the words they share from above: a
 * candidate whose bound is below what the threshold needs is dropped before its words are read
 * (a random page each), and the blocks, 16 bytes a unit, stay in memory. A set of zero (a unit
 * without words, or one added after its block was read) drops nothing. */
/* 128 units: a block's 2,048 bytes fit in a 4 KiB page, so reading one is one page and no copy
 * (a 4,096-byte block took overflow pages and a buffer for SQLite to join them in, whose fresh
 * memory faulted on every block). */
#define SIG_BLOCK 128
typedef struct sig_block {
    uint64_t v[SIG_BLOCK][2];
} sig_block;

struct xlate_tm_store {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
    posting_buf post;        /* postings being gathered, not yet written */
    count_map rank;          /* the frozen word counts of the index's order */
    long long rank_gen;      /* their generation (-1: not loaded) */
    long long txn_from;      /* the largest unit id when the write transaction began */
    uint32_t *work;          /* the distance's rows, reused */
    hit_map hits;            /* a fuzzy lookup's units found, reused: cleared, not freed */
    sig_block *sig;          /* the units' word signatures, by block, as read so far */
    uint8_t *sig_read;       /* per block: read (1) or not yet (0) */
    size_t sig_cap;          /* blocks room was made for */
    int bulk;                /* xlate_tm_bulk: the import's cache stays for every transaction */
    int rollback_journal;    /* xlate_tm_bulk switched an empty memory out of WAL */
    size_t work_cap;
    /* A put's key, words and word hashes, reused from unit to unit (an import stores millions) */
    char *key;
    size_t key_cap;
    xlate_tm_word *words;
    size_t words_cap;
    uint32_t *hashes;
    size_t hashes_cap;
    int keys_deferred;       /* this transaction builds tm_unit_key and tm_unit_nkey at its commit */
    key_map keys;            /* then: the units it added, by key hash */
    char err[512];
};

static void set_err(xlate_tm_store *s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
}

static int db_fail(xlate_tm_store *s, const char *what) {
    set_err(s, "%s: %s", what, sqlite3_errmsg(s->db));
    return -1;
}

const char *xlate_tm_errmsg(const xlate_tm_store *s) { return s->err; }

/* The key indexes, which an import into an empty memory builds after its rows. */
#define KEY_INDEXES \
    "CREATE INDEX tm_unit_key ON tm_unit(pair, khash);" \
    "CREATE INDEX tm_unit_nkey ON tm_unit(pair, nhash) WHERE nhash IS NOT NULL;"

/* Schema 3. Units hold their text once; keys are hashes (see the top of this file). The
 * number key's hash is kept only for units with a number: the others are never repaired. */
static const char schema_pairs[] =
    "CREATE TABLE tm_pair(id INTEGER PRIMARY KEY, src TEXT NOT NULL, tgt TEXT NOT NULL,"
    " UNIQUE(src, tgt));";
static const char schema_v3[] =
    "CREATE TABLE tm_unit(id INTEGER PRIMARY KEY, pair INTEGER NOT NULL REFERENCES tm_pair(id),"
    " source TEXT NOT NULL, target TEXT NOT NULL, khash INTEGER NOT NULL, nhash INTEGER,"
    " created INTEGER NOT NULL, used INTEGER NOT NULL, origin TEXT NOT NULL);"
    KEY_INDEXES
    "CREATE TABLE tm_words(unit INTEGER PRIMARY KEY, words BLOB NOT NULL);"
    "CREATE TABLE tm_post(tok INTEGER NOT NULL, first INTEGER NOT NULL, units BLOB NOT NULL,"
    " PRIMARY KEY(tok, first)) WITHOUT ROWID;"
    "CREATE TABLE tm_rank(word INTEGER PRIMARY KEY, df INTEGER NOT NULL);"
    "CREATE TABLE tm_info(name TEXT PRIMARY KEY, value INTEGER NOT NULL);";
/* Schema 4 adds the word signatures (see sig_block). */
static const char schema_v4[] = "CREATE TABLE tm_sig(block INTEGER PRIMARY KEY, sigs BLOB NOT NULL);";

/* Versions 1 and 2 (text keys in a unique index, version 2 an FTS5 word table): their units
 * are moved aside, the new tables made, and every unit stored again with its id. */
static const char migrate_v3_aside[] =
    "DROP INDEX IF EXISTS tm_unit_nkey;"
    "DROP TABLE IF EXISTS tm_words;"
    "ALTER TABLE tm_unit RENAME TO tm_unit_v2;";

static int exec(xlate_tm_store *s, const char *sql, const char *what) {
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        set_err(s, "%s: %s", what, msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int add_unit(xlate_tm_store *s, long long id, long long pair, const char *source,
                    size_t source_len, const char *target, size_t target_len, const char *key,
                    size_t key_len, long long created, long long used, const char *origin);
static int index_since(xlate_tm_store *s, long long from);
static int prepare_all(xlate_tm_store *s);
static int sig_since(xlate_tm_store *s, long long from);
static void sig_forget(xlate_tm_store *s);
static int run(xlate_tm_store *s, enum stmt_id id, const char *what);
static int cache_for(xlate_tm_store *s, int writing);

/* Stores again, with their ids, the units of a version 1 or 2 database. */
static int fill_v3(xlate_tm_store *s) {
    sqlite3_stmt *all = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(s->db, "SELECT id, pair, source, target, created, used, origin "
                           "FROM tm_unit_v2 ORDER BY id", -1, &all, NULL) != SQLITE_OK) {
        db_fail(s, "migrating to schema 3");
        return -1;
    }
    int step;
    while ((step = sqlite3_step(all)) == SQLITE_ROW) {
        const char *src = (const char *)sqlite3_column_text(all, 2);
        size_t src_len = (size_t)sqlite3_column_bytes(all, 2), key_len;
        char *key = xlate_tm_key(src, src_len, &key_len);
        if (!key) {
            set_err(s, "out of memory");
            goto done;
        }
        int added = add_unit(s, sqlite3_column_int64(all, 0), sqlite3_column_int64(all, 1), src,
                             src_len, (const char *)sqlite3_column_text(all, 3),
                             (size_t)sqlite3_column_bytes(all, 3), key, key_len,
                             sqlite3_column_int64(all, 4), sqlite3_column_int64(all, 5),
                             (const char *)sqlite3_column_text(all, 6));
        free(key);
        if (added != 0)
            goto done;
    }
    if (step != SQLITE_DONE) {
        db_fail(s, "migrating to schema 3");
        goto done;
    }
    rc = index_since(s, 0);
done:
    sqlite3_finalize(all);
    return rc;
}

static int user_version(xlate_tm_store *s, int *version, int *tables) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return db_fail(s, "reading the schema version");
    }
    *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return db_fail(s, "reading the schema");
    }
    *tables = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return 0;
}

/* Brings the schema to XLATE_TM_SCHEMA_VERSION in one transaction, so that a migration that
 * fails (or is killed) leaves the older version whole. */
static int migrate(xlate_tm_store *s, const char *path) {
    if (exec(s, "BEGIN IMMEDIATE", "locking the database for its schema") != 0)
        return -1;
    int version, tables;
    if (user_version(s, &version, &tables) != 0)
        goto fail;
    if (version > XLATE_TM_SCHEMA_VERSION) {
        set_err(s, "%s has translation memory schema %d, newer than this xlate knows (%d): use "
                "the xlate that wrote it", path, version, XLATE_TM_SCHEMA_VERSION);
        goto fail;
    }
    if (version == 0 && tables > 0) {
        set_err(s, "%s is an SQLite database but not a translation memory (it has tables and no "
                "schema version): give another file", path);
        goto fail;
    }
    if (version == 0 && (exec(s, schema_pairs, "creating the schema") != 0 ||
                         exec(s, schema_v3, "creating the schema") != 0 ||
                         exec(s, schema_v4, "creating the schema") != 0))
        goto fail;
    /* Versions 1 and 2 go through 3: their units stored again (fill_v3 writes no signatures:
     * the step to 4 does, from the stored words). */
    if (version > 0 && version < 3 &&
        (exec(s, migrate_v3_aside, "migrating to schema 3") != 0 ||
         exec(s, schema_v3, "migrating to schema 3") != 0))
        goto fail;
    if (version > 0 && version < 4 &&
        (exec(s, schema_v4, "migrating to schema 4") != 0 || prepare_all(s) != 0))
        goto fail;
    if (version > 0 && version < 3 &&
        (fill_v3(s) != 0 || exec(s, "DROP TABLE tm_unit_v2", "migrating to schema 3") != 0))
        goto fail;
    if (version > 0 && version < 4 && sig_since(s, 0) != 0)
        goto fail;
    if (version < XLATE_TM_SCHEMA_VERSION) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", XLATE_TM_SCHEMA_VERSION);
        if (exec(s, sql, "writing the schema version") != 0)
            goto fail;
    }
    return exec(s, "COMMIT", "writing the schema");
fail:
    s->post.n = 0;
    s->rank_gen = -1;
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    sig_forget(s);
    return -1;
}

/* Switches the file to WAL (it stays so: the mode is kept in the file). Workers that open a new
 * memory at the same moment race to switch it, and SQLite answers the loser "locked" at once,
 * without its busy handler: try again until the switch is made or the busy timeout has passed. */
static int to_wal(xlate_tm_store *s) {
    int rc = SQLITE_BUSY;
    for (int waited = 0; waited <= BUSY_TIMEOUT_MS; waited += 10) {
        rc = sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
            break;
        sqlite3_sleep(10);
    }
    return rc;
}

int xlate_tm_open(const char *path, int create, xlate_tm_store **out, char *err, size_t err_size) {
    *out = NULL;
    xlate_tm_store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    s->rank_gen = -1;
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "cannot open %s: %s%s", path, s->db ? sqlite3_errmsg(s->db) : "out of memory",
                 create ? "" : " (create it with xlate tm import)");
        xlate_tm_close(s);
        return -1;
    }
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    int rc = to_wal(s);
    if (rc != SQLITE_OK) {
        snprintf(err, err_size, "%s: switching the memory to WAL: %s", path, sqlite3_errmsg(s->db));
        xlate_tm_close(s);
        return -1;
    }
    /* WAL lets readers go on while one writer learns; NORMAL sync is durable across a killed
     * process (not across a power cut in the last transaction), the usual WAL trade-off. */
    /* Not memory-mapped: measured on a 1,000,000-unit memory, a lookup process faulting each
     * mapped page in costs more than SQLite reading the pages into its own cache. */
    /* The write transaction's cache for a migration; then the reading one. */
    if (exec(s, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -"
             XSTR(WRITE_CACHE_KIB), "setting up the connection") != 0 ||
        migrate(s, path) != 0) {
        snprintf(err, err_size, "%s: %s", path, s->err);
        xlate_tm_close(s);
        return -1;
    }
    if (prepare_all(s) != 0 || cache_for(s, 0) != 0) {
        snprintf(err, err_size, "%s: %s", path, s->err);
        xlate_tm_close(s);
        return -1;
    }
    *out = s;
    return 0;
}

static int prepare_all(xlate_tm_store *s) {
    for (int i = 0; i < ST_COUNT; i++)
        if (!s->st[i] && sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                                            &s->st[i], NULL) != SQLITE_OK)
            return db_fail(s, "preparing a statement");
    return 0;
}

void xlate_tm_close(xlate_tm_store *s) {
    if (!s)
        return;
    if (s->rollback_journal)
        (void)xlate_tm_bulk_end(s);
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    sqlite3_close(s->db);
    free(s->post.p);
    free(s->post.tmp);
    free(s->rank.key);
    free(s->rank.val);
    free(s->work);
    free(s->hits.v);
    free(s->hits.used);
    free(s->sig);
    free(s->sig_read);
    free(s->key);
    free(s->words);
    free(s->hashes);
    free(s->keys.v);
    free(s);
}

static sqlite3_stmt *stmt(xlate_tm_store *s, enum stmt_id id) {
    sqlite3_stmt *st = s->st[id];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

int xlate_tm_pair(xlate_tm_store *s, const char *src, const char *tgt, int create, long long *id) {
    sqlite3_stmt *st = stmt(s, ST_PAIR_GET);
    sqlite3_bind_text(st, 1, src, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, tgt, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        return 0;
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return db_fail(s, "reading the language pairs");
    if (!create)
        return 1;
    st = stmt(s, ST_PAIR_ADD);
    sqlite3_bind_text(st, 1, src, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, tgt, -1, SQLITE_STATIC);
    step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return db_fail(s, "adding a language pair");
    *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

static int run(xlate_tm_store *s, enum stmt_id id, const char *what) {
    sqlite3_stmt *st = stmt(s, id);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? 0 : db_fail(s, what);
}

/* The length of a tag's primary subtag ("en" of "en-US"). */
static size_t primary_len(const char *tag) {
    size_t n = 0;
    while (tag[n] && tag[n] != '-' && tag[n] != '_')
        n++;
    return n;
}

static int same_primary(const char *a, const char *b) {
    size_t n = primary_len(a);
    return n == primary_len(b) && sqlite3_strnicmp(a, b, (int)n) == 0;
}

int xlate_tm_pair_for(xlate_tm_store *s, const char *src, const char *tgt, long long *id,
                      char *chosen, size_t chosen_size, int *matching) {
    *matching = 0;
    int rc = xlate_tm_pair(s, src, tgt, 0, id);
    if (rc != 1) {
        if (rc == 0)
            snprintf(chosen, chosen_size, "%s → %s", src, tgt);
        return rc;
    }
    sqlite3_stmt *st = stmt(s, ST_PAIRS);
    long long best_units = -1;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *ps = (const char *)sqlite3_column_text(st, 1);
        const char *pt = (const char *)sqlite3_column_text(st, 2);
        if (!same_primary(src, ps) || !same_primary(tgt, pt))
            continue;
        (*matching)++;
        long long units = sqlite3_column_int64(st, 3);
        if (units > best_units) {  /* rows come in tag order: the first of equals stays */
            best_units = units;
            *id = sqlite3_column_int64(st, 0);
            snprintf(chosen, chosen_size, "%s → %s", ps, pt);
        }
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return db_fail(s, "reading the language pairs");
    return *matching ? 0 : 1;
}

static int read_int(xlate_tm_store *s, sqlite3_stmt *st, long long *v, const char *what) {
    int step = sqlite3_step(st);
    *v = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_fail(s, what);
}

static int info_get(xlate_tm_store *s, const char *name, long long *v) {
    sqlite3_stmt *st = stmt(s, ST_INFO_GET);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    return read_int(s, st, v, "reading the memory's state");
}

static int info_set(xlate_tm_store *s, const char *name, long long v) {
    sqlite3_stmt *st = stmt(s, ST_INFO_SET);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, v);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? 0 : db_fail(s, "writing the memory's state");
}

/* The page cache for what the connection does next: see READ_CACHE_KIB. Not a prepared
 * statement: SQLite sets a cache size when it compiles the pragma, not when it runs it. */
static int cache_for(xlate_tm_store *s, int writing) {
    return exec(s, s->bulk ? "PRAGMA cache_size = -" XSTR(BULK_CACHE_KIB)
                   : writing ? "PRAGMA cache_size = -" XSTR(WRITE_CACHE_KIB)
                   : "PRAGMA cache_size = -" XSTR(READ_CACHE_KIB), "sizing the page cache");
}

static void keys_forget(xlate_tm_store *s) {
    s->keys_deferred = 0;
    if (s->keys.v)
        memset(s->keys.v, 0, s->keys.cap * sizeof *s->keys.v);
    s->keys.n = 0;
}

static size_t key_slot_of(const key_map *m, uint64_t khash) {
    return (size_t)(khash ^ (khash >> 29)) & (m->cap - 1);
}

static int keys_add(xlate_tm_store *s, uint64_t khash, long long pair, long long unit) {
    key_map *m = &s->keys;
    if (2 * (m->n + 1) > m->cap) {
        key_map grown = {.cap = m->cap ? 2 * m->cap : 1u << 16};
        grown.v = calloc(grown.cap, sizeof *grown.v);
        if (!grown.v) {
            set_err(s, "out of memory");
            return -1;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->v[i].unit) {
                size_t j = key_slot_of(&grown, m->v[i].khash);
                while (grown.v[j].unit)
                    j = (j + 1) & (grown.cap - 1);
                grown.v[j] = m->v[i];
            }
        free(m->v);
        grown.n = m->n;
        *m = grown;
    }
    size_t j = key_slot_of(m, khash);
    while (m->v[j].unit)
        j = (j + 1) & (m->cap - 1);
    m->v[j] = (key_slot){.khash = khash, .pair = pair, .unit = unit};
    m->n++;
    return 0;
}

int xlate_tm_begin(xlate_tm_store *s) {
    s->post.n = 0;
    keys_forget(s);
    if (cache_for(s, 1) != 0 || run(s, ST_BEGIN, "starting a transaction") != 0)
        return -1;
    if (read_int(s, stmt(s, ST_MAX_ID), &s->txn_from, "reading the units") != 0) {
        xlate_tm_rollback(s);
        return -1;
    }
    /* An import into an empty memory: a million index inserts at random places cost more than
     * building the two key indexes from the rows at the commit (one sort each), in the same
     * transaction, so that a rollback or a killed import leaves them as they were. */
    if (s->bulk && s->txn_from == 0) {
        if (exec(s, "DROP INDEX tm_unit_key; DROP INDEX tm_unit_nkey;", "starting the import") != 0) {
            xlate_tm_rollback(s);
            return -1;
        }
        s->keys_deferred = 1;
    }
    return 0;
}

int xlate_tm_read_begin(xlate_tm_store *s) {
    return sqlite3_get_autocommit(s->db) ? run(s, ST_BEGIN_READ, "starting a read transaction") : 0;
}

void xlate_tm_read_end(xlate_tm_store *s) {
    if (!sqlite3_get_autocommit(s->db))
        (void)run(s, ST_COMMIT, "ending a read transaction");
}

int xlate_tm_commit(xlate_tm_store *s) {
    if (s->keys_deferred && exec(s, KEY_INDEXES, "indexing the keys") != 0)
        return -1;
    keys_forget(s);
    if (index_since(s, s->txn_from) != 0 || run(s, ST_COMMIT, "committing") != 0)
        return -1;
    return cache_for(s, 0);
}

void xlate_tm_rollback(xlate_tm_store *s) {
    s->post.n = 0;
    keys_forget(s);    /* the rollback puts the key indexes back */
    s->rank_gen = -1;  /* a ranking the transaction wrote is gone: read it again */
    sig_forget(s);     /* so are its units, whose ids the next ones take */
    if (!sqlite3_get_autocommit(s->db))
        (void)run(s, ST_ROLLBACK, "rolling back");
    (void)cache_for(s, 0);
}

/* --- word signatures ---------------------------------------------------------------------- */

static void sig_of(const uint32_t *w, size_t n, uint64_t sig[2]) {
    sig[0] = sig[1] = 0;
    for (size_t i = 0; i < n; i++)
        sig[(w[i] >> 6) & 1] |= 1ull << (w[i] & 63);
}

/* The query words whose bits `sig` has: at least the words the two share. */
static size_t sig_bound(const uint32_t *w, size_t n, const uint64_t sig[2]) {
    size_t in = 0;
    for (size_t i = 0; i < n; i++)
        in += (sig[(w[i] >> 6) & 1] >> (w[i] & 63)) & 1;
    return in;
}

static void sig_forget(xlate_tm_store *s) {
    if (s->sig_cap)
        memset(s->sig_read, 0, s->sig_cap);
}

/* Block b of the signatures, read when first asked for (all zero when the memory has none). The
 * blocks live in one array, grown by doubling: a block of its own each would be fresh memory,
 * and a page fault, for every block read. */
static const sig_block *sig_get(xlate_tm_store *s, long long b) {
    if ((size_t)b >= s->sig_cap) {
        size_t cap = s->sig_cap ? s->sig_cap : 64;
        while (cap <= (size_t)b)
            cap *= 2;
        sig_block *grown = realloc(s->sig, cap * sizeof *grown);
        if (!grown)
            return NULL;
        s->sig = grown;
        uint8_t *read = realloc(s->sig_read, cap);
        if (!read)
            return NULL;
        memset(read + s->sig_cap, 0, cap - s->sig_cap);
        s->sig_read = read;
        s->sig_cap = cap;
    }
    sig_block *blk = &s->sig[b];
    if (s->sig_read[b])
        return blk;
    sqlite3_stmt *st = stmt(s, ST_SIG_GET);
    sqlite3_bind_int64(st, 1, b);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW && (size_t)sqlite3_column_bytes(st, 0) == sizeof *blk)
        memcpy(blk, sqlite3_column_blob(st, 0), sizeof *blk);
    else
        memset(blk, 0, sizeof *blk);
    sqlite3_reset(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        db_fail(s, "reading the word signatures");
        return NULL;
    }
    s->sig_read[b] = 1;
    return blk;
}

/* Signatures being written, a block at a time: the units come in id order, so each block is
 * read, merged and written once. */
typedef struct sig_writer {
    sig_block blk;
    long long cur;   /* the block in blk, -1 before the first */
} sig_writer;

static int sig_flush(xlate_tm_store *s, sig_writer *wr) {
    if (wr->cur < 0)
        return 0;
    sqlite3_stmt *put = stmt(s, ST_SIG_PUT);
    sqlite3_bind_int64(put, 1, wr->cur);
    sqlite3_bind_blob(put, 2, &wr->blk, sizeof wr->blk, SQLITE_STATIC);
    int step = sqlite3_step(put);
    sqlite3_reset(put);
    return step == SQLITE_DONE ? 0 : db_fail(s, "writing the word signatures");
}

/* Puts a unit's signature (from its word hashes) into the block being written. */
static int sig_put(xlate_tm_store *s, sig_writer *wr, long long unit, const uint32_t *w, size_t n) {
    long long b = unit / SIG_BLOCK;
    if (b != wr->cur) {
        if (sig_flush(s, wr) != 0)
            return -1;
        wr->cur = b;
        memset(&wr->blk, 0, sizeof wr->blk);
        sqlite3_stmt *get = stmt(s, ST_SIG_GET);
        sqlite3_bind_int64(get, 1, b);
        int got = sqlite3_step(get);
        if (got == SQLITE_ROW && (size_t)sqlite3_column_bytes(get, 0) == sizeof wr->blk)
            memcpy(&wr->blk, sqlite3_column_blob(get, 0), sizeof wr->blk);
        sqlite3_reset(get);
        if (got != SQLITE_ROW && got != SQLITE_DONE)
            return db_fail(s, "reading the word signatures");
        if ((size_t)b < s->sig_cap)
            s->sig_read[b] = 0;  /* read before these units: read again when asked */
    }
    sig_of(w, n, wr->blk.v[unit % SIG_BLOCK]);
    return 0;
}

/* Writes the signatures of the units after `from` (a migration's; a commit's are written by
 * index_since, which reads the same rows). */
static int sig_since(xlate_tm_store *s, long long from) {
    sig_writer wr = {.cur = -1};
    uint32_t *w = NULL;
    size_t cap = 0;
    int rc = 0, step;
    sqlite3_stmt *st = stmt(s, ST_WORDS_ONLY_SINCE);
    sqlite3_bind_int64(st, 1, from);
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        size_t n = (size_t)sqlite3_column_bytes(st, 1) / 4;
        if (n > cap) {
            uint32_t *grown = realloc(w, 2 * n * sizeof *w);
            if (!grown) {
                set_err(s, "out of memory");
                rc = -1;
                break;
            }
            w = grown;
            cap = 2 * n;
        }
        if (n)
            memcpy(w, sqlite3_column_blob(st, 1), n * sizeof *w);
        rc = sig_put(s, &wr, sqlite3_column_int64(st, 0), w, n);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_fail(s, "writing the word signatures");
    sqlite3_reset(st);
    free(w);
    return rc == 0 ? sig_flush(s, &wr) : rc;
}

/* --- word counts ------------------------------------------------------------------------- */

static size_t slot_of(const count_map *m, uint32_t key) {
    size_t i = (size_t)(key * 0x9E3779B1u) & (m->cap - 1);
    while (m->key[i] != 0 && m->key[i] != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static uint32_t count_of(const count_map *m, uint32_t key) {
    if (key == 0)
        return m->zero;
    return m->cap ? m->val[slot_of(m, key)] : 0;
}

static void count_clear(count_map *m) {
    free(m->key);
    free(m->val);
    memset(m, 0, sizeof *m);
}

/* Adds `by` to key's count (sets it, with `set`). Returns 0, -1 when out of memory. */
static int count_add(count_map *m, uint32_t key, uint32_t by, int set) {
    if (key == 0) {
        m->zero = set ? by : m->zero + by;
        return 0;
    }
    if (2 * (m->n + 1) > m->cap) {
        count_map grown = {0};
        grown.cap = m->cap ? 2 * m->cap : 1024;
        grown.key = calloc(grown.cap, sizeof *grown.key);
        grown.val = calloc(grown.cap, sizeof *grown.val);
        if (!grown.key || !grown.val) {
            count_clear(&grown);
            return -1;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->key[i]) {
                size_t j = slot_of(&grown, m->key[i]);
                grown.key[j] = m->key[i];
                grown.val[j] = m->val[i];
            }
        grown.n = m->n;
        grown.zero = m->zero;
        count_clear(m);
        *m = grown;
    }
    size_t i = slot_of(m, key);
    if (!m->key[i]) {
        m->key[i] = key;
        m->n++;
    }
    m->val[i] = set ? by : m->val[i] + by;
    return 0;
}

/* Makes s->rank the memory's current counts: read again when another connection (or this one)
 * has counted since. Call inside a transaction. */
static int load_ranks(xlate_tm_store *s) {
    long long gen;
    if (info_get(s, "rank_generation", &gen) != 0)
        return -1;
    if (gen == s->rank_gen)
        return 0;
    count_clear(&s->rank);
    sqlite3_stmt *st = stmt(s, ST_RANKS);
    int step, rc = 0;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
        if (count_add(&s->rank, (uint32_t)sqlite3_column_int64(st, 0),
                      (uint32_t)sqlite3_column_int64(st, 1), 1) != 0) {
            set_err(s, "out of memory");
            rc = -1;
        }
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_fail(s, "reading the word counts");
    sqlite3_reset(st);
    if (rc == 0)
        s->rank_gen = gen;
    return rc;
}

/* Counts every unit's words again and stores the counts as the index's order. */
static int count_words(xlate_tm_store *s, long long max_id) {
    count_map counts = {0};
    sqlite3_stmt *st = stmt(s, ST_WORDS_SINCE);
    sqlite3_bind_int64(st, 1, 0);
    int step, rc = 0;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const uint8_t *b = sqlite3_column_blob(st, 2);
        size_t n = (size_t)sqlite3_column_bytes(st, 2) / 4;
        for (size_t i = 0; i < n && rc == 0; i++) {
            uint32_t w;
            memcpy(&w, b + 4 * i, 4);
            rc = count_add(&counts, w, 1, 0);
        }
        if (rc != 0)
            set_err(s, "out of memory");
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_fail(s, "counting the words");
    sqlite3_reset(st);
    if (rc == 0)
        rc = exec(s, "DELETE FROM tm_rank; DELETE FROM tm_post", "counting the words");
    st = stmt(s, ST_RANK_ADD);
    for (size_t i = 0; i <= counts.cap && rc == 0; i++) {
        uint32_t key = i < counts.cap ? counts.key[i] : 0;
        uint32_t val = i < counts.cap ? counts.val[i] : counts.zero;
        if ((i < counts.cap && key == 0) || val < RANK_MIN_COUNT)
            continue;
        sqlite3_bind_int64(st, 1, key);
        sqlite3_bind_int64(st, 2, val);
        step = sqlite3_step(st);
        sqlite3_reset(st);
        if (step != SQLITE_DONE)
            rc = db_fail(s, "storing the word counts");
    }
    count_clear(&counts);
    long long gen = 0;
    if (rc == 0)
        rc = info_get(s, "rank_generation", &gen);
    if (rc == 0)
        rc = info_set(s, "rank_generation", gen + 1) == 0 && info_set(s, "ranked_units", max_id) == 0 ? 0 : -1;
    return rc;
}

static int add_posting(xlate_tm_store *s, uint64_t tok, long long unit, size_t nwords);
static int flush_postings(xlate_tm_store *s);

/* Indexes the units after `from` (all of them, counting the words again, when the memory has
 * doubled since they were counted). */
static int index_since(xlate_tm_store *s, long long from) {
    long long max_id, ranked;
    if (read_int(s, stmt(s, ST_MAX_ID), &max_id, "reading the units") != 0 ||
        info_get(s, "ranked_units", &ranked) != 0)
        return -1;
    if (max_id <= from)
        return 0;
    if (max_id >= RANK_MIN_UNITS && max_id >= 2 * ranked) {
        if (count_words(s, max_id) != 0)
            return -1;
        from = 0;
    }
    if (load_ranks(s) != 0)
        return -1;
    s->post.n = 0;
    uint32_t *w = NULL, *df = NULL;
    uint64_t *prefix = NULL;
    size_t cap = 0;
    sig_writer sigs = {.cur = -1};
    sqlite3_stmt *st = stmt(s, ST_WORDS_SINCE);
    sqlite3_bind_int64(st, 1, from);
    int step, rc = 0;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        long long unit = sqlite3_column_int64(st, 0), pair = sqlite3_column_int64(st, 1);
        size_t n = (size_t)sqlite3_column_bytes(st, 2) / 4;
        if (n > cap) {
            cap = 2 * n;
            uint32_t *gw = realloc(w, cap * sizeof *w), *gd = gw ? realloc(df, cap * sizeof *df) : NULL;
            uint64_t *gp = gd ? realloc(prefix, cap * sizeof *prefix) : NULL;
            if (gw)
                w = gw;
            if (gd)
                df = gd;
            if (gp)
                prefix = gp;
            if (!gw || !gd || !gp) {
                set_err(s, "out of memory");
                rc = -1;
                break;
            }
        }
        if (n)
            memcpy(w, sqlite3_column_blob(st, 2), n * 4);
        for (size_t i = 0; i < n; i++)
            df[i] = count_of(&s->rank, w[i]);
        size_t np = xlate_tm_prefix_len(n, XLATE_TM_INDEX_MIN);
        if (sig_put(s, &sigs, unit, w, n) != 0)
            rc = -1;
        else if (xlate_tm_tokens_to(pair, w, df, n, prefix) != 0) {
            set_err(s, "out of memory");
            rc = -1;
        }
        for (size_t i = 0; i < np && rc == 0; i++)
            rc = add_posting(s, prefix[i], unit, n);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_fail(s, "indexing the units");
    sqlite3_reset(st);
    free(w);
    free(df);
    free(prefix);
    if (rc == 0)
        rc = sig_flush(s, &sigs);
    if (rc == 0)
        rc = flush_postings(s);
    s->post.n = 0;
    return rc;
}

/* Sorts the postings by token, keeping each token's units in the order they were added (unit
 * order): a stable radix sort, four passes of 16 bits, much cheaper than a comparison sort of
 * millions. */
static int sort_postings(posting_buf *b) {
    static const size_t digits = 65536;
    if (b->tmp_cap < b->n) {
        free(b->tmp);
        b->tmp = malloc(b->cap * sizeof *b->tmp);
        b->tmp_cap = b->tmp ? b->cap : 0;
    }
    size_t *count = malloc((digits + 1) * sizeof *count);
    if (!b->tmp || !count) {
        free(count);
        return -1;
    }
    posting *from = b->p, *to = b->tmp;
    for (unsigned shift = 0; shift < 64; shift += 16) {
        memset(count, 0, (digits + 1) * sizeof *count);
        for (size_t i = 0; i < b->n; i++)
            count[((from[i].tok >> shift) & 0xFFFF) + 1]++;
        for (size_t d = 1; d <= digits; d++)
            count[d] += count[d - 1];
        for (size_t i = 0; i < b->n; i++)
            to[count[(from[i].tok >> shift) & 0xFFFF]++] = from[i];
        posting *t = from;
        from = to;
        to = t;
    }
    /* Four passes: the sorted postings are back in b->p. */
    free(count);
    return 0;
}

/* Writes the gathered postings, one row per token: sorted first, so that the rows go into the
 * index in its order (pages touched once each, not at random). */
static int flush_postings(xlate_tm_store *s) {
    posting_buf *b = &s->post;
    if (b->n == 0)
        return 0;
    if (sort_postings(b) != 0) {
        set_err(s, "out of memory");
        b->n = 0;
        return -1;
    }
    uint8_t *blob = NULL;
    size_t cap = 0;
    int rc = 0;
    for (size_t i = 0; i < b->n && rc == 0;) {
        size_t j = i;
        while (j < b->n && b->p[j].tok == b->p[i].tok)
            j++;
        if ((j - i) * 20 > cap) {
            cap = (j - i) * 20;
            uint8_t *grown = realloc(blob, cap);
            if (!grown) {
                set_err(s, "out of memory");
                rc = -1;
                break;
            }
            blob = grown;
        }
        size_t o = 0;
        long long prev = 0;
        for (size_t k = i; k < j; k++) {
            o += xlate_tm_varint_put(blob + o, (uint64_t)(b->p[k].unit - prev));
            o += xlate_tm_varint_put(blob + o, b->p[k].nwords);
            prev = b->p[k].unit;
        }
        sqlite3_stmt *st = stmt(s, ST_POST_ADD);
        sqlite3_bind_int64(st, 1, (sqlite3_int64)b->p[i].tok);
        sqlite3_bind_int64(st, 2, b->p[i].unit);
        sqlite3_bind_blob(st, 3, blob, (int)o, SQLITE_STATIC);
        int step = sqlite3_step(st);
        sqlite3_reset(st);
        if (step != SQLITE_DONE)
            rc = db_fail(s, "writing the word index");
        i = j;
    }
    free(blob);
    b->n = 0;
    return rc;
}

static int add_posting(xlate_tm_store *s, uint64_t tok, long long unit, size_t nwords) {
    posting_buf *b = &s->post;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        posting *grown = realloc(b->p, cap * sizeof *grown);
        if (!grown) {
            set_err(s, "out of memory");
            return -1;
        }
        b->p = grown;
        b->cap = cap;
    }
    b->p[b->n].tok = tok;
    b->p[b->n].unit = unit;
    b->p[b->n].nwords = nwords > UINT32_MAX ? UINT32_MAX : (uint32_t)nwords;
    b->n++;
    return b->n >= POSTINGS_BUFFERED ? flush_postings(s) : 0;
}

/* Makes room for n word hashes in s->hashes. Returns 0 or -1. */
static int hashes_room(xlate_tm_store *s, size_t n) {
    if (n <= s->hashes_cap)
        return 0;
    size_t cap = n < 64 ? 64 : 2 * n;
    uint32_t *grown = realloc(s->hashes, cap * sizeof *grown);
    if (!grown)
        return -1;
    s->hashes = grown;
    s->hashes_cap = cap;
    return 0;
}

/* Inserts a unit (with `id`, or a new one when id is 0) and its word hashes; the commit indexes
 * them. */
static int add_unit(xlate_tm_store *s, long long id, long long pair, const char *source,
                    size_t source_len, const char *target, size_t target_len, const char *key,
                    size_t key_len, long long created, long long used, const char *origin) {
    uint64_t nhash;
    int has_number = xlate_tm_number_hash(key, key_len, &nhash);
    size_t nw = xlate_tm_words_to(key, key_len, &s->words, &s->words_cap);
    int rc = -1;
    if (nw == (size_t)-1 || hashes_room(s, nw) != 0) {
        set_err(s, "out of memory");
        goto done;
    }
    const xlate_tm_word *w = s->words;
    uint32_t *hashes = s->hashes;
    uint64_t khash = xlate_tm_hash(key, key_len);
    sqlite3_stmt *st = stmt(s, ST_UNIT_ADD);
    sqlite3_bind_int64(st, 1, pair);
    sqlite3_bind_text(st, 2, source, (int)source_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, target, (int)target_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)khash);
    if (has_number)
        sqlite3_bind_int64(st, 5, (sqlite3_int64)nhash);
    sqlite3_bind_int64(st, 6, created);
    sqlite3_bind_text(st, 7, origin, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_DONE) {
        db_fail(s, "adding a unit");
        goto done;
    }
    long long unit = sqlite3_last_insert_rowid(s->db);
    if (id && id != unit) {
        /* A migrated unit keeps its id: the rows go in id order into an empty table, so the
         * rowid given is the one SQLite picks, but say so if it ever is not. */
        sqlite3_stmt *fix = NULL;
        if (sqlite3_prepare_v2(s->db, "UPDATE tm_unit SET id = ?1 WHERE id = ?2", -1, &fix, NULL) != SQLITE_OK) {
            db_fail(s, "keeping a unit's id");
            goto done;
        }
        sqlite3_bind_int64(fix, 1, id);
        sqlite3_bind_int64(fix, 2, unit);
        step = sqlite3_step(fix);
        sqlite3_finalize(fix);
        if (step != SQLITE_DONE) {
            db_fail(s, "keeping a unit's id");
            goto done;
        }
        unit = id;
    }
    if (s->keys_deferred && keys_add(s, khash, pair, unit) != 0)
        goto done;
    if (used != created) {
        st = stmt(s, ST_TOUCH);
        sqlite3_bind_int64(st, 1, unit);
        sqlite3_bind_int64(st, 2, used);
        step = sqlite3_step(st);
        sqlite3_reset(st);
        if (step != SQLITE_DONE) {
            db_fail(s, "adding a unit");
            goto done;
        }
    }
    for (size_t i = 0; i < nw; i++)
        hashes[i] = xlate_tm_word32(w[i].hash);
    st = stmt(s, ST_WORDS_ADD);
    sqlite3_bind_int64(st, 1, unit);
    sqlite3_bind_blob(st, 2, nw ? (const void *)hashes : "", (int)(nw * sizeof *hashes), SQLITE_STATIC);
    step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_DONE) {
        db_fail(s, "indexing a unit's words");
        goto done;
    }
    rc = 0;
done:
    return rc;
}

/* Whether the row `st` is on (its column 1 the unit's source) has `key`: 1 yes, 0 no, -1 out of
 * memory. Keys are looked up by hash; this is what confirms a hit. */
static int row_has_key(xlate_tm_store *s, sqlite3_stmt *st, const char *key, size_t key_len) {
    size_t mlen;
    char *mkey = xlate_tm_key((const char *)sqlite3_column_text(st, 1),
                              (size_t)sqlite3_column_bytes(st, 1), &mlen);
    if (!mkey) {
        set_err(s, "out of memory");
        return -1;
    }
    int same = mlen == key_len && memcmp(mkey, key, key_len) == 0;
    free(mkey);
    return same;
}

/* After row_has_key said `same` (1 or -1) of the row `st` stands on: a match leaves the
 * statement on its row for the caller (*row), an error resets it. Returns `same`. */
static int keep_key_row(sqlite3_stmt *st, int same, sqlite3_stmt **row) {
    if (same < 0)
        sqlite3_reset(st);
    else
        *row = st;
    return same;
}

/* The same as find_by_key, while the key indexes wait for the commit: the units under the
 * hash come from s->keys. */
static int find_by_key_deferred(xlate_tm_store *s, long long pair, const char *key,
                                size_t key_len, sqlite3_stmt **row) {
    const key_map *m = &s->keys;
    if (m->n == 0)
        return 0;
    uint64_t khash = xlate_tm_hash(key, key_len);
    for (size_t j = key_slot_of(m, khash); m->v[j].unit; j = (j + 1) & (m->cap - 1)) {
        if (m->v[j].khash != khash || m->v[j].pair != pair)
            continue;
        sqlite3_stmt *st = stmt(s, ST_UNIT_BY_ID);
        sqlite3_bind_int64(st, 1, m->v[j].unit);
        int step = sqlite3_step(st);
        if (step != SQLITE_ROW) {
            sqlite3_reset(st);
            return db_fail(s, "looking a unit up");
        }
        int same = row_has_key(s, st, key, key_len);
        if (same != 0)
            return keep_key_row(st, same, row);
        sqlite3_reset(st);
    }
    return 0;
}

/* Reads the units whose exact key hashes like `key`'s, confirming on the key recomputed from
 * each one's source. Returns 1 with the statement on the matching row (the caller resets it),
 * 0 when there is none, -1 on error. */
static int find_by_key(xlate_tm_store *s, long long pair, const char *key, size_t key_len,
                       sqlite3_stmt **row) {
    if (s->keys_deferred)
        return find_by_key_deferred(s, pair, key, key_len, row);
    sqlite3_stmt *st = stmt(s, ST_UNIT_BY_KEY);
    sqlite3_bind_int64(st, 1, pair);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)xlate_tm_hash(key, key_len));
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int same = row_has_key(s, st, key, key_len);
        if (same != 0)
            return keep_key_row(st, same, row);
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? 0 : db_fail(s, "looking a unit up");
}

int xlate_tm_put(xlate_tm_store *s, long long pair, const char *source, size_t source_len,
                 const char *target, size_t target_len, const char *origin, long long now) {
    if (source_len + 1 > s->key_cap) {
        size_t cap = source_len < 512 ? 1024 : 2 * source_len + 2;
        char *grown = realloc(s->key, cap);
        if (!grown) {
            set_err(s, "out of memory");
            return -1;
        }
        s->key = grown;
        s->key_cap = cap;
    }
    char *key = s->key;
    size_t key_len = xlate_tm_key_to(source, source_len, key);
    int rc = -1;
    sqlite3_stmt *st;
    int found = find_by_key(s, pair, key, key_len, &st);
    if (found == 1) {
        long long id = sqlite3_column_int64(st, 0);
        const char *old_target = (const char *)sqlite3_column_text(st, 2);
        size_t old_len = (size_t)sqlite3_column_bytes(st, 2);
        int same = old_len == target_len && memcmp(old_target, target, target_len) == 0;
        sqlite3_reset(st);
        if (same) {
            rc = XLATE_TM_UNCHANGED;
            goto done;
        }
        /* The same key: the words and the index stay as they are. */
        st = stmt(s, ST_UNIT_UPDATE);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, source, (int)source_len, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, target, (int)target_len, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, now);
        sqlite3_bind_text(st, 5, origin, -1, SQLITE_STATIC);
        int step = sqlite3_step(st);
        sqlite3_reset(st);
        rc = step == SQLITE_DONE ? XLATE_TM_UPDATED : db_fail(s, "updating a unit");
    } else if (found == 0) {
        rc = add_unit(s, 0, pair, source, source_len, target, target_len, key, key_len, now, now,
                      origin) == 0 ? XLATE_TM_ADDED : -1;
    }
done:
    return rc;
}

void xlate_tm_matches_free(xlate_tm_match *m, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(m[i].source);
        free(m[i].target);
    }
    free(m);
}

/* The match list being built by a lookup. */
typedef struct match_list {
    xlate_tm_match *m;
    size_t n, cap;
} match_list;

static int list_add(match_list *l, xlate_tm_kind kind, int score, long long id, const char *source,
                    const char *target, size_t target_len) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        xlate_tm_match *grown = realloc(l->m, cap * sizeof *grown);
        if (!grown)
            return -1;
        l->m = grown;
        l->cap = cap;
    }
    xlate_tm_match *m = &l->m[l->n];
    m->kind = kind;
    m->score = score;
    m->id = id;
    m->source = strdup(source);
    m->target = strndup(target, target_len);
    if (!m->source || !m->target) {
        free(m->source);
        free(m->target);
        return -1;
    }
    l->n++;
    return 0;
}

static int lookup_exact(xlate_tm_store *s, long long pair, const char *key, size_t key_len,
                        match_list *l) {
    sqlite3_stmt *st;
    int found = find_by_key(s, pair, key, key_len, &st);
    if (found != 1)
        return found;
    int rc = list_add(l, XLATE_TM_EXACT, 100, sqlite3_column_int64(st, 0),
                      (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2),
                      (size_t)sqlite3_column_bytes(st, 2));
    sqlite3_reset(st);
    return rc;
}

static int lookup_repaired(xlate_tm_store *s, long long pair, const char *key, size_t key_len,
                           match_list *l) {
    char *nkey = xlate_tm_number_key(key, key_len);
    if (!nkey)
        return -1;
    int rc = 0;
    size_t nkey_len = strlen(nkey);
    if (strchr(nkey, XLATE_TM_NUMBER_MARK)) {
        sqlite3_stmt *st = stmt(s, ST_BY_NKEY);
        sqlite3_bind_int64(st, 1, pair);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)xlate_tm_hash(nkey, nkey_len));
        int step;
        while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
            const char *target = (const char *)sqlite3_column_text(st, 2);
            size_t mlen;
            char *mkey = xlate_tm_key((const char *)sqlite3_column_text(st, 1),
                                      (size_t)sqlite3_column_bytes(st, 1), &mlen);
            char *mnkey = mkey ? xlate_tm_number_key(mkey, mlen) : NULL;
            if (!mnkey) {
                free(mkey);
                rc = -1;
                break;
            }
            int status = 1;
            char *fixed = NULL;
            /* The hash's hit confirmed on the number key itself. */
            if (strcmp(mnkey, nkey) == 0)
                fixed = xlate_tm_repair(mkey, mlen, key, key_len, target,
                                        (size_t)sqlite3_column_bytes(st, 2), &status);
            free(mkey);
            free(mnkey);
            if (fixed) {
                rc = list_add(l, XLATE_TM_REPAIRED, 99, sqlite3_column_int64(st, 0),
                              (const char *)sqlite3_column_text(st, 1), fixed, strlen(fixed));
                free(fixed);
                break;  /* the most recently used unit that repairs is the one */
            }
            if (status == 0)
                rc = -1;
        }
        if (rc == 0 && step != SQLITE_ROW && step != SQLITE_DONE)
            rc = db_fail(s, "looking up a repaired match");
        sqlite3_reset(st);
    }
    free(nkey);
    return rc;
}

/* A verified candidate: a unit and its score over word hashes. */
typedef struct scored {
    long long id;
    int score;
} scored;

typedef struct scored_list {
    scored *v;
    size_t n, cap;
} scored_list;

static int scored_add(scored_list *l, long long id, int score) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        scored *grown = realloc(l->v, cap * sizeof *grown);
        if (!grown)
            return -1;
        l->v = grown;
        l->cap = cap;
    }
    l->v[l->n].id = id;
    l->v[l->n].score = score;
    l->n++;
    return 0;
}

static int best_first(const void *a, const void *b) {
    const scored *x = a, *y = b;
    if (x->score != y->score)
        return y->score - x->score;
    return (y->id > x->id) - (y->id < x->id);  /* newer first among equals */
}

static int by_score(const void *a, const void *b) {
    const xlate_tm_match *x = a, *y = b;
    if (x->score != y->score)
        return y->score - x->score;
    return (y->id > x->id) - (y->id < x->id);
}

/* The query being verified against candidates. */
typedef struct fuzzy_query {
    uint32_t *hashes;
    size_t n;
    int threshold;
} fuzzy_query;

/* Scores one candidate's stored word hashes against the query, adding it to `out` when it
 * reaches the threshold. Returns 0 or -1. */
static int verify(xlate_tm_store *s, const fuzzy_query *q, long long id, const void *blob,
                  size_t bytes, scored_list *out) {
    size_t nr = bytes / sizeof(uint32_t);
    if (!xlate_tm_lengths_may_score(q->n, nr, q->threshold))
        return 0;
    size_t k = xlate_tm_max_distance(q->n, nr, q->threshold), longer = q->n > nr ? q->n : nr;
    /* Two rows of the distance, then the candidate's hashes, copied out of the blob: SQLite
     * gives no alignment promise. */
    if (3 * nr + 2 > s->work_cap) {
        size_t cap = 3 * nr + 66;
        uint32_t *grown = realloc(s->work, cap * sizeof *grown);
        if (!grown)
            return -1;
        s->work = grown;
        s->work_cap = cap;
    }
    uint32_t *r = s->work + 2 * (nr + 1);
    memcpy(r, blob, nr * sizeof *r);
    size_t d = xlate_tm_distance_within(q->hashes, q->n, r, nr, k, s->work);
    if (d > k || longer == 0)
        return 0;
    int score = (int)(100 * (longer - d) / longer);
    return scored_add(out, id, score > 99 ? 99 : score);
}

/* Every unit of the pair, for thresholds below the index's: complete, and slower. */
static int scan_all(xlate_tm_store *s, long long pair, const fuzzy_query *q, scored_list *out) {
    sqlite3_stmt *st = stmt(s, ST_SCAN);
    sqlite3_bind_int64(st, 1, pair);
    int step, rc = 0;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = verify(s, q, sqlite3_column_int64(st, 0), sqlite3_column_blob(st, 1),
                    (size_t)sqlite3_column_bytes(st, 1), out);
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_fail(s, "reading the units");
    sqlite3_reset(st);
    return rc;
}


/* A map of found units larger than this (slots) is freed after its lookup instead of kept for
 * the next (a lookup that found that many is rare; its memory is not held for the others). */
#define HITS_KEPT (1u << 17)

static size_t hit_slot(const hit_map *m, long long unit) {
    size_t j = ((uint64_t)unit * 0x9E3779B97F4A7C15ull >> 20) & (m->cap - 1);
    while (m->v[j].unit && m->v[j].unit != unit)
        j = (j + 1) & (m->cap - 1);
    return j;
}

/* Counts a hit for a unit the map holds (and nothing for another). */
static void hit_count(hit_map *m, long long unit) {
    if (m->cap) {
        hit *h = &m->v[hit_slot(m, unit)];
        if (h->unit)
            h->hits++;
    }
}

static int by_count(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static int hit_add(hit_map *m, long long unit, uint32_t nwords) {
    if (2 * (m->n + 1) > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 1024;
        hit *grown = calloc(cap, sizeof *grown);
        uint32_t *used = grown ? malloc(cap / 2 * sizeof *used) : NULL;
        if (!used) {
            free(grown);
            return -1;
        }
        for (size_t k = 0; k < m->n; k++) {
            const hit *h = &m->v[m->used[k]];
            size_t j = ((uint64_t)h->unit * 0x9E3779B97F4A7C15ull >> 20) & (cap - 1);
            while (grown[j].unit)
                j = (j + 1) & (cap - 1);
            grown[j] = *h;
            used[k] = (uint32_t)j;
        }
        free(m->v);
        free(m->used);
        m->v = grown;
        m->used = used;
        m->cap = cap;
    }
    size_t j = hit_slot(m, unit);
    if (!m->v[j].unit) {
        m->v[j].unit = unit;
        m->v[j].nwords = nwords;
        m->used[m->n++] = (uint32_t)j;
    }
    m->v[j].hits++;
    return 0;
}

/* Empties the map for the next lookup, keeping its memory unless it grew past HITS_KEPT. */
static void hit_clear(hit_map *m) {
    if (m->cap > HITS_KEPT) {
        free(m->v);
        free(m->used);
        memset(m, 0, sizeof *m);
        return;
    }
    for (size_t k = 0; k < m->n; k++)
        m->v[m->used[k]] = (hit){0};
    m->n = 0;
}

/* Tokens are probed past the query's prefix while the lists they add are expected (by their
 * words' counts) to hold fewer entries than this, or than the prefix's lists: each one read lets
 * the filter ask a candidate for one more token in common (see xlate_tm_sure_hits) before its
 * signature is looked at and its words are read. The signatures (sig_block) drop most of what
 * the count would, in memory, so the lists read for it are kept short (measured at 1,000,000
 * units: 2,000 to 5,000 entries beat both none and 20,000). */
#define EXTRA_BUDGET 4000
#define EXTRA_PROBES_MAX 24

/* Reads one token's postings: with `add`, every unit whose length may score is counted into m;
 * without, only the units m already holds. Returns the entries read, or -1. */
static long read_postings(xlate_tm_store *s, uint64_t token, const fuzzy_query *q, hit_map *m,
                          int add) {
    sqlite3_stmt *st = stmt(s, ST_POSTINGS);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)token);
    long entries = 0;
    int step, rc = 0;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const uint8_t *p = sqlite3_column_blob(st, 0);
        const uint8_t *end = p + sqlite3_column_bytes(st, 0);
        uint64_t unit = 0, delta, nr;
        while (p < end) {
            if (xlate_tm_varint_get(&p, end, &delta) != 0 || xlate_tm_varint_get(&p, end, &nr) != 0) {
                set_err(s, "the word index is damaged (a posting list ends inside a number)");
                rc = -1;
                break;
            }
            unit += delta;
            entries++;
            if (!xlate_tm_lengths_may_score(q->n, (size_t)nr, q->threshold))
                continue;
            if (add ? hit_add(m, (long long)unit, (uint32_t)nr) != 0 : (hit_count(m, (long long)unit), 0)) {
                set_err(s, "out of memory");
                rc = -1;
            }
        }
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_fail(s, "reading the word index");
    sqlite3_reset(st);
    return rc == 0 ? entries : -1;
}

/* A unit that may score, with its word count. */
typedef struct candidate {
    long long unit;
    uint32_t nwords;
} candidate;

static int by_candidate(const void *a, const void *b) {
    const candidate *x = a, *y = b;
    return (x->unit > y->unit) - (x->unit < y->unit);
}

/* The candidates: units under the query's first tokens whose lengths may score and which hold
 * as many of the probed tokens as a unit scoring the threshold must (prefix filter, then a
 * count filter over the tokens probed past the prefix). Each once, in id order. */
static int probe_index(xlate_tm_store *s, long long pair, const fuzzy_query *q, candidate **ids,
                       size_t *n_ids) {
    uint64_t *tokens = NULL;
    uint32_t *df = malloc(q->n * sizeof *df), *sorted_df = malloc(q->n * sizeof *df);
    int rc = -1;
    if (df && sorted_df && load_ranks(s) == 0) {
        for (size_t i = 0; i < q->n; i++)
            df[i] = count_of(&s->rank, q->hashes[i]);
        rc = xlate_tm_tokens(pair, q->hashes, df, q->n, &tokens);
        /* The tokens' counts in the tokens' order (the order sorts by count first). */
        memcpy(sorted_df, df, q->n * sizeof *df);
        qsort(sorted_df, q->n, sizeof *sorted_df, by_count);
    }
    size_t np = xlate_tm_prefix_len(q->n, q->threshold), probes = np;
    hit_map *m = &s->hits;
    long read = 0;
    for (size_t i = 0; i < np && rc == 0; i++) {
        long got = read_postings(s, tokens[i], q, m, 1);
        rc = got < 0 ? -1 : 0;
        read += got;
    }
    long budget = read > EXTRA_BUDGET ? read : EXTRA_BUDGET, extra = 0;
    while (rc == 0 && probes < q->n && probes < np + EXTRA_PROBES_MAX &&
           extra + (long)sorted_df[probes] <= budget) {
        long got = read_postings(s, tokens[probes], q, m, 0);
        rc = got < 0 ? -1 : 0;
        extra += got > (long)sorted_df[probes] ? got : (long)sorted_df[probes];
        probes++;
    }
    free(df);
    free(sorted_df);
    free(tokens);
    candidate *c = NULL;
    size_t n = 0;
    if (rc == 0 && m->n && !(c = malloc(m->n * sizeof *c)))
        rc = -1;
    for (size_t k = 0; k < m->n && rc == 0; k++) {
        const hit *h = &m->v[m->used[k]];
        size_t sure = xlate_tm_sure_hits(h->nwords, q->threshold);
        size_t need = probes - np + 1 < sure ? probes - np + 1 : sure;
        if (h->hits >= need) {
            c[n].unit = h->unit;
            c[n++].nwords = h->nwords;
        }
    }
    hit_clear(m);
    if (rc != 0) {
        free(c);
        return -1;
    }
    if (n)
        qsort(c, n, sizeof *c, by_candidate);
    *ids = c;
    *n_ids = n;
    return 0;
}

/* Zero when c's signature shows it cannot share the words a score of q->threshold needs. */
static int sig_may_score(xlate_tm_store *s, const fuzzy_query *q, const candidate *c, int *rc) {
    const sig_block *blk = sig_get(s, c->unit / SIG_BLOCK);
    if (!blk) {
        if (!s->err[0])
            set_err(s, "out of memory");
        *rc = -1;
        return 0;
    }
    const uint64_t *sig = blk->v[c->unit % SIG_BLOCK];
    if (sig[0] == 0 && sig[1] == 0)
        return 1;
    size_t longer = q->n > c->nwords ? q->n : c->nwords;
    return sig_bound(q->hashes, q->n, sig) >= xlate_tm_must_share(longer, q->threshold);
}

static int verify_candidates(xlate_tm_store *s, const fuzzy_query *q, const candidate *c,
                             size_t n, const match_list *l, scored_list *out) {
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        int listed = 0;
        for (size_t k = 0; k < l->n && !listed; k++)
            listed = l->m[k].id == c[i].unit;
        if (listed || !sig_may_score(s, q, &c[i], &rc))
            continue;

        sqlite3_stmt *st = stmt(s, ST_WORDS_GET);
        sqlite3_bind_int64(st, 1, c[i].unit);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW)
            rc = verify(s, q, c[i].unit, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), out);
        else if (step != SQLITE_DONE)
            rc = db_fail(s, "reading a candidate");
        sqlite3_reset(st);
    }
    return rc;
}

/* The verified candidates, best first, scored again on their words' text (a 32-bit hash may
 * collide; the text does not) and added to l up to q->max. */
static int add_best(xlate_tm_store *s, long long pair, const xlate_tm_word *w, size_t nw,
                    const char *key, size_t key_len, const xlate_tm_query *q, scored_list *found,
                    match_list *l) {
    if (found->n)
        qsort(found->v, found->n, sizeof *found->v, best_first);
    match_list best = {0};
    int rc = 0;
    for (size_t i = 0; i < found->n && rc == 0 && l->n + best.n < q->max; i++) {
        if (found->v[i].score < q->threshold)
            continue;
        sqlite3_stmt *st = stmt(s, ST_UNIT_GET);
        sqlite3_bind_int64(st, 1, found->v[i].id);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW && sqlite3_column_int64(st, 0) == pair) {
            size_t mlen;
            char *mkey = xlate_tm_key((const char *)sqlite3_column_text(st, 1),
                                      (size_t)sqlite3_column_bytes(st, 1), &mlen);
            xlate_tm_word *cw = NULL;
            size_t ncw = mkey ? xlate_tm_words(mkey, mlen, &cw) : (size_t)-1;
            int score = ncw == (size_t)-1 ? -1
                        : xlate_tm_score(w, nw, cw, ncw, mlen == key_len && memcmp(mkey, key, key_len) == 0);
            if (score < 0)
                rc = -1;
            else if (score >= q->threshold)
                rc = list_add(&best, XLATE_TM_FUZZY, score, found->v[i].id,
                              (const char *)sqlite3_column_text(st, 1),
                              (const char *)sqlite3_column_text(st, 2),
                              (size_t)sqlite3_column_bytes(st, 2));
            free(cw);
            free(mkey);
        } else if (step != SQLITE_ROW && step != SQLITE_DONE)
            rc = db_fail(s, "reading a candidate");
        sqlite3_reset(st);
    }
    if (best.n)
        qsort(best.m, best.n, sizeof *best.m, by_score);
    for (size_t i = 0; i < best.n && rc == 0; i++) {
        if (l->n == l->cap) {
            size_t cap = l->cap ? l->cap * 2 : 4;
            xlate_tm_match *grown = realloc(l->m, cap * sizeof *grown);
            if (!grown) {
                rc = -1;
                break;
            }
            l->m = grown;
            l->cap = cap;
        }
        /* Moved, not copied: the strings change owner. */
        l->m[l->n++] = best.m[i];
        best.m[i].source = best.m[i].target = NULL;
    }
    xlate_tm_matches_free(best.m, best.n);
    return rc;
}

static int lookup_fuzzy(xlate_tm_store *s, long long pair, const char *key, size_t key_len,
                        const xlate_tm_query *q, match_list *l) {
    xlate_tm_word *w = NULL;
    size_t nw = xlate_tm_words(key, key_len, &w);
    if (nw == (size_t)-1)
        return -1;
    if (nw == 0)
        return 0;
    fuzzy_query fq = {malloc(nw * sizeof(uint32_t)), nw, q->threshold};
    scored_list found = {0};
    candidate *ids = NULL;
    size_t n_ids = 0;
    int rc = fq.hashes ? 0 : -1;
    for (size_t i = 0; i < nw && rc == 0; i++)
        fq.hashes[i] = xlate_tm_word32(w[i].hash);
    if (rc == 0 && q->threshold < XLATE_TM_INDEX_MIN)
        rc = scan_all(s, pair, &fq, &found);
    else if (rc == 0 && (rc = probe_index(s, pair, &fq, &ids, &n_ids)) == 0)
        rc = verify_candidates(s, &fq, ids, n_ids, l, &found);
    /* The scan does not know the listed units: drop them here. */
    size_t m = 0;
    for (size_t i = 0; i < found.n; i++) {
        int listed = 0;
        for (size_t k = 0; k < l->n && !listed; k++)
            listed = l->m[k].id == found.v[i].id;
        if (!listed)
            found.v[m++] = found.v[i];
    }
    found.n = m;
    if (rc == 0)
        rc = add_best(s, pair, w, nw, key, key_len, q, &found, l);
    free(ids);
    free(found.v);
    free(fq.hashes);
    free(w);
    return rc;
}

int xlate_tm_lookup(xlate_tm_store *s, long long pair, const char *text, size_t len,
                    const xlate_tm_query *q, xlate_tm_match **out, size_t *n) {
    size_t key_len;
    char *key = xlate_tm_key(text, len, &key_len);
    match_list l = {0};
    *out = NULL;
    *n = 0;
    if (!key) {
        set_err(s, "out of memory");
        return -1;
    }
    s->err[0] = '\0';
    /* One read transaction for the lookup's statements: one snapshot, and the file's lock taken
     * once instead of once per statement. */
    int own_txn = sqlite3_get_autocommit(s->db);
    if (own_txn && run(s, ST_BEGIN_READ, "starting a lookup") != 0) {
        free(key);
        return -1;
    }
    int rc = q->max ? lookup_exact(s, pair, key, key_len, &l) : 0;
    if (rc == 0 && l.n == 0 && q->repair)
        rc = lookup_repaired(s, pair, key, key_len, &l);
    if (rc == 0 && l.n < q->max && (l.n == 0 || l.m[0].kind != XLATE_TM_EXACT))
        rc = lookup_fuzzy(s, pair, key, key_len, q, &l);
    if (own_txn && run(s, ST_COMMIT, "ending a lookup") != 0)
        rc = -1;
    free(key);
    if (rc != 0) {
        if (!s->err[0])
            set_err(s, "out of memory");
        xlate_tm_matches_free(l.m, l.n);
        return -1;
    }
    *out = l.m;
    *n = l.n;
    return 0;
}

int xlate_tm_bulk(xlate_tm_store *s) {
    long long units;
    s->bulk = 1;
    if (cache_for(s, 1) != 0 || read_int(s, stmt(s, ST_MAX_ID), &units, "reading the units") != 0)
        return -1;
    if (units > 0)
        return 0;
    /* An empty memory: in WAL every page of the import is written twice (to the WAL, then by the
     * checkpoint to the file); a rollback journal writes it once, and journals nothing of pages
     * the file did not have. SQLite leaves WAL only when no other connection has the file open;
     * then the import stays in WAL, asking once, not waiting (the busy timeout is off for it). */
    sqlite3_stmt *st = NULL;
    sqlite3_busy_timeout(s->db, 0);
    if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = DELETE", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        s->rollback_journal = sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "delete") == 0;
    sqlite3_finalize(st);
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    return 0;
}

int xlate_tm_bulk_end(xlate_tm_store *s) {
    s->bulk = 0;
    if (!s->rollback_journal)
        return cache_for(s, 0);
    s->rollback_journal = 0;
    if (to_wal(s) != SQLITE_OK)
        return db_fail(s, "switching the memory back to WAL");
    return cache_for(s, 0);
}

int xlate_tm_touch(xlate_tm_store *s, const long long *ids, size_t n, long long now) {
    if (n == 0)
        return 0;
    if (run(s, ST_BEGIN, "starting a transaction") != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st = stmt(s, ST_TOUCH);
        sqlite3_bind_int64(st, 1, ids[i]);
        sqlite3_bind_int64(st, 2, now);
        int step = sqlite3_step(st);
        sqlite3_reset(st);
        if (step != SQLITE_DONE) {
            db_fail(s, "marking the units used");
            xlate_tm_rollback(s);
            return -1;
        }
    }
    return run(s, ST_COMMIT, "committing");
}

int xlate_tm_each_pair(xlate_tm_store *s,
                       int (*each)(void *data, long long id, const char *src, const char *tgt,
                                   long long units),
                       void *data) {
    sqlite3_stmt *st = stmt(s, ST_PAIRS);
    int step, rc = 0;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = each(data, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
                  (const char *)sqlite3_column_text(st, 2), sqlite3_column_int64(st, 3));
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_fail(s, "reading the language pairs");
    sqlite3_reset(st);
    return rc;
}

int xlate_tm_each_unit(xlate_tm_store *s, long long pair,
                       int (*each)(void *data, const char *src_lang, const char *tgt_lang,
                                   const char *source, const char *target, const char *origin,
                                   long long created, long long used),
                       void *data) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT p.src, p.tgt, u.source, u.target, u.origin, u.created, u.used "
                           "FROM tm_unit u JOIN tm_pair p ON p.id = u.pair "
                           "WHERE ?1 = 0 OR u.pair = ?1 ORDER BY u.id", -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, "reading the units");
    sqlite3_bind_int64(st, 1, pair);
    int step, rc = 0;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = each(data, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
                  (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
                  (const char *)sqlite3_column_text(st, 4), sqlite3_column_int64(st, 5),
                  sqlite3_column_int64(st, 6));
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_fail(s, "reading the units");
    sqlite3_finalize(st);
    return rc;
}
