/*
 * srx: SRX 2.0 segmentation rules (the exchange format of Okapi and OmegaT), parsed with libxml2
 * and run with ICU regular expressions. Part of the segment stage: segment asks it where a
 * line of normalized text breaks; it knows nothing of paragraphs, spans or UTF-8.
 */
#ifndef XLATE_CORE_SRX_H
#define XLATE_CORE_SRX_H

#include <stddef.h>
#include <stdint.h>
#include <unicode/utypes.h>
#include "error.h"

/* A parsed SRX document: its language rules and language maps. Read-only once parsed. */
typedef struct xlate_srx xlate_srx;

/* The rules that apply to one language, in cascade order, with their regular expressions
 * compiled. Holds ICU matchers: one per worker, not thread-safe. */
typedef struct xlate_srx_rules xlate_srx_rules;

/* Parses SRX from memory. `name` names the source in messages (a path, "built-in rules").
 * Returns 0, or -1 with err set (naming `name` and the line). */
XLATE_MUST_CHECK int xlate_srx_parse(const char *xml, size_t len, const char *name, xlate_srx **out,
                                     xlate_error *err);

/* Reads and parses an SRX file. */
XLATE_MUST_CHECK int xlate_srx_load(const char *path, xlate_srx **out, xlate_error *err);

/* Parses the default rules built into the library (core/segment/rules/default.srx). */
XLATE_MUST_CHECK int xlate_srx_load_default(xlate_srx **out, xlate_error *err);

/* The text of the built-in rules (core/segment/rules/default.srx as built in), `*len` bytes. */
const char *xlate_srx_default_text(size_t *len);

void xlate_srx_free(xlate_srx *srx);

/* The SRX 2.0 <header cascade="..."> value. */
XLATE_MUST_CHECK int xlate_srx_cascades(const xlate_srx *srx);

/* Whether the file asks for ICU's sentence break iterator as the implicit last rule (the xlate
 * extension <xlate:options icu="yes"/> in the header). Files written for other tools do not. */
XLATE_MUST_CHECK int xlate_srx_wants_icu(const xlate_srx *srx);

/* Compiles the rules of every language map whose pattern matches `lang` (all of them with
 * cascade="yes", the first one otherwise), in map order. A language no map matches gets no
 * rules. Returns 0, or -1 with err naming the rule whose expression does not compile. */
XLATE_MUST_CHECK int xlate_srx_rules_new(const xlate_srx *srx, const char *lang, xlate_srx_rules **out,
                                         xlate_error *err);

/* Rules that decide as `proto` does, sharing what it compiled and read from the expressions (an
 * expression's compiled form, its tests, its name for messages): each worker of a batch gets its
 * own matchers this way at a fraction of what xlate_srx_rules_new costs. `proto` is only read,
 * so several threads may clone it at once; it must not be freed before its clones. Returns 0, or
 * -1 with err set (out of memory). */
XLATE_MUST_CHECK int xlate_srx_rules_clone(const xlate_srx_rules *proto, xlate_srx_rules **out,
                                           xlate_error *err);

/* How many rules apply (after cascading). */
size_t xlate_srx_rules_count(const xlate_srx_rules *r);

/* Decides the breaks of a UTF-16 text. A position p breaks when the first rule, in order, whose
 * before-break expression matches text ending at p and whose after-break expression matches
 * text starting at p is a break rule. Positions in `fallback` (sorted) break when no rule
 * matches there: they are the implicit last rule. *breaks (free()) gets the break positions,
 * sorted, without duplicates. Returns 0, or -1 with err set: a rule whose match at one place
 * of the text takes more than its budget of ICU's backtracking steps, or more than ICU's stack,
 * fails with err naming the rule file, the rule's line, rule set and expressions (XLATE_ERROR);
 * an expression that backtracks without end is an error, not a hang. */
XLATE_MUST_CHECK int xlate_srx_rules_breaks(xlate_srx_rules *r, const UChar *text, int32_t len,
                                            const int32_t *fallback, size_t n_fallback, int32_t **breaks,
                                            size_t *n_breaks, xlate_error *err);

/* A block of a longer text: the breaks at positions inside [from, to) of a piece of the text
 * that holds context on both sides. A block starts and ends right after a line end. */
typedef struct xlate_srx_block {
    int32_t from, to;  /* the block inside the piece given */
    int more;          /* the whole text goes on after the piece */
    int32_t base;      /* units of the whole text before the piece, for messages */
    size_t budget_len; /* the whole text's length: what the matchers' budgets are made for */
} xlate_srx_block;

/* Whether the rules can decide the breaks of a block of a text given the block and some context
 * on both sides: not with a no-break rule whose before-break expression has no bounded length
 * (it runs in a window), nor with a break rule that can match over a line end or that has no
 * first character for the search to skip to. What the rules see before a position is bounded,
 * as ICU bounds every look-behind, but not known: the caller gives thousands of units before
 * the block (segment.c), more than rules written for sentences look back. */
XLATE_MUST_CHECK int xlate_srx_rules_blockwise(const xlate_srx_rules *r);

/* As xlate_srx_rules_breaks, for positions inside block->from, block->to of `text`, with the
 * matchers' budgets for a text of block->budget_len. A block that is not the whole text needs
 * rules that run on blocks (xlate_srx_rules_blockwise). *complete is 0 (and no breaks given) when that is missing, or when a matcher or a
 * test read to `len` while block->more says the text goes on: more context after the block could
 * change the answer. */
XLATE_MUST_CHECK int xlate_srx_rules_breaks_in(xlate_srx_rules *r, const UChar *text, int32_t len,
                                               const xlate_srx_block *block,
                                               const int32_t *fallback, size_t n_fallback,
                                               int32_t **breaks, size_t *n_breaks, int *complete,
                                               xlate_error *err);

/* The rules run their regular expressions only where cheap tests read from the expressions say
 * they can match (on by default). Off, every matcher runs everywhere: the same breaks, slower;
 * for checking that the tests never change an answer. */
void xlate_srx_rules_use_shortcuts(xlate_srx_rules *r, int on);

void xlate_srx_rules_free(xlate_srx_rules *r);

#endif
