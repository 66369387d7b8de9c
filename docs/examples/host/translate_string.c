/* translate_string: translates one string through libxlate's embedding API.
 * Usage: translate_string [--to LANG] TEXT [PLUGIN[:KEY=VALUE,...]]...
 *   e.g. translate_string --to uk-Latn "Київ" translit   (the source is Ukrainian; the target
 *   must be one the chain's translator declares, here translit's uk → uk-Latn) */
#include <stdio.h>
#include <string.h>

#include <xlate/xlate.h>

int main(int argc, char **argv) {
    xlate_session_options o = XLATE_SESSION_OPTIONS_INIT; /* uk → en unless --to says */
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "--to") == 0) {
        o.target_lang = argv[2];
        first = 3;
    }
    if (argc <= first) {
        fprintf(stderr, "usage: %s [--to LANG] TEXT [PLUGIN]...\n", argv[0]);
        return 2;
    }
    const char *text = argv[first];
    xlate_session *s = NULL;
    int rc = xlate_session_new(&o, &s);
    for (int i = first + 1; rc == XLATE_OK && i < argc; i++)
        rc = xlate_session_add_plugin(s, argv[i]);
    char *out = NULL;
    size_t len = 0, segments = 0, filtered = 0;
    if (rc == XLATE_OK)
        rc = xlate_translate_text(s, text, strlen(text), XLATE_OUTPUT_TEXT, &out, &len);
    if (rc >= 0) { /* XLATE_PARTIAL still gives the text, failed segments untranslated */
        fwrite(out, 1, len, stdout);
        xlate_session_last_counts(s, &segments, NULL, &filtered, NULL);
        fprintf(stderr, "%zu segments, %zu filtered\n", segments, filtered);
    }
    if (rc != XLATE_OK)
        fprintf(stderr, "translate_string: %s\n", xlate_session_errmsg(s));
    xlate_free(out);
    xlate_session_free(s);
    return rc == XLATE_OK ? 0 : 1;
}
