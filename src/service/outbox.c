/*
 * outbox: claim, deliver, record (see outbox.h).
 */
#include "service/outbox.h"

#include <stdio.h>
#include <string.h>

#include "base/str.h"

void outbox_worker_init(struct outbox_worker *w, struct service *svc, const char *node)
{
	memset(w, 0, sizeof *w);
	w->svc = svc;
	str_copy(w->node, sizeof w->node, str_empty(node) ? "node" : node);
	w->batch = OUTBOX_DEFAULT_BATCH;
	w->lease_seconds = OUTBOX_DEFAULT_LEASE;
	w->backoff_base = OUTBOX_DEFAULT_BACKOFF;
	w->backoff_max = OUTBOX_DEFAULT_BACKOFF_MAX;
}

int64_t outbox_backoff(const struct outbox_worker *w, int64_t attempts)
{
	int64_t d = w->backoff_base > 0 ? w->backoff_base : 1;
	for (int64_t i = 0; i < attempts && d < w->backoff_max; i++)
		d *= 2;
	return d < w->backoff_max ? d : w->backoff_max;
}

struct claim_ctx {
	const char *token;
	int64_t now, until, max;
	struct db_outbox_list *list;
};

static enum err_code claim_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct claim_ctx *x = ctx;
	db_outbox_list_free(x->list);
	return db_outbox_claim(c, x->token, x->now, x->until, x->max, x->list, e);
}

struct outcome_ctx {
	const char *id, *token, *error;
	int64_t at; /* delivered at, or the next attempt */
	bool delivered;
	int64_t changed;
};

static enum err_code outcome_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct outcome_ctx *x = ctx;
	if (x->delivered)
		return db_outbox_delivered(c, x->id, x->token, x->at, &x->changed, e);
	return db_outbox_failed(c, x->id, x->token, x->at, x->error, &x->changed, e);
}

enum err_code outbox_run_once(struct outbox_worker *w, outbox_deliver_fn *deliver, void *ctx,
                              struct outbox_stats *st, struct err *e)
{
	struct outbox_stats local;
	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	if (!w || !w->svc || !deliver)
		return err_set(e, ERR_INTERNAL, "no worker or delivery function");
	char rnd[SERVICE_ID_LEN];
	service_new_id(rnd);
	char token[DBO_TOKEN_SIZE];
	snprintf(token, sizeof token, "%s/%s", w->node, rnd);
	int64_t now = service_now(w->svc);
	struct db_outbox_list list = {0};
	struct claim_ctx cx = {token, now, now + w->lease_seconds, w->batch, &list};
	enum err_code rc = db_run_txn(w->svc->db, DB_TXN_WRITE, claim_txn, &cx, e);
	if (rc != ERR_OK)
		return rc;
	st->claimed = (int64_t)list.count;
	for (size_t i = 0; i < list.count; i++) {
		const struct db_outbox_msg *m = &list.items[i];
		struct err derr = {ERR_OK, ""};
		enum err_code drc = deliver(ctx, m, &derr);
		struct outcome_ctx ox = {.id = m->id, .token = token};
		int64_t at = service_now(w->svc);
		char msg[OUTBOX_ERROR_MAX + 1];
		if (drc == ERR_OK) {
			ox.delivered = true;
			ox.at = at;
		} else {
			snprintf(msg, sizeof msg, "%s: %s", err_code_str(drc), derr.detail);
			ox.error = str_valid_utf8(msg, OUTBOX_ERROR_MAX) ? msg : err_code_str(drc);
			ox.at = at + outbox_backoff(w, m->attempts);
		}
		rc = db_run_txn(w->svc->db, DB_TXN_WRITE, outcome_txn, &ox, e);
		if (rc != ERR_OK)
			break;
		if (ox.changed == 0)
			st->lost++;
		else if (ox.delivered)
			st->delivered++;
		else
			st->failed++;
	}
	db_outbox_list_free(&list);
	return rc;
}

struct counts_ctx {
	int64_t *pending, *delivered;
};

static enum err_code counts_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct counts_ctx *x = ctx;
	return db_outbox_counts(c, x->pending, x->delivered, e);
}

enum err_code outbox_counts(struct service *svc, int64_t *pending, int64_t *delivered,
                            struct err *e)
{
	struct counts_ctx x = {pending, delivered};
	return db_run_txn(svc->db, DB_TXN_READ, counts_txn, &x, e);
}
