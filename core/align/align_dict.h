/*
 * align_dict: a glossary's term map read as a bilingual dictionary for the aligner. Reads the TSV
 * and CSV formats of plugins/glossary/README.md (a header naming `source` and `target`, `#`
 * comments, `# languages: SRC TGT`) with its own small reader, so that core links no plugin code.
 * Inflected forms are matched by stems cut from the end of each word (the glossary does it with
 * hunspell, which core does not link): enough to say two sentences share a term.
 */
#ifndef XLATE_CORE_ALIGN_DICT_H
#define XLATE_CORE_ALIGN_DICT_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

typedef struct xlate_align_dict xlate_align_dict;

/* Reads `path`. `from`/`to` are the alignment's languages: a map whose languages line names them
 * the other way round is read with its columns swapped. Returns 0, or -1 with err naming the file
 * and line (XLATE_EINVAL for a file that is no term map this reader takes). */
XLATE_MUST_CHECK int xlate_align_dict_load(const char *path, const char *from, const char *to,
                                           xlate_align_dict **out, xlate_error *err);
void xlate_align_dict_free(xlate_align_dict *d);
size_t xlate_align_dict_size(const xlate_align_dict *d);

/* The words of a sentence, lowercased, as the dictionary compares them. */
typedef struct xlate_align_words {
    char **w;
    size_t n;
} xlate_align_words;

/* Splits text (UTF-8, `len` bytes) into words: letters and digits with the apostrophes and
 * hyphens inside them, lowercased. *out is freed with xlate_align_words_free. Returns 0, or -1
 * when out of memory. */
XLATE_MUST_CHECK int xlate_align_words_split(const char *s, size_t len, xlate_align_words *out);
void xlate_align_words_free(xlate_align_words *w);

/* Calls `hit(data, id)` once for each entry whose `side` (0 source, 1 target) occurs in `words`;
 * `id` is the entry's number, the same on both sides. Returns 0, or -1 when `hit` does. */
XLATE_MUST_CHECK int xlate_align_dict_find(const xlate_align_dict *d, int side, const xlate_align_words *words,
                                           int (*hit)(void *data, uint32_t id), void *data);

#endif
