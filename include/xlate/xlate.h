/*
 * xlate embedding API, version 1.
 *
 * libxlate runs xlate's whole data path inside another program: bytes in any encoding are
 * decoded, normalized, cut into sentences, passed through a chain of plugins (filters,
 * glossaries, translators) and written as aligned source/target records (TSV, JSONL, TMX) or as
 * the translated text. Build with `pkg-config --cflags --libs xlate`.
 *
 *     xlate_session *s = NULL;
 *     char *out = NULL;
 *     size_t n = 0;
 *     int rc = xlate_session_new(NULL, &s);
 *     if (rc == XLATE_OK)
 *         rc = xlate_session_add_plugin(s, "glossary");
 *     if (rc == XLATE_OK)
 *         rc = xlate_translate_text(s, text, strlen(text), XLATE_OUTPUT_JSONL, &out, &n);
 *     if (rc >= 0)                  (XLATE_OK, or XLATE_PARTIAL: output made, some segments failed)
 *         fwrite(out, 1, n, stdout);
 *     if (rc != XLATE_OK)
 *         fprintf(stderr, "%s\n", xlate_session_errmsg(s));
 *     xlate_free(out);
 *     xlate_session_free(s);
 *
 * CONVENTIONS
 *   - Handles are opaque and made and freed by the library (xlate_session_new/_free).
 *   - Every function that can fail returns an int status: XLATE_OK (0), XLATE_PARTIAL (1, see
 *     xlate_translate_text), or a negative XLATE_* code of `enum xlate_status` (plugin.h). The
 *     sentence that explains a failure is read with xlate_session_errmsg on the same handle.
 *   - Strings are UTF-8. Lengths are in bytes and never count a terminating NUL.
 *   - Who owns each pointer is stated beside each function. Memory the library hands over is
 *     freed with xlate_free, never with the caller's free() (the two may be different
 *     allocators, as on Windows or under a debugging malloc).
 *
 * THE PROCESS
 *   libxlate acts only on what the session's options name. It reads no environment variable
 *   (XLATE_PLUGIN_PATH and XLATE_LOG are the xlate command's: a program that wants them reads
 *   them and puts them in the options), looks for plugins only in plugin_path, the build tree when
 *   asked and the installed plugin folder, and writes nothing to stderr: plugins' log lines go to
 *   the session's log function, or nowhere. A plugin is code of its own and may read or write
 *   what it documents (the bundled glossary reads XLATE_CACHE_DIR for its cache).
 *
 * THREADING
 *   The library has no global mutable state. A session belongs to one thread at a time: calls on
 *   one session must not overlap, but any number of sessions may be used at once from different
 *   threads. xlate_version and xlate_free may be called from any thread at any time.
 *
 * STABILITY RULES
 *   - Within XLATE_API_MAJOR, functions are only added, never removed or changed; enumeration
 *     values are never renumbered; xlate_session_options only gains fields at its end, and its
 *     `version` field tells the library how much of it the caller knows, so a program built
 *     against an older header keeps working with a newer libxlate.
 *   - Removing or changing a function, or a field's meaning, takes a new XLATE_API_MAJOR and a
 *     new soname (libxlate.so.N).
 *
 * HISTORY
 *   1.0  first release.
 *   1.1  xlate_session_options version 2: log, log_data, log_level, search_build_tree. The
 *        library no longer reads XLATE_PLUGIN_PATH or XLATE_LOG, nor looks for the build tree by
 *        itself, nor writes plugins' log lines to stderr.
 */
#ifndef XLATE_XLATE_H
#define XLATE_XLATE_H

#include <stddef.h>

#include "plugin.h" /* enum xlate_status: the status codes shared with plugins */

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this API. */
#define XLATE_API_MAJOR 1
#define XLATE_API_MINOR 1

/* Marks the functions libxlate exports. */
#if defined(__GNUC__)
#define XLATE_API __attribute__((visibility("default")))
#else
#define XLATE_API
#endif

/* Returned by xlate_translate_text when the output was made but some segments failed. */
#define XLATE_PARTIAL 1

/* A translation session: the options, the plugin chain and the worker that runs it. Owned by
 * the caller from xlate_session_new until xlate_session_free. */
typedef struct xlate_session xlate_session;

/* What xlate_translate_text writes. */
typedef enum xlate_output_format {
    /* The translated text itself: each segment's target in place of its source, with the
     * source's spacing and paragraphs kept. A segment with no target keeps its source; a segment
     * a filter dropped is left out. */
    XLATE_OUTPUT_TEXT = 0,
    /* Tab-separated records with a header line and five columns, no more: id, source, target,
     * status (ok, warning, failed, filtered), message (every message the segment was given,
     * each after the name of the plugin that gave it, joined by "; "; empty when none). Tab,
     * newline, carriage return and backslash in a field are written \t, \n, \r, \\. Terms
     * are not in it: JSONL and TMX carry them. */
    XLATE_OUTPUT_TSV = 1,
    /* One JSON object per segment per line: id, doc, paragraph, start, end, source, target,
     * status, message and messages (when there are any: each {plugin, level, code, text}),
     * terms. */
    XLATE_OUTPUT_JSONL = 2,
    /* A TMX 1.4b document. */
    XLATE_OUTPUT_TMX = 3
} xlate_output_format;

/* Receives the log lines of a session's plugins (xlate_host.log, see plugin.h) and the host's
 * notes about them (a glossary term a translator lost; a glossary or check that declares no pair
 * for the session's languages, once when it is added; at debug level, why a plugin's host call
 * failed): `plugin` names the plugin, `level` is the
 * line's, `message` is one line without a newline. Both strings belong to the library and are
 * valid only during the call. It is called on the thread that is in a call on the session
 * (xlate_session_add_plugin, xlate_translate_text, xlate_session_free), so never twice at once
 * for one session; it must not call back into that session. `data` is the options' log_data. */
typedef void (*xlate_log_fn)(void *data, const char *plugin, xlate_log_level level,
                             const char *message);

/* The version the caller's xlate_session_options follows; put it in `version`. Version 1 ends
 * at batch_size. */
#define XLATE_SESSION_OPTIONS_VERSION 2

/* Settings of a session. Start from XLATE_SESSION_OPTIONS_INIT (or xlate_session_options_init)
 * and change the fields you need; every pointer may be NULL for the default. The library copies
 * what it needs during xlate_session_new: the strings may be freed afterwards. */
typedef struct xlate_session_options {
    unsigned int version;     /* XLATE_SESSION_OPTIONS_VERSION */
    const char *source_lang;  /* language of the input, a BCP 47 tag ("uk"); NULL: "uk" */
    const char *target_lang;  /* language to translate to, a BCP 47 tag ("en", "x-upper");
                                 NULL: "en" */
    const char *plugin_path;  /* folders searched for plugins first, in order, separated by
                                 ':'; then the build tree (search_build_tree) and the installed
                                 plugin folder. NULL: none */
    const char *encoding;     /* encoding of the input ("windows-1251"); NULL: detect */
    const char *srx_path;     /* an SRX file of segmentation rules; NULL: the built-in rules */
    size_t batch_size;        /* segments per plugin call; 0: the default (64) */
    /* Since version 2. */
    xlate_log_fn log;         /* receives the plugins' log lines; NULL: they go nowhere */
    void *log_data;           /* handed to log; the caller's, it must outlive the session */
    xlate_log_level log_level; /* the least important level passed to log: XLATE_LOG_WARNING
                                  (the default) passes errors and warnings, XLATE_LOG_DEBUG all */
    int search_build_tree;    /* nonzero: after plugin_path, search the plugins/ folder of the
                                 build tree this libxlate was built in (for programs run from
                                 that tree); 0: the default, only plugin_path and the installed
                                 folder */
} xlate_session_options;

#define XLATE_SESSION_OPTIONS_INIT                                                         \
    {XLATE_SESSION_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL,             \
     XLATE_LOG_WARNING, 0}

/* Fills *opts with the defaults for `version` (XLATE_SESSION_OPTIONS_VERSION), writing only the
 * fields that version has. Returns XLATE_OK, or XLATE_EINVAL when opts is NULL or the version is
 * unknown to this library. */
XLATE_API int xlate_session_options_init(xlate_session_options *opts, unsigned int version);

/* The library's version, "MAJOR.MINOR.PATCH". A constant string: do not free it. */
XLATE_API const char *xlate_version(void);

/* Creates a session with an empty plugin chain. `opts` may be NULL for the defaults; fields a
 * version 1 `opts` lacks take their defaults.
 *
 * Returns XLATE_OK with *out set. On failure returns XLATE_EINVAL (bad options: an unknown
 * encoding, an unreadable SRX file, a log_level that is no xlate_log_level, an options version
 * this library does not know) or XLATE_ENOMEM; then *out is still set to a session that carries
 * the message for xlate_session_errmsg, unless memory ran out before it could be made (then *out
 * is NULL). In every case the caller frees a non-NULL *out with xlate_session_free. */
XLATE_API int xlate_session_new(const xlate_session_options *opts, xlate_session **out);

/* Appends a plugin to the session's chain. `spec` is written as on the command line:
 * "NAME", "NAME:KEY=VALUE,KEY=VALUE" or a path "./my.so:KEY=VALUE" (a name is looked up as
 * NAME.so in the plugin path, else as the plugin whose descriptor has that name). Plugins run in
 * the order they were added, except that check plugins (XLATE_KIND_CHECK) run after all the
 * others, so that they read what the translators wrote.
 *
 * The plugin is loaded, its options are checked against its descriptor and an instance is
 * created now, so a mistake shows here and not during a translation. A name is looked for only
 * where the session's options say (plugin_path, search_build_tree, the installed folder). Returns
 * XLATE_OK; XLATE_ENOTFOUND for an unknown plugin or a path to no file (the message lists the
 * plugins found and the folders searched); XLATE_EINVAL for a bad option (the message lists the
 * plugin's options) or when the chain's translators declare language pairs and none of them
 * serves the session's source_lang → target_lang (the message lists theirs); XLATE_ERROR for
 * a file that is not a plugin of this ABI or a plugin that cannot start. On failure the chain is as it was before the call. `spec` is copied. */
XLATE_API int xlate_session_add_plugin(xlate_session *s, const char *spec);

/* The number of plugins in the session's chain. */
XLATE_API size_t xlate_session_plugin_count(const xlate_session *s);

/* Runs the whole data path over `len` bytes of `text` (any encoding the session accepts; it
 * need not be NUL-terminated) and writes the result in `format`.
 *
 * On success *out receives a NUL-terminated buffer owned by the caller, to be freed with
 * xlate_free, and *out_len its length (out_len may be NULL). Returns:
 *   XLATE_OK       every segment went through the chain;
 *   XLATE_PARTIAL  the output is there, but some segments failed in a plugin; they are in it
 *                  with their source and the status "failed" (TSV, JSONL, TMX) or untranslated
 *                  (TEXT); xlate_session_errmsg tells the first failure;
 *   XLATE_EINVAL   bad arguments (NULL session or out, unknown format);
 *   XLATE_ERROR    the text could not be read at all (invalid bytes for its encoding, ...);
 *   XLATE_ENOMEM   out of memory.
 * On a negative status *out is set to NULL. */
XLATE_API int xlate_translate_text(xlate_session *s, const char *text, size_t len,
                                   xlate_output_format format, char **out, size_t *out_len);

/* Counts of the last xlate_translate_text call on the session: segments in the text, and
 * those that failed, were dropped by a filter, or carry a warning. Any pointer may be NULL. All
 * are 0 before the first call. */
XLATE_API void xlate_session_last_counts(const xlate_session *s, size_t *segments, size_t *failed,
                                         size_t *filtered, size_t *warnings);

/* The message explaining the last failure (or XLATE_PARTIAL) on the session: one sentence that
 * names the plugin, file or place and what to do; "" when the last call succeeded. The string
 * belongs to the session and stays valid until the next call on it. Never NULL; for a NULL
 * session returns a constant text saying so. */
XLATE_API const char *xlate_session_errmsg(const xlate_session *s);

/* Frees a session: destroys its plugin instances and unloads its plugins. NULL is allowed. */
XLATE_API void xlate_session_free(xlate_session *s);

/* Frees memory the library handed to the caller (the output of xlate_translate_text). NULL is
 * allowed. */
XLATE_API void xlate_free(void *ptr);

#ifdef __cplusplus
}
#endif

#endif /* XLATE_XLATE_H */
