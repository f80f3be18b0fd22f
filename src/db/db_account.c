/*
 * db_account: the SQL of accounts, sessions and API tokens (see db_account.h).
 */
#include "db/db_account.h"

#include <string.h>

#include "base/str.h"

#define ACCOUNT_COLS                                                                               \
	"a.id, a.username, a.kind, a.roles, a.unit_code, a.full_name, a.id_number, a.tax_code, "   \
	"a.phone, a.email, a.password_hash, a.disabled, a.created_at, a.updated_at"
#define SESSION_COLS                                                                               \
	"s.token_hash, s.account_id, s.kind, s.label, s.csrf_token, s.created_at, s.expires_at, "  \
	"s.last_seen_at"
#define SESSION_NCOLS 8

static const char sql_insert[] =
        "INSERT INTO account (id, username, kind, roles, unit_code, full_name, id_number, "
        "tax_code, phone, email, password_hash, disabled, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
static const char sql_by_username[] =
        "SELECT " ACCOUNT_COLS " FROM account a WHERE a.username = $1";
static const char sql_by_id[] = "SELECT " ACCOUNT_COLS " FROM account a WHERE a.id = $1";
static const char sql_set_password[] =
        "UPDATE account SET password_hash = $2, updated_at = $3 WHERE id = $1";
static const char sql_set_password_if[] = "UPDATE account SET password_hash = $2, updated_at = $3 "
                                          "WHERE id = $1 AND password_hash = $4";
static const char sql_set_disabled[] =
        "UPDATE account SET disabled = $2, updated_at = $3 WHERE id = $1";
static const char sql_list[] =
        "SELECT " ACCOUNT_COLS " FROM account a "
        "WHERE $1 = 1 OR a.kind IN ('staff', 'system') ORDER BY a.username LIMIT $2 OFFSET $3";
static const char sql_count[] =
        "SELECT count(*) FROM account a WHERE $1 = 1 OR a.kind IN ('staff', 'system')";
static const char sql_unit_kind[] = "SELECT kind FROM unit WHERE code = $1";

static const char sql_session_insert[] =
        "INSERT INTO session (token_hash, account_id, kind, label, csrf_token, created_at, "
        "expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
static const char sql_session_get[] =
        "SELECT " SESSION_COLS ", " ACCOUNT_COLS " FROM session s "
        "JOIN account a ON a.id = s.account_id WHERE s.token_hash = $1";
static const char sql_session_touch[] =
        "UPDATE session SET last_seen_at = $2 WHERE token_hash = $1 AND last_seen_at < $2";
static const char sql_session_delete[] = "DELETE FROM session WHERE token_hash = $1";
static const char sql_session_delete_account[] = "DELETE FROM session WHERE account_id = $1";
static const char sql_session_delete_kind[] =
        "DELETE FROM session WHERE account_id = $1 AND kind = $2";
static const char sql_session_delete_label[] =
        "DELETE FROM session WHERE account_id = $1 AND kind = 'token' AND label = $2";
static const char sql_session_count_label[] =
        "SELECT count(*) FROM session WHERE account_id = $1 AND kind = 'token' AND label = $2 "
        "AND expires_at > $3";
static const char sql_session_purge[] = "DELETE FROM session WHERE expires_at <= $1";

/* Copies text column col into dst (n bytes); NULL reads as "". */
static enum err_code col_copy(struct db_stmt *st, int col, char *dst, size_t n, struct err *e)
{
	const char *s = db_col_text(st, col, NULL);
	if (str_copy(dst, n, s ? s : "") != 0)
		return err_set(e, ERR_TOO_LONG, "stored value of column %d longer than %zu bytes",
		               col, n - 1);
	return ERR_OK;
}

static enum err_code read_account(struct db_stmt *st, int base, struct db_account *a, struct err *e)
{
	enum err_code rc;
	memset(a, 0, sizeof *a);
	if ((rc = col_copy(st, base + 0, a->id, sizeof a->id, e)) != ERR_OK ||
	    (rc = col_copy(st, base + 1, a->username, sizeof a->username, e)) != ERR_OK ||
	    (rc = col_copy(st, base + 2, a->kind, sizeof a->kind, e)) != ERR_OK ||
	    (rc = col_copy(st, base + 4, a->unit_code, sizeof a->unit_code, e)) != ERR_OK ||
	    (rc = col_copy(st, base + 5, a->full_name, sizeof a->full_name, e)) != ERR_OK ||
	    (rc = col_copy(st, base + 6, a->id_number, sizeof a->id_number, e)) != ERR_OK ||
	    (rc = col_copy(st, base + 7, a->tax_code, sizeof a->tax_code, e)) != ERR_OK ||
	    (rc = col_copy(st, base + 8, a->phone, sizeof a->phone, e)) != ERR_OK ||
	    (rc = col_copy(st, base + 9, a->email, sizeof a->email, e)) != ERR_OK ||
	    (rc = col_copy(st, base + 10, a->password_hash, sizeof a->password_hash, e)) != ERR_OK)
		return rc;
	a->roles = db_col_int64(st, base + 3);
	a->disabled = db_col_int64(st, base + 11) != 0;
	a->created_at = db_col_int64(st, base + 12);
	a->updated_at = db_col_int64(st, base + 13);
	return ERR_OK;
}

static enum err_code read_session(struct db_stmt *st, struct db_session *s, struct err *e)
{
	enum err_code rc;
	memset(s, 0, sizeof *s);
	if ((rc = col_copy(st, 0, s->token_hash, sizeof s->token_hash, e)) != ERR_OK ||
	    (rc = col_copy(st, 1, s->account_id, sizeof s->account_id, e)) != ERR_OK ||
	    (rc = col_copy(st, 2, s->kind, sizeof s->kind, e)) != ERR_OK ||
	    (rc = col_copy(st, 3, s->label, sizeof s->label, e)) != ERR_OK ||
	    (rc = col_copy(st, 4, s->csrf_token, sizeof s->csrf_token, e)) != ERR_OK)
		return rc;
	s->created_at = db_col_int64(st, 5);
	s->expires_at = db_col_int64(st, 6);
	s->last_seen_at = db_col_int64(st, 7);
	return ERR_OK;
}

/* ---- accounts ---- */

enum err_code db_account_insert(struct db_conn *c, const struct db_account *a, struct err *e)
{
	return db_exec(c, sql_insert,
	               DB_ARGS(db_text(a->id), db_text(a->username), db_text(a->kind),
	                       db_int(a->roles), db_opt_text(a->unit_code), db_text(a->full_name),
	                       db_opt_text(a->id_number), db_opt_text(a->tax_code),
	                       db_opt_text(a->phone), db_opt_text(a->email),
	                       db_opt_text(a->password_hash), db_int(a->disabled ? 1 : 0),
	                       db_int(a->created_at), db_int(a->updated_at)),
	               NULL, e);
}

static enum err_code account_one(struct db_conn *c, const char *sql, const char *key,
                                 struct db_account *out, struct err *e)
{
	struct db_stmt *st;
	bool row = false;
	enum err_code rc = db_query(c, sql, DB_ARGS(db_text(key)), &st, e);
	if (rc != ERR_OK)
		return rc;
	rc = db_step(st, &row, e);
	if (rc == ERR_OK && !row)
		rc = err_set(e, ERR_NOT_FOUND, "no account '%s'", key);
	if (rc == ERR_OK)
		rc = read_account(st, 0, out, e);
	db_finish(st);
	return rc;
}

enum err_code db_account_by_username(struct db_conn *c, const char *username,
                                     struct db_account *out, struct err *e)
{
	return account_one(c, sql_by_username, username, out, e);
}

enum err_code db_account_by_id(struct db_conn *c, const char *id, struct db_account *out,
                               struct err *e)
{
	return account_one(c, sql_by_id, id, out, e);
}

enum err_code db_account_set_password(struct db_conn *c, const char *id, const char *hash,
                                      const char *expected_hash, int64_t now, bool *changed,
                                      struct err *e)
{
	int64_t n = 0;
	enum err_code rc;
	if (expected_hash)
		rc = db_exec(c, sql_set_password_if,
		             DB_ARGS(db_text(id), db_opt_text(hash), db_int(now),
		                     db_text(expected_hash)),
		             &n, e);
	else
		rc = db_exec(c, sql_set_password,
		             DB_ARGS(db_text(id), db_opt_text(hash), db_int(now)), &n, e);
	if (changed)
		*changed = rc == ERR_OK && n > 0;
	return rc;
}

enum err_code db_account_set_disabled(struct db_conn *c, const char *id, bool disabled, int64_t now,
                                      bool *changed, struct err *e)
{
	int64_t n = 0;
	enum err_code rc =
	        db_exec(c, sql_set_disabled,
	                DB_ARGS(db_text(id), db_int(disabled ? 1 : 0), db_int(now)), &n, e);
	if (changed)
		*changed = rc == ERR_OK && n > 0;
	return rc;
}

enum err_code db_account_list(struct db_conn *c, bool include_citizens, int64_t limit,
                              int64_t offset, db_account_fn *fn, void *ctx, struct err *e)
{
	struct db_stmt *st;
	if (limit <= 0)
		limit = INT64_MAX;
	if (offset < 0)
		offset = 0;
	enum err_code rc = db_query(
	        c, sql_list,
	        DB_ARGS(db_int(include_citizens ? 1 : 0), db_int(limit), db_int(offset)), &st, e);
	if (rc != ERR_OK)
		return rc;
	for (;;) {
		bool row = false;
		struct db_account a;
		rc = db_step(st, &row, e);
		if (rc != ERR_OK || !row)
			break;
		rc = read_account(st, 0, &a, e);
		if (rc == ERR_OK)
			rc = fn(&a, ctx, e);
		if (rc != ERR_OK)
			break;
	}
	db_finish(st);
	return rc;
}

enum err_code db_account_count(struct db_conn *c, bool include_citizens, int64_t *n, struct err *e)
{
	return db_query_int64(c, sql_count, DB_ARGS(db_int(include_citizens ? 1 : 0)), n, e);
}

enum err_code db_account_unit_kind(struct db_conn *c, const char *code, char *kind, size_t kindsz,
                                   struct err *e)
{
	enum err_code rc = db_query_text(c, sql_unit_kind, DB_ARGS(db_text(code)), kind, kindsz, e);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_NOT_FOUND, "unknown unit '%s'", code);
	return rc;
}

/* ---- sessions and API tokens ---- */

enum err_code db_session_insert(struct db_conn *c, const struct db_session *s, struct err *e)
{
	return db_exec(c, sql_session_insert,
	               DB_ARGS(db_text(s->token_hash), db_text(s->account_id), db_text(s->kind),
	                       db_opt_text(s->label), db_text(s->csrf_token), db_int(s->created_at),
	                       db_int(s->expires_at), db_int(s->last_seen_at)),
	               NULL, e);
}

enum err_code db_session_get(struct db_conn *c, const char *token_hash, struct db_session *s,
                             struct db_account *a, struct err *e)
{
	struct db_stmt *st;
	bool row = false;
	enum err_code rc = db_query(c, sql_session_get, DB_ARGS(db_text(token_hash)), &st, e);
	if (rc != ERR_OK)
		return rc;
	rc = db_step(st, &row, e);
	if (rc == ERR_OK && !row)
		rc = err_set(e, ERR_NOT_FOUND, "no such session");
	if (rc == ERR_OK)
		rc = read_session(st, s, e);
	if (rc == ERR_OK)
		rc = read_account(st, SESSION_NCOLS, a, e);
	db_finish(st);
	return rc;
}

enum err_code db_session_touch(struct db_conn *c, const char *token_hash, int64_t now,
                               struct err *e)
{
	return db_exec(c, sql_session_touch, DB_ARGS(db_text(token_hash), db_int(now)), NULL, e);
}

enum err_code db_session_delete(struct db_conn *c, const char *token_hash, int64_t *deleted,
                                struct err *e)
{
	return db_exec(c, sql_session_delete, DB_ARGS(db_text(token_hash)), deleted, e);
}

enum err_code db_session_delete_account(struct db_conn *c, const char *account_id, const char *kind,
                                        int64_t *deleted, struct err *e)
{
	if (kind)
		return db_exec(c, sql_session_delete_kind,
		               DB_ARGS(db_text(account_id), db_text(kind)), deleted, e);
	return db_exec(c, sql_session_delete_account, DB_ARGS(db_text(account_id)), deleted, e);
}

enum err_code db_session_delete_label(struct db_conn *c, const char *account_id, const char *label,
                                      int64_t *deleted, struct err *e)
{
	return db_exec(c, sql_session_delete_label, DB_ARGS(db_text(account_id), db_text(label)),
	               deleted, e);
}

enum err_code db_session_count_label(struct db_conn *c, const char *account_id, const char *label,
                                     int64_t now, int64_t *n, struct err *e)
{
	return db_query_int64(c, sql_session_count_label,
	                      DB_ARGS(db_text(account_id), db_text(label), db_int(now)), n, e);
}

enum err_code db_session_purge(struct db_conn *c, int64_t now, int64_t *deleted, struct err *e)
{
	return db_exec(c, sql_session_purge, DB_ARGS(db_int(now)), deleted, e);
}
