/*
 * batch_journal: what makes `xlate batch` resumable. In OUTPUT's state folder, beside the record
 * of the options the outputs are made with (batch_record.h), a journal gets one line for each
 * finished document, appended by the workers after the document's outputs are complete; under
 * --resume it is read back, so that a document it names (and whose outputs exist) is not done
 * again. Below batch.c; knows documents only by their key and their journal line.
 */
#ifndef XLATE_CORE_BATCH_JOURNAL_H
#define XLATE_CORE_BATCH_JOURNAL_H

#include <stddef.h>
#include "archive_out.h"
#include "batch_report.h"
#include "buf.h"
#include "error.h"

typedef struct xlate_journal xlate_journal;

/* What the journal keeps of a finished document. */
typedef struct xlate_journal_line {
    xlate_doc_status status;  /* XLATE_DOC_OK or XLATE_DOC_FAILED */
    const char *encoding;     /* what decode found, or NULL */
    size_t segments, failed, warnings, filtered;
    const char *message;      /* why it failed, or NULL; one line */
    const char *messages;     /* its warnings and failures per plugin and code
                                 (xlate_msg_tally_compact), or NULL */
} xlate_journal_line;

/* Checks, before anything is written into OUTPUT (`shown` in messages), that a --resume goes on
 * with the options its journal was started with (`record`, batch_record.h). Sets *kept when the
 * record in `state` is the same (nothing to write). Returns 0, or -1 with err: a refusal is a
 * usage error. */
XLATE_MUST_CHECK int xlate_journal_check(xlate_output *out, const char *shown, const char *state,
                                         const char *record, int resume, int *kept, xlate_error *err);

/* Opens the journal in the folder `state` of OUTPUT. With `resume`, the lines an earlier run left
 * are read (a last line cut short by a kill has no newline: it is ignored and cut off, and its
 * document is done again); without it, the old journal is removed. `record` is written first unless `kept`.
 * Returns 0, or -1 with err. */
XLATE_MUST_CHECK int xlate_journal_open(xlate_output *out, const char *state, const char *record, int resume,
                                        int kept, xlate_journal **j, xlate_error *err);

void xlate_journal_free(xlate_journal *j);

/* The messages field of the document's line (xlate_journal_line.messages), allocated, or NULL
 * when the journal has no such line or the line has none (a journal of an older xlate). Sets
 * *oom when it could not be copied. */
char *xlate_journal_find_messages(const xlate_journal *j, const char *key, int *oom);

/* Whether an earlier run's journal has `key`; fills *line (its strings allocated: free() them)
 * when it has. Returns 1, 0 when it has not or its line is damaged, -1 when out of memory. */
XLATE_MUST_CHECK int xlate_journal_find(const xlate_journal *j, const char *key, xlate_journal_line *line,
                                        char **encoding, char **message);

/* A worker's lines not yet written: the journal takes them a few kilobytes or a second at a
 * time, and whenever the worker runs out of work, in one write each (O_APPEND keeps a write
 * whole): one write a document would make the workers queue on the file. A line not yet written
 * when the batch is killed only means that its document is done again under --resume. */
typedef struct xlate_journal_writer {
    xlate_buf pending;
    double since;        /* when the oldest pending line was added */
    xlate_error err;     /* the first failure to write */
} xlate_journal_writer;

#define XLATE_JOURNAL_WRITER_INIT {XLATE_BUF_INIT, 0, {XLATE_OK, NULL}}

/* Adds the line of `key` (no field holds a tab or a newline: clean paths have no control
 * characters, messages are one line); writes the pending lines when there are enough or they
 * are old. Returns 0, or -1 when out of memory. */
XLATE_MUST_CHECK int xlate_journal_add(xlate_journal *j, xlate_journal_writer *w, const char *key,
                                       const xlate_journal_line *line);

/* Writes the pending lines; a failure is kept in w->err. */
void xlate_journal_flush(xlate_journal *j, xlate_journal_writer *w);

void xlate_journal_writer_free(xlate_journal_writer *w);

#endif
