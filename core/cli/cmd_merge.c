/*
 * cmd_merge: `xlate merge` — the end of the CAT round trip. Each XLIFF that `xlate extract` (or
 * `run --format xliff/xliff2`) wrote, translated in a CAT tool, is read back (xliff.h); each of
 * its documents is rebuilt from the bytes it carries, read by its own format module, given each
 * paragraph's target from its unit (bilingual.h's join) and written by the module.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "bilingual.h"
#include "cli.h"
#include "langtag.h"
#include "xlate_config.h"
#ifdef XLATE_HAVE_XLIFF
#include "xliff.h"
#endif

static void print_merge_help(FILE *out) {
    fprintf(out,
            "Usage: xlate merge [-o FILE | --output-dir DIR] [--from LANG] [--to LANG] TRANSLATED.xlf...\n"
            "\n"
            "Write the documents of XLIFF files that 'xlate extract' made, after a CAT tool filled\n"
            "their targets: each document in its own format and encoding, each paragraph's\n"
            "translation in place. A paragraph with no translated segment stays as it was; a unit\n"
            "missing from the XLIFF, or an inline code the CAT tool dropped, is a warning and the\n"
            "text or code is kept, never lost.\n"
            "\n"
            "Options:\n"
            "  -o, --output FILE     write the one document to FILE (default standard output)\n"
            "  --output-dir DIR      write every document into DIR under its own name (made\n"
            "                        relative; never outside DIR, never over a file already there)\n"
            "  --from LANG, --to LANG  the languages the documents are written with (html lang=;\n"
            "                        default uk, en)\n"
            "  -h, --help            show this help\n"
            "\n"
            "Exit status: 0 merged (warnings say what was kept); 1 a file could not be read or\n"
            "written; 2 usage error.\n"
            "\n"
            "Example: xlate merge --output-dir site-en/ site.xlf\n");
}

typedef struct merge_args {
    const char *output, *output_dir;
    char from[XLATE_LANGTAG_MAX], to[XLATE_LANGTAG_MAX];
    int first_file;
} merge_args;

enum { OPT_OUTPUT_DIR = 1, OPT_FROM, OPT_TO };

static int parse_merge_args(int argc, char **argv, merge_args *a, xlate_error *err) {
    static const struct option longopts[] = {{"output", required_argument, NULL, 'o'},
                                             {"output-dir", required_argument, NULL, OPT_OUTPUT_DIR},
                                             {"from", required_argument, NULL, OPT_FROM},
                                             {"to", required_argument, NULL, OPT_TO},
                                             {"help", no_argument, NULL, 'h'},
                                             {0}};
    int opt;
    optind = 1;
    opterr = 0;
    snprintf(a->from, sizeof a->from, "uk");
    snprintf(a->to, sizeof a->to, "en");
    while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            return 1;
        case 'o':
            a->output = optarg;
            break;
        case OPT_OUTPUT_DIR:
            a->output_dir = optarg;
            break;
        case OPT_FROM:
        case OPT_TO:
            if (xlate_langtag_canonical(optarg, opt == OPT_FROM ? a->from : a->to, sizeof a->from, err) != 0) {
                xlate_error_prefix(err, "merge: %s %s", opt == OPT_FROM ? "--from" : "--to", optarg);
                return -1;
            }
            break;
        default:
            xlate_error_set(err, XLATE_EINVAL, "merge: unknown option or missing value: %s; see "
                            "'xlate merge --help'", argv[optind - 1]);
            return -1;
        }
    }
    if (a->output && a->output_dir) {
        xlate_error_set(err, XLATE_EINVAL, "merge: give -o FILE or --output-dir DIR, not both");
        return -1;
    }
    if (optind >= argc) {
        xlate_error_set(err, XLATE_EINVAL, "merge: give the translated XLIFF file(s); see 'xlate merge --help'");
        return -1;
    }
    a->first_file = optind;
    return 0;
}

#ifdef XLATE_HAVE_XLIFF

/* One XLIFF file read back. */
typedef struct returned_file {
    const char *path;
    xlate_xliff_returned *docs;
    size_t n;
} returned_file;

static const xlate_bi_para *unit_for(const xlate_xliff_returned *r, const char *id, size_t hint) {
    if (hint < r->n_units && strcmp(r->unit_ids[hint], id) == 0)
        return &r->units[hint];
    for (size_t j = 0; j < r->n_units; j++)
        if (strcmp(r->unit_ids[j], id) == 0)
            return &r->units[j];
    return NULL;
}

/* The document's own target again: the same text, and only codes it has (the export leaves a
 * code at a segment's very start or end to the text between segments). */
static int same_as_given(const xlate_fragment *got, const xlate_fragment *given) {
    if (got->len != given->len || memcmp(got->text, given->text, got->len) != 0)
        return 0;
    for (size_t i = 0; i < got->n_codes; i++) {
        int found = 0;
        for (size_t j = 0; j < given->n_codes && !found; j++)
            found = got->codes[i].id == given->codes[j].id && got->codes[i].kind == given->codes[j].kind;
        if (!found)
            return 0;
    }
    return 1;
}

/* Whether the unit brings a translation the paragraph does not hold already: a segment with a
 * target that is not the one the document gave that segment (a bilingual document's own
 * targets, exported as they were, leave the paragraph as the document had it). Segment j of the
 * unit is the j-th preseg that is not empty, as the pipeline cut it. */
static int unit_translates(const xlate_bi_para *u, const xlate_para *p) {
    size_t j = 0;
    for (size_t i = 0; i < u->n_pieces; i++) {
        const xlate_bi_piece *pc = &u->pieces[i];
        if (!pc->is_segment)
            continue;
        while (j < p->n_presegs && p->presegs[j].span.end <= p->presegs[j].span.start)
            j++;
        const xlate_preseg *pr = j < p->n_presegs ? &p->presegs[j++] : NULL;
        if (pc->target.text && (!pr || !pr->target.text || !same_as_given(&pc->target, &pr->target)))
            return 1;
    }
    return 0;
}

static int has_code(const xlate_fragment *f, const xlate_code *c) {
    for (size_t i = 0; i < f->n_codes; i++)
        if (f->codes[i].id == c->id && f->codes[i].kind == c->kind)
            return 1;
    return 0;
}

/* Every code of the source that the translation lacks goes at its end: a CAT tool that dropped
 * one must not make the document lose it. Returns how many were put back, or -1 (memory). */
static long put_back_codes(const xlate_fragment *source, xlate_fragment *target) {
    long n = 0;
    for (size_t i = 0; i < source->n_codes; i++) {
        const xlate_code *c = &source->codes[i];
        if (has_code(target, c))
            continue;
        if (xlate_fragment_add_code(target, c->kind, c->id, c->data, c->name, c->native_id) != 0)
            return -1;
        n++;
    }
    return n;
}

/* Each paragraph's target from its unit. Returns the number of warnings given, or -1. */
static long fill_targets(const char *xlf, const xlate_xliff_returned *r, xlate_fdoc *fd, xlate_error *err) {
    long warnings = 0;
    for (size_t k = 0; k < fd->n_paras; k++) {
        xlate_para *p = &fd->paras[k];
        const xlate_bi_para *u = unit_for(r, p->id, k);
        if (!u) {
            fprintf(stderr, "xlate: warning: %s: %s: no unit for paragraph %s; it keeps its original "
                    "text\n", xlf, r->name, p->id);
            warnings++;
            continue;
        }
        if (!unit_translates(u, p))
            continue;
        long back;
        if (xlate_bi_para_join(u, &p->target) != 0 || (back = put_back_codes(&p->source, &p->target)) < 0 ||
            (p->n_presegs && xlate_bi_para_set_preseg_targets(u, p) != 0)) {
            xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", xlf);
            return -1;
        }
        /* What the CAT tool left for review (or a code it dropped) stays marked so in formats
         * that can say it (PO fuzzy, XLIFF state). */
        p->needs_review = back > 0 || xlate_bi_para_needs_review(u);
        if (back > 0) {
            fprintf(stderr, "xlate: warning: %s: %s: unit %s: %ld inline code(s) missing from the "
                    "translation; put back at the end of the paragraph\n", xlf, r->name, p->id, back);
            warnings++;
        }
    }
    return warnings;
}

static int write_out(const merge_args *a, const char *name, const xlate_buf *bytes, xlate_error *err) {
    xlate_outfile *f = NULL;
    if ((a->output_dir ? xlate_cli_open_in_dir(a->output_dir, name, &f, err)
                       : xlate_outfile_open(AT_FDCWD, a->output ? a->output : "-", 0, NULL, &f, err)) != 0)
        return -1;
    if (xlate_outfile_write(f, bytes->data ? bytes->data : "", bytes->len, err) != 0) {
        xlate_outfile_abort(f);
        return -1;
    }
    return xlate_outfile_commit(f, err);
}

/* One document of an XLIFF file: read by its module from the bytes the file carries, given its
 * targets, written. Returns 0, or -1 with err set. */
static int merge_document(const merge_args *a, const char *xlf, const xlate_xliff_returned *r, xlate_error *err) {
    const xlate_format_module *m = xlate_format_by_name(r->format);
    if (!m) {
        xlate_error_set(err, XLATE_ERROR, "%s: document %s is in format '%s', which this xlate has no "
                        "module for ('xlate formats' lists them)", xlf, r->name, r->format);
        return -1;
    }
    /* The bytes are read as extract read them: with the encoding it was told, if any. */
    xlate_format_read_options ro = {r->encoding, 0, a->from};
    xlate_fdoc fd;
    if (m->read(&ro, r->name, r->original, r->original_len, &fd, err) != 0) {
        xlate_error_prefix(err, "%s", xlf);
        return -1;
    }
    xlate_format_write_options wo = {a->from, a->to, XLATE_VERSION};
    xlate_buf out = XLATE_BUF_INIT;
    int rc = fill_targets(xlf, r, &fd, err) >= 0 && m->write(&fd, &wo, &out, err) == 0 &&
                     write_out(a, r->name, &out, err) == 0
                 ? 0
                 : -1;
    xlate_buf_free(&out);
    xlate_fdoc_free(&fd);
    return rc;
}

static int read_returned(const char *path, returned_file *rf, xlate_error *err) {
    char *bytes = NULL;
    size_t len = 0;
    rf->path = path;
    if (xlate_read_input(path, &bytes, &len, err) != 0)
        return -1;
    int rc = xlate_xliff_read_returned(path, bytes, len, &rf->docs, &rf->n, err);
    free(bytes);
    return rc;
}

static void free_returned(returned_file *rf) {
    for (size_t i = 0; i < rf->n; i++)
        xlate_xliff_returned_free(&rf->docs[i]);
    free(rf->docs);
}

static int merge_all(const merge_args *a, int n_files, char **files) {
    returned_file *rf = calloc((size_t)n_files, sizeof *rf);
    xlate_error err = {0};
    size_t docs = 0, failed = 0;
    if (!rf) {
        xlate_error_set(&err, XLATE_ENOMEM, "out of memory");
        return xlate_cli_fail_clear(&err);
    }
    for (int i = 0; i < n_files; i++) {
        if (read_returned(files[i], &rf[i], &err) != 0) {
            xlate_cli_report(&err);
            xlate_error_clear(&err);
            failed++;
        }
        docs += rf[i].n;
    }
    int status = XLATE_EXIT_OK;
    if (docs > 1 && !a->output_dir) {
        xlate_error_set(&err, XLATE_EINVAL, "merge: the XLIFF holds %zu documents; give --output-dir DIR "
                        "to write them under their names", docs);
        status = xlate_cli_fail_clear(&err);
    } else {
        for (int i = 0; i < n_files; i++)
            for (size_t d = 0; d < rf[i].n; d++)
                if (merge_document(a, rf[i].path, &rf[i].docs[d], &err) != 0) {
                    xlate_cli_report(&err);
                    xlate_error_clear(&err);
                    failed++;
                }
        status = failed ? XLATE_EXIT_FAILED : XLATE_EXIT_OK;
    }
    for (int i = 0; i < n_files; i++)
        free_returned(&rf[i]);
    free(rf);
    return status;
}

#endif

int xlate_cmd_merge(int argc, char **argv) {
    merge_args a = {0};
    xlate_error err = {0};
    int parsed = parse_merge_args(argc, argv, &a, &err);
    if (parsed > 0) {
        print_merge_help(stdout);
        return XLATE_EXIT_OK;
    }
    if (parsed < 0)
        return xlate_cli_fail_clear(&err);
#ifdef XLATE_HAVE_XLIFF
    return merge_all(&a, argc - a.first_file, argv + a.first_file);
#else
    xlate_error_set(&err, XLATE_EINVAL, "merge: this xlate was built without the XLIFF module "
                    "('xlate formats' lists what it has)");
    return xlate_cli_fail_clear(&err);
#endif
}
