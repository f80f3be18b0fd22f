/*
 * db_outbox: the SQL of the outbox, the table of messages (national portal
 * status updates, notifications) written in the same transaction as the
 * change they report and delivered later by a worker.
 *
 * Claiming is decided inside the database, so that several server nodes can
 * share the table: a claim stamps rows with a claim token (claimed_by) and a
 * lease end (claimed_until); a row is claimable when it is not delivered, its
 * next attempt is due, and no lease on it is running. The portable claim is
 *
 *   UPDATE outbox SET claimed_by = $token, claimed_until = $until
 *   WHERE id IN (SELECT id FROM outbox WHERE delivered_at IS NULL
 *                AND next_attempt_at <= $now
 *                AND (claimed_until IS NULL OR claimed_until < $now)
 *                ORDER BY created_at, id LIMIT $n)
 *     AND delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until < $now)
 *
 * The conditions are repeated outside the sub-select so that, on PostgreSQL
 * at READ COMMITTED, a second node that blocked on the same row re-checks
 * the row as updated by the first and skips it (a row is never claimed
 * twice at once). On SQLite writers are serialised (BEGIN IMMEDIATE). For
 * PostgreSQL with many nodes the better variant, not used yet, is
 *
 *   WITH c AS (SELECT id FROM outbox WHERE delivered_at IS NULL
 *              AND next_attempt_at <= $now
 *              AND (claimed_until IS NULL OR claimed_until < $now)
 *              ORDER BY created_at, id LIMIT $n FOR UPDATE SKIP LOCKED)
 *   UPDATE outbox SET claimed_by = $token, claimed_until = $until
 *   FROM c WHERE outbox.id = c.id
 *
 * which lets concurrent claimers pass each other instead of waiting.
 * Delivery is at least once: a lease that runs out before the worker marks
 * the row delivered makes it claimable again, so consumers must accept a
 * message twice (each carries its id).
 */
#ifndef MOTCUA_DB_DB_OUTBOX_H
#define MOTCUA_DB_DB_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"

#define DBO_ID_SIZE    17
#define DBO_TOPIC_SIZE 64
#define DBO_TOKEN_SIZE 96

/* One message as inserted. */
struct db_outbox_new {
	const char *id; /* 16 hex digits */
	int64_t created_at;
	const char *topic;      /* e.g. "portal.status" */
	const char *dossier_id; /* NULL or "" when about no dossier */
	const char *payload;    /* JSON text */
	int64_t next_attempt_at;
};

enum err_code db_outbox_insert(struct db_conn *c, const struct db_outbox_new *m, struct err *e);

/* One claimed message. payload is owned by the list. */
struct db_outbox_msg {
	char id[DBO_ID_SIZE];
	int64_t created_at;
	char topic[DBO_TOPIC_SIZE];
	char dossier_id[DBO_ID_SIZE];
	char *payload;
	int64_t attempts; /* failed attempts so far */
};

struct db_outbox_list {
	struct db_outbox_msg *items;
	size_t count;
};
void db_outbox_list_free(struct db_outbox_list *l);

/*
 * Claims at most max due messages for token until `until` (the portable
 * claim above) and reads them, oldest first. Run it in its own write
 * transaction.
 */
enum err_code db_outbox_claim(struct db_conn *c, const char *token, int64_t now, int64_t until,
                              int64_t max, struct db_outbox_list *out, struct err *e);

/*
 * Marks a claimed message delivered at `at`. Only the holder of the claim
 * token may: *changed (when not NULL) is 0 when the claim was lost.
 */
enum err_code db_outbox_delivered(struct db_conn *c, const char *id, const char *token, int64_t at,
                                  int64_t *changed, struct err *e);

/*
 * Records a failed attempt of a claimed message: attempts + 1, the error
 * text, the next attempt at next_at, and releases the claim.
 */
enum err_code db_outbox_failed(struct db_conn *c, const char *id, const char *token,
                               int64_t next_at, const char *error, int64_t *changed, struct err *e);

/*
 * Settles every pending message of topic without sending it: delivered_at =
 * at, last_error = note (e.g. "demo data, not sent"). For generated data
 * that must never reach the national portal, in the transaction that wrote
 * the messages; *changed (when not NULL) gets how many.
 */
enum err_code db_outbox_settle_unsent(struct db_conn *c, const char *topic, int64_t at,
                                      const char *note, int64_t *changed, struct err *e);

/* Counts: messages not yet delivered, and delivered. */
enum err_code db_outbox_counts(struct db_conn *c, int64_t *pending, int64_t *delivered,
                               struct err *e);

#endif
