/*
 * termmap: reads a term map — TSV, CSV as spreadsheets export it, or TBX (TBX-Basic, TBX v3
 * core) — into one list of entries for a language pair. The first stage of the glossary plugin
 * (termmap → lemmatizer/matcher → process()) and of a check plugin that flags forbidden target
 * terms: both load the same file the same way through this module.
 *
 * TSV and CSV: the first line that is not a comment is a header naming the columns; `source` and
 * `target` are required, `note`, `case` (sensitive | insensitive), `keep` (yes | no: do not
 * translate, the target is the source as the text has it) and `forbidden` (target variants not
 * to use, separated by '|') are optional. In CSV (RFC 4180 quoting, ',' or ';' separated) the
 * column names are matched case-insensitively, and a column named by a language tag that agrees
 * with the pair's source or target language stands for `source` or `target`. Lines starting with
 * '#' (in CSV: before the header) are comments; a comment line "# languages: SOURCE TARGET"
 * before the header declares the map's languages, else a file name such as "terms.uk-en.tsv"
 * does. A UTF-8 BOM and CRLF line ends are accepted; UTF-16 is refused with a message.
 *
 * TBX: each termEntry / conceptEntry with a langSet for the pair's source language and one for
 * its target language gives one entry per source term (tig, ntig or termSec). The target is the
 * first preferred target term, else the first admitted one or one without a status; target
 * terms whose administrative status is deprecated, superseded or forbidden are the entry's
 * forbidden variants. The note is the first descrip or note of the concept, else of the source
 * langSet, else of the target langSet. A termNote type="x-case" of "sensitive" on the source term
 * makes it case-sensitive; a target equal to the source is kept (keep). No network, no DTD,
 * entities never expanded: an entity reference in a term is an error.
 *
 * Every error names the file and the line: "FILE:LINE: what is wrong; what to do".
 */
#ifndef XLATE_PLUGIN_TERMMAP_H
#define XLATE_PLUGIN_TERMMAP_H

#include "xp_buf.h" /* XP_MUST_CHECK */

#include <stddef.h>

typedef enum xlate_termmap_format {
    XLATE_TERMMAP_TSV,
    XLATE_TERMMAP_CSV,
    XLATE_TERMMAP_TBX
} xlate_termmap_format;

typedef struct xlate_term_entry {
    char *source;       /* one source term, never empty (a concept with synonyms gives several
                         * entries, which share `concept`) */
    char *target;       /* the target term to use; empty only when keep is set */
    char *note;         /* NULL when the map has no note for it */
    int case_sensitive;
    int keep;           /* do not translate: the span's target is the text as it stands */
    char **forbidden;   /* n_forbidden target variants a translation must not use; NULL when none */
    size_t n_forbidden;
    unsigned concept;   /* entries of one concept (a TBX entry, a TSV/CSV line) share it; from 1 */
    unsigned line;      /* line of the entry in its file, for messages */
} xlate_term_entry;

#define XLATE_TERMMAP_LANG_MAX 160

typedef struct xlate_termmap {
    xlate_term_entry *entries; /* owned */
    size_t count;
    char *name;                /* the file name used in messages; owned */
    xlate_termmap_format format;
    /* The map's languages as canonical BCP 47 tags, empty when it does not say them. A TBX
     * map's are the pair's, or the tag all its langSets of that side have ("en-GB"). */
    char source_lang[XLATE_TERMMAP_LANG_MAX];
    char target_lang[XLATE_TERMMAP_LANG_MAX];
    unsigned languages_line;   /* the "# languages:" line, 0 when the name or the pair gave them */
    /* TBX concepts passed over: no term in the source language, or no usable target term. */
    size_t skipped;
    unsigned first_skipped_line;
} xlate_termmap;

/* Parses `len` bytes of a map in `format`. `name` is used in error messages ("NAME:LINE: ...").
 * source_lang and target_lang (BCP 47, e.g. the run's --from/--to) pick the langSets of a TBX map
 * (required for TBX) and the language-named columns of a CSV one; they may be NULL otherwise. On
 * failure returns XLATE_ERROR (malformed map) or XLATE_ENOMEM with the message in err; *map is
 * then empty. */
XP_MUST_CHECK int xlate_termmap_parse_format(xlate_termmap_format format, const char *text,
                                             size_t len, const char *name, const char *source_lang,
                                             const char *target_lang, xlate_termmap *map, char *err,
                                             size_t err_size);

/* xlate_termmap_parse_format for TSV. */
XP_MUST_CHECK int xlate_termmap_parse(const char *text, size_t len, const char *name, xlate_termmap *map,
                                      char *err, size_t err_size);

/* The format of a file: by its extension (.tsv .tab .txt → TSV, .csv → CSV, .tbx .xml → TBX),
 * else by its first bytes ('<' → TBX; a header line with a tab → TSV; else CSV). */
xlate_termmap_format xlate_termmap_detect(const char *path, const char *text, size_t len);

/* Reads the file at path, detects its format and parses it (see xlate_termmap_parse_format).
 * XLATE_ENOTFOUND when it cannot be read. A TSV or CSV map with no "# languages:" line takes its
 * languages from the file's name when two neighbouring parts of the name (split at '-', '_' and
 * '.') are ISO 639-1 codes: "terms.uk-en.tsv", "en_es.csv"; a TBX map's are the pair's. */
XP_MUST_CHECK int xlate_termmap_load(const char *path, const char *source_lang,
                                     const char *target_lang, xlate_termmap *map, char *err,
                                     size_t err_size);

/* "TSV", "CSV" or "TBX". */
const char *xlate_termmap_format_name(xlate_termmap_format format);

/* Frees what the map owns and empties it; a zeroed or already freed map is fine. */
void xlate_termmap_free(xlate_termmap *map);

#endif
