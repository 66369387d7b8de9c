/*
 * test_isolate_wire: the bytes an isolated plugin's batch travels in. A batch encoded by the host
 * and decoded by the child gives the plugin the same segments (positions, output ids, sources,
 * targets, terms with their target positions, statuses, messages with their plugins, levels and
 * codes, the document's name); the child's result put back into the host's document gives the
 * state the child had, the messages it added after those the segment had; and a result that is
 * truncated, has a term outside its segment, a target that is not UTF-8, a message with a bad code
 * or level, a status better than its messages or a memory's match said to be the target that is
 * not changes nothing and says so. Matches travel both ways, with the one that set the target.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "isolate_wire.h"

static char *dup_str(const char *s) {
    size_t n = strlen(s);
    char *p = malloc(n + 1);
    memcpy(p, s, n + 1);
    return p;
}

static const char sample[] = "Генеральний секретар НАТО приїхав. Друге речення.\n\nТретє.";

/* Three segments, output ids 40-42; the second carries a target, a term with target positions
 * and a check plugin's warning with a code, the third a filter's drop. */
static void init_doc(xlate_doc *doc) {
    const char *p2 = strstr(sample, "Друге");
    const char *p3 = strstr(sample, "Третє");
    xlate_span spans[3] = {
        {0, (size_t)(p2 - sample) - 1, 0},
        {(size_t)(p2 - sample), (size_t)(p3 - sample) - 2, 0},
        {(size_t)(p3 - sample), sizeof sample - 1, 1},
    };
    CHECK_INT(xlate_doc_init(doc, "news/доповідь.txt", dup_str(sample), sizeof sample - 1, spans, 3), 0);
    doc->first_id = 40;
    xlate_seg *s = &doc->segs[1];
    CHECK_INT(xlate_seg_set_target(s, "Second sentence.", 16), 0);
    CHECK_INT(xlate_seg_add_term(s, 0, strlen("Друге"), "Second", "a note", XLATE_TERM_KEEP), 0);
    s->terms[0].has_target_pos = 1;
    s->terms[0].target_start = 0;
    s->terms[0].target_end = 6;
    CHECK_INT(xlate_seg_add_message(s, XLATE_SEG_WARNING, "testcheck", "same_as_source", "a warning"), 0);
    CHECK_INT(xlate_seg_add_message(&doc->segs[2], XLATE_SEG_FILTERED, "skip", NULL, "dropped"), 0);
}

static void test_batch_reaches_the_child_whole(void) {
    xlate_doc doc, child;
    xlate_error err = {0};
    xlate_buf wire = XLATE_BUF_INIT;
    init_doc(&doc);
    CHECK_INT(xlate_wire_put_batch(&wire, &doc, 1, 2), 0);
    CHECK_INT(xlate_wire_get_batch(wire.data, wire.len, &child, &err), 0);
    CHECK_STR(child.name, "news/доповідь.txt");
    CHECK_INT(child.n_segs, 2);
    const xlate_seg *a = &doc.segs[1], *b = &child.segs[0];
    CHECK_INT(b->id, a->id);
    CHECK_INT(b->paragraph, a->paragraph);
    CHECK_INT(child.first_id, 41); /* the child's segment 0 is the host's segment 1: id 41 */
    CHECK_STR(b->source, a->source);
    CHECK_INT(b->source_len, a->source_len);
    CHECK_STR(b->target, "Second sentence.");
    CHECK_INT(b->status, XLATE_SEG_WARNING);
    CHECK_STR(b->message, "a warning");
    CHECK_INT(b->n_messages, 1);
    CHECK_STR(b->messages[0].plugin, "testcheck");
    CHECK_STR(b->messages[0].code, "same_as_source");
    CHECK_INT(b->messages[0].level, XLATE_SEG_WARNING);
    CHECK_STR(b->messages[0].text, "a warning");
    CHECK_INT(b->n_terms, 1);
    CHECK_STR(b->terms[0].target, "Second");
    CHECK_STR(b->terms[0].note, "a note");
    CHECK_INT(b->terms[0].flags, XLATE_TERM_KEEP);
    CHECK_INT(b->terms[0].has_target_pos, 1);
    CHECK_INT(b->terms[0].target_end, 6);
    CHECK_INT(child.segs[1].id, 3);
    CHECK_INT(child.segs[1].paragraph, 1);
    CHECK_INT(child.segs[1].status, XLATE_SEG_FILTERED);
    CHECK_INT(child.segs[1].n_messages, 1);
    CHECK_STR(child.segs[1].messages[0].plugin, "skip");
    CHECK(child.segs[1].messages[0].code == NULL);
    CHECK(child.segs[1].target == NULL);
    xlate_doc_free(&child);
    xlate_doc_free(&doc);
    xlate_buf_free(&wire);
}

/* The child works on its batch; the host gets back exactly that, each message with the plugin
 * and code it was given with, after the messages the segment already had. */
static void test_result_comes_back(void) {
    xlate_doc doc, child;
    xlate_error err = {0};
    xlate_buf wire = XLATE_BUF_INIT, result = XLATE_BUF_INIT;
    init_doc(&doc);
    CHECK_INT(xlate_wire_put_batch(&wire, &doc, 0, 2), 0);
    CHECK_INT(xlate_wire_get_batch(wire.data, wire.len, &child, &err), 0);
    const char *nato = strstr(child.segs[0].source, "НАТО");
    size_t at = (size_t)(nato - child.segs[0].source);
    CHECK_INT(xlate_seg_add_term(&child.segs[0], at, at + strlen("НАТО"), "NATO", NULL, 0), 0);
    CHECK_INT(xlate_seg_set_target(&child.segs[0], "Secretary General of NATO arrived.", 34), 0);
    CHECK_INT(xlate_seg_add_message(&child.segs[0], XLATE_SEG_WARNING, "qa", "numbers", "3 ≠ 4"), 0);
    CHECK_INT(xlate_seg_add_message(&child.segs[1], XLATE_SEG_FAILED, "engine", NULL, "no"), 0);
    /* A memory's candidate on one segment; on the other the match that set the target. */
    CHECK_INT(xlate_seg_add_match(&child.segs[0], "tm", "Secretary arrived.", 18, 76.5,
                                  "Генеральний секретар приїхав.", strlen("Генеральний секретар приїхав."), 0), 0);
    CHECK_INT(xlate_seg_add_match(&child.segs[1], "tm", "Second one.", 11, 100, "Друге речення.",
                                  strlen("Друге речення."), 1), 0);
    CHECK_INT(xlate_wire_put_result(&result, &child), 0);
    CHECK_INT(xlate_wire_get_result(result.data, result.len, &doc, 0, 2, &err), 0);
    CHECK_STR(doc.segs[0].target, "Secretary General of NATO arrived.");
    CHECK_INT(doc.segs[0].n_terms, 1);
    CHECK_INT(doc.segs[0].terms[0].start, at);
    CHECK_STR(doc.segs[0].terms[0].target, "NATO");
    CHECK_INT(doc.segs[0].status, XLATE_SEG_WARNING);
    CHECK_INT(doc.segs[0].n_messages, 1);
    CHECK_STR(doc.segs[0].messages[0].plugin, "qa");
    CHECK_STR(doc.segs[0].messages[0].code, "numbers");
    CHECK_STR(doc.segs[0].messages[0].text, "3 ≠ 4");
    CHECK_INT(doc.segs[1].status, XLATE_SEG_FAILED);
    CHECK_INT(doc.segs[1].n_messages, 2);
    CHECK_STR(doc.segs[1].messages[0].plugin, "testcheck");
    CHECK_STR(doc.segs[1].messages[0].code, "same_as_source");
    CHECK_STR(doc.segs[1].messages[1].plugin, "engine");
    CHECK(doc.segs[1].messages[1].code == NULL);
    CHECK_INT(doc.segs[1].messages[1].level, XLATE_SEG_FAILED);
    CHECK_STR(doc.segs[1].message, "a warning; no");
    CHECK_STR(doc.segs[1].target, "Second one.");
    CHECK(xlate_seg_used_match(&doc.segs[0]) == NULL);
    CHECK(doc.segs[0].matches && doc.segs[0].matches->n == 1);
    if (doc.segs[0].matches && doc.segs[0].matches->n == 1) {
        CHECK_STR(doc.segs[0].matches->items[0].plugin, "tm");
        CHECK_STR(doc.segs[0].matches->items[0].source, "Генеральний секретар приїхав.");
        CHECK(doc.segs[0].matches->items[0].score == 76.5);
    }
    const xlate_seg_match *used = xlate_seg_used_match(&doc.segs[1]);
    CHECK(used != NULL);
    if (used) {
        CHECK_STR(used->target, "Second one.");
        CHECK(used->score == 100);
    }
    CHECK_INT(doc.segs[2].status, XLATE_SEG_FILTERED); /* outside the batch: untouched */
    /* And out again to a child: the batch_done view sees the matches as the host has them. */
    xlate_doc again;
    xlate_buf_reset(&wire);
    CHECK_INT(xlate_wire_put_batch(&wire, &doc, 1, 1), 0);
    CHECK_INT(xlate_wire_get_batch(wire.data, wire.len, &again, &err), 0);
    CHECK(xlate_seg_used_match(&again.segs[0]) != NULL);
    CHECK_INT(again.segs[0].matches ? again.segs[0].matches->n : 0, 1);
    xlate_doc_free(&again);
    xlate_doc_free(&child);
    xlate_doc_free(&doc);
    xlate_buf_free(&wire);
    xlate_buf_free(&result);
}

/* Inline codes go to the child with the segment (kind, id, isolation, markup, preset) and come
 * back with the places the child's translator gave them and the name of that translator; a
 * place past the end of the target is a broken result. */
static void test_codes_travel_both_ways(void) {
    xlate_doc doc, child;
    xlate_error err = {0};
    xlate_buf wire = XLATE_BUF_INIT, result = XLATE_BUF_INIT;
    init_doc(&doc);
    xlate_seg *s = &doc.segs[0];
    size_t at = (size_t)(strstr(s->source, "НАТО") - s->source);
    CHECK_INT(xlate_seg_add_code(s, at, XLATE_SEG_CODE_OPEN, 4, 0, "<b class=\"org\">"), 0);
    CHECK_INT(xlate_seg_add_code(s, at + strlen("НАТО"), XLATE_SEG_CODE_CLOSE, 4, 0, "</b>"), 0);
    CHECK_INT(xlate_seg_add_code(s, s->source_len, XLATE_SEG_CODE_CLOSE, 2, 1, "</a>"), 0);
    doc.segs[1].preset = 1;
    CHECK_INT(xlate_wire_put_batch(&wire, &doc, 0, 2), 0);
    CHECK_INT(xlate_wire_get_batch(wire.data, wire.len, &child, &err), 0);
    xlate_seg *c = &child.segs[0];
    CHECK_INT(c->n_codes, 3);
    CHECK_INT(c->codes[0].pos, at);
    CHECK_STR(c->codes[0].data, "<b class=\"org\">");
    CHECK_INT(c->codes[1].kind, XLATE_SEG_CODE_CLOSE);
    CHECK_INT(c->codes[2].id, 2);
    CHECK_INT(c->codes[2].isolated, 1);
    CHECK_INT(child.segs[1].preset, 1);
    CHECK_INT(xlate_seg_set_target(c, "NATO head arrived.", 18), 0);
    CHECK_INT(xlate_seg_set_target_plugin(c, "exec"), 0);
    c->codes[0].has_target_pos = 1, c->codes[0].target_pos = 0;
    c->codes[1].has_target_pos = 1, c->codes[1].target_pos = 4;
    CHECK_INT(xlate_wire_put_result(&result, &child), 0);
    CHECK_INT(xlate_wire_get_result(result.data, result.len, &doc, 0, 2, &err), 0);
    CHECK_STR(s->target, "NATO head arrived.");
    CHECK_STR(s->target_plugin, "exec");
    CHECK_INT(s->n_codes, 3);
    CHECK(s->codes[0].has_target_pos && s->codes[0].target_pos == 0);
    CHECK(s->codes[1].has_target_pos && s->codes[1].target_pos == 4);
    CHECK(!s->codes[2].has_target_pos);
    CHECK_STR(s->codes[2].data, "</a>");
    /* A place past the end of the target: refused, the host's segment unchanged. */
    xlate_buf_reset(&result);
    c->codes[1].target_pos = 99;
    CHECK_INT(xlate_wire_put_result(&result, &child), 0);
    CHECK_INT(xlate_wire_get_result(result.data, result.len, &doc, 0, 2, &err), -1);
    CHECK_INT(s->codes[1].target_pos, 4);
    xlate_error_clear(&err);
    xlate_doc_free(&child);
    xlate_doc_free(&doc);
    xlate_buf_free(&wire);
    xlate_buf_free(&result);
}

/* A message of a result built by hand; NULL text: none. */
typedef struct wire_msg {
    uint64_t status, level;
    const char *code, *text;
    size_t text_len;
} wire_msg;

static const wire_msg no_msg = {XLATE_SEG_OK, 0, NULL, NULL, 0};

/* A result built by hand: one segment's state, with `target`, status and message `m` and a term
 * [start, end). */
static void put_msg(xlate_buf *b, const char *target, size_t target_len, wire_msg m,
                    uint64_t start, uint64_t end) {
    xlate_wire_put_u64(b, 1);
    xlate_wire_put_str(b, target, target_len);
    xlate_wire_put_u64(b, m.status);
    xlate_wire_put_u64(b, m.text ? 1 : 0);
    if (m.text) {
        xlate_wire_put_str(b, "qa", 2);
        xlate_wire_put_u64(b, m.level);
        xlate_wire_put_str(b, m.code, m.code ? strlen(m.code) : 0);
        xlate_wire_put_str(b, m.text, m.text_len);
    }
    xlate_wire_put_u64(b, 1);
    xlate_wire_put_u64(b, start);
    xlate_wire_put_u64(b, end);
    xlate_wire_put_str(b, "T", 1);
    xlate_wire_put_str(b, NULL, 0);
    xlate_wire_put_u64(b, 0);
    xlate_wire_put_u64(b, 0);
    xlate_wire_put_u64(b, 0);
    xlate_wire_put_u64(b, 0);
    xlate_wire_put_u64(b, 0);       /* not preset */
    xlate_wire_put_str(b, NULL, 0); /* no plugin set the target */
    xlate_wire_put_u64(b, 0);       /* no inline codes */
    xlate_wire_put_u64(b, 0);       /* no matches */
    xlate_wire_put_u64(b, UINT64_MAX); /* none of them set the target */
}

static void put_one(xlate_buf *b, const char *target, size_t target_len, uint64_t start, uint64_t end) {
    put_msg(b, target, target_len, no_msg, start, end);
}

static void check_refused(const xlate_buf *b, size_t len, const char *what) {
    xlate_doc doc;
    xlate_error err = {0};
    init_doc(&doc);
    int rc = xlate_wire_get_result(b->data, len, &doc, 1, 1, &err);
    if (rc != -1 || !err.message)
        fprintf(stderr, "a result with %s was taken\n", what);
    CHECK_INT(rc, -1);
    CHECK(err.message != NULL);
    /* Nothing changed: the segment keeps the state it had. */
    CHECK_STR(doc.segs[1].target, "Second sentence.");
    CHECK_INT(doc.segs[1].n_terms, 1);
    CHECK_STR(doc.segs[1].terms[0].target, "Second");
    CHECK_INT(doc.segs[1].status, XLATE_SEG_WARNING);
    CHECK_INT(doc.segs[1].n_messages, 1);
    CHECK_STR(doc.segs[1].message, "a warning");
    xlate_error_clear(&err);
    xlate_doc_free(&doc);
}

static void test_bad_results_change_nothing(void) {
    xlate_buf b = XLATE_BUF_INIT;
    put_one(&b, "ok", 2, 0, 4);
    {
        xlate_doc doc;
        xlate_error err = {0};
        init_doc(&doc);
        CHECK_INT(xlate_wire_get_result(b.data, b.len, &doc, 1, 1, &err), 0); /* the good one */
        CHECK_STR(doc.segs[1].target, "ok");
        xlate_doc_free(&doc);
    }
    for (size_t cut = 0; cut < b.len; cut += 7)
        check_refused(&b, cut, "a cut");
    xlate_buf_reset(&b);
    put_one(&b, "ok", 2, 0, 1000);
    check_refused(&b, b.len, "a term past the end of its source");
    xlate_buf_reset(&b);
    put_one(&b, "ok", 2, 0, 1);
    check_refused(&b, b.len, "a term ending inside a character");
    xlate_buf_reset(&b);
    put_one(&b, "\xff\xfe", 2, 0, 4);
    check_refused(&b, b.len, "a target that is not UTF-8");
    xlate_buf_reset(&b);
    put_one(&b, "ok", 2, 0, 4);
    xlate_wire_put_u64(&b, 7);
    check_refused(&b, b.len, "bytes after the result");
    /* A match said to have set the target that is not the target, or that is not there. */
    xlate_buf_reset(&b);
    put_one(&b, "ok", 2, 0, 4);
    b.len -= 16;
    xlate_wire_put_u64(&b, 1);
    xlate_wire_put_str(&b, "tm", 2);
    xlate_wire_put_str(&b, "other", 5);
    xlate_wire_put_str(&b, "src", 3);
    double score = 90;
    uint64_t bits;
    memcpy(&bits, &score, sizeof bits);
    xlate_wire_put_u64(&b, bits);
    xlate_wire_put_u64(&b, 0);
    check_refused(&b, b.len, "a used match that is not the target");
    b.len -= 8;
    xlate_wire_put_u64(&b, 1);
    check_refused(&b, b.len, "a used match out of range");
    /* Messages: a good one is taken with its plugin and code, a broken one refused. */
    xlate_buf_reset(&b);
    put_msg(&b, "ok", 2, (wire_msg){XLATE_SEG_WARNING, XLATE_SEG_WARNING, "numbers", "3 ≠ 4", strlen("3 ≠ 4")}, 0, 4);
    {
        xlate_doc doc;
        xlate_error err = {0};
        init_doc(&doc);
        CHECK_INT(xlate_wire_get_result(b.data, b.len, &doc, 1, 1, &err), 0);
        CHECK_INT(doc.segs[1].n_messages, 1);
        CHECK_STR(doc.segs[1].messages[0].plugin, "qa");
        CHECK_STR(doc.segs[1].messages[0].code, "numbers");
        CHECK_STR(doc.segs[1].message, "3 ≠ 4");
        xlate_doc_free(&doc);
    }
    static const struct {
        wire_msg m;
        const char *what;
    } bad[] = {
        {{XLATE_SEG_WARNING, XLATE_SEG_WARNING, "Numbers Differ", "x", 1}, "a code outside [a-z0-9_-]"},
        {{XLATE_SEG_WARNING, XLATE_SEG_WARNING, "", "x", 1}, "an empty code"},
        {{XLATE_SEG_OK, XLATE_SEG_OK, NULL, "x", 1}, "a message of level ok"},
        {{7, 7, NULL, "x", 1}, "a message of no level"},
        {{XLATE_SEG_OK, XLATE_SEG_FAILED, NULL, "x", 1}, "a status better than its messages"},
        {{XLATE_SEG_FAILED, XLATE_SEG_FAILED, NULL, "a\0b", 3}, "a message with a NUL inside"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        xlate_buf_reset(&b);
        put_msg(&b, "ok", 2, bad[i].m, 0, 4);
        check_refused(&b, b.len, bad[i].what);
    }
    xlate_buf_free(&b);
}

int main(void) {
    test_codes_travel_both_ways();
    test_batch_reaches_the_child_whole();
    test_result_comes_back();
    test_bad_results_change_nothing();
    return check_result("test_isolate_wire");
}
