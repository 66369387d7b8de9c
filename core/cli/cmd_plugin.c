/*
 * cmd_plugin: `xlate plugin new|info|check` — tools for people who write plugins. `new` writes a
 * skeleton that builds against the installed headers; `info` shows what a descriptor declares;
 * `check` loads a plugin the way a run would, checks every descriptor field against the ABI and
 * runs create/process/destroy on a test document, naming each problem in plain words. Uses the
 * plugin host and the document model of libxlate; sits outside the data path.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <unicode/ustring.h>

#include "buf.h"
#include "cli.h"
#include "document.h"
#include "isolate.h"
#include "langtag.h"
#include "options.h"
#include "host_services.h"

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

/* A default is read as a user's value is (options.c): one that --plugin would refuse is no
 * default. */
static int default_fits_type(const xlate_option_spec *o) {
    return !o->default_value ||
           xlate_option_value_check(o->type, o->default_value) == XLATE_NUMBER_OK;
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

/* The size of the descriptor of ABI 1.minor, or 0 for a minor newer than this xlate (whose
 * descriptor may have grown). Minors 1 and 2 added host functions only; 1.3 appended batch_done
 * and document_done to the descriptor. */
static size_t descriptor_size_of_minor(uint32_t minor) {
    if (minor > XLATE_ABI_MINOR)
        return 0;
    return minor < 3 ? offsetof(xlate_plugin, batch_done) : sizeof(xlate_plugin);
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
    size_t claimed = descriptor_size_of_minor(XLATE_ABI_VERSION_MINOR(d.abi_version));
    if (claimed && d.struct_size != claimed)
        problem(r, "its descriptor says it is %u bytes long, but an ABI %u.%u descriptor is %zu "
                   "bytes: set struct_size = sizeof(xlate_plugin) and build against that ABI's "
                   "<xlate/plugin.h>", d.struct_size, XLATE_ABI_VERSION_MAJOR(d.abi_version),
                XLATE_ABI_VERSION_MINOR(d.abi_version), claimed);
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
    if (xlate_plugin_open(path, xlate_host_services(), handle, &raw, &err) != 0)
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

/* --- the checked run, in the child ------------------------------------------------------------
 * `plugin check` runs the plugin in a child process of its own (`plugin check --in-child`): what
 * the plugin does there, crash or hang included, is reported by the parent below. The child
 * writes the report's lines to its standard output, a pipe, one line at a time, and before each
 * step a marker line (PHASE_MARK + the step's name) that the parent reads and does not show. */

#define PHASE_MARK '\x1e'

typedef struct check_args {
    const char *plugin;      /* NAME or FILE as given */
    const char *options, *from, *to;
    const char **dirs;       /* --plugin-path */
    size_t n_dirs;
    const char *input;       /* --input FILE, or NULL: the built-in test document */
    const char **chain;      /* --chain specs, run before the plugin */
    size_t n_chain;
    int valgrind;
    double timeout;          /* per step, seconds; 0: no limit */
    int in_child;
} check_args;

static void phase(const char *what) {
    printf("%c%s\n", PHASE_MARK, what);
    fflush(stdout);
}

static void say_chain_message(void *data, const char *message) {
    report *r = data;
    problem(r, "--chain: %s", message);
}

/* The text of the test document, for the pipeline when --chain plugins run before the plugin. */
static int check_text(xlate_buf *text) {
    for (size_t i = 0; i < N_CHECK_SENTENCES; i++) {
        if (i)
            xlate_buf_puts(text, check_sentences[i].paragraph == check_sentences[i - 1].paragraph
                                     ? " " : "\n\n");
        xlate_buf_puts(text, check_sentences[i].text);
    }
    xlate_buf_putc(text, '\n');
    return xlate_buf_failed(text) ? -1 : 0;
}

/* The document the plugin gets: the built-in one, or --input decoded, normalized and segmented
 * as a run does it, through the --chain plugins when there are some. Returns 0, or -1 with the
 * problem reported. */
static int make_check_doc(const check_args *a, report *r, xlate_doc *doc) {
    if (!a->input && !a->n_chain) {
        if (build_check_doc(doc) == 0)
            return 0;
        problem(r, "out of memory making the test document");
        return -1;
    }
    xlate_plugin_search search;
    xlate_chain *chain = NULL;
    xlate_pipeline *p = NULL;
    xlate_error err = {0};
    xlate_buf text = XLATE_BUF_INIT;
    char *bytes = NULL;
    size_t len = 0;
    int rc = -1;
    xlate_pipeline_config cfg = {.decode = XLATE_DECODE_OPTIONS_INIT,
                                 .normalize = XLATE_NORMALIZE_OPTIONS_INIT,
                                 .source_lang = a->from, .target_lang = a->to,
                                 .on_message = say_chain_message, .message_data = r,
                                 .log = xlate_cli_log_sink()};
    if (xlate_cli_plugin_search_init(&search, a->dirs, a->n_dirs) != 0) {
        problem(r, "out of memory");
        return -1;
    }
    if (a->n_chain)
        phase("running the --chain plugins");
    if (a->input ? xlate_read_input(a->input, &bytes, &len, &err) != 0 : check_text(&text) != 0) {
        problem(r, "%s", a->input ? err.message : "out of memory");
    } else if (xlate_chain_load(&search, a->chain, a->n_chain, a->from, a->to, &chain, &err) != 0 ||
               xlate_pipeline_new(&cfg, chain, &p, &err) != 0 ||
               xlate_pipeline_run(p, a->input ? a->input : "check document",
                                  a->input ? bytes : text.data, a->input ? len : text.len, doc,
                                  &err) != 0) {
        problem(r, "%s%s", a->input ? "" : "--chain: ", err.message ? err.message : "out of memory");
    } else {
        for (size_t i = 0; i < a->n_chain; i++)
            passed("--chain %s ran first", xlate_chain_descriptor(chain, i)->name);
        rc = 0;
    }
    xlate_pipeline_free(p);
    xlate_chain_free(chain);
    xlate_plugin_search_free(&search);
    xlate_error_clear(&err);
    xlate_buf_free(&text);
    free(bytes);
    return rc;
}

/* A check plugin reads targets: without a translator before it, it has none to read. */
static void note_check_without_translator(const xlate_plugin *d, const xlate_doc *doc) {
    if (d->kind != XLATE_KIND_CHECK)
        return;
    for (size_t i = 0; i < doc->n_segs; i++)
        if (doc->segs[i].target)
            return;
    printf("  note: a check plugin reads targets and no segment has one: put a translator before "
           "it with --chain NAME\n");
}

/* ABI 1.3: batch_done on each batch as the chain left it, then document_done, for a plugin that
 * has them (the others see nothing of this). */
static void run_done_calls(xlate_instance *inst, const xlate_plugin *d, xlate_doc *doc, report *r) {
    xlate_error err = {0};
    if (d->batch_done) {
        phase("batch_done()");
        for (size_t first = 0; first < doc->n_segs; first += CHECK_BATCH) {
            size_t count = doc->n_segs - first < CHECK_BATCH ? doc->n_segs - first : CHECK_BATCH;
            if (xlate_instance_batch_done(inst, doc, first, count, &err) != 0) {
                problem(r, "batch_done() returned an error: %s", err.message);
                xlate_error_clear(&err);
                return;
            }
        }
        passed("batch_done() saw every batch");
    }
    if (d->document_done) {
        phase("document_done()");
        if (xlate_instance_document_done(inst, doc->name, &err) != 0) {
            problem(r, "document_done() returned an error: %s", err.message);
            xlate_error_clear(&err);
            return;
        }
        passed("document_done() returned");
    }
}

/* create → process (batches of three) → batch_done, document_done → destroy, through the same
 * host functions a run uses. */
static void run_lifecycle(const char *path, const check_args *a, report *r) {
    xlate_plugin_search search = {NULL, 0, NULL, xlate_host_services()};
    xlate_loaded_plugin *p = NULL;
    xlate_instance *inst = NULL;
    xlate_error err = {0};
    xlate_doc doc;
    int have_doc = 0;
    if (xlate_plugin_load(&search, path, &p, &err) != 0) {
        problem(r, "the host refuses it: %s", err.message);
        goto done;
    }
    if (make_check_doc(a, r, &doc) != 0)
        goto done;
    have_doc = 1;
    xlate_log_sink log = xlate_cli_log_sink();
    phase("create()");
    if (xlate_instance_new(p, a->options, a->from, a->to, &log, &inst, &err) != 0) {
        problem(r, "%s", err.message);
        goto done;
    }
    passed("create() made an instance (options \"%s\", %s→%s)", a->options, a->from, a->to);
    note_check_without_translator(xlate_loaded_plugin_descriptor(p), &doc);
    phase("process()");
    for (size_t first = 0; first < doc.n_segs; first += CHECK_BATCH) {
        size_t count = doc.n_segs - first < CHECK_BATCH ? doc.n_segs - first : CHECK_BATCH;
        if (xlate_instance_process(inst, &doc, first, count, &err) != 0) {
            problem(r, "process() returned an error: %s", err.message);
            xlate_error_clear(&err);
            break;
        }
    }
    printf("  %s after process():\n", a->input ? a->input : "test document");
    show_and_judge_segments(&doc, xlate_loaded_plugin_descriptor(p)->kind, r);
    run_done_calls(inst, xlate_loaded_plugin_descriptor(p), &doc, r);
done:
    if (inst)
        phase("destroy()");
    xlate_instance_free(inst); /* destroy(); leaks in it show under --valgrind or ASan */
    if (inst)
        passed("destroy() returned");
    if (have_doc)
        xlate_doc_free(&doc);
    xlate_error_clear(&err);
    xlate_plugin_unload(p);
}

/* The child's whole check of the file `path`. Returns the exit status. */
static int check_in_child(const char *path, const check_args *a) {
    report r = {0};
    /* Each line reaches the parent as it is written, so a crash loses none. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    phase("loading it");
    void *handle = NULL;
    const xlate_plugin *raw = open_raw(path, &handle, &r);
    if (raw && check_descriptor(path, raw, &r) == 0)
        run_lifecycle(path, a, &r);
    xlate_plugin_close(handle);
    fflush(stdout);
    return r.problems ? XLATE_EXIT_FAILED : XLATE_EXIT_OK;
}

/* --- the parent: runs the check in a child and reports what became of it ------------------- */

typedef struct check_child {
    pid_t pid;
    int out;               /* the read end of the child's standard output */
    char step[64];         /* the step the child said it was in */
    size_t problems;       /* "problem:" lines the child wrote */
    xlate_buf partial;     /* a line not yet ended */
} check_child;

/* argv for the child: [valgrind ...] PROGRAM plugin check --in-child [options] FILE. */
static char **child_argv(const check_args *a, const char *program, const char *path,
                         const char *vg_log) {
    size_t n = 0, cap = 32 + 2 * (a->n_dirs + a->n_chain);
    char **v = calloc(cap, sizeof *v);
    if (!v)
        return NULL;
    if (a->valgrind) {
        v[n++] = strdup("valgrind");
        v[n++] = strdup("--leak-check=full");
        v[n++] = strdup("--errors-for-leak-kinds=definite,indirect");
        v[n++] = strdup("--show-leak-kinds=definite,indirect");
        /* The plugin is unloaded before valgrind looks for leaks: its symbols must stay. */
        v[n++] = strdup("--keep-debuginfo=yes");
        xlate_buf b = XLATE_BUF_INIT;
        xlate_buf_printf(&b, "--log-file=%s", vg_log);
        v[n++] = xlate_buf_steal(&b, NULL);
    }
    const char *fixed[] = {program, "plugin", "check", "--in-child", "--options", a->options,
                           "--from", a->from, "--to", a->to};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        v[n++] = strdup(fixed[i]);
    for (size_t i = 0; i < a->n_dirs; i++) {
        v[n++] = strdup("--plugin-path");
        v[n++] = strdup(a->dirs[i]);
    }
    for (size_t i = 0; i < a->n_chain; i++) {
        v[n++] = strdup("--chain");
        v[n++] = strdup(a->chain[i]);
    }
    if (a->input) {
        v[n++] = strdup("--input");
        v[n++] = strdup(a->input);
    }
    v[n++] = strdup(path);
    for (size_t i = 0; i < n; i++)
        if (!v[i]) {
            for (size_t k = 0; k < n; k++)
                free(v[k]);
            free(v);
            return NULL;
        }
    return v;
}

static void free_argv(char **v) {
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

static int start_check_child(check_child *c, char **argv) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    fflush(stdout);
    c->pid = fork();
    if (c->pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    if (c->pid < 0) {
        close(fds[0]);
        return -1;
    }
    c->out = fds[0];
    return 0;
}

/* One line of the child: a step marker is kept, a report line is shown and counted. */
static void take_line(check_child *c, const char *line, size_t len) {
    if (len && line[0] == PHASE_MARK) {
        snprintf(c->step, sizeof c->step, "%.*s", (int)(len - 1), line + 1);
        return;
    }
    if (len >= 11 && memcmp(line, "  problem: ", 11) == 0)
        c->problems++;
    fwrite(line, 1, len, stdout);
    fputc('\n', stdout);
    fflush(stdout);
}

static void take_output(check_child *c, const char *data, size_t n) {
    xlate_buf_append(&c->partial, data, n);
    size_t start = 0;
    for (size_t i = 0; i < c->partial.len; i++) {
        if (c->partial.data[i] != '\n')
            continue;
        take_line(c, c->partial.data + start, i - start);
        start = i + 1;
    }
    memmove(c->partial.data, c->partial.data + start, c->partial.len - start);
    c->partial.len -= start;
}

static double monotonic_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Shows the child's report as it comes. Returns 0 at its end, or 1 when a step took longer than
 * `timeout` (then the child is killed). Each step gets the whole time anew. */
static int relay_report(check_child *c, double timeout) {
    char step_seen[sizeof c->step] = "";
    double deadline = 0;
    char buf[4096];
    for (;;) {
        if (strcmp(step_seen, c->step) != 0 || deadline == 0) {
            memcpy(step_seen, c->step, sizeof step_seen);
            deadline = monotonic_seconds() + timeout;
        }
        int ms = -1;
        if (timeout > 0) {
            double left = deadline - monotonic_seconds();
            if (left <= 0) {
                kill(c->pid, SIGKILL);
                return 1;
            }
            ms = (int)(left * 1000.0) + 1;
        }
        struct pollfd p = {c->out, POLLIN, 0};
        int n = poll(&p, 1, ms);
        if (n < 0 && errno != EINTR)
            return 0;
        if (n <= 0)
            continue;
        ssize_t got = read(c->out, buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        take_output(c, buf, (size_t)got);
    }
    if (c->partial.len)
        take_line(c, c->partial.data, c->partial.len);
    return 0;
}

/* What valgrind's log says: its error count, the leaks, and the records themselves shown. */
static void judge_valgrind_log(const char *path, report *r) {
    FILE *f = fopen(path, "r");
    if (!f) {
        problem(r, "valgrind wrote no log (%s): is it installed? (apt install valgrind)", path);
        return;
    }
    char line[1024];
    long errors = -1;
    xlate_buf records = XLATE_BUF_INIT;
    size_t shown = 0;
    while (fgets(line, sizeof line, f)) {
        const char *text = line;
        /* "==1234== text": the pid goes, the text stays. */
        if (text[0] == '=' && text[1] == '=' && (text = strstr(line + 2, "== ")) != NULL)
            text += 3;
        else
            text = line;
        const char *at = strstr(text, "ERROR SUMMARY: ");
        if (at)
            errors = strtol(at + 15, NULL, 10);
        if (shown < 80 && *text && *text != '\n' && !strstr(text, "Copyright") &&
            !strstr(text, "Memcheck, a memory") && !strstr(text, "Using Valgrind") &&
            !strstr(text, "Command: ") && !strstr(text, "rerun with")) {
            xlate_buf_printf(&records, "    | %s", text);
            shown++;
        }
    }
    fclose(f);
    if (errors < 0)
        problem(r, "valgrind did not finish its report (%s)", path);
    else if (errors == 0)
        passed("valgrind: no memory errors, no leaks");
    else {
        problem(r, "valgrind: %ld error(s) (memory errors, or leaks definitely or indirectly "
                   "lost); its report:", errors);
        fwrite(records.data ? records.data : "", 1, records.len, stdout);
    }
    xlate_buf_free(&records);
}

/* Runs the check of `path` in a child and adds to the report what the child could not say: that
 * it crashed, hung or exited early. Returns the number of problems in all. */
static size_t check_in_a_child(const char *path, const check_args *a, report *r) {
    char *program = xlate_cli_program_path();
    char vg_log[] = "/tmp/xlate-plugin-check-valgrind-XXXXXX";
    int vg_fd = a->valgrind ? mkstemp(vg_log) : -1;
    char **argv = program && (!a->valgrind || vg_fd >= 0) ? child_argv(a, program, path, vg_log) : NULL;
    check_child c = {.pid = -1, .out = -1, .partial = XLATE_BUF_INIT};
    snprintf(c.step, sizeof c.step, "starting");
    if (vg_fd >= 0)
        close(vg_fd);
    if (!argv || start_check_child(&c, argv) != 0) {
        problem(r, "the check could not start its child process: %s",
                program ? strerror(errno) : "this program's path is unknown");
    } else {
        /* Under valgrind every step runs many times slower. */
        int hung = relay_report(&c, a->valgrind ? a->timeout * 10 : a->timeout);
        int st = 0;
        while (waitpid(c.pid, &st, 0) < 0 && errno == EINTR)
            ;
        close(c.out);
        r->problems += c.problems;
        char sig[32];
        if (hung)
            problem(r, "the plugin did not finish %s within %g s: it hangs (the check killed it; "
                       "--plugin-timeout sets the limit)", c.step, a->valgrind ? a->timeout * 10 : a->timeout);
        else if (WIFSIGNALED(st))
            problem(r, "the plugin crashed with %s in %s (the check ran it in a child process)",
                    xlate_signal_name(WTERMSIG(st), sig, sizeof sig), c.step);
        else if (WIFEXITED(st) && WEXITSTATUS(st) == 127 && a->valgrind)
            problem(r, "valgrind could not be run: is it installed? (apt install valgrind)");
        else if (WIFEXITED(st) && WEXITSTATUS(st) != 0 && c.problems == 0 && !a->valgrind)
            problem(r, "the plugin ended the process with exit status %d in %s",
                    WEXITSTATUS(st), c.step);
        if (a->valgrind && !hung && !WIFSIGNALED(st) && !(WIFEXITED(st) && WEXITSTATUS(st) == 127))
            judge_valgrind_log(vg_log, r);
    }
    if (vg_fd >= 0)
        unlink(vg_log);
    xlate_buf_free(&c.partial);
    free_argv(argv);
    free(program);
    return r->problems;
}

/* NAME (looked up as `plugin info` does), or a file: a path, or a NAME.so in this folder. */
static char *resolve_plugin(const check_args *a) {
    const char *arg = a->plugin;
    struct stat st;
    size_t n = strlen(arg);
    if (strchr(arg, '/'))
        return strdup(arg);
    if (n > 3 && strcmp(arg + n - 3, ".so") == 0 && stat(arg, &st) == 0) {
        /* dlopen would search the library path for a bare name; a check is about this file. */
        xlate_buf b = XLATE_BUF_INIT;
        xlate_buf_printf(&b, "./%s", arg);
        return xlate_buf_steal(&b, NULL);
    }
    xlate_plugin_search search;
    if (xlate_cli_plugin_search_init(&search, a->dirs, a->n_dirs) != 0)
        return NULL;
    char *path = xlate_plugin_find(&search, arg);
    xlate_plugin_search_free(&search);
    return path;
}

/* A --chain plugin that does not exist is the user's slip, said before any plugin runs (without
 * loading one here: plugins run in the child alone). Returns 0, or -1 after saying it. */
static int check_chain_exists(const check_args *a) {
    xlate_plugin_search search;
    if (xlate_cli_plugin_search_init(&search, a->dirs, a->n_dirs) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < a->n_chain && rc == 0; i++) {
        char *name = NULL, *opts = NULL, *path = NULL;
        xlate_error err = {0};
        if (xlate_plugin_spec_split(a->chain[i], &name, &opts, &err) != 0) {
            xlate_error_prefix(&err, "plugin check: --chain %s", a->chain[i]);
            rc = xlate_cli_fail_clear(&err) ? -1 : 0;
        } else if (!(path = xlate_plugin_find(&search, name))) {
            char *names = xlate_plugin_names(&search);
            fprintf(stderr, "xlate: plugin check: --chain %s: unknown plugin '%s'; the plugins "
                            "found are: %s\n", a->chain[i], name, names && *names ? names : "none");
            free(names);
            rc = -1;
        }
        free(path);
        free(name);
        free(opts);
    }
    xlate_plugin_search_free(&search);
    return rc;
}

static int parse_check_args(int argc, char **argv, check_args *a, char tags[2][XLATE_LANGTAG_MAX]) {
    static const struct option longopts[] = {{"options", required_argument, NULL, 'o'},
                                              {"from", required_argument, NULL, 'f'},
                                              {"to", required_argument, NULL, 't'},
                                              {"plugin-path", required_argument, NULL, 'p'},
                                              {"input", required_argument, NULL, 'i'},
                                              {"chain", required_argument, NULL, 'c'},
                                              {"valgrind", no_argument, NULL, 'v'},
                                              {"plugin-timeout", required_argument, NULL, 'T'},
                                              {"in-child", no_argument, NULL, 'C'},
                                              {0}};
    xlate_error err = {0};
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 'o': a->options = optarg; break;
        case 'p': a->dirs[a->n_dirs++] = optarg; break;
        case 'c': a->chain[a->n_chain++] = optarg; break;
        case 'i': a->input = optarg; break;
        case 'v': a->valgrind = 1; break;
        case 'C': a->in_child = 1; break;
        case 'T':
            if (xlate_cli_parse_timeout("plugin check: --plugin-timeout", optarg, &a->timeout, &err) != 0)
                return xlate_cli_fail_clear(&err);
            break;
        case 'f':
        case 't': {
            char *tag = tags[opt == 't'];
            if (xlate_langtag_canonical(optarg, tag, XLATE_LANGTAG_MAX, &err) != 0) {
                xlate_error_prefix(&err, "plugin check: --%s %s", opt == 'f' ? "from" : "to",
                                   optarg);
                return xlate_cli_fail_clear(&err);
            }
            *(opt == 'f' ? &a->from : &a->to) = tag;
            break;
        }
        default:
            fprintf(stderr, "xlate: plugin check: unknown option or missing value %s; see 'xlate "
                            "plugin --help'\n", argv[optind - 1]);
            return XLATE_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "xlate: plugin check: give one plugin NAME or FILE (e.g. glossary or "
                        "./myplugin.so)\n");
        return XLATE_EXIT_USAGE;
    }
    a->plugin = argv[optind];
    return 0;
}

static int cmd_check(int argc, char **argv) {
    check_args a = {.options = "", .from = "uk", .to = "en", .timeout = XLATE_PLUGIN_TIMEOUT_DEFAULT};
    char tags[2][XLATE_LANGTAG_MAX];
    a.dirs = calloc((size_t)argc + 1, sizeof *a.dirs);
    a.chain = calloc((size_t)argc + 1, sizeof *a.chain);
    int status = a.dirs && a.chain ? parse_check_args(argc, argv, &a, tags) : XLATE_EXIT_FAILED;
    if (status != 0 || a.in_child) {
        if (status == 0)
            status = check_in_child(a.plugin, &a);
        free(a.dirs);
        free(a.chain);
        return status;
    }
    if (check_chain_exists(&a) != 0) {
        free(a.dirs);
        free(a.chain);
        return XLATE_EXIT_USAGE;
    }
    char *path = resolve_plugin(&a);
    const char *shown = path ? path : a.plugin;
    report r = {0};
    struct stat st;
    printf("checking %s\n", shown);
    fflush(stdout);
    if (!path && !strchr(a.plugin, '/'))
        problem(&r, "there is no plugin named '%s' in the plugin path and no such file (add its "
                    "folder with --plugin-path, or give the file as ./%s)", a.plugin, a.plugin);
    else if (!path || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        problem(&r, "there is no such file");
    else
        check_in_a_child(path, &a, &r);
    if (r.problems)
        printf("%s: %zu problem%s found\n", shown, r.problems, r.problems == 1 ? "" : "s");
    else
        printf("%s: no problems found\n", shown);
    free(path);
    free(a.dirs);
    free(a.chain);
    return r.problems ? XLATE_EXIT_FAILED : XLATE_EXIT_OK;
}

/* --- the subcommand --------------------------------------------------------------------------- */

static void print_plugin_help(FILE *out) {
    fprintf(out,
            "Usage: xlate plugin new NAME --kind translator|glossary|filter|check [--dir DIR]\n"
            "       xlate plugin info NAME|FILE [--plugin-path DIR]...\n"
            "       xlate plugin check NAME|FILE [--options K=V,...] [--from LANG] [--to LANG]\n"
            "             [--input FILE] [--chain NAME[:K=V,...]]... [--valgrind]\n"
            "             [--plugin-timeout SECONDS] [--plugin-path DIR]...\n"
            "\n"
            "Tools for plugin authors (see docs/plugin-guide.md):\n"
            "  new    write a plugin skeleton (NAME.c, meson.build, Makefile) into DIR (default\n"
            "         ./NAME) that builds against the installed xlate through pkg-config\n"
            "  info   show a plugin's descriptor: kind, version, ABI, language pairs, options\n"
            "  check  load the plugin as a run would, check every descriptor field against the ABI\n"
            "         (struct_size against the ABI it claims), run create/process/destroy on a\n"
            "         test document and list every problem found. The plugin runs in a child\n"
            "         process: a crash or a hang (a step longer than --plugin-timeout, default\n"
            "         120 s) is a problem it reports. --input FILE: the plugin reads FILE (decoded\n"
            "         and segmented as in a run) instead of the test document; --chain NAME[:K=V]\n"
            "         (repeatable): plugins that run before it, e.g. a translator before a check\n"
            "         plugin; --valgrind: the same under valgrind, its errors and leaks reported\n"
            "         (each step may then take ten times --plugin-timeout)\n"
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
