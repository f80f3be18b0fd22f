/*
 * Unit tests for plan/pmedian: the p-median solver and the OR-Library reader.
 *
 * Where the expected values come from:
 *  - small random instances: the exact optimum by enumerating every set of p
 *    sites (computed here);
 *  - larger random instances: the exact optimum from Debian's CBC solver
 *    (coinor-cbc, /usr/bin/cbc) on the classical integer program of ReVelle
 *    and Swain (1970), written here as an LP file; skipped when cbc is absent;
 *  - hand-made graphs for the reader, whose shortest paths are worked out in
 *    the comments; the rule "a later duplicate edge overwrites an earlier one"
 *    is OR-Library's pmedinfo (J.E. Beasley);
 *  - pmed1: optimum 5819 from OR-Library's pmedopt.
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
#include "plan/pmedian.h"
#include "plan/solver_util.h"

#include "plan_fixture.h"

#ifndef SOURCE_DIR
#define SOURCE_DIR "."
#endif

static double total_distance(const struct plan_instance *in, const size_t *set, size_t p)
{
	double sum = 0;
	for (size_t i = 0; i < in->n_demand; i++) {
		double best = INFINITY;
		for (size_t k = 0; k < p; k++) {
			double d = in->dist[i * in->n_sites + set[k]];
			if (d < best)
				best = d;
		}
		sum += in->demand[i].weight * best;
	}
	return sum;
}

static void test_enumeration(void **state)
{
	(void)state;
	struct plan_rng rng;
	plan_rng_seed(&rng, 20250801);
	for (int round = 0; round < 60; round++) {
		size_t n = 6 + plan_rng_below(&rng, 10), m = 3 + plan_rng_below(&rng, 10);
		size_t p = 1 + plan_rng_below(&rng, m < 5 ? m : 5);
		struct plan_instance in;
		planfx_random(&in, &rng, n, m, 9);
		bool fixed[16] = {0};
		size_t fix[2], n_fixed = round % 3 == 0 ? (p > 1 ? 2 : 1) : 0;
		if (n_fixed > p)
			n_fixed = p;
		for (size_t f = 0; f < n_fixed; f++) {
			fix[f] = (f * 5 + (size_t)round) % m;
			if (f == 1 && fix[1] == fix[0])
				fix[1] = (fix[0] + 1) % m;
			fixed[fix[f]] = true;
		}
		size_t set[16];
		double best = INFINITY;
		planfx_enumerate(&in, p, fixed, set, 0, 0, total_distance, &best);
		struct pmedian_opts o = {.p = p, .fixed = fix, .n_fixed = n_fixed};
		struct plan_budget b = {.seed = (uint64_t)round};
		struct pmedian_result r;
		struct err e;
		assert_int_equal(pmedian_solve(&in, &o, &b, &r, &e), ERR_OK);
		assert_int_equal(r.n_selected, p);
		assert_true(fabs(r.objective - best) < 1e-9);
		assert_true(fabs(total_distance(&in, r.selected, p) - best) < 1e-9);
		for (size_t f = 0; f < n_fixed; f++) {
			bool in_set = false;
			for (size_t k = 0; k < p; k++)
				in_set |= r.selected[k] == fix[f];
			assert_true(in_set);
		}
		for (size_t k = 1; k < p; k++)
			assert_true(r.selected[k - 1] < r.selected[k]);
		pmedian_result_release(&r);
		plan_instance_release(&in);
	}
}

/* ---- CBC oracle ---- */

/* The p-median integer program (ReVelle & Swain 1970) in CPLEX LP format. */
static void write_pmedian_lp(FILE *f, const struct plan_instance *in, const void *ctx)
{
	size_t n = in->n_demand, m = in->n_sites, p = *(const size_t *)ctx;
	fprintf(f, "Minimize\n obj:");
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < m; j++)
			fprintf(f, " + %.0f x_%zu_%zu", in->demand[i].weight * in->dist[i * m + j],
			        i, j);
	fprintf(f, "\nSubject To\n");
	for (size_t i = 0; i < n; i++) {
		fprintf(f, " a%zu:", i);
		for (size_t j = 0; j < m; j++)
			fprintf(f, " + x_%zu_%zu", i, j);
		fprintf(f, " = 1\n");
		for (size_t j = 0; j < m; j++)
			fprintf(f, " l%zu_%zu: x_%zu_%zu - y_%zu <= 0\n", i, j, i, j, j);
	}
	fprintf(f, " card:");
	for (size_t j = 0; j < m; j++)
		fprintf(f, " + y_%zu", j);
	fprintf(f, " = %zu\nBounds\n", p);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < m; j++)
			fprintf(f, " 0 <= x_%zu_%zu <= 1\n", i, j);
	fprintf(f, "Binary\n");
	for (size_t j = 0; j < m; j++)
		fprintf(f, " y_%zu\n", j);
	fprintf(f, "End\n");
}

static void test_cbc_oracle(void **state)
{
	(void)state;
	if (!planfx_cbc_available())
		skip();
	struct plan_rng rng;
	plan_rng_seed(&rng, 77);
	const size_t sizes[][3] = {{40, 30, 4}, {50, 40, 7}, {60, 60, 12}};
	for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
		struct plan_instance in;
		planfx_random(&in, &rng, sizes[t][0], sizes[t][1], 20);
		double opt = planfx_cbc_run("pmedian", write_pmedian_lp, &in, &sizes[t][2]);
		struct pmedian_opts o = {.p = sizes[t][2]};
		struct pmedian_result r;
		assert_int_equal(pmedian_solve(&in, &o, NULL, &r, NULL), ERR_OK);
		assert_true(fabs(r.objective - opt) < 1e-6);
		pmedian_result_release(&r);
		plan_instance_release(&in);
	}
}

/* ---- solver behaviour ---- */

/*
 * planfx_line(): five points on a line at 0, 1, 2, 10, 11 (every point a
 * site, weight 1): the best two medians are 1 and 10 (or 11): total
 * 1 + 0 + 1 + 0 + 1 = 3.
 */
static void test_line(void **state)
{
	(void)state;
	struct plan_instance in;
	planfx_line(&in);
	struct pmedian_opts o = {.p = 2};
	struct pmedian_result r;
	assert_int_equal(pmedian_solve(&in, &o, NULL, &r, NULL), ERR_OK);
	assert_true(r.objective == 3);
	assert_int_equal(r.selected[0], 1);
	assert_true(r.selected[1] == 3 || r.selected[1] == 4);
	assert_true(r.total_weight == 5 && r.served_weight == 5 && r.unserved_weight == 0);
	assert_true(fabs(r.mean_distance - 0.6) < 1e-12);
	assert_true(r.max_distance == 1);
	assert_int_equal(r.assigned[0], 1);
	assert_int_equal(r.assigned[2], 1);
	pmedian_result_release(&r);

	/* p = 1: the 1-median is the point at 2: 2 + 1 + 0 + 8 + 9 = 20. */
	o.p = 1;
	assert_int_equal(pmedian_solve(&in, &o, NULL, &r, NULL), ERR_OK);
	assert_true(r.objective == 20);
	assert_int_equal(r.selected[0], 2);
	pmedian_result_release(&r);

	/* p = every site: all open, total 0. */
	o.p = 5;
	assert_int_equal(pmedian_solve(&in, &o, NULL, &r, NULL), ERR_OK);
	assert_true(r.objective == 0);
	assert_int_equal(r.n_selected, 5);
	pmedian_result_release(&r);

	/* Fixed site 0 with p = 2: the other goes to 10 or 11: 0 + 1 + 2 + 0 + 1 = 4. */
	size_t fix[1] = {0};
	o.p = 2;
	o.fixed = fix;
	o.n_fixed = 1;
	assert_int_equal(pmedian_solve(&in, &o, NULL, &r, NULL), ERR_OK);
	assert_true(r.objective == 4);
	assert_int_equal(r.selected[0], 0);
	pmedian_result_release(&r);

	/* All fixed: evaluated as given. */
	size_t fix2[2] = {4, 0};
	o.fixed = fix2;
	o.n_fixed = 2;
	assert_int_equal(pmedian_solve(&in, &o, NULL, &r, NULL), ERR_OK);
	assert_true(r.objective == 1 + 2 + 1);
	assert_int_equal(r.selected[0], 0);
	assert_int_equal(r.selected[1], 4);
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
	assert_int_equal(pmedian_solve(&in, &o, NULL, &r, &e), ERR_OUT_OF_RANGE);
	assert_non_null(strstr(e.detail, "p 6 is larger than the number of candidate sites (5)"));
	assert_null(r.selected);
	o.p = 0;
	assert_int_equal(pmedian_solve(&in, &o, NULL, &r, &e), ERR_OUT_OF_RANGE);
	size_t bad[2] = {5, 1};
	o = (struct pmedian_opts){.p = 2, .fixed = bad, .n_fixed = 1};
	assert_int_equal(pmedian_solve(&in, &o, NULL, &r, &e), ERR_OUT_OF_RANGE);
	size_t twice[2] = {1, 1};
	o = (struct pmedian_opts){.p = 2, .fixed = twice, .n_fixed = 2};
	assert_int_equal(pmedian_solve(&in, &o, NULL, &r, &e), ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(e.detail, "'p1'"));
	size_t three[3] = {0, 1, 2};
	o = (struct pmedian_opts){.p = 2, .fixed = three, .n_fixed = 3};
	assert_int_equal(pmedian_solve(&in, &o, NULL, &r, &e), ERR_OUT_OF_RANGE);
	o = (struct pmedian_opts){.p = 2};
	in.demand[3].weight = -1;
	assert_int_equal(pmedian_solve(&in, &o, NULL, &r, &e), ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(e.detail, "'p3'"));
	in.demand[3].weight = NAN;
	assert_int_equal(pmedian_solve(&in, &o, NULL, &r, &e), ERR_INVALID_ARGUMENT);
	in.demand[3].weight = 1;
	in.dist[7] = NAN;
	assert_int_equal(pmedian_solve(&in, &o, NULL, &r, &e), ERR_INVALID_ARGUMENT);
	in.dist[7] = -2;
	assert_int_equal(pmedian_solve(&in, &o, NULL, &r, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(pmedian_solve(&in, NULL, NULL, &r, &e), ERR_INVALID_ARGUMENT);
	/* Evaluation refuses an empty set, an index out of range, a repeat. */
	size_t set[2] = {1, 1};
	assert_int_equal(pmedian_evaluate(&in, set, 0, &r, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(pmedian_evaluate(&in, set, 2, &r, &e), ERR_INVALID_ARGUMENT);
	set[1] = 9;
	assert_int_equal(pmedian_evaluate(&in, set, 2, &r, &e), ERR_OUT_OF_RANGE);
	plan_instance_release(&in);
	struct plan_instance empty = {0};
	o.p = 1;
	assert_int_equal(pmedian_solve(&empty, &o, NULL, &r, &e), ERR_INVALID_ARGUMENT);
}

/*
 * Unreachable pairs: point 2 reaches only site 1 and point 3 reaches no
 * site at all. With p = 1 the solver must open site 1 (serving point 2
 * beats any saving in distance), and point 3 is unserved.
 */
static void test_unreachable(void **state)
{
	(void)state;
	struct plan_instance in;
	assert_int_equal(plan_instance_alloc(&in, PLAN_COORDS_MATRIX, 4, 2, NULL), ERR_OK);
	for (size_t i = 0; i < 4; i++) {
		snprintf(in.demand[i].id, sizeof in.demand[i].id, "d%zu", i);
		in.demand[i].weight = i == 1 ? 100 : 1;
	}
	snprintf(in.sites[0].id, sizeof in.sites[0].id, "near");
	snprintf(in.sites[1].id, sizeof in.sites[1].id, "far");
	/* d0: 1 / 50; d1: 1 / 60; d2: - / 70; d3: - / - */
	in.dist[0] = 1, in.dist[1] = 50;
	in.dist[2] = 1, in.dist[3] = 60;
	in.dist[5] = 70;
	struct pmedian_opts o = {.p = 1};
	struct pmedian_result r;
	assert_int_equal(pmedian_solve(&in, &o, NULL, &r, NULL), ERR_OK);
	assert_int_equal(r.selected[0], 1);
	assert_true(r.objective == 50 + 6000 + 70);
	assert_true(r.total_weight == 103);
	assert_true(r.unserved_weight == 1);
	assert_int_equal(r.assigned[3], SIZE_MAX);
	assert_true(r.max_distance == 70);
	pmedian_result_release(&r);
	/* A point of weight 0 counts for nothing, reachable or not. */
	in.demand[2].weight = 0;
	assert_int_equal(pmedian_solve(&in, &o, NULL, &r, NULL), ERR_OK);
	assert_int_equal(r.selected[0], 0);
	assert_true(r.objective == 1 + 100);
	assert_true(r.unserved_weight == 1);
	pmedian_result_release(&r);
	plan_instance_release(&in);
}

static bool stop_now(void *ctx)
{
	int *calls = ctx;
	(*calls)++;
	return true;
}

static void test_determinism_and_stop(void **state)
{
	(void)state;
	struct plan_rng rng;
	plan_rng_seed(&rng, 5);
	struct plan_instance in;
	planfx_random(&in, &rng, 120, 80, 10);
	struct pmedian_opts o = {.p = 9};
	struct plan_budget b = {.iterations = 300, .seed = 42};
	struct pmedian_result r1, r2;
	assert_int_equal(pmedian_solve(&in, &o, &b, &r1, NULL), ERR_OK);
	assert_int_equal(pmedian_solve(&in, &o, &b, &r2, NULL), ERR_OK);
	assert_true(r1.objective == r2.objective);
	assert_memory_equal(r1.selected, r2.selected, 9 * sizeof *r1.selected);
	assert_int_equal(r1.iterations, r2.iterations);
	assert_true(r1.iterations <= 300);
	assert_false(r1.stopped);
	/* The stall limit ends the search early; without it the whole budget runs. */
	o.stall = UINT64_MAX;
	pmedian_result_release(&r2);
	assert_int_equal(pmedian_solve(&in, &o, &b, &r2, NULL), ERR_OK);
	assert_int_equal(r2.iterations, 300);
	assert_true(r2.objective <= r1.objective);
	pmedian_result_release(&r2);
	/* A stop predicate that fires at once: a valid answer, marked stopped. */
	int calls = 0;
	b.stop = stop_now;
	b.stop_ctx = &calls;
	assert_int_equal(pmedian_solve(&in, &o, &b, &r2, NULL), ERR_OK);
	assert_true(r2.stopped);
	assert_true(calls >= 1);
	assert_int_equal(r2.iterations, 0);
	assert_int_equal(r2.n_selected, 9);
	assert_true(fabs(total_distance(&in, r2.selected, 9) - r2.objective) < 1e-9);
	pmedian_result_release(&r2);
	pmedian_result_release(&r1);
	plan_instance_release(&in);
}

static void test_evaluate(void **state)
{
	(void)state;
	struct plan_instance in;
	planfx_line(&in);
	size_t set[2] = {4, 0};
	struct pmedian_result r;
	assert_int_equal(pmedian_evaluate(&in, set, 2, &r, NULL), ERR_OK);
	/* 0 + 1 + 2 + 1 + 0 = 4, largest 2 (the point at 2), sites sorted. */
	assert_true(r.objective == 4 && r.total_distance == 4);
	assert_true(r.max_distance == 2);
	assert_int_equal(r.selected[0], 0);
	assert_int_equal(r.selected[1], 4);
	assert_int_equal(r.assigned[3], 4);
	pmedian_result_release(&r);
	plan_instance_release(&in);
}

/* ---- OR-Library reader ---- */

static double dist_of(const struct plan_instance *in, size_t a, size_t b)
{
	return in->dist[(a - 1) * in->n_sites + (b - 1)];
}

static void test_orlib_rules(void **state)
{
	(void)state;
	/*
	 * 5 vertices, 6 edge lines, p = 2. The edge 1-2 appears three times:
	 * 5, then 2, then (as 2 1) 9: the last one holds, d(1,2) = 9 -- larger
	 * than an earlier value, so this is not "keep the least". Edge 2-3 = 1,
	 * 1-3 = 3: d(1,2) by shortest path is min(9, 3 + 1) = 4. Vertex 5 is
	 * isolated apart from a loop 5-5 (ignored). d(1,4) = 3 + 2 = 5.
	 */
	const char *text = " 5 6 2 \r\n"
	                   " 1 2 5\n"
	                   "\n"
	                   "1 2 2\n"
	                   " 2 3 1 \n"
	                   "2 1 9\n"
	                   "1 3 3\r\n"
	                   "5 5 7\n"
	                   "3 4 2";
	/* That is 7 edge lines: announce 7. */
	char buf[256];
	snprintf(buf, sizeof buf, "%s", text);
	buf[3] = '7';
	struct plan_instance in;
	size_t p;
	struct err e;
	assert_int_equal(pmedian_parse_orlib(buf, strlen(buf), &in, &p, &e), ERR_OK);
	assert_int_equal(p, 2);
	assert_int_equal(in.n_demand, 5);
	assert_int_equal(in.n_sites, 5);
	assert_int_equal(in.coords, PLAN_COORDS_MATRIX);
	assert_string_equal(in.demand[0].id, "1");
	assert_string_equal(in.sites[4].id, "5");
	assert_true(in.demand[2].weight == 1);
	assert_true(dist_of(&in, 1, 2) == 4);
	assert_true(dist_of(&in, 2, 1) == 4);
	assert_true(dist_of(&in, 1, 3) == 3);
	assert_true(dist_of(&in, 2, 3) == 1);
	assert_true(dist_of(&in, 1, 4) == 5);
	assert_true(dist_of(&in, 4, 2) == 3);
	assert_true(dist_of(&in, 5, 5) == 0);
	assert_true(dist_of(&in, 1, 5) == PLAN_UNREACHABLE);
	assert_true(dist_of(&in, 5, 3) == PLAN_UNREACHABLE);
	plan_instance_release(&in);

	/* Overwrite with a larger value on the direct edge when no shortcut exists. */
	const char *t2 = "2 2 1\n1 2 3\n2 1 8\n";
	assert_int_equal(pmedian_parse_orlib(t2, strlen(t2), &in, &p, &e), ERR_OK);
	assert_true(dist_of(&in, 1, 2) == 8 && dist_of(&in, 2, 1) == 8);
	plan_instance_release(&in);

	/* The text need not be NUL-terminated: only len bytes are read. */
	const char t3[] = "2 1 1\n1 2 4\n9 9 9";
	assert_int_equal(pmedian_parse_orlib(t3, 12, &in, &p, &e), ERR_OK);
	assert_true(dist_of(&in, 1, 2) == 4);
	plan_instance_release(&in);
}

/* A shortest-path oracle: Floyd-Warshall written out naively. */
static void test_orlib_shortest_paths(void **state)
{
	(void)state;
	struct plan_rng rng;
	plan_rng_seed(&rng, 99);
	char text[8192];
	size_t n = 30, edges = 70;
	double w[30][30];
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++)
			w[a][b] = a == b ? 0 : INFINITY;
	int len = snprintf(text, sizeof text, "%zu %zu 3\n", n, edges);
	for (size_t k = 0; k < edges; k++) {
		size_t a = plan_rng_below(&rng, n), b = plan_rng_below(&rng, n);
		double c = (double)plan_rng_below(&rng, 50);
		len += snprintf(text + len, sizeof text - (size_t)len, "%zu %zu %.0f\n", a + 1,
		                b + 1, c);
		if (a != b)
			w[a][b] = w[b][a] = c;
	}
	for (size_t k = 0; k < n; k++)
		for (size_t a = 0; a < n; a++)
			for (size_t b = 0; b < n; b++)
				if (w[a][k] + w[k][b] < w[a][b])
					w[a][b] = w[a][k] + w[k][b];
	struct plan_instance in;
	size_t p;
	assert_int_equal(pmedian_parse_orlib(text, (size_t)len, &in, &p, NULL), ERR_OK);
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++)
			assert_true(in.dist[a * n + b] ==
			            (isinf(w[a][b]) ? PLAN_UNREACHABLE : w[a][b]));
	plan_instance_release(&in);
}

static void expect_bad(const char *text, enum err_code code, const char *needle)
{
	struct plan_instance in;
	size_t p = 99;
	struct err e;
	err_clear(&e);
	enum err_code rc = pmedian_parse_orlib(text, strlen(text), &in, &p, &e);
	if (rc != code || !strstr(e.detail, needle))
		fail_msg("'%s': got %d '%s', want %d with '%s'", text, rc, e.detail, code, needle);
	assert_null(in.dist);
	assert_null(in.demand);
	assert_int_equal(p, 0);
}

static void test_orlib_malformed(void **state)
{
	(void)state;
	expect_bad("", ERR_INVALID_PLAN_DATA, "line 1: missing the header");
	expect_bad("\n\n", ERR_INVALID_PLAN_DATA, "line 3: missing the header");
	expect_bad("3 2\n1 2 3\n", ERR_INVALID_PLAN_DATA, "line 1: expected the header");
	expect_bad("3 2 1 4\n", ERR_INVALID_PLAN_DATA, "line 1: expected the header");
	expect_bad("3 x 1\n", ERR_INVALID_PLAN_DATA, "line 1: invalid number 'x'");
	expect_bad("-3 2 1\n", ERR_INVALID_PLAN_DATA, "line 1: invalid number '-3'");
	expect_bad("0 0 1\n", ERR_OUT_OF_RANGE, "line 1");
	expect_bad("3 1 4\n1 2 3\n", ERR_OUT_OF_RANGE, "line 1: p 4 must be 1..3");
	expect_bad("3 1 0\n1 2 3\n", ERR_OUT_OF_RANGE, "line 1: p 0");
	expect_bad("99999 0 1\n", ERR_OUT_OF_RANGE, "line 1");
	expect_bad("3 2 1\n1 2 3\n", ERR_INVALID_PLAN_DATA,
	           "line 3: the file ends after 1 of the 2");
	expect_bad("3 1 1\n1 2 3\n2 3 4\n", ERR_INVALID_PLAN_DATA,
	           "line 3: unexpected text after the 1 edges");
	expect_bad("3 2 1\n1 2\n2 3 4\n", ERR_INVALID_PLAN_DATA, "line 2: expected an edge");
	expect_bad("3 2 1\n1 2 3\n2 3 4 5\n", ERR_INVALID_PLAN_DATA, "line 3: expected an edge");
	expect_bad("3 2 1\n1 2 3\n\n0 3 4\n", ERR_INVALID_PLAN_DATA, "line 4: invalid vertex '0'");
	expect_bad("3 2 1\n1 4 3\n2 3 4\n", ERR_INVALID_PLAN_DATA, "line 2: invalid vertex '4'");
	expect_bad("3 2 1\n1 a 3\n2 3 4\n", ERR_INVALID_PLAN_DATA, "line 2: invalid vertex 'a'");
	expect_bad("3 2 1\n1 2 -3\n2 3 4\n", ERR_INVALID_PLAN_DATA, "line 2: invalid cost '-3'");
	expect_bad("3 2 1\n1 2 nan\n2 3 4\n", ERR_INVALID_PLAN_DATA, "line 2: invalid cost");
	expect_bad("3 2 1\n1 2 1e400\n2 3 4\n", ERR_INVALID_PLAN_DATA, "line 2: invalid cost");
	expect_bad("3 2 1\n1 2 3x\n2 3 4\n", ERR_INVALID_PLAN_DATA, "line 2: invalid cost '3x'");
	char nul[] = "3 1 1\n1 2 3\n";
	nul[9] = '\0';
	struct plan_instance in;
	size_t p;
	struct err e;
	assert_int_equal(pmedian_parse_orlib(nul, sizeof nul - 1, &in, &p, &e),
	                 ERR_INVALID_PLAN_DATA);
	assert_non_null(strstr(e.detail, "line 2"));
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	n = fread(buf, 1, cap, f);
	fclose(f);
	*len = n;
	return buf;
}

static void test_pmed1(void **state)
{
	(void)state;
	size_t len = 0;
	char *text = slurp(SOURCE_DIR "/bench/data/pmed/pmed1.txt", &len);
	if (!text)
		skip();
	struct plan_instance in;
	size_t p;
	struct err e;
	assert_int_equal(pmedian_parse_orlib(text, len, &in, &p, &e), ERR_OK);
	free(text);
	assert_int_equal(in.n_demand, 100);
	assert_int_equal(p, 5);
	struct pmedian_opts o = {.p = p};
	struct pmedian_result r;
	assert_int_equal(pmedian_solve(&in, &o, NULL, &r, &e), ERR_OK);
	assert_true(r.objective == 5819);
	assert_true(r.served_weight == 100);
	pmedian_result_release(&r);
	/* p larger than the candidates is refused by the solver too. */
	o.p = 101;
	assert_int_equal(pmedian_solve(&in, &o, NULL, &r, &e), ERR_OUT_OF_RANGE);
	plan_instance_release(&in);
}

/*
 * The graph is undirected, so the distance matrix is symmetric even when the
 * sums of decimal costs differ in the last bit by direction: on the path
 * 1-2-3-4 with costs 0.1, 0.2, 0.3, (0.1 + 0.2) + 0.3 = 0.6000000000000001
 * but (0.3 + 0.2) + 0.1 = 0.6 in IEEE doubles. Found by fuzz_pmedian.
 */
static void test_reader_symmetric(void **state)
{
	(void)state;
	const char *text = "4 3 1\n1 2 0.1\n2 3 0.2\n3 4 0.3\n";
	struct plan_instance in;
	size_t p;
	struct err e;
	assert_int_equal(pmedian_parse_orlib(text, strlen(text), &in, &p, &e), ERR_OK);
	for (size_t a = 0; a < 4; a++)
		for (size_t b = 0; b < 4; b++)
			assert_true(in.dist[a * 4 + b] == in.dist[b * 4 + a]);
	assert_true(in.dist[0 * 4 + 3] == 0.6);
	plan_instance_release(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_enumeration),
	        cmocka_unit_test(test_reader_symmetric),
	        cmocka_unit_test(test_cbc_oracle),
	        cmocka_unit_test(test_line),
	        cmocka_unit_test(test_refused),
	        cmocka_unit_test(test_unreachable),
	        cmocka_unit_test(test_determinism_and_stop),
	        cmocka_unit_test(test_evaluate),
	        cmocka_unit_test(test_orlib_rules),
	        cmocka_unit_test(test_orlib_shortest_paths),
	        cmocka_unit_test(test_orlib_malformed),
	        cmocka_unit_test(test_pmed1),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
