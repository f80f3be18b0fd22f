/*
 * pmedian: the p-median problem -- open p of the candidate sites so that the
 * total weighted distance from every demand point to its nearest open site
 * is least (Hakimi 1964; ReVelle & Swain 1970) -- and a reader for the
 * OR-Library p-median test instances (Beasley 1985).
 *
 * Method. A greedy construction (add the site that lowers the total most,
 * p times, after the fixed sites) is improved by swap-based local search
 * with best improvement, evaluated with the bookkeeping of Resende and
 * Werneck ("A fast swap-based local search procedure for location problems",
 * Annals of Operations Research 150, 2007), which refines Whitaker's fast
 * interchange (INFOR 21, 1983): for each demand point the nearest and second
 * nearest open sites; gain[i] (what opening site i alone saves), loss[r]
 * (what closing open site r alone costs) and extra[i][r] (the correction when
 * both happen), so that the profit of swapping i in and r out is
 * gain[i] - loss[r] + extra[i][r]; after a swap only the demand points it
 * touches are updated, and the best swap is found by one vectorisable pass
 * over extra. On top of that runs a variable neighbourhood search (Hansen &
 * Mladenovic, "Variable neighborhood search for the p-median", Location
 * Science 5, 1997): shake the incumbent by k swaps, descend with the local
 * search, keep the result if it is better (then k = 1), move to it if it is
 * as good (a walk on the plateau), and otherwise try k + 1 (up to 10, then
 * back to 1). The shakes are regional: the k swaps open sites near one
 * random demand point and close the open sites serving those places, which
 * on the OR-Library instances with many medians works far better than
 * swaps spread at random.
 *
 * One iteration of the budget is one shake plus descent; the search ends
 * when the budget is spent or after a number of iterations in a row that
 * found nothing better (the stall limit, by default 150 + 15 p: small p
 * settle at once, large p keep improving late). The random choices
 * come from solver_util's seeded generator, and ties are broken by the
 * lower index, so a seed and an iteration count give the same answer on any
 * machine. The stop predicate of the budget is polled between iterations.
 *
 * Demand points of weight 0 are ignored by the search (they cost nothing);
 * points that no candidate can reach (PLAN_UNREACHABLE) are reported as
 * unserved. A selected site out of reach of a point that some other site
 * could serve costs a penalty far above any real distance, so the search
 * serves every point it can before it shortens distances (for ratios of
 * total to least weight up to 10^7).
 *
 * The module is pure: no I/O, no clock, no globals.
 */
#ifndef MOTCUA_PLAN_PMEDIAN_H
#define MOTCUA_PLAN_PMEDIAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "plan/instance.h"
#include "plan/solver_util.h"

/* Default number of VNS iterations (one shake and one descent each). */
#define PMEDIAN_DEFAULT_ITERATIONS 3000
/* Default stall limit: 150 + 15 p iterations without improvement. */
#define PMEDIAN_STALL_BASE     150
#define PMEDIAN_STALL_PER_SITE 15
/* Largest n_demand x n_sites (and n_sites x p) the solvers accept (16 bytes a pair). */
#define PMEDIAN_MAX_PAIRS ((size_t)1 << 24)
/* Largest number of vertices of an OR-Library file (the matrix is n x n). */
#define PMEDIAN_ORLIB_MAX_N 4000

/* What to solve: p sites, some of them possibly given. */
struct pmedian_opts {
	size_t p;            /* sites to open, fixed ones included; 1 <= p <= n_sites */
	const size_t *fixed; /* site indices that stay open (may be NULL) */
	size_t n_fixed;      /* entries of fixed, at most p, no repeats */
	/*
	 * p-median only: the search also ends after this many iterations in a
	 * row without improvement; 0 = PMEDIAN_STALL_BASE + PMEDIAN_STALL_PER_SITE
	 * x p, UINT64_MAX = never (run the whole budget).
	 */
	uint64_t stall;
};

/*
 * A set of open sites and what it gives; shared by p-median and p-center.
 * Distances are in the instance's unit. Free with pmedian_result_release().
 */
struct pmedian_result {
	size_t n_selected;       /* = p */
	size_t *selected;        /* site indices, ascending */
	size_t *assigned;        /* n_demand entries: nearest selected site, or SIZE_MAX */
	double objective;        /* the model's objective (total weighted distance, or max) */
	double total_weight;     /* sum of all weights */
	double served_weight;    /* weight of the points some selected site reaches */
	double unserved_weight;  /* total_weight - served_weight */
	double total_distance;   /* sum of weight x distance over served points */
	double mean_distance;    /* total_distance / served_weight (0 when nothing served) */
	double max_distance;     /* largest distance of a served point of positive weight */
	uint64_t iterations;     /* metaheuristic iterations done */
	uint64_t best_iteration; /* the iteration that found the result (0: the start) */
	bool stopped;            /* the stop predicate ended the search early */
};

/* Frees the arrays of *r and clears it (the struct itself is not freed). */
void pmedian_result_release(struct pmedian_result *r);

/*
 * Checks an instance and options as pmedian_solve() and pcenter_solve() do:
 * demand and sites present, weights finite and >= 0, 1 <= p <= n_sites, the
 * fixed sites in range, not repeated and at most p, the size within
 * PMEDIAN_MAX_PAIRS. Returns ERR_OK, ERR_INVALID_ARGUMENT or ERR_OUT_OF_RANGE
 * with a detail.
 */
enum err_code pmedian_check(const struct plan_instance *in, const struct pmedian_opts *opts,
                            struct err *e);

/*
 * Solves the p-median problem on *in with the options and budget given
 * (budget may be NULL: defaults, seed 0). Fills *out (objective = total
 * weighted distance over served points). Returns ERR_OK, ERR_OUT_OF_RANGE
 * (p is 0 or above the number of sites, too many fixed sites, a fixed index
 * out of range, the instance too large), ERR_INVALID_ARGUMENT (no demand or
 * no sites, a negative or non-numeric weight or distance, a site fixed
 * twice) or ERR_NO_MEMORY; on error *out is left empty.
 */
enum err_code pmedian_solve(const struct plan_instance *in, const struct pmedian_opts *opts,
                            const struct plan_budget *budget, struct pmedian_result *out,
                            struct err *e);

/*
 * Evaluates a given set of n site indices (e.g. today's points): fills *out
 * with objective = total weighted distance, mean and max distance, served
 * weight and the assignment. Returns ERR_OK, ERR_OUT_OF_RANGE for an index
 * out of range, ERR_INVALID_ARGUMENT for an empty set or an index repeated,
 * or ERR_NO_MEMORY.
 */
enum err_code pmedian_evaluate(const struct plan_instance *in, const size_t *sites, size_t n,
                               struct pmedian_result *out, struct err *e);

/*
 * For each of n rows of m distances (row-major; each >= 0 or +inf, none
 * NaN), the columns by increasing distance, ties by column index:
 * order[u * m + t] is the t-th nearest column of row u. O(n m) (a radix
 * sort). Shared with pcenter. Returns ERR_OK or ERR_NO_MEMORY.
 */
enum err_code pmedian_sort_rows(const double *d, size_t n, size_t m, uint32_t *order,
                                struct err *e);

/*
 * Parses the text of an OR-Library p-median file (len bytes; need not be
 * NUL-terminated) following OR-Library's pmedinfo: a first line "n edges p",
 * then `edges` lines "i j cost" (vertices 1..n, cost >= 0); the graph is
 * undirected, a later line for the same pair overwrites an earlier one, a
 * loop "i i c" is ignored (a vertex is at distance 0 from itself); the cost
 * matrix is then the all-pairs shortest paths (computed by Dijkstra from each
 * vertex: the distances of pmedinfo's Floyd-Warshall), with
 * PLAN_UNREACHABLE between disconnected vertices. Blank lines are skipped.
 * Fills *out with every vertex as a demand point of weight 1 and as a
 * candidate site, ids "1".."n", coords PLAN_COORDS_MATRIX and the dense
 * matrix, and *p. Returns ERR_OK, ERR_INVALID_PLAN_DATA with a detail naming
 * the line ("pmed line 7: ..."), ERR_OUT_OF_RANGE (n above
 * PMEDIAN_ORLIB_MAX_N, p above n) or ERR_NO_MEMORY. Release *out with
 * plan_instance_release().
 */
enum err_code pmedian_parse_orlib(const char *text, size_t len, struct plan_instance *out,
                                  size_t *p, struct err *e);

#endif
