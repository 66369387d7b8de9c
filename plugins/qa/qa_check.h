/*
 * qa_check: the checks of the qa plugin as plain functions on one source/target pair, with the
 * glossary's terms and the run's two languages; each check adds at most one finding (a stable code
 * and a one-line message) to a qa_findings. qa.c, the plugin glue, reads the pairs from the host
 * and passes the findings on as segment warnings; the unit tests and the labelled-set evaluator
 * call qa_checker_run directly.
 *
 * Data path: host batch → qa.c → qa_checker_run → qa_scan (one pass over each text) → the checks
 * (checks_*.c) → findings → host->segment_warn.
 */
#ifndef XLATE_QA_CHECK_H
#define XLATE_QA_CHECK_H

#include <stddef.h>

#include "qa_lang.h"
#include "qa_scan.h"

/* One code a check; the names (qa_code_name) are the warning codes and the option keys. */
typedef enum qa_code {
    QA_NUMBERS,
    QA_TERMS,
    QA_FORBIDDEN,
    QA_UNTRANSLATED,
    QA_EMPTY,
    QA_WHITESPACE,
    QA_DOUBLE_SPACE,
    QA_END_PUNCT,
    QA_BRACKETS,
    QA_QUOTES,
    QA_URLS,
    QA_EMAILS,
    QA_PLACEHOLDERS,
    QA_MIXED_SCRIPT,
    QA_DOUBLED_WORDS,
    QA_LENGTH,
    QA_N_CHECKS
} qa_code;

/* "numbers", "end-punct"…; NULL for a value out of range. */
const char *qa_code_name(qa_code code);
/* The code named by the first len bytes of name, or -1. */
int qa_code_from_name(const char *name, size_t len);

/* A glossary term of the segment: its text in the source and the target text the glossary wants
 * (for a term kept as it is, the source text again). Neither is NUL-terminated. */
typedef struct qa_term {
    const char *source;
    size_t source_len;
    const char *target;
    size_t target_len;
} qa_term;

#define QA_MESSAGE_MAX 320

typedef struct qa_finding {
    qa_code code;
    char message[QA_MESSAGE_MAX]; /* one line, UTF-8 */
} qa_finding;

/* What one run of the checks found: at most one finding a check, in qa_code order. */
typedef struct qa_findings {
    qa_finding items[QA_N_CHECKS];
    size_t n;
} qa_findings;

/* Adds a finding (printf-style message, cut at a character boundary when too long). */
void qa_findings_add(qa_findings *f, qa_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A target term a term map forbids (TBX administrative status forbidden, deprecated or
 * superseded; a TSV/CSV `forbidden` column), with the term to use instead. NUL-terminated. */
typedef struct qa_forbidden {
    const char *term;
    const char *use;
} qa_forbidden;

/* What the checks are told beside the texts. */
typedef struct qa_config {
    unsigned enabled;        /* bit (1u << code) for each check that runs */
    const qa_forbidden *forbidden; /* the terms `forbidden` looks for (not copied), n_forbidden */
    size_t n_forbidden;
    double length_ratio;     /* target/source characters expected; 0: the pair's norm (qa_lang) */
    double length_tolerance; /* how far off, as a factor either way, before `length` warns */
    size_t length_min;       /* sources shorter than this (characters) are not length-checked */
} qa_config;

#define QA_ALL_CHECKS ((1u << QA_N_CHECKS) - 1u)
#define QA_LENGTH_TOLERANCE_DEFAULT 2.0
#define QA_LENGTH_MIN_DEFAULT 20

/* One pair as the checks see it: both texts, already scanned. */
typedef struct qa_pair {
    const char *src;
    size_t src_len;
    const char *tgt;
    size_t tgt_len;
    const qa_term *terms;
    size_t n_terms;
    const qa_lang *src_lang;
    const qa_lang *tgt_lang;
    const qa_config *config;
    double length_norm;      /* the ratio `length` compares with; 0: none, no check */
    double length_tolerance;
    qa_profile *src_prof;    /* the checks may mark the tokens they have matched */
    qa_profile *tgt_prof;
} qa_pair;

/* The source's words (doubled, mixing scripts), taken on first use: a source is scanned without
 * them, since a check needs them only once the target has such words. */
const qa_profile *qa_pair_source_words(const qa_pair *p);
/* 1 when the source has a common word (2+ letters, not starting with a capital, or caseless). */
int qa_pair_source_has_common_word(const qa_pair *p);

/* The checks. Each looks at the pair and adds at most one finding of its own code. */
void qa_check_numbers(const qa_pair *p, qa_findings *f);
void qa_check_terms(const qa_pair *p, qa_findings *f);
void qa_check_forbidden(const qa_pair *p, qa_findings *f);
void qa_check_untranslated(const qa_pair *p, qa_findings *f);
void qa_check_empty(const qa_pair *p, qa_findings *f);
void qa_check_whitespace(const qa_pair *p, qa_findings *f);
void qa_check_double_space(const qa_pair *p, qa_findings *f);
void qa_check_end_punct(const qa_pair *p, qa_findings *f);
void qa_check_brackets(const qa_pair *p, qa_findings *f);
void qa_check_quotes(const qa_pair *p, qa_findings *f);
void qa_check_urls(const qa_pair *p, qa_findings *f);
void qa_check_emails(const qa_pair *p, qa_findings *f);
void qa_check_placeholders(const qa_pair *p, qa_findings *f);
void qa_check_mixed_script(const qa_pair *p, qa_findings *f);
void qa_check_doubled_words(const qa_pair *p, qa_findings *f);
void qa_check_length(const qa_pair *p, qa_findings *f);

/* A checker for one language pair: the languages' conventions, the configuration and the scratch
 * the scans reuse from pair to pair. One per plugin instance (one thread). */
typedef struct qa_checker qa_checker;

/* Makes a checker for source language `from` and target language `to` (BCP 47; "" or NULL for the
 * target makes the checks that need the target language use the root conventions). Returns NULL
 * when out of memory. The config is copied. */
qa_checker *qa_checker_new(const char *from, const char *to, const qa_config *config);
void qa_checker_free(qa_checker *c);

/* Runs the enabled checks on one pair and fills *out (emptied first). Returns 0, or -1 when out of
 * memory (out then holds nothing). An empty target is reported by `empty` alone. */
int qa_checker_run(qa_checker *c, const char *src, size_t src_len, const char *tgt,
                   size_t tgt_len, const qa_term *terms, size_t n_terms, qa_findings *out);

/* Reads a list of check names separated by commas, '+' or spaces into a bit mask. Returns 0, or
 * -1 with bad and bad_len naming the first word that is no check. */
int qa_codes_parse(const char *list, unsigned *mask, const char **bad, size_t *bad_len);

#endif
