/*
 * prompt: the chat-completions request for one segment (see prompt.h).
 */
#include "prompt.h"

#include <string.h>

static int system_message(const llm_prompt *p, xp_buf *out) {
    int rc = xp_buf_printf(out,
                           "You are a professional translator. Translate news from %s into %s.\n"
                           "Keep the register of news reporting: factual and neutral, as a "
                           "newspaper writes it.\n"
                           "Answer with the translation of the segment only: no introduction, no "
                           "label, no quotation marks around it, no notes or explanations.\n"
                           "Translate exactly the one segment you are given, whole and as one "
                           "piece: never the context, and never more or less than the segment.\n",
                           p->source_name, p->target_name);
    if (rc == 0 && p->tags)
        rc = xp_buf_puts(out, "The segment holds tags such as <x1/>: they stand for markup and "
                              "fixed terms. Keep each tag exactly once and unchanged, where its "
                              "words belong in the translation.\n");
    if (rc == 0 && p->n_terms > 0)
        rc = xp_buf_puts(out, "Use these glossary terms:\n");
    for (size_t k = 0; rc == 0 && k < p->n_terms; k++)
        rc = xp_buf_printf(out, "translate «%.*s» as «%s»\n", (int)p->terms[k].source_len,
                           p->terms[k].source, p->terms[k].target);
    return rc;
}

static int user_message(const llm_prompt *p, xp_buf *out) {
    int rc = 0;
    if (p->n_context > 0)
        rc = xp_buf_puts(out, "Context: the segments before it in the document, for reference "
                              "only. Do not translate them.\n");
    for (size_t k = 0; rc == 0 && k < p->n_context; k++) {
        const llm_context_segment *c = &p->context[k];
        rc = xp_buf_printf(out, "Source: %.*s\n", (int)c->source_len, c->source);
        if (rc == 0 && c->target)
            rc = xp_buf_printf(out, "Translation: %.*s\n", (int)c->target_len, c->target);
    }
    if (rc == 0 && p->n_context > 0)
        rc = xp_buf_puts(out, "\n");
    if (rc == 0)
        rc = xp_buf_puts(out, "Segment to translate:\n");
    if (rc == 0)
        rc = xp_buf_append(out, p->text, p->len);
    return rc;
}

static int add_message(json_object *messages, const char *role, const char *content, size_t len) {
    json_object *m = json_object_new_object();
    json_object *r = json_object_new_string(role);
    json_object *c = json_object_new_string_len(content, (int)len);
    if (!m || !r || !c) {
        json_object_put(m);
        json_object_put(r);
        json_object_put(c);
        return -1;
    }
    json_object_object_add(m, "role", r);
    json_object_object_add(m, "content", c);
    return json_object_array_add(messages, m) == 0 ? 0 : (json_object_put(m), -1);
}

json_object *llm_prompt_request(const llm_prompt *p) {
    xp_buf system = XP_BUF_INIT, user = XP_BUF_INIT;
    json_object *req = json_object_new_object();
    json_object *messages = json_object_new_array();
    int rc = req && messages && system_message(p, &system) == 0 && user_message(p, &user) == 0
                 ? 0
                 : -1;
    if (rc == 0)
        rc = add_message(messages, "system", system.data, system.len);
    if (rc == 0)
        rc = add_message(messages, "user", user.data, user.len);
    if (rc == 0 && p->model)
        json_object_object_add(req, "model", json_object_new_string(p->model));
    if (rc == 0) {
        /* 0: the same segment gets the same translation, and a retry differs only by what it
         * was told. */
        json_object_object_add(req, "temperature", json_object_new_double(0.0));
        json_object_object_add(req, "stream", json_object_new_boolean(0));
        json_object_object_add(req, "messages", messages);
        messages = NULL;
    }
    json_object_put(messages);
    xp_buf_free(&system);
    xp_buf_free(&user);
    if (rc != 0) {
        json_object_put(req);
        return NULL;
    }
    return req;
}

int llm_prompt_add_retry(json_object *request, const char *answer, size_t answer_len,
                         const char *failure) {
    json_object *messages = NULL;
    if (!json_object_object_get_ex(request, "messages", &messages))
        return -1;
    xp_buf ask = XP_BUF_INIT;
    int rc = xp_buf_printf(&ask, "%s Translate the segment again and answer with its "
                                 "translation alone.", failure);
    if (rc == 0)
        rc = add_message(messages, "assistant", answer, answer_len);
    if (rc == 0)
        rc = add_message(messages, "user", ask.data, ask.len);
    xp_buf_free(&ask);
    return rc;
}

int llm_prompt_serialize(json_object *request, xp_buf *out) {
    size_t len;
    const char *text = json_object_to_json_string_length(request, JSON_C_TO_STRING_PLAIN, &len);
    xp_buf_reset(out);
    return text ? xp_buf_append(out, text, len) : -1;
}

size_t llm_prompt_characters(json_object *request) {
    json_object *messages = NULL;
    size_t n = 0;
    if (!json_object_object_get_ex(request, "messages", &messages))
        return 0;
    for (size_t k = 0; k < json_object_array_length(messages); k++) {
        json_object *content = NULL;
        if (!json_object_object_get_ex(json_object_array_get_idx(messages, k), "content", &content))
            continue;
        const char *text = json_object_get_string(content);
        for (size_t i = 0; text && text[i]; i++)
            if (((unsigned char)text[i] & 0xC0) != 0x80)
                n++;
    }
    return n;
}
