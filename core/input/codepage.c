/*
 * codepage: encoding names and single-byte code page tables, shared by the decode stage and by
 * encode at the writer end of the data path. The byte→character mappings come from glibc iconv;
 * this module only caches them in a table for the duration of one call (no global state).
 */
#include "codepage.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>

typedef struct encoding_alias {
    const char *key;       /* lower case, without '-', '_', ' ' and '.' */
    const char *canonical;
    const char *iconv;
} encoding_alias;

/* The names people use for the encodings xlate is built to read. Anything else is passed to iconv
 * as it is. */
static const encoding_alias aliases[] = {
    {"utf8", "UTF-8", "UTF-8"},
    {"utf16", "UTF-16", "UTF-16"},
    {"utf16le", "UTF-16LE", "UTF-16LE"},
    {"utf16be", "UTF-16BE", "UTF-16BE"},
    {"utf32", "UTF-32", "UTF-32"},
    {"utf32le", "UTF-32LE", "UTF-32LE"},
    {"utf32be", "UTF-32BE", "UTF-32BE"},
    {"ascii", "US-ASCII", "ASCII"},
    {"usascii", "US-ASCII", "ASCII"},
    {"cp1251", "windows-1251", "CP1251"},
    {"windows1251", "windows-1251", "CP1251"},
    {"win1251", "windows-1251", "CP1251"},
    {"xcp1251", "windows-1251", "CP1251"},
    {"koi8u", "KOI8-U", "KOI8-U"},
    {"koi8r", "KOI8-R", "KOI8-R"},
    {"koi8", "KOI8-R", "KOI8-R"},
    {"cp1125", "CP1125", "CP1125"},
    {"ibm1125", "CP1125", "CP1125"},
    {"ruscii", "CP1125", "CP1125"},
    {"cp866", "IBM866", "CP866"},
    {"ibm866", "IBM866", "CP866"},
    {"866", "IBM866", "CP866"},
    {"iso88595", "ISO-8859-5", "ISO-8859-5"},
    {"cyrillic", "ISO-8859-5", "ISO-8859-5"},
    {"maccyrillic", "x-mac-cyrillic", "MAC-CYRILLIC"},
    {"xmaccyrillic", "x-mac-cyrillic", "MAC-CYRILLIC"},
    {"macukrainian", "x-mac-ukrainian", "MAC-UK"},
    {"xmacukrainian", "x-mac-ukrainian", "MAC-UK"},
    {"macuk", "x-mac-ukrainian", "MAC-UK"},
    {"cp1252", "windows-1252", "CP1252"},
    {"windows1252", "windows-1252", "CP1252"},
    {"latin1", "ISO-8859-1", "ISO-8859-1"},
    {"iso88591", "ISO-8859-1", "ISO-8859-1"},
};

static void alias_key(const char *name, char *key, size_t size) {
    size_t n = 0;
    for (; *name && n + 1 < size; name++) {
        if (*name == '-' || *name == '_' || *name == ' ' || *name == '.')
            continue;
        key[n++] = (char)tolower((unsigned char)*name);
    }
    key[n] = '\0';
}

static const encoding_alias *find_alias(const char *name) {
    char key[64];
    alias_key(name, key, sizeof key);
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(aliases[i].key, key) == 0)
            return &aliases[i];
    return NULL;
}

int xlate_encoding_is_utf8(const char *name) {
    const encoding_alias *a = name ? find_alias(name) : NULL;
    return a && strcmp(a->canonical, "UTF-8") == 0;
}

static int iconv_knows(const char *name) {
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return 0;
    iconv_close(cd);
    return 1;
}

int xlate_encoding_resolve(const char *name, xlate_encoding_name *out, xlate_error *err) {
    const encoding_alias *a = find_alias(name);
    if (a) {
        snprintf(out->canonical, sizeof out->canonical, "%s", a->canonical);
        snprintf(out->iconv, sizeof out->iconv, "%s", a->iconv);
        return 0;
    }
    if (strlen(name) < sizeof out->iconv && iconv_knows(name)) {
        snprintf(out->canonical, sizeof out->canonical, "%s", name);
        snprintf(out->iconv, sizeof out->iconv, "%s", name);
        for (char *p = out->canonical; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        return 0;
    }
    xlate_error_set(err, XLATE_EINVAL,
                    "unknown encoding '%s'; use a name such as utf-8, cp1251, koi8-u, koi8-r, "
                    "cp1125, cp866, iso-8859-5, mac-cyrillic, utf-16 (`iconv -l` lists all)",
                    name);
    return -1;
}

static int utf8_encode(uint32_t c, unsigned char *o) {
    if (c < 0x80) {
        o[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (unsigned char)(0xC0 | c >> 6);
        o[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (unsigned char)(0xE0 | c >> 12);
        o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | c >> 18);
    o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

static uint32_t utf32le_at(const uint32_t *units, size_t k) {
    const unsigned char *u = (const unsigned char *)&units[k];
    return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

/* Byte runs that mean something else in a multi-byte or stateful encoding than byte by byte:
 * ISO-2022-JP's and ISO-2022-KR's escapes and shifts, HZ's ~{ ~}, UTF-7's +...-, a UTF-8
 * character. The run of all 256 bytes in order does not show these encodings for what they are
 * (ISO-2022-JP is 7-bit and takes a lone ESC as a character; UTF-8 just refuses bytes 0x80 and
 * up there), so they would pass for single-byte tables and be decoded as ASCII. */
static const char *const probes[] = {
    "\x1b$B\x30\x21\x1b(B", "\x1b$)C\x0e\x30\x21\x0f", "~{\x30\x21~}", "+AGEAYQ-", "\xc3\xa9",
};

/* Whether iconv converts `probe` exactly as the table says: each byte to its character, up to
 * the first byte the table leaves undefined, where iconv must stop too. */
static int table_predicts(iconv_t cd, const xlate_codepage *cp, const char *probe) {
    size_t len = strlen(probe), defined = 0;
    while (defined < len && cp->utf8_len[(unsigned char)probe[defined]])
        defined++;
    uint32_t units[16];
    char *in = (char *)probe, *out = (char *)units;
    size_t in_left = len, out_left = sizeof units;
    iconv(cd, NULL, NULL, NULL, NULL);
    size_t r = iconv(cd, &in, &in_left, &out, &out_left);
    int e = errno;
    if (r != (size_t)-1 && defined == len) /* flush what a stateful decoder may hold back */
        r = iconv(cd, NULL, NULL, &out, &out_left);
    size_t produced = (size_t)(out - (char *)units) / 4;
    if (defined < len ? r != (size_t)-1 || e != EILSEQ : r == (size_t)-1)
        return 0;
    if ((size_t)(in - probe) != defined || produced != defined)
        return 0;
    for (size_t k = 0; k < produced; k++)
        if (utf32le_at(units, k) != cp->to_ucs[(unsigned char)probe[k]])
            return 0;
    return 1;
}

/* Converts all 256 byte values in as few iconv calls as possible; an invalid byte is marked
 * undefined and skipped. The encoding is single-byte only if every byte consumed gave exactly
 * one character (UTF-16 or Shift_JIS break that at once) and the probes above convert as the
 * table says. */
int xlate_codepage_load(const char *iconv_name, xlate_codepage *cp) {
    iconv_t cd = iconv_open("UTF-32LE", iconv_name);
    if (cd == (iconv_t)-1)
        return -1;
    memset(cp, 0, sizeof *cp);
    char bytes[256];
    for (int b = 0; b < 256; b++)
        bytes[b] = (char)b;
    int status = 0;
    size_t pos = 0;
    while (pos < 256 && status == 0) {
        uint32_t units[256];
        char *in = bytes + pos, *out = (char *)units;
        size_t in_left = 256 - pos, out_left = sizeof units;
        iconv(cd, NULL, NULL, NULL, NULL);
        size_t r = iconv(cd, &in, &in_left, &out, &out_left);
        int e = errno;
        size_t consumed = (size_t)(in - (bytes + pos)), produced = (size_t)(out - (char *)units) / 4;
        if (consumed != produced || (r == (size_t)-1 && e != EILSEQ)) {
            status = 1; /* a multi-byte or stateful encoding: iconv converts it, not a table */
            break;
        }
        for (size_t k = 0; k < produced; k++) {
            uint32_t c = utf32le_at(units, k);
            cp->to_ucs[pos + k] = c;
            cp->utf8_len[pos + k] = (unsigned char)utf8_encode(c, cp->utf8[pos + k]);
        }
        pos += consumed;
        if (r == (size_t)-1) { /* EILSEQ: this byte means nothing in the code page */
            cp->to_ucs[pos] = XLATE_CP_UNDEFINED;
            pos++;
        }
    }
    for (size_t i = 0; status == 0 && i < sizeof probes / sizeof probes[0]; i++)
        if (!table_predicts(cd, cp, probes[i]))
            status = 1;
    iconv_close(cd);
    return status;
}

size_t xlate_codepage_first_undefined(const xlate_codepage *cp, const char *bytes, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (!cp->utf8_len[(unsigned char)bytes[i]])
            return i;
    return len;
}
