/*
 * Unit tests for plan/mclp. Expected values come from (1) enumeration of
 * every set of p sites on small seeded random instances, (2) COIN-OR CBC
 * (/usr/bin/cbc, Debian's coinor-cbc) solving Church and ReVelle's integer
 * programme written by this test on somewhat larger ones, and (3) the
 * optimum of the San José dos Campos instance SJC324 (bench/data/sjc,
 * Lorena and Pereira 2002) with S = 800 m, computed with CBC the same way.
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
#include "plan/mclp.h"
#include "plan/solver_util.h"

#ifndef SOURCE_DIR
#define SOURCE_DIR "."
#endif

static void make_instance(struct plan_instance *in, struct plan_rng *rng, size_t nd, size_t ns,
                          double side, bool fractional)
{
	assert_int_equal(plan_instance_alloc(in, PLAN_COORDS_METRES, nd, ns, NULL), ERR_OK);
	for (size_t i = 0; i < nd + ns; i++) {
		struct plan_point *pt = i < nd ? &in->demand[i] : &in->sites[i - nd];
		pt->x = floor(side * plan_rng_unit(rng));
		pt->y = floor(side * plan_rng_unit(rng));
		snprintf(pt->id, sizeof pt->id, "%c%zu", i < nd ? 'd' : 's', i < nd ? i : i - nd);
		if (i < nd)
			pt->weight = fractional ? 100 * plan_rng_unit(rng)
			                        : (double)(1 + plan_rng_below(rng, 100));
	}
}

static double weights_of(const struct plan_instance *in, double *w)
{
	double t = 0;
	for (size_t i = 0; i < in->n_demand; i++)
		t += (w[i] = in->demand[i].weight);
	return t;
}

/* Best covered weight over all p-subsets containing the fixed sites (recursive). */
static double enumerate(const struct plan_cover *c, const double *w, size_t *set, size_t k,
                        size_t p, size_t from)
{
	if (k == p)
		return mclp_evaluate(c, w, set, p);
	double best = -1;
	for (size_t j = from; j < c->n_sites; j++) {
		bool dup = false;
		for (size_t q = 0; q < k; q++)
			dup = dup || set[q] == j;
		if (dup)
			continue;
		set[k] = j;
		double v = enumerate(c, w, set, k + 1, p, j + 1);
		if (v > best)
			best = v;
	}
	return best;
}

static void check_result(const struct mclp_result *r, const struct mclp_params *prm)
{
	assert_int_equal(r->n_selected, prm->p);
	for (size_t k = 1; k < r->n_selected; k++)
		assert_true(r->selected[k - 1] < r->selected[k]); /* ascending, distinct */
	for (size_t f = 0; f < prm->n_fixed; f++) {
		bool found = false;
		for (size_t k = 0; k < r->n_selected; k++)
			found = found || r->selected[k] == prm->fixed[f];
		assert_true(found);
	}
	assert_true(r->covered_weight <= r->upper_bound + 1e-6);
	assert_true(r->covered_weight <= r->coverable_weight + 1e-6);
	assert_true(r->coverable_weight <= r->total_weight + 1e-6);
}

static void test_enumeration(void **state)
{
	(void)state;
	struct plan_rng rng;
	plan_rng_seed(&rng, 2025);
	for (int round = 0; round < 60; round++) {
		struct plan_instance in;
		size_t ns = 6 + plan_rng_below(&rng, 9), nd = 10 + plan_rng_below(&rng, 30);
		make_instance(&in, &rng, nd, ns, 20, round % 3 == 2);
		struct plan_cover c;
		double radius = 3 + (double)plan_rng_below(&rng, 6);
		assert_int_equal(plan_cover_build(&c, &in, radius, NULL), ERR_OK);
		double w[64];
		weights_of(&in, w);
		size_t p = 1 + plan_rng_below(&rng, ns < 5 ? ns : 5);
		size_t fixed[2] = {plan_rng_below(&rng, ns), 0};
		size_t nf = round % 4 == 3 ? 1 : 0;
		struct mclp_params prm = {.p = p, .fixed = fixed, .n_fixed = nf};
		prm.budget.seed = (uint64_t)round;
		prm.budget.iterations = 300;
		struct mclp_result r;
		assert_int_equal(mclp_solve(&in, &c, &prm, &r, NULL), ERR_OK);
		size_t set[8];
		set[0] = fixed[0];
		double opt = enumerate(&c, w, set, nf, p, 0);
		if (fabs(r.covered_weight - opt) > 1e-9)
			print_error("round %d: ns %zu nd %zu p %zu: got %g, optimum %g\n", round,
			            ns, nd, p, r.covered_weight, opt);
		assert_true(fabs(r.covered_weight - opt) <= 1e-9);
		assert_true(r.upper_bound >= opt - 1e-6);
		check_result(&r, &prm);
		/* the bound on its own is a bound too */
		assert_true(mclp_upper_bound(&c, w, &prm, 0) >= opt - 1e-6);
		mclp_result_release(&r);
		plan_cover_release(&c);
		plan_instance_release(&in);
	}
}

/* Writes Church and ReVelle's MCLP as an LP file, runs CBC and returns its optimum. */
static double cbc_mclp(const struct plan_cover *c, const double *w, size_t p)
{
	char dir[] = "/tmp/motcua-mclp-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char lp[128], sol[128], cmd[512];
	snprintf(lp, sizeof lp, "%s/m.lp", dir);
	snprintf(sol, sizeof sol, "%s/s.txt", dir);
	FILE *f = fopen(lp, "w");
	assert_non_null(f);
	fprintf(f, "Maximize\n obj:");
	for (size_t i = 0; i < c->n_demand; i++)
		fprintf(f, " + %.17g y%zu", w[i], i);
	fprintf(f, "\nSubject To\n");
	for (size_t i = 0; i < c->n_demand; i++) {
		fprintf(f, " c%zu: y%zu", i, i);
		for (size_t q = c->d_start[i]; q < c->d_start[i + 1]; q++)
			fprintf(f, " - x%u", c->d_sites[q]);
		fprintf(f, " <= 0\n");
	}
	fprintf(f, " card:");
	for (size_t j = 0; j < c->n_sites; j++)
		fprintf(f, " + x%zu", j);
	fprintf(f, " = %zu\nBounds\n", p);
	for (size_t i = 0; i < c->n_demand; i++)
		fprintf(f, " 0 <= y%zu <= 1\n", i);
	fprintf(f, "Binary\n");
	for (size_t j = 0; j < c->n_sites; j++)
		fprintf(f, " x%zu\n", j);
	fprintf(f, "End\n");
	fclose(f);
	snprintf(cmd, sizeof cmd, "/usr/bin/cbc %s solve solu %s quit >/dev/null 2>&1", lp, sol);
	assert_int_equal(system(cmd), 0);
	f = fopen(sol, "r");
	assert_non_null(f);
	double v = NAN;
	assert_int_equal(fscanf(f, "Optimal - objective value %lf", &v), 1);
	fclose(f);
	unlink(lp);
	unlink(sol);
	rmdir(dir);
	return v;
}

static void test_cbc_oracle(void **state)
{
	(void)state;
	struct plan_rng rng;
	plan_rng_seed(&rng, 77);
	for (int round = 0; round < 4; round++) {
		struct plan_instance in;
		make_instance(&in, &rng, 150, 80, 1000, false);
		struct plan_cover c;
		assert_int_equal(plan_cover_build(&c, &in, 120 + 20 * round, NULL), ERR_OK);
		double w[150];
		weights_of(&in, w);
		size_t p = 4 + 3 * (size_t)round;
		struct mclp_params prm = {.p = p};
		prm.budget.seed = 1;
		struct mclp_result r;
		assert_int_equal(mclp_solve(&in, &c, &prm, &r, NULL), ERR_OK);
		double opt = cbc_mclp(&c, w, p);
		if (fabs(r.covered_weight - opt) > 1e-6)
			print_error("round %d: got %g, cbc %g\n", round, r.covered_weight, opt);
		assert_true(fabs(r.covered_weight - opt) <= 1e-6);
		assert_true(r.upper_bound >= opt - 1e-6);
		check_result(&r, &prm);
		mclp_result_release(&r);
		plan_cover_release(&c);
		plan_instance_release(&in);
	}
}

static void load_sjc324(struct plan_instance *in)
{
	FILE *f = fopen(SOURCE_DIR "/bench/data/sjc/SJC324.txt", "r");
	FILE *g = fopen(SOURCE_DIR "/bench/data/sjc/demand-SJC324.dat", "r");
	assert_non_null(f);
	assert_non_null(g);
	int n = 0;
	assert_int_equal(fscanf(f, "%d", &n), 1);
	assert_int_equal(n, 324);
	assert_int_equal(plan_instance_alloc(in, PLAN_COORDS_METRES, 324, 324, NULL), ERR_OK);
	for (int i = 0; i < n; i++) {
		assert_int_equal(fscanf(f, "%lf %lf", &in->demand[i].x, &in->demand[i].y), 2);
		assert_int_equal(fscanf(g, "%lf", &in->demand[i].weight), 1);
		snprintf(in->demand[i].id, sizeof in->demand[i].id, "%d", i + 1);
		in->sites[i] = in->demand[i];
	}
	fclose(f);
	fclose(g);
}

static void test_sjc324(void **state)
{
	(void)state;
	struct plan_instance in;
	struct plan_cover c;
	load_sjc324(&in);
	assert_int_equal(plan_cover_build(&c, &in, 800, NULL), ERR_OK);
	/* CBC optima for S = 800: p = 2: 8790, p = 3: 11604, p = 4: 12106 (of 12152) */
	const double opt[3] = {8790, 11604, 12106};
	for (size_t p = 2; p <= 4; p++) {
		struct mclp_params prm = {.p = p};
		struct mclp_result r;
		assert_int_equal(mclp_solve(&in, &c, &prm, &r, NULL), ERR_OK);
		assert_true(r.covered_weight == opt[p - 2]);
		assert_true(r.total_weight == 12152);
		assert_true(r.upper_bound >= opt[p - 2]);
		mclp_result_release(&r);
	}
	plan_cover_release(&c);
	plan_instance_release(&in);
}

static bool stop_now(void *ctx)
{
	int *calls = ctx;
	(*calls)++;
	return true;
}

static void test_budget(void **state)
{
	(void)state;
	struct plan_instance in;
	struct plan_cover c;
	load_sjc324(&in);
	assert_int_equal(plan_cover_build(&c, &in, 1200, NULL), ERR_OK);
	/* the same seed and budget give the same answer */
	struct mclp_params prm = {.p = 2};
	prm.budget.seed = 9;
	prm.budget.iterations = 50;
	struct mclp_result a, b;
	assert_int_equal(mclp_solve(&in, &c, &prm, &a, NULL), ERR_OK);
	assert_int_equal(mclp_solve(&in, &c, &prm, &b, NULL), ERR_OK);
	assert_int_equal(a.n_selected, b.n_selected);
	assert_memory_equal(a.selected, b.selected, a.n_selected * sizeof *a.selected);
	assert_true(a.covered_weight == b.covered_weight);
	assert_true(a.iterations <= 50);
	mclp_result_release(&a);
	mclp_result_release(&b);
	/* the stop predicate ends the search at once, with a valid solution */
	int calls = 0;
	prm.budget.iterations = 1000000;
	prm.budget.stop = stop_now;
	prm.budget.stop_ctx = &calls;
	prm.p = 3;
	assert_int_equal(mclp_solve(&in, &c, &prm, &a, NULL), ERR_OK);
	if (!a.proven_optimal) {
		assert_true(a.stopped);
		assert_int_equal(calls, 1);
		assert_int_equal(a.iterations, 0);
	}
	assert_int_equal(a.n_selected, 3);
	assert_true(a.covered_weight > 0);
	mclp_result_release(&a);
	plan_cover_release(&c);
	plan_instance_release(&in);
}

static void test_fixed_and_errors(void **state)
{
	(void)state;
	struct plan_instance in;
	struct plan_cover c;
	struct err e;
	struct mclp_result r;
	/* a line of points 0, 10, ..., 90; radius 10 */
	assert_int_equal(plan_instance_alloc(&in, PLAN_COORDS_METRES, 10, 10, NULL), ERR_OK);
	for (size_t i = 0; i < 10; i++) {
		in.demand[i].x = 10.0 * (double)i;
		in.demand[i].weight = 1;
		snprintf(in.demand[i].id, sizeof in.demand[i].id, "%zu", i);
		in.sites[i] = in.demand[i];
	}
	assert_int_equal(plan_cover_build(&c, &in, 10, NULL), ERR_OK);
	/* p = 2 free: best covers 6 (sites 1 and 4, say); with 0 fixed, 0 covers 2 */
	struct mclp_params prm = {.p = 2};
	assert_int_equal(mclp_solve(&in, &c, &prm, &r, &e), ERR_OK);
	assert_true(r.covered_weight == 6);
	mclp_result_release(&r);
	size_t fixed[3] = {0, 9, 0};
	prm.fixed = fixed;
	prm.n_fixed = 1;
	assert_int_equal(mclp_solve(&in, &c, &prm, &r, &e), ERR_OK);
	assert_true(r.covered_weight == 5); /* 0 covers {0,1}; one more covers 3 */
	assert_int_equal(r.selected[0], 0);
	mclp_result_release(&r);
	prm.n_fixed = 2; /* every site fixed: nothing to choose */
	assert_int_equal(mclp_solve(&in, &c, &prm, &r, &e), ERR_OK);
	assert_true(r.covered_weight == 4);
	assert_true(r.proven_optimal);
	mclp_result_release(&r);
	/* p = n: everything open */
	prm.n_fixed = 0;
	prm.p = 10;
	assert_int_equal(mclp_solve(&in, &c, &prm, &r, &e), ERR_OK);
	assert_true(r.covered_weight == 10);
	mclp_result_release(&r);
	/* refusals */
	prm.p = 11;
	assert_int_equal(mclp_solve(&in, &c, &prm, &r, &e), ERR_OUT_OF_RANGE);
	assert_non_null(strstr(e.detail, "larger than the 10 candidate sites"));
	assert_null(r.selected);
	prm.p = 0;
	assert_int_equal(mclp_solve(&in, &c, &prm, &r, &e), ERR_OUT_OF_RANGE);
	prm.p = 2;
	prm.n_fixed = 3;
	assert_int_equal(mclp_solve(&in, &c, &prm, &r, &e), ERR_OUT_OF_RANGE);
	prm.p = 3;
	assert_int_equal(mclp_solve(&in, &c, &prm, &r, &e), ERR_INVALID_ARGUMENT); /* 0 twice */
	assert_non_null(strstr(e.detail, "repeated"));
	fixed[2] = 10;
	assert_int_equal(mclp_solve(&in, &c, &prm, &r, &e), ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(e.detail, "out of range"));
	/* lists of another instance */
	struct plan_cover small = c;
	small.n_demand = 3;
	prm.n_fixed = 0;
	assert_int_equal(mclp_solve(&in, &small, &prm, &r, &e), ERR_INVALID_ARGUMENT);
	plan_cover_release(&c);
	plan_instance_release(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_enumeration),      cmocka_unit_test(test_cbc_oracle),
	        cmocka_unit_test(test_sjc324),           cmocka_unit_test(test_budget),
	        cmocka_unit_test(test_fixed_and_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
