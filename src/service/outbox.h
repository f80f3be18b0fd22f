/*
 * outbox: the worker side of the outbox (the rows are written by the
 * lifecycle in the same transaction as each change, service/action.h).
 *
 * One round, outbox_run_once(): claim up to `batch` due messages for this
 * node in one short transaction (db/db_outbox.h: a lease of lease_seconds,
 * decided inside the database so that several nodes share the table), hand
 * each to the delivery callback OUTSIDE any transaction (it may talk to the
 * network), then record each outcome in its own short transaction: delivered,
 * or failed and rescheduled with exponential back-off
 * (outbox_backoff(): backoff_base * 2^attempts, at most backoff_max). A
 * message whose lease runs out before its outcome is recorded becomes due
 * again: delivery is at least once, and each message carries its id.
 */
#ifndef MOTCUA_SERVICE_OUTBOX_H
#define MOTCUA_SERVICE_OUTBOX_H

#include <stdint.h>

#include "base/error.h"
#include "db/db_outbox.h"
#include "service/service.h"

#define OUTBOX_NODE_MAX            48
#define OUTBOX_DEFAULT_BATCH       50
#define OUTBOX_DEFAULT_LEASE       120 /* seconds */
#define OUTBOX_DEFAULT_BACKOFF     30  /* seconds after the first failure */
#define OUTBOX_DEFAULT_BACKOFF_MAX 3600
#define OUTBOX_ERROR_MAX           500 /* bytes of the last error kept */

struct outbox_worker {
	struct service *svc;
	char node[OUTBOX_NODE_MAX]; /* this node's name, part of every claim token */
	int64_t batch;
	int64_t lease_seconds;
	int64_t backoff_base, backoff_max;
};

/* Defaults for node (NULL or "": "node"). */
void outbox_worker_init(struct outbox_worker *w, struct service *svc, const char *node);

/*
 * Delivers one message; returns ERR_OK when the receiver took it, anything
 * else (with *e filled) to try again later.
 */
typedef enum err_code outbox_deliver_fn(void *ctx, const struct db_outbox_msg *m, struct err *e);

struct outbox_stats {
	int64_t claimed, delivered, failed;
	int64_t lost; /* outcomes not recorded because the lease had been taken over */
};

/* One round (see above). *st (may be NULL) gets the counts. */
enum err_code outbox_run_once(struct outbox_worker *w, outbox_deliver_fn *deliver, void *ctx,
                              struct outbox_stats *st, struct err *e);

/* Seconds to wait after a failure when the message had failed `attempts` times before. */
int64_t outbox_backoff(const struct outbox_worker *w, int64_t attempts);

/* Counts of pending and delivered messages (for /metrics). */
enum err_code outbox_counts(struct service *svc, int64_t *pending, int64_t *delivered,
                            struct err *e);

#endif
