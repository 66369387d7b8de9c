/*
 * test_writer_review: the review page (--format review) of hand-built documents. Every segment
 * is one row with its output id and status; hostile text (a <script>, an <img onerror>, a term's
 * note and an inline code's markup that try to close an attribute) is written as text and never
 * as markup; the Content-Security-Policy names the SHA-256 of the page's own style and script as
 * written; term spans are marked on both sides with their note on hover, inline codes are
 * tokens, control characters visible; messages carry their plugin and code, matches their score;
 * counts per status are right for the document and the stream; a right-to-left target language
 * gets dir="rtl"; a document written in parts gives the page written whole.
 *
 * Run with `emit` it prints the page of the hostile and mixed documents on stdout, for
 * review_page.sh (xmllint) and review_browser.py (headless Chromium).
 */
#include <nettle/base64.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "document.h"
#include "review.h"
#include "writer.h"

typedef struct seg_spec {
    const char *source;
    size_t paragraph;
} seg_spec;

/* A document whose text is the sources joined by a space, one segment each. */
static void build_doc(xlate_doc *doc, const char *name, const seg_spec *specs, size_t n) {
    size_t cap = 1, len = 0;
    xlate_span *spans = calloc(n ? n : 1, sizeof *spans);
    for (size_t i = 0; i < n; i++)
        cap += strlen(specs[i].source) + 1;
    char *text = malloc(cap);
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(specs[i].source);
        if (i)
            text[len++] = ' ';
        spans[i].start = len;
        memcpy(text + len, specs[i].source, l);
        len += l;
        spans[i].end = len;
        spans[i].paragraph = specs[i].paragraph;
    }
    text[len] = '\0';
    CHECK_INT(xlate_doc_init(doc, name, text, len, spans, n), 0);
    free(spans);
}

static size_t offset_of(const char *text, const char *needle) {
    const char *p = strstr(text, needle);
    CHECK(p != NULL);
    return p ? (size_t)(p - text) : 0;
}

static void set_target(xlate_seg *seg, const char *t) {
    CHECK_INT(xlate_seg_set_target(seg, t, strlen(t)), 0);
}

/* A term on `src` in the source and `in_target` in the target. */
static void add_term(xlate_seg *seg, const char *src, const char *target, const char *note,
                     const char *in_target) {
    size_t s = offset_of(seg->source, src);
    CHECK_INT(xlate_seg_add_term(seg, s, s + strlen(src), target, note, 0), 0);
    for (size_t k = 0; k < seg->n_terms; k++) {
        if (seg->terms[k].start == s && in_target) {
            seg->terms[k].has_target_pos = 1;
            seg->terms[k].target_start = offset_of(seg->target, in_target);
            seg->terms[k].target_end = seg->terms[k].target_start + strlen(in_target);
        }
    }
}

/* The hostile text: each would run a script or make an element if it were written as markup. */
#define HOSTILE_SCRIPT "<script>document.title='pwned'</script>"
#define HOSTILE_IMG "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"

/* Six segments, one of each kind a reviewer meets: ok with terms (a note), a warning from two
 * plugins, a failed one, a filtered one, hostile text with a hostile term note, and a
 * translation memory's match with a candidate. */
static void build_news(xlate_doc *doc) {
    static const seg_spec specs[] = {
        {"Столтенберг прибув до Києва.", 0},
        {"Бюджет: 5 млн\x01 гривень.", 0},
        {"Помилка тут.", 1},
        {"Читайте також: реклама.", 1},
        {"Текст " HOSTILE_SCRIPT " і " HOSTILE_IMG " кінець.", 2},
        {"Інші новини.", 2},
    };
    build_doc(doc, "news <b>&\".txt", specs, 6);
    xlate_seg *s = doc->segs;
    set_target(&s[0], "Stoltenberg arrived in Kyiv.");
    add_term(&s[0], "Столтенберг", "Stoltenberg", "NATO Secretary-General", "Stoltenberg");
    add_term(&s[0], "Києва", "Kyiv", NULL, "Kyiv");
    set_target(&s[1], "Budget: 5 million\x01 hryvnias.");
    CHECK_INT(xlate_seg_add_message(&s[1], XLATE_SEG_WARNING, "qa", "numbers",
                                    "numbers differ: 5 <> 5000000"), 0);
    CHECK_INT(xlate_seg_add_message(&s[1], XLATE_SEG_WARNING, "exec", NULL, "slow answer"), 0);
    set_target(&s[2], "Partial");
    CHECK_INT(xlate_seg_add_message(&s[2], XLATE_SEG_FAILED, "apertium", "engine_died",
                                    "the engine died"), 0);
    CHECK_INT(xlate_seg_add_message(&s[3], XLATE_SEG_FILTERED, "boiler", NULL, "boilerplate"), 0);
    set_target(&s[4], "Text " HOSTILE_SCRIPT " and " HOSTILE_IMG " end.");
    add_term(&s[4], "Текст", "Text", HOSTILE_IMG, "Text");
    CHECK_INT(xlate_seg_add_match(&s[5], "tm", "Other news.", 11, 100, "Інші новини.",
                                  strlen("Інші новини."), 1), 0);
    CHECK_INT(xlate_seg_add_match(&s[5], "tm", "Other <news>!", 13, 76.5, "Інші <новини>!",
                                  strlen("Інші <новини>!"), 0), 0);
}

/* A page's segment with inline codes: <b>НАТО</b> placed by the translator, and a code whose
 * markup tries to break out of the title attribute. */
static void build_codes(xlate_doc *doc) {
    static const seg_spec specs[] = {{"Голова НАТО прибув.", 0}};
    build_doc(doc, "page.html", specs, 1);
    xlate_seg *s = doc->segs;
    size_t at = offset_of(s->source, "НАТО"), end = at + strlen("НАТО");
    CHECK_INT(xlate_seg_add_code(s, at, XLATE_SEG_CODE_OPEN, 1, 0, "<b>"), 0);
    CHECK_INT(xlate_seg_add_code(s, end, XLATE_SEG_CODE_CLOSE, 1, 0, "</b>"), 0);
    CHECK_INT(xlate_seg_add_code(s, s->source_len, XLATE_SEG_CODE_STANDALONE, 2, 0,
                                 "<img src=x onerror=\"document.title='code'\">"), 0);
    set_target(s, "The NATO head arrived.");
    add_term(s, "НАТО", "NATO", NULL, "NATO");
    s->codes[0].has_target_pos = 1, s->codes[0].target_pos = 4;
    s->codes[1].has_target_pos = 1, s->codes[1].target_pos = 8;
    s->codes[2].has_target_pos = 1, s->codes[2].target_pos = s->target_len;
}

static char *write_page(const char *to, xlate_doc *docs, size_t n) {
    xlate_writer_options opts = {XLATE_FORMAT_REVIEW, "uk", to, "9.8.7"};
    xlate_writer *w = NULL;
    xlate_buf out = XLATE_BUF_INIT;
    CHECK_INT(xlate_writer_new(&opts, &w), 0);
    if (!w)
        return NULL;
    CHECK_INT(xlate_writer_begin(w, &out), 0);
    for (size_t i = 0; i < n; i++)
        CHECK_INT(xlate_writer_document(w, &docs[i], &out), 0);
    CHECK_INT(xlate_writer_end(w, &out), 0);
    xlate_writer_free(w);
    return xlate_buf_steal(&out, NULL);
}

static size_t count(const char *hay, const char *needle) {
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* The text between `open` and the next `close` (allocated), or NULL. */
static char *between(const char *page, const char *open, const char *close) {
    const char *a = strstr(page, open), *b;
    if (!a || !(b = strstr(a += strlen(open), close)))
        return NULL;
    return strndup(a, (size_t)(b - a));
}

static void check_csp_names(const char *page, const char *element, const char *directive) {
    char open[16], close[16], want[80];
    snprintf(open, sizeof open, "<%s>", element);
    snprintf(close, sizeof close, "</%s>", element);
    char *body = between(page, open, close);
    CHECK(body != NULL);
    if (!body)
        return;
    struct sha256_ctx c;
    uint8_t d[SHA256_DIGEST_SIZE];
    char b64[BASE64_ENCODE_RAW_LENGTH(SHA256_DIGEST_SIZE) + 1] = "";
    sha256_init(&c);
    sha256_update(&c, strlen(body), (const uint8_t *)body);
    sha256_digest(&c, sizeof d, d);
    base64_encode_raw(b64, sizeof d, d);
    b64[BASE64_ENCODE_RAW_LENGTH(SHA256_DIGEST_SIZE)] = '\0';
    snprintf(want, sizeof want, "%s 'sha256-%s'", directive, b64);
    CHECK(strstr(page, want) != NULL);
    free(body);
}

static void test_rows_and_statuses(void) {
    xlate_doc docs[2];
    build_news(&docs[0]);
    build_codes(&docs[1]);
    char *page = write_page("en", docs, 2);
    CHECK(page != NULL);
    if (page) {
        CHECK_INT((long)count(page, "<tr id=\"s"), 7);
        CHECK(strstr(page, "<tr id=\"s1\" data-status=\"ok\"") != NULL);
        CHECK(strstr(page, "<tr id=\"s2\" data-status=\"warning\"") != NULL);
        CHECK(strstr(page, "<tr id=\"s3\" data-status=\"failed\"") != NULL);
        CHECK(strstr(page, "<tr id=\"s4\" data-status=\"filtered\"") != NULL);
        /* ids go on into the second document */
        CHECK(strstr(page, "<tr id=\"s7\" data-status=\"ok\"") != NULL);
        CHECK_INT((long)count(page, "<section class=\"doc\">"), 2);
        /* the stream's counts and the filter, problems first */
        CHECK(strstr(page, "<p class=\"totals\"><b>7</b> segments: <span class=\"st-failed\" "
                           "data-count=\"failed\">1 failed</span>, <span class=\"st-warning\" "
                           "data-count=\"warning\">1 warning</span>, <span class=\"st-ok\" "
                           "data-count=\"ok\">4 ok</span>, <span class=\"st-filtered\" "
                           "data-count=\"filtered\">1 filtered</span> in 2 documents</p>") != NULL);
        CHECK(strstr(page, "data-filter=\"failed\" checked> failed (1)") != NULL);
        CHECK(strstr(page, "data-filter=\"ok\" checked> ok (4)") != NULL);
        /* each document's own counts */
        CHECK(strstr(page, "<p class=\"doc-counts\"><b>6</b> segments:") != NULL);
        CHECK(strstr(page, "<p class=\"doc-counts\"><b>1</b> segment: <span class=\"st-failed\" "
                           "data-count=\"failed\">0 failed</span>") != NULL);
        /* a failed segment's partial target is not shown */
        CHECK(strstr(page, "Partial") == NULL);
        CHECK(strstr(page, "no target: failed") != NULL);
        /* messages with their plugin and code */
        CHECK(strstr(page, "<li class=\"m-warning\"><span class=\"plugin\">qa</span> <code "
                           "class=\"mcode\">numbers</code> numbers differ: 5 &lt;&gt; 5000000</li>") != NULL);
        CHECK(strstr(page, "<li class=\"m-warning\"><span class=\"plugin\">exec</span> slow answer</li>") != NULL);
        CHECK(strstr(page, "<code class=\"mcode\">engine_died</code>") != NULL);
        /* the memory's match and its candidate */
        CHECK(strstr(page, "from <span class=\"plugin\">tm</span> <span class=\"score\">100%</span>") != NULL);
        CHECK(strstr(page, "<span class=\"score\">76.5%</span> <span class=\"plugin\">tm</span>: "
                           "<span class=\"msrc\" lang=\"uk\">Інші &lt;новини&gt;!</span>") != NULL);
        /* a control character is shown, not written */
        CHECK(strstr(page, "5 млн<span class=\"ctl\">U+0001</span> гривень") != NULL);
        CHECK(strchr(page, '\x01') == NULL);
        /* the document's name as text */
        CHECK(strstr(page, "<h2>news &lt;b&gt;&amp;&quot;.txt</h2>") != NULL);
    }
    free(page);
    xlate_doc_free(&docs[0]);
    xlate_doc_free(&docs[1]);
}

static void test_terms_and_codes(void) {
    xlate_doc docs[2];
    build_news(&docs[0]);
    build_codes(&docs[1]);
    char *page = write_page("en", docs, 2);
    if (page) {
        /* marked on both sides, the note on hover */
        CHECK(strstr(page, "<td class=\"src\" lang=\"uk\" dir=\"ltr\"><mark class=\"term noted\" "
                           "title=\"Столтенберг → Stoltenberg\nNATO Secretary-General\">Столтенберг"
                           "</mark> прибув до <mark class=\"term\" title=\"Києва → Kyiv\">Києва"
                           "</mark>.</td>") != NULL);
        CHECK(strstr(page, "<td class=\"tgt\" lang=\"en\" dir=\"ltr\"><mark class=\"term noted\" "
                           "title=\"Столтенберг → Stoltenberg\nNATO Secretary-General\">Stoltenberg"
                           "</mark> arrived in <mark class=\"term\" title=\"Києва → Kyiv\">Kyiv"
                           "</mark>.</td>") != NULL);
        /* codes as tokens around the term, their markup escaped in the title */
        CHECK(strstr(page, "Голова <span class=\"code\" title=\"&lt;b&gt;\">{1}</span><mark "
                           "class=\"term\" title=\"НАТО → NATO\">НАТО</mark><span class=\"code\" "
                           "title=\"&lt;/b&gt;\">{/1}</span> прибув.<span class=\"code\" "
                           "title=\"&lt;img src=x onerror=&quot;document.title='code'&quot;&gt;\">"
                           "{2/}</span></td>") != NULL);
        CHECK(strstr(page, "The <span class=\"code\" title=\"&lt;b&gt;\">{1}</span><mark "
                           "class=\"term\" title=\"НАТО → NATO\">NATO</mark><span class=\"code\" "
                           "title=\"&lt;/b&gt;\">{/1}</span> head") != NULL);
    }
    free(page);
    xlate_doc_free(&docs[0]);
    xlate_doc_free(&docs[1]);
}

/* Nothing from the data is markup: the page has one <script> (its own), no <img>, and every
 * hostile string is there escaped. */
static void test_hostile_text(void) {
    xlate_doc doc;
    build_news(&doc);
    char *page = write_page("en", &doc, 1);
    if (page) {
        CHECK_INT((long)count(page, "<script"), 1);
        CHECK_INT((long)count(page, "<img"), 0);
        CHECK(strstr(page, HOSTILE_SCRIPT) == NULL);
        CHECK(strstr(page, "&lt;script&gt;document.title='pwned'&lt;/script&gt;") != NULL);
        CHECK_INT((long)count(page, "&quot;&gt;&lt;img src=x onerror=&quot;document.body."
                                    "setAttribute('data-pwned','1')&quot;&gt;"),
                  4); /* source, target, and the term's note on both sides */
        check_csp_names(page, "script", "script-src");
        check_csp_names(page, "style", "style-src");
        CHECK(strstr(page, "default-src 'none'") != NULL);
    }
    free(page);
    xlate_doc_free(&doc);
}

/* The language's direction on its cells: Arabic and Hebrew right to left. */
static void test_direction(void) {
    xlate_doc doc;
    static const seg_spec specs[] = {{"Привіт.", 0}};
    build_doc(&doc, "a.txt", specs, 1);
    set_target(&doc.segs[0], "مرحبا.");
    char *page = write_page("ar", &doc, 1);
    if (page) {
        CHECK(strstr(page, "<td class=\"src\" lang=\"uk\" dir=\"ltr\">") != NULL);
        CHECK(strstr(page, "<td class=\"tgt\" lang=\"ar\" dir=\"rtl\">مرحبا.</td>") != NULL);
    }
    free(page);
    xlate_doc_free(&doc);
    CHECK_STR(xlate_review_dir("he"), "rtl");
    CHECK_STR(xlate_review_dir("fa-IR"), "rtl");
    CHECK_STR(xlate_review_dir("sr-Latn"), "ltr");
    CHECK_STR(xlate_review_dir("uk"), "ltr");
    CHECK_STR(xlate_review_dir(""), "ltr");
}

/* Written in parts, as `xlate run` streams a long document, the page is the page written whole. */
static void test_parts(void) {
    xlate_doc docs[2];
    build_news(&docs[0]);
    build_codes(&docs[1]);
    char *whole = write_page("en", docs, 2);
    xlate_writer_options opts = {XLATE_FORMAT_REVIEW, "uk", "en", "9.8.7"};
    xlate_writer *w = NULL;
    xlate_buf out = XLATE_BUF_INIT;
    CHECK_INT(xlate_writer_new(&opts, &w), 0);
    if (w) {
        CHECK_INT(xlate_writer_begin(w, &out), 0);
        CHECK_INT(xlate_writer_document_part(w, &docs[0], 0, 2, &out), 0);
        CHECK_INT(xlate_writer_document_part(w, &docs[0], 2, 3, &out), 0);
        CHECK_INT(xlate_writer_document_part(w, &docs[0], 5, 1, &out), 0);
        CHECK_INT(xlate_writer_document_part(w, &docs[1], 0, 1, &out), 0);
        CHECK_INT(xlate_writer_end(w, &out), 0);
        CHECK_STR(out.data, whole ? whole : "");
        xlate_writer_free(w);
    }
    xlate_buf_free(&out);
    free(whole);
    xlate_doc_free(&docs[0]);
    xlate_doc_free(&docs[1]);
}

/* No document at all: still a whole page, with its counts at zero. */
static void test_empty_stream(void) {
    char *page = write_page("en", NULL, 0);
    if (page) {
        CHECK(strstr(page, "<b>0</b> segments:") != NULL);
        CHECK(strstr(page, "<section") == NULL);
        CHECK(strstr(page, "</main>") != NULL);
        size_t len = strlen(page);
        CHECK(len > 8 && strcmp(page + len - 8, "</html>\n") == 0);
    }
    free(page);
}

static void test_format_word(void) {
    xlate_format f = XLATE_FORMAT_TSV;
    CHECK_INT(xlate_format_parse("review", &f), 0);
    CHECK_INT(f, XLATE_FORMAT_REVIEW);
    CHECK_STR(xlate_format_name(XLATE_FORMAT_REVIEW), "review");
    CHECK_STR(xlate_format_extension(XLATE_FORMAT_REVIEW), "html");
    CHECK_STR(xlate_format_name(XLATE_FORMAT_TMX), "tmx");
}

/* `emit`: the page of the mixed and hostile documents, for the page and browser checks. */
static int emit(void) {
    xlate_doc docs[2];
    build_news(&docs[0]);
    build_codes(&docs[1]);
    char *page = write_page("en", docs, 2);
    xlate_doc_free(&docs[0]);
    xlate_doc_free(&docs[1]);
    if (!page)
        return 1;
    fputs(page, stdout);
    free(page);
    return check_result("test_writer_review");
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "emit") == 0)
        return emit();
    if (argc != 1) {
        fprintf(stderr, "usage: test_writer_review [emit]\n");
        return 2;
    }
    test_rows_and_statuses();
    test_terms_and_codes();
    test_hostile_text();
    test_direction();
    test_parts();
    test_empty_stream();
    test_format_word();
    return check_result("test_writer_review");
}
