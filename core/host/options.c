/*
 * options: parses the KEY=VALUE list of a --plugin argument and checks it against the plugin's
 * option schema, so that a plugin's create() only ever sees keys it declared and values of the
 * declared type. Part of the plugin host, before any instance exists.
 */
#include "options.h"

#include <ctype.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "xlate/number.h"

struct xlate_options {
    const xlate_plugin *desc;
    char **values; /* one slot per desc->options entry; NULL when the user gave none */
};

int xlate_plugin_spec_split(const char *spec, char **name, char **options, xlate_error *err) {
    const char *colon = strchr(spec, ':');
    size_t name_len = colon ? (size_t)(colon - spec) : strlen(spec);
    if (name_len == 0) {
        xlate_error_set(err, XLATE_EINVAL,
                        "--plugin '%s': the plugin name is missing; write NAME[:KEY=VALUE,...]",
                        spec);
        return -1;
    }
    *name = strndup(spec, name_len);
    *options = strdup(colon ? colon + 1 : "");
    if (!*name || !*options) {
        free(*name);
        free(*options);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    return 0;
}

static long find_option(const xlate_plugin *desc, const char *key, size_t key_len) {
    for (size_t i = 0; i < desc->n_options; i++) {
        const char *n = desc->options[i].name;
        if (n && strlen(n) == key_len && strncmp(n, key, key_len) == 0)
            return (long)i;
    }
    return -1;
}

static char *known_option_names(const xlate_plugin *desc) {
    xlate_buf b = XLATE_BUF_INIT;
    for (size_t i = 0; i < desc->n_options; i++)
        xlate_buf_printf(&b, "%s%s", i ? ", " : "", desc->options[i].name);
    if (desc->n_options == 0)
        xlate_buf_puts(&b, "(none: this plugin takes no options)");
    return xlate_buf_steal(&b, NULL);
}

static int parse_bool_word(const char *v, int *out) {
    static const char *const yes[] = {"1", "true", "yes", "on"};
    static const char *const no[] = {"0", "false", "no", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0)
            return *out = 1, 0;
        if (strcasecmp(v, no[i]) == 0)
            return *out = 0, 0;
    }
    return -1;
}

/* Whole numbers and numbers as xlate/number.h reads them: "+5", " 5", "0x10", "1e999" and
 * "nan" are no values of an option. The plugin checks the range that its option means. */
static enum xlate_number_result parse_int_word(const char *v, long long *out) {
    int64_t x = 0;
    enum xlate_number_result r = xlate_parse_int(v, strlen(v), INT64_MIN, INT64_MAX, &x);
    if (r == XLATE_NUMBER_OK)
        *out = (long long)x;
    return r;
}

static enum xlate_number_result parse_double_word(const char *v, double *out) {
    return xlate_parse_real(v, strlen(v), -DBL_MAX, DBL_MAX, out);
}

static const char *type_word(xlate_option_type t) {
    switch (t) {
    case XLATE_OPTION_INT: return "a whole number";
    case XLATE_OPTION_BOOL: return "on or off (or yes/no, true/false, 1/0)";
    case XLATE_OPTION_DOUBLE: return "a number";
    case XLATE_OPTION_PATH: return "a path";
    default: return "text";
    }
}

enum xlate_number_result xlate_option_value_check(xlate_option_type t, const char *v) {
    long long i;
    double d;
    int b;
    switch (t) {
    case XLATE_OPTION_INT: return parse_int_word(v, &i);
    case XLATE_OPTION_BOOL: return parse_bool_word(v, &b) == 0 ? XLATE_NUMBER_OK : XLATE_NUMBER_SYNTAX;
    case XLATE_OPTION_DOUBLE: return parse_double_word(v, &d);
    default: return XLATE_NUMBER_OK;
    }
}

/* Reads one "key=value" item from *p up to an unescaped comma; unescapes "\," and "\\". */
static int next_item(const char **p, xlate_buf *item) {
    xlate_buf_reset(item);
    const char *s = *p;
    while (*s && *s != ',') {
        if (*s == '\\' && (s[1] == ',' || s[1] == '\\'))
            s++;
        if (xlate_buf_putc(item, *s++) != 0)
            return -1;
    }
    *p = *s == ',' ? s + 1 : s;
    return xlate_buf_reserve(item, 0);
}

static int store_item(xlate_options *o, const char *item, xlate_error *err) {
    const xlate_plugin *d = o->desc;
    const char *eq = strchr(item, '=');
    size_t key_len = eq ? (size_t)(eq - item) : strlen(item);
    long idx = find_option(d, item, key_len);
    if (idx < 0) {
        char *known = known_option_names(d);
        xlate_error_set(err, XLATE_EINVAL, "plugin '%s' has no option '%.*s'; its options are: %s",
                        d->name, (int)key_len, item, known ? known : "?");
        free(known);
        return -1;
    }
    const xlate_option_spec *spec = &d->options[idx];
    /* A bare boolean key ("verbose") means true, as on most command lines. */
    const char *value = eq ? eq + 1 : (spec->type == XLATE_OPTION_BOOL ? "true" : NULL);
    if (!value) {
        xlate_error_set(err, XLATE_EINVAL, "plugin '%s': option '%s' needs a value: %s=VALUE",
                        d->name, spec->name, spec->name);
        return -1;
    }
    if (o->values[idx]) {
        xlate_error_set(err, XLATE_EINVAL, "plugin '%s': option '%s' is given twice", d->name,
                        spec->name);
        return -1;
    }
    enum xlate_number_result fits = xlate_option_value_check(spec->type, value);
    if (fits == XLATE_NUMBER_RANGE) {
        xlate_error_set(err, XLATE_EINVAL,
                        "plugin '%s': option '%s' is out of range: '%s' (%s)", d->name,
                        spec->name, value,
                        spec->type == XLATE_OPTION_INT
                            ? "a whole number from -9223372036854775808 to 9223372036854775807"
                            : "a finite number");
        return -1;
    }
    if (fits != XLATE_NUMBER_OK) {
        xlate_error_set(err, XLATE_EINVAL,
                        "plugin '%s': option '%s' must be %s, not '%s'%s", d->name, spec->name,
                        type_word(spec->type), value,
                        spec->type == XLATE_OPTION_INT ? " (digits, '-' first when negative; "
                                                         "no '+', spaces or other bases)"
                        : spec->type == XLATE_OPTION_DOUBLE ? " (decimal, as 0.5 or 1e3; no '+', "
                                                              "spaces, hex, inf or nan)"
                                                            : "");
        return -1;
    }
    o->values[idx] = strdup(value);
    if (!o->values[idx]) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    return 0;
}

int xlate_options_parse(const xlate_plugin *desc, const char *text, xlate_options **out,
                        xlate_error *err) {
    xlate_options *o = calloc(1, sizeof *o);
    if (o)
        o->values = calloc(desc->n_options ? desc->n_options : 1, sizeof *o->values);
    if (!o || !o->values) {
        free(o);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    o->desc = desc;
    xlate_buf item = XLATE_BUF_INIT;
    const char *p = text ? text : "";
    int rc = 0;
    while (rc == 0 && *p) {
        if (next_item(&p, &item) != 0) {
            xlate_error_set(err, XLATE_ENOMEM, "out of memory");
            rc = -1;
        } else if (item.len > 0) {
            rc = store_item(o, item.data, err);
        }
    }
    xlate_buf_free(&item);
    if (rc != 0) {
        xlate_options_free(o);
        return -1;
    }
    *out = o;
    return 0;
}

const char *xlate_options_get(const xlate_options *o, const char *name) {
    if (!o || !name)
        return NULL;
    long idx = find_option(o->desc, name, strlen(name));
    if (idx < 0)
        return NULL;
    return o->values[idx] ? o->values[idx] : o->desc->options[idx].default_value;
}

int xlate_options_get_int(const xlate_options *o, const char *name, long long *out) {
    const char *v = xlate_options_get(o, name);
    return v && parse_int_word(v, out) == 0 ? XLATE_OK : XLATE_ENOTFOUND;
}

int xlate_options_get_bool(const xlate_options *o, const char *name, int *out) {
    const char *v = xlate_options_get(o, name);
    return v && parse_bool_word(v, out) == 0 ? XLATE_OK : XLATE_ENOTFOUND;
}

int xlate_options_get_double(const xlate_options *o, const char *name, double *out) {
    const char *v = xlate_options_get(o, name);
    return v && parse_double_word(v, out) == 0 ? XLATE_OK : XLATE_ENOTFOUND;
}

void xlate_options_free(xlate_options *o) {
    if (!o)
        return;
    for (size_t i = 0; i < o->desc->n_options; i++)
        free(o->values[i]);
    free(o->values);
    free(o);
}
