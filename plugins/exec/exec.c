/*
 * exec: the translator plugin that drives any command-line engine reading segments on stdin and
 * writing translations on stdout (a Marian server script, `apertium -z`, a shell filter), kept
 * running for the life of the instance. Two framings: `lines` (one segment a line, newlines and
 * backslashes escaped) and `nul` (each segment ends with a NUL byte, for engines with a
 * null-flush mode); with format=apertium the text goes in Apertium's stream format, for a bare
 * Apertium pipeline. Sits at the translator step of the plugin chain; glossary terms travel as
 * placeholders in a format the engine leaves alone, and failures fail only their segment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlate/plugin.h"

#include "apertium_format.h"
#include "placeholder.h"
#include "wanted.h"
#include "xp_buf.h"
#include "stream.h"

#define MAX_UNITS_IN_FLIGHT 256
#define MAX_BYTES_IN_FLIGHT (64 * 1024)

typedef enum exec_protocol { PROTOCOL_LINES, PROTOCOL_NUL } exec_protocol;
typedef enum exec_format { FORMAT_TEXT, FORMAT_APERTIUM } exec_format;

typedef struct exec_instance {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    exec_protocol protocol;
    exec_format format;
    char *placeholder;
    int force;       /* force=yes: also what a translation memory filled */
    xlate_stream *stream;
    unsigned long long next_id; /* unit ids for format=apertium; never repeated */
} exec_instance;

typedef struct exec_job {
    exec_instance *inst;
    xlate_batch *batch;
    xp_buf text;
    unsigned long long *ids; /* format=apertium: the id each unit was last sent with */
} exec_job;

static const xlate_lang_pair any_pair[] = {{"*", "*"}};

static const xlate_option_spec exec_options[] = {
    {"cmd", XLATE_OPTION_STRING, NULL,
     "the engine's command line, run by /bin/sh; it must answer each segment and flush "
     "(e.g. stdbuf -oL, python3 -u)"},
    {"protocol", XLATE_OPTION_STRING, "lines",
     "lines: one segment a line, \\n and \\\\ escaped both ways; nul: each segment ends with NUL"},
    {"timeout", XLATE_OPTION_INT, "30",
     "seconds to wait for one answer before the engine is deemed hung, killed and restarted"},
    {"placeholder", XLATE_OPTION_STRING, "[XT%u]",
     "how glossary terms are hidden from the engine: a printf format with one %u"},
    {"format", XLATE_OPTION_STRING, "text",
     "text: segments as they are; apertium: Apertium's stream format (escapes, superblanks), for "
     "an Apertium pipeline such as 'apertium -z -u -f none eng-spa' with protocol=nul"},
    XLATE_WANTED_FORCE_OPTION,
};

/* One %u and no other conversion: the host formats placeholders with it. */
static int valid_placeholder(const char *format) {
    int conversions = 0;
    for (const char *p = format; *p; p++) {
        if (*p != '%')
            continue;
        if (p[1] == '%') {
            p++;
        } else if (p[1] == 'u') {
            conversions++;
            p++;
        } else {
            return 0;
        }
    }
    return conversions == 1;
}

static int read_options(exec_instance *inst, const xlate_options *options, const char **cmd,
                        long long *timeout_s) {
    const xlate_host *h = inst->host;
    *cmd = h->option(options, "cmd");
    const char *protocol = h->option(options, "protocol");
    const char *placeholder = h->option(options, "placeholder");
    h->option_int(options, "timeout", timeout_s);
    h->option_bool(options, "force", &inst->force);
    if (!*cmd || !**cmd) {
        h->set_error(inst->ctx, "no engine command: give cmd=, e.g. --plugin "
                                "'exec:cmd=python3 -u my_engine.py,protocol=lines'");
        return XLATE_EINVAL;
    }
    if (protocol && strcmp(protocol, "lines") == 0) {
        inst->protocol = PROTOCOL_LINES;
    } else if (protocol && strcmp(protocol, "nul") == 0) {
        inst->protocol = PROTOCOL_NUL;
    } else {
        h->set_error(inst->ctx, "protocol=%s is not known; use lines or nul", protocol);
        return XLATE_EINVAL;
    }
    const char *format = h->option(options, "format");
    if (format && strcmp(format, "text") == 0) {
        inst->format = FORMAT_TEXT;
    } else if (format && strcmp(format, "apertium") == 0 && inst->protocol == PROTOCOL_NUL) {
        inst->format = FORMAT_APERTIUM;
        placeholder = XLATE_APERTIUM_PLACEHOLDER;
    } else {
        h->set_error(inst->ctx, "format=%s is not known or needs protocol=nul; use text, or "
                                "apertium with protocol=nul", format ? format : "");
        return XLATE_EINVAL;
    }
    if (!placeholder || !valid_placeholder(placeholder)) {
        h->set_error(inst->ctx, "placeholder=%s must be a printf format with exactly one %%u, "
                                "e.g. [XT%%u]", placeholder ? placeholder : "");
        return XLATE_EINVAL;
    }
    if (*timeout_s <= 0 || *timeout_s > 86400) {
        h->set_error(inst->ctx, "timeout=%lld is out of range; give seconds from 1 to 86400",
                     *timeout_s);
        return XLATE_EINVAL;
    }
    inst->placeholder = strdup(placeholder);
    return inst->placeholder ? XLATE_OK : XLATE_ENOMEM;
}

static void exec_destroy(void *instance) {
    exec_instance *inst = instance;
    xlate_stream_close(inst->stream);
    free(inst->placeholder);
    free(inst);
}

static int exec_create(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *options,
                       void **instance) {
    exec_instance *inst = calloc(1, sizeof *inst);
    if (!inst) {
        host->set_error(ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    inst->host = host;
    inst->ctx = ctx;
    const char *cmd = NULL;
    long long timeout_s = 30;
    int rc = read_options(inst, options, &cmd, &timeout_s);
    if (rc == XLATE_OK) {
        /* The shell gives users pipes, quoting and environment settings in cmd. */
        char *argv[] = {"/bin/sh", "-c", (char *)cmd, NULL};
        char *const *cmds[] = {argv};
        xlate_stream_config config = {
            .cmds = cmds,
            .n_cmds = 1,
            .delim = inst->protocol == PROTOCOL_NUL ? '\0' : '\n',
            .timeout_ms = (int)(timeout_s * 1000),
            .max_in_flight = MAX_UNITS_IN_FLIGHT,
            .max_bytes_in_flight = MAX_BYTES_IN_FLIGHT,
        };
        char err[512];
        if (xlate_stream_open(&inst->stream, &config, err, sizeof err) != 0) {
            host->set_error(ctx, "%s", err);
            rc = XLATE_ERROR;
        }
    }
    if (rc != XLATE_OK) {
        exec_destroy(inst);
        return rc;
    }
    *instance = inst;
    return XLATE_OK;
}

/* lines: a segment's own newlines would end the unit early, so they and the escape character
 * itself travel escaped. */
static void encode_line(const char *text, size_t len, xp_buf *out) {
    for (size_t i = 0; i < len; i++) {
        switch (text[i]) {
        case '\\': xp_buf_puts(out, "\\\\"); break;
        case '\n': xp_buf_puts(out, "\\n"); break;
        case '\r': xp_buf_puts(out, "\\r"); break;
        default: xp_buf_putc(out, text[i]);
        }
    }
    xp_buf_putc(out, '\n');
}

static void decode_line(const char *answer, size_t len, xp_buf *out) {
    if (len > 0 && answer[len - 1] == '\r')
        len--;
    for (size_t i = 0; i < len; i++) {
        if (answer[i] == '\\' && i + 1 < len && strchr("\\nr", answer[i + 1])) {
            char c = answer[++i];
            xp_buf_putc(out, c == 'n' ? '\n' : c == 'r' ? '\r' : '\\');
        } else {
            xp_buf_putc(out, answer[i]);
        }
    }
}

static int job_wanted(void *data, size_t k) {
    exec_job *job = data;
    return xlate_translator_wants(job->inst->host, job->batch, k, job->inst->force);
}

static int job_encode(void *data, size_t k, xp_buf *out) {
    exec_job *job = data;
    const xlate_host *h = job->inst->host;
    char *masked = NULL;
    size_t len;
    const char *text;
    if (xlate_placeholder_needed(h, job->batch, k)) {
        if (h->segment_masked_source(job->batch, k, job->inst->placeholder, &masked, &len) != XLATE_OK) {
            xp_buf_puts(out, "cannot protect the segment's glossary terms (masking failed)");
            return -1;
        }
        text = masked;
    } else {
        text = h->segment_source(job->batch, k, &len);
    }
    int rc = 0;
    if (job->inst->format == FORMAT_APERTIUM) {
        job->ids[k] = job->inst->next_id++;
        xlate_apertium_encode(text, len, NULL, 0, job->ids[k], out);
    } else if (job->inst->protocol == PROTOCOL_LINES) {
        encode_line(text, len, out);
    } else if (memchr(text, '\0', len)) {
        xp_buf_puts(out, "the segment holds a NUL byte, which protocol=nul cannot carry");
        rc = -1;
    } else {
        xp_buf_append(out, text, len);
        xp_buf_putc(out, '\0');
    }
    if (masked)
        h->free(masked);
    return rc;
}

static int job_accept(void *data, size_t k, const char *answer, size_t len) {
    exec_job *job = data;
    const xlate_host *h = job->inst->host;
    xp_buf_reset(&job->text);
    if (job->inst->format == FORMAT_APERTIUM) {
        if (xlate_apertium_decode(answer, len, job->ids[k], &job->text, NULL) != 0)
            return -1;
    } else if (job->inst->protocol == PROTOCOL_LINES)
        decode_line(answer, len, &job->text);
    else
        xp_buf_append(&job->text, answer, len);
    const char *text = job->text.data ? job->text.data : "";
    if (xlate_placeholder_needed(h, job->batch, k))
        h->segment_set_unmasked_target(job->batch, k, job->inst->placeholder, text, job->text.len);
    else
        h->segment_set_target(job->batch, k, text, job->text.len);
    return 0;
}

static void job_fail(void *data, size_t k, const char *message) {
    exec_job *job = data;
    char full[1024];
    snprintf(full, sizeof full, "exec: %s", message);
    job->inst->host->segment_fail(job->batch, k, full);
}

static int exec_process(void *instance, xlate_batch *batch) {
    exec_instance *inst = instance;
    size_t n = inst->host->batch_count(batch);
    exec_job job = {inst, batch, XP_BUF_INIT, calloc(n + 1, sizeof(unsigned long long))};
    if (!job.ids) {
        inst->host->set_error(inst->ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    xlate_stream_job sj = {n, &job, job_wanted, job_encode, job_accept, job_fail};
    char err[512];
    int rc = xlate_stream_run(inst->stream, &sj, err, sizeof err);
    xp_buf_free(&job.text);
    free(job.ids);
    if (rc != 0) {
        inst->host->set_error(inst->ctx, "the engine cannot be started again: %s", err);
        return XLATE_ERROR;
    }
    return XLATE_OK;
}

static const xlate_plugin exec_plugin = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "exec",
    .version = "1.0.0",
    .description = "any command-line engine, segments on stdin and translations on stdout, kept running",
    .kind = XLATE_KIND_TRANSLATOR,
    .pairs = any_pair,
    .n_pairs = 1,
    .options = exec_options,
    .n_options = sizeof exec_options / sizeof exec_options[0],
    .create = exec_create,
    .process = exec_process,
    .destroy = exec_destroy,
    .enumerate_pairs = NULL,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    if (!host || XLATE_ABI_VERSION_MAJOR(host->abi_version) != XLATE_ABI_MAJOR)
        return NULL;
    return &exec_plugin;
}
