/*
 * dictpath: finds the hunspell dictionary for a language (see dictpath.h). Only when a language
 * has several distinct dictionaries are their word lists read, to count the term map's words in
 * each: a Ukrainian run with one uk_UA reads nothing.
 */
#include "dictpath.h"

#include "casefold.h"
#include "strtab.h"

#include <xlate/plugin.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/ucasemap.h>
#include <unicode/uloc.h>

#define MAX_CANDIDATES 64

typedef struct candidate {
    char base[PATH_MAX];   /* the path without .aff/.dic */
    char region[8];        /* "GB" of en_GB; empty for a bare language */
    dev_t dev;             /* of the .dic, to count a file reached through links once */
    ino_t ino;
    size_t known;          /* vocabulary words its word list has */
} candidate;

typedef struct search {
    char language[16];
    char region[8];        /* the tag's, or empty */
    char likely[8];        /* ICU's likely region for the language */
    candidate v[MAX_CANDIDATES];
    size_t n;
} search;

static int parse_tag(const char *lang, search *s) {
    char locale[ULOC_FULLNAME_CAPACITY];
    UErrorCode status = U_ZERO_ERROR;
    int32_t parsed = 0;
    uloc_forLanguageTag(lang, locale, sizeof locale, &parsed, &status);
    if (U_FAILURE(status) || parsed != (int32_t)strlen(lang))
        return XLATE_EINVAL;
    uloc_getLanguage(locale, s->language, sizeof s->language, &status);
    uloc_getCountry(locale, s->region, sizeof s->region, &status);
    char maximal[ULOC_FULLNAME_CAPACITY];
    uloc_addLikelySubtags(locale, maximal, sizeof maximal, &status);
    uloc_getCountry(maximal, s->likely, sizeof s->likely, &status);
    if (U_FAILURE(status) || !s->language[0])
        return XLATE_EINVAL;
    return XLATE_OK;
}

/* The region of a dictionary name for the language: "" for "en", "GB" for "en_GB" or "en-GB";
 * -1 when the name is not one of the language's. */
static int name_region(const search *s, const char *name, size_t len, char *region) {
    size_t ll = strlen(s->language);
    if (len < ll || strncmp(name, s->language, ll) != 0)
        return -1;
    if (len == ll) {
        region[0] = '\0';
        return 0;
    }
    if ((name[ll] != '_' && name[ll] != '-') || len - ll - 1 == 0 || len - ll - 1 >= 8)
        return -1;
    memcpy(region, name + ll + 1, len - ll - 1);
    region[len - ll - 1] = '\0';
    return 0;
}

static void add_candidate(search *s, const char *dir, const char *name, size_t len,
                          const char *region) {
    if (s->n == MAX_CANDIDATES)
        return;
    candidate *c = &s->v[s->n];
    struct stat aff, dic;
    int n = snprintf(c->base, sizeof c->base, "%s/%.*s", dir, (int)len, name);
    if (n < 0 || (size_t)n + 5 > sizeof c->base)
        return;
    char path[PATH_MAX + 8];
    snprintf(path, sizeof path, "%s.aff", c->base);
    if (stat(path, &aff) != 0 || !S_ISREG(aff.st_mode))
        return;
    snprintf(path, sizeof path, "%s.dic", c->base);
    if (stat(path, &dic) != 0 || !S_ISREG(dic.st_mode))
        return;
    for (size_t i = 0; i < s->n; i++) {
        if (s->v[i].dev != dic.st_dev || s->v[i].ino != dic.st_ino)
            continue;
        /* one file under several names (es_AR, es_ES ... → es_ES.dic): the likely region's
         * name is the one the debug log and the cache show */
        if (strcmp(region, s->likely) == 0 && strcmp(s->v[i].region, s->likely) != 0) {
            memcpy(s->v[i].base, c->base, sizeof c->base);
            snprintf(s->v[i].region, sizeof s->v[i].region, "%s", region);
        }
        return;
    }
    c->dev = dic.st_dev;
    c->ino = dic.st_ino;
    snprintf(c->region, sizeof c->region, "%s", region);
    c->known = 0;
    s->n++;
}

static int by_name(const void *a, const void *b) {
    return strcmp(((const candidate *)a)->base, ((const candidate *)b)->base);
}

/* Every dictionary of the language in one folder, in name order. */
static void scan_dir(search *s, const char *dir) {
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t first = s->n;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        char region[8];
        if (len > 4 && strcmp(e->d_name + len - 4, ".aff") == 0 &&
            name_region(s, e->d_name, len - 4, region) == 0)
            add_candidate(s, dir, e->d_name, len - 4, region);
    }
    closedir(d);
    qsort(s->v + first, s->n - first, sizeof *s->v, by_name);
}

static void scan_dirs(search *s, const char *dirs) {
    for (const char *p = dirs; *p;) {
        size_t n = strcspn(p, ":");
        char dir[PATH_MAX];
        if (n && n < sizeof dir) {
            memcpy(dir, p, n);
            dir[n] = '\0';
            scan_dir(s, dir);
        }
        p += n;
        if (*p)
            p++;
    }
}

/* The folded vocabulary, to look each word list entry up in. */
static int fold_vocabulary(UCaseMap *cm, const char *const *words, const size_t *lens, size_t n,
                           xlate_strtab *vocab, char **fold, size_t *cap) {
    for (size_t i = 0; i < n; i++) {
        long len = xlate_casefold(cm, fold, cap, words[i], lens[i]);
        uint32_t seen;
        if (len < 0 || (!xlate_strtab_find(vocab, *fold, (size_t)len, &seen) &&
                        xlate_strtab_insert(vocab, *fold, (size_t)len, 0) != 0))
            return XLATE_ENOMEM;
    }
    return XLATE_OK;
}

/* How many vocabulary words the candidate's .dic lists (each counted once). */
static int count_known(UCaseMap *cm, candidate *c, const xlate_strtab *vocab, char **fold,
                       size_t *cap) {
    char path[PATH_MAX + 8];
    snprintf(path, sizeof path, "%s.dic", c->base);
    FILE *f = fopen(path, "rb");
    if (!f)
        return XLATE_OK;
    xlate_strtab found = XLATE_STRTAB_INIT;
    char line[1024];
    int rc = XLATE_OK;
    while (rc == XLATE_OK && fgets(line, sizeof line, f)) {
        size_t len = strcspn(line, "/\t \r\n");
        long n = len ? xlate_casefold(cm, fold, cap, line, len) : 0;
        uint32_t v;
        if (n < 0)
            rc = XLATE_ENOMEM;
        else if (n > 0 && xlate_strtab_find(vocab, *fold, (size_t)n, &v) &&
                 !xlate_strtab_find(&found, *fold, (size_t)n, &v)) {
            if (xlate_strtab_insert(&found, *fold, (size_t)n, 0) != 0)
                rc = XLATE_ENOMEM;
            c->known++;
        }
    }
    fclose(f);
    xlate_strtab_free(&found);
    return rc;
}

static int ranks_before(const search *s, const candidate *a, const candidate *b) {
    if (a->known != b->known)
        return a->known > b->known;
    int a_likely = strcmp(a->region, s->likely) == 0, b_likely = strcmp(b->region, s->likely) == 0;
    return a_likely > b_likely;
}

static int choose_by_vocabulary(search *s, const char *const *words, const size_t *lens,
                                size_t n, const candidate **best) {
    UErrorCode status = U_ZERO_ERROR;
    UCaseMap *cm = ucasemap_open("", U_FOLD_CASE_DEFAULT, &status);
    if (U_FAILURE(status))
        return XLATE_ENOMEM;
    xlate_strtab vocab = XLATE_STRTAB_INIT;
    char *fold = NULL;
    size_t cap = 0;
    int rc = fold_vocabulary(cm, words, lens, n, &vocab, &fold, &cap);
    for (size_t i = 0; rc == XLATE_OK && i < s->n && n > 0; i++)
        rc = count_known(cm, &s->v[i], &vocab, &fold, &cap);
    *best = &s->v[0];
    for (size_t i = 1; i < s->n; i++)
        if (ranks_before(s, &s->v[i], *best))
            *best = &s->v[i];
    free(fold);
    xlate_strtab_free(&vocab);
    ucasemap_close(cm);
    return rc;
}

int xlate_dictpath_find(const char *lang, const char *dirs, const char *const *words,
                        const size_t *lens, size_t n, char *out, size_t out_size) {
    search *s = calloc(1, sizeof *s);
    if (!s)
        return XLATE_ENOMEM;
    int rc = parse_tag(lang, s);
    if (rc == XLATE_OK)
        scan_dirs(s, dirs);
    const candidate *best = NULL;
    for (size_t i = 0; rc == XLATE_OK && i < s->n && !best; i++)
        if (s->region[0] && strcmp(s->v[i].region, s->region) == 0)
            best = &s->v[i];
    if (rc == XLATE_OK && !best && s->n == 1)
        best = &s->v[0];
    if (rc == XLATE_OK && !best && s->n > 1)
        rc = choose_by_vocabulary(s, words, lens, n, &best);
    if (rc == XLATE_OK && !best)
        rc = XLATE_ENOTFOUND;
    if (rc == XLATE_OK && (size_t)snprintf(out, out_size, "%s", best->base) >= out_size)
        rc = XLATE_EINVAL;
    free(s);
    return rc;
}
