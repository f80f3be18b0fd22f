/*
 * Unit tests for http/metrics. The expected text follows the Prometheus
 * text exposition format 0.0.4 (prometheus.io, "Exposition formats"):
 * "# HELP name text" and "# TYPE name type" lines, samples
 * name{label="value"} value, label values escaping \\ \" and \n, histogram
 * buckets cumulative with le="+Inf" equal to _count, and _sum.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "http/metrics.h"

static struct http_metrics *m;
static struct buf out;

static int setup(void **state)
{
	(void)state;
	m = http_metrics_new();
	assert_non_null(m);
	buf_init(&out, 1 << 20);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	http_metrics_free(m);
	buf_release(&out);
	return 0;
}

/* Renders and returns the text. */
static const char *render(void)
{
	struct err e;
	buf_reset(&out);
	assert_int_equal(http_metrics_render(m, &out, &e), ERR_OK);
	return buf_str(&out);
}

/* True when the rendered text has this exact line. */
static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

static void test_slots(void **state)
{
	(void)state;
	int a = http_metrics_slot(m, "GET", "/healthz");
	int b = http_metrics_slot(m, "POST", "/healthz");
	assert_int_equal(a, 1); /* slot 0 is the unmatched one */
	assert_int_equal(b, 2);
	assert_int_equal(http_metrics_slot(m, "GET", "/healthz"), a);
	/* Up to HTTP_METRICS_MAX_SLOTS, then -1. */
	char route[32];
	int last = 0;
	for (int i = 3; i < HTTP_METRICS_MAX_SLOTS; i++) {
		snprintf(route, sizeof route, "/r%d", i);
		last = http_metrics_slot(m, "GET", route);
		assert_int_equal(last, i);
	}
	assert_int_equal(http_metrics_slot(m, "GET", "/one-more"), -1);
	assert_int_equal(http_metrics_slot(m, "GET", "/healthz"), a);
	/* Nothing observed: only the headers of the built-in metrics. */
	const char *t = render();
	assert_true(has_line(t, "# TYPE motcua_http_requests_total counter"));
	assert_true(has_line(t, "# TYPE motcua_http_request_duration_seconds histogram"));
	assert_true(has_line(t, "# TYPE motcua_http_errors_total counter"));
	assert_null(strstr(t, "motcua_http_requests_total{"));
}

static void test_counts_and_histogram(void **state)
{
	(void)state;
	int s = http_metrics_slot(m, "GET", "/api/v1/dossiers/{id}");
	/* 0.5 ms, 3 ms, exactly 10 ms (le is inclusive), 20 s (beyond the last bucket). */
	http_metrics_observe(m, s, 200, ERR_OK, 500);
	http_metrics_observe(m, s, 204, ERR_OK, 3000);
	http_metrics_observe(m, s, 404, ERR_NOT_FOUND, 10000);
	http_metrics_observe(m, s, 503, ERR_DB_BUSY, 20000000);
	http_metrics_observe(m, -5, 400, ERR_INVALID_ARGUMENT, 100); /* invalid slot: unmatched */
	http_metrics_observe(m, 999, 101, ERR_OK, 100);              /* unregistered: unmatched */
	http_metrics_observe(m, HTTP_METRICS_UNMATCHED, 302, ERR_OK, 100);
	const char *t = render();
	assert_true(has_line(t, "motcua_http_requests_total{method=\"GET\",route=\"/api/v1/"
	                        "dossiers/{id}\",class=\"2xx\"} 2"));
	assert_true(has_line(t, "motcua_http_requests_total{method=\"GET\",route=\"/api/v1/"
	                        "dossiers/{id}\",class=\"4xx\"} 1"));
	assert_true(has_line(t, "motcua_http_requests_total{method=\"GET\",route=\"/api/v1/"
	                        "dossiers/{id}\",class=\"5xx\"} 1"));
	assert_null(strstr(t, "route=\"/api/v1/dossiers/{id}\",class=\"3xx\""));
	assert_true(has_line(
	        t,
	        "motcua_http_requests_total{method=\"any\",route=\"unmatched\",class=\"1xx\"} 1"));
	assert_true(has_line(
	        t,
	        "motcua_http_requests_total{method=\"any\",route=\"unmatched\",class=\"3xx\"} 1"));
	assert_true(has_line(
	        t,
	        "motcua_http_requests_total{method=\"any\",route=\"unmatched\",class=\"4xx\"} 1"));
	const char *h = "motcua_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/"
	                "v1/dossiers/{id}\",le=";
	char line[256];
	static const struct {
		const char *le;
		int count;
	} expect[] = {{"0.001", 1}, {"0.0025", 1}, {"0.005", 2}, {"0.01", 3},
	              {"0.025", 3}, {"1", 3},      {"10", 3},    {"+Inf", 4}};
	for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
		snprintf(line, sizeof line, "%s\"%s\"} %d", h, expect[i].le, expect[i].count);
		if (!has_line(t, line))
			fail_msg("missing line: %s\n%s", line, t);
	}
	assert_true(has_line(t, "motcua_http_request_duration_seconds_count{method=\"GET\",route="
	                        "\"/api/v1/dossiers/{id}\"} 4"));
	assert_true(has_line(t, "motcua_http_request_duration_seconds_sum{method=\"GET\",route=\"/"
	                        "api/v1/dossiers/{id}\"} 20.013500"));
	/* Error counts by registry code; no line for codes never seen. */
	assert_true(has_line(t, "motcua_http_errors_total{code=\"not_found\"} 1"));
	assert_true(has_line(t, "motcua_http_errors_total{code=\"db_busy\"} 1"));
	assert_true(has_line(t, "motcua_http_errors_total{code=\"invalid_argument\"} 1"));
	assert_null(strstr(t, "code=\"internal\""));
	assert_null(strstr(t, "code=\"ok\""));
	/* The bucket bounds are increasing. */
	for (int i = 1; i < HTTP_METRICS_BUCKETS; i++)
		assert_true(http_metrics_bucket_bounds[i] > http_metrics_bucket_bounds[i - 1]);
}

static int gauge_states(struct http_metric_out *o, void *ctx)
{
	(void)ctx;
	http_metric_sample(o, "state", "processing", 12);
	http_metric_sample(o, "state", "a\"b\\c\nd", 0.25);
	return 0;
}

static int gauge_plain(struct http_metric_out *o, void *ctx)
{
	http_metric_sample(o, NULL, NULL, *(double *)ctx);
	return 0;
}

static int gauge_fails(struct http_metric_out *o, void *ctx)
{
	(void)ctx;
	http_metric_sample(o, NULL, NULL, 99);
	return -1;
}

static void test_gauges(void **state)
{
	(void)state;
	struct err e;
	static double value = 1234567;
	assert_int_equal(http_metrics_add(m, "motcua_dossiers", "dossiers by state",
	                                  HTTP_METRIC_GAUGE, gauge_states, NULL, &e),
	                 ERR_OK);
	assert_int_equal(http_metrics_add(m, "motcua_outbox_sent_total", "events delivered",
	                                  HTTP_METRIC_COUNTER, gauge_plain, &value, &e),
	                 ERR_OK);
	assert_int_equal(http_metrics_add(m, "motcua_broken", "a source that fails",
	                                  HTTP_METRIC_GAUGE, gauge_fails, NULL, &e),
	                 ERR_OK);
	const char *t = render();
	assert_true(has_line(t, "# HELP motcua_dossiers dossiers by state"));
	assert_true(has_line(t, "# TYPE motcua_dossiers gauge"));
	assert_true(has_line(t, "motcua_dossiers{state=\"processing\"} 12"));
	assert_true(has_line(t, "motcua_dossiers{state=\"a\\\"b\\\\c\\nd\"} 0.25"));
	assert_true(has_line(t, "# TYPE motcua_outbox_sent_total counter"));
	assert_true(has_line(t, "motcua_outbox_sent_total 1234567"));
	/* The failing callback's samples are dropped and a comment says so. */
	assert_true(has_line(t, "# motcua_broken unavailable"));
	assert_null(strstr(t, "motcua_broken 99"));
	/* A value changes between renderings. */
	value = 0.1;
	t = render();
	assert_true(has_line(t, "motcua_outbox_sent_total 0.1"));
	/* Refused: bad names, a repeated name, no help or callback, a multi-line help. */
	assert_int_equal(http_metrics_add(m, "motcua_dossiers", "again", HTTP_METRIC_GAUGE,
	                                  gauge_plain, &value, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_int_equal(
	        http_metrics_add(m, "9lives", "x", HTTP_METRIC_GAUGE, gauge_plain, &value, &e),
	        ERR_INVALID_ARGUMENT);
	assert_int_equal(
	        http_metrics_add(m, "has-dash", "x", HTTP_METRIC_GAUGE, gauge_plain, &value, &e),
	        ERR_INVALID_ARGUMENT);
	assert_int_equal(http_metrics_add(m, "", "x", HTTP_METRIC_GAUGE, gauge_plain, &value, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_int_equal(
	        http_metrics_add(m, "ok_name", NULL, HTTP_METRIC_GAUGE, gauge_plain, &value, &e),
	        ERR_INVALID_ARGUMENT);
	assert_int_equal(http_metrics_add(m, "ok_name", "two\nlines", HTTP_METRIC_GAUGE,
	                                  gauge_plain, &value, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_int_equal(http_metrics_add(m, "ok_name", "x", HTTP_METRIC_GAUGE, NULL, NULL, &e),
	                 ERR_INVALID_ARGUMENT);
	/* At most HTTP_METRICS_MAX_GAUGES. */
	char name[32];
	for (int i = 3; i < HTTP_METRICS_MAX_GAUGES; i++) {
		snprintf(name, sizeof name, "g_%d", i);
		assert_int_equal(
		        http_metrics_add(m, name, "x", HTTP_METRIC_GAUGE, gauge_plain, &value, &e),
		        ERR_OK);
	}
	assert_int_equal(
	        http_metrics_add(m, "g_more", "x", HTTP_METRIC_GAUGE, gauge_plain, &value, &e),
	        ERR_TOO_LONG);
}

static void test_render_bounded(void **state)
{
	(void)state;
	struct err e;
	struct buf small = BUF_INIT(64);
	assert_int_equal(http_metrics_render(m, &small, &e), ERR_NO_MEMORY);
	assert_true(small.len <= 64);
	buf_release(&small);
}

#define THREADS    4
#define PER_THREAD 20000

struct worker {
	int slot;
};

static void *observe_many(void *arg)
{
	struct worker *w = arg;
	for (int i = 0; i < PER_THREAD; i++)
		http_metrics_observe(m, w->slot, 200 + (i % 2) * 300, i % 2 ? ERR_INTERNAL : ERR_OK,
		                     (uint64_t)i);
	return NULL;
}

static void test_concurrent(void **state)
{
	(void)state;
	/* Several threads observing the same slot lose no count (atomic additions). */
	pthread_t t[THREADS];
	struct worker w = {http_metrics_slot(m, "GET", "/x")};
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, observe_many, &w), 0);
	const char *text = render(); /* rendering meanwhile is allowed */
	assert_non_null(text);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	text = render();
	char line[160];
	snprintf(line, sizeof line,
	         "motcua_http_request_duration_seconds_count{method=\"GET\",route=\"/x\"} %d",
	         THREADS * PER_THREAD);
	assert_true(has_line(text, line));
	snprintf(line, sizeof line,
	         "motcua_http_requests_total{method=\"GET\",route=\"/x\",class=\"5xx\"} %d",
	         THREADS * PER_THREAD / 2);
	assert_true(has_line(text, line));
	snprintf(line, sizeof line, "motcua_http_errors_total{code=\"internal\"} %d",
	         THREADS * PER_THREAD / 2);
	assert_true(has_line(text, line));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_slots, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_counts_and_histogram, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_gauges, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_render_bounded, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_concurrent, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
