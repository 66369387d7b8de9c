/* TEMPORARY during development: weak fallbacks so the command links while subcommands are
 * written. Removed before commit. */
#include <stdio.h>
#include "cli.h"
#define PENDING(fn) __attribute__((weak)) int fn(int argc, char **argv) { (void)argc; fprintf(stderr, "%s: not built yet\n", argv[0]); return 1; }
PENDING(xlate_cmd_run)
PENDING(xlate_cmd_plugins)
PENDING(xlate_cmd_detect)
PENDING(xlate_cmd_normalize)
PENDING(xlate_cmd_segment)
PENDING(xlate_cmd_batch)
PENDING(xlate_cmd_plugin)
__attribute__((weak)) int xlate_input_settings_apply(xlate_input_settings *s, int opt, const char *arg, xlate_error *err) { (void)s; (void)opt; (void)arg; (void)err; return 0; }
__attribute__((weak)) const char *xlate_input_settings_help(void) { return ""; }
