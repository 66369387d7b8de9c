/*
 * checks_text: the checks on the shape of the target as a whole: `empty`, `untranslated`,
 * `whitespace` (at either end), `double-space`, `end-punct`, `brackets`, `quotes`,
 * `mixed-script`, `doubled-words` and `length`. Each compares what qa_scan found in the target
 * with the source, so that what the source has itself (a list's "1)", a doubled word it quotes) is
 * no finding.
 */
#include <stdio.h>
#include <string.h>

#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "checks_util.h"
#include "qa_check.h"

void qa_check_empty(const qa_pair *p, qa_findings *f) {
    if (p->tgt_prof->blank && !p->src_prof->blank)
        qa_findings_add(f, QA_EMPTY, "the target is empty%s",
                        p->tgt_len ? " (whitespace only)" : "");
}

/* The text without the whitespace at its ends. */
static void trimmed(const char *t, size_t len, const qa_profile *pr, const char **out,
                    size_t *out_len) {
    *out = t + pr->lead_ws;
    *out_len = len - pr->lead_ws - pr->trail_ws;
}

void qa_check_untranslated(const qa_pair *p, qa_findings *f) {
    /* Numbers, names and URLs stay as they are: only a source with a common word is text that
     * should have changed. */
    if (p->src_prof->blank)
        return;
    if (p->src_lang->language[0] &&
        strcmp(p->src_lang->language, p->tgt_lang->language) == 0)
        return;
    const char *s, *t;
    size_t sn, tn;
    trimmed(p->src, p->src_len, p->src_prof, &s, &sn);
    trimmed(p->tgt, p->tgt_len, p->tgt_prof, &t, &tn);
    if (qa_text_equal_folded(s, sn, t, tn) && qa_pair_source_has_common_word(p))
        qa_findings_add(f, QA_UNTRANSLATED, "the target is the source, untranslated");
}

static const char *describe_space(const char *t, size_t n, char *buf, size_t buflen) {
    if (n == 0)
        return "none";
    size_t o = 0;
    for (size_t i = 0; i < n && o + 8 < buflen; i++) {
        unsigned char c = (unsigned char)t[i];
        const char *name = c == ' ' ? "space" : c == '\t' ? "tab" : c == '\n' ? "newline"
                                              : c == '\r' ? "CR" : NULL;
        if (!name) {
            if (U8_IS_TRAIL(c))
                continue;
            name = "U+00A0-like space";
        }
        o += (size_t)snprintf(buf + o, buflen - o, "%s%s", o ? ", " : "", name);
    }
    return buf;
}

void qa_check_whitespace(const qa_pair *p, qa_findings *f) {
    const qa_profile *s = p->src_prof, *t = p->tgt_prof;
    char a[64], b[64];
    if (s->lead_ws != t->lead_ws || memcmp(p->src, p->tgt, s->lead_ws) != 0) {
        qa_findings_add(f, QA_WHITESPACE, "leading whitespace differs: source %s, target %s",
                        describe_space(p->src, s->lead_ws, a, sizeof a),
                        describe_space(p->tgt, t->lead_ws, b, sizeof b));
        return;
    }
    if (s->trail_ws != t->trail_ws ||
        memcmp(p->src + p->src_len - s->trail_ws, p->tgt + p->tgt_len - t->trail_ws,
               s->trail_ws) != 0)
        qa_findings_add(f, QA_WHITESPACE, "trailing whitespace differs: source %s, target %s",
                        describe_space(p->src + p->src_len - s->trail_ws, s->trail_ws, a, sizeof a),
                        describe_space(p->tgt + p->tgt_len - t->trail_ws, t->trail_ws, b,
                                       sizeof b));
}

void qa_check_double_space(const qa_pair *p, qa_findings *f) {
    const qa_profile *t = p->tgt_prof;
    if (t->n_double_spaces <= p->src_prof->n_double_spaces)
        return;
    /* name the word before the first double space */
    size_t end = t->double_space_at, start = end;
    while (start > 0 && p->tgt[start - 1] != ' ' && end - start < 40)
        start--;
    while (start < end && U8_IS_TRAIL((unsigned char)p->tgt[start]))
        start++;
    char word[80];
    qa_quote(word, sizeof word, p->tgt + start, end - start, 40);
    if (start == end)
        qa_findings_add(f, QA_DOUBLE_SPACE, "double space in the target at byte %zu", end);
    else
        qa_findings_add(f, QA_DOUBLE_SPACE, "double space in the target after %s", word);
}

static const char *end_name(qa_end_class k) {
    switch (k) {
    case QA_END_PERIOD: return "a full stop";
    case QA_END_QUESTION: return "a question mark";
    case QA_END_EXCLAMATION: return "an exclamation mark";
    case QA_END_COLON: return "a colon";
    case QA_END_SEMICOLON: return "a semicolon";
    case QA_END_ELLIPSIS: return "an ellipsis";
    default: return "no punctuation";
    }
}

void qa_check_end_punct(const qa_pair *p, qa_findings *f) {
    qa_end_class s = p->src_prof->end, t = p->tgt_prof->end;
    if (s == t)
        return;
    /* Thai, Lao and Khmer end sentences with a space, not a mark */
    if (t == QA_END_NONE && p->tgt_lang->no_end_punct)
        return;
    if (s == QA_END_NONE && p->src_lang->no_end_punct)
        return;
    qa_findings_add(f, QA_END_PUNCT, "the source ends with %s, the target with %s", end_name(s),
                    end_name(t));
}

static void mark_text(UChar32 c, char *buf) {
    int32_t n = 0;
    UBool err = 0;
    U8_APPEND((uint8_t *)buf, n, 8, c, err);
    buf[err ? 0 : n] = '\0';
}

void qa_check_brackets(const qa_pair *p, qa_findings *f) {
    if (p->tgt_prof->brackets_unbalanced <= p->src_prof->brackets_unbalanced)
        return;
    char mark[8];
    mark_text(p->tgt_prof->bracket_first, mark);
    qa_findings_add(f, QA_BRACKETS, "brackets unbalanced in the target: “%s” without its partner",
                    mark);
}

void qa_check_quotes(const qa_pair *p, qa_findings *f) {
    if (p->tgt_prof->quotes_unbalanced <= p->src_prof->quotes_unbalanced)
        return;
    char mark[8];
    mark_text(p->tgt_prof->quote_first, mark);
    qa_findings_add(f, QA_QUOTES,
                    "quotation marks unbalanced in the target: “%s” without its partner", mark);
}

static int in_source_mixed(const qa_pair *p, const char *word, size_t n) {
    const qa_profile *s = qa_pair_source_words(p);
    for (size_t k = 0; k < s->n_mixed && k < QA_MAX_MIXED; k++)
        if (qa_text_equal_folded(p->src + s->mixed[k].start, s->mixed[k].end - s->mixed[k].start,
                                 word, n))
            return 1;
    return 0;
}

void qa_check_mixed_script(const qa_pair *p, qa_findings *f) {
    const qa_profile *t = p->tgt_prof;
    for (size_t k = 0; k < t->n_mixed && k < QA_MAX_MIXED; k++) {
        const char *w = p->tgt + t->mixed[k].start;
        size_t n = t->mixed[k].end - t->mixed[k].start;
        if (in_source_mixed(p, w, n))
            continue;
        char word[80];
        qa_quote(word, sizeof word, w, n, 48);
        qa_findings_add(f, QA_MIXED_SCRIPT, "%s in the target mixes %s and %s letters", word,
                        uscript_getName(t->mixed_scripts[k][0]),
                        uscript_getName(t->mixed_scripts[k][1]));
        return;
    }
}

void qa_check_doubled_words(const qa_pair *p, qa_findings *f) {
    const qa_profile *t = p->tgt_prof;
    if (t->n_doubled == 0 || t->n_doubled <= qa_pair_source_words(p)->n_doubled)
        return;
    char word[80];
    qa_quote(word, sizeof word, p->tgt + t->doubled.start, t->doubled.end - t->doubled.start, 48);
    qa_findings_add(f, QA_DOUBLED_WORDS, "%s twice in a row in the target", word);
}

void qa_check_length(const qa_pair *p, qa_findings *f) {
    size_t sc = p->src_prof->chars, tc = p->tgt_prof->chars;
    if (sc < p->config->length_min || sc == 0 || p->length_norm <= 0)
        return; /* short, or a pair with no norm and none given (length-ratio) */
    double ratio = (double)tc / (double)sc;
    double lo = p->length_norm / p->length_tolerance, hi = p->length_norm * p->length_tolerance;
    if (ratio >= lo && ratio <= hi)
        return;
    qa_findings_add(f, QA_LENGTH,
                    "the target is %.2f times as long as the source (%zu characters to %zu); "
                    "expected %.2f to %.2f",
                    ratio, tc, sc, lo, hi);
}
