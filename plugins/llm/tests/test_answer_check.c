/*
 * The llm plugin's checks of a model's answer (answer_check.h), on answers real models give:
 * what is wrapping and is taken off, what is chatter and is refused, what is a segment merged or
 * split, and the terms found whatever their case.
 */
#include <string.h>

#include "answer_check.h"
#include "check.h"

static void expect_unwrap(const char *answer, const char *source, const char *want) {
    xp_buf out = XP_BUF_INIT;
    CHECK(llm_answer_unwrap(answer, strlen(answer), source, strlen(source), &out) == 0);
    CHECK_STR(out.data ? out.data : "", want);
    xp_buf_free(&out);
}

static int chatter(const char *answer, const char *source) {
    char why[256] = "";
    return llm_answer_chatter(answer, strlen(answer), source, strlen(source), why, sizeof why);
}

static int merged(llm_checker *c, const char *answer, const char *source) {
    char why[256] = "";
    return llm_answer_merged(c, answer, strlen(answer), source, strlen(source), why, sizeof why);
}

static void test_unwrap(void) {
    const char *uk = "Столтенберг закликав країни НАТО.";
    expect_unwrap("  Stoltenberg urged NATO countries.\n", uk, "Stoltenberg urged NATO countries.");
    expect_unwrap("```\nStoltenberg urged NATO countries.\n```", uk,
                  "Stoltenberg urged NATO countries.");
    expect_unwrap("```text\nStoltenberg urged NATO countries.\n```", uk,
                  "Stoltenberg urged NATO countries.");
    expect_unwrap("\"Stoltenberg urged NATO countries.\"", uk, "Stoltenberg urged NATO countries.");
    expect_unwrap("“Stoltenberg urged NATO countries.”", uk, "Stoltenberg urged NATO countries.");
    /* a quoted source is translated quoted: the quotes are the text's */
    expect_unwrap("“It is time,” he said.", "«Настав час», – сказав він.", "“It is time,” he said.");
    expect_unwrap("\"Time\" and \"place\"", "Час і місце", "\"Time\" and \"place\"");
    /* a fence inside the answer is no wrapping: left for the chatter check */
    expect_unwrap("Here:\n```\nx\n```", uk, "Here:\n```\nx\n```");
}

static void test_chatter(void) {
    const char *uk = "Джерело: пресслужба НАТО";
    CHECK(chatter("Here is the translation: Source: NATO Press Service", uk));
    CHECK(chatter("Sure! Source: NATO Press Service", uk));
    CHECK(chatter("Sure, here it is: Source: NATO Press Service", uk));
    CHECK(chatter("Translation: Source: NATO Press Service", uk));
    CHECK(chatter("English translation: Source: NATO Press Service", uk));
    CHECK(chatter("Source: NATO Press Service\n\nNote: \"пресслужба\" is press service.", uk));
    CHECK(chatter("Source: NATO Press Service (Note: literal)", uk));
    CHECK(chatter("Source: NATO Press Service\nI kept the glossary term.", uk));
    CHECK(chatter("```\nSource: NATO Press Service\n```", uk));
    /* a translation with a colon of its own is no label */
    CHECK(chatter("Source: NATO Press Service", uk) == 0);
    CHECK(chatter("Of course, the allies must decide.", "Звичайно, союзники мають вирішити.") == 0);
}

static void test_merged(void) {
    llm_checker *c = llm_checker_new("uk", "en");
    CHECK(c != NULL);
    if (!c)
        return;
    const char *uk = "Столтенберг закликає зняти обмеження на використання зброї, наданої Україні.";
    CHECK(merged(c, "Stoltenberg calls for lifting restrictions on the use of weapons given to "
                    "Ukraine.", uk) == 0);
    /* the next segment's translation added */
    CHECK(merged(c, "Stoltenberg calls for lifting restrictions on the use of weapons given to "
                    "Ukraine. Source: NATO Press Service.", uk) == 1);
    /* split in two */
    CHECK(merged(c, "Stoltenberg calls for lifting restrictions. They concern weapons given to "
                    "Ukraine.", uk) == 1);
    /* an abbreviation is no sentence end */
    CHECK(merged(c, "Stoltenberg calls on the U.S. government to lift restrictions on weapons.",
                 uk) == 0);
    /* far too short for its source */
    CHECK(merged(c, "Stoltenberg.", uk) == 1);
    /* a headline may be much longer or shorter */
    CHECK(merged(c, "Other news from the region", "Інші новини") == 0);
    CHECK(llm_answer_has_term(c, "NATO's Secretary-General", 24, "nato", 4) == 1);
    CHECK(llm_answer_has_term(c, "Air defence forces", 18, "air defence", 11) == 1);
    CHECK(llm_answer_has_term(c, "Air defense forces", 18, "air defence", 11) == 0);
    CHECK(llm_answer_has_term(c, "STRASSE", 7, "straße", strlen("straße")) == 1);
    llm_checker_free(c);
}

int main(void) {
    test_unwrap();
    test_chatter();
    test_merged();
    return check_result("llm_answer_check");
}
