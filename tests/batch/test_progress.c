/* progress: the live line's wording (counts, MB/s, ETA), what each mode prints when — nothing but
 * the summary to a non-terminal, the line redrawn in place (at most ten times a second) on a
 * terminal, JSON events for programs — and, through `xlate batch` on a pseudo-terminal and on a
 * pipe, that the command picks the terminal behaviour only for a terminal. */
#include <fcntl.h>
#include <ftw.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "progress.h"

#define XLATE_EXE BUILD_ROOT "/core/xlate"

static xlate_progress_counts counts(long long total, long long done, long long segments,
                                    long long errors, unsigned long long bytes) {
    xlate_progress_counts c = {0};
    c.total = total;
    c.seen = total;
    c.done = done;
    c.segments = segments;
    c.errors = errors;
    c.bytes = bytes;
    return c;
}

static void check_line(const xlate_progress_counts *c, double elapsed, const char *want) {
    char line[256];
    int n = xlate_progress_format_line(c, elapsed, line, sizeof line);
    CHECK_STR(line, want);
    CHECK_INT(n, strlen(want));
}

static void test_mode_words(void) {
    xlate_progress_mode m = XLATE_PROGRESS_JSON;
    CHECK_INT(xlate_progress_mode_parse("auto", &m), 0);
    CHECK_INT(m, XLATE_PROGRESS_AUTO);
    CHECK_INT(xlate_progress_mode_parse("quiet", &m), 0);
    CHECK_INT(m, XLATE_PROGRESS_QUIET);
    m = XLATE_PROGRESS_AUTO;
    CHECK_INT(xlate_progress_mode_parse("none", &m), 0);
    CHECK_INT(m, XLATE_PROGRESS_QUIET);
    CHECK_INT(xlate_progress_mode_parse("json", &m), 0);
    CHECK_INT(m, XLATE_PROGRESS_JSON);
    CHECK_INT(xlate_progress_mode_parse("JSON", &m), -1);
    CHECK_INT(xlate_progress_mode_parse("", &m), -1);
    CHECK_INT(m, XLATE_PROGRESS_JSON); /* a refused word leaves the mode alone */
}

static void test_line_wording(void) {
    /* 120 of 400 in 10 s: 280 to go at 12 a second is 23.3 s; 24 MB in 10 s is 2.4 MB/s. */
    xlate_progress_counts c = counts(400, 120, 3571, 1, 24000000);
    check_line(&c, 10.0, "xlate batch: 120/400 docs, 3571 segments, 2.4 MB/s, 1 error, ETA 0:23");
    c.errors = 2;
    check_line(&c, 10.0, "xlate batch: 120/400 docs, 3571 segments, 2.4 MB/s, 2 errors, ETA 0:23");

    /* Nothing done yet, no time gone: no rate to divide by, no ETA to guess. */
    c = counts(5, 0, 0, 0, 0);
    check_line(&c, 0.0, "xlate batch: 0/5 docs, 0 segments, 0.0 MB/s, 0 errors, ETA ?");

    /* An archive still being read: the total is what has been seen so far, and no ETA. */
    c = counts(-1, 10, 99, 0, 1000000);
    c.seen = 57;
    check_line(&c, 2.0, "xlate batch: 10/57+ docs, 99 segments, 0.5 MB/s, 0 errors, ETA ?");

    /* Resumed documents cost nothing: 10 worked in 10 s, 100 left, so 100 s, not 10 s. */
    c = counts(200, 100, 5, 0, 0);
    c.resumed = 90;
    check_line(&c, 10.0, "xlate batch: 100/200 docs, 5 segments, 0.0 MB/s, 0 errors, ETA 1:40");
    c.resumed = 100; /* only resumed ones so far: no pace known */
    check_line(&c, 10.0, "xlate batch: 100/200 docs, 5 segments, 0.0 MB/s, 0 errors, ETA ?");

    /* An hour or more shows hours. */
    c = counts(10000, 1, 1, 0, 0);
    check_line(&c, 10.0, "xlate batch: 1/10000 docs, 1 segments, 0.0 MB/s, 0 errors, ETA 27:46:30");
    c = counts(361, 1, 1, 0, 0);
    check_line(&c, 10.0, "xlate batch: 1/361 docs, 1 segments, 0.0 MB/s, 0 errors, ETA 1:00:00");
    /* All done: nothing left. */
    c = counts(3, 3, 9, 0, 0);
    check_line(&c, 4.0, "xlate batch: 3/3 docs, 9 segments, 0.0 MB/s, 0 errors, ETA 0:00");

    /* A short buffer gets a terminated prefix; the return value says how long the line is. */
    char small[16];
    c = counts(400, 120, 3571, 1, 24000000);
    int n = xlate_progress_format_line(&c, 10.0, small, sizeof small);
    CHECK_STR(small, "xlate batch: 12");
    CHECK_INT(n, strlen("xlate batch: 120/400 docs, 3571 segments, 2.4 MB/s, 1 error, ETA 0:23"));
}

/* A progress writing into memory; `text` is read after the calls (they flush). */
typedef struct capture {
    FILE *f;
    char *text;
    size_t len;
} capture;

static xlate_progress *open_capture(capture *cap, xlate_progress_mode mode, int is_tty) {
    xlate_progress *p = NULL;
    cap->f = open_memstream(&cap->text, &cap->len);
    CHECK(cap->f != NULL);
    CHECK_INT(xlate_progress_new(mode, cap->f, is_tty, &p), 0);
    return p;
}

static void close_capture(capture *cap, xlate_progress *p) {
    xlate_progress_free(p);
    fclose(cap->f);
    free(cap->text);
}

static void fill_counts(xlate_progress *p) {
    xlate_progress_counts *c = xlate_progress_counts_of(p);
    c->total = c->seen = 4;
    c->done = 3;
    c->segments = 40;
    c->errors = 1;
    c->resumed = 2;
    c->bytes = 2500000;
}

/* The summary up to the clock-dependent part, and from the report on. */
static void check_summary(const char *text, const char *head, const char *tail) {
    size_t hl = strlen(head), tl = strlen(tail), len = strlen(text);
    CHECK(strncmp(text, head, hl) == 0);
    CHECK(len >= hl + tl && strcmp(text + len - tl, tail) == 0);
    if (strncmp(text, head, hl) != 0 || len < tl || strcmp(text + len - tl, tail) != 0)
        fprintf(stderr, "  summary was: \"%s\"\n", text);
}

static void test_not_a_terminal(void) {
    capture cap;
    xlate_progress *p = open_capture(&cap, XLATE_PROGRESS_AUTO, 0);
    fill_counts(p);
    xlate_progress_update(p);
    xlate_progress_entry(p, "a.txt", "ok", 10, NULL);
    fflush(cap.f);
    CHECK_INT(cap.len, 0); /* a log file gets no redraws */
    xlate_progress_finish(p, "out/report.json", 0);
    check_summary(cap.text,
                  "xlate batch: 3 documents, 40 segments, 1 failed, 0 skipped, 0 rejected (see the report), "
                  "2 resumed, "
                  "2.5 MB in ",
                  "; report: out/report.json\n");
    CHECK(strchr(cap.text, '\r') == NULL && strchr(cap.text, '\033') == NULL);
    CHECK(strchr(cap.text, '\n') == cap.text + cap.len - 1); /* one line */
    close_capture(&cap, p);

    /* Interrupted: said so, with what to do next; no failures: no pointer to the report. */
    p = open_capture(&cap, XLATE_PROGRESS_AUTO, 0);
    xlate_progress_counts_of(p)->done = 7;
    xlate_progress_finish(p, NULL, 1);
    const char *second = strchr(cap.text, '\n') + 1;
    check_summary(cap.text, "xlate batch: interrupted after 7 documents, 0 segments, 0 failed, "
                            "0 skipped, 0 rejected, 0 resumed, 0.0 MB in ",
                  "; report: (none)\nxlate batch: run the same command with --resume to finish\n");
    CHECK_STR(second, "xlate batch: run the same command with --resume to finish\n");
    close_capture(&cap, p);
}

static void test_quiet(void) {
    capture cap;
    for (int tty = 0; tty <= 1; tty++) {
        xlate_progress *p = open_capture(&cap, XLATE_PROGRESS_QUIET, tty);
        fill_counts(p);
        xlate_progress_update(p);
        xlate_progress_entry(p, "a.txt", "failed", 0, "cannot read");
        xlate_progress_finish(p, "r.json", 1);
        fflush(cap.f);
        CHECK_INT(cap.len, 0);
        close_capture(&cap, p);
    }
}

/* Checks `line` is `head`, a number (the elapsed seconds), then `tail`. */
static void check_event(const char *line, const char *head, const char *tail) {
    size_t hl = strlen(head);
    char *end = NULL;
    int head_ok = strncmp(line, head, hl) == 0;
    if (head_ok)
        strtod(line + hl, &end);
    int ok = head_ok && end && end != line + hl && strncmp(end, tail, strlen(tail)) == 0;
    CHECK(ok);
    if (!ok)
        fprintf(stderr, "  event was: \"%s\"\n  want: \"%s<seconds>%s\"\n", line, head, tail);
}

static void test_json_events(void) {
    capture cap;
    xlate_progress *p = open_capture(&cap, XLATE_PROGRESS_JSON, 1); /* a terminal changes nothing */
    fill_counts(p);
    xlate_progress_update(p);
    fflush(cap.f);
    CHECK_INT(cap.len, 0); /* events, not redraws */
    xlate_progress_entry(p, "docs/a \"b\".txt", "failed", 0, "cannot read:\nx");
    check_event(cap.text,
                "{\"event\":\"document\",\"path\":\"docs/a \\\"b\\\".txt\",\"status\":\"failed\","
                "\"segments\":0,\"message\":\"cannot read:\\nx\",\"done\":3,\"total\":4,\"seen\":4,"
                "\"errors\":1,\"bytes\":2500000,\"elapsed\":",
                "}\n");
    size_t first = cap.len;
    xlate_progress_counts_of(p)->total = -1; /* not known yet */
    xlate_progress_entry(p, "b.txt", "ok", 12, NULL);
    check_event(cap.text + first,
                "{\"event\":\"document\",\"path\":\"b.txt\",\"status\":\"ok\",\"segments\":12,"
                "\"message\":null,\"done\":3,\"total\":null,\"seen\":4,\"errors\":1,"
                "\"bytes\":2500000,\"elapsed\":",
                "}\n");
    size_t second = cap.len;
    xlate_progress_finish(p, "out/report.json", 1);
    check_event(cap.text + second,
                "{\"event\":\"end\",\"done\":3,\"segments\":40,\"errors\":1,\"skipped\":0,\"rejected\":0,\"resumed\":2,"
                "\"bytes\":2500000,\"elapsed\":",
                ",\"interrupted\":true,\"report\":\"out/report.json\"}\n");
    CHECK(cap.text[cap.len - 1] == '\n' && strchr(cap.text + second, '\n') == cap.text + cap.len - 1);
    close_capture(&cap, p);
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t count_of(const char *text, const char *what) {
    size_t n = 0;
    for (const char *at = text; (at = strstr(at, what)) != NULL; at += strlen(what))
        n++;
    return n;
}

static void test_terminal(void) {
    capture cap;
    xlate_progress *p = open_capture(&cap, XLATE_PROGRESS_AUTO, 1);
    xlate_progress_counts *c = xlate_progress_counts_of(p);
    c->total = c->seen = 5;
    /* The first update draws at once: carriage return, the line, erase to the end. */
    double before_first = now_seconds();
    xlate_progress_update(p);
    CHECK_STR(cap.text, "\rxlate batch: 0/5 docs, 0 segments, 0.0 MB/s, 0 errors, ETA ?\033[K");

    /* Updating as fast as possible redraws no more than ten times a second: wait for the second
     * redraw, then at least 0.1 s has passed since before the first. */
    c->done = 1;
    while (count_of(cap.text, "\r") < 2) {
        xlate_progress_update(p);
        fflush(cap.f);
    }
    double after_second = now_seconds();
    CHECK(after_second - before_first >= 0.1);
    CHECK(strstr(cap.text, "\rxlate batch: 1/5 docs, 0 segments, ") != NULL);
    CHECK_INT(count_of(cap.text, "\r"), 2);

    /* The summary first clears the live line. */
    size_t drawn = cap.len;
    xlate_progress_finish(p, "r.json", 0);
    check_summary(cap.text + drawn, "\r\033[Kxlate batch: 1 documents, 0 segments, 0 failed, ",
                  "; report: r.json\n");
    close_capture(&cap, p);

    /* No line was drawn: nothing to clear before the summary. */
    p = open_capture(&cap, XLATE_PROGRESS_AUTO, 1);
    xlate_progress_finish(p, "r.json", 0);
    check_summary(cap.text, "xlate batch: 0 documents, ", "; report: r.json\n");
    close_capture(&cap, p);
}

/* --- the command on a terminal and on a pipe ----------------------------------------------- */

/* A chain with no translator starts with one line saying what the targets are; it is no part
 * of the progress output under test, so it is taken off the front (the rest is kept whole). */
static char *skip_chain_note(char *text) {
    static const char note[] = "xlate: no translator in the chain";
    char *eol = text && strncmp(text, note, sizeof note - 1) == 0 ? strchr(text, '\n') : NULL;
    if (eol)
        memmove(text, eol + 1, strlen(eol + 1) + 1);
    return text;
}

/* Runs `xlate batch DIR -o DIR/out` with stderr on `err_fd` and reads what reaches `read_fd`
 * until the command is gone. Returns the text (free it) and the exit status in *status. */
static char *run_batch(const char *dir, int err_fd, int read_fd, int close_in_child, int *status) {
    char in[512], out[512];
    snprintf(in, sizeof in, "%s/in", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    pid_t pid = fork();
    if (pid == 0) {
        close(close_in_child);
        dup2(err_fd, STDERR_FILENO);
        close(err_fd);
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, STDOUT_FILENO);
        execl(XLATE_EXE, "xlate", "batch", in, "-o", out, (char *)NULL);
        _exit(127);
    }
    close(err_fd);
    size_t len = 0, cap = 4096;
    char *text = malloc(cap);
    ssize_t n;
    /* A pipe reads 0 at the end; a pty's master reads EIO once the command has closed it. */
    while (text && (n = read(read_fd, text + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (cap - len < 2) {
            char *bigger = realloc(text, cap * 2);
            if (!bigger) {
                free(text);
                text = NULL;
                break;
            }
            text = bigger;
            cap *= 2;
        }
    }
    close(read_fd);
    waitpid(pid, status, 0);
    if (text)
        text[len] = '\0';
    return skip_chain_note(text);
}

static int starts_with(const char *text, const char *prefix) {
    return text && strncmp(text, prefix, strlen(prefix)) == 0;
}

static void test_command_terminal_or_not(void) {
    char dir[] = "/tmp/xlate-progress-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char in[512], doc[512];
    snprintf(in, sizeof in, "%s/in", dir);
    snprintf(doc, sizeof doc, "%s/in/a.txt", dir);
    CHECK(mkdir(in, 0700) == 0);
    FILE *f = fopen(doc, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("The first sentence. The second one.\n", f);
    fclose(f);

    /* On a terminal (raw, so the bytes are what the command wrote): the live line, cleared
     * before the summary. */
    int master, slave, status = -1;
    CHECK(openpty(&master, &slave, NULL, NULL, NULL) == 0);
    struct termios raw;
    tcgetattr(slave, &raw);
    cfmakeraw(&raw);
    tcsetattr(slave, TCSANOW, &raw);
    char *text = run_batch(dir, slave, master, master, &status);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* How far the document got by the first redraw is up to the workers: 0/1 or 1/1. */
    int live = starts_with(text, "\rxlate batch: 0/1 docs, ") ||
               starts_with(text, "\rxlate batch: 1/1 docs, ");
    int cleared = text && strstr(text, "\033[K\r\033[Kxlate batch: 1 documents, 2 segments, "
                                       "0 failed, ") != NULL;
    CHECK(live);
    CHECK(cleared);
    if (!live || !cleared)
        fprintf(stderr, "  on a terminal: \"%s\"\n", text ? text : "(null)");
    free(text);

    /* On a pipe: the summary line alone. */
    int fds[2];
    CHECK(pipe(fds) == 0);
    char *out_dir = NULL;
    if (asprintf(&out_dir, "%s/out", dir) > 0)
        check_remove_tree(out_dir);
    free(out_dir);
    text = run_batch(dir, fds[1], fds[0], fds[0], &status);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(starts_with(text, "xlate batch: 1 documents, 2 segments, 0 failed, 0 skipped, 0 rejected, 0 resumed, "));
    CHECK(text && strchr(text, '\r') == NULL && strchr(text, '\033') == NULL);
    CHECK(text && strchr(text, '\n') == text + strlen(text) - 1);
    if (!text || strchr(text, '\r') || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fprintf(stderr, "  on a pipe (status %d): \"%s\"\n", status, text ? text : "(null)");
    free(text);
    check_remove_tree(dir);
}

int main(void) {
    test_mode_words();
    test_line_wording();
    test_not_a_terminal();
    test_quiet();
    test_json_events();
    test_terminal();
    test_command_terminal_or_not();
    return check_result("progress");
}
