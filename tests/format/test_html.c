/*
 * test_html: the HTML format module (core/format/html). Paragraphs, codes and attribute
 * paragraphs of small pages; the charset from the meta tag, the BOM, detection and --encoding;
 * what is kept untouched; write with translations (codes moved, a lost code kept, lang set); and
 * the round trip over the page corpus in format/corpus/html: written with no translation, with
 * each translation a copy of its source, and with every paragraph changed, the page is the same
 * after libxml2's canonical form (or reads back as the changed paragraphs), scripts byte for byte.
 */
#include <dirent.h>
#include <iconv.h>
#include <unistd.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>

#include "check.h"
#include "html.h"

static const xlate_format_read_options no_read_options = {NULL, 0, "uk"};

static int read_page(const char *page, xlate_fdoc *doc) {
    xlate_error err = {0};
    int rc = xlate_format_html.read(&no_read_options, "page.html", page, strlen(page), doc, &err);
    if (rc != 0)
        fprintf(stderr, "read: %s\n", err.message);
    xlate_error_clear(&err);
    return rc;
}

static char *write_page(const xlate_fdoc *doc, const char *target_lang, size_t *len) {
    xlate_format_write_options o = {"uk", target_lang, "test"};
    xlate_buf out = {0};
    xlate_error err = {0};
    if (xlate_format_html.write(doc, &o, &out, &err) != 0) {
        fprintf(stderr, "write: %s\n", err.message);
        xlate_error_clear(&err);
        xlate_buf_free(&out);
        return NULL;
    }
    if (xlate_buf_putc(&out, '\0') != 0)
        return NULL;
    if (len)
        *len = out.len - 1;
    return out.data;
}

/* The byte offset of `sub` in `s` (for code positions in Cyrillic text). */
static size_t at(const char *s, const char *sub) {
    const char *p = strstr(s, sub);
    return p ? (size_t)(p - s) : (size_t)-1;
}

static const xlate_para *para_with(const xlate_fdoc *doc, const char *text) {
    for (size_t i = 0; i < doc->n_paras; i++)
        if (strcmp(doc->paras[i].source.text, text) == 0)
            return &doc->paras[i];
    return NULL;
}

static int any_para_has(const xlate_fdoc *doc, const char *text) {
    for (size_t i = 0; i < doc->n_paras; i++)
        if (strstr(doc->paras[i].source.text, text))
            return 1;
    return 0;
}

static const char small_page[] =
    "<!DOCTYPE html>\n<html lang=\"uk\"><head><meta charset=\"utf-8\"><title>Новини  дня</title>\n"
    "<meta name=\"description\" content=\"Опис сторінки\"></head>\n<body>\n<h1>Заголовок</h1>\n"
    "<p>Текст з <a href=\"/x?a=1&amp;b=2\" title=\"Посилання\">посиланням</a> і\n   <b>жирним</b>.<br>Другий рядок</p>\n"
    "<script>var a = \"<p>не текст</p>\"; if (a < 2 && b > 1) {}</script>\n"
    "<style>p { color: red }</style>\n<pre>код   тут</pre>\n<p translate=\"no\">Не перекладати</p>\n"
    "<p class=\"lead notranslate\">Теж ні</p>\n"
    "<div>Текст у div <p>абзац</p> хвіст</div>\n<img src=\"a.png\" alt=\"Фото\"><!-- коментар -->\n"
    "<form><input type=\"text\" placeholder=\"Пошук\"></form>\n"
    "<p>Запустіть <code>ls  -l</code> &laquo;зараз&raquo; &amp; тут&nbsp;</p>\n"
    "</body></html>\n";

static void test_paragraphs_and_codes(void) {
    xlate_fdoc doc;
    CHECK_INT(read_page(small_page, &doc), 0);
    CHECK_STR(doc.encoding, "UTF-8");
    CHECK_STR(doc.source_lang, "uk");
    const char *want[] = {"Новини дня", "Опис сторінки", "Заголовок",
                          "Текст з посиланням і жирним.Другий рядок", "Посилання", "Текст у div",
                          "абзац", "хвіст", "Фото", "Пошук", "Запустіть «зараз» & тут\xC2\xA0"};
    CHECK_INT(doc.n_paras, sizeof want / sizeof *want);
    for (size_t i = 0; i < doc.n_paras && i < sizeof want / sizeof *want; i++) {
        char id[16];
        snprintf(id, sizeof id, "p%zu", i + 1);
        CHECK_STR(doc.paras[i].source.text, want[i]);
        CHECK_STR(doc.paras[i].id, id);
    }
    CHECK_STR(doc.paras[1].note, "meta description");
    CHECK_STR(doc.paras[4].note, "title");
    CHECK_STR(doc.paras[8].note, "alt");
    CHECK_STR(doc.paras[9].note, "placeholder");
    CHECK(doc.paras[3].note == NULL);

    const xlate_fragment *f = &doc.paras[3].source;
    CHECK_INT(f->n_codes, 5);
    if (f->n_codes == 5) {
        CHECK_INT(f->codes[0].kind, XLATE_SEG_CODE_OPEN);
        CHECK_INT(f->codes[0].pos, at(f->text, "посиланням"));
        CHECK_STR(f->codes[0].data, "<a href=\"/x?a=1&amp;b=2\" title=\"Посилання\">");
        CHECK_STR(f->codes[0].name, "a");
        CHECK_INT(f->codes[1].kind, XLATE_SEG_CODE_CLOSE);
        CHECK_INT(f->codes[1].id, f->codes[0].id);
        CHECK_INT(f->codes[1].pos, at(f->text, " і"));
        CHECK_STR(f->codes[1].data, "</a>");
        CHECK_INT(f->codes[2].pos, at(f->text, "жирним"));
        CHECK_STR(f->codes[2].data, "<b>");
        CHECK_INT(f->codes[3].pos, at(f->text, "."));
        CHECK_INT(f->codes[4].kind, XLATE_SEG_CODE_STANDALONE);
        CHECK_STR(f->codes[4].data, "<br>");
        CHECK_INT(f->codes[4].pos, at(f->text, "Другий"));
        CHECK(f->codes[2].id != f->codes[0].id && f->codes[4].id != f->codes[2].id);
    }
    /* code is kept whole, as a code standing in the sentence */
    const xlate_para *p = para_with(&doc, "Запустіть «зараз» & тут\xC2\xA0");
    CHECK(p && p->source.n_codes == 1);
    if (p && p->source.n_codes == 1) {
        CHECK_INT(p->source.codes[0].kind, XLATE_SEG_CODE_STANDALONE);
        CHECK_STR(p->source.codes[0].data, "<code>ls  -l</code>");
        CHECK_INT(p->source.codes[0].pos, at(p->source.text, "«"));
    }
    CHECK(!any_para_has(&doc, "не текст"));
    CHECK(!any_para_has(&doc, "color"));
    CHECK(!any_para_has(&doc, "код"));
    CHECK(!any_para_has(&doc, "Не перекладати"));
    CHECK(!any_para_has(&doc, "Теж ні"));
    CHECK(!any_para_has(&doc, "коментар"));

    /* The same bytes give the same paragraphs with the same ids. */
    xlate_fdoc again;
    CHECK_INT(read_page(small_page, &again), 0);
    CHECK_INT(again.n_paras, doc.n_paras);
    for (size_t i = 0; i < doc.n_paras && i < again.n_paras; i++) {
        CHECK(xlate_fragment_equal(&doc.paras[i].source, &again.paras[i].source));
        CHECK_STR(again.paras[i].id, doc.paras[i].id);
    }
    xlate_fdoc_free(&again);
    xlate_fdoc_free(&doc);
}

/* A target built from text pieces and the source's codes named by index. */
static void set_target(xlate_para *p, const char *const *pieces, const int *code_index, size_t n) {
    xlate_fragment_free(&p->target);
    for (size_t i = 0; i < n; i++) {
        CHECK(xlate_fragment_append(&p->target, pieces[i], strlen(pieces[i])) == 0);
        if (code_index[i] >= 0) {
            const xlate_code *c = &p->source.codes[code_index[i]];
            CHECK(xlate_fragment_add_code(&p->target, c->kind, c->id, c->data, c->name, NULL) == 0);
        }
    }
}

static void test_write_targets(void) {
    xlate_fdoc doc;
    CHECK_INT(read_page(small_page, &doc), 0);
    CHECK_INT(doc.n_paras, 11);
    if (doc.n_paras != 11) {
        xlate_fdoc_free(&doc);
        return;
    }
    /* codes reordered: the bold before the link */
    const char *pieces[] = {"Text with ", "bold", " and ", "a link", ".", "", "Second line"};
    const int codes[] = {2, 3, 0, 1, 4, -1, -1};
    set_target(&doc.paras[3], pieces, codes, 7);
    /* the link's title */
    CHECK(xlate_fragment_append(&doc.paras[4].target, "Link", 4) == 0);
    /* a target that lost its code: the code stays, at the end */
    const char *pieces2[] = {"Run now & here"};
    const int codes2[] = {-1};
    set_target(&doc.paras[10], pieces2, codes2, 1);
    CHECK(xlate_fragment_append(&doc.paras[0].target, "News <of> the day", 17) == 0);
    char *out = write_page(&doc, "en", NULL);
    CHECK(out != NULL);
    if (out) {
        CHECK(strstr(out, "<p>Text with <b>bold</b> and <a href=\"/x?a=1&amp;b=2\" title=\"Link\">a link</a>."
                          "<br>Second line</p>") != NULL);
        CHECK(strstr(out, "<p>Run now &amp; here<code>ls  -l</code></p>") != NULL);
        CHECK(strstr(out, "<title>News &lt;of&gt; the day</title>") != NULL);
        CHECK(strstr(out, "<html lang=\"en\">") != NULL);
        CHECK(strstr(out, "<script>var a = \"<p>не текст</p>\"; if (a < 2 && b > 1) {}</script>") != NULL);
        CHECK(strstr(out, "<pre>код   тут</pre>") != NULL);
        CHECK(strstr(out, "<!-- коментар -->") != NULL);
        CHECK(strstr(out, "<h1>Заголовок</h1>") != NULL);
        /* what was written reads back as the translation */
        xlate_fdoc back;
        CHECK_INT(read_page(out, &back), 0);
        CHECK_STR(back.source_lang, "en");
        CHECK(para_with(&back, "Text with bold and a link.Second line") != NULL);
        CHECK(para_with(&back, "Link") != NULL);
        xlate_fdoc_free(&back);
        free(out);
    }
    /* untranslated: lang stays */
    for (size_t i = 0; i < doc.n_paras; i++)
        xlate_fragment_free(&doc.paras[i].target);
    out = write_page(&doc, "en", NULL);
    CHECK(out && strstr(out, "<html lang=\"uk\">") != NULL);
    free(out);
    xlate_fdoc_free(&doc);
}

/* The tree read keeps serves the first write; a write after one that changed it gives what the
 * same targets give on a page read afresh. */
static void test_write_twice(void) {
    xlate_fdoc doc, fresh;
    CHECK_INT(read_page(small_page, &doc), 0);
    CHECK_INT(read_page(small_page, &fresh), 0);
    CHECK(xlate_fragment_append(&doc.paras[0].target, "First", 5) == 0);
    char *one = write_page(&doc, "en", NULL);
    CHECK(one && strstr(one, "<title>First</title>") != NULL);
    xlate_fragment_free(&doc.paras[0].target);
    CHECK(xlate_fragment_append(&doc.paras[0].target, "Second", 6) == 0);
    CHECK(xlate_fragment_append(&fresh.paras[0].target, "Second", 6) == 0);
    char *two = write_page(&doc, "en", NULL), *want = write_page(&fresh, "en", NULL);
    CHECK(two && want && strcmp(two, want) == 0);
    CHECK(two && strstr(two, "First") == NULL);
    free(one);
    free(two);
    free(want);
    xlate_fdoc_free(&doc);
    xlate_fdoc_free(&fresh);
}

static char *to_cp1251(const char *utf8, size_t *out_len) {
    iconv_t cd = iconv_open("CP1251", "UTF-8");
    size_t in_left = strlen(utf8), cap = in_left + 1, left = cap;
    char *out = calloc(1, cap), *in = (char *)utf8, *o = out;
    size_t rc = iconv(cd, &in, &in_left, &o, &left);
    iconv_close(cd);
    CHECK(rc != (size_t)-1);
    *out_len = cap - left;
    return out;
}

static void test_charsets(void) {
    static const char body[] =
        "<html><head>%s<title>Новини</title></head><body><p>Генеральний секретар НАТО Єнс "
        "Столтенберг вважає, що державам блоку настав час зняти деякі обмеження на використання "
        "зброї, наданої Україні. За його словами, Київ має право на самооборону.</p></body></html>";
    const char *want = "Генеральний секретар НАТО Єнс Столтенберг вважає, що державам блоку настав час "
                       "зняти деякі обмеження на використання зброї, наданої Україні. За його словами, "
                       "Київ має право на самооборону.";
    char page[2048];
    xlate_error err = {0};
    xlate_fdoc doc;
    size_t len;
    /* meta charset */
    snprintf(page, sizeof page, body, "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">");
    char *cp = to_cp1251(page, &len);
    CHECK_INT(xlate_format_html.read(&no_read_options, "cp.html", cp, len, &doc, &err), 0);
    CHECK_STR(doc.encoding, "windows-1251");
    CHECK(doc.n_paras == 2 && strcmp(doc.paras[1].source.text, want) == 0);
    size_t out_len;
    char *out = write_page(&doc, NULL, &out_len);
    CHECK(out && memmem(out, out_len, cp + (strstr(page, "<p>") - page), 40) != NULL); /* still cp1251 */
    free(out);
    xlate_fdoc_free(&doc);
    free(cp);
    /* nothing declared: detected */
    snprintf(page, sizeof page, body, "");
    cp = to_cp1251(page, &len);
    CHECK_INT(xlate_format_html.read(&no_read_options, "cp.html", cp, len, &doc, &err), 0);
    CHECK_STR(doc.encoding, "windows-1251");
    CHECK(doc.n_paras == 2 && strcmp(doc.paras[1].source.text, want) == 0);
    xlate_fdoc_free(&doc);
    /* --encoding wins over a wrong declaration */
    snprintf(page, sizeof page, body, "<meta charset=\"utf-8\">");
    free(cp);
    cp = to_cp1251(page, &len);
    xlate_format_read_options forced = {"cp1251", 0, "uk"};
    CHECK_INT(xlate_format_html.read(&forced, "cp.html", cp, len, &doc, &err), 0);
    CHECK(doc.n_paras == 2 && strcmp(doc.paras[1].source.text, want) == 0);
    xlate_fdoc_free(&doc);
    /* the wrong declaration alone: an error naming the page and the byte */
    CHECK_INT(xlate_format_html.read(&no_read_options, "cp.html", cp, len, &doc, &err), -1);
    CHECK(err.message && strstr(err.message, "cp.html: byte offset ") && strstr(err.message, "--encoding"));
    xlate_error_clear(&err);
    free(cp);
    /* BOM, no meta */
    snprintf(page, sizeof page, "\xEF\xBB\xBF");
    snprintf(page + 3, sizeof page - 3, body, "");
    CHECK_INT(xlate_format_html.read(&no_read_options, "bom.html", page, strlen(page), &doc, &err), 0);
    CHECK_STR(doc.encoding, "UTF-8");
    CHECK(doc.n_paras == 2 && strcmp(doc.paras[0].source.text, "Новини") == 0);
    out = write_page(&doc, NULL, &out_len);
    CHECK(out && strncmp(out, "\xEF\xBB\xBF<html>", 9) == 0 && strstr(out, want));
    free(out);
    xlate_fdoc_free(&doc);
    /* an unknown declared charset */
    snprintf(page, sizeof page, body, "<meta charset=\"x-no-such\">");
    CHECK_INT(xlate_format_html.read(&no_read_options, "odd.html", page, strlen(page), &doc, &err), -1);
    CHECK(err.message && strstr(err.message, "odd.html") && strstr(err.message, "x-no-such"));
    xlate_error_clear(&err);
}

/* A fragment of a page is read as browsers read it, inside the <html> and <body> it lacks; an
 * empty page has no paragraphs and comes back empty. */
static void test_fragment_and_empty(void) {
    xlate_fdoc doc;
    CHECK_INT(read_page("<p>Фрагмент <b>сторінки</b></p>\nІ текст без тегу.\n", &doc), 0);
    CHECK_INT(doc.n_paras, 2);
    if (doc.n_paras == 2) {
        CHECK_STR(doc.paras[0].source.text, "Фрагмент сторінки");
        CHECK_STR(doc.paras[1].source.text, "І текст без тегу.");
        CHECK(xlate_fragment_append(&doc.paras[1].target, "And text with no tag.", 21) == 0);
    }
    char *out = write_page(&doc, "en", NULL);
    CHECK_STR(out, "<html lang=\"en\"><body><p>Фрагмент <b>сторінки</b></p>\nAnd text with no tag.\n</body></html>\n");
    free(out);
    xlate_fdoc_free(&doc);
    CHECK_INT(read_page(" \n", &doc), 0);
    CHECK_INT(doc.n_paras, 0);
    out = write_page(&doc, "en", NULL);
    CHECK_STR(out, " \n");
    free(out);
    xlate_fdoc_free(&doc);
}

static void test_sniff_and_names(void) {
    CHECK(xlate_format_html.sniff("<!DOCTYPE html><html>", 21) >= 90);
    CHECK(xlate_format_html.sniff("\n  <html lang=uk>", 17) >= 90);
    const char *x = "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">";
    CHECK(xlate_format_html.sniff(x, strlen(x)) >= 60);
    CHECK_INT(xlate_format_html.sniff("Просто текст про <b> і </b>", 30), 0);
    CHECK_INT(xlate_format_html.sniff("msgid \"\"\nmsgstr \"\"\n", 19), 0);
    CHECK_STR(xlate_format_html.name, "html");
    CHECK_STR(xlate_format_html.extensions[0], "html");
    CHECK_STR(xlate_format_html.extensions[1], "htm");
    CHECK_STR(xlate_format_html.extensions[2], "xhtml");
}

/* --- the corpus -------------------------------------------------------------------------------- */

/* libxml2's canonical form of a page: parsed by its HTML parser and serialized again. */
static char *canonical(const char *bytes, size_t len, const char *encoding) {
    if (len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0)
        bytes += 3, len -= 3;
    htmlDocPtr d = htmlReadMemory(bytes, (int)len, NULL, encoding,
                                  HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                      HTML_PARSE_NONET | HTML_PARSE_NODEFDTD | HTML_PARSE_IGNORE_ENC);
    if (!d)
        return NULL;
    xmlChar *mem = NULL;
    int size = 0;
    htmlDocDumpMemoryFormat(d, &mem, &size, 0);
    xmlFreeDoc(d);
    char *out = mem ? strndup((const char *)mem, (size_t)size) : NULL;
    xmlFree(mem);
    return out;
}

/* The bodies of the page's <script> elements, joined with a line of "@@" between them. */
static char *script_bodies(const char *page, size_t len) {
    xlate_buf b = {0};
    const char *end = page + len;
    for (const char *p = page; (p = memmem(p, (size_t)(end - p), "<script", 7)) != NULL;) {
        const char *open_end = memchr(p, '>', (size_t)(end - p));
        const char *close = open_end ? memmem(open_end, (size_t)(end - open_end), "</script>", 9) : NULL;
        if (!close)
            break;
        CHECK(xlate_buf_append(&b, open_end + 1, (size_t)(close - open_end - 1)) == 0);
        CHECK(xlate_buf_puts(&b, "\n@@\n") == 0);
        p = close + 9;
    }
    CHECK(xlate_buf_putc(&b, '\0') == 0);
    return b.data;
}

static void check_same_page(const char *file, const char *what, const char *in, size_t in_len, const char *out,
                            size_t out_len, const char *encoding) {
    char *a = canonical(in, in_len, encoding), *b = canonical(out, out_len, encoding);
    if (!a || !b || strcmp(a, b) != 0) {
        fprintf(stderr, "%s (%s): the written page differs from the input after libxml2's canonical form\n",
                file, what);
        check_failures++;
    }
    free(a);
    free(b);
    char *sa = script_bodies(in, in_len), *sb = script_bodies(out, out_len);
    if (strcmp(sa, sb) != 0) {
        fprintf(stderr, "%s (%s): a script changed\n", file, what);
        check_failures++;
    }
    free(sa);
    free(sb);
}

/* What `xmllint --html` says is wrong with a page, without line numbers, one kind a line;
 * libxml2's complaint about HTML5 elements it does not know (nav, article, …) left out. */
static char *xmllint_errors(const char *page, size_t len) {
    char path[] = "/tmp/test_html_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return strdup("");
    CHECK(write(fd, page, len) == (ssize_t)len);
    close(fd);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "xmllint --html --noout %s 2>&1 | grep -a 'error' | grep -av 'Tag .* invalid' | "
                              "sed 's/^[^:]*:[0-9]*://' | sort -u", path);
    FILE *p = popen(cmd, "r");
    xlate_buf b = {0};
    char line[512];
    while (p && fgets(line, sizeof line, p))
        CHECK(xlate_buf_puts(&b, line) == 0);
    CHECK(p && pclose(p) == 0);
    unlink(path);
    CHECK(xlate_buf_putc(&b, '\0') == 0);
    return b.data;
}

static const char prefix[] = "Х ";

static void prefix_all(xlate_fdoc *doc) {
    size_t pl = strlen(prefix);
    for (size_t i = 0; i < doc->n_paras; i++) {
        xlate_para *p = &doc->paras[i];
        xlate_fragment_free(&p->target);
        CHECK(xlate_fragment_append(&p->target, prefix, pl) == 0);
        CHECK(xlate_fragment_append(&p->target, p->source.text, p->source.len) == 0);
        xlate_fragment t = p->target;
        memset(&p->target, 0, sizeof p->target);
        CHECK(xlate_fragment_copy(&p->target, &p->source) == 0);
        free(p->target.text);
        p->target.text = t.text;
        p->target.len = t.len;
        for (size_t k = 0; k < p->target.n_codes; k++)
            p->target.codes[k].pos += pl;
    }
}

static void test_corpus_page(const char *dir, const char *file) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    size_t len;
    char *in = check_read_file(path, &len);
    CHECK(in != NULL);
    if (!in)
        return;
    xlate_error err = {0};
    xlate_fdoc doc;
    if (xlate_format_html.read(&no_read_options, file, in, len, &doc, &err) != 0) {
        fprintf(stderr, "%s: %s\n", file, err.message);
        check_failures++;
        xlate_error_clear(&err);
        free(in);
        return;
    }
    if (doc.n_paras < 5) {
        fprintf(stderr, "%s: only %zu paragraphs\n", file, doc.n_paras);
        check_failures++;
    }
    size_t out_len;
    char *out = write_page(&doc, "en", &out_len);
    CHECK(out != NULL);
    if (out)
        check_same_page(file, "no targets", in, len, out, out_len, doc.encoding);
    free(out);
    for (size_t i = 0; i < doc.n_paras; i++)
        CHECK(xlate_fragment_copy(&doc.paras[i].target, &doc.paras[i].source) == 0);
    out = write_page(&doc, "en", &out_len);
    CHECK(out != NULL);
    if (out)
        check_same_page(file, "targets = sources", in, len, out, out_len, doc.encoding);
    free(out);
    /* Every paragraph rebuilt: it reads back as its target, codes where the target put them. */
    prefix_all(&doc);
    out = write_page(&doc, "en", &out_len);
    CHECK(out != NULL);
    xlate_fdoc back;
    if (out && xlate_format_html.read(&no_read_options, file, out, out_len, &back, &err) == 0) {
        CHECK_STR(back.source_lang, "en");
        CHECK_INT(back.n_paras, doc.n_paras);
        for (size_t i = 0; i < doc.n_paras && i < back.n_paras; i++) {
            const xlate_fragment *t = &doc.paras[i].target, *s = &back.paras[i].source;
            int same = t->len == s->len && memcmp(t->text, s->text, t->len) == 0 && t->n_codes == s->n_codes;
            for (size_t k = 0; same && k < t->n_codes; k++)
                same = t->codes[k].pos == s->codes[k].pos && t->codes[k].kind == s->codes[k].kind &&
                       t->codes[k].id == s->codes[k].id && strcmp(t->codes[k].name, s->codes[k].name) == 0;
            if (!same) {
                fprintf(stderr, "%s: %s reads back as \"%s\", want \"%s\"\n", file, doc.paras[i].id, s->text,
                        t->text);
                check_failures++;
            }
        }
        char *sa = script_bodies(in, len), *sb = script_bodies(out, out_len);
        CHECK(strcmp(sa, sb) == 0);
        free(sa);
        free(sb);
        /* the rebuilt page parses with no complaint the page itself did not have */
        char *ea = xmllint_errors(in, len), *eb = xmllint_errors(out, out_len);
        if (strcmp(ea, eb) != 0) {
            fprintf(stderr, "%s: xmllint --html on the rebuilt page:\n%s\non the page:\n%s\n", file, eb, ea);
            check_failures++;
        }
        free(ea);
        free(eb);
        xlate_fdoc_free(&back);
    } else if (out) {
        fprintf(stderr, "%s: the rebuilt page does not read back: %s\n", file, err.message);
        check_failures++;
        xlate_error_clear(&err);
    }
    free(out);
    xlate_fdoc_free(&doc);
    free(in);
}

static void test_corpus(void) {
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/format/corpus/html", TEST_DATA_DIR);
    CHECK(system("command -v xmllint > /dev/null") == 0); /* libxml2-utils, scripts/bootstrap */
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    if (!d)
        return;
    int pages = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        const char *dot = strrchr(e->d_name, '.');
        if (!dot || (strcmp(dot, ".html") != 0 && strcmp(dot, ".htm") != 0 && strcmp(dot, ".xhtml") != 0))
            continue;
        test_corpus_page(dir, e->d_name);
        pages++;
    }
    closedir(d);
    CHECK(pages >= 12);
    /* the OBOZ.UA-shaped sample page the documentation shows */
    snprintf(dir, sizeof dir, "%s/../samples/oboz", TEST_DATA_DIR);
    test_corpus_page(dir, "oboz-stoltenberg.uk.html");
}

int main(void) {
    test_paragraphs_and_codes();
    test_write_targets();
    test_write_twice();
    test_charsets();
    test_fragment_and_empty();
    test_sniff_and_names();
    test_corpus();
    return check_result("test_html");
}
