/*
 * answer_check: what the llm plugin makes sure of in a model's answer before it becomes a
 * segment's target — that it is the translation and nothing else (wrapping that is certainly
 * wrapping is taken off; an introduction, a label or a note is refused), that it is one segment's
 * translation (sentences counted with ICU's sentence break iterator, lengths compared), and that
 * each glossary term's target is in it (ICU case folding; no inflection). Sits between the
 * transport's answers and the plugin's targets; knows nothing of HTTP or the host.
 */
#ifndef XLATE_LLM_ANSWER_CHECK_H
#define XLATE_LLM_ANSWER_CHECK_H

#include <stddef.h>

#include "xp_buf.h"

typedef struct llm_checker llm_checker;

/* A checker for answers in `target_lang` to segments in `source_lang` (BCP 47 tags). Returns
 * NULL when out of memory or ICU cannot be set up. One thread at a time; free with
 * llm_checker_free. */
llm_checker *llm_checker_new(const char *source_lang, const char *target_lang);
void llm_checker_free(llm_checker *c);

/* Appends to `out` the answer without what certainly wraps it: white space at either end, a
 * Markdown code fence around the whole answer, one pair of quotation marks around the whole
 * answer when the source is not quoted so itself. Returns 0, or -1 when out of memory. */
XP_MUST_CHECK int llm_answer_unwrap(const char *answer, size_t len, const char *source,
                                    size_t source_len, xp_buf *out);

/* 1 when the (unwrapped) answer holds more than a translation: it opens with words about the
 * answer ("Here is the translation", "Translation:", "Sure"), holds a code fence, or has more
 * lines than the source (a note after the text). `why` gets a sentence naming what was found.
 * 0 when it looks like the translation alone. */
int llm_answer_chatter(const char *answer, size_t len, const char *source, size_t source_len,
                       char *why, size_t whylen);

/* 1 when the answer cannot be the translation of this one segment: its number of sentences
 * differs from the source's, or its length is beyond the bounds of a translation's (a third to
 * three times the source's characters, for sources of 20 characters or more). `why` says which.
 * -1 when ICU fails. */
int llm_answer_merged(llm_checker *c, const char *answer, size_t len, const char *source,
                      size_t source_len, char *why, size_t whylen);

/* 1 when `term` occurs in `answer`, ignoring case (ICU full case folding); 0 when not; -1 when
 * ICU fails. */
int llm_answer_has_term(llm_checker *c, const char *answer, size_t len, const char *term,
                        size_t term_len);

#endif
