/*
 * isolate: a plugin instance in a child process (see isolate.h). The host starts
 * `xlate plugin-child` with one end of a socket pair as its fd 3, asks it to create the instance,
 * and sends it each batch; the child runs the batch with the real host services on a document of
 * its own and sends back the segments' state, with the plugin's log lines and usage counts ahead
 * of it. A child
 * that dies or does not answer in time is killed, waited for and described by the signal or
 * status that ended it; the batch in flight fails and a new child serves the next one.
 *
 * Messages are frames: a type, a length and a payload. The batch's payload is isolate_wire's.
 */
#include "isolate.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "isolate_wire.h"

/* The child's end of the socket pair, where `xlate plugin-child` expects it. */
#define CHILD_FD 3

enum frame_type {
    REQ_CREATE = 1,  /* host → child: path, options, languages, log level */
    REQ_BATCH = 2,   /* host → child: isolate_wire's batch */
    REQ_END = 3,     /* host → child: destroy the instance and exit */
    REQ_BATCH_DONE = 4, /* host → child: isolate_wire's batch, as the whole chain left it */
    REQ_DOC_DONE = 5,   /* host → child: the document's name; the document is done */
    ANS_LOG = 10,    /* child → host: a log line of the plugin */
    ANS_CREATED = 11,/* child → host: status and message of create */
    ANS_RESULT = 12, /* child → host: process()'s status and message, isolate_wire's result */
    ANS_DONE = 13,   /* child → host: batch_done's or document_done's status and message */
    ANS_USAGE = 14   /* child → host: a count_usage call (service, requests, characters) */
};

/* A frame longer than this is a broken child, not a batch (a batch of huge segments stays far
 * below it). */
#define FRAME_MAX ((uint64_t)1 << 40)

typedef struct frame_header {
    uint32_t type;
    uint32_t reserved;
    uint64_t len;
} frame_header;

/* What went wrong talking to the child. */
enum { IO_OK = 0, IO_LOST = -1, IO_TIMEOUT = -2, IO_NOMEM = -3, IO_BROKEN = -4, IO_STOPPED = -5 };

/* How long the host waits for its child, and the run's stop flag that ends the wait at once.
 * NULL (the child's side): for ever. */
typedef struct io_limits {
    double deadline; /* CLOCK_MONOTONIC seconds; 0: none */
    const volatile sig_atomic_t *stop;
} io_limits;

/* How often a wait looks at the stop flag when no signal interrupts it (a worker thread of
 * `batch` has the stop signals blocked, so the main thread gets them). */
#define STOP_LOOK_MS 200

/* --- frames ------------------------------------------------------------------------------------ */

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int wait_fd(int fd, short events, const io_limits *lim) {
    for (;;) {
        int ms = -1;
        if (lim && lim->stop && *lim->stop)
            return IO_STOPPED;
        if (lim && lim->deadline > 0) {
            double left = lim->deadline - now_seconds();
            if (left <= 0)
                return IO_TIMEOUT;
            ms = left > 86400.0 ? 86400000 : (int)(left * 1000.0) + 1;
        }
        if (lim && lim->stop && (ms < 0 || ms > STOP_LOOK_MS))
            ms = STOP_LOOK_MS;
        struct pollfd p = {fd, events, 0};
        int n = poll(&p, 1, ms);
        if (n < 0 && errno != EINTR)
            return IO_LOST;
        if (n > 0)
            return IO_OK;
        /* timed out or interrupted: the stop flag and the deadline decide */
    }
}

static int write_all(int fd, const char *p, size_t n, const io_limits *lim) {
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
        } else if (w < 0 && errno == EINTR) {
            continue;
        } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int rc = wait_fd(fd, POLLOUT, lim);
            if (rc != IO_OK)
                return rc;
        } else {
            return IO_LOST;
        }
    }
    return IO_OK;
}

static int read_all(int fd, char *p, size_t n, const io_limits *lim) {
    while (n) {
        ssize_t r = recv(fd, p, n, 0);
        if (r > 0) {
            p += r;
            n -= (size_t)r;
        } else if (r < 0 && errno == EINTR) {
            continue;
        } else if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int rc = wait_fd(fd, POLLIN, lim);
            if (rc != IO_OK)
                return rc;
        } else {
            return IO_LOST; /* end of stream: the other side is gone */
        }
    }
    return IO_OK;
}

static int send_frame(int fd, uint32_t type, const xlate_buf *payload, const io_limits *lim) {
    frame_header h = {type, 0, payload ? payload->len : 0};
    int rc = write_all(fd, (const char *)&h, sizeof h, lim);
    if (rc == IO_OK && h.len)
        rc = write_all(fd, payload->data, payload->len, lim);
    return rc;
}

/* Reads one frame into `payload` (reset first). */
static int recv_frame(int fd, const io_limits *lim, uint32_t *type, xlate_buf *payload) {
    frame_header h;
    int rc = read_all(fd, (char *)&h, sizeof h, lim);
    if (rc != IO_OK)
        return rc;
    if (h.len > FRAME_MAX)
        return IO_BROKEN;
    xlate_buf_reset(payload);
    if (h.len && xlate_buf_reserve(payload, (size_t)h.len) != 0)
        return IO_NOMEM;
    if (h.len && (rc = read_all(fd, payload->data, (size_t)h.len, lim)) != IO_OK)
        return rc;
    payload->len = (size_t)h.len;
    *type = h.type;
    return IO_OK;
}

const char *xlate_signal_name(int sig, char *buf, size_t size) {
    const char *abbrev = sigabbrev_np(sig);
    if (abbrev)
        snprintf(buf, size, "SIG%s", abbrev);
    else
        snprintf(buf, size, "signal %d", sig);
    return buf;
}

/* --- the host's side --------------------------------------------------------------------------- */

struct xlate_isolated {
    const xlate_loaded_plugin *plugin;
    char *options, *source_lang, *target_lang, *program;
    xlate_log_sink log;
    int dry_run;
    xlate_usage_sink usage;
    double timeout;
    const volatile sig_atomic_t *stop;
    pid_t pid; /* the child, or 0 when there is none (a new one starts before the next batch) */
    int fd;    /* the host's end of the socket pair, or -1 */
    xlate_buf frame;
};

static const char *plugin_name(const xlate_isolated *iso) {
    return xlate_loaded_plugin_descriptor(iso->plugin)->name;
}

static io_limits limits_of(const xlate_isolated *iso) {
    io_limits lim = {iso->timeout > 0 ? now_seconds() + iso->timeout : 0, iso->stop};
    return lim;
}

/* Only async-signal-safe calls between fork and exec: the host may have threads (batch). The
 * child gets its own process group, so that a Ctrl-C on the terminal reaches the host alone, which
 * stops between batches as it does without isolation and then ends its children itself. */
static pid_t spawn_child(const char *program, int child_end) {
    char *const argv[] = {(char *)program, (char *)"plugin-child", NULL};
    sigset_t none;
    sigemptyset(&none);
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    setpgid(0, 0);
    sigprocmask(SIG_SETMASK, &none, NULL);
    /* The run's input is the host's to read, not the plugin's. */
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0 && devnull != STDIN_FILENO) {
        dup2(devnull, STDIN_FILENO);
        close(devnull);
    }
    if (child_end == CHILD_FD)
        fcntl(CHILD_FD, F_SETFD, 0);
    else if (dup2(child_end, CHILD_FD) != CHILD_FD)
        _exit(127);
    close_range(CHILD_FD + 1, ~0U, 0);
    execv(program, argv);
    _exit(127);
}

static int start_process(xlate_isolated *iso, xlate_error *err) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        xlate_error_set(err, XLATE_ERROR, "plugin '%s': cannot make a socket pair for its child "
                        "process: %s", plugin_name(iso), strerror(errno));
        return -1;
    }
    pid_t pid = spawn_child(iso->program, sv[1]);
    int saved = errno;
    close(sv[1]);
    if (pid < 0) {
        close(sv[0]);
        xlate_error_set(err, XLATE_ERROR, "plugin '%s': cannot start its child process: %s",
                        plugin_name(iso), strerror(saved));
        return -1;
    }
    fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
    iso->pid = pid;
    iso->fd = sv[0];
    return 0;
}

/* Kills the child (a dead one is only reaped), waits for it and appends to `why` what ended it:
 * "crashed with SIGSEGV", "exited with status 3", or, after a timeout, that it was killed for
 * not answering. */
static void end_child(xlate_isolated *iso, int io, xlate_buf *why) {
    int st = 0;
    char sig[32];
    if (iso->fd >= 0)
        close(iso->fd);
    iso->fd = -1;
    if (iso->pid > 0) {
        /* A child that died has its end status fixed before its socket closes, so the kill
         * changes nothing for it; one that still runs (a hang, a broken protocol) dies here. */
        kill(iso->pid, SIGKILL);
        while (waitpid(iso->pid, &st, 0) < 0 && errno == EINTR)
            ;
    }
    iso->pid = 0;
    if (!why)
        return;
    if (io == IO_STOPPED)
        xlate_buf_puts(why, "stopped with the run (SIGINT or SIGTERM)");
    else if (io == IO_TIMEOUT)
        xlate_buf_printf(why, "did not answer within %g s and was killed (--plugin-timeout)",
                         iso->timeout);
    else if (io == IO_BROKEN)
        xlate_buf_puts(why, "its process broke the host's protocol and was killed");
    else if (io == IO_NOMEM)
        xlate_buf_puts(why, "out of memory reading its answer");
    else if (WIFSIGNALED(st))
        xlate_buf_printf(why, "crashed with %s", xlate_signal_name(WTERMSIG(st), sig, sizeof sig));
    else if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
        xlate_buf_printf(why, "its child process could not run %s", iso->program);
    else
        xlate_buf_printf(why, "its process exited with status %d in the middle of a batch",
                         WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

/* A log line of the plugin, told as the host tells its own instances' lines (isolate mirrors
 * host_log): a warning given while starting is said once per loaded plugin, not per child. */
static void deliver_log(xlate_isolated *iso, const xlate_buf *f) {
    xlate_wire_reader r = {f->data, f->len, 0};
    uint64_t level = xlate_wire_get_u64(&r), starting = xlate_wire_get_u64(&r);
    size_t len = 0;
    const char *line = xlate_wire_get_str(&r, &len);
    if (r.bad || !line || !iso->log.fn || level > (uint64_t)iso->log.level)
        return;
    if (starting && level <= XLATE_LOG_WARNING &&
        !xlate_loaded_plugin_first_saying(iso->plugin, line))
        return;
    iso->log.fn(iso->log.data, plugin_name(iso), (xlate_log_level)level, line);
}

/* A count_usage call of the plugin, added where the host's own instances add theirs. The name
 * is checked again: the child runs code the host does not trust. */
static void deliver_usage(xlate_isolated *iso, const xlate_buf *f) {
    xlate_wire_reader r = {f->data, f->len, 0};
    size_t len = 0;
    const char *service = xlate_wire_get_str(&r, &len);
    uint64_t requests = xlate_wire_get_u64(&r), characters = xlate_wire_get_u64(&r);
    if (r.bad || !service || !xlate_usage_name_ok(service) || !iso->usage.fn)
        return;
    iso->usage.fn(iso->usage.data, service, requests, characters);
}

/* Receives frames until one of type `want`, passing log lines and usage counts on. */
static int await(xlate_isolated *iso, uint32_t want, const io_limits *lim) {
    for (;;) {
        uint32_t type = 0;
        int rc = recv_frame(iso->fd, lim, &type, &iso->frame);
        if (rc != IO_OK)
            return rc;
        if (type == want)
            return IO_OK;
        if (type == ANS_LOG)
            deliver_log(iso, &iso->frame);
        else if (type == ANS_USAGE)
            deliver_usage(iso, &iso->frame);
        else
            return IO_BROKEN;
    }
}

/* The status and message of a create or done answer, in the frame just read. A malformed answer
 * gives -1 and status XLATE_ERROR; a missing or malformed message is one saying so. MESSAGE
 * points into the frame or to a constant. */
static int read_status_reply(const xlate_isolated *iso, int64_t *status, const char **message) {
    xlate_wire_reader r = {iso->frame.data, iso->frame.len, 0};
    size_t len = 0;
    *status = (int64_t)xlate_wire_get_u64(&r);
    *message = xlate_wire_get_str(&r, &len);
    if (r.bad)
        *status = XLATE_ERROR;
    if (r.bad || !*message)
        *message = "the child process gave a malformed answer";
    return r.bad ? -1 : 0;
}

/* A child with the instance made in it. Returns 0, or -1 with err as xlate_instance_new would. */
static int start_child(xlate_isolated *iso, xlate_error *err) {
    if (start_process(iso, err) != 0)
        return -1;
    xlate_buf req = XLATE_BUF_INIT;
    xlate_wire_put_str(&req, xlate_loaded_plugin_path(iso->plugin),
                       strlen(xlate_loaded_plugin_path(iso->plugin)));
    xlate_wire_put_str(&req, iso->options, strlen(iso->options));
    xlate_wire_put_str(&req, iso->source_lang, strlen(iso->source_lang));
    xlate_wire_put_str(&req, iso->target_lang, strlen(iso->target_lang));
    xlate_wire_put_u64(&req, iso->log.fn ? 1 : 0);
    xlate_wire_put_u64(&req, (uint64_t)iso->log.level);
    xlate_wire_put_u64(&req, iso->dry_run ? 1 : 0);
    io_limits lim = limits_of(iso);
    int io = xlate_buf_failed(&req) ? IO_NOMEM : send_frame(iso->fd, REQ_CREATE, &req, &lim);
    xlate_buf_free(&req);
    if (io == IO_OK)
        io = await(iso, ANS_CREATED, &lim);
    if (io != IO_OK) {
        xlate_buf why = XLATE_BUF_INIT;
        end_child(iso, io, &why);
        xlate_error_set(err, XLATE_ERROR, "plugin '%s' could not start: %s", plugin_name(iso),
                        why.data ? why.data : "out of memory");
        xlate_buf_free(&why);
        return -1;
    }
    int64_t status;
    const char *message;
    if (read_status_reply(iso, &status, &message) == 0 && status == XLATE_OK)
        return 0;
    xlate_error_set(err, status == XLATE_EINVAL || status == XLATE_ENOTFOUND ? (int)status : XLATE_ERROR,
                    "%s", message);
    end_child(iso, IO_OK, NULL);
    return -1;
}

void xlate_isolated_free(xlate_isolated *iso) {
    if (!iso)
        return;
    if (iso->pid > 0) {
        /* The child destroys the instance (its log lines still come) and exits: end of stream. */
        io_limits lim = limits_of(iso);
        lim.stop = NULL; /* ending is what a stopped run does: the child gets its time */
        int io = send_frame(iso->fd, REQ_END, NULL, &lim);
        if (io == IO_OK)
            io = await(iso, 0, &lim);
        end_child(iso, io, NULL);
    }
    free(iso->options);
    free(iso->source_lang);
    free(iso->target_lang);
    free(iso->program);
    xlate_buf_free(&iso->frame);
    free(iso);
}

int xlate_isolated_new(const xlate_loaded_plugin *p, const char *options_text,
                       const char *source_lang, const char *target_lang,
                       const xlate_run_env *env, const xlate_isolate_settings *set,
                       xlate_isolated **out, xlate_error *err) {
    xlate_isolated *iso = calloc(1, sizeof *iso);
    if (!iso) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    iso->plugin = p;
    iso->fd = -1;
    iso->timeout = set->timeout;
    iso->stop = set->stop;
    if (env) {
        iso->log = env->log;
        iso->dry_run = env->dry_run != 0;
        iso->usage = env->usage;
    }
    iso->options = strdup(options_text ? options_text : "");
    iso->source_lang = strdup(source_lang ? source_lang : "");
    iso->target_lang = strdup(target_lang ? target_lang : "");
    iso->program = set->program ? strdup(set->program) : NULL;
    if (!iso->options || !iso->source_lang || !iso->target_lang || (set->program && !iso->program)) {
        xlate_isolated_free(iso);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    if (!iso->program) {
        xlate_isolated_free(iso);
        xlate_error_set(err, XLATE_EINVAL, "plugin '%s' is to run isolated, but this program "
                        "cannot start the xlate program that runs it", xlate_loaded_plugin_descriptor(p)->name);
        return -1;
    }
    if (start_child(iso, err) != 0) {
        xlate_isolated_free(iso);
        return -1;
    }
    *out = iso;
    return 0;
}

/* One batch, one request. Returns 0 done; -1 the plugin's process() failed (err, as
 * xlate_instance_process says it); 1 the child was lost with the batch: `why` says how, and the
 * child is ended (the next request starts another); 2 the run's stop flag was set meanwhile (the
 * child is ended, the batch untouched). */
static int try_batch(xlate_isolated *iso, xlate_doc *doc, size_t first, size_t count,
                     xlate_buf *why, xlate_error *err) {
    xlate_buf req = XLATE_BUF_INIT;
    if (xlate_wire_put_batch(&req, doc, first, count) != 0) {
        xlate_buf_free(&req);
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", doc->name);
        return -1;
    }
    io_limits lim = limits_of(iso);
    int io = send_frame(iso->fd, REQ_BATCH, &req, &lim);
    xlate_buf_free(&req);
    if (io == IO_OK)
        io = await(iso, ANS_RESULT, &lim);
    if (io == IO_STOPPED) {
        end_child(iso, io, NULL);
        return 2;
    }
    if (io != IO_OK) {
        xlate_buf_printf(why, "%s: ", plugin_name(iso));
        end_child(iso, io, why);
        return 1;
    }
    xlate_wire_reader r = {iso->frame.data, iso->frame.len, 0};
    int64_t rc = (int64_t)xlate_wire_get_u64(&r);
    int64_t status = (int64_t)xlate_wire_get_u64(&r);
    size_t len = 0;
    const char *message = xlate_wire_get_str(&r, &len);
    if (r.bad || xlate_wire_get_result(r.p, r.left, doc, first, count, err) != 0) {
        xlate_error_clear(err);
        xlate_buf_printf(why, "%s: ", plugin_name(iso));
        end_child(iso, IO_BROKEN, why);
        return 1;
    }
    if (rc == 0)
        return 0;
    xlate_error_set(err, status == XLATE_ENOMEM ? XLATE_ENOMEM : XLATE_ERROR, "%s",
                    message ? message : "plugin failed");
    return -1;
}

/* One batch_done or document_done request and its answer. The child is ended when it is lost:
 * the instance it held, and what it kept of the document, are gone. */
static int done_request(xlate_isolated *iso, uint32_t type, const xlate_buf *req, const char *call,
                        const char *doc_name, xlate_error *err) {
    if (iso->pid <= 0 && start_child(iso, err) != 0)
        return -1;
    io_limits lim = limits_of(iso);
    int io = xlate_buf_failed(req) ? IO_NOMEM : send_frame(iso->fd, type, req, &lim);
    if (io == IO_OK)
        io = await(iso, ANS_DONE, &lim);
    if (io == IO_STOPPED) {
        end_child(iso, io, NULL);
        return 2;
    }
    if (io != IO_OK) {
        xlate_buf why = XLATE_BUF_INIT;
        end_child(iso, io, &why);
        xlate_error_set(err, XLATE_ERROR, "%s: plugin '%s' failed in %s: %s", doc_name,
                        plugin_name(iso), call, why.data ? why.data : "out of memory");
        xlate_buf_free(&why);
        return -1;
    }
    int64_t status;
    const char *message;
    if (read_status_reply(iso, &status, &message) == 0 && status == XLATE_OK)
        return 0;
    xlate_error_set(err, XLATE_ERROR, "%s", message);
    return -1;
}

int xlate_isolated_batch_done(xlate_isolated *iso, const xlate_doc *doc, size_t first, size_t count,
                              xlate_error *err) {
    xlate_buf req = XLATE_BUF_INIT;
    if (xlate_wire_put_batch(&req, doc, first, count) != 0) {
        xlate_buf_free(&req);
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", doc->name);
        return -1;
    }
    int rc = done_request(iso, REQ_BATCH_DONE, &req, "batch_done", doc->name, err);
    xlate_buf_free(&req);
    return rc;
}

int xlate_isolated_document_done(xlate_isolated *iso, const char *doc_name, xlate_error *err) {
    xlate_buf req = XLATE_BUF_INIT;
    xlate_wire_put_str(&req, doc_name, strlen(doc_name));
    int rc = done_request(iso, REQ_DOC_DONE, &req, "document_done", doc_name, err);
    xlate_buf_free(&req);
    return rc;
}

static int seg_active(const xlate_seg *s) {
    return s->status == XLATE_SEG_OK || s->status == XLATE_SEG_WARNING;
}

/* A segment the child was lost on fails with the plugin's name on its message, after the
 * messages it already had, as when a plugin in the host's process fails it. `reason` is the line
 * stderr gets ("NAME: crashed with SIGSEGV"), whole, as JSONL's joined `message` shows it.
 * Returns 1 when the message was kept, 0 when memory for it ran out. */
static int mark_lost(const xlate_isolated *iso, xlate_seg *s, const char *reason) {
    return xlate_seg_add_message(s, XLATE_SEG_FAILED, plugin_name(iso), NULL, reason) == 0;
}

/* After a crash on a whole batch: its segments again, one a request, so that only those the
 * plugin cannot get through fail (each with what ended the child) and the others are done.
 * `said` collects a line per lost segment. Returns 0; 2 when the run was stopped meanwhile; or -1
 * (err) when the plugin failed or a new child could not start. */
static int retry_one_by_one(xlate_isolated *iso, xlate_doc *doc, size_t first, size_t count,
                            xlate_buf *said, xlate_error *err) {
    xlate_buf why = XLATE_BUF_INIT;
    int rc = 0;
    for (size_t i = first; i < first + count && rc >= 0; i++) {
        xlate_seg *s = &doc->segs[i];
        if (!seg_active(s))
            continue;
        if (iso->pid <= 0 && start_child(iso, err) != 0) {
            rc = -1;
            break;
        }
        xlate_buf_reset(&why);
        rc = try_batch(iso, doc, i, 1, &why, err);
        if (rc == 2)
            break;
        if (rc != 1)
            continue;
        const char *reason = why.data ? why.data : "its child process was lost";
        int kept = mark_lost(iso, s, reason);
        xlate_buf_printf(said, "%s%s at segment %zu%s", said->len ? "; " : "", reason, s->id,
                         kept ? "" : " (out of memory: it carries no message)");
    }
    xlate_buf_free(&why);
    return rc < 0 ? -1 : rc == 2 ? 2 : 0;
}

int xlate_isolated_process(xlate_isolated *iso, xlate_doc *doc, size_t first, size_t count,
                           xlate_error *err) {
    if (count == 0)
        return 0;
    if (iso->pid <= 0 && start_child(iso, err) != 0)
        return -1;
    xlate_buf why = XLATE_BUF_INIT, said = XLATE_BUF_INIT;
    int rc = try_batch(iso, doc, first, count, &why, err);
    if (rc == 1 && count == 1 && seg_active(&doc->segs[first])) {
        const char *reason = why.data ? why.data : "its child process was lost";
        int kept = mark_lost(iso, &doc->segs[first], reason);
        xlate_buf_printf(&said, "%s at segment %zu%s", reason, doc->segs[first].id,
                         kept ? "" : " (out of memory: it carries no message)");
    } else if (rc == 1 && count > 1) {
        rc = retry_one_by_one(iso, doc, first, count, &said, err);
        rc = rc == 0 ? 1 : rc;
    }
    if (rc == 1 && said.len)
        xlate_error_set(err, XLATE_ERROR, "%s: %s; marked failed, the plugin was started again "
                        "for the rest", doc->name, said.data);
    else if (rc == 1)
        xlate_error_set(err, XLATE_ERROR, "%s: %s on segments %zu-%zu; none failed when run "
                        "again one at a time", doc->name,
                        why.data ? why.data : "its child process was lost", doc->segs[first].id,
                        doc->segs[first + count - 1].id);
    xlate_buf_free(&why);
    xlate_buf_free(&said);
    return rc;
}

/* --- the child's side -------------------------------------------------------------------------- */

typedef struct child_state {
    int fd;
    int starting;
} child_state;

static void forward_log(void *data, const char *plugin, xlate_log_level level, const char *message) {
    (void)plugin;
    child_state *c = data;
    xlate_buf f = XLATE_BUF_INIT;
    xlate_wire_put_u64(&f, (uint64_t)level);
    xlate_wire_put_u64(&f, (uint64_t)c->starting);
    xlate_wire_put_str(&f, message, strlen(message));
    if (!xlate_buf_failed(&f))
        (void)send_frame(c->fd, ANS_LOG, &f, NULL);
    xlate_buf_free(&f);
}

static void forward_usage(void *data, const char *service, uint64_t requests, uint64_t characters) {
    child_state *c = data;
    xlate_buf f = XLATE_BUF_INIT;
    xlate_wire_put_str(&f, service, strlen(service));
    xlate_wire_put_u64(&f, requests);
    xlate_wire_put_u64(&f, characters);
    if (!xlate_buf_failed(&f))
        (void)send_frame(c->fd, ANS_USAGE, &f, NULL);
    xlate_buf_free(&f);
}

static int send_status(int fd, uint32_t type, int rc, const xlate_error *err, const xlate_buf *tail) {
    xlate_buf f = XLATE_BUF_INIT;
    if (type == ANS_RESULT)
        xlate_wire_put_u64(&f, (uint64_t)(int64_t)rc);
    xlate_wire_put_u64(&f, (uint64_t)(int64_t)(rc == 0 ? XLATE_OK : err->status));
    const char *m = rc == 0 ? NULL : err->message;
    xlate_wire_put_str(&f, m, m ? strlen(m) : 0);
    if (tail)
        (void)xlate_buf_append(&f, tail->data ? tail->data : "", tail->len);
    int io = xlate_buf_failed(&f) ? IO_NOMEM : send_frame(fd, type, &f, NULL);
    xlate_buf_free(&f);
    return io;
}

/* One batch: decoded into a document of its own, through the instance, the state sent back. */
static int serve_batch(child_state *c, xlate_instance *inst, const xlate_buf *frame) {
    xlate_doc doc;
    xlate_error err = {0};
    if (xlate_wire_get_batch(frame->data, frame->len, &doc, &err) != 0) {
        xlate_error_clear(&err);
        return -1;
    }
    int rc = xlate_instance_process(inst, &doc, 0, doc.n_segs, &err);
    xlate_buf result = XLATE_BUF_INIT;
    int io = xlate_wire_put_result(&result, &doc) == 0 ? send_status(c->fd, ANS_RESULT, rc, &err, &result)
                                                       : IO_NOMEM;
    xlate_buf_free(&result);
    xlate_error_clear(&err);
    xlate_doc_free(&doc);
    return io == IO_OK ? 0 : -1;
}

/* A batch_done or document_done request: the call made on the instance, its outcome sent. */
static int serve_done(child_state *c, xlate_instance *inst, uint32_t type, const xlate_buf *frame) {
    xlate_error err = {0};
    int rc;
    if (type == REQ_BATCH_DONE) {
        xlate_doc doc;
        if (xlate_wire_get_batch(frame->data, frame->len, &doc, &err) != 0) {
            xlate_error_clear(&err);
            return -1;
        }
        rc = xlate_instance_batch_done(inst, &doc, 0, doc.n_segs, &err);
        xlate_doc_free(&doc);
    } else {
        xlate_wire_reader r = {frame->data, frame->len, 0};
        size_t len = 0;
        const char *name = xlate_wire_get_str(&r, &len);
        if (r.bad || !name)
            return -1;
        rc = xlate_instance_document_done(inst, name, &err);
    }
    int io = send_status(c->fd, ANS_DONE, rc, &err, NULL);
    xlate_error_clear(&err);
    return io == IO_OK ? 0 : -1;
}

/* The create request: the plugin loaded and its instance made, the outcome sent. */
static int serve_create(child_state *c, const xlate_buf *frame, xlate_loaded_plugin **p,
                        xlate_instance **inst) {
    xlate_wire_reader r = {frame->data, frame->len, 0};
    size_t n;
    const char *path = xlate_wire_get_str(&r, &n);
    const char *options = xlate_wire_get_str(&r, &n);
    const char *from = xlate_wire_get_str(&r, &n);
    const char *to = xlate_wire_get_str(&r, &n);
    uint64_t logging = xlate_wire_get_u64(&r), level = xlate_wire_get_u64(&r);
    uint64_t dry_run = xlate_wire_get_u64(&r);
    if (r.bad || !path || !options || !from || !to)
        return -1;
    xlate_plugin_search none = {NULL, 0, NULL, xlate_host_services()};
    /* Usage always goes to the host, which knows whether the run counts it. */
    xlate_run_env env = {{logging ? forward_log : NULL, c, (xlate_log_level)level},
                         dry_run != 0, {forward_usage, c}};
    xlate_error err = {0};
    int rc = xlate_plugin_load(&none, path, p, &err);
    if (rc == 0) {
        c->starting = 1;
        rc = xlate_instance_new_in(*p, options, from, to, &env, inst, &err);
        c->starting = 0;
    }
    int io = send_status(c->fd, ANS_CREATED, rc, &err, NULL);
    xlate_error_clear(&err);
    return io == IO_OK && rc == 0 ? 0 : -1;
}

/* The watch on the host: the host closes its end of the socket only when it is done with the
 * child (after an end request is answered, or to kill it) or when it dies. In the second case a
 * child stuck in a plugin would live on unseen, so this thread ends the process then. Poll reads
 * nothing, so the main thread's requests are untouched. */
static void *watch_host(void *arg) {
    struct pollfd p = {(int)(intptr_t)arg, POLLRDHUP, 0};
    while (poll(&p, 1, -1) < 0 && errno == EINTR)
        ;
    _exit(1);
}

static int start_watch(int fd) {
    pthread_t t;
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0)
        return -1;
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&t, &attr, watch_host, (void *)(intptr_t)fd);
    pthread_attr_destroy(&attr);
    return rc == 0 ? 0 : -1;
}

int xlate_isolate_child_main(int fd) {
    if (start_watch(fd) != 0)
        return 1;
    /* The host's standard output may be the run's output: a plugin's stray printf goes to stderr. */
    dup2(STDERR_FILENO, STDOUT_FILENO);
    child_state c = {fd, 0};
    xlate_buf frame = XLATE_BUF_INIT;
    xlate_loaded_plugin *p = NULL;
    xlate_instance *inst = NULL;
    uint32_t type = 0;
    int status = 0;
    if (recv_frame(fd, NULL, &type, &frame) != IO_OK || type != REQ_CREATE ||
        serve_create(&c, &frame, &p, &inst) != 0)
        goto done;
    while (recv_frame(fd, NULL, &type, &frame) == IO_OK && type != REQ_END) {
        if (type == REQ_BATCH_DONE || type == REQ_DOC_DONE) {
            if (serve_done(&c, inst, type, &frame) != 0) {
                status = 1;
                break;
            }
            continue;
        }
        if (type != REQ_BATCH || serve_batch(&c, inst, &frame) != 0) {
            status = 1;
            break;
        }
    }
done:
    xlate_instance_free(inst); /* destroy(); its log lines still reach the host */
    xlate_plugin_unload(p);
    xlate_buf_free(&frame);
    return status;
}
