/* utf8: the fast well-formedness check gives ICU's U8_NEXT answer — offset and length of the
 * first bad sequence — on random mixes of every kind of run and bad byte. */
#include <stdint.h>
#include <string.h>
#include <unicode/utf8.h>

#include "check.h"
#include "utf8.h"

/* The answer of ICU's U8_NEXT, one character at a time: what the fast check must agree with. */
static size_t first_invalid_by_icu(const char *s, size_t len, size_t *bad_len) {
    for (size_t i = 0; i < len;) {
        size_t start = i;
        UChar32 c;
        U8_NEXT(s, i, len, c);
        if (c < 0) {
            *bad_len = i - start;
            return start;
        }
    }
    return len;
}

static uint32_t next_random(uint32_t *state) {
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

static void test_fast_utf8_check_agrees_with_icu(void) {
    /* pieces that make up runs of every kind the fast paths take, and every kind of bad byte */
    static const char *const pieces[] = {
        "a", " ", "Київ ", "Ð", "Ñ", "Â ", "Ã©", "ß¿",
        "â", "ï»¿", "ð", "À", "Á¿", "à",
        "í ", "ô", "õ", "ÿ", "", "¿", "Ð", "â",
        "ð", "Â", "abcdefgh", "Ð°Ð±Ð²Ð³"};
    enum { PIECES = sizeof pieces / sizeof pieces[0] };
    uint32_t state = 7;
    char buf[512];
    for (int round = 0; round < 20000; round++) {
        size_t len = 0;
        int n = (int)(next_random(&state) % 24);
        int bad_allowed = round % 3 == 0;
        for (int k = 0; k < n; k++) {
            const char *p = pieces[next_random(&state) % (bad_allowed ? PIECES : 11)];
            size_t pl = strlen(p);
            if (len + pl >= sizeof buf)
                break;
            memcpy(buf + len, p, pl);
            len += pl;
        }
        size_t want_bad = 0, got_bad = 0;
        size_t want = first_invalid_by_icu(buf, len, &want_bad);
        size_t got = xlate_utf8_first_invalid(buf, len, &got_bad);
        CHECK_INT(got, want);
        if (want < len)
            CHECK_INT(got_bad, want_bad);
        if (got != want)
            break;
    }
}

int main(void) {
    test_fast_utf8_check_agrees_with_icu();
    return check_result("utf8");
}
