/*
 * http_transport: parallel POSTs with retries, and single GETs, on libcurl's multi interface (see
 * http_transport.h).
 */
#include "http_transport.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Answers larger than this are refused unless the caller says otherwise: no translation answer
 * is that big. */
#define MAX_RESPONSE_BYTES ((size_t)64 * 1024 * 1024)
#define DEFAULT_USER_AGENT "xlate-http/1.0"
#define BACKOFF_FIRST_MS 500
#define BACKOFF_MAX_MS 30000
#define RETRY_AFTER_MAX_S 60

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static size_t response_limit(const xlate_http_config *config) {
    return config->max_response_bytes ? config->max_response_bytes : MAX_RESPONSE_BYTES;
}

/* Returns what libcurl expects of a write callback: n, or 0 to fail the transfer with
 * CURLE_WRITE_ERROR (too big, or out of memory). */
static size_t append_bounded(xp_buf *b, size_t max, const char *data, size_t n) {
    if (n > max || b->len > max - n || xp_buf_append(b, data, n) != 0)
        return 0;
    return n;
}

static size_t collect_call(char *data, size_t size, size_t nmemb, void *userdata) {
    xlate_http_call *call = userdata;
    return append_bounded(&call->response, call->response_max, data, size * nmemb);
}

typedef struct get_sink {
    xp_buf *body;
    size_t max;
} get_sink;

static size_t collect_get(char *data, size_t size, size_t nmemb, void *userdata) {
    get_sink *sink = userdata;
    return append_bounded(sink->body, sink->max, data, size * nmemb);
}

/* What every request shares: no signals (threads), http(s) only, bounded time. */
static void set_common_options(CURL *easy, const xlate_http_config *config, const char *url,
                               char *errbuf) {
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_TIMEOUT, config->timeout_s);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT,
                     config->timeout_s < 10 ? config->timeout_s : 10L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT,
                     config->user_agent ? config->user_agent : DEFAULT_USER_AGENT);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
}

/* A header list: `first` when not NULL, then `headers`. NULL when empty (*failed set when memory
 * ran out). The lines are copied into the list only, which libcurl never prints. */
static struct curl_slist *header_list(const char *first, const char *const *headers, int *failed) {
    struct curl_slist *list = NULL, *next;
    *failed = 0;
    if (first) {
        if (!(next = curl_slist_append(list, first)))
            goto oom;
        list = next;
    }
    for (const char *const *h = headers; h && *h; h++) {
        if (!(next = curl_slist_append(list, *h)))
            goto oom;
        list = next;
    }
    return list;
oom:
    curl_slist_free_all(list);
    *failed = 1;
    return NULL;
}

static void drop_headers(xlate_http_call *call) {
    curl_slist_free_all(call->header_list);
    call->header_list = NULL;
}

static int start_call(CURLM *multi, const xlate_http_config *config, xlate_http_call *call,
                      struct curl_slist *json) {
    CURL *easy = curl_easy_init();
    if (!easy)
        return -1;
    int failed = 0;
    drop_headers(call);
    if (call->headers) {
        const char *type = call->json ? "Content-Type: application/json" : NULL;
        call->header_list = header_list(type, call->headers, &failed);
        if (failed) {
            curl_easy_cleanup(easy);
            return -1;
        }
    }
    xp_buf_reset(&call->response);
    if (xp_buf_reserve(&call->curl_error, CURL_ERROR_SIZE) != 0) {
        curl_easy_cleanup(easy);
        return -1;
    }
    call->curl_error.data[0] = '\0';
    call->response_max = response_limit(config);
    set_common_options(easy, config, call->url, call->curl_error.data);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, collect_call);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, call);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, call->body);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)call->body_len);
    if (call->header_list)
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, (struct curl_slist *)call->header_list);
    else if (call->json)
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, json);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, call);
    if (curl_multi_add_handle(multi, easy) != CURLM_OK) {
        curl_easy_cleanup(easy);
        return -1;
    }
    call->easy = easy;
    call->state = XLATE_HTTP_CALL_RUNNING;
    call->attempts++;
    return 0;
}

/* Failures that may pass when tried again later. */
static int transient_network_error(CURLcode rc) {
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
        return 1;
    default:
        return 0;
    }
}

static long long retry_after_ms(long retry_after_s) {
    return (retry_after_s < RETRY_AFTER_MAX_S ? retry_after_s : RETRY_AFTER_MAX_S) * 1000LL;
}

/* How long the call waits before its next attempt: the doubling backoff, or the server's
 * Retry-After, as the config says (see retry_after_holds_run). */
static long long backoff_ms(const xlate_http_config *config, const xlate_http_call *call,
                            long retry_after_s) {
    if (retry_after_s > 0 && config->retry_after_holds_run)
        return retry_after_ms(retry_after_s);
    long long wait = BACKOFF_FIRST_MS;
    for (int i = 1; i < call->attempts && wait < BACKOFF_MAX_MS; i++)
        wait *= 2;
    if (wait > BACKOFF_MAX_MS)
        wait = BACKOFF_MAX_MS;
    if (retry_after_s > 0 && retry_after_ms(retry_after_s) > wait)
        wait = retry_after_ms(retry_after_s);
    return wait;
}

/* Returns when the server allows the next request of the run when the config makes a 429's
 * Retry-After hold them all; 0 otherwise. */
static long long finish_call(CURLM *multi, const xlate_http_config *config, xlate_http_call *call,
                             CURLcode rc) {
    CURL *easy = call->easy;
    long status = 0;
    curl_off_t retry_after = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(easy, CURLINFO_RETRY_AFTER, &retry_after);
    curl_multi_remove_handle(multi, easy);
    curl_easy_cleanup(easy);
    drop_headers(call);
    call->easy = NULL;
    call->status = rc == CURLE_OK ? status : 0;
    call->network_error = rc != CURLE_OK;
    if (rc != CURLE_OK)
        snprintf(call->error, sizeof call->error, "%s",
                 call->curl_error.data[0] ? call->curl_error.data : curl_easy_strerror(rc));
    int retry = rc != CURLE_OK ? transient_network_error(rc)
                               : (status == 429 || (status >= 500 && status <= 599));
    if (retry && call->attempts <= config->retries) {
        call->state = XLATE_HTTP_CALL_WAITING;
        call->not_before_ms = now_ms() + backoff_ms(config, call, (long)retry_after);
    } else {
        call->state = XLATE_HTTP_CALL_DONE;
    }
    return config->retry_after_holds_run && rc == CURLE_OK && status == 429 && retry_after > 0
               ? now_ms() + retry_after_ms((long)retry_after)
               : 0;
}

/* Starts the calls that are due, up to `parallel` in flight, none before `pause_until`;
 * *next_due is when the next waiting one may start (-1: none waits). A call that cannot be set up
 * is done with a network error. */
static void start_due_calls(CURLM *multi, const xlate_http_config *config, xlate_http_call *calls,
                            size_t n, size_t *running, size_t *done, struct curl_slist *json,
                            long long pause_until, long long *next_due) {
    long long now = now_ms();
    *next_due = -1;
    if (pause_until > now) {
        *next_due = pause_until;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        xlate_http_call *c = &calls[i];
        if (c->state != XLATE_HTTP_CALL_WAITING)
            continue;
        if (c->not_before_ms > now) {
            if (*next_due < 0 || c->not_before_ms < *next_due)
                *next_due = c->not_before_ms;
            continue;
        }
        if (*running >= (size_t)config->parallel)
            continue;
        if (start_call(multi, config, c, json) != 0) {
            snprintf(c->error, sizeof c->error, "cannot set up the request (out of memory)");
            c->network_error = 1;
            c->state = XLATE_HTTP_CALL_DONE;
            (*done)++;
            continue;
        }
        (*running)++;
    }
}

static pthread_once_t curl_setup_once = PTHREAD_ONCE_INIT;
static CURLcode curl_setup = CURLE_FAILED_INIT;

static void set_up_curl(void) {
    curl_setup = curl_global_init(CURL_GLOBAL_DEFAULT);
}

__attribute__((destructor)) static void clean_up_curl(void) {
    if (curl_setup == CURLE_OK)
        curl_global_cleanup();
}

const char *xlate_http_setup(void) {
    pthread_once(&curl_setup_once, set_up_curl);
    return curl_setup == CURLE_OK ? NULL : curl_easy_strerror(curl_setup);
}

int xlate_http_run(const xlate_http_config *config, xlate_http_call *calls, size_t n) {
    CURLM *multi = curl_multi_init();
    struct curl_slist *json = curl_slist_append(NULL, "Content-Type: application/json");
    if (!multi || !json) {
        curl_multi_cleanup(multi);
        curl_slist_free_all(json);
        return -1;
    }
    size_t running = 0, done = 0;
    long long pause_until = 0;
    for (size_t i = 0; i < n; i++) {
        if (calls[i].state == XLATE_HTTP_CALL_DONE)
            done++;
        else
            calls[i].not_before_ms = 0; /* a call sent again waits for nothing of its last run */
    }
    while (done < n) {
        long long next_due;
        start_due_calls(multi, config, calls, n, &running, &done, json, pause_until, &next_due);
        int still = 0;
        curl_multi_perform(multi, &still);
        CURLMsg *msg;
        int left, finished = 0;
        while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            xlate_http_call *call = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&call);
            long long pause = finish_call(multi, config, call, msg->data.result);
            if (pause > pause_until)
                pause_until = pause;
            running--;
            finished++;
            if (call->state == XLATE_HTTP_CALL_DONE)
                done++;
        }
        /* A call that ended frees a place: the next waiting call starts now, not after a poll
         * that has nothing in flight to wake it. */
        if (done == n || finished > 0)
            continue;
        int wait_ms = 1000; /* curl_multi_poll returns early when a transfer has news */
        if (next_due >= 0) {
            long long until = next_due - now_ms();
            if (until < wait_ms)
                wait_ms = until < 0 ? 0 : (int)until;
        }
        if (running > 0 || wait_ms > 0)
            curl_multi_poll(multi, NULL, 0, wait_ms, NULL);
    }
    curl_slist_free_all(json);
    curl_multi_cleanup(multi);
    return 0;
}

void xlate_http_call_free(xlate_http_call *call) {
    drop_headers(call);
    xp_buf_free(&call->response);
    xp_buf_free(&call->curl_error);
}

int xlate_http_get(const xlate_http_config *config, const char *url, const char *const *headers,
                   long *status, xp_buf *body, char *err, size_t errlen) {
    CURL *easy = curl_easy_init();
    int failed = 0;
    struct curl_slist *list = header_list(NULL, headers, &failed);
    char errbuf[CURL_ERROR_SIZE] = "";
    if (!easy || failed) {
        curl_easy_cleanup(easy);
        curl_slist_free_all(list);
        snprintf(err, errlen, "cannot set up libcurl");
        return -1;
    }
    get_sink sink = {body, response_limit(config)};
    set_common_options(easy, config, url, errbuf);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, collect_get);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &sink);
    if (list)
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, list);
    CURLcode rc = curl_easy_perform(easy);
    if (rc == CURLE_OK)
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, status);
    else
        snprintf(err, errlen, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
    curl_easy_cleanup(easy);
    curl_slist_free_all(list);
    return rc == CURLE_OK ? 0 : -1;
}
