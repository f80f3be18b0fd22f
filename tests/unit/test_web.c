/*
 * Unit tests for the pure parts of web/web.c: the parser of posted forms
 * (application/x-www-form-urlencoded as the WHATWG URL Standard defines it:
 * '&'-separated name=value pairs, '+' for a space, percent-encoding; pairs
 * without a name dropped) and the limits web.h documents (WEB_FORM_FIELDS,
 * valid UTF-8, no control characters but CR, LF and tab).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "http/request.h"
#include "web/web.h"

static enum err_code parse(struct http_request *req, const char *body, struct http_params *out)
{
	struct err e;
	err_clear(&e);
	enum err_code rc = web_form_parse(req, body, strlen(body), out, &e);
	if (rc != ERR_OK)
		assert_true(e.detail[0] != '\0');
	return rc;
}

static void test_pairs(void **state)
{
	(void)state;
	struct http_request req;
	http_request_init(&req, 0);
	struct http_params f;
	assert_int_equal(parse(&req,
	                       "name=Nguy%E1%BB%85n+V%C4%83n+A&components=1&components=3"
	                       "&empty=&flag&=nameless&&note=a%26b%3Dc",
	                       &f),
	                 ERR_OK);
	assert_int_equal(f.n, 6);
	assert_string_equal(f.items[0].name, "name");
	assert_string_equal(f.items[0].value, "Nguyễn Văn A");
	assert_string_equal(f.items[1].value, "1");
	assert_string_equal(f.items[2].name, "components");
	assert_string_equal(f.items[2].value, "3");
	assert_string_equal(f.items[3].name, "empty");
	assert_string_equal(f.items[3].value, "");
	/* "flag" without '=' is a name with an empty value; "=nameless" and "" are dropped */
	assert_string_equal(f.items[4].name, "flag");
	assert_string_equal(f.items[4].value, "");
	assert_string_equal(f.items[5].name, "note");
	assert_string_equal(f.items[5].value, "a&b=c");
	assert_int_equal(parse(&req, "", &f), ERR_OK);
	assert_int_equal(f.n, 0);
	assert_int_equal(parse(&req, "note=line1%0D%0Aline2%09tab", &f), ERR_OK);
	assert_string_equal(f.items[0].value, "line1\r\nline2\ttab");
	http_request_release(&req);
}

static void test_refusals(void **state)
{
	(void)state;
	struct http_request req;
	http_request_init(&req, 0);
	struct http_params f;
	assert_int_equal(parse(&req, "a=%ZZ", &f), ERR_INVALID_ARGUMENT);
	assert_int_equal(parse(&req, "a=%4", &f), ERR_INVALID_ARGUMENT);
	assert_int_equal(parse(&req, "a=x%00y", &f), ERR_INVALID_ARGUMENT);
	assert_int_equal(parse(&req, "a=%C3%28", &f), ERR_INVALID_ARGUMENT);  /* bad UTF-8 */
	assert_int_equal(parse(&req, "a%FF=1", &f), ERR_INVALID_ARGUMENT);    /* in a name */
	assert_int_equal(parse(&req, "a=bell%07", &f), ERR_INVALID_ARGUMENT); /* control */
	assert_int_equal(parse(&req, "a=del%7F", &f), ERR_INVALID_ARGUMENT);
	/* WEB_FORM_FIELDS fields pass, one more does not */
	struct buf b = BUF_INIT(1u << 20);
	for (int i = 0; i < WEB_FORM_FIELDS; i++)
		buf_printf(&b, "%sf%d=%d", i ? "&" : "", i, i);
	assert_int_equal(parse(&req, buf_str(&b), &f), ERR_OK);
	assert_int_equal(f.n, WEB_FORM_FIELDS);
	buf_puts(&b, "&one=more");
	assert_int_equal(parse(&req, buf_str(&b), &f), ERR_TOO_LONG);
	buf_release(&b);
	http_request_release(&req);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_pairs),
	        cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
