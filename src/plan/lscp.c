/*
 * lscp: location set covering by greedy cover, redundancy removal and
 * k -> k - 1 attempts with the MCLP engine; a packing lower bound proves
 * optimality when it is met.
 */
#include "plan/lscp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan/mclp.h"

#define LB_ORDERS    8     /* random orders tried for the packing bound, besides the sorted one */
#define LAG_ITERS    1500  /* most subgradient iterations of the Lagrangian bound */
#define LAG_WORK     1.5e8 /* ... and at most this many list entries visited in all */
#define LAG_PATIENCE 60    /* halve the step after this many iterations without progress */

void lscp_result_release(struct lscp_result *r)
{
	if (!r)
		return;
	free(r->selected);
	free(r->uncoverable);
	r->selected = NULL;
	r->uncoverable = NULL;
	r->n_selected = r->n_uncoverable = 0;
}

bool lscp_is_cover(const struct plan_cover *c, const size_t *open, size_t n_open)
{
	bool *on = calloc(c->n_sites ? c->n_sites : 1, sizeof *on);
	if (!on)
		return false;
	for (size_t k = 0; k < n_open; k++)
		if (open[k] < c->n_sites)
			on[open[k]] = true;
	bool ok = true;
	for (size_t i = 0; i < c->n_demand && ok; i++) {
		if (c->d_start[i] == c->d_start[i + 1])
			continue;
		bool cov = false;
		for (size_t q = c->d_start[i]; q < c->d_start[i + 1] && !cov; q++)
			cov = on[c->d_sites[q]];
		ok = cov;
	}
	free(on);
	return ok;
}

/* Greedy packing in the given order of demand points; returns its size. */
static size_t packing(const struct plan_cover *c, const uint32_t *order, size_t n, bool *used)
{
	memset(used, 0, (c->n_sites ? c->n_sites : 1) * sizeof *used);
	size_t k = 0;
	for (size_t t = 0; t < n; t++) {
		uint32_t i = order[t];
		bool free_ = true;
		for (size_t q = c->d_start[i]; q < c->d_start[i + 1] && free_; q++)
			free_ = !used[c->d_sites[q]];
		if (!free_)
			continue;
		for (size_t q = c->d_start[i]; q < c->d_start[i + 1]; q++)
			used[c->d_sites[q]] = true;
		k++;
	}
	return k;
}

static int cmp_by_len(const void *a, const void *b)
{
	const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/*
 * Lagrangian bound (relaxing every covering constraint with u_i >= 0):
 *   L(u) = sum_i u_i + sum_j min(0, 1 - sum_{i covered by j} u_i)
 * (fixed sites contribute 1 - s_j whatever its sign), maximised by
 * subgradient steps towards `ub` (a known cover size), as in J. E. Beasley,
 * "A Lagrangian heuristic for set-covering problems", Naval Research
 * Logistics 37 (1990). Returns the best L found.
 */
static double lagrangian(const struct plan_cover *c, const bool *fixed, double ub)
{
	size_t nd = c->n_demand, ns = c->n_sites;
	double *u = malloc((nd ? nd : 1) * sizeof *u);
	double *gi = malloc((nd ? nd : 1) * sizeof *gi);
	bool *x = malloc((ns ? ns : 1) * sizeof *x);
	double best = 0;
	if (!u || !gi || !x)
		goto out;
	/* start dual feasible: every site's sum at most 1 */
	for (size_t i = 0; i < nd; i++) {
		double m = 0;
		for (size_t q = c->d_start[i]; q < c->d_start[i + 1]; q++) {
			size_t j = c->d_sites[q];
			double v = 1.0 / (double)(c->s_start[j + 1] - c->s_start[j]);
			if (q == c->d_start[i] || v < m)
				m = v;
		}
		u[i] = m;
	}
	double lambda = 2.0;
	int since = 0;
	best = -INFINITY;
	double per = (double)c->n_pairs + (double)nd + (double)ns;
	int iters = LAG_WORK / per < LAG_ITERS ? (int)(LAG_WORK / per) : LAG_ITERS;
	if (iters < 50)
		iters = 50;
	for (int it = 0; it < iters && lambda > 1e-4; it++) {
		double L = 0;
		for (size_t i = 0; i < nd; i++) {
			L += u[i];
			gi[i] = c->d_start[i + 1] > c->d_start[i] ? 1 : 0;
		}
		for (size_t j = 0; j < ns; j++) {
			double s = 0;
			for (size_t q = c->s_start[j]; q < c->s_start[j + 1]; q++)
				s += u[c->s_demand[q]];
			x[j] = fixed[j] || s > 1;
			if (x[j]) {
				L += 1 - s;
				for (size_t q = c->s_start[j]; q < c->s_start[j + 1]; q++)
					gi[c->s_demand[q]] -= 1;
			}
		}
		if (L > best + 1e-9) {
			best = L;
			since = 0;
		} else if (++since >= LAG_PATIENCE) {
			lambda /= 2;
			since = 0;
		}
		if (ceil(best - 1e-6) >= ub)
			break; /* the known cover is optimal */
		double norm = 0;
		for (size_t i = 0; i < nd; i++)
			norm += gi[i] * gi[i];
		if (norm == 0)
			break; /* u is optimal */
		double t = lambda * (ub - L) / norm;
		if (!(t > 0))
			t = lambda * 1e-3;
		for (size_t i = 0; i < nd; i++) {
			double v = u[i] + t * gi[i];
			u[i] = v > 0 ? v : 0;
		}
	}
out:
	free(u);
	free(gi);
	free(x);
	return best > 0 ? best : 0;
}

/* Size of a greedy packing: demand points no two of which share a covering site. */
static size_t packing_bound(const struct plan_cover *c, uint64_t seed)
{
	size_t nd = c->n_demand, n = 0;
	uint64_t *key = malloc((nd ? nd : 1) * sizeof *key);
	uint32_t *order = malloc((nd ? nd : 1) * sizeof *order);
	bool *used = malloc((c->n_sites ? c->n_sites : 1) * sizeof *used);
	size_t best = 0;
	if (!key || !order || !used)
		goto out;
	/* fewest covering sites first (ties: lower index) */
	for (size_t i = 0; i < nd; i++) {
		size_t len = c->d_start[i + 1] - c->d_start[i];
		if (len)
			key[n++] = ((uint64_t)len << 32) | (uint64_t)i;
	}
	qsort(key, n, sizeof *key, cmp_by_len);
	for (size_t t = 0; t < n; t++)
		order[t] = (uint32_t)(key[t] & 0xffffffffu);
	best = packing(c, order, n, used);
	struct plan_rng rng;
	plan_rng_seed(&rng, seed ^ UINT64_C(0x6c62272e07bb0142));
	for (int r = 0; r < LB_ORDERS; r++) {
		/* random order within blocks of equal list length keeps the sorted spirit */
		size_t s = 0;
		while (s < n) {
			size_t e = s;
			while (e < n && key[e] >> 32 == key[s] >> 32)
				e++;
			plan_rng_shuffle(&rng, order + s, e - s);
			s = e;
		}
		size_t k = packing(c, order, n, used);
		if (k > best)
			best = k;
	}
out:
	free(key);
	free(order);
	free(used);
	return best;
}

size_t lscp_lower_bound(const struct plan_cover *c, const bool *fixed, size_t ub, uint64_t seed)
{
	size_t lb = packing_bound(c, seed);
	bool *none = NULL;
	if (!fixed) {
		none = calloc(c->n_sites ? c->n_sites : 1, sizeof *none);
		if (!none)
			return lb;
		fixed = none;
	}
	double L = lagrangian(c, fixed, (double)ub);
	free(none);
	double cl = ceil(L - 1e-6);
	if (cl > (double)lb)
		lb = (size_t)cl;
	return lb;
}

/*
 * Removes redundant sites from open[0..*n) (those whose every point is
 * covered by another open site), last ones first, never a fixed one.
 */
static void remove_redundant(const struct plan_cover *c, size_t *open, size_t *n, const bool *fixed,
                             uint32_t *cnt)
{
	memset(cnt, 0, (c->n_demand ? c->n_demand : 1) * sizeof *cnt);
	for (size_t k = 0; k < *n; k++)
		for (size_t q = c->s_start[open[k]]; q < c->s_start[open[k] + 1]; q++)
			cnt[c->s_demand[q]]++;
	for (size_t k = *n; k-- > 0;) {
		size_t j = open[k];
		if (fixed[j])
			continue;
		bool redundant = true;
		for (size_t q = c->s_start[j]; q < c->s_start[j + 1] && redundant; q++)
			redundant = cnt[c->s_demand[q]] >= 2;
		if (!redundant)
			continue;
		for (size_t q = c->s_start[j]; q < c->s_start[j + 1]; q++)
			cnt[c->s_demand[q]]--;
		memmove(open + k, open + k + 1, (*n - k - 1) * sizeof *open);
		(*n)--;
	}
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

enum err_code lscp_solve(const struct plan_cover *c, const struct lscp_params *prm,
                         struct lscp_result *r, struct err *e)
{
	size_t nd = c->n_demand, ns = c->n_sites;
	enum err_code rc = ERR_OK;
	memset(r, 0, sizeof *r);
	bool *fixed = calloc(ns ? ns : 1, sizeof *fixed);
	uint32_t *cnt = calloc(nd ? nd : 1, sizeof *cnt);
	size_t *gain = calloc(ns ? ns : 1, sizeof *gain);
	double *w = calloc(nd ? nd : 1, sizeof *w);
	size_t *sol = malloc((ns ? ns : 1) * sizeof *sol);
	r->uncoverable = malloc((nd ? nd : 1) * sizeof *r->uncoverable);
	if (!fixed || !cnt || !gain || !w || !sol || !r->uncoverable) {
		rc = err_set(e, ERR_NO_MEMORY, "lscp of %zu sites", ns);
		goto out;
	}
	if (prm->n_fixed && !prm->fixed) {
		rc = err_set(e, ERR_INVALID_ARGUMENT, "fixed sites missing");
		goto out;
	}
	size_t n_cov = 0;
	for (size_t i = 0; i < nd; i++) {
		if (c->d_start[i + 1] > c->d_start[i]) {
			w[i] = 1;
			n_cov++;
		} else {
			r->uncoverable[r->n_uncoverable++] = i;
		}
	}
	/* greedy cover, fixed sites first */
	size_t n = 0, uncovered = n_cov;
	for (size_t j = 0; j < ns; j++)
		gain[j] = c->s_start[j + 1] - c->s_start[j];
	for (size_t k = 0; k <= prm->n_fixed; k++) {
		size_t pick = SIZE_MAX;
		if (k < prm->n_fixed) {
			pick = prm->fixed[k];
			if (pick >= ns) {
				rc = err_set(e, ERR_INVALID_ARGUMENT,
				             "fixed site index %zu out of range", pick);
				goto out;
			}
			if (fixed[pick]) {
				rc = err_set(e, ERR_INVALID_ARGUMENT,
				             "fixed site index %zu repeated", pick);
				goto out;
			}
			fixed[pick] = true;
		} else {
			if (uncovered == 0)
				break;
			size_t bg = 0;
			for (size_t j = 0; j < ns; j++)
				if (gain[j] > bg) {
					bg = gain[j];
					pick = j;
				}
			k--; /* stay in the greedy phase */
		}
		sol[n++] = pick;
		for (size_t q = c->s_start[pick]; q < c->s_start[pick + 1]; q++) {
			uint32_t i = c->s_demand[q];
			if (cnt[i]++ == 0) {
				uncovered--;
				for (size_t t = c->d_start[i]; t < c->d_start[i + 1]; t++)
					gain[c->d_sites[t]]--;
			}
		}
	}
	remove_redundant(c, sol, &n, fixed, cnt);

	size_t lb = lscp_lower_bound(c, fixed, n, prm->budget.seed);
	if (lb < prm->n_fixed)
		lb = prm->n_fixed;
	uint64_t iters = prm->budget.iterations ? prm->budget.iterations : LSCP_DEFAULT_ITERATIONS;
	uint64_t used = 0;
	size_t *init = malloc((ns ? ns : 1) * sizeof *init);
	if (!init) {
		rc = err_set(e, ERR_NO_MEMORY, "lscp");
		goto out;
	}
	for (uint64_t level = 1; n > lb && used < iters; level++) {
		/* drop the free site that covers least alone */
		memset(cnt, 0, (nd ? nd : 1) * sizeof *cnt);
		for (size_t k = 0; k < n; k++)
			for (size_t q = c->s_start[sol[k]]; q < c->s_start[sol[k] + 1]; q++)
				cnt[c->s_demand[q]]++;
		size_t drop = SIZE_MAX, least = SIZE_MAX;
		for (size_t k = 0; k < n; k++) {
			if (fixed[sol[k]])
				continue;
			size_t alone = 0;
			for (size_t q = c->s_start[sol[k]]; q < c->s_start[sol[k] + 1]; q++)
				alone += cnt[c->s_demand[q]] == 1;
			if (alone < least) {
				least = alone;
				drop = k;
			}
		}
		if (drop == SIZE_MAX)
			break;
		size_t m = 0;
		for (size_t k = 0; k < n; k++)
			if (k != drop)
				init[m++] = sol[k];
		struct mclp_params mp = {.p = n - 1, .fixed = prm->fixed, .n_fixed = prm->n_fixed};
		mp.budget = prm->budget;
		mp.budget.iterations = iters - used;
		mp.budget.seed = prm->budget.seed + level;
		mp.skip_bound = true; /* the target is "everything", the bound is ours */
		struct mclp_result mr;
		if (mp.p == 0) {
			/* nothing coverable is left uncovered only when nothing is coverable */
			if (n_cov == 0)
				n = 0;
			break;
		}
		rc = mclp_search(c, w, &mp, init, m, (double)n_cov, &mr, e);
		if (rc != ERR_OK) {
			free(init);
			goto out;
		}
		used += mr.iterations;
		r->stopped = mr.stopped;
		bool ok = mr.covered_weight >= (double)n_cov - 0.5;
		if (ok) {
			n = mr.n_selected;
			memcpy(sol, mr.selected, n * sizeof *sol);
			remove_redundant(c, sol, &n, fixed, cnt);
		}
		mclp_result_release(&mr);
		if (!ok || r->stopped)
			break;
	}
	free(init);
	qsort(sol, n, sizeof *sol, cmp_size);
	r->selected = sol;
	sol = NULL;
	r->n_selected = n;
	r->lower_bound = lb;
	r->iterations = used;
	r->proven_optimal = n <= lb;
out:
	free(fixed);
	free(cnt);
	free(gain);
	free(w);
	free(sol);
	if (rc != ERR_OK)
		lscp_result_release(r);
	return rc;
}
