/*
 * documents: what run, extract and merge share about documents in formats (format.h) — which
 * module reads a file, and where a merged document may be written inside a folder the user
 * named (outfile.h's rule, plus: never outside the folder, never over a file already there).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

const xlate_format_module *xlate_cli_module_for(const char *input_format, const char *path, const char *bytes,
                                                size_t len) {
    const xlate_format_module *m = input_format ? xlate_format_by_name(input_format) : NULL;
    return m ? m : xlate_format_detect(path && strcmp(path, "-") != 0 ? path : NULL, bytes, len);
}

/* The name's components, relative and clean: no leading '/', no "." or empty parts; ".." is
 * refused. Returns 0 with *clean (free()), or -1. */
static int clean_name(const char *name, char **clean) {
    xlate_buf b = XLATE_BUF_INIT;
    const char *p = name;
    while (*p) {
        while (*p == '/')
            p++;
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 2 && memcmp(p, "..", 2) == 0) {
            xlate_buf_free(&b);
            return -1;
        }
        if (n && !(n == 1 && *p == '.') && ((b.len && xlate_buf_append(&b, "/", 1) != 0) ||
                                            xlate_buf_append(&b, p, n) != 0)) {
            xlate_buf_free(&b);
            return -1;
        }
        p += n;
    }
    if (!b.len) {
        xlate_buf_free(&b);
        return -1;
    }
    *clean = b.data;
    return 0;
}

/* Opens (making it when missing) folder `part` in `dir_fd`, no link followed. */
static int open_folder(int dir_fd, const char *part) {
    if (mkdirat(dir_fd, part, 0777) != 0 && errno != EEXIST)
        return -1;
    return openat(dir_fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

int xlate_cli_open_in_dir(const char *dir, const char *name, xlate_outfile **out, xlate_error *err) {
    char *clean = NULL;
    if (clean_name(name, &clean) != 0) {
        xlate_error_set(err, XLATE_ERROR, "%s: not a name a document can be written under inside %s "
                        "(it is empty or climbs out with '..'); give -o FILE for it", name, dir);
        return -1;
    }
    int fd = open_folder(AT_FDCWD, dir);
    char *part = clean, *slash;
    while (fd >= 0 && (slash = strchr(part, '/'))) {
        *slash = '\0';
        int next = open_folder(fd, part);
        close(fd);
        fd = next;
        *slash = '/';
        part = slash + 1;
    }
    int rc = -1;
    struct stat st;
    if (fd < 0)
        xlate_error_set(err, XLATE_ERROR, "%s/%s: cannot make its folder: %s", dir, clean, strerror(errno));
    else if (fstatat(fd, part, &st, AT_SYMLINK_NOFOLLOW) == 0)
        xlate_error_set(err, XLATE_ERROR, "%s/%s: already exists; xlate does not write over it: "
                        "remove it or choose another --output-dir", dir, clean);
    else {
        xlate_buf shown = XLATE_BUF_INIT;
        xlate_buf_printf(&shown, "%s/%s", dir, clean);
        rc = xlate_outfile_open(fd, part, XLATE_OUTFILE_NO_LINKS, shown.data, out, err);
        xlate_buf_free(&shown);
    }
    if (fd >= 0)
        close(fd);
    free(clean);
    return rc;
}
