/*
 * ratelimit: a fixed-window rate limiter decided inside the database, so
 * that several server nodes sharing one database enforce one limit.
 *
 * A bucket ("login:user:an.nguyen", "lookup:addr:203.0.113.7") counts hits
 * in a window that starts at its first hit and lasts policy.window seconds.
 * The usual pattern counts failures only: before the attempt,
 * ratelimit_check() says whether one more is allowed (hits < max); after a
 * failed attempt, ratelimit_hit() counts it; after a success the caller may
 * ratelimit_reset() the bucket. A caller that limits every attempt calls
 * ratelimit_hit() first and reads `allowed`.
 *
 * Every function runs one statement on the caller's connection, inside the
 * caller's transaction (the hit is one upsert, so two nodes hitting one
 * bucket at once both count).
 */
#ifndef MOTCUA_SERVICE_RATELIMIT_H
#define MOTCUA_SERVICE_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"

/* At most max hits within window seconds. */
struct ratelimit_policy {
	int64_t max;    /* >= 1 */
	int64_t window; /* seconds, >= 1 */
};

struct ratelimit_state {
	bool allowed; /* check: one more hit is allowed; hit: this hit was within the limit */
	int64_t hits; /* hits counted in the current window (0 when none) */
	int64_t retry_after; /* seconds until the window ends, when !allowed; else 0 */
};

/*
 * Peeks at bucket at instant now without counting: allowed when the bucket
 * has no current window or fewer than policy->max hits in it.
 * ERR_INVALID_ARGUMENT for a bad policy or an empty bucket name.
 */
enum err_code ratelimit_check(struct db_conn *c, const char *bucket,
                              const struct ratelimit_policy *policy, int64_t now,
                              struct ratelimit_state *out, struct err *e);

/*
 * Counts one hit at instant now; allowed when the count, this hit included,
 * is at most policy->max. out may be NULL.
 */
enum err_code ratelimit_hit(struct db_conn *c, const char *bucket,
                            const struct ratelimit_policy *policy, int64_t now,
                            struct ratelimit_state *out, struct err *e);

/* Forgets bucket (its count starts again from zero). */
enum err_code ratelimit_reset(struct db_conn *c, const char *bucket, struct err *e);

/*
 * Deletes the buckets whose window ended by now, for windows of at most
 * longest_window seconds. *deleted (when not NULL) gets how many.
 */
enum err_code ratelimit_purge(struct db_conn *c, int64_t now, int64_t longest_window,
                              int64_t *deleted, struct err *e);

/*
 * Writes the bucket name "purpose:key" into out (outsz bytes). The key is
 * copied as is when it is printable ASCII without spaces and short enough;
 * otherwise (any other byte, or longer than 128 bytes) it is replaced by
 * "#" and the hex SHA-256 of its bytes, so that any input makes a valid,
 * bounded name. ERR_INVALID_ARGUMENT for an empty purpose or key,
 * ERR_TOO_LONG when out is too small.
 */
enum err_code ratelimit_bucket(char *out, size_t outsz, const char *purpose, const char *key,
                               struct err *e);

#endif
