/*
 * tool: what the modules of the xlate-tm program share — the state of one file's import (the
 * store, the languages asked for, the counts of units imported and skipped with their reasons)
 * and the readers and writers of each format. Import: a reader parses its file and hands each
 * unit to tool_import_unit, all inside the file's one transaction (tool.c); a reader that finds
 * the file malformed returns -1 with "FILE:LINE: what" in err, and the transaction is rolled
 * back, so that nothing of that file is kept.
 */
#ifndef XLATE_TM_TOOL_H
#define XLATE_TM_TOOL_H

#include <stddef.h>
#include <stdio.h>

#include "tm_store.h"

#define TOOL_MAX_REASONS 16

typedef struct tool_import {
    xlate_tm_store *store;
    const char *from, *to;     /* --from / --to, or NULL */
    const char *path;          /* the file being imported */
    const char *origin;        /* "import:PATH" */
    long long now;
    char pair_src[64], pair_tgt[64];  /* the last unit's languages, and their pair's id: */
    long long pair;                   /* files name one pair unit after unit */
    size_t added, updated, unchanged, skipped;
    struct {
        const char *reason;    /* a static string */
        size_t count;
    } reasons[TOOL_MAX_REASONS];
    size_t n_reasons;
    char err[1024];            /* the failure, when a reader or the store returns -1 */
} tool_import;

/* Stores one unit (normalized to NFC first) in the pair src_lang → tgt_lang. Returns 0 or -1
 * (err set). */
int tool_import_unit(tool_import *im, const char *src_lang, const char *tgt_lang,
                     const char *source, size_t source_len, const char *target, size_t target_len);

/* `text` (len bytes) in NFC, malloc'd, *out_len its length; NULL when it is not UTF-8 or memory
 * ran out. */
char *tool_nfc(const char *text, size_t len, size_t *out_len);

/* Counts a unit that was not imported, with why (a static string). */
void tool_import_skip(tool_import *im, const char *reason);

/* Nonzero when a language tag of a file is the one asked for: equal, or the asked one followed
 * by '-' ("en" takes "en-US"), without case. */
int tool_lang_matches(const char *asked, const char *tag);

/* The readers: each returns 0, or -1 with im->err set. */
int tool_import_tmx(tool_import *im);
int tool_import_tsv(tool_import *im);
int tool_import_jsonl(tool_import *im);

/* The writers: every unit of `pair` (0: all) to `out`. Return 0, or -1 with err set. */
int tool_export_tmx(xlate_tm_store *s, long long pair, const char *srclang, FILE *out, char *err,
                    size_t err_size);
int tool_export_tsv(xlate_tm_store *s, long long pair, FILE *out, char *err, size_t err_size);

#endif
