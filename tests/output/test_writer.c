/*
 * test_writer: the exact bytes of TSV, JSONL and TMX for small hand-built documents (targets, term
 * spans, a failed, a filtered and a warning segment, tabs, newlines, quotes, control characters,
 * Cyrillic), ids continuing across documents, and empty documents giving valid empty output.
 *
 * Segments with inline codes (HTML markup) show them as each format's own markup. Segments a
 * translation memory matched say where their target came from and list the other matches
 * (JSONL origin/score/match_source/candidates, TMX props); segments without matches gain nothing.
 *
 * Run with `emit FORMAT`, `emit-empty FORMAT`, `emit-codes FORMAT` or `emit-matches FORMAT` it prints that stream on stdout instead, for
 * writers_consumers.sh to check with xmllint, translate-toolkit and Python's json module.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "document.h"
#include "writer.h"
#include "xlate_config.h"

typedef struct seg_spec {
    const char *source;
    const char *sep_before; /* text between the previous segment and this one */
    size_t paragraph;
} seg_spec;

/* Builds a document whose text is the sources joined by their separators, one segment each. */
static void build_doc(xlate_doc *doc, const char *name, const seg_spec *specs, size_t n) {
    size_t cap = 1, len = 0;
    char *text;
    xlate_span *spans = calloc(n ? n : 1, sizeof *spans);
    for (size_t i = 0; i < n; i++)
        cap += strlen(specs[i].sep_before) + strlen(specs[i].source);
    text = malloc(cap);
    for (size_t i = 0; i < n; i++) {
        size_t sl = strlen(specs[i].sep_before), l = strlen(specs[i].source);
        memcpy(text + len, specs[i].sep_before, sl);
        len += sl;
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

/* Byte offsets of `needle` in the segment's source. */
static void find(const xlate_seg *seg, const char *needle, size_t *start, size_t *end) {
    const char *p = strstr(seg->source, needle);
    CHECK(p != NULL);
    *start = p ? (size_t)(p - seg->source) : 0;
    *end = *start + strlen(needle);
}

static void add_term(xlate_seg *seg, const char *src, const char *target, const char *note,
                     const char *in_target) {
    size_t s, e;
    find(seg, src, &s, &e);
    CHECK_INT(xlate_seg_add_term(seg, s, e, target, note, 0), 0);
    if (in_target) {
        const char *p = strstr(seg->target, in_target);
        for (size_t k = 0; k < seg->n_terms; k++) {
            if (seg->terms[k].start == s && p) {
                seg->terms[k].has_target_pos = 1;
                seg->terms[k].target_start = (size_t)(p - seg->target);
                seg->terms[k].target_end = seg->terms[k].target_start + strlen(in_target);
            }
        }
    }
}

static void set_target(xlate_seg *seg, const char *t) {
    CHECK_INT(xlate_seg_set_target(seg, t, strlen(t)), 0);
}

/* The first document: every kind of segment a writer must carry. */
static void build_news(xlate_doc *doc) {
    static const seg_spec specs[] = {
        {"Столтенберг прибув до Києва.", "", 0},
        {"Таб\tі \"лапки\" & <теги>\nрядок\r\x01кінець\\", " ", 0},
        {"Помилка тут.", "\n\n", 1},
        {"Читайте також: реклама.", " ", 1},
    };
    build_doc(doc, "news.txt", specs, 4);
    set_target(&doc->segs[0], "Stoltenberg arrived in Kyiv.");
    add_term(&doc->segs[0], "Києва", "Kyiv", NULL, "Kyiv");
    add_term(&doc->segs[0], "Столтенберг", "Stoltenberg", "NATO Secretary-General",
             "Stoltenberg");
    set_target(&doc->segs[1], "Tab\tand \"quotes\" & <tags>\nline\r\x01" "end\\");
    /* Two plugins' messages, one with text every format must escape. */
    CHECK_INT(xlate_seg_add_message(&doc->segs[1], XLATE_SEG_WARNING, "exec", "term_lost",
                                    "placeholder [XT0] lost"), 0);
    CHECK_INT(xlate_seg_add_message(&doc->segs[1], XLATE_SEG_WARNING, "qa", NULL,
                                    "qa: \"5\"\t<lost> & gone\\"), 0);
    /* A partial target of a failed segment must not reach the output. */
    set_target(&doc->segs[2], "Partial");
    CHECK_INT(xlate_seg_set_status(&doc->segs[2], XLATE_SEG_FAILED,
                                   "apertium: tagger assertion failed\n"), 0);
    CHECK_INT(xlate_seg_set_status(&doc->segs[3], XLATE_SEG_FILTERED, "boilerplate"), 0);
}

/* The second document: no plugin set a target for its second segment. */
static void build_second(xlate_doc *doc) {
    static const seg_spec specs[] = {
        {"Друге.", "", 0},
        {"Без перекладу.", " ", 0},
    };
    build_doc(doc, "second \"doc\".txt", specs, 2);
    set_target(&doc->segs[0], "Second.");
}

/* Writes begin, each document, end into one string (free()). */
static char *write_stream(xlate_format f, xlate_doc *docs, size_t n) {
    xlate_writer_options opts = {f, "uk", "en", "9.8.7"};
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

static void build_all(xlate_doc docs[3]) {
    build_news(&docs[0]);
    build_second(&docs[1]);
    build_doc(&docs[2], "empty.txt", NULL, 0);
}

static void free_all(xlate_doc *docs, size_t n) {
    for (size_t i = 0; i < n; i++)
        xlate_doc_free(&docs[i]);
}

static const char expected_tsv[] =
    "id\tsource\ttarget\tstatus\tmessage\n"
    "1\tСтолтенберг прибув до Києва.\tStoltenberg arrived in Kyiv.\tok\t\n"
    "2\tТаб\\tі \"лапки\" & <теги>\\nрядок\\r\x01кінець\\\\\t"
    "Tab\\tand \"quotes\" & <tags>\\nline\\r\x01" "end\\\\\twarning\texec: placeholder [XT0] lost; qa: \"5\"\\t<lost> & gone\\\\\n"
    "3\tПомилка тут.\t\tfailed\tapertium: tagger assertion failed\\n\n"
    "4\tЧитайте також: реклама.\t\tfiltered\tboilerplate\n"
    "5\tДруге.\tSecond.\tok\t\n"
    "6\tБез перекладу.\t\tok\t\n";

static const char expected_jsonl[] =
    "{\"id\":1,\"doc\":\"news.txt\",\"paragraph\":0,\"start\":0,\"end\":52,"
    "\"source\":\"Столтенберг прибув до Києва.\",\"target\":\"Stoltenberg arrived in Kyiv.\","
    "\"status\":\"ok\",\"terms\":["
    "{\"source\":\"Столтенберг\",\"target\":\"Stoltenberg\",\"start\":0,\"end\":22,"
    "\"note\":\"NATO Secretary-General\",\"target_start\":0,\"target_end\":11},"
    "{\"source\":\"Києва\",\"target\":\"Kyiv\",\"start\":41,\"end\":51,"
    "\"target_start\":23,\"target_end\":27}]}\n"
    "{\"id\":2,\"doc\":\"news.txt\",\"paragraph\":0,\"start\":53,\"end\":114,"
    "\"source\":\"Таб\\tі \\\"лапки\\\" & <теги>\\nрядок\\r\\u0001кінець\\\\\","
    "\"target\":\"Tab\\tand \\\"quotes\\\" & <tags>\\nline\\r\\u0001end\\\\\","
    "\"status\":\"warning\",\"message\":\"placeholder [XT0] lost; qa: \\\"5\\\"\\t<lost> & gone\\\\\","
    "\"messages\":[{\"plugin\":\"exec\",\"level\":\"warning\",\"code\":\"term_lost\","
    "\"text\":\"placeholder [XT0] lost\"},{\"plugin\":\"qa\",\"level\":\"warning\",\"code\":null,"
    "\"text\":\"qa: \\\"5\\\"\\t<lost> & gone\\\\\"}],\"terms\":[]}\n"
    "{\"id\":3,\"doc\":\"news.txt\",\"paragraph\":1,\"start\":116,\"end\":138,"
    "\"source\":\"Помилка тут.\",\"target\":null,\"status\":\"failed\","
    "\"message\":\"apertium: tagger assertion failed\\n\",\"messages\":[{\"plugin\":\"xlate\","
    "\"level\":\"failed\",\"code\":null,\"text\":\"apertium: tagger assertion failed\\n\"}],"
    "\"terms\":[]}\n"
    "{\"id\":4,\"doc\":\"news.txt\",\"paragraph\":1,\"start\":139,\"end\":181,"
    "\"source\":\"Читайте також: реклама.\",\"target\":null,\"status\":\"filtered\","
    "\"message\":\"boilerplate\",\"messages\":[{\"plugin\":\"xlate\",\"level\":\"filtered\","
    "\"code\":null,\"text\":\"boilerplate\"}],\"terms\":[]}\n"
    "{\"id\":5,\"doc\":\"second \\\"doc\\\".txt\",\"paragraph\":0,\"start\":0,\"end\":11,"
    "\"source\":\"Друге.\",\"target\":\"Second.\",\"status\":\"ok\",\"terms\":[]}\n"
    "{\"id\":6,\"doc\":\"second \\\"doc\\\".txt\",\"paragraph\":0,\"start\":12,\"end\":38,"
    "\"source\":\"Без перекладу.\",\"target\":null,\"status\":\"ok\",\"terms\":[]}\n";

static const char expected_tmx[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n"
    "<tmx version=\"1.4\">\n"
    "  <header creationtool=\"xlate\" creationtoolversion=\"9.8.7\" datatype=\"plaintext\" "
    "segtype=\"sentence\" adminlang=\"en\" srclang=\"uk\" o-tmf=\"xlate\"/>\n"
    "  <body>\n"
    "    <tu tuid=\"1\">\n"
    "      <prop type=\"x-document\">news.txt</prop>\n"
    "      <tuv xml:lang=\"uk\">\n"
    "        <prop type=\"x-term\">Столтенберг → Stoltenberg</prop>\n"
    "        <prop type=\"x-term\">Києва → Kyiv</prop>\n"
    "        <seg>Столтенберг прибув до Києва.</seg>\n"
    "      </tuv>\n"
    "      <tuv xml:lang=\"en\">\n"
    "        <seg>Stoltenberg arrived in Kyiv.</seg>\n"
    "      </tuv>\n"
    "    </tu>\n"
    "    <tu tuid=\"2\">\n"
    "      <prop type=\"x-document\">news.txt</prop>\n"
    "      <prop type=\"x-status\">warning</prop>\n"
    "      <note>exec: placeholder [XT0] lost; qa: &quot;5&quot;\t&lt;lost&gt; &amp; gone\\</note>\n"
    "      <tuv xml:lang=\"uk\">\n"
    "        <seg>Таб\tі &quot;лапки&quot; &amp; &lt;теги&gt;\nрядок&#13;\xEF\xBF\xBDкінець\\</seg>\n"
    "      </tuv>\n"
    "      <tuv xml:lang=\"en\">\n"
    "        <seg>Tab\tand &quot;quotes&quot; &amp; &lt;tags&gt;\nline&#13;\xEF\xBF\xBD" "end\\</seg>\n"
    "      </tuv>\n"
    "    </tu>\n"
    "    <tu tuid=\"3\">\n"
    "      <prop type=\"x-document\">news.txt</prop>\n"
    "      <prop type=\"x-status\">failed</prop>\n"
    "      <note>apertium: tagger assertion failed\n</note>\n"
    "      <tuv xml:lang=\"uk\">\n"
    "        <seg>Помилка тут.</seg>\n"
    "      </tuv>\n"
    "    </tu>\n"
    "    <tu tuid=\"4\">\n"
    "      <prop type=\"x-document\">news.txt</prop>\n"
    "      <prop type=\"x-status\">filtered</prop>\n"
    "      <note>boilerplate</note>\n"
    "      <tuv xml:lang=\"uk\">\n"
    "        <seg>Читайте також: реклама.</seg>\n"
    "      </tuv>\n"
    "    </tu>\n"
    "    <tu tuid=\"5\">\n"
    "      <prop type=\"x-document\">second &quot;doc&quot;.txt</prop>\n"
    "      <tuv xml:lang=\"uk\">\n"
    "        <seg>Друге.</seg>\n"
    "      </tuv>\n"
    "      <tuv xml:lang=\"en\">\n"
    "        <seg>Second.</seg>\n"
    "      </tuv>\n"
    "    </tu>\n"
    "    <tu tuid=\"6\">\n"
    "      <prop type=\"x-document\">second &quot;doc&quot;.txt</prop>\n"
    "      <tuv xml:lang=\"uk\">\n"
    "        <seg>Без перекладу.</seg>\n"
    "      </tuv>\n"
    "    </tu>\n"
    "  </body>\n"
    "</tmx>\n";

static const char expected_empty_tmx[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n"
    "<tmx version=\"1.4\">\n"
    "  <header creationtool=\"xlate\" creationtoolversion=\"9.8.7\" datatype=\"plaintext\" "
    "segtype=\"sentence\" adminlang=\"en\" srclang=\"uk\" o-tmf=\"xlate\"/>\n"
    "  <body>\n"
    "  </body>\n"
    "</tmx>\n";

static void check_stream(xlate_format f, const char *want) {
    xlate_doc docs[3];
    char *got;
    build_all(docs);
    got = write_stream(f, docs, 3);
    CHECK_STR(got, want);
    free(got);
    free_all(docs, 3);
}

static void check_empty_stream(xlate_format f, const char *want) {
    xlate_doc doc;
    char *got;
    build_doc(&doc, "empty.txt", NULL, 0);
    got = write_stream(f, &doc, 1);
    CHECK_STR(got, want);
    free(got);
    xlate_doc_free(&doc);
    /* No document at all gives the same output. */
    got = write_stream(f, NULL, 0);
    CHECK_STR(got, want);
    free(got);
}

static void test_formats(void) {
    check_stream(XLATE_FORMAT_TSV, expected_tsv);
    check_stream(XLATE_FORMAT_JSONL, expected_jsonl);
    check_stream(XLATE_FORMAT_TMX, expected_tmx);
    check_empty_stream(XLATE_FORMAT_TSV, "id\tsource\ttarget\tstatus\tmessage\n");
    check_empty_stream(XLATE_FORMAT_JSONL, "");
    check_empty_stream(XLATE_FORMAT_TMX, expected_empty_tmx);
}

/* Ids run on across documents in one stream and start again in a new stream. */
static void test_ids_continue(void) {
    xlate_writer_options opts = {XLATE_FORMAT_TSV, "uk", "en", "1"};
    xlate_writer *w;
    xlate_buf out = XLATE_BUF_INIT;
    xlate_doc a, b;
    static const seg_spec one[] = {{"Один.", "", 0}, {"Два.", " ", 0}};
    static const seg_spec two[] = {{"Три.", "", 0}};
    build_doc(&a, "a.txt", one, 2);
    build_doc(&b, "b.txt", two, 1);
    for (int round = 0; round < 2; round++) {
        CHECK_INT(xlate_writer_new(&opts, &w), 0);
        CHECK_INT(xlate_writer_begin(w, &out), 0);
        CHECK_INT(xlate_writer_document(w, &a, &out), 0);
        CHECK_INT(xlate_writer_document(w, &b, &out), 0);
        CHECK_INT(xlate_writer_document(w, &a, &out), 0);
        CHECK_INT(xlate_writer_end(w, &out), 0);
        CHECK_STR(out.data, "id\tsource\ttarget\tstatus\tmessage\n"
                            "1\tОдин.\t\tok\t\n2\tДва.\t\tok\t\n3\tТри.\t\tok\t\n"
                            "4\tОдин.\t\tok\t\n5\tДва.\t\tok\t\n");
        xlate_writer_free(w);
        xlate_buf_reset(&out);
    }
    xlate_buf_free(&out);
    xlate_doc_free(&a);
    xlate_doc_free(&b);
}

/* A document written in parts (as `xlate run` streams a long one) reads as the document written
 * whole, in every format, ids included; a part outside the document is refused. */
static void test_document_in_parts(void) {
    static const xlate_format formats[] = {XLATE_FORMAT_TSV, XLATE_FORMAT_JSONL, XLATE_FORMAT_TMX};
    xlate_doc docs[3];
    build_all(docs);
    for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
        char *whole = write_stream(formats[f], docs, 3);
        xlate_writer_options opts = {formats[f], "uk", "en", "9.8.7"};
        xlate_writer *w = NULL;
        xlate_buf out = XLATE_BUF_INIT;
        CHECK_INT(xlate_writer_new(&opts, &w), 0);
        if (!w)
            break;
        CHECK_INT(xlate_writer_begin(w, &out), 0);
        for (size_t d = 0; d < 3; d++)
            for (size_t from = 0; from < docs[d].n_segs; from++)
                CHECK_INT(xlate_writer_document_part(w, &docs[d], from, 1, &out), 0);
        CHECK_INT(xlate_writer_document_part(w, &docs[0], docs[0].n_segs, 1, &out), -1);
        CHECK_INT(xlate_writer_end(w, &out), 0);
        CHECK_STR(out.data, whole ? whole : "");
        xlate_writer_free(w);
        xlate_buf_free(&out);
        free(whole);
    }
    free_all(docs, 3);
}

/* Languages the user left out, and a file name that is not UTF-8, still give valid output. */
static void test_odd_names_and_languages(void) {
    xlate_writer_options opts = {XLATE_FORMAT_TMX, NULL, "", NULL};
    static const seg_spec one[] = {{"A.", "", 0}};
    xlate_writer *w;
    xlate_buf out = XLATE_BUF_INIT;
    xlate_doc d;
    build_doc(&d, "caf\xE9.txt", one, 1);
    set_target(&d.segs[0], "B.");
    CHECK_INT(xlate_writer_new(&opts, &w), 0);
    CHECK_INT(xlate_writer_document(w, &d, &out), 0); /* begin is implied */
    CHECK_INT(xlate_writer_end(w, &out), 0);
    /* No tool version given: the library's own. */
    CHECK(strstr(out.data, "creationtoolversion=\"" XLATE_VERSION "\"") != NULL);
    CHECK(strstr(out.data, " srclang=\"und\" ") != NULL);
    CHECK(strstr(out.data, "<tuv xml:lang=\"und\">\n        <seg>A.</seg>") != NULL);
    CHECK(strstr(out.data, "<prop type=\"x-document\">caf\xEF\xBF\xBD.txt</prop>") != NULL);
    xlate_writer_free(w);

    opts.format = XLATE_FORMAT_JSONL;
    xlate_buf_reset(&out);
    CHECK_INT(xlate_writer_new(&opts, &w), 0);
    CHECK_INT(xlate_writer_document(w, &d, &out), 0);
    CHECK_STR(out.data, "{\"id\":1,\"doc\":\"caf\xEF\xBF\xBD.txt\",\"paragraph\":0,\"start\":0,"
                        "\"end\":2,\"source\":\"A.\",\"target\":\"B.\",\"status\":\"ok\","
                        "\"terms\":[]}\n");
    xlate_writer_free(w);
    xlate_buf_free(&out);
    xlate_doc_free(&d);
}

/* XML 1.0 cannot hold U+FFFF or U+FFFE at all; JSON and TSV carry them, and every format keeps
 * characters beyond the BMP and DEL as they are. */
static void test_noncharacters_and_astral(void) {
    static const seg_spec one[] = {{"a\xEF\xBF\xBF b\xEF\xBF\xBE c\xF0\x9F\x98\x80 d\x7F", "", 0}};
    xlate_doc d;
    char *got;
    build_doc(&d, "x", one, 1);
    got = write_stream(XLATE_FORMAT_TMX, &d, 1);
    CHECK(got && strstr(got, "<seg>a\xEF\xBF\xBD b\xEF\xBF\xBD c\xF0\x9F\x98\x80 d\x7F</seg>"));
    free(got);
    got = write_stream(XLATE_FORMAT_JSONL, &d, 1);
    CHECK(got && strstr(got, "\"source\":\"a\xEF\xBF\xBF b\xEF\xBF\xBE c\xF0\x9F\x98\x80 d\x7F\""));
    free(got);
    got = write_stream(XLATE_FORMAT_TSV, &d, 1);
    CHECK_STR(got, "id\tsource\ttarget\tstatus\tmessage\n1\ta\xEF\xBF\xBF b\xEF\xBF\xBE c\xF0\x9F\x98\x80 d\x7F\t\tok\t\n");
    free(got);
    xlate_doc_free(&d);
}

static void test_format_words(void) {
    xlate_format f = XLATE_FORMAT_TSV;
    xlate_writer *w = (xlate_writer *)&f;
    xlate_writer_options bad = {(xlate_format)9, "uk", "en", "1"};
    CHECK_INT(xlate_format_parse("jsonl", &f), 0);
    CHECK_INT(f, XLATE_FORMAT_JSONL);
    CHECK_INT(xlate_format_parse("tmx", &f), 0);
    CHECK_INT(f, XLATE_FORMAT_TMX);
    CHECK_INT(xlate_format_parse("tsv", &f), 0);
    CHECK_INT(f, XLATE_FORMAT_TSV);
    CHECK_INT(xlate_format_parse("json", &f), -1);
    CHECK_INT(xlate_format_parse("TSV", &f), -1);
    CHECK_INT(xlate_format_parse("", &f), -1);
    CHECK_STR(xlate_format_extension(XLATE_FORMAT_JSONL), "jsonl");
    CHECK_STR(xlate_format_extension(XLATE_FORMAT_TMX), "tmx");
    CHECK_STR(xlate_format_extension(XLATE_FORMAT_TSV), "tsv");
    CHECK_INT(xlate_writer_new(&bad, &w), -1);
    CHECK(w == NULL);
}

/* A page's segments with inline codes: <b>НАТО</b> (a term) placed by the translator, a <br/>
 * after the sentence; a link opened in one segment and closed in the next (isolated codes), whose
 * open the translator lost (put at the end, code_lost); the last segment left untranslated. */
static void build_codes(xlate_doc *doc) {
    static const seg_spec specs[] = {
        {"Голова НАТО прибув до Києва.", "", 0},
        {"Читати далі", " ", 1},
        {"про візит", " ", 1},
    };
    build_doc(doc, "page.html", specs, 3);
    xlate_seg *s = &doc->segs[0];
    size_t at, end;
    find(s, "НАТО", &at, &end);
    CHECK_INT(xlate_seg_add_code(s, at, XLATE_SEG_CODE_OPEN, 1, 0, "<b>"), 0);
    CHECK_INT(xlate_seg_add_code(s, end, XLATE_SEG_CODE_CLOSE, 1, 0, "</b>"), 0);
    CHECK_INT(xlate_seg_add_code(s, s->source_len, XLATE_SEG_CODE_STANDALONE, 2, 0, "<br/>"), 0);
    CHECK_INT(xlate_seg_set_target(s, "The NATO head arrived in Kyiv.", 30), 0);
    add_term(s, "НАТО", "NATO", NULL, "NATO");
    s->codes[0].has_target_pos = 1, s->codes[0].target_pos = 4;
    s->codes[1].has_target_pos = 1, s->codes[1].target_pos = 8;
    s->codes[2].has_target_pos = 1, s->codes[2].target_pos = 30;
    s = &doc->segs[1];
    CHECK_INT(xlate_seg_add_code(s, 0, XLATE_SEG_CODE_OPEN, 3, 1,
                                 "<a href=\"/news?id=1&amp;p=2\">"), 0);
    CHECK_INT(xlate_seg_set_target(s, "Read more", 9), 0);
    CHECK_INT(xlate_seg_place_lost_codes(s, "exec"), 0);
    s = &doc->segs[2];
    CHECK_INT(xlate_seg_add_code(s, strlen("про"), XLATE_SEG_CODE_CLOSE, 3, 1, "</a>"), 0);
}

static const char expected_codes_tsv[] =
    "id\tsource\ttarget\tstatus\tmessage\n"
    "1\tГолова <b>НАТО</b> прибув до Києва.<br/>\tThe <b>NATO</b> head arrived in Kyiv.<br/>\tok\t\n"
    "2\t<a href=\"/news?id=1&amp;p=2\">Читати далі\tRead more<a href=\"/news?id=1&amp;p=2\">\twarning"
    "\texec: the translator lost the place of inline code <a href=\"/news?id=1&amp;p=2\"> (open 3);"
    " put back at the end of the target\n"
    "3\tпро</a> візит\t\tok\t\n";

static const char expected_codes_jsonl[] =
    "{\"id\":1,\"doc\":\"page.html\",\"paragraph\":0,\"start\":0,\"end\":51,"
    "\"source\":\"Голова <b>НАТО</b> прибув до Києва.<br/>\","
    "\"target\":\"The <b>NATO</b> head arrived in Kyiv.<br/>\",\"status\":\"ok\","
    "\"terms\":[{\"source\":\"НАТО\",\"target\":\"NATO\",\"start\":16,\"end\":24,"
    "\"target_start\":7,\"target_end\":11}],"
    "\"codes\":[{\"id\":1,\"kind\":\"open\",\"data\":\"<b>\"},{\"id\":1,\"kind\":\"close\","
    "\"data\":\"</b>\"},{\"id\":2,\"kind\":\"standalone\",\"data\":\"<br/>\"}]}\n"
    "{\"id\":2,\"doc\":\"page.html\",\"paragraph\":1,\"start\":52,\"end\":73,"
    "\"source\":\"<a href=\\\"/news?id=1&amp;p=2\\\">Читати далі\","
    "\"target\":\"Read more<a href=\\\"/news?id=1&amp;p=2\\\">\",\"status\":\"warning\","
    "\"message\":\"the translator lost the place of inline code <a href=\\\"/news?id=1&amp;p=2\\\">"
    " (open 3); put back at the end of the target\",\"messages\":[{\"plugin\":\"exec\","
    "\"level\":\"warning\",\"code\":\"code_lost\",\"text\":\"the translator lost the place of inline"
    " code <a href=\\\"/news?id=1&amp;p=2\\\"> (open 3); put back at the end of the target\"}],"
    "\"terms\":[],\"codes\":[{\"id\":3,\"kind\":\"open\",\"data\":\"<a href=\\\"/news?id=1&amp;p=2\\\">\"}]}\n"
    "{\"id\":3,\"doc\":\"page.html\",\"paragraph\":1,\"start\":74,\"end\":91,"
    "\"source\":\"про</a> візит\",\"target\":null,\"status\":\"ok\",\"terms\":[],"
    "\"codes\":[{\"id\":3,\"kind\":\"close\",\"data\":\"</a>\"}]}\n";

static const char expected_codes_tmx_body[] =
    "        <seg>Голова <bpt i=\"1\" x=\"1\">&lt;b&gt;</bpt>НАТО<ept i=\"1\">&lt;/b&gt;</ept> прибув"
    " до Києва.<ph x=\"3\">&lt;br/&gt;</ph></seg>\n"
    "      </tuv>\n"
    "      <tuv xml:lang=\"en\">\n"
    "        <seg>The <bpt i=\"1\" x=\"1\">&lt;b&gt;</bpt>NATO<ept i=\"1\">&lt;/b&gt;</ept> head arrived"
    " in Kyiv.<ph x=\"3\">&lt;br/&gt;</ph></seg>\n";

/* Codes written as each format's own markup, at their places in source and target. */
static void test_codes(void) {
    xlate_doc doc;
    build_codes(&doc);
    char *got = write_stream(XLATE_FORMAT_TSV, &doc, 1);
    CHECK_STR(got, expected_codes_tsv);
    free(got);
    got = write_stream(XLATE_FORMAT_JSONL, &doc, 1);
    CHECK_STR(got, expected_codes_jsonl);
    free(got);
    got = write_stream(XLATE_FORMAT_TMX, &doc, 1);
    CHECK(got && strstr(got, expected_codes_tmx_body) != NULL);
    CHECK(got && strstr(got, "<seg><it pos=\"begin\" x=\"1\">&lt;a href=&quot;/news?id=1&amp;amp;p=2"
                             "&quot;&gt;</it>Читати далі</seg>") != NULL);
    CHECK(got && strstr(got, "<seg>Read more<it pos=\"begin\" x=\"1\">") != NULL);
    CHECK(got && strstr(got, "<seg>про<it pos=\"end\" x=\"1\">&lt;/a&gt;</it> візит</seg>") != NULL);
    free(got);
    xlate_doc_free(&doc);
}

/* Three segments: the memory's exact match is the target (a fuzzy one beside it); a match used
 * and then replaced by a translator after the memory; no match at all. */
static void build_matches(xlate_doc *doc) {
    static const seg_spec specs[] = {
        {"Читайте також: \"Новини\".", "", 0},
        {"Інші новини.", " ", 0},
        {"Без пам'яті.", " ", 0},
    };
    build_doc(doc, "tm.txt", specs, 3);
    xlate_seg *s = &doc->segs[0];
    CHECK_INT(xlate_seg_add_match(s, "tm", "Read also: \"News\".", 18, 100,
                                  "Читайте також: «Новини».", strlen("Читайте також: «Новини»."), 1), 0);
    CHECK_INT(xlate_seg_add_match(s, "tm", "Read also <News>", 16, 76.5, "Читайте також <Новини>",
                                  strlen("Читайте також <Новини>"), 0), 0);
    s = &doc->segs[1];
    CHECK_INT(xlate_seg_add_match(s, "tm", "Other news!", 11, 99, "Інші новини!",
                                  strlen("Інші новини!"), 1), 0);
    set_target(s, "Other news.");
    set_target(&doc->segs[2], "Without memory.");
}

static const char expected_matches_jsonl[] =
    "{\"id\":1,\"doc\":\"tm.txt\",\"paragraph\":0,\"start\":0,\"end\":42,"
    "\"source\":\"Читайте також: \\\"Новини\\\".\",\"target\":\"Read also: \\\"News\\\".\","
    "\"status\":\"ok\",\"terms\":[],\"origin\":\"tm\",\"score\":100,"
    "\"match_source\":\"Читайте також: «Новини».\",\"candidates\":[{\"plugin\":\"tm\","
    "\"score\":76.5,\"source\":\"Читайте також <Новини>\",\"target\":\"Read also <News>\"}]}\n"
    "{\"id\":2,\"doc\":\"tm.txt\",\"paragraph\":0,\"start\":43,\"end\":65,"
    "\"source\":\"Інші новини.\",\"target\":\"Other news.\",\"status\":\"ok\",\"terms\":[],"
    "\"candidates\":[{\"plugin\":\"tm\",\"score\":99,\"source\":\"Інші новини!\","
    "\"target\":\"Other news!\"}]}\n"
    "{\"id\":3,\"doc\":\"tm.txt\",\"paragraph\":0,\"start\":66,\"end\":87,"
    "\"source\":\"Без пам'яті.\",\"target\":\"Without memory.\",\"status\":\"ok\",\"terms\":[]}\n";

static void test_matches(void) {
    xlate_doc doc;
    build_matches(&doc);
    char *got = write_stream(XLATE_FORMAT_JSONL, &doc, 1);
    CHECK_STR(got, expected_matches_jsonl);
    free(got);
    got = write_stream(XLATE_FORMAT_TMX, &doc, 1);
    CHECK(got && strstr(got, "<tu tuid=\"1\">\n"
                             "      <prop type=\"x-document\">tm.txt</prop>\n"
                             "      <prop type=\"x-xlate-origin\">tm</prop>\n"
                             "      <prop type=\"x-xlate-score\">100</prop>\n"
                             "      <prop type=\"x-xlate-match-source\">Читайте також: «Новини».</prop>\n"
                             "      <tuv") != NULL);
    /* The target a translator set after the memory's is not the memory's. */
    CHECK(got && strstr(got, "<tu tuid=\"2\">\n"
                             "      <prop type=\"x-document\">tm.txt</prop>\n"
                             "      <tuv") != NULL);
    free(got);
    /* A failed segment's target is not written, so it has no origin: its match is a candidate. */
    CHECK_INT(xlate_seg_add_message(&doc.segs[0], XLATE_SEG_FAILED, "qa", NULL, "broken"), 0);
    got = write_stream(XLATE_FORMAT_JSONL, &doc, 1);
    CHECK(got && strstr(got, "\"target\":null") != NULL && strstr(got, "\"origin\"") == NULL &&
          strstr(got, "\"candidates\":[{\"plugin\":\"tm\",\"score\":100,") != NULL);
    free(got);
    /* The same with the used match alone: a candidate then. */
    xlate_doc one;
    build_matches(&one);
    xlate_seg *s = &one.segs[2];
    CHECK_INT(xlate_seg_add_match(s, "tm", "No memory.", 10, 95, "Без пам'яті!", strlen("Без пам'яті!"), 1), 0);
    CHECK_INT(xlate_seg_add_message(s, XLATE_SEG_FAILED, "qa", NULL, "broken"), 0);
    got = write_stream(XLATE_FORMAT_JSONL, &one, 1);
    CHECK(got && strstr(got, "\"target\":null,\"status\":\"failed\",\"message\":\"broken\",\"messages\":"
                             "[{\"plugin\":\"qa\",\"level\":\"failed\",\"code\":null,\"text\":\"broken\"}],"
                             "\"terms\":[],\"candidates\":[{\"plugin\":\"tm\",\"score\":95,\"source\":"
                             "\"Без пам'яті!\",\"target\":\"No memory.\"}]}\n") != NULL);
    free(got);
    xlate_doc_free(&one);
    xlate_doc_free(&doc);
}

/* `emit FORMAT` / `emit-empty FORMAT`: print a stream for the consumer checks. */
static int emit(const char *what, const char *format_word) {
    xlate_format f;
    xlate_doc docs[3];
    char *text;
    int empty = strcmp(what, "emit-empty") == 0, codes = strcmp(what, "emit-codes") == 0;
    int matches = strcmp(what, "emit-matches") == 0;
    if (xlate_format_parse(format_word, &f) != 0) {
        fprintf(stderr, "test_writer: unknown format '%s' (tsv, jsonl, tmx)\n", format_word);
        return 2;
    }
    if (empty)
        build_doc(&docs[0], "empty.txt", NULL, 0);
    else if (codes)
        build_codes(&docs[0]);
    else if (matches)
        build_matches(&docs[0]);
    else
        build_all(docs);
    text = write_stream(f, docs, empty || codes || matches ? 1 : 3);
    free_all(docs, empty || codes || matches ? 1 : 3);
    if (!text)
        return 1;
    fputs(text, stdout);
    free(text);
    return check_result("test_writer");
}

int main(int argc, char **argv) {
    if (argc == 3 && (strcmp(argv[1], "emit") == 0 || strcmp(argv[1], "emit-empty") == 0 ||
                      strcmp(argv[1], "emit-codes") == 0 || strcmp(argv[1], "emit-matches") == 0))
        return emit(argv[1], argv[2]);
    if (argc != 1) {
        fprintf(stderr, "usage: test_writer [emit|emit-empty|emit-codes|emit-matches tsv|jsonl|tmx]\n");
        return 2;
    }
    test_formats();
    test_ids_continue();
    test_document_in_parts();
    test_odd_names_and_languages();
    test_noncharacters_and_astral();
    test_format_words();
    test_codes();
    test_matches();
    return check_result("test_writer");
}
