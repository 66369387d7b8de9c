/* create_fails: a plugin whose create() reports why it cannot start, as a missing resource would. */
#include "xlate/plugin.h"

static int create(const xlate_host *h, xlate_plugin_ctx *c, const xlate_options *o, void **i) {
    (void)o;
    *i = NULL;
    h->set_error(c, "cannot open /nonexistent/model.bin: No such file or directory");
    return XLATE_ERROR;
}
static int process(void *i, xlate_batch *b) { (void)i; (void)b; return XLATE_OK; }
static void destroy(void *i) { (void)i; }

static const xlate_plugin descriptor = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "create_fails", .version = "1.0", .description = "fails in create",
    .kind = XLATE_KIND_TRANSLATOR,
    .create = create, .process = process, .destroy = destroy,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    (void)host;
    return &descriptor;
}
