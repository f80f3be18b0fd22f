/*
 * Unit tests for plan/lscp. Expected values come from (1) enumeration of
 * site sets by increasing size on small seeded random instances, (2)
 * COIN-OR CBC (/usr/bin/cbc) solving Toregas et al.'s set covering
 * programme written by this test on somewhat larger ones, and (3) the
 * optima of the San José dos Campos instances (bench/data/sjc, Lorena and
 * Pereira 2002) computed with CBC: SJC324 S = 800: 5 sites, SJC818 S = 800:
 * 13 sites.
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
#include "plan/lscp.h"
#include "plan/solver_util.h"

#ifndef SOURCE_DIR
#define SOURCE_DIR "."
#endif

static void make_instance(struct plan_instance *in, struct plan_rng *rng, size_t nd, size_t ns,
                          double side)
{
	assert_int_equal(plan_instance_alloc(in, PLAN_COORDS_METRES, nd, ns, NULL), ERR_OK);
	for (size_t i = 0; i < nd + ns; i++) {
		struct plan_point *pt = i < nd ? &in->demand[i] : &in->sites[i - nd];
		pt->x = floor(side * plan_rng_unit(rng));
		pt->y = floor(side * plan_rng_unit(rng));
		snprintf(pt->id, sizeof pt->id, "%zu", i);
		pt->weight = 1;
	}
}

/* True when some k-subset (containing set[0..k0)) covers every coverable point. */
static bool exists_cover(const struct plan_cover *c, size_t *set, size_t k0, size_t k, size_t from)
{
	if (k0 == k)
		return lscp_is_cover(c, set, k);
	for (size_t j = from; j < c->n_sites; j++) {
		set[k0] = j;
		if (exists_cover(c, set, k0 + 1, k, j + 1))
			return true;
	}
	return false;
}

static void check_result(const struct plan_cover *c, const struct lscp_result *r)
{
	assert_true(lscp_is_cover(c, r->selected, r->n_selected));
	for (size_t k = 1; k < r->n_selected; k++)
		assert_true(r->selected[k - 1] < r->selected[k]);
	assert_true(r->lower_bound <= r->n_selected);
	/* uncoverable points are exactly those with an empty list */
	size_t n = 0;
	for (size_t i = 0; i < c->n_demand; i++)
		if (c->d_start[i] == c->d_start[i + 1]) {
			assert_true(n < r->n_uncoverable);
			assert_int_equal(r->uncoverable[n], i);
			n++;
		}
	assert_int_equal(n, r->n_uncoverable);
}

static void test_enumeration(void **state)
{
	(void)state;
	struct plan_rng rng;
	plan_rng_seed(&rng, 4242);
	for (int round = 0; round < 60; round++) {
		struct plan_instance in;
		struct plan_cover c;
		size_t ns = 5 + plan_rng_below(&rng, 10), nd = 10 + plan_rng_below(&rng, 30);
		make_instance(&in, &rng, nd, ns, 20);
		assert_int_equal(
		        plan_cover_build(&c, &in, 4 + (double)plan_rng_below(&rng, 6), NULL),
		        ERR_OK);
		struct lscp_params prm = {0};
		prm.budget.seed = (uint64_t)round;
		prm.budget.iterations = 300;
		struct lscp_result r;
		assert_int_equal(lscp_solve(&c, &prm, &r, NULL), ERR_OK);
		check_result(&c, &r);
		size_t set[16], opt = 0;
		while (!exists_cover(&c, set, 0, opt, 0))
			opt++;
		if (r.n_selected != opt)
			print_error("round %d: got %zu sites, optimum %zu\n", round, r.n_selected,
			            opt);
		assert_int_equal(r.n_selected, opt);
		assert_true(r.lower_bound <= opt);
		lscp_result_release(&r);
		plan_cover_release(&c);
		plan_instance_release(&in);
	}
}

static void test_fixed_and_uncoverable(void **state)
{
	(void)state;
	struct plan_instance in;
	struct plan_cover c;
	struct err e;
	/* a line 0, 10, ..., 60 (radius 10) and a far point 1000 no site reaches */
	const char *d = "id,x,y,weight\n"
	                "a,0,0,1\nb,10,0,1\nc,20,0,1\nd,30,0,1\ne,40,0,1\nf,50,0,1\ng,60,0,1\n"
	                "far,1000,0,5\n";
	const char *s = "id,x,y\ns0,0,0\ns10,10,0\ns20,20,0\ns30,30,0\ns40,40,0\ns50,50,0\n"
	                "s60,60,0\n";
	assert_int_equal(plan_instance_parse(&in, d, s, NULL, &e), ERR_OK);
	assert_int_equal(plan_cover_build(&c, &in, 10, NULL), ERR_OK);
	struct lscp_params prm = {0};
	struct lscp_result r;
	assert_int_equal(lscp_solve(&c, &prm, &r, &e), ERR_OK);
	assert_int_equal(r.n_selected, 3); /* s10, s40, s60 or the like */
	assert_int_equal(r.n_uncoverable, 1);
	assert_int_equal(r.uncoverable[0], 7);
	assert_true(r.proven_optimal); /* the packing {a, d, g} proves 3 */
	check_result(&c, &r);
	lscp_result_release(&r);
	/* with s0 and s30 kept: s0 covers a, b; s30 covers c, d, e; one more for f, g */
	size_t fixed[2] = {0, 3};
	prm.fixed = fixed;
	prm.n_fixed = 2;
	assert_int_equal(lscp_solve(&c, &prm, &r, &e), ERR_OK);
	assert_int_equal(r.n_selected, 3);
	assert_int_equal(r.selected[0], 0);
	assert_int_equal(r.selected[1], 3);
	check_result(&c, &r);
	lscp_result_release(&r);
	fixed[1] = 0;
	assert_int_equal(lscp_solve(&c, &prm, &r, &e), ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(e.detail, "repeated"));
	fixed[1] = 7;
	assert_int_equal(lscp_solve(&c, &prm, &r, &e), ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(e.detail, "out of range"));
	plan_cover_release(&c);
	/* nothing coverable: an empty cover, every point reported */
	assert_int_equal(plan_cover_build(&c, &in, 1e12, NULL), ERR_OK);
	prm.n_fixed = 0;
	c.n_pairs = 0;
	for (size_t i = 0; i <= c.n_demand; i++)
		c.d_start[i] = 0;
	for (size_t j = 0; j <= c.n_sites; j++)
		c.s_start[j] = 0;
	assert_int_equal(lscp_solve(&c, &prm, &r, &e), ERR_OK);
	assert_int_equal(r.n_selected, 0);
	assert_int_equal(r.n_uncoverable, 8);
	lscp_result_release(&r);
	plan_cover_release(&c);
	plan_instance_release(&in);
}

static size_t cbc_lscp(const struct plan_cover *c)
{
	char dir[] = "/tmp/motcua-lscp-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char lp[128], sol[128], cmd[512];
	snprintf(lp, sizeof lp, "%s/l.lp", dir);
	snprintf(sol, sizeof sol, "%s/s.txt", dir);
	FILE *f = fopen(lp, "w");
	assert_non_null(f);
	fprintf(f, "Minimize\n obj:");
	for (size_t j = 0; j < c->n_sites; j++)
		fprintf(f, " + x%zu", j);
	fprintf(f, "\nSubject To\n");
	for (size_t i = 0; i < c->n_demand; i++) {
		if (c->d_start[i] == c->d_start[i + 1])
			continue; /* uncoverable: not a constraint */
		fprintf(f, " c%zu:", i);
		for (size_t q = c->d_start[i]; q < c->d_start[i + 1]; q++)
			fprintf(f, " + x%u", c->d_sites[q]);
		fprintf(f, " >= 1\n");
	}
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
	return (size_t)llround(v);
}

static void test_cbc_oracle(void **state)
{
	(void)state;
	struct plan_rng rng;
	plan_rng_seed(&rng, 99);
	for (int round = 0; round < 4; round++) {
		struct plan_instance in;
		struct plan_cover c;
		make_instance(&in, &rng, 200, 120, 1000);
		assert_int_equal(plan_cover_build(&c, &in, 150 + 30 * round, NULL), ERR_OK);
		struct lscp_params prm = {0};
		prm.budget.seed = 3;
		struct lscp_result r;
		assert_int_equal(lscp_solve(&c, &prm, &r, NULL), ERR_OK);
		check_result(&c, &r);
		size_t opt = cbc_lscp(&c);
		if (r.n_selected != opt)
			print_error("round %d: got %zu, cbc %zu\n", round, r.n_selected, opt);
		assert_int_equal(r.n_selected, opt);
		assert_true(r.lower_bound <= opt);
		lscp_result_release(&r);
		plan_cover_release(&c);
		plan_instance_release(&in);
	}
}

static void load_sjc(int n, struct plan_instance *in)
{
	char path[512];
	snprintf(path, sizeof path, SOURCE_DIR "/bench/data/sjc/SJC%d.txt", n);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	int m = 0;
	assert_int_equal(fscanf(f, "%d", &m), 1);
	assert_int_equal(m, n);
	assert_int_equal(plan_instance_alloc(in, PLAN_COORDS_METRES, (size_t)n, (size_t)n, NULL),
	                 ERR_OK);
	for (int i = 0; i < n; i++) {
		assert_int_equal(fscanf(f, "%lf %lf", &in->demand[i].x, &in->demand[i].y), 2);
		in->demand[i].weight = 1;
		in->sites[i] = in->demand[i];
	}
	fclose(f);
}

static void test_sjc(void **state)
{
	(void)state;
	const int n[2] = {324, 818};
	const size_t opt[2] = {5, 13};
	for (int k = 0; k < 2; k++) {
		struct plan_instance in;
		struct plan_cover c;
		load_sjc(n[k], &in);
		assert_int_equal(plan_cover_build(&c, &in, 800, NULL), ERR_OK);
		struct lscp_params prm = {0};
		struct lscp_result r;
		assert_int_equal(lscp_solve(&c, &prm, &r, NULL), ERR_OK);
		assert_int_equal(r.n_selected, opt[k]);
		check_result(&c, &r);
		lscp_result_release(&r);
		plan_cover_release(&c);
		plan_instance_release(&in);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_enumeration),
	        cmocka_unit_test(test_fixed_and_uncoverable),
	        cmocka_unit_test(test_cbc_oracle),
	        cmocka_unit_test(test_sjc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
