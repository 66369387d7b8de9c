/*
 * main: the xlate command's entry. Finds the subcommand and hands it the rest of the arguments;
 * every subcommand lives in its own cmd_<name>.c and returns the exit status.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "xlate_config.h"

typedef struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} subcommand;

static const subcommand subcommands[] = {
    {"run", xlate_cmd_run, "translate documents through a chain of plugins into aligned output"},
    {"batch", xlate_cmd_batch, "translate a folder or an archive of documents, in parallel"},
    {"extract", xlate_cmd_extract, "write documents as XLIFF for a CAT tool"},
    {"merge", xlate_cmd_merge, "write the translated documents from an XLIFF that extract made"},
    {"formats", xlate_cmd_formats, "list the document formats xlate reads and writes"},
    {"plugins", xlate_cmd_plugins, "list the plugins found"},
    {"plugin", xlate_cmd_plugin, "tools for plugin authors: new, info, check"},
    {"detect", xlate_cmd_detect, "tell each file's encoding and language"},
    {"normalize", xlate_cmd_normalize, "write files as decoded, normalized text (like uconv)"},
    {"segment", xlate_cmd_segment, "print the sentence segments of files"},
    {"align", xlate_cmd_align, "align a text with its translation, sentence by sentence"},
    {"tm", xlate_cmd_tm, "the translation memory: import, export, stats, lookup"},
};

static void print_usage(FILE *out) {
    fprintf(out,
            "Usage: xlate COMMAND [OPTIONS] [FILE...]\n"
            "\n"
            "xlate reads documents in any encoding, normalizes them, cuts them into sentences,\n"
            "passes the sentences through a chain of plugins (glossaries, translators, filters)\n"
            "and writes each source sentence beside its target as TSV, JSONL or TMX.\n"
            "\n"
            "Commands:\n");
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
        fprintf(out, "  %-10s %s\n", subcommands[i].name, subcommands[i].summary);
    fprintf(out,
            "\n"
            "Run 'xlate COMMAND --help' for a command's options.\n"
            "Example: xlate run --plugin glossary --format jsonl article.txt\n"
            "\n"
            "Exit status: 0 success; 1 the run failed (bad input, a plugin error, a segment that\n"
            "could not be translated — it is still in the output, marked); 2 usage error.\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        print_usage(stderr);
        return XLATE_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        print_usage(stdout);
        return XLATE_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("xlate %s (plugin ABI %d.%d)\n", XLATE_VERSION, XLATE_ABI_MAJOR, XLATE_ABI_MINOR);
        return XLATE_EXIT_OK;
    }
    /* Not in the list: the process an isolated plugin runs in, started by xlate itself. */
    if (strcmp(cmd, "plugin-child") == 0)
        return xlate_cmd_plugin_child(argc - 1, argv + 1);
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
        if (strcmp(cmd, subcommands[i].name) == 0)
            return subcommands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "xlate: unknown command '%s'; run 'xlate --help' for the list\n", cmd);
    return XLATE_EXIT_USAGE;
}
