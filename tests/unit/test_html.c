/*
 * Unit tests for web/html: the escaping HTML builder. Expected behaviour is
 * html.h's contract, with the escapes of the HTML Living Standard for text and
 * double-quoted attribute values (& < > " ' as character references) and the
 * issue's XSS examples: <script>alert(1)</script> and " onmouseover= must come
 * out as text. Invalid UTF-8 (RFC 3629: overlong forms, surrogates, code points
 * past U+10FFFF, truncated sequences) becomes U+FFFD.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/html.h"

static const char *esc(const char *s)
{
	static char out[512];
	assert_int_equal(html_escape(s, out, sizeof out), 0);
	return out;
}

static void test_escape_text(void **state)
{
	(void)state;
	assert_string_equal(esc("Nguyễn Văn A"), "Nguyễn Văn A");
	assert_string_equal(esc("<script>alert(1)</script>"),
	                    "&lt;script&gt;alert(1)&lt;/script&gt;");
	assert_string_equal(esc("\" onmouseover=\"x"), "&quot; onmouseover=&quot;x");
	assert_string_equal(esc("a & b 'c'"), "a &amp; b &#39;c&#39;");
	assert_string_equal(esc("&amp;"), "&amp;amp;"); /* no double meaning */
	assert_string_equal(esc("line\nnext\ttab"), "line\nnext\ttab");
	assert_string_equal(esc(""), "");
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	const char *fffd = "\xef\xbf\xbd";
	char want[64];
	/* a lone continuation byte, a truncated 3-byte sequence, an overlong '/' */
	snprintf(want, sizeof want, "a%sb", fffd);
	assert_string_equal(esc("a\x80"
	                        "b"),
	                    want);
	snprintf(want, sizeof want, "x%s%s", fffd, fffd);
	assert_string_equal(esc("x\xe1\xba"), want);
	snprintf(want, sizeof want, "%s%s", fffd, fffd);
	assert_string_equal(esc("\xc0\xaf"), want);
	/* a UTF-16 surrogate encoded in UTF-8 (U+D800) and a code point past U+10FFFF */
	snprintf(want, sizeof want, "%s%s%s", fffd, fffd, fffd);
	assert_string_equal(esc("\xed\xa0\x80"), want);
	snprintf(want, sizeof want, "%s%s%s%s", fffd, fffd, fffd, fffd);
	assert_string_equal(esc("\xf4\x90\x80\x80"), want);
	/* control characters other than tab, CR, LF */
	snprintf(want, sizeof want, "a%sb", fffd);
	assert_string_equal(esc("a\x01"
	                        "b"),
	                    want);
	/* 4-byte characters pass (U+1F600) */
	assert_string_equal(esc("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");
}

static void test_elements(void **state)
{
	(void)state;
	struct html h;
	html_init(&h, 4096);
	html_open(&h, "input", "name", "q", "value", "\"><script>", "required", HTML_BOOL,
	          "placeholder", NULL, NULL);
	html_elem(&h, "a", "<b>", "href", "/x?a=1&b=2", NULL);
	html_close(&h, "div");
	assert_false(h.failed);
	assert_string_equal(html_str(&h, NULL),
	                    "<input name=\"q\" value=\"&quot;&gt;&lt;script&gt;\" required>"
	                    "<a href=\"/x?a=1&amp;b=2\">&lt;b&gt;</a></div>");
	html_release(&h);
}

static void test_refuses_foreign_urls(void **state)
{
	(void)state;
	const char *bad[] = {"javascript:alert(1)", "http://evil.example/", "//evil.example/",
	                     " /x", "data:text/html,x"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct html h;
		html_init(&h, 4096);
		html_elem(&h, "a", "x", "href", bad[i], NULL);
		/* "//evil" starts with '/' but is protocol-relative: refused too */
		assert_true(h.failed);
		html_release(&h);
	}
	struct html h;
	html_init(&h, 4096);
	html_void(&h, "img", "src", "/static/x.png", "alt", "", NULL);
	html_open(&h, "form", "action", "#top", NULL);
	assert_false(h.failed);
	html_release(&h);
}

static void test_numbers_and_format(void **state)
{
	(void)state;
	struct html h;
	html_init(&h, 4096);
	html_int(&h, 0);
	html_raw(&h, " ");
	html_int(&h, 999);
	html_raw(&h, " ");
	html_int(&h, 1000);
	html_raw(&h, " ");
	html_int(&h, 1234567);
	html_raw(&h, " ");
	html_int(&h, -8450000);
	html_raw(&h, " ");
	html_int(&h, INT64_MIN);
	html_raw(&h, " ");
	html_textf(&h, "%s=%d", "<a>", 5);
	assert_string_equal(
	        html_str(&h, NULL),
	        "0 999 1.000 1.234.567 -8.450.000 -9.223.372.036.854.775.808 &lt;a&gt;=5");
	html_release(&h);
}

static void test_long_format(void **state)
{
	(void)state;
	char big[2000];
	memset(big, '<', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	struct html h;
	html_init(&h, 16384);
	html_textf(&h, "%s", big);
	size_t len;
	html_str(&h, &len);
	assert_int_equal(len, 4 * (sizeof big - 1));
	html_release(&h);
}

static void test_cap(void **state)
{
	(void)state;
	struct html h;
	html_init(&h, 10);
	html_text(&h, "0123456789");
	assert_false(h.failed);
	html_text(&h, "x");
	assert_true(h.failed);
	html_raw(&h, "y"); /* ignored once failed */
	size_t len;
	assert_string_equal(html_str(&h, &len), "0123456789");
	char *d = html_detach(&h, &len);
	assert_int_equal(len, 10);
	assert_false(h.failed);
	free(d);
	html_release(&h);
	char small[4];
	assert_int_equal(html_escape("<", small, sizeof small), -1);
	assert_int_equal(html_escape("abc", small, sizeof small), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_escape_text),
	        cmocka_unit_test(test_invalid_utf8),
	        cmocka_unit_test(test_elements),
	        cmocka_unit_test(test_refuses_foreign_urls),
	        cmocka_unit_test(test_numbers_and_format),
	        cmocka_unit_test(test_long_format),
	        cmocka_unit_test(test_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
