/*
 * bench_db: the raw insert rate of the storage layer, in the durability mode
 * the server uses (SQLite, WAL, synchronous=FULL: every commit is fsync'ed).
 * This is the ceiling against which intake throughput over HTTP is read.
 *
 * Rows look like a dossier's (ids, a code, a name in Vietnamese, state,
 * times, ~200 bytes of JSON). Measured, each on a fresh database file:
 *   1. db API, one row per transaction (db_run_txn + cached INSERT);
 *   2. db API, 100 rows per transaction;
 *   3. db API, one row per transaction from 4 threads at once (the writers
 *      queue on SQLite's single write lock; shows the cost of contention);
 *   4. plain sqlite3 calls, one row per transaction and 100 per transaction,
 *      to show the overhead of the db layer.
 * Figures are printed, never asserted. The files go to $MOTCUA_BENCH_DIR or
 * var/bench (not /tmp, which may be a RAM disk where fsync costs nothing).
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"

#define SECONDS_PER_RUN 3.0
#define BATCH           100
#define THREADS         4
#define MAX_SAMPLES     200000

static const char create_sql[] =
        "CREATE TABLE IF NOT EXISTS dossier (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, "
        "procedure_id INTEGER NOT NULL, applicant TEXT NOT NULL, state INTEGER NOT NULL, "
        "received_at BIGINT NOT NULL, due_at BIGINT NOT NULL, data TEXT NOT NULL)";
static const char insert_sql[] =
        "INSERT INTO dossier (code, procedure_id, applicant, state, received_at, due_at, data) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)";
static const char data_json[] =
        "{\"components\":[{\"id\":1,\"received\":1},{\"id\":2,\"received\":1}],"
        "\"address\":\"Số 12 phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội\","
        "\"phone\":\"0912345678\",\"note\":\"nộp trực tiếp tại quầy\"}";

static char dir[1024];
static atomic_long next_code;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void remove_db(const char *path)
{
	const char *suffix[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		char p[1200];
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
}

static void fresh_path(const char *name, char *path, size_t n)
{
	snprintf(path, n, "%s/%s", dir, name);
	remove_db(path);
}

struct batch {
	int rows;
};

static enum err_code insert_batch(struct db_conn *c, void *vctx, struct err *e)
{
	struct batch *b = vctx;
	for (int i = 0; i < b->rows; i++) {
		long k = atomic_fetch_add(&next_code, 1);
		char code[48];
		snprintf(code, sizeof code, "000.00.01.H26-250425-%07ld", k);
		enum err_code rc = db_exec(c, insert_sql,
		                           DB_ARGS(db_text(code), db_int(1 + k % 500),
		                                   db_text("Nguyễn Thị Ánh Tuyết"), db_int(2),
		                                   db_int(1745550000 + k), db_int(1745800000 + k),
		                                   db_text(data_json)),
		                           NULL, e);
		if (rc != ERR_OK)
			return rc;
	}
	return ERR_OK;
}

static void report(const char *what, long rows, long txns, double secs, double *lat, int nlat)
{
	printf("%-44s %8ld rows %7.2f s %10.0f rows/s %9.0f txn/s", what, rows, secs,
	       (double)rows / secs, (double)txns / secs);
	if (nlat > 0) {
		qsort(lat, (size_t)nlat, sizeof *lat, cmp_double);
		printf("  commit p50 %.2f ms p99 %.2f ms", lat[nlat / 2] * 1e3,
		       lat[(int)((double)nlat * 0.99)] * 1e3);
	}
	printf("\n");
}

static struct db *open_fresh(const char *name, char *path, size_t n)
{
	fresh_path(name, path, n);
	char url[1300];
	snprintf(url, sizeof url, "sqlite:%s", path);
	struct db *db = NULL;
	struct err e;
	struct db_conn *c;
	if (db_open(url, NULL, &db, &e) != ERR_OK || db_thread_conn(db, &c, &e) != ERR_OK ||
	    db_exec(c, create_sql, DB_NOARGS, NULL, &e) != ERR_OK) {
		fprintf(stderr, "bench_db: %s\n", e.detail);
		exit(1);
	}
	return db;
}

static void bench_api(const char *what, int rows_per_txn)
{
	char path[1100];
	struct db *db = open_fresh("bench-api.db", path, sizeof path);
	static double lat[MAX_SAMPLES];
	int nlat = 0;
	long rows = 0, txns = 0;
	double start = now_s(), t;
	struct batch b = {rows_per_txn};
	struct err e;
	while ((t = now_s()) - start < SECONDS_PER_RUN) {
		if (db_run_txn(db, DB_TXN_WRITE, insert_batch, &b, &e) != ERR_OK) {
			fprintf(stderr, "bench_db: %s\n", e.detail);
			exit(1);
		}
		double t2 = now_s();
		if (nlat < MAX_SAMPLES)
			lat[nlat++] = t2 - t;
		rows += rows_per_txn;
		txns++;
	}
	report(what, rows, txns, now_s() - start, lat, nlat);
	db_close(db);
	remove_db(path);
}

struct worker {
	struct db *db;
	double until;
	long txns;
	int failed;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	struct batch b = {1};
	while (now_s() < w->until) {
		if (db_run_txn(w->db, DB_TXN_WRITE, insert_batch, &b, NULL) != ERR_OK)
			w->failed++;
		else
			w->txns++;
	}
	return NULL;
}

static void bench_threads(void)
{
	char path[1100];
	struct db *db = open_fresh("bench-threads.db", path, sizeof path);
	struct worker w[THREADS];
	pthread_t th[THREADS];
	double start = now_s();
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){db, start + SECONDS_PER_RUN, 0, 0};
		pthread_create(&th[i], NULL, worker_run, &w[i]);
	}
	long txns = 0;
	int failed = 0;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		txns += w[i].txns;
		failed += w[i].failed;
	}
	double secs = now_s() - start;
	struct db_stats s;
	db_stats(db, &s);
	char what[80];
	snprintf(what, sizeof what, "db API, 1 row/txn, %d threads", THREADS);
	report(what, txns, txns, secs, NULL, 0);
	printf("%-44s retries %llu, gave up %d\n", "", (unsigned long long)s.txn_retries, failed);
	db_close(db);
	remove_db(path);
}

static void check(sqlite3 *h, int rc, int want)
{
	if (rc != want) {
		fprintf(stderr, "bench_db: sqlite: %s\n", sqlite3_errmsg(h));
		exit(1);
	}
}

static void bench_raw(const char *what, int rows_per_txn)
{
	char path[1100];
	fresh_path("bench-raw.db", path, sizeof path);
	sqlite3 *h;
	check(NULL, sqlite3_open(path, &h), SQLITE_OK);
	check(h,
	      sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL,
	                   NULL),
	      SQLITE_OK);
	check(h, sqlite3_exec(h, create_sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_stmt *ins, *begin, *commit;
	check(h,
	      sqlite3_prepare_v2(h,
	                         "INSERT INTO dossier (code, procedure_id, applicant, state, "
	                         "received_at, due_at, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	                         -1, &ins, NULL),
	      SQLITE_OK);
	check(h, sqlite3_prepare_v2(h, "BEGIN IMMEDIATE", -1, &begin, NULL), SQLITE_OK);
	check(h, sqlite3_prepare_v2(h, "COMMIT", -1, &commit, NULL), SQLITE_OK);
	long rows = 0, txns = 0, k = 0;
	double start = now_s();
	while (now_s() - start < SECONDS_PER_RUN) {
		check(h, sqlite3_step(begin), SQLITE_DONE);
		sqlite3_reset(begin);
		for (int i = 0; i < rows_per_txn; i++, k++) {
			char code[48];
			snprintf(code, sizeof code, "000.00.01.H26-250425-%07ld", k);
			sqlite3_bind_text(ins, 1, code, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(ins, 2, 1 + k % 500);
			sqlite3_bind_text(ins, 3, "Nguyễn Thị Ánh Tuyết", -1, SQLITE_STATIC);
			sqlite3_bind_int64(ins, 4, 2);
			sqlite3_bind_int64(ins, 5, 1745550000 + k);
			sqlite3_bind_int64(ins, 6, 1745800000 + k);
			sqlite3_bind_text(ins, 7, data_json, -1, SQLITE_STATIC);
			check(h, sqlite3_step(ins), SQLITE_DONE);
			sqlite3_reset(ins);
		}
		check(h, sqlite3_step(commit), SQLITE_DONE);
		sqlite3_reset(commit);
		rows += rows_per_txn;
		txns++;
	}
	report(what, rows, txns, now_s() - start, NULL, 0);
	sqlite3_finalize(ins);
	sqlite3_finalize(begin);
	sqlite3_finalize(commit);
	sqlite3_close(h);
	remove_db(path);
}

int main(void)
{
	const char *env = getenv("MOTCUA_BENCH_DIR");
	snprintf(dir, sizeof dir, "%s", env && *env ? env : "var/bench");
	mkdir("var", 0750);
	mkdir(dir, 0750);
	struct statfs sf;
	const char *fs = "unknown";
	if (statfs(dir, &sf) == 0)
		fs = sf.f_type == 0x01021994   ? "tmpfs (RAM: fsync is free, figures too high)"
		     : sf.f_type == 0xEF53     ? "ext2/3/4"
		     : sf.f_type == 0x58465342 ? "xfs"
		     : sf.f_type == 0x9123683E ? "btrfs"
		     : sf.f_type == 0x794c7630 ? "overlayfs"
		                               : "other";
	printf("SQLite %s, WAL, synchronous=FULL; files in %s (%s); %.0f s per run\n",
	       sqlite3_libversion(), dir, fs, SECONDS_PER_RUN);
	bench_api("db API, 1 row/txn", 1);
	char what[64];
	snprintf(what, sizeof what, "db API, %d rows/txn", BATCH);
	bench_api(what, BATCH);
	bench_threads();
	bench_raw("sqlite3 direct, 1 row/txn", 1);
	snprintf(what, sizeof what, "sqlite3 direct, %d rows/txn", BATCH);
	bench_raw(what, BATCH);
	return 0;
}
