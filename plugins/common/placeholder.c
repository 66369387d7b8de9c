/*
 * placeholder: recognizes the host's placeholders in a masked source, and says when a segment needs
 * them, for the plugins that carry glossary terms and inline codes through an engine.
 */
#include "placeholder.h"

size_t xlate_placeholder_length(const char *text, size_t len) {
    if (len < 3 || text[0] != XLATE_PLACEHOLDER_OPEN)
        return 0;
    size_t end = 1;
    while (end < len && text[end] >= '0' && text[end] <= '9')
        end++;
    if (end == 1 || end >= len || text[end] != XLATE_PLACEHOLDER_CLOSE)
        return 0;
    return end + 1;
}

int xlate_placeholder_needed(const xlate_host *host, const xlate_batch *batch, size_t i) {
    return host->segment_term_count(batch, i) > 0 ||
           (XLATE_HOST_HAS(host, segment_code_count) && host->segment_code_count(batch, i) > 0);
}
