/*
 * metrics: counters of the HTTP server and a registry of gauges, rendered in
 * the Prometheus text exposition format (version 0.0.4) at GET /metrics.
 *
 * Built in, per route (method and pattern; requests that matched no route
 * count under method="any", route="unmatched"):
 *   motcua_http_requests_total{method,route,class}   class "2xx".."5xx" (and "1xx")
 *   motcua_http_request_duration_seconds{method,route} histogram, buckets
 *     1 ms to 10 s
 *   motcua_http_errors_total{code}  error responses by registry code
 * Upper layers register gauges (or counters) read when /metrics is rendered,
 * e.g. motcua_dossiers{state="processing"}.
 *
 * Recording a request is lock-free (relaxed atomic additions on the route's
 * slot); registering routes and gauges and rendering take a mutex.
 */
#ifndef MOTCUA_HTTP_METRICS_H
#define MOTCUA_HTTP_METRICS_H

#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"

#define HTTP_METRICS_MAX_SLOTS  1024 /* route label pairs */
#define HTTP_METRICS_MAX_GAUGES 64
#define HTTP_METRICS_UNMATCHED  0  /* the slot of requests that matched no route */
#define HTTP_METRICS_BUCKETS    13 /* finite histogram buckets (plus +Inf) */

/* Upper bounds of the finite buckets, in seconds (index 0..HTTP_METRICS_BUCKETS-1). */
extern const double http_metrics_bucket_bounds[HTTP_METRICS_BUCKETS];

struct http_metrics;

/* A new registry with the unmatched slot, or NULL when out of memory. */
struct http_metrics *http_metrics_new(void);

/* Frees it. NULL is allowed. */
void http_metrics_free(struct http_metrics *m);

/*
 * The slot of the label pair (method, route), registered on first use; the
 * same pair gives the same slot. Returns the slot, or -1 when all
 * HTTP_METRICS_MAX_SLOTS are taken or memory is exhausted.
 */
int http_metrics_slot(struct http_metrics *m, const char *method, const char *route);

/*
 * Records one answered request: its slot (an invalid slot counts as
 * unmatched), HTTP status, error code (ERR_OK when it was no error response)
 * and duration in microseconds.
 */
void http_metrics_observe(struct http_metrics *m, int slot, int status, enum err_code error,
                          uint64_t duration_us);

enum http_metric_type { HTTP_METRIC_GAUGE, HTTP_METRIC_COUNTER };

/* Where a gauge callback writes its samples. */
struct http_metric_out;

/*
 * Writes one sample of the metric being rendered: without a label when
 * label_name is NULL, else with label_name="label_value" (escaped here).
 */
void http_metric_sample(struct http_metric_out *out, const char *label_name,
                        const char *label_value, double value);

/*
 * A gauge callback: writes the metric's samples with http_metric_sample().
 * Returns 0, or -1 when it could not read its source; the metric is then
 * left out of this rendering (and an error comment is written instead).
 */
typedef int http_metric_fn(struct http_metric_out *out, void *ctx);

/*
 * Registers a metric read at each rendering. name must match
 * [a-zA-Z_:][a-zA-Z0-9_:]* and be new; help is one line. Returns ERR_OK,
 * ERR_INVALID_ARGUMENT, ERR_TOO_LONG (more than HTTP_METRICS_MAX_GAUGES) or
 * ERR_NO_MEMORY.
 */
enum err_code http_metrics_add(struct http_metrics *m, const char *name, const char *help,
                               enum http_metric_type type, http_metric_fn *fn, void *ctx,
                               struct err *e);

/*
 * Appends the exposition text to out. Returns ERR_OK, or ERR_NO_MEMORY when
 * out is full (its content is then incomplete).
 */
enum err_code http_metrics_render(struct http_metrics *m, struct buf *out, struct err *e);

#endif
