/*
 * audit: the hash-chained, append-only audit log (see audit.h).
 */
#include "service/audit.h"

#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "db/db_audit.h"

const char audit_genesis_hash[AUDIT_HASH_LEN] =
        "0000000000000000000000000000000000000000000000000000000000000000";

static const char canonical_tag[] = "motcua-audit-1\n";

static const char *kind_name(enum actor_kind k)
{
	switch (k) {
	case ACTOR_SYSTEM:
		return "system";
	case ACTOR_STAFF:
		return "staff";
	case ACTOR_CITIZEN:
		return "citizen";
	case ACTOR_BUSINESS:
		return "business";
	case ACTOR_ANONYMOUS:
		break;
	}
	return "anonymous";
}

void audit_actor_text(const struct actor *a, char out[AUDIT_ACTOR_MAX])
{
	if (a->addr[0])
		snprintf(out, AUDIT_ACTOR_MAX, "%s:%.*s@%.*s", kind_name(a->kind),
		         (int)sizeof a->username, a->username, (int)sizeof a->addr, a->addr);
	else
		snprintf(out, AUDIT_ACTOR_MAX, "%s:%.*s", kind_name(a->kind),
		         (int)sizeof a->username, a->username);
}

static void put_field(crypto_hash_sha256_state *h, const char *s, bool last)
{
	char len[32];
	size_t n = s ? strlen(s) : 0;
	int k = snprintf(len, sizeof len, "%zu:", n);
	crypto_hash_sha256_update(h, (const unsigned char *)len, (unsigned long long)k);
	crypto_hash_sha256_update(h, (const unsigned char *)(s ? s : ""), n);
	if (!last)
		crypto_hash_sha256_update(h, (const unsigned char *)"\n", 1);
}

void audit_row_hash(const char *prev_hash, int64_t seq, int64_t at, const char *actor,
                    const char *action, const char *object, const char *detail,
                    char out[AUDIT_HASH_LEN])
{
	crypto_hash_sha256_state h;
	unsigned char sum[crypto_hash_sha256_BYTES];
	char nums[64];
	int k = snprintf(nums, sizeof nums, "%" PRId64 "\n%" PRId64 "\n", seq, at);
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)(prev_hash ? prev_hash : ""),
	                          prev_hash ? strlen(prev_hash) : 0);
	crypto_hash_sha256_update(&h, (const unsigned char *)canonical_tag,
	                          sizeof canonical_tag - 1);
	crypto_hash_sha256_update(&h, (const unsigned char *)nums, (unsigned long long)k);
	put_field(&h, actor, false);
	put_field(&h, action, false);
	put_field(&h, object, false);
	put_field(&h, detail, true);
	crypto_hash_sha256_final(&h, sum);
	sodium_bin2hex(out, AUDIT_HASH_LEN, sum, sizeof sum);
}

/* Non-empty UTF-8 of at most max bytes without control characters. */
static enum err_code check_field(const char *what, const char *s, size_t max, struct err *e)
{
	if (str_empty(s))
		return err_set(e, ERR_INVALID_ARGUMENT, "empty audit %s", what);
	if (strlen(s) > max)
		return err_set(e, ERR_TOO_LONG, "audit %s longer than %zu bytes", what, max);
	if (!str_valid_utf8(s, max))
		return err_set(e, ERR_INVALID_ARGUMENT, "audit %s is not valid UTF-8", what);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return err_set(e, ERR_INVALID_ARGUMENT, "control character in audit %s",
			               what);
	return ERR_OK;
}

static enum err_code check_detail(const char *detail, struct err *e)
{
	if (strlen(detail) > AUDIT_DETAIL_MAX)
		return err_set(e, ERR_TOO_LONG, "audit detail longer than %d bytes",
		               AUDIT_DETAIL_MAX);
	json_error_t je;
	json_t *v = json_loads(detail, JSON_REJECT_DUPLICATES, &je);
	bool ok = v && json_is_object(v);
	json_decref(v);
	if (!ok)
		return err_set(e, ERR_INVALID_ARGUMENT, "audit detail is not a JSON object");
	return ERR_OK;
}

enum err_code audit_append(struct db_conn *c, const struct actor *actor, int64_t now,
                           const char *action, const char *object, const char *detail_json,
                           struct err *e)
{
	enum err_code rc;
	const char *detail = detail_json ? detail_json : "{}";
	if (!actor)
		return err_set(e, ERR_INVALID_ARGUMENT, "audit entry without an actor");
	if ((rc = check_field("action", action, AUDIT_ACTION_MAX, e)) != ERR_OK ||
	    (rc = check_field("object", object, AUDIT_OBJECT_MAX, e)) != ERR_OK ||
	    (rc = check_detail(detail, e)) != ERR_OK)
		return rc;

	char actor_text[AUDIT_ACTOR_MAX], prev[AUDIT_HASH_LEN], hash[AUDIT_HASH_LEN];
	int64_t seq;
	audit_actor_text(actor, actor_text);
	rc = db_audit_next_seq(c, &seq, e);
	if (rc != ERR_OK)
		return rc;
	if (seq == 1) {
		memcpy(prev, audit_genesis_hash, sizeof prev);
	} else {
		rc = db_audit_hash_of(c, seq - 1, prev, e);
		if (rc == ERR_NOT_FOUND)
			return err_set(e, ERR_AUDIT_CHAIN_BROKEN,
			               "audit row %lld is missing; cannot append row %lld",
			               (long long)(seq - 1), (long long)seq);
		if (rc != ERR_OK)
			return rc;
	}
	audit_row_hash(prev, seq, now, actor_text, action, object, detail, hash);
	struct db_audit_row row = {seq, now, actor_text, action, object, detail, prev, hash};
	return db_audit_insert(c, &row, e);
}

/* ---- verification ---- */

struct verify_ctx {
	struct audit_report *r;
	char prev[AUDIT_HASH_LEN];
	int64_t expect;
};

static enum err_code broken(struct audit_report *r, int64_t seq, const char *reason, struct err *e)
{
	r->broken_seq = seq;
	str_copy(r->reason, sizeof r->reason, reason);
	return err_set(e, ERR_AUDIT_CHAIN_BROKEN, "audit log broken at seq %lld: %s",
	               (long long)seq, reason);
}

static enum err_code verify_row(const struct db_audit_row *row, void *vctx, struct err *e)
{
	struct verify_ctx *v = vctx;
	char hash[AUDIT_HASH_LEN];
	if (row->seq != v->expect)
		return broken(v->r, v->expect,
		              row->seq > v->expect ? "row missing" : "seq out of order", e);
	if (!str_eq(row->prev_hash, v->prev))
		return broken(v->r, row->seq, "prev_hash is not the previous row's hash", e);
	audit_row_hash(row->prev_hash, row->seq, row->at, row->actor, row->action, row->object,
	               row->detail, hash);
	if (!str_eq(row->hash, hash))
		return broken(v->r, row->seq, "hash does not match the row", e);
	v->r->rows++;
	v->r->last_seq = row->seq;
	memcpy(v->r->last_hash, hash, sizeof hash);
	memcpy(v->prev, hash, sizeof hash);
	v->expect++;
	return ERR_OK;
}

enum err_code audit_verify(struct db_conn *c, struct audit_report *out, struct err *e)
{
	struct verify_ctx v = {.r = out, .expect = 1};
	memset(out, 0, sizeof *out);
	memcpy(out->last_hash, audit_genesis_hash, AUDIT_HASH_LEN);
	memcpy(v.prev, audit_genesis_hash, AUDIT_HASH_LEN);
	enum err_code rc = db_audit_scan(c, 0, 0, verify_row, &v, e);
	if (rc != ERR_OK)
		return rc;
	int64_t counter = 0;
	rc = db_audit_counter(c, &counter, e);
	if (rc != ERR_OK)
		return rc;
	if (counter > out->last_seq)
		return broken(out, out->last_seq + 1, "rows missing at the end of the log", e);
	if (counter < out->last_seq)
		return broken(out, counter + 1, "the audit counter is behind the last row", e);
	return ERR_OK;
}
