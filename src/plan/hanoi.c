/*
 * hanoi: the Hanoi planning model (demand grid from the 2019 census,
 * candidate sites, and the report of `motcua plan hanoi`). The recipe of the
 * grid is in hanoi.h and docs/planning.md ("Hanoi model").
 */
#include "plan/hanoi.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/str.h"
#include "plan/coverage.h"
#include "plan/lscp.h"
#include "plan/mclp.h"

#define DEG (M_PI / 180.0)

void hanoi_project(double lat, double lon, double *x, double *y)
{
	*x = GEO_EARTH_RADIUS_M * (lon - HANOI_LON0) * DEG * cos(HANOI_LAT0 * DEG);
	*y = GEO_EARTH_RADIUS_M * (lat - HANOI_LAT0) * DEG;
}

void hanoi_unproject(double x, double y, double *lat, double *lon)
{
	*lat = HANOI_LAT0 + y / (GEO_EARTH_RADIUS_M * DEG);
	*lon = HANOI_LON0 + x / (GEO_EARTH_RADIUS_M * DEG * cos(HANOI_LAT0 * DEG));
}

/* Order of the apportionment: larger remainder first, then lower index. */
struct rem {
	double r;
	size_t i;
};

static int rem_cmp(const void *a, const void *b)
{
	const struct rem *x = a, *y = b;
	if (x->r != y->r)
		return x->r > y->r ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

enum err_code hanoi_apportion(int64_t total, const double *shares, size_t n, int64_t *out,
                              struct err *e)
{
	if (n == 0 || total < 0)
		return err_set(e, ERR_INVALID_ARGUMENT, "apportionment of %lld over %zu parts",
		               (long long)total, n);
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(shares[i]) || shares[i] < 0)
			return err_set(e, ERR_INVALID_ARGUMENT, "share %zu is not a number >= 0",
			               i);
		sum += shares[i];
	}
	if (!(sum > 0) || !isfinite(sum))
		return err_set(e, ERR_INVALID_ARGUMENT, "shares add up to %g", sum);
	struct rem *rm = malloc(n * sizeof *rm);
	if (!rm)
		return err_set(e, ERR_NO_MEMORY, "apportionment of %zu parts", n);
	int64_t given = 0;
	for (size_t i = 0; i < n; i++) {
		double q = (double)total * (shares[i] / sum);
		double f = floor(q);
		out[i] = (int64_t)f;
		given += out[i];
		rm[i].r = q - f;
		rm[i].i = i;
	}
	/* Rounding of the quotas may leave the floors a unit off either way. */
	int64_t left = total - given;
	qsort(rm, n, sizeof *rm, rem_cmp);
	for (size_t k = 0; left > 0; k = (k + 1) % n, left--)
		out[rm[k].i]++;
	for (size_t k = n; left < 0 && k > 0; k--)
		if (out[rm[k - 1].i] > 0) {
			out[rm[k - 1].i]--;
			left++;
		}
	free(rm);
	return ERR_OK;
}

static int parse_double(const char *s, double *v)
{
	if (!s || str_empty(s))
		return -1;
	char *end;
	*v = strtod(s, &end);
	return *end == '\0' && isfinite(*v) ? 0 : -1;
}

/* Even-odd point-in-polygon over the rings of commune c. */
static bool commune_contains(const struct hanoi_grid *g, const struct hanoi_commune *c, double x,
                             double y)
{
	if (x < c->min_x || x > c->max_x || y < c->min_y || y > c->max_y)
		return false;
	bool in = false;
	for (size_t r = c->ring_start; r < c->ring_start + c->n_rings; r++) {
		size_t a = g->ring_start[r], b = g->ring_start[r + 1];
		for (size_t k = a, j = b - 1; k < b; j = k++) {
			double xk = g->xy[2 * k], yk = g->xy[2 * k + 1];
			double xj = g->xy[2 * j], yj = g->xy[2 * j + 1];
			if ((yk > y) != (yj > y) && x < (xj - xk) * (y - yk) / (yj - yk) + xk)
				in = !in;
		}
	}
	return in;
}

static size_t locate_xy(const struct hanoi_grid *g, double x, double y)
{
	for (size_t c = 0; c < g->n_communes; c++)
		if (commune_contains(g, &g->communes[c], x, y))
			return c;
	return SIZE_MAX;
}

size_t hanoi_grid_locate(const struct hanoi_grid *g, double lat, double lon)
{
	double x, y;
	hanoi_project(lat, lon, &x, &y);
	return locate_xy(g, x, y);
}

void hanoi_grid_release(struct hanoi_grid *g)
{
	free(g->communes);
	free(g->districts);
	free(g->cells);
	free(g->ring_start);
	free(g->xy);
	memset(g, 0, sizeof *g);
}

static const char *prop_str(json_t *props, const char *key)
{
	json_t *v = json_object_get(props, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Parses the GeoJSON polygons into g (communes, rings, vertices). */
static enum err_code parse_geojson(struct hanoi_grid *g, const char *text, struct err *e)
{
	json_error_t je;
	json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return err_set(e, ERR_INVALID_PLAN_DATA, "geojson: line %d: %s", je.line, je.text);
	enum err_code rc = ERR_OK;
	json_t *feats = json_object_get(root, "features");
	size_t nf = json_array_size(feats);
	if (!json_is_array(feats) || nf == 0 || nf > HANOI_MAX_COMMUNES) {
		rc = err_set(e, ERR_INVALID_PLAN_DATA,
		             "geojson: 'features' is not an array of 1 to %u", HANOI_MAX_COMMUNES);
		goto out;
	}
	size_t n_rings = 0, n_vert = 0;
	for (size_t f = 0; f < nf; f++) {
		json_t *geo = json_object_get(json_array_get(feats, f), "geometry");
		const char *type = prop_str(geo, "type");
		json_t *rings = json_object_get(geo, "coordinates");
		if (!type || strcmp(type, "Polygon") != 0 || json_array_size(rings) == 0) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA,
			             "geojson: feature %zu is not a 'Polygon'", f + 1);
			goto out;
		}
		for (size_t r = 0; r < json_array_size(rings); r++) {
			size_t nv = json_array_size(json_array_get(rings, r));
			if (nv < 4) {
				rc = err_set(e, ERR_INVALID_PLAN_DATA,
				             "geojson: feature %zu: a ring has fewer than 4 points",
				             f + 1);
				goto out;
			}
			n_rings++;
			n_vert += nv;
		}
	}
	g->communes = calloc(nf, sizeof *g->communes);
	g->ring_start = malloc((n_rings + 1) * sizeof *g->ring_start);
	g->xy = malloc(2 * n_vert * sizeof *g->xy);
	if (!g->communes || !g->ring_start || !g->xy) {
		rc = err_set(e, ERR_NO_MEMORY, "geojson: %zu points", n_vert);
		goto out;
	}
	g->n_communes = nf;
	size_t ri = 0, vi = 0;
	for (size_t f = 0; f < nf; f++) {
		json_t *feat = json_array_get(feats, f);
		json_t *props = json_object_get(feat, "properties");
		const char *code = prop_str(props, "code"), *name = prop_str(props, "name_vi");
		const char *kind = prop_str(props, "kind");
		struct hanoi_commune *c = &g->communes[f];
		if (!code || !name || !kind || str_copy(c->code, sizeof c->code, code) != 0 ||
		    str_copy(c->name, sizeof c->name, name) != 0 ||
		    (strcmp(kind, "ward") != 0 && strcmp(kind, "commune") != 0)) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA,
			             "geojson: feature %zu: bad 'code', 'name_vi' or 'kind'",
			             f + 1);
			goto out;
		}
		for (size_t k = 0; k < f; k++)
			if (strcmp(g->communes[k].code, c->code) == 0) {
				rc = err_set(e, ERR_INVALID_PLAN_DATA,
				             "geojson: duplicate commune code '%s'", c->code);
				goto out;
			}
		c->ward = strcmp(kind, "ward") == 0;
		c->ring_start = ri;
		c->min_x = c->min_y = INFINITY;
		c->max_x = c->max_y = -INFINITY;
		json_t *rings = json_object_get(json_object_get(feat, "geometry"), "coordinates");
		double area = 0;
		for (size_t r = 0; r < json_array_size(rings); r++) {
			json_t *ring = json_array_get(rings, r);
			g->ring_start[ri++] = vi;
			size_t first = vi;
			for (size_t k = 0; k < json_array_size(ring); k++) {
				json_t *pt = json_array_get(ring, k);
				json_t *jx = json_array_get(pt, 0), *jy = json_array_get(pt, 1);
				double lon = json_number_value(jx), lat = json_number_value(jy);
				if (!json_is_number(jx) || !json_is_number(jy) || !(lat >= -90) ||
				    !(lat <= 90) || !(lon >= -180) || !(lon <= 180)) {
					rc = err_set(e, ERR_INVALID_PLAN_DATA,
					             "geojson: feature %zu: bad coordinate", f + 1);
					goto out;
				}
				double x, y;
				hanoi_project(lat, lon, &x, &y);
				g->xy[2 * vi] = x;
				g->xy[2 * vi + 1] = y;
				vi++;
				c->min_x = fmin(c->min_x, x);
				c->max_x = fmax(c->max_x, x);
				c->min_y = fmin(c->min_y, y);
				c->max_y = fmax(c->max_y, y);
			}
			double s = 0;
			for (size_t k = first, j = vi - 1; k < vi; j = k++)
				s += g->xy[2 * j] * g->xy[2 * k + 1] -
				     g->xy[2 * k] * g->xy[2 * j + 1];
			area += r == 0 ? fabs(s) / 2 : -fabs(s) / 2; /* later rings are holes */
		}
		c->n_rings = ri - c->ring_start;
		c->area_km2 = area / 1e6;
		g->area_km2 += c->area_km2;
	}
	g->ring_start[ri] = vi;
	g->n_rings = ri;
out:
	json_decref(root);
	return rc;
}

/* Column of `name` in the header record, or -1. */
static int column(const struct csv_reader *r, const char *name)
{
	for (size_t i = 0; i < r->count; i++)
		if (strcmp(csv_field(r, i), name) == 0)
			return (int)i;
	return -1;
}

/* Reads the header of a CSV and finds the named columns (all required). */
static enum err_code csv_columns(struct csv_reader *r, const char *file, const char *const *names,
                                 int *cols, size_t n, struct err *e)
{
	bool got = false;
	enum err_code rc = csv_read(r, &got, e);
	if (rc != ERR_OK)
		return rc;
	if (!got)
		return err_set(e, ERR_INVALID_PLAN_DATA, "%s: empty file", file);
	for (size_t k = 0; k < n; k++) {
		cols[k] = column(r, names[k]);
		if (cols[k] < 0)
			return err_set(e, ERR_INVALID_PLAN_DATA, "%s: missing column '%s'", file,
			               names[k]);
	}
	return ERR_OK;
}

static enum err_code parse_districts(struct hanoi_grid *g, const char *text, struct err *e)
{
	static const char *const names[] = {"name_vi", "kind", "population_2019", "seat_lat",
	                                    "seat_lon"};
	int col[5];
	struct csv_reader r;
	csv_reader_init(&r, text, strlen(text), NULL);
	size_t cap = 0;
	enum err_code rc = csv_columns(&r, "districts", names, col, 5, e);
	while (rc == ERR_OK) {
		bool got = false;
		rc = csv_read(&r, &got, e);
		if (rc != ERR_OK || !got)
			break;
		if (g->n_districts >= HANOI_MAX_DISTRICTS) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA, "districts: more than %u rows",
			             HANOI_MAX_DISTRICTS);
			break;
		}
		if (g->n_districts == cap) {
			cap = cap ? cap * 2 : 32;
			struct hanoi_district *d = realloc(g->districts, cap * sizeof *d);
			if (!d) {
				rc = err_set(e, ERR_NO_MEMORY, "districts");
				break;
			}
			g->districts = d;
		}
		struct hanoi_district *d = &g->districts[g->n_districts];
		memset(d, 0, sizeof *d);
		const char *kind = csv_field(&r, (size_t)col[1]);
		const char *name = csv_field(&r, (size_t)col[0]);
		int64_t pop = 0;
		if (!name || str_empty(name) || str_copy(d->name, sizeof d->name, name) != 0 ||
		    !kind ||
		    str_parse_int64(csv_field(&r, (size_t)col[2]), 0, INT64_C(1) << 40, &pop) !=
		            0 ||
		    parse_double(csv_field(&r, (size_t)col[3]), &d->seat_lat) != 0 ||
		    parse_double(csv_field(&r, (size_t)col[4]), &d->seat_lon) != 0 ||
		    fabs(d->seat_lat) > 90 || fabs(d->seat_lon) > 180) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA,
			             "districts: line %d: bad name, population or seat",
			             r.record_line);
			break;
		}
		d->population = pop;
		d->urban = strcmp(kind, "urban_district") == 0 ? 2
		           : strcmp(kind, "town") == 0         ? 1
		                                               : 0;
		g->population += pop;
		g->n_districts++;
	}
	if (rc == ERR_OK && g->n_districts == 0)
		rc = err_set(e, ERR_INVALID_PLAN_DATA, "districts: no rows");
	csv_reader_release(&r);
	return rc;
}

/* Sort key of a district's cells: distance to the seat, then cell index. */
struct near {
	double d;
	size_t i;
};

static int near_cmp(const void *a, const void *b)
{
	const struct near *x = a, *y = b;
	if (x->d != y->d)
		return x->d < y->d ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static enum err_code apportion_cells(struct hanoi_grid *g, struct err *e)
{
	struct near *nr = malloc(g->n_cells * sizeof *nr);
	double *ones = malloc(g->n_cells * sizeof *ones);
	int64_t *pop = malloc(g->n_cells * sizeof *pop);
	enum err_code rc = ERR_OK;
	if (!nr || !ones || !pop) {
		rc = err_set(e, ERR_NO_MEMORY, "grid of %zu cells", g->n_cells);
		goto out;
	}
	for (size_t d = 0; d < g->n_districts && rc == ERR_OK; d++) {
		const struct hanoi_district *dd = &g->districts[d];
		size_t n = 0;
		for (size_t i = 0; i < g->n_cells; i++)
			if (g->cells[i].district == d) {
				nr[n].d = geo_haversine(g->cells[i].lat, g->cells[i].lon,
				                        dd->seat_lat, dd->seat_lon);
				nr[n].i = i;
				ones[n] = 1.0;
				n++;
			}
		if (n == 0) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA, "districts: '%s' gets no grid cell",
			             dd->name);
			break;
		}
		qsort(nr, n, sizeof *nr, near_cmp);
		rc = hanoi_apportion(dd->population, ones, n, pop, e);
		for (size_t k = 0; k < n && rc == ERR_OK; k++)
			g->cells[nr[k].i].population = pop[k];
	}
out:
	free(nr);
	free(ones);
	free(pop);
	return rc;
}

enum err_code hanoi_grid_build(struct hanoi_grid *g, const char *geojson, const char *districts_csv,
                               double cell_m, struct err *e)
{
	memset(g, 0, sizeof *g);
	if (!(cell_m >= 100) || !(cell_m <= 50000))
		return err_set(e, ERR_INVALID_ARGUMENT, "cell size %g m is not in [100, 50000]",
		               cell_m);
	g->cell_m = cell_m;
	enum err_code rc = parse_geojson(g, geojson, e);
	if (rc == ERR_OK)
		rc = parse_districts(g, districts_csv, e);
	if (rc != ERR_OK) {
		hanoi_grid_release(g);
		return rc;
	}
	double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
	for (size_t c = 0; c < g->n_communes; c++) {
		x0 = fmin(x0, g->communes[c].min_x);
		y0 = fmin(y0, g->communes[c].min_y);
		x1 = fmax(x1, g->communes[c].max_x);
		y1 = fmax(y1, g->communes[c].max_y);
	}
	long i0 = (long)floor(x0 / cell_m), i1 = (long)ceil(x1 / cell_m);
	long j0 = (long)floor(y0 / cell_m), j1 = (long)ceil(y1 / cell_m);
	double n_box = (double)(i1 - i0) * (double)(j1 - j0);
	if (n_box > 4.0 * HANOI_MAX_CELLS) {
		hanoi_grid_release(g);
		return err_set(e, ERR_OUT_OF_RANGE, "grid of %.0f cells is too large", n_box);
	}
	size_t cap = 0;
	for (long j = j0; j < j1 && rc == ERR_OK; j++)
		for (long i = i0; i < i1; i++) {
			double x = ((double)i + 0.5) * cell_m, y = ((double)j + 0.5) * cell_m;
			size_t c = locate_xy(g, x, y);
			if (c == SIZE_MAX)
				continue;
			if (g->n_cells == cap) {
				cap = cap ? cap * 2 : 4096;
				struct hanoi_cell *nc =
				        cap > HANOI_MAX_CELLS ? NULL
				                              : realloc(g->cells, cap * sizeof *nc);
				if (!nc) {
					rc = err_set(e, ERR_NO_MEMORY, "grid of %zu cells", cap);
					break;
				}
				g->cells = nc;
			}
			struct hanoi_cell *cell = &g->cells[g->n_cells++];
			hanoi_unproject(x, y, &cell->lat, &cell->lon);
			cell->commune = (uint32_t)c;
			size_t best = 0;
			double bd = INFINITY;
			for (size_t d = 0; d < g->n_districts; d++) {
				double dist = geo_haversine(cell->lat, cell->lon,
				                            g->districts[d].seat_lat,
				                            g->districts[d].seat_lon);
				if (dist < bd) {
					bd = dist;
					best = d;
				}
			}
			cell->district = (uint32_t)best;
			g->districts[best].n_cells++;
			cell->population = 0;
			cell->zone = !g->communes[c].ward            ? GEO_ZONE_RURAL
			             : g->districts[best].urban == 2 ? GEO_ZONE_URBAN
			                                             : GEO_ZONE_SUBURBAN;
		}
	if (rc == ERR_OK && g->n_cells == 0)
		rc = err_set(e, ERR_INVALID_PLAN_DATA,
		             "geojson: no grid cell falls inside a commune");
	if (rc == ERR_OK)
		rc = apportion_cells(g, e);
	if (rc != ERR_OK)
		hanoi_grid_release(g);
	return rc;
}

/* A growing list of sites. */
struct sitelist {
	size_t n, cap;
	struct plan_point *p;
};

static enum err_code site_add(struct sitelist *s, const char *id, double lat, double lon,
                              struct err *e)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct plan_point *p = realloc(s->p, cap * sizeof *p);
		if (!p)
			return err_set(e, ERR_NO_MEMORY, "sites");
		s->p = p;
		s->cap = cap;
	}
	struct plan_point *pt = &s->p[s->n];
	memset(pt, 0, sizeof *pt);
	if (str_copy(pt->id, sizeof pt->id, id) != 0)
		return err_set(e, ERR_INVALID_PLAN_DATA, "site id '%.40s' is too long", id);
	pt->x = lat;
	pt->y = lon;
	s->n++;
	return ERR_OK;
}

/* Adds the rows of a CSV with columns code,lat,lon (and kind == want when want is set). */
static enum err_code add_csv_sites(struct sitelist *s, const char *file, const char *text,
                                   const char *want, const char *prefix, size_t *added,
                                   struct err *e)
{
	static const char *const names[] = {"code", "kind", "lat", "lon"};
	int col[4];
	struct csv_reader r;
	csv_reader_init(&r, text, strlen(text), NULL);
	*added = 0;
	enum err_code rc = csv_columns(&r, file, names, col, 4, e);
	while (rc == ERR_OK) {
		bool got = false;
		rc = csv_read(&r, &got, e);
		if (rc != ERR_OK || !got)
			break;
		const char *kind = csv_field(&r, (size_t)col[1]);
		if (want && (!kind || strcmp(kind, want) != 0))
			continue;
		const char *code = csv_field(&r, (size_t)col[0]);
		const char *slat = csv_field(&r, (size_t)col[2]),
		           *slon = csv_field(&r, (size_t)col[3]);
		if (want && (!slat || !slon || str_empty(slat) || str_empty(slon)))
			continue; /* a unit without coordinates cannot be placed */
		double lat, lon;
		if (!code || str_empty(code) || parse_double(slat, &lat) != 0 ||
		    parse_double(slon, &lon) != 0 || fabs(lat) > 90 || fabs(lon) > 180) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA,
			             "%s: line %d: bad code or coordinates", file, r.record_line);
			break;
		}
		char id[PLAN_ID_MAX];
		snprintf(id, sizeof id, "%s%s", prefix, code);
		rc = site_add(s, id, lat, lon, e);
		if (rc == ERR_OK)
			(*added)++;
	}
	csv_reader_release(&r);
	return rc;
}

enum err_code hanoi_instance_build(struct plan_instance *in, struct hanoi_sites *s,
                                   const struct hanoi_grid *g, const char *units_csv,
                                   const char *communes_csv, double grid_m, struct err *e)
{
	memset(in, 0, sizeof *in);
	memset(s, 0, sizeof *s);
	if (!(grid_m >= 100) || !(grid_m <= 100000))
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "candidate grid %g m is not in [100, 100000]", grid_m);
	struct sitelist sl = {0};
	enum err_code rc = add_csv_sites(&sl, "units", units_csv, "point", "", &s->n_points, e);
	if (rc == ERR_OK)
		rc = add_csv_sites(&sl, "units", units_csv, "branch", "", &s->n_branches, e);
	if (rc == ERR_OK)
		rc = add_csv_sites(&sl, "communes", communes_csv, NULL, "commune-", &s->n_centroids,
		                   e);
	for (size_t a = 0; rc == ERR_OK && a < sl.n; a++)
		for (size_t b = 0; b < a; b++)
			if (strcmp(sl.p[a].id, sl.p[b].id) == 0) {
				rc = err_set(e, ERR_INVALID_PLAN_DATA, "duplicate site id '%s'",
				             sl.p[a].id);
				break;
			}
	if (rc == ERR_OK) {
		double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
		for (size_t c = 0; c < g->n_communes; c++) {
			x0 = fmin(x0, g->communes[c].min_x);
			y0 = fmin(y0, g->communes[c].min_y);
			x1 = fmax(x1, g->communes[c].max_x);
			y1 = fmax(y1, g->communes[c].max_y);
		}
		long i0 = (long)floor(x0 / grid_m), i1 = (long)ceil(x1 / grid_m);
		long j0 = (long)floor(y0 / grid_m), j1 = (long)ceil(y1 / grid_m);
		for (long j = j0; j < j1 && rc == ERR_OK; j++)
			for (long i = i0; i < i1 && rc == ERR_OK; i++) {
				double x = ((double)i + 0.5) * grid_m,
				       y = ((double)j + 0.5) * grid_m;
				if (locate_xy(g, x, y) == SIZE_MAX)
					continue;
				double lat, lon;
				hanoi_unproject(x, y, &lat, &lon);
				char id[PLAN_ID_MAX];
				snprintf(id, sizeof id, "grid-%ld-%ld", j, i);
				rc = site_add(&sl, id, lat, lon, e);
				if (rc == ERR_OK)
					s->n_grid++;
			}
	}
	if (rc == ERR_OK && sl.n == 0)
		rc = err_set(e, ERR_INVALID_PLAN_DATA, "no candidate site");
	if (rc == ERR_OK)
		rc = plan_instance_alloc(in, PLAN_COORDS_LATLON, g->n_cells, sl.n, e);
	if (rc == ERR_OK) {
		for (size_t i = 0; i < g->n_cells; i++) {
			struct plan_point *d = &in->demand[i];
			snprintf(d->id, sizeof d->id, "cell-%zu", i);
			d->x = g->cells[i].lat;
			d->y = g->cells[i].lon;
			d->weight = (double)g->cells[i].population;
			d->zone = (int)g->cells[i].zone;
		}
		memcpy(in->sites, sl.p, sl.n * sizeof *sl.p);
	}
	free(sl.p);
	return rc;
}

struct hanoi_params hanoi_params_default(void)
{
	struct hanoi_params p = {.radius_km = 5,
	                         .minutes = 30,
	                         .p = 30,
	                         .iterations = 0,
	                         .seed = 1,
	                         .cell_m = 500,
	                         .grid_m = 2000,
	                         .worst = 10,
	                         .travel = geo_travel_default()};
	return p;
}

static json_t *ids(const struct plan_instance *in, const size_t *idx, size_t n)
{
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, json_string(in->sites[idx[k]].id));
	return a;
}

static json_t *pop_share(double covered, double total)
{
	json_t *o = json_object();
	json_object_set_new(o, "population", json_integer((json_int_t)llround(covered)));
	json_object_set_new(o, "share", json_real(total > 0 ? covered / total : 0));
	return o;
}

void hanoi_commune_coverage(const struct hanoi_grid *g, const struct coverage_report *r,
                            double radius, double minutes, struct hanoi_commune_cover *rows)
{
	memset(rows, 0, g->n_communes * sizeof *rows);
	for (size_t c = 0; c < g->n_communes; c++)
		rows[c].commune = c;
	for (size_t i = 0; i < g->n_cells && i < r->n_points; i++) {
		struct hanoi_commune_cover *row = &rows[g->cells[i].commune];
		const struct coverage_point *pt = &r->points[i];
		double w = (double)g->cells[i].population;
		row->population += w;
		if (pt->distance <= radius)
			row->in_radius += w;
		if (pt->minutes >= 0 && pt->minutes <= minutes)
			row->in_minutes += w;
		if (pt->distance < PLAN_UNREACHABLE)
			row->mean_distance += w * pt->distance; /* a sum until divided below */
		if (pt->distance > row->max_distance)
			row->max_distance = pt->distance;
	}
	for (size_t c = 0; c < g->n_communes; c++)
		rows[c].mean_distance =
		        rows[c].population > 0 ? rows[c].mean_distance / rows[c].population : 0;
}

static int worst_cmp(const void *a, const void *b)
{
	const struct hanoi_commune_cover *x = a, *y = b;
	double sx = x->population > 0 ? x->in_radius / x->population : 1;
	double sy = y->population > 0 ? y->in_radius / y->population : 1;
	if (sx != sy)
		return sx < sy ? -1 : 1;
	if (x->max_distance != y->max_distance)
		return x->max_distance > y->max_distance ? -1 : 1;
	return x->commune < y->commune ? -1 : x->commune > y->commune;
}

void hanoi_commune_sort_worst(struct hanoi_commune_cover *rows, size_t n)
{
	qsort(rows, n, sizeof *rows, worst_cmp);
}

static enum err_code report_today(json_t *o, const struct hanoi_params *prm,
                                  const struct hanoi_grid *g, const struct plan_instance *in,
                                  const struct hanoi_sites *s, struct err *e)
{
	size_t n = s->n_points;
	size_t *open = malloc((n ? n : 1) * sizeof *open);
	struct hanoi_commune_cover *rows = calloc(g->n_communes, sizeof *rows);
	struct coverage_report cr = {0}, ct = {0}, ce = {0};
	enum err_code rc = ERR_OK;
	if (!open || !rows) {
		rc = err_set(e, ERR_NO_MEMORY, "today's coverage");
		goto out;
	}
	for (size_t k = 0; k < n; k++)
		open[k] = k;
	struct coverage_params cp = {
	        .radius = prm->radius_km * 1000, .minutes = -1, .travel = prm->travel, .top_k = 0};
	rc = coverage_analyse(in, open, n, &cp, &cr, e);
	cp.radius = -1;
	cp.minutes = prm->minutes;
	if (rc == ERR_OK)
		rc = coverage_analyse(in, open, n, &cp, &ct, e);
	cp.radius = prm->radius_km * 1000;
	if (rc == ERR_OK)
		rc = coverage_analyse(in, open, n, &cp, &ce, e);
	if (rc != ERR_OK)
		goto out;
	double total = cr.total_weight;
	json_object_set_new(o, "points", ids(in, open, n));
	json_object_set_new(o, "n_points", json_integer((json_int_t)n));
	json_object_set_new(o, "within_radius", pop_share(cr.covered_weight, total));
	json_object_set_new(o, "within_minutes", pop_share(ct.covered_weight, total));
	json_object_set_new(o, "within_either", pop_share(ce.covered_weight, total));
	json_object_set_new(o, "mean_distance_km", json_real(cr.mean_distance / 1000));
	json_object_set_new(o, "max_distance_km", json_real(cr.max_distance / 1000));
	json_object_set_new(o, "max_minutes", json_real(ct.max_minutes));
	hanoi_commune_coverage(g, &ce, cp.radius, prm->minutes, rows);
	size_t full = 0, none = 0;
	for (size_t c = 0; c < g->n_communes; c++) {
		full += rows[c].in_radius >= rows[c].population;
		none += rows[c].population > 0 && rows[c].in_radius == 0;
	}
	json_object_set_new(o, "communes_fully_within_radius", json_integer((json_int_t)full));
	json_object_set_new(o, "communes_none_within_radius", json_integer((json_int_t)none));
	hanoi_commune_sort_worst(rows, g->n_communes);
	json_t *worst = json_array();
	for (size_t k = 0; k < g->n_communes && k < prm->worst; k++) {
		const struct hanoi_commune_cover *row = &rows[k];
		double pop = row->population;
		json_t *w = json_object();
		json_object_set_new(w, "code", json_string(g->communes[row->commune].code));
		json_object_set_new(w, "name", json_string(g->communes[row->commune].name));
		json_object_set_new(w, "population", json_integer((json_int_t)llround(pop)));
		json_object_set_new(w, "within_radius_share",
		                    json_real(pop > 0 ? row->in_radius / pop : 1));
		json_object_set_new(w, "within_minutes_share",
		                    json_real(pop > 0 ? row->in_minutes / pop : 1));
		json_object_set_new(w, "max_distance_km", json_real(row->max_distance / 1000));
		json_array_append_new(worst, w);
	}
	json_object_set_new(o, "worst_communes", worst);
out:
	coverage_report_release(&cr);
	coverage_report_release(&ct);
	coverage_report_release(&ce);
	free(open);
	free(rows);
	return rc;
}

/* LSCP and MCLP on one set of coverage lists; adds "fewest" and "best" to o. */
static enum err_code report_models(json_t *o, const struct hanoi_params *prm,
                                   const struct plan_instance *in, const struct plan_cover *c,
                                   const char *fewest_key, const char *best_key, size_t *n_fewest,
                                   size_t *lower, struct err *e)
{
	struct plan_budget b = {.iterations = prm->iterations, .seed = prm->seed};
	struct lscp_params lp = {.budget = b};
	struct lscp_result lr = {0};
	struct mclp_params mp = {.p = prm->p, .budget = b};
	struct mclp_result mr = {0};
	enum err_code rc = lscp_solve(c, &lp, &lr, e);
	if (rc != ERR_OK)
		return rc;
	double unc = 0;
	for (size_t k = 0; k < lr.n_uncoverable; k++)
		unc += in->demand[lr.uncoverable[k]].weight;
	json_t *f = json_object();
	json_object_set_new(f, "sites", json_integer((json_int_t)lr.n_selected));
	json_object_set_new(f, "lower_bound", json_integer((json_int_t)lr.lower_bound));
	json_object_set_new(f, "proven_optimal", json_boolean(lr.proven_optimal));
	json_object_set_new(f, "uncoverable_cells", json_integer((json_int_t)lr.n_uncoverable));
	json_object_set_new(f, "uncoverable_population", json_integer((json_int_t)llround(unc)));
	json_object_set_new(f, "iterations", json_integer((json_int_t)lr.iterations));
	json_object_set_new(f, "selected", ids(in, lr.selected, lr.n_selected));
	json_object_set_new(o, fewest_key, f);
	*n_fewest = lr.n_selected;
	*lower = lr.lower_bound;
	lscp_result_release(&lr);
	rc = mclp_solve(in, c, &mp, &mr, e);
	if (rc != ERR_OK)
		return rc;
	json_t *m = json_object();
	json_object_set_new(m, "p", json_integer((json_int_t)prm->p));
	json_object_set_new(m, "covered", pop_share(mr.covered_weight, mr.total_weight));
	json_object_set_new(m, "upper_bound", json_integer((json_int_t)llround(mr.upper_bound)));
	json_object_set_new(m, "proven_optimal", json_boolean(mr.proven_optimal));
	json_object_set_new(m, "iterations", json_integer((json_int_t)mr.iterations));
	json_object_set_new(m, "selected", ids(in, mr.selected, mr.n_selected));
	json_object_set_new(o, best_key, m);
	mclp_result_release(&mr);
	return ERR_OK;
}

enum err_code hanoi_report(const struct hanoi_params *prm, const char *geojson,
                           const char *districts_csv, const char *units_csv,
                           const char *communes_csv, json_t **out, struct err *e)
{
	*out = NULL;
	if (!(prm->radius_km > 0) || !(prm->radius_km < 1e6) || !(prm->minutes > 0) ||
	    !(prm->minutes < 1e6) || prm->p == 0 || !geo_travel_valid(&prm->travel))
		return err_set(e, ERR_INVALID_ARGUMENT, "radius, minutes, p or travel parameters");
	struct hanoi_grid g;
	struct plan_instance in = {0};
	struct hanoi_sites s;
	struct plan_cover c = {0};
	double *radii = NULL;
	json_t *o = NULL;
	enum err_code rc = hanoi_grid_build(&g, geojson, districts_csv, prm->cell_m, e);
	if (rc != ERR_OK)
		return rc;
	rc = hanoi_instance_build(&in, &s, &g, units_csv, communes_csv, prm->grid_m, e);
	if (rc != ERR_OK)
		goto out;
	if (prm->p > in.n_sites) {
		rc = err_set(e, ERR_OUT_OF_RANGE, "p = %zu is larger than the %zu candidate sites",
		             prm->p, in.n_sites);
		goto out;
	}
	o = json_object();
	json_object_set_new(o, "model", json_string("hanoi"));
	json_object_set_new(o, "radius_km", json_real(prm->radius_km));
	json_object_set_new(o, "minutes", json_real(prm->minutes));
	json_object_set_new(o, "p", json_integer((json_int_t)prm->p));
	json_object_set_new(o, "seed", json_integer((json_int_t)prm->seed));
	json_object_set_new(o, "iterations",
	                    prm->iterations ? json_integer((json_int_t)prm->iterations)
	                                    : json_null());
	json_t *tr = json_object();
	json_object_set_new(tr, "circuity", json_real(prm->travel.circuity));
	json_object_set_new(tr, "speed_kmh_urban",
	                    json_real(prm->travel.speed_kmh[GEO_ZONE_URBAN]));
	json_object_set_new(tr, "speed_kmh_suburban",
	                    json_real(prm->travel.speed_kmh[GEO_ZONE_SUBURBAN]));
	json_object_set_new(tr, "speed_kmh_rural",
	                    json_real(prm->travel.speed_kmh[GEO_ZONE_RURAL]));
	json_object_set_new(o, "travel", tr);

	json_t *dm = json_object();
	json_object_set_new(dm, "source", json_string("census 2019 by former district"));
	json_object_set_new(dm, "cell_m", json_real(prm->cell_m));
	json_object_set_new(dm, "cells", json_integer((json_int_t)g.n_cells));
	json_object_set_new(dm, "communes", json_integer((json_int_t)g.n_communes));
	json_object_set_new(dm, "districts", json_integer((json_int_t)g.n_districts));
	json_object_set_new(dm, "population", json_integer((json_int_t)g.population));
	json_object_set_new(dm, "area_km2", json_real(g.area_km2));
	size_t zc[GEO_ZONE__COUNT] = {0};
	for (size_t i = 0; i < g.n_cells; i++)
		zc[g.cells[i].zone]++;
	json_object_set_new(dm, "cells_urban", json_integer((json_int_t)zc[GEO_ZONE_URBAN]));
	json_object_set_new(dm, "cells_suburban", json_integer((json_int_t)zc[GEO_ZONE_SUBURBAN]));
	json_object_set_new(dm, "cells_rural", json_integer((json_int_t)zc[GEO_ZONE_RURAL]));
	json_object_set_new(o, "demand", dm);

	json_t *cd = json_object();
	json_object_set_new(cd, "total", json_integer((json_int_t)in.n_sites));
	json_object_set_new(cd, "service_points", json_integer((json_int_t)s.n_points));
	json_object_set_new(cd, "branches", json_integer((json_int_t)s.n_branches));
	json_object_set_new(cd, "commune_centroids", json_integer((json_int_t)s.n_centroids));
	json_object_set_new(cd, "grid", json_integer((json_int_t)s.n_grid));
	json_object_set_new(cd, "grid_m", json_real(prm->grid_m));
	json_object_set_new(o, "candidates", cd);

	json_t *today = json_object();
	json_object_set_new(o, "today", today);
	rc = report_today(today, prm, &g, &in, &s, e);
	size_t n_fewest_r = 0, n_fewest_t = 0, lb_r = 0, lb_t = 0;
	if (rc == ERR_OK)
		rc = plan_cover_build(&c, &in, prm->radius_km * 1000, e);
	if (rc == ERR_OK)
		rc = report_models(o, prm, &in, &c, "fewest_radius", "best_radius", &n_fewest_r,
		                   &lb_r, e);
	plan_cover_release(&c);
	memset(&c, 0, sizeof c);
	if (rc == ERR_OK) {
		radii = malloc(in.n_demand * sizeof *radii);
		if (!radii)
			rc = err_set(e, ERR_NO_MEMORY, "radii");
	}
	if (rc == ERR_OK) {
		for (size_t i = 0; i < in.n_demand; i++)
			radii[i] = geo_travel_reach(&prm->travel, prm->minutes,
			                            (enum geo_zone)in.demand[i].zone);
		rc = plan_cover_build_radii(&c, &in, radii, e);
	}
	if (rc == ERR_OK)
		rc = report_models(o, prm, &in, &c, "fewest_minutes", "best_minutes", &n_fewest_t,
		                   &lb_t, e);
	plan_cover_release(&c);
	if (rc != ERR_OK)
		goto out;

	/* The bound by area: p discs of radius R cover at most p pi R^2. */
	double discs = (double)prm->p * M_PI * prm->radius_km * prm->radius_km;
	double share = fmin(1.0, discs / g.area_km2);
	json_t *lim = json_object();
	json_object_set_new(lim, "discs_area_km2", json_real(discs));
	json_object_set_new(lim, "hanoi_area_km2", json_real(g.area_km2));
	json_object_set_new(lim, "max_area_share", json_real(share));
	char text[512];
	snprintf(text, sizeof text,
	         "%zu discs of %g km cover at most %.0f km2 of Hanoi's %.0f km2 (%.1f %%), so "
	         "%zu points %s keep the %g km promise everywhere by distance. The smallest "
	         "cover found by distance has %zu points (no cover has fewer than %zu); by %g "
	         "minutes of modelled travel it has %zu (no fewer than %zu).",
	         prm->p, prm->radius_km, discs, g.area_km2, 100 * share, prm->p,
	         share < 1 ? "cannot" : "might", prm->radius_km, n_fewest_r, lb_r, prm->minutes,
	         n_fewest_t, lb_t);
	json_object_set_new(lim, "statement", json_string(text));
	json_object_set_new(o, "limit", lim);
out:
	if (rc != ERR_OK) {
		json_decref(o);
		o = NULL;
	}
	free(radii);
	plan_instance_release(&in);
	hanoi_grid_release(&g);
	*out = o;
	return rc;
}
