/*
 * shard_merge: `xlate batch --merge-shards`, the shards of one batch (`--shard K/N`, or `auto`
 * under a scheduler) joined after they ran: their reports into the report one unsharded run
 * would have written, and their combined TMX files into its combined TMX — the same bytes. Sits
 * after the batch; reads only what the shards wrote, never the input.
 */
#ifndef XLATE_CORE_SHARD_MERGE_H
#define XLATE_CORE_SHARD_MERGE_H

#include <stddef.h>
#include "error.h"

typedef struct xlate_shard_merge_config {
    const char *const *reports;  /* the shards' reports, one each, in any order */
    size_t n_reports;
    const char *const *tmx;      /* the shards' combined TMX files (--combined), or none */
    size_t n_tmx;
    int report_dir_fd;           /* the folder report_out is in: AT_FDCWD, or an OUTPUT folder */
    const char *report_out;      /* where the merged report goes */
    unsigned report_flags;       /* outfile's flags: XLATE_OUTFILE_NO_LINKS inside OUTPUT */
    const char *tmx_out;         /* where the merged TMX goes; NULL when n_tmx is 0 */
} xlate_shard_merge_config;

/* What the merged report says, for the command's exit status and its line on stderr. */
typedef struct xlate_shard_merge_result {
    unsigned shards;
    size_t entries, failed;
    int complete;                /* every shard ran to its end */
} xlate_shard_merge_result;

/* Checks that the reports are shards 0 .. N-1 of one N, made with the same languages and outputs
 * (and that each TMX holds the units of one shard's documents, in its order), then writes the
 * merged report and TMX by outfile's rule. Returns 0, or -1 with err naming the file and what is
 * wrong (a shard missing or given twice, a report that is no shard's, a TMX whose units do not
 * follow its report). Shards that do not fit together are found before anything is written; a
 * TMX that does not follow its report leaves no TMX and no report. */
XLATE_MUST_CHECK int xlate_shards_merge(const xlate_shard_merge_config *cfg,
                                        xlate_shard_merge_result *result, xlate_error *err);

#endif
