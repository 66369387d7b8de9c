/*
 * batch_journal: the journal and the record check of --resume (see batch_journal.h). A line is
 * key TAB status TAB encoding TAB segments TAB failed TAB warnings TAB filtered TAB message LF.
 */
#include "batch_journal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batch_record.h"
#include "hashtab.h"
#include "xlate/number.h"

#define JOURNAL_FLUSH_BYTES 8192
#define JOURNAL_FLUSH_SECONDS 1.0

struct xlate_journal {
    xlate_output *out;
    char *state;
    int fd;
    xlate_hashtab *done; /* key → the rest of its line (allocated), from an earlier run */
};

static char *join_path(const char *a, const char *b) {
    char *s;
    return asprintf(&s, "%s/%s", a, b) < 0 ? NULL : s;
}

int xlate_journal_check(xlate_output *out, const char *shown, const char *state,
                        const char *record, int resume, int *kept, xlate_error *err) {
    char *rec_rel = join_path(state, "config"), *journal_rel = join_path(state, "journal");
    char *old = NULL, *changes = NULL;
    size_t len;
    int rc = 0, oom = 0;
    *kept = 0;
    if (!rec_rel || !journal_rel) {
        rc = -1;
    } else if (resume && xlate_output_exists(out, journal_rel)) {
        if (xlate_output_read(out, rec_rel, &old, &len) != 0) {
            if (errno == ENOENT)
                xlate_error_set(err, XLATE_EINVAL,
                                "%s: --resume: the journal in %s/%s has no record of the options "
                                "it was made with (an earlier xlate wrote it); run without "
                                "--resume to make every output again",
                                shown, xlate_output_root(out), state);
            else
                xlate_error_set(err, XLATE_ERROR, "%s/%s: cannot read: %s",
                                xlate_output_root(out), rec_rel, strerror(errno));
            rc = -1;
        } else if ((changes = xlate_bulk_record_diff(old, record, &oom)) != NULL) {
            xlate_error_set(err, XLATE_EINVAL,
                            "%s: --resume with other options than its outputs were made with: %s; "
                            "resume with the options it was started with, or run without "
                            "--resume to make every output again",
                            shown, changes);
            rc = -1;
        } else {
            rc = oom ? -1 : 0; /* out of memory: the records could not be compared */
            *kept = !oom;
        }
    }
    if (rc && (!err || err->status == XLATE_OK))
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
    free(rec_rel);
    free(journal_rel);
    free(old);
    free(changes);
    return rc;
}

/* Reads the journal an earlier run left into j->done; *whole is the length of its complete
 * lines. */
static int load(xlate_journal *j, const char *rel, size_t *whole) {
    char *text, *line;
    size_t len;
    int rc = 0;
    if (xlate_output_read(j->out, rel, &text, &len) != 0)
        return 0; /* no journal: nothing done yet */
    *whole = len;
    for (line = text; rc == 0 && *line;) {
        char *nl = strchr(line, '\n'), *tab;
        if (!nl) {
            *whole = (size_t)(line - text); /* cut short by a kill */
            break;
        }
        *nl = '\0';
        tab = strchr(line, '\t');
        if (tab) {
            xlate_hashtab_entry *e;
            char *rest = strdup(tab + 1);
            int added = rest ? xlate_hashtab_add(j->done, line, (size_t)(tab - line), rest, &e) : -1;
            if (added < 0) {
                free(rest);
                rc = -1;
            } else if (added == 1) { /* done again later: the last line counts */
                free(e->value);
                e->value = rest;
            }
        }
        line = nl + 1;
    }
    free(text);
    return rc;
}

int xlate_journal_open(xlate_output *out, const char *state, const char *record, int resume,
                       int kept, xlate_journal **jp, xlate_error *err) {
    xlate_journal *j = calloc(1, sizeof *j);
    char *rel = join_path(state, "journal");
    char *rec_rel = join_path(state, "config");
    size_t whole = (size_t)-1;
    *jp = NULL;
    if (j) {
        j->out = out;
        j->fd = -1;
    }
    if (!j || !rel || !rec_rel || !(j->state = strdup(state)) ||
        xlate_hashtab_new(free, &j->done) || (resume && load(j, rel, &whole))) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        goto fail;
    }
    /* A fresh start forgets what an earlier run did; a journal it cannot remove would be read
     * back by a later --resume as if this run had written it. */
    if (!resume && xlate_output_remove(out, rel) != 0) {
        xlate_error_set(err, XLATE_ERROR, "%s: cannot remove the earlier run's journal: %s", rel,
                        strerror(errno));
        goto fail;
    }
    /* The record goes in before the first line of a new journal, never after it. */
    if (!kept && xlate_output_write(out, NULL, rec_rel, record, strlen(record), err))
        goto fail;
    j->fd = xlate_output_open_append(out, rel, err);
    if (j->fd < 0)
        goto fail;
    /* A line cut short would run into the first line appended now, and spoil both. */
    if (whole != (size_t)-1 && ftruncate(j->fd, (off_t)whole) != 0) {
        xlate_error_set(err, XLATE_ERROR, "%s/%s: cannot cut its unfinished last line: %s",
                        xlate_output_root(out), rel, strerror(errno));
        goto fail;
    }
    free(rel);
    free(rec_rel);
    *jp = j;
    return 0;
fail:
    free(rel);
    free(rec_rel);
    xlate_journal_free(j);
    return -1;
}

void xlate_journal_free(xlate_journal *j) {
    if (!j)
        return;
    if (j->fd >= 0)
        close(j->fd);
    xlate_hashtab_free(j->done);
    free(j->state);
    free(j);
}

/* The n-th tab-separated field of a journal entry (key removed), as [*start, *start + *len). */
static int field(const char *entry, int n, const char **start, size_t *len) {
    const char *p = entry;
    for (int i = 0; i < n; i++) {
        p = strchr(p, '\t');
        if (!p)
            return -1;
        p++;
    }
    *start = p;
    *len = strcspn(p, "\t");
    return 0;
}

static int size_field(const char *entry, int n, size_t *out) {
    const char *v;
    size_t len;
    if (field(entry, n, &v, &len) || len == 0)
        return -1;
    uint64_t x;
    if (xlate_parse_uint(v, len, SIZE_MAX, &x) != XLATE_NUMBER_OK)
        return -1;
    *out = (size_t)x;
    return 0;
}

/* A string field: NULL when empty; *oom when it could not be copied. */
static char *string_field(const char *entry, int n, int *oom) {
    const char *v;
    size_t len;
    char *s = NULL;
    if (field(entry, n, &v, &len) == 0 && len && !(s = strndup(v, len)))
        *oom = 1;
    return s;
}

int xlate_journal_find(const xlate_journal *j, const char *key, xlate_journal_line *line,
                       char **encoding, char **message) {
    const xlate_hashtab_entry *e = xlate_hashtab_find(j->done, key, strlen(key));
    const char *entry, *status;
    size_t len;
    int oom = 0;
    *encoding = *message = NULL;
    if (!e)
        return 0;
    entry = e->value;
    if (field(entry, 0, &status, &len) || size_field(entry, 2, &line->segments) ||
        size_field(entry, 3, &line->failed) || size_field(entry, 4, &line->warnings) ||
        size_field(entry, 5, &line->filtered))
        return 0;
    line->status = len == 2 && strncmp(status, "ok", 2) == 0 ? XLATE_DOC_OK : XLATE_DOC_FAILED;
    *encoding = string_field(entry, 1, &oom);
    *message = string_field(entry, 6, &oom);
    line->encoding = *encoding;
    line->message = *message;
    if (oom) {
        free(*encoding);
        free(*message);
        *encoding = *message = NULL;
        return -1;
    }
    return 1;
}

char *xlate_journal_find_messages(const xlate_journal *j, const char *key, int *oom) {
    const xlate_hashtab_entry *e = xlate_hashtab_find(j->done, key, strlen(key));
    return e ? string_field(e->value, 7, oom) : NULL;
}

static double monotonic_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void xlate_journal_flush(xlate_journal *j, xlate_journal_writer *w) {
    const char *p = w->pending.data;
    size_t left = w->pending.len;
    while (left > 0) {
        ssize_t n = write(j->fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (w->err.status == XLATE_OK)
                xlate_error_set(&w->err, XLATE_ERROR,
                                "%s/%s/journal: cannot write: %s (--resume will do the "
                                "documents it misses again)",
                                xlate_output_root(j->out), j->state, strerror(errno));
            break;
        }
        p += n;
        left -= (size_t)n;
    }
    xlate_buf_reset(&w->pending);
}

int xlate_journal_add(xlate_journal *j, xlate_journal_writer *w, const char *key,
                      const xlate_journal_line *l) {
    if (!w->pending.len)
        w->since = monotonic_seconds();
    int rc = xlate_buf_printf(&w->pending, "%s\t%s\t%s\t%zu\t%zu\t%zu\t%zu\t%s\t%s\n", key,
                              xlate_doc_status_word(l->status), l->encoding ? l->encoding : "",
                              l->segments, l->failed, l->warnings, l->filtered,
                              l->message ? l->message : "", l->messages ? l->messages : "");
    if (rc == 0 && (w->pending.len >= JOURNAL_FLUSH_BYTES ||
                    monotonic_seconds() - w->since >= JOURNAL_FLUSH_SECONDS))
        xlate_journal_flush(j, w);
    return rc;
}

void xlate_journal_writer_free(xlate_journal_writer *w) {
    xlate_buf_free(&w->pending);
    xlate_error_clear(&w->err);
}
