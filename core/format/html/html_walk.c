/*
 * html_walk: from a parsed HTML tree to paragraphs (html_walk.h). A block element's children are
 * cut into runs: the longest stretches of text and inline elements between its block children.
 * Each run with text in it is a paragraph; its inline elements become codes (an OPEN and a CLOSE
 * around their content; br, img, wbr, comments and inline elements kept untouched stand alone).
 * White space is collapsed as a browser shows it. alt, title and placeholder attributes and the
 * meta description are paragraphs of their own, after the run or at the element that holds them.
 */
#include "html_walk.h"

#include <libxml/HTMLtree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Elements that stand inside a line of text. */
static const char *const inline_names[] = {
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del", "dfn",
    "em", "font", "i", "img", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike",
    "strong", "sub", "sup", "time", "tt", "u", "var", "wbr", NULL};

/* Elements whose content is never text to translate: code, program text, embedded documents. */
static const char *const kept_names[] = {
    "script", "style", "pre", "code", "kbd", "samp", "var", "textarea", "svg", "math", "iframe",
    "object", "template", "listing", "xmp", "plaintext", NULL};

/* Inline elements that have no content and no end tag. */
static const char *const void_names[] = {"br", "img", "wbr", NULL};

static int name_in(const xmlChar *name, const char *const *list) {
    if (!name)
        return 0;
    for (size_t i = 0; list[i]; i++)
        if (strcasecmp((const char *)name, list[i]) == 0)
            return 1;
    return 0;
}

static int has_class_token(const char *classes, const char *token) {
    size_t tl = strlen(token);
    for (const char *p = classes; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
            p++;
        size_t n = strcspn(p, " \t\n\r\f");
        if (n == tl && strncasecmp(p, token, n) == 0)
            return 1;
        p += n;
    }
    return 0;
}

/* The value of an attribute without copying it: the HTML parser gives each a single text child. */
static const char *attr_value(xmlNodePtr el, const char *name) {
    for (xmlAttrPtr a = el->properties; a; a = a->next)
        if (!a->ns && strcasecmp((const char *)a->name, name) == 0)
            return a->children && a->children->type == XML_TEXT_NODE && !a->children->next && a->children->content
                       ? (const char *)a->children->content
                       : "";
    return NULL;
}

int html_walk_is_kept(xmlNodePtr n) {
    if (n->type != XML_ELEMENT_NODE)
        return 0;
    if (name_in(n->name, kept_names))
        return 1;
    if (!n->properties)
        return 0;
    const char *translate = attr_value(n, "translate"), *classes = attr_value(n, "class");
    return (translate && strcasecmp(translate, "no") == 0) || (classes && has_class_token(classes, "notranslate"));
}

/* An inline element with nothing but text and inline elements inside: a code of a paragraph.
 * An inline element around blocks (an <a> around a whole teaser) is walked as a block. */
static int is_pure_inline(xmlNodePtr el) {
    if (!name_in(el->name, inline_names))
        return 0;
    if (html_walk_is_kept(el))
        return 1;
    for (xmlNodePtr c = el->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !is_pure_inline(c))
            return 0;
    return 1;
}

static int is_run_item(xmlNodePtr n) {
    switch (n->type) {
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
    case XML_COMMENT_NODE:
        return 1;
    case XML_ELEMENT_NODE:
        return is_pure_inline(n);
    default:
        return 0;
    }
}

static int is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* --- growing the walk ------------------------------------------------------------------------ */

static int add_para(html_walk *w, xlate_para **p, html_run **r) {
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 64;
        xlate_para *ps = realloc(w->paras, cap * sizeof *ps);
        if (!ps)
            return -1;
        w->paras = ps;
        html_run *rs = realloc(w->runs, cap * sizeof *rs);
        if (!rs)
            return -1;
        w->runs = rs;
        w->cap = cap;
    }
    *p = &w->paras[w->n];
    *r = &w->runs[w->n];
    memset(*p, 0, sizeof **p);
    memset(*r, 0, sizeof **r);
    char id[32];
    snprintf(id, sizeof id, "p%zu", w->n + 1);
    if (!((*p)->id = strdup(id)))
        return -1;
    w->n++;
    return 0;
}

static void run_free(html_run *r) {
    free(r->nodes);
    free(r->lead);
    free(r->trail);
}

static void para_free(xlate_para *p) {
    xlate_fragment_free(&p->source);
    xlate_fragment_free(&p->target);
    free(p->id);
    free(p->note);
}

void html_walk_free_paras(html_walk *w) {
    for (size_t i = 0; w->paras && i < w->n; i++)
        para_free(&w->paras[i]);
    free(w->paras);
    w->paras = NULL;
}

void html_walk_free(html_walk *w) {
    for (size_t i = 0; i < w->n; i++) {
        run_free(&w->runs[i]);
        if (w->paras)
            para_free(&w->paras[i]);
    }
    free(w->runs);
    free(w->paras);
    memset(w, 0, sizeof *w);
}

/* Appends `len` bytes of page text with white space collapsed: a run of it becomes one space, and
 * none at the start of the paragraph or after another space. */
static int append_collapsed(xlate_fragment *f, int *space, const char *s, size_t len) {
    /* Appended as they are, then collapsed in place: collapsing only ever shortens. */
    size_t n = f->len;
    if (xlate_fragment_append(f, s, len) != 0)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (is_space(s[i])) {
            if (!*space)
                f->text[n++] = ' ';
            *space = 1;
        } else {
            f->text[n++] = s[i];
            *space = 0;
        }
    }
    f->len = n;
    f->text[n] = '\0';
    return 0;
}

/* --- attributes ------------------------------------------------------------------------------ */

static const char *const text_attrs[] = {"alt", "title", "placeholder", NULL};

static int add_attr_para(html_walk *w, xmlNodePtr el, const char *attr, const char *note) {
    xmlChar *v = xmlGetProp(el, BAD_CAST attr);
    if (!v)
        return 0;
    xlate_fragment f = {0};
    int space = 1, rc = append_collapsed(&f, &space, (const char *)v, strlen((const char *)v));
    xmlFree(v);
    if (rc != 0)
        goto oom;
    if (f.len && f.text[f.len - 1] == ' ')
        f.text[--f.len] = '\0';
    if (f.len == 0) {
        xlate_fragment_free(&f);
        return 0;
    }
    xlate_para *p;
    html_run *r;
    if (add_para(w, &p, &r) != 0)
        goto oom;
    p->source = f;
    if (!(p->note = strdup(note)))
        return -1;
    r->kind = HTML_RUN_ATTR;
    r->element = el;
    r->attr = attr;
    return 0;
oom:
    xlate_fragment_free(&f);
    return -1;
}

static int is_meta_description(xmlNodePtr el) {
    if (strcasecmp((const char *)el->name, "meta") != 0)
        return 0;
    xmlChar *name = xmlGetProp(el, BAD_CAST "name");
    int yes = name && strcasecmp((const char *)name, "description") == 0;
    xmlFree(name);
    return yes;
}

/* The paragraphs an element's attributes hold. */
static int add_attr_paras(html_walk *w, xmlNodePtr el) {
    for (size_t i = 0; text_attrs[i]; i++)
        if (add_attr_para(w, el, text_attrs[i], text_attrs[i]) != 0)
            return -1;
    if (is_meta_description(el) && add_attr_para(w, el, "content", "meta description") != 0)
        return -1;
    return 0;
}

/* --- runs ------------------------------------------------------------------------------------ */

typedef struct flat {
    xlate_fragment *f;
    html_run *r;
    int space;
    size_t cap_nodes;
    xmlNodePtr *pending; /* inline elements whose attributes come after the run's paragraph */
    size_t n_pending, cap_pending;
} flat;

static int push_node(xmlNodePtr **list, size_t *n, size_t *cap, xmlNodePtr node) {
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 8;
        xmlNodePtr *l = realloc(*list, c * sizeof *l);
        if (!l)
            return -1;
        *list = l;
        *cap = c;
    }
    (*list)[(*n)++] = node;
    return 0;
}

/* An element's start tag as the page would have it: name and attributes, values escaped. */
static int start_tag(xmlNodePtr el, xlate_buf *b) {
    if (xlate_buf_putc(b, '<') != 0 || xlate_buf_puts(b, (const char *)el->name) != 0)
        return -1;
    for (xmlAttrPtr a = el->properties; a; a = a->next) {
        if (xlate_buf_putc(b, ' ') != 0)
            return -1;
        if (a->ns && a->ns->prefix && xlate_buf_printf(b, "%s:", (const char *)a->ns->prefix) < 0)
            return -1;
        if (xlate_buf_puts(b, (const char *)a->name) != 0 || xlate_buf_puts(b, "=\"") != 0)
            return -1;
        xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
        int rc = 0;
        for (const char *s = v ? (const char *)v : ""; *s && rc == 0; s++)
            rc = *s == '&' ? xlate_buf_puts(b, "&amp;")
               : *s == '"' ? xlate_buf_puts(b, "&quot;")
               : *s == '<' ? xlate_buf_puts(b, "&lt;")
                           : xlate_buf_putc(b, *s);
        xmlFree(v);
        if (rc != 0 || xlate_buf_putc(b, '"') != 0)
            return -1;
    }
    return xlate_buf_putc(b, '>');
}

/* The whole node as markup: a kept element or a comment standing in a paragraph. */
static int whole_markup(xmlNodePtr n, xlate_buf *b) {
    xmlBufferPtr xb = xmlBufferCreate();
    if (!xb)
        return -1;
    int rc = htmlNodeDump(xb, n->doc, n) < 0 ? -1 : xlate_buf_append(b, (const char *)xmlBufferContent(xb),
                                                                      (size_t)xmlBufferLength(xb));
    xmlBufferFree(xb);
    return rc;
}

static int add_code(flat *fl, xmlNodePtr n, xlate_seg_code_kind kind, unsigned id, const char *data,
                    const char *name) {
    if (kind != XLATE_SEG_CODE_CLOSE && push_node(&fl->r->nodes, &fl->r->n_nodes, &fl->cap_nodes, n) != 0)
        return -1;
    return xlate_fragment_add_code(fl->f, kind, id, data, name, NULL);
}

static int flatten(flat *fl, xmlNodePtr n);

static int flatten_element(flat *fl, xmlNodePtr el) {
    xlate_buf b = {0};
    int rc = -1;
    const char *name = (const char *)el->name;
    unsigned id = (unsigned)fl->r->n_nodes + 1;
    if (html_walk_is_kept(el)) {
        rc = whole_markup(el, &b) != 0 ? -1 : add_code(fl, el, XLATE_SEG_CODE_STANDALONE, id, b.data, name);
        goto done;
    }
    if (push_node(&fl->pending, &fl->n_pending, &fl->cap_pending, el) != 0 || start_tag(el, &b) != 0)
        goto done;
    if (name_in(el->name, void_names)) {
        rc = add_code(fl, el, XLATE_SEG_CODE_STANDALONE, id, b.data, name);
        goto done;
    }
    if (add_code(fl, el, XLATE_SEG_CODE_OPEN, id, b.data, name) != 0)
        goto done;
    for (xmlNodePtr c = el->children; c; c = c->next)
        if (flatten(fl, c) != 0)
            goto done;
    xlate_buf_reset(&b);
    if (xlate_buf_printf(&b, "</%s>", name) < 0)
        goto done;
    rc = xlate_fragment_add_code(fl->f, XLATE_SEG_CODE_CLOSE, id, b.data, name, NULL);
done:
    xlate_buf_free(&b);
    return rc;
}

static int flatten(flat *fl, xmlNodePtr n) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        const char *s = n->content ? (const char *)n->content : "";
        return append_collapsed(fl->f, &fl->space, s, strlen(s));
    }
    if (n->type == XML_COMMENT_NODE) {
        xlate_buf b = {0};
        int rc = whole_markup(n, &b) != 0 ? -1
               : add_code(fl, n, XLATE_SEG_CODE_STANDALONE, (unsigned)fl->r->n_nodes + 1, b.data, "comment");
        xlate_buf_free(&b);
        return rc;
    }
    return flatten_element(fl, n);
}

static char *space_edge(xmlNodePtr n, int lead) {
    const char *s = n->type == XML_TEXT_NODE && n->content ? (const char *)n->content : "";
    size_t len = strlen(s), k = 0;
    if (lead)
        while (k < len && is_space(s[k]))
            k++;
    else
        while (k < len && is_space(s[len - 1 - k]))
            k++;
    return strndup(lead ? s : s + len - k, k);
}

/* One run: a paragraph when it holds text, and the paragraphs of its elements' attributes. */
static int do_run(html_walk *w, xmlNodePtr parent, xmlNodePtr first, xmlNodePtr last) {
    xlate_fragment f = {0};
    html_run r = {HTML_RUN_TEXT, parent, first, last, NULL, 0, NULL, NULL, NULL, NULL};
    flat fl = {&f, &r, 1, 0, NULL, 0, 0};
    int rc = -1;
    for (xmlNodePtr n = first;; n = n->next) {
        if (flatten(&fl, n) != 0)
            goto done;
        if (n == last)
            break;
    }
    if (f.len && f.text[f.len - 1] == ' ') {
        f.text[--f.len] = '\0';
        for (size_t i = 0; i < f.n_codes; i++)
            if (f.codes[i].pos > f.len)
                f.codes[i].pos = f.len;
    }
    if (f.len > 0) {
        xlate_para *p;
        html_run *slot;
        if (!(r.lead = space_edge(first, 1)) || !(r.trail = space_edge(last, 0)) || add_para(w, &p, &slot) != 0)
            goto done;
        p->source = f;
        *slot = r;
        memset(&f, 0, sizeof f);
        memset(&r, 0, sizeof r);
    }
    for (size_t i = 0; i < fl.n_pending; i++)
        if (add_attr_paras(w, fl.pending[i]) != 0)
            goto done;
    rc = 0;
done:
    xlate_fragment_free(&f);
    run_free(&r);
    free(fl.pending);
    return rc;
}

static int walk_children(html_walk *w, xmlNodePtr parent);

static int visit_block(html_walk *w, xmlNodePtr el) {
    if (add_attr_paras(w, el) != 0)
        return -1;
    return walk_children(w, el);
}

static int walk_children(html_walk *w, xmlNodePtr parent) {
    for (xmlNodePtr n = parent->children; n;) {
        if (is_run_item(n)) {
            xmlNodePtr last = n;
            while (last->next && is_run_item(last->next))
                last = last->next;
            if (do_run(w, parent, n, last) != 0)
                return -1;
            n = last->next;
            continue;
        }
        if (n->type == XML_ELEMENT_NODE && !html_walk_is_kept(n) && visit_block(w, n) != 0)
            return -1;
        n = n->next;
    }
    return 0;
}

int html_walk_document(xmlDocPtr doc, html_walk *w) {
    memset(w, 0, sizeof *w);
    /* The document itself is walked as a block: a fragment of a page has its text at the top. */
    if (walk_children(w, (xmlNodePtr)doc) != 0) {
        html_walk_free(w);
        return -1;
    }
    return 0;
}
