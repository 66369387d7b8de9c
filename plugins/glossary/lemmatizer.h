/*
 * lemmatizer: the lemma keys of a word — its case-folded form and the case-folded stems that
 * hunspell finds for it in the dictionary of the text's language (Ukrainian by default) — with a
 * cache, since news repeats its words.
 * Sits between the tokenizer of the matcher and the term index: the matcher compares words by
 * their keys, so "Харківській" and "Харківська" meet at "харківський".
 *
 * One lemmatizer holds one hunspell handle, which is not thread-safe: one per plugin instance.
 */
#ifndef XLATE_GLOSSARY_LEMMATIZER_H
#define XLATE_GLOSSARY_LEMMATIZER_H

#include "xp_buf.h" /* XP_MUST_CHECK */

#include <stddef.h>

typedef struct xlate_lemmatizer xlate_lemmatizer;

/* Opens DICT.aff and DICT.dic (e.g. dict_base "/usr/share/hunspell/uk_UA"). With use_stems 0 no
 * dictionary is opened and the keys of a word are its folded form alone. Returns XLATE_OK, or
 * XLATE_ENOTFOUND / XLATE_ENOMEM with a message in err. */
XP_MUST_CHECK int xlate_lemmatizer_open(const char *dict_base, int use_stems, xlate_lemmatizer **out,
                                        char *err, size_t err_size);

/* Like xlate_lemmatizer_open, loading only the dictionary entries that can matter for comparing
 * words with a vocabulary (see dictfilter.h): the n `words` (the words of a term map's terms).
 * The keys of a vocabulary word are exactly those the whole dictionary gives; the keys of any
 * other word are too, except stems no vocabulary word has among its keys, which may be missing.
 * When the dictionary's .aff is one the filter does not model, the whole dictionary is loaded.
 * What the filter and focus derive is kept in a cache entry (dictcache.h), written at focus; an
 * open that finds a usable entry loads only the core dictionary (xlate_dictfilter_core_dic),
 * already focused, with the vocabulary words' keys as the run that wrote it found them — so the
 * keys among those is_key accepts are the same for every word, entry or not. */
XP_MUST_CHECK int xlate_lemmatizer_open_for(const char *dict_base, int use_stems, const char *const *words,
                                            const size_t *lens, size_t n, xlate_lemmatizer **out, char *err,
                                            size_t err_size);

/* After xlate_lemmatizer_open_for, once the keys that will be compared are known (the vocabulary
 * words' keys a matcher kept): words that cannot have a stem among them are no longer looked up
 * in hunspell, so their keys are their folded form alone. The keys among those is_key accepts
 * stay exactly those of the whole dictionary. Does nothing after xlate_lemmatizer_open or when
 * the whole dictionary was loaded. Returns XLATE_OK or XLATE_ENOMEM. */
XP_MUST_CHECK int xlate_lemmatizer_focus(xlate_lemmatizer *lem,
                                         int (*is_key)(void *arg, const char *key, size_t len), void *arg);
/* (When the lemmatizer came from a cache entry, focus does nothing: is_key must then accept the
 * keys of the run that wrote the entry — the same term map's, as the entry's key ensures.) */

/* Tells the lemmatizer the language of the words (a BCP 47 tag, e.g. the run's --from); call it
 * before the first xlate_lemmatizer_keys. Until then, as for a Cyrillic-script language (uk, ru),
 * only words with Cyrillic letters are looked up in hunspell — the others cannot be in its
 * dictionary; for another script every word is. For English, a possessive ("NATO's",
 * "Stoltenberg's") also has the keys of its base ("NATO"), whether the dictionary knows the
 * base or not. A lemmatizer restored from a cache entry took its vocabulary's keys from a run
 * with the same dictionary, so of the same language. */
void xlate_lemmatizer_set_language(xlate_lemmatizer *lem, const char *lang);

/* Where the loaded dictionary came from ("the whole dictionary", "filtered", "filtered; cached
 * in FILE", "from the cache, FILE"), for the debug log and the tests. */
const char *xlate_lemmatizer_origin(const xlate_lemmatizer *lem);

void xlate_lemmatizer_close(xlate_lemmatizer *lem);

/* The keys of a word, NUL-separated in one string: the folded word first, then each folded stem
 * not equal to an earlier key. `word` is one token (letters, digits, inner apostrophes);
 * apostrophe variants (' ’ ʼ) are made equal. *is_lemma (when not NULL) tells whether the word is
 * itself one of its stems — a dictionary form, such as "Київ" but not "Києва". *keys stays valid
 * until the next call; returns the number of keys (≥ 1), or -1 when out of memory. */
XP_MUST_CHECK int xlate_lemmatizer_keys(xlate_lemmatizer *lem, const char *word, size_t len, const char **keys,
                                        int *is_lemma);

/* Lookups answered from the cache, and lookups that asked hunspell, since open. */
void xlate_lemmatizer_stats(const xlate_lemmatizer *lem, size_t *hits, size_t *misses);

#endif
