/*
 * lemmatizer: the lemma keys of a word — its case-folded form and the case-folded stems that
 * hunspell finds for it in the Ukrainian dictionary — with a cache, since news repeats its words.
 * Sits between the tokenizer of the matcher and the term index: the matcher compares words by
 * their keys, so "Харківській" and "Харківська" meet at "харківський".
 *
 * One lemmatizer holds one hunspell handle, which is not thread-safe: one per plugin instance.
 */
#ifndef XLATE_GLOSSARY_LEMMATIZER_H
#define XLATE_GLOSSARY_LEMMATIZER_H

#include <stddef.h>

typedef struct xlate_lemmatizer xlate_lemmatizer;

/* Opens DICT.aff and DICT.dic (e.g. dict_base "/usr/share/hunspell/uk_UA"). With use_stems 0 no
 * dictionary is opened and the keys of a word are its folded form alone. Returns XLATE_OK, or
 * XLATE_ENOTFOUND / XLATE_ENOMEM with a message in err. */
int xlate_lemmatizer_open(const char *dict_base, int use_stems, xlate_lemmatizer **out,
                          char *err, size_t err_size);

void xlate_lemmatizer_close(xlate_lemmatizer *lem);

/* The keys of a word, NUL-separated in one string: the folded word first, then each folded stem
 * not equal to an earlier key. `word` is one token (letters, digits, inner apostrophes);
 * apostrophe variants (' ’ ʼ) are made equal. *is_lemma (when not NULL) tells whether the word is
 * itself one of its stems — a dictionary form, such as "Київ" but not "Києва". *keys stays valid
 * until the next call; returns the number of keys (≥ 1), or -1 when out of memory. */
int xlate_lemmatizer_keys(xlate_lemmatizer *lem, const char *word, size_t len, const char **keys,
                          int *is_lemma);

/* Lookups answered from the cache, and lookups that asked hunspell, since open. */
void xlate_lemmatizer_stats(const xlate_lemmatizer *lem, size_t *hits, size_t *misses);

#endif
