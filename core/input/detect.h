/*
 * detect: part of the decode stage. Guesses the encoding of raw bytes when the user did not name
 * one: BOM, then UTF-8, then UTF-16/32 by their zero-byte pattern, then ICU's charset detector's
 * candidates and the Cyrillic code pages, each decoded and scored with letter and bigram
 * statistics of Ukrainian, Russian and English (core/input/lang_tables.h). Also the rule that tells
 * binary data from text, asked before anything is decoded, and the language scorer that mojibake
 * repair and `xlate detect` use.
 */
#ifndef XLATE_CORE_DETECT_H
#define XLATE_CORE_DETECT_H

#include <stddef.h>
#include "error.h"

typedef struct xlate_detection {
    char encoding[32];   /* canonical name, as xlate_encoding_resolve gives it */
    char iconv[32];      /* the name iconv_open takes */
    double confidence;   /* 0..1 */
    size_t bom_len;      /* bytes of byte order mark at the start (0 when none) */
    char language[4];    /* "uk", "ru", "en", or "" when the text has too few letters to tell */
    int utf8_checked;    /* every byte was found to be well-formed UTF-8 (decode need not look
                            again) */
} xlate_detection;

/* Guesses the encoding of `len` bytes. Never fails on content: text that fits no encoding well
 * still gets the best guess, with a low confidence. Returns 0, or -1 with err set when out of
 * memory. */
XLATE_MUST_CHECK int xlate_detect(const char *bytes, size_t len, xlate_detection *out, xlate_error *err);

/* The same guess without the language (left ""): all that decoding needs. The language costs a
 * pass of the scorer over up to 256 KB, which valid UTF-8 would otherwise not need at all. */
XLATE_MUST_CHECK int xlate_detect_encoding(const char *bytes, size_t len, xlate_detection *out, xlate_error *err);

/* --- text or binary: the one rule every command and batch's archive reader apply ------------ */

/* What xlate_detect_binary found. */
typedef struct xlate_binary_check {
    int binary;          /* 1: the bytes are binary data, not text */
    size_t offset;       /* binary: byte offset of the first sign of it */
    unsigned value;      /* binary: that byte, or the character of that UTF-16/32 unit; 0 is NUL */
    size_t unit;         /* 1 when bytes were looked at; 2 or 4 when UTF-16 or UTF-32 units were */
    size_t text_len;     /* text: `len` without the end-of-file marks (SUB, 0x1A) that DOS and CP/M
                            put after the text; what decoding should read */
} xlate_binary_check;

/* Whether `len` bytes are binary data rather than text. They are when they hold a NUL, or a
 * control character that no text holds: any C0 control but BEL, BS, TAB, LF, VT, FF, CR and ESC
 * (the set file(1) takes for text), or DEL; SUB only as the run that ends the bytes. UTF-16 and
 * UTF-32 text is looked at a unit at a time, so its zero bytes are no sign: it is UTF-16/32 when
 * `encoding` names it, or under auto (`encoding` NULL or "auto") when a byte order mark says so or
 * when the bytes read as UTF-16/32 to xlate_detect (their zero-byte pattern). Any other named
 * encoding is looked at a byte at a time. Every byte is looked at, so the answer never depends on
 * where in a file the sign lies. Returns out->binary. */
XLATE_MUST_CHECK int xlate_detect_binary(const char *bytes, size_t len, const char *encoding,
                                         xlate_binary_check *out);

/* The sign found, for a message: "a NUL byte at offset 4", "control character 0x01 at offset
 * 9", "control character U+0001 at offset 10" (UTF-16/32). Returns what snprintf returns. */
int xlate_binary_describe(const xlate_binary_check *c, char *out, size_t cap);

/* The byte order of UTF-16 (width 2) or UTF-32 (width 4) bytes whose encoding name does not say
 * it: the byte order mark's, else the order in which the high byte of a unit is the smaller one
 * more often (0x00 for ASCII, 0x04 for Cyrillic). Returns 1 for little-endian, 0 for big-endian;
 * *bom_len gets the mark's length, 0 when there is none. */
XLATE_MUST_CHECK int xlate_detect_byte_order(const char *bytes, size_t len, size_t width, size_t *bom_len);

/* How a text reads as Ukrainian, Russian or English. */
typedef struct xlate_text_score {
    double score;        /* mean log-probability of the letter bigrams under the best language,
                            minus penalties for characters that rarely occur in real text;
                            higher is better, comparable between decodings of the same bytes */
    char language[4];    /* the best language, "" when there are fewer than a few letters */
    size_t chars;        /* characters seen */
    size_t letters;      /* letters seen */
    size_t junk;         /* characters typical of a wrong decoding (box drawing, C1 controls, ...) */
    size_t rare;         /* symbols real text seldom has (‚ ƒ ‰ ¡ ±), or a sign glued to a letter */
    size_t foreign;      /* letters outside the uk/ru/en alphabets (ў, ђ, é, Ã, ...) */
    size_t case_breaks;  /* lower case letter followed by upper case inside a word */
} xlate_text_score;

/* Scores `len` bytes of valid UTF-8. */
void xlate_score_text(const char *utf8, size_t len, xlate_text_score *out);

/* Nonzero when xlate_score_text would count any junk, rare, foreign or case_breaks in `len`
 * bytes of valid UTF-8 — the marks a wrong decoding leaves. Stops at the first one and does none
 * of the language arithmetic, so clean text costs one light pass. */
XLATE_MUST_CHECK int xlate_text_has_odd_marks(const char *utf8, size_t len);

/* The letters that only one of the Ukrainian and Russian alphabets has, counted in either case:
 * і ї є ґ (Ukrainian) and ы э ъ ё (Russian). The evidence that settles the two apart where a
 * general language identifier (langid.h) is unsure on short text. */
typedef struct xlate_cyrillic_marks {
    size_t uk;  /* і ї є ґ */
    size_t ru;  /* ы э ъ ё */
} xlate_cyrillic_marks;

/* Counts them in `len` bytes of UTF-8 (invalid bytes are skipped). */
void xlate_count_cyrillic_marks(const char *utf8, size_t len, xlate_cyrillic_marks *out);

#endif
