/*
 * Harness: the decode stage on bytes from anywhere (core/input/decode.h, detect.h, mojibake.h). The
 * first byte picks the encoding the user named (or auto), what to do with invalid bytes and
 * whether mojibake is repaired; the rest is the document. Whatever the bytes, decode either
 * refuses them with a message or gives valid, NUL-terminated UTF-8; that text then goes through
 * mojibake repair and language detection, as `xlate detect` takes it.
 */
#include "fuzz.h"

#include "decode.h"
#include "detect.h"
#include "mojibake.h"
#include "utf8.h"

static const char *const encodings[] = {
    NULL, "auto", "UTF-8", "UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32", "UTF-32BE",
    "windows-1251", "KOI8-R", "KOI8-U", "IBM866", "ISO-8859-5", "windows-1252", "ISO-8859-1",
    "x-mac-cyrillic", "GB18030", "Shift_JIS", "no-such-encoding", "",
};

/* Aborts when `text` is not what decode promises: valid UTF-8 of `len` bytes and a NUL after. */
static void expect_utf8(const char *text, size_t len) {
    size_t bad_len;
    if (!text || text[len] != '\0' || xlate_utf8_first_invalid(text, len, &bad_len) != len)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    unsigned choice = fuzz_byte(&data, &size);
    xlate_decode_options opts = XLATE_DECODE_OPTIONS_INIT;
    opts.encoding = encodings[(choice & 0x1f) % (sizeof encodings / sizeof *encodings)];
    opts.on_invalid = (xlate_on_invalid)((choice >> 5) % 3);
    opts.repair_mojibake = !(choice & 0x80);

    xlate_binary_check bin;
    int binary = xlate_detect_binary((const char *)data, size, opts.encoding, &bin);
    char why[160];
    if (binary && xlate_binary_describe(&bin, why, sizeof why) <= 0)
        abort(); /* a refusal says where the sign lies */
    for (size_t width = 2; width <= 4; width += 2) {
        size_t bom_len = 0;
        int little = xlate_detect_byte_order((const char *)data, size, width, &bom_len);
        if ((little != 0 && little != 1) || bom_len > size)
            abort();
    }

    xlate_decoded d;
    xlate_error err = {0};
    if (xlate_decode((const char *)data, size, &opts, "fuzz", &d, &err) != 0) {
        if (!err.message)
            abort(); /* a refusal always says why */
        xlate_error_clear(&err);
        return 0;
    }
    expect_utf8(d.text, d.len);
    if (binary)
        abort(); /* binary data is refused whatever on_invalid says */

    xlate_mojibake_result m;
    if (xlate_mojibake_repair(d.text, d.len, &m) == 0) {
        if (m.rounds > 0)
            expect_utf8(m.text, m.len);
        free(m.rounds > 0 ? m.text : NULL);
    }
    xlate_detection det;
    if (xlate_detect(d.text, d.len, &det, &err) != 0)
        xlate_error_clear(&err);
    xlate_text_score score;
    xlate_score_text(d.text, d.len, &score);
    fuzz_sink ^= xlate_text_has_odd_marks(d.text, d.len);
    xlate_decoded_free(&d);
    return 0;
}
