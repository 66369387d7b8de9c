// bench/langid.sh's anchor: CLD2 alone, as libcld2 answers, one line of standard input a text,
// one code a line on standard output ("un" when it does not tell). What xlate adds to it
// (core/input/langid.cc) is measured against this.
#include <cstdio>
#include <iostream>
#include <string>

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

int main() {
    std::string line;
    while (std::getline(std::cin, line)) {
        CLD2::Language top3[3];
        int percent3[3], text_bytes = 0, valid = 0;
        double score3[3];
        bool reliable = false;
        CLD2::CLDHints hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
        CLD2::Language l = CLD2::ExtDetectLanguageSummaryCheckUTF8(
            line.data(), static_cast<int>(line.size()), true, &hints, 0, top3, percent3, score3,
            nullptr, &text_bytes, &reliable, &valid);
        std::printf("%s\n", CLD2::LanguageCode(l));
    }
    return 0;
}
