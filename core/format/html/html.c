/*
 * html: the HTML and XHTML format module (html.h). Read: the encoding is decided first
 * (html_charset), libxml2's HTML parser builds the tree, html_walk cuts it into paragraphs; the
 * skeleton is the page's bytes, and the tree with the walk's runs, kept for the first write.
 * Write: each translated paragraph's nodes are rebuilt from its target (text nodes new, inline
 * elements the page's own, moved to where the target puts their codes), and libxml2 serializes
 * the tree in the page's encoding. A write changes the tree it writes, so the kept tree serves
 * one write that changes it; any later write parses the bytes and walks them again — the same
 * walk gives the same paragraphs. Scripts, styles and everything else
 * the walk does not touch come out as libxml2 read them.
 */
#include "html.h"

#include <libxml/HTMLtree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html_charset.h"
#include "html_walk.h"

/* Recover from what browsers recover from, say nothing on stderr, never fetch, add no doctype the
 * page did not have; the encoding is the one html_charset decided, whatever the page says. The
 * <html> and <body> a fragment of a page lacks are added, as browsers do: without them libxml2
 * wraps text that stands outside any block in a <p> of its own, which changes the page more. */
#define HTML_READ_OPTIONS                                                                              \
    (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |             \
     HTML_PARSE_NODEFDTD | HTML_PARSE_IGNORE_ENC)

typedef struct html_skeleton {
    char *bytes; /* the page after its BOM */
    size_t len;
    html_charset cs;
    /* The tree read parsed, and its runs (walk.paras NULL), both owned; NULL once a write has
     * changed the tree, which the next write then parses again from `bytes`. Parsing a page costs
     * about as much as the rest of reading it, so a document read then written once — every
     * run — parses it once. */
    htmlDocPtr tree;
    html_walk walk;
} html_skeleton;

static void drop_tree(html_skeleton *s) {
    html_walk_free(&s->walk);
    xmlFreeDoc(s->tree);
    s->tree = NULL;
}

static void skeleton_free(void *p) {
    html_skeleton *s = p;
    if (!s)
        return;
    drop_tree(s);
    free(s->bytes);
    free(s);
}

static htmlDocPtr parse(const html_skeleton *s, const char *name, xlate_error *err) {
    if (s->len > (size_t)INT32_MAX) {
        xlate_error_set(err, XLATE_ERROR, "%s: the page is larger than 2 GiB, which libxml2 cannot parse", name);
        return NULL;
    }
    htmlDocPtr doc = htmlReadMemory(s->len ? s->bytes : "", (int)s->len, name, s->cs.name, HTML_READ_OPTIONS);
    if (!doc)
        xlate_error_set(err, XLATE_ERROR, "%s: libxml2 could not parse the page as HTML (read as %s); "
                        "check that it is HTML, or name its encoding with --encoding", name, s->cs.name);
    return doc;
}

/* A page of nothing but white space, which libxml2 gives no tree for: no paragraphs, and written
 * back as it is. */
static int blank(const html_skeleton *s) {
    for (size_t i = 0; i < s->len; i++)
        if (!strchr(" \t\r\n\f", s->bytes[i]))
            return 0;
    return 1;
}

static int sniff(const char *bytes, size_t len) {
    size_t scan = len < 4096 ? len : 4096, i = 0;
    if (scan >= 3 && (unsigned char)bytes[0] == 0xEF && (unsigned char)bytes[1] == 0xBB &&
        (unsigned char)bytes[2] == 0xBF)
        i = 3;
    while (i < scan && strchr(" \t\r\n", bytes[i]))
        i++;
    const char *p = bytes + i;
    size_t rest = scan - i;
    if ((rest >= 14 && strncasecmp(p, "<!doctype html", 14) == 0) || (rest >= 5 && strncasecmp(p, "<html", 5) == 0))
        return 95;
    for (size_t k = i; k + 5 <= scan; k++)
        if (bytes[k] == '<' && (strncasecmp(bytes + k, "<html", 5) == 0 || strncasecmp(bytes + k, "<body", 5) == 0 ||
                                strncasecmp(bytes + k, "<head", 5) == 0))
            return rest >= 5 && strncmp(p, "<?xml", 5) == 0 ? 90 : 60;
    return 0;
}

static char *root_lang(htmlDocPtr doc) {
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (root && strcasecmp((const char *)root->name, "html") != 0)
        root = NULL;
    xmlChar *lang = root ? xmlGetProp(root, BAD_CAST "lang") : NULL;
    char *out = lang && *lang ? strdup((const char *)lang) : NULL;
    xmlFree(lang);
    return out;
}

static int read_html(const xlate_format_read_options *o, const char *name, const char *bytes, size_t len,
                     xlate_fdoc *doc, xlate_error *err) {
    memset(doc, 0, sizeof *doc);
    html_skeleton *s = calloc(1, sizeof *s);
    if (!s)
        goto oom;
    if (html_charset_choose(o ? o->encoding : NULL, name, bytes, len, &s->cs, err) != 0) {
        skeleton_free(s);
        return -1;
    }
    s->len = len - s->cs.bom;
    if (!(s->bytes = malloc(s->len + 1))) {
        skeleton_free(s);
        goto oom;
    }
    memcpy(s->bytes, bytes + s->cs.bom, s->len);
    s->bytes[s->len] = '\0';
    htmlDocPtr tree = blank(s) ? NULL : parse(s, name, err);
    if (!tree && !blank(s)) {
        skeleton_free(s);
        return -1;
    }
    html_walk w = {0};
    int rc = tree ? html_walk_document(tree, &w) : 0;
    doc->source_lang = tree ? root_lang(tree) : NULL;
    if (rc != 0) {
        xmlFreeDoc(tree);
        skeleton_free(s);
        goto oom;
    }
    doc->format = &xlate_format_html;
    doc->skeleton = s;
    snprintf(doc->encoding, sizeof doc->encoding, "%s", s->cs.name);
    doc->paras = w.paras;
    doc->n_paras = w.n;
    w.paras = NULL;
    s->tree = tree;
    s->walk = w; /* the runs, their nodes in `tree` */
    if (!(doc->name = strdup(name))) {
        xlate_fdoc_free(doc);
        goto oom;
    }
    return 0;
oom:
    xlate_fdoc_free(doc);
    xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory reading the page", name);
    return -1;
}

/* --- write ----------------------------------------------------------------------------------- */

static int is_code_node(const html_run *r, xmlNodePtr n) {
    for (size_t i = 0; i < r->n_nodes; i++)
        if (r->nodes[i] == n)
            return 1;
    return 0;
}

/* Takes the run's nodes out of the tree: text goes, the code elements are kept (emptied, when
 * they have content, of anything that is not another code) to be put back by the target. */
static void take_apart(html_run *r) {
    for (size_t i = 0; i < r->n_nodes; i++) {
        xmlNodePtr el = r->nodes[i];
        if (el->type != XML_ELEMENT_NODE || html_walk_is_kept(el))
            continue;
        for (xmlNodePtr c = el->children, next; c; c = next) {
            next = c->next;
            xmlUnlinkNode(c);
            if (!is_code_node(r, c))
                xmlFreeNode(c);
        }
    }
    for (xmlNodePtr n = r->first, next;; n = next) {
        int end = n == r->last;
        next = n->next;
        xmlUnlinkNode(n);
        if (!is_code_node(r, n))
            xmlFreeNode(n);
        if (end)
            break;
    }
}

typedef struct rebuild {
    xmlDocPtr doc;
    xmlNodePtr parent, before; /* where the run's top level goes */
    xmlNodePtr stack[64];      /* open elements, innermost last */
    size_t depth;
} rebuild;

static int place(rebuild *b, xmlNodePtr n) {
    xmlNodePtr done;
    if (b->depth)
        done = xmlAddChild(b->stack[b->depth - 1], n);
    else if (b->before)
        done = xmlAddPrevSibling(b->before, n);
    else
        done = xmlAddChild(b->parent, n);
    if (!done) {
        xmlFreeNode(n);
        return -1;
    }
    return 0;
}

static int place_text(rebuild *b, const char *s, size_t len) {
    if (len == 0)
        return 0;
    xmlNodePtr t = xmlNewDocTextLen(b->doc, BAD_CAST s, (int)len);
    return t ? place(b, t) : -1;
}

static const xlate_code *source_code(const xlate_fragment *src, unsigned id, xlate_seg_code_kind kind) {
    for (size_t i = 0; i < src->n_codes; i++)
        if (src->codes[i].id == id && src->codes[i].kind == kind)
            return &src->codes[i];
    return NULL;
}

/* Puts the target's text and codes where the run was. `used` marks the nodes placed. */
static int rebuild_run(xmlDocPtr doc, html_run *r, const xlate_para *p) {
    const xlate_fragment *t = &p->target;
    rebuild b = {doc, r->parent, r->last->next, {0}, 0};
    char *used = calloc(r->n_nodes ? r->n_nodes : 1, 1);
    if (!used)
        return -1;
    take_apart(r);
    int rc = place_text(&b, r->lead, strlen(r->lead));
    size_t at = 0;
    for (size_t i = 0; i <= t->n_codes && rc == 0; i++) {
        size_t pos = i < t->n_codes ? t->codes[i].pos : t->len;
        if (pos > t->len)
            pos = t->len;
        if (pos > at)
            rc = place_text(&b, t->text + at, pos - at);
        at = pos > at ? pos : at;
        if (i == t->n_codes || rc != 0)
            break;
        const xlate_code *c = &t->codes[i];
        if (c->id == 0 || c->id > r->n_nodes)
            continue; /* no code of this paragraph: nothing of the page to put there */
        xmlNodePtr n = r->nodes[c->id - 1];
        if (c->kind == XLATE_SEG_CODE_CLOSE) {
            for (size_t d = b.depth; d > 0; d--)
                if (b.stack[d - 1] == n) {
                    b.depth = d - 1;
                    break;
                }
            continue;
        }
        if (used[c->id - 1] || !source_code(&p->source, c->id, c->kind))
            continue;
        used[c->id - 1] = 1;
        rc = place(&b, n);
        if (rc == 0 && c->kind == XLATE_SEG_CODE_OPEN && b.depth < sizeof b.stack / sizeof b.stack[0])
            b.stack[b.depth++] = n;
    }
    /* A code the target lost keeps its element, at the end of the paragraph. */
    b.depth = 0;
    for (size_t i = 0; i < r->n_nodes && rc == 0; i++)
        if (!used[i])
            rc = place(&b, r->nodes[i]);
    if (rc == 0)
        rc = place_text(&b, r->trail, strlen(r->trail));
    free(used);
    return rc;
}

/* Sets *changed once the tree is no longer the page as read. */
static int apply_targets(xmlDocPtr tree, html_walk *w, const xlate_fdoc *doc, int *changed) {
    for (size_t i = 0; i < w->n; i++) {
        const xlate_para *p = &doc->paras[i];
        if (!p->target.text || xlate_fragment_equal(&p->target, &p->source))
            continue; /* the page as it was, its line breaks included */
        html_run *r = &w->runs[i];
        *changed = 1;
        if (r->kind == HTML_RUN_ATTR) {
            if (!xmlSetProp(r->element, BAD_CAST r->attr, BAD_CAST p->target.text))
                return -1;
        } else if (rebuild_run(tree, r, p) != 0) {
            return -1;
        }
    }
    return 0;
}

static int translated(const xlate_fdoc *doc) {
    for (size_t i = 0; i < doc->n_paras; i++)
        if (doc->paras[i].target.text && !xlate_fragment_equal(&doc->paras[i].target, &doc->paras[i].source))
            return 1;
    return 0;
}

static int set_lang(xmlDocPtr tree, const char *lang) {
    xmlNodePtr root = xmlDocGetRootElement(tree);
    if (!root || strcasecmp((const char *)root->name, "html") != 0)
        return 0; /* a fragment of a page: its <html> is elsewhere */
    if (!xmlSetProp(root, BAD_CAST "lang", BAD_CAST lang))
        return -1;
    /* XHTML's xml:lang: the HTML parser knows no namespaces, so it is an attribute of that name */
    for (xmlAttrPtr a = root->properties; a; a = a->next)
        if (!a->ns && xmlStrEqual(a->name, BAD_CAST "xml:lang")) {
            xmlNodeSetContent((xmlNodePtr)a, BAD_CAST lang);
            break;
        }
    return 0;
}

/* The encoding to write in: what the page's meta tag says, so the two agree, else (no meta, or
 * one naming a charset libxml2 does not know) what it was read as; UTF-16 pages come back as
 * UTF-8 with a BOM. */
static void output_encoding(xmlDocPtr tree, const html_skeleton *s, char *out, size_t cap, int *bom) {
    const xmlChar *meta = htmlGetMetaEncoding(tree);
    xmlCharEncodingHandlerPtr h = meta ? xmlFindCharEncodingHandler((const char *)meta) : NULL;
    const char *enc = h ? (const char *)meta : s->cs.name;
    if (!h)
        h = xmlFindCharEncodingHandler(enc);
    if (!h || strncasecmp(enc, "UTF-16", 6) == 0)
        enc = "UTF-8";
    if (h)
        xmlCharEncCloseFunc(h);
    snprintf(out, cap, "%s", strcasecmp(enc, "UTF8") == 0 || strcasecmp(enc, "UTF-8") == 0 ? "UTF-8" : enc);
    *bom = strcmp(out, "UTF-8") == 0 && (s->cs.bom == 3 || strncasecmp(s->cs.name, "UTF-16", 6) == 0);
}

/* An XHTML page's XML declaration: the HTML parser keeps it as a processing instruction, which
 * libxml2 writes after the doctype; it is taken out of the tree here and written first, where an
 * XML parser needs it. */
static xmlNodePtr take_xml_declaration(xmlDocPtr tree) {
    for (xmlNodePtr n = tree->children; n && n->type != XML_ELEMENT_NODE; n = n->next)
        if (n->type == XML_PI_NODE && xmlStrEqual(n->name, BAD_CAST "xml")) {
            xmlUnlinkNode(n);
            return n;
        }
    return NULL;
}

static int serialize(xmlDocPtr tree, const html_skeleton *s, xlate_buf *out, int *changed) {
    char enc[32];
    int bom;
    output_encoding(tree, s, enc, sizeof enc, &bom);
    xmlNodePtr decl = take_xml_declaration(tree);
    *changed |= decl != NULL;
    xlate_buf head = {0};
    int failed = decl && xlate_buf_printf(&head, "<?xml %s>\n", decl->content ? (const char *)decl->content : "") < 0;
    xmlFreeNode(decl);
    if (failed) {
        xlate_buf_free(&head);
        return -1;
    }
    xmlCharEncodingHandlerPtr h = strcmp(enc, "UTF-8") == 0 ? NULL : xmlFindCharEncodingHandler(enc);
    xmlOutputBufferPtr ob = xmlAllocOutputBuffer(h);
    if (!ob) {
        if (h)
            xmlCharEncCloseFunc(h);
        xlate_buf_free(&head);
        return -1;
    }
    htmlDocContentDumpFormatOutput(ob, tree, NULL, 0);
    xmlOutputBufferFlush(ob);
    xmlBufPtr data = ob->conv ? ob->conv : ob->buffer;
    int rc = ob->error ? -1 : 0;
    if (rc == 0 && bom)
        rc = xlate_buf_append(out, "\xEF\xBB\xBF", 3);
    if (rc == 0 && head.len)
        rc = xlate_buf_append(out, head.data, head.len);
    xlate_buf_free(&head);
    if (rc == 0)
        rc = xlate_buf_append(out, (const char *)xmlBufContent(data), xmlBufUse(data));
    xmlOutputBufferClose(ob);
    return rc;
}

/* The tree and runs to write into: the ones read kept, else the bytes parsed and walked again.
 * Returns 0, or -1 with err set. */
static int tree_for_write(html_skeleton *s, const char *name, xlate_error *err) {
    if (s->tree)
        return 0;
    if (!(s->tree = parse(s, name, err)))
        return -1;
    if (html_walk_document(s->tree, &s->walk) != 0) {
        drop_tree(s);
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory writing the page", name);
        return -1;
    }
    html_walk_free_paras(&s->walk);
    return 0;
}

static int write_html(const xlate_fdoc *doc, const xlate_format_write_options *o, xlate_buf *out,
                      xlate_error *err) {
    html_skeleton *s = doc->skeleton; /* the module's own: its kept tree is spent by a write */
    const char *name = doc->name ? doc->name : "page";
    if (!s || doc->format != &xlate_format_html) {
        xlate_error_set(err, XLATE_EINVAL, "%s: not a document the HTML module read", name);
        return -1;
    }
    if (blank(s)) {
        if ((s->cs.bom == 3 && xlate_buf_append(out, "\xEF\xBB\xBF", 3) != 0) || xlate_buf_append(out, s->bytes, s->len) != 0) {
            xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory writing the page", name);
            return -1;
        }
        return 0;
    }
    if (tree_for_write(s, name, err) != 0)
        return -1;
    int rc = -1, changed = 0;
    if (s->walk.n != doc->n_paras) {
        xlate_error_set(err, XLATE_EINVAL, "%s: the document has %zu paragraphs, the page %zu; it was "
                        "changed after it was read", name, doc->n_paras, s->walk.n);
        goto done;
    }
    int lang = o && o->target_lang && translated(doc);
    changed = lang;
    if (apply_targets(s->tree, &s->walk, doc, &changed) != 0 || (lang && set_lang(s->tree, o->target_lang) != 0) ||
        serialize(s->tree, s, out, &changed) != 0) {
        changed = 1;
        xlate_error_set(err, XLATE_ERROR, "%s: could not write the page (out of memory)", name);
        goto done;
    }
    rc = 0;
done:
    if (changed)
        drop_tree(s);
    return rc;
}

static const char *const extensions[] = {"html", "htm", "xhtml", NULL};

const xlate_format_module xlate_format_html = {
    "html", extensions, sniff, read_html, write_html, skeleton_free,
};
