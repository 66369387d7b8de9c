/*
 * Harness: the glossary's term maps (plugins/glossary/termmap.h) through the loader a user's
 * file= goes to, xlate_termmap_load, so that each format the loader knows is reached by the
 * file's name and content. The first byte picks the file name (with or without languages in it,
 * each extension) and, where the loader takes them, the run's languages; the rest is the file. A
 * map that loads must hold what the matcher relies on: a source in every entry, a target unless
 * the entry keeps its source, valid UTF-8.
 */
#include "fuzz.h"

#include "termmap.h"
#include "xlate/plugin.h"

#include <unicode/utf8.h>

static const char *const file_names[] = {
    "terms.uk-en.tsv", "map.tsv", "en_es.tsv", "terms.uk-en.csv", "terms.csv",
    "terms.uk-en.tbx", "glossary.tbx", "terms.xml", "terms", "uk-en.txt",
};

/* The run's --from and --to, for a loader that takes them (TBX picks its langSets by them). */
static const char *const pairs[][2] = {{"uk", "en"}, {"en", "es"}, {NULL, NULL}, {"en", "uk-UA"}};

static int valid_utf8(const char *s) {
    int32_t i = 0, n = (int32_t)strlen(s);
    while (i < n) {
        UChar32 c;
        U8_NEXT(s, i, n, c);
        if (c < 0)
            return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    unsigned choice = fuzz_byte(&data, &size);
    const char *name = file_names[(choice & 0x3f) % (sizeof file_names / sizeof *file_names)];
    const char *path = fuzz_write_file(name, data, size);
    xlate_termmap map;
    char err[512];
    err[0] = '\0';
#ifdef XLATE_PLUGIN_TERMMAP_H /* the loader of plugins/common: every format, the run's languages */
    const char *const *pair = pairs[choice >> 6];
    int rc = xlate_termmap_load(path, pair[0], pair[1], &map, err, sizeof err);
#else
    (void)pairs;
    int rc = xlate_termmap_load(path, &map, err, sizeof err);
#endif
    if (rc != XLATE_OK) {
        if (!err[0])
            abort(); /* a refusal always says why */
        return 0;
    }
    for (size_t i = 0; i < map.count; i++) {
        const xlate_term_entry *e = &map.entries[i];
        if (!e->source || !e->source[0] || !e->target || (!e->target[0] && !e->keep))
            abort();
        if (!valid_utf8(e->source) || !valid_utf8(e->target) || (e->note && !valid_utf8(e->note)))
            abort();
#ifdef XLATE_PLUGIN_TERMMAP_H
        for (size_t k = 0; k < e->n_forbidden; k++)
            if (!e->forbidden[k] || !valid_utf8(e->forbidden[k]))
                abort();
#endif
    }
    if (memchr(map.source_lang, 0, sizeof map.source_lang) == NULL ||
        memchr(map.target_lang, 0, sizeof map.target_lang) == NULL)
        abort();
    xlate_termmap_free(&map);
    return 0;
}
