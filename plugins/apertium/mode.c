/*
 * mode: Apertium mode file → argv per command, null-flush ready (see mode.h). Word splitting and
 * quote removal are the shell's rules, done by wordexp(3) with command substitution refused, so a
 * mode file cannot run anything but its own commands.
 */
#include "mode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wordexp.h>

#include "xp_buf.h"

/* Commands that take no -z (as in APy's list): they stream and flush on their own. */
static const char *const no_null_flush[] = {"vislcg3", "cg-mwesplit", "hfst-tokenise",
                                            "hfst-tokenize", "divvun-suggest",
                                            "apertium-wblank-attach", "apertium-wblank-detach"};

static int needs_null_flush(const char *program) {
    const char *base = strrchr(program, '/');
    base = base ? base + 1 : program;
    for (size_t i = 0; i < sizeof no_null_flush / sizeof no_null_flush[0]; i++)
        if (strcmp(base, no_null_flush[i]) == 0)
            return 0;
    return 1;
}

static int read_file(const char *path, xp_buf *text) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        xp_buf_append(text, chunk, got);
    int bad = ferror(f);
    fclose(f);
    return bad ? -1 : 0;
}

/* $1 is the generator's option in every Apertium mode: "-g" marks, "-n" does not. $2 is the
 * tagger's optional flag, unused here. */
static void substitute_parameters(const char *cmd, size_t len, int mark_unknown, xp_buf *out) {
    for (size_t i = 0; i < len; i++) {
        if (cmd[i] == '$' && i + 1 < len && (cmd[i + 1] == '1' || cmd[i + 1] == '2')) {
            if (cmd[i + 1] == '1')
                xp_buf_puts(out, mark_unknown ? "-g" : "-n");
            i++;
            continue;
        }
        /* wordexp refuses newlines; the file's last line ends with one. */
        xp_buf_putc(out, cmd[i] == '\n' || cmd[i] == '\r' ? ' ' : cmd[i]);
    }
}

static char **argv_from_words(const wordexp_t *we) {
    size_t extra = needs_null_flush(we->we_wordv[0]) ? 1 : 0;
    char **argv = calloc(we->we_wordc + extra + 1, sizeof *argv);
    if (!argv)
        return NULL;
    size_t k = 0;
    argv[k++] = strdup(we->we_wordv[0]);
    if (extra)
        argv[k++] = strdup("-z");
    for (size_t i = 1; i < we->we_wordc; i++)
        argv[k++] = strdup(we->we_wordv[i]);
    for (size_t i = 0; i < k; i++) {
        if (!argv[i]) {
            for (size_t j = 0; j < k; j++)
                free(argv[j]);
            free(argv);
            return NULL;
        }
    }
    return argv;
}

static int add_command(xlate_apertium_mode *mode, const char *cmd, size_t len, int mark_unknown,
                       const char *path, char *err, size_t errlen) {
    xp_buf text = XP_BUF_INIT;
    substitute_parameters(cmd, len, mark_unknown, &text);
    if (!text.data || strspn(text.data, " \t\r\n") == text.len) {
        xp_buf_free(&text);
        snprintf(err, errlen, "%s: an empty command in the pipeline; is this an Apertium mode file?",
                 path);
        return -1;
    }
    wordexp_t we;
    int rc = wordexp(text.data, &we, WRDE_NOCMD | WRDE_UNDEF);
    xp_buf_free(&text);
    if (rc != 0) {
        snprintf(err, errlen, "%s: cannot split the command '%.*s' into words (wordexp error %d); "
                 "the plugin runs only plain commands with quoted paths", path, (int)len, cmd, rc);
        if (rc == WRDE_NOSPACE)
            wordfree(&we);
        return -1;
    }
    /* Quotes alone ('' or "") are words too: a command whose program is empty could only fail
     * later, when the engine starts, with a message that names no file. */
    if (we.we_wordc == 0 || we.we_wordv[0][0] == '\0') {
        wordfree(&we);
        snprintf(err, errlen, "%s: a command in the pipeline names no program ('%.*s'); is this "
                 "an Apertium mode file?", path, (int)len, cmd);
        return -1;
    }
    char ***grown = realloc(mode->cmds, (mode->n_cmds + 1) * sizeof *grown);
    char **argv = grown ? argv_from_words(&we) : NULL;
    wordfree(&we);
    if (grown)
        mode->cmds = grown;
    if (!argv) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    mode->cmds[mode->n_cmds++] = argv;
    return 0;
}

static int add_helper(xlate_apertium_mode *mode, const char *program) {
    char ***grown = realloc(mode->cmds, (mode->n_cmds + 1) * sizeof *grown);
    if (!grown)
        return -1;
    mode->cmds = grown;
    char **argv = calloc(2, sizeof *argv);
    if (!argv || !(argv[0] = strdup(program))) {
        free(argv);
        return -1;
    }
    mode->cmds[mode->n_cmds++] = argv;
    return 0;
}

static int mentions(const char *cmd, size_t len, const char *word) {
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(cmd + i, word, n) == 0)
            return 1;
    return 0;
}

/* apertium-wblank-mode's rule: attach after the command that reads the analyser, detach before
 * the one that reads the generator, unless the mode file has them already. */
static int is_analyser(const char *cmd, size_t len) {
    return mentions(cmd, len, "automorf.bin") || mentions(cmd, len, "automorf.hfst");
}

static int is_generator(const char *cmd, size_t len) {
    return mentions(cmd, len, "autogen.bin") || mentions(cmd, len, "autogen.hfst");
}

/* Adds one command of the pipeline, with the word-bound blank helper it needs, if any. */
static int add_stage(xlate_apertium_mode *mode, const char *cmd, size_t len, int mark_unknown,
                     int helpers, int *attached, const char *path, char *err, size_t errlen) {
    int rc = 0;
    if (helpers && *attached == 1 && is_generator(cmd, len)) {
        rc = add_helper(mode, "apertium-wblank-detach");
        *attached = 2;
    }
    if (rc == 0)
        rc = add_command(mode, cmd, len, mark_unknown, path, err, errlen);
    if (rc == 0 && helpers && *attached == 0 && is_analyser(cmd, len)) {
        rc = add_helper(mode, "apertium-wblank-attach");
        *attached = 1;
    }
    if (rc != 0 && !*err)
        snprintf(err, errlen, "%s: out of memory", path);
    return rc;
}

int xlate_apertium_mode_load(const char *path, int mark_unknown, xlate_apertium_mode *mode,
                             char *err, size_t errlen) {
    mode->cmds = NULL;
    mode->n_cmds = 0;
    mode->wordbound = 0;
    if (errlen)
        err[0] = '\0';
    xp_buf text = XP_BUF_INIT;
    if (read_file(path, &text) != 0) {
        xp_buf_free(&text);
        snprintf(err, errlen, "%s: cannot read the mode file", path);
        return -1;
    }
    if (!text.data || strspn(text.data, " \t\r\n") == text.len) {
        xp_buf_free(&text);
        snprintf(err, errlen, "%s: the mode file is empty", path);
        return -1;
    }
    /* A mode file is one shell pipeline; its paths hold no '|' (APy relies on the same). */
    const char *p = text.data;
    int rc = 0;
    /* Both helpers or none: blanks attached and never detached would reach the generator. */
    int helpers = !mentions(text.data, text.len, "apertium-wblank-") &&
                  is_analyser(text.data, text.len) && is_generator(text.data, text.len);
    int attached = 0;
    while (rc == 0) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        rc = add_stage(mode, p, len, mark_unknown, helpers, &attached, path, err, errlen);
        if (!bar)
            break;
        p = bar + 1;
    }
    mode->wordbound = helpers ? attached == 2 : mentions(text.data, text.len, "apertium-wblank-");
    xp_buf_free(&text);
    if (rc != 0)
        xlate_apertium_mode_free(mode);
    return rc;
}

void xlate_apertium_mode_free(xlate_apertium_mode *mode) {
    for (size_t i = 0; i < mode->n_cmds; i++) {
        for (size_t j = 0; mode->cmds[i][j]; j++)
            free(mode->cmds[i][j]);
        free(mode->cmds[i]);
    }
    free(mode->cmds);
    mode->cmds = NULL;
    mode->n_cmds = 0;
}
