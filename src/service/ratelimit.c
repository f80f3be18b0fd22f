/*
 * ratelimit: fixed-window limits kept in the database (see ratelimit.h).
 */
#include "service/ratelimit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "db/db_ratelimit.h"

/* Keys longer than this are hashed. */
#define KEY_PLAIN_MAX 128

static enum err_code check_policy(const struct ratelimit_policy *p, struct err *e)
{
	if (!p || p->max < 1 || p->window < 1)
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "rate limit policy needs max >= 1 and window >= 1");
	return ERR_OK;
}

enum err_code ratelimit_check(struct db_conn *c, const char *bucket,
                              const struct ratelimit_policy *policy, int64_t now,
                              struct ratelimit_state *out, struct err *e)
{
	int64_t hits = 0, start = 0;
	enum err_code rc = check_policy(policy, e);
	if (rc != ERR_OK)
		return rc;
	rc = db_ratelimit_get(c, bucket, &hits, &start, e);
	if (rc == ERR_NOT_FOUND) {
		err_clear(e);
		hits = 0;
		start = now;
	} else if (rc != ERR_OK) {
		return rc;
	}
	if (start + policy->window <= now)
		hits = 0; /* the window is over */
	out->hits = hits;
	out->allowed = hits < policy->max;
	out->retry_after = out->allowed ? 0 : start + policy->window - now;
	return ERR_OK;
}

enum err_code ratelimit_hit(struct db_conn *c, const char *bucket,
                            const struct ratelimit_policy *policy, int64_t now,
                            struct ratelimit_state *out, struct err *e)
{
	int64_t hits = 0, start = 0;
	enum err_code rc = check_policy(policy, e);
	if (rc == ERR_OK)
		rc = db_ratelimit_hit(c, bucket, now, policy->window, &hits, &start, e);
	if (rc != ERR_OK)
		return rc;
	if (out) {
		out->hits = hits;
		out->allowed = hits <= policy->max;
		out->retry_after = out->allowed ? 0 : start + policy->window - now;
	}
	return ERR_OK;
}

enum err_code ratelimit_reset(struct db_conn *c, const char *bucket, struct err *e)
{
	return db_ratelimit_delete(c, bucket, e);
}

enum err_code ratelimit_purge(struct db_conn *c, int64_t now, int64_t longest_window,
                              int64_t *deleted, struct err *e)
{
	if (longest_window < 1)
		return err_set(e, ERR_INVALID_ARGUMENT, "rate limit window must be positive");
	return db_ratelimit_purge(c, now - longest_window, deleted, e);
}

static bool key_plain(const char *key)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++, n++)
		if (*p <= 0x20 || *p >= 0x7f || n >= KEY_PLAIN_MAX)
			return false;
	return true;
}

enum err_code ratelimit_bucket(char *out, size_t outsz, const char *purpose, const char *key,
                               struct err *e)
{
	if (!purpose || !*purpose || !key || !*key)
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "rate limit bucket needs a purpose and a key");
	int n;
	if (key_plain(key)) {
		n = snprintf(out, outsz, "%s:%s", purpose, key);
	} else {
		unsigned char sum[crypto_hash_sha256_BYTES];
		char hex[2 * crypto_hash_sha256_BYTES + 1];
		crypto_hash_sha256(sum, (const unsigned char *)key, strlen(key));
		sodium_bin2hex(hex, sizeof hex, sum, sizeof sum);
		n = snprintf(out, outsz, "%s:#%s", purpose, hex);
	}
	if (n < 0 || (size_t)n >= outsz || (size_t)n > DB_RATELIMIT_BUCKET_MAX)
		return err_set(e, ERR_TOO_LONG, "rate limit bucket for '%s' too long", purpose);
	return ERR_OK;
}
