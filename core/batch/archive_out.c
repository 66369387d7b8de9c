/*
 * archive_out: the output side of a batch, after the writers. Files go under one root folder,
 * reached with openat one folder at a time with O_NOFOLLOW and written by outfile's rule with
 * links refused, so a symbolic link planted in OUTPUT cannot redirect a write elsewhere. An
 * archive output is that folder packed with libarchive at the end, into a file outfile opens.
 */
#include "archive_out.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "outfile.h"
#include "readfile.h"

enum { COPY_CHUNK = 64 * 1024 };

/* The archive kinds xlate writes: the name's ending decides format and compression. */
typedef enum out_filter { FILTER_NONE, FILTER_GZIP, FILTER_BZIP2, FILTER_XZ, FILTER_ZSTD } out_filter;

static const struct {
    const char *ext;
    int zip;
    out_filter filter;
} archive_kinds[] = {
    {".tar", 0, FILTER_NONE},      {".tar.gz", 0, FILTER_GZIP}, {".tgz", 0, FILTER_GZIP},
    {".tar.bz2", 0, FILTER_BZIP2}, {".tbz2", 0, FILTER_BZIP2},  {".tar.xz", 0, FILTER_XZ},
    {".txz", 0, FILTER_XZ},        {".tar.zst", 0, FILTER_ZSTD}, {".tzst", 0, FILTER_ZSTD},
    {".zip", 1, FILTER_NONE},
};
enum { N_KINDS = sizeof archive_kinds / sizeof archive_kinds[0] };

struct xlate_output {
    char *path;      /* OUTPUT as given */
    char *root;      /* the folder written into */
    int root_fd;
    int kind;        /* index into archive_kinds, or -1 for a folder */
    long long pack_time; /* stamped on packed entries, or XLATE_PACK_TIME_NOW */
};

static int archive_kind(const char *path) {
    size_t n = strlen(path);
    for (int i = 0; i < (int)N_KINDS; i++) {
        size_t e = strlen(archive_kinds[i].ext);
        if (n > e && strcmp(path + n - e, archive_kinds[i].ext) == 0)
            return i;
    }
    return -1;
}

int xlate_output_names_archive(const char *path) {
    return archive_kind(path) >= 0;
}

char *xlate_output_name(const char *doc_path, const char *from, const char *to, const char *ext) {
    const char *base = strrchr(doc_path, '/');
    const char *dot;
    size_t stem;
    char *out;
    base = base ? base + 1 : doc_path;
    dot = strrchr(base, '.');
    /* ".profile" is a name, not an extension. */
    stem = dot && dot > base ? (size_t)(dot - doc_path) : strlen(doc_path);
    /* Put together by hand: the reading thread names every document this way, and asprintf's
     * format parsing cost more than the rest of naming it. */
    size_t from_len = strlen(from), to_len = to && *to ? strlen(to) : 0, ext_len = strlen(ext);
    char *p = out = malloc(stem + 1 + from_len + (to_len ? 1 + to_len : 0) + 1 + ext_len + 1);
    if (!out)
        return NULL;
    p = mempcpy(p, doc_path, stem);
    *p++ = '.';
    p = mempcpy(p, from, from_len);
    if (to_len) {
        *p++ = '-';
        p = mempcpy(p, to, to_len);
    }
    *p++ = '.';
    p = mempcpy(p, ext, ext_len);
    *p = '\0';
    return out;
}

/* --- walking under the root without following links -------------------------------------------- */

/* Opens the folder that holds `rel`'s last part, creating missing folders when `create`. Returns a
 * descriptor (close it; it may be root_fd's duplicate) and sets *base to the last part, or -1. */
static int open_parent(const xlate_output *o, const char *rel, int create, const char **base,
                       xlate_error *err) {
    int fd = dup(o->root_fd);
    const char *p = rel;
    if (fd < 0) {
        xlate_error_set(err, XLATE_ERROR, "%s: %s", o->root, strerror(errno));
        return -1;
    }
    for (;;) {
        const char *slash = strchr(p, '/');
        char part[256 * 4];
        size_t n;
        int next;
        if (!slash) {
            *base = p;
            return fd;
        }
        n = (size_t)(slash - p);
        if (n == 0 || n >= sizeof part) {
            p = slash + 1;
            continue;
        }
        memcpy(part, p, n);
        part[n] = '\0';
        next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0 && errno == ENOENT && create) {
            if (mkdirat(fd, part, 0777) != 0 && errno != EEXIST) {
                xlate_error_set(err, XLATE_ERROR, "%s/%.*s: cannot create the folder: %s",
                                o->root, (int)(slash - rel), rel, strerror(errno));
                close(fd);
                return -1;
            }
            next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        if (next < 0) {
            int e = errno;
            if (e == ELOOP || e == ENOTDIR)
                xlate_error_set(err, XLATE_ERROR,
                                "%s/%.*s is a symbolic link or not a folder; xlate never writes "
                                "through links — remove it or choose another output",
                                o->root, (int)(slash - rel), rel);
            else
                xlate_error_set(err, XLATE_ERROR, "%s/%.*s: %s", o->root, (int)(slash - rel),
                                rel, strerror(e));
            close(fd);
            return -1;
        }
        close(fd);
        fd = next;
        p = slash + 1;
    }
}

void xlate_output_place_close(xlate_output_place *place) {
    if (place->fd >= 0)
        close(place->fd);
    free(place->dir);
    place->dir = NULL;
    place->fd = -1;
}

/* Length of the folder part of `rel` ("a/b/c.txt" → 3, "c.txt" → 0). */
static size_t folder_length(const char *rel) {
    const char *slash = strrchr(rel, '/');
    return slash ? (size_t)(slash - rel) : 0;
}

/* The folder of `rel`, from `place` when it is the one open there, else opened (and created) and
 * kept in `place`. Sets *owned when the caller must close the descriptor (no place to keep it). */
static int parent_at_place(xlate_output *o, xlate_output_place *place, const char *rel,
                           const char **base, int *owned, xlate_error *err) {
    size_t n = folder_length(rel);
    int fd;
    char *dir;
    *owned = 0;
    if (place && place->fd >= 0 && strlen(place->dir) == n && memcmp(place->dir, rel, n) == 0) {
        *base = n ? rel + n + 1 : rel;
        return place->fd;
    }
    fd = open_parent(o, rel, 1, base, err);
    if (fd < 0)
        return -1;
    if (!place || !(dir = strndup(rel, n))) {
        *owned = 1; /* not kept: correct, just not faster */
        return fd;
    }
    xlate_output_place_close(place);
    place->dir = dir;
    place->fd = fd;
    return fd;
}

/* Opens rel's file; `kept` when the caller ends the handle before the place's folder can change
 * (the folder descriptor is then lent to the handle, not copied). */
static int open_file_at(xlate_output *o, xlate_output_place *place, const char *rel, int kept,
                        xlate_outfile **f, xlate_error *err) {
    const char *base;
    char *shown = NULL;
    int owned, rc = -1;
    int dir_fd = parent_at_place(o, place, rel, &base, &owned, err);
    if (dir_fd < 0)
        return -1;
    if (asprintf(&shown, "%s/%s", o->root, rel) < 0)
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
    else
        rc = xlate_outfile_open(dir_fd, base, XLATE_OUTFILE_NO_LINKS |
                                (kept && !owned ? XLATE_OUTFILE_DIR_KEPT | XLATE_OUTFILE_LIKELY_NEW : 0),
                                shown, f, err);
    free(shown);
    if (owned)
        close(dir_fd);
    return rc;
}

int xlate_output_open_file(xlate_output *o, xlate_output_place *place, const char *rel,
                           xlate_outfile **f, xlate_error *err) {
    return open_file_at(o, place, rel, 0, f, err);
}

int xlate_output_write(xlate_output *o, xlate_output_place *place, const char *rel,
                       const char *data, size_t len, xlate_error *err) {
    xlate_outfile *f;
    /* the handle ends below, before anything can move `place` to another folder */
    if (open_file_at(o, place, rel, 1, &f, err) != 0)
        return -1;
    if (xlate_outfile_write(f, data, len, err) != 0) {
        xlate_outfile_abort(f);
        return -1;
    }
    return xlate_outfile_commit(f, err);
}

int xlate_output_exists(xlate_output *o, const char *rel) {
    const char *base;
    struct stat st;
    int dir_fd = open_parent(o, rel, 0, &base, NULL), ok;
    if (dir_fd < 0)
        return 0;
    ok = fstatat(dir_fd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
    close(dir_fd);
    return ok;
}

int xlate_output_open_append(xlate_output *o, const char *rel, xlate_error *err) {
    const char *base;
    int dir_fd = open_parent(o, rel, 1, &base, err), fd;
    if (dir_fd < 0)
        return -1;
    fd = openat(dir_fd, base, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0)
        xlate_error_set(err, XLATE_ERROR, "%s/%s: cannot open: %s", o->root, rel,
                        strerror(errno));
    close(dir_fd);
    return fd;
}

static int open_file(xlate_output *o, const char *rel) {
    const char *base;
    int dir_fd = open_parent(o, rel, 0, &base, NULL), fd;
    if (dir_fd < 0)
        return -1;
    fd = openat(dir_fd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    close(dir_fd);
    return fd;
}

int xlate_output_read(xlate_output *o, const char *rel, char **data, size_t *len) {
    xlate_buf b = XLATE_BUF_INIT;
    const char *why;
    int fd = open_file(o, rel), rc;
    if (fd < 0)
        return -1;
    rc = xlate_read_fd(fd, 0, &b, &why);
    close(fd);
    if (rc == 0 && (*data = xlate_buf_steal(&b, len)) != NULL)
        return 0;
    xlate_buf_free(&b);
    return -1;
}

/* Removes everything inside the open folder `fd` (closing it), never following links. */
static void remove_inside(int fd) {
    DIR *d = fdopendir(fd);
    struct dirent *de;
    if (!d) {
        close(fd);
        return;
    }
    while ((de = readdir(d)) != NULL) {
        int sub;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub >= 0) {
            remove_inside(sub);
            unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR);
        } else {
            unlinkat(dirfd(d), de->d_name, 0);
        }
    }
    closedir(d);
}

int xlate_output_remove(xlate_output *o, const char *rel) {
    char *copy = strdup(rel), *slash;
    const char *base;
    int dir_fd, sub;
    if (!copy)
        return -1;
    dir_fd = open_parent(o, rel, 0, &base, NULL);
    if (dir_fd >= 0) {
        sub = openat(dir_fd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub >= 0) {
            remove_inside(sub);
            unlinkat(dir_fd, base, AT_REMOVEDIR);
        } else {
            unlinkat(dir_fd, base, 0);
        }
        close(dir_fd);
    }
    /* Parents that became empty go too; one that still holds something stays (ENOTEMPTY). */
    while ((slash = strrchr(copy, '/')) != NULL) {
        *slash = '\0';
        if (unlinkat(o->root_fd, copy, AT_REMOVEDIR) != 0)
            break;
    }
    free(copy);
    return 0;
}

/* --- opening and packing ----------------------------------------------------------------------- */

int xlate_output_open(const char *path, long long pack_time, xlate_output **out,
                      xlate_error *err) {
    xlate_output *o = calloc(1, sizeof *o);
    *out = NULL;
    if (!o) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    o->root_fd = -1;
    o->pack_time = pack_time;
    o->kind = archive_kind(path);
    o->path = strdup(path);
    if (o->kind >= 0) {
        if (asprintf(&o->root, "%s.partial", path) < 0)
            o->root = NULL;
    } else {
        o->root = strdup(path);
    }
    if (!o->path || !o->root) {
        xlate_output_free(o);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    if (mkdir(o->root, 0777) != 0 && errno != EEXIST) {
        xlate_error_set(err, XLATE_ERROR, "%s: cannot create the output folder: %s", o->root,
                        strerror(errno));
        xlate_output_free(o);
        return -1;
    }
    o->root_fd = open(o->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (o->root_fd < 0) {
        xlate_error_set(err, XLATE_ERROR, "%s: cannot open the output folder: %s%s", o->root,
                        strerror(errno),
                        errno == ENOTDIR ? " (a file is in the way; an archive output must end "
                                           "in .tar, .tar.gz, .tgz, .tar.bz2, .tar.xz, .tar.zst "
                                           "or .zip)"
                                         : "");
        xlate_output_free(o);
        return -1;
    }
    *out = o;
    return 0;
}

const char *xlate_output_root(const xlate_output *o) {
    return o->root;
}

int xlate_output_is_archive(const xlate_output *o) {
    return o->kind >= 0;
}

static int add_filter(struct archive *a, out_filter f) {
    switch (f) {
    case FILTER_NONE: return ARCHIVE_OK;
    case FILTER_GZIP: return archive_write_add_filter_gzip(a);
    case FILTER_BZIP2: return archive_write_add_filter_bzip2(a);
    case FILTER_XZ: return archive_write_add_filter_xz(a);
    case FILTER_ZSTD: return archive_write_add_filter_zstd(a);
    }
    return ARCHIVE_FATAL;
}

/* The time stamped on packed entries: the one the output was opened with (the xlate command
 * gives SOURCE_DATE_EPOCH, so that two runs over the same input give the same bytes), else now. */
static time_t entry_time(const xlate_output *o) {
    return o->pack_time >= 0 ? (time_t)o->pack_time : time(NULL);
}

static int pack_one(xlate_output *o, struct archive *a, struct archive_entry *ae, const char *rel,
                    time_t when, xlate_error *err) {
    char chunk[COPY_CHUNK];
    struct stat st;
    ssize_t n;
    int fd = open_file(o, rel);
    if (fd < 0 || fstat(fd, &st) != 0) {
        xlate_error_set(err, XLATE_ERROR, "%s/%s: cannot read the staged file: %s", o->root,
                        rel, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    archive_entry_clear(ae);
    archive_entry_set_pathname_utf8(ae, rel);
    archive_entry_set_filetype(ae, AE_IFREG);
    archive_entry_set_perm(ae, 0644);
    archive_entry_set_size(ae, st.st_size);
    archive_entry_set_mtime(ae, when, 0);
    if (archive_write_header(a, ae) != ARCHIVE_OK) {
        xlate_error_set(err, XLATE_ERROR, "%s: cannot add %s: %s", o->path, rel,
                        archive_error_string(a));
        close(fd);
        return -1;
    }
    while ((n = read(fd, chunk, sizeof chunk)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || archive_write_data(a, chunk, (size_t)n) != n) {
            xlate_error_set(err, XLATE_ERROR, "%s: cannot add %s: %s", o->path, rel,
                            n < 0 ? strerror(errno) : archive_error_string(a));
            close(fd);
            return -1;
        }
    }
    close(fd);
    return 0;
}

int xlate_output_finish(xlate_output *o, const char *const *rels, size_t n, xlate_error *err) {
    struct archive *a;
    struct archive_entry *ae;
    xlate_outfile *file;
    time_t when = entry_time(o);
    int rc = 0;
    if (o->kind < 0)
        return 0;
    if (xlate_outfile_open(AT_FDCWD, o->path, 0, NULL, &file, err) != 0)
        return -1;
    a = archive_write_new();
    ae = archive_entry_new();
    if (!a || !ae) {
        rc = -1;
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
    } else if ((archive_kinds[o->kind].zip ? archive_write_set_format_zip(a)
                                           : archive_write_set_format_pax_restricted(a)) !=
                   ARCHIVE_OK ||
               add_filter(a, archive_kinds[o->kind].filter) < ARCHIVE_WARN ||
               archive_write_open_fd(a, xlate_outfile_fd(file)) != ARCHIVE_OK) {
        rc = -1;
        xlate_error_set(err, XLATE_ERROR, "%s: cannot write the archive: %s", o->path,
                        archive_error_string(a));
    }
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = pack_one(o, a, ae, rels[i], when, err);
    if (a && rc == 0 && archive_write_close(a) != ARCHIVE_OK) {
        rc = -1;
        xlate_error_set(err, XLATE_ERROR, "%s: cannot finish the archive: %s", o->path,
                        archive_error_string(a));
    }
    if (a)
        archive_write_free(a);
    if (ae)
        archive_entry_free(ae);
    if (rc == 0)
        rc = xlate_outfile_commit(file, err);
    else
        xlate_outfile_abort(file);
    if (rc == 0) {
        /* Everything is in the archive: the staging folder goes. */
        int fd = dup(o->root_fd);
        if (fd >= 0)
            remove_inside(fd);
        rmdir(o->root);
    }
    return rc;
}

void xlate_output_free(xlate_output *o) {
    if (!o)
        return;
    if (o->root_fd >= 0)
        close(o->root_fd);
    free(o->path);
    free(o->root);
    free(o);
}
