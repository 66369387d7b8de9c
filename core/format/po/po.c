/*
 * po: the gettext PO/POT format module (format.h), at the front of the data path beside decode
 * and at its end beside the writers.
 *
 * Each entry's msgid is a paragraph, and its msgid_plural a second one; the header entry
 * (msgid "") and obsolete entries (#~) are not. An existing msgstr is the paragraph's preseg,
 * final unless the entry is fuzzy. printf- and brace-style placeholders are standalone codes, so
 * no engine can break them.
 *
 * The module parses PO itself rather than through libgettextpo: writing a file back byte for byte
 * needs every line's bytes and place (comments, wrapping, obsolete entries), which libgettextpo
 * does not give. The skeleton is the file in UTF-8 plus, for each entry, where its flags line and
 * its msgstr lines are; `write` copies the file and replaces only those, and re-encodes to the
 * charset the header declares.
 */
#include "po.h"

#include "hashtab.h"
#include "utf8.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- skeleton -------------------------------------------------------------------------------- */

typedef struct po_entry {
    size_t flags_off, flags_len;  /* the "#," line with its newline; len 0 when there is none */
    size_t flags_insert;          /* where a new "#," line goes: before "#|", msgctxt or msgid */
    size_t msgstr_off, msgstr_end; /* the msgstr lines, through the last one's newline */
    int ends_without_newline;     /* the file ends on the entry's last msgstr line */
    int fuzzy;
    int plural;
    size_t para;                  /* its first paragraph */
    char **msgstr;                /* owned: the existing msgstr[i], decoded */
    size_t n_msgstr;
    char *flags;                  /* owned: the flags line's words, "c-format, fuzzy" */
} po_entry;

typedef struct po_skel {
    char *text;                   /* owned: the file in UTF-8 */
    size_t len;
    po_entry *entries;            /* owned: the entries that are paragraphs, in file order */
    size_t n_entries;
    int has_header;
    size_t header_msgstr_off, header_msgstr_end;
    int header_ends_without_newline;
    char *header;                 /* owned or NULL: the header's msgstr, decoded */
} po_skel;

static void skel_free(void *p) {
    po_skel *s = p;
    if (!s)
        return;
    for (size_t i = 0; i < s->n_entries; i++) {
        for (size_t j = 0; j < s->entries[i].n_msgstr; j++)
            free(s->entries[i].msgstr[j]);
        free(s->entries[i].msgstr);
        free(s->entries[i].flags);
    }
    free(s->entries);
    free(s->text);
    free(s->header);
    free(s);
}

/* --- charset ------------------------------------------------------------------------------- */

static int is_utf8_name(const char *cs) {
    return strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "UTF8") == 0 || strcasecmp(cs, "ASCII") == 0 ||
           strcasecmp(cs, "US-ASCII") == 0 || strcasecmp(cs, "CHARSET") == 0;
}

/* The charset the header's Content-Type names, from the raw bytes: every charset a PO file may
 * have keeps ASCII as ASCII, so the header can be found before decoding. */
static void header_charset(const char *bytes, size_t len, char *out, size_t cap) {
    snprintf(out, cap, "UTF-8");
    static const char key[] = "charset=";
    size_t limit = len < 65536 ? len : 65536;
    for (size_t i = 0; i + sizeof key - 1 < limit; i++) {
        if (strncasecmp(bytes + i, key, sizeof key - 1) != 0)
            continue;
        size_t s = i + sizeof key - 1, e = s;
        while (e < limit && (isalnum((unsigned char)bytes[e]) || strchr("-_.:", bytes[e])))
            e++;
        if (e > s && e - s < cap) {
            memcpy(out, bytes + s, e - s);
            out[e - s] = '\0';
        }
        return;
    }
}

/* Converts `len` bytes from `from` to `to`. Returns 0 with *out (owned, NUL-terminated), or -1
 * with errno (EILSEQ: a character the target cannot hold or an invalid input byte, *bad its
 * offset in the input; EINVAL: an unknown charset; ENOMEM). */
static int convert(const char *from, const char *to, const char *in, size_t len, char **out, size_t *out_len,
                   size_t *bad) {
    iconv_t cd = iconv_open(to, from);
    if (cd == (iconv_t)-1)
        return -1;
    size_t cap = len * 4 + 16;
    char *buf = malloc(cap);
    if (!buf) {
        iconv_close(cd);
        errno = ENOMEM;
        return -1;
    }
    char *ip = (char *)in, *op = buf;
    size_t il = len, ol = cap - 1;
    size_t r = iconv(cd, &ip, &il, &op, &ol);
    int saved = errno;
    iconv_close(cd);
    if (r == (size_t)-1 || il) {
        if (bad)
            *bad = (size_t)(ip - in);
        free(buf);
        errno = r == (size_t)-1 ? (saved == E2BIG ? ENOMEM : saved) : EILSEQ;
        if (errno == EINVAL)
            errno = EILSEQ; /* a truncated sequence at the end is bad input, not a bad name */
        return -1;
    }
    *op = '\0';
    *out = buf;
    *out_len = (size_t)(op - buf);
    return 0;
}

/* --- strings ------------------------------------------------------------------------------- */

typedef struct po_str {
    xlate_buf b;
    int set;
} po_str;

/* Decodes one quoted C string at `p` (just after the opening quote's position is `p`) into
 * `out`. Returns 0, or -1 with *why set. */
static int decode_quoted(const char *p, const char *end, xlate_buf *out, const char **why) {
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p >= end || *p != '"') {
        *why = "a string in double quotes was expected";
        return -1;
    }
    p++;
    while (p < end && *p != '"') {
        char c = *p++;
        if (c != '\\') {
            xlate_buf_putc(out, c);
            continue;
        }
        if (p >= end) {
            *why = "the string ends inside an escape";
            return -1;
        }
        c = *p++;
        switch (c) {
        case 'n': xlate_buf_putc(out, '\n'); break;
        case 't': xlate_buf_putc(out, '\t'); break;
        case 'r': xlate_buf_putc(out, '\r'); break;
        case 'a': xlate_buf_putc(out, '\a'); break;
        case 'b': xlate_buf_putc(out, '\b'); break;
        case 'f': xlate_buf_putc(out, '\f'); break;
        case 'v': xlate_buf_putc(out, '\v'); break;
        case '\\': case '"': case '\'': case '?': xlate_buf_putc(out, c); break;
        default:
            if (c >= '0' && c <= '7') {
                int v = c - '0';
                for (int k = 0; k < 2 && p < end && *p >= '0' && *p <= '7'; k++)
                    v = v * 8 + (*p++ - '0');
                if (v > 0x7f)
                    goto not_ascii;
                xlate_buf_putc(out, (char)v);
            } else if (c == 'x' && p < end && isxdigit((unsigned char)*p)) {
                int v = 0;
                while (p < end && isxdigit((unsigned char)*p)) {
                    v = v * 16 + (isdigit((unsigned char)*p) ? *p - '0' : (tolower((unsigned char)*p) - 'a' + 10));
                    p++;
                    if (v > 0x7f)
                        goto not_ascii;
                }
                xlate_buf_putc(out, (char)v);
            } else {
                *why = "unknown escape sequence in a string";
                return -1;
            }
        }
    }
    if (p >= end) {
        *why = "a string has no closing double quote";
        return -1;
    }
    p++;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
    if (p < end) {
        *why = "text after a string's closing quote";
        return -1;
    }
    return 0;
not_ascii: /* a byte of the file's charset, or more than a byte: the text would not be UTF-8 */
    *why = "an octal or \\x escape above 127 in a string; write the character itself";
    return -1;
}

static void escape_into(xlate_buf *b, const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '\n': xlate_buf_puts(b, "\\n"); break;
        case '\t': xlate_buf_puts(b, "\\t"); break;
        case '\r': xlate_buf_puts(b, "\\r"); break;
        case '\a': xlate_buf_puts(b, "\\a"); break;
        case '\b': xlate_buf_puts(b, "\\b"); break;
        case '\f': xlate_buf_puts(b, "\\f"); break;
        case '\v': xlate_buf_puts(b, "\\v"); break;
        case '\\': xlate_buf_puts(b, "\\\\"); break;
        case '"': xlate_buf_puts(b, "\\\""); break;
        default:
            if (c < 0x20 || c == 0x7f)
                xlate_buf_printf(b, "\\%03o", c);
            else
                xlate_buf_putc(b, (char)c);
        }
    }
}

/* Columns a UTF-8 run takes: one a character. */
static size_t columns(const char *s, size_t len) {
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

enum { PO_WIDTH = 79 };

/* Writes `keyword "string"` as gettext does: one line when it fits in 79 columns and holds no
 * newline but at its end; else `keyword ""` and the string in lines broken after each \n and at
 * spaces so that each fits. */
static void write_keyword_string(xlate_buf *b, const char *keyword, const char *s, size_t len,
                                 int final_newline) {
    xlate_buf esc = XLATE_BUF_INIT;
    escape_into(&esc, s, len);
    const char *e = esc.data ? esc.data : "";
    size_t elen = esc.len;
    const char *inner_nl = elen >= 2 ? strstr(e, "\\n") : NULL;
    int internal_newline = inner_nl && (size_t)(inner_nl - e) + 2 < elen;
    if (!internal_newline && strlen(keyword) + 3 + columns(e, elen) <= PO_WIDTH) {
        xlate_buf_printf(b, "%s \"%s\"", keyword, e);
    } else {
        xlate_buf_printf(b, "%s \"\"", keyword);
        size_t i = 0;
        while (i < elen) {
            /* The piece up to and with the next \n. */
            size_t end = i;
            while (end < elen) {
                if (e[end] == '\\' && end + 1 < elen) {
                    end += 2;
                    if (e[end - 1] == 'n')
                        break;
                    continue;
                }
                end++;
            }
            while (i < end) {
                size_t take = end - i;
                if (columns(e + i, take) + 2 > PO_WIDTH) {
                    /* Break after the last space that keeps the line within the width. */
                    size_t cols = 0, last_space = 0;
                    for (size_t k = i; k < end; k++) {
                        cols += ((unsigned char)e[k] & 0xC0) != 0x80;
                        if (cols + 2 > PO_WIDTH)
                            break;
                        if (e[k] == ' ')
                            last_space = k + 1 - i;
                    }
                    if (last_space)
                        take = last_space;
                }
                xlate_buf_puts(b, "\n\"");
                xlate_buf_append(b, e + i, take);
                xlate_buf_putc(b, '"');
                i += take;
            }
        }
    }
    if (final_newline)
        xlate_buf_putc(b, '\n');
    xlate_buf_free(&esc);
}

/* --- placeholders -------------------------------------------------------------------------- */

/* Length of a printf-style conversion at s[0] == '%' (with Python's %(name)s), or 0. Spaces are
 * not taken as flags, so "50% discount" stays text. */
static size_t printf_length(const char *s, size_t len) {
    size_t i = 1;
    if (i < len && s[i] == '%')
        return 2;
    if (i < len && s[i] == '(') {
        size_t k = i + 1;
        while (k < len && (isalnum((unsigned char)s[k]) || s[k] == '_'))
            k++;
        if (k >= len || s[k] != ')' || k == i + 1)
            return 0;
        i = k + 1;
    } else {
        size_t k = i;
        while (k < len && isdigit((unsigned char)s[k]))
            k++;
        if (k > i && k < len && s[k] == '$')
            i = k + 1;
    }
    while (i < len && strchr("#0-+'", s[i]))
        i++;
    while (i < len && (isdigit((unsigned char)s[i]) || s[i] == '*'))
        i++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && (isdigit((unsigned char)s[i]) || s[i] == '*'))
            i++;
    }
    while (i < len && strchr("hlLqjzt", s[i]))
        i++;
    if (i < len && strchr("diouxXeEfFgGaAcspnrb", s[i]))
        return i + 1;
    return 0;
}

/* Length of a brace placeholder at s[0] == '{' ({0}, {name}, {count:d}), or 0. */
static size_t brace_length(const char *s, size_t len) {
    size_t i = 1;
    while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '.'))
        i++;
    if (i == 1)
        return 0;
    if (i < len && (s[i] == ':' || s[i] == '!')) {
        while (i < len && s[i] != '}' && s[i] != '{' && s[i] != ' ')
            i++;
    }
    return i < len && s[i] == '}' ? i + 1 : 0;
}

/* Whether the entry's flags turn printf-style scanning off ("no-c-format" and no other *-format). */
static int flags_forbid_printf(const char *flags) {
    return flags && strstr(flags, "no-c-format") && !strstr(flags, " c-format") &&
           strstr(flags, "python-format") == NULL;
}

/* Fills a fragment from a decoded string, every placeholder a standalone code. */
static int fragment_from_string(xlate_fragment *f, const char *s, size_t len, const char *flags) {
    int printf_ok = !flags_forbid_printf(flags);
    unsigned id = 0;
    size_t run = 0;
    if (xlate_fragment_append(f, "", 0) != 0)
        return -1;
    for (size_t i = 0; i < len;) {
        size_t n = 0;
        if (s[i] == '%' && printf_ok)
            n = printf_length(s + i, len - i);
        else if (s[i] == '{')
            n = brace_length(s + i, len - i);
        if (!n) {
            i++;
            continue;
        }
        char data[64];
        if (n >= sizeof data) {
            i++;
            continue;
        }
        memcpy(data, s + i, n);
        data[n] = '\0';
        if (xlate_fragment_append(f, s + run, i - run) != 0 ||
            xlate_fragment_add_code(f, XLATE_SEG_CODE_STANDALONE, ++id, data, s[i] == '%' ? "ph" : "brace", NULL) != 0)
            return -1;
        i += n;
        run = i;
    }
    return xlate_fragment_append(f, s + run, len - run);
}

/* The fragment as one string, each code's data at its place. */
static char *render(const xlate_fragment *f, size_t *len) {
    xlate_buf b = XLATE_BUF_INIT;
    size_t at = 0;
    for (size_t i = 0; i < f->n_codes; i++) {
        size_t pos = f->codes[i].pos <= f->len ? f->codes[i].pos : f->len;
        if (pos > at)
            xlate_buf_append(&b, f->text + at, pos - at);
        at = pos > at ? pos : at;
        xlate_buf_puts(&b, f->codes[i].data ? f->codes[i].data : "");
    }
    xlate_buf_append(&b, f->text + at, f->len - at);
    return xlate_buf_steal(&b, len);
}

/* --- reading --------------------------------------------------------------------------------- */

typedef struct entry_state {
    size_t start, line;           /* where the entry begins: byte, and line for messages */
    int in_use, obsolete, seen_msgstr;
    po_str ctxt, id, plural;
    xlate_buf *current;           /* where a continuation line goes */
    xlate_buf msgstr[16];
    size_t n_msgstr;
    size_t flags_off, flags_len, flags_insert, msgstr_off, msgstr_end;
    int flags_insert_set;
    int ends_without_newline;
    xlate_buf flags, extracted;
} entry_state;

static void state_reset(entry_state *e) {
    xlate_buf_free(&e->ctxt.b);
    xlate_buf_free(&e->id.b);
    xlate_buf_free(&e->plural.b);
    for (size_t i = 0; i < 16; i++)
        xlate_buf_free(&e->msgstr[i]);
    xlate_buf_free(&e->flags);
    xlate_buf_free(&e->extracted);
    memset(e, 0, sizeof *e);
}

static const char *buf_text(const xlate_buf *b) {
    return b->data ? b->data : "";
}

typedef struct reader {
    po_skel *skel;
    xlate_fdoc *doc;
    size_t cap_paras, cap_entries;
    xlate_hashtab *ids;           /* msgctxt\004msgid of the entries so far: one each */
    size_t duplicate_line;        /* set when an entry repeats an earlier one */
    size_t incomplete_line;       /* set when an entry lacks its msgid or its msgstr */
} reader;

static int add_para(reader *r, const char *id, const char *note, const char *src, size_t src_len,
                    const char *flags, const char *existing, int has_existing, int fuzzy) {
    if (r->doc->n_paras == r->cap_paras) {
        size_t cap = r->cap_paras ? r->cap_paras * 2 : 32;
        xlate_para *p = realloc(r->doc->paras, cap * sizeof *p);
        if (!p)
            return -1;
        r->doc->paras = p;
        r->cap_paras = cap;
    }
    xlate_para *p = &r->doc->paras[r->doc->n_paras++];
    memset(p, 0, sizeof *p);
    p->id = strdup(id);
    p->note = note && *note ? strdup(note) : NULL;
    if (!p->id || (note && *note && !p->note) || fragment_from_string(&p->source, src, src_len, flags) != 0)
        return -1;
    if (has_existing && *existing) {
        p->presegs = calloc(1, sizeof *p->presegs);
        if (!p->presegs)
            return -1;
        p->n_presegs = 1;
        p->presegs[0].span.start = 0;
        p->presegs[0].span.end = p->source.len;
        p->presegs[0].final = !fuzzy;
        if (fragment_from_string(&p->presegs[0].target, existing, strlen(existing), flags) != 0)
            return -1;
    }
    return 0;
}

static int finish_entry(reader *r, entry_state *e) {
    if (!e->in_use || e->obsolete || (!e->id.set && !e->seen_msgstr && !e->ctxt.set))
        return 0; /* comments alone, or an obsolete entry: kept as lines, nothing to translate */
    if (!e->id.set || !e->seen_msgstr) {
        r->incomplete_line = e->line;
        return -1;
    }
    po_skel *s = r->skel;
    if (!e->ctxt.set && e->id.b.len == 0) {
        if (s->has_header)
            return 0;
        s->has_header = 1;
        s->header_msgstr_off = e->msgstr_off;
        s->header_msgstr_end = e->msgstr_end;
        s->header_ends_without_newline = e->ends_without_newline;
        s->header = strdup(buf_text(&e->msgstr[0]));
        return s->header ? 0 : -1;
    }
    if (s->n_entries == r->cap_entries) {
        size_t cap = r->cap_entries ? r->cap_entries * 2 : 32;
        po_entry *p = realloc(s->entries, cap * sizeof *p);
        if (!p)
            return -1;
        s->entries = p;
        r->cap_entries = cap;
    }
    po_entry *pe = &s->entries[s->n_entries++];
    memset(pe, 0, sizeof *pe);
    pe->flags_off = e->flags_off;
    pe->flags_len = e->flags_len;
    pe->flags_insert = e->flags_insert;
    pe->msgstr_off = e->msgstr_off;
    pe->msgstr_end = e->msgstr_end;
    pe->ends_without_newline = e->ends_without_newline;
    pe->plural = e->plural.set;
    pe->para = r->doc->n_paras;
    pe->flags = strdup(buf_text(&e->flags));
    pe->msgstr = calloc(e->n_msgstr ? e->n_msgstr : 1, sizeof *pe->msgstr);
    if (!pe->flags || !pe->msgstr)
        return -1;
    for (size_t i = 0; i < e->n_msgstr; i++) {
        if (!(pe->msgstr[i] = strdup(buf_text(&e->msgstr[i]))))
            return -1;
        pe->n_msgstr++;
    }
    pe->fuzzy = strstr(pe->flags, "fuzzy") != NULL;

    xlate_buf id = XLATE_BUF_INIT, note = XLATE_BUF_INIT;
    if (e->ctxt.set) {
        xlate_buf_append(&id, buf_text(&e->ctxt.b), e->ctxt.b.len);
        xlate_buf_putc(&id, '\004');
        xlate_buf_printf(&note, "Context: %s", buf_text(&e->ctxt.b));
    }
    xlate_buf_append(&id, buf_text(&e->id.b), e->id.b.len);
    if (e->extracted.len) {
        if (note.len)
            xlate_buf_putc(&note, '\n');
        xlate_buf_append(&note, e->extracted.data, e->extracted.len);
    }
    int rc = xlate_buf_failed(&id) || xlate_buf_failed(&note) ? -1 : 0;
    if (rc == 0) {
        int added = xlate_hashtab_add(r->ids, buf_text(&id), id.len, NULL, NULL);
        if (added == 1) {
            r->duplicate_line = e->line;
            rc = -1;
        } else if (added < 0) {
            rc = -1;
        }
    }
    if (rc == 0)
        rc = add_para(r, buf_text(&id), buf_text(&note), buf_text(&e->id.b), e->id.b.len, pe->flags,
                      pe->n_msgstr ? pe->msgstr[0] : "", pe->n_msgstr > 0, pe->fuzzy);
    if (rc == 0 && pe->plural) {
        xlate_buf_puts(&id, "\001plural");
        rc = xlate_buf_failed(&id) ? -1
                                   : add_para(r, buf_text(&id), buf_text(&note), buf_text(&e->plural.b),
                                              e->plural.b.len, pe->flags, pe->n_msgstr > 1 ? pe->msgstr[1] : "",
                                              pe->n_msgstr > 1, pe->fuzzy);
    }
    xlate_buf_free(&id);
    xlate_buf_free(&note);
    return rc;
}

static int starts_with(const char *s, size_t len, const char *w) {
    size_t n = strlen(w);
    return len >= n && memcmp(s, w, n) == 0;
}

/* Parses the UTF-8 text line by line into entries and paragraphs. Returns 0, or -1 with err set. */
static int parse(reader *r, const char *name, xlate_error *err) {
    const char *t = r->skel->text;
    size_t len = r->skel->len, line_no = 0;
    entry_state e;
    memset(&e, 0, sizeof e);
    const char *why = NULL;
    for (size_t off = 0; off < len;) {
        const char *nl = memchr(t + off, '\n', len - off);
        size_t line_end = nl ? (size_t)(nl - t) : len, next = nl ? line_end + 1 : len;
        const char *l = t + off;
        size_t ll = line_end - off;
        if (ll && l[ll - 1] == '\r')
            ll--;
        line_no++;
        size_t lead = 0;
        while (lead < ll && (l[lead] == ' ' || l[lead] == '\t'))
            lead++;
        const char *w = l + lead;
        size_t wl = ll - lead;
        int keyword = starts_with(w, wl, "msgctxt") || starts_with(w, wl, "msgid") || starts_with(w, wl, "msgstr");
        if (wl == 0) {
            if (finish_entry(r, &e) != 0)
                goto failed;
            state_reset(&e);
        } else if (w[0] == '#') {
            if (e.seen_msgstr) {
                if (finish_entry(r, &e) != 0)
                    goto failed;
                state_reset(&e);
            }
            if (!e.in_use) {
                e.in_use = 1;
                e.start = off;
                e.line = line_no;
            }
            if (starts_with(w, wl, "#~")) {
                e.obsolete = 1;
            } else if (starts_with(w, wl, "#,")) {
                e.flags_off = off;
                e.flags_len = next - off;
                xlate_buf_putc(&e.flags, ' ');
                xlate_buf_append(&e.flags, w + 2, wl - 2);
            } else if (starts_with(w, wl, "#.")) {
                if (e.extracted.len)
                    xlate_buf_putc(&e.extracted, '\n');
                size_t k = 2;
                while (k < wl && w[k] == ' ')
                    k++;
                xlate_buf_append(&e.extracted, w + k, wl - k);
            } else if (starts_with(w, wl, "#|") && !e.flags_insert_set) {
                e.flags_insert = off;
                e.flags_insert_set = 1;
            }
        } else if (keyword) {
            int is_msgstr = starts_with(w, wl, "msgstr");
            if (!is_msgstr && e.seen_msgstr) {
                if (finish_entry(r, &e) != 0)
                    goto failed;
                state_reset(&e);
            }
            if (!e.in_use) {
                e.in_use = 1;
                e.start = off;
                e.line = line_no;
            }
            if (!is_msgstr && !e.flags_insert_set) {
                e.flags_insert = off;
                e.flags_insert_set = 1;
            }
            size_t kw = 0;
            while (kw < wl && (isalnum((unsigned char)w[kw]) || w[kw] == '_' || w[kw] == '[' || w[kw] == ']'))
                kw++;
            xlate_buf *dst = NULL;
            po_str *str = NULL;
            if (kw == 7 && memcmp(w, "msgctxt", 7) == 0)
                str = &e.ctxt;
            else if (kw == 5 && memcmp(w, "msgid", 5) == 0)
                str = &e.id;
            else if (kw == 12 && memcmp(w, "msgid_plural", 12) == 0)
                str = &e.plural;
            else if (is_msgstr) {
                size_t index = 0;
                if (kw > 6) {
                    if (w[6] != '[' || w[kw - 1] != ']' || kw < 9) {
                        why = "a msgstr index is not of the form msgstr[N]";
                        goto bad;
                    }
                    index = (size_t)strtoul(w + 7, NULL, 10);
                }
                if (index >= 16 || index != e.n_msgstr) {
                    why = "msgstr forms are not numbered 0, 1, 2… in order (at most 16)";
                    goto bad;
                }
                if (!e.seen_msgstr)
                    e.msgstr_off = off;
                e.seen_msgstr = 1;
                dst = &e.msgstr[e.n_msgstr++];
                xlate_buf_append(dst, "", 0);
            } else {
                why = "an unknown keyword (msgctxt, msgid, msgid_plural or msgstr was expected)";
                goto bad;
            }
            if (str) {
                if (str->set) {
                    why = "a keyword is repeated inside one entry (a blank line between entries missing?)";
                    goto bad;
                }
                str->set = 1;
                xlate_buf_append(&str->b, "", 0);
                dst = &str->b;
            }
            if (decode_quoted(w + kw, w + wl, dst, &why) != 0)
                goto bad;
            e.current = dst;
            if (is_msgstr) {
                e.msgstr_end = next;
                e.ends_without_newline = !nl;
            }
        } else if (w[0] == '"') {
            if (!e.current) {
                why = "a string continues nothing (no msgid or msgstr before it)";
                goto bad;
            }
            if (decode_quoted(w, w + wl, e.current, &why) != 0)
                goto bad;
            if (e.seen_msgstr) {
                e.msgstr_end = next;
                e.ends_without_newline = !nl;
            }
        } else {
            why = "a line that is not a comment, a keyword or a string";
            goto bad;
        }
        off = next;
    }
    if (finish_entry(r, &e) != 0)
        goto failed;
    state_reset(&e);
    return 0;
bad:
    xlate_error_set(err, XLATE_ERROR, "%s: line %zu: %s; fix the PO file (msgfmt -c names such faults too)", name,
                    line_no, why);
    state_reset(&e);
    return -1;
failed: /* out of memory, or an entry finish_entry refused */
    if (r->incomplete_line)
        xlate_error_set(err, XLATE_ERROR,
                        "%s: line %zu: the entry has no %s; every entry needs a msgid and a msgstr", name,
                        r->incomplete_line, e.id.set ? "msgstr" : "msgid");
    else if (r->duplicate_line)
        xlate_error_set(err, XLATE_ERROR,
                        "%s: line %zu: the entry repeats an earlier one's msgctxt and msgid; merge the two "
                        "(msguniq does)", name, r->duplicate_line);
    else
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory reading the PO file", name);
    state_reset(&e);
    return -1;
}

static int po_read(const xlate_format_read_options *o, const char *name, const char *bytes, size_t len,
                   xlate_fdoc *doc, xlate_error *err) {
    memset(doc, 0, sizeof *doc);
    po_skel *skel = calloc(1, sizeof *skel);
    if (!skel) {
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory reading the PO file", name);
        return -1;
    }
    doc->format = &xlate_format_po;
    doc->skeleton = skel;
    doc->name = strdup(name);
    char cs[32];
    if (o && o->encoding)
        snprintf(cs, sizeof cs, "%s", o->encoding);
    else
        header_charset(bytes, len, cs, sizeof cs);
    if (len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0)
        snprintf(cs, sizeof cs, "UTF-8");
    snprintf(doc->encoding, sizeof doc->encoding, "%s", strcasecmp(cs, "CHARSET") == 0 ? "UTF-8" : cs);
    if (is_utf8_name(cs)) {
        size_t bad = xlate_utf8_first_invalid(bytes, len, NULL);
        if (bad < len) {
            xlate_error_set(err, XLATE_ERROR, "%s: byte %zu is not UTF-8, the charset %s; fix the header's "
                            "Content-Type or give --encoding", name, bad,
                            o && o->encoding ? "given by --encoding" : "the header declares");
            xlate_fdoc_free(doc);
            return -1;
        }
        skel->text = malloc(len + 1);
        if (skel->text) {
            memcpy(skel->text, bytes, len);
            skel->text[len] = '\0';
            skel->len = len;
        }
    } else {
        size_t bad = 0;
        if (convert(cs, "UTF-8", bytes, len, &skel->text, &skel->len, &bad) != 0) {
            if (errno == EINVAL)
                xlate_error_set(err, XLATE_ERROR,
                                "%s: the header's charset \"%s\" is unknown; name a known one in Content-Type "
                                "or give --encoding", name, cs);
            else if (errno == EILSEQ)
                xlate_error_set(err, XLATE_ERROR,
                                "%s: byte %zu is not %s, the charset the header declares; fix the header's "
                                "Content-Type or give --encoding", name, bad, cs);
            else
                xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory reading the PO file", name);
            xlate_fdoc_free(doc);
            return -1;
        }
    }
    if (!doc->name || !skel->text) {
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory reading the PO file", name);
        xlate_fdoc_free(doc);
        return -1;
    }
    reader r = {skel, doc, 0, 0, NULL, 0, 0};
    if (xlate_hashtab_new(NULL, &r.ids) != 0) {
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory reading the PO file", name);
        xlate_fdoc_free(doc);
        return -1;
    }
    int rc = parse(&r, name, err);
    xlate_hashtab_free(r.ids);
    if (rc != 0) {
        xlate_fdoc_free(doc);
        return -1;
    }
    if (skel->header) {
        const char *lang = strstr(skel->header, "Language: ");
        if (lang && (lang == skel->header || lang[-1] == '\n')) {
            lang += 10;
            size_t n = strcspn(lang, "\n");
            if (n && !(doc->target_lang = strndup(lang, n))) {
                xlate_fdoc_free(doc);
                xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory reading the PO file", name);
                return -1;
            }
        }
    }
    return 0;
}

/* --- writing --------------------------------------------------------------------------------- */

typedef struct plural_rule {
    const char *lang;
    int n;
    const char *expr;
} plural_rule;

/* The Plural-Forms of common languages, as gettext's manual gives them, for a PO whose header
 * has none. */
static const plural_rule plural_rules[] = {
    {"uk", 3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"},
    {"ru", 3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"},
    {"be", 3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"},
    {"sr", 3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"},
    {"hr", 3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"},
    {"pl", 3, "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"},
    {"cs", 3, "(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2"},
    {"sk", 3, "(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2"},
    {"lt", 3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2)"},
    {"lv", 3, "(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2)"},
    {"ro", 3, "(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2)"},
    {"sl", 4, "(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3)"},
    {"ga", 5, "n==1 ? 0 : n==2 ? 1 : n<7 ? 2 : n<11 ? 3 : 4"},
    {"ar", 6, "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5"},
    {"fr", 2, "(n > 1)"},
    {"pt_BR", 2, "(n > 1)"},
    {"tr", 2, "(n != 1)"},
    {"ja", 1, "0"},
    {"zh", 1, "0"},
    {"ko", 1, "0"},
    {"vi", 1, "0"},
    {"th", 1, "0"},
    {"id", 1, "0"},
};

/* The rule for a language tag ("uk", "pt-BR", "uk_UA"): an exact match, else its primary
 * language, else the Germanic "n != 1" most languages share. */
static plural_rule rule_for(const char *lang) {
    plural_rule germanic = {"", 2, "(n != 1)"};
    if (!lang)
        return germanic;
    char tag[16];
    snprintf(tag, sizeof tag, "%s", lang);
    for (char *p = tag; *p; p++)
        if (*p == '-')
            *p = '_';
    for (size_t i = 0; i < sizeof plural_rules / sizeof *plural_rules; i++)
        if (strcasecmp(tag, plural_rules[i].lang) == 0)
            return plural_rules[i];
    tag[strcspn(tag, "_")] = '\0';
    for (size_t i = 0; i < sizeof plural_rules / sizeof *plural_rules; i++)
        if (strcasecmp(tag, plural_rules[i].lang) == 0)
            return plural_rules[i];
    return germanic;
}

static int header_nplurals(const char *header) {
    const char *p = header ? strstr(header, "nplurals=") : NULL;
    if (!p)
        return 0;
    int n = atoi(p + 9);
    return n > 0 && n <= 16 ? n : 0;
}

/* The header's field `key`'s value (up to its newline), or NULL. */
static const char *header_field(const char *header, const char *key, size_t *len) {
    size_t kl = strlen(key);
    for (const char *p = header; p && *p;) {
        if (strncmp(p, key, kl) == 0 && p[kl] == ':') {
            const char *v = p + kl + 1;
            while (*v == ' ')
                v++;
            *len = strcspn(v, "\n");
            return v;
        }
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    return NULL;
}

/* The header with Language set, Plural-Forms added when plurals are written and it has none, and
 * the charset set to `charset` when asked. */
static char *new_header(const char *header, const char *lang, int add_plural, const char *charset) {
    xlate_buf b = XLATE_BUF_INIT;
    int have_lang = 0, have_plural = 0;
    for (const char *p = header; *p;) {
        size_t n = strcspn(p, "\n");
        size_t with_nl = n + (p[n] == '\n');
        if (lang && strncmp(p, "Language:", 9) == 0) {
            xlate_buf_printf(&b, "Language: %s\n", lang);
            have_lang = 1;
        } else if (charset && strncmp(p, "Content-Type:", 13) == 0) {
            xlate_buf_printf(&b, "Content-Type: text/plain; charset=%s\n", charset);
        } else {
            if (strncmp(p, "Plural-Forms:", 13) == 0) {
                have_plural = 1;
                /* A template's "nplurals=INTEGER" is no rule: the target language's replaces it. */
                if (add_plural) {
                    plural_rule r = rule_for(lang);
                    xlate_buf_printf(&b, "Plural-Forms: nplurals=%d; plural=%s;\n", r.n, r.expr);
                    p += with_nl;
                    continue;
                }
            }
            xlate_buf_append(&b, p, with_nl);
        }
        p += with_nl;
    }
    if (lang && !have_lang)
        xlate_buf_printf(&b, "Language: %s\n", lang);
    if (add_plural && !have_plural) {
        plural_rule r = rule_for(lang);
        xlate_buf_printf(&b, "Plural-Forms: nplurals=%d; plural=%s;\n", r.n, r.expr);
    }
    return xlate_buf_steal(&b, NULL);
}

/* Makes `s` begin and end with a newline exactly when `ref` does, as msgfmt -c requires. */
static void match_newlines(xlate_buf *s, const char *ref) {
    size_t rl = strlen(ref);
    if (!rl || !s->len)
        return;
    int ref_end = ref[rl - 1] == '\n', ref_start = ref[0] == '\n';
    while (!ref_end && s->len && s->data[s->len - 1] == '\n')
        s->data[--s->len] = '\0';
    if (ref_end && s->len && s->data[s->len - 1] != '\n')
        xlate_buf_putc(s, '\n');
    if (!s->len)
        return;
    if (ref_start && s->data[0] != '\n') {
        xlate_buf_putc(s, '\n');
        memmove(s->data + 1, s->data, s->len - 1);
        s->data[0] = '\n';
    }
    while (!ref_start && s->len && s->data[0] == '\n') {
        memmove(s->data, s->data + 1, s->len);
        s->len--;
    }
}

/* The placeholders of a fragment, in order, as one string: a target whose list differs from the
 * source's would fail msgfmt --check-format, so it is marked fuzzy for a person to fix. */
static char *placeholder_list(const xlate_fragment *f) {
    xlate_buf b = XLATE_BUF_INIT;
    xlate_buf_append(&b, "", 0);
    for (size_t i = 0; i < f->n_codes; i++) {
        xlate_buf_puts(&b, f->codes[i].data ? f->codes[i].data : "");
        xlate_buf_putc(&b, '\001');
    }
    return xlate_buf_steal(&b, NULL);
}

static int placeholders_differ(const xlate_fragment *src, const xlate_fragment *tgt, const char *flags) {
    xlate_fragment re;
    memset(&re, 0, sizeof re);
    /* The target's codes are those the pipeline placed; text a translator typed is scanned too. */
    size_t len = 0;
    char *flat = render(tgt, &len);
    int differ = 1;
    if (flat && fragment_from_string(&re, flat, len, flags) == 0) {
        char *a = placeholder_list(src), *b = placeholder_list(&re);
        differ = !a || !b || strcmp(a, b) != 0;
        free(a);
        free(b);
    }
    free(flat);
    xlate_fragment_free(&re);
    return differ;
}

/* The flags line with "fuzzy" added or taken out; "" when no flag is left. */
static char *flags_line(const char *flags, int fuzzy) {
    xlate_buf b = XLATE_BUF_INIT;
    xlate_buf_append(&b, "", 0);
    if (fuzzy)
        xlate_buf_puts(&b, "#, fuzzy");
    const char *p = flags;
    while (p && *p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ",");
        size_t t = n;
        while (t && (p[t - 1] == ' ' || p[t - 1] == '\r'))
            t--;
        if (t && !(t == 5 && memcmp(p, "fuzzy", 5) == 0)) {
            xlate_buf_puts(&b, b.len ? ", " : "#, ");
            xlate_buf_append(&b, p, t);
        }
        p += n;
    }
    if (b.len)
        xlate_buf_putc(&b, '\n');
    return xlate_buf_steal(&b, NULL);
}

typedef struct writer {
    const xlate_fdoc *doc;
    const po_skel *skel;
    xlate_buf *out;
    size_t at;                    /* bytes of skel->text copied so far */
} writer;

static void copy_to(writer *w, size_t off) {
    if (off > w->at)
        xlate_buf_append(w->out, w->skel->text + w->at, off - w->at);
    if (off > w->at)
        w->at = off;
}

/* The target of a paragraph as a string, or NULL when it has none or it is what the entry holds. */
static int target_string(const xlate_para *p, xlate_buf *s) {
    if (!p->target.text)
        return 0;
    size_t len = 0;
    char *r = render(&p->target, &len);
    if (!r)
        return -1;
    xlate_buf_append(s, r, len);
    free(r);
    return 1;
}

/* Whether the entry gets new msgstr lines: a target that is not what it already holds. */
static int entry_changes(const po_entry *e, const xlate_para *paras) {
    for (size_t k = 0; k < (size_t)(e->plural ? 2 : 1); k++) {
        const xlate_para *p = &paras[e->para + k];
        if (!p->target.text)
            continue;
        if (p->needs_review && !e->fuzzy)
            return 1;
        size_t len = 0;
        char *r = render(&p->target, &len);
        int same = r && k < e->n_msgstr && strlen(e->msgstr[k]) == len && memcmp(e->msgstr[k], r, len) == 0;
        free(r);
        if (!same)
            return 1;
    }
    return 0;
}

static void write_entry(writer *w, const po_entry *e, int nplurals) {
    const xlate_para *paras = w->doc->paras;
    const xlate_para *sing = &paras[e->para], *plur = e->plural ? &paras[e->para + 1] : NULL;
    xlate_buf t0 = XLATE_BUF_INIT, t1 = XLATE_BUF_INIT;
    int has0 = target_string(sing, &t0), has1 = plur ? target_string(plur, &t1) : 0;
    int fuzzy = sing->needs_review || (plur && plur->needs_review);
    if (has0 > 0 && placeholders_differ(&sing->source, &sing->target, e->flags))
        fuzzy = 1;
    if (has1 > 0 && placeholders_differ(&plur->source, &plur->target, e->flags))
        fuzzy = 1;
    /* A form with no new translation keeps what the entry had, else takes the other form's. */
    if (has0 <= 0)
        xlate_buf_puts(&t0, e->n_msgstr && *e->msgstr[0] ? e->msgstr[0] : (t1.data ? t1.data : ""));
    if (plur && has1 <= 0)
        xlate_buf_puts(&t1, e->n_msgstr > 1 && *e->msgstr[1] ? e->msgstr[1] : (t0.data ? t0.data : ""));
    xlate_buf_append(&t0, "", 0);
    xlate_buf_append(&t1, "", 0);
    match_newlines(&t0, sing->source.text);
    if (plur)
        match_newlines(&t1, plur->source.text);

    if (fuzzy != e->fuzzy) {
        char *line = flags_line(e->flags, fuzzy);
        if (e->flags_len) {
            copy_to(w, e->flags_off);
            xlate_buf_puts(w->out, line ? line : "");
            w->at = e->flags_off + e->flags_len;
        } else {
            copy_to(w, e->flags_insert);
            xlate_buf_puts(w->out, line ? line : "");
        }
        if (!line)
            w->out->failed = 1;
        free(line);
    }
    copy_to(w, e->msgstr_off);
    if (!plur) {
        write_keyword_string(w->out, "msgstr", t0.data, t0.len, !e->ends_without_newline);
    } else {
        int n = nplurals ? nplurals : (int)e->n_msgstr;
        if (n < 1)
            n = 2;
        for (int i = 0; i < n; i++) {
            char kw[24];
            snprintf(kw, sizeof kw, "msgstr[%d]", i);
            const xlate_buf *t = i == 0 ? &t0 : &t1;
            /* One form only (ja, zh): it stands for every n, so it is the plural's. */
            if (n == 1)
                t = &t1;
            write_keyword_string(w->out, kw, t->data, t->len, i + 1 < n || !e->ends_without_newline);
        }
    }
    w->at = e->msgstr_end;
    xlate_buf_free(&t0);
    xlate_buf_free(&t1);
}

/* Writes the file in UTF-8; `charset` non-NULL sets the header's charset to it. */
static void write_utf8(const xlate_fdoc *doc, const xlate_format_write_options *o, xlate_buf *out,
                       const char *charset) {
    const po_skel *s = doc->skeleton;
    writer w = {doc, s, out, 0};
    int any = 0, plural = 0;
    for (size_t i = 0; i < s->n_entries; i++)
        if (entry_changes(&s->entries[i], doc->paras)) {
            any = 1;
            plural |= s->entries[i].plural;
        }
    if (!any) {
        xlate_buf_append(out, s->text, s->len);
        return;
    }
    const char *lang = o && o->target_lang ? o->target_lang : doc->target_lang;
    int nplurals = header_nplurals(s->header);
    if (!nplurals)
        nplurals = rule_for(lang).n;
    if (s->has_header) {
        size_t cl = 0;
        const char *cur_lang = header_field(s->header, "Language", &cl);
        const char *cs_now = strstr(s->header, "charset=CHARSET");
        int lang_differs = lang && (!cur_lang || cl != strlen(lang) || strncmp(cur_lang, lang, cl) != 0);
        int add_plural = plural && !header_nplurals(s->header);
        if (cs_now && !charset)
            charset = "UTF-8";
        if (lang_differs || add_plural || charset) {
            char *h = new_header(s->header, lang, add_plural, charset);
            copy_to(&w, s->header_msgstr_off);
            if (h)
                write_keyword_string(out, "msgstr", h, strlen(h), !s->header_ends_without_newline);
            else
                out->failed = 1;
            free(h);
            w.at = s->header_msgstr_end;
        }
    }
    for (size_t i = 0; i < s->n_entries; i++)
        if (entry_changes(&s->entries[i], doc->paras))
            write_entry(&w, &s->entries[i], nplurals);
    copy_to(&w, s->len);
}

static int po_write(const xlate_fdoc *doc, const xlate_format_write_options *o, xlate_buf *out,
                    xlate_error *err) {
    const char *name = doc->name ? doc->name : "PO file";
    xlate_buf u = XLATE_BUF_INIT;
    int utf8 = is_utf8_name(doc->encoding);
    write_utf8(doc, o, &u, NULL);
    if (xlate_buf_failed(&u))
        goto oom;
    if (!utf8) {
        char *conv = NULL;
        size_t conv_len = 0;
        if (convert("UTF-8", doc->encoding, u.data ? u.data : "", u.len, &conv, &conv_len, NULL) == 0) {
            xlate_buf_append(out, conv, conv_len);
            free(conv);
            xlate_buf_free(&u);
            return xlate_buf_failed(out) ? (xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", name), -1) : 0;
        }
        if (errno == ENOMEM)
            goto oom;
        /* The translation holds characters the file's charset cannot: UTF-8, declared so. */
        xlate_buf_reset(&u);
        write_utf8(doc, o, &u, "UTF-8");
        if (xlate_buf_failed(&u))
            goto oom;
    }
    xlate_buf_append(out, u.data ? u.data : "", u.len);
    xlate_buf_free(&u);
    if (xlate_buf_failed(out)) {
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory writing the PO file", name);
        return -1;
    }
    return 0;
oom:
    xlate_buf_free(&u);
    xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory writing the PO file", name);
    return -1;
}

/* --- sniffing -------------------------------------------------------------------------------- */

static int po_sniff(const char *bytes, size_t len) {
    size_t limit = len < 4096 ? len : 4096;
    int msgid = 0, msgstr = 0, header = 0;
    for (size_t i = 0; i < limit;) {
        const char *l = bytes + i;
        size_t n = limit - i;
        const char *nl = memchr(l, '\n', n);
        size_t ll = nl ? (size_t)(nl - l) : n;
        if (starts_with(l, ll, "msgid \"\""))
            header = 1;
        if (starts_with(l, ll, "msgid ") || starts_with(l, ll, "msgid_plural "))
            msgid++;
        if (starts_with(l, ll, "msgstr ") || starts_with(l, ll, "msgstr["))
            msgstr++;
        i += ll + 1;
    }
    if (!msgid || !msgstr)
        return 0;
    return header ? 95 : 80;
}

static const char *const po_extensions[] = {"po", "pot", NULL};

const xlate_format_module xlate_format_po = {
    "po", po_extensions, po_sniff, po_read, po_write, skel_free,
};
