/*
 * Unit tests for plan/pcenter: the p-center solver.
 *
 * Where the expected values come from:
 *  - small random instances: the exact optimum by enumerating every set of p
 *    sites (computed here);
 *  - larger random instances: the exact optimum from Debian's CBC solver
 *    (coinor-cbc, /usr/bin/cbc): the least radius whose set-covering integer
 *    program (written here as LP files) needs at most p sites, found by
 *    bisection over the distinct distances; skipped when cbc is absent;
 *  - points on a line, worked out in the comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan/instance.h"
#include "plan/pcenter.h"
#include "plan/pmedian.h"
#include "plan/solver_util.h"

#include "plan_fixture.h"

static double worst_distance(const struct plan_instance *in, const size_t *set, size_t p)
{
	double worst = 0;
	for (size_t i = 0; i < in->n_demand; i++) {
		if (!(in->demand[i].weight > 0))
			continue;
		double best = INFINITY;
		for (size_t k = 0; k < p; k++) {
			double d = in->dist[i * in->n_sites + set[k]];
			if (d < best)
				best = d;
		}
		if (best > worst)
			worst = best;
	}
	return worst;
}

static void test_enumeration(void **state)
{
	(void)state;
	struct plan_rng rng;
	plan_rng_seed(&rng, 4242);
	for (int round = 0; round < 80; round++) {
		size_t n = 5 + plan_rng_below(&rng, 14), m = 3 + plan_rng_below(&rng, 11);
		size_t p = 1 + plan_rng_below(&rng, m < 5 ? m : 5);
		struct plan_instance in;
		planfx_random(&in, &rng, n, m, 5);
		if (round % 4 == 1)
			in.demand[0].weight = 0; /* ignored by the maximum */
		bool fixed[16] = {0};
		size_t fix[1] = {(size_t)round % m}, n_fixed = round % 3 == 0 ? 1 : 0;
		if (n_fixed)
			fixed[fix[0]] = true;
		size_t set[16];
		double best = INFINITY;
		planfx_enumerate(&in, p, fixed, set, 0, 0, worst_distance, &best);
		struct pmedian_opts o = {.p = p, .fixed = fix, .n_fixed = n_fixed};
		struct plan_budget b = {.seed = (uint64_t)round};
		struct pmedian_result r;
		struct err e;
		assert_int_equal(pcenter_solve(&in, &o, &b, &r, &e), ERR_OK);
		assert_int_equal(r.n_selected, p);
		if (r.objective != best)
			fail_msg("round %d (n %zu m %zu p %zu): found %g, optimum %g", round, n, m,
			         p, r.objective, best);
		assert_true(r.max_distance == best);
		assert_true(worst_distance(&in, r.selected, p) == best);
		if (n_fixed) {
			bool kept = false;
			for (size_t k = 0; k < p; k++)
				kept |= r.selected[k] == fix[0];
			assert_true(kept);
		}
		pmedian_result_release(&r);
		plan_instance_release(&in);
	}
}

/*
 * The least number of sites covering every point within r: the location set
 * covering problem (Toregas et al. 1971) as an integer program in CPLEX LP
 * format, solved by cbc. p sites reach radius r exactly when that number
 * is at most p, so the p-center optimum is the least distance r for which
 * it is (found by bisection over the distinct distances).
 */
static void write_cover_lp(FILE *f, const struct plan_instance *in, const void *ctx)
{
	size_t n = in->n_demand, m = in->n_sites;
	double r = *(const double *)ctx;
	fprintf(f, "Minimize\n obj:");
	for (size_t j = 0; j < m; j++)
		fprintf(f, " + y_%zu", j);
	fprintf(f, "\nSubject To\n");
	for (size_t i = 0; i < n; i++) {
		fprintf(f, " c%zu:", i);
		for (size_t j = 0; j < m; j++)
			if (in->dist[i * m + j] <= r)
				fprintf(f, " + y_%zu", j);
		fprintf(f, " >= 1\n");
	}
	fprintf(f, "Binary\n");
	for (size_t j = 0; j < m; j++)
		fprintf(f, " y_%zu\n", j);
	fprintf(f, "End\n");
}

static double cbc_min_cover(const struct plan_instance *in, double r)
{
	return planfx_cbc_run("pcenter", write_cover_lp, in, &r);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double cbc_pcenter(const struct plan_instance *in, size_t p)
{
	size_t n = in->n_demand, m = in->n_sites, nd = 0;
	double lb = 0;
	for (size_t i = 0; i < n; i++) {
		double near = INFINITY;
		for (size_t j = 0; j < m; j++)
			if (in->dist[i * m + j] < near)
				near = in->dist[i * m + j];
		if (near > lb)
			lb = near;
	}
	double *dv = malloc(n * m * sizeof *dv);
	assert_non_null(dv);
	for (size_t k = 0; k < n * m; k++)
		if (in->dist[k] >= lb)
			dv[nd++] = in->dist[k];
	qsort(dv, nd, sizeof *dv, cmp_double);
	size_t u = 0;
	for (size_t k = 0; k < nd; k++)
		if (u == 0 || dv[k] != dv[u - 1])
			dv[u++] = dv[k];
	size_t lo = 0, hi = u - 1; /* dv[hi] is reachable: one site covers all */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cbc_min_cover(in, dv[mid]) <= (double)p + 0.5)
			hi = mid;
		else
			lo = mid + 1;
	}
	double v = dv[lo];
	free(dv);
	return v;
}

static void test_cbc_oracle(void **state)
{
	(void)state;
	if (!planfx_cbc_available())
		skip();
	struct plan_rng rng;
	plan_rng_seed(&rng, 1234);
	const size_t sizes[][3] = {{40, 30, 3}, {60, 40, 6}, {80, 60, 9}};
	for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
		struct plan_instance in;
		planfx_random(&in, &rng, sizes[t][0], sizes[t][1], 5);
		double opt = cbc_pcenter(&in, sizes[t][2]);
		struct pmedian_opts o = {.p = sizes[t][2]};
		struct pmedian_result r;
		assert_int_equal(pcenter_solve(&in, &o, NULL, &r, NULL), ERR_OK);
		if (fabs(r.objective - opt) > 1e-6)
			fail_msg("instance %zu: found %g, cbc %g", t, r.objective, opt);
		pmedian_result_release(&r);
		plan_instance_release(&in);
	}
}

/* planfx_line(): points on a line at 0, 1, 2, 10, 11; every point is a site of weight 1. */
static void test_line(void **state)
{
	(void)state;
	struct plan_instance in;
	planfx_line(&in);
	struct pmedian_result r;
	/* p = 1: the centre at 2 is 9 from 11; at 1 or 10 it is 10. */
	struct pmedian_opts o = {.p = 1};
	assert_int_equal(pcenter_solve(&in, &o, NULL, &r, NULL), ERR_OK);
	assert_true(r.objective == 9);
	assert_int_equal(r.selected[0], 2);
	pmedian_result_release(&r);
	/* p = 2: one centre at 1, the other at 10 or 11: worst 1. */
	o.p = 2;
	assert_int_equal(pcenter_solve(&in, &o, NULL, &r, NULL), ERR_OK);
	assert_true(r.objective == 1 && r.max_distance == 1);
	assert_int_equal(r.selected[0], 1);
	/* The mean distance is reported too: 1 + 0 + 1 + (0 + 1) over 5. */
	assert_true(fabs(r.mean_distance - 0.6) < 1e-12);
	pmedian_result_release(&r);
	/* Fixed at 0 with p = 2: 2 is 2 away whatever the other is (10 or 11 serves the rest). */
	size_t fix[1] = {0};
	o.fixed = fix;
	o.n_fixed = 1;
	assert_int_equal(pcenter_solve(&in, &o, NULL, &r, NULL), ERR_OK);
	assert_true(r.objective == 2);
	assert_int_equal(r.selected[0], 0);
	pmedian_result_release(&r);
	/* p = 3: {1, 10, any}: worst 1; 0 is impossible, as two of the 5 points must share
	 * a centre and no two points are less than 1 apart. */
	o = (struct pmedian_opts){.p = 3};
	assert_int_equal(pcenter_solve(&in, &o, NULL, &r, NULL), ERR_OK);
	assert_true(r.objective == 1);
	pmedian_result_release(&r);
	/* p = all: 0. */
	o.p = 5;
	assert_int_equal(pcenter_solve(&in, &o, NULL, &r, NULL), ERR_OK);
	assert_true(r.objective == 0);
	pmedian_result_release(&r);
	plan_instance_release(&in);
}

static void test_refused(void **state)
{
	(void)state;
	struct plan_instance in;
	planfx_line(&in);
	struct pmedian_result r;
	struct err e;
	struct pmedian_opts o = {.p = 6};
	assert_int_equal(pcenter_solve(&in, &o, NULL, &r, &e), ERR_OUT_OF_RANGE);
	assert_non_null(strstr(e.detail, "p 6 is larger than the number of candidate sites (5)"));
	assert_null(r.selected);
	o.p = 0;
	assert_int_equal(pcenter_solve(&in, &o, NULL, &r, &e), ERR_OUT_OF_RANGE);
	o.p = 2;
	in.demand[1].weight = -3;
	assert_int_equal(pcenter_solve(&in, &o, NULL, &r, &e), ERR_INVALID_ARGUMENT);
	in.demand[1].weight = 1;
	in.dist[3] = NAN;
	assert_int_equal(pcenter_solve(&in, &o, NULL, &r, &e), ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(e.detail, "'p0'"));
	plan_instance_release(&in);
}

/*
 * Unreachable pairs: point 3 reaches no site (unserved, outside the
 * maximum); point 2 reaches only site 1 at 70, so with p = 1 site 1 must be
 * chosen although site 0 is nearer to the others.
 */
static void test_unreachable(void **state)
{
	(void)state;
	struct plan_instance in;
	assert_int_equal(plan_instance_alloc(&in, PLAN_COORDS_MATRIX, 4, 2, NULL), ERR_OK);
	for (size_t i = 0; i < 4; i++) {
		snprintf(in.demand[i].id, sizeof in.demand[i].id, "d%zu", i);
		in.demand[i].weight = 1;
	}
	snprintf(in.sites[0].id, sizeof in.sites[0].id, "near");
	snprintf(in.sites[1].id, sizeof in.sites[1].id, "far");
	in.dist[0] = 1, in.dist[1] = 50;
	in.dist[2] = 1, in.dist[3] = 60;
	in.dist[5] = 70;
	struct pmedian_opts o = {.p = 1};
	struct pmedian_result r;
	assert_int_equal(pcenter_solve(&in, &o, NULL, &r, NULL), ERR_OK);
	assert_int_equal(r.selected[0], 1);
	assert_true(r.objective == 70);
	assert_true(r.unserved_weight == 1);
	pmedian_result_release(&r);
	plan_instance_release(&in);
}

static bool stop_now(void *ctx)
{
	(void)ctx;
	return true;
}

static void test_determinism_and_stop(void **state)
{
	(void)state;
	struct plan_rng rng;
	plan_rng_seed(&rng, 8);
	struct plan_instance in;
	planfx_random(&in, &rng, 300, 200, 5);
	struct pmedian_opts o = {.p = 12};
	struct plan_budget b = {.iterations = 2000, .seed = 3};
	struct pmedian_result r1, r2;
	assert_int_equal(pcenter_solve(&in, &o, &b, &r1, NULL), ERR_OK);
	assert_int_equal(pcenter_solve(&in, &o, &b, &r2, NULL), ERR_OK);
	assert_true(r1.objective == r2.objective);
	assert_memory_equal(r1.selected, r2.selected, 12 * sizeof *r1.selected);
	assert_int_equal(r1.iterations, r2.iterations);
	assert_true(r1.objective == worst_distance(&in, r1.selected, 12));
	pmedian_result_release(&r2);
	/* Stopped at once: the greedy start, marked stopped, still a valid answer. */
	b.stop = stop_now;
	assert_int_equal(pcenter_solve(&in, &o, &b, &r2, NULL), ERR_OK);
	assert_true(r2.stopped);
	assert_int_equal(r2.n_selected, 12);
	assert_true(r2.objective >= r1.objective);
	assert_true(r2.objective == worst_distance(&in, r2.selected, 12));
	pmedian_result_release(&r2);
	pmedian_result_release(&r1);
	plan_instance_release(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_enumeration), cmocka_unit_test(test_cbc_oracle),
	        cmocka_unit_test(test_line),        cmocka_unit_test(test_refused),
	        cmocka_unit_test(test_unreachable), cmocka_unit_test(test_determinism_and_stop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
