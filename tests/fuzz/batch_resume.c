/*
 * Harness: what `xlate batch --resume` reads back from OUTPUT's state folder, a place anyone who
 * can write OUTPUT may have edited (core/batch/batch_journal.h, batch_record.h): the record of the
 * options the outputs were made with, then, after a FUZZ_SEPARATOR line, the journal of finished
 * documents. The record is compared with this run's as --resume compares it (both ways); when it
 * matches, the journal is opened and every key it names is looked up, as the batch does for each
 * document it is about to start.
 */
#include "fuzz.h"

#include <sys/stat.h>

#include "archive_out.h"
#include "batch_journal.h"
#include "batch_record.h"

#define STATE ".xlate-state/all"

/* A record as the batch writes one: a heading, then one setting a line. */
static const char record[] = "xlate batch record 1\n"
                             "version\t0.1.0\n"
                             "--from\tuk\n"
                             "--to\ten\n"
                             "--format\ttsv,jsonl\n"
                             "--srx\tbuilt-in sha256:0123456789abcdef\n"
                             "plugin 1\tglossary file=terms.tsv sha256:fedcba9876543210\n";

/* The journal's keys: what comes before the first tab of each line. */
static void find_every_key(const xlate_journal *j, const char *journal) {
    for (const char *line = journal; *line;) {
        size_t len = strcspn(line, "\n");
        size_t key_len = strcspn(line, "\t\n");
        char *key = fuzz_strndup((const uint8_t *)line, key_len);
        xlate_journal_line found;
        char *encoding = NULL, *message = NULL;
        int rc = xlate_journal_find(j, key, &found, &encoding, &message);
        if (rc == 1 && (found.encoding != encoding || found.message != message))
            abort();
        free(encoding);
        free(message);
        free(key);
        line += len + (line[len] == '\n');
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t old_len, journal_len;
    const uint8_t *old = fuzz_part(&data, &size, &old_len);
    const uint8_t *journal = fuzz_part(&data, &size, &journal_len);
    char *old_text = fuzz_strndup(old, old_len);
    char *journal_text = fuzz_strndup(journal, journal_len);

    int oom = 0;
    free(xlate_bulk_record_diff(old_text, record, &oom));
    free(xlate_bulk_record_diff(record, old_text, &oom));

    char root[128];
    snprintf(root, sizeof root, "%s/out", fuzz_scratch_dir());
    mkdir(root, 0700);
    strcat(root, "/.xlate-state");
    mkdir(root, 0700);
    strcat(root, "/all");
    mkdir(root, 0700);
    fuzz_write_file("out/" STATE "/config", old, old_len);
    fuzz_write_file("out/" STATE "/journal", journal, journal_len);
    snprintf(root, sizeof root, "%s/out", fuzz_scratch_dir());

    xlate_output *out = NULL;
    xlate_journal *j = NULL;
    xlate_error err = {0};
    int kept = 0;
    if (xlate_output_open(root, 0, &out, &err) != 0)
        abort(); /* the folder is ours */
    if (xlate_journal_check(out, "OUT", STATE, record, 1, &kept, &err) == 0) {
        if (xlate_journal_open(out, STATE, record, 1, kept, &j, &err) == 0) {
            find_every_key(j, journal_text);
            xlate_journal_free(j);
        }
    } else if (!err.message) {
        abort(); /* a refusal says why */
    }
    xlate_error_clear(&err);
    xlate_output_free(out);
    free(old_text);
    free(journal_text);
    return 0;
}
