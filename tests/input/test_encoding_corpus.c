/*
 * The encoding corpus (tests/encoding/manifest.tsv, built by scripts/gen-encoding-corpus.py):
 * every file decoded under --encoding auto must give exactly the original text, name one of the
 * accepted encodings, and undo the expected rounds of mojibake. Prints the accuracy; fails when
 * any file of 200 bytes or more is wrong (shorter files are reported, not required).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "decode.h"

static int encoding_accepted(const char *accepted, const char *got) {
    char list[256];
    snprintf(list, sizeof list, "%s", accepted);
    for (char *save = NULL, *tok = strtok_r(list, "|", &save); tok; tok = strtok_r(NULL, "|", &save))
        if (strcmp(tok, got) == 0)
            return 1;
    return 0;
}

typedef struct tally {
    int files, right, big_files, big_right;
} tally;

static void check_file(const char *file, const char *accepted, const char *expected_path,
                       int rounds, tally *t) {
    char path[1024];
    size_t len = 0, want_len = 0;
    snprintf(path, sizeof path, "%s/encoding/files/%s", TEST_DATA_DIR, file);
    char *bytes = check_read_file(path, &len);
    snprintf(path, sizeof path, "%s/encoding/%s", TEST_DATA_DIR, expected_path);
    char *want = check_read_file(path, &want_len);
    CHECK(bytes != NULL && want != NULL);
    if (!bytes || !want) {
        free(bytes);
        free(want);
        return;
    }
    xlate_decode_options opts = XLATE_DECODE_OPTIONS_INIT;
    xlate_decoded d;
    xlate_error err = {0};
    int ok = xlate_decode(bytes, len, &opts, file, &d, &err) == 0;
    const char *why = ok ? NULL : err.message;
    if (ok && !(d.len == want_len && memcmp(d.text, want, want_len) == 0))
        why = "decoded text differs";
    else if (ok && !encoding_accepted(accepted, d.encoding))
        why = "wrong encoding";
    else if (ok && d.repaired != rounds)
        why = "wrong number of mojibake rounds";
    int big = len >= 200;
    t->files++;
    t->big_files += big;
    if (!why) {
        t->right++;
        t->big_right += big;
    } else {
        printf("%-4s %-40s want %-28s got %-14s repaired %d: %s\n", big ? "FAIL" : "miss", file,
               accepted, ok ? d.encoding : "-", ok ? d.repaired : 0, why);
        if (big)
            check_failures++;
    }
    if (ok)
        xlate_decoded_free(&d);
    xlate_error_clear(&err);
    free(bytes);
    free(want);
}

int main(void) {
    char path[1024];
    snprintf(path, sizeof path, "%s/encoding/manifest.tsv", TEST_DATA_DIR);
    size_t len = 0;
    char *manifest = check_read_file(path, &len);
    CHECK(manifest != NULL);
    if (!manifest)
        return check_result("encoding_corpus");
    tally t = {0};
    char *save = NULL;
    strtok_r(manifest, "\n", &save); /* header */
    for (char *line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[4] = {0};
        char *fsave = NULL;
        f[0] = strtok_r(line, "\t", &fsave);
        for (int i = 1; i < 4; i++)
            f[i] = strtok_r(NULL, "\t", &fsave);
        CHECK(f[3] != NULL);
        if (f[3])
            check_file(f[0], f[1], f[2], atoi(f[3]), &t);
    }
    free(manifest);
    CHECK(t.files >= 40);
    printf("encoding corpus: %d/%d files right (%.1f%%); %d/%d of the files >= 200 bytes (%.1f%%)\n",
           t.right, t.files, t.files ? 100.0 * t.right / t.files : 0.0, t.big_right, t.big_files,
           t.big_files ? 100.0 * t.big_right / t.big_files : 0.0);
    return check_result("encoding_corpus");
}
