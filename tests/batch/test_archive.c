/*
 * test_archive: the batch's input and output sides (archive_in, archive_out), the shard split and
 * the progress line. Archives are built here with libarchive's writer, hostile entries included,
 * and read back through xlate_input as a batch would.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "archive_in.h"
#include "archive_out.h"
#include "batch.h"
#include "check.h"
#include "progress.h"

static char tmpdir[] = "/tmp/xlate-test-archive-XXXXXX";

static char *tpath(const char *name) {
    static char buf[8][1024];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

/* --- building archives ------------------------------------------------------------------------- */

typedef struct spec {
    const char *name;
    int type;             /* AE_IFREG, AE_IFLNK, AE_IFCHR, or 'h' for a hard link */
    const char *data;     /* file data, or link target */
    size_t len;           /* 0: strlen(data) */
} spec;

static struct archive *writer_for(const char *path, int zip, int gzip) {
    struct archive *a = archive_write_new();
    if (zip)
        archive_write_set_format_zip(a);
    else
        archive_write_set_format_gnutar(a);
    if (gzip)
        archive_write_add_filter_gzip(a);
    if (archive_write_open_filename(a, path) != ARCHIVE_OK)
        fprintf(stderr, "cannot write %s: %s\n", path, archive_error_string(a));
    return a;
}

static void add_entry(struct archive *a, const spec *s) {
    struct archive_entry *e = archive_entry_new();
    size_t len = s->len ? s->len : (s->data ? strlen(s->data) : 0);
    archive_entry_set_pathname(e, s->name);
    archive_entry_set_perm(e, 0644);
    if (s->type == 'h') {
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_hardlink(e, s->data);
        len = 0;
    } else if (s->type == AE_IFLNK) {
        archive_entry_set_filetype(e, AE_IFLNK);
        archive_entry_set_symlink(e, s->data);
        len = 0;
    } else if (s->type == AE_IFCHR) {
        archive_entry_set_filetype(e, AE_IFCHR);
        archive_entry_set_rdev(e, makedev(1, 3));
        len = 0;
    } else {
        archive_entry_set_filetype(e, s->type ? (mode_t)s->type : AE_IFREG);
    }
    archive_entry_set_size(e, (la_int64_t)len);
    archive_write_header(a, e);
    if (len)
        archive_write_data(a, s->data, len);
    archive_entry_free(e);
}

static void build(const char *path, int zip, int gzip, const spec *specs, size_t n) {
    struct archive *a = writer_for(path, zip, gzip);
    for (size_t i = 0; i < n; i++)
        add_entry(a, &specs[i]);
    archive_write_close(a);
    archive_write_free(a);
}

static void write_file(const char *path, const char *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, len, f);
        fclose(f);
    }
}

/* Reads every entry; returns how many, and fails the test on an input error unless allowed. */
typedef struct got {
    xlate_entry e[32];
    size_t n;
    int rc;
    xlate_error err;
} got;

static void read_all(const char *spec_path, const xlate_input_options *opts, got *g) {
    xlate_input *in = NULL;
    memset(g, 0, sizeof *g);
    if (xlate_input_open(spec_path, opts, NULL, &in, &g->err) != 0) {
        g->rc = -2;
        return;
    }
    while (g->n < 32 && (g->rc = xlate_input_next(in, &g->e[g->n], &g->err)) == 1)
        g->n++;
    xlate_input_free(in);
}

static void got_free(got *g) {
    for (size_t i = 0; i < g->n; i++)
        xlate_entry_free(&g->e[i]);
    xlate_error_clear(&g->err);
}

static const xlate_entry *find(const got *g, const char *path) {
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->e[i].path, path) == 0)
            return &g->e[i];
    return NULL;
}

/* --- the checks -------------------------------------------------------------------------------- */

static void test_path_clean(void) {
    const char *why;
    char *p = xlate_entry_path_clean("./a//b/./c.txt", &why);
    CHECK_STR(p, "a/b/c.txt");
    free(p);
    p = xlate_entry_path_clean("новини/статья.txt", &why);
    CHECK_STR(p, "новини/статья.txt");
    free(p);
    CHECK(xlate_entry_path_clean("/etc/passwd", &why) == NULL);
    CHECK_STR(why, "an absolute path");
    CHECK(xlate_entry_path_clean("a/../../x.txt", &why) == NULL);
    CHECK(strstr(why, "..") != NULL);
    CHECK(xlate_entry_path_clean("..", &why) == NULL);
    CHECK(xlate_entry_path_clean("C:/x.txt", &why) == NULL);
    CHECK(xlate_entry_path_clean("a\\..\\x.txt", &why) == NULL);
    CHECK(xlate_entry_path_clean("bad\xff.txt", &why) == NULL);
    CHECK(strstr(why, "UTF-8") != NULL);
    CHECK(xlate_entry_path_clean("a\nb.txt", &why) == NULL);
    CHECK(xlate_entry_path_clean("./", &why) == NULL);
    CHECK(xlate_entry_path_clean(".xlate-state/all/x.rec", &why) == NULL);
    p = xlate_entry_path_clean(".xlate-statefile.txt", &why);
    CHECK_STR(p, ".xlate-statefile.txt");
    free(p);
    /* names already clean come back whole; parts that only start with dots are names */
    static const char *const kept[] = {"a/b.txt", ".x/..y/...", "a/.b/c..", "..a", "x"};
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++) {
        p = xlate_entry_path_clean(kept[i], &why);
        CHECK_STR(p, kept[i]);
        free(p);
    }
    p = xlate_entry_path_clean("a/b/", &why);
    CHECK_STR(p, "a/b");
    free(p);
    p = xlate_entry_path_clean("a/./b", &why);
    CHECK_STR(p, "a/b");
    free(p);
    CHECK(xlate_entry_path_clean("a/..", &why) == NULL);
    CHECK(xlate_entry_path_clean("a/../b", &why) == NULL);
}

static void test_links(void) {
    CHECK(xlate_link_stays_inside("a/b/link", "../c.txt", 1));
    CHECK(xlate_link_stays_inside("a/link", "../c.txt", 1));
    CHECK(!xlate_link_stays_inside("a/link", "../../etc/passwd", 1));
    CHECK(!xlate_link_stays_inside("link", "/etc/passwd", 1));
    CHECK(!xlate_link_stays_inside("a/link", "b/../../../x", 1));
    CHECK(xlate_link_stays_inside("x", "a/b.txt", 0));
    CHECK(!xlate_link_stays_inside("a/x", "../b.txt", 0));

}

/* A tar.gz with nested folders, mixed encodings, an image and every kind of unsafe entry. */
static void test_hostile_tar(void) {
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    const spec specs[] = {
        {"news/2024/01/a.txt", AE_IFREG, "Столтенберг прибув до Києва.\n", 0},
        {"news/2024/01/b-cp1251.txt", AE_IFREG, "\xd1\xf2\xee\xeb\xf2\xe5\xed\xe1\xe5\xf0\xe3\n", 0},
        {"./news/img.png", AE_IFREG, png, sizeof png - 1},
        {"../evil.txt", AE_IFREG, "escape\n", 0},
        {"/etc/evil.txt", AE_IFREG, "escape\n", 0},
        {"news/../../up.txt", AE_IFREG, "escape\n", 0},
        {"news/link-out", AE_IFLNK, "../../../etc/passwd", 0},
        {"news/link-in", AE_IFLNK, "2024/01/a.txt", 0},
        {"news/hard-out", 'h', "../outside.txt", 0},
        {"news/hard-in", 'h', "news/2024/01/a.txt", 0},
        {"dev/null-copy", AE_IFCHR, NULL, 0},
        {"bad-\xff-name.txt", AE_IFREG, "text\n", 0},
        {"last.txt", AE_IFREG, "Кінець.\n", 0},
        /* UTF-16BE without a byte order mark: zero bytes, and text all the same */
        {"utf16be.txt", AE_IFREG, "\0K\0i\0y\0i\0v\0.\0\n", 14},
    };
    got g;
    const xlate_entry *e;
    build(tpath("hostile.tar.gz"), 0, 1, specs, sizeof specs / sizeof specs[0]);
    read_all(tpath("hostile.tar.gz"), NULL, &g);
    CHECK_INT(g.rc, 0);
    CHECK_INT(g.n, 14);
    /* input order is kept */
    CHECK_STR(g.e[0].path, "news/2024/01/a.txt");
    CHECK_STR(g.e[12].path, "last.txt");
    CHECK_INT(g.e[0].kind, XLATE_ENTRY_DOCUMENT);
    CHECK_STR(g.e[0].data, "Столтенберг прибув до Києва.\n");
    CHECK_INT(g.e[1].kind, XLATE_ENTRY_DOCUMENT);
    CHECK_INT(g.e[1].len, 12);
    e = find(&g, "news/img.png");
    CHECK(e && e->kind == XLATE_ENTRY_SKIPPED);
    CHECK_STR(e ? e->reason : NULL, "binary data (control character 0x1a at offset 6), not text");
    e = find(&g, "utf16be.txt");
    CHECK(e && e->kind == XLATE_ENTRY_DOCUMENT && e->len == 14);
    CHECK_INT(g.e[3].kind, XLATE_ENTRY_REJECTED);
    CHECK(strstr(g.e[3].reason, "..") != NULL);
    CHECK_INT(g.e[4].kind, XLATE_ENTRY_REJECTED);
    CHECK(strstr(g.e[4].reason, "absolute") != NULL);
    CHECK_INT(g.e[5].kind, XLATE_ENTRY_REJECTED);
    e = find(&g, "news/link-out");
    CHECK(e && e->kind == XLATE_ENTRY_REJECTED && strstr(e->reason, "outside"));
    e = find(&g, "news/link-in");
    CHECK(e && e->kind == XLATE_ENTRY_SKIPPED && strstr(e->reason, "symbolic link"));
    e = find(&g, "news/hard-out");
    CHECK(e && e->kind == XLATE_ENTRY_REJECTED && strstr(e->reason, "hard link"));
    e = find(&g, "news/hard-in");
    CHECK(e && e->kind == XLATE_ENTRY_SKIPPED);
    e = find(&g, "dev/null-copy");
    CHECK(e && e->kind == XLATE_ENTRY_REJECTED && strstr(e->reason, "device"));
    e = find(&g, "bad-\\xFF-name.txt");
    CHECK(e && e->kind == XLATE_ENTRY_REJECTED && strstr(e->reason, "UTF-8"));
    for (size_t i = 0; i < g.n; i++)
        CHECK(g.e[i].kind == XLATE_ENTRY_DOCUMENT || g.e[i].data == NULL);
    got_free(&g);
}

static void test_zip_cp1251_and_bomb(void) {
    static char zeros[24 << 20];
    const spec specs[] = {
        {"докум/перший.txt", AE_IFREG, "\xd0\xee\xf1\xb3\xff \xe2\xee\xfe\xba.\n", 0},
        {"bomb.txt", AE_IFREG, zeros, sizeof zeros},
        {"after.txt", AE_IFREG, "\xca\xb3\xed\xe5\xf6\xfc.\n", 0},
    };
    xlate_input_options small = XLATE_INPUT_OPTIONS_INIT;
    got g;
    memset(zeros, ' ', sizeof zeros); /* spaces: text, so only the limits can stop it */
    build(tpath("cp1251.zip"), 1, 0, specs, sizeof specs / sizeof specs[0]);
    read_all(tpath("cp1251.zip"), NULL, &g);
    CHECK_INT(g.rc, 0);
    CHECK_INT(g.n, 3);
    CHECK_STR(g.e[0].path, "докум/перший.txt");
    CHECK_INT(g.e[0].kind, XLATE_ENTRY_DOCUMENT);
    CHECK_INT(g.e[0].len, 12);
    CHECK_INT(g.e[1].kind, XLATE_ENTRY_FAILED);
    CHECK(g.e[1].reason && strstr(g.e[1].reason, "compression ratio") &&
          strstr(g.e[1].reason, "--max-ratio"));
    CHECK_INT(g.e[2].kind, XLATE_ENTRY_DOCUMENT); /* the batch goes on after a bomb */
    got_free(&g);

    small.max_doc_size = 1 << 20;
    read_all(tpath("cp1251.zip"), &small, &g);
    CHECK_INT(g.n, 3);
    CHECK(g.e[1].kind == XLATE_ENTRY_FAILED && strstr(g.e[1].reason, "too large") &&
          strstr(g.e[1].reason, "--max-doc-size"));
    got_free(&g);

    /* Raised limits let a large, very regular but real document through. */
    small.max_doc_size = 64 << 20;
    small.max_ratio = 1e9;
    read_all(tpath("cp1251.zip"), &small, &g);
    CHECK(g.n == 3 && g.e[1].kind == XLATE_ENTRY_DOCUMENT && g.e[1].len == sizeof zeros);
    got_free(&g);
}

static void test_corrupt_empty_and_not_archive(void) {
    spec specs[] = {
        {"one.txt", AE_IFREG, "Перший документ.\n", 0},
        {"two.txt", AE_IFREG, NULL, 0},
    };
    static char big[200000];
    char *data;
    struct stat st;
    FILE *f;
    got g;
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)('a' + (i * 7919 % 26)); /* compresses poorly: a long tail to cut */
    specs[1].data = big;
    specs[1].len = sizeof big;
    build(tpath("full.tar.gz"), 0, 1, specs, 2);
    stat(tpath("full.tar.gz"), &st);
    data = malloc((size_t)st.st_size);
    f = fopen(tpath("full.tar.gz"), "rb");
    CHECK(f && fread(data, 1, (size_t)st.st_size, f) == (size_t)st.st_size);
    if (f)
        fclose(f);
    write_file(tpath("cut.tar.gz"), data, (size_t)st.st_size / 2);
    free(data);
    read_all(tpath("cut.tar.gz"), NULL, &g);
    CHECK_INT(g.rc, -1);
    CHECK_INT(g.n, 1); /* the entry before the damage */
    CHECK(g.err.message && strstr(g.err.message, "cut.tar.gz") &&
          strstr(g.err.message, "corrupt or truncated") && strstr(g.err.message, "two.txt"));
    got_free(&g);

    build(tpath("empty.tar.gz"), 0, 1, NULL, 0);
    read_all(tpath("empty.tar.gz"), NULL, &g);
    CHECK_INT(g.rc, 0);
    CHECK_INT(g.n, 0);
    got_free(&g);
    build(tpath("empty.zip"), 1, 0, NULL, 0);
    read_all(tpath("empty.zip"), NULL, &g);
    CHECK_INT(g.rc, 0);
    CHECK_INT(g.n, 0);
    got_free(&g);

    write_file(tpath("plain.txt"), "not an archive\n", 15);
    read_all(tpath("plain.txt"), NULL, &g);
    CHECK_INT(g.rc, -2);
    CHECK(g.err.message && strstr(g.err.message, "plain.txt") &&
          strstr(g.err.message, "not an archive"));
    got_free(&g);
    read_all(tpath("missing.tar"), NULL, &g);
    CHECK_INT(g.rc, -2);
    CHECK(g.err.message && strstr(g.err.message, "missing.tar"));
    got_free(&g);
}

static int only_a(void *data, const char *path) {
    (void)data;
    return path[0] == 'a';
}

static void test_folder_walk(void) {
    xlate_input_options opts = XLATE_INPUT_OPTIONS_INIT;
    xlate_input *in = NULL;
    xlate_error err = {XLATE_OK, NULL};
    got g;
    mkdir(tpath("tree"), 0777);
    mkdir(tpath("tree/b"), 0777);
    mkdir(tpath("tree/out"), 0777);
    write_file(tpath("tree/b/z.txt"), "Зет.\n", strlen("Зет.\n"));
    write_file(tpath("tree/a.txt"), "А.\n", strlen("А.\n"));
    write_file(tpath("tree/out/old.txt"), "old output\n", 11);
    write_file(tpath("secret.txt"), "outside\n", 8);
    CHECK(symlink("../secret.txt", tpath("tree/c-out.txt")) == 0);
    CHECK(symlink("a.txt", tpath("tree/d-in.txt")) == 0);
    CHECK(mkfifo(tpath("tree/e.fifo"), 0600) == 0);

    opts.exclude_dir = tpath("tree/out");
    CHECK(xlate_input_open(tpath("tree"), &opts, NULL, &in, &err) == 0);
    CHECK_INT(in ? xlate_input_total(in) : -9, 5);
    xlate_input_free(in);

    read_all(tpath("tree"), &opts, &g);
    CHECK_INT(g.rc, 0);
    CHECK_INT(g.n, 5);
    /* byte order, depth first, the excluded output folder not walked */
    CHECK_STR(g.e[0].path, "a.txt");
    CHECK_STR(g.e[1].path, "b/z.txt");
    CHECK_STR(g.e[2].path, "c-out.txt");
    CHECK_STR(g.e[3].path, "d-in.txt");
    CHECK_STR(g.e[4].path, "e.fifo");
    CHECK_INT(g.e[0].kind, XLATE_ENTRY_DOCUMENT);
    CHECK_INT(g.e[2].kind, XLATE_ENTRY_REJECTED);
    CHECK_INT(g.e[3].kind, XLATE_ENTRY_DOCUMENT);
    CHECK_STR(g.e[3].data, "А.\n");
    CHECK_INT(g.e[4].kind, XLATE_ENTRY_REJECTED);
    got_free(&g);

    opts.want = only_a;
    read_all(tpath("tree"), &opts, &g);
    CHECK_INT(g.n, 1);
    got_free(&g);
}

static void test_list_input(void) {
    char list[2048];
    FILE *f;
    xlate_input *in = NULL;
    xlate_error err = {XLATE_OK, NULL};
    xlate_entry e;
    snprintf(list, sizeof list, "%s\n\n../x.txt\n", tpath("tree/a.txt"));
    f = fmemopen(list, strlen(list), "r");
    CHECK(xlate_input_open("-", NULL, f, &in, &err) == 0);
    CHECK_INT(xlate_input_total(in), 2);
    CHECK_INT(xlate_input_next(in, &e, &err), 1);
    /* an absolute path in a list is read, and its output goes under OUTPUT */
    CHECK_INT(e.kind, XLATE_ENTRY_DOCUMENT);
    CHECK(e.path[0] != '/' && strstr(e.path, "tree/a.txt"));
    xlate_entry_free(&e);
    CHECK_INT(xlate_input_next(in, &e, &err), 1);
    CHECK_INT(e.kind, XLATE_ENTRY_REJECTED);
    xlate_entry_free(&e);
    CHECK_INT(xlate_input_next(in, &e, &err), 0);
    xlate_input_free(in);
    fclose(f);
}

/* The modification time of an archive's first entry, or -1. */
static long long first_entry_mtime(const char *path) {
    struct archive *a = archive_read_new();
    struct archive_entry *ae;
    long long t = -1;
    archive_read_support_filter_all(a);
    archive_read_support_format_all(a);
    if (archive_read_open_filename(a, path, 10240) == ARCHIVE_OK &&
        archive_read_next_header(a, &ae) == ARCHIVE_OK)
        t = (long long)archive_entry_mtime(ae);
    archive_read_free(a);
    return t;
}

static void test_output(void) {
    xlate_output *o = NULL;
    xlate_error err = {XLATE_OK, NULL};
    char *name, *data;
    size_t len;
    const char *rels[] = {"a/b/one.uk-en.tsv", "two.uk-en.tsv"};
    got g;

    name = xlate_output_name("a/b/name.txt", "uk", "en", "jsonl");
    CHECK_STR(name, "a/b/name.uk-en.jsonl");
    free(name);
    name = xlate_output_name("a.b/README", "uk", "en", "tsv");
    CHECK_STR(name, "a.b/README.uk-en.tsv");
    free(name);
    name = xlate_output_name(".profile", "uk", "", "tmx");
    CHECK_STR(name, ".profile.uk.tmx");
    free(name);
    CHECK(xlate_output_names_archive("x.tar.zst") && xlate_output_names_archive("x.zip") &&
          !xlate_output_names_archive("x.d"));

    CHECK(xlate_output_open(tpath("out"), XLATE_PACK_TIME_NOW, &o, &err) == 0);
    CHECK(xlate_output_write(o, NULL, "a/b/one.uk-en.tsv", "one\n", 4, &err) == 0);
    CHECK(xlate_output_exists(o, "a/b/one.uk-en.tsv"));
    CHECK(xlate_output_read(o, "a/b/one.uk-en.tsv", &data, &len) == 0 && len == 4);
    free(data);
    /* Writing a name that exists replaces the file whole (the temporary-file-and-rename way). */
    CHECK(xlate_output_write(o, NULL, "a/b/one.uk-en.tsv", "one, again\n", 11, &err) == 0);
    CHECK(xlate_output_read(o, "a/b/one.uk-en.tsv", &data, &len) == 0 && len == 11 &&
          memcmp(data, "one, again\n", 11) == 0);
    free(data);
    /* A link planted in the output never carries a write outside. */
    mkdir(tpath("elsewhere"), 0777);
    CHECK(symlink(tpath("elsewhere"), tpath("out/trap")) == 0);
    CHECK(xlate_output_write(o, NULL, "trap/x.tsv", "x\n", 2, &err) == -1);
    CHECK(err.message && strstr(err.message, "symbolic link"));
    CHECK(access(tpath("elsewhere/x.tsv"), F_OK) != 0);
    CHECK(!xlate_output_exists(o, "trap/x.tsv"));
    xlate_error_clear(&err);
    /* A place keeps the last folder open: writes into it, into another folder and back land
     * where their paths say, and the place never follows a link that appears later. */
    {
        xlate_output_place place = XLATE_OUTPUT_PLACE_INIT;
        CHECK(xlate_output_write(o, &place, "p/q/one.tsv", "1\n", 2, &err) == 0);
        CHECK(xlate_output_write(o, &place, "p/q/two.tsv", "2\n", 2, &err) == 0);
        CHECK(place.fd >= 0 && place.dir && strcmp(place.dir, "p/q") == 0);
        CHECK(xlate_output_write(o, &place, "top.tsv", "t\n", 2, &err) == 0);
        CHECK(place.dir && strcmp(place.dir, "") == 0);
        CHECK(xlate_output_write(o, &place, "p/q/three.tsv", "3\n", 2, &err) == 0);
        CHECK(access(tpath("out/p/q/one.tsv"), F_OK) == 0 &&
              access(tpath("out/p/q/two.tsv"), F_OK) == 0 &&
              access(tpath("out/top.tsv"), F_OK) == 0 &&
              access(tpath("out/p/q/three.tsv"), F_OK) == 0);
        CHECK(rename(tpath("out/p/q"), tpath("out/p/moved")) == 0);
        CHECK(symlink(tpath("elsewhere"), tpath("out/p/q")) == 0);
        CHECK(xlate_output_write(o, &place, "p/q/four.tsv", "4\n", 2, &err) == 0);
        CHECK(access(tpath("elsewhere/four.tsv"), F_OK) != 0);
        CHECK(access(tpath("out/p/moved/four.tsv"), F_OK) == 0);
        /* A fresh walk of the same path refuses the link. */
        CHECK(xlate_output_write(o, NULL, "p/q/five.tsv", "5\n", 2, &err) == -1);
        xlate_error_clear(&err);
        xlate_output_place_close(&place);
        CHECK(place.fd == -1 && place.dir == NULL);
    }
    CHECK_INT(xlate_output_remove(o, ".state"), 0);
    CHECK(access(tpath("out/.state"), F_OK) != 0);
    xlate_output_free(o);

    /* An archive output is staged in OUTPUT.partial and packed in the order given, its entries
     * stamped with the time the output was opened with. */
    CHECK(xlate_output_open(tpath("packed.tar.gz"), 1234567890, &o, &err) == 0);
    CHECK(xlate_output_is_archive(o));
    CHECK(xlate_output_write(o, NULL, rels[1], "two\n", 4, &err) == 0);
    CHECK(xlate_output_write(o, NULL, rels[0], "one\n", 4, &err) == 0);
    CHECK(xlate_output_finish(o, rels, 2, &err) == 0);
    CHECK(access(tpath("packed.tar.gz.partial"), F_OK) != 0);
    xlate_output_free(o);
    read_all(tpath("packed.tar.gz"), NULL, &g);
    CHECK_INT(g.n, 2);
    if (g.n == 2) {
        CHECK_STR(g.e[0].path, rels[0]);
        CHECK_STR(g.e[0].data, "one\n");
        CHECK_STR(g.e[1].path, rels[1]);
    }
    got_free(&g);
    CHECK_INT(first_entry_mtime(tpath("packed.tar.gz")), 1234567890);
    xlate_error_clear(&err);
}

static void test_shards_and_progress(void) {
    unsigned k, n, counts[3] = {0, 0, 0};
    char line[256];
    xlate_progress_counts c = {100, 100, 25, 400, 2, 0, 5000000, 0, 0, 0};
    CHECK(xlate_shard_parse("2/3", &k, &n) == 0 && k == 2 && n == 3);
    CHECK(xlate_shard_parse("3/3", &k, &n) == -1);
    CHECK(xlate_shard_parse("1/0", &k, &n) == -1);
    CHECK(xlate_shard_parse("x/3", &k, &n) == -1);
    CHECK(xlate_shard_parse("1/3x", &k, &n) == -1);
    /* Stable across runs and machines: FNV-1a of the path without its extension. */
    CHECK_INT(xlate_shard_of("a/b.txt", 3), xlate_shard_of("a/b.md", 3));
    CHECK_INT(xlate_shard_of("news/2024/article-17.txt", 1000), 
              xlate_shard_of("news/2024/article-17.txt", 1000));
    for (int i = 0; i < 300; i++) {
        char p[32];
        snprintf(p, sizeof p, "doc-%d.txt", i);
        counts[xlate_shard_of(p, 3)]++;
    }
    CHECK(counts[0] > 60 && counts[1] > 60 && counts[2] > 60);

    xlate_progress_format_line(&c, 10.0, line, sizeof line);
    CHECK_STR(line, "xlate batch: 25/100 docs, 400 segments, 0.5 MB/s, 2 errors, ETA 0:30");
    c.total = -1;
    c.seen = 30;
    xlate_progress_format_line(&c, 10.0, line, sizeof line);
    CHECK_STR(line, "xlate batch: 25/30+ docs, 400 segments, 0.5 MB/s, 2 errors, ETA ?");

    /* run's line: files, failed segments, and the share of the input's bytes with its ETA. */
    xlate_progress_counts r = {.total = 3, .done = 1, .segments = 3571, .errors = 2,
                               .bytes = 24000000, .total_bytes = 64000000};
    xlate_progress_format_run_line(&r, 10.0, line, sizeof line);
    CHECK_STR(line, "xlate run: 37%, 1/3 files, 3571 segments, 2.4 MB/s, 2 failed, ETA 0:17");
    r.total = 1;
    r.done = 0;
    r.total_bytes = 0; /* standard input: its size is not known */
    xlate_progress_format_run_line(&r, 10.0, line, sizeof line);
    CHECK_STR(line, "xlate run: 3571 segments, 2.4 MB/s, 2 failed");
}

int main(void) {
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_path_clean();
    test_links();
    test_hostile_tar();
    test_zip_cp1251_and_bomb();
    test_corrupt_empty_and_not_archive();
    test_folder_walk();
    test_list_input();
    test_output();
    test_shards_and_progress();
    check_remove_tree(tmpdir);
    return check_result("test_archive");
}
