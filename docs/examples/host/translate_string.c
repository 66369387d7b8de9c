/* translate_string: translates one string through libxlate's embedding API.
 * Usage: translate_string TEXT [PLUGIN[:KEY=VALUE,...]]...   e.g. translate_string "Київ" translit */
#include <stdio.h>
#include <string.h>

#include <xlate/xlate.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s TEXT [PLUGIN]...\n", argv[0]);
        return 2;
    }
    xlate_session *s = NULL;
    int rc = xlate_session_new(NULL, &s);
    for (int i = 2; rc == XLATE_OK && i < argc; i++)
        rc = xlate_session_add_plugin(s, argv[i]);
    char *out = NULL;
    size_t len = 0, segments = 0, filtered = 0;
    if (rc == XLATE_OK)
        rc = xlate_translate_text(s, argv[1], strlen(argv[1]), XLATE_OUTPUT_TEXT, &out, &len);
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
