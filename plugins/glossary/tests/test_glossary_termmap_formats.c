/*
 * Tests of the CSV and TBX term map readers (plugins/common/termmap.h) and of the choice of
 * reader: what a spreadsheet or a terminology tool exports reads as the map its author meant,
 * and a hostile or broken file fails with its name and line, never reading outside itself.
 */
#include "check.h"
#include "termmap.h"

#include <xlate/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int parse_as(xlate_termmap_format format, const char *text, const char *name,
                    xlate_termmap *map, char *err, size_t err_size) {
    return xlate_termmap_parse_format(format, text, strlen(text), name, "en", "es", map, err,
                                      err_size);
}

/* The map fails with "NAME:LINE: ..." (or "NAME: ..." for a whole-file problem) and the reason. */
static void expect_error(xlate_termmap_format format, const char *text, const char *where,
                         const char *reason) {
    const char *name = format == XLATE_TERMMAP_TBX ? "map.tbx" : "map.csv";
    xlate_termmap map;
    char err[1024] = "";
    CHECK_INT(parse_as(format, text, name, &map, err, sizeof err), XLATE_ERROR);
    if (strncmp(err, where, strlen(where)) != 0 || !strstr(err, reason)) {
        fprintf(stderr, "  message: %s\n  wanted: %s ... %s\n", err, where, reason);
        check_failures++;
    }
    CHECK_INT(map.count, 0);
}

static const xlate_term_entry *find_source(const xlate_termmap *map, const char *source) {
    for (size_t i = 0; i < map->count; i++)
        if (strcmp(map->entries[i].source, source) == 0)
            return &map->entries[i];
    return NULL;
}

/* --- CSV --------------------------------------------------------------------------------- */

static void test_csv_as_spreadsheets_write_it(void) {
    /* BOM, CRLF, header names in any case, quoted fields with the separator, doubled quotes
     * and a line break inside */
    const char *text = "\xEF\xBB\xBFSource,Target,Note,Case,Keep,Forbidden\r\n"
                       "NATO,OTAN,\"North Atlantic Treaty Organization, \"\"the Alliance\"\"\","
                       "sensitive,,\r\n"
                       "\r\n"
                       "\"Kharkiv region\",\"región de Járkov\",\"oblast;\r\nRAE\",,,\r\n"
                       "air defence,defensa antiaérea,,,,defensa aérea | antiaérea\r\n"
                       "The Economist,,,,yes,\"\"\r";
    xlate_termmap map;
    char err[512] = "";
    CHECK_INT(parse_as(XLATE_TERMMAP_CSV, text, "map.csv", &map, err, sizeof err), XLATE_OK);
    if (*err)
        fprintf(stderr, "%s\n", err);
    CHECK_INT(map.count, 4);
    if (map.count != 4)
        return;
    CHECK_STR(map.entries[0].source, "NATO");
    CHECK_STR(map.entries[0].note, "North Atlantic Treaty Organization, \"the Alliance\"");
    CHECK_INT(map.entries[0].case_sensitive, 1);
    CHECK_INT(map.entries[0].line, 2);
    CHECK_STR(map.entries[1].target, "región de Járkov");
    CHECK_STR(map.entries[1].note, "oblast;\r\nRAE");
    CHECK_INT(map.entries[1].line, 4);
    CHECK_INT(map.entries[2].line, 6); /* the line break inside the note counted */
    CHECK_INT(map.entries[2].n_forbidden, 2);
    if (map.entries[2].n_forbidden == 2) {
        CHECK_STR(map.entries[2].forbidden[0], "defensa aérea");
        CHECK_STR(map.entries[2].forbidden[1], "antiaérea");
    }
    CHECK_INT(map.entries[3].keep, 1);
    CHECK(map.entries[0].concept != map.entries[1].concept);
    xlate_termmap_free(&map);
}

static void test_csv_semicolons_and_language_columns(void) {
    /* the export of a locale with a decimal comma, its columns named by language */
    const char *text = "# languages: en es\nen;es;note\nSecretary-General;secretario general;"
                       "title, NATO\n";
    xlate_termmap map;
    char err[512] = "";
    CHECK_INT(parse_as(XLATE_TERMMAP_CSV, text, "map.csv", &map, err, sizeof err), XLATE_OK);
    if (*err)
        fprintf(stderr, "%s\n", err);
    CHECK_INT(map.count, 1);
    if (map.count == 1) {
        CHECK_STR(map.entries[0].source, "Secretary-General");
        CHECK_STR(map.entries[0].target, "secretario general");
        CHECK_STR(map.entries[0].note, "title, NATO");
        CHECK_INT(map.entries[0].line, 3);
    }
    CHECK_STR(map.source_lang, "en");
    xlate_termmap_free(&map);
    /* a language column the pair does not have is an unknown column */
    expect_error(XLATE_TERMMAP_CSV, "en,fr\nNATO,OTAN\n", "map.csv:1:", "unknown column \"fr\"");
}

static void test_csv_bad_quoting_names_the_line(void) {
    expect_error(XLATE_TERMMAP_CSV, "source,target\nNATO,\"OTAN\nKyiv,Kiev\n", "map.csv:2:",
                 "never closed");
    expect_error(XLATE_TERMMAP_CSV, "source,target\nNATO,OTAN\nthe \"Alliance\",OTAN\n",
                 "map.csv:3:", "a quote inside a field");
    expect_error(XLATE_TERMMAP_CSV, "source,target\n\"NATO\" x,OTAN\n", "map.csv:2:",
                 "text after the closing quote");
    expect_error(XLATE_TERMMAP_CSV, "source,target\n\"a\nb\",c,d\n", "map.csv:2:",
                 "3 comma-separated columns, the header has 2");
    expect_error(XLATE_TERMMAP_CSV, "source,target\nNATO,OTAN\nNATO,Alianza\n", "map.csv:3:",
                 "already on line 2");
    expect_error(XLATE_TERMMAP_CSV, "source;target\nKyiv\n", "map.csv:2:",
                 "1 semicolon-separated column");
    expect_error(XLATE_TERMMAP_CSV, "\xFF\xFEs\0o\0", "map.csv:", "UTF-16");
    expect_error(XLATE_TERMMAP_CSV, "source,target\nKi\xD0,Kyiv\n", "map.csv:2:", "invalid UTF-8");
    expect_error(XLATE_TERMMAP_CSV, "# only a comment\n", "map.csv:", "no header line");
}

/* --- TBX --------------------------------------------------------------------------------- */

static const char tbx_basic[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<martif type=\"TBX-Basic\" xml:lang=\"en\">\n"
    "<martifHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></martifHeader>\n"
    "<text><body>\n"
    "<termEntry id=\"c1\">\n"                                                   
    "  <descrip type=\"definition\">North Atlantic Treaty Organization</descrip>\n"
    "  <langSet xml:lang=\"en\">\n"
    "    <tig><term>NATO</term><termNote type=\"partOfSpeech\">noun</termNote>\n"
    "      <termNote type=\"x-case\">sensitive</termNote></tig>\n"
    "    <tig><term>North Atlantic Alliance</term></tig>\n"                     
    "  </langSet>\n"
    "  <langSet xml:lang=\"es\">\n"
    "    <tig><term>Alianza</term><termNote type=\"administrativeStatus\">"
    "admittedTerm-admn-sts</termNote></tig>\n"
    "    <tig><term>OTAN</term><termNote type=\"administrativeStatus\">"
    "preferredTerm-admn-sts</termNote></tig>\n"
    "    <tig><term>NATO</term><termNote type=\"administrativeStatus\">"
    "deprecatedTerm-admn-sts</termNote></tig>\n"                                
    "    <ntig><termGrp><term>Organización del\n  Atlántico Norte</term>"
    "<termNote type=\"administrativeStatus\">supersededTerm-admn-sts</termNote></termGrp></ntig>\n"
    "  </langSet>\n"
    "  <langSet xml:lang=\"de\"><tig><term>NATO</term></tig></langSet>\n"
    "</termEntry>\n"
    "<termEntry id=\"c2\">\n"                                                   
    "  <langSet xml:lang=\"en-GB\"><tig><term>air defence</term>"
    "<note>military</note></tig></langSet>\n"
    "  <langSet xml:lang=\"es-ES\"><tig><term>defensa antiaérea</term></tig></langSet>\n"
    "</termEntry>\n"
    "<termEntry id=\"c3\">\n"
    "  <langSet xml:lang=\"en\"><tig><term>Jens Stoltenberg</term></tig></langSet>\n" 
    "  <langSet xml:lang=\"es\"><tig><term>Jens Stoltenberg</term></tig></langSet>\n"
    "</termEntry>\n"
    "<termEntry id=\"c4\">\n"
    "  <langSet xml:lang=\"en\"><tig><term>Kyiv</term></tig></langSet>\n"
    "  <langSet xml:lang=\"de\"><tig><term>Kiew</term></tig></langSet>\n"      
    "</termEntry>\n"
    "</body></text>\n"
    "</martif>\n";

static void test_tbx_basic(void) {
    xlate_termmap map;
    char err[512] = "";
    CHECK_INT(parse_as(XLATE_TERMMAP_TBX, tbx_basic, "map.tbx", &map, err, sizeof err), XLATE_OK);
    if (*err)
        fprintf(stderr, "%s\n", err);
    CHECK_INT(map.format, XLATE_TERMMAP_TBX);
    CHECK_INT(map.count, 4);
    const xlate_term_entry *nato = find_source(&map, "NATO");
    const xlate_term_entry *alliance = find_source(&map, "North Atlantic Alliance");
    CHECK(nato && alliance);
    if (nato && alliance) {
        CHECK_STR(nato->target, "OTAN"); /* the preferred term, not the first */
        CHECK_STR(nato->note, "North Atlantic Treaty Organization");
        CHECK_INT(nato->case_sensitive, 1);
        CHECK_INT(nato->keep, 0);
        CHECK_INT(nato->line, 8);
        CHECK_INT(nato->n_forbidden, 2);
        if (nato->n_forbidden == 2) {
            CHECK_STR(nato->forbidden[0], "NATO");
            CHECK_STR(nato->forbidden[1], "Organización del Atlántico Norte"); /* spaces made one */
        }
        CHECK_STR(alliance->target, "OTAN");
        CHECK_INT(alliance->case_sensitive, 0);
        CHECK_INT(alliance->concept, nato->concept); /* synonyms of one concept */
    }
    const xlate_term_entry *air = find_source(&map, "air defence");
    CHECK(air != NULL); /* en-GB and es-ES serve en → es */
    if (air) {
        CHECK_STR(air->target, "defensa antiaérea");
        CHECK_STR(air->note, "military");
        CHECK(air->concept != nato->concept);
    }
    const xlate_term_entry *jens = find_source(&map, "Jens Stoltenberg");
    CHECK(jens && jens->keep); /* the same in both languages: kept as the text writes it */
    CHECK(find_source(&map, "Kyiv") == NULL); /* no Spanish term */
    CHECK_INT(map.skipped, 1);
    CHECK_INT(map.first_skipped_line, 29);
    CHECK_STR(map.source_lang, "en");
    CHECK_STR(map.target_lang, "es");
    xlate_termmap_free(&map);
}

static void test_tbx_v3_core(void) {
    const char *text =
        "<?xml version=\"1.0\"?>\n"
        "<tbx xmlns=\"urn:iso:std:iso:30042:ed-2\" type=\"TBX-Core\" style=\"dca\" xml:lang=\"en\">\n"
        "<tbxHeader><fileDesc><sourceDesc><p>v3</p></sourceDesc></fileDesc></tbxHeader>\n"
        "<text><body>\n"
        "<conceptEntry id=\"1\">\n"
        "<langSec xml:lang=\"fr\"/>\n"
        "<langSet xml:lang=\"en\"><termSec><term>ground troops</term>\n"
        "<termNote type=\"termType\">fullForm</termNote></termSec></langSet>\n"
        "<langSet xml:lang=\"es\"><termSec><term>tropas de tierra</term>"
        "<termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts</termNote></termSec>\n"
        "<termSec><term><![CDATA[tropas terrestres]]></term></termSec></langSet>\n"
        "</conceptEntry>\n"
        "</body></text></tbx>\n";
    xlate_termmap map;
    char err[512] = "";
    CHECK_INT(parse_as(XLATE_TERMMAP_TBX, text, "map.tbx", &map, err, sizeof err), XLATE_OK);
    if (*err)
        fprintf(stderr, "%s\n", err);
    CHECK_INT(map.count, 1);
    if (map.count == 1) {
        CHECK_STR(map.entries[0].source, "ground troops");
        CHECK_STR(map.entries[0].target, "tropas terrestres"); /* unmarked beats deprecated */
        CHECK_INT(map.entries[0].n_forbidden, 1);
        CHECK_INT(map.entries[0].line, 7);
    }
    xlate_termmap_free(&map);
}

static void test_tbx_hostile_files(void) {
    expect_error(XLATE_TERMMAP_TBX, "<?xml version=\"1.0\"?>\n<html><body/></html>\n",
                 "map.tbx:2:", "the root element is <html>");
    expect_error(XLATE_TERMMAP_TBX, "<martif>\n<text><body>\n<termEntry>\n"
                 "<langSet xml:lang=\"en\"><tig><term>NATO</term></tig></langSet>\n"
                 "<langSet xml:lang=\"de\"><tig><term>NATO</term></tig></langSet>\n"
                 "</termEntry></body></text></martif>\n",
                 "map.tbx:", "none of the 1 term entries has terms for both en and es (the "
                 "file's languages: en, de)");
    expect_error(XLATE_TERMMAP_TBX, "<martif>\n<text><body>\n<termEntry>\n<langSet>\n"
                 "</langSet></termEntry></body></text></martif>", "map.tbx:4:", "without xml:lang");
    expect_error(XLATE_TERMMAP_TBX, "<martif><text>\n<body>\n<termEntry>\n"
                 "<langSet xml:lang=\"en\"><tig><term>NATO</term></tig>\n"
                 "</termEntry></body></text></martif>\n", "map.tbx:5:", "not well-formed XML");
    expect_error(XLATE_TERMMAP_TBX, "<martif><text><body><termEntry>\n"
                 "<langSet xml:lang=\"es\"><tig><term>OTAN</term>\n"
                 "<termNote type=\"administrativeStatus\">maybe</termNote></tig></langSet>\n"
                 "</termEntry></body></text></martif>", "map.tbx:3:",
                 "unknown administrative status \"maybe\"");
    expect_error(XLATE_TERMMAP_TBX, "<martif><text><body><termEntry>\n"
                 "<langSet xml:lang=\"en\"><tig><note>x</note></tig></langSet>\n"
                 "</termEntry></body></text></martif>", "map.tbx:2:", "<tig> without a <term>");
    expect_error(XLATE_TERMMAP_TBX, "<martif><text/></martif>", "map.tbx:1:", "no <text><body>");
    expect_error(XLATE_TERMMAP_TBX, "\xEF\xBB\xBF<?xml version=\"1.0\"?><martif><text><body>"
                 "<termEntry><langSet xml:lang=\"en\"><tig><term>a</term>"
                 "<termNote type=\"x-case\">yes</termNote></tig></langSet></termEntry>"
                 "</body></text></martif>", "map.tbx:1:", "x-case");
    /* an expansion bomb is refused, not expanded */
    expect_error(XLATE_TERMMAP_TBX, "<?xml version=\"1.0\"?>\n<!DOCTYPE martif [\n"
                 "<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
                 "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
                 "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
                 "]>\n<martif><text><body><termEntry>\n"
                 "<langSet xml:lang=\"en\"><tig><term>&c;</term></tig></langSet>\n"
                 "<langSet xml:lang=\"es\"><tig><term>x</term></tig></langSet>\n"
                 "</termEntry></body></text></martif>\n", "map.tbx:", "entit");
    /* a TBX map needs the pair */
    xlate_termmap map;
    char err[512] = "";
    CHECK_INT(xlate_termmap_parse_format(XLATE_TERMMAP_TBX, tbx_basic, strlen(tbx_basic), "m.tbx",
                                         NULL, NULL, &map, err, sizeof err),
              XLATE_ERROR);
    CHECK(strstr(err, "--from") != NULL);
}

/* An external entity naming a file: its content never reaches the map nor the message. */
static void test_tbx_external_entity_is_not_read(void) {
    char dir[] = "/tmp/xlate-tbx-XXXXXX";
    if (!mkdtemp(dir)) {
        check_failures++;
        return;
    }
    char secret[600], map_path[600];
    snprintf(secret, sizeof secret, "%s/secret.txt", dir);
    snprintf(map_path, sizeof map_path, "%s/terms.tbx", dir);
    FILE *f = fopen(secret, "w");
    if (f) {
        fputs("TOPSECRET", f);
        fclose(f);
    }
    f = fopen(map_path, "w");
    if (f) {
        fprintf(f, "<?xml version=\"1.0\"?>\n<!DOCTYPE martif [\n"
                   "<!ENTITY xxe SYSTEM \"file://%s\">\n]>\n"
                   "<martif><text><body><termEntry>\n"
                   "<langSet xml:lang=\"en\"><tig><term>NATO</term></tig></langSet>\n"
                   "<langSet xml:lang=\"es\"><tig><term>&xxe;</term></tig></langSet>\n"
                   "</termEntry></body></text></martif>\n", secret);
        fclose(f);
    }
    xlate_termmap map;
    char err[512] = "";
    CHECK_INT(xlate_termmap_load(map_path, "en", "es", &map, err, sizeof err), XLATE_ERROR);
    CHECK(strstr(err, "terms.tbx:7:") != NULL);
    CHECK(strstr(err, "entity reference &xxe;") != NULL);
    CHECK(strstr(err, "TOPSECRET") == NULL);
    check_remove_tree(dir);
}

/* --- choosing the reader ----------------------------------------------------------------- */

static void test_format_by_extension_then_content(void) {
    CHECK_INT(xlate_termmap_detect("a/terms.tsv", "<x>", 3), XLATE_TERMMAP_TSV);
    CHECK_INT(xlate_termmap_detect("terms.CSV", "a\tb", 3), XLATE_TERMMAP_CSV);
    CHECK_INT(xlate_termmap_detect("terms.tbx", "source,target", 13), XLATE_TERMMAP_TBX);
    CHECK_INT(xlate_termmap_detect("terms", "\xEF\xBB\xBF  \n<?xml", 11), XLATE_TERMMAP_TBX);
    CHECK_INT(xlate_termmap_detect("terms", "# c\nsource\ttarget\n", 18), XLATE_TERMMAP_TSV);
    CHECK_INT(xlate_termmap_detect("terms.map", "# c\nsource,target\n", 18), XLATE_TERMMAP_CSV);
}

/* The sample TBX map is the sample TSV map: the same entries, read by either reader. */
static void test_sample_tbx_equals_sample_tsv(void) {
    xlate_termmap tsv, tbx;
    char err[512] = "";
    CHECK_INT(xlate_termmap_load(SOURCE_ROOT "/samples/en-es-terms.tsv", "en", "es", &tsv, err,
                                 sizeof err), XLATE_OK);
    CHECK_INT(xlate_termmap_load(SOURCE_ROOT "/samples/en-es-terms.tbx", "en", "es", &tbx, err,
                                 sizeof err), XLATE_OK);
    if (*err)
        fprintf(stderr, "%s\n", err);
    CHECK_INT(tbx.format, XLATE_TERMMAP_TBX);
    CHECK_INT(tbx.count, tsv.count);
    CHECK(tsv.count >= 12);
    for (size_t i = 0; i < tsv.count && i < tbx.count; i++) {
        const xlate_term_entry *a = &tsv.entries[i], *b = &tbx.entries[i];
        CHECK_STR(b->source, a->source);
        CHECK_STR(b->target, a->target);
        CHECK_STR(b->note ? b->note : "", a->note ? a->note : "");
        CHECK_INT(b->case_sensitive, a->case_sensitive);
        CHECK_INT(b->keep, a->keep);
    }
    xlate_termmap_free(&tsv);
    xlate_termmap_free(&tbx);
}

int main(void) {
    test_csv_as_spreadsheets_write_it();
    test_csv_semicolons_and_language_columns();
    test_csv_bad_quoting_names_the_line();
    test_tbx_basic();
    test_tbx_v3_core();
    test_tbx_hostile_files();
    test_tbx_external_entity_is_not_read();
    test_format_by_extension_then_content();
    test_sample_tbx_equals_sample_tsv();
    return check_result("glossary_termmap_formats");
}
