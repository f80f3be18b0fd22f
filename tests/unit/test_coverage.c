/*
 * Unit tests for plan/coverage. Expected values are worked by hand on small
 * instances (3-4-5 triangles in metres, a matrix with an unreachable pair)
 * and, for travel times, from the definition minutes = metres x circuity /
 * (km/h x 1000 / 60).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan/coverage.h"
#include "plan/instance.h"

/*
 * Demand: a (0,0) w 10; b (3000,4000) w 20 (5 km from a); c (0,9000) w 5;
 * z (0,0) w 0. Sites: s1 at (0,0), s2 at (0,10000).
 */
static const char *demand = "id,x,y,weight,zone\n"
                            "a,0,0,10,urban\n"
                            "b,3000,4000,20,rural\n"
                            "c,0,9000,5,suburban\n"
                            "z,0,0,0,urban\n";
static const char *sites = "id,x,y\ns1,0,0\ns2,0,10000\n";

static void test_radius(void **state)
{
	(void)state;
	struct plan_instance in;
	struct coverage_report r;
	struct err e;
	assert_int_equal(plan_instance_parse(&in, demand, sites, NULL, &e), ERR_OK);
	size_t open[2] = {0, 1};
	struct coverage_params prm = {.radius = 5000, .minutes = -1, .top_k = 2};
	assert_int_equal(coverage_analyse(&in, open, 2, &prm, &r, &e), ERR_OK);
	assert_int_equal(r.n_points, 4);
	/* a: s1 at 0; b: s1 at 5000 (exactly R: covered); c: s2 at 1000; z: s1 at 0 */
	assert_int_equal(r.points[0].nearest, 0);
	assert_true(r.points[1].distance == 5000 && r.points[1].covered);
	assert_int_equal(r.points[2].nearest, 1);
	assert_true(r.points[2].distance == 1000);
	assert_true(r.points[0].minutes == -1);
	assert_true(r.total_weight == 35);
	assert_true(r.covered_weight == 35);
	assert_true(r.covered_share == 1.0);
	assert_true(r.radius_weight == 35);
	assert_true(r.minutes_weight == 0);
	/* weighted mean (10*0 + 20*5000 + 5*1000 + 0) / 35 = 3000 */
	assert_true(fabs(r.mean_distance - 3000) < 1e-9);
	assert_true(r.max_distance == 5000);
	assert_true(r.max_minutes == -1);
	assert_int_equal(r.n_unreachable, 0);
	/* worst: b (5000), then c (1000); z has no weight and is not listed */
	assert_int_equal(r.n_worst, 2);
	assert_int_equal(r.worst[0], 1);
	assert_int_equal(r.worst[1], 2);
	coverage_report_release(&r);

	/* only s2 open, radius 4999: b is 3000,6000 away = 6708 m; a 10 km */
	prm.radius = 4999;
	prm.top_k = 10;
	assert_int_equal(coverage_analyse(&in, open + 1, 1, &prm, &r, &e), ERR_OK);
	assert_true(r.covered_weight == 5);
	assert_true(fabs(r.covered_share - 5.0 / 35) < 1e-12);
	assert_int_equal(r.n_worst, 3);  /* positive weights only */
	assert_int_equal(r.worst[0], 0); /* a: 10000 */
	assert_int_equal(r.worst[1], 1); /* b: 6708 */
	assert_int_equal(r.worst[2], 2);
	assert_true(r.max_distance == 10000);
	coverage_report_release(&r);

	/* no open site: every point unreachable, nothing covered */
	assert_int_equal(coverage_analyse(&in, NULL, 0, &prm, &r, &e), ERR_OK);
	assert_int_equal(r.n_unreachable, 4);
	assert_true(r.unreachable_weight == 35);
	assert_true(r.covered_weight == 0);
	assert_true(r.mean_distance == 0 && r.max_distance == 0);
	assert_int_equal(r.points[0].nearest, SIZE_MAX);
	coverage_report_release(&r);
	plan_instance_release(&in);
}

static void test_minutes(void **state)
{
	(void)state;
	struct plan_instance in;
	struct coverage_report r;
	struct err e;
	assert_int_equal(plan_instance_parse(&in, demand, sites, NULL, &e), ERR_OK);
	size_t open[1] = {0};
	struct coverage_params prm = {.radius = -1, .minutes = 10, .travel = geo_travel_default()};
	assert_int_equal(coverage_analyse(&in, open, 1, &prm, &r, &e), ERR_OK);
	/* b: 5000 m x 1.3 at 40 km/h (rural) = 9.75 min: covered */
	assert_true(fabs(r.points[1].minutes - 9.75) < 1e-9);
	assert_true(r.points[1].covered);
	/* c: 9000 m x 1.3 at 30 km/h (suburban) = 23.4 min: not covered */
	assert_true(fabs(r.points[2].minutes - 23.4) < 1e-9);
	assert_false(r.points[2].covered);
	assert_true(r.minutes_weight == 30);
	assert_true(r.covered_weight == 30);
	assert_true(fabs(r.max_minutes - 23.4) < 1e-9);
	coverage_report_release(&r);
	/* radius or minutes: c is within neither 5 km nor 10 minutes; with R = 9000 it is */
	prm.radius = 9000;
	assert_int_equal(coverage_analyse(&in, open, 1, &prm, &r, &e), ERR_OK);
	assert_true(r.covered_weight == 35);
	assert_true(r.radius_weight == 35 && r.minutes_weight == 30);
	coverage_report_release(&r);
	/* invalid travel parameters */
	prm.travel.circuity = 0.5;
	assert_int_equal(coverage_analyse(&in, open, 1, &prm, &r, &e), ERR_INVALID_ARGUMENT);
	assert_null(r.points);
	plan_instance_release(&in);
}

static void test_matrix_and_errors(void **state)
{
	(void)state;
	struct plan_instance in;
	struct coverage_report r;
	struct err e;
	assert_int_equal(plan_instance_parse(&in, "id,weight\nd1,3\nd2,4\n", "id\nA\nB\n",
	                                     "demand_id,site_id,distance\nd1,A,12\nd1,B,7\n", &e),
	                 ERR_OK);
	size_t open[2] = {0, 1};
	struct coverage_params prm = {.radius = 10, .minutes = -1, .top_k = 5};
	assert_int_equal(coverage_analyse(&in, open, 2, &prm, &r, &e), ERR_OK);
	assert_int_equal(r.points[0].nearest, 1);
	assert_true(r.points[0].distance == 7);
	assert_int_equal(r.points[1].nearest, SIZE_MAX);
	assert_true(r.points[1].distance == PLAN_UNREACHABLE);
	assert_int_equal(r.n_unreachable, 1);
	assert_true(r.unreachable_weight == 4);
	assert_true(r.covered_weight == 3);
	assert_true(r.mean_distance == 7 && r.max_distance == 7);
	assert_int_equal(r.n_worst, 2);
	assert_int_equal(r.worst[0], 1); /* unreachable first */
	coverage_report_release(&r);
	/* refusals */
	prm.minutes = 30;
	prm.travel = geo_travel_default();
	assert_int_equal(coverage_analyse(&in, open, 2, &prm, &r, &e), ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(e.detail, "minutes need coordinates"));
	prm.minutes = -1;
	prm.radius = -1;
	assert_int_equal(coverage_analyse(&in, open, 2, &prm, &r, &e), ERR_INVALID_ARGUMENT);
	prm.radius = NAN;
	assert_int_equal(coverage_analyse(&in, open, 2, &prm, &r, &e), ERR_INVALID_ARGUMENT);
	prm.radius = 1;
	open[1] = 2;
	assert_int_equal(coverage_analyse(&in, open, 2, &prm, &r, &e), ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(e.detail, "out of range"));
	plan_instance_release(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_radius),
	        cmocka_unit_test(test_minutes),
	        cmocka_unit_test(test_matrix_and_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
