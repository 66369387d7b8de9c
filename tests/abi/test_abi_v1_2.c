/*
 * test_abi_v1_2: the frozen-ABI 1.2 translator (abi_v1_2.so, built against tests/abi/v1_2/plugin.h)
 * loaded by the current host on segments with inline codes, which a 1.2 plugin cannot know of.
 * A segment with a term goes through the masked pair, and its codes come back in place; one
 * translated with plain segment_set_target keeps its codes too, at the end of the target, with a
 * code_lost warning under the plugin's name — what the pipeline does after the chain.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "host_services.h"


static void make_doc(xlate_doc *doc) {
    /* Two segments: "the NATO summit." with the term NATO, and "see you" without terms. */
    const char *tx = "the NATO summit. see you";
    xlate_span spans[2] = {{0, 16, 0}, {17, 24, 0}};
    CHECK_INT(xlate_doc_init(doc, "page.html", strdup(tx), strlen(tx), spans, 2), 0);
    CHECK_INT(xlate_seg_add_term(&doc->segs[0], 4, 8, "OTAN", NULL, 0), 0);
    CHECK_INT(xlate_seg_add_code(&doc->segs[0], 4, XLATE_SEG_CODE_OPEN, 1, 0, "<b>"), 0);
    CHECK_INT(xlate_seg_add_code(&doc->segs[0], 8, XLATE_SEG_CODE_CLOSE, 1, 0, "</b>"), 0);
    CHECK_INT(xlate_seg_add_code(&doc->segs[1], 3, XLATE_SEG_CODE_OPEN, 2, 0, "<i>"), 0);
    CHECK_INT(xlate_seg_add_code(&doc->segs[1], 7, XLATE_SEG_CODE_CLOSE, 2, 0, "</i>"), 0);
}

int main(void) {
    xlate_plugin_search search = {.host = xlate_host_services()};
    xlate_loaded_plugin *p = NULL;
    xlate_instance *inst = NULL;
    xlate_error err = {0};
    xlate_doc doc;
    CHECK_INT(xlate_plugin_load(&search, ABI_V1_2_SO, &p, &err), 0);
    if (!p)
        return check_result("test_abi_v1_2");
    CHECK_INT(XLATE_ABI_VERSION_MINOR(xlate_loaded_plugin_descriptor(p)->abi_version), 2);
    CHECK_INT(xlate_instance_new(p, "", "en", "es", NULL, &inst, &err), 0);
    make_doc(&doc);
    if (inst)
        CHECK_INT(xlate_instance_process(inst, &doc, 0, doc.n_segs, &err), 0);
    for (size_t i = 0; i < doc.n_segs; i++)
        CHECK_INT(xlate_seg_place_lost_codes(&doc.segs[i], doc.segs[i].target_plugin), 0);
    xlate_seg *a = &doc.segs[0], *b = &doc.segs[1];
    CHECK_STR(a->target, "THE OTAN SUMMIT.");
    CHECK(a->codes[0].target_pos == 4 && a->codes[1].target_pos == 8);
    CHECK_INT(a->status, XLATE_SEG_OK);
    CHECK_STR(b->target, "SEE YOU");
    CHECK(b->codes[0].has_target_pos && b->codes[0].target_pos == 7);
    CHECK(b->codes[1].has_target_pos && b->codes[1].target_pos == 7);
    CHECK_INT(b->status, XLATE_SEG_WARNING);
    CHECK_INT(b->n_messages, 1);
    CHECK_STR(b->messages[0].plugin, "abi_v1_2");
    CHECK_STR(b->messages[0].code, "code_lost");
    xlate_doc_free(&doc);
    xlate_instance_free(inst);
    xlate_plugin_unload(p);
    xlate_error_clear(&err);
    return check_result("test_abi_v1_2");
}
