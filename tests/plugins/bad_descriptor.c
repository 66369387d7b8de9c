/* bad_descriptor: the right ABI, but a descriptor without process(): the host must say so. */
#include "xlate/plugin.h"

static int create(const xlate_host *h, xlate_plugin_ctx *c, const xlate_options *o, void **i) {
    (void)h; (void)c; (void)o;
    *i = NULL;
    return XLATE_OK;
}
static void destroy(void *i) { (void)i; }

static const xlate_plugin descriptor = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "bad_descriptor", .version = "1.0", .description = "lacks process",
    .kind = XLATE_KIND_TRANSLATOR,
    .create = create, .process = NULL, .destroy = destroy,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    (void)host;
    return &descriptor;
}
