/*
 * options: a plugin's options as the user wrote them ("file=x.tsv,case=on"), checked against the
 * option schema in the plugin's descriptor before any instance is made. Part of the plugin host;
 * implements the opaque xlate_options of plugin.h.
 */
#ifndef XLATE_CORE_OPTIONS_H
#define XLATE_CORE_OPTIONS_H

#include <stddef.h>
#include "xlate/plugin.h"
#include "error.h"
#include "xlate/number.h"

/* Splits a --plugin argument "NAME[:KEY=VALUE,...]" into the name (or path) and the option text.
 * "\," and "\\" escape a comma and a backslash inside values. *name and *options are allocated
 * (free()); *options is "" when there are none. Returns 0, or -1 (usage error). */
XLATE_MUST_CHECK int xlate_plugin_spec_split(const char *spec, char **name, char **options, xlate_error *err);

/* Parses and validates `text` against the descriptor's schema: unknown keys (the message lists
 * the known ones), duplicate keys, values that do not fit the type are usage errors naming the
 * plugin. Returns 0 and *out (free with xlate_options_free), or -1. */
XLATE_MUST_CHECK int xlate_options_parse(const xlate_plugin *desc, const char *text, xlate_options **out,
                                         xlate_error *err);

/* The user's value, else the default, else NULL. */
/* Whether `value` is a value of an option of type `t`: XLATE_NUMBER_OK, XLATE_NUMBER_SYNTAX
 * (not of that type) or XLATE_NUMBER_RANGE (a number too large for it). The one test of what
 * --plugin gives and of the defaults a plugin declares. */
enum xlate_number_result xlate_option_value_check(xlate_option_type t, const char *value);

const char *xlate_options_get(const xlate_options *o, const char *name);
XLATE_MUST_CHECK int xlate_options_get_int(const xlate_options *o, const char *name, long long *out);
XLATE_MUST_CHECK int xlate_options_get_bool(const xlate_options *o, const char *name, int *out);
XLATE_MUST_CHECK int xlate_options_get_double(const xlate_options *o, const char *name, double *out);

void xlate_options_free(xlate_options *o);

#endif
