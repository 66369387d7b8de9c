/*
 * Tests of the glossary's dictionary filter: a lemmatizer loaded with only the entries that can
 * matter for a term map's words must give the keys the whole uk_UA dictionary gives — exactly for
 * the map's words, and among the map's keys for every other word (the words of the sample
 * article and a spread of the dictionary's own words), also once focused on those keys, when it
 * spares hunspell the words that cannot reach them — while loading far fewer entries; that a
 * lemmatizer opened from the cache entry the focused one wrote (the core dictionary, the focus
 * and the term words' keys, dictcache.h) gives the same keys again; and an .aff whose features
 * the filter does not model is declined.
 */
#include "check.h"
#include "dictfilter.h"
#include "lemmatizer.h"
#include "matcher.h"
#include "strtab.h"
#include "termmap.h"

#include <xlate/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#define DICT "/usr/share/hunspell/uk_UA"
#define MAP SOURCE_ROOT "/plugins/glossary/data/oboz-uk-en.tsv"
#define ARTICLE SOURCE_ROOT "/samples/oboz/oboz-stoltenberg.uk.txt"

typedef struct word_list {
    char **words;
    size_t *lens;
    size_t n, cap;
} word_list;

static int add_word(void *arg, const char *w, size_t len) {
    word_list *l = arg;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->words = realloc(l->words, l->cap * sizeof *l->words);
        l->lens = realloc(l->lens, l->cap * sizeof *l->lens);
        if (!l->words || !l->lens)
            return -1;
    }
    l->words[l->n] = strndup(w, len);
    l->lens[l->n++] = len;
    return l->words[l->n - 1] ? 0 : -1;
}

static void free_words(word_list *l) {
    for (size_t i = 0; i < l->n; i++)
        free(l->words[i]);
    free(l->words);
    free(l->lens);
}

static char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(f);
    if (s) {
        s[n] = '\0';
        *len = (size_t)n;
    }
    return s;
}

/* Runs of letters and apostrophes: every word of the text, and some non-words. */
static void cut_text(const char *s, size_t len, word_list *out) {
    int32_t i = 0, start = -1;
    while (i <= (int32_t)len) {
        int32_t at = i;
        UChar32 c = 0;
        if (i < (int32_t)len)
            U8_NEXT(s, i, (int32_t)len, c);
        else
            i++;
        int letter = at < (int32_t)len && (u_isalpha(c) || c == '\'' || c == 0x2019);
        if (letter && start < 0)
            start = at;
        if (!letter && start >= 0) {
            add_word(out, s + start, (size_t)(at - start));
            start = -1;
        }
    }
}

/* Every 40th word of the dictionary itself, as written there (no flags). */
static void sample_dictionary(word_list *out) {
    size_t len;
    char *dic = read_all(DICT ".dic", &len);
    CHECK(dic != NULL);
    if (!dic)
        return;
    size_t line = 0;
    for (char *s = dic, *nl; s < dic + len; s = nl + 1, line++) {
        nl = memchr(s, '\n', (size_t)(dic + len - s));
        if (!nl)
            nl = dic + len;
        size_t n = strcspn(s, "/\n");
        if (line > 0 && line % 40 == 0 && n > 0)
            add_word(out, s, n);
    }
    free(dic);
}

typedef struct keys_copy {
    char keys[4096];
    int n, is_lemma;
} keys_copy;

static void keys_of(xlate_lemmatizer *lem, const char *w, size_t len, keys_copy *out) {
    const char *k;
    out->n = xlate_lemmatizer_keys(lem, w, len, &k, &out->is_lemma);
    size_t at = 0;
    for (int i = 0; i < out->n; i++) {
        size_t kl = strlen(k) + 1;
        if (at + kl <= sizeof out->keys)
            memcpy(out->keys + at, k, kl);
        at += kl;
        k += kl;
    }
}

/* The keys among `known`, in order, NUL-separated into out; returns their byte length. */
static size_t known_keys(const keys_copy *c, const xlate_strtab *known, char *out) {
    size_t o = 0;
    const char *k = c->keys;
    for (int i = 0; i < c->n; i++, k += strlen(k) + 1) {
        uint32_t v;
        if (xlate_strtab_find(known, k, strlen(k), &v)) {
            memcpy(out + o, k, strlen(k) + 1);
            o += strlen(k) + 1;
        }
    }
    return o;
}

static int is_known(void *arg, const char *key, size_t len) {
    uint32_t v;
    return xlate_strtab_find(arg, key, len, &v);
}

/* Compares the keys among `known` of every word; returns how many words differ. */
static size_t compare_text_words(xlate_lemmatizer *full, xlate_lemmatizer *part,
                                 const word_list *text, const xlate_strtab *known) {
    static keys_copy a, b;
    static char ka[8192], kb[8192];
    size_t differ = 0;
    for (size_t i = 0; i < text->n; i++) {
        keys_of(full, text->words[i], text->lens[i], &a);
        keys_of(part, text->words[i], text->lens[i], &b);
        size_t na = known_keys(&a, known, ka), nb = known_keys(&b, known, kb);
        if (na != nb || memcmp(ka, kb, na) != 0) {
            if (differ++ < 5)
                fprintf(stderr, "  term keys of \"%s\" differ\n", text->words[i]);
        }
    }
    return differ;
}

static void test_filtered_dictionary_gives_the_same_keys(void) {
    xlate_termmap map;
    char err[512] = "";
    word_list vocab = {0}, text = {0};
    CHECK_INT(xlate_termmap_load(MAP, NULL, NULL, &map, err, sizeof err), XLATE_OK);
    CHECK_INT(xlate_matcher_term_words(&map, add_word, &vocab), 0);
    CHECK(vocab.n > 300);
    xlate_lemmatizer *full = NULL, *part = NULL;
    CHECK_INT(xlate_lemmatizer_open(DICT, 1, &full, err, sizeof err), XLATE_OK);
    CHECK_INT(xlate_lemmatizer_open_for(DICT, 1, (const char *const *)vocab.words, vocab.lens,
                                        vocab.n, &part, err, sizeof err), XLATE_OK);
    if (!full || !part)
        return;
    static keys_copy a, b;
    xlate_strtab known = XLATE_STRTAB_INIT;
    size_t differ = 0;
    for (size_t i = 0; i < vocab.n; i++) {
        keys_of(full, vocab.words[i], vocab.lens[i], &a);
        keys_of(part, vocab.words[i], vocab.lens[i], &b);
        size_t bytes = 0;
        const char *k = a.keys;
        for (int j = 0; j < a.n; j++, k += strlen(k) + 1) {
            uint32_t v;
            if (!xlate_strtab_find(&known, k, strlen(k), &v))
                CHECK_INT(xlate_strtab_insert(&known, k, strlen(k), 0), 0);
            bytes += strlen(k) + 1;
        }
        if (a.n != b.n || a.is_lemma != b.is_lemma || memcmp(a.keys, b.keys, bytes) != 0) {
            if (differ++ < 5)
                fprintf(stderr, "  keys of the term word \"%s\" differ\n", vocab.words[i]);
        }
    }
    CHECK_INT(differ, 0);

    size_t len;
    char *article = read_all(ARTICLE, &len);
    CHECK(article != NULL);
    if (article)
        cut_text(article, len, &text);
    free(article);
    sample_dictionary(&text);
    CHECK(text.n > 5000);
    CHECK_INT(compare_text_words(full, part, &text, &known), 0);
    xlate_lemmatizer_close(part);

    /* Focused on the map's keys: a word no term can meet is no longer stemmed ("кавуна", of
     * кавун), and the keys among the map's stay the whole dictionary's. */
    CHECK_INT(xlate_lemmatizer_open_for(DICT, 1, (const char *const *)vocab.words, vocab.lens,
                                        vocab.n, &part, err, sizeof err), XLATE_OK);
    for (size_t i = 0; part && i < vocab.n; i++)
        keys_of(part, vocab.words[i], vocab.lens[i], &b);
    CHECK_INT(xlate_lemmatizer_focus(part, is_known, &known), XLATE_OK);
    keys_of(full, "кавуна", strlen("кавуна"), &a);
    keys_of(part, "кавуна", strlen("кавуна"), &b);
    CHECK(a.n >= 2);
    CHECK_INT(b.n, 1);
    keys_of(part, "Харківській", strlen("Харківській"), &b);
    CHECK(b.n >= 2);
    CHECK_INT(compare_text_words(full, part, &text, &known), 0);
    xlate_lemmatizer_close(part);

    /* From the cache entry the focused lemmatizer wrote: the term words' keys exactly as the
     * whole dictionary's, the other words' among the map's keys too, "кавуна" still spared. */
    CHECK_INT(xlate_lemmatizer_open_for(DICT, 1, (const char *const *)vocab.words, vocab.lens,
                                        vocab.n, &part, err, sizeof err), XLATE_OK);
    if (!part)
        return;
    const char *origin = xlate_lemmatizer_origin(part);
    int from_cache = origin && strncmp(origin, "from the cache", 14) == 0;
    if (!from_cache)
        fprintf(stderr, "  the dictionary came from %s, not the cache\n", origin ? origin : "?");
    CHECK(from_cache);
    differ = 0;
    for (size_t i = 0; i < vocab.n; i++) {
        keys_of(full, vocab.words[i], vocab.lens[i], &a);
        keys_of(part, vocab.words[i], vocab.lens[i], &b);
        size_t bytes = 0;
        for (int j = 0; j < a.n && bytes < sizeof a.keys; j++)
            bytes += strlen(a.keys + bytes) + 1;
        if (a.n != b.n || a.is_lemma != b.is_lemma || memcmp(a.keys, b.keys, bytes) != 0)
            differ++;
    }
    CHECK_INT(differ, 0);
    CHECK_INT(xlate_lemmatizer_focus(part, is_known, &known), XLATE_OK);
    keys_of(part, "кавуна", strlen("кавуна"), &b);
    CHECK_INT(b.n, 1);
    CHECK_INT(compare_text_words(full, part, &text, &known), 0);
    xlate_strtab_free(&known);
    xlate_lemmatizer_close(full);
    xlate_lemmatizer_close(part);
    free_words(&vocab);
    free_words(&text);
    xlate_termmap_free(&map);
}

static size_t count_lines(FILE *f) {
    size_t n = 0;
    int c;
    rewind(f);
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    return n;
}

static void test_filter_keeps_a_small_part(void) {
    const char *words[] = {"Харківська", "область", "НАТО", "Столтенберг"};
    size_t lens[] = {strlen(words[0]), strlen(words[1]), strlen(words[2]), strlen(words[3])};
    FILE *out = tmpfile();
    CHECK(out != NULL);
    if (!out)
        return;
    CHECK_INT(xlate_dictfilter_write(DICT ".aff", DICT ".dic", words, lens, 4, out, NULL), 1);
    size_t kept = count_lines(out) - 1;
    /* uk_UA has 330 000 entries; these four words need a few per cent of them */
    CHECK(kept > 0 && kept < 33000);
    fclose(out);
}

/* The core dictionary of a focused filter: only the lines whose word is a key. */
static int is_oblast(void *arg, const char *key, size_t len) {
    (void)arg;
    return len == strlen("область") && memcmp(key, "область", len) == 0;
}

static void test_core_dictionary_holds_the_keys_entries(void) {
    const char *words[] = {"Харківська", "область"};
    size_t lens[] = {strlen(words[0]), strlen(words[1])};
    FILE *out = tmpfile();
    xlate_dictfilter *d = NULL;
    CHECK(out != NULL);
    if (!out)
        return;
    CHECK_INT(xlate_dictfilter_write(DICT ".aff", DICT ".dic", words, lens, 2, out, &d), 1);
    fclose(out);
    if (!d)
        return;
    size_t len;
    CHECK(xlate_dictfilter_core_dic(d, &len) == NULL);
    CHECK_INT(xlate_dictfilter_focus(d, is_oblast, NULL), 0);
    const char *core = xlate_dictfilter_core_dic(d, &len);
    CHECK(core != NULL);
    if (core) {
        /* the count line, then "область/..." lines alone */
        size_t lines = 0;
        for (const char *s = strchr(core, '\n') + 1; s < core + len; s = strchr(s, '\n') + 1) {
            CHECK(strncmp(s, "область", strlen("область")) == 0);
            lines++;
        }
        CHECK(lines >= 1);
        CHECK_INT(strtol(core, NULL, 10), (long)lines);
    }
    char *saved = NULL;
    size_t saved_len = 0;
    CHECK_INT(xlate_dictfilter_save(d, &saved, &saved_len), 0);
    xlate_dictfilter *back = NULL;
    size_t aff_len;
    const char *aff = xlate_dictfilter_core_aff(d, &aff_len);
    CHECK(aff != NULL && strstr(aff, "ICONV") != NULL);
    CHECK_INT(xlate_dictfilter_restore(aff, aff_len, saved, saved_len, &back), 1);
    if (back) {
        const char *forms[] = {"області", "областю", "кавуна", "Харківська"};
        for (size_t i = 0; i < 4; i++)
            CHECK_INT(xlate_dictfilter_may_stem(back, forms[i], strlen(forms[i])),
                      xlate_dictfilter_may_stem(d, forms[i], strlen(forms[i])));
        CHECK_INT(xlate_dictfilter_may_stem(back, "області", strlen("області")), 1);
        CHECK_INT(xlate_dictfilter_may_stem(back, "кавуна", strlen("кавуна")), 0);
    }
    /* bytes that are not a saved focus are refused */
    xlate_dictfilter *bad = NULL;
    CHECK_INT(xlate_dictfilter_restore(aff, aff_len, "\x07", 1, &bad), 0);
    CHECK(bad == NULL);
    free(saved);
    xlate_dictfilter_free(back);
    xlate_dictfilter_free(d);
}

static void test_unmodelled_affix_file_is_declined(void) {
    char aff[] = "/tmp/xlate-test-dictfilter-XXXXXX";
    int fd = mkstemp(aff);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    FILE *f = fdopen(fd, "w");
    fputs("SET UTF-8\nPFX A Y 1\nPFX A 0 не .\n", f);
    fclose(f);
    const char *words[] = {"слово"};
    size_t lens[] = {strlen(words[0])};
    FILE *out = tmpfile();
    CHECK_INT(xlate_dictfilter_write(aff, DICT ".dic", words, lens, 1, out, NULL), 0);
    fclose(out);
    unlink(aff);
}

int main(void) {
    /* The cache entries these tests write and read go to a directory of their own. */
    char cache[] = "/tmp/xlate-test-dictfilter-cache-XXXXXX";
    if (!mkdtemp(cache)) {
        perror("mkdtemp");
        return 1;
    }
    setenv("XLATE_CACHE_DIR", cache, 1);
    test_filtered_dictionary_gives_the_same_keys();
    test_filter_keeps_a_small_part();
    test_core_dictionary_holds_the_keys_entries();
    test_unmodelled_affix_file_is_declined();
    check_remove_tree(cache);
    return check_result("test_glossary_dictfilter");
}
