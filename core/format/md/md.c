/*
 * md: the Markdown (CommonMark) format module (format.h), at the front of the data path beside
 * decode and at its end beside the writers.
 *
 * cmark parses the document with source positions. Headings, paragraphs (inside list items and
 * block quotes too) and the cells of pipe tables are paragraphs; emphasis, strong emphasis, links,
 * images and inline HTML are inline codes whose data is their Markdown (a link's target stays in
 * its closing code), an image's alt text is translated, code spans are standalone codes. Code
 * blocks, HTML blocks, link reference definitions, thematic breaks and YAML front matter are no
 * paragraphs. The skeleton is the document's bytes and each paragraph's byte range: `write`
 * copies the bytes and puts each translated paragraph, rendered back to Markdown, in its range,
 * so every part left untranslated stays byte for byte.
 */
#include "md.h"
#include "utf8.h"

#include <cmark.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct md_range {
    size_t start, end;            /* bytes of the paragraph's Markdown in the document */
    char *prefix;                 /* owned: what a continuation line starts with ("> ", "   ") */
    int table_cell;               /* a '|' in its text is escaped */
} md_range;

typedef struct md_skel {
    char *bytes;                  /* owned: the document */
    size_t len;
    md_range *ranges;             /* owned: one a paragraph */
    size_t n_ranges;
} md_skel;

static void skel_free(void *p) {
    md_skel *s = p;
    if (!s)
        return;
    for (size_t i = 0; i < s->n_ranges; i++)
        free(s->ranges[i].prefix);
    free(s->bytes);
    free(s->ranges);
    free(s);
}

/* The line starts of a text, so that cmark's line:column become byte offsets. Lines end where
 * cmark ends them: at "\n", "\r\n" and a lone "\r". */
typedef struct lines {
    const char *text;
    size_t len;
    size_t base;                  /* where the text starts in the document (after front matter) */
    size_t *start;
    size_t n;
} lines;

static int lines_build(lines *l, const char *text, size_t len, size_t base) {
    l->text = text;
    l->len = len;
    l->base = base;
    l->n = 0;
    size_t cap = 64;
    l->start = malloc(cap * sizeof *l->start);
    if (!l->start)
        return -1;
    l->start[l->n++] = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n'))) {
            if (l->n == cap) {
                cap *= 2;
                size_t *s = realloc(l->start, cap * sizeof *s);
                if (!s)
                    return -1;
                l->start = s;
            }
            l->start[l->n++] = i + 1;
        }
    return 0;
}

static size_t line_end(const lines *l, size_t line /* 1-based */) {
    size_t e = line < l->n ? l->start[line] - 1 : l->len;
    if (e > l->start[line - 1] && l->text[e - 1] == '\r')
        e--;
    return e;
}

/* The byte offset (in the parsed text) of line:column, 1-based; (size_t)-1 when out of range. */
static size_t offset_of(const lines *l, int line, int col) {
    if (line < 1 || (size_t)line > l->n || col < 1)
        return (size_t)-1;
    size_t off = l->start[line - 1] + (size_t)col - 1;
    return off <= line_end(l, (size_t)line) ? off : (size_t)-1;
}

/* --- reading: the inline tree into a fragment ------------------------------------------------ */

typedef struct builder {
    xlate_fragment *f;
    unsigned next_id;
    const lines *l;
    int failed;
} builder;

static void add_code(builder *b, xlate_seg_code_kind kind, unsigned id, const char *data, const char *name) {
    if (xlate_fragment_add_code(b->f, kind, id, data, name, NULL) != 0)
        b->failed = 1;
}

static void add_text(builder *b, const char *s, size_t n) {
    if (xlate_fragment_append(b->f, s, n) != 0)
        b->failed = 1;
}

/* The source byte at a node's start, or 0 when its position is not known. cmark's inline
 * positions are right on a paragraph's first line and may be off after a line break, so each use
 * checks the byte is the one it expects. */
static char byte_at(const builder *b, cmark_node *n, int end) {
    size_t off = end ? offset_of(b->l, cmark_node_get_end_line(n), cmark_node_get_end_column(n))
                     : offset_of(b->l, cmark_node_get_start_line(n), cmark_node_get_start_column(n));
    return off == (size_t)-1 || off >= b->l->len ? 0 : b->l->text[off];
}

/* A code span written back: the source's own bytes when its position holds them, else backticks
 * one more than the longest run inside. */
static char *code_span(const builder *b, cmark_node *n) {
    const char *lit = cmark_node_get_literal(n);
    lit = lit ? lit : "";
    size_t s = offset_of(b->l, cmark_node_get_start_line(n), cmark_node_get_start_column(n));
    size_t e = offset_of(b->l, cmark_node_get_end_line(n), cmark_node_get_end_column(n));
    if (s != (size_t)-1 && e != (size_t)-1 && e >= s && e < b->l->len && b->l->text[s] == '`' &&
        b->l->text[e] == '`' && cmark_node_get_start_line(n) == cmark_node_get_end_line(n))
        return strndup(b->l->text + s, e - s + 1);
    size_t run = 0, longest = 0;
    for (const char *p = lit; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    size_t fence = longest + 1, ll = strlen(lit);
    int pad = ll && (lit[0] == '`' || lit[ll - 1] == '`');
    char *out = malloc(2 * fence + ll + 3);
    if (!out)
        return NULL;
    char *o = out;
    memset(o, '`', fence), o += fence;
    if (pad)
        *o++ = ' ';
    memcpy(o, lit, ll), o += ll;
    if (pad)
        *o++ = ' ';
    memset(o, '`', fence), o += fence;
    *o = '\0';
    return out;
}

/* The closing code of a link or image: its reference ("][label]", "]") when the source has one
 * at the node's end, else "](url "title")". */
static char *link_close(const builder *b, cmark_node *n) {
    size_t e = offset_of(b->l, cmark_node_get_end_line(n), cmark_node_get_end_column(n));
    char open = byte_at(b, n, 0);
    if ((open == '[' || open == '!') && e != (size_t)-1 && e < b->l->len && b->l->text[e] == ']' &&
        cmark_node_get_start_line(n) == cmark_node_get_end_line(n)) {
        size_t k = e;
        while (k > 0 && b->l->text[k - 1] != '[' && b->l->text[k - 1] != '\n')
            k--;
        if (k >= 2 && b->l->text[k - 1] == '[' && b->l->text[k - 2] == ']')
            return strndup(b->l->text + k - 2, e - (k - 2) + 1); /* "][label]" */
        return strdup("]");                                        /* a shortcut "[label]" */
    }
    const char *url = cmark_node_get_url(n), *title = cmark_node_get_title(n);
    xlate_buf o = XLATE_BUF_INIT;
    xlate_buf_puts(&o, "](");
    int angle = url && (strchr(url, ' ') || !*url);
    if (angle)
        xlate_buf_putc(&o, '<');
    xlate_buf_puts(&o, url ? url : "");
    if (angle)
        xlate_buf_putc(&o, '>');
    if (title && *title) {
        xlate_buf_puts(&o, " \"");
        for (const char *p = title; *p; p++) {
            if (*p == '"' || *p == '\\')
                xlate_buf_putc(&o, '\\');
            xlate_buf_putc(&o, *p);
        }
        xlate_buf_putc(&o, '"');
    }
    xlate_buf_putc(&o, ')');
    return xlate_buf_steal(&o, NULL);
}

/* A link whose only text is its address, with no title: an autolink <https://…> (cmark's
 * inline positions cannot tell it from [https://…](https://…), which means the same). */
static int is_autolink(cmark_node *n) {
    cmark_node *c = cmark_node_first_child(n);
    const char *url = cmark_node_get_url(n), *title = cmark_node_get_title(n);
    if (!c || cmark_node_next(c) || cmark_node_get_type(c) != CMARK_NODE_TEXT || !url || (title && *title))
        return 0;
    const char *lit = cmark_node_get_literal(c);
    if (!lit || !strchr(url, ':') || strchr(url, ' ') || strchr(url, '<') || strchr(url, '>'))
        return 0;
    return strcmp(lit, url) == 0 || (strncmp(url, "mailto:", 7) == 0 && strcmp(lit, url + 7) == 0);
}

static void build_inlines(builder *b, cmark_node *parent) {
    for (cmark_node *n = cmark_node_first_child(parent); n && !b->failed; n = cmark_node_next(n)) {
        cmark_node_type t = cmark_node_get_type(n);
        const char *lit = cmark_node_get_literal(n);
        switch (t) {
        case CMARK_NODE_TEXT:
            add_text(b, lit ? lit : "", lit ? strlen(lit) : 0);
            break;
        case CMARK_NODE_SOFTBREAK:
            add_text(b, " ", 1);
            break;
        case CMARK_NODE_LINEBREAK:
            add_code(b, XLATE_SEG_CODE_STANDALONE, ++b->next_id, "\\\n", "br");
            break;
        case CMARK_NODE_CODE: {
            char *d = code_span(b, n);
            if (!d)
                b->failed = 1;
            else
                add_code(b, XLATE_SEG_CODE_STANDALONE, ++b->next_id, d, "code");
            free(d);
            break;
        }
        case CMARK_NODE_HTML_INLINE:
            add_code(b, XLATE_SEG_CODE_STANDALONE, ++b->next_id, lit ? lit : "", "html");
            break;
        case CMARK_NODE_EMPH:
        case CMARK_NODE_STRONG: {
            char c = byte_at(b, n, 0) == '_' ? '_' : '*';
            char d[3] = {c, t == CMARK_NODE_STRONG ? c : '\0', '\0'};
            unsigned id = ++b->next_id;
            const char *name = t == CMARK_NODE_STRONG ? "strong" : "em";
            add_code(b, XLATE_SEG_CODE_OPEN, id, d, name);
            build_inlines(b, n);
            add_code(b, XLATE_SEG_CODE_CLOSE, id, d, name);
            break;
        }
        case CMARK_NODE_LINK:
        case CMARK_NODE_IMAGE: {
            const char *name = t == CMARK_NODE_IMAGE ? "img" : "a";
            if (t == CMARK_NODE_LINK && is_autolink(n)) {
                /* An autolink: its text is its address, nothing to translate. */
                const char *url = cmark_node_get_url(n);
                size_t ul = url ? strlen(url) : 0;
                char *d = malloc(ul + 3);
                if (!d) {
                    b->failed = 1;
                    break;
                }
                d[0] = '<';
                memcpy(d + 1, url ? url : "", ul);
                memcpy(d + 1 + ul, ">", 2);
                const char *lit = cmark_node_get_literal(cmark_node_first_child(n));
                if (strncmp(d + 1, "mailto:", 7) == 0 && lit && strncmp(lit, "mailto:", 7) != 0)
                    memmove(d + 1, d + 8, ul - 7 + 2); /* cmark adds mailto: to <a@b> */
                add_code(b, XLATE_SEG_CODE_STANDALONE, ++b->next_id, d, name);
                free(d);
                break;
            }
            unsigned id = ++b->next_id;
            char *close = link_close(b, n);
            if (!close) {
                b->failed = 1;
                break;
            }
            add_code(b, XLATE_SEG_CODE_OPEN, id, t == CMARK_NODE_IMAGE ? "![" : "[", name);
            build_inlines(b, n);
            add_code(b, XLATE_SEG_CODE_CLOSE, id, close, name);
            free(close);
            break;
        }
        default:
            build_inlines(b, n);
        }
    }
}

/* --- reading: blocks ----------------------------------------------------------------------- */

typedef struct reader {
    xlate_fdoc *doc;
    md_skel *skel;
    const lines *l;
    size_t cap;
    int failed;
} reader;

static int has_words(const xlate_fragment *f) {
    for (size_t i = 0; i < f->len; i++)
        if (isalpha((unsigned char)f->text[i]) || (unsigned char)f->text[i] >= 0x80)
            return 1;
    return 0;
}

/* Adds the paragraph whose inlines are `node`'s children at bytes [start, end) of the parsed
 * text. `l` is the line table the node's positions refer to. */
static void add_para(reader *r, cmark_node *node, const lines *l, size_t start, size_t end, int table_cell) {
    xlate_fragment f;
    memset(&f, 0, sizeof f);
    builder b = {&f, 0, l, 0};
    add_text(&b, "", 0);
    build_inlines(&b, node);
    if (b.failed) {
        xlate_fragment_free(&f);
        r->failed = 1;
        return;
    }
    if (!has_words(&f) || end <= start) {
        xlate_fragment_free(&f);
        return;
    }
    if (r->doc->n_paras == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        xlate_para *p = realloc(r->doc->paras, cap * sizeof *p);
        md_range *g = realloc(r->skel->ranges, cap * sizeof *g);
        if (p)
            r->doc->paras = p;
        if (g)
            r->skel->ranges = g;
        if (!p || !g) {
            xlate_fragment_free(&f);
            r->failed = 1;
            return;
        }
        r->cap = cap;
    }
    size_t i = r->doc->n_paras;
    xlate_para *p = &r->doc->paras[i];
    memset(p, 0, sizeof *p);
    p->source = f;
    char id[32];
    snprintf(id, sizeof id, "p%zu", i + 1);
    p->id = strdup(id);
    md_range *g = &r->skel->ranges[i];
    g->start = r->l->base + start;
    g->end = r->l->base + end;
    g->table_cell = table_cell;
    /* A continuation line repeats the block quote markers; list markers become spaces. */
    size_t ls = start;
    while (ls > 0 && r->l->text[ls - 1] != '\n')
        ls--;
    g->prefix = NULL;
    r->skel->n_ranges = i + 1;
    char *prefix = strndup(r->l->text + ls, start - ls);
    if (prefix)
        for (char *c = prefix; *c; c++)
            if (*c != '>' && *c != '\t')
                *c = ' ';
    r->doc->n_paras++;
    if (!p->id || !prefix) {
        free(prefix);
        r->failed = 1;
        return;
    }
    g->prefix = prefix;
}

static int is_delimiter_row(const char *s, size_t n) {
    int dashes = 0, pipes = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '-')
            dashes++;
        else if (c == '|')
            pipes++;
        else if (c != ':' && c != ' ' && c != '\t' && c != '\r')
            return 0;
    }
    return dashes && pipes;
}

/* A pipe table: cmark knows none, so a paragraph whose second line is a delimiter row is one,
 * and each cell of its other rows is a paragraph of its own. */
static int read_table(reader *r, cmark_node *para) {
    const lines *l = r->l;
    int sl = cmark_node_get_start_line(para), el = cmark_node_get_end_line(para);
    if (el <= sl || cmark_node_get_start_column(para) != 1)
        return 0;
    size_t d0 = l->start[sl], d1 = line_end(l, (size_t)sl + 1);
    if (!is_delimiter_row(l->text + d0, d1 - d0))
        return 0;
    for (int line = sl; line <= el; line++) {
        if (line == sl + 1)
            continue;
        size_t s = l->start[line - 1], e = line_end(l, (size_t)line);
        size_t i = s;
        while (i < e && (l->text[i] == ' ' || l->text[i] == '\t'))
            i++;
        if (i < e && l->text[i] == '|')
            i++;
        while (i < e) {
            size_t c = i;
            int tick = 0;
            while (c < e && (l->text[c] != '|' || tick)) {
                if (l->text[c] == '\\' && c + 1 < e)
                    c++;
                else if (l->text[c] == '`')
                    tick = !tick;
                c++;
            }
            size_t a = i, z = c;
            while (a < z && isspace((unsigned char)l->text[a]))
                a++;
            while (z > a && isspace((unsigned char)l->text[z - 1]))
                z--;
            if (z > a) {
                /* The cell's inlines, parsed on their own: positions are the cell's. */
                cmark_node *cell = cmark_parse_document(l->text + a, z - a, CMARK_OPT_SOURCEPOS);
                lines cl;
                cl.start = NULL;
                if (!cell || lines_build(&cl, l->text + a, z - a, 0) != 0) {
                    free(cl.start);
                    cmark_node_free(cell);
                    r->failed = 1;
                    return 1;
                }
                cmark_node *cp = cmark_node_first_child(cell);
                if (cp && cmark_node_get_type(cp) == CMARK_NODE_PARAGRAPH)
                    add_para(r, cp, &cl, a, z, 1);
                free(cl.start);
                cmark_node_free(cell);
            }
            i = c < e ? c + 1 : e;
        }
    }
    return 1;
}

static void read_heading(reader *r, cmark_node *h) {
    const lines *l = r->l;
    int sl = cmark_node_get_start_line(h);
    size_t s = l->start[sl - 1], e = line_end(l, (size_t)sl);
    size_t i = s;
    while (i < e && l->text[i] == ' ')
        i++;
    if (i < e && l->text[i] == '#') {
        while (i < e && l->text[i] == '#')
            i++;
        while (i < e && (l->text[i] == ' ' || l->text[i] == '\t'))
            i++;
        size_t end = offset_of(l, sl, cmark_node_get_end_column(h));
        if (end != (size_t)-1 && end + 1 <= e && end + 1 > i)
            add_para(r, h, l, i, end + 1, 0);
        return;
    }
    /* A setext heading: its text runs to the line before the underline. */
    size_t line = (size_t)sl + 1;
    while (line <= l->n) {
        size_t a = l->start[line - 1], z = line_end(l, line);
        while (a < z && l->text[a] == ' ')
            a++;
        if (a < z && (l->text[a] == '=' || l->text[a] == '-')) {
            char c = l->text[a];
            while (a < z && l->text[a] == c)
                a++;
            while (a < z && isspace((unsigned char)l->text[a]))
                a++;
            if (a == z)
                break;
        }
        line++;
    }
    size_t end = line_end(l, line - 1);
    while (end > i && isspace((unsigned char)l->text[end - 1]))
        end--;
    add_para(r, h, l, i, end, 0);
}

static void read_blocks(reader *r, cmark_node *root) {
    cmark_iter *it = cmark_iter_new(root);
    if (!it) {
        r->failed = 1;
        return;
    }
    for (cmark_event_type ev; !r->failed && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_HEADING) {
            read_heading(r, n);
        } else if (t == CMARK_NODE_PARAGRAPH) {
            if (read_table(r, n))
                continue;
            size_t s = offset_of(r->l, cmark_node_get_start_line(n), cmark_node_get_start_column(n));
            size_t e = offset_of(r->l, cmark_node_get_end_line(n), cmark_node_get_end_column(n));
            if (s != (size_t)-1 && e != (size_t)-1 && e >= s)
                add_para(r, n, r->l, s, e + 1, 0);
        }
    }
    cmark_iter_free(it);
}

/* The bytes YAML front matter takes at the document's start ("---" … "---" or "..."), or 0. */
static size_t front_matter(const char *b, size_t len) {
    if (len < 4 || memcmp(b, "---", 3) != 0 || (b[3] != '\n' && b[3] != '\r'))
        return 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(b + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - b) : len, next = nl ? e + 1 : len;
        size_t n = e - i - (e > i && b[e - 1] == '\r');
        if (i > 0 && n == 3 && (memcmp(b + i, "---", 3) == 0 || memcmp(b + i, "...", 3) == 0))
            return next;
        i = next;
    }
    return 0;
}

static int md_read(const xlate_format_read_options *o, const char *name, const char *bytes, size_t len,
                   xlate_fdoc *doc, xlate_error *err) {
    (void)o;
    memset(doc, 0, sizeof *doc);
    /* cmark takes UTF-8 and lets ill-formed bytes through into its text: refuse them here rather
     * than hand the pipeline paragraphs that are not UTF-8. */
    size_t bad = xlate_utf8_first_invalid(bytes, len, NULL);
    if (bad < len) {
        xlate_error_set(err, XLATE_ERROR, "%s: byte %zu: not UTF-8; Markdown is read as UTF-8 only: convert the "
                        "file first (iconv -f ENCODING -t UTF-8)", name, bad);
        return -1;
    }
    md_skel *skel = calloc(1, sizeof *skel);
    doc->format = &xlate_format_md;
    doc->skeleton = skel;
    doc->name = strdup(name);
    snprintf(doc->encoding, sizeof doc->encoding, "UTF-8");
    if (!skel || !doc->name || !(skel->bytes = malloc(len + 1)))
        goto oom;
    memcpy(skel->bytes, bytes, len);
    skel->bytes[len] = '\0';
    skel->len = len;
    size_t bom = len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    size_t base = bom + front_matter(bytes + bom, len - bom);
    lines l;
    if (lines_build(&l, skel->bytes + base, len - base, base) != 0) {
        free(l.start);
        goto oom;
    }
    cmark_node *root = cmark_parse_document(skel->bytes + base, len - base, CMARK_OPT_SOURCEPOS);
    if (!root) {
        free(l.start);
        goto oom;
    }
    reader r = {doc, skel, &l, 0, 0};
    read_blocks(&r, root);
    cmark_node_free(root);
    free(l.start);
    if (r.failed)
        goto oom;
    return 0;
oom:
    xlate_fdoc_free(doc);
    xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory reading the Markdown document", name);
    return -1;
}

/* --- writing --------------------------------------------------------------------------------- */

/* Text put back into Markdown: characters that would start markup are escaped. */
static void put_text(xlate_buf *o, const char *s, size_t n, int at_start, int table_cell) {
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\n' || c == '\r')
            c = ' ';
        int start = at_start && i == 0;
        if (strchr("\\`*_[]<", c) || (table_cell && c == '|') ||
            (c == '&' && i + 1 < n && (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '#')) ||
            (start && strchr("#>+-=~", c)))
            xlate_buf_putc(o, '\\');
        else if (start && isdigit((unsigned char)c)) {
            size_t k = i;
            while (k < n && isdigit((unsigned char)s[k]))
                k++;
            xlate_buf_append(o, s + i, k - i);
            if (k < n && (s[k] == '.' || s[k] == ')'))
                xlate_buf_putc(o, '\\');
            i = k - 1;
            continue;
        }
        xlate_buf_putc(o, c);
    }
}

static void put_target(xlate_buf *o, const xlate_fragment *t, const md_range *g) {
    size_t at = 0;
    int line_start = 1;
    for (size_t i = 0; i <= t->n_codes; i++) {
        size_t pos = i < t->n_codes ? t->codes[i].pos : t->len;
        if (pos > t->len)
            pos = t->len;
        if (pos > at) {
            put_text(o, t->text + at, pos - at, line_start, g->table_cell);
            line_start = 0;
            at = pos;
        }
        if (i == t->n_codes)
            break;
        const char *d = t->codes[i].data ? t->codes[i].data : "";
        xlate_buf_puts(o, d);
        line_start = 0;
        if (*d && d[strlen(d) - 1] == '\n') {
            xlate_buf_puts(o, g->prefix ? g->prefix : "");
            line_start = 1;
        }
    }
}

static int md_write(const xlate_fdoc *doc, const xlate_format_write_options *o, xlate_buf *out,
                    xlate_error *err) {
    (void)o;
    const md_skel *s = doc->skeleton;
    size_t at = 0;
    for (size_t i = 0; i < doc->n_paras; i++) {
        const xlate_para *p = &doc->paras[i];
        const md_range *g = &s->ranges[i];
        if (!p->target.text || xlate_fragment_equal(&p->target, &p->source))
            continue;
        xlate_buf_append(out, s->bytes + at, g->start - at);
        put_target(out, &p->target, g);
        at = g->end;
    }
    xlate_buf_append(out, s->bytes + at, s->len - at);
    if (xlate_buf_failed(out)) {
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory writing the Markdown document",
                        doc->name ? doc->name : "document");
        return -1;
    }
    return 0;
}

/* --- sniffing -------------------------------------------------------------------------------- */

/* Weak: headings, list items, fences and links are Markdown's marks, but plain text has them too. */
static int md_sniff(const char *bytes, size_t len) {
    size_t limit = len < 4096 ? len : 4096;
    int marks = 0;
    for (size_t i = 0; i < limit;) {
        const char *l = bytes + i;
        const char *nl = memchr(l, '\n', limit - i);
        size_t n = nl ? (size_t)(nl - l) : limit - i;
        if ((n >= 2 && l[0] == '#' && (l[1] == ' ' || l[1] == '#')) || (n >= 3 && memcmp(l, "```", 3) == 0) ||
            (n >= 2 && (l[0] == '-' || l[0] == '*') && l[1] == ' ') || (n >= 2 && l[0] == '>' && l[1] == ' '))
            marks++;
        if (memmem(l, n, "](", 2))
            marks++;
        i += n + 1;
    }
    return marks >= 3 ? 40 : marks ? 20 : 0;
}

static const char *const md_extensions[] = {"md", "markdown", NULL};

const xlate_format_module xlate_format_md = {
    "md", md_extensions, md_sniff, md_read, md_write, skel_free,
};
