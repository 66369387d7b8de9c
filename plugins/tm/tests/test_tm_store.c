/*
 * Tests of the translation memory's store: the keys (whitespace and quote styles folded, case
 * kept), the scores a person expects (exact 100, repaired 99 with the new numbers, one word of
 * ten changed 90), no repair where the target does not hold the numbers, the pairs kept apart,
 * a rolled-back transaction leaving nothing, a second connection seeing a commit, and the
 * migration of a schema 1 database.
 */
#include "check.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzzy.h"
#include "key.h"
#include "tm_store.h"

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
    check_remove_tree(dir);
    return check_result("test_tm_store");
}
