/*
 * outfile: how every file xlate writes is opened, written and put in place — the last step of the
 * data path, after the writers (see outfile.h for the rule). The decision is taken on the node
 * itself (lstat, one symbolic link at a time, relative to an open folder), so the folder a file
 * is replaced in is the folder the name was found in, and the temporary file never crosses to
 * another folder or file system.
 */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

/* As many links as the kernel follows in one path before it says ELOOP. */
enum { MAX_LINKS = 40, TMP_TRIES = 100, COPY_CHUNK = 64 * 1024 };

struct xlate_outfile {
    int fd;          /* where the bytes go: the temporary file, or the node itself */
    FILE *fp;        /* stdio on fd, once asked for */
    int dir_fd;      /* the folder of the file being replaced; -1 when written in place */
    char *name;      /* the replaced file's name in dir_fd */
    char *tmp;       /* the temporary file's name in dir_fd; NULL while it is unnamed */
    int existed;     /* `name` was a file when opened: it is replaced with a rename */
    mode_t old_mode; /* its permissions, which the new file takes */
    int published;   /* the new file is under `name` already, or its bytes are in place */
    int unchecked;   /* `name` was taken to be new (XLATE_OUTFILE_LIKELY_NEW): not looked at */
    char *shown;     /* the path as messages give it */
    int borrowed;    /* the caller's folder descriptor (XLATE_OUTFILE_DIR_KEPT), never closed
                        here; -1 when none */
};

/* Closes a folder descriptor of the handle's, unless it is the caller's. */
static void close_folder(const xlate_outfile *f, int fd) {
    if (fd >= 0 && fd != f->borrowed)
        close(fd);
}

static void free_outfile(xlate_outfile *f) {
    if (f->fp)
        fclose(f->fp);
    else if (f->fd >= 0)
        close(f->fd);
    close_folder(f, f->dir_fd);
    free(f->name);
    free(f->tmp);
    free(f->shown);
    free(f);
}

/* --- finding the node a path names -------------------------------------------------------------- */

/* Opens the folder that holds `path`'s last part, relative to `at`, and sets *name to a copy of
 * that part. Links on the way to the folder are the user's and are followed. Returns the folder's
 * descriptor, or -1 with err. */
static int enter_folder(xlate_outfile *f, int at, const char *path, unsigned flags, char **name,
                        xlate_error *err) {
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char *folder = NULL;
    int fd;
    *name = NULL;
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        xlate_error_set(err, XLATE_ERROR, "%s: names a folder, not a file; name a file to "
                        "write", f->shown);
        return -1;
    }
    if (slash && !(folder = strndup(path, slash == path ? 1 : (size_t)(slash - path)))) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    /* A name in an open folder (a batch's every output): the folder is that descriptor, copied
     * without a lookup, or used as it is when the caller keeps it open for the handle's life (two
     * system calls a file fewer, in a batch of many small files). */
    if (!folder && at != AT_FDCWD && (flags & XLATE_OUTFILE_DIR_KEPT))
        fd = f->borrowed = at;
    else if (!folder && at != AT_FDCWD)
        fd = fcntl(at, F_DUPFD_CLOEXEC, 3);
    else
        fd = openat(at, folder ? folder : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        xlate_error_set(err, XLATE_ERROR, "%s: cannot write: %s; check the folder exists and "
                        "is writable", f->shown, strerror(errno));
    free(folder);
    if (fd >= 0 && !(*name = strdup(base))) {
        close_folder(f, fd);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    return fd;
}

static int on_procfs(int dir) {
    struct statfs s;
    return fstatfs(dir, &s) == 0 && s.f_type == PROC_SUPER_MAGIC;
}

static int same_node(const struct stat *a, const char *path) {
    struct stat b;
    return stat(path, &b) == 0 && a->st_dev == b.st_dev && a->st_ino == b.st_ino;
}

/* Whether `dir` is this process's own descriptor folder (/dev/fd, /proc/self/fd). */
static int own_fd_folder(int dir) {
    struct stat st;
    return fstat(dir, &st) == 0 &&
           (same_node(&st, "/proc/self/fd") || same_node(&st, "/proc/thread-self/fd"));
}

/* "12" → 12; anything but digits → -1. */
static int descriptor_number(const char *name) {
    long n = 0;
    if (!*name)
        return -1;
    for (const char *p = name; *p; p++) {
        if (*p < '0' || *p > '9' || n > 1000000)
            return -1;
        n = n * 10 + (*p - '0');
    }
    return (int)n;
}

/* Writes through a duplicate of the process's descriptor n: at its offset, in its mode (a file
 * the shell opened with >> is appended to), as `>/dev/fd/N` does in a shell. `lookup_fd` is a
 * descriptor of the lookup itself, which n may not be. */
static int take_descriptor(xlate_outfile *f, int n, int lookup_fd, xlate_error *err) {
    int fl = n == lookup_fd ? -1 : fcntl(n, F_GETFL);
    if (fl < 0 || (fl & O_PATH)) {
        xlate_error_set(err, XLATE_ERROR, "%s: descriptor %d is not open; open it for writing "
                        "(e.g. %d>FILE)", f->shown, n, n);
        return -1;
    }
    if ((fl & O_ACCMODE) == O_RDONLY) {
        xlate_error_set(err, XLATE_ERROR, "%s: descriptor %d is open for reading only; open "
                        "it for writing (e.g. %d>FILE)", f->shown, n, n);
        return -1;
    }
    f->fd = fcntl(n, F_DUPFD_CLOEXEC, 3);
    if (f->fd < 0) {
        xlate_error_set(err, XLATE_ERROR, "%s: cannot write: %s", f->shown, strerror(errno));
        return -1;
    }
    return 0;
}

/* A link in /proc: this process's own descriptor is duplicated; another is opened through the
 * link (the kernel follows these to the open file itself, which may have no path at all). The
 * folder's own descriptor, open only while the path is looked up, took the lowest number free: a
 * path naming that number named a descriptor that was not open. */
static int open_proc_link(xlate_outfile *f, int dir, const char *name, xlate_error *err) {
    int n = descriptor_number(name);
    if (n >= 0 && own_fd_folder(dir))
        return take_descriptor(f, n, dir, err);
    f->fd = openat(dir, name, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (f->fd < 0) {
        xlate_error_set(err, XLATE_ERROR, "%s: cannot write: %s", f->shown, strerror(errno));
        return -1;
    }
    return 0;
}

/* A device, a FIFO or a socket: opened as it is, not truncated (a FIFO waits for its reader).
 * Returns 0, 1 when the node changed since it was looked at (look again), or -1 with err. */
static int open_in_place(xlate_outfile *f, int dir, const char *name, xlate_error *err) {
    struct stat st;
    int fd = openat(dir, name, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT || errno == ELOOP)
            return 1;
        xlate_error_set(err, XLATE_ERROR, "%s: cannot write: %s", f->shown, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) == 0 && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
        close(fd);
        return 1;
    }
    f->fd = fd;
    return 0;
}

/* --- replacing a file --------------------------------------------------------------------------- */

/* A temporary name in the folder: the process and thread make it unique among writers, the
 * counter among leftovers of earlier processes with the same number. */
static void tmp_name(char *out, size_t size, int k) {
    snprintf(out, size, ".xlate-%ld-%ld-%d.tmp", (long)getpid(), (long)gettid(), k);
}

static void proc_path(char *out, size_t size, int fd) {
    snprintf(out, size, "/proc/self/fd/%d", fd);
}

static int create_named_tmp(xlate_outfile *f) {
    char tmp[96];
    for (int k = 0; k < TMP_TRIES; k++) {
        tmp_name(tmp, sizeof tmp, k);
        f->fd = openat(f->dir_fd, tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (f->fd >= 0) {
            if (!(f->tmp = strdup(tmp))) {
                close(f->fd);
                f->fd = -1;
                unlinkat(f->dir_fd, tmp, 0);
                errno = ENOMEM;
                return -1;
            }
            return 0;
        }
        if (errno != EEXIST)
            return -1;
    }
    return -1;
}

/* Starts the file that will replace `name` in `dir` (both now owned by f); `old` is the file
 * there, or NULL. */
static int start_replacing(xlate_outfile *f, int dir, char *name, const struct stat *old,
                           xlate_error *err) {
    f->dir_fd = dir;
    f->name = name;
    f->existed = old != NULL;
    f->old_mode = old ? old->st_mode & 0777 : 0;
    /* Readable too, so that its bytes can be copied to a named file should the unnamed one prove
     * impossible to link (link_unnamed). */
    f->fd = openat(dir, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0666);
    if (f->fd < 0 && create_named_tmp(f) != 0) {
        xlate_error_set(err, XLATE_ERROR, "%s: cannot write: %s; check the folder is writable",
                        f->shown, strerror(errno));
        return -1;
    }
    /* The new file takes the old one's permissions, as an editor's save does. */
    if (old)
        (void)fchmod(f->fd, f->old_mode);
    return 0;
}

static void refuse_folder(const xlate_outfile *f, xlate_error *err) {
    xlate_error_set(err, XLATE_ERROR, "%s: is a folder; name a file to write", f->shown);
}

static void refuse_link(const xlate_outfile *f, xlate_error *err) {
    xlate_error_set(err, XLATE_ERROR, "%s: is a symbolic link; xlate never writes through links "
                    "inside an output folder, nor replaces them — remove it or choose another "
                    "output", f->shown);
}

/* Follows `path` from `at` link by link to the node it names and opens it by the rule. */
static int resolve_and_open(xlate_outfile *f, int at, const char *path, unsigned flags,
                            xlate_error *err) {
    char *name, target[4096];
    int dir = enter_folder(f, at, path, flags, &name, err), step;
    if (dir >= 0 && (flags & XLATE_OUTFILE_NO_LINKS) && (flags & XLATE_OUTFILE_LIKELY_NEW)) {
        f->unchecked = 1;
        return start_replacing(f, dir, name, NULL, err);
    }
    for (step = 0; dir >= 0 && step <= MAX_LINKS; step++) {
        struct stat st;
        ssize_t n;
        int next, r;
        if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            /* Nothing can be made in /proc: /dev/fd/N there names a descriptor not open. A
             * folder where links are refused is an output folder xlate made or was given to
             * fill, never /proc, and is spared the check on each of its files. */
            if (errno == ENOENT && !(flags & XLATE_OUTFILE_NO_LINKS) && on_procfs(dir)) {
                open_proc_link(f, dir, name, err);
                break;
            }
            if (errno == ENOENT)
                return start_replacing(f, dir, name, NULL, err);
            xlate_error_set(err, XLATE_ERROR, "%s: cannot write: %s", f->shown,
                            strerror(errno));
            break;
        }
        if (S_ISREG(st.st_mode))
            return start_replacing(f, dir, name, &st, err);
        if (S_ISDIR(st.st_mode)) {
            refuse_folder(f, err);
            break;
        }
        if (!S_ISLNK(st.st_mode)) {
            r = open_in_place(f, dir, name, err);
            if (r <= 0)
                break;
            continue; /* it changed under us: look again */
        }
        if (flags & XLATE_OUTFILE_NO_LINKS) {
            refuse_link(f, err);
            break;
        }
        if (on_procfs(dir)) {
            open_proc_link(f, dir, name, err);
            break;
        }
        n = readlinkat(dir, name, target, sizeof target);
        if (n < 0 || (size_t)n >= sizeof target) {
            xlate_error_set(err, XLATE_ERROR, "%s: cannot follow the link: %s", f->shown,
                            n < 0 ? strerror(errno) : "its target is too long");
            break;
        }
        target[n] = '\0';
        free(name);
        next = enter_folder(f, dir, target, flags & ~XLATE_OUTFILE_DIR_KEPT, &name, err);
        close_folder(f, dir);
        dir = next;
    }
    if (dir >= 0 && step > MAX_LINKS)
        xlate_error_set(err, XLATE_ERROR, "%s: cannot write: %s", f->shown, strerror(ELOOP));
    close_folder(f, dir);
    free(name);
    return f->fd >= 0 ? 0 : -1;
}

int xlate_outfile_open(int dir_fd, const char *path, unsigned flags, const char *shown,
                       xlate_outfile **out, xlate_error *err) {
    xlate_outfile *f = calloc(1, sizeof *f);
    int is_stdout = strcmp(path, "-") == 0, rc;
    *out = NULL;
    if (!f) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    f->fd = -1;
    f->dir_fd = -1;
    f->borrowed = -1;
    f->shown = strdup(shown ? shown : is_stdout ? "standard output" : path);
    if (!f->shown) {
        free_outfile(f);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    rc = is_stdout ? take_descriptor(f, STDOUT_FILENO, -1, err)
                   : resolve_and_open(f, dir_fd, path, flags, err);
    if (rc != 0) {
        free_outfile(f);
        return -1;
    }
    *out = f;
    return 0;
}

int xlate_outfile_fd(const xlate_outfile *f) {
    return f->fd;
}

FILE *xlate_outfile_stream(xlate_outfile *f) {
    if (!f->fp)
        f->fp = fdopen(f->fd, "w");
    return f->fp;
}

const char *xlate_outfile_shown(const xlate_outfile *f) {
    return f->shown;
}

int xlate_outfile_in_place(const xlate_outfile *f) {
    return f->dir_fd < 0;
}

int xlate_outfile_write(xlate_outfile *f, const void *data, size_t len, xlate_error *err) {
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(f->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            xlate_error_set(err, XLATE_ERROR, "%s: cannot write: %s", f->shown,
                            n < 0 ? strerror(errno) : "nothing was written");
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* --- putting it in place ------------------------------------------------------------------------ */

/* Names the unnamed file `name` in its folder: from its descriptor (AT_EMPTY_PATH, which Linux
 * allows the process that opened the file since 6.10, and a privileged one always), else through
 * its link in /proc — one lookup, against several for the /proc path. */
static int link_as(const xlate_outfile *f, const char *name) {
    char proc[64];
    if (linkat(f->fd, "", f->dir_fd, name, AT_EMPTY_PATH) == 0)
        return 0;
    if (errno == EEXIST)
        return -1;
    proc_path(proc, sizeof proc, f->fd);
    return linkat(AT_FDCWD, proc, f->dir_fd, name, AT_SYMLINK_FOLLOW);
}

static int write_all(int fd, const char *p, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The unnamed file cannot be linked at all (an older kernel without /proc mounted): its bytes go
 * to a named temporary file instead, which is then renamed into place. */
static int copy_to_named_tmp(xlate_outfile *f) {
    char chunk[COPY_CHUNK];
    int from = f->fd, rc = 0;
    off_t at = 0;
    if (create_named_tmp(f) != 0) {
        f->fd = from;
        return -1;
    }
    if (f->existed)
        (void)fchmod(f->fd, f->old_mode);
    for (;;) {
        ssize_t n = pread(from, chunk, sizeof chunk, at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || write_all(f->fd, chunk, (size_t)n) != 0) {
            rc = n == 0 ? 0 : -1;
            break;
        }
        at += n;
    }
    if (f->fp) {
        fclose(f->fp); /* flushed already; closes `from` */
        f->fp = NULL;
    } else {
        close(from);
    }
    return rc;
}

/* Copies the finished file's bytes into the node at `name` (a device, FIFO or socket), which the
 * rule writes in place. */
static int copy_in_place(xlate_outfile *f, xlate_error *err) {
    char chunk[COPY_CHUNK];
    off_t at = 0;
    int to = openat(f->dir_fd, f->name, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC), rc = 0;
    if (to < 0) {
        xlate_error_set(err, XLATE_ERROR, "%s: cannot write: %s", f->shown, strerror(errno));
        return -1;
    }
    for (;;) {
        ssize_t n = pread(f->fd, chunk, sizeof chunk, at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || write_all(to, chunk, (size_t)n) != 0) {
            rc = n == 0 ? 0 : -1;
            break;
        }
        at += n;
    }
    if (rc != 0)
        xlate_error_set(err, XLATE_ERROR, "%s: cannot write: %s", f->shown, strerror(errno));
    close(to);
    return rc;
}

/* A name taken to be new (XLATE_OUTFILE_LIKELY_NEW) is taken: what is there is dealt with as the
 * look at open would have. Returns 0 when the file is to be renamed over it (a file, which the
 * new one takes the permissions of, or nothing any more), 1 when the bytes went in place, -1 with
 * err when it is refused. */
static int settle_taken_name(xlate_outfile *f, xlate_error *err) {
    struct stat st;
    if (fstatat(f->dir_fd, f->name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT)
            return 0;
        xlate_error_set(err, XLATE_ERROR, "%s: cannot write: %s", f->shown, strerror(errno));
        return -1;
    }
    if (S_ISREG(st.st_mode)) {
        f->existed = 1;
        f->old_mode = st.st_mode & 0777;
        (void)fchmod(f->fd, f->old_mode);
        return 0;
    }
    if (S_ISDIR(st.st_mode)) {
        refuse_folder(f, err);
        return -1;
    }
    if (S_ISLNK(st.st_mode)) {
        refuse_link(f, err);
        return -1;
    }
    if (copy_in_place(f, err) != 0)
        return -1;
    f->published = 1;
    return 1;
}

/* Gives the unnamed file a name: the final one when nothing is there, else a temporary one that
 * is renamed over the old file. */
static int link_unnamed(xlate_outfile *f, xlate_error *err) {
    char tmp[96];
    if (!f->existed) {
        if (link_as(f, f->name) == 0) {
            f->published = 1;
            return 0;
        }
        if (errno != EEXIST)
            goto unlinkable;
        int taken = f->unchecked ? settle_taken_name(f, err) : 0;
        if (taken != 0)
            return taken < 0 ? -1 : 0;
    }
    for (int k = 0; k < TMP_TRIES; k++) {
        tmp_name(tmp, sizeof tmp, k);
        if (link_as(f, tmp) == 0) {
            if (!(f->tmp = strdup(tmp))) {
                unlinkat(f->dir_fd, tmp, 0);
                errno = ENOMEM;
                goto failed;
            }
            return 0;
        }
        if (errno != EEXIST)
            goto unlinkable;
    }
    goto failed;
unlinkable:
    if (errno == ENOENT && copy_to_named_tmp(f) == 0)
        return 0;
failed:
    xlate_error_set(err, XLATE_ERROR, "%s: cannot put the file in place: %s", f->shown,
                    strerror(errno));
    return -1;
}

/* Renames the temporary file over the name, unless the name has meanwhile become something the
 * rule writes in place (then nothing is replaced). */
static int rename_into_place(xlate_outfile *f, xlate_error *err) {
    struct stat st;
    if (fstatat(f->dir_fd, f->name, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode)) {
        xlate_error_set(err, XLATE_ERROR, "%s: became %s while xlate wrote it, and was left "
                        "as it is; run again", f->shown,
                        S_ISLNK(st.st_mode) ? "a symbolic link" : "something other than a file");
        return -1;
    }
    if (renameat(f->dir_fd, f->tmp, f->dir_fd, f->name) != 0) {
        xlate_error_set(err, XLATE_ERROR, "%s: cannot put the file in place: %s", f->shown,
                        strerror(errno));
        return -1;
    }
    return 0;
}

int xlate_outfile_commit(xlate_outfile *f, xlate_error *err) {
    int rc = 0, closed;
    if (f->fp && (fflush(f->fp) != 0 || ferror(f->fp))) {
        xlate_error_set(err, XLATE_ERROR, "%s: cannot write: %s", f->shown, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && f->dir_fd >= 0 && !f->tmp)
        rc = link_unnamed(f, err);
    else if (rc == 0 && f->unchecked && f->tmp && settle_taken_name(f, err) < 0)
        rc = -1; /* a named temporary file (no O_TMPFILE here) for a name taken after all */
    closed = f->fp ? fclose(f->fp) : close(f->fd);
    f->fp = NULL;
    f->fd = -1;
    if (closed != 0 && rc == 0) {
        xlate_error_set(err, XLATE_ERROR, "%s: cannot write: %s", f->shown, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && f->dir_fd >= 0 && !f->published)
        rc = rename_into_place(f, err);
    /* A named temporary file is dropped when it failed, or when its bytes went in place. */
    if ((rc != 0 || f->published) && f->tmp)
        unlinkat(f->dir_fd, f->tmp, 0);
    free_outfile(f);
    return rc;
}

void xlate_outfile_abort(xlate_outfile *f) {
    if (!f)
        return;
    if (f->tmp && f->dir_fd >= 0)
        unlinkat(f->dir_fd, f->tmp, 0);
    free_outfile(f);
}
