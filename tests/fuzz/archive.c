/*
 * Harness: an archive handed to `xlate batch` (core/batch/archive_in.h): tar (plain or compressed) or
 * zip, recognised by content, read entry by entry with libarchive. The first byte picks the
 * archive's file name (the reader must not care) and the encoding documents are told from binary
 * data in; the rest is the archive. Every entry the reader gives must be safe to write under the
 * output: a document's name is clean (relative, no "..", no empty or "." part, no control
 * character or backslash, valid UTF-8) and its bytes are there; anything else carries a reason.
 */
#include "fuzz.h"

#include "archive_in.h"
#include "utf8.h"

static const char *const names[] = {"in.tar", "in.tar.gz", "in.zip", "in", "in.tar.zst", "in.7z"};
static const char *const encodings[] = {NULL, "auto", "UTF-16", "windows-1251"};

/* Aborts unless `path` is a clean relative path, as a document's must be. */
static void check_clean(const char *path) {
    size_t len = strlen(path);
    if (len == 0 || path[0] == '/' || xlate_utf8_first_invalid(path, len, NULL) != len)
        abort();
    for (const char *p = path;;) {
        size_t n = strcspn(p, "/");
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            abort();
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\')
                abort();
        if (!p[n])
            break;
        p += n + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    unsigned choice = fuzz_byte(&data, &size);
    const char *path = fuzz_write_file(names[choice % 6], data, size);
    xlate_input_options opts = XLATE_INPUT_OPTIONS_INIT;
    opts.max_doc_size = 4 << 20;
    opts.encoding = encodings[(choice >> 4) & 3];
    xlate_input *in = NULL;
    xlate_error err = {0};
    if (xlate_input_open(path, &opts, NULL, &in, &err) != 0) {
        if (!err.message)
            abort();
        xlate_error_clear(&err);
        return 0;
    }
    fuzz_sink ^= (int)xlate_input_total(in);
    xlate_entry e;
    int rc;
    while ((rc = xlate_input_next(in, &e, &err)) == 1) {
        if (!e.path || !xlate_entry_kind_name(e.kind))
            abort();
        if (e.kind == XLATE_ENTRY_DOCUMENT) {
            check_clean(e.path);
            if (!e.data || e.data[e.len] != '\0' || e.reason)
                abort();
        } else if (!e.reason) {
            abort(); /* a skipped, rejected or failed entry says why */
        }
        xlate_entry_free(&e);
    }
    if (rc < 0 && !err.message)
        abort();
    xlate_error_clear(&err);
    xlate_input_free(in);
    return 0;
}
