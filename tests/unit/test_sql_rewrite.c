/*
 * Unit tests for db/sql_rewrite: $N to ?N for SQLite, and the refusals.
 * Expected values follow the token rules of SQLite (https://sqlite.org/
 * lang_expr.html#varparam: "?NNN", "$AAAA" named parameters numbered by first
 * appearance; identifier characters include '$' and bytes >= 0x80) and of
 * PostgreSQL 15 (docs, 4.1.2 and 4.2.2: $n positional parameters, '...'
 * strings with '' inside, "..." identifiers, nested block comments).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "db/sql_rewrite.h"

/* Rewrites in and checks the output and the highest parameter. */
static void expect_ok(const char *in, const char *want, int want_max)
{
	char out[512];
	int max = -1;
	struct err e;
	err_clear(&e);
	enum err_code rc = sql_rewrite_sqlite(in, out, sizeof out, &max, &e);
	if (rc != ERR_OK)
		print_error("input: %s\nerror: %s\n", in, e.detail);
	assert_int_equal(rc, ERR_OK);
	assert_string_equal(out, want);
	assert_int_equal(max, want_max);
	assert_int_equal(strlen(out), strlen(in));
}

/* Checks that in is refused with ERR_INVALID_ARGUMENT, naming the byte offset at. */
static void expect_refused(const char *in, size_t at)
{
	char out[512], where[64];
	int max = -1;
	struct err e;
	err_clear(&e);
	assert_int_equal(sql_rewrite_sqlite(in, out, sizeof out, &max, &e), ERR_INVALID_ARGUMENT);
	snprintf(where, sizeof where, "at byte %zu:", at);
	if (!strstr(e.detail, where))
		print_error("input: %s\ndetail: %s\nwanted: %s\n", in, e.detail, where);
	assert_non_null(strstr(e.detail, where));
	assert_int_equal(max, -1); /* untouched on failure */
}

static void test_no_parameters(void **state)
{
	(void)state;
	expect_ok("", "", 0);
	expect_ok("SELECT 1", "SELECT 1", 0);
	expect_ok("SELECT count(*) FROM dossier WHERE state = 'new'",
	          "SELECT count(*) FROM dossier WHERE state = 'new'", 0);
}

static void test_positional_order_kept(void **state)
{
	(void)state;
	/* The bug this module exists for: $2 before $1 must stay parameter 2. */
	expect_ok("SELECT $2, $1", "SELECT ?2, ?1", 2);
	expect_ok("UPDATE t SET a = $3 WHERE id = $1 AND v = $2",
	          "UPDATE t SET a = ?3 WHERE id = ?1 AND v = ?2", 3);
	/* A parameter used twice keeps one number. */
	expect_ok("SELECT $1 + $1", "SELECT ?1 + ?1", 1);
	/* Gaps are allowed by both engines; the highest number counts. */
	expect_ok("SELECT $1, $3", "SELECT ?1, ?3", 3);
	expect_ok("VALUES($10,$9)", "VALUES(?10,?9)", 10);
	expect_ok("SELECT $999", "SELECT ?999", 999);
	/* Adjacent to operators and parentheses. */
	expect_ok("SELECT ($1)+$2*-$3,$4;", "SELECT (?1)+?2*-?3,?4;", 4);
}

static void test_literals_and_comments_skipped(void **state)
{
	(void)state;
	expect_ok("SELECT '$1', \"$2\", $3", "SELECT '$1', \"$2\", ?3", 3);
	expect_ok("SELECT 'it''s $1', $1", "SELECT 'it''s $1', ?1", 1);
	expect_ok("SELECT \"a\"\"$1\" FROM t WHERE x = $2",
	          "SELECT \"a\"\"$1\" FROM t WHERE x = ?2", 2);
	expect_ok("SELECT $1 -- and $2\n, $3", "SELECT ?1 -- and $2\n, ?3", 3);
	expect_ok("SELECT $1 -- $2 at the end", "SELECT ?1 -- $2 at the end", 1);
	expect_ok("SELECT /* $7 ' \" */ $1", "SELECT /* $7 ' \" */ ?1", 1);
	expect_ok("SELECT /**/ $1", "SELECT /**/ ?1", 1);
	/* Comment markers inside literals are text. */
	expect_ok("SELECT '--', $1, '/*'", "SELECT '--', ?1, '/*'", 1);
	/* Characters refused in code are fine inside literals and comments. */
	expect_ok("SELECT '?', ':a', '@b', '[c]', '`' -- ? :: @\n",
	          "SELECT '?', ':a', '@b', '[c]', '`' -- ? :: @\n", 0);
	/* Vietnamese text in a literal, with a parameter after it. */
	expect_ok("SELECT 'Hà Nội $1' || $1", "SELECT 'Hà Nội $1' || ?1", 1);
}

static void test_dollar_inside_identifiers(void **state)
{
	(void)state;
	/* '$' is an identifier character after the first in both engines. */
	expect_ok("SELECT a$1 FROM t", "SELECT a$1 FROM t", 0);
	expect_ok("SELECT tên$1, $1", "SELECT tên$1, ?1", 1);
	expect_ok("SELECT x_$2$3 FROM t WHERE y = $2", "SELECT x_$2$3 FROM t WHERE y = ?2", 2);
}

static void test_bad_parameters_refused(void **state)
{
	(void)state;
	expect_refused("SELECT $", 7);
	expect_refused("SELECT $a", 7);                    /* a named parameter in SQLite */
	expect_refused("SELECT $0", 7);                    /* PostgreSQL numbers from 1 */
	expect_refused("SELECT $01", 7);                   /* leading zero: ambiguous text */
	expect_refused("SELECT $1a", 7);                   /* runs into a name */
	expect_refused("SELECT $1000", 7);                 /* above the limit */
	expect_refused("SELECT $99999999999999999999", 7); /* no overflow */
	expect_refused("SELECT ?", 7);
	expect_refused("SELECT ?1", 7);
	expect_refused("SELECT :name", 7);
	expect_refused("SELECT @p", 7);
	expect_refused("SELECT #p", 7);
	expect_refused("SELECT $1, ?", 11);
}

static void test_non_portable_refused(void **state)
{
	(void)state;
	expect_refused("SELECT x::BIGINT", 8);  /* write CAST(x AS BIGINT) */
	expect_refused("SELECT [a] FROM t", 7); /* SQLite-only quoting */
	expect_refused("SELECT `a` FROM t", 7);
	expect_refused("SELECT /* a /* b */ */ 1", 12); /* nested comment */
}

static void test_unterminated_refused(void **state)
{
	(void)state;
	expect_refused("SELECT 'abc", 7);
	expect_refused("SELECT 'it''s", 7);
	expect_refused("SELECT \"abc", 7);
	expect_refused("SELECT /* abc", 7);
	expect_refused("SELECT /*/", 7);
	expect_refused("SELECT 1 /*", 9);
}

static void test_output_size(void **state)
{
	(void)state;
	char out[8];
	struct err e;
	err_clear(&e);
	/* strlen + 1 bytes suffice since the output has the input's length. */
	assert_int_equal(sql_rewrite_sqlite("SELECT $1", out, 8, NULL, &e), ERR_TOO_LONG);
	char fits[10];
	assert_int_equal(sql_rewrite_sqlite("SELECT $1", fits, sizeof fits, NULL, NULL), ERR_OK);
	assert_string_equal(fits, "SELECT ?1");
	assert_int_equal(sql_rewrite_sqlite("x", out, 0, NULL, NULL), ERR_TOO_LONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_no_parameters),
	        cmocka_unit_test(test_positional_order_kept),
	        cmocka_unit_test(test_literals_and_comments_skipped),
	        cmocka_unit_test(test_dollar_inside_identifiers),
	        cmocka_unit_test(test_bad_parameters_refused),
	        cmocka_unit_test(test_non_portable_refused),
	        cmocka_unit_test(test_unterminated_refused),
	        cmocka_unit_test(test_output_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
