/*
 * Unit tests for service/audit and db/db_audit: the hash chain (genesis,
 * links, a known digest), the triggers of migration 0003 that refuse
 * UPDATE and DELETE, detection by audit_verify() of rows altered, re-hashed
 * or deleted behind the triggers' back (the test drops them), sequence
 * numbers given back by a rollback, bad input, and concurrent appends from
 * several threads. Each test gets a fresh SQLite database migrated with the
 * embedded migrations.
 *
 * Expected digests: computed independently with Python's hashlib from the
 * canonical layout documented in service/audit.h:
 *   sha256(prev_hash + b"motcua-audit-1\n" + seq + b"\n" + at + b"\n" +
 *          len:actor \n len:action \n len:object \n len:detail)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/db_audit.h"
#include "service/audit.h"

#include "tmpdb_fixture.h"

static char tmpdir[256];
static struct db *db;

static int setup(void **state)
{
	(void)state;
	return tmpdb_setup(tmpdir, sizeof tmpdir, "audit", &db);
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

static void staff_actor(struct actor *a)
{
	memset(a, 0, sizeof *a);
	a->kind = ACTOR_STAFF;
	snprintf(a->account_id, sizeof a->account_id, "00112233aabbccdd");
	snprintf(a->username, sizeof a->username, "an.nguyen");
	snprintf(a->addr, sizeof a->addr, "203.0.113.7");
}

static void system_actor(struct actor *a)
{
	memset(a, 0, sizeof *a);
	a->kind = ACTOR_SYSTEM;
	snprintf(a->username, sizeof a->username, "cli");
	snprintf(a->addr, sizeof a->addr, "local");
}

struct append_args {
	const struct actor *actor;
	int64_t at;
	const char *action, *object, *detail;
	bool fail_after; /* roll the transaction back after appending */
};

static enum err_code append_fn(struct db_conn *c, void *vctx, struct err *e)
{
	struct append_args *x = vctx;
	enum err_code rc = audit_append(c, x->actor, x->at, x->action, x->object, x->detail, e);
	if (rc == ERR_OK && x->fail_after)
		return err_set(e, ERR_INVALID_ARGUMENT, "the use case failed after auditing");
	return rc;
}

static enum err_code append(const struct actor *a, int64_t at, const char *action,
                            const char *object, const char *detail)
{
	struct append_args x = {a, at, action, object, detail, false};
	struct err e;
	return db_run_txn(db, DB_TXN_WRITE, append_fn, &x, &e);
}

static int64_t count_rows(void)
{
	int64_t n = -1;
	assert_int_equal(db_query_int64(conn(), "SELECT count(*) FROM audit", DB_NOARGS, &n, NULL),
	                 ERR_OK);
	return n;
}

static void row_text(int64_t seq, const char *col, char *out, size_t n)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT %s FROM audit WHERE seq = $1", col);
	assert_int_equal(db_query_text(conn(), sql, DB_ARGS(db_int(seq)), out, n, NULL), ERR_OK);
}

static enum err_code verify(struct audit_report *r)
{
	struct err e;
	return audit_verify(conn(), r, &e);
}

/* Five rows with varied actors and details, for the tamper tests. */
static void fill_five(void)
{
	struct actor s, y;
	staff_actor(&s);
	system_actor(&y);
	assert_int_equal(append(&y, 1000, "account.create", "account:an.nguyen", NULL), ERR_OK);
	assert_int_equal(append(&s, 1010, "dossier.receive", "dossier:a1", "{\"code\":\"X\"}"),
	                 ERR_OK);
	assert_int_equal(append(&s, 1020, "person.read", "population:001099012345", "{}"), ERR_OK);
	assert_int_equal(append(&s, 1030, "dossier.return", "dossier:a1", "{\"n\":1}"), ERR_OK);
	assert_int_equal(append(&y, 1040, "account.disable", "account:an.nguyen", NULL), ERR_OK);
}

/* The known digests of two rows, and the links between them. */
static void test_known_hashes(void **state)
{
	(void)state;
	struct actor s, y;
	char got[AUDIT_HASH_LEN];
	staff_actor(&s);
	system_actor(&y);
	assert_int_equal(append(&s, 1750000000, "account.create", "account:binh.tran",
	                        "{\"roles\":[\"officer\"]}"),
	                 ERR_OK);
	assert_int_equal(append(&y, 1750000060, "account.disable", "account:binh.tran",
	                        "{\"ghi_chú\":\"Hà Nội\"}"),
	                 ERR_OK);
	row_text(1, "prev_hash", got, sizeof got);
	assert_string_equal(got, audit_genesis_hash);
	assert_string_equal(got,
	                    "0000000000000000000000000000000000000000000000000000000000000000");
	row_text(1, "actor", got, sizeof got);
	assert_string_equal(got, "staff:an.nguyen@203.0.113.7");
	row_text(1, "hash", got, sizeof got);
	assert_string_equal(got,
	                    "663e50c10ecba262be2aaaa266b0de4d61ee66073191d1cd990674ed28fc1bab");
	row_text(2, "prev_hash", got, sizeof got);
	assert_string_equal(got,
	                    "663e50c10ecba262be2aaaa266b0de4d61ee66073191d1cd990674ed28fc1bab");
	row_text(2, "actor", got, sizeof got);
	assert_string_equal(got, "system:cli@local");
	row_text(2, "hash", got, sizeof got);
	assert_string_equal(got,
	                    "754be2da41e5d9193331eea97f5294e1e04ae4fc4359127c032e9417cbee0c8d");

	/* The same through the pure function. */
	audit_row_hash(audit_genesis_hash, 1, 1750000000, "staff:an.nguyen@203.0.113.7",
	               "account.create", "account:binh.tran", "{\"roles\":[\"officer\"]}", got);
	assert_string_equal(got,
	                    "663e50c10ecba262be2aaaa266b0de4d61ee66073191d1cd990674ed28fc1bab");
	/* Moving a byte from one field to the next changes the digest (length prefixes). */
	char other[AUDIT_HASH_LEN];
	audit_row_hash(audit_genesis_hash, 1, 1750000000, "staff:an.nguyen@203.0.113.",
	               "7account.create", "account:binh.tran", "{\"roles\":[\"officer\"]}", other);
	assert_string_not_equal(got, other);

	struct audit_report r;
	assert_int_equal(verify(&r), ERR_OK);
	assert_int_equal(r.rows, 2);
	assert_int_equal(r.last_seq, 2);
	assert_int_equal(r.broken_seq, 0);
	assert_string_equal(r.last_hash,
	                    "754be2da41e5d9193331eea97f5294e1e04ae4fc4359127c032e9417cbee0c8d");
}

/* An empty log verifies, with the genesis hash as its head. */
static void test_empty_log(void **state)
{
	(void)state;
	struct audit_report r;
	assert_int_equal(verify(&r), ERR_OK);
	assert_int_equal(r.rows, 0);
	assert_int_equal(r.last_seq, 0);
	assert_string_equal(r.last_hash, audit_genesis_hash);
}

/* Actor texts: kind, username, address. */
static void test_actor_text(void **state)
{
	(void)state;
	struct actor a;
	char out[AUDIT_ACTOR_MAX];
	staff_actor(&a);
	audit_actor_text(&a, out);
	assert_string_equal(out, "staff:an.nguyen@203.0.113.7");
	a.addr[0] = '\0';
	audit_actor_text(&a, out);
	assert_string_equal(out, "staff:an.nguyen");
	a.kind = ACTOR_CITIZEN;
	audit_actor_text(&a, out);
	assert_string_equal(out, "citizen:an.nguyen");
	a.kind = ACTOR_ANONYMOUS;
	a.username[0] = '\0';
	audit_actor_text(&a, out);
	assert_string_equal(out, "anonymous:");
}

/* The triggers of migration 0003 refuse UPDATE and DELETE; nothing changes. */
static void test_triggers_refuse(void **state)
{
	(void)state;
	struct err e;
	char before[AUDIT_HASH_LEN], after[AUDIT_HASH_LEN];
	fill_five();
	row_text(2, "hash", before, sizeof before);
	enum err_code rc = db_exec(conn(), "UPDATE audit SET detail = '{}' WHERE seq = 2",
	                           DB_NOARGS, NULL, &e);
	assert_int_equal(rc, ERR_DB_CONSTRAINT);
	assert_non_null(strstr(e.detail, "append-only"));
	rc = db_exec(conn(), "DELETE FROM audit WHERE seq = 5", DB_NOARGS, NULL, &e);
	assert_int_equal(rc, ERR_DB_CONSTRAINT);
	assert_non_null(strstr(e.detail, "append-only"));
	rc = db_exec(conn(), "DELETE FROM audit", DB_NOARGS, NULL, &e);
	assert_int_equal(rc, ERR_DB_CONSTRAINT);
	assert_int_equal(count_rows(), 5);
	row_text(2, "hash", after, sizeof after);
	assert_string_equal(before, after);
	struct audit_report r;
	assert_int_equal(verify(&r), ERR_OK);
	assert_int_equal(r.rows, 5);
}

static void drop_triggers(void)
{
	struct err e;
	assert_int_equal(db_exec(conn(), "DROP TRIGGER audit_no_update", DB_NOARGS, NULL, &e),
	                 ERR_OK);
	assert_int_equal(db_exec(conn(), "DROP TRIGGER audit_no_delete", DB_NOARGS, NULL, &e),
	                 ERR_OK);
}

/* A row altered behind the triggers' back fails its own hash. */
static void test_altered_row_detected(void **state)
{
	(void)state;
	struct audit_report r;
	fill_five();
	drop_triggers();
	assert_int_equal(db_exec(conn(),
	                         "UPDATE audit SET detail = '{\"code\":\"Y\"}' WHERE seq = 2",
	                         DB_NOARGS, NULL, NULL),
	                 ERR_OK);
	assert_int_equal(verify(&r), ERR_AUDIT_CHAIN_BROKEN);
	assert_int_equal(r.broken_seq, 2);
	assert_int_equal(r.rows, 1); /* row 1 verified before the break */
	assert_string_equal(r.reason, "hash does not match the row");

	/* Changing the time of row 4 instead: broken at 2 still (the first break). */
	assert_int_equal(db_exec(conn(), "UPDATE audit SET at = at + 1 WHERE seq = 4", DB_NOARGS,
	                         NULL, NULL),
	                 ERR_OK);
	assert_int_equal(verify(&r), ERR_AUDIT_CHAIN_BROKEN);
	assert_int_equal(r.broken_seq, 2);
}

/* A row altered and re-hashed breaks the next row's link. */
static void test_rehashed_row_detected(void **state)
{
	(void)state;
	struct audit_report r;
	char prev[AUDIT_HASH_LEN], actor[AUDIT_ACTOR_MAX], hash[AUDIT_HASH_LEN];
	fill_five();
	drop_triggers();
	row_text(3, "prev_hash", prev, sizeof prev);
	row_text(3, "actor", actor, sizeof actor);
	audit_row_hash(prev, 3, 1020, actor, "person.read", "population:079099000001", "{}", hash);
	assert_int_equal(db_exec(conn(),
	                         "UPDATE audit SET object = 'population:079099000001', hash = $1 "
	                         "WHERE seq = 3",
	                         DB_ARGS(db_text(hash)), NULL, NULL),
	                 ERR_OK);
	assert_int_equal(verify(&r), ERR_AUDIT_CHAIN_BROKEN);
	assert_int_equal(r.broken_seq, 4);
	assert_string_equal(r.reason, "prev_hash is not the previous row's hash");
}

/* A row deleted from the middle leaves a gap; from the end, the counter is ahead. */
static void test_deleted_rows_detected(void **state)
{
	(void)state;
	struct audit_report r;
	fill_five();
	drop_triggers();
	assert_int_equal(db_exec(conn(), "DELETE FROM audit WHERE seq = 5", DB_NOARGS, NULL, NULL),
	                 ERR_OK);
	assert_int_equal(verify(&r), ERR_AUDIT_CHAIN_BROKEN);
	assert_int_equal(r.broken_seq, 5);
	assert_int_equal(r.rows, 4);
	assert_string_equal(r.reason, "rows missing at the end of the log");

	assert_int_equal(db_exec(conn(), "DELETE FROM audit WHERE seq = 3", DB_NOARGS, NULL, NULL),
	                 ERR_OK);
	assert_int_equal(verify(&r), ERR_AUDIT_CHAIN_BROKEN);
	assert_int_equal(r.broken_seq, 3);
	assert_string_equal(r.reason, "row missing");

	/* Appending after a missing predecessor (row 5) is refused, not chained onto nothing. */
	struct actor s;
	staff_actor(&s);
	assert_int_equal(append(&s, 2000, "x.y", "z", NULL), ERR_AUDIT_CHAIN_BROKEN);
	assert_int_equal(count_rows(), 3);
}

/* A rolled-back transaction gives its sequence number back: no gap. */
static void test_rollback_leaves_no_gap(void **state)
{
	(void)state;
	struct actor s;
	struct err e;
	struct audit_report r;
	staff_actor(&s);
	assert_int_equal(append(&s, 100, "a.one", "o", NULL), ERR_OK);
	struct append_args x = {&s, 101, "a.two", "o", NULL, true};
	assert_int_equal(db_run_txn(db, DB_TXN_WRITE, append_fn, &x, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(count_rows(), 1);
	assert_int_equal(append(&s, 102, "a.three", "o", NULL), ERR_OK);
	char action[64];
	row_text(2, "action", action, sizeof action);
	assert_string_equal(action, "a.three");
	assert_int_equal(verify(&r), ERR_OK);
	assert_int_equal(r.rows, 2);
}

/* Bad fields are refused and nothing is written. */
static void test_bad_input(void **state)
{
	(void)state;
	struct actor s;
	struct err e;
	staff_actor(&s);
	assert_int_equal(append(&s, 1, "", "o", NULL), ERR_INVALID_ARGUMENT);
	assert_int_equal(append(&s, 1, NULL, "o", NULL), ERR_INVALID_ARGUMENT);
	assert_int_equal(append(&s, 1, "a", "", NULL), ERR_INVALID_ARGUMENT);
	assert_int_equal(append(&s, 1, "a\nb", "o", NULL), ERR_INVALID_ARGUMENT);
	assert_int_equal(append(&s, 1, "a", "o\x01", NULL), ERR_INVALID_ARGUMENT);
	assert_int_equal(append(&s, 1, "a", "\xff\xfe", NULL), ERR_INVALID_ARGUMENT);
	assert_int_equal(append(&s, 1, "a", "o", "[1,2]"), ERR_INVALID_ARGUMENT);
	assert_int_equal(append(&s, 1, "a", "o", "{\"a\":"), ERR_INVALID_ARGUMENT);
	assert_int_equal(append(&s, 1, "a", "o", "{\"a\":1,\"a\":2}"), ERR_INVALID_ARGUMENT);
	char action[AUDIT_ACTION_MAX + 2];
	memset(action, 'a', sizeof action - 1);
	action[sizeof action - 1] = '\0';
	assert_int_equal(append(&s, 1, action, "o", NULL), ERR_TOO_LONG);
	struct append_args x = {NULL, 1, "a", "o", NULL, false};
	assert_int_equal(db_run_txn(db, DB_TXN_WRITE, append_fn, &x, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(count_rows(), 0);
	/* Exactly at the limit is fine. */
	action[AUDIT_ACTION_MAX] = '\0';
	assert_int_equal(append(&s, 1, action, "o", NULL), ERR_OK);
	char detail[64];
	row_text(1, "detail", detail, sizeof detail);
	assert_string_equal(detail, "{}");
}

#define THREADS    4
#define PER_THREAD 25

static void *append_many(void *arg)
{
	struct actor s;
	staff_actor(&s);
	snprintf(s.username, sizeof s.username, "t%d", (int)(intptr_t)arg);
	for (int i = 0; i < PER_THREAD; i++)
		if (append(&s, 3000 + i, "load.append", "object", NULL) != ERR_OK)
			return (void *)1;
	db_thread_conn_close(db);
	return NULL;
}

/* Appends from several threads (connections) at once: seq 1..N without gaps, chain intact. */
static void test_concurrent_appends(void **state)
{
	(void)state;
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, append_many, (void *)(intptr_t)i), 0);
	for (int i = 0; i < THREADS; i++) {
		void *ret = (void *)2;
		pthread_join(t[i], &ret);
		assert_null(ret);
	}
	struct audit_report r;
	assert_int_equal(verify(&r), ERR_OK);
	assert_int_equal(r.rows, THREADS * PER_THREAD);
	assert_int_equal(r.last_seq, THREADS * PER_THREAD);
	int64_t counter = 0;
	assert_int_equal(db_audit_counter(conn(), &counter, NULL), ERR_OK);
	assert_int_equal(counter, THREADS * PER_THREAD);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_known_hashes),
	        T(test_empty_log),
	        T(test_actor_text),
	        T(test_triggers_refuse),
	        T(test_altered_row_detected),
	        T(test_rehashed_row_detected),
	        T(test_deleted_rows_detected),
	        T(test_rollback_leaves_no_gap),
	        T(test_bad_input),
	        T(test_concurrent_appends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
