/*
 * Unit tests for http/response: JSON bodies with keys in insertion order,
 * error bodies from the registry (base/errors.def gives code, status and
 * hints), header checks against injection (RFC 9110 section 5.5: field
 * values carry no CR, LF or NUL; names are tokens), Set-Cookie (RFC 6265
 * section 4.1.1: cookie-octet excludes space, '"', ',', ';', '\'; the
 * attributes Path, Max-Age, Secure, HttpOnly; SameSite from RFC 6265bis),
 * redirects (RFC 9110 section 15.4) and the security headers of
 * response.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "http/response.h"

static struct http_response res;

static int setup(void **state)
{
	(void)state;
	http_response_init(&res, ERR_LANG_VI);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	http_response_release(&res);
	return 0;
}

static const char *body(void)
{
	return http_response_body(&res, NULL);
}

/* The body parsed as JSON (caller decrefs). */
static json_t *body_json(void)
{
	json_error_t je;
	json_t *j = json_loadb(res.body, res.len, JSON_REJECT_DUPLICATES, &je);
	assert_non_null(j);
	return j;
}

static void test_json(void **state)
{
	(void)state;
	json_t *o = json_object();
	json_object_set_new(o, "zeta", json_integer(1));
	json_object_set_new(o, "alpha", json_string("đường"));
	json_object_set_new(o, "mid", json_real(0.5));
	assert_int_equal(http_response_json(&res, 201, o), ERR_OK);
	assert_int_equal(res.status, 201);
	assert_string_equal(res.content_type, "application/json; charset=utf-8");
	assert_string_equal(body(), "{\"zeta\":1,\"alpha\":\"đường\",\"mid\":0.5}");
	size_t len;
	http_response_body(&res, &len);
	assert_int_equal(len, strlen(body()));
	assert_int_equal(res.error, ERR_OK);
	/* Setting again replaces the body. */
	assert_int_equal(http_response_json(&res, 200, json_array()), ERR_OK);
	assert_string_equal(body(), "[]");
	/* NULL (a failed constructor) turns into a 500. */
	assert_int_equal(http_response_json(&res, 200, NULL), ERR_INTERNAL);
	assert_int_equal(res.status, 500);
	assert_int_equal(res.error, ERR_INTERNAL);
	json_t *j = body_json();
	assert_string_equal(json_string_value(json_object_get(j, "code")), "internal");
	json_decref(j);
	/* A status outside 100..599 is a programming error: 500. */
	assert_int_equal(http_response_json(&res, 99, json_object()), ERR_INTERNAL);
	assert_int_equal(res.status, 500);
}

static void test_error(void **state)
{
	(void)state;
	/* Status and hint from the registry; keys code, hint, detail in that order. */
	assert_int_equal(http_response_error(&res, ERR_NOT_FOUND, "no dossier '%s'", "HN-1"),
	                 ERR_NOT_FOUND);
	assert_int_equal(res.status, 404);
	assert_int_equal(res.error, ERR_NOT_FOUND);
	assert_string_equal(body(), "{\"code\":\"not_found\",\"hint\":\"Không tìm "
	                            "thấy.\",\"detail\":\"no dossier 'HN-1'\"}");
	/* English hint. */
	http_response_release(&res);
	res.lang = ERR_LANG_EN;
	http_response_error(&res, ERR_PAYLOAD_TOO_LARGE, NULL);
	assert_int_equal(res.status, 413);
	json_t *j = body_json();
	assert_string_equal(json_string_value(json_object_get(j, "code")), "payload_too_large");
	assert_string_equal(json_string_value(json_object_get(j, "hint")),
	                    err_hint(ERR_PAYLOAD_TOO_LARGE, ERR_LANG_EN));
	assert_true(json_is_null(json_object_get(j, "detail")));
	json_decref(j);
	/* Every registry code answers with its own status. */
	for (int c = 1; c < ERR__COUNT; c++) {
		http_response_error(&res, (enum err_code)c, "x");
		assert_int_equal(res.status, err_http_status((enum err_code)c));
		j = body_json();
		assert_string_equal(json_string_value(json_object_get(j, "code")),
		                    err_code_str((enum err_code)c));
		json_decref(j);
	}
	/* ERR_OK and codes out of range are not errors: 500 internal. */
	assert_int_equal(http_response_error(&res, ERR_OK, NULL), ERR_INTERNAL);
	assert_int_equal(res.status, 500);
	assert_int_equal(http_response_error(&res, ERR__COUNT, NULL), ERR_INTERNAL);
	/* A detail with invalid UTF-8 still gives valid JSON. */
	http_response_error(&res, ERR_INVALID_ARGUMENT, "bad '%s'", "a\xff\xc3(b\xe1\xbb\x9d");
	j = body_json();
	assert_string_equal(json_string_value(json_object_get(j, "detail")), "bad 'a?\?(bờ'");
	json_decref(j);
	/* A JSON detail (and the Vietnamese hint again). */
	res.lang = ERR_LANG_VI;
	json_t *d = json_object();
	json_object_set_new(d, "field", json_string("name"));
	http_response_error_json(&res, ERR_JSON_FIELD_MISSING, d);
	assert_string_equal(body(), "{\"code\":\"json_field_missing\",\"hint\":\"Thiếu trường bắt "
	                            "buộc.\",\"detail\":{\"field\":\"name\"}}");
	/* From a struct err. */
	struct err e;
	err_set(&e, ERR_INVALID_DATE, "invalid date '%s'", "2025-02-30");
	assert_int_equal(http_response_err(&res, &e), ERR_INVALID_DATE);
	assert_int_equal(res.status, 400);
	assert_non_null(strstr(body(), "\"detail\":\"invalid date '2025-02-30'\""));
	err_clear(&e);
	e.code = ERR_FORBIDDEN;
	http_response_err(&res, &e);
	assert_int_equal(res.status, 403);
	assert_non_null(strstr(body(), "\"detail\":null"));
	http_response_err(&res, NULL);
	assert_int_equal(res.status, 500);
}

static void test_text_bytes(void **state)
{
	(void)state;
	assert_int_equal(http_response_text(&res, 200, "text/plain; charset=utf-8", "xin chào"),
	                 ERR_OK);
	assert_string_equal(body(), "xin chào");
	assert_string_equal(res.content_type, "text/plain; charset=utf-8");
	assert_int_equal(http_response_bytes(&res, 200, "application/octet-stream", "a\0b", 3),
	                 ERR_OK);
	assert_int_equal(res.len, 3);
	assert_memory_equal(res.body, "a\0b", 3);
	assert_int_equal(http_response_bytes(&res, 204, "text/plain", "", 0), ERR_OK);
	assert_int_equal(res.len, 0);
	assert_string_equal(body(), "");
	char *owned = strdup("taken");
	assert_int_equal(http_response_take(&res, 202, "text/plain", owned, 5), ERR_OK);
	assert_ptr_equal(res.body, owned);
	/* A content type with CR/LF or a bad status: 500, the data freed (ASan checks). */
	assert_int_equal(http_response_text(&res, 200, "text/plain\r\nX-Evil: 1", "x"),
	                 ERR_INVALID_ARGUMENT);
	assert_int_equal(res.status, 500);
	assert_int_equal(http_response_take(&res, 600, "text/plain", strdup("y"), 1),
	                 ERR_INVALID_ARGUMENT);
	assert_int_equal(res.status, 500);
	assert_int_equal(http_response_text(&res, 200, NULL, "x"), ERR_INVALID_ARGUMENT);
}

static void test_headers(void **state)
{
	(void)state;
	assert_int_equal(http_response_header(&res, "X-Request-Id", "abc"), ERR_OK);
	assert_int_equal(http_response_header(&res, "Link", "</a>; rel=\"next\"\tx"),
	                 ERR_OK); /* tab allowed */
	assert_string_equal(http_response_get_header(&res, "x-request-id"), "abc");
	assert_null(http_response_get_header(&res, "X-None"));
	/* Header injection and bad names are refused. */
	assert_int_equal(http_response_header(&res, "X-A", "a\r\nSet-Cookie: evil=1"),
	                 ERR_INVALID_ARGUMENT);
	assert_int_equal(http_response_header(&res, "X-A", "a\nb"), ERR_INVALID_ARGUMENT);
	assert_int_equal(http_response_header(&res, "X-A", "a\x7f"), ERR_INVALID_ARGUMENT);
	assert_int_equal(http_response_header(&res, "X A", "v"), ERR_INVALID_ARGUMENT);
	assert_int_equal(http_response_header(&res, "X:A", "v"), ERR_INVALID_ARGUMENT);
	assert_int_equal(http_response_header(&res, "", "v"), ERR_INVALID_ARGUMENT);
	assert_int_equal(http_response_header(&res, "X-A", NULL), ERR_INVALID_ARGUMENT);
	/* Content-Type and Content-Length belong to the body functions. */
	assert_int_equal(http_response_header(&res, "content-type", "text/html"),
	                 ERR_INVALID_ARGUMENT);
	assert_int_equal(http_response_header(&res, "Content-Length", "5"), ERR_INVALID_ARGUMENT);
	/* Value length: HTTP_MAX_HEADER_VALUE passes, one more does not. */
	char *v = malloc(HTTP_MAX_HEADER_VALUE + 2);
	memset(v, 'v', HTTP_MAX_HEADER_VALUE + 1);
	v[HTTP_MAX_HEADER_VALUE] = '\0';
	assert_int_equal(http_response_header(&res, "X-Long", v), ERR_OK);
	v[HTTP_MAX_HEADER_VALUE] = 'v';
	v[HTTP_MAX_HEADER_VALUE + 1] = '\0';
	assert_int_equal(http_response_header(&res, "X-Long", v), ERR_TOO_LONG);
	free(v);
	/* set_header replaces every header of the name. */
	assert_int_equal(http_response_header(&res, "X-Dup", "1"), ERR_OK);
	assert_int_equal(http_response_header(&res, "x-dup", "2"), ERR_OK);
	assert_int_equal(http_response_set_header(&res, "X-Dup", "3"), ERR_OK);
	int dups = 0;
	for (size_t i = 0; i < res.nheaders; i++)
		if (strcasecmp(res.headers[i].name, "x-dup") == 0)
			dups++;
	assert_int_equal(dups, 1);
	assert_string_equal(http_response_get_header(&res, "X-Dup"), "3");
	/* At most HTTP_MAX_RESPONSE_HEADERS. */
	while (res.nheaders < HTTP_MAX_RESPONSE_HEADERS)
		assert_int_equal(http_response_header(&res, "X-Fill", "f"), ERR_OK);
	assert_int_equal(http_response_header(&res, "X-Fill", "f"), ERR_TOO_LONG);
	/* finish() still adds the security headers and Connection: close. */
	http_response_text(&res, 200, "text/plain", "ok");
	res.close = true;
	http_response_finish(&res);
	assert_string_equal(http_response_get_header(&res, "X-Content-Type-Options"), "nosniff");
	assert_string_equal(http_response_get_header(&res, "Cross-Origin-Opener-Policy"),
	                    "same-origin");
	assert_string_equal(http_response_get_header(&res, "Connection"), "close");
}

static void test_cookie(void **state)
{
	(void)state;
	assert_int_equal(http_response_cookie(&res, "lang", "en", NULL), ERR_OK);
	assert_string_equal(http_response_get_header(&res, "Set-Cookie"),
	                    "lang=en; Path=/; HttpOnly; SameSite=Lax");
	http_response_release(&res);
	struct http_cookie c = {"/api", 3600, true, true, HTTP_SAME_SITE_STRICT};
	assert_int_equal(http_response_cookie(&res, "sid", "Zm9v_-.~", &c), ERR_OK);
	assert_string_equal(
	        http_response_get_header(&res, "Set-Cookie"),
	        "sid=Zm9v_-.~; Path=/api; Max-Age=3600; HttpOnly; Secure; SameSite=Strict");
	/* Deleting: Max-Age=0; SameSite=None; an empty value is allowed. */
	http_response_release(&res);
	struct http_cookie del = {NULL, 0, false, true, HTTP_SAME_SITE_NONE};
	assert_int_equal(http_response_cookie(&res, "sid", "", &del), ERR_OK);
	assert_string_equal(http_response_get_header(&res, "Set-Cookie"),
	                    "sid=; Path=/; Max-Age=0; Secure; SameSite=None");
	/* Two cookies give two headers. */
	assert_int_equal(http_response_cookie(&res, "a", "1", NULL), ERR_OK);
	assert_int_equal(res.nheaders, 2);
	/* Refused: values outside cookie-octet, bad names, bad paths, bad SameSite. */
	static const char *bad_values[] = {"a b", "a;b", "a,b", "a\"b", "a\\b", "a\r\nb", "đ"};
	for (size_t i = 0; i < sizeof bad_values / sizeof bad_values[0]; i++)
		assert_int_equal(http_response_cookie(&res, "x", bad_values[i], NULL),
		                 ERR_INVALID_ARGUMENT);
	assert_int_equal(http_response_cookie(&res, "a=b", "1", NULL), ERR_INVALID_ARGUMENT);
	assert_int_equal(http_response_cookie(&res, "", "1", NULL), ERR_INVALID_ARGUMENT);
	assert_int_equal(http_response_cookie(&res, "x", NULL, NULL), ERR_INVALID_ARGUMENT);
	struct http_cookie badpath = {"/a;Domain=evil", -1, true, false, HTTP_SAME_SITE_LAX};
	assert_int_equal(http_response_cookie(&res, "x", "1", &badpath), ERR_INVALID_ARGUMENT);
	struct http_cookie relpath = {"api", -1, true, false, HTTP_SAME_SITE_LAX};
	assert_int_equal(http_response_cookie(&res, "x", "1", &relpath), ERR_INVALID_ARGUMENT);
	struct http_cookie badsite = {NULL, -1, true, false, (enum http_same_site)7};
	assert_int_equal(http_response_cookie(&res, "x", "1", &badsite), ERR_INVALID_ARGUMENT);
	assert_int_equal(res.nheaders, 2);
}

static void test_redirect(void **state)
{
	(void)state;
	assert_int_equal(http_response_redirect(&res, 303, "/dossiers/42"), ERR_OK);
	assert_int_equal(res.status, 303);
	assert_string_equal(http_response_get_header(&res, "Location"), "/dossiers/42");
	assert_int_equal(res.len, 0);
	assert_int_equal(http_response_redirect(&res, 308, "https://example.org/x?a=1"), ERR_OK);
	assert_string_equal(http_response_get_header(&res, "Location"),
	                    "https://example.org/x?a=1");
	assert_int_equal(http_response_redirect(&res, 200, "/x"), ERR_INVALID_ARGUMENT);
	assert_int_equal(http_response_redirect(&res, 304, "/x"), ERR_INVALID_ARGUMENT);
	assert_int_equal(http_response_redirect(&res, 302, "/x\r\nSet-Cookie: a=b"),
	                 ERR_INVALID_ARGUMENT);
	assert_int_equal(http_response_redirect(&res, 302, ""), ERR_INVALID_ARGUMENT);
	assert_int_equal(res.status, 308);
}

static void test_finish(void **state)
{
	(void)state;
	/* A response never set becomes a 500 error. */
	http_response_finish(&res);
	assert_int_equal(res.status, 500);
	assert_int_equal(res.error, ERR_INTERNAL);
	assert_string_equal(http_response_get_header(&res, "X-Content-Type-Options"), "nosniff");
	assert_string_equal(http_response_get_header(&res, "X-Frame-Options"), "DENY");
	assert_string_equal(http_response_get_header(&res, "Referrer-Policy"), "same-origin");
	assert_string_equal(http_response_get_header(&res, "Content-Security-Policy"),
	                    "default-src 'none'; frame-ancestors 'none'");
	assert_string_equal(http_response_get_header(&res, "Cache-Control"), "no-store");
	assert_null(http_response_get_header(&res, "Connection"));
	/* A handler's own value is kept, not doubled. */
	http_response_release(&res);
	http_response_text(&res, 200, "text/html; charset=utf-8", "<p>x</p>");
	http_response_header(&res, "Content-Security-Policy", "default-src 'self'");
	http_response_header(&res, "Cache-Control", "max-age=3600");
	http_response_finish(&res);
	assert_string_equal(http_response_get_header(&res, "Content-Security-Policy"),
	                    "default-src 'self'");
	assert_string_equal(http_response_get_header(&res, "Cache-Control"), "max-age=3600");
	int csp = 0;
	for (size_t i = 0; i < res.nheaders; i++)
		csp += strcasecmp(res.headers[i].name, "Content-Security-Policy") == 0;
	assert_int_equal(csp, 1);
	assert_int_equal(res.status, 200);
	/* Finishing twice adds nothing. */
	size_t n = res.nheaders;
	http_response_finish(&res);
	assert_int_equal(res.nheaders, n);
}

static void test_json_text(void **state)
{
	(void)state;
	json_t *s = http_json_text("hồ sơ");
	assert_string_equal(json_string_value(s), "hồ sơ");
	json_decref(s);
	s = http_json_text(
	        "\xc0\xaf/\xed\xa0\x80!\xf0\x9f\x98\x80"); /* overlong, surrogate, emoji */
	assert_string_equal(json_string_value(s), "?\?/?\?\?!\xf0\x9f\x98\x80");
	json_decref(s);
	s = http_json_text("\xe1\xbb"); /* truncated at the end */
	assert_string_equal(json_string_value(s), "?\?");
	json_decref(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_json, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_error, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_text_bytes, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_headers, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_cookie, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_redirect, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_finish, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_json_text, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
