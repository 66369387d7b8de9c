/*
 * wanted: which segments a bundled translator sends to its engine (wanted.h).
 */
#include "wanted.h"

int xlate_translator_wants(const xlate_host *host, const xlate_batch *batch, size_t i, int force) {
    if (!host->segment_active(batch, i))
        return 0;
    if (force || !XLATE_HOST_HAS(host, segment_match_score))
        return 1;
    return host->segment_match_score(batch, i) < 0;
}
