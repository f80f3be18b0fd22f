/*
 * db_driver: the table of functions a database engine implements, and the
 * common head of its connection and statement objects. Only src/db/ includes
 * this header; services use db.h.
 *
 * A driver embeds struct db_conn as the FIRST member of its own connection
 * struct and struct db_stmt as the first member of its statement struct, and
 * fills the function table below. db.c does everything that is the same for
 * every engine: URL selection, per-thread connections, argument checks, UTF-8
 * checks of text, the transaction runner with its retries, statistics.
 *
 * Error classification is the driver's job: each function returning an
 * enum err_code maps the engine's error to ERR_DB_BUSY (busy, locked,
 * serialization failure, deadlock), ERR_DB_CONFLICT (unique violation),
 * ERR_DB_CONSTRAINT (other integrity violations) or ERR_DB_ERROR (other), and
 * writes the engine's message into *e.
 */
#ifndef MOTCUA_DB_DB_DRIVER_H
#define MOTCUA_DB_DB_DRIVER_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"

struct db_conn {
	const struct db_driver *drv;
	struct db *db;
	struct db_conn *next; /* in db's list of thread connections */
	bool in_txn;
	enum db_txn_mode mode;
	struct db_conn_stats stats;
	int cache_size; /* from the options */
	int busy_timeout_ms;
};

struct db_stmt {
	struct db_conn *conn;
	int nparams;  /* highest $N of the SQL */
	bool done;    /* no more rows */
	bool has_row; /* positioned on a row */
	int64_t changes;
};

struct db_driver {
	const char *name;
	/* URL prefixes this driver answers to, NULL-terminated. */
	const char *const *prefixes;

	/*
	 * Checks and normalizes the part of the URL after the prefix into target
	 * (targetsz bytes); may create directories. Called once by db_open().
	 */
	enum err_code (*setup)(const char *rest, char *target, size_t targetsz, struct err *e);
	/* Opens a connection to target. *out is freed with disconnect(). */
	enum err_code (*connect)(const char *target, const struct db_options *opt,
	                         struct db_conn **out, struct err *e);
	void (*disconnect)(struct db_conn *c);

	enum err_code (*exec_script)(struct db_conn *c, const char *sql, struct err *e);
	/* Prepares sql (from the cache when possible); (*out)->nparams is set. */
	enum err_code (*prepare)(struct db_conn *c, const char *sql, struct db_stmt **out,
	                         struct err *e);
	/* Binds p to $idx (1-based). Text is already checked as UTF-8. */
	enum err_code (*bind)(struct db_stmt *st, int idx, const struct db_param *p, struct err *e);
	enum err_code (*step)(struct db_stmt *st, bool *row, struct err *e);
	int (*col_count)(const struct db_stmt *st);
	bool (*col_is_null)(struct db_stmt *st, int col);
	int64_t (*col_int64)(struct db_stmt *st, int col);
	const char *(*col_text)(struct db_stmt *st, int col, size_t *len);
	const void *(*col_blob)(struct db_stmt *st, int col, size_t *len);
	/* Resets the statement and returns it to the cache (or frees it). */
	void (*finish)(struct db_stmt *st);

	enum err_code (*begin)(struct db_conn *c, enum db_txn_mode mode, struct err *e);
	enum err_code (*commit)(struct db_conn *c, struct err *e);
	void (*rollback)(struct db_conn *c);

	enum err_code (*table_exists)(struct db_conn *c, const char *name, bool *exists,
	                              struct err *e);
	/* Copies the database c is connected to into the file path (which does not exist);
	 * NULL when the engine has its own tools (pg_dump). */
	enum err_code (*backup)(struct db_conn *c, const char *path, struct err *e);
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

#endif
