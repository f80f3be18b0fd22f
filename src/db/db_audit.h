/*
 * db_audit: the SQL of the audit log (table audit, migration 0001; the
 * triggers that refuse UPDATE and DELETE are in migration 0003). The chain
 * arithmetic (hashes) lives in src/service/audit.c.
 *
 * The next sequence number comes from the counter row 'audit.seq', advanced
 * by an upsert: its row lock orders concurrent appends on PostgreSQL (the
 * second waits for the first to commit, then reads its hash), and SQLite's
 * write lock does the same. So seq has no gaps and no duplicates across
 * nodes, and a rolled-back transaction gives its number back.
 */
#ifndef MOTCUA_DB_DB_AUDIT_H
#define MOTCUA_DB_DB_AUDIT_H

#include <stdint.h>

#include "base/error.h"
#include "db/db.h"

#define DB_AUDIT_HASH_LEN 65 /* 64 hex digits + NUL */

/* One row. The strings point into the statement (valid during a callback) or the caller's memory.
 */
struct db_audit_row {
	int64_t seq;
	int64_t at;
	const char *actor;
	const char *action;
	const char *object;
	const char *detail;
	const char *prev_hash;
	const char *hash;
};

/* Advances the counter 'audit.seq' and stores the new value (1 for the first row) in *seq. */
enum err_code db_audit_next_seq(struct db_conn *c, int64_t *seq, struct err *e);

/* The counter's value without advancing it; 0 when it was never advanced. */
enum err_code db_audit_counter(struct db_conn *c, int64_t *value, struct err *e);

/* The stored hash of row seq into out; ERR_NOT_FOUND when there is no such row. */
enum err_code db_audit_hash_of(struct db_conn *c, int64_t seq, char out[DB_AUDIT_HASH_LEN],
                               struct err *e);

/* Inserts one row (every field set). */
enum err_code db_audit_insert(struct db_conn *c, const struct db_audit_row *row, struct err *e);

/*
 * Calls fn for every row with seq > after_seq in ascending order, at most
 * limit rows (limit <= 0: all). A non-OK return of fn stops the scan and is
 * returned. The row's strings are valid only during the call.
 */
typedef enum err_code db_audit_row_fn(const struct db_audit_row *row, void *ctx, struct err *e);
enum err_code db_audit_scan(struct db_conn *c, int64_t after_seq, int64_t limit,
                            db_audit_row_fn *fn, void *ctx, struct err *e);

#endif
