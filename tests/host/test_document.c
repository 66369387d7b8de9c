/*
 * test_document: the document model the plugin host mutates and the writers read. Checks that
 * segments copy their source from the spans, and that the mutations keep the invariants writers
 * rely on (sorted, disjoint term spans on character boundaries; clean UTF-8 everywhere).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "document.h"
#include "xlate/plugin.h"

static char *dup_str(const char *s) {
    size_t n = strlen(s);
    char *p = malloc(n + 1);
    memcpy(p, s, n + 1);
    return p;
}

/* "Привіт, світе. Друге речення.\n\nНовий абзац." split by hand. */
static const char sample[] = "Привіт, світе. Друге речення.\n\nНовий абзац.";

static void init_sample(xlate_doc *doc) {
    /* "Привіт, світе." is 25 bytes; " " then "Друге речення." is 27 bytes. */
    const char *p2 = strstr(sample, "Друге");
    const char *p3 = strstr(sample, "Новий");
    xlate_span spans[3] = {
        {0, 25, 0},
        {(size_t)(p2 - sample), (size_t)(p2 - sample) + strlen("Друге речення."), 0},
        {(size_t)(p3 - sample), sizeof sample - 1, 1},
    };
    CHECK_INT(xlate_doc_init(doc, "news.txt", dup_str(sample), sizeof sample - 1, spans, 3), 0);
}

static void test_init_copies_sources(void) {
    xlate_doc doc;
    init_sample(&doc);
    CHECK_STR(doc.name, "news.txt");
    CHECK_INT(doc.n_segs, 3);
    CHECK_STR(doc.segs[0].source, "Привіт, світе.");
    CHECK_INT(doc.segs[0].source_len, strlen("Привіт, світе."));
    CHECK_STR(doc.segs[1].source, "Друге речення.");
    CHECK_STR(doc.segs[2].source, "Новий абзац.");
    CHECK_INT(doc.segs[0].id, 1);
    CHECK_INT(doc.segs[2].id, 3);
    CHECK_INT(doc.segs[1].paragraph, 0);
    CHECK_INT(doc.segs[2].paragraph, 1);
    CHECK_INT(doc.segs[2].end, sizeof sample - 1);
    CHECK(doc.segs[0].target == NULL);
    CHECK_INT(doc.segs[0].status, XLATE_SEG_OK);
    CHECK(doc.segs[0].message == NULL);
    /* The copy is the segment's own: changing the document text does not change it. */
    doc.text[0] = 'X';
    CHECK_STR(doc.segs[0].source, "Привіт, світе.");
    xlate_doc_free(&doc);
    CHECK(doc.segs == NULL && doc.n_segs == 0 && doc.text == NULL);
}

static void test_init_empty_and_bad_spans(void) {
    xlate_doc doc;
    xlate_span past_end = {0, 10, 0};
    xlate_span reversed = {3, 2, 0};
    CHECK_INT(xlate_doc_init(&doc, "-", dup_str(""), 0, NULL, 0), 0);
    CHECK_INT(doc.n_segs, 0);
    CHECK_STR(doc.name, "-");
    xlate_doc_free(&doc);
    /* Failure frees the text it was given (ASan would report the leak otherwise). */
    CHECK_INT(xlate_doc_init(&doc, "a.txt", dup_str("short"), 5, &past_end, 1), -1);
    CHECK_INT(xlate_doc_init(&doc, "a.txt", dup_str("short"), 5, &reversed, 1), -1);
}

static void test_set_target(void) {
    xlate_doc doc;
    xlate_seg *s;
    init_sample(&doc);
    s = &doc.segs[0];
    CHECK_INT(xlate_seg_set_target(s, "Hello, world.", 13), 0);
    CHECK_STR(s->target, "Hello, world.");
    CHECK_INT(s->target_len, 13);
    /* Length, not the NUL, decides how much is copied. */
    CHECK_INT(xlate_seg_set_target(s, "Hi there", 2), 0);
    CHECK_STR(s->target, "Hi");
    CHECK_INT(xlate_seg_set_target(s, "", 0), 0);
    CHECK_STR(s->target, "");
    /* Invalid UTF-8 or an embedded NUL is refused and the old target kept. */
    CHECK_INT(xlate_seg_set_target(s, "ok", 2), 0);
    CHECK_INT(xlate_seg_set_target(s, "bad \xC3(", 6), -1);
    CHECK_INT(xlate_seg_set_target(s, "a\0b", 3), -1);
    CHECK_INT(xlate_seg_set_target(s, "\xED\xA0\x80", 3), -1); /* a surrogate */
    CHECK_STR(s->target, "ok");
    CHECK_INT(xlate_seg_set_target(s, NULL, 1), -1);
    xlate_doc_free(&doc);
}

static void test_terms_sorted_and_disjoint(void) {
    xlate_doc doc;
    xlate_seg *s;
    /* "Привіт, світе." : "Привіт" is bytes 0..12, "світе" 14..24. */
    init_sample(&doc);
    s = &doc.segs[0];
    CHECK_INT(xlate_seg_add_term(s, 14, 24, "world", NULL, 0), 0);
    CHECK_INT(xlate_seg_add_term(s, 0, 12, "Hello", "greeting", 0), 0);
    CHECK_INT(s->n_terms, 2);
    CHECK_INT(s->terms[0].start, 0);
    CHECK_INT(s->terms[0].end, 12);
    CHECK_STR(s->terms[0].target, "Hello");
    CHECK_STR(s->terms[0].note, "greeting");
    CHECK_INT(s->terms[1].start, 14);
    CHECK_STR(s->terms[1].target, "world");
    CHECK(s->terms[1].note == NULL);

    /* Overlaps with either neighbour, or containing one, are refused. */
    CHECK_INT(xlate_seg_add_term(s, 10, 16, "x", NULL, 0), -1);
    CHECK_INT(xlate_seg_add_term(s, 0, 2, "x", NULL, 0), -1);
    CHECK_INT(xlate_seg_add_term(s, 12, 26, "x", NULL, 0), -1);
    /* Not on a character boundary: byte 1 is inside "П". */
    CHECK_INT(xlate_seg_add_term(s, 12, 13, "x", NULL, 0), 0); /* the comma */
    CHECK_INT(xlate_seg_add_term(s, 24, 25, ".", NULL, XLATE_TERM_KEEP), 0);
    CHECK_INT(s->n_terms, 4);
    CHECK_INT(s->terms[1].start, 12);
    CHECK_INT(s->terms[3].flags, XLATE_TERM_KEEP);
    xlate_doc_free(&doc);

    init_sample(&doc);
    s = &doc.segs[0];
    CHECK_INT(xlate_seg_add_term(s, 1, 4, "x", NULL, 0), -1);
    CHECK_INT(xlate_seg_add_term(s, 0, 3, "x", NULL, 0), -1);
    /* Empty, reversed, past the end. */
    CHECK_INT(xlate_seg_add_term(s, 4, 4, "x", NULL, 0), -1);
    CHECK_INT(xlate_seg_add_term(s, 6, 4, "x", NULL, 0), -1);
    CHECK_INT(xlate_seg_add_term(s, 14, 26, "x", NULL, 0), -1);
    /* The whole source is a valid span; a target must be valid UTF-8. */
    CHECK_INT(xlate_seg_add_term(s, 0, 25, "bad \xFF", NULL, 0), -1);
    CHECK_INT(xlate_seg_add_term(s, 0, 25, "x", "bad \xC0\x80", 0), -1);
    CHECK_INT(xlate_seg_add_term(s, 0, 25, NULL, NULL, 0), -1);
    CHECK_INT(s->n_terms, 0);
    CHECK_INT(xlate_seg_add_term(s, 0, 25, "Hello, world.", NULL, 0), 0);
    CHECK_INT(s->n_terms, 1);
    xlate_doc_free(&doc);
}

static void test_many_terms_keep_order(void) {
    /* Insert 200 one-byte spans in a scrambled order; they must come out sorted. */
    char text[201];
    xlate_span span = {0, 200, 0};
    xlate_doc doc;
    memset(text, 'a', 200);
    text[200] = '\0';
    CHECK_INT(xlate_doc_init(&doc, "a", dup_str(text), 200, &span, 1), 0);
    for (size_t k = 0; k < 200; k++) {
        size_t pos = (k * 37) % 200;
        CHECK_INT(xlate_seg_add_term(&doc.segs[0], pos, pos + 1, "b", NULL, 0), 0);
    }
    CHECK_INT(doc.segs[0].n_terms, 200);
    for (size_t k = 0; k < doc.segs[0].n_terms; k++)
        CHECK_INT(doc.segs[0].terms[k].start, k);
    CHECK_INT(xlate_seg_add_term(&doc.segs[0], 50, 51, "b", NULL, 0), -1);
    xlate_doc_free(&doc);
}

static void test_new_target_forgets_term_positions(void) {
    xlate_doc doc;
    xlate_seg *s;
    init_sample(&doc);
    s = &doc.segs[0];
    CHECK_INT(xlate_seg_add_term(s, 0, 12, "Hello", NULL, 0), 0);
    s->terms[0].has_target_pos = 1;
    s->terms[0].target_start = 0;
    s->terms[0].target_end = 5;
    CHECK_INT(xlate_seg_set_target(s, "Something else", 14), 0);
    CHECK_INT(s->terms[0].has_target_pos, 0);
    /* the same when the host checked the text itself */
    s->terms[0].has_target_pos = 1;
    CHECK_INT(xlate_seg_set_checked_target(s, "Щось інше, довше", 11), 0);
    CHECK_STR(s->target, "Щось і");
    CHECK_INT(s->target_len, 11);
    CHECK_INT(s->terms[0].has_target_pos, 0);
    CHECK_INT(xlate_seg_set_checked_target(s, NULL, 1), -1);
    CHECK_STR(s->target, "Щось і");
    xlate_doc_free(&doc);
}

static void test_status(void) {
    xlate_doc doc;
    xlate_seg *s;
    init_sample(&doc);
    s = &doc.segs[1];
    CHECK_STR(xlate_seg_status_name(XLATE_SEG_OK), "ok");
    CHECK_STR(xlate_seg_status_name(XLATE_SEG_WARNING), "warning");
    CHECK_STR(xlate_seg_status_name(XLATE_SEG_FAILED), "failed");
    CHECK_STR(xlate_seg_status_name(XLATE_SEG_FILTERED), "filtered");

    CHECK_INT(xlate_seg_set_status(s, XLATE_SEG_FAILED, "apertium: tagger assertion"), 0);
    CHECK_INT(s->status, XLATE_SEG_FAILED);
    CHECK_STR(s->message, "apertium: tagger assertion");
    CHECK_INT(xlate_seg_set_status(s, XLATE_SEG_WARNING, NULL), 0);
    CHECK(s->message == NULL);
    CHECK_INT(xlate_seg_set_status(s, (xlate_seg_status)7, "x"), -1);
    CHECK_INT(s->status, XLATE_SEG_WARNING);
    /* An engine's stderr in a legacy code page keeps its text, with U+FFFD for the bad bytes. */
    CHECK_INT(xlate_seg_set_status(s, XLATE_SEG_FAILED, "\xCF\xF0\xE8 error"), 0);
    CHECK_STR(s->message, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD error");
    CHECK_INT(xlate_seg_set_status(s, XLATE_SEG_FILTERED, "boilerplate: «Читайте також»"), 0);
    CHECK_STR(s->message, "boilerplate: «Читайте також»");
    xlate_doc_free(&doc);
}

static char *joined(const xlate_seg *s) {
    xlate_buf b = XLATE_BUF_INIT;
    CHECK_INT(xlate_seg_messages_joined(s, &b), 0);
    return xlate_buf_steal(&b, NULL);
}

/* A segment keeps every message, in order, with its plugin and code; its status is the worst. */
static void test_messages_add_up(void) {
    xlate_doc doc;
    init_sample(&doc);
    xlate_seg *s = &doc.segs[0];
    CHECK_INT(xlate_seg_add_message(s, XLATE_SEG_WARNING, "testtrans", "term_lost",
                                    "term 'NATO' was lost"), 0);
    CHECK_INT(s->status, XLATE_SEG_WARNING);
    CHECK_INT(xlate_seg_add_message(s, XLATE_SEG_FAILED, "qa", NULL, "qa: numbers differ"), 0);
    CHECK_INT(s->status, XLATE_SEG_FAILED);
    /* a later warning never makes a failed segment look better */
    CHECK_INT(xlate_seg_add_message(s, XLATE_SEG_WARNING, NULL, NULL, "the host's own"), 0);
    CHECK_INT(s->status, XLATE_SEG_FAILED);
    CHECK_INT(s->n_messages, 3);
    CHECK_STR(s->messages[0].plugin, "testtrans");
    CHECK_STR(s->messages[0].code, "term_lost");
    CHECK(s->messages[1].code == NULL && s->messages[2].plugin == NULL);
    CHECK_INT(s->messages[1].level, XLATE_SEG_FAILED);
    CHECK_STR(s->message, "term 'NATO' was lost; qa: numbers differ; the host's own");
    char *j = joined(s);
    /* named once: "qa: qa: ..." would say the same twice; the host's own has no name */
    CHECK_STR(j, "testtrans: term 'NATO' was lost; qa: numbers differ; the host's own");
    free(j);
    CHECK_INT(xlate_seg_add_message(s, XLATE_SEG_OK, "x", NULL, "ok is no message level"), -1);
    CHECK_INT(xlate_seg_add_message(s, XLATE_SEG_WARNING, "x", NULL, NULL), -1);
    /* set_status starts the messages afresh */
    CHECK_INT(xlate_seg_set_status(s, XLATE_SEG_FILTERED, "boilerplate"), 0);
    CHECK_INT(s->n_messages, 1);
    j = joined(s);
    CHECK_STR(j, "boilerplate");
    free(j);
    CHECK(xlate_seg_code_is_valid("term_lost-2") && !xlate_seg_code_is_valid("Bad Code") &&
          !xlate_seg_code_is_valid(""));
    xlate_doc_free(&doc);
}

/* "Привіт, <b>світе</b>.<br>": codes kept in source order, refused out of order, off a
 * character boundary, past the end, or with data that is not UTF-8. */
static void test_codes_added_in_order(void) {
    xlate_doc doc;
    init_sample(&doc);
    xlate_seg *s = &doc.segs[0];
    size_t world = strlen("Привіт, "), end = world + strlen("світе");
    CHECK_INT(xlate_seg_add_code(s, world, XLATE_SEG_CODE_OPEN, 1, 0, "<b>"), 0);
    CHECK_INT(xlate_seg_add_code(s, end, XLATE_SEG_CODE_CLOSE, 1, 0, "</b>"), 0);
    CHECK_INT(xlate_seg_add_code(s, s->source_len, XLATE_SEG_CODE_STANDALONE, 2, 0, "<br>"), 0);
    CHECK_INT(xlate_seg_add_code(s, 1, XLATE_SEG_CODE_STANDALONE, 3, 0, "<br>"), -1); /* mid-char */
    CHECK_INT(xlate_seg_add_code(s, world, XLATE_SEG_CODE_STANDALONE, 3, 0, "<br>"), -1); /* order */
    CHECK_INT(xlate_seg_add_code(s, s->source_len + 1, XLATE_SEG_CODE_STANDALONE, 3, 0, "x"), -1);
    CHECK_INT(xlate_seg_add_code(s, s->source_len, XLATE_SEG_CODE_STANDALONE, 3, 0, "\xC3"), -1);
    CHECK_INT(xlate_seg_add_code(s, s->source_len, XLATE_SEG_CODE_STANDALONE, 3, 0, NULL), -1);
    CHECK_INT(s->n_codes, 3);
    CHECK_STR(s->codes[0].data, "<b>");
    CHECK_INT(s->codes[1].pos, end);
    CHECK_INT(s->codes[1].kind, XLATE_SEG_CODE_CLOSE);
    CHECK_INT(s->codes[2].id, 2);
    CHECK(!s->codes[0].has_target_pos);
    xlate_doc_free(&doc);
}

/* A code a translator placed keeps its place; the others go to the end of the target in source
 * order, and the segment is `warning` with code_lost under the plugin that set the target. A new
 * target forgets every place. */
static void test_lost_codes_go_to_the_end(void) {
    xlate_doc doc;
    init_sample(&doc);
    xlate_seg *s = &doc.segs[0];
    CHECK_INT(xlate_seg_add_code(s, 0, XLATE_SEG_CODE_OPEN, 1, 0, "<a href=\"x\">"), 0);
    CHECK_INT(xlate_seg_add_code(s, 6, XLATE_SEG_CODE_CLOSE, 1, 0, "</a>"), 0);
    CHECK_INT(xlate_seg_add_code(s, 12, XLATE_SEG_CODE_STANDALONE, 2, 0, "<br/>"), 0);
    /* No target: nothing to place, nothing to say. */
    CHECK_INT(xlate_seg_place_lost_codes(s, "exec"), 0);
    CHECK_INT(s->status, XLATE_SEG_OK);
    CHECK(!s->codes[0].has_target_pos);
    CHECK_INT(xlate_seg_set_target(s, "Hello, world.", 13), 0);
    s->codes[0].has_target_pos = 1;
    s->codes[0].target_pos = 0;
    CHECK_INT(xlate_seg_place_lost_codes(s, "exec"), 0);
    CHECK_INT(s->status, XLATE_SEG_WARNING);
    CHECK_INT(s->codes[0].target_pos, 0);
    CHECK(s->codes[1].has_target_pos && s->codes[1].target_pos == 13);
    CHECK(s->codes[2].has_target_pos && s->codes[2].target_pos == 13);
    CHECK_INT(s->n_messages, 1);
    CHECK_STR(s->messages[0].plugin, "exec");
    CHECK_STR(s->messages[0].code, "code_lost");
    CHECK(strstr(s->messages[0].text, "</a> (close 1), <br/> (standalone 2)") != NULL);
    CHECK(strstr(s->messages[0].text, "<a href") == NULL);
    /* Every code has a place now: a second call adds nothing. */
    CHECK_INT(xlate_seg_place_lost_codes(s, "exec"), 0);
    CHECK_INT(s->n_messages, 1);
    CHECK_INT(xlate_seg_set_target(s, "Hi.", 3), 0);
    for (size_t k = 0; k < s->n_codes; k++)
        CHECK(!s->codes[k].has_target_pos);
    CHECK_INT(xlate_seg_set_target_plugin(s, "http"), 0);
    CHECK_STR(s->target_plugin, "http");
    xlate_doc_free(&doc);
}

/* Written segments give up their codes and the plugin name with the rest (the ASan build finds a
 * leak or a double free); truncating frees the cut ones. */
static void test_release_frees_codes(void) {
    xlate_doc doc;
    init_sample(&doc);
    for (size_t i = 0; i < doc.n_segs; i++) {
        CHECK_INT(xlate_seg_add_code(&doc.segs[i], 0, XLATE_SEG_CODE_STANDALONE, 1, 0, "<br>"), 0);
        CHECK_INT(xlate_seg_set_target_plugin(&doc.segs[i], "glossary"), 0);
    }
    xlate_doc_release(&doc, 0, 1);
    CHECK(doc.segs[0].codes == NULL && doc.segs[0].n_codes == 0 &&
          doc.segs[0].target_plugin == NULL);
    CHECK_INT(doc.segs[1].n_codes, 1);
    xlate_doc_truncate(&doc, 2);
    CHECK_INT(doc.n_segs, 2);
    xlate_doc_free(&doc);
}

int main(void) {
    test_init_copies_sources();
    test_init_empty_and_bad_spans();
    test_set_target();
    test_terms_sorted_and_disjoint();
    test_many_terms_keep_order();
    test_new_target_forgets_term_positions();
    test_status();
    test_messages_add_up();
    test_codes_added_in_order();
    test_lost_codes_go_to_the_end();
    test_release_frees_codes();
    return check_result("test_document");
}
