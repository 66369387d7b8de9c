/*
 * termmap: reads a glossary term map (UTF-8 TSV) into a list of entries.
 * First stage of the glossary plugin: termmap → lemmatizer/matcher → the plugin's process().
 *
 * Format: the first non-comment line is a header naming the columns; `source` and `target` are
 * required, `note`, `case` (sensitive | insensitive) and `keep` (yes | no: do not translate,
 * the target is the source as it stands) are optional. Lines starting with `#` are comments,
 * blank lines are ignored, a UTF-8 BOM and CRLF line ends are accepted. A comment line
 * "# languages: SOURCE TARGET" before the header declares the map's languages (BCP 47 tags); a
 * map loaded from a file without one takes them from a file name such as "terms.uk-en.tsv".
 */
#ifndef XLATE_GLOSSARY_TERMMAP_H
#define XLATE_GLOSSARY_TERMMAP_H

#include "xp_buf.h" /* XP_MUST_CHECK */

#include <stddef.h>

typedef struct xlate_term_entry {
    char *source;       /* never empty */
    char *target;       /* empty only when keep is set */
    char *note;         /* NULL when the map has no note for it */
    int case_sensitive;
    int keep;
    unsigned line;      /* line of the entry in its file, for messages */
} xlate_term_entry;

#define XLATE_TERMMAP_LANG_MAX 160

typedef struct xlate_termmap {
    xlate_term_entry *entries;
    size_t count;
    char *name;         /* the file name used in messages */
    /* The map's languages as canonical BCP 47 tags, empty when it does not say them. */
    char source_lang[XLATE_TERMMAP_LANG_MAX];
    char target_lang[XLATE_TERMMAP_LANG_MAX];
    unsigned languages_line; /* the "# languages:" line, 0 when the file name gave them */
} xlate_termmap;

/* Parses `len` bytes of TSV. `name` is used in error messages ("NAME:LINE: ..."). On failure
 * returns XLATE_ERROR (malformed map) or XLATE_ENOMEM with the message in err; *map is then
 * empty. */
XP_MUST_CHECK int xlate_termmap_parse(const char *text, size_t len, const char *name, xlate_termmap *map,
                                      char *err, size_t err_size);

/* Reads and parses the file at path. XLATE_ENOTFOUND when it cannot be read. A map with no
 * "# languages:" line takes its languages from the file's name when two neighbouring parts of
 * the name (split at '-', '_' and '.') are ISO 639-1 codes: "terms.uk-en.tsv", "en_es.tsv". */
XP_MUST_CHECK int xlate_termmap_load(const char *path, xlate_termmap *map, char *err, size_t err_size);

void xlate_termmap_free(xlate_termmap *map);

#endif
