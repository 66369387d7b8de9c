/*
 * llm: the translator plugin for OpenAI-compatible chat-completions servers (llama.cpp's
 * llama-server, Ollama's /v1, vLLM, hosted services). Sits at the translator step of the plugin
 * chain: each segment is one request (POST {url}/chat/completions, temperature 0) whose system
 * message states the languages, the register and the glossary's terms for the segment, and whose
 * user message carries the document's preceding segments as context. The answer is checked
 * (answer_check.h): the translation alone, one segment's worth, every term used. A failed check
 * is sent back once with the failure named; an answer that fails again is kept as the target and
 * the segment marked `warning` (llm_chatter, llm_merged, llm_term_missing).
 */
#include <curl/curl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/uloc.h>
#include <unicode/ustring.h>

#include "xlate/plugin.h"

#include "answer_check.h"
#include "http_transport.h"
#include "json_field.h"
#include "placeholder.h"
#include "prompt.h"
#include "wanted.h"
#include "xp_buf.h"

/* The preceding segments of the document, oldest first, kept from one batch to the next. */
typedef struct llm_history {
    char **sources, **targets; /* owned; a target may be NULL */
    size_t n, cap;
    char *document;            /* the document they belong to */
    size_t next_index;         /* segment_index the next batch must start at to continue it */
} llm_history;

typedef struct llm_instance {
    const xlate_host *host;
    xlate_plugin_ctx *ctx;
    char *url;      /* base URL without a trailing slash */
    char *endpoint; /* url + /chat/completions */
    char *model;    /* NULL: not known (a dry run without model=) */
    char *key;      /* the bearer key or NULL; never printed */
    char *key_env;  /* the variable it came from, for messages */
    char source_name[96], target_name[96];
    char service[64]; /* the name its usage is counted under */
    int dry_run;      /* count what would be sent, send nothing */
    long long context;
    int force;
    xlate_http_config transport;
    char *auth_header;      /* "Authorization: Bearer KEY" or NULL; never printed */
    const char *headers[3]; /* every request's headers, NULL-terminated, into the instance */
    llm_checker *checker;
    llm_history history;
} llm_instance;

/* What a check found wrong with an answer. */
typedef enum llm_verdict {
    VERDICT_OK = 0,
    VERDICT_NO_ANSWER,    /* transport or protocol failure: the segment fails */
    VERDICT_EMPTY,        /* an empty answer */
    VERDICT_CHATTER,      /* llm_chatter */
    VERDICT_MERGED,       /* llm_merged */
    VERDICT_TERM_MISSING, /* llm_term_missing */
    VERDICT_TAG_LOST      /* a tag (inline code or term placeholder) lost or doubled */
} llm_verdict;

/* One segment on its way through the model. */
typedef struct llm_seg {
    size_t index;        /* in the batch */
    const char *source;  /* the host's */
    size_t source_len;
    char *masked;        /* the source with tags (segments with inline codes), from the host */
    size_t masked_len;
    llm_prompt_term *terms;
    size_t n_terms;
    char **kept;         /* owned copies of kept terms' text, their targets; n_terms of them */
    json_object *request;
    xp_buf body;
    xlate_http_call call;
    xp_buf raw, answer;  /* the model's content, and it unwrapped */
    int have_answer;     /* `answer` holds a usable answer from some round */
    llm_verdict verdict;
    char why[600];       /* the failure, as a sentence for the model and the user */
} llm_seg;

static const xlate_lang_pair any_pair[] = {{"*", "*"}};

static const xlate_option_spec llm_options[] = {
    {"url", XLATE_OPTION_STRING, "http://127.0.0.1:8080/v1",
     "the server's OpenAI-compatible base URL; requests go to URL/chat/completions"},
    {"model", XLATE_OPTION_STRING, NULL,
     "the model to ask (default: the one model the server's URL/models lists)"},
    {"key_env", XLATE_OPTION_STRING, NULL,
     "environment variable holding the bearer key (none for a local server)"},
    {"context", XLATE_OPTION_INT, "3", "preceding segments of the document sent as context"},
    {"parallel", XLATE_OPTION_INT, "4", "requests in flight at once"},
    {"timeout", XLATE_OPTION_INT, "120", "seconds for one request, connection included"},
    {"retries", XLATE_OPTION_INT, "3", "retries of a request answered 429 or 5xx, or cut off"},
    XLATE_WANTED_FORCE_OPTION,
};

/* --- the instance ---------------------------------------------------------------------------- */

static void history_clear(llm_history *h) {
    for (size_t k = 0; k < h->n; k++) {
        free(h->sources[k]);
        free(h->targets[k]);
    }
    h->n = 0;
    free(h->document);
    h->document = NULL;
}

static void llm_destroy(void *instance) {
    llm_instance *inst = instance;
    history_clear(&inst->history);
    free(inst->history.sources);
    free(inst->history.targets);
    llm_checker_free(inst->checker);
    free(inst->url);
    free(inst->endpoint);
    free(inst->model);
    if (inst->key) {
        memset(inst->key, 0, strlen(inst->key));
        free(inst->key);
    }
    if (inst->auth_header) {
        memset(inst->auth_header, 0, strlen(inst->auth_header));
        free(inst->auth_header);
    }
    free(inst->key_env);
    free(inst);
}

static int read_int_option(llm_instance *inst, const xlate_options *options, const char *name,
                           long long min, long long max, long long *out) {
    inst->host->option_int(options, name, out);
    if (*out < min || *out > max) {
        inst->host->set_error(inst->ctx, "%s=%lld is out of range; give %lld to %lld", name, *out,
                              min, max);
        return XLATE_EINVAL;
    }
    return XLATE_OK;
}

/* "Ukrainian (uk)": the language's English name, which a model knows, with the run's tag. */
static void language_name(const char *tag, char *out, size_t outlen) {
    char locale[ULOC_FULLNAME_CAPACITY];
    UChar name[64];
    char utf8[192];
    UErrorCode err = U_ZERO_ERROR;
    uloc_forLanguageTag(tag, locale, sizeof locale, NULL, &err);
    int32_t n = U_SUCCESS(err) ? uloc_getDisplayName(locale, "en", name, 64, &err) : 0;
    int32_t n8 = 0;
    if (U_SUCCESS(err) && n > 0)
        u_strToUTF8(utf8, sizeof utf8, &n8, name, n, &err);
    if (U_SUCCESS(err) && n8 > 0 && (size_t)n8 < sizeof utf8 && strcmp(utf8, locale) != 0)
        snprintf(out, outlen, "%.*s (%s)", (int)n8, utf8, tag);
    else
        snprintf(out, outlen, "the language %s", tag);
}

static int read_key(llm_instance *inst, const xlate_options *options) {
    const char *env = inst->host->option(options, "key_env");
    if (!env || !*env)
        return XLATE_OK;
    inst->key_env = strdup(env);
    const char *key = getenv(env);
    if (!key || !*key) {
        inst->host->set_error(inst->ctx, "key_env=%s: the environment variable %s is not set or "
                                         "empty; export the server's key in it", env, env);
        return XLATE_EINVAL;
    }
    inst->key = strdup(key);
    return inst->key && inst->key_env ? XLATE_OK : XLATE_ENOMEM;
}

/* The transport as a chat-completions server wants it: an empty "Expect:" so that libcurl does not
 * wait for a "100 Continue" before larger bodies, and the key, when there is one, in the only
 * place such a server takes it (the header list, which libcurl never prints). A 429's Retry-After
 * holds the whole run: the server's limit is the client's. */
static int set_up_transport(llm_instance *inst, long timeout, long retries, long parallel) {
    inst->transport = (xlate_http_config){.timeout_s = timeout, .retries = retries,
                                          .parallel = parallel, .user_agent = "xlate-llm/1.0",
                                          .max_response_bytes = (size_t)16 * 1024 * 1024,
                                          .retry_after_holds_run = 1};
    size_t n = 0;
    inst->headers[n++] = "Expect:";
    if (inst->key) {
        static const char prefix[] = "Authorization: Bearer ";
        size_t len = sizeof prefix + strlen(inst->key);
        if (!(inst->auth_header = malloc(len)))
            return XLATE_ENOMEM;
        snprintf(inst->auth_header, len, "%s%s", prefix, inst->key);
        inst->headers[n++] = inst->auth_header;
    }
    inst->headers[n] = NULL;
    return XLATE_OK;
}

static int read_options(llm_instance *inst, const xlate_options *options) {
    const xlate_host *h = inst->host;
    const char *url = h->option(options, "url");
    if (!url || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)) {
        h->set_error(inst->ctx, "url=%s is not an http:// or https:// URL", url ? url : "");
        return XLATE_EINVAL;
    }
    size_t len = strlen(url);
    while (len > 0 && url[len - 1] == '/')
        len--;
    inst->url = strndup(url, len);
    xp_buf endpoint = XP_BUF_INIT;
    if (inst->url && xp_buf_printf(&endpoint, "%s/chat/completions", inst->url) == 0)
        inst->endpoint = endpoint.data;
    const char *model = h->option(options, "model");
    if (model && *model)
        inst->model = strdup(model);
    if (!inst->url || !inst->endpoint || (model && *model && !inst->model))
        return XLATE_ENOMEM;
    h->option_bool(options, "force", &inst->force);
    long long timeout = 120, retries = 3, parallel = 4;
    inst->context = 3;
    int rc = read_int_option(inst, options, "timeout", 1, 3600, &timeout);
    if (rc == XLATE_OK)
        rc = read_int_option(inst, options, "retries", 0, 20, &retries);
    if (rc == XLATE_OK)
        rc = read_int_option(inst, options, "parallel", 1, 64, &parallel);
    if (rc == XLATE_OK)
        rc = read_int_option(inst, options, "context", 0, 50, &inst->context);
    if (rc == XLATE_OK)
        rc = read_key(inst, options);
    if (rc == XLATE_OK)
        rc = set_up_transport(inst, (long)timeout, (long)retries, (long)parallel);
    return rc;
}

/* The server's error in its own words: OpenAI's {"error": {"message": ...}}, or {"error": "..."}
 * as some servers write it; the start of the body otherwise. The key is never in it: a server
 * that echoes it back gets it masked. */
static void error_detail(const llm_instance *inst, long status, const xp_buf *body, char *out,
                         size_t outlen) {
    json_object *answer = NULL, *error = NULL, *message = NULL;
    xlate_json_why why;
    if (xlate_json_parse(body->data ? body->data : "", body->len, &answer, &why) == 0 &&
        json_object_is_type(answer, json_type_object) &&
        json_object_object_get_ex(answer, "error", &error)) {
        if (json_object_is_type(error, json_type_string))
            message = error;
        else if (json_object_is_type(error, json_type_object))
            json_object_object_get_ex(error, "message", &message);
    }
    if (message && json_object_is_type(message, json_type_string))
        snprintf(out, outlen, "HTTP %ld: %.300s", status, json_object_get_string(message));
    else
        snprintf(out, outlen, "HTTP %ld: %.200s", status, body->len ? body->data : "(no body)");
    json_object_put(answer);
    if (inst->key) {
        size_t klen = strlen(inst->key);
        for (char *at = strstr(out, inst->key); at; at = strstr(at, inst->key))
            memset(at, '*', klen);
    }
}

/* The one model the server lists at URL/models ({"data": [{"id": ...}]}), when model= is not
 * given: a server with several asks the user to choose. */
static int ask_model(llm_instance *inst) {
    const xlate_host *h = inst->host;
    xp_buf url = XP_BUF_INIT, body = XP_BUF_INIT, ids = XP_BUF_INIT;
    long status = 0;
    char err[CURL_ERROR_SIZE + 64], detail[512];
    int rc = XLATE_ERROR;
    json_object *answer = NULL;
    xlate_json_why why;
    if (xp_buf_printf(&url, "%s/models", inst->url) != 0) {
        rc = XLATE_ENOMEM;
    } else if (xlate_http_get(&inst->transport, url.data, inst->headers, &status, &body, err,
                              sizeof err) != 0) {
        h->set_error(inst->ctx, "cannot reach the server at %s: %s; is it running?", inst->url,
                     err);
    } else if (status != 200) {
        error_detail(inst, status, &body, detail, sizeof detail);
        h->set_error(inst->ctx, "%s answered %s; give the model with model=%s", url.data, detail,
                     status == 401 || status == 403 ? " (and check the key)" : "");
    } else {
        json_object *data = NULL;
        if (xlate_json_parse(body.data, body.len, &answer, &why) == 0)
            data = xlate_json_member(answer, NULL, "data", json_type_array, &why);
        size_t n = data ? json_object_array_length(data) : 0;
        for (size_t i = 0; i < n; i++) {
            json_object *m = xlate_json_element(data, "data", i, json_type_object, &why);
            json_object *id = m ? xlate_json_member(m, "data[]", "id", json_type_string, &why) : NULL;
            if (!id) {
                data = NULL;
                break;
            }
            if (xp_buf_printf(&ids, "%s%s", ids.len ? ", " : "", json_object_get_string(id)) != 0)
                break;
            if (n == 1)
                inst->model = strdup(json_object_get_string(id));
        }
        if (!data)
            h->set_error(inst->ctx, "the server's model list (%s) cannot be used: %s; give the "
                                    "model with model=", url.data, why.text);
        else if (n == 0)
            h->set_error(inst->ctx, "the server at %s lists no model; give one with model=",
                         inst->url);
        else if (n > 1)
            h->set_error(inst->ctx, "the server at %s offers several models (%s); choose one with "
                                    "model=", inst->url, ids.data);
        else
            rc = inst->model ? XLATE_OK : XLATE_ENOMEM;
    }
    json_object_put(answer);
    xp_buf_free(&url);
    xp_buf_free(&body);
    xp_buf_free(&ids);
    return rc;
}

/* The name the usage is counted under: "openai" for OpenAI's own API, else "llm-" and the
 * server's host ("llm-127-0-0-1", "llm-localhost"), so that each server has its own line. */
static void service_name(const char *url, char *out, size_t outlen) {
    const char *host = strstr(url, "://");
    host = host ? host + 3 : url;
    const char *at = strpbrk(host, "@/");
    if (at && *at == '@')
        host = at + 1;
    size_t len = strcspn(host, ":/?#");
    if (len == strlen("api.openai.com") && strncasecmp(host, "api.openai.com", len) == 0) {
        snprintf(out, outlen, "openai");
        return;
    }
    size_t n = (size_t)snprintf(out, outlen, "llm-");
    for (size_t i = 0; i < len && n + 1 < outlen; i++) {
        char c = host[i];
        c = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
        out[n++] = ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') ? c : '-';
    }
    out[n] = '\0';
}

static int llm_create(const xlate_host *host, xlate_plugin_ctx *ctx, const xlate_options *options,
                      void **instance) {
    const char *why = xlate_http_setup();
    if (why) {
        host->set_error(ctx, "cannot initialize libcurl: %s", why);
        return XLATE_ERROR;
    }
    llm_instance *inst = calloc(1, sizeof *inst);
    if (!inst) {
        host->set_error(ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    inst->host = host;
    inst->ctx = ctx;
    const char *from = host->source_lang(ctx), *to = host->target_lang(ctx);
    int rc = read_options(inst, options);
    if (rc == XLATE_OK && (!to || !*to)) {
        host->set_error(ctx, "no target language: give --to");
        rc = XLATE_EINVAL;
    }
    if (rc == XLATE_OK) {
        language_name(from, inst->source_name, sizeof inst->source_name);
        language_name(to, inst->target_name, sizeof inst->target_name);
        inst->checker = llm_checker_new(from, to);
        if (!inst->checker)
            rc = XLATE_ENOMEM;
    }
    inst->dry_run = XLATE_HOST_HAS(host, dry_run) && host->dry_run(ctx);
    if (rc == XLATE_OK)
        service_name(inst->url, inst->service, sizeof inst->service);
    /* a dry run asks the server nothing, not even its model */
    if (rc == XLATE_OK && !inst->model && !inst->dry_run)
        rc = ask_model(inst);
    if (rc == XLATE_ENOMEM)
        host->set_error(ctx, "out of memory");
    if (rc != XLATE_OK) {
        llm_destroy(inst);
        return rc;
    }
    *instance = inst;
    return XLATE_OK;
}

/* --- building requests ------------------------------------------------------------------- */

typedef struct llm_job {
    llm_instance *inst;
    xlate_batch *batch;
    llm_seg *segs;
    size_t n;
} llm_job;

/* The target a segment of this batch had before us that is a translation: a translation
 * memory's match. A glossary's source-with-terms is no translation. */
static const char *known_translation(const llm_job *job, size_t i, size_t *len) {
    const xlate_host *h = job->inst->host;
    if (!XLATE_HOST_HAS(h, segment_match_score) || h->segment_match_score(job->batch, i) < 0)
        return NULL;
    return h->segment_target(job->batch, i, len);
}

/* The `context` segments before segment i of the batch, oldest first: the end of the history,
 * then the batch's own. A segment of this batch is given without its translation unless a
 * memory filled it: the batch's requests run at once, so whether the model's translation of an
 * earlier one is known would depend on timing. */
static size_t gather_context(const llm_job *job, size_t i, llm_context_segment *out) {
    const llm_instance *inst = job->inst;
    const xlate_host *h = inst->host;
    size_t want = (size_t)inst->context, n = 0;
    size_t from_batch = i < want ? i : want;
    size_t from_history = want - from_batch;
    if (from_history > inst->history.n)
        from_history = inst->history.n;
    for (size_t k = inst->history.n - from_history; k < inst->history.n; k++) {
        out[n].source = inst->history.sources[k];
        out[n].source_len = strlen(out[n].source);
        out[n].target = inst->history.targets[k];
        out[n].target_len = out[n].target ? strlen(out[n].target) : 0;
        n++;
    }
    for (size_t j = i - from_batch; j < i; j++) {
        out[n].source = h->segment_source(job->batch, j, &out[n].source_len);
        out[n].target = known_translation(job, j, &out[n].target_len);
        n++;
    }
    return n;
}

/* The segment's terms for the prompt: the span as the source has it, the target to use (a term
 * kept as it is: its own text). */
static int gather_terms(const llm_job *job, llm_seg *seg) {
    const xlate_host *h = job->inst->host;
    size_t n = h->segment_term_count(job->batch, seg->index);
    if (n == 0)
        return 0;
    seg->terms = calloc(n, sizeof *seg->terms);
    seg->kept = calloc(n, sizeof *seg->kept);
    if (!seg->terms || !seg->kept)
        return -1;
    for (size_t k = 0; k < n; k++) {
        const xlate_term *t = h->segment_term(job->batch, seg->index, k);
        if (!t || t->end > seg->source_len || t->start > t->end)
            continue;
        llm_prompt_term *p = &seg->terms[seg->n_terms++];
        p->source = seg->source + t->start;
        p->source_len = t->end - t->start;
        p->target = t->target;
        if ((t->flags & XLATE_TERM_KEEP) || !p->target) {
            /* kept as it stands: the target is the source's own text */
            seg->kept[seg->n_terms - 1] = strndup(p->source, p->source_len);
            if (!seg->kept[seg->n_terms - 1])
                return -1;
            p->target = seg->kept[seg->n_terms - 1];
        }
    }
    return 0;
}

static int has_codes(const xlate_host *h, const xlate_batch *batch, size_t i) {
    return XLATE_HOST_HAS(h, segment_code_count) && h->segment_code_count(batch, i) > 0;
}

static int prepare_segment(llm_job *job, llm_seg *seg, llm_context_segment *context) {
    const llm_instance *inst = job->inst;
    const xlate_host *h = inst->host;
    seg->source = h->segment_source(job->batch, seg->index, &seg->source_len);
    int tags = has_codes(h, job->batch, seg->index);
    if (tags && h->segment_masked_source(job->batch, seg->index, LLM_TAG_FORMAT, &seg->masked,
                                         &seg->masked_len) != XLATE_OK)
        return -1;
    if (!tags && gather_terms(job, seg) != 0)
        return -1;
    llm_prompt p = {
        .model = inst->model,
        .source_name = inst->source_name,
        .target_name = inst->target_name,
        .context = context,
        .n_context = gather_context(job, seg->index, context),
        .terms = seg->terms,
        .n_terms = seg->n_terms,
        .tags = tags,
        .text = tags ? seg->masked : seg->source,
        .len = tags ? seg->masked_len : seg->source_len,
    };
    seg->request = llm_prompt_request(&p);
    if (!seg->request || llm_prompt_serialize(seg->request, &seg->body) != 0)
        return -1;
    seg->call.url = inst->endpoint;
    seg->call.json = 1;
    seg->call.headers = inst->headers;
    seg->call.body = seg->body.data;
    seg->call.body_len = seg->body.len;
    return 0;
}

/* --- reading and checking answers -------------------------------------------------------- */

/* The model's text from a chat-completions answer: choices[0].message.content. */
static int read_content(const llm_seg *seg, xp_buf *out, xlate_json_why *why) {
    json_object *answer = NULL;
    int rc = -1;
    if (xlate_json_parse(seg->call.response.data, seg->call.response.len, &answer, why) == 0) {
        json_object *choices = xlate_json_member(answer, NULL, "choices", json_type_array, why);
        if (choices && json_object_array_length(choices) == 0)
            snprintf(why->text, sizeof why->text, "choices is empty; one choice was expected");
        json_object *first = choices && json_object_array_length(choices) > 0
                                 ? xlate_json_element(choices, "choices", 0, json_type_object, why)
                                 : NULL;
        json_object *message =
            first ? xlate_json_member(first, "choices[0]", "message", json_type_object, why)
                  : NULL;
        json_object *content =
            message ? xlate_json_member(message, "choices[0].message", "content",
                                        json_type_string, why)
                    : NULL;
        if (content) {
            xp_buf_reset(out);
            rc = xp_buf_append(out, json_object_get_string(content),
                               (size_t)json_object_get_string_len(content));
            if (rc != 0)
                snprintf(why->text, sizeof why->text, "out of memory");
        }
    }
    json_object_put(answer);
    return rc;
}

/* Each tag of the masked source, exactly once in the answer (ASCII case aside, as the host
 * reads them back). */
static int check_tags(const llm_seg *seg, const char *answer, size_t len, char *why, size_t whylen) {
    const char *p = seg->masked, *end = seg->masked + seg->masked_len;
    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        const char *close = memchr(p, '>', (size_t)(end - p));
        if (!close)
            break;
        size_t tlen = (size_t)(close - p) + 1;
        unsigned number;
        int used = 0;
        if (sscanf(p, "<x%u/%n", &number, &used) == 1 && used > 0 && p + used == close) {
            size_t count = 0;
            for (size_t i = 0; i + tlen <= len; i++)
                if (strncasecmp(answer + i, p, tlen) == 0)
                    count++;
            if (count != 1) {
                snprintf(why, whylen, "%s the tag %.*s%s.", count ? "You repeated" : "You left out",
                         (int)tlen, p, count ? "; keep it exactly once" : "; keep every tag");
                return 1;
            }
        }
        p = close + 1;
    }
    return 0;
}

/* The check of an answer, in the order that names the likeliest cause: chatter makes an
 * answer long and many-lined, so it comes before the count of sentences. */
static llm_verdict check_answer(llm_job *job, llm_seg *seg) {
    const char *a = seg->answer.data;
    size_t len = seg->answer.len;
    char why[480];
    if (len == 0) {
        snprintf(seg->why, sizeof seg->why, "Your answer was empty.");
        return VERDICT_EMPTY;
    }
    if (llm_answer_chatter(a, len, seg->source, seg->source_len, why, sizeof why)) {
        snprintf(seg->why, sizeof seg->why, "Your answer held more than the translation: %s.", why);
        return VERDICT_CHATTER;
    }
    const char *text = seg->masked ? seg->masked : seg->source;
    size_t text_len = seg->masked ? seg->masked_len : seg->source_len;
    int merged = llm_answer_merged(job->inst->checker, a, len, text, text_len, why, sizeof why);
    if (merged != 0) {
        snprintf(seg->why, sizeof seg->why,
                 merged < 0 ? "The answer's sentences could not be counted (ICU failed)."
                            : "Your answer was not the translation of this one segment: %s.",
                 why);
        return VERDICT_MERGED;
    }
    if (seg->masked && check_tags(seg, a, len, seg->why, sizeof seg->why))
        return VERDICT_TAG_LOST;
    for (size_t k = 0; k < seg->n_terms; k++) {
        const llm_prompt_term *t = &seg->terms[k];
        int has = llm_answer_has_term(job->inst->checker, a, len, t->target, strlen(t->target));
        if (has != 1) {
            snprintf(seg->why, sizeof seg->why, "You did not use the term «%s» for «%.*s».",
                     t->target, (int)t->source_len, t->source);
            return VERDICT_TERM_MISSING;
        }
    }
    return VERDICT_OK;
}

/* Reads the outcome of the segment's last request. A request with no usable answer leaves an
 * earlier round's answer in place. */
static void evaluate(llm_job *job, llm_seg *seg) {
    llm_instance *inst = job->inst;
    const xlate_http_call *call = &seg->call;
    char detail[560];
    xlate_json_why why;
    if (call->network_error) {
        snprintf(seg->why, sizeof seg->why, "no answer: %s (after %d attempt%s)", call->error,
                 call->attempts, call->attempts == 1 ? "" : "s");
        seg->verdict = VERDICT_NO_ANSWER;
        return;
    }
    if (call->status != 200) {
        error_detail(inst, call->status, &call->response, detail, sizeof detail);
        snprintf(seg->why, sizeof seg->why, "%s%s", detail,
                 call->attempts > 1 ? " (after retries)" : "");
        seg->verdict = VERDICT_NO_ANSWER;
        return;
    }
    if (read_content(seg, &seg->raw, &why) != 0) {
        snprintf(seg->why, sizeof seg->why, "the answer cannot be used: %s", why.text);
        seg->verdict = VERDICT_NO_ANSWER;
        return;
    }
    xp_buf_reset(&seg->answer);
    if (llm_answer_unwrap(seg->raw.data, seg->raw.len, seg->source, seg->source_len,
                          &seg->answer) != 0) {
        snprintf(seg->why, sizeof seg->why, "out of memory");
        seg->verdict = VERDICT_NO_ANSWER;
        return;
    }
    seg->have_answer = 1;
    seg->verdict = check_answer(job, seg);
}

/* --- setting targets --------------------------------------------------------------------- */

/* Finds each term's target, as written, at its own place in the answer. Returns 1 with the
 * places, 0 when one is not there as written (a capital at a sentence's start, another form). */
static int place_terms(const llm_seg *seg, size_t *starts) {
    const char *a = seg->answer.data;
    size_t len = seg->answer.len;
    for (size_t k = 0; k < seg->n_terms; k++) {
        size_t tlen = strlen(seg->terms[k].target);
        int placed = 0;
        for (size_t i = 0; !placed && tlen > 0 && i + tlen <= len; i++) {
            if (memcmp(a + i, seg->terms[k].target, tlen) != 0)
                continue;
            int taken = 0;
            for (size_t j = 0; j < k && !taken; j++)
                taken = i < starts[j] + strlen(seg->terms[j].target) && starts[j] < i + tlen;
            if (!taken) {
                starts[k] = i;
                placed = 1;
            }
        }
        if (!placed)
            return 0;
    }
    return 1;
}

/* Sets a target from a plain source's answer so that the term spans know where their targets
 * are: each term's target, found as written, is replaced by the placeholder the host made for
 * its span, and segment_set_unmasked_target puts the same text back and records the places. The
 * text set is the answer, byte for byte. When a term is not there as written, the answer is set
 * as it is, with no places. */
static int set_plain_target(llm_job *job, llm_seg *seg) {
    const xlate_host *h = job->inst->host;
    const char *a = seg->answer.data;
    size_t len = seg->answer.len;
    size_t n_spans = h->segment_term_count(job->batch, seg->index);
    if (n_spans == 0 || n_spans != seg->n_terms || memchr(a, XLATE_PLACEHOLDER_OPEN, len) ||
        memchr(a, XLATE_PLACEHOLDER_CLOSE, len))
        return h->segment_set_target(job->batch, seg->index, a, len);
    size_t *starts = calloc(seg->n_terms, sizeof *starts);
    char *masked = NULL;
    size_t masked_len = 0;
    xp_buf out = XP_BUF_INIT;
    int rc = XLATE_ENOMEM;
    if (starts && place_terms(seg, starts) &&
        h->segment_masked_source(job->batch, seg->index, XLATE_PLACEHOLDER_FORMAT, &masked,
                                 &masked_len) == XLATE_OK) {
        /* the masked source's placeholders, in span order: term k's is the k-th */
        const char **ph = calloc(seg->n_terms, sizeof *ph);
        size_t *ph_len = calloc(seg->n_terms, sizeof *ph_len), found = 0;
        for (size_t i = 0; ph && ph_len && i < masked_len && found < seg->n_terms; i++) {
            size_t l = xlate_placeholder_length(masked + i, masked_len - i);
            if (l) {
                ph[found] = masked + i;
                ph_len[found++] = l;
                i += l - 1;
            }
        }
        if (ph && ph_len && found == seg->n_terms) {
            int ok = 0;
            size_t at = 0;
            while (at <= len) {
                size_t next = len, which = 0;
                for (size_t k = 0; k < seg->n_terms; k++)
                    if (starts[k] >= at && starts[k] < next) {
                        next = starts[k];
                        which = k;
                    }
                ok = xp_buf_append(&out, a + at, next - at) == 0;
                if (!ok || next == len)
                    break;
                ok = xp_buf_append(&out, ph[which], ph_len[which]) == 0;
                if (!ok)
                    break;
                at = next + strlen(seg->terms[which].target);
            }
            if (ok)
                rc = h->segment_set_unmasked_target(job->batch, seg->index,
                                                    XLATE_PLACEHOLDER_FORMAT, out.data, out.len);
        }
        free(ph);
        free(ph_len);
    } else if (starts) {
        rc = h->segment_set_target(job->batch, seg->index, a, len);
    }
    if (masked)
        h->free(masked);
    free(starts);
    xp_buf_free(&out);
    return rc;
}

static void fail_segment(llm_job *job, llm_seg *seg, const char *what) {
    char message[900];
    snprintf(message, sizeof message, "llm %s: %s", job->inst->url, what);
    job->inst->host->segment_fail(job->batch, seg->index, message);
}

static const char *warning_code(llm_verdict v) {
    switch (v) {
    case VERDICT_CHATTER:
        return "llm_chatter";
    case VERDICT_MERGED:
        return "llm_merged";
    case VERDICT_TERM_MISSING:
        return "llm_term_missing";
    default:
        return NULL;
    }
}

/* The segment's outcome: its answer as the target, with a warning when the answer failed its
 * check twice; failed when no answer came. */
static void finish_segment(llm_job *job, llm_seg *seg, llm_verdict first, const char *first_why) {
    const xlate_host *h = job->inst->host;
    if (!seg->have_answer || seg->answer.len == 0) {
        fail_segment(job, seg, seg->verdict == VERDICT_EMPTY
                                   ? "the model's answer was empty, also when asked again"
                                   : seg->why);
        return;
    }
    int rc = seg->masked ? h->segment_set_unmasked_target(job->batch, seg->index, LLM_TAG_FORMAT,
                                                          seg->answer.data, seg->answer.len)
                         : set_plain_target(job, seg);
    if (rc != XLATE_OK) {
        fail_segment(job, seg, "the answer cannot be the segment's target (a NUL character in "
                               "it, or memory ran out)");
        return;
    }
    /* A retry that got no answer leaves the first answer's failure standing. */
    llm_verdict v = seg->verdict == VERDICT_NO_ANSWER ? first : seg->verdict;
    const char *why = seg->verdict == VERDICT_NO_ANSWER ? first_why : seg->why;
    const char *code = warning_code(v);
    if (code) {
        char message[900];
        snprintf(message, sizeof message, "the model's answer failed its check twice and is "
                                          "kept as it is: %s", why);
        h->segment_warn(job->batch, seg->index, code, message);
    }
    /* a lost tag: the host marks it (term_lost, code_lost) as it sets the target */
}

/* --- the history ------------------------------------------------------------------------- */

static int history_push(llm_history *hist, size_t keep, const char *source, size_t source_len,
                        const char *target, size_t target_len) {
    if (keep == 0)
        return 0;
    if (hist->n == keep) {
        free(hist->sources[0]);
        free(hist->targets[0]);
        memmove(hist->sources, hist->sources + 1, (hist->n - 1) * sizeof *hist->sources);
        memmove(hist->targets, hist->targets + 1, (hist->n - 1) * sizeof *hist->targets);
        hist->n--;
    }
    if (hist->n == hist->cap) {
        size_t cap = keep;
        char **s = realloc(hist->sources, cap * sizeof *s);
        if (!s)
            return -1;
        hist->sources = s;
        char **t = realloc(hist->targets, cap * sizeof *t);
        if (!t)
            return -1;
        hist->targets = t;
        hist->cap = cap;
    }
    char *s = strndup(source, source_len);
    char *t = target ? strndup(target, target_len) : NULL;
    if (!s || (target && !t)) {
        free(s);
        free(t);
        return -1;
    }
    hist->sources[hist->n] = s;
    hist->targets[hist->n] = t;
    hist->n++;
    return 0;
}

/* A batch continues the history only when it is the next part of the same document. */
static void history_align(llm_instance *inst, xlate_batch *batch) {
    const xlate_host *h = inst->host;
    llm_history *hist = &inst->history;
    const char *doc = XLATE_HOST_HAS(h, document_name) ? h->document_name(batch) : "";
    size_t first = XLATE_HOST_HAS(h, segment_index) ? h->segment_index(batch, 0) : 0;
    if (!hist->document || strcmp(hist->document, doc ? doc : "") != 0 ||
        first != hist->next_index || first == 0) {
        history_clear(hist);
        hist->document = strdup(doc ? doc : "");
    }
    hist->next_index = first + h->batch_count(batch);
}

/* Each segment of the batch into the history, with the translation it ended with: ours, or a
 * memory's. */
static int history_record(llm_job *job) {
    llm_instance *inst = job->inst;
    const xlate_host *h = inst->host;
    size_t total = h->batch_count(job->batch), s = 0;
    size_t from = total > (size_t)inst->context ? total - (size_t)inst->context : 0;
    while (s < job->n && job->segs[s].index < from)
        s++;
    for (size_t i = from; i < total; i++) {
        size_t slen, tlen = 0;
        const char *source = h->segment_source(job->batch, i, &slen);
        const char *target = NULL;
        if (s < job->n && job->segs[s].index == i) {
            /* ours, unless it failed; in a dry run the target is still the glossary's */
            if (!inst->dry_run && h->segment_active(job->batch, i))
                target = h->segment_target(job->batch, i, &tlen);
            s++;
        } else {
            target = known_translation(job, i, &tlen);
        }
        if (history_push(&inst->history, (size_t)inst->context, source, slen, target, tlen) != 0)
            return -1;
    }
    return 0;
}

/* --- process ----------------------------------------------------------------------------- */

static void free_job(llm_job *job) {
    for (size_t k = 0; k < job->n; k++) {
        llm_seg *seg = &job->segs[k];
        if (seg->masked)
            job->inst->host->free(seg->masked);
        for (size_t t = 0; seg->kept && t < seg->n_terms; t++)
            free(seg->kept[t]);
        free(seg->kept);
        free(seg->terms);
        json_object_put(seg->request);
        xp_buf_free(&seg->body);
        xp_buf_free(&seg->raw);
        xp_buf_free(&seg->answer);
        xlate_http_call_free(&seg->call);
    }
    free(job->segs);
}

/* The segments the engine gets, with their first requests. */
static int prepare_job(llm_job *job) {
    const xlate_host *h = job->inst->host;
    size_t total = h->batch_count(job->batch);
    job->segs = calloc(total + 1, sizeof *job->segs);
    llm_context_segment *context = calloc((size_t)job->inst->context + 1, sizeof *context);
    int rc = job->segs && context ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < total; i++) {
        if (!xlate_translator_wants(h, job->batch, i, job->inst->force))
            continue;
        llm_seg *seg = &job->segs[job->n++];
        seg->index = i;
        rc = prepare_segment(job, seg, context);
    }
    free(context);
    return rc;
}

/* What a round sent: each attempt is a request, with every message's characters. */
static void count_round(llm_job *job, const unsigned char *pick) {
    const xlate_host *h = job->inst->host;
    if (!XLATE_HOST_HAS(h, count_usage))
        return;
    uint64_t requests = 0, characters = 0;
    for (size_t k = 0; k < job->n; k++) {
        if (!pick[k] || job->segs[k].call.attempts == 0)
            continue;
        requests += (uint64_t)job->segs[k].call.attempts;
        characters += (uint64_t)job->segs[k].call.attempts *
                      llm_prompt_characters(job->segs[k].request);
    }
    if (requests)
        h->count_usage(job->inst->ctx, job->inst->service, requests, characters);
}

/* A dry run: the first request of every segment, counted and not sent. A retry cannot be
 * foreseen; the segments stay untranslated. */
static void count_dry_run(llm_job *job) {
    const xlate_host *h = job->inst->host;
    uint64_t characters = 0;
    for (size_t k = 0; k < job->n; k++)
        characters += llm_prompt_characters(job->segs[k].request);
    if (job->n && XLATE_HOST_HAS(h, count_usage))
        h->count_usage(job->inst->ctx, job->inst->service, job->n, characters);
}

/* Runs the requests of the segments whose `pick` is set. The transport runs an array of calls, so
 * the picked ones are moved into one for the round and back into their segments after it.
 * Returns XLATE_OK, or XLATE_ERROR when libcurl cannot be set up. */
static int run_round(llm_job *job, const unsigned char *pick) {
    xlate_http_call *calls = calloc(job->n + 1, sizeof *calls);
    if (!calls) {
        job->inst->host->set_error(job->inst->ctx, "out of memory");
        return XLATE_ENOMEM;
    }
    size_t n = 0;
    for (size_t k = 0; k < job->n; k++)
        if (pick[k]) {
            calls[n] = job->segs[k].call;
            calls[n].attempts = 0;
            calls[n++].state = XLATE_HTTP_CALL_WAITING; /* sent again after an earlier round */
        }
    int rc = n == 0 || xlate_http_run(&job->inst->transport, calls, n) == 0 ? XLATE_OK
                                                                             : XLATE_ERROR;
    n = 0;
    for (size_t k = 0; k < job->n; k++)
        if (pick[k])
            job->segs[k].call = calls[n++];
    free(calls);
    if (rc == XLATE_OK)
        count_round(job, pick);
    if (rc != XLATE_OK)
        job->inst->host->set_error(job->inst->ctx, "cannot set up libcurl's transfers");
    return rc;
}

/* A server that refuses the key refuses every request: the document stops here, naming where
 * the key came from, rather than every segment failing with the same answer. */
static int refused_key(llm_job *job, const unsigned char *pick) {
    for (size_t k = 0; k < job->n; k++) {
        const xlate_http_call *call = &job->segs[k].call;
        if (!pick[k] || (call->status != 401 && call->status != 403))
            continue;
        char detail[600];
        error_detail(job->inst, call->status, &call->response, detail, sizeof detail);
        if (job->inst->key_env)
            job->inst->host->set_error(job->inst->ctx,
                                       "the server at %s refused the key in $%s (%s); check it",
                                       job->inst->url, job->inst->key_env, detail);
        else
            job->inst->host->set_error(job->inst->ctx,
                                       "the server at %s wants a key (%s); put it in an "
                                       "environment variable and name it with key_env=",
                                       job->inst->url, detail);
        return 1;
    }
    return 0;
}

/* The failed checks of the first round, asked again with the failure named. */
static int prepare_retries(llm_job *job, unsigned char *pick) {
    int any = 0;
    for (size_t k = 0; k < job->n; k++) {
        llm_seg *seg = &job->segs[k];
        pick[k] = seg->verdict != VERDICT_OK && seg->verdict != VERDICT_NO_ANSWER;
        if (!pick[k])
            continue;
        if (llm_prompt_add_retry(seg->request, seg->raw.data, seg->raw.len, seg->why) != 0 ||
            llm_prompt_serialize(seg->request, &seg->body) != 0)
            return -1;
        seg->call.body = seg->body.data;
        seg->call.body_len = seg->body.len;
        any = 1;
    }
    return any;
}

static int translate_job(llm_job *job) {
    unsigned char *pick = malloc(job->n + 1);
    llm_verdict *first = calloc(job->n + 1, sizeof *first);
    char (*first_why)[600] = calloc(job->n + 1, sizeof *first_why);
    int rc = pick && first && first_why ? XLATE_OK : XLATE_ENOMEM;
    if (rc == XLATE_OK) {
        memset(pick, 1, job->n);
        rc = run_round(job, pick);
    }
    if (rc == XLATE_OK && refused_key(job, pick))
        rc = XLATE_ERROR;
    for (size_t k = 0; rc == XLATE_OK && k < job->n; k++) {
        evaluate(job, &job->segs[k]);
        first[k] = job->segs[k].verdict;
        memcpy(first_why[k], job->segs[k].why, sizeof first_why[k]);
    }
    int again = rc == XLATE_OK ? prepare_retries(job, pick) : 0;
    if (again < 0)
        rc = XLATE_ENOMEM;
    if (rc == XLATE_OK && again > 0) {
        rc = run_round(job, pick);
        if (rc == XLATE_OK && refused_key(job, pick))
            rc = XLATE_ERROR;
        for (size_t k = 0; rc == XLATE_OK && k < job->n; k++)
            if (pick[k])
                evaluate(job, &job->segs[k]);
    }
    for (size_t k = 0; rc == XLATE_OK && k < job->n; k++)
        finish_segment(job, &job->segs[k], first[k], first_why[k]);
    if (rc == XLATE_ENOMEM)
        job->inst->host->set_error(job->inst->ctx, "out of memory");
    free(pick);
    free(first);
    free(first_why);
    return rc;
}

static int llm_process(void *instance, xlate_batch *batch) {
    llm_instance *inst = instance;
    llm_job job = {inst, batch, NULL, 0};
    if (inst->host->batch_count(batch) == 0)
        return XLATE_OK;
    history_align(inst, batch);
    int rc = prepare_job(&job) == 0 ? XLATE_OK : XLATE_ENOMEM;
    if (rc == XLATE_ENOMEM)
        inst->host->set_error(inst->ctx, "out of memory");
    if (rc == XLATE_OK && job.n > 0 && inst->dry_run)
        count_dry_run(&job);
    else if (rc == XLATE_OK && job.n > 0)
        rc = translate_job(&job);
    if (rc == XLATE_OK && history_record(&job) != 0) {
        inst->host->set_error(inst->ctx, "out of memory");
        rc = XLATE_ENOMEM;
    }
    free_job(&job);
    return rc;
}

static const xlate_plugin llm_plugin = {
    .abi_version = XLATE_ABI_VERSION,
    .struct_size = sizeof(xlate_plugin),
    .name = "llm",
    .version = "1.0.0",
    .description = "language models behind an OpenAI-compatible chat-completions server "
                   "(llama.cpp, Ollama, vLLM), with the glossary's terms and checked answers",
    .kind = XLATE_KIND_TRANSLATOR,
    .pairs = any_pair,
    .n_pairs = 1,
    .options = llm_options,
    .n_options = sizeof llm_options / sizeof llm_options[0],
    .create = llm_create,
    .process = llm_process,
    .destroy = llm_destroy,
    .enumerate_pairs = NULL,
};

/* The plugin reads segment_index and document_name (ABI 1.2) to follow its document. */
XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *host) {
    if (!host || XLATE_ABI_VERSION_MAJOR(host->abi_version) != XLATE_ABI_MAJOR ||
        !XLATE_HOST_HAS(host, document_name))
        return NULL;
    (void)xlate_http_setup(); /* create reports a failure */
    return &llm_plugin;
}
