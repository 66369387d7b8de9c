/*
 * The parts of the translator plugins that can be checked without an engine run through the host:
 * Apertium mode files → argv (the way APy runs them, with the word-bound blank helpers `apertium`
 * adds), Apertium stream format in and out, where glossary terms land in an Apertium answer, the
 * HTML of the http plugin and its typed reads of servers' JSON, language codes, and the child
 * pipeline (real processes: cat, sh) with its timeouts, crash reports and restarts.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#include "apertium_format.h"
#include "xp_buf.h"
#include "child.h"
#include "json_field.h"
#include "langcode.h"
#include "markup.h"
#include "mode.h"
#include "stream.h"
#include "terms.h"

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void test_mode_file(void) {
    char path[] = "/tmp/xlate-mode-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    write_file(path, "lt-proc -w '/usr/share/x/ukr-rus.automorf.bin' | cg-proc -w '/p/a b.rlx.bin' | "
                     "apertium-tagger -g $2 '/p/ukr-rus.prob' | vislcg3 -g x.rlx | lt-proc $1 "
                     "'/p/autogen.bin'\n");
    xlate_apertium_mode mode;
    char err[256];
    CHECK_INT(xlate_apertium_mode_load(path, 0, &mode, err, sizeof err), 0);
    CHECK_INT(mode.n_cmds, 7);
    CHECK_INT(mode.wordbound, 1);
    if (mode.n_cmds == 7) {
        CHECK_STR(mode.cmds[0][0], "lt-proc");
        CHECK_STR(mode.cmds[0][1], "-z");
        CHECK_STR(mode.cmds[0][2], "-w");
        CHECK_STR(mode.cmds[0][3], "/usr/share/x/ukr-rus.automorf.bin");
        CHECK_STR(mode.cmds[1][0], "apertium-wblank-attach");    /* after the analyser */
        CHECK(mode.cmds[1][1] == NULL);                            /* without -z */
        CHECK_STR(mode.cmds[2][3], "/p/a b.rlx.bin");             /* quotes keep the space */
        CHECK_STR(mode.cmds[3][2], "-g");                           /* $2 is gone */
        CHECK_STR(mode.cmds[3][3], "/p/ukr-rus.prob");
        CHECK_STR(mode.cmds[4][1], "-g");                           /* vislcg3 takes no -z */
        CHECK_STR(mode.cmds[5][0], "apertium-wblank-detach");    /* before the generator */
        CHECK_STR(mode.cmds[6][2], "-n");                           /* $1: no marks */
        CHECK(mode.cmds[6][4] == NULL);
    }
    xlate_apertium_mode_free(&mode);
    CHECK_INT(xlate_apertium_mode_load(path, 1, &mode, err, sizeof err), 0);
    if (mode.n_cmds == 7)
        CHECK_STR(mode.cmds[6][2], "-g");                           /* $1: marks */
    xlate_apertium_mode_free(&mode);

    /* no generator to detach before: no helpers, and no word-bound blanks */
    write_file(path, "lt-proc '/p/a.automorf.bin' | apertium-tagger -g '/p/x.prob'\n");
    CHECK_INT(xlate_apertium_mode_load(path, 0, &mode, err, sizeof err), 0);
    CHECK_INT(mode.n_cmds, 2);
    CHECK_INT(mode.wordbound, 0);
    xlate_apertium_mode_free(&mode);

    /* analyser and generator: attach after the one, detach before the other, without -z */
    write_file(path, "lt-proc -w '/p/eng-spa.automorf.bin' | apertium-tagger -g $2 '/p/x.prob' | "
                     "lt-proc $1 '/p/eng-spa.autogen.bin' | lt-proc -p '/p/eng-spa.autopgen.bin'\n");
    CHECK_INT(xlate_apertium_mode_load(path, 0, &mode, err, sizeof err), 0);
    CHECK_INT(mode.n_cmds, 6);
    CHECK_INT(mode.wordbound, 1);
    if (mode.n_cmds == 6) {
        CHECK_STR(mode.cmds[0][3], "/p/eng-spa.automorf.bin");
        CHECK_STR(mode.cmds[1][0], "apertium-wblank-attach");
        CHECK(mode.cmds[1][1] == NULL);
        CHECK_STR(mode.cmds[2][0], "apertium-tagger");
        CHECK_STR(mode.cmds[3][0], "apertium-wblank-detach");
        CHECK(mode.cmds[3][1] == NULL);
        CHECK_STR(mode.cmds[4][3], "/p/eng-spa.autogen.bin");
        CHECK_STR(mode.cmds[5][3], "/p/eng-spa.autopgen.bin");
    }
    xlate_apertium_mode_free(&mode);
    /* a mode file with its own helpers is taken as it is */
    write_file(path, "lt-proc '/p/a.automorf.bin' | apertium-wblank-attach | apertium-wblank-detach | "
                     "lt-proc $1 '/p/a.autogen.bin'\n");
    CHECK_INT(xlate_apertium_mode_load(path, 0, &mode, err, sizeof err), 0);
    CHECK_INT(mode.n_cmds, 4);
    CHECK_INT(mode.wordbound, 1);
    if (mode.n_cmds == 4)
        CHECK(mode.cmds[1][1] == NULL); /* no -z for the helpers */
    xlate_apertium_mode_free(&mode);

    /* a mode file that tries to run something else is refused */
    write_file(path, "lt-proc $(rm -rf /tmp/nothing) x.bin\n");
    CHECK_INT(xlate_apertium_mode_load(path, 0, &mode, err, sizeof err), -1);
    CHECK(strstr(err, path) != NULL);
    write_file(path, "\n");
    CHECK_INT(xlate_apertium_mode_load(path, 0, &mode, err, sizeof err), -1);
    CHECK(strstr(err, "empty") != NULL);
    /* quotes alone make an empty word, which is no program to start */
    write_file(path, "lt-proc x.bin | '' -z | cat\n");
    CHECK_INT(xlate_apertium_mode_load(path, 0, &mode, err, sizeof err), -1);
    CHECK(strstr(err, path) != NULL && strstr(err, "names no program") != NULL);
    unlink(path);
    CHECK_INT(xlate_apertium_mode_load(path, 0, &mode, err, sizeof err), -1);
    CHECK(strstr(err, "cannot read") != NULL);
}

static void check_encoded(const char *text, const xlate_apertium_span *spans, size_t n,
                          const char *want) {
    xp_buf out = XP_BUF_INIT;
    xlate_apertium_encode(text, strlen(text), spans, n, 5, &out);
    size_t wlen = strlen(want);
    /* what apertium-destxt writes, then unit 5's marker and the null flush */
    CHECK(out.len == wlen + 5 && memcmp(out.data, want, wlen) == 0 &&
          memcmp(out.data + wlen, "[\x03" "5]", 5) == 0 && out.data[out.len] == '\0');
    if (out.len != wlen + 5 || memcmp(out.data, want, wlen) != 0)
        fprintf(stderr, "  encoded %s\n  wanted  %s\n", out.data, want);
    xp_buf_free(&out);
}

static void test_apertium_format(void) {
    xp_buf out = XP_BUF_INIT, back = XP_BUF_INIT;
    const char text[] = "a [b] ^c$ \\d /e @f <g> {h} \x01" "0\x02 end\nnext";
    xlate_apertium_encode(text, sizeof text - 1, NULL, 0, 7, &out);
    const char want[] = "a \\[b\\] \\^c\\$ \\\\d \\/e \\@f \\<g\\> \\{h\\} [\x01" "0\x02] end[\n]next.[][\x03" "7]";
    CHECK_INT(out.len, sizeof want); /* and the NUL that ends the unit */
    CHECK(memcmp(out.data, want, sizeof want) == 0);
    /* what comes back: the marker must be unit 7's, everything else is unescaped, and the
     * sentence end before "[]" goes */
    CHECK_INT(xlate_apertium_decode(out.data, out.len - 1, 7, &back, NULL), 0);
    CHECK_STR(back.data, text);
    xp_buf_reset(&back);
    CHECK_INT(xlate_apertium_decode(out.data, out.len - 1, 8, &back, NULL), -1);
    xp_buf_reset(&back);
    CHECK_INT(xlate_apertium_decode("La casa", 7, 1, &back, NULL), -1);     /* no marker: cut short */
    xp_buf_reset(&back);
    CHECK_INT(xlate_apertium_decode("uno[\x03" "1]dos[\x03" "2]", 16, 1, &back, NULL), -1);
    xp_buf_reset(&back);
    CHECK_INT(xlate_apertium_decode("La casa..[][\x03" "12] \n", 17, 12, &back, NULL), 0);
    CHECK_STR(back.data, "La casa.");
    /* The marker's id is digits only: a sign, a space or a number past 2^64 - 1 (which strtoull
     * read as unit 5, or as 2^64 - 1 for "-1") is no marker of ours, and the answer is cut short. */
    static const char *const not_ours[] = {"+5", " 5", "5 ", "-1", "0x5", "18446744073709551621", ""};
    for (size_t i = 0; i < sizeof not_ours / sizeof not_ours[0]; i++) {
        char answer[64];
        int n = snprintf(answer, sizeof answer, "La casa.[][\x03%s]", not_ours[i]);
        unsigned long long id = strcmp(not_ours[i], "-1") == 0 ? 18446744073709551615ull : 5;
        xp_buf_reset(&back);
        CHECK_INT(xlate_apertium_decode(answer, (size_t)n, id, &back, NULL), -1);
    }
    xp_buf_reset(&back);
    CHECK_INT(xlate_apertium_decode("La casa.[][\x03" "18446744073709551615]", 33, 18446744073709551615ull,
                                    &back, NULL), 0);
    CHECK_STR(back.data, "La casa"); /* the "." before "[]" is the one the encoder added */

    /* apertium-destxt's choices: '~' (the post-generator's mark), tabs and line breaks in
     * superblanks with the blanks around them, a sentence end before a paragraph break and
     * before the trailing blanks; a unit ending in an escaped '^' still gets its "." after it */
    check_encoded("a ~ b", NULL, 0, "a[ ~ ]b.[]");
    check_encoded("x~~", NULL, 0, "x.[][~~]");
    check_encoded("a\tb\n\nc  ", NULL, 0, "a[\t]b.[][\n\n]c.[]  ");
    check_encoded("^string1^string2^", NULL, 0, "\\^string1\\^string2\\^.[]");
    check_encoded("= += -= *= /= %= ^=", NULL, 0, "= += -= *= \\/= %= \\^=.[]");

    /* terms in word-bound blanks around their words, never around the blanks next to them */
    const xlate_apertium_span spans[] = {{24, 28, 0}, {37, 46, 1}};
    check_encoded("Brussels, 24 May 2024 - NATO defence\nministers [met] today.", spans, 2,
                  "Brussels, 24 May 2024 - [[t:0]]NATO[[/]] defence[\n][[t:1]]ministers[[/]] "
                  "\\[met\\] today..[]");
    /* spans backwards, past the end or out of order are left out */
    const xlate_apertium_span bad[] = {{5, 3, 0}, {2, 9, 1}, {5, 8, 2}, {0, 4, 3}};
    check_encoded("NATO met", bad, 4, "NATO [[t:2]]met[[/]].[]");

    /* the answer's word-bound blanks become marks on the decoded text; merged ones mark each */
    xlate_apertium_marks marks = XLATE_APERTIUM_MARKS_INIT;
    const char answer[] = "Bruselas - ministros [[t:0]]DE LA OTAN[[/]] y [[t:1; t:2]]x\\^y[[/]].[][\x03" "3]";
    xp_buf_reset(&back);
    CHECK_INT(xlate_apertium_decode(answer, sizeof answer - 1, 3, &back, &marks), 0);
    CHECK_STR(back.data, "Bruselas - ministros DE LA OTAN y x^y");
    CHECK_INT(marks.n, 3);
    if (marks.n == 3) {
        CHECK(marks.v[0].term == 0 && marks.v[0].start == 21 && marks.v[0].end == 31);
        CHECK(marks.v[1].term == 1 && marks.v[1].start == 34 && marks.v[1].end == 37);
        CHECK(marks.v[2].term == 2 && marks.v[2].start == 34 && marks.v[2].end == 37);
    }
    xlate_apertium_marks_free(&marks);
    xp_buf_free(&out);
    xp_buf_free(&back);
}

/* What place_terms makes of `text` with `marks`; placeholders shown as <K>. */
static void check_placed(const char *text, const xlate_apertium_mark *m, size_t n_marks,
                         const xlate_apertium_term *terms, size_t n_terms, const char *want) {
    xlate_apertium_marks marks = {(xlate_apertium_mark *)m, n_marks, n_marks};
    xp_buf out = XP_BUF_INIT, shown = XP_BUF_INIT;
    CHECK_INT(xlate_apertium_place_terms(text, strlen(text), &marks, terms, n_terms, &out), 0);
    for (size_t i = 0; i < out.len; i++) {
        if (out.data[i] == XLATE_PLACEHOLDER_OPEN)
            xp_buf_putc(&shown, '<');
        else if (out.data[i] == XLATE_PLACEHOLDER_CLOSE)
            xp_buf_putc(&shown, '>');
        else
            xp_buf_putc(&shown, out.data[i]);
    }
    CHECK_STR(shown.data, want);
    xp_buf_free(&out);
    xp_buf_free(&shown);
}

static void test_place_terms(void) {
    const xlate_apertium_term nato[] = {{"NATO", 4, "OTAN", 0}};
    /* the engine's words hold the target: the words it added stay, in the case of their own */
    const xlate_apertium_mark m1[] = {{0, 21, 31}};
    check_placed("Bruselas - ministros DE LA OTAN cumplieron", m1, 1, nato, 1,
                 "Bruselas - ministros de la <0> cumplieron");
    check_placed("Bruselas - ministros de la otan cumplieron", m1, 1, nato, 1,
                 "Bruselas - ministros de la <0> cumplieron");
    /* Apertium's mark on those words (mark_unknown=on) was about the term's word: it goes */
    check_placed("el secretario general #de la otan Jens", (const xlate_apertium_mark[]){{0, 22, 33}}, 1,
                 nato, 1, "el secretario general de la <0> Jens");
    /* a term not written in capitals: the engine's case stays */
    const xlate_apertium_term region[] = {{"Kharkiv region", 14, "región de Járkov", 0},
                                          {"Secretary-General", 17, "secretario general", 0}};
    const xlate_apertium_mark m2[] = {{1, 3, 21}};
    check_placed("el Secretario General dijo", m2, 1, region, 2, "el <1> dijo");
    /* otherwise every word of the term, and what the engine put between them, is the target */
    const xlate_apertium_mark m3[] = {{0, 9, 17}, {0, 18, 25}};
    check_placed("luchando *Kharkiv región, no lejos", m3, 2, region, 1, "luchando <0>, no lejos");
    const xlate_apertium_term forces[] = {{"Ukrainian Defense Forces", 24, "Fuerzas de Defensa de Ucrania", 0}};
    const xlate_apertium_mark m4[] = {{0, 4, 11}, {0, 15, 22}, {0, 23, 33}};
    check_placed("las Fuerzas de Defensa ucranianas con armas", m4, 3, forces, 1, "las <0> con armas");
    /* a term the engine dropped gets no placeholder (the host reports it lost) */
    check_placed("nada", NULL, 0, region, 2, "nada");
    /* another term's words between a term's words: the first run is the term, the others go */
    const xlate_apertium_mark m5[] = {{0, 0, 1}, {1, 2, 3}, {0, 4, 5}};
    const xlate_apertium_term two[] = {{"a", 1, "A", 0}, {"b", 1, "B", 0}};
    check_placed("x y z w", m5, 3, two, 2, "<0> <1> w");
    /* merged blanks: both terms on the same words; the first placed, the second lost */
    const xlate_apertium_mark m6[] = {{0, 2, 5}, {1, 2, 5}};
    check_placed("a xyz b", m6, 2, two, 2, "a <0> b");
    /* a term beginning the answer: the engine's capital on the next word goes when the source's
     * next word has none ("Kyiv has" → "*Kiev Tiene") */
    const xlate_apertium_term kyiv[] = {{"Kyiv", 4, "Kiev", 1}}, kyiv_name[] = {{"Kyiv", 4, "Kiev", 0}};
    const xlate_apertium_mark m7[] = {{0, 0, 4}}, m8[] = {{0, 1, 5}};
    check_placed("Kiev Tiene el derecho", m7, 1, kyiv, 1, "<0> tiene el derecho");
    check_placed("\"Kiev Tiene el derecho", m8, 1, kyiv, 1, "\"<0> tiene el derecho");
    check_placed("Kiev Tiene el derecho", m7, 1, kyiv_name, 1, "<0> Tiene el derecho");
    check_placed("Kiev OTAN ayuda", m7, 1, kyiv, 1, "<0> OTAN ayuda");
    const xlate_apertium_mark m9[] = {{0, 5, 9}};
    check_placed("Dijo Kiev Tiene", m9, 1, kyiv, 1, "Dijo <0> Tiene");
    /* the two spaces the engine leaves next to a term's words become one; elsewhere they stay */
    const xlate_apertium_term natos[] = {{"NATO's", 6, "OTAN", 0}};
    const xlate_apertium_mark m10[] = {{0, 0, 10}}, m11[] = {{0, 17, 21}};
    check_placed("De la otan  los aliados  enviaron", m10, 1, natos, 1,
                 "De la <0> los aliados  enviaron");
    check_placed("los aliados  de  OTAN", m11, 1, natos, 1, "los aliados  de <0>");
}

static void test_markup(void) {
    xp_buf out = XP_BUF_INIT, back = XP_BUF_INIT;
    const char text[] = "Tom & Jerry <3 \x01" "12\x02 it's";
    xlate_http_markup_encode(text, sizeof text - 1, &out);
    CHECK_STR(out.data, "Tom &amp; Jerry &lt;3 <x id=\"12\"/> it's");
    xlate_http_markup_decode(out.data, out.len, &back);
    CHECK_STR(back.data, text);
    xp_buf_reset(&back);
    const char served[] = "a <x id='3'></x> b <x id=4 /> &#233;&#x4E2D;&quot;<b>";
    xlate_http_markup_decode(served, sizeof served - 1, &back);
    CHECK_STR(back.data, "a \x01" "3\x02 b \x01" "4\x02 \xC3\xA9\xE4\xB8\xAD\"<b>");
    xp_buf_free(&out);
    xp_buf_free(&back);
}

/* Parses `body` (whole, NUL after it) and checks the outcome, and the reason when `want_why`
 * is given. */
static json_object *parse(const char *body, const char *want_why) {
    json_object *value = NULL;
    xlate_json_why why = {{0}};
    int rc = xlate_json_parse(body, strlen(body), &value, &why);
    CHECK_INT(rc, want_why ? -1 : 0);
    if (want_why)
        CHECK_STR(why.text, want_why);
    return value;
}

static void test_json_field(void) {
    /* What a server may send as a whole answer. */
    json_object *v = parse("42", NULL); /* a bare number ends at the end of the body */
    CHECK(json_object_is_type(v, json_type_int) && json_object_get_int(v) == 42);
    json_object_put(v);
    CHECK(parse("null", NULL) == NULL);
    v = parse(" {\"a\": 1}\r\n", NULL);
    CHECK(json_object_is_type(v, json_type_object));
    json_object_put(v);
    parse("", "the answer is empty; JSON was expected");
    parse("{\"a\": [1, 2", "the answer ends at byte 11 inside a JSON value");
    parse("<html>", "the answer is not JSON: unexpected character at byte 0");
    parse("{} {}", "the answer has more after its JSON value, at byte 3");
    /* json-c finds the bad sequence at the byte after its lead byte. */
    parse("[\"caf\xe9\"]", "the answer is not JSON: invalid utf-8 string at byte 6");

    /* Each wrong shape, named by its path. */
    json_object *a = parse("{\"responseData\": [{\"sourceLanguage\": null, \"n\": 7, \"s\": \"eng\"}, "
                           "\"x\"], \"t\": true}", NULL);
    xlate_json_why why = {{0}};
    json_object *list = xlate_json_member(a, NULL, "responseData", json_type_array, &why);
    CHECK(list && json_object_array_length(list) == 2);
    json_object *pair = xlate_json_element(list, "responseData", 0, json_type_object, &why);
    CHECK(pair != NULL);
    CHECK(!xlate_json_member(pair, "responseData[0]", "sourceLanguage", json_type_string, &why));
    CHECK_STR(why.text, "responseData[0].sourceLanguage is null; a string was expected");
    CHECK(!xlate_json_member(pair, "responseData[0]", "targetLanguage", json_type_string, &why));
    CHECK_STR(why.text, "responseData[0].targetLanguage is missing; a string was expected");
    CHECK(!xlate_json_member(pair, "responseData[0]", "n", json_type_string, &why));
    CHECK_STR(why.text, "responseData[0].n is a number; a string was expected");
    json_object *s = xlate_json_member(pair, "responseData[0]", "s", json_type_string, &why);
    CHECK(s && strcmp(json_object_get_string(s), "eng") == 0);
    CHECK(!xlate_json_element(list, "responseData", 1, json_type_object, &why));
    CHECK_STR(why.text, "responseData[1] is a string; an object was expected");
    CHECK(!xlate_json_member(a, NULL, "t", json_type_array, &why));
    CHECK_STR(why.text, "t is a boolean; an array was expected");
    CHECK(!xlate_json_member(list, "responseData", "x", json_type_string, &why));
    CHECK_STR(why.text, "responseData is an array; an object was expected");
    CHECK(!xlate_json_member(NULL, NULL, "translatedText", json_type_array, &why));
    CHECK_STR(why.text, "the answer is null; an object was expected");
    CHECK(!xlate_json_expect(a, "the answer", json_type_array, &why));
    CHECK_STR(why.text, "the answer is an object; an array was expected");
    CHECK(xlate_json_expect(a, "the answer", json_type_object, &why) == a);
    json_object_put(a);
}

static void test_langcodes(void) {
    char code[16];
    CHECK_INT(xlate_lang_to_639_3("uk", code, sizeof code), 0);
    CHECK_STR(code, "ukr");
    CHECK_INT(xlate_lang_to_639_3("en-US", code, sizeof code), 0);
    CHECK_STR(code, "eng");
    CHECK_INT(xlate_lang_to_639_3("spa", code, sizeof code), 0);
    CHECK_STR(code, "spa");
    CHECK_INT(xlate_lang_to_639_3("xx", code, sizeof code), -1);
    CHECK_INT(xlate_lang_to_639_1("eng_US", code, sizeof code), 0);
    CHECK_STR(code, "en-US");
    CHECK_INT(xlate_lang_to_639_1("ast", code, sizeof code), 0);
    CHECK_STR(code, "ast");
}

/* Tags a plugin reads from its own data (a term map's languages) against the run's. */
static void test_lang_tags(void) {
    char tag[32];
    CHECK_INT(xlate_lang_tag_canonical("EN-gb", tag, sizeof tag), 0);
    CHECK_STR(tag, "en-GB");
    CHECK_INT(xlate_lang_tag_canonical("ukr", tag, sizeof tag), 0);
    CHECK_STR(tag, "uk");
    CHECK_INT(xlate_lang_tag_canonical("xx", tag, sizeof tag), -1);
    CHECK_INT(xlate_lang_tag_canonical("en_GB", tag, sizeof tag), -1);
    CHECK_INT(xlate_lang_tag_canonical("english", tag, sizeof tag), -1);
    CHECK_INT(xlate_lang_tag_canonical("en-GB", tag, 3), -1); /* does not fit */
    CHECK_INT(xlate_lang_tags_agree("en", "en"), 1);
    CHECK_INT(xlate_lang_tags_agree("en", "en-GB"), 1); /* a map for English serves en-GB */
    CHECK_INT(xlate_lang_tags_agree("en-US", "en"), 1);
    CHECK_INT(xlate_lang_tags_agree("eng", "en"), 1);
    CHECK_INT(xlate_lang_tags_agree("en-US", "en-GB"), 0);
    CHECK_INT(xlate_lang_tags_agree("sr-Latn", "sr-Cyrl"), 0);
    CHECK_INT(xlate_lang_tags_agree("sr-Latn", "sr"), 1);
    CHECK_INT(xlate_lang_tags_agree("uk", "en"), 0);
    CHECK_INT(xlate_lang_tags_agree("xx", "xx"), 0);
}

/* A job over n text units for an engine that answers lines. */
typedef struct line_job {
    const char *const *in;
    char answers[8][64];
    char failures[8][512];
} line_job;

static int lj_wanted(void *data, size_t k) {
    (void)data;
    (void)k;
    return 1;
}

static int lj_encode(void *data, size_t k, xp_buf *out) {
    line_job *j = data;
    xp_buf_printf(out, "%s\n", j->in[k]);
    return 0;
}

static int lj_accept(void *data, size_t k, const char *answer, size_t len) {
    line_job *j = data;
    snprintf(j->answers[k], sizeof j->answers[k], "%.*s", (int)len, answer);
    return 0;
}

static void lj_fail(void *data, size_t k, const char *message) {
    line_job *j = data;
    snprintf(j->failures[k], sizeof j->failures[k], "%s", message);
}

static void test_stream(void) {
    /* A line engine that crashes on one line and hangs on another. */
    char *argv[] = {"/bin/sh", "-c",
                    "while IFS= read -r l; do case $l in *CRASH*) kill -SEGV $$;; *HANG*) sleep 60;; "
                    "esac; echo \"<$l>\"; done", NULL};
    char *const *cmds[] = {argv};
    xlate_stream_config config = {cmds, 1, '\n', 1500, 64, 4096};
    xlate_stream *s;
    char err[256];
    CHECK_INT(xlate_stream_open(&s, &config, err, sizeof err), 0);
    const char *in[] = {"one", "two CRASH", "three", "four HANG", "five"};
    line_job job;
    memset(&job, 0, sizeof job);
    job.in = in;
    xlate_stream_job sj = {5, &job, lj_wanted, lj_encode, lj_accept, lj_fail};
    CHECK_INT(xlate_stream_run(s, &sj, err, sizeof err), 0);
    CHECK_STR(job.answers[0], "<one>");
    CHECK_STR(job.answers[2], "<three>");
    CHECK_STR(job.answers[4], "<five>");
    CHECK(strstr(job.failures[1], "killed by signal 11") != NULL);
    CHECK(strstr(job.failures[3], "no answer from the engine within 1 s") != NULL);
    CHECK(job.answers[1][0] == '\0' && job.answers[3][0] == '\0');
    CHECK(xlate_stream_starts(s) == 3); /* the first start, then one after each failure */

    /* killed from outside between batches: the next batch starts it again, nothing fails */
    kill(-xlate_stream_pgid(s), SIGKILL);
    memset(&job, 0, sizeof job);
    job.in = in;
    const char *again[] = {"six", "seven"};
    job.in = again;
    sj.n = 2;
    CHECK_INT(xlate_stream_run(s, &sj, err, sizeof err), 0);
    CHECK_STR(job.answers[0], "<six>");
    CHECK_STR(job.answers[1], "<seven>");
    CHECK(job.failures[0][0] == '\0' && job.failures[1][0] == '\0');
    xlate_stream_close(s);

    /* a program that does not exist cannot be started */
    char *missing[] = {"no-such-program-xlate", NULL};
    char *const *mcmds[] = {missing};
    xlate_stream_config mconfig = {mcmds, 1, '\n', 1000, 1, 1};
    CHECK_INT(xlate_stream_open(&s, &mconfig, err, sizeof err), -1);
    CHECK(strstr(err, "no-such-program-xlate") != NULL);
}

static void test_child_big_exchange(void) {
    /* More bytes than pipe buffers hold, in both directions at once: no deadlock. */
    char *argv[] = {"cat", NULL};
    char *const *cmds[] = {argv};
    xlate_child *c;
    char err[256];
    CHECK_INT(xlate_child_start(&c, cmds, 1, err, sizeof err), 0);
    char unit[1001];
    memset(unit, 'x', 1000);
    unit[1000] = '\0';
    for (int i = 0; i < 2000; i++)
        CHECK_INT(xlate_child_send(c, unit, 1001), 0);
    int units = 0;
    const char *got;
    size_t len;
    while (units < 2000 && xlate_child_next_unit(c, '\0', 5000, &got, &len) == XLATE_CHILD_UNIT) {
        if (len != 1000)
            break;
        units++;
    }
    CHECK_INT(units, 2000);
    xp_buf why = XP_BUF_INIT;
    CHECK_INT(xlate_child_stop(c, 0, &why), 0);
    CHECK_INT(why.len, 0);
    xp_buf_free(&why);
}

int main(void) {
    test_mode_file();
    test_apertium_format();
    test_place_terms();
    test_markup();
    test_json_field();
    test_langcodes();
    test_lang_tags();
    test_stream();
    test_child_big_exchange();
    return check_result("translator_parts");
}
