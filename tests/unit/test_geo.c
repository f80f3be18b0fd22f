/*
 * Unit tests for plan/geo: haversine and Euclidean distances, travel times.
 * Expected values: the sphere's own geometry (a degree of a great circle is
 * pi R / 180, half the circumference pi R, with R = 6,371,008.8 m, the mean
 * radius of GRS 80 per Moritz 2000); the worked example of Rosetta Code's
 * "Haversine formula" task (Nashville BNA 36.12 N 86.67 W to Los Angeles
 * LAX 33.94 N 118.40 W: 2887.2599506071106 km on a sphere of 6372.8 km,
 * so 2887.2599506071106 x 6371.0088 / 6372.8 km on ours); and the
 * definition travel time = distance x circuity / speed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "plan/geo.h"

#define PI 3.14159265358979323846

static void test_haversine_sphere(void **state)
{
	(void)state;
	double deg = PI * GEO_EARTH_RADIUS_M / 180.0; /* 111,195.08 m */
	assert_true(fabs(geo_haversine(0, 0, 1, 0) - deg) < 1e-6);
	assert_true(fabs(geo_haversine(0, 0, 0, 1) - deg) < 1e-6);
	assert_true(fabs(geo_haversine(10, 20, 10, 20)) < 1e-9);
	/* pole to equator: a quarter of the circumference */
	assert_true(fabs(geo_haversine(90, 0, 0, 123) - 90 * deg) < 1e-4);
	/* antipodes (the clamp of a to 1 keeps asin defined) */
	assert_true(fabs(geo_haversine(0, 0, 0, 180) - PI * GEO_EARTH_RADIUS_M) < 1e-3);
	assert_true(fabs(geo_haversine(45, 10, -45, -170) - PI * GEO_EARTH_RADIUS_M) < 1e-3);
	/* across the antimeridian: 179.5 E to 179.5 W is one degree on the equator */
	assert_true(fabs(geo_haversine(0, 179.5, 0, -179.5) - deg) < 1e-6);
	/* symmetric */
	assert_true(geo_haversine(21.0285, 105.8542, 20.9, 105.7) ==
	            geo_haversine(20.9, 105.7, 21.0285, 105.8542));
}

static void test_haversine_published(void **state)
{
	(void)state;
	double expect = 2887.2599506071106 * 6371.0088 / 6372.8 * 1000.0;
	assert_true(fabs(geo_haversine(36.12, -86.67, 33.94, -118.40) - expect) < 1e-3);
	/* a short distance keeps its precision: 1 m along a meridian near Hanoi */
	double one_m = 180.0 / (PI * GEO_EARTH_RADIUS_M);
	assert_true(fabs(geo_haversine(21.0, 105.8, 21.0 + one_m, 105.8) - 1.0) < 1e-6);
}

static void test_euclid(void **state)
{
	(void)state;
	assert_true(geo_euclid(0, 0, 3, 4) == 5.0);
	assert_true(geo_euclid(409154, 435528, 409151, 435683) == sqrt(3.0 * 3.0 + 155.0 * 155.0));
	assert_true(geo_euclid(-1, -1, -1, -1) == 0.0);
	assert_true(geo_euclid(0, 0, 800, 0) == 800.0); /* exact: coverage tests rely on it */
}

static void test_travel(void **state)
{
	(void)state;
	struct geo_travel t = geo_travel_default();
	assert_true(geo_travel_valid(&t));
	assert_true(t.circuity == 1.3);
	/* 5 km straight, x 1.3 = 6.5 km of road at 20 km/h = 19.5 minutes */
	assert_true(fabs(geo_travel_minutes(&t, 5000, GEO_ZONE_URBAN) - 19.5) < 1e-9);
	/* at 30 and 40 km/h: 13 and 9.75 minutes */
	assert_true(fabs(geo_travel_minutes(&t, 5000, GEO_ZONE_SUBURBAN) - 13.0) < 1e-9);
	assert_true(fabs(geo_travel_minutes(&t, 5000, GEO_ZONE_RURAL) - 9.75) < 1e-9);
	/* reach is the inverse: 30 minutes at 40 km/h = 20 km of road = 20/1.3 km straight */
	assert_true(fabs(geo_travel_reach(&t, 30, GEO_ZONE_RURAL) - 20000.0 / 1.3) < 1e-6);
	for (int z = 0; z < GEO_ZONE__COUNT; z++) {
		double m = geo_travel_reach(&t, 17.25, (enum geo_zone)z);
		assert_true(fabs(geo_travel_minutes(&t, m, (enum geo_zone)z) - 17.25) < 1e-9);
	}
	/* an out-of-range zone falls back to urban */
	assert_true(geo_travel_minutes(&t, 5000, (enum geo_zone)7) == 19.5);
	struct geo_travel bad = t;
	bad.circuity = 0.9;
	assert_false(geo_travel_valid(&bad));
	bad = t;
	bad.speed_kmh[GEO_ZONE_RURAL] = 0;
	assert_false(geo_travel_valid(&bad));
	bad.speed_kmh[GEO_ZONE_RURAL] = NAN;
	assert_false(geo_travel_valid(&bad));
	assert_false(geo_travel_valid(NULL));
}

static void test_zone_names(void **state)
{
	(void)state;
	assert_int_equal(geo_zone_parse("urban"), GEO_ZONE_URBAN);
	assert_int_equal(geo_zone_parse("suburban"), GEO_ZONE_SUBURBAN);
	assert_int_equal(geo_zone_parse("rural"), GEO_ZONE_RURAL);
	assert_int_equal(geo_zone_parse("Urban"), -1);
	assert_int_equal(geo_zone_parse(""), -1);
	assert_int_equal(geo_zone_parse(NULL), -1);
	assert_string_equal(geo_zone_name(GEO_ZONE_RURAL), "rural");
	assert_string_equal(geo_zone_name((enum geo_zone)9), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_haversine_sphere), cmocka_unit_test(test_haversine_published),
	        cmocka_unit_test(test_euclid),           cmocka_unit_test(test_travel),
	        cmocka_unit_test(test_zone_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
