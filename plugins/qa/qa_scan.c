/*
 * qa_scan: the one pass over a text that the qa checks share (see qa_scan.h). First the tokens a
 * check compares whole (URLs, e-mails, placeholders) are found from their ASCII triggers; then the
 * text is walked once, code point by code point with ICU's character properties, skipping those
 * tokens, and numbers, dates, words, brackets and quotation marks are taken as they come.
 */
#include "qa_scan.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* The per-character helpers of the pass, inlined where they are called. */
#if defined(__GNUC__)
#define QA_HOT_INLINE inline __attribute__((always_inline))
#else
#define QA_HOT_INLINE inline
#endif

/* --- tokens ----------------------------------------------------------------------------------- */

static qa_token *token_push(qa_profile *p, qa_token_kind kind, size_t start, size_t end) {
    if (p->n_tokens == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        qa_token *t = realloc(p->tokens, cap * sizeof *t);
        if (!t)
            return NULL;
        p->tokens = t;
        p->cap = cap;
    }
    qa_token *t = &p->tokens[p->n_tokens++];
    p->kinds |= 1u << kind;
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->start = start;
    t->end = end;
    return t;
}

static int is_ascii_alnum(unsigned char c) {
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static int is_ascii_digit(unsigned char c) {
    return c >= '0' && c <= '9';
}

/* printf conversions: %s, %d, %1$s, %-5.2f, %lld, %@. A '%' right after a digit is a percent
 * sign ("50%s" is no text anyone writes), and no space flag: "20% discount" is not "% d". */
static size_t match_printf(const char *t, size_t i, size_t len) {
    if (i > 0 && is_ascii_digit((unsigned char)t[i - 1]))
        return 0;
    size_t j = i + 1, k = j;
    while (k < len && is_ascii_digit((unsigned char)t[k]))
        k++;
    if (k > j && k < len && t[k] == '$')
        j = k + 1;
    while (j < len && strchr("-+#0", t[j]) && t[j])
        j++;
    while (j < len && (is_ascii_digit((unsigned char)t[j]) || t[j] == '*'))
        j++;
    if (j < len && t[j] == '.') {
        j++;
        while (j < len && (is_ascii_digit((unsigned char)t[j]) || t[j] == '*'))
            j++;
    }
    static const char *const lengths[] = {"hh", "ll", "h", "l", "L", "z", "j", "t", "q"};
    for (size_t n = 0; n < sizeof lengths / sizeof lengths[0]; n++) {
        size_t ln = strlen(lengths[n]);
        if (j + ln < len && memcmp(t + j, lengths[n], ln) == 0) {
            j += ln;
            break;
        }
    }
    if (j < len && t[j] && strchr("diouxXeEfFgGaAcsp@", t[j]))
        return j + 1 - i;
    return 0;
}

/* {name}, {0}, {}, {0:.2f}, {{name}}, and ${NAME}. */
static size_t match_brace(const char *t, size_t i, size_t len) {
    size_t j = i + 1;
    int dbl = j < len && t[j] == '{';
    if (dbl)
        j++;
    size_t id = j;
    while (j < len && j - id < 64 &&
           (is_ascii_alnum((unsigned char)t[j]) || strchr("_.:!#-", t[j])) && t[j])
        j++;
    if (j >= len || t[j] != '}')
        return 0;
    if (dbl) {
        if (j + 1 >= len || t[j + 1] != '}')
            return 0;
        j++;
    }
    return j + 1 - i;
}

/* <b>, </b>, <br/>, <w:t>, <a href="…">: a letter right after '<' (or "</"), a name, then '>',
 * '/' or a space; no '<' or newline inside. <https://…> and <name@example.com> are no tags. */
static size_t match_tag(const char *t, size_t i, size_t len) {
    size_t j = i + 1;
    if (j < len && t[j] == '/')
        j++;
    if (j >= len || !((t[j] | 0x20) >= 'a' && (t[j] | 0x20) <= 'z'))
        return 0;
    while (j < len && (is_ascii_alnum((unsigned char)t[j]) || t[j] == '_' || t[j] == '-' ||
                       t[j] == '.' || t[j] == ':'))
        j++;
    if (j >= len || !(t[j] == '>' || t[j] == '/' || t[j] == ' ' || t[j] == '\t' ||
                      t[j] == '\n') || (t[j] == '/' && t[j - 1] == ':'))
        return 0;
    for (; j < len && j - i < 256; j++) {
        if (t[j] == '>')
            return j + 1 - i;
        if (t[j] == '<' || t[j] == '\n')
            return 0;
    }
    return 0;
}

/* Where a URL that starts at `start` ends: at whitespace, '<', '>', '"' or a quotation mark, less
 * the punctuation that closes the sentence around it. */
static size_t url_end(const char *t, size_t start, size_t len) {
    size_t j = start, parens = 0;
    while (j < len) {
        size_t at = j;
        UChar32 c;
        U8_NEXT(t, j, len, c);
        int8_t type = c > 0x7F ? u_charType(c) : 0;
        if (c < 0 || u_isUWhiteSpace(c) || c == '<' || c == '>' || c == '"' ||
            type == U_INITIAL_PUNCTUATION || type == U_FINAL_PUNCTUATION ||
            type == U_START_PUNCTUATION || type == U_END_PUNCTUATION) { /* “…”, ⟨…⟩ */
            j = at;
            break;
        }
        if (c == '(')
            parens++;
    }
    while (j > start && strchr(".,;:!?'*", t[j - 1]) && t[j - 1])
        j--;
    while (j > start && ((t[j - 1] == ')' && !parens) || t[j - 1] == ']'))
        j--;
    return j;
}

/* A URL found from the "://" at i: the scheme is the letters before it. */
static size_t match_url(const char *t, size_t i, size_t len, size_t floor, size_t *start) {
    if (i + 3 >= len || t[i + 1] != '/' || t[i + 2] != '/')
        return 0;
    size_t s = i;
    while (s > floor && (is_ascii_alnum((unsigned char)t[s - 1]) || t[s - 1] == '+' ||
                         t[s - 1] == '-' || t[s - 1] == '.'))
        s--;
    while (s < i && !((t[s] | 0x20) >= 'a' && (t[s] | 0x20) <= 'z'))
        s++;
    if (i - s < 2)
        return 0;
    size_t e = url_end(t, i + 3, len);
    if (e <= i + 3)
        return 0;
    *start = s;
    return e - s;
}

/* www.example.com without a scheme, from its first 'w', not inside a longer name. */
static size_t match_www(const char *t, size_t i, size_t len) {
    if (i + 4 < len && (t[i + 1] | 0x20) == 'w' && (t[i + 2] | 0x20) == 'w' && t[i + 3] == '.' &&
        is_ascii_alnum((unsigned char)t[i + 4]) &&
        (i == 0 || !(is_ascii_alnum((unsigned char)t[i - 1]) || t[i - 1] == '.' ||
                     t[i - 1] == '/' || t[i - 1] == '@')))
        return url_end(t, i, len) - i;
    return 0;
}

static int is_email_local(unsigned char c) {
    return is_ascii_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* name@example.com, found from its '@': the address around it, the domain with a dot. */
static size_t match_email(const char *t, size_t i, size_t len, size_t floor, size_t *start) {
    size_t s = i;
    while (s > floor && is_email_local((unsigned char)t[s - 1]))
        s--;
    while (s < i && t[s] == '.')
        s++;
    if (s == i)
        return 0;
    size_t e = i + 1, dot = 0;
    while (e < len && (is_ascii_alnum((unsigned char)t[e]) || t[e] == '.' || t[e] == '-'))
        e++;
    while (e > i + 1 && (t[e - 1] == '.' || t[e - 1] == '-'))
        e--;
    for (size_t d = i + 1; d < e; d++)
        if (t[d] == '.')
            dot = d;
    if (!dot || dot + 1 >= e || dot <= i + 1)
        return 0;
    *start = s;
    return e - s;
}

/* The tokens found from a mark inside them whose start lies behind it: URLs with a scheme (from
 * "://") and e-mail addresses (from '@'), in text order. The marks are rare: memchr finds
 * them. The tokens that start with their mark ('%', '{', '<', "www.") are taken in the main
 * pass (forward_token). */
/* The next "://" from i, or NULL. */
static const char *next_scheme_mark(const char *t, size_t i, size_t len) {
    while (i + 3 <= len) {
        const char *c = memchr(t + i, ':', len - i);
        if (!c)
            return NULL;
        size_t at = (size_t)(c - t);
        if (at + 3 <= len && t[at + 1] == '/' && t[at + 2] == '/')
            return c;
        i = at + 1;
    }
    return NULL;
}

static int scan_marked_tokens(qa_profile *p, const char *t, size_t len) {
    size_t floor = 0, i = 0;
    const char *at = memchr(t, '@', len), *colon = next_scheme_mark(t, 0, len);
    while (at || colon) {
        int email = at && (!colon || at < colon);
        size_t pos = (size_t)((email ? at : colon) - t), start = pos;
        size_t n = email ? match_email(t, pos, len, floor, &start)
                         : match_url(t, pos, len, floor, &start);
        if (n) {
            if (!token_push(p, email ? QA_TOK_EMAIL : QA_TOK_URL, start, start + n))
                return -1;
            i = floor = start + n;
        } else {
            i = pos + 1;
        }
        if (at && (size_t)(at - t) < i)
            at = i < len ? memchr(t + i, '@', len - i) : NULL;
        if (colon && (size_t)(colon - t) < i)
            colon = next_scheme_mark(t, i, len);
    }
    return 0;
}

/* The placeholder or URL that starts at `at` ('%', '{', '<', 'w' of "www."): its length, 0 for
 * none; *start is where it starts (a '$' before '{' is its own). */
static size_t forward_token(const char *t, size_t at, size_t len, size_t *start,
                            qa_token_kind *kind) {
    *start = at;
    *kind = QA_TOK_PLACEHOLDER;
    switch (t[at]) {
    case '%':
        return match_printf(t, at, len);
    case '{': {
        size_t n = match_brace(t, at, len);
        if (n && at > 0 && t[at - 1] == '$')
            *start = at - 1, n++;
        return n;
    }
    case '<':
        return match_tag(t, at, len);
    case 'w':
    case 'W':
        *kind = QA_TOK_URL;
        return match_www(t, at, len);
    default:
        return 0;
    }
}

/* --- numbers and dates ------------------------------------------------------------------------ */

/* The digit value of the character at *pos (ASCII or any Unicode decimal digit), moving *pos past
 * it; -1 (and *pos untouched) when it is no digit. */
static int digit_at(const char *t, size_t *pos, size_t len) {
    size_t j = *pos;
    if (j >= len)
        return -1;
    unsigned char b = (unsigned char)t[j];
    if (b < 0x80) {
        if (!is_ascii_digit(b))
            return -1;
        *pos = j + 1;
        return b - '0';
    }
    UChar32 c;
    U8_NEXT(t, j, len, c);
    if (c < 0 || u_charType(c) != U_DECIMAL_DIGIT_NUMBER)
        return -1;
    *pos = j;
    return u_charDigitValue(c);
}

typedef struct digit_group {
    size_t start, end;
    int ndigits;
    UChar32 sep; /* the separator before it (0 for the first) */
} digit_group;

#define MAX_GROUPS 8

static int is_space_sep(UChar32 c) {
    return c == ' ' || c == 0x00A0 || c == 0x202F || c == 0x2009 || c == '\'' || c == 0x2019;
}

static int is_number_sep(UChar32 c) {
    return c == '.' || c == ',' || c == '/' || c == '-' || is_space_sep(c);
}

/* Digit runs joined by single separators ("1 000,5", "24.05.2024", "2,000,000"). */
static int read_groups(const char *t, size_t start, size_t len, digit_group *g) {
    int n = 0;
    size_t j = start;
    while (n < MAX_GROUPS) {
        size_t gs = j;
        int nd = 0;
        while (digit_at(t, &j, len) >= 0)
            nd++;
        g[n].start = gs;
        g[n].end = j;
        g[n].ndigits = nd;
        n++;
        if (j >= len || n == MAX_GROUPS)
            break;
        size_t q = j;
        UChar32 s;
        U8_NEXT(t, q, len, s);
        size_t probe = q;
        if (!is_number_sep(s) || digit_at(t, &probe, len) < 0)
            break;
        if (is_space_sep(s)) {
            /* a space groups thousands only: "1 000", never "2024 10" or "12345 678" */
            size_t e = q;
            int nd = 0;
            while (digit_at(t, &e, len) >= 0)
                nd++;
            if (nd != 3 || (n == 1 && g[0].ndigits > 3))
                break;
        }
        g[n].sep = s;
        j = q;
    }
    return n;
}

static int group_value(const char *t, const digit_group *g) {
    int v = 0;
    for (size_t j = g->start; j < g->end && v < 100000;)
        v = v * 10 + digit_at(t, &j, g->end);
    return v;
}

static int valid_day_month(int d, int m) {
    return d >= 1 && d <= 31 && m >= 1 && m <= 12;
}

/* A numeric date: day, month and year in the order the language writes them, or in the other
 * order when the language's cannot be a date (24/05/2024 read by an en-US reader). */
static int read_date(const char *t, const digit_group *g, int n, const qa_lang *lang,
                     qa_token *out) {
    if (n < 3 || g[1].sep != g[2].sep || !(g[1].sep == '.' || g[1].sep == '/' || g[1].sep == '-'))
        return 0;
    if (n > 3 && g[3].sep == g[1].sep)
        return 0; /* 10.0.0.1 */
    if (g[1].ndigits < 1 || g[1].ndigits > 2)
        return 0;
    int a = group_value(t, &g[0]), b = group_value(t, &g[1]), c = group_value(t, &g[2]);
    int d, m, y;
    if (g[0].ndigits == 4 && g[2].ndigits <= 2) {
        y = a, m = b, d = c;
    } else if (g[0].ndigits <= 2 && (g[2].ndigits == 2 || g[2].ndigits == 4)) {
        int mdy = lang->order == QA_MDY;
        d = mdy ? b : a;
        m = mdy ? a : b;
        if (!valid_day_month(d, m)) {
            d = mdy ? a : b;
            m = mdy ? b : a;
        }
        y = g[2].ndigits == 2 ? c + (c < 70 ? 2000 : 1900) : c;
    } else {
        return 0;
    }
    if (!valid_day_month(d, m))
        return 0;
    out->kind = QA_TOK_DATE;
    out->day = d;
    out->year = y;
    snprintf(out->value, sizeof out->value, "%04d-%02d-%02d", y, m, d);
    return 1;
}

/* Appends the digits of g to value (ASCII, at most cap-1 bytes). */
static void append_digits(const char *t, const digit_group *g, char *value, size_t *n,
                          size_t cap) {
    for (size_t j = g->start; j < g->end;) {
        int d = digit_at(t, &j, g->end);
        if (*n + 1 < cap)
            value[(*n)++] = (char)('0' + d);
    }
}

/* What a '.' or ',' repeated inside one number means whatever the language: with three digits
 * after each, thousands ("1,000,000", "1.000.000", then perhaps the other mark once as the
 * decimal); otherwise a dotted code (192.168.1.15, 2.10.4) that is compared as written. Returns
 * the mark, or 0 when neither repeats. Sets *code for a code. */
static UChar32 repeated_point(const digit_group *g, int n, int *code) {
    int dots = 0, commas = 0;
    for (int j = 1; j < n; j++)
        dots += g[j].sep == '.', commas += g[j].sep == ',';
    UChar32 mark = dots >= 2 ? '.' : commas >= 2 ? ',' : 0;
    *code = 0;
    for (int j = 1; mark && j < n; j++)
        if (g[j].sep == mark && (g[j].ndigits != 3 || g[0].ndigits > 3))
            *code = 1;
    return mark;
}

/* A number kept as written (ASCII digits; spaces as ' '): a dotted code, or digits whose marks
 * the language cannot read ("3,5.2"). Its extent is the same in every language, so the same text
 * on both sides agrees. */
static size_t read_code(const char *t, const digit_group *g, int n, qa_token *out) {
    size_t vn = 0;
    append_digits(t, &g[0], out->value, &vn, sizeof out->value);
    for (int j = 1; j < n; j++) {
        UChar32 s = g[j].sep;
        if (vn + 1 < sizeof out->value)
            out->value[vn++] = s == '.' || s == ',' ? (char)s : is_space_sep(s) ? ' ' : '?';
        append_digits(t, &g[j], out->value, &vn, sizeof out->value);
    }
    out->value[vn] = '\0';
    out->kind = QA_TOK_NUMBER;
    return g[n - 1].end;
}

/* A number read with the language's separators: a separator before exactly three digits groups
 * thousands when it is the language's group mark, a space, or a '.'/',' the language does not use
 * as its decimal mark (or that repeats); otherwise the first '.' or ',' is the decimal mark. The
 * value is the digits with leading zeros and trailing decimal zeros dropped. Returns the end of
 * the number. */
static size_t read_number(const char *t, const digit_group *g, int n, const qa_lang *lang,
                          qa_token *out) {
    for (int j = 1; j < n; j++)
        if (g[j].sep == '/' || g[j].sep == '-') { /* "2020-2024", "3/4": numbers apart */
            n = j;
            break;
        }
    int code;
    UChar32 repeated = repeated_point(g, n, &code);
    if (code)
        return read_code(t, g, n, out);
    char v[sizeof out->value];
    size_t vn = 0;
    append_digits(t, &g[0], v, &vn, sizeof v);
    size_t end = g[0].end;
    int decimal = 0;
    for (int j = 1; j < n; j++) {
        UChar32 s = g[j].sep;
        int point = s == '.' || s == ',';
        int grouping = !decimal && g[j].ndigits == 3 && (j > 1 || g[0].ndigits <= 3) &&
                       (is_space_sep(s) || s == repeated ||
                        (!repeated && (s == lang->group || (point && s != lang->decimal))));
        if (grouping) {
            append_digits(t, &g[j], v, &vn, sizeof v);
        } else if (point && !decimal) {
            decimal = 1;
            if (vn + 1 < sizeof v)
                v[vn++] = '.';
            append_digits(t, &g[j], v, &vn, sizeof v);
        } else {
            return read_code(t, g, n, out);
        }
        end = g[j].end;
    }
    v[vn] = '\0';
    if (decimal) {
        while (vn > 0 && v[vn - 1] == '0')
            v[--vn] = '\0';
        if (vn > 0 && v[vn - 1] == '.')
            v[--vn] = '\0';
    }
    size_t lead = 0;
    while (v[lead] == '0' && v[lead + 1] && v[lead + 1] != '.')
        lead++;
    memcpy(out->value, v + lead, vn - lead + 1);
    out->kind = QA_TOK_NUMBER;
    return end;
}

/* Reads the number or date that starts at `start`; returns where it ends, or 0 when out of
 * memory. */
static size_t scan_number(qa_profile *p, const qa_lang *lang, const char *t, size_t start,
                          size_t len) {
    digit_group g[MAX_GROUPS];
    int n = read_groups(t, start, len, g);
    qa_token tok;
    memset(&tok, 0, sizeof tok);
    size_t end = read_date(t, g, n, lang, &tok) ? g[2].end : read_number(t, g, n, lang, &tok);
    qa_token *dst = token_push(p, tok.kind, start, end);
    if (!dst)
        return 0;
    memcpy(dst->value, tok.value, sizeof tok.value);
    dst->day = tok.day;
    dst->year = tok.year;
    return end;
}

/* --- words ------------------------------------------------------------------------------------ */

int qa_text_equal_folded(const char *a, size_t alen, const char *b, size_t blen) {
    if (alen == blen && memcmp(a, b, alen) == 0)
        return 1;
    /* the bytes alike up to the character where they first differ */
    size_t same = 0, n = alen < blen ? alen : blen;
    while (same < n && a[same] == b[same])
        same++;
    while (same > 0 && same < alen && U8_IS_TRAIL((unsigned char)a[same]))
        same--;
    size_t i = same, j = same;
    while (i < alen && j < blen) {
        unsigned char ca = (unsigned char)a[i], cb = (unsigned char)b[j];
        if (ca < 0x80 && cb < 0x80) { /* ASCII folds by itself */
            if (ca != cb && ((ca | 0x20) != (cb | 0x20) || (ca | 0x20) < 'a' || (ca | 0x20) > 'z'))
                return 0;
            i++, j++;
            continue;
        }
        if (ca == cb && ca >= 0xC2 && ca < 0xE0 && i + 1 < alen && j + 1 < blen &&
            a[i + 1] == b[j + 1] && ((unsigned char)a[i + 1] & 0xC0) == 0x80) {
            i += 2, j += 2; /* the same character of two bytes (Cyrillic, Greek…) */
            continue;
        }
        UChar32 x, y;
        U8_NEXT(a, i, alen, x);
        U8_NEXT(b, j, blen, y);
        if (x != y && (x < 0 || y < 0 || u_foldCase(x, U_FOLD_CASE_DEFAULT) !=
                                             u_foldCase(y, U_FOLD_CASE_DEFAULT)))
            return 0;
    }
    return i == alen && j == blen;
}

typedef enum char_class { CL_OTHER, CL_LETTER, CL_MARK, CL_DIGIT, CL_SPACE, CL_QUOTELIKE } char_class;
typedef enum char_script { SC_NONE, SC_LATIN, SC_CYRILLIC, SC_GREEK, SC_OTHER } char_script;

#define BITS_CLASS(b) ((char_class)((b) & 7))
#define BITS_SCRIPT(b) ((char_script)(((b) >> 3) & 7))
#define BITS_CAPITAL 0x40

/* ICU's word on a code point, packed (qa_char_bits). */
static qa_char_bits char_bits(UChar32 c) {
    int8_t type = u_charType(c);
    char_class cl = CL_OTHER;
    if (type >= U_UPPERCASE_LETTER && type <= U_OTHER_LETTER)
        cl = CL_LETTER;
    else if (type >= U_NON_SPACING_MARK && type <= U_COMBINING_SPACING_MARK)
        cl = CL_MARK;
    else if (type == U_DECIMAL_DIGIT_NUMBER)
        cl = CL_DIGIT;
    else if (u_isUWhiteSpace(c))
        cl = CL_SPACE;
    else if (c > 0x7F && (type == U_INITIAL_PUNCTUATION || type == U_FINAL_PUNCTUATION ||
                          type == U_START_PUNCTUATION || type == U_END_PUNCTUATION))
        cl = CL_QUOTELIKE;
    char_script sc = SC_NONE;
    if (cl == CL_LETTER) {
        UErrorCode err = U_ZERO_ERROR;
        UScriptCode code = uscript_getScript(c, &err);
        sc = U_FAILURE(err) ? SC_OTHER
             : code == USCRIPT_LATIN ? SC_LATIN
             : code == USCRIPT_CYRILLIC ? SC_CYRILLIC
             : code == USCRIPT_GREEK ? SC_GREEK
             : code == USCRIPT_COMMON || code == USCRIPT_INHERITED ? SC_NONE : SC_OTHER;
    }
    int capital = type == U_UPPERCASE_LETTER || type == U_TITLECASE_LETTER;
    return (qa_char_bits)(cl | (sc << 3) | (capital ? BITS_CAPITAL : 0));
}

/* What plain_run makes of an ASCII byte (qa_profile.plain). */
enum { PLAIN_NONE, PLAIN_LETTER, PLAIN_OTHER, PLAIN_SPACE };

static void fill_table(qa_profile *p) {
    for (UChar32 c = 0; c < QA_CHAR_TABLE; c++)
        p->table[c] = char_bits(c);
    /* a lead byte of two under which every character is a letter of one script (Cyrillic's D0 and
     * D1): the letters after a word's first are taken two bytes at a time */
    memset(p->letter_lead, 0, sizeof p->letter_lead);
    for (unsigned lead = 0xC2; lead < 0xE0; lead++) {
        UChar32 first = (UChar32)(lead & 0x1F) << 6;
        qa_char_bits want = (qa_char_bits)(p->table[first] & ~BITS_CAPITAL);
        int same = BITS_CLASS(want) == CL_LETTER;
        for (UChar32 c = first; same && c < first + 0x40; c++)
            same = (qa_char_bits)(p->table[c] & ~BITS_CAPITAL) == want;
        p->letter_lead[lead] = same ? want : 0;
    }
    p->cyrillic_pair = p->letter_lead[0xD0] == p->letter_lead[0xD1] ? p->letter_lead[0xD0] : 0;
    for (int b = 0; b < 0x80; b++) {
        char_class cl = BITS_CLASS(p->table[b]);
        if (b == ' ')
            p->plain[b] = PLAIN_SPACE;
        else if (cl == CL_LETTER && b != 'w' && b != 'W') /* "www." may start a URL */
            p->plain[b] = PLAIN_LETTER;
        else if (cl == CL_OTHER && !strchr("%{<()[]}\"", b))   /* tokens, brackets, quotes */
            p->plain[b] = PLAIN_OTHER;
        else
            p->plain[b] = 0;
    }
    p->table_ready = 1;
}

static QA_HOT_INLINE qa_char_bits bits_of(qa_profile *p, UChar32 c) {
    if (c < QA_CHAR_TABLE)
        return p->table[c];
    qa_char_entry *e = &p->cache[(uint32_t)c % QA_CHAR_CACHE];
    if (e->cp != c) {
        e->cp = c;
        e->bits = char_bits(c);
    }
    return e->bits;
}

static UScriptCode script_code(char_script sc) {
    return sc == SC_LATIN ? USCRIPT_LATIN : sc == SC_CYRILLIC ? USCRIPT_CYRILLIC
                                          : sc == SC_GREEK ? USCRIPT_GREEK : USCRIPT_UNKNOWN;
}

typedef struct word_state {
    int in_word;
    size_t start;
    int letters;
    int capital;         /* its first letter is upper or title case */
    char_script script;  /* of its letters so far (SC_NONE: none yet) */
    char_script other;   /* a second script, when the word mixes two */
    size_t prev_start, prev_end; /* the word before, when only spaces lie between */
    int prev_adjacent;
} word_state;

static int confusable_script(char_script s) {
    return s == SC_LATIN || s == SC_CYRILLIC || s == SC_GREEK;
}

/* The script of another letter of the word: the first that is not its first script and is
 * confusable with it makes the word mixed. */
static void word_script(word_state *w, char_script sc) {
    if (sc == SC_NONE)
        return;
    if (w->script == SC_NONE)
        w->script = sc;
    else if (sc != w->script && w->other == SC_NONE && confusable_script(sc) &&
             confusable_script(w->script))
        w->other = sc;
}

/* The first letter of a word. */
static inline void word_begin(word_state *w, qa_char_bits bits, size_t at) {
    w->in_word = 1;
    w->start = at;
    w->letters = 1;
    w->capital = (bits & BITS_CAPITAL) != 0;
    w->script = SC_NONE;
    w->other = SC_NONE;
    word_script(w, BITS_SCRIPT(bits));
}

/* Another letter of the word. */
static inline void word_letter(word_state *w, qa_char_bits bits) {
    char_script sc = BITS_SCRIPT(bits);
    w->letters++;
    if (sc != w->script)
        word_script(w, sc);
}

static void word_end(qa_profile *p, word_state *w, const char *t, size_t end) {
    if (!w->in_word)
        return;
    w->in_word = 0;
    if (w->letters >= 2 && !w->capital) {
        p->common_words++;
        p->has_common_word = 1;
    }
    if (w->other != SC_NONE) {
        if (p->n_mixed < QA_MAX_MIXED) {
            p->mixed[p->n_mixed] = (qa_span){w->start, end};
            p->mixed_scripts[p->n_mixed][0] = script_code(w->script);
            p->mixed_scripts[p->n_mixed][1] = script_code(w->other);
        }
        p->n_mixed++;
    }
    if (w->prev_adjacent && end - w->start == w->prev_end - w->prev_start &&
        qa_text_equal_folded(t + w->start, end - w->start, t + w->prev_start,
                             w->prev_end - w->prev_start)) {
        if (!p->n_doubled)
            p->doubled = (qa_span){w->start, end};
        p->n_doubled++;
    }
    w->prev_start = w->start;
    w->prev_end = end;
    w->prev_adjacent = 1;
}

/* --- brackets and quotation marks ------------------------------------------------------------- */

typedef struct marks_state {
    int depth[3];              /* ( [ { */
    size_t unmatched_close;
    UChar32 first_close;
    int pending[QA_MAX_QUOTE_PAIRS];
    size_t quote_unmatched;
    UChar32 first_quote;
} marks_state;

static void bracket(marks_state *m, UChar32 c) {
    static const char opens[] = "([{", closes[] = ")]}";
    for (int k = 0; k < 3; k++) {
        if (c == opens[k]) {
            m->depth[k]++;
        } else if (c == closes[k]) {
            if (m->depth[k] > 0) {
                m->depth[k]--;
            } else {
                if (!m->unmatched_close)
                    m->first_close = c;
                m->unmatched_close++;
            }
        }
    }
}

static int is_quote_candidate(const qa_lang *l, UChar32 c) {
    for (int k = 0; k < l->n_quotes; k++)
        if (l->quote_open[k] == c || l->quote_close[k] == c)
            return 1;
    return 0;
}

/* A mark closes the pair it can close that is open; otherwise it opens the pair it can open; a
 * right single quotation mark that closes nothing is an apostrophe ("students’ books"). */
static void quote(marks_state *m, const qa_lang *l, UChar32 c) {
    for (int k = 0; k < l->n_quotes; k++)
        if (l->quote_close[k] == c && m->pending[k] > 0 && l->quote_open[k] != c) {
            m->pending[k]--;
            return;
        }
    if (c == 0x2019)
        return;
    for (int k = 0; k < l->n_quotes; k++)
        if (l->quote_open[k] == c) {
            if (l->quote_close[k] == c)
                m->pending[k] = !m->pending[k];
            else
                m->pending[k]++;
            return;
        }
    if (!m->quote_unmatched)
        m->first_quote = c;
    m->quote_unmatched++;
}

static void marks_finish(qa_profile *p, const marks_state *m, const qa_lang *l) {
    static const UChar32 opens[] = {'(', '[', '{'};
    p->brackets_unbalanced = m->unmatched_close;
    p->bracket_first = m->first_close;
    for (int k = 0; k < 3; k++) {
        if (m->depth[k] > 0 && !p->bracket_first)
            p->bracket_first = opens[k];
        p->brackets_unbalanced += (size_t)m->depth[k];
    }
    p->quotes_unbalanced = m->quote_unmatched;
    p->quote_first = m->first_quote;
    for (int k = 0; k < l->n_quotes; k++) {
        if (m->pending[k] > 0 && !p->quote_first)
            p->quote_first = l->quote_open[k];
        p->quotes_unbalanced += (size_t)m->pending[k];
    }
}

/* --- the ends of the text --------------------------------------------------------------------- */

static int is_space(UChar32 c) {
    return c < 0x80 ? (c == ' ' || (c >= '\t' && c <= '\r')) : u_isUWhiteSpace(c);
}

/* The code point that ends at *j (moving *j to its start); -1 for a byte of no valid sequence.
 * ICU's U8_PREV takes 32-bit offsets; a text may be longer. */
static UChar32 prev_char(const char *t, size_t floor, size_t *j) {
    size_t end = *j, start = end - 1;
    while (start > floor && end - start < 4 && U8_IS_TRAIL((unsigned char)t[start]))
        start--;
    size_t i = start;
    UChar32 c;
    U8_NEXT(t, i, end, c);
    if (i != end) { /* not one whole sequence: take the last byte alone */
        *j = end - 1;
        return -1;
    }
    *j = start;
    return c;
}

static void measure_ends(qa_profile *p, const char *t, size_t len) {
    size_t i = 0;
    while (i < len) {
        size_t at = i;
        UChar32 c;
        U8_NEXT(t, i, len, c);
        if (c < 0 || !is_space(c)) {
            i = at;
            break;
        }
    }
    p->lead_ws = i;
    p->blank = i == len;
    size_t j = len;
    while (j > i) {
        size_t at = j;
        UChar32 c = prev_char(t, i, &j);
        if (c < 0 || !is_space(c)) {
            j = at;
            break;
        }
    }
    p->trail_ws = len - j;
}

static int is_closing(UChar32 c) {
    if (c == '"' || c == '\'' || c == ')' || c == ']' || c == '}')
        return 1;
    if (c < 0x80)
        return 0;
    int8_t type = u_charType(c);
    return type == U_FINAL_PUNCTUATION || type == U_END_PUNCTUATION ||
           type == U_INITIAL_PUNCTUATION; /* “ closes German quotes */
}

static qa_end_class end_class_of(UChar32 c, const qa_lang *l) {
    switch (c) {
    case '.': case 0x3002: case 0xFF0E: case 0x0964: case 0x0965: case 0x06D4: case 0x0589:
    case 0x1362: case 0x104B: case 0xFF61:
        return QA_END_PERIOD;
    case '?': case 0xFF1F: case 0x061F: case 0x037E: case 0x203D: case 0x2E2E:
        return QA_END_QUESTION;
    case '!': case 0xFF01: case 0x01C3:
        return QA_END_EXCLAMATION;
    case ':': case 0xFF1A:
        return QA_END_COLON;
    case ';': case 0xFF1B: case 0x061B:
        return l->greek && c == ';' ? QA_END_QUESTION : QA_END_SEMICOLON;
    case 0x2026:
        return QA_END_ELLIPSIS;
    default:
        return QA_END_NONE;
    }
}

/* The mark that ends the text, looking through closing quotes and brackets. */
static qa_end_class find_end_class(const char *t, size_t len, const qa_profile *p,
                                   const qa_lang *l) {
    size_t j = len - p->trail_ws;
    while (j > p->lead_ws) {
        UChar32 c = prev_char(t, p->lead_ws, &j);
        if (c >= 0 && is_closing(c))
            continue;
        qa_end_class k = c < 0 ? QA_END_NONE : end_class_of(c, l);
        if (k == QA_END_PERIOD && c == '.' && j >= 2 && t[j - 1] == '.' && t[j - 2] == '.')
            return QA_END_ELLIPSIS;
        return k;
    }
    return QA_END_NONE;
}

/* --- the pass --------------------------------------------------------------------------------- */

/* Decodes the code point at *i (moving *i past it) and says what it is; a byte of no valid
 * sequence is CL_OTHER with *c < 0. */
static QA_HOT_INLINE qa_char_bits next_char(qa_profile *p, const char *t, size_t *i, size_t len,
                                            UChar32 *c) {
    size_t j = *i;
    unsigned char b = (unsigned char)t[j], t1;
    if (b < 0x80) {
        *i = j + 1;
        *c = b;
        return p->table[b];
    }
    if (b >= 0xC2 && b < 0xE0 && j + 1 < len && (t1 = (unsigned char)(t[j + 1] ^ 0x80)) < 0x40) {
        *c = ((UChar32)(b & 0x1F) << 6) | t1; /* two bytes: Cyrillic, Greek, Latin-1… */
        *i = j + 2;
        return p->table[*c];
    }
    U8_NEXT(t, j, len, *c);
    *i = j;
    return *c < 0 ? CL_OTHER : bits_of(p, *c);
}

/* Runs of letters eight bytes at a time, the common case of a word's rest: Cyrillic letters of
 * U+0400..U+047F (lead bytes D0 and D1, every character under them a letter) or ASCII letters,
 * in place of a look-up per character. Each test marks in bit 7 the bytes that break the run. */
static QA_HOT_INLINE uint64_t load_le64(const char *t) {
    uint64_t w;
    memcpy(&w, t, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

#define EVERY_BYTE(b) (0x0101010101010101ull * (uint64_t)(b))

/* Bytes that are no ASCII letter: x | 0x20 within 'a'..'z' exactly for A-Z and a-z. A byte of
 * 0x80 and above may carry into the bytes after it, never into those before: the first byte
 * marked is right, and only the first is used. */
static QA_HOT_INLINE uint64_t not_ascii_letters(uint64_t w) {
    uint64_t y = w | EVERY_BYTE(0x20);
    uint64_t at_least_a = y + EVERY_BYTE(0x80 - 'a');
    uint64_t above_z = y + EVERY_BYTE(0x7F - 'z');
    return (~(at_least_a & ~above_z) | w) & EVERY_BYTE(0x80);
}

/* Bytes that break the pattern lead D0 or D1, then a continuation byte (the first byte in the
 * low one): a byte's bit 7 is set when any of its bits differs from the pattern's. */
static QA_HOT_INLINE uint64_t not_cyrillic_pairs(uint64_t w) {
    uint64_t x = (w & 0xC0FEC0FEC0FEC0FEull) ^ 0x80D080D080D080D0ull;
    return (((x & EVERY_BYTE(0x7F)) + EVERY_BYTE(0x7F)) | x) & EVERY_BYTE(0x80);
}

/* The letters of one script that start at t[i] and lie in the next eight bytes before `limit`:
 * their count (0: none, take the character alone), their bytes in *bytes (8: the run may go on),
 * the bits of each (capital left out: a word's rest needs only the script) in *bits. */
static QA_HOT_INLINE size_t letter_run(const qa_profile *p, const char *t, size_t i, size_t limit,
                                       qa_char_bits *bits, size_t *bytes) {
    unsigned char b = (unsigned char)t[i];
    int cyrillic = (b & 0xFE) == 0xD0 && p->cyrillic_pair;
    if (!cyrillic && !(b < 0x80 && BITS_CLASS(p->table[b]) == CL_LETTER))
        return 0;
    uint64_t w;
    if (limit - i >= 8) {
        w = load_le64(t + i);
    } else { /* the bytes past `limit` as zeros, which break either run */
        char tail[8] = {0};
        memcpy(tail, t + i, limit - i);
        w = load_le64(tail);
    }
    uint64_t broken = cyrillic ? not_cyrillic_pairs(w) : not_ascii_letters(w);
    size_t run = broken ? (size_t)__builtin_ctzll(broken) >> 3 : 8;
    if (cyrillic) {
        run &= ~(size_t)1; /* whole pairs only */
        *bits = p->cyrillic_pair;
        *bytes = run;
        return run / 2;
    }
    *bits = (qa_char_bits)(p->table['a'] & ~BITS_CAPITAL);
    *bytes = run;
    return run;
}

/* The rest of a word whose first letter is just behind *i, up to `limit` (a token's start): its
 * letters, marks and inner apostrophes (l'homme, п’ять). Returns the characters taken. */
static size_t word_rest(qa_profile *p, word_state *w, const char *t, size_t *i, size_t limit) {
    size_t taken = 0;
    while (*i < limit) {
        qa_char_bits run_bits;
        size_t bytes, n = letter_run(p, t, *i, limit, &run_bits, &bytes);
        if (n) { /* the run's letters are of one script: one word_letter says it for all */
            word_letter(w, run_bits);
            w->letters += (int)n - 1;
            *i += bytes;
            taken += n;
            if (bytes == 8 || *i >= limit)
                continue;
        }
        qa_char_bits lead = p->letter_lead[(unsigned char)t[*i]];
        if (lead && *i + 1 < limit && ((unsigned char)t[*i + 1] & 0xC0) == 0x80) {
            word_letter(w, lead);
            *i += 2;
            taken++;
            continue;
        }
        size_t q = *i;
        UChar32 c;
        qa_char_bits bits = next_char(p, t, &q, limit, &c);
        char_class cl = BITS_CLASS(bits);
        if (cl == CL_LETTER) {
            word_letter(w, bits);
        } else if (cl != CL_MARK) {
            if (!(c == '\'' || c == 0x2019) || q >= limit)
                break;
            size_t r = q;
            UChar32 n;
            U8_NEXT(t, r, limit, n);
            if (n < 0 || !u_isalpha(n))
                break;
        }
        *i = q;
        taken++;
    }
    return taken;
}

/* The rest of a word's letters when its words are not wanted now: the characters taken. */
static size_t letters_rest(qa_profile *p, const char *t, size_t *i, size_t limit) {
    size_t taken = 0;
    while (*i < limit) {
        qa_char_bits run_bits;
        size_t bytes, n = letter_run(p, t, *i, limit, &run_bits, &bytes);
        if (n) {
            *i += bytes;
            taken += n;
            if (bytes == 8 || *i >= limit)
                continue;
        }
        if (p->letter_lead[(unsigned char)t[*i]] && *i + 1 < limit &&
            ((unsigned char)t[*i + 1] & 0xC0) == 0x80) {
            *i += 2;
            taken++;
            continue;
        }
        size_t q = *i;
        UChar32 c;
        char_class cl = BITS_CLASS(next_char(p, t, &q, limit, &c));
        if (cl != CL_LETTER && cl != CL_MARK)
            break;
        *i = q;
        taken++;
    }
    return taken;
}

void qa_profile_words(qa_profile *p, const char *t, size_t len, int stop_at_common) {
    if (p->words_done == 2 || (p->words_done == 1 && stop_at_common) || p->blank)
        return;
    p->common_words = p->n_doubled = p->n_mixed = 0;
    p->has_common_word = 0;
    word_state w;
    memset(&w, 0, sizeof w);
    /* two runs of tokens, each in text order: the marked ones, then those of the main pass */
    size_t a = 0, b = p->n_marked;
    for (size_t i = 0; i < len;) {
        size_t next_a = a < p->n_marked ? p->tokens[a].start : len;
        size_t next_b = b < p->n_tokens ? p->tokens[b].start : len;
        size_t limit = next_a < next_b ? next_a : next_b;
        if (i >= limit) {
            size_t end = next_a <= next_b ? p->tokens[a++].end : p->tokens[b++].end;
            i = end > i ? end : i;
            w.prev_adjacent = 0;
            continue;
        }
        size_t at = i;
        UChar32 c;
        qa_char_bits bits = next_char(p, t, &i, len, &c);
        char_class cl = BITS_CLASS(bits);
        if (cl == CL_LETTER) {
            word_begin(&w, bits, at);
            word_rest(p, &w, t, &i, limit);
            word_end(p, &w, t, i);
            if (stop_at_common && p->has_common_word) {
                p->words_done = 1;
                return;
            }
        } else if (cl != CL_SPACE) {
            w.prev_adjacent = 0;
        }
    }
    p->words_done = 2;
}

/* A word from its first letter at `at` (*i just past it) up to `limit`: its letters counted in
 * *chars, and when `words`, its word taken. */
static QA_HOT_INLINE void take_word(qa_profile *p, word_state *w, const char *t, size_t at,
                                    size_t *i, size_t limit, qa_char_bits bits, int words,
                                    size_t *chars) {
    if (words) {
        word_begin(w, bits, at);
        *chars += 1 + word_rest(p, w, t, i, limit);
        word_end(p, w, t, *i);
    } else {
        *chars += 1 + letters_rest(p, t, i, limit);
    }
}

/* The stretch from *i that holds nothing but words (of ASCII letters or Cyrillic ones starting
 * with D0/D1), single spaces and punctuation no check looks at, up to `limit`: taken as the
 * pass would take it character by character, with one look-up a character in place of the
 * pass's tests. Stops before anything else (a digit, a token's start, a bracket, a quotation
 * mark, two spaces, another script). *prev is what the pass keeps of the character before (a
 * space or not), and after, when it took anything (then it returns nonzero). */
static int plain_run(qa_profile *p, word_state *w, const char *t, size_t *i, size_t limit,
                     int words, size_t *chars, UChar32 *prev) {
    size_t start = *i;
    int space = *prev == ' ';
    while (*i < limit) {
        size_t at = *i;
        unsigned char b = (unsigned char)t[at];
        qa_char_bits bits;
        if (b < 0x80) {
            uint8_t kind = p->plain[b];
            if (kind == PLAIN_OTHER) {
                w->prev_adjacent = 0;
                (*chars)++;
                *i = at + 1;
                space = 0;
                continue;
            }
            if (kind == PLAIN_SPACE && !space && (at + 1 >= limit || t[at + 1] != ' ')) {
                *i = at + 1;
                space = 1;
                continue;
            }
            if (kind != PLAIN_LETTER)
                break;
            bits = p->table[b];
            *i = at + 1;
        } else if ((b & 0xFE) == 0xD0 && p->cyrillic_pair && at + 1 < limit &&
                   ((unsigned char)t[at + 1] & 0xC0) == 0x80) {
            bits = p->table[((b & 0x1F) << 6) | ((unsigned char)t[at + 1] & 0x3F)];
            *i = at + 2;
        } else {
            break;
        }
        take_word(p, w, t, at, i, limit, bits, words, chars);
        space = 0;
    }
    if (*i == start)
        return 0;
    *prev = space ? ' ' : 'a';
    return 1;
}

/* The rest of a run of spaces (the indentation of a rendered page) from i, its second space,
 * up to `limit`: where it ends. The second space of a run inside the text counts it a double space,
 * as the pass would one space at a time; the spaces after say nothing more. */
static size_t space_run(qa_profile *p, const char *t, size_t i, size_t limit, size_t interior_end) {
    if (i > p->lead_ws && i < interior_end && (i < 2 || t[i - 2] != ' ')) {
        if (!p->n_double_spaces)
            p->double_space_at = i - 1;
        p->n_double_spaces++;
    }
    i++;
    while (i + 8 <= limit && load_le64(t + i) == EVERY_BYTE(' '))
        i += 8;
    while (i < limit && t[i] == ' ')
        i++;
    return i;
}

int qa_profile_scan(qa_profile *p, const qa_lang *lang, const char *t, size_t len, int words) {
    /* everything but the buffers kept from scan to scan */
    memset((char *)p + offsetof(qa_profile, n_tokens), 0,
           sizeof *p - offsetof(qa_profile, n_tokens));
    if (!p->table_ready)
        fill_table(p);
    measure_ends(p, t, len);
    if (p->blank)
        return 0;
    p->end = find_end_class(t, len, p, lang);
    if (scan_marked_tokens(p, t, len) != 0)
        return -1;
    p->n_marked = p->n_tokens;
    size_t n_special = p->n_tokens, k = 0;
    size_t interior_end = len - p->trail_ws, chars = 0;
    word_state w;
    memset(&w, 0, sizeof w);
    marks_state m;
    memset(&m, 0, sizeof m);
    UChar32 prev = 0;
    size_t limit = n_special ? p->tokens[0].start : len;
    for (size_t i = 0; i < len;) {
        if (i >= limit) {
            w.prev_adjacent = 0;
            i = p->tokens[k].end > i ? p->tokens[k].end : i;
            k++;
            limit = k < n_special ? p->tokens[k].start : len;
            prev = 'x';
            continue;
        }
        if (plain_run(p, &w, t, &i, limit, words, &chars, &prev))
            continue;
        size_t at = i;
        UChar32 c;
        qa_char_bits bits = next_char(p, t, &i, len, &c);
        char_class cl = BITS_CLASS(bits);
        /* most characters start a word: no token starts with a letter but "www." */
        if (cl == CL_LETTER && (c | 0x20) != 'w') {
            take_word(p, &w, t, at, &i, limit, bits, words, &chars);
            prev = 'a';
            continue;
        }
        if (c == '%' && i < len && t[i] == '%') { /* a percent sign, written for printf */
            i++;
            chars += 2;
            w.prev_adjacent = 0;
            prev = c;
            continue;
        }
        if (c == '%' || c == '{' || c == '<' || c == 'w' || c == 'W') {
            size_t start, n;
            qa_token_kind kind;
            if ((n = forward_token(t, at, len, &start, &kind)) != 0) {
                if (!token_push(p, kind, start, start + n))
                    return -1;
                w.prev_adjacent = 0;
                i = start + n;
                prev = 'x';
                continue;
            }
        }
        if (cl == CL_LETTER) {
            take_word(p, &w, t, at, &i, limit, bits, words, &chars);
            prev = 'a';
            continue;
        }
        if (cl == CL_DIGIT) {
            size_t end = scan_number(p, lang, t, at, len);
            if (!end)
                return -1;
            chars += end - at; /* near enough: separators are one byte mostly */
            i = end;
            w.prev_adjacent = 0;
            prev = '0';
            continue;
        }
        if (cl == CL_SPACE) {
            if (c == ' ' && prev == ' ' && at > p->lead_ws && at < interior_end &&
                (at < 2 || t[at - 2] != ' ')) {
                if (!p->n_double_spaces)
                    p->double_space_at = at - 1;
                p->n_double_spaces++;
            }
            prev = c;
            if (c == ' ' && i < limit && t[i] == ' ')
                i = space_run(p, t, i, limit, interior_end);
            continue;
        }
        w.prev_adjacent = 0;
        chars++;
        if (c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}')
            bracket(&m, c);
        else if (c == '"' || (cl == CL_QUOTELIKE && is_quote_candidate(lang, c)))
            quote(&m, lang, c);
        prev = c;
    }
    p->chars = chars;
    p->words_done = words ? 2 : 0;
    marks_finish(p, &m, lang);
    return 0;
}

void qa_profile_copy_summary(qa_profile *to, const qa_profile *from) {
    size_t at = offsetof(qa_profile, n_tokens);
    memcpy((char *)to + at, (const char *)from + at, sizeof *to - at);
    to->n_tokens = 0;
    to->kinds = 0;
}

void qa_profile_free(qa_profile *p) {
    free(p->tokens);
    p->tokens = NULL;
    p->n_tokens = p->cap = 0;
}
