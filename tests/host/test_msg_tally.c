/*
 * Tests of msg_tally: warnings and failures counted per plugin and code across documents, merged
 * as batch merges its documents', and shown as the end-of-run table and report.json's array.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "msg_tally.h"

static char *dup_str(const char *s) {
    char *p = strdup(s);
    if (!p)
        abort();
    return p;
}

/* Three segments: two warnings of qa/numbers, a host failure, a filter's reason. */
static void make_doc(xlate_doc *doc) {
    static const char text[] = "One. Two. Three.";
    xlate_span spans[3] = {{0, 4, 0}, {5, 9, 0}, {10, 16, 0}};
    CHECK_INT(xlate_doc_init(doc, "a.txt", dup_str(text), sizeof text - 1, spans, 3), 0);
    CHECK_INT(xlate_seg_add_message(&doc->segs[0], XLATE_SEG_WARNING, "qa", "numbers", "n"), 0);
    CHECK_INT(xlate_seg_add_message(&doc->segs[1], XLATE_SEG_WARNING, "qa", "numbers", "n"), 0);
    CHECK_INT(xlate_seg_add_message(&doc->segs[1], XLATE_SEG_FAILED, NULL, NULL, "host"), 0);
    CHECK_INT(xlate_seg_add_message(&doc->segs[2], XLATE_SEG_FILTERED, "oboz", NULL, "ad"), 0);
}

static void test_counts_table_and_json(void) {
    xlate_doc doc;
    xlate_msg_tally t = XLATE_MSG_TALLY_INIT, all = XLATE_MSG_TALLY_INIT;
    make_doc(&doc);
    CHECK_INT(xlate_msg_tally_add(&t, &doc, 0, 1), 0);  /* a run counts a batch at a time */
    CHECK_INT(xlate_msg_tally_add(&t, &doc, 1, 2), 0);
    CHECK_INT(t.n, 2);                                   /* filtered reasons are not counted */
    CHECK_INT(xlate_msg_tally_merge(&all, &t), 0);
    CHECK_INT(xlate_msg_tally_merge(&all, &t), 0);
    xlate_msg_tally_sort(&all);
    xlate_buf b = XLATE_BUF_INIT;
    CHECK_INT(xlate_msg_tally_json(&all, &b), 0);
    CHECK_STR(b.data, "[{\"plugin\":\"qa\",\"code\":\"numbers\",\"warnings\":4,\"failures\":0},"
                      "{\"plugin\":\"xlate\",\"code\":null,\"warnings\":0,\"failures\":2}]");
    xlate_buf_reset(&b);
    CHECK_INT(xlate_msg_tally_table(&all, &b), 0);
    CHECK_STR(b.data, "plugin  code     warnings  failures\n"
                      "qa      numbers         4         0\n"
                      "xlate   -               0         2\n");
    xlate_buf_free(&b);
    xlate_msg_tally_free(&t);
    xlate_msg_tally_free(&all);
    xlate_doc_free(&doc);
}

/* batch's journal keeps the counts in one line; a resumed document gets them back. */
static void test_compact_and_back(void) {
    xlate_doc doc;
    xlate_msg_tally t = XLATE_MSG_TALLY_INIT, back = XLATE_MSG_TALLY_INIT;
    make_doc(&doc);
    CHECK_INT(xlate_msg_tally_add(&t, &doc, 0, 3), 0);
    xlate_buf b = XLATE_BUF_INIT, again = XLATE_BUF_INIT;
    CHECK_INT(xlate_msg_tally_compact(&t, &b), 0);
    CHECK_STR(b.data, "qa:numbers=2/0,xlate:=0/1");
    CHECK_INT(xlate_msg_tally_parse(&back, b.data), 0);
    CHECK_INT(xlate_msg_tally_compact(&back, &again), 0);
    CHECK_STR(again.data, b.data);
    CHECK_INT(xlate_msg_tally_parse(&back, "qa:numbers=2"), -1);   /* no failures count */
    CHECK_INT(xlate_msg_tally_parse(&back, "qa numbers=2/0"), -1); /* not the format */
    CHECK_INT(back.n, 2);                                           /* nothing added by those */
    CHECK_INT(xlate_msg_tally_parse(&back, ""), 0);
    xlate_buf_free(&b);
    xlate_buf_free(&again);
    xlate_msg_tally_free(&t);
    xlate_msg_tally_free(&back);
    xlate_doc_free(&doc);
}

static void test_empty(void) {
    xlate_msg_tally t = XLATE_MSG_TALLY_INIT;
    xlate_buf b = XLATE_BUF_INIT;
    CHECK_INT(xlate_msg_tally_table(&t, &b), 0);
    CHECK_INT(b.len, 0); /* no table when there is nothing to count */
    CHECK_INT(xlate_msg_tally_json(&t, &b), 0);
    CHECK_STR(b.data, "[]");
    xlate_buf_reset(&b);
    CHECK_INT(xlate_msg_tally_compact(&t, &b), 0);
    CHECK(b.data != NULL && b.len == 0 && b.data[0] == '\0'); /* a string, for the journal */
    xlate_buf_free(&b);
}

int main(void) {
    test_counts_table_and_json();
    test_compact_and_back();
    test_empty();
    return check_result("test_msg_tally");
}
