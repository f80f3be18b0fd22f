/*
 * Unit tests for plan/hanoi: the largest-remainder apportionment, the demand
 * grid (census totals kept exactly, every cell inside a commune, the same
 * grid on every run), the candidate sites and the report's failure paths.
 * Expected values: the apportionment examples are worked by hand from the
 * method's definition (quota, floor, largest remainders); the census total
 * 8,053,663 and the 30 district counts are those of the 2019 census as
 * bundled in data/districts-2019.csv (GSO 2019); the 30 service points and
 * 12 branches are the rows of data/units.csv (plan 29/KH-UBND, 25/01/2025).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/hanoi.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	char *b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	b[n] = '\0';
	fclose(f);
	return b;
}

/* Field-by-field equality of two grids' cells (structs have padding). */
static void assert_same_cells(const struct hanoi_grid *a, const struct hanoi_grid *b)
{
	assert_int_equal(a->n_cells, b->n_cells);
	for (size_t i = 0; i < a->n_cells; i++) {
		assert_true(a->cells[i].lat == b->cells[i].lat);
		assert_true(a->cells[i].lon == b->cells[i].lon);
		assert_int_equal(a->cells[i].commune, b->cells[i].commune);
		assert_int_equal(a->cells[i].district, b->cells[i].district);
		assert_int_equal(a->cells[i].population, b->cells[i].population);
		assert_int_equal(a->cells[i].zone, b->cells[i].zone);
	}
}

static void test_apportion_by_hand(void **state)
{
	(void)state;
	struct err e;
	int64_t out[4];
	/* quotas 3.5, 2.1, 1.4: floors 3, 2, 1, one left for the largest remainder 0.5 */
	const double s1[] = {0.5, 0.3, 0.2};
	assert_int_equal(hanoi_apportion(7, s1, 3, out, &e), ERR_OK);
	assert_int_equal(out[0], 4);
	assert_int_equal(out[1], 2);
	assert_int_equal(out[2], 1);
	/* equal shares: 10 over 3 gives 4, 3, 3 (ties go to the lower index) */
	const double s2[] = {1, 1, 1};
	assert_int_equal(hanoi_apportion(10, s2, 3, out, &e), ERR_OK);
	assert_int_equal(out[0], 4);
	assert_int_equal(out[1], 3);
	assert_int_equal(out[2], 3);
	/* quotas 1.6, 1.3, 1.1 of 4: floors 1, 1, 1, the extra to remainder 0.6 */
	const double s3[] = {16, 13, 11};
	assert_int_equal(hanoi_apportion(4, s3, 3, out, &e), ERR_OK);
	assert_int_equal(out[0], 2);
	assert_int_equal(out[1], 1);
	assert_int_equal(out[2], 1);
	/* a zero share gets nothing; zero total gives zeros */
	const double s4[] = {0, 2, 1, 1};
	assert_int_equal(hanoi_apportion(5, s4, 4, out, &e), ERR_OK);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1] + out[2] + out[3], 5);
	assert_int_equal(out[1], 3);
	assert_int_equal(hanoi_apportion(0, s2, 3, out, &e), ERR_OK);
	assert_int_equal(out[0] + out[1] + out[2], 0);
}

static void test_apportion_exact_large(void **state)
{
	(void)state;
	struct err e;
	size_t n = 13477;
	double *s = malloc(n * sizeof *s);
	int64_t *out = malloc(n * sizeof *out);
	assert_non_null(s);
	assert_non_null(out);
	for (size_t i = 0; i < n; i++)
		s[i] = 1.0 + (double)(i % 7) / 3.0;
	assert_int_equal(hanoi_apportion(8053663, s, n, out, &e), ERR_OK);
	double ssum = 0;
	for (size_t i = 0; i < n; i++)
		ssum += s[i];
	int64_t sum = 0;
	for (size_t i = 0; i < n; i++) {
		sum += out[i];
		/* each part is the floor or the floor + 1 of its quota */
		double q = 8053663.0 * (s[i] / ssum);
		assert_true((double)out[i] >= floor(q) - 1e-9);
		assert_true((double)out[i] <= floor(q) + 1 + 1e-9);
	}
	assert_int_equal(sum, 8053663);
	free(s);
	free(out);
}

static void test_apportion_refused(void **state)
{
	(void)state;
	struct err e;
	int64_t out[2];
	const double ok[] = {1, 1}, neg[] = {1, -1}, zero[] = {0, 0};
	assert_int_equal(hanoi_apportion(5, ok, 0, out, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(hanoi_apportion(-1, ok, 2, out, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(hanoi_apportion(5, neg, 2, out, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(hanoi_apportion(5, zero, 2, out, &e), ERR_INVALID_ARGUMENT);
}

/* Two squares of about 2 km (0.02 degrees) side by side. */
static const char small_geojson[] =
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"A\",\"name_vi\":\"Alpha\",\"kind\":"
        "\"ward\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[105.80,21.00],"
        "[105.82,21.00],[105.82,21.02],[105.80,21.02],[105.80,21.00]]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"B\",\"name_vi\":\"Beta\",\"kind\":"
        "\"commune\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[105.82,21.00],"
        "[105.84,21.00],[105.84,21.02],[105.82,21.02],[105.82,21.00]]]}}]}";

static const char small_districts[] =
        "name_vi,kind,population_2019,area_km2,wards_2019,seat_lat,seat_lon,seat_source\n"
        "West,urban_district,1001,4,1,21.01,105.81,x\n"
        "East,rural_district,7,4,1,21.01,105.83,x\n";

static void test_small_grid(void **state)
{
	(void)state;
	struct err e;
	struct hanoi_grid g, h;
	assert_int_equal(hanoi_grid_build(&g, small_geojson, small_districts, 500, &e), ERR_OK);
	assert_int_equal(g.n_communes, 2);
	assert_int_equal(g.n_districts, 2);
	assert_int_equal(g.population, 1008);
	/* 2 x 0.02 degrees x 0.02 degrees is about 4.15 km x 2.22 km: 30 to 45 cells */
	assert_true(g.n_cells >= 30 && g.n_cells <= 45);
	int64_t per[2] = {0, 0};
	for (size_t i = 0; i < g.n_cells; i++) {
		const struct hanoi_cell *c = &g.cells[i];
		per[c->district] += c->population;
		assert_int_equal(hanoi_grid_locate(&g, c->lat, c->lon), c->commune);
		/* nearest seat: west of 105.82 is West's */
		assert_int_equal(c->district, c->lon < 105.82 ? 0u : 1u);
		assert_int_equal(c->zone, c->commune == 0 ? GEO_ZONE_URBAN : GEO_ZONE_RURAL);
	}
	assert_int_equal(per[0], 1001);
	assert_int_equal(per[1], 7);
	assert_int_equal(hanoi_grid_build(&h, small_geojson, small_districts, 500, &e), ERR_OK);
	assert_same_cells(&g, &h);
	assert_int_equal(hanoi_grid_locate(&g, 21.01, 105.85), SIZE_MAX);
	hanoi_grid_release(&g);
	hanoi_grid_release(&h);
}

static void test_grid_refused(void **state)
{
	(void)state;
	struct err e;
	struct hanoi_grid g;
	assert_int_equal(hanoi_grid_build(&g, small_geojson, small_districts, 50, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_int_equal(hanoi_grid_build(&g, "{not json", small_districts, 500, &e),
	                 ERR_INVALID_PLAN_DATA);
	assert_int_equal(
	        hanoi_grid_build(&g,
	                         "{\"features\":[{\"properties\":{\"code\":\"A\",\"name_vi\""
	                         ":\"A\",\"kind\":\"ward\"},\"geometry\":{\"type\":"
	                         "\"Point\",\"coordinates\":[105.8,21.0]}}]}",
	                         small_districts, 500, &e),
	        ERR_INVALID_PLAN_DATA);
	assert_non_null(strstr(e.detail, "Polygon"));
	/* missing column */
	assert_int_equal(hanoi_grid_build(&g, small_geojson,
	                                  "name_vi,kind,seat_lat,seat_lon\nA,town,21,105\n", 500,
	                                  &e),
	                 ERR_INVALID_PLAN_DATA);
	assert_non_null(strstr(e.detail, "population_2019"));
	/* negative population */
	assert_int_equal(hanoi_grid_build(&g, small_geojson,
	                                  "name_vi,kind,population_2019,seat_lat,seat_lon\n"
	                                  "A,town,-5,21.01,105.81\n",
	                                  500, &e),
	                 ERR_INVALID_PLAN_DATA);
	/* a district whose seat is nearest to no cell */
	assert_int_equal(hanoi_grid_build(&g, small_geojson,
	                                  "name_vi,kind,population_2019,seat_lat,seat_lon\n"
	                                  "A,town,5,21.01,105.81\nFar,town,5,30,120\n",
	                                  500, &e),
	                 ERR_INVALID_PLAN_DATA);
	assert_non_null(strstr(e.detail, "'Far'"));
}

static void test_small_report(void **state)
{
	(void)state;
	struct err e;
	const char *units = "code,kind,lat,lon\nP1,point,21.01,105.81\nB1,branch,21.01,105.83\n"
	                    "X,department,,\n";
	const char *communes = "code,name_vi,kind,lat,lon\nA,Alpha,ward,21.01,105.81\n"
	                       "B,Beta,commune,21.01,105.83\n";
	struct hanoi_params prm = hanoi_params_default();
	prm.p = 2;
	prm.radius_km = 1.5;
	json_t *o = NULL;
	assert_int_equal(
	        hanoi_report(&prm, small_geojson, small_districts, units, communes, &o, &e),
	        ERR_OK);
	assert_non_null(o);
	json_t *cand = json_object_get(o, "candidates");
	assert_int_equal(json_integer_value(json_object_get(cand, "service_points")), 1);
	assert_int_equal(json_integer_value(json_object_get(cand, "branches")), 1);
	assert_int_equal(json_integer_value(json_object_get(cand, "commune_centroids")), 2);
	assert_int_equal(
	        json_integer_value(json_object_get(json_object_get(o, "demand"), "population")),
	        1008);
	json_t *fewest = json_object_get(o, "fewest_radius");
	assert_int_equal(json_integer_value(json_object_get(fewest, "uncoverable_population")), 0);
	json_decref(o);
	/* p larger than the candidates (1 + 1 + 2 + the 2 km grid) */
	prm.p = 1000;
	assert_int_equal(
	        hanoi_report(&prm, small_geojson, small_districts, units, communes, &o, &e),
	        ERR_OUT_OF_RANGE);
	assert_null(o);
	prm.p = 2;
	prm.radius_km = 0;
	assert_int_equal(
	        hanoi_report(&prm, small_geojson, small_districts, units, communes, &o, &e),
	        ERR_INVALID_ARGUMENT);
	prm.radius_km = 5;
	assert_int_equal(hanoi_report(&prm, small_geojson, small_districts, "code,lat,lon\n",
	                              communes, &o, &e),
	                 ERR_INVALID_PLAN_DATA);
}

static void test_hanoi_grid_census(void **state)
{
	(void)state;
	struct err e;
	char *geo = slurp(SOURCE_DIR "/data/communes-2025.geojson");
	char *dis = slurp(SOURCE_DIR "/data/districts-2019.csv");
	char *units = slurp(SOURCE_DIR "/data/units.csv");
	char *communes = slurp(SOURCE_DIR "/data/communes.csv");
	struct hanoi_grid g, h;
	assert_int_equal(hanoi_grid_build(&g, geo, dis, 500, &e), ERR_OK);
	assert_int_equal(g.n_communes, 126);
	assert_int_equal(g.n_districts, 30);
	assert_int_equal(g.population, 8053663);
	/* about 3,360 km2 / 0.25 km2 */
	assert_true(g.n_cells > 13000 && g.n_cells < 14000);
	int64_t *per = calloc(g.n_districts, sizeof *per);
	assert_non_null(per);
	int64_t total = 0;
	for (size_t i = 0; i < g.n_cells; i++) {
		per[g.cells[i].district] += g.cells[i].population;
		total += g.cells[i].population;
		assert_true(hanoi_grid_locate(&g, g.cells[i].lat, g.cells[i].lon) != SIZE_MAX);
	}
	assert_int_equal(total, 8053663);
	for (size_t d = 0; d < g.n_districts; d++) {
		assert_int_equal(per[d], g.districts[d].population);
		assert_true(g.districts[d].n_cells > 0);
	}
	/* census figures of two districts (GSO 2019, first and last rows) */
	assert_string_equal(g.districts[0].name, "Đống Đa");
	assert_int_equal(per[0], 371606);
	assert_int_equal(per[29], 290580);
	assert_int_equal(hanoi_grid_build(&h, geo, dis, 500, &e), ERR_OK);
	assert_same_cells(&g, &h);
	hanoi_grid_release(&h);

	struct plan_instance in;
	struct hanoi_sites s;
	assert_int_equal(hanoi_instance_build(&in, &s, &g, units, communes, 2000, &e), ERR_OK);
	assert_int_equal(s.n_points, 30);
	assert_int_equal(s.n_branches, 12);
	assert_int_equal(s.n_centroids, 126);
	assert_true(s.n_grid > 780 && s.n_grid < 900); /* about 3,360 km2 / 4 km2 */
	assert_int_equal(in.n_sites, s.n_points + s.n_branches + s.n_centroids + s.n_grid);
	assert_int_equal(in.n_demand, g.n_cells);
	assert_true(plan_instance_total_weight(&in) == 8053663.0);
	assert_string_equal(in.sites[0].id, "DTN-BA-DINH");
	plan_instance_release(&in);
	free(per);
	hanoi_grid_release(&g);
	free(geo);
	free(dis);
	free(units);
	free(communes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_apportion_by_hand),
	        cmocka_unit_test(test_apportion_exact_large),
	        cmocka_unit_test(test_apportion_refused),
	        cmocka_unit_test(test_small_grid),
	        cmocka_unit_test(test_grid_refused),
	        cmocka_unit_test(test_small_report),
	        cmocka_unit_test(test_hanoi_grid_census),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
