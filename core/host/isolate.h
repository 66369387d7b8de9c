/*
 * isolate: runs an instance of a plugin in a child process, so that a plugin that crashes, aborts
 * or hangs costs the batch in flight and not the run. The child is the xlate program itself
 * started as `xlate plugin-child` (a fresh process, not a fork of a threaded one); it loads the
 * plugin, creates the instance with the same options and runs each batch against the real host
 * services, speaking to the host over a socket pair (isolate_wire.c holds the batch's bytes).
 * The pipeline uses an isolated instance where it would use an xlate_instance.
 */
#ifndef XLATE_CORE_ISOLATE_H
#define XLATE_CORE_ISOLATE_H

#include <signal.h>
#include "document.h"
#include "error.h"
#include "host_services.h"

/* The default of --plugin-timeout: far above any batch a working plugin takes (an engine that
 * loads its model in create, a slow web service), short enough that a hung plugin is seen. */
#define XLATE_PLUGIN_TIMEOUT_DEFAULT 120.0

typedef struct xlate_isolate_settings {
    /* The xlate program to start as `PROGRAM plugin-child` (an absolute path). */
    const char *program;
    /* Seconds to wait for the child to answer a request (create, a batch); 0 waits for ever. */
    double timeout;
    /* The run's stop flag (xlate_pipeline_config.stop), or NULL: once set, a wait for the child
     * ends at once, the child is killed and the batch is given back untouched. */
    const volatile sig_atomic_t *stop;
} xlate_isolate_settings;

typedef struct xlate_isolated xlate_isolated;

/* Starts the child and creates the instance in it, as xlate_instance_new_in does in the host's
 * process (same options, languages, log lines, dry run and usage counts, which the child passes
 * on as they come; errors with the same statuses). A child that crashes or hangs while starting
 * is a run error naming the signal. env NULL: no log, no dry run, usage counted nowhere. */
XLATE_MUST_CHECK int xlate_isolated_new(const xlate_loaded_plugin *p, const char *options_text,
                                        const char *source_lang, const char *target_lang,
                                        const xlate_run_env *env, const xlate_isolate_settings *set,
                                        xlate_isolated **out, xlate_error *err);

/* Runs segments [first, first + count) of `doc` through the plugin in its child. Returns 0 as
 * xlate_instance_process does; -1 as it does when the plugin's process() failed (or a new child
 * could not start); or 1 when the child crashed, aborted, exited or did not answer in time. Then
 * the batch goes again one segment at a time, each in a new child where the last one was lost,
 * so that only the segments the plugin cannot get through fail: each is marked failed with
 * "PLUGIN: crashed with SIGSEGV" (or the like), and err names them and the document. Returns 2
 * when the settings' stop flag was set while it waited: the child is killed and the segments are
 * as they were before the call, for the caller to drop. */
XLATE_MUST_CHECK int xlate_isolated_process(xlate_isolated *iso, xlate_doc *doc, size_t first,
                                            size_t count, xlate_error *err);

/* The plugin's batch_done in its child, on segments [first, first + count) of `doc` as the chain
 * left them (sent over, never changed by what comes back). Returns 0; -1 with err when batch_done
 * failed or the child was lost in it (err names the signal); 2 when the run's stop flag was set
 * while it waited (the child is killed). The caller checks that the descriptor has batch_done. */
XLATE_MUST_CHECK int xlate_isolated_batch_done(xlate_isolated *iso, const xlate_doc *doc,
                                               size_t first, size_t count, xlate_error *err);

/* The plugin's document_done in its child, for the document `doc_name`. Returns as
 * xlate_isolated_batch_done. */
XLATE_MUST_CHECK int xlate_isolated_document_done(xlate_isolated *iso, const char *doc_name,
                                                  xlate_error *err);

/* Ends the child: it destroys the instance and exits; one that does not within the timeout is
 * killed. The child is always waited for. NULL is allowed. */
void xlate_isolated_free(xlate_isolated *iso);

/* The child's side, for `xlate plugin-child`: serves the host on socket `fd` until it closes.
 * Returns the exit status for the child. */
XLATE_MUST_CHECK int xlate_isolate_child_main(int fd);

/* "SIGSEGV" for SIGSEGV, "signal 77" for a number without a name: `buf` holds the text. */
const char *xlate_signal_name(int sig, char *buf, size_t size);

#endif
