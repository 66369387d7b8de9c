/*
 * archive_in: the input side of a batch, before decode. Turns a folder, a tar/zip archive
 * (libarchive) or a list of paths into a stream of entries — a document's bytes, or an entry that
 * is skipped or rejected with its reason — one at a time, so that memory holds one document and
 * never the archive. The safety checks live here: nothing that could make a later stage write
 * outside the output (absolute names, "..", links leading out, devices, names that are not UTF-8)
 * gets past as a document, and entry size and compression ratio limits stop zip bombs.
 */
#include "archive_in.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unicode/utf8.h>

#include "buf.h"
#include "readfile.h"
#include "detect.h"
#include "utf8.h"

/* The folder the batch keeps its own state in, inside the output; no input may name it. */
#define STATE_DIR_NAME ".xlate-state"

/* How many bytes are looked at to tell text from binary, and how much of an entry must have been
 * read before its compression ratio is judged (small entries cannot be bombs, and the compressed
 * side of a small entry is blurred by libarchive's read-ahead). */
enum { RATIO_MIN_BYTES = 1 << 20, READ_CHUNK = 64 * 1024 };

typedef enum input_kind { INPUT_FOLDER, INPUT_LIST, INPUT_ARCHIVE } input_kind;

/* A folder walk or a list is gathered at open, so its total is known up front. */
typedef struct listed_entry {
    char *name;     /* the path as the entry is named (relative for folders) */
    char *open_at;  /* the path to open() */
    size_t position; /* its place among all the input's entries (xlate_entry.position) */
} listed_entry;

struct xlate_input {
    input_kind kind;
    xlate_input_options opts;
    char *spec;
    /* folder and list */
    listed_entry *list;
    size_t n_list, cap_list, next;
    char *root_real;     /* realpath of the input folder */
    char *exclude_real;  /* realpath of the folder not to walk into */
    /* archive */
    struct archive *ar;
    /* libarchive hands out names in the locale's charset and fails on UTF-8 names under "C";
     * the reading thread switches to this UTF-8 locale (a thread-local uselocale, not the
     * process's setlocale) while it reads. (locale_t)0 when the system has none. */
    locale_t utf8_locale;
    size_t n_read;       /* entries read so far, for messages */
    /* Entries met so far, this shard's or not, folders aside: the next entry's position. */
    size_t n_seen;
    size_t last_position; /* the position of the entry next_archived returned last */
    char *last_name;     /* the last entry read, for messages */
};

const char *xlate_entry_kind_name(xlate_entry_kind k) {
    switch (k) {
    case XLATE_ENTRY_DOCUMENT: return "document";
    case XLATE_ENTRY_SKIPPED: return "skipped";
    case XLATE_ENTRY_REJECTED: return "rejected";
    case XLATE_ENTRY_FAILED: return "failed";
    }
    return "unknown";
}

void xlate_entry_free(xlate_entry *e) {
    if (!e)
        return;
    free(e->path);
    free(e->reason);
    free(e->data);
    memset(e, 0, sizeof *e);
}

/* --- checks ------------------------------------------------------------------------------------ */

/* Whether printable_name would leave the name as it is: valid UTF-8, no control character, DEL
 * or backslash. */
static int is_printable_utf8(const char *name, size_t len) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c == 0x7f || c == '\\')
            return 0;
    }
    return xlate_utf8_first_invalid(name, len, NULL) == len;
}

/* The name with bytes that are not UTF-8 or not printable shown as \xNN, for messages. */
static char *printable_name(const char *name) {
    xlate_buf b = XLATE_BUF_INIT;
    const uint8_t *u = (const uint8_t *)name;
    size_t len = strlen(name), i = 0;
    if (is_printable_utf8(name, len))
        return strdup(name); /* every name of a sound archive: no character by character copy */
    while (i < len) {
        size_t at = i;
        UChar32 c;
        U8_NEXT(u, i, len, c);
        if (c < 0x20 || c == 0x7f || c == '\\') {
            for (size_t k = at; k < i; k++)
                xlate_buf_printf(&b, "\\x%02X", u[k]);
        } else {
            xlate_buf_append(&b, name + at, i - at);
        }
    }
    return xlate_buf_steal(&b, NULL);
}

/* Whether some part of the path between slashes is empty, "." or "..". */
static int has_dot_or_empty_part(const char *path) {
    for (const char *p = path;;) {
        size_t n = strcspn(p, "/");
        if (n == 0 || (p[0] == '.' && (n == 1 || (n == 2 && p[1] == '.'))))
            return 1;
        if (!p[n])
            return 0;
        p += n + 1;
    }
}

char *xlate_entry_path_clean(const char *name, const char **why) {
    size_t len = strlen(name);
    xlate_buf b = XLATE_BUF_INIT;
    const char *p = name;
    *why = NULL;
    if (xlate_utf8_first_invalid(name, len, NULL) != len) {
        *why = "the name is not valid UTF-8";
        return NULL;
    }
    if (name[0] == '/') {
        *why = "an absolute path";
        return NULL;
    }
    /* A drive letter ("C:") or a backslash is a Windows path that a Windows reader would place
     * elsewhere than a POSIX one; neither belongs in a portable archive name. */
    if (((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z')) &&
        name[1] == ':') {
        *why = "an absolute path (drive letter)";
        return NULL;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c == 0x7f) {
            *why = "the name holds a control character";
            return NULL;
        }
        if (c == '\\') {
            *why = "the name holds a backslash";
            return NULL;
        }
    }
    /* A name with no empty, "." or ".." part is its own clean form: copied whole, not part by
     * part (every entry of an archive passes here, on the reading thread). */
    int whole = !has_dot_or_empty_part(name);
    if (whole && xlate_buf_append(&b, name, len) != 0) {
        *why = "out of memory";
        return NULL;
    }
    while (!whole && *p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            xlate_buf_free(&b);
            *why = "the path has a \"..\" part";
            return NULL;
        }
        if (n > 0 && !(n == 1 && p[0] == '.')) {
            if ((b.len && xlate_buf_putc(&b, '/')) || xlate_buf_append(&b, p, n)) {
                xlate_buf_free(&b);
                *why = "out of memory";
                return NULL;
            }
        }
        p += n;
        if (*p == '/')
            p++;
    }
    if (b.len == 0) {
        xlate_buf_free(&b);
        *why = "an empty name";
        return NULL;
    }
    if (strncmp(b.data, STATE_DIR_NAME, strlen(STATE_DIR_NAME)) == 0 &&
        (b.data[strlen(STATE_DIR_NAME)] == '/' || b.data[strlen(STATE_DIR_NAME)] == '\0')) {
        xlate_buf_free(&b);
        *why = "the name " STATE_DIR_NAME " is reserved for the batch's own state";
        return NULL;
    }
    return xlate_buf_steal(&b, NULL);
}

int xlate_link_stays_inside(const char *path, const char *target, int symbolic) {
    /* Walk the parts lexically, counting the depth below the root; going above it is leaving. */
    long depth = 0;
    const char *p;
    if (!target || !*target || target[0] == '/')
        return 0;
    if (symbolic) {
        for (p = path; *p; p++)
            if (*p == '/')
                depth++;
    }
    p = target;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (--depth < 0)
                return 0;
        } else if (n > 0 && !(n == 1 && p[0] == '.')) {
            depth++;
        }
        p += n;
        if (*p == '/')
            p++;
    }
    return 1;
}

/* --- entries ----------------------------------------------------------------------------------- */

static int set_entry(xlate_entry *e, xlate_entry_kind kind, char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Fills *e, taking `path`. Returns 0, or -1 when out of memory. */
static int set_entry(xlate_entry *e, xlate_entry_kind kind, char *path, const char *fmt, ...) {
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->path = path;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        if (vasprintf(&e->reason, fmt, ap) < 0)
            e->reason = NULL;
        va_end(ap);
    }
    return e->path && (!fmt || e->reason) ? 0 : -1;
}

static char *dup_str(const char *s) {
    return strdup(s ? s : "");
}

/* A document's bytes have been read: text becomes a document, binary data is skipped — by the
 * rule every command applies (detect.h), so that batch skips what run refuses. */
static int classify_data(const xlate_input *in, xlate_entry *e, char *path, xlate_buf *data) {
    xlate_binary_check chk;
    if (xlate_detect_binary(data->data ? data->data : "", data->len, in->opts.encoding, &chk)) {
        char sign[96];
        xlate_binary_describe(&chk, sign, sizeof sign);
        xlate_buf_free(data);
        return set_entry(e, XLATE_ENTRY_SKIPPED, path, "binary data (%s), not text", sign);
    }
    if (set_entry(e, XLATE_ENTRY_DOCUMENT, path, NULL)) {
        xlate_buf_free(data);
        return -1;
    }
    e->data = xlate_buf_steal(data, &e->len);
    return e->data ? 0 : -1;
}

/* --- folders and lists ------------------------------------------------------------------------- */

static int list_add(xlate_input *in, const char *name, const char *open_at, size_t position) {
    if (in->n_list == in->cap_list) {
        size_t cap = in->cap_list ? in->cap_list * 2 : 64;
        listed_entry *l = realloc(in->list, cap * sizeof *l);
        if (!l)
            return -1;
        in->list = l;
        in->cap_list = cap;
    }
    in->list[in->n_list].name = strdup(name);
    in->list[in->n_list].open_at = strdup(open_at);
    in->list[in->n_list].position = position;
    if (!in->list[in->n_list].name || !in->list[in->n_list].open_at) {
        free(in->list[in->n_list].name);
        free(in->list[in->n_list].open_at);
        return -1;
    }
    in->n_list++;
    return 0;
}

static int wanted(const xlate_input *in, const char *name) {
    return !in->opts.want || in->opts.want(in->opts.want_data, name);
}

/* Byte order, not the locale's collation, so that every machine walks a folder the same way. */
static int compare_names(const struct dirent **a, const struct dirent **b) {
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_dot(const struct dirent *d) {
    return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

static int walk_folder(xlate_input *in, const char *dir, const char *rel, xlate_error *err) {
    struct dirent **names = NULL;
    int n = scandir(dir, &names, not_dot, compare_names), rc = 0;
    if (n < 0) {
        xlate_error_set(err, XLATE_ERROR, "%s: cannot read the folder: %s", dir, strerror(errno));
        return -1;
    }
    for (int i = 0; i < n; i++) {
        char *full = NULL, *name = NULL;
        struct stat st;
        if (rc == 0) {
            if (asprintf(&full, "%s/%s", dir, names[i]->d_name) < 0 ||
                asprintf(&name, "%s%s%s", rel, *rel ? "/" : "", names[i]->d_name) < 0) {
                xlate_error_set(err, XLATE_ENOMEM, "out of memory");
                rc = -1;
            } else if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
                char *real = realpath(full, NULL);
                int excluded = real && in->exclude_real && strcmp(real, in->exclude_real) == 0;
                free(real);
                if (!excluded)
                    rc = walk_folder(in, full, name, err);
            } else {
                size_t position = in->n_seen++;
                if (wanted(in, name) && list_add(in, name, full, position)) {
                    xlate_error_set(err, XLATE_ENOMEM, "out of memory");
                    rc = -1;
                }
            }
        }
        free(full);
        free(name);
        free(names[i]);
    }
    free(names);
    return rc;
}

static int read_list(xlate_input *in, FILE *list, xlate_error *err) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, list)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            continue;
        size_t position = in->n_seen++;
        if (wanted(in, line) && list_add(in, line, line, position)) {
            free(line);
            xlate_error_set(err, XLATE_ENOMEM, "out of memory");
            return -1;
        }
    }
    free(line);
    if (ferror(list)) {
        xlate_error_set(err, XLATE_ERROR, "-: cannot read the list of paths on stdin: %s",
                        strerror(errno));
        return -1;
    }
    return 0;
}

/* The path under the root that a symlink in a folder resolves to, or NULL when it leaves. */
static int resolves_inside(const xlate_input *in, const char *real) {
    size_t n;
    if (!in->root_real)
        return 1; /* a list names its files itself; the user chose them */
    n = strlen(in->root_real);
    return strncmp(real, in->root_real, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

static int next_listed(xlate_input *in, xlate_entry *e, xlate_error *err) {
    listed_entry *l = &in->list[in->next++];
    const char *why = NULL;
    char *clean = xlate_entry_path_clean(l->name, &why);
    char *shown = printable_name(l->name), *real = NULL;
    struct stat st;
    xlate_buf data = XLATE_BUF_INIT;
    int fd, rc;
    if (!shown) {
        free(clean);
        goto oom;
    }
    if (!clean) {
        if (why && strcmp(why, "out of memory") == 0)
            goto oom;
        /* A list names files to read; "/abs/x.txt" is fine there, and its output goes under
         * OUTPUT/abs/x... But ".." would climb out of OUTPUT. */
        if (in->kind == INPUT_LIST && l->name[0] == '/' && strcmp(why, "an absolute path") == 0) {
            const char *p = l->name;
            while (*p == '/')
                p++;
            clean = xlate_entry_path_clean(p, &why);
        }
        if (!clean) {
            rc = set_entry(e, XLATE_ENTRY_REJECTED, shown, "unsafe name: %s", why);
            shown = NULL; /* e owns it now */
            goto done;
        }
    }
    free(shown);
    shown = NULL;
    if (lstat(l->open_at, &st) != 0) {
        rc = set_entry(e, XLATE_ENTRY_FAILED, clean, "cannot read it: %s", strerror(errno));
        goto done;
    }
    if (S_ISLNK(st.st_mode)) {
        real = realpath(l->open_at, NULL);
        if (!real || !resolves_inside(in, real)) {
            rc = set_entry(e, XLATE_ENTRY_REJECTED, clean,
                           "a symbolic link that leads outside the input folder");
            goto done;
        }
        if (stat(real, &st) != 0 || S_ISDIR(st.st_mode)) {
            rc = set_entry(e, XLATE_ENTRY_SKIPPED, clean,
                           "a symbolic link to a folder (not followed, to avoid loops)");
            goto done;
        }
    }
    if (!S_ISREG(st.st_mode)) {
        rc = set_entry(e, XLATE_ENTRY_REJECTED, clean,
                       "not a regular file (a device, FIFO or socket)");
        goto done;
    }
    if ((uint64_t)st.st_size > in->opts.max_doc_size) {
        char size[32], limit[32];
        xlate_size_words(size, sizeof size, (uint64_t)st.st_size);
        xlate_size_words(limit, sizeof limit, in->opts.max_doc_size);
        rc = set_entry(e, XLATE_ENTRY_FAILED, clean,
                       "too large: %s, the limit is %s (raise it with --max-doc-size)", size, limit);
        goto done;
    }
    fd = open(real ? real : l->open_at, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        rc = set_entry(e, XLATE_ENTRY_FAILED, clean, "cannot open it: %s", strerror(errno));
        goto done;
    }
    if (xlate_read_fd(fd, in->opts.max_doc_size, &data, &why)) {
        close(fd);
        xlate_buf_free(&data);
        if (strcmp(why, "too large") == 0) {
            char limit[32];
            xlate_size_words(limit, sizeof limit, in->opts.max_doc_size);
            rc = set_entry(e, XLATE_ENTRY_FAILED, clean,
                           "too large: more than %s (raise the limit with --max-doc-size)", limit);
        } else {
            rc = set_entry(e, XLATE_ENTRY_FAILED, clean, "cannot read it: %s", why);
        }
        goto done;
    }
    close(fd);
    rc = classify_data(in, e, clean, &data);
done:
    free(real);
    if (rc == 0)
        return 1;
    xlate_entry_free(e);
oom:
    free(shown);
    xlate_error_set(err, XLATE_ENOMEM, "out of memory");
    return -1;
}

/* --- archives ---------------------------------------------------------------------------------- */

static int open_archive(xlate_input *in, xlate_error *err) {
    in->ar = archive_read_new();
    if (!in->ar) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    archive_read_support_filter_all(in->ar);
    archive_read_support_format_tar(in->ar);
    archive_read_support_format_gnutar(in->ar);
    archive_read_support_format_zip(in->ar);
    archive_read_support_format_empty(in->ar);
    if (archive_read_open_filename(in->ar, in->spec, READ_CHUNK) != ARCHIVE_OK) {
        xlate_error_set(err, XLATE_ERROR,
                        "%s: not an archive xlate can read (%s): it is corrupt or truncated, "
                        "or not a .tar, .tar.gz/.tgz, .tar.bz2, .tar.xz, .tar.zst or .zip; give "
                        "one of those or a folder",
                        in->spec, archive_error_string(in->ar));
        return -1;
    }
    return 0;
}

/* `inside`: the damage is in the data of the entry just read, not after it. */
static void archive_failure(xlate_input *in, xlate_error *err, int inside) {
    const char *why = archive_error_string(in->ar) ? archive_error_string(in->ar) : "read error";
    long long at = (long long)archive_filter_bytes(in->ar, -1);
    if (inside)
        xlate_error_set(err, XLATE_ERROR,
                        "%s: the archive is corrupt or truncated at byte %lld, inside entry \"%s\": "
                        "%s; the entries before it were processed",
                        in->spec, at, in->last_name ? in->last_name : "", why);
    else if (in->last_name)
        xlate_error_set(err, XLATE_ERROR,
                        "%s: the archive is corrupt or truncated at byte %lld, after entry \"%s\": "
                        "%s; the entries before it were processed",
                        in->spec, at, in->last_name, why);
    else
        xlate_error_set(err, XLATE_ERROR,
                        "%s: the archive is corrupt or truncated at byte %lld, at its first entry: "
                        "%s",
                        in->spec, at, why);
}

/* Reads the current entry's data up to the limits. Returns 0 with the bytes, 1 when a limit was
 * hit (reason set), -1 when the archive broke (err set). */
static int read_entry_data(xlate_input *in, struct archive_entry *ae, xlate_buf *data,
                           char *reason, size_t reason_cap, xlate_error *err) {
    int64_t raw_start = archive_filter_bytes(in->ar, -1);
    char chunk[READ_CHUNK], limit[32];
    if (archive_entry_size_is_set(ae) && (uint64_t)archive_entry_size(ae) > in->opts.max_doc_size) {
        char size[32];
        xlate_size_words(limit, sizeof limit, in->opts.max_doc_size);
        xlate_size_words(size, sizeof size, (uint64_t)archive_entry_size(ae));
        snprintf(reason, reason_cap,
                 "too large: %s uncompressed, the limit is %s (raise it with --max-doc-size)",
                 size, limit);
        return 1;
    }
    /* The size the header declares, reserved exactly: appending chunk by chunk would double the
     * buffer up to twice the document, and every document waiting in the queue would hold that
     * slack. A header that lies only costs a reallocation. */
    if (archive_entry_size_is_set(ae) && archive_entry_size(ae) > 0 &&
        xlate_buf_reserve_exact(data, (size_t)archive_entry_size(ae))) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    for (;;) {
        la_ssize_t got = archive_read_data(in->ar, chunk, sizeof chunk);
        if (got == 0)
            return 0;
        if (got < 0) {
            archive_failure(in, err, 1);
            return -1;
        }
        if (data->len + (size_t)got > in->opts.max_doc_size) {
            xlate_size_words(limit, sizeof limit, in->opts.max_doc_size);
            snprintf(reason, reason_cap,
                     "too large: more than %s uncompressed (raise the limit with --max-doc-size)",
                     limit);
            return 1;
        }
        if (xlate_buf_append(data, chunk, (size_t)got)) {
            xlate_error_set(err, XLATE_ENOMEM, "out of memory");
            return -1;
        }
        if (data->len >= RATIO_MIN_BYTES) {
            int64_t raw = archive_filter_bytes(in->ar, -1) - raw_start;
            double ratio = (double)data->len / (double)(raw > 0 ? raw : 1);
            if (ratio > in->opts.max_ratio) {
                snprintf(reason, reason_cap,
                         "compression ratio above %.0f:1 (a zip bomb?): %zu bytes came out of "
                         "%lld compressed; raise the limit with --max-ratio if it is real text",
                         in->opts.max_ratio, data->len, (long long)raw);
                return 1;
            }
        }
    }
}

/* The UTF-8 name when libarchive knows it (zip's UTF-8 flag, pax headers), else the raw bytes,
 * which the name check then judges. Under the UTF-8 locale the locale's name is that UTF-8 name
 * whenever it is valid UTF-8, and asking for it costs nothing, while asking for the UTF-8 name
 * converts it through wide characters each time: for short news items that was 8% of the
 * reading thread's instructions. */
static const char *entry_name(const xlate_input *in, struct archive_entry *ae) {
    const char *name = in->utf8_locale ? archive_entry_pathname(ae) : NULL;
    size_t len = name ? strlen(name) : 0;
    if (name && xlate_utf8_first_invalid(name, len, NULL) == len)
        return name;
    if ((name = archive_entry_pathname_utf8(ae)) == NULL)
        name = archive_entry_pathname(ae);
    return name ? name : "";
}

static int next_archived(xlate_input *in, xlate_entry *e, xlate_error *err) {
    for (;;) {
        struct archive_entry *ae;
        const char *name, *why = NULL, *link;
        char *clean, reason[512];
        xlate_buf data = XLATE_BUF_INIT;
        mode_t type;
        int r = archive_read_next_header(in->ar, &ae), rc;
        if (r == ARCHIVE_EOF)
            return 0;
        if (r < ARCHIVE_WARN) {
            archive_failure(in, err, 0);
            return -1;
        }
        in->n_read++;
        name = entry_name(in, ae);
        free(in->last_name);
        in->last_name = printable_name(name);
        type = archive_entry_filetype(ae);
        if (type == AE_IFDIR)
            continue; /* folders are made as their documents need them */
        in->last_position = in->n_seen++;
        if (!wanted(in, name))
            continue;
        clean = xlate_entry_path_clean(name, &why);
        if (!clean) {
            char *shown = printable_name(name);
            rc = set_entry(e, XLATE_ENTRY_REJECTED, shown, "unsafe name: %s", why);
        } else if ((link = archive_entry_symlink(ae)) != NULL || type == AE_IFLNK) {
            rc = xlate_link_stays_inside(clean, link, 1)
                     ? set_entry(e, XLATE_ENTRY_SKIPPED, clean,
                                 "a symbolic link (to \"%s\"), not a document", link)
                     : set_entry(e, XLATE_ENTRY_REJECTED, clean,
                                 "a symbolic link that leads outside the archive (to \"%s\")",
                                 link ? link : "");
        } else if ((link = archive_entry_hardlink(ae)) != NULL) {
            rc = xlate_link_stays_inside(clean, link, 0)
                     ? set_entry(e, XLATE_ENTRY_SKIPPED, clean,
                                 "a hard link to \"%s\", translated under that name", link)
                     : set_entry(e, XLATE_ENTRY_REJECTED, clean,
                                 "a hard link that leads outside the archive (to \"%s\")", link);
        } else if (type != AE_IFREG) {
            rc = set_entry(e, XLATE_ENTRY_REJECTED, clean,
                           "not a regular file (a device, FIFO or socket)");
        } else {
            r = read_entry_data(in, ae, &data, reason, sizeof reason, err);
            if (r < 0) {
                xlate_buf_free(&data);
                free(clean);
                return -1;
            }
            if (r == 1) {
                xlate_buf_free(&data);
                rc = set_entry(e, XLATE_ENTRY_FAILED, clean, "%s", reason);
            } else {
                rc = classify_data(in, e, clean, &data);
            }
        }
        if (rc) {
            xlate_entry_free(e);
            xlate_error_set(err, XLATE_ENOMEM, "out of memory");
            return -1;
        }
        return 1;
    }
}

/* --- the input --------------------------------------------------------------------------------- */

int xlate_input_open(const char *spec, const xlate_input_options *opts, FILE *list,
                     xlate_input **out, xlate_error *err) {
    xlate_input *in = calloc(1, sizeof *in);
    struct stat st;
    int rc = 0;
    *out = NULL;
    if (!in || !(in->spec = dup_str(spec))) {
        free(in);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    if (opts) {
        in->opts = *opts;
    } else {
        xlate_input_options def = XLATE_INPUT_OPTIONS_INIT;
        in->opts = def;
    }
    in->opts.exclude_dir = NULL; /* kept as its realpath below; the caller's string may go */
    if (strcmp(spec, "-") == 0) {
        in->kind = INPUT_LIST;
        rc = read_list(in, list ? list : stdin, err);
    } else if (stat(spec, &st) != 0) {
        xlate_error_set(err, XLATE_ERROR, "%s: cannot read the input: %s", spec,
                        strerror(errno));
        rc = -1;
    } else if (S_ISDIR(st.st_mode)) {
        in->kind = INPUT_FOLDER;
        in->root_real = realpath(spec, NULL);
        if (opts && opts->exclude_dir)
            in->exclude_real = realpath(opts->exclude_dir, NULL);
        rc = in->root_real ? walk_folder(in, spec, "", err) : -1;
        if (!in->root_real)
            xlate_error_set(err, XLATE_ERROR, "%s: %s", spec, strerror(errno));
    } else {
        in->kind = INPUT_ARCHIVE;
        in->utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
        if (!in->utf8_locale)
            in->utf8_locale = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", (locale_t)0);
        rc = open_archive(in, err);
    }
    if (rc) {
        xlate_input_free(in);
        return -1;
    }
    *out = in;
    return 0;
}

long long xlate_input_total(const xlate_input *in) {
    return in->kind == INPUT_ARCHIVE ? -1 : (long long)in->n_list;
}

int xlate_input_next(xlate_input *in, xlate_entry *e, xlate_error *err) {
    memset(e, 0, sizeof *e);
    if (in->kind == INPUT_ARCHIVE) {
        locale_t old = in->utf8_locale ? uselocale(in->utf8_locale) : (locale_t)0;
        int r = next_archived(in, e, err);
        if (old)
            uselocale(old);
        if (r == 1)
            e->position = in->last_position;
        return r;
    }
    if (in->next >= in->n_list)
        return 0;
    size_t position = in->list[in->next].position;
    int r = next_listed(in, e, err);
    if (r == 1)
        e->position = position;
    return r;
}

void xlate_input_free(xlate_input *in) {
    if (!in)
        return;
    for (size_t i = 0; i < in->n_list; i++) {
        free(in->list[i].name);
        free(in->list[i].open_at);
    }
    free(in->list);
    if (in->ar)
        archive_read_free(in->ar);
    if (in->utf8_locale)
        freelocale(in->utf8_locale);
    free(in->root_real);
    free(in->exclude_real);
    free(in->last_name);
    free(in->spec);
    free(in);
}
