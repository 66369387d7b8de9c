/*
 * http_transport: the HTTP requests of the http and llm plugins on libcurl: many POSTs in parallel
 * on one multi handle, each retried with exponential backoff (or the server's Retry-After) when
 * the server answers 429 or 5xx or the network fails in a way that may pass, and single GETs for
 * the checks at start. Each request carries the caller's headers (an API key's among them: the
 * transport never prints them). TLS verification is libcurl's default (on) and is never turned
 * off. Sits under the plugins, which build bodies and read answers; its own library in
 * plugins/common so that only the plugins that talk HTTP link libcurl.
 */
#ifndef XLATE_HTTP_TRANSPORT_H
#define XLATE_HTTP_TRANSPORT_H

#include <stddef.h>

#include "xp_buf.h"

/* A call's state. A zeroed call waits to be sent; a run skips a call already done, so a caller
 * may set DONE on one it will not send, and WAITING on one it sends again. */
enum { XLATE_HTTP_CALL_WAITING = 0, XLATE_HTTP_CALL_RUNNING = 1, XLATE_HTTP_CALL_DONE = 2 };

/* One POST and, when it is over, its outcome. The caller fills the request part and zeroes the
 * rest. A call holds no pointer into itself, so the caller may move it between runs. */
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
    long status;             /* HTTP status of the last attempt, 0 when no answer came */
    int network_error;       /* nonzero: `error` says what failed before any answer */
    char error[256];
    xp_buf response;
    int attempts;

    /* bookkeeping */
    long long not_before_ms;
    int state;               /* XLATE_HTTP_CALL_* */
    void *easy;
    xp_buf curl_error;
    void *header_list;       /* the call's own header list while it runs */
    size_t response_max;
} xlate_http_call;

typedef struct xlate_http_config {
    long timeout_s;  /* per attempt */
    long retries;    /* attempts after the first */
    long parallel;   /* requests in flight at once */
    /* The rest may stay zero. */
    const char *user_agent;    /* NULL: "xlate-http/1.0" */
    size_t max_response_bytes; /* larger answers fail the transfer; 0: 64 MiB */
    /* Nonzero: a 429's Retry-After is the server's limit for the client, not for one request:
     * it holds every call of the run, and is waited as given rather than as a least wait under
     * the backoff's own. */
    int retry_after_holds_run;
} xlate_http_config;

/* Sets libcurl up for the plugin (curl_global_init), once per mapping of the plugin's object
 * whatever thread asks first, and cleans it up when the mapping goes (the last dlclose, or exit),
 * when no instance can be left. This is the one piece of state a plugin on this transport keeps
 * outside its instances: it mirrors libcurl's own, which is process-wide by design. The entry
 * function calls it; `create` calls it again to read its outcome with the ordering pthread_once
 * guarantees, and reports a failure, where the host can show it, rather than refusing to load,
 * which would read as an ABI mismatch. Returns NULL when libcurl is ready, else why not. */
const char *xlate_http_setup(void);

/* Runs every call not yet done to its final outcome. Returns 0, or -1 when libcurl could not be
 * set up. */
XP_MUST_CHECK int xlate_http_run(const xlate_http_config *config, xlate_http_call *calls, size_t n);

/* Frees what a call holds after the run. */
void xlate_http_call_free(xlate_http_call *call);

/* A single GET (server checks at start) with the config's timeout and user agent and the
 * NULL-terminated `headers` (NULL: none). Returns 0 with the status and body, or -1 with a
 * message in err when no answer came. */
XP_MUST_CHECK int xlate_http_get(const xlate_http_config *config, const char *url,
                                 const char *const *headers, long *status, xp_buf *body, char *err,
                                 size_t errlen);

#endif
