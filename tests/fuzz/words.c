/*
 * Harness: the words and names a user types on the command line or an embedder passes: language
 * tags (--from, --to: core/input/langtag.h), encoding names (--encoding: core/input/codepage.h), --shard
 * (core/batch/batch.h), --progress, --on-invalid, --normalize and --format. The first byte picks the
 * parser, the rest (up to a NUL, as from argv) is the word. A language tag's canonical form and an
 * encoding's canonical name are fixed points: given back, they come back unchanged.
 */
#include "fuzz.h"

#include "batch.h"
#include "codepage.h"
#include "decode.h"
#include "langtag.h"
#include "normalize.h"
#include "progress.h"
#include "writer.h"

static void language_tag(const char *word) {
    char canonical[XLATE_LANGTAG_MAX], again[XLATE_LANGTAG_MAX];
    xlate_error err = {0};
    if (xlate_langtag_canonical(word, canonical, sizeof canonical, &err) != 0) {
        if (!err.message)
            abort();
        xlate_error_clear(&err);
        return;
    }
    if (xlate_langtag_canonical(canonical, again, sizeof again, &err) != 0 ||
        strcmp(canonical, again) != 0)
        abort();
}

static void encoding_name(const char *word) {
    xlate_encoding_name name, again;
    xlate_error err = {0};
    fuzz_sink ^= xlate_encoding_is_utf8(word);
    if (xlate_encoding_resolve(word, &name, &err) != 0) {
        if (!err.message)
            abort();
        xlate_error_clear(&err);
        return;
    }
    if (xlate_encoding_resolve(name.canonical, &again, &err) != 0 ||
        strcmp(name.canonical, again.canonical) != 0)
        abort();
}

static void shard(const char *word) {
    unsigned index = 0, count = 0;
    if (xlate_shard_parse(word, &index, &count) == 0 && (count == 0 || index >= count))
        abort(); /* "K/N": 0 <= K < N */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    unsigned which = fuzz_byte(&data, &size);
    char *word = fuzz_strndup(data, size);
    xlate_progress_mode progress;
    xlate_on_invalid on_invalid;
    xlate_norm_form form;
    xlate_format format;
    switch (which % 7) {
    case 0: language_tag(word); break;
    case 1: encoding_name(word); break;
    case 2: shard(word); break;
    case 3: fuzz_sink ^= xlate_progress_mode_parse(word, &progress); break;
    case 4: fuzz_sink ^= xlate_on_invalid_parse(word, &on_invalid); break;
    case 5: fuzz_sink ^= xlate_norm_form_parse(word, &form); break;
    default: fuzz_sink ^= xlate_format_parse(word, &format); break;
    }
    free(word);
    return 0;
}
