/*
 * service_apy: Apertium's APy. POST /translate with a form: langpair=eng|spa, markUnknown, q (one
 * text: APy 0.11 reads a single q a request) and key when one is set; the answer
 * {"responseData": {"translatedText": "..."}}. GET /listPairs at start says which pairs it serves.
 * Its codes are ISO 639-3 ("eng"), as Apertium names its pairs.
 */
#include <stdio.h>
#include <string.h>

#include "langcode.h"
#include "service.h"

static int apy_lang_code(const char *tag, int target, char *out, size_t size) {
    (void)target;
    return xlate_lang_to_639_3(tag, out, size);
}

static int apy_build(const http_service_env *env, http_service_request *req) {
    char langpair[80];
    snprintf(langpair, sizeof langpair, "%s|%s", env->source, env->target);
    xp_buf_printf(req->url, "%s/translate", env->url);
    http_form_field(req->body, "langpair", langpair, strlen(langpair));
    http_form_field(req->body, "markUnknown", env->mark_unknown ? "yes" : "no",
                    env->mark_unknown ? 3 : 2);
    http_form_field(req->body, "q", req->texts[0].data ? req->texts[0].data : "", req->texts[0].len);
    if (env->key)
        http_form_field(req->body, "key", env->key, strlen(env->key));
    return req->url->data && req->body->data ? 0 : -1;
}

static int apy_parse(json_object *answer, size_t count, json_object **texts, xlate_json_why *whys,
                     xlate_json_why *why) {
    (void)count, (void)whys;
    json_object *data = xlate_json_member(answer, NULL, "responseData", json_type_object, why);
    texts[0] = data ? xlate_json_member(data, "responseData", "translatedText", json_type_string, why)
                    : NULL;
    return texts[0] ? 0 : -1;
}

/* APy says what went wrong in "explanation"; a key it refuses is the key's fault. */
static http_error_kind apy_classify(long status, json_object *answer, char *detail, size_t size) {
    const char *said = http_json_string(answer, "explanation");
    if (!said)
        said = http_json_string(answer, "message");
    snprintf(detail, size, "%s", said ? said : "");
    return status == 401 || status == 403 ? HTTP_ERROR_AUTH : HTTP_ERROR_FAILED;
}

/* /listPairs: {"responseData": [{"sourceLanguage": "eng", "targetLanguage": "spa"}, ...]}. A
 * server that garbles one entry is not one to trust with the run. */
static int apy_serves_pair(const http_service_env *env, json_object *answer, xp_buf *served,
                           xlate_json_why *why) {
    json_object *pairs = xlate_json_member(answer, NULL, "responseData", json_type_array, why);
    if (!pairs)
        return -1;
    int found = 0;
    for (size_t i = 0; i < json_object_array_length(pairs); i++) {
        char at[48];
        snprintf(at, sizeof at, "responseData[%zu]", i);
        json_object *pair = xlate_json_element(pairs, "responseData", i, json_type_object, why);
        json_object *s = pair ? xlate_json_member(pair, at, "sourceLanguage", json_type_string, why)
                              : NULL;
        json_object *t = s ? xlate_json_member(pair, at, "targetLanguage", json_type_string, why)
                           : NULL;
        if (!t)
            return -1;
        const char *sv = json_object_get_string(s), *tv = json_object_get_string(t);
        xp_buf_printf(served, "%s%s|%s", served->len ? ", " : "", sv, tv);
        found |= strcmp(sv, env->source) == 0 && strcmp(tv, env->target) == 0;
    }
    return found;
}

const http_service http_service_apy = {
    .name = "apy",
    .title = "Apertium APy",
    .default_url = "http://127.0.0.1:2737",
    .path = "/translate",
    .default_key_env = "XLATE_HTTP_KEY",
    .key_required = 0,
    .max_texts = 1,
    .default_texts = 1,
    .max_chars = 0,
    .max_body_bytes = 0,
    .lang_code = apy_lang_code,
    .build = apy_build,
    .parse = apy_parse,
    .classify = apy_classify,
    .pairs_endpoint = "/listPairs",
    .serves_pair = apy_serves_pair,
};
