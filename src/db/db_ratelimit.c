/*
 * db_ratelimit: the SQL of the rate limiter (see db_ratelimit.h).
 *
 * The hit is one upsert: the row lock it takes (PostgreSQL) or the write
 * lock of the transaction (SQLite) orders concurrent hits on one bucket, and
 * RETURNING hands back the count this hit produced. In ON CONFLICT DO UPDATE
 * every SET expression reads the row as it was before the update, on both
 * engines, so both CASEs test the old window.
 */
#include "db/db_ratelimit.h"

#include <string.h>

/* Hits stop growing here, so that the INTEGER column never overflows. */
#define HITS_CAP 1000000000

static const char sql_hit[] =
        "INSERT INTO rate_limit (bucket, window_start, hits) VALUES ($1, $2, 1) "
        "ON CONFLICT (bucket) DO UPDATE SET "
        "hits = CASE WHEN rate_limit.window_start + $3 <= $2 THEN 1 "
        "WHEN rate_limit.hits >= $4 THEN rate_limit.hits ELSE rate_limit.hits + 1 END, "
        "window_start = CASE WHEN rate_limit.window_start + $3 <= $2 THEN $2 "
        "ELSE rate_limit.window_start END "
        "RETURNING hits, window_start";
static const char sql_get[] = "SELECT hits, window_start FROM rate_limit WHERE bucket = $1";
static const char sql_delete[] = "DELETE FROM rate_limit WHERE bucket = $1";
static const char sql_purge[] = "DELETE FROM rate_limit WHERE window_start <= $1";

static enum err_code check_bucket(const char *bucket, struct err *e)
{
	if (!bucket || !*bucket)
		return err_set(e, ERR_INVALID_ARGUMENT, "empty rate limit bucket");
	if (strlen(bucket) > DB_RATELIMIT_BUCKET_MAX)
		return err_set(e, ERR_TOO_LONG, "rate limit bucket longer than %d bytes",
		               DB_RATELIMIT_BUCKET_MAX);
	return ERR_OK;
}

/* Reads (hits, window_start) from the one row of st. */
static enum err_code read_pair(struct db_stmt *st, int64_t *hits, int64_t *window_start,
                               struct err *e)
{
	bool row = false;
	enum err_code rc = db_step(st, &row, e);
	if (rc == ERR_OK && !row)
		rc = ERR_NOT_FOUND;
	if (rc == ERR_OK) {
		*hits = db_col_int64(st, 0);
		*window_start = db_col_int64(st, 1);
	}
	db_finish(st);
	return rc;
}

enum err_code db_ratelimit_hit(struct db_conn *c, const char *bucket, int64_t now, int64_t window,
                               int64_t *hits, int64_t *window_start, struct err *e)
{
	struct db_stmt *st;
	enum err_code rc = check_bucket(bucket, e);
	if (rc != ERR_OK)
		return rc;
	if (window <= 0)
		return err_set(e, ERR_INVALID_ARGUMENT, "rate limit window must be positive");
	rc = db_query(c, sql_hit,
	              DB_ARGS(db_text(bucket), db_int(now), db_int(window), db_int(HITS_CAP)), &st,
	              e);
	if (rc != ERR_OK)
		return rc;
	rc = read_pair(st, hits, window_start, e);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_INTERNAL, "rate limit upsert returned no row");
	return rc;
}

enum err_code db_ratelimit_get(struct db_conn *c, const char *bucket, int64_t *hits,
                               int64_t *window_start, struct err *e)
{
	struct db_stmt *st;
	enum err_code rc = check_bucket(bucket, e);
	if (rc != ERR_OK)
		return rc;
	rc = db_query(c, sql_get, DB_ARGS(db_text(bucket)), &st, e);
	if (rc != ERR_OK)
		return rc;
	rc = read_pair(st, hits, window_start, e);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_NOT_FOUND, "no rate limit bucket '%s'", bucket);
	return rc;
}

enum err_code db_ratelimit_delete(struct db_conn *c, const char *bucket, struct err *e)
{
	enum err_code rc = check_bucket(bucket, e);
	if (rc != ERR_OK)
		return rc;
	return db_exec(c, sql_delete, DB_ARGS(db_text(bucket)), NULL, e);
}

enum err_code db_ratelimit_purge(struct db_conn *c, int64_t before, int64_t *deleted, struct err *e)
{
	return db_exec(c, sql_purge, DB_ARGS(db_int(before)), deleted, e);
}
