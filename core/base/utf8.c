/*
 * utf8: whether bytes are well-formed UTF-8, and where they stop being so — the one answer every
 * stage asks for (decode before it takes a text as UTF-8, detect, segment for its own error,
 * archive_in for entry names). ICU's U8_NEXT decides; plain runs go eight bytes at a time.
 */
#include "utf8.h"

#include <stdint.h>
#include <unicode/utf8.h>

#include "bytewise.h"

/* Checks eight bytes as part of a run of ASCII and two-byte sequences (all of Latin, Greek,
 * Cyrillic text but its punctuation). Each byte's verdict sits in its bit 7: lead bytes C2..DF,
 * continuation bytes, and bytes that end such a run at once (C0, C1, E0..FF). Every continuation
 * byte must follow a lead byte and every lead byte be followed by one; `*lead_carry` (bit 7) says
 * the previous block ended with a lead byte. Returns nonzero when the block fits the run. */
static int two_byte_run(uint64_t w, uint64_t *lead_carry) {
    uint64_t high = w & (w << 1) & XLATE_TOP_BITS;                     /* C0..FF */
    uint64_t c0_c1 = ~xlate_nonzero_bytes((w ^ xlate_every_byte(0xC0)) & xlate_every_byte(0xFE)) &
                     XLATE_TOP_BITS;                                   /* C0, C1 */
    uint64_t three_up = high & (w << 2);                         /* E0..FF */
    uint64_t lead = high & ~three_up & ~c0_c1;
    uint64_t cont = w & ~(w << 1) & XLATE_TOP_BITS;                    /* 80..BF */
    uint64_t after_lead = lead << 8 | *lead_carry;
    if ((c0_c1 | three_up) || cont != after_lead)
        return 0;
    *lead_carry = lead >> 56;
    return 1;
}

size_t xlate_utf8_first_invalid(const char *bytes, size_t len, size_t *bad_len) {
    const unsigned char *u = (const unsigned char *)bytes;
    size_t i = 0;
    while (i < len) {
        /* runs of ASCII and two-byte characters, eight bytes at a time; a run that stops right
         * after a lead byte goes back to it */
        uint64_t carry = 0;
        size_t from = i;
        while (i + 8 <= len && two_byte_run(xlate_load_le64(u + i), &carry))
            i += 8;
        if (carry)
            i--;
        if (i != from)
            continue;
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        if (u[i] >= 0xC2 && u[i] <= 0xDF && i + 1 < len && (u[i + 1] & 0xC0) == 0x80) {
            i += 2;
            continue;
        }
        size_t start = i;
        UChar32 c;
        U8_NEXT(bytes, i, len, c);
        if (c < 0) {
            if (bad_len)
                *bad_len = i - start;
            return start;
        }
    }
    return len;
}
