/*
 * plan_fixture: helpers shared by the unit tests of the location solvers
 * (test_pcenter.c, test_pmedian.c): random instances, the exact optimum by
 * enumerating every set of p sites, and the plumbing of the CBC oracle
 * (Debian's coinor-cbc at /usr/bin/cbc) that solves an integer program
 * written as a CPLEX LP file. Included by those test files only; every
 * function is static inline so that a test includes only what it uses.
 */
#ifndef MOTCUA_TESTS_PLAN_FIXTURE_H
#define MOTCUA_TESTS_PLAN_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "plan/instance.h"
#include "plan/solver_util.h"

#define PLANFX_CBC "/usr/bin/cbc"

/* A random instance of n demand points and m sites: integer coordinates in
 * [0, 100)^2, rounded Euclidean distances, weights in [1, wmax]. The caller
 * releases it with plan_instance_release(). */
static inline void planfx_random(struct plan_instance *in, struct plan_rng *rng, size_t n, size_t m,
                                 int wmax)
{
	assert_int_equal(plan_instance_alloc(in, PLAN_COORDS_MATRIX, n, m, NULL), ERR_OK);
	double *sx = malloc(m * sizeof *sx), *sy = malloc(m * sizeof *sy);
	assert_non_null(sx);
	assert_non_null(sy);
	for (size_t j = 0; j < m; j++) {
		snprintf(in->sites[j].id, sizeof in->sites[j].id, "s%zu", j);
		sx[j] = (double)plan_rng_below(rng, 100);
		sy[j] = (double)plan_rng_below(rng, 100);
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(in->demand[i].id, sizeof in->demand[i].id, "d%zu", i);
		in->demand[i].weight = (double)(1 + plan_rng_below(rng, (uint64_t)wmax));
		double x = (double)plan_rng_below(rng, 100), y = (double)plan_rng_below(rng, 100);
		for (size_t j = 0; j < m; j++)
			in->dist[i * m + j] = round(hypot(x - sx[j], y - sy[j]));
	}
	free(sx);
	free(sy);
}

/* The value of a set of p sites (the objective of the solver under test). */
typedef double planfx_cost_fn(const struct plan_instance *in, const size_t *set, size_t p);

/* Least cost over every p-subset of the sites that contains the fixed ones
 * (fixed[j] for each site j): set[0..k) is the subset so far, the next site is
 * taken from `from` on; *best is lowered to each better cost found. */
static inline void planfx_enumerate(const struct plan_instance *in, size_t p, const bool *fixed,
                                    size_t *set, size_t k, size_t from, planfx_cost_fn *cost,
                                    double *best)
{
	if (k == p) {
		size_t nf = 0, have = 0;
		for (size_t j = 0; j < in->n_sites; j++)
			nf += fixed[j];
		for (size_t a = 0; a < p; a++)
			have += fixed[set[a]];
		if (have == nf) {
			double v = cost(in, set, p);
			if (v < *best)
				*best = v;
		}
		return;
	}
	for (size_t j = from; j < in->n_sites; j++) {
		set[k] = j;
		planfx_enumerate(in, p, fixed, set, k + 1, j + 1, cost, best);
	}
}

/* Five points on a line at 0, 1, 2, 10, 11, each a demand point of weight 1
 * and a site (ids p0..p4), distances |x_i - x_j|. */
static inline void planfx_line(struct plan_instance *in)
{
	static const double x[5] = {0, 1, 2, 10, 11};
	assert_int_equal(plan_instance_alloc(in, PLAN_COORDS_MATRIX, 5, 5, NULL), ERR_OK);
	for (size_t i = 0; i < 5; i++) {
		snprintf(in->demand[i].id, sizeof in->demand[i].id, "p%zu", i);
		snprintf(in->sites[i].id, sizeof in->sites[i].id, "p%zu", i);
		in->demand[i].weight = 1;
		for (size_t j = 0; j < 5; j++)
			in->dist[i * 5 + j] = fabs(x[i] - x[j]);
	}
}

/* True when cbc is installed (the oracle tests skip otherwise). */
static inline bool planfx_cbc_available(void)
{
	return access(PLANFX_CBC, X_OK) == 0;
}

/* Runs cbc on the LP file and returns the optimal objective (asserts success). */
static inline double planfx_cbc_solve(const char *lp)
{
	char sol[128], cmd[512];
	snprintf(sol, sizeof sol, "%s.sol", lp);
	snprintf(cmd, sizeof cmd, PLANFX_CBC " %s solve solu %s > /dev/null 2>&1", lp, sol);
	assert_int_equal(system(cmd), 0);
	FILE *f = fopen(sol, "r");
	assert_non_null(f);
	char line[256];
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	remove(sol);
	double v = NAN;
	assert_int_equal(sscanf(line, "Optimal - objective value %lf", &v), 1);
	return v;
}

/* Writes an integer program for in (with ctx, the writer's own parameter) in
 * CPLEX LP format to f. */
typedef void planfx_lp_writer(FILE *f, const struct plan_instance *in, const void *ctx);

/* Writes the program through write to a temporary file
 * /tmp/motcua-TAG-XXXXXX.lp, solves it with cbc, removes the file and
 * returns the optimal objective (asserts success). */
static inline double planfx_cbc_run(const char *tag, planfx_lp_writer *write,
                                    const struct plan_instance *in, const void *ctx)
{
	char lp[64], lpname[80];
	snprintf(lp, sizeof lp, "/tmp/motcua-%s-XXXXXX", tag);
	int fd = mkstemp(lp);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	write(f, in, ctx);
	fclose(f);
	snprintf(lpname, sizeof lpname, "%s.lp", lp);
	assert_int_equal(rename(lp, lpname), 0);
	double v = planfx_cbc_solve(lpname);
	remove(lpname);
	return v;
}

#endif
