/*
 * test_embed_config: a program that embeds libxlate (the shared library, through
 * include/xlate/xlate.h only) in a process whose environment says otherwise — XLATE_PLUGIN_PATH
 * names a folder with a plugin in it, XLATE_LOG asks for debug lines, and fd 2 is a file that must
 * stay empty — and gets exactly what its session options say: plugins from the build tree it asks
 * for and from nowhere else, the glossary's log lines in its callback at the level it set, nothing
 * on stderr, and the glossary's translation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "xlate/xlate.h"

typedef struct log_lines {
    int n;
    char plugin[64], message[512]; /* of the first line */
    xlate_log_level level;
} log_lines;

static void on_log(void *data, const char *plugin, xlate_log_level level, const char *message) {
    log_lines *l = data;
    if (l->n++ > 0)
        return;
    snprintf(l->plugin, sizeof l->plugin, "%s", plugin);
    snprintf(l->message, sizeof l->message, "%s", message);
    l->level = level;
}

static const char text[] = "Генсек НАТО Єнс Столтенберг заявив про підтримку України.\n";

/* One session: the build tree's plugins only, log lines at `level` into `got`. */
static void translate_with(xlate_log_level level, log_lines *got) {
    xlate_session_options o = XLATE_SESSION_OPTIONS_INIT;
    o.search_build_tree = 1;
    o.log = on_log;
    o.log_data = got;
    o.log_level = level;
    xlate_session *s = NULL;
    char *out = NULL;
    CHECK_INT(xlate_session_new(&o, &s), XLATE_OK);
    /* testtrans is in XLATE_PLUGIN_PATH's folder, which the options do not name. */
    CHECK_INT(xlate_session_add_plugin(s, "testtrans"), XLATE_ENOTFOUND);
    CHECK_INT(xlate_session_add_plugin(s, "glossary"), XLATE_OK);
    CHECK_INT(xlate_translate_text(s, text, strlen(text), XLATE_OUTPUT_TEXT, &out, NULL), XLATE_OK);
    CHECK_STR(out, "NATO Secretary-General Jens Stoltenberg заявив про підтримку Ukraine.\n");
    xlate_free(out);
    xlate_session_free(s);
}

int main(void) {
    CHECK(access(BUILD_ROOT "/tests/plugins/testtrans.so", R_OK) == 0);
    setenv("XLATE_PLUGIN_PATH", BUILD_ROOT "/tests/plugins", 1);
    setenv("XLATE_LOG", "debug", 1);
    char err_file[] = "/tmp/xlate-embed-stderr-XXXXXX";
    int saved_stderr = dup(2);
    close(2);
    CHECK_INT(mkstemp(err_file), 2); /* the lowest free descriptor: fd 2 is now this file */

    log_lines debug = {0}, info = {0};
    translate_with(XLATE_LOG_DEBUG, &debug);
    translate_with(XLATE_LOG_INFO, &info);

    struct stat st;
    CHECK(fstat(2, &st) == 0 && st.st_size == 0);
    dup2(saved_stderr, 2);
    if (st.st_size) {
        char *written = check_read_file(err_file, NULL);
        fprintf(stderr, "written to fd 2:\n%s\n", written ? written : "(unreadable)");
        free(written);
    }
    unlink(err_file);
    CHECK(debug.n >= 1);
    CHECK_STR(debug.plugin, "glossary");
    CHECK_INT(debug.level, XLATE_LOG_DEBUG);
    CHECK(strncmp(debug.message, "dictionary: ", 12) == 0);
    CHECK_INT(info.n, 0); /* the glossary logs only at debug */
    return check_result("test_embed_config");
}
