/*
 * test_outfile: the rule for what an output path may become (core/base/outfile.h), on files, links,
 * folders and descriptors made here in a temporary folder. Devices and FIFOs with readers are
 * tested as a user meets them, through the command, in tests/cli/output_paths.sh.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "outfile.h"

static char tmpdir[] = "/tmp/xlate-test-outfile-XXXXXX";

static char *tpath(const char *name) {
    static char buf[8][1024];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static void put_file(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* The file's content is `want`. */
static int has_text(const char *path, const char *want) {
    size_t len;
    char *got = check_read_file(path, &len);
    int ok = got && len == strlen(want) && memcmp(got, want, len) == 0;
    free(got);
    return ok;
}

/* How many entries the folder holds: what a writer left behind. */
static int entries(const char *dir) {
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;
    while (d && (de = readdir(d)) != NULL)
        n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
    if (d)
        closedir(d);
    return n;
}

static int write_text(const char *path, unsigned flags, const char *text, xlate_error *err) {
    xlate_outfile *f;
    if (xlate_outfile_open(AT_FDCWD, path, flags, NULL, &f, err) != 0)
        return -1;
    if (xlate_outfile_write(f, text, strlen(text), err) != 0) {
        xlate_outfile_abort(f);
        return -1;
    }
    return xlate_outfile_commit(f, err);
}

/* A new file appears only on commit, whole, and nothing else is left in its folder. */
static void test_new_file(void) {
    xlate_error err = {0};
    xlate_outfile *f;
    mkdir(tpath("new"), 0777);
    CHECK(xlate_outfile_open(AT_FDCWD, tpath("new/a.tsv"), 0, NULL, &f, &err) == 0);
    CHECK(!xlate_outfile_in_place(f));
    CHECK(xlate_outfile_write(f, "half", 4, &err) == 0);
    CHECK(access(tpath("new/a.tsv"), F_OK) != 0);
    CHECK(xlate_outfile_write(f, " and whole\n", 11, &err) == 0);
    CHECK(xlate_outfile_commit(f, &err) == 0);
    CHECK(has_text(tpath("new/a.tsv"), "half and whole\n"));
    CHECK_INT(entries(tpath("new")), 1);
    /* Through stdio, as the CLI writes. */
    CHECK(xlate_outfile_open(AT_FDCWD, tpath("new/b.tsv"), 0, NULL, &f, &err) == 0);
    CHECK(fputs("by stdio\n", xlate_outfile_stream(f)) >= 0);
    CHECK(xlate_outfile_commit(f, &err) == 0);
    CHECK(has_text(tpath("new/b.tsv"), "by stdio\n"));
    /* Abandoned: nothing appears. */
    CHECK(xlate_outfile_open(AT_FDCWD, tpath("new/c.tsv"), 0, NULL, &f, &err) == 0);
    CHECK(xlate_outfile_write(f, "x", 1, &err) == 0);
    xlate_outfile_abort(f);
    CHECK(access(tpath("new/c.tsv"), F_OK) != 0);
    CHECK_INT(entries(tpath("new")), 2);
    xlate_error_clear(&err);
}

/* A file there is replaced by rename on commit (a hard link keeps the old one) and keeps its
 * permissions; abandoned, the old file stays as it was. */
static void test_replace(void) {
    xlate_error err = {0};
    xlate_outfile *f;
    struct stat before, after;
    mkdir(tpath("rep"), 0777);
    put_file(tpath("rep/a.tsv"), "old\n");
    chmod(tpath("rep/a.tsv"), 0640);
    CHECK(link(tpath("rep/a.tsv"), tpath("rep/old-link")) == 0);
    CHECK(stat(tpath("rep/a.tsv"), &before) == 0);
    CHECK(xlate_outfile_open(AT_FDCWD, tpath("rep/a.tsv"), 0, NULL, &f, &err) == 0);
    CHECK(xlate_outfile_write(f, "new\n", 4, &err) == 0);
    CHECK(has_text(tpath("rep/a.tsv"), "old\n"));
    CHECK(xlate_outfile_commit(f, &err) == 0);
    CHECK(has_text(tpath("rep/a.tsv"), "new\n"));
    CHECK(has_text(tpath("rep/old-link"), "old\n"));
    CHECK(stat(tpath("rep/a.tsv"), &after) == 0);
    CHECK(after.st_ino != before.st_ino);
    CHECK_INT(after.st_mode & 0777, 0640);
    CHECK_INT(entries(tpath("rep")), 2);

    CHECK(xlate_outfile_open(AT_FDCWD, tpath("rep/a.tsv"), 0, NULL, &f, &err) == 0);
    CHECK(xlate_outfile_write(f, "never\n", 6, &err) == 0);
    xlate_outfile_abort(f);
    CHECK(has_text(tpath("rep/a.tsv"), "new\n"));
    CHECK_INT(entries(tpath("rep")), 2);
    xlate_error_clear(&err);
}

/* A batch writes its outputs by name in one open folder: each file whole on commit, new ones
 * with the permissions the umask leaves, one already there replaced keeping its own, the
 * folder's descriptor still the caller's afterwards, and nothing else left behind. */
static void test_names_in_folder(unsigned extra, const char *folder) {
    xlate_error err = {0};
    xlate_outfile *f;
    struct stat st;
    mode_t mask = umask(022);
    char old[32];
    int dir;
    mkdir(tpath(folder), 0777);
    snprintf(old, sizeof old, "%s/3.tsv", folder);
    put_file(tpath(old), "old\n");
    chmod(tpath(old), 0600);
    dir = open(tpath(folder), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    CHECK(dir >= 0);
    for (int i = 0; i < 5; i++) {
        char name[16], text[32], path[32];
        snprintf(name, sizeof name, "%d.tsv", i);
        snprintf(text, sizeof text, "document %d\n", i);
        snprintf(path, sizeof path, "%s/%s", folder, name);
        CHECK(xlate_outfile_open(dir, name, XLATE_OUTFILE_NO_LINKS | extra, NULL, &f, &err) == 0);
        CHECK(xlate_outfile_write(f, text, strlen(text), &err) == 0);
        CHECK(i == 3 ? has_text(tpath(path), "old\n") : access(tpath(path), F_OK) != 0);
        CHECK(xlate_outfile_commit(f, &err) == 0);
        CHECK(has_text(tpath(path), text));
    }
    /* an aborted file and a refused link leave the folder as it was, and its descriptor open */
    CHECK(xlate_outfile_open(dir, "5.tsv", XLATE_OUTFILE_NO_LINKS | extra, NULL, &f, &err) == 0);
    CHECK(xlate_outfile_write(f, "x\n", 2, &err) == 0);
    xlate_outfile_abort(f);
    CHECK(symlinkat("0.tsv", dir, "link.tsv") == 0);
    /* refused when opened, or, for a name taken to be new, when put in place */
    int opened = xlate_outfile_open(dir, "link.tsv", XLATE_OUTFILE_NO_LINKS | extra, NULL, &f, &err) == 0;
    CHECK_INT(opened, (extra & XLATE_OUTFILE_LIKELY_NEW) != 0);
    CHECK(!opened || xlate_outfile_commit(f, &err) != 0);
    CHECK(err.message && strstr(err.message, "link.tsv: is a symbolic link"));
    CHECK(unlinkat(dir, "link.tsv", 0) == 0);
    CHECK(fcntl(dir, F_GETFD) >= 0);
    CHECK(fstat(dir, &st) == 0 && S_ISDIR(st.st_mode));
    CHECK(fstatat(dir, "0.tsv", &st, 0) == 0);
    CHECK_INT(st.st_mode & 0777, 0644);
    CHECK(fstatat(dir, "3.tsv", &st, 0) == 0);
    CHECK_INT(st.st_mode & 0777, 0600);
    CHECK_INT(entries(tpath(folder)), 5);
    close(dir);
    umask(mask);
    xlate_error_clear(&err);
}

/* A link is followed to its target, which the rule then applies to; the link stays. Where links
 * are refused, a link is an error and nothing is written anywhere. */
static void test_links(void) {
    xlate_error err = {0};
    xlate_outfile *f;
    char target[256];
    ssize_t n;
    int dir;
    mkdir(tpath("lnk"), 0777);
    mkdir(tpath("lnk/real"), 0777);
    put_file(tpath("lnk/real/t.tsv"), "old\n");
    CHECK(symlink("real/t.tsv", tpath("lnk/a.tsv")) == 0);
    CHECK(symlink("a.tsv", tpath("lnk/chain.tsv")) == 0);
    CHECK(write_text(tpath("lnk/chain.tsv"), 0, "through two links\n", &err) == 0);
    CHECK(has_text(tpath("lnk/real/t.tsv"), "through two links\n"));
    n = readlink(tpath("lnk/a.tsv"), target, sizeof target - 1);
    CHECK(n == 10 && memcmp(target, "real/t.tsv", 10) == 0);
    CHECK_INT(entries(tpath("lnk/real")), 1);
    /* A link to nothing yet: the file is made where it points. */
    CHECK(symlink("real/made.tsv", tpath("lnk/dangling.tsv")) == 0);
    CHECK(write_text(tpath("lnk/dangling.tsv"), 0, "made\n", &err) == 0);
    CHECK(has_text(tpath("lnk/real/made.tsv"), "made\n"));
    /* A loop of links is an error, not a hang. */
    CHECK(symlink("loop2", tpath("lnk/loop1")) == 0);
    CHECK(symlink("loop1", tpath("lnk/loop2")) == 0);
    CHECK(write_text(tpath("lnk/loop1"), 0, "x", &err) == -1);
    CHECK(err.message && strstr(err.message, "loop1"));
    xlate_error_clear(&err);
    /* Refused: the link and its target stay as they were. */
    dir = open(tpath("lnk"), O_RDONLY | O_DIRECTORY);
    CHECK(xlate_outfile_open(dir, "a.tsv", XLATE_OUTFILE_NO_LINKS, "OUT/a.tsv", &f, &err) == -1);
    CHECK(err.message && strstr(err.message, "OUT/a.tsv: is a symbolic link"));
    CHECK(has_text(tpath("lnk/real/t.tsv"), "through two links\n"));
    xlate_error_clear(&err);
    /* Not refused: a file there, in the folder given. */
    CHECK(xlate_outfile_open(dir, "plain.tsv", XLATE_OUTFILE_NO_LINKS, NULL, &f, &err) == 0);
    CHECK(xlate_outfile_commit(f, &err) == 0);
    CHECK(access(tpath("lnk/plain.tsv"), F_OK) == 0);
    close(dir);
    xlate_error_clear(&err);
}

/* A name that becomes a link while its replacement is being written is left alone. */
static void test_changed_underneath(void) {
    xlate_error err = {0};
    xlate_outfile *f;
    mkdir(tpath("chg"), 0777);
    put_file(tpath("chg/a.tsv"), "old\n");
    CHECK(xlate_outfile_open(AT_FDCWD, tpath("chg/a.tsv"), 0, NULL, &f, &err) == 0);
    CHECK(xlate_outfile_write(f, "new\n", 4, &err) == 0);
    CHECK(symlink("elsewhere.tsv", tpath("chg/swap")) == 0);
    CHECK(rename(tpath("chg/swap"), tpath("chg/a.tsv")) == 0);
    CHECK(xlate_outfile_commit(f, &err) == -1);
    CHECK(err.message && strstr(err.message, "became a symbolic link"));
    {
        struct stat st;
        CHECK(lstat(tpath("chg/a.tsv"), &st) == 0 && S_ISLNK(st.st_mode));
    }
    CHECK(access(tpath("chg/elsewhere.tsv"), F_OK) != 0);
    CHECK_INT(entries(tpath("chg")), 1);
    xlate_error_clear(&err);
}

/* A folder is never a file to write; a missing folder is named. */
static void test_folders(void) {
    xlate_error err = {0};
    xlate_outfile *f;
    CHECK(xlate_outfile_open(AT_FDCWD, tmpdir, 0, NULL, &f, &err) == -1);
    CHECK(err.message && strstr(err.message, "is a folder"));
    xlate_error_clear(&err);
    CHECK(xlate_outfile_open(AT_FDCWD, tpath("no/such/x.tsv"), 0, NULL, &f, &err) == -1);
    CHECK(err.message && strstr(err.message, "no/such/x.tsv: cannot write"));
    xlate_error_clear(&err);
    CHECK(xlate_outfile_open(AT_FDCWD, tpath("new/"), 0, NULL, &f, &err) == -1);
    CHECK(err.message && strstr(err.message, "names a folder"));
    xlate_error_clear(&err);
}

/* The process's own descriptors (/proc/self/fd/N, what /dev/fd/N and /dev/stdout lead to) are
 * written through a duplicate, in place; "-" is standard output. */
static void test_descriptors(void) {
    xlate_error err = {0};
    xlate_outfile *f;
    char path[64], got[16] = {0};
    int p[2];
    CHECK(pipe(p) == 0);
    snprintf(path, sizeof path, "/proc/self/fd/%d", p[1]);
    CHECK(xlate_outfile_open(AT_FDCWD, path, 0, NULL, &f, &err) == 0);
    CHECK(xlate_outfile_in_place(f));
    CHECK(xlate_outfile_write(f, "piped", 5, &err) == 0);
    CHECK(xlate_outfile_commit(f, &err) == 0);
    CHECK(fcntl(p[1], F_GETFD) >= 0); /* the process's own descriptor stays open */
    close(p[1]);
    CHECK(read(p[0], got, sizeof got - 1) == 5 && strcmp(got, "piped") == 0);
    /* Open for reading only: said so. */
    snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
    CHECK(xlate_outfile_open(AT_FDCWD, path, 0, NULL, &f, &err) == -1);
    CHECK(err.message && strstr(err.message, "open for reading only"));
    xlate_error_clear(&err);
    close(p[0]);
    /* Closed now: said so, and nothing is made in /proc. */
    CHECK(xlate_outfile_open(AT_FDCWD, path, 0, NULL, &f, &err) == -1);
    CHECK(err.message && strstr(err.message, "is not open"));
    xlate_error_clear(&err);
    CHECK(xlate_outfile_open(AT_FDCWD, "-", 0, NULL, &f, &err) == 0);
    CHECK(xlate_outfile_in_place(f));
    CHECK_STR(xlate_outfile_shown(f), "standard output");
    xlate_outfile_abort(f);
    CHECK(fcntl(STDOUT_FILENO, F_GETFD) >= 0);
}

/* Writes `text` as `name` in `dir` with the name taken to be new, as a batch writes each output;
 * returns what commit returned. */
static int write_likely_new(int dir, const char *name, const char *text, xlate_error *err) {
    xlate_outfile *f;
    unsigned flags = XLATE_OUTFILE_NO_LINKS | XLATE_OUTFILE_DIR_KEPT | XLATE_OUTFILE_LIKELY_NEW;
    /* the name is not looked at yet: opening never refuses it */
    if (xlate_outfile_open(dir, name, flags, name, &f, err) != 0)
        return -2;
    if (xlate_outfile_write(f, text, strlen(text), err) != 0) {
        xlate_outfile_abort(f);
        return -2;
    }
    return xlate_outfile_commit(f, err);
}

/* A name taken to be new and taken after all is dealt with at commit as the look at open would
 * have dealt with it: a file replaced keeping its permissions, a FIFO given the bytes in place, a
 * link and a folder refused and left as they were — and no temporary file left in any case. */
static void test_likely_new_names(void) {
    xlate_error err = {0};
    struct stat st;
    mode_t mask = umask(022);
    mkdir(tpath("ln"), 0777);
    int dir = open(tpath("ln"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    CHECK(dir >= 0);
    CHECK_INT(write_likely_new(dir, "new.tsv", "new\n", &err), 0);
    CHECK(has_text(tpath("ln/new.tsv"), "new\n"));
    CHECK(stat(tpath("ln/new.tsv"), &st) == 0 && (st.st_mode & 0777) == 0644);
    put_file(tpath("ln/old.tsv"), "old\n");
    chmod(tpath("ln/old.tsv"), 0600);
    CHECK_INT(write_likely_new(dir, "old.tsv", "replaced\n", &err), 0);
    CHECK(has_text(tpath("ln/old.tsv"), "replaced\n"));
    CHECK(stat(tpath("ln/old.tsv"), &st) == 0 && (st.st_mode & 0777) == 0600);
    put_file(tpath("ln/target.txt"), "target\n");
    CHECK(symlink("target.txt", tpath("ln/link.tsv")) == 0);
    CHECK_INT(write_likely_new(dir, "link.tsv", "through\n", &err), -1);
    CHECK(err.message && strstr(err.message, "link.tsv: is a symbolic link"));
    xlate_error_clear(&err);
    CHECK(lstat(tpath("ln/link.tsv"), &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(has_text(tpath("ln/target.txt"), "target\n"));
    CHECK(mkdir(tpath("ln/dir.tsv"), 0777) == 0);
    CHECK_INT(write_likely_new(dir, "dir.tsv", "x\n", &err), -1);
    CHECK(err.message && strstr(err.message, "dir.tsv: is a folder"));
    xlate_error_clear(&err);
    CHECK(mkfifo(tpath("ln/pipe.tsv"), 0600) == 0);
    /* a reader is there first, so that the write in place does not wait for one */
    int reader = open(tpath("ln/pipe.tsv"), O_RDONLY | O_NONBLOCK);
    CHECK(reader >= 0);
    CHECK_INT(write_likely_new(dir, "pipe.tsv", "in place\n", &err), 0);
    char got[32] = "";
    CHECK_INT((int)read(reader, got, sizeof got - 1), 9);
    CHECK_STR(got, "in place\n");
    close(reader);
    CHECK(lstat(tpath("ln/pipe.tsv"), &st) == 0 && S_ISFIFO(st.st_mode));
    /* new, old, target, link, dir, pipe: nothing else */
    CHECK_INT(entries(tpath("ln")), 6);
    CHECK(fcntl(dir, F_GETFD) >= 0);
    close(dir);
    umask(mask);
}

int main(void) {
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_new_file();
    test_replace();
    test_names_in_folder(0, "many");
    /* the folder lent to each handle (a batch's xlate_output_write) instead of copied */
    test_names_in_folder(XLATE_OUTFILE_DIR_KEPT, "kept");
    /* and each name taken to be new, as xlate_output_write does */
    test_names_in_folder(XLATE_OUTFILE_DIR_KEPT | XLATE_OUTFILE_LIKELY_NEW, "likely");
    test_likely_new_names();
    test_links();
    test_changed_underneath();
    test_folders();
    test_descriptors();
    check_remove_tree(tmpdir);
    return check_result("test_outfile");
}
