/*
 * Unit tests for base/clock: the injectable clock is refused unless allowed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/clock.h"
#include "base/vntime.h"

static void test_real_clock(void **state)
{
	(void)state;
	struct clock c;
	assert_int_equal(clock_init(&c, NULL, false, NULL), ERR_OK);
	assert_false(c.fixed);
	/* The real clock is after 2025-01-01 on any machine that runs these tests. */
	assert_true(clock_now(&c) > 1735664400);
	assert_int_equal(clock_init(&c, "", false, NULL), ERR_OK);
	assert_false(c.fixed);
}

static void test_fixed_clock(void **state)
{
	(void)state;
	struct clock c;
	struct err e;
	assert_int_equal(clock_init(&c, "2025-04-25T10:00", true, &e), ERR_OK);
	assert_true(c.fixed);
	assert_int_equal(clock_now(&c), 1745550000);
}

static void test_refused(void **state)
{
	(void)state;
	struct clock c;
	struct err e;
	assert_int_equal(clock_init(&c, "2025-04-25T10:00", false, &e), ERR_CLOCK_OVERRIDE_REFUSED);
	assert_false(c.fixed);
	assert_int_equal(clock_init(&c, "yesterday", true, &e), ERR_INVALID_TIME);
	assert_false(c.fixed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_real_clock),
	        cmocka_unit_test(test_fixed_clock),
	        cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
