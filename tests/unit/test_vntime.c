/*
 * Unit tests for base/vntime: civil dates, Vietnam time (UTC+7), ISO 8601.
 * Expected values are from the Gregorian calendar itself (weekdays checked
 * against published calendars) and the fixed offset of Vietnam (UTC+7).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/vntime.h"

static void test_epoch_day(void **state)
{
	(void)state;
	assert_int_equal(vntime_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(vntime_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(vntime_days_from_civil(2000, 3, 1), 11017);
	/* 1970-01-01 was a Thursday; 2025-04-26 a Saturday; 2026-02-17 (Tết) a Tuesday. */
	assert_int_equal(vntime_weekday(0), 4);
	assert_int_equal(vntime_weekday(vntime_days_from_civil(2025, 4, 26)), 6);
	assert_int_equal(vntime_weekday(vntime_days_from_civil(2026, 2, 17)), 2);
	assert_int_equal(vntime_weekday(vntime_days_from_civil(1, 1, 1)), 1);
}

static void test_round_trip(void **state)
{
	(void)state;
	/* Every day from 1600-01-01 to 2400-12-31 converts both ways. */
	int64_t from = vntime_days_from_civil(1600, 1, 1),
	        to = vntime_days_from_civil(2400, 12, 31);
	int prev_y = 1599, prev_m = 12, prev_d = 31;
	for (int64_t d = from; d <= to; d++) {
		struct vndate c = vntime_civil_from_days(d);
		assert_true(vntime_valid_date(c.year, c.month, c.day));
		assert_int_equal(vntime_days_from_civil(c.year, c.month, c.day), d);
		if (c.day == 1)
			assert_true(prev_d == vntime_days_in_month(prev_y, prev_m));
		else
			assert_int_equal(c.day, prev_d + 1);
		prev_y = c.year, prev_m = c.month, prev_d = c.day;
	}
}

static void test_leap_years(void **state)
{
	(void)state;
	assert_true(vntime_is_leap_year(2000));
	assert_false(vntime_is_leap_year(1900));
	assert_true(vntime_is_leap_year(2024));
	assert_false(vntime_is_leap_year(2025));
	assert_false(vntime_valid_date(2025, 2, 29));
	assert_true(vntime_valid_date(2024, 2, 29));
	assert_false(vntime_valid_date(2025, 13, 1));
	assert_false(vntime_valid_date(0, 1, 1));
	assert_false(vntime_valid_date(2025, 4, 31));
}

static void test_split_join(void **state)
{
	(void)state;
	/* 2025-04-25T10:00+07:00 is 2025-04-25T03:00Z = 1745550000. */
	int64_t t = vntime_join(vntime_days_from_civil(2025, 4, 25), 10 * 3600);
	assert_int_equal(t, 1745550000);
	int64_t days;
	int sod;
	/* 17:30 UTC on 31 December is already 00:30 on 1 January in Vietnam. */
	vntime_split(1767202200 /* 2025-12-31T17:30:00Z */, &days, &sod);
	assert_int_equal(days, vntime_days_from_civil(2026, 1, 1));
	assert_int_equal(sod, 1800);
	/* Before 1970: floor, not truncation. */
	vntime_split(-1, &days, &sod);
	assert_int_equal(days, 0);
	assert_int_equal(sod, 7 * 3600 - 1);
	vntime_split(-7 * 3600 - 1, &days, &sod);
	assert_int_equal(days, -1);
	assert_int_equal(sod, 86399);
}

static void test_parse_date(void **state)
{
	(void)state;
	int64_t d;
	assert_int_equal(vntime_parse_date("2025-04-25", &d), 0);
	assert_int_equal(d, vntime_days_from_civil(2025, 4, 25));
	const char *bad[] = {"",           "2025-4-25",  "2025-04-25 ", " 2025-04-25",
	                     "2025-02-29", "2025/04/25", "20250425",    "2025-04-25T10:00",
	                     "0000-01-01", "abcd-ef-gh"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(vntime_parse_date(bad[i], &d), -1);
	assert_int_equal(vntime_parse_date(NULL, &d), -1);
}

static void test_parse_datetime(void **state)
{
	(void)state;
	int64_t t;
	assert_int_equal(vntime_parse_datetime("2025-04-25T10:00", &t), 0);
	assert_int_equal(t, 1745550000);
	assert_int_equal(vntime_parse_datetime("2025-04-25 10:00:00", &t), 0);
	assert_int_equal(t, 1745550000);
	assert_int_equal(vntime_parse_datetime("2025-04-25T10:00:00+07:00", &t), 0);
	assert_int_equal(t, 1745550000);
	assert_int_equal(vntime_parse_datetime("2025-04-25T03:00:00Z", &t), 0);
	assert_int_equal(t, 1745550000);
	assert_int_equal(vntime_parse_datetime("2025-04-24T22:00-05:00", &t), 0);
	/* the first and last representable instants */
	assert_int_equal(vntime_parse_datetime("0001-01-01T00:00", &t), 0);
	assert_int_equal(vntime_parse_datetime("9999-12-31T23:59:59", &t), 0);
	assert_int_equal(vntime_parse_datetime("2025-04-24T22:00-05:00", &t), 0);
	assert_int_equal(t, 1745550000);
	const char *bad[] = {"", "2025-04-25", "2025-04-25T24:00", "2025-04-25T10:60",
	                     "2025-04-25T10:00:60", "2025-04-25T10:00+7", "2025-04-25T10:00x",
	                     "2025-04-25T10", "2025-02-30T10:00", "2025-04-25T10:00+15:00",
	                     /* the date in Vietnam is outside the years 1..9999 */
	                     "0001-01-01T00:00+14:00", "9999-12-31T20:00:00Z"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(vntime_parse_datetime(bad[i], &t), -1);
}

static void test_parse_hhmm(void **state)
{
	(void)state;
	int s;
	assert_int_equal(vntime_parse_hhmm("15:00", &s), 0);
	assert_int_equal(s, 54000);
	assert_int_equal(vntime_parse_hhmm("24:00", &s), 0);
	assert_int_equal(s, 86400);
	assert_int_equal(vntime_parse_hhmm("24:01", &s), -1);
	assert_int_equal(vntime_parse_hhmm("7:00", &s), -1);
	assert_int_equal(vntime_parse_hhmm("07:00:00", &s), -1);
}

static void test_format(void **state)
{
	(void)state;
	char d[VNTIME_DATE_LEN], dt[VNTIME_DATETIME_LEN];
	vntime_format_date(vntime_days_from_civil(2025, 4, 28), d);
	assert_string_equal(d, "2025-04-28");
	vntime_format_datetime(1745834400 /* 2025-04-28T10:00Z */, dt);
	assert_string_equal(dt, "2025-04-28T17:00:00+07:00");
	vntime_format_datetime(0, dt);
	assert_string_equal(dt, "1970-01-01T07:00:00+07:00");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_epoch_day),  cmocka_unit_test(test_round_trip),
	        cmocka_unit_test(test_leap_years), cmocka_unit_test(test_split_join),
	        cmocka_unit_test(test_parse_date), cmocka_unit_test(test_parse_datetime),
	        cmocka_unit_test(test_parse_hhmm), cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
