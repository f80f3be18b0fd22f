/*
 * db_audit: the SQL of the audit log (see db_audit.h).
 */
#include "db/db_audit.h"

static const char sql_next_seq[] =
        "INSERT INTO counter (name, value) VALUES ('audit.seq', 1) "
        "ON CONFLICT (name) DO UPDATE SET value = counter.value + 1 RETURNING value";
static const char sql_advance[] = "UPDATE counter SET value = value + 1 WHERE name = 'audit.seq'";
static const char sql_counter[] = "SELECT value FROM counter WHERE name = 'audit.seq'";
static const char sql_hash_of[] = "SELECT hash FROM audit WHERE seq = $1";
static const char sql_insert[] =
        "INSERT INTO audit (seq, at, actor, action, object, detail, prev_hash, hash) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
static const char sql_scan[] =
        "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit "
        "WHERE seq > $1 ORDER BY seq";
static const char sql_scan_limit[] =
        "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit "
        "WHERE seq > $1 ORDER BY seq LIMIT $2";

enum err_code db_audit_next_seq(struct db_conn *c, int64_t *seq, struct err *e)
{
	/* Once the counter exists: a plain UPDATE (it takes the row lock that orders
	 * appends) and a read of the value it wrote, which this transaction sees;
	 * on SQLite that is about three times cheaper than an upsert with
	 * RETURNING. The upsert makes the first row. */
	int64_t changed = 0;
	enum err_code rc = db_exec(c, sql_advance, DB_NOARGS, &changed, e);
	if (rc == ERR_OK && changed == 1) {
		rc = db_query_int64(c, sql_counter, DB_NOARGS, seq, e);
		if (rc == ERR_NOT_FOUND)
			return err_set(e, ERR_INTERNAL, "audit counter vanished");
		return rc;
	}
	if (rc != ERR_OK)
		return rc;
	rc = db_query_int64(c, sql_next_seq, DB_NOARGS, seq, e);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_INTERNAL, "audit counter upsert returned no row");
	return rc;
}

enum err_code db_audit_counter(struct db_conn *c, int64_t *value, struct err *e)
{
	enum err_code rc = db_query_int64(c, sql_counter, DB_NOARGS, value, e);
	if (rc == ERR_NOT_FOUND) {
		err_clear(e);
		*value = 0;
		return ERR_OK;
	}
	return rc;
}

enum err_code db_audit_hash_of(struct db_conn *c, int64_t seq, char out[DB_AUDIT_HASH_LEN],
                               struct err *e)
{
	enum err_code rc =
	        db_query_text(c, sql_hash_of, DB_ARGS(db_int(seq)), out, DB_AUDIT_HASH_LEN, e);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_NOT_FOUND, "no audit row %lld", (long long)seq);
	return rc;
}

enum err_code db_audit_insert(struct db_conn *c, const struct db_audit_row *r, struct err *e)
{
	return db_exec(c, sql_insert,
	               DB_ARGS(db_int(r->seq), db_int(r->at), db_text(r->actor), db_text(r->action),
	                       db_text(r->object), db_text(r->detail), db_text(r->prev_hash),
	                       db_text(r->hash)),
	               NULL, e);
}

enum err_code db_audit_scan(struct db_conn *c, int64_t after_seq, int64_t limit,
                            db_audit_row_fn *fn, void *ctx, struct err *e)
{
	struct db_stmt *st;
	enum err_code rc;
	if (limit > 0)
		rc = db_query(c, sql_scan_limit, DB_ARGS(db_int(after_seq), db_int(limit)), &st, e);
	else
		rc = db_query(c, sql_scan, DB_ARGS(db_int(after_seq)), &st, e);
	if (rc != ERR_OK)
		return rc;
	for (;;) {
		bool row = false;
		rc = db_step(st, &row, e);
		if (rc != ERR_OK || !row)
			break;
		struct db_audit_row r = {
		        .seq = db_col_int64(st, 0),
		        .at = db_col_int64(st, 1),
		        .actor = db_col_text(st, 2, NULL),
		        .action = db_col_text(st, 3, NULL),
		        .object = db_col_text(st, 4, NULL),
		        .detail = db_col_text(st, 5, NULL),
		        .prev_hash = db_col_text(st, 6, NULL),
		        .hash = db_col_text(st, 7, NULL),
		};
		rc = fn(&r, ctx, e);
		if (rc != ERR_OK)
			break;
	}
	db_finish(st);
	return rc;
}
