/*
 * test_xliff: the XLIFF format module (read, write back), the export of any document as XLIFF
 * 1.2 and 2.1, and the read-back merge uses — over hand-made documents and the corpus of
 * real-shaped XLIFF files in corpus/xliff/.
 *
 * `test_xliff emit DIR` writes the exports (hand-built and of every corpus file) into DIR, with
 * NAME.units holding how many units each has, for xliff_consumers.sh.
 */
#include <dirent.h>
#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bilingual.h"
#include "check.h"
#include "document.h"
#include "format.h"
#include "xliff.h"

#define CORPUS TEST_DATA_DIR "/format/corpus/xliff"

/* --- helpers ------------------------------------------------------------------------------- */

static int read_doc(const char *path, xlate_fdoc *doc, xlate_error *err) {
    size_t len = 0;
    char *bytes = check_read_file(path, &len);
    if (!bytes) {
        fprintf(stderr, "cannot read %s\n", path);
        return -1;
    }
    xlate_format_read_options o = {0};
    int rc = xlate_format_xliff.read(&o, path, bytes, len, doc, err);
    free(bytes);
    return rc;
}

/* The document's canonical form (C14N 1.0, comments kept), or NULL. */
static char *c14n(const char *bytes, size_t len) {
    xmlDocPtr d = xmlReadMemory(bytes, (int)len, "c14n.xml", NULL, XML_PARSE_NONET);
    if (!d)
        return NULL;
    xmlChar *out = NULL;
    int n = xmlC14NDocDumpMemory(d, NULL, XML_C14N_1_0, NULL, 1, &out);
    xmlFreeDoc(d);
    if (n < 0)
        return NULL;
    char *s = strdup((const char *)out);
    xmlFree(out);
    return s;
}

static int write_doc(const xlate_fdoc *doc, const char *target_lang, xlate_buf *out) {
    xlate_format_write_options o = {"uk", target_lang, "test"};
    xlate_error err = {0};
    int rc = xlate_format_xliff.write(doc, &o, out, &err);
    if (rc != 0)
        fprintf(stderr, "write: %s\n", err.message);
    xlate_error_clear(&err);
    return rc;
}

static int add(xlate_fragment *f, const char *text) { return xlate_fragment_append(f, text, strlen(text)); }

static const xlate_code *code_at(const xlate_fragment *f, size_t i) { return i < f->n_codes ? &f->codes[i] : NULL; }

/* --- module read ----------------------------------------------------------------------------- */

static void test_read_12(void) {
    xlate_fdoc doc;
    xlate_error err = {0};
    CHECK(read_doc(CORPUS "/okapi_news_article.xlf", &doc, &err) == 0);
    /* tu3 is translate="no" */
    CHECK_INT(doc.n_paras, 4);
    if (doc.n_paras != 4)
        goto done;
    CHECK_STR(doc.source_lang, "uk");
    CHECK_STR(doc.target_lang, "en");
    CHECK_STR(doc.paras[0].id, "tu1");
    CHECK_STR(doc.paras[2].id, "tu4");
    CHECK_STR(doc.paras[3].id, "tu5");
    xlate_para *p = &doc.paras[1];
    CHECK_STR(p->source.text, "У неділю, 14 грудня, на Виговській лінії почнуть курсувати потяги.Вхід до станцій — "
                              "безкоштовний до кінця року.");
    CHECK_INT(p->source.n_codes, 5);
    const xlate_code *c = code_at(&p->source, 0);
    CHECK(c && c->kind == XLATE_SEG_CODE_OPEN && c->pos == strlen("У неділю, "));
    CHECK_STR(c ? c->data : NULL, "<g id=\"1\" ctype=\"x-html-strong\">");
    CHECK_STR(c ? c->native_id : NULL, "1");
    c = code_at(&p->source, 1);
    CHECK(c && c->kind == XLATE_SEG_CODE_CLOSE && c->id == p->source.codes[0].id);
    CHECK_STR(c ? c->data : NULL, "</g>");
    c = code_at(&p->source, 2);
    CHECK(c && c->kind == XLATE_SEG_CODE_STANDALONE);
    CHECK_STR(c ? c->data : NULL, "<x id=\"2\" ctype=\"lb\" equiv-text=\"&#10;\"/>");
    CHECK_INT(p->n_presegs, 2);
    if (p->n_presegs == 2) {
        CHECK_STR(p->presegs[0].id, "0");
        CHECK_STR(p->presegs[1].id, "1");
        CHECK_INT(p->presegs[0].span.start, 0);
        CHECK_INT(p->presegs[0].span.end, strlen("У неділю, 14 грудня, на Виговській лінії почнуть курсувати потяги."));
        CHECK_STR(p->presegs[0].target.text, "On Sunday, December 14, trains will start running on the Vyhovska line.");
        CHECK_INT(p->presegs[0].target.n_codes, 2);
        /* the target's <g id="1"> is the source's code */
        CHECK(p->presegs[0].target.n_codes == 2 && p->presegs[0].target.codes[0].id == p->source.codes[0].id);
        CHECK(!p->presegs[0].final); /* needs-review-translation */
    }
    CHECK_STR(p->note, "Дата у тексті має збігатися з датою в заголовку.");
    CHECK(doc.paras[0].n_presegs == 1 && doc.paras[0].presegs[0].final);
    CHECK(doc.paras[2].n_presegs == 1 && !doc.paras[2].presegs[0].target.text);
    CHECK(doc.paras[3].n_presegs == 0);
    CHECK_STR(doc.paras[3].note, "HTML attribute alt of img");
done:
    xlate_fdoc_free(&doc);
    xlate_error_clear(&err);

    /* bpt/ept, ph, isolated it, approved, groups, translate="no" inside a group */
    CHECK(read_doc(CORPUS "/omegat_app_strings.xlf", &doc, &err) == 0);
    CHECK_INT(doc.n_paras, 6);
    if (doc.n_paras == 6) {
        CHECK(doc.paras[0].presegs && doc.paras[0].presegs[0].final); /* approved="yes" */
        CHECK(doc.paras[1].presegs && !doc.paras[1].presegs[0].final); /* state="new" */
        xlate_para *t = &doc.paras[2];
        CHECK_INT(t->source.n_codes, 4);
        CHECK(t->source.n_codes == 4 && t->source.codes[0].kind == XLATE_SEG_CODE_OPEN &&
              t->source.codes[1].kind == XLATE_SEG_CODE_CLOSE && t->source.codes[0].id == t->source.codes[1].id &&
              t->source.codes[2].id != t->source.codes[0].id);
        CHECK_STR(t->source.n_codes ? t->source.codes[0].data : NULL, "<bpt id=\"1\">&lt;a href=\"terms\"&gt;</bpt>");
        CHECK_STR(doc.paras[3].id, "parcel_status");
        CHECK(doc.paras[3].source.n_codes == 1 && doc.paras[3].source.codes[0].kind == XLATE_SEG_CODE_STANDALONE);
        CHECK_STR(doc.paras[5].id, "parcel_count");
    }
    xlate_fdoc_free(&doc);

    /* bx/ex paired by rid; two <file>s: ids carry the file's name; mrk (not seg) as a code */
    CHECK(read_doc(CORPUS "/sdl_style_user_manual.xlf", &doc, &err) == 0);
    CHECK_INT(doc.n_paras, 6);
    if (doc.n_paras == 6) {
        CHECK_STR(doc.paras[1].id, "manual/chapter1.xml/2");
        CHECK_STR(doc.paras[5].id, "manual/chapter2.xml/2");
        const xlate_fragment *f = &doc.paras[1].source;
        CHECK(f->n_codes == 2 && f->codes[0].kind == XLATE_SEG_CODE_OPEN && f->codes[1].kind == XLATE_SEG_CODE_CLOSE &&
              f->codes[0].id == f->codes[1].id);
        CHECK_STR(f->n_codes == 2 ? f->codes[1].data : NULL, "<ex id=\"2\" rid=\"1\"/>");
        CHECK(doc.paras[0].presegs && doc.paras[0].presegs[0].final); /* signed-off */
        CHECK_STR(doc.paras[2].source.text, "Момент затягування гайок: 25 Н·м. Див. також таблицю 3 у додатку.");
        CHECK_INT(doc.paras[2].source.n_codes, 4); /* mrk and g, each an open and a close */
        CHECK_STR(doc.paras[3].source.text, "Модель  сумісна з усіма    газовими котлами, виробленими після 2015 року.");
    }
    xlate_fdoc_free(&doc);
}

static void test_read_2(void) {
    xlate_fdoc doc;
    xlate_error err = {0};
    CHECK(read_doc(CORPUS "/web_article_segments.xlf", &doc, &err) == 0);
    CHECK_INT(doc.n_paras, 3);
    if (doc.n_paras != 3)
        goto done;
    CHECK_STR(doc.paras[1].id, "u2");
    xlate_para *p = &doc.paras[1];
    const char *s1 = "Ціна для населення залишиться на рівні 4,32 грн за кіловат-годину.";
    const char *s2 = "Про це повідомила НКРЕКП.";
    xlate_buf want = XLATE_BUF_INIT;
    CHECK(xlate_buf_printf(&want, "%s %s\n%s", s1, s2, "Рішення переглянуть у травні.") == 0);
    CHECK_STR(p->source.text, want.data);
    xlate_buf_free(&want);
    CHECK_INT(p->n_presegs, 3);
    if (p->n_presegs == 3) {
        CHECK_INT(p->presegs[1].span.start, strlen(s1) + 1);
        CHECK_INT(p->presegs[1].span.end, strlen(s1) + 1 + strlen(s2));
        CHECK_STR(p->presegs[0].id, "s1");
        CHECK(p->presegs[0].final);
        CHECK_STR(p->presegs[0].target.text, "The price for households will remain at UAH 4.32 per kilowatt-hour.");
        CHECK(!p->presegs[1].target.text && !p->presegs[2].target.text);
    }
    /* pc open/close, sc/ec paired by startRef, ph */
    CHECK_INT(p->source.n_codes, 5);
    if (p->source.n_codes == 5) {
        CHECK_STR(p->source.codes[0].data, "<pc id=\"1\" dataRefStart=\"d1\" dataRefEnd=\"d2\">");
        CHECK(p->source.codes[2].kind == XLATE_SEG_CODE_OPEN && p->source.codes[3].kind == XLATE_SEG_CODE_CLOSE &&
              p->source.codes[2].id == p->source.codes[3].id);
        CHECK_STR(p->source.codes[3].data, "<ec startRef=\"2\" dataRef=\"d5\"/>");
        CHECK(p->source.codes[4].kind == XLATE_SEG_CODE_STANDALONE);
    }
    CHECK_STR(doc.paras[2].note, "Підпис до фото");
done:
    xlate_fdoc_free(&doc);

    /* several files: ids carry the file's id; translate="no" left out; an isolated sc */
    CHECK(read_doc(CORPUS "/mobile_app_two_files.xlf", &doc, &err) == 0);
    CHECK_INT(doc.n_paras, 5);
    if (doc.n_paras == 5) {
        CHECK_STR(doc.paras[0].id, "ios/welcome.title");
        CHECK_STR(doc.paras[3].id, "android/settings_language");
        CHECK_STR(doc.paras[3].note, "Пункт меню налаштувань\nне довше за 24 символи");
        CHECK(doc.paras[0].presegs && doc.paras[0].presegs[0].final);
        CHECK(doc.paras[2].source.n_codes == 1 && doc.paras[2].source.codes[0].kind == XLATE_SEG_CODE_OPEN);
    }
    xlate_fdoc_free(&doc);
    xlate_error_clear(&err);
}

static void test_read_errors(void) {
    xlate_fdoc doc;
    xlate_error err = {0};
    const char *bad = "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n"
                      "<file><body><trans-unit id=\"1\"><source>Текст</sourc></trans-unit></body></file></xliff>\n";
    CHECK(xlate_format_xliff.read(&(xlate_format_read_options){0}, "bad.xlf", bad, strlen(bad), &doc, &err) == -1);
    CHECK(err.message && strstr(err.message, "bad.xlf:3:") && strstr(err.message, "not well-formed"));
    xlate_error_clear(&err);
    const char *html = "<html>\n<body><p>Привіт</p></body></html>";
    CHECK(xlate_format_xliff.read(&(xlate_format_read_options){0}, "page.xlf", html, strlen(html), &doc, &err) == -1);
    CHECK(err.message && strstr(err.message, "page.xlf:1: not XLIFF"));
    xlate_error_clear(&err);
    CHECK(xlate_format_xliff.sniff(bad, strlen(bad)) > 50);
    CHECK(xlate_format_xliff.sniff(html, strlen(html)) == 0);
    /* Two units with one id: merge could not tell them apart. */
    const char *twice = "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n"
                        "<file><body>\n<trans-unit id=\"t1\"><source>Один</source></trans-unit>\n"
                        "<trans-unit id=\"t1\"><source>Два</source></trans-unit>\n</body></file></xliff>\n";
    CHECK(xlate_format_xliff.read(&(xlate_format_read_options){0}, "twice.xlf", twice, strlen(twice), &doc, &err) == -1);
    CHECK(err.message && strstr(err.message, "twice.xlf:5: unit id \"t1\"") && strstr(err.message, "line 4"));
    xlate_error_clear(&err);
}

/* --- module write ---------------------------------------------------------------------------- */

/* Every corpus file written with no targets is the file read (canonical form); written with every
 * target a copy of its source, it reads back with those targets, done. */
static void test_corpus_round_trip(void) {
    DIR *d = opendir(CORPUS);
    CHECK(d != NULL);
    size_t files = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        if (!strstr(e->d_name, ".xlf"))
            continue;
        files++;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", CORPUS, e->d_name);
        xlate_fdoc doc;
        xlate_error err = {0};
        if (read_doc(path, &doc, &err) != 0) {
            fprintf(stderr, "%s: %s\n", e->d_name, err.message);
            check_failures++;
            xlate_error_clear(&err);
            continue;
        }
        CHECK(doc.n_paras > 0);
        size_t len = 0;
        char *in = check_read_file(path, &len);
        xlate_buf out = XLATE_BUF_INIT;
        CHECK(write_doc(&doc, "en", &out) == 0);
        char *a = c14n(in, len), *b = out.data ? c14n(out.data, out.len) : NULL;
        if (!a || !b || strcmp(a, b) != 0) {
            fprintf(stderr, "%s: written back with no targets, differs after canonicalization\n", e->d_name);
            check_failures++;
        }
        free(a);
        free(b);
        free(in);
        xlate_buf_reset(&out);
        for (size_t i = 0; i < doc.n_paras; i++)
            CHECK(xlate_fragment_copy(&doc.paras[i].target, &doc.paras[i].source) == 0);
        CHECK(write_doc(&doc, "en", &out) == 0);
        xlate_fdoc back;
        xlate_format_read_options o = {0};
        if (xlate_format_xliff.read(&o, e->d_name, out.data, out.len, &back, &err) != 0) {
            fprintf(stderr, "%s: written with targets, not readable: %s\n", e->d_name, err.message);
            check_failures++;
            xlate_error_clear(&err);
        } else {
            CHECK_INT(back.n_paras, doc.n_paras);
            for (size_t i = 0; i < back.n_paras && i < doc.n_paras; i++) {
                xlate_para *p = &back.paras[i];
                if (!p->n_presegs) {
                    fprintf(stderr, "%s: unit %s has no target after write\n", e->d_name, p->id);
                    check_failures++;
                }
                for (size_t k = 0; k < p->n_presegs; k++) {
                    const xlate_preseg *ps = &p->presegs[k];
                    size_t n = ps->span.end - ps->span.start;
                    if (!ps->target.text || ps->target.len != n || memcmp(ps->target.text, p->source.text + ps->span.start, n) ||
                        !ps->final) {
                        fprintf(stderr, "%s: unit %s segment %zu: target \"%s\" is not the source copied, done\n",
                                e->d_name, p->id, k, ps->target.text ? ps->target.text : "(none)");
                        check_failures++;
                    }
                }
            }
            xlate_fdoc_free(&back);
        }
        xlate_buf_free(&out);
        xlate_fdoc_free(&doc);
    }
    if (d)
        closedir(d);
    CHECK(files >= 8);
}

static void test_write_12_segments(void) {
    xlate_fdoc doc;
    xlate_error err = {0};
    CHECK(read_doc(CORPUS "/okapi_news_article.xlf", &doc, &err) == 0);
    if (doc.n_paras != 4) {
        xlate_fdoc_free(&doc);
        return;
    }
    xlate_para *p = &doc.paras[1];
    unsigned g1 = p->source.codes[0].id, x2 = p->source.codes[2].id, g3 = p->source.codes[3].id;
    xlate_fragment *t = &p->target;
    /* the pipeline's join: segment 1's target, the gap (the <x/>) as the source has it, segment 2's */
    CHECK(add(t, "On Sunday, ") == 0 && xlate_fragment_add_code(t, XLATE_SEG_CODE_OPEN, g1, NULL, NULL, NULL) == 0 &&
          add(t, "Dec 14") == 0 && xlate_fragment_add_code(t, XLATE_SEG_CODE_CLOSE, g1, NULL, NULL, NULL) == 0 &&
          add(t, ", trains run.") == 0 && xlate_fragment_add_code(t, XLATE_SEG_CODE_STANDALONE, x2, NULL, NULL, NULL) == 0 &&
          add(t, "Entry is ") == 0 && xlate_fragment_add_code(t, XLATE_SEG_CODE_OPEN, g3, NULL, NULL, NULL) == 0 &&
          add(t, "free") == 0 && xlate_fragment_add_code(t, XLATE_SEG_CODE_CLOSE, g3, NULL, NULL, NULL) == 0 &&
          add(t, " this year.") == 0);
    p->needs_review = 1;
    xlate_fragment *t4 = &doc.paras[2].target;
    CHECK(add(t4, "The mayor said so.") == 0);
    xlate_buf out = XLATE_BUF_INIT;
    CHECK(write_doc(&doc, "en-GB", &out) == 0);
    CHECK(out.data && strstr(out.data, "target-language=\"en-GB\""));
    CHECK(out.data && strstr(out.data, "<mrk mid=\"0\" mtype=\"seg\">On Sunday, <g id=\"1\" ctype=\"x-html-strong\">Dec 14</g>, "
                                       "trains run.</mrk><x id=\"2\" ctype=\"lb\" equiv-text=\"&#10;\"/><mrk mid=\"1\" "
                                       "mtype=\"seg\">Entry is <g id=\"3\" ctype=\"link\" okp:attributes=\"href\">free</g> "
                                       "this year.</mrk></target>"));
    CHECK(out.data && strstr(out.data, "state=\"needs-review-translation\""));
    /* a unit that had no target gets one after its seg-source, with the file's indentation */
    CHECK(out.data && strstr(out.data, "</seg-source>\n<target state=\"translated\"><mrk mid=\"0\" mtype=\"seg\">The mayor said so.</mrk></target>"));
    xlate_fdoc back;
    CHECK(xlate_format_xliff.read(&(xlate_format_read_options){0}, "back.xlf", out.data, out.len, &back, &err) == 0);
    if (back.n_paras == 4 && back.paras[1].n_presegs == 2) {
        CHECK_STR(back.paras[1].presegs[0].target.text, "On Sunday, Dec 14, trains run.");
        CHECK_STR(back.paras[1].presegs[1].target.text, "Entry is free this year.");
        CHECK_INT(back.paras[1].presegs[1].target.n_codes, 2);
    } else {
        check_failures++;
    }
    xlate_fdoc_free(&back);
    xlate_buf_free(&out);
    xlate_fdoc_free(&doc);
}

/* Each segment's own translation, as the pipeline and merge give it (format.h's contract on
 * presegs): written into its own <segment>, however the translations would cut. A cut guessed
 * from the joined paragraph would end segment 1 at its first ". " ("First."). */
static void test_write_2_three_segments(void) {
    static const char x[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.1\" srcLang=\"uk\">\n"
        " <file id=\"f1\">\n"
        "  <unit id=\"u1\">\n"
        "   <segment id=\"s1\"><source>Метро відкриють о шостій.</source></segment>"
        "<ignorable><source> </source></ignorable>"
        "<segment id=\"s2\"><source>Поїзди ходитимуть частіше.</source></segment>"
        "<ignorable><source> </source></ignorable>"
        "<segment id=\"s3\"><source>Вхід безкоштовний.</source></segment>\n"
        "  </unit>\n"
        " </file>\n"
        "</xliff>\n";
    static const char *const targets[] = {"The metro opens at six. Early, that is.", "Trains run more often.",
                                          "Entry is free."};
    xlate_fdoc doc;
    xlate_error err = {0};
    CHECK(xlate_format_xliff.read(&(xlate_format_read_options){0}, "three.xlf", x, strlen(x), &doc, &err) == 0);
    if (doc.n_paras != 1 || doc.paras[0].n_presegs != 3) {
        check_failures++;
        xlate_fdoc_free(&doc);
        return;
    }
    xlate_para *p = &doc.paras[0];
    /* the paragraph as the pipeline cut it: segment, gap, segment, gap, segment */
    xlate_bi_piece pieces[5];
    memset(pieces, 0, sizeof pieces);
    size_t at = 0;
    for (size_t i = 0; i < 5; i++) {
        size_t end = i % 2 ? p->presegs[i / 2 + 1].span.start : p->presegs[i / 2].span.end;
        pieces[i].is_segment = i % 2 == 0;
        CHECK(xlate_fragment_append(&pieces[i].source, p->source.text + at, end - at) == 0);
        if (i % 2 == 0)
            CHECK(add(&pieces[i].target, targets[i / 2]) == 0);
        at = end;
    }
    xlate_bi_para bp = {pieces, 5};
    CHECK(xlate_bi_para_join(&bp, &p->target) == 0);
    CHECK(xlate_bi_para_set_preseg_targets(&bp, p) == 0);
    CHECK(p->presegs_set);
    CHECK_STR(p->presegs[0].target.text, targets[0]);
    CHECK_STR(p->presegs[2].target.text, targets[2]);
    xlate_buf out = XLATE_BUF_INIT;
    CHECK(write_doc(&doc, "en", &out) == 0);
    xlate_fdoc back;
    CHECK(xlate_format_xliff.read(&(xlate_format_read_options){0}, "back.xlf", out.data, out.len, &back, &err) == 0);
    if (back.n_paras == 1 && back.paras[0].n_presegs == 3) {
        for (size_t k = 0; k < 3; k++)
            CHECK_STR(back.paras[0].presegs[k].target.text, targets[k]);
    } else {
        check_failures++;
    }
    xlate_fdoc_free(&back);
    xlate_buf_free(&out);
    for (size_t i = 0; i < 5; i++) {
        xlate_fragment_free(&pieces[i].source);
        xlate_fragment_free(&pieces[i].target);
    }
    xlate_fdoc_free(&doc);
}

static void test_write_2_segments(void) {
    xlate_fdoc doc;
    xlate_error err = {0};
    CHECK(read_doc(CORPUS "/web_article_segments.xlf", &doc, &err) == 0);
    if (doc.n_paras != 3 || doc.paras[1].source.n_codes != 5) {
        xlate_fdoc_free(&doc);
        check_failures++;
        return;
    }
    xlate_para *p = &doc.paras[1];
    const xlate_code *s = p->source.codes;
    xlate_fragment *t = &p->target;
    CHECK(add(t, "Prices stay at ") == 0 && xlate_fragment_add_code(t, s[0].kind, s[0].id, NULL, NULL, NULL) == 0 &&
          add(t, "UAH 4.32") == 0 && xlate_fragment_add_code(t, s[1].kind, s[1].id, NULL, NULL, NULL) == 0 &&
          add(t, ". ") == 0 && add(t, "The ") == 0 &&
          xlate_fragment_add_code(t, s[2].kind, s[2].id, NULL, NULL, NULL) == 0 && add(t, "NEURC") == 0 &&
          xlate_fragment_add_code(t, s[3].kind, s[3].id, NULL, NULL, NULL) == 0 && add(t, " said so.") == 0 &&
          xlate_fragment_add_code(t, s[4].kind, s[4].id, NULL, NULL, NULL) == 0 &&
          add(t, "\nIt will be reviewed in May.") == 0);
    xlate_buf out = XLATE_BUF_INIT;
    CHECK(write_doc(&doc, "en", &out) == 0);
    CHECK(out.data && strstr(out.data, "<target>The <sc id=\"2\" dataRef=\"d4\"/>NEURC<ec startRef=\"2\" dataRef=\"d5\"/>"
                                       " said so.<ph id=\"3\" dataRef=\"d3\"/></target>"));
    xlate_fdoc back;
    CHECK(xlate_format_xliff.read(&(xlate_format_read_options){0}, "back.xlf", out.data, out.len, &back, &err) == 0);
    if (back.n_paras == 3 && back.paras[1].n_presegs == 3) {
        CHECK_STR(back.paras[1].presegs[0].target.text, "Prices stay at UAH 4.32.");
        CHECK_STR(back.paras[1].presegs[1].target.text, "The NEURC said so.");
        CHECK_STR(back.paras[1].presegs[2].target.text, "It will be reviewed in May.");
        CHECK(back.paras[1].presegs[2].final);
    } else {
        check_failures++;
    }
    xlate_fdoc_free(&back);
    xlate_buf_free(&out);
    xlate_fdoc_free(&doc);
    xlate_error_clear(&err);
}

/* --- export and read-back -------------------------------------------------------------------- */

static const char *const html_ext[] = {"html", NULL};
static const xlate_format_module fake_html = {"html", html_ext, NULL, NULL, NULL, NULL};

typedef struct sample {
    xlate_fdoc fdoc;
    xlate_bidoc bi;
    xlate_seg segs[3];
} sample;

static const char sample_original[] = "<p>Київ — столиця. <b>Метро</b> працює.</p>\n<p>Новини<br>дня</p>\n";

static void piece(xlate_bi_para *bp, int is_segment, const char *src, const char *tgt) {
    xlate_bi_piece *pc = &bp->pieces[bp->n_pieces++];
    memset(pc, 0, sizeof *pc);
    pc->is_segment = is_segment;
    if (add(&pc->source, src) != 0 || (tgt && add(&pc->target, tgt) != 0))
        check_failures++;
}

static void build_sample(sample *s) {
    memset(s, 0, sizeof *s);
    s->fdoc.format = &fake_html;
    s->fdoc.name = strdup("news/metro.html");
    s->fdoc.n_paras = 2;
    s->fdoc.paras = calloc(2, sizeof *s->fdoc.paras);
    xlate_para *p = s->fdoc.paras;
    p[0].id = strdup("p1");
    p[0].note = strdup("<p> in <article>");
    CHECK(add(&p[0].source, "Київ — столиця. ") == 0 &&
          xlate_fragment_add_code(&p[0].source, XLATE_SEG_CODE_OPEN, 1, "<b>", "b", NULL) == 0 &&
          add(&p[0].source, "Метро") == 0 &&
          xlate_fragment_add_code(&p[0].source, XLATE_SEG_CODE_CLOSE, 1, "</b>", "b", NULL) == 0 &&
          add(&p[0].source, " працює.") == 0);
    p[1].id = strdup("p2\004ctx");
    CHECK(add(&p[1].source, "Новини") == 0 &&
          xlate_fragment_add_code(&p[1].source, XLATE_SEG_CODE_STANDALONE, 1, "<br>", "br", NULL) == 0 &&
          add(&p[1].source, "дня") == 0);

    s->bi.fdoc = &s->fdoc;
    s->bi.original = sample_original;
    s->bi.original_len = strlen(sample_original);
    s->bi.paras = calloc(2, sizeof *s->bi.paras);
    xlate_bi_para *b0 = &s->bi.paras[0];
    b0->pieces = calloc(3, sizeof *b0->pieces);
    piece(b0, 1, "Київ — столиця.", "Kyiv is the capital.");
    piece(b0, 0, " ", NULL);
    piece(b0, 1, "", "The ");
    xlate_bi_piece *pc = &b0->pieces[2];
    CHECK(xlate_fragment_add_code(&pc->source, XLATE_SEG_CODE_OPEN, 1, "<b>", "b", NULL) == 0 &&
          add(&pc->source, "Метро") == 0 &&
          xlate_fragment_add_code(&pc->source, XLATE_SEG_CODE_CLOSE, 1, "</b>", "b", NULL) == 0 &&
          add(&pc->source, " працює.") == 0);
    CHECK(xlate_fragment_add_code(&pc->target, XLATE_SEG_CODE_OPEN, 1, "<b>", "b", NULL) == 0 &&
          add(&pc->target, "metro") == 0 &&
          xlate_fragment_add_code(&pc->target, XLATE_SEG_CODE_CLOSE, 1, "</b>", "b", NULL) == 0 &&
          add(&pc->target, " works.") == 0);
    /* the segments as the pipeline left them: a glossary term, a warning */
    xlate_seg *s0 = &s->segs[0], *s1 = &s->segs[1];
    s0->source = strdup("Київ — столиця.");
    s0->source_len = strlen(s0->source);
    CHECK(xlate_seg_add_term(s0, 0, strlen("Київ"), "Kyiv", "transliteration 2010", 0) == 0);
    s1->source = strdup("Метро працює.");
    s1->source_len = strlen(s1->source);
    CHECK(xlate_seg_add_message(s1, XLATE_SEG_WARNING, "qa", "length", "target much shorter than source") == 0);
    /* what a translation memory found: a candidate for the first, the match used for the second
     * and a candidate beside it */
    CHECK(xlate_seg_add_match(s0, "tm", "Kyiv is the capital of Ukraine.", 31, 82.5,
                              "Київ — столиця України.", strlen("Київ — столиця України."), 0) == 0);
    CHECK(xlate_seg_add_match(s1, "tm", "The metro works.", 16, 100, "Метро працює.",
                              strlen("Метро працює."), 1) == 0);
    CHECK(xlate_seg_add_match(s1, "tm", "The metro & tram work.", 22, 76, "Метро & трамвай працюють.",
                              strlen("Метро & трамвай працюють."), 0) == 0);
    b0->pieces[0].seg = s0;
    b0->pieces[2].seg = s1;

    xlate_bi_para *b1 = &s->bi.paras[1];
    b1->pieces = calloc(1, sizeof *b1->pieces);
    piece(b1, 1, "Новини", NULL);
    CHECK(xlate_fragment_add_code(&b1->pieces[0].source, XLATE_SEG_CODE_STANDALONE, 1, "<br>", "br", NULL) == 0 &&
          add(&b1->pieces[0].source, "дня") == 0);
}

static void free_seg(xlate_seg *s) {
    free(s->source);
    free(s->target);
    for (size_t i = 0; s->matches && i < s->matches->n; i++) {
        free(s->matches->items[i].plugin);
        free(s->matches->items[i].target);
        free(s->matches->items[i].source);
    }
    if (s->matches)
        free(s->matches->items);
    free(s->matches);
    for (size_t i = 0; i < s->n_terms; i++) {
        free(s->terms[i].target);
        free(s->terms[i].note);
    }
    free(s->terms);
    free(s->message);
    for (size_t i = 0; i < s->n_messages; i++) {
        free(s->messages[i].plugin);
        free(s->messages[i].code);
        free(s->messages[i].text);
    }
    free(s->messages);
}

static void free_sample(sample *s) {
    xlate_bidoc_free(&s->bi);
    xlate_fdoc_free(&s->fdoc);
    for (size_t i = 0; i < 3; i++)
        free_seg(&s->segs[i]);
}

static int export(const xlate_bidoc *const *docs, size_t n, xlate_xliff_version v, xlate_buf *out) {
    xlate_xliff_export_options o = {v, "uk", "en", "0.14", NULL};
    xlate_error err = {0};
    int rc = xlate_xliff_export_begin(&o, out, &err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = xlate_xliff_export_document(&o, docs[i], out, &err);
    if (rc == 0)
        rc = xlate_xliff_export_end(&o, out, &err);
    if (rc != 0)
        fprintf(stderr, "export: %s\n", err.message);
    xlate_error_clear(&err);
    return rc;
}

static int frag_is(const xlate_fragment *f, const char *text, size_t n_codes) {
    return f->text && strcmp(f->text, text) == 0 && f->n_codes == n_codes;
}

/* The read-back of the sample's export, whatever a CAT tool did to its layout. */
static void check_returned(const char *label, const char *bytes, size_t len, const char *want_target2) {
    xlate_xliff_returned *r = NULL;
    size_t n = 0;
    xlate_error err = {0};
    if (xlate_xliff_read_returned(label, bytes, len, &r, &n, &err) != 0) {
        fprintf(stderr, "%s: %s\n", label, err.message);
        check_failures++;
        xlate_error_clear(&err);
        return;
    }
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_STR(r[0].name, "news/metro.html");
        CHECK_STR(r[0].format, "html");
        CHECK(r[0].original_len == strlen(sample_original) && memcmp(r[0].original, sample_original, r[0].original_len) == 0);
        CHECK_INT(r[0].n_units, 2);
        if (r[0].n_units == 2) {
            CHECK_STR(r[0].unit_ids[0], "p1");
            CHECK_STR(r[0].unit_ids[1], "p2\004ctx");
            xlate_bi_para *u = &r[0].units[0];
            CHECK_INT(u->n_pieces, 3);
            if (u->n_pieces == 3) {
                CHECK(u->pieces[0].is_segment && !u->pieces[1].is_segment && u->pieces[2].is_segment);
                CHECK(frag_is(&u->pieces[0].source, "Київ — столиця.", 0));
                CHECK(frag_is(&u->pieces[0].target, "Kyiv is the capital.", 0));
                CHECK(frag_is(&u->pieces[1].source, " ", 0));
                CHECK(frag_is(&u->pieces[2].source, "Метро працює.", 2));
                CHECK(frag_is(&u->pieces[2].target, want_target2, 2));
                const xlate_fragment *t = &u->pieces[2].target;
                if (t->n_codes == 2) {
                    CHECK(t->codes[0].id == 1 && t->codes[0].kind == XLATE_SEG_CODE_OPEN);
                    CHECK_STR(t->codes[0].data, "<b>");
                    CHECK(t->codes[1].id == 1 && t->codes[1].kind == XLATE_SEG_CODE_CLOSE);
                    CHECK_STR(t->codes[1].data, "</b>");
                }
                const xlate_fragment *sc = &u->pieces[2].source;
                CHECK(sc->n_codes == 2 && sc->codes[0].pos == 0 && sc->codes[1].pos == strlen("Метро"));
            }
            xlate_bi_para *u2 = &r[0].units[1];
            CHECK(u2->n_pieces == 1 && frag_is(&u2->pieces[0].source, "Новинидня", 1) && !u2->pieces[0].target.text);
            CHECK(u2->n_pieces == 1 && u2->pieces[0].source.n_codes == 1 &&
                  strcmp(u2->pieces[0].source.codes[0].data, "<br>") == 0);
        }
    }
    for (size_t i = 0; i < n; i++)
        xlate_xliff_returned_free(&r[i]);
    free(r);
}

/* Replaces the first `from` after `after` in *s by `to`. */
static void replace(xlate_buf *s, const char *after, const char *from, const char *to) {
    char *a = strstr(s->data, after);
    char *p = a ? strstr(a, from) : NULL;
    if (!p) {
        fprintf(stderr, "replace: \"%s\" not found\n", from);
        check_failures++;
        return;
    }
    xlate_buf n = XLATE_BUF_INIT;
    xlate_buf_append(&n, s->data, (size_t)(p - s->data));
    xlate_buf_puts(&n, to);
    xlate_buf_puts(&n, p + strlen(from));
    xlate_buf_free(s);
    *s = n;
}

static void test_export_12(void) {
    sample s;
    build_sample(&s);
    const xlate_bidoc *docs[] = {&s.bi};
    xlate_buf out = XLATE_BUF_INIT;
    CHECK(export(docs, 1, XLATE_XLIFF_1_2, &out) == 0);
    const char *x = out.data ? out.data : "";
    CHECK(strstr(x, "<file original=\"news/metro.html\" source-language=\"uk\" target-language=\"en\" datatype=\"html\" "
                    "xlate:format=\"html\">"));
    CHECK(strstr(x, "<internal-file form=\"base64\">"));
    CHECK(strstr(x, "<seg-source><mrk mtype=\"seg\" mid=\"1\">Київ — столиця.</mrk> <mrk mtype=\"seg\" mid=\"2\">"
                    "<bpt id=\"1\">&lt;b&gt;</bpt>Метро<ept id=\"1\">&lt;/b&gt;</ept> працює.</mrk></seg-source>"));
    CHECK(strstr(x, "<target state=\"needs-review-translation\"><mrk mtype=\"seg\" mid=\"1\">Kyiv is the capital.</mrk>"));
    CHECK(strstr(x, "<note from=\"xlate-glossary\">glossary: Київ → Kyiv (transliteration 2010)</note>"));
    CHECK(strstr(x, "<note from=\"xlate\" priority=\"3\">qa: target much shorter than source</note>"));
    CHECK(strstr(x, "resname=\"p2%04ctx\""));
    CHECK(strstr(x, "<ph id=\"1\">&lt;br&gt;</ph>"));
    /* each match an <alt-trans> for its segment's <mrk>, after the unit's target and notes */
    CHECK(strstr(x, "<note from=\"xlate\" priority=\"3\">qa: target much shorter than source</note>\n"
                    "    <alt-trans mid=\"1\" match-quality=\"82.5\" origin=\"tm\"><source>Київ — столиця України."
                    "</source><target>Kyiv is the capital of Ukraine.</target></alt-trans>\n"
                    "    <alt-trans mid=\"2\" match-quality=\"100\" origin=\"tm\"><source>Метро працює.</source>"
                    "<target>The metro works.</target></alt-trans>\n"
                    "    <alt-trans mid=\"2\" match-quality=\"76\" origin=\"tm\"><source>Метро &amp; трамвай "
                    "працюють.</source><target>The metro &amp; tram work.</target></alt-trans>\n"
                    "   </trans-unit>"));
    CHECK(!strstr(strstr(x, "p2%04ctx") ? strstr(x, "p2%04ctx") : x, "alt-trans"));
    check_returned("export12.xlf", out.data, out.len, "The metro works.");

    /* as a CAT tool gives it back: <g> instead of <bpt>/<ept>, re-indented, the target edited */
    xlate_buf edited = XLATE_BUF_INIT;
    xlate_buf_append(&edited, out.data, out.len);
    replace(&edited, "<target", "<mrk mtype=\"seg\" mid=\"2\">The <bpt id=\"1\">&lt;b&gt;</bpt>metro<ept id=\"1\">&lt;/b&gt;</ept> works.</mrk>",
            "<mrk mtype=\"seg\" mid=\"2\">The <g id=\"1\">underground</g> runs.</mrk>");
    replace(&edited, "<trans-unit", "</seg-source>", "</seg-source>\n\n        ");
    check_returned("edited12.xlf", edited.data, edited.len, "The underground runs.");

    /* a code in a target that the source does not have */
    replace(&edited, "<target", "runs.", "runs.<ph id=\"7\">&lt;hr&gt;</ph>");
    xlate_xliff_returned *r = NULL;
    size_t n = 0;
    xlate_error err = {0};
    CHECK(xlate_xliff_read_returned("edited12.xlf", edited.data, edited.len, &r, &n, &err) == -1);
    CHECK(err.message && strstr(err.message, "edited12.xlf:") && strstr(err.message, "code 7") &&
          strstr(err.message, "source does not have"));
    xlate_error_clear(&err);
    xlate_buf_free(&edited);
    xlate_buf_free(&out);
    free_sample(&s);
}

static void test_export_21(void) {
    sample s;
    build_sample(&s);
    const xlate_bidoc *docs[] = {&s.bi};
    xlate_buf out = XLATE_BUF_INIT;
    CHECK(export(docs, 1, XLATE_XLIFF_2_1, &out) == 0);
    const char *x = out.data ? out.data : "";
    CHECK(strstr(x, "<xliff version=\"2.1\" xmlns=\"urn:oasis:names:tc:xliff:document:2.0\""));
    CHECK(strstr(x, "srcLang=\"uk\" trgLang=\"en\""));
    CHECK(strstr(x, "<skeleton><xlate:original>"));
    CHECK(strstr(x, "<gls:glossEntry><gls:term source=\"xlate\">Київ</gls:term><gls:translation source=\"xlate\">Kyiv"
                    "</gls:translation><gls:definition>transliteration 2010</gls:definition></gls:glossEntry>"));
    CHECK(strstr(x, "<data id=\"d1\">&lt;b&gt;</data>"));
    CHECK(strstr(x, "<data id=\"d1c\">&lt;/b&gt;</data>"));
    CHECK(strstr(x, "<segment id=\"s2\" state=\"translated\" subState=\"xlate:needs-review\"><source><sc id=\"c1\" "
                    "dataRef=\"d1\"/>Метро<ec startRef=\"c1\" dataRef=\"d1c\"/> працює.</source>"));
    CHECK(strstr(x, "<ignorable id=\"i1\"><source> </source></ignorable>"));
    CHECK(strstr(x, "<segment id=\"s1\" state=\"initial\"><source>Новини<ph id=\"c1\" dataRef=\"d1\"/>дня</source></segment>"));
    /* the Translation Candidates module, in the unit before its notes, each match at its segment */
    CHECK(strstr(x, "xmlns:mtc=\"urn:oasis:names:tc:xliff:matches:2.0\""));
    CHECK(strstr(x, "</gls:glossary>\n    <mtc:matches>\n"
                    "      <mtc:match ref=\"#s1\" similarity=\"82.5\" origin=\"tm\"><source>Київ — столиця України."
                    "</source><target>Kyiv is the capital of Ukraine.</target></mtc:match>\n"
                    "      <mtc:match ref=\"#s2\" similarity=\"100\" origin=\"tm\"><source>Метро працює.</source>"
                    "<target>The metro works.</target></mtc:match>\n"
                    "      <mtc:match ref=\"#s2\" similarity=\"76\" origin=\"tm\"><source>Метро &amp; трамвай "
                    "працюють.</source><target>The metro &amp; tram work.</target></mtc:match>\n"
                    "    </mtc:matches>\n    <notes>"));
    check_returned("export21.xlf", out.data, out.len, "The metro works.");

    /* a CAT tool that reorders codes and uses <pc> for the pair */
    xlate_buf edited = XLATE_BUF_INIT;
    xlate_buf_append(&edited, out.data, out.len);
    replace(&edited, "<segment id=\"s2\"", "<target>The <sc id=\"c1\" dataRef=\"d1\"/>metro<ec startRef=\"c1\" dataRef=\"d1c\"/> works.</target>",
            "<target>\n  The <pc id=\"c1\" dataRefStart=\"d1\" dataRefEnd=\"d1c\">underground</pc> runs.</target>");
    check_returned("edited21.xlf", edited.data, edited.len, "\n  The underground runs.");
    xlate_buf_free(&edited);

    /* control characters XML cannot hold: 2.1 <cp>, 1.2 an error */
    xlate_fragment *src = &s.bi.paras[1].pieces[0].source;
    CHECK(add(src, "\f") == 0);
    xlate_buf cp = XLATE_BUF_INIT;
    CHECK(export(docs, 1, XLATE_XLIFF_2_1, &cp) == 0);
    CHECK(cp.data && strstr(cp.data, "дня<cp hex=\"000C\"/></source>"));
    xlate_buf_reset(&cp);
    xlate_xliff_export_options o = {XLATE_XLIFF_1_2, "uk", "en", NULL, NULL};
    xlate_error err = {0};
    CHECK(xlate_xliff_export_document(&o, &s.bi, &cp, &err) == -1);
    CHECK(err.message && strstr(err.message, "U+000C") && strstr(err.message, "xliff2"));
    xlate_error_clear(&err);
    xlate_buf_free(&cp);
    xlate_buf_free(&out);
    free_sample(&s);
}

static void test_returned_errors(void) {
    xlate_xliff_returned *r = NULL;
    size_t n = 0;
    xlate_error err = {0};
    const char *po = "msgid \"a\"\nmsgstr \"b\"\n";
    CHECK(xlate_xliff_read_returned("t.po", po, strlen(po), &r, &n, &err) == -1);
    CHECK(err.message && strstr(err.message, "t.po:1:"));
    xlate_error_clear(&err);
    const char *html = "<?xml version=\"1.0\"?>\n<html><body/></html>";
    CHECK(xlate_xliff_read_returned("t.xlf", html, strlen(html), &r, &n, &err) == -1);
    CHECK(err.message && strstr(err.message, "t.xlf:2: not XLIFF"));
    xlate_error_clear(&err);
    size_t len = 0;
    char *other = check_read_file(CORPUS "/sdl_style_user_manual.xlf", &len);
    CHECK(xlate_xliff_read_returned("manual.xlf", other, len, &r, &n, &err) == -1);
    CHECK(err.message && strstr(err.message, "manual.xlf:3:") && strstr(err.message, "not written by `xlate extract`"));
    xlate_error_clear(&err);
    free(other);
}

/* --- exports of the corpus, for the consumers' test ------------------------------------------ */

/* The bilingual view a run would make of a document read by a module: a piece per preseg and per
 * gap between them, or one segment for a paragraph with none, targets from the presegs. */
static void slice(const xlate_fragment *src, size_t from, size_t to, size_t *ci, int last, xlate_fragment *out) {
    CHECK(xlate_fragment_append(out, src->text + from, to - from) == 0);
    while (*ci < src->n_codes && (src->codes[*ci].pos < to || (src->codes[*ci].pos == to && (last ||
           src->codes[*ci].kind == XLATE_SEG_CODE_CLOSE)))) {
        const xlate_code *c = &src->codes[*ci];
        xlate_fragment tmp = *out;
        (void)tmp;
        CHECK(xlate_fragment_add_code(out, c->kind, c->id, c->data, c->name, c->native_id) == 0);
        out->codes[out->n_codes - 1].pos = c->pos - from;
        (*ci)++;
    }
}

static void bidoc_of(const xlate_fdoc *fd, xlate_bidoc *bi, const char *orig, size_t len) {
    memset(bi, 0, sizeof *bi);
    bi->fdoc = fd;
    bi->original = orig;
    bi->original_len = len;
    bi->paras = calloc(fd->n_paras ? fd->n_paras : 1, sizeof *bi->paras);
    for (size_t i = 0; i < fd->n_paras; i++) {
        const xlate_para *p = &fd->paras[i];
        xlate_bi_para *b = &bi->paras[i];
        b->pieces = calloc(2 * p->n_presegs + 2, sizeof *b->pieces);
        size_t at = 0, ci = 0;
        for (size_t k = 0; k < p->n_presegs; k++) {
            const xlate_preseg *ps = &p->presegs[k];
            if (ps->span.start > at) {
                xlate_bi_piece *g = &b->pieces[b->n_pieces++];
                slice(&p->source, at, ps->span.start, &ci, 0, &g->source);
            }
            xlate_bi_piece *pc = &b->pieces[b->n_pieces++];
            pc->is_segment = 1;
            slice(&p->source, ps->span.start, ps->span.end, &ci, k + 1 == p->n_presegs && ps->span.end == p->source.len,
                  &pc->source);
            if (ps->target.text)
                CHECK(xlate_fragment_copy(&pc->target, &ps->target) == 0);
            at = ps->span.end;
        }
        if (!p->n_presegs || at < p->source.len || ci < p->source.n_codes) {
            xlate_bi_piece *pc = &b->pieces[b->n_pieces++];
            pc->is_segment = !p->n_presegs;
            slice(&p->source, at, p->source.len, &ci, 1, &pc->source);
        }
    }
}

static int emit(const char *dir) {
    struct { const char *name; xlate_xliff_version v; } outs[] = {{"xlf", XLATE_XLIFF_1_2}, {"xlf2", XLATE_XLIFF_2_1}};
    sample s;
    build_sample(&s);
    DIR *d = opendir(CORPUS);
    if (!d)
        return 1;
    for (size_t o = 0; o < 2; o++) {
        char path[1024];
        xlate_buf out = XLATE_BUF_INIT;
        const xlate_bidoc *docs[] = {&s.bi};
        CHECK(export(docs, 1, outs[o].v, &out) == 0);
        snprintf(path, sizeof path, "%s/sample.%s", dir, outs[o].name);
        FILE *f = fopen(path, "wb");
        CHECK(f && fwrite(out.data, 1, out.len, f) == out.len);
        if (f)
            fclose(f);
        snprintf(path, sizeof path, "%s/sample.%s.units", dir, outs[o].name);
        f = fopen(path, "w");
        if (f) {
            fprintf(f, "2\n");
            fclose(f);
        }
        xlate_buf_free(&out);
    }
    for (struct dirent *e; (e = readdir(d));) {
        if (!strstr(e->d_name, ".xlf"))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", CORPUS, e->d_name);
        xlate_fdoc fd;
        xlate_error err = {0};
        size_t len = 0;
        char *orig = check_read_file(path, &len);
        if (!orig || read_doc(path, &fd, &err) != 0) {
            check_failures++;
            free(orig);
            xlate_error_clear(&err);
            continue;
        }
        xlate_bidoc bi;
        bidoc_of(&fd, &bi, orig, len);
        for (size_t o = 0; o < 2; o++) {
            xlate_buf out = XLATE_BUF_INIT;
            const xlate_bidoc *docs[] = {&bi};
            CHECK(export(docs, 1, outs[o].v, &out) == 0);
            snprintf(path, sizeof path, "%s/%s.%s", dir, e->d_name, outs[o].name);
            FILE *f = fopen(path, "wb");
            CHECK(f && fwrite(out.data, 1, out.len, f) == out.len);
            if (f)
                fclose(f);
            snprintf(path, sizeof path, "%s/%s.%s.units", dir, e->d_name, outs[o].name);
            f = fopen(path, "w");
            if (f) {
                fprintf(f, "%zu\n", fd.n_paras);
                fclose(f);
            }
            xlate_buf_free(&out);
        }
        xlate_bidoc_free(&bi);
        xlate_fdoc_free(&fd);
        free(orig);
    }
    closedir(d);
    free_sample(&s);
    return check_result("test_xliff emit");
}

/* Every corpus document exported and read back gives its units' pieces as exported. */
static void test_export_corpus_read_back(void) {
    DIR *d = opendir(CORPUS);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (!strstr(e->d_name, ".xlf"))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", CORPUS, e->d_name);
        xlate_fdoc fd;
        xlate_error err = {0};
        size_t len = 0;
        char *orig = check_read_file(path, &len);
        if (!orig || read_doc(path, &fd, &err) != 0) {
            check_failures++;
            free(orig);
            xlate_error_clear(&err);
            continue;
        }
        xlate_bidoc bi;
        bidoc_of(&fd, &bi, orig, len);
        for (int v = 0; v < 2; v++) {
            xlate_buf out = XLATE_BUF_INIT;
            const xlate_bidoc *docs[] = {&bi};
            CHECK(export(docs, 1, v ? XLATE_XLIFF_2_1 : XLATE_XLIFF_1_2, &out) == 0);
            xlate_xliff_returned *r = NULL;
            size_t n = 0;
            if (xlate_xliff_read_returned(e->d_name, out.data, out.len, &r, &n, &err) != 0) {
                fprintf(stderr, "%s: %s\n", e->d_name, err.message);
                check_failures++;
                xlate_error_clear(&err);
                xlate_buf_free(&out);
                continue;
            }
            CHECK(n == 1 && r[0].n_units == fd.n_paras && r[0].original_len == len &&
                  memcmp(r[0].original, orig, len) == 0);
            for (size_t i = 0; n == 1 && i < r[0].n_units && i < fd.n_paras; i++) {
                CHECK_STR(r[0].unit_ids[i], fd.paras[i].id);
                const xlate_bi_para *a = &bi.paras[i], *b = &r[0].units[i];
                int same = a->n_pieces == b->n_pieces;
                for (size_t k = 0; same && k < a->n_pieces; k++) {
                    same = a->pieces[k].is_segment == b->pieces[k].is_segment &&
                           xlate_fragment_equal(&a->pieces[k].source, &b->pieces[k].source) &&
                           (!a->pieces[k].target.text || !a->pieces[k].target.len ||
                            xlate_fragment_equal(&a->pieces[k].target, &b->pieces[k].target));
                }
                if (!same) {
                    fprintf(stderr, "%s (%s): unit %s read back differs from what was exported\n", e->d_name,
                            v ? "2.1" : "1.2", fd.paras[i].id);
                    check_failures++;
                }
            }
            for (size_t i = 0; i < n; i++)
                xlate_xliff_returned_free(&r[i]);
            free(r);
            xlate_buf_free(&out);
        }
        xlate_bidoc_free(&bi);
        xlate_fdoc_free(&fd);
        free(orig);
    }
    if (d)
        closedir(d);
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "emit") == 0)
        return emit(argv[2]);
    test_read_12();
    test_read_2();
    test_read_errors();
    test_corpus_round_trip();
    test_write_12_segments();
    test_write_2_segments();
    test_write_2_three_segments();
    test_export_12();
    test_export_21();
    test_returned_errors();
    test_export_corpus_read_back();
    xmlCleanupParser();
    return check_result("test_xliff");
}
