/*
 * review: the parts of the review page (writer_review.c) that another page of the same look
 * shares — batch's index.html of the review pages it wrote. Output stage; knows nothing of
 * batches.
 */
#ifndef XLATE_CORE_REVIEW_H
#define XLATE_CORE_REVIEW_H

#include "error.h" /* XLATE_MUST_CHECK */

#include <stddef.h>
#include "buf.h"

/* Appends the page's head up to and including <body>: the doctype, <html lang>, the charset, a
 * Content-Security-Policy that lets in nothing but the page's own inline style (and, with
 * `with_script`, its own inline script: xlate_review_put_script), each named by its SHA-256,
 * the <title> and the style. `lang` is a BCP 47 tag, `title` plain text (escaped here).
 * Returns 0, or -1 when out of memory. */
XLATE_MUST_CHECK int xlate_review_put_head(xlate_buf *out, const char *lang, const char *title,
                                           int with_script);

/* Appends the page's inline <script> element (filter and keyboard navigation). */
XLATE_MUST_CHECK int xlate_review_put_script(xlate_buf *out);

/* Appends `len` bytes of UTF-8 text escaped for HTML text: & < > " as references, a control
 * character (but tab and line feed) as a visible token "U+0001" in a <span class="ctl">, bytes
 * that are not UTF-8 and noncharacters as U+FFFD. Returns 0, or -1 when out of memory. */
XLATE_MUST_CHECK int xlate_review_put_text(xlate_buf *out, const char *s, size_t len);

/* The same for a double-quoted attribute value (and <title>): a control character is the plain
 * text "U+0001". */
XLATE_MUST_CHECK int xlate_review_put_attr(xlate_buf *out, const char *s, size_t len);

/* "rtl" when the language `tag` is written right to left (ICU's likely script), else "ltr". */
const char *xlate_review_dir(const char *tag);

#endif
