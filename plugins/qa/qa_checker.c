/*
 * qa_checker: runs the qa checks on one pair (see qa_check.h): scans both texts with their
 * languages' conventions, then calls each enabled check in code order. Also the check names and
 * the findings list.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

#include "qa_check.h"

static const char *const code_names[QA_N_CHECKS] = {
    [QA_NUMBERS] = "numbers",
    [QA_TERMS] = "terms",
    [QA_FORBIDDEN] = "forbidden",
    [QA_UNTRANSLATED] = "untranslated",
    [QA_EMPTY] = "empty",
    [QA_WHITESPACE] = "whitespace",
    [QA_DOUBLE_SPACE] = "double-space",
    [QA_END_PUNCT] = "end-punct",
    [QA_BRACKETS] = "brackets",
    [QA_QUOTES] = "quotes",
    [QA_URLS] = "urls",
    [QA_EMAILS] = "emails",
    [QA_PLACEHOLDERS] = "placeholders",
    [QA_MIXED_SCRIPT] = "mixed-script",
    [QA_DOUBLED_WORDS] = "doubled-words",
    [QA_LENGTH] = "length",
};

typedef void (*check_fn)(const qa_pair *p, qa_findings *f);

static const check_fn check_fns[QA_N_CHECKS] = {
    [QA_NUMBERS] = qa_check_numbers,
    [QA_TERMS] = qa_check_terms,
    [QA_FORBIDDEN] = qa_check_forbidden,
    [QA_UNTRANSLATED] = qa_check_untranslated,
    [QA_EMPTY] = qa_check_empty,
    [QA_WHITESPACE] = qa_check_whitespace,
    [QA_DOUBLE_SPACE] = qa_check_double_space,
    [QA_END_PUNCT] = qa_check_end_punct,
    [QA_BRACKETS] = qa_check_brackets,
    [QA_QUOTES] = qa_check_quotes,
    [QA_URLS] = qa_check_urls,
    [QA_EMAILS] = qa_check_emails,
    [QA_PLACEHOLDERS] = qa_check_placeholders,
    [QA_MIXED_SCRIPT] = qa_check_mixed_script,
    [QA_DOUBLED_WORDS] = qa_check_doubled_words,
    [QA_LENGTH] = qa_check_length,
};

const char *qa_code_name(qa_code code) {
    return (unsigned)code < QA_N_CHECKS ? code_names[code] : NULL;
}

int qa_code_from_name(const char *name, size_t len) {
    for (int k = 0; k < QA_N_CHECKS; k++)
        if (strlen(code_names[k]) == len && memcmp(code_names[k], name, len) == 0)
            return k;
    return -1;
}

int qa_codes_parse(const char *list, unsigned *mask, const char **bad, size_t *bad_len) {
    static const char seps[] = ", +;|";
    *mask = 0;
    for (const char *s = list; *s;) {
        s += strspn(s, seps);
        size_t n = strcspn(s, seps);
        if (!n)
            break;
        int k = qa_code_from_name(s, n);
        if (k < 0) {
            *bad = s;
            *bad_len = n;
            return -1;
        }
        *mask |= 1u << k;
        s += n;
    }
    return 0;
}

void qa_findings_add(qa_findings *f, qa_code code, const char *fmt, ...) {
    if (f->n >= QA_N_CHECKS)
        return;
    qa_finding *item = &f->items[f->n++];
    item->code = code;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(item->message, sizeof item->message, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof item->message) { /* cut short: drop a character cut in two */
        size_t len = sizeof item->message - 1, lead = len;
        while (lead > 0 && U8_IS_TRAIL((unsigned char)item->message[lead - 1]))
            lead--;
        if (lead > 0 && lead + U8_COUNT_TRAIL_BYTES((unsigned char)item->message[lead - 1]) > len)
            item->message[lead - 1] = '\0';
    }
}

const qa_profile *qa_pair_source_words(const qa_pair *p) {
    qa_profile_words(p->src_prof, p->src, p->src_len, 0);
    return p->src_prof;
}

int qa_pair_source_has_common_word(const qa_pair *p) {
    qa_profile_words(p->src_prof, p->src, p->src_len, 1);
    return p->src_prof->has_common_word;
}

struct qa_checker {
    qa_lang src, tgt;
    qa_config config;
    double norm, tolerance;
    qa_profile src_prof, tgt_prof;
};

qa_checker *qa_checker_new(const char *from, const char *to, const qa_config *config) {
    qa_checker *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    qa_lang_init(&c->src, from);
    qa_lang_init(&c->tgt, to);
    c->config = *config;
    c->tolerance = config->length_tolerance > 1.0 ? config->length_tolerance
                                                  : QA_LENGTH_TOLERANCE_DEFAULT;
    int known = 1;
    c->norm = config->length_ratio > 0 ? config->length_ratio
                                       : qa_lang_length_norm(&c->src, &c->tgt, &known);
    /* a pair never measured gets a wider margin: "far outside" a norm nobody knows */
    if (known == 0)
        c->tolerance *= 1.5;
    return c;
}

void qa_checker_free(qa_checker *c) {
    if (!c)
        return;
    qa_profile_free(&c->src_prof);
    qa_profile_free(&c->tgt_prof);
    free(c);
}

int qa_checker_run(qa_checker *c, const char *src, size_t src_len, const char *tgt,
                   size_t tgt_len, const qa_term *terms, size_t n_terms, qa_findings *out) {
    out->n = 0;
    unsigned enabled = c->config.enabled;
    /* the source's words only when a check needs them (qa_pair_source_words) */
    if (qa_profile_scan(&c->src_prof, &c->src, src, src_len, 0) != 0)
        return -1;
    /* A target that is the source byte for byte has all the source has: only the checks that
     * look past the two texts (untranslated, terms, forbidden, length against the norm) can find
     * anything,
     * and they need no scan of it. A copying engine makes this the common case. */
    int same = tgt_len == src_len && memcmp(src, tgt, src_len) == 0 && !c->src_prof.blank;
    if (same) {
        qa_profile_copy_summary(&c->tgt_prof, &c->src_prof);
        enabled &= (1u << QA_UNTRANSLATED) | (1u << QA_TERMS) | (1u << QA_FORBIDDEN) |
                   (1u << QA_LENGTH);
    } else if (qa_profile_scan(&c->tgt_prof, &c->tgt, tgt, tgt_len, 1) != 0) {
        return -1;
    }
    qa_pair p = {src, src_len, tgt, tgt_len, terms, n_terms, &c->src, &c->tgt, &c->config,
                 c->norm, c->tolerance, &c->src_prof, &c->tgt_prof};
    if (c->tgt_prof.blank) {
        if (enabled & (1u << QA_EMPTY))
            qa_check_empty(&p, out);
        return 0;
    }
    for (int k = 0; k < QA_N_CHECKS; k++)
        if (enabled & (1u << k))
            check_fns[k](&p, out);
    return 0;
}
