/*
 * Unit tests for base/error: the error registry (errors.def) and err_set.
 * The properties checked are the registry's own rules (errors.def header:
 * clients match on the string code, so codes are unique and stable; every
 * code has a hint in Vietnamese and in English) and HTTP semantics
 * (RFC 9110 section 15: client errors are 4xx, server errors 5xx).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/error.h"
#include "base/str.h"

static void test_codes_unique(void **state)
{
	(void)state;
	assert_true(ERR__COUNT > 1);
	assert_int_equal(ERR_OK, 0);
	for (int i = 0; i < ERR__COUNT; i++) {
		const char *c = err_code_str((enum err_code)i);
		assert_non_null(c);
		assert_true(c[0] != '\0');
		/* Stable machine codes: lower-case ASCII letters, digits and '_'. */
		for (const char *p = c; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			            *p == '_');
		for (int j = i + 1; j < ERR__COUNT; j++)
			assert_string_not_equal(c, err_code_str((enum err_code)j));
	}
	assert_string_equal(err_code_str(ERR_OK), "ok");
	assert_string_equal(err_code_str(ERR_INVALID_DATE), "invalid_date");
	assert_string_equal(err_code_str(ERR_JSON_FIELD_UNKNOWN), "json_field_unknown");
}

static void test_statuses(void **state)
{
	(void)state;
	assert_int_equal(err_http_status(ERR_OK), 200);
	for (int i = 1; i < ERR__COUNT; i++) {
		int s = err_http_status((enum err_code)i);
		assert_in_range(s, 400, 599);
	}
	assert_int_equal(err_http_status(ERR_INTERNAL), 500);
	assert_int_equal(err_http_status(ERR_INVALID_JSON), 400);
	assert_int_equal(err_http_status(ERR_NOT_FOUND), 404);
	assert_int_equal(err_http_status(ERR_METHOD_NOT_ALLOWED), 405);
	assert_int_equal(err_http_status(ERR_PAYLOAD_TOO_LARGE), 413);
	assert_int_equal(err_http_status(ERR_UNSUPPORTED_MEDIA_TYPE), 415);
}

static void test_hints(void **state)
{
	(void)state;
	for (int i = 0; i < ERR__COUNT; i++) {
		const char *vi = err_hint((enum err_code)i, ERR_LANG_VI);
		const char *en = err_hint((enum err_code)i, ERR_LANG_EN);
		assert_non_null(vi);
		assert_non_null(en);
		assert_true(vi[0] != '\0' && en[0] != '\0');
		assert_true(str_valid_utf8(vi, 1000));
		assert_true(str_valid_utf8(en, 1000));
		/* A Vietnamese hint identical to the English one was not translated. */
		assert_string_not_equal(vi, en);
	}
	assert_string_equal(err_hint(ERR_OK, ERR_LANG_VI), "Thành công.");
	assert_string_equal(err_hint(ERR_OK, ERR_LANG_EN), "Success.");
	/* Any language other than English gives the Vietnamese default. */
	assert_string_equal(err_hint(ERR_OK, (enum err_lang)7), "Thành công.");
}

static void test_from_str(void **state)
{
	(void)state;
	for (int i = 0; i < ERR__COUNT; i++)
		assert_int_equal(err_from_str(err_code_str((enum err_code)i)), i);
	assert_int_equal(err_from_str("no_such_code"), ERR__COUNT);
	assert_int_equal(err_from_str(""), ERR__COUNT);
	assert_int_equal(err_from_str("OK"), ERR__COUNT); /* codes are case-sensitive */
	assert_int_equal(err_from_str("invalid_date "), ERR__COUNT);
	assert_int_equal(err_from_str(NULL), ERR__COUNT);
}

static void test_out_of_range(void **state)
{
	(void)state;
	/* An unknown code is reported as internal rather than read out of bounds. */
	assert_string_equal(err_code_str(ERR__COUNT), "internal");
	assert_string_equal(err_code_str((enum err_code) - 1), "internal");
	assert_int_equal(err_http_status(ERR__COUNT), 500);
	assert_string_equal(err_hint(ERR__COUNT, ERR_LANG_EN), err_hint(ERR_INTERNAL, ERR_LANG_EN));
}

static void test_set_clear(void **state)
{
	(void)state;
	struct err e;
	err_clear(&e);
	assert_int_equal(e.code, ERR_OK);
	assert_string_equal(e.detail, "");
	assert_int_equal(err_set(&e, ERR_INVALID_DATE, "invalid date '%s'", "2025-02-30"),
	                 ERR_INVALID_DATE);
	assert_int_equal(e.code, ERR_INVALID_DATE);
	assert_string_equal(e.detail, "invalid date '2025-02-30'");
	/* A NULL carrier is allowed: the code is still returned. */
	assert_int_equal(err_set(NULL, ERR_TOO_LONG, "x"), ERR_TOO_LONG);
	err_clear(NULL);
	/* A long detail is cut to the carrier's size and stays terminated. */
	char longer[ERR_DETAIL_MAX * 2];
	memset(longer, 'x', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	err_set(&e, ERR_TOO_LONG, "%s", longer);
	assert_int_equal(strlen(e.detail), ERR_DETAIL_MAX - 1);
	err_clear(&e);
	assert_int_equal(e.code, ERR_OK);
	assert_string_equal(e.detail, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_codes_unique), cmocka_unit_test(test_statuses),
	        cmocka_unit_test(test_hints),        cmocka_unit_test(test_from_str),
	        cmocka_unit_test(test_out_of_range), cmocka_unit_test(test_set_clear),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
