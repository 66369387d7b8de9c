/*
 * srx: SRX 2.0 rules, parsed with libxml2 and run with ICU regular expressions. Sits inside the
 * segment stage: segment hands it a UTF-16 text and the positions ICU proposes, and gets back the
 * positions where the text breaks.
 *
 * How the rules run. A break rule can create a break anywhere, so each one is searched over the
 * whole text once. A no-break rule only matters where something would break, so it is tried
 * only at those candidates, anchored at the position. Consecutive no-break rules give the same
 * answer, so they are also merged into one expression.
 *
 * Most of those regex runs cannot succeed, and a glance at the text says so: a rule whose
 * before-break expression ends in "\." cannot match after a letter, one whose after-break
 * expression wants white space and a lower-case letter cannot match before a capital, an
 * abbreviation list cannot match after a word it does not hold. srx_shape reads such facts from
 * the expressions (the characters a match can start and end with, its length, the first
 * character after leading white space, look-behinds at its end, the finitely many strings it can
 * be), and a rule's matcher runs only where the text fits them. Break rules are searched in one
 * pass over the text for all of them. The facts are over-approximations, so the breaks are the
 * same as when every matcher runs everywhere (xlate_srx_rules_use_shortcuts(r, 0) does that, for
 * checking).
 */
#include "srx.h"

#include "buf.h"
#include "readfile.h"
#include "srx_shape.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <unicode/uregex.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

/* The namespace of xlate's own SRX extensions; SRX 2.0 allows foreign elements in the header. */
#define XLATE_SRX_NS "urn:x-xlate:srx"

/* A no-break rule whose before-break expression has no bounded length (`*`, `+`) cannot run as
 * an ICU look-behind; it is matched in a window of this many UTF-16 units before the position.
 * A match longer than the window is not seen, and a ^ at the window's start counts as a line
 * start: rules written for sentences do not reach that far back. */
enum { UNBOUNDED_WINDOW = 256 };

/* How much work one match may do, in ICU's ticks of 10,000 backtracking state saves (about a
 * tenth of a millisecond each): a rule file is input from strangers, and an expression such as
 * (.*a){12}x backtracks for hours on a short line. An honest rule does a few state saves at each
 * place it is tried, and a greedy .* at most a few for each unit of the text after it; the
 * budget is far above both, and an expression that exceeds it is an error naming it. A match
 * at one place of the text may take MATCH_BASE_TICKS plus a tick for each MATCH_UNITS_PER_TICK
 * units of the text (0.1 s on a short text, some seconds on 200 MB); the segmenter counts the
 * whole text's UTF-8 bytes, the same for a text taken at once or a block at a time. */
enum { MATCH_BASE_TICKS = 1000, MATCH_UNITS_PER_TICK = 5000 };

/* ICU's backtrack stack for one matcher, in bytes (ICU's own default, said here so that it is
 * ours): an expression that needs more fails with an error naming it. */
#define MATCH_STACK_BYTES (32 << 20)

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

/* What a rule's expressions say about the places it can match. */
typedef struct rule_test {
    xlate_shape before, after;
} rule_test;

/* A rule as a message names it, copied: the parsed file is gone when the rules run. */
typedef struct rule_name {
    long line;
    char *langrule, *before, *after;
} rule_name;

/* The work one matcher has done at the place of the text it is trying, kept by ICU's callbacks:
 * the match callback counts ticks, and the find callback says the search moved on. ICU's own
 * time limit counts over a whole find-next scan of the text, which an honest rule on a large
 * text would exceed; this counts at one place. */
typedef struct match_budget {
    int32_t limit;  /* ticks allowed at one place */
    int32_t base;   /* the ticks ICU had counted when the matcher came to this place */
    int moved;      /* the search moved on since the last tick */
    int spent;      /* a match ran out of its budget */
    int64_t place;  /* the last place a search tried */
} match_budget;

typedef struct rule_group {
    group_kind kind;
    URegularExpression *re;     /* the group's matcher */
    size_t n_rules;             /* one, or the length of a run of no-break rules */
    rule_test *tests;           /* one a rule */
    URegularExpression **alone; /* a joined run: each rule's own matcher, or NULL */
    rule_name *names;           /* one a rule */
    match_budget *budgets;      /* re's, then each of alone's */
    URegularExpression **ahead; /* blocks: each rule's after-break expression, made when asked */
} rule_group;

/* The matcher that failed while the breaks were decided, to name its rule. */
typedef struct match_failure {
    const rule_group *group; /* NULL: none */
    size_t rule;             /* index into the group's rules, or SIZE_MAX for the joined run */
    int32_t at;              /* the place of the text it was tried at */
    UErrorCode status;
} match_failure;

struct xlate_srx_rules {
    rule_group *groups;
    size_t n_groups;
    char *source;               /* the rule file's name, for messages */
    match_failure failure;
    size_t n_rules;
    xlate_shape_reader *shapes; /* owns the tests' character sets */
    const xlate_charbits *space; /* the white space the tests skip */
    int shortcuts;              /* run matchers only where the tests allow */
    xlate_charbits *any_lead;   /* the units any break group's match can start with */
    /* A clone (xlate_srx_rules_clone): the groups' tests and names, source, any_lead and shapes
     * are the prototype's, read and never freed here; the matchers and budgets are its own. */
    const xlate_srx_rules *proto;
    /* While the breaks of a block of a longer text are decided: */
    int more;                   /* the text goes on after the block's context */
    const UChar *text;          /* the block's context */
    int saw_end;                /* a matcher or a test read to the end of that context */
    int32_t base;               /* units of the whole text before the context, for messages */
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

/* libxml2 sets up its globals (mutexes, dictionaries) on first use unless xmlInitParser has run,
 * and that lazy set-up is not safe from two threads at once: batch workers load their rules
 * together, and under LeakSanitizer one of two racing set-ups shows as a leaked mutex. Its own
 * documentation asks for xmlInitParser before threads use the library; once is enough. */
static pthread_once_t libxml_once = PTHREAD_ONCE_INIT;

static void init_libxml(void) { xmlInitParser(); }

static void ensure_libxml_initialized(void) { pthread_once(&libxml_once, init_libxml); }

static int parse_rule(const xmlNode *node, const char *src, srx_rule *rule, xlate_error *err) {
    memset(rule, 0, sizeof *rule);
    rule->line = xmlGetLineNo(node);
    int brk = yes_no(node, "break", 1);
    if (brk < 0) {
        xlate_error_set(err, XLATE_ERROR,
                        "%s:%ld: <rule break=...> must be \"yes\" or \"no\"; fix the attribute",
                        src, rule->line);
        return -1;
    }
    rule->is_break = brk;
    rule->before = element_text(find_child(node, "beforebreak"));
    rule->after = element_text(find_child(node, "afterbreak"));
    if (!rule->before || !rule->after) {
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", src);
        return -1;
    }
    return 0;
}

static int parse_langrule(const xmlNode *node, const char *src, srx_langrule *lr,
                          xlate_error *err) {
    memset(lr, 0, sizeof *lr);
    lr->name = attribute(node, "languagerulename");
    if (!lr->name) {
        xlate_error_set(err, XLATE_ERROR,
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
                xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", src);
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
        xlate_error_set(err, XLATE_ERROR,
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
            xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", srx->name);
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
        xlate_error_set(err, XLATE_ERROR,
                        "%s:%ld: <header cascade=...> must be \"yes\" or \"no\"", srx->name,
                        (long)xmlGetLineNo(header));
        return -1;
    }
    for (const xmlNode *c = header ? header->children : NULL; c; c = c->next) {
        if (!is_xlate_element(c, "options"))
            continue;
        srx->icu = yes_no(c, "icu", 0);
        if (srx->icu < 0) {
            xlate_error_set(err, XLATE_ERROR,
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
        xlate_error_set(err, XLATE_ERROR,
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
                xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", srx->name);
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
            xlate_error_set(err, XLATE_ERROR,
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
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", name);
        return -1;
    }
    if (len > (size_t)INT32_MAX) {
        xlate_error_set(err, XLATE_ERROR, "%s: too large for an SRX file", name);
        xlate_srx_free(srx);
        return -1;
    }
    ensure_libxml_initialized();
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    xmlDocPtr doc = ctxt ? xmlCtxtReadMemory(ctxt, xml, (int)len, name, NULL,
                                             XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                 XML_PARSE_NOWARNING)
                         : NULL;
    int rc = -1;
    if (!doc) {
        const xmlError *e = ctxt ? xmlCtxtGetLastError(ctxt) : NULL;
        xlate_error_set(err, XLATE_ERROR, "%s:%d: not well-formed XML: %s", name,
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
            xlate_error_set(err, XLATE_ERROR,
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
    char *data;
    size_t len;
    if (xlate_read_file(path, &data, &len, err) != 0)
        return -1;
    int rc = xlate_srx_parse(data, len, path, out, err);
    free(data);
    return rc;
}

int xlate_srx_load_default(xlate_srx **out, xlate_error *err) {
    return xlate_srx_parse(xlate_default_srx, xlate_default_srx_len, "built-in rules (default.srx)",
                           out, err);
}

const char *xlate_srx_default_text(size_t *len) {
    *len = xlate_default_srx_len;
    return xlate_default_srx;
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
    xlate_error_set(err, XLATE_ERROR,
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

static void free_names(rule_name *names, size_t n) {
    for (size_t i = 0; names && i < n; i++) {
        free(names[i].langrule);
        free(names[i].before);
        free(names[i].after);
    }
    free(names);
}

/* The names of refs[from, to), copied; NULL when out of memory. */
static rule_name *copy_names(const rule_ref *refs, size_t from, size_t to) {
    rule_name *names = calloc(to - from, sizeof *names);
    for (size_t i = from; names && i < to; i++) {
        rule_name *n = &names[i - from];
        n->line = refs[i].rule->line;
        n->langrule = strdup(refs[i].langrule);
        n->before = strdup(refs[i].rule->before);
        n->after = strdup(refs[i].rule->after);
        if (!n->langrule || !n->before || !n->after) {
            free_names(names, to - from);
            return NULL;
        }
    }
    return names;
}

/* Adds a group for refs[from, to), taking `re`, `tests` and `alone`. */
static int push_group(xlate_srx_rules *r, size_t *cap, group_kind kind, URegularExpression *re,
                      const rule_ref *refs, size_t from, size_t to, rule_test *tests,
                      URegularExpression **alone) {
    size_t n_rules = to - from;
    rule_name *names = copy_names(refs, from, to);
    match_budget *budgets = calloc(n_rules + 1, sizeof *budgets);
    if (names && budgets && r->n_groups == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        rule_group *p = realloc(r->groups, *cap * sizeof *p);
        if (p)
            r->groups = p;
        else
            *cap = r->n_groups;
    }
    if (!names || !budgets || r->n_groups == *cap) {
        free_names(names, n_rules);
        free(budgets);
        return -1;
    }
    r->groups[r->n_groups++] = (rule_group){kind, re, n_rules, tests, alone, names, budgets, NULL};
    return 0;
}

/* Compiles one pattern built by `build` from a rule; reports failures against that rule. */
static URegularExpression *compile_built(char *pattern, const xlate_srx *srx,
                                         const rule_ref *ref, xlate_error *err) {
    if (!pattern) {
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", srx->name);
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

/* The tests of refs[from, to); NULL when out of memory. A rule the shape reader cannot read
 * gets a test that lets every place pass. */
static rule_test *read_tests(xlate_srx_rules *r, const rule_ref *refs, size_t from, size_t to) {
    rule_test *tests = calloc(to - from, sizeof *tests);
    for (size_t i = from; tests && i < to; i++) {
        xlate_shape_read(r->shapes, refs[i].rule->before, &tests[i - from].before);
        xlate_shape_read(r->shapes, refs[i].rule->after, &tests[i - from].after);
    }
    return tests;
}

static void close_all(URegularExpression **res, size_t n) {
    for (size_t i = 0; i < n; i++)
        uregex_close(res[i]);
}

/* Groups the no-break rules refs[from, to) (all bounded), taking their look-behind matchers
 * alone[0, to - from): one group for the whole run when they can be joined, else one a rule. */
static int group_nobreak_run(xlate_srx_rules *r, size_t *cap, const xlate_srx *srx,
                             const rule_ref *refs, size_t from, size_t to,
                             URegularExpression **alone, xlate_error *err) {
    size_t n = to - from;
    int all_mergeable = 1;
    for (size_t i = from; i < to; i++)
        all_mergeable &= mergeable(refs[i].rule);
    URegularExpression *joined_re = NULL;
    if (n > 1 && all_mergeable) {
        char *joined = joined_nobreak_pattern(refs, from, to);
        if (!joined)
            goto oom;
        UErrorCode status;
        int32_t offset;
        joined_re = compile(joined, &status, &offset);
        free(joined);
        /* NULL: flags or groups that clash when joined; one matcher a rule then. */
    }
    if (joined_re) {
        rule_test *tests = read_tests(r, refs, from, to);
        URegularExpression **own = malloc(n * sizeof *own);
        if (!tests || !own ||
            push_group(r, cap, GROUP_NOBREAK, joined_re, refs, from, to, tests, own) != 0) {
            free(tests);
            free(own);
            uregex_close(joined_re);
            goto oom;
        }
        memcpy(own, alone, n * sizeof *own);
        return 0;
    }
    for (size_t i = from; i < to; i++) {
        rule_test *test = read_tests(r, refs, i, i + 1);
        if (!test ||
            push_group(r, cap, GROUP_NOBREAK, alone[i - from], refs, i, i + 1, test, NULL) != 0) {
            free(test);
            close_all(alone + (i - from), to - i); /* the ones before are the groups' now */
            xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", srx->name);
            return -1;
        }
    }
    return 0;
oom:
    close_all(alone, n);
    xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", srx->name);
    return -1;
}

/* The look-behind matcher of a no-break rule, or NULL when ICU refuses the before-break
 * expression inside a look-behind (no bounded length). */
static URegularExpression *lookbehind_matcher(const srx_rule *rule) {
    char *p = nobreak_pattern(rule);
    if (!p)
        return NULL;
    UErrorCode status;
    int32_t offset;
    URegularExpression *re = compile(p, &status, &offset);
    free(p);
    return re;
}

/* A break rule, or a no-break rule whose before-break expression has no bounded length. */
static int group_single_rule(xlate_srx_rules *r, size_t *cap, const xlate_srx *srx,
                             const rule_ref *ref, xlate_error *err) {
    int is_break = ref->rule->is_break;
    char *pattern = is_break ? break_pattern(ref->rule) : window_pattern(ref->rule);
    URegularExpression *re = compile_built(pattern, srx, ref, err);
    if (!re)
        return -1;
    rule_test *test = read_tests(r, ref, 0, 1);
    if (!test || push_group(r, cap, is_break ? GROUP_BREAK : GROUP_NOBREAK_WINDOW, re, ref, 0, 1,
                            test, NULL) != 0) {
        free(test);
        uregex_close(re);
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", srx->name);
        return -1;
    }
    return 0;
}

static int compile_rules(xlate_srx_rules *r, const xlate_srx *srx, const rule_ref *refs,
                         size_t n, xlate_error *err) {
    URegularExpression **lookbehind = calloc(n ? n : 1, sizeof *lookbehind);
    if (!lookbehind) {
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", srx->name);
        return -1;
    }
    size_t cap = 0, run_start = 0;
    int rc = 0;
    for (size_t i = 0; i <= n && rc == 0; i++) {
        if (i < n && !refs[i].rule->is_break && (lookbehind[i] = lookbehind_matcher(refs[i].rule)))
            continue; /* the run of bounded no-break rules goes on */
        rc = group_nobreak_run(r, &cap, srx, refs, run_start, i, lookbehind + run_start, err);
        run_start = i + 1;
        if (rc == 0 && i < n)
            rc = group_single_rule(r, &cap, srx, &refs[i], err);
    }
    free(lookbehind);
    return rc;
}

/* Whether a <languagemap> pattern matches the whole language code. */
static int language_matches(const char *pattern, const char *lang, const xlate_srx *srx,
                            long line, xlate_error *err) {
    UErrorCode status;
    int32_t offset;
    URegularExpression *re = compile(pattern, &status, &offset);
    if (!re) {
        xlate_error_set(err, XLATE_ERROR,
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
        uregex_setTimeLimit(re, MATCH_BASE_TICKS, &status); /* one match of a short code */
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
                    xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", srx->name);
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

static const xlate_charbits *leads_of(const xlate_srx_rules *r, const rule_group *g);

/* ICU's match callback, at each tick: false stops the match (U_REGEX_STOPPED_BY_CALLER). ICU
 * counts from zero again when a region is set, which is how each anchored try starts. */
static UBool budget_tick(const void *context, int32_t steps) {
    match_budget *b = (match_budget *)context;
    if (b->moved || steps < b->base) {
        b->moved = 0;
        b->base = steps - 1;
    }
    if (steps - b->base > b->limit) {
        b->spent = 1;
        return 0;
    }
    return 1;
}

/* ICU's find callback, at each place a search tries: the work starts over. */
static UBool budget_moved(const void *context, int64_t place) {
    match_budget *b = (match_budget *)context;
    b->moved = 1;
    b->place = place;
    return 1;
}

static URegularExpression *group_matcher(const rule_group *g, size_t i) {
    return i == 0 ? g->re : g->alone[i - 1];
}

/* Puts every matcher under its budget and ICU's stack limit. */
static int limit_matchers(xlate_srx_rules *r) {
    UErrorCode status = U_ZERO_ERROR;
    for (size_t g = 0; g < r->n_groups; g++) {
        rule_group *grp = &r->groups[g];
        for (size_t i = 0; i <= (grp->alone ? grp->n_rules : 0); i++) {
            URegularExpression *re = group_matcher(grp, i);
            uregex_setMatchCallback(re, budget_tick, &grp->budgets[i], &status);
            uregex_setFindProgressCallback(re, budget_moved, &grp->budgets[i], &status);
            uregex_setStackLimit(re, MATCH_STACK_BYTES, &status);
        }
    }
    return U_SUCCESS(status) ? 0 : -1;
}

int xlate_srx_rules_new(const xlate_srx *srx, const char *lang, xlate_srx_rules **out,
                        xlate_error *err) {
    *out = NULL;
    xlate_srx_rules *r = calloc(1, sizeof *r);
    if (!r) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    r->shortcuts = 1;
    r->shapes = xlate_shape_reader_new();
    if (!r->shapes) {
        free(r);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    r->space = xlate_shape_space(r->shapes);
    rule_ref *refs = NULL;
    size_t n = 0;
    int rc = collect_rules(srx, lang, &refs, &n, err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = validate_rule(srx, &refs[i], err);
    if (rc == 0)
        rc = compile_rules(r, srx, refs, n, err);
    if (rc == 0 && (!(r->source = strdup(srx->name)) || limit_matchers(r) != 0)) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        rc = -1;
    }
    if (rc == 0 && !(r->any_lead = calloc(XLATE_CHARBITS_WORDS, sizeof *r->any_lead))) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        rc = -1;
    }
    for (size_t g = 0; rc == 0 && g < r->n_groups; g++) {
        const xlate_charbits *leads =
            r->groups[g].kind == GROUP_BREAK ? leads_of(r, &r->groups[g]) : NULL;
        for (int w = 0; leads && w < XLATE_CHARBITS_WORDS; w++)
            r->any_lead[w] |= leads[w];
    }
    r->n_rules = n;
    free(refs);
    if (rc != 0) {
        xlate_srx_rules_free(r);
        return -1;
    }
    *out = r;
    return 0;
}

/* A group of a clone: new matchers on the same compiled patterns (uregex_clone shares them, so
 * nothing is compiled again), new budgets; tests and names are the prototype's. */
static int clone_group(const rule_group *from, rule_group *to) {
    UErrorCode status = U_ZERO_ERROR;
    *to = (rule_group){from->kind, NULL, from->n_rules, from->tests, NULL, from->names, NULL, NULL};
    to->re = uregex_clone(from->re, &status);
    to->budgets = calloc(from->n_rules + 1, sizeof *to->budgets);
    if (from->alone && (to->alone = calloc(from->n_rules, sizeof *to->alone)) != NULL)
        for (size_t i = 0; i < from->n_rules && U_SUCCESS(status); i++)
            to->alone[i] = uregex_clone(from->alone[i], &status);
    return U_SUCCESS(status) && to->re && to->budgets && (!from->alone || to->alone) ? 0 : -1;
}

int xlate_srx_rules_clone(const xlate_srx_rules *proto, xlate_srx_rules **out, xlate_error *err) {
    *out = NULL;
    xlate_srx_rules *r = calloc(1, sizeof *r);
    int rc = -1;
    if (r) {
        r->proto = proto;
        r->source = proto->source;
        r->n_rules = proto->n_rules;
        r->space = proto->space;
        r->shortcuts = proto->shortcuts;
        r->any_lead = proto->any_lead;
        r->groups = calloc(proto->n_groups ? proto->n_groups : 1, sizeof *r->groups);
        rc = r->groups ? 0 : -1;
    }
    /* n_groups counts each group as it is begun, so that a failure frees what was made. */
    for (size_t g = 0; rc == 0 && g < proto->n_groups; g++) {
        r->n_groups = g + 1;
        rc = clone_group(&proto->groups[g], &r->groups[g]);
    }
    if (rc == 0)
        rc = limit_matchers(r);
    if (rc != 0) {
        xlate_srx_rules_free(r);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory copying the segmentation rules");
        return -1;
    }
    *out = r;
    return 0;
}

size_t xlate_srx_rules_count(const xlate_srx_rules *r) {
    return r->n_rules;
}

void xlate_srx_rules_use_shortcuts(xlate_srx_rules *r, int on) {
    r->shortcuts = on;
}

void xlate_srx_rules_free(xlate_srx_rules *r) {
    if (!r)
        return;
    for (size_t i = 0; i < r->n_groups; i++) {
        uregex_close(r->groups[i].re);
        if (r->groups[i].alone)
            close_all(r->groups[i].alone, r->groups[i].n_rules);
        free(r->groups[i].alone);
        if (r->groups[i].ahead)
            close_all(r->groups[i].ahead, r->groups[i].n_rules);
        free(r->groups[i].ahead);
        free(r->groups[i].budgets);
        if (!r->proto) {
            free(r->groups[i].tests);
            free_names(r->groups[i].names, r->groups[i].n_rules);
        }
    }
    free(r->groups);
    if (!r->proto) {
        free(r->source);
        free(r->any_lead);
        xlate_shape_reader_free(r->shapes);
    }
    free(r);
}

/* ---------------------------------------------------------------- blocks ------------------- */

/* Whether a match of `s` can hold a character that ends a line. */
static int may_hold_line_end(const xlate_shape *s) {
    static const UChar ends[] = {0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029};
    if (!s->all)
        return 1;
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++)
        if (xlate_charbits_has(s->all, ends[i]))
            return 1;
    return 0;
}

int xlate_srx_rules_blockwise(const xlate_srx_rules *r) {
    for (size_t g = 0; g < r->n_groups; g++) {
        const rule_group *grp = &r->groups[g];
        if (grp->kind == GROUP_NOBREAK_WINDOW)
            return 0; /* an unbounded look-back, and a search that always reaches its end */
        /* A break group is searched from the block's start: its matches must not run over a
         * line end, so that no match of the text before the block ends inside it. */
        if (grp->kind == GROUP_BREAK &&
            (!leads_of(r, grp) || may_hold_line_end(&grp->tests[0].before)))
            return 0;
    }
    return 1;
}

/* ---------------------------------------------------------------- running ------------------ */

/* A position some rule or the fallback may break at. */
typedef struct candidate {
    int32_t pos;
    uint32_t first_break; /* index of the first break group matching here, or UINT32_MAX */
    int fallback;         /* the fallback (ICU) offers it */
} candidate;

typedef struct candidates {
    candidate *v;
    size_t n, cap;
} candidates;

static int add_candidate(candidates *c, int32_t pos, uint32_t first_break) {
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        candidate *p = realloc(c->v, c->cap * sizeof *p);
        if (!p)
            return -1;
        c->v = p;
    }
    c->v[c->n++] = (candidate){pos, first_break, 0};
    return 0;
}

static int by_int32(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int is_sorted(const int32_t *v, size_t n) {
    for (size_t i = 1; i < n; i++)
        if (v[i] < v[i - 1])
            return 0;
    return 1;
}

static int by_position(const void *a, const void *b) {
    const candidate *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return x->first_break < y->first_break ? -1 : x->first_break > y->first_break;
}

/* ---- the tests: may a rule match here? ---- */

/* Whether text[p - 1 - k] fits the last characters of a match of `s`. Past a surrogate, code
 * points and UTF-16 units part ways: the test stops there and lets the place pass. */
static int last_characters_fit(const xlate_shape *s, const UChar *text, int32_t p) {
    for (int32_t k = 0; k < XLATE_SHAPE_DEPTH && k < s->min_len; k++) {
        if (p - 1 - k < 0)
            return 0;
        UChar c = text[p - 1 - k];
        if (U16_IS_SURROGATE(c))
            return 1;
        if (s->last[k] && !xlate_charbits_has(s->last[k], c))
            return 0;
    }
    return 1;
}

/* Whether a match of `s` can end at p: its last characters, the look-behinds at its end, the
 * strings it can be. */
static int may_end_at(const xlate_shape *s, const UChar *text, int32_t p) {
    if (!last_characters_fit(s, text, p))
        return 0;
    for (int32_t i = 0; i < s->n_tails; i++)
        if (!may_end_at(&s->tails[i], text, p))
            return 0;
    return !s->suffixes || xlate_suffix_trie_may_end_at(s->suffixes, text, p);
}

/* Whether text[p + k] fits the first characters of a match of `s`. `more`: the text goes on
 * after `len` (a block of a longer text), so that a test reaching `len` cannot say no. */
static int first_characters_fit(const xlate_shape *s, const xlate_charbits *space,
                                const UChar *text, int32_t len, int more, int32_t p) {
    for (int32_t k = 0; k < XLATE_SHAPE_DEPTH && k < s->min_len; k++) {
        if (p + k >= len)
            return more;
        UChar c = text[p + k];
        if (U16_IS_SURROGATE(c))
            return 1;
        if (s->first[k] && !xlate_charbits_has(s->first[k], c))
            return 0;
    }
    if (s->space_only)
        return 1;
    /* Every match holds something besides white space, and the first such character of the
     * match is the first one in the text. */
    int32_t q = p;
    while (q < len && xlate_charbits_has(space, text[q]))
        q++;
    if (q == len)
        return more;
    return !s->first_nonspace || U16_IS_SURROGATE(text[q]) ||
           xlate_charbits_has(s->first_nonspace, text[q]);
}

/* Whether a match of `s` can start at p: its first characters, the look-aheads at its start. */
static int may_start_at(const xlate_shape *s, const xlate_charbits *space, const UChar *text,
                        int32_t len, int more, int32_t p) {
    if (!first_characters_fit(s, space, text, len, more, p))
        return 0;
    for (int32_t i = 0; i < s->n_heads; i++)
        if (!may_start_at(&s->heads[i], space, text, len, more, p))
            return 0;
    return 1;
}

static int rule_may_match_at(const rule_test *t, const xlate_charbits *space, const UChar *text,
                             int32_t len, int more, int32_t p) {
    return may_end_at(&t->before, text, p) && may_start_at(&t->after, space, text, len, more, p);
}

/* Whether a break rule's match can start at i: its before-break part runs over characters it
 * can contain to some end where the rule may match. Long runs are left to the matcher. */
static int break_may_start_at(const rule_test *t, const xlate_charbits *space, const UChar *text,
                              int32_t len, int more, int32_t i) {
    const xlate_shape *b = &t->before;
    for (int32_t e = i; e - i <= 64; e++) {
        if (e - i >= b->min_len && rule_may_match_at(t, space, text, len, more, e))
            return 1;
        if (b->max_len != XLATE_SHAPE_UNBOUNDED && e - i >= b->max_len)
            return 0;
        if (e == len)
            return more;
        if (U16_IS_SURROGATE(text[e]))
            return 1;
        if (b->all && !xlate_charbits_has(b->all, text[e]))
            return 0;
    }
    return 1;
}

/* Keeps the first matcher that failed (matcher 0 is the group's, i the rule i - 1's alone). */
static void note_failure(xlate_srx_rules *r, const rule_group *g, size_t matcher, int32_t at,
                         UErrorCode status) {
    if (U_FAILURE(status) && !r->failure.group)
        r->failure = (match_failure){g, matcher, at, status};
}

/* ---- break groups: searched over the whole text ---- */

/* The units a break group's match can start with, or NULL when the search must try every
 * position. */
static const xlate_charbits *leads_of(const xlate_srx_rules *r, const rule_group *g) {
    const xlate_shape *b = &g->tests[0].before;
    return r->shortcuts && b->min_len > 0 ? b->first[0] : NULL;
}

/* The positions where the break groups with known leads match, as ICU's find reports them for
 * each: a group's matches do not overlap, its search going on where its last match ended. One
 * pass over the text serves them all, skipping natively to the units a match can start with. A
 * character outside the BMP starts with a lead surrogate: that always gets a try. */
static int search_break_groups_from_leads(xlate_srx_rules *r, const UChar *text, int32_t from,
                                          int32_t to, int32_t len, candidates *c,
                                          UErrorCode *status) {
    int32_t *resume = calloc(r->n_groups ? r->n_groups : 1, sizeof *resume);
    if (!resume) {
        *status = U_MEMORY_ALLOCATION_ERROR;
        return -1;
    }
    for (int32_t i = from; i < to && U_SUCCESS(*status); i++) {
        UChar u = text[i];
        int surrogate = U16_IS_SURROGATE(u);
        if (surrogate) {
            if (U16_IS_TRAIL(u) && i > 0 && U16_IS_LEAD(text[i - 1]))
                continue; /* inside a pair, where ICU never starts */
        } else if (!xlate_charbits_has(r->any_lead, u)) {
            continue;
        }
        for (size_t g = 0; g < r->n_groups && U_SUCCESS(*status); g++) {
            const rule_group *grp = &r->groups[g];
            const xlate_charbits *leads = grp->kind == GROUP_BREAK ? leads_of(r, grp) : NULL;
            if (!leads || i < resume[g] || (!surrogate && !xlate_charbits_has(leads, u)))
                continue;
            if (!break_may_start_at(&grp->tests[0], r->space, text, len, r->more, i))
                continue;
            uregex_setRegion(grp->re, i, len, status);
            int hit = uregex_lookingAt(grp->re, -1, status);
            r->saw_end |= r->more && uregex_hitEnd(grp->re, status);
            note_failure(r, grp, 0, i, *status);
            if (!hit || U_FAILURE(*status))
                continue;
            int32_t end = uregex_end(grp->re, 0, status);
            if (U_SUCCESS(*status) && add_candidate(c, end, (uint32_t)g) != 0)
                *status = U_MEMORY_ALLOCATION_ERROR;
            resume[g] = end > i ? end : i + 1; /* like findNext: go on after the match */
        }
    }
    free(resume);
    return U_FAILURE(*status) ? -1 : 0;
}

/* Every position where break group `g` matches, searched by ICU position by position. */
static int search_break_group(xlate_srx_rules *r, uint32_t g, candidates *c, UErrorCode *status) {
    const rule_group *grp = &r->groups[g];
    /* findNext goes on right after each match (by one after an empty match), so no position
     * is reported twice. */
    for (int found = uregex_find(grp->re, 0, status); found && U_SUCCESS(*status);
         found = uregex_findNext(grp->re, status)) {
        int32_t end = uregex_end(grp->re, 0, status);
        if (U_SUCCESS(*status) && add_candidate(c, end, g) != 0)
            *status = U_MEMORY_ALLOCATION_ERROR;
    }
    note_failure(r, grp, 0, (int32_t)grp->budgets[0].place, *status);
    return U_FAILURE(*status) ? -1 : 0;
}

/* ---- no-break groups: tried at the candidates ---- */

/* Whether the no-break matcher `re` (of a group of `kind`) matches at `pos`. */
static int nobreak_matches(group_kind kind, URegularExpression *re, int32_t pos, int32_t len,
                           UErrorCode *status) {
    if (kind == GROUP_NOBREAK) {
        uregex_setRegion(re, pos, len, status);
        return uregex_lookingAt(re, -1, status);
    }
    int32_t from = pos > UNBOUNDED_WINDOW ? pos - UNBOUNDED_WINDOW : 0;
    uregex_setRegion(re, from, pos, status);
    return uregex_findNext(re, status);
}

/* Whether the after-break expression of rule i of no-break group g, tried at pos, reads to the
 * end of the text: ICU's hitEnd of the rule's whole matcher says so also where a look-behind
 * reads to its own end, the position, so the expression that looks ahead runs again alone. A
 * matcher that cannot be made, or fails, counts as reading to the end: the caller then takes
 * the whole text, which is always right. */
static int after_reads_to_end(rule_group *g, size_t i, const UChar *text, int32_t len,
                              int32_t pos) {
    if (!g->ahead && !(g->ahead = calloc(g->n_rules, sizeof *g->ahead)))
        return 1;
    UErrorCode status = U_ZERO_ERROR;
    int32_t offset;
    if (!g->ahead[i] && !(g->ahead[i] = compile(g->names[i].after, &status, &offset)))
        return 1;
    URegularExpression *re = g->ahead[i];
    uregex_setText(re, text, len, &status);
    uregex_useTransparentBounds(re, 1, &status);
    uregex_setTimeLimit(re, MATCH_BASE_TICKS, &status);
    uregex_setRegion(re, pos, len, &status);
    uregex_lookingAt(re, -1, &status);
    int at_end = uregex_hitEnd(re, &status);
    static const UChar empty[1] = {0};
    uregex_setText(re, empty, 0, &status);
    return at_end || U_FAILURE(status);
}

/* nobreak_matches with matcher `m` of group `g` (0: the group's, i: rule i - 1's alone). */
static int nobreak_matcher_matches(xlate_srx_rules *r, const rule_group *g, size_t m,
                                   int32_t pos, int32_t len, UErrorCode *status) {
    int hit = nobreak_matches(g->kind, group_matcher(g, m), pos, len, status);
    /* A window's search always reaches its end, the position; only blocks ask, and they have
     * no windows (xlate_srx_rules_blockwise). */
    if (r->more && !r->saw_end && g->kind == GROUP_NOBREAK &&
        uregex_hitEnd(group_matcher(g, m), status)) {
        for (size_t i = m ? m - 1 : 0; i < (m ? m : g->n_rules) && !r->saw_end; i++)
            r->saw_end = after_reads_to_end((rule_group *)g, i, r->text, len, pos);
    }
    note_failure(r, g, m, pos, *status);
    return hit;
}

/* Whether no-break group `g` matches at `pos`: its matcher runs only where the tests let a rule
 * of it match, and for a joined run the rules that pass run alone when not all of them do. */
static int nobreak_group_matches(xlate_srx_rules *r, const rule_group *g, const UChar *text,
                                 int32_t len, int32_t pos, UErrorCode *status) {
    if (!r->shortcuts)
        return nobreak_matcher_matches(r, g, 0, pos, len, status);
    size_t passing = 0, one = 0;
    for (size_t i = 0; i < g->n_rules; i++) {
        if (rule_may_match_at(&g->tests[i], r->space, text, len, r->more, pos)) {
            passing++;
            one = i;
        }
    }
    if (passing == 0)
        return 0;
    if (!g->alone || passing == g->n_rules)
        return nobreak_matcher_matches(r, g, 0, pos, len, status);
    if (passing == 1)
        return nobreak_matcher_matches(r, g, one + 1, pos, len, status);
    for (size_t i = 0; i < g->n_rules && U_SUCCESS(*status); i++)
        if (rule_may_match_at(&g->tests[i], r->space, text, len, r->more, pos) &&
            nobreak_matcher_matches(r, g, i + 1, pos, len, status))
            return 1;
    return 0;
}

static int decide(xlate_srx_rules *r, const candidate *c, const UChar *text, int32_t len,
                  UErrorCode *status) {
    size_t stop = c->first_break == UINT32_MAX ? r->n_groups : c->first_break;
    for (size_t g = 0; g < stop; g++) {
        if (r->groups[g].kind == GROUP_BREAK)
            continue;
        if (nobreak_group_matches(r, &r->groups[g], text, len, c->pos, status))
            return 0;
        if (U_FAILURE(*status))
            return 0;
    }
    return c->first_break != UINT32_MAX || c->fallback;
}

/* Points every matcher of the rules at `text` (an empty one to let go of it), each with a
 * fresh budget for a text of `budget_len` units. */
static void set_text(xlate_srx_rules *r, const UChar *text, int32_t len, size_t budget_len,
                     UErrorCode *status) {
    r->failure = (match_failure){NULL, 0, 0, U_ZERO_ERROR};
    for (size_t g = 0; g < r->n_groups; g++) {
        rule_group *grp = &r->groups[g];
        int anchoring = grp->kind == GROUP_NOBREAK_WINDOW;
        int searched = grp->kind == GROUP_BREAK && !leads_of(r, grp); /* find over the text */
        for (size_t i = 0; i <= (grp->alone ? grp->n_rules : 0); i++) {
            URegularExpression *re = group_matcher(grp, i);
            int32_t limit = MATCH_BASE_TICKS + (int32_t)(budget_len / MATCH_UNITS_PER_TICK);
            grp->budgets[i] = (match_budget){limit, 0, 1, 0, 0};
            uregex_setText(re, text, len, status);
            /* A matcher tried at a place sets its region first, which starts ICU's count over:
             * ICU's time limit then bounds each try as a whole (a window tries many places). */
            uregex_setTimeLimit(re, searched ? 0 : 2 * limit, status);
            uregex_useTransparentBounds(re, 1, status);
            uregex_useAnchoringBounds(re, anchoring, status);
        }
    }
}

static int is_limit(UErrorCode status) {
    return status == U_REGEX_STOPPED_BY_CALLER || status == U_REGEX_TIME_OUT ||
           status == U_REGEX_STACK_OVERFLOW;
}

/* The rule of a joined run whose own matcher also fails at `at`, or SIZE_MAX. */
static size_t rule_failing_alone(const rule_group *g, int32_t at, int32_t len) {
    for (size_t i = 0; g->alone && i < g->n_rules; i++) {
        UErrorCode status = U_ZERO_ERROR;
        nobreak_matches(g->kind, g->alone[i], at, len, &status);
        if (is_limit(status))
            return i;
    }
    return SIZE_MAX;
}

/* Sets err to what failed: a rule named by file, line, rule set and expressions when a matcher
 * ran out of its budget or stack. */
static void explain_failure(xlate_srx_rules *r, int32_t len, UErrorCode status, xlate_error *err) {
    const match_failure *f = &r->failure;
    if (!f->group || !is_limit(f->status)) {
        xlate_error_set(err, status == U_MEMORY_ALLOCATION_ERROR ? XLATE_ENOMEM : XLATE_ERROR,
                        "%s: segmentation rules failed: %s", r->source, u_errorName(status));
        return;
    }
    const rule_group *g = f->group;
    size_t rule = f->rule > 0 ? f->rule - 1 : g->n_rules == 1 ? 0 : rule_failing_alone(g, f->at, len);
    const char *why = f->status == U_REGEX_STACK_OVERFLOW
                          ? "needs more than ICU's backtracking stack allows (32 MB)"
                          : "takes more work than xlate allows a rule at one place";
    if (rule == SIZE_MAX) {
        xlate_error_set(err, XLATE_ERROR,
                        "%s:%ld-%ld: the no-break rules of \"%s\" on these lines, joined, %s "
                        "(at character %ld of the text); rewrite the expressions without nested "
                        "repetition such as (.*a){12}, or remove rules",
                        r->source, g->names[0].line, g->names[g->n_rules - 1].line,
                        g->names[0].langrule, why, (long)r->base + f->at);
        return;
    }
    const rule_name *n = &g->names[rule];
    xlate_error_set(err, XLATE_ERROR,
                    "%s:%ld: a rule of \"%s\" (before-break \"%.200s\", after-break \"%.200s\") "
                    "%s (at character %ld of the text): the expression backtracks without end; "
                    "rewrite it without nested repetition such as (.*a){12}, or remove the rule",
                    r->source, n->line, n->langrule, n->before, n->after, why,
                    (long)r->base + f->at);
}

/* The breaks of text[from, to): see xlate_srx_rules_breaks and xlate_srx_rules_block_breaks. */
static int breaks_between(xlate_srx_rules *r, const UChar *text, int32_t len, int32_t from,
                          int32_t to, const xlate_srx_block *block, const int32_t *fallback,
                          size_t n_fallback, int32_t **breaks, size_t *n_breaks,
                          xlate_error *err) {
    *breaks = NULL;
    *n_breaks = 0;
    UErrorCode status = U_ZERO_ERROR;
    candidates c = {NULL, 0, 0};
    r->more = block && block->more;
    r->saw_end = 0;
    r->text = text;
    r->base = block ? block->base : 0;
    set_text(r, text, len, block ? block->budget_len : (size_t)len, &status);
    int any_leads = 0;
    for (size_t g = 0; g < r->n_groups && U_SUCCESS(status); g++) {
        const rule_group *grp = &r->groups[g];
        if (grp->kind != GROUP_BREAK)
            continue;
        if (leads_of(r, grp))
            any_leads = 1;
        else
            search_break_group(r, (uint32_t)g, &c, &status); /* never in a block */
    }
    if (any_leads && U_SUCCESS(status))
        search_break_groups_from_leads(r, text, from, to, len, &c, &status);
    if (c.n > 1)
        qsort(c.v, c.n, sizeof *c.v, by_position);
    int32_t *sorted_fallback = NULL;
    if (!is_sorted(fallback, n_fallback)) {
        sorted_fallback = malloc(n_fallback * sizeof *sorted_fallback);
        if (!sorted_fallback) {
            status = U_MEMORY_ALLOCATION_ERROR;
        } else {
            memcpy(sorted_fallback, fallback, n_fallback * sizeof *sorted_fallback);
            qsort(sorted_fallback, n_fallback, sizeof *sorted_fallback, by_int32);
            fallback = sorted_fallback;
        }
    }

    int32_t *out = malloc((c.n + n_fallback ? c.n + n_fallback : 1) * sizeof *out);
    if (!out && U_SUCCESS(status))
        status = U_MEMORY_ALLOCATION_ERROR;
    size_t n_out = 0;
    /* The break groups' positions and the fallback, both sorted, merged: at each position the
     * lowest break group matching there, and whether the fallback offers it. */
    for (size_t i = 0, j = 0; (i < c.n || j < n_fallback) && U_SUCCESS(status);) {
        int32_t pos = i < c.n && (j == n_fallback || c.v[i].pos <= fallback[j]) ? c.v[i].pos
                                                                                 : fallback[j];
        candidate merged = {pos, UINT32_MAX, 0};
        for (; i < c.n && c.v[i].pos == pos; i++)
            if (c.v[i].first_break < merged.first_break)
                merged.first_break = c.v[i].first_break;
        for (; j < n_fallback && fallback[j] == pos; j++)
            merged.fallback = 1;
        /* The text around the positions ahead was read long ago: ask for it now, so that it is
         * at hand when the tests look at it. */
        if (j + 16 < n_fallback)
            __builtin_prefetch(text + (fallback[j + 16] > 8 ? fallback[j + 16] - 8 : 0));
        if (pos <= from || pos >= to || pos >= len)
            continue;
        if (decide(r, &merged, text, len, &status))
            out[n_out++] = pos;
    }
    free(sorted_fallback);
    free(c.v);
    if (U_FAILURE(status))
        explain_failure(r, len, status, err); /* while the matchers still have the text */
    UErrorCode ignored = U_ZERO_ERROR;
    static const UChar empty[1] = {0};
    set_text(r, empty, 0, 0, &ignored);
    r->more = 0;
    if (U_FAILURE(status)) {
        free(out);
        return -1;
    }
    *breaks = out;
    *n_breaks = n_out;
    return 0;
}

int xlate_srx_rules_breaks(xlate_srx_rules *r, const UChar *text, int32_t len,
                           const int32_t *fallback, size_t n_fallback, int32_t **breaks,
                           size_t *n_breaks, xlate_error *err) {
    return breaks_between(r, text, len, 0, len, NULL, fallback, n_fallback, breaks, n_breaks,
                          err);
}

int xlate_srx_rules_breaks_in(xlate_srx_rules *r, const UChar *text, int32_t len,
                              const xlate_srx_block *block, const int32_t *fallback,
                              size_t n_fallback, int32_t **breaks, size_t *n_breaks,
                              int *complete, xlate_error *err) {
    *complete = 1;
    int whole = block->from == 0 && block->to == len && !block->more;
    if ((!whole && !xlate_srx_rules_blockwise(r)) || block->from < 0 ||
        block->from > block->to || block->to > len) {
        *breaks = NULL;
        *n_breaks = 0;
        *complete = 0;
        return 0;
    }
    int rc = breaks_between(r, text, len, block->from, block->to, block, fallback, n_fallback,
                            breaks, n_breaks, err);
    if (rc == 0 && r->saw_end) {
        free(*breaks);
        *breaks = NULL;
        *n_breaks = 0;
        *complete = 0;
    }
    r->saw_end = 0;
    return rc;
}
