/*
 * db_documents: signing keys, the register of issued documents and the
 * tracking book's read (see db_documents.h).
 */
#include "db/db_documents.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"

/* ---- keys ---- */

#define KEY_COLUMNS "id, public_key, seed, current, created_at, created_by, retired_at"

static void read_key(struct db_stmt *st, struct db_signing_key *k, bool with_seed)
{
	memset(k, 0, sizeof *k);
	db_col_copy(st, 0, k->id, sizeof k->id);
	db_col_copy(st, 1, k->public_key, sizeof k->public_key);
	if (with_seed)
		db_col_copy(st, 2, k->seed, sizeof k->seed);
	k->current = (int)db_col_int64(st, 3);
	k->created_at = db_col_int64(st, 4);
	db_col_copy(st, 5, k->created_by, sizeof k->created_by);
	k->retired_at = db_col_opt(st, 6);
	k->documents = DB_NONE;
}

static enum err_code one_key(struct db_conn *c, const char *sql, const struct db_param *params,
                             int n, struct db_signing_key *out, const char *what, struct err *e)
{
	struct db_stmt *st;
	enum err_code rc = db_query(c, sql, params, n, &st, e);
	if (rc != ERR_OK)
		return rc;
	bool row;
	rc = db_step(st, &row, e);
	if (rc == ERR_OK && !row)
		rc = err_set(e, ERR_NOT_FOUND, "%s", what);
	if (rc == ERR_OK)
		read_key(st, out, true);
	db_finish(st);
	return rc;
}

enum err_code db_documents_current_key(struct db_conn *c, struct db_signing_key *out, struct err *e)
{
	return one_key(c, "SELECT " KEY_COLUMNS " FROM signing_key WHERE current = 1", DB_NOARGS,
	               out, "the centre has no signing key yet", e);
}

enum err_code db_documents_key(struct db_conn *c, const char *id, struct db_signing_key *out,
                               struct err *e)
{
	return one_key(c, "SELECT " KEY_COLUMNS " FROM signing_key WHERE id = $1",
	               DB_ARGS(db_text(id)), out, "no such signing key", e);
}

enum err_code db_documents_key_insert(struct db_conn *c, const struct db_signing_key *k,
                                      bool *inserted, struct err *e)
{
	int64_t changes = 0;
	enum err_code rc = db_exec(c,
	                           "INSERT INTO signing_key (" KEY_COLUMNS
	                           ") VALUES ($1, $2, $3, $4, $5, $6, $7) "
	                           "ON CONFLICT DO NOTHING",
	                           DB_ARGS(db_text(k->id), db_text(k->public_key), db_text(k->seed),
	                                   db_int(k->current ? 1 : 0), db_int(k->created_at),
	                                   db_text(k->created_by), db_opt_int(k->retired_at)),
	                           &changes, e);
	if (inserted)
		*inserted = rc == ERR_OK && changes == 1;
	return rc;
}

enum err_code db_documents_key_retire(struct db_conn *c, int64_t at, struct err *e)
{
	return db_exec(c, "UPDATE signing_key SET current = 0, retired_at = $1 WHERE current = 1",
	               DB_ARGS(db_int(at)), NULL, e);
}

/* A row of db_documents_keys(): the key (no seed) and its count of documents. */
static void key_row(struct db_stmt *st, void *item)
{
	struct db_signing_key *k = item;
	read_key(st, k, false);
	k->documents = db_col_int64(st, 7);
}

enum err_code db_documents_keys(struct db_conn *c, struct db_key_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	return db_read_list(c,
	                    "SELECT k.id, k.public_key, '', k.current, k.created_at, k.created_by, "
	                    "k.retired_at, "
	                    "(SELECT count(*) FROM issued_document d WHERE d.key_id = k.id) "
	                    "FROM signing_key k ORDER BY k.created_at, k.id",
	                    DB_NOARGS, sizeof *out->items, key_row, NULL, SIZE_MAX, NULL,
	                    (void **)&out->items, &out->count, e);
}

void db_key_list_free(struct db_key_list *l)
{
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

/* ---- issued documents ---- */

enum err_code db_documents_insert(struct db_conn *c, const struct db_issued_document *d,
                                  struct err *e)
{
	return db_exec(c,
	               "INSERT INTO issued_document (code, kind, form, form_set, dossier_id, "
	               "unit_code, period_from, period_to, sha256, bytes, key_id, signature, "
	               "issued_at, issued_by) "
	               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
	               DB_ARGS(db_text(d->code), db_text(d->kind), db_text(d->form),
	                       db_opt_text(d->form_set), db_opt_text(d->dossier_id),
	                       db_opt_text(d->unit_code), db_opt_int(d->period_from),
	                       db_opt_int(d->period_to), db_text(d->sha256), db_int(d->bytes),
	                       db_text(d->key_id), db_text(d->signature), db_int(d->issued_at),
	                       db_text(d->issued_by)),
	               NULL, e);
}

enum err_code db_documents_get(struct db_conn *c, const char *code, struct db_issued_document *out,
                               struct err *e)
{
	memset(out, 0, sizeof *out);
	struct db_stmt *st;
	enum err_code rc = db_query(
	        c,
	        "SELECT i.code, i.kind, i.form, i.form_set, i.dossier_id, d.code, i.unit_code, "
	        "i.period_from, i.period_to, i.sha256, i.bytes, i.key_id, i.signature, "
	        "i.issued_at, i.issued_by "
	        "FROM issued_document i LEFT JOIN dossier d ON d.id = i.dossier_id "
	        "WHERE i.code = $1",
	        DB_ARGS(db_text(code)), &st, e);
	if (rc != ERR_OK)
		return rc;
	bool row;
	rc = db_step(st, &row, e);
	if (rc == ERR_OK && !row)
		rc = err_set(e, ERR_NOT_FOUND, "no document was issued with the code '%s'", code);
	if (rc == ERR_OK) {
		int i = 0;
		db_col_copy(st, i++, out->code, sizeof out->code);
		db_col_copy(st, i++, out->kind, sizeof out->kind);
		db_col_copy(st, i++, out->form, sizeof out->form);
		db_col_copy(st, i++, out->form_set, sizeof out->form_set);
		db_col_copy(st, i++, out->dossier_id, sizeof out->dossier_id);
		db_col_copy(st, i++, out->dossier_code, sizeof out->dossier_code);
		db_col_copy(st, i++, out->unit_code, sizeof out->unit_code);
		out->period_from = db_col_opt(st, i++);
		out->period_to = db_col_opt(st, i++);
		db_col_copy(st, i++, out->sha256, sizeof out->sha256);
		out->bytes = db_col_int64(st, i++);
		db_col_copy(st, i++, out->key_id, sizeof out->key_id);
		db_col_copy(st, i++, out->signature, sizeof out->signature);
		out->issued_at = db_col_int64(st, i++);
		db_col_copy(st, i++, out->issued_by, sizeof out->issued_by);
	}
	db_finish(st);
	return rc;
}

enum err_code db_documents_count(struct db_conn *c, const char *dossier_id, int64_t *n,
                                 struct err *e)
{
	if (str_empty(dossier_id))
		return db_query_int64(
		        c, "SELECT count(*) FROM issued_document WHERE dossier_id IS NULL",
		        DB_NOARGS, n, e);
	return db_query_int64(c, "SELECT count(*) FROM issued_document WHERE dossier_id = $1",
	                      DB_ARGS(db_text(dossier_id)), n, e);
}

/* ---- the tracking book ---- */

/* A row of db_documents_book(). */
static void book_row(struct db_stmt *st, void *item)
{
	struct db_book_line *l = item;
	int i = 0;
	db_col_copy(st, i++, l->code, sizeof l->code);
	db_col_copy(st, i++, l->procedure_name, sizeof l->procedure_name);
	db_col_copy(st, i++, l->applicant_name, sizeof l->applicant_name);
	db_col_copy(st, i++, l->applicant_address, sizeof l->applicant_address);
	db_col_copy(st, i++, l->applicant_phone, sizeof l->applicant_phone);
	db_col_copy(st, i++, l->competent_name, sizeof l->competent_name);
	db_col_copy(st, i++, l->state, sizeof l->state);
	db_col_copy(st, i++, l->outcome, sizeof l->outcome);
	l->received_at = db_col_opt(st, i++);
	l->due_at = db_col_opt(st, i++);
	l->resolved_at = db_col_opt(st, i++);
	l->delivered_at = db_col_opt(st, i++);
}

enum err_code db_documents_book(struct db_conn *c, const char *unit, int64_t from, int64_t to,
                                size_t cap, struct db_book *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	return db_read_list(
	        c,
	        "SELECT d.code, p.name_vi, d.applicant_name, d.applicant_address, "
	        "d.applicant_phone, u.name_vi, d.state, d.outcome, d.received_at, d.due_at, "
	        "d.resolved_at, d.delivered_at "
	        "FROM dossier d JOIN procedure p ON p.code = d.procedure_code "
	        "LEFT JOIN unit u ON u.code = d.competent_unit "
	        "WHERE d.receiving_unit = $1 AND d.received_at >= $2 AND d.received_at < $3 "
	        "ORDER BY d.received_at, d.code LIMIT $4",
	        DB_ARGS(db_text(unit), db_int(from), db_int(to), db_int((int64_t)cap + 1)),
	        sizeof *out->items, book_row, NULL, cap, &out->truncated, (void **)&out->items,
	        &out->count, e);
}

void db_book_free(struct db_book *b)
{
	free(b->items);
	b->items = NULL;
	b->count = 0;
	b->truncated = false;
}
