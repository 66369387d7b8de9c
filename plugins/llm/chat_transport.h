/*
 * chat_transport: the llm plugin's HTTP requests on libcurl's multi interface — many POSTs in
 * flight at once, each retried with exponential backoff (or the server's Retry-After) when the
 * server answers 429 or 5xx or the network fails in a way that may pass — with the request
 * headers a chat-completions server needs: JSON, and the bearer key when there is one.
 *
 * plugins/http/transport.c does the same for servers whose key travels in the body, and its
 * requests carry no header of the caller's; a bearer key cannot go anywhere else, so this module
 * is the plugin's own. Sits under the llm plugin, which builds bodies and reads answers.
 */
#ifndef XLATE_LLM_CHAT_TRANSPORT_H
#define XLATE_LLM_CHAT_TRANSPORT_H

#include <stddef.h>

#include "xp_buf.h"

/* One POST and, when it is over, its outcome. The caller fills the request part and zeroes the
 * rest. */
typedef struct llm_call {
    const char *url;  /* full URL, e.g. http://127.0.0.1:8080/v1/chat/completions */
    const char *body; /* JSON */
    size_t body_len;

    /* outcome */
    long status;       /* HTTP status of the last attempt, 0 when no answer came */
    int network_error; /* nonzero: `error` says what failed before any answer */
    char error[256];
    xp_buf response;
    int attempts;

    /* bookkeeping */
    long long not_before_ms;
    int state;
    void *easy;
    char *curl_error;
} llm_call;

typedef struct llm_transport {
    long timeout_s;     /* per attempt */
    long retries;       /* attempts after the first */
    long parallel;      /* requests in flight at once */
    const char *bearer; /* the key for "Authorization: Bearer", or NULL; never printed */
} llm_transport;

/* Runs every call of `calls` (pointers, so that the caller may run any subset) to its final
 * outcome. Returns 0, or -1 when libcurl could not be set up. */
XP_MUST_CHECK int llm_http_run(const llm_transport *t, llm_call **calls, size_t n);

/* Frees what a call holds after the run; the call may be run again after it. */
void llm_call_free(llm_call *call);

/* One GET with the transport's headers (the server's model list at start). Returns 0 with the
 * status and body, or -1 with a message in err when no answer came. */
XP_MUST_CHECK int llm_http_get(const llm_transport *t, const char *url, long *status, xp_buf *body,
                               char *err, size_t errlen);

#endif
