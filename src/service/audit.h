/*
 * audit: the append-only audit log of staff work. Every write by staff and
 * every staff read of personal data appends one row (actor, time, action,
 * object, detail) in the SAME transaction as the change, so that a change
 * and its record commit or vanish together.
 *
 * The rows form a hash chain. Row seq (1, 2, ...) stores prev_hash, the
 * hash of row seq-1 ("0" x 64 for row 1), and
 *   hash = hex SHA-256( prev_hash || canonical text of the row )
 * where prev_hash is its 64 ASCII hex digits and the canonical text is
 *   "motcua-audit-1\n" SEQ "\n" AT "\n"
 *   LEN ":" ACTOR "\n" LEN ":" ACTION "\n" LEN ":" OBJECT "\n" LEN ":" DETAIL
 * with SEQ and AT (epoch seconds) in decimal and LEN the byte length of the
 * field that follows, in decimal (so no field can run into the next). Any
 * change to a stored row breaks its own hash; re-hashing it breaks the next
 * row's prev_hash; deleting rows leaves a gap in seq or, at the end, a
 * counter ('audit.seq') ahead of the last row. Database triggers (migration
 * 0003) refuse UPDATE and DELETE on the table in the first place.
 *
 * Appends are ordered by the counter's row lock (db_audit.h): call
 * audit_append() late in a transaction, since it serializes audited writes.
 */
#ifndef MOTCUA_SERVICE_AUDIT_H
#define MOTCUA_SERVICE_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"
#include "service/service.h"

#define AUDIT_HASH_LEN   65    /* 64 hex digits + NUL */
#define AUDIT_ACTOR_MAX  160   /* "kind:username@addr" + NUL */
#define AUDIT_ACTION_MAX 64    /* bytes, e.g. "account.create" */
#define AUDIT_OBJECT_MAX 256   /* bytes, e.g. "account:an.nguyen", "dossier:0f3a..." */
#define AUDIT_DETAIL_MAX 16384 /* bytes of JSON */

/*
 * Appends one row in the caller's transaction on c: seq = previous + 1,
 * prev_hash = the previous row's hash. actor must not be NULL; action and
 * object must be non-empty UTF-8 without control characters; detail_json
 * must be a JSON object or NULL (stored as "{}"). Returns ERR_OK,
 * ERR_INVALID_ARGUMENT / ERR_TOO_LONG for bad fields, ERR_AUDIT_CHAIN_BROKEN
 * when the previous row is missing, or a database error (the caller's
 * transaction must then roll back, which db_run_txn does).
 */
enum err_code audit_append(struct db_conn *c, const struct actor *actor, int64_t now,
                           const char *action, const char *object, const char *detail_json,
                           struct err *e);

/*
 * The text stored as actor: "KIND:USERNAME" with KIND one of system, staff,
 * citizen, business, anonymous, followed by "@ADDR" when the actor has an
 * address.
 */
void audit_actor_text(const struct actor *a, char out[AUDIT_ACTOR_MAX]);

/* The chain hash of one row (see above) into out. */
void audit_row_hash(const char *prev_hash, int64_t seq, int64_t at, const char *actor,
                    const char *action, const char *object, const char *detail,
                    char out[AUDIT_HASH_LEN]);

/* The prev_hash of row 1: 64 zeros. */
extern const char audit_genesis_hash[AUDIT_HASH_LEN];

struct audit_report {
	int64_t rows;                   /* rows read */
	int64_t last_seq;               /* seq of the last row (0: empty log) */
	char last_hash[AUDIT_HASH_LEN]; /* hash of the last row (genesis when empty) */
	int64_t broken_seq;             /* first seq that does not verify; 0 when intact */
	char reason[128];               /* what is wrong there; "" when intact */
};

/*
 * Recomputes the whole chain from row 1 on connection c (run it inside a
 * DB_TXN_READ transaction for a consistent view) and fills *out. Returns
 * ERR_OK when every row verifies, ERR_AUDIT_CHAIN_BROKEN with
 * out->broken_seq and out->reason set at the first row that does not (a
 * missing row, a prev_hash that is not the previous row's hash, a hash
 * that does not match the row, or rows missing at the end), or a database
 * error.
 */
enum err_code audit_verify(struct db_conn *c, struct audit_report *out, struct err *e);

#endif
