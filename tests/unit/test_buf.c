/*
 * Unit tests for base/buf: the bounded growable buffer. Expected behaviour is
 * the contract written in buf.h (contents always NUL-terminated, appending
 * past the maximum fails with -1 and changes nothing), checked at the exact
 * boundaries and at the extreme maximum SIZE_MAX.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

static void test_empty(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(10);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 10);
	assert_string_equal(buf_str(&b), "");
	buf_reset(&b); /* on an empty buffer */
	buf_release(&b);
	buf_release(&b); /* twice is harmless */
	struct buf c;
	buf_init(&c, 7);
	assert_null(c.data);
	assert_int_equal(c.len, 0);
	assert_int_equal(c.cap, 0);
	assert_int_equal(c.max, 7);
	buf_release(&c);
}

static void test_append(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(100);
	assert_int_equal(buf_append(&b, "ab", 2), 0);
	assert_int_equal(buf_puts(&b, "cd"), 0);
	assert_int_equal(buf_putc(&b, 'e'), 0);
	assert_int_equal(buf_append(&b, "xyz", 0), 0);
	assert_int_equal(buf_printf(&b, "-%d-%s", 42, "Đ"), 0);
	assert_string_equal(buf_str(&b), "abcde-42-Đ");
	assert_int_equal(b.len, strlen("abcde-42-Đ"));
	/* Embedded NUL bytes are kept and counted. */
	assert_int_equal(buf_append(&b, "\0z", 2), 0);
	assert_int_equal(b.len, strlen("abcde-42-Đ") + 2);
	assert_int_equal(b.data[b.len], '\0');
	buf_release(&b);
	/* Appending nothing to a fresh buffer makes it a valid empty string. */
	struct buf c = BUF_INIT(5);
	assert_int_equal(buf_append(&c, NULL, 0), 0);
	assert_non_null(c.data);
	assert_string_equal(buf_str(&c), "");
	buf_release(&c);
}

static void test_maximum(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(5);
	assert_int_equal(buf_puts(&b, "abcd"), 0);
	assert_int_equal(buf_puts(&b, "ef"), -1); /* 6 > 5: refused, unchanged */
	assert_string_equal(buf_str(&b), "abcd");
	assert_int_equal(b.len, 4);
	assert_int_equal(buf_putc(&b, 'e'), 0); /* exactly 5 */
	assert_string_equal(buf_str(&b), "abcde");
	assert_int_equal(buf_putc(&b, 'f'), -1);
	assert_int_equal(buf_printf(&b, "%s", "g"), -1);
	assert_int_equal(buf_append(&b, "", 0), 0); /* nothing more is fine */
	assert_string_equal(buf_str(&b), "abcde");
	assert_true(b.cap <= b.max + 1); /* never allocates beyond max + NUL */
	buf_release(&b);

	/* printf output is checked against the maximum before writing. */
	struct buf p = BUF_INIT(8);
	assert_int_equal(buf_printf(&p, "%d", 1234), 0);
	assert_int_equal(buf_printf(&p, "%d", 56789), -1);
	assert_string_equal(buf_str(&p), "1234");
	assert_int_equal(buf_printf(&p, "%04d", 5), 0);
	assert_string_equal(buf_str(&p), "12340005");
	buf_release(&p);

	/* A maximum of zero refuses any byte. */
	struct buf z = BUF_INIT(0);
	assert_int_equal(buf_putc(&z, 'a'), -1);
	assert_int_equal(buf_append(&z, "a", 0), 0);
	assert_string_equal(buf_str(&z), "");
	buf_release(&z);

	/* Sizes that would overflow size_t are refused, not wrapped. */
	struct buf w = BUF_INIT(10);
	assert_int_equal(buf_putc(&w, 'a'), 0);
	assert_int_equal(buf_append(&w, "x", SIZE_MAX), -1);
	assert_int_equal(buf_append(&w, "x", SIZE_MAX - 1), -1);
	assert_string_equal(buf_str(&w), "a");
	buf_release(&w);
}

static void test_unbounded(void **state)
{
	(void)state;
	/* SIZE_MAX as maximum ("no practical limit") must not overflow max + 1. */
	struct buf b = BUF_INIT(SIZE_MAX);
	assert_int_equal(buf_puts(&b, "hello world, longer than nothing at all"), 0);
	assert_string_equal(buf_str(&b), "hello world, longer than nothing at all");
	assert_true(b.cap > b.len);
	assert_int_equal(buf_append(&b, "x", SIZE_MAX), -1);
	assert_int_equal(buf_append(&b, "x", SIZE_MAX - b.len), -1);
	buf_release(&b);
}

static void test_growth(void **state)
{
	(void)state;
	/* Many small appends across several reallocations keep every byte. */
	struct buf b = BUF_INIT(100000);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(buf_putc(&b, (char)('a' + i % 26)), 0);
	assert_int_equal(b.len, 10000);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(b.data[i], 'a' + i % 26);
	assert_int_equal(b.data[10000], '\0');
	assert_true(b.cap >= b.len + 1 && b.cap <= b.max + 1);
	buf_release(&b);
}

static void test_reset_release_detach(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(50);
	assert_int_equal(buf_puts(&b, "first"), 0);
	char *keep = b.data;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	assert_ptr_equal(b.data, keep); /* allocation kept */
	assert_int_equal(buf_puts(&b, "second"), 0);
	char *s = buf_detach(&b);
	assert_string_equal(s, "second");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 50); /* reusable with the same maximum */
	free(s);
	/* Detaching an empty buffer gives an allocated "". */
	s = buf_detach(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(buf_puts(&b, "third"), 0);
	buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.max, 50);
	assert_int_equal(buf_puts(&b, "fourth"), 0);
	assert_string_equal(buf_str(&b), "fourth");
	buf_release(&b);
}

/* Calls buf_vprintf through a variadic wrapper. */
static int vcall(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int vcall(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

static void test_vprintf(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(20);
	assert_int_equal(vcall(&b, "%s=%lld", "n", -9223372036854775807LL - 1), -1); /* 22 bytes */
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(vcall(&b, "%s=%d", "n", -5), 0);
	assert_int_equal(vcall(&b, "%s", ""), 0);
	assert_string_equal(buf_str(&b), "n=-5");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_empty),   cmocka_unit_test(test_append),
	        cmocka_unit_test(test_maximum), cmocka_unit_test(test_unbounded),
	        cmocka_unit_test(test_growth),  cmocka_unit_test(test_reset_release_detach),
	        cmocka_unit_test(test_vprintf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
