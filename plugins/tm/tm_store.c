/*
 * tm_store: the SQLite translation memory (see tm_store.h). Every statement is prepared once per
 * connection. The word index is an FTS5 table without content or positions whose text is
 * key.h's hashed words: the unicode61 tokenizer then splits exactly the words the score counts.
 * A fuzzy lookup asks it for the units holding whole groups of the query's words (see
 * gather_candidates), a bounded number per group, and scores only the hundred that hold the most
 * groups, so that it costs about the same in a memory of a thousand units as in one of a million.
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

/* At most this many units are read from the index for one group of words. */
#define GROUP_POSTINGS_MAX 400
#define STR(x) STR_(x)
#define STR_(x) #x
/* At most this many candidates are scored. */
#define CANDIDATES_SCORED 100
/* How long a connection waits for another's write lock before it gives up. */
#define BUSY_TIMEOUT_MS 60000

enum stmt_id {
    ST_PAIR_GET, ST_PAIR_ADD, ST_UNIT_BY_KEY, ST_UNIT_ADD, ST_UNIT_UPDATE, ST_FTS_ADD,
    ST_BY_NKEY, ST_WORD_UNITS, ST_UNIT_GET, ST_BEGIN, ST_BEGIN_READ, ST_COMMIT, ST_ROLLBACK, ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
    [ST_PAIR_GET] = "SELECT id FROM tm_pair WHERE src = lower(?1) AND tgt = lower(?2)",
    [ST_PAIR_ADD] = "INSERT INTO tm_pair(src, tgt) VALUES (lower(?1), lower(?2))",
    [ST_UNIT_BY_KEY] = "SELECT id, source, target FROM tm_unit WHERE pair = ?1 AND key = ?2",
    [ST_UNIT_ADD] = "INSERT INTO tm_unit(pair, source, target, key, nkey, created, used, origin) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
    [ST_UNIT_UPDATE] = "UPDATE tm_unit SET source = ?2, target = ?3, used = ?4, origin = ?5 "
                       "WHERE id = ?1",
    [ST_FTS_ADD] = "INSERT INTO tm_words(rowid, words) VALUES (?1, ?2)",
    [ST_BY_NKEY] = "SELECT id, source, target, key FROM tm_unit WHERE pair = ?1 AND nkey = ?2 "
                   "ORDER BY used DESC LIMIT 8",
    [ST_WORD_UNITS] = "SELECT rowid FROM tm_words WHERE tm_words MATCH ?1 LIMIT " STR(GROUP_POSTINGS_MAX),
    [ST_UNIT_GET] = "SELECT pair, source, target, key FROM tm_unit WHERE id = ?1",
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_BEGIN_READ] = "BEGIN",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
};

struct xlate_tm_store {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
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

static const char schema_v1[] =
    "CREATE TABLE tm_pair(id INTEGER PRIMARY KEY, src TEXT NOT NULL, tgt TEXT NOT NULL,"
    " UNIQUE(src, tgt));"
    "CREATE TABLE tm_unit(id INTEGER PRIMARY KEY, pair INTEGER NOT NULL REFERENCES tm_pair(id),"
    " source TEXT NOT NULL, target TEXT NOT NULL, key TEXT NOT NULL, created INTEGER NOT NULL,"
    " used INTEGER NOT NULL, origin TEXT NOT NULL, UNIQUE(pair, key));";

/* Version 1 to 2: the number key (repaired matches) and the word index (fuzzy matches). */
static const char migrate_v2[] =
    "ALTER TABLE tm_unit ADD COLUMN nkey TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX tm_unit_nkey ON tm_unit(pair, nkey);"
    "CREATE VIRTUAL TABLE tm_words USING fts5(words, content='', detail=none, columnsize=0,"
    " tokenize='unicode61 remove_diacritics 0');";

static int exec(xlate_tm_store *s, const char *sql, const char *what) {
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        set_err(s, "%s: %s", what, msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* Fills the new columns and the index for the units a version 1 database holds. */
static int fill_v2(xlate_tm_store *s) {
    sqlite3_stmt *all = NULL, *upd = NULL, *fts = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(s->db, "SELECT id, key FROM tm_unit", -1, &all, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "UPDATE tm_unit SET nkey = ?2 WHERE id = ?1", -1, &upd, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, stmt_sql[ST_FTS_ADD], -1, &fts, NULL) != SQLITE_OK) {
        db_fail(s, "migrating to schema 2");
        goto done;
    }
    int step;
    while ((step = sqlite3_step(all)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(all, 0);
        const char *key = (const char *)sqlite3_column_text(all, 1);
        size_t len = (size_t)sqlite3_column_bytes(all, 1);
        char *nkey = xlate_tm_number_key(key, len), *words = xlate_tm_index_text(key, len);
        int ok = nkey && words;
        if (ok) {
            sqlite3_bind_int64(upd, 1, id);
            sqlite3_bind_text(upd, 2, nkey, -1, SQLITE_STATIC);
            sqlite3_bind_int64(fts, 1, id);
            sqlite3_bind_text(fts, 2, words, -1, SQLITE_STATIC);
            ok = sqlite3_step(upd) == SQLITE_DONE && sqlite3_step(fts) == SQLITE_DONE;
            sqlite3_reset(upd);
            sqlite3_reset(fts);
        }
        free(nkey);
        free(words);
        if (!ok) {
            db_fail(s, "migrating to schema 2");
            goto done;
        }
    }
    if (step != SQLITE_DONE) {
        db_fail(s, "migrating to schema 2");
        goto done;
    }
    rc = 0;
done:
    sqlite3_finalize(all);
    sqlite3_finalize(upd);
    sqlite3_finalize(fts);
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
    if (version == 0 && exec(s, schema_v1, "creating the schema") != 0)
        goto fail;
    if (version < 2 && (exec(s, migrate_v2, "migrating to schema 2") != 0 || fill_v2(s) != 0))
        goto fail;
    if (version < XLATE_TM_SCHEMA_VERSION) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", XLATE_TM_SCHEMA_VERSION);
        if (exec(s, sql, "writing the schema version") != 0)
            goto fail;
    }
    return exec(s, "COMMIT", "writing the schema");
fail:
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

int xlate_tm_open(const char *path, int create, xlate_tm_store **out, char *err, size_t err_size) {
    *out = NULL;
    xlate_tm_store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "cannot open %s: %s%s", path, s->db ? sqlite3_errmsg(s->db) : "out of memory",
                 create ? "" : " (create it with xlate tm import)");
        xlate_tm_close(s);
        return -1;
    }
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    /* Workers that open a new memory at the same moment race to switch it to WAL, and SQLite
     * answers the loser "locked" at once, without its busy handler: try again until the switch
     * is made or the busy timeout has passed. */
    int rc = SQLITE_BUSY;
    for (int waited = 0; waited <= BUSY_TIMEOUT_MS; waited += 10) {
        rc = sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
            break;
        sqlite3_sleep(10);
    }
    if (rc != SQLITE_OK) {
        snprintf(err, err_size, "%s: switching the memory to WAL: %s", path, sqlite3_errmsg(s->db));
        xlate_tm_close(s);
        return -1;
    }
    /* WAL lets readers go on while one writer learns; NORMAL sync is durable across a killed
     * process (not across a power cut in the last transaction), the usual WAL trade-off. */
    /* The word index and the units are read at random: mapped, the pages come from the OS's
     * cache without a read call each, and a larger page cache keeps an import's index pages from
     * spilling to the WAL again and again. */
    if (exec(s, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
             " PRAGMA cache_size = -65536; PRAGMA mmap_size = 4294967296",
             "setting up the connection") != 0 ||
        migrate(s, path) != 0) {
        snprintf(err, err_size, "%s: %s", path, s->err);
        xlate_tm_close(s);
        return -1;
    }
    for (int i = 0; i < ST_COUNT; i++)
        if (sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) != SQLITE_OK) {
            snprintf(err, err_size, "%s: preparing a statement: %s", path, sqlite3_errmsg(s->db));
            xlate_tm_close(s);
            return -1;
        }
    *out = s;
    return 0;
}

void xlate_tm_close(xlate_tm_store *s) {
    if (!s)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    sqlite3_close(s->db);
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

int xlate_tm_begin(xlate_tm_store *s) { return run(s, ST_BEGIN, "starting a transaction"); }
int xlate_tm_commit(xlate_tm_store *s) { return run(s, ST_COMMIT, "committing"); }
void xlate_tm_rollback(xlate_tm_store *s) {
    if (!sqlite3_get_autocommit(s->db))
        (void)run(s, ST_ROLLBACK, "rolling back");
}

int xlate_tm_put(xlate_tm_store *s, long long pair, const char *source, size_t source_len,
                 const char *target, size_t target_len, const char *origin, long long now) {
    size_t key_len;
    char *key = xlate_tm_key(source, source_len, &key_len), *nkey = NULL, *words = NULL;
    int rc = -1;
    if (!key) {
        set_err(s, "out of memory");
        return -1;
    }
    sqlite3_stmt *st = stmt(s, ST_UNIT_BY_KEY);
    sqlite3_bind_int64(st, 1, pair);
    sqlite3_bind_text(st, 2, key, (int)key_len, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        const char *old_target = (const char *)sqlite3_column_text(st, 2);
        size_t old_len = (size_t)sqlite3_column_bytes(st, 2);
        int same = old_len == target_len && memcmp(old_target, target, target_len) == 0;
        sqlite3_reset(st);
        if (same) {
            rc = XLATE_TM_UNCHANGED;
            goto done;
        }
        st = stmt(s, ST_UNIT_UPDATE);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, source, (int)source_len, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, target, (int)target_len, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, now);
        sqlite3_bind_text(st, 5, origin, -1, SQLITE_STATIC);
        step = sqlite3_step(st);
        sqlite3_reset(st);
        rc = step == SQLITE_DONE ? XLATE_TM_UPDATED : db_fail(s, "updating a unit");
        goto done;
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE) {
        db_fail(s, "looking a unit up");
        goto done;
    }
    nkey = xlate_tm_number_key(key, key_len);
    words = xlate_tm_index_text(key, key_len);
    if (!nkey || !words) {
        set_err(s, "out of memory");
        goto done;
    }
    st = stmt(s, ST_UNIT_ADD);
    sqlite3_bind_int64(st, 1, pair);
    sqlite3_bind_text(st, 2, source, (int)source_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, target, (int)target_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, key, (int)key_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, nkey, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, now);
    sqlite3_bind_text(st, 7, origin, -1, SQLITE_STATIC);
    step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_DONE) {
        db_fail(s, "adding a unit");
        goto done;
    }
    st = stmt(s, ST_FTS_ADD);
    sqlite3_bind_int64(st, 1, sqlite3_last_insert_rowid(s->db));
    sqlite3_bind_text(st, 2, words, -1, SQLITE_STATIC);
    step = sqlite3_step(st);
    sqlite3_reset(st);
    rc = step == SQLITE_DONE ? XLATE_TM_ADDED : db_fail(s, "indexing a unit's words");
done:
    free(key);
    free(nkey);
    free(words);
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
    sqlite3_stmt *st = stmt(s, ST_UNIT_BY_KEY);
    sqlite3_bind_int64(st, 1, pair);
    sqlite3_bind_text(st, 2, key, (int)key_len, SQLITE_STATIC);
    int step = sqlite3_step(st), rc = 0;
    if (step == SQLITE_ROW)
        rc = list_add(l, XLATE_TM_EXACT, 100, sqlite3_column_int64(st, 0),
                      (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2),
                      (size_t)sqlite3_column_bytes(st, 2));
    else if (step != SQLITE_DONE)
        rc = db_fail(s, "looking up an exact match");
    sqlite3_reset(st);
    return rc;
}

static int lookup_repaired(xlate_tm_store *s, long long pair, const char *key, size_t key_len,
                           match_list *l) {
    char *nkey = xlate_tm_number_key(key, key_len);
    if (!nkey)
        return -1;
    int rc = 0;
    if (strchr(nkey, XLATE_TM_NUMBER_MARK)) {
        sqlite3_stmt *st = stmt(s, ST_BY_NKEY);
        sqlite3_bind_int64(st, 1, pair);
        sqlite3_bind_text(st, 2, nkey, -1, SQLITE_STATIC);
        int step;
        while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
            const char *target = (const char *)sqlite3_column_text(st, 2);
            const char *mkey = (const char *)sqlite3_column_text(st, 3);
            int status;
            char *fixed = xlate_tm_repair(mkey, (size_t)sqlite3_column_bytes(st, 3), key, key_len,
                                          target, (size_t)sqlite3_column_bytes(st, 2), &status);
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

/* A candidate unit and how many of the query's words it shares. */
typedef struct candidate {
    long long id;
    int hits;
} candidate;

static int by_id(const void *a, const void *b) {
    long long x = ((const candidate *)a)->id, y = ((const candidate *)b)->id;
    return (x > y) - (x < y);
}

static int by_hits(const void *a, const void *b) {
    const candidate *x = a, *y = b;
    if (x->hits != y->hits)
        return y->hits - x->hits;
    return (y->id > x->id) - (y->id < x->id);  /* newer first among equals */
}

static int by_score(const void *a, const void *b) {
    const xlate_tm_match *x = a, *y = b;
    if (x->score != y->score)
        return y->score - x->score;
    return (y->id > x->id) - (y->id < x->id);
}

/* The units that may score `threshold` or more, best first. Such a unit is at most
 * e = (100 - t) * n / t word edits from the query's n words (its length is at most 100 n / t),
 * and each edit breaks at most one word of the query. So the query's distinct words are dealt
 * into e + 1 groups, and the index is asked for the units holding every word of a group (an AND,
 * which the index answers by skipping through its lists): by the pigeonhole principle a unit that
 * can reach the threshold holds one group whole. Each group reads at most GROUP_POSTINGS_MAX
 * units; a unit found by more groups shares more words and is scored first. */
static int gather_candidates(xlate_tm_store *s, const xlate_tm_word *w, size_t nw, int threshold,
                             candidate **out, size_t *n_out) {
    uint64_t *distinct = malloc(nw * sizeof *distinct);
    if (!distinct)
        return -1;
    size_t nd = 0;
    for (size_t i = 0; i < nw; i++) {
        size_t j = 0;
        while (j < nd && distinct[j] != w[i].hash)
            j++;
        if (j == nd)
            distinct[nd++] = w[i].hash;
    }
    size_t edits = threshold > 0 ? (size_t)(100 - threshold) * nw / (size_t)threshold : nd;
    size_t groups = edits + 1 < nd ? edits + 1 : nd;
    candidate *c = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    char *query = malloc(nd * 17 + 1);
    if (!query)
        rc = -1;
    for (size_t g = 0; g < groups && rc == 0; g++) {
        size_t o = 0;
        for (size_t k = g; k < nd; k += groups) {
            if (o)
                query[o++] = ' ';  /* words side by side: all of them */
            xlate_tm_index_token(distinct[k], query + o);
            o += 16;
        }
        query[o] = '\0';
        sqlite3_stmt *st = stmt(s, ST_WORD_UNITS);
        sqlite3_bind_text(st, 1, query, (int)o, SQLITE_STATIC);
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            if (n == cap) {
                cap = cap ? cap * 2 : 1024;
                candidate *grown = realloc(c, cap * sizeof *grown);
                if (!grown) {
                    rc = -1;
                    break;
                }
                c = grown;
            }
            c[n].id = sqlite3_column_int64(st, 0);
            c[n].hits = 1;
            n++;
        }
        if (rc == 0 && step != SQLITE_DONE)
            rc = db_fail(s, "reading the word index");
        sqlite3_reset(st);
    }
    free(query);
    free(distinct);
    if (rc != 0) {
        free(c);
        return -1;
    }
    /* One candidate per unit, with the number of groups it holds. */
    if (n)
        qsort(c, n, sizeof *c, by_id);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && c[m - 1].id == c[i].id)
            c[m - 1].hits++;
        else
            c[m++] = c[i];
    }
    if (m)
        qsort(c, m, sizeof *c, by_hits);
    *out = c;
    *n_out = m > CANDIDATES_SCORED ? CANDIDATES_SCORED : m;
    return 0;
}

static int lookup_fuzzy(xlate_tm_store *s, long long pair, const char *key, size_t key_len,
                        const xlate_tm_query *q, match_list *l) {
    xlate_tm_word *w = NULL, *cw = NULL;
    size_t nw = xlate_tm_words(key, key_len, &w);
    if (nw == (size_t)-1)
        return -1;
    candidate *c = NULL;
    size_t nc = 0;
    int rc = nw ? gather_candidates(s, w, nw, q->threshold, &c, &nc) : 0;
    match_list found = {0};
    for (size_t i = 0; i < nc && rc == 0; i++) {
        int skip = 0;
        for (size_t k = 0; k < l->n && !skip; k++)
            skip = l->m[k].id == c[i].id;
        if (skip)
            continue;
        sqlite3_stmt *st = stmt(s, ST_UNIT_GET);
        sqlite3_bind_int64(st, 1, c[i].id);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW && sqlite3_column_int64(st, 0) == pair) {
            const char *mkey = (const char *)sqlite3_column_text(st, 3);
            size_t mlen = (size_t)sqlite3_column_bytes(st, 3);
            size_t ncw = xlate_tm_words(mkey, mlen, &cw);
            /* A length difference alone can rule a candidate out before the distance. */
            size_t longer = ncw > nw ? ncw : nw, diff = ncw > nw ? ncw - nw : nw - ncw;
            if (ncw == (size_t)-1)
                rc = -1;
            else if (longer && 100 * (longer - diff) / longer >= (size_t)q->threshold) {
                int same = mlen == key_len && memcmp(mkey, key, key_len) == 0;
                int score = xlate_tm_score(w, nw, cw, ncw, same);
                if (score < 0)
                    rc = -1;
                else if (score >= q->threshold)
                    rc = list_add(&found, XLATE_TM_FUZZY, score, c[i].id,
                                  (const char *)sqlite3_column_text(st, 1),
                                  (const char *)sqlite3_column_text(st, 2),
                                  (size_t)sqlite3_column_bytes(st, 2));
            }
            free(cw);
            cw = NULL;
        } else if (step != SQLITE_ROW && step != SQLITE_DONE)
            rc = db_fail(s, "reading a candidate");
        sqlite3_reset(st);
    }
    if (found.n)
        qsort(found.m, found.n, sizeof *found.m, by_score);
    for (size_t i = 0; i < found.n && rc == 0; i++) {
        if (l->n >= q->max)
            break;
        /* Moved, not copied: the strings change owner. */
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
        l->m[l->n++] = found.m[i];
        found.m[i].source = found.m[i].target = NULL;
    }
    xlate_tm_matches_free(found.m, found.n);
    free(c);
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

int xlate_tm_each_pair(xlate_tm_store *s,
                       int (*each)(void *data, long long id, const char *src, const char *tgt,
                                   long long units),
                       void *data) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT p.id, p.src, p.tgt, (SELECT count(*) FROM tm_unit u WHERE u.pair = p.id) "
                           "FROM tm_pair p ORDER BY p.src, p.tgt", -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, "reading the language pairs");
    int step, rc = 0;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = each(data, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
                  (const char *)sqlite3_column_text(st, 2), sqlite3_column_int64(st, 3));
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_fail(s, "reading the language pairs");
    sqlite3_finalize(st);
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
