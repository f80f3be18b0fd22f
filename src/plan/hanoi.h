/*
 * hanoi: the Hanoi planning model behind `motcua plan hanoi`.
 *
 * A demand grid built from the 2019 census by former district over the 126
 * communes of 2025, candidate sites (today's service points and branches,
 * the commune centroids, a 2 km grid), and a report: how well today's points
 * keep the promise "a service point within R km or T minutes", the fewest
 * points that keep it by distance (LSCP), the best p points (MCLP), and the
 * same by travel time.
 *
 * The grid recipe (docs/planning.md, "Hanoi model"):
 *   1. project latitude/longitude to metres with an equirectangular
 *      projection about HANOI_LAT0 (x = R dlon cos lat0, y = R dlat);
 *   2. lay square cells of cell_m metres, aligned on the origin
 *      (HANOI_LAT0, HANOI_LON0); keep a cell when its centre falls inside a
 *      commune polygon (even-odd rule over the polygon's rings; the first
 *      commune of the file wins on a shared edge);
 *   3. give each cell the former district whose seat is nearest
 *      (great-circle distance; ties to the earlier district of the file),
 *      an approximation since district boundaries are not bundled;
 *   4. spread each district's census population equally over its cells
 *      (the cells have equal area) with the largest-remainder method, the
 *      extra persons going to the cells nearest the district's seat, so
 *      that every district total, and the grand total, are kept exactly.
 * A district that gets no cell is refused (it never happens at 500 m).
 *
 * Pure: texts in, structures or a JSON value out; no file I/O, no clock.
 */
#ifndef MOTCUA_PLAN_HANOI_H
#define MOTCUA_PLAN_HANOI_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/error.h"
#include "plan/coverage.h"
#include "plan/geo.h"
#include "plan/instance.h"

#define HANOI_LAT0          21.0 /* projection and grid origin (degrees) */
#define HANOI_LON0          105.8
#define HANOI_MAX_COMMUNES  1000u
#define HANOI_MAX_DISTRICTS 1000u
#define HANOI_MAX_CELLS     2000000u

struct hanoi_commune {
	char code[16];
	char name[128];
	int ward;          /* kind "ward" (1) or "commune" (0) */
	size_t ring_start; /* first ring in hanoi_grid.ring_start */
	size_t n_rings;
	double min_x, min_y, max_x, max_y; /* bounding box in projected metres */
	double area_km2;                   /* planar area of the polygon in the projection */
};

struct hanoi_district {
	char name[128];
	int urban;          /* kind urban_district (2), town (1), rural_district (0) */
	int64_t population; /* census 2019 */
	double seat_lat, seat_lon;
	size_t n_cells;
};

struct hanoi_cell {
	double lat, lon;    /* centre */
	uint32_t commune;   /* index into communes */
	uint32_t district;  /* index into districts */
	int64_t population; /* apportioned */
	enum geo_zone zone; /* see hanoi_grid_build */
};

struct hanoi_grid {
	double cell_m;
	size_t n_communes;
	struct hanoi_commune *communes;
	size_t n_districts;
	struct hanoi_district *districts;
	size_t n_cells;
	struct hanoi_cell *cells;
	/* polygon storage: ring r has vertices xy[2 * k] (x), xy[2 * k + 1] (y)
	   for k in ring_start[r] .. ring_start[r + 1] */
	size_t n_rings;
	size_t *ring_start;
	double *xy;
	double area_km2; /* sum of the commune areas */
	int64_t population;
};

/* Projects (lat, lon) in degrees to metres about (HANOI_LAT0, HANOI_LON0). */
void hanoi_project(double lat, double lon, double *x, double *y);

/* Inverse of hanoi_project. */
void hanoi_unproject(double x, double y, double *lat, double *lon);

/*
 * Largest-remainder apportionment: splits total >= 0 into out[0..n) in
 * proportion to shares[0..n) (each >= 0, finite, sum > 0). Each out[i] is
 * floor(quota) or floor(quota) + 1 and the outs add up to total exactly; the
 * extra units go to the largest remainders, ties to the lower index.
 * Returns ERR_OK or ERR_INVALID_ARGUMENT (n = 0, bad shares, total < 0).
 */
enum err_code hanoi_apportion(int64_t total, const double *shares, size_t n, int64_t *out,
                              struct err *e);

/*
 * Parses the commune polygons (GeoJSON FeatureCollection of Polygon features
 * with properties code, name_vi, kind) and the districts CSV (header
 * name_vi,kind,population_2019,area_km2,wards_2019,seat_lat,seat_lon,...)
 * and builds the grid of cell_m metres (100 <= cell_m <= 50000) by the recipe
 * above. Zones: a cell in a ward of an urban district is urban, in a ward
 * elsewhere suburban, in a commune rural. Returns ERR_OK,
 * ERR_INVALID_PLAN_DATA (malformed text, naming the file and what),
 * ERR_INVALID_ARGUMENT (cell size), ERR_OUT_OF_RANGE (too many cells) or
 * ERR_NO_MEMORY. Release *g with hanoi_grid_release().
 */
enum err_code hanoi_grid_build(struct hanoi_grid *g, const char *geojson, const char *districts_csv,
                               double cell_m, struct err *e);

/* Index of the commune whose polygon contains (lat, lon), or SIZE_MAX. */
size_t hanoi_grid_locate(const struct hanoi_grid *g, double lat, double lon);

/* Frees the grid's arrays. */
void hanoi_grid_release(struct hanoi_grid *g);

/* Where the candidate sites of hanoi_instance_build come from. */
struct hanoi_sites {
	size_t n_points;    /* units.csv kind point ("today's points"), first */
	size_t n_branches;  /* kind branch, next */
	size_t n_centroids; /* data/communes.csv centroids, next */
	size_t n_grid;      /* grid_m grid centres inside Hanoi, last */
};

/*
 * Builds a latitude/longitude instance: demand = the grid's cells (weight =
 * population, zone), sites = the units of units_csv of kind point then
 * branch that have coordinates (ids = their codes), the communes of
 * communes_csv (header code,name_vi,kind,lat,lon,...; ids "commune-CODE"),
 * and the centres of a grid_m grid inside Hanoi (ids "grid-ROW-COL").
 * Returns ERR_OK, ERR_INVALID_PLAN_DATA or ERR_NO_MEMORY; *in and *s are
 * filled on success (release *in with plan_instance_release()).
 */
enum err_code hanoi_instance_build(struct plan_instance *in, struct hanoi_sites *s,
                                   const struct hanoi_grid *g, const char *units_csv,
                                   const char *communes_csv, double grid_m, struct err *e);

struct hanoi_params {
	double radius_km;    /* > 0 */
	double minutes;      /* > 0 */
	size_t p;            /* >= 1 */
	uint64_t iterations; /* solver budget (0 = the solvers' defaults) */
	uint64_t seed;
	double cell_m; /* demand grid, e.g. 500 */
	double grid_m; /* candidate grid, e.g. 2000 */
	size_t worst;  /* worst-served communes listed */
	struct geo_travel travel;
};

/* The defaults: 5 km, 30 minutes, p = 30, 500 m cells, 2 km grid, 10 worst. */
struct hanoi_params hanoi_params_default(void);

/*
 * Coverage of one commune by a set of open sites: the report's per-commune
 * figures (worst_communes), also drawn by the planning page's map.
 */
struct hanoi_commune_cover {
	size_t commune;       /* index into hanoi_grid.communes */
	double population;    /* of the commune's cells */
	double in_radius;     /* population within the radius of an open site */
	double in_minutes;    /* population within the minutes of an open site */
	double mean_distance; /* population-weighted distance to the nearest open site (metres;
	                         0 without population) */
	double max_distance;  /* to the nearest open site from the commune's farthest cell */
};

/*
 * Sums per commune the coverage of an instance built by hanoi_instance_build
 * from g (demand point i is cell i), from r = coverage_analyse() of the open
 * sites with a radius and, optionally, minutes: a cell counts within the
 * radius when its distance is <= radius (the instance's metres), within the
 * minutes when its travel time is known and <= minutes (as coverage_analyse
 * decides). rows has g->n_communes entries, rows[c] for commune c. Pure, no
 * allocation.
 */
void hanoi_commune_coverage(const struct hanoi_grid *g, const struct coverage_report *r,
                            double radius, double minutes, struct hanoi_commune_cover *rows);

/*
 * Sorts rows worst served first: smallest share of the population within
 * the radius (a commune without population counts as fully served), then
 * farthest cell, then commune index. The order of the report's
 * worst_communes.
 */
void hanoi_commune_sort_worst(struct hanoi_commune_cover *rows, size_t n);

/*
 * The whole report as a new JSON object (*out, caller decrefs): the inputs
 * are the texts of communes-2025.geojson, districts-2019.csv, units.csv and
 * communes.csv. Returns ERR_OK, the codes above, or ERR_OUT_OF_RANGE
 * (p larger than the candidates).
 */
enum err_code hanoi_report(const struct hanoi_params *prm, const char *geojson,
                           const char *districts_csv, const char *units_csv,
                           const char *communes_csv, json_t **out, struct err *e);

#endif
