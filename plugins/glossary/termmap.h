/*
 * termmap: reads a glossary term map (UTF-8 TSV) into a list of entries.
 * First stage of the glossary plugin: termmap → lemmatizer/matcher → the plugin's process().
 *
 * Format: the first non-comment line is a header naming the columns; `source` and `target` are
 * required, `note`, `case` (sensitive | insensitive) and `keep` (yes | no: do not translate,
 * the target is the source as it stands) are optional. Lines starting with `#` are comments,
 * blank lines are ignored, a UTF-8 BOM and CRLF line ends are accepted.
 */
#ifndef XLATE_GLOSSARY_TERMMAP_H
#define XLATE_GLOSSARY_TERMMAP_H

#include <stddef.h>

typedef struct xlate_term_entry {
    char *source;       /* never empty */
    char *target;       /* empty only when keep is set */
    char *note;         /* NULL when the map has no note for it */
    int case_sensitive;
    int keep;
    unsigned line;      /* line of the entry in its file, for messages */
} xlate_term_entry;

typedef struct xlate_termmap {
    xlate_term_entry *entries;
    size_t count;
    char *name;         /* the file name used in messages */
} xlate_termmap;

/* Parses `len` bytes of TSV. `name` is used in error messages ("NAME:LINE: ..."). On failure
 * returns XLATE_ERROR (malformed map) or XLATE_ENOMEM with the message in err; *map is then
 * empty. */
int xlate_termmap_parse(const char *text, size_t len, const char *name, xlate_termmap *map,
                        char *err, size_t err_size);

/* Reads and parses the file at path. XLATE_ENOTFOUND when it cannot be read. */
int xlate_termmap_load(const char *path, xlate_termmap *map, char *err, size_t err_size);

void xlate_termmap_free(xlate_termmap *map);

#endif
