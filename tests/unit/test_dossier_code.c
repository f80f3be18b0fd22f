/*
 * Unit tests for domain/dossier_code. The short layout and its example shape
 * come from Circular 01/2018/TT-VPCP Article 19 (V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-
 * XXXX, the date of reception and the 4-digit sequence of the day); the long
 * layout UNIT-YYYYMMDD-NNNNNNN and the overflow rule (the 10,000th dossier of
 * a short-layout day is written in the long layout) are this project's
 * decisions, documented in docs/identifiers.md. Dates are checked against the
 * Gregorian calendar (2024 is a leap year, 2025 is not).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/dossier_code.h"

#define UNIT "000.00.01.H26"

static int64_t day(int y, int m, int d)
{
	return vntime_days_from_civil(y, m, d);
}

/* make + format in one step; returns the code text or fails the test. */
static const char *make(char out[DOSSIER_CODE_SIZE], const char *unit, int64_t date, int64_t seq,
                        int64_t long_from)
{
	struct dossier_code c;
	struct err e;
	err_clear(&e);
	if (dossier_code_make(unit, date, seq, long_from, &c, &e) != ERR_OK)
		fail_msg("make failed: %s", e.detail);
	if (dossier_code_format(&c, out, DOSSIER_CODE_SIZE, &e) != ERR_OK)
		fail_msg("format failed: %s", e.detail);
	return out;
}

/* parse -> format gives back exactly s. */
static void assert_round_trip(const char *s)
{
	struct dossier_code c;
	struct err e;
	char out[DOSSIER_CODE_SIZE];
	err_clear(&e);
	if (dossier_code_parse(s, &c, &e) != ERR_OK)
		fail_msg("'%s' does not parse: %s", s, e.detail);
	assert_int_equal(dossier_code_format(&c, out, sizeof out, &e), ERR_OK);
	assert_string_equal(out, s);
}

static void test_examples(void **state)
{
	(void)state;
	struct dossier_code c;
	struct err e;
	/* The example of the task: unit 000.00.01.H26, 25 April 2025, 7th dossier. */
	assert_int_equal(dossier_code_parse("000.00.01.H26-250425-0007", &c, &e), ERR_OK);
	assert_string_equal(c.unit, "000.00.01.H26");
	assert_int_equal(c.date, day(2025, 4, 25));
	assert_int_equal(c.sequence, 7);
	assert_int_equal(c.layout, DOSSIER_LAYOUT_SHORT);
	assert_string_equal(dossier_layout_str(c.layout), "short");
	/* A unit identifier with a letter in the second group. */
	assert_int_equal(dossier_code_parse("000.A0.01.H26-210212-9090", &c, &e), ERR_OK);
	assert_string_equal(c.unit, "000.A0.01.H26");
	assert_int_equal(c.date, day(2021, 2, 12));
	assert_int_equal(c.sequence, 9090);
	/* Long layout. */
	assert_int_equal(dossier_code_parse("000.00.01.H26-20250425-0000007", &c, &e), ERR_OK);
	assert_int_equal(c.layout, DOSSIER_LAYOUT_LONG);
	assert_string_equal(dossier_layout_str(c.layout), "long");
	assert_int_equal(c.date, day(2025, 4, 25));
	assert_int_equal(c.sequence, 7);
	assert_int_equal(dossier_code_parse("000.00.01.H26-20250425-9999999", &c, &e), ERR_OK);
	assert_int_equal(c.sequence, 9999999);
	/* YY is read as 20YY: 000101 is 2000-01-01, 991231 is 2099-12-31. */
	assert_int_equal(dossier_code_parse(UNIT "-000101-0001", &c, &e), ERR_OK);
	assert_int_equal(c.date, day(2000, 1, 1));
	assert_int_equal(dossier_code_parse(UNIT "-991231-0001", &c, &e), ERR_OK);
	assert_int_equal(c.date, day(2099, 12, 31));
}

static void test_make_layout_by_date(void **state)
{
	(void)state;
	char out[DOSSIER_CODE_SIZE];
	int64_t from = day(2025, 7, 1);
	assert_string_equal(make(out, UNIT, day(2025, 4, 25), 7, DOSSIER_LONG_NEVER),
	                    "000.00.01.H26-250425-0007");
	assert_string_equal(make(out, UNIT, day(2025, 6, 30), 1, from),
	                    "000.00.01.H26-250630-0001");
	assert_string_equal(make(out, UNIT, day(2025, 7, 1), 1, from),
	                    "000.00.01.H26-20250701-0000001");
	assert_string_equal(make(out, UNIT, day(2030, 1, 2), 42, from),
	                    "000.00.01.H26-20300102-0000042");
	/* long_from in the past of every date: always long. */
	assert_string_equal(make(out, UNIT, day(2019, 1, 6), 1, 0),
	                    "000.00.01.H26-20190106-0000001");
	/* Years after 2099 cannot be written as YY: long layout whatever the setting. */
	assert_string_equal(make(out, UNIT, day(2100, 1, 1), 1, DOSSIER_LONG_NEVER),
	                    "000.00.01.H26-21000101-0000001");
	assert_string_equal(make(out, UNIT, day(2099, 12, 31), 1, DOSSIER_LONG_NEVER),
	                    "000.00.01.H26-991231-0001");
	/* Each branch has its own unit identifier. */
	assert_string_equal(make(out, "000.A0.01.H26", day(2021, 2, 12), 9090, DOSSIER_LONG_NEVER),
	                    "000.A0.01.H26-210212-9090");
}

static void test_overflow(void **state)
{
	(void)state;
	char out[DOSSIER_CODE_SIZE];
	struct dossier_code c;
	struct err e;
	int64_t d = day(2025, 4, 25);
	/* 9999 is the last short sequence; 10000 goes to the long layout. */
	assert_string_equal(make(out, UNIT, d, 9999, DOSSIER_LONG_NEVER), UNIT "-250425-9999");
	assert_string_equal(make(out, UNIT, d, 10000, DOSSIER_LONG_NEVER),
	                    UNIT "-20250425-0010000");
	assert_string_equal(make(out, UNIT, d, 9999999, DOSSIER_LONG_NEVER),
	                    UNIT "-20250425-9999999");
	assert_int_equal(dossier_code_make(UNIT, d, 10000000, DOSSIER_LONG_NEVER, &c, &e),
	                 ERR_SEQUENCE_EXHAUSTED);
	assert_non_null(strstr(e.detail, "10000000"));
	assert_int_equal(dossier_code_make(UNIT, d, INT64_MAX, DOSSIER_LONG_NEVER, &c, &e),
	                 ERR_SEQUENCE_EXHAUSTED);
	assert_int_equal(dossier_code_make(UNIT, d, 0, DOSSIER_LONG_NEVER, &c, &e),
	                 ERR_OUT_OF_RANGE);
	assert_int_equal(dossier_code_make(UNIT, d, -1, DOSSIER_LONG_NEVER, &c, &e),
	                 ERR_OUT_OF_RANGE);
	assert_int_equal(dossier_code_make(UNIT, d, INT64_MIN, DOSSIER_LONG_NEVER, &c, &e),
	                 ERR_OUT_OF_RANGE);
	/* Codes of one day are all different and parse back to their sequence. */
	char prev[DOSSIER_CODE_SIZE] = "";
	for (int64_t seq = 1; seq <= 10050; seq++) {
		make(out, UNIT, d, seq, DOSSIER_LONG_NEVER);
		assert_string_not_equal(out, prev);
		assert_int_equal(dossier_code_parse(out, &c, &e), ERR_OK);
		assert_int_equal(c.sequence, seq);
		assert_int_equal(c.date, d);
		assert_int_equal(c.layout,
		                 seq <= 9999 ? DOSSIER_LAYOUT_SHORT : DOSSIER_LAYOUT_LONG);
		memcpy(prev, out, sizeof prev);
	}
}

static void test_dates(void **state)
{
	(void)state;
	struct dossier_code c;
	struct err e;
	char out[DOSSIER_CODE_SIZE];
	/* 2024 is a leap year, 2025 is not. */
	assert_int_equal(dossier_code_parse(UNIT "-240229-0001", &c, &e), ERR_OK);
	assert_int_equal(c.date, day(2024, 2, 29));
	assert_int_equal(dossier_code_parse(UNIT "-250229-0001", &c, &e), ERR_INVALID_DOSSIER_CODE);
	assert_non_null(strstr(e.detail, "'250229'"));
	assert_int_equal(dossier_code_parse(UNIT "-20240229-0000001", &c, &e), ERR_OK);
	assert_int_equal(dossier_code_parse(UNIT "-20250229-0000001", &c, &e),
	                 ERR_INVALID_DOSSIER_CODE);
	/* 2000 was a leap year (divisible by 400); 2100 will not be. */
	assert_int_equal(dossier_code_parse(UNIT "-000229-0001", &c, &e), ERR_OK);
	assert_int_equal(dossier_code_parse(UNIT "-21000229-0000001", &c, &e),
	                 ERR_INVALID_DOSSIER_CODE);
	/* Other impossible dates. */
	assert_int_equal(dossier_code_parse(UNIT "-251301-0001", &c, &e), ERR_INVALID_DOSSIER_CODE);
	assert_int_equal(dossier_code_parse(UNIT "-250001-0001", &c, &e), ERR_INVALID_DOSSIER_CODE);
	assert_int_equal(dossier_code_parse(UNIT "-250431-0001", &c, &e), ERR_INVALID_DOSSIER_CODE);
	assert_int_equal(dossier_code_parse(UNIT "-250400-0001", &c, &e), ERR_INVALID_DOSSIER_CODE);
	assert_int_equal(dossier_code_parse(UNIT "-19991231-0000001", &c, &e),
	                 ERR_INVALID_DOSSIER_CODE);
	assert_int_equal(dossier_code_parse(UNIT "-00000101-0000001", &c, &e),
	                 ERR_INVALID_DOSSIER_CODE);
	/* make: the reception date must be 2000-01-01 .. 9999-12-31. */
	assert_int_equal(dossier_code_make(UNIT, day(1999, 12, 31), 1, DOSSIER_LONG_NEVER, &c, &e),
	                 ERR_INVALID_DATE);
	assert_int_equal(dossier_code_make(UNIT, INT64_MIN, 1, DOSSIER_LONG_NEVER, &c, &e),
	                 ERR_INVALID_DATE);
	assert_int_equal(dossier_code_make(UNIT, INT64_MAX, 1, DOSSIER_LONG_NEVER, &c, &e),
	                 ERR_INVALID_DATE);
	assert_string_equal(make(out, UNIT, day(9999, 12, 31), 1, DOSSIER_LONG_NEVER),
	                    UNIT "-99991231-0000001");
	assert_string_equal(make(out, UNIT, day(2000, 1, 1), 1, DOSSIER_LONG_NEVER),
	                    UNIT "-000101-0001");
}

static void test_units(void **state)
{
	(void)state;
	static const char *good[] = {
	        "000.00.01.H26", "000.A0.01.H26", "ABC.DE.FG.H26", "999.99.99.Z99", "000.00.00.A01",
	};
	static const struct {
		const char *unit;
		const char *detail;
	} bad[] = {
	        {"", "empty"},
	        {"000.00.01.h26", "lower-case"},
	        {"000.a0.01.H26", "lower-case"},
	        {"000.00.01.226", "character 11 of the unit identifier must be a capital letter"},
	        {"000.00.01.HA6", "character 12 of the unit identifier must be a digit"},
	        {"000.00.01.H2", "13 characters"},
	        {"000.00.01.H266", "13 characters"},
	        {"0000.0.01.H26", "character 4 of the unit identifier must be a dot"},
	        {"000,00.01.H26", "must be a dot"},
	        {"000.00.0 .H26",
	         "character 9 of the unit identifier must be a digit or a capital"},
	        {"000.00.01-H26", "must be a dot"},
	        {"000.Đ0.01.H26", "13 characters"}, /* Đ is two bytes in UTF-8 */
	        {"000.Đ.01.H26", "character 5 of the unit identifier must be a digit or a capital"},
	};
	struct err e;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_int_equal(dossier_unit_check(good[i], &e), ERR_OK);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err_clear(&e);
		enum err_code rc = dossier_unit_check(bad[i].unit, &e);
		if (rc != ERR_INVALID_ARGUMENT || !strstr(e.detail, bad[i].detail))
			fail_msg("'%s': rc %d, detail '%s', wanted '%s'", bad[i].unit, rc, e.detail,
			         bad[i].detail);
	}
	assert_int_equal(dossier_unit_check(NULL, &e), ERR_INVALID_ARGUMENT);
	struct dossier_code c;
	assert_int_equal(
	        dossier_code_make("000.00.01.h26", day(2025, 4, 25), 1, DOSSIER_LONG_NEVER, &c, &e),
	        ERR_INVALID_ARGUMENT);
	assert_int_equal(dossier_code_make(NULL, day(2025, 4, 25), 1, DOSSIER_LONG_NEVER, &c, &e),
	                 ERR_INVALID_ARGUMENT);
}

static void test_malformed(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		const char *detail;
	} t[] = {
	        {"", "empty"},
	        {UNIT, "form UNIT-YYMMDD-NNNN"},
	        {UNIT "-250425", "form UNIT-YYMMDD-NNNN"},
	        {"250425-0007", "form UNIT-YYMMDD-NNNN"},
	        {UNIT "-250425-0007-1", "too many hyphens"},
	        {UNIT "-0-250425-0007", "too many hyphens"},
	        {"-250425-0007", "13 characters"},
	        {"--", "13 characters"},
	        {UNIT "--0007", "6 digits (YYMMDD) or 8"},
	        {UNIT "-250425-", "4 digits after the 6-digit date, not 0"},
	        {UNIT "-250425-000", "4 digits after the 6-digit date, not 3"},
	        {UNIT "-250425-00007", "4 digits after the 6-digit date, not 5"},
	        {UNIT "-250425-0000", "starts at 1"},
	        {UNIT "-20250425-0000000", "starts at 1"},
	        {UNIT "-20250425-0007", "7 digits after the 8-digit date, not 4"},
	        {UNIT "-250425-0000007", "4 digits after the 6-digit date, not 7"},
	        {UNIT "-2504250-0007", "not 7"},
	        {UNIT "-25042-0007", "not 5"},
	        {" " UNIT "-250425-0007", "13 characters"},
	        {UNIT "-250425-0007 ", "not 5"},
	        {UNIT "-250425-00 7", "digits only"},
	        {UNIT "-25O425-0007", "digits only"},
	        {UNIT "-+50425-0007", "digits only"},
	        {UNIT "-250425--007", "too many hyphens"},
	        {"000.00.01.h26-250425-0007", "lower-case"},
	        {"000.00.01.H26_250425_0007", "form UNIT"},
	        {UNIT "-250425-0007\n", "not 5"},
	        {"000.00.01.H26-250425-0007000.00.01.H26-250425-0007", "longer than 30"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct dossier_code c;
		struct err e;
		err_clear(&e);
		enum err_code rc = dossier_code_parse(t[i].s, &c, &e);
		if (rc != ERR_INVALID_DOSSIER_CODE || !strstr(e.detail, t[i].detail))
			fail_msg("'%s': rc %d, detail '%s', wanted '%s'", t[i].s, rc, e.detail,
			         t[i].detail);
	}
	struct dossier_code c;
	assert_int_equal(dossier_code_parse(NULL, &c, NULL), ERR_INVALID_DOSSIER_CODE);
	/* A very long input is refused without reading it all. */
	char big[4096];
	memset(big, '0', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(dossier_code_parse(big, &c, NULL), ERR_INVALID_DOSSIER_CODE);
}

static void test_round_trips(void **state)
{
	(void)state;
	assert_round_trip("000.00.01.H26-250425-0007");
	assert_round_trip("000.A0.01.H26-210212-9090");
	assert_round_trip("000.00.01.H26-240229-0001");
	assert_round_trip("000.00.01.H26-991231-9999");
	assert_round_trip("000.00.01.H26-000101-0001");
	assert_round_trip("000.00.01.H26-20250425-0000007");
	assert_round_trip("000.00.01.H26-20250425-0010000");
	assert_round_trip("ZZZ.ZZ.ZZ.Z99-99991231-9999999");
	/* A long code for a small sequence (written by another system) stays long. */
	assert_round_trip("000.00.01.H26-20190106-0000001");
	/* make -> format -> parse gives back the same parts, across many days. */
	for (int64_t d = day(2023, 12, 25); d <= day(2024, 3, 5); d++) {
		char out[DOSSIER_CODE_SIZE];
		struct dossier_code a, b;
		assert_int_equal(dossier_code_make(UNIT, d, 17, day(2024, 2, 29), &a, NULL),
		                 ERR_OK);
		assert_int_equal(dossier_code_format(&a, out, sizeof out, NULL), ERR_OK);
		assert_int_equal(dossier_code_parse(out, &b, NULL), ERR_OK);
		assert_string_equal(a.unit, b.unit);
		assert_int_equal(a.date, b.date);
		assert_int_equal(a.sequence, b.sequence);
		assert_int_equal(a.layout, b.layout);
		assert_int_equal(b.layout, d >= day(2024, 2, 29) ? DOSSIER_LAYOUT_LONG
		                                                 : DOSSIER_LAYOUT_SHORT);
	}
}

static void test_format(void **state)
{
	(void)state;
	struct dossier_code c;
	struct err e;
	char out[DOSSIER_CODE_SIZE];
	/* Sizes: a short code is 25 characters, a long one 30. */
	assert_int_equal(DOSSIER_CODE_SIZE, strlen(UNIT "-20250425-0000007") + 1);
	assert_int_equal(dossier_code_make(UNIT, day(2025, 4, 25), 7, DOSSIER_LONG_NEVER, &c, &e),
	                 ERR_OK);
	assert_int_equal(dossier_code_format(&c, out, 26, &e), ERR_OK);
	assert_string_equal(out, UNIT "-250425-0007");
	memcpy(out, "junk", 5);
	assert_int_equal(dossier_code_format(&c, out, 25, &e), ERR_TOO_LONG);
	assert_string_equal(out, "");
	assert_int_equal(dossier_code_format(&c, out, 0, &e), ERR_TOO_LONG);
	assert_int_equal(dossier_code_make(UNIT, day(2025, 4, 25), 7, 0, &c, &e), ERR_OK);
	assert_int_equal(dossier_code_format(&c, out, 30, &e), ERR_TOO_LONG);
	assert_int_equal(dossier_code_format(&c, out, 31, &e), ERR_OK);
	/* Structs that are not valid codes. */
	struct dossier_code bad = c;
	bad.sequence = 0;
	assert_int_equal(dossier_code_format(&bad, out, sizeof out, &e), ERR_INVALID_ARGUMENT);
	bad = c;
	bad.layout = DOSSIER_LAYOUT_SHORT;
	bad.sequence = 10000;
	assert_int_equal(dossier_code_format(&bad, out, sizeof out, &e), ERR_INVALID_ARGUMENT);
	bad = c;
	bad.layout = DOSSIER_LAYOUT_SHORT;
	bad.date = day(2100, 1, 1);
	assert_int_equal(dossier_code_format(&bad, out, sizeof out, &e), ERR_INVALID_ARGUMENT);
	bad = c;
	bad.date = day(1999, 12, 31);
	assert_int_equal(dossier_code_format(&bad, out, sizeof out, &e), ERR_INVALID_ARGUMENT);
	bad = c;
	bad.unit[0] = 'a';
	assert_int_equal(dossier_code_format(&bad, out, sizeof out, &e), ERR_INVALID_ARGUMENT);
	bad = c;
	bad.layout = (enum dossier_layout)7;
	assert_int_equal(dossier_code_format(&bad, out, sizeof out, &e), ERR_INVALID_ARGUMENT);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_examples),    cmocka_unit_test(test_make_layout_by_date),
	        cmocka_unit_test(test_overflow),    cmocka_unit_test(test_dates),
	        cmocka_unit_test(test_units),       cmocka_unit_test(test_malformed),
	        cmocka_unit_test(test_round_trips), cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
