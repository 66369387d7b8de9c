/*
 * Tests of the glossary's dictionary cache (dictcache.c): where entries go (XLATE_CACHE_DIR,
 * "off", XDG_CACHE_HOME, HOME), that an entry reads back as written, that its key follows the
 * vocabulary and the dictionary files' identity, that a damaged file or one holding another key
 * is a miss and is replaced by the next store, and that a directory that cannot be made is a
 * miss and a failed store, never a crash. Everything happens in a temporary directory.
 */
#include "check.h"
#include "dictcache.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[] = "/tmp/xlate-test-dictcache-XXXXXX";

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static char *join(const char *a, const char *b) {
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    snprintf(s, n, "%s/%s", a, b);
    return s;
}

static const char *const vocab_a[] = {"область", "харківська"};
static const char *const vocab_b[] = {"область", "полтавська"}; /* the same length as vocab_a */
static size_t lens_a[2], lens_b[2];

typedef struct dict_files {
    char *aff, *dic;
} dict_files;

static xlate_dictcache *open_for(const dict_files *d, const char *const *words,
                                 const size_t *lens) {
    xlate_dictcache *c = NULL;
    CHECK_INT(xlate_dictcache_open(d->aff, d->dic, words, lens, 2, &c), 0);
    return c;
}

static const char *const parts_in[XLATE_DICTCACHE_PARTS] = {
    "SET UTF-8\n", "2\nкиїв\nобласть/V\n", "", "\x01\x02\x03 records"};

static void store_parts(const xlate_dictcache *c) {
    size_t lens[XLATE_DICTCACHE_PARTS];
    for (int i = 0; i < XLATE_DICTCACHE_PARTS; i++)
        lens[i] = strlen(parts_in[i]);
    CHECK_INT(xlate_dictcache_store(c, parts_in, lens), 0);
}

/* 1 when the entry loads and holds parts_in. */
static int loads_parts(xlate_dictcache *c) {
    const char *parts[XLATE_DICTCACHE_PARTS];
    size_t lens[XLATE_DICTCACHE_PARTS];
    if (xlate_dictcache_load(c, parts, lens) != 1)
        return 0;
    for (int i = 0; i < XLATE_DICTCACHE_PARTS; i++)
        if (lens[i] != strlen(parts_in[i]) || memcmp(parts[i], parts_in[i], lens[i]) != 0)
            return 0;
    return 1;
}

/* 1 when load takes the file as an entry, whatever it holds. */
static int loads_anything(xlate_dictcache *c) {
    const char *parts[XLATE_DICTCACHE_PARTS];
    size_t lens[XLATE_DICTCACHE_PARTS];
    return xlate_dictcache_load(c, parts, lens) == 1;
}

static int starts_with(const char *s, const char *prefix) {
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void test_where_entries_go(const dict_files *d) {
    setenv("XLATE_CACHE_DIR", "off", 1);
    CHECK(open_for(d, vocab_a, lens_a) == NULL);
    setenv("XLATE_CACHE_DIR", "", 1);
    CHECK(open_for(d, vocab_a, lens_a) == NULL);

    unsetenv("XLATE_CACHE_DIR");
    char *xdg = join(root, "xdg"), *home = join(root, "home");
    setenv("XDG_CACHE_HOME", xdg, 1);
    setenv("HOME", home, 1);
    xlate_dictcache *c = open_for(d, vocab_a, lens_a);
    char *want = join(xdg, "xlate/glossary-");
    CHECK(c && starts_with(xlate_dictcache_path(c), want));
    xlate_dictcache_free(c);
    free(want);

    setenv("XDG_CACHE_HOME", "relative/ignored", 1);
    c = open_for(d, vocab_a, lens_a);
    want = join(home, ".cache/xlate/glossary-");
    CHECK(c && starts_with(xlate_dictcache_path(c), want));
    if (c) {
        store_parts(c); /* makes the missing directories */
        CHECK(loads_parts(c));
    }
    xlate_dictcache_free(c);
    free(want);
    free(xdg);
    free(home);
}

static void test_key(const dict_files *d) {
    xlate_dictcache *a = open_for(d, vocab_a, lens_a), *b = open_for(d, vocab_b, lens_b);
    CHECK(a && b);
    if (!a || !b)
        return;
    CHECK(strcmp(xlate_dictcache_path(a), xlate_dictcache_path(b)) != 0);
    store_parts(a);
    CHECK(loads_parts(a));
    CHECK(!loads_parts(b));

    /* A file holding another key is not an entry for this one, whatever its name. */
    CHECK_INT(rename(xlate_dictcache_path(a), xlate_dictcache_path(b)), 0);
    CHECK(!loads_anything(b));
    CHECK(!loads_anything(a));

    /* A changed dictionary file is another key: the .dic rewritten with a new time. */
    store_parts(a);
    char *path_before = strdup(xlate_dictcache_path(a));
    struct timespec times[2] = {{0, UTIME_OMIT}, {1000000000, 123456789}};
    CHECK_INT(utimensat(AT_FDCWD, d->dic, times, 0), 0);
    xlate_dictcache *later = open_for(d, vocab_a, lens_a);
    CHECK(later && strcmp(xlate_dictcache_path(later), path_before) != 0);
    CHECK(later && !loads_parts(later));
    xlate_dictcache_free(later);
    free(path_before);

    /* A dictionary that cannot be examined: no cache at all. */
    dict_files gone = {d->aff, join(root, "missing.dic")};
    CHECK(open_for(&gone, vocab_a, lens_a) == NULL);
    free(gone.dic);
    xlate_dictcache_free(a);
    xlate_dictcache_free(b);
}

/* Damages the entry's file with `how`, checks it is a miss, then that a store mends it. */
static void check_damage_is_a_miss(xlate_dictcache *c, const char *what,
                                   void (*how)(const char *path)) {
    store_parts(c);
    CHECK(loads_parts(c));
    how(xlate_dictcache_path(c));
    if (loads_anything(c))
        fprintf(stderr, "  a file %s was taken as an entry\n", what);
    CHECK(!loads_anything(c));
    store_parts(c);
    CHECK(loads_parts(c));
}

static void cut_short(const char *path) {
    struct stat st;
    CHECK_INT(stat(path, &st), 0);
    CHECK_INT(truncate(path, st.st_size - 3), 0);
}

static void flip_last_byte(const char *path) {
    FILE *f = fopen(path, "r+b");
    CHECK(f != NULL);
    if (!f)
        return;
    fseek(f, -1, SEEK_END);
    int c = fgetc(f);
    fseek(f, -1, SEEK_END);
    fputc(c ^ 0x20, f);
    fclose(f);
}

static void append_garbage(const char *path) {
    FILE *f = fopen(path, "ab");
    CHECK(f != NULL);
    if (f) {
        fputs("garbage", f);
        fclose(f);
    }
}

static void empty_it(const char *path) { write_file(path, ""); }

static void test_damaged_entries(const dict_files *d) {
    xlate_dictcache *c = open_for(d, vocab_a, lens_a);
    CHECK(c != NULL);
    if (!c)
        return;
    check_damage_is_a_miss(c, "cut short", cut_short);
    check_damage_is_a_miss(c, "with a byte changed", flip_last_byte);
    check_damage_is_a_miss(c, "with bytes appended", append_garbage);
    check_damage_is_a_miss(c, "emptied", empty_it);
    xlate_dictcache_free(c);
}

static void test_unusable_directory(const dict_files *d) {
    char *file = join(root, "a-file");
    char *dir = join(file, "cache");
    write_file(file, "not a directory\n");
    setenv("XLATE_CACHE_DIR", dir, 1);
    xlate_dictcache *c = open_for(d, vocab_a, lens_a);
    CHECK(c != NULL);
    if (c) {
        size_t lens[XLATE_DICTCACHE_PARTS] = {0};
        CHECK_INT(xlate_dictcache_store(c, parts_in, lens), -1);
        CHECK(!loads_parts(c));
    }
    xlate_dictcache_free(c);
    free(dir);
    free(file);
}

int main(void) {
    for (int i = 0; i < 2; i++) {
        lens_a[i] = strlen(vocab_a[i]);
        lens_b[i] = strlen(vocab_b[i]);
    }
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    dict_files d = {join(root, "test.aff"), join(root, "test.dic")};
    write_file(d.aff, "SET UTF-8\nSFX V Y 1\nSFX V ь і ь\n");
    write_file(d.dic, "2\nкиїв\nобласть/V\n");
    test_where_entries_go(&d);
    char *dir = join(root, "cache");
    setenv("XLATE_CACHE_DIR", dir, 1);
    test_key(&d);
    test_damaged_entries(&d);
    test_unusable_directory(&d);
    free(dir);
    free(d.aff);
    free(d.dic);
    check_remove_tree(root);
    return check_result("test_glossary_dictcache");
}
