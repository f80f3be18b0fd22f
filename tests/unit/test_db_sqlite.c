/*
 * Unit tests for db/db (the common layer) with db/db_sqlite (the SQLite
 * driver), on real database files in a temporary directory under /tmp.
 *
 * Expected behaviour comes from the SQLite documentation (https://sqlite.org:
 * pragma.html for journal_mode / synchronous / foreign_keys, lang_transaction.html
 * for BEGIN IMMEDIATE and SQLITE_BUSY, rescode.html for the constraint codes,
 * backup.html for the online backup, quirks.html#dblquote for double-quoted
 * strings) and from the contract in db.h. Threads are synchronized by flags
 * and counters, never by wall-clock assertions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"

#include "tmpdb_fixture.h"

static char tmpdir[256];

static int setup_dir(void **state)
{
	(void)state;
	return tmpdb_mkdir(tmpdir, sizeof tmpdir, "db");
}

static int teardown_dir(void **state)
{
	(void)state;
	tmpdb_rm_tree(tmpdir);
	return 0;
}

/* "sqlite:TMPDIR/name" */
static const char *url_of(const char *name)
{
	static _Thread_local char url[512];
	snprintf(url, sizeof url, "sqlite:%s/%s", tmpdir, name);
	return url;
}

static struct db *open_db(const char *name, const struct db_options *opt)
{
	struct db *db = NULL;
	struct err e;
	err_clear(&e);
	enum err_code rc = db_open(url_of(name), opt, &db, &e);
	if (rc != ERR_OK)
		print_error("db_open: %s\n", e.detail);
	assert_int_equal(rc, ERR_OK);
	return db;
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

static int64_t count_rows(struct db_conn *c, const char *table)
{
	char sql[128];
	int64_t n = -1;
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	assert_int_equal(db_query_int64(c, sql, DB_NOARGS, &n, NULL), ERR_OK);
	return n;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* ---- opening ---- */

static void test_open_creates_parents_and_sets_pragmas(void **state)
{
	(void)state;
	struct db *db = open_db("a/b/c/x.db", NULL);
	struct db_conn *c = tmpdb_conn(db);
	char dir[512];
	struct stat sb;
	snprintf(dir, sizeof dir, "%s/a/b/c", tmpdir);
	assert_int_equal(stat(dir, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_string_equal(db_driver_name(db), "sqlite");

	/* pragma.html: journal_mode answers "wal"; synchronous FULL is 2; foreign_keys 1. */
	char mode[16];
	int64_t v;
	assert_int_equal(
	        db_query_text(c, "PRAGMA journal_mode", DB_NOARGS, mode, sizeof mode, NULL),
	        ERR_OK);
	assert_string_equal(mode, "wal");
	assert_int_equal(db_query_int64(c, "PRAGMA synchronous", DB_NOARGS, &v, NULL), ERR_OK);
	assert_int_equal(v, 2);
	assert_int_equal(db_query_int64(c, "PRAGMA foreign_keys", DB_NOARGS, &v, NULL), ERR_OK);
	assert_int_equal(v, 1);

	/* The per-connection settings hold on a second connection as well. */
	struct db_conn *c2;
	assert_int_equal(db_conn_open(db, &c2, NULL), ERR_OK);
	assert_ptr_not_equal(c2, c);
	assert_int_equal(db_query_int64(c2, "PRAGMA synchronous", DB_NOARGS, &v, NULL), ERR_OK);
	assert_int_equal(v, 2);
	assert_int_equal(db_query_int64(c2, "PRAGMA foreign_keys", DB_NOARGS, &v, NULL), ERR_OK);
	assert_int_equal(v, 1);
	db_conn_close(c2);

	/* Double-quoted strings are identifiers, as in PostgreSQL (quirks.html#dblquote). */
	struct err e;
	err_clear(&e);
	assert_int_equal(db_exec(c, "SELECT \"no such column\"", DB_NOARGS, NULL, &e),
	                 ERR_DB_ERROR);
	assert_non_null(strstr(e.detail, "no such column"));
	db_close(db);
}

static void test_open_refusals(void **state)
{
	(void)state;
	struct db *db = (struct db *)1;
	struct err e;
	err_clear(&e);
	/* PostgreSQL URLs go to that driver (tests/unit/test_db_engines.c): a malformed one
	 * is a configuration error. */
	assert_int_equal(db_open("postgresql://u@localhost/motcua?no_such_option=1", NULL, &db, &e),
	                 ERR_CONFIG_INVALID);
	assert_null(db);
	assert_non_null(strstr(e.detail, "no_such_option"));
	assert_int_equal(db_open("postgres://localhost/x?no_such_option=1", NULL, &db, &e),
	                 ERR_CONFIG_INVALID);
	assert_int_equal(db_open("mysql://localhost/x", NULL, &db, &e), ERR_CONFIG_INVALID);
	assert_int_equal(db_open("", NULL, &db, &e), ERR_CONFIG_INVALID);
	assert_int_equal(db_open("sqlite:", NULL, &db, &e), ERR_CONFIG_INVALID);
	assert_int_equal(db_open("sqlite::memory:", NULL, &db, &e), ERR_CONFIG_INVALID);
	assert_int_equal(db_open("sqlite:file:x.db?mode=memory", NULL, &db, &e),
	                 ERR_CONFIG_INVALID);

	/* A parent that is a plain file. */
	char path[512];
	snprintf(path, sizeof path, "%s/plainfile", tmpdir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(db_open(url_of("plainfile/x.db"), NULL, &db, &e), ERR_IO);
	/* A file that is not a database. */
	assert_int_equal(db_open(url_of("plainfile"), NULL, &db, &e), ERR_OK);
	db_close(db);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("this is not an SQLite database, just some text long enough to have a header\n", f);
	fclose(f);
	err_clear(&e);
	assert_int_equal(db_open(url_of("plainfile"), NULL, &db, &e), ERR_DB_ERROR);
	assert_null(db);
	assert_non_null(strstr(e.detail, "plainfile"));
}

static void test_relative_path(void **state)
{
	(void)state;
	/* A relative path is taken from the working directory at open time. */
	char cwd[1024];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(tmpdir), 0);
	struct db *db = NULL;
	assert_int_equal(db_open("sqlite:rel/r.db", NULL, &db, NULL), ERR_OK);
	assert_int_equal(chdir(cwd), 0);
	char path[512];
	struct stat sb;
	snprintf(path, sizeof path, "%s/rel/r.db", tmpdir);
	assert_int_equal(stat(path, &sb), 0);
	/* Connections opened after a chdir still find the same file. */
	struct db_conn *c;
	assert_int_equal(db_conn_open(db, &c, NULL), ERR_OK);
	exec_ok(c, "CREATE TABLE t (a INTEGER)");
	db_conn_close(c);
	db_close(db);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(sb.st_size > 0);
}

/* ---- values ---- */

static void test_binding_order(void **state)
{
	(void)state;
	struct db *db = open_db("bind.db", NULL);
	struct db_conn *c = tmpdb_conn(db);
	char out[32];
	int64_t v;
	/* The reason for sql_rewrite: $2 must get the second value even when it comes first. */
	assert_int_equal(db_query_text(c, "SELECT $2 || '-' || $1",
	                               DB_ARGS(db_text("a"), db_text("b")), out, sizeof out, NULL),
	                 ERR_OK);
	assert_string_equal(out, "b-a");
	assert_int_equal(
	        db_query_int64(c, "SELECT $2 - $1", DB_ARGS(db_int(10), db_int(3)), &v, NULL),
	        ERR_OK);
	assert_int_equal(v, -7);
	assert_int_equal(db_query_int64(c, "SELECT $1 * 100 + $1", DB_ARGS(db_int(7)), &v, NULL),
	                 ERR_OK);
	assert_int_equal(v, 707);

	/* The count of values must match the highest $N. */
	struct err e;
	err_clear(&e);
	assert_int_equal(db_query_int64(c, "SELECT $1 + $2", DB_ARGS(db_int(1)), &v, &e),
	                 ERR_INTERNAL);
	assert_non_null(strstr(e.detail, "2 parameters, 1 given"));
	assert_int_equal(db_query_int64(c, "SELECT 1", DB_ARGS(db_int(1)), &v, &e), ERR_INTERNAL);
	/* Non-portable SQL is refused before SQLite sees it. */
	assert_int_equal(db_query_int64(c, "SELECT ?", DB_ARGS(db_int(1)), &v, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_int_equal(
	        db_query_int64(c, "SELECT CAST($1 AS BIGINT)", DB_ARGS(db_text("42")), &v, &e),
	        ERR_OK);
	assert_int_equal(v, 42);
	db_close(db);
}

static void test_int64_and_nulls(void **state)
{
	(void)state;
	struct db *db = open_db("values.db", NULL);
	struct db_conn *c = tmpdb_conn(db);
	exec_ok(c, "CREATE TABLE v (id INTEGER PRIMARY KEY, i BIGINT, s TEXT, b BLOB)");
	int64_t ch = -1;
	assert_int_equal(
	        db_exec(c, "INSERT INTO v (id, i, s, b) VALUES ($1, $2, $3, $4)",
	                DB_ARGS(db_int(1), db_int(INT64_MAX), db_text(NULL), db_blob(NULL, 5)), &ch,
	                NULL),
	        ERR_OK);
	assert_int_equal(ch, 1);
	assert_int_equal(db_exec(c, "INSERT INTO v (id, i, s, b) VALUES ($1, $2, $3, $4)",
	                         DB_ARGS(db_int(2), db_int(INT64_MIN), db_text(""), db_null()),
	                         NULL, NULL),
	                 ERR_OK);
	struct db_stmt *st;
	bool row;
	assert_int_equal(db_query(c, "SELECT i, s, b FROM v ORDER BY id", DB_NOARGS, &st, NULL),
	                 ERR_OK);
	assert_int_equal(db_step(st, &row, NULL), ERR_OK);
	assert_true(row);
	assert_int_equal(db_col_count(st), 3);
	assert_true(db_col_int64(st, 0) == INT64_MAX);
	assert_true(db_col_is_null(st, 1));
	assert_null(db_col_text(st, 1, NULL));
	assert_true(db_col_is_null(st, 2));
	size_t len = 99;
	assert_null(db_col_blob(st, 2, &len));
	assert_int_equal(len, 0);
	assert_int_equal(db_col_int64(st, 1), 0); /* NULL reads as 0 */
	/* Out of range columns read as NULL instead of undefined behaviour. */
	assert_true(db_col_is_null(st, 3));
	assert_true(db_col_is_null(st, -1));
	assert_null(db_col_text(st, 7, &len));
	assert_int_equal(db_step(st, &row, NULL), ERR_OK);
	assert_true(row);
	assert_true(db_col_int64(st, 0) == INT64_MIN);
	assert_false(db_col_is_null(st, 1)); /* '' is not NULL (as in PostgreSQL) */
	assert_string_equal(db_col_text(st, 1, &len), "");
	assert_int_equal(len, 0);
	assert_int_equal(db_step(st, &row, NULL), ERR_OK);
	assert_false(row);
	/* After the end: no row, reading is harmless, stepping again stays done. */
	assert_true(db_col_is_null(st, 0));
	assert_int_equal(db_step(st, &row, NULL), ERR_OK);
	assert_false(row);
	db_finish(st);

	int64_t v = 5;
	struct err e;
	err_clear(&e);
	assert_int_equal(db_query_int64(c, "SELECT s FROM v WHERE id = 1", DB_NOARGS, &v, &e),
	                 ERR_NOT_FOUND);
	assert_int_equal(db_query_int64(c, "SELECT i FROM v WHERE id = 3", DB_NOARGS, &v, &e),
	                 ERR_NOT_FOUND);
	assert_int_equal(v, 5);
	db_close(db);
}

static void test_blobs(void **state)
{
	(void)state;
	struct db *db = open_db("blob.db", NULL);
	struct db_conn *c = tmpdb_conn(db);
	exec_ok(c, "CREATE TABLE f (id INTEGER PRIMARY KEY, data BLOB)");
	unsigned char bytes[300];
	for (size_t i = 0; i < sizeof bytes; i++)
		bytes[i] = (unsigned char)(i * 7); /* includes 0x00 and 0xff-range bytes */
	assert_int_equal(db_exec(c, "INSERT INTO f (id, data) VALUES ($1, $2)",
	                         DB_ARGS(db_int(1), db_blob(bytes, sizeof bytes)), NULL, NULL),
	                 ERR_OK);
	assert_int_equal(db_exec(c, "INSERT INTO f (id, data) VALUES ($1, $2)",
	                         DB_ARGS(db_int(2), db_blob(bytes, 0)), NULL, NULL),
	                 ERR_OK);
	struct db_stmt *st;
	bool row;
	size_t len = 0;
	assert_int_equal(db_query(c, "SELECT data, length(data) FROM f WHERE id = $1",
	                          DB_ARGS(db_int(1)), &st, NULL),
	                 ERR_OK);
	assert_int_equal(db_step(st, &row, NULL), ERR_OK);
	assert_true(row);
	const unsigned char *p = db_col_blob(st, 0, &len);
	assert_int_equal(len, sizeof bytes);
	assert_memory_equal(p, bytes, sizeof bytes);
	assert_int_equal(db_col_int64(st, 1), 300);
	db_finish(st);
	/* An empty blob is not NULL. */
	assert_int_equal(db_query(c, "SELECT data FROM f WHERE id = 2", DB_NOARGS, &st, NULL),
	                 ERR_OK);
	assert_int_equal(db_step(st, &row, NULL), ERR_OK);
	assert_false(db_col_is_null(st, 0));
	db_col_blob(st, 0, &len);
	assert_int_equal(len, 0);
	db_finish(st);
	db_close(db);
}

static void test_vietnamese_text(void **state)
{
	(void)state;
	struct db *db = open_db("utf8.db", NULL);
	struct db_conn *c = tmpdb_conn(db);
	exec_ok(c, "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
	/* Precomposed (NFC) Vietnamese letters with two diacritics, 2- and 3-byte UTF-8. */
	const char *name = "Nguyễn Thị Ánh Tuyết — Phường Hoàn Kiếm, Hà Nội; Đặng Quốc Bảo";
	assert_int_equal(db_exec(c, "INSERT INTO p (id, name) VALUES ($1, $2)",
	                         DB_ARGS(db_int(1), db_text(name)), NULL, NULL),
	                 ERR_OK);
	char out[256];
	assert_int_equal(db_query_text(c, "SELECT name FROM p WHERE name = $1",
	                               DB_ARGS(db_text(name)), out, sizeof out, NULL),
	                 ERR_OK);
	assert_string_equal(out, name);
	int64_t n;
	assert_int_equal(db_query_int64(c, "SELECT length(name) FROM p", DB_NOARGS, &n, NULL),
	                 ERR_OK);
	/* length() counts characters: 62 code points in 87 bytes of UTF-8 (NFC; counted with
	 * Python's len(s) and len(s.encode())). */
	assert_int_equal(n, 62);
	assert_int_equal(
	        db_query_int64(c, "SELECT length(CAST(name AS BLOB)) FROM p", DB_NOARGS, &n, NULL),
	        ERR_OK);
	assert_int_equal(n, 87);
	/* db_textn binds a part of a buffer. */
	assert_int_equal(db_query_text(c, "SELECT $1", DB_ARGS(db_textn("Hà Nội!!!", 9)), out,
	                               sizeof out, NULL),
	                 ERR_OK);
	assert_string_equal(out, "Hà Nội");
	/* Too small a buffer. */
	char tiny[4];
	assert_int_equal(db_query_text(c, "SELECT name FROM p", DB_NOARGS, tiny, sizeof tiny, NULL),
	                 ERR_TOO_LONG);

	/* Invalid UTF-8 is refused for every engine's sake (PostgreSQL refuses it too). */
	struct err e;
	err_clear(&e);
	const char *bad[] = {"\xc3\x28",         "ab\xc0\xaf", "\xed\xa0\x80",
	                     "\xf4\x90\x80\x80", "\xe1\x80",   "\xff"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(db_exec(c, "INSERT INTO p (id, name) VALUES ($1, $2)",
		                         DB_ARGS(db_int(10 + (int64_t)i), db_text(bad[i])), NULL,
		                         &e),
		                 ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(e.detail, "$2"));
	assert_int_equal(db_exec(c, "INSERT INTO p (id, name) VALUES ($1, $2)",
	                         DB_ARGS(db_int(20), db_textn("a\0b", 3)), NULL, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_int_equal(count_rows(c, "p"), 1);
	db_close(db);
}

/* ---- errors ---- */

static void test_constraint_classes(void **state)
{
	(void)state;
	struct db *db = open_db("constraints.db", NULL);
	struct db_conn *c = tmpdb_conn(db);
	exec_ok(c, "CREATE TABLE agency (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE)");
	exec_ok(c, "CREATE TABLE dossier (id INTEGER PRIMARY KEY, "
	           "agency_id INTEGER NOT NULL REFERENCES agency(id), "
	           "state INTEGER NOT NULL CHECK (state BETWEEN 1 AND 10))");
	exec_ok(c, "INSERT INTO agency (id, code) VALUES (1, 'SOTP')");
	struct err e;
	err_clear(&e);
	/* rescode.html: SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY -> 409 conflict. */
	assert_int_equal(db_exec(c, "INSERT INTO agency (id, code) VALUES ($1, $2)",
	                         DB_ARGS(db_int(2), db_text("SOTP")), NULL, &e),
	                 ERR_DB_CONFLICT);
	assert_non_null(strstr(e.detail, "UNIQUE"));
	assert_int_equal(err_http_status(ERR_DB_CONFLICT), 409);
	assert_int_equal(db_exec(c, "INSERT INTO agency (id, code) VALUES ($1, $2)",
	                         DB_ARGS(db_int(1), db_text("OTHER")), NULL, &e),
	                 ERR_DB_CONFLICT);
	/* _FOREIGNKEY (proves foreign_keys=ON), _CHECK, _NOTNULL -> constraint. */
	assert_int_equal(db_exec(c, "INSERT INTO dossier (id, agency_id, state) VALUES (1, 99, 1)",
	                         DB_NOARGS, NULL, &e),
	                 ERR_DB_CONSTRAINT);
	assert_non_null(strstr(e.detail, "FOREIGN KEY"));
	assert_int_equal(db_exec(c, "INSERT INTO dossier (id, agency_id, state) VALUES (1, 1, 11)",
	                         DB_NOARGS, NULL, &e),
	                 ERR_DB_CONSTRAINT);
	assert_int_equal(db_exec(c,
	                         "INSERT INTO dossier (id, agency_id, state) VALUES (1, NULL, 1)",
	                         DB_NOARGS, NULL, &e),
	                 ERR_DB_CONSTRAINT);
	/* Other errors. */
	assert_int_equal(db_exec(c, "INSERT INTO nowhere VALUES (1)", DB_NOARGS, NULL, &e),
	                 ERR_DB_ERROR);
	assert_int_equal(db_exec(c, "SELEC 1", DB_NOARGS, NULL, &e), ERR_DB_ERROR);
	assert_int_equal(db_exec(c, "SELECT 1; SELECT 2", DB_NOARGS, NULL, &e), ERR_INTERNAL);
	assert_int_equal(db_exec(c, "  -- nothing\n", DB_NOARGS, NULL, &e), ERR_INTERNAL);
	assert_int_equal(count_rows(c, "dossier"), 0);
	/* A trailing semicolon and comment are one statement. */
	exec_ok(c, "SELECT 1; -- done");
	db_close(db);
}

static void test_changes_upsert_returning(void **state)
{
	(void)state;
	struct db *db = open_db("upsert.db", NULL);
	struct db_conn *c = tmpdb_conn(db);
	exec_ok(c, "CREATE TABLE seq (unit TEXT NOT NULL, day BIGINT NOT NULL, n BIGINT NOT NULL, "
	           "PRIMARY KEY (unit, day))");
	/* The daily sequence per unit: one upsert returning the next number (common SQL of
	 * SQLite >= 3.35 and PostgreSQL >= 9.5). */
	const char *next = "INSERT INTO seq (unit, day, n) VALUES ($1, $2, 1) "
	                   "ON CONFLICT (unit, day) DO UPDATE SET n = seq.n + 1 RETURNING n";
	for (int64_t want = 1; want <= 3; want++) {
		int64_t n = 0;
		assert_int_equal(
		        db_query_int64(c, next, DB_ARGS(db_text("H26.1"), db_int(20000)), &n, NULL),
		        ERR_OK);
		assert_int_equal(n, want);
	}
	int64_t n = 0;
	assert_int_equal(
	        db_query_int64(c, next, DB_ARGS(db_text("H26.2"), db_int(20000)), &n, NULL),
	        ERR_OK);
	assert_int_equal(n, 1);
	int64_t ch = -1;
	assert_int_equal(db_exec(c, "UPDATE seq SET n = n + 10 WHERE day = $1",
	                         DB_ARGS(db_int(20000)), &ch, NULL),
	                 ERR_OK);
	assert_int_equal(ch, 2);
	assert_int_equal(
	        db_exec(c, "DELETE FROM seq WHERE day = $1", DB_ARGS(db_int(1)), &ch, NULL),
	        ERR_OK);
	assert_int_equal(ch, 0);
	assert_int_equal(db_exec(c, "SELECT * FROM seq", DB_NOARGS, &ch, NULL), ERR_OK);
	assert_int_equal(ch, 0);
	bool exists = false;
	assert_int_equal(db_table_exists(c, "seq", &exists, NULL), ERR_OK);
	assert_true(exists);
	assert_int_equal(db_table_exists(c, "qes", &exists, NULL), ERR_OK);
	assert_false(exists);
	db_close(db);
}

/* ---- transactions ---- */

struct insert_ctx {
	int first, count;
	enum err_code fail_with;
	int calls;
};

static enum err_code insert_rows(struct db_conn *c, void *vctx, struct err *e)
{
	struct insert_ctx *ctx = vctx;
	ctx->calls++;
	for (int i = 0; i < ctx->count; i++) {
		enum err_code rc = db_exec(c, "INSERT INTO t (k) VALUES ($1)",
		                           DB_ARGS(db_int(ctx->first + i)), NULL, e);
		if (rc != ERR_OK)
			return rc;
	}
	if (ctx->fail_with != ERR_OK)
		return err_set(e, ctx->fail_with, "failing on purpose");
	return ERR_OK;
}

static enum err_code nested(struct db_conn *c, void *ctx, struct err *e)
{
	(void)c;
	struct insert_ctx inner = {100, 1, ERR_OK, 0};
	enum err_code rc = db_run_txn(ctx, DB_TXN_WRITE, insert_rows, &inner, e);
	assert_int_equal(inner.calls, 0);
	return rc;
}

static void test_transactions(void **state)
{
	(void)state;
	struct db *db = open_db("txn.db", NULL);
	struct db_conn *c = tmpdb_conn(db);
	exec_ok(c, "CREATE TABLE t (k INTEGER PRIMARY KEY)");
	struct err e;
	err_clear(&e);
	struct insert_ctx ok = {1, 3, ERR_OK, 0};
	assert_int_equal(db_run_txn(db, DB_TXN_WRITE, insert_rows, &ok, &e), ERR_OK);
	assert_int_equal(count_rows(c, "t"), 3);
	assert_false(db_in_txn(c));

	/* The callback's error rolls everything back and comes out unchanged. */
	struct insert_ctx bad = {10, 3, ERR_INVALID_ARGUMENT, 0};
	assert_int_equal(db_run_txn(db, DB_TXN_WRITE, insert_rows, &bad, &e), ERR_INVALID_ARGUMENT);
	assert_string_equal(e.detail, "failing on purpose");
	assert_int_equal(bad.calls, 1); /* not a transient error: not retried */
	assert_int_equal(count_rows(c, "t"), 3);
	assert_false(db_in_txn(c));

	/* A constraint violation half-way rolls back the rows before it. */
	struct insert_ctx dup = {2, 1, ERR_OK, 0}; /* k = 2 exists */
	struct insert_ctx pre = {30, 2, ERR_OK, 0};
	assert_int_equal(db_begin(c, DB_TXN_WRITE, NULL), ERR_OK);
	assert_true(db_in_txn(c));
	assert_int_equal(insert_rows(c, &pre, NULL), ERR_OK);
	assert_int_equal(insert_rows(c, &dup, &e), ERR_DB_CONFLICT);
	db_rollback(c);
	assert_false(db_in_txn(c));
	assert_int_equal(count_rows(c, "t"), 3);
	struct insert_ctx mixed = {40, 2, ERR_OK, 0};
	assert_int_equal(db_run_txn(db, DB_TXN_WRITE, insert_rows, &mixed, &e), ERR_OK);
	mixed.first = 50; /* 50, 51 then 52; plus a duplicate of 40 */
	mixed.count = 3;
	struct insert_ctx again = {40, 1, ERR_OK, 0};
	assert_int_equal(db_begin(c, DB_TXN_WRITE, NULL), ERR_OK);
	assert_int_equal(insert_rows(c, &mixed, NULL), ERR_OK);
	assert_int_equal(insert_rows(c, &again, &e), ERR_DB_CONFLICT);
	db_rollback(c);
	assert_int_equal(count_rows(c, "t"), 5);

	/* A read transaction refuses statements that write, and leaves nothing. */
	struct insert_ctx ro = {60, 1, ERR_OK, 0};
	err_clear(&e);
	assert_int_equal(db_run_txn(db, DB_TXN_READ, insert_rows, &ro, &e), ERR_DB_ERROR);
	assert_non_null(strstr(e.detail, "read transaction"));
	assert_int_equal(count_rows(c, "t"), 5);

	/* Nested transactions on one connection are refused. */
	assert_int_equal(db_run_txn(db, DB_TXN_WRITE, nested, db, &e), ERR_INTERNAL);
	assert_false(db_in_txn(c));
	/* Misuse of manual control. */
	assert_int_equal(db_commit(c, &e), ERR_INTERNAL);
	db_rollback(c); /* no-op */
	assert_int_equal(db_begin(c, DB_TXN_READ, NULL), ERR_OK);
	assert_int_equal(db_begin(c, DB_TXN_READ, &e), ERR_INTERNAL);
	assert_int_equal(db_commit(c, NULL), ERR_OK);

	struct db_stats s;
	db_stats(db, &s);
	assert_int_equal(s.txns, 2);
	assert_int_equal(s.txn_retries, 0);
	assert_int_equal(s.txn_busy_fail, 0);
	assert_true(db_retryable(ERR_DB_BUSY));
	assert_false(db_retryable(ERR_DB_CONFLICT));
	db_close(db);
}

/* A thread that holds the write lock until told to commit. */
struct holder {
	struct db *db;
	atomic_int locked;  /* set by the holder once it holds the lock */
	atomic_int release; /* set by the main thread: commit now */
	enum err_code rc;
};

static void *hold_write_lock(void *arg)
{
	struct holder *h = arg;
	struct db_conn *c;
	h->rc = db_thread_conn(h->db, &c, NULL);
	if (h->rc == ERR_OK)
		h->rc = db_begin(c, DB_TXN_WRITE, NULL);
	if (h->rc == ERR_OK)
		h->rc = db_exec(c, "INSERT INTO t (k) VALUES (1)", DB_NOARGS, NULL, NULL);
	atomic_store(&h->locked, 1);
	for (int i = 0; i < 60000 && !atomic_load(&h->release); i++)
		sleep_ms(1);
	if (h->rc == ERR_OK)
		h->rc = db_commit(c, NULL);
	return NULL;
}

static void wait_locked(struct holder *h)
{
	for (int i = 0; i < 60000 && !atomic_load(&h->locked); i++)
		sleep_ms(1);
	assert_true(atomic_load(&h->locked));
	assert_int_equal(h->rc, ERR_OK);
}

/* The main thread's writer: signals the holder after n retries. */
struct waiter_ctx {
	struct holder *h;
	struct db *db;
	uint64_t release_after;
	int calls;
};

static enum err_code insert_two(struct db_conn *c, void *vctx, struct err *e)
{
	struct waiter_ctx *ctx = vctx;
	ctx->calls++;
	return db_exec(c, "INSERT INTO t (k) VALUES (2)", DB_NOARGS, NULL, e);
}

static void *releaser(void *arg)
{
	struct waiter_ctx *w = arg;
	struct db_stats s;
	for (int i = 0; i < 60000; i++) {
		db_stats(w->db, &s);
		if (s.txn_retries >= w->release_after)
			break;
		sleep_ms(1);
	}
	atomic_store(&w->h->release, 1);
	return NULL;
}

static void test_busy_retry_two_threads(void **state)
{
	(void)state;
	/* Short busy timeout so that contention shows as SQLITE_BUSY, many attempts. */
	struct db_options opt = {
	        .busy_timeout_ms = 5, .txn_max_attempts = 10000, .backoff_max_ms = 2};
	struct db *db = open_db("busy.db", &opt);
	struct db_conn *c = tmpdb_conn(db);
	exec_ok(c, "CREATE TABLE t (k INTEGER PRIMARY KEY)");

	struct holder h = {.db = db};
	pthread_t th, rel;
	assert_int_equal(pthread_create(&th, NULL, hold_write_lock, &h), 0);
	wait_locked(&h);
	/* While the other thread holds the write lock, this write must wait (busy), retry,
	 * and succeed once the holder commits (released after 3 retries were counted). */
	struct waiter_ctx w = {&h, db, 3, 0};
	assert_int_equal(pthread_create(&rel, NULL, releaser, &w), 0);
	struct err e;
	err_clear(&e);
	enum err_code rc = db_run_txn(db, DB_TXN_WRITE, insert_two, &w, &e);
	pthread_join(rel, NULL);
	pthread_join(th, NULL);
	if (rc != ERR_OK)
		print_error("db_run_txn: %s\n", e.detail);
	assert_int_equal(rc, ERR_OK);
	assert_int_equal(h.rc, ERR_OK);
	/* BEGIN IMMEDIATE: the busy wait happened at BEGIN, so the body ran exactly once. */
	assert_int_equal(w.calls, 1);
	struct db_stats s;
	db_stats(db, &s);
	assert_true(s.txn_retries >= 3);
	assert_int_equal(s.txn_busy_fail, 0);
	assert_int_equal(count_rows(c, "t"), 2);
	db_close(db);
}

static void test_busy_gives_up(void **state)
{
	(void)state;
	struct db_options opt = {.busy_timeout_ms = 1, .txn_max_attempts = 3, .backoff_max_ms = 1};
	struct db *db = open_db("busy2.db", &opt);
	struct db_conn *c = tmpdb_conn(db);
	exec_ok(c, "CREATE TABLE t (k INTEGER PRIMARY KEY)");
	struct holder h = {.db = db};
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, hold_write_lock, &h), 0);
	wait_locked(&h);
	struct waiter_ctx w = {&h, db, 0, 0};
	struct err e;
	err_clear(&e);
	/* The holder keeps the lock until we are done: every attempt is busy. */
	assert_int_equal(db_run_txn(db, DB_TXN_WRITE, insert_two, &w, &e), ERR_DB_BUSY);
	assert_int_equal(err_http_status(e.code), 503);
	atomic_store(&h.release, 1);
	pthread_join(th, NULL);
	assert_int_equal(h.rc, ERR_OK);
	assert_int_equal(w.calls, 0);
	struct db_stats s;
	db_stats(db, &s);
	assert_int_equal(s.txn_retries, 2);
	assert_int_equal(s.txn_busy_fail, 1);
	assert_false(db_in_txn(c));
	/* Readers are not blocked by a writer in WAL mode, and the row of the holder is there. */
	assert_int_equal(count_rows(c, "t"), 1);
	db_close(db);
}

/* ---- statement cache ---- */

static void test_statement_cache(void **state)
{
	(void)state;
	struct db_options opt = {.stmt_cache_size = 2};
	struct db *db = open_db("cache.db", &opt);
	struct db_conn *c = tmpdb_conn(db);
	struct db_conn_stats s0, s1;
	db_conn_stats(c, &s0);
	int64_t v;
	for (int i = 0; i < 10; i++) {
		assert_int_equal(db_query_int64(c, "SELECT $1 + 1", DB_ARGS(db_int(i)), &v, NULL),
		                 ERR_OK);
		assert_int_equal(v, i + 1); /* bindings of the previous use are gone */
	}
	db_conn_stats(c, &s1);
	assert_int_equal(s1.prepares - s0.prepares, 1);
	assert_int_equal(s1.cache_hits - s0.cache_hits, 9);

	/* Bounded: with 2 slots, A B C A compiles A again (least recently used went out). */
	const char *q[] = {"SELECT 1", "SELECT 2", "SELECT 3", "SELECT 1", "SELECT 3"};
	db_conn_stats(c, &s0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(db_query_int64(c, q[i], DB_NOARGS, &v, NULL), ERR_OK);
	db_conn_stats(c, &s1);
	assert_int_equal(s1.prepares - s0.prepares, 4);
	assert_int_equal(s1.cache_hits - s0.cache_hits, 1);

	/* The same SQL in use twice at once (a nested loop) gets two statements. */
	exec_ok(c, "CREATE TABLE n (x INTEGER)");
	exec_ok(c, "INSERT INTO n (x) VALUES (1), (2), (3)");
	const char *sql = "SELECT x FROM n WHERE x >= $1 ORDER BY x";
	struct db_stmt *outer, *inner, *third;
	bool row;
	int64_t sum = 0;
	assert_int_equal(db_query(c, sql, DB_ARGS(db_int(1)), &outer, NULL), ERR_OK);
	while (db_step(outer, &row, NULL) == ERR_OK && row) {
		int64_t x = db_col_int64(outer, 0);
		assert_int_equal(db_query(c, sql, DB_ARGS(db_int(x)), &inner, NULL), ERR_OK);
		/* All slots busy now: a third use gets a statement outside the cache. */
		assert_int_equal(db_query(c, sql, DB_ARGS(db_int(3)), &third, NULL), ERR_OK);
		while (db_step(inner, &row, NULL) == ERR_OK && row)
			sum += x * 10 + db_col_int64(inner, 0);
		assert_int_equal(db_step(third, &row, NULL), ERR_OK);
		assert_true(row);
		assert_int_equal(db_col_int64(third, 0), 3);
		db_finish(third);
		db_finish(inner);
	}
	db_finish(outer);
	/* pairs (1,1)(1,2)(1,3)(2,2)(2,3)(3,3): 11+12+13+22+23+33 */
	assert_int_equal(sum, 114);
	db_close(db);
}

/* ---- thread connections ---- */

struct thread_probe {
	struct db *db;
	struct db_conn *seen;
	enum err_code rc;
	int64_t count;
};

static void *probe(void *arg)
{
	struct thread_probe *p = arg;
	struct db_conn *a, *b;
	p->rc = db_thread_conn(p->db, &a, NULL);
	if (p->rc == ERR_OK)
		p->rc = db_thread_conn(p->db, &b, NULL);
	if (p->rc == ERR_OK && a != b)
		p->rc = ERR_INTERNAL;
	if (p->rc == ERR_OK)
		p->rc = db_query_int64(a, "SELECT count(*) FROM t", DB_NOARGS, &p->count, NULL);
	p->seen = a;
	return NULL; /* the connection is closed when the thread ends */
}

static void test_thread_connections(void **state)
{
	(void)state;
	struct db *db = open_db("threads.db", NULL);
	struct db_conn *c = tmpdb_conn(db), *again;
	assert_int_equal(db_thread_conn(db, &again, NULL), ERR_OK);
	assert_ptr_equal(c, again);
	exec_ok(c, "CREATE TABLE t (k INTEGER)");
	exec_ok(c, "INSERT INTO t (k) VALUES (1), (2)");
	struct thread_probe p[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		p[i] = (struct thread_probe){db, NULL, ERR_INTERNAL, 0};
		assert_int_equal(pthread_create(&th[i], NULL, probe, &p[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(p[i].rc, ERR_OK);
		assert_int_equal(p[i].count, 2);
		assert_ptr_not_equal(p[i].seen, c);
	}
	struct db_stats s;
	db_stats(db, &s);
	assert_int_equal(s.conns_opened, 5);
	/* Closing this thread's connection: the next call opens a new one. */
	db_thread_conn_close(db);
	assert_int_equal(db_thread_conn(db, &again, NULL), ERR_OK);
	db_stats(db, &s);
	assert_int_equal(s.conns_opened, 6);
	assert_int_equal(count_rows(again, "t"), 2);
	db_close(db);
}

/* ---- durability and backup ---- */

static void test_commit_survives_process_crash(void **state)
{
	(void)state;
	/* A child commits and dies without closing anything (as in a process crash); the
	 * parent then finds the row: the commit was written to the WAL before it returned.
	 * (Surviving a power cut also needs the fsync of synchronous=FULL, checked above.) */
	struct db *db = open_db("crash.db", NULL);
	exec_ok(tmpdb_conn(db), "CREATE TABLE t (k INTEGER PRIMARY KEY)");
	db_close(db);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct db *cdb = NULL;
		struct insert_ctx one = {7, 1, ERR_OK, 0};
		char ok = 'n';
		if (db_open(url_of("crash.db"), NULL, &cdb, NULL) == ERR_OK &&
		    db_run_txn(cdb, DB_TXN_WRITE, insert_rows, &one, NULL) == ERR_OK)
			ok = 'y';
		if (write(fds[1], &ok, 1) != 1)
			_exit(3);
		_exit(ok == 'y' ? 0 : 2); /* no db_close: the WAL is left behind */
	}
	close(fds[1]);
	char got = 0;
	assert_int_equal(read(fds[0], &got, 1), 1);
	close(fds[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(got, 'y');
	db = open_db("crash.db", NULL);
	int64_t k = 0;
	assert_int_equal(db_query_int64(tmpdb_conn(db), "SELECT k FROM t", DB_NOARGS, &k, NULL),
	                 ERR_OK);
	assert_int_equal(k, 7);
	db_close(db);
}

struct writer {
	struct db *db;
	atomic_int stop;
	atomic_int done_txns;
	enum err_code rc;
};

static enum err_code write_pair(struct db_conn *c, void *ctx, struct err *e)
{
	(void)ctx;
	/* Two tables written in one transaction: a consistent copy has equal counts. */
	enum err_code rc =
	        db_exec(c, "INSERT INTO a (v) VALUES ($1)", DB_ARGS(db_text("x")), NULL, e);
	if (rc == ERR_OK)
		rc = db_exec(c, "INSERT INTO b (v) VALUES ($1)", DB_ARGS(db_text("y")), NULL, e);
	return rc;
}

static void *write_loop(void *arg)
{
	struct writer *w = arg;
	w->rc = ERR_OK;
	while (!atomic_load(&w->stop) && w->rc == ERR_OK) {
		w->rc = db_run_txn(w->db, DB_TXN_WRITE, write_pair, NULL, NULL);
		atomic_fetch_add(&w->done_txns, 1);
	}
	return NULL;
}

static void test_backup_while_writing(void **state)
{
	(void)state;
	struct db *db = open_db("live.db", NULL);
	struct db_conn *c = tmpdb_conn(db);
	exec_ok(c, "CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)");
	exec_ok(c, "CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT)");
	struct writer w = {.db = db};
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, write_loop, &w), 0);
	for (int i = 0; i < 60000 && atomic_load(&w.done_txns) < 20; i++)
		sleep_ms(1);
	char copy[512], copy2[512];
	snprintf(copy, sizeof copy, "%s/copy.db", tmpdir);
	snprintf(copy2, sizeof copy2, "%s/copy2.db", tmpdir);
	struct err e;
	err_clear(&e);
	int64_t bytes = 0;
	enum err_code rc = db_backup(db, copy, &bytes, &e);
	int during = atomic_load(&w.done_txns);
	enum err_code rc2 = db_backup(db, copy2, NULL, NULL);
	atomic_store(&w.stop, 1);
	pthread_join(th, NULL);
	if (rc != ERR_OK)
		print_error("backup: %s\n", e.detail);
	assert_int_equal(rc, ERR_OK);
	assert_int_equal(rc2, ERR_OK);
	assert_int_equal(w.rc, ERR_OK);
	assert_true(bytes > 0);
	assert_true(during >= 20);

	/* The copy is a self-contained file (rollback journal mode) ... */
	sqlite3 *raw;
	assert_int_equal(sqlite3_open_v2(copy, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "delete");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	sqlite3_close(raw);
	/* ... with a consistent count: both tables written by the same transactions. */
	struct db *cdb = open_db("copy.db", NULL);
	int64_t na = count_rows(tmpdb_conn(cdb), "a"), nb = count_rows(tmpdb_conn(cdb), "b");
	assert_int_equal(na, nb);
	assert_true(na >= 20);
	db_close(cdb);
	assert_true(count_rows(c, "a") >= na);
	assert_int_equal(count_rows(c, "a"), count_rows(c, "b"));

	/* No partial file is left; an existing file is never overwritten. */
	char partial[600];
	struct stat sb;
	snprintf(partial, sizeof partial, "%s.partial", copy);
	assert_int_not_equal(stat(partial, &sb), 0);
	err_clear(&e);
	assert_int_equal(db_backup(db, copy, NULL, &e), ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(e.detail, "already exists"));
	assert_int_equal(db_backup(db, "", NULL, &e), ERR_MISSING_ARGUMENT);
	char nodir[512];
	snprintf(nodir, sizeof nodir, "%s/no/such/dir/copy.db", tmpdir);
	assert_int_not_equal(db_backup(db, nodir, NULL, &e), ERR_OK);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_open_creates_parents_and_sets_pragmas),
	        cmocka_unit_test(test_open_refusals),
	        cmocka_unit_test(test_relative_path),
	        cmocka_unit_test(test_binding_order),
	        cmocka_unit_test(test_int64_and_nulls),
	        cmocka_unit_test(test_blobs),
	        cmocka_unit_test(test_vietnamese_text),
	        cmocka_unit_test(test_constraint_classes),
	        cmocka_unit_test(test_changes_upsert_returning),
	        cmocka_unit_test(test_transactions),
	        cmocka_unit_test(test_busy_retry_two_threads),
	        cmocka_unit_test(test_busy_gives_up),
	        cmocka_unit_test(test_statement_cache),
	        cmocka_unit_test(test_thread_connections),
	        cmocka_unit_test(test_commit_survives_process_crash),
	        cmocka_unit_test(test_backup_while_writing),
	};
	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
