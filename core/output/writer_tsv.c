/*
 * writer_tsv: the TSV output format of the writer stage. A header line
 * `id source target status message`, then one line per segment, ids continuing across the
 * documents of a stream. `message` is why a segment failed, was filtered or has a warning: every
 * message it was given, each after the name of the plugin that gave it, joined by "; "
 * ("qa: numbers differ; glossary: ..."); empty when there is none.
 *
 * Escaping: inside a field, tab, newline, carriage return and backslash are written as the two
 * characters \t, \n, \r and \\, so that every segment stays on one line and the columns stay
 * apart; a reader undoes them in one pass. Nothing else is escaped (the text stays UTF-8).
 * Inline codes (of a document format: HTML, XLIFF) stand in the source and target as the document's
 * own markup, at their places, escaped as any text.
 * Failed and filtered segments keep their source with an empty target; the status column says
 * which, so no segment is ever missing from the output.
 */

#include <string.h>

#include "writer_impl.h"

static const char *tsv_escape(UChar32 c, char tmp[16]) {
    (void)tmp;
    switch (c) {
    case '\t': return "\\t";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\\': return "\\\\";
    default: return NULL;
    }
}

static int tsv_begin(const xlate_writer_ctx *ctx, xlate_buf *out) {
    (void)ctx;
    return xlate_buf_puts(out, "id\tsource\ttarget\tstatus\tmessage\n");
}

static int tsv_segment(const xlate_seg *seg, size_t id, xlate_buf *out) {
    size_t target_len;
    const char *target = xlate_output_target(seg, &target_len);
    if (xlate_put_uint(out, id) || xlate_buf_putc(out, '\t') ||
        xlate_put_with_codes(out, seg, 0, seg->source, seg->source_len, tsv_escape,
                             xlate_put_code_markup) ||
        xlate_buf_putc(out, '\t') ||
        (target && xlate_put_with_codes(out, seg, 1, target, target_len, tsv_escape,
                                        xlate_put_code_markup)) ||
        xlate_buf_putc(out, '\t') ||
        xlate_buf_puts(out, xlate_seg_status_name(seg->status)) ||
        xlate_buf_putc(out, '\t') ||
        xlate_put_messages_joined(out, seg, tsv_escape) ||
        xlate_buf_putc(out, '\n'))
        return -1;
    return 0;
}

static int tsv_document(const xlate_writer_ctx *ctx, const xlate_doc *doc, size_t first_id,
                        xlate_buf *out) {
    (void)ctx;
    for (size_t i = 0; i < doc->n_segs; i++)
        if (tsv_segment(&doc->segs[i], first_id + i, out))
            return -1;
    return 0;
}

static int tsv_end(const xlate_writer_ctx *ctx, xlate_buf *out) {
    (void)ctx;
    (void)out;
    return 0;
}

const xlate_writer_format xlate_writer_tsv = {tsv_begin, tsv_document, tsv_end};
