/*
 * langcode: the ISO 639-1 ↔ 639-3 table behind langcode.h. The table covers the languages that
 * Apertium and LibreTranslate serve; a code it does not know is passed through where that is safe.
 */
#include "langcode.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

typedef struct lang_codes {
    const char *two;
    const char *three;
} lang_codes;

/* 639-3 individual-language codes, as Apertium names its pairs. */
static const lang_codes table[] = {
    {"af", "afr"}, {"an", "arg"}, {"ar", "ara"}, {"as", "asm"}, {"az", "aze"}, {"ba", "bak"},
    {"be", "bel"}, {"bg", "bul"}, {"bn", "ben"}, {"br", "bre"}, {"bs", "bos"}, {"ca", "cat"},
    {"cs", "ces"}, {"cv", "chv"}, {"cy", "cym"}, {"da", "dan"}, {"de", "deu"}, {"el", "ell"},
    {"en", "eng"}, {"eo", "epo"}, {"es", "spa"}, {"et", "est"}, {"eu", "eus"}, {"fa", "fas"},
    {"fi", "fin"}, {"fo", "fao"}, {"fr", "fra"}, {"ga", "gle"}, {"gl", "glg"}, {"gn", "grn"},
    {"he", "heb"}, {"hi", "hin"}, {"hr", "hrv"}, {"hu", "hun"}, {"hy", "hye"}, {"id", "ind"},
    {"is", "isl"}, {"it", "ita"}, {"ja", "jpn"}, {"ka", "kat"}, {"kk", "kaz"}, {"ko", "kor"},
    {"ky", "kir"}, {"la", "lat"}, {"lb", "ltz"}, {"lt", "lit"}, {"lv", "lav"}, {"mk", "mkd"},
    {"ml", "mal"}, {"mr", "mar"}, {"ms", "msa"}, {"mt", "mlt"}, {"nb", "nob"}, {"ne", "nep"},
    {"nl", "nld"}, {"nn", "nno"}, {"no", "nor"}, {"oc", "oci"}, {"pa", "pan"}, {"pl", "pol"},
    {"pt", "por"}, {"ro", "ron"}, {"ru", "rus"}, {"sc", "srd"}, {"se", "sme"}, {"sk", "slk"},
    {"sl", "slv"}, {"sq", "sqi"}, {"sr", "srp"}, {"sv", "swe"}, {"sw", "swa"}, {"ta", "tam"},
    {"tg", "tgk"}, {"th", "tha"}, {"tk", "tuk"}, {"tl", "tgl"}, {"tr", "tur"}, {"tt", "tat"},
    {"ug", "uig"}, {"uk", "ukr"}, {"ur", "urd"}, {"uz", "uzb"}, {"vi", "vie"}, {"zh", "zho"},
};

/* The language part of a tag: "en-US" → "en", "eng_US" → "eng". */
static size_t language_part(const char *code) {
    return strcspn(code, "-_");
}

int xlate_lang_to_639_3(const char *code, char *out, size_t outlen) {
    size_t n = language_part(code);
    char lower[4];
    if (n < 2 || n > 3 || outlen < 4)
        return -1;
    for (size_t i = 0; i < n; i++)
        lower[i] = (char)tolower((unsigned char)code[i]);
    lower[n] = '\0';
    if (n == 3) {
        memcpy(out, lower, 4);
        return 0;
    }
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strcmp(table[i].two, lower) == 0) {
            memcpy(out, table[i].three, 4);
            return 0;
        }
    }
    return -1;
}

int xlate_lang_to_639_1(const char *code, char *out, size_t outlen) {
    size_t n = language_part(code);
    const char *lang = NULL;
    for (size_t i = 0; n == 3 && i < sizeof table / sizeof table[0]; i++)
        if (strncmp(table[i].three, code, 3) == 0)
            lang = table[i].two;
    int w = lang ? snprintf(out, outlen, "%s", lang) : snprintf(out, outlen, "%.*s", (int)n, code);
    if (w < 0 || (size_t)w >= outlen)
        return -1;
    if (code[n]) {
        int r = snprintf(out + w, outlen - (size_t)w, "-%s", code + n + 1);
        if (r < 0 || (size_t)(w + r) >= outlen)
            return -1;
    }
    return 0;
}
