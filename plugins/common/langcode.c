/*
 * langcode: ISO 639-1 ↔ 639-3 codes for the engines' pair names (see langcode.h), from ICU's locale
 * data: uloc_getISO3Language gives the three letters, uloc_canonicalize the two.
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
