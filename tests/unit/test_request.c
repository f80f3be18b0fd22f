/*
 * Unit tests for http/request: the request target (RFC 9112 section 3.2 and
 * RFC 3986: origin and absolute form, percent-encoding, dot segments), query
 * strings (application/x-www-form-urlencoded of the WHATWG URL standard: '+'
 * is a space, pairs split at '&'), methods (RFC 9110 section 9.1: a token),
 * cookies (RFC 6265 section 4.2.1: "name=value; name2=value2"),
 * Accept-Language (RFC 9110 section 12.5.4: quality values, q=0 excludes),
 * the limits of request.h at their exact boundaries, and the arena.
 * UTF-8 examples: "đường" is U+0111 U+01B0 U+1EDD U+006E U+0067 (Unicode
 * charts), encoded C4 91 C6 B0 E1 BB 9D 6E 67; C0 AF is an overlong '/'
 * (RFC 3629 section 3 forbids it); C3 28 is a truncated sequence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "http/request.h"

static struct http_request req;

static int setup(void **state)
{
	(void)state;
	http_request_init(&req, 1024);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	http_request_release(&req);
	return 0;
}

/* Parses target into a fresh request; returns the code. */
static enum err_code target(const char *t)
{
	http_request_release(&req);
	struct err e;
	err_clear(&e);
	enum err_code rc = http_request_set_target(&req, t, &e);
	if (rc != ERR_OK)
		assert_true(e.detail[0] != '\0'); /* every refusal says why */
	return rc;
}

static void test_percent_decode(void **state)
{
	(void)state;
	char out[32];
	assert_int_equal(http_percent_decode("%41%62c", 7, false, out), 3);
	assert_string_equal(out, "Abc");
	assert_int_equal(http_percent_decode("%c4%91", 6, false, out), 2); /* lower-case hex */
	assert_string_equal(out, "\xc4\x91");
	assert_int_equal(http_percent_decode("a+b%2B", 6, true, out), 4);
	assert_string_equal(out, "a b+");
	assert_int_equal(http_percent_decode("a+b", 3, false, out), 3);
	assert_string_equal(out, "a+b");
	assert_int_equal(http_percent_decode("", 0, false, out), 0);
	assert_string_equal(out, "");
	assert_int_equal(http_percent_decode("%00", 3, false, out), 1);
	assert_int_equal(out[0], '\0');
	/* A '%' not followed by two hex digits. */
	assert_int_equal(http_percent_decode("%zz", 3, false, out), -1);
	assert_int_equal(http_percent_decode("%4", 2, false, out), -1);
	assert_int_equal(http_percent_decode("%", 1, false, out), -1);
	assert_int_equal(http_percent_decode("a%g1", 4, false, out), -1);
	/* Only n bytes are read: "%41" cut after "%4" is malformed. */
	assert_int_equal(http_percent_decode("%41", 2, false, out), -1);
}

static void test_target_basic(void **state)
{
	(void)state;
	assert_int_equal(
	        target("/api/v1/dossiers/HN-250425-0001/accept?x=1&street=%C4%91%C6%B0%E1%BB%9Dng"),
	        ERR_OK);
	assert_int_equal(req.path.n, 5);
	assert_string_equal(req.path.seg[0], "api");
	assert_string_equal(req.path.seg[3], "HN-250425-0001");
	assert_string_equal(req.path.seg[4], "accept");
	assert_false(req.path.trailing_slash);
	assert_string_equal(req.raw_path, "/api/v1/dossiers/HN-250425-0001/accept");
	assert_string_equal(req.raw_query, "x=1&street=%C4%91%C6%B0%E1%BB%9Dng");
	assert_int_equal(req.query.n, 2);
	assert_string_equal(http_request_query(&req, "x"), "1");
	assert_string_equal(http_request_query(&req, "street"), "đường");
	assert_null(http_request_query(&req, "X")); /* query names are case-sensitive */

	assert_int_equal(target("/"), ERR_OK);
	assert_int_equal(req.path.n, 0);
	assert_null(req.raw_query);
	assert_int_equal(req.query.n, 0);

	assert_int_equal(target("/a/b/"), ERR_OK);
	assert_int_equal(req.path.n, 2);
	assert_true(req.path.trailing_slash);

	/* Encoded bytes in a segment are decoded; '+' stays '+' in a path. */
	assert_int_equal(target("/files/a%20b+c%C3%A9"), ERR_OK);
	assert_string_equal(req.path.seg[1], "a b+cé");

	/* Absolute form: the authority is ignored. */
	assert_int_equal(target("http://example.org:8080/healthz?a=b"), ERR_OK);
	assert_int_equal(req.path.n, 1);
	assert_string_equal(req.path.seg[0], "healthz");
	assert_string_equal(http_request_query(&req, "a"), "b");
	assert_int_equal(target("HTTPS://example.org/x"), ERR_OK);
	assert_string_equal(req.path.seg[0], "x");
	assert_int_equal(target("http://example.org"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("http://example.org?a=b"), ERR_INVALID_ARGUMENT);
}

static void test_target_refused(void **state)
{
	(void)state;
	/* Not origin form. */
	assert_int_equal(target(""), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("*"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("nopath"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("?a=b"), ERR_INVALID_ARGUMENT);
	/* Empty segments. */
	assert_int_equal(target("//"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("/a//b"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("//a"), ERR_INVALID_ARGUMENT);
	/* Dot segments, raw or encoded, anywhere (traversal). */
	assert_int_equal(target("/.."), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("/static/../etc/passwd"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("/static/%2e%2E/x"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("/a/./b"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("/a/%2e"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("/a/..."), ERR_OK); /* three dots is an ordinary name */
	/* An encoded '/' would change the segments. */
	assert_int_equal(target("/a%2Fb"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("/a%2fb"), ERR_INVALID_ARGUMENT);
	/* NUL and control characters, encoded or raw. */
	assert_int_equal(target("/a%00b"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("/a%0Ab"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("/a%7F"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("/a b"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("/a\tb"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("/a?q=1 2"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("/a?q=%00"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("/a?%00=1"), ERR_INVALID_ARGUMENT);
	/* Invalid UTF-8 in a segment or the query. */
	assert_int_equal(target("/%C3%28"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("/%C0%AF"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("/%ED%A0%80"), ERR_INVALID_ARGUMENT); /* a surrogate, U+D800 */
	assert_int_equal(target("/\xc3\x28"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("/a?q=%FF"), ERR_INVALID_ARGUMENT);
	/* Bad percent-encoding. */
	assert_int_equal(target("/a%zz"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("/a%"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("/a?q=%4"), ERR_INVALID_ARGUMENT);
	assert_int_equal(target("/a?%G0=1"), ERR_INVALID_ARGUMENT);
	/* A fragment is never sent to a server. */
	assert_int_equal(target("/a#frag"), ERR_INVALID_ARGUMENT);
	/* Raw UTF-8 (as some clients send) is accepted when valid. */
	assert_int_equal(target("/tìm?q=đường"), ERR_OK);
	assert_string_equal(req.path.seg[0], "tìm");
	assert_string_equal(http_request_query(&req, "q"), "đường");
}

static void test_target_limits(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(SIZE_MAX);
	/* HTTP_MAX_SEGMENTS segments pass, one more does not. */
	for (int i = 0; i < HTTP_MAX_SEGMENTS; i++)
		buf_puts(&b, "/s");
	assert_int_equal(target(buf_str(&b)), ERR_OK);
	assert_int_equal(req.path.n, HTTP_MAX_SEGMENTS);
	buf_puts(&b, "/");
	assert_int_equal(target(buf_str(&b)), ERR_OK); /* a trailing slash is no segment */
	buf_puts(&b, "s");
	assert_int_equal(target(buf_str(&b)), ERR_TOO_LONG);
	/* A decoded segment of HTTP_MAX_SEGMENT_LEN bytes passes, one more does not. */
	buf_reset(&b);
	buf_putc(&b, '/');
	for (int i = 0; i < HTTP_MAX_SEGMENT_LEN; i++)
		buf_putc(&b, 'a');
	assert_int_equal(target(buf_str(&b)), ERR_OK);
	buf_putc(&b, 'a');
	assert_int_equal(target(buf_str(&b)), ERR_TOO_LONG);
	/* The length counts decoded bytes: %41 is one byte. */
	buf_reset(&b);
	buf_putc(&b, '/');
	for (int i = 0; i < HTTP_MAX_SEGMENT_LEN; i++)
		buf_puts(&b, "%41");
	assert_int_equal(target(buf_str(&b)), ERR_OK);
	/* The whole target: HTTP_MAX_TARGET bytes pass, one more does not
	 * (values of 2000 bytes, below HTTP_MAX_QUERY_LEN). */
	buf_reset(&b);
	buf_puts(&b, "/x");
	for (int i = 0; b.len < HTTP_MAX_TARGET; i++) {
		buf_printf(&b, "%cp%d=", i ? '&' : '?', i);
		for (int k = 0; k < 2000 && b.len < HTTP_MAX_TARGET; k++)
			buf_putc(&b, 'v');
	}
	assert_int_equal(b.len, HTTP_MAX_TARGET);
	assert_int_equal(target(buf_str(&b)), ERR_OK);
	buf_putc(&b, 'v');
	assert_int_equal(target(buf_str(&b)), ERR_TOO_LONG);
	/* Query parameters: HTTP_MAX_QUERY_PARAMS pass, one more does not. */
	buf_reset(&b);
	buf_puts(&b, "/x?");
	for (int i = 0; i < HTTP_MAX_QUERY_PARAMS; i++)
		buf_printf(&b, "%sk%d=%d", i ? "&" : "", i, i);
	assert_int_equal(target(buf_str(&b)), ERR_OK);
	assert_int_equal(req.query.n, HTTP_MAX_QUERY_PARAMS);
	assert_string_equal(http_request_query(&req, "k31"), "31");
	buf_puts(&b, "&one=more");
	assert_int_equal(target(buf_str(&b)), ERR_TOO_LONG);
	/* A decoded query value of HTTP_MAX_QUERY_LEN bytes passes, one more does not. */
	buf_reset(&b);
	buf_puts(&b, "/x?q=");
	for (int i = 0; i < HTTP_MAX_QUERY_LEN; i++)
		buf_putc(&b, 'z');
	assert_int_equal(target(buf_str(&b)), ERR_OK);
	assert_int_equal(strlen(http_request_query(&req, "q")), HTTP_MAX_QUERY_LEN);
	buf_putc(&b, 'z');
	assert_int_equal(target(buf_str(&b)), ERR_TOO_LONG);
	buf_release(&b);
}

static void test_query(void **state)
{
	(void)state;
	/* Repeated names keep their order; empty pairs and empty names carry nothing. */
	assert_int_equal(target("/x?a=1&a=2&b&=x&&c=&d=%2B+%26"), ERR_OK);
	assert_int_equal(req.query.n, 5);
	assert_string_equal(req.query.items[0].name, "a");
	assert_string_equal(req.query.items[0].value, "1");
	assert_string_equal(req.query.items[1].value, "2");
	assert_string_equal(http_request_query(&req, "a"), "1");
	assert_string_equal(http_request_query(&req, "b"), "");
	assert_string_equal(http_request_query(&req, "c"), "");
	assert_string_equal(http_request_query(&req, "d"), "+ &");
	assert_int_equal(target("/x?"), ERR_OK);
	assert_int_equal(req.query.n, 0);
	assert_string_equal(req.raw_query, "");
	assert_int_equal(target("/x?a=b=c"), ERR_OK); /* only the first '=' splits */
	assert_string_equal(http_request_query(&req, "a"), "b=c");
	assert_int_equal(target("/x?q=h%E1%BB%93+s%C6%A1"), ERR_OK);
	assert_string_equal(http_request_query(&req, "q"), "hồ sơ");
}

static void test_query_int(void **state)
{
	(void)state;
	struct err e;
	int64_t v = -1;
	assert_int_equal(target("/x?limit=20&offset=&page=abc&big=1000&neg=-5"), ERR_OK);
	assert_int_equal(http_request_query_int(&req, "limit", 1, 100, 50, &v, &e), ERR_OK);
	assert_int_equal(v, 20);
	assert_int_equal(http_request_query_int(&req, "absent", 1, 100, 50, &v, &e), ERR_OK);
	assert_int_equal(v, 50);
	assert_int_equal(http_request_query_int(&req, "offset", 0, 100, 0, &v, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(e.detail, "'offset'"));
	assert_int_equal(http_request_query_int(&req, "page", 0, 100, 0, &v, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_int_equal(http_request_query_int(&req, "big", 0, 999, 0, &v, &e), ERR_OUT_OF_RANGE);
	assert_non_null(strstr(e.detail, "'big'"));
	assert_int_equal(http_request_query_int(&req, "big", 0, 1000, 0, &v, &e), ERR_OK);
	assert_int_equal(v, 1000);
	assert_int_equal(http_request_query_int(&req, "neg", 0, 10, 0, &v, &e), ERR_OUT_OF_RANGE);
	assert_int_equal(http_request_query_int(&req, "neg", -5, 10, 0, &v, &e), ERR_OK);
	assert_int_equal(v, -5);
}

static void test_method(void **state)
{
	(void)state;
	struct err e;
	assert_int_equal(http_request_set_method(&req, "GET", &e), ERR_OK);
	assert_true(http_request_method_is(&req, "GET"));
	assert_false(http_request_method_is(&req, "get"));
	assert_int_equal(http_request_set_method(&req, "PROPFIND", &e), ERR_OK);
	assert_int_equal(http_request_set_method(&req, "G@T", &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(http_request_set_method(&req, "GE T", &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(http_request_set_method(&req, "", &e), ERR_INVALID_ARGUMENT);
	char m[HTTP_MAX_METHOD + 2];
	memset(m, 'A', sizeof m);
	m[HTTP_MAX_METHOD] = '\0';
	assert_int_equal(http_request_set_method(&req, m, &e), ERR_OK);
	m[HTTP_MAX_METHOD] = 'A';
	m[HTTP_MAX_METHOD + 1] = '\0';
	assert_int_equal(http_request_set_method(&req, m, &e), ERR_INVALID_ARGUMENT);
}

static void test_headers_cookies(void **state)
{
	(void)state;
	struct err e;
	assert_int_equal(http_request_add_header(&req, "Content-Type",
	                                         "application/json; charset=utf-8", &e),
	                 ERR_OK);
	assert_int_equal(http_request_add_header(
	                         &req, "Cookie",
	                         "sid=abc123; lang=en; theme=\"dark\"; junk; =nameless; x = 1 ",
	                         &e),
	                 ERR_OK);
	assert_int_equal(http_request_add_header(&req, "cookie", "second=2", &e), ERR_OK);
	assert_int_equal(http_request_add_header(&req, "Accept-Language", "vi", &e), ERR_OK);
	assert_int_equal(http_request_finish_headers(&req, &e), ERR_OK);
	assert_string_equal(http_request_header(&req, "content-type"),
	                    "application/json; charset=utf-8");
	assert_string_equal(http_request_header(&req, "CONTENT-TYPE"),
	                    "application/json; charset=utf-8");
	assert_null(http_request_header(&req, "X-Missing"));
	assert_true(http_request_content_type_is(&req, "application/json"));
	assert_true(http_request_content_type_is(&req, "Application/JSON"));
	assert_false(http_request_content_type_is(&req, "application/js"));
	assert_false(http_request_content_type_is(&req, "text/plain"));
	assert_string_equal(http_request_cookie(&req, "sid"), "abc123");
	assert_string_equal(http_request_cookie(&req, "theme"), "dark");
	assert_string_equal(http_request_cookie(&req, "x"), "1");
	assert_string_equal(http_request_cookie(&req, "second"), "2");
	assert_null(http_request_cookie(&req, "junk"));
	assert_null(http_request_cookie(&req, ""));
	assert_int_equal(req.cookies.n, 5);
	/* The lang cookie wins over Accept-Language. */
	assert_int_equal(req.lang, ERR_LANG_EN);

	/* HTTP_MAX_HEADERS headers pass, one more does not. */
	http_request_release(&req);
	for (int i = 0; i < HTTP_MAX_HEADERS; i++) {
		char name[16];
		snprintf(name, sizeof name, "X-H%d", i);
		assert_int_equal(http_request_add_header(&req, name, "v", &e), ERR_OK);
	}
	assert_int_equal(http_request_add_header(&req, "X-One-More", "v", &e), ERR_TOO_LONG);
	assert_false(http_request_content_type_is(&req, "application/json"));

	/* At most HTTP_MAX_COOKIES cookies are kept; the rest are ignored. */
	http_request_release(&req);
	struct buf b = BUF_INIT(65536);
	for (int i = 0; i < HTTP_MAX_COOKIES + 5; i++)
		buf_printf(&b, "c%d=%d; ", i, i);
	assert_int_equal(http_request_add_header(&req, "Cookie", buf_str(&b), &e), ERR_OK);
	assert_int_equal(http_request_finish_headers(&req, &e), ERR_OK);
	assert_int_equal(req.cookies.n, HTTP_MAX_COOKIES);
	assert_string_equal(http_request_cookie(&req, "c31"), "31");
	assert_null(http_request_cookie(&req, "c32"));
	assert_int_equal(req.lang, ERR_LANG_VI);
	buf_release(&b);
}

static void test_lang(void **state)
{
	(void)state;
	assert_int_equal(http_lang_pick(NULL, NULL), ERR_LANG_VI);
	assert_int_equal(http_lang_pick("", NULL), ERR_LANG_VI);
	assert_int_equal(http_lang_pick("en", NULL), ERR_LANG_EN);
	assert_int_equal(http_lang_pick("EN-us", NULL), ERR_LANG_EN);
	assert_int_equal(http_lang_pick("en-US,en;q=0.9", NULL), ERR_LANG_EN);
	assert_int_equal(http_lang_pick("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7", NULL), ERR_LANG_VI);
	assert_int_equal(http_lang_pick("en;q=0.5, vi;q=0.8", NULL), ERR_LANG_VI);
	assert_int_equal(http_lang_pick("vi;q=0.5, en;q=0.8", NULL), ERR_LANG_EN);
	assert_int_equal(http_lang_pick("en;q=0.8, vi;q=0.8", NULL), ERR_LANG_EN); /* tie: first */
	assert_int_equal(http_lang_pick("fr-FR, fr;q=0.9, en;q=0.1", NULL), ERR_LANG_EN);
	assert_int_equal(http_lang_pick("fr, de", NULL), ERR_LANG_VI);
	assert_int_equal(http_lang_pick("*", NULL), ERR_LANG_VI);
	assert_int_equal(http_lang_pick("en;q=0", NULL), ERR_LANG_VI); /* q=0: not acceptable */
	assert_int_equal(http_lang_pick("en;q=0.000", NULL), ERR_LANG_VI);
	assert_int_equal(http_lang_pick("env, enx-y", NULL), ERR_LANG_VI); /* not the en tag */
	assert_int_equal(http_lang_pick("en;q=2", NULL), ERR_LANG_VI);     /* malformed q */
	assert_int_equal(http_lang_pick("en ; q=0.3", NULL), ERR_LANG_EN);
	assert_int_equal(http_lang_pick("en", "vi"), ERR_LANG_VI);
	assert_int_equal(http_lang_pick("vi", "en"), ERR_LANG_EN);
	assert_int_equal(http_lang_pick("en", "fr"),
	                 ERR_LANG_EN); /* an unknown cookie is ignored */
	assert_int_equal(http_lang_pick(NULL, "EN"), ERR_LANG_VI); /* the cookie value is exact */
}

static int cleanup_order[4];
static int cleanup_count;

static void note_cleanup(void *arg)
{
	cleanup_order[cleanup_count++] = *(int *)arg;
}

static void test_arena(void **state)
{
	(void)state;
	static int one = 1, two = 2;
	/* Allocations are aligned, zeroed and independent. */
	char *prev = NULL;
	for (int i = 1; i < 200; i++) {
		char *p = http_request_alloc(&req, (size_t)i * 7);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
		for (int k = 0; k < i * 7; k++)
			assert_int_equal(p[k], 0);
		memset(p, 0xab, (size_t)i * 7);
		if (prev)
			assert_int_equal((unsigned char)prev[0], 0xab);
		prev = p;
	}
	char *s = http_request_strndup(&req, "hello world", 5);
	assert_string_equal(s, "hello");
	assert_string_equal(http_request_strdup(&req, "đường"), "đường");
	/* The arena stops at HTTP_ARENA_MAX. */
	assert_null(http_request_alloc(&req, HTTP_ARENA_MAX + 1));
	size_t got = 0;
	while (http_request_alloc(&req, 65536))
		got += 65536;
	assert_true(got <= HTTP_ARENA_MAX);
	assert_true(got >= HTTP_ARENA_MAX / 2);
	/* Cleanups run at release, last registered first, once. */
	cleanup_count = 0;
	http_request_release(&req);
	assert_int_equal(http_request_on_cleanup(&req, note_cleanup, &one), 0);
	assert_int_equal(http_request_on_cleanup(&req, note_cleanup, &two), 0);
	assert_int_equal(cleanup_count, 0);
	http_request_release(&req);
	assert_int_equal(cleanup_count, 2);
	assert_int_equal(cleanup_order[0], 2);
	assert_int_equal(cleanup_order[1], 1);
	http_request_release(&req);
	assert_int_equal(cleanup_count, 2);
	/* The body keeps its cap across releases. */
	assert_int_equal(req.body.max, 1024);
	assert_int_equal(buf_append(&req.body, "x", 1), 0);
	assert_int_equal(req.lang, ERR_LANG_VI);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_percent_decode, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_target_basic, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_target_refused, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_target_limits, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_query, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_query_int, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_method, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_headers_cookies, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_lang, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_arena, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
