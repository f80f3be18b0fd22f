/*
 * db_indicators: the SQL of the indicator counters (see db_indicators.h).
 */
#include "db/db_indicators.h"

#include <stdlib.h>
#include <string.h>

#include "base/str.h"

enum err_code db_ind_add(struct db_conn *c, bool stock, int dim, const char *key, int64_t day,
                         int metric, int shard, int64_t n, struct err *e)
{
	const char *sql =
	        stock ? "INSERT INTO ind_stock (dim, key, day, metric, shard, n) VALUES ($1, $2, "
	                "$3, "
	                "$4, $5, $6) ON CONFLICT (dim, day, key, metric, shard) DO UPDATE SET n = "
	                "ind_stock.n + excluded.n"
	              : "INSERT INTO ind_flow (dim, key, day, metric, shard, n) VALUES ($1, $2, "
	                "$3, "
	                "$4, $5, $6) ON CONFLICT (dim, day, key, metric, shard) DO UPDATE SET n = "
	                "ind_flow.n + excluded.n";
	return db_exec(c, sql,
	               DB_ARGS(db_int(dim), db_text(key ? key : ""), db_int(day), db_int(metric),
	                       db_int(shard), db_int(n)),
	               NULL, e);
}

enum err_code db_ind_procedure(struct db_conn *c, const char *code, char sector[INDR_KEY_SIZE],
                               char online[DBD_SHORT_SIZE], struct err *e)
{
	struct db_stmt *st;
	enum err_code rc = db_query_row(c, "SELECT sector, online FROM procedure WHERE code = $1",
	                                DB_ARGS(db_text(code)), "procedure", code, &st, e);
	if (rc != ERR_OK)
		return rc;
	db_col_copy(st, 0, sector, INDR_KEY_SIZE);
	db_col_copy(st, 1, online, DBD_SHORT_SIZE);
	db_finish(st);
	return ERR_OK;
}

#define STATE_COLS                                                                                 \
	"open, late_day, agency, branch, commune, procedure_code, sector, resolved, unsatisfied"

/* Fills s from columns first.. of st (STATE_COLS). */
static void state_fill(struct db_stmt *st, int first, struct indr_state *s)
{
	memset(s, 0, sizeof *s);
	s->known = true;
	s->sig.open = db_col_int64(st, first) != 0;
	s->sig.late_day = db_col_opt(st, first + 1);
	db_col_copy(st, first + 2, s->sig.agency, sizeof s->sig.agency);
	db_col_copy(st, first + 3, s->sig.branch, sizeof s->sig.branch);
	db_col_copy(st, first + 4, s->sig.commune, sizeof s->sig.commune);
	db_col_copy(st, first + 5, s->sig.procedure, sizeof s->sig.procedure);
	db_col_copy(st, first + 6, s->sig.sector, sizeof s->sig.sector);
	s->resolved = db_col_int64(st, first + 7) != 0;
	s->unsatisfied = db_col_int64(st, first + 8) != 0;
}

enum err_code db_ind_dossier_get(struct db_conn *c, const char *dossier_id, struct indr_state *out,
                                 struct err *e)
{
	struct db_stmt *st;
	enum err_code rc = db_query_row(
	        c, "SELECT " STATE_COLS " FROM ind_dossier WHERE dossier_id = $1",
	        DB_ARGS(db_text(dossier_id)), "indicator state of dossier", dossier_id, &st, e);
	if (rc != ERR_OK)
		return rc;
	state_fill(st, 0, out);
	db_finish(st);
	return ERR_OK;
}

enum err_code db_ind_dossier_put(struct db_conn *c, const char *dossier_id,
                                 const struct indr_state *s, struct err *e)
{
	return db_exec(
	        c,
	        "INSERT INTO ind_dossier (dossier_id, " STATE_COLS
	        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (dossier_id) "
	        "DO UPDATE SET open = excluded.open, late_day = excluded.late_day, agency = "
	        "excluded.agency, branch = excluded.branch, commune = excluded.commune, "
	        "procedure_code = excluded.procedure_code, sector = excluded.sector, "
	        "resolved = excluded.resolved, unsatisfied = excluded.unsatisfied",
	        DB_ARGS(db_text(dossier_id), db_int(s->sig.open ? 1 : 0),
	                db_opt_int(s->sig.late_day), db_text(s->sig.agency), db_text(s->sig.branch),
	                db_text(s->sig.commune), db_text(s->sig.procedure), db_text(s->sig.sector),
	                db_int(s->resolved ? 1 : 0), db_int(s->unsatisfied ? 1 : 0)),
	        NULL, e);
}

enum err_code db_ind_rating(struct db_conn *c, const char *dossier_id, char level[DBD_SHORT_SIZE],
                            struct err *e)
{
	return db_query_text(c, "SELECT level FROM dossier_rating WHERE dossier_id = $1",
	                     DB_ARGS(db_text(dossier_id)), level, DBD_SHORT_SIZE, e);
}

enum err_code db_ind_dossier_groups(struct db_conn *c, const char *dossier_id,
                                    struct db_ind_groups *out, struct err *e)
{
	struct db_stmt *st;
	enum err_code rc =
	        db_query_row(c,
	                     "SELECT d.competent_unit, d.receiving_unit, d.residence_commune, "
	                     "d.procedure_code, p.sector FROM dossier d LEFT JOIN procedure p "
	                     "ON p.code = d.procedure_code WHERE d.id = $1",
	                     DB_ARGS(db_text(dossier_id)), "dossier", dossier_id, &st, e);
	if (rc != ERR_OK)
		return rc;
	memset(out, 0, sizeof *out);
	db_col_copy(st, 0, out->agency, sizeof out->agency);
	db_col_copy(st, 1, out->branch, sizeof out->branch);
	db_col_copy(st, 2, out->commune, sizeof out->commune);
	db_col_copy(st, 3, out->procedure, sizeof out->procedure);
	db_col_copy(st, 4, out->sector, sizeof out->sector);
	db_finish(st);
	return ERR_OK;
}

enum err_code db_ind_fact_insert(struct db_conn *c, const char *id, const char *dossier_id,
                                 int64_t at, int what, const struct db_ind_groups *g, struct err *e)
{
	return db_exec(c,
	               "INSERT INTO ind_fact (id, dossier_id, at, what, agency, branch, commune, "
	               "procedure_code, sector) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
	               DB_ARGS(db_text(id), db_text(dossier_id), db_int(at), db_int(what),
	                       db_text(g->agency), db_text(g->branch), db_text(g->commune),
	                       db_text(g->procedure), db_text(g->sector)),
	               NULL, e);
}

/* ---- reads ---- */

/* Runs a read of (key, metric, a[, b]) rows into fn. */
static enum err_code read_rows(struct db_conn *c, const char *sql, const struct db_param *p, int n,
                               bool two, db_ind_read_fn *fn, void *ctx, struct err *e)
{
	struct db_stmt *st;
	enum err_code rc = db_query(c, sql, p, n, &st, e);
	if (rc != ERR_OK)
		return rc;
	for (;;) {
		bool row;
		if ((rc = db_step(st, &row, e)) || !row)
			break;
		const char *key = db_col_text(st, 0, NULL);
		if (fn(ctx, key ? key : "", (int)db_col_int64(st, 1), db_col_int64(st, 2),
		       two ? db_col_int64(st, 3) : 0))
			break;
	}
	db_finish(st);
	return rc;
}

enum err_code db_ind_read_flows(struct db_conn *c, int dim, int64_t from_day, int64_t to_day,
                                const char *key, db_ind_read_fn *fn, void *ctx, struct err *e)
{
	if (key)
		return read_rows(
		        c,
		        "SELECT key, metric, SUM(n) FROM ind_flow WHERE dim = $1 AND day >= $2 "
		        "AND day <= $3 AND key = $4 GROUP BY key, metric ORDER BY key, metric",
		        DB_ARGS(db_int(dim), db_int(from_day), db_int(to_day), db_text(key)), false,
		        fn, ctx, e);
	return read_rows(
	        c,
	        "SELECT key, metric, SUM(n) FROM ind_flow WHERE dim = $1 AND day >= $2 AND "
	        "day <= $3 GROUP BY key, metric ORDER BY key, metric",
	        DB_ARGS(db_int(dim), db_int(from_day), db_int(to_day)), false, fn, ctx, e);
}

enum err_code db_ind_read_stocks(struct db_conn *c, int dim, int64_t from_day, int64_t to_day,
                                 const char *key, db_ind_read_fn *fn, void *ctx, struct err *e)
{
	if (key)
		return read_rows(
		        c,
		        "SELECT key, metric, SUM(CASE WHEN day < $2 THEN n ELSE 0 END), SUM(n) "
		        "FROM ind_stock WHERE dim = $1 AND day <= $3 AND key = $4 GROUP BY "
		        "key, metric ORDER BY key, metric",
		        DB_ARGS(db_int(dim), db_int(from_day), db_int(to_day), db_text(key)), true,
		        fn, ctx, e);
	return read_rows(
	        c,
	        "SELECT key, metric, SUM(CASE WHEN day < $2 THEN n ELSE 0 END), SUM(n) FROM "
	        "ind_stock WHERE dim = $1 AND day <= $3 GROUP BY key, metric ORDER BY key, "
	        "metric",
	        DB_ARGS(db_int(dim), db_int(from_day), db_int(to_day)), true, fn, ctx, e);
}

enum err_code db_ind_city_daily(struct db_conn *c, int metric, int64_t from_day, int64_t to_day,
                                int64_t *per_day, size_t n, struct err *e)
{
	memset(per_day, 0, n * sizeof *per_day);
	struct db_stmt *st;
	enum err_code rc = db_query(
	        c,
	        "SELECT day, SUM(n) FROM ind_flow WHERE dim = $1 AND day >= $2 "
	        "AND day <= $3 AND key = '' AND metric = $4 GROUP BY day",
	        DB_ARGS(db_int(INDR_CITY), db_int(from_day), db_int(to_day), db_int(metric)), &st,
	        e);
	if (rc != ERR_OK)
		return rc;
	for (;;) {
		bool row;
		if ((rc = db_step(st, &row, e)) || !row)
			break;
		int64_t k = db_col_int64(st, 0) - from_day;
		if (k >= 0 && (uint64_t)k < n)
			per_day[k] = db_col_int64(st, 1);
	}
	db_finish(st);
	return rc;
}

/* A name that is missing or too long for out is no error: out stays "". */
static enum err_code name_or_empty(enum err_code rc, struct err *e)
{
	if (rc == ERR_NOT_FOUND || rc == ERR_TOO_LONG) {
		err_clear(e);
		return ERR_OK;
	}
	return rc;
}

enum err_code db_ind_name(struct db_conn *c, int dim, const char *key, char *out, size_t size,
                          struct err *e)
{
	const char *sql = NULL;
	switch (dim) {
	case INDR_AGENCY:
	case INDR_BRANCH:
		sql = "SELECT name_vi FROM unit WHERE code = $1";
		break;
	case INDR_COMMUNE:
		sql = "SELECT name_vi FROM commune WHERE code = $1";
		break;
	case INDR_OFFICER:
		sql = "SELECT full_name FROM account WHERE id = $1";
		break;
	case INDR_PROCEDURE:
		sql = "SELECT name_vi FROM procedure WHERE code = $1";
		break;
	case INDR_STEP: {
		/* "procedure#seq" */
		const char *hash = strrchr(key, '#');
		if (!hash || (size_t)(hash - key) >= DBD_KEY_SIZE)
			return ERR_OK;
		char code[DBD_KEY_SIZE];
		memcpy(code, key, (size_t)(hash - key));
		code[hash - key] = '\0';
		int64_t seq = 0;
		for (const char *p = hash + 1; *p >= '0' && *p <= '9' && seq < 1000000; p++)
			seq = seq * 10 + (*p - '0');
		return name_or_empty(db_query_text(c,
		                                   "SELECT name_vi FROM procedure_step WHERE "
		                                   "procedure_code = $1 AND seq = $2",
		                                   DB_ARGS(db_text(code), db_int(seq)), out, size,
		                                   e),
		                     e);
	}
	default:
		return ERR_OK;
	}
	return name_or_empty(db_query_text(c, sql, DB_ARGS(db_text(key)), out, size, e), e);
}

/* ---- scans ---- */

enum err_code db_ind_next_page(struct db_conn *c, const char *after, int64_t limit,
                               char last[DBD_ID_SIZE], struct err *e)
{
	enum err_code rc =
	        db_query_text(c,
	                      "SELECT max(id) FROM (SELECT id FROM dossier WHERE id > $1 "
	                      "ORDER BY id LIMIT $2) t",
	                      DB_ARGS(db_text(after), db_int(limit)), last, DBD_ID_SIZE, e);
	return rc;
}

enum err_code db_ind_scan_events(struct db_conn *c, const char *after, const char *last,
                                 db_ind_event_fn *fn, void *ctx, struct err *e)
{
	struct db_stmt *st;
	enum err_code rc = db_query(
	        c,
	        "SELECT ev.dossier_id, ev.version, ev.at, ev.action, ev.from_state, ev.to_state, "
	        "ev.actor_account, ev.actor_unit, ev.to_unit, ev.to_account, ev.step_seq, "
	        "ev.step_result, ev.due_at, ev.legal_due_at, ev.detail, d.channel, "
	        "d.received_by_post, "
	        "d.procedure_code, d.residence_commune, p.sector, p.online, r.level FROM "
	        "dossier_event ev JOIN dossier d ON d.id = ev.dossier_id LEFT JOIN procedure p ON "
	        "p.code = d.procedure_code LEFT JOIN dossier_rating r ON r.dossier_id = d.id WHERE "
	        "ev.dossier_id > $1 AND ev.dossier_id <= $2 ORDER BY ev.dossier_id, ev.version",
	        DB_ARGS(db_text(after), db_text(last)), &st, e);
	if (rc != ERR_OK)
		return rc;
	struct db_ind_event *r = calloc(1, sizeof *r);
	if (!r) {
		db_finish(st);
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	}
	for (;;) {
		bool row;
		if ((rc = db_step(st, &row, e)) || !row)
			break;
		memset(r, 0, sizeof *r);
		db_col_copy(st, 0, r->dossier_id, sizeof r->dossier_id);
		struct db_dossier_event *ev = &r->ev;
		ev->version = db_col_int64(st, 1);
		ev->at = db_col_int64(st, 2);
		db_col_copy(st, 3, ev->action, sizeof ev->action);
		db_col_copy(st, 4, ev->from_state, sizeof ev->from_state);
		db_col_copy(st, 5, ev->to_state, sizeof ev->to_state);
		db_col_copy(st, 6, ev->actor_account, sizeof ev->actor_account);
		db_col_copy(st, 7, ev->actor_unit, sizeof ev->actor_unit);
		db_col_copy(st, 8, ev->to_unit, sizeof ev->to_unit);
		db_col_copy(st, 9, ev->to_account, sizeof ev->to_account);
		ev->step_seq = db_col_opt(st, 10);
		db_col_copy(st, 11, ev->step_result, sizeof ev->step_result);
		ev->due_at = db_col_opt(st, 12);
		ev->legal_due_at = db_col_opt(st, 13);
		db_col_copy(st, 14, ev->detail, sizeof ev->detail);
		db_col_copy(st, 15, r->channel, sizeof r->channel);
		r->received_by_post = db_col_int64(st, 16) != 0;
		db_col_copy(st, 17, r->procedure, sizeof r->procedure);
		db_col_copy(st, 18, r->commune, sizeof r->commune);
		db_col_copy(st, 19, r->sector, sizeof r->sector);
		db_col_copy(st, 20, r->online, sizeof r->online);
		db_col_copy(st, 21, r->rating, sizeof r->rating);
		if ((rc = fn(ctx, r, e)))
			break;
	}
	free(r);
	db_finish(st);
	return rc;
}

enum err_code db_ind_scan_states(struct db_conn *c, const char *after, const char *last,
                                 db_ind_state_fn *fn, void *ctx, struct err *e)
{
	struct db_stmt *st;
	enum err_code rc = db_query(c,
	                            "SELECT dossier_id, " STATE_COLS " FROM ind_dossier WHERE "
	                            "dossier_id > $1 AND dossier_id <= $2 ORDER BY dossier_id",
	                            DB_ARGS(db_text(after), db_text(last)), &st, e);
	if (rc != ERR_OK)
		return rc;
	for (;;) {
		bool row;
		if ((rc = db_step(st, &row, e)) || !row)
			break;
		char id[DBD_ID_SIZE];
		struct indr_state s;
		db_col_copy(st, 0, id, sizeof id);
		state_fill(st, 1, &s);
		if ((rc = fn(ctx, id, &s, e)))
			break;
	}
	db_finish(st);
	return rc;
}

enum err_code db_ind_scan_facts(struct db_conn *c, db_ind_fact_fn *fn, void *ctx, struct err *e)
{
	struct db_stmt *st;
	enum err_code rc = db_query(c,
	                            "SELECT dossier_id, at, what, agency, branch, commune, "
	                            "procedure_code, sector FROM ind_fact ORDER BY id",
	                            DB_NOARGS, &st, e);
	if (rc != ERR_OK)
		return rc;
	for (;;) {
		bool row;
		if ((rc = db_step(st, &row, e)) || !row)
			break;
		char id[DBD_ID_SIZE];
		struct db_ind_groups g;
		memset(&g, 0, sizeof g);
		db_col_copy(st, 0, id, sizeof id);
		db_col_copy(st, 3, g.agency, sizeof g.agency);
		db_col_copy(st, 4, g.branch, sizeof g.branch);
		db_col_copy(st, 5, g.commune, sizeof g.commune);
		db_col_copy(st, 6, g.procedure, sizeof g.procedure);
		db_col_copy(st, 7, g.sector, sizeof g.sector);
		if ((rc = fn(ctx, id, db_col_int64(st, 1), (int)db_col_int64(st, 2), &g, e)))
			break;
	}
	db_finish(st);
	return rc;
}

static enum err_code scan_table(struct db_conn *c, bool stock, db_ind_row_fn *fn, void *ctx,
                                struct err *e)
{
	struct db_stmt *st;
	enum err_code rc = db_query(c,
	                            stock ? "SELECT dim, key, day, metric, shard, n FROM ind_stock"
	                                  : "SELECT dim, key, day, metric, shard, n FROM ind_flow",
	                            DB_NOARGS, &st, e);
	if (rc != ERR_OK)
		return rc;
	for (;;) {
		bool row;
		if ((rc = db_step(st, &row, e)) || !row)
			break;
		const char *key = db_col_text(st, 1, NULL);
		if ((rc = fn(ctx, stock, (int)db_col_int64(st, 0), key ? key : "",
		             db_col_int64(st, 2), (int)db_col_int64(st, 3),
		             (int)db_col_int64(st, 4), db_col_int64(st, 5), e)))
			break;
	}
	db_finish(st);
	return rc;
}

enum err_code db_ind_scan_counters(struct db_conn *c, db_ind_row_fn *fn, void *ctx, struct err *e)
{
	enum err_code rc = scan_table(c, false, fn, ctx, e);
	return rc ? rc : scan_table(c, true, fn, ctx, e);
}

enum err_code db_ind_state_count(struct db_conn *c, int64_t *n, struct err *e)
{
	return db_query_int64(c, "SELECT count(*) FROM ind_dossier", DB_NOARGS, n, e);
}

enum err_code db_ind_clear(struct db_conn *c, struct err *e)
{
	enum err_code rc;
	if ((rc = db_exec(c, "DELETE FROM ind_flow", DB_NOARGS, NULL, e)) ||
	    (rc = db_exec(c, "DELETE FROM ind_stock", DB_NOARGS, NULL, e)))
		return rc;
	return db_exec(c, "DELETE FROM ind_dossier", DB_NOARGS, NULL, e);
}
