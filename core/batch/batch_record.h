/*
 * batch_record: what a batch's outputs are made with — the xlate version, the languages, the
 * formats, the input and output options, the segmentation rules and the plugin chain with every
 * option's value and the content hash of every file an option names — as a few lines of text that
 * batch keeps in OUTPUT's state folder beside its journal. Under --resume the record of the run
 * that started OUTPUT is compared with the new one, so that a resume never mixes outputs made two
 * ways. Beside the batch, before any document is read; knows nothing of documents.
 */
#ifndef XLATE_CORE_BATCH_RECORD_H
#define XLATE_CORE_BATCH_RECORD_H

#include "batch.h"
#include "error.h"

/* Makes the record of `cfg`: one setting a line, "NAME<TAB>VALUE\n", in a fixed order. Values
 * are canonical (an option left at its default reads as the default, "yes" as "on"), so that
 * two ways of writing the same run give the same record. A file is recorded by its name and the
 * first 64 bits of its SHA-256, hex ("sha256:…"); the built-in segmentation rules likewise. The
 * value of an option whose name says it is a secret (key, token, password, secret) is recorded
 * only as its hash. *out is allocated (free()). Returns 0, or -1 with err when out of memory. */
XLATE_MUST_CHECK int xlate_bulk_record_make(const xlate_bulk_config *cfg, char **out, xlate_error *err);

/* What changed from `recorded` to `now`, for a message: "--to: en → es; plugin 1 (glossary)
 * file: a.tsv sha256:… → a.tsv sha256:…". Allocated (free()); NULL when the records are the same
 * (or when out of memory: *oom is then set). */
char *xlate_bulk_record_diff(const char *recorded, const char *now, int *oom);

/* The content hash as the record writes it: "sha256:" and 16 hex digits. `out` holds 24 bytes. */
void xlate_bulk_record_hash(const void *data, size_t len, char out[24]);

#endif
