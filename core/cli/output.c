/*
 * output: the command's edges — reading an input file whole (and as decoded, normalized text),
 * writing output text (converted to --output-encoding when asked), and printing an error with the
 * right exit status.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "cli.h"
#include "encode.h"
#include "readfile.h"

int xlate_read_input(const char *path, char **data, size_t *len, xlate_error *err) {
    return xlate_read_file(path, data, len, err);
}

int xlate_write_output(FILE *out, const char *where, const xlate_input_settings *s, const char *text,
                       size_t len, xlate_error *err) {
    char *converted = NULL;
    if (s && s->output_encoding) {
        if (xlate_encode(text, len, s->output_encoding, s->output_replace, where, &converted, &len,
                         err) != 0)
            return -1;
        text = converted;
    }
    int rc = 0;
    if (len && fwrite(text, 1, len, out) != len) {
        xlate_error_set(err, XLATE_ERROR, "%s: write error: %s", where, strerror(errno));
        rc = -1;
    }
    free(converted);
    return rc;
}

int xlate_cli_exit_status(const xlate_error *err) {
    if (!err || err->status == XLATE_OK)
        return XLATE_EXIT_OK;
    return err->status == XLATE_EINVAL || err->status == XLATE_ENOTFOUND ? XLATE_EXIT_USAGE
                                                                         : XLATE_EXIT_FAILED;
}

void xlate_cli_report(const xlate_error *err) {
    fprintf(stderr, "xlate: %s\n", err && err->message ? err->message : "failed");
}

int xlate_cli_fail(const xlate_error *err) {
    xlate_cli_report(err);
    int status = xlate_cli_exit_status(err);
    return status ? status : XLATE_EXIT_FAILED;
}

int xlate_cli_fail_clear(xlate_error *err) {
    int status = xlate_cli_fail(err);
    xlate_error_clear(err);
    return status;
}

/* The file's own buffer is handed down the stages: decode keeps valid UTF-8 where it lies and
 * normalize gives back text that needs no change as it is, so a clean UTF-8 file is never copied. */
int xlate_read_clean_text(const char *path, const xlate_input_settings *s, char **text,
                          size_t *len, xlate_error *err) {
    char *bytes = NULL;
    size_t n = 0;
    if (xlate_read_input(path, &bytes, &n, err) != 0)
        return -1;
    xlate_decoded d;
    if (xlate_decode_owned(bytes, n, &s->decode, path, &d, err) != 0)
        return -1;
    int rc = xlate_normalize_owned(d.text, d.len, &s->normalize, text, len, err);
    if (rc != 0)
        xlate_error_prefix(err, "%s", path);
    return rc;
}
