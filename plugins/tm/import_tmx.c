/*
 * import_tmx: TMX 1.4b into the memory, streamed with libxml2's xmlReader so that a memory of a
 * million units never sits in memory whole. A unit is a <tu>; its variants are <tuv> (language
 * in xml:lang, or lang as TMX 1.1 wrote it); the text is what <seg> reads as plain text: <hi>
 * keeps its text, the native codes <bpt>, <ept>, <ph>, <it>, <ut> and the <sub> text inside them
 * are dropped, as a CAT tool's plain view shows the sentence; <prop> and <note> are ignored.
 * The source variant is the one in the unit's srclang, else the header's, else --from.
 * The DTD is never loaded and no entity fetched from the network.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

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
    int error_line;
    char error[512];
} tmx_state;

static void on_error(void *arg, const char *msg, xmlParserSeverities severity,
                     xmlTextReaderLocatorPtr locator) {
    tmx_state *st = arg;
    if (severity != XML_PARSER_SEVERITY_ERROR && severity != XML_PARSER_SEVERITY_VALIDITY_ERROR &&
        st->error[0])
        return;
    if (st->error[0] && st->error_line)
        return;  /* the first error is the one to fix */
    st->error_line = xmlTextReaderLocatorLineNumber(locator);
    snprintf(st->error, sizeof st->error, "%s", msg);
    size_t n = strlen(st->error);
    while (n && (st->error[n - 1] == '\n' || st->error[n - 1] == ' '))
        st->error[--n] = '\0';
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

static char *attr(xmlTextReaderPtr r, const char *name, const char *ns) {
    xmlChar *v = ns ? xmlTextReaderGetAttributeNs(r, (const xmlChar *)name, (const xmlChar *)ns)
                    : xmlTextReaderGetAttribute(r, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *out = strdup((const char *)v);
    xmlFree(v);
    return out;
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

static int on_start(tmx_state *st, xmlTextReaderPtr r, const xmlChar *name, int empty) {
    if (xmlStrEqual(name, BAD_CAST "header")) {
        free(st->header_srclang);
        st->header_srclang = attr(r, "srclang", NULL);
    } else if (xmlStrEqual(name, BAD_CAST "tu") && !empty) {
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
        st->in_tuv = !empty;
    } else if (xmlStrEqual(name, BAD_CAST "seg") && st->in_tuv) {
        st->v[st->nv - 1].has_seg = 1;
        st->in_seg = !empty;
        st->code_depth = 0;
    } else if (st->in_seg && is_code(name) && !empty) {
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

int tool_import_tmx(tool_import *im) {
    tmx_state st = {.im = im};
    xmlTextReaderPtr r = xmlReaderForFile(im->path, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
    if (!r) {
        snprintf(im->err, sizeof im->err, "%s: cannot open it as XML", im->path);
        return -1;
    }
    xmlTextReaderSetErrorHandler(r, on_error, &st);
    int rc = 0, step, seen_root = 0;
    while (rc == 0 && (step = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        const xmlChar *name = xmlTextReaderConstLocalName(r);
        if (type == XML_READER_TYPE_ELEMENT) {
            if (!seen_root && !xmlStrEqual(name, BAD_CAST "tmx")) {
                snprintf(im->err, sizeof im->err, "%s:%d: the root element is <%s>, not <tmx>: "
                         "this is not a TMX file", im->path, xmlTextReaderGetParserLineNumber(r),
                         (const char *)name);
                rc = -1;
                break;
            }
            seen_root = 1;
            int empty = xmlTextReaderIsEmptyElement(r);
            rc = on_start(&st, r, name, empty);
            if (rc == 0 && empty)
                rc = on_end(&st, name);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            rc = on_end(&st, name);
        } else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                    type == XML_READER_TYPE_WHITESPACE) &&
                   st.in_seg && st.code_depth == 0) {
            const char *text = (const char *)xmlTextReaderConstValue(r);
            if (text && append(&st.v[st.nv - 1], text, strlen(text)) != 0)
                rc = -1;
        }
        if (rc != 0 && !im->err[0])
            snprintf(im->err, sizeof im->err, "%s: out of memory", im->path);
    }
    if (rc == 0 && step != 0) {
        if (st.error[0])
            snprintf(im->err, sizeof im->err, "%s:%d: malformed XML: %s; nothing of this file was "
                     "imported: fix it and import it again", im->path, st.error_line, st.error);
        else
            snprintf(im->err, sizeof im->err, "%s:%d: malformed XML; nothing of this file was "
                     "imported", im->path, xmlTextReaderGetParserLineNumber(r));
        rc = -1;
    }
    if (rc == 0 && !seen_root) {
        snprintf(im->err, sizeof im->err, "%s:1: no <tmx> element: this is not a TMX file", im->path);
        rc = -1;
    }
    clear_tu(&st);
    free(st.v);
    free(st.header_srclang);
    xmlFreeTextReader(r);
    return rc;
}
