/*
 * service_libretranslate: LibreTranslate. POST /translate with JSON {"q": [...], "source",
 * "target", "format": "html", "api_key"}; the answer {"translatedText": [...]}, one entry per q.
 * GET /languages at start: [{"code": "en", "targets": ["es", ...]}, ...]. Its codes are the
 * two-letter ones xlate uses.
 */
#include <stdio.h>
#include <string.h>

#include "service.h"

static int lt_lang_code(const char *tag, int target, char *out, size_t size) {
    (void)target;
    return snprintf(out, size, "%s", tag) < (int)size ? 0 : -1;
}

static int lt_build(const http_service_env *env, http_service_request *req) {
    json_object *o = json_object_new_object(), *q = json_object_new_array();
    for (size_t i = 0; i < req->count; i++)
        json_object_array_add(q, json_object_new_string_len(req->texts[i].data ? req->texts[i].data : "",
                                                            (int)req->texts[i].len));
    json_object_object_add(o, "q", q);
    json_object_object_add(o, "source", json_object_new_string(env->source));
    json_object_object_add(o, "target", json_object_new_string(env->target));
    json_object_object_add(o, "format", json_object_new_string("html"));
    if (env->key)
        json_object_object_add(o, "api_key", json_object_new_string(env->key));
    xp_buf_printf(req->url, "%s/translate", env->url);
    return http_request_json(req, o) == 0 && req->url->data ? 0 : -1;
}

/* An entry of translatedText that is not text fails its own segment only. */
static int lt_parse(json_object *answer, size_t count, json_object **texts, xlate_json_why *whys,
                    xlate_json_why *why) {
    json_object *all = xlate_json_member(answer, NULL, "translatedText", json_type_array, why);
    if (!all)
        return -1;
    if (json_object_array_length(all) != count) {
        snprintf(why->text, sizeof why->text, "translatedText has %zu entries; %zu were expected, "
                 "one per q", json_object_array_length(all), count);
        return -1;
    }
    for (size_t i = 0; i < count; i++)
        texts[i] = xlate_json_element(all, "translatedText", i, json_type_string, &whys[i]);
    return 0;
}

static http_error_kind lt_classify(long status, json_object *answer, char *detail, size_t size) {
    const char *said = http_json_string(answer, "error");
    snprintf(detail, size, "%s", said ? said : "");
    return status == 401 || status == 403 ? HTTP_ERROR_AUTH : HTTP_ERROR_FAILED;
}

static int lt_serves_pair(const http_service_env *env, json_object *answer, xp_buf *served,
                          xlate_json_why *why) {
    if (!xlate_json_expect(answer, "the answer", json_type_array, why))
        return -1;
    int found = 0;
    for (size_t i = 0; i < json_object_array_length(answer); i++) {
        char at[48], targets_at[64];
        snprintf(at, sizeof at, "[%zu]", i);
        snprintf(targets_at, sizeof targets_at, "[%zu].targets", i);
        json_object *lang = xlate_json_element(answer, "", i, json_type_object, why);
        json_object *code = lang ? xlate_json_member(lang, at, "code", json_type_string, why) : NULL;
        json_object *targets = code ? xlate_json_member(lang, at, "targets", json_type_array, why)
                                    : NULL;
        if (!targets)
            return -1;
        for (size_t k = 0; k < json_object_array_length(targets); k++) {
            json_object *t = xlate_json_element(targets, targets_at, k, json_type_string, why);
            if (!t)
                return -1;
            const char *sv = json_object_get_string(code), *tv = json_object_get_string(t);
            xp_buf_printf(served, "%s%s|%s", served->len ? ", " : "", sv, tv);
            found |= strcmp(sv, env->source) == 0 && strcmp(tv, env->target) == 0;
        }
    }
    return found;
}

const http_service http_service_libretranslate = {
    .name = "libretranslate",
    .title = "LibreTranslate",
    .default_url = "http://127.0.0.1:5000",
    .path = "/translate",
    .default_key_env = "XLATE_HTTP_KEY",
    .key_required = 0,
    .max_texts = 1000,
    .default_texts = 32,
    .max_chars = 0,
    .max_body_bytes = 0,
    .lang_code = lt_lang_code,
    .build = lt_build,
    .parse = lt_parse,
    .classify = lt_classify,
    .pairs_endpoint = "/languages",
    .serves_pair = lt_serves_pair,
};
