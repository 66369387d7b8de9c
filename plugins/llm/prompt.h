/*
 * prompt: the chat-completions request the llm plugin sends for one segment — the system
 * message (languages, register, "the translation only", the glossary's terms for the segment),
 * the user message (the preceding segments as context, apart from the one segment to
 * translate), and, for the one retry, the model's answer and what was wrong with it. JSON by
 * json-c. Sits between the plugin's segments and the transport; knows nothing of HTTP.
 */
#ifndef XLATE_LLM_PROMPT_H
#define XLATE_LLM_PROMPT_H

#include <json-c/json.h>
#include <stddef.h>

#include "xp_buf.h"

/* A segment before the one translated: its source, and its translation when one is known. */
typedef struct llm_context_segment {
    const char *source;
    size_t source_len;
    const char *target; /* NULL: not translated yet */
    size_t target_len;
} llm_context_segment;

/* A glossary term of the segment: the source span as it stands, the target to use. */
typedef struct llm_prompt_term {
    const char *source;
    size_t source_len;
    const char *target;
} llm_prompt_term;

typedef struct llm_prompt {
    const char *model;       /* NULL: the field is left out (the server's own model) */
    const char *source_name; /* "Ukrainian (uk)" */
    const char *target_name; /* "English (en)" */
    const llm_context_segment *context;
    size_t n_context;
    const llm_prompt_term *terms;
    size_t n_terms;
    int tags;                /* the text holds <xN/> tags for inline codes and terms */
    const char *text;        /* the segment to translate */
    size_t len;
} llm_prompt;

/* The placeholder format of a segment with inline codes (segment_masked_source). */
#define LLM_TAG_FORMAT "<x%u/>"

/* The request object for a segment's first answer: {"model", "temperature": 0, "stream":
 * false, "messages": [system, user]}. NULL when out of memory. The caller owns it
 * (json_object_put). */
json_object *llm_prompt_request(const llm_prompt *p);

/* Adds to `request` the model's answer and a user message that names what was wrong with it
 * (`failure`, a sentence) and asks again. Returns 0, or -1 when out of memory. */
int llm_prompt_add_retry(json_object *request, const char *answer, size_t answer_len,
                         const char *failure);

/* The characters (Unicode code points) of every message of `request`: what the model reads of
 * it, and what a hosted service bills. */
size_t llm_prompt_characters(json_object *request);

/* The request as JSON text into `out`. Returns 0, or -1 when out of memory. */
int llm_prompt_serialize(json_object *request, xp_buf *out);

#endif
