/*
 * Unit tests for base/log: logfmt lines, level threshold, escaping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"

static char text[8192];

/* Runs the logger into a memory stream and returns what it wrote. */
static const char *capture_start(FILE **f)
{
	memset(text, 0, sizeof text);
	*f = fmemopen(text, sizeof text - 1, "w");
	assert_non_null(*f);
	log_set_stream(*f);
	return text;
}

static void capture_end(FILE *f)
{
	fflush(f);
	log_set_stream(NULL);
	fclose(f);
}

static void test_line_format(void **state)
{
	(void)state;
	FILE *f;
	capture_start(&f);
	log_set_level(LOG_INFO);
	log_info("db.migrate", "applied %d migrations", 3);
	capture_end(f);
	assert_non_null(strstr(text, "ts="));
	assert_non_null(
	        strstr(text, "+07:00 level=info event=db.migrate msg=\"applied 3 migrations\"\n"));
}

static void test_threshold(void **state)
{
	(void)state;
	FILE *f;
	capture_start(&f);
	assert_int_equal(log_set_level_name("warn"), 0);
	log_info("x.info", "hidden");
	log_debug("x.debug", "hidden");
	log_warn("x.warn", "shown");
	log_error("x.error", "shown");
	capture_end(f);
	assert_null(strstr(text, "hidden"));
	assert_non_null(strstr(text, "level=warn event=x.warn"));
	assert_non_null(strstr(text, "level=error event=x.error"));
	assert_int_equal(log_set_level_name("loud"), -1);
	assert_int_equal(log_get_level(), LOG_WARN);
	log_set_level(LOG_INFO);
}

static void test_escaping(void **state)
{
	(void)state;
	FILE *f;
	capture_start(&f);
	log_info("x.esc", "say \"hi\"\nback\\slash\ttab");
	capture_end(f);
	assert_non_null(strstr(text, "msg=\"say \\\"hi\\\"\\nback\\\\slash tab\"\n"));
	/* exactly one line */
	assert_int_equal(strchr(text, '\n'), strrchr(text, '\n'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_line_format),
	        cmocka_unit_test(test_threshold),
	        cmocka_unit_test(test_escaping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
