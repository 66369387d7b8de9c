/*
 * test_md: the Markdown format module (core/format/md) over the corpus in tests/format/corpus/md:
 * round trip byte for byte (targets NULL, targets copies of the sources), what is a paragraph and
 * what is a code, and a translated document read back: its paragraphs are the targets written.
 */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "format_check.h"
#include "readfile.h"
#include "md/md.h"

static const char *const corpus[] = {"README.md", "news_article.md", "nested_lists.md", "api_guide.md",
                                     "schedule_table.md", "widgets_html.md", NULL};

/* The file at `path` whole (core/base/readfile.h), or NULL with the reason said. */
static char *slurp(const char *path, size_t *len) {
    char *data = NULL;
    xlate_error err = {0};
    if (xlate_read_file(path, &data, len, &err) != 0)
        fprintf(stderr, "%s\n", err.message);
    xlate_error_clear(&err);
    return data;
}

static int read_bytes(const char *name, const char *bytes, size_t len, xlate_fdoc *doc) {
    xlate_format_read_options o = {0};
    xlate_error err = {0};
    int rc = xlate_format_md.read(&o, name, bytes, len, doc, &err);
    if (rc != 0)
        fprintf(stderr, "%s\n", err.message);
    xlate_error_clear(&err);
    return rc;
}

static int read_corpus(const char *file, xlate_fdoc *doc, char **bytes, size_t *len) {
    char path[512];
    snprintf(path, sizeof path, "%s/format/corpus/md/%s", TEST_DATA_DIR, file);
    *bytes = slurp(path, len);
    return *bytes ? read_bytes(file, *bytes, *len, doc) : -1;
}

static int write_doc(const xlate_fdoc *doc, xlate_buf *out) {
    xlate_format_write_options o = {"uk", "en", "test"};
    xlate_error err = {0};
    int rc = xlate_format_md.write(doc, &o, out, &err);
    if (rc != 0)
        fprintf(stderr, "%s\n", err.message);
    xlate_error_clear(&err);
    return rc;
}

static const xlate_para *para_with(const xlate_fdoc *doc, const char *text) {
    for (size_t i = 0; i < doc->n_paras; i++)
        if (strcmp(doc->paras[i].source.text, text) == 0)
            return &doc->paras[i];
    return NULL;
}

static int has_code(const xlate_para *p, xlate_seg_code_kind kind, const char *data) {
    for (size_t i = 0; p && i < p->source.n_codes; i++)
        if (p->source.codes[i].kind == kind && strcmp(p->source.codes[i].data, data) == 0)
            return 1;
    return 0;
}

/* "EN " before each paragraph's text, the codes kept at their places. */
static void translate_all(xlate_fdoc *doc) {
    static const char prefix[] = "EN ";
    for (size_t i = 0; i < doc->n_paras; i++) {
        xlate_para *p = &doc->paras[i];
        xlate_fragment_free(&p->target);
        CHECK(xlate_fragment_append(&p->target, prefix, 3) == 0);
        CHECK(xlate_fragment_append(&p->target, p->source.text, p->source.len) == 0);
        p->target.codes = calloc(p->source.n_codes + 1, sizeof *p->target.codes);
        for (size_t k = 0; k < p->source.n_codes; k++) {
            xlate_code c = p->source.codes[k];
            c.pos += 3;
            c.data = strdup(c.data);
            c.name = c.name ? strdup(c.name) : NULL;
            c.native_id = NULL;
            p->target.codes[p->target.n_codes++] = c;
        }
    }
}

static void test_round_trip(const char *file) {
    xlate_fdoc doc;
    char *bytes = NULL;
    size_t len = 0;
    CHECK(read_corpus(file, &doc, &bytes, &len) == 0);
    CHECK(doc.n_paras >= 4);
    xlate_buf out = XLATE_BUF_INIT;
    CHECK(write_doc(&doc, &out) == 0);
    CHECK(out.len == len && memcmp(out.data, bytes, len) == 0);
    for (size_t i = 0; i < doc.n_paras; i++)
        CHECK(xlate_fragment_copy(&doc.paras[i].target, &doc.paras[i].source) == 0);
    xlate_buf_reset(&out);
    CHECK(write_doc(&doc, &out) == 0);
    CHECK(out.len == len && memcmp(out.data, bytes, len) == 0);
    xlate_buf_free(&out);
    xlate_fdoc_free(&doc);
    free(bytes);
}

/* Written with every paragraph translated and read again: the same number of paragraphs, each
 * the target written, codes and all; the parts that are no paragraph are where they were. */
static void test_translated(const char *file, const char *const *kept) {
    xlate_fdoc doc;
    char *bytes = NULL;
    size_t len = 0;
    CHECK(read_corpus(file, &doc, &bytes, &len) == 0);
    translate_all(&doc);
    xlate_buf out = XLATE_BUF_INIT;
    CHECK(write_doc(&doc, &out) == 0);
    xlate_fdoc back;
    CHECK(read_bytes(file, out.data, out.len, &back) == 0);
    CHECK_INT(back.n_paras, doc.n_paras);
    for (size_t i = 0; i < back.n_paras && i < doc.n_paras; i++) {
        if (!xlate_fragment_equal(&back.paras[i].source, &doc.paras[i].target)) {
            fprintf(stderr, "%s: paragraph %zu read back as \"%s\", written \"%s\"\n", file, i + 1,
                    back.paras[i].source.text, doc.paras[i].target.text);
            CHECK(0);
        }
    }
    for (size_t i = 0; kept && kept[i]; i++) {
        if (!strstr(out.data, kept[i])) {
            fprintf(stderr, "%s: \"%s\" is not in the translated document:\n%s\n", file, kept[i], out.data);
            CHECK(0);
        }
    }
    xlate_fdoc_free(&back);
    xlate_buf_free(&out);
    xlate_fdoc_free(&doc);
    free(bytes);
}

static void test_readme(void) {
    xlate_fdoc doc;
    char *bytes = NULL;
    size_t len = 0;
    CHECK(read_corpus("README.md", &doc, &bytes, &len) == 0);
    const xlate_para *h = para_with(&doc, "Газетар");
    CHECK(h && h->source.n_codes == 0);
    const xlate_para *p = para_with(&doc, "Газетар — інструмент для редакцій, що збирає новини з RSS-стрічок і готує "
                                          "їх до публікації. Він працює з українською та англійською мовами.");
    CHECK(p != NULL);
    CHECK(has_code(p, XLATE_SEG_CODE_OPEN, "**") && has_code(p, XLATE_SEG_CODE_OPEN, "_"));
    /* Code spans are standalone codes, code blocks no paragraph. */
    const xlate_para *pip = para_with(&doc, "Потрібні Python 3.11 і :");
    CHECK(has_code(pip, XLATE_SEG_CODE_STANDALONE, "`pip`"));
    for (size_t i = 0; i < doc.n_paras; i++)
        CHECK(strstr(doc.paras[i].source.text, "pip install") == NULL);
    /* A link's target stays in its closing code; an autolink is one code. */
    const xlate_para *lic = para_with(&doc, "Розповсюджується за ліцензією MIT. Подробиці у файлі LICENSE.");
    CHECK(has_code(lic, XLATE_SEG_CODE_OPEN, "[") && has_code(lic, XLATE_SEG_CODE_CLOSE, "](LICENSE)"));
    const xlate_para *run = para_with(&doc, "Перегляньте чернетки у вебінтерфейсі на .");
    CHECK(has_code(run, XLATE_SEG_CODE_STANDALONE, "<http://localhost:8080>"));
    /* The badge: an image inside a link, its alt text translated. */
    const xlate_para *badge = para_with(&doc, "Збірка");
    CHECK(has_code(badge, XLATE_SEG_CODE_OPEN, "![") &&
          has_code(badge, XLATE_SEG_CODE_CLOSE, "](https://ci.example.org/gazetar/badge.svg)"));
    xlate_fdoc_free(&doc);
    free(bytes);
}

static void test_front_matter_tables_html(void) {
    xlate_fdoc doc;
    char *bytes = NULL;
    size_t len = 0;
    CHECK(read_corpus("news_article.md", &doc, &bytes, &len) == 0);
    for (size_t i = 0; i < doc.n_paras; i++)
        CHECK(strstr(doc.paras[i].source.text, "tags:") == NULL && strstr(doc.paras[i].source.text, "title:") == NULL);
    const xlate_para *abbr = para_with(&doc, "Тролейбуси обладнають кондиціонерами, USB-зарядками та пандусами "
                                             "для людей на візках. За словами заступника голови КМДА, вартість "
                                             "однієї машини становить близько 18 млн грн.");
    CHECK(has_code(abbr, XLATE_SEG_CODE_STANDALONE, "<abbr title=\"мільйонів гривень\">"));
    const xlate_para *img = para_with(&doc, "Новий тролейбус на вулиці Хрещатик");
    CHECK(has_code(img, XLATE_SEG_CODE_CLOSE, "](/img/2025/04/trolleybus.jpg \"Фото: КМДА\")"));
    xlate_fdoc_free(&doc);
    free(bytes);

    CHECK(read_corpus("schedule_table.md", &doc, &bytes, &len) == 0);
    CHECK(para_with(&doc, "День") && para_with(&doc, "Програма") && para_with(&doc, "Понеділок"));
    CHECK(para_with(&doc, "Прямий ефір | запитання глядачів") != NULL);
    CHECK(para_with(&doc, "09:00") == NULL); /* no words: nothing to translate */
    xlate_fdoc_free(&doc);
    free(bytes);

    CHECK(read_corpus("widgets_html.md", &doc, &bytes, &len) == 0);
    for (size_t i = 0; i < doc.n_paras; i++)
        CHECK(strstr(doc.paras[i].source.text, "перейменування") == NULL);
    const xlate_para *ref = para_with(&doc, "Детальніше про налаштування віджетів і правила модерації. Див. також "
                                            "довідку.");
    CHECK(has_code(ref, XLATE_SEG_CODE_CLOSE, "][widgets]") && has_code(ref, XLATE_SEG_CODE_CLOSE, "][]") &&
          has_code(ref, XLATE_SEG_CODE_CLOSE, "]"));
    xlate_fdoc_free(&doc);
    free(bytes);
}

static void test_sniff(void) {
    const char *md = "# Title\n\n- one\n- two\n\nSee [docs](x.md).\n";
    CHECK(xlate_format_md.sniff(md, strlen(md)) > 0);
    CHECK(xlate_format_md.sniff(md, strlen(md)) < 50); /* weak: below PO's, XLIFF's, HTML's */
    CHECK(xlate_format_md.sniff("Просто текст.\nДругий рядок.\n", 38) == 0);
}

/* Every prefix of every corpus file: format_check.h's check_prefixes. */
static void test_truncated(void) {
    for (size_t i = 0; corpus[i]; i++) {
        xlate_fdoc doc;
        char *bytes = NULL;
        size_t len = 0;
        CHECK(read_corpus(corpus[i], &doc, &bytes, &len) == 0);
        xlate_fdoc_free(&doc);
        check_prefixes(&xlate_format_md, corpus[i], bytes, len);
        free(bytes);
    }
}

int main(void) {
    for (size_t i = 0; corpus[i]; i++)
        test_round_trip(corpus[i]);
    test_readme();
    test_front_matter_tables_html();
    test_sniff();
    test_truncated();
    const char *const readme_kept[] = {"```sh\npip install gazetar\ngazetar --init ~/newsroom\n```\n",
                                       "> EN **Увага:** стрічки без дати публікації пропускаються. Див. [розділ про фільтри](docs/filters.md#dates).\n", "## EN Встановлення\n",
                                       "3. EN Перегляньте чернетки у вебінтерфейсі на <http://localhost:8080>.", NULL};
    test_translated("README.md", readme_kept);
    const char *const news_kept[] = {"---\ntitle: \"Київ отримає 40 нових тролейбусів\"\n", "# EN Київ отримає",
                                     "повідомляє [пресслужба КМДА](https://kyivcity.example.gov.ua/news/123 \"Новини КМДА\")",
                                     "> EN «Ми оновлюємо", NULL};
    test_translated("news_article.md", news_kept);
    const char *const lists_kept[] = {"  - EN заголовок дня", "  2. EN Термінові новини позначено міткою `breaking`. Мітку знімають через дві години.\n", "10. EN Нумерація", NULL};
    test_translated("nested_lists.md", lists_kept);
    const char *const api_kept[] = {"EN API для партнерів\n=================\n",
                                    "    curl -H \"Authorization: Bearer $TOKEN\" \\\n", "`updated`.\\\nСтарі ключі",
                                    "~~~json\n{\n  \"id\": 48213,", NULL};
    test_translated("api_guide.md", api_kept);
    const char *const table_kept[] = {"| EN День | EN Час | EN Програма |", "| EN Понеділок | 09:00 | EN *Ранок з нами* |", "|------|:---:|----------|",
                                      "EN Прямий ефір \\| запитання глядачів", NULL};
    test_translated("schedule_table.md", table_kept);
    const char *const html_kept[] = {"<div class=\"poll\" data-poll-id=\"771\">\n  <p>Чи підтримуєте",
                                     "EN Детальніше про [налаштування віджетів][widgets] і [правила модерації][]. Див. також [довідку].\n", "[widgets]: https://example.org/help/widgets",
                                     NULL};
    test_translated("widgets_html.md", html_kept);
    return check_result("test_md");
}
