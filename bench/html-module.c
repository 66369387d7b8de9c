/*
 * html-module: the HTML format module alone (core/format/html), for bench/html-speed.sh. Reads a
 * page, writes it back with no translation, then with every paragraph's target a copy of its
 * source changed (so that each one is rebuilt), and prints the CPU seconds and MB/s of each step.
 * The first write leaves the tree read kept as it was, so both writes use it, as a run's one
 * write does; read + write is therefore what a run spends on the page in the module.
 * Built by the bench script against the build tree's libxlate_internal.a.
 *
 * Usage: html-module PAGE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "html.h"

static double cpu_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *data = NULL;
    long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (data = malloc((size_t)n + 1)) != NULL &&
        fread(data, 1, (size_t)n, f) != (size_t)n) {
        free(data);
        data = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return data;
}

static int write_once(const xlate_fdoc *doc, size_t *out_len) {
    xlate_format_write_options o = {"uk", "en", "bench"};
    xlate_buf out = {0};
    xlate_error err = {0};
    int rc = xlate_format_html.write(doc, &o, &out, &err);
    if (rc != 0)
        fprintf(stderr, "html-module: write: %s\n", err.message);
    *out_len = out.len;
    xlate_buf_free(&out);
    xlate_error_clear(&err);
    return rc;
}

/* Each target: the source with one character added, so that it differs from the source and its
 * paragraph is rebuilt, as a translated one is. */
static int change_all(xlate_fdoc *doc) {
    for (size_t i = 0; i < doc->n_paras; i++) {
        xlate_para *p = &doc->paras[i];
        xlate_fragment_free(&p->target);
        if (xlate_fragment_copy(&p->target, &p->source) != 0 || xlate_fragment_append(&p->target, "!", 1) != 0)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: html-module PAGE\n");
        return 2;
    }
    size_t len;
    char *page = slurp(argv[1], &len);
    if (!page) {
        fprintf(stderr, "html-module: cannot read %s\n", argv[1]);
        return 1;
    }
    xlate_format_read_options ro = {NULL, 0, "uk"};
    xlate_fdoc doc;
    xlate_error err = {0};
    double t0 = cpu_now();
    if (xlate_format_html.read(&ro, argv[1], page, len, &doc, &err) != 0) {
        fprintf(stderr, "html-module: %s\n", err.message);
        return 1;
    }
    double t1 = cpu_now();
    size_t text = 0, out_plain = 0, out_changed = 0;
    for (size_t i = 0; i < doc.n_paras; i++)
        text += doc.paras[i].source.len;
    if (write_once(&doc, &out_plain) != 0)
        return 1;
    double t2 = cpu_now();
    if (change_all(&doc) != 0)
        return 1;
    double t3 = cpu_now();
    if (write_once(&doc, &out_changed) != 0)
        return 1;
    double t4 = cpu_now();
    double mb = (double)len / 1e6;
    printf("page: %.1f MB, %zu paragraphs, %.1f MB of paragraph text\n", mb, doc.n_paras, (double)text / 1e6);
    printf("%-40s %8s %10s\n", "", "cpu s", "page MB/s");
    printf("%-40s %8.3f %10.1f\n", "read", t1 - t0, mb / (t1 - t0));
    printf("%-40s %8.3f %10.1f\n", "write, no translation", t2 - t1, mb / (t2 - t1));
    printf("%-40s %8.3f %10.1f\n", "write, every paragraph rebuilt", t4 - t3, mb / (t4 - t3));
    printf("%-40s %8.3f %10.1f\n", "read + write (rebuilt)", (t1 - t0) + (t4 - t3), mb / ((t1 - t0) + (t4 - t3)));
    xlate_fdoc_free(&doc);
    free(page);
    return 0;
}
