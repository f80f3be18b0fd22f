/*
 * Unit tests for domain/cccd: the 12-digit personal identification number.
 * Expected values come from Decree 137/2015/NĐ-CP Article 13 (layout, century
 * and sex codes) and Circular 07/2016/TT-BCA Article 7 with its Annex 1 (the 63
 * province codes and names), re-typed here independently of provinces.def so
 * that a slip in either copy shows up. The abroad range 101-295 is the
 * unconfirmed third-party range recorded in cccd_abroad.def.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/cccd.h"

/* Circular 07/2016/TT-BCA, Annex 1, in its order (which is ascending by code). */
static const struct {
	int code;
	const char *name;
} annex1[] = {
        {1, "Hà Nội"},
        {2, "Hà Giang"},
        {4, "Cao Bằng"},
        {6, "Bắc Kạn"},
        {8, "Tuyên Quang"},
        {10, "Lào Cai"},
        {11, "Điện Biên"},
        {12, "Lai Châu"},
        {14, "Sơn La"},
        {15, "Yên Bái"},
        {17, "Hòa Bình"},
        {19, "Thái Nguyên"},
        {20, "Lạng Sơn"},
        {22, "Quảng Ninh"},
        {24, "Bắc Giang"},
        {25, "Phú Thọ"},
        {26, "Vĩnh Phúc"},
        {27, "Bắc Ninh"},
        {30, "Hải Dương"},
        {31, "Hải Phòng"},
        {33, "Hưng Yên"},
        {34, "Thái Bình"},
        {35, "Hà Nam"},
        {36, "Nam Định"},
        {37, "Ninh Bình"},
        {38, "Thanh Hóa"},
        {40, "Nghệ An"},
        {42, "Hà Tĩnh"},
        {44, "Quảng Bình"},
        {45, "Quảng Trị"},
        {46, "Thừa Thiên Huế"},
        {48, "Đà Nẵng"},
        {49, "Quảng Nam"},
        {51, "Quảng Ngãi"},
        {52, "Bình Định"},
        {54, "Phú Yên"},
        {56, "Khánh Hòa"},
        {58, "Ninh Thuận"},
        {60, "Bình Thuận"},
        {62, "Kon Tum"},
        {64, "Gia Lai"},
        {66, "Đắk Lắk"},
        {67, "Đắk Nông"},
        {68, "Lâm Đồng"},
        {70, "Bình Phước"},
        {72, "Tây Ninh"},
        {74, "Bình Dương"},
        {75, "Đồng Nai"},
        {77, "Bà Rịa - Vũng Tàu"},
        {79, "Hồ Chí Minh"},
        {80, "Long An"},
        {82, "Tiền Giang"},
        {83, "Bến Tre"},
        {84, "Trà Vinh"},
        {86, "Vĩnh Long"},
        {87, "Đồng Tháp"},
        {89, "An Giang"},
        {91, "Kiên Giang"},
        {92, "Cần Thơ"},
        {93, "Hậu Giang"},
        {94, "Sóc Trăng"},
        {95, "Bạc Liêu"},
        {96, "Cà Mau"},
};

#define N_ANNEX1 (sizeof annex1 / sizeof annex1[0])

static int64_t day(int y, int m, int d)
{
	return vntime_days_from_civil(y, m, d);
}

/* Builds "PPP" + rest into buf. */
static const char *num(char buf[32], int place, const char *rest)
{
	snprintf(buf, 32, "%03d%s", place, rest);
	return buf;
}

static void test_province_table(void **state)
{
	(void)state;
	size_t n;
	const struct cccd_province *p = cccd_provinces(&n);
	/* 63 provinces and centrally-run cities, ascending, no duplicate code or name. */
	assert_int_equal(n, 63);
	assert_int_equal(N_ANNEX1, 63);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(p[i].code, annex1[i].code);
		assert_string_equal(p[i].name, annex1[i].name);
		assert_true(p[i].code >= 1 && p[i].code <= 96);
		if (i > 0)
			assert_true(p[i].code > p[i - 1].code);
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(p[i].name, p[k].name);
	}
	assert_string_equal(cccd_province_name(1), "Hà Nội");
	assert_string_equal(cccd_province_name(96), "Cà Mau");
	assert_null(cccd_province_name(0));
	assert_null(cccd_province_name(3));
	assert_null(cccd_province_name(97));
	assert_null(cccd_province_name(-1));
}

static void test_every_province_parses(void **state)
{
	(void)state;
	char buf[32];
	struct cccd c;
	struct err e;
	for (size_t i = 0; i < N_ANNEX1; i++) {
		assert_int_equal(
		        cccd_parse(num(buf, annex1[i].code, "305000123"), CCCD_NO_DATE, &c, &e),
		        ERR_OK);
		assert_string_equal(c.number, buf);
		assert_int_equal(c.place, annex1[i].code);
		assert_memory_equal(c.place_code, buf, 3);
		assert_int_equal(c.place_code[3], '\0');
		assert_false(c.registered_abroad);
		assert_string_equal(c.province, annex1[i].name);
		assert_null(c.country);
		assert_int_equal(c.place_status, CCCD_PLACE_OFFICIAL);
	}
}

static void test_place_codes_0_to_999(void **state)
{
	(void)state;
	/* Exactly the 63 provinces and the abroad range 101-295 are accepted. */
	char buf[32];
	struct cccd c;
	struct err e;
	int provinces = 0, abroad = 0;
	for (int code = 0; code <= 999; code++) {
		enum err_code rc = cccd_parse(num(buf, code, "205000123"), CCCD_NO_DATE, &c, &e);
		bool expect_abroad = code >= 101 && code <= 295;
		if (cccd_province_name(code)) {
			assert_int_equal(rc, ERR_OK);
			provinces++;
		} else if (expect_abroad) {
			assert_int_equal(rc, ERR_OK);
			assert_true(c.registered_abroad);
			abroad++;
		} else {
			assert_int_equal(rc, ERR_INVALID_CCCD);
			assert_int_equal(e.code, ERR_INVALID_CCCD);
			char want[16];
			snprintf(want, sizeof want, "'%03d'", code);
			assert_non_null(strstr(e.detail, want));
		}
	}
	assert_int_equal(provinces, 63);
	assert_int_equal(abroad, 195);
}

static void test_century_digits(void **state)
{
	(void)state;
	/* Decree 137/2015 Article 13: 20th century (1900-1999) male 0, female 1; 21st 2/3;
	 * 22nd 4/5; 23rd 6/7; 24th 8/9. Digits 5-6 are the year within the century. */
	static const struct {
		char digit;
		int century, year;
		enum cccd_sex sex;
	} t[] = {
	        {'0', 20, 1987, CCCD_MALE}, {'1', 20, 1987, CCCD_FEMALE},
	        {'2', 21, 2087, CCCD_MALE}, {'3', 21, 2087, CCCD_FEMALE},
	        {'4', 22, 2187, CCCD_MALE}, {'5', 22, 2187, CCCD_FEMALE},
	        {'6', 23, 2287, CCCD_MALE}, {'7', 23, 2287, CCCD_FEMALE},
	        {'8', 24, 2387, CCCD_MALE}, {'9', 24, 2387, CCCD_FEMALE},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char s[13] = "001087000999";
		s[3] = t[i].digit;
		struct cccd c;
		assert_int_equal(cccd_parse(s, CCCD_NO_DATE, &c, NULL), ERR_OK);
		assert_int_equal(c.century, t[i].century);
		assert_int_equal(c.birth_year, t[i].year);
		assert_int_equal(c.sex, t[i].sex);
	}
	/* The ends of the range: 1900 and 2399. */
	struct cccd c;
	assert_int_equal(cccd_parse("079000000001", CCCD_NO_DATE, &c, NULL), ERR_OK);
	assert_int_equal(c.birth_year, 1900);
	assert_int_equal(cccd_parse("079999000001", CCCD_NO_DATE, &c, NULL), ERR_OK);
	assert_int_equal(c.birth_year, 2399);
	assert_string_equal(cccd_sex_str(CCCD_MALE), "male");
	assert_string_equal(cccd_sex_str(CCCD_FEMALE), "female");
}

static void test_example_number(void **state)
{
	(void)state;
	/* The example of the task: 001 Hà Nội, 3 = female in the 21st century, 05 = 2005. */
	struct cccd c;
	assert_int_equal(cccd_parse("001305000123", day(2025, 4, 25), &c, NULL), ERR_OK);
	assert_string_equal(c.number, "001305000123");
	assert_string_equal(c.place_code, "001");
	assert_string_equal(c.province, "Hà Nội");
	assert_false(c.registered_abroad);
	assert_int_equal(c.sex, CCCD_FEMALE);
	assert_int_equal(c.century, 21);
	assert_int_equal(c.birth_year, 2005);
	/* Published example (hrnk.vn, after Circular 07/2016): 087084000999 = Đồng Tháp,
	 * male born in 1984. */
	assert_int_equal(cccd_parse("087084000999", day(2025, 4, 25), &c, NULL), ERR_OK);
	assert_string_equal(c.province, "Đồng Tháp");
	assert_int_equal(c.sex, CCCD_MALE);
	assert_int_equal(c.birth_year, 1984);
}

static void test_future_birth_year(void **state)
{
	(void)state;
	struct cccd c;
	struct err e;
	int64_t today = day(2025, 4, 25);
	/* Born this year: allowed (the number holds no month). */
	assert_int_equal(cccd_parse("001225000123", today, &c, &e), ERR_OK);
	assert_int_equal(cccd_parse("001325000123", day(2025, 1, 1), &c, &e), ERR_OK);
	/* Next year, or a later century: refused. */
	assert_int_equal(cccd_parse("001226000123", today, &c, &e), ERR_INVALID_CCCD);
	assert_non_null(strstr(e.detail, "2026"));
	assert_non_null(strstr(e.detail, "future"));
	assert_int_equal(cccd_parse("001405000123", today, &c, &e), ERR_INVALID_CCCD);
	assert_int_equal(cccd_parse("001925000123", today, &c, &e), ERR_INVALID_CCCD);
	/* The same numbers are fine when no today is given, or a later today. */
	assert_int_equal(cccd_parse("001405000123", CCCD_NO_DATE, &c, &e), ERR_OK);
	assert_int_equal(cccd_parse("001405000123", day(2105, 1, 1), &c, &e), ERR_OK);
	/* 31 December in Vietnam is still the old year: the boundary is the civil date. */
	assert_int_equal(cccd_parse("001226000123", day(2025, 12, 31), &c, &e), ERR_INVALID_CCCD);
	assert_int_equal(cccd_parse("001226000123", day(2026, 1, 1), &c, &e), ERR_OK);
}

static void test_registered_abroad(void **state)
{
	(void)state;
	struct cccd c;
	struct err e;
	assert_int_equal(cccd_parse("101305000123", CCCD_NO_DATE, &c, &e), ERR_OK);
	assert_true(c.registered_abroad);
	assert_null(c.province);
	assert_null(c.country);
	assert_int_equal(c.place, 101);
	assert_string_equal(c.place_code, "101");
	assert_int_equal(c.place_status, CCCD_PLACE_UNCONFIRMED);
	assert_string_equal(cccd_place_status_str(c.place_status), "unconfirmed");
	assert_int_equal(cccd_parse("295098000123", CCCD_NO_DATE, &c, &e), ERR_OK);
	assert_true(c.registered_abroad);
	assert_int_equal(c.birth_year, 1998);
	/* Just outside the range, and the unassigned ends of the province range. */
	assert_int_equal(cccd_parse("100305000123", CCCD_NO_DATE, &c, &e), ERR_INVALID_CCCD);
	assert_int_equal(cccd_parse("296305000123", CCCD_NO_DATE, &c, &e), ERR_INVALID_CCCD);
	assert_int_equal(cccd_parse("097305000123", CCCD_NO_DATE, &c, &e), ERR_INVALID_CCCD);
	assert_int_equal(cccd_parse("999305000123", CCCD_NO_DATE, &c, &e), ERR_INVALID_CCCD);
}

static void test_abroad_table(void **state)
{
	(void)state;
	size_t n;
	const struct cccd_abroad_range *r = cccd_abroad_ranges(&n);
	assert_true(n >= 1);
	for (size_t i = 0; i < n; i++) {
		assert_true(r[i].first >= 1 && r[i].first <= r[i].last && r[i].last <= 999);
		if (i > 0)
			assert_true(r[i].first > r[i - 1].last); /* ascending, no overlap */
		for (int code = r[i].first; code <= r[i].last; code++)
			assert_null(cccd_province_name(code));
		assert_non_null(r[i].source);
	}
}

static void test_malformed(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		const char *detail; /* a fragment of the expected detail */
	} t[] = {
	        {"", "empty"},
	        {"00130500012", "has 11 digits"},
	        {"0013050001234", "more than 12"},
	        {"00130500012A",
	         "character 12 of the personal identification number is not a digit"},
	        {"O01305000123",
	         "character 1 of the personal identification number is not a digit"},
	        {"001 305 000 123", "character 4 of the personal identification number is a space"},
	        {" 001305000123", "character 1"},
	        {"001305000123 ", "character 13"},
	        {"001305000123\n", "character 13"},
	        {"+01305000123", "character 1"},
	        {"-01305000123", "character 1"},
	        {"００1305000123", "character 1"}, /* full-width digits are not ASCII */
	        {"1", "has 1 digits"},
	        {"000305000123", "'000'"},
	        {"003305000123", "'003'"},
	        {"098305000123", "'098'"},
	        {"0013050001230000000000000000000000000000", "more than 12"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct cccd c;
		struct err e;
		err_clear(&e);
		enum err_code rc = cccd_parse(t[i].s, CCCD_NO_DATE, &c, &e);
		if (rc != ERR_INVALID_CCCD || !strstr(e.detail, t[i].detail))
			fail_msg("'%s': rc %d, detail '%s', wanted '%s'", t[i].s, rc, e.detail,
			         t[i].detail);
	}
	struct cccd c;
	assert_int_equal(cccd_parse(NULL, CCCD_NO_DATE, &c, NULL), ERR_INVALID_CCCD);
	/* *out is untouched on failure. */
	memset(&c, 0x5a, sizeof c);
	assert_int_equal(cccd_parse("003305000123", CCCD_NO_DATE, &c, NULL), ERR_INVALID_CCCD);
	assert_int_equal((unsigned char)c.number[0], 0x5a);
}

static void test_check(void **state)
{
	(void)state;
	struct cccd c;
	struct err e;
	assert_int_equal(cccd_parse("001305000123", CCCD_NO_DATE, &c, NULL), ERR_OK);
	/* Consistent: any day of 2005, female; or nothing declared. */
	assert_int_equal(cccd_check(&c, day(2005, 1, 1), CCCD_FEMALE, &e), ERR_OK);
	assert_int_equal(cccd_check(&c, day(2005, 12, 31), CCCD_NO_SEX, &e), ERR_OK);
	assert_int_equal(cccd_check(&c, CCCD_NO_DATE, CCCD_FEMALE, &e), ERR_OK);
	assert_int_equal(cccd_check(&c, CCCD_NO_DATE, CCCD_NO_SEX, &e), ERR_OK);
	/* A day either side of 2005. */
	assert_int_equal(cccd_check(&c, day(2004, 12, 31), CCCD_FEMALE, &e), ERR_CCCD_MISMATCH);
	assert_non_null(strstr(e.detail, "born in 2005"));
	assert_non_null(strstr(e.detail, "2004-12-31"));
	assert_int_equal(cccd_check(&c, day(2006, 1, 1), CCCD_NO_SEX, &e), ERR_CCCD_MISMATCH);
	/* Same year of another century. */
	assert_int_equal(cccd_check(&c, day(1905, 6, 1), CCCD_FEMALE, &e), ERR_CCCD_MISMATCH);
	/* Sex. */
	assert_int_equal(cccd_check(&c, day(2005, 6, 1), CCCD_MALE, &e), ERR_CCCD_MISMATCH);
	assert_non_null(strstr(e.detail, "of a female"));
	assert_non_null(strstr(e.detail, "declared sex is male"));
	assert_null(strstr(e.detail, "born"));
	/* Both. */
	assert_int_equal(cccd_check(&c, day(1999, 6, 1), CCCD_MALE, &e), ERR_CCCD_MISMATCH);
	assert_non_null(strstr(e.detail, "1999-06-01"));
	assert_non_null(strstr(e.detail, "male"));
	/* The detail never carries the whole number. */
	assert_null(strstr(e.detail, "001305000123"));
	/* A bad sex value is a programming error, not a mismatch. */
	assert_int_equal(cccd_check(&c, CCCD_NO_DATE, 2, &e), ERR_INVALID_ARGUMENT);
	/* 1969-12-31 is day -1: it must work as a date, not as "no date". */
	assert_int_equal(cccd_parse("001069000123", CCCD_NO_DATE, &c, NULL), ERR_OK);
	assert_int_equal(day(1969, 12, 31), -1);
	assert_int_equal(cccd_check(&c, -1, CCCD_MALE, &e), ERR_OK);
	assert_int_equal(cccd_check(&c, day(1970, 1, 1), CCCD_MALE, &e), ERR_CCCD_MISMATCH);
}

static void test_sex_parse(void **state)
{
	(void)state;
	enum cccd_sex s;
	assert_int_equal(cccd_sex_parse("male", &s), 0);
	assert_int_equal(s, CCCD_MALE);
	assert_int_equal(cccd_sex_parse("female", &s), 0);
	assert_int_equal(s, CCCD_FEMALE);
	assert_int_equal(cccd_sex_parse("nữ", &s), 0);
	assert_int_equal(s, CCCD_FEMALE);
	assert_int_equal(cccd_sex_parse("nam", &s), 0);
	assert_int_equal(s, CCCD_MALE);
	assert_int_equal(cccd_sex_parse("Male", &s), -1);
	assert_int_equal(cccd_sex_parse("", &s), -1);
	assert_int_equal(cccd_sex_parse("m", &s), -1);
	assert_int_equal(cccd_sex_parse(NULL, &s), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_province_table),
	        cmocka_unit_test(test_every_province_parses),
	        cmocka_unit_test(test_place_codes_0_to_999),
	        cmocka_unit_test(test_century_digits),
	        cmocka_unit_test(test_example_number),
	        cmocka_unit_test(test_future_birth_year),
	        cmocka_unit_test(test_registered_abroad),
	        cmocka_unit_test(test_abroad_table),
	        cmocka_unit_test(test_malformed),
	        cmocka_unit_test(test_check),
	        cmocka_unit_test(test_sex_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
