/*
 * format: documents that are more than plain text. A format module reads a document's bytes into
 * paragraphs — UTF-8 text with inline codes standing between its characters — and keeps the
 * skeleton it needs to write the document back with each paragraph's translation in place.
 *
 * Modules sit at both ends of the data path. At the front, beside decode: each module decodes
 * its own bytes, since the encoding is declared inside the document (a BOM, an HTML meta tag, an
 * XML declaration, a PO header). At the end, beside the writers: `--format doc` hands the
 * document back to its module. A module knows nothing of segments or plugins: the pipeline
 * normalizes each paragraph, cuts it into segments, and joins the segments' targets back into
 * the paragraph's target (bilingual.h). Adding a format touches its own folder and the list in
 * format_registry.c, nothing else.
 */
#ifndef XLATE_CORE_FORMAT_H
#define XLATE_CORE_FORMAT_H

#include <stddef.h>
#include "buf.h"
#include "document.h" /* xlate_seg_code_kind */
#include "error.h"
#include "segment.h"  /* xlate_span */

/* --- paragraphs ---------------------------------------------------------------------------- */

/* An inline code: markup inside a paragraph that is not text (HTML <b>…</b>, <a href>, <br>;
 * XLIFF <g>, <x/>, <bpt>, <ph>, <pc>, <sc>/<ec>; Markdown emphasis and links). */
typedef struct xlate_code {
    xlate_seg_code_kind kind;
    size_t pos;          /* byte offset in the fragment's text where the code stands */
    unsigned id;         /* 1-based, unique within the paragraph; an OPEN and its CLOSE share it */
    char *data;          /* owned, NUL-terminated: the code's markup exactly as the source format
                          * writes it ("<a href=\"/news\">", "</a>", "<br>", "**"), which TSV,
                          * JSONL and TMX show and XLIFF keeps as original data */
    char *name;          /* owned or NULL: what it is, short ("b", "a", "br", "x", "ph", "em") */
    char *native_id;     /* owned or NULL: the id the code has in its own format (XLIFF's id
                          * attribute), which the format's writer gives back */
} xlate_code;

/* Text with inline codes: a paragraph's source, or a translation of it. */
typedef struct xlate_fragment {
    char *text;          /* owned, UTF-8, NUL-terminated; NULL for "none" (no translation) */
    size_t len;
    xlate_code *codes;   /* owned, ordered by pos and, at one pos, by document order */
    size_t n_codes;
    size_t cap;          /* bytes allocated for `text`: xlate_fragment_append's own business,
                          * which grows it geometrically (a paragraph is built in many appends);
                          * text is therefore only ever grown through xlate_fragment_append */
} xlate_fragment;

/* A segment the document already defines (an XLIFF 1.2 <mrk mtype="seg"> of seg-source, an XLIFF
 * 2 <segment>): the segmenter leaves such paragraphs as they are. */
typedef struct xlate_preseg {
    xlate_span span;     /* bytes of the paragraph's source text; `paragraph` unused */
    xlate_fragment target; /* what the document already holds as its translation, text NULL when
                            * none; codes' pos are bytes of target.text */
    char *id;            /* owned or NULL: the segment's id in its format (XLIFF 2 segment id, mrk mid) */
    int final;           /* the document says the target is done (XLIFF state "final"/"signed-off"/
                          * "translated", approved="yes"; a PO msgstr not marked fuzzy): it is kept
                          * unless the run asks to translate again */
} xlate_preseg;

typedef struct xlate_para {
    xlate_fragment source;
    /* Set by the pipeline before `write`: the paragraph's translation (its segments' targets
     * joined, with the codes placed), or text NULL when nothing was translated — then the module
     * writes the source back, as the document had it. */
    xlate_fragment target;
    xlate_preseg *presegs; /* owned or NULL: segments the document defines, covering the source in
                            * order; a paragraph with a kept translation and no finer segments
                            * has one preseg spanning all of it. Before `write`, whoever sets
                            * `target` (the pipeline after the chain, merge from a returned unit)
                            * also sets each preseg's target to that segment's own translation
                            * when it has one (xlate_bi_para_set_preseg_targets), and sets
                            * `presegs_set`; a preseg whose segment has none keeps the target the
                            * document brought, or none. A bilingual module writes the presegs'
                            * targets segment by segment when presegs_set and every non-empty
                            * preseg has one, and cuts `target` into its segments otherwise. */
    size_t n_presegs;
    char *id;            /* owned: unique within the document, stable from one read of the same
                          * bytes to the next ("p12", an XLIFF unit id, a PO entry's
                          * msgctxt\004msgid); what XLIFF export and merge match units by */
    char *note;          /* owned or NULL: context for a translator (PO comments and msgctxt, an
                          * XLIFF note, the HTML attribute a text comes from: "alt") */
    int needs_review;    /* set by the pipeline before `write`: a segment of the paragraph failed
                          * or has a warning (XLIFF state needs-review-translation, PO fuzzy) */
    int presegs_set;     /* set with `target`: the presegs' targets are this translation's, segment
                          * by segment (see presegs); 0 as a module reads the document */
} xlate_para;

typedef struct xlate_format_module xlate_format_module;

/* A document read by a format module. */
typedef struct xlate_fdoc {
    const xlate_format_module *format;
    char *name;               /* owned: the name the document was read under */
    char encoding[32];        /* what its bytes were in ("UTF-8", "windows-1251") */
    xlate_para *paras;        /* owned */
    size_t n_paras;
    char *source_lang;        /* owned or NULL: the language the document declares for its text
                               * (html lang, XLIFF srcLang / source-language, PO has none) */
    char *target_lang;        /* owned or NULL: declared target (XLIFF trgLang, PO Language) */
    void *skeleton;           /* owned by the module (freed by its free_skeleton): what `write`
                               * needs besides the paragraphs */
} xlate_fdoc;

/* --- modules ---------------------------------------------------------------------------------- */

typedef struct xlate_format_read_options {
    /* The encoding the user named (--encoding), or NULL for what the document declares, else
     * detection (decode.h). */
    const char *encoding;
    /* Translations the document already holds and says are done are translated again (and then
     * replaced) instead of kept. Targets the document marks unfinished (PO fuzzy, XLIFF
     * needs-translation/new) are always translated again, but only a module decides which are
     * which: it leaves such a target out of `final`. */
    int retranslate;
    /* The run's source language ("uk"): XLIFF checks it against the file's, HTML's lang="" may
     * differ (a warning is the caller's business). */
    const char *source_lang;
} xlate_format_read_options;

typedef struct xlate_format_write_options {
    const char *source_lang;  /* "uk" */
    const char *target_lang;  /* "en": html lang, XLIFF trgLang, PO Language */
    const char *tool_version; /* for headers that name the tool (XLIFF tool-version) */
} xlate_format_write_options;

struct xlate_format_module {
    const char *name;                 /* what --input-format takes: "html", "xliff", "po", "md" */
    const char *const *extensions;    /* NULL-terminated, lower case, no dot: {"html", "htm", NULL} */
    /* How sure the module is that `bytes` are its format, 0 (not at all) .. 100 (certain), from
     * at most the first 4 KiB; for input whose extension says nothing. */
    int (*sniff)(const char *bytes, size_t len);
    /* Reads a document. `name` is for messages (and the fdoc's name). Returns 0 with *doc filled
     * (free with xlate_fdoc_free), or -1 with err set: a usage-free run error naming the
     * document, the line or byte offset and what to do. *doc is zeroed on failure. */
    int (*read)(const xlate_format_read_options *o, const char *name, const char *bytes, size_t len,
                xlate_fdoc *doc, xlate_error *err);
    /* Writes the document back in its own format, each paragraph's `target` in place of its
     * source — in a bilingual file (XLIFF, PO) in place of its existing translation, the source
     * staying — in the encoding it came in when that encoding can hold the text (else UTF-8,
     * declared so). A paragraph whose target.text is NULL is written as the document had it
     * (source, and any existing translation). So a document written with every target NULL is
     * the document read: byte for byte where the format allows (text, PO, Markdown), else equal
     * after its parser's canonical form (HTML, XLIFF); and a monolingual document (text, HTML,
     * Markdown) written with every target a copy of its source is the same again. Returns 0, or
     * -1 with err set. */
    int (*write)(const xlate_fdoc *doc, const xlate_format_write_options *o, xlate_buf *out,
                 xlate_error *err);
    void (*free_skeleton)(void *skeleton);
};

/* The modules this build has, in the order auto-detection tries them, plain text ("text") last;
 * NULL-terminated. A run that writes TSV, JSONL or TMX reads plain text through the streaming
 * path of pipeline.h instead, which holds less of a large document; the text module serves
 * `--format doc`, XLIFF export and merge. */
const xlate_format_module *const *xlate_format_modules(void);

/* The module named `name` ("html", "xliff", "po", "md"), or NULL. */
const xlate_format_module *xlate_format_by_name(const char *name);

/* The module for a document: by the extension of `name`, else by sniffing `bytes`, else the
 * plain-text module. Never NULL. */
const xlate_format_module *xlate_format_detect(const char *name, const char *bytes, size_t len);

/* --- helpers for modules and for the pipeline ----------------------------------------------- */

/* Appends `len` bytes of text to the fragment. Returns 0, or -1 when out of memory. */
XLATE_MUST_CHECK int xlate_fragment_append(xlate_fragment *f, const char *text, size_t len);

/* Adds a code at the fragment's current end (pos = f->len), with `data` and `name` (NULL:
 * none) copied. Returns 0, or -1 when out of memory. */
XLATE_MUST_CHECK int xlate_fragment_add_code(xlate_fragment *f, xlate_seg_code_kind kind, unsigned id,
                                             const char *data, const char *name, const char *native_id);

/* A deep copy of `src` into *dst. Returns 0, or -1 when out of memory (*dst then empty). */
XLATE_MUST_CHECK int xlate_fragment_copy(xlate_fragment *dst, const xlate_fragment *src);

/* 1 when the two fragments have the same text and the same codes at the same places. */
int xlate_fragment_equal(const xlate_fragment *a, const xlate_fragment *b);

void xlate_fragment_free(xlate_fragment *f);

/* Frees the paragraphs, the skeleton (through doc->format) and the names; zeroes *doc. */
void xlate_fdoc_free(xlate_fdoc *doc);

#endif
