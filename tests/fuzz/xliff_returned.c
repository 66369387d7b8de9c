/*
 * Harness: an exported XLIFF as `xlate merge` reads it back after a CAT tool
 * (xlate_xliff_read_returned, core/format/xliff/xliff.h). A file that reads must give each
 * document a name and a format, each unit an id and pieces that are sound (texts valid UTF-8,
 * codes inside them and sorted, every code of a target one its unit's source has); and each
 * document's original bytes, from the skeleton, go to the module the file names, as merge hands
 * them on (format_fuzz.h checks what that module reads).
 */
#include "format_fuzz.h"

#include "bilingual.h"
#include "xliff.h"

/* The piece's text is sound, its codes inside it and sorted (a piece may hold one end of a span
 * that the unit's next piece closes, so pairing is the unit's business, not the piece's). */
static void check_piece_fragment(const xlate_fragment *f) {
    if (!f->text) {
        FUZZ_REQUIRE(f->n_codes == 0);
        return;
    }
    FUZZ_REQUIRE(f->text[f->len] == '\0' && fuzz_valid_utf8(f->text, f->len));
    for (size_t i = 0; i < f->n_codes; i++)
        FUZZ_REQUIRE(f->codes[i].pos <= f->len && (i == 0 || f->codes[i].pos >= f->codes[i - 1].pos) &&
                     f->codes[i].data);
}

static int source_has_code(const xlate_bi_para *u, unsigned id, xlate_seg_code_kind kind) {
    for (size_t i = 0; i < u->n_pieces; i++)
        for (size_t k = 0; k < u->pieces[i].source.n_codes; k++)
            if (u->pieces[i].source.codes[k].id == id && u->pieces[i].source.codes[k].kind == kind)
                return 1;
    return 0;
}

static void check_unit(const xlate_bi_para *u) {
    for (size_t i = 0; i < u->n_pieces; i++) {
        const xlate_bi_piece *p = &u->pieces[i];
        FUZZ_REQUIRE(p->source.text != NULL);
        check_piece_fragment(&p->source);
        check_piece_fragment(&p->target);
        FUZZ_REQUIRE(p->is_segment || !p->target.text); /* text between segments has no translation */
        for (size_t k = 0; k < p->target.n_codes; k++)
            FUZZ_REQUIRE(source_has_code(u, p->target.codes[k].id, p->target.codes[k].kind));
    }
}

/* What merge does next with a document: its original bytes through its module. */
static void read_original(const xlate_xliff_returned *r) {
    const xlate_format_module *m = xlate_format_by_name(r->format);
    if (!m)
        return;
    const xlate_format_read_options o = {NULL, 0, "uk"};
    xlate_fdoc doc;
    xlate_error err = {0};
    if (m->read(&o, r->name, r->original ? r->original : "", r->original_len, &doc, &err) != 0) {
        FUZZ_REQUIRE(err.message != NULL);
        xlate_error_clear(&err);
        return;
    }
    fuzz_check_doc(&doc, strcmp(r->format, "xliff") == 0);
    xlate_fdoc_free(&doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    xlate_xliff_returned *r = NULL;
    size_t n = 0;
    xlate_error err = {0};
    if (xlate_xliff_read_returned("fuzz.xlf", (const char *)data, size, &r, &n, &err) != 0) {
        FUZZ_REQUIRE(err.message && !r && !n);
        xlate_error_clear(&err);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        FUZZ_REQUIRE(r[i].name && r[i].format && (!r[i].original_len || r[i].original));
        for (size_t k = 0; k < r[i].n_units; k++) {
            FUZZ_REQUIRE(r[i].unit_ids[k] != NULL);
            check_unit(&r[i].units[k]);
        }
        read_original(&r[i]);
        xlate_xliff_returned_free(&r[i]);
    }
    free(r);
    return 0;
}
