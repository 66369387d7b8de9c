/*
 * langid: the language of a text, for `--from auto` and `xlate detect`. Sits beside detect on the
 * input stage and runs on clean UTF-8 (after decode and normalize). The identification is
 * Compact Language Detector 2's (libcld2, some 160 languages; langid.cc wraps its C++ API);
 * between Ukrainian and Russian, where CLD2 errs on short text, the letters only one of the two
 * alphabets has (і ї є ґ against ы э ъ ё; xlate_cyrillic_marks in detect.h) settle it.
 */
#ifndef XLATE_CORE_LANGID_H
#define XLATE_CORE_LANGID_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Room for any tag xlate_langid_identify writes ("zh-Hant"), NUL included. */
#define XLATE_LANGID_MAX 16

typedef struct xlate_langid {
    char language[XLATE_LANGID_MAX]; /* BCP 47 tag ("uk", "de", "zh-Hant"), "" when the text
                                        does not tell (too short, no letters, no known language) */
    int reliable;       /* 1: the best language is clearly ahead of the next one */
    int percent;        /* share of the text's letters in that language, 0..100 */
    size_t text_bytes;  /* bytes of letters the answer rests on */
} xlate_langid;

/* Identifies the language of `len` bytes of UTF-8 (invalid bytes are skipped, not an error);
 * `markup`: the text is HTML or XML, whose tags and entities are no text. Never fails: a text
 * that does not tell gets language "". Thread-safe. */
void xlate_langid_identify(const char *utf8, size_t len, int markup, xlate_langid *out);

/* The language of a whole document of plain text: each line is identified on its own and the
 * language with the most letters over the lines wins, so that a long quote in another language
 * does not outweigh the article around it. `reliable` when it has more than half of the letters
 * of the lines that tell. A document of one line is judged as xlate_langid_identify
 * judges it. */
void xlate_langid_identify_document(const char *utf8, size_t len, xlate_langid *out);

/* 1 when `a` and `b` name the same language by their first subtag ("uk" and "uk-UA"). */
int xlate_langid_same_language(const char *a, const char *b);

#ifdef __cplusplus
}
#endif

#endif
