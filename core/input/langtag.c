/*
 * langtag: checks the run's language tags (--from, --to) before the data path starts, so that a
 * typo ("xx", "english", "en_GB") is a usage error instead of a run whose segmenter, plugins and
 * TMX carry a language nobody has. ICU parses the tag (uloc_forLanguageTag, whole tag or
 * nothing), knows the ISO 639 languages, ISO 15924 scripts and ISO 3166 / UN M.49 regions, and
 * writes the canonical tag that every later stage sees.
 */
#include "langtag.h"

#include <string.h>
#include <strings.h>
#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/uregion.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>

#define EXAMPLES "give a BCP 47 language tag: an ISO 639 language code, optionally with a script " \
                 "and a region, such as uk, en, en-GB, pt-BR, zh-Hant or sr-Latn, or a private-use " \
                 "tag such as x-upper or en-x-foo"

/* The ICU locale ID of a tag that parses whole, or -1 ("en-", "en_GB", "e" do not). */
static int parse_whole(const char *tag, char *locale, size_t size) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t parsed = 0;
    uloc_forLanguageTag(tag, locale, (int32_t)size, &parsed, &status);
    return U_SUCCESS(status) && status != U_STRING_NOT_TERMINATED_WARNING &&
                   (size_t)parsed == strlen(tag) && tag[0]
               ? 0
               : -1;
}

/* 1 when `name` is the English or native name of the ISO 639 language `code`, ignoring case. */
static int is_name_of(const UChar *name, const char *code) {
    const char *in[] = {"en", code};
    for (size_t i = 0; i < 2; i++) {
        UChar display[128];
        UErrorCode status = U_ZERO_ERROR;
        int32_t n = uloc_getDisplayLanguage(code, in[i], display, 128, &status);
        if (U_SUCCESS(status) && n > 0 && n < 128 &&
            u_strCaseCompare(name, -1, display, n, U_FOLD_CASE_DEFAULT, &status) == 0 &&
            U_SUCCESS(status))
            return 1;
    }
    return 0;
}

/* The ISO 639 code whose English or native name `word` is ("english" → "en"), or NULL: only
 * asked when a tag was refused, to say which tag the user meant. */
static const char *code_named(const char *word) {
    UChar name[128];
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8(name, 128, NULL, word, -1, &status);
    if (U_FAILURE(status) || status == U_STRING_NOT_TERMINATED_WARNING)
        return NULL;
    for (const char *const *code = uloc_getISOLanguages(); *code; code++)
        if (is_name_of(name, *code))
            return *code;
    return NULL;
}

static int refuse_name(const char *code, xlate_error *err) {
    xlate_error_set(err, XLATE_EINVAL, "a language's name, not a BCP 47 language tag: write %s",
                    code);
    return -1;
}

static int refuse_unparsed(const char *tag, xlate_error *err) {
    char fixed[XLATE_LANGTAG_MAX], locale[ULOC_FULLNAME_CAPACITY];
    size_t n = strlen(tag);
    const char *named = n < sizeof fixed ? code_named(tag) : NULL;
    if (named) {
        return refuse_name(named, err);
    }
    if (n < sizeof fixed && strchr(tag, '_')) {
        for (size_t i = 0; i <= n; i++)
            fixed[i] = tag[i] == '_' ? '-' : tag[i];
        if (parse_whole(fixed, locale, sizeof locale) == 0) {
            xlate_error_set(err, XLATE_EINVAL, "subtags are joined with '-' in BCP 47: write %s",
                            fixed);
            return -1;
        }
    }
    xlate_error_set(err, XLATE_EINVAL, "not a BCP 47 language tag; " EXAMPLES);
    return -1;
}

static int check_language(const char *locale, xlate_error *err) {
    char language[ULOC_LANG_CAPACITY] = "";
    UErrorCode status = U_ZERO_ERROR;
    uloc_getLanguage(locale, language, sizeof language, &status);
    if (U_FAILURE(status) || !language[0]) {
        xlate_error_set(err, XLATE_EINVAL, "the tag names no language; " EXAMPLES);
        return -1;
    }
    /* ICU has a three-letter code for every ISO 639 language it knows, and none for "xx",
     * "english" or the private-use range qaa–qtz. */
    if (!uloc_getISO3Language(locale)[0]) {
        const char *named = code_named(language);
        if (named)
            return refuse_name(named, err);
        xlate_error_set(err, XLATE_EINVAL, "%s is not an ISO 639 language code; " EXAMPLES,
                        language);
        return -1;
    }
    return 0;
}

static int check_script_and_region(const char *locale, xlate_error *err) {
    char script[ULOC_SCRIPT_CAPACITY] = "", region[ULOC_COUNTRY_CAPACITY] = "";
    UErrorCode status = U_ZERO_ERROR;
    uloc_getScript(locale, script, sizeof script, &status);
    uloc_getCountry(locale, region, sizeof region, &status);
    if (script[0]) {
        UScriptCode code[2];
        UErrorCode s = U_ZERO_ERROR;
        if (uscript_getCode(script, code, 2, &s) != 1 || U_FAILURE(s)) {
            xlate_error_set(err, XLATE_EINVAL, "%s is not an ISO 15924 script code; " EXAMPLES,
                            script);
            return -1;
        }
    }
    if (region[0]) {
        UErrorCode s = U_ZERO_ERROR;
        if (!uregion_getRegionFromCode(region, &s) || U_FAILURE(s)) {
            xlate_error_set(err, XLATE_EINVAL,
                            "%s is not a region code (ISO 3166 or UN M.49); " EXAMPLES, region);
            return -1;
        }
    }
    return 0;
}

/* A private-use tag alone ("x-upper", RFC 5646 privateuse: "x" then subtags of 1 to 8 letters
 * or digits) names a language the parties agree on, which ICU has no locale for: it is checked
 * here and written in lower case, as BCP 47 canonicalizes it. Returns 1 when `tag` is one (then
 * written to out, or -1 with err when it does not fit), 0 when it is not. */
static int private_use_only(const char *tag, char *out, size_t out_size, xlate_error *err) {
    if ((tag[0] != 'x' && tag[0] != 'X') || tag[1] != '-')
        return 0;
    size_t run = 0, n = strlen(tag);
    for (size_t i = 2; i <= n; i++) {
        char c = tag[i];
        if (c == '-' || c == '\0') {
            if (run < 1 || run > 8)
                return 0;
            run = 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            run++;
        } else {
            return 0;
        }
    }
    if (n >= out_size) {
        xlate_error_set(err, XLATE_EINVAL, "the private-use tag is too long");
        return -1;
    }
    for (size_t i = 0; i <= n; i++)
        out[i] = (char)(tag[i] >= 'A' && tag[i] <= 'Z' ? tag[i] - 'A' + 'a' : tag[i]);
    return 1;
}

int xlate_langtag_covers(const char *declared, const char *tag) {
    if (!declared || !tag)
        return 0;
    if (strcmp(declared, "*") == 0)
        return 1;
    char canonical[XLATE_LANGTAG_MAX];
    xlate_error err = {0};
    /* A plugin may write "EN" or "eng"; what it means is the canonical tag. */
    if (xlate_langtag_canonical(declared, canonical, sizeof canonical, &err) == 0)
        declared = canonical;
    xlate_error_clear(&err);
    size_t n = strlen(declared);
    return strncasecmp(tag, declared, n) == 0 && (tag[n] == '\0' || tag[n] == '-');
}

int xlate_langtag_canonical(const char *tag, char *out, size_t out_size, xlate_error *err) {
    char locale[ULOC_FULLNAME_CAPACITY];
    if (!tag || !tag[0]) {
        xlate_error_set(err, XLATE_EINVAL, "an empty language tag; " EXAMPLES);
        return -1;
    }
    int private_use = private_use_only(tag, out, out_size, err);
    if (private_use != 0)
        return private_use > 0 ? 0 : -1;
    if (parse_whole(tag, locale, sizeof locale) != 0)
        return refuse_unparsed(tag, err);
    if (check_language(locale, err) != 0 || check_script_and_region(locale, err) != 0)
        return -1;
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = uloc_toLanguageTag(locale, out, (int32_t)out_size, 1, &status);
    if (U_FAILURE(status) || n <= 0 || (size_t)n >= out_size) {
        xlate_error_set(err, XLATE_EINVAL, "ICU cannot write this tag back (%s); " EXAMPLES,
                        u_errorName(status));
        return -1;
    }
    return 0;
}
