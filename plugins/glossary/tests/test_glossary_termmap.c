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

static void test_load_names_a_missing_file(void) {
    xlate_termmap map;
    char err[512] = "";
    CHECK_INT(xlate_termmap_load("/nonexistent/terms.tsv", &map, err, sizeof err),
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
    CHECK_INT(xlate_termmap_load(SOURCE_ROOT "/plugins/glossary/data/oboz-uk-en.tsv", &map, err,
                                 sizeof err),
              XLATE_OK);
    if (*err)
        fprintf(stderr, "%s\n", err);
    CHECK(map.count >= 150);
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
    test_load_names_a_missing_file();
    test_default_map_covers_the_sample_article();
    return check_result("test_glossary_termmap");
}
