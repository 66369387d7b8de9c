/*
 * Harness: document text through the glossary plugin (plugins/glossary: the matcher, the
 * lemmatizer and hunspell's stems over whatever words a document holds), loaded and run by the
 * real plugin host. The instances are made once, as a run makes them: the built-in Ukrainian to
 * English map with inflected matching, the same without the dictionary, and the English to
 * Spanish sample map (samples/en-es-terms.tsv) where this glossary serves that pair. The first
 * byte picks one; the rest, cut at its first invalid UTF-8 sequence (decode has dealt with those),
 * is the text, one segment a line. Every term the plugin records must lie inside its segment's source,
 * on character boundaries, in order and not overlapping; every target must be valid UTF-8.
 */
#include "fuzz.h"

#include "document.h"
#include "host_services.h"
#include "utf8.h"

#define MAX_SEGMENTS 32

static xlate_instance *instances[3];

static void make_instances(void) {
    static const char *const options[] = {"stem=on", "stem=off",
                                          "file=" SOURCE_ROOT "/samples/en-es-terms.tsv"};
    static const char *const pairs[][2] = {{"uk", "en"}, {"uk", "en"}, {"en", "es"}};
    xlate_plugin_search s;
    xlate_loaded_plugin *p = NULL;
    xlate_error err = {0};
    /* What the dictionary filter derives is not cached across runs: no file outside the build. */
    setenv("XLATE_CACHE_DIR", "off", 1);
    if (xlate_plugin_search_init(&s, NULL, 0, 0, xlate_host_services()) != 0 ||
        xlate_plugin_load(&s, BUILD_ROOT "/plugins/glossary/glossary.so", &p, &err) != 0)
        abort();
    xlate_plugin_search_free(&s);
    for (size_t i = 0; i < 3; i++)
        if (xlate_instance_new(p, options[i], pairs[i][0], pairs[i][1], NULL, &instances[i],
                               &err) != 0) {
            /* Only the English map may be refused: a glossary without English stems. */
            fprintf(stderr, "glossary_text: %s\n", err.message);
            if (i < 2)
                abort();
            xlate_error_clear(&err);
        }
    /* Kept for the whole run, as a run keeps its chain. */
}

static int on_boundary(const char *s, size_t at) {
    return ((unsigned char)s[at] & 0xC0) != 0x80;
}

static void check_segment(const xlate_seg *seg) {
    for (size_t k = 0; k < seg->n_terms; k++) {
        const xlate_term_rec *t = &seg->terms[k];
        if (t->start >= t->end || t->end > seg->source_len || !on_boundary(seg->source, t->start) ||
            !on_boundary(seg->source, t->end) || (k && t->start < seg->terms[k - 1].end))
            abort();
    }
    if (seg->target && xlate_utf8_first_invalid(seg->target, seg->target_len, NULL) !=
                           seg->target_len)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!instances[0])
        make_instances();
    unsigned which = fuzz_byte(&data, &size) % 3;
    xlate_instance *inst = instances[which] ? instances[which] : instances[0];
    size_t len = xlate_utf8_first_invalid((const char *)data, size, NULL);
    char *text = fuzz_strndup(data, len);
    xlate_span spans[MAX_SEGMENTS];
    size_t n = 0;
    for (size_t at = 0; at < len && n < MAX_SEGMENTS;) {
        size_t end = at + strcspn(text + at, "\n");
        if (end > len)
            end = len;
        if (end > at)
            spans[n++] = (xlate_span){at, end, 0};
        at = end + 1;
    }
    xlate_doc doc;
    xlate_error err = {0};
    if (xlate_doc_init(&doc, "fuzz.txt", text, len, spans, n) != 0)
        abort();
    if (n && xlate_instance_process(inst, &doc, 0, n, &err) != 0 && !err.message)
        abort();
    xlate_error_clear(&err);
    for (size_t i = 0; i < doc.n_segs; i++)
        check_segment(&doc.segs[i]);
    xlate_doc_free(&doc);
    return 0;
}
