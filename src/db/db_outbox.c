/*
 * db_outbox: the SQL of the outbox (see db_outbox.h for the claim protocol).
 */
#include "db/db_outbox.h"

#include <stdlib.h>
#include <string.h>

#include "base/str.h"

enum err_code db_outbox_insert(struct db_conn *c, const struct db_outbox_new *m, struct err *e)
{
	return db_exec(c,
	               "INSERT INTO outbox (id, created_at, topic, dossier_id, payload, attempts, "
	               "next_attempt_at) VALUES ($1, $2, $3, $4, $5, 0, $6)",
	               DB_ARGS(db_text(m->id), db_int(m->created_at), db_text(m->topic),
	                       str_empty(m->dossier_id) ? db_null() : db_text(m->dossier_id),
	                       db_text(m->payload), db_int(m->next_attempt_at)),
	               NULL, e);
}

void db_outbox_list_free(struct db_outbox_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i].payload);
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

enum err_code db_outbox_claim(struct db_conn *c, const char *token, int64_t now, int64_t until,
                              int64_t max, struct db_outbox_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (max <= 0)
		return ERR_OK;
	enum err_code rc = db_exec(
	        c,
	        "UPDATE outbox SET claimed_by = $1, claimed_until = $2 WHERE id IN (SELECT id FROM "
	        "outbox WHERE delivered_at IS NULL AND next_attempt_at <= $3 AND (claimed_until IS "
	        "NULL OR claimed_until < $3) ORDER BY created_at, id LIMIT $4) AND delivered_at IS "
	        "NULL AND (claimed_until IS NULL OR claimed_until < $3)",
	        DB_ARGS(db_text(token), db_int(until), db_int(now), db_int(max)), NULL, e);
	if (rc != ERR_OK)
		return rc;
	struct db_stmt *st;
	rc = db_query(c,
	              "SELECT id, created_at, topic, dossier_id, payload, attempts FROM outbox "
	              "WHERE claimed_by = $1 AND claimed_until = $2 AND delivered_at IS NULL "
	              "ORDER BY created_at, id",
	              DB_ARGS(db_text(token), db_int(until)), &st, e);
	if (rc != ERR_OK)
		return rc;
	size_t cap = 0;
	for (;;) {
		bool row;
		if ((rc = db_step(st, &row, e)) != ERR_OK || !row)
			break;
		if (out->count == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct db_outbox_msg *p = realloc(out->items, ncap * sizeof *p);
			if (!p) {
				rc = err_set(e, ERR_NO_MEMORY, "out of memory reading the outbox");
				break;
			}
			out->items = p;
			cap = ncap;
		}
		struct db_outbox_msg *m = &out->items[out->count];
		memset(m, 0, sizeof *m);
		const char *s;
		str_copy(m->id, sizeof m->id, (s = db_col_text(st, 0, NULL)) ? s : "");
		m->created_at = db_col_int64(st, 1);
		str_copy(m->topic, sizeof m->topic, (s = db_col_text(st, 2, NULL)) ? s : "");
		str_copy(m->dossier_id, sizeof m->dossier_id,
		         (s = db_col_text(st, 3, NULL)) ? s : "");
		size_t len = 0;
		s = db_col_text(st, 4, &len);
		m->payload = malloc(len + 1);
		if (!m->payload) {
			rc = err_set(e, ERR_NO_MEMORY, "out of memory reading the outbox");
			break;
		}
		memcpy(m->payload, s ? s : "", s ? len : 0);
		m->payload[s ? len : 0] = '\0';
		m->attempts = db_col_int64(st, 5);
		out->count++;
	}
	db_finish(st);
	if (rc != ERR_OK)
		db_outbox_list_free(out);
	return rc;
}

enum err_code db_outbox_delivered(struct db_conn *c, const char *id, const char *token, int64_t at,
                                  int64_t *changed, struct err *e)
{
	return db_exec(
	        c,
	        "UPDATE outbox SET delivered_at = $3, claimed_until = NULL, last_error = NULL "
	        "WHERE id = $1 AND claimed_by = $2 AND delivered_at IS NULL",
	        DB_ARGS(db_text(id), db_text(token), db_int(at)), changed, e);
}

enum err_code db_outbox_failed(struct db_conn *c, const char *id, const char *token,
                               int64_t next_at, const char *error, int64_t *changed, struct err *e)
{
	return db_exec(
	        c,
	        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $3, "
	        "last_error = $4, claimed_by = NULL, claimed_until = NULL "
	        "WHERE id = $1 AND claimed_by = $2 AND delivered_at IS NULL",
	        DB_ARGS(db_text(id), db_text(token), db_int(next_at), db_text(error ? error : "")),
	        changed, e);
}

enum err_code db_outbox_counts(struct db_conn *c, int64_t *pending, int64_t *delivered,
                               struct err *e)
{
	enum err_code rc = db_query_int64(
	        c, "SELECT count(*) FROM outbox WHERE delivered_at IS NULL", DB_NOARGS, pending, e);
	if (rc != ERR_OK)
		return rc;
	return db_query_int64(c, "SELECT count(*) FROM outbox WHERE delivered_at IS NOT NULL",
	                      DB_NOARGS, delivered, e);
}

enum err_code db_outbox_settle_unsent(struct db_conn *c, const char *topic, int64_t at,
                                      const char *note, int64_t *changed, struct err *e)
{
	return db_exec(c,
	               "UPDATE outbox SET delivered_at = $2, last_error = $3 "
	               "WHERE delivered_at IS NULL AND topic = $1",
	               DB_ARGS(db_text(topic), db_int(at), db_text(note)), changed, e);
}
