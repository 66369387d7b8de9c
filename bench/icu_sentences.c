/*
 * icu_sentences: the anchor of bench/segment.sh — plain ICU sentence break iteration as a tool:
 * reads a UTF-8 file, converts it to UTF-16, walks ICU's sentence break iterator for a locale and
 * writes every sentence as UTF-8, one a line. No rules, no normalization.
 * Usage: icu_sentences LOCALE FILE
 */
#include <stdio.h>
#include <stdlib.h>

#include <unicode/ubrk.h>
#include <unicode/ustring.h>

static char *read_all(const char *path, long *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)*len + 1);
    if (data && fread(data, 1, (size_t)*len, f) != (size_t)*len) {
        free(data);
        data = NULL;
    }
    fclose(f);
    return data;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: icu_sentences LOCALE FILE\n");
        return 2;
    }
    long len = 0;
    char *text = read_all(argv[2], &len);
    if (!text) {
        fprintf(stderr, "icu_sentences: cannot read %s\n", argv[2]);
        return 1;
    }
    UErrorCode status = U_ZERO_ERROR;
    UChar *u = malloc(((size_t)len + 1) * sizeof *u);
    int32_t n = 0;
    u_strFromUTF8(u, (int32_t)len + 1, &n, text, (int32_t)len, &status);
    UBreakIterator *bi = ubrk_open(UBRK_SENTENCE, argv[1], u, n, &status);
    if (U_FAILURE(status)) {
        fprintf(stderr, "icu_sentences: %s\n", u_errorName(status));
        return 1;
    }
    char *out = malloc((size_t)len * 2 + 16);
    int32_t from = ubrk_first(bi);
    for (int32_t to = ubrk_next(bi); to != UBRK_DONE; from = to, to = ubrk_next(bi)) {
        int32_t k = 0;
        u_strToUTF8(out, (int32_t)len * 2 + 16, &k, u + from, to - from, &status);
        fwrite(out, 1, (size_t)k, stdout);
        putchar('\n');
    }
    ubrk_close(bi);
    free(out);
    free(u);
    free(text);
    return U_FAILURE(status) ? 1 : 0;
}
