/*
 * cmd_plugin_child: `xlate plugin-child`, the process an isolated plugin runs in. Not for users:
 * the host starts it with its end of a socket pair as fd 3 (isolate.c) and it serves the host
 * there until the host closes it. Started by hand it says so and exits 2.
 */
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "cli.h"
#include "isolate.h"

int xlate_cmd_plugin_child(int argc, char **argv) {
    (void)argv;
    struct stat st;
    if (argc != 1 || fstat(3, &st) != 0 || !S_ISSOCK(st.st_mode)) {
        fprintf(stderr, "xlate: plugin-child is started by xlate itself for plugins that run "
                        "isolated (--isolate); it is not a command to run by hand\n");
        return XLATE_EXIT_USAGE;
    }
    return xlate_isolate_child_main(3);
}
