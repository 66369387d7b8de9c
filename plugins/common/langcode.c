/*
 * langcode: ISO 639-1 ↔ 639-3 codes for the engines' pair names and BCP 47 tags compared (see
 * langcode.h), from ICU's locale data: uloc_getISO3Language gives the three letters,
 * uloc_canonicalize the two, uloc_forLanguageTag reads a tag.
 */
#include "langcode.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <unicode/uloc.h>

/* The language part of a tag, lower-cased: "en-US" → "en", "eng_US" → "eng". */
static int language_part(const char *code, char *out, size_t outlen) {
    size_t n = strcspn(code, "-_");
    if (n < 2 || n >= outlen)
        return -1;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)tolower((unsigned char)code[i]);
    out[n] = '\0';
    return 0;
}

int xlate_lang_to_639_3(const char *code, char *out, size_t outlen) {
    char lang[16];
    if (language_part(code, lang, sizeof lang) != 0 || strlen(lang) > 3)
        return -1;
    const char *three = strlen(lang) == 3 ? lang : uloc_getISO3Language(lang);
    if (!three || strlen(three) != 3 || outlen < 4)
        return -1;
    memcpy(out, three, 4);
    return 0;
}

int xlate_lang_to_639_1(const char *code, char *out, size_t outlen) {
    char canonical[ULOC_FULLNAME_CAPACITY], lang[ULOC_LANG_CAPACITY], region[ULOC_COUNTRY_CAPACITY];
    UErrorCode status = U_ZERO_ERROR;
    uloc_canonicalize(code, canonical, sizeof canonical, &status);
    uloc_getLanguage(canonical, lang, sizeof lang, &status);
    uloc_getCountry(canonical, region, sizeof region, &status);
    int w = U_SUCCESS(status) && lang[0]
                ? snprintf(out, outlen, region[0] ? "%s-%s" : "%s", lang, region)
                : snprintf(out, outlen, "%s", code);
    return w < 0 || (size_t)w >= outlen ? -1 : 0;
}

/* The ICU locale ID of a tag that parses whole and names a language ICU knows, or -1. */
static int tag_locale(const char *tag, char *locale, size_t size) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t parsed = 0;
    uloc_forLanguageTag(tag, locale, (int32_t)size, &parsed, &status);
    if (U_FAILURE(status) || status == U_STRING_NOT_TERMINATED_WARNING || !tag[0] ||
        (size_t)parsed != strlen(tag))
        return -1;
    return uloc_getISO3Language(locale)[0] ? 0 : -1;
}

int xlate_lang_tag_canonical(const char *tag, char *out, size_t outlen) {
    char locale[ULOC_FULLNAME_CAPACITY];
    if (tag_locale(tag, locale, sizeof locale) != 0)
        return -1;
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = uloc_toLanguageTag(locale, out, (int32_t)outlen, 1, &status);
    return U_SUCCESS(status) && n > 0 && (size_t)n < outlen ? 0 : -1;
}

/* Two subtags agree when equal, or when one of the tags leaves it out. */
static int subtags_agree(const char *a, const char *b) {
    return !a[0] || !b[0] || strcmp(a, b) == 0;
}

int xlate_lang_tags_agree(const char *a, const char *b) {
    char la[ULOC_FULLNAME_CAPACITY], lb[ULOC_FULLNAME_CAPACITY];
    if (tag_locale(a, la, sizeof la) != 0 || tag_locale(b, lb, sizeof lb) != 0)
        return 0;
    char part_a[ULOC_FULLNAME_CAPACITY], part_b[ULOC_FULLNAME_CAPACITY];
    UErrorCode status = U_ZERO_ERROR;
    /* uloc_getLanguage gives ISO 639-1 where there is one, so "eng" and "en" agree. */
    uloc_getLanguage(la, part_a, sizeof part_a, &status);
    uloc_getLanguage(lb, part_b, sizeof part_b, &status);
    if (U_FAILURE(status) || strcmp(part_a, part_b) != 0)
        return 0;
    uloc_getScript(la, part_a, sizeof part_a, &status);
    uloc_getScript(lb, part_b, sizeof part_b, &status);
    if (U_FAILURE(status) || !subtags_agree(part_a, part_b))
        return 0;
    uloc_getCountry(la, part_a, sizeof part_a, &status);
    uloc_getCountry(lb, part_b, sizeof part_b, &status);
    return U_SUCCESS(status) && subtags_agree(part_a, part_b);
}
