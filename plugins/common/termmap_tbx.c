/*
 * termmap_tbx: reads a TBX term map (TBX-Basic and older martif files, TBX v3 core) into the
 * entries of one language pair (see termmap.h). Part of the term map stage, beside the TSV/CSV
 * reader of termmap.c.
 *
 * libxml2 reads the document without network, without loading a DTD and without substituting
 * entities; an entity reference where a term or a note is read is an error, so nothing from
 * outside the file (XXE) and no expansion bomb reaches the map. Elements are compared by local
 * name, so namespaced TBX v3 files read like plain ones.
 */
#include "termmap_internal.h"

#include "langcode.h"
#include "xp_buf.h"

#include <xlate/plugin.h>

#include <libxml/parser.h>
#include <libxml/xmlversion.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum status { STATUS_NONE, STATUS_PREFERRED, STATUS_ADMITTED, STATUS_FORBIDDEN };

typedef struct tbx_term {
    char *text;
    enum status status;
    int case_sensitive;
    unsigned line;
} tbx_term;

typedef struct tbx_terms {
    tbx_term *v;
    size_t n, cap;
} tbx_terms;

typedef struct tbx_reader {
    termmap_sink *sink;
    char source_lang[XLATE_TERMMAP_LANG_MAX];
    char target_lang[XLATE_TERMMAP_LANG_MAX];
    xp_buf text;          /* scratch: the text of one element */
    xp_buf languages;     /* the languages the file has, for the message when none fits */
    size_t concepts;
    /* the tag of every source / target langSet read, while they are all the same ("en-GB"
     * serving an "en" run); "*" once they differ */
    char file_source[XLATE_TERMMAP_LANG_MAX];
    char file_target[XLATE_TERMMAP_LANG_MAX];
} tbx_reader;

static unsigned line_of(xmlNodePtr n) {
    long line = xmlGetLineNo(n);
    return line > 0 ? (unsigned)line : 0;
}

static int is_element(xmlNodePtr n, const char *name) {
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNodePtr first_child(xmlNodePtr parent, const char *name) {
    for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
        if (is_element(c, name))
            return c;
    return NULL;
}

/* The value of attribute `name` (no namespace), or NULL; free with xmlFree. */
static char *attribute(xmlNodePtr n, const char *name) {
    return (char *)xmlGetNoNsProp(n, (const xmlChar *)name);
}

/* Appends the text of n's descendants to r->text. An entity reference is refused: its content
 * would come from a DTD or from outside the file. */
static int append_text(tbx_reader *r, xmlNodePtr n) {
    for (xmlNodePtr c = n->children; c; c = c->next) {
        int rc = XLATE_OK;
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
            rc = xp_buf_puts(&r->text, c->content ? (const char *)c->content : "") != 0
                     ? XLATE_ENOMEM : XLATE_OK;
        else if (c->type == XML_ENTITY_REF_NODE)
            rc = termmap_fail(r->sink, line_of(n), "the entity reference &%s; is not expanded "
                              "in term maps; write the character itself", (const char *)c->name);
        else if (c->type == XML_ELEMENT_NODE)
            rc = append_text(r, c);
        if (rc != XLATE_OK)
            return rc;
    }
    return XLATE_OK;
}

/* The text of element n, spaces around it trimmed and inner runs of white space made one space
 * (an XML file is wrapped at will), in a new string; NULL with *rc set on failure. */
static char *element_text(tbx_reader *r, xmlNodePtr n, int *rc) {
    xp_buf_reset(&r->text);
    if ((*rc = append_text(r, n)) != XLATE_OK)
        return NULL;
    size_t len = 0;
    const char *s = r->text.data ? r->text.data : "";
    char *out = malloc(r->text.len + 1);
    if (!out) {
        *rc = XLATE_ENOMEM;
        return NULL;
    }
    int pending_space = 0;
    for (size_t i = 0; i < r->text.len; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            pending_space = len > 0;
            continue;
        }
        if (pending_space)
            out[len++] = ' ';
        pending_space = 0;
        out[len++] = c;
    }
    out[len] = '\0';
    return out;
}

/* "preferredTerm-admn-sts", "admittedTerm", "deprecated" ... → a status. */
static int parse_status(tbx_reader *r, xmlNodePtr at, const char *value, enum status *out) {
    static const struct {
        const char *name;
        enum status status;
    } known[] = {{"preferred", STATUS_PREFERRED},   {"standardized", STATUS_PREFERRED},
                 {"legal", STATUS_PREFERRED},       {"regulated", STATUS_PREFERRED},
                 {"admitted", STATUS_ADMITTED},     {"deprecated", STATUS_FORBIDDEN},
                 {"superseded", STATUS_FORBIDDEN},  {"forbidden", STATUS_FORBIDDEN},
                 {"notRecommended", STATUS_FORBIDDEN}};
    size_t n = strlen(value);
    if (n > 9 && strcmp(value + n - 9, "-admn-sts") == 0)
        n -= 9;
    if (n > 4 && strncmp(value + n - 4, "Term", 4) == 0)
        n -= 4;
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
        if (strlen(known[k].name) == n && strncasecmp(value, known[k].name, n) == 0) {
            *out = known[k].status;
            return XLATE_OK;
        }
    return termmap_fail(r->sink, line_of(at), "unknown administrative status \"%s\"; use "
                        "preferredTerm-admn-sts, admittedTerm-admn-sts, deprecatedTerm-admn-sts "
                        "or supersededTerm-admn-sts", value);
}

/* Reads one term note (termNote or admin with a type, or a TBX v3 DCT element named by its
 * data category) into t; other notes (partOfSpeech, termType...) say nothing the map uses. */
static int read_term_note(tbx_reader *r, xmlNodePtr n, tbx_term *t) {
    char *type = attribute(n, "type");
    const char *category = type ? type : (const char *)n->name;
    int rc = XLATE_OK;
    int is_status = strcmp(category, "administrativeStatus") == 0 ||
                    strcmp(category, "normativeAuthorization") == 0;
    int is_case = strcmp(category, "x-case") == 0;
    if (is_status || is_case) {
        char *value = element_text(r, n, &rc);
        if (value && is_status)
            rc = parse_status(r, n, value, &t->status);
        else if (value && strcmp(value, "sensitive") == 0)
            t->case_sensitive = 1;
        else if (value && strcmp(value, "insensitive") != 0)
            rc = termmap_fail(r->sink, line_of(n), "termNote type=\"x-case\" is \"%s\"; use "
                              "\"sensitive\" or \"insensitive\"", value);
        free(value);
    }
    xmlFree(type);
    return rc;
}

/* The notes of a term: in its tig/termSec, its ntig's termGrp, and termNoteGrp groups. */
static int read_term_notes(tbx_reader *r, xmlNodePtr holder, tbx_term *t) {
    for (xmlNodePtr c = holder->children; c; c = c->next) {
        int rc = XLATE_OK;
        if (is_element(c, "termGrp") || is_element(c, "termNoteGrp") || is_element(c, "adminGrp"))
            rc = read_term_notes(r, c, t);
        else if (is_element(c, "termNote") || is_element(c, "admin") ||
                 is_element(c, "administrativeStatus") || is_element(c, "normativeAuthorization"))
            rc = read_term_note(r, c, t);
        if (rc != XLATE_OK)
            return rc;
    }
    return XLATE_OK;
}

static int push_term(tbx_terms *terms, tbx_term t) {
    if (terms->n == terms->cap) {
        size_t cap = terms->cap ? terms->cap * 2 : 8;
        tbx_term *v = realloc(terms->v, cap * sizeof *v);
        if (!v)
            return XLATE_ENOMEM;
        terms->v = v;
        terms->cap = cap;
    }
    terms->v[terms->n++] = t;
    return XLATE_OK;
}

static void free_terms(tbx_terms *terms) {
    for (size_t i = 0; i < terms->n; i++)
        free(terms->v[i].text);
    terms->n = 0;
}

/* The terms of a langSet: each tig, ntig (termGrp/term) or termSec. */
static int read_lang_set(tbx_reader *r, xmlNodePtr ls, tbx_terms *terms) {
    for (xmlNodePtr c = ls->children; c; c = c->next) {
        if (!is_element(c, "tig") && !is_element(c, "ntig") && !is_element(c, "termSec"))
            continue;
        xmlNodePtr term = first_child(c, "term");
        if (!term)
            term = first_child(first_child(c, "termGrp"), "term");
        if (!term)
            return termmap_fail(r->sink, line_of(c), "<%s> without a <term>; give the term or "
                                "remove the element", (const char *)c->name);
        int rc = XLATE_OK;
        tbx_term t = {element_text(r, term, &rc), STATUS_NONE, 0, line_of(term)};
        if (rc == XLATE_OK && !*t.text)
            rc = termmap_fail(r->sink, t.line, "the term is empty");
        if (rc == XLATE_OK)
            rc = read_term_notes(r, c, &t);
        if (rc == XLATE_OK)
            rc = push_term(terms, t);
        if (rc != XLATE_OK) {
            free(t.text);
            return rc;
        }
    }
    return XLATE_OK;
}

/* Remembers a language of the file for the message when no entry fits the pair. */
static int note_language(tbx_reader *r, const char *lang) {
    if (r->languages.len > 200)
        return XLATE_OK;
    const char *have = r->languages.data ? r->languages.data : "";
    size_t n = strlen(lang);
    for (const char *p = have; (p = strstr(p, lang)) != NULL; p += n)
        if ((p == have || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
            return XLATE_OK;
    if ((r->languages.len && xp_buf_puts(&r->languages, ", ") != 0) ||
        xp_buf_puts(&r->languages, lang) != 0)
        return XLATE_ENOMEM;
    return XLATE_OK;
}

/* Keeps the tag of the langSets of one side while they all have the same one. */
static void note_file_language(char *slot, const char *lang) {
    char tag[XLATE_TERMMAP_LANG_MAX];
    if (xlate_lang_tag_canonical(lang, tag, sizeof tag) != 0)
        return;
    if (!slot[0])
        memcpy(slot, tag, sizeof tag);
    else if (strcmp(slot, tag) != 0)
        strcpy(slot, "*");
}

/* The first descrip or note in n's subtree, skipping langSets of other languages; NULL when
 * none (or with *rc set on failure). */
static char *first_note(tbx_reader *r, xmlNodePtr n, int *rc) {
    for (xmlNodePtr c = n->children; c && *rc == XLATE_OK; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || is_element(c, "langSet"))
            continue;
        if (is_element(c, "descrip") || is_element(c, "note") || is_element(c, "definition")) {
            char *text = element_text(r, c, rc);
            if (text && *text)
                return text;
            free(text);
            continue;
        }
        char *text = first_note(r, c, rc);
        if (text)
            return text;
    }
    return NULL;
}

/* The langSet's language: xml:lang (TBX), or a plain lang attribute (older files). */
static char *lang_set_language(xmlNodePtr ls) {
    char *lang = (char *)xmlGetNsProp(ls, (const xmlChar *)"lang", XML_XML_NAMESPACE);
    return lang ? lang : attribute(ls, "lang");
}

typedef struct concept_terms {
    tbx_terms source, target;
    char *note;
} concept_terms;

static int read_concept_languages(tbx_reader *r, xmlNodePtr entry, concept_terms *ct) {
    int rc = XLATE_OK;
    char *source_note = NULL, *target_note = NULL;
    for (xmlNodePtr ls = entry->children; ls && rc == XLATE_OK; ls = ls->next) {
        if (!is_element(ls, "langSet"))
            continue;
        char *lang = lang_set_language(ls);
        if (!lang || !*lang) { /* an empty one names no language either */
            xmlFree(lang);
            rc = termmap_fail(r->sink, line_of(ls), "<langSet> without xml:lang; say its "
                              "language, e.g. <langSet xml:lang=\"en\">");
            break;
        }
        rc = note_language(r, lang);
        int is_source = xlate_lang_tags_agree(lang, r->source_lang);
        int is_target = !is_source && xlate_lang_tags_agree(lang, r->target_lang);
        if (is_source || is_target)
            note_file_language(is_source ? r->file_source : r->file_target, lang);
        xmlFree(lang);
        if (rc != XLATE_OK || (!is_source && !is_target))
            continue;
        rc = read_lang_set(r, ls, is_source ? &ct->source : &ct->target);
        char **note = is_source ? &source_note : &target_note;
        if (rc == XLATE_OK && !*note)
            *note = first_note(r, ls, &rc);
    }
    if (rc == XLATE_OK && !ct->note)
        ct->note = source_note ? source_note : target_note;
    if (ct->note != source_note)
        free(source_note);
    if (ct->note != target_note)
        free(target_note);
    return rc;
}

/* The target term to use: the first preferred one, else the first admitted or unmarked one. */
static const tbx_term *best_target(const tbx_terms *target) {
    const tbx_term *best = NULL;
    for (size_t i = 0; i < target->n; i++) {
        const tbx_term *t = &target->v[i];
        if (t->status == STATUS_PREFERRED)
            return t;
        if (t->status != STATUS_FORBIDDEN && !best)
            best = t;
    }
    return best;
}

static int add_concept_entries(tbx_reader *r, const concept_terms *ct, unsigned concept) {
    const tbx_term *target = best_target(&ct->target);
    for (size_t i = 0; i < ct->source.n; i++) {
        const tbx_term *s = &ct->source.v[i];
        xlate_term_entry *e = termmap_new_entry(r->sink, s->line, concept);
        if (!e || !(e->source = strdup(s->text)) || !(e->target = strdup(target->text)) ||
            (ct->note && !(e->note = strdup(ct->note))))
            return XLATE_ENOMEM;
        e->case_sensitive = s->case_sensitive;
        e->keep = strcmp(e->source, e->target) == 0;
        for (size_t k = 0; k < ct->target.n; k++) {
            const tbx_term *t = &ct->target.v[k];
            if (t->status == STATUS_FORBIDDEN &&
                termmap_add_forbidden(e, t->text, strlen(t->text)) != 0)
                return XLATE_ENOMEM;
        }
    }
    return XLATE_OK;
}

static int read_concept(tbx_reader *r, xmlNodePtr entry, concept_terms *ct) {
    int rc = read_concept_languages(r, entry, ct);
    if (rc == XLATE_OK) {
        /* a concept-level description is the concept's note before any langSet's */
        char *note = first_note(r, entry, &rc);
        if (note) {
            free(ct->note);
            ct->note = note;
        }
    }
    if (rc != XLATE_OK)
        return rc;
    r->concepts++;
    if (!ct->source.n || !best_target(&ct->target)) {
        xlate_termmap *map = r->sink->map;
        if (!map->skipped++)
            map->first_skipped_line = line_of(entry);
        return XLATE_OK;
    }
    return add_concept_entries(r, ct, (unsigned)r->concepts);
}

static int read_body(tbx_reader *r, xmlNodePtr body) {
    concept_terms ct = {{0}, {0}, NULL};
    int rc = XLATE_OK;
    for (xmlNodePtr c = body->children; c && rc == XLATE_OK; c = c->next) {
        if (!is_element(c, "termEntry") && !is_element(c, "conceptEntry"))
            continue;
        rc = read_concept(r, c, &ct);
        free_terms(&ct.source);
        free_terms(&ct.target);
        free(ct.note);
        ct.note = NULL;
    }
    free(ct.source.v);
    free(ct.target.v);
    return rc;
}

static int check_root(tbx_reader *r, xmlNodePtr root, xmlNodePtr *body) {
    if (!root || (!is_element(root, "martif") && !is_element(root, "tbx")))
        return termmap_fail(r->sink, root ? line_of(root) : 1, "the root element is <%s>; a TBX "
                            "file has <martif> (TBX-Basic) or <tbx> (TBX v3) — is this a term "
                            "map?", root ? (const char *)root->name : "");
    *body = first_child(first_child(root, "text"), "body");
    if (!*body)
        return termmap_fail(r->sink, line_of(root), "no <text><body> under <%s>; the term "
                            "entries go there", (const char *)root->name);
    return XLATE_OK;
}

/* The parser's first error: the one at the fault; later ones follow from it ("Premature end
 * of data" for a tag left open). */
typedef struct first_error {
    int set;
    unsigned line;
    char message[256];
} first_error;

#if LIBXML_VERSION >= 21200
static void keep_first_error(void *data, const xmlError *e) {
#else
static void keep_first_error(void *data, xmlErrorPtr e) {
#endif
    first_error *fe = ((xmlParserCtxtPtr)data)->_private;
    if (fe->set || !e || e->level < XML_ERR_ERROR)
        return;
    fe->set = 1;
    fe->line = e->line > 0 ? (unsigned)e->line : 1;
    snprintf(fe->message, sizeof fe->message, "%s", e->message ? e->message : "not well-formed");
    fe->message[strcspn(fe->message, "\n")] = '\0';
}

static int parse_document(tbx_reader *r, const char *text, size_t len) {
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return XLATE_ENOMEM;
    first_error fe = {0, 0, ""};
    ctxt->_private = &fe;
    ctxt->sax->serror = keep_first_error; /* userData is the context itself */
    /* No XML_PARSE_NOENT (entities stay references), no DTDLOAD/DTDATTR, no network. */
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, text, (int)len, r->sink->map->name, NULL, options);
    int rc = XLATE_OK;
    if (!doc) {
        rc = termmap_fail(r->sink, fe.set ? fe.line : 1, "the TBX file is not well-formed XML: %s",
                          fe.set ? fe.message : "the parser gave no reason");
    } else {
        xmlNodePtr body;
        rc = check_root(r, xmlDocGetRootElement(doc), &body);
        if (rc == XLATE_OK)
            rc = read_body(r, body);
    }
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return rc;
}

int termmap_parse_tbx(termmap_sink *s, const char *text, size_t len, const char *source_lang,
                      const char *target_lang) {
    xlate_termmap *map = s->map;
    if (!source_lang || !*source_lang || !target_lang || !*target_lang)
        return termmap_fail(s, 0, "a TBX term map holds many languages: give the run's source "
                            "and target languages (--from, --to)");
    if ((size_t)len > (size_t)0x7fffffff)
        return termmap_fail(s, 0, "the TBX file is larger than 2 GB");
    tbx_reader r = {.sink = s};
    if (xlate_lang_tag_canonical(source_lang, r.source_lang, sizeof r.source_lang) != 0 ||
        xlate_lang_tag_canonical(target_lang, r.target_lang, sizeof r.target_lang) != 0)
        return termmap_fail(s, 0, "\"%s\" or \"%s\" is not a BCP 47 language tag", source_lang,
                            target_lang);
    int rc = parse_document(&r, text, len);
    if (rc == XLATE_OK && map->count == 0)
        rc = termmap_fail(s, 0, "none of the %zu term entries has terms for both %s and %s (the "
                          "file's languages: %s); give --from/--to of a pair the map has",
                          r.concepts, r.source_lang, r.target_lang,
                          r.languages.len ? r.languages.data : "none");
    if (rc == XLATE_OK) {
        const char *source = r.file_source[0] && strcmp(r.file_source, "*") != 0 ? r.file_source
                                                                                : r.source_lang;
        const char *target = r.file_target[0] && strcmp(r.file_target, "*") != 0 ? r.file_target
                                                                                : r.target_lang;
        snprintf(map->source_lang, sizeof map->source_lang, "%s", source);
        snprintf(map->target_lang, sizeof map->target_lang, "%s", target);
    }
    xp_buf_free(&r.text);
    xp_buf_free(&r.languages);
    return rc;
}
