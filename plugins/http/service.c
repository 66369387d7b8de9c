/*
 * service: the table of the http plugin's services and the helpers their modules share
 * (service.h): language tags taken apart, headers, JSON and form bodies.
 */
#include "service.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

static const http_service *const services[] = {
    &http_service_apy,    &http_service_libretranslate, &http_service_deepl,
    &http_service_google, &http_service_microsoft,      &http_service_modernmt,
};

const http_service *http_service_find(const char *name) {
    for (size_t i = 0; name && i < sizeof services / sizeof services[0]; i++)
        if (strcmp(services[i]->name, name) == 0)
            return services[i];
    return NULL;
}

const char *http_service_names(void) {
    return "apy, libretranslate, deepl, google, microsoft or modernmt";
}

/* Copies [s, s+n) into out when it fits. */
static int copy_part(const char *s, size_t n, char *out, size_t size) {
    if (n >= size)
        return -1;
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

int http_tag_parts(const char *tag, char *lang, size_t lang_size, char *script, size_t script_size,
                   char *region, size_t region_size) {
    script[0] = region[0] = '\0';
    size_t n = strcspn(tag, "-_");
    if (n == 0 || copy_part(tag, n, lang, lang_size) != 0)
        return -1;
    const char *at = tag + n;
    while (*at) {
        at++;
        size_t len = strcspn(at, "-_");
        int alpha = 1;
        for (size_t i = 0; i < len; i++)
            alpha &= (at[i] >= 'a' && at[i] <= 'z') || (at[i] >= 'A' && at[i] <= 'Z');
        if (len == 4 && alpha && !script[0] && !region[0]) {
            if (copy_part(at, len, script, script_size) != 0)
                return -1;
        } else if (((len == 2 && alpha) || (len == 3 && !alpha)) && !region[0]) {
            if (copy_part(at, len, region, region_size) != 0)
                return -1;
        } else {
            break; /* variants and extensions are no service's business */
        }
        at += len;
    }
    return 0;
}

int http_request_header(http_service_request *req, const char *name, const char *value) {
    if (req->n_headers >= HTTP_SERVICE_MAX_HEADERS)
        return -1;
    size_t len = strlen(name) + strlen(value) + 3;
    char *h = malloc(len);
    if (!h)
        return -1;
    strcpy(h, name);
    strcat(h, ": ");
    strcat(h, value);
    req->headers[req->n_headers++] = h;
    req->headers[req->n_headers] = NULL;
    return 0;
}

int http_request_json(http_service_request *req, json_object *object) {
    if (!object)
        return -1;
    size_t len = 0;
    const char *text = json_object_to_json_string_length(object, JSON_C_TO_STRING_PLAIN |
                                                                     JSON_C_TO_STRING_NOSLASHESCAPE,
                                                         &len);
    int rc = text ? xp_buf_append(req->body, text, len) : -1;
    json_object_put(object);
    req->json = 1;
    return rc;
}

void http_form_field(xp_buf *body, const char *name, const char *value, size_t len) {
    char *escaped = curl_easy_escape(NULL, value, (int)len);
    int first = body->len == 0 || body->data[body->len - 1] == '?';
    xp_buf_printf(body, "%s%s=%s", first ? "" : "&", name, escaped ? escaped : "");
    curl_free(escaped);
}

const char *http_json_string(json_object *o, const char *name) {
    json_object *v = NULL;
    if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, name, &v) ||
        !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}
