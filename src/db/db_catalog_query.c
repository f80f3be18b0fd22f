/*
 * db_catalog_query: read-only SQL of the public catalogue (see
 * db_catalog_query.h).
 *
 * Each list is two statements of fixed text (so that both are cached as
 * prepared statements): a count with the filter, then the page with the
 * same filter, LIMIT and OFFSET. An optional filter is written
 *   (CAST($n AS TEXT) IS NULL OR column = $n)
 * and bound to SQL NULL when unused; the CAST gives the parameter a type on
 * PostgreSQL.
 */
#include "db/db_catalog_query.h"

#include <string.h>

#include "base/str.h"

/* Text of a column, "" for NULL. */
static const char *col_text(struct db_stmt *st, int col)
{
	const char *s = db_col_text(st, col, NULL);
	return s ? s : "";
}

static enum err_code check_page(int64_t limit, int64_t offset, struct err *e)
{
	if (limit < 0 || offset < 0)
		return err_set(e, ERR_INVALID_ARGUMENT, "negative limit or offset");
	return ERR_OK;
}

/* ---- procedures ---- */

#define PROC_COLS                                                                                  \
	"code, name_vi, name_en, sector, level, competent_kind, competent_unit, route_by, "        \
	"legal_days, legal_hours, fee_vnd, online, boundary_free, cutoff_sec, supplement_rule, "   \
	"max_supplements, max_extensions, needs_signoff, source"

#define PROC_WHERE                                                                                 \
	" WHERE active = 1 "                                                                       \
	"AND ((CAST($1 AS TEXT) IS NULL AND CAST($2 AS TEXT) IS NULL) "                            \
	"OR name_folded LIKE $1 || '%' OR name_folded LIKE '% ' || $1 || '%' "                     \
	"OR substr(code, 1, length($2)) = $2) "                                                    \
	"AND (CAST($3 AS TEXT) IS NULL OR sector_folded = $3) "                                    \
	"AND (CAST($4 AS TEXT) IS NULL OR competent_unit = $4) "                                   \
	"AND (CAST($5 AS TEXT) IS NULL OR level = $5) "                                            \
	"AND (CAST($6 AS TEXT) IS NULL OR online = $6)"

static const char sql_proc_count[] = "SELECT count(*) FROM procedure" PROC_WHERE;
static const char sql_proc_page[] =
        "SELECT " PROC_COLS " FROM procedure" PROC_WHERE " ORDER BY code LIMIT $7 OFFSET $8";
static const char sql_proc_get[] =
        "SELECT " PROC_COLS " FROM procedure WHERE active = 1 AND code = $1";

static void proc_row(struct db_stmt *st, struct dbq_procedure *p)
{
	p->code = col_text(st, 0);
	p->name_vi = col_text(st, 1);
	p->name_en = col_text(st, 2);
	p->sector = col_text(st, 3);
	p->level = col_text(st, 4);
	p->competent_kind = col_text(st, 5);
	p->competent_unit = col_text(st, 6);
	p->route_by = col_text(st, 7);
	p->legal_days = db_col_opt(st, 8);
	p->legal_hours = db_col_opt(st, 9);
	p->fee_vnd = db_col_int64(st, 10);
	p->online = col_text(st, 11);
	p->boundary_free = db_col_int64(st, 12) != 0;
	p->cutoff_sec = db_col_opt(st, 13);
	p->supplement_rule = col_text(st, 14);
	p->max_supplements = db_col_int64(st, 15);
	p->max_extensions = db_col_int64(st, 16);
	p->needs_signoff = db_col_int64(st, 17) != 0;
	p->source = col_text(st, 18);
}

/* Runs a SELECT of procedure rows, calling fn per row; *n gets the rows seen. */
static enum err_code proc_rows(struct db_conn *c, const char *sql, const struct db_param *params,
                               int np, dbq_procedure_fn *fn, void *ctx, int64_t *n, struct err *e)
{
	struct db_stmt *st;
	enum err_code rc = db_query(c, sql, params, np, &st, e);
	if (rc != ERR_OK)
		return rc;
	bool row;
	*n = 0;
	while ((rc = db_step(st, &row, e)) == ERR_OK && row) {
		struct dbq_procedure p;
		proc_row(st, &p);
		(*n)++;
		if (fn(ctx, &p) != 0) {
			rc = err_set(e, ERR_INTERNAL, "stopped");
			break;
		}
	}
	db_finish(st);
	return rc;
}

enum err_code dbq_procedures(struct db_conn *c, const struct dbq_procedure_filter *f, int64_t limit,
                             int64_t offset, int64_t *total, dbq_procedure_fn *fn, void *ctx,
                             struct err *e)
{
	enum err_code rc = check_page(limit, offset, e);
	if (rc != ERR_OK)
		return rc;
	struct db_param p[8] = {
	        db_opt_text(f->q_folded),
	        db_opt_text(f->code_prefix),
	        db_opt_text(f->sector_folded),
	        db_opt_text(f->agency),
	        db_opt_text(f->level),
	        db_opt_text(f->online),
	        db_int(limit),
	        db_int(offset),
	};
	if ((rc = db_query_int64(c, sql_proc_count, p, 6, total, e)) != ERR_OK)
		return rc;
	int64_t n;
	return proc_rows(c, sql_proc_page, p, 8, fn, ctx, &n, e);
}

enum err_code dbq_procedure_get(struct db_conn *c, const char *code, dbq_procedure_fn *fn,
                                void *ctx, struct err *e)
{
	if (str_empty(code))
		return err_set(e, ERR_NOT_FOUND, "no procedure ''");
	int64_t n;
	enum err_code rc = proc_rows(c, sql_proc_get, DB_ARGS(db_text(code)), fn, ctx, &n, e);
	if (rc == ERR_OK && n == 0)
		return err_set(e, ERR_NOT_FOUND, "no procedure '%.64s'", code);
	return rc;
}

/* ---- communes ---- */

#define COMMUNE_WHERE                                                                              \
	" WHERE ((CAST($1 AS TEXT) IS NULL AND CAST($2 AS TEXT) IS NULL) "                         \
	"OR name_folded LIKE $1 || '%' OR name_folded LIKE '% ' || $1 || '%' OR code = $2) "       \
	"AND (CAST($3 AS TEXT) IS NULL OR kind = $3)"

static const char sql_commune_count[] = "SELECT count(*) FROM commune" COMMUNE_WHERE;
static const char sql_commune_page[] =
        "SELECT code, name_vi, kind, lat_e6, lon_e6, area_m2 FROM commune" COMMUNE_WHERE
        " ORDER BY code LIMIT $4 OFFSET $5";

enum err_code dbq_communes(struct db_conn *c, const struct dbq_commune_filter *f, int64_t limit,
                           int64_t offset, int64_t *total, dbq_commune_fn *fn, void *ctx,
                           struct err *e)
{
	enum err_code rc = check_page(limit, offset, e);
	if (rc != ERR_OK)
		return rc;
	struct db_param p[5] = {db_opt_text(f->q_folded), db_opt_text(f->code),
	                        db_opt_text(f->kind), db_int(limit), db_int(offset)};
	if ((rc = db_query_int64(c, sql_commune_count, p, 3, total, e)) != ERR_OK)
		return rc;
	struct db_stmt *st;
	if ((rc = db_query(c, sql_commune_page, p, 5, &st, e)) != ERR_OK)
		return rc;
	bool row;
	while ((rc = db_step(st, &row, e)) == ERR_OK && row) {
		struct dbq_commune m = {
		        .code = col_text(st, 0),
		        .name_vi = col_text(st, 1),
		        .kind = col_text(st, 2),
		        .lat_e6 = db_col_int64(st, 3),
		        .lon_e6 = db_col_int64(st, 4),
		        .area_m2 = db_col_int64(st, 5),
		};
		if (fn(ctx, &m) != 0) {
			rc = err_set(e, ERR_INTERNAL, "stopped");
			break;
		}
	}
	db_finish(st);
	return rc;
}

/* ---- units ---- */

#define UNIT_WHERE                                                                                 \
	" WHERE active = 1 "                                                                       \
	"AND ($1 = 0 OR ($1 = 1 AND receives = 1) OR ($1 = 2 AND kind IN ('city_committee', "      \
	"'office', 'department', 'police', 'commune_committee', 'commune_police'))) "              \
	"AND ((CAST($2 AS TEXT) IS NULL AND CAST($3 AS TEXT) IS NULL) "                            \
	"OR name_folded LIKE $2 || '%' OR name_folded LIKE '% ' || $2 || '%' OR code = $3) "       \
	"AND (CAST($4 AS TEXT) IS NULL OR kind = $4) "                                             \
	"AND (CAST($5 AS TEXT) IS NULL OR commune_code = $5) "                                     \
	"AND (CAST($6 AS TEXT) IS NULL OR parent_code = $6)"

static const char sql_unit_count[] = "SELECT count(*) FROM unit" UNIT_WHERE;
static const char sql_unit_page[] =
        "SELECT code, kind, identifier, name_vi, name_en, parent_code, commune_code, address, "
        "lat_e6, lon_e6, opening_hours, serves, receives FROM unit" UNIT_WHERE
        " ORDER BY code LIMIT $7 OFFSET $8";

enum err_code dbq_units(struct db_conn *c, const struct dbq_unit_filter *f, int64_t limit,
                        int64_t offset, int64_t *total, dbq_unit_fn *fn, void *ctx, struct err *e)
{
	enum err_code rc = check_page(limit, offset, e);
	if (rc != ERR_OK)
		return rc;
	if (f->cls != DBQ_UNITS_ANY && f->cls != DBQ_UNITS_RECEIVING && f->cls != DBQ_UNITS_AGENCY)
		return err_set(e, ERR_INVALID_ARGUMENT, "unknown unit class %d", (int)f->cls);
	struct db_param p[8] = {
	        db_int((int64_t)f->cls), db_opt_text(f->q_folded), db_opt_text(f->code),
	        db_opt_text(f->kind),    db_opt_text(f->commune),  db_opt_text(f->parent),
	        db_int(limit),           db_int(offset),
	};
	if ((rc = db_query_int64(c, sql_unit_count, p, 6, total, e)) != ERR_OK)
		return rc;
	struct db_stmt *st;
	if ((rc = db_query(c, sql_unit_page, p, 8, &st, e)) != ERR_OK)
		return rc;
	bool row;
	while ((rc = db_step(st, &row, e)) == ERR_OK && row) {
		struct dbq_unit u = {
		        .code = col_text(st, 0),
		        .kind = col_text(st, 1),
		        .identifier = col_text(st, 2),
		        .name_vi = col_text(st, 3),
		        .name_en = col_text(st, 4),
		        .parent_code = col_text(st, 5),
		        .commune_code = col_text(st, 6),
		        .address = col_text(st, 7),
		        .has_coords = !db_col_is_null(st, 8) && !db_col_is_null(st, 9),
		        .lat_e6 = db_col_int64(st, 8),
		        .lon_e6 = db_col_int64(st, 9),
		        .opening_hours = col_text(st, 10),
		        .serves = col_text(st, 11),
		        .receives = db_col_int64(st, 12) != 0,
		};
		if (fn(ctx, &u) != 0) {
			rc = err_set(e, ERR_INTERNAL, "stopped");
			break;
		}
	}
	db_finish(st);
	return rc;
}

/* ---- figures ---- */

enum err_code dbq_dossier_states(struct db_conn *c, dbq_state_count_fn *fn, void *ctx,
                                 struct err *e)
{
	struct db_stmt *st;
	enum err_code rc =
	        db_query(c, "SELECT state, count(*) FROM dossier GROUP BY state ORDER BY state",
	                 DB_NOARGS, &st, e);
	if (rc != ERR_OK)
		return rc;
	bool row;
	while ((rc = db_step(st, &row, e)) == ERR_OK && row) {
		if (fn(ctx, col_text(st, 0), db_col_int64(st, 1)) != 0) {
			rc = err_set(e, ERR_INTERNAL, "stopped");
			break;
		}
	}
	db_finish(st);
	return rc;
}

enum err_code dbq_ping(struct db_conn *c, struct err *e)
{
	int64_t one;
	return db_query_int64(c, "SELECT 1", DB_NOARGS, &one, e);
}
