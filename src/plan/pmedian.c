/*
 * pmedian: p-median by greedy construction, Resende-Werneck fast swap local
 * search and VNS; evaluation of a given set of sites; the OR-Library
 * p-median reader (see pmedian.h for the method and its sources).
 *
 * Internally the search works on a compact copy of the instance: only the
 * demand points of positive weight that some site can reach; for each of
 * them the sites sorted by distance together with those distances (an
 * unreachable pair costs a large finite penalty, so that sums stay exact
 * enough to compare), so that the bookkeeping of a point reads memory in
 * order and visits only the sites nearer than its second nearest open
 * site; and the distances again by site, rounded to float, to screen the
 * points a swap touches. About 16 bytes per demand-site pair.
 */
#include "plan/pmedian.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest factor between the unreachable penalty and the longest real distance. */
#define PM_PENALTY_FACTOR_MAX 1e7
/* Relative size of the smallest profit that counts as an improvement. */
#define PM_EPS_REL 1e-10
/* Largest number of VNS shake steps (k runs 1..kmax). */
#define PM_KMAX 10
/* Draws for a closed site near the shake's centre before taking any closed site. */
#define PM_SHAKE_TRIES 20
/* The local search rebuilds its bookkeeping at most this often before giving up. */
#define PM_MAX_REBUILDS 3

/* The problem as the search sees it. */
struct pm_problem {
	size_t n;        /* demand points in the search (positive weight, reachable) */
	size_t m;        /* candidate sites */
	double *sd;      /* n x m: each point's distances in increasing order (penalty for
	                  * unreachable pairs), sd[u * m + t] = d(u, order[u * m + t]) */
	float *dt;       /* m x n: d(u, j) rounded to float, by site, for quick screening */
	double *w;       /* n weights */
	uint32_t *order; /* n x m: the sites of each point by increasing distance (ties: index) */
	bool *fixed;     /* m: the site must stay open */
	uint32_t *near;  /* m: the demand point nearest to each site */
	double eps;      /* smallest profit that counts as an improvement */
};

/* A solution with the Resende-Werneck bookkeeping. */
struct pm_state {
	size_t p;
	uint32_t *open;  /* p: the site at each position */
	int32_t *pos;    /* m: position of an open site, -1 when closed */
	uint32_t *c1;    /* n: nearest open site */
	uint32_t *c2;    /* n: second nearest open site */
	double *d1, *d2; /* n: their distances */
	double *gain;    /* m: saving of opening site i alone (closed sites) */
	double *loss;    /* p: cost of closing the site at position r alone */
	double *extra;   /* p x m: extra[r * m + i], correction when i opens and r closes */
	double obj;      /* sum of w d1 */
};

/* Scratch arrays shared by the moves. */
struct pm_work {
	uint32_t *affected; /* n */
	double *negloss;    /* p */
	double *bestv;      /* m */
	uint32_t *closed;   /* m */
	uint32_t *freepos;  /* p */
};

/* Buffers of the row sort. */
struct pm_radix {
	uint64_t *k0, *k1;
	uint32_t *i0, *i1;
};

static void pm_radix_release(struct pm_radix *rx)
{
	free(rx->k0);
	free(rx->k1);
	free(rx->i0);
	free(rx->i1);
}

static int pm_radix_init(struct pm_radix *rx, size_t m)
{
	rx->k0 = malloc(m * sizeof *rx->k0);
	rx->k1 = malloc(m * sizeof *rx->k1);
	rx->i0 = malloc(m * sizeof *rx->i0);
	rx->i1 = malloc(m * sizeof *rx->i1);
	if (!rx->k0 || !rx->k1 || !rx->i0 || !rx->i1) {
		pm_radix_release(rx);
		return -1;
	}
	return 0;
}

/*
 * Sorts one row of m distances (>= 0 or +inf) by (distance, column): an LSD
 * radix sort on the IEEE bits, which order like the values for non-negative
 * doubles; stable, so equal distances keep the column order. Leaves the
 * columns in ord and the sorted distances in sorted (either may be NULL).
 */
static void pm_radix_row(struct pm_radix *rx, const double *row, size_t m, uint32_t *ord,
                         double *sorted)
{
	size_t count[8][256];
	memset(count, 0, sizeof count);
	for (size_t j = 0; j < m; j++) {
		double v = row[j] + 0.0; /* -0 becomes +0 */
		uint64_t k;
		memcpy(&k, &v, sizeof k);
		rx->k0[j] = k;
		rx->i0[j] = (uint32_t)j;
		for (int b = 0; b < 8; b++)
			count[b][(k >> (8 * b)) & 0xff]++;
	}
	uint64_t *ks = rx->k0, *kd = rx->k1;
	uint32_t *is = rx->i0, *id = rx->i1;
	for (int b = 0; b < 8; b++) {
		size_t *c = count[b];
		if (m == 0 || c[(ks[0] >> (8 * b)) & 0xff] == m)
			continue; /* every key has the same byte here */
		size_t sum = 0;
		for (int v = 0; v < 256; v++) {
			size_t t = c[v];
			c[v] = sum;
			sum += t;
		}
		for (size_t j = 0; j < m; j++) {
			size_t at = c[(ks[j] >> (8 * b)) & 0xff]++;
			kd[at] = ks[j];
			id[at] = is[j];
		}
		uint64_t *tk = ks;
		ks = kd;
		kd = tk;
		uint32_t *ti = is;
		is = id;
		id = ti;
	}
	if (ord)
		memcpy(ord, is, m * sizeof *ord);
	if (sorted)
		memcpy(sorted, ks, m * sizeof *sorted);
}

enum err_code pmedian_sort_rows(const double *d, size_t n, size_t m, uint32_t *order, struct err *e)
{
	struct pm_radix rx;
	if (pm_radix_init(&rx, m ? m : 1))
		return err_set(e, ERR_NO_MEMORY, "out of memory for sorting %zu distances", m);
	for (size_t u = 0; u < n; u++)
		pm_radix_row(&rx, d + u * m, m, order + u * m, NULL);
	pm_radix_release(&rx);
	return ERR_OK;
}

static bool pm_unreachable(double d)
{
	return !(d < PLAN_UNREACHABLE);
}

/* n x k without overflow, or SIZE_MAX. */
static size_t pm_mul(size_t n, size_t k)
{
	if (k && n > SIZE_MAX / k)
		return SIZE_MAX;
	return n * k;
}

static void pm_problem_release(struct pm_problem *pb)
{
	free(pb->sd);
	free(pb->dt);
	free(pb->w);
	free(pb->order);
	free(pb->fixed);
	free(pb->near);
	memset(pb, 0, sizeof *pb);
}

static double pm_dist(const struct plan_instance *in, size_t i, size_t j)
{
	if (in->dist)
		return in->dist[i * in->n_sites + j];
	return plan_instance_dist(in, i, j);
}

/* Checks the weights and the total; fills *total. */
static enum err_code pm_check_weights(const struct plan_instance *in, double *total, struct err *e)
{
	double sum = 0;
	for (size_t i = 0; i < in->n_demand; i++) {
		double w = in->demand[i].weight;
		if (!isfinite(w) || w < 0)
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "demand point '%s' has an invalid weight", in->demand[i].id);
		sum += w;
	}
	*total = sum;
	return ERR_OK;
}

static enum err_code pm_check_instance(const struct plan_instance *in, struct err *e)
{
	if (!in || in->n_demand == 0 || !in->demand)
		return err_set(e, ERR_INVALID_ARGUMENT, "the instance has no demand points");
	if (in->n_sites == 0 || !in->sites)
		return err_set(e, ERR_INVALID_ARGUMENT, "the instance has no candidate sites");
	if (pm_mul(in->n_demand, in->n_sites) > PMEDIAN_MAX_PAIRS)
		return err_set(
		        e, ERR_OUT_OF_RANGE,
		        "instance too large: %zu demand points x %zu sites (at most %zu pairs)",
		        in->n_demand, in->n_sites, PMEDIAN_MAX_PAIRS);
	return ERR_OK;
}

/*
 * Builds the compact problem. Rows whose every site is unreachable are left
 * out. Fails on a negative or non-numeric distance.
 */
static enum err_code pm_problem_build(const struct plan_instance *in, struct pm_problem *pb,
                                      struct err *e)
{
	memset(pb, 0, sizeof *pb);
	size_t m = in->n_sites, rows = 0;
	for (size_t i = 0; i < in->n_demand; i++)
		if (in->demand[i].weight > 0)
			rows++;
	pb->m = m;
	double *d = malloc(pm_mul(rows ? rows : 1, m) * sizeof *d);
	pb->sd = d;
	pb->w = malloc((rows ? rows : 1) * sizeof *pb->w);
	pb->fixed = calloc(m, sizeof *pb->fixed);
	if (!d || !pb->w || !pb->fixed)
		goto nomem;
	double maxd = 0, wsum = 0, wmin = INFINITY;
	size_t n = 0;
	for (size_t i = 0; i < in->n_demand; i++) {
		double w = in->demand[i].weight;
		if (!(w > 0))
			continue;
		double *row = d + n * m;
		bool reach = false;
		for (size_t j = 0; j < m; j++) {
			double dij = pm_dist(in, i, j);
			if (isnan(dij) || dij < 0) {
				pm_problem_release(pb);
				return err_set(e, ERR_INVALID_ARGUMENT,
				               "invalid distance from '%s' to '%s'",
				               in->demand[i].id, in->sites[j].id);
			}
			if (pm_unreachable(dij)) {
				row[j] = -1;
				continue;
			}
			reach = true;
			row[j] = dij;
			if (dij > maxd)
				maxd = dij;
		}
		if (!reach)
			continue;
		pb->w[n++] = w;
		wsum += w;
		if (w < wmin)
			wmin = w;
	}
	pb->n = n;
	if (n == 0)
		return ERR_OK;
	double factor = wsum / wmin;
	if (factor > PM_PENALTY_FACTOR_MAX)
		factor = PM_PENALTY_FACTOR_MAX;
	double big = (maxd + 1) * (factor + 1);
	for (size_t k = 0; k < n * m; k++)
		if (d[k] < 0)
			d[k] = big;
	pb->eps = PM_EPS_REL * wsum * maxd;
	pb->order = malloc(n * m * sizeof *pb->order);
	pb->near = malloc(m * sizeof *pb->near);
	pb->dt = malloc(n * m * sizeof *pb->dt);
	struct pm_radix rx;
	if (!pb->order || !pb->near || !pb->dt || pm_radix_init(&rx, m))
		goto nomem;
	for (size_t u = 0; u < n; u++)
		for (size_t j = 0; j < m; j++)
			pb->dt[j * n + u] = (float)d[u * m + j];
	for (size_t j = 0; j < m; j++)
		pb->near[j] = 0;
	for (size_t u = 1; u < n; u++)
		for (size_t j = 0; j < m; j++)
			if (d[u * m + j] < d[pb->near[j] * m + j])
				pb->near[j] = (uint32_t)u;
	/* Sort each row, keeping the sorted distances in place of the row. */
	for (size_t u = 0; u < n; u++)
		pm_radix_row(&rx, d + u * m, m, pb->order + u * m, d + u * m);
	pm_radix_release(&rx);
	return ERR_OK;
nomem:
	pm_problem_release(pb);
	return err_set(e, ERR_NO_MEMORY, "out of memory for the p-median search");
}

static void pm_state_release(struct pm_state *st)
{
	free(st->open);
	free(st->pos);
	free(st->c1);
	free(st->c2);
	free(st->d1);
	free(st->d2);
	free(st->gain);
	free(st->loss);
	free(st->extra);
	memset(st, 0, sizeof *st);
}

static int pm_state_init(struct pm_state *st, const struct pm_problem *pb, size_t p)
{
	memset(st, 0, sizeof *st);
	size_t n = pb->n ? pb->n : 1, m = pb->m;
	st->p = p;
	st->open = malloc(p * sizeof *st->open);
	st->pos = malloc(m * sizeof *st->pos);
	st->c1 = malloc(n * sizeof *st->c1);
	st->c2 = malloc(n * sizeof *st->c2);
	st->d1 = malloc(n * sizeof *st->d1);
	st->d2 = malloc(n * sizeof *st->d2);
	st->gain = malloc(m * sizeof *st->gain);
	st->loss = malloc(p * sizeof *st->loss);
	st->extra = malloc(m * p * sizeof *st->extra);
	if (!st->open || !st->pos || !st->c1 || !st->c2 || !st->d1 || !st->d2 || !st->gain ||
	    !st->loss || !st->extra) {
		pm_state_release(st);
		return -1;
	}
	for (size_t j = 0; j < m; j++)
		st->pos[j] = -1;
	return 0;
}

static void pm_state_copy(struct pm_state *dst, const struct pm_state *src,
                          const struct pm_problem *pb)
{
	size_t n = pb->n, m = pb->m, p = src->p;
	memcpy(dst->open, src->open, p * sizeof *dst->open);
	memcpy(dst->pos, src->pos, m * sizeof *dst->pos);
	memcpy(dst->c1, src->c1, n * sizeof *dst->c1);
	memcpy(dst->c2, src->c2, n * sizeof *dst->c2);
	memcpy(dst->d1, src->d1, n * sizeof *dst->d1);
	memcpy(dst->d2, src->d2, n * sizeof *dst->d2);
	memcpy(dst->gain, src->gain, m * sizeof *dst->gain);
	memcpy(dst->loss, src->loss, p * sizeof *dst->loss);
	memcpy(dst->extra, src->extra, m * p * sizeof *dst->extra);
	dst->obj = src->obj;
}

static void pm_open_at(struct pm_state *st, uint32_t site, size_t r)
{
	st->open[r] = site;
	st->pos[site] = (int32_t)r;
}

/* Finds the nearest and second nearest open sites of point u (p >= 2). */
static void pm_nearest(const struct pm_problem *pb, struct pm_state *st, size_t u)
{
	const uint32_t *ord = pb->order + u * pb->m;
	const double *sd = pb->sd + u * pb->m;
	bool first = true;
	for (size_t t = 0; t < pb->m; t++) {
		uint32_t j = ord[t];
		if (st->pos[j] < 0)
			continue;
		if (first) {
			st->c1[u] = j;
			st->d1[u] = sd[t];
			first = false;
		} else {
			st->c2[u] = j;
			st->d2[u] = sd[t];
			break;
		}
	}
}

/* Adds (sign 1) or removes (sign -1) point u's share of gain, loss and extra. */
static void pm_update(const struct pm_problem *pb, struct pm_state *st, size_t u, double sign)
{
	size_t m = pb->m;
	double w = sign * pb->w[u], d1 = st->d1[u], d2 = st->d2[u];
	size_t r = (size_t)st->pos[st->c1[u]];
	double *ex = st->extra + r * m;
	st->loss[r] += w * (d2 - d1);
	const uint32_t *ord = pb->order + u * m;
	const double *sd = pb->sd + u * m;
	for (size_t t = 0; t < m && sd[t] < d2; t++) {
		uint32_t i = ord[t];
		double di = sd[t];
		if (st->pos[i] >= 0)
			continue;
		if (di < d1) {
			st->gain[i] += w * (d1 - di);
			ex[i] += w * (d2 - d1);
		} else {
			ex[i] += w * (d2 - di);
		}
	}
}

/* Recomputes the nearest sites, the bookkeeping and the objective from scratch. */
static void pm_rebuild(const struct pm_problem *pb, struct pm_state *st)
{
	memset(st->gain, 0, pb->m * sizeof *st->gain);
	memset(st->loss, 0, st->p * sizeof *st->loss);
	memset(st->extra, 0, pb->m * st->p * sizeof *st->extra);
	double obj = 0;
	for (size_t u = 0; u < pb->n; u++) {
		pm_nearest(pb, st, u);
		pm_update(pb, st, u, 1);
		obj += pb->w[u] * st->d1[u];
	}
	st->obj = obj;
}

/* Opens site i at position r in place of the site there; returns the change of objective. */
static double pm_swap(const struct pm_problem *pb, struct pm_state *st, struct pm_work *wk,
                      uint32_t i, size_t r)
{
	size_t n = pb->n, m = pb->m, p = st->p, na = 0;
	uint32_t out = st->open[r];
	const float *col = pb->dt + (size_t)i * n;
	for (size_t u = 0; u < n; u++) {
		/* Rounding to float keeps order (a <= b gives fa <= fb): the screen keeps every
		 * point with d(u, i) < d2 and perhaps a few ties more, for which the update
		 * and its undo cancel out. */
		if (st->c1[u] == out || st->c2[u] == out || col[u] <= (float)st->d2[u]) {
			wk->affected[na++] = (uint32_t)u;
			pm_update(pb, st, u, -1);
		}
	}
	/* What only affected points fed is exactly zero now; clear the rounding. */
	st->gain[i] = 0;
	st->loss[r] = 0;
	memset(st->extra + r * m, 0, m * sizeof *st->extra);
	for (size_t k = 0; k < p; k++)
		st->extra[k * m + i] = 0;
	st->pos[out] = -1;
	pm_open_at(st, i, r);
	double delta = 0;
	for (size_t a = 0; a < na; a++) {
		size_t u = wk->affected[a];
		double old = st->d1[u];
		pm_nearest(pb, st, u);
		delta += pb->w[u] * (st->d1[u] - old);
		pm_update(pb, st, u, 1);
	}
	st->obj += delta;
	return delta;
}

/* best[i] = max(best[i], row[i] + add); unrolled so that compilers use SIMD maximum. */
static void pm_rowmax(double *restrict best, const double *restrict row, double add, size_t m)
{
	size_t i = 0;
	for (; i + 4 <= m; i += 4) {
		double v0 = row[i] + add, v1 = row[i + 1] + add;
		double v2 = row[i + 2] + add, v3 = row[i + 3] + add;
		double b0 = best[i], b1 = best[i + 1], b2 = best[i + 2], b3 = best[i + 3];
		best[i] = v0 > b0 ? v0 : b0;
		best[i + 1] = v1 > b1 ? v1 : b1;
		best[i + 2] = v2 > b2 ? v2 : b2;
		best[i + 3] = v3 > b3 ? v3 : b3;
	}
	for (; i < m; i++) {
		double v = row[i] + add;
		best[i] = v > best[i] ? v : best[i];
	}
}

/*
 * The best swap by the bookkeeping (ties: lowest site, then lowest
 * position); false when none gains more than eps.
 */
static bool pm_best_swap(const struct pm_problem *pb, const struct pm_state *st, struct pm_work *wk,
                         uint32_t *bi, size_t *br)
{
	size_t m = pb->m, p = st->p;
	for (size_t i = 0; i < m; i++)
		wk->bestv[i] = -INFINITY;
	for (size_t r = 0; r < p; r++) {
		if (pb->fixed[st->open[r]]) {
			wk->negloss[r] = -INFINITY;
			continue;
		}
		wk->negloss[r] = -st->loss[r];
		pm_rowmax(wk->bestv, st->extra + r * m, -st->loss[r], m);
	}
	double best = pb->eps;
	bool found = false;
	for (size_t i = 0; i < m; i++) {
		if (st->pos[i] < 0 && st->gain[i] + wk->bestv[i] > best) {
			best = st->gain[i] + wk->bestv[i];
			*bi = (uint32_t)i;
			found = true;
		}
	}
	if (!found)
		return false;
	double top = -INFINITY;
	for (size_t r = 0; r < p; r++) {
		double v = st->extra[r * m + *bi] + wk->negloss[r];
		if (v > top) {
			top = v;
			*br = r;
		}
	}
	return true;
}

/* Best-improvement descent; leaves st at a local optimum with an exact objective. */
static void pm_local_search(const struct pm_problem *pb, struct pm_state *st, struct pm_work *wk)
{
	int rebuilds = 0;
	uint32_t i = 0;
	size_t r = 0;
	while (pm_best_swap(pb, st, wk, &i, &r)) {
		double delta = pm_swap(pb, st, wk, i, r);
		if (delta < 0)
			continue;
		/* The bookkeeping promised a gain the move did not give: rounding drift. */
		if (++rebuilds > PM_MAX_REBUILDS)
			break;
		pm_rebuild(pb, st);
	}
	double obj = 0;
	for (size_t u = 0; u < pb->n; u++)
		obj += pb->w[u] * st->d1[u];
	st->obj = obj;
}

/*
 * Greedy construction: the fixed sites, then p - n_fixed times the site
 * that lowers the total weighted distance most (the best 1-median first when
 * nothing is open). Uses st->gain and st->d1 as scratch; st->pos/open set.
 */
static void pm_greedy(const struct pm_problem *pb, struct pm_state *st, const size_t *fixed,
                      size_t n_fixed)
{
	size_t n = pb->n, m = pb->m, count = 0;
	for (size_t u = 0; u < n; u++)
		st->d1[u] = INFINITY;
	for (size_t f = 0; f < st->p; f++) {
		uint32_t pick;
		if (f < n_fixed) {
			pick = (uint32_t)fixed[f];
		} else if (count == 0) {
			/* gain = total distance to each site, summed point by point. */
			memset(st->gain, 0, m * sizeof *st->gain);
			for (size_t u = 0; u < n; u++) {
				const uint32_t *ord = pb->order + u * m;
				const double *sd = pb->sd + u * m;
				for (size_t t = 0; t < m; t++)
					st->gain[ord[t]] += pb->w[u] * sd[t];
			}
			double best = INFINITY;
			pick = 0;
			for (size_t i = 0; i < m; i++) {
				if (st->gain[i] < best) {
					best = st->gain[i];
					pick = (uint32_t)i;
				}
			}
		} else {
			memset(st->gain, 0, m * sizeof *st->gain);
			for (size_t u = 0; u < n; u++) {
				const uint32_t *ord = pb->order + u * m;
				const double *sd = pb->sd + u * m;
				double d1 = st->d1[u], w = pb->w[u];
				for (size_t t = 0; t < m && sd[t] < d1; t++)
					st->gain[ord[t]] += w * (d1 - sd[t]);
			}
			double best = -1;
			pick = 0;
			for (size_t i = 0; i < m; i++) {
				if (st->pos[i] < 0 && st->gain[i] > best) {
					best = st->gain[i];
					pick = (uint32_t)i;
				}
			}
		}
		pm_open_at(st, pick, count++);
		for (size_t u = 0; u < n; u++) {
			const uint32_t *ord = pb->order + u * m;
			const double *sd = pb->sd + u * m;
			for (size_t t = 0; t < m && sd[t] < st->d1[u]; t++) {
				if (ord[t] == pick) {
					st->d1[u] = sd[t];
					break;
				}
			}
		}
	}
}

/* Checks p and the fixed sites (and the size of the search when search is true). */
static enum err_code pm_check_opts(const struct plan_instance *in, const struct pmedian_opts *o,
                                   bool search, struct err *e)
{
	if (!o)
		return err_set(e, ERR_INVALID_ARGUMENT, "missing options");
	if (o->p == 0)
		return err_set(e, ERR_OUT_OF_RANGE, "p must be at least 1");
	if (o->p > in->n_sites)
		return err_set(e, ERR_OUT_OF_RANGE,
		               "p %zu is larger than the number of candidate sites (%zu)", o->p,
		               in->n_sites);
	if (search && pm_mul(in->n_sites, o->p) > PMEDIAN_MAX_PAIRS)
		return err_set(e, ERR_OUT_OF_RANGE, "instance too large: %zu sites x p %zu",
		               in->n_sites, o->p);
	if (o->n_fixed > o->p)
		return err_set(e, ERR_OUT_OF_RANGE, "%zu fixed sites but p is %zu", o->n_fixed,
		               o->p);
	if (o->n_fixed && !o->fixed)
		return err_set(e, ERR_INVALID_ARGUMENT, "missing the fixed sites");
	for (size_t f = 0; f < o->n_fixed; f++) {
		size_t j = o->fixed[f];
		if (j >= in->n_sites)
			return err_set(e, ERR_OUT_OF_RANGE, "fixed site index %zu out of range", j);
		for (size_t g = 0; g < f; g++)
			if (o->fixed[g] == j)
				return err_set(e, ERR_INVALID_ARGUMENT, "site '%s' is fixed twice",
				               in->sites[j].id);
	}
	return ERR_OK;
}

void pmedian_result_release(struct pmedian_result *r)
{
	if (!r)
		return;
	free(r->selected);
	free(r->assigned);
	memset(r, 0, sizeof *r);
}

static int pm_size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

/* Fills the figures of *out for the sites in out->selected (sorted here). */
static enum err_code pm_fill(const struct plan_instance *in, struct pmedian_result *out,
                             struct err *e)
{
	qsort(out->selected, out->n_selected, sizeof *out->selected, pm_size_cmp);
	out->assigned = malloc(in->n_demand * sizeof *out->assigned);
	if (!out->assigned)
		return err_set(e, ERR_NO_MEMORY, "out of memory for the assignment");
	double total = 0, served = 0, sum = 0, maxd = 0;
	for (size_t i = 0; i < in->n_demand; i++) {
		double w = in->demand[i].weight, best = PLAN_UNREACHABLE;
		size_t bj = SIZE_MAX;
		for (size_t k = 0; k < out->n_selected; k++) {
			double d = pm_dist(in, i, out->selected[k]);
			if (d < best) {
				best = d;
				bj = out->selected[k];
			}
		}
		out->assigned[i] = bj;
		total += w;
		if (bj == SIZE_MAX)
			continue;
		served += w;
		sum += w * best;
		if (w > 0 && best > maxd)
			maxd = best;
	}
	out->total_weight = total;
	out->served_weight = served;
	out->unserved_weight = total - served;
	out->total_distance = sum;
	out->mean_distance = served > 0 ? sum / served : 0;
	out->max_distance = maxd;
	out->objective = sum;
	return ERR_OK;
}

enum err_code pmedian_evaluate(const struct plan_instance *in, const size_t *sites, size_t n,
                               struct pmedian_result *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	enum err_code rc = pm_check_instance(in, e);
	if (rc)
		return rc;
	double total;
	if ((rc = pm_check_weights(in, &total, e)))
		return rc;
	if (n == 0 || !sites)
		return err_set(e, ERR_INVALID_ARGUMENT, "no sites to evaluate");
	struct pmedian_opts o = {.p = n, .fixed = sites, .n_fixed = n};
	if ((rc = pm_check_opts(in, &o, false, e)))
		return rc;
	out->selected = malloc(n * sizeof *out->selected);
	if (!out->selected)
		return err_set(e, ERR_NO_MEMORY, "out of memory for the sites");
	memcpy(out->selected, sites, n * sizeof *sites);
	out->n_selected = n;
	if ((rc = pm_fill(in, out, e)))
		pmedian_result_release(out);
	return rc;
}

/*
 * One swap of a shake of size k around the demand point `centre`: open a
 * random closed site among the (2k + 2) m / p sites nearest to the centre
 * (any closed site if PM_SHAKE_TRIES draws find none), and close the open
 * site serving the demand point nearest to it (its nearest open site, else
 * the second, else a random open site when both are fixed). Regional moves
 * like this rearrange a neighbourhood, which random swaps across the map
 * (undone at once by the descent) rarely do.
 */
static void pm_shake_swap(const struct pm_problem *pb, struct pm_state *cur, struct pm_work *wk,
                          struct plan_rng *rng, uint32_t centre, size_t k)
{
	size_t m = pb->m, p = cur->p, span = (k * 2 + 2) * m / p;
	if (span > m)
		span = m;
	const uint32_t *ord = pb->order + (size_t)centre * m;
	uint32_t i = UINT32_MAX;
	for (int tries = 0; tries < PM_SHAKE_TRIES && i == UINT32_MAX; tries++) {
		uint32_t c = ord[plan_rng_below(rng, span)];
		if (cur->pos[c] < 0)
			i = c;
	}
	if (i == UINT32_MAX) {
		size_t nc = 0;
		for (size_t j = 0; j < m; j++)
			if (cur->pos[j] < 0)
				wk->closed[nc++] = (uint32_t)j;
		i = wk->closed[plan_rng_below(rng, nc)];
	}
	uint32_t u = pb->near[i];
	size_t r;
	if (!pb->fixed[cur->c1[u]]) {
		r = (size_t)cur->pos[cur->c1[u]];
	} else if (!pb->fixed[cur->c2[u]]) {
		r = (size_t)cur->pos[cur->c2[u]];
	} else {
		size_t nf = 0;
		for (size_t q = 0; q < p; q++)
			if (!pb->fixed[cur->open[q]])
				wk->freepos[nf++] = (uint32_t)q;
		r = wk->freepos[plan_rng_below(rng, nf)];
	}
	pm_swap(pb, cur, wk, i, r);
}

/*
 * The VNS proper, from a greedy start; leaves the best solution in *best.
 * A shake that descends to a better solution resets k to 1; one as good
 * is taken as the new incumbent (a walk on the plateau) and k grows; a
 * worse one is dropped and k grows, back to 1 after kmax.
 */
static void pm_vns(const struct pm_problem *pb, struct pm_state *best, struct pm_state *cur,
                   struct pm_work *wk, const struct plan_budget *budget, uint64_t iterations,
                   uint64_t stall, struct pmedian_result *out)
{
	size_t m = pb->m, p = best->p, n_free = 0;
	pm_rebuild(pb, best);
	pm_local_search(pb, best, wk);
	for (size_t r = 0; r < p; r++)
		if (!pb->fixed[best->open[r]])
			n_free++;
	size_t kmax = n_free < m - p ? n_free : m - p;
	if (kmax > PM_KMAX)
		kmax = PM_KMAX;
	if (kmax == 0)
		return;
	struct plan_rng rng;
	plan_rng_seed(&rng, budget ? budget->seed : 0);
	size_t k = 1;
	for (uint64_t it = 0; it < iterations; it++) {
		if (it - out->best_iteration >= stall)
			break;
		if (plan_budget_stop(budget)) {
			out->stopped = true;
			break;
		}
		out->iterations = it + 1;
		pm_state_copy(cur, best, pb);
		uint32_t centre = (uint32_t)plan_rng_below(&rng, pb->n);
		for (size_t step = 0; step < k; step++)
			pm_shake_swap(pb, cur, wk, &rng, centre, k);
		pm_local_search(pb, cur, wk);
		if (cur->obj < best->obj - pb->eps) {
			struct pm_state t = *best;
			*best = *cur;
			*cur = t;
			k = 1;
			out->best_iteration = it + 1;
		} else if (cur->obj <= best->obj + pb->eps) {
			/* A different solution as good: move there (the plateau is explored). */
			struct pm_state t = *best;
			*best = *cur;
			*cur = t;
			k = k >= kmax ? 1 : k + 1;
		} else {
			k = k >= kmax ? 1 : k + 1;
		}
	}
}

enum err_code pmedian_check(const struct plan_instance *in, const struct pmedian_opts *opts,
                            struct err *e)
{
	enum err_code rc = pm_check_instance(in, e);
	if (rc)
		return rc;
	double total;
	if ((rc = pm_check_weights(in, &total, e)))
		return rc;
	return pm_check_opts(in, opts, true, e);
}

enum err_code pmedian_solve(const struct plan_instance *in, const struct pmedian_opts *opts,
                            const struct plan_budget *budget, struct pmedian_result *out,
                            struct err *e)
{
	memset(out, 0, sizeof *out);
	enum err_code rc = pmedian_check(in, opts, e);
	if (rc)
		return rc;
	struct pm_problem pb;
	if ((rc = pm_problem_build(in, &pb, e)))
		return rc;
	for (size_t f = 0; f < opts->n_fixed; f++)
		pb.fixed[opts->fixed[f]] = true;
	size_t p = opts->p;
	struct pm_state best, cur;
	struct pm_work wk = {0};
	memset(&cur, 0, sizeof cur);
	if (pm_state_init(&best, &pb, p)) {
		pm_problem_release(&pb);
		return err_set(e, ERR_NO_MEMORY, "out of memory for the p-median search");
	}
	pm_greedy(&pb, &best, opts->fixed, opts->n_fixed);
	if (p >= 2 && p < pb.m && pb.n > 0) {
		uint64_t iterations = budget && budget->iterations ? budget->iterations
		                                                   : PMEDIAN_DEFAULT_ITERATIONS;
		size_t n = pb.n;
		wk.affected = malloc(n * sizeof *wk.affected);
		wk.negloss = malloc(p * sizeof *wk.negloss);
		wk.bestv = malloc(pb.m * sizeof *wk.bestv);
		wk.closed = malloc(pb.m * sizeof *wk.closed);
		wk.freepos = malloc(p * sizeof *wk.freepos);
		if (!wk.affected || !wk.negloss || !wk.bestv || !wk.closed || !wk.freepos ||
		    pm_state_init(&cur, &pb, p)) {
			rc = err_set(e, ERR_NO_MEMORY, "out of memory for the p-median search");
			goto out;
		}
		uint64_t stall =
		        opts->stall ? opts->stall
		                    : PMEDIAN_STALL_BASE + PMEDIAN_STALL_PER_SITE * (uint64_t)p;
		pm_vns(&pb, &best, &cur, &wk, budget, iterations, stall, out);
	}
	/* With p = 1 the greedy start is the exact 1-median; with p = m all sites are open. */
	out->selected = malloc(p * sizeof *out->selected);
	if (!out->selected) {
		rc = err_set(e, ERR_NO_MEMORY, "out of memory for the result");
		goto out;
	}
	for (size_t r = 0; r < p; r++)
		out->selected[r] = best.open[r];
	out->n_selected = p;
	rc = pm_fill(in, out, e);
out:
	free(wk.affected);
	free(wk.negloss);
	free(wk.bestv);
	free(wk.closed);
	free(wk.freepos);
	pm_state_release(&cur);
	pm_state_release(&best);
	pm_problem_release(&pb);
	if (rc)
		pmedian_result_release(out);
	return rc;
}

/* ---- OR-Library reader ---- */

#define ORLIB_TOKEN_MAX 64
#define ORLIB_COST_MAX  1e15

struct orlib_line {
	size_t nt;
	const char *tok[4];
	size_t len[4];
};

static bool orlib_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Splits [s, end) into at most 4 tokens (nt = 4 means "more than 3"). */
static void orlib_split(const char *s, const char *end, struct orlib_line *ln)
{
	ln->nt = 0;
	while (s < end) {
		while (s < end && orlib_space(*s))
			s++;
		if (s == end)
			break;
		const char *t = s;
		while (s < end && !orlib_space(*s))
			s++;
		if (ln->nt < 4) {
			ln->tok[ln->nt] = t;
			ln->len[ln->nt] = (size_t)(s - t);
		}
		ln->nt++;
		if (ln->nt > 4)
			ln->nt = 4;
	}
}

/* A whole non-negative decimal integer <= max. */
static int orlib_uint(const char *t, size_t len, uint64_t max, uint64_t *out)
{
	if (len == 0 || len > 19)
		return -1;
	uint64_t v = 0;
	for (size_t k = 0; k < len; k++) {
		if (t[k] < '0' || t[k] > '9')
			return -1;
		v = v * 10 + (uint64_t)(t[k] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/* A finite decimal number in [0, ORLIB_COST_MAX]. */
static int orlib_cost(const char *t, size_t len, double *out)
{
	char buf[ORLIB_TOKEN_MAX];
	if (len == 0 || len >= sizeof buf)
		return -1;
	for (size_t k = 0; k < len; k++) {
		char c = t[k];
		if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' ||
		      c == '-'))
			return -1;
	}
	memcpy(buf, t, len);
	buf[len] = '\0';
	char *endp;
	double v = strtod(buf, &endp);
	if (endp != buf + len || !isfinite(v) || v < 0 || v > ORLIB_COST_MAX)
		return -1;
	*out = v + 0.0; /* no negative zero */
	return 0;
}

/*
 * Replaces the n x n matrix of direct edge costs d (PLAN_UNREACHABLE = no
 * edge, 0 on the diagonal) by the shortest-path distances: Dijkstra from
 * every vertex over the adjacency lists, O(n (n + E) log n), which gives the
 * same distances as pmedinfo's Floyd-Warshall without its n^3 passes over
 * the matrix. Returns 0 or -1 (no memory).
 */
static int orlib_shortest_paths(double *d, size_t n)
{
	size_t nnz = 0;
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++)
			if (a != b && d[a * n + b] < PLAN_UNREACHABLE)
				nnz++;
	size_t *start = malloc((n + 1) * sizeof *start);
	uint32_t *adj = malloc((nnz ? nnz : 1) * sizeof *adj);
	double *cost = malloc((nnz ? nnz : 1) * sizeof *cost);
	struct plan_heap h = {0};
	int rc = -1;
	if (!start || !adj || !cost || plan_heap_init(&h, n, NULL))
		goto out;
	nnz = 0;
	for (size_t a = 0; a < n; a++) {
		start[a] = nnz;
		for (size_t b = 0; b < n; b++) {
			if (a != b && d[a * n + b] < PLAN_UNREACHABLE) {
				adj[nnz] = (uint32_t)b;
				cost[nnz++] = d[a * n + b];
			}
		}
	}
	start[n] = nnz;
	for (size_t s = 0; s < n; s++) {
		double *row = d + s * n;
		for (size_t b = 0; b < n; b++)
			row[b] = PLAN_UNREACHABLE;
		row[s] = 0;
		plan_heap_clear(&h);
		plan_heap_set(&h, (uint32_t)s, 0);
		while (h.n > 0) {
			double du;
			uint32_t u = plan_heap_pop(&h, &du);
			for (size_t k = start[u]; k < start[u + 1]; k++) {
				double nd = du + cost[k];
				if (nd < row[adj[k]]) {
					row[adj[k]] = nd;
					plan_heap_set(&h, adj[k], nd);
				}
			}
		}
	}
	/* The graph is undirected, so d is symmetric; with non-integer costs the
	 * sums of the two directions may differ in the last bit: keep the smaller. */
	for (size_t a = 0; a < n; a++)
		for (size_t b = a + 1; b < n; b++) {
			double m = d[a * n + b] < d[b * n + a] ? d[a * n + b] : d[b * n + a];
			d[a * n + b] = d[b * n + a] = m;
		}
	rc = 0;
out:
	plan_heap_release(&h);
	free(start);
	free(adj);
	free(cost);
	return rc;
}

static const char *orlib_show(const char *t, size_t len, char *buf, size_t cap)
{
	size_t k = len < cap - 1 ? len : cap - 1;
	for (size_t a = 0; a < k; a++)
		buf[a] = (t[a] >= 0x20 && t[a] < 0x7f) ? t[a] : '?';
	buf[k] = '\0';
	return buf;
}

enum err_code pmedian_parse_orlib(const char *text, size_t len, struct plan_instance *out,
                                  size_t *p, struct err *e)
{
	memset(out, 0, sizeof *out);
	*p = 0;
	const char *s = text, *end = text + len;
	size_t lineno = 0, n = 0, edges = 0, done = 0;
	bool header = false;
	char show[ORLIB_TOKEN_MAX];
	enum err_code rc = ERR_OK;
	double *d = NULL;
	struct err sub;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;
		lineno++;
		struct orlib_line ln;
		orlib_split(s, le, &ln);
		s = nl ? nl + 1 : end;
		if (ln.nt == 0)
			continue;
		if (!header) {
			uint64_t v[3];
			if (ln.nt != 3) {
				rc = err_set(e, ERR_INVALID_PLAN_DATA,
				             "pmed line %zu: expected the header 'n edges p'",
				             lineno);
				goto fail;
			}
			for (int k = 0; k < 3; k++) {
				if (orlib_uint(ln.tok[k], ln.len[k], UINT32_MAX, &v[k])) {
					rc = err_set(
					        e, ERR_INVALID_PLAN_DATA,
					        "pmed line %zu: invalid number '%s' in the header",
					        lineno,
					        orlib_show(ln.tok[k], ln.len[k], show,
					                   sizeof show));
					goto fail;
				}
			}
			if (v[0] == 0 || v[0] > PMEDIAN_ORLIB_MAX_N) {
				rc = err_set(e, ERR_OUT_OF_RANGE,
				             "pmed line %zu: the number of vertices must be 1..%d",
				             lineno, PMEDIAN_ORLIB_MAX_N);
				goto fail;
			}
			if (v[2] == 0 || v[2] > v[0]) {
				rc = err_set(e, ERR_OUT_OF_RANGE,
				             "pmed line %zu: p %zu must be 1..%zu (the vertices)",
				             lineno, (size_t)v[2], (size_t)v[0]);
				goto fail;
			}
			n = (size_t)v[0];
			edges = (size_t)v[1];
			*p = (size_t)v[2];
			header = true;
			if ((rc = plan_instance_alloc(out, PLAN_COORDS_MATRIX, n, n, &sub))) {
				rc = err_set(e, rc, "pmed line %zu: %s", lineno, sub.detail);
				goto fail;
			}
			d = out->dist;
			for (size_t k = 0; k < n; k++)
				d[k * n + k] = 0;
			continue;
		}
		if (done == edges) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA,
			             "pmed line %zu: unexpected text after the %zu edges", lineno,
			             edges);
			goto fail;
		}
		if (ln.nt != 3) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA,
			             "pmed line %zu: expected an edge 'i j cost'", lineno);
			goto fail;
		}
		uint64_t a, b;
		double c;
		for (int k = 0; k < 2; k++) {
			if (orlib_uint(ln.tok[k], ln.len[k], n, k ? &b : &a) || (k ? b : a) == 0) {
				rc = err_set(e, ERR_INVALID_PLAN_DATA,
				             "pmed line %zu: invalid vertex '%s' (1..%zu)", lineno,
				             orlib_show(ln.tok[k], ln.len[k], show, sizeof show),
				             n);
				goto fail;
			}
		}
		if (orlib_cost(ln.tok[2], ln.len[2], &c)) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA, "pmed line %zu: invalid cost '%s'",
			             lineno, orlib_show(ln.tok[2], ln.len[2], show, sizeof show));
			goto fail;
		}
		done++;
		if (a == b)
			continue;
		d[(a - 1) * n + (b - 1)] = c;
		d[(b - 1) * n + (a - 1)] = c;
	}
	if (!header) {
		rc = err_set(e, ERR_INVALID_PLAN_DATA,
		             "pmed line %zu: missing the header 'n edges p'", lineno + 1);
		goto fail;
	}
	if (done < edges) {
		rc = err_set(e, ERR_INVALID_PLAN_DATA,
		             "pmed line %zu: the file ends after %zu of the %zu edges", lineno + 1,
		             done, edges);
		goto fail;
	}
	if (orlib_shortest_paths(d, n)) {
		rc = err_set(e, ERR_NO_MEMORY, "out of memory for the pmed shortest paths");
		goto fail;
	}
	for (size_t k = 0; k < n; k++) {
		snprintf(out->demand[k].id, sizeof out->demand[k].id, "%zu", k + 1);
		memcpy(out->sites[k].id, out->demand[k].id, sizeof out->sites[k].id);
		out->demand[k].weight = 1;
	}
	return ERR_OK;
fail:
	plan_instance_release(out);
	*p = 0;
	return rc;
}
