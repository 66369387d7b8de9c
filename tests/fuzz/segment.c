/*
 * Harness: the segment stage (core/segment/segment.h) on any valid UTF-8, with the built-in rules. The
 * first byte picks the language; the rest, cut at its first invalid sequence, is the text. The
 * spans must be in order, inside the text, not empty and not overlapping.
 */
#include "fuzz.h"

#include "segment.h"
#include "utf8.h"

static const char *const languages[] = {"uk", "en", "ru", "de", "ja", "zh", "th", "ar", "und", ""};

/* Aborts unless the spans are what segment promises. */
static void check_spans(const xlate_span *spans, size_t n, size_t len) {
    for (size_t i = 0; i < n; i++) {
        if (spans[i].start >= spans[i].end || spans[i].end > len)
            abort();
        if (i && (spans[i].start < spans[i - 1].end || spans[i].paragraph < spans[i - 1].paragraph))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t which = fuzz_byte(&data, &size) % (sizeof languages / sizeof *languages);
    const char *text = (const char *)data;
    size_t len = xlate_utf8_first_invalid(text, size, NULL);
    /* One segmenter a language for the whole run, as a worker keeps one for all its documents:
     * making one compiles the built-in rules, which would leave little time for the text. */
    static xlate_segmenter *made[sizeof languages / sizeof *languages];
    xlate_error err = {0};
    if (!made[which] && xlate_segmenter_new(languages[which], NULL, &made[which], &err) != 0)
        abort(); /* the built-in rules always load */
    xlate_segmenter *s = made[which];
    xlate_span *spans = NULL;
    size_t n = 0;
    if (xlate_segmenter_split(s, text, len, &spans, &n, &err) == 0)
        check_spans(spans, n, len);
    xlate_error_clear(&err);
    free(spans);
    return 0;
}
