/*
 * import_tmx: TMX 1.4b into the memory, streamed through libxml2's SAX2 parser so that a memory
 * of a million units never sits in memory whole (SAX rather than xmlReader: the reader builds
 * and frees a node for every element and text, a tenth of a million-unit import's time). A unit is a <tu>; its variants are <tuv> (language
 * in xml:lang, or lang as TMX 1.1 wrote it); the text is what <seg> reads as plain text: <hi>
 * keeps its text, the native codes <bpt>, <ept>, <ph>, <it>, <ut> and the <sub> text inside them
 * are dropped, as a CAT tool's plain view shows the sentence; <prop> and <note> are ignored.
 * The source variant is the one in the unit's srclang, else the header's, else --from.
 * The DTD is never loaded and no entity fetched from the network.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "tool.h"

typedef struct variant {
    char *lang;
    char *text;
    size_t len, cap;
    int has_seg;
} variant;

typedef struct tmx_state {
    tool_import *im;
    char *header_srclang;
    char *tu_srclang;
    variant *v;
    size_t nv, capv;
    int in_tu, in_tuv, in_seg;
    int code_depth;          /* inside bpt/ept/ph/it/ut: native code, not text */
    int seen_root;
    int failed;              /* ours (out of memory, not TMX): the parse was stopped; im->err says */
    xmlParserCtxtPtr ctxt;
    int error_line;
    char error[512];
} tmx_state;

/* The state of a parse: SAX callbacks get the parser context (as libxml2's own xmlSAX2 handlers,
 * which keep the internal subset, need it to be), and the state hangs from its _private. */
static tmx_state *state_of(void *ctx) {
    return ((xmlParserCtxtPtr)ctx)->_private;
}

/* libxml2's errors: the first error (not a warning) is the one to fix. */
static void on_error(void *ctx, xmlErrorPtr e) {
    tmx_state *st = state_of(ctx);
    if (!e || e->level < XML_ERR_ERROR || (st->error[0] && st->error_line))
        return;
    st->error_line = e->line;
    snprintf(st->error, sizeof st->error, "%s", e->message ? e->message : "not well-formed");
    size_t n = strlen(st->error);
    while (n && (st->error[n - 1] == '\n' || st->error[n - 1] == ' '))
        st->error[--n] = '\0';
}

/* Stops the parse for a reason of ours; im->err says it (out of memory unless set already). */
static void fail(tmx_state *st) {
    if (!st->im->err[0])
        snprintf(st->im->err, sizeof st->im->err, "%s: out of memory", st->im->path);
    st->failed = 1;
    xmlStopParser(st->ctxt);
}

static void clear_tu(tmx_state *st) {
    for (size_t i = 0; i < st->nv; i++) {
        free(st->v[i].lang);
        free(st->v[i].text);
    }
    st->nv = 0;
    free(st->tu_srclang);
    st->tu_srclang = NULL;
}

static int append(variant *v, const char *s, size_t n) {
    if (v->len + n + 1 > v->cap) {
        size_t cap = (v->len + n + 1) * 2;
        char *grown = realloc(v->text, cap);
        if (!grown)
            return -1;
        v->text = grown;
        v->cap = cap;
    }
    memcpy(v->text + v->len, s, n);
    v->len += n;
    v->text[v->len] = '\0';
    return 0;
}

/* An element's attributes as SAX2 hands them: five pointers each (local name, prefix, namespace,
 * value, value's end), the value not terminated. */
typedef struct attrs {
    const xmlChar **a;
    int n;
} attrs;

/* A copy of the attribute `name` in namespace `ns` (NULL: in none), or NULL when absent. */
static char *attr(const attrs *at, const char *name, const char *ns) {
    for (int i = 0; i < at->n; i++) {
        const xmlChar **a = at->a + 5 * i;
        if (!xmlStrEqual(a[0], BAD_CAST name) || (ns ? !xmlStrEqual(a[2], BAD_CAST ns) : a[2] != NULL))
            continue;
        return strndup((const char *)a[3], (size_t)(a[4] - a[3]));
    }
    return NULL;
}

static const char *usable_lang(const char *l) {
    return l && *l && strcmp(l, "*all*") != 0 ? l : NULL;
}

/* The end of a <tu>: its units, one per target variant (or the one --to names). */
static int finish_tu(tmx_state *st) {
    tool_import *im = st->im;
    const char *src_lang = im->from ? im->from
                                    : usable_lang(st->tu_srclang) ? st->tu_srclang
                                                                  : usable_lang(st->header_srclang);
    const variant *src = NULL;
    if (!src_lang) {
        tool_import_skip(im, "no source language (no srclang in the header or the tu): give --from");
        return 0;
    }
    for (size_t i = 0; i < st->nv && !src; i++)
        if (st->v[i].lang && tool_lang_matches(src_lang, st->v[i].lang) && st->v[i].has_seg)
            src = &st->v[i];
    if (!src) {
        tool_import_skip(im, "no variant in the source language");
        return 0;
    }
    int targets = 0;
    for (size_t i = 0; i < st->nv; i++) {
        const variant *t = &st->v[i];
        if (t == src || !t->lang || !t->has_seg || tool_lang_matches(src_lang, t->lang))
            continue;
        if (im->to && !tool_lang_matches(im->to, t->lang))
            continue;
        targets++;
        if (tool_import_unit(im, im->from ? im->from : src->lang, im->to ? im->to : t->lang,
                             src->text ? src->text : "", src->len, t->text ? t->text : "",
                             t->len) != 0)
            return -1;
    }
    if (!targets)
        tool_import_skip(im, im->to ? "no variant in the target language" : "no target variant");
    return 0;
}

static int is_code(const xmlChar *name) {
    return xmlStrEqual(name, BAD_CAST "bpt") || xmlStrEqual(name, BAD_CAST "ept") ||
           xmlStrEqual(name, BAD_CAST "ph") || xmlStrEqual(name, BAD_CAST "it") ||
           xmlStrEqual(name, BAD_CAST "ut");
}

/* An element opens (an empty one too: its end follows at once). */
static int on_start(tmx_state *st, const attrs *r, const xmlChar *name) {
    if (xmlStrEqual(name, BAD_CAST "header")) {
        free(st->header_srclang);
        st->header_srclang = attr(r, "srclang", NULL);
    } else if (xmlStrEqual(name, BAD_CAST "tu")) {
        clear_tu(st);
        st->in_tu = 1;
        st->tu_srclang = attr(r, "srclang", NULL);
    } else if (xmlStrEqual(name, BAD_CAST "tuv") && st->in_tu) {
        if (st->nv == st->capv) {
            size_t cap = st->capv ? st->capv * 2 : 4;
            variant *grown = realloc(st->v, cap * sizeof *grown);
            if (!grown)
                return -1;
            st->v = grown;
            st->capv = cap;
        }
        variant *v = &st->v[st->nv++];
        memset(v, 0, sizeof *v);
        v->lang = attr(r, "lang", "http://www.w3.org/XML/1998/namespace");
        if (!v->lang)
            v->lang = attr(r, "lang", NULL);
        st->in_tuv = 1;
    } else if (xmlStrEqual(name, BAD_CAST "seg") && st->in_tuv) {
        st->v[st->nv - 1].has_seg = 1;
        st->in_seg = 1;
        st->code_depth = 0;
    } else if (st->in_seg && is_code(name)) {
        st->code_depth++;
    }
    return 0;
}

static int on_end(tmx_state *st, const xmlChar *name) {
    if (xmlStrEqual(name, BAD_CAST "tu") && st->in_tu) {
        st->in_tu = 0;
        int rc = finish_tu(st);
        clear_tu(st);
        return rc;
    }
    if (xmlStrEqual(name, BAD_CAST "tuv"))
        st->in_tuv = 0;
    else if (xmlStrEqual(name, BAD_CAST "seg"))
        st->in_seg = 0;
    else if (st->in_seg && is_code(name) && st->code_depth > 0)
        st->code_depth--;
    return 0;
}

/* --- SAX2 callbacks: `ctx` is the parser context --------------------------------------------- */

static void sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                      const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                      int nb_attributes, int nb_defaulted, const xmlChar **attributes) {
    tmx_state *st = state_of(ctx);
    (void)prefix, (void)uri, (void)nb_namespaces, (void)namespaces, (void)nb_defaulted;
    if (st->failed)
        return;
    if (!st->seen_root && !xmlStrEqual(localname, BAD_CAST "tmx")) {
        snprintf(st->im->err, sizeof st->im->err, "%s:%d: the root element is <%s>, not <tmx>: "
                 "this is not a TMX file", st->im->path, xmlSAX2GetLineNumber(st->ctxt),
                 (const char *)localname);
        fail(st);
        return;
    }
    st->seen_root = 1;
    attrs at = {attributes, nb_attributes};
    if (on_start(st, &at, localname) != 0)
        fail(st);
}

static void sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                    const xmlChar *uri) {
    tmx_state *st = state_of(ctx);
    (void)prefix, (void)uri;
    if (!st->failed && on_end(st, localname) != 0)
        fail(st);
}

/* Text, CDATA (delivered as text under XML_PARSE_NOCDATA) and white space alike: what <seg>
 * holds outside native codes is the unit's text. */
static void sax_text(void *ctx, const xmlChar *text, int len) {
    tmx_state *st = state_of(ctx);
    if (st->failed || !st->in_seg || st->code_depth != 0 || len <= 0)
        return;
    if (append(&st->v[st->nv - 1], (const char *)text, (size_t)len) != 0)
        fail(st);
}

int tool_import_tmx(tool_import *im) {
    tmx_state st = {.im = im};
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = sax_start;
    sax.endElementNs = sax_end;
    sax.characters = sax_text;
    sax.cdataBlock = sax_text;
    sax.ignorableWhitespace = sax_text;
    sax.serror = on_error;
    /* An internal subset's declarations are kept (in an empty document: no element is built),
     * so that its entities are known and their references checked; a reference to one adds
     * nothing to the text, as before (the entities are not expanded: XML_PARSE_NOENT is off). */
    sax.startDocument = xmlSAX2StartDocument;
    sax.endDocument = xmlSAX2EndDocument;
    sax.internalSubset = xmlSAX2InternalSubset;
    sax.entityDecl = xmlSAX2EntityDecl;
    sax.getEntity = xmlSAX2GetEntity;
    xmlParserCtxtPtr ctxt = xmlCreateFileParserCtxt(im->path);
    if (!ctxt) {
        snprintf(im->err, sizeof im->err, "%s: cannot open it as XML", im->path);
        return -1;
    }
    memcpy(ctxt->sax, &sax, sizeof sax);
    ctxt->userData = ctxt; /* what xmlCreateFileParserCtxt set: the context itself */
    ctxt->_private = &st;
    st.ctxt = ctxt;
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOCDATA);
    int parsed = xmlParseDocument(ctxt);
    int rc = st.failed ? -1 : 0;
    if (rc == 0 && (parsed != 0 || !ctxt->wellFormed)) {
        if (st.error[0])
            snprintf(im->err, sizeof im->err, "%s:%d: malformed XML: %s; nothing of this file was "
                     "imported: fix it and import it again", im->path, st.error_line, st.error);
        else
            snprintf(im->err, sizeof im->err, "%s:%d: malformed XML; nothing of this file was "
                     "imported", im->path, xmlSAX2GetLineNumber(ctxt));
        rc = -1;
    }
    if (rc == 0 && !st.seen_root) {
        snprintf(im->err, sizeof im->err, "%s:1: no <tmx> element: this is not a TMX file", im->path);
        rc = -1;
    }
    clear_tu(&st);
    free(st.v);
    free(st.header_srclang);
    xmlFreeDoc(ctxt->myDoc);
    xmlFreeParserCtxt(ctxt);
    return rc;
}
