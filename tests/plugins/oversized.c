/* oversized: a descriptor that claims ABI 1.1 but says it is 4096 bytes long, far more than any
 * ABI 1.1 descriptor; the host reads only what it knows, `plugin check` names the mismatch. */
#include <stdlib.h>

#include "xlate/plugin.h"

static const xlate_lang_pair pairs[] = {{"*", "*"}};

static int create(const xlate_host *h, xlate_plugin_ctx *c, const xlate_options *o, void **i) {
    (void)h;
    (void)c;
    (void)o;
    *i = NULL;
    return XLATE_OK;
}
static int process(void *i, xlate_batch *b) { (void)i; (void)b; return XLATE_OK; }
static void destroy(void *i) { (void)i; }

static const xlate_plugin descriptor = {
    .abi_version = (1u << 16) | 1u,
    .struct_size = 4096,
    .name = "oversized", .version = "1.0", .description = "claims a 4096-byte ABI 1.1 descriptor",
    .kind = XLATE_KIND_FILTER,
    .pairs = pairs, .n_pairs = 1,
    .create = create, .process = process, .destroy = destroy,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    (void)host;
    return &descriptor;
}
