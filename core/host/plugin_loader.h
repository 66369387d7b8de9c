/*
 * plugin_loader: finds plugins by name, loads them with dlopen and checks their descriptor against
 * the ABI. The first half of the plugin host; host_services (instances and the table plugins
 * call) builds on it, and the pipeline drives both.
 */
#ifndef XLATE_CORE_PLUGIN_LOADER_H
#define XLATE_CORE_PLUGIN_LOADER_H

#include <stddef.h>
#include "xlate/plugin.h"
#include "error.h"

/* Where plugins are looked for, in order: the given dirs, this build tree's plugins/ when asked
 * for, the installed plugindir. Nothing here comes from the process's environment or location:
 * the program that makes the search decides (the xlate command puts --plugin-path and
 * XLATE_PLUGIN_PATH in `dirs` and asks for the build tree when it runs from there). */
typedef struct xlate_plugin_search {
    char **dirs;
    size_t n_dirs;
    /* How the user of the program adds a folder, for "unknown plugin" messages ("add a folder
     * with --plugin-path ..."); a constant the program sets after init, NULL for a neutral text. */
    const char *hint;
    /* The table every plugin's entry function is given (host_services.h: xlate_host_services()).
     * Passed in, so that loading a plugin needs nothing from the half that runs it. */
    const xlate_host *host;
} xlate_plugin_search;

/* Builds the search path from `dirs` (copied; empty strings skipped), then XLATE_BUILD_PLUGINDIR
 * when `build_tree` is nonzero, then XLATE_PLUGINDIR; plugins found through it are given `host`.
 * Returns 0, or -1 on ENOMEM. */
XLATE_MUST_CHECK int xlate_plugin_search_init(xlate_plugin_search *s, const char *const *dirs, size_t n_dirs,
                                              int build_tree, const xlate_host *host);
void xlate_plugin_search_free(xlate_plugin_search *s);

/* The rule for a plugin's name and its options' names: one or more of a-z, 0-9, '_' and '-'.
 * The name is what `--plugin NAME` and `plugin new` take, so the same rule serves both. */
XLATE_MUST_CHECK int xlate_plugin_name_is_valid(const char *name);

/* Opens `path` as the host does: dlopen (symbols bound now, kept local), the entry symbol, and the
 * entry called with the host table. Returns 0 with the object in *handle (close it with
 * xlate_plugin_close) and the descriptor as the plugin gave it in *raw (check it with
 * xlate_plugin_descriptor_check before reading more than its first two fields); or -1 with a run
 * error that names the file, the reason and what to do. */
XLATE_MUST_CHECK int xlate_plugin_open(const char *path, const xlate_host *host, void **handle,
                                       const xlate_plugin **raw, xlate_error *err);
void xlate_plugin_close(void *handle);

/* The one verdict on a descriptor, for the loader and `xlate plugin check` alike. Reads `raw` as
 * ABI 1 allows, no more than its struct_size, into *out (fields beyond are zero), and calls
 * on_refusal(data, message) for each reason the host refuses it (the message says which field and
 * what to do, without the file name). Another ABI major or a descriptor too short is the only
 * refusal reported, as nothing else can be read then, and leaves *out all zero. Returns 0 when the
 * host accepts the descriptor, -1 when not. */
XLATE_MUST_CHECK int xlate_plugin_descriptor_check(const xlate_plugin *raw, xlate_plugin *out,
                                                   void (*on_refusal)(void *data, const char *message), void *data);

/* A loaded plugin: the shared object and its checked descriptor. Shared by every worker and
 * read-only after loading, but for the lines its instances said while starting (below). */
typedef struct xlate_loaded_plugin xlate_loaded_plugin;

/* Loads `name_or_path`: a path when it contains '/', else NAME.so found in the search path, else
 * the plugin of the search path whose descriptor is named NAME (the name `xlate plugins` lists).
 * Returns 0 (XLATE_OK); XLATE_ENOTFOUND when there is no such file or no plugin of that name (a
 * usage error, listing the plugins that exist); or -1 (XLATE_ERROR) with a run error naming the
 * file and the reason for a file that is no plugin, a missing entry symbol or a descriptor
 * xlate_plugin_descriptor_check refuses (every reason it gives, joined by "; "). */
XLATE_MUST_CHECK int xlate_plugin_load(const xlate_plugin_search *s, const char *name_or_path,
                                       xlate_loaded_plugin **out, xlate_error *err);

/* The file xlate_plugin_load would open for `name_or_path`, without opening it: the path itself
 * when it contains '/', else NAME.so from the search path. Allocated (free()), or NULL when there
 * is no such file. */
char *xlate_plugin_find(const xlate_plugin_search *s, const char *name_or_path);

/* The descriptor as read (fields beyond the plugin's struct_size are zero), and the file. */
const xlate_plugin *xlate_loaded_plugin_descriptor(const xlate_loaded_plugin *p);
const char *xlate_loaded_plugin_path(const xlate_loaded_plugin *p);

/* Calls emit(data, source, target) for every pair the plugin serves (enumerate_pairs when the
 * plugin has it, else the static list). */
void xlate_loaded_plugin_pairs(const xlate_loaded_plugin *p,
                               void (*emit)(void *data, const char *source, const char *target),
                               void *data);

void xlate_plugin_unload(xlate_loaded_plugin *p);

/* 1 the first time `line` is given for this loaded plugin, 0 every time after. What an instance
 * warns about while it starts is about the run's configuration (a term map for other languages),
 * so the host says it once, not once per worker or per restart. Safe from any thread. */
XLATE_MUST_CHECK int xlate_loaded_plugin_first_saying(const xlate_loaded_plugin *p, const char *line);

/* Every plugin that loads from the search path, one per name (the first found wins), sorted by
 * name. Files that fail to load are reported through `on_bad(data, path, message)` when it is
 * not NULL. *out is an allocated array (free each with xlate_plugin_unload, then free()). */
XLATE_MUST_CHECK int xlate_plugin_discover(const xlate_plugin_search *s, xlate_loaded_plugin ***out, size_t *n,
                                           void (*on_bad)(void *data, const char *path, const char *message),
                                           void *data);

/* The names of the plugins the search path offers, comma-separated, for "unknown plugin"
 * messages. Allocated (free()). */
char *xlate_plugin_names(const xlate_plugin_search *s);

#endif
