/*
 * icu-detect: prints ICU's charset detector's best guess for each file ("FILE<TAB>NAME"), the
 * anchor that bench/encoding-detect.sh compares xlate with. Not part of xlate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unicode/ucsdet.h>

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        static char buf[1 << 22];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        UErrorCode st = U_ZERO_ERROR;
        UCharsetDetector *csd = ucsdet_open(&st);
        ucsdet_setText(csd, buf, (int32_t)n, &st);
        const UCharsetMatch *m = ucsdet_detect(csd, &st);
        const char *name = m && U_SUCCESS(st) ? ucsdet_getName(m, &st) : NULL;
        printf("%s\t%s\n", argv[i], name && U_SUCCESS(st) ? name : "unknown");
        ucsdet_close(csd);
    }
    return 0;
}
