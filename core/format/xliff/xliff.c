/*
 * xliff: the XLIFF 1.2 / 2.x format module (format.h), reading side. Each translatable unit is a
 * paragraph: its source (1.2 <source>, or <seg-source> whose <mrk mtype="seg"> become presegs;
 * 2.x the <segment>s' sources with the <ignorable>s' text between them), inline elements as codes
 * whose data is the element as the file writes it, existing targets as the presegs' targets.
 * Units marked translate="no" stay in the tree untouched. The parsed tree is the skeleton that
 * xliff_write.c puts the targets into.
 */
#include "xliff.h"

#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "hashtab.h"
#include "xliff_internal.h"

static const char *const extensions[] = {"xlf", "xliff", NULL};

/* --- sniffing ------------------------------------------------------------------------------ */

static int xliff_sniff(const char *bytes, size_t len) {
    if (!bytes)
        return 0;
    /* The root element is near the start: after a declaration and maybe a comment. */
    size_t n = len < 4096 ? len : 4096;
    for (size_t i = 0; i + 6 < n; i++) {
        if (memcmp(bytes + i, "<xliff", 6) != 0 || (bytes[i + 6] != ' ' && bytes[i + 6] != '\n' &&
                                                    bytes[i + 6] != '\t' && bytes[i + 6] != '\r'))
            continue;
        const char *rest = bytes + i;
        size_t left = n - i;
        if (memmem(rest, left, XLIFF12_NS, strlen(XLIFF12_NS)) || memmem(rest, left, XLIFF2_NS, strlen(XLIFF2_NS)))
            return 95;
        return 70;
    }
    return 0;
}

/* --- inline content ------------------------------------------------------------------------ */

/* Native ids of the paired codes read so far in one unit, so that a CLOSE finds its OPEN's id
 * and the target's codes get the source's ids. */
typedef struct code_ids {
    struct { char *key; unsigned id; } *v;
    size_t n;
    unsigned next;
} code_ids;

static void code_ids_free(code_ids *c) {
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i].key);
    free(c->v);
    memset(c, 0, sizeof *c);
}

/* The id for (element family, native id): the one already given, else a new one. */
static int code_id(code_ids *c, const char *family, const char *native, int make_new, unsigned *id) {
    char key[256];
    snprintf(key, sizeof key, "%s\x1f%s", family, native ? native : "");
    if (native)
        for (size_t i = 0; i < c->n; i++)
            if (strcmp(c->v[i].key, key) == 0) {
                *id = c->v[i].id;
                return 0;
            }
    *id = ++c->next;
    if (!native || !make_new)
        return 0;
    void *v = realloc(c->v, (c->n + 1) * sizeof *c->v);
    if (!v)
        return -1;
    c->v = v;
    c->v[c->n].key = strdup(key);
    c->v[c->n].id = *id;
    return c->v[c->n++].key ? 0 : -1;
}

typedef struct reader {
    const char *name;
    int version;
    code_ids ids;
    xlate_error *err;
} reader;

static int read_inline(reader *r, xmlNodePtr parent, xlate_fragment *f);

static int add_code_at_end(reader *r, xlate_fragment *f, xlate_seg_code_kind kind, unsigned id,
                           const char *data, const char *name, const char *native) {
    if (xlate_fragment_add_code(f, kind, id, data, name, native) != 0) {
        xlate_error_set(r->err, XLATE_ENOMEM, "%s: out of memory", r->name);
        return -1;
    }
    return 0;
}

/* An element with content that the text runs through (1.2 g and non-seg mrk, 2.x pc and mrk):
 * its start tag and end tag are an OPEN and a CLOSE. */
static int read_spanning(reader *r, xmlNodePtr e, xlate_fragment *f) {
    char *native = xliff_attr(e, NULL, "id");
    char *open = xliff_start_tag(e);
    char close[128];
    snprintf(close, sizeof close, "</%s%s%s>", e->ns && e->ns->prefix ? (const char *)e->ns->prefix : "",
             e->ns && e->ns->prefix ? ":" : "", (const char *)e->name);
    unsigned id = 0;
    int rc = -1;
    if (open && code_id(&r->ids, (const char *)e->name, native, 1, &id) == 0 &&
        add_code_at_end(r, f, XLATE_SEG_CODE_OPEN, id, open, (const char *)e->name, native) == 0 &&
        read_inline(r, e, f) == 0 &&
        add_code_at_end(r, f, XLATE_SEG_CODE_CLOSE, id, close, (const char *)e->name, native) == 0)
        rc = 0;
    else if (!r->err->message)
        xlate_error_set(r->err, XLATE_ENOMEM, "%s: out of memory", r->name);
    free(native);
    free(open);
    return rc;
}

/* An element that stands alone in the text (1.2 x bx ex ph bpt ept it, 2.x ph sc ec sm em): the
 * whole element is the code's data. Pairs (bpt/ept, bx/ex, sc/ec, sm/em) share an id. */
static int read_standing(reader *r, xmlNodePtr e, xlate_fragment *f) {
    const char *nm = (const char *)e->name;
    xlate_seg_code_kind kind = XLATE_SEG_CODE_STANDALONE;
    const char *family = nm;
    char *native = NULL;
    if (strcmp(nm, "bpt") == 0 || strcmp(nm, "bx") == 0 || strcmp(nm, "sc") == 0 || strcmp(nm, "sm") == 0) {
        kind = XLATE_SEG_CODE_OPEN;
        family = nm[0] == 'b' ? (nm[1] == 'p' ? "bpt" : "bx") : nm;
        /* 1.2 pairs by rid when the file gives one, else by id */
        native = r->version == 12 ? xliff_attr(e, NULL, "rid") : NULL;
        if (!native)
            native = xliff_attr(e, NULL, "id");
    } else if (strcmp(nm, "ept") == 0 || strcmp(nm, "ex") == 0 || strcmp(nm, "ec") == 0 || strcmp(nm, "em") == 0) {
        kind = XLATE_SEG_CODE_CLOSE;
        family = strcmp(nm, "ept") == 0 ? "bpt" : strcmp(nm, "ex") == 0 ? "bx" : strcmp(nm, "ec") == 0 ? "sc" : "sm";
        native = xliff_attr(e, NULL, r->version == 12 ? "rid" : "startRef");
        if (!native)
            native = xliff_attr(e, NULL, "id");
    } else {
        native = xliff_attr(e, NULL, "id");
    }
    char *data = xliff_serialize(e);
    char *own_id = xliff_attr(e, NULL, "id");
    unsigned id = 0;
    int rc = -1;
    if (data && code_id(&r->ids, family, native, kind != XLATE_SEG_CODE_CLOSE, &id) == 0 &&
        add_code_at_end(r, f, kind, id, data, nm, own_id ? own_id : native) == 0)
        rc = 0;
    else if (!r->err->message)
        xlate_error_set(r->err, XLATE_ENOMEM, "%s: out of memory", r->name);
    free(native);
    free(own_id);
    free(data);
    return rc;
}

static int is_spanning(const reader *r, const char *nm, xmlNodePtr e) {
    if (r->version == 12)
        return strcmp(nm, "g") == 0 || (strcmp(nm, "mrk") == 0 && !xliff_attr_is(e, "mtype", "seg"));
    return strcmp(nm, "pc") == 0 || strcmp(nm, "mrk") == 0;
}

static int read_node(reader *r, xmlNodePtr c, xlate_fragment *f) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE || c->type == XML_ENTITY_REF_NODE) {
        xmlChar *t = xmlNodeGetContent(c);
        int bad = t && xlate_fragment_append(f, (const char *)t, strlen((const char *)t)) != 0;
        xmlFree(t);
        if (bad) {
            xlate_error_set(r->err, XLATE_ENOMEM, "%s: out of memory", r->name);
            return -1;
        }
        return 0;
    }
    if (c->type != XML_ELEMENT_NODE)
        return 0;
    const char *nm = (const char *)c->name;
    if (r->version == 20 && strcmp(nm, "cp") == 0) {
        /* A character XML cannot hold, as its code point. */
        char *hex = xliff_attr(c, NULL, "hex");
        unsigned long cp = hex ? strtoul(hex, NULL, 16) : 0;
        free(hex);
        char u[4];
        size_t n = 0;
        if (cp < 0x80) {
            u[n++] = (char)cp;
        } else if (cp < 0x800) {
            u[n++] = (char)(0xc0 | (cp >> 6));
            u[n++] = (char)(0x80 | (cp & 0x3f));
        } else {
            u[n++] = (char)(0xe0 | ((cp >> 12) & 0x0f));
            u[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
            u[n++] = (char)(0x80 | (cp & 0x3f));
        }
        if (xlate_fragment_append(f, u, n) != 0) {
            xlate_error_set(r->err, XLATE_ENOMEM, "%s: out of memory", r->name);
            return -1;
        }
        return 0;
    }
    return is_spanning(r, nm, c) ? read_spanning(r, c, f) : read_standing(r, c, f);
}

static int read_inline(reader *r, xmlNodePtr parent, xlate_fragment *f) {
    for (xmlNodePtr c = parent->children; c; c = c->next)
        if (read_node(r, c, f) != 0)
            return -1;
    if (!f->text && xlate_fragment_append(f, "", 0) != 0) {
        xlate_error_set(r->err, XLATE_ENOMEM, "%s: out of memory", r->name);
        return -1;
    }
    return 0;
}

/* --- units --------------------------------------------------------------------------------- */

typedef struct doc_builder {
    xlate_fdoc *doc;
    xliff_skel *skel;
    size_t cap;
    int several_files;
    const xlate_format_read_options *o;
    xlate_hashtab *ids;      /* the paragraph ids given so far (value: the unit's line) */
} doc_builder;

static int is_final_12(xmlNodePtr unit, xmlNodePtr target) {
    if (xliff_attr_is(unit, "approved", "yes"))
        return 1;
    char *st = target ? xliff_attr(target, NULL, "state") : NULL;
    int fin = st && (strcmp(st, "final") == 0 || strcmp(st, "signed-off") == 0 || strcmp(st, "translated") == 0);
    free(st);
    return fin;
}

static int is_final_2(xmlNodePtr segment) {
    char *st = xliff_attr(segment, NULL, "state");
    int fin = st && (strcmp(st, "final") == 0 || strcmp(st, "reviewed") == 0 || strcmp(st, "translated") == 0);
    free(st);
    return fin;
}

static xlate_para *new_para(doc_builder *b, xmlNodePtr unit, xlate_error *err) {
    if (b->doc->n_paras == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        xlate_para *p = realloc(b->doc->paras, cap * sizeof *p);
        xmlNodePtr *u = p ? realloc(b->skel->units, cap * sizeof *u) : NULL;
        xmlNodePtr **s = u ? realloc(b->skel->seg_nodes, cap * sizeof *s) : NULL;
        if (p)
            b->doc->paras = p;
        if (u)
            b->skel->units = u;
        if (s)
            b->skel->seg_nodes = s;
        struct xliff_gap_code **g = s ? realloc(b->skel->gap_codes, cap * sizeof *g) : NULL;
        if (g)
            b->skel->gap_codes = g;
        size_t *ng = g ? realloc(b->skel->n_gap_codes, cap * sizeof *ng) : NULL;
        if (ng)
            b->skel->n_gap_codes = ng;
        if (!ng) {
            xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", b->doc->name);
            return NULL;
        }
        b->cap = cap;
    }
    size_t i = b->doc->n_paras++;
    memset(&b->doc->paras[i], 0, sizeof b->doc->paras[i]);
    b->skel->units[i] = unit;
    b->skel->seg_nodes[i] = NULL;
    b->skel->gap_codes[i] = NULL;
    b->skel->n_gap_codes[i] = 0;
    b->skel->n_units = b->doc->n_paras;
    return &b->doc->paras[i];
}

static int add_preseg(xlate_para *p, xmlNodePtr **nodes, xmlNodePtr node, size_t start, size_t end,
                      const char *id) {
    xlate_preseg *v = realloc(p->presegs, (p->n_presegs + 1) * sizeof *v);
    if (!v)
        return -1;
    p->presegs = v;
    xmlNodePtr *nv = realloc(*nodes, (p->n_presegs + 1) * sizeof *nv);
    if (!nv)
        return -1;
    *nodes = nv;
    xlate_preseg *ps = &p->presegs[p->n_presegs];
    memset(ps, 0, sizeof *ps);
    ps->span.start = start;
    ps->span.end = end;
    ps->id = id ? strdup(id) : NULL;
    nv[p->n_presegs++] = node;
    return id && !ps->id ? -1 : 0;
}

/* Remembers the codes from `from` on in the paragraph's source as standing in gap `gap`. */
static int note_gap_codes(xliff_skel *sk, size_t pi, const xlate_para *p, size_t from) {
    for (size_t i = from; i < p->source.n_codes; i++) {
        struct xliff_gap_code *v = realloc(sk->gap_codes[pi], (sk->n_gap_codes[pi] + 1) * sizeof *v);
        if (!v)
            return -1;
        sk->gap_codes[pi] = v;
        v[sk->n_gap_codes[pi]++] = (struct xliff_gap_code){p->source.codes[i].id, (int)p->source.codes[i].kind,
                                                           p->n_presegs};
    }
    return 0;
}

/* Notes of the unit, joined by newlines: 1.2 <note>, 2.x <notes><note>. */
static int read_notes(xmlNodePtr unit, int version, char **out) {
    xlate_buf b = XLATE_BUF_INIT;
    xmlNodePtr holder = version == 12 ? unit : xliff_child(unit, XLIFF2_NS, "notes");
    const char *ns = version == 12 ? XLIFF12_NS : XLIFF2_NS;
    for (xmlNodePtr c = holder ? holder->children : NULL; c; c = c->next) {
        if (!xliff_is(c, ns, "note"))
            continue;
        xmlChar *t = xmlNodeGetContent(c);
        if (b.len)
            xlate_buf_putc(&b, '\n');
        xlate_buf_puts(&b, t ? (const char *)t : "");
        xmlFree(t);
    }
    if (!b.len && !xlate_buf_failed(&b)) {
        xlate_buf_free(&b);
        *out = NULL;
        return 0;
    }
    *out = xlate_buf_steal(&b, NULL);
    return *out ? 0 : -1;
}

/* The paragraph's id: the unit's, prefixed with its file's when the document has several. Merge
 * finds a paragraph's unit by it, so two units with one id (invalid XLIFF: ids are unique within
 * a <file>) would put one unit's translation into both: the file is refused. Returns 0, or -1
 * with r->err set. */
static int set_para_id(doc_builder *b, reader *r, xlate_para *p, xmlNodePtr unit, const char *file_key) {
    char *uid = xliff_attr(unit, NULL, "id");
    char num[32];
    snprintf(num, sizeof num, "u%zu", b->doc->n_paras);
    xlate_buf id = XLATE_BUF_INIT;
    if (b->several_files && file_key)
        xlate_buf_printf(&id, "%s/", file_key);
    xlate_buf_puts(&id, uid ? uid : num);
    free(uid);
    size_t len = 0;
    p->id = xlate_buf_steal(&id, &len);
    xlate_hashtab_entry *seen = NULL;
    long line = xmlGetLineNo(unit);
    int rc = p->id ? xlate_hashtab_add(b->ids, p->id, len, (void *)(intptr_t)line, &seen) : -1;
    if (rc == 1) {
        xlate_error_set(r->err, XLATE_ERROR, "%s:%ld: unit id \"%s\" is the id of the unit at line %ld "
                        "too; give each unit of a <file> its own id", r->name, line, p->id,
                        (long)(intptr_t)seen->value);
        return -1;
    }
    if (rc != 0)
        xlate_error_set(r->err, XLATE_ENOMEM, "%s: out of memory", r->name);
    return rc;
}

/* A 1.2 target's <mrk mtype="seg" mid=...>, or NULL. */
static xmlNodePtr find_mrk(xmlNodePtr target, const char *mid) {
    for (xmlNodePtr c = target ? target->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "mrk") == 0 &&
            xliff_attr_is(c, "mtype", "seg") && xliff_attr_is(c, "mid", mid))
            return c;
    return NULL;
}

static int read_target(reader *r, xmlNodePtr holder, xlate_preseg *ps) {
    /* Target codes take the source's ids: same element, same native id. */
    unsigned next = r->ids.next;
    int rc = read_inline(r, holder, &ps->target);
    if (rc == 0)
        r->ids.next = next > r->ids.next ? next : r->ids.next;
    return rc;
}

static int read_unit_12(doc_builder *b, reader *r, xmlNodePtr unit, const char *file_key) {
    xmlNodePtr source = xliff_child(unit, XLIFF12_NS, "source");
    if (!source) {
        xlate_error_set(r->err, XLATE_ERROR, "%s:%ld: trans-unit without <source>; fix the file", r->name,
                        xmlGetLineNo(unit));
        return -1;
    }
    xmlNodePtr segsrc = xliff_child(unit, XLIFF12_NS, "seg-source");
    xmlNodePtr target = xliff_child(unit, XLIFF12_NS, "target");
    xlate_para *p = new_para(b, unit, r->err);
    if (!p)
        return -1;
    size_t pi = b->doc->n_paras - 1;
    if (set_para_id(b, r, p, unit, file_key) != 0)
        return -1;
    if (read_notes(unit, 12, &p->note) != 0)
        goto oom;
    int fin = is_final_12(unit, target);
    if (segsrc) {
        for (xmlNodePtr c = segsrc->children; c; c = c->next) {
            if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "mrk") == 0 &&
                xliff_attr_is(c, "mtype", "seg")) {
                size_t start = p->source.len;
                if (read_inline(r, c, &p->source) != 0)
                    return -1;
                char *mid = xliff_attr(c, NULL, "mid");
                int bad = add_preseg(p, &b->skel->seg_nodes[pi], c, start, p->source.len, mid) != 0;
                free(mid);
                if (bad)
                    goto oom;
                continue;
            }
            /* Text and codes between segments belong to the paragraph, not to a segment. */
            size_t from = p->source.n_codes;
            if (read_node(r, c, &p->source) != 0)
                return -1;
            if (note_gap_codes(b->skel, pi, p, from) != 0)
                goto oom;
        }
        for (size_t i = 0; i < p->n_presegs; i++) {
            xmlNodePtr m = p->presegs[i].id ? find_mrk(target, p->presegs[i].id) : NULL;
            if (m) {
                if (read_target(r, m, &p->presegs[i]) != 0)
                    return -1;
                p->presegs[i].final = fin;
            }
        }
        if (!p->source.text && xlate_fragment_append(&p->source, "", 0) != 0)
            goto oom;
        return 0;
    }
    if (read_inline(r, source, &p->source) != 0)
        return -1;
    if (target) {
        if (add_preseg(p, &b->skel->seg_nodes[pi], NULL, 0, p->source.len, NULL) != 0)
            goto oom;
        if (read_target(r, target, &p->presegs[0]) != 0)
            return -1;
        p->presegs[0].final = fin;
    }
    return 0;
oom:
    xlate_error_set(r->err, XLATE_ENOMEM, "%s: out of memory", r->name);
    return -1;
}

static int read_unit_2(doc_builder *b, reader *r, xmlNodePtr unit, const char *file_key) {
    xlate_para *p = new_para(b, unit, r->err);
    if (!p)
        return -1;
    size_t pi = b->doc->n_paras - 1;
    if (set_para_id(b, r, p, unit, file_key) != 0)
        return -1;
    if (read_notes(unit, 20, &p->note) != 0)
        goto oom;
    if (xlate_fragment_append(&p->source, "", 0) != 0)
        goto oom;
    for (xmlNodePtr c = unit->children; c; c = c->next) {
        int seg = xliff_is(c, XLIFF2_NS, "segment");
        if (!seg && !xliff_is(c, XLIFF2_NS, "ignorable"))
            continue;
        xmlNodePtr source = xliff_child(c, XLIFF2_NS, "source");
        if (!source) {
            xlate_error_set(r->err, XLATE_ERROR, "%s:%ld: <%s> without <source>; fix the file", r->name,
                            xmlGetLineNo(c), seg ? "segment" : "ignorable");
            return -1;
        }
        size_t start = p->source.len, from = p->source.n_codes;
        if (read_inline(r, source, &p->source) != 0)
            return -1;
        if (!seg) {
            if (note_gap_codes(b->skel, pi, p, from) != 0)
                goto oom;
            continue;
        }
        char *sid = xliff_attr(c, NULL, "id");
        int bad = add_preseg(p, &b->skel->seg_nodes[pi], c, start, p->source.len, sid) != 0;
        free(sid);
        if (bad)
            goto oom;
        xmlNodePtr target = xliff_child(c, XLIFF2_NS, "target");
        xlate_preseg *ps = &p->presegs[p->n_presegs - 1];
        if (target) {
            if (read_target(r, target, ps) != 0)
                return -1;
            ps->final = is_final_2(c);
        }
    }
    return 0;
oom:
    xlate_error_set(r->err, XLATE_ENOMEM, "%s: out of memory", r->name);
    return -1;
}

/* Walks a <file>/<body>/<group> for units, skipping translate="no" ones (and groups). */
static int read_units(doc_builder *b, xmlNodePtr holder, int version, const char *file_key, xlate_error *err) {
    const char *ns = version == 12 ? XLIFF12_NS : XLIFF2_NS;
    for (xmlNodePtr c = holder->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (xliff_attr_is(c, "translate", "no"))
            continue;
        if (xliff_is(c, ns, "group") || (version == 12 && xliff_is(c, ns, "body"))) {
            if (read_units(b, c, version, file_key, err) != 0)
                return -1;
            continue;
        }
        if (!xliff_is(c, ns, version == 12 ? "trans-unit" : "unit"))
            continue;
        reader r = {b->doc->name, version, {NULL, 0, 0}, err};
        int rc = version == 12 ? read_unit_12(b, &r, c, file_key) : read_unit_2(b, &r, c, file_key);
        code_ids_free(&r.ids);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static void skel_free(void *p) {
    xliff_skel *s = p;
    if (!s)
        return;
    xmlFreeDoc(s->doc);
    for (size_t i = 0; i < s->n_units; i++) {
        free(s->seg_nodes[i]);
        free(s->gap_codes[i]);
    }
    free(s->gap_codes);
    free(s->n_gap_codes);
    free(s->units);
    free(s->seg_nodes);
    free(s);
}

static int read_files(doc_builder *b, xmlNodePtr root, int version, xlate_error *err) {
    const char *ns = version == 12 ? XLIFF12_NS : XLIFF2_NS;
    size_t n_files = 0;
    for (xmlNodePtr c = root->children; c; c = c->next)
        n_files += xliff_is(c, ns, "file");
    b->several_files = n_files > 1;
    size_t k = 0;
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (!xliff_is(c, ns, "file"))
            continue;
        k++;
        if (xliff_attr_is(c, "translate", "no"))
            continue;
        char *key = xliff_attr(c, NULL, version == 12 ? "original" : "id");
        char fallback[32];
        snprintf(fallback, sizeof fallback, "f%zu", k);
        if (!b->doc->source_lang)
            b->doc->source_lang = xliff_attr(version == 12 ? c : root, NULL,
                                             version == 12 ? "source-language" : "srcLang");
        if (!b->doc->target_lang)
            b->doc->target_lang = xliff_attr(version == 12 ? c : root, NULL,
                                             version == 12 ? "target-language" : "trgLang");
        int rc = read_units(b, c, version, key ? key : fallback, err);
        free(key);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int xliff_read(const xlate_format_read_options *o, const char *name, const char *bytes, size_t len,
                      xlate_fdoc *doc, xlate_error *err) {
    memset(doc, 0, sizeof *doc);
    xmlDocPtr x = xliff_parse(name, bytes, len, err);
    if (!x)
        return -1;
    xmlNodePtr root = xmlDocGetRootElement(x);
    int version = xliff_root_version(root);
    if (!version) {
        xlate_error_set(err, XLATE_ERROR, "%s:%ld: not XLIFF: the root element is <%s>, not an XLIFF 1.2 or 2.x "
                        "<xliff>; name the right --input-format", name, root ? xmlGetLineNo(root) : 1L,
                        root ? (const char *)root->name : "(none)");
        xmlFreeDoc(x);
        return -1;
    }
    xliff_skel *skel = calloc(1, sizeof *skel);
    doc->name = strdup(name);
    if (!skel || !doc->name) {
        free(skel);
        xmlFreeDoc(x);
        free(doc->name);
        doc->name = NULL;
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", name);
        return -1;
    }
    skel->doc = x;
    skel->version = version;
    doc->format = &xlate_format_xliff;
    doc->skeleton = skel;
    snprintf(doc->encoding, sizeof doc->encoding, "%s", x->encoding ? (const char *)x->encoding : "UTF-8");
    doc_builder b = {doc, skel, 0, 0, o, NULL};
    if (xlate_hashtab_new(NULL, &b.ids) != 0) {
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", name);
        xlate_fdoc_free(doc);
        return -1;
    }
    int rc = read_files(&b, root, version, err);
    xlate_hashtab_free(b.ids);
    if (rc != 0) {
        xlate_fdoc_free(doc);
        return -1;
    }
    (void)o;
    return 0;
}

static void xliff_free_skeleton(void *skeleton) { skel_free(skeleton); }

/* The write side lives in xliff_write.c. */
int xliff_write_doc(const xlate_fdoc *doc, const xlate_format_write_options *o, xlate_buf *out, xlate_error *err);

const xlate_format_module xlate_format_xliff = {
    "xliff", extensions, xliff_sniff, xliff_read, xliff_write_doc, xliff_free_skeleton,
};
