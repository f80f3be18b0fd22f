/*
 * Unit tests for the pure parts of service/demo_city: the random stream
 * (splitmix64, whose first outputs for seed 0 are published with Vigna's
 * reference implementation, prng.di.unimi.it/splitmix64.c), the weighted
 * choice, and the arrival model (weights and hours documented in
 * docs/demo.md: counters 08:00-17:00 on working days, 08:00-12:00 on
 * Saturdays, closed on Sundays and days off; online at any hour).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "service/demo_city.h"

static void test_splitmix_reference(void **state)
{
	(void)state;
	uint64_t s = 0;
	assert_true(demo_rng_next(&s) == 0xe220a8397b1dcdafu);
	assert_true(demo_rng_next(&s) == 0x6e789e6aa1b965f4u);
	assert_true(demo_rng_next(&s) == 0x06c45d188009454fu);
	/* the same seed gives the same stream */
	uint64_t a = 42, b = 42;
	for (int i = 0; i < 100; i++)
		assert_true(demo_rng_next(&a) == demo_rng_next(&b));
}

static void test_unit_range(void **state)
{
	(void)state;
	uint64_t s = 7;
	double sum = 0;
	for (int i = 0; i < 100000; i++) {
		double u = demo_rng_unit(&s);
		assert_true(u >= 0.0 && u < 1.0);
		sum += u;
		double r = demo_rng_range(&s, 2.0, 3.0);
		assert_true(r >= 2.0 && r < 3.0);
	}
	assert_true(fabs(sum / 100000 - 0.5) < 0.01);
	int yes = 0;
	for (int i = 0; i < 100000; i++)
		yes += demo_rng_chance(&s, 0.04);
	assert_true(yes > 3600 && yes < 4400); /* 4 % +- 10 % */
	assert_false(demo_rng_chance(&s, 0.0));
	assert_true(demo_rng_chance(&s, 1.0));
}

static void test_pick_boundaries(void **state)
{
	(void)state;
	double w[] = {1, 0, 2}; /* the middle one can never be chosen */
	assert_true(demo_cumulate(w, 3) == 3.0);
	assert_true(w[0] == 1 && w[1] == 1 && w[2] == 3);
	assert_int_equal(demo_pick(w, 3, 0.0), 0);
	assert_int_equal(demo_pick(w, 3, 0.33), 0);
	assert_int_equal(demo_pick(w, 3, 1.0 / 3.0), 2); /* x == 1.0: past the first */
	assert_int_equal(demo_pick(w, 3, 0.9999999), 2);
	double lead[] = {0, 0, 5};
	demo_cumulate(lead, 3);
	assert_int_equal(demo_pick(lead, 3, 0.0), 2);
	/* a trailing zero weight is never chosen, even when u * total rounds to total */
	double trail[] = {2, 0};
	demo_cumulate(trail, 2);
	assert_int_equal(demo_pick(trail, 2, 0.99999999999999999), 0);
	assert_int_equal(demo_pick(trail, 2, 1.0), 0);
	/* negative weights count as zero */
	double neg[] = {-4, 1};
	assert_true(demo_cumulate(neg, 2) == 1.0);
	assert_int_equal(demo_pick(neg, 2, 0.0), 1);
	assert_int_equal(demo_pick(neg, 0, 0.5), 0);
}

static void test_pick_frequencies(void **state)
{
	(void)state;
	double w[] = {20, 10, 6, 0, 4};
	demo_cumulate(w, 5);
	int n[5] = {0};
	uint64_t s = 1;
	for (int i = 0; i < 200000; i++)
		n[demo_pick(w, 5, demo_rng_unit(&s))]++;
	assert_int_equal(n[3], 0);
	/* 50 %, 25 %, 15 %, 10 % within 1 point */
	assert_true(abs(n[0] - 100000) < 2000);
	assert_true(abs(n[1] - 50000) < 2000);
	assert_true(abs(n[2] - 30000) < 2000);
	assert_true(abs(n[4] - 20000) < 2000);
}

static void test_day_weights(void **state)
{
	(void)state;
	/* counters are closed on Sundays and days off; online filings come every day */
	assert_true(demo_day_weight(DEMO_DAY_CLOSED, 0, false) == 0.0);
	assert_true(demo_day_weight(DEMO_DAY_CLOSED, 3, false) == 0.0);
	for (int wd = 0; wd < 7; wd++)
		for (int k = DEMO_DAY_WORKING; k <= DEMO_DAY_CLOSED; k++)
			assert_true(demo_day_weight((enum demo_day_kind)k, wd, true) > 0.0);
	/* Monday busiest, Saturday mornings quieter than any working day */
	assert_true(demo_day_weight(DEMO_DAY_WORKING, 1, false) >
	            demo_day_weight(DEMO_DAY_WORKING, 5, false));
	assert_true(demo_day_weight(DEMO_DAY_SATURDAY, 6, false) <
	            demo_day_weight(DEMO_DAY_WORKING, 5, false));
	/* a make-up Saturday works as a full day */
	assert_true(demo_day_weight(DEMO_DAY_WORKING, 6, false) > 0.5);
	/* online share of a working day between 30 % and 50 % */
	double c = demo_day_weight(DEMO_DAY_WORKING, 3, false),
	       o = demo_day_weight(DEMO_DAY_WORKING, 3, true);
	assert_true(o / (c + o) > 0.3 && o / (c + o) < 0.5);
}

static void test_arrival_hours(void **state)
{
	(void)state;
	uint64_t s = 3;
	int peak = 0, total = 200000;
	for (int i = 0; i < total; i++) {
		double u1 = demo_rng_unit(&s), u2 = demo_rng_unit(&s);
		int c = demo_arrival_second(DEMO_DAY_WORKING, false, u1, u2);
		assert_true(c >= 8 * 3600 && c < 17 * 3600);
		peak += c >= 9 * 3600 && c < 11 * 3600;
		int sat = demo_arrival_second(DEMO_DAY_SATURDAY, false, u1, u2);
		assert_true(sat >= 8 * 3600 && sat < 12 * 3600);
		int web = demo_arrival_second(DEMO_DAY_CLOSED, true, u1, u2);
		assert_true(web >= 0 && web < 86400);
	}
	/* 9:00-11:00 holds 2.8 of the 8.4 weight units of a counter day (one third) */
	assert_true(abs(peak - total / 3) < total / 100);
	/* the extremes of u stay inside */
	assert_int_equal(demo_arrival_second(DEMO_DAY_WORKING, false, 0.0, 0.0), 8 * 3600);
	assert_int_equal(demo_arrival_second(DEMO_DAY_WORKING, false, 0.9999999, 0.9999999),
	                 17 * 3600 - 1);
	assert_int_equal(demo_arrival_second(DEMO_DAY_SATURDAY, false, 0.9999999, 0.9999999),
	                 12 * 3600 - 1);
	assert_int_equal(demo_arrival_second(DEMO_DAY_CLOSED, true, 0.0, 0.0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_splitmix_reference), cmocka_unit_test(test_unit_range),
	        cmocka_unit_test(test_pick_boundaries),    cmocka_unit_test(test_pick_frequencies),
	        cmocka_unit_test(test_day_weights),        cmocka_unit_test(test_arrival_hours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
