/*
 * format: the paragraph and fragment helpers every format module and the pipeline share
 * (format.h). Holds no module: those live in their own folders and are listed by
 * format_registry.c.
 */
#include "format.h"

#include <stdlib.h>
#include <string.h>

/* Room for `more` bytes and the NUL. Doubling keeps a paragraph built in many appends linear. */
static int grow_text(xlate_fragment *f, size_t more) {
    size_t need = f->len + more + 1;
    if (f->text && need <= f->cap)
        return 0;
    size_t cap = f->cap * 2 > need ? f->cap * 2 : need;
    if (cap < 32)
        cap = 32;
    char *t = realloc(f->text, cap);
    if (!t)
        return -1;
    f->text = t;
    f->cap = cap;
    return 0;
}

int xlate_fragment_append(xlate_fragment *f, const char *text, size_t len) {
    if (grow_text(f, len) != 0)
        return -1;
    if (len)
        memcpy(f->text + f->len, text, len);
    f->len += len;
    f->text[f->len] = '\0';
    return 0;
}

static char *dup_or_null(const char *s, int *failed) {
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *failed = 1;
    return d;
}

static void code_free(xlate_code *c) {
    free(c->data);
    free(c->name);
    free(c->native_id);
}

int xlate_fragment_add_code(xlate_fragment *f, xlate_seg_code_kind kind, unsigned id, const char *data,
                            const char *name, const char *native_id) {
    /* An empty fragment still has a text, so that "no translation" (text NULL) stays distinct
     * from a translation that is only codes. */
    if (!f->text && xlate_fragment_append(f, "", 0) != 0)
        return -1;
    xlate_code *codes = realloc(f->codes, (f->n_codes + 1) * sizeof *codes);
    if (!codes)
        return -1;
    f->codes = codes;
    int failed = 0;
    xlate_code c = {kind, f->len, id, dup_or_null(data ? data : "", &failed), dup_or_null(name, &failed),
                    dup_or_null(native_id, &failed)};
    if (failed) {
        code_free(&c);
        return -1;
    }
    f->codes[f->n_codes++] = c;
    return 0;
}

int xlate_fragment_copy(xlate_fragment *dst, const xlate_fragment *src) {
    memset(dst, 0, sizeof *dst);
    if (!src->text)
        return 0;
    if (xlate_fragment_append(dst, src->text, src->len) != 0)
        return -1;
    dst->codes = calloc(src->n_codes ? src->n_codes : 1, sizeof *dst->codes);
    if (!dst->codes)
        goto oom;
    for (size_t i = 0; i < src->n_codes; i++) {
        const xlate_code *c = &src->codes[i];
        int failed = 0;
        xlate_code d = {c->kind, c->pos, c->id, dup_or_null(c->data, &failed), dup_or_null(c->name, &failed),
                        dup_or_null(c->native_id, &failed)};
        dst->codes[dst->n_codes++] = d;
        if (failed)
            goto oom;
    }
    return 0;
oom:
    xlate_fragment_free(dst);
    return -1;
}

static int same_string(const char *a, const char *b) {
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int xlate_fragment_equal(const xlate_fragment *a, const xlate_fragment *b) {
    if (!a->text || !b->text)
        return !a->text && !b->text;
    if (a->len != b->len || memcmp(a->text, b->text, a->len) != 0 || a->n_codes != b->n_codes)
        return 0;
    for (size_t i = 0; i < a->n_codes; i++) {
        const xlate_code *x = &a->codes[i], *y = &b->codes[i];
        if (x->kind != y->kind || x->pos != y->pos || x->id != y->id || !same_string(x->data, y->data))
            return 0;
    }
    return 1;
}

void xlate_fragment_free(xlate_fragment *f) {
    for (size_t i = 0; i < f->n_codes; i++)
        code_free(&f->codes[i]);
    free(f->codes);
    free(f->text);
    memset(f, 0, sizeof *f);
}

static void para_free(xlate_para *p) {
    xlate_fragment_free(&p->source);
    xlate_fragment_free(&p->target);
    for (size_t i = 0; i < p->n_presegs; i++) {
        xlate_fragment_free(&p->presegs[i].target);
        free(p->presegs[i].id);
    }
    free(p->presegs);
    free(p->id);
    free(p->note);
}

void xlate_fdoc_free(xlate_fdoc *doc) {
    for (size_t i = 0; i < doc->n_paras; i++)
        para_free(&doc->paras[i]);
    free(doc->paras);
    if (doc->skeleton && doc->format && doc->format->free_skeleton)
        doc->format->free_skeleton(doc->skeleton);
    free(doc->name);
    free(doc->source_lang);
    free(doc->target_lang);
    memset(doc, 0, sizeof *doc);
}
