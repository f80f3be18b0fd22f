/*
 * db_catalog: the SQL of the reference data (see db_catalog.h).
 *
 * Each upsert is two statements inside the caller's transaction: a look-up
 * of the key (did the row exist?) and INSERT ... ON CONFLICT DO UPDATE whose
 * update only fires WHERE some column IS DISTINCT FROM the new value. The
 * count of changed rows then tells the three outcomes apart: no row before
 * -> inserted; a row before and one change -> updated; no change ->
 * unchanged. IS DISTINCT FROM compares NULLs as values on both engines
 * (PostgreSQL; SQLite since 3.39).
 */
#include "db/db_catalog.h"

#include <stdio.h>
#include <string.h>

#include "base/vntime.h"

/* ---- upserts ---- */

static const char sql_commune_exists[] = "SELECT 1 FROM commune WHERE code = $1";
static const char sql_commune_upsert[] =
        "INSERT INTO commune (code, name_vi, name_folded, kind, lat_e6, lon_e6, area_m2) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) "
        "ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, "
        "name_folded = excluded.name_folded, kind = excluded.kind, lat_e6 = excluded.lat_e6, "
        "lon_e6 = excluded.lon_e6, area_m2 = excluded.area_m2 "
        "WHERE commune.name_vi IS DISTINCT FROM excluded.name_vi "
        "OR commune.name_folded IS DISTINCT FROM excluded.name_folded "
        "OR commune.kind IS DISTINCT FROM excluded.kind "
        "OR commune.lat_e6 IS DISTINCT FROM excluded.lat_e6 "
        "OR commune.lon_e6 IS DISTINCT FROM excluded.lon_e6 "
        "OR commune.area_m2 IS DISTINCT FROM excluded.area_m2";

static const char sql_unit_exists[] = "SELECT 1 FROM unit WHERE code = $1";
static const char sql_unit_upsert[] =
        "INSERT INTO unit (code, kind, identifier, name_vi, name_en, name_folded, parent_code, "
        "commune_code, address, lat_e6, lon_e6, coord_note, opening_hours, serves, receives, "
        "active, source) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1, $16) "
        "ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, identifier = excluded.identifier, "
        "name_vi = excluded.name_vi, name_en = excluded.name_en, "
        "name_folded = excluded.name_folded, parent_code = excluded.parent_code, "
        "commune_code = excluded.commune_code, address = excluded.address, "
        "lat_e6 = excluded.lat_e6, lon_e6 = excluded.lon_e6, coord_note = excluded.coord_note, "
        "opening_hours = excluded.opening_hours, serves = excluded.serves, "
        "receives = excluded.receives, active = 1, source = excluded.source "
        "WHERE unit.kind IS DISTINCT FROM excluded.kind "
        "OR unit.identifier IS DISTINCT FROM excluded.identifier "
        "OR unit.name_vi IS DISTINCT FROM excluded.name_vi "
        "OR unit.name_en IS DISTINCT FROM excluded.name_en "
        "OR unit.name_folded IS DISTINCT FROM excluded.name_folded "
        "OR unit.parent_code IS DISTINCT FROM excluded.parent_code "
        "OR unit.commune_code IS DISTINCT FROM excluded.commune_code "
        "OR unit.address IS DISTINCT FROM excluded.address "
        "OR unit.lat_e6 IS DISTINCT FROM excluded.lat_e6 "
        "OR unit.lon_e6 IS DISTINCT FROM excluded.lon_e6 "
        "OR unit.coord_note IS DISTINCT FROM excluded.coord_note "
        "OR unit.opening_hours IS DISTINCT FROM excluded.opening_hours "
        "OR unit.serves IS DISTINCT FROM excluded.serves "
        "OR unit.receives IS DISTINCT FROM excluded.receives "
        "OR unit.active <> 1 "
        "OR unit.source IS DISTINCT FROM excluded.source";

static const char sql_procedure_exists[] = "SELECT 1 FROM procedure WHERE code = $1";
static const char sql_procedure_upsert[] =
        "INSERT INTO procedure (code, name_vi, name_en, name_folded, sector, sector_folded, level, "
        "competent_kind, competent_unit, route_by, legal_days, legal_hours, fee_vnd, online, "
        "boundary_free, cutoff_sec, supplement_rule, max_supplements, max_extensions, "
        "needs_signoff, active, source) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
        "$19, $20, 1, $21) "
        "ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en, "
        "name_folded = excluded.name_folded, sector = excluded.sector, "
        "sector_folded = excluded.sector_folded, level = excluded.level, "
        "competent_kind = excluded.competent_kind, competent_unit = excluded.competent_unit, "
        "route_by = excluded.route_by, legal_days = excluded.legal_days, "
        "legal_hours = excluded.legal_hours, fee_vnd = excluded.fee_vnd, "
        "online = excluded.online, boundary_free = excluded.boundary_free, "
        "cutoff_sec = excluded.cutoff_sec, supplement_rule = excluded.supplement_rule, "
        "max_supplements = excluded.max_supplements, max_extensions = excluded.max_extensions, "
        "needs_signoff = excluded.needs_signoff, active = 1, source = excluded.source "
        "WHERE procedure.name_vi IS DISTINCT FROM excluded.name_vi "
        "OR procedure.name_en IS DISTINCT FROM excluded.name_en "
        "OR procedure.name_folded IS DISTINCT FROM excluded.name_folded "
        "OR procedure.sector IS DISTINCT FROM excluded.sector "
        "OR procedure.sector_folded IS DISTINCT FROM excluded.sector_folded "
        "OR procedure.level IS DISTINCT FROM excluded.level "
        "OR procedure.competent_kind IS DISTINCT FROM excluded.competent_kind "
        "OR procedure.competent_unit IS DISTINCT FROM excluded.competent_unit "
        "OR procedure.route_by IS DISTINCT FROM excluded.route_by "
        "OR procedure.legal_days IS DISTINCT FROM excluded.legal_days "
        "OR procedure.legal_hours IS DISTINCT FROM excluded.legal_hours "
        "OR procedure.fee_vnd IS DISTINCT FROM excluded.fee_vnd "
        "OR procedure.online IS DISTINCT FROM excluded.online "
        "OR procedure.boundary_free IS DISTINCT FROM excluded.boundary_free "
        "OR procedure.cutoff_sec IS DISTINCT FROM excluded.cutoff_sec "
        "OR procedure.supplement_rule IS DISTINCT FROM excluded.supplement_rule "
        "OR procedure.max_supplements IS DISTINCT FROM excluded.max_supplements "
        "OR procedure.max_extensions IS DISTINCT FROM excluded.max_extensions "
        "OR procedure.needs_signoff IS DISTINCT FROM excluded.needs_signoff "
        "OR procedure.active <> 1 "
        "OR procedure.source IS DISTINCT FROM excluded.source";

static const char sql_component_exists[] =
        "SELECT 1 FROM procedure_component WHERE procedure_code = $1 AND seq = $2";
static const char sql_component_upsert[] =
        "INSERT INTO procedure_component (procedure_code, seq, name_vi, required, "
        "population_replaces) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (procedure_code, seq) DO UPDATE SET name_vi = excluded.name_vi, "
        "required = excluded.required, population_replaces = excluded.population_replaces "
        "WHERE procedure_component.name_vi IS DISTINCT FROM excluded.name_vi "
        "OR procedure_component.required IS DISTINCT FROM excluded.required "
        "OR procedure_component.population_replaces IS DISTINCT FROM excluded.population_replaces";

static const char sql_step_exists[] =
        "SELECT 1 FROM procedure_step WHERE procedure_code = $1 AND seq = $2";
static const char sql_step_upsert[] =
        "INSERT INTO procedure_step (procedure_code, seq, name_vi, name_en, share_pct, role) "
        "VALUES ($1, $2, $3, $4, $5, $6) "
        "ON CONFLICT (procedure_code, seq) DO UPDATE SET name_vi = excluded.name_vi, "
        "name_en = excluded.name_en, share_pct = excluded.share_pct, role = excluded.role "
        "WHERE procedure_step.name_vi IS DISTINCT FROM excluded.name_vi "
        "OR procedure_step.name_en IS DISTINCT FROM excluded.name_en "
        "OR procedure_step.share_pct IS DISTINCT FROM excluded.share_pct "
        "OR procedure_step.role IS DISTINCT FROM excluded.role";

static const char sql_holiday_exists[] = "SELECT 1 FROM holiday WHERE day = $1 AND kind = $2";
static const char sql_holiday_upsert[] =
        "INSERT INTO holiday (day, kind, status, occasion, name_vi, name_en, source) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) "
        "ON CONFLICT (day, kind) DO UPDATE SET status = excluded.status, "
        "occasion = excluded.occasion, name_vi = excluded.name_vi, name_en = excluded.name_en, "
        "source = excluded.source "
        "WHERE holiday.status IS DISTINCT FROM excluded.status "
        "OR holiday.occasion IS DISTINCT FROM excluded.occasion "
        "OR holiday.name_vi IS DISTINCT FROM excluded.name_vi "
        "OR holiday.name_en IS DISTINCT FROM excluded.name_en "
        "OR holiday.source IS DISTINCT FROM excluded.source";

/*
 * Runs the look-up (exists_sql with the first nkey params) and the upsert
 * (sql with all n params) and says what happened.
 */
static enum err_code upsert(struct db_conn *c, const char *exists_sql, const char *sql,
                            const struct db_param *p, int nkey, int n, enum db_upsert *res,
                            struct err *e)
{
	int64_t one = 0, changes = 0;
	enum err_code rc = db_query_int64(c, exists_sql, p, nkey, &one, e);
	bool existed = rc == ERR_OK;
	if (rc != ERR_OK && rc != ERR_NOT_FOUND)
		return rc;
	rc = db_exec(c, sql, p, n, &changes, e);
	if (rc != ERR_OK)
		return rc;
	if (!existed)
		*res = DB_UPSERT_INSERTED;
	else
		*res = changes > 0 ? DB_UPSERT_UPDATED : DB_UPSERT_UNCHANGED;
	return ERR_OK;
}

static struct db_param opt_int(bool present, int64_t v)
{
	return present ? db_int(v) : db_null();
}

enum err_code db_catalog_upsert_commune(struct db_conn *c, const struct db_commune *r,
                                        enum db_upsert *res, struct err *e)
{
	const struct db_param p[] = {
	        db_text(r->code),  db_text(r->name_vi), db_text(r->name_folded), db_text(r->kind),
	        db_int(r->lat_e6), db_int(r->lon_e6),   db_int(r->area_m2)};
	return upsert(c, sql_commune_exists, sql_commune_upsert, p, 1, 7, res, e);
}

enum err_code db_catalog_upsert_unit(struct db_conn *c, const struct db_unit *r,
                                     enum db_upsert *res, struct err *e)
{
	const struct db_param p[] = {
	        db_text(r->code),
	        db_text(r->kind),
	        db_text(r->identifier),
	        db_text(r->name_vi),
	        db_text(r->name_en),
	        db_text(r->name_folded),
	        db_text(r->parent_code),
	        db_text(r->commune_code),
	        db_text(r->address),
	        opt_int(r->has_coords, r->lat_e6),
	        opt_int(r->has_coords, r->lon_e6),
	        db_text(r->coord_note),
	        db_text(r->opening_hours),
	        db_text(r->serves),
	        db_int(r->receives ? 1 : 0),
	        db_text(r->source),
	};
	return upsert(c, sql_unit_exists, sql_unit_upsert, p, 1, 16, res, e);
}

enum err_code db_catalog_upsert_procedure(struct db_conn *c, const struct db_procedure *r,
                                          enum db_upsert *res, struct err *e)
{
	const struct db_param p[] = {
	        db_text(r->code),
	        db_text(r->name_vi),
	        db_text(r->name_en),
	        db_text(r->name_folded),
	        db_text(r->sector),
	        db_text(r->sector_folded),
	        db_text(r->level),
	        db_text(r->competent_kind),
	        db_text(r->competent_unit),
	        db_text(r->route_by),
	        opt_int(r->legal_days >= 0, r->legal_days),
	        opt_int(r->legal_hours >= 0, r->legal_hours),
	        db_int(r->fee_vnd),
	        db_text(r->online),
	        db_int(r->boundary_free ? 1 : 0),
	        opt_int(r->cutoff_sec >= 0, r->cutoff_sec),
	        db_text(r->supplement_rule),
	        db_int(r->max_supplements),
	        db_int(r->max_extensions),
	        db_int(r->needs_signoff ? 1 : 0),
	        db_text(r->source),
	};
	return upsert(c, sql_procedure_exists, sql_procedure_upsert, p, 1, 21, res, e);
}

enum err_code db_catalog_upsert_component(struct db_conn *c, const struct db_component *r,
                                          enum db_upsert *res, struct err *e)
{
	const struct db_param p[] = {db_text(r->procedure_code), db_int(r->seq),
	                             db_text(r->name_vi), db_int(r->required ? 1 : 0),
	                             db_int(r->population_replaces ? 1 : 0)};
	return upsert(c, sql_component_exists, sql_component_upsert, p, 2, 5, res, e);
}

enum err_code db_catalog_upsert_step(struct db_conn *c, const struct db_step *r,
                                     enum db_upsert *res, struct err *e)
{
	const struct db_param p[] = {db_text(r->procedure_code), db_int(r->seq),
	                             db_text(r->name_vi),        db_text(r->name_en),
	                             db_int(r->share_pct),       db_text(r->role)};
	return upsert(c, sql_step_exists, sql_step_upsert, p, 2, 6, res, e);
}

enum err_code db_catalog_upsert_holiday(struct db_conn *c, const struct db_holiday *r,
                                        enum db_upsert *res, struct err *e)
{
	const struct db_param p[] = {db_int(r->day),       db_text(r->kind),    db_text(r->status),
	                             db_text(r->occasion), db_text(r->name_vi), db_text(r->name_en),
	                             db_text(r->source)};
	return upsert(c, sql_holiday_exists, sql_holiday_upsert, p, 2, 7, res, e);
}

/* ---- keys, removal, counts ---- */

static const char *const sql_keys[] = {
        [DB_CATALOG_COMMUNE] = "SELECT code FROM commune ORDER BY code",
        [DB_CATALOG_UNIT] = "SELECT code FROM unit WHERE active = 1 ORDER BY code",
        [DB_CATALOG_PROCEDURE] = "SELECT code FROM procedure WHERE active = 1 ORDER BY code",
        [DB_CATALOG_HOLIDAY] = "SELECT day, kind FROM holiday ORDER BY day, kind",
};

static const char *const sql_counts[] = {
        [DB_CATALOG_COMMUNE] = "SELECT count(*) FROM commune",
        [DB_CATALOG_UNIT] = "SELECT count(*) FROM unit WHERE active = 1",
        [DB_CATALOG_PROCEDURE] = "SELECT count(*) FROM procedure WHERE active = 1",
        [DB_CATALOG_HOLIDAY] = "SELECT count(*) FROM holiday",
};

static bool table_ok(enum db_catalog_table t)
{
	return (int)t >= 0 && t <= DB_CATALOG_HOLIDAY;
}

enum err_code db_catalog_list_keys(struct db_conn *c, enum db_catalog_table t,
                                   db_catalog_key_fn *fn, void *ctx, struct err *e)
{
	if (!table_ok(t))
		return err_set(e, ERR_INVALID_ARGUMENT, "unknown catalog table %d", (int)t);
	struct db_stmt *st;
	enum err_code rc = db_query(c, sql_keys[t], DB_NOARGS, &st, e);
	if (rc != ERR_OK)
		return rc;
	for (;;) {
		bool row = false;
		rc = db_step(st, &row, e);
		if (rc != ERR_OK || !row)
			break;
		char key[96];
		const char *k;
		if (t == DB_CATALOG_HOLIDAY) {
			char date[VNTIME_DATE_LEN];
			const char *kind = db_col_text(st, 1, NULL);
			vntime_format_date(db_col_int64(st, 0), date);
			snprintf(key, sizeof key, "%s/%.16s", date, kind ? kind : "");
			k = key;
		} else {
			k = db_col_text(st, 0, NULL);
			if (!k)
				k = "";
		}
		if (fn(ctx, k) != 0) {
			rc = err_set(e, ERR_INTERNAL, "stopped");
			break;
		}
	}
	db_finish(st);
	return rc;
}

/* Runs a one-key write and reports whether it changed a row. */
static enum err_code exec_changed(struct db_conn *c, const char *sql, const struct db_param *p,
                                  int n, int64_t *count, struct err *e)
{
	int64_t changes = 0;
	enum err_code rc = db_exec(c, sql, p, n, &changes, e);
	if (rc == ERR_OK && count)
		*count = changes;
	return rc;
}

enum err_code db_catalog_deactivate_unit(struct db_conn *c, const char *code, bool *changed,
                                         struct err *e)
{
	int64_t n = 0;
	enum err_code rc =
	        exec_changed(c, "UPDATE unit SET active = 0 WHERE code = $1 AND active = 1",
	                     DB_ARGS(db_text(code)), &n, e);
	if (changed)
		*changed = n > 0;
	return rc;
}

enum err_code db_catalog_deactivate_procedure(struct db_conn *c, const char *code, bool *changed,
                                              struct err *e)
{
	int64_t n = 0;
	enum err_code rc =
	        exec_changed(c, "UPDATE procedure SET active = 0 WHERE code = $1 AND active = 1",
	                     DB_ARGS(db_text(code)), &n, e);
	if (changed)
		*changed = n > 0;
	return rc;
}

enum err_code db_catalog_trim_components(struct db_conn *c, const char *procedure_code,
                                         int last_seq, int64_t *deleted, struct err *e)
{
	return exec_changed(
	        c, "DELETE FROM procedure_component WHERE procedure_code = $1 AND seq > $2",
	        DB_ARGS(db_text(procedure_code), db_int(last_seq)), deleted, e);
}

enum err_code db_catalog_trim_steps(struct db_conn *c, const char *procedure_code, int last_seq,
                                    int64_t *deleted, struct err *e)
{
	return exec_changed(c, "DELETE FROM procedure_step WHERE procedure_code = $1 AND seq > $2",
	                    DB_ARGS(db_text(procedure_code), db_int(last_seq)), deleted, e);
}

enum err_code db_catalog_delete_holiday(struct db_conn *c, int64_t day, const char *kind,
                                        bool *deleted, struct err *e)
{
	int64_t n = 0;
	enum err_code rc = exec_changed(c, "DELETE FROM holiday WHERE day = $1 AND kind = $2",
	                                DB_ARGS(db_int(day), db_text(kind)), &n, e);
	if (deleted)
		*deleted = n > 0;
	return rc;
}

enum err_code db_catalog_delete_commune_if_unused(struct db_conn *c, const char *code,
                                                  bool *deleted, struct err *e)
{
	int64_t n = 0;
	enum err_code rc = exec_changed(
	        c,
	        "DELETE FROM commune WHERE code = $1 "
	        "AND NOT EXISTS (SELECT 1 FROM unit WHERE commune_code = $1) "
	        "AND NOT EXISTS (SELECT 1 FROM population WHERE residence_commune = $1) "
	        "AND NOT EXISTS (SELECT 1 FROM dossier WHERE residence_commune = $1 "
	        "OR property_commune = $1)",
	        DB_ARGS(db_text(code)), &n, e);
	if (deleted)
		*deleted = n > 0;
	return rc;
}

enum err_code db_catalog_count(struct db_conn *c, enum db_catalog_table t, int64_t *out,
                               struct err *e)
{
	if (!table_ok(t))
		return err_set(e, ERR_INVALID_ARGUMENT, "unknown catalog table %d", (int)t);
	return db_query_int64(c, sql_counts[t], DB_NOARGS, out, e);
}
