/*
 * qa_eval: runs the qa checks on a labelled set and prints precision and recall per check.
 *
 * The set is TSV, one pair a line: from, to, source, target, the codes expected ("-" for none,
 * else names separated by ','), and optionally the glossary's terms ("source=target" separated by
 * " | "; "source=" for a term kept as it is; "!term=use" for a term a map forbids). \t, \n and \\ are escapes in the texts; '#' starts
 * a comment line. A finding on a row that expects its code is a true positive; on another row a
 * false positive; an expected code not found a false negative.
 *
 * Usage: qa_eval [-v] SET.tsv     (-v also prints every finding's message)
 * Exit status 0 when every check has precision and recall 1.0 and at least one row expects it;
 * 1 otherwise; 2 when the set cannot be read (the line and what is wrong are named).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qa_check.h"

#define MAX_FIELDS 6
#define MAX_TERMS 16

typedef struct counts {
    size_t tp, fp, fn, rows;
} counts;

/* Undoes \t, \n and \\ in place. */
static void unescape(char *s) {
    char *o = s;
    for (; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            *o++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
}

static int split_tabs(char *line, char **fields) {
    int n = 0;
    for (char *s = line; n < MAX_FIELDS;) {
        fields[n++] = s;
        char *tab = strchr(s, '\t');
        if (!tab)
            break;
        *tab = '\0';
        s = tab + 1;
    }
    return n;
}

static size_t parse_terms(char *field, qa_term *terms, qa_forbidden *forbidden,
                          size_t *n_forbidden) {
    size_t n = 0;
    *n_forbidden = 0;
    for (char *item = strtok(field, "|"); item && n < MAX_TERMS; item = strtok(NULL, "|")) {
        while (*item == ' ')
            item++;
        size_t len = strlen(item);
        while (len && item[len - 1] == ' ')
            item[--len] = '\0';
        char *eq = strchr(item, '=');
        if (!eq)
            continue;
        *eq = '\0';
        if (item[0] == '!') {
            if (*n_forbidden < MAX_TERMS)
                forbidden[(*n_forbidden)++] = (qa_forbidden){item + 1, eq + 1};
            continue;
        }
        terms[n].source = item;
        terms[n].source_len = strlen(item);
        terms[n].target = eq[1] ? eq + 1 : item;
        terms[n].target_len = strlen(terms[n].target);
        n++;
    }
    return n;
}

static int eval_line(char *line, size_t lineno, const char *path, int verbose, counts *per,
                     size_t *clean) {
    char *f[MAX_FIELDS];
    int nf = split_tabs(line, f);
    if (nf < 5) {
        fprintf(stderr, "%s:%zu: %d fields; want from, to, source, target, expected[, terms]\n",
                path, lineno, nf);
        return -1;
    }
    unsigned expected = 0;
    if (strcmp(f[4], "-") != 0) {
        const char *bad;
        size_t bad_len;
        if (qa_codes_parse(f[4], &expected, &bad, &bad_len) != 0) {
            fprintf(stderr, "%s:%zu: '%.*s' is no check name\n", path, lineno, (int)bad_len, bad);
            return -1;
        }
    }
    *clean += expected == 0;
    unescape(f[2]);
    unescape(f[3]);
    qa_term terms[MAX_TERMS];
    qa_forbidden forbidden[MAX_TERMS];
    size_t n_forbidden = 0;
    size_t n_terms = nf > 5 ? parse_terms(f[5], terms, forbidden, &n_forbidden) : 0;
    qa_config config = {.enabled = QA_ALL_CHECKS, .forbidden = forbidden,
                        .n_forbidden = n_forbidden,
                        .length_tolerance = QA_LENGTH_TOLERANCE_DEFAULT,
                        .length_min = QA_LENGTH_MIN_DEFAULT};
    qa_checker *c = qa_checker_new(f[0], f[1], &config);
    qa_findings found;
    if (!c || qa_checker_run(c, f[2], strlen(f[2]), f[3], strlen(f[3]), terms, n_terms,
                             &found) != 0) {
        fprintf(stderr, "qa_eval: out of memory\n");
        qa_checker_free(c);
        return -1;
    }
    qa_checker_free(c);
    unsigned got = 0;
    for (size_t k = 0; k < found.n; k++) {
        got |= 1u << found.items[k].code;
        if (verbose || !(expected & (1u << found.items[k].code)))
            printf("%s:%zu: %s%s: %s\n", path, lineno,
                   expected & (1u << found.items[k].code) ? "" : "UNEXPECTED ",
                   qa_code_name(found.items[k].code), found.items[k].message);
    }
    for (int k = 0; k < QA_N_CHECKS; k++) {
        unsigned bit = 1u << k;
        per[k].rows += (expected & bit) != 0;
        if ((got & bit) && (expected & bit))
            per[k].tp++;
        else if (got & bit)
            per[k].fp++;
        else if (expected & bit) {
            per[k].fn++;
            printf("%s:%zu: MISSED %s\n", path, lineno, qa_code_name((qa_code)k));
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    int verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    if (argc != 2 + verbose) {
        fprintf(stderr, "usage: qa_eval [-v] SET.tsv\n");
        return 2;
    }
    const char *path = argv[1 + verbose];
    FILE *in = fopen(path, "r");
    if (!in) {
        perror(path);
        return 2;
    }
    counts per[QA_N_CHECKS];
    memset(per, 0, sizeof per);
    char *line = NULL;
    size_t cap = 0, lineno = 0, pairs = 0, clean = 0;
    ssize_t n;
    int bad = 0;
    while ((n = getline(&line, &cap, in)) > 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        pairs++;
        if (eval_line(line, lineno, path, verbose, per, &clean) != 0) {
            bad = 1;
            break;
        }
    }
    free(line);
    fclose(in);
    if (bad)
        return 2;
    int ok = 1;
    printf("%-14s %5s %4s %4s %4s %10s %7s\n", "check", "rows", "tp", "fp", "fn", "precision",
           "recall");
    for (int k = 0; k < QA_N_CHECKS; k++) {
        const counts *c = &per[k];
        double precision = c->tp + c->fp ? (double)c->tp / (double)(c->tp + c->fp) : 1.0;
        double recall = c->tp + c->fn ? (double)c->tp / (double)(c->tp + c->fn) : 0.0;
        int good = c->rows > 0 && precision == 1.0 && recall == 1.0;
        ok &= good;
        printf("%-14s %5zu %4zu %4zu %4zu %10.2f %7.2f%s\n", qa_code_name((qa_code)k), c->rows,
               c->tp, c->fp, c->fn, precision, recall,
               good ? "" : c->rows ? "  below 1.0" : "  no row expects it");
    }
    printf("%zu pairs (%zu clean); every check at precision and recall 1.0: %s\n", pairs, clean,
           ok ? "yes" : "NO");
    return ok ? 0 : 1;
}
