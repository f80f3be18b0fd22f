/*
 * pcenter: the p-center problem -- open p of the candidate sites so that the
 * largest distance from a demand point to its nearest open site is least
 * (Hakimi 1964). The maximum is taken over the demand points of positive
 * weight, unweighted (a place with people counts however few they are);
 * points that no candidate can reach are reported as unserved and do not
 * enter the maximum.
 *
 * Method: the optimal radius is one of the demand-to-site distances, so the
 * solver searches the sorted distinct distances between a lower bound (the
 * largest distance from a point to its nearest candidate) and the value of
 * a greedy start (repeatedly open the candidate nearest to the farthest
 * point) by bisection. Each probe is a set-covering decision problem -- do
 * p sites cover every point within radius r? -- answered by a swap local
 * search that minimises the weighted number of uncovered points, with
 * point weights raised while a point stays uncovered and a short tabu
 * tenure on the sites just swapped (in the manner of Pullan, "A memetic
 * genetic algorithm for the vertex p-center problem", Evolutionary
 * Computation 16, 2008, and the weighting local searches for set covering).
 * A move picks a random uncovered point, opens one of the sites that cover
 * it and closes the open site whose loss is least. The decision is
 * heuristic: a radius the search cannot cover in its budget is treated as
 * infeasible, so the answer is an upper bound that on small and medium
 * instances matches the proven optimum (see the tests).
 *
 * One iteration of the budget is one swap of the covering search; every
 * radius probed gets the whole budget. Random choices come from
 * solver_util's seeded generator, so a seed and an iteration count give the
 * same answer on any machine. The module is pure: no I/O, no clock.
 */
#ifndef MOTCUA_PLAN_PCENTER_H
#define MOTCUA_PLAN_PCENTER_H

#include "base/error.h"
#include "plan/instance.h"
#include "plan/pmedian.h"
#include "plan/solver_util.h"

/* Default number of covering-search swaps per radius probed. */
#define PCENTER_DEFAULT_ITERATIONS 2000

/*
 * Solves the p-center problem on *in (options as for pmedian_solve: p and
 * the fixed sites; budget may be NULL). Fills *out: objective = max_distance
 * = the largest distance of a served point of positive weight, plus the
 * weighted mean distance and the assignment of the chosen sites. Returns as
 * pmedian_solve(); on error *out is left empty. Release *out with
 * pmedian_result_release().
 */
enum err_code pcenter_solve(const struct plan_instance *in, const struct pmedian_opts *opts,
                            const struct plan_budget *budget, struct pmedian_result *out,
                            struct err *e);

#endif
