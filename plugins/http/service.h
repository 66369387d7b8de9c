/*
 * service: what the http plugin knows of one translation service, as a table — its default URL,
 * how it takes its key, its language codes, how many texts and characters a request may carry,
 * how a request is written, how its answer is read and what its errors mean. Each service is one
 * module (service_apy.c, service_libretranslate.c, service_deepl.c, service_google.c,
 * service_microsoft.c, service_modernmt.c) that fills this table; http.c is the driver that
 * batches segments into requests within the table's limits, sends them
 * (plugins/common/http_transport.c) and sets the targets. Sits between the plugin's driver and the transport.
 */
#ifndef XLATE_HTTP_SERVICE_H
#define XLATE_HTTP_SERVICE_H

#include <json-c/json.h>
#include <stddef.h>

#include "json_field.h"
#include "xp_buf.h"

/* The most headers a service adds to a request (authentication and the like). */
#define HTTP_SERVICE_MAX_HEADERS 4

/* What the driver knows when it asks a service for a request or a check. */
typedef struct http_service_env {
    const char *url;         /* the base URL, no trailing slash */
    const char *key;         /* the key read from the environment, or NULL (never printed) */
    const char *region;      /* option region= (Microsoft), or NULL */
    const char *source, *target; /* the pair in the service's codes */
    int mark_unknown;        /* APy's markUnknown */
} http_service_env;

/* One request being made: the texts (already markup, see markup.h) and where its parts go. */
typedef struct http_service_request {
    const xp_buf *texts;     /* the texts of this request */
    size_t count;
    xp_buf *url;             /* the full URL to POST to */
    xp_buf *body;
    int json;                /* set by build: the body is JSON (else a form) */
    /* headers[0 .. n_headers-1], "Name: value", owned by the request (freed by the driver) */
    char *headers[HTTP_SERVICE_MAX_HEADERS + 1];
    size_t n_headers;
} http_service_request;

/* What an answer that is not a success means for the run. */
typedef enum http_error_kind {
    HTTP_ERROR_FAILED = 0, /* this request's segments fail; the others go on */
    HTTP_ERROR_AUTH,       /* the key was refused: nothing more is sent */
    HTTP_ERROR_QUOTA       /* the account's quota is used up: nothing more is sent */
} http_error_kind;

typedef struct http_service {
    const char *name;            /* api=NAME, and the name usage is counted under */
    const char *title;           /* for messages: "DeepL API" */
    const char *default_url;
    const char *path;            /* the endpoint translations are asked of, for messages */
    const char *default_key_env; /* the variable key_env names by default */
    int key_required;            /* a real run without the key is a usage error */
    size_t max_texts;            /* texts a request may carry */
    size_t default_texts;        /* texts a request carries unless batch= says otherwise */
    size_t max_chars;            /* code points a request may carry; 0: no limit of its own */
    size_t max_body_bytes;       /* bytes a request body may have; 0: max_request_bytes */

    /* The service's code for the BCP 47 tag `tag` (canonical, "en-GB"), as source (target 0)
     * or target (1), into out. Returns 0, or -1 when the service has no code for it. */
    int (*lang_code)(const char *tag, int target, char *out, size_t size);

    /* Fills the request for its texts. Returns 0, or -1 when out of memory. */
    int (*build)(const http_service_env *env, http_service_request *req);

    /* Reads a successful answer to a request of `count` texts: texts[i] is text i's translation
     * (borrowed from `answer`), or NULL with whys[i] saying why that entry cannot be used.
     * Returns 0, or -1 with *why when the answer as a whole cannot be used. */
    int (*parse)(json_object *answer, size_t count, json_object **texts, xlate_json_why *whys,
                 xlate_json_why *why);

    /* What an answer with HTTP `status` (not 200) means; `answer` is its body parsed (NULL when
     * it is not JSON). Writes the service's own words for it into `detail` ("" when none). */
    http_error_kind (*classify)(long status, json_object *answer, char *detail, size_t size);

    /* Optional: the endpoint asked at start for the pairs served ("/listPairs"), and the reader
     * of its answer: 1 the pair is served, 0 not (served lists what is), -1 with *why. */
    const char *pairs_endpoint;
    int (*serves_pair)(const http_service_env *env, json_object *answer, xp_buf *served,
                       xlate_json_why *why);
} http_service;

extern const http_service http_service_apy, http_service_libretranslate, http_service_deepl,
    http_service_google, http_service_microsoft, http_service_modernmt;

/* The service named `name`, or NULL; `names` gets "apy, libretranslate, ..." for a message. */
const http_service *http_service_find(const char *name);
const char *http_service_names(void);

/* --- helpers the modules share ------------------------------------------------------------ */

/* The parts of a canonical BCP 47 tag: language ("pt"), script ("Hant" or ""), region ("BR" or
 * ""). Returns 0, or -1 when a part does not fit. */
int http_tag_parts(const char *tag, char *lang, size_t lang_size, char *script, size_t script_size,
                   char *region, size_t region_size);

/* Adds the header "NAME: VALUE" to the request. Returns 0, or -1 when out of memory or full. */
int http_request_header(http_service_request *req, const char *name, const char *value);

/* Serializes `object` (consumed) as the request's JSON body. Returns 0, or -1. */
int http_request_json(http_service_request *req, json_object *object);

/* Appends name=value, form-encoded, to a form body or a URL's query ('&' between fields, none
 * after a '?'). */
void http_form_field(xp_buf *body, const char *name, const char *value, size_t len);

/* A string member `name` of object `o`, or NULL (no complaint: for reading error bodies). */
const char *http_json_string(json_object *o, const char *name);

#endif
