/*
 * service_deepl: the DeepL API, v2. POST /v2/translate with a JSON body {"text": [...],
 * "source_lang": "UK", "target_lang": "EN-GB", "tag_handling": "xml"}, the key in the header
 * "Authorization: DeepL-Auth-Key KEY"; up to 50 texts and 128 KiB of body a request. The answer
 * {"translations": [{"detected_source_language": "UK", "text": "..."}, ...]}, one per text in
 * order. Placeholders travel as XML elements (<x id="N"/>), which tag_handling=xml keeps. Errors:
 * 403 a key refused, 456 the quota used up, 429 and 5xx (529 too) to be retried. Source
 * languages are the base language in capitals ("UK"); targets name the variant where DeepL has
 * them: EN-GB / EN-US (plain "en" is EN-GB), PT-PT / PT-BR, ZH-HANS / ZH-HANT.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "service.h"

static void upper(char *s) {
    for (; *s; s++)
        *s = (char)toupper((unsigned char)*s);
}

static int deepl_lang_code(const char *tag, int target, char *out, size_t size) {
    char lang[16], script[8], region[8];
    if (http_tag_parts(tag, lang, sizeof lang, script, sizeof script, region, sizeof region) != 0 ||
        strlen(lang) != 2)
        return -1;
    upper(lang);
    upper(region);
    upper(script);
    const char *variant = NULL;
    if (target && strcmp(lang, "EN") == 0)
        variant = strcmp(region, "US") == 0 ? "US" : "GB";
    else if (target && strcmp(lang, "PT") == 0)
        variant = strcmp(region, "BR") == 0 ? "BR" : "PT";
    else if (target && strcmp(lang, "ZH") == 0)
        variant = strcmp(script, "HANT") == 0 || strcmp(region, "TW") == 0 ||
                          strcmp(region, "HK") == 0
                      ? "HANT"
                      : "HANS";
    int n = variant ? snprintf(out, size, "%s-%s", lang, variant) : snprintf(out, size, "%s", lang);
    return n > 0 && (size_t)n < size ? 0 : -1;
}

static int deepl_build(const http_service_env *env, http_service_request *req) {
    json_object *o = json_object_new_object(), *text = json_object_new_array();
    for (size_t i = 0; i < req->count; i++)
        json_object_array_add(text, json_object_new_string_len(req->texts[i].data ? req->texts[i].data : "",
                                                               (int)req->texts[i].len));
    json_object_object_add(o, "text", text);
    json_object_object_add(o, "source_lang", json_object_new_string(env->source));
    json_object_object_add(o, "target_lang", json_object_new_string(env->target));
    json_object_object_add(o, "tag_handling", json_object_new_string("xml"));
    xp_buf_printf(req->url, "%s/v2/translate", env->url);
    xp_buf auth = XP_BUF_INIT;
    xp_buf_printf(&auth, "DeepL-Auth-Key %s", env->key ? env->key : "");
    int rc = http_request_json(req, o);
    if (rc == 0 && (!auth.data || http_request_header(req, "Authorization", auth.data) != 0))
        rc = -1;
    if (auth.data)
        memset(auth.data, 0, auth.len);
    xp_buf_free(&auth);
    return rc == 0 && req->url->data ? 0 : -1;
}

static int deepl_parse(json_object *answer, size_t count, json_object **texts,
                       xlate_json_why *whys, xlate_json_why *why) {
    json_object *all = xlate_json_member(answer, NULL, "translations", json_type_array, why);
    if (!all)
        return -1;
    if (json_object_array_length(all) != count) {
        snprintf(why->text, sizeof why->text, "translations has %zu entries; %zu were expected, "
                 "one per text", json_object_array_length(all), count);
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        char at[48];
        snprintf(at, sizeof at, "translations[%zu]", i);
        json_object *t = xlate_json_element(all, "translations", i, json_type_object, &whys[i]);
        texts[i] = t ? xlate_json_member(t, at, "text", json_type_string, &whys[i]) : NULL;
    }
    return 0;
}

static http_error_kind deepl_classify(long status, json_object *answer, char *detail, size_t size) {
    const char *said = http_json_string(answer, "message");
    snprintf(detail, size, "%s", said ? said : status == 456 ? "Quota exceeded" : "");
    if (status == 456)
        return HTTP_ERROR_QUOTA;
    return status == 401 || status == 403 ? HTTP_ERROR_AUTH : HTTP_ERROR_FAILED;
}

const http_service http_service_deepl = {
    .name = "deepl",
    .title = "DeepL API",
    .default_url = "https://api.deepl.com",
    .path = "/v2/translate",
    .default_key_env = "DEEPL_AUTH_KEY",
    .key_required = 1,
    .max_texts = 50,
    .default_texts = 50,
    .max_chars = 0,
    .max_body_bytes = 128 * 1024,
    .lang_code = deepl_lang_code,
    .build = deepl_build,
    .parse = deepl_parse,
    .classify = deepl_classify,
};
