/*
 * transport: parallel POSTs with retries on libcurl's multi interface (see transport.h).
 */
#include "transport.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Answers larger than this are refused: no translation answer is that big. */
#define MAX_RESPONSE_BYTES (64L * 1024 * 1024)
#define BACKOFF_FIRST_MS 500
#define BACKOFF_MAX_MS 30000
#define RETRY_AFTER_MAX_S 60

enum call_state { CALL_WAITING = 0, CALL_RUNNING = 1, CALL_DONE = 2 };

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static size_t collect(char *data, size_t size, size_t nmemb, void *userdata) {
    xp_buf *b = userdata;
    size_t n = size * nmemb;
    if (b->len + n > (size_t)MAX_RESPONSE_BYTES || xp_buf_append(b, data, n) != 0)
        return 0; /* makes libcurl fail the transfer with CURLE_WRITE_ERROR */
    return n;
}

/* What every request of the plugin shares: no signals (threads), http(s) only, bounded time. */
static void set_common_options(CURL *easy, const char *url, long timeout_s, xp_buf *response,
                               char *errbuf) {
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_TIMEOUT, timeout_s);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, timeout_s < 10 ? timeout_s : 10L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "xlate-http/1.0");
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, response);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
}

static struct curl_slist *json_headers(void) {
    return curl_slist_append(NULL, "Content-Type: application/json");
}

/* The call's headers: the JSON content type when its body is JSON, then its own. NULL when it has
 * none (*failed set when memory ran out). */
static struct curl_slist *call_headers(const xlate_http_call *call, int *failed) {
    struct curl_slist *list = NULL, *next;
    *failed = 0;
    if (call->json) {
        if (!(next = curl_slist_append(list, "Content-Type: application/json")))
            goto oom;
        list = next;
    }
    for (const char *const *h = call->headers; h && *h; h++) {
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
        call->header_list = call_headers(call, &failed);
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
    set_common_options(easy, call->url, config->timeout_s, &call->response, call->curl_error.data);
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
    call->state = CALL_RUNNING;
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

static long long backoff_ms(const xlate_http_call *call, long retry_after_s) {
    long long wait = BACKOFF_FIRST_MS;
    for (int i = 1; i < call->attempts && wait < BACKOFF_MAX_MS; i++)
        wait *= 2;
    if (wait > BACKOFF_MAX_MS)
        wait = BACKOFF_MAX_MS;
    if (retry_after_s > 0) {
        long s = retry_after_s < RETRY_AFTER_MAX_S ? retry_after_s : RETRY_AFTER_MAX_S;
        if (s * 1000LL > wait)
            wait = s * 1000LL;
    }
    return wait;
}

static void finish_call(CURLM *multi, const xlate_http_config *config, xlate_http_call *call,
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
        call->state = CALL_WAITING;
        call->not_before_ms = now_ms() + backoff_ms(call, (long)retry_after);
    } else {
        call->state = CALL_DONE;
    }
}

static int start_due_calls(CURLM *multi, const xlate_http_config *config, xlate_http_call *calls,
                           size_t n, size_t *running, struct curl_slist *json,
                           long long *next_due) {
    long long now = now_ms();
    *next_due = -1;
    for (size_t i = 0; i < n; i++) {
        xlate_http_call *c = &calls[i];
        if (c->state != CALL_WAITING)
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
            c->state = CALL_DONE;
            continue;
        }
        (*running)++;
    }
    return 0;
}

int xlate_http_run(const xlate_http_config *config, xlate_http_call *calls, size_t n) {
    CURLM *multi = curl_multi_init();
    struct curl_slist *json = json_headers();
    if (!multi || !json) {
        curl_multi_cleanup(multi);
        curl_slist_free_all(json);
        return -1;
    }
    size_t running = 0, done = 0;
    for (size_t i = 0; i < n; i++)
        if (calls[i].state == CALL_DONE)
            done++;
    while (done < n) {
        long long next_due;
        start_due_calls(multi, config, calls, n, &running, json, &next_due);
        int still = 0;
        curl_multi_perform(multi, &still);
        CURLMsg *msg;
        int left, finished = 0;
        while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            xlate_http_call *call = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&call);
            finish_call(multi, config, call, msg->data.result);
            running--;
            finished++;
            if (call->state == CALL_DONE)
                done++;
        }
        if (done == n)
            break;
        /* A call that ended frees a place: the next waiting call starts now, not after a poll
         * that has nothing in flight to wake it. */
        if (finished)
            continue;
        int wait_ms = 1000;
        if (next_due >= 0) {
            long long until = next_due - now_ms();
            wait_ms = until < 0 ? 0 : until < wait_ms ? (int)until : wait_ms;
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

int xlate_http_get(const char *url, long timeout_s, long *status, xp_buf *body, char *err,
                   size_t errlen) {
    CURL *easy = curl_easy_init();
    char errbuf[CURL_ERROR_SIZE] = "";
    if (!easy) {
        snprintf(err, errlen, "cannot set up libcurl");
        return -1;
    }
    set_common_options(easy, url, timeout_s, body, errbuf);
    CURLcode rc = curl_easy_perform(easy);
    if (rc == CURLE_OK)
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, status);
    else
        snprintf(err, errlen, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
    curl_easy_cleanup(easy);
    return rc == CURLE_OK ? 0 : -1;
}
