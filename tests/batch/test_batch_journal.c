/*
 * test_batch_journal: the journal of --resume (core/batch/batch_journal.h) in a temporary OUTPUT —
 * lines written and read back, a last line cut short by kill -9 ignored, the record check, a
 * fresh start forgetting what an earlier run did.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch_journal.h"
#include "check.h"

static char tmpdir[] = "/tmp/xlate-test-journal-XXXXXX";
static char journal_path[1200];

#define STATE ".xlate-state/all"
#define RECORD "xlate batch record 1\n--to\ten\n"

static xlate_journal *open_journal(xlate_output *out, const char *record, int resume) {
    xlate_journal *j = NULL;
    xlate_error err = {XLATE_OK, NULL};
    int kept = 0;
    if (xlate_journal_check(out, "OUT", STATE, record, resume, &kept, &err) ||
        xlate_journal_open(out, STATE, record, resume, kept, &j, &err))
        fprintf(stderr, "journal: %s\n", err.message);
    xlate_error_clear(&err);
    return j;
}

static void add(xlate_journal *j, xlate_journal_writer *w, const char *key, xlate_doc_status st,
                size_t segments, const char *message) {
    xlate_journal_line line = {st, "UTF-8", segments, st == XLATE_DOC_FAILED, 2, 3, message,
                               "qa:numbers=2/0,xlate:=0/1"};
    CHECK_INT(xlate_journal_add(j, w, key, &line), 0);
}

/* Whether the journal has `key` with `segments` and `status`. */
static int has(xlate_journal *j, const char *key, xlate_doc_status status, size_t segments) {
    xlate_journal_line line;
    char *enc, *msg;
    int r = xlate_journal_find(j, key, &line, &enc, &msg);
    int ok = r == 1 && line.status == status && line.segments == segments && enc &&
             strcmp(enc, "UTF-8") == 0 && line.warnings == 2 && line.filtered == 3;
    free(enc);
    free(msg);
    return ok;
}

static void append_raw(const char *text) {
    FILE *f = fopen(journal_path, "ab");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void test_write_and_resume(xlate_output *out) {
    xlate_journal_writer w = XLATE_JOURNAL_WRITER_INIT;
    xlate_journal *j = open_journal(out, RECORD, 0);
    CHECK(j != NULL);
    if (!j)
        return;
    add(j, &w, "a.uk-en.rec", XLATE_DOC_OK, 4, NULL);
    add(j, &w, "sub/b.uk-en.rec", XLATE_DOC_FAILED, 7, "segment 2: no answer");
    xlate_journal_flush(j, &w);
    CHECK(w.err.status == XLATE_OK);
    xlate_journal_writer_free(&w);
    xlate_journal_free(j);

    size_t len;
    char *text = check_read_file(journal_path, &len);
    CHECK_STR(text, "a.uk-en.rec\tok\tUTF-8\t4\t0\t2\t3\t\tqa:numbers=2/0,xlate:=0/1\n"
                    "sub/b.uk-en.rec\tfailed\tUTF-8\t7\t1\t2\t3\tsegment 2: no answer\tqa:numbers=2/0,xlate:=0/1\n");
    free(text);

    /* a kill -9 in the middle of a write leaves a line without its newline */
    append_raw("c.uk-en.rec\tok\tUTF-8\t9\t0\t2");
    j = open_journal(out, RECORD, 1);
    CHECK(j != NULL);
    if (!j)
        return;
    CHECK(has(j, "a.uk-en.rec", XLATE_DOC_OK, 4));
    CHECK(has(j, "sub/b.uk-en.rec", XLATE_DOC_FAILED, 7));
    xlate_journal_line line;
    char *enc, *msg;
    CHECK_INT(xlate_journal_find(j, "sub/b.uk-en.rec", &line, &enc, &msg), 1);
    CHECK_STR(msg, "segment 2: no answer");
    free(enc);
    free(msg);
    int oom = 0;
    char *counts = xlate_journal_find_messages(j, "sub/b.uk-en.rec", &oom);
    CHECK_STR(counts, "qa:numbers=2/0,xlate:=0/1"); /* the counts per plugin come back too */
    free(counts);
    CHECK(xlate_journal_find_messages(j, "nosuch.uk-en.rec", &oom) == NULL && !oom);
    CHECK_INT(xlate_journal_find(j, "c.uk-en.rec", &line, &enc, &msg), 0); /* torn: done again */
    text = check_read_file(journal_path, &len); /* and cut off, so that it spoils no new line */
    CHECK(text && len > 0 && text[len - 1] == '\n' && !strstr(text, "c.uk-en.rec"));
    free(text);
    CHECK_INT(xlate_journal_find(j, "d.uk-en.rec", &line, &enc, &msg), 0);
    /* the resumed run finishes c; its line comes after the torn one and counts */
    add(j, &w, "c.uk-en.rec", XLATE_DOC_OK, 9, NULL);
    /* a document done again: the later line counts */
    add(j, &w, "a.uk-en.rec", XLATE_DOC_FAILED, 5, "x");
    xlate_journal_flush(j, &w);
    xlate_journal_writer_free(&w);
    xlate_journal_free(j);

    j = open_journal(out, RECORD, 1);
    CHECK(j && has(j, "c.uk-en.rec", XLATE_DOC_OK, 9));
    CHECK(j && has(j, "a.uk-en.rec", XLATE_DOC_FAILED, 5));
    xlate_journal_free(j);

    /* a fresh start forgets */
    j = open_journal(out, RECORD, 0);
    CHECK(j != NULL);
    CHECK(j && xlate_journal_find(j, "c.uk-en.rec", &line, &enc, &msg) == 0);
    xlate_journal_free(j);
    text = check_read_file(journal_path, &len);
    CHECK(text && len == 0);
    free(text);
}

/* --resume goes on only with the options the journal was started with. */
static void test_record_check(xlate_output *out) {
    xlate_error err = {XLATE_OK, NULL};
    int kept = -1;
    CHECK_INT(xlate_journal_check(out, "OUT", STATE, RECORD, 1, &kept, &err), 0);
    CHECK_INT(kept, 1);
    CHECK_INT(xlate_journal_check(out, "OUT", STATE, "xlate batch record 1\n--to\tes\n", 1, &kept,
                                  &err), -1);
    CHECK(err.status == XLATE_EINVAL);
    CHECK(err.message && strstr(err.message, "OUT: --resume with other options") != NULL);
    xlate_error_clear(&err);
    /* without --resume nothing is compared */
    CHECK_INT(xlate_journal_check(out, "OUT", STATE, "other\n", 0, &kept, &err), 0);
    CHECK_INT(kept, 0);
}

int main(void) {
    xlate_output *out = NULL;
    xlate_error err = {XLATE_OK, NULL};
    char dir[1100];
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(dir, sizeof dir, "%s/out", tmpdir);
    snprintf(journal_path, sizeof journal_path, "%s/" STATE "/journal", dir);
    if (xlate_output_open(dir, 0, &out, &err) != 0) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    test_write_and_resume(out);
    test_record_check(out);
    xlate_output_free(out);
    check_remove_tree(tmpdir);
    return check_result("test_batch_journal");
}
