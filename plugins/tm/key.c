/*
 * key: the exact key, the number key and the words of a source (see key.h). Reads UTF-8 one
 * code point at a time; bytes that are not valid UTF-8 pass through as they are.
 */
#include "key.h"

#include <stdlib.h>
#include <string.h>

/* Decodes the code point at s[i]; *n gets its byte length (1 for an invalid byte). Inline:
 * every byte of every unit an import stores comes through here. */
__attribute__((always_inline)) static inline uint32_t decode(const char *s, size_t len, size_t i, size_t *n) {
    const unsigned char *u = (const unsigned char *)s + i;
    size_t left = len - i;
    if (u[0] < 0x80 || left < 2) {
        *n = 1;
        return u[0];
    }
    if ((u[0] & 0xE0) == 0xC0 && (u[1] & 0xC0) == 0x80) {
        *n = 2;
        return ((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
    }
    if ((u[0] & 0xF0) == 0xE0 && left >= 3 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
        *n = 3;
        return ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
    }
    if ((u[0] & 0xF8) == 0xF0 && left >= 4 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80 &&
        (u[3] & 0xC0) == 0x80) {
        *n = 4;
        return ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3F) << 12) |
               ((uint32_t)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
    }
    *n = 1;
    return u[0];
}

static inline int is_space(uint32_t c) {
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

/* The quote and apostrophe styles folded into one of each: ‘ ’ ' ʼ and “ ” « » „ ". */
static int single_quote(uint32_t c) { return c == '\'' || c == 0x2018 || c == 0x2019 || c == 0x02BC; }
static int double_quote(uint32_t c) {
    return c == '"' || c == 0x201C || c == 0x201D || c == 0xAB || c == 0xBB || c == 0x201E;
}

char *xlate_tm_key(const char *text, size_t len, size_t *out_len) {
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t o = xlate_tm_key_to(text, len, out);
    if (out_len)
        *out_len = o;
    return out;
}

size_t xlate_tm_key_to(const char *text, size_t len, char *out) {
    size_t o = 0, n;
    int pending_space = 0;
    for (size_t i = 0; i < len; i += n) {
        uint32_t c = decode(text, len, i, &n);
        if (is_space(c)) {
            pending_space = o > 0;
            continue;
        }
        if (pending_space)
            out[o++] = ' ';
        pending_space = 0;
        if (single_quote(c))
            out[o++] = '\'';
        else if (double_quote(c))
            out[o++] = '"';
        else {
            memcpy(out + o, text + i, n);
            o += n;
        }
    }
    out[o] = '\0';
    return o;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int number_separator(char c) { return c == '.' || c == ',' || c == ':' || c == '/' || c == '-'; }

/* The end of the number starting at text[i] (a digit). */
static size_t number_end(const char *text, size_t len, size_t i) {
    while (i < len) {
        if (is_digit(text[i]))
            i++;
        else if (number_separator(text[i]) && i + 1 < len && is_digit(text[i + 1]))
            i += 2;
        else
            break;
    }
    return i;
}

size_t xlate_tm_numbers(const char *text, size_t len, xlate_tm_span **spans) {
    size_t n = 0, cap = 0;
    *spans = NULL;
    for (size_t i = 0; i < len;) {
        if (!is_digit(text[i])) {
            i++;
            continue;
        }
        size_t end = number_end(text, len, i);
        if (n == cap) {
            cap = cap ? cap * 2 : 4;
            xlate_tm_span *grown = realloc(*spans, cap * sizeof *grown);
            if (!grown) {
                free(*spans);
                *spans = NULL;
                return (size_t)-1;
            }
            *spans = grown;
        }
        (*spans)[n].start = i;
        (*spans)[n].end = end;
        n++;
        i = end;
    }
    return n;
}

char *xlate_tm_number_key(const char *key, size_t len) {
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        if (is_digit(key[i])) {
            out[o++] = XLATE_TM_NUMBER_MARK;
            i = number_end(key, len, i);
        } else
            out[o++] = key[i++];
    }
    out[o] = '\0';
    return out;
}

int xlate_tm_number_hash(const char *key, size_t len, uint64_t *hash) {
    /* xlate_tm_hash of xlate_tm_number_key's bytes, fed one at a time: FNV-1a reads its input
     * byte by byte, so the number key need not be built. */
    uint64_t h = 1469598103934665603ull;
    int has = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c;
        if (is_digit(key[i])) {
            c = XLATE_TM_NUMBER_MARK;
            has = 1;
            i = number_end(key, len, i);
        } else
            c = (unsigned char)key[i++];
        h ^= c;
        h *= 1099511628211ull;
    }
    *hash = has ? h : 0;
    return has;
}

/* Punctuation and symbols that separate words (after the key folded the quotes). */
static inline int is_punct(uint32_t c) {
    if (c < 0x80)
        return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 c >= 0x80);
    return c == 0xA1 || c == 0xA7 || c == 0xAB || c == 0xB6 || c == 0xB7 || c == 0xBB ||
           c == 0xBF || c == XLATE_TM_NUMBER_MARK || (c >= 0x2010 && c <= 0x2027) ||
           (c >= 0x2030 && c <= 0x205E) || (c >= 0x3001 && c <= 0x3003) ||
           (c >= 0x3008 && c <= 0x3011);
}

uint64_t xlate_tm_hash(const char *s, size_t len) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* Whitespace or punctuation: what ends a word. An ASCII character does when it is neither a
 * letter nor a digit (the same answer as is_space and is_punct, without their range tests). */
static inline int separates(uint32_t c) {
    if (c < 0x80)
        return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
    return is_space(c) || is_punct(c);
}

size_t xlate_tm_words(const char *key, size_t len, xlate_tm_word **words) {
    size_t cap = 0;
    *words = NULL;
    size_t n = xlate_tm_words_to(key, len, words, &cap);
    if (n == (size_t)-1 || n == 0) {
        free(*words);
        *words = NULL;
    }
    return n;
}

size_t xlate_tm_words_to(const char *key, size_t len, xlate_tm_word **words, size_t *capacity) {
    size_t count = 0, cap = *capacity, n;
    for (size_t i = 0; i < len;) {
        uint32_t c = decode(key, len, i, &n);
        if (separates(c)) {
            i += n;
            continue;
        }
        size_t start = i;
        if (is_digit(key[i]))
            i = number_end(key, len, i);
        else
            while (i < len) {
                c = decode(key, len, i, &n);
                /* An apostrophe inside a word keeps it whole: "don't", "інтерв'ю". */
                if (c == '\'' && i + 1 < len) {
                    size_t m;
                    uint32_t next = decode(key, len, i + 1, &m);
                    if (!separates(next)) {
                        i += 1;
                        continue;
                    }
                }
                if (separates(c))
                    break;
                i += n;
            }
        if (count == cap) {
            cap = cap ? cap * 2 : 16;
            xlate_tm_word *grown = realloc(*words, cap * sizeof *grown);
            if (!grown)
                return (size_t)-1;
            *words = grown;
            *capacity = cap;
        }
        (*words)[count].text = key + start;
        (*words)[count].len = i - start;
        (*words)[count].hash = xlate_tm_hash(key + start, i - start);
        count++;
    }
    return count;
}
