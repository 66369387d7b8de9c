/*
 * dictfilter: the part of a hunspell dictionary that can matter to the glossary. Sits before the
 * lemmatizer's hunspell load: the Ukrainian .dic holds 330 000 entries, whose load and teardown
 * cost most of a glossary run on a news article, while the terms of a map reach a few thousand.
 *
 * Given the vocabulary (the words of the map's terms), it keeps every entry that hunspell could
 * analyse a vocabulary word with, and every entry whose word, case-folded, equals the folded form
 * or a folded stem of a vocabulary word. A hunspell loaded with these entries gives
 *   - for a vocabulary word, the same stems as the whole dictionary;
 *   - for any other word, the same stems among those a vocabulary word has (its other stems,
 *     which cannot meet a term, may be missing),
 * because the .aff files it accepts make each analysis depend on one entry alone: suffix rules
 * only, no prefixes, compounds, two-level suffixes, forbidden/need-affix flags, output
 * conversion or morphological stems. For any other .aff it declines and the whole dictionary is
 * loaded. Once focused on the keys a matcher compares, it also gives the core .dic and .aff that
 * are all hunspell needs from then on, and the focus as bytes, for the glossary's cache.
 */
#ifndef XLATE_GLOSSARY_DICTFILTER_H
#define XLATE_GLOSSARY_DICTFILTER_H

#include "xp_buf.h" /* XP_MUST_CHECK */

#include <stddef.h>
#include <stdio.h>

/* What the filter knows of the entries it kept, to tell later which words hunspell can give a
 * stem among a set of keys: see xlate_dictfilter_focus. */
typedef struct xlate_dictfilter xlate_dictfilter;

/* Writes the kept lines of dic_path, as a .dic (count line first), to out. `words` are n UTF-8
 * words, each as hunspell will be asked about it (apostrophes already made '). Returns 1 when
 * written, and then, when kept is not NULL, sets *kept (free with xlate_dictfilter_free); 0 when
 * the .aff uses a feature the filter does not model, or a file cannot be read (load the whole
 * dictionary, which reports its own errors); -1 when out of memory or out cannot be written. */
XP_MUST_CHECK int xlate_dictfilter_write(const char *aff_path, const char *dic_path, const char *const *words,
                                         const size_t *lens, size_t n, FILE *out, xlate_dictfilter **kept);

/* Narrows xlate_dictfilter_may_stem to the stems is_key accepts (the keys a matcher compares).
 * Returns 0, or -1 when out of memory (then may_stem answers 1 for some words it could rule out). */
XP_MUST_CHECK int xlate_dictfilter_focus(xlate_dictfilter *d,
                                         int (*is_key)(void *arg, const char *key, size_t len), void *arg);

/* 0 when hunspell, loaded with the kept entries, cannot give `word` (as hunspell is asked about
 * it) a stem that is_key accepts — no kept entry whose folded word is a key can analyse it, by the
 * same prefix argument as the filter's — so the call can be spared; 1 otherwise, and always
 * before focus. */
XP_MUST_CHECK int xlate_dictfilter_may_stem(xlate_dictfilter *d, const char *word, size_t len);

/* After focus: the core dictionary, a .dic of the kept lines whose word, folded, is a key (with
 * any line the filter could not read). hunspell loaded with it gives every word the same stems
 * among the keys as the whole dictionary — each analysis comes from one entry, and a stem that
 * is a key comes from an entry whose word is that key — so once the keys of the vocabulary
 * words are known, the other entries serve nothing. NULL before focus. */
const char *xlate_dictfilter_core_dic(const xlate_dictfilter *d, size_t *len);

/* After focus: the core .aff, the .aff less the suffix rules of flags no core line carries (a
 * rule applies only with an entry that has its flag, so hunspell with the core .dic analyses
 * every word the same with either). NULL before focus. */
const char *xlate_dictfilter_core_aff(const xlate_dictfilter *d, size_t *len);

/* After focus: what may_stem needs, as bytes for xlate_dictfilter_restore (malloc'd into *out).
 * Returns 0, or -1 when out of memory or not focused. */
XP_MUST_CHECK int xlate_dictfilter_save(const xlate_dictfilter *d, char **out, size_t *len);

/* A focused filter from xlate_dictfilter_save's bytes and the text of the .aff (or core .aff)
 * they were made with. Returns 1 and sets *out; 0 when the bytes are not such, or the .aff is
 * not one the filter models; -1 when out of memory. */
XP_MUST_CHECK int xlate_dictfilter_restore(const char *aff, size_t aff_len, const char *focus, size_t len,
                                           xlate_dictfilter **out);

void xlate_dictfilter_free(xlate_dictfilter *d);

#endif
