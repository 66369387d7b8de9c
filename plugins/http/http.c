/*
 * http: the translator plugin that sends segments to a translation server over HTTP(S): Apertium's
 * APy (`/listPairs`, `/translate` with `langpair` and `q`) or LibreTranslate (`POST /translate`
 * with JSON: `q` as an array, `source`, `target`, `format`, `api_key`). Sits at the translator step
 * of the plugin chain; glossary terms travel as <x id="N"/> elements in HTML, which both servers
 * keep. A request that fails after its retries fails its segments with the server's message.
 */
#include <curl/curl.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlate/plugin.h"

#include "placeholder.h"
#include "wanted.h"
#include "xp_buf.h"
#include "json_field.h"
#include "langcode.h"
#include "markup.h"
#include "transport.h"

typedef enum http_api { API_APY, API_LIBRETRANSLATE } http_api;

typedef struct http_instance {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    http_api api;
    char *url;       /* base URL without a trailing slash */
    char *key;       /* API key or NULL; never printed */
    char source[32], target[32]; /* the server's codes: "eng"/"spa" for APy, "en"/"es" for LT */
    int mark_unknown;
    int force;       /* force=yes: also what a translation memory filled */
    long long max_request_bytes, batch;
    xlate_http_config transport;
} http_instance;

/* One batch: the active segments, their HTML, and the calls that carry them. */
typedef struct http_job {
    http_instance *inst;
    xlate_batch *batch;
    size_t *segments;   /* batch indices of the active segments */
    xp_buf *html;    /* their text as sent */
    size_t n;
    char *endpoint;
} http_job;

static const xlate_lang_pair any_pair[] = {{"*", "*"}};

static const xlate_option_spec http_options[] = {
    {"api", XLATE_OPTION_STRING, "apy", "apy (Apertium APy) or libretranslate"},
    {"url", XLATE_OPTION_STRING, NULL,
     "the server's base URL (default http://127.0.0.1:2737 for apy, http://127.0.0.1:5000 for "
     "libretranslate)"},
    {"key", XLATE_OPTION_STRING, NULL, "API key (better: the environment variable in key_env)"},
    {"key_env", XLATE_OPTION_STRING, "XLATE_HTTP_KEY", "environment variable holding the API key"},
    {"pair", XLATE_OPTION_STRING, NULL,
     "the server's pair as source|target, e.g. eng|spa (default: from --from/--to)"},
    {"timeout", XLATE_OPTION_INT, "60", "seconds for one request, connection included"},
    {"retries", XLATE_OPTION_INT, "3", "retries of a request answered 429 or 5xx, or cut off"},
    {"parallel", XLATE_OPTION_INT, "4", "requests in flight at once"},
    {"max_request_bytes", XLATE_OPTION_INT, "65536",
     "largest request body; a segment that alone exceeds it fails"},
    {"batch", XLATE_OPTION_INT, "32", "segments per LibreTranslate request (APy takes one)"},
    {"mark_unknown", XLATE_OPTION_BOOL, "off", "APy: keep Apertium's marks for unknown words"},
    XLATE_WANTED_FORCE_OPTION,
};

static const char *api_name(http_api api) {
    return api == API_APY ? "apy" : "libretranslate";
}

static void http_destroy(void *instance) {
    http_instance *inst = instance;
    free(inst->url);
    if (inst->key) {
        memset(inst->key, 0, strlen(inst->key));
        free(inst->key);
    }
    free(inst);
}

static int read_int_option(http_instance *inst, const xlate_options *options, const char *name,
                           long long min, long long max, long long *out) {
    inst->host->option_int(options, name, out);
    if (*out < min || *out > max) {
        inst->host->set_error(inst->ctx, "%s=%lld is out of range; give %lld to %lld", name, *out,
                              min, max);
        return XLATE_EINVAL;
    }
    return XLATE_OK;
}

static int read_options(http_instance *inst, const xlate_options *options) {
    const xlate_host *h = inst->host;
    const char *api = h->option(options, "api");
    if (api && strcmp(api, "apy") == 0) {
        inst->api = API_APY;
    } else if (api && strcmp(api, "libretranslate") == 0) {
        inst->api = API_LIBRETRANSLATE;
    } else {
        h->set_error(inst->ctx, "api=%s is not known; use apy or libretranslate", api ? api : "");
        return XLATE_EINVAL;
    }
    const char *url = h->option(options, "url");
    if (!url || !*url)
        url = inst->api == API_APY ? "http://127.0.0.1:2737" : "http://127.0.0.1:5000";
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
        h->set_error(inst->ctx, "url=%s is not an http:// or https:// URL", url);
        return XLATE_EINVAL;
    }
    size_t len = strlen(url);
    while (len > 0 && url[len - 1] == '/')
        len--;
    inst->url = strndup(url, len);
    const char *key = h->option(options, "key");
    const char *key_env = h->option(options, "key_env");
    if ((!key || !*key) && key_env && *key_env)
        key = getenv(key_env);
    inst->key = key && *key ? strdup(key) : NULL;
    h->option_bool(options, "mark_unknown", &inst->mark_unknown);
    h->option_bool(options, "force", &inst->force);
    long long timeout = 60, retries = 3, parallel = 4;
    inst->max_request_bytes = 65536;
    inst->batch = 32;
    int rc = read_int_option(inst, options, "timeout", 1, 3600, &timeout);
    if (rc == XLATE_OK)
        rc = read_int_option(inst, options, "retries", 0, 20, &retries);
    if (rc == XLATE_OK)
        rc = read_int_option(inst, options, "parallel", 1, 64, &parallel);
    if (rc == XLATE_OK)
        rc = read_int_option(inst, options, "max_request_bytes", 256, 64LL << 20,
                             &inst->max_request_bytes);
    if (rc == XLATE_OK)
        rc = read_int_option(inst, options, "batch", 1, 1000, &inst->batch);
    inst->transport = (xlate_http_config){(long)timeout, (long)retries, (long)parallel};
    if (rc == XLATE_OK && !inst->url) {
        h->set_error(inst->ctx, "out of memory");
        rc = XLATE_ENOMEM;
    }
    return rc;
}

/* The pair in the server's codes: given as pair=src|tgt, else from the run's languages. */
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
    if (inst->api == API_LIBRETRANSLATE) {
        snprintf(inst->source, sizeof inst->source, "%s", from);
        snprintf(inst->target, sizeof inst->target, "%s", to);
        return XLATE_OK;
    }
    if (xlate_lang_to_639_3(from, inst->source, sizeof inst->source) != 0 ||
        xlate_lang_to_639_3(to, inst->target, sizeof inst->target) != 0) {
        h->set_error(inst->ctx, "no Apertium code known for '%s' or '%s'; give pair=, e.g. "
                                "pair=eng|spa", from, to);
        return XLATE_EINVAL;
    }
    return XLATE_OK;
}

/* Adds source|target to the list shown when our pair is missing; returns whether it is ours. */
static int note_pair(const http_instance *inst, const char *source, const char *target,
                     xp_buf *served) {
    xp_buf_printf(served, "%s%s|%s", served->len ? ", " : "", source, target);
    return strcmp(source, inst->source) == 0 && strcmp(target, inst->target) == 0;
}

/* APy's /listPairs: {"responseData": [{"sourceLanguage": "eng", "targetLanguage": "spa"}, ...]}.
 * Returns 1 when our pair is listed, 0 when not, -1 with *why when the answer is not that shape:
 * a server that garbles one entry is not one to trust with the run. */
static int apy_serves_pair(const http_instance *inst, json_object *answer, xp_buf *served,
                           xlate_json_why *why) {
    json_object *pairs = xlate_json_member(answer, NULL, "responseData", json_type_array, why);
    if (!pairs)
        return -1;
    int found = 0;
    for (size_t i = 0; i < json_object_array_length(pairs); i++) {
        char at[48];
        snprintf(at, sizeof at, "responseData[%zu]", i);
        json_object *pair = xlate_json_element(pairs, "responseData", i, json_type_object, why);
        json_object *s = pair ? xlate_json_member(pair, at, "sourceLanguage", json_type_string, why)
                              : NULL;
        json_object *t = s ? xlate_json_member(pair, at, "targetLanguage", json_type_string, why)
                           : NULL;
        if (!t)
            return -1;
        found |= note_pair(inst, json_object_get_string(s), json_object_get_string(t), served);
    }
    return found;
}

/* LibreTranslate's /languages: [{"code": "en", "name": "English", "targets": ["es", ...]}, ...].
 * Returns as apy_serves_pair does. */
static int libretranslate_serves_pair(const http_instance *inst, json_object *answer,
                                      xp_buf *served, xlate_json_why *why) {
    if (!xlate_json_expect(answer, "the answer", json_type_array, why))
        return -1;
    int found = 0;
    for (size_t i = 0; i < json_object_array_length(answer); i++) {
        char at[48], targets_at[64];
        snprintf(at, sizeof at, "[%zu]", i);
        snprintf(targets_at, sizeof targets_at, "[%zu].targets", i);
        json_object *lang = xlate_json_element(answer, "", i, json_type_object, why);
        json_object *code =
            lang ? xlate_json_member(lang, at, "code", json_type_string, why) : NULL;
        json_object *targets = code ? xlate_json_member(lang, at, "targets", json_type_array, why)
                                    : NULL;
        if (!targets)
            return -1;
        for (size_t k = 0; k < json_object_array_length(targets); k++) {
            json_object *t = xlate_json_element(targets, targets_at, k, json_type_string, why);
            if (!t)
                return -1;
            found |= note_pair(inst, json_object_get_string(code), json_object_get_string(t),
                               served);
        }
    }
    return found;
}

/* Asks the server which pairs it serves, so that a wrong URL or pair fails before the run. */
static int check_server(http_instance *inst) {
    const xlate_host *h = inst->host;
    const char *endpoint = inst->api == API_APY ? "/listPairs" : "/languages";
    xp_buf url = XP_BUF_INIT, body = XP_BUF_INIT, served = XP_BUF_INIT;
    xp_buf_printf(&url, "%s%s", inst->url, endpoint);
    long status = 0;
    char err[CURL_ERROR_SIZE + 64];
    int rc = XLATE_OK;
    json_object *answer = NULL;
    xlate_json_why why;
    if (!url.data) {
        h->set_error(inst->ctx, "out of memory");
        rc = XLATE_ENOMEM;
    } else if (xlate_http_get(url.data, inst->transport.timeout_s, &status, &body, err,
                              sizeof err) != 0) {
        h->set_error(inst->ctx, "cannot reach the %s server at %s: %s; is it running?",
                     api_name(inst->api), inst->url, err);
        rc = XLATE_ERROR;
    } else if (status != 200) {
        h->set_error(inst->ctx, "%s answered HTTP %ld, not a list of pairs; check that url= is a "
                                "server of the %s API", url.data, status, api_name(inst->api));
        rc = XLATE_ERROR;
    } else {
        int found = -1;
        if (xlate_json_parse(body.data, body.len, &answer, &why) == 0)
            found = inst->api == API_APY
                        ? apy_serves_pair(inst, answer, &served, &why)
                        : libretranslate_serves_pair(inst, answer, &served, &why);
        if (found < 0) {
            h->set_error(inst->ctx,
                         "the %s server's %s answer (%s) cannot be used: %s; check that url= is "
                         "a server of the %s API",
                         api_name(inst->api), endpoint, url.data, why.text, api_name(inst->api));
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

/* --- libcurl's process-wide setup -------------------------------------------------------------
 * curl_global_init sets up libcurl and its TLS library for the whole process, and the libcurl
 * documentation asks for it once, before any other thread may be using libcurl. Per instance it
 * would run on every worker thread at once as the workers create their instances. plugin.h
 * promises that the entry function runs after the shared object is loaded and returns the
 * descriptor without which no instance can be created, so every create comes after it. The
 * entry may still run more than once (a host may load the same file again, which maps the same
 * object) and from any thread, hence pthread_once: one setup per mapping of this object, and one
 * cleanup when the mapping goes (the last dlclose, or exit), when no instance of ours can be left.
 * This is the one piece of state the plugin keeps outside its instances: it mirrors libcurl's
 * own, which is process-wide by design. A setup that failed is reported by create, where the
 * host can show it, rather than by refusing to load, which would read as an ABI mismatch. */
static pthread_once_t curl_setup_once = PTHREAD_ONCE_INIT;
static CURLcode curl_setup = CURLE_FAILED_INIT;

static void set_up_curl(void) {
    curl_setup = curl_global_init(CURL_GLOBAL_DEFAULT);
}

__attribute__((destructor)) static void clean_up_curl(void) {
    if (curl_setup == CURLE_OK)
        curl_global_cleanup();
}

static int http_create(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *options,
                       void **instance) {
    /* Done by the entry already; called again only to read its outcome with the ordering
     * pthread_once guarantees, whatever thread the host creates this instance on. */
    pthread_once(&curl_setup_once, set_up_curl);
    if (curl_setup != CURLE_OK) {
        host->set_error(ctx, "cannot initialize libcurl: %s", curl_easy_strerror(curl_setup));
        return XLATE_ERROR;
    }
    http_instance *inst = calloc(1, sizeof *inst);
    if (!inst) {
        host->set_error(ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    inst->host = host;
    inst->ctx = ctx;
    int rc = read_options(inst, options);
    if (rc == XLATE_OK)
        rc = choose_pair(inst, options);
    if (rc == XLATE_OK)
        rc = check_server(inst);
    if (rc != XLATE_OK) {
        http_destroy(inst);
        return rc;
    }
    *instance = inst;
    return XLATE_OK;
}

/* --- requests ------------------------------------------------------------------------------ */

static void append_form_field(xp_buf *body, const char *name, const char *value, size_t len) {
    char *escaped = curl_easy_escape(NULL, value, (int)len);
    xp_buf_printf(body, "%s%s=%s", body->len ? "&" : "", name, escaped ? escaped : "");
    curl_free(escaped);
}

static int apy_body(const http_job *job, size_t seg, xp_buf *body) {
    const http_instance *inst = job->inst;
    char langpair[80];
    snprintf(langpair, sizeof langpair, "%s|%s", inst->source, inst->target);
    append_form_field(body, "langpair", langpair, strlen(langpair));
    append_form_field(body, "markUnknown", inst->mark_unknown ? "yes" : "no",
                      inst->mark_unknown ? 3 : 2);
    append_form_field(body, "q", job->html[seg].data, job->html[seg].len);
    if (inst->key)
        append_form_field(body, "key", inst->key, strlen(inst->key));
    return 0;
}

static int libretranslate_body(const http_job *job, size_t first, size_t count, xp_buf *body) {
    const http_instance *inst = job->inst;
    json_object *req = json_object_new_object(), *q = json_object_new_array();
    for (size_t i = first; i < first + count; i++)
        json_object_array_add(q, json_object_new_string_len(job->html[i].data, (int)job->html[i].len));
    json_object_object_add(req, "q", q);
    json_object_object_add(req, "source", json_object_new_string(inst->source));
    json_object_object_add(req, "target", json_object_new_string(inst->target));
    json_object_object_add(req, "format", json_object_new_string("html"));
    if (inst->key)
        json_object_object_add(req, "api_key", json_object_new_string(inst->key));
    size_t len;
    const char *text = json_object_to_json_string_length(req, JSON_C_TO_STRING_PLAIN, &len);
    int rc = xp_buf_append(body, text, len);
    json_object_put(req);
    return rc;
}

/* Groups segments into calls: one each for APy (its /translate reads one q); for LibreTranslate
 * as many as fit in `batch` and `max_request_bytes`. */
static size_t plan_calls(http_job *job, xlate_http_call *calls) {
    size_t n_calls = 0;
    size_t i = 0;
    while (i < job->n) {
        size_t count = 1, bytes = job->html[i].len;
        if (job->inst->api == API_LIBRETRANSLATE) {
            while (i + count < job->n && count < (size_t)job->inst->batch &&
                   bytes + job->html[i + count].len + 64 <= (size_t)job->inst->max_request_bytes / 2)
                bytes += job->html[i + count++].len;
        }
        calls[n_calls].first = i;
        calls[n_calls].count = count;
        n_calls++;
        i += count;
    }
    return n_calls;
}

static void fail_segments(http_job *job, size_t first, size_t count, const char *fmt,
                          const char *detail) {
    char message[1024];
    snprintf(message, sizeof message, fmt, detail);
    char full[1200];
    snprintf(full, sizeof full, "http %s %s: %s", api_name(job->inst->api), job->inst->url, message);
    for (size_t i = first; i < first + count; i++)
        job->inst->host->segment_fail(job->batch, job->segments[i], full);
}

static void fail_call(http_job *job, const xlate_http_call *call, const char *fmt,
                      const char *detail) {
    fail_segments(job, call->first, call->count, fmt, detail);
}

static int build_bodies(http_job *job, xlate_http_call *calls, size_t n_calls, xp_buf *bodies) {
    for (size_t c = 0; c < n_calls; c++) {
        xlate_http_call *call = &calls[c];
        call->url = job->endpoint;
        call->json = job->inst->api == API_LIBRETRANSLATE;
        if (call->json)
            libretranslate_body(job, call->first, call->count, &bodies[c]);
        else
            apy_body(job, call->first, &bodies[c]);
        if (!bodies[c].data)
            return -1;
        call->body = bodies[c].data;
        call->body_len = bodies[c].len;
        if (bodies[c].len > (size_t)job->inst->max_request_bytes) {
            char size[64];
            snprintf(size, sizeof size, "%zu", bodies[c].len);
            fail_call(job, call, "the request would be %s bytes, more than max_request_bytes; "
                                 "raise the option or split the segment", size);
            call->state = 2; /* done: never sent */
        }
    }
    return 0;
}

/* --- answers ------------------------------------------------------------------------------- */

/* Sets the target of segment `seg` from the string `html` found at `path` in the answer. */
static void set_translation(http_job *job, size_t seg, json_object *html, const char *path) {
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
        fail_segments(job, seg, 1, "the /translate answer's %s cannot be the segment's target: "
                                   "it holds a NUL character, or memory ran out", path);
    xp_buf_free(&text);
}

/* The server's own words for an error answer: APy's explanation, LibreTranslate's error; the
 * start of the body when it has no such text. */
static void error_detail(const xlate_http_call *call, char *out, size_t outlen) {
    static const char *const fields[] = {"explanation", "error", "message"};
    json_object *answer = NULL, *field = NULL;
    xlate_json_why why;
    if (xlate_json_parse(call->response.data, call->response.len, &answer, &why) == 0 &&
        json_object_is_type(answer, json_type_object)) {
        for (size_t i = 0; !field && i < sizeof fields / sizeof fields[0]; i++)
            field = xlate_json_member(answer, NULL, fields[i], json_type_string, &why);
    }
    if (field)
        snprintf(out, outlen, "HTTP %ld: %s", call->status, json_object_get_string(field));
    else
        snprintf(out, outlen, "HTTP %ld: %.200s", call->status,
                 call->response.data ? call->response.data : "(no body)");
    json_object_put(answer);
}

static void fail_unusable_answer(http_job *job, size_t first, size_t count,
                                 const xlate_json_why *why) {
    fail_segments(job, first, count, "the /translate answer cannot be used: %s", why->text);
}

/* APy's /translate: {"responseData": {"translatedText": "..."}, ...} for the call's one segment. */
static void apply_apy_answer(http_job *job, const xlate_http_call *call, json_object *answer) {
    xlate_json_why why;
    json_object *data = xlate_json_member(answer, NULL, "responseData", json_type_object, &why);
    json_object *text = data ? xlate_json_member(data, "responseData", "translatedText",
                                                 json_type_string, &why)
                             : NULL;
    if (text)
        set_translation(job, call->first, text, "responseData.translatedText");
    else
        fail_unusable_answer(job, call->first, call->count, &why);
}

/* LibreTranslate's /translate for q as an array: {"translatedText": ["...", ...]}, one entry per
 * q in order. An entry that is not text fails its own segment only. */
static void apply_libretranslate_answer(http_job *job, const xlate_http_call *call,
                                        json_object *answer) {
    xlate_json_why why;
    json_object *texts = xlate_json_member(answer, NULL, "translatedText", json_type_array, &why);
    if (texts && json_object_array_length(texts) != call->count) {
        snprintf(why.text, sizeof why.text, "translatedText has %zu entries; %zu were expected, "
                 "one per q", json_object_array_length(texts), call->count);
        texts = NULL;
    }
    if (!texts) {
        fail_unusable_answer(job, call->first, call->count, &why);
        return;
    }
    for (size_t i = 0; i < call->count; i++) {
        char at[48];
        snprintf(at, sizeof at, "translatedText[%zu]", i);
        json_object *t = xlate_json_element(texts, "translatedText", i, json_type_string, &why);
        if (t)
            set_translation(job, call->first + i, t, at);
        else
            fail_unusable_answer(job, call->first + i, 1, &why);
    }
}

static void apply_answer(http_job *job, const xlate_http_call *call) {
    char detail[600];
    if (call->network_error) {
        snprintf(detail, sizeof detail, "%s (after %d attempt%s)", call->error, call->attempts,
                 call->attempts == 1 ? "" : "s");
        fail_call(job, call, "no answer: %s", detail);
        return;
    }
    if (call->status != 200) {
        error_detail(call, detail, sizeof detail);
        fail_call(job, call, call->attempts > 1 ? "%s (after retries)" : "%s", detail);
        return;
    }
    json_object *answer = NULL;
    xlate_json_why why;
    if (xlate_json_parse(call->response.data, call->response.len, &answer, &why) != 0)
        fail_unusable_answer(job, call->first, call->count, &why);
    else if (job->inst->api == API_APY)
        apply_apy_answer(job, call, answer);
    else
        apply_libretranslate_answer(job, call, answer);
    json_object_put(answer);
}

/* --- process ------------------------------------------------------------------------------- */

static int collect_segments(http_job *job) {
    const xlate_host *h = job->inst->host;
    size_t total = h->batch_count(job->batch);
    job->segments = calloc(total + 1, sizeof *job->segments);
    job->html = calloc(total + 1, sizeof *job->html);
    if (!job->segments || !job->html)
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
        job->segments[job->n++] = i;
    }
    return 0;
}

static void free_job(http_job *job) {
    for (size_t i = 0; job->html && i < job->n; i++)
        xp_buf_free(&job->html[i]);
    free(job->html);
    free(job->segments);
    free(job->endpoint);
}

static int http_process(void *instance, xlate_batch *batch) {
    http_instance *inst = instance;
    http_job job = {inst, batch, NULL, NULL, 0, NULL};
    xp_buf endpoint = XP_BUF_INIT;
    xp_buf_printf(&endpoint, "%s/translate", inst->url);
    job.endpoint = endpoint.data;
    xlate_http_call *calls = NULL;
    xp_buf *bodies = NULL;
    int rc = collect_segments(&job) == 0 && job.endpoint ? XLATE_OK : XLATE_ENOMEM;
    size_t n_calls = 0;
    if (rc == XLATE_OK && job.n > 0) {
        calls = calloc(job.n, sizeof *calls);
        bodies = calloc(job.n, sizeof *bodies);
        if (!calls || !bodies)
            rc = XLATE_ENOMEM;
        if (rc == XLATE_OK)
            n_calls = plan_calls(&job, calls);
        if (rc == XLATE_OK && build_bodies(&job, calls, n_calls, bodies) != 0)
            rc = XLATE_ENOMEM;
        if (rc == XLATE_OK && xlate_http_run(&inst->transport, calls, n_calls) != 0) {
            inst->host->set_error(inst->ctx, "cannot set up libcurl's transfers");
            rc = XLATE_ERROR;
        }
        for (size_t c = 0; rc == XLATE_OK && c < n_calls; c++)
            if (calls[c].attempts > 0)
                apply_answer(&job, &calls[c]);
    }
    if (rc == XLATE_ENOMEM)
        inst->host->set_error(inst->ctx, "out of memory");
    for (size_t c = 0; c < n_calls; c++) {
        xlate_http_call_free(&calls[c]);
        xp_buf_free(&bodies[c]);
    }
    free(calls);
    free(bodies);
    free_job(&job);
    return rc;
}

static const xlate_plugin http_plugin = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "http",
    .version = "1.0.0",
    .description = "translation servers over HTTP(S): Apertium APy, LibreTranslate",
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
    pthread_once(&curl_setup_once, set_up_curl);
    return &http_plugin;
}
