/*
 * json: JSON string escaping shared by the JSONL writer and the --json outputs of the commands.
 * Copies runs of plain bytes at once so that long texts cost one memcpy per run.
 */
#include "json.h"

#include <string.h>

static const char *short_escape(unsigned char c) {
    switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\n': return "\\n";
    case '\t': return "\\t";
    case '\r': return "\\r";
    case '\b': return "\\b";
    case '\f': return "\\f";
    default: return NULL;
    }
}

int xlate_json_string(xlate_buf *b, const char *s, size_t len) {
    if (xlate_buf_reserve(b, len + 2) != 0 || xlate_buf_putc(b, '"') != 0)
        return -1;
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (xlate_buf_append(b, s + run, i - run) != 0)
            return -1;
        const char *e = short_escape(c);
        if ((e ? xlate_buf_puts(b, e) : xlate_buf_printf(b, "\\u%04x", c)) != 0)
            return -1;
        run = i + 1;
    }
    if (xlate_buf_append(b, s + run, len - run) != 0)
        return -1;
    return xlate_buf_putc(b, '"');
}

int xlate_json_cstring(xlate_buf *b, const char *s) {
    return s ? xlate_json_string(b, s, strlen(s)) : xlate_buf_puts(b, "null");
}
