/*
 * pcenter: p-center by bisection over the candidate radii, each probe a
 * set-covering decision answered by a weighted swap local search (see
 * pcenter.h for the method and its sources).
 *
 * The search works on a compact copy of the instance: the demand points of
 * positive weight that some site can reach, their distances (INFINITY for an
 * unreachable pair) and, for each point, the sites sorted by distance, so
 * that the sites covering a point within r are a prefix of its list.
 */
#include "plan/pcenter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Steps a site just closed may not be reopened, and a site just opened closed. */
#define PC_TABU_IN  2
#define PC_TABU_OUT 1
/* The stop predicate is asked every this many steps. */
#define PC_STOP_EVERY 256

struct pc_problem {
	size_t n, m;
	double *d;       /* n x m, INFINITY when unreachable */
	uint32_t *order; /* n x m: sites by increasing distance */
	bool *fixed;     /* m */
};

/* Coverage within one radius. */
struct pc_cover {
	uint32_t *cnt; /* n: the sites within r are order[u][0 .. cnt[u]) */
	size_t *start; /* m + 1: points covered by site j are pts[start[j] .. start[j+1]) */
	uint32_t *pts;
	size_t cap;     /* room in pts */
	size_t *cursor; /* m scratch */
};

/* The state of the covering search. */
struct pc_search {
	size_t p;
	uint32_t *open;    /* p */
	int32_t *pos;      /* m: slot of an open site, -1 when closed */
	uint32_t *cov;     /* n: open sites covering the point */
	uint64_t *sumidx;  /* n: sum of their indices (the one site when cov == 1) */
	uint64_t *wt;      /* n: point weights of the search */
	int64_t *loss;     /* m: weight covered by this open site alone */
	uint32_t *unc;     /* n: uncovered points */
	uint32_t *unc_pos; /* n: index in unc */
	size_t n_unc;
	uint64_t *tabu_in;  /* m: step until which the site may not open */
	uint64_t *tabu_out; /* m: step until which the site may not close */
	int64_t *dec;       /* m scratch */
	uint32_t *touched;  /* m scratch */
};

static double pc_dist(const struct plan_instance *in, size_t i, size_t j)
{
	if (in->dist)
		return in->dist[i * in->n_sites + j];
	return plan_instance_dist(in, i, j);
}

static void pc_problem_release(struct pc_problem *pb)
{
	free(pb->d);
	free(pb->order);
	free(pb->fixed);
	memset(pb, 0, sizeof *pb);
}

static enum err_code pc_problem_build(const struct plan_instance *in, struct pc_problem *pb,
                                      struct err *e)
{
	memset(pb, 0, sizeof *pb);
	size_t m = in->n_sites, rows = 0;
	for (size_t i = 0; i < in->n_demand; i++)
		if (in->demand[i].weight > 0)
			rows++;
	pb->m = m;
	pb->d = malloc((rows ? rows : 1) * m * sizeof *pb->d);
	pb->fixed = calloc(m, sizeof *pb->fixed);
	if (!pb->d || !pb->fixed)
		goto nomem;
	size_t n = 0;
	for (size_t i = 0; i < in->n_demand; i++) {
		if (!(in->demand[i].weight > 0))
			continue;
		double *row = pb->d + n * m;
		bool reach = false;
		for (size_t j = 0; j < m; j++) {
			double d = pc_dist(in, i, j);
			if (isnan(d) || d < 0) {
				pc_problem_release(pb);
				return err_set(e, ERR_INVALID_ARGUMENT,
				               "invalid distance from '%s' to '%s'",
				               in->demand[i].id, in->sites[j].id);
			}
			if (d < PLAN_UNREACHABLE) {
				row[j] = d;
				reach = true;
			} else {
				row[j] = INFINITY;
			}
		}
		if (reach)
			n++;
	}
	pb->n = n;
	pb->order = malloc((n ? n : 1) * m * sizeof *pb->order);
	if (!pb->order || pmedian_sort_rows(pb->d, n, m, pb->order, NULL))
		goto nomem;
	return ERR_OK;
nomem:
	pc_problem_release(pb);
	return err_set(e, ERR_NO_MEMORY, "out of memory for the p-center search");
}

static void pc_cover_release(struct pc_cover *cv)
{
	free(cv->cnt);
	free(cv->start);
	free(cv->pts);
	free(cv->cursor);
	memset(cv, 0, sizeof *cv);
}

/* Builds the coverage lists for radius r. Returns 0 or -1 (no memory). */
static int pc_cover_build(const struct pc_problem *pb, struct pc_cover *cv, double r)
{
	size_t n = pb->n, m = pb->m, total = 0;
	for (size_t u = 0; u < n; u++) {
		const uint32_t *ord = pb->order + u * m;
		const double *row = pb->d + u * m;
		size_t lo = 0, hi = m; /* first t with d > r */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (row[ord[mid]] <= r)
				lo = mid + 1;
			else
				hi = mid;
		}
		cv->cnt[u] = (uint32_t)lo;
		total += lo;
	}
	if (total > cv->cap) {
		uint32_t *q = realloc(cv->pts, total * sizeof *q);
		if (!q)
			return -1;
		cv->pts = q;
		cv->cap = total;
	}
	memset(cv->start, 0, (m + 1) * sizeof *cv->start);
	for (size_t u = 0; u < n; u++)
		for (size_t t = 0; t < cv->cnt[u]; t++)
			cv->start[pb->order[u * m + t] + 1]++;
	for (size_t j = 0; j < m; j++)
		cv->start[j + 1] += cv->start[j];
	memcpy(cv->cursor, cv->start, m * sizeof *cv->cursor);
	for (size_t u = 0; u < n; u++)
		for (size_t t = 0; t < cv->cnt[u]; t++)
			cv->pts[cv->cursor[pb->order[u * m + t]]++] = (uint32_t)u;
	return 0;
}

static void pc_search_release(struct pc_search *s)
{
	free(s->open);
	free(s->pos);
	free(s->cov);
	free(s->sumidx);
	free(s->wt);
	free(s->loss);
	free(s->unc);
	free(s->unc_pos);
	free(s->tabu_in);
	free(s->tabu_out);
	free(s->dec);
	free(s->touched);
	memset(s, 0, sizeof *s);
}

static int pc_search_init(struct pc_search *s, size_t n, size_t m, size_t p)
{
	memset(s, 0, sizeof *s);
	n = n ? n : 1;
	s->p = p;
	s->open = malloc(p * sizeof *s->open);
	s->pos = malloc(m * sizeof *s->pos);
	s->cov = malloc(n * sizeof *s->cov);
	s->sumidx = malloc(n * sizeof *s->sumidx);
	s->wt = malloc(n * sizeof *s->wt);
	s->loss = malloc(m * sizeof *s->loss);
	s->unc = malloc(n * sizeof *s->unc);
	s->unc_pos = malloc(n * sizeof *s->unc_pos);
	s->tabu_in = malloc(m * sizeof *s->tabu_in);
	s->tabu_out = malloc(m * sizeof *s->tabu_out);
	s->dec = calloc(m, sizeof *s->dec);
	s->touched = malloc(m * sizeof *s->touched);
	if (!s->open || !s->pos || !s->cov || !s->sumidx || !s->wt || !s->loss || !s->unc ||
	    !s->unc_pos || !s->tabu_in || !s->tabu_out || !s->dec || !s->touched) {
		pc_search_release(s);
		return -1;
	}
	return 0;
}

static void pc_unc_remove(struct pc_search *s, uint32_t v)
{
	uint32_t k = s->unc_pos[v], last = s->unc[--s->n_unc];
	s->unc[k] = last;
	s->unc_pos[last] = k;
}

static void pc_unc_add(struct pc_search *s, uint32_t v)
{
	s->unc_pos[v] = (uint32_t)s->n_unc;
	s->unc[s->n_unc++] = v;
}

static void pc_open(struct pc_search *s, const struct pc_cover *cv, uint32_t j, size_t slot)
{
	s->open[slot] = j;
	s->pos[j] = (int32_t)slot;
	for (size_t k = cv->start[j]; k < cv->start[j + 1]; k++) {
		uint32_t v = cv->pts[k];
		s->sumidx[v] += j;
		uint32_t c = ++s->cov[v];
		if (c == 1) {
			s->loss[j] += (int64_t)s->wt[v];
			pc_unc_remove(s, v);
		} else if (c == 2) {
			s->loss[s->sumidx[v] - j] -= (int64_t)s->wt[v];
		}
	}
}

static void pc_close(struct pc_search *s, const struct pc_cover *cv, uint32_t j)
{
	s->pos[j] = -1;
	for (size_t k = cv->start[j]; k < cv->start[j + 1]; k++) {
		uint32_t v = cv->pts[k];
		s->sumidx[v] -= j;
		uint32_t c = --s->cov[v];
		if (c == 0)
			pc_unc_add(s, v);
		else if (c == 1)
			s->loss[s->sumidx[v]] += (int64_t)s->wt[v];
	}
	s->loss[j] = 0;
}

/*
 * Decides radius r from the start sites init[0..p): true when the search
 * covers every point within maxsteps swaps (s->open then holds the sites).
 * Adds the swaps done to *steps; sets *stopped when the budget says stop.
 */
static bool pc_decide(const struct pc_problem *pb, const struct pc_cover *cv, struct pc_search *s,
                      const uint32_t *init, struct plan_rng *rng, const struct plan_budget *budget,
                      uint64_t maxsteps, uint64_t *steps, bool *stopped)
{
	size_t n = pb->n, m = pb->m, p = s->p;
	for (size_t j = 0; j < m; j++) {
		s->pos[j] = -1;
		s->loss[j] = 0;
		s->tabu_in[j] = 0;
		s->tabu_out[j] = 0;
	}
	s->n_unc = 0;
	for (size_t u = 0; u < n; u++) {
		s->cov[u] = 0;
		s->sumidx[u] = 0;
		s->wt[u] = 1;
		pc_unc_add(s, (uint32_t)u);
	}
	for (size_t q = 0; q < p; q++)
		pc_open(s, cv, init[q], q);
	for (uint64_t step = 1; s->n_unc > 0; step++) {
		if (step > maxsteps)
			return false;
		if (step % PC_STOP_EVERY == 1 && plan_budget_stop(budget)) {
			*stopped = true;
			return false;
		}
		(*steps)++;
		uint32_t u = s->unc[plan_rng_below(rng, s->n_unc)];
		const uint32_t *ord = pb->order + (size_t)u * m;
		int64_t best = INT64_MAX;
		uint32_t bi = 0, br = 0, ties = 0;
		for (uint32_t t = 0; t < cv->cnt[u]; t++) {
			uint32_t i = ord[t];
			if (s->tabu_in[i] >= step)
				continue;
			int64_t g = 0;
			size_t nt = 0;
			for (size_t k = cv->start[i]; k < cv->start[i + 1]; k++) {
				uint32_t v = cv->pts[k];
				if (s->cov[v] == 0) {
					g += (int64_t)s->wt[v];
				} else if (s->cov[v] == 1) {
					uint32_t o = (uint32_t)s->sumidx[v];
					if (s->dec[o] == 0)
						s->touched[nt++] = o;
					s->dec[o] += (int64_t)s->wt[v];
				}
			}
			for (size_t q = 0; q < p; q++) {
				uint32_t r = s->open[q];
				if (pb->fixed[r] || s->tabu_out[r] >= step)
					continue;
				int64_t score = s->loss[r] - s->dec[r] - g;
				if (score < best) {
					best = score;
					bi = i;
					br = r;
					ties = 1;
				} else if (score == best && plan_rng_below(rng, ++ties) == 0) {
					bi = i;
					br = r;
				}
			}
			for (size_t k = 0; k < nt; k++)
				s->dec[s->touched[k]] = 0;
		}
		if (ties == 0) {
			/* Every move is tabu: a random one that covers u. */
			bi = ord[plan_rng_below(rng, cv->cnt[u])];
			size_t nf = 0;
			for (size_t q = 0; q < p; q++)
				if (!pb->fixed[s->open[q]])
					nf++;
			size_t pick = plan_rng_below(rng, nf);
			for (size_t q = 0; q < p; q++) {
				if (pb->fixed[s->open[q]])
					continue;
				if (pick-- == 0) {
					br = s->open[q];
					break;
				}
			}
		}
		size_t slot = (size_t)s->pos[br];
		pc_close(s, cv, br);
		pc_open(s, cv, bi, slot);
		s->tabu_in[br] = step + PC_TABU_IN;
		s->tabu_out[bi] = step + PC_TABU_OUT;
		for (size_t k = 0; k < s->n_unc; k++)
			s->wt[s->unc[k]]++;
	}
	return true;
}

/* The largest distance from a point to its nearest site of sites[0..p). */
static double pc_value(const struct pc_problem *pb, const uint32_t *sites, size_t p, int32_t *mark)
{
	size_t m = pb->m;
	for (size_t q = 0; q < p; q++)
		mark[sites[q]] = 1;
	double worst = 0;
	for (size_t u = 0; u < pb->n; u++) {
		const uint32_t *ord = pb->order + u * m;
		for (size_t t = 0; t < m; t++) {
			if (mark[ord[t]]) {
				double d = pb->d[u * m + ord[t]];
				if (d > worst)
					worst = d;
				break;
			}
		}
	}
	for (size_t q = 0; q < p; q++)
		mark[sites[q]] = 0;
	return worst;
}

/*
 * Greedy start: the fixed sites (or else the best single centre), then
 * repeatedly the site nearest to the point farthest from the open ones.
 */
static void pc_greedy(const struct pc_problem *pb, const size_t *fixed, size_t n_fixed, size_t p,
                      uint32_t *sites, double *d1, int32_t *mark)
{
	size_t n = pb->n, m = pb->m, count = 0;
	for (size_t u = 0; u < n; u++)
		d1[u] = INFINITY;
	while (count < p) {
		uint32_t pick = 0;
		if (count < n_fixed) {
			pick = (uint32_t)fixed[count];
		} else if (count == 0) {
			double best = INFINITY;
			for (size_t j = 0; j < m; j++) {
				double worst = 0;
				for (size_t u = 0; u < n && worst <= best; u++)
					if (pb->d[u * m + j] > worst)
						worst = pb->d[u * m + j];
				if (worst < best) {
					best = worst;
					pick = (uint32_t)j;
				}
			}
		} else {
			size_t far = SIZE_MAX;
			double worst = 0;
			for (size_t u = 0; u < n; u++) {
				if (d1[u] > worst) {
					worst = d1[u];
					far = u;
				}
			}
			bool found = false;
			if (far != SIZE_MAX) {
				const uint32_t *ord = pb->order + far * m;
				for (size_t t = 0; t < m && !found; t++) {
					if (!mark[ord[t]]) {
						pick = ord[t];
						found = true;
					}
				}
			}
			for (size_t j = 0; j < m && !found; j++) {
				if (!mark[j]) {
					pick = (uint32_t)j;
					found = true;
				}
			}
		}
		sites[count++] = pick;
		mark[pick] = 1;
		for (size_t u = 0; u < n; u++) {
			double d = pb->d[u * m + pick];
			if (d < d1[u])
				d1[u] = d;
		}
	}
	for (size_t q = 0; q < p; q++)
		mark[sites[q]] = 0;
}

/*
 * The sorted distinct distances d of the problem with lo <= d < hi
 * (malloc'ed into *out). Returns the count, or SIZE_MAX when out of memory.
 */
static size_t pc_radii(const struct pc_problem *pb, double lo, double hi, double **out)
{
	size_t n = pb->n, m = pb->m, k = 0;
	for (size_t x = 0; x < n * m; x++)
		if (pb->d[x] >= lo && pb->d[x] < hi)
			k++;
	double *r = malloc((k ? k : 1) * sizeof *r);
	uint32_t *ord = malloc((k ? k : 1) * sizeof *ord);
	double *sorted = malloc((k ? k : 1) * sizeof *sorted);
	size_t u = SIZE_MAX;
	if (!r || !ord || !sorted || k > UINT32_MAX)
		goto out;
	k = 0;
	for (size_t x = 0; x < n * m; x++)
		if (pb->d[x] >= lo && pb->d[x] < hi)
			r[k++] = pb->d[x];
	if (pmedian_sort_rows(r, 1, k, ord, NULL))
		goto out;
	u = 0;
	for (size_t x = 0; x < k; x++)
		if (u == 0 || r[ord[x]] != sorted[u - 1])
			sorted[u++] = r[ord[x]];
	*out = sorted;
	sorted = NULL;
out:
	free(r);
	free(ord);
	free(sorted);
	return u;
}

enum err_code pcenter_solve(const struct plan_instance *in, const struct pmedian_opts *opts,
                            const struct plan_budget *budget, struct pmedian_result *out,
                            struct err *e)
{
	memset(out, 0, sizeof *out);
	enum err_code rc = pmedian_check(in, opts, e);
	if (rc)
		return rc;
	struct pc_problem pb;
	if ((rc = pc_problem_build(in, &pb, e)))
		return rc;
	size_t p = opts->p, n = pb.n, m = pb.m;
	for (size_t f = 0; f < opts->n_fixed; f++)
		pb.fixed[opts->fixed[f]] = true;
	struct pc_cover cv = {0};
	struct pc_search s = {0};
	uint32_t *best = calloc(p, sizeof *best);
	double *d1 = malloc((n ? n : 1) * sizeof *d1);
	int32_t *mark = calloc(m, sizeof *mark);
	double *radii = NULL;
	size_t *sel = NULL;
	uint64_t steps = 0;
	bool stopped = false;
	if (!best || !d1 || !mark)
		goto nomem;
	pc_greedy(&pb, opts->fixed, opts->n_fixed, p, best, d1, mark);
	double ub = pc_value(&pb, best, p, mark), lb = 0;
	for (size_t u = 0; u < n; u++) {
		double d = pb.d[u * m + pb.order[u * m]];
		if (d > lb)
			lb = d;
	}
	if (n > 0 && p > opts->n_fixed && p < m && ub > lb) {
		size_t nr = pc_radii(&pb, lb, ub, &radii);
		if (nr == SIZE_MAX)
			goto nomem;
		cv.cnt = malloc(n * sizeof *cv.cnt);
		cv.start = malloc((m + 1) * sizeof *cv.start);
		cv.cursor = malloc(m * sizeof *cv.cursor);
		if (!cv.cnt || !cv.start || !cv.cursor || pc_search_init(&s, n, m, p))
			goto nomem;
		uint64_t maxsteps = budget && budget->iterations ? budget->iterations
		                                                 : PCENTER_DEFAULT_ITERATIONS;
		struct plan_rng rng;
		plan_rng_seed(&rng, budget ? budget->seed : 0);
		size_t lo = 0, hi = nr; /* radii[hi] (or ub when hi == nr) is covered */
		while (lo < hi && !stopped) {
			size_t mid = lo + (hi - lo) / 2;
			if (pc_cover_build(&pb, &cv, radii[mid]))
				goto nomem;
			if (!pc_decide(&pb, &cv, &s, best, &rng, budget, maxsteps, &steps,
			               &stopped)) {
				lo = mid + 1;
				continue;
			}
			memcpy(best, s.open, p * sizeof *best);
			double v = pc_value(&pb, best, p, mark);
			size_t a = 0, b = mid; /* first radius >= v */
			while (a < b) {
				size_t c = a + (b - a) / 2;
				if (radii[c] < v)
					a = c + 1;
				else
					b = c;
			}
			hi = a;
		}
	}
	sel = malloc(p * sizeof *sel);
	if (!sel)
		goto nomem;
	for (size_t q = 0; q < p; q++)
		sel[q] = best[q];
	rc = pmedian_evaluate(in, sel, p, out, e);
	if (rc == ERR_OK) {
		out->objective = out->max_distance;
		out->iterations = steps;
		out->stopped = stopped;
	}
	goto done;
nomem:
	rc = err_set(e, ERR_NO_MEMORY, "out of memory for the p-center search");
done:
	free(sel);
	free(radii);
	free(best);
	free(d1);
	free(mark);
	pc_cover_release(&cv);
	pc_search_release(&s);
	pc_problem_release(&pb);
	return rc;
}
