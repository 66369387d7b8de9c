/*
 * test_po: the PO format module (core/format/po) over the corpus in tests/format/corpus/po:
 * round trip byte for byte, paragraphs, context, plurals, placeholders as codes, fuzzy, obsolete
 * entries, a windows-1251 file, a template; written files read back by libgettextpo. With a
 * folder as its argument it leaves every PO it writes there (po_msgfmt.sh runs msgfmt -c on them).
 */
#include "check.h"

#include <gettext-po.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "format_check.h"
#include "readfile.h"
#include "po/po.h"

static const char *const corpus[] = {"uk_app.po", "news_site.pot", "legacy_cp1251.po", "django_uk.po",
                                     "gnome_fuzzy.po", "wp_theme.po", NULL};

/* The file at `path` whole (core/base/readfile.h), or NULL with the reason said. */
static char *slurp(const char *path, size_t *len) {
    char *data = NULL;
    xlate_error err = {0};
    if (xlate_read_file(path, &data, len, &err) != 0)
        fprintf(stderr, "%s\n", err.message);
    xlate_error_clear(&err);
    return data;
}

static int read_corpus(const char *file, xlate_fdoc *doc, char **bytes, size_t *len) {
    char path[512];
    snprintf(path, sizeof path, "%s/format/corpus/po/%s", TEST_DATA_DIR, file);
    *bytes = slurp(path, len);
    if (!*bytes)
        return -1;
    xlate_format_read_options o = {0};
    xlate_error err = {0};
    int rc = xlate_format_po.read(&o, file, *bytes, *len, doc, &err);
    if (rc != 0)
        fprintf(stderr, "%s\n", err.message);
    xlate_error_clear(&err);
    return rc;
}

static int write_doc(const xlate_fdoc *doc, const char *lang, xlate_buf *out) {
    xlate_format_write_options o = {"uk", lang, "test"};
    xlate_error err = {0};
    int rc = xlate_format_po.write(doc, &o, out, &err);
    if (rc != 0)
        fprintf(stderr, "%s\n", err.message);
    xlate_error_clear(&err);
    return rc;
}

static const xlate_para *para_by_id(const xlate_fdoc *doc, const char *id) {
    for (size_t i = 0; i < doc->n_paras; i++)
        if (strcmp(doc->paras[i].id, id) == 0)
            return &doc->paras[i];
    return NULL;
}

/* A translation: "EN " before the source, the codes kept at their places. */
static void translate_all(xlate_fdoc *doc, const char *prefix) {
    for (size_t i = 0; i < doc->n_paras; i++) {
        xlate_para *p = &doc->paras[i];
        xlate_fragment_free(&p->target);
        CHECK(xlate_fragment_append(&p->target, prefix, strlen(prefix)) == 0);
        CHECK(xlate_fragment_append(&p->target, p->source.text, p->source.len) == 0);
        p->target.codes = calloc(p->source.n_codes + 1, sizeof *p->target.codes);
        for (size_t k = 0; k < p->source.n_codes; k++) {
            xlate_code c = p->source.codes[k];
            c.pos += strlen(prefix);
            c.data = strdup(c.data);
            c.name = c.name ? strdup(c.name) : NULL;
            c.native_id = NULL;
            p->target.codes[p->target.n_codes++] = c;
        }
    }
}

static void save(const char *dir, const char *name, const xlate_buf *b) {
    if (!dir)
        return;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        CHECK(fwrite(b->data, 1, b->len, f) == b->len);
        fclose(f);
    }
}

/* Every target NULL, then every target the translation the file holds: the same bytes. */
static void test_round_trip(const char *file) {
    xlate_fdoc doc;
    char *bytes = NULL;
    size_t len = 0;
    CHECK(read_corpus(file, &doc, &bytes, &len) == 0);
    CHECK(doc.n_paras > 0);
    xlate_buf out = XLATE_BUF_INIT;
    CHECK(write_doc(&doc, "en", &out) == 0);
    CHECK(out.len == len && memcmp(out.data, bytes, len) == 0);
    for (size_t i = 0; i < doc.n_paras; i++)
        if (doc.paras[i].n_presegs)
            CHECK(xlate_fragment_copy(&doc.paras[i].target, &doc.paras[i].presegs[0].target) == 0);
    xlate_buf_reset(&out);
    CHECK(write_doc(&doc, doc.target_lang, &out) == 0);
    if (out.len != len || memcmp(out.data, bytes, len) != 0)
        fprintf(stderr, "%s: targets = existing translations changed the file:\n%s\n", file, out.data);
    CHECK(out.len == len && memcmp(out.data, bytes, len) == 0);
    xlate_buf_free(&out);
    xlate_fdoc_free(&doc);
    free(bytes);
}

static int gettextpo_errors;

static void on_xerror(int severity, po_message_t m, const char *file, size_t line, size_t col, int multiline,
                      const char *text) {
    (void)m, (void)col, (void)multiline;
    fprintf(stderr, "libgettextpo: %s:%zu: %s\n", file ? file : "?", line, text);
    if (severity != PO_SEVERITY_WARNING)
        gettextpo_errors++;
}

static void on_xerror2(int severity, po_message_t m1, const char *f1, size_t l1, size_t c1, int ml1,
                       const char *t1, po_message_t m2, const char *f2, size_t l2, size_t c2, int ml2,
                       const char *t2) {
    (void)m2, (void)f2, (void)l2, (void)c2, (void)ml2, (void)t2;
    on_xerror(severity, m1, f1, l1, c1, ml1, t1);
}

/* libgettextpo reads the written file: `n` messages besides the header, `plural_forms` msgstr[]
 * in each plural one, and every msgstr filled. */
static void check_with_libgettextpo(const char *dir, const char *name, size_t n, int plural_forms) {
    if (!dir)
        return;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct po_xerror_handler h = {on_xerror, on_xerror2};
    gettextpo_errors = 0;
    po_file_t f = po_file_read(path, &h);
    CHECK(f != NULL);
    CHECK_INT(gettextpo_errors, 0);
    if (!f)
        return;
    po_message_iterator_t it = po_message_iterator(f, NULL);
    size_t count = 0;
    for (po_message_t m; (m = po_next_message(it)) != NULL;) {
        if (po_message_is_obsolete(m) || !*po_message_msgid(m))
            continue;
        count++;
        if (po_message_msgid_plural(m)) {
            int forms = 0;
            while (po_message_msgstr_plural(m, forms))
                forms++;
            CHECK_INT(forms, plural_forms);
        } else {
            CHECK(*po_message_msgstr(m) != '\0');
        }
    }
    CHECK_INT(count, n);
    po_message_iterator_free(it);
    po_file_free(f);
}

static void test_uk_app_read(void) {
    xlate_fdoc doc;
    char *bytes = NULL;
    size_t len = 0;
    CHECK(read_corpus("uk_app.po", &doc, &bytes, &len) == 0);
    /* 10 entries, one with a plural: 11 paragraphs; the header and the obsolete entry are none. */
    CHECK_INT(doc.n_paras, 11);
    CHECK_STR(doc.target_lang, "uk");
    CHECK_STR(doc.encoding, "UTF-8");
    CHECK(para_by_id(&doc, "") == NULL);
    CHECK(para_by_id(&doc, "Offline mode") == NULL);
    const xlate_para *p = para_by_id(&doc, "%d new article");
    const xlate_para *pl = para_by_id(&doc, "%d new article\001plural");
    CHECK(p && pl);
    if (p && pl) {
        CHECK_STR(p->source.text, " new article");
        CHECK_INT(p->source.n_codes, 1);
        CHECK_INT(p->source.codes[0].kind, XLATE_SEG_CODE_STANDALONE);
        CHECK_STR(p->source.codes[0].data, "%d");
        CHECK_INT(p->n_presegs, 1);
        CHECK_STR(p->presegs[0].target.text, " нова стаття");
        CHECK(p->presegs[0].final);
        CHECK_STR(pl->presegs[0].target.text, " нові статті");
    }
    const xlate_para *ctx = para_by_id(&doc, "article state\004Read");
    const xlate_para *verb = para_by_id(&doc, "verb\004Read");
    CHECK(ctx && verb);
    if (ctx && verb) {
        CHECK_STR(ctx->note, "Context: article state");
        CHECK_INT(verb->n_presegs, 0); /* an empty msgstr is no translation */
    }
    const xlate_para *about = para_by_id(&doc, "Newsdesk collects the latest stories from the sources you follow.\n\n"
                                               "Articles are stored on this computer for 30 days.");
    CHECK(about != NULL);
    if (about)
        CHECK_STR(about->note, "The about dialog text; keep the line breaks.");
    const xlate_para *fz = para_by_id(&doc, "Synchronised %d of %d sources");
    CHECK(fz != NULL);
    if (fz) {
        CHECK_INT(fz->n_presegs, 1);
        CHECK(!fz->presegs[0].final); /* fuzzy: translated again */
        CHECK_INT(fz->source.n_codes, 2);
    }
    xlate_fdoc_free(&doc);
    free(bytes);
}

/* A translation of every paragraph, written; read back, it holds the translation. */
static void test_uk_app_write(const char *dir) {
    xlate_fdoc doc;
    char *bytes = NULL;
    size_t len = 0;
    CHECK(read_corpus("uk_app.po", &doc, &bytes, &len) == 0);
    translate_all(&doc, "Т: ");
    xlate_para *review = (xlate_para *)para_by_id(&doc, "_Refresh");
    if (review)
        review->needs_review = 1;
    xlate_buf out = XLATE_BUF_INIT;
    CHECK(write_doc(&doc, "uk", &out) == 0);
    save(dir, "uk_app.po", &out);
    const char *s = out.data ? out.data : "";
    CHECK(strstr(s, "msgstr[0] \"Т: %d new article\"\nmsgstr[1] \"Т: %d new articles\"\n"
                    "msgstr[2] \"Т: %d new articles\"\n") != NULL);
    /* The fuzzy entry newly translated is no longer fuzzy; the one needing review is. */
    CHECK(strstr(s, "#, c-format\nmsgid \"Synchronised %d of %d sources\"\nmsgstr \"Т: Synchronised %d of %d "
                    "sources\"") != NULL);
    CHECK(strstr(s, "#: src/window.c:88 src/menu.c:12\n#, fuzzy\nmsgid \"_Refresh\"") != NULL);
    /* Multi-line strings wrapped as gettext does, after each \n. */
    CHECK(strstr(s, "msgstr \"\"\n\"Т: Newsdesk collects the latest stories from the sources you follow.\\n\"\n"
                    "\"\\n\"\n\"Articles are stored on this computer for 30 days.\"\n") != NULL);
    /* Everything else as it was: the obsolete entry, comments, the header. */
    CHECK(strstr(s, "#~ msgid \"Offline mode\"\n#~ msgstr \"Автономний режим\"\n") != NULL);
    CHECK(strstr(s, "# Оксана Мельник <oksana@example.org>, 2025.\n") != NULL);
    CHECK(strstr(s, "\"PO-Revision-Date: 2025-03-09 18:40+0200\\n\"\n") != NULL);

    xlate_fdoc back;
    xlate_format_read_options ro = {0};
    xlate_error err = {0};
    CHECK(xlate_format_po.read(&ro, "uk_app.po", out.data, out.len, &back, &err) == 0);
    CHECK_INT(back.n_paras, doc.n_paras);
    for (size_t i = 0; i < back.n_paras && i < doc.n_paras; i++) {
        CHECK_STR(back.paras[i].id, doc.paras[i].id);
        CHECK(back.paras[i].n_presegs == 1 && xlate_fragment_equal(&back.paras[i].presegs[0].target,
                                                                    &doc.paras[i].target));
        CHECK_INT(back.paras[i].presegs[0].final, doc.paras[i].needs_review ? 0 : 1);
    }
    xlate_fdoc_free(&back);
    xlate_error_clear(&err);
    check_with_libgettextpo(dir, "uk_app.po", 10, 3);
    xlate_buf_free(&out);
    xlate_fdoc_free(&doc);
    free(bytes);
}

/* A template filled in: Language, the charset and the Plural-Forms of the target language set. */
static void test_template_write(const char *dir) {
    xlate_fdoc doc;
    char *bytes = NULL;
    size_t len = 0;
    CHECK(read_corpus("news_site.pot", &doc, &bytes, &len) == 0);
    CHECK_INT(doc.n_paras, 8);
    const xlate_para *p = para_by_id(&doc, "Опубліковано %(date)s о %(time)s");
    CHECK(p && p->source.n_codes == 2 && strcmp(p->source.codes[0].data, "%(date)s") == 0);
    translate_all(&doc, "EN ");
    xlate_buf out = XLATE_BUF_INIT;
    CHECK(write_doc(&doc, "en", &out) == 0);
    save(dir, "news_site.po", &out);
    const char *s = out.data ? out.data : "";
    CHECK(strstr(s, "\"Language: en\\n\"\n") != NULL);
    CHECK(strstr(s, "\"Content-Type: text/plain; charset=UTF-8\\n\"\n") != NULL);
    CHECK(strstr(s, "\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n") != NULL);
    CHECK(strstr(s, "msgstr[0] \"EN %(count)d коментар\"\nmsgstr[1] \"EN %(count)d коментарів\"\n") != NULL);
    /* A long string wrapped at spaces within 79 columns. */
    CHECK(strstr(s, "msgstr \"\"\n\"EN Усі права захищені.") != NULL);
    for (const char *l = s; *l;) {
        size_t n = strcspn(l, "\n"), cols = 0;
        for (size_t i = 0; i < n; i++)
            cols += ((unsigned char)l[i] & 0xC0) != 0x80;
        CHECK(cols <= 79);
        l += n + (l[n] == '\n');
    }
    check_with_libgettextpo(dir, "news_site.po", 7, 2);
    xlate_buf_free(&out);
    xlate_fdoc_free(&doc);
    free(bytes);
}

/* windows-1251 decoded to UTF-8, and written back in it; a translation it cannot hold makes the
 * file UTF-8, declared so. */
static void test_cp1251(const char *dir) {
    xlate_fdoc doc;
    char *bytes = NULL;
    size_t len = 0;
    CHECK(read_corpus("legacy_cp1251.po", &doc, &bytes, &len) == 0);
    CHECK_STR(doc.encoding, "windows-1251");
    const xlate_para *p = para_by_id(&doc, "Сума без ПДВ");
    CHECK(p != NULL);
    const xlate_para *pct = para_by_id(&doc, "ПДВ 20%");
    CHECK(pct && pct->source.n_codes == 0); /* a lone % is text */
    const xlate_para *nl = para_by_id(&doc, "Звіт сформовано.\n");
    CHECK(nl != NULL);
    translate_all(&doc, "Переклад ");
    /* An engine that dropped the newline: msgfmt -c wants it back. */
    xlate_para *nlp = (xlate_para *)nl;
    if (nlp) {
        xlate_fragment_free(&nlp->target);
        CHECK(xlate_fragment_append(&nlp->target, "Report done.", 12) == 0);
    }
    xlate_buf out = XLATE_BUF_INIT;
    CHECK(write_doc(&doc, "en", &out) == 0);
    save(dir, "legacy_cp1251.po", &out);
    CHECK(out.data && memmem(out.data, out.len, "msgstr \"\xcf\xe5\xf0\xe5\xea\xeb\xe0\xe4 \xd1\xf3\xec\xe0", 14));
    CHECK(out.data && memmem(out.data, out.len, "msgstr \"Report done.\\n\"", 23));
    CHECK(out.data && memmem(out.data, out.len, "charset=windows-1251", 20));
    check_with_libgettextpo(dir, "legacy_cp1251.po", 6, 2);

    xlate_para *sum = (xlate_para *)para_by_id(&doc, "Сума без ПДВ");
    if (sum) {
        xlate_fragment_free(&sum->target);
        CHECK(xlate_fragment_append(&sum->target, "Net amount ✓", strlen("Net amount ✓")) == 0);
    }
    xlate_buf_reset(&out);
    CHECK(write_doc(&doc, "en", &out) == 0);
    save(dir, "legacy_utf8.po", &out);
    CHECK(out.data && strstr(out.data, "charset=UTF-8") && strstr(out.data, "msgstr \"Net amount ✓\""));
    CHECK(out.data && strstr(out.data, "# Переклад інтерфейсу бухгалтерської програми.\n"));
    xlate_buf_free(&out);
    xlate_fdoc_free(&doc);
    free(bytes);
}

/* Escapes decoded and written back; brace placeholders; a reordered placeholder list fuzzy. */
static void test_escapes_and_braces(const char *dir) {
    xlate_fdoc doc;
    char *bytes = NULL;
    size_t len = 0;
    CHECK(read_corpus("django_uk.po", &doc, &bytes, &len) == 0);
    const xlate_para *hello = para_by_id(&doc, "Hello %(name)s,\n\tyour order is \"ready\" at C:\\Shop\\Pickup.\n");
    CHECK(hello != NULL);
    if (hello)
        CHECK_STR(hello->source.text, "Hello ,\n\tyour order is \"ready\" at C:\\Shop\\Pickup.\n");
    const xlate_para *order = para_by_id(&doc, "Order {0} has been shipped to {1}.");
    CHECK(order && order->source.n_codes == 2 && strcmp(order->source.codes[1].data, "{1}") == 0);
    translate_all(&doc, "Переклад: ");
    xlate_para *o = (xlate_para *)order;
    if (o) { /* the engine lost {1} and put it back at the end: fuzzy for a person to check */
        xlate_fragment_free(&o->target);
        CHECK(xlate_fragment_append(&o->target, "Замовлення ", strlen("Замовлення ")) == 0);
        CHECK(xlate_fragment_add_code(&o->target, XLATE_SEG_CODE_STANDALONE, 1, "{0}", "brace", NULL) == 0);
        CHECK(xlate_fragment_append(&o->target, " надіслано.", strlen(" надіслано.")) == 0);
    }
    xlate_buf out = XLATE_BUF_INIT;
    CHECK(write_doc(&doc, "uk", &out) == 0);
    save(dir, "django_uk.po", &out);
    const char *s = out.data ? out.data : "";
    CHECK(strstr(s, "msgstr \"\"\n\"Переклад: Hello %(name)s,\\n\"\n\"\\tyour order is \\\"ready\\\" at "
                    "C:\\\\Shop\\\\Pickup.\\n\"\n") != NULL);
    CHECK(strstr(s, "#, fuzzy, python-brace-format\nmsgid \"Order {0}") != NULL);
    CHECK(strstr(s, "#~ msgctxt \"size\"\n#~ msgid \"Medium\"\n") != NULL);
    check_with_libgettextpo(dir, "django_uk.po", 7, 3);
    xlate_buf_free(&out);
    xlate_fdoc_free(&doc);
    free(bytes);
}

static void test_every_file_translated(const char *dir) {
    for (size_t i = 0; corpus[i]; i++) {
        xlate_fdoc doc;
        char *bytes = NULL;
        size_t len = 0;
        CHECK(read_corpus(corpus[i], &doc, &bytes, &len) == 0);
        translate_all(&doc, "Переклад ");
        xlate_buf out = XLATE_BUF_INIT;
        CHECK(write_doc(&doc, "uk", &out) == 0);
        char name[128];
        snprintf(name, sizeof name, "all_%s.po", corpus[i]);
        save(dir, name, &out);
        xlate_buf_free(&out);
        xlate_fdoc_free(&doc);
        free(bytes);
    }
}

static void test_errors_and_sniff(void) {
    xlate_fdoc doc;
    xlate_format_read_options o = {0};
    xlate_error err = {0};
    const char *bad = "msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"c\nmsgstr \"d\"\n";
    CHECK(xlate_format_po.read(&o, "broken.po", bad, strlen(bad), &doc, &err) == -1);
    CHECK(err.message && strstr(err.message, "broken.po: line 4:"));
    xlate_error_clear(&err);
    const char *dup = "msgid \"a\"\nmsgstr \"\"\n\n#: x.c:1\nmsgid \"a\"\nmsgstr \"b\"\n";
    CHECK(xlate_format_po.read(&o, "dup.po", dup, strlen(dup), &doc, &err) == -1);
    CHECK(err.message && strstr(err.message, "dup.po: line 4:") && strstr(err.message, "repeats"));
    xlate_error_clear(&err);
    const char *no_msgstr = "# a comment\nmsgid \"a\"\n\nmsgid \"b\"\nmsgstr \"\"\n";
    CHECK(xlate_format_po.read(&o, "nostr.po", no_msgstr, strlen(no_msgstr), &doc, &err) == -1);
    CHECK(err.message && strstr(err.message, "nostr.po: line 1:") && strstr(err.message, "no msgstr"));
    xlate_error_clear(&err);
    const char *bad_cs = "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=NO-SUCH-CHARSET\\n\"\n";
    CHECK(xlate_format_po.read(&o, "cs.po", bad_cs, strlen(bad_cs), &doc, &err) == -1);
    CHECK(err.message && strstr(err.message, "NO-SUCH-CHARSET"));
    xlate_error_clear(&err);
    const char *po = "msgid \"\"\nmsgstr \"\"\n\"Language: uk\\n\"\n\nmsgid \"Hi\"\nmsgstr \"\"\n";
    CHECK(xlate_format_po.sniff(po, strlen(po)) >= 90);
    CHECK(xlate_format_po.sniff("# Title\n\nSome text.\n", 21) == 0);
}

/* Every prefix of every corpus file: format_check.h's check_prefixes. */
static void test_truncated(void) {
    for (size_t i = 0; corpus[i]; i++) {
        xlate_fdoc doc;
        char *bytes = NULL;
        size_t len = 0;
        CHECK(read_corpus(corpus[i], &doc, &bytes, &len) == 0);
        xlate_fdoc_free(&doc);
        check_prefixes(&xlate_format_po, corpus[i], bytes, len);
        free(bytes);
    }
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : NULL;
    for (size_t i = 0; corpus[i]; i++)
        test_round_trip(corpus[i]);
    test_uk_app_read();
    test_uk_app_write(dir);
    test_template_write(dir);
    test_cp1251(dir);
    test_escapes_and_braces(dir);
    test_every_file_translated(dir);
    test_errors_and_sniff();
    test_truncated();
    return check_result("test_po");
}
