/*
 * Unit tests for doc/qr: the matrix libqrencode gives for a text.
 *
 * Expected values from ISO/IEC 18004:2015: a version v symbol is 17 + 4v
 * modules wide (section 5.3.1); the three finder patterns are 7 x 7 squares
 * of a dark ring, a light ring and a dark 3 x 3 centre at the top-left,
 * top-right and bottom-left corners (6.3.3); the timing patterns alternate
 * dark and light on row and column 6 between them, dark at even positions
 * (6.3.5); at error correction level M a version 4 symbol holds 62 bytes in
 * byte mode and version 5 holds 84, version 1 holds 14 and version 2 holds 26
 * (Table 7), version 40 holds 2331.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "doc/qr.h"

/* True when the finder pattern with its top-left corner at (x, y) is there. */
static bool finder_at(const struct qr_code *q, int x, int y)
{
	for (int j = 0; j < 7; j++)
		for (int i = 0; i < 7; i++) {
			bool ring = i == 0 || i == 6 || j == 0 || j == 6;
			bool centre = i >= 2 && i <= 4 && j >= 2 && j <= 4;
			if (qr_dark(q, x + i, y + j) != (ring || centre))
				return false;
		}
	return true;
}

static void test_structure(void **state)
{
	(void)state;
	struct qr_code q;
	struct err e;
	err_clear(&e);
	assert_int_equal(
	        qr_encode("https://dichvucong.test.vn/lookup?code=000.01.CN.H26-261127-0001", &q,
	                  &e),
	        ERR_OK);
	assert_int_equal(q.width, 17 + 4 * q.version);
	/* 64 bytes: more than version 4 holds at level M (62), less than version 5 (84) */
	assert_int_equal(q.version, 5);
	assert_true(finder_at(&q, 0, 0));
	assert_true(finder_at(&q, q.width - 7, 0));
	assert_true(finder_at(&q, 0, q.width - 7));
	assert_false(finder_at(&q, q.width - 7, q.width - 7));
	for (int i = 8; i < q.width - 8; i++) {
		assert_int_equal(qr_dark(&q, i, 6), i % 2 == 0);
		assert_int_equal(qr_dark(&q, 6, i), i % 2 == 0);
	}
	/* outside the symbol: light */
	assert_false(qr_dark(&q, -1, 0));
	assert_false(qr_dark(&q, 0, q.width));
	qr_release(&q);
	assert_null(q.modules);
	assert_int_equal(q.width, 0);
}

/* 62 bytes fit version 4 at level M, exactly (Table 7). */
static void test_capacity(void **state)
{
	(void)state;
	char text[63];
	memset(text, 'a', 62);
	text[62] = '\0';
	struct qr_code q;
	struct err e;
	assert_int_equal(qr_encode(text, &q, &e), ERR_OK);
	assert_int_equal(q.version, 4);
	qr_release(&q);
}

static void test_limits(void **state)
{
	(void)state;
	struct qr_code q;
	struct err e;
	err_clear(&e);
	assert_int_equal(qr_encode("", &q, &e), ERR_INVALID_ARGUMENT);
	qr_release(&q);
	assert_int_equal(qr_encode(NULL, &q, &e), ERR_INVALID_ARGUMENT);
	qr_release(&q);
	char big[QR_TEXT_MAX + 2];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(qr_encode(big, &q, &e), ERR_TOO_LONG);
	qr_release(&q);
	/* the largest text accepted still fits (version 40 holds 2331 bytes at level M) */
	big[QR_TEXT_MAX] = '\0';
	assert_int_equal(qr_encode(big, &q, &e), ERR_OK);
	assert_true(q.version > 20 && q.version <= 40);
	assert_int_equal(q.width, 17 + 4 * q.version);
	qr_release(&q);
}

/* UTF-8 text is encoded as bytes: "Nguyễn Văn Đức" is 20 bytes, more than version 1
 * holds at level M (14), less than version 2 (26). */
static void test_utf8(void **state)
{
	(void)state;
	struct qr_code q;
	struct err e;
	assert_int_equal(qr_encode("Nguyễn Văn Đức", &q, &e), ERR_OK);
	assert_int_equal(q.version, 2);
	qr_release(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_structure),
	        cmocka_unit_test(test_capacity),
	        cmocka_unit_test(test_limits),
	        cmocka_unit_test(test_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
