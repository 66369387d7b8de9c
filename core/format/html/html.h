/*
 * html: the HTML and XHTML format module (format.h), read through libxml2's HTML parser. Block
 * elements are paragraphs, inline elements their codes, alt/title/placeholder and the page's
 * meta description paragraphs of their own; scripts, styles, code, pre, translate="no" and
 * comments are kept untouched. `write` gives the page back with the translations in place and
 * <html lang> set to the target language.
 */
#ifndef XLATE_CORE_FORMAT_HTML_H
#define XLATE_CORE_FORMAT_HTML_H

#include "format.h"

extern const xlate_format_module xlate_format_html;

#endif
