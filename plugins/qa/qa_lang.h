/*
 * qa_lang: what the qa checks need to know about a language, read from ICU's locale data once per
 * instance: the decimal and grouping separators of its numbers, the order of day, month and year
 * in its short dates, its quotation marks, whether its sentences end in punctuation; and the
 * length norm of a language pair. Used by the scanner (qa_scan) and the checks.
 */
#ifndef XLATE_QA_LANG_H
#define XLATE_QA_LANG_H

#include <unicode/umachine.h>

typedef enum qa_date_order { QA_DMY, QA_MDY, QA_YMD } qa_date_order;

#define QA_MAX_QUOTE_PAIRS 16

typedef struct qa_lang {
    char tag[64];          /* the BCP 47 tag as given ("" for none) */
    char language[12];     /* its ISO 639 language ("en"), "" when unknown */
    UChar32 decimal;       /* "," in uk, "." in en */
    UChar32 group;         /* U+00A0 in uk, "," in en, "." in de */
    qa_date_order order;   /* from the short date pattern: dd.MM.y → DMY, MM/dd/y → MDY */
    /* Quotation mark pairs: the language's own (ICU's quotation and alternate quotation) first,
     * then the common ones of other languages the text may quote in. open == close for marks
     * that are both ("). */
    UChar32 quote_open[QA_MAX_QUOTE_PAIRS];
    UChar32 quote_close[QA_MAX_QUOTE_PAIRS];
    int n_quotes;
    int greek;             /* ";" is its question mark */
    int no_end_punct;      /* Thai, Lao, Khmer: a sentence need not end in a mark */
    int dense;             /* written in Han, kana, Hangul or Yi: a character holds a syllable */
} qa_lang;

/* Fills *l for BCP 47 tag `tag` (NULL or "" for none: the root conventions). Never fails: what
 * ICU does not know falls back to the root locale's data. */
void qa_lang_init(qa_lang *l, const char *tag);

/* The expected ratio of target to source characters (whitespace not counted) for the pair, and
 * through *known whether it was measured (1), is the default 1.0 for two alphabets or the same
 * language (0), or cannot be guessed (-1, the ratio 0): one side writes syllables a character
 * (Chinese, Japanese, Korean) and the other letters. */
double qa_lang_length_norm(const qa_lang *src, const qa_lang *tgt, int *known);

#endif
