/*
 * Unit tests for db/migrate: applying numbered migrations, idempotence,
 * refusing changed texts, behind / ahead detection, rollback of a failing
 * migration, two migrators at once. Each test feeds its own migration list
 * (the real schema is db/migrations/, built in and checked last).
 *
 * SHA-256 expected digests: FIPS 180-2 appendix B ("abc", the 448-bit
 * message) and the well-known digest of the empty string; the padding
 * boundary cases (55, 56, 64, 119 bytes) were computed with Python's hashlib.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "db/migrate.h"

#include "tmpdb_fixture.h"

static char tmpdir[256];

static int setup_dir(void **state)
{
	(void)state;
	return tmpdb_mkdir(tmpdir, sizeof tmpdir, "migrate");
}

static int teardown_dir(void **state)
{
	(void)state;
	tmpdb_rm_tree(tmpdir);
	return 0;
}

static struct db *open_db(const char *name)
{
	char url[512];
	struct db *db = NULL;
	struct err e;
	err_clear(&e);
	snprintf(url, sizeof url, "sqlite:%s/%s", tmpdir, name);
	enum err_code rc = db_open(url, NULL, &db, &e);
	if (rc != ERR_OK)
		print_error("db_open: %s\n", e.detail);
	assert_int_equal(rc, ERR_OK);
	return db;
}

static bool has_table(struct db_conn *c, const char *name)
{
	bool exists = false;
	assert_int_equal(db_table_exists(c, name, &exists, NULL), ERR_OK);
	return exists;
}

/* Three migrations in the common SQL of SQLite and PostgreSQL. */
static const struct migration three[] = {
        {1, "0001.sql",
         "CREATE TABLE agency (\n  id INTEGER PRIMARY KEY,\n  code TEXT NOT NULL UNIQUE\n);\n"
         "INSERT INTO agency (id, code) VALUES (1, 'SOTP');\n"},
        {2, "0002.sql",
         "CREATE TABLE dossier (id BIGINT PRIMARY KEY, agency_id INTEGER NOT NULL REFERENCES "
         "agency(id), received_at BIGINT NOT NULL);\n"
         "CREATE INDEX dossier_agency ON dossier (agency_id);\n"},
        {3, "0003.sql", "ALTER TABLE dossier ADD COLUMN note TEXT;\n"},
};

static void test_checksum(void **state)
{
	(void)state;
	char out[MIGRATE_CHECKSUM_LEN];
	static const struct {
		const char *in;
		const char *sha;
	} v[] = {
	        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	        {"Hà Nội", "6ac69af836de8007fe7da283ce10821ab484ae1af98a30ae13b0b23914a0bb79"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		migrate_checksum(v[i].in, out);
		assert_string_equal(out, v[i].sha);
	}
	/* Lengths around the padding boundary: 55 fits one block, 56 needs two. */
	static const struct {
		size_t n;
		const char *sha;
	} a[] = {
	        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
	        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
	        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
	        {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
	};
	char text[128];
	for (size_t i = 0; i < sizeof a / sizeof a[0]; i++) {
		memset(text, 'a', a[i].n);
		text[a[i].n] = '\0';
		migrate_checksum(text, out);
		assert_string_equal(out, a[i].sha);
	}
}

static void test_apply_and_rerun(void **state)
{
	(void)state;
	struct db *db = open_db("apply.db");
	struct db_conn *c = tmpdb_conn(db);
	struct err e;
	err_clear(&e);
	/* A fresh database: no schema_migrations, everything pending. */
	assert_int_equal(migrate_check(c, three, 3, &e), ERR_SCHEMA_BEHIND);
	assert_non_null(strstr(e.detail, "version 0"));
	assert_false(has_table(c, "schema_migrations")); /* checking changes nothing */
	int applied = -1;
	assert_int_equal(migrate_apply(c, three, 3, 1751328000, &applied, &e), ERR_OK);
	assert_int_equal(applied, 3);
	assert_true(has_table(c, "agency"));
	assert_true(has_table(c, "dossier"));
	assert_int_equal(migrate_check(c, three, 3, &e), ERR_OK);

	struct migrate_status st;
	assert_int_equal(migrate_status(c, three, 3, &st, NULL), ERR_OK);
	assert_int_equal(st.verdict, ERR_OK);
	assert_int_equal(st.db_version, 3);
	assert_int_equal(st.code_version, 3);
	assert_int_equal(st.pending, 0);
	assert_int_equal(st.count, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(st.items[i].version, i + 1);
		assert_string_equal(st.items[i].name, three[i].name);
		assert_int_equal(st.items[i].state, MIGRATION_APPLIED);
		assert_int_equal(st.items[i].applied_at, 1751328000);
	}
	migrate_status_release(&st);
	char sum[MIGRATE_CHECKSUM_LEN], stored[MIGRATE_CHECKSUM_LEN];
	migrate_checksum(three[1].sql, sum);
	assert_int_equal(db_query_text(c,
	                               "SELECT checksum FROM schema_migrations WHERE version = $1",
	                               DB_ARGS(db_int(2)), stored, sizeof stored, NULL),
	                 ERR_OK);
	assert_string_equal(stored, sum);

	/* Again: nothing to do, nothing changes (the data row is not inserted twice). */
	assert_int_equal(migrate_apply(c, three, 3, 1751329000, &applied, &e), ERR_OK);
	assert_int_equal(applied, 0);
	int64_t n;
	assert_int_equal(db_query_int64(c, "SELECT count(*) FROM agency", DB_NOARGS, &n, NULL),
	                 ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(db_query_int64(c, "SELECT max(applied_at) FROM schema_migrations",
	                                DB_NOARGS, &n, NULL),
	                 ERR_OK);
	assert_int_equal(n, 1751328000);
	db_close(db);
}

static void test_behind_then_forward(void **state)
{
	(void)state;
	struct db *db = open_db("behind.db");
	struct db_conn *c = tmpdb_conn(db);
	struct err e;
	err_clear(&e);
	int applied;
	/* An older program applied the first two. */
	assert_int_equal(migrate_apply(c, three, 2, 100, &applied, &e), ERR_OK);
	assert_int_equal(applied, 2);
	assert_int_equal(migrate_check(c, three, 2, &e), ERR_OK);
	/* The newer program sees the database behind. */
	assert_int_equal(migrate_check(c, three, 3, &e), ERR_SCHEMA_BEHIND);
	assert_non_null(strstr(e.detail, "version 2, this program needs 3"));
	struct migrate_status st;
	assert_int_equal(migrate_status(c, three, 3, &st, NULL), ERR_OK);
	assert_int_equal(st.verdict, ERR_SCHEMA_BEHIND);
	assert_int_equal(st.db_version, 2);
	assert_int_equal(st.pending, 1);
	assert_int_equal(st.items[2].state, MIGRATION_PENDING);
	assert_int_equal(st.items[2].applied_at, 0);
	assert_string_equal(migration_state_name(st.items[2].state), "pending");
	migrate_status_release(&st);
	assert_int_equal(migrate_apply(c, three, 3, 200, &applied, &e), ERR_OK);
	assert_int_equal(applied, 1);
	assert_int_equal(migrate_check(c, three, 3, &e), ERR_OK);
	db_close(db);
}

static void test_ahead_refused(void **state)
{
	(void)state;
	struct db *db = open_db("ahead.db");
	struct db_conn *c = tmpdb_conn(db);
	struct err e;
	err_clear(&e);
	assert_int_equal(migrate_apply(c, three, 3, 100, NULL, &e), ERR_OK);
	/* An older program (knows 2) meets a database at version 3. */
	assert_int_equal(migrate_check(c, three, 2, &e), ERR_SCHEMA_AHEAD);
	assert_non_null(strstr(e.detail, "version 3, newer than this program's 2"));
	assert_int_not_equal(ERR_SCHEMA_AHEAD, ERR_SCHEMA_BEHIND);
	struct migrate_status st;
	assert_int_equal(migrate_status(c, three, 2, &st, NULL), ERR_OK);
	assert_int_equal(st.verdict, ERR_SCHEMA_AHEAD);
	assert_int_equal(st.count, 3);
	assert_int_equal(st.items[2].state, MIGRATION_UNKNOWN);
	assert_string_equal(st.items[2].name, "0003.sql");
	migrate_status_release(&st);
	assert_int_equal(migrate_apply(c, three, 2, 100, NULL, &e), ERR_SCHEMA_AHEAD);
	/* An empty program list against a migrated database is ahead too. */
	assert_int_equal(migrate_check(c, NULL, 0, &e), ERR_SCHEMA_AHEAD);
	db_close(db);
}

static void test_changed_text_refused(void **state)
{
	(void)state;
	struct db *db = open_db("changed.db");
	struct db_conn *c = tmpdb_conn(db);
	struct err e;
	err_clear(&e);
	assert_int_equal(migrate_apply(c, three, 2, 100, NULL, &e), ERR_OK);
	/* Someone edited 0002.sql after it was applied, and added 0003.sql. */
	struct migration edited[3] = {three[0], three[1], three[2]};
	edited[1].sql = "CREATE TABLE dossier (id BIGINT PRIMARY KEY);\n";
	assert_int_equal(migrate_check(c, edited, 3, &e), ERR_MIGRATION_MISMATCH);
	assert_non_null(strstr(e.detail, "'0002.sql'"));
	assert_non_null(strstr(e.detail, "changed"));
	struct migrate_status st;
	assert_int_equal(migrate_status(c, edited, 3, &st, NULL), ERR_OK);
	assert_int_equal(st.items[1].state, MIGRATION_CHANGED);
	assert_string_equal(migration_state_name(MIGRATION_CHANGED), "changed");
	migrate_status_release(&st);
	/* Refused before anything runs: 0003 is not applied. */
	int applied = -1;
	assert_int_equal(migrate_apply(c, edited, 3, 100, &applied, &e), ERR_MIGRATION_MISMATCH);
	assert_int_equal(applied, 0);
	assert_int_equal(migrate_status(c, three, 3, &st, NULL), ERR_OK);
	assert_int_equal(st.db_version, 2);
	migrate_status_release(&st);
	/* Even a whitespace change counts. */
	edited[1] = three[1];
	char spaced[512];
	snprintf(spaced, sizeof spaced, "%s ", three[1].sql);
	edited[1].sql = spaced;
	assert_int_equal(migrate_check(c, edited, 2, &e), ERR_MIGRATION_MISMATCH);
	db_close(db);
}

static void test_gap_refused(void **state)
{
	(void)state;
	struct db *db = open_db("gap.db");
	struct db_conn *c = tmpdb_conn(db);
	struct err e;
	err_clear(&e);
	assert_int_equal(migrate_apply(c, three, 1, 100, NULL, &e), ERR_OK);
	/* A row for version 3 without 2 (hand-made): not something to build on. */
	char sum[MIGRATE_CHECKSUM_LEN];
	migrate_checksum(three[2].sql, sum);
	assert_int_equal(
	        db_exec(c,
	                "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
	                "VALUES (3, '0003.sql', $1, 100)",
	                DB_ARGS(db_text(sum)), NULL, NULL),
	        ERR_OK);
	assert_int_equal(migrate_check(c, three, 3, &e), ERR_MIGRATION_MISMATCH);
	assert_non_null(strstr(e.detail, "missing below"));
	assert_int_equal(migrate_apply(c, three, 3, 100, NULL, &e), ERR_MIGRATION_MISMATCH);
	assert_false(has_table(c, "dossier"));
	db_close(db);
}

static void test_failing_migration_rolls_back(void **state)
{
	(void)state;
	struct db *db = open_db("failing.db");
	struct db_conn *c = tmpdb_conn(db);
	struct err e;
	err_clear(&e);
	struct migration broken[3] = {three[0], three[1], three[2]};
	/* 0002 creates a table, inserts a row, then fails on a missing table. */
	broken[1].sql = "CREATE TABLE half (id INTEGER PRIMARY KEY);\n"
	                "INSERT INTO half (id) VALUES (1);\n"
	                "INSERT INTO nosuch (id) VALUES (1);\n";
	int applied = -1;
	assert_int_equal(migrate_apply(c, broken, 3, 100, &applied, &e), ERR_DB_ERROR);
	assert_non_null(strstr(e.detail, "'0002.sql'"));
	assert_non_null(strstr(e.detail, "nosuch"));
	assert_int_equal(applied, 1);
	assert_false(has_table(c, "half"));    /* its DDL was rolled back */
	assert_false(has_table(c, "dossier")); /* 0003 was not attempted */
	assert_false(db_in_txn(c));
	struct migrate_status st;
	assert_int_equal(migrate_status(c, broken, 3, &st, NULL), ERR_OK);
	assert_int_equal(st.db_version, 1);
	assert_int_equal(st.pending, 2);
	assert_int_equal(st.verdict, ERR_SCHEMA_BEHIND);
	migrate_status_release(&st);
	/* A constraint failure inside a migration is rolled back the same way. */
	broken[1].sql = "CREATE TABLE half (id INTEGER PRIMARY KEY);\n"
	                "INSERT INTO agency (id, code) VALUES (2, 'SOTP');\n";
	assert_int_equal(migrate_apply(c, broken, 3, 100, &applied, &e), ERR_DB_CONFLICT);
	assert_int_equal(applied, 0);
	assert_false(has_table(c, "half"));
	/* The fixed text (never recorded, so it may change) then applies. */
	assert_int_equal(migrate_apply(c, three, 3, 100, &applied, &e), ERR_OK);
	assert_int_equal(applied, 2);
	assert_int_equal(migrate_check(c, three, 3, &e), ERR_OK);
	db_close(db);
}

static void test_bad_lists_and_empty(void **state)
{
	(void)state;
	struct db *db = open_db("lists.db");
	struct db_conn *c = tmpdb_conn(db);
	struct err e;
	err_clear(&e);
	struct migration bad[2] = {three[0], three[2]}; /* 1, 3 */
	assert_int_equal(migrate_apply(c, bad, 2, 100, NULL, &e), ERR_INTERNAL);
	assert_int_equal(migrate_check(c, bad, 2, &e), ERR_INTERNAL);
	assert_int_equal(migrate_check(c, three + 1, 2, &e), ERR_INTERNAL); /* starts at 2 */
	assert_int_equal(migrate_check(c, NULL, 1, &e), ERR_INTERNAL);
	struct migration noname[1] = {{1, NULL, "SELECT 1"}};
	assert_int_equal(migrate_check(c, noname, 1, &e), ERR_INTERNAL);
	/* Nothing to apply: current, and the bookkeeping table now exists. */
	assert_int_equal(migrate_check(c, NULL, 0, &e), ERR_OK);
	int applied = -1;
	assert_int_equal(migrate_apply(c, NULL, 0, 100, &applied, &e), ERR_OK);
	assert_int_equal(applied, 0);
	assert_true(has_table(c, "schema_migrations"));
	assert_int_equal(migrate_check(c, NULL, 0, &e), ERR_OK);
	/* Not inside a transaction. */
	assert_int_equal(db_begin(c, DB_TXN_WRITE, NULL), ERR_OK);
	assert_int_equal(migrate_apply(c, three, 3, 100, NULL, &e), ERR_INTERNAL);
	db_rollback(c);
	assert_false(has_table(c, "agency"));
	db_close(db);
}

struct migrator {
	struct db *db;
	atomic_int started;
	int applied;
	enum err_code rc;
};

static void *migrate_thread(void *arg)
{
	struct migrator *m = arg;
	struct db_conn *c;
	m->rc = db_thread_conn(m->db, &c, NULL);
	atomic_store(&m->started, 1);
	if (m->rc == ERR_OK)
		m->rc = migrate_apply(c, three, 3, 100, &m->applied, NULL);
	return NULL;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static uint64_t retries_of(struct db *db)
{
	struct db_stats s;
	db_stats(db, &s);
	return s.txn_retries;
}

static void test_two_migrators_at_once(void **state)
{
	(void)state;
	/*
	 * Two nodes starting `motcua db migrate` together. A third connection holds
	 * the write lock while both migrators read the status (everything pending)
	 * and queue for the first migration; then it lets go. Each migration must
	 * run exactly once: the second migrator finds its row and skips it.
	 */
	struct db_options opt = {
	        .busy_timeout_ms = 5, .txn_max_attempts = 1000000, .backoff_max_ms = 2};
	char url[512];
	struct db *db = NULL;
	snprintf(url, sizeof url, "sqlite:%s/race.db", tmpdir);
	assert_int_equal(db_open(url, &opt, &db, NULL), ERR_OK);
	struct db_conn *c = tmpdb_conn(db), *holder;
	assert_int_equal(migrate_apply(c, three, 0, 100, NULL, NULL), ERR_OK); /* the table */
	assert_int_equal(db_conn_open(db, &holder, NULL), ERR_OK);
	assert_int_equal(db_begin(holder, DB_TXN_WRITE, NULL), ERR_OK);
	struct migrator m[2];
	pthread_t th[2];
	for (int i = 0; i < 2; i++) {
		m[i] = (struct migrator){.db = db, .rc = ERR_INTERNAL};
		assert_int_equal(pthread_create(&th[i], NULL, migrate_thread, &m[i]), 0);
	}
	for (int i = 0; i < 60000 && !(atomic_load(&m[0].started) && atomic_load(&m[1].started));
	     i++)
		sleep_ms(1);
	/* Both are past their start; let them fail on the lock a good many times. */
	uint64_t r0 = retries_of(db);
	for (int i = 0; i < 60000 && retries_of(db) < r0 + 40; i++)
		sleep_ms(1);
	assert_int_equal(db_commit(holder, NULL), ERR_OK);
	db_conn_close(holder);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(m[0].rc, ERR_OK);
	assert_int_equal(m[1].rc, ERR_OK);
	assert_int_equal(m[0].applied + m[1].applied, 3);
	int64_t n;
	assert_int_equal(db_query_int64(c, "SELECT count(*) FROM agency", DB_NOARGS, &n, NULL),
	                 ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(migrate_check(c, three, 3, NULL), ERR_OK);
	db_close(db);
}

static void test_embedded_schema(void **state)
{
	(void)state;
	/* The migrations built into the binary (db/migrations/NNNN.sql) apply on a fresh
	 * database, and db_schema_check() then agrees; before that it says behind. */
	int n = -1;
	const struct migration *list = migrate_embedded(&n);
	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		assert_int_equal(list[i].version, i + 1);
		assert_non_null(list[i].name);
	}
	struct db *db = open_db("embedded.db");
	struct err e;
	err_clear(&e);
	assert_int_equal(db_schema_check(db, &e), n > 0 ? ERR_SCHEMA_BEHIND : ERR_OK);
	int applied = -1;
	enum err_code rc = migrate_apply(tmpdb_conn(db), list, n, 100, &applied, &e);
	if (rc != ERR_OK)
		print_error("embedded migrations: %s\n", e.detail);
	assert_int_equal(rc, ERR_OK);
	assert_int_equal(applied, n);
	assert_int_equal(db_schema_check(db, &e), ERR_OK);
	db_close(db);
}

/* Dialect sections: each engine keeps the common SQL and its own section. */
static void test_dialect_sections(void **state)
{
	(void)state;
	const char *sql =
	        "CREATE TABLE a (x INTEGER);\n"
	        "-- dialect: sqlite\n"
	        "CREATE TRIGGER t BEFORE DELETE ON a BEGIN SELECT RAISE(ABORT, 'no'); END;\n"
	        "-- dialect: postgresql\n"
	        "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN END $$;\n"
	        "-- dialect: all\n"
	        "CREATE TABLE b (y INTEGER);\n";
	struct buf out = BUF_INIT(4096);
	struct err e;
	assert_int_equal(migrate_select_dialect(sql, "sqlite", &out, &e), ERR_OK);
	assert_non_null(strstr(buf_str(&out), "CREATE TRIGGER t"));
	assert_null(strstr(buf_str(&out), "plpgsql"));
	assert_null(strstr(buf_str(&out), "dialect"));
	assert_non_null(strstr(buf_str(&out), "CREATE TABLE a"));
	assert_non_null(strstr(buf_str(&out), "CREATE TABLE b"));
	buf_reset(&out);
	assert_int_equal(migrate_select_dialect(sql, "postgresql", &out, &e), ERR_OK);
	assert_null(strstr(buf_str(&out), "CREATE TRIGGER t"));
	assert_non_null(strstr(buf_str(&out), "plpgsql"));
	assert_non_null(strstr(buf_str(&out), "CREATE TABLE b"));
	buf_reset(&out);
	assert_int_equal(
	        migrate_select_dialect("-- dialect: oracle\nSELECT 1;\n", "sqlite", &out, &e),
	        ERR_INTERNAL);
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_dialect_sections),
	        cmocka_unit_test(test_checksum),
	        cmocka_unit_test(test_apply_and_rerun),
	        cmocka_unit_test(test_behind_then_forward),
	        cmocka_unit_test(test_ahead_refused),
	        cmocka_unit_test(test_changed_text_refused),
	        cmocka_unit_test(test_gap_refused),
	        cmocka_unit_test(test_failing_migration_rolls_back),
	        cmocka_unit_test(test_bad_lists_and_empty),
	        cmocka_unit_test(test_two_migrators_at_once),
	        cmocka_unit_test(test_embedded_schema),
	};
	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
