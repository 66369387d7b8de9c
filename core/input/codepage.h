/*
 * codepage: encoding names and byte-level conversion shared by the decode stage (decode, detect,
 * mojibake) and by encode at the writer end. Resolves the names users type ("cp1251", "koi8-u",
 * "mac-ukrainian") to one canonical name and the name glibc iconv knows, and turns a single-byte
 * code page into a 256-entry table (built from iconv) so that hot loops need no iconv call a byte.
 */
#ifndef XLATE_CORE_CODEPAGE_H
#define XLATE_CORE_CODEPAGE_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

#define XLATE_CP_UNDEFINED 0xFFFFFFFFu

/* A resolved encoding name. */
typedef struct xlate_encoding_name {
    char canonical[32]; /* what we report: "windows-1251", "KOI8-U", "UTF-16LE", ... */
    char iconv[32];     /* what iconv_open takes */
} xlate_encoding_name;

/* Resolves `name`. Returns 0, or -1 (err set, kind USAGE) when neither the alias table nor iconv
 * knows it. */
XLATE_MUST_CHECK int xlate_encoding_resolve(const char *name, xlate_encoding_name *out, xlate_error *err);

/* Nonzero for "UTF-8" and its spellings. */
XLATE_MUST_CHECK int xlate_encoding_is_utf8(const char *name);

/* A single-byte code page as a table. */
typedef struct xlate_codepage {
    uint32_t to_ucs[256];   /* code point of each byte, XLATE_CP_UNDEFINED where none */
    unsigned char utf8[256][4];
    unsigned char utf8_len[256]; /* 0 where undefined */
} xlate_codepage;

/* Builds the table of `iconv_name`. Returns 0; 1 when the encoding is not a stateless single-byte
 * one (UTF-16, Shift_JIS, ...); -1 when iconv does not know it. */
XLATE_MUST_CHECK int xlate_codepage_load(const char *iconv_name, xlate_codepage *cp);

/* Position of the first byte `cp` cannot decode, or `len` when all can. */
size_t xlate_codepage_first_undefined(const xlate_codepage *cp, const char *bytes, size_t len);

#endif
