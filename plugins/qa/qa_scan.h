/*
 * qa_scan: one pass over a source or a target text that collects what the qa checks compare:
 * numbers and dates (read with the text's language conventions), URLs, e-mail addresses and
 * placeholders, the whitespace at either end, double spaces, the closing punctuation, words
 * (doubled ones, ones that mix scripts, whether any is a common word), unbalanced brackets and
 * quotation marks, and the length in characters. Sits between qa_checker_run and the checks.
 */
#ifndef XLATE_QA_SCAN_H
#define XLATE_QA_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include <unicode/uscript.h>

#include "qa_lang.h"

typedef enum qa_token_kind {
    QA_TOK_NUMBER,
    QA_TOK_DATE,
    QA_TOK_URL,
    QA_TOK_EMAIL,
    QA_TOK_PLACEHOLDER
} qa_token_kind;

typedef struct qa_token {
    qa_token_kind kind;
    int matched;         /* scratch for the checks that pair tokens up */
    size_t start, end;   /* bytes of the text */
    char value[32];      /* numbers: "1000", "3.5"; dates: "2024-05-24"; others: "" */
    int day, year;       /* dates: for a date whose month the other side spells out */
} qa_token;

typedef enum qa_end_class {
    QA_END_NONE,
    QA_END_PERIOD,
    QA_END_QUESTION,
    QA_END_EXCLAMATION,
    QA_END_COLON,
    QA_END_SEMICOLON,
    QA_END_ELLIPSIS
} qa_end_class;

#define QA_MAX_MIXED 4

typedef struct qa_span {
    size_t start, end;
} qa_span;

/* What the pass needs to know of a character, from ICU, in one byte: its class (bits 0-2: other,
 * letter, mark, digit, space, quote-like punctuation), the script of a letter as the mixed-script
 * check tells them apart (bits 3-5: none, Latin, Cyrillic, Greek, another), a capital (bit 6). */
typedef uint8_t qa_char_bits;

typedef struct qa_char_entry {
    UChar32 cp;        /* 0: empty (the table holds the code points below U+0800) */
    qa_char_bits bits;
} qa_char_entry;

#define QA_CHAR_TABLE 0x800
#define QA_CHAR_CACHE 256

typedef struct qa_profile {
    /* kept from scan to scan: the code points of one and two UTF-8 bytes, filled from ICU at the
     * first scan, and those above by code point modulo the size, as they come */
    int table_ready;
    qa_char_bits table[QA_CHAR_TABLE];
    qa_char_bits letter_lead[256]; /* a lead byte of two whose characters are letters alike */
    uint8_t plain[128];            /* ASCII the pass takes without a second look (plain_run) */
    qa_char_bits cyrillic_pair;    /* letter_lead of D0 and D1 when alike, else 0: the letters
                                    * of U+0400..U+047F taken eight bytes at a time */
    qa_char_entry cache[QA_CHAR_CACHE];
    qa_token *tokens;      /* owned, reused from scan to scan; URLs, e-mails, placeholders first */
    size_t cap;
    /* what one scan found: all below is emptied at its start */
    size_t n_tokens;
    unsigned kinds;           /* bit 1u << kind for each kind among the tokens */
    size_t lead_ws, trail_ws; /* bytes of whitespace at the start and the end */
    int blank;                /* nothing but whitespace (or nothing) */
    size_t n_double_spaces;   /* runs of 2+ spaces between words */
    size_t double_space_at;   /* byte offset of the first run */
    qa_end_class end;
    size_t chars;             /* code points outside whitespace and URLs/e-mails/placeholders */
    size_t n_marked;          /* tokens[0, n_marked) found from '@' and "://"; the rest in order */
    /* Words: taken in the scan when it was asked to, else by qa_profile_words when a check needs
     * them (words_done 2), or up to the first common word (1, has_common_word alone known). */
    int words_done;
    int has_common_word;
    size_t common_words;      /* words of 2+ letters not starting with a capital (or caseless) */
    size_t n_doubled;         /* a word repeated right after itself */
    qa_span doubled;          /* the first repetition */
    size_t n_mixed;           /* words whose letters are of two of Latin, Cyrillic, Greek */
    qa_span mixed[QA_MAX_MIXED];
    UScriptCode mixed_scripts[QA_MAX_MIXED][2];
    size_t brackets_unbalanced;
    UChar32 bracket_first;    /* the first bracket without its partner */
    size_t quotes_unbalanced;
    UChar32 quote_first;      /* the first quotation mark without its partner */
} qa_profile;

#define QA_PROFILE_INIT {0}

/* Scans text (UTF-8, len bytes; invalid sequences count as symbols) as language `lang` writes,
 * its words too when `words` is nonzero. Returns 0, or -1 when out of memory. */
int qa_profile_scan(qa_profile *p, const qa_lang *lang, const char *text, size_t len, int words);

/* Takes the words of the text p was scanned from (a pass of its own, skipping the tokens), all of
 * them, or with stop_at_common up to the first common word. Does nothing when done already. */
void qa_profile_words(qa_profile *p, const char *text, size_t len, int stop_at_common);
void qa_profile_free(qa_profile *p);

/* Makes *to say what *from says of its text, tokens left out (n_tokens 0): for a second text that
 * is the first byte for byte. */
void qa_profile_copy_summary(qa_profile *to, const qa_profile *from);

/* Case-insensitive equality of two UTF-8 texts (ICU simple case folding). */
int qa_text_equal_folded(const char *a, size_t alen, const char *b, size_t blen);

#endif
