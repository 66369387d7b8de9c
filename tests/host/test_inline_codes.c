/*
 * test_inline_codes: the host side of inline codes, through the testmask plugin. A code travels
 * through a translator as a placeholder numbered after the terms' (segment_masked_source) and
 * comes back at the place the translator put it (segment_set_unmasked_target); a lost one goes to
 * the end of the target with a code_lost warning under the translator, a duplicated one is placed
 * at its first copy, and no placeholder stays in the target text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "host_services.h"
#include "xlate_config.h"

#define PLUGIN_DIR BUILD_ROOT "/tests/plugins"

static int contains(const char *s, const char *frag) { return s && strstr(s, frag) != NULL; }

/* "the <b>NATO</b> summit<br/> [XT0]": the term NATO → OTAN, the <b> span around it, a <br/>
 * after "summit", and text that looks like a placeholder. */
static void make_doc(xlate_doc *doc) {
    const char *text = "the NATO summit [XT0]";
    xlate_span span = {0, strlen(text), 0};
    CHECK_INT(xlate_doc_init(doc, "page.html", strdup(text), strlen(text), &span, 1), 0);
    xlate_seg *s = &doc->segs[0];
    CHECK_INT(xlate_seg_add_term(s, 4, 8, "OTAN", NULL, 0), 0);
    CHECK_INT(xlate_seg_add_code(s, 4, XLATE_SEG_CODE_OPEN, 1, 0, "<b>"), 0);
    CHECK_INT(xlate_seg_add_code(s, 8, XLATE_SEG_CODE_CLOSE, 1, 0, "</b>"), 0);
    CHECK_INT(xlate_seg_add_code(s, 15, XLATE_SEG_CODE_STANDALONE, 2, 0, "<br/>"), 0);
}

static void run_plugin(const char *path, const char *options, const char *from, xlate_doc *doc) {
    xlate_plugin_search search = {.host = xlate_host_services()};
    xlate_loaded_plugin *p = NULL;
    xlate_instance *inst = NULL;
    xlate_error err = {0};
    CHECK_INT(xlate_plugin_load(&search, path, &p, &err), 0);
    CHECK_INT(xlate_instance_new(p, options, from, "en", NULL, &inst, &err), 0);
    if (inst)
        CHECK_INT(xlate_instance_process(inst, doc, 0, doc->n_segs, &err), 0);
    xlate_instance_free(inst);
    xlate_plugin_unload(p);
    xlate_error_clear(&err);
}

static void run(const char *options, xlate_doc *doc) {
    run_plugin(PLUGIN_DIR "/testmask.so", options, "en", doc);
}

/* The term's placeholder first, then the codes' in source order; the source's "[XT0]" moves the
 * numbers on by one. A code at the term's start stands before it, one at its end after it. */
static void test_masked_source_numbers_codes_after_terms(void) {
    xlate_doc doc;
    make_doc(&doc);
    run("show=true", &doc);
    CHECK_STR(doc.segs[0].target, "3|the [XT2][XT1][XT3] summit[XT4] [XT0]");
    xlate_doc_free(&doc);
}

/* A code inside a term's span (whose text the engine never sees) goes right after the term's
 * placeholder. */
static void test_code_inside_a_term(void) {
    xlate_doc doc;
    const char *text = "the NATO summit";
    xlate_span span = {0, strlen(text), 0};
    CHECK_INT(xlate_doc_init(&doc, "page.html", strdup(text), strlen(text), &span, 1), 0);
    CHECK_INT(xlate_seg_add_term(&doc.segs[0], 4, 15, "cumbre de la OTAN", NULL, 0), 0);
    CHECK_INT(xlate_seg_add_code(&doc.segs[0], 9, XLATE_SEG_CODE_OPEN, 1, 0, "<i>"), 0);
    CHECK_INT(xlate_seg_add_code(&doc.segs[0], 15, XLATE_SEG_CODE_CLOSE, 1, 0, "</i>"), 0);
    run("show=true", &doc);
    CHECK_STR(doc.segs[0].target, "2|the [XT0][XT1][XT2]");
    xlate_doc_free(&doc);
}

/* Each placeholder, whatever its case, becomes its term's target or its code's place. */
static void test_unmasked_target_places_codes(void) {
    xlate_doc doc;
    make_doc(&doc);
    run("reply=la cumbre [XT2][xt1][XT3][XT4] [XT0]", &doc);
    xlate_seg *s = &doc.segs[0];
    CHECK_STR(s->target, "la cumbre OTAN [XT0]");
    CHECK_INT(s->status, XLATE_SEG_OK);
    CHECK(s->codes[0].has_target_pos && s->codes[0].target_pos == 10);
    CHECK(s->codes[1].has_target_pos && s->codes[1].target_pos == 14);
    CHECK(s->codes[2].has_target_pos && s->codes[2].target_pos == 14);
    CHECK(s->terms[0].has_target_pos && s->terms[0].target_start == 10 &&
          s->terms[0].target_end == 14);
    CHECK_STR(s->target_plugin, "testmask");
    /* After the chain every code has its place: nothing to put back, nothing to say. */
    CHECK_INT(xlate_seg_place_lost_codes(s, s->target_plugin), 0);
    CHECK_INT(s->status, XLATE_SEG_OK);
    CHECK_INT(s->n_messages, 0);
    xlate_doc_free(&doc);
}

/* The engine dropped </b>'s placeholder and doubled <b>'s: <b> is placed at its first copy, the
 * second leaves no trace, and </b> goes to the end after the chain, the segment `warning`. */
static void test_lost_and_duplicated_code_placeholders(void) {
    xlate_doc doc;
    make_doc(&doc);
    run("reply=LA [XT2][XT1] CUMBRE [XT2][XT4]", &doc);
    xlate_seg *s = &doc.segs[0];
    CHECK_STR(s->target, "LA OTAN CUMBRE ");
    CHECK(!contains(s->target, "[XT"));
    CHECK(s->codes[0].has_target_pos && s->codes[0].target_pos == 3);
    CHECK(!s->codes[1].has_target_pos);
    CHECK(s->codes[2].has_target_pos && s->codes[2].target_pos == 15);
    CHECK_INT(s->status, XLATE_SEG_OK);
    CHECK_INT(xlate_seg_place_lost_codes(s, s->target_plugin), 0);
    CHECK(s->codes[1].has_target_pos && s->codes[1].target_pos == 15);
    CHECK_INT(s->status, XLATE_SEG_WARNING);
    CHECK_INT(s->n_messages, 1);
    CHECK_STR(s->messages[0].plugin, "testmask");
    CHECK_STR(s->messages[0].code, "code_lost");
    CHECK(contains(s->messages[0].text, "</b> (close 1)"));
    xlate_doc_free(&doc);
}

/* A translator that sets its target as plain text loses every code's place: all of them go to
 * the end, in source order, under its name. */
static void test_plain_target_loses_codes_places(void) {
    xlate_doc doc;
    make_doc(&doc);
    run("plain=la cumbre de la OTAN", &doc);
    xlate_seg *s = &doc.segs[0];
    CHECK_STR(s->target, "la cumbre de la OTAN");
    for (size_t k = 0; k < s->n_codes; k++)
        CHECK(!s->codes[k].has_target_pos);
    CHECK_INT(xlate_seg_place_lost_codes(s, s->target_plugin), 0);
    for (size_t k = 0; k < s->n_codes; k++)
        CHECK(s->codes[k].has_target_pos && s->codes[k].target_pos == s->target_len);
    CHECK_INT(s->status, XLATE_SEG_WARNING);
    CHECK_STR(s->messages[0].plugin, "testmask");
    CHECK_STR(s->messages[0].code, "code_lost");
    CHECK(contains(s->messages[0].text, "<b> (open 1), </b> (close 1), <br/> (standalone 2)"));
    xlate_doc_free(&doc);
}

/* A target the document brought (preset) is kept: the translator does not see the segment. */
static void test_preset_segment_is_not_active(void) {
    xlate_doc doc;
    make_doc(&doc);
    CHECK_INT(xlate_seg_set_target(&doc.segs[0], "cumbre", 6), 0);
    doc.segs[0].preset = 1;
    run("plain=otra cosa", &doc);
    CHECK_STR(doc.segs[0].target, "cumbre");
    CHECK(doc.segs[0].target_plugin == NULL);
    xlate_doc_free(&doc);
}

/* The bundled exec translator masks a segment that has codes, even without terms, so that an
 * engine that keeps the placeholders (here sed) keeps the codes' places. */
static void test_exec_carries_codes(void) {
    xlate_doc doc;
    make_doc(&doc);
    run_plugin(BUILD_ROOT "/plugins/exec/exec.so", "cmd=sed -u s/summit/cumbre/", "en", &doc);
    xlate_seg *s = &doc.segs[0];
    CHECK_STR(s->target, "the OTAN cumbre [XT0]");
    if (s->message)
        fprintf(stderr, "exec: %s\n", s->message);
    CHECK(s->codes[0].has_target_pos && s->codes[0].target_pos == 4);
    CHECK(s->codes[1].has_target_pos && s->codes[1].target_pos == 8);
    CHECK(s->codes[2].has_target_pos && s->codes[2].target_pos == 15);
    CHECK_INT(s->status, XLATE_SEG_OK);
    xlate_doc_free(&doc);

    const char *text = "no terms here";
    xlate_span span = {0, strlen(text), 0};
    CHECK_INT(xlate_doc_init(&doc, "p.html", strdup(text), strlen(text), &span, 1), 0);
    CHECK_INT(xlate_seg_add_code(&doc.segs[0], 3, XLATE_SEG_CODE_STANDALONE, 1, 0, "<br>"), 0);
    run_plugin(BUILD_ROOT "/plugins/exec/exec.so", "cmd=sed -u s/terms/words/", "en", &doc);
    CHECK_STR(doc.segs[0].target, "no words here");
    CHECK(doc.segs[0].codes[0].has_target_pos && doc.segs[0].codes[0].target_pos == 3);
    xlate_doc_free(&doc);
}

/* The glossary sets the target itself (the source with its terms in place): the codes keep
 * their places around the term that replaced НАТО. */
static void test_glossary_keeps_codes(void) {
    xlate_doc doc;
    const char *text = "Голова НАТО прибув.";
    xlate_span span = {0, strlen(text), 0};
    CHECK_INT(xlate_doc_init(&doc, "p.html", strdup(text), strlen(text), &span, 1), 0);
    size_t at = strlen("Голова "), end = at + strlen("НАТО");
    CHECK_INT(xlate_seg_add_code(&doc.segs[0], at, XLATE_SEG_CODE_OPEN, 1, 0, "<b>"), 0);
    CHECK_INT(xlate_seg_add_code(&doc.segs[0], end, XLATE_SEG_CODE_CLOSE, 1, 0, "</b>"), 0);
    run_plugin(BUILD_ROOT "/plugins/glossary/glossary.so", "stem=off", "uk", &doc);
    xlate_seg *s = &doc.segs[0];
    CHECK_STR(s->target, "Голова NATO прибув.");
    CHECK(s->codes[0].has_target_pos && s->codes[0].target_pos == at);
    CHECK(s->codes[1].has_target_pos && s->codes[1].target_pos == at + 4);
    CHECK_INT(s->status, XLATE_SEG_OK);
    xlate_doc_free(&doc);
}

int main(void) {
    test_masked_source_numbers_codes_after_terms();
    test_code_inside_a_term();
    test_unmasked_target_places_codes();
    test_lost_and_duplicated_code_placeholders();
    test_plain_target_loses_codes_places();
    test_preset_segment_is_not_active();
    test_exec_carries_codes();
    test_glossary_keeps_codes();
    return check_result("test_inline_codes");
}
