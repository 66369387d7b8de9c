/*
 * srx: SRX 2.0 rules, parsed with libxml2 and run with ICU regular expressions. Sits inside the
 * segment stage: segment hands it a UTF-16 text and the positions ICU proposes, and gets back the
 * positions where the text breaks.
 *
 * How the rules run. A break rule can create a break anywhere, so each one is searched over the
 * whole text once (skipping to the characters its expression can start with, when those are
 * plain to see). A no-break rule only matters where something would break, so it is tried
 * only at those candidates, anchored at the position. That keeps the cost near one regex search
 * per break rule plus a few anchored matches per sentence, whatever the number of rules.
 * Consecutive no-break rules give the same answer, so they are merged into one expression.
 */
#include "srx.h"

#include "buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <unicode/uregex.h>
#include <unicode/uset.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

/* The namespace of xlate's own SRX extensions; SRX 2.0 allows foreign elements in the header. */
#define XLATE_SRX_NS "urn:x-xlate:srx"

/* A no-break rule whose before-break expression has no bounded length (`*`, `+`) cannot run as
 * an ICU look-behind; it is matched in a window of this many UTF-16 units before the position.
 * A match longer than the window is not seen, and a ^ at the window's start counts as a line
 * start: rules written for sentences do not reach that far back. */
enum { UNBOUNDED_WINDOW = 256 };

extern const char xlate_default_srx[];
extern const unsigned long xlate_default_srx_len;

typedef struct srx_rule {
    int is_break;
    char *before; /* UTF-8 ICU regular expressions, "" when absent */
    char *after;
    long line;
} srx_rule;

typedef struct srx_langrule {
    char *name;
    srx_rule *rules;
    size_t n_rules;
} srx_langrule;

typedef struct srx_map {
    char *pattern;
    char *rulename;
    long line;
} srx_map;

struct xlate_srx {
    char *name;
    int cascade;
    int icu;
    srx_langrule *langrules;
    size_t n_langrules;
    srx_map *maps;
    size_t n_maps;
};

/* One step of the cascade: a break rule, or a run of no-break rules merged into one matcher. */
typedef enum group_kind {
    GROUP_BREAK,          /* `re` is (?:B)(?=A), searched over the whole text */
    GROUP_NOBREAK,        /* `re` is (?=A)(?<=B)|..., matched at the position */
    GROUP_NOBREAK_WINDOW  /* `re` is (?:B)\z(?=A), searched in a window ending at the position */
} group_kind;

typedef struct rule_group {
    group_kind kind;
    URegularExpression *re;
    uint8_t *leads; /* break groups: bitmap of the UTF-16 units a match can start with, or NULL */
} rule_group;

struct xlate_srx_rules {
    rule_group *groups;
    size_t n_groups;
    size_t n_rules;
};

/* ---------------------------------------------------------------- parsing ------------------ */

static void free_langrule(srx_langrule *lr) {
    for (size_t i = 0; i < lr->n_rules; i++) {
        free(lr->rules[i].before);
        free(lr->rules[i].after);
    }
    free(lr->rules);
    free(lr->name);
}

void xlate_srx_free(xlate_srx *srx) {
    if (!srx)
        return;
    for (size_t i = 0; i < srx->n_langrules; i++)
        free_langrule(&srx->langrules[i]);
    for (size_t i = 0; i < srx->n_maps; i++) {
        free(srx->maps[i].pattern);
        free(srx->maps[i].rulename);
    }
    free(srx->langrules);
    free(srx->maps);
    free(srx->name);
    free(srx);
}

static int is_element(const xmlNode *n, const char *local) {
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, local) == 0 &&
           (!n->ns || !n->ns->href || strcmp((const char *)n->ns->href, XLATE_SRX_NS) != 0);
}

static int is_xlate_element(const xmlNode *n, const char *local) {
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, local) == 0 && n->ns &&
           n->ns->href && strcmp((const char *)n->ns->href, XLATE_SRX_NS) == 0;
}

static const xmlNode *find_child(const xmlNode *parent, const char *local) {
    for (const xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        if (is_element(c, local))
            return c;
    return NULL;
}

/* An attribute's value (copied), or NULL when absent. */
static char *attribute(const xmlNode *n, const char *name) {
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = strdup((const char *)v);
    xmlFree(v);
    return s;
}

/* "yes"/"no" attribute; `dflt` when absent. Returns -1 for any other value. */
static int yes_no(const xmlNode *n, const char *name, int dflt) {
    char *v = attribute(n, name);
    if (!v)
        return dflt;
    int r = strcmp(v, "yes") == 0 ? 1 : strcmp(v, "no") == 0 ? 0 : -1;
    free(v);
    return r;
}

static char *element_text(const xmlNode *n) {
    if (!n)
        return strdup("");
    xmlChar *v = xmlNodeGetContent(n);
    char *s = strdup(v ? (const char *)v : "");
    xmlFree(v);
    return s;
}

static int parse_rule(const xmlNode *node, const char *src, srx_rule *rule, xlate_error *err) {
    memset(rule, 0, sizeof *rule);
    rule->line = xmlGetLineNo(node);
    int brk = yes_no(node, "break", 1);
    if (brk < 0) {
        xlate_error_set(err, XLATE_ERR_RUN,
                        "%s:%ld: <rule break=...> must be \"yes\" or \"no\"; fix the attribute",
                        src, rule->line);
        return -1;
    }
    rule->is_break = brk;
    rule->before = element_text(find_child(node, "beforebreak"));
    rule->after = element_text(find_child(node, "afterbreak"));
    if (!rule->before || !rule->after) {
        xlate_error_set(err, XLATE_ERR_RUN, "%s: out of memory", src);
        return -1;
    }
    return 0;
}

static int parse_langrule(const xmlNode *node, const char *src, srx_langrule *lr,
                          xlate_error *err) {
    memset(lr, 0, sizeof *lr);
    lr->name = attribute(node, "languagerulename");
    if (!lr->name) {
        xlate_error_set(err, XLATE_ERR_RUN,
                        "%s:%ld: <languagerule> has no languagerulename attribute; add one", src,
                        (long)xmlGetLineNo(node));
        return -1;
    }
    size_t cap = 0;
    for (const xmlNode *c = node->children; c; c = c->next) {
        if (!is_element(c, "rule"))
            continue;
        if (lr->n_rules == cap) {
            cap = cap ? cap * 2 : 16;
            srx_rule *p = realloc(lr->rules, cap * sizeof *p);
            if (!p) {
                xlate_error_set(err, XLATE_ERR_RUN, "%s: out of memory", src);
                return -1;
            }
            lr->rules = p;
        }
        if (parse_rule(c, src, &lr->rules[lr->n_rules], err) != 0) {
            free(lr->rules[lr->n_rules].before);
            free(lr->rules[lr->n_rules].after);
            return -1;
        }
        lr->n_rules++;
    }
    return 0;
}

static int add_map(xlate_srx *srx, const xmlNode *node, size_t *cap, xlate_error *err) {
    srx_map m = {attribute(node, "languagepattern"), attribute(node, "languagerulename"),
                 xmlGetLineNo(node)};
    if (!m.pattern || !m.rulename) {
        xlate_error_set(err, XLATE_ERR_RUN,
                        "%s:%ld: <languagemap> needs both languagepattern and languagerulename",
                        srx->name, m.line);
        free(m.pattern);
        free(m.rulename);
        return -1;
    }
    if (srx->n_maps == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        srx_map *p = realloc(srx->maps, *cap * sizeof *p);
        if (!p) {
            free(m.pattern);
            free(m.rulename);
            xlate_error_set(err, XLATE_ERR_RUN, "%s: out of memory", srx->name);
            return -1;
        }
        srx->maps = p;
    }
    srx->maps[srx->n_maps++] = m;
    return 0;
}

/* SRX 2.0 puts <languagemap> directly in <maprules>; SRX 1.0 wraps them in <maprule>. */
static int parse_maps(xlate_srx *srx, const xmlNode *maprules, size_t *cap, xlate_error *err) {
    for (const xmlNode *c = maprules->children; c; c = c->next) {
        if (is_element(c, "languagemap")) {
            if (add_map(srx, c, cap, err) != 0)
                return -1;
        } else if (is_element(c, "maprule")) {
            if (parse_maps(srx, c, cap, err) != 0)
                return -1;
        }
    }
    return 0;
}

static int parse_header(xlate_srx *srx, const xmlNode *header, xlate_error *err) {
    srx->cascade = header ? yes_no(header, "cascade", 1) : 1;
    if (srx->cascade < 0) {
        xlate_error_set(err, XLATE_ERR_RUN,
                        "%s:%ld: <header cascade=...> must be \"yes\" or \"no\"", srx->name,
                        (long)xmlGetLineNo(header));
        return -1;
    }
    for (const xmlNode *c = header ? header->children : NULL; c; c = c->next) {
        if (!is_xlate_element(c, "options"))
            continue;
        srx->icu = yes_no(c, "icu", 0);
        if (srx->icu < 0) {
            xlate_error_set(err, XLATE_ERR_RUN,
                            "%s:%ld: <xlate:options icu=...> must be \"yes\" or \"no\"",
                            srx->name, (long)xmlGetLineNo(c));
            return -1;
        }
    }
    return 0;
}

static int parse_body(xlate_srx *srx, const xmlNode *root, xlate_error *err) {
    const xmlNode *body = find_child(root, "body");
    const xmlNode *langrules = find_child(body, "languagerules");
    const xmlNode *maprules = find_child(body, "maprules");
    if (!body || !langrules || !maprules) {
        xlate_error_set(err, XLATE_ERR_RUN,
                        "%s: not an SRX file: <srx><body> must hold <languagerules> and "
                        "<maprules>",
                        srx->name);
        return -1;
    }
    size_t cap = 0;
    for (const xmlNode *c = langrules->children; c; c = c->next) {
        if (!is_element(c, "languagerule"))
            continue;
        if (srx->n_langrules == cap) {
            cap = cap ? cap * 2 : 8;
            srx_langrule *p = realloc(srx->langrules, cap * sizeof *p);
            if (!p) {
                xlate_error_set(err, XLATE_ERR_RUN, "%s: out of memory", srx->name);
                return -1;
            }
            srx->langrules = p;
        }
        if (parse_langrule(c, srx->name, &srx->langrules[srx->n_langrules], err) != 0) {
            free_langrule(&srx->langrules[srx->n_langrules]);
            return -1;
        }
        srx->n_langrules++;
    }
    size_t map_cap = 0;
    if (parse_maps(srx, maprules, &map_cap, err) != 0)
        return -1;
    for (size_t i = 0; i < srx->n_maps; i++) {
        size_t k = 0;
        while (k < srx->n_langrules && strcmp(srx->langrules[k].name, srx->maps[i].rulename) != 0)
            k++;
        if (k == srx->n_langrules) {
            xlate_error_set(err, XLATE_ERR_RUN,
                            "%s:%ld: <languagemap> names the language rule \"%s\", which the file "
                            "does not define",
                            srx->name, srx->maps[i].line, srx->maps[i].rulename);
            return -1;
        }
    }
    return 0;
}

int xlate_srx_parse(const char *xml, size_t len, const char *name, xlate_srx **out,
                    xlate_error *err) {
    *out = NULL;
    xlate_srx *srx = calloc(1, sizeof *srx);
    if (!srx || !(srx->name = strdup(name))) {
        free(srx);
        xlate_error_set(err, XLATE_ERR_RUN, "%s: out of memory", name);
        return -1;
    }
    if (len > (size_t)INT32_MAX) {
        xlate_error_set(err, XLATE_ERR_RUN, "%s: too large for an SRX file", name);
        xlate_srx_free(srx);
        return -1;
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    xmlDocPtr doc = ctxt ? xmlCtxtReadMemory(ctxt, xml, (int)len, name, NULL,
                                             XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                 XML_PARSE_NOWARNING)
                         : NULL;
    int rc = -1;
    if (!doc) {
        const xmlError *e = ctxt ? xmlCtxtGetLastError(ctxt) : NULL;
        xlate_error_set(err, XLATE_ERR_RUN, "%s:%d: not well-formed XML: %s", name,
                        e ? e->line : 0,
                        e && e->message ? e->message : "the XML parser failed\n");
        /* libxml2 messages end with a newline; the error line must not. */
        if (err && err->message) {
            size_t n = strlen(err->message);
            if (n && err->message[n - 1] == '\n')
                err->message[n - 1] = '\0';
        }
    } else {
        const xmlNode *root = xmlDocGetRootElement(doc);
        if (!root || !is_element(root, "srx")) {
            xlate_error_set(err, XLATE_ERR_RUN,
                            "%s: not an SRX file: the root element must be <srx>", name);
        } else if (parse_header(srx, find_child(root, "header"), err) == 0 &&
                   parse_body(srx, root, err) == 0) {
            rc = 0;
        }
        xmlFreeDoc(doc);
    }
    if (ctxt)
        xmlFreeParserCtxt(ctxt);
    if (rc != 0) {
        xlate_srx_free(srx);
        return -1;
    }
    *out = srx;
    return 0;
}

int xlate_srx_load(const char *path, xlate_srx **out, xlate_error *err) {
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        xlate_error_set(err, XLATE_ERR_RUN, "%s: cannot open the SRX file: %s", path,
                        strerror(errno));
        return -1;
    }
    char *data = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            char *p = realloc(data, cap);
            if (!p) {
                free(data);
                fclose(f);
                xlate_error_set(err, XLATE_ERR_RUN, "%s: out of memory", path);
                return -1;
            }
            data = p;
        }
        size_t n = fread(data + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(data);
        xlate_error_set(err, XLATE_ERR_RUN, "%s: cannot read the SRX file", path);
        return -1;
    }
    int rc = xlate_srx_parse(data, len, path, out, err);
    free(data);
    return rc;
}

int xlate_srx_load_default(xlate_srx **out, xlate_error *err) {
    return xlate_srx_parse(xlate_default_srx, xlate_default_srx_len, "built-in rules (default.srx)",
                           out, err);
}

int xlate_srx_cascades(const xlate_srx *srx) {
    return srx->cascade;
}

int xlate_srx_wants_icu(const xlate_srx *srx) {
    return srx->icu;
}

/* ---------------------------------------------------------------- compiling ---------------- */

/* Compiles a UTF-8 pattern. On failure fills *status and *offset (UTF-16 units). */
static URegularExpression *compile(const char *pattern, UErrorCode *status, int32_t *offset) {
    if (!*pattern)
        pattern = "(?:)"; /* SRX allows an empty expression; ICU wants a pattern */
    int32_t n = 0;
    *status = U_ZERO_ERROR;
    u_strFromUTF8(NULL, 0, &n, pattern, -1, status);
    if (*status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(*status))
        return NULL;
    *status = U_ZERO_ERROR;
    UChar *u = malloc(((size_t)n + 1) * sizeof *u);
    if (!u) {
        *status = U_MEMORY_ALLOCATION_ERROR;
        return NULL;
    }
    u_strFromUTF8(u, n + 1, NULL, pattern, -1, status);
    UParseError pe;
    memset(&pe, 0, sizeof pe);
    URegularExpression *re = U_SUCCESS(*status)
                                 ? uregex_open(u, n, UREGEX_MULTILINE, &pe, status)
                                 : NULL;
    free(u);
    *offset = pe.offset;
    if (U_FAILURE(*status)) {
        uregex_close(re);
        return NULL;
    }
    return re;
}

static char *concat(const char *const *parts, size_t n) {
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(parts[i]);
    char *s = malloc(len);
    if (!s)
        return NULL;
    char *p = s;
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(parts[i]);
        memcpy(p, parts[i], k);
        p += k;
    }
    *p = '\0';
    return s;
}

static char *break_pattern(const srx_rule *r) {
    const char *parts[] = {"(?:", r->before, ")(?=(?:", r->after, "))"};
    return concat(parts, 5);
}

static char *nobreak_pattern(const srx_rule *r) {
    const char *parts[] = {"(?=(?:", r->after, "))(?<=(?:", r->before, "))"};
    return concat(parts, 5);
}

static char *window_pattern(const srx_rule *r) {
    const char *parts[] = {"(?:", r->before, ")\\z(?=(?:", r->after, "))"};
    return concat(parts, 5);
}

/* Back-references and named groups change meaning when patterns are joined. */
static int mergeable(const srx_rule *r) {
    const char *pats[] = {r->before, r->after};
    for (int k = 0; k < 2; k++)
        for (const char *p = pats[k]; *p; p++) {
            if (p[0] == '\\' && p[1]) {
                if ((p[1] >= '1' && p[1] <= '9') || p[1] == 'k')
                    return 0;
                p++;
            } else if (p[0] == '(' && p[1] == '?' && p[2] == '<' && p[3] != '=' && p[3] != '!') {
                return 0;
            }
        }
    return 1;
}

typedef struct rule_ref {
    const srx_rule *rule;
    const char *langrule;
} rule_ref;

static void rule_error(xlate_error *err, const xlate_srx *srx, const rule_ref *ref,
                       const char *which, UErrorCode status, int32_t offset) {
    xlate_error_set(err, XLATE_ERR_RUN,
                    "%s:%ld: a rule of \"%s\": the %s expression is not a valid ICU regular "
                    "expression (%s near character %d); fix or remove the rule",
                    srx->name, ref->rule->line, ref->langrule, which, u_errorName(status),
                    (int)offset);
}

/* Checks the before and after expressions alone, so that a bad one is reported by name. */
static int validate_rule(const xlate_srx *srx, const rule_ref *ref, xlate_error *err) {
    UErrorCode status;
    int32_t offset;
    URegularExpression *re = compile(ref->rule->before, &status, &offset);
    if (!re) {
        rule_error(err, srx, ref, "before-break", status, offset);
        return -1;
    }
    uregex_close(re);
    re = compile(ref->rule->after, &status, &offset);
    if (!re) {
        rule_error(err, srx, ref, "after-break", status, offset);
        return -1;
    }
    uregex_close(re);
    return 0;
}

static int push_group(xlate_srx_rules *r, size_t *cap, group_kind kind, URegularExpression *re) {
    if (r->n_groups == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        rule_group *p = realloc(r->groups, *cap * sizeof *p);
        if (!p)
            return -1;
        r->groups = p;
    }
    r->groups[r->n_groups].kind = kind;
    r->groups[r->n_groups].re = re;
    r->groups[r->n_groups].leads = NULL;
    r->n_groups++;
    return 0;
}

/* Compiles one pattern built by `build` from a rule; reports failures against that rule. */
static URegularExpression *compile_built(char *pattern, const xlate_srx *srx,
                                         const rule_ref *ref, xlate_error *err) {
    if (!pattern) {
        xlate_error_set(err, XLATE_ERR_RUN, "%s: out of memory", srx->name);
        return NULL;
    }
    UErrorCode status;
    int32_t offset;
    URegularExpression *re = compile(pattern, &status, &offset);
    free(pattern);
    if (!re)
        rule_error(err, srx, ref, "combined", status, offset);
    return re;
}

/* The look-behind forms of refs[from, to) joined with '|', or NULL when out of memory. */
static char *joined_nobreak_pattern(const rule_ref *refs, size_t from, size_t to) {
    xlate_buf joined = XLATE_BUF_INIT;
    int failed = 0;
    for (size_t i = from; i < to && !failed; i++) {
        char *part = nobreak_pattern(refs[i].rule);
        failed = !part || (i > from && xlate_buf_putc(&joined, '|') != 0) ||
                 xlate_buf_puts(&joined, part) != 0;
        free(part);
    }
    if (failed) {
        xlate_buf_free(&joined);
        return NULL;
    }
    return xlate_buf_steal(&joined, NULL);
}

/* Compiles the no-break rules refs[from, to) (all bounded): one matcher for the whole run when
 * they can be joined, else one a rule. */
static int compile_nobreak_run(xlate_srx_rules *r, size_t *cap, const xlate_srx *srx,
                               const rule_ref *refs, size_t from, size_t to, xlate_error *err) {
    int all_mergeable = 1;
    for (size_t i = from; i < to; i++)
        all_mergeable &= mergeable(refs[i].rule);
    if (to - from > 1 && all_mergeable) {
        char *joined = joined_nobreak_pattern(refs, from, to);
        if (!joined)
            goto oom;
        UErrorCode status;
        int32_t offset;
        URegularExpression *re = compile(joined, &status, &offset);
        free(joined);
        if (re) {
            if (push_group(r, cap, GROUP_NOBREAK, re) != 0) {
                uregex_close(re);
                goto oom;
            }
            return 0;
        }
        /* Flags or groups that clash when joined: fall back to one matcher a rule. */
    }
    for (size_t i = from; i < to; i++) {
        URegularExpression *re = compile_built(nobreak_pattern(refs[i].rule), srx, &refs[i], err);
        if (!re)
            return -1;
        if (push_group(r, cap, GROUP_NOBREAK, re) != 0) {
            uregex_close(re);
            goto oom;
        }
    }
    return 0;
oom:
    xlate_error_set(err, XLATE_ERR_RUN, "%s: out of memory", srx->name);
    return -1;
}

/* Whether ICU accepts the before-break expression inside a look-behind (bounded length). */
static int bounded_before(const srx_rule *rule) {
    char *p = nobreak_pattern(rule);
    if (!p)
        return 0;
    UErrorCode status;
    int32_t offset;
    URegularExpression *re = compile(p, &status, &offset);
    free(p);
    uregex_close(re);
    return re != NULL;
}

/* ICU searches by trying a match at every position and has no API for the characters a match
 * can start with. When a before-break expression starts with a character, an escaped one or a
 * [set] that must occur at least once, and has no '|' outside brackets and parentheses, a
 * match can only start on one of those characters, and the search can skip to them. */

/* Index just past the bracket expression that starts at p[0] == '[', or 0 when unterminated. */
static size_t bracket_end(const char *p) {
    int depth = 0;
    for (size_t i = 0; p[i]; i++) {
        if (p[i] == '\\' && p[i + 1])
            i++;
        else if (p[i] == '[')
            depth++;
        else if (p[i] == ']' && --depth == 0)
            return i + 1;
    }
    return 0;
}

static int has_top_level_alternation(const char *p) {
    int parens = 0;
    for (size_t i = 0; p[i]; i++) {
        if (p[i] == '\\') {
            if (p[i + 1] == 'Q')
                return 1; /* quoted text: do not try to read it */
            if (p[i + 1])
                i++;
        } else if (p[i] == '[') {
            size_t end = bracket_end(p + i);
            if (!end)
                return 1;
            i += end - 1;
        } else if (p[i] == '(') {
            parens++;
        } else if (p[i] == ')') {
            parens--;
        } else if (p[i] == '|' && parens == 0) {
            return 1;
        }
    }
    return 0;
}

/* The set matched by the first element of `pattern`; *len gets its length in bytes. */
static USet *first_element_set(const char *pattern, size_t *len) {
    char set_pattern[256];
    const char *p = pattern;
    if (p[0] == '[') {
        *len = bracket_end(p);
        if (!*len || *len >= sizeof set_pattern)
            return NULL;
        memcpy(set_pattern, p, *len);
        set_pattern[*len] = '\0';
    } else if (p[0] == '\\') {
        char c = p[1];
        *len = 2;
        if (c == 'p' || c == 'P') {
            const char *close = p[2] == '{' ? strchr(p, '}') : NULL;
            if (!close || (size_t)(close - p) + 1 + 2 >= sizeof set_pattern)
                return NULL;
            *len = (size_t)(close - p) + 1;
            snprintf(set_pattern, sizeof set_pattern, "[%.*s]", (int)*len, p);
        } else if (c == 'd') {
            strcpy(set_pattern, "[\\p{Nd}]");
        } else if (c == 's') {
            strcpy(set_pattern, "[[:White_Space:]\\p{Z}\\t\\n\\f\\r]");
        } else if (c == 'n' || c == 't' || c == 'r' || c == 'f') {
            snprintf(set_pattern, sizeof set_pattern, "[\\%c]", c);
        } else if (c && (unsigned char)c < 0x80 && strchr(".?!*+()[]{}|^$\\/-:,;\"'#&<>=~@%", c)) {
            snprintf(set_pattern, sizeof set_pattern, "[\\%c]", c);
        } else {
            return NULL; /* \b, \w, \x..., back-references: not a plain character */
        }
    } else if (p[0] && !strchr(".^$|()*+?{", p[0])) {
        int32_t i = 0, n = (int32_t)strnlen(p, 4);
        UChar32 c;
        U8_NEXT((const uint8_t *)p, i, n, c);
        if (c < 0)
            return NULL;
        *len = (size_t)i;
        USet *set = uset_openEmpty();
        uset_add(set, c);
        return set;
    } else {
        return NULL;
    }
    UChar u[256];
    int32_t n = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8(u, 256, &n, set_pattern, -1, &status);
    USet *set = U_SUCCESS(status) ? uset_openPattern(u, n, &status) : NULL;
    if (U_FAILURE(status)) {
        uset_close(set);
        return NULL;
    }
    return set;
}

/* Bitmap of the UTF-16 units a match of `before` can start with, or NULL when unknown. */
static uint8_t *leading_units(const char *before) {
    if (before[0] == '(' || has_top_level_alternation(before))
        return NULL;
    size_t len = 0;
    USet *set = first_element_set(before, &len);
    if (!set)
        return NULL;
    char next = before[len];
    uint8_t *bits = (next == '*' || next == '?' || next == '{') ? NULL : calloc(8192, 1);
    int32_t items = uset_getItemCount(set);
    for (int32_t k = 0; bits && k < items; k++) {
        UChar32 lo, hi;
        UErrorCode status = U_ZERO_ERROR;
        if (uset_getItem(set, k, &lo, &hi, NULL, 0, &status) != 0) {
            free(bits); /* a string item: give up */
            bits = NULL;
            break;
        }
        if (hi > 0xFFFF) { /* supplementary characters start with a lead surrogate */
            for (UChar32 c = 0xD800; c <= 0xDBFF; c++)
                bits[c >> 3] |= (uint8_t)(1u << (c & 7));
            hi = 0xFFFF;
        }
        for (UChar32 c = lo; c <= hi; c++)
            bits[c >> 3] |= (uint8_t)(1u << (c & 7));
    }
    uset_close(set);
    return bits;
}

static int compile_rules(xlate_srx_rules *r, const xlate_srx *srx, const rule_ref *refs,
                         size_t n, xlate_error *err) {
    size_t cap = 0, run_start = 0;
    for (size_t i = 0; i <= n; i++) {
        int ends_run = i == n || refs[i].rule->is_break || !bounded_before(refs[i].rule);
        if (!ends_run)
            continue;
        if (compile_nobreak_run(r, &cap, srx, refs, run_start, i, err) != 0)
            return -1;
        run_start = i + 1;
        if (i == n)
            break;
        int is_break = refs[i].rule->is_break;
        char *pattern = is_break ? break_pattern(refs[i].rule) : window_pattern(refs[i].rule);
        URegularExpression *re = compile_built(pattern, srx, &refs[i], err);
        if (!re)
            return -1;
        if (push_group(r, &cap, is_break ? GROUP_BREAK : GROUP_NOBREAK_WINDOW, re) != 0) {
            uregex_close(re);
            xlate_error_set(err, XLATE_ERR_RUN, "%s: out of memory", srx->name);
            return -1;
        }
        if (is_break)
            r->groups[r->n_groups - 1].leads = leading_units(refs[i].rule->before);
    }
    return 0;
}

/* Whether a <languagemap> pattern matches the whole language code. */
static int language_matches(const char *pattern, const char *lang, const xlate_srx *srx,
                            long line, xlate_error *err) {
    UErrorCode status;
    int32_t offset;
    URegularExpression *re = compile(pattern, &status, &offset);
    if (!re) {
        xlate_error_set(err, XLATE_ERR_RUN,
                        "%s:%ld: the languagepattern \"%s\" is not a valid ICU regular expression "
                        "(%s)",
                        srx->name, line, pattern, u_errorName(status));
        return -1;
    }
    UChar u[64];
    int32_t n = 0;
    status = U_ZERO_ERROR;
    u_strFromUTF8(u, 64, &n, lang, -1, &status);
    int hit = 0;
    if (U_SUCCESS(status) && n < 64) {
        uregex_setText(re, u, n, &status);
        hit = uregex_matches(re, 0, &status) && U_SUCCESS(status);
    }
    uregex_close(re);
    return hit;
}

static int collect_rules(const xlate_srx *srx, const char *lang, rule_ref **refs, size_t *n,
                         xlate_error *err) {
    size_t cap = 0;
    *refs = NULL;
    *n = 0;
    for (size_t m = 0; m < srx->n_maps; m++) {
        int hit = language_matches(srx->maps[m].pattern, lang, srx, srx->maps[m].line, err);
        if (hit < 0)
            return -1;
        if (!hit)
            continue;
        const srx_langrule *lr = NULL;
        for (size_t k = 0; k < srx->n_langrules && !lr; k++)
            if (strcmp(srx->langrules[k].name, srx->maps[m].rulename) == 0)
                lr = &srx->langrules[k];
        for (size_t i = 0; lr && i < lr->n_rules; i++) {
            if (*n == cap) {
                cap = cap ? cap * 2 : 64;
                rule_ref *p = realloc(*refs, cap * sizeof *p);
                if (!p) {
                    xlate_error_set(err, XLATE_ERR_RUN, "%s: out of memory", srx->name);
                    return -1;
                }
                *refs = p;
            }
            (*refs)[(*n)++] = (rule_ref){&lr->rules[i], lr->name};
        }
        if (!srx->cascade)
            break;
    }
    return 0;
}

int xlate_srx_rules_new(const xlate_srx *srx, const char *lang, xlate_srx_rules **out,
                        xlate_error *err) {
    *out = NULL;
    xlate_srx_rules *r = calloc(1, sizeof *r);
    if (!r) {
        xlate_error_set(err, XLATE_ERR_RUN, "out of memory");
        return -1;
    }
    rule_ref *refs = NULL;
    size_t n = 0;
    int rc = collect_rules(srx, lang, &refs, &n, err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = validate_rule(srx, &refs[i], err);
    if (rc == 0)
        rc = compile_rules(r, srx, refs, n, err);
    r->n_rules = n;
    free(refs);
    if (rc != 0) {
        xlate_srx_rules_free(r);
        return -1;
    }
    *out = r;
    return 0;
}

size_t xlate_srx_rules_count(const xlate_srx_rules *r) {
    return r->n_rules;
}

void xlate_srx_rules_free(xlate_srx_rules *r) {
    if (!r)
        return;
    for (size_t i = 0; i < r->n_groups; i++) {
        uregex_close(r->groups[i].re);
        free(r->groups[i].leads);
    }
    free(r->groups);
    free(r);
}

/* ---------------------------------------------------------------- running ------------------ */

/* A position some rule or the fallback may break at. */
typedef struct candidate {
    int32_t pos;
    uint32_t first_break; /* index of the first break group matching here, or UINT32_MAX */
    int fallback;
} candidate;

typedef struct candidates {
    candidate *v;
    size_t n, cap;
} candidates;

static int add_candidate(candidates *c, int32_t pos, uint32_t first_break, int fallback) {
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        candidate *p = realloc(c->v, c->cap * sizeof *p);
        if (!p)
            return -1;
        c->v = p;
    }
    c->v[c->n++] = (candidate){pos, first_break, fallback};
    return 0;
}

static int by_position(const void *a, const void *b) {
    const candidate *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return x->first_break < y->first_break ? -1 : x->first_break > y->first_break;
}

/* Every position where break group `g` matches. */
/* The same search, skipping natively to the units a match can start with and matching there. */
static int search_break_group_from_leads(URegularExpression *re, const uint8_t *leads, uint32_t g,
                                         const UChar *text, int32_t len, candidates *c,
                                         UErrorCode *status) {
    for (int32_t i = 0; i < len && U_SUCCESS(*status); i++) {
        UChar u = text[i];
        if (!(leads[u >> 3] & (1u << (u & 7))))
            continue;
        uregex_setRegion(re, i, len, status);
        if (!uregex_lookingAt(re, -1, status) || U_FAILURE(*status))
            continue;
        int32_t end = uregex_end(re, 0, status);
        if (U_SUCCESS(*status) && add_candidate(c, end, g, 0) != 0)
            *status = U_MEMORY_ALLOCATION_ERROR;
        if (end > i + 1)
            i = end - 1; /* like findNext: go on after the match */
    }
    return U_FAILURE(*status) ? -1 : 0;
}

static int search_break_group(URegularExpression *re, uint32_t g, candidates *c,
                              UErrorCode *status) {
    /* findNext goes on right after each match (by one after an empty match), so no position
     * is reported twice. */
    for (int found = uregex_find(re, 0, status); found && U_SUCCESS(*status);
         found = uregex_findNext(re, status)) {
        int32_t end = uregex_end(re, 0, status);
        if (U_SUCCESS(*status) && add_candidate(c, end, g, 0) != 0)
            *status = U_MEMORY_ALLOCATION_ERROR;
    }
    return U_FAILURE(*status) ? -1 : 0;
}

/* Whether no-break group `g` matches at `pos`. */
static int nobreak_matches(const rule_group *g, int32_t pos, int32_t len, UErrorCode *status) {
    if (g->kind == GROUP_NOBREAK) {
        uregex_setRegion(g->re, pos, len, status);
        return uregex_lookingAt(g->re, -1, status);
    }
    int32_t from = pos > UNBOUNDED_WINDOW ? pos - UNBOUNDED_WINDOW : 0;
    uregex_setRegion(g->re, from, pos, status);
    return uregex_findNext(g->re, status);
}

static int decide(const xlate_srx_rules *r, const candidate *c, int32_t len,
                  UErrorCode *status) {
    size_t stop = c->first_break == UINT32_MAX ? r->n_groups : c->first_break;
    for (size_t g = 0; g < stop; g++) {
        if (r->groups[g].kind == GROUP_BREAK)
            continue;
        if (nobreak_matches(&r->groups[g], c->pos, len, status))
            return 0;
        if (U_FAILURE(*status))
            return 0;
    }
    return c->first_break != UINT32_MAX || c->fallback;
}

int xlate_srx_rules_breaks(xlate_srx_rules *r, const UChar *text, int32_t len,
                           const int32_t *fallback, size_t n_fallback, int32_t **breaks,
                           size_t *n_breaks, xlate_error *err) {
    *breaks = NULL;
    *n_breaks = 0;
    UErrorCode status = U_ZERO_ERROR;
    candidates c = {NULL, 0, 0};
    for (size_t g = 0; g < r->n_groups && U_SUCCESS(status); g++) {
        uregex_setText(r->groups[g].re, text, len, &status);
        uregex_useTransparentBounds(r->groups[g].re, 1, &status);
        uregex_useAnchoringBounds(r->groups[g].re, r->groups[g].kind == GROUP_NOBREAK_WINDOW,
                                  &status);
        if (U_FAILURE(status) || r->groups[g].kind != GROUP_BREAK)
            continue;
        if (r->groups[g].leads)
            search_break_group_from_leads(r->groups[g].re, r->groups[g].leads, (uint32_t)g, text,
                                          len, &c, &status);
        else
            search_break_group(r->groups[g].re, (uint32_t)g, &c, &status);
    }
    for (size_t i = 0; i < n_fallback && U_SUCCESS(status); i++)
        if (add_candidate(&c, fallback[i], UINT32_MAX, 1) != 0)
            status = U_MEMORY_ALLOCATION_ERROR;
    if (c.n > 1)
        qsort(c.v, c.n, sizeof *c.v, by_position);

    int32_t *out = malloc((c.n ? c.n : 1) * sizeof *out);
    if (!out && U_SUCCESS(status))
        status = U_MEMORY_ALLOCATION_ERROR;
    size_t n_out = 0;
    for (size_t i = 0; i < c.n && U_SUCCESS(status);) {
        /* Sorted: the first entry of a position has its lowest break group. */
        candidate merged = c.v[i];
        size_t j = i + 1;
        for (; j < c.n && c.v[j].pos == merged.pos; j++)
            merged.fallback |= c.v[j].fallback;
        i = j;
        if (merged.pos <= 0 || merged.pos >= len)
            continue;
        if (decide(r, &merged, len, &status))
            out[n_out++] = merged.pos;
    }
    free(c.v);
    for (size_t g = 0; g < r->n_groups; g++) {
        UErrorCode ignored = U_ZERO_ERROR;
        static const UChar empty[1] = {0};
        uregex_setText(r->groups[g].re, empty, 0, &ignored);
    }
    if (U_FAILURE(status)) {
        free(out);
        xlate_error_set(err, XLATE_ERR_RUN, "segmentation rules failed: %s",
                        u_errorName(status));
        return -1;
    }
    *breaks = out;
    *n_breaks = n_out;
    return 0;
}
