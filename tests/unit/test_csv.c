/*
 * Unit tests for base/csv: the RFC 4180 dialect (quoting, doubled quotes,
 * CRLF and LF, line breaks inside quotes), the documented extensions (BOM,
 * blank lines, missing final line break), every error with its line and
 * column, and the limits. Expected values follow RFC 4180 section 2 (rules
 * 1-7) and the dialect written in src/base/csv.h.
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

/* Reads every record of text; returns the number read, or -1 on error (detail in *e). */
static int read_all(const char *text, size_t len, const struct csv_limits *lim, char out[][8][64],
                    size_t *counts, int *lines, int max, struct err *e)
{
	struct csv_reader r;
	csv_reader_init(&r, text, len, lim);
	int n = 0;
	for (;;) {
		bool got;
		if (csv_read(&r, &got, e) != ERR_OK) {
			csv_reader_release(&r);
			return -1;
		}
		if (!got)
			break;
		assert_true(n < max);
		counts[n] = r.count;
		lines[n] = r.record_line;
		for (size_t i = 0; i < r.count && i < 8; i++) {
			assert_true(strlen(csv_field(&r, i)) < 64);
			snprintf(out[n][i], sizeof out[n][i], "%s", csv_field(&r, i));
		}
		assert_null(csv_field(&r, r.count));
		n++;
	}
	csv_reader_release(&r);
	return n;
}

static char rec[16][8][64];
static size_t cnt[16];
static int lines[16];

static int parse(const char *text, struct err *e)
{
	memset(rec, 0, sizeof rec);
	return read_all(text, strlen(text), NULL, rec, cnt, lines, 16, e);
}

/* RFC 4180 rules 1, 2 and 4: records on lines, fields separated by commas. */
static void test_plain(void **state)
{
	(void)state;
	struct err e;
	assert_int_equal(parse("a,b,c\r\n1,2,3\r\n", &e), 2);
	assert_int_equal(cnt[0], 3);
	assert_string_equal(rec[0][2], "c");
	assert_string_equal(rec[1][0], "1");
	/* rule 2: the last record may have no line break; LF alone is accepted too */
	assert_int_equal(parse("a,b\n1,2", &e), 2);
	assert_string_equal(rec[1][1], "2");
	/* spaces are part of a field (rule 4) */
	assert_int_equal(parse(" a , b ", &e), 1);
	assert_string_equal(rec[0][0], " a ");
	assert_string_equal(rec[0][1], " b ");
	/* empty fields, and a trailing comma gives one more empty field */
	assert_int_equal(parse(",x,\n", &e), 1);
	assert_int_equal(cnt[0], 3);
	assert_string_equal(rec[0][0], "");
	assert_string_equal(rec[0][2], "");
	/* the empty text has no record */
	assert_int_equal(parse("", &e), 0);
}

/* RFC 4180 rules 5-7: quoted fields with commas, line breaks and doubled quotes. */
static void test_quoted(void **state)
{
	(void)state;
	struct err e;
	assert_int_equal(parse("\"a,b\",\"say \"\"hi\"\"\",\"\"\r\nx,y,z\r\n", &e), 2);
	assert_string_equal(rec[0][0], "a,b");
	assert_string_equal(rec[0][1], "say \"hi\"");
	assert_string_equal(rec[0][2], "");
	/* a line break inside quotes is data; the next record starts on line 3 */
	assert_int_equal(parse("\"two\nlines\",b\nc,d\n", &e), 2);
	assert_string_equal(rec[0][0], "two\nlines");
	assert_int_equal(lines[0], 1);
	assert_int_equal(lines[1], 3);
	assert_int_equal(parse("\"crlf\r\ninside\"\r\n", &e), 1);
	assert_string_equal(rec[0][0], "crlf\r\ninside");
	/* a quoted field at the very end of the text */
	assert_int_equal(parse("a,\"end\"", &e), 1);
	assert_string_equal(rec[0][1], "end");
	/* UTF-8 text, e.g. Vietnamese names */
	assert_int_equal(parse("Hoàn Kiếm,\"Đống Đa, Hà Nội\"\n", &e), 1);
	assert_string_equal(rec[0][1], "Đống Đa, Hà Nội");
}

/* The documented extensions: byte-order mark and blank lines skipped. */
static void test_bom_blank_lines(void **state)
{
	(void)state;
	struct err e;
	assert_int_equal(parse("\xEF\xBB\xBF"
	                       "code,name\n\n\r\n01,x\n\n",
	                       &e),
	                 2);
	assert_string_equal(rec[0][0], "code");
	assert_int_equal(lines[0], 1);
	assert_int_equal(lines[1], 4);
	/* a quoted empty field is a record, not a blank line */
	assert_int_equal(parse("\"\"\n", &e), 1);
	assert_int_equal(cnt[0], 1);
	/* a BOM elsewhere is data */
	assert_int_equal(parse("a\n\xEF\xBB\xBF"
	                       "b\n",
	                       &e),
	                 2);
	assert_string_equal(rec[1][0], "\xEF\xBB\xBF"
	                               "b");
}

static void expect_error(const char *text, size_t len, const char *detail)
{
	struct err e;
	err_clear(&e);
	memset(rec, 0, sizeof rec);
	assert_int_equal(read_all(text, len, NULL, rec, cnt, lines, 16, &e), -1);
	assert_int_equal(e.code, ERR_INVALID_DATA_FILE);
	if (!strstr(e.detail, detail))
		fail_msg("detail '%s' lacks '%s'", e.detail, detail);
}

/* Every malformed input is refused, naming the line and the column. */
static void test_errors(void **state)
{
	(void)state;
	expect_error("a,b\nc,\"open\n", 12, "line 2, column 2: quoted field not closed");
	expect_error("a,b\nc,\"x\"y\n", 11, "line 2, column 2: text after a closing quote");
	expect_error("a,b\nc,d\"e\n", 10, "line 2, column 2: quote inside an unquoted field");
	expect_error("a\rb\n", 4, "line 1, column 1: carriage return not followed by a line feed");
	expect_error("ok\nab\0c\n", 8, "line 2, column 1: NUL byte");
	expect_error("ok\n\"a\0\"\n", 8, "line 2, column 1: NUL byte");
	expect_error("x,\xC3\x28\n", 5, "line 1, column 2: text is not valid UTF-8");
	expect_error("x,\"\xED\xA0\x80\"\n", 7, "line 1, column 2: text is not valid UTF-8");
	/* an unclosed quote is reported at the line where it opened */
	expect_error("a\n\"b\nc\nd", 8, "line 2, column 1: quoted field not closed");
	/* the line of an error after a multi-line field */
	expect_error("\"a\nb\",c\"\n", 9, "line 2, column 2: quote inside an unquoted field");
}

/* Limits: one field, fields per record, bytes per record; exactly at the limit passes. */
static void test_limits(void **state)
{
	(void)state;
	struct err e;
	struct csv_limits lim = {.field_max = 4, .fields_max = 3, .record_max = 10};
	assert_int_equal(read_all("abcd,ef,\"gh\"\n", 13, &lim, rec, cnt, lines, 16, &e), 1);
	assert_int_equal(read_all("abcde\n", 6, &lim, rec, cnt, lines, 16, &e), -1);
	assert_true(strstr(e.detail, "line 1, column 1: field too long") != NULL);
	assert_int_equal(read_all("ok\n\"abcde\"\n", 11, &lim, rec, cnt, lines, 16, &e), -1);
	assert_true(strstr(e.detail, "line 2, column 1: field too long") != NULL);
	assert_int_equal(read_all("a,b,c,d\n", 8, &lim, rec, cnt, lines, 16, &e), -1);
	assert_true(strstr(e.detail, "line 1: too many fields") != NULL);
	assert_int_equal(read_all("abcd,abcd,abc\n", 14, &lim, rec, cnt, lines, 16, &e), -1);
	assert_true(strstr(e.detail, "line 1, column 3: record too long") != NULL);
	/* a zero limit takes the default */
	struct csv_limits zero = {0, 0, 0};
	assert_int_equal(read_all("a,b\n", 4, &zero, rec, cnt, lines, 16, &e), 1);
}

/* After an error the reader keeps failing; the text length bounds the input. */
static void test_sticky_error_and_length(void **state)
{
	(void)state;
	struct csv_reader r;
	struct err e;
	bool got;
	const char *text = "a\n\"b\nc\n";
	csv_reader_init(&r, text, strlen(text), NULL);
	assert_int_equal(csv_read(&r, &got, &e), ERR_OK);
	assert_true(got);
	assert_int_equal(csv_read(&r, &got, &e), ERR_INVALID_DATA_FILE);
	assert_false(got);
	err_clear(&e);
	assert_int_equal(csv_read(&r, &got, &e), ERR_INVALID_DATA_FILE);
	assert_true(strstr(e.detail, "not closed") != NULL);
	assert_int_equal(r.count, 0);
	csv_reader_release(&r);

	/* only len bytes are read: the text need not be NUL-terminated */
	char raw[6] = {'a', ',', 'b', '\n', 'c', 'X'};
	csv_reader_init(&r, raw, 5, NULL);
	assert_int_equal(csv_read(&r, &got, &e), ERR_OK);
	assert_int_equal(csv_read(&r, &got, &e), ERR_OK);
	assert_true(got);
	assert_string_equal(csv_field(&r, 0), "c");
	assert_int_equal(csv_read(&r, &got, &e), ERR_OK);
	assert_false(got);
	csv_reader_release(&r);

	/* a NULL text is an empty text */
	csv_reader_init(&r, NULL, 10, NULL);
	assert_int_equal(csv_read(&r, &got, NULL), ERR_OK);
	assert_false(got);
	csv_reader_release(&r);
}

/* Header checks: required names in order, then an optional prefix of the others. */
static void test_header(void **state)
{
	(void)state;
	static const char *const names[] = {"id", "name", "address", "note"};
	struct csv_reader r;
	struct err e;
	bool got;
	static const struct {
		const char *text;
		enum err_code want;
		const char *detail;
	} cases[] = {
	        {"id,name\n", ERR_OK, NULL},
	        {"id,name,address\n", ERR_OK, NULL},
	        {"id,name,address,note\n", ERR_OK, NULL},
	        {"id\n", ERR_INVALID_DATA_FILE,
	         "the header has 1 columns; expected 'id,name,[address,note]'"},
	        {"id,name,address,note,x\n", ERR_INVALID_DATA_FILE, "has 5 columns"},
	        {"id,nom\n", ERR_INVALID_DATA_FILE, "line 1, column 2: header 'nom' where 'name'"},
	        {"id,name,note\n", ERR_INVALID_DATA_FILE,
	         "column 3: header 'note' where 'address'"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		csv_reader_init(&r, cases[i].text, strlen(cases[i].text), NULL);
		assert_int_equal(csv_read(&r, &got, NULL), ERR_OK);
		err_clear(&e);
		assert_int_equal(csv_expect_header(&r, names, 2, 4, &e), cases[i].want);
		if (cases[i].detail && !strstr(e.detail, cases[i].detail))
			fail_msg("case %zu: detail '%s'", i, e.detail);
		csv_reader_release(&r);
	}
}

/* Many records, each field read back exactly (exercises growth of the store). */
static void test_many_records(void **state)
{
	(void)state;
	size_t cap = 200000;
	char *text = malloc(cap);
	assert_non_null(text);
	size_t n = 0;
	for (int i = 0; i < 5000; i++)
		n += (size_t)snprintf(text + n, cap - n, "%d,\"v %d, \"\"q\"\"\",%s\r\n", i, i * 7,
		                      i % 2 ? "" : "x");
	struct csv_reader r;
	csv_reader_init(&r, text, n, NULL);
	bool got;
	int i = 0;
	char want[64];
	while (csv_read(&r, &got, NULL) == ERR_OK && got) {
		assert_int_equal(r.count, 3);
		assert_int_equal(r.record_line, i + 1);
		snprintf(want, sizeof want, "%d", i);
		assert_string_equal(csv_field(&r, 0), want);
		snprintf(want, sizeof want, "v %d, \"q\"", i * 7);
		assert_string_equal(csv_field(&r, 1), want);
		i++;
	}
	assert_int_equal(i, 5000);
	csv_reader_release(&r);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_plain),
	        cmocka_unit_test(test_quoted),
	        cmocka_unit_test(test_bom_blank_lines),
	        cmocka_unit_test(test_errors),
	        cmocka_unit_test(test_limits),
	        cmocka_unit_test(test_sticky_error_and_length),
	        cmocka_unit_test(test_header),
	        cmocka_unit_test(test_many_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
