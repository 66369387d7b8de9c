/*
 * xliff_internal: what the XLIFF module's files share — the namespaces, parsing with line numbers,
 * XML escaping into a buffer, start tags of inline elements as their data, base64 and the escape
 * that lets any paragraph id live in an attribute. Used by xliff.c (read), xliff_write.c,
 * xliff_export.c and xliff_returned.c only.
 */
#ifndef XLATE_CORE_XLIFF_INTERNAL_H
#define XLATE_CORE_XLIFF_INTERNAL_H

#include <libxml/tree.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "format.h"

#define XLIFF12_NS "urn:oasis:names:tc:xliff:document:1.2"
#define XLIFF2_NS "urn:oasis:names:tc:xliff:document:2.0"
#define XLIFF_GLS_NS "urn:oasis:names:tc:xliff:glossary:2.0"
#define XLIFF_MTC_NS "urn:oasis:names:tc:xliff:matches:2.0"
/* Our own attributes and skeleton element: what merge needs that XLIFF has no place for. */
#define XLIFF_XLATE_NS "urn:x-xlate:xliff:1"

/* What the module keeps of a read document to write it back: the parsed tree, and for each
 * paragraph its unit element and, per preseg, the element that holds the segment (1.2 <mrk>,
 * 2.1 <segment>; NULL for a unit read whole). */
typedef struct xliff_skel {
    xmlDocPtr doc;
    int version;            /* 12 or 20 (2.0 and 2.1 share the namespace) */
    xmlNodePtr *units;      /* one per paragraph */
    xmlNodePtr **seg_nodes; /* one array per paragraph, n_presegs long, or NULL */
    size_t n_units;
    /* Per paragraph: the codes that stand between segments (in a 1.2 seg-source outside the
     * <mrk>s, in a 2.x <ignorable>), which the tree keeps and no segment's target takes. */
    struct xliff_gap_code { unsigned id; int kind; size_t gap; } **gap_codes;
    size_t *n_gap_codes;
} xliff_skel;

/* Parses XML with no network and no external entities. Returns the tree, or NULL with err set
 * naming `name`, the line and libxml2's message. */
xmlDocPtr xliff_parse(const char *name, const char *bytes, size_t len, xlate_error *err);

/* 12 for an XLIFF 1.2 root, 20 for 2.x, 0 when `root` is not XLIFF. */
int xliff_root_version(const xmlNode *root);

/* 1 when `n` is an element named `local` in the namespace `ns`. */
int xliff_is(const xmlNode *n, const char *ns, const char *local);

/* The first child element named `local` in `ns`, or NULL. */
xmlNodePtr xliff_child(const xmlNode *n, const char *ns, const char *local);

/* An attribute's value as a malloc'd string (free()), or NULL when absent. `ns` NULL: no
 * namespace. */
char *xliff_attr(const xmlNode *n, const char *ns, const char *name);

/* 1 when attribute `name` (no namespace) equals `value`. */
int xliff_attr_is(const xmlNode *n, const char *name, const char *value);

/* Escaped text and attribute values. Control characters XML cannot hold are left to the caller
 * (xliff_text_ok). */
void xliff_put_text(xlate_buf *out, const char *s, size_t len);
void xliff_put_attr(xlate_buf *out, const char *name, const char *value);

/* The byte offset of the first character XML 1.0 cannot carry (a C0 control other than tab, LF,
 * CR), or `len` when there is none. */
size_t xliff_bad_char(const char *s, size_t len);

/* The element's start tag as it stands in the document ("<g id=\"1\" ctype=\"bold\">"), attributes
 * in their order, namespace declarations of the element itself included. malloc'd, or NULL. */
char *xliff_start_tag(const xmlNode *n);

/* The element and its content serialized as in the document. malloc'd, or NULL. */
char *xliff_serialize(xmlNodePtr n);

/* base64 of `len` bytes appended to out, wrapped at 76 columns. */
void xliff_put_base64(xlate_buf *out, const char *bytes, size_t len);
/* Decodes base64 (whitespace ignored). Returns 0 with *out malloc'd (NUL-terminated), or -1. */
int xliff_base64_decode(const char *text, char **out, size_t *out_len);

/* A paragraph id made safe for an attribute (control characters and '%' as %XX) and back.
 * malloc'd, or NULL when out of memory. */
char *xliff_id_escape(const char *id);
char *xliff_id_unescape(const char *s);

/* Parses `markup` (inline content) as children of `parent`, replacing its children. Returns 0,
 * or -1 when the markup is not well-formed in that place. */
int xliff_set_content(xmlNodePtr parent, const char *markup, size_t len);

#endif
