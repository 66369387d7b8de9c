/*
 * readfile: reading a whole file (see readfile.h).
 */
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { READ_CHUNK = 64 * 1024 };

int xlate_read_fd(int fd, size_t limit, xlate_buf *out, const char **why) {
    /* A regular file's size is known: the buffer is made once and read into directly, instead
     * of growing by doubling. Reading goes on to the end all the same, for a file that grows and
     * for pipes; past the expected size, the room left finds the end without growing. */
    struct stat st;
    size_t expected = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0
                          ? (size_t)st.st_size : 0;
    size_t least_room = expected ? 1 : 4096;
    if (limit && expected > limit)
        expected = limit;
    for (size_t want = expected ? expected + 1 : READ_CHUNK;; want = READ_CHUNK) {
        if ((!out->data || out->cap - out->len - 1 < least_room) &&
            xlate_buf_reserve_bulk(out, want) != 0) {
            *why = "out of memory";
            return -1;
        }
        size_t room = out->cap - out->len - 1;
        ssize_t n = read(fd, out->data + out->len, room);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *why = strerror(errno);
            return -1;
        }
        if (n == 0)
            return 0;
        out->len += (size_t)n;
        out->data[out->len] = '\0';
        if (limit && out->len > limit) {
            *why = "too large";
            return -1;
        }
    }
}

void xlate_size_words(char *out, size_t cap, uint64_t bytes) {
    if (bytes >= ((uint64_t)1 << 20))
        snprintf(out, cap, "%.1f MiB", (double)bytes / (1 << 20));
    else if (bytes >= 1024)
        snprintf(out, cap, "%.1f KiB", (double)bytes / 1024);
    else
        snprintf(out, cap, "%llu bytes", (unsigned long long)bytes);
}

/* Refuses a regular file larger than `limit` from its size alone, before any of it is read. */
static int check_size(int fd, const char *path, uint64_t limit, xlate_error *err) {
    struct stat st;
    if (!limit || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size <= limit)
        return 0;
    char size[32], most[32];
    xlate_size_words(size, sizeof size, (uint64_t)st.st_size);
    xlate_size_words(most, sizeof most, limit);
    xlate_error_set(err, XLATE_ERROR,
                    "%s: too large: %s (%llu bytes), the limit is %s (raise it with "
                    "--max-doc-size)",
                    path, size, (unsigned long long)st.st_size, most);
    return -1;
}

int xlate_read_file_max(const char *path, uint64_t limit, char **data, size_t *len,
                        xlate_error *err) {
    int is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    xlate_buf b = XLATE_BUF_INIT;
    const char *why;
    if (fd < 0) {
        xlate_error_set(err, XLATE_ERROR, "%s: cannot open: %s; check the path and permissions",
                        path, strerror(errno));
        return -1;
    }
    if (check_size(fd, path, limit, err) != 0) {
        if (!is_stdin)
            close(fd);
        return -1;
    }
    size_t most = limit && limit < SIZE_MAX ? (size_t)limit : 0;
    int rc = xlate_read_fd(fd, most, &b, &why);
    if (!is_stdin)
        close(fd);
    if (rc == 0 && !(*data = xlate_buf_steal(&b, len))) {
        why = "out of memory";
        rc = -1;
    }
    if (rc != 0 && most && b.len > most) {
        char limit_words[32];
        xlate_size_words(limit_words, sizeof limit_words, limit);
        xlate_error_set(err, XLATE_ERROR,
                        "%s: too large: more than %s, the limit (raise it with --max-doc-size)",
                        path, limit_words);
        xlate_buf_free(&b);
        return -1;
    }
    if (rc != 0) {
        xlate_error_set(err, XLATE_ERROR, "%s: cannot read it after %zu bytes: %s", path, b.len,
                        why);
        xlate_buf_free(&b);
        return -1;
    }
    return 0;
}

int xlate_read_file(const char *path, char **data, size_t *len, xlate_error *err) {
    return xlate_read_file_max(path, 0, data, len, err);
}
