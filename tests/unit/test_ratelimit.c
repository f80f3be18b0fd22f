/*
 * Unit tests for service/ratelimit and db/db_ratelimit: the fixed window
 * (counts, refusal past the maximum, the time left, a new window after the
 * old one ends), independent buckets, reset, purge, bucket names, and two
 * connections (as two server nodes) counting into one bucket. A temporary
 * SQLite database is migrated with the embedded migrations.
 *
 * Expected values follow from the definition of the limiter in
 * service/ratelimit.h (at most max hits per window of `window` seconds
 * starting at the first hit); the SHA-256 digest of the bucket name test
 * was computed with Python's hashlib.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/db_ratelimit.h"
#include "service/ratelimit.h"

#include "tmpdb_fixture.h"

static char tmpdir[256];
static struct db *db;

static int setup(void **state)
{
	(void)state;
	return tmpdb_setup(tmpdir, sizeof tmpdir, "ratelimit", &db);
}

static int teardown(void **state)
{
	(void)state;
	tmpdb_teardown(tmpdir, db);
	return 0;
}

static struct db_conn *conn(void)
{
	return tmpdb_conn(db);
}

static const struct ratelimit_policy three_per_minute = {3, 60};

/* Hits until the maximum are allowed; the next is refused until the window ends. */
static void test_window(void **state)
{
	(void)state;
	struct db_conn *c = conn();
	struct ratelimit_state st;
	struct err e;
	const int64_t t0 = 1750000000;

	assert_int_equal(ratelimit_check(c, "t:window", &three_per_minute, t0, &st, &e), ERR_OK);
	assert_true(st.allowed);
	assert_int_equal(st.hits, 0);
	assert_int_equal(st.retry_after, 0);

	for (int i = 1; i <= 3; i++) {
		assert_int_equal(
		        ratelimit_hit(c, "t:window", &three_per_minute, t0 + i - 1, &st, &e),
		        ERR_OK);
		assert_true(st.allowed);
		assert_int_equal(st.hits, i);
	}
	/* Three hits counted: a check now says no, with the time left in the window. */
	assert_int_equal(ratelimit_check(c, "t:window", &three_per_minute, t0 + 10, &st, &e),
	                 ERR_OK);
	assert_false(st.allowed);
	assert_int_equal(st.hits, 3);
	assert_int_equal(st.retry_after, 50); /* window started at t0, ends at t0 + 60 */

	/* A fourth hit is counted but not allowed. */
	assert_int_equal(ratelimit_hit(c, "t:window", &three_per_minute, t0 + 20, &st, &e), ERR_OK);
	assert_false(st.allowed);
	assert_int_equal(st.hits, 4);
	assert_int_equal(st.retry_after, 40);

	/* One second before the end: still refused. */
	assert_int_equal(ratelimit_check(c, "t:window", &three_per_minute, t0 + 59, &st, &e),
	                 ERR_OK);
	assert_false(st.allowed);
	assert_int_equal(st.retry_after, 1);

	/* At the end of the window the count is forgotten. */
	assert_int_equal(ratelimit_check(c, "t:window", &three_per_minute, t0 + 60, &st, &e),
	                 ERR_OK);
	assert_true(st.allowed);
	assert_int_equal(st.hits, 0);
	assert_int_equal(ratelimit_hit(c, "t:window", &three_per_minute, t0 + 61, &st, &e), ERR_OK);
	assert_true(st.allowed);
	assert_int_equal(st.hits, 1);

	/* The new window started at t0 + 61. */
	int64_t hits, start;
	assert_int_equal(db_ratelimit_get(c, "t:window", &hits, &start, &e), ERR_OK);
	assert_int_equal(hits, 1);
	assert_int_equal(start, t0 + 61);
}

/* Buckets are independent; reset forgets one. */
static void test_buckets_and_reset(void **state)
{
	(void)state;
	struct db_conn *c = conn();
	struct ratelimit_state st;
	struct err e;
	const int64_t t0 = 1750001000;
	for (int i = 0; i < 3; i++)
		assert_int_equal(ratelimit_hit(c, "t:a", &three_per_minute, t0, NULL, &e), ERR_OK);
	assert_int_equal(ratelimit_check(c, "t:a", &three_per_minute, t0, &st, &e), ERR_OK);
	assert_false(st.allowed);
	assert_int_equal(ratelimit_check(c, "t:b", &three_per_minute, t0, &st, &e), ERR_OK);
	assert_true(st.allowed);
	assert_int_equal(st.hits, 0);

	assert_int_equal(ratelimit_reset(c, "t:a", &e), ERR_OK);
	assert_int_equal(ratelimit_check(c, "t:a", &three_per_minute, t0, &st, &e), ERR_OK);
	assert_true(st.allowed);
	assert_int_equal(st.hits, 0);
	/* Resetting a bucket that does not exist is fine. */
	assert_int_equal(ratelimit_reset(c, "t:none", &e), ERR_OK);

	int64_t hits, start;
	assert_int_equal(db_ratelimit_get(c, "t:none", &hits, &start, &e), ERR_NOT_FOUND);
}

/* A policy of one hit: the first is allowed, the second not. */
static void test_single_hit_policy(void **state)
{
	(void)state;
	struct db_conn *c = conn();
	struct ratelimit_state st;
	const struct ratelimit_policy one = {1, 10};
	assert_int_equal(ratelimit_hit(c, "t:one", &one, 100, &st, NULL), ERR_OK);
	assert_true(st.allowed);
	assert_int_equal(ratelimit_check(c, "t:one", &one, 100, &st, NULL), ERR_OK);
	assert_false(st.allowed);
	assert_int_equal(st.retry_after, 10);
	assert_int_equal(ratelimit_hit(c, "t:one", &one, 109, &st, NULL), ERR_OK);
	assert_false(st.allowed);
	assert_int_equal(st.retry_after, 1);
	assert_int_equal(ratelimit_hit(c, "t:one", &one, 110, &st, NULL), ERR_OK);
	assert_true(st.allowed);
}

/* Purge deletes the windows that are over and keeps the others. */
static void test_purge(void **state)
{
	(void)state;
	struct db_conn *c = conn();
	struct err e;
	int64_t deleted = -1, hits, start;
	assert_int_equal(db_exec(c, "DELETE FROM rate_limit", DB_NOARGS, NULL, &e), ERR_OK);
	assert_int_equal(ratelimit_hit(c, "t:old", &three_per_minute, 1000, NULL, &e), ERR_OK);
	assert_int_equal(ratelimit_hit(c, "t:edge", &three_per_minute, 1040, NULL, &e), ERR_OK);
	assert_int_equal(ratelimit_hit(c, "t:new", &three_per_minute, 1041, NULL, &e), ERR_OK);
	/* At 1100 with windows of at most 60 s: windows started at or before 1040 are over. */
	assert_int_equal(ratelimit_purge(c, 1100, 60, &deleted, &e), ERR_OK);
	assert_int_equal(deleted, 2);
	assert_int_equal(db_ratelimit_get(c, "t:old", &hits, &start, &e), ERR_NOT_FOUND);
	assert_int_equal(db_ratelimit_get(c, "t:edge", &hits, &start, &e), ERR_NOT_FOUND);
	assert_int_equal(db_ratelimit_get(c, "t:new", &hits, &start, &e), ERR_OK);
	assert_int_equal(ratelimit_purge(c, 1100, 0, &deleted, &e), ERR_INVALID_ARGUMENT);
}

/* Bad policies and bucket names are refused before any SQL. */
static void test_bad_input(void **state)
{
	(void)state;
	struct db_conn *c = conn();
	struct ratelimit_state st;
	struct err e;
	const struct ratelimit_policy zero_max = {0, 60}, zero_window = {3, 0};
	assert_int_equal(ratelimit_check(c, "t:x", &zero_max, 0, &st, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(ratelimit_hit(c, "t:x", &zero_window, 0, &st, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(ratelimit_hit(c, "t:x", NULL, 0, &st, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(ratelimit_hit(c, "", &three_per_minute, 0, &st, &e), ERR_INVALID_ARGUMENT);
	char long_name[DB_RATELIMIT_BUCKET_MAX + 2];
	memset(long_name, 'x', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	assert_int_equal(ratelimit_hit(c, long_name, &three_per_minute, 0, &st, &e), ERR_TOO_LONG);
	long_name[DB_RATELIMIT_BUCKET_MAX] = '\0'; /* exactly the maximum is fine */
	assert_int_equal(ratelimit_hit(c, long_name, &three_per_minute, 0, &st, &e), ERR_OK);
}

/* Bucket names: plain keys kept, others replaced by their SHA-256. */
static void test_bucket_names(void **state)
{
	(void)state;
	char out[300];
	struct err e;
	assert_int_equal(ratelimit_bucket(out, sizeof out, "login:addr", "203.0.113.7", &e),
	                 ERR_OK);
	assert_string_equal(out, "login:addr:203.0.113.7");
	assert_int_equal(ratelimit_bucket(out, sizeof out, "login:addr", "2001:db8::1", &e),
	                 ERR_OK);
	assert_string_equal(out, "login:addr:2001:db8::1");
	/* A space (and anything not printable ASCII) makes the key hashed:
	 * hashlib.sha256(b"a b").hexdigest(). */
	assert_int_equal(ratelimit_bucket(out, sizeof out, "p", "a b", &e), ERR_OK);
	assert_string_equal(out,
	                    "p:#c8687a08aa5d6ed2044328fa6a697ab8e96dc34291e8c2034ae8c38e6fcc6d65");
	assert_int_equal(ratelimit_bucket(out, sizeof out, "p", "Hà Nội", &e), ERR_OK);
	assert_true(strncmp(out, "p:#", 3) == 0);
	assert_int_equal(strlen(out), 3 + 64);
	/* Keys of 128 bytes stay; 129 are hashed. */
	char key[130];
	memset(key, 'k', 128);
	key[128] = '\0';
	assert_int_equal(ratelimit_bucket(out, sizeof out, "p", key, &e), ERR_OK);
	assert_int_equal(strlen(out), 2 + 128);
	key[128] = 'k';
	key[129] = '\0';
	assert_int_equal(ratelimit_bucket(out, sizeof out, "p", key, &e), ERR_OK);
	assert_int_equal(strlen(out), 3 + 64);
	/* Errors. */
	assert_int_equal(ratelimit_bucket(out, sizeof out, "", "k", &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(ratelimit_bucket(out, sizeof out, "p", "", &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(ratelimit_bucket(out, sizeof out, "p", NULL, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(ratelimit_bucket(out, 5, "login", "x", &e), ERR_TOO_LONG);
}

/* Two connections, as two server nodes, count into the same bucket. */
static void test_two_connections(void **state)
{
	(void)state;
	struct db_conn *a = NULL, *b = NULL;
	struct ratelimit_state st;
	struct err e;
	assert_int_equal(db_conn_open(db, &a, &e), ERR_OK);
	assert_int_equal(db_conn_open(db, &b, &e), ERR_OK);
	assert_int_equal(ratelimit_hit(a, "t:shared", &three_per_minute, 5000, &st, &e), ERR_OK);
	assert_int_equal(ratelimit_hit(b, "t:shared", &three_per_minute, 5001, &st, &e), ERR_OK);
	assert_int_equal(st.hits, 2);
	assert_int_equal(ratelimit_hit(a, "t:shared", &three_per_minute, 5002, &st, &e), ERR_OK);
	assert_int_equal(st.hits, 3);
	assert_true(st.allowed);
	assert_int_equal(ratelimit_check(b, "t:shared", &three_per_minute, 5003, &st, &e), ERR_OK);
	assert_false(st.allowed);
	db_conn_close(a);
	db_conn_close(b);
}

struct rollback_ctx {
	const char *bucket;
};

static enum err_code hit_then_fail(struct db_conn *c, void *vctx, struct err *e)
{
	struct rollback_ctx *x = vctx;
	enum err_code rc = ratelimit_hit(c, x->bucket, &three_per_minute, 7000, NULL, e);
	if (rc != ERR_OK)
		return rc;
	return err_set(e, ERR_INVALID_ARGUMENT, "the use case failed");
}

/* A hit is part of the caller's transaction: a rollback takes it back. */
static void test_in_transaction(void **state)
{
	(void)state;
	struct rollback_ctx x = {"t:txn"};
	struct err e;
	int64_t hits, start;
	assert_int_equal(db_run_txn(db, DB_TXN_WRITE, hit_then_fail, &x, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(db_ratelimit_get(conn(), "t:txn", &hits, &start, &e), ERR_NOT_FOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_window),
	        cmocka_unit_test(test_buckets_and_reset),
	        cmocka_unit_test(test_single_hit_policy),
	        cmocka_unit_test(test_purge),
	        cmocka_unit_test(test_bad_input),
	        cmocka_unit_test(test_bucket_names),
	        cmocka_unit_test(test_two_connections),
	        cmocka_unit_test(test_in_transaction),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
