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

/* A numeric date on one side, its day and year as numbers on the other (a spelled-out month).
 * Each date looks through the other side's numbers: the first MAX_SPELLED dates, which a
 * sentence never passes, so that a text of thousands stays linear. */
#define MAX_SPELLED 64

static void match_spelled_dates(qa_profile *dates, qa_profile *numbers) {
    size_t tried = 0;
    for (size_t i = 0; i < dates->n_tokens && tried < MAX_SPELLED; i++) {
        qa_token *d = &dates->tokens[i];
        if (d->kind != QA_TOK_DATE || d->matched)
            continue;
        tried++;
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
    unsigned numeric = (1u << QA_TOK_NUMBER) | (1u << QA_TOK_DATE);
    if (!((sp->kinds | tp->kinds) & numeric)) /* no number on either side: nothing to pair */
        return;
    for (size_t i = 0; i < sp->n_tokens; i++)
        sp->tokens[i].matched = 0;
    for (size_t j = 0; j < tp->n_tokens; j++)
        tp->tokens[j].matched = 0;
    qa_match_tokens(sp, p->src, tp, p->tgt, numeric, 0);
    qa_match_tokens(sp, p->src, tp, p->tgt, numeric, 1);
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
