/*
 * html_charset: which encoding a page's bytes are in, decided before libxml2 parses them (so
 * that --encoding, the BOM, the page's own declaration and detection are taken in that order,
 * and the writer knows what to write back in).
 */
#ifndef XLATE_CORE_FORMAT_HTML_CHARSET_H
#define XLATE_CORE_FORMAT_HTML_CHARSET_H

#include <stddef.h>
#include "error.h"

typedef struct html_charset {
    char name[32];  /* what libxml2 is to read the bytes as: "UTF-8", "windows-1251", "UTF-16LE" */
    size_t bom;     /* bytes of byte order mark at the start, left out of what is parsed */
    int declared;   /* the page names it (meta charset, XML declaration) */
} html_charset;

/* The charset declared in the page's first bytes (<meta charset>, <meta http-equiv
 * content="…; charset=…">, <?xml … encoding="…"?>), copied into out; 0 when found, -1 when
 * none. */
int html_charset_declared(const char *bytes, size_t len, char *out, size_t cap);

/* Decides the encoding: `forced` (--encoding, NULL or "auto" for none) wins, then a BOM, then
 * the page's declaration, then detection of the bytes (decode.h). Returns 0, or -1 with err set
 * for a declared or forced encoding libxml2 does not know, or bytes that are not valid UTF-8
 * when UTF-8 is what they say they are. `name` is for messages. */
int html_charset_choose(const char *forced, const char *name, const char *bytes, size_t len, html_charset *cs,
                        xlate_error *err);

#endif
