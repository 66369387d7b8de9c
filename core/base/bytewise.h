/*
 * bytewise: tests on eight bytes at once in a 64-bit word, for the scans of decode (UTF-8
 * well-formedness, codepage.c) and normalize that skip long runs of plain text. Each test leaves
 * its verdict for a byte in that byte's bit 7.
 */
#ifndef XLATE_CORE_BYTEWISE_H
#define XLATE_CORE_BYTEWISE_H

#include <stdint.h>
#include <string.h>

static const uint64_t XLATE_TOP_BITS = 0x8080808080808080ull;
static const uint64_t XLATE_LOW7_BITS = 0x7F7F7F7F7F7F7F7Full;

/* Eight bytes as a number, the first in the low byte whatever the machine's byte order. */
static inline uint64_t xlate_load_le64(const unsigned char *u) {
    uint64_t w;
    memcpy(&w, u, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

/* The byte b in each of the eight places. */
static inline uint64_t xlate_every_byte(unsigned char b) { return 0x0101010101010101ull * b; }

/* Bit 7 of each byte of the result is set where that byte of w is not zero (the +0x7F carries
 * into bit 7 exactly when one of the low seven bits is set, and never into the next byte). */
static inline uint64_t xlate_nonzero_bytes(uint64_t w) {
    return (((w & XLATE_LOW7_BITS) + XLATE_LOW7_BITS) | w) & XLATE_TOP_BITS;
}

#endif
