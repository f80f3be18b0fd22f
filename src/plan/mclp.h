/*
 * mclp: the maximal covering location problem (Church and ReVelle, "The
 * maximal covering location problem", Papers of the Regional Science
 * Association 32, 1974): open p sites so that the demand weight within the
 * coverage radius of an open site is largest, optionally keeping a set of
 * sites that are open already.
 *
 * Method: greedy construction, then a swap local search on the sparse
 * coverage lists with incremental gain and loss bookkeeping in the manner
 * of Whitaker's fast interchange (R. Whitaker, "A fast algorithm for the
 * greedy interchange for large-scale clustering and median location
 * problems", INFOR 21, 1983) and Resende and Werneck ("A fast swap-based
 * local search procedure for location problems", Annals of OR 150, 2007),
 * inside a variable neighbourhood search (Mladenovic and Hansen, Computers
 * & OR 24, 1997) whose descents are guided by penalties on uncovered points
 * (see mclp.c). A Lagrangian upper bound ends the search once it is met.
 * Deterministic for a given seed and iteration count.
 */
#ifndef MOTCUA_PLAN_MCLP_H
#define MOTCUA_PLAN_MCLP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "plan/instance.h"
#include "plan/solver_util.h"

/*
 * Default number of iterations (one penalty step or shake, then a descent,
 * each). The search also ends after max(4000, iterations / 2) iterations
 * in a row without improvement, or as soon as the bound is reached.
 */
#define MCLP_DEFAULT_ITERATIONS 10000u

struct mclp_params {
	size_t p;                  /* sites to open, fixed ones included; 1 <= p <= n_sites */
	const size_t *fixed;       /* site indices kept open (distinct), or NULL */
	size_t n_fixed;            /* <= p */
	struct plan_budget budget; /* iterations: see MCLP_DEFAULT_ITERATIONS (0 = default) */
	bool skip_bound;           /* skip the Lagrangian bound (callers that only need a target) */
};

struct mclp_result {
	size_t n_selected;
	size_t *selected;        /* open site indices, ascending (malloc'ed) */
	double covered_weight;   /* recomputed from scratch at the end */
	double total_weight;     /* all demand */
	double coverable_weight; /* demand within reach of some site */
	double upper_bound;      /* no solution covers more (Lagrangian bound, floored for integer
	                            weights) */
	uint64_t iterations;     /* iterations done */
	uint64_t best_iteration; /* iteration that found the final value (0: the descent from
	                            greedy) */
	bool stopped;            /* ended by the stop predicate */
	bool proven_optimal;     /* covered_weight reaches a bound, or no choice was left */
};

/*
 * Solves the MCLP on instance weights and coverage lists c (built for in).
 * Returns ERR_OK, ERR_OUT_OF_RANGE (p larger than the candidates, p = 0, or
 * more fixed sites than p), ERR_INVALID_ARGUMENT (bad fixed index, repeated
 * fixed site, lists of another size), ERR_NO_MEMORY. *r is filled on
 * success; release it with mclp_result_release().
 */
enum err_code mclp_solve(const struct plan_instance *in, const struct plan_cover *c,
                         const struct mclp_params *prm, struct mclp_result *r, struct err *e);

/*
 * The engine behind mclp_solve, for other solvers (LSCP): weight[i] >= 0 per
 * demand point of c; `initial` (n_initial = p sites, fixed ones included) is
 * the starting solution, or NULL for the greedy one; the search ends early
 * as soon as the covered weight reaches `target` (INFINITY for never).
 */
enum err_code mclp_search(const struct plan_cover *c, const double *weight,
                          const struct mclp_params *prm, const size_t *initial, size_t n_initial,
                          double target, struct mclp_result *r, struct err *e);

/*
 * Upper bound on the weight p sites can cover (with the fixed ones open):
 * the Lagrangian relaxation of the coverage constraints y_i <= sum x_j,
 * minimised by subgradient steps (the bound equals the LP bound at best).
 * `lower` is a known covered weight (steers the step length). Deterministic.
 */
double mclp_upper_bound(const struct plan_cover *c, const double *weight,
                        const struct mclp_params *prm, double lower);

/* Covered weight of a set of open sites (duplicates allowed), from scratch. */
double mclp_evaluate(const struct plan_cover *c, const double *weight, const size_t *open,
                     size_t n_open);

/* Frees the result's arrays. */
void mclp_result_release(struct mclp_result *r);

#endif
