/*
 * dictcache: the glossary's on-disk cache of what it derives from a hunspell dictionary for one
 * vocabulary (the words of a term map's terms), so that the next plugin instance — the next run,
 * or the next batch worker — skips the dictionary filter. Sits beside the lemmatizer, before
 * hunspell's load: the lemmatizer asks it for an entry when it opens and stores one once the
 * term index has told which keys matter (see lemmatizer.h).
 *
 * An entry is one file, named by a hash of its key, in the cache directory:
 *   XLATE_CACHE_DIR (empty or "off": no cache), else $XDG_CACHE_HOME/xlate, else
 *   $HOME/.cache/xlate.
 * The key is the format version, the identity (path, size, mtime in nanoseconds, inode, device)
 * of the .aff, the .dic, this code's own file and hunspell's, ICU's version, and the vocabulary
 * itself; the file holds the whole key and is used only when it equals the asked one byte for
 * byte, so a hash collision can cost a miss but never a wrong entry. A header with the lengths
 * and a checksum of the rest detects a damaged file, which counts as a miss and is rewritten.
 * Files are written to a temporary name and renamed, so concurrent workers and processes see
 * either no entry or a whole one. Nothing here ever fails a run: an unusable directory or file
 * only means the work is done again.
 */
#ifndef XLATE_GLOSSARY_DICTCACHE_H
#define XLATE_GLOSSARY_DICTCACHE_H

#include "xp_buf.h" /* XP_MUST_CHECK */

#include <stddef.h>

/* An entry is this many byte strings; what they hold is the lemmatizer's business. */
#define XLATE_DICTCACHE_PARTS 4

typedef struct xlate_dictcache xlate_dictcache;

/* The cache entry for this dictionary and vocabulary (the words as the filter gets them). Sets
 * *out to NULL when there is no cache: turned off, no directory can be named, or the dictionary
 * files cannot be examined. Returns 0, or -1 when out of memory. */
XP_MUST_CHECK int xlate_dictcache_open(const char *aff_path, const char *dic_path, const char *const *words,
                                       const size_t *lens, size_t n, xlate_dictcache **out);

/* Reads the entry. Returns 1 and points parts[i] (lens[i] bytes each) into memory the handle
 * holds until xlate_dictcache_free; 0 when there is no usable entry (missing, another key,
 * damaged, unreadable). */
XP_MUST_CHECK int xlate_dictcache_load(xlate_dictcache *c, const char *parts[XLATE_DICTCACHE_PARTS],
                                       size_t lens[XLATE_DICTCACHE_PARTS]);

/* Writes the entry (creating the directory), replacing any other in one rename. Returns 0, or
 * -1 when it could not be written — which the caller may ignore: the entry is only a shortcut. */
XP_MUST_CHECK int xlate_dictcache_store(const xlate_dictcache *c,
                                        const char *const parts[XLATE_DICTCACHE_PARTS],
                                        const size_t lens[XLATE_DICTCACHE_PARTS]);

/* The entry's file. */
const char *xlate_dictcache_path(const xlate_dictcache *c);

void xlate_dictcache_free(xlate_dictcache *c);

#endif
