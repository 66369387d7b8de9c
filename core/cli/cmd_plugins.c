/*
 * cmd_plugins: `xlate plugins` — every plugin the search path offers, with kind, version,
 * language pairs, options and description, as text for people or JSON for scripts. Reads only
 * descriptors: no instance is created.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "json.h"
#include "host_services.h"

static const char *kind_name(xlate_plugin_kind k) {
    switch (k) {
    case XLATE_KIND_FILTER: return "filter";
    case XLATE_KIND_GLOSSARY: return "glossary";
    case XLATE_KIND_TRANSLATOR: return "translator";
    case XLATE_KIND_CHECK: return "check";
    }
    return "unknown";
}

static const char *option_type_name(xlate_option_type t) {
    switch (t) {
    case XLATE_OPTION_INT: return "int";
    case XLATE_OPTION_BOOL: return "bool";
    case XLATE_OPTION_PATH: return "path";
    case XLATE_OPTION_DOUBLE: return "double";
    default: return "string";
    }
}

typedef struct pair_sink {
    xlate_buf *b;
    int json;
    size_t n;
} pair_sink;

static void emit_pair(void *data, const char *source, const char *target) {
    pair_sink *ps = data;
    if (ps->json) {
        xlate_buf_puts(ps->b, ps->n ? ",{\"source\":" : "{\"source\":");
        xlate_json_cstring(ps->b, source);
        xlate_buf_puts(ps->b, ",\"target\":");
        xlate_json_cstring(ps->b, target);
        xlate_buf_putc(ps->b, '}');
    } else {
        xlate_buf_printf(ps->b, "%s%s→%s", ps->n ? ", " : "", source, target);
    }
    ps->n++;
}

/* Whether `path` is NAME.so, the file --plugin NAME looks for first. */
static int file_is_named(const char *path, const char *name) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(name);
    return strncmp(base, name, n) == 0 && strcmp(base + n, ".so") == 0;
}

static void describe_text(const xlate_loaded_plugin *p, xlate_buf *b) {
    const xlate_plugin *d = xlate_loaded_plugin_descriptor(p);
    xlate_buf_printf(b, "%-12s %-10s %-8s %s\n", d->name, kind_name(d->kind), d->version,
                     d->description);
    xlate_buf_puts(b, "             pairs: ");
    pair_sink ps = {b, 0, 0};
    xlate_loaded_plugin_pairs(p, emit_pair, &ps);
    xlate_buf_puts(b, ps.n ? "\n" : "(none declared)\n");
    for (size_t i = 0; i < d->n_options; i++) {
        const xlate_option_spec *o = &d->options[i];
        const char *help = o->help ? o->help : "";
        if (o->default_value)
            xlate_buf_printf(b, "             %s=%s (default %s)  %s\n", o->name,
                             option_type_name(o->type), o->default_value, help);
        else
            xlate_buf_printf(b, "             %s=%s  %s\n", o->name, option_type_name(o->type), help);
    }
    xlate_buf_printf(b, "             file: %s", xlate_loaded_plugin_path(p));
    /* --plugin takes the descriptor's name too, which is the one listed; say so when the file's
     * name would suggest another. */
    if (!file_is_named(xlate_loaded_plugin_path(p), d->name))
        xlate_buf_printf(b, " (use --plugin %s)", d->name);
    xlate_buf_putc(b, '\n');
}

static void describe_json(const xlate_loaded_plugin *p, xlate_buf *b) {
    const xlate_plugin *d = xlate_loaded_plugin_descriptor(p);
    xlate_buf_puts(b, "{\"name\":");
    xlate_json_cstring(b, d->name);
    xlate_buf_printf(b, ",\"kind\":\"%s\",\"version\":", kind_name(d->kind));
    xlate_json_cstring(b, d->version);
    xlate_buf_puts(b, ",\"description\":");
    xlate_json_cstring(b, d->description);
    xlate_buf_puts(b, ",\"path\":");
    xlate_json_cstring(b, xlate_loaded_plugin_path(p));
    xlate_buf_puts(b, ",\"pairs\":[");
    pair_sink ps = {b, 1, 0};
    xlate_loaded_plugin_pairs(p, emit_pair, &ps);
    xlate_buf_puts(b, "],\"options\":[");
    for (size_t i = 0; i < d->n_options; i++) {
        const xlate_option_spec *o = &d->options[i];
        xlate_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
        xlate_json_cstring(b, o->name);
        xlate_buf_printf(b, ",\"type\":\"%s\",\"default\":", option_type_name(o->type));
        xlate_json_cstring(b, o->default_value);
        xlate_buf_puts(b, ",\"help\":");
        xlate_json_cstring(b, o->help);
        xlate_buf_putc(b, '}');
    }
    xlate_buf_puts(b, "]}");
}

static void report_bad_plugin(void *data, const char *path, const char *message) {
    (void)data;
    (void)path;
    fprintf(stderr, "xlate: skipped %s\n", message);
}

static void print_plugins_help(FILE *out) {
    fprintf(out, "Usage: xlate plugins [--json] [--plugin-path DIR]...\n"
                 "\n"
                 "List every plugin found: name, kind, version, language pairs, options, file.\n"
                 "Search order: --plugin-path, XLATE_PLUGIN_PATH, the build tree (when xlate runs\n"
                 "from it), the installed plugin folder.\n"
                 "  --json                one JSON array, for scripts\n"
                 "  --plugin-path DIR     look in DIR first (repeatable)\n");
}

int xlate_cmd_plugins(int argc, char **argv) {
    static const struct option longopts[] = {{"json", no_argument, NULL, 'j'},
                                              {"plugin-path", required_argument, NULL, 'p'},
                                              {"help", no_argument, NULL, 'h'},
                                              {0}};
    const char **dirs = calloc((size_t)argc + 1, sizeof *dirs);
    size_t n_dirs = 0;
    int json = 0, opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == 'j') {
            json = 1;
        } else if (opt == 'p') {
            dirs[n_dirs++] = optarg;
        } else if (opt == 'h') {
            print_plugins_help(stdout);
            free(dirs);
            return XLATE_EXIT_OK;
        } else {
            fprintf(stderr, "xlate: plugins: unknown option %s; see 'xlate plugins --help'\n",
                    argv[optind - 1]);
            free(dirs);
            return XLATE_EXIT_USAGE;
        }
    }
    xlate_plugin_search search;
    if (xlate_cli_plugin_search_init(&search, dirs, n_dirs) != 0) {
        free(dirs);
        return XLATE_EXIT_FAILED;
    }
    xlate_loaded_plugin **found = NULL;
    size_t n = 0;
    if (xlate_plugin_discover(&search, &found, &n, report_bad_plugin, NULL) != 0) {
        xlate_plugin_search_free(&search);
        fprintf(stderr, "xlate plugins: out of memory while listing the plugins\n");
        return XLATE_EXIT_FAILED;
    }
    xlate_buf b = XLATE_BUF_INIT;
    if (json)
        xlate_buf_putc(&b, '[');
    for (size_t i = 0; i < n; i++) {
        if (json) {
            if (i)
                xlate_buf_putc(&b, ',');
            describe_json(found[i], &b);
        } else {
            describe_text(found[i], &b);
        }
        xlate_plugin_unload(found[i]);
    }
    if (json)
        xlate_buf_puts(&b, "]\n");
    else if (n == 0)
        xlate_buf_puts(&b, "no plugins found; add a folder with --plugin-path or XLATE_PLUGIN_PATH\n");
    int status = XLATE_EXIT_OK;
    if (xlate_buf_failed(&b)) {
        fprintf(stderr, "xlate plugins: out of memory while describing the plugins\n");
        status = XLATE_EXIT_FAILED;
    } else if ((b.len && fwrite(b.data, 1, b.len, stdout) != b.len) || fflush(stdout) != 0) {
        fprintf(stderr, "xlate plugins: cannot write to standard output: %s\n", strerror(errno));
        status = XLATE_EXIT_FAILED;
    }
    xlate_buf_free(&b);
    free(found);
    free(dirs);
    xlate_plugin_search_free(&search);
    return status;
}
