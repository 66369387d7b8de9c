/*
 * child: runs an engine pipeline (one or more processes joined stdout→stdin, one process group)
 * behind a translator plugin, and moves bytes to and from it without ever blocking on a full pipe.
 * The plugin above it frames segments into units; this module only knows bytes, delimiters,
 * timeouts and how processes ended.
 */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* How much of the engines' stderr is kept: enough for a few assertion messages. */
#define STDERR_TAIL_MAX 2048
#define READ_CHUNK 65536
/* How long a pipeline gets to end by itself once its stdin is closed. */
#define GRACEFUL_EXIT_MS 1000

struct xlate_child {
    pid_t *pids;
    char **names;
    int *statuses;
    size_t n;
    pid_t pgid;
    int in_fd, out_fd, err_fd;
    xp_buf pending; /* bytes queued for stdin */
    size_t pending_off;
    xp_buf out;     /* bytes read from stdout; [out_off, len) not yet handed out */
    size_t out_off;
    size_t scan_off;   /* delimiter search resumes here */
    xp_buf err;     /* tail of stderr */
    int out_eof, err_eof;
};

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_fd(int *fd) {
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

static int set_nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL);
    return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* A write to a pipeline that just died must not kill the whole host with SIGPIPE, and the host's
 * signal disposition is not ours to change, so SIGPIPE is blocked around the write and a SIGPIPE
 * raised by it is consumed. */
static ssize_t write_without_sigpipe(int fd, const char *data, size_t len) {
    sigset_t pipe_set, old_set, pending_before;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigpending(&pending_before);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
    ssize_t written = write(fd, data, len);
    int saved = errno;
    if (written < 0 && saved == EPIPE && !sigismember(&pending_before, SIGPIPE)) {
        struct timespec zero = {0, 0};
        sigtimedwait(&pipe_set, NULL, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_set, NULL);
    errno = saved;
    return written;
}

static void keep_stderr_tail(xlate_child *c, const char *data, size_t len) {
    if (len >= STDERR_TAIL_MAX) {
        data += len - STDERR_TAIL_MAX;
        len = STDERR_TAIL_MAX;
    }
    if (c->err.len + len > STDERR_TAIL_MAX) {
        size_t drop = c->err.len + len - STDERR_TAIL_MAX;
        memmove(c->err.data, c->err.data + drop, c->err.len - drop);
        c->err.len -= drop;
    }
    xp_buf_append(&c->err, data, len);
}

static void drain_stderr(xlate_child *c) {
    char chunk[4096];
    while (c->err_fd >= 0) {
        ssize_t got = read(c->err_fd, chunk, sizeof chunk);
        if (got > 0) {
            keep_stderr_tail(c, chunk, (size_t)got);
        } else if (got == 0) {
            c->err_eof = 1;
            close_fd(&c->err_fd);
        } else if (errno != EINTR) {
            return;
        }
    }
}

static void free_child(xlate_child *c) {
    for (size_t i = 0; i < c->n; i++)
        free(c->names[i]);
    free(c->names);
    free(c->pids);
    free(c->statuses);
    close_fd(&c->in_fd);
    close_fd(&c->out_fd);
    close_fd(&c->err_fd);
    xp_buf_free(&c->pending);
    xp_buf_free(&c->out);
    xp_buf_free(&c->err);
    free(c);
}

static int spawn_one(xlate_child *c, size_t i, char *const *argv, int in_fd, int out_fd,
                     int err_fd, char *err, size_t errlen) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    sigset_t all, none;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_fd, 0);
    posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
    posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
    posix_spawnattr_init(&attr);
    sigfillset(&all);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setpgroup(&attr, i == 0 ? 0 : c->pgid);
    posix_spawnattr_setflags(&attr,
                             POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &actions, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        snprintf(err, errlen, "cannot start '%s': %s", argv[0], strerror(rc));
        return -1;
    }
    c->pids[i] = pid;
    c->statuses[i] = -1;
    if (i == 0)
        c->pgid = pid;
    return 0;
}

int xlate_child_start(xlate_child **out, char *const *const *cmds, size_t n_cmds, char *err,
                      size_t errlen) {
    xlate_child *c = calloc(1, sizeof *c);
    if (!c || n_cmds == 0) {
        free(c);
        snprintf(err, errlen, n_cmds ? "out of memory" : "no command to start");
        return -1;
    }
    c->in_fd = c->out_fd = c->err_fd = -1;
    c->pids = calloc(n_cmds, sizeof *c->pids);
    c->names = calloc(n_cmds, sizeof *c->names);
    c->statuses = calloc(n_cmds, sizeof *c->statuses);
    if (!c->pids || !c->names || !c->statuses) {
        free_child(c);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int err_pipe[2], in_pipe[2];
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "cannot create a pipe: %s", strerror(errno));
        free_child(c);
        return -1;
    }
    if (pipe2(in_pipe, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "cannot create a pipe: %s", strerror(errno));
        close(err_pipe[0]);
        close(err_pipe[1]);
        free_child(c);
        return -1;
    }
    c->err_fd = err_pipe[0];
    c->in_fd = in_pipe[1];
    int next_in = in_pipe[0];
    int rc = 0;
    for (size_t i = 0; i < n_cmds && rc == 0; i++) {
        int link[2];
        if (pipe2(link, O_CLOEXEC) != 0) {
            snprintf(err, errlen, "cannot create a pipe: %s", strerror(errno));
            rc = -1;
            break;
        }
        c->names[i] = strdup(base_name(cmds[i][0]));
        rc = spawn_one(c, i, cmds[i], next_in, link[1], err_pipe[1], err, errlen);
        if (rc == 0) {
            c->n = i + 1;
        } else {
            free(c->names[i]);
            c->names[i] = NULL;
        }
        close(next_in);
        close(link[1]);
        next_in = link[0];
    }
    close(err_pipe[1]);
    c->out_fd = next_in;
    if (rc != 0) {
        xlate_child_stop(c, 1, NULL);
        return -1;
    }
    set_nonblocking(c->in_fd);
    set_nonblocking(c->out_fd);
    set_nonblocking(c->err_fd);
    *out = c;
    return 0;
}

int xlate_child_send(xlate_child *c, const char *data, size_t len) {
    if (c->pending_off == c->pending.len) {
        xp_buf_reset(&c->pending);
        c->pending_off = 0;
    }
    return xp_buf_append(&c->pending, data, len);
}

size_t xlate_child_pending(const xlate_child *c) {
    return c->pending.len - c->pending_off;
}

int xlate_child_pgid(const xlate_child *c) {
    return (int)c->pgid;
}

/* Hands out the next complete unit if the bytes read so far hold one. */
static int take_unit(xlate_child *c, char delim, const char **unit, size_t *len) {
    const char *start = c->out.data ? c->out.data + c->out_off : NULL;
    size_t avail = c->out.len - c->out_off;
    size_t from = c->scan_off > c->out_off ? c->scan_off - c->out_off : 0;
    if (!start || from >= avail) {
        c->scan_off = c->out.len;
        return 0;
    }
    const char *hit = memchr(start + from, delim, avail - from);
    if (!hit) {
        c->scan_off = c->out.len;
        return 0;
    }
    *unit = start;
    *len = (size_t)(hit - start);
    c->out_off += *len + 1;
    c->scan_off = c->out_off;
    return 1;
}

/* Drops the bytes of units already handed out, so the buffer does not grow with the run. */
static void compact_output(xlate_child *c) {
    if (c->out_off == 0)
        return;
    size_t keep = c->out.len - c->out_off;
    memmove(c->out.data, c->out.data + c->out_off, keep);
    c->out.len = keep;
    c->out.data[keep] = '\0';
    c->scan_off -= c->out_off;
    c->out_off = 0;
}

static void write_pending(xlate_child *c) {
    while (xlate_child_pending(c) > 0 && c->in_fd >= 0) {
        ssize_t w = write_without_sigpipe(c->in_fd, c->pending.data + c->pending_off,
                                          xlate_child_pending(c));
        if (w > 0) {
            c->pending_off += (size_t)w;
        } else if (w < 0 && errno == EINTR) {
            continue;
        } else {
            if (w < 0 && errno != EAGAIN) {
                /* The pipeline is gone (EPIPE); what it still printed is read until EOF. */
                close_fd(&c->in_fd);
                c->pending_off = c->pending.len;
            }
            return;
        }
    }
}

/* Reads what stdout has; returns -1 on a read error. */
static int read_output(xlate_child *c) {
    for (;;) {
        if (xp_buf_reserve(&c->out, READ_CHUNK) != 0)
            return -1;
        ssize_t got = read(c->out_fd, c->out.data + c->out.len, READ_CHUNK);
        if (got > 0) {
            c->out.len += (size_t)got;
            c->out.data[c->out.len] = '\0';
            if ((size_t)got < READ_CHUNK)
                return 0;
        } else if (got == 0) {
            c->out_eof = 1;
            return 0;
        } else if (errno == EINTR) {
            continue;
        } else {
            return errno == EAGAIN ? 0 : -1;
        }
    }
}

xlate_child_wait xlate_child_next_unit(xlate_child *c, char delim, int timeout_ms,
                                       const char **unit, size_t *len) {
    compact_output(c);
    long long deadline = now_ms() + timeout_ms;
    for (;;) {
        if (take_unit(c, delim, unit, len))
            return XLATE_CHILD_UNIT;
        if (c->out_eof)
            return XLATE_CHILD_EOF;
        struct pollfd fds[3];
        nfds_t n = 0;
        fds[n++] = (struct pollfd){.fd = c->out_fd, .events = POLLIN};
        if (c->err_fd >= 0)
            fds[n++] = (struct pollfd){.fd = c->err_fd, .events = POLLIN};
        if (c->in_fd >= 0 && xlate_child_pending(c) > 0)
            fds[n++] = (struct pollfd){.fd = c->in_fd, .events = POLLOUT};
        long long left = deadline - now_ms();
        if (left <= 0)
            return XLATE_CHILD_TIMEOUT;
        int ready = poll(fds, n, (int)left);
        if (ready < 0 && errno != EINTR)
            return XLATE_CHILD_IOERR;
        if (ready <= 0)
            continue;
        for (nfds_t k = 0; k < n; k++) {
            if (!fds[k].revents)
                continue;
            if (fds[k].fd == c->in_fd)
                write_pending(c);
            else if (fds[k].fd == c->err_fd)
                drain_stderr(c);
            else if (read_output(c) != 0)
                return XLATE_CHILD_IOERR;
        }
    }
}

static void reap_exited(xlate_child *c, size_t *alive) {
    *alive = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (c->statuses[i] != -1)
            continue;
        int status;
        pid_t r = waitpid(c->pids[i], &status, WNOHANG);
        if (r == c->pids[i] || (r < 0 && errno == ECHILD))
            c->statuses[i] = r < 0 ? 0 : status;
        else
            (*alive)++;
    }
}

/* Appends one space-separated line: newlines and runs of blanks in engine messages would break
 * the one-line messages of TSV output. */
static void append_one_line(xp_buf *why, const char *text, size_t len) {
    int blank = why->len > 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
            blank = 1;
            continue;
        }
        if (blank && why->len > 0)
            xp_buf_putc(why, ' ');
        blank = 0;
        xp_buf_putc(why, (char)ch);
    }
}

static int killed_from_outside(int sig) {
    return sig == SIGKILL || sig == SIGTERM || sig == SIGINT || sig == SIGHUP;
}

/* Returns 1 when a process failed by itself (see xlate_child_stop). */
static int describe_endings(const xlate_child *c, const int *killed_by_us, xp_buf *why) {
    int crashed = 0;
    for (size_t i = 0; i < c->n; i++) {
        int st = c->statuses[i];
        char line[256];
        line[0] = '\0';
        if (WIFSIGNALED(st) && !killed_by_us[i] && WTERMSIG(st) != SIGPIPE &&
            !killed_from_outside(WTERMSIG(st)))
            crashed = 1;
        if (WIFEXITED(st) && WEXITSTATUS(st) != 0)
            crashed = 1;
        if (WIFSIGNALED(st) && WTERMSIG(st) != SIGPIPE && !killed_by_us[i]) {
            const char *what = sigdescr_np(WTERMSIG(st));
            snprintf(line, sizeof line, "%s: killed by signal %d (%s);", c->names[i],
                     WTERMSIG(st), what ? what : "unknown signal");
        } else if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
            snprintf(line, sizeof line, "%s: exited with status %d;", c->names[i],
                     WEXITSTATUS(st));
        }
        append_one_line(why, line, strlen(line));
    }
    if (c->err.len > 0) {
        append_one_line(why, "stderr:", 7);
        append_one_line(why, c->err.data, c->err.len);
    }
    if (why->len && why->data[why->len - 1] == ';')
        why->data[--why->len] = '\0';
    return crashed;
}

int xlate_child_stop(xlate_child *c, int kill_now, xp_buf *why) {
    close_fd(&c->in_fd);
    size_t alive = 0;
    int *killed_by_us = calloc(c->n ? c->n : 1, sizeof *killed_by_us);
    reap_exited(c, &alive);
    long long give_up = now_ms() + (kill_now ? 0 : GRACEFUL_EXIT_MS);
    while (alive > 0 && now_ms() < give_up) {
        struct pollfd pfd = {.fd = c->err_fd, .events = POLLIN};
        poll(&pfd, c->err_fd >= 0 ? 1 : 0, 10);
        drain_stderr(c);
        reap_exited(c, &alive);
    }
    if (alive > 0 && c->pgid > 0) {
        for (size_t i = 0; i < c->n && killed_by_us; i++)
            killed_by_us[i] = c->statuses[i] == -1;
        kill(-c->pgid, SIGKILL);
        for (size_t i = 0; i < c->n; i++) {
            if (c->statuses[i] != -1)
                continue;
            int status = 0;
            while (waitpid(c->pids[i], &status, 0) < 0 && errno == EINTR)
                ;
            c->statuses[i] = status;
        }
    }
    /* The processes are gone; what they wrote to stderr is still in the pipe. A bounded wait,
     * because a process the engine left behind may still hold the pipe open. */
    long long stderr_deadline = now_ms() + 200;
    while (c->err_fd >= 0 && now_ms() < stderr_deadline) {
        struct pollfd pfd = {.fd = c->err_fd, .events = POLLIN};
        if (poll(&pfd, 1, 50) <= 0)
            break;
        drain_stderr(c);
    }
    xp_buf ignored = XP_BUF_INIT;
    int crashed = killed_by_us ? describe_endings(c, killed_by_us, why ? why : &ignored) : 0;
    xp_buf_free(&ignored);
    free(killed_by_us);
    free_child(c);
    return crashed;
}
