/*
 * srx_shape: reads an ICU regular expression and tells what its matches must look like near their
 * ends (see srx_shape.h). Part of the segment stage, used by srx.c to skip positions where a rule
 * cannot match.
 *
 * Soundness first: the reader knows a safe subset of ICU's syntax (literals, escapes, [sets],
 * groups, look-arounds, quantifiers, (?x) comments) and gives up on anything else. The pattern
 * becomes a small syntax tree; the analyses walk it. Anchors and look-arounds consume nothing:
 * inside a match, ignoring what they demand only makes the answer wider, never wrong; positive
 * look-behinds at the end and look-aheads at the start also get shapes of their own, which hold
 * at the same place. A \b counts only in the suffix tries, in the one case where ICU's rule is
 * plain (before a word character). Which characters a [set], \p{...} or \s takes is built here
 * only for syntax that means the same to ICU's UnicodeSet (properties, plain brackets); anything
 * else is asked of ICU's matcher itself: the atom is compiled as (?:ATOM)+ and run over a text
 * holding every BMP character once, in order, so each match is a range of the set.
 * tests/test_srx.c holds every set to ICU's matcher, the \b rule to ICU's \b, and the breaks
 * with the shortcuts to the breaks without.
 */
#include "srx_shape.h"
#include "hashtab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uregex.h>
#include <unicode/uset.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

enum { DEPTH = XLATE_SHAPE_DEPTH };

/* Lengths saturate here: far beyond any depth the tests look at. */
#define LEN_CAP (1 << 24)
#define UNBOUNDED (-1)

/* ---------------------------------------------------------------- the reader ---------------- */

typedef struct atom_entry {
    char *text;   /* the atom as written */
    int comments; /* read under (?x) */
    USet *set;
} atom_entry;

struct xlate_shape_reader {
    UChar *bmp;          /* every BMP character but the surrogates, in order */
    int32_t n_bmp;
    USet *space;         /* ICU's \s */
    USet *word;          /* ICU's \w */
    const xlate_charbits *space_bits;
    atom_entry *atoms;   /* sets already read */
    size_t n_atoms, cap_atoms;
    xlate_hashtab *pool;   /* every bitmap handed out, each once: the table's keys */
    USet *any;             /* every character */
    USet *word_core;       /* word characters (\w) that \b does not skip over */
    const xlate_charbits *not_before_word; /* what may precede a \b before a word_core character */
    struct owned_block *owned; /* shape arrays and tries handed out */
    size_t n_owned, cap_owned;
};

static const xlate_charbits *bits_of_set(xlate_shape_reader *r, const USet *set);

typedef struct owned_block {
    void *block;
    void (*release)(void *block);
} owned_block;

/* The characters one atom (a [set] or a class escape) takes, asked of ICU; NULL when ICU does
 * not accept it alone or is out of memory. The reader keeps the set. */
static USet *probe_atom(xlate_shape_reader *r, const char *atom, size_t len, int comments);
static USet *plain_atom(const xlate_shape_reader *r, const char *atom, size_t len,
                        int comments);

static const USet *atom_set(xlate_shape_reader *r, const char *atom, size_t len, int comments) {
    for (size_t i = 0; i < r->n_atoms; i++)
        if (r->atoms[i].comments == comments && strlen(r->atoms[i].text) == len &&
            memcmp(r->atoms[i].text, atom, len) == 0)
            return r->atoms[i].set;
    USet *set = plain_atom(r, atom, len, comments);
    if (!set)
        set = probe_atom(r, atom, len, comments);
    if (!set)
        return NULL;
    if (r->n_atoms == r->cap_atoms) {
        size_t cap = r->cap_atoms ? r->cap_atoms * 2 : 16;
        atom_entry *p = realloc(r->atoms, cap * sizeof *p);
        if (!p) {
            uset_close(set);
            return NULL;
        }
        r->atoms = p;
        r->cap_atoms = cap;
    }
    char *text = malloc(len + 1);
    if (!text) {
        uset_close(set);
        return NULL;
    }
    memcpy(text, atom, len);
    text[len] = '\0';
    r->atoms[r->n_atoms++] = (atom_entry){text, comments, set};
    return set;
}

/* A property set, \p{..}, \P{..} or \pL: the regex compiler itself hands these to UnicodeSet. */
static USet *property_set(const char *atom, size_t len) {
    char pattern[256];
    UChar u[256];
    if (len + 3 > sizeof pattern)
        return NULL;
    snprintf(pattern, sizeof pattern, "[%.*s]", (int)len, atom);
    int32_t n = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8(u, 256, &n, pattern, -1, &status);
    USet *set = U_SUCCESS(status) ? uset_openPatternOptions(u, n, 0, &status) : NULL;
    if (U_FAILURE(status)) {
        uset_close(set);
        return NULL;
    }
    return set;
}

/* Whether the UTF-8 character at s is one (?x) would drop. */
static int is_pattern_space_at(const char *s, size_t left) {
    unsigned char c = (unsigned char)s[0];
    if (c <= 0x20)
        return 1;
    if (c == 0xC2 && left > 1 && (unsigned char)s[1] == 0x85)
        return 1;
    return c == 0xE2 && left > 2 && (unsigned char)s[1] == 0x80 &&
           ((unsigned char)s[2] == 0x8E || (unsigned char)s[2] == 0x8F ||
            (unsigned char)s[2] == 0xA8 || (unsigned char)s[2] == 0xA9);
}

/* A bracket of plain characters, ranges of plain characters, escaped punctuation, properties
 * and \s \d \w, built item by item; NULL for anything else (nested sets, && and --, white space
 * or # that (?x) would read otherwise), which a matcher then reads. */
static USet *bracket_set(const xlate_shape_reader *r, const char *atom, size_t len, int comments) {
    size_t i = 1, end = len - 1;
    int negated = 0;
    if (i < end && atom[i] == '^') {
        negated = 1;
        i++;
    }
    USet *set = uset_openEmpty();
    int ok = set != NULL;
    UChar32 prev = -1; /* the last plain character, which a '-' may make a range from */
    while (ok && i < end) {
        const char *at = atom + i;
        unsigned char c = (unsigned char)*at;
        if (c == '[' || (c == '&' && (atom[i + 1] == '&' || atom[i - 1] == '&')) ||
            (comments && (c == '#' || is_pattern_space_at(at, end - i)))) {
            ok = 0; /* nested sets, &&, and what (?x) reads otherwise */
        } else if (c == '-' && i + 1 < end && prev >= 0) { /* a range of plain characters */
            int32_t k = (int32_t)(i + 1);
            UChar32 hi;
            U8_NEXT((const uint8_t *)atom, k, (int32_t)end, hi);
            ok = hi >= prev && strchr("\\[]-&^#", (int)(unsigned char)atom[i + 1]) == NULL;
            if (ok)
                uset_addRange(set, prev, hi);
            i = (size_t)k;
            prev = -1;
        } else if (c == '\\') {
            char e = i + 1 < end ? atom[i + 1] : '\0';
            prev = -1;
            if (e == 'p' || e == 'P') {
                size_t to = i + 2;
                if (to < end && atom[to] == '{')
                    while (to < end && atom[to] != '}')
                        to++;
                USet *prop = to < end ? property_set(at, to + 1 - i) : NULL;
                ok = prop != NULL;
                if (ok)
                    uset_addAll(set, prop);
                uset_close(prop);
                i = to + 1;
            } else if (e == 's' || e == 'w' || e == 'd') {
                /* \d is general category Nd in ICU's regular expressions */
                USet *prop = e == 'd' ? property_set("\\p{Nd}", 6) : NULL;
                const USet *known = e == 's' ? r->space : e == 'w' ? r->word : prop;
                ok = known != NULL;
                if (ok)
                    uset_addAll(set, known);
                uset_close(prop);
                i += 2;
            } else if (e && strchr(".?!*+()[]{}|^$\\/-:,;\"'#&<>=~@%_ ", e)) {
                uset_add(set, (UChar32)e); /* escaped punctuation: itself */
                i += 2;
            } else {
                ok = 0; /* \x, \u, \N, \n...: left to the matcher */
            }
        } else if (c == '-' && i + 1 < end) {
            ok = 0; /* a '-' neither first nor last nor after a plain character */
        } else {
            int32_t k = (int32_t)i;
            U8_NEXT((const uint8_t *)atom, k, (int32_t)end, prev);
            ok = prev >= 0;
            if (ok)
                uset_add(set, prev);
            i = (size_t)k;
        }
    }
    if (ok && negated)
        uset_complement(set);
    if (!ok) {
        uset_close(set);
        return NULL;
    }
    return set;
}

/* Reading a set needs no matcher when its syntax means the same to ICU's regular expressions
 * and to what this file knows of them. NULL when it may not. */
static USet *plain_atom(const xlate_shape_reader *r, const char *atom, size_t len,
                        int comments) {
    if (len >= 2 && atom[0] == '\\' && (atom[1] == 'p' || atom[1] == 'P'))
        return property_set(atom, len);
    if (len == 2 && atom[0] == '\\' && strchr("sSwWdD", atom[1]) && r->space && r->word) {
        /* \d is general category Nd in ICU's regular expressions; capitals are complements */
        char lower = (char)(atom[1] | 0x20);
        USet *set = lower == 'd' ? property_set("\\p{Nd}", 6)
                    : uset_cloneAsThawed(lower == 's' ? r->space : r->word);
        if (set && atom[1] != lower)
            uset_complement(set);
        return set;
    }
    if (len >= 3 && atom[0] == '[' && atom[len - 1] == ']')
        return bracket_set(r, atom, len, comments);
    return NULL;
}

/* The characters an atom takes, asked of ICU's regular expressions. */
static USet *probe_atom(xlate_shape_reader *r, const char *atom, size_t len, int comments) {
    const char *open = comments ? "(?x)(?:" : "(?:";
    size_t n_open = strlen(open);
    char *pattern = malloc(n_open + len + 3);
    if (!pattern)
        return NULL;
    memcpy(pattern, open, n_open);
    memcpy(pattern + n_open, atom, len);
    memcpy(pattern + n_open + len, ")+", 3);
    UErrorCode status = U_ZERO_ERROR;
    URegularExpression *re = uregex_openC(pattern, UREGEX_MULTILINE, NULL, &status);
    free(pattern);
    USet *set = U_SUCCESS(status) ? uset_openEmpty() : NULL;
    if (set)
        uregex_setText(re, r->bmp, r->n_bmp, &status);
    for (int found = set ? uregex_find(re, 0, &status) : 0; found && U_SUCCESS(status);
         found = uregex_findNext(re, &status)) {
        int32_t from = uregex_start(re, 0, &status), to = uregex_end(re, 0, &status);
        if (U_SUCCESS(status) && to > from)
            uset_addRange(set, r->bmp[from], r->bmp[to - 1]);
    }
    uregex_close(re);
    if (U_FAILURE(status) || !set) {
        uset_close(set);
        return NULL;
    }
    return set;
}

xlate_shape_reader *xlate_shape_reader_new(void) {
    xlate_shape_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->bmp = malloc(0x10000 * sizeof *r->bmp);
    if (!r->bmp) {
        free(r);
        return NULL;
    }
    for (UChar32 c = 0; c < 0x10000; c++)
        if (!U16_IS_SURROGATE(c))
            r->bmp[r->n_bmp++] = (UChar)c;
    /* ICU's \s and \w, as its regular expressions define them (tests/test_srx.c checks that
     * they still agree). */
    static const UChar space_pattern[] = u"[\\p{WhiteSpace}]";
    static const UChar word_pattern[] = u"[\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\u200c\\u200d]";
    UErrorCode status = U_ZERO_ERROR;
    r->space = uset_openPattern(space_pattern, -1, &status);
    r->word = uset_openPattern(word_pattern, -1, &status);
    if (U_FAILURE(status)) {
        xlate_shape_reader_free(r);
        return NULL;
    }
    r->space_bits = bits_of_set(r, r->space);
    /* ICU's \b sees a boundary before a word character when the character before it, skipping
     * combining marks and format characters, is no word character. */
    static const UChar skipped_pattern[] = u"[\\p{Grapheme_Extend}\\p{Cf}]";
    USet *skipped = uset_openPattern(skipped_pattern, -1, &status);
    r->any = uset_open(0, 0x10FFFF);
    r->word_core = uset_cloneAsThawed(r->word);
    USet *before_word = r->any ? uset_cloneAsThawed(r->any) : NULL;
    if (r->word_core && skipped && before_word) {
        uset_removeAll(r->word_core, skipped);
        uset_removeAll(before_word, r->word_core);
        r->not_before_word = bits_of_set(r, before_word);
    }
    uset_close(before_word);
    uset_close(skipped);
    if (!r->space_bits || !r->not_before_word) {
        xlate_shape_reader_free(r);
        return NULL;
    }
    return r;
}

void xlate_shape_reader_free(xlate_shape_reader *r) {
    if (!r)
        return;
    for (size_t i = 0; i < r->n_atoms; i++) {
        free(r->atoms[i].text);
        uset_close(r->atoms[i].set);
    }
    free(r->atoms);
    uset_close(r->space);
    uset_close(r->any);
    uset_close(r->word);
    uset_close(r->word_core);
    for (size_t i = 0; i < r->n_owned; i++)
        r->owned[i].release(r->owned[i].block);
    free(r->owned);
    xlate_hashtab_free(r->pool);
    free(r->bmp);
    free(r);
}

const xlate_charbits *xlate_shape_space(const xlate_shape_reader *r) {
    return r->space_bits;
}

/* ---------------------------------------------------------------- shapes of sets ------------ */

/* A shape while it is being read: the same facts, as ICU sets (NULL: no character). */
typedef struct wshape {
    int32_t min, max; /* max UNBOUNDED: no limit */
    USet *first[DEPTH], *last[DEPTH], *all, *nonspace;
    int space_only;
} wshape;

static void wshape_free(wshape *s) {
    for (int k = 0; k < DEPTH; k++) {
        uset_close(s->first[k]);
        uset_close(s->last[k]);
    }
    uset_close(s->all);
    uset_close(s->nonspace);
    memset(s, 0, sizeof *s);
}

/* Matches nothing but the empty string: an anchor, a look-around. */
static void wshape_empty(wshape *s) {
    memset(s, 0, sizeof *s);
    s->space_only = 1;
}

/* *dst ∪= src; returns -1 when out of memory. */
static int add_set(USet **dst, const USet *src) {
    if (!src)
        return 0;
    if (!*dst) {
        *dst = uset_cloneAsThawed(src);
        return *dst ? 0 : -1;
    }
    uset_addAll(*dst, src);
    return 0;
}

static int32_t add_len(int32_t a, int32_t b) {
    if (a == UNBOUNDED || b == UNBOUNDED)
        return UNBOUNDED;
    return a + b > LEN_CAP ? LEN_CAP : a + b;
}

static int32_t mul_len(int32_t count, int32_t len) {
    if (count == 0 || len == 0)
        return 0;
    if (count == UNBOUNDED || len == UNBOUNDED)
        return UNBOUNDED;
    return (int64_t)count * len > LEN_CAP ? LEN_CAP : count * len;
}

static int32_t upto(int32_t max, int32_t k) {
    return max == UNBOUNDED || max > k ? k : max;
}

/* One character from `set`. */
static int wshape_char(wshape *s, const USet *set, const USet *space) {
    memset(s, 0, sizeof *s);
    s->min = s->max = 1;
    if (add_set(&s->first[0], set) || add_set(&s->last[0], set) || add_set(&s->all, set) ||
        add_set(&s->nonspace, set))
        return -1;
    uset_removeAll(s->nonspace, space);
    s->space_only = !uset_containsNone(set, space);
    return 0;
}

/* x := x y. A character k places from the start of xy lies in x when x is longer than k, else k -
 * |x| places into y, for the lengths x can have; the same from the end with x and y swapped. */
static int wshape_concat(wshape *x, wshape *y) {
    wshape z = {0};
    int failed = 0;
    for (int k = 0; k < DEPTH && !failed; k++) {
        failed |= add_set(&z.first[k], x->first[k]);
        for (int32_t l = x->min; l <= upto(x->max, k); l++)
            failed |= add_set(&z.first[k], y->first[k - l]);
        failed |= add_set(&z.last[k], y->last[k]);
        for (int32_t l = y->min; l <= upto(y->max, k); l++)
            failed |= add_set(&z.last[k], x->last[k - l]);
    }
    failed |= add_set(&z.all, x->all) || add_set(&z.all, y->all);
    failed |= add_set(&z.nonspace, x->nonspace);
    if (x->space_only)
        failed |= add_set(&z.nonspace, y->nonspace);
    z.space_only = x->space_only && y->space_only;
    z.min = add_len(x->min, y->min);
    z.max = add_len(x->max, y->max);
    wshape_free(x);
    wshape_free(y);
    *x = z;
    return failed ? -1 : 0;
}

/* x := x | y */
static int wshape_alternate(wshape *x, wshape *y) {
    int failed = 0;
    for (int k = 0; k < DEPTH; k++)
        failed |= add_set(&x->first[k], y->first[k]) || add_set(&x->last[k], y->last[k]);
    failed |= add_set(&x->all, y->all) || add_set(&x->nonspace, y->nonspace);
    x->space_only |= y->space_only;
    x->min = y->min < x->min ? y->min : x->min;
    x->max = x->max == UNBOUNDED || y->max == UNBOUNDED ? UNBOUNDED
             : y->max > x->max                          ? y->max
                                                        : x->max;
    wshape_free(y);
    return failed ? -1 : 0;
}

/* x := x{lo,hi}. A character k places into the repetition lies in some copy, at most k places
 * into that copy: the union of the copies' first k+1 places (and the same from the end). */
static int wshape_repeat(wshape *x, int32_t lo, int32_t hi) {
    if (hi == 0) {
        wshape_free(x);
        wshape_empty(x);
        return 0;
    }
    if (lo == 1 && hi == 1)
        return 0;
    int failed = 0;
    for (int k = 1; k < DEPTH; k++)
        failed |= add_set(&x->first[k], x->first[k - 1]) || add_set(&x->last[k], x->last[k - 1]);
    x->space_only |= lo == 0;
    x->min = mul_len(lo, x->min);
    x->max = mul_len(hi, x->max);
    return failed ? -1 : 0;
}

/* ---------------------------------------------------------------- the syntax tree ----------- */

/* What the parser makes of a pattern. Groups leave no node of their own. */
typedef enum node_kind {
    N_EMPTY,    /* an anchor, \B, flags, a comment: consumes nothing, says nothing */
    N_SET,      /* one character of `set` */
    N_ANYTEXT,  /* any text at all: what case-insensitive letters are taken for */
    N_BOUNDARY, /* \b */
    N_BEHIND,   /* (?<=...) or, negative, (?<!...) */
    N_AHEAD,    /* (?=...) or (?!...) */
    N_SEQ,
    N_ALT,
    N_REPEAT    /* kids[0]{lo,hi} */
} node_kind;

typedef struct node {
    node_kind kind;
    const USet *set;
    int negative;
    int32_t lo, hi;
    struct node **kids;
    size_t n_kids, cap_kids;
    struct node *next_allocated;
} node;

typedef struct parser {
    xlate_shape_reader *r;
    const char *p, *end;
    int comments; /* (?x) in effect */
    int caseless; /* (?i) in effect */
    int uword;    /* (?w) in effect: \b follows Unicode word rules, not read */
    int failed;   /* syntax the reader does not know, or out of memory */
    node *allocated;
    USet **literals; /* sets of single characters the parse made */
    size_t n_literals, cap_literals;
} parser;

static void fail(parser *ps) {
    ps->failed = 1;
}

static node *new_node(parser *ps, node_kind kind) {
    node *n = calloc(1, sizeof *n);
    if (!n) {
        fail(ps);
        return NULL;
    }
    n->kind = kind;
    n->next_allocated = ps->allocated;
    ps->allocated = n;
    return n;
}

static void add_kid(parser *ps, node *parent, node *kid) {
    if (!parent || !kid)
        return;
    if (parent->n_kids == parent->cap_kids) {
        size_t cap = parent->cap_kids ? parent->cap_kids * 2 : 4;
        node **p = realloc(parent->kids, cap * sizeof *p);
        if (!p) {
            fail(ps);
            return;
        }
        parent->kids = p;
        parent->cap_kids = cap;
    }
    parent->kids[parent->n_kids++] = kid;
}

static void free_parse(parser *ps) {
    for (node *n = ps->allocated, *next; n; n = next) {
        next = n->next_allocated;
        free(n->kids);
        free(n);
    }
    for (size_t i = 0; i < ps->n_literals; i++)
        uset_close(ps->literals[i]);
    free(ps->literals);
}

/* ---------------------------------------------------------------- the parser ---------------- */

/* The code point at p (negative for bad UTF-8) and its length in *n. */
static UChar32 peek_cp(const parser *ps, int32_t *n) {
    int32_t i = 0, len = (int32_t)(ps->end - ps->p > 4 ? 4 : ps->end - ps->p);
    UChar32 c;
    U8_NEXT((const uint8_t *)ps->p, i, len, c);
    *n = i ? i : 1;
    return c;
}

/* ICU's Pattern_White_Space, which (?x) ignores. */
static int is_pattern_space(UChar32 c) {
    return (c >= 0x09 && c <= 0x0D) || c == ' ' || c == 0x85 || c == 0x200E || c == 0x200F ||
           c == 0x2028 || c == 0x2029;
}

/* Under (?x), white space and # comments (to the end of the line, as ICU ends them) are not
 * part of the pattern. */
static void skip_comments(parser *ps) {
    while (ps->comments && ps->p < ps->end) {
        int32_t n;
        UChar32 c = peek_cp(ps, &n);
        if (c == '#') {
            while (ps->p < ps->end) {
                c = peek_cp(ps, &n);
                if (c == '\n' || c == '\r' || c == 0x85 || c == 0x2028)
                    break;
                ps->p += n;
            }
        } else if (is_pattern_space(c)) {
            ps->p += n;
        } else {
            break;
        }
    }
}

static int at(parser *ps, char c) {
    return ps->p < ps->end && *ps->p == c;
}

static int starts(const parser *ps, const char *s) {
    size_t n = strlen(s);
    return (size_t)(ps->end - ps->p) >= n && memcmp(ps->p, s, n) == 0;
}

/* Whether white space or a comment, which (?x) would drop, comes next. */
static int next_is_comment(const parser *ps) {
    int32_t n;
    return ps->comments && ps->p < ps->end &&
           (*ps->p == '#' || is_pattern_space(peek_cp(ps, &n)));
}

/* One character from `set`; under (?i) any text, since case folding can match more than one
 * character or fewer. */
static node *set_node(parser *ps, const USet *set) {
    node *n = new_node(ps, ps->caseless ? N_ANYTEXT : N_SET);
    if (n)
        n->set = set;
    return n;
}

/* A one-character atom whose set ICU tells: [..], \p{..}, \s and the like. */
static node *read_set_atom(parser *ps, const char *from) {
    if (ps->failed)
        return NULL;
    const USet *set = atom_set(ps->r, from, (size_t)(ps->p - from), ps->comments);
    if (!set) {
        fail(ps);
        return NULL;
    }
    return set_node(ps, set);
}

static node *read_literal(parser *ps, UChar32 c) {
    if (ps->n_literals == ps->cap_literals) {
        size_t cap = ps->cap_literals ? ps->cap_literals * 2 : 32;
        USet **p = realloc(ps->literals, cap * sizeof *p);
        if (!p) {
            fail(ps);
            return NULL;
        }
        ps->literals = p;
        ps->cap_literals = cap;
    }
    USet *set = uset_open(c, c);
    if (!set) {
        fail(ps);
        return NULL;
    }
    ps->literals[ps->n_literals++] = set;
    return set_node(ps, set);
}

/* Skips a {...} argument of an escape; fails on anything a name or a number has not. */
static void skip_braces(parser *ps) {
    if (!at(ps, '{')) {
        fail(ps);
        return;
    }
    const char *close = memchr(ps->p, '}', (size_t)(ps->end - ps->p));
    if (!close) {
        fail(ps);
        return;
    }
    for (const char *q = ps->p + 1; q < close; q++)
        if (*q == '[' || *q == ']' || *q == '\\' || *q == '{' || *q == '#' ||
            is_pattern_space((unsigned char)*q))
            fail(ps);
    ps->p = close + 1;
}

static int is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static void skip_hex(parser *ps, int n) {
    for (int i = 0; i < n; i++, ps->p++)
        if (ps->p >= ps->end || !is_hex(*ps->p)) {
            fail(ps);
            return;
        }
}

/* After the backslash. */
static node *read_escape(parser *ps, const char *from) {
    if (ps->p >= ps->end) {
        fail(ps);
        return NULL;
    }
    int32_t n;
    UChar32 c = peek_cp(ps, &n);
    ps->p += n;
    if (c < 0) {
        fail(ps);
        return NULL;
    }
    if (c < 0x80 && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
        return read_literal(ps, c); /* \. \( \\ \  : the character itself */
    switch (c) {
    case 'n': return read_literal(ps, '\n');
    case 't': return read_literal(ps, '\t');
    case 'r': return read_literal(ps, '\r');
    case 'f': return read_literal(ps, '\f');
    case 'a': return read_literal(ps, 0x07);
    case 'e': return read_literal(ps, 0x1B);
    case 'b':
        return new_node(ps, ps->uword ? N_EMPTY : N_BOUNDARY);
    case 'B': case 'A': case 'z': case 'Z':
        return new_node(ps, N_EMPTY); /* anchors consume nothing */
    case 's': case 'S': case 'd': case 'D': case 'w': case 'W': case 'h': case 'H': case 'v':
    case 'V':
        break;
    case 'p': case 'P':
        if (at(ps, '{'))
            skip_braces(ps);
        else if (ps->p < ps->end &&
                 ((*ps->p >= 'A' && *ps->p <= 'Z') || (*ps->p >= 'a' && *ps->p <= 'z')))
            ps->p++;
        else
            fail(ps);
        break;
    case 'N':
        skip_braces(ps);
        break;
    case 'x':
        if (at(ps, '{'))
            skip_braces(ps);
        else
            skip_hex(ps, 2);
        break;
    case 'u':
        skip_hex(ps, 4);
        break;
    case 'U':
        skip_hex(ps, 8);
        break;
    default:
        fail(ps); /* \G, \X, \R, \Q, \k, back-references, octal, \c: not read */
        return NULL;
    }
    return read_set_atom(ps, from);
}

/* A [set]: finds where it ends the way ICU reads it (nested sets, escapes, and under (?x)
 * comments, which ICU strips inside sets too), then asks ICU what it takes. */
static node *read_bracket(parser *ps) {
    const char *from = ps->p;
    int depth = 0;
    while (ps->p < ps->end) {
        skip_comments(ps);
        if (ps->p >= ps->end)
            break;
        char c = *ps->p;
        if (c == '\\') {
            ps->p++;
            if (ps->p >= ps->end) {
                fail(ps);
                return NULL;
            }
            char e = *ps->p;
            if (e == 'Q' || e == 'E') {
                fail(ps);
                return NULL;
            }
            int32_t n;
            peek_cp(ps, &n);
            ps->p += n;
            if ((e == 'p' || e == 'P' || e == 'N' || e == 'x') && at(ps, '{'))
                skip_braces(ps);
            if (ps->failed)
                return NULL;
            continue;
        }
        ps->p++;
        if (c == '[') {
            depth++;
            skip_comments(ps);
            if (at(ps, '^'))
                ps->p++;
            skip_comments(ps);
            if (at(ps, ']')) {
                fail(ps); /* a leading ]: a reading this parser does not vouch for */
                return NULL;
            }
        } else if (c == ']' && --depth == 0) {
            return read_set_atom(ps, from);
        }
    }
    fail(ps); /* unterminated */
    return NULL;
}

static node *read_alternation(parser *ps);

static int is_flag(char c) {
    return c == 'i' || c == 'm' || c == 's' || c == 'w' || c == 'x' || c == 'u' || c == 'd';
}

/* (?ismwx-ismwx) or (?ismwx-ismwx: ...): sets the flags; returns 1 when a ':' group follows. */
static int read_flags(parser *ps) {
    int on = 1;
    for (; ps->p < ps->end && *ps->p != ')' && *ps->p != ':'; ps->p++) {
        char c = *ps->p;
        if (c == '-' && on) {
            on = 0;
        } else if (is_flag(c)) {
            if (c == 'x')
                ps->comments = on;
            else if (c == 'i')
                ps->caseless = on;
            else if (c == 'w')
                ps->uword = on;
        } else {
            fail(ps);
            return 0;
        }
    }
    if (ps->p >= ps->end) {
        fail(ps);
        return 0;
    }
    return *ps->p++ == ':';
}

/* What a comment or a flag setting stands for. A quantifier after one is not read: whose
 * quantifier it would be is ICU's business. */
static node *nothing_quantified(parser *ps) {
    skip_comments(ps);
    if (at(ps, '?') || at(ps, '*') || at(ps, '+') || at(ps, '{'))
        fail(ps);
    return new_node(ps, N_EMPTY);
}

/* After '('. Flags set inside a group end with it. */
static node *read_group(parser *ps) {
    int saved_comments = ps->comments, saved_caseless = ps->caseless, saved_uword = ps->uword;
    node *around = NULL; /* a look-around holding the group */
    if (next_is_comment(ps))
        fail(ps); /* "( ?" under (?x): not read */
    if (at(ps, '?')) {
        ps->p++;
        if (next_is_comment(ps))
            fail(ps);
        if (starts(ps, "#")) { /* (?# comment ) */
            const char *close = memchr(ps->p, ')', (size_t)(ps->end - ps->p));
            if (!close)
                fail(ps);
            else
                ps->p = close + 1;
            return nothing_quantified(ps);
        }
        if (starts(ps, ":") || starts(ps, ">")) {
            ps->p++;
        } else if (starts(ps, "=") || starts(ps, "!")) {
            around = new_node(ps, N_AHEAD);
            if (around)
                around->negative = *ps->p == '!';
            ps->p++;
        } else if (starts(ps, "<=") || starts(ps, "<!")) {
            around = new_node(ps, N_BEHIND);
            if (around)
                around->negative = ps->p[1] == '!';
            ps->p += 2;
        } else if (starts(ps, "<")) { /* (?<name> ...): a capturing group */
            const char *q = ps->p + 1;
            while (q < ps->end && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
                                   (*q >= '0' && *q <= '9')))
                q++;
            if (q == ps->p + 1 || q >= ps->end || *q != '>') {
                fail(ps);
                return NULL;
            }
            ps->p = q + 1;
        } else if (!read_flags(ps)) {
            return nothing_quantified(ps); /* (?x): the flags go on to the end of the group */
        }
    }
    node *inner = read_alternation(ps);
    ps->comments = saved_comments;
    ps->caseless = saved_caseless;
    ps->uword = saved_uword;
    if (!at(ps, ')'))
        fail(ps);
    else
        ps->p++;
    if (ps->failed)
        return NULL;
    if (around) {
        add_kid(ps, around, inner);
        return around;
    }
    return inner;
}

static int read_number(parser *ps, int32_t *v) {
    if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
        return 0;
    int64_t n = 0;
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
        n = n * 10 + (*ps->p++ - '0');
        if (n > LEN_CAP)
            n = LEN_CAP;
    }
    *v = (int32_t)n;
    return 1;
}

/* A quantifier after an atom, if any: *lo, *hi (UNBOUNDED). Returns 0 when there is none. */
static int read_quantifier(parser *ps, int32_t *lo, int32_t *hi) {
    skip_comments(ps);
    if (ps->p >= ps->end)
        return 0;
    switch (*ps->p) {
    case '?': *lo = 0; *hi = 1; ps->p++; break;
    case '*': *lo = 0; *hi = UNBOUNDED; ps->p++; break;
    case '+': *lo = 1; *hi = UNBOUNDED; ps->p++; break;
    case '{':
        ps->p++;
        if (!read_number(ps, lo)) {
            fail(ps);
            return 0;
        }
        *hi = *lo;
        if (at(ps, ',')) {
            ps->p++;
            if (!read_number(ps, hi))
                *hi = UNBOUNDED;
        }
        if (!at(ps, '}') || (*hi != UNBOUNDED && *hi < *lo)) {
            fail(ps);
            return 0;
        }
        ps->p++;
        break;
    default:
        return 0;
    }
    skip_comments(ps);
    if (at(ps, '?') || at(ps, '+')) /* lazy or possessive: the same strings */
        ps->p++;
    return 1;
}

static node *read_atom(parser *ps) {
    int32_t n;
    UChar32 c = peek_cp(ps, &n);
    const char *from = ps->p;
    switch (c) {
    case '(':
        ps->p++;
        return read_group(ps);
    case '[':
        return read_bracket(ps);
    case '\\':
        ps->p++;
        return read_escape(ps, from);
    case '.':
        ps->p++;
        return set_node(ps, ps->r->any);
    case '^': case '$':
        ps->p++;
        return new_node(ps, N_EMPTY);
    case '*': case '+': case '?': case '{': case '}': case ']': case ')': case '|':
        fail(ps);
        return NULL;
    default:
        if (c < 0) {
            fail(ps);
            return NULL;
        }
        ps->p += n;
        return read_literal(ps, c);
    }
}

static node *read_sequence(parser *ps) {
    node *seq = new_node(ps, N_SEQ);
    for (;;) {
        skip_comments(ps);
        if (ps->failed || ps->p >= ps->end || at(ps, '|') || at(ps, ')'))
            return ps->failed ? NULL : seq;
        node *item = read_atom(ps);
        int32_t lo, hi;
        if (!ps->failed && read_quantifier(ps, &lo, &hi)) {
            node *rep = new_node(ps, N_REPEAT);
            if (rep) {
                rep->lo = lo;
                rep->hi = hi;
                add_kid(ps, rep, item);
            }
            item = rep;
            skip_comments(ps);
            if (at(ps, '?') || at(ps, '*') || at(ps, '+') || at(ps, '{'))
                fail(ps); /* a quantifier of a quantifier: not read */
        }
        if (!ps->failed)
            add_kid(ps, seq, item);
    }
}

static node *read_alternation(parser *ps) {
    node *first = read_sequence(ps);
    if (ps->failed || !at(ps, '|'))
        return first;
    node *alt = new_node(ps, N_ALT);
    add_kid(ps, alt, first);
    while (!ps->failed && at(ps, '|')) {
        ps->p++;
        add_kid(ps, alt, read_sequence(ps));
    }
    return ps->failed ? NULL : alt;
}

/* ---------------------------------------------------------------- shapes of trees ----------- */

static int wshape_of(const node *n, const USet *space, const USet *any, wshape *out) {
    wshape_empty(out);
    switch (n->kind) {
    case N_EMPTY: case N_BOUNDARY: case N_BEHIND: case N_AHEAD:
        return 0; /* zero-width: what they demand is left out, which only widens the shape */
    case N_SET:
        return wshape_char(out, n->set, space);
    case N_ANYTEXT:
        if (wshape_char(out, any, space) != 0)
            return -1;
        return wshape_repeat(out, 0, UNBOUNDED);
    case N_REPEAT:
        if (wshape_of(n->kids[0], space, any, out) != 0)
            return -1;
        return wshape_repeat(out, n->lo, n->hi);
    case N_SEQ:
    case N_ALT:
        for (size_t i = 0; i < n->n_kids; i++) {
            wshape kid;
            if (wshape_of(n->kids[i], space, any, &kid) != 0) {
                wshape_free(&kid);
                return -1;
            }
            if (i == 0) {
                *out = kid;
                continue;
            }
            if ((n->kind == N_SEQ ? wshape_concat(out, &kid) : wshape_alternate(out, &kid)) != 0)
                return -1;
        }
        return 0;
    }
    return -1;
}

/* ---------------------------------------------------------------- suffix tries -------------- */

/* An expression that matches finitely many strings (abbreviation lists do) is known exactly, not
 * just place by place: its strings, read backwards, make a trie that tells whether the text
 * before a position ends with one of them. A \b at the start of a string before a word character
 * is kept: ICU finds a boundary there only after a character that is not a word character, or
 * one it skips (combining marks, format characters). */

enum { MAX_STRINGS = 2048, MAX_STRING_LEN = 48 };

typedef struct item {
    const USet *set; /* NULL: a word boundary */
} item;

typedef struct string_list {
    item *items;     /* the strings one after another */
    size_t *starts;  /* string k is items[starts[k], starts[k + 1]) */
    size_t n, n_items;
} string_list;

static void strings_free(string_list *l) {
    free(l->items);
    free(l->starts);
    memset(l, 0, sizeof *l);
}

static size_t string_len(const string_list *l, size_t k) {
    return l->starts[k + 1] - l->starts[k];
}

/* A list of `n` strings with room for `n_items` items. */
static int strings_alloc(string_list *l, size_t n, size_t n_items) {
    l->items = malloc((n_items ? n_items : 1) * sizeof *l->items);
    l->starts = malloc((n + 1) * sizeof *l->starts);
    l->n = 0;
    l->n_items = 0;
    if (!l->items || !l->starts) {
        strings_free(l);
        return -1;
    }
    l->starts[0] = 0;
    return 0;
}

static void strings_push(string_list *l, const item *a, size_t na, const item *b, size_t nb) {
    if (na)
        memcpy(l->items + l->n_items, a, na * sizeof *a);
    if (nb)
        memcpy(l->items + l->n_items + na, b, nb * sizeof *b);
    l->n_items += na + nb;
    l->starts[++l->n] = l->n_items;
}

static int strings_single(string_list *l, const item *it) {
    if (strings_alloc(l, 1, 1) != 0)
        return -1;
    strings_push(l, it, it ? 1 : 0, NULL, 0);
    return 0;
}

/* x := every string of x followed by every string of y (y is freed). */
static int strings_concat(string_list *x, string_list *y) {
    string_list z;
    size_t n = x->n * y->n, n_items = x->n_items * y->n + y->n_items * x->n;
    int rc = -1;
    if (n <= MAX_STRINGS && strings_alloc(&z, n, n_items) == 0) {
        rc = 0;
        for (size_t i = 0; i < x->n; i++)
            for (size_t j = 0; j < y->n; j++) {
                if (string_len(x, i) + string_len(y, j) > MAX_STRING_LEN)
                    rc = -1;
                strings_push(&z, x->items + x->starts[i], string_len(x, i),
                             y->items + y->starts[j], string_len(y, j));
            }
        strings_free(x);
        *x = z;
    }
    strings_free(y);
    return rc;
}

/* x := x and y (y is freed). */
static int strings_union(string_list *x, string_list *y) {
    string_list z;
    int rc = -1;
    if (x->n + y->n <= MAX_STRINGS && strings_alloc(&z, x->n + y->n, x->n_items + y->n_items) == 0) {
        for (size_t i = 0; i < x->n; i++)
            strings_push(&z, x->items + x->starts[i], string_len(x, i), NULL, 0);
        for (size_t j = 0; j < y->n; j++)
            strings_push(&z, y->items + y->starts[j], string_len(y, j), NULL, 0);
        strings_free(x);
        *x = z;
        rc = 0;
    }
    strings_free(y);
    return rc;
}

/* The strings `n` matches, or -1 when they are too many or infinitely many. Look-arounds and
 * anchors match the empty string here: that only adds strings. */
static int strings_of(const node *n, string_list *out) {
    memset(out, 0, sizeof *out);
    switch (n->kind) {
    case N_EMPTY: case N_BEHIND: case N_AHEAD:
        return strings_single(out, NULL);
    case N_BOUNDARY: {
        item boundary = {NULL};
        return strings_single(out, &boundary);
    }
    case N_SET: {
        item one = {n->set};
        return strings_single(out, &one);
    }
    case N_ANYTEXT:
        return -1;
    case N_REPEAT: {
        if (n->hi == UNBOUNDED || n->hi > MAX_STRING_LEN)
            return -1;
        string_list one, power;
        if (strings_of(n->kids[0], &one) != 0 || strings_single(&power, NULL) != 0) {
            strings_free(&one);
            return -1;
        }
        int rc = 0;
        if (n->lo == 0)
            rc = strings_single(out, NULL);
        for (int32_t k = 1; rc == 0 && k <= n->hi; k++) {
            string_list copy;
            rc = strings_alloc(&copy, one.n, one.n_items);
            for (size_t i = 0; rc == 0 && i < one.n; i++)
                strings_push(&copy, one.items + one.starts[i], string_len(&one, i), NULL, 0);
            if (rc == 0)
                rc = strings_concat(&power, &copy); /* power: the strings of k copies */
            if (rc == 0 && k >= n->lo) {
                string_list add;
                rc = strings_alloc(&add, power.n, power.n_items);
                for (size_t i = 0; rc == 0 && i < power.n; i++)
                    strings_push(&add, power.items + power.starts[i], string_len(&power, i),
                                 NULL, 0);
                if (rc == 0)
                    rc = out->n ? strings_union(out, &add) : (*out = add, 0);
            }
        }
        strings_free(&one);
        strings_free(&power);
        return rc;
    }
    case N_SEQ:
    case N_ALT: {
        if (strings_single(out, NULL) != 0)
            return -1;
        for (size_t i = 0; i < n->n_kids; i++) {
            string_list kid;
            if (strings_of(n->kids[i], &kid) != 0) {
                strings_free(&kid);
                return -1;
            }
            if (n->kind == N_ALT && i == 0) {
                strings_free(out);
                *out = kid;
                continue;
            }
            if ((n->kind == N_SEQ ? strings_concat(out, &kid) : strings_union(out, &kid)) != 0)
                return -1;
        }
        return 0;
    }
    }
    return -1;
}

typedef struct trie_edge {
    const xlate_charbits *set; /* NULL: the single unit `unit` */
    UChar unit;
    uint32_t child;
    uint32_t next; /* the next edge of the same node, or NO_EDGE */
} trie_edge;

#define NO_EDGE UINT32_MAX

typedef struct trie_node {
    uint32_t first_edge;   /* while building, a list through `next`; then edges[first, +n) */
    uint32_t n_edges;
    uint8_t ends;          /* a string starts here */
    uint8_t ends_at_word;  /* a string starts here, after a word boundary */
} trie_node;

struct xlate_suffix_trie {
    trie_node *nodes;
    trie_edge *edges;
    size_t n_nodes, cap_nodes, n_edges, cap_edges;
    const xlate_charbits *not_before_word; /* what a boundary before a word character allows */
};

static int trie_add_node(xlate_suffix_trie *t) {
    if (t->n_nodes == t->cap_nodes) {
        size_t cap = t->cap_nodes ? t->cap_nodes * 2 : 64;
        trie_node *p = realloc(t->nodes, cap * sizeof *p);
        if (!p)
            return -1;
        t->nodes = p;
        t->cap_nodes = cap;
    }
    t->nodes[t->n_nodes++] = (trie_node){NO_EDGE, 0, 0, 0};
    return (int)(t->n_nodes - 1);
}

/* The child of node `from` along `set` (a single unit when it holds one), made when missing. */
static int trie_child(xlate_suffix_trie *t, uint32_t from, const xlate_charbits *set,
                      UChar unit) {
    for (uint32_t e = t->nodes[from].first_edge; e != NO_EDGE; e = t->edges[e].next)
        if (t->edges[e].set == set && (set || t->edges[e].unit == unit))
            return (int)t->edges[e].child;
    int child = trie_add_node(t);
    if (child < 0)
        return -1;
    if (t->n_edges == t->cap_edges) {
        size_t cap = t->cap_edges ? t->cap_edges * 2 : 64;
        trie_edge *p = realloc(t->edges, cap * sizeof *p);
        if (!p)
            return -1;
        t->edges = p;
        t->cap_edges = cap;
    }
    t->edges[t->n_edges] = (trie_edge){set, unit, (uint32_t)child, t->nodes[from].first_edge};
    t->nodes[from].first_edge = (uint32_t)t->n_edges++;
    return child;
}

/* Lays each node's edges out side by side, for the walk. */
static int trie_freeze(xlate_suffix_trie *t) {
    trie_edge *edges = malloc((t->n_edges ? t->n_edges : 1) * sizeof *edges);
    if (!edges)
        return -1;
    uint32_t k = 0;
    for (size_t i = 0; i < t->n_nodes; i++) {
        uint32_t first = k;
        for (uint32_t e = t->nodes[i].first_edge; e != NO_EDGE; e = t->edges[e].next)
            edges[k++] = t->edges[e];
        t->nodes[i].first_edge = first;
        t->nodes[i].n_edges = k - first;
    }
    free(t->edges);
    t->edges = edges;
    return 0;
}

static void trie_free(xlate_suffix_trie *t) {
    if (!t)
        return;
    free(t->nodes);
    free(t->edges);
    free(t);
}

/* The reader keeps `block` until it is freed; on failure `block` is released at once. */
static int remember(xlate_shape_reader *r, void *block, void (*release)(void *)) {
    if (r->n_owned == r->cap_owned) {
        size_t cap = r->cap_owned ? r->cap_owned * 2 : 16;
        owned_block *p = realloc(r->owned, cap * sizeof *p);
        if (!p) {
            release(block);
            return -1;
        }
        r->owned = p;
        r->cap_owned = cap;
    }
    r->owned[r->n_owned++] = (owned_block){block, release};
    return 0;
}

static void trie_release(void *t) {
    trie_free(t);
}

/* Adds one string, backwards. A boundary counts only at the start, before a set of word
 * characters ICU does not skip; anywhere else it is left out (that only adds strings). */
static int trie_add_string(xlate_shape_reader *r, xlate_suffix_trie *t, const item *s, size_t n) {
    size_t from = 0;
    int at_word = 0;
    while (from < n && !s[from].set) {
        from++;
        at_word = 1;
    }
    if (at_word && !(from < n && uset_containsAll(r->word_core, s[from].set)))
        at_word = 0;
    uint32_t node = 0;
    for (size_t i = n; i-- > from;) {
        if (!s[i].set)
            continue;
        UChar unit = 0;
        const xlate_charbits *set = NULL;
        UChar32 only = uset_size(s[i].set) == 1 ? uset_charAt(s[i].set, 0) : -1;
        if (only >= 0 && only <= 0xFFFF && !U16_IS_SURROGATE(only)) {
            unit = (UChar)only;
        } else {
            set = bits_of_set(r, s[i].set);
            if (!set)
                return -1;
            /* A set with characters outside the BMP: the walk lets surrogates pass. */
        }
        int child = trie_child(t, node, set, unit);
        if (child < 0)
            return -1;
        node = (uint32_t)child;
    }
    if (at_word)
        t->nodes[node].ends_at_word = 1;
    else
        t->nodes[node].ends = 1;
    return 0;
}

/* The trie of the strings `n` matches, kept by the reader; NULL when there are too many. */
static const xlate_suffix_trie *suffixes_of(xlate_shape_reader *r, const node *n) {
    string_list strings;
    if (strings_of(n, &strings) != 0) {
        strings_free(&strings);
        return NULL;
    }
    xlate_suffix_trie *t = calloc(1, sizeof *t);
    int failed = !t || trie_add_node(t) != 0;
    for (size_t k = 0; !failed && k < strings.n; k++)
        failed = trie_add_string(r, t, strings.items + strings.starts[k], string_len(&strings, k));
    strings_free(&strings);
    if (failed) {
        trie_free(t);
        return NULL;
    }
    t->not_before_word = r->not_before_word;
    if (trie_freeze(t) != 0) {
        trie_free(t);
        return NULL;
    }
    return remember(r, t, trie_release) == 0 ? t : NULL;
}

int xlate_suffix_trie_may_end_at(const xlate_suffix_trie *t, const UChar *text, int32_t p) {
    struct { uint32_t node; int32_t pos; } stack[128];
    int top = 0;
    stack[top++].node = 0;
    stack[0].pos = p;
    while (top > 0) {
        uint32_t node = stack[--top].node;
        int32_t q = stack[top].pos; /* the string read so far starts at q */
        const trie_node *tn = &t->nodes[node];
        if (tn->ends)
            return 1;
        if (tn->ends_at_word &&
            (q == 0 || U16_IS_SURROGATE(text[q - 1]) ||
             xlate_charbits_has(t->not_before_word, text[q - 1])))
            return 1;
        if (q == 0)
            continue;
        UChar c = text[q - 1];
        if (U16_IS_SURROGATE(c))
            return 1; /* code points and units part ways: let it pass */
        const trie_edge *te = t->edges + tn->first_edge;
        for (uint32_t e = 0; e < tn->n_edges; e++, te++) {
            if (te->set ? !xlate_charbits_has(te->set, c) : te->unit != c)
                continue;
            if (top == (int)(sizeof stack / sizeof stack[0]))
                return 1; /* too many ways to follow: let it pass */
            stack[top].node = te->child;
            stack[top++].pos = q - 1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- results ------------------- */

/* A bitmap's hash, a word at a time: xlate_hash takes a byte at a time, eight times the work on
 * the bitmaps of a rule file's sets, which every segmenter made from the file waits for. */
static uint64_t bitmap_hash(const void *data, size_t len) {
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325ull, w;
    for (size_t i = 0; i + sizeof w <= len; i += sizeof w) {
        memcpy(&w, p + i, sizeof w);
        h = (h ^ w) * 0x100000001b3ull;
        h ^= h >> 29;
    }
    return h;
}

/* The reader's copy of `bits` (the pool's key; `bits` itself is freed): rules share most of
 * their sets, and each bitmap is 8 KB. NULL when out of memory. */
static const xlate_charbits *intern_bits(xlate_shape_reader *r, xlate_charbits *bits) {
    xlate_hashtab_entry *e;
    int rc = r->pool || xlate_hashtab_new_hashed(NULL, bitmap_hash, &r->pool) == 0
                 ? xlate_hashtab_add(r->pool, bits, XLATE_CHARBITS_WORDS * sizeof *bits, NULL, &e)
                 : -1;
    free(bits);
    return rc < 0 ? NULL : (const xlate_charbits *)(const void *)e->key;
}

/* The bitmap of a set, kept by the reader; NULL when out of memory. */
static const xlate_charbits *bits_of_set(xlate_shape_reader *r, const USet *set) {
    xlate_charbits *bits = calloc(XLATE_CHARBITS_WORDS, sizeof *bits);
    if (!bits)
        return NULL;
    int32_t items = set ? uset_getItemCount(set) : 0;
    for (int32_t k = 0; k < items; k++) {
        UChar32 lo, hi;
        UErrorCode status = U_ZERO_ERROR;
        if (uset_getItem(set, k, &lo, &hi, NULL, 0, &status) != 0)
            continue; /* a string: sets here hold none */
        if (hi > 0xFFFF)
            hi = 0xFFFF;
        for (UChar32 c = lo; c <= hi; c++)
            if (!U16_IS_SURROGATE(c))
                bits[c >> 6] |= (uint64_t)1 << (c & 63);
    }
    return intern_bits(r, bits);
}

/* The bitmap of a set, or NULL when it holds every BMP character (no test needed). */
static int bits_or_any(xlate_shape_reader *r, const USet *set, const xlate_charbits **out) {
    *out = NULL;
    if (set && uset_containsRange(set, 0, 0xD7FF) && uset_containsRange(set, 0xE000, 0xFFFF))
        return 0;
    *out = bits_of_set(r, set);
    return *out ? 0 : -1;
}

/* A shape that claims nothing. */
static void shape_any(xlate_shape *s) {
    memset(s, 0, sizeof *s);
    s->max_len = XLATE_SHAPE_UNBOUNDED;
    s->space_only = 1;
}

static int shape_from(xlate_shape_reader *r, const wshape *w, xlate_shape *out) {
    memset(out, 0, sizeof *out);
    out->min_len = w->min;
    out->max_len = w->max;
    out->space_only = w->space_only;
    int failed = 0;
    for (int k = 0; k < DEPTH; k++) {
        /* Places a short match does not reach hold any character. */
        if (w->min > k)
            failed |= bits_or_any(r, w->first[k], &out->first[k]) ||
                      bits_or_any(r, w->last[k], &out->last[k]);
    }
    failed |= bits_or_any(r, w->all, &out->all);
    if (!w->space_only)
        failed |= bits_or_any(r, w->nonspace, &out->first_nonspace);
    return failed ? -1 : 0;
}

static int shape_of_node(xlate_shape_reader *r, const node *n, int depth, xlate_shape *out);

/* The positive look-arounds of kind `kind` at the end (N_BEHIND) or the start (N_AHEAD) of `n`,
 * where nothing but zero-width items lies between them and that end: up to `max`. */
static int outer_lookarounds(const node *n, node_kind kind, const node **found, int max) {
    if (n->kind == kind)
        return !n->negative && max > 0 ? (found[0] = n->kids[0], 1) : 0;
    if (n->kind != N_SEQ)
        return 0;
    int count = 0;
    for (size_t i = 0; i < n->n_kids && count < max; i++) {
        const node *kid = n->kids[kind == N_BEHIND ? n->n_kids - 1 - i : i];
        if (kid->kind == kind && !kid->negative)
            found[count++] = kid->kids[0];
        else if (kid->kind != N_EMPTY && kid->kind != N_BOUNDARY && kid->kind != N_BEHIND &&
                 kid->kind != N_AHEAD)
            break;
    }
    return count;
}

/* Shapes of the look-arounds `found`, kept by the reader. */
static const xlate_shape *shapes_of_nodes(xlate_shape_reader *r, const node **found, int n,
                                          int depth, int32_t *count) {
    *count = 0;
    if (n == 0)
        return NULL;
    xlate_shape *shapes = calloc((size_t)n, sizeof *shapes);
    if (!shapes || remember(r, shapes, free) != 0)
        return NULL;
    for (int i = 0; i < n; i++)
        if (shape_of_node(r, found[i], depth + 1, &shapes[*count]) == 0)
            (*count)++;
    return shapes;
}

enum { MAX_LOOKAROUNDS = 4, MAX_NESTING = 3 };

static int shape_of_node(xlate_shape_reader *r, const node *n, int depth, xlate_shape *out) {
    shape_any(out);
    wshape w;
    int rc = wshape_of(n, r->space, r->any, &w) == 0 ? shape_from(r, &w, out) : -1;
    wshape_free(&w);
    if (rc != 0) {
        shape_any(out);
        return -1;
    }
    if (depth < MAX_NESTING) {
        const node *found[MAX_LOOKAROUNDS];
        int n_found = outer_lookarounds(n, N_BEHIND, found, MAX_LOOKAROUNDS);
        out->tails = shapes_of_nodes(r, found, n_found, depth, &out->n_tails);
        n_found = outer_lookarounds(n, N_AHEAD, found, MAX_LOOKAROUNDS);
        out->heads = shapes_of_nodes(r, found, n_found, depth, &out->n_heads);
    }
    out->suffixes = suffixes_of(r, n);
    return 0;
}

int xlate_shape_read(xlate_shape_reader *r, const char *pattern, xlate_shape *out) {
    shape_any(out);
    parser ps = {0};
    ps.r = r;
    ps.p = pattern;
    ps.end = pattern + strlen(pattern);
    node *root = read_alternation(&ps);
    if (ps.p != ps.end)
        ps.failed = 1; /* a ')' without its '(': ICU would not have compiled it */
    int rc = ps.failed || !root ? -1 : shape_of_node(r, root, 0, out);
    free_parse(&ps);
    return rc;
}
