/*
 * Harness: Apertium mode files (plugins/apertium/mode.h), the shell pipelines the apertium plugin
 * reads to start an engine: the first byte says whether unknown words keep their marks, the rest
 * is the file. A mode that loads must give at least one command, each a NULL-terminated argv with
 * a program name.
 */
#include "fuzz.h"

#include "mode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int mark_unknown = (int)(fuzz_byte(&data, &size) & 1);
    const char *path = fuzz_write_file("eng-spa.mode", data, size);
    xlate_apertium_mode mode;
    char err[512];
    err[0] = '\0';
    if (xlate_apertium_mode_load(path, mark_unknown, &mode, err, sizeof err) != 0) {
        if (!err[0])
            abort(); /* a refusal says why */
        return 0;
    }
    if (mode.n_cmds == 0)
        abort();
    for (size_t i = 0; i < mode.n_cmds; i++)
        if (!mode.cmds[i] || !mode.cmds[i][0] || !mode.cmds[i][0][0])
            abort();
    xlate_apertium_mode_free(&mode);
    return 0;
}
