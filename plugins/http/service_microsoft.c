/*
 * service_microsoft: Azure AI Translator (Microsoft Translator), v3. POST
 * /translate?api-version=3.0&from=uk&to=en&textType=html with a JSON array [{"Text": "..."}, ...]
 * (up to 1,000 elements and 50,000 characters a request), the key in the header
 * Ocp-Apim-Subscription-Key and the resource's region in Ocp-Apim-Subscription-Region (option
 * region=; a global resource needs none). The answer [{"translations": [{"text": "...", "to":
 * "en"}]}, ...], one per element in order. textType=html keeps placeholders (<x id="N"/>) out of
 * the translation. Errors {"error": {"code": 403001, "message": ...}}: 401 a key refused, 403001
 * the free quota used up (other 403s: not allowed for this key), 429 and 5xx retried. Codes are
 * ISO 639-1 but Chinese (zh-Hans, zh-Hant), Portuguese of Portugal (pt-PT) and Serbian's scripts.
 */
#include <stdio.h>
#include <string.h>

#include "service.h"

static int microsoft_lang_code(const char *tag, int target, char *out, size_t size) {
    (void)target;
    char lang[16], script[8], region[8];
    if (http_tag_parts(tag, lang, sizeof lang, script, sizeof script, region, sizeof region) != 0)
        return -1;
    int n;
    if (strcmp(lang, "zh") == 0)
        n = snprintf(out, size, "zh-%s", strcmp(script, "Hant") == 0 || strcmp(region, "TW") == 0 ||
                                                 strcmp(region, "HK") == 0
                                             ? "Hant"
                                             : "Hans");
    else if (strcmp(lang, "pt") == 0 && strcmp(region, "PT") == 0)
        n = snprintf(out, size, "pt-PT");
    else if (strcmp(lang, "sr") == 0)
        n = snprintf(out, size, "sr-%s", strcmp(script, "Latn") == 0 ? "Latn" : "Cyrl");
    else
        n = snprintf(out, size, "%s", lang);
    return n > 0 && (size_t)n < size ? 0 : -1;
}

static int microsoft_build(const http_service_env *env, http_service_request *req) {
    json_object *all = json_object_new_array();
    for (size_t i = 0; i < req->count; i++) {
        json_object *e = json_object_new_object();
        json_object_object_add(e, "Text", json_object_new_string_len(req->texts[i].data ? req->texts[i].data : "",
                                                                     (int)req->texts[i].len));
        json_object_array_add(all, e);
    }
    xp_buf_printf(req->url, "%s/translate?api-version=3.0", env->url);
    http_form_field(req->url, "from", env->source, strlen(env->source));
    http_form_field(req->url, "to", env->target, strlen(env->target));
    http_form_field(req->url, "textType", "html", 4);
    int rc = http_request_json(req, all);
    if (rc == 0)
        rc = http_request_header(req, "Ocp-Apim-Subscription-Key", env->key ? env->key : "");
    if (rc == 0 && env->region && *env->region)
        rc = http_request_header(req, "Ocp-Apim-Subscription-Region", env->region);
    return rc == 0 && req->url->data ? 0 : -1;
}

static int microsoft_parse(json_object *answer, size_t count, json_object **texts,
                           xlate_json_why *whys, xlate_json_why *why) {
    if (!xlate_json_expect(answer, "the answer", json_type_array, why))
        return -1;
    if (json_object_array_length(answer) != count) {
        snprintf(why->text, sizeof why->text, "the answer has %zu entries; %zu were expected, one "
                 "per element sent", json_object_array_length(answer), count);
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        char at[32], tr_at[48], first_at[64];
        snprintf(at, sizeof at, "[%zu]", i);
        snprintf(tr_at, sizeof tr_at, "[%zu].translations", i);
        snprintf(first_at, sizeof first_at, "[%zu].translations[0]", i);
        json_object *e = xlate_json_element(answer, "", i, json_type_object, &whys[i]);
        json_object *tr = e ? xlate_json_member(e, at, "translations", json_type_array, &whys[i]) : NULL;
        if (tr && json_object_array_length(tr) == 0) {
            snprintf(whys[i].text, sizeof whys[i].text, "%s is empty; one translation was expected",
                     tr_at);
            tr = NULL;
        }
        json_object *t = tr ? xlate_json_element(tr, tr_at, 0, json_type_object, &whys[i]) : NULL;
        texts[i] = t ? xlate_json_member(t, first_at, "text", json_type_string, &whys[i]) : NULL;
    }
    return 0;
}

static http_error_kind microsoft_classify(long status, json_object *answer, char *detail, size_t size) {
    json_object *error = NULL, *code = NULL;
    if (answer && json_object_is_type(answer, json_type_object))
        json_object_object_get_ex(answer, "error", &error);
    const char *said = http_json_string(error, "message");
    long long n = error && json_object_object_get_ex(error, "code", &code) &&
                          json_object_is_type(code, json_type_int)
                      ? json_object_get_int64(code)
                      : 0;
    if (n)
        snprintf(detail, size, "%s (code %lld)", said ? said : "", n);
    else
        snprintf(detail, size, "%s", said ? said : "");
    if (n == 403001)
        return HTTP_ERROR_QUOTA;
    return status == 401 || status == 403 ? HTTP_ERROR_AUTH : HTTP_ERROR_FAILED;
}

const http_service http_service_microsoft = {
    .name = "microsoft",
    .title = "Microsoft Translator (v3)",
    .default_url = "https://api.cognitive.microsofttranslator.com",
    .path = "/translate",
    .default_key_env = "AZURE_TRANSLATOR_KEY",
    .key_required = 1,
    .max_texts = 1000,
    .default_texts = 1000,
    .max_chars = 50000,
    .max_body_bytes = 0,
    .lang_code = microsoft_lang_code,
    .build = microsoft_build,
    .parse = microsoft_parse,
    .classify = microsoft_classify,
};
