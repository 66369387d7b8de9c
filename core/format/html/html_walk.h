/*
 * html_walk: the paragraphs of a parsed HTML tree and where each sits in it. Shared by the
 * module's read (which keeps the paragraphs, and the runs for the write) and write (which puts
 * each translation where its paragraph was, in the tree read kept or in the page parsed and
 * walked again). One walk of the same tree
 * always gives the same paragraphs in the same order, with the same code ids.
 */
#ifndef XLATE_CORE_FORMAT_HTML_WALK_H
#define XLATE_CORE_FORMAT_HTML_WALK_H

#include <libxml/HTMLparser.h>
#include "format.h"

typedef enum html_run_kind {
    HTML_RUN_TEXT = 0, /* text and inline elements between block boundaries */
    HTML_RUN_ATTR = 1  /* an attribute's value: alt, title, placeholder, meta description */
} html_run_kind;

/* Where a paragraph sits in the tree. */
typedef struct html_run {
    html_run_kind kind;
    /* TEXT: the run's top-level nodes, first..last, siblings under parent. */
    xmlNodePtr parent, first, last;
    /* TEXT: nodes[id - 1] is the element (or comment) that code `id` stands for. Owned array. */
    xmlNodePtr *nodes;
    size_t n_nodes;
    /* TEXT: the white space before and after the paragraph's text in the page, owned; given back
     * around a translation so that the page's layout stays. */
    char *lead, *trail;
    /* ATTR: the element and the attribute's name (a static string). */
    xmlNodePtr element;
    const char *attr;
} html_run;

typedef struct html_walk {
    xlate_para *paras; /* owned: paras[i] sits at runs[i] */
    html_run *runs;    /* owned */
    size_t n, cap;
} html_walk;

/* Walks the whole document. Returns 0, or -1 when out of memory (*w then freed). */
int html_walk_document(xmlDocPtr doc, html_walk *w);

/* Frees the paragraphs only, for a walk whose runs are all that is needed. */
void html_walk_free_paras(html_walk *w);

/* Frees the runs, and the paragraphs unless they were taken (w->paras set to NULL). */
void html_walk_free(html_walk *w);

/* 1 when the node is an element the walk never looks into: script, style, pre, code,
 * translate="no", class="notranslate", … */
int html_walk_is_kept(xmlNodePtr n);

#endif
