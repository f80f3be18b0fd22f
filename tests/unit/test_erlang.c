/*
 * Unit tests for plan/erlang: Erlang B and C, service level, speed of answer,
 * sizing, shrinkage, unstable systems, pooling.
 *
 * Expected values come from published worked examples and tables, each named
 * at its test, and every one was recomputed independently with the direct
 * sums A^k/k! in 60-digit arithmetic (Python mpmath) before being written
 * here; the tolerances are those of the published rounding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "plan/erlang.h"

static void near_at(double got, double want, double tol, const char *file, int line)
{
	if (!(fabs(got - want) <= tol)) {
		print_error("got %.17g, want %.17g (tolerance %g)\n", got, want, tol);
		_fail(file, line);
	}
}

#define assert_near(got, want, tol) near_at((got), (want), (tol), __FILE__, __LINE__)

/* Relative closeness, for the large-n checks. */
#define assert_rel(got, want, rel) near_at((got), (want), fabs(want) * (rel), __FILE__, __LINE__)

/* A sizing input with no occupancy cap, no shrinkage and no minimum. */
static struct erlang_input input(double arrivals, double period, double aht, double target,
                                 double within)
{
	struct erlang_input in = {
	        .arrivals = arrivals,
	        .period = period,
	        .aht = aht,
	        .target = target,
	        .within = within,
	        .max_occupancy = 1.0,
	        .shrinkage = 0.0,
	        .min_desks = 0,
	};
	return in;
}

/* The smallest n with B(n, load) <= blocking. */
static long lines_for(double load, double blocking)
{
	long n = 0;
	while (erlang_b(n, load) > blocking)
		n++;
	return n;
}

/*
 * Erlang B: B(1, A) = A / (1 + A) by the definition; B(10 lines, 5 E) =
 * 0.01838 as in every Erlang B table. Westbay's Erlang calculator manual
 * (erlang.com, "How much traffic can a trunk group handle?"): 15 lines at 1 %
 * blocking carry 8.108 E; Westbay's forum answer (1,200 calls of 3 minutes in
 * the busy hour = 33.333 E at 1 %) needs 45 lines.
 */
static void test_erlang_b_tables(void **state)
{
	(void)state;
	assert_near(erlang_b(0, 3.0), 1.0, 0);
	assert_near(erlang_b(1, 1.0), 0.5, 1e-15);
	assert_near(erlang_b(2, 1.0), 0.2, 1e-15);
	assert_near(erlang_b(1, 4.0), 0.8, 1e-15);
	assert_near(erlang_b(10, 5.0), 0.01838, 5e-6);
	assert_near(erlang_b(10, 5.0), 0.0183845703366, 1e-12); /* mpmath */
	assert_near(erlang_b(15, 8.108), 0.01, 5e-6);
	assert_true(erlang_b(15, 8.107) < 0.01 && erlang_b(15, 8.109) > 0.01);
	assert_int_equal(lines_for(1200.0 / 36.0, 0.01), 45);
	/* No traffic, no blocking; a negative count is treated as no server. */
	assert_near(erlang_b(5, 0.0), 0.0, 0);
	assert_near(erlang_b(0, 0.0), 1.0, 0);
	assert_near(erlang_b(-3, 2.0), 1.0, 0);
}

/*
 * The call-centre example worked in the documentation of pyworkforce 0.1.0
 * (PyPI, ErlangC(transactions=100, aht=3 min, interval=30 min, asa=20 s,
 * max_occupancy=0.85, shrinkage=0.3)) and of the R package ErlangC 0.1.0
 * (CRAN): 100 arrivals in 30 minutes, 180 s handling, 80 % within 20 s ->
 * 14 positions, 20 with shrinkage, service level 0.88835, probability of
 * waiting 0.1741319, ASA 7.83594 s, occupancy 0.7142857; the R package's
 * trace starts at 11 agents with a waiting probability of 0.6821182.
 */
static void test_call_centre_example(void **state)
{
	(void)state;
	struct erlang_input in = input(100, 1800, 180, 0.8, 20);
	in.max_occupancy = 0.85;
	in.shrinkage = 0.3;
	struct erlang_result r;
	struct err e;
	assert_near(erlang_load(100, 1800, 180), 10.0, 1e-12);
	assert_int_equal(erlang_size(&in, &r, &e), ERR_OK);
	assert_near(r.load, 10.0, 1e-12);
	assert_int_equal(r.desks, 14);
	assert_int_equal(r.staff, 20);
	assert_true(r.stable);
	assert_near(r.service_level, 0.8883500191794669, 1e-9);
	assert_near(r.p_wait, 0.1741319335950498, 1e-9);
	assert_near(r.asa, 7.83593701177724, 1e-8);
	assert_near(r.occupancy, 0.7142857142857143, 1e-12);
	assert_int_equal(r.limit, ERLANG_LIMIT_SERVICE_LEVEL);
	assert_near(erlang_c(11, 10.0), 0.6821182, 5e-8);
	/* 13 desks fall short (0.7956), so 14 is the smallest. */
	assert_near(erlang_service_level(13, 10.0, 180, 20), 0.795594788418, 1e-9);
	/* Evaluating 14 desks gives the same figures. */
	struct erlang_result v;
	assert_int_equal(erlang_evaluate(&in, 14, &v, &e), ERR_OK);
	assert_int_equal(v.desks, 14);
	assert_near(v.service_level, r.service_level, 1e-15);
	assert_int_equal(v.limit, ERLANG_LIMIT_NONE);
}

/*
 * Mitan Ltd's worked example "The Erlang-C formula" (mitan.co.uk): 360 calls
 * per half hour, 4 minutes each, 55 agents, 15 s target: probability of
 * waiting 0.2387, mean wait 8.184 s, P(wait <= 15 s) = 0.8459 (figures as
 * reproduced in a Maxima note that checks them against the page).
 */
static void test_mitan_example(void **state)
{
	(void)state;
	double a = erlang_load(360, 1800, 240);
	assert_near(a, 48.0, 1e-12);
	assert_near(erlang_c(55, a), 0.2387, 5e-5);
	assert_near(erlang_asa(55, a, 240), 8.184, 5e-4);
	assert_near(erlang_service_level(55, a, 240, 15), 0.8459, 5e-5);
	/* 54 agents give 0.7929 < 0.80, so 80/15 needs exactly the 55. */
	struct erlang_input in = input(360, 1800, 240, 0.8, 15);
	struct erlang_result r;
	struct err e;
	assert_int_equal(erlang_size(&in, &r, &e), ERR_OK);
	assert_int_equal(r.desks, 55);
	assert_near(r.occupancy, 48.0 / 55.0, 1e-12);
}

/* B, C and the service level stay in [0, 1]; B and C fall and the service level rises with n. */
static void test_monotone_and_bounded(void **state)
{
	(void)state;
	const double loads[] = {0.01, 0.5, 1.0, 3.7, 10.0, 48.0, 99.5, 250.0};
	for (size_t i = 0; i < sizeof loads / sizeof loads[0]; i++) {
		double a = loads[i];
		double pb = 2.0, pc = 2.0, psl = -1.0, pasa = INFINITY;
		for (long n = 0; n <= (long)(3 * a) + 20; n++) {
			double b = erlang_b(n, a), c = erlang_c(n, a);
			double sl = erlang_service_level(n, a, 300, 60),
			       asa = erlang_asa(n, a, 300);
			assert_true(b >= 0.0 && b <= 1.0);
			assert_true(c >= 0.0 && c <= 1.0);
			assert_true(sl >= 0.0 && sl <= 1.0);
			assert_true(c >= b); /* waiting is at least as likely as blocking */
			assert_true(b < pb);
			assert_true(c <= pc);
			assert_true(sl >= psl);
			assert_true(asa <= pasa);
			if ((double)n > a) {
				assert_true(c < pc || pc == 2.0);
				assert_true(isfinite(asa));
			} else {
				assert_near(c, 1.0, 0);
				assert_near(sl, 0.0, 0);
				assert_true(isinf(asa));
			}
			pb = b;
			pc = c;
			psl = sl;
			pasa = asa;
		}
	}
}

/*
 * Thousands of servers: values recomputed with 60-digit direct sums
 * (mpmath). The naive A^n/n! would overflow a double long before n = 5000.
 */
static void test_large_n(void **state)
{
	(void)state;
	assert_rel(erlang_b(5000, 4900), 0.00221576790249724, 1e-9);
	assert_rel(erlang_c(5000, 4900), 0.0999378772344877, 1e-9);
	assert_rel(erlang_b(5000, 4950), 0.0057421518444911, 1e-9);
	assert_rel(erlang_c(5000, 4950), 0.366098219422723, 1e-9);
	assert_rel(erlang_b(10000, 9800), 0.000537130402106269, 1e-9);
	assert_rel(erlang_c(10000, 9800), 0.026167799590223, 1e-9);
	assert_rel(erlang_c(5000, 4999.5), 0.991198841080507, 1e-9);
	/* A million servers on a tiny load: B underflows to 0, nothing is NaN. */
	double b = erlang_b(ERLANG_MAX_DESKS, 1.0);
	assert_true(b >= 0.0 && b < 1e-300);
	assert_near(erlang_c(ERLANG_MAX_DESKS, 1.0), 0.0, 1e-300);
	assert_near(erlang_service_level(ERLANG_MAX_DESKS, 1.0, 180, 20), 1.0, 0);
	/* Sizing 9,800 Erlangs at 80/20 with 180 s: 9,813 desks (mpmath). */
	struct erlang_input in = input(9800 * 10, 1800, 180, 0.8, 20);
	struct erlang_result r;
	struct err e;
	assert_int_equal(erlang_size(&in, &r, &e), ERR_OK);
	assert_int_equal(r.desks, 9813);
	assert_true(r.service_level >= 0.8 && isfinite(r.asa));
	assert_true(erlang_service_level(9812, 9800, 180, 20) < 0.8);
}

/* Sizing answers the smallest count: n meets the target and n - 1 does not. */
static void test_size_is_minimal(void **state)
{
	(void)state;
	const double arrivals[] = {1, 7, 40, 100, 333, 1000, 2500};
	const double targets[] = {0.5, 0.8, 0.9, 0.95, 0.999};
	const double withins[] = {0, 20, 120};
	for (size_t i = 0; i < sizeof arrivals / sizeof arrivals[0]; i++)
		for (size_t j = 0; j < sizeof targets / sizeof targets[0]; j++)
			for (size_t k = 0; k < sizeof withins / sizeof withins[0]; k++) {
				struct erlang_input in =
				        input(arrivals[i], 3600, 600, targets[j], withins[k]);
				struct erlang_result r;
				struct err e;
				assert_int_equal(erlang_size(&in, &r, &e), ERR_OK);
				double sl = erlang_service_level(r.desks, r.load, 600, withins[k]);
				assert_true(sl >= targets[j]);
				assert_near(sl, r.service_level, 1e-12);
				assert_true(erlang_service_level(r.desks - 1, r.load, 600,
				                                 withins[k]) < targets[j]);
			}
}

/* Unstable systems: n <= A. */
static void test_unstable(void **state)
{
	(void)state;
	struct erlang_input in = input(100, 1800, 180, 0.8, 20); /* A = 10 */
	struct erlang_result r;
	struct err e;
	for (long n = 1; n <= 10; n++) {
		assert_int_equal(erlang_evaluate(&in, n, &r, &e), ERR_OK);
		assert_false(r.stable);
		assert_near(r.p_wait, 1.0, 0);
		assert_near(r.service_level, 0.0, 0);
		assert_true(isinf(r.asa));
		assert_near(r.occupancy, 1.0, 0);
	}
	assert_int_equal(erlang_evaluate(&in, 11, &r, &e), ERR_OK);
	assert_true(r.stable);
	assert_true(isfinite(r.asa) && r.asa > 0);
	/* Just above the load: stable, C close to 1, no NaN. */
	assert_true(erlang_c(11, 10.999999) < 1.0 && erlang_c(11, 10.999999) > 0.99);
	assert_true(isfinite(erlang_asa(11, 10.999999, 180)));
}

/* Shrinkage: staff = ceil(desks / (1 - shrinkage)), without rounding noise. */
static void test_staff(void **state)
{
	(void)state;
	assert_int_equal(erlang_staff(14, 0.3), 20);
	/* Exact quotients that doubles overshoot: 21 / (1 - 0.3) = 30.000000000000004. */
	assert_int_equal(erlang_staff(21, 0.3), 30);
	assert_int_equal(erlang_staff(21, 0.65), 60);
	assert_int_equal(erlang_staff(1, 0.8), 5);
	assert_int_equal(erlang_staff(1, 0.9), 10);
	assert_int_equal(erlang_staff(7, 0.3), 10);
	assert_int_equal(erlang_staff(15, 0.3), 22); /* 21.43 */
	assert_int_equal(erlang_staff(0, 0.3), 0);
	assert_int_equal(erlang_staff(10, 0.0), 10);
	assert_int_equal(erlang_staff(1, 0.5), 2);
	assert_int_equal(erlang_staff(3, 0.5), 6);
	assert_int_equal(erlang_staff(1, 0.99), 100);
	assert_int_equal(erlang_staff(184, 0.25), 246); /* 245.33 */
	assert_int_equal(erlang_staff(ERLANG_MAX_DESKS, 0.2), 1250000);
	assert_int_equal(erlang_staff(1, 1.0), -1);
	assert_int_equal(erlang_staff(1, -0.1), -1);
	assert_int_equal(erlang_staff(1, NAN), -1);
	assert_int_equal(erlang_staff(-1, 0.3), -1);
	assert_int_equal(erlang_staff(ERLANG_MAX_DESKS + 1, 0.3), -1);
}

/* The occupancy cap and the minimum can decide instead of the service level. */
static void test_limits(void **state)
{
	(void)state;
	struct erlang_result r;
	struct err e;
	/* A = 10, 50 % within 20 s needs 12 desks (0.640; 11 gives 0.390)... */
	struct erlang_input in = input(100, 1800, 180, 0.5, 20);
	assert_int_equal(erlang_size(&in, &r, &e), ERR_OK);
	assert_int_equal(r.desks, 12);
	assert_int_equal(r.limit, ERLANG_LIMIT_SERVICE_LEVEL);
	/* ...but at most 70 % occupancy needs 15 (10/14 = 0.714). */
	in.max_occupancy = 0.7;
	assert_int_equal(erlang_size(&in, &r, &e), ERR_OK);
	assert_int_equal(r.desks, 15);
	assert_int_equal(r.limit, ERLANG_LIMIT_OCCUPANCY);
	assert_true(r.occupancy <= 0.7);
	/* An occupancy of exactly 10/16 = 0.625 allows 16, not 17. */
	in.max_occupancy = 0.625;
	assert_int_equal(erlang_size(&in, &r, &e), ERR_OK);
	assert_int_equal(r.desks, 16);
	/* A minimum of 20 desks wins over both. */
	in.min_desks = 20;
	assert_int_equal(erlang_size(&in, &r, &e), ERR_OK);
	assert_int_equal(r.desks, 20);
	assert_int_equal(r.limit, ERLANG_LIMIT_MINIMUM);
	assert_near(r.occupancy, 0.5, 1e-15);
	/* No arrivals: the minimum (here 0), everything trivially served. */
	in = input(0, 3600, 600, 0.8, 20);
	assert_int_equal(erlang_size(&in, &r, &e), ERR_OK);
	assert_int_equal(r.desks, 0);
	assert_int_equal(r.staff, 0);
	assert_true(r.stable);
	assert_near(r.p_wait, 0.0, 0);
	assert_near(r.service_level, 1.0, 0);
	assert_near(r.asa, 0.0, 0);
	assert_near(r.occupancy, 0.0, 0);
	assert_int_equal(r.limit, ERLANG_LIMIT_MINIMUM);
	in.min_desks = 1;
	assert_int_equal(erlang_size(&in, &r, &e), ERR_OK);
	assert_int_equal(r.desks, 1);
	assert_string_equal(erlang_limit_name(ERLANG_LIMIT_OCCUPANCY), "occupancy");
	assert_string_equal(erlang_limit_name(ERLANG_LIMIT_SERVICE_LEVEL), "service_level");
	assert_string_equal(erlang_limit_name(ERLANG_LIMIT_MINIMUM), "minimum");
	assert_null(erlang_limit_name(ERLANG_LIMIT_NONE));
}

/* Bad input is refused with the field named. */
static void test_bad_input(void **state)
{
	(void)state;
	struct erlang_input good = input(100, 1800, 180, 0.8, 20);
	struct erlang_result r;
	struct err e;
	struct {
		struct erlang_input in;
		const char *word;
	} cases[] = {
	        {good, "arrivals"},  {good, "arrivals"},  {good, "period"},    {good, "period"},
	        {good, "handling"},  {good, "handling"},  {good, "answer"},    {good, "target"},
	        {good, "target"},    {good, "target"},    {good, "occupancy"}, {good, "occupancy"},
	        {good, "shrinkage"}, {good, "shrinkage"}, {good, "minimum"},   {good, "load"},
	};
	cases[0].in.arrivals = -1;
	cases[1].in.arrivals = NAN;
	cases[2].in.period = 0;
	cases[3].in.period = -60;
	cases[4].in.aht = 0;
	cases[5].in.aht = INFINITY;
	cases[6].in.within = -1;
	cases[7].in.target = 0;
	cases[8].in.target = 1;
	cases[9].in.target = NAN;
	cases[10].in.max_occupancy = 0;
	cases[11].in.max_occupancy = 1.01;
	cases[12].in.shrinkage = 1;
	cases[13].in.shrinkage = -0.01;
	cases[14].in.min_desks = -1;
	cases[15].in.arrivals = 1e308;
	cases[15].in.aht = 1e10;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		err_clear(&e);
		assert_int_equal(erlang_size(&cases[i].in, &r, &e), ERR_OUT_OF_RANGE);
		assert_non_null(strstr(e.detail, cases[i].word));
	}
	/* Evaluation ignores the target but checks the desk count. */
	struct erlang_input no_target = good;
	no_target.target = 0;
	assert_int_equal(erlang_evaluate(&no_target, 14, &r, &e), ERR_OK);
	assert_int_equal(erlang_evaluate(&good, -1, &r, &e), ERR_OUT_OF_RANGE);
	assert_int_equal(erlang_evaluate(&good, ERLANG_MAX_DESKS + 1, &r, &e), ERR_OUT_OF_RANGE);
	assert_int_equal(erlang_evaluate(&cases[2].in, 14, &r, &e), ERR_OUT_OF_RANGE);
	/* More desks than the module sizes: refused, not looped on. */
	struct erlang_input huge = input(2e6, 3600, 3600, 0.8, 20);
	assert_int_equal(erlang_size(&huge, &r, &e), ERR_OUT_OF_RANGE);
	assert_non_null(strstr(e.detail, "desks"));
	struct erlang_input cap = input(10, 3600, 3600, 0.8, 20);
	cap.max_occupancy = 1e-300;
	assert_int_equal(erlang_size(&cap, &r, &e), ERR_OUT_OF_RANGE);
}

/*
 * Pooling: ten points each with A = 1 Erlang (10 arrivals per 30 min of
 * 180 s) need 3 desks each at 80/20 (30 in all); one queue for all, A = 10,
 * needs 14 (the call-centre example above). Values checked with mpmath.
 */
static void test_pooling(void **state)
{
	(void)state;
	double arr[10];
	long each[10];
	for (int i = 0; i < 10; i++)
		arr[i] = 10;
	struct erlang_input in = input(0, 1800, 180, 0.8, 20);
	in.shrinkage = 0.3;
	struct erlang_pooling p;
	struct err e;
	assert_int_equal(erlang_pooling(&in, arr, 10, each, &p, &e), ERR_OK);
	assert_int_equal(p.points, 10);
	assert_near(p.load, 10.0, 1e-12);
	for (int i = 0; i < 10; i++)
		assert_int_equal(each[i], 3);
	assert_int_equal(p.desks_separate, 30);
	assert_int_equal(p.desks_pooled, 14);
	assert_int_equal(p.staff_separate, 50); /* 3 / 0.7 -> 5 each */
	assert_int_equal(p.staff_pooled, 20);
	assert_near(p.occupancy_separate, 10.0 / 30.0, 1e-12);
	assert_near(p.occupancy_pooled, 10.0 / 14.0, 1e-12);

	/* Uneven points (a fixed pseudo-random sequence): pooling never needs more desks. */
	uint32_t x = 12345;
	double uneven[40];
	for (int trial = 0; trial < 20; trial++) {
		for (int i = 0; i < 40; i++) {
			x = x * 1664525u + 1013904223u;
			uneven[i] = (double)(x >> 20) / 64.0; /* 0 .. 64 arrivals */
		}
		struct erlang_input u = input(0, 3600, 900, 0.8, 600);
		u.max_occupancy = 0.85;
		assert_int_equal(erlang_pooling(&u, uneven, 40, NULL, &p, &e), ERR_OK);
		assert_true(p.desks_pooled <= p.desks_separate);
		assert_true(p.occupancy_pooled >= p.occupancy_separate);
	}
	/* A bad point is named; no points at all compare nothing. */
	arr[3] = -5;
	assert_int_equal(erlang_pooling(&in, arr, 10, each, &p, &e), ERR_OUT_OF_RANGE);
	assert_non_null(strstr(e.detail, "point '3'"));
	assert_int_equal(erlang_pooling(&in, arr, 0, NULL, &p, &e), ERR_OK);
	assert_int_equal(p.desks_separate, 0);
	assert_int_equal(p.desks_pooled, 0);
	assert_near(p.occupancy_pooled, 0.0, 0);
}

/*
 * An hourly profile at 600 s per dossier, 80 % served within 300 s (mpmath):
 * 0, 6, 30, 45, 24, 12 arrivals per hour need 0, 3, 7, 10, 6, 4 desks.
 */
static void test_profile_and_mix(void **state)
{
	(void)state;
	const double hourly[] = {0, 6, 30, 45, 24, 12};
	const long want[] = {0, 3, 7, 10, 6, 4};
	long desks[6], peak = -1;
	struct erlang_input in = input(0, 3600, 600, 0.8, 300);
	struct err e;
	assert_int_equal(erlang_size_profile(&in, hourly, 6, desks, &peak, &e), ERR_OK);
	for (int i = 0; i < 6; i++)
		assert_int_equal(desks[i], want[i]);
	assert_int_equal(peak, 10);
	const double bad[] = {3, NAN};
	assert_int_equal(erlang_size_profile(&in, bad, 2, desks, NULL, &e), ERR_OUT_OF_RANGE);
	assert_non_null(strstr(e.detail, "interval '1'"));

	/* 100 dossiers of 180 s and 50 of 600 s: (18,000 + 30,000) / 150 = 320 s. */
	const double a[] = {100, 50}, t[] = {180, 600};
	assert_near(erlang_mixed_aht(a, t, 2), 320.0, 1e-12);
	const double none[] = {0, 0};
	assert_near(erlang_mixed_aht(none, t, 2), 0.0, 0);
	const double neg[] = {100, -1};
	assert_near(erlang_mixed_aht(neg, t, 2), -1.0, 0);
	assert_near(erlang_mixed_aht(a, t, 0), 0.0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_erlang_b_tables), cmocka_unit_test(test_call_centre_example),
	        cmocka_unit_test(test_mitan_example),   cmocka_unit_test(test_monotone_and_bounded),
	        cmocka_unit_test(test_large_n),         cmocka_unit_test(test_size_is_minimal),
	        cmocka_unit_test(test_unstable),        cmocka_unit_test(test_staff),
	        cmocka_unit_test(test_limits),          cmocka_unit_test(test_bad_input),
	        cmocka_unit_test(test_pooling),         cmocka_unit_test(test_profile_and_mix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
