/*
 * isolate_wire: the bytes an isolated plugin's batch travels in between the host and the child
 * process that runs the plugin (isolate.c). One encode and one decode per direction: the batch
 * going out (host → child) and what the plugin made of it coming back (child → host). A field
 * added to segments is added here, in the one pair of functions that carries a segment's state,
 * and nowhere else. Both ends are the same xlate program, so numbers travel in the machine's own
 * byte order; what comes back is still checked as any plugin's output is (UTF-8, spans inside the
 * source), since the child runs code the host does not trust.
 */
#ifndef XLATE_CORE_ISOLATE_WIRE_H
#define XLATE_CORE_ISOLATE_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "document.h"
#include "error.h"

/* --- primitives, also for the few other messages of isolate.c ---------------------------------- */

/* Appends a number, or a string (NULL travels as "no string"). Failures show in xlate_buf_failed. */
void xlate_wire_put_u64(xlate_buf *b, uint64_t v);
void xlate_wire_put_str(xlate_buf *b, const char *s, size_t len);

/* Reads what the puts wrote, in order. A read past the end or a malformed string sets `bad` and
 * returns 0 / NULL; check `bad` once at the end. Strings point into the reader's bytes and are
 * NUL-terminated there. */
typedef struct xlate_wire_reader {
    const char *p;
    size_t left;
    int bad;
} xlate_wire_reader;

uint64_t xlate_wire_get_u64(xlate_wire_reader *r);
const char *xlate_wire_get_str(xlate_wire_reader *r, size_t *len);

/* --- host → child: the batch --------------------------------------------------------------- */

/* Segments [first, first + count) of `doc` as the plugin will see them: the document's name, the
 * output id of the batch's first segment, and for each segment its position (index, paragraph),
 * its source and its state so far (target, terms, status, messages with their plugins and codes).
 * Returns 0, or -1 when out of memory. */
XLATE_MUST_CHECK int xlate_wire_put_batch(xlate_buf *out, const xlate_doc *doc, size_t first, size_t count);

/* The child's side: a document holding just the batch's segments, 0 .. count-1, that the host
 * services can give a plugin. Free with xlate_doc_free. Returns 0, or -1 with err. */
XLATE_MUST_CHECK int xlate_wire_get_batch(const char *data, size_t len, xlate_doc *doc, xlate_error *err);

/* --- child → host: the result -------------------------------------------------------------- */

/* The state of every segment of the child's document after the plugin ran. */
XLATE_MUST_CHECK int xlate_wire_put_result(xlate_buf *out, const xlate_doc *doc);

/* The host's side: replaces the state of segments [first, first + count) of `doc` with the
 * result. Nothing is changed unless the whole result is well-formed and fits the segments (same
 * count, terms inside their sources, UTF-8 text); returns 0, or -1 with err. */
XLATE_MUST_CHECK int xlate_wire_get_result(const char *data, size_t len, xlate_doc *doc, size_t first,
                                           size_t count, xlate_error *err);

#endif
