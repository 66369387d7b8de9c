/*
 * test_document_path: a document a format module read, through the document path without a
 * chain — paragraphs with inline codes and presegs cut into segments that carry their codes, the
 * bilingual view, and the join back — and the plain-text module's round trip.
 */
#include "check.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "document_path.h"
#include "format.h"
#include "text.h"

/* A paragraph "Привіт <b>світе</b>. Це <br>тест." built the way a module builds it. */
static void para_with_codes(xlate_para *p) {
    memset(p, 0, sizeof *p);
    CHECK(xlate_fragment_append(&p->source, "Привіт ", strlen("Привіт ")) == 0);
    CHECK(xlate_fragment_add_code(&p->source, XLATE_SEG_CODE_OPEN, 1, "<b>", "b", NULL) == 0);
    CHECK(xlate_fragment_append(&p->source, "світе", strlen("світе")) == 0);
    CHECK(xlate_fragment_add_code(&p->source, XLATE_SEG_CODE_CLOSE, 1, "</b>", "b", NULL) == 0);
    CHECK(xlate_fragment_append(&p->source, ". Це ", strlen(". Це ")) == 0);
    CHECK(xlate_fragment_add_code(&p->source, XLATE_SEG_CODE_STANDALONE, 2, "<br>", "br", NULL) == 0);
    CHECK(xlate_fragment_append(&p->source, "тест.", strlen("тест.")) == 0);
    p->id = strdup("p1");
}

/* "<i>Заголовок</i> тут м'ясо." : a code at the segment's start stays outside it. */
static void para_code_at_start(xlate_para *p) {
    memset(p, 0, sizeof *p);
    CHECK(xlate_fragment_add_code(&p->source, XLATE_SEG_CODE_OPEN, 1, "<i>", "i", NULL) == 0);
    CHECK(xlate_fragment_append(&p->source, "Заголовок", strlen("Заголовок")) == 0);
    CHECK(xlate_fragment_add_code(&p->source, XLATE_SEG_CODE_CLOSE, 1, "</i>", "i", NULL) == 0);
    CHECK(xlate_fragment_append(&p->source, " тут м'ясо.", strlen(" тут м'ясо.")) == 0);
    p->id = strdup("p2");
}

/* Two presegs, the first with a final target, the second with none. */
static void para_with_presegs(xlate_para *p) {
    memset(p, 0, sizeof *p);
    const char *text = "Перше речення. Друге речення.";
    CHECK(xlate_fragment_append(&p->source, text, strlen(text)) == 0);
    p->presegs = calloc(2, sizeof *p->presegs);
    p->n_presegs = 2;
    size_t cut = strlen("Перше речення.");
    p->presegs[0].span.start = 0;
    p->presegs[0].span.end = cut;
    p->presegs[0].final = 1;
    p->presegs[0].id = strdup("s1");
    CHECK(xlate_fragment_append(&p->presegs[0].target, "First sentence.", 15) == 0);
    p->presegs[1].span.start = cut + 1;
    p->presegs[1].span.end = strlen(text);
    p->id = strdup("p3");
}

static void make_doc(xlate_fdoc *fd) {
    memset(fd, 0, sizeof *fd);
    fd->name = strdup("hand.html");
    fd->paras = calloc(3, sizeof *fd->paras);
    fd->n_paras = 3;
    para_with_codes(&fd->paras[0]);
    para_code_at_start(&fd->paras[1]);
    para_with_presegs(&fd->paras[2]);
}

static void test_cut_and_join(void) {
    xlate_fdoc fd;
    make_doc(&fd);
    xlate_segmenter *sg = NULL;
    xlate_error err = {0};
    CHECK(xlate_segmenter_new("uk", NULL, &sg, &err) == 0);
    xlate_doc doc;
    xlate_doc_cut cut;
    CHECK(xlate_document_cut(sg, NULL, 0, &fd, &doc, &cut, &err) == 0);
    CHECK_INT(doc.n_segs, 5);
    /* Paragraph 1: codes inside their segments, the pair whole, positions in the segment. */
    CHECK_STR(doc.segs[0].source, "Привіт світе.");
    CHECK_INT(doc.segs[0].n_codes, 2);
    CHECK_INT(doc.segs[0].codes[0].pos, strlen("Привіт "));
    CHECK_INT(doc.segs[0].codes[1].pos, strlen("Привіт світе"));
    CHECK_INT(doc.segs[0].codes[0].isolated, 0);
    CHECK_STR(doc.segs[1].source, "Це тест.");
    CHECK_INT(doc.segs[1].n_codes, 1);
    CHECK_INT(doc.segs[1].codes[0].kind, XLATE_SEG_CODE_STANDALONE);
    CHECK_STR(doc.segs[1].codes[0].data, "<br>");
    /* Paragraph 2: <i> at the start stays in the gap, its </i> is isolated in the segment. */
    CHECK_STR(doc.segs[2].source, "Заголовок тут м'ясо.");
    CHECK_INT(doc.segs[2].n_codes, 1);
    CHECK_INT(doc.segs[2].codes[0].kind, XLATE_SEG_CODE_CLOSE);
    CHECK_INT(doc.segs[2].codes[0].isolated, 1);
    /* Paragraph 3: the presegs as they are; the final target kept, preset. */
    CHECK_STR(doc.segs[3].source, "Перше речення.");
    CHECK_INT(doc.segs[3].preset, 1);
    CHECK_STR(doc.segs[3].target, "First sentence.");
    CHECK_STR(doc.segs[4].source, "Друге речення.");
    CHECK_INT(doc.segs[4].preset, 0);
    CHECK(doc.segs[4].target == NULL);

    /* With no target but the preset one, the join gives each paragraph its source back. */
    xlate_bidoc bi;
    CHECK(xlate_document_bilingual(&fd, &doc, &cut, &bi, &err) == 0);
    for (size_t k = 0; k < 2; k++) {
        xlate_fragment joined;
        CHECK(xlate_bi_para_join(&bi.paras[k], &joined) == 0);
        CHECK(xlate_fragment_equal(&joined, &fd.paras[k].source));
        xlate_fragment_free(&joined);
    }
    CHECK_STR(bi.paras[2].pieces[0].id, "s1");
    CHECK_INT(bi.paras[2].pieces[0].final, 1);
    CHECK(xlate_document_apply(&fd, &bi, &err) == 0);
    CHECK(fd.paras[0].target.text == NULL); /* nothing translated: written as it came */
    CHECK_STR(fd.paras[2].target.text, "First sentence. Друге речення.");
    xlate_bidoc_free(&bi);

    /* A translation that placed <b> and </b> but lost <br>: the lost code goes at the end. */
    CHECK(xlate_seg_set_target(&doc.segs[0], "Hello world.", 12) == 0);
    doc.segs[0].codes[0].has_target_pos = 1;
    doc.segs[0].codes[0].target_pos = 6;
    doc.segs[0].codes[1].has_target_pos = 1;
    doc.segs[0].codes[1].target_pos = 11;
    CHECK(xlate_seg_set_target(&doc.segs[1], "This is a test.", 15) == 0);
    CHECK(xlate_document_bilingual(&fd, &doc, &cut, &bi, &err) == 0);
    CHECK(xlate_document_apply(&fd, &bi, &err) == 0);
    const xlate_fragment *t = &fd.paras[0].target;
    CHECK_STR(t->text, "Hello world. This is a test.");
    CHECK_INT(t->n_codes, 3);
    if (t->n_codes == 3) {
        CHECK_INT(t->codes[0].pos, 6);
        CHECK_STR(t->codes[0].data, "<b>");
        CHECK_STR(t->codes[0].name, "b");
        CHECK_INT(t->codes[1].pos, 11);
        CHECK_INT(t->codes[2].pos, strlen("Hello world. This is a test."));
        CHECK_STR(t->codes[2].data, "<br>");
    }
    xlate_bidoc_free(&bi);
    xlate_doc_free(&doc);
    xlate_doc_cut_free(&cut);

    /* Retranslate: the final target is not kept. */
    CHECK(xlate_document_cut(sg, NULL, 1, &fd, &doc, &cut, &err) == 0);
    CHECK_INT(doc.segs[3].preset, 0);
    CHECK(doc.segs[3].target == NULL);
    xlate_doc_free(&doc);
    xlate_doc_cut_free(&cut);
    xlate_segmenter_free(sg);
    xlate_fdoc_free(&fd);
}

/* Normalizing moves the codes with the text: the apostrophe of м'ясо becomes ʼ (two bytes). */
static void test_normalize_keeps_codes(void) {
    xlate_fdoc fd;
    memset(&fd, 0, sizeof fd);
    fd.name = strdup("n.html");
    fd.paras = calloc(1, sizeof *fd.paras);
    fd.n_paras = 1;
    xlate_para *p = &fd.paras[0];
    CHECK(xlate_fragment_append(&p->source, "Свіже м'ясо ", strlen("Свіже м'ясо ")) == 0);
    CHECK(xlate_fragment_add_code(&p->source, XLATE_SEG_CODE_OPEN, 1, "<b>", "b", NULL) == 0);
    CHECK(xlate_fragment_append(&p->source, "тут", strlen("тут")) == 0);
    CHECK(xlate_fragment_add_code(&p->source, XLATE_SEG_CODE_CLOSE, 1, "</b>", "b", NULL) == 0);
    CHECK(xlate_fragment_append(&p->source, ".", 1) == 0);
    p->id = strdup("p1");
    xlate_normalize_options norm = XLATE_NORMALIZE_OPTIONS_INIT;
    xlate_segmenter *sg = NULL;
    xlate_error err = {0};
    CHECK(xlate_segmenter_new("uk", NULL, &sg, &err) == 0);
    xlate_doc doc;
    xlate_doc_cut cut;
    CHECK(xlate_document_cut(sg, &norm, 0, &fd, &doc, &cut, &err) == 0);
    CHECK_INT(doc.n_segs, 1);
    CHECK_STR(doc.segs[0].source, "Свіже мʼясо тут.");
    CHECK_INT(doc.segs[0].n_codes, 2);
    CHECK_INT(doc.segs[0].codes[0].pos, strlen("Свіже мʼясо "));
    CHECK_INT(doc.segs[0].codes[1].pos, strlen("Свіже мʼясо тут"));
    xlate_doc_free(&doc);
    xlate_doc_cut_free(&cut);
    xlate_segmenter_free(sg);
    xlate_fdoc_free(&fd);
}

static void check_text_round_trip(const char *bytes, size_t len, const char *want_encoding, size_t want_paras) {
    xlate_format_read_options ro = {NULL, 0, "uk"};
    xlate_fdoc fd;
    xlate_error err = {0};
    CHECK(xlate_format_text.read(&ro, "t.txt", bytes, len, &fd, &err) == 0);
    CHECK_STR(fd.encoding, want_encoding);
    CHECK_INT(fd.n_paras, want_paras);
    xlate_format_write_options wo = {"uk", "en", "test"};
    xlate_buf out = XLATE_BUF_INIT;
    CHECK(xlate_format_text.write(&fd, &wo, &out, &err) == 0);
    CHECK(out.len == len && memcmp(out.data, bytes, len) == 0);
    /* Every target a copy of its source: the same bytes again. */
    for (size_t i = 0; i < fd.n_paras; i++)
        CHECK(xlate_fragment_copy(&fd.paras[i].target, &fd.paras[i].source) == 0);
    xlate_buf_reset(&out);
    CHECK(xlate_format_text.write(&fd, &wo, &out, &err) == 0);
    CHECK(out.len == len && memcmp(out.data, bytes, len) == 0);
    xlate_buf_free(&out);
    xlate_fdoc_free(&fd);
}

static void test_text_module(void) {
    const char *utf8 = "\xEF\xBB\xBF  Перший абзац. Друге речення.\r\nЩе рядок.\r\n\r\n \t\r\nДругий абзац\n\n";
    check_text_round_trip(utf8, strlen(utf8), "UTF-8", 2);
    /* windows-1251 "Привіт, світе!\n\nДо побачення.\n" and two DOS end-of-file marks. */
    const char cp[] = "\xCF\xF0\xE8\xE2\xB3\xF2, \xF1\xE2\xB3\xF2\xE5! \xCF\xF0\xE8\xE2\xB3\xF2 \xE2\xB3\xE4 "
                      "\xED\xE0\xF1.\n\n\xC4\xEE \xEF\xEE\xE1\xE0\xF7\xE5\xED\xED\xFF.\n\x1A\x1A";
    check_text_round_trip(cp, sizeof cp - 1, "windows-1251", 2);
    check_text_round_trip("", 0, "UTF-8", 0);

    /* A translation the original encoding cannot hold: UTF-8, said by its BOM. */
    xlate_format_read_options ro = {NULL, 0, "uk"};
    xlate_fdoc fd;
    xlate_error err = {0};
    CHECK(xlate_format_text.read(&ro, "t.txt", cp, sizeof cp - 1, &fd, &err) == 0);
    CHECK_STR(fd.paras[0].id, "p1");
    CHECK(xlate_fragment_append(&fd.paras[1].target, "Goodbye — 再见.", strlen("Goodbye — 再见.")) == 0);
    xlate_format_write_options wo = {"uk", "en", "test"};
    xlate_buf out = XLATE_BUF_INIT;
    CHECK(xlate_format_text.write(&fd, &wo, &out, &err) == 0);
    CHECK(out.len > 3 && memcmp(out.data, "\xEF\xBB\xBF", 3) == 0);
    CHECK(out.data && strstr(out.data, "\n\nGoodbye — 再见.\n") != NULL);
    xlate_buf_free(&out);
    xlate_fdoc_free(&fd);
}

int main(void) {
    test_cut_and_join();
    test_normalize_keeps_codes();
    test_text_module();
    return check_result("test_document_path");
}
