/*
 * xliff_returned: an exported XLIFF read back for `xlate merge`, at the front of the merge path.
 * Gives per <file> the document's name, format and bytes (from the skeleton) and per unit the
 * pieces with the targets as the file has them. CAT tools rewrite what they touch — 1.2 <g>
 * for <bpt>/<ept>, whitespace between elements, term marks — so codes are matched by id and kind
 * only, and take their markup from the source; a code in a target that the source lacks is an
 * error with its line.
 */
#include <stdlib.h>
#include <string.h>

#include "xliff.h"
#include "xliff_internal.h"

typedef struct rb {
    const char *name;
    int version;
    xmlNodePtr unit;
    xmlNodePtr original_data; /* 2.1 */
    const xlate_fragment *source_codes; /* while reading targets: the unit's source codes */
    xlate_error *err;
} rb;

static int oom(rb *r) {
    xlate_error_set(r->err, XLATE_ENOMEM, "%s: out of memory", r->name);
    return -1;
}

static char *unit_label(xmlNodePtr unit) {
    char *id = xliff_attr(unit, NULL, "id");
    return id ? id : strdup("?");
}

/* A code id as exported ("3" in 1.2, "c3" in 2.1). Returns 0, or -1 when it is not one. */
static int parse_code_id(const char *s, unsigned *id) {
    if (!s)
        return -1;
    while (*s && (*s < '0' || *s > '9'))
        s++;
    if (!*s)
        return -1;
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || v == 0 || v > 0xffffffffUL)
        return -1;
    *id = (unsigned)v;
    return 0;
}

/* The markup a 2.1 code's dataRef points at in the unit's <originalData>. */
static char *data_ref(rb *r, xmlNodePtr e) {
    char *ref = xliff_attr(e, NULL, "dataRef");
    char *text = NULL;
    for (xmlNodePtr d = r->original_data ? r->original_data->children : NULL; ref && d; d = d->next)
        if (xliff_is(d, XLIFF2_NS, "data") && xliff_attr_is(d, "id", ref)) {
            xmlChar *t = xmlNodeGetContent(d);
            text = t ? strdup((const char *)t) : NULL;
            xmlFree(t);
            break;
        }
    free(ref);
    return text;
}

static int add_code(rb *r, xlate_fragment *f, xmlNodePtr e, xlate_seg_code_kind kind, const char *id_attr,
                    char *data) {
    char *nid = xliff_attr(e, NULL, id_attr);
    if (!nid && strcmp(id_attr, "id") != 0)
        nid = xliff_attr(e, NULL, "id");
    unsigned id = 0;
    char *label = unit_label(r->unit);
    int rc = -1;
    if (parse_code_id(nid, &id) != 0) {
        xlate_error_set(r->err, XLATE_ERROR, "%s:%ld: unit %s: <%s> has no code id this file's export gave "
                        "(\"%s\"); restore the code from the source", r->name, xmlGetLineNo(e), label,
                        (const char *)e->name, nid ? nid : "");
        goto done;
    }
    const char *markup = data;
    if (r->source_codes) {
        markup = NULL;
        for (size_t i = 0; i < r->source_codes->n_codes; i++)
            if (r->source_codes->codes[i].id == id && r->source_codes->codes[i].kind == kind)
                markup = r->source_codes->codes[i].data;
        if (!markup) {
            xlate_error_set(r->err, XLATE_ERROR, "%s:%ld: unit %s: the target has code %u (<%s>) that the source "
                            "does not have; remove it or copy the source's code", r->name, xmlGetLineNo(e),
                            label, id, (const char *)e->name);
            goto done;
        }
    }
    if (xlate_fragment_add_code(f, kind, id, markup ? markup : "", NULL, nid) != 0) {
        oom(r);
        goto done;
    }
    rc = 0;
done:
    free(label);
    free(nid);
    free(data);
    return rc;
}

static char *content_of(xmlNodePtr e) {
    xmlChar *t = xmlNodeGetContent(e);
    char *s = strdup(t ? (const char *)t : "");
    xmlFree(t);
    return s;
}

static int read_content(rb *r, xmlNodePtr parent, xlate_fragment *f);

static int read_one(rb *r, xmlNodePtr c, xlate_fragment *f) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
        xmlChar *t = xmlNodeGetContent(c);
        int bad = t && xlate_fragment_append(f, (const char *)t, strlen((const char *)t)) != 0;
        xmlFree(t);
        return bad ? oom(r) : 0;
    }
    if (c->type != XML_ELEMENT_NODE)
        return 0;
    const char *nm = (const char *)c->name;
    if (r->version == 12) {
        if (strcmp(nm, "bpt") == 0 || strcmp(nm, "bx") == 0)
            return add_code(r, f, c, XLATE_SEG_CODE_OPEN, "id", content_of(c));
        if (strcmp(nm, "ept") == 0 || strcmp(nm, "ex") == 0)
            return add_code(r, f, c, XLATE_SEG_CODE_CLOSE, "id", content_of(c));
        if (strcmp(nm, "ph") == 0 || strcmp(nm, "x") == 0)
            return add_code(r, f, c, XLATE_SEG_CODE_STANDALONE, "id", content_of(c));
        if (strcmp(nm, "it") == 0)
            return add_code(r, f, c, xliff_attr_is(c, "pos", "close") ? XLATE_SEG_CODE_CLOSE : XLATE_SEG_CODE_OPEN,
                            "id", content_of(c));
        if (strcmp(nm, "g") == 0)
            return add_code(r, f, c, XLATE_SEG_CODE_OPEN, "id", NULL) || read_content(r, c, f) ||
                   add_code(r, f, c, XLATE_SEG_CODE_CLOSE, "id", NULL);
        /* mrk and sub: a tool's annotation around text; the text is what counts. */
        return read_content(r, c, f);
    }
    if (strcmp(nm, "sc") == 0)
        return add_code(r, f, c, XLATE_SEG_CODE_OPEN, "id", data_ref(r, c));
    if (strcmp(nm, "ec") == 0)
        return add_code(r, f, c, XLATE_SEG_CODE_CLOSE, "startRef", data_ref(r, c));
    if (strcmp(nm, "ph") == 0)
        return add_code(r, f, c, XLATE_SEG_CODE_STANDALONE, "id", data_ref(r, c));
    if (strcmp(nm, "pc") == 0) {
        char *ds = xliff_attr(c, NULL, "dataRefStart"), *de = xliff_attr(c, NULL, "dataRefEnd");
        char *open = NULL, *close = NULL;
        for (xmlNodePtr d = r->original_data ? r->original_data->children : NULL; d; d = d->next) {
            if (ds && xliff_attr_is(d, "id", ds) && !open)
                open = content_of(d);
            if (de && xliff_attr_is(d, "id", de) && !close)
                close = content_of(d);
        }
        free(ds);
        free(de);
        int rc = add_code(r, f, c, XLATE_SEG_CODE_OPEN, "id", open);
        if (rc == 0)
            rc = read_content(r, c, f);
        if (rc == 0)
            return add_code(r, f, c, XLATE_SEG_CODE_CLOSE, "id", close);
        free(close);
        return rc;
    }
    if (strcmp(nm, "cp") == 0) {
        char *hex = xliff_attr(c, NULL, "hex");
        unsigned long cp = hex ? strtoul(hex, NULL, 16) : 0;
        free(hex);
        char ch = (char)cp;
        return cp < 0x20 && xlate_fragment_append(f, &ch, 1) != 0 ? oom(r) : 0;
    }
    return read_content(r, c, f); /* mrk, sm/em: annotations */
}

static int read_content(rb *r, xmlNodePtr parent, xlate_fragment *f) {
    for (xmlNodePtr c = parent->children; c; c = c->next)
        if (read_one(r, c, f) != 0)
            return -1;
    if (!f->text && xlate_fragment_append(f, "", 0) != 0)
        return oom(r);
    return 0;
}

static xlate_bi_piece *new_piece(xlate_bi_para *p, int is_segment) {
    xlate_bi_piece *v = realloc(p->pieces, (p->n_pieces + 1) * sizeof *v);
    if (!v)
        return NULL;
    p->pieces = v;
    xlate_bi_piece *pc = &v[p->n_pieces++];
    memset(pc, 0, sizeof *pc);
    pc->is_segment = is_segment;
    return pc;
}

/* All the codes of the unit's source, for checking its targets. */
static int collect_codes(const xlate_bi_para *p, xlate_fragment *all) {
    if (xlate_fragment_append(all, "", 0) != 0)
        return -1;
    for (size_t i = 0; i < p->n_pieces; i++)
        for (size_t k = 0; k < p->pieces[i].source.n_codes; k++) {
            const xlate_code *c = &p->pieces[i].source.codes[k];
            if (xlate_fragment_add_code(all, c->kind, c->id, c->data, NULL, NULL) != 0)
                return -1;
        }
    return 0;
}

static int is_final_12(xmlNodePtr unit, xmlNodePtr target) {
    if (xliff_attr_is(unit, "approved", "yes"))
        return 1;
    char *st = target ? xliff_attr(target, NULL, "state") : NULL;
    int fin = st && (!strcmp(st, "final") || !strcmp(st, "signed-off") || !strcmp(st, "translated"));
    free(st);
    return fin;
}

/* 1.2: the state asks for a review (needs-review-translation, -l10n, -adaptation). */
static int needs_review_12(xmlNodePtr target) {
    char *st = target ? xliff_attr(target, NULL, "state") : NULL;
    int review = st && !strncmp(st, "needs-review-", 13);
    free(st);
    return review;
}

/* A target the tool left empty for a non-empty source is no translation. */
static void drop_empty_target(xlate_bi_piece *pc) {
    if (pc->target.text && !pc->target.len && !pc->target.n_codes && pc->source.len)
        xlate_fragment_free(&pc->target);
}

static int unit_12(rb *r, xmlNodePtr unit, xlate_bi_para *p) {
    xmlNodePtr segsrc = xliff_child(unit, XLIFF12_NS, "seg-source");
    xmlNodePtr source = xliff_child(unit, XLIFF12_NS, "source");
    xmlNodePtr target = xliff_child(unit, XLIFF12_NS, "target");
    if (!segsrc && !source) {
        char *l = unit_label(unit);
        xlate_error_set(r->err, XLATE_ERROR, "%s:%ld: unit %s has no <source>; restore it from the exported file",
                        r->name, xmlGetLineNo(unit), l);
        free(l);
        return -1;
    }
    int fin = is_final_12(unit, target);
    if (!segsrc) {
        xlate_bi_piece *pc = new_piece(p, 1);
        if (!pc)
            return oom(r);
        return read_content(r, source, &pc->source);
    }
    xlate_bi_piece *gap = NULL;
    for (xmlNodePtr c = segsrc->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "mrk") && xliff_attr_is(c, "mtype", "seg")) {
            gap = NULL;
            xlate_bi_piece *pc = new_piece(p, 1);
            if (!pc || !(pc->id = xliff_attr(c, NULL, "mid")))
                return oom(r);
            if (read_content(r, c, &pc->source) != 0)
                return -1;
            pc->final = fin;
            pc->needs_review = needs_review_12(target);
            continue;
        }
        if (!gap && !(gap = new_piece(p, 0)))
            return oom(r);
        if (read_one(r, c, &gap->source) != 0)
            return -1;
    }
    for (size_t i = 0; i < p->n_pieces; i++)
        if (!p->pieces[i].source.text && xlate_fragment_append(&p->pieces[i].source, "", 0) != 0)
            return oom(r);
    return 0;
}

static int targets_12(rb *r, xmlNodePtr unit, xlate_bi_para *p) {
    xmlNodePtr target = xliff_child(unit, XLIFF12_NS, "target");
    if (!target)
        return 0;
    if (!xliff_child(unit, XLIFF12_NS, "seg-source")) {
        if (read_content(r, target, &p->pieces[0].target) != 0)
            return -1;
        p->pieces[0].final = is_final_12(unit, target);
        p->pieces[0].needs_review = needs_review_12(target);
        drop_empty_target(&p->pieces[0]);
        return 0;
    }
    for (xmlNodePtr c = target->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "mrk") || !xliff_attr_is(c, "mtype", "seg"))
            continue;
        char *mid = xliff_attr(c, NULL, "mid");
        xlate_bi_piece *pc = NULL;
        for (size_t i = 0; mid && i < p->n_pieces; i++)
            if (p->pieces[i].is_segment && p->pieces[i].id && !strcmp(p->pieces[i].id, mid))
                pc = &p->pieces[i];
        free(mid);
        if (!pc || pc->target.text)
            continue; /* a segment the source does not have: nothing to merge it into */
        if (read_content(r, c, &pc->target) != 0)
            return -1;
        drop_empty_target(pc);
    }
    return 0;
}

static int unit_2(rb *r, xmlNodePtr unit, xlate_bi_para *p, int with_targets) {
    for (xmlNodePtr c = unit->children; c; c = c->next) {
        int seg = xliff_is(c, XLIFF2_NS, "segment");
        if (!seg && !xliff_is(c, XLIFF2_NS, "ignorable"))
            continue;
        xmlNodePtr source = xliff_child(c, XLIFF2_NS, "source");
        size_t idx = 0;
        for (xmlNodePtr d = unit->children; d != c; d = d->next)
            idx += xliff_is(d, XLIFF2_NS, "segment") || xliff_is(d, XLIFF2_NS, "ignorable");
        if (!with_targets) {
            xlate_bi_piece *pc = new_piece(p, seg);
            if (!pc || !(pc->id = xliff_attr(c, NULL, "id")))
                return oom(r);
            if (!source) {
                char *l = unit_label(unit);
                xlate_error_set(r->err, XLATE_ERROR, "%s:%ld: unit %s: <%s> has no <source>; restore it from the "
                                "exported file", r->name, xmlGetLineNo(c), l, (const char *)c->name);
                free(l);
                return -1;
            }
            if (read_content(r, source, &pc->source) != 0)
                return -1;
            char *st = seg ? xliff_attr(c, NULL, "state") : NULL;
            char *sub = seg ? xliff_attr(c, NULL, "subState") : NULL;
            pc->needs_review = st && !strcmp(st, "translated") && sub && !strcmp(sub, "xlate:needs-review");
            pc->final = !pc->needs_review && st &&
                        (!strcmp(st, "final") || !strcmp(st, "reviewed") || !strcmp(st, "translated"));
            free(st);
            free(sub);
            continue;
        }
        xmlNodePtr target = seg ? xliff_child(c, XLIFF2_NS, "target") : NULL;
        if (target && idx < p->n_pieces) {
            if (read_content(r, target, &p->pieces[idx].target) != 0)
                return -1;
            drop_empty_target(&p->pieces[idx]);
        }
    }
    return 0;
}

static int read_unit(rb *r, xmlNodePtr unit, xlate_xliff_returned *ret) {
    size_t n = ret->n_units;
    char **ids = realloc(ret->unit_ids, (n + 1) * sizeof *ids);
    if (ids)
        ret->unit_ids = ids;
    xlate_bi_para *units = ids ? realloc(ret->units, (n + 1) * sizeof *units) : NULL;
    if (!units)
        return oom(r);
    ret->units = units;
    memset(&units[n], 0, sizeof units[n]);
    char *nm = xliff_attr(unit, NULL, r->version == 12 ? "resname" : "name");
    if (!nm)
        nm = xliff_attr(unit, NULL, "id");
    ids[n] = nm ? xliff_id_unescape(nm) : strdup("");
    free(nm);
    ret->n_units++;
    if (!ids[n])
        return oom(r);
    r->unit = unit;
    r->original_data = r->version == 20 ? xliff_child(unit, XLIFF2_NS, "originalData") : NULL;
    r->source_codes = NULL;
    xlate_bi_para *p = &units[n];
    if ((r->version == 12 ? unit_12(r, unit, p) : unit_2(r, unit, p, 0)) != 0)
        return -1;
    xlate_fragment all = {0};
    if (collect_codes(p, &all) != 0) {
        xlate_fragment_free(&all);
        return oom(r);
    }
    r->source_codes = &all;
    int rc = r->version == 12 ? targets_12(r, unit, p) : unit_2(r, unit, p, 1);
    r->source_codes = NULL;
    xlate_fragment_free(&all);
    return rc;
}

static int read_units(rb *r, xmlNodePtr holder, xlate_xliff_returned *ret) {
    const char *ns = r->version == 12 ? XLIFF12_NS : XLIFF2_NS;
    for (xmlNodePtr c = holder->children; c; c = c->next) {
        if (xliff_is(c, ns, "group") || (r->version == 12 && xliff_is(c, ns, "body"))) {
            if (read_units(r, c, ret) != 0)
                return -1;
        } else if (xliff_is(c, ns, r->version == 12 ? "trans-unit" : "unit")) {
            if (read_unit(r, c, ret) != 0)
                return -1;
        }
    }
    return 0;
}

/* The skeleton's base64 text: 1.2 <header><skl><internal-file form="base64">, 2.1
 * <skeleton><xlate:original>. NULL when there is none. */
static xmlNodePtr skeleton_node(rb *r, xmlNodePtr file) {
    if (r->version == 12) {
        xmlNodePtr skl = xliff_child(xliff_child(file, XLIFF12_NS, "header"), XLIFF12_NS, "skl");
        xmlNodePtr in = xliff_child(skl, XLIFF12_NS, "internal-file");
        return in && xliff_attr_is(in, "form", "base64") ? in : NULL;
    }
    return xliff_child(xliff_child(file, XLIFF2_NS, "skeleton"), XLIFF_XLATE_NS, "original");
}

static int read_file(rb *r, xmlNodePtr file, xlate_xliff_returned *ret) {
    xmlNodePtr skl = skeleton_node(r, file);
    ret->format = xliff_attr(file, XLIFF_XLATE_NS, "format");
    ret->encoding = xliff_attr(file, XLIFF_XLATE_NS, "encoding");
    if (!skl || !ret->format) {
        xlate_error_set(r->err, XLATE_ERROR, "%s:%ld: this <file> has no skeleton xlate can rebuild the document "
                        "from: the XLIFF was not written by `xlate extract`; extract the documents with `xlate "
                        "extract`, translate that file and merge it", r->name, xmlGetLineNo(file));
        return -1;
    }
    ret->name = xliff_attr(file, NULL, "original");
    if (!ret->name) {
        xlate_error_set(r->err, XLATE_ERROR, "%s:%ld: <file> has no original=\"…\" naming the document; restore "
                        "it from the exported file", r->name, xmlGetLineNo(file));
        return -1;
    }
    char *b64 = content_of(skl);
    int bad = !b64 || xliff_base64_decode(b64, &ret->original, &ret->original_len) != 0;
    free(b64);
    if (bad) {
        xlate_error_set(r->err, XLATE_ERROR, "%s:%ld: the skeleton of %s is not valid base64; export the document "
                        "again", r->name, xmlGetLineNo(skl), ret->name);
        return -1;
    }
    return read_units(r, file, ret);
}

int xlate_xliff_read_returned(const char *name, const char *bytes, size_t len, xlate_xliff_returned **out,
                              size_t *n, xlate_error *err) {
    *out = NULL;
    *n = 0;
    xmlDocPtr x = xliff_parse(name, bytes, len, err);
    if (!x)
        return -1;
    xmlNodePtr root = xmlDocGetRootElement(x);
    rb r = {name, xliff_root_version(root), NULL, NULL, NULL, err};
    if (!r.version) {
        xlate_error_set(err, XLATE_ERROR, "%s:%ld: not XLIFF: the root element is <%s>; merge takes the XLIFF "
                        "that `xlate extract` wrote", name, root ? xmlGetLineNo(root) : 1L,
                        root ? (const char *)root->name : "(none)");
        xmlFreeDoc(x);
        return -1;
    }
    const char *ns = r.version == 12 ? XLIFF12_NS : XLIFF2_NS;
    size_t files = 0;
    for (xmlNodePtr c = root->children; c; c = c->next)
        files += xliff_is(c, ns, "file");
    xlate_xliff_returned *v = calloc(files ? files : 1, sizeof *v);
    if (!v) {
        xmlFreeDoc(x);
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", name);
        return -1;
    }
    size_t k = 0;
    int rc = 0;
    for (xmlNodePtr c = root->children; c && rc == 0; c = c->next)
        if (xliff_is(c, ns, "file"))
            rc = read_file(&r, c, &v[k++]);
    xmlFreeDoc(x);
    if (rc != 0) {
        for (size_t i = 0; i < k; i++)
            xlate_xliff_returned_free(&v[i]);
        free(v);
        return -1;
    }
    *out = v;
    *n = files;
    return 0;
}

void xlate_xliff_returned_free(xlate_xliff_returned *r) {
    if (!r)
        return;
    for (size_t i = 0; i < r->n_units; i++) {
        free(r->unit_ids[i]);
        xlate_bi_para_free(&r->units[i]);
    }
    free(r->unit_ids);
    free(r->units);
    free(r->name);
    free(r->format);
    free(r->encoding);
    free(r->original);
    memset(r, 0, sizeof *r);
}
