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

#define PLAN_ID_MAX      64
#define PLAN_UNREACHABLE 1e300 /* distance of a pair not in the matrix */

enum plan_coords {
	PLAN_COORDS_METRES, /* x, y in metres (projected); Euclidean distance in metres */
	PLAN_COORDS_LATLON, /* x = latitude, y = longitude in degrees; haversine in metres */
	PLAN_COORDS_MATRIX, /* no geometry: distances from the matrix */
};

struct plan_point {
	char id[PLAN_ID_MAX]; /* kept as given */
	double x, y;          /* see enum plan_coords */
	double weight;        /* demand points only; >= 0 */
	int zone;             /* demand only: enum geo_zone (geo.h), 0 = urban */
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

/* Limits of the CSV parsers (refused beyond them with ERR_OUT_OF_RANGE). */
#define PLAN_MAX_POINTS       2000000u  /* demand points or sites per file */
#define PLAN_MAX_MATRIX_CELLS 64000000u /* n_demand x n_sites of a dense matrix */

/*
 * Prepares *in with coords and room for n_demand demand points and n_sites
 * sites (all fields zero: ids "", weight 0, zone urban). For
 * PLAN_COORDS_MATRIX, in->dist is allocated too and filled with
 * PLAN_UNREACHABLE. For readers that build an instance themselves (e.g. an
 * OR-Library file). Returns ERR_OK, ERR_OUT_OF_RANGE (too large) or
 * ERR_NO_MEMORY; on failure *in is left empty (safe to release).
 */
enum err_code plan_instance_alloc(struct plan_instance *in, enum plan_coords coords,
                                  size_t n_demand, size_t n_sites, struct err *e);

/*
 * Builds an instance from CSV text handed in by the caller (no file I/O):
 *   demand: header id,x,y,weight (metres) or id,lat,lon,weight (degrees);
 *           columns found by name in any order; an optional column `zone`
 *           (urban|suburban|rural); other columns are ignored. With a matrix,
 *           the coordinate columns may be left out (header id,weight).
 *   sites:  NULL for "every demand point is a candidate", else header id,x,y
 *           or id,lat,lon (the same kind as the demand file); with a matrix,
 *           header id alone is enough.
 *   matrix: NULL for geometry, else header demand_id,site_id,distance; pairs
 *           not listed are unreachable; coords becomes PLAN_COORDS_MATRIX.
 * Texts are NUL-terminated; RFC 4180 quoting, CRLF and a UTF-8 BOM are
 * accepted; ids are kept as given (not trimmed), 1..PLAN_ID_MAX-1 bytes.
 * Refused with ERR_INVALID_PLAN_DATA and a message naming the file ("demand",
 * "sites", "matrix"), line and column: empty file, missing column, field
 * count, non-numeric value, NaN/inf, negative weight or distance, latitude
 * outside [-90, 90] or longitude outside [-180, 180], duplicate id, unknown
 * id in the matrix, a pair listed twice, mixed coordinate kinds. On failure
 * *in is left empty. The caller releases *in with plan_instance_release().
 */
enum err_code plan_instance_parse(struct plan_instance *in, const char *demand_csv,
                                  const char *sites_csv, const char *matrix_csv, struct err *e);

/*
 * Looks an id up among the sites (or demand points). Returns the index, or
 * SIZE_MAX when absent. Linear scan: for occasional use (CLI arguments).
 */
size_t plan_instance_find_site(const struct plan_instance *in, const char *id);
size_t plan_instance_find_demand(const struct plan_instance *in, const char *id);

/*
 * Parses a list of site ids, one per line (CSV with header `id` or bare ids;
 * blank lines skipped), into site indices (malloc'ed *out, *n_out entries,
 * caller frees). Unknown or repeated ids are refused with
 * ERR_INVALID_PLAN_DATA naming the line. Used for --fixed FILE.
 */
enum err_code plan_instance_parse_site_list(const struct plan_instance *in, const char *text,
                                            size_t **out, size_t *n_out, struct err *e);

/*
 * Computes the dense matrix in->dist from the geometry (for solvers that read
 * every distance many times, e.g. p-median). No-op when in->dist exists.
 * Returns ERR_OK, ERR_OUT_OF_RANGE (more than PLAN_MAX_MATRIX_CELLS) or
 * ERR_NO_MEMORY. in->coords keeps its value.
 */
enum err_code plan_instance_precompute(struct plan_instance *in, struct err *e);

/* Sum of the demand weights. */
double plan_instance_total_weight(const struct plan_instance *in);

/*
 * Sparse coverage lists (CSR) for a coverage radius: demand point i is
 * covered by site j when plan_instance_dist(in, i, j) <= radius of i.
 *   sites covering demand i:  d_sites[d_start[i] .. d_start[i+1])   (ascending)
 *   demand covered by site j: s_demand[s_start[j] .. s_start[j+1])  (ascending)
 * Built with a grid (bucket) index over the sites for geometry, a scan of
 * the matrix otherwise.
 */
struct plan_cover {
	size_t n_demand, n_sites;
	size_t n_pairs;     /* entries in each direction */
	size_t *d_start;    /* n_demand + 1 */
	uint32_t *d_sites;  /* n_pairs */
	size_t *s_start;    /* n_sites + 1 */
	uint32_t *s_demand; /* n_pairs */
};

/* Limit of pairs in coverage lists (refused with ERR_OUT_OF_RANGE beyond). */
#define PLAN_COVER_MAX_PAIRS 200000000u

/*
 * Builds *c for one radius (same unit as the distances; >= 0, finite).
 * Returns ERR_OK, ERR_INVALID_ARGUMENT, ERR_OUT_OF_RANGE or ERR_NO_MEMORY.
 * Release with plan_cover_release().
 */
enum err_code plan_cover_build(struct plan_cover *c, const struct plan_instance *in, double radius,
                               struct err *e);

/*
 * Same with one radius per demand point (radius[i] for demand point i, e.g.
 * the distance reachable in T minutes at that point's speed; a negative
 * radius means "never covered").
 */
enum err_code plan_cover_build_radii(struct plan_cover *c, const struct plan_instance *in,
                                     const double *radius, struct err *e);

/* Frees the lists; the struct itself is not freed. */
void plan_cover_release(struct plan_cover *c);

#endif
