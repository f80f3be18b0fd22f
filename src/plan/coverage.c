/*
 * coverage: nearest open site of every demand point, covered shares and
 * the worst-served places.
 *
 * The nearest site is found by scanning the open sites (n_demand x n_open
 * distances: 13,000 x 1,000 haversines take a fraction of a second); the
 * travel time follows from the nearest distance, since speed and circuity
 * depend only on the demand point's zone.
 */
#include "plan/coverage.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void coverage_report_release(struct coverage_report *r)
{
	if (!r)
		return;
	free(r->points);
	free(r->worst);
	memset(r, 0, sizeof *r);
}

/* true when demand a is worse served than b */
static bool worse(const struct plan_instance *in, const struct coverage_point *pt, size_t a,
                  size_t b)
{
	if (pt[a].distance != pt[b].distance)
		return pt[a].distance > pt[b].distance;
	if (in->demand[a].weight != in->demand[b].weight)
		return in->demand[a].weight > in->demand[b].weight;
	return a < b;
}

/* Keeps the k worst in w[0..*n) sorted worst first (insertion into a short list). */
static void keep_worst(const struct plan_instance *in, const struct coverage_point *pt, size_t *w,
                       size_t *n, size_t k, size_t i)
{
	if (k == 0)
		return;
	if (*n == k && !worse(in, pt, i, w[k - 1]))
		return;
	size_t m = *n < k ? (*n)++ : k - 1;
	while (m > 0 && worse(in, pt, i, w[m - 1])) {
		w[m] = w[m - 1];
		m--;
	}
	w[m] = i;
}

enum err_code coverage_analyse(const struct plan_instance *in, const size_t *open, size_t n_open,
                               const struct coverage_params *prm, struct coverage_report *r,
                               struct err *e)
{
	memset(r, 0, sizeof *r);
	bool use_r = prm->radius >= 0, use_t = prm->minutes >= 0;
	if (isnan(prm->radius) || isnan(prm->minutes) || !isfinite(prm->radius) ||
	    !isfinite(prm->minutes))
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "radius and minutes must be finite numbers");
	if (!use_r && !use_t)
		return err_set(e, ERR_INVALID_ARGUMENT, "give a radius or a number of minutes");
	bool geo = in->coords != PLAN_COORDS_MATRIX;
	if (use_t && !geo)
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "minutes need coordinates; with a matrix of minutes use the radius");
	if (use_t && !geo_travel_valid(&prm->travel))
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "travel parameters: circuity must be >= 1 and speeds > 0");
	for (size_t k = 0; k < n_open; k++)
		if (open[k] >= in->n_sites)
			return err_set(e, ERR_INVALID_ARGUMENT, "open site index %zu out of range",
			               open[k]);
	size_t nd = in->n_demand;
	r->n_points = nd;
	r->points = malloc((nd ? nd : 1) * sizeof *r->points);
	size_t k = prm->top_k < nd ? prm->top_k : nd;
	r->worst = malloc((k ? k : 1) * sizeof *r->worst);
	if (!r->points || !r->worst) {
		coverage_report_release(r);
		return err_set(e, ERR_NO_MEMORY, "coverage of %zu points", nd);
	}
	double wsum_reach = 0, wdist = 0;
	r->max_minutes = use_t ? 0 : -1;
	for (size_t i = 0; i < nd; i++) {
		struct coverage_point *pt = &r->points[i];
		double best = PLAN_UNREACHABLE;
		size_t bj = SIZE_MAX;
		for (size_t q = 0; q < n_open; q++) {
			double d = plan_instance_dist(in, i, open[q]);
			if (d < best || (d == best && bj != SIZE_MAX && open[q] < bj)) {
				best = d;
				bj = open[q];
			}
		}
		if (best >= PLAN_UNREACHABLE)
			bj = SIZE_MAX;
		double w = in->demand[i].weight;
		pt->nearest = bj;
		pt->distance = bj == SIZE_MAX ? PLAN_UNREACHABLE : best;
		pt->minutes = -1;
		bool in_r = false, in_t = false;
		if (bj == SIZE_MAX) {
			r->n_unreachable++;
			r->unreachable_weight += w;
		} else {
			in_r = use_r && best <= prm->radius;
			if (geo && use_t) {
				pt->minutes = geo_travel_minutes(&prm->travel, best,
				                                 (enum geo_zone)in->demand[i].zone);
				in_t = pt->minutes <= prm->minutes;
			}
			wsum_reach += w;
			wdist += w * best;
			if (w > 0) {
				if (best > r->max_distance)
					r->max_distance = best;
				if (pt->minutes > r->max_minutes)
					r->max_minutes = pt->minutes;
			}
		}
		pt->covered = in_r || in_t;
		r->total_weight += w;
		if (pt->covered)
			r->covered_weight += w;
		if (in_r)
			r->radius_weight += w;
		if (in_t)
			r->minutes_weight += w;
		if (w > 0)
			keep_worst(in, r->points, r->worst, &r->n_worst, k, i);
	}
	r->covered_share = r->total_weight > 0 ? r->covered_weight / r->total_weight : 0;
	r->mean_distance = wsum_reach > 0 ? wdist / wsum_reach : 0;
	return ERR_OK;
}
