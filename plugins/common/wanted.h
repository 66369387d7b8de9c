/*
 * wanted: which segments of a batch a bundled translator sends to its engine. Shared by the
 * apertium, exec and http plugins, so that all three leave alone what they should in the same way.
 */
#ifndef XLATE_PLUGIN_WANTED_H
#define XLATE_PLUGIN_WANTED_H

#include <stddef.h>

#include "xlate/plugin.h"

/* The option every bundled translator declares: with it a segment a translation memory filled is
 * translated again. */
#define XLATE_WANTED_FORCE_OPTION                                                                  \
    {"force", XLATE_OPTION_BOOL, "no",                                                              \
     "yes: translate also the segments a translation memory earlier in the chain filled (by "      \
     "default they are left alone)"}

/* 1 when segment i is for the engine: it is active, and unless `force`, its target did not come
 * from a translation memory's match (segment_match_score >= 0, asked only of a host of ABI 1.3 or
 * later, which has matches). The memory knew the sentence: the engine would cost time or money. */
int xlate_translator_wants(const xlate_host *host, const xlate_batch *batch, size_t i, int force);

#endif
