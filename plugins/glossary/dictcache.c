/*
 * dictcache: one cache entry of the glossary's dictionary work, on disk (see dictcache.h).
 *
 * File layout, in the machine's byte order (the cache is local to one machine):
 *   magic (8 bytes), key length, the parts' lengths, checksum — each a uint64 —
 *   then the key, then the parts back to back.
 * The checksum covers everything after the header, so a file cut short, padded or overwritten
 * in part is told from a whole one.
 */
#include "dictcache.h"

#include "casefold.h"
#include "strtab.h"

#include <hunspell/hunspell.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/uversion.h>
#include <unistd.h>

/* Bumped whenever what an entry holds, or how it is derived, changes. */
#define CACHE_MAGIC "XGLDC\0\0\2"
#define HEADER_WORDS (2 + XLATE_DICTCACHE_PARTS + 1)
#define HEADER_BYTES (HEADER_WORDS * sizeof(uint64_t))
/* A bigger file is not one this code wrote for any dictionary there is. */
#define MAX_FILE_BYTES ((size_t)1 << 30)

struct xlate_dictcache {
    char *dir;
    char *path;
    char *key;
    size_t key_len;
    char *image; /* the file as read, which load's parts point into */
};

typedef struct bytes {
    char *s;
    size_t len, cap;
} bytes;

static int append(bytes *b, const void *s, size_t len) {
    if (xlate_grow_bytes(&b->s, &b->cap, b->len + len + 1) != 0)
        return -1;
    memcpy(b->s + b->len, s, len);
    b->len += len;
    b->s[b->len] = '\0';
    return 0;
}

static int append_text(bytes *b, const char *s) { return append(b, s, strlen(s)); }

/* "LABEL PATH size mtime inode device", or "LABEL PATH unknown" for a file that cannot be
 * examined. Returns 1, 0 when the file cannot be examined, -1 when out of memory. */
static int append_identity(bytes *b, const char *label, const char *path) {
    struct stat st;
    char line[256];
    int known = path && stat(path, &st) == 0;
    if (known)
        snprintf(line, sizeof line, " %lld %lld.%09ld %llu %llu\n", (long long)st.st_size,
                 (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec,
                 (unsigned long long)st.st_ino, (unsigned long long)st.st_dev);
    else
        snprintf(line, sizeof line, " unknown\n");
    if (append_text(b, label) != 0 || append_text(b, path ? path : "-") != 0 ||
        append_text(b, line) != 0)
        return -1;
    return known;
}

/* The file that holds the code at `addr` (this plugin, hunspell's library). */
static const char *file_of(const void *addr) {
    Dl_info info;
    return dladdr(addr, &info) && info.dli_fname && *info.dli_fname ? info.dli_fname : NULL;
}

/* Everything the entry's content depends on besides the vocabulary's words themselves. */
static int build_key(bytes *b, const char *aff_path, const char *dic_path, const char *const *words,
                     const size_t *lens, size_t n) {
    UVersionInfo icu;
    char icu_text[U_MAX_VERSION_STRING_LENGTH], count[64];
    u_getVersion(icu);
    u_versionToString(icu, icu_text);
    snprintf(count, sizeof count, "vocabulary %zu\n", n);
    if (append_text(b, "xlate glossary dictionary cache\nicu ") != 0 ||
        append_text(b, icu_text) != 0 || append_text(b, "\n") != 0 ||
        append_identity(b, "code ", file_of((const void *)xlate_dictcache_open)) < 0 ||
        append_identity(b, "hunspell ", file_of((const void *)Hunspell_create)) < 0)
        return -1;
    int aff = append_identity(b, "aff ", aff_path), dic = append_identity(b, "dic ", dic_path);
    if (aff < 0 || dic < 0)
        return -1;
    if (aff == 0 || dic == 0)
        return 0;
    if (append_text(b, count) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (append(b, words[i], lens[i]) != 0 || append(b, "", 1) != 0)
            return -1;
    return 1;
}

/* The directory entries live in, or NULL when caching is off or none can be named. */
static char *cache_dir(void) {
    const char *dir = getenv("XLATE_CACHE_DIR"), *base, *tail;
    bytes b = {0};
    if (dir)
        return *dir && strcmp(dir, "off") != 0 ? strdup(dir) : NULL;
    if ((base = getenv("XDG_CACHE_HOME")) && base[0] == '/')
        tail = "/xlate";
    else if ((base = getenv("HOME")) && *base)
        tail = "/.cache/xlate";
    else
        return NULL;
    if (append_text(&b, base) != 0 || append_text(&b, tail) != 0) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

int xlate_dictcache_open(const char *aff_path, const char *dic_path, const char *const *words,
                         const size_t *lens, size_t n, xlate_dictcache **out) {
    *out = NULL;
    char *dir = cache_dir();
    if (!dir)
        return 0;
    xlate_dictcache *c = calloc(1, sizeof *c);
    bytes key = {0};
    int rc = c ? build_key(&key, aff_path, dic_path, words, lens, n) : -1;
    size_t path_len = strlen(dir) + sizeof "/glossary-0123456789abcdef.dict";
    if (rc == 1 && (c->path = malloc(path_len))) {
        snprintf(c->path, path_len, "%s/glossary-%016llx.dict", dir,
                 (unsigned long long)xlate_strtab_hash(key.s, key.len));
        c->dir = dir;
        c->key = key.s;
        c->key_len = key.len;
        *out = c;
        return 0;
    }
    free(dir);
    free(key.s);
    if (c)
        free(c->path);
    free(c);
    return rc == 0 ? 0 : -1;
}

/* The whole file, or NULL when it cannot be read or is implausibly large. */
static char *read_image(const char *path, size_t *len) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    char *image = NULL;
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= (off_t)HEADER_BYTES &&
        (size_t)st.st_size <= MAX_FILE_BYTES && (image = malloc((size_t)st.st_size))) {
        size_t got = 0;
        while (got < (size_t)st.st_size) {
            ssize_t r = read(fd, image + got, (size_t)st.st_size - got);
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        if (got != (size_t)st.st_size) {
            free(image);
            image = NULL;
        }
        *len = got;
    }
    close(fd);
    return image;
}

int xlate_dictcache_load(xlate_dictcache *c, const char *parts[XLATE_DICTCACHE_PARTS],
                         size_t lens[XLATE_DICTCACHE_PARTS]) {
    size_t len = 0;
    free(c->image);
    c->image = read_image(c->path, &len);
    if (!c->image)
        return 0;
    uint64_t h[HEADER_WORDS];
    memcpy(h, c->image, HEADER_BYTES);
    size_t want = HEADER_BYTES;
    int fits = memcmp(c->image, CACHE_MAGIC, 8) == 0 && h[1] == c->key_len;
    for (size_t i = 1; fits && i < 2 + XLATE_DICTCACHE_PARTS; i++) {
        fits = h[i] <= len - want;
        want += fits ? (size_t)h[i] : 0;
    }
    const char *body = c->image + HEADER_BYTES;
    if (!fits || want != len || memcmp(body, c->key, c->key_len) != 0 ||
        xlate_strtab_hash(body, len - HEADER_BYTES) != h[HEADER_WORDS - 1]) {
        free(c->image);
        c->image = NULL;
        return 0;
    }
    const char *at = body + c->key_len;
    for (size_t i = 0; i < XLATE_DICTCACHE_PARTS; i++) {
        parts[i] = at;
        lens[i] = (size_t)h[2 + i];
        at += lens[i];
    }
    return 1;
}

/* Creates the directory and its missing parents, private to the user. */
static int make_dirs(const char *dir) {
    char *p = strdup(dir);
    if (!p)
        return -1;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char was = *s;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        if (!(*s = was))
            break;
    }
    free(p);
    return 0;
}

static int write_all(int fd, const char *s, size_t len) {
    while (len > 0) {
        ssize_t w = write(fd, s, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        len -= (size_t)w;
    }
    return 0;
}

int xlate_dictcache_store(const xlate_dictcache *c,
                          const char *const parts[XLATE_DICTCACHE_PARTS],
                          const size_t lens[XLATE_DICTCACHE_PARTS]) {
    uint64_t h[HEADER_WORDS] = {0};
    bytes image = {0}, tmp = {0};
    memcpy(h, CACHE_MAGIC, 8);
    h[1] = c->key_len;
    int rc = append(&image, h, HEADER_BYTES) != 0 || append(&image, c->key, c->key_len) != 0;
    for (size_t i = 0; i < XLATE_DICTCACHE_PARTS && !rc; i++) {
        h[2 + i] = lens[i];
        rc = append(&image, parts[i], lens[i]) != 0;
    }
    if (rc || append_text(&tmp, c->path) != 0 || append_text(&tmp, ".XXXXXX") != 0) {
        free(image.s);
        free(tmp.s);
        return -1;
    }
    h[HEADER_WORDS - 1] = xlate_strtab_hash(image.s + HEADER_BYTES, image.len - HEADER_BYTES);
    memcpy(image.s, h, HEADER_BYTES);
    int fd = make_dirs(c->dir) == 0 ? mkstemp(tmp.s) : -1;
    rc = fd >= 0 ? 0 : -1;
    if (fd >= 0) {
        rc = write_all(fd, image.s, image.len);
        if (close(fd) != 0)
            rc = -1;
        if (rc == 0)
            rc = rename(tmp.s, c->path);
        if (rc != 0)
            unlink(tmp.s);
    }
    free(image.s);
    free(tmp.s);
    return rc;
}

const char *xlate_dictcache_path(const xlate_dictcache *c) { return c->path; }

void xlate_dictcache_free(xlate_dictcache *c) {
    if (!c)
        return;
    free(c->dir);
    free(c->path);
    free(c->key);
    free(c->image);
    free(c);
}
