/*
 * host_services: the second half of the plugin host. The xlate_host table plugins call, and the
 * instances of loaded plugins (plugin_loader.h) run over a document's segments through it. Sits
 * between segment and the writers; the pipeline drives it.
 */
#ifndef XLATE_CORE_HOST_SERVICES_H
#define XLATE_CORE_HOST_SERVICES_H

#include <stddef.h>
#include "xlate/plugin.h"
#include "document.h"
#include "error.h"
#include "plugin_loader.h"
#include "usage.h"

/* Where the log lines of plugin instances (xlate_host.log) go: `fn` receives each line of
 * `level` or a more important one (a lower value), with the plugin's name; the line holds no
 * newline, and both strings are valid only during the call. fn NULL: lines go nowhere. The
 * instances of several workers may call fn at the same time; `data` is the caller's and must
 * outlive every instance made with the sink. */
typedef struct xlate_log_sink {
    void (*fn)(void *data, const char *plugin, xlate_log_level level, const char *message);
    void *data;
    xlate_log_level level;
} xlate_log_sink;

/* What a run gives every instance it makes besides its options: where its log lines go, whether
 * the user asked for a dry run (xlate_host.dry_run), and where its usage counts go
 * (xlate_host.count_usage). Copied into the instance; the sinks' data must outlive it. */
typedef struct xlate_run_env {
    xlate_log_sink log;
    int dry_run;
    xlate_usage_sink usage;
} xlate_run_env;

/* One instance of a plugin with its validated options, owned by one worker. */
typedef struct xlate_instance xlate_instance;

/* What a plugin's load() made (ABI 1.5) for one --plugin argument, with the options and context
 * it was given: shared by every instance made with it, on any worker. */
typedef struct xlate_instance xlate_shared;

/* Calls the plugin's load() with `options_text` validated. *out is NULL when the plugin has no
 * load (nothing to share). Returns 0, or -1 with err as xlate_instance_new. Call it on one thread
 * before any instance is made with it. */
XLATE_MUST_CHECK int xlate_shared_new(const xlate_loaded_plugin *p, const char *options_text,
                                      const char *source_lang, const char *target_lang,
                                      const xlate_run_env *env, xlate_shared **out,
                                      xlate_error *err);

/* Calls unload(); only once every instance made with `s` is freed. Safe on NULL. */
void xlate_shared_free(xlate_shared *s);

/* Validates `options_text` ("k=v,...") and creates the instance, whose log lines go to `log`
 * (copied; NULL: nowhere). Option errors are usage errors; a failing create is a run error with
 * the plugin's message. */
XLATE_MUST_CHECK int xlate_instance_new(const xlate_loaded_plugin *p, const char *options_text,
                                        const char *source_lang, const char *target_lang,
                                        const xlate_log_sink *log, xlate_instance **out, xlate_error *err);

/* xlate_instance_new with the whole of the run's environment (env NULL: no log, no dry run, usage
 * counted nowhere). A plugin with load() gets a load of its own, unloaded with the instance. */
XLATE_MUST_CHECK int xlate_instance_new_in(const xlate_loaded_plugin *p, const char *options_text,
                                           const char *source_lang, const char *target_lang,
                                           const xlate_run_env *env, xlate_instance **out,
                                           xlate_error *err);

/* xlate_instance_new_in with what `shared` loaded (made by xlate_shared_new for the same plugin,
 * options and languages, and freed after this instance), or, NULL, a load of its own. */
XLATE_MUST_CHECK int xlate_instance_new_shared(const xlate_loaded_plugin *p,
                                               const char *options_text, const char *source_lang,
                                               const char *target_lang, const xlate_run_env *env,
                                               const xlate_shared *shared, xlate_instance **out,
                                               xlate_error *err);

/* Runs the instance over segments [first, first+count) of `doc`. A plugin's XLATE_ERROR marks the
 * batch's active segments failed with its message and returns -1 with err set; per-segment
 * failures are recorded on the segments and return 0. */
XLATE_MUST_CHECK int xlate_instance_process(xlate_instance *inst, xlate_doc *doc, size_t first, size_t count,
                                            xlate_error *err);

/* Shows the plugin segments [first, first+count) of `doc` once the whole chain has processed
 * them, through its batch_done, on a read-only view (every call that would change a segment
 * returns XLATE_EINVAL). Returns 0 (also when the plugin has no batch_done), or -1 with err naming
 * the document, the plugin and its reason when batch_done failed; the segments are left as they
 * are, for the caller to fail. */
XLATE_MUST_CHECK int xlate_instance_batch_done(xlate_instance *inst, xlate_doc *doc, size_t first,
                                               size_t count, xlate_error *err);

/* Tells the plugin that the document `doc_name` went through the whole chain (its
 * document_done). Returns 0 (also when it has none), or -1 with err as xlate_instance_batch_done. */
XLATE_MUST_CHECK int xlate_instance_document_done(xlate_instance *inst, const char *doc_name,
                                                  xlate_error *err);

void xlate_instance_free(xlate_instance *inst);

/* The host services table handed to plugins (a constant): what xlate_plugin_search.host is
 * given. */
const xlate_host *xlate_host_services(void);

#endif
