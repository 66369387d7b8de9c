/*
 * Tests of dictpath: which installed hunspell dictionary the glossary uses for the run's --from,
 * on folders of small made-up dictionaries (only the names and the word lists matter).
 */
#include "check.h"
#include "dictpath.h"

#include <xlate/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char root[] = "/tmp/xlate-dictpath-XXXXXX";
static char dirs[2048];

static void write_file(const char *dir, const char *name, const char *text) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        check_failures++;
        return;
    }
    fputs(text, f);
    fclose(f);
}

static void write_dictionary(const char *dir, const char *name, const char *words) {
    char file[128];
    snprintf(file, sizeof file, "%s.aff", name);
    write_file(dir, file, "SET UTF-8\n");
    snprintf(file, sizeof file, "%s.dic", name);
    write_file(dir, file, words);
}

static int make_folders(void) {
    if (!mkdtemp(root))
        return -1;
    char a[600], b[600];
    snprintf(a, sizeof a, "%s/a", root);
    snprintf(b, sizeof b, "%s/b", root);
    if (mkdir(a, 0700) != 0 || mkdir(b, 0700) != 0)
        return -1;
    write_dictionary(a, "uk_UA", "1\nоборона/V\n");
    write_dictionary(a, "en_GB", "3\ndefence/S\ncolour/MS\nair\n");
    write_dictionary(a, "en_US", "3\ndefense/S\ncolor/MS\nair\n");
    write_dictionary(a, "es_ES", "1\ndefensa/S\n");
    char target[1300], link[1300];
    for (int i = 0; i < 2; i++) { /* es_AR is es_ES under another name, as Debian installs it */
        const char *ext = i ? "dic" : "aff";
        snprintf(target, sizeof target, "%s/es_ES.%s", a, ext);
        snprintf(link, sizeof link, "%s/es_AR.%s", a, ext);
        if (symlink(target, link) != 0)
            return -1;
    }
    write_dictionary(b, "ru", "1\nоборона/V\n");
    write_file(b, "de_DE.aff", "SET UTF-8\n"); /* no .dic: not a dictionary */
    snprintf(dirs, sizeof dirs, "%s/missing:%s:%s", root, a, b);
    return 0;
}

/* Finds the dictionary for lang with the given vocabulary and checks its file name. */
static void expect(const char *lang, const char *const *words, size_t n, const char *want) {
    size_t lens[8];
    for (size_t i = 0; i < n; i++)
        lens[i] = strlen(words[i]);
    char out[1024] = "";
    int rc = xlate_dictpath_find(lang, dirs, words, lens, n, out, sizeof out);
    if (!want) {
        CHECK_INT(rc, XLATE_ENOTFOUND);
        return;
    }
    CHECK_INT(rc, XLATE_OK);
    const char *base = strrchr(out, '/');
    if (!base || strcmp(base + 1, want) != 0) {
        fprintf(stderr, "%s: got %s, want .../%s\n", lang, out, want);
        check_failures++;
    }
}

static void test_the_language_s_only_dictionary(void) {
    expect("uk", NULL, 0, "uk_UA");
    expect("ru", NULL, 0, "ru"); /* a bare name, in the second folder */
    expect("fr", NULL, 0, NULL);
    expect("de", NULL, 0, NULL);
    /* one file under two names counts once; the likely region's name is used */
    const char *es[] = {"defensa"};
    expect("es", es, 1, "es_ES");
}

static void test_the_region_of_the_tag_wins(void) {
    const char *british[] = {"air", "defence"};
    expect("en-US", british, 2, "en_US");
    expect("en-GB", NULL, 0, "en_GB");
}

static void test_the_map_s_spelling_chooses(void) {
    const char *british[] = {"air", "Defence"}, *american[] = {"defense", "colour", "color"};
    expect("en", british, 2, "en_GB");
    expect("en", american, 3, "en_US");
    expect("en-AU", british, 2, "en_GB"); /* no en_AU: as for "en" */
    const char *neither[] = {"NATO"};
    expect("en", neither, 1, "en_US"); /* a tie: ICU's likely region for English */
}

static void test_a_tag_that_does_not_parse(void) {
    char out[64];
    CHECK_INT(xlate_dictpath_find("not a tag", dirs, NULL, NULL, 0, out, sizeof out), XLATE_EINVAL);
    CHECK_INT(xlate_dictpath_find("uk", dirs, NULL, NULL, 0, out, 8), XLATE_EINVAL); /* too long */
}

int main(void) {
    if (make_folders() != 0) {
        fprintf(stderr, "cannot make the test folders under %s\n", root);
        return 1;
    }
    test_the_language_s_only_dictionary();
    test_the_region_of_the_tag_wins();
    test_the_map_s_spelling_chooses();
    test_a_tag_that_does_not_parse();
    check_remove_tree(root);
    return check_result("glossary_dictpath");
}
