/*
 * Unit tests for base/str: the small string helpers. Expected values come
 * from the contract in str.h, from the range of int64_t (C17 7.20.2.1:
 * -9223372036854775808 .. 9223372036854775807) and from the UTF-8 definition
 * (RFC 3629 section 3 and its table of well-formed byte sequences: no
 * overlong forms, no surrogates D800..DFFF, nothing above U+10FFFF).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/str.h"

static void test_eq_prefix_empty(void **state)
{
	(void)state;
	assert_true(str_eq("abc", "abc"));
	assert_false(str_eq("abc", "abd"));
	assert_false(str_eq("abc", "ab"));
	assert_true(str_eq("", ""));
	assert_false(str_eq(NULL, "a"));
	assert_false(str_eq("a", NULL));
	assert_false(str_eq(NULL, NULL));
	assert_true(str_has_prefix("motcua", "mot"));
	assert_true(str_has_prefix("motcua", ""));
	assert_true(str_has_prefix("mot", "mot"));
	assert_false(str_has_prefix("mo", "mot"));
	assert_false(str_has_prefix(NULL, ""));
	assert_false(str_has_prefix("a", NULL));
	assert_true(str_empty(NULL));
	assert_true(str_empty(""));
	assert_false(str_empty(" "));
}

static void test_copy(void **state)
{
	(void)state;
	char d[4];
	assert_int_equal(str_copy(d, sizeof d, "abc"), 0); /* exactly fits with the NUL */
	assert_string_equal(d, "abc");
	assert_int_equal(str_copy(d, sizeof d, "abcd"), -1);
	assert_string_equal(d, "abc"); /* truncated, terminated */
	assert_int_equal(str_copy(d, sizeof d, ""), 0);
	assert_string_equal(d, "");
	assert_int_equal(str_copy(d, 1, "x"), -1);
	assert_string_equal(d, "");
	d[0] = 'q';
	assert_int_equal(str_copy(d, 0, "x"), -1);
	assert_int_equal(d[0], 'q'); /* nothing written */
}

static void test_parse_int64(void **state)
{
	(void)state;
	int64_t v = 7;
	assert_int_equal(str_parse_int64("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(str_parse_int64("-42", -100, 100, &v), 0);
	assert_int_equal(v, -42);
	assert_int_equal(str_parse_int64("+5", 0, 10, &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(str_parse_int64("007", 0, 10, &v), 0);
	assert_int_equal(v, 7);
	/* Bounds are inclusive. */
	assert_int_equal(str_parse_int64("100", 0, 100, &v), 0);
	assert_int_equal(str_parse_int64("101", 0, 100, &v), -1);
	assert_int_equal(str_parse_int64("-1", 0, 100, &v), -1);
	/* The limits of int64_t, and one past them. */
	assert_int_equal(str_parse_int64("9223372036854775807", INT64_MIN, INT64_MAX, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(str_parse_int64("-9223372036854775808", INT64_MIN, INT64_MAX, &v), 0);
	assert_true(v == INT64_MIN);
	v = 7;
	assert_int_equal(str_parse_int64("9223372036854775808", INT64_MIN, INT64_MAX, &v), -1);
	assert_int_equal(str_parse_int64("-9223372036854775809", INT64_MIN, INT64_MAX, &v), -1);
	assert_int_equal(str_parse_int64("99999999999999999999999", INT64_MIN, INT64_MAX, &v), -1);
	/* Not a whole decimal integer. */
	static const char *bad[] = {"",     "-",   "+",   " 1",  "1 ",  "1a",
	                            "0x10", "1e3", "1.0", "--1", "+-1", "١"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(str_parse_int64(bad[i], INT64_MIN, INT64_MAX, &v), -1);
	assert_int_equal(str_parse_int64(NULL, 0, 1, &v), -1);
	assert_int_equal(v, 7); /* untouched by failures */
}

static void test_parse_bool(void **state)
{
	(void)state;
	static const char *yes[] = {"true", "TRUE", "True", "yes", "YES", "on", "On", "1"};
	static const char *no[] = {"false", "FALSE", "no", "No", "off", "OFF", "0"};
	static const char *bad[] = {"", "2", "y", "n", "t", "truee", " true", "true ", "oui", "10"};
	bool b;
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
		b = false;
		assert_int_equal(str_parse_bool(yes[i], &b), 0);
		assert_true(b);
	}
	for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
		b = true;
		assert_int_equal(str_parse_bool(no[i], &b), 0);
		assert_false(b);
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		b = true;
		assert_int_equal(str_parse_bool(bad[i], &b), -1);
		assert_true(b);
	}
	assert_int_equal(str_parse_bool(NULL, &b), -1);
}

static void test_all_digits(void **state)
{
	(void)state;
	assert_true(str_all_digits("0"));
	assert_true(str_all_digits("001092000123"));
	assert_false(str_all_digits(""));
	assert_false(str_all_digits(NULL));
	assert_false(str_all_digits("12a"));
	assert_false(str_all_digits("-1"));
	assert_false(str_all_digits(" 1"));
	assert_false(str_all_digits("１")); /* fullwidth digit one */
}

static void test_valid_utf8(void **state)
{
	(void)state;
	/* Well-formed: ASCII, Vietnamese (2 and 3 bytes), 4 bytes, the edges of each range. */
	static const char *good[] = {
	        "",
	        "abc",
	        "Đăng ký khai sinh",
	        "\xf0\x9f\x98\x80",
	        "\xc2\x80",
	        "\xdf\xbf",
	        "\xe0\xa0\x80",
	        "\xed\x9f\xbf",
	        "\xee\x80\x80",
	        "\xef\xbf\xbf",
	        "\xf0\x90\x80\x80",
	        "\xf4\x8f\xbf\xbf",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		assert_true(str_valid_utf8(good[i], 100));
	/* Ill-formed sequences from RFC 3629's table. */
	static const char *bad[] = {
	        "\x80",
	        "\xbf",
	        "a\xc3",
	        "\xc3(",
	        "\xc0\x80",
	        "\xc1\xbf",
	        "\xe0\x80\x80",
	        "\xe0\x9f\xbf",
	        "\xed\xa0\x80",
	        "\xed\xbf\xbf",
	        "\xf0\x80\x80\x80",
	        "\xf0\x8f\xbf\xbf",
	        "\xf4\x90\x80\x80",
	        "\xf5\x80\x80\x80",
	        "\xf8\x88\x80\x80\x80",
	        "\xfe",
	        "\xff",
	        "\xe1\xba",
	        "\xe1\xba(",
	        "\xf0\x9f\x98",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_false(str_valid_utf8(bad[i], 100));
	/* The maximum counts bytes and is inclusive. */
	assert_true(str_valid_utf8("abcd", 4));
	assert_false(str_valid_utf8("abcde", 4));
	assert_true(str_valid_utf8("", 0));
	assert_false(str_valid_utf8("a", 0));
	assert_true(str_valid_utf8("Đ", 2));  /* 2 bytes */
	assert_false(str_valid_utf8("Đ", 1)); /* a character straddling the maximum */
	assert_false(str_valid_utf8("aĐ", 2));
	assert_true(str_valid_utf8("ệ", 3));
	assert_false(str_valid_utf8("ệ", 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_eq_prefix_empty), cmocka_unit_test(test_copy),
	        cmocka_unit_test(test_parse_int64),     cmocka_unit_test(test_parse_bool),
	        cmocka_unit_test(test_all_digits),      cmocka_unit_test(test_valid_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
