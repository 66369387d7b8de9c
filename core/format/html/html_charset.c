/*
 * html_charset: the encoding of an HTML page (html_charset.h), at the front of the HTML module's
 * read. The page's declaration is looked for the way a browser's prescan does, in the first
 * bytes only; pages that declare nothing go to the same detection as plain text.
 */
#include "html_charset.h"

#include <ctype.h>
#include <libxml/encoding.h>
#include <string.h>
#include <strings.h>

#include "decode.h"
#include "utf8.h"

/* How far into the page the declaration is looked for: a <head> that declares its charset after
 * this is rare and browsers do not see it either. */
#define PRESCAN_BYTES 8192

static const char *find_ci(const char *hay, size_t len, const char *needle) {
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (strncasecmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

/* Copies the value after `key` (charset=, encoding=): optional spaces, '=', optional quote. */
static int value_after(const char *p, const char *end, char *out, size_t cap) {
    while (p < end && isspace((unsigned char)*p))
        p++;
    if (p >= end || *p != '=')
        return -1;
    p++;
    while (p < end && isspace((unsigned char)*p))
        p++;
    if (p < end && (*p == '"' || *p == '\''))
        p++;
    size_t n = 0;
    while (p + n < end && (isalnum((unsigned char)p[n]) || strchr("-_.:", p[n])) && n + 1 < cap)
        n++;
    if (n == 0)
        return -1;
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}

int html_charset_declared(const char *bytes, size_t len, char *out, size_t cap) {
    size_t scan = len < PRESCAN_BYTES ? len : PRESCAN_BYTES;
    const char *end = bytes + scan;
    if (scan > 5 && strncmp(bytes, "<?xml", 5) == 0) {
        const char *close = memchr(bytes, '>', scan);
        const char *enc = find_ci(bytes, close ? (size_t)(close - bytes) : scan, "encoding");
        if (enc && value_after(enc + 8, close ? close : end, out, cap) == 0)
            return 0;
    }
    for (const char *p = bytes; (p = find_ci(p, (size_t)(end - p), "<meta")) != NULL; p += 5) {
        const char *close = memchr(p, '>', (size_t)(end - p));
        if (!close)
            break;
        const char *cs = find_ci(p, (size_t)(close - p), "charset");
        if (cs && value_after(cs + 7, close, out, cap) == 0)
            return 0;
    }
    return -1;
}

static void set_name(html_charset *cs, const char *name) {
    snprintf(cs->name, sizeof cs->name, "%s", strcasecmp(name, "utf8") == 0 ? "UTF-8" : name);
    if (strcasecmp(cs->name, "UTF-8") == 0)
        strcpy(cs->name, "UTF-8");
}

static int known_encoding(const char *name) {
    xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(name);
    if (!h)
        return 0;
    xmlCharEncCloseFunc(h);
    return 1;
}

static int by_bom(const char *bytes, size_t len, html_charset *cs) {
    const unsigned char *b = (const unsigned char *)bytes;
    if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        return set_name(cs, "UTF-8"), cs->bom = 3, 1;
    if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        return set_name(cs, "UTF-16LE"), cs->bom = 2, 1;
    if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF)
        return set_name(cs, "UTF-16BE"), cs->bom = 2, 1;
    return 0;
}

static int detect(const char *name, const char *bytes, size_t len, html_charset *cs, xlate_error *err) {
    xlate_decode_options o = XLATE_DECODE_OPTIONS_INIT;
    o.on_invalid = XLATE_INVALID_REPLACE;
    o.repair_mojibake = 0;
    xlate_decoded d;
    if (xlate_decode(bytes, len, &o, name, &d, err) != 0)
        return -1;
    set_name(cs, d.encoding);
    xlate_decoded_free(&d);
    return 0;
}

int html_charset_choose(const char *forced, const char *name, const char *bytes, size_t len, html_charset *cs,
                        xlate_error *err) {
    memset(cs, 0, sizeof *cs);
    char declared[32];
    if (forced && strcasecmp(forced, "auto") != 0) {
        by_bom(bytes, len, cs); /* the BOM's bytes are still no text */
        set_name(cs, forced);
        if (!known_encoding(cs->name)) {
            xlate_error_set(err, XLATE_EINVAL, "%s: unknown encoding '%s'; name one iconv knows (--encoding)",
                            name, forced);
            return -1;
        }
    } else if (by_bom(bytes, len, cs)) {
        /* nothing more to decide */
    } else if (html_charset_declared(bytes, len, declared, sizeof declared) == 0) {
        set_name(cs, declared);
        cs->declared = 1;
        if (!known_encoding(cs->name)) {
            xlate_error_set(err, XLATE_ERROR,
                            "%s: the page declares charset '%s', which is not known; name its encoding "
                            "with --encoding", name, declared);
            return -1;
        }
    } else if (detect(name, bytes, len, cs, err) != 0) {
        return -1;
    }
    if (strcmp(cs->name, "UTF-8") == 0) {
        size_t bad_len = 0, bad = xlate_utf8_first_invalid(bytes + cs->bom, len - cs->bom, &bad_len);
        if (bad < len - cs->bom) {
            xlate_error_set(err, XLATE_ERROR,
                            "%s: byte offset %zu: invalid UTF-8 in a page read as UTF-8; name its real "
                            "encoding with --encoding", name, bad + cs->bom);
            return -1;
        }
    }
    return 0;
}
