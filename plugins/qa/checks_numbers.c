/*
 * checks_numbers: the `numbers` check. Every number and date of the source must be in the target
 * and the target may hold none the source lacks. Each side is read with its own language's
 * conventions (qa_scan), so "1 000,5" in Ukrainian is "1,000.5" in English and "24.05.2024" is
 * "05/24/2024" in American English; a number written the same way on both sides always agrees, and
 * a date whose month one side spells out ("24 May 2024") agrees by its day and year.
 */
#include <stdio.h>
#include <string.h>

#include "checks_util.h"
#include "qa_check.h"

static int is_numeric(const qa_token *t) {
    return t->kind == QA_TOK_NUMBER || t->kind == QA_TOK_DATE;
}

static int same_text(const char *a, const qa_token *x, const char *b, const qa_token *y) {
    return x->end - x->start == y->end - y->start &&
           memcmp(a + x->start, b + y->start, x->end - x->start) == 0;
}

typedef int (*pairing)(const qa_pair *p, const qa_token *s, const qa_token *t);

static int by_text(const qa_pair *p, const qa_token *s, const qa_token *t) {
    return same_text(p->src, s, p->tgt, t);
}

static int by_value(const qa_pair *p, const qa_token *s, const qa_token *t) {
    (void)p;
    return s->kind == t->kind && strcmp(s->value, t->value) == 0;
}

static void match_all(const qa_pair *p, pairing same) {
    qa_profile *sp = p->src_prof, *tp = p->tgt_prof;
    for (size_t i = 0; i < sp->n_tokens; i++) {
        qa_token *s = &sp->tokens[i];
        if (!is_numeric(s) || s->matched)
            continue;
        for (size_t j = 0; j < tp->n_tokens; j++) {
            qa_token *t = &tp->tokens[j];
            if (is_numeric(t) && !t->matched && same(p, s, t)) {
                s->matched = t->matched = 1;
                break;
            }
        }
    }
}

static qa_token *unmatched_number(qa_profile *pr, int value) {
    char want[16];
    snprintf(want, sizeof want, "%d", value);
    for (size_t j = 0; j < pr->n_tokens; j++) {
        qa_token *t = &pr->tokens[j];
        if (t->kind == QA_TOK_NUMBER && !t->matched && strcmp(t->value, want) == 0)
            return t;
    }
    return NULL;
}

/* A numeric date on one side, its day and year as numbers on the other (a spelled-out month). */
static void match_spelled_dates(qa_profile *dates, qa_profile *numbers) {
    for (size_t i = 0; i < dates->n_tokens; i++) {
        qa_token *d = &dates->tokens[i];
        if (d->kind != QA_TOK_DATE || d->matched)
            continue;
        qa_token *day = unmatched_number(numbers, d->day);
        if (!day)
            continue;
        day->matched = 1; /* so that the year is not the day's token again */
        qa_token *year = unmatched_number(numbers, d->year);
        if (!year) {
            day->matched = 0;
            continue;
        }
        year->matched = d->matched = 1;
    }
}

static const char *noun(int dates, size_t n) {
    return dates ? (n > 1 ? "dates" : "date") : (n > 1 ? "numbers" : "number");
}

void qa_check_numbers(const qa_pair *p, qa_findings *f) {
    qa_profile *sp = p->src_prof, *tp = p->tgt_prof;
    for (size_t i = 0; i < sp->n_tokens; i++)
        sp->tokens[i].matched = 0;
    for (size_t j = 0; j < tp->n_tokens; j++)
        tp->tokens[j].matched = 0;
    match_all(p, by_text);
    match_all(p, by_value);
    match_spelled_dates(sp, tp);
    match_spelled_dates(tp, sp);

    qa_list missing = QA_LIST_INIT, added = QA_LIST_INIT;
    int missing_dates = 1, added_dates = 1;
    for (size_t i = 0; i < sp->n_tokens; i++)
        if (is_numeric(&sp->tokens[i]) && !sp->tokens[i].matched) {
            qa_list_add(&missing, p->src, sp->tokens[i].start, sp->tokens[i].end);
            missing_dates &= sp->tokens[i].kind == QA_TOK_DATE;
        }
    for (size_t j = 0; j < tp->n_tokens; j++)
        if (is_numeric(&tp->tokens[j]) && !tp->tokens[j].matched) {
            qa_list_add(&added, p->tgt, tp->tokens[j].start, tp->tokens[j].end);
            added_dates &= tp->tokens[j].kind == QA_TOK_DATE;
        }
    const char *what = missing.n ? noun(missing_dates, missing.n) : noun(added_dates, added.n);
    if (missing.n && added.n)
        qa_findings_add(f, QA_NUMBERS, "%s %s missing from the target, which has %s instead", what,
                        missing.text, added.text);
    else if (missing.n)
        qa_findings_add(f, QA_NUMBERS, "%s %s missing from the target", what, missing.text);
    else if (added.n)
        qa_findings_add(f, QA_NUMBERS, "%s %s in the target %s not in the source", what,
                        added.text, added.n > 1 ? "are" : "is");
}
