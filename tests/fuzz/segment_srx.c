/*
 * Harness: the segment stage with the user's SRX file (--srx): the first byte picks the
 * language, then come the rules and, after a FUZZ_SEPARATOR line, the text (cut at its first
 * invalid UTF-8 sequence). Rules that load must give spans in order, inside the text, not empty and
 * not overlapping.
 */
#include "fuzz.h"

#include "segment.h"
#include "utf8.h"

static const char *const languages[] = {"uk", "en", "ru", "de", "ja", "", "x-unknown"};

static void check_spans(const xlate_span *spans, size_t n, size_t len) {
    for (size_t i = 0; i < n; i++) {
        if (spans[i].start >= spans[i].end || spans[i].end > len)
            abort();
        if (i && (spans[i].start < spans[i - 1].end || spans[i].paragraph < spans[i - 1].paragraph))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *lang = languages[fuzz_byte(&data, &size) % (sizeof languages / sizeof *languages)];
    size_t xml_len, len;
    const uint8_t *xml = fuzz_part(&data, &size, &xml_len);
    const char *text = (const char *)fuzz_part(&data, &size, &len);
    len = xlate_utf8_first_invalid(text, len, NULL);
    const char *path = fuzz_write_file("rules.srx", xml, xml_len);

    xlate_segmenter *s = NULL;
    xlate_error err = {0};
    if (xlate_segmenter_new(lang, path, &s, &err) != 0) {
        if (!err.message)
            abort();
        xlate_error_clear(&err);
        return 0;
    }
    xlate_span *spans = NULL;
    size_t n = 0;
    if (xlate_segmenter_split(s, text, len, &spans, &n, &err) == 0)
        check_spans(spans, n, len);
    xlate_error_clear(&err);
    free(spans);
    xlate_segmenter_free(s);
    return 0;
}
