/*
 * format_check: what the format modules' tests check alike, on top of check.h. A file that
 * includes it is one test program, so the helpers are static.
 */
#ifndef XLATE_TESTS_FORMAT_CHECK_H
#define XLATE_TESTS_FORMAT_CHECK_H

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "format.h"

/* Every prefix of a document (a download cut short, an editor's half-saved file), one in every
 * 7 bytes: the module's read either fails with a message naming the document or gives a
 * document that writes back byte for byte. */
static void check_prefixes(const xlate_format_module *m, const char *name, const char *bytes, size_t len) {
    for (size_t cut = 0; bytes && cut < len; cut += 7) {
        xlate_format_read_options o = {0};
        xlate_error err = {0};
        xlate_fdoc doc;
        char *part = malloc(cut + 1);
        memcpy(part, bytes, cut);
        if (m->read(&o, name, part, cut, &doc, &err) == 0) {
            xlate_buf out = XLATE_BUF_INIT;
            CHECK(m->write(&doc, NULL, &out, &err) == 0);
            CHECK(out.len == cut && (cut == 0 || memcmp(out.data, part, cut) == 0));
            xlate_buf_free(&out);
            xlate_fdoc_free(&doc);
        } else {
            CHECK(err.message && strstr(err.message, name));
        }
        xlate_error_clear(&err);
        free(part);
    }
}

#endif
