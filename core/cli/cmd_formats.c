/*
 * cmd_formats: `xlate formats` — the document formats this build reads and writes (format.h),
 * each with the extensions that pick it under --input-format auto.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int xlate_cmd_formats(int argc, char **argv) {
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        printf("Usage: xlate formats\n"
               "\n"
               "List the document formats: the name --input-format takes and the file extensions\n"
               "that choose it under --input-format auto (then the content decides; plain text\n"
               "takes what no other format claims).\n"
               "\n"
               "Exit status: 0 listed; 2 usage error.\n");
        return XLATE_EXIT_OK;
    }
    if (argc > 1) {
        fprintf(stderr, "xlate: formats: takes no argument (%s given); see 'xlate formats --help'\n", argv[1]);
        return XLATE_EXIT_USAGE;
    }
    for (const xlate_format_module *const *m = xlate_format_modules(); *m; m++) {
        printf("%-8s", (*m)->name);
        for (const char *const *e = (*m)->extensions; e && *e; e++)
            printf("%s.%s", e == (*m)->extensions ? " " : ", ", *e);
        printf("\n");
    }
    return XLATE_EXIT_OK;
}
