/*
 * Tests of the glossary's lemmatizer: hunspell stems of Ukrainian words through the Debian
 * uk_UA dictionary, case folding, apostrophe variants, and the lookup cache.
 */
#include "check.h"
#include "lemmatizer.h"

#include <xlate/plugin.h>

#include <stdio.h>
#include <string.h>

#define DICT "/usr/share/hunspell/uk_UA"

/* Nonzero when `key` is one of the n NUL-separated keys. */
static int has_key(const char *keys, int n, const char *key) {
    for (int i = 0; i < n; i++, keys += strlen(keys) + 1)
        if (strcmp(keys, key) == 0)
            return 1;
    return 0;
}

static int word_has_key(xlate_lemmatizer *lem, const char *word, const char *key) {
    const char *keys;
    int n = xlate_lemmatizer_keys(lem, word, strlen(word), &keys, NULL);
    if (n < 1 || !has_key(keys, n, key)) {
        fprintf(stderr, "  keys of \"%s\" lack \"%s\"\n", word, key);
        return 0;
    }
    return 1;
}

static void test_inflected_forms_share_a_stem(xlate_lemmatizer *lem) {
    CHECK(word_has_key(lem, "Харківській", "харківський"));
    CHECK(word_has_key(lem, "Харківська", "харківський"));
    CHECK(word_has_key(lem, "області", "область"));
    CHECK(word_has_key(lem, "Столтенберга", "столтенберг"));
    CHECK(word_has_key(lem, "Силам", "сила"));
    CHECK(word_has_key(lem, "Сили", "сила"));
    CHECK(word_has_key(lem, "Києва", "київ"));
    CHECK(word_has_key(lem, "окупантів", "окупант"));
    CHECK(word_has_key(lem, "боєприпасів", "боєприпас"));
    /* all capitals, as in headlines */
    CHECK(word_has_key(lem, "КИЄВА", "київ"));
}

static void test_first_key_is_the_folded_word(xlate_lemmatizer *lem) {
    const char *keys;
    int n = xlate_lemmatizer_keys(lem, "Силам", strlen("Силам"), &keys, NULL);
    CHECK(n >= 2);
    CHECK_STR(keys, "силам");
    /* a word the dictionary does not know keeps its folded form alone */
    n = xlate_lemmatizer_keys(lem, "Economist", strlen("Economist"), &keys, NULL);
    CHECK_INT(n, 1);
    CHECK_STR(keys, "economist");
}

static void test_word_with_several_stems_gives_them_all(xlate_lemmatizer *lem) {
    /* "оборони": genitive of оборона and a form of оборонити */
    CHECK(word_has_key(lem, "оборони", "оборона"));
    CHECK(word_has_key(lem, "оборони", "оборонити"));
}

static void test_dictionary_forms_are_told_apart(xlate_lemmatizer *lem) {
    const char *keys;
    int lemma = -1;
    CHECK(xlate_lemmatizer_keys(lem, "Київ", strlen("Київ"), &keys, &lemma) >= 1);
    CHECK_INT(lemma, 1);
    CHECK(xlate_lemmatizer_keys(lem, "Києва", strlen("Києва"), &keys, &lemma) >= 1);
    CHECK_INT(lemma, 0);
    /* the flag comes from the cache as well */
    CHECK(xlate_lemmatizer_keys(lem, "Київ", strlen("Київ"), &keys, &lemma) >= 1);
    CHECK_INT(lemma, 1);
    CHECK(xlate_lemmatizer_keys(lem, "окупанти", strlen("окупанти"), &keys, &lemma) >= 1);
    CHECK_INT(lemma, 0);
}

static void test_apostrophe_variants_are_one_word(xlate_lemmatizer *lem) {
    const char *forms[] = {"п'ять", "п\u2019ять", "п\u02BCять"};
    for (size_t i = 0; i < 3; i++) {
        const char *keys;
        int n = xlate_lemmatizer_keys(lem, forms[i], strlen(forms[i]), &keys, NULL);
        CHECK(n >= 1);
        CHECK_STR(keys, "п'ять");
    }
}

static void test_only_the_given_bytes_are_read(xlate_lemmatizer *lem) {
    const char *text = "Києвом";
    const char *keys;
    /* "Києв" of "Києвом": not a word, so no stem of Києвом may appear */
    int n = xlate_lemmatizer_keys(lem, text, strlen("Києв"), &keys, NULL);
    CHECK_INT(n, 1);
    CHECK_STR(keys, "києв");
}

static void test_cache_answers_repeated_words(void) {
    xlate_lemmatizer *lem;
    char err[512];
    CHECK_INT(xlate_lemmatizer_open(DICT, 1, &lem, err, sizeof err), XLATE_OK);
    const char *keys;
    size_t hits, misses;
    for (int i = 0; i < 5; i++)
        CHECK(xlate_lemmatizer_keys(lem, "Україні", strlen("Україні"), &keys, NULL) >= 1);
    CHECK(xlate_lemmatizer_keys(lem, "України", strlen("України"), &keys, NULL) >= 1);
    xlate_lemmatizer_stats(lem, &hits, &misses);
    CHECK_INT(misses, 2);
    CHECK_INT(hits, 4);
    CHECK(has_key(keys, xlate_lemmatizer_keys(lem, "Україні", strlen("Україні"), &keys, NULL),
                  "україна"));
    xlate_lemmatizer_close(lem);
}

static void test_stems_off_folds_only(void) {
    xlate_lemmatizer *lem;
    char err[512];
    CHECK_INT(xlate_lemmatizer_open("/nonexistent/dict", 0, &lem, err, sizeof err), XLATE_OK);
    const char *keys;
    CHECK_INT(xlate_lemmatizer_keys(lem, "Харківській", strlen("Харківській"), &keys, NULL), 1);
    CHECK_STR(keys, "харківській");
    xlate_lemmatizer_close(lem);
}

static void test_missing_dictionary_is_named(void) {
    xlate_lemmatizer *lem = (xlate_lemmatizer *)1;
    char err[512] = "";
    CHECK_INT(xlate_lemmatizer_open("/nonexistent/uk_XX", 1, &lem, err, sizeof err),
              XLATE_ENOTFOUND);
    CHECK(lem == NULL);
    CHECK(strstr(err, "/nonexistent/uk_XX.aff") != NULL);
    CHECK(strstr(err, "hunspell-uk") != NULL);
}

int main(void) {
    xlate_lemmatizer *lem;
    char err[512] = "";
    if (xlate_lemmatizer_open(DICT, 1, &lem, err, sizeof err) != XLATE_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    test_inflected_forms_share_a_stem(lem);
    test_first_key_is_the_folded_word(lem);
    test_word_with_several_stems_gives_them_all(lem);
    test_dictionary_forms_are_told_apart(lem);
    test_apostrophe_variants_are_one_word(lem);
    test_only_the_given_bytes_are_read(lem);
    xlate_lemmatizer_close(lem);
    test_cache_answers_repeated_words();
    test_stems_off_folds_only();
    test_missing_dictionary_is_named();
    return check_result("test_glossary_lemmatizer");
}
