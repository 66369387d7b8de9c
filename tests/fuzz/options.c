/*
 * Harness: a --plugin argument as a user types it, "NAME[:KEY=VALUE,...]" with "\," and "\\"
 * escapes (core/host/options.h): split into the name and the option text, then parsed against a
 * descriptor's option schema with an option of every type, then each value read back by type.
 * The input is the argument itself, up to its first NUL, as it comes from the command line.
 */
#include "fuzz.h"

#include "options.h"

static const xlate_option_spec specs[] = {
    {"file", XLATE_OPTION_PATH, NULL, "a term map"},
    {"dict", XLATE_OPTION_PATH, "/usr/share/hunspell/uk_UA", "a dictionary"},
    {"case", XLATE_OPTION_BOOL, "off", "match case"},
    {"batch", XLATE_OPTION_INT, "32", "segments per request"},
    {"timeout", XLATE_OPTION_INT, NULL, "seconds"},
    {"ratio", XLATE_OPTION_DOUBLE, "0.5", "a ratio"},
    {"api", XLATE_OPTION_STRING, "apy", "apy or libretranslate"},
    {"key_env", XLATE_OPTION_STRING, NULL, "a variable"},
};

static const xlate_plugin with_options = {
    .abi_version = XLATE_ABI_VERSION, .struct_size = sizeof(xlate_plugin),
    .name = "fuzzed", .version = "1.0", .description = "a schema with every option type",
    .kind = XLATE_KIND_FILTER, .options = specs, .n_options = sizeof specs / sizeof *specs,
};

static const xlate_plugin without_options = {
    .abi_version = XLATE_ABI_VERSION, .struct_size = sizeof(xlate_plugin),
    .name = "bare", .version = "1.0", .description = "no options", .kind = XLATE_KIND_FILTER,
};

static void read_back(const xlate_plugin *desc, const xlate_options *o) {
    for (size_t i = 0; i < desc->n_options; i++) {
        const xlate_option_spec *s = &desc->options[i];
        long long n;
        int b;
        double d;
        switch (s->type) {
        /* a value the parser let through reads back as its type */
        case XLATE_OPTION_INT:
            if (xlate_options_get_int(o, s->name, &n) != 0 && xlate_options_get(o, s->name))
                abort();
            break;
        case XLATE_OPTION_BOOL:
            if (xlate_options_get_bool(o, s->name, &b) != 0 && xlate_options_get(o, s->name))
                abort();
            break;
        case XLATE_OPTION_DOUBLE:
            if (xlate_options_get_double(o, s->name, &d) != 0 && xlate_options_get(o, s->name))
                abort();
            break;
        default: break;
        }
    }
    if (xlate_options_get(o, "no-such-option"))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *spec = fuzz_strndup(data, size);
    char *name = NULL, *text = NULL;
    xlate_error err = {0};
    if (xlate_plugin_spec_split(spec, &name, &text, &err) != 0) {
        if (!err.message)
            abort();
        xlate_error_clear(&err);
        free(spec);
        return 0;
    }
    const xlate_plugin *desc = name[0] == 'b' ? &without_options : &with_options;
    xlate_options *o = NULL;
    if (xlate_options_parse(desc, text, &o, &err) == 0) {
        read_back(desc, o);
        xlate_options_free(o);
    } else if (!err.message) {
        abort();
    }
    xlate_error_clear(&err);
    free(name);
    free(text);
    free(spec);
    return 0;
}
