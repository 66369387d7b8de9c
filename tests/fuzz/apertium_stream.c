/*
 * Harness: Apertium's stream format as the engine answers it (plugins/common/apertium_format.h)
 * and the placeholder scanner of the translator plugins (placeholder.h). The first byte picks the
 * unit number the answer must end with; then comes an engine's answer, decoded as the apertium
 * and exec plugins decode it (its word-bound blank marks must land inside the text it gives), and
 * the glossary terms put in place of the words the marks wrap (plugins/apertium/terms.h).
 * After a FUZZ_SEPARATOR line comes a segment text and after another the byte triples of word-bound
 * spans: the text is encoded as the plugins send it and the encoding decoded again, which must
 * give the text back with each wrapped span marked where it was.
 */
#include "fuzz.h"

#include "apertium_format.h"
#include "placeholder.h"
#include "terms.h"

/* The glossary terms of the segment the answer is for; an answer may name others. */
static const xlate_apertium_term terms[] = {
    {"NATO", 4, "OTAN", 0}, {"x^y", 3, "xy", 0}, {"Brussels", 8, "Bruselas", 0},
};

static void check_marks(const xlate_apertium_marks *marks, size_t len) {
    for (size_t i = 0; i < marks->n; i++)
        if (marks->v[i].start > marks->v[i].end || marks->v[i].end > len)
            abort();
}

/* The answer the engine gave, decoded. */
static void decode_answer(const uint8_t *answer, size_t len, unsigned long long id) {
    xp_buf out = XP_BUF_INIT;
    xlate_apertium_marks marks = XLATE_APERTIUM_MARKS_INIT;
    if (xlate_apertium_decode((const char *)answer, len, id, &out, &marks) == 0) {
        check_marks(&marks, out.len);
        xp_buf placed = XP_BUF_INIT;
        if (xlate_apertium_place_terms(out.data ? out.data : "", out.len, &marks, terms,
                                       sizeof terms / sizeof *terms, &placed) != 0)
            abort(); /* fails only when out of memory */
        xp_buf_free(&placed);
    }
    xp_buf_free(&out);
    xlate_apertium_marks_free(&marks);
}

/* Segment text as the host hands it to a translator: no control character but tab, newline and
 * whole placeholders. Anything else becomes a space, in place. */
static void as_host_text(char *t, size_t len) {
    for (size_t i = 0; i < len; i++) {
        size_t ph = t[i] == XLATE_PLACEHOLDER_OPEN ? xlate_placeholder_length(t + i, len - i) : 0;
        if (ph) {
            i += ph - 1;
        } else if ((unsigned char)t[i] < 0x20 && t[i] != '\t' && t[i] != '\n') {
            t[i] = ' ';
        }
    }
}

static void round_trip(const uint8_t *text8, size_t len, const uint8_t *span_bytes, size_t n_bytes,
                       unsigned long long id) {
    char *text = fuzz_strndup(text8, len);
    as_host_text(text, len);
    size_t n_spans = n_bytes / 3;
    xlate_apertium_span *spans = n_spans ? calloc(n_spans, sizeof *spans) : NULL;
    if (n_spans && !spans)
        abort();
    for (size_t i = 0; i < n_spans; i++) {
        size_t start = len ? span_bytes[3 * i] % (len + 1) : 0;
        spans[i].start = start;
        spans[i].end = start + (len - start ? span_bytes[3 * i + 1] % (len - start + 1) : 0);
        spans[i].term = span_bytes[3 * i + 2];
    }
    xp_buf wire = XP_BUF_INIT, back = XP_BUF_INIT;
    xlate_apertium_marks marks = XLATE_APERTIUM_MARKS_INIT;
    xlate_apertium_encode(text, len, spans, n_spans, id, &wire);
    if (!wire.data || wire.len == 0 || wire.data[wire.len - 1] != '\0')
        abort(); /* every unit ends with the null flush */
    if (xlate_apertium_decode(wire.data, wire.len - 1, id, &back, &marks) != 0)
        abort(); /* what we sent is a whole unit of ours */
    if (back.len != len || (len && memcmp(back.data, text, len) != 0))
        abort();
    check_marks(&marks, back.len);
    xp_buf_free(&wire);
    xp_buf_free(&back);
    xlate_apertium_marks_free(&marks);
    free(spans);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    unsigned long long id = fuzz_byte(&data, &size);
    if (id >= 200)
        id = 18446744073709551615ULL - (id - 200); /* the largest units */
    size_t answer_len, text_len, spans_len;
    const uint8_t *answer = fuzz_part(&data, &size, &answer_len);
    const uint8_t *text = fuzz_part(&data, &size, &text_len);
    const uint8_t *spans = fuzz_part(&data, &size, &spans_len);
    decode_answer(answer, answer_len, id);
    for (size_t i = 0; i < answer_len; i++)
        if (answer[i] == XLATE_PLACEHOLDER_OPEN &&
            xlate_placeholder_length((const char *)answer + i, answer_len - i) > answer_len - i)
            abort();
    round_trip(text, text_len, spans, spans_len, id);
    return 0;
}
