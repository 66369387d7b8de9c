/*
 * batch_docs: a batch's documents in formats — read by their module, through the worker's
 * pipeline on the document path, rendered as the document itself or as XLIFF (batch_docs.h).
 * The same steps `xlate run --format doc|xliff|xliff2` takes for one file.
 */
#include "batch_docs.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bilingual.h"
#include "xliff.h"
#include "xlate_config.h"

const xlate_format_module *xlate_bulk_doc_module(const xlate_bulk_doc_options *o, const char *path,
                                                 const char *bytes, size_t len) {
    const xlate_format_module *m = o->input_format ? xlate_format_by_name(o->input_format) : NULL;
    return m ? m : xlate_format_detect(path, bytes, len);
}

/* "auto" names no encoding: the module finds the document's own, as merge will. */
static const char *named_encoding(const xlate_bulk_doc_options *o) {
    return o->encoding && strcasecmp(o->encoding, "auto") != 0 ? o->encoding : NULL;
}

static int render_xliff(const xlate_bulk_doc_options *o, const xlate_bidoc *bi, xlate_buf *out, xlate_error *err) {
    xlate_xliff_export_options xo = {o->kind == XLATE_BULK_XLIFF21 ? XLATE_XLIFF_2_1 : XLATE_XLIFF_1_2,
                                     o->from, o->to, XLATE_VERSION, named_encoding(o)};
    if (o->xliff_fragment)
        return xlate_xliff_export_document(&xo, bi, out, err);
    return xlate_xliff_export_begin(&xo, out, err) || xlate_xliff_export_document(&xo, bi, out, err) ||
                   xlate_xliff_export_end(&xo, out, err)
               ? -1
               : 0;
}

/* The document after the chain as the batch writes it. */
static int render(const xlate_bulk_doc_options *o, xlate_fdoc *fd, const xlate_doc *doc, const xlate_doc_cut *cut,
                  const char *bytes, size_t len, xlate_buf *out, xlate_error *err) {
    if (o->kind == XLATE_BULK_RECORDS)
        return 0;
    xlate_bidoc bi;
    if (xlate_document_bilingual(fd, doc, cut, &bi, err) != 0)
        return -1;
    bi.original = bytes;
    bi.original_len = len;
    int rc;
    if (o->kind == XLATE_BULK_DOC) {
        xlate_format_write_options wo = {o->from, o->to, XLATE_VERSION};
        rc = xlate_document_apply(fd, &bi, err) == 0 && fd->format->write(fd, &wo, out, err) == 0 ? 0 : -1;
    } else {
        rc = render_xliff(o, &bi, out, err);
    }
    xlate_bidoc_free(&bi);
    return rc;
}

int xlate_bulk_doc_run(xlate_pipeline *p, const xlate_bulk_doc_options *o, const xlate_format_module *m,
                       const char *path, const char *bytes, size_t len, xlate_doc *doc, xlate_buf *out,
                       xlate_error *err) {
    xlate_format_read_options ro = {named_encoding(o), o->retranslate, o->from};
    xlate_fdoc fd;
    xlate_doc d;
    xlate_doc_cut cut;
    if (m->read(&ro, path, bytes, len, &fd, err) != 0)
        return -1;
    int rc = xlate_pipeline_run_document(p, &fd, o->retranslate, &d, &cut, err);
    if (rc < 0) {
        xlate_fdoc_free(&fd);
        return -1;
    }
    if (rc == 0 && render(o, &fd, &d, &cut, bytes, len, out, err) != 0) {
        if (!err->message)
            xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", path);
        rc = -1;
    }
    xlate_doc_cut_free(&cut);
    xlate_fdoc_free(&fd);
    if (rc != 0) {
        xlate_doc_free(&d);
        return rc;
    }
    *doc = d;
    return 0;
}
