/*
 * pipeline: the data path for one document, start to end — decode → normalize → segment →
 * plugin chain — giving an xlate_doc that a writer turns into output. A chain (the loaded plugins)
 * is loaded once and shared; a pipeline (segmenter + plugin instances) belongs to one worker.
 * The chain takes a document a batch of segments at a time, each batch through every plugin, so
 * that a caller can write each batch as it leaves the chain and stop between two batches. Once a
 * batch is through (its lost codes put back), each plugin with a batch_done sees it read-only,
 * before it is handed on; once a whole document is, each plugin with a document_done is told —
 * not for a document stopped part way or one a plugin failed.
 */
#ifndef XLATE_CORE_PIPELINE_H
#define XLATE_CORE_PIPELINE_H

#include <signal.h>
#include <stddef.h>
#include "decode.h"
#include "normalize.h"
#include "document.h"
#include "document_path.h"
#include "host_services.h"
#include "isolate.h"
#include "segment.h"
#include "error.h"

typedef struct xlate_pipeline_config {
    xlate_decode_options decode;
    xlate_normalize_options normalize;
    const char *source_lang;    /* "uk" */
    const char *target_lang;    /* "en", or "" */
    const char *srx_path;       /* NULL: built-in segmentation rules */
    size_t batch_size;          /* segments per process call; 0 = default (64) */
    /* Called with a one-line message when a plugin fails more than one segment at once (its
     * instance could not start, or it gave up on a batch); NULL stays silent. The segments carry
     * the message either way; this only lets a program tell its user as it happens. Called from
     * the thread that runs the pipeline. */
    void (*on_message)(void *data, const char *message);
    void *message_data;
    /* Read before each batch enters the chain; once nonzero (a signal handler sets it), the
     * document stops there: the segments already through the chain are kept, the others are
     * dropped unprocessed, and the run returns 1. NULL: never stops. */
    const volatile sig_atomic_t *stop;
    /* Where the plugin instances' log lines go (zeroed: nowhere). Every worker's instances share
     * it, so in a batch fn is called from several threads. */
    xlate_log_sink log;
    /* Run every plugin's instance in a child process (isolate.h), unless its --plugin argument
     * says isolate=no; a plugin that says isolate=yes is isolated whatever this says. */
    int isolate;
    /* How isolated instances are started and how long the host waits for them (program NULL:
     * this program cannot isolate; a plugin that asks to be is then a usage error). */
    xlate_isolate_settings isolation;
    /* The document path (xlate_pipeline_run_document) leaves the paragraphs' text as the
     * documents have it, without `normalize` (line ends included): for an export whose sources
     * must be the document's own text. */
    int documents_as_is;
    /* The user asked for a dry run (xlate_host.dry_run): plugins that would send text over the
     * network count it and send nothing. */
    int dry_run;
    /* Where the instances' count_usage calls add up, those of every worker and of isolated
     * instances alike (the caller's; it must outlive the pipelines), or NULL: counted nowhere. */
    xlate_usage *usage;
    /* source_lang was identified from the document (--from auto) rather than named: each
     * document records it (xlate_doc.lang), and each segment that reads as another language gets
     * its own (xlate_seg.lang) before it enters the chain. */
    int identified_lang;
    /* A segmenter made for source_lang and srx_path (xlate_pipeline_segmenter_new) that every
     * pipeline made with this config copies (xlate_segmenter_clone) instead of compiling the
     * rules again; the caller's, and it must outlive the pipelines. NULL: each makes its own. */
    const xlate_segmenter *segmenter;
} xlate_pipeline_config;

/* The plugins of a run, loaded and with options validated, in chain order. Read-only once made;
 * shared by all workers. */
typedef struct xlate_chain xlate_chain;

/* `specs` are --plugin arguments ("glossary", "glossary:file=x.tsv", "./my.so:k=v"). The key
 * `isolate` (yes/no, as a bool option) is the host's, not the plugin's: it is taken out of the
 * options before they are checked against the plugin's own, and says whether the plugin runs in a
 * child process (xlate_chain_isolation).
 * Returns 0; XLATE_ENOTFOUND with err (usage error) for a plugin that does not exist; or -1
 * with err (usage error for a bad option or for languages no translator of the chain declares,
 * run error for a file that is not a plugin). The chain keeps the user's order; pipelines run
 * its check plugins after all the others. */
XLATE_MUST_CHECK int xlate_chain_load(const xlate_plugin_search *search, const char *const *specs, size_t n_specs,
                                      const char *source_lang, const char *target_lang,
                                      xlate_chain **out, xlate_error *err);
size_t xlate_chain_length(const xlate_chain *c);
/* Says through `log` (as each plugin's warning) which glossaries and checks from chain index
 * `first` on declare no pair that serves source_lang → target_lang: they run, but may not serve
 * these languages. Translators are refused by xlate_chain_load instead. */
/* The check xlate_chain_load makes of the chain's translators for source_lang → target_lang,
 * for a run that learns its source language only from the document (--from auto). Returns 0, or
 * -1 with err (XLATE_EINVAL) naming the pairs the translators serve. */
XLATE_MUST_CHECK int xlate_chain_check_pairs(const xlate_chain *c, const char *source_lang,
                                             const char *target_lang, xlate_error *err);
void xlate_chain_warn_pairs(const xlate_chain *c, size_t first, const char *source_lang,
                            const char *target_lang, const xlate_log_sink *log);
/* The descriptor of plugin i of the chain (i < xlate_chain_length). */
const xlate_plugin *xlate_chain_descriptor(const xlate_chain *c, size_t i);
/* Plugin i of the chain (0-based) and the option text it was given ("k=v,...", "" for none). */
const xlate_loaded_plugin *xlate_chain_plugin(const xlate_chain *c, size_t i);
const char *xlate_chain_options(const xlate_chain *c, size_t i);
/* What plugin i's `isolate=` said: 1 yes, 0 no, -1 nothing (the run's --isolate decides). */
int xlate_chain_isolation(const xlate_chain *c, size_t i);
/* Calls the load() (ABI 1.5) of each plugin of the chain that has one and runs in this process
 * under `cfg` (an isolated plugin loads in its child), so that the instances of every pipeline
 * made from the chain with `cfg` share what it made. Call it on one thread before the first
 * pipeline; free the pipelines before the chain (unload comes with xlate_chain_free). Without
 * it each instance loads for itself. Returns 0, or -1 with err as xlate_pipeline_new. */
XLATE_MUST_CHECK int xlate_chain_share(xlate_chain *c, const xlate_pipeline_config *cfg,
                                       xlate_error *err);
void xlate_chain_free(xlate_chain *c);

/* The segmenter a pipeline made with `cfg` uses (for its source_lang and srx_path): made once
 * for the config's `segmenter`, which the pipelines of a batch then copy. Returns 0, or -1 with
 * err set (a rule file that cannot be read or compiled). */
XLATE_MUST_CHECK int xlate_pipeline_segmenter_new(const xlate_pipeline_config *cfg,
                                                  xlate_segmenter **out, xlate_error *err);

/* A worker's pipeline: its segmenter and one instance of each plugin of the chain. */
typedef struct xlate_pipeline xlate_pipeline;

XLATE_MUST_CHECK int xlate_pipeline_new(const xlate_pipeline_config *cfg, const xlate_chain *chain,
                                        xlate_pipeline **out, xlate_error *err);

/* Runs the whole data path over one document's bytes. `name` is the file name for messages and
 * the output. Returns 0 with *doc filled (free with xlate_doc_free) — segments that a plugin
 * failed are marked in it; 1 when the config's stop flag stopped it part way, with *doc holding
 * only the segments that went through the whole chain; or -1 with err set when the document as a
 * whole could not be read (undecodable bytes, …), and then *doc is untouched. */
XLATE_MUST_CHECK int xlate_pipeline_run(xlate_pipeline *p, const char *name, const char *bytes, size_t len,
                                        xlate_doc *doc, xlate_error *err);

/* Where a streaming run hands on its segments: called with segments [from, from + n) of `doc`
 * once every plugin of the chain has processed them, in document order, before the next batch
 * enters the chain. `doc` is the pipeline's until the run returns: read it, do not keep it.
 * Returns 0 to go on, or nonzero to stop the document there (its output cannot be written). */
typedef int (*xlate_pipeline_emit)(void *data, const xlate_doc *doc, size_t from, size_t n);

/* xlate_pipeline_run, handing each batch to `emit` (with `data`) as it leaves the chain. Returns
 * 1 also when `emit` stopped it; *doc then holds the segments emitted; -1 with err also when a
 * plugin's document_done failed after the whole document was emitted. A segment's texts (source,
 * target, terms, message) exist while its batch is in flight and are freed once `emit` returns:
 * *doc keeps their ids, offsets and status. Takes `bytes` (malloc'd,
 * freed in every case): decode keeps the buffer as the text when it is UTF-8 already, so that a
 * large document is not held twice. */
XLATE_MUST_CHECK int xlate_pipeline_stream(xlate_pipeline *p, const char *name, char *bytes, size_t len,
                                           xlate_pipeline_emit emit, void *data, xlate_doc *doc, xlate_error *err);

/* The data path for a document its format module read (document_path.h): its paragraphs
 * normalized between their codes, cut into segments (its presegs where it has them), then through
 * the chain. `retranslate`: final targets the document holds are translated again. Returns 0 with
 * *doc and *cut filled (free with xlate_doc_free and xlate_doc_cut_free); 1 when the config's stop
 * flag stopped it, *doc holding the segments that went through; -1 with err set. */
XLATE_MUST_CHECK int xlate_pipeline_run_document(xlate_pipeline *p, const xlate_fdoc *fdoc, int retranslate,
                                                 xlate_doc *doc, xlate_doc_cut *cut, xlate_error *err);

/* The output id (xlate_host.segment_output_id) of the next document's first segment, for a
 * caller whose writer numbers segments on across documents; the document after that starts at 1
 * again unless this is called again. The default is 1. */
void xlate_pipeline_set_first_id(xlate_pipeline *p, size_t id);

void xlate_pipeline_free(xlate_pipeline *p);

/* Counts of a finished document: segments, and those failed / with a warning / filtered. */
typedef struct xlate_doc_stats {
    size_t segments, failed, warnings, filtered;
} xlate_doc_stats;
void xlate_doc_get_stats(const xlate_doc *doc, xlate_doc_stats *st);

#endif
