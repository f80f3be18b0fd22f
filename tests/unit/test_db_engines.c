/*
 * Unit tests of the db API that hold on every engine: run against a temporary
 * SQLite file by default, and against PostgreSQL when MOTCUA_TEST_DATABASE
 * names one (`make test-pg`). Each test gets a fresh database
 * (db_engine_fixture.h). A few tests are for one engine only and are skipped
 * on the other: they say why.
 *
 * Expected behaviour comes from the contract in db.h and from the engines'
 * documentation: PostgreSQL 15 manual, chapter 13 (transaction isolation:
 * a serializable transaction that read a row another transaction changed and
 * committed fails with SQLSTATE 40001; deadlocks are broken with 40P01),
 * Appendix A (error codes: 23505 unique violation, 23503 foreign key, 23514
 * check, 23502 not null), 34.3 (libpq: PQexecPrepared, binary formats), 9.27
 * (pg_terminate_backend with a timeout); SQLite's lang_transaction.html and
 * rescode.html. Threads synchronize by flags and counters, never by
 * wall-clock assertions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "db/db_copy.h"
#include "db/migrate.h"
#include "db_engine_fixture.h"

/* ---- helpers ---- */

static int group_setup(void **state)
{
	(void)state;
	if (engine_init() != 0)
		return -1;
	printf("# engine: %s\n", engine_is_pg() ? "postgresql" : "sqlite");
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	engine_done();
	return 0;
}

static int setup(void **state)
{
	struct engine_db *x = calloc(1, sizeof *x);
	struct err e;
	err_clear(&e);
	if (!x || engine_fresh(x, NULL, &e) != ERR_OK) {
		fprintf(stderr, "# fresh database: %s\n", e.detail);
		free(x);
		return -1;
	}
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct engine_db *x = *state;
	engine_release(x);
	free(x);
	return 0;
}

static struct db_conn *conn_of(struct db *db)
{
	struct db_conn *c = NULL;
	struct err e;
	err_clear(&e);
	if (db_thread_conn(db, &c, &e) != ERR_OK)
		print_error("db_thread_conn: %s\n", e.detail);
	assert_non_null(c);
	return c;
}

static void exec_ok(struct db_conn *c, const char *sql)
{
	struct err e;
	err_clear(&e);
	enum err_code rc = db_exec(c, sql, DB_NOARGS, NULL, &e);
	if (rc != ERR_OK)
		print_error("%s: %s\n", sql, e.detail);
	assert_int_equal(rc, ERR_OK);
}

static int64_t int_of(struct db_conn *c, const char *sql)
{
	int64_t v = -1;
	struct err e;
	err_clear(&e);
	enum err_code rc = db_query_int64(c, sql, DB_NOARGS, &v, &e);
	if (rc != ERR_OK)
		print_error("%s: %s\n", sql, e.detail);
	assert_int_equal(rc, ERR_OK);
	return v;
}

static bool str_eq_test(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Waits (bounded) until *flag is set; false when it never came. */
static bool wait_flag(atomic_int *flag)
{
	for (int i = 0; i < 60000 && !atomic_load(flag); i++)
		sleep_ms(1);
	return atomic_load(flag) != 0;
}

static struct db *db_of(void **state)
{
	return ((struct engine_db *)*state)->db;
}

/* ---- opening ---- */

static void test_driver_name(void **state)
{
	struct db *db = db_of(state);
	assert_string_equal(db_driver_name(db), engine_is_pg() ? "postgresql" : "sqlite");
	/* A fresh database has no tables of ours. */
	bool exists = true;
	assert_int_equal(db_table_exists(conn_of(db), "schema_migrations", &exists, NULL), ERR_OK);
	assert_false(exists);
}

static void test_unreachable_postgresql(void **state)
{
	(void)state;
	/* Port 1 on the loopback: nothing listens (connection refused at once). Needs no
	 * server, so it runs on every engine. */
	struct db *db = (struct db *)1;
	struct err e;
	err_clear(&e);
	assert_int_equal(db_open("postgresql://motcua:hunter2secret@127.0.0.1:1/none?"
	                         "connect_timeout=5",
	                         NULL, &db, &e),
	                 ERR_DB_ERROR);
	assert_null(db);
	assert_non_null(strstr(e.detail, "127.0.0.1"));
	assert_null(strstr(e.detail, "hunter2secret"));
	/* A malformed URL is a configuration error, and its password is not echoed. */
	err_clear(&e);
	assert_int_equal(db_open("postgresql://u:pw%zzsecret@127.0.0.1/x", NULL, &db, &e),
	                 ERR_CONFIG_INVALID);
	assert_null(strstr(e.detail, "secret"));
	assert_int_equal(db_open("postgres://127.0.0.1/x?no_such_option=1", NULL, &db, &e),
	                 ERR_CONFIG_INVALID);
	assert_int_equal(db_open("postgresql://127.0.0.1:1/x?password=topsecret1", NULL, &db, &e),
	                 ERR_DB_ERROR);
	assert_null(strstr(e.detail, "topsecret1"));
}

/* ---- binding and reading ---- */

static void test_binding_order(void **state)
{
	struct db_conn *c = conn_of(db_of(state));
	exec_ok(c, "CREATE TABLE t (a INTEGER, b TEXT, c BIGINT)");
	/* $2 comes first in the text: values go by number, not by position. */
	assert_int_equal(db_exec(c, "INSERT INTO t (a, b, c) VALUES ($2, $1, $3)",
	                         DB_ARGS(db_text("x"), db_int(7), db_int(INT64_MAX)), NULL, NULL),
	                 ERR_OK);
	assert_int_equal(db_exec(c, "INSERT INTO t (c, b, a) VALUES ($1, $3, $2)",
	                         DB_ARGS(db_int(INT64_MIN), db_int(-8), db_text("y")), NULL, NULL),
	                 ERR_OK);
	struct db_stmt *st;
	bool row;
	assert_int_equal(db_query(c, "SELECT a, b, c FROM t WHERE b = $2 AND a = $1",
	                          DB_ARGS(db_int(7), db_text("x")), &st, NULL),
	                 ERR_OK);
	assert_int_equal(db_step(st, &row, NULL), ERR_OK);
	assert_true(row);
	assert_int_equal(db_col_count(st), 3);
	assert_int_equal(db_col_int64(st, 0), 7);
	assert_string_equal(db_col_text(st, 1, NULL), "x");
	assert_true(db_col_int64(st, 2) == INT64_MAX);
	assert_int_equal(db_step(st, &row, NULL), ERR_OK);
	assert_false(row);
	db_finish(st);
	int64_t v = 0;
	assert_int_equal(
	        db_query_int64(c, "SELECT c FROM t WHERE a = $1", DB_ARGS(db_int(-8)), &v, NULL),
	        ERR_OK);
	assert_true(v == INT64_MIN);
	/* One parameter used twice; a BIGINT compared with a value past 32 bits. */
	assert_int_equal(db_query_int64(c, "SELECT count(*) FROM t WHERE c = $1 OR c = -$1",
	                                DB_ARGS(db_int(INT64_MAX)), &v, NULL),
	                 ERR_OK);
	assert_int_equal(v, 1);
	assert_int_equal(db_query_int64(c, "SELECT count(*) FROM t WHERE c > $1",
	                                DB_ARGS(db_int((int64_t)1 << 40)), &v, NULL),
	                 ERR_OK);
	assert_int_equal(v, 1);
	/* Text read back from an integer column, an integer from a text expression. */
	char text[32];
	assert_int_equal(
	        db_query_text(c, "SELECT c FROM t WHERE a = 7", DB_NOARGS, text, sizeof text, NULL),
	        ERR_OK);
	assert_string_equal(text, "9223372036854775807");
	/* The count of parameters must match the highest $N. */
	struct err e;
	err_clear(&e);
	assert_int_equal(db_query_int64(c, "SELECT a FROM t WHERE a = $1", DB_NOARGS, &v, &e),
	                 ERR_INTERNAL);
	assert_int_equal(db_query_int64(c, "SELECT a FROM t WHERE a = $1",
	                                DB_ARGS(db_int(1), db_int(2)), &v, &e),
	                 ERR_INTERNAL);
	/* Text that is not portable is refused on every engine. */
	assert_int_equal(db_query_int64(c, "SELECT a::BIGINT FROM t", DB_NOARGS, &v, &e),
	                 ERR_INVALID_ARGUMENT);
}

static void test_nulls(void **state)
{
	struct db_conn *c = conn_of(db_of(state));
	exec_ok(c, "CREATE TABLE n (k INTEGER PRIMARY KEY, i BIGINT, s TEXT, b BYTEA)");
	assert_int_equal(db_exec(c, "INSERT INTO n (k, i, s, b) VALUES ($1, $2, $3, $4)",
	                         DB_ARGS(db_int(1), db_null(), db_text(NULL), db_blob(NULL, 5)),
	                         NULL, NULL),
	                 ERR_OK);
	struct db_stmt *st;
	bool row;
	assert_int_equal(db_query(c, "SELECT i, s, b FROM n WHERE k = 1", DB_NOARGS, &st, NULL),
	                 ERR_OK);
	assert_int_equal(db_step(st, &row, NULL), ERR_OK);
	assert_true(row);
	size_t len = 99;
	for (int col = 0; col < 3; col++) {
		assert_true(db_col_is_null(st, col));
		assert_int_equal(db_col_int64(st, col), 0);
		assert_null(db_col_text(st, col, &len));
		assert_int_equal(len, 0);
		assert_null(db_col_blob(st, col, &len));
		assert_int_equal(len, 0);
	}
	/* Out-of-range columns read as NULL. */
	assert_true(db_col_is_null(st, 3));
	assert_true(db_col_is_null(st, -1));
	db_finish(st);
	int64_t v;
	char text[8];
	assert_int_equal(db_query_int64(c, "SELECT i FROM n", DB_NOARGS, &v, NULL), ERR_NOT_FOUND);
	assert_int_equal(db_query_text(c, "SELECT s FROM n", DB_NOARGS, text, sizeof text, NULL),
	                 ERR_NOT_FOUND);
	assert_int_equal(db_query_int64(c,
	                                "SELECT count(*) FROM n WHERE i IS NULL AND s IS NULL "
	                                "AND b IS NULL",
	                                DB_NOARGS, &v, NULL),
	                 ERR_OK);
	assert_int_equal(v, 1);
	/* A NULL parameter compares as unknown, so `= $1` with NULL finds nothing. */
	assert_int_equal(db_query_int64(c, "SELECT count(*) FROM n WHERE s = $1",
	                                DB_ARGS(db_null()), &v, NULL),
	                 ERR_OK);
	assert_int_equal(v, 0);
	/* No row at all is not a NULL value, but reads the same through db_query_int64. */
	assert_int_equal(db_query_int64(c, "SELECT i FROM n WHERE k = 2", DB_NOARGS, &v, NULL),
	                 ERR_NOT_FOUND);
}

static void test_blobs(void **state)
{
	struct db_conn *c = conn_of(db_of(state));
	exec_ok(c, "CREATE TABLE f (k INTEGER PRIMARY KEY, data BYTEA)");
	unsigned char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	size_t big_len = 1u << 20;
	unsigned char *big = malloc(big_len);
	assert_non_null(big);
	uint64_t x = 0x9e3779b97f4a7c15u;
	for (size_t i = 0; i < big_len; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		big[i] = (unsigned char)x;
	}
	const char tricky[] = "\\x00'\"\\\\ab";
	assert_int_equal(db_exec(c, "INSERT INTO f (k, data) VALUES ($1, $2)",
	                         DB_ARGS(db_int(1), db_blob(all, sizeof all)), NULL, NULL),
	                 ERR_OK);
	assert_int_equal(db_exec(c, "INSERT INTO f (k, data) VALUES ($1, $2)",
	                         DB_ARGS(db_int(2), db_blob("", 0)), NULL, NULL),
	                 ERR_OK);
	assert_int_equal(db_exec(c, "INSERT INTO f (k, data) VALUES ($1, $2)",
	                         DB_ARGS(db_int(3), db_blob(big, big_len)), NULL, NULL),
	                 ERR_OK);
	assert_int_equal(db_exec(c, "INSERT INTO f (k, data) VALUES ($1, $2)",
	                         DB_ARGS(db_int(4), db_blob(tricky, sizeof tricky - 1)), NULL,
	                         NULL),
	                 ERR_OK);
	struct db_stmt *st;
	bool row;
	size_t len;
	assert_int_equal(db_query(c, "SELECT k, data FROM f ORDER BY k", DB_NOARGS, &st, NULL),
	                 ERR_OK);
	assert_int_equal(db_step(st, &row, NULL), ERR_OK);
	assert_true(row);
	const void *p = db_col_blob(st, 1, &len);
	assert_int_equal(len, sizeof all);
	assert_memory_equal(p, all, sizeof all);
	/* The same pointer stays valid while the row is current. */
	assert_ptr_equal(db_col_blob(st, 1, &len), p);
	assert_int_equal(db_step(st, &row, NULL), ERR_OK);
	assert_true(row);
	/* An empty blob is not NULL, but has no bytes (db.h). */
	assert_false(db_col_is_null(st, 1));
	assert_null(db_col_blob(st, 1, &len));
	assert_int_equal(len, 0);
	assert_int_equal(db_step(st, &row, NULL), ERR_OK);
	assert_true(row);
	p = db_col_blob(st, 1, &len);
	assert_int_equal(len, big_len);
	assert_memory_equal(p, big, big_len);
	assert_int_equal(db_step(st, &row, NULL), ERR_OK);
	assert_true(row);
	p = db_col_blob(st, 1, &len);
	assert_int_equal(len, sizeof tricky - 1);
	assert_memory_equal(p, tricky, sizeof tricky - 1);
	assert_int_equal(db_step(st, &row, NULL), ERR_OK);
	assert_false(row);
	db_finish(st);
	/* Blobs compare by bytes in a WHERE clause. */
	int64_t v;
	assert_int_equal(db_query_int64(c, "SELECT k FROM f WHERE data = $1",
	                                DB_ARGS(db_blob(all, sizeof all)), &v, NULL),
	                 ERR_OK);
	assert_int_equal(v, 1);
	assert_int_equal(
	        db_query_int64(c, "SELECT length(data) FROM f WHERE k = 3", DB_NOARGS, &v, NULL),
	        ERR_OK);
	assert_int_equal(v, (int64_t)big_len);
	free(big);
}

/* Characters (not bytes) of UTF-8 text: bytes that do not continue a sequence. */
static int64_t utf8_chars(const char *s)
{
	int64_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void test_vietnamese_text(void **state)
{
	struct db_conn *c = conn_of(db_of(state));
	exec_ok(c, "CREATE TABLE v (k INTEGER PRIMARY KEY, s TEXT NOT NULL)");
	/* Names of Hanoi's wards and a centre, NFC, with every tone mark and letter of the
	 * Vietnamese alphabet that is outside ASCII. */
	static const char *const words[] = {
	        "Trung tâm Phục vụ hành chính công thành phố Hà Nội",
	        "Phường Hoàn Kiếm",
	        "Phường Đống Đa",
	        "Xã Sóc Sơn",
	        "Nguyễn Thị Ánh Tuyết",
	        ("ăâđêôơư ĂÂĐÊÔƠƯ àảãáạ ằẳẵắặ ầẩẫấậ èẻẽéẹ ềểễếệ ìỉĩíị òỏõóọ ồổỗốộ ờởỡớợ "
	         "ùủũúụ ừửữứự ỳỷỹýỵ"),
	};
	int nw = (int)(sizeof words / sizeof words[0]);
	for (int i = 0; i < nw; i++)
		assert_int_equal(db_exec(c, "INSERT INTO v (k, s) VALUES ($1, $2)",
		                         DB_ARGS(db_int(i), db_text(words[i])), NULL, NULL),
		                 ERR_OK);
	for (int i = 0; i < nw; i++) {
		char out[512];
		size_t len = 0;
		struct db_stmt *st;
		bool row;
		assert_int_equal(db_query(c, "SELECT s, length(s) FROM v WHERE k = $1",
		                          DB_ARGS(db_int(i)), &st, NULL),
		                 ERR_OK);
		assert_int_equal(db_step(st, &row, NULL), ERR_OK);
		assert_true(row);
		const char *s = db_col_text(st, 0, &len);
		assert_int_equal(len, strlen(words[i]));
		assert_memory_equal(s, words[i], len);
		/* length() counts characters on both engines. */
		assert_int_equal(db_col_int64(st, 1), utf8_chars(words[i]));
		db_finish(st);
		int64_t k = -1;
		assert_int_equal(db_query_int64(c, "SELECT k FROM v WHERE s = $1",
		                                DB_ARGS(db_text(words[i])), &k, NULL),
		                 ERR_OK);
		assert_int_equal(k, i);
		assert_int_equal(db_query_text(c, "SELECT s FROM v WHERE k = $1",
		                               DB_ARGS(db_int(i)), out, sizeof out, NULL),
		                 ERR_OK);
		assert_string_equal(out, words[i]);
	}
	/* db_textn: a length, not a NUL, ends the text. */
	int64_t k = -1;
	assert_int_equal(db_query_int64(c, "SELECT k FROM v WHERE s = $1",
	                                DB_ARGS(db_textn("Phường Hoàn Kiếm, Hà Nội",
	                                                 strlen("Phường Hoàn Kiếm"))),
	                                &k, NULL),
	                 ERR_OK);
	assert_int_equal(k, 1);
	/* Not UTF-8 (a lone Latin-1 byte, an overlong form, an embedded NUL): refused. */
	struct err e;
	err_clear(&e);
	assert_int_equal(db_exec(c, "INSERT INTO v (k, s) VALUES (99, $1)",
	                         DB_ARGS(db_text("Ph\xf0\x28\x8c\x28")), NULL, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_int_equal(db_exec(c, "INSERT INTO v (k, s) VALUES (99, $1)",
	                         DB_ARGS(db_text("\xc0\xaf")), NULL, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_int_equal(db_exec(c, "INSERT INTO v (k, s) VALUES (99, $1)",
	                         DB_ARGS(db_textn("a\0b", 3)), NULL, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_int_equal(int_of(c, "SELECT count(*) FROM v"), nw);
}

static void test_booleans_and_expressions(void **state)
{
	struct db_conn *c = conn_of(db_of(state));
	exec_ok(c, "CREATE TABLE b (k INTEGER PRIMARY KEY)");
	exec_ok(c, "INSERT INTO b (k) VALUES (1)");
	/* A comparison reads as 1 / 0 on both engines (PostgreSQL answers a boolean). */
	assert_int_equal(int_of(c, "SELECT 1 = 1"), 1);
	assert_int_equal(int_of(c, "SELECT 1 = 2"), 0);
	assert_int_equal(int_of(c, "SELECT EXISTS (SELECT 1 FROM b WHERE k = 1)"), 1);
	char text[8];
	assert_int_equal(db_query_text(c, "SELECT 2 > 1", DB_NOARGS, text, sizeof text, NULL),
	                 ERR_OK);
	assert_string_equal(text, "1");
	/* An untyped parameter alone reads back as given; a value too long for the
	 * caller's buffer is an error, not a truncation. */
	char word[16];
	assert_int_equal(
	        db_query_text(c, "SELECT $1", DB_ARGS(db_text("Hà Nội")), word, sizeof word, NULL),
	        ERR_OK);
	assert_string_equal(word, "Hà Nội");
	assert_int_equal(
	        db_query_text(c, "SELECT $1", DB_ARGS(db_text("Hà Nội")), text, sizeof text, NULL),
	        ERR_TOO_LONG);
	int64_t v;
	assert_int_equal(db_query_int64(c, "SELECT $1", DB_ARGS(db_int(-42)), &v, NULL), ERR_OK);
	assert_int_equal(v, -42);
	/* sum() of a BIGINT (numeric on PostgreSQL) and CAST both read as integers. */
	assert_int_equal(int_of(c, "SELECT sum(CAST(k AS BIGINT)) FROM b"), 1);
	assert_int_equal(db_query_int64(c, "SELECT CAST($1 AS BIGINT) + 1",
	                                DB_ARGS(db_int((int64_t)1 << 40)), &v, NULL),
	                 ERR_OK);
	assert_true(v == ((int64_t)1 << 40) + 1);
}

/* ---- errors ---- */

static enum err_code insert_u_one(struct db_conn *c, void *ctx, struct err *e)
{
	(void)ctx;
	return db_exec(c, "INSERT INTO u (k) VALUES (1)", DB_NOARGS, NULL, e);
}

static void test_constraint_classes(void **state)
{
	struct db_conn *c = conn_of(db_of(state));
	exec_ok(c, "CREATE TABLE p (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
	           "n INTEGER CHECK (n >= 0))");
	exec_ok(c, "CREATE TABLE ch (id TEXT PRIMARY KEY, p_id TEXT NOT NULL REFERENCES p (id))");
	exec_ok(c, "INSERT INTO p (id, name, n) VALUES ('a', 'Hà Nội', 1)");
	struct err e;
	err_clear(&e);
	/* Unique and primary key: ERR_DB_CONFLICT (HTTP 409). */
	assert_int_equal(db_exec(c, "INSERT INTO p (id, name) VALUES ($1, $2)",
	                         DB_ARGS(db_text("a"), db_text("other")), NULL, &e),
	                 ERR_DB_CONFLICT);
	assert_true(strlen(e.detail) > 0);
	err_clear(&e);
	assert_int_equal(db_exec(c, "INSERT INTO p (id, name) VALUES ($1, $2)",
	                         DB_ARGS(db_text("b"), db_text("Hà Nội")), NULL, &e),
	                 ERR_DB_CONFLICT);
	/* Foreign key, check, not null: ERR_DB_CONSTRAINT. */
	assert_int_equal(
	        db_exec(c, "INSERT INTO ch (id, p_id) VALUES ('x', 'nope')", DB_NOARGS, NULL, &e),
	        ERR_DB_CONSTRAINT);
	assert_int_equal(db_exec(c, "INSERT INTO p (id, name, n) VALUES ('c', 'c', -1)", DB_NOARGS,
	                         NULL, &e),
	                 ERR_DB_CONSTRAINT);
	assert_int_equal(
	        db_exec(c, "INSERT INTO p (id, name) VALUES ('d', NULL)", DB_NOARGS, NULL, &e),
	        ERR_DB_CONSTRAINT);
	/* Other errors: ERR_DB_ERROR with the engine's message. */
	err_clear(&e);
	assert_int_equal(db_exec(c, "SELECT nope FROM p", DB_NOARGS, NULL, &e), ERR_DB_ERROR);
	assert_non_null(strstr(e.detail, "nope"));
	assert_int_equal(
	        db_exec(c, "INSERT INTO no_such_table (a) VALUES (1)", DB_NOARGS, NULL, &e),
	        ERR_DB_ERROR);
	/* The connection is still usable after each failure. */
	assert_int_equal(int_of(c, "SELECT count(*) FROM p"), 1);
	assert_int_equal(int_of(c, "SELECT count(*) FROM ch"), 0);
	/* Through the runner: a conflict is not retried. */
	struct db_stats before, after;
	db_stats(db_of(state), &before);
	exec_ok(c, "CREATE TABLE u (k INTEGER PRIMARY KEY)");
	exec_ok(c, "INSERT INTO u (k) VALUES (1)");
	struct err e2;
	err_clear(&e2);
	assert_int_equal(db_run_txn(db_of(state), DB_TXN_SERIALIZABLE, insert_u_one, NULL, &e2),
	                 ERR_DB_CONFLICT);
	db_stats(db_of(state), &after);
	assert_int_equal(after.txn_retries, before.txn_retries);
	assert_int_equal(after.txn_busy_fail, before.txn_busy_fail);
}

static void test_backup_refused_or_done(void **state)
{
	/* PostgreSQL has its own tools (pg_dump, pg_basebackup): db_backup says so. */
	struct db *db = db_of(state);
	struct err e;
	err_clear(&e);
	char path[512];
	snprintf(path, sizeof path, "/tmp/motcua-engine-backup-%ld.db", (long)getpid());
	unlink(path);
	enum err_code rc = db_backup(db, path, NULL, &e);
	if (engine_is_pg()) {
		assert_int_equal(rc, ERR_CONFIG_INVALID);
		assert_non_null(strstr(e.detail, "engine's own tools"));
	} else {
		assert_int_equal(rc, ERR_OK);
	}
	unlink(path);
}

/* ---- transactions ---- */

static enum err_code insert_then_fail(struct db_conn *c, void *ctx, struct err *e)
{
	int *mode = ctx;
	for (int i = 1; i <= 3; i++) {
		enum err_code rc =
		        db_exec(c, "INSERT INTO r (k) VALUES ($1)", DB_ARGS(db_int(i)), NULL, e);
		if (rc != ERR_OK)
			return rc;
	}
	if (*mode == 0)
		return err_set(e, ERR_GUARD_FAILED, "a rule of the use case says no");
	/* A conflict in the middle: the whole transaction goes. */
	return db_exec(c, "INSERT INTO r (k) VALUES (2)", DB_NOARGS, NULL, e);
}

static void test_rollback_leaves_nothing(void **state)
{
	struct db *db = db_of(state);
	struct db_conn *c = conn_of(db);
	exec_ok(c, "CREATE TABLE r (k INTEGER PRIMARY KEY)");
	struct err e;
	err_clear(&e);
	int mode = 0;
	assert_int_equal(db_run_txn(db, DB_TXN_WRITE, insert_then_fail, &mode, &e),
	                 ERR_GUARD_FAILED);
	assert_int_equal(int_of(c, "SELECT count(*) FROM r"), 0);
	mode = 1;
	assert_int_equal(db_run_txn(db, DB_TXN_SERIALIZABLE, insert_then_fail, &mode, &e),
	                 ERR_DB_CONFLICT);
	assert_int_equal(int_of(c, "SELECT count(*) FROM r"), 0);
	assert_false(db_in_txn(c));
	/* By hand: begin, write, rollback. */
	assert_int_equal(db_begin(c, DB_TXN_WRITE, &e), ERR_OK);
	assert_true(db_in_txn(c));
	exec_ok(c, "INSERT INTO r (k) VALUES (10)");
	assert_int_equal(int_of(c, "SELECT count(*) FROM r"), 1);
	db_rollback(c);
	assert_false(db_in_txn(c));
	assert_int_equal(int_of(c, "SELECT count(*) FROM r"), 0);
	db_rollback(c); /* no-op outside a transaction */
	/* And a commit keeps it. */
	mode = 0;
	assert_int_equal(db_begin(c, DB_TXN_WRITE, &e), ERR_OK);
	assert_int_equal(db_begin(c, DB_TXN_WRITE, &e), ERR_INTERNAL);
	exec_ok(c, "INSERT INTO r (k) VALUES (11)");
	assert_int_equal(db_commit(c, &e), ERR_OK);
	assert_int_equal(int_of(c, "SELECT count(*) FROM r"), 1);
	assert_int_equal(db_commit(c, &e), ERR_INTERNAL);
}

static enum err_code write_in_read(struct db_conn *c, void *ctx, struct err *e)
{
	(void)ctx;
	return db_exec(c, "INSERT INTO w (k) VALUES (1)", DB_NOARGS, NULL, e);
}

struct snap {
	struct db_conn *other;
	int64_t first, second;
};

static enum err_code read_twice(struct db_conn *c, void *ctx, struct err *e)
{
	struct snap *s = ctx;
	enum err_code rc = db_query_int64(c, "SELECT count(*) FROM w", DB_NOARGS, &s->first, e);
	if (rc != ERR_OK)
		return rc;
	/* Another connection commits a row meanwhile. */
	rc = db_exec(s->other, "INSERT INTO w (k) VALUES (2)", DB_NOARGS, NULL, e);
	if (rc != ERR_OK)
		return rc;
	return db_query_int64(c, "SELECT count(*) FROM w", DB_NOARGS, &s->second, e);
}

static void test_read_transactions(void **state)
{
	struct db *db = db_of(state);
	struct db_conn *c = conn_of(db);
	exec_ok(c, "CREATE TABLE w (k INTEGER PRIMARY KEY)");
	struct err e;
	err_clear(&e);
	/* A read transaction refuses writes (PostgreSQL: READ ONLY; SQLite: checked). */
	assert_int_equal(db_run_txn(db, DB_TXN_READ, write_in_read, NULL, &e), ERR_DB_ERROR);
	assert_int_equal(int_of(c, "SELECT count(*) FROM w"), 0);
	/* ... and sees one snapshot from its first read on. */
	struct snap s = {0};
	assert_int_equal(db_conn_open(db, &s.other, &e), ERR_OK);
	assert_int_equal(db_run_txn(db, DB_TXN_READ, read_twice, &s, &e), ERR_OK);
	assert_int_equal(s.first, 0);
	assert_int_equal(s.second, 0);
	assert_int_equal(int_of(c, "SELECT count(*) FROM w"), 1);
	db_conn_close(s.other);
}

/* --- PostgreSQL only: a serialization failure, then the runner's retry --- */

static enum err_code bump(struct db_conn *c, void *ctx, struct err *e)
{
	(void)ctx;
	return db_exec(c, "UPDATE counter SET value = value + 1 WHERE name = 'n'", DB_NOARGS, NULL,
	               e);
}

struct ser {
	struct db_conn *other;
	int attempts;
};

/* Reads the counter, lets another connection change it on the first attempt, writes. */
static enum err_code read_then_write(struct db_conn *c, void *ctx, struct err *e)
{
	struct ser *x = ctx;
	int64_t v;
	x->attempts++;
	enum err_code rc =
	        db_query_int64(c, "SELECT value FROM counter WHERE name = 'n'", DB_NOARGS, &v, e);
	if (rc != ERR_OK)
		return rc;
	if (x->attempts == 1 && x->other) {
		struct err e2;
		err_clear(&e2);
		rc = db_conn_run_txn(x->other, DB_TXN_WRITE, bump, NULL, &e2);
		if (rc != ERR_OK)
			return err_set(e, rc, "other: %s", e2.detail);
	}
	return db_exec(c, "UPDATE counter SET value = $1 WHERE name = 'n'", DB_ARGS(db_int(v + 1)),
	               NULL, e);
}

static void test_serializable_conflict_retried(void **state)
{
	struct db *db = db_of(state);
	struct db_conn *c = conn_of(db);
	exec_ok(c, "CREATE TABLE counter (name TEXT PRIMARY KEY, value BIGINT NOT NULL)");
	exec_ok(c, "INSERT INTO counter (name, value) VALUES ('n', 0)");
	struct ser x = {0};
	struct err e;
	err_clear(&e);
	assert_int_equal(db_conn_open(db, &x.other, &e), ERR_OK);

	/* By hand: the write after the other's commit fails with 40001 = ERR_DB_BUSY. */
	int64_t v;
	assert_int_equal(db_begin(c, DB_TXN_SERIALIZABLE, &e), ERR_OK);
	assert_int_equal(db_query_int64(c, "SELECT value FROM counter", DB_NOARGS, &v, &e), ERR_OK);
	assert_int_equal(db_conn_run_txn(x.other, DB_TXN_WRITE, bump, NULL, &e), ERR_OK);
	err_clear(&e);
	assert_int_equal(
	        db_exec(c, "UPDATE counter SET value = $1", DB_ARGS(db_int(v + 1)), NULL, &e),
	        ERR_DB_BUSY);
	assert_non_null(strstr(e.detail, "serialize"));
	assert_true(db_retryable(ERR_DB_BUSY));
	db_rollback(c);
	assert_int_equal(int_of(c, "SELECT value FROM counter"), 1);

	/* Through the runner: the first attempt fails, the second commits on fresh data. */
	struct db_stats before, after;
	db_stats(db, &before);
	assert_int_equal(db_run_txn(db, DB_TXN_SERIALIZABLE, read_then_write, &x, &e), ERR_OK);
	db_stats(db, &after);
	assert_int_equal(x.attempts, 2);
	assert_int_equal(after.txn_retries - before.txn_retries, 1);
	assert_int_equal(int_of(c, "SELECT value FROM counter"), 3);

	/* Under READ COMMITTED the same interleaving loses the other's update: this is why
	 * read-then-write logic runs as DB_TXN_SERIALIZABLE (db.h). */
	x.attempts = 0;
	assert_int_equal(db_run_txn(db, DB_TXN_WRITE, read_then_write, &x, &e), ERR_OK);
	assert_int_equal(x.attempts, 1);
	assert_int_equal(int_of(c, "SELECT value FROM counter"), 4); /* not 5 */
	db_conn_close(x.other);
}

/* --- every engine: concurrent increments are exact --- */

struct worker {
	struct db *db;
	enum db_txn_mode mode;
	int n;
	int failures;
	int64_t *got; /* upsert: the numbers handed out */
	char detail[ERR_DETAIL_MAX];
};

static void *serial_incr(void *arg)
{
	struct worker *w = arg;
	struct ser x = {0};
	for (int i = 0; i < w->n; i++) {
		struct err e;
		err_clear(&e);
		x.attempts = 0;
		if (db_run_txn(w->db, DB_TXN_SERIALIZABLE, read_then_write, &x, &e) != ERR_OK) {
			w->failures++;
			memcpy(w->detail, e.detail, sizeof w->detail);
		}
	}
	return NULL;
}

static void test_serializable_threads_exact(void **state)
{
	struct engine_db *fx = *state;
	struct db_conn *c = conn_of(fx->db);
	exec_ok(c, "CREATE TABLE counter (name TEXT PRIMARY KEY, value BIGINT NOT NULL)");
	exec_ok(c, "INSERT INTO counter (name, value) VALUES ('n', 0)");
	/* Many attempts allowed: four threads on one row conflict often on PostgreSQL. */
	struct db_options opt = {.txn_max_attempts = 100000, .backoff_max_ms = 5};
	struct db *db;
	assert_int_equal(engine_reopen(fx, &opt, &db, NULL), ERR_OK);
	enum { THREADS = 4, PER = 200 };
	pthread_t th[THREADS];
	struct worker w[THREADS];
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){.db = db, .n = PER};
		assert_int_equal(pthread_create(&th[i], NULL, serial_incr, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		if (w[i].failures)
			print_error("thread %d: %d failures, last: %s\n", i, w[i].failures,
			            w[i].detail);
		assert_int_equal(w[i].failures, 0);
	}
	assert_int_equal(int_of(c, "SELECT value FROM counter"), THREADS * PER);
	struct db_stats st;
	db_stats(db, &st);
	assert_true(st.txns >= THREADS * PER);
	printf("# serializable: %d commits, %llu retries\n", THREADS * PER,
	       (unsigned long long)st.txn_retries);
	db_close(db);
}

struct upsert {
	int64_t n;
};

static enum err_code next_number(struct db_conn *c, void *ctx, struct err *e)
{
	struct upsert *u = ctx;
	return db_query_int64(c,
	                      "INSERT INTO counter (name, value) VALUES ($1, 1) ON CONFLICT (name) "
	                      "DO UPDATE SET value = counter.value + 1 RETURNING value",
	                      DB_ARGS(db_text("seq:UBND-00004:20251027")), &u->n, e);
}

static void *upsert_loop(void *arg)
{
	struct worker *w = arg;
	for (int i = 0; i < w->n; i++) {
		struct upsert u = {0};
		struct err e;
		err_clear(&e);
		if (db_run_txn(w->db, DB_TXN_WRITE, next_number, &u, &e) != ERR_OK) {
			w->failures++;
			memcpy(w->detail, e.detail, sizeof w->detail);
			continue;
		}
		w->got[i] = u.n;
	}
	return NULL;
}

static void test_upsert_numbers_unique(void **state)
{
	/* The daily dossier sequence pattern (db.h): one upsert RETURNING per number, at
	 * READ COMMITTED on PostgreSQL; numbers must come out 1..N, each once. */
	struct engine_db *fx = *state;
	struct db_conn *c = conn_of(fx->db);
	exec_ok(c, "CREATE TABLE counter (name TEXT PRIMARY KEY, value BIGINT NOT NULL)");
	struct db_options opt = {.txn_max_attempts = 1000, .busy_timeout_ms = 5000};
	struct db *db;
	assert_int_equal(engine_reopen(fx, &opt, &db, NULL), ERR_OK);
	enum { THREADS = 4, PER = 200 };
	pthread_t th[THREADS];
	struct worker w[THREADS];
	static int64_t got[THREADS][PER];
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){.db = db, .n = PER, .got = got[i]};
		assert_int_equal(pthread_create(&th[i], NULL, upsert_loop, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		if (w[i].failures)
			print_error("thread %d: %s\n", i, w[i].detail);
		assert_int_equal(w[i].failures, 0);
	}
	static bool seen[THREADS * PER + 1];
	memset(seen, 0, sizeof seen);
	for (int i = 0; i < THREADS; i++)
		for (int j = 0; j < PER; j++) {
			int64_t n = got[i][j];
			assert_true(n >= 1 && n <= THREADS * PER);
			assert_false(seen[n]);
			seen[n] = true;
			/* Each thread sees its own numbers rise. */
			if (j > 0)
				assert_true(got[i][j] > got[i][j - 1]);
		}
	struct db_stats st;
	db_stats(db, &st);
	assert_true(st.conns_opened >= THREADS + 1);
	db_close(db);
}

/* --- PostgreSQL only: a deadlock is broken and the victim runs again --- */

struct dl {
	struct db *db;
	const char *first, *second;
	atomic_int *mine, *theirs;
	atomic_int attempts;
	enum err_code rc;
	char detail[ERR_DETAIL_MAX];
};

static enum err_code cross_update(struct db_conn *c, void *ctx, struct err *e)
{
	struct dl *d = ctx;
	int attempt = atomic_fetch_add(&d->attempts, 1) + 1;
	enum err_code rc = db_exec(c, "UPDATE counter SET value = value + 1 WHERE name = $1",
	                           DB_ARGS(db_text(d->first)), NULL, e);
	if (rc != ERR_OK)
		return rc;
	if (attempt == 1) {
		/* Both hold their first row before either asks for its second. */
		atomic_store(d->mine, 1);
		if (!wait_flag(d->theirs))
			return err_set(e, ERR_INTERNAL, "the other thread never came");
	}
	return db_exec(c, "UPDATE counter SET value = value + 1 WHERE name = $1",
	               DB_ARGS(db_text(d->second)), NULL, e);
}

static void *deadlock_side(void *arg)
{
	struct dl *d = arg;
	struct err e;
	err_clear(&e);
	d->rc = db_run_txn(d->db, DB_TXN_WRITE, cross_update, d, &e);
	memcpy(d->detail, e.detail, sizeof d->detail);
	return NULL;
}

static void test_deadlock_retried(void **state)
{
	struct db *db = db_of(state);
	struct db_conn *c = conn_of(db);
	exec_ok(c, "CREATE TABLE counter (name TEXT PRIMARY KEY, value BIGINT NOT NULL)");
	exec_ok(c, "INSERT INTO counter (name, value) VALUES ('a', 0), ('b', 0)");
	atomic_int fa = 0, fb = 0;
	struct dl a = {.db = db, .first = "a", .second = "b", .mine = &fa, .theirs = &fb};
	struct dl b = {.db = db, .first = "b", .second = "a", .mine = &fb, .theirs = &fa};
	struct db_stats before, after;
	db_stats(db, &before);
	pthread_t ta, tb;
	assert_int_equal(pthread_create(&ta, NULL, deadlock_side, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, deadlock_side, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	if (a.rc != ERR_OK || b.rc != ERR_OK)
		print_error("a: %s\nb: %s\n", a.detail, b.detail);
	assert_int_equal(a.rc, ERR_OK);
	assert_int_equal(b.rc, ERR_OK);
	/* At least one was chosen as the victim and ran again (a retry may meet the other
	 * transaction once more and deadlock again: every extra attempt is a retry). */
	int attempts = atomic_load(&a.attempts) + atomic_load(&b.attempts);
	assert_true(attempts >= 3);
	db_stats(db, &after);
	assert_int_equal(after.txn_retries - before.txn_retries, (uint64_t)attempts - 2);
	assert_int_equal(int_of(c, "SELECT value FROM counter WHERE name = 'a'"), 2);
	assert_int_equal(int_of(c, "SELECT value FROM counter WHERE name = 'b'"), 2);
}

/* --- PostgreSQL only: a failed statement ends the transaction --- */

static enum err_code swallow_conflict(struct db_conn *c, void *ctx, struct err *e)
{
	(void)ctx;
	enum err_code rc = db_exec(c, "INSERT INTO r (k) VALUES (1)", DB_NOARGS, NULL, e);
	if (rc != ERR_OK)
		return rc;
	(void)db_exec(c, "INSERT INTO r (k) VALUES (1)", DB_NOARGS, NULL, NULL);
	err_clear(e);
	return ERR_OK; /* wrong: the conflict is ignored */
}

static void test_failed_statement_ends_txn(void **state)
{
	struct db *db = db_of(state);
	struct db_conn *c = conn_of(db);
	exec_ok(c, "CREATE TABLE r (k INTEGER PRIMARY KEY)");
	struct err e;
	err_clear(&e);
	/* The commit is refused, not turned into a silent rollback. */
	assert_int_equal(db_run_txn(db, DB_TXN_WRITE, swallow_conflict, NULL, &e), ERR_DB_ERROR);
	assert_non_null(strstr(e.detail, "failed"));
	assert_int_equal(int_of(c, "SELECT count(*) FROM r"), 0);
	assert_false(db_in_txn(c));
}

/* ---- statements ---- */

static void test_changes(void **state)
{
	struct db_conn *c = conn_of(db_of(state));
	exec_ok(c, "CREATE TABLE ch (k INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
	int64_t n = -1;
	for (int i = 1; i <= 5; i++) {
		assert_int_equal(db_exec(c, "INSERT INTO ch (k, v) VALUES ($1, 0)",
		                         DB_ARGS(db_int(i)), &n, NULL),
		                 ERR_OK);
		assert_int_equal(n, 1);
	}
	assert_int_equal(
	        db_exec(c, "UPDATE ch SET v = v + 1 WHERE k <= $1", DB_ARGS(db_int(3)), &n, NULL),
	        ERR_OK);
	assert_int_equal(n, 3);
	assert_int_equal(db_exec(c, "SELECT k FROM ch", DB_NOARGS, &n, NULL), ERR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(db_exec(c, "DELETE FROM ch WHERE v = 0", DB_NOARGS, &n, NULL), ERR_OK);
	assert_int_equal(n, 2);
	/* INSERT ... RETURNING: a row, then the change count once done. */
	struct db_stmt *st;
	bool row;
	assert_int_equal(db_query(c, "INSERT INTO ch (k, v) VALUES ($1, $2) RETURNING k + v",
	                          DB_ARGS(db_int(9), db_int(1)), &st, NULL),
	                 ERR_OK);
	assert_int_equal(db_step(st, &row, NULL), ERR_OK);
	assert_true(row);
	assert_int_equal(db_col_int64(st, 0), 10);
	assert_int_equal(db_step(st, &row, NULL), ERR_OK);
	assert_false(row);
	assert_int_equal(db_changes(st), 1);
	/* Stepping past the end stays at the end. */
	assert_int_equal(db_step(st, &row, NULL), ERR_OK);
	assert_false(row);
	db_finish(st);
	/* An upsert that updates counts one change. */
	assert_int_equal(db_exec(c,
	                         "INSERT INTO ch (k, v) VALUES (9, 5) ON CONFLICT (k) DO UPDATE "
	                         "SET v = ch.v + 1",
	                         DB_NOARGS, &n, NULL),
	                 ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(int_of(c, "SELECT v FROM ch WHERE k = 9"), 2);
	/* ON CONFLICT DO NOTHING: no change, no error. */
	assert_int_equal(db_exec(c, "INSERT INTO ch (k, v) VALUES (9, 5) ON CONFLICT DO NOTHING",
	                         DB_NOARGS, &n, NULL),
	                 ERR_OK);
	assert_int_equal(n, 0);
}

static void test_statement_cache(void **state)
{
	struct engine_db *fx = *state;
	struct db_conn *c = conn_of(fx->db);
	exec_ok(c, "CREATE TABLE s (k INTEGER PRIMARY KEY, v TEXT)");
	for (int i = 0; i < 10; i++) {
		char v[8];
		snprintf(v, sizeof v, "v%d", i);
		assert_int_equal(db_exec(c, "INSERT INTO s (k, v) VALUES ($1, $2)",
		                         DB_ARGS(db_int(i), db_text(v)), NULL, NULL),
		                 ERR_OK);
	}
	struct db_conn_stats a, b;
	db_conn_stats(c, &a);
	int64_t v;
	for (int i = 0; i < 5; i++)
		assert_int_equal(db_query_int64(c, "SELECT count(*) FROM s WHERE k < $1",
		                                DB_ARGS(db_int(i)), &v, NULL),
		                 ERR_OK);
	db_conn_stats(c, &b);
	assert_int_equal(b.prepares - a.prepares, 1);
	assert_int_equal(b.cache_hits - a.cache_hits, 4);
	/* The same statement open twice at once (a query inside a loop over its rows). */
	struct db_stmt *outer, *inner;
	bool row;
	int rows = 0;
	assert_int_equal(db_query(c, "SELECT k FROM s WHERE k < $1 ORDER BY k", DB_ARGS(db_int(3)),
	                          &outer, NULL),
	                 ERR_OK);
	while (db_step(outer, &row, NULL) == ERR_OK && row) {
		assert_int_equal(db_query(c, "SELECT k FROM s WHERE k < $1 ORDER BY k",
		                          DB_ARGS(db_int(10)), &inner, NULL),
		                 ERR_OK);
		int inner_rows = 0;
		while (db_step(inner, &row, NULL) == ERR_OK && row)
			inner_rows++;
		db_finish(inner);
		assert_int_equal(inner_rows, 10);
		/* ... and another statement writing meanwhile. */
		assert_int_equal(db_col_int64(outer, 0), rows);
		assert_int_equal(db_exec(c, "UPDATE s SET v = $1 WHERE k = $2",
		                         DB_ARGS(db_text("seen"), db_int(db_col_int64(outer, 0))),
		                         NULL, NULL),
		                 ERR_OK);
		rows++;
	}
	db_finish(outer);
	assert_int_equal(rows, 3);
	assert_int_equal(int_of(c, "SELECT count(*) FROM s WHERE v = 'seen'"), 3);

	/* A cache of two statements, three statements in turn: evicted ones come back. */
	struct db_options opt = {.stmt_cache_size = 2};
	struct db *small;
	assert_int_equal(engine_reopen(fx, &opt, &small, NULL), ERR_OK);
	struct db_conn *sc = conn_of(small);
	static const char *const sqls[] = {
	        "SELECT v FROM s WHERE k = $1",
	        "SELECT v FROM s WHERE k = $1 + 0",
	        "SELECT v FROM s WHERE $1 = k",
	};
	for (int round = 0; round < 4; round++)
		for (int i = 0; i < 3; i++) {
			char out[16];
			assert_int_equal(db_query_text(sc, sqls[i], DB_ARGS(db_int(5)), out,
			                               sizeof out, NULL),
			                 ERR_OK);
			assert_string_equal(out, "v5");
		}
	struct db_conn_stats ss;
	db_conn_stats(sc, &ss);
	assert_true(ss.prepares >= 12); /* every use missed the cache */
	/* Three statements open at once with a cache of two. */
	struct db_stmt *q[3];
	for (int i = 0; i < 3; i++)
		assert_int_equal(db_query(sc, sqls[i], DB_ARGS(db_int(i + 5)), &q[i], NULL),
		                 ERR_OK);
	for (int i = 2; i >= 0; i--) {
		assert_int_equal(db_step(q[i], &row, NULL), ERR_OK);
		assert_true(row);
		char want[8];
		snprintf(want, sizeof want, "v%d", i + 5);
		assert_string_equal(db_col_text(q[i], 0, NULL), want);
		db_finish(q[i]);
	}
	db_close(small);
}

static void test_integer_width(void **state)
{
	struct db_conn *c = conn_of(db_of(state));
	exec_ok(c, "CREATE TABLE iw (k INTEGER PRIMARY KEY, small INTEGER, big BIGINT)");
	/* Values past 32 bits belong in BIGINT columns: exact on both engines. */
	int64_t big = 1761537600LL * 1000; /* an epoch time in milliseconds */
	assert_int_equal(db_exec(c, "INSERT INTO iw (k, small, big) VALUES (1, $1, $2)",
	                         DB_ARGS(db_int(INT32_MAX), db_int(big)), NULL, NULL),
	                 ERR_OK);
	assert_int_equal(int_of(c, "SELECT big FROM iw WHERE k = 1"), big);
	assert_int_equal(int_of(c, "SELECT small FROM iw WHERE k = 1"), INT32_MAX);
	struct err e;
	err_clear(&e);
	enum err_code rc = db_exec(c, "INSERT INTO iw (k, small) VALUES (2, $1)",
	                           DB_ARGS(db_int((int64_t)INT32_MAX + 1)), NULL, &e);
	if (engine_is_pg()) {
		/* INTEGER is 32 bits on PostgreSQL: refused, never truncated. */
		assert_int_equal(rc, ERR_DB_ERROR);
		assert_non_null(strstr(e.detail, "BIGINT"));
		assert_int_equal(int_of(c, "SELECT count(*) FROM iw"), 1);
	} else {
		assert_int_equal(rc, ERR_OK); /* SQLite's INTEGER holds 64 bits */
	}
}

/* ---- connections ---- */

struct tc {
	struct db *db;
	struct db_conn *conn;
	int64_t value;
	enum err_code rc;
};

static void *thread_conn_probe(void *arg)
{
	struct tc *t = arg;
	t->rc = db_thread_conn(t->db, &t->conn, NULL);
	if (t->rc == ERR_OK)
		t->rc = db_query_int64(t->conn, "SELECT count(*) FROM tc", DB_NOARGS, &t->value,
		                       NULL);
	return NULL;
}

static void test_thread_connections(void **state)
{
	struct db *db = db_of(state);
	struct db_conn *c = conn_of(db);
	exec_ok(c, "CREATE TABLE tc (k INTEGER PRIMARY KEY)");
	exec_ok(c, "INSERT INTO tc (k) VALUES (1)");
	enum { N = 4 };
	struct tc t[N];
	pthread_t th[N];
	for (int i = 0; i < N; i++) {
		t[i] = (struct tc){.db = db};
		assert_int_equal(pthread_create(&th[i], NULL, thread_conn_probe, &t[i]), 0);
	}
	for (int i = 0; i < N; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(t[i].rc, ERR_OK);
		assert_int_equal(t[i].value, 1);
	}
	/* The calling thread keeps its own connection. */
	struct db_conn *again;
	assert_int_equal(db_thread_conn(db, &again, NULL), ERR_OK);
	assert_ptr_equal(again, c);
	struct db_stats st;
	db_stats(db, &st);
	assert_true(st.conns_opened >= N + 1);
}

static int64_t backend_pid(struct db_conn *c)
{
	return int_of(c, "SELECT pg_backend_pid()");
}

static void terminate(int64_t pid)
{
	struct db_conn *admin;
	assert_int_equal(db_thread_conn(engine_admin, &admin, NULL), ERR_OK);
	int64_t ok = 0;
	/* pg_terminate_backend(pid, timeout) waits until the backend is gone (PostgreSQL 14+). */
	assert_int_equal(db_query_int64(admin, "SELECT pg_terminate_backend($1, 10000)",
	                                DB_ARGS(db_int(pid)), &ok, NULL),
	                 ERR_OK);
	assert_int_equal(ok, 1);
}

static enum err_code count_rows_txn(struct db_conn *c, void *ctx, struct err *e)
{
	return db_query_int64(c, "SELECT count(*) FROM rc", DB_NOARGS, ctx, e);
}

static enum err_code insert_row_txn(struct db_conn *c, void *ctx, struct err *e)
{
	int64_t *k = ctx;
	return db_exec(c, "INSERT INTO rc (k) VALUES ($1)", DB_ARGS(db_int(*k)), NULL, e);
}

static void test_reconnect_after_terminate(void **state)
{
	struct db *db = db_of(state);
	struct db_conn *c = conn_of(db);
	exec_ok(c, "CREATE TABLE rc (k INTEGER PRIMARY KEY)");
	int64_t k = 1, n = -1;
	assert_int_equal(db_run_txn(db, DB_TXN_WRITE, insert_row_txn, &k, NULL), ERR_OK);

	/* The server ends the connection between two transactions: the next one
	 * reconnects by itself, and its cached statements are prepared again. */
	int64_t pid = backend_pid(c);
	terminate(pid);
	struct err e;
	err_clear(&e);
	assert_int_equal(db_run_txn(db, DB_TXN_READ, count_rows_txn, &n, &e), ERR_OK);
	assert_int_equal(n, 1);
	assert_true(backend_pid(c) != pid);
	k = 2;
	assert_int_equal(db_run_txn(db, DB_TXN_WRITE, insert_row_txn, &k, &e), ERR_OK);

	/* A statement outside a transaction fails once (it may or may not have run, so
	 * it is not repeated behind the caller's back), then the connection comes back. */
	terminate(backend_pid(c));
	err_clear(&e);
	assert_int_equal(db_query_int64(c, "SELECT count(*) FROM rc", DB_NOARGS, &n, &e),
	                 ERR_DB_ERROR);
	assert_non_null(strstr(e.detail, "connection"));
	assert_int_equal(int_of(c, "SELECT count(*) FROM rc"), 2);

	/* Lost inside a transaction: ERR_DB_BUSY, which the runner retries. */
	assert_int_equal(db_begin(c, DB_TXN_WRITE, &e), ERR_OK);
	terminate(backend_pid(c));
	err_clear(&e);
	assert_int_equal(db_exec(c, "INSERT INTO rc (k) VALUES (3)", DB_NOARGS, NULL, &e),
	                 ERR_DB_BUSY);
	db_rollback(c);
	assert_false(db_in_txn(c));
	assert_int_equal(int_of(c, "SELECT count(*) FROM rc"), 2);
}

static enum err_code select_one(struct db_conn *c, void *ctx, struct err *e)
{
	return db_query_int64(c, "SELECT 1", DB_NOARGS, ctx, e);
}

static void test_reconnect_after_restart(void **state)
{
	const char *cmd = getenv("MOTCUA_TEST_PG_RESTART");
	assert_non_null(cmd);
	struct db *db = db_of(state);
	struct db_conn *c = conn_of(db);
	exec_ok(c, "CREATE TABLE rc (k INTEGER PRIMARY KEY)");
	int64_t k = 1, n = -1;
	assert_int_equal(db_run_txn(db, DB_TXN_WRITE, insert_row_txn, &k, NULL), ERR_OK);
	struct db_conn *c2;
	assert_int_equal(db_conn_open(db, &c2, NULL), ERR_OK);
	assert_int_equal(int_of(c2, "SELECT count(*) FROM rc"), 1);

	/* pg_ctl restart -m fast: every connection is cut; the server comes back. */
	assert_int_equal(system(cmd), 0);

	struct err e;
	err_clear(&e);
	assert_int_equal(db_run_txn(db, DB_TXN_READ, count_rows_txn, &n, &e), ERR_OK);
	assert_int_equal(n, 1);
	k = 2;
	assert_int_equal(db_run_txn(db, DB_TXN_WRITE, insert_row_txn, &k, &e), ERR_OK);
	assert_int_equal(db_conn_run_txn(c2, DB_TXN_READ, count_rows_txn, &n, &e), ERR_OK);
	assert_int_equal(n, 2);
	db_conn_close(c2);
	/* The administrative connection of the fixture comes back the same way. */
	n = 0;
	assert_int_equal(db_run_txn(engine_admin, DB_TXN_READ, select_one, &n, &e), ERR_OK);
	assert_int_equal(n, 1);
}

/* ---- migrations and introspection ---- */

static void test_migrations(void **state)
{
	struct db *db = db_of(state);
	struct db_conn *c = conn_of(db);
	int n = 0;
	const struct migration *list = migrate_embedded(&n);
	assert_true(n >= 1);
	struct err e;
	err_clear(&e);
	assert_int_equal(migrate_check(c, list, n, &e), ERR_SCHEMA_BEHIND);
	int applied = -1;
	enum err_code rc = migrate_apply(c, list, n, 1761537600, &applied, &e);
	if (rc != ERR_OK)
		print_error("migrate: %s\n", e.detail);
	assert_int_equal(rc, ERR_OK);
	assert_int_equal(applied, n);
	assert_int_equal(migrate_check(c, list, n, &e), ERR_OK);
	/* Again: nothing to do. */
	assert_int_equal(migrate_apply(c, list, n, 1761537601, &applied, &e), ERR_OK);
	assert_int_equal(applied, 0);
	assert_int_equal(int_of(c, "SELECT count(*) FROM schema_migrations"), n);
	assert_int_equal(db_schema_check(db, &e), ERR_OK);

	bool exists = false;
	static const char *const tables[] = {"commune",       "unit",    "procedure", "account",
	                                     "session",       "counter", "audit",     "dossier",
	                                     "dossier_event", "outbox"};
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		assert_int_equal(db_table_exists(c, tables[i], &exists, NULL), ERR_OK);
		assert_true(exists);
	}
	assert_int_equal(db_table_exists(c, "no_such_table", &exists, NULL), ERR_OK);
	assert_false(exists);
	/* A view or an index is not a table. */
	assert_int_equal(db_table_exists(c, "dossier_state", &exists, NULL), ERR_OK);
	assert_false(exists);

	/* The audit log is append-only on both engines (0003.sql). */
	exec_ok(c, "INSERT INTO audit (seq, at, actor, action, object, detail, prev_hash, hash) "
	           "VALUES (1, 0, 'a', 'b', 'c', 'd', 'e', 'f')");
	assert_int_equal(db_exec(c, "UPDATE audit SET actor = 'x'", DB_NOARGS, NULL, &e),
	                 ERR_DB_CONSTRAINT);
	assert_non_null(strstr(e.detail, "append-only"));
	assert_int_equal(db_exec(c, "DELETE FROM audit", DB_NOARGS, NULL, &e), ERR_DB_CONSTRAINT);
	if (engine_is_pg())
		assert_int_equal(db_exec(c, "TRUNCATE audit", DB_NOARGS, NULL, &e),
		                 ERR_DB_CONSTRAINT);
	assert_int_equal(int_of(c, "SELECT count(*) FROM audit"), 1);
	/* Some constraints of the schema, as the services meet them. */
	assert_int_equal(db_exec(c,
	                         "INSERT INTO commune (code, name_vi, name_folded, kind, lat_e6, "
	                         "lon_e6, area_m2) VALUES ('00004', 'Phường Ba Đình', "
	                         "'phuong ba dinh', 'ward', 21035000, 105834000, 1)",
	                         DB_NOARGS, NULL, &e),
	                 ERR_OK);
	assert_int_equal(db_exec(c,
	                         "INSERT INTO commune (code, name_vi, name_folded, kind, lat_e6, "
	                         "lon_e6, area_m2) VALUES ('00004', 'x', 'x', 'ward', 0, 0, 1)",
	                         DB_NOARGS, NULL, &e),
	                 ERR_DB_CONFLICT);
	assert_int_equal(db_exec(c,
	                         "INSERT INTO commune (code, name_vi, name_folded, kind, lat_e6, "
	                         "lon_e6, area_m2) VALUES ('00005', 'x', 'x', 'town', 0, 0, 1)",
	                         DB_NOARGS, NULL, &e),
	                 ERR_DB_CONSTRAINT);
}

struct mig {
	struct db *db;
	enum err_code rc;
	int applied;
	char detail[ERR_DETAIL_MAX];
};

static void *migrate_thread(void *arg)
{
	struct mig *m = arg;
	struct db_conn *c;
	struct err e;
	err_clear(&e);
	int n;
	const struct migration *list = migrate_embedded(&n);
	m->rc = db_thread_conn(m->db, &c, &e);
	if (m->rc == ERR_OK)
		m->rc = migrate_apply(c, list, n, 1761537600, &m->applied, &e);
	memcpy(m->detail, e.detail, sizeof m->detail);
	return NULL;
}

static void test_migrations_concurrent(void **state)
{
	/* migrate.h: "Safe to run from two processes at once". Two threads with their own
	 * connections stand for two processes. */
	struct engine_db *fx = *state;
	struct db_options opt = {.busy_timeout_ms = 5000, .txn_max_attempts = 50};
	struct db *db;
	assert_int_equal(engine_reopen(fx, &opt, &db, NULL), ERR_OK);
	struct mig m[2] = {{.db = db}, {.db = db}};
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, migrate_thread, &m[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 2; i++)
		if (m[i].rc != ERR_OK)
			print_error("migrator %d: %s\n", i, m[i].detail);
	assert_int_equal(m[0].rc, ERR_OK);
	assert_int_equal(m[1].rc, ERR_OK);
	int n;
	migrate_embedded(&n);
	assert_int_equal(m[0].applied + m[1].applied, n);
	assert_int_equal(db_schema_check(db, NULL), ERR_OK);
	db_close(db);
}

static void test_table_exists_current_schema(void **state)
{
	struct db_conn *c = conn_of(db_of(state));
	bool exists = true;
	/* A catalog table and a table of another schema are not in the current schema. */
	assert_int_equal(db_table_exists(c, "pg_class", &exists, NULL), ERR_OK);
	assert_false(exists);
	char sql[160];
	snprintf(sql, sizeof sql, "CREATE TABLE public.other_%ld (k INTEGER)", (long)getpid());
	assert_int_equal(engine_admin_exec(sql, NULL), ERR_OK);
	snprintf(sql, sizeof sql, "other_%ld", (long)getpid());
	assert_int_equal(db_table_exists(c, sql, &exists, NULL), ERR_OK);
	assert_false(exists);
	snprintf(sql, sizeof sql, "DROP TABLE public.other_%ld", (long)getpid());
	assert_int_equal(engine_admin_exec(sql, NULL), ERR_OK);
	exec_ok(c, "CREATE TABLE mine (k INTEGER)");
	assert_int_equal(db_table_exists(c, "mine", &exists, NULL), ERR_OK);
	assert_true(exists);
}

/* ---- copying between databases ---- */

static void test_copy_table_list(void **state)
{
	(void)state;
	/* The tables a list of migrations creates, in order; comments, literals and
	 * function bodies do not count; DROP TABLE removes; schema_migrations is left out. */
	static const struct migration list[] = {
	        {1, "0001.sql",
	         "-- CREATE TABLE in_a_comment (x INTEGER);\n"
	         "CREATE TABLE a (k TEXT PRIMARY KEY, note TEXT DEFAULT 'create table nope');\n"
	         "create table IF NOT EXISTS b (k TEXT REFERENCES a (k));\n"
	         "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER);\n"
	         "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN CREATE TABLE "
	         "inside (x INTEGER); END; $$;\n"
	         "CREATE INDEX a_note ON a (note);\n"},
	        {2, "0002.sql", "DROP TABLE IF EXISTS b;\nCREATE TABLE c (k INTEGER);\n"},
	};
	char names[8][DB_COPY_NAME_MAX];
	int n = -1;
	assert_int_equal(db_copy_tables(list, 2, names, 8, &n, NULL), ERR_OK);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "a");
	assert_string_equal(names[1], "c");
	assert_int_equal(db_copy_tables(list, 1, names, 1, &n, NULL), ERR_TOO_LONG);
	static const struct migration qualified[] = {
	        {1, "0001.sql", "CREATE TABLE other.t (k INTEGER);"}};
	assert_int_equal(db_copy_tables(qualified, 1, names, 8, &n, NULL), ERR_INTERNAL);
	/* The built-in migrations give the schema's tables, referenced ones first. */
	int nm;
	const struct migration *built = migrate_embedded(&nm);
	assert_int_equal(db_copy_tables(built, nm, names, 8, &n, NULL), ERR_TOO_LONG);
	char all[DB_COPY_MAX_TABLES][DB_COPY_NAME_MAX];
	assert_int_equal(db_copy_tables(built, nm, all, DB_COPY_MAX_TABLES, &n, NULL), ERR_OK);
	int unit = -1, dossier = -1, event = -1;
	for (int i = 0; i < n; i++) {
		assert_string_not_equal(all[i], "schema_migrations");
		unit = str_eq_test(all[i], "unit") ? i : unit;
		dossier = str_eq_test(all[i], "dossier") ? i : dossier;
		event = str_eq_test(all[i], "dossier_event") ? i : event;
	}
	assert_true(unit >= 0 && dossier > unit && event > dossier);
}

static void test_url_redacted(void **state)
{
	(void)state;
	char out[256];
	db_url_redacted("postgresql://motcua:s3cret@db.example:5432/motcua", out, sizeof out);
	assert_string_equal(out, "postgresql://motcua:***@db.example:5432/motcua");
	db_url_redacted("postgresql://db/x?sslmode=require&password=s3cret&user=u", out,
	                sizeof out);
	assert_string_equal(out, "postgresql://db/x?sslmode=require&password=***&user=u");
	db_url_redacted("postgresql://u@db/x", out, sizeof out);
	assert_string_equal(out, "postgresql://u@db/x");
	db_url_redacted("sqlite:/var/lib/motcua/a:b@c.db", out, sizeof out);
	assert_string_equal(out, "sqlite:/var/lib/motcua/a:b@c.db");
}

/* A migrated SQLite source with rows that test the copy's corners. */
static struct db *copy_source(const char *dir, const char *name)
{
	char url[600];
	snprintf(url, sizeof url, "sqlite:%s/%s", dir, name);
	struct db *db = NULL;
	assert_int_equal(db_open(url, NULL, &db, NULL), ERR_OK);
	struct db_conn *c = conn_of(db);
	int n;
	const struct migration *list = migrate_embedded(&n);
	assert_int_equal(migrate_apply(c, list, n, 1761537600, NULL, NULL), ERR_OK);
	exec_ok(c, "INSERT INTO commune (code, name_vi, name_folded, kind, lat_e6, lon_e6, "
	           "area_m2) VALUES ('00004', 'Phường Ba Đình', 'phuong ba dinh', 'ward', "
	           "21035000, 105834000, 9200000)");
	/* A child whose parent comes later in the table: the copy must put the parent first. */
	exec_ok(c,
	        "INSERT INTO unit (code, kind, name_vi, name_en, name_folded) VALUES "
	        "('DIEM-1', 'point', 'Điểm phục vụ số 1', 'Service point 1', 'diem phuc vu so 1')");
	exec_ok(c, "INSERT INTO unit (code, kind, identifier, name_vi, name_en, name_folded, "
	           "commune_code, receives) VALUES ('CN01', 'branch', 'CN', 'Chi nhánh số 1', "
	           "'Branch 1', 'chi nhanh so 1', '00004', 1)");
	exec_ok(c, "INSERT INTO unit (code, kind, name_vi, name_en, name_folded) VALUES "
	           "('TT', 'centre', 'Trung tâm Phục vụ hành chính công', 'Centre', 'trung tam')");
	exec_ok(c, "UPDATE unit SET parent_code = 'CN01' WHERE code = 'DIEM-1'");
	exec_ok(c, "UPDATE unit SET parent_code = 'TT' WHERE code = 'CN01'");
	exec_ok(c,
	        "INSERT INTO counter (name, value) VALUES ('seq:CN:20251027', 9007199254740993)");
	exec_ok(c, "INSERT INTO audit (seq, at, actor, action, object, detail, prev_hash, hash) "
	           "VALUES (1, 1761537600, 'system', 'demo', 'x', 'Hà Nội', '', 'h')");
	return db;
}

static void test_copy(void **state)
{
	struct engine_db *fx = *state;
	char dir[] = "/tmp/motcua-test-copy-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct db *src = copy_source(dir, "office.db");
	struct err e;
	err_clear(&e);

	/* A source whose schema is behind is refused, and nothing is written. */
	char url[600];
	snprintf(url, sizeof url, "sqlite:%s/empty.db", dir);
	struct db *behind = NULL;
	assert_int_equal(db_open(url, NULL, &behind, NULL), ERR_OK);
	struct db_copy_report *rep = calloc(1, sizeof *rep);
	assert_non_null(rep);
	assert_int_equal(db_copy(behind, fx->db, 1, rep, &e), ERR_SCHEMA_BEHIND);
	assert_non_null(strstr(e.detail, "source"));
	db_close(behind);

	/* The copy: every table, counts checked; parents before children. */
	err_clear(&e);
	enum err_code rc = db_copy(src, fx->db, 1761537601, rep, &e);
	if (rc != ERR_OK)
		print_error("copy: %s\n", e.detail);
	assert_int_equal(rc, ERR_OK);
	int n;
	migrate_embedded(&n);
	assert_int_equal(rep->migrations_applied, n);
	assert_int_equal(rep->rows, 6); /* commune 1, unit 3, counter 1, audit 1 */
	bool saw_unit = false;
	for (int i = 0; i < rep->count; i++)
		if (str_eq_test(rep->tables[i].name, "unit")) {
			saw_unit = true;
			assert_int_equal(rep->tables[i].rows, 3);
		}
	assert_true(saw_unit);
	struct db_conn *c = conn_of(fx->db);
	assert_int_equal(int_of(c, "SELECT count(*) FROM unit WHERE parent_code = 'CN01'"), 1);
	assert_int_equal(int_of(c, "SELECT value FROM counter"), 9007199254740993LL);
	assert_int_equal(int_of(c, "SELECT receives FROM unit WHERE code = 'CN01'"), 1);
	assert_int_equal(int_of(c, "SELECT count(*) FROM unit WHERE address IS NULL"), 3);
	char text[64];
	assert_int_equal(
	        db_query_text(c, "SELECT name_vi FROM commune", DB_NOARGS, text, sizeof text, NULL),
	        ERR_OK);
	assert_string_equal(text, "Phường Ba Đình");
	assert_int_equal(migrate_check(c, migrate_embedded(&n), n, NULL), ERR_OK);

	/* Again into the same destination: refused (it is not empty), nothing changes. */
	err_clear(&e);
	assert_int_equal(db_copy(src, fx->db, 1761537602, rep, &e), ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(e.detail, "empty"));
	assert_int_equal(int_of(c, "SELECT count(*) FROM unit"), 3);

	/* Back from the engine's database into a new SQLite file: the same rows (on
	 * PostgreSQL this reads through a cursor). */
	snprintf(url, sizeof url, "sqlite:%s/back.db", dir);
	struct db *back = NULL;
	assert_int_equal(db_open(url, NULL, &back, NULL), ERR_OK);
	err_clear(&e);
	rc = db_copy(fx->db, back, 1761537603, rep, &e);
	if (rc != ERR_OK)
		print_error("copy back: %s\n", e.detail);
	assert_int_equal(rc, ERR_OK);
	assert_int_equal(rep->rows, 6); /* commune 1, unit 3, counter 1, audit 1 */
	struct db_conn *bc = conn_of(back);
	assert_int_equal(
	        db_query_text(bc, "SELECT detail FROM audit", DB_NOARGS, text, sizeof text, NULL),
	        ERR_OK);
	assert_string_equal(text, "Hà Nội");
	assert_int_equal(int_of(bc, "SELECT value FROM counter"), 9007199254740993LL);
	db_close(back);

	/* A value of the wrong kind in the source (SQLite keeps text in an INTEGER column):
	 * refused with table, row and column named; the destination is left empty. */
	struct db *bad = copy_source(dir, "bad.db");
	exec_ok(conn_of(bad), "INSERT INTO holiday (day, kind, status, occasion, name_vi, name_en, "
	                      "source) VALUES ('mồng một', 'off', 'x', 'x', 'x', 'x', 'x')");
	snprintf(url, sizeof url, "sqlite:%s/fresh.db", dir);
	struct db *fresh = NULL;
	assert_int_equal(db_open(url, NULL, &fresh, NULL), ERR_OK);
	err_clear(&e);
	assert_int_equal(db_copy(bad, fresh, 1761537604, rep, &e), ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(e.detail, "holiday"));
	assert_non_null(strstr(e.detail, "'day'"));
	assert_int_equal(rep->count, 0);
	assert_int_equal(int_of(conn_of(fresh), "SELECT count(*) FROM unit"), 0);
	db_close(fresh);
	db_close(bad);
	db_close(src);
	free(rep);
	engine_rm_tree(dir);
}

/*
 * Which engines a test is for. PostgreSQL-only tests, and why they do not apply to SQLite:
 *   serializable_conflict_retried, deadlock_retried: SQLite has one writer at a time (the
 *     second waits at BEGIN IMMEDIATE), so there is no conflict to retry;
 *   failed_statement_ends_txn: SQLite keeps the transaction open after a failed statement;
 *   reconnect_*: an embedded database has no server connection to lose;
 *   table_exists_current_schema: schemas are a PostgreSQL notion.
 * reconnect_after_restart also needs MOTCUA_TEST_PG_RESTART, a command that restarts the
 * server (make test-pg sets it). Tests that do not apply are left out of the plan rather than
 * reported as skipped.
 */
enum { ALL, PG_ONLY, PG_RESTART };

struct entry {
	struct CMUnitTest test;
	int engines;
};

#define T(f, w)                                                                                    \
	{                                                                                          \
		cmocka_unit_test_setup_teardown(f, setup, teardown), w                             \
	}

int main(void)
{
	static const struct entry all[] = {
	        T(test_driver_name, ALL),
	        T(test_unreachable_postgresql, ALL),
	        T(test_binding_order, ALL),
	        T(test_nulls, ALL),
	        T(test_blobs, ALL),
	        T(test_vietnamese_text, ALL),
	        T(test_booleans_and_expressions, ALL),
	        T(test_constraint_classes, ALL),
	        T(test_backup_refused_or_done, ALL),
	        T(test_rollback_leaves_nothing, ALL),
	        T(test_read_transactions, ALL),
	        T(test_serializable_conflict_retried, PG_ONLY),
	        T(test_serializable_threads_exact, ALL),
	        T(test_upsert_numbers_unique, ALL),
	        T(test_deadlock_retried, PG_ONLY),
	        T(test_failed_statement_ends_txn, PG_ONLY),
	        T(test_changes, ALL),
	        T(test_statement_cache, ALL),
	        T(test_integer_width, ALL),
	        T(test_thread_connections, ALL),
	        T(test_reconnect_after_terminate, PG_ONLY),
	        T(test_reconnect_after_restart, PG_RESTART),
	        T(test_migrations, ALL),
	        T(test_migrations_concurrent, ALL),
	        T(test_table_exists_current_schema, PG_ONLY),
	        T(test_copy_table_list, ALL),
	        T(test_url_redacted, ALL),
	        T(test_copy, ALL),
	};
	enum { N = sizeof all / sizeof all[0] };
	const char *url = getenv("MOTCUA_TEST_DATABASE");
	const char *restart = getenv("MOTCUA_TEST_PG_RESTART");
	bool pg = url && strncmp(url, "postgres", 8) == 0;
	bool can_restart = pg && restart && *restart;
	struct CMUnitTest tests[N];
	size_t n = 0;
	for (size_t i = 0; i < N; i++)
		if (all[i].engines == ALL || (all[i].engines == PG_ONLY && pg) ||
		    (all[i].engines == PG_RESTART && can_restart))
			tests[n++] = all[i].test;
	return _cmocka_run_group_tests("db_engines", tests, n, group_setup, group_teardown);
}
