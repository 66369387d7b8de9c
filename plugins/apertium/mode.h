/*
 * mode: reads an Apertium mode file (modes/eng-spa.mode, the shell pipeline `apertium` runs for a
 * pair) into the argv of each of its commands, set up for null-flush streaming the way Apertium's
 * APy server does it: every command gets -z except those that have no such option, $1 becomes the
 * generator's marking option and $2 goes. As `apertium` (apertium-wblank-mode) does, the
 * pipeline gets apertium-wblank-attach after the analyser and apertium-wblank-detach before the
 * generator, so that word-bound blanks stay on their words through every stage. Sits before the
 * engine start in the apertium plugin.
 */
#ifndef XLATE_APERTIUM_MODE_H
#define XLATE_APERTIUM_MODE_H

#include "xp_buf.h" /* XP_MUST_CHECK */

#include <stddef.h>

typedef struct xlate_apertium_mode {
    char ***cmds;  /* n_cmds NULL-terminated argv arrays */
    size_t n_cmds;
    int wordbound; /* the pipeline carries word-bound blanks: attach and detach are in it */
} xlate_apertium_mode;

/* Parses the mode file at `path`. `mark_unknown` keeps Apertium's marks ('*' unknown word, '#'
 * generation gap) in the output. Returns 0, or -1 with a message (file and reason) in `err`. */
XP_MUST_CHECK int xlate_apertium_mode_load(const char *path, int mark_unknown, xlate_apertium_mode *mode,
                                           char *err, size_t errlen);

void xlate_apertium_mode_free(xlate_apertium_mode *mode);

#endif
