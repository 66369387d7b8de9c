/*
 * document: the segments of one document as they travel through the plugin chain, and the
 * xlate_batch view that plugins see of them. Built from segment's spans, changed only through the
 * host functions plugins call, read by the writers at the end of the data path.
 */
#ifndef XLATE_CORE_DOCUMENT_H
#define XLATE_CORE_DOCUMENT_H

#include "error.h" /* XLATE_MUST_CHECK */

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "segment.h"
#include "xlate/plugin.h"

typedef enum xlate_seg_status {
    XLATE_SEG_OK = 0,       /* processed (or untouched: no plugin had anything to do) */
    XLATE_SEG_WARNING = 1,  /* target set, but a plugin reported a problem (e.g. a lost term) */
    XLATE_SEG_FAILED = 2,   /* a plugin could not process it; target is NULL or partial */
    XLATE_SEG_FILTERED = 3  /* a filter plugin dropped it on purpose */
} xlate_seg_status;

/* "ok", "warning", "failed", "filtered". */
const char *xlate_seg_status_name(xlate_seg_status s);

typedef struct xlate_term_rec {
    size_t start, end;       /* bytes in the segment's source */
    char *target;            /* owned */
    char *note;              /* owned, or NULL */
    uint32_t flags;          /* XLATE_TERM_* */
    int has_target_pos;      /* target_start/end are set */
    size_t target_start, target_end; /* bytes in the segment's target */
    xlate_term view;         /* filled by the host when a plugin asks for the term */
} xlate_term_rec;

/* One message a segment was given: by a plugin (segment_warn, segment_fail, segment_drop) or by
 * the host about a plugin's work (a term its translator lost). A segment keeps them all, in the
 * order they came. */
typedef struct xlate_seg_message {
    char *plugin;            /* owned: the plugin's name, or NULL when the host said it alone */
    xlate_seg_status level;  /* WARNING, FAILED or FILTERED */
    char *code;              /* owned, [a-z0-9_-]+, or NULL */
    char *text;              /* owned, UTF-8, one or more lines */
} xlate_seg_message;

/* What an inline code is (the same values as format.h's xlate_code_kind). */
typedef enum xlate_seg_code_kind {
    XLATE_SEG_CODE_OPEN = 0,       /* opens a span: <b>, <a href=...>, XLIFF <g>, <pc>, <sc> */
    XLATE_SEG_CODE_CLOSE = 1,      /* closes the span its `id` opened */
    XLATE_SEG_CODE_STANDALONE = 2  /* stands alone: <br>, <img>, XLIFF <x/>, <ph/> */
} xlate_seg_code_kind;

/* An inline code inside a segment: markup of the document (an HTML <b>, an XLIFF <ph/>) that is
 * not text. The segment's source holds no trace of it: it stands between two characters of the
 * source, travels through a translator as a placeholder (segment_masked_source numbers the codes
 * after the terms) and comes back at the place the translator put that placeholder. Codes are
 * kept in source order. */
typedef struct xlate_seg_code {
    size_t pos;              /* bytes into the segment's source, on a character boundary */
    int has_target_pos;      /* target_pos is set: a translator placed the code */
    size_t target_pos;       /* bytes into the segment's target */
    unsigned id;             /* the code's id within its paragraph (format.h xlate_code.id) */
    xlate_seg_code_kind kind;
    int isolated;            /* an OPEN or CLOSE whose partner is in another segment */
    char *data;              /* owned, NUL-terminated: the original markup, as the document has it */
} xlate_seg_code;

/* A match a translation memory found for a segment (host->segment_add_match). */
typedef struct xlate_seg_match {
    char *plugin;            /* owned: the plugin that found it */
    char *target;            /* owned, UTF-8: the memory's translation (repaired, when it was) */
    char *source;            /* owned, UTF-8: the memory's source that matched */
    double score;            /* 0 .. 100; 100: the same sentence */
} xlate_seg_match;

/* What translation memories said of a segment: kept behind one pointer, since most segments of a
 * long document have none and each segment's size counts. */
typedef struct xlate_seg_matches {
    xlate_seg_match *items;  /* owned, in the order given */
    size_t n;
    long used;               /* index of the match that set the target, or -1 (none, or a later
                              * plugin set the target since) */
} xlate_seg_matches;

typedef struct xlate_seg {
    size_t id;               /* 1-based within the document */
    size_t paragraph;        /* 0-based */
    size_t start, end;       /* bytes in the document's normalized text */
    char *source;            /* owned copy of text[start, end), NUL-terminated */
    size_t source_len;
    char *target;            /* owned, NUL-terminated, or NULL when no plugin set one */
    size_t target_len;
    xlate_term_rec *terms;   /* owned, sorted by start, non-overlapping */
    size_t n_terms, cap_terms;
    xlate_seg_status status; /* the worst of its messages' levels, or OK */
    /* The target came with the document (an XLIFF <target>, a PO msgstr) and is kept: plugins
     * see the segment as not active (segment_active 0), writers write it as any target. Beside
     * `status`, in what would be padding: a long document holds many segments. */
    int preset;
    char *message;           /* owned, or NULL: the texts of `messages` joined with "; " */
    xlate_seg_message *messages; /* owned, in the order they were given */
    size_t n_messages;
    xlate_seg_code *codes;   /* owned, in source order; none for plain text */
    size_t n_codes;
    /* owned, or NULL: the name of the plugin that last set the target through the host, so that
     * what the host finds wrong with the target afterwards (a lost code) is filed under it. */
    char *target_plugin;
    xlate_seg_matches *matches; /* owned, or NULL when no memory matched */
} xlate_seg;

/* A segment that reads as another language than its document (--from auto: a Russian quote in a
 * Ukrainian article). Kept beside the segments, not in them: few have one, and each segment's
 * size counts in a long document. */
typedef struct xlate_seg_lang {
    size_t index;            /* the segment's index in doc->segs */
    char lang[16];           /* its language, a BCP 47 tag */
} xlate_seg_lang;

typedef struct xlate_doc {
    char *name;              /* owned: path as given, "-" for stdin, or archive entry name */
    char *text;              /* owned: the normalized UTF-8 text */
    size_t text_len;
    size_t first_id;         /* the output id of segs[0] (xlate_host.segment_output_id) */
    char encoding[32];       /* what decode found */
    int repaired;            /* decode undid mojibake */
    xlate_seg *segs;         /* owned */
    size_t n_segs;
    char lang[32];           /* the language the run identified the document as (--from auto),
                                or "" when the user named it (the run's source language) */
    xlate_seg_lang *seg_langs; /* owned: the segments with a language of their own, by index */
    size_t n_seg_langs;
    size_t seg_offset;       /* the index segs[0] has in the whole document: 0, but in a view of
                                part of it (xlate_writer_document_part) */
} xlate_doc;

/* Takes ownership of `text` and makes one segment per span (copies of the source). `name` is
 * copied. Returns 0, or -1 when out of memory (then `text` is still freed). */
XLATE_MUST_CHECK int xlate_doc_init(xlate_doc *doc, const char *name, char *text, size_t text_len,
                                    const xlate_span *spans, size_t n_spans);

/* xlate_doc_init without the copies: each segment's source stays NULL until xlate_doc_fill
 * makes it. A run that streams a document holds the sources of the batch in flight only. */
XLATE_MUST_CHECK int xlate_doc_init_unfilled(xlate_doc *doc, const char *name, char *text,
                                             size_t text_len, const xlate_span *spans,
                                             size_t n_spans);

/* Copies the sources of segments [from, from + n) that have none. Returns 0, or -1 when out of
 * memory (the segments copied so far keep theirs). */
XLATE_MUST_CHECK int xlate_doc_fill(xlate_doc *doc, size_t from, size_t n);

/* Frees what segments [from, from + n) hold (source, target, terms, message) once they are
 * written; their ids, offsets and status stay. */
void xlate_doc_release(xlate_doc *doc, size_t from, size_t n);

void xlate_doc_free(xlate_doc *doc);

/* Records that segment `index` of the document reads as language `lang` (copied; at most 15
 * bytes), not its document's. Segments are recorded in index order. Returns 0, or -1 on bad
 * arguments or when out of memory. */
XLATE_MUST_CHECK int xlate_doc_set_seg_language(xlate_doc *doc, size_t index, const char *lang);

/* The language a segment of `doc` was identified as: its own (xlate_doc_set_seg_language), else
 * its document's (doc->lang); NULL when the run was given its source language rather than
 * identifying it. */
const char *xlate_seg_language(const xlate_doc *doc, const xlate_seg *seg);

/* Keeps the first `n` segments and frees the others (a run stopped part way through a document
 * keeps only what it finished). Does nothing when the document has `n` or fewer. */
void xlate_doc_truncate(xlate_doc *doc, size_t n);

/* Seg mutations used by the host functions and by tests. Return 0, -1 on ENOMEM or bad args. */
XLATE_MUST_CHECK int xlate_seg_set_target(xlate_seg *seg, const char *text, size_t len);
/* The same for a text the caller has just found to be well-formed UTF-8 without NUL (the host
 * service checks to say what is wrong with a plugin's target): not scanned a second time. */
XLATE_MUST_CHECK int xlate_seg_set_checked_target(xlate_seg *seg, const char *text, size_t len);
XLATE_MUST_CHECK int xlate_seg_add_term(xlate_seg *seg, size_t start, size_t end, const char *target,
                                        const char *note, uint32_t flags);
/* xlate_seg_set_status sets a valid status even when the message cannot be copied (then the
 * segment keeps no message and -1 says the reason was lost). It starts the segment's messages
 * afresh: the given one (from the host, no plugin) becomes the only one. */
XLATE_MUST_CHECK int xlate_seg_set_status(xlate_seg *seg, xlate_seg_status status, const char *message);

/* Adds a message of `level` (WARNING, FAILED or FILTERED) from `plugin` (NULL: the host) with
 * `code` (NULL: none) to the segment's list, and makes the segment's status the worse of its
 * status and `level` (ok < warning < filtered < failed). The status is set even when the message
 * cannot be copied (then -1 says the reason was lost). Invalid UTF-8 in `text` becomes U+FFFD. */
XLATE_MUST_CHECK int xlate_seg_add_message(xlate_seg *seg, xlate_seg_status level, const char *plugin,
                                           const char *code, const char *text);

/* Adds an inline code at byte `pos` of the segment's source (pos <= source_len, on a character
 * boundary; codes must be added in source order). `data` is copied. Returns 0, or -1 on bad
 * arguments or when out of memory. */
XLATE_MUST_CHECK int xlate_seg_add_code(xlate_seg *seg, size_t pos, xlate_seg_code_kind kind, unsigned id,
                                        int isolated, const char *data);

/* After the chain: every code of a segment that has a target but no place for the code in it
 * (its translator set the target as plain text, or lost the placeholder) is put at the end of the
 * target, in source order, and the segment gets a warning with code "code_lost" naming the codes,
 * filed under `plugin` (the translator that set the target; NULL: the host). A code is never
 * dropped. Returns 0, or -1 when out of memory. */
XLATE_MUST_CHECK int xlate_seg_place_lost_codes(xlate_seg *seg, const char *plugin);

/* Records `plugin` (copied; NULL: none) as the one that set the segment's target. Returns 0, or -1
 * when out of memory. */
XLATE_MUST_CHECK int xlate_seg_set_target_plugin(xlate_seg *seg, const char *plugin);

/* Records a match on the segment (strings copied); with `use`, it also becomes the target (as
 * xlate_seg_set_target) and matches->used points at it. Setting the target any other way after
 * that makes `used` -1 again (xlate_seg_set_target does). Returns 0, or -1 on bad arguments (score
 * outside 0..100) or when out of memory. */
XLATE_MUST_CHECK int xlate_seg_add_match(xlate_seg *seg, const char *plugin, const char *target, size_t target_len,
                                         double score, const char *source, size_t source_len, int use);

/* The match that set the segment's target, or NULL. */
const xlate_seg_match *xlate_seg_used_match(const xlate_seg *seg);

/* 1 when `code` is a message code the host accepts: one or more of a-z, 0-9, '_' and '-'. */
int xlate_seg_code_is_valid(const char *code);

/* Appends the segment's messages as one line of text: each message's text, prefixed with its
 * plugin's name ("qa: numbers differ") unless the text already starts with it, joined by "; ".
 * Returns 0, or -1 when out of memory. Declared here so that every writer and report joins them
 * the same way. */
XLATE_MUST_CHECK int xlate_seg_messages_joined(const xlate_seg *seg, xlate_buf *out);

#endif
