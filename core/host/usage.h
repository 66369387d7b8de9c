/*
 * usage: what a run sent, or in a dry run would send, to each network service — requests and
 * characters per service name — as plugins count it through xlate_host.count_usage. One table a
 * run, shared by every worker's instances (and fed by isolated ones through their host), read
 * once the run is over for the summary on stderr and the batch's report.
 */
#ifndef XLATE_CORE_USAGE_H
#define XLATE_CORE_USAGE_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "error.h"

/* The longest service name kept; a longer one is refused as a bad name. */
#define XLATE_USAGE_NAME_MAX 64

/* The totals of a run, per service. Thread-safe: instances of several workers add at once. */
typedef struct xlate_usage xlate_usage;

/* Where an instance's counts go: `fn` is given each count_usage call that passed the host's
 * checks. The run's table (xlate_usage_sink_of), or, in an isolated plugin's child process, the
 * socket to the host. fn NULL: counts go nowhere. */
typedef struct xlate_usage_sink {
    void (*fn)(void *data, const char *service, uint64_t requests, uint64_t characters);
    void *data;
} xlate_usage_sink;

/* Returns 0, or -1 when out of memory. */
XLATE_MUST_CHECK int xlate_usage_new(xlate_usage **out);
void xlate_usage_free(xlate_usage *u);

/* Nonzero when `service` is a name count_usage takes: [a-z0-9_-]+, at most XLATE_USAGE_NAME_MAX
 * bytes. */
int xlate_usage_name_ok(const char *service);

/* Adds to the totals of `service` (a name xlate_usage_name_ok takes; others are ignored). A
 * count that would overflow stays at UINT64_MAX. Returns 0, or -1 when out of memory (the count
 * is lost). */
int xlate_usage_add(xlate_usage *u, const char *service, uint64_t requests, uint64_t characters);

/* The sink that adds to `u` (u NULL: a sink that counts nothing). */
xlate_usage_sink xlate_usage_sink_of(xlate_usage *u);

/* Number of services counted, and entry i of them in the order of their names. Read these once
 * no instance adds any more. */
size_t xlate_usage_count(const xlate_usage *u);
void xlate_usage_entry(const xlate_usage *u, size_t i, const char **service, uint64_t *requests,
                       uint64_t *characters);

/* The table as text, a line a service under a header ("service  requests  characters"), each line
 * starting with `indent`. Appends nothing when no service was counted. Returns 0, or -1 when out
 * of memory. */
int xlate_usage_table(const xlate_usage *u, const char *indent, xlate_buf *out);

/* The table as a JSON object {"deepl": {"requests": N, "characters": N}, ...}; {} when empty.
 * Returns 0, or -1 when out of memory. */
int xlate_usage_json(const xlate_usage *u, xlate_buf *out);

#endif
