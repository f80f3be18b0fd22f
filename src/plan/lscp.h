/*
 * lscp: the location set covering problem (C. Toregas, R. Swain, C. ReVelle,
 * L. Bergman, "The location of emergency service facilities", Operations
 * Research 19(6), 1971): the fewest sites such that every demand point that
 * any site can cover is within the radius of an open site. Points that no
 * site reaches are reported, not silently dropped.
 *
 * Method: greedy cover with redundant sites removed, then, from k sites,
 * try k - 1: drop the site that covers least alone and run the MCLP engine
 * (mclp_search, unit weights) until everything is covered again; repeat
 * until the iteration budget runs out or a lower bound is met (see
 * lscp_lower_bound).
 */
#ifndef MOTCUA_PLAN_LSCP_H
#define MOTCUA_PLAN_LSCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "plan/instance.h"
#include "plan/solver_util.h"

/* Default number of VNS iterations over all the k -> k - 1 attempts. */
#define LSCP_DEFAULT_ITERATIONS 3000u

struct lscp_params {
	const size_t *fixed; /* site indices that must stay open (distinct), or NULL */
	size_t n_fixed;
	struct plan_budget budget; /* iterations = VNS iterations in total (0 = default) */
};

struct lscp_result {
	size_t n_selected;
	size_t *selected; /* open site indices, ascending (malloc'ed) */
	size_t n_uncoverable;
	size_t *uncoverable; /* demand indices no site covers, ascending (malloc'ed) */
	size_t lower_bound;  /* no cover of the coverable points has fewer sites */
	uint64_t iterations; /* VNS iterations done */
	bool stopped;        /* ended by the stop predicate */
	bool proven_optimal; /* n_selected == lower_bound (or only fixed sites) */
};

/*
 * Solves the LSCP on coverage lists c. Returns ERR_OK, ERR_INVALID_ARGUMENT
 * (bad or repeated fixed index) or ERR_NO_MEMORY. With no site and no
 * coverable point the cover is empty. Release *r with lscp_result_release().
 */
enum err_code lscp_solve(const struct plan_cover *c, const struct lscp_params *prm,
                         struct lscp_result *r, struct err *e);

/*
 * Lower bound on the sites of any cover: the larger of a greedy packing
 * (points no two of which share a covering site; seed picks extra orders)
 * and the rounded-up Lagrangian bound (subgradient steps towards ub, the
 * size of a known cover; it stops once the bound reaches ub). fixed[j]
 * (or NULL) marks sites that must be open.
 */
size_t lscp_lower_bound(const struct plan_cover *c, const bool *fixed, size_t ub, uint64_t seed);

/* True when the open sites cover every demand point that some site covers. */
bool lscp_is_cover(const struct plan_cover *c, const size_t *open, size_t n_open);

/* Frees the result's arrays. */
void lscp_result_release(struct lscp_result *r);

#endif
