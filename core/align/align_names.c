/*
 * align_names: name keys across scripts through ICU transliteration. See align_names.h. The
 * transliterator is slow next to everything else the aligner does, and a text names the same
 * people and places again and again, so keys are cached by the word's bytes.
 */
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/utf8.h>

#include "align_names.h"
#include "hashtab.h"

/* Letters of the skeleton that make the key: enough to tell Kharkiv (hrkv) from Kherson (hrsn),
 * few enough that the case endings of Ukrainian and Russian fall beyond them. */
enum { KEY_LETTERS = 4, MIN_SKELETON = 2, MAX_WORD = 64 };

struct xlate_align_names {
    UTransliterator *trans;
    xlate_hashtab *cache; /* word → uint64_t key + 1, or a value of 0 meaning "no name" */
};

int xlate_align_names_new(xlate_align_names **out, xlate_error *err) {
    *out = NULL;
    xlate_align_names *n = calloc(1, sizeof *n);
    if (!n || xlate_hashtab_new(free, &n->cache) != 0) {
        free(n);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    static const UChar id[] = u"Any-Latin; Latin-ASCII";
    UErrorCode st = U_ZERO_ERROR;
    n->trans = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    if (U_FAILURE(st)) {
        xlate_hashtab_free(n->cache);
        free(n);
        xlate_error_set(err, XLATE_ERROR, "ICU transliterator \"Any-Latin; Latin-ASCII\": %s",
                        u_errorName(st));
        return -1;
    }
    *out = n;
    return 0;
}

void xlate_align_names_free(xlate_align_names *n) {
    if (!n)
        return;
    utrans_close(n->trans);
    xlate_hashtab_free(n->cache);
    free(n);
}

static int is_vowel(char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y' || c == 'j';
}

/* Folds the romanization's digraphs and drops vowels: ASCII letters in, skeleton out. */
static size_t skeleton_of(const char *a, size_t n, char *out, size_t size) {
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < size; i++) {
        char c = a[i], next = i + 1 < n ? a[i + 1] : 0;
        if (c == 's' && n - i >= 4 && memcmp(a + i, "shch", 4) == 0) {
            c = 's';
            i += 3;
        } else if ((c == 'k' || c == 'z' || c == 'c' || c == 's') && next == 'h') {
            c = c == 'k' ? 'h' : c;
            i++;
        } else if ((c == 't' && (next == 's' || next == 'z'))) {
            c = 'c';
            i++;
        } else if (c == 'c' && next == 'k') {
            c = 'k';
            i++;
        } else if (c == 'p' && next == 'h') {
            c = 'f';
            i++;
        }
        if (c == 'g')
            c = 'h';
        else if (c == 'w')
            c = 'v';
        else if (c == 'q')
            c = 'k';
        if (is_vowel(c))
            continue;
        if (k && out[k - 1] == c)
            continue;
        out[k++] = c;
    }
    out[k] = 0;
    return k;
}

int xlate_align_name_skeleton(xlate_align_names *n, const char *word, size_t len, char *out, size_t size) {
    UChar buf[MAX_WORD * 4];
    int32_t ulen = 0;
    UErrorCode st = U_ZERO_ERROR;
    if (len > MAX_WORD * 2)
        len = MAX_WORD * 2;
    u_strFromUTF8Lenient(buf, MAX_WORD, &ulen, word, (int32_t)len, &st);
    if (U_FAILURE(st) || ulen > MAX_WORD)
        return -1;
    int32_t limit = ulen;
    utrans_transUChars(n->trans, buf, &ulen, (int32_t)(sizeof buf / sizeof buf[0]), 0, &limit, &st);
    if (U_FAILURE(st))
        return -1;
    char ascii[MAX_WORD * 4];
    size_t an = 0;
    for (int32_t i = 0; i < ulen && an < sizeof ascii; i++) {
        UChar c = buf[i];
        if (c < 128 && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            ascii[an++] = (char)(c | 0x20);
    }
    return (int)skeleton_of(ascii, an, out, size);
}

static int starts_capital(const char *word, size_t len) {
    size_t i = 0;
    UChar32 c;
    U8_NEXT(word, i, len, c);
    return c > 0 && (u_isupper(c) || u_istitle(c));
}

int xlate_align_name_key(xlate_align_names *n, const char *word, size_t len, uint64_t *key) {
    if (!len || !starts_capital(word, len))
        return 0;
    xlate_hashtab_entry *e = xlate_hashtab_find(n->cache, word, len);
    if (!e) {
        char sk[MAX_WORD];
        int k = xlate_align_name_skeleton(n, word, len, sk, sizeof sk);
        uint64_t *v = malloc(sizeof *v);
        if (!v)
            return -1;
        if (k < MIN_SKELETON) {
            *v = 0;
        } else {
            size_t kl = (size_t)k < KEY_LETTERS ? (size_t)k : KEY_LETTERS;
            *v = xlate_hash(sk, kl) | 1; /* never 0, which marks "no name" */
        }
        if (xlate_hashtab_add(n->cache, word, len, v, &e) != 0) {
            free(v);
            return -1;
        }
    }
    uint64_t v = *(uint64_t *)e->value;
    if (!v)
        return 0;
    *key = v;
    return 1;
}
