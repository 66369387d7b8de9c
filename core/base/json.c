/*
 * json: JSON string escaping shared by the JSONL writer and the --json outputs of the commands.
 * Looks for the bytes that need an escape eight at a time and copies the runs between them with
 * one memcpy each: a long text without quotes or controls costs a scan and a copy.
 */
#include "json.h"

#include <string.h>

#include "bytewise.h"

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

static int needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

/* Bit 7 of each byte of the result is set where that byte of w needs an escape: a control
 * character (no bit of 0xE0 set), '"' or '\'. */
static uint64_t escapes_in(uint64_t w) {
    uint64_t controls = xlate_nonzero_bytes(w & xlate_every_byte(0xE0));
    uint64_t quotes = xlate_nonzero_bytes(w ^ xlate_every_byte('"'));
    uint64_t backslashes = xlate_nonzero_bytes(w ^ xlate_every_byte('\\'));
    return ~(controls & quotes & backslashes) & XLATE_TOP_BITS;
}

/* The offset of the first byte at or after i that needs an escape, or len. */
static size_t next_escape(const unsigned char *u, size_t i, size_t len) {
    for (; i + 8 <= len; i += 8) {
        uint64_t hits = escapes_in(xlate_load_le64(u + i));
        if (hits)
            return i + (size_t)__builtin_ctzll(hits) / 8;
    }
    while (i < len && !needs_escape(u[i]))
        i++;
    return i;
}

int xlate_json_string(xlate_buf *b, const char *s, size_t len) {
    const unsigned char *u = (const unsigned char *)s;
    if (xlate_buf_reserve(b, len + 2) != 0 || xlate_buf_putc(b, '"') != 0)
        return -1;
    size_t run = 0;
    for (size_t i = next_escape(u, 0, len); i < len; i = next_escape(u, run, len)) {
        if (xlate_buf_append(b, s + run, i - run) != 0)
            return -1;
        const char *e = short_escape(u[i]);
        if ((e ? xlate_buf_puts(b, e) : xlate_buf_printf(b, "\\u%04x", u[i])) != 0)
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
