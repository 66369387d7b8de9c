/*
 * Harness: SRX rule files (core/segment/srx.h) as a user hands them to --srx. The first byte picks the
 * language the rules are asked for; then comes the SRX document, and after a FUZZ_SEPARATOR line
 * the text whose breaks the rules decide (a sample sentence when there is none). The breaks must be
 * the same with and without the shortcuts, sorted, and inside the text.
 */
#include "fuzz.h"

#include <unicode/ustring.h>

#include "srx.h"

static const char *const languages[] = {"uk", "en", "ru", "de", "fr", "es", "ja", "", "zh-Hant", "x"};

static const char sample[] = "Dr. Smith went to Washington D.C. on Jan. 5. He left! Did he? "
                             "\xD0\x9C. \xD0\x93\xD1\x80\xD1\x83\xD1\x88\xD0\xB5\xD0\xB2\xD1\x81"
                             "\xD1\x8C\xD0\xBA\xD0\xB8\xD0\xB9 (1866 \xD1\x80.) \xD0\xBF\xD0\xB8"
                             "\xD1\x81\xD0\xB0\xD0\xB2...\n";

/* The breaks of `text` with the shortcuts on or off; -1 when the rules refuse. */
static int breaks_of(xlate_srx_rules *r, int shortcuts, const UChar *text, int32_t len,
                     int32_t **breaks, size_t *n) {
    const int32_t fallback[] = {len / 3, len / 2};
    xlate_error err = {0};
    xlate_srx_rules_use_shortcuts(r, shortcuts);
    int rc = xlate_srx_rules_breaks(r, text, len, fallback, len > 6 ? 2 : 0, breaks, n, &err);
    xlate_error_clear(&err);
    return rc;
}

static void check_breaks(xlate_srx_rules *r, const UChar *text, int32_t len) {
    int32_t *fast = NULL, *slow = NULL;
    size_t n_fast = 0, n_slow = 0;
    int rc_fast = breaks_of(r, 1, text, len, &fast, &n_fast);
    int rc_slow = breaks_of(r, 0, text, len, &slow, &n_slow);
    if (rc_fast == 0 && rc_slow == 0) {
        if (n_fast != n_slow || (n_fast && memcmp(fast, slow, n_fast * sizeof *fast) != 0))
            abort(); /* the shortcuts changed an answer */
        for (size_t i = 0; i < n_fast; i++)
            if (fast[i] < 0 || fast[i] > len || (i && fast[i] <= fast[i - 1]))
                abort();
    }
    free(fast);
    free(slow);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *lang = languages[fuzz_byte(&data, &size) % (sizeof languages / sizeof *languages)];
    size_t xml_len, text_len;
    const uint8_t *xml = fuzz_part(&data, &size, &xml_len);
    const uint8_t *text8 = fuzz_part(&data, &size, &text_len);
    if (text_len == 0) {
        text8 = (const uint8_t *)sample;
        text_len = sizeof sample - 1;
    }

    xlate_srx *srx = NULL;
    xlate_error err = {0};
    if (xlate_srx_parse((const char *)xml, xml_len, "fuzz.srx", &srx, &err) != 0) {
        if (!err.message)
            abort();
        xlate_error_clear(&err);
        return 0;
    }
    fuzz_sink ^= xlate_srx_cascades(srx) + xlate_srx_wants_icu(srx);
    xlate_srx_rules *rules = NULL;
    if (xlate_srx_rules_new(srx, lang, &rules, &err) == 0) {
        int32_t len = 0;
        UErrorCode status = U_ZERO_ERROR;
        UChar *text = malloc((text_len + 1) * sizeof *text);
        if (!text)
            abort();
        u_strFromUTF8WithSub(text, (int32_t)text_len + 1, &len, (const char *)text8,
                             (int32_t)text_len, 0xFFFD, NULL, &status);
        if (U_SUCCESS(status))
            check_breaks(rules, text, len);
        free(text);
        xlate_srx_rules_free(rules);
    }
    xlate_error_clear(&err);
    xlate_srx_free(srx);
    return 0;
}
