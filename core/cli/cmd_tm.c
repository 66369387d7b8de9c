/*
 * cmd_tm: `xlate tm import|export|stats|lookup`. The translation memory's tool is its own
 * program, xlate-tm, built with the tm plugin on SQLite; this command finds it and execs it with
 * the arguments after "tm", so that the xlate command links neither SQLite nor any plugin's code.
 * From the build tree the program is the one built there (plugins/tm/xlate-tm); installed, it is
 * in libexecdir/xlate.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "xlate_config.h"

#define TM_PROGRAM "xlate-tm"

/* Where xlate-tm is, for this xlate: written to buf. */
static void tm_program_path(char *buf, size_t size) {
    if (xlate_cli_running_from_build_tree())
        snprintf(buf, size, "%s/plugins/tm/" TM_PROGRAM, xlate_cli_build_root());
    else
        snprintf(buf, size, "%s/" TM_PROGRAM, XLATE_LIBEXECDIR);
}

int xlate_cmd_tm(int argc, char **argv) {
    char path[PATH_MAX];
    tm_program_path(path, sizeof path);
    /* argv[0] is "tm"; the program sees it as its own name, the rest as they came. */
    char **args = calloc((size_t)argc + 1, sizeof *args);
    if (!args) {
        fprintf(stderr, "xlate tm: out of memory\n");
        return XLATE_EXIT_FAILED;
    }
    args[0] = path;
    for (int i = 1; i < argc; i++)
        args[i] = argv[i];
    fflush(NULL);
    execv(path, args);
    int err = errno;
    free(args);
    fprintf(stderr, "xlate tm: cannot run %s: %s (the translation memory tool is installed with "
            "the tm plugin)\n", path, strerror(err));
    return XLATE_EXIT_FAILED;
}
