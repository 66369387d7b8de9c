/*
 * input_options: the command-line options of the first two stages of the data path (decode and
 * normalize) and of output encoding, shared by every subcommand that reads text. Parsing only:
 * values are checked here so that a bad one is a usage error before any file is read.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "codepage.h"

/* The apostrophe forms --apostrophe accepts, by name, by code point or as the character. */
static const struct apostrophe_form {
    const char *name, *code, *utf8;
} apostrophe_forms[] = {
    {"modifier", "U+02BC", "\xCA\xBC"},
    {"right-quote", "U+2019", "\xE2\x80\x99"},
    {"ascii", "U+0027", "'"},
};

static const char *apostrophe_by_word(const char *word) {
    for (size_t i = 0; i < sizeof apostrophe_forms / sizeof apostrophe_forms[0]; i++) {
        const struct apostrophe_form *f = &apostrophe_forms[i];
        if (strcasecmp(word, f->name) == 0 || strcasecmp(word, f->code) == 0 ||
            strcmp(word, f->utf8) == 0)
            return f->utf8;
    }
    return NULL;
}

static int bad_value(xlate_error *err, const char *option, const char *value, const char *allowed) {
    xlate_error_set(err, XLATE_EINVAL, "--%s: '%s' is not one of: %s", option, value, allowed);
    return -1;
}

static int check_encoding(const char *option, const char *name, xlate_error *err) {
    xlate_encoding_name en;
    if (xlate_encoding_resolve(name, &en, err) == 0)
        return 0;
    xlate_error_prefix(err, "--%s", option);
    return -1;
}

int xlate_input_settings_apply(xlate_input_settings *s, int opt, const char *arg, xlate_error *err) {
    switch (opt) {
    case XLATE_OPT_ENCODING:
        if (strcasecmp(arg, "auto") != 0 && check_encoding("encoding", arg, err) != 0)
            return -1;
        s->decode.encoding = arg;
        return 1;
    case XLATE_OPT_ON_INVALID:
        if (xlate_on_invalid_parse(arg, &s->decode.on_invalid) != 0)
            return bad_value(err, "on-invalid", arg, "error, replace, skip");
        return 1;
    case XLATE_OPT_NO_REPAIR:
        s->decode.repair_mojibake = 0;
        return 1;
    case XLATE_OPT_NORMALIZE:
        if (xlate_norm_form_parse(arg, &s->normalize.form) != 0)
            return bad_value(err, "normalize", arg, "nfc, nfkc, none");
        return 1;
    case XLATE_OPT_APOSTROPHE: {
        const char *form = apostrophe_by_word(arg);
        if (!form)
            return bad_value(err, "apostrophe", arg,
                             "modifier (U+02BC), right-quote (U+2019), ascii (U+0027)");
        s->normalize.apostrophe = form;
        return 1;
    }
    case XLATE_OPT_NO_APOSTROPHE:
        s->normalize.apostrophe = NULL;
        return 1;
    case XLATE_OPT_NO_HOMOGLYPHS:
        s->normalize.fix_homoglyphs = 0;
        return 1;
    case XLATE_OPT_OUTPUT_ENCODING:
        if (check_encoding("output-encoding", arg, err) != 0)
            return -1;
        s->output_encoding = arg;
        return 1;
    case XLATE_OPT_OUTPUT_REPLACE:
        s->output_replace = 1;
        return 1;
    default:
        return 0;
    }
}

const char *xlate_input_settings_help(void) {
    return "Input options:\n"
           "  --encoding NAME        encoding of the input: auto (default: BOM, UTF-8, UTF-16/32,\n"
           "                         then the Cyrillic and Western code pages by language\n"
           "                         statistics) or a name: utf-8, cp1251, koi8-u, koi8-r, cp1125,\n"
           "                         cp866, iso-8859-5, mac-cyrillic, utf-16, ... (iconv -l)\n"
           "  --on-invalid=ACTION    bytes not valid in the encoding: error (default: stop, naming\n"
           "                         the byte offset), replace (U+FFFD), skip\n"
           "  --no-repair            under auto, keep mojibake (UTF-8 read as cp1251, KOI8-R,\n"
           "                         cp1252 or Latin-1) as it is instead of undoing it\n"
           "  --normalize=FORM       nfc (default), nfkc or none\n"
           "  --apostrophe=FORM      apostrophe inside Cyrillic words: modifier (U+02BC, default),\n"
           "                         right-quote (U+2019) or ascii (U+0027)\n"
           "  --keep-apostrophes     leave apostrophes as they are\n"
           "  --no-homoglyphs        keep Latin look-alike letters inside Cyrillic words (and the\n"
           "                         reverse) instead of fixing them\n"
           "  --output-encoding NAME write text output in this encoding (default UTF-8)\n"
           "  --output-replace       write '?' for a character the output encoding lacks instead\n"
           "                         of stopping with an error\n";
}
