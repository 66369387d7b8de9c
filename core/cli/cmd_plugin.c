/*
 * cmd_plugin: `xlate plugin new|info|check` — tools for people who write plugins. `new` writes a
 * skeleton that builds against the installed headers; `info` shows what a descriptor declares;
 * `check` loads a plugin the way a run would, checks every descriptor field against the ABI and
 * runs create/process/destroy on a test document, naming each problem in plain words. Uses the
 * plugin host and the document model of libxlate; sits outside the data path.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unicode/ustring.h>

#include "buf.h"
#include "cli.h"
#include "document.h"
#include "langtag.h"
#include "options.h"
#include "plugin_host.h"

/* --- skeleton templates (`plugin new`) ----------------------------------------------------------
 * Kept as files in core/cli/plugin_templates/ and built in by scripts/embed.py. In them, @NAME@ is
 * the plugin's name, @IDENT@ the name as a C identifier, @IDENT_UPPER@ in capitals, @KIND@ /
 * @KIND_ENUM@ its kind, @DESCRIPTION@ one line, @DESTROY_BODY@ the kind's clean-up. */
extern const char xlate_tpl_head_c[], xlate_tpl_filter_c[], xlate_tpl_glossary_c[],
    xlate_tpl_translator_c[], xlate_tpl_check_c[], xlate_tpl_tail_c[], xlate_tpl_Makefile[], xlate_tpl_meson_build[];

typedef struct kind_info {
    const char *word;
    xlate_plugin_kind kind;
    const char *kind_enum;
    const char *body;         /* the kind's instance, options, create and process */
    const char *description;
    const char *destroy_body;
} kind_info;

static const kind_info kinds[] = {
    {"filter", XLATE_KIND_FILTER, "XLATE_KIND_FILTER", xlate_tpl_filter_c,
     "drops the segments that contain a word", "    free(instance);\n"},
    {"glossary", XLATE_KIND_GLOSSARY, "XLATE_KIND_GLOSSARY", xlate_tpl_glossary_c,
     "marks the terms of its list in the source",
     "    @IDENT@_instance *self = instance;\n    free(self->terms);\n    free(self->text);\n"
     "    free(self);\n"},
    {"translator", XLATE_KIND_TRANSLATOR, "XLATE_KIND_TRANSLATOR", xlate_tpl_translator_c,
     "a translator to be (copies the source until the engine is written)", "    free(instance);\n"},
    {"check", XLATE_KIND_CHECK, "XLATE_KIND_CHECK", xlate_tpl_check_c,
     "warns when a target is empty or the source untranslated", "    free(instance);\n"},
};

static const kind_info *kind_by_word(const char *word) {
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].word, word) == 0)
            return &kinds[i];
    return NULL;
}

static const char *kind_word(xlate_plugin_kind k) {
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (kinds[i].kind == k)
            return kinds[i].word;
    return "unknown";
}

static const char *option_type_word(xlate_option_type t) {
    switch (t) {
    case XLATE_OPTION_STRING: return "string";
    case XLATE_OPTION_INT: return "int";
    case XLATE_OPTION_BOOL: return "bool";
    case XLATE_OPTION_PATH: return "path";
    case XLATE_OPTION_DOUBLE: return "double";
    }
    return "unknown";
}

typedef struct skeleton_words {
    const char *name;
    char ident[128], ident_upper[128];
    const kind_info *kind;
} skeleton_words;

/* Made by the xlate of a build tree, the skeleton builds against that tree: its uninstalled
 * pkg-config file (meson-uninstalled/xlate-uninstalled.pc) comes first. Made by an installed
 * xlate, nothing: pkg-config finds the installed one. */
static int put_uninstalled(xlate_buf *out) {
    if (!xlate_cli_running_from_build_tree())
        return 0;
    return xlate_buf_printf(out,
                            "# Made by the xlate of the build tree %s (not installed): pkg-config\n"
                            "# reads that tree's xlate-uninstalled.pc first.\n"
                            "PKG_CONFIG ?= PKG_CONFIG_PATH=%s/meson-uninstalled:$$PKG_CONFIG_PATH "
                            "pkg-config\n",
                            xlate_cli_build_root(), xlate_cli_build_root());
}

/* Appends `tpl` with every @WORD@ replaced. The destroy body holds @IDENT@ itself, so it is
 * expanded through the same function. */
static int expand(xlate_buf *out, const char *tpl, const skeleton_words *w) {
    int rc = 0;
    while (*tpl && rc == 0) {
        const char *at = strchr(tpl, '@');
        const char *end = at ? strchr(at + 1, '@') : NULL;
        if (!at || !end) {
            rc = xlate_buf_puts(out, tpl);
            break;
        }
        rc |= xlate_buf_append(out, tpl, (size_t)(at - tpl));
        size_t n = (size_t)(end - at - 1);
        const char *word = at + 1;
        if (n == 4 && strncmp(word, "NAME", n) == 0)
            rc |= xlate_buf_puts(out, w->name);
        else if (n == 5 && strncmp(word, "IDENT", n) == 0)
            rc |= xlate_buf_puts(out, w->ident);
        else if (n == 11 && strncmp(word, "IDENT_UPPER", n) == 0)
            rc |= xlate_buf_puts(out, w->ident_upper);
        else if (n == 4 && strncmp(word, "KIND", n) == 0)
            rc |= xlate_buf_puts(out, w->kind->word);
        else if (n == 9 && strncmp(word, "KIND_ENUM", n) == 0)
            rc |= xlate_buf_puts(out, w->kind->kind_enum);
        else if (n == 11 && strncmp(word, "DESCRIPTION", n) == 0)
            rc |= xlate_buf_puts(out, w->kind->description);
        else if (n == 12 && strncmp(word, "DESTROY_BODY", n) == 0)
            rc |= expand(out, w->kind->destroy_body, w);
        else if (n == 11 && strncmp(word, "UNINSTALLED", n) == 0)
            rc |= put_uninstalled(out);
        else { /* not a template word: keep the '@' and go on after it */
            rc |= xlate_buf_putc(out, '@');
            tpl = at + 1;
            continue;
        }
        tpl = end + 1;
    }
    return rc;
}

/* Writes one file of the skeleton; never overwrites what is there. */
static int write_new_file(const char *dir, const char *file, const xlate_buf *text) {
    xlate_buf path = XLATE_BUF_INIT;
    xlate_buf_printf(&path, "%s/%s", dir, file);
    int fd = open(path.data, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        fprintf(stderr, "xlate: plugin new: cannot create %s: %s%s\n", path.data, strerror(errno),
                errno == EEXIST ? "; choose another --dir or remove the file" : "");
        xlate_buf_free(&path);
        return -1;
    }
    ssize_t n = write(fd, text->data, text->len);
    int ok = n == (ssize_t)text->len && close(fd) == 0;
    if (!ok)
        fprintf(stderr, "xlate: plugin new: cannot write %s: %s\n", path.data, strerror(errno));
    xlate_buf_free(&path);
    return ok ? 0 : -1;
}

/* True when one of the skeleton's files is already in `dir`: then nothing is written, so a
 * second `new` never leaves a mix of old and new files. */
static int skeleton_exists(const char *dir, const char *c_name) {
    const char *files[] = {c_name, "meson.build", "Makefile"};
    int found = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        xlate_buf path = XLATE_BUF_INIT;
        struct stat st;
        if (xlate_buf_printf(&path, "%s/%s", dir, files[i]) == 0 && lstat(path.data, &st) == 0) {
            fprintf(stderr, "xlate: plugin new: %s already exists; choose another --dir or remove "
                            "it\n", path.data);
            found = 1;
        }
        xlate_buf_free(&path);
    }
    return found;
}

static int make_skeleton(const char *dir, const skeleton_words *w) {
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "xlate: plugin new: cannot create the folder %s: %s\n", dir,
                strerror(errno));
        return XLATE_EXIT_FAILED;
    }
    xlate_buf c = XLATE_BUF_INIT, mk = XLATE_BUF_INIT, ms = XLATE_BUF_INIT;
    xlate_buf c_name = XLATE_BUF_INIT;
    int rc = expand(&c, xlate_tpl_head_c, w) | expand(&c, w->kind->body, w) |
             expand(&c, xlate_tpl_tail_c, w) | expand(&mk, xlate_tpl_Makefile, w) |
             expand(&ms, xlate_tpl_meson_build, w) |
             xlate_buf_printf(&c_name, "%s.c", w->name);
    if (rc != 0)
        fprintf(stderr, "xlate: plugin new: out of memory\n");
    else if (skeleton_exists(dir, c_name.data))
        rc = -1;
    else
        rc = write_new_file(dir, c_name.data, &c) | write_new_file(dir, "meson.build", &ms) |
             write_new_file(dir, "Makefile", &mk);
    if (rc == 0 && xlate_cli_running_from_build_tree())
        printf("wrote %s/%s, %s/meson.build and %s/Makefile, to build against the build tree %s\n"
               "build and check it:  cd %s && make && %s/core/xlate plugin check ./%s.so\n"
               "or with meson:       cd %s && PKG_CONFIG_PATH=%s/meson-uninstalled meson setup "
               "build && meson compile -C build\n",
               dir, c_name.data, dir, dir, xlate_cli_build_root(), dir, xlate_cli_build_root(),
               w->name, dir, xlate_cli_build_root());
    else if (rc == 0)
        printf("wrote %s/%s, %s/meson.build and %s/Makefile\n"
               "build and check it:  cd %s && make && xlate plugin check ./%s.so\n"
               "or with meson:       cd %s && meson setup build && meson compile -C build\n",
               dir, c_name.data, dir, dir, dir, w->name, dir);
    xlate_buf_free(&c);
    xlate_buf_free(&mk);
    xlate_buf_free(&ms);
    xlate_buf_free(&c_name);
    return rc == 0 ? XLATE_EXIT_OK : XLATE_EXIT_FAILED;
}

static int cmd_new(int argc, char **argv) {
    static const struct option longopts[] = {{"kind", required_argument, NULL, 'k'},
                                              {"dir", required_argument, NULL, 'd'},
                                              {0}};
    const char *kind = NULL, *dir = NULL;
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 'k')
            kind = optarg;
        else if (opt == 'd')
            dir = optarg;
        else {
            fprintf(stderr, "xlate: plugin new: unknown option %s; see 'xlate plugin --help'\n",
                    argv[optind - 1]);
            return XLATE_EXIT_USAGE;
        }
    }
    if (optind != argc - 1 || !kind) {
        fprintf(stderr, "xlate: plugin new: give one NAME and --kind translator|glossary|filter|check\n");
        return XLATE_EXIT_USAGE;
    }
    skeleton_words w = {argv[optind], {0}, {0}, kind_by_word(kind)};
    if (!w.kind) {
        fprintf(stderr,
                "xlate: plugin new: unknown kind '%s'; use translator, glossary or filter\n", kind);
        return XLATE_EXIT_USAGE;
    }
    if (!xlate_plugin_name_is_valid(w.name) || strlen(w.name) >= sizeof w.ident ||
        (*w.name >= '0' && *w.name <= '9')) {
        fprintf(stderr, "xlate: plugin new: '%s' is not a plugin name; use a-z, 0-9, '_' and '-', "
                        "starting with a letter\n", w.name);
        return XLATE_EXIT_USAGE;
    }
    for (size_t i = 0; w.name[i]; i++) {
        w.ident[i] = w.name[i] == '-' ? '_' : w.name[i];
        char c = w.ident[i];
        w.ident_upper[i] = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    return make_skeleton(dir ? dir : w.name, &w);
}

/* --- info ------------------------------------------------------------------------------------- */

typedef struct pair_list {
    xlate_buf *b;
    size_t n;
} pair_list;

static void add_pair(void *data, const char *source, const char *target) {
    pair_list *pl = data;
    xlate_buf_printf(pl->b, "%s%s→%s", pl->n++ ? ", " : "", source ? source : "(null)",
                     target ? target : "(null)");
}

static void describe(const xlate_loaded_plugin *p, xlate_buf *b) {
    const xlate_plugin *d = xlate_loaded_plugin_descriptor(p);
    xlate_buf_printf(b, "name:        %s\nkind:        %s\nversion:     %s\ndescription: %s\n",
                     d->name, kind_word(d->kind), d->version, d->description);
    xlate_buf_printf(b, "built for:   plugin ABI %u.%u (descriptor of %u bytes)\nfile:        %s\n",
                     XLATE_ABI_VERSION_MAJOR(d->abi_version),
                     XLATE_ABI_VERSION_MINOR(d->abi_version), d->struct_size,
                     xlate_loaded_plugin_path(p));
    xlate_buf_puts(b, "pairs:       ");
    pair_list pl = {b, 0};
    xlate_loaded_plugin_pairs(p, add_pair, &pl);
    xlate_buf_printf(b, "%s%s\n", pl.n ? "" : "(none declared)",
                     d->enumerate_pairs ? " (found at run time)" : "");
    xlate_buf_puts(b, d->n_options ? "options:\n" : "options:     (none)\n");
    for (size_t i = 0; i < d->n_options; i++) {
        const xlate_option_spec *o = &d->options[i];
        xlate_buf_printf(b, "  %s=%s", o->name, option_type_word(o->type));
        if (o->default_value)
            xlate_buf_printf(b, " (default %s)", o->default_value);
        xlate_buf_printf(b, "\n      %s\n", o->help ? o->help : "");
    }
    xlate_buf_printf(b, "use:         xlate run --plugin %s%s ...\n", d->name,
                     d->n_options ? ":KEY=VALUE,..." : "");
}

static int cmd_info(int argc, char **argv) {
    static const struct option longopts[] = {{"plugin-path", required_argument, NULL, 'p'}, {0}};
    const char **dirs = calloc((size_t)argc + 1, sizeof *dirs);
    size_t n_dirs = 0;
    int opt;
    optind = 1;
    opterr = 0;
    while (dirs && (opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt != 'p') {
            fprintf(stderr, "xlate: plugin info: unknown option %s; see 'xlate plugin --help'\n",
                    argv[optind - 1]);
            free(dirs);
            return XLATE_EXIT_USAGE;
        }
        dirs[n_dirs++] = optarg;
    }
    if (!dirs || optind != argc - 1) {
        fprintf(stderr, "xlate: plugin info: give one plugin NAME or FILE\n");
        free(dirs);
        return XLATE_EXIT_USAGE;
    }
    xlate_plugin_search search;
    xlate_loaded_plugin *p = NULL;
    xlate_error err = {0};
    int status = XLATE_EXIT_OK;
    if (xlate_cli_plugin_search_init(&search, dirs, n_dirs) != 0) {
        free(dirs);
        fprintf(stderr, "xlate: out of memory\n");
        return XLATE_EXIT_FAILED;
    }
    if (xlate_plugin_load(&search, argv[optind], &p, &err) != 0) {
        status = xlate_cli_fail(&err);
        xlate_error_clear(&err);
    } else {
        xlate_buf b = XLATE_BUF_INIT;
        describe(p, &b);
        fwrite(b.data ? b.data : "", 1, b.len, stdout);
        xlate_buf_free(&b);
        xlate_plugin_unload(p);
    }
    xlate_plugin_search_free(&search);
    free(dirs);
    return status;
}

/* --- check ------------------------------------------------------------------------------------ */

/* Problems are counted and printed as they are found, so that one run shows all of them. */
typedef struct report {
    size_t problems;
} report;

static void problem(report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(report *r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("  problem: ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    r->problems++;
}

static void passed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void passed(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("  ok: ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
}

/* A pair's language as the host reads it (pipeline.c, langtag.h): "*", or a BCP 47 tag,
 * private use ("x-upper", "en-x-foo") included. */
static int is_language_code(const char *code) {
    if (!code || !*code)
        return 0;
    if (strcmp(code, "*") == 0)
        return 1;
    char tag[XLATE_LANGTAG_MAX];
    xlate_error err = {0};
    int ok = xlate_langtag_canonical(code, tag, sizeof tag, &err) == 0;
    xlate_error_clear(&err);
    return ok;
}

static int default_fits_type(const xlate_option_spec *o) {
    const char *v = o->default_value;
    char *end = NULL;
    if (!v)
        return 1;
    switch (o->type) {
    case XLATE_OPTION_INT:
        errno = 0;
        (void)strtoll(v, &end, 10);
        return *v && !*end && errno == 0;
    case XLATE_OPTION_DOUBLE:
        (void)strtod(v, &end);
        return *v && !*end;
    case XLATE_OPTION_BOOL: {
        static const char *const words[] = {"1", "0", "true", "false", "yes", "no", "on", "off"};
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
            if (strcasecmp(v, words[i]) == 0)
                return 1;
        return 0;
    }
    default:
        return 1;
    }
}

/* What the host tolerates in the options but a user would trip on (their names and the list
 * itself are the host's check). */
static void check_options(const xlate_plugin *d, report *r) {
    for (size_t i = 0; d->options && i < d->n_options; i++) {
        const xlate_option_spec *o = &d->options[i];
        const char *name = o->name ? o->name : "(null)";
        if (o->type < XLATE_OPTION_STRING || o->type > XLATE_OPTION_DOUBLE)
            problem(r, "option '%s' has type %d, which is none of the XLATE_OPTION_* types", name,
                    (int)o->type);
        else if (!default_fits_type(o))
            problem(r, "option '%s' is of type %s but its default '%s' is not one", name,
                    option_type_word(o->type), o->default_value);
        if (!o->help || !*o->help)
            problem(r, "option '%s' has no help text; `xlate plugins` shows it to users", name);
        for (size_t k = 0; k < i; k++)
            if (o->name && d->options[k].name && strcmp(o->name, d->options[k].name) == 0)
                problem(r, "option '%s' is declared twice", name);
    }
}

typedef struct pair_check {
    report *r;
    size_t n;
} pair_check;

static void check_one_pair(void *data, const char *source, const char *target) {
    pair_check *pc = data;
    pc->n++;
    if (!is_language_code(source) || !is_language_code(target))
        problem(pc->r, "language pair %zu ('%s' → '%s') is not two BCP 47 language tags (\"uk\", "
                       "\"en-GB\", \"x-upper\") or \"*\"", pc->n, source ? source : "(null)", target ? target : "(null)");
}

static void check_pairs(const xlate_plugin *d, report *r) {
    pair_check pc = {r, 0};
    if (d->n_pairs && !d->pairs)
        return; /* refused by the host's check */
    for (size_t i = 0; i < d->n_pairs; i++)
        check_one_pair(&pc, d->pairs[i].source, d->pairs[i].target);
    if (d->enumerate_pairs &&
        d->enumerate_pairs(xlate_host_services(), check_one_pair, &pc) != XLATE_OK)
        problem(r, "enumerate_pairs() returned an error");
    if (pc.n == 0)
        problem(r, "it declares no language pair; list {\"*\", \"*\"} if it serves any");
}

/* "dir/libfoo.so" → "libfoo": the name `--plugin NAME` looks the file up by. */
static char *file_stem(const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 3 && strcmp(base + n - 3, ".so") == 0)
        n -= 3;
    return strndup(base, n);
}

/* The host's refusals, kept until the ABI line is shown: one a line. */
static void keep_refusal(void *data, const char *message) {
    xlate_buf *b = data;
    xlate_buf_printf(b, "%s\n", message);
}

static void report_refusals(const xlate_buf *kept, report *r) {
    for (const char *line = kept->data; line && *line;) {
        const char *end = strchr(line, '\n');
        problem(r, "%.*s", (int)(end - line), line);
        line = end + 1;
    }
}

/* The host's own verdict on the descriptor (xlate_plugin_descriptor_check, what the loader
 * decides by), then what the host tolerates but a user would trip on: a file named unlike its
 * plugin, empty strings, odd options, language pairs that are no codes. Returns 0 when the host
 * accepts the descriptor, so that create/process/destroy can be tried too. */
static int check_descriptor(const char *path, const xlate_plugin *raw, report *r) {
    xlate_plugin d;
    xlate_buf refusals = XLATE_BUF_INIT;
    size_t before = r->problems;
    int verdict = xlate_plugin_descriptor_check(raw, &d, keep_refusal, &refusals);
    if (verdict != 0 && !refusals.data)
        problem(r, "out of memory");
    if (d.abi_version) /* else another ABI or too short, and nothing more can be read */
        passed("plugin ABI %u.%u, descriptor of %u bytes (this xlate: ABI %u.%u, %zu bytes)",
               XLATE_ABI_VERSION_MAJOR(d.abi_version), XLATE_ABI_VERSION_MINOR(d.abi_version),
               d.struct_size, XLATE_ABI_MAJOR, XLATE_ABI_MINOR, sizeof(xlate_plugin));
    report_refusals(&refusals, r);
    xlate_buf_free(&refusals);
    if (!d.abi_version)
        return verdict;
    char *stem = xlate_plugin_name_is_valid(d.name) ? file_stem(path) : NULL;
    if (stem && strcmp(stem, d.name) != 0)
        problem(r, "the file is named %s.so but the plugin calls itself '%s': xlate finds "
                   "plugins by file name, so name the file %s.so", stem, d.name, d.name);
    free(stem);
    if (d.version && !*d.version)
        problem(r, "its version is empty (e.g. \"1.0.0\")");
    if (d.description && !*d.description)
        problem(r, "its description is empty (one line for `xlate plugins`)");
    check_options(&d, r);
    check_pairs(&d, r);
    if (r->problems == before)
        passed("descriptor: %s %s, %s, %zu option(s)", d.name, d.version, kind_word(d.kind),
               d.n_options);
    return verdict;
}

/* Opens the file as the host does (xlate_plugin_open). Returns the raw descriptor, or NULL with
 * the reason reported. */
static const xlate_plugin *open_raw(const char *path, void **handle, report *r) {
    const xlate_plugin *raw = NULL;
    xlate_error err = {0};
    if (xlate_plugin_open(path, handle, &raw, &err) != 0)
        problem(r, "%s", err.message);
    else {
        passed("loads as a shared object");
        passed("exports %s, which returns a descriptor", XLATE_PLUGIN_ENTRY_SYMBOL);
    }
    xlate_error_clear(&err);
    return raw;
}

/* The test document: sentences of an OBOZ.UA article in two batches, with the site's
 * boilerplate, so that filters, glossaries and translators all find work. */
static const struct {
    size_t paragraph;
    const char *text;
} check_sentences[] = {
    {0, "Генеральний секретар НАТО Єнс Столтенберг вважає, що державам блоку настав час зняти "
        "«деякі обмеження» на використання зброї, наданої Україні."},
    {0, "За його словами, Київ має право на самооборону."},
    {1, "Тільки перевірена інформація у нас у Telegram-каналі OBOZ.UA та Viber."},
    {1, "Не ведіться на фейки!"},
    {2, "Інші новини"},
    {3, "Елементарна намазка з тунця: 5 хвилин на приготування"},
};
#define N_CHECK_SENTENCES (sizeof check_sentences / sizeof check_sentences[0])
#define CHECK_BATCH 3

static int build_check_doc(xlate_doc *doc) {
    xlate_span spans[N_CHECK_SENTENCES];
    xlate_buf text = XLATE_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < N_CHECK_SENTENCES; i++) {
        if (i)
            rc |= xlate_buf_puts(&text, check_sentences[i].paragraph ==
                                                check_sentences[i - 1].paragraph ? " " : "\n\n");
        spans[i].start = text.len;
        rc |= xlate_buf_puts(&text, check_sentences[i].text);
        spans[i].end = text.len;
        spans[i].paragraph = check_sentences[i].paragraph;
    }
    size_t len = 0;
    char *t = rc == 0 ? xlate_buf_steal(&text, &len) : NULL;
    xlate_buf_free(&text);
    if (!t)
        return -1;
    return xlate_doc_init(doc, "check document", t, len, spans, N_CHECK_SENTENCES);
}

static int is_valid_utf8(const char *s, size_t len) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(NULL, 0, &n, s, (int32_t)len, &status);
    return status != U_INVALID_CHAR_FOUND && status != U_ILLEGAL_CHAR_FOUND;
}

/* Bytes of the first `chars` characters of a UTF-8 string, so a shortened line never ends
 * inside a character. */
static int utf8_prefix_bytes(const char *s, int chars) {
    int i = 0;
    for (; s[i] && chars > 0; chars--)
        for (i++; ((unsigned char)s[i] & 0xC0) == 0x80; i++)
            ;
    return i;
}

static void show_and_judge_segments(const xlate_doc *doc, xlate_plugin_kind kind, report *r) {
    for (size_t i = 0; i < doc->n_segs; i++) {
        const xlate_seg *s = &doc->segs[i];
        const char *shown = s->target ? s->target : s->source;
        int n = utf8_prefix_bytes(shown, 50);
        printf("    %zu %-8s %.*s%s%s", s->id, xlate_seg_status_name(s->status), n, shown,
               shown[n] ? "…" : "", s->target ? "" : "  (no target)");
        if (s->n_terms)
            printf("  [%zu term(s)]", s->n_terms);
        printf("%s%s\n", s->message ? "  — " : "", s->message ? s->message : "");
        if (s->status == XLATE_SEG_FAILED)
            problem(r, "segment %zu was marked failed: %s", s->id,
                    s->message ? s->message : "(no message)");
        if (s->target && !is_valid_utf8(s->target, s->target_len))
            problem(r, "the target of segment %zu is not valid UTF-8", s->id);
        if (kind == XLATE_KIND_TRANSLATOR && !s->target &&
            (s->status == XLATE_SEG_OK || s->status == XLATE_SEG_WARNING))
            problem(r, "the translator left segment %zu without a target: set one with "
                       "host->segment_set_target, or mark it with host->segment_fail", s->id);
    }
}

/* create → process (two batches) → destroy, through the same host functions a run uses. */
static void run_lifecycle(const char *path, const char *options, const char *from, const char *to,
                          report *r) {
    xlate_plugin_search search = {NULL, 0, NULL};
    xlate_loaded_plugin *p = NULL;
    xlate_instance *inst = NULL;
    xlate_error err = {0};
    xlate_doc doc;
    int have_doc = 0;
    if (xlate_plugin_load(&search, path, &p, &err) != 0) {
        problem(r, "the host refuses it: %s", err.message);
        goto done;
    }
    xlate_log_sink log = xlate_cli_log_sink();
    if (xlate_instance_new(p, options, from, to, &log, &inst, &err) != 0) {
        problem(r, "%s", err.message);
        goto done;
    }
    passed("create() made an instance (options \"%s\", %s→%s)", options, from, to);
    if (build_check_doc(&doc) != 0) {
        problem(r, "out of memory making the test document");
        goto done;
    }
    have_doc = 1;
    for (size_t first = 0; first < doc.n_segs; first += CHECK_BATCH) {
        size_t count = doc.n_segs - first < CHECK_BATCH ? doc.n_segs - first : CHECK_BATCH;
        if (xlate_instance_process(inst, &doc, first, count, &err) != 0) {
            problem(r, "process() returned an error: %s", err.message);
            xlate_error_clear(&err);
            break;
        }
    }
    printf("  test document after process():\n");
    show_and_judge_segments(&doc, xlate_loaded_plugin_descriptor(p)->kind, r);
done:
    xlate_instance_free(inst); /* destroy(); leaks in it show under valgrind or ASan */
    if (inst)
        passed("destroy() returned");
    if (have_doc)
        xlate_doc_free(&doc);
    xlate_error_clear(&err);
    xlate_plugin_unload(p);
}

static int cmd_check(int argc, char **argv) {
    static const struct option longopts[] = {{"options", required_argument, NULL, 'o'},
                                              {"from", required_argument, NULL, 'f'},
                                              {"to", required_argument, NULL, 't'},
                                              {0}};
    const char *options = "", *from = "uk", *to = "en";
    char tags[2][XLATE_LANGTAG_MAX];
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 'o') {
            options = optarg;
        } else if (opt == 'f' || opt == 't') {
            xlate_error err = {0};
            char *tag = tags[opt == 't'];
            if (xlate_langtag_canonical(optarg, tag, XLATE_LANGTAG_MAX, &err) != 0) {
                xlate_error_prefix(&err, "plugin check: --%s %s", opt == 'f' ? "from" : "to",
                                   optarg);
                return xlate_cli_fail_clear(&err);
            }
            *(opt == 'f' ? &from : &to) = tag;
        } else {
            fprintf(stderr, "xlate: plugin check: unknown option %s; see 'xlate plugin --help'\n",
                    argv[optind - 1]);
            return XLATE_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "xlate: plugin check: give one plugin FILE (e.g. ./myplugin.so)\n");
        return XLATE_EXIT_USAGE;
    }
    const char *file = argv[optind];
    /* dlopen would search the library path for a bare name; a check is about this file. */
    xlate_buf path = XLATE_BUF_INIT;
    xlate_buf_printf(&path, "%s%s", strchr(file, '/') ? "" : "./", file);
    report r = {0};
    printf("checking %s\n", path.data);
    struct stat st;
    if (stat(path.data, &st) != 0 || !S_ISREG(st.st_mode)) {
        problem(&r, "there is no such file");
    } else {
        void *handle = NULL;
        const xlate_plugin *raw = open_raw(path.data, &handle, &r);
        if (raw && check_descriptor(path.data, raw, &r) == 0)
            run_lifecycle(path.data, options, from, to, &r);
        xlate_plugin_close(handle);
    }
    if (r.problems)
        printf("%s: %zu problem%s found\n", path.data, r.problems, r.problems == 1 ? "" : "s");
    else
        printf("%s: no problems found\n", path.data);
    xlate_buf_free(&path);
    return r.problems ? XLATE_EXIT_FAILED : XLATE_EXIT_OK;
}

/* --- the subcommand --------------------------------------------------------------------------- */

static void print_plugin_help(FILE *out) {
    fprintf(out,
            "Usage: xlate plugin new NAME --kind translator|glossary|filter|check [--dir DIR]\n"
            "       xlate plugin info NAME|FILE [--plugin-path DIR]...\n"
            "       xlate plugin check FILE.so [--options K=V,...] [--from LANG] [--to LANG]\n"
            "\n"
            "Tools for plugin authors (see docs/plugin-guide.md):\n"
            "  new    write a plugin skeleton (NAME.c, meson.build, Makefile) into DIR (default\n"
            "         ./NAME) that builds against the installed xlate through pkg-config\n"
            "  info   show a plugin's descriptor: kind, version, ABI, language pairs, options\n"
            "  check  load FILE as a run would, check every descriptor field against the ABI, run\n"
            "         create/process/destroy on a test document and list every problem found\n"
            "\n"
            "Exit status: 0 no problem; 1 a problem was found or a file could not be written;\n"
            "2 usage error.\n");
}

int xlate_cmd_plugin(int argc, char **argv) {
    if (argc < 2) {
        print_plugin_help(stderr);
        return XLATE_EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
        print_plugin_help(stdout);
        return XLATE_EXIT_OK;
    }
    if (strcmp(sub, "new") == 0)
        return cmd_new(argc - 1, argv + 1);
    if (strcmp(sub, "info") == 0)
        return cmd_info(argc - 1, argv + 1);
    if (strcmp(sub, "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    fprintf(stderr, "xlate: plugin: unknown tool '%s'; use new, info or check\n", sub);
    return XLATE_EXIT_USAGE;
}
