/*
 * transport: the HTTP requests of the http plugin on libcurl: many in parallel on one multi handle,
 * each retried with exponential backoff (or the server's Retry-After) when the server answers 429
 * or 5xx or the network fails in a way that may pass. TLS verification is libcurl's default (on)
 * and is never turned off. Sits under the http plugin, which builds bodies and reads answers.
 */
#ifndef XLATE_HTTP_TRANSPORT_H
#define XLATE_HTTP_TRANSPORT_H

#include <stddef.h>

#include "xp_buf.h"

/* One POST and, when it is over, its outcome. The caller fills the request part. */
typedef struct xlate_http_call {
    const char *url;         /* full URL, e.g. http://127.0.0.1:2737/translate */
    const char *body;
    size_t body_len;
    int json;                /* body is JSON (else a form) */
    size_t first, count;     /* what the call carries, for the caller */
    /* Optional: more request headers, "Name: value" each, NULL-terminated (an API key's header
     * among them: the transport never prints them). NULL: none. */
    const char *const *headers;

    /* outcome */
    long status;             /* HTTP status, 0 when no answer came */
    int network_error;       /* nonzero: `error` says what failed before any answer */
    char error[256];
    xp_buf response;
    int attempts;

    /* bookkeeping */
    long long not_before_ms;
    int state;
    void *easy;
    xp_buf curl_error;
    void *header_list;       /* the call's own header list while it runs */
} xlate_http_call;

typedef struct xlate_http_config {
    long timeout_s;  /* per attempt */
    long retries;    /* attempts after the first */
    long parallel;   /* requests in flight at once */
} xlate_http_config;

/* Runs every call to its final outcome. Returns 0, or -1 when libcurl could not be set up. */
XP_MUST_CHECK int xlate_http_run(const xlate_http_config *config, xlate_http_call *calls, size_t n);

/* Frees what a call holds after the run. */
void xlate_http_call_free(xlate_http_call *call);

/* A single GET (server checks at start). Returns 0 with the status and body, or -1 with a
 * message in err when no answer came. */
XP_MUST_CHECK int xlate_http_get(const char *url, long timeout_s, long *status, xp_buf *body, char *err,
                                 size_t errlen);

#endif
