/*
 * dictfilter: writes the entries of a hunspell .dic that can matter for a vocabulary (see
 * dictfilter.h). Why the kept entries suffice, for the .aff files accepted here:
 *
 * hunspell analyses a word W (after its input conversion, ICONV, and without IGNORE characters)
 * as W itself, all small, and with an initial capital, and for each form F finds the entries E
 * with F == E, or F == E minus a suffix rule's strip plus its affix. Either way E, less its last
 * `strip` bytes, is a prefix of F; so E less its last m bytes, m the longest strip of E's flags,
 * is a prefix of F. Folded, that prefix is a prefix of fold(W) — as long as hunspell's case
 * mapping and ICU's folding agree, which is checked character by character: where they may not
 * (outside ASCII and basic Cyrillic), the comparison stops and any longer entry is kept. Every
 * entry that passes this test for some vocabulary word is kept, with every entry whose folded
 * word equals a kept entry's or a vocabulary word's (the stems of other words that can meet a
 * vocabulary word's keys). Each analysis comes from one entry alone (no compounds, prefixes,
 * two-level suffixes, forbidden or need-affix flags), so removing the other entries removes only
 * their own stems. Lines the filter cannot read are kept as they are.
 *
 * Focus (later, when the keys a matcher compares are known): the entries whose folded word is a
 * key can analyse only the forms "entry less a strip it ends with, plus that rule's affix"; a word
 * none of whose case forms is one of those cannot get such a stem, and needs no hunspell call.
 * The same entries, and the suffix rules that can rebuild one of them, make the core .dic and
 * .aff: by the one-entry argument above, hunspell loaded with them gives each word the stems
 * among the keys that the whole dictionary gives (the glossary's cache loads only those).
 */
#include "casefold.h"
#include "dictfilter.h"

#include "strtab.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucasemap.h>
#include <unicode/utf8.h>

#define MAX_CONV_PAIRS 1024
#define MAX_IGNORED 64
#define MAX_TOKENS 8
/* A bit per 2^BLOOM_BITS hash values in front of each string set: most entries of the .dic are
 * in neither set, and the bits (128 KB) answer them from cache where the table would miss. */
#define BLOOM_BITS 20

typedef struct conv_pair {
    const char *from, *to;
    size_t from_len, to_len;
} conv_pair;

/* What the filter needs of the .aff. */
typedef struct aff_model {
    uint8_t max_strip[256]; /* per (one-byte) flag: longest strip of its suffix rules, bytes */
    const char **rules[256]; /* per flag: strip, affix, strip, affix ... (into the .aff text) */
    size_t n_rules[256], rules_cap[256];
    conv_pair conv[MAX_CONV_PAIRS];
    size_t n_conv;
    uint8_t conv_first[256]; /* 1 for each byte some pair's `from` starts with */
    UChar32 ignored[MAX_IGNORED];
    size_t n_ignored;
} aff_model;

/* A string set with a one-hash Bloom filter in front. */
typedef struct string_set {
    xlate_strtab table;
    uint64_t *bits;
} string_set;

typedef struct filter {
    aff_model aff;
    UCaseMap *casemap;
    char *fold, *work; /* scratch */
    size_t fold_cap, work_cap;
    string_set prefixes;  /* every prefix of the comparable part of a vocabulary word */
    string_set open_ends; /* comparable parts cut short at a character the filter cannot map */
    int open_everything;  /* a comparable part was cut at its start: every entry may match */
    string_set keys;      /* folded words whose entries are kept */
} filter;

/* A kept entry: its folded word and how much of it any word it analyses begins with. */
typedef struct kept_entry {
    uint32_t off, len; /* the folded word, in `store` */
    uint32_t flags_off, flags_len; /* its flags, in `store` */
    uint32_t line;     /* its line, in `lines` */
    int exact;         /* 0: the forms of the entry cannot be told (IGNORE characters, or
                        * characters outside case_is_plain) */
} kept_entry;

/* A kept line of the .dic, as written. */
typedef struct kept_line {
    uint32_t off, len; /* in `store` */
    int core;          /* it goes into the core dictionary (see xlate_dictfilter_core_dic) */
} kept_line;

struct xlate_dictfilter {
    filter f;           /* the .aff model, case map and scratch, for may_stem */
    char *aff_text;     /* the model points into it */
    char *aff_copy;     /* the .aff as read, until focus has written the core .aff from it */
    size_t aff_len;
    char *store;
    size_t store_len, store_cap;
    kept_entry *kept;
    size_t n_kept, kept_cap;
    kept_line *lines;
    size_t n_lines, lines_cap;
    int unread_kept;    /* a kept line the filter could not read: its word is unknown */
    char *core_dic;     /* after focus: the .dic of the lines whose word is a key */
    size_t core_dic_len;
    char *core_aff;     /* after focus: the .aff less the suffix rules no core line uses */
    size_t core_aff_len;
    string_set focus;   /* the prefixes of the entries whose word is a key */
    int focused, focus_all;
};

static int read_file(const char *path, char **out, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size > 0)
            cap = (size_t)size + 1;
        rewind(f);
    }
    for (;;) {
        if (!buf || n + 1 >= cap) {
            size_t c = !buf && cap ? cap : cap ? cap * 2 : 1 << 16;
            char *p = realloc(buf, c);
            if (!p) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = p;
            cap = c;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return -1;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

/* --- the .aff ---------------------------------------------------------------------------- */

/* Splits a line in place at spaces and tabs; returns the number of tokens. */
static int tokenize(char *line, char **tok) {
    int n = 0;
    char *s = line;
    while (*s && n < MAX_TOKENS) {
        while (*s == ' ' || *s == '\t')
            *s++ = '\0';
        if (!*s)
            break;
        tok[n++] = s;
        while (*s && *s != ' ' && *s != '\t')
            s++;
    }
    return n;
}

static int is_number(const char *s) {
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* Directives that touch suggestions only, never an analysis. */
static int only_for_suggestions(const char *d) {
    static const char *const names[] = {"TRY", "WORDCHARS", "BREAK", "REP", "MAP", "KEY", "NAME",
                                        "VERSION", "HOME", "MAXNGRAMSUGS", "MAXDIFF",
                                        "ONLYMAXDIFF", "NOSPLITSUGS", "MAXCPDSUGS",
                                        "SUGSWITHDOTS", "PHONE"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(d, names[i]) == 0)
            return 1;
    return 0;
}

static int read_suffix_line(aff_model *a, char **tok, int n) {
    if (strlen(tok[1]) != 1)
        return -1; /* multi-byte flags come with a FLAG directive, which is declined anyway */
    if (n == 4 && (strcmp(tok[2], "Y") == 0 || strcmp(tok[2], "N") == 0) && is_number(tok[3]))
        return 0; /* header: flag, cross product, count */
    if (n < 5 || strchr(tok[3], '/'))
        return -1; /* two-level suffixes */
    for (int i = 5; i < n; i++)
        if (strchr(tok[i], ':'))
            return -1; /* morphological fields may carry stems */
    size_t strip = strcmp(tok[2], "0") == 0 ? 0 : strlen(tok[2]);
    if (strip > 255)
        return -1;
    uint8_t flag = (uint8_t)tok[1][0];
    if (strip > a->max_strip[flag])
        a->max_strip[flag] = (uint8_t)strip;
    if (a->n_rules[flag] == a->rules_cap[flag]) {
        size_t cap = a->rules_cap[flag] ? a->rules_cap[flag] * 2 : 8;
        const char **v = realloc(a->rules[flag], cap * 2 * sizeof *v);
        if (!v)
            return -1;
        a->rules[flag] = v;
        a->rules_cap[flag] = cap;
    }
    const char **r = a->rules[flag] + 2 * a->n_rules[flag]++;
    r[0] = strip ? tok[2] : "";
    r[1] = strcmp(tok[3], "0") == 0 ? "" : tok[3];
    return 0;
}

static int read_conv_line(aff_model *a, char **tok, int n) {
    if (n == 2 && is_number(tok[1]))
        return 0;
    if (n < 3 || a->n_conv == MAX_CONV_PAIRS || strchr(tok[1], '_') || strchr(tok[2], '_'))
        return -1; /* anchored patterns are not modelled */
    a->conv[a->n_conv++] = (conv_pair){tok[1], tok[2], strlen(tok[1]), strlen(tok[2])};
    a->conv_first[(uint8_t)tok[1][0]] = 1;
    return 0;
}

static int read_ignore_line(aff_model *a, const char *chars) {
    int32_t i = 0, len = (int32_t)strlen(chars);
    while (i < len) {
        UChar32 c;
        U8_NEXT(chars, i, len, c);
        if (c < 0 || a->n_ignored == MAX_IGNORED)
            return -1;
        a->ignored[a->n_ignored++] = c;
    }
    return 0;
}

/* hunspell picks the pattern to apply by a binary search; with no pattern a prefix of another,
 * at most one matches at a place, and the filter's choice is the same. */
static int conv_is_unambiguous(const aff_model *a) {
    for (size_t i = 0; i < a->n_conv; i++)
        for (size_t j = 0; j < a->n_conv; j++)
            if (i != j && a->conv[i].from_len <= a->conv[j].from_len &&
                memcmp(a->conv[i].from, a->conv[j].from, a->conv[i].from_len) == 0)
                return 0;
    return 1;
}

/* Reads the .aff (kept in `text`, which the model points into). Returns 0 when every directive
 * is one the filter models, -1 otherwise. */
static int read_aff(aff_model *a, char *text) {
    char *line = text;
    if (strncmp(line, "\xEF\xBB\xBF", 3) == 0)
        line += 3;
    while (line && *line) {
        char *nl = strchr(line, '\n'), *tok[MAX_TOKENS];
        if (nl)
            *nl = '\0';
        size_t l = strlen(line);
        if (l && line[l - 1] == '\r')
            line[l - 1] = '\0';
        int n = tokenize(line, tok), rc = 0;
        if (n == 0 || tok[0][0] == '#' || only_for_suggestions(tok[0]))
            rc = 0;
        else if (strcmp(tok[0], "SET") == 0)
            rc = n >= 2 && strcmp(tok[1], "UTF-8") == 0 ? 0 : -1;
        else if (strcmp(tok[0], "SFX") == 0 && n >= 4)
            rc = read_suffix_line(a, tok, n);
        else if (strcmp(tok[0], "ICONV") == 0)
            rc = read_conv_line(a, tok, n);
        else if (strcmp(tok[0], "IGNORE") == 0 && n >= 2)
            rc = read_ignore_line(a, tok[1]);
        else
            rc = -1; /* PFX, compounds, FLAG, AF, OCONV, LANG, FORBIDDENWORD, ...: not modelled */
        if (rc != 0)
            return -1;
        line = nl ? nl + 1 : NULL;
    }
    return conv_is_unambiguous(a) ? 0 : -1;
}

/* --- comparable forms -------------------------------------------------------------------- */

static int is_ignored(const aff_model *a, UChar32 c) {
    for (size_t i = 0; i < a->n_ignored; i++)
        if (a->ignored[i] == c)
            return 1;
    return 0;
}

/* Characters whose case mapping in hunspell and folding in ICU agree. */
static int case_is_plain(UChar32 c) {
    return (c >= 0 && c < 0x80) || (c >= 0x400 && c <= 0x45F) || c == 0x490 || c == 0x491;
}

/* The word as hunspell compares it: ICONV applied (the longest pattern at each byte, as
 * hunspell does), IGNORE characters dropped. Into f->work; returns its length, or -1. */
/* Whether some ICONV pair can match in w: most words hold no byte any pair starts with, and
 * trying each of the pairs (Ukrainian's .aff has 64) at each byte was much of a first sight. */
static int may_convert(const aff_model *a, const char *w, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (a->conv_first[(uint8_t)w[i]])
            return 1;
    return 0;
}

static long as_hunspell_sees(filter *f, const char *w, size_t len, int convert) {
    if (xlate_grow_bytes(&f->work, &f->work_cap, len + 1) != 0)
        return -1;
    char *conv = NULL;
    size_t conv_len = 0, conv_cap = 0;
    const char *src = w;
    size_t src_len = len;
    if (convert && f->aff.n_conv && may_convert(&f->aff, w, len)) {
        for (size_t i = 0; i < len;) {
            const conv_pair *best = NULL;
            for (size_t k = 0; f->aff.conv_first[(uint8_t)w[i]] && k < f->aff.n_conv; k++) {
                const conv_pair *p = &f->aff.conv[k];
                if (p->from_len <= len - i && memcmp(w + i, p->from, p->from_len) == 0 &&
                    (!best || p->from_len > best->from_len))
                    best = p;
            }
            const char *add = best ? best->to : w + i;
            size_t add_len = best ? best->to_len : 1;
            if (xlate_grow_bytes(&conv, &conv_cap, conv_len + add_len + 1) != 0) {
                free(conv);
                return -1;
            }
            memcpy(conv + conv_len, add, add_len);
            conv_len += add_len;
            i += best ? best->from_len : 1;
        }
        src = conv ? conv : "";
        src_len = conv_len;
        if (xlate_grow_bytes(&f->work, &f->work_cap, src_len + 1) != 0) {
            free(conv);
            return -1;
        }
    }
    size_t o = 0;
    for (int32_t i = 0; i < (int32_t)src_len;) {
        int32_t at = i;
        UChar32 c;
        U8_NEXT(src, i, (int32_t)src_len, c);
        if (c >= 0 && is_ignored(&f->aff, c))
            continue;
        memcpy(f->work + o, src + at, (size_t)(i - at));
        o += (size_t)(i - at);
    }
    f->work[o] = '\0';
    free(conv);
    return (long)o;
}

/* Folds s into f->fold; returns the folded length, or -1. */
static long fold_case(filter *f, const char *s, size_t len) {
    return xlate_casefold(f->casemap, &f->fold, &f->fold_cap, s, len);
}

/* The Bloom filter's bit for a string: its first and last eight bytes and its length, mixed. */
static size_t bloom_bit(const char *s, size_t len) {
    uint64_t a = 0, b = 0;
    memcpy(&a, s, len < 8 ? len : 8);
    if (len > 8)
        memcpy(&b, s + len - 8, 8);
    uint64_t h = (a * 0x9E3779B97F4A7C15ULL) ^ (b * 0xC2B2AE3D27D4EB4FULL) ^ len;
    h ^= h >> 31;
    h *= 0xFF51AFD7ED558CCDULL;
    return (size_t)(h >> (64 - BLOOM_BITS));
}

static int add_once(string_set *t, const char *s, size_t len) {
    uint32_t v;
    if (!t->bits && !(t->bits = xlate_strtab_zalloc((1u << BLOOM_BITS) / 64, sizeof *t->bits)))
        return -1;
    size_t bit = bloom_bit(s, len);
    t->bits[bit / 64] |= 1ULL << (bit % 64);
    if (xlate_strtab_find(&t->table, s, len, &v))
        return 0;
    return xlate_strtab_insert(&t->table, s, len, 0);
}

static int contains(const string_set *t, const char *s, size_t len) {
    uint32_t v;
    if (!t->bits)
        return 0;
    size_t bit = bloom_bit(s, len);
    if (!(t->bits[bit / 64] & (1ULL << (bit % 64))))
        return 0;
    return xlate_strtab_find(&t->table, s, len, &v);
}

static void free_set(string_set *t) {
    xlate_strtab_free(&t->table);
    free(t->bits);
}

static int add_vocabulary_word(filter *f, const char *w, size_t len) {
    long n = fold_case(f, w, len);
    if (n < 0 || add_once(&f->keys, f->fold, (size_t)n) != 0)
        return -1;
    long seen = as_hunspell_sees(f, w, len, 1);
    if (seen < 0)
        return -1;
    int32_t plain = 0;
    int cut_short = 0;
    while (plain < (int32_t)seen) {
        int32_t next = plain;
        UChar32 c;
        U8_NEXT(f->work, next, (int32_t)seen, c);
        if (!case_is_plain(c)) {
            cut_short = 1;
            break;
        }
        plain = next;
    }
    if (cut_short && plain == 0) {
        f->open_everything = 1;
        return 0;
    }
    if ((n = fold_case(f, f->work, (size_t)plain)) < 0)
        return -1;
    for (long k = 1; k <= n; k++)
        if ((k == n || U8_IS_LEAD((uint8_t)f->fold[k]) || (uint8_t)f->fold[k] < 0x80) &&
            add_once(&f->prefixes, f->fold, (size_t)k) != 0)
            return -1;
    return cut_short ? add_once(&f->open_ends, f->fold, (size_t)n) : 0;
}

/* --- the .dic ---------------------------------------------------------------------------- */

typedef struct dic_line {
    const char *text;
    size_t len;         /* without the line end */
    size_t root_len;    /* 0: a line the filter cannot read, kept as it is */
    uint32_t fold_off;  /* the folded word, without IGNORE characters, in folds */
    uint32_t fold_len;
    uint8_t keep;
    uint8_t had_ignored; /* the word held IGNORE characters */
    uint8_t plain;       /* the word is all case_is_plain characters */
} dic_line;

/* Where the word of an entry ends; 0 when the line holds anything but word/flags (morphology,
 * escapes), which the filter does not read. */
static size_t root_length(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\t' || s[i] == ' ' || s[i] == '\\' || s[i] == '\r')
            return 0;
        else if (s[i] == '/' && i > 0)
            return i;
    return len;
}

/* The flags of an entry (after its '/'), or none. */
static const char *entry_flags(const dic_line *l, size_t *n) {
    *n = l->len > l->root_len ? l->len - l->root_len - 1 : 0;
    return *n ? l->text + l->root_len + 1 : "";
}

static size_t longest_strip(const aff_model *a, const char *flags, size_t len) {
    size_t m = 0;
    for (size_t i = 0; i < len; i++)
        if (a->max_strip[(uint8_t)flags[i]] > m)
            m = a->max_strip[(uint8_t)flags[i]];
    return m;
}

/* Folds a string of case_is_plain characters the way ICU does (ASCII and basic Cyrillic map one
 * to one, keeping their byte length), sparing the ICU call for nearly every entry. Returns 0, or
 * -1 at the first other character (fold with ICU then). */
static int fold_plain(const char *s, size_t len, char *out) {
    for (size_t i = 0; i < len; i++) {
        uint8_t b = (uint8_t)s[i];
        if (b < 0x80) {
            out[i] = (char)(b >= 'A' && b <= 'Z' ? b + 0x20 : b);
            continue;
        }
        if (i + 1 >= len)
            return -1;
        uint8_t c = (uint8_t)s[i + 1];
        if (b == 0xD0 && c >= 0x80 && c <= 0x8F) { /* Ѐ..Џ → ѐ..џ */
            out[i] = (char)0xD1;
            out[i + 1] = (char)(c + 0x10);
        } else if (b == 0xD0 && c >= 0x90 && c <= 0x9F) { /* А..П → а..п */
            out[i] = (char)0xD0;
            out[i + 1] = (char)(c + 0x20);
        } else if (b == 0xD0 && c >= 0xA0 && c <= 0xAF) { /* Р..Я → р..я */
            out[i] = (char)0xD1;
            out[i + 1] = (char)(c - 0x20);
        } else if ((b == 0xD0 && c >= 0xB0 && c <= 0xBF) || (b == 0xD1 && c >= 0x80 && c <= 0x9F)) {
            out[i] = (char)b;
            out[i + 1] = (char)c;
        } else if (b == 0xD2 && (c == 0x90 || c == 0x91)) { /* Ґ ґ → ґ */
            out[i] = (char)0xD2;
            out[i + 1] = (char)0x91;
        } else {
            return -1;
        }
        i++;
    }
    return 0;
}

/* Folds s into f->fold, by fold_plain when it can; returns the folded length, or -1. */
static long fold_fast(filter *f, const char *s, size_t len) {
    if (xlate_grow_bytes(&f->fold, &f->fold_cap, len + 1) != 0)
        return -1;
    if (fold_plain(s, len, f->fold) == 0)
        return (long)len;
    return fold_case(f, s, len);
}

static int has_ignored(const aff_model *a, const char *s, size_t len) {
    for (size_t i = 0; i < a->n_ignored; i++) {
        uint8_t bytes[U8_MAX_LENGTH];
        int32_t n = 0;
        U8_APPEND_UNSAFE(bytes, n, a->ignored[i]);
        for (const char *p = s; (p = memchr(p, bytes[0], len - (size_t)(p - s))) != NULL; p++)
            if ((size_t)(s + len - p) >= (size_t)n && memcmp(p, bytes, (size_t)n) == 0)
                return 1;
    }
    return 0;
}

/* The word of the entry as hunspell holds it (IGNORE characters dropped): the line itself, or
 * f->work. Returns its length, or -1. */
static long entry_word(filter *f, dic_line *l, const char **word) {
    *word = l->text;
    if (!has_ignored(&f->aff, l->text, l->root_len))
        return (long)l->root_len;
    long n = as_hunspell_sees(f, l->text, l->root_len, 0);
    l->had_ignored = n >= 0 && (size_t)n != l->root_len;
    *word = f->work;
    return n;
}

/* Whether hunspell could analyse some vocabulary word with this entry (see the top comment):
 * `word` is the entry's word as hunspell holds it, `folded` its folded form. */
static int may_analyse_vocabulary(filter *f, const dic_line *l, const char *word, size_t len,
                                  const char *folded, int *rc) {
    if (f->open_everything)
        return 1;
    size_t n_flags;
    const char *flags = entry_flags(l, &n_flags);
    size_t m = longest_strip(&f->aff, flags, n_flags);
    if (len <= m)
        return 1;
    size_t cut = len - m;
    while (cut > 0 && ((uint8_t)word[cut] & 0xC0) == 0x80)
        cut--;
    if (cut == 0)
        return 1;
    const char *fp = folded;
    long n = (long)cut;
    char *tmp = NULL;
    /* A plain word folds to the same byte length, so its prefix folds to a prefix of `folded`. */
    if (!l->plain && fold_plain(word, cut, f->fold) != 0) {
        if ((n = fold_case(f, word, cut)) < 0 || !(tmp = malloc((size_t)n + 1))) {
            *rc = -1;
            return 1;
        }
        memcpy(tmp, f->fold, (size_t)n);
        fp = tmp;
    }
    int hit = contains(&f->prefixes, fp, (size_t)n);
    for (long k = 1; k <= n && !hit; k++)
        if ((k == n || ((uint8_t)fp[k] & 0xC0) != 0x80) && contains(&f->open_ends, fp, (size_t)k))
            hit = 1;
    free(tmp);
    return hit;
}

/* Cuts the .dic into lines (the count line dropped). */
static dic_line *split_dic(const char *text, size_t len, size_t *n_lines) {
    size_t n = 0, cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += text[i] == '\n';
    dic_line *lines = calloc(cap, sizeof *lines);
    if (!lines)
        return NULL;
    const char *s = text, *end = text + len;
    const char *first = memchr(s, '\n', len);
    s = first ? first + 1 : end;
    while (s < end && n < cap) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t l = nl ? (size_t)(nl - s) : (size_t)(end - s);
        lines[n].text = s;
        lines[n].len = l;
        lines[n].root_len = root_length(s, l);
        n++;
        s = nl ? nl + 1 : end;
    }
    *n_lines = n;
    return lines;
}

/* Folds every readable entry's word into one block, so each is folded once. */
static int fold_entries(filter *f, dic_line *lines, size_t n, char **folds) {
    size_t total = 0, at = 0;
    for (size_t i = 0; i < n; i++)
        total += lines[i].root_len * 3 + 1;
    if (total > UINT32_MAX || !(*folds = malloc(total ? total : 1)))
        return -1;
    for (size_t i = 0; i < n; i++) {
        dic_line *l = &lines[i];
        if (l->root_len == 0)
            continue;
        const char *word;
        long len = entry_word(f, l, &word), k;
        if (len < 0 || xlate_grow_bytes(&f->fold, &f->fold_cap, (size_t)len + 1) != 0)
            return -1;
        l->plain = fold_plain(word, (size_t)len, f->fold) == 0;
        if (l->plain)
            k = len;
        else if ((k = fold_case(f, word, (size_t)len)) < 0)
            return -1;
        if (at + (size_t)k > total) {
            l->root_len = 0; /* folds longer than thrice the bytes: keep the line unread */
            continue;
        }
        memcpy(*folds + at, f->fold, (size_t)k);
        l->fold_off = (uint32_t)at;
        l->fold_len = (uint32_t)k;
        at += (size_t)k;
    }
    return 0;
}

/* The folded word as it stands in the line, IGNORE characters included: hunspell may report
 * either form as a stem. Into f->fold; returns its length, or -1. */
static long fold_raw(filter *f, const dic_line *l) {
    return fold_fast(f, l->text, l->root_len);
}

static long store(xlate_dictfilter *d, const char *s, size_t len) {
    if (d->store_len + len > UINT32_MAX ||
        xlate_grow_bytes(&d->store, &d->store_cap, d->store_len + len + 1))
        return -1;
    memcpy(d->store + d->store_len, s, len);
    d->store_len += len;
    return (long)(d->store_len - len);
}

/* exact 0: an entry whose forms the filter cannot tell. */
static int remember(xlate_dictfilter *d, const char *fold, size_t len, int exact,
                    const char *flags, size_t flags_len, uint32_t line) {
    if (d->n_kept == d->kept_cap) {
        size_t cap = d->kept_cap ? d->kept_cap * 2 : 4096;
        kept_entry *k = realloc(d->kept, cap * sizeof *k);
        if (!k)
            return -1;
        d->kept = k;
        d->kept_cap = cap;
    }
    kept_entry e = {0};
    long at = store(d, fold, len);
    if (at < 0)
        return -1;
    e.off = (uint32_t)at;
    e.len = (uint32_t)len;
    e.line = line;
    e.exact = exact;
    if (exact) {
        long f = store(d, flags, flags_len);
        if (f < 0)
            return -1;
        e.flags_off = (uint32_t)f;
        e.flags_len = (uint32_t)flags_len;
    }
    d->kept[d->n_kept++] = e;
    return 0;
}

/* Every form hunspell could analyse with the entry, folded, into d->focus: the word itself, and
 * the word less each strip it ends with plus that rule's affix (hunspell rebuilds the entry as
 * stem + strip, so no other rule can reach it). The comparison is made on folded text, so that
 * the capitalised forms hunspell adds for a word (an all-capitals "ЄС" is also "Єс") are covered,
 * and conditions are not checked: both can only add forms. Returns 0, 1 when a strip or affix
 * holds a character the filter cannot fold for sure, or -1. */
static int add_forms(xlate_dictfilter *d, const kept_entry *k) {
    const aff_model *a = &d->f.aff;
    const char *word = d->store + k->off, *flags = d->store + k->flags_off;
    size_t len = k->len;
    char strip[256], affix[256];
    if (add_once(&d->focus, word, len) != 0)
        return -1;
    for (size_t i = 0; i < k->flags_len; i++) {
        uint8_t fl = (uint8_t)flags[i];
        for (size_t r = 0; r < a->n_rules[fl]; r++) {
            const char *s = a->rules[fl][2 * r], *x = a->rules[fl][2 * r + 1];
            size_t sl = strlen(s), al = strlen(x);
            if (sl >= sizeof strip || al >= sizeof affix || has_ignored(a, s, sl) ||
                has_ignored(a, x, al) || fold_plain(s, sl, strip) != 0 ||
                fold_plain(x, al, affix) != 0)
                return 1;
            if (sl > len || memcmp(word + len - sl, strip, sl) != 0)
                continue;
            size_t n = len - sl + al;
            if (xlate_grow_bytes(&d->f.fold, &d->f.fold_cap, n + 1) != 0)
                return -1;
            memcpy(d->f.fold, word, len - sl);
            memcpy(d->f.fold + len - sl, affix, al);
            if (add_once(&d->focus, d->f.fold, n) != 0)
                return -1;
        }
    }
    return 0;
}

/* Keeps the text of a kept line; a line the filter cannot read goes into the core dictionary
 * whatever its word. Returns its index, or -1. */
static long remember_line(xlate_dictfilter *d, const dic_line *l) {
    if (d->n_lines == d->lines_cap) {
        size_t cap = d->lines_cap ? d->lines_cap * 2 : 4096;
        kept_line *v = realloc(d->lines, cap * sizeof *v);
        if (!v)
            return -1;
        d->lines = v;
        d->lines_cap = cap;
    }
    long at = d->n_lines > UINT32_MAX - 1 ? -1 : store(d, l->text, l->len);
    if (at < 0)
        return -1;
    d->lines[d->n_lines] = (kept_line){(uint32_t)at, (uint32_t)l->len, l->root_len == 0};
    return (long)d->n_lines++;
}

/* Remembers the kept entries, for xlate_dictfilter_focus. */
static int remember_kept(xlate_dictfilter *d, dic_line *lines, size_t n, const char *folds) {
    filter *f = &d->f;
    for (size_t i = 0; i < n; i++) {
        dic_line *l = &lines[i];
        if (!l->keep)
            continue;
        long line = remember_line(d, l);
        if (line < 0)
            return -1;
        if (l->root_len == 0) {
            d->unread_kept = 1;
            continue;
        }
        long k;
        int exact = l->plain && !l->had_ignored;
        size_t n_flags;
        const char *flags = entry_flags(l, &n_flags);
        if (remember(d, folds + l->fold_off, l->fold_len, exact, flags, n_flags,
                     (uint32_t)line) != 0)
            return -1;
        if (l->had_ignored && ((k = fold_raw(f, l)) < 0 ||
                               remember(d, f->fold, (size_t)k, 0, NULL, 0, (uint32_t)line)))
            return -1;
    }
    return 0;
}

static int choose_lines(filter *f, dic_line *lines, size_t n, const char *folds) {
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        dic_line *l = &lines[i];
        const char *word;
        long len;
        if (l->root_len == 0) {
            l->keep = 1;
            continue;
        }
        if ((len = entry_word(f, l, &word)) < 0)
            return -1;
        if (!may_analyse_vocabulary(f, l, word, (size_t)len, folds + l->fold_off, &rc) || rc)
            continue;
        l->keep = 1;
        rc = add_once(&f->keys, folds + l->fold_off, l->fold_len);
        long k;
        if (rc == 0 && l->had_ignored)
            rc = (k = fold_raw(f, l)) < 0 ? -1 : add_once(&f->keys, f->fold, (size_t)k);
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        dic_line *l = &lines[i];
        if (l->keep)
            continue;
        l->keep = (uint8_t)contains(&f->keys, folds + l->fold_off, l->fold_len);
        long k;
        if (!l->keep && l->had_ignored) {
            if ((k = fold_raw(f, l)) < 0)
                return -1;
            l->keep = (uint8_t)contains(&f->keys, f->fold, (size_t)k);
        }
    }
    return rc;
}

static int write_lines(const dic_line *lines, size_t n, FILE *out) {
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        kept += lines[i].keep != 0;
    /* hunspell wants a positive count: it sizes its hash table from it */
    if (fprintf(out, "%zu\n", kept ? kept : 1) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (lines[i].keep && (fwrite(lines[i].text, 1, lines[i].len, out) != lines[i].len ||
                              fputc('\n', out) == EOF))
            return -1;
    return fflush(out) == 0 ? 0 : -1;
}

static void filter_free(filter *f) {
    for (size_t i = 0; i < 256; i++)
        free(f->aff.rules[i]);
    if (f->casemap)
        ucasemap_close(f->casemap);
    free(f->fold);
    free(f->work);
    free_set(&f->prefixes);
    free_set(&f->open_ends);
    free_set(&f->keys);
}

int xlate_dictfilter_write(const char *aff_path, const char *dic_path, const char *const *words,
                           const size_t *lens, size_t n, FILE *out, xlate_dictfilter **kept) {
    char *dic_text = NULL;
    size_t aff_len, dic_len, n_lines = 0;
    dic_line *lines = NULL;
    char *folds = NULL;
    xlate_dictfilter *d = calloc(1, sizeof *d);
    filter *f = d ? &d->f : NULL;
    int rc = 0;
    UErrorCode status = U_ZERO_ERROR;
    if (kept)
        *kept = NULL;
    if (!d)
        return -1;
    if (read_file(aff_path, &d->aff_text, &aff_len) != 0 ||
        !(d->aff_copy = malloc(aff_len + 1))) {
        rc = d->aff_text ? -1 : 0;
        goto done; /* rc 0: load the whole dictionary */
    }
    memcpy(d->aff_copy, d->aff_text, aff_len + 1);
    d->aff_len = aff_len;
    if (read_aff(&f->aff, d->aff_text) != 0 || read_file(dic_path, &dic_text, &dic_len) != 0)
        goto done; /* rc 0: load the whole dictionary */
    f->casemap = ucasemap_open("", U_FOLD_CASE_DEFAULT, &status);
    rc = U_FAILURE(status) ? -1 : 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = add_vocabulary_word(f, words[i], lens[i]);
    if (rc == 0 && !(lines = split_dic(dic_text, dic_len, &n_lines)))
        rc = -1;
    if (rc == 0)
        rc = fold_entries(f, lines, n_lines, &folds);
    if (rc == 0)
        rc = choose_lines(f, lines, n_lines, folds);
    if (rc == 0 && kept)
        rc = remember_kept(d, lines, n_lines, folds);
    if (rc == 0)
        rc = write_lines(lines, n_lines, out) == 0 ? 1 : -1;
done:
    free(folds);
    free(lines);
    free(dic_text);
    free_set(&f->prefixes);
    free_set(&f->open_ends);
    free_set(&f->keys);
    memset(&f->prefixes, 0, sizeof f->prefixes);
    memset(&f->open_ends, 0, sizeof f->open_ends);
    memset(&f->keys, 0, sizeof f->keys);
    if (rc == 1 && kept)
        *kept = d;
    else
        xlate_dictfilter_free(d);
    return rc;
}

/* The .dic of the core lines: the count line, then the lines in their order. */
static int write_core_dic(xlate_dictfilter *d) {
    size_t n = 0, len = 0;
    for (size_t i = 0; i < d->n_lines; i++)
        if (d->lines[i].core) {
            n++;
            len += d->lines[i].len + 1;
        }
    char count[32];
    /* hunspell wants a positive count: it sizes its hash table from it */
    int c = snprintf(count, sizeof count, "%zu\n", n ? n : 1);
    if (!(d->core_dic = malloc((size_t)c + len + 1)))
        return -1;
    memcpy(d->core_dic, count, (size_t)c);
    size_t at = (size_t)c;
    for (size_t i = 0; i < d->n_lines; i++)
        if (d->lines[i].core) {
            memcpy(d->core_dic + at, d->store + d->lines[i].off, d->lines[i].len);
            at += d->lines[i].len;
            d->core_dic[at++] = '\n';
        }
    d->core_dic[at] = '\0';
    d->core_dic_len = at;
    return 0;
}

/* The words of the core lines, by flag: what a suffix rule of that flag may rebuild. */
typedef struct core_words {
    char *text;               /* the words, each as written and without IGNORE characters */
    size_t len, cap;
    uint32_t *at[256];        /* per flag: offset, length, offset, length ... into text */
    size_t n[256], cap_at[256];
} core_words;

static void free_core_words(core_words *w) {
    free(w->text);
    for (size_t i = 0; i < 256; i++)
        free(w->at[i]);
}

static int add_core_word(core_words *w, uint8_t flag, const char *s, size_t len) {
    if (w->n[flag] == w->cap_at[flag]) {
        size_t cap = w->cap_at[flag] ? w->cap_at[flag] * 2 : 16;
        uint32_t *v = realloc(w->at[flag], cap * 2 * sizeof *v);
        if (!v)
            return -1;
        w->at[flag] = v;
        w->cap_at[flag] = cap;
    }
    if (w->len + len > UINT32_MAX || xlate_grow_bytes(&w->text, &w->cap, w->len + len + 1) != 0)
        return -1;
    memcpy(w->text + w->len, s, len);
    w->at[flag][2 * w->n[flag]] = (uint32_t)w->len;
    w->at[flag][2 * w->n[flag]++ + 1] = (uint32_t)len;
    w->len += len;
    return 0;
}

/* Collects the core lines' words under each of their flags. Returns 1, 0 when a core line could
 * not be read (its word and flags are unknown: every rule stays), -1 when out of memory. */
static int collect_core_words(xlate_dictfilter *d, core_words *w) {
    for (size_t i = 0; i < d->n_lines; i++) {
        const kept_line *l = &d->lines[i];
        if (!l->core)
            continue;
        const char *text = d->store + l->off;
        size_t root = root_length(text, l->len);
        if (root == 0)
            return 0;
        long bare = as_hunspell_sees(&d->f, text, root, 0);
        if (bare < 0)
            return -1;
        for (size_t k = root + 1; k < l->len; k++)
            if (add_core_word(w, (uint8_t)text[k], text, root) != 0 ||
                ((size_t)bare != root &&
                 add_core_word(w, (uint8_t)text[k], d->f.work, (size_t)bare) != 0))
                return -1;
    }
    return 1;
}

/* Whether a suffix rule line (not a header) may rebuild a core word: hunspell finds an entry
 * through a rule as "word less affix, plus strip", so the entry ends with the strip and has the
 * rule's flag; a rule whose strip ends no core word of its flag analyses nothing with the core
 * lines. Conditions are not checked (that can only keep more). */
static int rule_may_apply(const aff_model *a, const core_words *w, char *line) {
    char *tok[MAX_TOKENS];
    int n = tokenize(line, tok);
    if (n < 3 || strlen(tok[1]) != 1)
        return 1;
    uint8_t flag = (uint8_t)tok[1][0];
    const char *strip = strcmp(tok[2], "0") == 0 ? "" : tok[2];
    size_t sl = strlen(strip);
    if (has_ignored(a, strip, sl))
        return 1;
    for (size_t i = 0; i < w->n[flag]; i++) {
        uint32_t off = w->at[flag][2 * i], len = w->at[flag][2 * i + 1];
        if (len >= sl && memcmp(w->text + off + len - sl, strip, sl) == 0)
            return 1;
    }
    return 0;
}

/* One line of the .aff, for write_core_aff. */
typedef struct aff_line {
    const char *text;
    size_t len;       /* with its line end */
    int header;       /* a suffix header ("SFX F Y 12"), of `flag` */
    char cross;       /* a header's cross-product letter */
    size_t count;     /* a header's rule count; then how many of its rules stay */
    int rule, keep;   /* a suffix rule, of `flag`; whether it stays */
    uint8_t flag;
} aff_line;

/* Reads what write_core_aff needs of an .aff line (tokens of a copy; the line stays as it is). */
static void classify_aff_line(const aff_model *a, const core_words *w, aff_line *l) {
    char copy[1024], *tok[MAX_TOKENS];
    if (l->len < 4 || l->len >= sizeof copy || memcmp(l->text, "SFX", 3) != 0 ||
        (l->text[3] != ' ' && l->text[3] != '\t'))
        return;
    memcpy(copy, l->text, l->len);
    copy[l->len] = '\0';
    copy[strcspn(copy, "\r\n")] = '\0';
    char rule[sizeof copy];
    memcpy(rule, copy, sizeof copy);
    int n = tokenize(copy, tok);
    if (n < 3 || strlen(tok[1]) != 1)
        return;
    l->flag = (uint8_t)tok[1][0];
    if (n == 4 && (strcmp(tok[2], "Y") == 0 || strcmp(tok[2], "N") == 0) && is_number(tok[3])) {
        l->header = 1;
        l->cross = tok[2][0];
        l->count = strtoul(tok[3], NULL, 10);
    } else {
        l->rule = 1;
        l->keep = rule_may_apply(a, w, rule);
    }
}

/* Cuts the .aff into lines and reads them; returns the number of lines, or -1. Sets *groups_ok
 * when every header is followed by exactly its count of rules of its flag, which is how
 * hunspell reads them, so that dropping rules and lowering counts keeps the rest as it was. */
static long read_aff_lines(xlate_dictfilter *d, const core_words *w, aff_line **out,
                           int *groups_ok) {
    aff_line *lines = NULL;
    size_t n = 0, cap = 0, remaining = 0, header = 0;
    *groups_ok = 1;
    for (size_t i = 0; i < d->aff_len; n++) {
        const char *nl = memchr(d->aff_copy + i, '\n', d->aff_len - i);
        size_t end = nl ? (size_t)(nl - d->aff_copy) + 1 : d->aff_len;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            aff_line *v = realloc(lines, cap * sizeof *v);
            if (!v) {
                free(lines);
                return -1;
            }
            lines = v;
        }
        aff_line *l = &lines[n];
        *l = (aff_line){d->aff_copy + i, end - i, 0, 0, 0, 0, 1, 0};
        classify_aff_line(&d->f.aff, w, l);
        if (remaining > 0) {
            if (!l->rule || l->flag != lines[header].flag)
                *groups_ok = 0;
            remaining--;
            lines[header].count -= !l->keep;
        } else if (l->rule) {
            *groups_ok = 0; /* a rule outside its group */
        }
        if (l->header) {
            header = n;
            remaining = l->count;
        }
        i = end;
    }
    if (remaining > 0)
        *groups_ok = 0;
    *out = lines;
    return (long)n;
}

/* The .aff as read, less the suffix rules that can rebuild no core word (see rule_may_apply),
 * each header's count made the number of its rules kept and a group left with none dropped:
 * the suffix rules are what hunspell's load of the .aff spends its time on, and few of them can
 * apply to the core lines. Any .aff this cannot read for sure is kept whole. */
static int write_core_aff(xlate_dictfilter *d) {
    core_words w = {0};
    aff_line *lines = NULL;
    int groups_ok = 0, reduce = collect_core_words(d, &w);
    long n = reduce < 0 ? -1 : read_aff_lines(d, &w, &lines, &groups_ok);
    free_core_words(&w);
    size_t headers = 0;
    for (long i = 0; i < n; i++)
        headers += lines[i].header;
    /* a rewritten header takes at most "SFX F Y " and 20 digits and a line end */
    if (n < 0 || !(d->core_aff = malloc(d->aff_len + 32 * headers + 1))) {
        free(lines);
        return -1;
    }
    reduce = reduce == 1 && groups_ok;
    size_t o = 0;
    for (long i = 0; i < n; i++) {
        const aff_line *l = &lines[i];
        if (reduce && l->header) {
            if (l->count > 0)
                o += (size_t)snprintf(d->core_aff + o, 32, "SFX %c %c %zu\n", (char)l->flag,
                                      l->cross, l->count);
        } else if (!reduce || !l->rule || l->keep) {
            memcpy(d->core_aff + o, l->text, l->len);
            o += l->len;
        }
    }
    d->core_aff[o] = '\0';
    d->core_aff_len = o;
    free(d->aff_copy);
    d->aff_copy = NULL;
    free(lines);
    return 0;
}

static void forget_kept(xlate_dictfilter *d) {
    free(d->kept);
    free(d->store);
    free(d->lines);
    d->kept = NULL;
    d->store = NULL;
    d->lines = NULL;
    d->n_kept = d->kept_cap = d->store_len = d->store_cap = d->n_lines = d->lines_cap = 0;
}

int xlate_dictfilter_focus(xlate_dictfilter *d,
                           int (*is_key)(void *arg, const char *key, size_t len), void *arg) {
    d->focus_all = d->unread_kept;
    for (size_t i = 0; i < d->n_kept; i++) {
        const kept_entry *k = &d->kept[i];
        if (!is_key(arg, d->store + k->off, k->len))
            continue;
        d->lines[k->line].core = 1;
        int rc = d->focus_all ? 0 : k->exact ? add_forms(d, k) : 1;
        if (rc < 0)
            return -1;
        if (rc > 0)
            d->focus_all = 1;
    }
    int rc = write_core_dic(d) == 0 && write_core_aff(d) == 0 ? 0 : -1;
    forget_kept(d);
    d->focused = rc == 0;
    return rc;
}

const char *xlate_dictfilter_core_dic(const xlate_dictfilter *d, size_t *len) {
    *len = d->core_dic_len;
    return d->core_dic;
}

const char *xlate_dictfilter_core_aff(const xlate_dictfilter *d, size_t *len) {
    *len = d->core_aff_len;
    return d->core_aff;
}

/* The focus as bytes: a byte for focus_all, then each form as a 4-byte length and its bytes. */
int xlate_dictfilter_save(const xlate_dictfilter *d, char **out, size_t *len) {
    const xlate_strtab *t = &d->focus.table;
    size_t total = 1;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].hash)
            total += 4 + t->slots[i].key_len;
    char *s = malloc(total);
    if (!s || !d->focused) {
        free(s);
        return -1;
    }
    size_t at = 0;
    s[at++] = (char)d->focus_all;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].hash) {
            uint32_t n = t->slots[i].key_len;
            memcpy(s + at, &n, 4);
            memcpy(s + at + 4, t->keys + t->slots[i].key_off, n);
            at += 4 + n;
        }
    *out = s;
    *len = at;
    return 0;
}

/* The next entry of a focus record (a 4-byte length, then the word) at *at: 1 with *word and *n
 * set and *at moved past it, 0 at the record's end, -1 when the record is cut short. */
static int next_focus_entry(const char *s, size_t len, size_t *at, const char **word, uint32_t *n) {
    if (*at >= len)
        return 0;
    if (len - *at < 4)
        return -1;
    memcpy(n, s + *at, 4);
    if (*n > len - *at - 4)
        return -1;
    *word = s + *at + 4;
    *at += 4 + *n;
    return 1;
}

static int restore_focus(xlate_dictfilter *d, const char *s, size_t len) {
    size_t at = 1, entries = 0, bytes = 0;
    const char *word;
    uint32_t n;
    int r;
    if (len < 1 || (uint8_t)s[0] > 1)
        return 0;
    d->focus_all = s[0];
    /* Counted first, so that the table is sized once for the whole record, not doubled a dozen
     * times. */
    while ((r = next_focus_entry(s, len, &at, &word, &n)) == 1) {
        entries++;
        bytes += n;
    }
    if (r < 0)
        return 0;
    if (xlate_strtab_reserve(&d->focus.table, entries, bytes) != 0)
        return -1;
    for (at = 1; next_focus_entry(s, len, &at, &word, &n) == 1;)
        if (add_once(&d->focus, word, n) != 0)
            return -1;
    d->focused = 1;
    return 1;
}

int xlate_dictfilter_restore(const char *aff, size_t aff_len, const char *focus, size_t len,
                             xlate_dictfilter **out) {
    UErrorCode status = U_ZERO_ERROR;
    xlate_dictfilter *d = calloc(1, sizeof *d);
    int rc = d && (d->aff_text = malloc(aff_len + 1)) ? 0 : -1;
    *out = NULL;
    if (rc == 0) {
        memcpy(d->aff_text, aff, aff_len);
        d->aff_text[aff_len] = '\0';
    }
    if (rc == 0 && memchr(aff, '\0', aff_len) == NULL && read_aff(&d->f.aff, d->aff_text) == 0) {
        d->f.casemap = ucasemap_open("", U_FOLD_CASE_DEFAULT, &status);
        rc = U_FAILURE(status) ? -1 : restore_focus(d, focus, len);
    }
    if (rc == 1)
        *out = d;
    else
        xlate_dictfilter_free(d);
    return rc;
}

int xlate_dictfilter_may_stem(xlate_dictfilter *d, const char *word, size_t len) {
    if (!d->focused || d->focus_all)
        return 1;
    long n = as_hunspell_sees(&d->f, word, len, 1);
    if (n < 0 || xlate_grow_bytes(&d->f.fold, &d->f.fold_cap, (size_t)n + 1) != 0)
        return 1;
    for (int32_t i = 0; i < (int32_t)n;) {
        UChar32 c;
        U8_NEXT(d->f.work, i, (int32_t)n, c);
        if (!case_is_plain(c))
            return 1; /* the comparison holds for plain characters only */
    }
    if (fold_plain(d->f.work, (size_t)n, d->f.fold) != 0)
        return 1;
    return contains(&d->focus, d->f.fold, (size_t)n);
}

void xlate_dictfilter_free(xlate_dictfilter *d) {
    if (!d)
        return;
    filter_free(&d->f);
    free_set(&d->focus);
    forget_kept(d);
    free(d->core_dic);
    free(d->core_aff);
    free(d->aff_copy);
    free(d->aff_text);
    free(d);
}
