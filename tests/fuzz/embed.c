/*
 * Harness: the embedding API (include/xlate/xlate.h) as a program calls it with whatever its own
 * user typed: the session's languages and encoding, a plugin spec for the chain, and the text, each
 * a part of the input (FUZZ_SEPARATOR lines between them; an empty part is NULL). The first byte
 * picks the output format (an unknown one too), the batch size and the log level (an unknown one
 * too). Plugins are looked for in the test plugins' folder only, and a spec that is a path is not
 * loaded: the harness must not dlopen what the fuzzer names. Whatever the arguments, each call
 * returns a status the header lists, an output it says it gives, and a message.
 */
#include "fuzz.h"

#include <dirent.h>
#include <dlfcn.h>

#include "xlate/xlate.h"

/* The test plugins a session may load, kept mapped for the whole run: libFuzzer reads the coverage
 * counters of every instrumented object it has seen after each input, and a plugin the session
 * unloads would take its counters with it. Sessions still load and unload them as always. */
static void pin_plugins(void) {
    DIR *dir = opendir(BUILD_ROOT "/tests/plugins");
    if (!dir)
        abort(); /* the build makes it */
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 3, ".so") != 0 || strcmp(e->d_name, "not_a_plugin.so") == 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/tests/plugins/%s", BUILD_ROOT, e->d_name);
        if (!dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE))
            abort();
    }
    closedir(dir);
}

/* A log line is one line. */
static void on_log(void *data, const char *plugin, xlate_log_level level, const char *message) {
    (void)data, (void)level;
    if (!plugin || !message || strchr(message, '\n'))
        abort();
}

static int known_status(int rc) {
    return rc == XLATE_OK || rc == XLATE_PARTIAL || rc == XLATE_EINVAL || rc == XLATE_ERROR ||
           rc == XLATE_ENOMEM || rc == XLATE_ENOTFOUND;
}

/* The next part as a string, or NULL when it is empty. */
static char *part_or_null(const uint8_t **data, size_t *size) {
    size_t len;
    const uint8_t *p = fuzz_part(data, size, &len);
    return len ? fuzz_strndup(p, len) : NULL;
}

static void translate(xlate_session *s, const uint8_t *text, size_t len, int format) {
    char *out = NULL;
    size_t out_len = 0;
    int rc = xlate_translate_text(s, (const char *)text, len, (xlate_output_format)format, &out,
                                  &out_len);
    if (!known_status(rc) || (rc >= 0) != (out != NULL))
        abort();
    if (out && (out[out_len] != '\0' || strlen(out) != out_len))
        abort();
    size_t segments, failed, filtered, warnings;
    xlate_session_last_counts(s, &segments, &failed, &filtered, &warnings);
    if (failed > segments || filtered > segments)
        abort();
    if (!xlate_session_errmsg(s) || (rc == XLATE_PARTIAL && !xlate_session_errmsg(s)[0]))
        abort();
    xlate_free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const size_t batch_sizes[] = {0, 1, 2, 64};
    static int pinned;
    if (!pinned++)
        pin_plugins();
    unsigned choice = fuzz_byte(&data, &size);
    char *from = part_or_null(&data, &size), *to = part_or_null(&data, &size);
    char *encoding = part_or_null(&data, &size), *spec = part_or_null(&data, &size);
    size_t text_len;
    const uint8_t *text = fuzz_part(&data, &size, &text_len);

    xlate_session_options o = XLATE_SESSION_OPTIONS_INIT;
    o.source_lang = from;
    o.target_lang = to;
    o.encoding = encoding;
    o.plugin_path = BUILD_ROOT "/tests/plugins";
    o.batch_size = batch_sizes[(choice >> 3) & 3];
    o.log = on_log;
    o.log_level = (xlate_log_level)((choice >> 5) & 7);
    xlate_session *s = NULL;
    int rc = xlate_session_new(&o, &s);
    if (!known_status(rc) || (rc == XLATE_OK && !s))
        abort();
    if (s && rc == XLATE_OK) {
        /* crashy crashes on purpose (the isolation tests' plugin): not a finding. */
        if (spec && !strchr(spec, '/') && !strstr(spec, "crashy")) {
            rc = xlate_session_add_plugin(s, spec);
            if (!known_status(rc) || (rc != XLATE_OK && !xlate_session_errmsg(s)[0]))
                abort();
        }
        if (xlate_session_plugin_count(s) > 1)
            abort();
        translate(s, text, text_len, (int)(choice & 7) > 4 ? 9 : (int)(choice & 3));
        if (xlate_translate_text(s, (const char *)text, text_len, XLATE_OUTPUT_TEXT, NULL, NULL) !=
            XLATE_EINVAL)
            abort();
    } else if (s && !xlate_session_errmsg(s)[0]) {
        abort(); /* a session kept to say why says something */
    }
    xlate_session_free(s);
    free(from);
    free(to);
    free(encoding);
    free(spec);
    return 0;
}
