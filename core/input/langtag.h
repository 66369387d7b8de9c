/*
 * langtag: the language tags of a run (--from, --to) checked as BCP 47 tags whose language ICU
 * knows, before any stage of the data path sees them (see langtag.c).
 */
#ifndef XLATE_CORE_LANGTAG_H
#define XLATE_CORE_LANGTAG_H

#include <stddef.h>

#include "error.h"

/* Room for any canonical tag this module writes, NUL included. */
#define XLATE_LANGTAG_MAX 160

/* Checks `tag` and writes its canonical form into out ("EN-gb" → "en-GB", "eng" → "en"). A tag
 * is accepted when it parses whole as BCP 47, its language subtag is an ISO 639 language ICU
 * knows, and its script and region, when given, are ones ICU knows; or when it is a private-use
 * tag alone ("x-upper"), which is written in lower case. Private-use subtags after a language
 * ("en-x-foo") are kept. Returns 0, or -1 with err
 * (XLATE_EINVAL) saying what is wrong with the tag and what a valid one looks like; the
 * caller prefixes the option's name. */
XLATE_MUST_CHECK int xlate_langtag_canonical(const char *tag, char *out, size_t out_size, xlate_error *err);

/* 1 when a plugin that declares language `declared` (a BCP 47 tag as a descriptor writes it, or
 * "*" for any) serves the run's canonical `tag`: "*", the same tag, or a prefix of it by whole
 * subtags ("en" serves "en-GB" and "en-x-foo", not "eng"), ignoring case. */
int xlate_langtag_covers(const char *declared, const char *tag);

#endif
