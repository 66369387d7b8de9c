/*
 * Tests of the translation memory's store: the keys (whitespace and quote styles folded, case
 * kept), the scores a person expects (exact 100, repaired 99 with the new numbers, one word of
 * ten changed 90), no repair where the target does not hold the numbers, the pairs kept apart,
 * a rolled-back transaction leaving nothing, a second connection seeing a commit, the
 * migration of schema 1, 2 and 3 databases (made here with SQL, as those versions wrote them),
 * the fuzzy index's full recall against a scan of every unit, the word signatures never hiding a
 * unit another connection added or one that took a rolled-back unit's id, and a run's "en"
 * finding a memory's "en-US".
 */
#include "check.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzzy.h"
#include "key.h"
#include "tm_store.h"
#include "windex.h"

static char dir[] = "/tmp/xlate-tm-store-XXXXXX";

static void check_key(const char *text, const char *want) {
    size_t len;
    char *k = xlate_tm_key(text, strlen(text), &len);
    CHECK_STR(k, want);
    CHECK_INT(len, strlen(want));
    free(k);
}

static void test_keys(void) {
    check_key("  Hello \t world  ", "Hello world");
    check_key("“Quoted” «text» „here“ \"too\"", "\"Quoted\" \"text\" \"here\" \"too\"");
    check_key("It’s Kyiv‘s ʼcase' it's", "It's Kyiv's 'case' it's");
    check_key("Case Kept", "Case Kept");
    check_key("non\xC2\xA0" "breaking\xE2\x80\xAF" "spaces", "non breaking spaces");
    char *nk = xlate_tm_number_key("On 12.05.2024 at 10:30, 3,5 km", 30);
    CHECK_STR(nk, "On \x01 at \x01, \x01 km");
    free(nk);
}

static int score_of(const char *a, const char *b) {
    xlate_tm_word *wa, *wb;
    size_t na = xlate_tm_words(a, strlen(a), &wa), nb = xlate_tm_words(b, strlen(b), &wb);
    int s = xlate_tm_score(wa, na, wb, nb, strcmp(a, b) == 0);
    free(wa);
    free(wb);
    return s;
}

static void test_scores(void) {
    const char *ten = "The council approved the new budget for the next year.";
    CHECK_INT(score_of(ten, ten), 100);
    CHECK_INT(score_of(ten, "The council rejected the new budget for the next year."), 90);
    CHECK_INT(score_of(ten, "The council approved the new budget for the next year!"), 99);
    CHECK_INT(score_of(ten, "The council approved the budget for the next year."), 90);
    CHECK_INT(score_of(ten, "The mayor rejected the old budget for the next year."), 70);
    CHECK_INT(score_of("one two three four", "five six seven eight"), 0);
    /* apostrophes inside words keep them whole */
    xlate_tm_word *w;
    CHECK_INT(xlate_tm_words("don't stop, інтерв'ю", strlen("don't stop, інтерв'ю"), &w), 3);
    free(w);
}

static void test_repair(void) {
    int status;
    const char *mem = "The talks lasted 3 hours on 12.05.2024.";
    const char *now = "The talks lasted 5 hours on 14.06.2025.";
    char *t = xlate_tm_repair(mem, strlen(mem), now, strlen(now),
                              "Переговори тривали 3 години 12.05.2024.", strlen("Переговори тривали 3 години 12.05.2024."),
                              &status);
    CHECK_STR(t, "Переговори тривали 5 години 14.06.2025.");
    free(t);
    /* the target writes the date in words: not repairable */
    t = xlate_tm_repair(mem, strlen(mem), now, strlen(now), "Переговори тривали 3 години 12 травня.",
                        strlen("Переговори тривали 3 години 12 травня."), &status);
    CHECK(t == NULL);
    CHECK_INT(status, 1);
    /* numbers in another order are put by value */
    const char *m2 = "From 2 to 7", *n2 = "From 4 to 9";
    t = xlate_tm_repair(m2, strlen(m2), n2, strlen(n2), "7 ← 2", strlen("7 ← 2"), &status);
    CHECK_STR(t, "9 ← 4");
    free(t);
}

static xlate_tm_store *open_db(const char *name) {
    char path[256], err[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    xlate_tm_store *s = NULL;
    if (xlate_tm_open(path, 1, &s, err, sizeof err) != 0)
        fprintf(stderr, "open: %s\n", err);
    CHECK(s != NULL);
    return s;
}

static void put(xlate_tm_store *s, long long pair, const char *src, const char *tgt) {
    CHECK(xlate_tm_put(s, pair, src, strlen(src), tgt, strlen(tgt), "test", 1000) > 0);
}

static void lookup(xlate_tm_store *s, long long pair, const char *text, int threshold,
                   xlate_tm_match **m, size_t *n) {
    xlate_tm_query q = {threshold, 1, 3};
    CHECK_INT(xlate_tm_lookup(s, pair, text, strlen(text), &q, m, n), 0);
}

static void test_lookups(void) {
    xlate_tm_store *s = open_db("tm.db");
    if (!s)
        return;
    long long en_uk, en_de;
    CHECK_INT(xlate_tm_pair(s, "en", "uk", 0, &en_uk), 1);
    CHECK_INT(xlate_tm_begin(s), 0);
    CHECK_INT(xlate_tm_pair(s, "en", "uk", 1, &en_uk), 0);
    CHECK_INT(xlate_tm_pair(s, "EN", "de", 1, &en_de), 0);
    put(s, en_uk, "The council approved the new budget for the next year.",
        "Рада затвердила новий бюджет на наступний рік.");
    put(s, en_uk, "The talks lasted 3 hours on 12.05.2024.", "Переговори тривали 3 години 12.05.2024.");
    put(s, en_uk, "It's “raining” today.", "Сьогодні «дощ».");
    put(s, en_de, "The council approved the new budget for the next year.",
        "Der Rat hat den neuen Haushalt für das nächste Jahr gebilligt.");
    CHECK_INT(xlate_tm_put(s, en_uk, "It’s  \"raining\" today.", strlen("It’s  \"raining\" today."), "Сьогодні «дощ».",
                           strlen("Сьогодні «дощ»."), "test", 1001), XLATE_TM_UNCHANGED);
    CHECK_INT(xlate_tm_commit(s), 0);

    xlate_tm_match *m;
    size_t n;
    lookup(s, en_uk, "The  council approved the new budget for the next year.", 75, &m, &n);
    CHECK_INT(n, 1);
    if (n) {
        CHECK_INT(m[0].kind, XLATE_TM_EXACT);
        CHECK_INT(m[0].score, 100);
        CHECK_STR(m[0].target, "Рада затвердила новий бюджет на наступний рік.");
    }
    xlate_tm_matches_free(m, n);

    lookup(s, en_uk, "It’s «raining» today.", 75, &m, &n);
    CHECK(n >= 1 && m[0].score == 100);
    xlate_tm_matches_free(m, n);

    lookup(s, en_uk, "The talks lasted 5 hours on 14.06.2025.", 75, &m, &n);
    CHECK(n >= 1);
    if (n) {
        CHECK_INT(m[0].kind, XLATE_TM_REPAIRED);
        CHECK_INT(m[0].score, 99);
        CHECK_STR(m[0].target, "Переговори тривали 5 години 14.06.2025.");
        CHECK_STR(m[0].source, "The talks lasted 3 hours on 12.05.2024.");
    }
    xlate_tm_matches_free(m, n);

    lookup(s, en_uk, "The council rejected the new budget for the next year.", 75, &m, &n);
    CHECK_INT(n, 1);
    if (n) {
        CHECK_INT(m[0].kind, XLATE_TM_FUZZY);
        CHECK_INT(m[0].score, 90);
    }
    xlate_tm_matches_free(m, n);
    /* above the threshold only */
    lookup(s, en_uk, "The council rejected the new budget for the next year.", 95, &m, &n);
    CHECK_INT(n, 0);
    xlate_tm_matches_free(m, n);
    /* the other pair has its own translation */
    lookup(s, en_de, "The council approved the new budget for the next year.", 75, &m, &n);
    CHECK(n == 1 && strncmp(m[0].target, "Der Rat", 7) == 0);
    xlate_tm_matches_free(m, n);

    /* a rolled-back transaction leaves nothing */
    CHECK_INT(xlate_tm_begin(s), 0);
    put(s, en_uk, "Nothing of this stays.", "Нічого з цього не лишиться.");
    xlate_tm_rollback(s);
    lookup(s, en_uk, "Nothing of this stays.", 75, &m, &n);
    CHECK_INT(n, 0);
    xlate_tm_matches_free(m, n);

    /* another connection (another worker) sees what one committed */
    xlate_tm_store *other = open_db("tm.db");
    if (other) {
        CHECK_INT(xlate_tm_begin(s), 0);
        put(s, en_uk, "Shared between workers.", "Спільне для працівників.");
        CHECK_INT(xlate_tm_commit(s), 0);
        lookup(other, en_uk, "Shared between workers.", 75, &m, &n);
        CHECK(n == 1 && m[0].score == 100);
        xlate_tm_matches_free(m, n);
        xlate_tm_close(other);
    }
    xlate_tm_close(s);
}

/* A schema 1 database as an older xlate wrote it: no number key, no word index. */
static void test_migration(void) {
    char path[256];
    snprintf(path, sizeof path, "%s/v1.db", dir);
    sqlite3 *db;
    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db,
        "CREATE TABLE tm_pair(id INTEGER PRIMARY KEY, src TEXT NOT NULL, tgt TEXT NOT NULL, UNIQUE(src, tgt));"
        "CREATE TABLE tm_unit(id INTEGER PRIMARY KEY, pair INTEGER NOT NULL REFERENCES tm_pair(id),"
        " source TEXT NOT NULL, target TEXT NOT NULL, key TEXT NOT NULL, created INTEGER NOT NULL,"
        " used INTEGER NOT NULL, origin TEXT NOT NULL, UNIQUE(pair, key));"
        "INSERT INTO tm_pair VALUES (1, 'en', 'uk');"
        "INSERT INTO tm_unit VALUES (1, 1, 'Room 12 is on floor 3.', 'Кімната 12 на 3 поверсі.',"
        " 'Room 12 is on floor 3.', 1, 1, 'old');"
        "INSERT INTO tm_unit VALUES (2, 1, 'The weather is fine in the city today.',"
        " 'Сьогодні в місті гарна погода.', 'The weather is fine in the city today.', 1, 1, 'old');"
        "PRAGMA user_version = 1;", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    xlate_tm_store *s = open_db("v1.db");
    if (!s)
        return;
    xlate_tm_match *m;
    size_t n;
    lookup(s, 1, "Room 14 is on floor 2.", 75, &m, &n);
    CHECK(n >= 1 && m[0].kind == XLATE_TM_REPAIRED);
    if (n)
        CHECK_STR(m[0].target, "Кімната 14 на 2 поверсі.");
    xlate_tm_matches_free(m, n);
    lookup(s, 1, "The weather is bad in the city today.", 75, &m, &n);
    CHECK(n == 1 && m[0].kind == XLATE_TM_FUZZY && m[0].score == 87);
    xlate_tm_matches_free(m, n);
    xlate_tm_close(s);

    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    CHECK_INT(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(st, 0), XLATE_TM_SCHEMA_VERSION);
    sqlite3_finalize(st);
    sqlite3_close(db);

    /* a database of something else is refused, not taken over */
    snprintf(path, sizeof path, "%s/other.db", dir);
    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, "CREATE TABLE notes(x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    char err[512];
    CHECK(xlate_tm_open(path, 1, &s, err, sizeof err) != 0);
    CHECK(strstr(err, "not a translation memory") != NULL);
}

/* A schema 2 database as the previous xlate wrote it: text keys under a unique index, the
 * number key, an FTS5 word table. */
static void test_migration_v2(void) {
    char path[256];
    snprintf(path, sizeof path, "%s/v2.db", dir);
    sqlite3 *db;
    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db,
        "CREATE TABLE tm_pair(id INTEGER PRIMARY KEY, src TEXT NOT NULL, tgt TEXT NOT NULL, UNIQUE(src, tgt));"
        "CREATE TABLE tm_unit(id INTEGER PRIMARY KEY, pair INTEGER NOT NULL REFERENCES tm_pair(id),"
        " source TEXT NOT NULL, target TEXT NOT NULL, key TEXT NOT NULL, created INTEGER NOT NULL,"
        " used INTEGER NOT NULL, origin TEXT NOT NULL, nkey TEXT NOT NULL DEFAULT '', UNIQUE(pair, key));"
        "CREATE INDEX tm_unit_nkey ON tm_unit(pair, nkey);"
        "CREATE VIRTUAL TABLE tm_words USING fts5(words, content='', detail=none, columnsize=0,"
        " tokenize='unicode61 remove_diacritics 0');"
        "INSERT INTO tm_pair VALUES (3, 'en', 'uk');"
        "INSERT INTO tm_unit VALUES (7, 3, 'Room 12 is on floor 3.', 'Кімната 12 на 3 поверсі.',"
        " 'Room 12 is on floor 3.', 100, 200, 'import:old.tmx', 'Room \x01 is on floor \x01.');"
        "INSERT INTO tm_unit VALUES (9, 3, 'The weather is fine in the city today.',"
        " 'Сьогодні в місті гарна погода.', 'The weather is fine in the city today.', 101, 101,"
        " 'learn:a.html', 'The weather is fine in the city today.');"
        "INSERT INTO tm_words(rowid, words) VALUES (7, 'w1 w2'), (9, 'w3 w4');"
        "PRAGMA user_version = 2;", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    xlate_tm_store *s = open_db("v2.db");
    if (!s)
        return;
    xlate_tm_match *m;
    size_t n;
    lookup(s, 3, "Room  12 is on floor 3.", 75, &m, &n);
    CHECK(n == 1 && m[0].kind == XLATE_TM_EXACT && m[0].id == 7);
    xlate_tm_matches_free(m, n);
    lookup(s, 3, "Room 14 is on floor 2.", 75, &m, &n);
    CHECK(n >= 1 && m[0].kind == XLATE_TM_REPAIRED);
    if (n)
        CHECK_STR(m[0].target, "Кімната 14 на 2 поверсі.");
    xlate_tm_matches_free(m, n);
    lookup(s, 3, "The weather is bad in the city today.", 75, &m, &n);
    CHECK(n == 1 && m[0].kind == XLATE_TM_FUZZY && m[0].score == 87 && m[0].id == 9);
    xlate_tm_matches_free(m, n);
    /* a unit learned after the migration is found like the migrated ones */
    CHECK_INT(xlate_tm_begin(s), 0);
    put(s, 3, "The weather was fine in the city yesterday.", "Учора в місті була гарна погода.");
    CHECK_INT(xlate_tm_commit(s), 0);
    lookup(s, 3, "The weather was fine in the city today.", 75, &m, &n);
    CHECK(n == 2 && m[0].score == 87 && m[0].id > 9 && m[1].score == 87 && m[1].id == 9);
    xlate_tm_matches_free(m, n);
    xlate_tm_close(s);

    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    CHECK_INT(sqlite3_prepare_v2(db, "SELECT (SELECT user_version FROM pragma_user_version),"
                                 " group_concat(id || ':' || created || ':' || used || ':' || origin, ' '),"
                                 " (SELECT count(*) FROM sqlite_schema WHERE name LIKE '%v2%')"
                                 " FROM (SELECT * FROM tm_unit WHERE id < 10 ORDER BY id)", -1, &st, NULL), SQLITE_OK);
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(st, 0), XLATE_TM_SCHEMA_VERSION);
    CHECK_STR((const char *)sqlite3_column_text(st, 1), "7:100:200:import:old.tmx 9:101:101:learn:a.html");
    CHECK_INT(sqlite3_column_int(st, 2), 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* A schema 3 database: schema 4 without the word signatures (tm_sig), as version 3 wrote it.
 * Made by opening a new memory and taking the table away; the migration computes the signatures
 * from the stored words, and the units are found as before. */
static void test_migration_v3(void) {
    xlate_tm_store *s = open_db("v3.db");
    if (!s)
        return;
    long long pair;
    CHECK_INT(xlate_tm_begin(s), 0);
    CHECK_INT(xlate_tm_pair(s, "en", "uk", 1, &pair), 0);
    put(s, pair, "The weather is fine in the city today.", "Сьогодні в місті гарна погода.");
    put(s, pair, "The council approved the new budget on Monday.", "Рада схвалила новий бюджет у понеділок.");
    CHECK_INT(xlate_tm_commit(s), 0);
    xlate_tm_close(s);

    char path[256];
    snprintf(path, sizeof path, "%s/v3.db", dir);
    sqlite3 *db;
    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, "DROP TABLE tm_sig; PRAGMA user_version = 3;", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    s = open_db("v3.db");
    if (!s)
        return;
    xlate_tm_match *m;
    size_t n;
    lookup(s, pair, "The weather is bad in the city today.", 75, &m, &n);
    CHECK(n == 1 && m[0].kind == XLATE_TM_FUZZY && m[0].score == 87);
    xlate_tm_matches_free(m, n);
    lookup(s, pair, "The council approved the old budget on Monday.", 75, &m, &n);
    CHECK(n == 1 && m[0].kind == XLATE_TM_FUZZY && m[0].score == 87);
    xlate_tm_matches_free(m, n);
    xlate_tm_close(s);

    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    CHECK_INT(sqlite3_prepare_v2(db, "SELECT (SELECT user_version FROM pragma_user_version),"
                                 " (SELECT count(*) FROM tm_sig WHERE sigs != zeroblob(length(sigs)))",
                                 -1, &st, NULL), SQLITE_OK);
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(st, 0), XLATE_TM_SCHEMA_VERSION);
    CHECK_INT(sqlite3_column_int(st, 1), 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* The word signatures a connection has read never hide a unit from it: not one another
 * connection added after the read, nor one that took the id of a unit rolled back. */
static void test_signatures(void) {
    xlate_tm_store *s = open_db("sig.db"), *other = open_db("sig.db");
    if (!s || !other)
        return;
    long long pair;
    xlate_tm_match *m;
    size_t n;
    CHECK_INT(xlate_tm_begin(s), 0);
    CHECK_INT(xlate_tm_pair(s, "en", "uk", 1, &pair), 0);
    put(s, pair, "The weather is fine in the city today.", "Сьогодні в місті гарна погода.");
    CHECK_INT(xlate_tm_commit(s), 0);
    lookup(s, pair, "The weather is bad in the city today.", 75, &m, &n);
    CHECK(n == 1 && m[0].score == 87);
    xlate_tm_matches_free(m, n);

    CHECK_INT(xlate_tm_begin(other), 0);
    put(other, pair, "The council approved the new budget on Monday.", "Рада схвалила новий бюджет у понеділок.");
    CHECK_INT(xlate_tm_commit(other), 0);
    lookup(s, pair, "The council approved the old budget on Monday.", 75, &m, &n);
    CHECK(n == 1 && m[0].score == 87);
    xlate_tm_matches_free(m, n);

    CHECK_INT(xlate_tm_begin(s), 0);
    put(s, pair, "Alpha beta gamma delta epsilon zeta eta theta.", "a");
    CHECK_INT(xlate_tm_commit(s), 0);
    CHECK_INT(xlate_tm_begin(s), 0);
    put(s, pair, "Kappa lambda omicron sigma tau upsilon phi chi.", "k");
    xlate_tm_rollback(s);
    CHECK_INT(xlate_tm_begin(s), 0);
    put(s, pair, "One two three four five six seven eight.", "1");
    CHECK_INT(xlate_tm_commit(s), 0);
    lookup(s, pair, "One two three four five six seven nine.", 75, &m, &n);
    CHECK(n == 1 && m[0].score == 87);
    xlate_tm_matches_free(m, n);
    lookup(s, pair, "Kappa lambda omicron sigma tau upsilon phi psi.", 75, &m, &n);
    CHECK_INT(n, 0);
    xlate_tm_matches_free(m, n);
    xlate_tm_close(other);
    xlate_tm_close(s);
}

/* A small deterministic generator, so that a failure comes back the same. */
static unsigned long long rng_state = 88172645463325252ull;
static unsigned next_rand(unsigned n) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

#define RECALL_UNITS 1500
#define RECALL_VOCAB 40

typedef struct expected {
    long long id;
    int score;
} expected;

static int expected_order(const void *a, const void *b) {
    const expected *x = a, *y = b;
    if (x->score != y->score)
        return y->score - x->score;
    return (y->id > x->id) - (y->id < x->id);
}

/* Every unit that scores the threshold is found: the index's answers against a scan that scores
 * every unit of the memory, for near misses (words changed, added, dropped) at thresholds from
 * the index's lowest up, and below it (the complete scan path). */
static void test_full_recall(void) {
    xlate_tm_store *s = open_db("recall.db");
    if (!s)
        return;
    static char vocab[RECALL_VOCAB][16];
    for (int i = 0; i < RECALL_VOCAB; i++) {
        int len = 1 + (int)next_rand(11);  /* lengths 1..11: the index orders by length */
        for (int k = 0; k < len; k++)
            vocab[i][k] = (char)('a' + next_rand(26));
        vocab[i][len] = '\0';
    }
    static char units[RECALL_UNITS][256];
    size_t n_units = 0;
    long long pair;
    CHECK_INT(xlate_tm_begin(s), 0);
    CHECK_INT(xlate_tm_pair(s, "xx", "yy", 1, &pair), 0);
    while (n_units < RECALL_UNITS) {
        char *u = units[n_units];
        int words = 2 + (int)next_rand(14), o = 0;
        for (int w = 0; w < words; w++)
            o += snprintf(u + o, 256 - (size_t)o, "%s%s", w ? " " : "", vocab[next_rand(RECALL_VOCAB)]);
        int put = xlate_tm_put(s, pair, u, strlen(u), "t", 1, "test", 1);
        CHECK(put > 0);
        if (put == XLATE_TM_ADDED)
            n_units++;  /* ids 1, 2, ...: the order added */
        /* The first commit counts the words; the later ones index their units by those counts
         * (the memory has not doubled). */
        if (put == XLATE_TM_ADDED && (n_units == 1000 || n_units == 1300)) {
            CHECK_INT(xlate_tm_commit(s), 0);
            CHECK_INT(xlate_tm_begin(s), 0);
        }
    }
    CHECK_INT(xlate_tm_commit(s), 0);

    static const int thresholds[] = {40, 50, 60, 75, 90};
    static expected want[RECALL_UNITS];
    int checked = 0, with_matches = 0;
    for (int qi = 0; qi < 300; qi++) {
        char query[256];
        const char *base = units[next_rand((unsigned)n_units)];
        xlate_tm_word *bw;
        size_t nb = xlate_tm_words(base, strlen(base), &bw), o = 0;
        int edits = 1 + (int)next_rand(4);
        for (size_t w = 0; w < nb; w++) {
            int roll = (int)next_rand(6);
            if (edits > 0 && roll == 0) {          /* dropped */
                edits--;
                continue;
            }
            const char *word = bw[w].text;
            int len = (int)bw[w].len;
            if (edits > 0 && roll == 1) {          /* replaced */
                edits--;
                word = vocab[next_rand(RECALL_VOCAB)];
                len = (int)strlen(word);
            }
            o += (size_t)snprintf(query + o, sizeof query - o, "%s%.*s", o ? " " : "", len, word);
            if (edits > 0 && roll == 2) {          /* added */
                edits--;
                o += (size_t)snprintf(query + o, sizeof query - o, " %s", vocab[next_rand(RECALL_VOCAB)]);
            }
        }
        free(bw);
        int threshold = thresholds[qi % 5];
        xlate_tm_word *qw;
        size_t nq = xlate_tm_words(query, strlen(query), &qw), n_want = 0;
        int is_unit = 0;
        for (size_t u = 0; u < n_units; u++) {
            xlate_tm_word *uw;
            size_t nu = xlate_tm_words(units[u], strlen(units[u]), &uw);
            int same = strcmp(units[u], query) == 0;
            int score = xlate_tm_score(qw, nq, uw, nu, same);
            is_unit |= same;
            if (score >= threshold && !same)
                want[n_want++] = (expected){(long long)u + 1, score};
            free(uw);
        }
        free(qw);
        if (is_unit)
            continue;  /* an exact match answers alone */
        qsort(want, n_want, sizeof *want, expected_order);
        xlate_tm_query q = {threshold, 0, 100};
        xlate_tm_match *m;
        size_t n;
        CHECK_INT(xlate_tm_lookup(s, pair, query, strlen(query), &q, &m, &n), 0);
        size_t expect_n = n_want < 100 ? n_want : 100;
        CHECK_INT(n, expect_n);
        for (size_t i = 0; i < n && i < expect_n; i++)
            if (m[i].id != want[i].id || m[i].score != want[i].score) {
                fprintf(stderr, "recall: \"%s\" at %d: match %zu is unit %lld (%d), the scan's is %lld (%d)\n",
                        query, threshold, i, m[i].id, m[i].score, want[i].id, want[i].score);
                CHECK(0);
                break;
            }
        xlate_tm_matches_free(m, n);
        checked++;
        with_matches += n_want > 0;
    }
    /* the generator made queries that test something */
    fprintf(stderr, "recall: %d queries checked, %d with matches\n", checked, with_matches);
    CHECK(checked > 200);
    CHECK(with_matches > 100);
    xlate_tm_close(s);
}

/* Of two units a repair could use, the one a run used last. */
static void test_touch(void) {
    xlate_tm_store *s = open_db("touch.db");
    if (!s)
        return;
    long long pair;
    CHECK_INT(xlate_tm_begin(s), 0);
    CHECK_INT(xlate_tm_pair(s, "en", "uk", 1, &pair), 0);
    put(s, pair, "Room 12 is on floor 3.", "Кімната 12 на 3 поверсі.");
    put(s, pair, "Room 7 is on floor 9.", "Кімната 7, поверх 9.");
    CHECK_INT(xlate_tm_commit(s), 0);
    xlate_tm_match *m;
    size_t n;
    long long first = 0;
    lookup(s, pair, "Room 1 is on floor 2.", 75, &m, &n);
    CHECK(n >= 1 && m[0].kind == XLATE_TM_REPAIRED);
    if (n)
        first = m[0].id;
    xlate_tm_matches_free(m, n);
    long long other = first == 1 ? 2 : 1;
    CHECK_INT(xlate_tm_touch(s, &other, 1, 5000), 0);
    lookup(s, pair, "Room 1 is on floor 2.", 75, &m, &n);
    CHECK(n >= 1 && m[0].kind == XLATE_TM_REPAIRED && m[0].id == other);
    xlate_tm_matches_free(m, n);
    xlate_tm_close(s);
}

/* A TMX's en-US: a run asking for en finds it; of several, the one with the most units. */
static void test_language_subtags(void) {
    xlate_tm_store *s = open_db("tags.db");
    if (!s)
        return;
    long long us, gb, found;
    CHECK_INT(xlate_tm_begin(s), 0);
    CHECK_INT(xlate_tm_pair(s, "en-US", "uk", 1, &us), 0);
    CHECK_INT(xlate_tm_pair(s, "en-GB", "uk", 1, &gb), 0);
    put(s, us, "Colour", "Колір");
    put(s, gb, "Colour", "Барва");
    put(s, gb, "Flat", "Квартира");
    CHECK_INT(xlate_tm_commit(s), 0);
    char chosen[64];
    int matching;
    CHECK_INT(xlate_tm_pair_for(s, "en-us", "uk", &found, chosen, sizeof chosen, &matching), 0);
    CHECK(found == us && matching == 0);
    CHECK_INT(xlate_tm_pair_for(s, "en", "uk", &found, chosen, sizeof chosen, &matching), 0);
    CHECK(found == gb && matching == 2);
    CHECK_STR(chosen, "en-gb → uk");
    CHECK_INT(xlate_tm_pair_for(s, "EN", "uk-UA", &found, chosen, sizeof chosen, &matching), 0);
    CHECK(found == gb);
    CHECK_INT(xlate_tm_pair_for(s, "en-AU", "uk", &found, chosen, sizeof chosen, &matching), 0);
    CHECK(found == gb);
    CHECK_INT(xlate_tm_pair_for(s, "de", "uk", &found, chosen, sizeof chosen, &matching), 1);
    CHECK_INT(xlate_tm_pair_for(s, "eng", "uk", &found, chosen, sizeof chosen, &matching), 1);
    xlate_tm_close(s);
}

int main(void) {
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_keys();
    test_scores();
    test_repair();
    test_lookups();
    test_migration();
    test_migration_v2();
    test_migration_v3();
    test_full_recall();
    test_signatures();
    test_language_subtags();
    test_touch();
    check_remove_tree(dir);
    return check_result("test_tm_store");
}
