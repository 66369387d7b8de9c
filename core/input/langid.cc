/*
 * langid: the C interface to CLD2 (libcld2) that langid.h declares — the one C++ file of the
 * library, so that the rest stays C. CLD2 answers with its own codes; they are turned into BCP 47
 * tags here, and its uk/ru answers are checked against the letters of the two alphabets.
 */
#include <cstdio>
#include <cstring>
#include <strings.h>
#include <new>

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

extern "C" {
#include "detect.h"
#include "langid.h"
}

namespace {

/* CLD2 keeps a few codes BCP 47 has retired or never had. */
const char *bcp47_of(const char *code) {
    static const struct {
        const char *cld2, *bcp47;
    } renamed[] = {{"iw", "he"}, {"jw", "jv"}, {"ji", "yi"}, {"in", "id"}, {"mo", "ro"}};
    for (const auto &r : renamed)
        if (std::strcmp(code, r.cld2) == 0)
            return r.bcp47;
    return code;
}

/* Below this many bytes of letters CLD2's Ukrainian/Russian answer may be either; the alphabets'
 * own letters decide when they point one way. */
bool is_uk_or_ru(const char *tag) {
    return std::strcmp(tag, "uk") == 0 || std::strcmp(tag, "ru") == 0;
}

/* What the letters say between Ukrainian and Russian: "uk", "ru", or NULL when they say nothing
 * (neither alphabet's own letters) or both (a text that mixes them, whose majority CLD2 judges). */
const char *cyrillic_verdict(const char *utf8, size_t len) {
    xlate_cyrillic_marks m;
    xlate_count_cyrillic_marks(utf8, len, &m);
    if (m.uk && !m.ru)
        return "uk";
    if (m.ru && !m.uk)
        return "ru";
    return nullptr;
}

}  // namespace

extern "C" void xlate_langid_identify(const char *utf8, size_t len, int markup, xlate_langid *out) {
    std::memset(out, 0, sizeof *out);
    if (!utf8 || len == 0)
        return;
    if (len > (1u << 30))
        len = 1u << 30; /* CLD2 takes an int length; a sample this large says all there is */
    CLD2::Language top3[3];
    int percent3[3];
    double score3[3];
    int text_bytes = 0, valid_prefix = 0;
    bool reliable = false;
    CLD2::CLDHints hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
    CLD2::Language lang;
    try {
        lang = CLD2::ExtDetectLanguageSummaryCheckUTF8(utf8, static_cast<int>(len), !markup, &hints,
                                                       0, top3, percent3, score3, nullptr,
                                                       &text_bytes, &reliable, &valid_prefix);
    } catch (const std::bad_alloc &) {
        return; /* out of memory: the text does not tell, as for any text CLD2 cannot judge */
    }
    const char *tag = lang == CLD2::UNKNOWN_LANGUAGE ? "" : bcp47_of(CLD2::LanguageCode(lang));
    const char *cyr = cyrillic_verdict(utf8, len);
    if (cyr && (is_uk_or_ru(tag) || !*tag)) {
        /* The letters decide between the two; a text CLD2 could not place at all is taken only
         * when it has enough Cyrillic to read as either. */
        if (*tag || text_bytes >= 16) {
            reliable = reliable || std::strcmp(tag, cyr) != 0 || !*tag;
            tag = cyr;
        }
    }
    if (std::strcmp(tag, "un") == 0 || std::strcmp(tag, "xxx") == 0)
        tag = "";
    std::snprintf(out->language, sizeof out->language, "%s", tag);
    out->reliable = *tag && reliable;
    out->percent = *tag ? percent3[0] : 0;
    out->text_bytes = text_bytes > 0 ? static_cast<size_t>(text_bytes) : 0;
}

extern "C" void xlate_langid_identify_document(const char *utf8, size_t len, xlate_langid *out) {
    struct vote {
        char language[XLATE_LANGID_MAX];
        size_t bytes;
    } votes[16];
    size_t n_votes = 0, total = 0, lines = 0;
    std::memset(out, 0, sizeof *out);
    for (size_t at = 0; at < len;) {
        const char *nl = static_cast<const char *>(std::memchr(utf8 + at, '\n', len - at));
        size_t end = nl ? static_cast<size_t>(nl - utf8) : len;
        xlate_langid line;
        xlate_langid_identify(utf8 + at, end - at, 0, &line);
        at = end + 1;
        if (!line.language[0])
            continue;
        lines++;
        size_t v = 0;
        while (v < n_votes && std::strcmp(votes[v].language, line.language) != 0)
            v++;
        if (v == n_votes) {
            if (n_votes == sizeof votes / sizeof votes[0])
                continue; /* a seventeenth language in one document: too little to matter */
            std::snprintf(votes[v].language, sizeof votes[v].language, "%s", line.language);
            votes[v].bytes = 0;
            n_votes++;
        }
        votes[v].bytes += line.text_bytes;
        total += line.text_bytes;
    }
    if (lines <= 1 || total == 0) {
        xlate_langid_identify(utf8, len, 0, out);
        return;
    }
    size_t best = 0;
    for (size_t v = 1; v < n_votes; v++)
        if (votes[v].bytes > votes[best].bytes)
            best = v;
    static_assert(sizeof out->language == sizeof votes[best].language, "same room");
    std::memcpy(out->language, votes[best].language, sizeof out->language);
    out->percent = static_cast<int>(100 * votes[best].bytes / total);
    out->reliable = 2 * votes[best].bytes > total;
    out->text_bytes = total;
}

extern "C" int xlate_langid_same_language(const char *a, const char *b) {
    size_t la = std::strcspn(a, "-_"), lb = std::strcspn(b, "-_");
    return la == lb && strncasecmp(a, b, la) == 0;
}
