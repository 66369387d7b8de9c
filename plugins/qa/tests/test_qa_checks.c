/*
 * Unit tests of the qa checks, called as plain functions through qa_checker_run: what each check
 * finds and says, the language conventions read from ICU, the scanner's tokens, the option lists.
 * The labelled set (qa-set.tsv, qa_eval) measures the same checks on many pairs at once.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "qa_check.h"

/* The codes found for one pair, all checks on, as "numbers,quotes" ("" for none); the last
 * run's findings stay in `last` for the message checks. */
static qa_findings last;

static const char *codes_of(const char *from, const char *to, const char *src, const char *tgt,
                            const qa_term *terms, size_t n_terms) {
    static char out[256];
    qa_config config = {.enabled = QA_ALL_CHECKS,
                        .length_tolerance = QA_LENGTH_TOLERANCE_DEFAULT,
                        .length_min = QA_LENGTH_MIN_DEFAULT};
    qa_checker *c = qa_checker_new(from, to, &config);
    out[0] = '\0';
    last.n = 0;
    if (!c || qa_checker_run(c, src, strlen(src), tgt, strlen(tgt), terms, n_terms, &last) != 0) {
        qa_checker_free(c);
        return "(failed)";
    }
    qa_checker_free(c);
    for (size_t k = 0; k < last.n; k++) {
        if (k)
            strcat(out, ",");
        strcat(out, qa_code_name(last.items[k].code));
    }
    return out;
}

static const char *codes(const char *from, const char *to, const char *src, const char *tgt) {
    return codes_of(from, to, src, tgt, NULL, 0);
}

static int message_has(const char *part) {
    for (size_t k = 0; k < last.n; k++)
        if (strstr(last.items[k].message, part))
            return 1;
    fprintf(stderr, "  no message with \"%s\" among %zu:\n", part, last.n);
    for (size_t k = 0; k < last.n; k++)
        fprintf(stderr, "    %s\n", last.items[k].message);
    return 0;
}

static void test_languages(void) {
    qa_lang l;
    qa_lang_init(&l, "uk");
    CHECK_INT(l.decimal, ',');
    CHECK_INT(l.group, 0x00A0);
    CHECK_INT(l.order, QA_DMY);
    CHECK_INT(l.quote_open[0], 0x00AB); /* « » first, „ “ next */
    CHECK_INT(l.quote_open[1], 0x201E);
    qa_lang_init(&l, "en-US");
    CHECK_INT(l.decimal, '.');
    CHECK_INT(l.order, QA_MDY);
    qa_lang_init(&l, "en-GB");
    CHECK_INT(l.order, QA_DMY);
    qa_lang_init(&l, "de");
    CHECK_INT(l.group, '.');
    qa_lang_init(&l, "ja");
    CHECK_INT(l.order, QA_YMD);
    qa_lang_init(&l, "el");
    CHECK(l.greek);
    qa_lang_init(&l, "");
    CHECK_INT(l.decimal, '.');
    int known;
    qa_lang a, b;
    qa_lang_init(&a, "en");
    qa_lang_init(&b, "uk");
    CHECK(qa_lang_length_norm(&a, &b, &known) < 1.0 && known);
    qa_lang_init(&b, "fi");
    CHECK(qa_lang_length_norm(&a, &b, &known) == 1.0 && known == 0);
    qa_lang_init(&b, "zh");
    CHECK(b.dense && !a.dense);
    CHECK(qa_lang_length_norm(&a, &b, &known) == 0 && known == -1);
}

static void test_numbers(void) {
    /* grouping and decimal marks of each language */
    CHECK_STR(codes("uk", "en", "Їх 1 000 штук.", "There are 1,000 of them."), "");
    CHECK_STR(codes("de", "en", "Es sind 1.000 Stück.", "There are 1,000 pieces."), "");
    CHECK_STR(codes("uk", "en", "Зростання 3,5 відсотка.", "Growth of 3.5 percent."), "");
    CHECK_STR(codes("en", "fr", "It costs 1,250.50 euros.", "Il coûte 1 250,50 euros."), "");
    CHECK_STR(codes("en", "de-CH", "It costs 1,250 francs.", "Es kostet 1’250 Franken."), "");
    CHECK_STR(codes("uk", "en", "Їх 1 000 штук.", "There are 1.000 of them."), "numbers");
    CHECK(message_has("“1 000”") && message_has("“1.000”"));
    /* dates in the order each language writes them */
    CHECK_STR(codes("uk", "en", "Це було 24.05.2024.", "It was on 05/24/2024."), "");
    CHECK_STR(codes("uk", "en", "Це було 24.05.2024.", "It was on 24/05/2024."), "");
    CHECK_STR(codes("uk", "en-US", "Це було 05.04.2024.", "It was on 04/05/2024."), "");
    CHECK_STR(codes("uk", "en-GB", "Це було 05.04.2024.", "It was on 05/04/2024."), "");
    CHECK_STR(codes("uk", "en-US", "Це було 05.04.2024.", "It was on 05/04/2024."), "numbers");
    CHECK_STR(codes("uk", "en", "Це було 2024-05-24.", "It was on 05/24/2024."), "");
    CHECK_STR(codes("uk", "en", "Це було 24.05.2024.", "It was on May 24, 2024."), "");
    CHECK_STR(codes("en", "uk", "It was on May 24, 2024.", "Це було 24.05.2024."), "");
    /* percentages however they are written */
    CHECK_STR(codes("en", "fr", "Up 50%.", "En hausse de 50 %."), "");
    CHECK_STR(codes("en", "tr", "Up 50%.", "%50 arttı."), "");
    /* the same text on both sides always agrees, whatever it means */
    CHECK_STR(codes("uk", "en", "Версія 1.10.12 вийшла.", "Version 1.10.12 is out."), "");
    CHECK_STR(codes("uk", "en", "Адреса 192.168.1.15, маска 24.", "Address 192.168.1.15, mask 24"),
              "end-punct");
    CHECK_STR(codes("uk", "en", "Їх 1,000,000 і 1.000.000,5.", "There are 1,000,000 and 1,000,000.5."),
              "");
    CHECK_STR(codes("uk", "en", "Загинули 12 людей.", "Died: 21 people."), "numbers");
    CHECK(message_has("“12”") && message_has("“21”"));
    CHECK_STR(codes("uk", "en", "Загинули 12 людей і 5 коней.", "12 people died."), "numbers");
    CHECK(message_has("number “5” missing"));
}

static void test_tokens(void) {
    CHECK_STR(codes("en", "uk", "Saved %d files to %s.", "Збережено %d файлів."), "placeholders");
    CHECK(message_has("“%s”"));
    CHECK_STR(codes("en", "uk", "Hello, {name}!", "Привіт, {імʼя}!"), "placeholders");
    CHECK_STR(codes("en", "uk", "File %1$s of %2$s.", "Файл %2$s з %1$s."), "");
    CHECK_STR(codes("en", "uk", "Press <b>OK</b>.", "Натисніть OK</b>."), "placeholders");
    CHECK_STR(codes("en", "uk", "A 20% discount today.", "Знижка 20% сьогодні."), "");
    CHECK_STR(codes("en", "uk", "See https://example.com/a.", "Див. https://example.com/a."), "");
    CHECK_STR(codes("en", "uk", "See https://example.com/a.", "Див. https://example.org/a."),
              "urls");
    CHECK(message_has("“https://example.com/a”"));
    CHECK_STR(codes("en", "uk", "Visit www.nato.int today.", "Відвідайте сайт сьогодні."), "urls");
    CHECK_STR(codes("en", "uk", "Write to press@nato.int.", "Пишіть на press@nato.int."), "");
    CHECK_STR(codes("en", "uk", "Mail <press@nato.int> or see <https://nato.int/>.",
                    "Пишіть <press@nato.int> або див. <https://nato.int/>."), "");
    CHECK_STR(codes("en", "uk", "Mail <press@nato.int> now.", "Пишіть зараз."), "emails");
    CHECK_STR(codes("en", "uk", "See ⟨https://nato.int/a⟩.", "Див. ⟨https://nato.int/a⟩."), "");
    CHECK_STR(codes("en", "uk", "Put <w:t>it</w:t> here.", "Покладіть <w:t>це</w:t> тут."), "");
    CHECK_STR(codes("en", "uk", "Write to press@nato.int.", "Пишіть нам."), "emails");
    CHECK(message_has("“press@nato.int”"));
}

static void test_terms(void) {
    qa_term t[] = {{"ППО", strlen("ППО"), "air defence", strlen("air defence")},
                   {"NATO", 4, "NATO", 4}};
    CHECK_STR(codes_of("uk", "en", "ППО НАТО.", "Air defence of NATO.", t, 2), "");
    CHECK_STR(codes_of("uk", "en", "ППО НАТО.", "Air defense of NATO.", t, 2), "terms");
    CHECK(message_has("“air defence” (for “ППО”)"));
    CHECK_STR(codes_of("uk", "en", "ППО НАТО.", "Air defence of the alliance.", t, 2), "terms");
    CHECK(message_has("kept as it is"));
}

static void test_forbidden(void) {
    static const qa_forbidden forbidden[] = {{"блок", "альянс"}, {"ПВО", "ППО"}};
    qa_config config = {.enabled = 1u << QA_FORBIDDEN, .forbidden = forbidden, .n_forbidden = 2,
                        .length_tolerance = 2.0, .length_min = 20};
    qa_checker *c = qa_checker_new("en", "uk", &config);
    qa_findings f;
    const char *src = "The alliance met.";
    const char *bad = "Зустрівся Блок.", *inflected = "Зустрілися блоку.", *good = "Альянс зустрівся.";
    CHECK(c && qa_checker_run(c, src, strlen(src), bad, strlen(bad), NULL, 0, &f) == 0);
    CHECK_INT(f.n, 1);
    CHECK(f.n == 1 && f.items[0].code == QA_FORBIDDEN);
    CHECK(f.n == 1 && strstr(f.items[0].message, "“блок”") && strstr(f.items[0].message, "“альянс”"));
    /* a word of its own only: "блоку" is another word (the glossary's inflected matching is not
     * this check's) */
    CHECK(c && qa_checker_run(c, src, strlen(src), inflected, strlen(inflected), NULL, 0, &f) == 0);
    CHECK_INT(f.n, 0);
    CHECK(c && qa_checker_run(c, src, strlen(src), good, strlen(good), NULL, 0, &f) == 0);
    CHECK_INT(f.n, 0);
    qa_checker_free(c);
}

static void test_text(void) {
    CHECK_STR(codes("en", "uk", "The talks went well.", "The talks went well."), "untranslated");
    CHECK_STR(codes("en", "uk", "NATO", "NATO"), "");
    CHECK_STR(codes("en", "uk", "Jens Stoltenberg", "Jens Stoltenberg"), "");
    CHECK_STR(codes("en", "en-GB", "The talks went well.", "The talks went well."), "");
    CHECK_STR(codes("en", "uk", "The talks went well.", "  "), "empty");
    CHECK_STR(codes("en", "uk", "The talks went well.", ""), "empty");
    CHECK_STR(codes("en", "uk", "The talks went well.", " Переговори пройшли добре."),
              "whitespace");
    CHECK(message_has("leading"));
    CHECK_STR(codes("en", "uk", "The talks went well.", "Переговори  пройшли добре."),
              "double-space");
    CHECK(message_has("after “Переговори”"));
    CHECK_STR(codes("en", "uk", "Did the talks go well?", "Переговори пройшли добре."),
              "end-punct");
    CHECK(message_has("question mark"));
    CHECK_STR(codes("en", "el", "Did it go well?", "Πήγε καλά;"), "");
    CHECK_STR(codes("en", "th", "It went well.", "ไปได้ดี"), "");
    CHECK_STR(codes("en", "uk", "He said: “wait.”", "Він сказав: «чекайте»."), "");
    CHECK_STR(codes("en", "uk", "Wait...", "Чекайте…"), "");
    CHECK_STR(codes("en", "uk", "Talks (in Kyiv) went well.", "Переговори (у Києві пройшли добре."),
              "brackets");
    CHECK(message_has("“(”"));
    CHECK_STR(codes("en", "uk", "1) talks went well.", "1) переговори пройшли добре."), "");
    CHECK_STR(codes("en", "uk", "He said “yes” to them.", "Він сказав «так» їм."), "");
    CHECK_STR(codes("en", "uk", "He said “yes” to them.", "Він сказав „так“ їм."), "");
    CHECK_STR(codes("en", "uk", "He said “yes” to them.", "Він сказав “так” їм."), "");
    CHECK_STR(codes("en", "de", "He said “yes” to them.", "Er sagte „ja“ zu ihnen."), "");
    CHECK_STR(codes("uk", "en", "Книги студентів тут.", "The students’ books are here."), "");
    CHECK_STR(codes("en", "uk", "He said “yes” to them.", "Він сказав «так їм."), "quotes");
    CHECK(message_has("«"));
    CHECK_STR(codes("en", "uk", "The city of Kyiv.", "Місто Kиїв."), "mixed-script");
    CHECK(message_has("Latin and Cyrillic"));
    CHECK_STR(codes("en", "uk", "On an iPhone.", "На iPhone-і."), "");
    CHECK_STR(codes("en", "uk", "The talks went well.", "Переговори пройшли пройшли добре."),
              "doubled-words");
    CHECK(message_has("“пройшли” twice"));
    CHECK_STR(codes("en", "uk", "He said “no no” twice.", "Він сказав «ні ні» двічі."), "");
    CHECK_STR(codes("en", "uk", "The talks in the capital went well today.", "Добре."), "length");
    CHECK(message_has("expected"));
    /* no norm for English to Chinese unless one is given */
    CHECK_STR(codes("en", "zh", "The ministers will meet again next week.", "部长们下周将再次会面。"), "");
}

static void test_config(void) {
    unsigned mask;
    const char *bad;
    size_t bad_len;
    CHECK_INT(qa_codes_parse("numbers+end-punct, length", &mask, &bad, &bad_len), 0);
    CHECK_INT(mask, (1u << QA_NUMBERS) | (1u << QA_END_PUNCT) | (1u << QA_LENGTH));
    CHECK_INT(qa_codes_parse("numbers+nums", &mask, &bad, &bad_len), -1);
    CHECK(bad_len == 4 && strncmp(bad, "nums", 4) == 0);
    /* a check switched off finds nothing */
    qa_config config = {.enabled = QA_ALL_CHECKS & ~(1u << QA_NUMBERS),
                        .length_tolerance = 2.0,
                        .length_min = 20};
    qa_checker *c = qa_checker_new("uk", "en", &config);
    qa_findings f;
    CHECK(c && qa_checker_run(c, "12 людей.", strlen("12 людей."), "21 people.",
                              strlen("21 people."), NULL, 0, &f) == 0);
    CHECK_INT(f.n, 0);
    qa_checker_free(c);
    /* an explicit ratio replaces the pair's norm */
    config = (qa_config){.enabled = 1u << QA_LENGTH, .length_ratio = 3.0,
                         .length_tolerance = 1.5, .length_min = 10};
    c = qa_checker_new("en", "uk", &config);
    const char *src = "The talks went well today.", *tgt = "Переговори пройшли добре.";
    CHECK(c && qa_checker_run(c, src, strlen(src), tgt, strlen(tgt), NULL, 0, &f) == 0);
    CHECK_INT(f.n, 1);
    qa_checker_free(c);
}

/* A segment of many numbers (a table pasted as one line) is paired number by number: one changed
 * number is named among 50,000, the same list in another order is no finding. */
static void test_many_numbers(void) {
    enum { N = 50000 };
    char *src = malloc(N * 12), *tgt = malloc(N * 12), *rev = malloc(N * 12);
    CHECK(src && tgt && rev);
    if (!src || !tgt || !rev) {
        free(src), free(tgt), free(rev);
        return;
    }
    size_t a = 0, b = 0, r = 0;
    for (int k = 0; k < N; k++) {
        a += (size_t)sprintf(src + a, "%d; ", k);
        b += (size_t)sprintf(tgt + b, "%d; ", k == 31337 ? 99999999 : k);
        r += (size_t)sprintf(rev + r, "%d; ", N - 1 - k);
    }
    qa_config config = {.enabled = 1u << QA_NUMBERS, .length_tolerance = 2.0, .length_min = 20};
    qa_checker *c = qa_checker_new("en", "en-GB", &config);
    qa_findings f;
    CHECK(c && qa_checker_run(c, src, a, tgt, b, NULL, 0, &f) == 0);
    CHECK_INT(f.n, 1);
    CHECK(f.n == 1 && strstr(f.items[0].message, "“31337”") &&
          strstr(f.items[0].message, "“99999999”"));
    CHECK(c && qa_checker_run(c, src, a, rev, r, NULL, 0, &f) == 0);
    CHECK_INT(f.n, 0);
    qa_checker_free(c);
    free(src), free(tgt), free(rev);
}

static void test_messages_cut(void) {
    qa_findings f = {.n = 0};
    char long_text[600];
    memset(long_text, 0, sizeof long_text);
    for (size_t i = 0; i + 2 < sizeof long_text; i += 2)
        memcpy(long_text + i, "ї", 2);
    qa_findings_add(&f, QA_TERMS, "%s", long_text);
    CHECK_INT(f.n, 1);
    size_t n = strlen(f.items[0].message);
    CHECK(n < QA_MESSAGE_MAX && n % 2 == 0);
}

int main(void) {
    test_languages();
    test_numbers();
    test_tokens();
    test_terms();
    test_forbidden();
    test_text();
    test_config();
    test_many_numbers();
    test_messages_cut();
    return check_result("qa_checks");
}
