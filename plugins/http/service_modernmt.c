/*
 * service_modernmt: the ModernMT API. POST /translate with the header "X-HTTP-Method-Override:
 * GET" (the API's translate is a GET whose parameters may travel in a body), the key in the header
 * MMT-ApiKey and a JSON body {"source": "uk", "target": "en", "q": [...]} (up to 128 texts and
 * 10,000 characters a request: what ModernMT's clients keep under). The answer {"status": 200,
 * "data": [{"translation": "..."}, ...]}, one per q in order; ModernMT handles XML tags in the text
 * itself, so placeholders travel as <x id="N"/>. Errors {"status": N, "error": {"type",
 * "message"}}: 401/403 a key refused, 402 or an error type about quota or billing the quota used
 * up, 429 and 5xx retried. Codes are ISO 639-1, Chinese as zh-CN / zh-TW, pt-BR / pt-PT kept.
 */
#include <stdio.h>
#include <string.h>

#include "service.h"

static int modernmt_lang_code(const char *tag, int target, char *out, size_t size) {
    (void)target;
    char lang[16], script[8], region[8];
    if (http_tag_parts(tag, lang, sizeof lang, script, sizeof script, region, sizeof region) != 0)
        return -1;
    int n;
    if (strcmp(lang, "zh") == 0)
        n = snprintf(out, size, "zh-%s", strcmp(script, "Hant") == 0 || strcmp(region, "TW") == 0 ||
                                                 strcmp(region, "HK") == 0
                                             ? "TW"
                                             : "CN");
    else if (strcmp(lang, "pt") == 0 && (strcmp(region, "PT") == 0 || strcmp(region, "BR") == 0))
        n = snprintf(out, size, "pt-%s", region);
    else
        n = snprintf(out, size, "%s", lang);
    return n > 0 && (size_t)n < size ? 0 : -1;
}

static int modernmt_build(const http_service_env *env, http_service_request *req) {
    json_object *o = json_object_new_object(), *q = json_object_new_array();
    for (size_t i = 0; i < req->count; i++)
        json_object_array_add(q, json_object_new_string_len(req->texts[i].data ? req->texts[i].data : "",
                                                            (int)req->texts[i].len));
    json_object_object_add(o, "source", json_object_new_string(env->source));
    json_object_object_add(o, "target", json_object_new_string(env->target));
    json_object_object_add(o, "q", q);
    xp_buf_printf(req->url, "%s/translate", env->url);
    int rc = http_request_json(req, o);
    if (rc == 0)
        rc = http_request_header(req, "MMT-ApiKey", env->key ? env->key : "");
    if (rc == 0)
        rc = http_request_header(req, "X-HTTP-Method-Override", "GET");
    if (rc == 0)
        rc = http_request_header(req, "MMT-Platform", "xlate");
    return rc == 0 && req->url->data ? 0 : -1;
}

static int modernmt_parse(json_object *answer, size_t count, json_object **texts,
                          xlate_json_why *whys, xlate_json_why *why) {
    json_object *all = xlate_json_member(answer, NULL, "data", json_type_array, why);
    if (!all)
        return -1;
    if (json_object_array_length(all) != count) {
        snprintf(why->text, sizeof why->text, "data has %zu entries; %zu were expected, one per q",
                 json_object_array_length(all), count);
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        char at[32];
        snprintf(at, sizeof at, "data[%zu]", i);
        json_object *t = xlate_json_element(all, "data", i, json_type_object, &whys[i]);
        texts[i] = t ? xlate_json_member(t, at, "translation", json_type_string, &whys[i]) : NULL;
    }
    return 0;
}

static http_error_kind modernmt_classify(long status, json_object *answer, char *detail, size_t size) {
    json_object *error = NULL;
    if (answer && json_object_is_type(answer, json_type_object))
        json_object_object_get_ex(answer, "error", &error);
    const char *said = http_json_string(error, "message"), *type = http_json_string(error, "type");
    snprintf(detail, size, "%s%s%s%s", said ? said : "", type ? " (" : "", type ? type : "",
             type ? ")" : "");
    if (status == 402 || (type && (strstr(type, "Quota") || strstr(type, "Billing"))))
        return HTTP_ERROR_QUOTA;
    return status == 401 || status == 403 ? HTTP_ERROR_AUTH : HTTP_ERROR_FAILED;
}

const http_service http_service_modernmt = {
    .name = "modernmt",
    .title = "ModernMT API",
    .default_url = "https://api.modernmt.com",
    .path = "/translate",
    .default_key_env = "MODERNMT_API_KEY",
    .key_required = 1,
    .max_texts = 128,
    .default_texts = 128,
    .max_chars = 10000,
    .max_body_bytes = 0,
    .lang_code = modernmt_lang_code,
    .build = modernmt_build,
    .parse = modernmt_parse,
    .classify = modernmt_classify,
};
