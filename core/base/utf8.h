/*
 * utf8: UTF-8 well-formedness, shared by every stage that must know it (see utf8.c).
 */
#ifndef XLATE_CORE_UTF8_H
#define XLATE_CORE_UTF8_H

#include <stddef.h>

/* Offset of the first ill-formed UTF-8 sequence in `bytes` (ICU's U8_NEXT decides, so the answer
 * is ICU's), with its length in *bad_len (may be NULL), or `len` when all `len` bytes are
 * well-formed. ASCII and two-byte runs (Cyrillic) are checked eight bytes at a time. */
size_t xlate_utf8_first_invalid(const char *bytes, size_t len, size_t *bad_len);

#endif
