/* wrong_abi: a plugin that claims ABI major 99, which the host must refuse with a message. */
#include <stdlib.h>
#include "xlate/plugin.h"

static int create(const xlate_host *h, xlate_plugin_ctx *c, const xlate_options *o, void **i) {
    (void)h; (void)c; (void)o;
    *i = NULL;
    return XLATE_OK;
}
static int process(void *i, xlate_batch *b) { (void)i; (void)b; return XLATE_OK; }
static void destroy(void *i) { (void)i; }

static const xlate_plugin descriptor = {
    .abi_version = (99u << 16) | 0u,
    .struct_size = sizeof(xlate_plugin),
    .name = "wrong_abi", .version = "1.0", .description = "built for ABI 99",
    .kind = XLATE_KIND_FILTER,
    .create = create, .process = process, .destroy = destroy,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    (void)host;
    return &descriptor;
}
