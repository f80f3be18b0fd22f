/*
 * Unit tests for domain/lunar: the Vietnamese lunar calendar (UTC+7).
 *
 * Sources of the expected values, cited at each test:
 * [GOV]  the Government's yearly Tết holiday notices (Tết Canh Tý 2020, Quý
 *        Mão 2023, Giáp Thìn 2024, Ất Tỵ 2025, Bính Ngọ 2026) and the yearly
 *        announcements of the Hùng Kings' commemoration day (10/3 lunar);
 * [HND]  Hồ Ngọc Đức, "Computing the Vietnamese lunar calendar"
 *        (informatik.uni-leipzig.de/~duc/amlich/calrules_en.html): the worked
 *        example of 1984-85 (month 11 of 1984 from 23/11/1984 to 21/12/1984,
 *        Tết 1985 on 21/01/1985, leap month 21/03-19/04/1985, month 11 of
 *        1985 from 12/12/1985) and the Tết dates that differ from China's in
 *        2007, 2030 and 2053;
 * [ASL]  H. Aslaksen, "The Mathematics of the Chinese Calendar" (NUS): Tết
 *        1968, new moon at 16:29 UTC on 29 January (23:29 in Hanoi);
 * [ISSUE] the facts listed in the issue that asked for this module (leap
 *        months of 2012, 2017, 2020, 2023, 2025; 2025-07-25 = 1/6 leap);
 * [EPH]  an independent computation with PyEphem 4.1 (libastro: ELP 2000-82
 *        Moon, VSOP87 Sun) applying the same rules, which agrees with this
 *        module on Tết and the leap month of every year 1800-2199 and on every
 *        first day of a month but one (1967-07-07/08: a new moon within 5 s of
 *        a Hanoi midnight, beyond what either computation can decide);
 * [MEEUS] J. Meeus, "Astronomical Algorithms", 2nd ed., ch. 27 (mean solstice).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/lunar.h"

static int64_t day_of(int y, int m, int d)
{
	return vntime_days_from_civil(y, m, d);
}

/* Asserts that solar y-m-d is lunar ld/lm/ly (leap flag lp), in both directions. */
static void check_pair(int y, int m, int d, int ld, int lm, int ly, bool lp)
{
	struct lunar_date got;
	struct err e;
	err_clear(&e);
	assert_int_equal(lunar_from_solar(day_of(y, m, d), &got, &e), ERR_OK);
	assert_int_equal(got.day, ld);
	assert_int_equal(got.month, lm);
	assert_int_equal(got.year, ly);
	assert_int_equal(got.leap, lp);
	struct lunar_date want = {ld, lm, ly, lp};
	int64_t back = 0;
	assert_int_equal(lunar_to_solar(&want, &back, &e), ERR_OK);
	assert_int_equal(back, day_of(y, m, d));
}

/* Tết (1/1) of lunar year y is solar y-m-d, and the day before ends month 12. */
static void check_tet(int y, int m, int d)
{
	check_pair(y, m, d, 1, 1, y, false);
	struct lunar_date eve;
	assert_int_equal(lunar_from_solar(day_of(y, m, d) - 1, &eve, NULL), ERR_OK);
	assert_int_equal(eve.month, 12);
	assert_int_equal(eve.year, y - 1);
	assert_false(eve.leap && lunar_leap_month(y - 1) != 12);
	assert_true(eve.day == 29 || eve.day == 30);
}

static void test_tet_official(void **state)
{
	(void)state;
	/* [GOV] Tết holiday notices; 2000 [EPH]. */
	check_tet(2020, 1, 25);
	check_tet(2023, 1, 22);
	check_tet(2024, 2, 10);
	check_tet(2025, 1, 29);
	check_tet(2026, 2, 17);
	check_tet(2000, 2, 5);
}

static void test_tet_differs_from_china(void **state)
{
	(void)state;
	/* [ASL] 1968: new moon 23:29 in Hanoi on 29 Jan, so Tết on the 29th (China: 30th). */
	check_tet(1968, 1, 29);
	/* [HND] 2007: Vietnam 17 Feb, China 18 Feb. */
	check_tet(2007, 2, 17);
	/*
	 * [HND] 1985: the December 1984 solstice fell at 23:22 in Hanoi on the
	 * 21st, before the new moon of the 22nd; Vietnam's month 11 began on
	 * 1984-11-23, so Tết came a month earlier than China's 1985-02-20, and 1985
	 * had a leap month 2 (21/03-19/04) to catch up. 1984 had no leap month.
	 */
	check_tet(1985, 1, 21);
	check_pair(1984, 1, 3, 1, 12, 1983, false);
	check_pair(1984, 2, 2, 1, 1, 1984, false);
	check_pair(1984, 11, 23, 1, 11, 1984, false);
	check_pair(1984, 12, 21, 29, 11, 1984, false);
	check_pair(1985, 2, 20, 1, 2, 1985, false);
	check_pair(1985, 3, 21, 1, 2, 1985, true);
	check_pair(1985, 4, 19, 30, 2, 1985, true);
	check_pair(1985, 4, 20, 1, 3, 1985, false);
	check_pair(1985, 12, 12, 1, 11, 1985, false);
	assert_int_equal(lunar_leap_month(1985), 2);
	assert_int_equal(lunar_leap_month(1984), 0);
	/* [HND] Vietnam a day before China in 2030 and 2053. */
	check_tet(2030, 2, 2);
	check_tet(2053, 2, 18);
}

static void test_leap_months(void **state)
{
	(void)state;
	/* [ISSUE] 2012-2025; [EPH] all. */
	assert_int_equal(lunar_leap_month(2025), 6);
	assert_int_equal(lunar_leap_month(2023), 2);
	assert_int_equal(lunar_leap_month(2020), 4);
	assert_int_equal(lunar_leap_month(2017), 6);
	assert_int_equal(lunar_leap_month(2014), 9);
	assert_int_equal(lunar_leap_month(2012), 4);
	assert_int_equal(lunar_leap_month(2028), 5);
	assert_int_equal(lunar_leap_month(2024), 0);
	assert_int_equal(lunar_leap_month(2026), 0);
	assert_int_equal(lunar_leap_month(2000), 0);
	/* 2033: the leap month comes after month 11, in lunar year 2033 (the "2033 problem"). */
	assert_int_equal(lunar_leap_month(2033), 11);
	assert_int_equal(lunar_leap_month(2034), 0);
	check_pair(2033, 12, 22, 1, 11, 2033, true);
	/* Out of range. */
	assert_int_equal(lunar_leap_month(LUNAR_MIN_LUNAR_YEAR - 1), 0);
	assert_int_equal(lunar_leap_month(LUNAR_MAX_YEAR + 1), 0);
	assert_int_equal(lunar_leap_month(INT_MIN), 0);
	assert_int_equal(lunar_leap_month(INT_MAX), 0);
}

static void test_leap_month_2025(void **state)
{
	(void)state;
	/* [ISSUE] 2025 has a leap month 6 from 25 Jul; [EPH] 6/2025 has 30 days, 6 leap 29. */
	check_pair(2025, 6, 25, 1, 6, 2025, false);
	check_pair(2025, 7, 24, 30, 6, 2025, false);
	check_pair(2025, 7, 25, 1, 6, 2025, true);
	check_pair(2025, 8, 22, 29, 6, 2025, true);
	check_pair(2025, 8, 23, 1, 7, 2025, false);
	assert_int_equal(lunar_month_length(2025, 6, false), 30);
	assert_int_equal(lunar_month_length(2025, 6, true), 29);
	assert_int_equal(lunar_month_length(2025, 5, true), 0);
	assert_int_equal(lunar_month_length(2024, 6, true), 0);
	/* [EPH] 2023's leap month 2: 22 Mar - 19 Apr. */
	check_pair(2023, 3, 22, 1, 2, 2023, true);
	check_pair(2023, 4, 20, 1, 3, 2023, false);
}

static void test_festivals(void **state)
{
	(void)state;
	/* [GOV] Hùng Kings' commemoration day, 10/3 lunar. */
	check_pair(2024, 4, 18, 10, 3, 2024, false);
	check_pair(2025, 4, 7, 10, 3, 2025, false);
	check_pair(2026, 4, 26, 10, 3, 2026, false);
	/* [EPH] Mid-Autumn (15/8): 2024-09-17 and 2025-10-06; Vu Lan (15/7 of 2025): 2025-09-06. */
	check_pair(2024, 9, 17, 15, 8, 2024, false);
	check_pair(2025, 10, 6, 15, 8, 2025, false);
	check_pair(2025, 9, 6, 15, 7, 2025, false);
}

static void test_canchi(void **state)
{
	(void)state;
	char s[LUNAR_CANCHI_LEN];
	/* Years: the issue and any almanac; 1984 and 2044 start a sexagenary cycle. */
	lunar_canchi_year(2024, s);
	assert_string_equal(s, "Giáp Thìn");
	lunar_canchi_year(2025, s);
	assert_string_equal(s, "Ất Tỵ");
	lunar_canchi_year(2026, s);
	assert_string_equal(s, "Bính Ngọ");
	lunar_canchi_year(1984, s);
	assert_string_equal(s, "Giáp Tý");
	lunar_canchi_year(2044, s);
	assert_string_equal(s, "Giáp Tý");
	lunar_canchi_year(1985, s);
	assert_string_equal(s, "Ất Sửu");
	lunar_canchi_year(2031, s);
	assert_string_equal(s, "Tân Hợi");
	lunar_canchi_year(2032, s);
	assert_string_equal(s, "Nhâm Tý");
	lunar_canchi_year(2033, s);
	assert_string_equal(s, "Quý Sửu");
	lunar_canchi_year(1975, s);
	assert_string_equal(s, "Ất Mão");
	lunar_canchi_year(1968, s);
	assert_string_equal(s, "Mậu Thân");
	lunar_canchi_year(1999, s);
	assert_string_equal(s, "Kỷ Mão");
	lunar_canchi_year(1987, s);
	assert_string_equal(s, "Đinh Mão");
	lunar_canchi_year(2027, s);
	assert_string_equal(s, "Đinh Mùi");
	lunar_canchi_year(2030, s);
	assert_string_equal(s, "Canh Tuất");
	lunar_canchi_year(2029, s);
	assert_string_equal(s, "Kỷ Dậu");
	lunar_canchi_year(2028, s);
	assert_string_equal(s, "Mậu Thân");
	/* Any int: no overflow, still a name. */
	lunar_canchi_year(INT_MIN, s);
	assert_true(strlen(s) > 3);
	lunar_canchi_year(INT_MAX, s);
	assert_true(strlen(s) > 3);

	/* Months: month 1 is Bính Dần in Giáp years, Mậu Dần in Ất years, Canh Dần in Bính years.
	 */
	lunar_canchi_month(2024, 1, s);
	assert_string_equal(s, "Bính Dần");
	lunar_canchi_month(2025, 1, s);
	assert_string_equal(s, "Mậu Dần");
	lunar_canchi_month(2026, 1, s);
	assert_string_equal(s, "Canh Dần");
	lunar_canchi_month(2025, 6, s); /* also the name of the leap month 6 */
	assert_string_equal(s, "Quý Mùi");
	lunar_canchi_month(2025, 12, s);
	assert_string_equal(s, "Kỷ Sửu");
	lunar_canchi_month(2024, 12, s); /* continues into Mậu Dần of 2025 */
	assert_string_equal(s, "Đinh Sửu");
	lunar_canchi_month(2025, 11, s);
	assert_string_equal(s, "Mậu Tý");
	lunar_canchi_month(2025, 0, s);
	assert_string_equal(s, "");
	lunar_canchi_month(2025, 13, s);
	assert_string_equal(s, "");
	lunar_canchi_month(INT_MIN, 1, s);
	assert_true(strlen(s) > 3);

	/* Days, as printed in almanacs: Tết 2025 (29 Jan) was Mậu Tuất, Tết 2024 (10 Feb) Giáp
	 * Thìn. */
	lunar_canchi_day(day_of(2025, 1, 29), s);
	assert_string_equal(s, "Mậu Tuất");
	lunar_canchi_day(day_of(2024, 2, 10), s);
	assert_string_equal(s, "Giáp Thìn");
	/* Sixty days later the same name, one day later the next stem and branch. */
	lunar_canchi_day(day_of(2024, 2, 10) + 60, s);
	assert_string_equal(s, "Giáp Thìn");
	lunar_canchi_day(day_of(2024, 2, 10) - 60 * 1000, s);
	assert_string_equal(s, "Giáp Thìn");
	lunar_canchi_day(day_of(2024, 2, 11), s);
	assert_string_equal(s, "Ất Tỵ");
	lunar_canchi_day(INT64_MIN, s);
	assert_true(strlen(s) > 3);
	lunar_canchi_day(INT64_MAX, s);
	assert_true(strlen(s) > 3);
}

static void test_invalid_lunar_dates(void **state)
{
	(void)state;
	struct err e;
	int64_t d = 12345;
	const struct lunar_date bad[] = {
	        {1, 5, 2025, true},   /* 2025's leap month is 6, not 5 */
	        {1, 1, 2024, true},   /* 2024 has no leap month */
	        {30, 2, 2025, false}, /* month 2 of 2025 has 29 days */
	        {30, 6, 2025, true},  /* leap 6 of 2025 has 29 days */
	        {0, 1, 2025, false},       {31, 1, 2025, false},  {1, 0, 2025, false},
	        {1, 13, 2025, false},      {-1, -1, 2025, false}, {INT_MAX, INT_MAX, INT_MAX, true},
	        {INT_MIN, 1, 2025, false},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err_clear(&e);
		assert_int_equal(lunar_to_solar(&bad[i], &d, &e), ERR_INVALID_LUNAR_DATE);
		assert_int_equal(e.code, ERR_INVALID_LUNAR_DATE);
		assert_true(e.detail[0] != '\0');
		assert_int_equal(d, 12345); /* untouched on failure */
	}
	assert_int_equal(lunar_month_length(2025, 2, false), 29);
	assert_int_equal(lunar_month_length(2025, 0, false), 0);
	assert_int_equal(lunar_month_length(2025, 13, false), 0);
	assert_int_equal(lunar_month_length(INT_MIN, 1, false), 0);
	/* NULL pointers are refused, not dereferenced. */
	struct lunar_date ok = {1, 1, 2025, false};
	assert_int_equal(lunar_to_solar(NULL, &d, NULL), ERR_INVALID_ARGUMENT);
	assert_int_equal(lunar_to_solar(&ok, NULL, NULL), ERR_INVALID_ARGUMENT);
	assert_int_equal(lunar_from_solar(0, NULL, NULL), ERR_INVALID_ARGUMENT);
}

static void test_range(void **state)
{
	(void)state;
	struct lunar_date ld;
	struct err e;
	int64_t d;
	/* Solar side: 1800-01-01 .. 2199-12-31. */
	err_clear(&e);
	assert_int_equal(lunar_from_solar(day_of(1799, 12, 31), &ld, &e), ERR_DATE_OUT_OF_CALENDAR);
	assert_int_equal(e.code, ERR_DATE_OUT_OF_CALENDAR);
	assert_int_equal(lunar_from_solar(day_of(2200, 1, 1), &ld, NULL), ERR_DATE_OUT_OF_CALENDAR);
	assert_int_equal(lunar_from_solar(INT64_MIN, &ld, NULL), ERR_DATE_OUT_OF_CALENDAR);
	assert_int_equal(lunar_from_solar(INT64_MAX, &ld, NULL), ERR_DATE_OUT_OF_CALENDAR);
	/* [EPH] 1800-01-01 is 7/12 of lunar 1799; Tết 1800 on 25 Jan with a leap month 4. */
	check_pair(1800, 1, 1, 7, 12, 1799, false);
	check_tet(1800, 1, 25);
	assert_int_equal(lunar_leap_month(1800), 4);
	assert_int_equal(lunar_month_length(1799, 12, false), 30);
	/* The first day of month 12 of 1799 is before 1800: out of the calendar. */
	struct lunar_date before = {1, 12, 1799, false};
	err_clear(&e);
	assert_int_equal(lunar_to_solar(&before, &d, &e), ERR_DATE_OUT_OF_CALENDAR);
	assert_int_equal(e.code, ERR_DATE_OUT_OF_CALENDAR);
	struct lunar_date y1798 = {1, 1, 1798, false};
	assert_int_equal(lunar_to_solar(&y1798, &d, NULL), ERR_DATE_OUT_OF_CALENDAR);
	/* [EPH] 2199-12-31 is 14/11 of lunar 2199; 15/11 falls in 2200. */
	check_pair(2199, 12, 31, 14, 11, 2199, false);
	struct lunar_date after = {15, 11, 2199, false};
	assert_int_equal(lunar_to_solar(&after, &d, NULL), ERR_DATE_OUT_OF_CALENDAR);
	struct lunar_date y2200 = {1, 1, 2200, false};
	assert_int_equal(lunar_to_solar(&y2200, &d, NULL), ERR_DATE_OUT_OF_CALENDAR);
	struct lunar_date far = {1, 1, INT_MAX, false};
	assert_int_equal(lunar_to_solar(&far, &d, NULL), ERR_DATE_OUT_OF_CALENDAR);
	assert_int_equal(lunar_month_length(2199, 12, false) != 0, true);
	assert_int_equal(lunar_month_length(2200, 1, false), 0);
	assert_int_equal(lunar_month_length(1798, 12, false), 0);
}

/*
 * Every day of 1800..2199: solar -> lunar -> solar is the identity; days count
 * 1, 2, ... up to 29 or 30 (the month's length); months follow one another
 * (a leap month repeats the number of the month before it, and only in the
 * year's leap month); the year changes at month 1.
 */
static void test_every_day(void **state)
{
	(void)state;
	int64_t from = day_of(LUNAR_MIN_YEAR, 1, 1), to = day_of(LUNAR_MAX_YEAR, 12, 31);
	struct lunar_date prev = {0, 0, 0, false};
	int months = 0;
	for (int64_t d = from; d <= to; d++) {
		struct lunar_date ld;
		int64_t back = 0;
		assert_int_equal(lunar_from_solar(d, &ld, NULL), ERR_OK);
		assert_int_equal(lunar_to_solar(&ld, &back, NULL), ERR_OK);
		assert_int_equal(back, d);
		assert_in_range(ld.day, 1, 30);
		assert_in_range(ld.month, 1, 12);
		if (d == from)
			goto next;
		if (ld.day != 1) {
			assert_int_equal(ld.day, prev.day + 1);
			assert_int_equal(ld.month, prev.month);
			assert_int_equal(ld.leap, prev.leap);
			assert_int_equal(ld.year, prev.year);
			goto next;
		}
		/* A new month: the previous one was complete. */
		months++;
		assert_true(prev.day == 29 || prev.day == 30);
		assert_int_equal(prev.day, lunar_month_length(prev.year, prev.month, prev.leap));
		if (ld.leap) {
			assert_false(prev.leap);
			assert_int_equal(ld.month, prev.month);
			assert_int_equal(ld.year, prev.year);
			assert_int_equal(lunar_leap_month(ld.year), ld.month);
		} else if (prev.month == 12) {
			assert_int_equal(ld.month, 1);
			assert_int_equal(ld.year, prev.year + 1);
		} else {
			assert_int_equal(ld.month, prev.month + 1);
			assert_int_equal(ld.year, prev.year);
		}
	next:
		prev = ld;
	}
	/* 400 Gregorian years hold about 400 * 365.2425 / 29.530589 = 4947.3 lunations. */
	assert_in_range(months, 4946, 4948);
}

/*
 * Month 11 contains the December solstice. The solstice instant here is
 * Meeus's mean December solstice (ch. 27, table 27.C), within 30 minutes of the
 * true one; ΔT is at most 8 minutes over these years. Years whose solstice
 * falls within 90 minutes of a Hanoi midnight are skipped as undecidable here.
 */
static void test_month11_contains_solstice(void **state)
{
	(void)state;
	int checked = 0;
	for (int y = LUNAR_MIN_YEAR; y <= LUNAR_MAX_YEAR; y++) {
		double yy = (y - 2000) / 1000.0;
		double jde = 2451900.05952 + 365242.74049 * yy - 0.06223 * yy * yy -
		             0.00823 * yy * yy * yy + 0.00032 * yy * yy * yy * yy;
		double local = jde + 7.0 / 24.0 + 0.5; /* midnight at integers */
		double frac = local - floor(local);
		if (frac < 1.5 / 24 || frac > 1 - 1.5 / 24)
			continue;
		int64_t day = (int64_t)floor(local) - VNTIME_JDN_EPOCH;
		struct lunar_date ld;
		assert_int_equal(lunar_from_solar(day, &ld, NULL), ERR_OK);
		assert_int_equal(ld.month, 11);
		assert_false(ld.leap);
		assert_int_equal(ld.year, y);
		checked++;
	}
	assert_true(checked > 300);
}

/*
 * Tết (month, day) and the leap month (0 = none) of every lunar year
 * 1800..2199, as computed by [EPH].
 */
static const struct {
	unsigned char month, day, leap;
} tet_table[LUNAR_MAX_YEAR - LUNAR_MIN_YEAR + 1] = {
        {1, 25, 4},  {2, 13, 0}, {2, 3, 0},   {1, 23, 2}, {2, 11, 0}, {1, 31, 7}, {2, 18, 0},
        {2, 7, 0},   {1, 27, 5}, {2, 14, 0},  {2, 4, 0},  {1, 25, 3}, {2, 13, 0}, {2, 1, 0},
        {1, 21, 2},  {2, 9, 0},  {1, 29, 6},  {2, 16, 0}, {2, 5, 0},  {1, 26, 4}, {2, 14, 0},
        {2, 3, 0},   {1, 23, 3}, {2, 11, 0},  {1, 31, 7}, {2, 18, 0}, {2, 7, 0},  {1, 27, 5},
        {2, 15, 0},  {2, 4, 0},  {1, 25, 4},  {2, 13, 0}, {2, 2, 9},  {2, 20, 0}, {2, 9, 0},
        {1, 29, 6},  {2, 17, 0}, {2, 5, 0},   {1, 26, 4}, {2, 14, 0}, {2, 3, 0},  {1, 23, 3},
        {2, 10, 0},  {1, 30, 7}, {2, 18, 0},  {2, 7, 0},  {1, 27, 5}, {2, 15, 0}, {2, 5, 0},
        {1, 24, 4},  {2, 12, 0}, {2, 1, 8},   {2, 20, 0}, {2, 8, 0},  {1, 29, 7}, {2, 17, 0},
        {2, 6, 0},   {1, 26, 5}, {2, 14, 0},  {2, 3, 0},  {1, 23, 3}, {2, 10, 0}, {1, 30, 8},
        {2, 18, 0},  {2, 8, 0},  {1, 27, 5},  {2, 15, 0}, {2, 5, 0},  {1, 25, 4}, {2, 11, 0},
        {1, 31, 10}, {2, 19, 0}, {2, 9, 0},   {1, 29, 6}, {2, 17, 0}, {2, 6, 0},  {1, 26, 5},
        {2, 13, 0},  {2, 2, 0},  {1, 22, 3},  {2, 10, 0}, {1, 30, 7}, {2, 18, 0}, {2, 8, 0},
        {1, 28, 5},  {2, 15, 0}, {2, 4, 0},   {1, 24, 4}, {2, 12, 0}, {1, 31, 0}, {1, 21, 2},
        {2, 9, 0},   {1, 29, 6}, {2, 16, 0},  {2, 6, 0},  {1, 26, 5}, {2, 13, 0}, {2, 2, 0},
        {1, 22, 3},  {2, 10, 0}, {1, 31, 8},  {2, 19, 0}, {2, 8, 0},  {1, 28, 5}, {2, 16, 0},
        {2, 4, 0},   {1, 25, 4}, {2, 13, 0},  {2, 2, 0},  {1, 22, 2}, {2, 10, 0}, {1, 30, 6},
        {2, 18, 0},  {2, 6, 0},  {1, 26, 5},  {2, 14, 0}, {2, 3, 0},  {1, 23, 3}, {2, 11, 0},
        {2, 1, 7},   {2, 20, 0}, {2, 8, 0},   {1, 28, 6}, {2, 16, 0}, {2, 5, 0},  {1, 24, 4},
        {2, 13, 0},  {2, 2, 0},  {1, 23, 2},  {2, 10, 0}, {1, 30, 6}, {2, 17, 0}, {2, 6, 0},
        {1, 26, 5},  {2, 14, 0}, {2, 3, 0},   {1, 24, 3}, {2, 11, 0}, {1, 31, 8}, {2, 19, 0},
        {2, 8, 0},   {1, 27, 6}, {2, 15, 0},  {2, 5, 0},  {1, 25, 4}, {2, 13, 0}, {2, 2, 0},
        {1, 22, 2},  {2, 10, 0}, {1, 29, 7},  {2, 17, 0}, {2, 6, 0},  {1, 27, 5}, {2, 14, 0},
        {2, 3, 0},   {1, 24, 3}, {2, 12, 0},  {1, 31, 8}, {2, 18, 0}, {2, 8, 0},  {1, 28, 6},
        {2, 15, 0},  {2, 5, 0},  {1, 25, 4},  {2, 13, 0}, {2, 1, 0},  {1, 21, 3}, {2, 9, 0},
        {1, 29, 7},  {2, 16, 0}, {2, 6, 0},   {1, 27, 5}, {2, 15, 0}, {2, 3, 0},  {1, 23, 4},
        {2, 11, 0},  {1, 31, 8}, {2, 18, 0},  {2, 7, 0},  {1, 28, 6}, {2, 16, 0}, {2, 5, 0},
        {1, 25, 4},  {2, 13, 0}, {2, 2, 0},   {1, 21, 2}, {2, 9, 0},  {1, 29, 7}, {2, 17, 0},
        {2, 6, 0},   {1, 27, 5}, {2, 15, 0},  {2, 4, 0},  {1, 23, 3}, {2, 10, 0}, {1, 31, 8},
        {2, 19, 0},  {2, 7, 0},  {1, 28, 5},  {2, 16, 0}, {2, 5, 0},  {1, 24, 4}, {2, 12, 0},
        {2, 1, 0},   {1, 22, 2}, {2, 9, 0},   {1, 29, 7}, {2, 17, 0}, {2, 7, 0},  {1, 26, 5},
        {2, 14, 0},  {2, 3, 0},  {1, 23, 4},  {2, 10, 0}, {1, 31, 9}, {2, 19, 0}, {2, 8, 0},
        {1, 28, 6},  {2, 16, 0}, {2, 5, 0},   {1, 25, 4}, {2, 12, 0}, {2, 1, 0},  {1, 22, 2},
        {2, 10, 0},  {1, 29, 6}, {2, 17, 0},  {2, 6, 0},  {1, 26, 5}, {2, 13, 0}, {2, 2, 0},
        {1, 23, 3},  {2, 11, 0}, {1, 31, 11}, {2, 19, 0}, {2, 8, 0},  {1, 28, 6}, {2, 15, 0},
        {2, 4, 0},   {1, 24, 5}, {2, 12, 0},  {2, 1, 0},  {1, 22, 2}, {2, 10, 0}, {1, 30, 7},
        {2, 17, 0},  {2, 6, 0},  {1, 26, 5},  {2, 14, 0}, {2, 2, 0},  {1, 23, 3}, {2, 11, 0},
        {2, 1, 8},   {2, 18, 0}, {2, 8, 0},   {1, 28, 6}, {2, 15, 0}, {2, 4, 0},  {1, 24, 4},
        {2, 12, 0},  {2, 2, 0},  {1, 21, 3},  {2, 9, 0},  {1, 29, 7}, {2, 17, 0}, {2, 5, 0},
        {1, 26, 5},  {2, 14, 0}, {2, 3, 0},   {1, 23, 4}, {2, 11, 0}, {1, 31, 8}, {2, 19, 0},
        {2, 7, 0},   {1, 27, 6}, {2, 15, 0},  {2, 5, 0},  {1, 24, 4}, {2, 12, 0}, {2, 2, 0},
        {1, 22, 3},  {2, 9, 0},  {1, 29, 7},  {2, 17, 0}, {2, 6, 0},  {1, 26, 5}, {2, 14, 0},
        {2, 3, 0},   {1, 24, 4}, {2, 10, 0},  {1, 30, 8}, {2, 18, 0}, {2, 7, 0},  {1, 27, 6},
        {2, 15, 0},  {2, 5, 0},  {1, 25, 4},  {2, 12, 0}, {2, 1, 0},  {1, 21, 2}, {2, 9, 0},
        {1, 29, 7},  {2, 17, 0}, {2, 7, 0},   {1, 28, 5}, {2, 15, 0}, {2, 4, 0},  {1, 24, 4},
        {2, 12, 0},  {1, 31, 9}, {2, 19, 0},  {2, 8, 0},  {1, 29, 6}, {2, 16, 0}, {2, 6, 0},
        {1, 26, 4},  {2, 14, 0}, {2, 2, 0},   {1, 22, 3}, {2, 10, 0}, {1, 30, 7}, {2, 17, 0},
        {2, 7, 0},   {1, 27, 5}, {2, 15, 0},  {2, 3, 0},  {1, 23, 4}, {2, 11, 0}, {2, 1, 11},
        {2, 19, 0},  {2, 8, 0},  {1, 29, 6},  {2, 17, 0}, {2, 5, 0},  {1, 25, 5}, {2, 13, 0},
        {2, 2, 0},   {1, 22, 2}, {2, 10, 0},  {1, 30, 7}, {2, 18, 0}, {2, 7, 0},  {1, 27, 5},
        {2, 15, 0},  {2, 4, 0},  {1, 23, 4},  {2, 11, 0}, {2, 1, 0},  {1, 21, 1}, {2, 8, 0},
        {1, 29, 6},  {2, 16, 0}, {2, 5, 0},   {1, 24, 5}, {2, 12, 0}, {2, 2, 0},  {1, 23, 3},
        {2, 10, 0},  {1, 30, 7}, {2, 18, 0},  {2, 7, 0},  {1, 26, 6}, {2, 14, 0}, {2, 3, 0},
        {1, 24, 4},  {2, 11, 0}, {2, 1, 10},  {2, 20, 0}, {2, 9, 0},  {1, 28, 6}, {2, 16, 0},
        {2, 5, 0},   {1, 25, 5}, {2, 12, 0},  {2, 2, 0},  {1, 22, 3}, {2, 11, 0}, {1, 30, 7},
        {2, 18, 0},  {2, 7, 0},  {1, 27, 6},  {2, 14, 0}, {2, 3, 0},  {1, 24, 4}, {2, 12, 0},
        {1, 31, 0},  {1, 21, 2}, {2, 8, 0},   {1, 28, 6}, {2, 15, 0}, {2, 5, 0},  {1, 25, 5},
        {2, 13, 0},  {2, 2, 0},  {1, 22, 3},  {2, 10, 0}, {1, 30, 7}, {2, 17, 0}, {2, 6, 0},
        {1, 26, 6}};

static void test_table_1800_2199(void **state)
{
	(void)state;
	for (int y = LUNAR_MIN_YEAR; y <= LUNAR_MAX_YEAR; y++) {
		const int i = y - LUNAR_MIN_YEAR;
		struct lunar_date tet = {1, 1, y, false};
		int64_t d = 0;
		assert_int_equal(lunar_to_solar(&tet, &d, NULL), ERR_OK);
		struct vndate c = vntime_civil_from_days(d);
		assert_int_equal(c.year, y);
		assert_int_equal(c.month, tet_table[i].month);
		assert_int_equal(c.day, tet_table[i].day);
		assert_int_equal(lunar_leap_month(y), tet_table[i].leap);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_tet_official),
	        cmocka_unit_test(test_tet_differs_from_china),
	        cmocka_unit_test(test_leap_months),
	        cmocka_unit_test(test_leap_month_2025),
	        cmocka_unit_test(test_festivals),
	        cmocka_unit_test(test_canchi),
	        cmocka_unit_test(test_invalid_lunar_dates),
	        cmocka_unit_test(test_range),
	        cmocka_unit_test(test_every_day),
	        cmocka_unit_test(test_month11_contains_solstice),
	        cmocka_unit_test(test_table_1800_2199),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
