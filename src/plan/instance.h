/*
 * instance: a facility-location instance for the planning solvers.
 *
 * Demand points (id, position, weight = population or dossiers) and candidate
 * sites (id, position), with the distance between demand point i and site j
 * given by geometry (haversine on latitude/longitude, Euclidean on metres)
 * or by an explicit matrix. Solvers read distances only through
 * plan_instance_dist() and the coverage lists, never the geometry directly.
 *
 * This header is the contract between the planning modules; the owner of
 * instance.c may add functions, but the fields and functions below keep
 * their meaning.
 */
#ifndef MOTCUA_PLAN_INSTANCE_H
#define MOTCUA_PLAN_INSTANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define PLAN_ID_MAX 64
#define PLAN_UNREACHABLE 1e300 /* distance of a pair not in the matrix */

enum plan_coords {
	PLAN_COORDS_METRES,  /* x, y in metres (projected); Euclidean distance in metres */
	PLAN_COORDS_LATLON,  /* x = latitude, y = longitude in degrees; haversine in metres */
	PLAN_COORDS_MATRIX,  /* no geometry: distances from the matrix */
};

struct plan_point {
	char id[PLAN_ID_MAX]; /* kept as given */
	double x, y;          /* see enum plan_coords */
	double weight;        /* demand points only; >= 0 */
};

struct plan_instance {
	enum plan_coords coords;
	size_t n_demand;
	struct plan_point *demand;
	size_t n_sites;
	struct plan_point *sites;
	/*
	 * Dense distance matrix, n_demand x n_sites, row-major, in the instance's
	 * unit (metres, or the matrix's own unit such as minutes); NULL when the
	 * distances are computed from the geometry on demand.
	 */
	double *dist;
};

/* Distance from demand point i to site j (PLAN_UNREACHABLE when unreachable). */
double plan_instance_dist(const struct plan_instance *in, size_t i, size_t j);

/* Frees everything the instance owns; the struct itself is not freed. */
void plan_instance_release(struct plan_instance *in);

#endif
