/*
 * db: the one database API of motcua, with a driver per engine (a table of
 * function pointers, db_driver.h): SQLite (db_sqlite.c) and PostgreSQL
 * through libpq (db_pg.c), chosen by the URL. Services never see the engine.
 *
 * Differences the callers must respect so that one SQL text works on both:
 * a failed statement ends the transaction on PostgreSQL (do not carry on
 * after an error); a parameter takes the type of what it meets, so compare
 * 64-bit values with BIGINT columns or CAST($n AS BIGINT); binary columns are
 * BLOB on SQLite and BYTEA on PostgreSQL (a dialect section in the migration).
 *
 * SQL is written once, in the common subset of SQLite 3.40 and PostgreSQL 15:
 * $1-style placeholders, BIGINT / INTEGER / TEXT columns (no BOOLEAN: 0/1 in
 * an INTEGER), CAST(x AS t) instead of ::, ON CONFLICT instead of OR IGNORE,
 * RETURNING, times as integer epoch seconds. The SQLite driver rewrites $N to
 * ?N (sql_rewrite.h); the PostgreSQL driver passes the text through.
 *
 * Objects:
 *   struct db       one database, opened from the `database` URL; shared by
 *                   all threads; holds the driver and the options.
 *   struct db_conn  one connection; used by ONE thread at a time.
 *   struct db_stmt  one statement being run on a connection, from db_query()
 *                   to db_finish(); it comes from the connection's cache of
 *                   prepared statements, keyed by the SQL text.
 *
 * Threads. Every thread uses its own connection. db_thread_conn() hands the
 * calling thread its connection, opening it on first use and closing it when
 * the thread exits. The server runs libmicrohttpd with a thread pool: each
 * worker thread calls db_run_txn(db, ...) from its handlers, which uses that
 * thread's connection, so connections are opened lazily, one per worker, and
 * never shared. Background threads (outbox worker, planning jobs) do the same.
 * db_close() must come after those threads have stopped.
 *
 * Transactions. A use case is one function run by db_run_txn(): the runner
 * begins (BEGIN IMMEDIATE on SQLite for writes, so two writers queue at the
 * start instead of failing mid-way), calls the function, commits; any error
 * rolls back. When the engine reports a transient failure (SQLite busy
 * after the busy timeout, PostgreSQL serialization failure or deadlock) the
 * whole function runs again after a short randomized back-off, up to a cap.
 * The function must therefore have no effects outside the database.
 *
 * Errors. Every call returns an enum err_code and fills *e:
 *   ERR_DB_BUSY        transient: locked, busy, serialization failure (retried by db_run_txn)
 *   ERR_DB_CONFLICT    a UNIQUE or PRIMARY KEY violation (HTTP 409)
 *   ERR_DB_CONSTRAINT  a FOREIGN KEY, CHECK, NOT NULL or trigger violation
 *   ERR_DB_ERROR       anything else (syntax, I/O, corruption, misuse)
 *
 * Text. Values bound as text must be UTF-8 without NUL bytes (PostgreSQL
 * refuses anything else, so SQLite does here too); text read back is UTF-8.
 *
 * Example (a service's use case):
 *
 *	static enum err_code next_number(struct db_conn *c, void *ctx, struct err *e)
 *	{
 *		struct numbering *x = ctx;
 *		return db_query_int64(c,
 *			"INSERT INTO daily_seq (unit, day, n) VALUES ($1, $2, 1) "
 *			"ON CONFLICT (unit, day) DO UPDATE SET n = daily_seq.n + 1 RETURNING n",
 *			DB_ARGS(db_text(x->unit), db_int(x->day)), &x->n, e);
 *	}
 *	...
 *	rc = db_run_txn(db, DB_TXN_WRITE, next_number, &x, &e);
 *
 * Concurrency on PostgreSQL: SQLite runs one writer at a time, PostgreSQL
 * runs DB_TXN_WRITE at READ COMMITTED. Write read-then-write logic as one
 * statement (upsert, UPDATE ... WHERE version = $n, RETURNING) or run it as
 * DB_TXN_SERIALIZABLE; SELECT ... FOR UPDATE does not exist in SQLite.
 */
#ifndef MOTCUA_DB_DB_H
#define MOTCUA_DB_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/error.h"

struct db;
struct db_conn;
struct db_stmt;

/* Tunables; a field left 0 takes its default. */
struct db_options {
	int busy_timeout_ms;  /* SQLite: wait for a lock this long before ERR_DB_BUSY (1000) */
	int stmt_cache_size;  /* prepared statements kept per connection (64) */
	int txn_max_attempts; /* db_run_txn: attempts before giving up with ERR_DB_BUSY (8) */
	int backoff_max_ms;   /* db_run_txn: longest sleep between attempts (100) */
};

#define DB_DEFAULT_BUSY_TIMEOUT_MS  1000
#define DB_DEFAULT_STMT_CACHE_SIZE  64
#define DB_DEFAULT_TXN_MAX_ATTEMPTS 8
#define DB_DEFAULT_BACKOFF_MAX_MS   100
#define DB_MAX_PARAMS               999 /* highest $N */

/* ---- values bound to $1, $2, ... ---- */

enum db_type { DB_T_NULL, DB_T_INT64, DB_T_TEXT, DB_T_BLOB };

struct db_param {
	enum db_type type;
	int64_t i;     /* DB_T_INT64 */
	const void *p; /* DB_T_TEXT (UTF-8, need not be NUL-terminated) and DB_T_BLOB */
	size_t len;    /* bytes at p */
};

static inline struct db_param db_null(void)
{
	return (struct db_param){.type = DB_T_NULL};
}
static inline struct db_param db_int(int64_t v)
{
	return (struct db_param){.type = DB_T_INT64, .i = v};
}
/* A NUL-terminated string; NULL binds SQL NULL. */
static inline struct db_param db_text(const char *s)
{
	return s ? (struct db_param){.type = DB_T_TEXT, .p = s, .len = strlen(s)} : db_null();
}
/* len bytes of text at s (s may be NULL only when len is 0: the empty string). */
static inline struct db_param db_textn(const char *s, size_t len)
{
	return (struct db_param){.type = DB_T_TEXT, .p = s ? s : "", .len = len};
}
/* len bytes of binary data; p NULL binds SQL NULL. */
static inline struct db_param db_blob(const void *p, size_t len)
{
	return p ? (struct db_param){.type = DB_T_BLOB, .p = p, .len = len} : db_null();
}

/*
 * DB_ARGS(db_int(id), db_text(name)) expands to the two arguments
 * "params, count" of db_exec() / db_query(); DB_NOARGS to "NULL, 0".
 */
#define DB_ARGS(...)                                                                               \
	((const struct db_param[]){__VA_ARGS__}),                                                  \
	        ((int)(sizeof((const struct db_param[]){__VA_ARGS__}) / sizeof(struct db_param)))
#define DB_NOARGS NULL, 0

/* ---- opening and connections ---- */

/*
 * Opens the database named by url: "sqlite:PATH" (PATH relative to the working
 * directory or absolute; missing parent directories are created; ":memory:"
 * is refused since every connection would see another database) or
 * "postgresql://..." / "postgres://..." (libpq connection URI). opt may be NULL. Opens and checks
 * one connection (it becomes the calling thread's connection), so that a wrong path or an
 * unreadable file fails here. *out is freed with db_close().
 */
enum err_code db_open(const char *url, const struct db_options *opt, struct db **out,
                      struct err *e);

/* Closes every thread connection still open and frees db. NULL is allowed. */
void db_close(struct db *db);

/* The driver's name: "sqlite" or "postgresql". */
const char *db_driver_name(const struct db *db);

/* The calling thread's connection, opened on first use; owned by db. */
enum err_code db_thread_conn(struct db *db, struct db_conn **out, struct err *e);

/* Closes the calling thread's connection now (it reopens on next use). */
void db_thread_conn_close(struct db *db);

/* A new private connection, for a caller that manages it; close with db_conn_close(). */
enum err_code db_conn_open(struct db *db, struct db_conn **out, struct err *e);
void db_conn_close(struct db_conn *c);

/* ---- transactions ---- */

enum db_txn_mode {
	DB_TXN_READ,        /* a consistent snapshot; statements that write are refused */
	DB_TXN_WRITE,       /* reads and writes; SQLite: BEGIN IMMEDIATE */
	DB_TXN_SERIALIZABLE /* writes whose correctness needs full serializability (PostgreSQL:
	                       ISOLATION LEVEL SERIALIZABLE; SQLite: same as DB_TXN_WRITE) */
};

/*
 * The body of a transaction: runs its statements on c and returns ERR_OK to
 * commit, or any error (with *e filled) to roll back. ERR_DB_BUSY makes
 * db_run_txn() run it again from the start.
 */
typedef enum err_code db_txn_fn(struct db_conn *c, void *ctx, struct err *e);

/*
 * Runs fn(conn, ctx, e) in one transaction on the calling thread's
 * connection: begin, fn, commit; rollback on any error. Busy and
 * serialization failures (of BEGIN, of fn's statements, of COMMIT) are
 * retried with randomized exponential back-off, at most txn_max_attempts
 * times in all. Returns ERR_OK or the error of the last attempt. A
 * transaction already open on the connection is refused (ERR_INTERNAL).
 */
enum err_code db_run_txn(struct db *db, enum db_txn_mode mode, db_txn_fn *fn, void *ctx,
                         struct err *e);

/* The same on a given connection. */
enum err_code db_conn_run_txn(struct db_conn *c, enum db_txn_mode mode, db_txn_fn *fn, void *ctx,
                              struct err *e);

/* Manual control (prefer db_run_txn): begin, commit, and rollback (never fails; no-op outside a
 * transaction). */
enum err_code db_begin(struct db_conn *c, enum db_txn_mode mode, struct err *e);
enum err_code db_commit(struct db_conn *c, struct err *e);
void db_rollback(struct db_conn *c);

/* True while a transaction is open on c. */
bool db_in_txn(const struct db_conn *c);

/* True for the errors that db_run_txn retries (ERR_DB_BUSY). */
bool db_retryable(enum err_code code);

/* ---- statements ---- */

/*
 * Runs one statement that returns no rows (or whose rows are ignored), with
 * params[0..n) bound to $1..$n; n must equal the highest $N of the SQL.
 * *changes (when not NULL) gets the number of rows inserted, updated or
 * deleted.
 */
enum err_code db_exec(struct db_conn *c, const char *sql, const struct db_param *params, int n,
                      int64_t *changes, struct err *e);

/*
 * Runs several ';'-separated statements without parameters (migrations).
 * Not cached.
 */
enum err_code db_exec_script(struct db_conn *c, const char *sql, struct err *e);

/*
 * Prepares (or takes from the cache) sql, binds params[0..n) to $1..$n and
 * hands back the statement, positioned before its first row. Read rows with
 * db_step() and the db_col_*() functions, then always call db_finish().
 */
enum err_code db_query(struct db_conn *c, const char *sql, const struct db_param *params, int n,
                       struct db_stmt **out, struct err *e);

/*
 * Advances to the next row: *row is true when there is one, false when the
 * statement is done. Returns ERR_OK or an error (the statement is then done).
 */
enum err_code db_step(struct db_stmt *st, bool *row, struct err *e);

/* Releases the statement (back into the cache). NULL is allowed. */
void db_finish(struct db_stmt *st);

/* Rows changed by the statement once done (INSERT / UPDATE / DELETE). */
int64_t db_changes(const struct db_stmt *st);

/*
 * Columns of the current row, numbered from 0. Pointers stay valid until the
 * next db_step() or db_finish() on st.
 */
int db_col_count(const struct db_stmt *st);
bool db_col_is_null(struct db_stmt *st, int col);
/* The integer value; 0 for NULL. */
int64_t db_col_int64(struct db_stmt *st, int col);
/* The text (NUL-terminated), or NULL for NULL. *len (when not NULL) gets its byte length. */
const char *db_col_text(struct db_stmt *st, int col, size_t *len);
/* The bytes (NULL for NULL or empty). *len gets their count. */
const void *db_col_blob(struct db_stmt *st, int col, size_t *len);

/* ---- reading rows and binding optional values (shared by the db_*.c modules) ---- */

/* Copies the text column col into dst[size] ("" for NULL; cut to fit). */
void db_col_copy(struct db_stmt *st, int col, char *dst, size_t size);

/* The integer column col, INT64_MIN (DB_NONE, DBQ_NONE) for NULL. */
int64_t db_col_opt(struct db_stmt *st, int col);

/* A text parameter; NULL or "" binds SQL NULL. */
static inline struct db_param db_opt_text(const char *s)
{
	return s && *s ? db_text(s) : db_null();
}

/* An integer parameter; INT64_MIN (DB_NONE) binds SQL NULL. */
static inline struct db_param db_opt_int(int64_t v)
{
	return v == INT64_MIN ? db_null() : db_int(v);
}

/*
 * Grows *items (n used, *cap allocated, sz bytes each, doubling from 16) so
 * that it holds one more. Returns 0, or -1 out of memory (*items unchanged).
 */
int db_grow(void **items, size_t n, size_t *cap, size_t sz);

/* Frees an array of *count items and empties it. */
void db_free_items(void **items, size_t *count);

/*
 * Runs sql and appends one zeroed item of item_size per row to *items
 * (*count of them, growing with db_grow), filled by fill. At most max rows
 * are read; when truncated is not NULL, a row past max sets it. what names
 * the items in the message "out of memory reading <what>" ("out of memory"
 * when NULL). On failure the
 * array is freed and *count is 0.
 */
enum err_code db_read_list(struct db_conn *c, const char *sql, const struct db_param *params, int n,
                           size_t item_size, void (*fill)(struct db_stmt *st, void *item),
                           const char *what, size_t max, bool *truncated, void **items,
                           size_t *count, struct err *e);

/*
 * One row, one integer: runs sql and stores the first column of the first
 * row in *out. Returns ERR_NOT_FOUND when there is no row (or the value is
 * NULL), so that "INSERT ... RETURNING id" and "SELECT count(*)" are one call.
 */
enum err_code db_query_int64(struct db_conn *c, const char *sql, const struct db_param *params,
                             int n, int64_t *out, struct err *e);

/*
 * One row, one text: copies the first column of the first row into out
 * (outsz bytes). ERR_NOT_FOUND when there is no row or the value is NULL,
 * ERR_TOO_LONG when it does not fit.
 */
enum err_code db_query_text(struct db_conn *c, const char *sql, const struct db_param *params,
                            int n, char *out, size_t outsz, struct err *e);

/*
 * One row of several columns: runs sql and positions *st on its first row;
 * ERR_NOT_FOUND "no <what> '<name>'" when there is none. On ERR_OK the
 * caller reads the row and db_finish()es *st; on an error *st is already
 * finished (and NULL).
 */
enum err_code db_query_row(struct db_conn *c, const char *sql, const struct db_param *params, int n,
                           const char *what, const char *name, struct db_stmt **st, struct err *e);

/* ---- introspection, backup, figures ---- */

/* *exists = whether a table named name exists in the current schema. */
enum err_code db_table_exists(struct db_conn *c, const char *name, bool *exists, struct err *e);

/*
 * Writes a consistent copy of the whole database to the file path, while
 * other connections keep writing (SQLite online backup API: one read
 * snapshot). The copy is written to "PATH.partial", synced and renamed, so
 * that path is either absent or complete. An existing path is refused
 * (ERR_INVALID_ARGUMENT). *bytes (when not NULL) gets the copy's size.
 */
enum err_code db_backup(struct db *db, const char *path, int64_t *bytes, struct err *e);

/* Counters of a connection (statement cache). */
struct db_conn_stats {
	uint64_t prepares;   /* statements compiled by the engine */
	uint64_t cache_hits; /* db_query / db_exec served from the cache */
};
void db_conn_stats(const struct db_conn *c, struct db_conn_stats *out);

/* Counters of the whole database (for /metrics). */
struct db_stats {
	uint64_t txns;          /* transactions committed by db_run_txn */
	uint64_t txn_retries;   /* attempts run again after a transient failure */
	uint64_t txn_busy_fail; /* runs that gave up with ERR_DB_BUSY */
	uint64_t conns_opened;  /* connections opened so far */
};
void db_stats(struct db *db, struct db_stats *out);

#endif
