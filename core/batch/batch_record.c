/*
 * batch_record: the record of what a batch's outputs are made with, and what changed between two
 * records (see batch_record.h). Beside the batch: it reads the run's configuration and the files
 * its options name, never a document. Content hashes are SHA-256 (nettle).
 */
#include "batch_record.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/utf8.h>
#include <unistd.h>

#include "buf.h"
#include "codepage.h"
#include "options.h"
#include "srx.h"
#include "xlate_config.h"

/* The first line: what the rest is, so that another layout is told apart from a change. */
#define RECORD_HEAD "xlate batch record 1"

/* --- hashes -------------------------------------------------------------------------------------- */

/* 64 bits of SHA-256 tell two term maps apart as surely as any reader needs, in a message short
 * enough to read. */
static void hash_hex(struct sha256_ctx *ctx, char out[24]) {
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(ctx, sizeof digest, digest);
    memcpy(out, "sha256:", 7);
    for (int i = 0; i < 8; i++)
        snprintf(out + 7 + 2 * i, 3, "%02x", digest[i]);
}

void xlate_bulk_record_hash(const void *data, size_t len, char out[24]) {
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, len, data);
    hash_hex(&ctx, out);
}

/* How a path an option names is recorded: a regular file by its name and content hash; anything
 * else (a folder, the common prefix of a dictionary's files) by its name alone. */
static int describe_path(xlate_buf *b, const char *path) {
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return xlate_buf_puts(b, path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return xlate_buf_printf(b, "%s (%s)", path, strerror(errno));
    struct sha256_ctx ctx;
    char chunk[64 * 1024], hex[24];
    ssize_t n;
    sha256_init(&ctx);
    while ((n = read(fd, chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            sha256_update(&ctx, (size_t)n, (const uint8_t *)chunk);
    int read_errno = n < 0 ? errno : 0;
    close(fd);
    if (read_errno)
        return xlate_buf_printf(b, "%s (%s)", path, strerror(read_errno));
    hash_hex(&ctx, hex);
    return xlate_buf_printf(b, "%s %s", path, hex);
}

/* --- lines --------------------------------------------------------------------------------------- */

/* NAME TAB VALUE LF; a tab, a newline or a backslash inside the value is escaped, so that a line
 * is one setting whatever a path holds. */
static int put_value(xlate_buf *b, const char *name, const char *value) {
    int rc = xlate_buf_printf(b, "%s\t", name);
    for (const char *p = value; rc == 0 && *p; p++) {
        switch (*p) {
        case '\t': rc = xlate_buf_puts(b, "\\t"); break;
        case '\n': rc = xlate_buf_puts(b, "\\n"); break;
        case '\r': rc = xlate_buf_puts(b, "\\r"); break;
        case '\\': rc = xlate_buf_puts(b, "\\\\"); break;
        default: rc = xlate_buf_putc(b, *p); break;
        }
    }
    return rc || xlate_buf_putc(b, '\n');
}

static int put_fmt(xlate_buf *b, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int put_fmt(xlate_buf *b, const char *name, const char *fmt, ...) {
    char *value;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&value, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    int rc = put_value(b, name, value);
    free(value);
    return rc;
}

static const char *on_off(int v) { return v ? "on" : "off"; }

/* An encoding as its canonical name, so that "cp1251" and "windows-1251" are one. */
static int put_encoding(xlate_buf *b, const char *name, const char *given, const char *none) {
    xlate_encoding_name en;
    if (!given)
        return put_value(b, name, none);
    return put_value(b, name, xlate_encoding_resolve(given, &en, NULL) == 0 ? en.canonical : given);
}

/* --- the settings -------------------------------------------------------------------------------- */

static int put_languages_and_formats(xlate_buf *b, const xlate_bulk_config *cfg) {
    const xlate_pipeline_config *p = cfg->pipeline;
    /* Which files a document gets, not the order --format was given in. */
    char formats[32] = "";
    static const char *const kinds[] = {"", "doc", "xliff", "xliff2"};
    if (cfg->output_kind != XLATE_BULK_RECORDS)
        snprintf(formats, sizeof formats, "%s", kinds[cfg->output_kind]);
    for (int f = XLATE_FORMAT_TSV; cfg->output_kind == XLATE_BULK_RECORDS && f <= XLATE_FORMAT_REVIEW; f++)
        for (size_t i = 0; i < cfg->n_formats; i++)
            if (cfg->formats[i] == (xlate_format)f) {
                snprintf(formats + strlen(formats), sizeof formats - strlen(formats), "%s%s",
                         formats[0] ? "," : "", xlate_format_name((xlate_format)f));
                break;
            }
    return put_value(b, "version", "xlate " XLATE_VERSION) ||
           put_value(b, "--from", p->source_lang ? p->source_lang : "uk") ||
           put_value(b, "--to", p->target_lang ? p->target_lang : "") ||
           put_value(b, "--format", formats) ||
           put_encoding(b, "--output-encoding", cfg->output_encoding, "UTF-8") ||
           put_value(b, "--output-replace", on_off(cfg->output_replace));
}

static int put_apostrophe(xlate_buf *b, const char *form) {
    if (!form)
        return put_value(b, "--apostrophe", "kept as they are");
    int32_t i = 0, len = (int32_t)strlen(form);
    UChar32 c;
    U8_NEXT(form, i, len, c);
    return put_fmt(b, "--apostrophe", "U+%04X", (unsigned)(c < 0 ? 0xFFFD : c));
}

/* How documents are read: the module, and whether their done targets are kept. */
static int put_document_options(xlate_buf *b, const xlate_bulk_config *cfg) {
    return put_value(b, "--input-format", cfg->input_format ? cfg->input_format : "auto") ||
           put_value(b, "--retranslate", on_off(cfg->retranslate));
}

static int put_input_options(xlate_buf *b, const xlate_pipeline_config *p) {
    static const char *const on_invalid[] = {"error", "replace", "skip"};
    static const char *const forms[] = {"nfc", "nfkc", "none"};
    return put_encoding(b, "--encoding", p->decode.encoding, "auto") ||
           put_value(b, "--on-invalid", on_invalid[p->decode.on_invalid]) ||
           put_value(b, "mojibake repair", on_off(p->decode.repair_mojibake)) ||
           put_value(b, "--normalize", forms[p->normalize.form]) ||
           put_apostrophe(b, p->normalize.apostrophe) ||
           put_value(b, "homoglyph fixes", on_off(p->normalize.fix_homoglyphs)) ||
           put_value(b, "space fixes", on_off(p->normalize.fix_spaces));
}

static int put_rules(xlate_buf *b, const char *srx_path) {
    xlate_buf v = XLATE_BUF_INIT;
    int rc;
    if (srx_path) {
        rc = describe_path(&v, srx_path);
    } else {
        size_t len;
        const char *text = xlate_srx_default_text(&len);
        char hex[24];
        xlate_bulk_record_hash(text, len, hex);
        rc = xlate_buf_printf(&v, "built-in rules %s", hex);
    }
    rc = rc || put_value(b, "--srx", v.data);
    xlate_buf_free(&v);
    return rc;
}

/* An option a user would not want written into a folder others may read. */
static int is_secret(const char *name) {
    size_t n = strlen(name);
    return strcmp(name, "key") == 0 || (n > 4 && strcmp(name + n - 4, "_key") == 0) ||
           strstr(name, "password") || strstr(name, "token") || strstr(name, "secret");
}

/* One option's value as the plugin will read it. */
static int describe_option(xlate_buf *v, const xlate_option_spec *spec, const xlate_options *o) {
    const char *raw = xlate_options_get(o, spec->name);
    long long i;
    int flag;
    double d;
    char hex[24];
    if (!raw)
        return xlate_buf_puts(v, "(none)");
    switch (spec->type) {
    case XLATE_OPTION_BOOL:
        if (xlate_options_get_bool(o, spec->name, &flag) == XLATE_OK)
            return xlate_buf_puts(v, on_off(flag));
        break;
    case XLATE_OPTION_INT:
        if (xlate_options_get_int(o, spec->name, &i) == XLATE_OK)
            return xlate_buf_printf(v, "%lld", i);
        break;
    case XLATE_OPTION_DOUBLE:
        if (xlate_options_get_double(o, spec->name, &d) == XLATE_OK)
            return xlate_buf_printf(v, "%.17g", d);
        break;
    case XLATE_OPTION_PATH:
        return describe_path(v, raw);
    default:
        break;
    }
    if (is_secret(spec->name)) {
        xlate_bulk_record_hash(raw, strlen(raw), hex);
        return xlate_buf_printf(v, "(secret) %s", hex);
    }
    return xlate_buf_puts(v, raw);
}

/* "plugin 1 (glossary)": the plugin by its name and version, then each of its options. */
static int put_plugin(xlate_buf *b, size_t index, const xlate_loaded_plugin *lp,
                      const char *options_text, xlate_error *err) {
    const xlate_plugin *d = xlate_loaded_plugin_descriptor(lp);
    xlate_options *o = NULL;
    char name[160];
    snprintf(name, sizeof name, "plugin %zu (%s)", index + 1, d->name);
    int rc = put_fmt(b, name, "%s %s", d->name, d->version ? d->version : "");
    /* The chain checked these options when it loaded; a failure now is memory. */
    if (rc == 0 && xlate_options_parse(d, options_text, &o, err) != 0)
        return -1;
    for (size_t k = 0; rc == 0 && k < d->n_options; k++) {
        char key[256];
        xlate_buf v = XLATE_BUF_INIT;
        snprintf(key, sizeof key, "%s %s", name, d->options[k].name);
        rc = describe_option(&v, &d->options[k], o) || put_value(b, key, v.data ? v.data : "");
        xlate_buf_free(&v);
    }
    xlate_options_free(o);
    return rc;
}

static int put_chain(xlate_buf *b, const xlate_chain *chain, xlate_error *err) {
    size_t n = xlate_chain_length(chain);
    xlate_buf names = XLATE_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = xlate_buf_printf(&names, "%s%s", i ? " " : "",
                              xlate_loaded_plugin_descriptor(xlate_chain_plugin(chain, i))->name);
    rc = rc || put_value(b, "plugins", n ? names.data : "(none)");
    xlate_buf_free(&names);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = put_plugin(b, i, xlate_chain_plugin(chain, i), xlate_chain_options(chain, i), err);
    return rc;
}

int xlate_bulk_record_make(const xlate_bulk_config *cfg, char **out, xlate_error *err) {
    xlate_buf b = XLATE_BUF_INIT;
    int rc = xlate_buf_puts(&b, RECORD_HEAD "\n") || put_languages_and_formats(&b, cfg) ||
             put_document_options(&b, cfg) || put_input_options(&b, cfg->pipeline) || put_rules(&b, cfg->pipeline->srx_path) ||
             put_chain(&b, cfg->chain, err);
    *out = rc ? NULL : xlate_buf_steal(&b, NULL);
    xlate_buf_free(&b);
    if (!*out) {
        if (!err || err->status == XLATE_OK)
            xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    return 0;
}

/* --- differences --------------------------------------------------------------------------------- */

/* The value of setting `name` in `record` ([*value, *value + *len)), or 0 when it has none. */
static int find_setting(const char *record, const char *name, size_t name_len, const char **value,
                        size_t *len) {
    for (const char *line = record; *line;) {
        const char *nl = strchr(line, '\n'), *end = nl ? nl : line + strlen(line);
        const char *tab = memchr(line, '\t', (size_t)(end - line));
        if (tab && (size_t)(tab - line) == name_len && memcmp(line, name, name_len) == 0) {
            *value = tab + 1;
            *len = (size_t)(end - tab - 1);
            return 1;
        }
        line = nl ? nl + 1 : end;
    }
    return 0;
}

/* Adds "NAME: OLD → NEW" for every setting of `a` whose value in `b` differs (`a_is_old`), or —
 * for the settings only `b` has, when `only_missing` — "NAME: (none) → NEW". */
static int add_changes(xlate_buf *out, const char *a, const char *b, int a_is_old,
                       int only_missing) {
    int rc = 0;
    for (const char *line = a; rc == 0 && *line;) {
        const char *nl = strchr(line, '\n'), *end = nl ? nl : line + strlen(line);
        const char *tab = memchr(line, '\t', (size_t)(end - line));
        if (tab) {
            size_t name_len = (size_t)(tab - line), a_len = (size_t)(end - tab - 1), b_len = 0;
            const char *a_val = tab + 1, *b_val = NULL;
            int found = find_setting(b, line, name_len, &b_val, &b_len);
            int differs = !found || b_len != a_len || memcmp(a_val, b_val, a_len) != 0;
            if (differs && (!only_missing || !found)) {
                const char *old_v = a_is_old ? a_val : b_val, *new_v = a_is_old ? b_val : a_val;
                int old_n = (int)(a_is_old ? a_len : b_len), new_n = (int)(a_is_old ? b_len : a_len);
                rc = xlate_buf_printf(out, "%s%.*s: %.*s \xE2\x86\x92 %.*s", out->len ? "; " : "",
                                      (int)name_len, line, old_v ? old_n : 6,
                                      old_v ? old_v : "(none)", new_v ? new_n : 6,
                                      new_v ? new_v : "(none)");
            }
        } else if (line != a) {
            /* a line without a tab that is not the head: a record this xlate did not write */
            rc = xlate_buf_printf(out, "%sthe record holds '%.*s'", out->len ? "; " : "",
                                  (int)(end - line), line);
        }
        line = nl ? nl + 1 : end;
    }
    return rc;
}

char *xlate_bulk_record_diff(const char *recorded, const char *now, int *oom) {
    xlate_buf out = XLATE_BUF_INIT;
    *oom = 0;
    size_t head = strlen(RECORD_HEAD);
    if (strncmp(recorded, RECORD_HEAD, head) != 0 || (recorded[head] != '\n' && recorded[head]))
        xlate_buf_puts(&out, "the record was written in another layout");
    else if (add_changes(&out, recorded, now, 1, 0) || add_changes(&out, now, recorded, 0, 1))
        *oom = 1;
    if (*oom || !out.len) {
        *oom = *oom || (out.len && !out.data);
        xlate_buf_free(&out);
        return NULL;
    }
    return xlate_buf_steal(&out, NULL);
}
