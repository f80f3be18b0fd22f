/*
 * mclp: maximal covering location by greedy construction, fast swap local
 * search and a variable neighbourhood search whose descents are guided by
 * penalties, over sparse coverage lists; a Lagrangian bound stops the
 * search when the optimum is proven.
 *
 * Bookkeeping (kept up to date on every open and close, in time linear in
 * the lists touched): cnt[i] open sites covering demand i, who[i] the sum
 * of their indices (so the only one when cnt[i] = 1), gain[j] the uncovered
 * weight site j would add, loss[j] the weight only open site j covers, and
 * extra(a, r), the weight covered by open r alone that closed a also
 * covers. Swapping a in for r is worth
 *     gain[a] - loss[r] + extra(a, r)
 * (Resende and Werneck's decomposition). extra is a dense sites x p matrix
 * kept incrementally when it fits (XM_MAX), else gathered per candidate
 * from its list at each evaluation.
 *
 * Search: after the greedy start and a descent, each iteration either
 * (a) penalises the uncovered points of largest weight / (1 + penalty) and
 * descends again on the penalised weights (guided local search: C.
 * Voudouris and E. Tsang, "Guided local search and its application to the
 * travelling salesman problem", EJOR 113, 1999), or (b) after STALL
 * iterations without a better solution, goes back to the best solution
 * with true weights and shakes it with k random swaps, k = 1, 2, ..., KMAX
 * as in variable neighbourhood search (N. Mladenovic, P. Hansen, Computers
 * & OR 24, 1997), k back to 1 on improvement. The best solution by true
 * weight is kept. Everything is deterministic for a given seed.
 */
#include "plan/mclp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NONE          SIZE_MAX
#define REFRESH_MOVES 4096 /* recompute gains from scratch this often (rounding) */
#define KMAX          16   /* largest shake (random swaps) */
#define STALL         1000 /* iterations without improvement before a shake */
#define ALPHA         0.3  /* penalty step, in mean weights of the coverable points */
#ifndef XM_MAX
#define XM_MAX 8000000u /* largest dense extra matrix (sites x p entries) */
#endif
#define MCLP_IDLE_MIN                                                                              \
	4000             /* the search ends after max(this, iterations / 2) without improvement    \
	                  */
#define LAG_ITERS    400 /* most subgradient iterations of the bound */
#define LAG_WORK     6e7 /* ... and at most this many list entries visited in all */
#define LAG_PATIENCE 30  /* halve the step after this many iterations without progress */
/*
 * Share of the previous direction kept: deflected subgradient, P. M.
 * Camerini, L. Fratta, F. Maffioli, "On improving relaxation methods by
 * modified gradient techniques", Mathematical Programming Study 3 (1975).
 */
#define DEFLECT 0.7

struct by_loss {
	double loss;
	uint32_t site;
};

struct eng {
	const struct plan_cover *c;
	double *w;        /* search weights: true weights plus penalties */
	const double *tw; /* true weights */
	double tcov;      /* true covered weight */
	size_t nd, ns, p, n_fixed;
	bool *fixed;   /* ns */
	size_t *pos;   /* ns: index in sol, or NONE */
	uint32_t *sol; /* p; the fixed sites first */
	size_t n_open;
	uint32_t *cnt; /* nd */
	uint64_t *who; /* nd */
	double *gain;  /* ns */
	double *loss;  /* ns */
	double *uni;   /* ns: weight in j's list covered exactly once (bounds a swap's value) */
	double *xm;    /* ns x p: extra(a, site at position k), or NULL when too large */
	double covered, eps;
	/* scratch for the swap search, by position in sol */
	double *acc;
	uint32_t *mark, stamp;
	uint32_t *touched;
	struct by_loss *order; /* free open sites sorted by loss */
	/* copy of the state at the incumbent (restored by copying: cheaper than moves) */
	size_t *b_pos;
	uint32_t *b_sol, *b_cnt;
	uint64_t *b_who;
	double *b_gain, *b_loss, *b_uni, *b_xm;
	size_t b_n_open;
	double b_covered, b_tcov;
	size_t moves;
};

static void eng_release(struct eng *g)
{
	free(g->w);
	free(g->fixed);
	free(g->pos);
	free(g->sol);
	free(g->cnt);
	free(g->who);
	free(g->gain);
	free(g->loss);
	free(g->uni);
	free(g->acc);
	free(g->mark);
	free(g->touched);
	free(g->order);
	free(g->b_pos);
	free(g->b_sol);
	free(g->b_cnt);
	free(g->b_who);
	free(g->b_gain);
	free(g->b_loss);
	free(g->b_uni);
	free(g->xm);
	free(g->b_xm);
}

static int eng_init(struct eng *g, const struct plan_cover *c, const double *w, size_t p)
{
	memset(g, 0, sizeof *g);
	g->c = c;
	g->tw = w;
	g->w = malloc((c->n_demand ? c->n_demand : 1) * sizeof *g->w);
	if (!g->w)
		return -1;
	memcpy(g->w, w, c->n_demand * sizeof *w);
	g->nd = c->n_demand;
	g->ns = c->n_sites;
	g->p = p;
	size_t ns1 = g->ns ? g->ns : 1, nd1 = g->nd ? g->nd : 1, p1 = p ? p : 1;
	g->fixed = calloc(ns1, sizeof *g->fixed);
	g->pos = malloc(ns1 * sizeof *g->pos);
	g->sol = malloc(p1 * sizeof *g->sol);
	g->cnt = calloc(nd1, sizeof *g->cnt);
	g->who = calloc(nd1, sizeof *g->who);
	g->gain = calloc(ns1, sizeof *g->gain);
	g->loss = calloc(ns1, sizeof *g->loss);
	g->uni = calloc(ns1, sizeof *g->uni);
	g->acc = calloc(p1, sizeof *g->acc);
	g->mark = calloc(p1, sizeof *g->mark);
	g->touched = malloc(p1 * sizeof *g->touched);
	g->order = malloc(p1 * sizeof *g->order);
	g->b_pos = malloc(ns1 * sizeof *g->b_pos);
	g->b_sol = malloc(p1 * sizeof *g->b_sol);
	g->b_cnt = malloc(nd1 * sizeof *g->b_cnt);
	g->b_who = malloc(nd1 * sizeof *g->b_who);
	g->b_gain = malloc(ns1 * sizeof *g->b_gain);
	g->b_loss = malloc(ns1 * sizeof *g->b_loss);
	g->b_uni = malloc(ns1 * sizeof *g->b_uni);
	if ((double)ns1 * (double)p1 <= XM_MAX) {
		g->xm = calloc(ns1 * p1, sizeof *g->xm);
		g->b_xm = malloc(ns1 * p1 * sizeof *g->b_xm);
		if (!g->xm || !g->b_xm) {
			/* fall back to gathering extra per candidate */
			free(g->xm);
			free(g->b_xm);
			g->xm = g->b_xm = NULL;
		}
	}
	if (!g->fixed || !g->pos || !g->sol || !g->cnt || !g->who || !g->gain || !g->loss ||
	    !g->uni || !g->acc || !g->mark || !g->touched || !g->order || !g->b_pos || !g->b_sol ||
	    !g->b_cnt || !g->b_who || !g->b_gain || !g->b_loss || !g->b_uni) {
		eng_release(g);
		return -1;
	}
	double total = 0;
	for (size_t i = 0; i < g->nd; i++)
		total += w[i];
	g->eps = 1e-9 * (total > 1 ? total : 1);
	for (size_t j = 0; j < g->ns; j++) {
		g->pos[j] = NONE;
		double s = 0;
		for (size_t q = c->s_start[j]; q < c->s_start[j + 1]; q++)
			s += w[c->s_demand[q]];
		g->gain[j] = s;
	}
	return 0;
}

/* Recomputes gain, loss and covered from cnt and who (against rounding drift). */
static void eng_refresh(struct eng *g)
{
	const struct plan_cover *c = g->c;
	for (size_t j = 0; j < g->ns; j++)
		g->gain[j] = g->loss[j] = g->uni[j] = 0;
	if (g->xm)
		memset(g->xm, 0, g->ns * g->p * sizeof *g->xm);
	g->covered = 0;
	g->tcov = 0;
	for (size_t i = 0; i < g->nd; i++) {
		double wi = g->w[i];
		if (g->cnt[i])
			g->tcov += g->tw[i];
		if (g->cnt[i] == 0) {
			for (size_t q = c->d_start[i]; q < c->d_start[i + 1]; q++)
				g->gain[c->d_sites[q]] += wi;
		} else {
			g->covered += wi;
			if (g->cnt[i] == 1) {
				g->loss[g->who[i]] += wi;
				size_t k = g->pos[g->who[i]];
				for (size_t q = c->d_start[i]; q < c->d_start[i + 1]; q++) {
					if (g->xm)
						g->xm[c->d_sites[q] * g->p + k] += wi;
					else
						g->uni[c->d_sites[q]] += wi;
				}
			}
		}
	}
	g->moves = 0;
}

static void eng_open(struct eng *g, uint32_t a)
{
	const struct plan_cover *c = g->c;
	size_t ka = g->n_open, p = g->p;
	double *xm = g->xm;
	g->pos[a] = ka;
	g->sol[g->n_open++] = a;
	for (size_t q = c->s_start[a]; q < c->s_start[a + 1]; q++) {
		uint32_t i = c->s_demand[q];
		double wi = g->w[i];
		if (g->cnt[i] == 0) {
			g->covered += wi;
			g->tcov += g->tw[i];
			for (size_t t = c->d_start[i]; t < c->d_start[i + 1]; t++) {
				uint32_t j = c->d_sites[t];
				g->gain[j] -= wi;
				if (xm)
					xm[j * p + ka] += wi;
				else
					g->uni[j] += wi;
			}
			g->loss[a] += wi;
		} else if (g->cnt[i] == 1) {
			uint32_t u = (uint32_t)g->who[i];
			size_t ku = g->pos[u];
			g->loss[u] -= wi;
			for (size_t t = c->d_start[i]; t < c->d_start[i + 1]; t++) {
				uint32_t j = c->d_sites[t];
				if (xm)
					xm[j * p + ku] -= wi;
				else
					g->uni[j] -= wi;
			}
		}
		g->cnt[i]++;
		g->who[i] += a;
	}
	g->gain[a] = 0;
	if (++g->moves >= REFRESH_MOVES)
		eng_refresh(g);
}

static void eng_close(struct eng *g, uint32_t r)
{
	const struct plan_cover *c = g->c;
	size_t p = g->p;
	double *xm = g->xm;
	for (size_t q = c->s_start[r]; q < c->s_start[r + 1]; q++) {
		uint32_t i = c->s_demand[q];
		double wi = g->w[i];
		g->cnt[i]--;
		g->who[i] -= r;
		if (g->cnt[i] == 0) {
			g->covered -= wi;
			g->tcov -= g->tw[i];
			/* (the dense matrix loses r's column below) */
			for (size_t t = c->d_start[i]; t < c->d_start[i + 1]; t++) {
				g->gain[c->d_sites[t]] += wi;
				if (!xm)
					g->uni[c->d_sites[t]] -= wi;
			}
		} else if (g->cnt[i] == 1) {
			uint32_t u = (uint32_t)g->who[i];
			size_t ku = g->pos[u];
			g->loss[u] += wi;
			for (size_t t = c->d_start[i]; t < c->d_start[i + 1]; t++) {
				uint32_t j = c->d_sites[t];
				if (xm)
					xm[j * p + ku] += wi;
				else
					g->uni[j] += wi;
			}
		}
	}
	g->loss[r] = 0;
	size_t k = g->pos[r];
	size_t lastk = --g->n_open;
	uint32_t last = g->sol[lastk];
	g->sol[k] = last;
	g->pos[last] = k;
	g->pos[r] = NONE;
	if (xm) {
		/* r's column goes; the last column takes its place; unused columns stay zero */
		for (size_t j = 0; j < g->ns; j++) {
			xm[j * p + k] = xm[j * p + lastk];
			xm[j * p + lastk] = 0;
		}
	}
	if (++g->moves >= REFRESH_MOVES)
		eng_refresh(g);
}

/* Opens closed sites of largest gain (ties: lowest index) until p are open. */
static void eng_greedy(struct eng *g)
{
	while (g->n_open < g->p) {
		size_t bj = NONE;
		double bg = -1;
		for (size_t j = 0; j < g->ns; j++)
			if (g->pos[j] == NONE && g->gain[j] > bg + g->eps) {
				bg = g->gain[j];
				bj = j;
			}
		if (bj == NONE)
			break;
		eng_open(g, (uint32_t)bj);
	}
}

static int cmp_loss(const void *a, const void *b)
{
	const struct by_loss *x = a, *y = b;
	if (x->loss != y->loss)
		return x->loss < y->loss ? -1 : 1;
	return (x->site > y->site) - (x->site < y->site);
}

/*
 * Finds the best swap (closed a in, free open r out). Returns its value
 * (gain in covered weight) and sets *pa, *pr; returns 0 when none improves.
 */
static double eng_best_swap(struct eng *g, uint32_t *pa, uint32_t *pr)
{
	const struct plan_cover *c = g->c;
	size_t nfree = g->n_open - g->n_fixed;
	if (nfree == 0)
		return 0;
	for (size_t k = 0; k < nfree; k++) {
		g->order[k].site = g->sol[g->n_fixed + k];
		g->order[k].loss = g->loss[g->order[k].site];
	}
	qsort(g->order, nfree, sizeof *g->order, cmp_loss);
	double minloss = g->order[0].loss;
	double best = g->eps;
	bool found = false;
	if (g->xm) {
		/* dense extra matrix: scan the free columns of each promising row */
		double *lk = g->acc;
		for (size_t k = g->n_fixed; k < g->n_open; k++)
			lk[k] = g->loss[g->sol[k]];
		for (size_t a = 0; a < g->ns; a++) {
			if (g->pos[a] != NONE)
				continue;
			double ga = g->gain[a];
			if (ga <= best) /* extra(a, r) <= loss[r] */
				continue;
			const double *row = g->xm + a * g->p;
			for (size_t k = g->n_fixed; k < g->n_open; k++) {
				double d = ga - lk[k] + row[k];
				if (d > best) {
					best = d;
					*pa = (uint32_t)a;
					*pr = g->sol[k];
					found = true;
				}
			}
		}
		return found ? best : 0;
	}
	for (size_t a = 0; a < g->ns; a++) {
		if (g->pos[a] != NONE)
			continue;
		double ga = g->gain[a];
		/*
		 * extra(a, r) <= min(loss[r], uni[a]): no swap with a is worth more
		 * than gain[a] + min(0, uni[a] - least loss).
		 */
		double slack = g->uni[a] - minloss;
		if (ga + (slack < 0 ? slack : 0) <= best)
			continue;
		if (++g->stamp == 0) {
			memset(g->mark, 0, g->p * sizeof *g->mark);
			g->stamp = 1;
		}
		size_t nt = 0;
		for (size_t q = c->s_start[a]; q < c->s_start[a + 1]; q++) {
			uint32_t i = c->s_demand[q];
			if (g->cnt[i] != 1)
				continue;
			uint32_t u = (uint32_t)g->who[i];
			if (g->fixed[u])
				continue;
			size_t k = g->pos[u];
			if (g->mark[k] != g->stamp) {
				g->mark[k] = g->stamp;
				g->acc[k] = 0;
				g->touched[nt++] = (uint32_t)k;
			}
			g->acc[k] += g->w[i];
		}
		for (size_t t = 0; t < nt; t++) {
			size_t k = g->touched[t];
			double d = ga - g->loss[g->sol[k]] + g->acc[k];
			if (d > best) {
				best = d;
				*pa = (uint32_t)a;
				*pr = g->sol[k];
				found = true;
			}
		}
		for (size_t o = 0; o < nfree; o++) {
			uint32_t r = g->order[o].site;
			if (g->mark[g->pos[r]] == g->stamp)
				continue;
			double d = ga - g->loss[r];
			if (d > best) {
				best = d;
				*pa = (uint32_t)a;
				*pr = r;
				found = true;
			}
			break;
		}
	}
	return found ? best : 0;
}

/* Best-improvement descent; returns the number of swaps made. */
static size_t eng_descend(struct eng *g)
{
	size_t n = 0;
	uint32_t a = 0, r = 0;
	while (eng_best_swap(g, &a, &r) > 0) {
		eng_close(g, r);
		eng_open(g, a);
		n++;
	}
	return n;
}

/* Perturbs the solution by k random swaps of a free open site for a closed one. */
static void eng_shake(struct eng *g, struct plan_rng *rng, size_t k)
{
	size_t nfree = g->n_open - g->n_fixed;
	for (size_t s = 0; s < k; s++) {
		uint32_t out = g->sol[g->n_fixed + plan_rng_below(rng, nfree)];
		uint32_t in;
		do
			in = (uint32_t)plan_rng_below(rng, g->ns);
		while (g->pos[in] != NONE);
		eng_close(g, out);
		eng_open(g, in);
	}
}

/* Penalises the uncovered coverable points of most utility; false when none has weight. */
static bool eng_penalise(struct eng *g, uint32_t *pen, double lambda)
{
	const struct plan_cover *c = g->c;
	double maxu = 0;
	for (size_t i = 0; i < g->nd; i++)
		if (g->cnt[i] == 0 && c->d_start[i + 1] > c->d_start[i]) {
			double u = g->tw[i] / (1.0 + pen[i]);
			if (u > maxu)
				maxu = u;
		}
	if (maxu <= 0)
		return false;
	for (size_t i = 0; i < g->nd; i++)
		if (g->cnt[i] == 0 && c->d_start[i + 1] > c->d_start[i] &&
		    g->tw[i] / (1.0 + pen[i]) >= maxu * (1 - 1e-12)) {
			/* an uncovered point only enters the gains */
			pen[i]++;
			g->w[i] += lambda;
			for (size_t q = c->d_start[i]; q < c->d_start[i + 1]; q++)
				g->gain[c->d_sites[q]] += lambda;
		}
	return true;
}

static int cmp_desc(const void *a, const void *b)
{
	const struct by_loss *x = a, *y = b;
	if (x->loss != y->loss)
		return x->loss > y->loss ? -1 : 1;
	return (x->site > y->site) - (x->site < y->site);
}

/*
 * Moves the k largest entries (ties: lower site) to a[0..k) in any order:
 * quickselect with a deterministic middle pivot; O(n) on average.
 */
static void select_top(struct by_loss *a, size_t n, size_t k)
{
	size_t lo = 0, hi = n;
	while (k > lo && k < hi && hi - lo > 1) {
		struct by_loss pv = a[lo + (hi - lo) / 2];
		/* three-way partition: before pv, equal to pv, after pv */
		size_t lt = lo, i = lo, gt = hi;
		while (i < gt) {
			int c = cmp_desc(&a[i], &pv);
			if (c < 0) {
				struct by_loss t = a[lt];
				a[lt++] = a[i];
				a[i++] = t;
			} else if (c > 0) {
				struct by_loss t = a[--gt];
				a[gt] = a[i];
				a[i] = t;
			} else {
				i++;
			}
		}
		if (k <= lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return;
	}
}

double mclp_upper_bound(const struct plan_cover *c, const double *weight,
                        const struct mclp_params *prm, double lower)
{
	size_t nd = c->n_demand, ns = c->n_sites, p = prm->p;
	double coverable = 0;
	for (size_t i = 0; i < nd; i++)
		if (c->d_start[i + 1] > c->d_start[i])
			coverable += weight[i];
	if (p >= ns || ns == 0)
		return coverable;
	double *u = malloc((nd ? nd : 1) * sizeof *u);
	double *gi = malloc((nd ? nd : 1) * sizeof *gi);
	double *dprev = calloc((nd ? nd : 1), sizeof *dprev);
	struct by_loss *sj = malloc(ns * sizeof *sj);
	bool *fixed = calloc(ns, sizeof *fixed);
	double ub = coverable;
	if (!u || !gi || !sj || !fixed)
		goto out;
	for (size_t k = 0; k < prm->n_fixed; k++)
		if (prm->fixed[k] < ns)
			fixed[prm->fixed[k]] = true;
	/* u = 0 gives the trivial bound (all coverable weight); steps lower it */
	for (size_t i = 0; i < nd; i++)
		u[i] = 0;
	double lambda = 2.0, bestL = INFINITY;
	int since = 0;
	double per = (double)c->n_pairs + (double)nd + (double)ns;
	int iters = LAG_WORK / per < LAG_ITERS ? (int)(LAG_WORK / per) : LAG_ITERS;
	if (iters < 30)
		iters = 30;
	for (int it = 0; it < iters && lambda > 1e-4; it++) {
		/* L(u) = sum_i max(0, w_i - u_i) + fixed s_j + the (p - fixed) largest other s_j */
		double L = 0;
		for (size_t i = 0; i < nd; i++) {
			bool cov = c->d_start[i + 1] > c->d_start[i];
			double y = cov && weight[i] > u[i] ? 1 : 0;
			if (y > 0)
				L += weight[i] - u[i];
			gi[i] = y;
		}
		size_t nfree = 0;
		for (size_t j = 0; j < ns; j++) {
			double s = 0;
			for (size_t q = c->s_start[j]; q < c->s_start[j + 1]; q++)
				s += u[c->s_demand[q]];
			if (fixed[j]) {
				L += s;
				for (size_t q = c->s_start[j]; q < c->s_start[j + 1]; q++)
					gi[c->s_demand[q]] -= 1;
			} else {
				sj[nfree].loss = s;
				sj[nfree++].site = (uint32_t)j;
			}
		}
		size_t take = p - prm->n_fixed;
		select_top(sj, nfree, take);
		for (size_t k = 0; k < take && k < nfree; k++) {
			L += sj[k].loss;
			uint32_t j = sj[k].site;
			for (size_t q = c->s_start[j]; q < c->s_start[j + 1]; q++)
				gi[c->s_demand[q]] -= 1;
		}
		if (L < ub)
			ub = L;
		if (L < bestL - 1e-9 * (bestL > 1 ? bestL : 1)) {
			bestL = L;
			since = 0;
		} else if (++since >= LAG_PATIENCE) {
			lambda /= 2;
			since = 0;
		}
		double norm = 0;
		for (size_t i = 0; i < nd; i++) {
			gi[i] += DEFLECT * dprev[i];
			dprev[i] = gi[i];
			norm += gi[i] * gi[i];
		}
		if (norm == 0 || ub <= lower)
			break;
		double t = lambda * (L - lower) / norm;
		if (!(t > 0))
			t = lambda * 1e-3;
		for (size_t i = 0; i < nd; i++) {
			double v = u[i] + t * gi[i];
			u[i] = v < 0 ? 0 : v > weight[i] ? weight[i] : v;
		}
	}
out:
	free(u);
	free(gi);
	free(dprev);
	free(sj);
	free(fixed);
	return ub;
}

static void eng_save_best(struct eng *g)
{
	memcpy(g->b_pos, g->pos, g->ns * sizeof *g->pos);
	memcpy(g->b_sol, g->sol, g->n_open * sizeof *g->sol);
	memcpy(g->b_cnt, g->cnt, g->nd * sizeof *g->cnt);
	memcpy(g->b_who, g->who, g->nd * sizeof *g->who);
	memcpy(g->b_gain, g->gain, g->ns * sizeof *g->gain);
	memcpy(g->b_loss, g->loss, g->ns * sizeof *g->loss);
	memcpy(g->b_uni, g->uni, g->ns * sizeof *g->uni);
	if (g->xm)
		memcpy(g->b_xm, g->xm, g->ns * g->p * sizeof *g->xm);
	g->b_n_open = g->n_open;
	g->b_covered = g->covered;
	g->b_tcov = g->tcov;
}

static void eng_restore_best(struct eng *g)
{
	memcpy(g->pos, g->b_pos, g->ns * sizeof *g->pos);
	memcpy(g->sol, g->b_sol, g->b_n_open * sizeof *g->sol);
	memcpy(g->cnt, g->b_cnt, g->nd * sizeof *g->cnt);
	memcpy(g->who, g->b_who, g->nd * sizeof *g->who);
	memcpy(g->gain, g->b_gain, g->ns * sizeof *g->gain);
	memcpy(g->loss, g->b_loss, g->ns * sizeof *g->loss);
	memcpy(g->uni, g->b_uni, g->ns * sizeof *g->uni);
	if (g->xm)
		memcpy(g->xm, g->b_xm, g->ns * g->p * sizeof *g->xm);
	g->n_open = g->b_n_open;
	g->covered = g->b_covered;
	g->tcov = g->b_tcov;
}

static void result_fill(struct mclp_result *r, const struct eng *g)
{
	for (size_t k = 0; k < g->n_open; k++)
		r->selected[k] = g->sol[k];
	r->n_selected = g->n_open;
	/* ascending */
	for (size_t k = 1; k < r->n_selected; k++) {
		size_t v = r->selected[k], m = k;
		while (m > 0 && r->selected[m - 1] > v) {
			r->selected[m] = r->selected[m - 1];
			m--;
		}
		r->selected[m] = v;
	}
}

double mclp_evaluate(const struct plan_cover *c, const double *weight, const size_t *open,
                     size_t n_open)
{
	bool *cov = calloc(c->n_demand ? c->n_demand : 1, sizeof *cov);
	if (!cov)
		return NAN;
	double s = 0;
	for (size_t k = 0; k < n_open; k++) {
		size_t j = open[k];
		if (j >= c->n_sites)
			continue;
		for (size_t q = c->s_start[j]; q < c->s_start[j + 1]; q++) {
			uint32_t i = c->s_demand[q];
			if (!cov[i]) {
				cov[i] = true;
				s += weight[i];
			}
		}
	}
	free(cov);
	return s;
}

void mclp_result_release(struct mclp_result *r)
{
	if (!r)
		return;
	free(r->selected);
	r->selected = NULL;
	r->n_selected = 0;
}

enum err_code mclp_search(const struct plan_cover *c, const double *weight,
                          const struct mclp_params *prm, const size_t *initial, size_t n_initial,
                          double target, struct mclp_result *r, struct err *e)
{
	struct eng g;
	uint32_t *pen = NULL;
	memset(r, 0, sizeof *r);
	size_t p = prm->p, ns = c->n_sites, nd = c->n_demand;
	if (p == 0)
		return err_set(e, ERR_OUT_OF_RANGE, "p must be at least 1");
	if (p > ns)
		return err_set(e, ERR_OUT_OF_RANGE,
		               "p = %zu is larger than the %zu candidate sites", p, ns);
	if (prm->n_fixed > p)
		return err_set(e, ERR_OUT_OF_RANGE, "%zu fixed sites are more than p = %zu",
		               prm->n_fixed, p);
	if (prm->n_fixed && !prm->fixed)
		return err_set(e, ERR_INVALID_ARGUMENT, "fixed sites missing");
	if (initial && n_initial != p)
		return err_set(e, ERR_INVALID_ARGUMENT, "initial solution of %zu sites for p = %zu",
		               n_initial, p);
	if (ns > UINT32_MAX)
		return err_set(e, ERR_OUT_OF_RANGE, "too many sites");
	if (eng_init(&g, c, weight, p) < 0)
		return err_set(e, ERR_NO_MEMORY, "mclp search of %zu sites", ns);
	enum err_code rc = ERR_OK;
	r->selected = malloc(p * sizeof *r->selected);
	pen = calloc(nd ? nd : 1, sizeof *pen);
	if (!r->selected || !pen) {
		rc = err_set(e, ERR_NO_MEMORY, "mclp result");
		goto out;
	}
	for (size_t k = 0; k < prm->n_fixed; k++) {
		size_t j = prm->fixed[k];
		if (j >= ns) {
			rc = err_set(e, ERR_INVALID_ARGUMENT, "fixed site index %zu out of range",
			             j);
			goto out;
		}
		if (g.fixed[j]) {
			rc = err_set(e, ERR_INVALID_ARGUMENT, "fixed site index %zu repeated", j);
			goto out;
		}
		g.fixed[j] = true;
		eng_open(&g, (uint32_t)j);
	}
	g.n_fixed = prm->n_fixed;
	if (initial) {
		for (size_t k = 0; k < n_initial; k++) {
			size_t j = initial[k];
			if (j >= ns) {
				rc = err_set(e, ERR_INVALID_ARGUMENT,
				             "initial site index %zu out of range", j);
				goto out;
			}
			if (g.pos[j] == NONE && g.n_open < p)
				eng_open(&g, (uint32_t)j);
		}
	}
	eng_greedy(&g);
	eng_descend(&g);
	eng_refresh(&g);
	eng_save_best(&g);
	double best = g.tcov;

	/* the bound; with integer weights the optimum is at most its floor */
	bool integral = true;
	double sumw = 0;
	size_t ncov = 0;
	for (size_t i = 0; i < nd; i++) {
		integral = integral && weight[i] == floor(weight[i]) && weight[i] < 9e15;
		if (c->d_start[i + 1] > c->d_start[i] && weight[i] > 0) {
			sumw += weight[i];
			ncov++;
		}
	}
	/* sumw is the coverable weight (points of zero weight add nothing) */
	double ub = prm->skip_bound ? sumw : mclp_upper_bound(c, weight, prm, best);
	if (integral)
		ub = floor(ub + 1e-9 * (ub > 1 ? ub : 1));
	r->upper_bound = ub;
	if (target > ub)
		target = ub;

	uint64_t iters = prm->budget.iterations ? prm->budget.iterations : MCLP_DEFAULT_ITERATIONS;
	size_t nfree = p - g.n_fixed, nclosed = ns - p;
	size_t kmax = KMAX;
	if (kmax > nfree)
		kmax = nfree;
	if (kmax > nclosed)
		kmax = nclosed;
	double lambda = ALPHA * (ncov ? sumw / (double)ncov : 1);
	struct plan_rng rng;
	plan_rng_seed(&rng, prm->budget.seed);
	size_t k = 1;
	uint64_t it = 0, stall = 0;
	uint64_t idle = iters / 2 > MCLP_IDLE_MIN ? iters / 2 : MCLP_IDLE_MIN;
	while (nfree > 0 && nclosed > 0 && it < iters && best < target - g.eps &&
	       it - r->best_iteration < idle) {
		if (plan_budget_stop(&prm->budget)) {
			r->stopped = true;
			break;
		}
		it++;
		if (stall >= STALL) {
			/* shake the best solution, true weights again */
			eng_restore_best(&g);
			memcpy(g.w, weight, nd * sizeof *weight);
			memset(pen, 0, nd * sizeof *pen);
			eng_refresh(&g);
			eng_shake(&g, &rng, k);
			k = k % kmax + 1;
			stall = 0;
		} else if (!eng_penalise(&g, pen, lambda)) {
			break; /* every point of positive weight is covered */
		}
		eng_descend(&g);
		if (g.tcov > best + g.eps) {
			best = g.tcov;
			eng_save_best(&g);
			r->best_iteration = it;
			stall = 0;
			k = 1;
		} else {
			stall++;
		}
	}
	r->iterations = it;
	eng_restore_best(&g);
	result_fill(r, &g);
	r->covered_weight = mclp_evaluate(c, weight, r->selected, r->n_selected);
	r->total_weight = 0;
	r->coverable_weight = 0;
	for (size_t i = 0; i < nd; i++) {
		r->total_weight += weight[i];
		if (c->d_start[i + 1] > c->d_start[i])
			r->coverable_weight += weight[i];
	}
	r->proven_optimal = r->covered_weight >= r->coverable_weight - g.eps ||
	                    r->covered_weight >= r->upper_bound - g.eps || p == ns ||
	                    g.n_fixed == p;
out:
	free(pen);
	eng_release(&g);
	if (rc != ERR_OK)
		mclp_result_release(r);
	return rc;
}

enum err_code mclp_solve(const struct plan_instance *in, const struct plan_cover *c,
                         const struct mclp_params *prm, struct mclp_result *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	if (c->n_demand != in->n_demand || c->n_sites != in->n_sites)
		return err_set(e, ERR_INVALID_ARGUMENT, "coverage lists do not match the instance");
	double *w = malloc((in->n_demand ? in->n_demand : 1) * sizeof *w);
	if (!w)
		return err_set(e, ERR_NO_MEMORY, "mclp weights");
	double coverable = 0;
	for (size_t i = 0; i < in->n_demand; i++) {
		w[i] = in->demand[i].weight;
		if (c->d_start[i + 1] > c->d_start[i])
			coverable += w[i];
	}
	enum err_code rc = mclp_search(c, w, prm, NULL, 0, coverable, r, e);
	free(w);
	return rc;
}
