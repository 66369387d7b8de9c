/*
 * Tests of the glossary's matcher: inflected Ukrainian forms, multi-word terms, longest match
 * first, case rules, apostrophe variants, punctuation between words, and exact byte spans —
 * on text the default map was not written from.
 */
#include "check.h"
#include "matcher.h"

#include <xlate/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DICT "/usr/share/hunspell/uk_UA"

typedef struct fixture {
    xlate_termmap map;
    xlate_lemmatizer *lem;
    xlate_matcher *m;
} fixture;

static int open_fixture(fixture *f, const char *tsv, const char *path, int stems) {
    char err[512] = "";
    memset(f, 0, sizeof *f);
    int rc = path ? xlate_termmap_load(path, NULL, NULL, &f->map, err, sizeof err)
                  : xlate_termmap_parse(tsv, strlen(tsv), "test.tsv", &f->map, err, sizeof err);
    if (rc == XLATE_OK)
        rc = xlate_lemmatizer_open(DICT, stems, &f->lem, err, sizeof err);
    if (rc == XLATE_OK)
        rc = xlate_matcher_build(&f->map, f->lem, &f->m, err, sizeof err);
    if (rc != XLATE_OK)
        fprintf(stderr, "fixture: %s\n", err);
    return rc;
}

static void close_fixture(fixture *f) {
    xlate_matcher_free(f->m);
    xlate_lemmatizer_close(f->lem);
    xlate_termmap_free(&f->map);
}

/* One expected match: the text of the span as it stands, and the entry's target. The span's
 * offsets are checked against the nth occurrence of `span` in the text. */
typedef struct expected {
    const char *span;
    const char *target;
} expected;

static size_t offset_of(const char *text, const char *span, size_t from) {
    const char *p = strstr(text + from, span);
    return p ? (size_t)(p - text) : (size_t)-1;
}

static void expect_matches(fixture *f, const char *text, const expected *want, size_t n_want) {
    const xlate_match *got;
    size_t n_got;
    CHECK_INT(xlate_matcher_find(f->m, text, strlen(text), NULL, 0, &got, &n_got), XLATE_OK);
    size_t from = 0;
    for (size_t i = 0; i < n_want || i < n_got; i++) {
        if (i >= n_got || i >= n_want) {
            fprintf(stderr, "  in \"%s\": %s match %zu: \"%.*s\"\n", text,
                    i >= n_got ? "missing" : "unexpected", i,
                    i >= n_got ? (int)strlen(want[i].span) : (int)(got[i].end - got[i].start),
                    i >= n_got ? want[i].span : text + got[i].start);
            check_failures++;
            continue;
        }
        size_t start = offset_of(text, want[i].span, from);
        CHECK_INT(got[i].start, start);
        CHECK_INT(got[i].end, start + strlen(want[i].span));
        CHECK_STR(f->map.entries[got[i].entry].target, want[i].target);
        from = start + 1;
    }
}

#define EXPECT(f, text, ...)                                                               \
    do {                                                                                   \
        static const expected want_[] = {__VA_ARGS__};                                     \
        expect_matches(f, text, want_, sizeof want_ / sizeof want_[0]);                    \
    } while (0)

static void expect_no_match(fixture *f, const char *text) {
    const xlate_match *got;
    size_t n_got;
    CHECK_INT(xlate_matcher_find(f->m, text, strlen(text), NULL, 0, &got, &n_got), XLATE_OK);
    if (n_got) {
        fprintf(stderr, "  in \"%s\": unexpected match \"%.*s\"\n", text,
                (int)(got[0].end - got[0].start), text + got[0].start);
        check_failures++;
    }
}

static void test_inflected_forms_from_the_issue(fixture *d) {
    EXPECT(d, "Бої точаться в Харківській області.",
           {"Харківській області", "Kharkiv region"});
    EXPECT(d, "Позиція Столтенберга не змінилася.", {"Столтенберга", "Stoltenberg"});
    EXPECT(d, "Партнери передали Силам оборони України нові системи.",
           {"Партнери", "partners"}, {"Силам оборони України", "Ukrainian Defense Forces"});
}

static void test_byte_spans_are_exact(fixture *d) {
    const char *text = "У Харківській області";
    const xlate_match *got;
    size_t n;
    CHECK_INT(xlate_matcher_find(d->m, text, strlen(text), NULL, 0, &got, &n), XLATE_OK);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_INT(got[0].start, 3); /* "У" is two bytes, then a space */
        CHECK_INT(got[0].end, strlen(text));
    }
}

/* Unseen news text: inflected names, places, organizations and weapons. */
static void test_unseen_news_text(fixture *d) {
    EXPECT(d,
           "Президент України Володимир Зеленський провів зустріч із Джо Байденом у Вашингтоні, "
           "де обговорили постачання ракет для ЗРК Patriot.",
           {"Президент України", "President of Ukraine"},
           {"Володимир Зеленський", "Volodymyr Zelensky"},
           {"Джо Байденом", "Joe Biden"},
           {"Вашингтоні", "Washington"},
           {"ракет", "missile"},
           {"ЗРК Patriot", "Patriot air defense system"});
    EXPECT(d,
           "Вночі окупанти атакували Одещину та Запорізьку область ударними безпілотниками, "
           "повідомили в Повітряних силах ЗСУ.",
           {"окупанти", "occupiers"},
           {"Одещину", "Odesa region"},
           {"Запорізьку область", "Zaporizhzhia region"},
           {"безпілотниками", "drone"},
           {"Повітряних силах", "Air Force"},
           {"ЗСУ", "Armed Forces of Ukraine"});
    EXPECT(d,
           "Міністри закордонних справ країн НАТО зберуться в Брюсселі, щоб обговорити "
           "членство України в Альянсі.",
           {"Міністри закордонних справ", "Minister of Foreign Affairs"},
           {"країн НАТО", "NATO countries"},
           {"Брюсселі", "Brussels"},
           {"України", "Ukraine"},
           {"Альянсі", "the Alliance"});
}

static void test_longest_term_wins(fixture *d) {
    /* "Генеральний секретар НАТО" over "Генеральний секретар", then "Єнс Столтенберг" over
     * "Столтенберг" */
    EXPECT(d, "Генеральний секретар НАТО Єнс Столтенберг прибув до Києва.",
           {"Генеральний секретар НАТО", "NATO Secretary-General"},
           {"Єнс Столтенберг", "Jens Stoltenberg"},
           {"Києва", "Kyiv"});
    EXPECT(d, "Заяву зробив Генеральний секретар.",
           {"Генеральний секретар", "Secretary-General"});
}

static void test_case_sensitive_entries(fixture *d) {
    /* НАТО is case-sensitive in the map: "Нати" (a name) shares the stem "ната" but is not it */
    EXPECT(d, "Лист від Нати, не від НАТО.", {"НАТО", "NATO"});
    /* "Альянс" needs its capital: a lower-case "альянс" is any alliance */
    expect_no_match(d, "Компанії уклали альянс.");
}

/* A term in its dictionary form does not stand for the homographs among its stems. */
static void test_homograph_stems_do_not_match(fixture *d) {
    expect_no_match(d, "Сума платежу і кий для більярду.");   /* Суми → сума, Київ → кий */
    expect_no_match(d, "Я радий.");                            /* not the Rada */
    EXPECT(d, "У Сумах і під Сумами, у Києві.", {"Сумах", "Sumy"}, {"Сумами", "Sumy"},
           {"Києві", "Kyiv"});
}

static void test_apostrophe_variants(fixture *d) {
    EXPECT(d, "Куп'янськ, Куп\u2019янськ і Куп\u02BCянськ.",
           {"Куп'янськ", "Kupiansk"}, {"Куп\u2019янськ", "Kupiansk"},
           {"Куп\u02BCянськ", "Kupiansk"});
}

static void test_punctuation_between_words_must_agree(fixture *d) {
    expect_no_match(d, "Харківська. Область");
    /* line breaks and non-breaking spaces count as spaces */
    EXPECT(d, "у Харківській\nобласті і в Харківській\u00A0області",
           {"Харківській\nобласті", "Kharkiv region"}, {"Харківській\u00A0області", "Kharkiv region"});
}

static void test_words_inside_words_do_not_match(fixture *d) {
    /* "США" must not match inside a longer word, nor "Київ" inside "Київщина" */
    EXPECT(d, "Київщина і США.", {"Київщина", "Kyiv region"}, {"США", "US"});
}

static void test_custom_map_case_and_keep(void) {
    fixture f;
    const char *tsv = "source\ttarget\tcase\tkeep\n"
                      "Рада\tVerkhovna Rada\tsensitive\t\n"
                      "рада\tcouncil\t\t\n"
                      "Himars\t\t\tyes\n";
    if (open_fixture(&f, tsv, NULL, 1) != XLATE_OK) {
        check_failures++;
        return;
    }
    /* the case-sensitive term ranks before the insensitive one of the same length */
    EXPECT(&f, "Рада ухвалила закон; міська рада — ні; HIMARS працюють.",
           {"Рада", "Verkhovna Rada"}, {"рада", "council"}, {"HIMARS", ""});
    close_fixture(&f);
}

static void test_stems_off_matches_only_the_written_form(void) {
    fixture f;
    if (open_fixture(&f, "source\ttarget\nХарківська область\tKharkiv region\n", NULL, 0) !=
        XLATE_OK) {
        check_failures++;
        return;
    }
    expect_no_match(&f, "у Харківській області");
    EXPECT(&f, "ХАРКІВСЬКА ОБЛАСТЬ", {"ХАРКІВСЬКА ОБЛАСТЬ", "Kharkiv region"});
    close_fixture(&f);
}

static void test_term_without_words_is_an_error(void) {
    xlate_termmap map;
    xlate_lemmatizer *lem;
    xlate_matcher *m = NULL;
    char err[512] = "";
    const char *tsv = "source\ttarget\nКиїв\tKyiv\n—\tdash\n";
    CHECK_INT(xlate_termmap_parse(tsv, strlen(tsv), "t.tsv", &map, err, sizeof err), XLATE_OK);
    CHECK_INT(xlate_lemmatizer_open(DICT, 0, &lem, err, sizeof err), XLATE_OK);
    CHECK_INT(xlate_matcher_build(&map, lem, &m, err, sizeof err), XLATE_ERROR);
    CHECK(m == NULL);
    CHECK(strncmp(err, "t.tsv:3:", 8) == 0);
    xlate_lemmatizer_close(lem);
    xlate_termmap_free(&map);
}

static void test_blocked_ranges_give_way_to_shorter_terms(fixture *d) {
    const char *text = "Сили оборони України звільнили Вовчанськ.";
    const char *ukraine = strstr(text, "України");
    xlate_byte_range blocked = {(size_t)(ukraine - text), (size_t)(ukraine - text) + strlen("України")};
    const xlate_match *got;
    size_t n;
    CHECK_INT(xlate_matcher_find(d->m, text, strlen(text), &blocked, 1, &got, &n), XLATE_OK);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_INT(got[0].start, 0);
        CHECK_INT(got[0].end, strlen("Сили оборони"));
        CHECK_STR(d->map.entries[got[0].entry].target, "Defense Forces");
        CHECK_STR(d->map.entries[got[1].entry].target, "Vovchansk");
    }
}

static void test_several_blocked_ranges(fixture *d) {
    const char *text = "Київ, Харків, Одеса, Львів і Херсон.";
    /* block Київ, Одеса and Херсон: only Харків and Львів are left */
    const char *names[] = {"Київ", "Одеса", "Херсон"};
    xlate_byte_range blocked[3];
    for (int k = 0; k < 3; k++) {
        size_t at = (size_t)(strstr(text, names[k]) - text);
        blocked[k] = (xlate_byte_range){at, at + strlen(names[k])};
    }
    const xlate_match *got;
    size_t n;
    CHECK_INT(xlate_matcher_find(d->m, text, strlen(text), blocked, 3, &got, &n), XLATE_OK);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(d->map.entries[got[0].entry].target, "Kharkiv");
        CHECK_STR(d->map.entries[got[1].entry].target, "Lviv");
    }
}

static void test_empty_text(fixture *d) {
    const xlate_match *got;
    size_t n = 7;
    CHECK_INT(xlate_matcher_find(d->m, "", 0, NULL, 0, &got, &n), XLATE_OK);
    CHECK_INT(n, 0);
}

/* An English map with the British dictionary (Debian's hunspell-en-gb), or without one. */
static int open_english(fixture *f, const char *tsv, int stems) {
    char err[512] = "";
    memset(f, 0, sizeof *f);
    int rc = xlate_termmap_parse(tsv, strlen(tsv), "en.tsv", &f->map, err, sizeof err);
    if (rc == XLATE_OK)
        rc = xlate_lemmatizer_open("/usr/share/hunspell/en_GB", stems, &f->lem, err, sizeof err);
    if (rc == XLATE_OK) {
        xlate_lemmatizer_set_language(f->lem, "en");
        rc = xlate_matcher_build(&f->map, f->lem, &f->m, err, sizeof err);
    }
    if (rc != XLATE_OK)
        fprintf(stderr, "fixture: %s\n", err);
    return rc;
}

static const char english_map[] = "source\ttarget\tcase\n"
                                  "NATO\tOTAN\tsensitive\n"
                                  "air defence\tdefensa antiaérea\t\n"
                                  "Secretary-General\tsecretario general\t\n"
                                  "ground troops\ttropas terrestres\t\n"
                                  "Stoltenberg\tStoltenberg\tsensitive\n";

/* English plurals and possessives through the dictionary; hyphen, space, no-break space and
 * dash variants of a term are the term. */
static void test_english_inflection_and_variants(void) {
    fixture f;
    if (open_english(&f, english_map, 1) != XLATE_OK) {
        check_failures++;
        return;
    }
    EXPECT(&f, "NATO's allies sent air defences and air-defence radars.",
           {"NATO's", "OTAN"}, {"air defences", "defensa antiaérea"},
           {"air-defence", "defensa antiaérea"});
    EXPECT(&f, "The Secretary General, the Secretary\u2011General, the Secretary \u2013 General, "
               "the Secretary\u00A0General and the Secretary\u2014General spoke.",
           {"Secretary General", "secretario general"},
           {"Secretary\u2011General", "secretario general"},
           {"Secretary \u2013 General", "secretario general"},
           {"Secretary\u00A0General", "secretario general"},
           {"Secretary\u2014General", "secretario general"});
    EXPECT(&f, "Ground troops. Stoltenberg's words.", {"Ground troops", "tropas terrestres"},
           {"Stoltenberg's", "Stoltenberg"});
    /* other punctuation still parts a term, and a possessive keeps its capitals rule */
    expect_no_match(&f, "the Secretary. General; the Secretary/General; Nato's view");
    close_fixture(&f);
}

/* Without a dictionary a possessive is still its base (an unknown name's too); a plural is not. */
static void test_english_possessives_without_a_dictionary(void) {
    fixture f;
    if (open_english(&f, english_map, 0) != XLATE_OK) {
        check_failures++;
        return;
    }
    EXPECT(&f, "NATO\u2019s chief, Stoltenberg's aide", {"NATO\u2019s", "OTAN"},
           {"Stoltenberg's", "Stoltenberg"});
    expect_no_match(&f, "air defences");
    close_fixture(&f);
}

int main(void) {
    fixture d;
    if (open_fixture(&d, NULL, SOURCE_ROOT "/plugins/glossary/data/oboz-uk-en.tsv", 1) != XLATE_OK)
        return 1;
    test_inflected_forms_from_the_issue(&d);
    test_byte_spans_are_exact(&d);
    test_unseen_news_text(&d);
    test_longest_term_wins(&d);
    test_case_sensitive_entries(&d);
    test_homograph_stems_do_not_match(&d);
    test_apostrophe_variants(&d);
    test_punctuation_between_words_must_agree(&d);
    test_words_inside_words_do_not_match(&d);
    test_blocked_ranges_give_way_to_shorter_terms(&d);
    test_several_blocked_ranges(&d);
    test_empty_text(&d);
    close_fixture(&d);
    test_custom_map_case_and_keep();
    test_stems_off_matches_only_the_written_form();
    test_term_without_words_is_an_error();
    test_english_inflection_and_variants();
    test_english_possessives_without_a_dictionary();
    return check_result("test_glossary_matcher");
}
