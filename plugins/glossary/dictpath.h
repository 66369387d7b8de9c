/*
 * dictpath: which installed hunspell dictionary serves the run's source language, for the
 * glossary plugin's lemmatizer when no dict= is given. Runs once per instance, before the
 * lemmatizer opens the dictionary.
 *
 * A dictionary is a pair NAME.aff / NAME.dic in one of the folders searched, NAME being the
 * language ("uk") or the language and a region ("uk_UA", "en_GB"). A tag with a region takes the
 * dictionary of that region when there is one. Otherwise, among the dictionaries of the language
 * (symbolic links to one file count once), the one whose word list has most of the term map's
 * words wins — the map's spelling decides: "defence" picks en_GB, "defense" en_US — then the
 * region ICU deems likely for the language (en → US), then the first name in order.
 */
#ifndef XLATE_GLOSSARY_DICTPATH_H
#define XLATE_GLOSSARY_DICTPATH_H

#include "xp_buf.h" /* XP_MUST_CHECK */

#include <stddef.h>

/* The folders searched when DICPATH does not name others: Debian's. */
#define XLATE_DICTPATH_DEFAULT "/usr/share/hunspell:/usr/share/myspell/dicts:/usr/share/myspell"

/* Finds the dictionary for `lang` (a BCP 47 tag) in the ':'-separated folders `dirs`, choosing
 * among several with the n vocabulary `words` (UTF-8, lens bytes each). Writes its path without
 * .aff/.dic into out. Returns XLATE_OK, XLATE_ENOTFOUND when no dictionary serves the language,
 * or XLATE_ENOMEM / XLATE_EINVAL (a tag that does not parse, a path longer than out_size). */
XP_MUST_CHECK int xlate_dictpath_find(const char *lang, const char *dirs, const char *const *words,
                                      const size_t *lens, size_t n, char *out, size_t out_size);

#endif
