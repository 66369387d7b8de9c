/*
 * environment: what the xlate command takes from the process and hands to libxlate as
 * configuration — the plugin search path (XLATE_PLUGIN_PATH, and the build tree when the command
 * runs from it), where plugins' log lines go (stderr, at the level XLATE_LOG names) and the time
 * stamped on packed archives (SOURCE_DATE_EPOCH). libxlate itself reads none of these, so that a
 * program embedding it decides them for itself.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive_out.h"
#include "cli.h"
#include "xlate/number.h"
#include "xlate_config.h"

/* True when the running program lives in this project's build tree: then the plugins built
 * beside it are the ones to use, not an older installed copy. */
static int running_from_build_tree(void) {
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return 0;
    exe[n] = '\0';
    size_t root_len = strlen(XLATE_BUILD_ROOT);
    return strncmp(exe, XLATE_BUILD_ROOT, root_len) == 0 && exe[root_len] == '/';
}

int xlate_cli_running_from_build_tree(void) { return running_from_build_tree(); }

const char *xlate_cli_build_root(void) { return XLATE_BUILD_ROOT; }

int xlate_cli_plugin_search_init(xlate_plugin_search *s, const char *const *user_dirs,
                                 size_t n_user) {
    const char *env = getenv("XLATE_PLUGIN_PATH");
    char *list = env ? strdup(env) : NULL;
    size_t max = n_user + 1;
    for (const char *p = env; p && *p; p++)
        max += *p == ':';
    const char **dirs = calloc(max, sizeof *dirs);
    int rc = -1;
    if (dirs && (list || !env)) {
        size_t n = 0;
        for (size_t i = 0; i < n_user; i++)
            dirs[n++] = user_dirs[i];
        /* Empty fields ("a::b") are skipped by the search itself. */
        for (char *rest = list, *dir; (dir = strsep(&rest, ":")) != NULL;)
            dirs[n++] = dir;
        rc = xlate_plugin_search_init(s, dirs, n, running_from_build_tree(), xlate_host_services());
        if (rc == 0)
            s->hint = "add a folder with --plugin-path or XLATE_PLUGIN_PATH, or give a file as "
                      "--plugin ./NAME.so";
    }
    free(dirs);
    free(list);
    return rc;
}

static const char *level_word(xlate_log_level level) {
    switch (level) {
    case XLATE_LOG_ERROR: return "error";
    case XLATE_LOG_WARNING: return "warning";
    case XLATE_LOG_INFO: return "info";
    default: return "debug";
    }
}

static void log_to_stderr(void *data, const char *plugin, xlate_log_level level,
                          const char *message) {
    (void)data;
    /* One fprintf per line so that lines of several workers do not interleave mid-line. */
    fprintf(stderr, "xlate: %s: %s: %s\n", plugin, level_word(level), message);
}

static xlate_log_level level_from_env(void) {
    const char *v = getenv("XLATE_LOG");
    if (!v)
        return XLATE_LOG_WARNING;
    if (strcmp(v, "error") == 0)
        return XLATE_LOG_ERROR;
    if (strcmp(v, "info") == 0)
        return XLATE_LOG_INFO;
    if (strcmp(v, "debug") == 0)
        return XLATE_LOG_DEBUG;
    return XLATE_LOG_WARNING;
}

xlate_log_sink xlate_cli_log_sink(void) {
    xlate_log_sink sink = {log_to_stderr, NULL, level_from_env()};
    return sink;
}

int xlate_cli_pack_time(long long *out, xlate_error *err) {
    const char *s = getenv("SOURCE_DATE_EPOCH");
    uint64_t v;
    *out = XLATE_PACK_TIME_NOW;
    if (!s || !*s)
        return 0;
    /* reproducible-builds.org: a malformed value is an error, not a reason to use the clock. */
    if (xlate_parse_uint(s, strlen(s), INT64_MAX, &v) != XLATE_NUMBER_OK) {
        xlate_error_set(err, XLATE_EINVAL,
                        "SOURCE_DATE_EPOCH='%.64s' is not a time: give whole seconds since 1970 "
                        "in digits (no sign or spaces), or unset it",
                        s);
        return -1;
    }
    *out = (long long)v;
    return 0;
}

char *xlate_cli_program_path(void) {
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0 || (size_t)n >= sizeof buf - 1)
        return NULL;
    buf[n] = '\0';
    return strdup(buf);
}

int xlate_cli_parse_timeout(const char *flag, const char *arg, double *out, xlate_error *err) {
    /* number.h's strict real: no sign but '-', no spaces, no "inf"; a negative one is out of range. */
    enum xlate_number_result r = xlate_parse_real(arg, strlen(arg), 0.0, 1e6, out);
    if (r != XLATE_NUMBER_OK) {
        xlate_error_set(err, XLATE_EINVAL, "%s '%.64s': %s: give a number of seconds (e.g. 30 "
                        "or 2.5; 0 for no limit, at most 1000000)", flag, arg,
                        r == XLATE_NUMBER_RANGE ? "out of range" : "not a number");
        return -1;
    }
    return 0;
}
