/*
 * http: the translator plugin that sends segments to a translation service over HTTP(S) — Apertium
 * APy, LibreTranslate, DeepL, Google Cloud Translation (v2), Microsoft Translator (v3), ModernMT.
 * Sits at the translator step of the plugin chain. This file is the driver all services share:
 * options, the key from the environment, the pair in the service's codes, segments gathered into
 * requests as large as the service allows (service.h's table), the requests sent in parallel with
 * retries (plugins/common/http_transport.c), the answers set as targets, and what a failure means
 * for the run (a refused key or a used-up quota sends nothing more). Each service's own ways are
 * its module, service_*.c. Glossary terms and inline codes travel as <x id="N"/> elements
 * (markup.c), which every service keeps. In a dry run (ABI 1.4) the requests are planned and
 * counted, not sent.
 */
#include <curl/curl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlate/plugin.h"

#include "placeholder.h"
#include "wanted.h"
#include "xp_buf.h"
#include "json_field.h"
#include "markup.h"
#include "service.h"
#include "http_transport.h"

typedef struct http_instance {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    const http_service *svc;
    http_service_env env;  /* what the service module is given; env.key never printed */
    char *url, *key, *region;
    char key_env[128];     /* the variable the key came from, for messages */
    char source[32], target[32]; /* the service's codes */
    int mark_unknown;
    int force;             /* force=yes: also what a translation memory filled */
    int dry_run;           /* ABI 1.4 dry run: plan and count, send nothing */
    long long max_request_bytes, batch;
    xlate_http_config transport;
    /* Why nothing more is sent (the key refused, the quota used up), or NULL. */
    char *stopped;
} http_instance;

/* One batch: the active segments wanted, their text as sent, and the calls that carry them. */
typedef struct http_job {
    http_instance *inst;
    xlate_batch *batch;
    size_t *segments;      /* batch indices of the segments sent */
    xp_buf *html;          /* their text as sent (markup.h) */
    size_t *chars;         /* its code points */
    size_t n;
} http_job;

/* One request: the service's parts of it, owned here. */
typedef struct http_request {
    xp_buf url, body;
    http_service_request req;
} http_request;

static const xlate_lang_pair any_pair[] = {{"*", "*"}};

static const xlate_option_spec http_options[] = {
    {"api", XLATE_OPTION_STRING, "apy",
     "apy (Apertium APy), libretranslate, deepl, google (Cloud Translation v2), microsoft "
     "(Translator v3) or modernmt"},
    {"url", XLATE_OPTION_STRING, NULL,
     "the service's base URL (default: the service's own, e.g. https://api.deepl.com; "
     "http://127.0.0.1:2737 for apy, http://127.0.0.1:5000 for libretranslate)"},
    {"key", XLATE_OPTION_STRING, NULL,
     "not taken: a key on the command line ends up in shell history and ps; put it in an "
     "environment variable and name that with key_env="},
    {"key_env", XLATE_OPTION_STRING, NULL,
     "the environment variable holding the API key (default: DEEPL_AUTH_KEY, GOOGLE_API_KEY, "
     "AZURE_TRANSLATOR_KEY, MODERNMT_API_KEY; XLATE_HTTP_KEY for apy and libretranslate)"},
    {"region", XLATE_OPTION_STRING, NULL,
     "microsoft: the Azure region of a regional Translator resource (Ocp-Apim-Subscription-Region)"},
    {"pair", XLATE_OPTION_STRING, NULL,
     "the service's pair as source|target, e.g. eng|spa or UK|EN-US (default: from --from/--to)"},
    {"timeout", XLATE_OPTION_INT, "60", "seconds for one request, connection included"},
    {"retries", XLATE_OPTION_INT, "3", "retries of a request answered 429 or 5xx, or cut off"},
    {"parallel", XLATE_OPTION_INT, "4", "requests in flight at once"},
    {"max_request_bytes", XLATE_OPTION_INT, NULL,
     "largest request body (default: the service's limit, 65536 where it has none); a segment "
     "that alone exceeds it fails"},
    {"batch", XLATE_OPTION_INT, NULL,
     "texts a request carries, at most the service's limit (default: that limit; 32 for "
     "libretranslate, 1 for apy)"},
    {"mark_unknown", XLATE_OPTION_BOOL, "off", "APy: keep Apertium's marks for unknown words"},
    XLATE_WANTED_FORCE_OPTION,
};

/* Frees a secret after overwriting it, so that a core dump or a later allocation holds no copy. */
static void free_secret(char *s) {
    if (!s)
        return;
    memset(s, 0, strlen(s));
    free(s);
}

static void http_destroy(void *instance) {
    http_instance *inst = instance;
    free(inst->url);
    free_secret(inst->key);
    free(inst->region);
    free(inst->stopped);
    free(inst);
}

/* Every copy of the key in `text` becomes "[key]": a server may echo what it was sent, and what
 * the plugin says goes to logs and outputs. */
static void redact(const http_instance *inst, char *text) {
    size_t klen = inst->key ? strlen(inst->key) : 0;
    if (klen < 4)
        return; /* a key this short would blank out ordinary text; no service issues one */
    for (char *at; (at = strstr(text, inst->key)) != NULL;) {
        memcpy(at, "[key]", 5);
        memmove(at + 5, at + klen, strlen(at + klen) + 1);
    }
}

/* --- options --------------------------------------------------------------------------------- */

/* `limit` names where the maximum comes from when it is the service's ("the DeepL API's"), or
 * is NULL. */
static int read_int_option(http_instance *inst, const xlate_options *options, const char *name,
                           long long min, long long max, const char *limit, long long *out) {
    if (inst->host->option_int(options, name, out) == XLATE_ENOTFOUND)
        return XLATE_OK; /* no value: *out keeps its default */
    if (*out < min || *out > max) {
        inst->host->set_error(inst->ctx, "%s=%lld is out of range; give %lld to %lld%s%s%s", name,
                              *out, min, max, limit ? " (the limit of the " : "",
                              limit ? limit : "", limit ? ")" : "");
        return XLATE_EINVAL;
    }
    return XLATE_OK;
}

static int name_is_variable(const char *name) {
    if (!name || !*name || (name[0] >= '0' && name[0] <= '9'))
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_'))
            return 0;
    return strlen(name) < 128;
}

/* The key, from the environment variable key_env names and from nowhere else. */
static int read_key(http_instance *inst, const xlate_options *options) {
    const xlate_host *h = inst->host;
    const char *given = h->option(options, "key");
    if (given) {
        h->set_error(inst->ctx, "key= is not taken: a key on the command line ends up in shell "
                                "history and in ps; put it in an environment variable and name "
                                "that with key_env= (for %s the default is %s)",
                     inst->svc->name, inst->svc->default_key_env);
        return XLATE_EINVAL;
    }
    const char *var = h->option(options, "key_env");
    if (!var || !*var)
        var = inst->svc->default_key_env;
    if (!name_is_variable(var)) {
        h->set_error(inst->ctx, "key_env=%s is not the name of an environment variable (letters, "
                                "digits and _)", var);
        return XLATE_EINVAL;
    }
    snprintf(inst->key_env, sizeof inst->key_env, "%s", var);
    const char *key = getenv(var);
    if (key && *key && !(inst->key = strdup(key)))
        return XLATE_ENOMEM;
    /* A dry run sends nothing, so it needs no key: a cost estimate comes before an account. */
    if (!inst->key && inst->svc->key_required && !inst->dry_run) {
        h->set_error(inst->ctx, "the %s needs a key: put it in the environment variable %s (or "
                                "name another with key_env=)", inst->svc->title, var);
        return XLATE_EINVAL;
    }
    return XLATE_OK;
}

static int read_url(http_instance *inst, const xlate_options *options) {
    const char *url = inst->host->option(options, "url");
    if (!url || !*url)
        url = inst->svc->default_url;
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
        inst->host->set_error(inst->ctx, "url=%s is not an http:// or https:// URL", url);
        return XLATE_EINVAL;
    }
    size_t len = strlen(url);
    while (len > 0 && url[len - 1] == '/')
        len--;
    inst->url = strndup(url, len);
    return inst->url ? XLATE_OK : XLATE_ENOMEM;
}

static int read_options(http_instance *inst, const xlate_options *options) {
    const xlate_host *h = inst->host;
    const char *api = h->option(options, "api");
    if (!(inst->svc = http_service_find(api))) {
        h->set_error(inst->ctx, "api=%s is not known; use %s", api ? api : "", http_service_names());
        return XLATE_EINVAL;
    }
    int rc = read_url(inst, options);
    if (rc == XLATE_OK)
        rc = read_key(inst, options);
    if (rc != XLATE_OK)
        return rc;
    const char *region = h->option(options, "region");
    if (region && *region && !(inst->region = strdup(region)))
        return XLATE_ENOMEM;
    h->option_bool(options, "mark_unknown", &inst->mark_unknown);
    h->option_bool(options, "force", &inst->force);
    const http_service *svc = inst->svc;
    long long timeout = 60, retries = 3, parallel = 4;
    long long body_limit = svc->max_body_bytes ? (long long)svc->max_body_bytes : 64LL << 20;
    inst->max_request_bytes = svc->max_body_bytes ? (long long)svc->max_body_bytes : 65536;
    inst->batch = (long long)svc->default_texts;
    rc = read_int_option(inst, options, "timeout", 1, 3600, NULL, &timeout);
    if (rc == XLATE_OK)
        rc = read_int_option(inst, options, "retries", 0, 20, NULL, &retries);
    if (rc == XLATE_OK)
        rc = read_int_option(inst, options, "parallel", 1, 64, NULL, &parallel);
    if (rc == XLATE_OK)
        rc = read_int_option(inst, options, "max_request_bytes", 256, body_limit,
                             svc->max_body_bytes ? svc->title : NULL, &inst->max_request_bytes);
    if (rc == XLATE_OK)
        rc = read_int_option(inst, options, "batch", 1, (long long)svc->max_texts, svc->title,
                             &inst->batch);
    inst->transport = (xlate_http_config){.timeout_s = (long)timeout, .retries = (long)retries,
                                          .parallel = (long)parallel};
    return rc;
}

/* The pair in the service's codes: given as pair=src|tgt, else from the run's languages. */
static int choose_pair(http_instance *inst, const xlate_options *options) {
    const xlate_host *h = inst->host;
    const char *given = h->option(options, "pair");
    if (given && *given) {
        const char *bar = strchr(given, '|');
        if (!bar || bar == given || !bar[1] || (size_t)(bar - given) >= sizeof inst->source ||
            strlen(bar + 1) >= sizeof inst->target) {
            h->set_error(inst->ctx, "pair=%s is not source|target, e.g. eng|spa", given);
            return XLATE_EINVAL;
        }
        snprintf(inst->source, sizeof inst->source, "%.*s", (int)(bar - given), given);
        snprintf(inst->target, sizeof inst->target, "%s", bar + 1);
        return XLATE_OK;
    }
    const char *from = h->source_lang(inst->ctx), *to = h->target_lang(inst->ctx);
    if (!to || !*to) {
        h->set_error(inst->ctx, "no target language: give --to or the option pair=");
        return XLATE_EINVAL;
    }
    if (inst->svc->lang_code(from, 0, inst->source, sizeof inst->source) != 0 ||
        inst->svc->lang_code(to, 1, inst->target, sizeof inst->target) != 0) {
        h->set_error(inst->ctx, "the %s has no code for '%s' or '%s'; give the service's codes "
                                "with pair=SOURCE|TARGET", inst->svc->title, from, to);
        return XLATE_EINVAL;
    }
    return XLATE_OK;
}

/* Asks a server that can say so (APy, LibreTranslate) which pairs it serves, so that a wrong URL
 * or pair fails before the run. */
static int check_server(http_instance *inst) {
    const xlate_host *h = inst->host;
    const http_service *svc = inst->svc;
    if (!svc->pairs_endpoint || inst->dry_run)
        return XLATE_OK;
    xp_buf url = XP_BUF_INIT, body = XP_BUF_INIT, served = XP_BUF_INIT;
    xp_buf_printf(&url, "%s%s", inst->url, svc->pairs_endpoint);
    long status = 0;
    char err[CURL_ERROR_SIZE + 64];
    int rc = XLATE_OK;
    json_object *answer = NULL;
    xlate_json_why why;
    if (!url.data) {
        h->set_error(inst->ctx, "out of memory");
        rc = XLATE_ENOMEM;
    } else if (xlate_http_get(&inst->transport, url.data, NULL, &status, &body, err,
                              sizeof err) != 0) {
        h->set_error(inst->ctx, "cannot reach the %s server at %s: %s; is it running?", svc->name,
                     inst->url, err);
        rc = XLATE_ERROR;
    } else if (status != 200) {
        h->set_error(inst->ctx, "%s answered HTTP %ld, not a list of pairs; check that url= is a "
                                "server of the %s API", url.data, status, svc->name);
        rc = XLATE_ERROR;
    } else {
        int found = -1;
        if (xlate_json_parse(body.data, body.len, &answer, &why) == 0)
            found = svc->serves_pair(&inst->env, answer, &served, &why);
        if (found < 0) {
            h->set_error(inst->ctx, "the %s server's %s answer (%s) cannot be used: %s; check that "
                                    "url= is a server of the %s API",
                         svc->name, svc->pairs_endpoint, url.data, why.text, svc->name);
            rc = XLATE_ERROR;
        } else if (!found) {
            h->set_error(inst->ctx, "the server at %s does not serve %s|%s; it serves: %s",
                         inst->url, inst->source, inst->target, served.len ? served.data : "none");
            rc = XLATE_ENOTFOUND;
        }
    }
    json_object_put(answer);
    xp_buf_free(&url);
    xp_buf_free(&body);
    xp_buf_free(&served);
    return rc;
}

static int http_create(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *options,
                       void **instance) {
    /* Done by the entry already; called again only to read its outcome with the ordering
     * pthread_once guarantees, whatever thread the host creates this instance on. */
    const char *why = xlate_http_setup();
    if (why) {
        host->set_error(ctx, "cannot initialize libcurl: %s", why);
        return XLATE_ERROR;
    }
    http_instance *inst = calloc(1, sizeof *inst);
    if (!inst) {
        host->set_error(ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    inst->host = host;
    inst->ctx = ctx;
    inst->dry_run = XLATE_HOST_HAS(host, dry_run) && host->dry_run(ctx);
    int rc = read_options(inst, options);
    if (rc == XLATE_OK)
        rc = choose_pair(inst, options);
    inst->env = (http_service_env){inst->url, inst->key, inst->region, inst->source, inst->target,
                                   inst->mark_unknown};
    if (rc == XLATE_OK)
        rc = check_server(inst);
    if (rc == XLATE_ENOMEM)
        host->set_error(ctx, "out of memory");
    if (rc != XLATE_OK) {
        http_destroy(inst);
        return rc;
    }
    *instance = inst;
    return XLATE_OK;
}

/* --- segments -------------------------------------------------------------------------------- */

static size_t code_points(const char *s, size_t len) {
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static void fail_segment(http_job *job, size_t seg, const char *message) {
    char full[1400];
    snprintf(full, sizeof full, "http %s %s: %s", job->inst->svc->name, job->inst->url, message);
    redact(job->inst, full);
    job->inst->host->segment_fail(job->batch, job->segments[seg], full);
}

static void fail_segments(http_job *job, size_t first, size_t count, const char *message) {
    for (size_t i = first; i < first + count; i++)
        fail_segment(job, i, message);
}

static int collect_segments(http_job *job) {
    const xlate_host *h = job->inst->host;
    size_t total = h->batch_count(job->batch);
    job->segments = calloc(total + 1, sizeof *job->segments);
    job->html = calloc(total + 1, sizeof *job->html);
    job->chars = calloc(total + 1, sizeof *job->chars);
    if (!job->segments || !job->html || !job->chars)
        return -1;
    for (size_t i = 0; i < total; i++) {
        if (!xlate_translator_wants(h, job->batch, i, job->inst->force))
            continue;
        char *masked = NULL;
        size_t len;
        const char *text;
        if (xlate_placeholder_needed(h, job->batch, i)) {
            if (h->segment_masked_source(job->batch, i, XLATE_HTTP_PLACEHOLDER, &masked, &len) != XLATE_OK) {
                h->segment_fail(job->batch, i, "http: cannot protect the segment's glossary terms");
                continue;
            }
            text = masked;
        } else {
            text = h->segment_source(job->batch, i, &len);
        }
        xlate_http_markup_encode(text, len, &job->html[job->n]);
        if (masked)
            h->free(masked);
        if (!job->html[job->n].data)
            return -1;
        job->chars[job->n] = code_points(job->html[job->n].data, job->html[job->n].len);
        job->segments[job->n++] = i;
    }
    return 0;
}

static void free_job(http_job *job) {
    for (size_t i = 0; job->html && i < job->n; i++)
        xp_buf_free(&job->html[i]);
    free(job->html);
    free(job->segments);
    free(job->chars);
}

/* --- requests -------------------------------------------------------------------------------- */

static void request_free(http_request *r) {
    xp_buf_free(&r->url);
    if (r->body.data)
        memset(r->body.data, 0, r->body.len); /* LibreTranslate's and APy's carry the key */
    xp_buf_free(&r->body);
    if (r->url.data)
        memset(r->url.data, 0, r->url.len);
    for (size_t i = 0; i < r->req.n_headers; i++)
        free_secret(r->req.headers[i]);
    memset(r, 0, sizeof *r);
}

static int request_build(http_job *job, size_t first, size_t count, http_request *r) {
    request_free(r);
    r->req.texts = &job->html[first];
    r->req.count = count;
    r->req.url = &r->url;
    r->req.body = &r->body;
    return job->inst->svc->build(&job->inst->env, &r->req);
}

static size_t chars_of(const http_job *job, size_t first, size_t count) {
    size_t n = 0;
    for (size_t i = first; i < first + count; i++)
        n += job->chars[i];
    return n;
}

/* The request that starts at text `first`: as many texts as the service takes (batch=), within
 * its characters and its body's bytes. Returns the texts it carries (0 when out of memory); a
 * text too large alone is failed, and its call marked never to be sent. */
static size_t plan_request(http_job *job, size_t first, xlate_http_call *call, http_request *r) {
    const http_instance *inst = job->inst;
    size_t count = job->n - first;
    size_t max_chars = inst->svc->max_chars, max_body = (size_t)inst->max_request_bytes;
    if (count > (size_t)inst->batch)
        count = (size_t)inst->batch;
    while (count > 1 && max_chars && chars_of(job, first, count) > max_chars)
        count--;
    for (;;) {
        if (request_build(job, first, count, r) != 0)
            return 0;
        if (r->body.len <= max_body || count == 1)
            break;
        size_t fit = (size_t)((double)count * (double)max_body / (double)r->body.len);
        count = fit >= count ? count - 1 : fit ? fit : 1;
    }
    call->first = first;
    call->count = count;
    call->url = r->url.data;
    call->body = r->body.data ? r->body.data : "";
    call->body_len = r->body.len;
    call->json = r->req.json;
    call->headers = r->req.n_headers ? (const char *const *)r->req.headers : NULL;
    char why[200] = "";
    if (max_chars && job->chars[first] > max_chars)
        snprintf(why, sizeof why, "the segment has %zu characters as sent, more than the %zu a "
                 "request of the %s may carry; split it", job->chars[first], max_chars,
                 inst->svc->title);
    else if (r->body.len > max_body)
        snprintf(why, sizeof why, "the request would be %zu bytes, more than max_request_bytes "
                 "(%zu); raise the option or split the segment", r->body.len, max_body);
    if (why[0]) {
        fail_segments(job, first, count, why);
        call->state = XLATE_HTTP_CALL_DONE; /* never sent */
    }
    return count;
}

/* --- answers ------------------------------------------------------------------------------- */

static void set_translation(http_job *job, size_t seg, json_object *html) {
    const xlate_host *h = job->inst->host;
    size_t index = job->segments[seg];
    xp_buf text = XP_BUF_INIT;
    xlate_http_markup_decode(json_object_get_string(html), (size_t)json_object_get_string_len(html),
                             &text);
    int rc = xlate_placeholder_needed(h, job->batch, index)
                 ? h->segment_set_unmasked_target(job->batch, index, XLATE_HTTP_PLACEHOLDER,
                                                  text.data, text.len)
                 : h->segment_set_target(job->batch, index, text.data, text.len);
    if (rc != XLATE_OK)
        fail_segment(job, seg, "the translation cannot be the segment's target: it holds a NUL "
                               "character, or memory ran out");
    xp_buf_free(&text);
}

static void apply_translations(http_job *job, const xlate_http_call *call) {
    json_object *answer = NULL, **texts = calloc(call->count, sizeof *texts);
    xlate_json_why why, *whys = calloc(call->count, sizeof *whys);
    char message[600];
    if (!texts || !whys) {
        fail_segments(job, call->first, call->count, "out of memory reading the answer");
    } else if (xlate_json_parse(call->response.data, call->response.len, &answer, &why) != 0 ||
               job->inst->svc->parse(answer, call->count, texts, whys, &why) != 0) {
        snprintf(message, sizeof message, "the %s answer cannot be used: %s",
                 job->inst->svc->path, why.text);
        fail_segments(job, call->first, call->count, message);
    } else {
        for (size_t i = 0; i < call->count; i++) {
            if (texts[i]) {
                set_translation(job, call->first + i, texts[i]);
            } else {
                snprintf(message, sizeof message, "the %s answer cannot be used: %s",
                         job->inst->svc->path, whys[i].text);
                fail_segment(job, call->first + i, message);
            }
        }
    }
    json_object_put(answer);
    free(texts);
    free(whys);
}

/* The instance stops sending: `why` is said once as an error, and the segments of every later
 * batch fail with it, unsent. */
static void stop_sending(http_instance *inst, const char *why) {
    if (inst->stopped)
        return;
    char line[1400];
    snprintf(line, sizeof line, "http %s %s: %s", inst->svc->name, inst->url, why);
    redact(inst, line);
    inst->stopped = strdup(line);
    inst->host->log(inst->ctx, XLATE_LOG_ERROR, "%s", line);
}

static void apply_error(http_job *job, const xlate_http_call *call) {
    http_instance *inst = job->inst;
    json_object *answer = NULL;
    xlate_json_why why;
    char detail[400] = "", said[520], message[1200];
    if (xlate_json_parse(call->response.data, call->response.len, &answer, &why) != 0)
        answer = NULL;
    http_error_kind kind = inst->svc->classify(call->status, answer, detail, sizeof detail);
    json_object_put(answer);
    if (!detail[0])
        snprintf(detail, sizeof detail, "%.200s",
                 call->response.data && call->response.len ? call->response.data : "(no body)");
    snprintf(said, sizeof said, "HTTP %ld: %s", call->status, detail);
    redact(inst, said);
    if (kind == HTTP_ERROR_AUTH) {
        snprintf(message, sizeof message, "%s: the %s refused the key in %s; check the key%s", said,
                 inst->svc->title, inst->key_env,
                 inst->key ? "" : " (the variable is not set)");
        stop_sending(inst, message);
    } else if (kind == HTTP_ERROR_QUOTA) {
        snprintf(message, sizeof message, "%s: the %s quota of the key in %s is used up; what was "
                 "translated so far is kept, nothing more is sent in this run (raise the quota, "
                 "then translate the rest)", said, inst->svc->title, inst->key_env);
        stop_sending(inst, message);
    } else {
        snprintf(message, sizeof message, call->attempts > 1 ? "%s (after %d attempts)" : "%s",
                 said, call->attempts);
    }
    fail_segments(job, call->first, call->count, message);
}

static void apply_answer(http_job *job, const xlate_http_call *call) {
    char detail[600];
    if (call->network_error) {
        snprintf(detail, sizeof detail, "no answer: %s (after %d attempt%s)", call->error,
                 call->attempts, call->attempts == 1 ? "" : "s");
        fail_segments(job, call->first, call->count, detail);
    } else if (call->status != 200) {
        apply_error(job, call);
    } else {
        apply_translations(job, call);
    }
}

/* --- process ------------------------------------------------------------------------------- */

static void count_usage(http_instance *inst, const xlate_http_call *calls, size_t n_calls,
                        const http_job *job) {
    const xlate_host *h = inst->host;
    if (!XLATE_HOST_HAS(h, count_usage))
        return;
    for (size_t c = 0; c < n_calls; c++) {
        /* A request the plugin failed itself never left; in a dry run each would. */
        if (calls[c].state == XLATE_HTTP_CALL_DONE && calls[c].attempts == 0)
            continue;
        if (!inst->dry_run && calls[c].attempts == 0)
            continue;
        h->count_usage(inst->ctx, inst->svc->name, 1, chars_of(job, calls[c].first, calls[c].count));
    }
}

static int send_job(http_instance *inst, http_job *job) {
    xlate_http_call *calls = calloc(job->n, sizeof *calls);
    http_request *requests = calloc(job->n, sizeof *requests);
    size_t n_calls = 0;
    int rc = calls && requests ? XLATE_OK : XLATE_ENOMEM;
    for (size_t i = 0; rc == XLATE_OK && i < job->n; n_calls++) {
        size_t took = plan_request(job, i, &calls[n_calls], &requests[n_calls]);
        if (!took)
            rc = XLATE_ENOMEM;
        i += took;
    }
    if (rc == XLATE_OK && !inst->dry_run && xlate_http_run(&inst->transport, calls, n_calls) != 0) {
        inst->host->set_error(inst->ctx, "cannot set up libcurl's transfers");
        rc = XLATE_ERROR;
    }
    if (rc == XLATE_OK)
        count_usage(inst, calls, n_calls, job);
    for (size_t c = 0; rc == XLATE_OK && !inst->dry_run && c < n_calls; c++)
        if (calls[c].attempts > 0)
            apply_answer(job, &calls[c]);
    for (size_t c = 0; calls && c < n_calls; c++) {
        xlate_http_call_free(&calls[c]);
        request_free(&requests[c]);
    }
    free(calls);
    free(requests);
    return rc;
}

static int http_process(void *instance, xlate_batch *batch) {
    http_instance *inst = instance;
    http_job job = {inst, batch, NULL, NULL, NULL, 0};
    int rc = collect_segments(&job) == 0 ? XLATE_OK : XLATE_ENOMEM;
    if (rc == XLATE_OK && job.n > 0 && inst->stopped) {
        for (size_t i = 0; i < job.n; i++) {
            char full[1500];
            snprintf(full, sizeof full, "not sent: %s", inst->stopped);
            inst->host->segment_fail(batch, job.segments[i], full);
        }
    } else if (rc == XLATE_OK && job.n > 0) {
        rc = send_job(inst, &job);
    }
    if (rc == XLATE_ENOMEM)
        inst->host->set_error(inst->ctx, "out of memory");
    free_job(&job);
    return rc;
}

static const xlate_plugin http_plugin = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "http",
    .version = "2.0.0",
    .description = "translation services over HTTP(S): Apertium APy, LibreTranslate, DeepL, "
                   "Google, Microsoft, ModernMT",
    .kind = XLATE_KIND_TRANSLATOR,
    .pairs = any_pair,
    .n_pairs = 1,
    .options = http_options,
    .n_options = sizeof http_options / sizeof http_options[0],
    .create = http_create,
    .process = http_process,
    .destroy = http_destroy,
    .enumerate_pairs = NULL,
};

XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    if (!host || XLATE_ABI_VERSION_MAJOR(host->abi_version) != XLATE_ABI_MAJOR)
        return NULL;
    (void)xlate_http_setup(); /* create reports a failure */
    return &http_plugin;
}
