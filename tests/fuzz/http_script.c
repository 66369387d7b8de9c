/*
 * http_script: the transport (plugins/common/http_transport.h) of the http plugin built for the
 * harness http_answers: instead of libcurl and a server, each request takes the next answer of a
 * script the harness sets (fuzz_http_script). An answer is one part of the script
 * (FUZZ_SEPARATOR lines between them): its first byte picks the outcome (HTTP 200, 500, 429, 404
 * or 400, no answer at all, or 200 after retries), the rest is the body. Requests past the end of
 * the script are cut off by the network, as a server that went away.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "http_transport.h"

static const uint8_t *script;
static size_t script_left;

__attribute__((visibility("default"))) void fuzz_http_script(const uint8_t *data, size_t size) {
    script = data;
    script_left = size;
}

/* Fills the outcome of one request from the next answer of the script. */
static void answer(long *status, int *network_error, char *error, size_t error_size,
                   int *attempts, xp_buf *body) {
    static const long statuses[] = {200, 200, 200, 500, 429, 404, 400, 0, 200};
    size_t len;
    *attempts = 1;
    *network_error = 0;
    if (script_left == 0) {
        *status = 0;
        *network_error = 1;
        snprintf(error, error_size, "Connection refused");
        return;
    }
    const uint8_t *part = fuzz_part(&script, &script_left, &len);
    unsigned outcome = len ? part[0] % (sizeof statuses / sizeof *statuses) : 0;
    *status = statuses[outcome];
    if (*status == 0) {
        *network_error = 1;
        *attempts = 4;
        snprintf(error, error_size, "Operation timed out after 60000 milliseconds");
        return;
    }
    if (outcome == 8)
        *attempts = 3;
    if (len > 1 && xp_buf_append(body, (const char *)part + 1, len - 1) != 0)
        abort();
    if (!body->data && xp_buf_append(body, "", 0) != 0)
        abort();
}

/* The scripted transport needs no libcurl: there is nothing to set up. */
const char *xlate_http_setup(void) { return NULL; }

int xlate_http_run(const xlate_http_config *config, xlate_http_call *calls, size_t n) {
    (void)config;
    for (size_t i = 0; i < n; i++) {
        xlate_http_call *c = &calls[i];
        if (c->state == XLATE_HTTP_CALL_DONE)
            continue; /* never sent: the plugin failed it already */
        if (!c->url || !c->body)
            abort(); /* the plugin always says what to send */
        answer(&c->status, &c->network_error, c->error, sizeof c->error, &c->attempts,
               &c->response);
        c->state = XLATE_HTTP_CALL_DONE;
    }
    return 0;
}

void xlate_http_call_free(xlate_http_call *call) {
    xp_buf_free(&call->response);
    xp_buf_free(&call->curl_error);
}

int xlate_http_get(const xlate_http_config *config, const char *url, const char *const *headers,
                   long *status, xp_buf *body, char *err, size_t errlen) {
    int network_error, attempts;
    (void)config, (void)url, (void)headers;
    answer(status, &network_error, err, errlen, &attempts, body);
    return network_error ? -1 : 0;
}
