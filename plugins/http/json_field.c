/*
 * json_field: typed reads of a server's JSON answer, each failure explained (see json_field.h).
 */
#include "json_field.h"

#include <stdint.h>
#include <stdio.h>

/* What a type is called in a message, article included, so the sentences read as English. */
static const char *type_phrase(json_type type) {
    switch (type) {
    case json_type_null:
        return "null";
    case json_type_boolean:
        return "a boolean";
    case json_type_int:
    case json_type_double:
        return "a number";
    case json_type_string:
        return "a string";
    case json_type_array:
        return "an array";
    case json_type_object:
        return "an object";
    }
    return "a value of an unknown type";
}

static void explain(xlate_json_why *why, const char *path, const char *name, const char *found,
                    json_type want) {
    snprintf(why->text, sizeof why->text, "%s%s%s is %s; %s was expected", path ? path : "",
             path && name ? "." : "", name ? name : "", found, type_phrase(want));
}

static int is_json_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int xlate_json_parse(const char *body, size_t len, json_object **out, xlate_json_why *why) {
    *out = NULL;
    if (len == 0) {
        snprintf(why->text, sizeof why->text, "the answer is empty; JSON was expected");
        return -1;
    }
    if (len >= (size_t)INT32_MAX) { /* json-c takes an int length */
        snprintf(why->text, sizeof why->text, "the answer is too large to read: %zu bytes", len);
        return -1;
    }
    json_tokener *tok = json_tokener_new();
    if (!tok) {
        snprintf(why->text, sizeof why->text, "out of memory reading the answer");
        return -1;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_VALIDATE_UTF8);
    /* The terminating NUL goes in too: it is what ends a bare number ("42"), which json-c would
     * otherwise wait to see continue, and it makes a cut-off answer an error at its end. */
    json_object *value = json_tokener_parse_ex(tok, body, (int)len + 1);
    enum json_tokener_error err = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (err == json_tokener_continue || err == json_tokener_error_parse_eof) {
        snprintf(why->text, sizeof why->text, "the answer ends at byte %zu inside a JSON value",
                 len);
        return -1;
    }
    if (err != json_tokener_success) {
        snprintf(why->text, sizeof why->text, "the answer is not JSON: %s at byte %zu",
                 json_tokener_error_desc(err), end);
        return -1;
    }
    while (end < len && is_json_space(body[end]))
        end++;
    if (end < len) {
        json_object_put(value);
        snprintf(why->text, sizeof why->text,
                 "the answer has more after its JSON value, at byte %zu", end);
        return -1;
    }
    *out = value;
    return 0;
}

json_object *xlate_json_expect(json_object *value, const char *path, json_type want,
                               xlate_json_why *why) {
    if (json_object_get_type(value) == want)
        return value;
    explain(why, path, NULL, type_phrase(json_object_get_type(value)), want);
    return NULL;
}

json_object *xlate_json_member(json_object *object, const char *path, const char *name,
                               json_type want, xlate_json_why *why) {
    if (!json_object_is_type(object, json_type_object)) {
        explain(why, path ? path : "the answer", NULL, type_phrase(json_object_get_type(object)),
                json_type_object);
        return NULL;
    }
    json_object *value;
    if (!json_object_object_get_ex(object, name, &value)) {
        explain(why, path, name, "missing", want);
        return NULL;
    }
    if (json_object_get_type(value) == want)
        return value;
    explain(why, path, name, type_phrase(json_object_get_type(value)), want);
    return NULL;
}

json_object *xlate_json_element(json_object *array, const char *path, size_t i, json_type want,
                                xlate_json_why *why) {
    json_object *value = json_object_array_get_idx(array, i);
    if (json_object_get_type(value) == want)
        return value;
    char at[160];
    snprintf(at, sizeof at, "%s[%zu]", path, i);
    explain(why, at, NULL, type_phrase(json_object_get_type(value)), want);
    return NULL;
}
