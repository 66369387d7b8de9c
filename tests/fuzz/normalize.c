/*
 * Harness: the normalize stage (core/input/normalize.h) on any valid UTF-8. The first byte picks the
 * normalization form, the apostrophe and the homoglyph and space repairs; the rest, cut at its
 * first invalid sequence (decode has refused or replaced those before normalize ever runs), is the
 * text. Both ways in (copy and take-over) must give the same valid UTF-8.
 */
#include "fuzz.h"

#include "normalize.h"
#include "utf8.h"

static const char *const apostrophes[] = {"\xCA\xBC", NULL, "'", "\xE2\x80\x99"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    unsigned choice = fuzz_byte(&data, &size);
    xlate_normalize_options opts = XLATE_NORMALIZE_OPTIONS_INIT;
    opts.form = (xlate_norm_form)(choice % 3);
    opts.apostrophe = apostrophes[(choice >> 2) & 3];
    opts.fix_homoglyphs = (choice >> 4) & 1;
    opts.fix_spaces = (choice >> 5) & 1;

    const char *text = (const char *)data;
    size_t len = xlate_utf8_first_invalid(text, size, NULL);
    char *out = NULL, *out2 = NULL;
    size_t out_len = 0, out2_len = 0;
    xlate_error err = {0};
    int rc = xlate_normalize(text, len, &opts, &out, &out_len, &err);
    xlate_error_clear(&err);
    char *owned = fuzz_strndup(data, len);
    int rc2 = xlate_normalize_owned(owned, len, &opts, &out2, &out2_len, &err);
    xlate_error_clear(&err);
    if (rc != rc2)
        abort();
    if (rc == 0) {
        if (out[out_len] != '\0' || xlate_utf8_first_invalid(out, out_len, NULL) != out_len)
            abort();
        if (out_len != out2_len || memcmp(out, out2, out_len) != 0)
            abort();
    }
    free(out);
    free(out2);
    return 0;
}
