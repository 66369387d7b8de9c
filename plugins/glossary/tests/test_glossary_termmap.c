/*
 * Tests of the glossary's term map parser: the format a map author writes, and the messages a
 * malformed map gets (file and line named).
 */
#include "check.h"
#include "termmap.h"

#include <xlate/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int parse(const char *text, xlate_termmap *map, char *err, size_t err_size) {
    return xlate_termmap_parse(text, strlen(text), "map.tsv", map, err, err_size);
}

static void test_reads_columns_comments_and_blank_lines(void) {
    const char *text = "\xEF\xBB\xBF# a comment before the header\r\n"
                       "source\ttarget\tnote\tcase\tkeep\r\n"
                       "\r\n"
                       "Київ\tKyiv\t\t\t\r\n"
                       "# comment\n"
                       "  НАТО \tNATO\tthe Alliance\tsensitive\tno\n"
                       "   \t  \n"
                       "The Economist\t\t\t\tyes\n"
                       "Сили оборони України\tUkrainian Defense Forces\t\tinsensitive\t";
    xlate_termmap map;
    char err[256] = "";
    CHECK_INT(parse(text, &map, err, sizeof err), XLATE_OK);
    CHECK_INT(map.count, 4);
    if (map.count != 4)
        return;
    CHECK_STR(map.entries[0].source, "Київ");
    CHECK_STR(map.entries[0].target, "Kyiv");
    CHECK(map.entries[0].note == NULL);
    CHECK_INT(map.entries[0].line, 4);
    CHECK_STR(map.entries[1].source, "НАТО"); /* spaces around a field are trimmed */
    CHECK_STR(map.entries[1].note, "the Alliance");
    CHECK_INT(map.entries[1].case_sensitive, 1);
    CHECK_INT(map.entries[1].keep, 0);
    CHECK_INT(map.entries[1].line, 6);
    CHECK_STR(map.entries[2].source, "The Economist");
    CHECK_INT(map.entries[2].keep, 1);
    CHECK_STR(map.entries[2].target, "");
    CHECK_INT(map.entries[3].case_sensitive, 0);
    CHECK_INT(map.entries[3].line, 9);
    xlate_termmap_free(&map);
}

static void test_same_source_with_another_case_rule_is_allowed(void) {
    xlate_termmap map;
    char err[256] = "";
    /* the Verkhovna Rada with its capital, any council without */
    const char *text = "source\ttarget\tcase\nРада\tVerkhovna Rada\tsensitive\n"
                       "Рада\tcouncil\tinsensitive\n";
    CHECK_INT(parse(text, &map, err, sizeof err), XLATE_OK);
    CHECK_INT(map.count, 2);
    xlate_termmap_free(&map);
}

static void test_columns_in_any_order(void) {
    xlate_termmap map;
    char err[256] = "";
    CHECK_INT(parse("target\tsource\nKharkiv\tХарків\n", &map, err, sizeof err), XLATE_OK);
    CHECK_INT(map.count, 1);
    if (map.count == 1) {
        CHECK_STR(map.entries[0].source, "Харків");
        CHECK_STR(map.entries[0].target, "Kharkiv");
    }
    xlate_termmap_free(&map);
}

/* A malformed map fails with "map.tsv:LINE: ..." and the reason. */
static void expect_error(const char *text, const char *where, const char *reason) {
    xlate_termmap map;
    char err[512] = "";
    CHECK_INT(parse(text, &map, err, sizeof err), XLATE_ERROR);
    if (strncmp(err, where, strlen(where)) != 0 || !strstr(err, reason)) {
        fprintf(stderr, "  message: %s\n  wanted: %s ... %s\n", err, where, reason);
        check_failures++;
    }
    CHECK_INT(map.count, 0);
    CHECK(map.entries == NULL);
}

static void test_malformed_lines_name_file_and_line(void) {
    expect_error("source\ttarget\nКиїв\tKyiv\nХарків Kharkiv\n", "map.tsv:3:",
                 "1 tab-separated column, the header has 2");
    expect_error("source\ttarget\nКиїв\tKyiv\textra\n", "map.tsv:2:", "3 tab-separated columns");
    expect_error("# c\nsource\ttarget\n\n \tKyiv\n", "map.tsv:4:", "source term is empty");
    expect_error("source\ttarget\tcomment\n", "map.tsv:1:", "unknown column \"comment\"");
    expect_error("source\tnote\n", "map.tsv:1:", "lacks \"target\"");
    expect_error("source\ttarget\tsource\n", "map.tsv:1:", "appears twice");
    expect_error("source\ttarget\tcase\nКиїв\tKyiv\tyes\n", "map.tsv:2:",
                 "column \"case\" is \"yes\"");
    expect_error("source\ttarget\tkeep\nКиїв\tKyiv\tmaybe\n", "map.tsv:2:", "column \"keep\"");
    expect_error("source\ttarget\nКиїв\t\n", "map.tsv:2:", "target term of \"Київ\" is empty");
    expect_error("source\ttarget\nКи\xD0\tKyiv\n", "map.tsv:2:", "invalid UTF-8 at byte 5");
    expect_error("# only a comment\n", "map.tsv:", "no header line");
    expect_error("source\ttarget\nКиїв\tKyiv\nЛьвів\tLviv\nКиїв\tKiev\n", "map.tsv:4:",
                 "\"Київ\" is already on line 2");
}

/* "# languages: SOURCE TARGET" before the header says which languages the map is for. */
static void test_languages_line_declares_the_pair(void) {
    xlate_termmap map;
    char err[512] = "";
    CHECK_INT(parse("# an English-Spanish map\n#  languages:  EN-gb\tes \nsource\ttarget\n"
                    "NATO\tOTAN\n# languages in a comment after the header are words\n",
                    &map, err, sizeof err),
              XLATE_OK);
    CHECK_STR(map.source_lang, "en-GB");
    CHECK_STR(map.target_lang, "es");
    CHECK_INT(map.languages_line, 2);
    CHECK_INT(map.count, 1);
    xlate_termmap_free(&map);
    CHECK_INT(parse("source\ttarget\nNATO\tOTAN\n", &map, err, sizeof err), XLATE_OK);
    CHECK_STR(map.source_lang, "");
    CHECK_INT(map.languages_line, 0);
    xlate_termmap_free(&map);
}

static void test_malformed_languages_lines(void) {
    expect_error("# languages: en\nsource\ttarget\n", "map.tsv:1:", "needs a source and a target");
    expect_error("# languages: en es fr\nsource\ttarget\n", "map.tsv:1:",
                 "more than two languages");
    expect_error("# languages: xx en\nsource\ttarget\n", "map.tsv:1:", "\"xx\" in the languages "
                 "line is not a BCP 47 language tag");
    expect_error("# languages: english spanish\nsource\ttarget\n", "map.tsv:1:",
                 "e.g. \"# languages: uk en\"");
    expect_error("# languages: en es\n# languages: en fr\nsource\ttarget\n", "map.tsv:2:",
                 "already given on line 1");
    expect_error("source\ttarget\n# languages: en es\n", "map.tsv:2:",
                 "must come before the column header");
}

/* Writes `text` to DIR/name and loads it. */
static int load_named(const char *dir, const char *name, const char *text, xlate_termmap *map) {
    char path[512], err[512] = "";
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return XLATE_ENOTFOUND;
    fputs(text, f);
    fclose(f);
    int rc = xlate_termmap_load(path, NULL, NULL, map, err, sizeof err);
    if (rc != XLATE_OK)
        fprintf(stderr, "%s\n", err);
    remove(path);
    return rc;
}

/* Without a languages line the file name may say them; the line wins over the name. */
static void test_file_name_gives_the_languages(void) {
    char dir[] = "/tmp/xlate-termmap-XXXXXX";
    if (!mkdtemp(dir)) {
        fprintf(stderr, "cannot make a temporary folder\n");
        check_failures++;
        return;
    }
    static const struct {
        const char *name, *declared, *source, *target;
    } cases[] = {
        {"terms.uk-en.tsv", "", "uk", "en"},
        {"en_es.tsv", "", "en", "es"},
        {"oboz-uk-en.tsv", "", "uk", "en"},
        {"my-terms.tsv", "", "", ""},
        {"de-facto.tsv", "", "", ""},   /* one code alone is not a pair */
        {"xx-yy.tsv", "", "", ""},      /* codes no language has */
        {"terms.uk-en.tsv", "# languages: en es\n", "en", "es"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "%ssource\ttarget\nNATO\tOTAN\n", cases[i].declared);
        xlate_termmap map;
        CHECK_INT(load_named(dir, cases[i].name, text, &map), XLATE_OK);
        if (strcmp(map.source_lang, cases[i].source) != 0 ||
            strcmp(map.target_lang, cases[i].target) != 0) {
            fprintf(stderr, "%s: languages \"%s\" \"%s\", want \"%s\" \"%s\"\n", cases[i].name,
                    map.source_lang, map.target_lang, cases[i].source, cases[i].target);
            check_failures++;
        }
        xlate_termmap_free(&map);
    }
    rmdir(dir);
}

static void test_load_names_a_missing_file(void) {
    xlate_termmap map;
    char err[512] = "";
    CHECK_INT(xlate_termmap_load("/nonexistent/terms.tsv", NULL, NULL, &map, err, sizeof err),
              XLATE_ENOTFOUND);
    CHECK(strstr(err, "/nonexistent/terms.tsv") != NULL);
}

static const xlate_term_entry *find_source(const xlate_termmap *map, const char *source) {
    for (size_t i = 0; i < map->count; i++)
        if (strcmp(map->entries[i].source, source) == 0)
            return &map->entries[i];
    return NULL;
}

/* The default map holds the article's people, places, organizations, titles and terms. */
static void test_default_map_covers_the_sample_article(void) {
    xlate_termmap map;
    char err[512] = "";
    CHECK_INT(xlate_termmap_load(SOURCE_ROOT "/plugins/glossary/data/oboz-uk-en.tsv", NULL, NULL, &map, err,
                                 sizeof err),
              XLATE_OK);
    if (*err)
        fprintf(stderr, "%s\n", err);
    CHECK(map.count >= 150);
    CHECK_STR(map.source_lang, "uk"); /* its languages line */
    CHECK_STR(map.target_lang, "en");
    static const char *const pairs[][2] = {
        {"НАТО", "NATO"},
        {"Єнс Столтенберг", "Jens Stoltenberg"},
        {"Генеральний секретар", "Secretary-General"},
        {"Київ", "Kyiv"},
        {"Харківська область", "Kharkiv region"},
        {"Сили оборони України", "Ukrainian Defense Forces"},
        {"держсекретар США", "US Secretary of State"},
        {"Ентоні Блінкен", "Antony Blinken"},
        {"Вашингтон", "Washington"},
        {"окупанти", "occupiers"},
        {"сухопутні війська", "ground troops"},
        {"боєприпаси", "ammunition"},
        {"союзники", "allies"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        const xlate_term_entry *e = find_source(&map, pairs[i][0]);
        CHECK(e != NULL);
        if (e)
            CHECK_STR(e->target, pairs[i][1]);
    }
    const xlate_term_entry *economist = find_source(&map, "The Economist");
    CHECK(economist && economist->keep);
    xlate_termmap_free(&map);
}

int main(void) {
    test_reads_columns_comments_and_blank_lines();
    test_columns_in_any_order();
    test_same_source_with_another_case_rule_is_allowed();
    test_malformed_lines_name_file_and_line();
    test_languages_line_declares_the_pair();
    test_malformed_languages_lines();
    test_file_name_gives_the_languages();
    test_load_names_a_missing_file();
    test_default_map_covers_the_sample_article();
    return check_result("test_glossary_termmap");
}
