/*
 * bench_erlang: how long Erlang C staffing takes at the sizes planning needs:
 * sizing a point of about 10,000 desks, evaluating a given count, Erlang B at
 * a million servers, and the pooled-against-separate comparison for 126
 * points (one per commune of Hanoi). Prints figures; asserts nothing.
 */
#include <stdio.h>
#include <time.h>

#include "plan/erlang.h"

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	struct err e;
	struct erlang_result r;
	/* 9,990 Erlangs at 80 % within 20 s, 180 s per case: about 10,000 desks. */
	struct erlang_input big = {
	        .arrivals = 9990.0 * 10.0,
	        .period = 1800,
	        .aht = 180,
	        .target = 0.8,
	        .within = 20,
	        .max_occupancy = 1.0,
	        .shrinkage = 0.3,
	};
	const int reps = 200;
	double t0 = now_seconds();
	for (int i = 0; i < reps; i++)
		if (erlang_size(&big, &r, &e) != ERR_OK) {
			fprintf(stderr, "bench_erlang: %s\n", e.detail);
			return 1;
		}
	double t1 = now_seconds();
	printf("size 9990 Erlangs: %ld desks, %ld staff, service level %.4f: %.3f ms per sizing\n",
	       r.desks, r.staff, r.service_level, (t1 - t0) * 1e3 / reps);

	t0 = now_seconds();
	for (int i = 0; i < reps; i++)
		erlang_evaluate(&big, 10000, &r, &e);
	t1 = now_seconds();
	printf("evaluate 10000 desks: service level %.4f, ASA %.2f s: %.3f ms per evaluation\n",
	       r.service_level, r.asa, (t1 - t0) * 1e3 / reps);

	t0 = now_seconds();
	double b = erlang_b(ERLANG_MAX_DESKS, 990000.0);
	t1 = now_seconds();
	printf("Erlang B, 1000000 servers, 990000 Erlangs: %.6g in %.3f ms\n", b, (t1 - t0) * 1e3);

	/* 126 points with uneven demand (fixed pseudo-random), 600 s per dossier, 80 % in 10 min.
	 */
	double arrivals[126];
	unsigned x = 2025u;
	for (int i = 0; i < 126; i++) {
		x = x * 1664525u + 1013904223u;
		arrivals[i] = 5.0 + (double)(x >> 24) / 4.0; /* 5 .. 69 per hour */
	}
	struct erlang_input point = {
	        .period = 3600,
	        .aht = 600,
	        .target = 0.8,
	        .within = 600,
	        .max_occupancy = 0.85,
	        .shrinkage = 0.3,
	        .min_desks = 1,
	};
	struct erlang_pooling p;
	t0 = now_seconds();
	for (int i = 0; i < reps; i++)
		erlang_pooling(&point, arrivals, 126, NULL, &p, &e);
	t1 = now_seconds();
	printf("pooling 126 points (%.1f Erlangs): %ld desks separate, %ld pooled "
	       "(%ld / %ld staff): %.3f ms per comparison\n",
	       p.load, p.desks_separate, p.desks_pooled, p.staff_separate, p.staff_pooled,
	       (t1 - t0) * 1e3 / reps);
	return 0;
}
