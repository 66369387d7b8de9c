/*
 * checks_tokens: the checks of what a translation carries over unchanged: `urls`, `emails` and
 * `placeholders` (each of the source's must be in the target, written the same; a placeholder the
 * source lacks is wrong too, since a program fills in only its own), `terms` (each glossary
 * term's target text must be in the target, in any case) and `forbidden` (no term a term map
 * forbids may be, as a word of its own).
 */
#include <string.h>

#include "checks_util.h"
#include "qa_check.h"

/* Pairs the tokens of one kind by their text; lists the source's without a partner in *missing
 * and the target's in *added. */
static void compare_kind(const qa_pair *p, qa_token_kind kind, qa_list *missing, qa_list *added) {
    qa_profile *sp = p->src_prof, *tp = p->tgt_prof;
    for (size_t i = 0; i < sp->n_tokens; i++)
        sp->tokens[i].matched = 0;
    for (size_t j = 0; j < tp->n_tokens; j++)
        tp->tokens[j].matched = 0;
    qa_match_tokens(sp, p->src, tp, p->tgt, 1u << kind, 0);
    for (size_t i = 0; i < sp->n_tokens; i++) {
        const qa_token *s = &sp->tokens[i];
        if (s->kind == kind && !s->matched)
            qa_list_add(missing, p->src, s->start, s->end);
    }
    for (size_t j = 0; j < tp->n_tokens; j++) {
        const qa_token *t = &tp->tokens[j];
        if (t->kind == kind && !t->matched)
            qa_list_add(added, p->tgt, t->start, t->end);
    }
}

/* Whether either text has a token of the kind: most pairs have none, and then nothing to pair. */
static int has_kind(const qa_pair *p, qa_token_kind kind) {
    return ((p->src_prof->kinds | p->tgt_prof->kinds) >> kind) & 1u;
}

static void report_missing(qa_findings *f, qa_code code, const char *one, const char *many,
                           const qa_list *missing) {
    if (missing->n)
        qa_findings_add(f, code, "%s %s missing from the target", missing->n > 1 ? many : one,
                        missing->text);
}

void qa_check_urls(const qa_pair *p, qa_findings *f) {
    if (!has_kind(p, QA_TOK_URL))
        return;
    qa_list missing = QA_LIST_INIT, added = QA_LIST_INIT;
    compare_kind(p, QA_TOK_URL, &missing, &added);
    report_missing(f, QA_URLS, "URL", "URLs", &missing);
}

void qa_check_emails(const qa_pair *p, qa_findings *f) {
    if (!has_kind(p, QA_TOK_EMAIL))
        return;
    qa_list missing = QA_LIST_INIT, added = QA_LIST_INIT;
    compare_kind(p, QA_TOK_EMAIL, &missing, &added);
    report_missing(f, QA_EMAILS, "e-mail address", "e-mail addresses", &missing);
}

void qa_check_placeholders(const qa_pair *p, qa_findings *f) {
    if (!has_kind(p, QA_TOK_PLACEHOLDER))
        return;
    qa_list missing = QA_LIST_INIT, added = QA_LIST_INIT;
    compare_kind(p, QA_TOK_PLACEHOLDER, &missing, &added);
    if (missing.n && added.n)
        qa_findings_add(f, QA_PLACEHOLDERS, "%s %s missing from the target, which has %s instead",
                        missing.n > 1 ? "placeholders" : "placeholder", missing.text, added.text);
    else if (missing.n)
        report_missing(f, QA_PLACEHOLDERS, "placeholder", "placeholders", &missing);
    else if (added.n)
        qa_findings_add(f, QA_PLACEHOLDERS, "%s %s in the target %s not in the source",
                        added.n > 1 ? "placeholders" : "placeholder", added.text,
                        added.n > 1 ? "are" : "is");
}

void qa_check_terms(const qa_pair *p, qa_findings *f) {
    size_t missing = 0;
    const qa_term *first = NULL;
    for (size_t k = 0; k < p->n_terms; k++) {
        const qa_term *t = &p->terms[k];
        if (!qa_contains_folded(p->tgt, p->tgt_len, t->target, t->target_len)) {
            if (!first)
                first = t;
            missing++;
        }
    }
    if (!first)
        return;
    char target[80], source[80];
    qa_quote(target, sizeof target, first->target, first->target_len, 60);
    qa_quote(source, sizeof source, first->source, first->source_len, 60);
    if (missing > 1)
        qa_findings_add(f, QA_TERMS, "term %s (for %s) and %zu more missing from the target",
                        target, source, missing - 1);
    else if (first->target_len == first->source_len &&
             memcmp(first->target, first->source, first->source_len) == 0)
        qa_findings_add(f, QA_TERMS, "term %s, to be kept as it is, missing from the target",
                        target);
    else
        qa_findings_add(f, QA_TERMS, "term %s (for %s) missing from the target", target, source);
}

void qa_check_forbidden(const qa_pair *p, qa_findings *f) {
    size_t found = 0;
    const qa_forbidden *first = NULL;
    for (size_t k = 0; k < p->config->n_forbidden; k++) {
        const qa_forbidden *x = &p->config->forbidden[k];
        if (qa_contains_word_folded(p->tgt, p->tgt_len, x->term, strlen(x->term))) {
            if (!first)
                first = x;
            found++;
        }
    }
    if (!first)
        return;
    char term[80], use[80];
    qa_quote(term, sizeof term, first->term, strlen(first->term), 60);
    qa_quote(use, sizeof use, first->use, strlen(first->use), 60);
    if (found > 1)
        qa_findings_add(f, QA_FORBIDDEN, "forbidden term %s in the target (use %s), and %zu more",
                        term, use, found - 1);
    else
        qa_findings_add(f, QA_FORBIDDEN, "forbidden term %s in the target; use %s", term, use);
}
