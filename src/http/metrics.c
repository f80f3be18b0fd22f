/*
 * metrics: request counters, latency histograms, error counts and gauge
 * callbacks, rendered as Prometheus text (see metrics.h).
 *
 * Slots are never removed. A slot's labels are written before the slot count
 * is published (release), and readers load the count first (acquire), so
 * observers and the renderer never see a half-registered slot.
 */
#include "http/metrics.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const double http_metrics_bucket_bounds[HTTP_METRICS_BUCKETS] = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
};

#define CLASSES 5 /* 1xx .. 5xx */

struct slot {
	char *method;
	char *route;
	atomic_uint_fast64_t by_class[CLASSES];
	atomic_uint_fast64_t buckets[HTTP_METRICS_BUCKETS + 1]; /* not cumulative; last is +Inf */
	atomic_uint_fast64_t sum_us;
};

struct gauge {
	char *name;
	char *help;
	enum http_metric_type type;
	http_metric_fn *fn;
	void *ctx;
};

struct http_metrics {
	pthread_mutex_t lock; /* registration and rendering */
	atomic_size_t nslots;
	struct slot *slots; /* HTTP_METRICS_MAX_SLOTS, allocated once */
	atomic_uint_fast64_t errors[ERR__COUNT];
	struct gauge gauges[HTTP_METRICS_MAX_GAUGES];
	size_t ngauges;
};

struct http_metric_out {
	struct buf *buf;
	const char *name;
	int failed;
};

struct http_metrics *http_metrics_new(void)
{
	struct http_metrics *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->slots = calloc(HTTP_METRICS_MAX_SLOTS, sizeof *m->slots);
	if (!m->slots || pthread_mutex_init(&m->lock, NULL) != 0) {
		free(m->slots);
		free(m);
		return NULL;
	}
	m->slots[0].method = strdup("any");
	m->slots[0].route = strdup("unmatched");
	if (!m->slots[0].method || !m->slots[0].route) {
		http_metrics_free(m);
		return NULL;
	}
	atomic_store(&m->nslots, 1);
	return m;
}

void http_metrics_free(struct http_metrics *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < HTTP_METRICS_MAX_SLOTS; i++) {
		free(m->slots[i].method);
		free(m->slots[i].route);
	}
	for (size_t i = 0; i < m->ngauges; i++) {
		free(m->gauges[i].name);
		free(m->gauges[i].help);
	}
	free(m->slots);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

int http_metrics_slot(struct http_metrics *m, const char *method, const char *route)
{
	int found = -1;
	pthread_mutex_lock(&m->lock);
	size_t n = atomic_load(&m->nslots);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(m->slots[i].method, method) == 0 &&
		    strcmp(m->slots[i].route, route) == 0) {
			found = (int)i;
			break;
		}
	}
	if (found < 0 && n < HTTP_METRICS_MAX_SLOTS) {
		struct slot *s = &m->slots[n];
		s->method = strdup(method);
		s->route = strdup(route);
		if (s->method && s->route) {
			atomic_store_explicit(&m->nslots, n + 1, memory_order_release);
			found = (int)n;
		} else {
			free(s->method);
			free(s->route);
			s->method = s->route = NULL;
		}
	}
	pthread_mutex_unlock(&m->lock);
	return found;
}

void http_metrics_observe(struct http_metrics *m, int slot, int status, enum err_code error,
                          uint64_t duration_us)
{
	size_t n = atomic_load_explicit(&m->nslots, memory_order_acquire);
	if (slot < 0 || (size_t)slot >= n)
		slot = HTTP_METRICS_UNMATCHED;
	struct slot *s = &m->slots[slot];
	int cls = status / 100 - 1;
	if (cls < 0)
		cls = 0;
	if (cls >= CLASSES)
		cls = CLASSES - 1;
	atomic_fetch_add_explicit(&s->by_class[cls], 1, memory_order_relaxed);
	static const uint64_t bounds_us[HTTP_METRICS_BUCKETS] = {
	        1000,   2500,   5000,    10000,   25000,   50000,    100000,
	        250000, 500000, 1000000, 2500000, 5000000, 10000000,
	};
	size_t b = 0;
	while (b < HTTP_METRICS_BUCKETS && duration_us > bounds_us[b])
		b++;
	atomic_fetch_add_explicit(&s->buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&s->sum_us, duration_us, memory_order_relaxed);
	if (error > ERR_OK && error < ERR__COUNT)
		atomic_fetch_add_explicit(&m->errors[error], 1, memory_order_relaxed);
}

static bool name_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 128)
		return false;
	for (size_t i = 0; s[i]; i++) {
		char c = s[i];
		bool alpha =
		        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
		if (!alpha && !(i > 0 && c >= '0' && c <= '9'))
			return false;
	}
	return true;
}

enum err_code http_metrics_add(struct http_metrics *m, const char *name, const char *help,
                               enum http_metric_type type, http_metric_fn *fn, void *ctx,
                               struct err *e)
{
	if (!name_ok(name))
		return err_set(e, ERR_INVALID_ARGUMENT, "invalid metric name '%s'",
		               name ? name : "(null)");
	if (!fn || !help || strchr(help, '\n') ||
	    (type != HTTP_METRIC_GAUGE && type != HTTP_METRIC_COUNTER))
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "metric '%s' needs a callback and a one-line help", name);
	enum err_code rc = ERR_OK;
	pthread_mutex_lock(&m->lock);
	for (size_t i = 0; i < m->ngauges; i++)
		if (strcmp(m->gauges[i].name, name) == 0)
			rc = err_set(e, ERR_INVALID_ARGUMENT, "metric '%s' registered twice", name);
	if (rc == ERR_OK && m->ngauges >= HTTP_METRICS_MAX_GAUGES)
		rc = err_set(e, ERR_TOO_LONG, "more than %d metrics", HTTP_METRICS_MAX_GAUGES);
	if (rc == ERR_OK) {
		struct gauge *g = &m->gauges[m->ngauges];
		g->name = strdup(name);
		g->help = strdup(help);
		if (!g->name || !g->help) {
			free(g->name);
			free(g->help);
			g->name = g->help = NULL;
			rc = err_set(e, ERR_NO_MEMORY, "out of memory");
		} else {
			g->type = type;
			g->fn = fn;
			g->ctx = ctx;
			m->ngauges++;
		}
	}
	pthread_mutex_unlock(&m->lock);
	return rc;
}

/* Appends a label value escaped as the exposition format wants (\\, \", \n). */
static int put_label_value(struct buf *b, const char *v)
{
	int bad = 0;
	for (; *v; v++) {
		if (*v == '\\')
			bad |= buf_puts(b, "\\\\");
		else if (*v == '"')
			bad |= buf_puts(b, "\\\"");
		else if (*v == '\n')
			bad |= buf_puts(b, "\\n");
		else
			bad |= buf_putc(b, *v);
	}
	return bad;
}

/* Appends a sample value: integers without a fraction, NaN and infinities by name. */
static int put_value(struct buf *b, double v)
{
	if (isnan(v))
		return buf_puts(b, "NaN");
	if (isinf(v))
		return buf_puts(b, v > 0 ? "+Inf" : "-Inf");
	if (v == floor(v) && fabs(v) < 1e15)
		return buf_printf(b, "%.0f", v);
	return buf_printf(b, "%.15g", v);
}

void http_metric_sample(struct http_metric_out *out, const char *label_name,
                        const char *label_value, double value)
{
	struct buf *b = out->buf;
	int bad = buf_puts(b, out->name);
	if (label_name && name_ok(label_name)) {
		bad |= buf_printf(b, "{%s=\"", label_name);
		bad |= put_label_value(b, label_value ? label_value : "");
		bad |= buf_puts(b, "\"}");
	}
	bad |= buf_putc(b, ' ');
	bad |= put_value(b, value);
	bad |= buf_putc(b, '\n');
	out->failed |= bad;
}

static int put_header(struct buf *b, const char *name, const char *help, const char *type)
{
	return buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* {method="GET",route="/x" (without the closing brace). */
static int put_route_labels(struct buf *b, const struct slot *s)
{
	int bad = buf_puts(b, "{method=\"");
	bad |= put_label_value(b, s->method);
	bad |= buf_puts(b, "\",route=\"");
	bad |= put_label_value(b, s->route);
	bad |= buf_putc(b, '"');
	return bad;
}

static uint64_t slot_count(const struct slot *s, uint64_t *buckets)
{
	uint64_t total = 0;
	for (size_t i = 0; i <= HTTP_METRICS_BUCKETS; i++) {
		buckets[i] = atomic_load_explicit(&s->buckets[i], memory_order_relaxed);
		total += buckets[i];
	}
	return total;
}

static int render_requests(struct http_metrics *m, struct buf *b, size_t n)
{
	static const char *classes[CLASSES] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
	int bad = put_header(b, "motcua_http_requests_total",
	                     "HTTP requests answered, by route and status class", "counter");
	for (size_t i = 0; i < n; i++) {
		struct slot *s = &m->slots[i];
		for (int c = 0; c < CLASSES; c++) {
			uint64_t v = atomic_load_explicit(&s->by_class[c], memory_order_relaxed);
			if (!v)
				continue;
			bad |= buf_puts(b, "motcua_http_requests_total");
			bad |= put_route_labels(b, s);
			bad |= buf_printf(b, ",class=\"%s\"} %llu\n", classes[c],
			                  (unsigned long long)v);
		}
	}
	bad |= put_header(b, "motcua_http_request_duration_seconds",
	                  "time from the request line to the queued response", "histogram");
	for (size_t i = 0; i < n; i++) {
		struct slot *s = &m->slots[i];
		uint64_t buckets[HTTP_METRICS_BUCKETS + 1];
		uint64_t total = slot_count(s, buckets);
		if (!total)
			continue;
		uint64_t cum = 0;
		for (size_t k = 0; k <= HTTP_METRICS_BUCKETS; k++) {
			cum += buckets[k];
			bad |= buf_puts(b, "motcua_http_request_duration_seconds_bucket");
			bad |= put_route_labels(b, s);
			if (k < HTTP_METRICS_BUCKETS)
				bad |= buf_printf(b, ",le=\"%g\"} %llu\n",
				                  http_metrics_bucket_bounds[k],
				                  (unsigned long long)cum);
			else
				bad |= buf_printf(b, ",le=\"+Inf\"} %llu\n",
				                  (unsigned long long)cum);
		}
		uint64_t sum = atomic_load_explicit(&s->sum_us, memory_order_relaxed);
		bad |= buf_puts(b, "motcua_http_request_duration_seconds_sum");
		bad |= put_route_labels(b, s);
		bad |= buf_printf(b, "} %llu.%06llu\n", (unsigned long long)(sum / 1000000),
		                  (unsigned long long)(sum % 1000000));
		bad |= buf_puts(b, "motcua_http_request_duration_seconds_count");
		bad |= put_route_labels(b, s);
		bad |= buf_printf(b, "} %llu\n", (unsigned long long)total);
	}
	bad |= put_header(b, "motcua_http_errors_total", "error responses by error code",
	                  "counter");
	for (int c = 1; c < ERR__COUNT; c++) {
		uint64_t v = atomic_load_explicit(&m->errors[c], memory_order_relaxed);
		if (v)
			bad |= buf_printf(b, "motcua_http_errors_total{code=\"%s\"} %llu\n",
			                  err_code_str((enum err_code)c), (unsigned long long)v);
	}
	return bad;
}

enum err_code http_metrics_render(struct http_metrics *m, struct buf *out, struct err *e)
{
	pthread_mutex_lock(&m->lock);
	size_t n = atomic_load_explicit(&m->nslots, memory_order_acquire);
	int bad = render_requests(m, out, n);
	for (size_t i = 0; i < m->ngauges && !bad; i++) {
		struct gauge *g = &m->gauges[i];
		bad |= put_header(out, g->name, g->help,
		                  g->type == HTTP_METRIC_COUNTER ? "counter" : "gauge");
		size_t mark = out->len;
		struct http_metric_out o = {out, g->name, 0};
		if (g->fn(&o, g->ctx) != 0) {
			/* Drop what the failed callback wrote; say so in a comment. */
			out->len = mark;
			if (out->data)
				out->data[mark] = '\0';
			bad |= buf_printf(out, "# %s unavailable\n", g->name);
		}
		bad |= o.failed;
	}
	pthread_mutex_unlock(&m->lock);
	return bad ? err_set(e, ERR_NO_MEMORY, "metrics text larger than %zu bytes", out->max)
	           : ERR_OK;
}
