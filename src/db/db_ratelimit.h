/*
 * db_ratelimit: the SQL of the rate limiter (table rate_limit, migration
 * 0001). A bucket is a named fixed window: it starts at its first hit and
 * lasts `window` seconds; hits are counted inside it. Every decision is one
 * statement in the caller's transaction, so that several server nodes
 * sharing one database see the same counts. The policy (how many hits are
 * allowed) lives in src/service/ratelimit.c.
 */
#ifndef MOTCUA_DB_DB_RATELIMIT_H
#define MOTCUA_DB_DB_RATELIMIT_H

#include <stdint.h>

#include "base/error.h"
#include "db/db.h"

/* Longest bucket name in bytes (without the NUL). */
#define DB_RATELIMIT_BUCKET_MAX 255

/*
 * Counts one hit in bucket at instant now: when the bucket's window has
 * ended (window_start + window <= now) or the bucket is new, a new window
 * starts at now with 1 hit; otherwise hits grows by one. *hits and
 * *window_start get the bucket's state after the hit.
 */
enum err_code db_ratelimit_hit(struct db_conn *c, const char *bucket, int64_t now, int64_t window,
                               int64_t *hits, int64_t *window_start, struct err *e);

/* The bucket's state as stored; ERR_NOT_FOUND when it has no row. */
enum err_code db_ratelimit_get(struct db_conn *c, const char *bucket, int64_t *hits,
                               int64_t *window_start, struct err *e);

/* Forgets a bucket (no error when it has no row). */
enum err_code db_ratelimit_delete(struct db_conn *c, const char *bucket, struct err *e);

/*
 * Deletes the buckets whose window started at or before `before`.
 * *deleted (when not NULL) gets how many.
 */
enum err_code db_ratelimit_purge(struct db_conn *c, int64_t before, int64_t *deleted,
                                 struct err *e);

#endif
