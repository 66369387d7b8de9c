/*
 * Harness: HTML and XHTML pages (core/format/html/html.h) through the format module's read, with
 * the options a user can set (format_fuzz.h): the document must read into sound paragraphs, write
 * back with no translation and read again as the same paragraphs, and write with every
 * translation a copy of its source.
 */
#include "format_fuzz.h"

#include "html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    return fuzz_format(&xlate_format_html, FUZZ_CANONICAL, data, size);
}
