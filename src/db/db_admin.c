/*
 * db_admin: the SQL of the administration pages (see db_admin.h).
 *
 * Searches use the catalogue's conventions (db_catalog_query.c): a folded
 * needle matches the start of a word of name_folded; a parameter left unused
 * is bound to SQL NULL and tested with CAST($n AS TEXT) IS NULL, which gives
 * it a type on PostgreSQL.
 */
#include "db/db_admin.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"

/* ---- procedures ---- */

#define PROCEDURE_COLUMNS                                                                          \
	"code, name_vi, name_en, sector, level, competent_kind, competent_unit, route_by, "        \
	"legal_days, legal_hours, fee_vnd, online, boundary_free, cutoff_sec, supplement_rule, "   \
	"max_supplements, max_extensions, needs_signoff, active, source"

static void procedure_fill(struct db_stmt *st, struct db_admin_procedure *p)
{
	memset(p, 0, sizeof *p);
	db_col_copy(st, 0, p->code, sizeof p->code);
	db_col_copy(st, 1, p->name_vi, sizeof p->name_vi);
	db_col_copy(st, 2, p->name_en, sizeof p->name_en);
	db_col_copy(st, 3, p->sector, sizeof p->sector);
	db_col_copy(st, 4, p->level, sizeof p->level);
	db_col_copy(st, 5, p->competent_kind, sizeof p->competent_kind);
	db_col_copy(st, 6, p->competent_unit, sizeof p->competent_unit);
	db_col_copy(st, 7, p->route_by, sizeof p->route_by);
	p->legal_days = db_col_opt(st, 8);
	p->legal_hours = db_col_opt(st, 9);
	p->fee_vnd = db_col_int64(st, 10);
	db_col_copy(st, 11, p->online, sizeof p->online);
	p->boundary_free = db_col_int64(st, 12) != 0;
	p->cutoff_sec = db_col_opt(st, 13);
	db_col_copy(st, 14, p->supplement_rule, sizeof p->supplement_rule);
	p->max_supplements = db_col_int64(st, 15);
	p->max_extensions = db_col_int64(st, 16);
	p->needs_signoff = db_col_int64(st, 17) != 0;
	p->active = db_col_int64(st, 18) != 0;
	db_col_copy(st, 19, p->source, sizeof p->source);
}

enum err_code db_admin_procedure_get(struct db_conn *c, const char *code,
                                     struct db_admin_procedure *out, struct err *e)
{
	struct db_stmt *st;
	bool row = false;
	enum err_code rc =
	        db_query(c, "SELECT " PROCEDURE_COLUMNS " FROM procedure WHERE code = $1",
	                 DB_ARGS(db_text(code)), &st, e);
	if (rc != ERR_OK)
		return rc;
	rc = db_step(st, &row, e);
	if (rc == ERR_OK && row)
		procedure_fill(st, out);
	db_finish(st);
	if (rc == ERR_OK && !row)
		return err_set(e, ERR_NOT_FOUND, "no procedure '%s'", code);
	return rc;
}

#define PROCEDURE_MATCH                                                                            \
	" WHERE (CAST($1 AS TEXT) IS NULL AND CAST($2 AS TEXT) IS NULL) "                          \
	"OR name_folded LIKE $1 || '%' OR name_folded LIKE '% ' || $1 || '%' "                     \
	"OR substr(code, 1, length($2)) = $2"

enum err_code db_admin_procedures(struct db_conn *c, const char *q_folded, const char *code_prefix,
                                  int64_t limit, int64_t offset, int64_t *total,
                                  db_admin_procedure_fn *fn, void *ctx, struct err *e)
{
	enum err_code rc =
	        db_query_int64(c, "SELECT count(*) FROM procedure" PROCEDURE_MATCH,
	                       DB_ARGS(db_opt_text(q_folded), db_opt_text(code_prefix)), total, e);
	if (rc != ERR_OK)
		return rc;
	struct db_stmt *st;
	rc = db_query(c,
	              "SELECT " PROCEDURE_COLUMNS " FROM procedure" PROCEDURE_MATCH
	              " ORDER BY code LIMIT $3 OFFSET $4",
	              DB_ARGS(db_opt_text(q_folded), db_opt_text(code_prefix), db_int(limit),
	                      db_int(offset)),
	              &st, e);
	if (rc != ERR_OK)
		return rc;
	struct db_admin_procedure *p = malloc(sizeof *p);
	if (!p) {
		db_finish(st);
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	}
	for (;;) {
		bool row = false;
		if ((rc = db_step(st, &row, e)) != ERR_OK || !row)
			break;
		procedure_fill(st, p);
		if (fn(ctx, p) != 0) {
			rc = err_set(e, ERR_INTERNAL, "stopped");
			break;
		}
	}
	free(p);
	db_finish(st);
	return rc;
}

enum err_code db_admin_set_needs_signoff(struct db_conn *c, const char *code, bool needs_signoff,
                                         struct err *e)
{
	return db_exec(c, "UPDATE procedure SET needs_signoff = $2 WHERE code = $1",
	               DB_ARGS(db_text(code), db_int(needs_signoff ? 1 : 0)), NULL, e);
}

enum err_code db_admin_component_refs(struct db_conn *c, const char *code, int64_t from_seq,
                                      int64_t *count, struct err *e)
{
	return db_query_int64(c,
	                      "SELECT count(*) FROM dossier_component dc JOIN dossier d ON "
	                      "d.id = dc.dossier_id WHERE d.procedure_code = $1 AND dc.seq >= $2",
	                      DB_ARGS(db_text(code), db_int(from_seq)), count, e);
}

enum err_code db_admin_step_refs(struct db_conn *c, const char *code, int64_t from_seq,
                                 int64_t *count, struct err *e)
{
	return db_query_int64(
	        c,
	        "SELECT (SELECT count(*) FROM dossier WHERE procedure_code = $1 AND step_seq >= "
	        "$2) "
	        "+ (SELECT count(*) FROM dossier_event ev JOIN dossier d ON d.id = ev.dossier_id "
	        "WHERE d.procedure_code = $1 AND ev.step_seq >= $2)",
	        DB_ARGS(db_text(code), db_int(from_seq)), count, e);
}

/* ---- units ---- */

#define UNIT_COLUMNS                                                                               \
	"code, kind, identifier, name_vi, name_en, commune_code, address, lat_e6, lon_e6, "        \
	"coord_note, opening_hours, phone, receives, active"
#define UNIT_KINDS "kind IN ('centre', 'branch', 'point')"

static void unit_fill(struct db_stmt *st, void *item)
{
	struct db_admin_unit *u = item;
	memset(u, 0, sizeof *u);
	db_col_copy(st, 0, u->code, sizeof u->code);
	db_col_copy(st, 1, u->kind, sizeof u->kind);
	db_col_copy(st, 2, u->identifier, sizeof u->identifier);
	db_col_copy(st, 3, u->name_vi, sizeof u->name_vi);
	db_col_copy(st, 4, u->name_en, sizeof u->name_en);
	db_col_copy(st, 5, u->commune_code, sizeof u->commune_code);
	db_col_copy(st, 6, u->address, sizeof u->address);
	u->has_coords = !db_col_is_null(st, 7) && !db_col_is_null(st, 8);
	u->lat_e6 = u->has_coords ? db_col_int64(st, 7) : 0;
	u->lon_e6 = u->has_coords ? db_col_int64(st, 8) : 0;
	db_col_copy(st, 9, u->coord_note, sizeof u->coord_note);
	db_col_copy(st, 10, u->opening_hours, sizeof u->opening_hours);
	db_col_copy(st, 11, u->phone, sizeof u->phone);
	u->receives = db_col_int64(st, 12) != 0;
	u->active = db_col_int64(st, 13) != 0;
}

enum err_code db_admin_units(struct db_conn *c, struct db_admin_unit_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	return db_read_list(c,
	                    "SELECT " UNIT_COLUMNS " FROM unit WHERE " UNIT_KINDS
	                    " ORDER BY CASE kind WHEN 'centre' THEN 0 WHEN 'branch' THEN 1 "
	                    "ELSE 2 END, code",
	                    DB_NOARGS, sizeof *out->items, unit_fill, NULL, SIZE_MAX, NULL,
	                    (void **)&out->items, &out->count, e);
}

void db_admin_unit_list_free(struct db_admin_unit_list *l)
{
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

enum err_code db_admin_unit_get(struct db_conn *c, const char *code, struct db_admin_unit *out,
                                struct err *e)
{
	struct db_stmt *st;
	bool row = false;
	enum err_code rc =
	        db_query(c, "SELECT " UNIT_COLUMNS " FROM unit WHERE code = $1 AND " UNIT_KINDS,
	                 DB_ARGS(db_text(code)), &st, e);
	if (rc != ERR_OK)
		return rc;
	rc = db_step(st, &row, e);
	if (rc == ERR_OK && row)
		unit_fill(st, out);
	db_finish(st);
	if (rc == ERR_OK && !row)
		return err_set(e, ERR_NOT_FOUND, "no branch or service point '%s'", code);
	return rc;
}

enum err_code db_admin_unit_update(struct db_conn *c, const char *code,
                                   const struct db_admin_unit_change *u, bool *changed,
                                   struct err *e)
{
	int64_t n = 0;
	struct db_param lat = u->has_coords ? db_int(u->lat_e6) : db_null();
	struct db_param lon = u->has_coords ? db_int(u->lon_e6) : db_null();
	enum err_code rc = db_exec(
	        c,
	        "UPDATE unit SET address = $2, lat_e6 = $3, lon_e6 = $4, coord_note = $5, "
	        "opening_hours = $6, phone = $7 WHERE code = $1 AND " UNIT_KINDS " AND ("
	        "address IS DISTINCT FROM $2 OR lat_e6 IS DISTINCT FROM CAST($3 AS BIGINT) "
	        "OR lon_e6 IS DISTINCT FROM CAST($4 AS BIGINT) OR coord_note IS DISTINCT FROM $5 "
	        "OR opening_hours IS DISTINCT FROM $6 OR phone IS DISTINCT FROM $7)",
	        DB_ARGS(db_text(code), db_opt_text(u->address), lat, lon,
	                db_opt_text(u->coord_note), db_opt_text(u->opening_hours),
	                db_opt_text(u->phone)),
	        &n, e);
	if (rc == ERR_OK && changed)
		*changed = n > 0;
	return rc;
}

/* ---- announced days ---- */

/* A row of db_admin_holidays() into a zeroed struct db_admin_holiday. */
static void holiday_fill(struct db_stmt *st, void *item)
{
	struct db_admin_holiday *h = item;
	db_col_copy(st, 0, h->id, sizeof h->id);
	db_col_copy(st, 1, h->batch, sizeof h->batch);
	h->day = db_col_int64(st, 2);
	db_col_copy(st, 3, h->kind, sizeof h->kind);
	db_col_copy(st, 4, h->occasion, sizeof h->occasion);
	h->year = db_col_int64(st, 5);
	db_col_copy(st, 6, h->name_vi, sizeof h->name_vi);
	db_col_copy(st, 7, h->name_en, sizeof h->name_en);
	db_col_copy(st, 8, h->source, sizeof h->source);
	h->created_at = db_col_int64(st, 9);
	db_col_copy(st, 10, h->created_by, sizeof h->created_by);
}

enum err_code db_admin_holidays(struct db_conn *c, struct db_admin_holiday_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	return db_read_list(c,
	                    "SELECT id, batch, day, kind, occasion, year, name_vi, name_en, "
	                    "source, created_at, created_by FROM holiday_announcement "
	                    "ORDER BY day",
	                    DB_NOARGS, sizeof *out->items, holiday_fill, NULL, SIZE_MAX, NULL,
	                    (void **)&out->items, &out->count, e);
}

void db_admin_holiday_list_free(struct db_admin_holiday_list *l)
{
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

enum err_code db_admin_holiday_insert(struct db_conn *c, const struct db_admin_holiday *h,
                                      struct err *e)
{
	return db_exec(c,
	               "INSERT INTO holiday_announcement (id, batch, day, kind, occasion, year, "
	               "name_vi, name_en, source, created_at, created_by) "
	               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
	               DB_ARGS(db_text(h->id), db_text(h->batch), db_int(h->day), db_text(h->kind),
	                       db_text(h->occasion), db_int(h->year), db_text(h->name_vi),
	                       db_text(h->name_en), db_text(h->source), db_int(h->created_at),
	                       db_text(h->created_by)),
	               NULL, e);
}

enum err_code db_admin_holiday_delete_batch(struct db_conn *c, const char *batch, int64_t *deleted,
                                            struct err *e)
{
	return db_exec(c, "DELETE FROM holiday_announcement WHERE batch = $1",
	               DB_ARGS(db_text(batch)), deleted, e);
}
