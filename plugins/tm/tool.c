/*
 * tool: the xlate-tm program, run by `xlate tm` (core/cli/cmd_tm.c execs it with the arguments
 * after "tm"): import files into a memory, export it, count it, look sentences up in it. It
 * reads and writes the memory through tm_store.h, the plugin's own store, so that what the tool
 * imports is what the plugin finds. Exit status: 0 ok, 1 the run failed, 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tool.h"

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "Usage: xlate tm COMMAND --db FILE [OPTIONS]\n"
    "\n"
    "The translation memory of the tm plugin (--plugin tm:db=FILE), one SQLite file for many\n"
    "language pairs.\n"
    "\n"
    "  xlate tm import --db FILE [--from L --to L] FILE...\n"
    "      TMX 1.4b (.tmx), TSV with a header \"source<TAB>target\" (.tsv) or xlate's JSONL\n"
    "      (.jsonl); TSV and JSONL need --from and --to. One transaction per file: a malformed\n"
    "      file imports nothing of itself.\n"
    "  xlate tm export --db FILE [--from L --to L] [--format tmx|tsv] [-o OUT]\n"
    "  xlate tm stats --db FILE\n"
    "  xlate tm lookup --db FILE [--from L --to L] [--threshold N] [--limit N]\n"
    "                  [--queries FILE] TEXT...\n"
    "      the best matches of each TEXT with their scores (100 exact, 99 repaired numbers,\n"
    "      fuzzy from --threshold, 75 by default, up to --limit, 3 by default); --queries\n"
    "      looks up every line of FILE as well (- for standard input), in one process\n"
    "\n"
    "Exit status: 0 success; 1 the run failed; 2 usage error.\n";

typedef struct args {
    const char *db, *from, *to, *format, *out, *queries;
    long threshold, limit;
    char **rest;
    int n_rest;
} args;

static int usage_error(const char *fmt, const char *what) {
    fputs("xlate tm: ", stderr);
    fprintf(stderr, fmt, what);
    fputs("; run 'xlate tm --help' for usage\n", stderr);
    return EXIT_USAGE;
}

static int parse_number(const char *flag, const char *v, long lo, long hi, long *out) {
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < lo || n > hi) {
        fprintf(stderr, "xlate tm: %s '%s': give a whole number from %ld to %ld\n", flag, v, lo, hi);
        return -1;
    }
    *out = n;
    return 0;
}

static int parse_args(int argc, char **argv, args *a) {
    a->threshold = 75;
    a->limit = 3;
    a->rest = calloc((size_t)argc + 1, sizeof *a->rest);
    if (!a->rest)
        return EXIT_FAILED;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char **slot = strcmp(o, "--db") == 0 ? &a->db
                            : strcmp(o, "--from") == 0 ? &a->from
                            : strcmp(o, "--to") == 0 ? &a->to
                            : strcmp(o, "--format") == 0 ? &a->format
                            : strcmp(o, "--queries") == 0 ? &a->queries
                            : strcmp(o, "-o") == 0 || strcmp(o, "--output") == 0 ? &a->out
                                                                                 : NULL;
        int numeric = strcmp(o, "--threshold") == 0 || strcmp(o, "--limit") == 0;
        if (slot || numeric) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value", o);
            const char *v = argv[++i];
            if (slot)
                *slot = v;
            else if (strcmp(o, "--threshold") == 0 ? parse_number(o, v, 0, 100, &a->threshold)
                                                   : parse_number(o, v, 1, 100, &a->limit))
                return EXIT_USAGE;
        } else if (strcmp(o, "--") == 0) {
            while (++i < argc)
                a->rest[a->n_rest++] = argv[i];
        } else if (o[0] == '-' && o[1] != '\0') {
            return usage_error("unknown option '%s'", o);
        } else {
            a->rest[a->n_rest++] = argv[i];
        }
    }
    if (!a->db)
        return usage_error("%s: give the memory with --db FILE", argv[0]);
    if ((a->from == NULL) != (a->to == NULL))
        return usage_error("%s: give both --from and --to, or neither", argv[0]);
    return EXIT_OK;
}

static int open_store(const args *a, int create, xlate_tm_store **s) {
    char err[1024];
    if (xlate_tm_open(a->db, create, s, err, sizeof err) != 0) {
        fprintf(stderr, "xlate tm: %s\n", err);
        return EXIT_FAILED;
    }
    return EXIT_OK;
}

typedef enum file_kind { KIND_TMX, KIND_TSV, KIND_JSONL } file_kind;

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* By the file's extension, else by its first character. */
static file_kind kind_of(const char *path) {
    if (ends_with(path, ".tmx"))
        return KIND_TMX;
    if (ends_with(path, ".jsonl") || ends_with(path, ".json"))
        return KIND_JSONL;
    if (ends_with(path, ".tsv") || ends_with(path, ".tab") || ends_with(path, ".txt"))
        return KIND_TSV;
    FILE *f = fopen(path, "rb");
    int c = f ? fgetc(f) : EOF;
    if (c == 0xEF && f) {  /* a byte order mark */
        fgetc(f);
        fgetc(f);
        c = fgetc(f);
    }
    if (f)
        fclose(f);
    return c == '<' ? KIND_TMX : c == '{' ? KIND_JSONL : KIND_TSV;
}

static void print_summary(const tool_import *im) {
    printf("%s: %zu imported (%zu new, %zu updated, %zu unchanged), %zu skipped",
           im->path, im->added + im->updated + im->unchanged, im->added, im->updated, im->unchanged,
           im->skipped);
    for (size_t i = 0; i < im->n_reasons; i++)
        printf("%s%s: %zu", i ? "; " : ": ", im->reasons[i].reason, im->reasons[i].count);
    putchar('\n');
}

static int import_file(xlate_tm_store *s, const args *a, const char *path) {
    size_t olen = strlen(path) + 8;
    char *origin = malloc(olen);
    if (!origin)
        return EXIT_FAILED;
    snprintf(origin, olen, "import:%s", path);
    tool_import im = {.store = s, .from = a->from, .to = a->to, .path = path, .origin = origin,
                      .now = (long long)time(NULL)};
    file_kind kind = kind_of(path);
    int rc;
    if (access(path, R_OK) != 0) {
        snprintf(im.err, sizeof im.err, "%s: cannot read it: %s", path, strerror(errno));
        rc = -1;
    } else if (xlate_tm_begin(s) != 0) {
        snprintf(im.err, sizeof im.err, "%s: %s", path, xlate_tm_errmsg(s));
        rc = -1;
    } else {
        rc = kind == KIND_TMX ? tool_import_tmx(&im)
             : kind == KIND_TSV ? tool_import_tsv(&im)
                                : tool_import_jsonl(&im);
        if (rc == 0 && xlate_tm_commit(s) != 0) {
            snprintf(im.err, sizeof im.err, "%s: %s", path, xlate_tm_errmsg(s));
            rc = -1;
        }
        if (rc != 0)
            xlate_tm_rollback(s);
    }
    free(origin);
    if (rc != 0) {
        fprintf(stderr, "xlate tm: import: %s\n", im.err);
        return EXIT_FAILED;
    }
    print_summary(&im);
    return EXIT_OK;
}

static int cmd_import(const args *a) {
    if (a->n_rest == 0)
        return usage_error("%s: give the files to import", "import");
    for (int i = 0; i < a->n_rest; i++)
        if (kind_of(a->rest[i]) != KIND_TMX && !a->from)
            return usage_error("import %s: TSV and JSONL name no languages: give --from and --to",
                               a->rest[i]);
    xlate_tm_store *s;
    int rc = open_store(a, 1, &s);
    if (rc != EXIT_OK)
        return rc;
    if (xlate_tm_bulk(s) != 0) {
        fprintf(stderr, "xlate tm: %s\n", xlate_tm_errmsg(s));
        xlate_tm_close(s);
        return EXIT_FAILED;
    }
    int failed = 0;
    for (int i = 0; i < a->n_rest; i++)
        failed |= import_file(s, a, a->rest[i]) != EXIT_OK;
    if (xlate_tm_bulk_end(s) != 0) {
        fprintf(stderr, "xlate tm: %s\n", xlate_tm_errmsg(s));
        failed = 1;
    }
    xlate_tm_close(s);
    return failed ? EXIT_FAILED : EXIT_OK;
}

/* The pair --from/--to name (or the one with their primary subtags, see xlate_tm_pair_for), or the memory's only pair when they are not given (*pair 0 and
 * `any_ok`: every pair). */
static int choose_pair(xlate_tm_store *s, const args *a, int any_ok, long long *pair) {
    *pair = 0;
    if (a->from) {
        char chosen[256];
        int matching;
        int rc = xlate_tm_pair_for(s, a->from, a->to, pair, chosen, sizeof chosen, &matching);
        if (rc == 0 && matching)
            fprintf(stderr, "xlate tm: %s has no %s → %s pair; using %s%s\n", a->db, a->from, a->to,
                    chosen, matching > 1 ? " (the one with the most units of those with the same "
                                           "languages; xlate tm stats lists them)" : "");
        if (rc < 0) {
            fprintf(stderr, "xlate tm: %s\n", xlate_tm_errmsg(s));
            return EXIT_FAILED;
        }
        if (rc == 1) {
            fprintf(stderr, "xlate tm: %s holds no %s → %s units (xlate tm stats lists its pairs)\n",
                    a->db, a->from, a->to);
            return EXIT_FAILED;
        }
        return EXIT_OK;
    }
    return any_ok ? EXIT_OK : -1;
}

typedef struct pair_count {
    long long n_pairs, last_id, units;
    const char *src;
    char first_src[64];
    int mixed_src;
    int print;
} pair_count;

static int count_pair(void *data, long long id, const char *src, const char *tgt, long long units) {
    pair_count *c = data;
    if (c->n_pairs == 0)
        snprintf(c->first_src, sizeof c->first_src, "%s", src);
    else if (strcmp(c->first_src, src) != 0)
        c->mixed_src = 1;
    c->n_pairs++;
    c->last_id = id;
    c->units += units;
    if (c->print)
        printf("  %s → %s: %lld unit%s\n", src, tgt, units, units == 1 ? "" : "s");
    return 0;
}

/* Opens OUT for writing: a temporary file beside it, put in place by finish_output, so that a
 * failed export leaves the old file; "-" or none is standard output. */
static FILE *open_output(const char *out, char **tmp) {
    *tmp = NULL;
    if (!out || strcmp(out, "-") == 0)
        return stdout;
    size_t n = strlen(out) + 32;
    *tmp = malloc(n);
    if (!*tmp)
        return NULL;
    snprintf(*tmp, n, "%s.xlate-XXXXXX.tmp", out);
    int fd = mkstemps(*tmp, 4);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        fprintf(stderr, "xlate tm: cannot write %s: %s\n", out, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(*tmp);
        }
        free(*tmp);
        *tmp = NULL;
    }
    return f;
}

static int finish_output(FILE *f, const char *out, char *tmp, int ok) {
    if (f == stdout) {
        ok = fflush(stdout) == 0 && ok;
        return ok ? EXIT_OK : EXIT_FAILED;
    }
    ok = fclose(f) == 0 && ok;
    if (ok && rename(tmp, out) != 0) {
        fprintf(stderr, "xlate tm: cannot write %s: %s\n", out, strerror(errno));
        ok = 0;
    }
    if (!ok)
        unlink(tmp);
    free(tmp);
    return ok ? EXIT_OK : EXIT_FAILED;
}

static int cmd_export(const args *a) {
    const char *format = a->format ? a->format
                         : a->out && (ends_with(a->out, ".tsv") || ends_with(a->out, ".tab")) ? "tsv"
                                                                                               : "tmx";
    if (strcmp(format, "tmx") != 0 && strcmp(format, "tsv") != 0)
        return usage_error("--format %s: give tmx or tsv", format);
    if (a->n_rest)
        return usage_error("export: unexpected argument '%s' (the output goes to -o OUT)", a->rest[0]);
    xlate_tm_store *s;
    int rc = open_store(a, 0, &s);
    if (rc != EXIT_OK)
        return rc;
    long long pair;
    pair_count count = {0};
    rc = choose_pair(s, a, 1, &pair);
    if (rc == EXIT_OK && xlate_tm_each_pair(s, count_pair, &count) != 0) {
        fprintf(stderr, "xlate tm: %s\n", xlate_tm_errmsg(s));
        rc = EXIT_FAILED;
    }
    if (rc == EXIT_OK && pair == 0 && count.n_pairs > 1 && strcmp(format, "tsv") == 0) {
        fprintf(stderr, "xlate tm: %s holds %lld language pairs and TSV names none: give --from "
                "and --to\n", a->db, count.n_pairs);
        rc = EXIT_USAGE;
    }
    if (rc != EXIT_OK) {
        xlate_tm_close(s);
        return rc;
    }
    const char *srclang = a->from ? a->from : count.n_pairs && !count.mixed_src ? count.first_src
                                                                                 : "*all*";
    char *tmp, err[1024];
    FILE *f = open_output(a->out, &tmp);
    if (!f) {
        xlate_tm_close(s);
        return EXIT_FAILED;
    }
    int ok = (strcmp(format, "tmx") == 0 ? tool_export_tmx(s, pair, srclang, f, err, sizeof err)
                                         : tool_export_tsv(s, pair, f, err, sizeof err)) == 0;
    if (!ok)
        fprintf(stderr, "xlate tm: export: %s\n", err);
    xlate_tm_close(s);
    return finish_output(f, a->out, tmp, ok);
}

static int cmd_stats(const args *a) {
    if (a->n_rest)
        return usage_error("stats: unexpected argument '%s'", a->rest[0]);
    xlate_tm_store *s;
    int rc = open_store(a, 0, &s);
    if (rc != EXIT_OK)
        return rc;
    pair_count count = {0};
    printf("%s: translation memory, schema %d\n", a->db, XLATE_TM_SCHEMA_VERSION);
    count.print = 1;
    if (xlate_tm_each_pair(s, count_pair, &count) != 0) {
        fprintf(stderr, "xlate tm: %s\n", xlate_tm_errmsg(s));
        rc = EXIT_FAILED;
    } else
        printf("%lld unit%s in %lld language pair%s\n", count.units, count.units == 1 ? "" : "s",
               count.n_pairs, count.n_pairs == 1 ? "" : "s");
    xlate_tm_close(s);
    return rc;
}

static const char *kind_name(xlate_tm_kind k) {
    return k == XLATE_TM_EXACT ? "exact" : k == XLATE_TM_REPAIRED ? "repaired" : "fuzzy";
}

/* WHERE names the text in a message: "the text" for an argument, "FILE:LINE" for a query line. */
static int lookup_one(xlate_tm_store *s, long long pair, const args *a, const char *text, size_t text_len,
                      const char *where) {
    size_t len;
    char *nfc = tool_nfc(text, text_len, &len);
    if (!nfc) {
        fprintf(stderr, "xlate tm: lookup: %s is not UTF-8; convert it first (iconv -t UTF-8)\n", where);
        return EXIT_FAILED;
    }
    xlate_tm_query q = {(int)a->threshold, 1, (size_t)a->limit};
    xlate_tm_match *m;
    size_t n;
    int rc = xlate_tm_lookup(s, pair, nfc, len, &q, &m, &n);
    if (rc != 0) {
        fprintf(stderr, "xlate tm: lookup: %s\n", xlate_tm_errmsg(s));
        free(nfc);
        return EXIT_FAILED;
    }
    printf("%s\n", nfc);
    if (n == 0)
        printf("  no match scoring %ld or more\n", a->threshold);
    for (size_t i = 0; i < n; i++)
        printf("  %3d %-8s %s\n               %s\n", m[i].score, kind_name(m[i].kind), m[i].source,
               m[i].target);
    xlate_tm_matches_free(m, n);
    free(nfc);
    return EXIT_OK;
}

/* Every line of --queries, one lookup each, on the connection already open: a script's thousands
 * of lookups pay for one process start and one warm page cache, not one per call. The line end
 * (LF or CRLF) is not part of the text. */
static int lookup_lines(xlate_tm_store *s, long long pair, const args *a) {
    int from_stdin = strcmp(a->queries, "-") == 0;
    FILE *f = from_stdin ? stdin : fopen(a->queries, "r");
    if (!f) {
        fprintf(stderr, "xlate tm: lookup: cannot read %s: %s\n", a->queries, strerror(errno));
        return EXIT_FAILED;
    }
    const char *name = from_stdin ? "standard input" : a->queries;
    char *line = NULL, where[64 + 4096];
    size_t cap = 0;
    ssize_t got;
    int rc = EXIT_OK;
    for (unsigned long no = 1; rc == EXIT_OK && (got = getline(&line, &cap, f)) >= 0; no++) {
        size_t len = (size_t)got;
        if (len && line[len - 1] == '\n')
            len--;
        if (len && line[len - 1] == '\r')
            len--;
        snprintf(where, sizeof where, "%.4096s, line %lu,", name, no);
        rc = lookup_one(s, pair, a, line, len, where);
    }
    if (rc == EXIT_OK && ferror(f)) {
        fprintf(stderr, "xlate tm: lookup: reading %s: %s\n", name, strerror(errno));
        rc = EXIT_FAILED;
    }
    free(line);
    if (!from_stdin)
        fclose(f);
    return rc;
}

static int cmd_lookup(const args *a) {
    if (a->n_rest == 0 && !a->queries)
        return usage_error("%s: give the text to look up, or --queries FILE", "lookup");
    xlate_tm_store *s;
    int rc = open_store(a, 0, &s);
    if (rc != EXIT_OK)
        return rc;
    long long pair;
    rc = choose_pair(s, a, 0, &pair);
    if (rc < 0) {
        pair_count count = {0};
        rc = xlate_tm_each_pair(s, count_pair, &count) != 0 ? EXIT_FAILED : EXIT_OK;
        if (rc == EXIT_OK && count.n_pairs == 1)
            pair = count.last_id;
        else if (rc == EXIT_OK) {
            fprintf(stderr, "xlate tm: %s holds %lld language pairs: give --from and --to\n",
                    a->db, count.n_pairs);
            rc = count.n_pairs ? EXIT_USAGE : EXIT_FAILED;
        }
    }
    if (rc == EXIT_OK && xlate_tm_read_begin(s) != 0) {
        fprintf(stderr, "xlate tm: lookup: %s\n", xlate_tm_errmsg(s));
        rc = EXIT_FAILED;
    }
    for (int i = 0; rc == EXIT_OK && i < a->n_rest; i++)
        rc = lookup_one(s, pair, a, a->rest[i], strlen(a->rest[i]), "the text");
    if (rc == EXIT_OK && a->queries)
        rc = lookup_lines(s, pair, a);
    xlate_tm_read_end(s);
    xlate_tm_close(s);
    return rc;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return EXIT_OK;
    }
    int (*run)(const args *) = strcmp(cmd, "import") == 0   ? cmd_import
                               : strcmp(cmd, "export") == 0 ? cmd_export
                               : strcmp(cmd, "stats") == 0  ? cmd_stats
                               : strcmp(cmd, "lookup") == 0 ? cmd_lookup
                                                            : NULL;
    if (!run) {
        fprintf(stderr, "xlate tm: unknown command '%s': give import, export, stats or lookup\n", cmd);
        return EXIT_USAGE;
    }
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_text, stdout);
            return EXIT_OK;
        }
    args a = {0};
    int rc = parse_args(argc - 1, argv + 1, &a);
    if (rc == EXIT_OK)
        rc = run(&a);
    free(a.rest);
    return rc;
}
