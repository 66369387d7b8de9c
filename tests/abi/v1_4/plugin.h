/*
 * xlate plugin ABI, version 1.4 (major 1, minor 4).
 *
 * This header is the whole contract between the xlate host and a plugin. A plugin is a shared
 * object that exports one symbol, `xlate_plugin_entry`, returning a constant descriptor
 * (`xlate_plugin`). The host owns the lifecycle: it calls `create` once per worker thread,
 * `process` for each batch of segments, and `destroy` when the worker ends.
 *
 * The model follows LV2/LADSPA: one descriptor struct that begins with its ABI version and its
 * size, found through one entry symbol; and libgit2/SQLite for the rest: opaque handles, int status
 * codes, messages through an error function, and the owner of every pointer stated.
 *
 * STABILITY RULES
 *   - XLATE_ABI_MAJOR changes when a struct field is removed, reordered or changes meaning, or when
 *     a function's signature changes. The host refuses a plugin of another major with a message.
 *   - XLATE_ABI_MINOR changes when fields are appended to `xlate_plugin` or `xlate_host`. Fields
 *     are only ever appended. The host reads `struct_size` and treats every field beyond it as
 *     absent (NULL/0), so a plugin built against an older minor keeps loading; a plugin checks
 *     `host->struct_size` before it calls a host function added after the minor it needs.
 *   - Enumeration values are never renumbered; new values may be added in a minor.
 *   - A plugin may be loaded by a host of any minor of its major, older or newer than the header
 *     it was built with; XLATE_HOST_HAS tells which host functions it may call.
 *
 * HISTORY
 *   1.0  first release.
 *   1.1  xlate_host gains segment_index and segment_paragraph (where a segment sits in its
 *        document); xlate_plugin_entry is declared here.
 *   1.2  XLATE_KIND_CHECK (runs after every translator); xlate_host gains segment_warn (a
 *        segment keeps every message it is given, in order, with the plugin that gave it),
 *        last_error (why the instance's last host call failed), segment_output_id and
 *        document_name (the id and document a user sees, for log lines).
 *   1.3  xlate_host gains segment_code_count: documents (HTML, XLIFF, PO, Markdown) bring inline
 *        codes, which segment_masked_source and segment_set_unmasked_target carry as
 *        placeholders after the terms' (a 1.2 plugin that masks only for terms loses no code:
 *        the host puts an unplaced code at the end of the target, with a warning);
 *        segment_add_match and segment_match_score: translation memories record their matches
 *        and translators leave the segments a memory filled alone; xlate_plugin gains batch_done
 *        and document_done (what the whole chain made of a batch, and the end of a document).
 *   1.4  xlate_host gains segment_status (a segment's status so far, XLATE_SEGMENT_*), dry_run
 *        (the user asked for --dry-run: network translators send nothing) and count_usage (the
 *        requests and characters sent to each service, summed by the host and shown at the end
 *        of the run).
 *
 * THREADING
 *   An instance belongs to one thread at a time: the host never calls `process` on one instance
 *   from two threads at once, so an instance needs no locks. The host makes one instance per
 *   worker. The descriptor and every `xlate_host` function may be used from any thread. Data that a
 *   plugin shares between its instances on purpose (a loaded term map, say) must be read-only or
 *   protected by the plugin itself.
 *
 * MEMORY
 *   Plugins never free what the host allocated, and the host never frees what a plugin allocated.
 *   Text passed to the host (targets, terms, messages) is copied by the host during the call. Text
 *   the host returns (sources, targets, option values) stays valid until the stated event, usually
 *   the end of the current `process` call or the instance's `destroy`.
 *
 * TEXT
 *   All text is UTF-8. Lengths are in bytes. Strings the host returns are also NUL-terminated.
 *   Offsets (`start`, `end`) are byte offsets into the segment's source text.
 */
#ifndef XLATE_PLUGIN_H
#define XLATE_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI this header describes. A plugin puts XLATE_ABI_VERSION in its descriptor. */
#define XLATE_ABI_MAJOR 1
#define XLATE_ABI_MINOR 4
#define XLATE_ABI_VERSION ((uint32_t)((XLATE_ABI_MAJOR << 16) | XLATE_ABI_MINOR))

/* Major and minor of an abi_version value. */
#define XLATE_ABI_VERSION_MAJOR(v) ((uint32_t)(v) >> 16)
#define XLATE_ABI_VERSION_MINOR(v) ((uint32_t)(v) & 0xFFFFu)

/* The name of the one symbol a plugin exports. */
#define XLATE_PLUGIN_ENTRY_SYMBOL "xlate_plugin_entry"

/* Status codes returned by every function of the ABI that can fail. */
enum xlate_status {
    XLATE_OK = 0,          /* success */
    XLATE_ERROR = -1,      /* failure; the message was reported through xlate_host.set_error */
    XLATE_ENOMEM = -2,     /* out of memory */
    XLATE_EINVAL = -3,     /* an argument is out of range (bad segment index, bad option) */
    XLATE_ENOTFOUND = -4   /* a named thing (option, file, pair) does not exist */
};

/* What a plugin does with the segments it is given. The chain runs plugins in the order the user
 * gave them, except that checks run after all the others; the kind is what `xlate plugins` shows
 * and what the host checks before a run (translators' language pairs, for one). */
typedef enum xlate_plugin_kind {
    XLATE_KIND_FILTER = 1,     /* drops or marks segments before translation (boilerplate, ads) */
    XLATE_KIND_GLOSSARY = 2,   /* finds terms in the source and records their target terms */
    XLATE_KIND_TRANSLATOR = 3, /* writes the target text of each segment */
    XLATE_KIND_CHECK = 4       /* ABI 1.2: reads source and target after every translator has run,
                                * whatever order the user wrote, and warns (segment_warn) */
} xlate_plugin_kind;

/* The type of an option's value. The host validates values against it before `create`, so a
 * plugin never sees an INT option that does not parse as an integer. */
typedef enum xlate_option_type {
    XLATE_OPTION_STRING = 1,  /* any text */
    XLATE_OPTION_INT = 2,     /* decimal, fits in long long */
    XLATE_OPTION_BOOL = 3,    /* true/false, yes/no, on/off, 1/0 */
    XLATE_OPTION_PATH = 4,    /* a file or directory; relative paths are kept as the user gave them */
    XLATE_OPTION_DOUBLE = 5
} xlate_option_type;

/* One option a plugin accepts, as `--plugin NAME:KEY=VALUE,...`. The descriptor lists them so that
 * `xlate plugins` and `xlate plugin info` can show them without creating an instance. */
typedef struct xlate_option_spec {
    const char *name;          /* lower-case key, e.g. "file" */
    xlate_option_type type;    /* what the value must parse as; the host checks it */
    const char *default_value; /* text form of the default, or NULL for "no value" */
    const char *help;          /* one line for --help */
} xlate_option_spec;

/* A language pair a plugin serves, as BCP 47 tags ("uk", "en", "sr-Latn"), private use included
 * ("x-upper", "en-x-foo"); "*" means any. A declared tag serves a run's tag that equals it or
 * starts with it followed by '-' ("en" serves "en-GB"), ignoring case. The host refuses a run
 * whose languages no translator of the chain declares (a translator that declares no pair is not
 * judged), and warns about glossaries and checks that do not declare them. */
typedef struct xlate_lang_pair {
    const char *source;  /* language of the text the plugin reads, e.g. "uk" */
    const char *target;  /* language it writes or serves, e.g. "en" */
} xlate_lang_pair;

/* Opaque handles. All are owned by the host; a plugin only passes them back to host functions. */
typedef struct xlate_plugin_ctx xlate_plugin_ctx; /* per-instance host context: errors, log, langs */
typedef struct xlate_options xlate_options;       /* the validated options of one instance */
typedef struct xlate_batch xlate_batch;           /* the segments of one `process` call */

/* A term span: a stretch of a segment's source that a glossary matched. */
typedef struct xlate_term {
    size_t start;        /* byte offset of the span in the segment's source */
    size_t end;          /* byte offset one past the span */
    const char *target;  /* the target term, UTF-8, NUL-terminated */
    const char *note;    /* optional note from the term map, or NULL */
    uint32_t flags;      /* XLATE_TERM_* bits */
} xlate_term;

/* The term is to be kept as it stands in the source (a brand, a name): target equals source. */
#define XLATE_TERM_KEEP 0x1u

/* A segment's status (xlate_host.segment_status, ABI 1.4): the worst of its messages so far, in
 * this order. Values are never renumbered. */
typedef enum xlate_segment_status {
    XLATE_SEGMENT_OK = 0,       /* no message, or only informative ones: fine so far */
    XLATE_SEGMENT_WARNING = 1,  /* a plugin warned (segment_warn, a lost term): target kept */
    XLATE_SEGMENT_FAILED = 2,   /* a plugin failed it (segment_fail): no usable target */
    XLATE_SEGMENT_FILTERED = 3  /* a filter dropped it (segment_drop): not to be translated */
} xlate_segment_status;

/* Log levels for xlate_host.log. */
typedef enum xlate_log_level {
    XLATE_LOG_ERROR = 0,
    XLATE_LOG_WARNING = 1,
    XLATE_LOG_INFO = 2,
    XLATE_LOG_DEBUG = 3
} xlate_log_level;

/* The host's services, passed to the entry function and valid for the life of the process.
 * Every function pointer is non-NULL for the fields within `struct_size`. */
typedef struct xlate_host {
    uint32_t abi_version; /* the host's XLATE_ABI_VERSION */
    uint32_t struct_size; /* sizeof(xlate_host) in the host */

    /* --- errors and logging -------------------------------------------------------------- */

    /* Records the message that explains the XLATE_ERROR a plugin function is about to return.
     * printf-style; the host copies the text. The last message set before the failing return is
     * the one the user sees, prefixed with the plugin's name. */
    void (*set_error)(xlate_plugin_ctx *ctx, const char *fmt, ...)
#if defined(__GNUC__)
        __attribute__((format(printf, 2, 3)))
#endif
        ;

    /* Writes a diagnostic line (no trailing newline needed) at the given level. The host decides
     * where it goes and which levels are kept: the xlate command shows warnings and errors on
     * stderr (XLATE_LOG for more); a program embedding libxlate, its session's log function. A
     * warning or error logged inside `create` is about the run's configuration: the host passes
     * each such line on once per run, not once per worker that creates an instance. */
    void (*log)(xlate_plugin_ctx *ctx, xlate_log_level level, const char *fmt, ...)
#if defined(__GNUC__)
        __attribute__((format(printf, 3, 4)))
#endif
        ;

    /* --- memory --------------------------------------------------------------------------- */

    /* The host's allocator. Memory from it is freed with `free`; a plugin may use it or its own
     * allocator for its own data, but never passes its own memory to the host to free. */
    void *(*alloc)(size_t size);
    void (*free)(void *ptr);

    /* --- run context ---------------------------------------------------------------------- */

    /* The source and target languages of the run ("uk", "en"), NUL-terminated, valid for the life
     * of the instance. The target may be "" when the user gave none. */
    const char *(*source_lang)(const xlate_plugin_ctx *ctx);
    const char *(*target_lang)(const xlate_plugin_ctx *ctx);

    /* --- options -------------------------------------------------------------------------- */

    /* The value of option `name`: the user's value, else the spec's default, else NULL. The
     * string is valid until the instance is destroyed. Asking for a name not in the descriptor's
     * option list returns NULL. */
    const char *(*option)(const xlate_options *options, const char *name);

    /* The value of an INT / BOOL / DOUBLE option, parsed. Returns XLATE_OK, or XLATE_ENOTFOUND
     * when the option has no value (then *out is untouched). */
    int (*option_int)(const xlate_options *options, const char *name, long long *out);
    int (*option_bool)(const xlate_options *options, const char *name, int *out);
    int (*option_double)(const xlate_options *options, const char *name, double *out);

    /* --- the batch ------------------------------------------------------------------------ */

    /* Number of segments in the batch. Segments are indexed 0 .. count-1. */
    size_t (*batch_count)(const xlate_batch *batch);

    /* The source text of segment i and its length. Valid until `process` returns. */
    const char *(*segment_source)(const xlate_batch *batch, size_t i, size_t *len);

    /* The current target of segment i (set by an earlier plugin in the chain), or NULL when none
     * was set. Valid until `process` returns or the target is set again. */
    const char *(*segment_target)(const xlate_batch *batch, size_t i, size_t *len);

    /* Nonzero when segment i is still to be processed: it has not failed and no filter dropped
     * it. Translators and glossaries skip segments for which this is 0. */
    int (*segment_active)(const xlate_batch *batch, size_t i);

    /* Sets the target text of segment i (copied). Returns XLATE_OK or XLATE_EINVAL/XLATE_ENOMEM. */
    int (*segment_set_target)(xlate_batch *batch, size_t i, const char *text, size_t len);

    /* Records a term span on segment i (copied). Spans must lie within the source and on UTF-8
     * character boundaries; overlapping an existing span is XLATE_EINVAL. */
    int (*segment_add_term)(xlate_batch *batch, size_t i, const xlate_term *term);

    /* Number of term spans of segment i, and span k of them, in source order. The returned
     * pointer is valid until `process` returns or a term is added to that segment, whichever
     * comes first (adding may move the spans). */
    size_t (*segment_term_count)(const xlate_batch *batch, size_t i);
    const xlate_term *(*segment_term)(const xlate_batch *batch, size_t i, size_t k);

    /* Marks segment i failed with a message (copied; invalid UTF-8 becomes U+FFFD). The segment
     * stays in the output with its source; later plugins in the chain skip it. The message is
     * added to those the segment already has (see segment_warn). Use this, not XLATE_ERROR from `process`, when
     * one segment fails and the others can go on. */
    int (*segment_fail)(xlate_batch *batch, size_t i, const char *message);

    /* Marks segment i as filtered out with a reason (copied, added to its messages): it is not
     * translated, and writers show it as filtered. For filter plugins. */
    int (*segment_drop)(xlate_batch *batch, size_t i, const char *reason);

    /* Builds the source of segment i with each term span replaced by a placeholder, for a
     * translator that must carry glossary terms through its engine untouched. `format` is a
     * printf format with exactly one `%u` (e.g. "[XT%u]"), given the span's index plus one
     * offset for the whole segment: the lowest that makes every placeholder absent from the
     * segment's source, ignoring ASCII case, so that source text which looks like a placeholder
     * ("room [XT0]") is never taken for a term. Pass the placeholders on as they are; never make
     * them from a span's index yourself. *out is allocated with `alloc` and owned by the caller,
     * who frees it with `free`. Since ABI 1.3 the segment's inline codes (segment_code_count) get
     * placeholders of the same format too, numbered on after the terms' in source order: one
     * placeholder where a code stands. A code inside a term's span goes right after the term's
     * placeholder. */
    int (*segment_masked_source)(const xlate_batch *batch, size_t i, const char *format,
                                 char **out, size_t *out_len);

    /* Sets the target of segment i from the translation of a masked source: each placeholder made
     * with `format` (as segment_masked_source numbered it, recognised whatever the case of its
     * ASCII letters, since engines change case) is replaced by its span's target term, and the
     * spans' target positions are recorded. A placeholder that is missing or appears twice is
     * reported as a warning (logged with the document and the output id) and kept on the segment
     * as the calling plugin's message with code "term_lost" or "term_duplicated" (status
     * "warning"); the text is still set. Since ABI 1.3 a code's placeholder marks where the code
     * goes in the target; a code whose placeholder is missing goes at the end of the target
     * after the chain (code "code_lost"), one that appears twice is placed at its first. */
    int (*segment_set_unmasked_target)(xlate_batch *batch, size_t i, const char *format,
                                       const char *text, size_t len);

    /* --- added in ABI 1.1 ------------------------------------------------------------------
     * A plugin that may be loaded by a 1.0 host checks XLATE_HOST_HAS(host, segment_index)
     * before calling these. */

    /* The 0-based position of segment i of the batch within its document. A batch never spans
     * two documents, and the segments of a document come in order, so a batch whose segment 0 is
     * at position 0 starts a new document: a plugin that carries state from one batch to the
     * next (a filter dropping everything after a heading) resets it there. */
    size_t (*segment_index)(const xlate_batch *batch, size_t i);

    /* The 0-based paragraph of segment i within its document. The segments of one paragraph
     * are consecutive; a blank line in the source starts a new paragraph. */
    size_t (*segment_paragraph)(const xlate_batch *batch, size_t i);

    /* --- added in ABI 1.2 ------------------------------------------------------------------
     * A plugin that may be loaded by an older host checks XLATE_HOST_HAS(host, document_name)
     * before calling these. */

    /* Marks segment i `warning` and adds a message (copied) to it. The translation is kept and
     * later plugins still process the segment. A segment keeps every message it is given (by
     * segment_warn, segment_fail, segment_drop and the host itself), in order, each with the name
     * of the plugin that gave it; its status is the worst of them (ok < warning < failed).
     * `code` is a short stable identifier of the kind of problem ("numbers", "untranslated"),
     * [a-z0-9_-]+, or NULL; the host counts warnings per plugin and code for its summaries.
     * Returns XLATE_OK, or XLATE_EINVAL (bad index, empty or non-UTF-8 message, bad code). */
    int (*segment_warn)(xlate_batch *batch, size_t i, const char *code, const char *message);

    /* Why the last host call made for this instance (through its options or a batch it was
     * processing) returned a status other than XLATE_OK, or a NULL where a pointer was due: one
     * line naming the call and the reason ("segment_set_target: segment index 7 is out of range:
     * the batch has 5 segments (0 .. 4)"), valid until the instance's next host call. NULL when
     * the last call succeeded. Every batch and option call clears it first; set_error, log,
     * alloc, free and the language calls leave it as it is, so a plugin can pass it on with
     * `host->set_error(ctx, "%s", host->last_error(ctx))`. The host also logs each reason at
     * debug level, and adds the last one to the message of a `process` that fails without
     * set_error. */
    const char *(*last_error)(const xlate_plugin_ctx *ctx);

    /* The id the writers give segment i (TSV `id`, JSONL "id", TMX tuid): counted from 1 across
     * all documents of the output, so a log line can name the segment the user will look for. */
    size_t (*segment_output_id)(const xlate_batch *batch, size_t i);

    /* The name of the batch's document as the user gave it (a path, an archive member, "-" for
     * standard input), NUL-terminated, valid until `process` returns. */
    const char *(*document_name)(const xlate_batch *batch);

    /* --- added in ABI 1.3 ------------------------------------------------------------------
     * A plugin that may be loaded by an older host checks XLATE_HOST_HAS(host, segment_code_count)
     * (or the field it calls) before calling these. */

    /* The number of inline codes in segment i: markup of the document (an HTML <b>…</b> or
     * <br>, an XLIFF <ph/>) that stands between characters of the source without being part of
     * its text. segment_masked_source gives each code a placeholder after the terms', in source
     * order, and segment_set_unmasked_target puts each code where its placeholder came back. A
     * translator therefore masks when this or segment_term_count is above zero. A code whose
     * placeholder is lost, or a target set with segment_set_target, does not lose the code: the
     * host puts it at the end of the target and marks the segment `warning` (code "code_lost"). */
    size_t (*segment_code_count)(const xlate_batch *batch, size_t i);

    /* Records a match a translation memory found for segment i: its translation `target`
     * (copied, UTF-8), how close its source was to the segment's, `score` from 0 to 100 (100: the
     * same sentence; just below 100: the same but for numbers or terms the plugin put right), and
     * that source as the memory holds it (copied), so that a person sees what differs. With `use`
     * nonzero the match also becomes the segment's target, as segment_set_target would set it,
     * and is known from then on as where the target came from (segment_match_score). A segment
     * keeps every match it is given, in order; the writers show the one used as the target's
     * origin (JSONL "origin", "score", "match_source"; TMX props; XLIFF 1.2 <alt-trans>, 2.x
     * <mtc:match>) and the others as candidates. A plugin that only offers candidates passes
     * `use` 0. Returns XLATE_OK, or XLATE_EINVAL (bad index, score outside 0..100, empty or
     * non-UTF-8 text). */
    int (*segment_add_match)(xlate_batch *batch, size_t i, const char *target, size_t target_len,
                             double score, const char *match_source, size_t match_source_len, int use);

    /* The score of the match that set segment i's target (segment_add_match with `use`), or -1
     * when the target did not come from one (there is no target, or a later plugin set it). A
     * translator leaves a segment whose score is 0 or more alone unless its user asks otherwise:
     * the memory knew the sentence, and an engine would only cost time or money. */
    double (*segment_match_score)(const xlate_batch *batch, size_t i);

    /* --- added in ABI 1.4 ------------------------------------------------------------------
     * A plugin that may be loaded by an older host checks XLATE_HOST_HAS(host, count_usage) (or
     * the field it calls) before calling these. */

    /* The status of segment i so far, an xlate_segment_status: XLATE_SEGMENT_OK, _WARNING,
     * _FAILED or _FILTERED, the worst of the messages the segment has been given (by any plugin
     * of the chain or by the host). Works in process and in batch_done. A translation memory
     * that learns in batch_done keeps only what ended the chain XLATE_SEGMENT_OK. Returns -1 for
     * an index out of range (host->last_error says why). */
    int (*segment_status)(const xlate_batch *batch, size_t i);

    /* Nonzero when the user asked for a dry run (`xlate run --dry-run`, `xlate batch --dry-run`).
     * A plugin that would send text over the network then counts what it would send with
     * count_usage, as it would count it in a real run, and sends nothing; the segments it would
     * have translated stay untranslated (active, no target). Other plugins work as usual (a
     * glossary finds its terms, a translation memory its matches), so that what the dry run
     * counts is what the real run would send. Constant for the life of the instance. */
    int (*dry_run)(const xlate_plugin_ctx *ctx);

    /* Adds `requests` requests and `characters` characters to what the run sent (in a dry run:
     * would send) to `service`, a short stable name of [a-z0-9_-]+ ("deepl", "google"): the
     * same name for the same service whatever plugin sends to it. `characters` counts the
     * Unicode code points of the text sent for translation (what the services bill), not the
     * bytes of the requests. The host sums over every instance and worker of the run, isolated
     * ones included, and shows the totals per service at the end of the run (and in a batch's
     * report). A bad service name is ignored (last_error says why). Thread-safe. */
    void (*count_usage)(xlate_plugin_ctx *ctx, const char *service, uint64_t requests,
                        uint64_t characters);
} xlate_host;

/* Nonzero when the host's table has `field` (a host of an older minor has a shorter table). */
#define XLATE_HOST_HAS(host, field) \
    ((host)->struct_size >= offsetof(xlate_host, field) + sizeof((host)->field))

/* The plugin's descriptor, returned by the entry function. It and everything it points to (names,
 * pairs, options) must stay valid and unchanged until the shared object is unloaded (`static
 * const` objects are the usual way). The host reads it from any thread. */
typedef struct xlate_plugin {
    uint32_t abi_version;        /* XLATE_ABI_VERSION the plugin was compiled with */
    uint32_t struct_size;        /* sizeof(xlate_plugin) as the plugin saw it */

    const char *name;            /* short name for --plugin, [a-z0-9_-]+ */
    const char *version;         /* the plugin's own version, e.g. "1.2.0" */
    const char *description;     /* one line */
    xlate_plugin_kind kind;

    /* Language pairs served, `n_pairs` of them. A plugin that serves any pair lists {"*","*"}. */
    const xlate_lang_pair *pairs;
    size_t n_pairs;

    /* Options accepted, `n_options` of them. The host rejects any other key as a usage error. */
    const xlate_option_spec *options;
    size_t n_options;

    /* Creates an instance. `ctx` and `options` are owned by the host and outlive the instance; keep
     * them in the instance to report errors and read options later. On failure returns a status
     * other than XLATE_OK after `host->set_error`; *instance is then ignored. On XLATE_OK
     * *instance must be non-NULL (the host refuses a NULL one as a failed start). Return XLATE_EINVAL
     * when an option's value is unusable (the user sees a usage error, exit status 2), and
     * XLATE_ERROR when a resource is missing or broken (a run failure, exit status 1). */
    int (*create)(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *options,
                  void **instance);

    /* Processes one batch of segments of one document, in order. Returns XLATE_OK when the batch
     * was handled, even when some segments were marked failed; returns XLATE_ERROR (after
     * set_error) only when the instance cannot go on at all, which fails the document. */
    int (*process)(void *instance, xlate_batch *batch);

    /* Frees the instance and everything it owns. Never fails. NULL is not passed. */
    void (*destroy)(void *instance);

    /* Optional: language pairs known only at run time (the engines installed on the machine).
     * Calls `emit` once per pair; used by `xlate plugins` in place of `pairs` when non-NULL.
     * May be called without an instance. */
    int (*enumerate_pairs)(const xlate_host *host,
                           void (*emit)(void *data, const char *source, const char *target),
                           void *data);

    /* --- added in ABI 1.3 ------------------------------------------------------------------
     * The host reads these only when the descriptor's struct_size covers them, so a plugin
     * built against an older header simply has none. */

    /* Optional: what the whole chain made of a batch. Called with each batch once every plugin of
     * the chain has processed it (this one included), in document order, before the batch is
     * written. The batch is read-only here: every call that would change a segment returns
     * XLATE_EINVAL. A plugin that learns from finished translations (a translation memory) reads
     * the final targets and statuses here, whichever plugin set them. Returns XLATE_OK, or
     * XLATE_ERROR (after set_error) to fail the document as a failing `process` would. NULL: not
     * called. */
    int (*batch_done)(void *instance, const xlate_batch *batch);

    /* Optional: the document whose batches batch_done last saw went through the whole chain, all
     * of it. Not called for a document the run stopped part way (a signal, a failing plugin): a
     * plugin that keeps what batch_done showed it until here (one transaction a document) drops
     * it when the next document starts or the instance is destroyed. Returns XLATE_OK, or
     * XLATE_ERROR (after set_error) to fail the document. NULL: not called. */
    int (*document_done)(void *instance);
} xlate_plugin;

/* The entry point every plugin exports (extern "C", default visibility). Called once after the
 * shared object is loaded, from any thread. Returns the descriptor, or NULL when the plugin cannot
 * serve this host (for instance because host->abi_version is too old for it). */
typedef const xlate_plugin *(*xlate_plugin_entry_fn)(const xlate_host *host);

/* Marks the entry function for export from the shared object, also when the plugin is built with
 * -fvisibility=hidden. */
#if defined(_WIN32)
#define XLATE_PLUGIN_EXPORT __declspec(dllexport)
#elif defined(__GNUC__)
#define XLATE_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define XLATE_PLUGIN_EXPORT
#endif

/* The entry function a plugin defines (declared here so that a plugin written in C++ gets C
 * linkage for it without writing extern "C" itself):
 *
 *     XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host)
 *     {
 *         // this plugin calls segment_paragraph (ABI 1.1): decline an older host
 *         return XLATE_HOST_HAS(host, segment_paragraph) ? &descriptor : NULL;
 *     }
 *
 * `host` stays valid for the life of the process; a plugin may keep it. */
XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host);

#ifdef __cplusplus
}
#endif

#endif /* XLATE_PLUGIN_H */
