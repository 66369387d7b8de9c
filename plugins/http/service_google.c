/*
 * service_google: Google Cloud Translation, v2 ("Basic"). POST /language/translate/v2?key=KEY
 * with a form body: q repeated (up to 128 texts a request), source, target, format=html; the
 * answer {"data": {"translations": [{"translatedText": "..."}, ...]}}, one per q in order. Google
 * keeps HTML tags out of the translation, so placeholders travel as <x id="N"/>. Its limit on
 * size is a recommendation (at most 30,000 code points a request), kept here as the limit; the
 * body is bounded at 200 KiB. Errors {"error": {"code", "message", "errors": [{"reason"}]}}: 403
 * dailyLimitExceeded / quotaExceeded the quota used up; 400 with API_KEY_INVALID (keyInvalid)
 * and other 401/403 a key refused (but 403 userRateLimitExceeded: a rate, failed like any
 * other error); 429 and 5xx retried. Codes are ISO 639-1, Chinese as zh-CN / zh-TW.
 */
#include <stdio.h>
#include <string.h>

#include "service.h"

static int google_lang_code(const char *tag, int target, char *out, size_t size) {
    (void)target;
    char lang[16], script[8], region[8];
    if (http_tag_parts(tag, lang, sizeof lang, script, sizeof script, region, sizeof region) != 0)
        return -1;
    const char *code = lang;
    if (strcmp(lang, "zh") == 0)
        code = strcmp(script, "Hant") == 0 || strcmp(region, "TW") == 0 || strcmp(region, "HK") == 0
                   ? "zh-TW"
                   : "zh-CN";
    else if (strcmp(lang, "pt") == 0 && strcmp(region, "PT") == 0)
        code = "pt-PT";
    int n = snprintf(out, size, "%s", code);
    return n > 0 && (size_t)n < size ? 0 : -1;
}

static int google_build(const http_service_env *env, http_service_request *req) {
    xp_buf_printf(req->url, "%s/language/translate/v2?", env->url);
    http_form_field(req->url, "key", env->key ? env->key : "", env->key ? strlen(env->key) : 0);
    for (size_t i = 0; i < req->count; i++)
        http_form_field(req->body, "q", req->texts[i].data ? req->texts[i].data : "", req->texts[i].len);
    http_form_field(req->body, "source", env->source, strlen(env->source));
    http_form_field(req->body, "target", env->target, strlen(env->target));
    http_form_field(req->body, "format", "html", 4);
    return req->url->data && req->body->data ? 0 : -1;
}

static int google_parse(json_object *answer, size_t count, json_object **texts,
                        xlate_json_why *whys, xlate_json_why *why) {
    json_object *data = xlate_json_member(answer, NULL, "data", json_type_object, why);
    json_object *all = data ? xlate_json_member(data, "data", "translations", json_type_array, why)
                            : NULL;
    if (!all)
        return -1;
    if (json_object_array_length(all) != count) {
        snprintf(why->text, sizeof why->text, "data.translations has %zu entries; %zu were "
                 "expected, one per q", json_object_array_length(all), count);
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        char at[48];
        snprintf(at, sizeof at, "data.translations[%zu]", i);
        json_object *t = xlate_json_element(all, "data.translations", i, json_type_object, &whys[i]);
        texts[i] = t ? xlate_json_member(t, at, "translatedText", json_type_string, &whys[i]) : NULL;
    }
    return 0;
}

/* The first of error.errors[].reason, which tells a used-up quota from a refused key. */
static const char *first_reason(json_object *error) {
    json_object *errors = NULL;
    if (!error || !json_object_object_get_ex(error, "errors", &errors) ||
        !json_object_is_type(errors, json_type_array) || json_object_array_length(errors) == 0)
        return NULL;
    return http_json_string(json_object_array_get_idx(errors, 0), "reason");
}

/* A key Google does not know comes back as 400 badRequest, with API_KEY_INVALID in the error's
 * details (google.rpc.ErrorInfo). */
static int key_invalid(json_object *error, const char *reason) {
    json_object *details = NULL;
    if (reason && strcmp(reason, "keyInvalid") == 0)
        return 1;
    if (!error || !json_object_object_get_ex(error, "details", &details) ||
        !json_object_is_type(details, json_type_array))
        return 0;
    for (size_t i = 0; i < json_object_array_length(details); i++) {
        const char *r = http_json_string(json_object_array_get_idx(details, i), "reason");
        if (r && strcmp(r, "API_KEY_INVALID") == 0)
            return 1;
    }
    return 0;
}

static http_error_kind google_classify(long status, json_object *answer, char *detail, size_t size) {
    json_object *error = NULL;
    if (answer && json_object_is_type(answer, json_type_object))
        json_object_object_get_ex(answer, "error", &error);
    const char *said = http_json_string(error, "message"), *reason = first_reason(error);
    if (key_invalid(error, reason))
        reason = "keyInvalid";
    snprintf(detail, size, "%s%s%s%s", said ? said : "", reason ? " (" : "", reason ? reason : "",
             reason ? ")" : "");
    if (reason && (strcmp(reason, "dailyLimitExceeded") == 0 || strcmp(reason, "quotaExceeded") == 0 ||
                   strcmp(reason, "billingNotEnabled") == 0))
        return HTTP_ERROR_QUOTA;
    if (status == 401 || status == 403 || strcmp(reason ? reason : "", "keyInvalid") == 0)
        return reason && (strcmp(reason, "userRateLimitExceeded") == 0 ||
                          strcmp(reason, "rateLimitExceeded") == 0)
                   ? HTTP_ERROR_FAILED
                   : HTTP_ERROR_AUTH;
    return HTTP_ERROR_FAILED;
}

const http_service http_service_google = {
    .name = "google",
    .title = "Google Cloud Translation (v2)",
    .default_url = "https://translation.googleapis.com",
    .path = "/language/translate/v2",
    .default_key_env = "GOOGLE_API_KEY",
    .key_required = 1,
    .max_texts = 128,
    .default_texts = 128,
    .max_chars = 30000,
    .max_body_bytes = 200 * 1024,
    .lang_code = google_lang_code,
    .build = google_build,
    .parse = google_parse,
    .classify = google_classify,
};
