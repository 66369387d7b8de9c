/*
 * msg_tally: counts of the messages segments carry (document.h), per plugin and code, for the
 * summaries at the end of a run: the table `xlate run` and `xlate batch` show on a terminal and
 * the counts in batch's report.json. Reads finished documents after the writers; changes nothing.
 */
#ifndef XLATE_CORE_MSG_TALLY_H
#define XLATE_CORE_MSG_TALLY_H

#include <stddef.h>
#include "buf.h"
#include "document.h"
#include "error.h"

/* One row: the messages of one plugin with one code. */
typedef struct xlate_msg_count {
    char *plugin;      /* owned; "xlate" for the host's own messages */
    char *code;        /* owned, or NULL for messages without a code */
    size_t warnings;
    size_t failures;
} xlate_msg_count;

typedef struct xlate_msg_tally {
    xlate_msg_count *rows; /* owned, sorted by plugin then code once xlate_msg_tally_sort ran */
    size_t n;
} xlate_msg_tally;

#define XLATE_MSG_TALLY_INIT {NULL, 0}

/* Counts the warning and failure messages of segments [from, from + n) of `doc` (filtered
 * segments' reasons are no problem and are not counted). Returns 0, or -1 when out of memory. */
XLATE_MUST_CHECK int xlate_msg_tally_add(xlate_msg_tally *t, const xlate_doc *doc, size_t from, size_t n);

/* Adds every row of `other` to `t`. Returns 0, or -1 when out of memory. */
XLATE_MUST_CHECK int xlate_msg_tally_merge(xlate_msg_tally *t, const xlate_msg_tally *other);

/* Sorts the rows by plugin, then code (no code first). */
void xlate_msg_tally_sort(xlate_msg_tally *t);

/* A small text table, one row a plugin and code, with a header; nothing when there are no rows.
 * Returns 0, or -1 when out of memory. */
XLATE_MUST_CHECK int xlate_msg_tally_table(const xlate_msg_tally *t, xlate_buf *out);

/* The rows as a JSON array of {"plugin","code","warnings","failures"} (code null when none).
 * Returns 0, or -1 when out of memory. */
XLATE_MUST_CHECK int xlate_msg_tally_json(const xlate_msg_tally *t, xlate_buf *out);

/* The rows in one line for batch's journal, "plugin:code=warnings/failures,..." (code empty when
 * none), and back: a resumed document's counts are what its first run found. Plugin names and
 * codes are [a-z0-9_-]+, so the separators cannot occur in them. Return 0, or -1 when out of
 * memory (compact) or for text that is not such a line (parse, which then adds nothing). */
XLATE_MUST_CHECK int xlate_msg_tally_compact(const xlate_msg_tally *t, xlate_buf *out);
XLATE_MUST_CHECK int xlate_msg_tally_parse(xlate_msg_tally *t, const char *text);

void xlate_msg_tally_free(xlate_msg_tally *t);

#endif
