/*
 * plugin_loader: the loading half of the plugin host. Finds a plugin by name in the search path,
 * dlopens it, calls its one entry symbol and checks the descriptor against the ABI before anything
 * else may touch it. The open and the check are the only ones in xlate: `xlate plugin check` uses
 * them too, so what it says of a plugin is what a run would do. Instances and the services
 * plugins call live in host_services.c, which builds on this file; the loader is handed the
 * services' table (xlate_plugin_search.host) and never reaches back for it.
 */
#include "plugin_loader.h"

#include <dirent.h>
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "xlate_config.h"

/* The warnings the plugin's instances gave while starting: said once however many workers start
 * one (see xlate_loaded_plugin_first_saying). */
typedef struct said_lines {
    pthread_mutex_t lock;
    char **lines;
    size_t n;
} said_lines;

struct xlate_loaded_plugin {
    char *path;
    void *handle;
    const xlate_host *host; /* the table its entry was given; enumerate_pairs gets it too */
    xlate_plugin desc; /* the plugin's descriptor, fields beyond its struct_size zeroed */
    said_lines *said;  /* the one part that changes after loading, under its lock */
};

/* --- search path ----------------------------------------------------------------------------- */

static int push_dir(xlate_plugin_search *s, const char *dir, size_t len) {
    if (len == 0)
        return 0;
    char **dirs = realloc(s->dirs, (s->n_dirs + 1) * sizeof *dirs);
    if (!dirs)
        return -1;
    s->dirs = dirs;
    s->dirs[s->n_dirs] = strndup(dir, len);
    if (!s->dirs[s->n_dirs])
        return -1;
    s->n_dirs++;
    return 0;
}

int xlate_plugin_search_init(xlate_plugin_search *s, const char *const *dirs, size_t n_dirs,
                             int build_tree, const xlate_host *host) {
    s->dirs = NULL;
    s->n_dirs = 0;
    s->hint = NULL;
    s->host = host;
    for (size_t i = 0; i < n_dirs; i++)
        if (push_dir(s, dirs[i], strlen(dirs[i])) != 0)
            goto oom;
    if (build_tree && push_dir(s, XLATE_BUILD_PLUGINDIR, strlen(XLATE_BUILD_PLUGINDIR)) != 0)
        goto oom;
    if (push_dir(s, XLATE_PLUGINDIR, strlen(XLATE_PLUGINDIR)) != 0)
        goto oom;
    return 0;
oom:
    xlate_plugin_search_free(s);
    return -1;
}

void xlate_plugin_search_free(xlate_plugin_search *s) {
    for (size_t i = 0; i < s->n_dirs; i++)
        free(s->dirs[i]);
    free(s->dirs);
    s->dirs = NULL;
    s->n_dirs = 0;
}

static int is_regular_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* DIR/NAME.so, or DIR/NAME/NAME.so as the build tree lays plugins out. */
static char *find_in_dir(const char *dir, const char *name) {
    xlate_buf b = XLATE_BUF_INIT;
    xlate_buf_printf(&b, "%s/%s.so", dir, name);
    if (b.data && is_regular_file(b.data))
        return xlate_buf_steal(&b, NULL);
    xlate_buf_reset(&b);
    xlate_buf_printf(&b, "%s/%s/%s.so", dir, name, name);
    if (b.data && is_regular_file(b.data))
        return xlate_buf_steal(&b, NULL);
    xlate_buf_free(&b);
    return NULL;
}

static char *search_dirs_text(const xlate_plugin_search *s) {
    xlate_buf b = XLATE_BUF_INIT;
    for (size_t i = 0; i < s->n_dirs; i++)
        xlate_buf_printf(&b, "%s%s", i ? ", " : "", s->dirs[i]);
    return xlate_buf_steal(&b, NULL);
}

/* --- the descriptor check ------------------------------------------------------------------ */

int xlate_plugin_name_is_valid(const char *name) {
    if (!name || !*name)
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return 0;
    return 1;
}

/* The descriptor fields every ABI-1 plugin has: up to and including destroy. */
#define XLATE_PLUGIN_V1_MIN_SIZE (offsetof(xlate_plugin, destroy) + sizeof(void (*)(void *)))

typedef struct refusals {
    void (*fn)(void *data, const char *message);
    void *data;
    int n;
} refusals;

static void refuse(refusals *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void refuse(refusals *r, const char *fmt, ...) {
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    r->n++;
    if (r->fn)
        r->fn(r->data, message);
}

static void check_identity(const xlate_plugin *d, refusals *r) {
    if (!xlate_plugin_name_is_valid(d->name))
        refuse(r, "its name '%s' is missing or has characters other than a-z, 0-9, '_' and '-'",
               d->name ? d->name : "(null)");
    if (!d->version)
        refuse(r, "its version is missing (e.g. \"1.0.0\")");
    if (!d->description)
        refuse(r, "its description is missing (one line for `xlate plugins`)");
    if (d->kind < XLATE_KIND_FILTER || d->kind > XLATE_KIND_CHECK)
        refuse(r, "its kind is %d, which is not XLATE_KIND_FILTER, _GLOSSARY, _TRANSLATOR or _CHECK",
               (int)d->kind);
    /* A check's place after the translators is an ABI 1.2 rule; an older plugin cannot ask for it. */
    else if (d->kind == XLATE_KIND_CHECK && XLATE_ABI_VERSION_MINOR(d->abi_version) < 2)
        refuse(r, "its kind is XLATE_KIND_CHECK, which ABI %u.%u does not have: build it against "
                  "the ABI 1.2 header",
               XLATE_ABI_VERSION_MAJOR(d->abi_version), XLATE_ABI_VERSION_MINOR(d->abi_version));
}

static void check_functions(const xlate_plugin *d, refusals *r) {
    if (!d->create)
        refuse(r, "create is NULL: the host cannot make an instance");
    if (!d->process)
        refuse(r, "process is NULL: the host cannot give it segments");
    if (!d->destroy)
        refuse(r, "destroy is NULL: the host cannot free its instances");
}

static void check_lists(const xlate_plugin *d, refusals *r) {
    if (d->n_pairs && !d->pairs)
        refuse(r, "n_pairs is %zu but pairs is NULL", d->n_pairs);
    if (d->n_options && !d->options) {
        refuse(r, "n_options is %zu but options is NULL", d->n_options);
        return;
    }
    for (size_t i = 0; i < d->n_options; i++)
        if (!xlate_plugin_name_is_valid(d->options[i].name))
            refuse(r, "option %zu's name '%s' is missing or not of a-z, 0-9, '_' and '-'", i + 1,
                   d->options[i].name ? d->options[i].name : "(null)");
}

int xlate_plugin_descriptor_check(const xlate_plugin *raw, xlate_plugin *out,
                                  void (*on_refusal)(void *data, const char *message), void *data) {
    refusals r = {on_refusal, data, 0};
    memset(out, 0, sizeof *out);
    if (XLATE_ABI_VERSION_MAJOR(raw->abi_version) != XLATE_ABI_MAJOR) {
        refuse(&r, "it was built for plugin ABI %u.%u but this xlate speaks ABI %u.%u: rebuild it "
                   "against this xlate's <xlate/plugin.h> (pkg-config --cflags xlate)",
               XLATE_ABI_VERSION_MAJOR(raw->abi_version), XLATE_ABI_VERSION_MINOR(raw->abi_version),
               XLATE_ABI_MAJOR, XLATE_ABI_MINOR);
        return -1;
    }
    if (raw->struct_size < XLATE_PLUGIN_V1_MIN_SIZE) {
        refuse(&r, "its descriptor says it is %u bytes long, shorter than the %zu bytes ABI 1 "
                   "requires: set struct_size = sizeof(xlate_plugin)",
               raw->struct_size, XLATE_PLUGIN_V1_MIN_SIZE);
        return -1;
    }
    /* Read no more than the plugin says it has: an older plugin's descriptor is shorter. */
    memcpy(out, raw, raw->struct_size < sizeof *out ? raw->struct_size : sizeof *out);
    check_identity(out, &r);
    check_functions(out, &r);
    check_lists(out, &r);
    return r.n ? -1 : 0;
}

/* --- loading ------------------------------------------------------------------------------------ */

int xlate_plugin_open(const char *path, const xlate_host *host, void **handle, const xlate_plugin **raw, xlate_error *err) {
    *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    *raw = NULL;
    if (!*handle) {
        const char *why = dlerror();
        xlate_error_set(err, XLATE_ERROR,
                        "%s: cannot be loaded as a shared object (%s); build it with -shared -fPIC",
                        path, why ? why : "unknown reason");
        return -1;
    }
    xlate_plugin_entry_fn entry;
    *(void **)&entry = dlsym(*handle, XLATE_PLUGIN_ENTRY_SYMBOL);
    if (!entry) {
        xlate_error_set(err, XLATE_ERROR,
                        "%s: not an xlate plugin: it does not export the entry function '%s'; "
                        "define `XLATE_PLUGIN_EXPORT const xlate_plugin *%s(const xlate_host "
                        "*host)` (not static)",
                        path, XLATE_PLUGIN_ENTRY_SYMBOL, XLATE_PLUGIN_ENTRY_SYMBOL);
    } else if (!(*raw = entry(host))) {
        xlate_error_set(err, XLATE_ERROR,
                        "%s: its entry function returned NULL for this host (ABI %u.%u): the plugin "
                        "refuses to load into this xlate; it may need a newer one",
                        path, XLATE_ABI_MAJOR, XLATE_ABI_MINOR);
    }
    if (*raw)
        return 0;
    xlate_plugin_close(*handle);
    *handle = NULL;
    return -1;
}

void xlate_plugin_close(void *handle) {
    /* Plugins built with sanitizers report leaks against their own symbols; keeping the object
     * mapped under ASan keeps those reports readable. Unloading is otherwise safe here because no
     * instance outlives its loaded plugin. */
#if !defined(__SANITIZE_ADDRESS__)
    if (handle)
        dlclose(handle);
#else
    (void)handle;
#endif
}

/* The loader's message: every refusal, joined. */
static void join_refusal(void *data, const char *message) {
    xlate_buf *b = data;
    xlate_buf_printf(b, "%s%s", b->len ? "; " : "", message);
}

static int open_plugin_file(const char *path, const xlate_host *host, xlate_loaded_plugin **out,
                            xlate_error *err) {
    void *handle = NULL;
    const xlate_plugin *raw = NULL;
    if (xlate_plugin_open(path, host, &handle, &raw, err) != 0)
        return -1;
    xlate_loaded_plugin *p = calloc(1, sizeof *p);
    if (p)
        p->said = calloc(1, sizeof *p->said);
    if (!p || !p->said || !(p->path = strdup(path))) {
        if (p)
            free(p->said);
        free(p);
        xlate_plugin_close(handle);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    p->handle = handle;
    p->host = host;
    pthread_mutex_init(&p->said->lock, NULL);
    xlate_buf why = XLATE_BUF_INIT;
    if (xlate_plugin_descriptor_check(raw, &p->desc, join_refusal, &why) != 0) {
        xlate_error_set(err, XLATE_ERROR, "%s: not a valid xlate plugin: %s", path,
                        why.data ? why.data : "out of memory");
        xlate_buf_free(&why);
        xlate_plugin_unload(p);
        return -1;
    }
    *out = p;
    return 0;
}

/* The plugin of the search path whose descriptor has `name`, for a file named otherwise
 * ("my-check.so" holding plugin "numbers"): `xlate plugins` lists it by that name. Returns its
 * path (allocated) or NULL. */
static char *find_by_descriptor_name(const xlate_plugin_search *s, const char *name) {
    xlate_loaded_plugin **items = NULL;
    size_t n = 0;
    char *path = NULL;
    if (xlate_plugin_discover(s, &items, &n, NULL, NULL) != 0)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (!path && strcmp(items[i]->desc.name, name) == 0)
            path = strdup(items[i]->path);
        xlate_plugin_unload(items[i]);
    }
    free(items);
    return path;
}

int xlate_plugin_load(const xlate_plugin_search *s, const char *name_or_path,
                      xlate_loaded_plugin **out, xlate_error *err) {
    if (strchr(name_or_path, '/')) {
        if (!is_regular_file(name_or_path)) {
            xlate_error_set(err, XLATE_ENOTFOUND, "%s: no such plugin file", name_or_path);
            return XLATE_ENOTFOUND;
        }
        return open_plugin_file(name_or_path, s->host, out, err);
    }
    for (size_t i = 0; i < s->n_dirs; i++) {
        char *path = find_in_dir(s->dirs[i], name_or_path);
        if (path) {
            int rc = open_plugin_file(path, s->host, out, err);
            free(path);
            return rc;
        }
    }
    char *by_name = find_by_descriptor_name(s, name_or_path);
    if (by_name) {
        int rc = open_plugin_file(by_name, s->host, out, err);
        free(by_name);
        return rc;
    }
    char *names = xlate_plugin_names(s);
    char *dirs = search_dirs_text(s);
    xlate_error_set(err, XLATE_ENOTFOUND, "unknown plugin '%s'; the plugins found are: %s "
                                          "(searched: %s; %s)",
                    name_or_path, names && *names ? names : "none", dirs ? dirs : "",
                    s->hint ? s->hint : "add a folder to the plugin search path, or give the "
                                        "plugin's file as a path such as ./NAME.so");
    free(names);
    free(dirs);
    return XLATE_ENOTFOUND;
}

char *xlate_plugin_find(const xlate_plugin_search *s, const char *name_or_path) {
    if (strchr(name_or_path, '/'))
        return is_regular_file(name_or_path) ? strdup(name_or_path) : NULL;
    for (size_t i = 0; i < s->n_dirs; i++) {
        char *path = find_in_dir(s->dirs[i], name_or_path);
        if (path)
            return path;
    }
    return NULL;
}

const xlate_plugin *xlate_loaded_plugin_descriptor(const xlate_loaded_plugin *p) { return &p->desc; }

const char *xlate_loaded_plugin_path(const xlate_loaded_plugin *p) { return p->path; }

void xlate_loaded_plugin_pairs(const xlate_loaded_plugin *p,
                               void (*emit)(void *data, const char *source, const char *target),
                               void *data) {
    if (p->desc.enumerate_pairs) {
        p->desc.enumerate_pairs(p->host, emit, data);
        return;
    }
    for (size_t i = 0; i < p->desc.n_pairs; i++)
        emit(data, p->desc.pairs[i].source, p->desc.pairs[i].target);
}

void xlate_plugin_unload(xlate_loaded_plugin *p) {
    if (!p)
        return;
    xlate_plugin_close(p->handle);
    for (size_t i = 0; i < p->said->n; i++)
        free(p->said->lines[i]);
    free(p->said->lines);
    pthread_mutex_destroy(&p->said->lock);
    free(p->said);
    free(p->path);
    free(p);
}

int xlate_loaded_plugin_first_saying(const xlate_loaded_plugin *p, const char *line) {
    said_lines *s = p->said;
    int first = 1;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; first && i < s->n; i++)
        first = strcmp(s->lines[i], line) != 0;
    if (first) {
        /* Out of memory only means the line may be said again. */
        char **lines = realloc(s->lines, (s->n + 1) * sizeof *lines);
        if (lines) {
            s->lines = lines;
            if ((lines[s->n] = strdup(line)) != NULL)
                s->n++;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return first;
}

/* --- discovery ------------------------------------------------------------------------------- */

typedef struct found_list {
    xlate_loaded_plugin **items;
    size_t n;
    const xlate_host *host;
} found_list;

static int already_found(const found_list *f, const char *name) {
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->items[i]->desc.name, name) == 0)
            return 1;
    return 0;
}

static void consider_file(found_list *f, const char *path,
                          void (*on_bad)(void *, const char *, const char *), void *data) {
    xlate_loaded_plugin *p = NULL;
    xlate_error err = {0};
    if (open_plugin_file(path, f->host, &p, &err) != 0) {
        if (on_bad)
            on_bad(data, path, err.message);
        xlate_error_clear(&err);
        return;
    }
    xlate_loaded_plugin **items = already_found(f, p->desc.name)
                                      ? NULL
                                      : realloc(f->items, (f->n + 1) * sizeof *items);
    if (!items) {
        xlate_plugin_unload(p);
        return;
    }
    f->items = items;
    f->items[f->n++] = p;
}

static int ends_with_so(const char *name) {
    size_t n = strlen(name);
    return n > 3 && strcmp(name + n - 3, ".so") == 0;
}

static void scan_dir(found_list *f, const char *dir,
                     void (*on_bad)(void *, const char *, const char *), void *data) {
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    xlate_buf path = XLATE_BUF_INIT;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        xlate_buf_reset(&path);
        if (ends_with_so(e->d_name)) {
            xlate_buf_printf(&path, "%s/%s", dir, e->d_name);
        } else {
            xlate_buf_printf(&path, "%s/%s/%s.so", dir, e->d_name, e->d_name);
            if (!path.data || !is_regular_file(path.data))
                continue;
        }
        if (path.data)
            consider_file(f, path.data, on_bad, data);
    }
    xlate_buf_free(&path);
    closedir(d);
}

static int by_name(const void *a, const void *b) {
    const xlate_loaded_plugin *pa = *(xlate_loaded_plugin *const *)a;
    const xlate_loaded_plugin *pb = *(xlate_loaded_plugin *const *)b;
    return strcmp(pa->desc.name, pb->desc.name);
}

int xlate_plugin_discover(const xlate_plugin_search *s, xlate_loaded_plugin ***out, size_t *n,
                          void (*on_bad)(void *data, const char *path, const char *message),
                          void *data) {
    found_list f = {NULL, 0, s->host};
    for (size_t i = 0; i < s->n_dirs; i++)
        scan_dir(&f, s->dirs[i], on_bad, data);
    if (f.n)
        qsort(f.items, f.n, sizeof *f.items, by_name);
    *out = f.items;
    *n = f.n;
    return 0;
}

char *xlate_plugin_names(const xlate_plugin_search *s) {
    xlate_loaded_plugin **items = NULL;
    size_t n = 0;
    if (xlate_plugin_discover(s, &items, &n, NULL, NULL) != 0)
        return NULL; /* out of memory: callers say "none" rather than a wrong list */
    xlate_buf b = XLATE_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        xlate_buf_printf(&b, "%s%s", i ? ", " : "", items[i]->desc.name);
        xlate_plugin_unload(items[i]);
    }
    free(items);
    return xlate_buf_steal(&b, NULL);
}
