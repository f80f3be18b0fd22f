/*
 * Unit tests for doc/report_csv: a hand-built report written as CSV, checked
 * byte for byte against the layout of src/doc/report_csv.h and RFC 4180
 * section 2 (quoting rules 5-7, CRLF line ends of rule 1), then parsed back
 * with the project's own RFC 4180 reader (base/csv.h) to check that every
 * field comes back as written. The formula guard follows OWASP's advice on
 * CSV injection (prefix '=', '+', '-', '@', tab and CR with an apostrophe).
 * Instants: 1756260000 = 2025-08-27 09:00 Vietnam time (UTC+7).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/vntime.h"
#include "doc/report_csv.h"
#include "service/reports.h"

static const struct report_column cols[] = {
        {"name", "Tên", "Name", REPORT_TEXT, 20},
        {"n", "Số hồ sơ", "Dossiers", REPORT_INTEGER, 10},
        {"rate", "Tỷ lệ", "Rate", REPORT_PERCENT, 10},
        {"at", "Thời điểm", "At", REPORT_DATETIME, 10},
        {"delay", "Trễ (giờ làm việc)", "Delay (working hours)", REPORT_DURATION, 10},
};
#define NCOLS (sizeof cols / sizeof cols[0])

/* Two sections: one with rows and a total, one empty with a total only. */
static void sample(struct report *r)
{
	report_init(r, REPORT_SATISFACTION);
	r->from_day = vntime_days_from_civil(2025, 8, 1);
	r->to_day = vntime_days_from_civil(2025, 8, 31);
	struct report_section *s = report_section_add(r, "a", "Phần A", "Part A", cols, NCOLS);
	assert_non_null(s);
	struct report_row *row = report_row_add(s, "0123456789abcdef");
	assert_non_null(row);
	assert_int_equal(report_set_text(row, 0, "Phường Hoàn Kiếm", "Hoan Kiem Ward"), 0);
	report_set_int(row, 1, 1234567);
	report_set_pct(row, 2, 0.9234);
	report_set_time(row, 3, 1756260000);
	report_set_duration(row, 4, 5400); /* 1.5 h */
	row = report_row_add(s, NULL);
	assert_int_equal(report_set_text(row, 0, "Nói \"có\", rồi, thôi\r\nhết", NULL), 0);
	report_set_int(row, 1, -3);
	/* rate, at and delay left empty */
	row = report_row_add(s, NULL);
	assert_int_equal(report_set_text(row, 0, "=HYPERLINK(\"x\")", NULL), 0);
	report_set_int(row, 1, 0);
	report_set_pct(row, 2, 1.0);
	row = report_row_add(s, NULL);
	assert_int_equal(report_set_text(row, 0, " lề ", NULL), 0);
	struct report_row *t = report_total(s);
	assert_int_equal(report_set_text(t, 0, "Tổng cộng", "Total"), 0);
	report_set_int(t, 1, 1234564);
	report_set_pct(t, 2, 0.5);
	struct report_section *s2 = report_section_add(r, "b", "Phần B", "Part B", cols, 2);
	assert_non_null(s2);
	t = report_total(s2);
	assert_int_equal(report_set_text(t, 0, "Tổng cộng", "Total"), 0);
	report_set_int(t, 1, 0);
	/* a third section does not fit */
	assert_null(report_section_add(r, "c", "C", "C", cols, NCOLS));
}

static const char expected_vi[] = "\xEF\xBB\xBF"
                                  "Phần A\r\n"
                                  "Tên,Số hồ sơ,Tỷ lệ (%),Thời điểm,Trễ (giờ làm việc)\r\n"
                                  "Phường Hoàn Kiếm,1234567,92.3,2025-08-27 09:00,1.50\r\n"
                                  "\"Nói \"\"có\"\", rồi, thôi\r\nhết\",-3,,,\r\n"
                                  "\"'=HYPERLINK(\"\"x\"\")\",0,100.0,,\r\n"
                                  "\" lề \",,,,\r\n"
                                  "Tổng cộng,1234564,50.0,,\r\n"
                                  "\r\n"
                                  "Phần B\r\n"
                                  "Tên,Số hồ sơ\r\n"
                                  "Tổng cộng,0\r\n";

/* Writes the sample in lang into b (a new buffer of cap bytes, which the caller
 * releases) and asserts that the writer returns want. */
static void write_sample(enum err_lang lang, size_t cap, enum err_code want, struct buf *b)
{
	struct report r;
	sample(&r);
	buf_init(b, cap);
	struct err e = {0};
	assert_int_equal(report_csv_write(&r, lang, b, &e), want);
	report_release(&r);
}

static void test_bytes_vi(void **state)
{
	(void)state;
	struct buf b;
	write_sample(ERR_LANG_VI, REPORT_CSV_MAX, ERR_OK, &b);
	assert_string_equal(buf_str(&b), expected_vi);
	buf_release(&b);
}

static void test_english(void **state)
{
	(void)state;
	struct buf b;
	write_sample(ERR_LANG_EN, REPORT_CSV_MAX, ERR_OK, &b);
	const char *s = buf_str(&b);
	assert_non_null(strstr(s, "Part A\r\nName,Dossiers,Rate (%),At,Delay (working hours)\r\n"));
	assert_non_null(strstr(s, "\r\nHoan Kiem Ward,1234567,"));
	/* a text without an English variant stays Vietnamese */
	assert_non_null(strstr(s, "\" lề \""));
	assert_non_null(strstr(s, "Total,1234564,50.0,,\r\n"));
	buf_release(&b);
}

/* Parsed back with base/csv: the same fields as written. */
static void test_parse_back(void **state)
{
	(void)state;
	struct buf b;
	write_sample(ERR_LANG_VI, REPORT_CSV_MAX, ERR_OK, &b);
	struct err e = {0};
	struct csv_reader rd;
	csv_reader_init(&rd, b.data, b.len, NULL);
	static const char *const want[][5] = {
	        {"Phần A"},
	        {"Tên", "Số hồ sơ", "Tỷ lệ (%)", "Thời điểm", "Trễ (giờ làm việc)"},
	        {"Phường Hoàn Kiếm", "1234567", "92.3", "2025-08-27 09:00", "1.50"},
	        {"Nói \"có\", rồi, thôi\r\nhết", "-3", "", "", ""},
	        {"'=HYPERLINK(\"x\")", "0", "100.0", "", ""},
	        {" lề ", "", "", "", ""},
	        {"Tổng cộng", "1234564", "50.0", "", ""},
	        {"Phần B"},
	        {"Tên", "Số hồ sơ"},
	        {"Tổng cộng", "0"},
	};
	static const size_t counts[] = {1, 5, 5, 5, 5, 5, 5, 1, 2, 2};
	size_t n = 0;
	for (;;) {
		bool got;
		assert_int_equal(csv_read(&rd, &got, &e), ERR_OK);
		if (!got)
			break;
		assert_true(n < sizeof counts / sizeof counts[0]);
		assert_int_equal(rd.count, counts[n]);
		for (size_t i = 0; i < rd.count; i++)
			assert_string_equal(csv_field(&rd, i), want[n][i]);
		n++;
	}
	assert_int_equal(n, sizeof counts / sizeof counts[0]);
	csv_reader_release(&rd);
	buf_release(&b);
}

/* A buffer too small for the file: ERR_TOO_LONG, never a cut file passed as whole. */
static void test_too_long(void **state)
{
	(void)state;
	struct buf b;
	write_sample(ERR_LANG_VI, 40, ERR_TOO_LONG, &b);
	buf_release(&b);
}

/* An empty report: the byte order mark alone. */
static void test_empty(void **state)
{
	(void)state;
	struct report r;
	report_init(&r, REPORT_LATE);
	struct buf b;
	buf_init(&b, REPORT_CSV_MAX);
	struct err e = {0};
	assert_int_equal(report_csv_write(&r, ERR_LANG_VI, &b, &e), ERR_OK);
	assert_string_equal(buf_str(&b), "\xEF\xBB\xBF");
	buf_release(&b);
	report_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_bytes_vi),   cmocka_unit_test(test_english),
	        cmocka_unit_test(test_parse_back), cmocka_unit_test(test_too_long),
	        cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
