/*
 * coverage: how well a set of open sites serves the demand.
 *
 * For every demand point, the nearest open site, the distance to it and
 * (for geometric instances) the travel time from the point's zone; whether
 * it is covered, that is within the radius R or within T minutes (the
 * promise "5 km or 30 minutes"); in total, the covered share of the
 * weight (population), the weighted mean and the largest distance, and
 * the worst-served places. Per-commune sums are left to the caller, which
 * knows which commune each point lies in.
 */
#ifndef MOTCUA_PLAN_COVERAGE_H
#define MOTCUA_PLAN_COVERAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "plan/geo.h"
#include "plan/instance.h"

struct coverage_params {
	double radius;            /* in the instance's unit; < 0: not a criterion */
	double minutes;           /* < 0: not a criterion; needs coordinates */
	struct geo_travel travel; /* used for the minutes (geo_travel_default() if unsure) */
	size_t top_k;             /* worst-served places to list (0: none) */
};

struct coverage_point {
	size_t nearest;  /* site index of the nearest open site; SIZE_MAX when none is reachable */
	double distance; /* to it; PLAN_UNREACHABLE when none */
	double minutes;  /* travel time to it; -1 when not computed (matrix) or unreachable */
	bool covered;    /* within the radius or within the minutes (either criterion given) */
};

struct coverage_report {
	size_t n_points;               /* = in->n_demand */
	struct coverage_point *points; /* per demand point (malloc'ed) */
	double total_weight;
	double covered_weight; /* by either criterion */
	double covered_share;  /* covered / total; 0 when total is 0 */
	double radius_weight;  /* within the radius (0 when not a criterion) */
	double minutes_weight; /* within the minutes (0 when not a criterion) */
	double mean_distance;  /* weighted, over reachable points; 0 when none */
	double max_distance;   /* over reachable points of positive weight; 0 when none */
	double max_minutes;    /* same for travel time; -1 when not computed */
	size_t n_unreachable;  /* points no open site reaches (matrix) */
	double unreachable_weight;
	size_t n_worst;
	size_t *worst; /* demand indices, farthest first (malloc'ed) */
};

/*
 * Analyses the open sites open[0..n_open) (site indices; repeats allowed).
 * Returns ERR_OK, ERR_INVALID_ARGUMENT (site index out of range, no
 * criterion, minutes on a matrix instance, invalid travel parameters) or
 * ERR_NO_MEMORY. With no open site every point is unreachable. The worst
 * list ranks unreachable points first, then by distance (farthest first),
 * then by weight (largest first), then by index, among points of positive
 * weight. Release *r with coverage_report_release().
 */
enum err_code coverage_analyse(const struct plan_instance *in, const size_t *open, size_t n_open,
                               const struct coverage_params *prm, struct coverage_report *r,
                               struct err *e);

/* Frees the report's arrays. */
void coverage_report_release(struct coverage_report *r);

#endif
