/*
 * json_field: typed reads of the JSON a translation server answers. Every value the http plugin
 * takes from a server's answer comes through here, so that a field that is missing or of another
 * type becomes a sentence naming it ("responseData[2].sourceLanguage is null; a string was
 * expected") instead of a NULL handed to strcmp or an object taken for an array. Sits between the
 * transport (raw bodies) and the http plugin (what the fields mean).
 *
 * json-c represents JSON's null as a NULL json_object *, so a value that is NULL here is null;
 * "missing" is known only from the lookup, which is why members are read through this module.
 */
#ifndef XLATE_HTTP_JSON_FIELD_H
#define XLATE_HTTP_JSON_FIELD_H

#include "xp_buf.h" /* XP_MUST_CHECK */

#include <json-c/json.h>
#include <stddef.h>

/* Why an answer cannot be used, once a problem was found: a path and a sentence. */
typedef struct xlate_json_why {
    char text[320];
} xlate_json_why;

/* Parses a whole answer body: `len` bytes followed by a NUL (as xp_buf keeps them); UTF-8 is
 * checked. Returns 0 with the value in *out (the caller owns it: json_object_put; NULL when the
 * answer is JSON's null), or -1 with the reason in *why, byte offset included, when the body is
 * empty, not JSON, or has more after its value. */
XP_MUST_CHECK int xlate_json_parse(const char *body, size_t len, json_object **out, xlate_json_why *why);

/* `value`, the value at `path` ("the answer" for the whole answer), when it is of type `want`;
 * else NULL with the reason in *why. Borrowed: the caller does not own what is returned. */
json_object *xlate_json_expect(json_object *value, const char *path, json_type want,
                               xlate_json_why *why);

/* The member `name` of `object` (the value at `path`) when `object` is an object and the member
 * is present and of type `want`; else NULL with the reason, naming the member path.name (name
 * alone when `path` is NULL). Borrowed from `object`. */
json_object *xlate_json_member(json_object *object, const char *path, const char *name,
                               json_type want, xlate_json_why *why);

/* Element `i` of `array` (the value at `path`, already checked to be an array of more than `i`
 * elements) when it is of type `want`; else NULL with the reason, naming path[i]. Borrowed. */
json_object *xlate_json_element(json_object *array, const char *path, size_t i, json_type want,
                                xlate_json_why *why);

#endif
