/*
 * usage: the per-service totals of a run (usage.h). A small array kept sorted by name under a
 * mutex: a run talks to a handful of services, and each count_usage call is one request's worth
 * of work for a plugin that waits on the network anyway.
 */
#include "usage.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

typedef struct usage_entry {
    char name[XLATE_USAGE_NAME_MAX + 1];
    uint64_t requests, characters;
} usage_entry;

struct xlate_usage {
    pthread_mutex_t lock;
    usage_entry *e;
    size_t n, cap;
};

int xlate_usage_new(xlate_usage **out) {
    xlate_usage *u = calloc(1, sizeof *u);
    if (!u || pthread_mutex_init(&u->lock, NULL) != 0) {
        free(u);
        return -1;
    }
    *out = u;
    return 0;
}

void xlate_usage_free(xlate_usage *u) {
    if (!u)
        return;
    pthread_mutex_destroy(&u->lock);
    free(u->e);
    free(u);
}

int xlate_usage_name_ok(const char *service) {
    size_t n = 0;
    if (!service || !*service)
        return 0;
    for (const char *p = service; *p; p++, n++) {
        char c = *p;
        if (n >= XLATE_USAGE_NAME_MAX ||
            !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

static uint64_t saturating_add(uint64_t a, uint64_t b) {
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* The entry of `name`, made in its sorted place when missing; NULL when out of memory. Called
 * with the lock held. */
static usage_entry *entry_for(xlate_usage *u, const char *name) {
    size_t at = 0;
    while (at < u->n && strcmp(u->e[at].name, name) < 0)
        at++;
    if (at < u->n && strcmp(u->e[at].name, name) == 0)
        return &u->e[at];
    if (u->n == u->cap) {
        size_t cap = u->cap ? u->cap * 2 : 4;
        usage_entry *e = realloc(u->e, cap * sizeof *e);
        if (!e)
            return NULL;
        u->e = e;
        u->cap = cap;
    }
    memmove(&u->e[at + 1], &u->e[at], (u->n - at) * sizeof *u->e);
    u->n++;
    memset(&u->e[at], 0, sizeof u->e[at]);
    strcpy(u->e[at].name, name);
    return &u->e[at];
}

int xlate_usage_add(xlate_usage *u, const char *service, uint64_t requests, uint64_t characters) {
    if (!u || !xlate_usage_name_ok(service))
        return 0;
    pthread_mutex_lock(&u->lock);
    usage_entry *e = entry_for(u, service);
    if (e) {
        e->requests = saturating_add(e->requests, requests);
        e->characters = saturating_add(e->characters, characters);
    }
    pthread_mutex_unlock(&u->lock);
    return e ? 0 : -1;
}

static void add_to_table(void *data, const char *service, uint64_t requests, uint64_t characters) {
    (void)!xlate_usage_add(data, service, requests, characters);
}

xlate_usage_sink xlate_usage_sink_of(xlate_usage *u) {
    xlate_usage_sink s = {u ? add_to_table : NULL, u};
    return s;
}

size_t xlate_usage_count(const xlate_usage *u) { return u ? u->n : 0; }

void xlate_usage_entry(const xlate_usage *u, size_t i, const char **service, uint64_t *requests,
                       uint64_t *characters) {
    *service = u->e[i].name;
    *requests = u->e[i].requests;
    *characters = u->e[i].characters;
}

int xlate_usage_table(const xlate_usage *u, const char *indent, xlate_buf *out) {
    int bad = 0;
    if (!xlate_usage_count(u))
        return 0;
    bad |= xlate_buf_printf(out, "%s%-16s %12s %14s\n", indent, "service", "requests", "characters");
    for (size_t i = 0; i < u->n; i++)
        bad |= xlate_buf_printf(out, "%s%-16s %12llu %14llu\n", indent, u->e[i].name,
                                (unsigned long long)u->e[i].requests,
                                (unsigned long long)u->e[i].characters);
    return bad ? -1 : 0;
}

int xlate_usage_json(const xlate_usage *u, xlate_buf *out) {
    int bad = xlate_buf_putc(out, '{');
    for (size_t i = 0; i < xlate_usage_count(u); i++) {
        bad |= (i ? xlate_buf_puts(out, ", ") : 0) || xlate_json_cstring(out, u->e[i].name) ||
               xlate_buf_printf(out, ": {\"requests\": %llu, \"characters\": %llu}",
                                (unsigned long long)u->e[i].requests,
                                (unsigned long long)u->e[i].characters);
    }
    bad |= xlate_buf_putc(out, '}');
    return bad ? -1 : 0;
}
