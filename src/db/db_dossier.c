/*
 * db_dossier: the SQL of the dossier aggregate (see db_dossier.h).
 *
 * Every statement is portable text with $N placeholders. Lists are read into
 * arrays that grow by doubling; list and search SQL is assembled from fixed
 * fragments of this file only (never from caller text), so the statement
 * cache sees a small, bounded set of statements.
 */
#include "db/db_dossier.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"

#define DOSSIER_COLS                                                                               \
	"id, code, procedure_code, state, outcome, version, channel, receiving_unit, "             \
	"competent_unit, competent_chosen_by, collection_unit, by_post, post_address, "            \
	"holder_account, owner_account, applicant_kind, applicant_name, applicant_name_folded, "   \
	"applicant_id_number, applicant_tax_code, applicant_birth_day, applicant_phone, "          \
	"applicant_email, applicant_address, residence_commune, property_commune, "                \
	"population_verified, representative_name, representative_id_number, authorisation_doc, "  \
	"submitted_at, received_at, due_at, original_due_at, paused_at, remaining_at_pause, "      \
	"resolved_at, delivered_at, step_seq, step_started_at, step_due_at, supplements_used, "    \
	"extensions_used, fee_vnd, paid_at, paid_channel, rated, custody, updated_at, "            \
	"received_by_post"
#define DOSSIER_NCOLS 50

#define LINE_COLS                                                                                  \
	"id, code, procedure_code, state, version, applicant_name, receiving_unit, "               \
	"competent_unit, collection_unit, holder_account, by_post, submitted_at, received_at, "    \
	"due_at, original_due_at, paused_at, remaining_at_pause, step_seq, step_due_at"

/* db_read_list() with no bound on the number of rows, for sql with one text parameter, key. */
static enum err_code read_keyed(struct db_conn *c, const char *sql, const char *key,
                                size_t item_size, void (*fill)(struct db_stmt *st, void *item),
                                const char *what, void **items, size_t *count, struct err *e)
{
	return db_read_list(c, sql, DB_ARGS(db_text(key)), item_size, fill, what, SIZE_MAX, NULL,
	                    items, count, e);
}

/*
 * Runs sql with one text parameter, key, and fills the zeroed item of
 * item_size from its first row with fill. No row is ERR_NOT_FOUND "no <what>
 * '<key>'", or "no <what>" when shown_key is false (a key not to repeat in
 * messages). On failure the item is left untouched.
 */
static enum err_code read_one(struct db_conn *c, const char *sql, const char *key, size_t item_size,
                              void (*fill)(struct db_stmt *st, void *item), const char *what,
                              bool shown_key, void *item, struct err *e)
{
	struct db_stmt *st;
	enum err_code rc = db_query(c, sql, DB_ARGS(db_text(key)), &st, e);
	if (rc != ERR_OK)
		return rc;
	bool row;
	rc = db_step(st, &row, e);
	if (rc == ERR_OK && !row)
		rc = shown_key ? err_set(e, ERR_NOT_FOUND, "no %s '%s'", what, key)
		               : err_set(e, ERR_NOT_FOUND, "no %s", what);
	if (rc == ERR_OK) {
		memset(item, 0, item_size);
		fill(st, item);
	}
	db_finish(st);
	return rc;
}

void db_dossier_clear(struct db_dossier *d)
{
	memset(d, 0, sizeof *d);
	d->applicant_birth_day = DB_NONE;
	d->received_at = d->due_at = d->original_due_at = DB_NONE;
	d->paused_at = d->remaining_at_pause = d->resolved_at = d->delivered_at = DB_NONE;
	d->step_started_at = d->step_due_at = d->paid_at = DB_NONE;
}

/* The 50 column values in DOSSIER_COLS order. */
static void dossier_params(const struct db_dossier *d, struct db_param p[DOSSIER_NCOLS])
{
	int i = 0;
	p[i++] = db_text(d->id);
	p[i++] = db_opt_text(d->code);
	p[i++] = db_text(d->procedure_code);
	p[i++] = db_text(d->state);
	p[i++] = db_opt_text(d->outcome);
	p[i++] = db_int(d->version);
	p[i++] = db_text(d->channel);
	p[i++] = db_opt_text(d->receiving_unit);
	p[i++] = db_opt_text(d->competent_unit);
	p[i++] = db_opt_text(d->competent_chosen_by);
	p[i++] = db_opt_text(d->collection_unit);
	p[i++] = db_int(d->by_post ? 1 : 0);
	p[i++] = db_opt_text(d->post_address);
	p[i++] = db_opt_text(d->holder_account);
	p[i++] = db_opt_text(d->owner_account);
	p[i++] = db_text(d->applicant_kind);
	p[i++] = db_text(d->applicant_name);
	p[i++] = db_text(d->applicant_name_folded);
	p[i++] = db_opt_text(d->applicant_id_number);
	p[i++] = db_opt_text(d->applicant_tax_code);
	p[i++] = db_opt_int(d->applicant_birth_day);
	p[i++] = db_opt_text(d->applicant_phone);
	p[i++] = db_opt_text(d->applicant_email);
	p[i++] = db_opt_text(d->applicant_address);
	p[i++] = db_opt_text(d->residence_commune);
	p[i++] = db_opt_text(d->property_commune);
	p[i++] = db_int(d->population_verified ? 1 : 0);
	p[i++] = db_opt_text(d->representative_name);
	p[i++] = db_opt_text(d->representative_id_number);
	p[i++] = db_opt_text(d->authorisation_doc);
	p[i++] = db_int(d->submitted_at);
	p[i++] = db_opt_int(d->received_at);
	p[i++] = db_opt_int(d->due_at);
	p[i++] = db_opt_int(d->original_due_at);
	p[i++] = db_opt_int(d->paused_at);
	p[i++] = db_opt_int(d->remaining_at_pause);
	p[i++] = db_opt_int(d->resolved_at);
	p[i++] = db_opt_int(d->delivered_at);
	p[i++] = db_int(d->step_seq);
	p[i++] = db_opt_int(d->step_started_at);
	p[i++] = db_opt_int(d->step_due_at);
	p[i++] = db_int(d->supplements_used);
	p[i++] = db_int(d->extensions_used);
	p[i++] = db_int(d->fee_vnd);
	p[i++] = db_opt_int(d->paid_at);
	p[i++] = db_opt_text(d->paid_channel);
	p[i++] = db_int(d->rated ? 1 : 0);
	p[i++] = db_opt_text(d->custody);
	p[i++] = db_int(d->updated_at);
	p[i++] = db_int(d->received_by_post ? 1 : 0);
}

/* Reads a row selected with DOSSIER_COLS. */
static void dossier_read(struct db_stmt *st, void *item)
{
	struct db_dossier *d = item;
	int i = 0;
	db_dossier_clear(d);
	db_col_copy(st, i++, d->id, sizeof d->id);
	db_col_copy(st, i++, d->code, sizeof d->code);
	db_col_copy(st, i++, d->procedure_code, sizeof d->procedure_code);
	db_col_copy(st, i++, d->state, sizeof d->state);
	db_col_copy(st, i++, d->outcome, sizeof d->outcome);
	d->version = db_col_int64(st, i++);
	db_col_copy(st, i++, d->channel, sizeof d->channel);
	db_col_copy(st, i++, d->receiving_unit, sizeof d->receiving_unit);
	db_col_copy(st, i++, d->competent_unit, sizeof d->competent_unit);
	db_col_copy(st, i++, d->competent_chosen_by, sizeof d->competent_chosen_by);
	db_col_copy(st, i++, d->collection_unit, sizeof d->collection_unit);
	d->by_post = (int)db_col_int64(st, i++);
	db_col_copy(st, i++, d->post_address, sizeof d->post_address);
	db_col_copy(st, i++, d->holder_account, sizeof d->holder_account);
	db_col_copy(st, i++, d->owner_account, sizeof d->owner_account);
	db_col_copy(st, i++, d->applicant_kind, sizeof d->applicant_kind);
	db_col_copy(st, i++, d->applicant_name, sizeof d->applicant_name);
	db_col_copy(st, i++, d->applicant_name_folded, sizeof d->applicant_name_folded);
	db_col_copy(st, i++, d->applicant_id_number, sizeof d->applicant_id_number);
	db_col_copy(st, i++, d->applicant_tax_code, sizeof d->applicant_tax_code);
	d->applicant_birth_day = db_col_opt(st, i++);
	db_col_copy(st, i++, d->applicant_phone, sizeof d->applicant_phone);
	db_col_copy(st, i++, d->applicant_email, sizeof d->applicant_email);
	db_col_copy(st, i++, d->applicant_address, sizeof d->applicant_address);
	db_col_copy(st, i++, d->residence_commune, sizeof d->residence_commune);
	db_col_copy(st, i++, d->property_commune, sizeof d->property_commune);
	d->population_verified = (int)db_col_int64(st, i++);
	db_col_copy(st, i++, d->representative_name, sizeof d->representative_name);
	db_col_copy(st, i++, d->representative_id_number, sizeof d->representative_id_number);
	db_col_copy(st, i++, d->authorisation_doc, sizeof d->authorisation_doc);
	d->submitted_at = db_col_int64(st, i++);
	d->received_at = db_col_opt(st, i++);
	d->due_at = db_col_opt(st, i++);
	d->original_due_at = db_col_opt(st, i++);
	d->paused_at = db_col_opt(st, i++);
	d->remaining_at_pause = db_col_opt(st, i++);
	d->resolved_at = db_col_opt(st, i++);
	d->delivered_at = db_col_opt(st, i++);
	d->step_seq = db_col_int64(st, i++);
	d->step_started_at = db_col_opt(st, i++);
	d->step_due_at = db_col_opt(st, i++);
	d->supplements_used = db_col_int64(st, i++);
	d->extensions_used = db_col_int64(st, i++);
	d->fee_vnd = db_col_int64(st, i++);
	d->paid_at = db_col_opt(st, i++);
	db_col_copy(st, i++, d->paid_channel, sizeof d->paid_channel);
	d->rated = (int)db_col_int64(st, i++);
	db_col_copy(st, i++, d->custody, sizeof d->custody);
	d->updated_at = db_col_int64(st, i++);
	d->received_by_post = db_col_int64(st, i++) != 0;
}

enum err_code db_dossier_insert(struct db_conn *c, const struct db_dossier *d, struct err *e)
{
	struct db_param p[DOSSIER_NCOLS];
	dossier_params(d, p);
	return db_exec(
	        c,
	        "INSERT INTO dossier (" DOSSIER_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, "
	        "$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, "
	        "$24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, "
	        "$40, $41, $42, $43, $44, $45, $46, $47, $48, $49, $50)",
	        p, DOSSIER_NCOLS, NULL, e);
}

/* The column names of DOSSIER_COLS, in its order. */
static const char *const dossier_col_names[DOSSIER_NCOLS] = {
        "id",
        "code",
        "procedure_code",
        "state",
        "outcome",
        "version",
        "channel",
        "receiving_unit",
        "competent_unit",
        "competent_chosen_by",
        "collection_unit",
        "by_post",
        "post_address",
        "holder_account",
        "owner_account",
        "applicant_kind",
        "applicant_name",
        "applicant_name_folded",
        "applicant_id_number",
        "applicant_tax_code",
        "applicant_birth_day",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
        "residence_commune",
        "property_commune",
        "population_verified",
        "representative_name",
        "representative_id_number",
        "authorisation_doc",
        "submitted_at",
        "received_at",
        "due_at",
        "original_due_at",
        "paused_at",
        "remaining_at_pause",
        "resolved_at",
        "delivered_at",
        "step_seq",
        "step_started_at",
        "step_due_at",
        "supplements_used",
        "extensions_used",
        "fee_vnd",
        "paid_at",
        "paid_channel",
        "rated",
        "custody",
        "updated_at",
        "received_by_post",
};
#define DOSSIER_COL_VERSION 5

/* Whether two parameters bind the same value. */
static bool param_same(const struct db_param *a, const struct db_param *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case DB_T_INT64:
		return a->i == b->i;
	case DB_T_TEXT:
	case DB_T_BLOB:
		return a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
	default:
		return true;
	}
}

/* Appends s to the n bytes used of out (cap bytes); false when it does not fit. */
static bool sql_append(char *out, size_t cap, size_t *n, const char *s)
{
	size_t len = strlen(s);
	if (*n + len >= cap)
		return false;
	memcpy(out + *n, s, len + 1);
	*n += len;
	return true;
}

enum err_code db_dossier_update(struct db_conn *c, const struct db_dossier *d,
                                const struct db_dossier *old, int64_t expected_version,
                                struct err *e)
{
	/* Only the columns that differ from old are SET: SQLite rewrites an index only
	 * when one of its columns is SET, and most actions change two or three of the
	 * dozen indexed columns. The version column is always SET, so the WHERE on the
	 * expected version keeps the update optimistic, and a row at that version is
	 * the row old was read from. */
	struct db_param now[DOSSIER_NCOLS], was[DOSSIER_NCOLS], p[DOSSIER_NCOLS + 1];
	char sql[2048], num[24];
	size_t n = 0;
	int np = 0;
	bool fits = true;
	dossier_params(d, now);
	if (old)
		dossier_params(old, was);
	p[np++] = now[0];
	fits = sql_append(sql, sizeof sql, &n, "UPDATE dossier SET ");
	for (int i = 1; i < DOSSIER_NCOLS && fits; i++) {
		if (old && i != DOSSIER_COL_VERSION && param_same(&now[i], &was[i]))
			continue;
		p[np++] = now[i];
		snprintf(num, sizeof num, " = $%d", np);
		fits = (np == 2 || sql_append(sql, sizeof sql, &n, ", ")) &&
		       sql_append(sql, sizeof sql, &n, dossier_col_names[i]) &&
		       sql_append(sql, sizeof sql, &n, num);
	}
	p[np++] = db_int(expected_version);
	snprintf(num, sizeof num, "%d", np);
	if (!fits || !sql_append(sql, sizeof sql, &n, " WHERE id = $1 AND version = $") ||
	    !sql_append(sql, sizeof sql, &n, num))
		return err_set(e, ERR_INTERNAL, "dossier update statement too long");
	int64_t changed = 0;
	enum err_code rc = db_exec(c, sql, p, np, &changed, e);
	if (rc != ERR_OK)
		return rc;
	if (changed != 1)
		return err_set(e, ERR_VERSION_CONFLICT, "dossier '%s' is no longer at version %lld",
		               d->id, (long long)expected_version);
	return ERR_OK;
}

static enum err_code dossier_get_where(struct db_conn *c, const char *sql, const char *key,
                                       struct db_dossier *out, struct err *e)
{
	return read_one(c, sql, key, sizeof *out, dossier_read, "dossier", true, out, e);
}

enum err_code db_dossier_get(struct db_conn *c, const char *id, struct db_dossier *out,
                             struct err *e)
{
	return dossier_get_where(c, "SELECT " DOSSIER_COLS " FROM dossier WHERE id = $1", id, out,
	                         e);
}

enum err_code db_dossier_get_by_code(struct db_conn *c, const char *code, struct db_dossier *out,
                                     struct err *e)
{
	return dossier_get_where(c, "SELECT " DOSSIER_COLS " FROM dossier WHERE code = $1", code,
	                         out, e);
}

/* ---- applicants ---- */

enum err_code db_dossier_applicant_insert(struct db_conn *c, const char *dossier_id,
                                          const struct db_dossier_applicant *a, struct err *e)
{
	return db_exec(c,
	               "INSERT INTO dossier_applicant (dossier_id, seq, full_name, id_number, "
	               "birth_day, population_verified) VALUES ($1, $2, $3, $4, $5, $6)",
	               DB_ARGS(db_text(dossier_id), db_int(a->seq), db_text(a->full_name),
	                       db_opt_text(a->id_number), db_opt_int(a->birth_day),
	                       db_int(a->population_verified ? 1 : 0)),
	               NULL, e);
}

static void applicant_fill(struct db_stmt *st, void *item)
{
	struct db_dossier_applicant *a = item;
	a->seq = db_col_int64(st, 0);
	db_col_copy(st, 1, a->full_name, sizeof a->full_name);
	db_col_copy(st, 2, a->id_number, sizeof a->id_number);
	a->birth_day = db_col_opt(st, 3);
	a->population_verified = (int)db_col_int64(st, 4);
}

enum err_code db_dossier_applicants(struct db_conn *c, const char *dossier_id,
                                    struct db_applicant_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	return read_keyed(c,
	                  "SELECT seq, full_name, id_number, birth_day, population_verified "
	                  "FROM dossier_applicant WHERE dossier_id = $1 ORDER BY seq",
	                  dossier_id, sizeof *out->items, applicant_fill, "applicants",
	                  (void **)&out->items, &out->count, e);
}

void db_applicant_list_free(struct db_applicant_list *l)
{
	db_free_items((void **)&l->items, &l->count);
}

/* ---- components ---- */

enum err_code db_dossier_component_put(struct db_conn *c, const char *dossier_id,
                                       const struct db_dossier_component *k, struct err *e)
{
	return db_exec(
	        c,
	        "INSERT INTO dossier_component (dossier_id, seq, status, original_kept, note) "
	        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (dossier_id, seq) DO UPDATE SET "
	        "status = excluded.status, original_kept = excluded.original_kept, "
	        "note = excluded.note",
	        DB_ARGS(db_text(dossier_id), db_int(k->seq), db_text(k->status),
	                db_int(k->original_kept ? 1 : 0), db_opt_text(k->note)),
	        NULL, e);
}

static void component_fill(struct db_stmt *st, void *item)
{
	struct db_dossier_component *k = item;
	k->seq = db_col_int64(st, 0);
	db_col_copy(st, 1, k->status, sizeof k->status);
	k->original_kept = (int)db_col_int64(st, 2);
	db_col_copy(st, 3, k->note, sizeof k->note);
}

enum err_code db_dossier_components(struct db_conn *c, const char *dossier_id,
                                    struct db_component_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	return read_keyed(c,
	                  "SELECT seq, status, original_kept, note FROM dossier_component "
	                  "WHERE dossier_id = $1 ORDER BY seq",
	                  dossier_id, sizeof *out->items, component_fill, "components",
	                  (void **)&out->items, &out->count, e);
}

void db_component_list_free(struct db_component_list *l)
{
	db_free_items((void **)&l->items, &l->count);
}

/* ---- events ---- */

enum err_code db_dossier_event_insert(struct db_conn *c, const char *dossier_id,
                                      const struct db_dossier_event *ev, struct err *e)
{
	return db_exec(
	        c,
	        "INSERT INTO dossier_event (dossier_id, version, at, action, from_state, "
	        "to_state, actor_account, actor_unit, to_unit, to_account, step_seq, "
	        "step_result, due_at, note, legal_due_at, detail) VALUES ($1, $2, $3, $4, $5, $6, "
	        "$7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
	        DB_ARGS(db_text(dossier_id), db_int(ev->version), db_int(ev->at),
	                db_text(ev->action), db_text(ev->from_state), db_text(ev->to_state),
	                db_opt_text(ev->actor_account), db_opt_text(ev->actor_unit),
	                db_opt_text(ev->to_unit), db_opt_text(ev->to_account),
	                db_opt_int(ev->step_seq), db_opt_text(ev->step_result),
	                db_opt_int(ev->due_at), db_opt_text(ev->note), db_opt_int(ev->legal_due_at),
	                db_opt_text(ev->detail)),
	        NULL, e);
}

static void event_fill(struct db_stmt *st, void *item)
{
	struct db_dossier_event *ev = item;
	ev->version = db_col_int64(st, 0);
	ev->at = db_col_int64(st, 1);
	db_col_copy(st, 2, ev->action, sizeof ev->action);
	db_col_copy(st, 3, ev->from_state, sizeof ev->from_state);
	db_col_copy(st, 4, ev->to_state, sizeof ev->to_state);
	db_col_copy(st, 5, ev->actor_account, sizeof ev->actor_account);
	db_col_copy(st, 6, ev->actor_unit, sizeof ev->actor_unit);
	db_col_copy(st, 7, ev->to_unit, sizeof ev->to_unit);
	db_col_copy(st, 8, ev->to_account, sizeof ev->to_account);
	ev->step_seq = db_col_opt(st, 9);
	db_col_copy(st, 10, ev->step_result, sizeof ev->step_result);
	ev->due_at = db_col_opt(st, 11);
	db_col_copy(st, 12, ev->note, sizeof ev->note);
	ev->legal_due_at = db_col_opt(st, 13);
	db_col_copy(st, 14, ev->detail, sizeof ev->detail);
}

enum err_code db_dossier_events(struct db_conn *c, const char *dossier_id,
                                struct db_event_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	return read_keyed(c,
	                  "SELECT version, at, action, from_state, to_state, actor_account, "
	                  "actor_unit, to_unit, to_account, step_seq, step_result, due_at, "
	                  "note, legal_due_at, detail FROM dossier_event WHERE dossier_id = $1 "
	                  "ORDER BY version",
	                  dossier_id, sizeof *out->items, event_fill, "events",
	                  (void **)&out->items, &out->count, e);
}

void db_event_list_free(struct db_event_list *l)
{
	db_free_items((void **)&l->items, &l->count);
}

/* ---- ratings and complaints ---- */

enum err_code db_dossier_rating_insert(struct db_conn *c, const char *dossier_id, int64_t at,
                                       const char *level, const char *comment, struct err *e)
{
	return db_exec(
	        c,
	        "INSERT INTO dossier_rating (dossier_id, at, level, comment) "
	        "VALUES ($1, $2, $3, $4)",
	        DB_ARGS(db_text(dossier_id), db_int(at), db_text(level), db_opt_text(comment)),
	        NULL, e);
}

enum err_code db_dossier_complaint_insert(struct db_conn *c, const char *id, const char *dossier_id,
                                          int64_t at, const char *text, struct err *e)
{
	return db_exec(c,
	               "INSERT INTO dossier_complaint (id, dossier_id, at, text) "
	               "VALUES ($1, $2, $3, $4)",
	               DB_ARGS(db_text(id), db_text(dossier_id), db_int(at), db_text(text)), NULL,
	               e);
}

/* ---- counters ---- */

enum err_code db_counter_next(struct db_conn *c, const char *name, int64_t *value, struct err *e)
{
	return db_query_int64(c,
	                      "INSERT INTO counter (name, value) VALUES ($1, 1) ON CONFLICT (name) "
	                      "DO UPDATE SET value = counter.value + 1 RETURNING value",
	                      DB_ARGS(db_text(name)), value, e);
}

enum err_code db_counter_get(struct db_conn *c, const char *name, int64_t *value, struct err *e)
{
	return db_query_int64(c, "SELECT value FROM counter WHERE name = $1",
	                      DB_ARGS(db_text(name)), value, e);
}

/* ---- reference data ---- */

static void procedure_fill(struct db_stmt *st, void *item)
{
	struct db_procedure_rules *out = item;
	db_col_copy(st, 0, out->code, sizeof out->code);
	db_col_copy(st, 1, out->name_vi, sizeof out->name_vi);
	db_col_copy(st, 2, out->name_en, sizeof out->name_en);
	db_col_copy(st, 3, out->level, sizeof out->level);
	db_col_copy(st, 4, out->competent_kind, sizeof out->competent_kind);
	db_col_copy(st, 5, out->competent_unit, sizeof out->competent_unit);
	db_col_copy(st, 6, out->route_by, sizeof out->route_by);
	out->legal_days = db_col_opt(st, 7);
	out->legal_hours = db_col_opt(st, 8);
	out->fee_vnd = db_col_int64(st, 9);
	db_col_copy(st, 10, out->online, sizeof out->online);
	out->boundary_free = (int)db_col_int64(st, 11);
	out->cutoff_sec = db_col_opt(st, 12);
	db_col_copy(st, 13, out->supplement_rule, sizeof out->supplement_rule);
	out->max_supplements = db_col_int64(st, 14);
	out->max_extensions = db_col_int64(st, 15);
	out->needs_signoff = (int)db_col_int64(st, 16);
	out->active = (int)db_col_int64(st, 17);
}

enum err_code db_dossier_procedure(struct db_conn *c, const char *code,
                                   struct db_procedure_rules *out, struct err *e)
{
	return read_one(c,
	                "SELECT code, name_vi, name_en, level, competent_kind, competent_unit, "
	                "route_by, legal_days, legal_hours, fee_vnd, online, boundary_free, "
	                "cutoff_sec, supplement_rule, max_supplements, max_extensions, "
	                "needs_signoff, active FROM procedure WHERE code = $1",
	                code, sizeof *out, procedure_fill, "procedure", true, out, e);
}

static void step_fill(struct db_stmt *st, void *item)
{
	struct db_procedure_step *s = item;
	s->seq = db_col_int64(st, 0);
	db_col_copy(st, 1, s->name_vi, sizeof s->name_vi);
	db_col_copy(st, 2, s->name_en, sizeof s->name_en);
	s->share_pct = db_col_int64(st, 3);
	db_col_copy(st, 4, s->role, sizeof s->role);
}

enum err_code db_dossier_steps(struct db_conn *c, const char *procedure_code,
                               struct db_step_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	return read_keyed(c,
	                  "SELECT seq, name_vi, name_en, share_pct, role FROM procedure_step "
	                  "WHERE procedure_code = $1 ORDER BY seq",
	                  procedure_code, sizeof *out->items, step_fill, "steps",
	                  (void **)&out->items, &out->count, e);
}

void db_step_list_free(struct db_step_list *l)
{
	db_free_items((void **)&l->items, &l->count);
}

static void proc_component_fill(struct db_stmt *st, void *item)
{
	struct db_procedure_component *k = item;
	k->seq = db_col_int64(st, 0);
	db_col_copy(st, 1, k->name_vi, sizeof k->name_vi);
	k->required = (int)db_col_int64(st, 2);
	k->population_replaces = (int)db_col_int64(st, 3);
}

enum err_code db_dossier_proc_components(struct db_conn *c, const char *procedure_code,
                                         struct db_proc_component_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	return read_keyed(c,
	                  "SELECT seq, name_vi, required, population_replaces FROM "
	                  "procedure_component WHERE procedure_code = $1 ORDER BY seq",
	                  procedure_code, sizeof *out->items, proc_component_fill, "components",
	                  (void **)&out->items, &out->count, e);
}

void db_proc_component_list_free(struct db_proc_component_list *l)
{
	db_free_items((void **)&l->items, &l->count);
}

static void unit_fill(struct db_stmt *st, void *item)
{
	struct db_unit_info *out = item;
	db_col_copy(st, 0, out->code, sizeof out->code);
	db_col_copy(st, 1, out->kind, sizeof out->kind);
	db_col_copy(st, 2, out->identifier, sizeof out->identifier);
	db_col_copy(st, 3, out->name_vi, sizeof out->name_vi);
	db_col_copy(st, 4, out->name_en, sizeof out->name_en);
	db_col_copy(st, 5, out->parent_code, sizeof out->parent_code);
	db_col_copy(st, 6, out->commune_code, sizeof out->commune_code);
	db_col_copy(st, 7, out->address, sizeof out->address);
	out->receives = (int)db_col_int64(st, 8);
	out->active = (int)db_col_int64(st, 9);
}

enum err_code db_dossier_unit(struct db_conn *c, const char *code, struct db_unit_info *out,
                              struct err *e)
{
	return read_one(c,
	                "SELECT code, kind, identifier, name_vi, name_en, parent_code, "
	                "commune_code, address, receives, active FROM unit WHERE code = $1",
	                code, sizeof *out, unit_fill, "unit", true, out, e);
}

enum err_code db_dossier_commune_exists(struct db_conn *c, const char *code, bool *exists,
                                        struct err *e)
{
	int64_t n = 0;
	enum err_code rc = db_query_int64(c, "SELECT count(*) FROM commune WHERE code = $1",
	                                  DB_ARGS(db_text(code)), &n, e);
	*exists = rc == ERR_OK && n > 0;
	return rc;
}

static void population_fill(struct db_stmt *st, void *item)
{
	struct db_population_row *out = item;
	db_col_copy(st, 0, out->id_number, sizeof out->id_number);
	db_col_copy(st, 1, out->name_folded, sizeof out->name_folded);
	out->birth_day = db_col_int64(st, 2);
	db_col_copy(st, 3, out->residence_commune, sizeof out->residence_commune);
}

enum err_code db_dossier_population(struct db_conn *c, const char *id_number,
                                    struct db_population_row *out, struct err *e)
{
	/* the ID number is personal data: not repeated in the message */
	return read_one(c,
	                "SELECT id_number, name_folded, birth_day, residence_commune "
	                "FROM population WHERE id_number = $1",
	                id_number, sizeof *out, population_fill, "population row", false, out, e);
}

static void account_fill(struct db_stmt *st, void *item)
{
	struct db_account_brief *out = item;
	db_col_copy(st, 0, out->id, sizeof out->id);
	db_col_copy(st, 1, out->username, sizeof out->username);
	db_col_copy(st, 2, out->kind, sizeof out->kind);
	out->roles = db_col_int64(st, 3);
	db_col_copy(st, 4, out->unit_code, sizeof out->unit_code);
	db_col_copy(st, 5, out->id_number, sizeof out->id_number);
	db_col_copy(st, 6, out->tax_code, sizeof out->tax_code);
	out->disabled = (int)db_col_int64(st, 7);
}

enum err_code db_dossier_account(struct db_conn *c, const char *key, bool by_username,
                                 struct db_account_brief *out, struct err *e)
{
	return read_one(c,
	                by_username ? "SELECT id, username, kind, roles, unit_code, id_number, "
	                              "tax_code, disabled FROM account WHERE username = $1"
	                            : "SELECT id, username, kind, roles, unit_code, id_number, "
	                              "tax_code, disabled FROM account WHERE id = $1",
	                key, sizeof *out, account_fill, "account", true, out, e);
}

/* ---- lists ---- */

void db_line_list_free(struct db_line_list *l)
{
	db_free_items((void **)&l->items, &l->count);
	l->truncated = false;
}

#define FILTER_MAX_PARAMS 32
#define FILTER_MAX_STATES 16

/* A WHERE clause under construction. */
struct where {
	struct buf sql;
	struct db_param params[FILTER_MAX_PARAMS];
	int n;
	bool bad;
};

/* Appends " AND " (or nothing before the first condition) and the fragment. */
static void where_and(struct where *w, const char *fragment)
{
	if (buf_puts(&w->sql, w->sql.len ? " AND " : " WHERE ") || buf_puts(&w->sql, fragment))
		w->bad = true;
}

/* Binds a value and appends "$N". */
static void where_param(struct where *w, struct db_param p)
{
	if (w->n >= FILTER_MAX_PARAMS || buf_printf(&w->sql, "$%d", w->n + 1)) {
		w->bad = true;
		return;
	}
	w->params[w->n++] = p;
}

/* The condition of one scope column: "col = $N" (staff branch: two columns). */
static void where_scope(struct where *w, enum db_scope_col col, const char *value)
{
	static const char *const cols[] = {
	        [DB_SCOPE_COMPETENT] = "competent_unit",   [DB_SCOPE_HOLDER] = "holder_account",
	        [DB_SCOPE_COLLECTION] = "collection_unit", [DB_SCOPE_RECEIVING] = "receiving_unit",
	        [DB_SCOPE_OWNER] = "owner_account",
	};
	if (col == DB_SCOPE_STAFF_BRANCH) {
		buf_puts(&w->sql, "(receiving_unit = ");
		where_param(w, db_text(value ? value : ""));
		buf_puts(&w->sql, " OR collection_unit = ");
		where_param(w, db_text(value ? value : ""));
		buf_puts(&w->sql, ")");
		return;
	}
	buf_printf(&w->sql, "%s = ", cols[col]);
	where_param(w, db_text(value ? value : ""));
}

/* Builds the WHERE clause of f. */
static void where_build(struct where *w, const struct db_dossier_filter *f)
{
	if (f->scope != DB_SCOPE_NONE) {
		where_and(w, "(");
		where_scope(w, f->scope, f->scope_value);
		if (f->scope2 != DB_SCOPE_NONE) {
			buf_puts(&w->sql, " OR ");
			where_scope(w, f->scope2, f->scope2_value);
		}
		buf_puts(&w->sql, ")");
	}
	if (f->states) {
		where_and(w, "state IN (");
		for (int i = 0; f->states[i]; i++) {
			if (i >= FILTER_MAX_STATES) {
				w->bad = true;
				break;
			}
			if (i)
				buf_puts(&w->sql, ", ");
			where_param(w, db_text(f->states[i]));
		}
		buf_puts(&w->sql, ")");
	}
	if (!str_empty(f->code)) {
		where_and(w, "code = ");
		where_param(w, db_text(f->code));
	}
	if (!str_empty(f->name_folded)) {
		/* word-prefix match, as fold_contains(): at the start or after a space;
		 * folded text holds no '%' or '_' (they are separators). */
		where_and(w, "(applicant_name_folded LIKE ");
		where_param(w, db_text(f->name_folded));
		buf_puts(&w->sql, " || '%' OR applicant_name_folded LIKE '% ' || ");
		where_param(w, db_text(f->name_folded));
		buf_puts(&w->sql, " || '%')");
	}
	if (!str_empty(f->id_number)) {
		where_and(w, "(applicant_id_number = ");
		where_param(w, db_text(f->id_number));
		buf_puts(&w->sql, " OR representative_id_number = ");
		where_param(w, db_text(f->id_number));
		buf_puts(&w->sql, " OR id IN (SELECT dossier_id FROM dossier_applicant WHERE "
		                  "id_number = ");
		where_param(w, db_text(f->id_number));
		buf_puts(&w->sql, "))");
	}
	if (!str_empty(f->phone)) {
		where_and(w, "applicant_phone = ");
		where_param(w, db_text(f->phone));
	}
}

static void line_read(struct db_stmt *st, void *item)
{
	struct db_dossier_line *l = item;
	db_col_copy(st, 0, l->id, sizeof l->id);
	db_col_copy(st, 1, l->code, sizeof l->code);
	db_col_copy(st, 2, l->procedure_code, sizeof l->procedure_code);
	db_col_copy(st, 3, l->state, sizeof l->state);
	l->version = db_col_int64(st, 4);
	db_col_copy(st, 5, l->applicant_name, sizeof l->applicant_name);
	db_col_copy(st, 6, l->receiving_unit, sizeof l->receiving_unit);
	db_col_copy(st, 7, l->competent_unit, sizeof l->competent_unit);
	db_col_copy(st, 8, l->collection_unit, sizeof l->collection_unit);
	db_col_copy(st, 9, l->holder_account, sizeof l->holder_account);
	l->by_post = (int)db_col_int64(st, 10);
	l->submitted_at = db_col_int64(st, 11);
	l->received_at = db_col_opt(st, 12);
	l->due_at = db_col_opt(st, 13);
	l->original_due_at = db_col_opt(st, 14);
	l->paused_at = db_col_opt(st, 15);
	l->remaining_at_pause = db_col_opt(st, 16);
	l->step_seq = db_col_int64(st, 17);
	l->step_due_at = db_col_opt(st, 18);
}

/* Runs sql (already holding its WHERE) and reads up to cap lines; one more sets truncated. */
static enum err_code lines_read(struct db_conn *c, const char *sql, const struct db_param *p, int n,
                                size_t cap, struct db_line_list *out, struct err *e)
{
	return db_read_list(c, sql, p, n, sizeof *out->items, line_read, "dossiers", cap,
	                    &out->truncated, (void **)&out->items, &out->count, e);
}

enum err_code db_dossier_scan(struct db_conn *c, const struct db_dossier_filter *f, size_t cap,
                              struct db_line_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct where w = {.sql = BUF_INIT(8192)};
	where_build(&w, f);
	struct buf sql = BUF_INIT(16384);
	enum err_code rc = ERR_OK;
	if (!w.bad)
		buf_printf(&w.sql, " ORDER BY submitted_at, id LIMIT ");
	where_param(&w, db_int((int64_t)cap + 1));
	if (w.bad || buf_printf(&sql, "SELECT " LINE_COLS " FROM dossier%s", buf_str(&w.sql)))
		rc = err_set(e, ERR_INVALID_ARGUMENT, "dossier filter too large");
	else
		rc = lines_read(c, buf_str(&sql), w.params, w.n, cap, out, e);
	buf_release(&w.sql);
	buf_release(&sql);
	return rc;
}

enum err_code db_dossier_search(struct db_conn *c, const struct db_dossier_filter *f, int64_t limit,
                                int64_t offset, struct db_line_list *out, int64_t *total,
                                struct err *e)
{
	memset(out, 0, sizeof *out);
	*total = 0;
	struct where w = {.sql = BUF_INIT(8192)};
	where_build(&w, f);
	struct buf sql = BUF_INIT(16384);
	enum err_code rc = ERR_OK;
	if (w.bad || limit < 0 || offset < 0 ||
	    buf_printf(&sql, "SELECT count(*) FROM dossier%s", buf_str(&w.sql))) {
		rc = err_set(e, ERR_INVALID_ARGUMENT, "dossier filter too large");
		goto out;
	}
	rc = db_query_int64(c, buf_str(&sql), w.params, w.n, total, e);
	if (rc != ERR_OK)
		goto out;
	buf_reset(&sql);
	buf_puts(&w.sql, " ORDER BY submitted_at DESC, id LIMIT ");
	where_param(&w, db_int(limit));
	buf_puts(&w.sql, " OFFSET ");
	where_param(&w, db_int(offset));
	if (w.bad || buf_printf(&sql, "SELECT " LINE_COLS " FROM dossier%s", buf_str(&w.sql))) {
		rc = err_set(e, ERR_INVALID_ARGUMENT, "dossier filter too large");
		goto out;
	}
	rc = lines_read(c, buf_str(&sql), w.params, w.n, (size_t)limit, out, e);
	out->truncated = false;
out:
	buf_release(&w.sql);
	buf_release(&sql);
	return rc;
}

enum err_code db_dossier_count(struct db_conn *c, const char *table, int64_t *n, struct err *e)
{
	static const char *const sql[][2] = {
	        {"dossier", "SELECT count(*) FROM dossier"},
	        {"dossier_event", "SELECT count(*) FROM dossier_event"},
	        {"dossier_applicant", "SELECT count(*) FROM dossier_applicant"},
	        {"dossier_component", "SELECT count(*) FROM dossier_component"},
	        {"dossier_rating", "SELECT count(*) FROM dossier_rating"},
	        {"dossier_complaint", "SELECT count(*) FROM dossier_complaint"},
	        {"outbox", "SELECT count(*) FROM outbox"},
	        {"counter", "SELECT count(*) FROM counter"},
	        {"account", "SELECT count(*) FROM account"},
	};
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
		if (str_eq(sql[i][0], table))
			return db_query_int64(c, sql[i][1], DB_NOARGS, n, e);
	return err_set(e, ERR_INVALID_ARGUMENT, "unknown table '%s'", table);
}
