/*
 * xliff_util: the XML plumbing every part of the XLIFF module shares (xliff_internal.h):
 * parsing with the line of an error, escaping, start tags as inline codes' data, base64 for the
 * skeleton and the id escape.
 */
#include "xliff_internal.h"

#include <libxml/parser.h>
#include <libxml/xmlsave.h>
#include <nettle/base64.h>
#include <stdlib.h>
#include <string.h>

xmlDocPtr xliff_parse(const char *name, const char *bytes, size_t len, xlate_error *err) {
    if (len > (size_t)0x7fffffff) {
        xlate_error_set(err, XLATE_ERROR, "%s: too large for the XML parser (%zu bytes)", name, len);
        return NULL;
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", name);
        return NULL;
    }
    /* No network, no DTD loading, entities left as references: an XLIFF file cannot make us read
     * another file. */
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, bytes, (int)len, name, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        char msg[256] = "not well-formed XML";
        if (e && e->message) {
            snprintf(msg, sizeof msg, "%s", e->message);
            size_t n = strlen(msg);
            while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
                msg[--n] = '\0';
        }
        xlate_error_set(err, XLATE_ERROR, "%s:%d: not well-formed XML: %s; fix the file and run again", name,
                        e ? e->line : 0, msg);
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
}

int xliff_root_version(const xmlNode *root) {
    if (!root || root->type != XML_ELEMENT_NODE || strcmp((const char *)root->name, "xliff") != 0)
        return 0;
    const char *ns = root->ns && root->ns->href ? (const char *)root->ns->href : "";
    if (strcmp(ns, XLIFF12_NS) == 0)
        return 12;
    if (strcmp(ns, XLIFF2_NS) == 0)
        return 20;
    /* A 1.2 file without the namespace (old tools write them) says so in its version. */
    if (!*ns && xliff_attr_is(root, "version", "1.2"))
        return 12;
    return 0;
}

int xliff_is(const xmlNode *n, const char *ns, const char *local) {
    if (!n || n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, local) != 0)
        return 0;
    const char *h = n->ns && n->ns->href ? (const char *)n->ns->href : "";
    /* 1.2 elements may come without a namespace. */
    return strcmp(h, ns) == 0 || (!*h && strcmp(ns, XLIFF12_NS) == 0);
}

xmlNodePtr xliff_child(const xmlNode *n, const char *ns, const char *local) {
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (xliff_is(c, ns, local))
            return c;
    return NULL;
}

char *xliff_attr(const xmlNode *n, const char *ns, const char *name) {
    xmlChar *v = ns ? xmlGetNsProp(n, (const xmlChar *)name, (const xmlChar *)ns)
                    : xmlGetNoNsProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = strdup((const char *)v);
    xmlFree(v);
    return s;
}

int xliff_attr_is(const xmlNode *n, const char *name, const char *value) {
    char *v = xliff_attr(n, NULL, name);
    int is = v && strcmp(v, value) == 0;
    free(v);
    return is;
}

static void put_escaped(xlate_buf *out, const char *s, size_t len, int in_attr) {
    size_t from = 0;
    for (size_t i = 0; i < len; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        /* A parser turns a raw CR into LF (and in attributes, tab and LF into spaces). */
        case '\r': rep = "&#13;"; break;
        case '"': rep = in_attr ? "&quot;" : NULL; break;
        case '\t': rep = in_attr ? "&#9;" : NULL; break;
        case '\n': rep = in_attr ? "&#10;" : NULL; break;
        default: break;
        }
        if (!rep)
            continue;
        xlate_buf_append(out, s + from, i - from);
        xlate_buf_puts(out, rep);
        from = i + 1;
    }
    xlate_buf_append(out, s + from, len - from);
}

void xliff_put_text(xlate_buf *out, const char *s, size_t len) { put_escaped(out, s, len, 0); }

void xliff_put_attr(xlate_buf *out, const char *name, const char *value) {
    xlate_buf_printf(out, " %s=\"", name);
    put_escaped(out, value, strlen(value), 1);
    xlate_buf_putc(out, '"');
}

size_t xliff_bad_char(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return i;
    }
    return len;
}

static void put_qname(xlate_buf *b, const xmlNs *ns, const xmlChar *name) {
    if (ns && ns->prefix)
        xlate_buf_printf(b, "%s:", (const char *)ns->prefix);
    xlate_buf_puts(b, (const char *)name);
}

char *xliff_start_tag(const xmlNode *n) {
    xlate_buf b = XLATE_BUF_INIT;
    xlate_buf_putc(&b, '<');
    put_qname(&b, n->ns, n->name);
    for (const xmlNs *d = n->nsDef; d; d = d->next) {
        xlate_buf_puts(&b, d->prefix ? " xmlns:" : " xmlns");
        if (d->prefix)
            xlate_buf_puts(&b, (const char *)d->prefix);
        xlate_buf_puts(&b, "=\"");
        put_escaped(&b, (const char *)d->href, strlen((const char *)d->href), 1);
        xlate_buf_putc(&b, '"');
    }
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
        xlate_buf b2 = XLATE_BUF_INIT;
        put_qname(&b2, a->ns, a->name);
        char *qn = xlate_buf_steal(&b2, NULL);
        if (qn && v)
            xliff_put_attr(&b, qn, (const char *)v);
        free(qn);
        xmlFree(v);
    }
    xlate_buf_putc(&b, '>');
    return xlate_buf_steal(&b, NULL);
}

char *xliff_serialize(xmlNodePtr n) {
    xmlBufferPtr xb = xmlBufferCreate();
    if (!xb)
        return NULL;
    char *s = NULL;
    if (xmlNodeDump(xb, n->doc, n, 0, 0) >= 0)
        s = strdup((const char *)xmlBufferContent(xb));
    xmlBufferFree(xb);
    return s;
}

void xliff_put_base64(xlate_buf *out, const char *bytes, size_t len) {
    /* 57 input bytes make one 76-column line. */
    char line[BASE64_ENCODE_RAW_LENGTH(57) + 1];
    for (size_t i = 0; i < len; i += 57) {
        size_t n = len - i < 57 ? len - i : 57;
        base64_encode_raw(line, n, (const uint8_t *)bytes + i);
        xlate_buf_putc(out, '\n');
        xlate_buf_append(out, line, BASE64_ENCODE_RAW_LENGTH(n));
    }
    xlate_buf_putc(out, '\n');
}

int xliff_base64_decode(const char *text, char **out, size_t *out_len) {
    size_t tl = strlen(text);
    uint8_t *dst = malloc(BASE64_DECODE_LENGTH(tl) + 1);
    if (!dst)
        return -1;
    struct base64_decode_ctx ctx;
    base64_decode_init(&ctx);
    size_t n = BASE64_DECODE_LENGTH(tl);
    if (!base64_decode_update(&ctx, &n, dst, tl, text) || !base64_decode_final(&ctx)) {
        free(dst);
        return -1;
    }
    dst[n] = '\0';
    *out = (char *)dst;
    *out_len = n;
    return 0;
}

char *xliff_id_escape(const char *id) {
    xlate_buf b = XLATE_BUF_INIT;
    xlate_buf_puts(&b, "");
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        if (*p < 0x20 || *p == '%' || *p == 0x7f)
            xlate_buf_printf(&b, "%%%02X", *p);
        else
            xlate_buf_putc(&b, (char)*p);
    }
    return xlate_buf_steal(&b, NULL);
}

static int hexval(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

char *xliff_id_unescape(const char *s) {
    char *d = malloc(strlen(s) + 1), *o = d;
    if (!d)
        return NULL;
    for (; *s; s++) {
        if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
            *o++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
            s += 2;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return d;
}

int xliff_set_content(xmlNodePtr parent, const char *markup, size_t len) {
    xmlNodePtr list = NULL;
    if (len > (size_t)0x7fffffff)
        return -1;
    /* The markup is UTF-8 whatever the document was in: the parser would take the document's
     * encoding for it. */
    const xmlChar *enc = parent->doc ? parent->doc->encoding : NULL;
    if (parent->doc)
        parent->doc->encoding = NULL;
    int rc = len ? xmlParseInNodeContext(parent, markup, (int)len, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                         XML_PARSE_NOWARNING, &list) : XML_ERR_OK;
    if (parent->doc)
        parent->doc->encoding = enc;
    if (rc != XML_ERR_OK) {
        xmlFreeNodeList(list);
        return -1;
    }
    while (parent->children) {
        xmlNodePtr c = parent->children;
        xmlUnlinkNode(c);
        xmlFreeNode(c);
    }
    if (list)
        xmlAddChildList(parent, list);
    return 0;
}
