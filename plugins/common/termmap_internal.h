/*
 * termmap_internal: what the term map readers share (termmap.c reads TSV and CSV and checks the
 * entries of every format; termmap_tbx.c reads TBX). Not for the plugins: they use termmap.h.
 */
#ifndef XLATE_PLUGIN_TERMMAP_INTERNAL_H
#define XLATE_PLUGIN_TERMMAP_INTERNAL_H

#include "termmap.h"

#include <stddef.h>

/* The map being filled and where its errors go. */
typedef struct termmap_sink {
    xlate_termmap *map;
    size_t cap;
    char *err;
    size_t err_size;
} termmap_sink;

/* Writes "NAME:LINE: message" (line 0: "NAME: message") to the sink's err; returns XLATE_ERROR. */
int termmap_fail(termmap_sink *s, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A new zeroed entry at the end of the map, its line and concept set; NULL when out of memory. */
xlate_term_entry *termmap_new_entry(termmap_sink *s, unsigned line, unsigned concept);

/* Appends a copy of s[0..len) to the entry's forbidden variants; 0, or -1 when out of memory. */
int termmap_add_forbidden(xlate_term_entry *e, const char *s, size_t len);

/* A NUL-terminated copy of s[0..len) without the spaces around it; NULL when out of memory. */
char *termmap_copy_trimmed(const char *s, size_t len);

/* Offset of the first byte that is not valid UTF-8, or -1. */
long termmap_invalid_utf8_at(const char *s, size_t len);

/* Reads a TBX document into the sink's map: the entries for source_lang → target_lang. */
int termmap_parse_tbx(termmap_sink *s, const char *text, size_t len, const char *source_lang,
                      const char *target_lang);

#endif
