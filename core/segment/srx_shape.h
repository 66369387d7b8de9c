/*
 * srx_shape: what the matches of one ICU regular expression must look like near their ends —
 * their length, the characters they can start and end with, the first character after leading
 * white space. Part of the segment stage: srx.c derives from it cheap tests that tell where a
 * rule cannot match, so that the regular expression runs only where it might. Every answer is an
 * over-approximation: a test built from it never rejects a place where the expression matches.
 */
#ifndef XLATE_CORE_SRX_SHAPE_H
#define XLATE_CORE_SRX_SHAPE_H

#include "error.h" /* XLATE_MUST_CHECK */

#include <stdint.h>
#include <unicode/utypes.h>

/* How many characters from each end the shape describes. */
enum { XLATE_SHAPE_DEPTH = 3 };
enum { XLATE_SHAPE_UNBOUNDED = -1 };

/* A set of BMP characters as a bitmap over UTF-16 units (1024 words). Surrogate units are never
 * members: a character outside the BMP is not described, and tests must let it pass. */
typedef uint64_t xlate_charbits;
enum { XLATE_CHARBITS_WORDS = 1024 };

static inline int xlate_charbits_has(const xlate_charbits *bits, UChar c) {
    return (int)((bits[c >> 6] >> (c & 63)) & 1u);
}

/* The finitely many strings an expression can match, read backwards from their ends, with the
 * word boundary (\b) some of them must start at. */
typedef struct xlate_suffix_trie xlate_suffix_trie;

/* The shape of an expression's matches. A NULL set means "any character": nothing is known, or
 * the position may lie outside the match (first[k] and last[k] for k >= min_len). The sets belong
 * to the reader that read the shape (equal sets are shared) and live as long as it does. */
typedef struct xlate_shape {
    int32_t min_len;                      /* in code points */
    int32_t max_len;                      /* XLATE_SHAPE_UNBOUNDED when there is no limit */
    const xlate_charbits *first[XLATE_SHAPE_DEPTH]; /* the k-th character of every match */
    const xlate_charbits *last[XLATE_SHAPE_DEPTH];  /* the k-th character from the end */
    const xlate_charbits *all;            /* every character a match can contain */
    int space_only;                       /* some match is white space only (or empty) */
    const xlate_charbits *first_nonspace; /* the first character after leading white space */
    /* Positive look-behinds at the end of the expression: the text before the end of a match fits
     * them too. Look-aheads at its start: the text from the start of a match fits them too. */
    const struct xlate_shape *tails, *heads;
    int32_t n_tails, n_heads;
    const xlate_suffix_trie *suffixes; /* NULL: too many strings, or infinitely many */
} xlate_shape;

/* Whether some string of the trie ends at p (a necessary condition for a match ending there). */
XLATE_MUST_CHECK int xlate_suffix_trie_may_end_at(const xlate_suffix_trie *t, const UChar *text, int32_t p);

/* Reads shapes and keeps their sets; remembers which characters each [set] or \p{...} takes.
 * One per thread. */
typedef struct xlate_shape_reader xlate_shape_reader;

/* NULL when out of memory or ICU fails. */
xlate_shape_reader *xlate_shape_reader_new(void);
void xlate_shape_reader_free(xlate_shape_reader *r);

/* The white space that first_nonspace skips (ICU's \s). Owned by the reader. */
const xlate_charbits *xlate_shape_space(const xlate_shape_reader *r);

/* The shape of `pattern` (UTF-8 ICU syntax, compiled without flags but UREGEX_MULTILINE), with
 * the shapes of its trailing look-behinds and leading look-aheads and, when it matches finitely
 * many strings, their trie. Case-insensitive parts are taken for any text. Returns 0, or -1 when
 * the pattern uses syntax the reader does not know (back-references, \X, \R, \Q, \G...) or
 * memory runs out: *out then claims nothing (any length, any characters), which is always true. */
int xlate_shape_read(xlate_shape_reader *r, const char *pattern, xlate_shape *out);

#endif
