/*
 * chat_transport: parallel POSTs with retries and request headers on libcurl's multi interface
 * (see chat_transport.h).
 */
#include "chat_transport.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Answers larger than this are refused: no chat answer for one segment is that big. */
#define MAX_RESPONSE_BYTES (16L * 1024 * 1024)
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

/* The headers of every request. The key is in the list only, which libcurl never prints. An
 * empty "Expect:" stops libcurl from waiting for a "100 Continue" before larger bodies. */
static struct curl_slist *request_headers(const llm_transport *t) {
    struct curl_slist *list = curl_slist_append(NULL, "Content-Type: application/json");
    struct curl_slist *more = list ? curl_slist_append(list, "Expect:") : NULL;
    if (!more) {
        curl_slist_free_all(list);
        return NULL;
    }
    list = more;
    if (t->bearer) {
        xp_buf line = XP_BUF_INIT;
        if (xp_buf_printf(&line, "Authorization: Bearer %s", t->bearer) == 0)
            more = curl_slist_append(list, line.data);
        else
            more = NULL;
        if (line.data)
            memset(line.data, 0, line.len);
        xp_buf_free(&line);
        if (!more) {
            curl_slist_free_all(list);
            return NULL;
        }
    }
    return list;
}

/* What every request shares: no signals (threads), http(s) only, no redirects, bounded time. */
static void set_common_options(CURL *easy, const llm_transport *t, const char *url,
                               struct curl_slist *headers, xp_buf *response, char *errbuf) {
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_TIMEOUT, t->timeout_s);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, t->timeout_s < 10 ? t->timeout_s : 10L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "xlate-llm/1.0");
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, response);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
}

static int start_call(CURLM *multi, const llm_transport *t, llm_call *call,
                      struct curl_slist *headers) {
    if (!call->curl_error && !(call->curl_error = malloc(CURL_ERROR_SIZE)))
        return -1;
    CURL *easy = curl_easy_init();
    if (!easy)
        return -1;
    xp_buf_reset(&call->response);
    call->curl_error[0] = '\0';
    set_common_options(easy, t, call->url, headers, &call->response, call->curl_error);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, call->body);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)call->body_len);
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

static long long backoff_ms(const llm_call *call, long retry_after_s) {
    if (retry_after_s > 0) /* the server said when: that, not our guess */
        return (retry_after_s < RETRY_AFTER_MAX_S ? retry_after_s : RETRY_AFTER_MAX_S) * 1000LL;
    long long wait = BACKOFF_FIRST_MS;
    for (int i = 1; i < call->attempts && wait < BACKOFF_MAX_MS; i++)
        wait *= 2;
    return wait < BACKOFF_MAX_MS ? wait : BACKOFF_MAX_MS;
}

/* Returns when the server allows the next request: a 429's Retry-After holds every request of
 * the run, not only the one refused, since the server's limit is the client's; 0 otherwise. */
static long long finish_call(CURLM *multi, const llm_transport *t, llm_call *call, CURLcode rc) {
    CURL *easy = call->easy;
    long status = 0;
    curl_off_t retry_after = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(easy, CURLINFO_RETRY_AFTER, &retry_after);
    curl_multi_remove_handle(multi, easy);
    curl_easy_cleanup(easy);
    call->easy = NULL;
    call->status = rc == CURLE_OK ? status : 0;
    call->network_error = rc != CURLE_OK;
    if (rc != CURLE_OK)
        snprintf(call->error, sizeof call->error, "%s",
                 call->curl_error[0] ? call->curl_error : curl_easy_strerror(rc));
    int retry = rc != CURLE_OK ? transient_network_error(rc)
                               : (status == 429 || (status >= 500 && status <= 599));
    if (retry && call->attempts <= t->retries) {
        call->state = CALL_WAITING;
        call->not_before_ms = now_ms() + backoff_ms(call, (long)retry_after);
    } else {
        call->state = CALL_DONE;
    }
    return rc == CURLE_OK && status == 429 && retry_after > 0
               ? now_ms() + backoff_ms(call, (long)retry_after)
               : 0;
}

/* Starts the calls that are due, up to `parallel` in flight; *next_due is when the next waiting
 * one may start (-1: none waits). */
static void start_due_calls(CURLM *multi, const llm_transport *t, llm_call **calls, size_t n,
                            size_t *running, size_t *done, struct curl_slist *headers,
                            long long pause_until, long long *next_due) {
    long long now = now_ms();
    *next_due = -1;
    if (pause_until > now) {
        *next_due = pause_until;
        return;
    }
    for (size_t i = 0; i < n && *running < (size_t)t->parallel; i++) {
        llm_call *c = calls[i];
        if (c->state != CALL_WAITING)
            continue;
        if (c->not_before_ms > now) {
            if (*next_due < 0 || c->not_before_ms < *next_due)
                *next_due = c->not_before_ms;
            continue;
        }
        if (start_call(multi, t, c, headers) != 0) {
            snprintf(c->error, sizeof c->error, "cannot set up the request (out of memory)");
            c->network_error = 1;
            c->state = CALL_DONE;
            (*done)++;
            continue;
        }
        (*running)++;
    }
}

int llm_http_run(const llm_transport *t, llm_call **calls, size_t n) {
    CURLM *multi = curl_multi_init();
    struct curl_slist *headers = request_headers(t);
    if (!multi || !headers) {
        curl_multi_cleanup(multi);
        curl_slist_free_all(headers);
        return -1;
    }
    size_t running = 0, done = 0;
    long long pause_until = 0;
    for (size_t i = 0; i < n; i++) {
        calls[i]->state = CALL_WAITING;
        calls[i]->not_before_ms = 0;
    }
    while (done < n) {
        long long next_due;
        start_due_calls(multi, t, calls, n, &running, &done, headers, pause_until, &next_due);
        int still = 0;
        curl_multi_perform(multi, &still);
        CURLMsg *msg;
        int left, finished = 0;
        while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            llm_call *call = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&call);
            long long pause = finish_call(multi, t, call, msg->data.result);
            if (pause > pause_until)
                pause_until = pause;
            running--;
            finished++;
            if (call->state == CALL_DONE)
                done++;
        }
        /* A finished transfer frees a place: the next call starts now, not after a poll. */
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
    curl_slist_free_all(headers);
    curl_multi_cleanup(multi);
    return 0;
}

void llm_call_free(llm_call *call) {
    xp_buf_free(&call->response);
    free(call->curl_error);
    call->curl_error = NULL;
}

int llm_http_get(const llm_transport *t, const char *url, long *status, xp_buf *body, char *err,
                 size_t errlen) {
    CURL *easy = curl_easy_init();
    struct curl_slist *headers = request_headers(t);
    char errbuf[CURL_ERROR_SIZE] = "";
    if (!easy || !headers) {
        curl_easy_cleanup(easy);
        curl_slist_free_all(headers);
        snprintf(err, errlen, "cannot set up libcurl");
        return -1;
    }
    set_common_options(easy, t, url, headers, body, errbuf);
    CURLcode rc = curl_easy_perform(easy);
    if (rc == CURLE_OK)
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, status);
    else
        snprintf(err, errlen, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
    curl_easy_cleanup(easy);
    curl_slist_free_all(headers);
    return rc == CURLE_OK ? 0 : -1;
}
