/*
 * format_registry: which format modules this build has (generated format_modules.h, from
 * core/format/meson.build) and how a document finds its own: the name the user gave, else the
 * file's extension, else what its first bytes look like.
 */
#include "format.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "format_modules.h"

static const xlate_format_module *const modules[] = {XLATE_FORMAT_MODULE_LIST NULL};

const xlate_format_module *const *xlate_format_modules(void) { return modules; }

const xlate_format_module *xlate_format_by_name(const char *name) {
    for (size_t i = 0; name && modules[i]; i++)
        if (strcmp(modules[i]->name, name) == 0)
            return modules[i];
    return NULL;
}

/* The extension of the last path component, without the dot, or NULL. */
static const char *extension_of(const char *name) {
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? dot + 1 : NULL;
}

static const xlate_format_module *by_extension(const char *ext) {
    for (size_t i = 0; modules[i]; i++)
        for (const char *const *e = modules[i]->extensions; e && *e; e++)
            if (strcasecmp(*e, ext) == 0)
                return modules[i];
    return NULL;
}

/* Sniffing reads no more than this: enough for a doctype, an XML declaration or a PO header. */
#define SNIFF_BYTES 4096

const xlate_format_module *xlate_format_detect(const char *name, const char *bytes, size_t len) {
    const char *ext = name ? extension_of(name) : NULL;
    const xlate_format_module *m = ext ? by_extension(ext) : NULL;
    if (m)
        return m;
    const xlate_format_module *best = NULL;
    int best_score = 0;
    for (size_t i = 0; modules[i]; i++) {
        int score = modules[i]->sniff ? modules[i]->sniff(bytes, len < SNIFF_BYTES ? len : SNIFF_BYTES) : 0;
        if (score > best_score) {
            best = modules[i];
            best_score = score;
        }
    }
    return best ? best : xlate_format_by_name("text");
}
