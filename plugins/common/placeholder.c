/*
 * placeholder: recognizes the host's term placeholders in a masked source, for the plugins that
 * carry glossary terms through an engine.
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
