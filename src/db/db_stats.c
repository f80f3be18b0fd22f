/*
 * db_stats: the SQL of the leaders' figures (see db_stats.h).
 *
 * A metric is a base (which rows, over which instant) and an optional
 * refinement; a statement is assembled from the fragments below, in which
 * the builder expands
 *   @F @T @N   to the next $k bound to span->from, span->to, span->now,
 *   @DUE       to the legal due, COALESCE(d.original_due_at, d.due_at),
 *   @RUN @PAUSE to the quoted names of the states whose legal clock runs or
 *              is paused (from the lifecycle table, domain/lifecycle.def),
 * so that parameters are numbered in the order they appear and only those
 * used are bound (PostgreSQL must infer the type of each). No caller text
 * ever enters the SQL: a unit code is bound as a parameter.
 */
#include "db/db_stats.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "domain/lifecycle.h"

#define STATS_SQL_MAX    8192
#define STATS_MAX_PARAMS 16

enum base { BASE_RECEIVED, BASE_RESOLVED, BASE_OPEN, BASE_RATED };

/* The rows of a base, with its WHERE clause started. */
static const char *const base_from[] = {
        [BASE_RECEIVED] = " FROM dossier d JOIN dossier_event rv ON rv.dossier_id = d.id AND "
                          "rv.action IN ('receive', 'accept') WHERE rv.at >= @F AND rv.at < @T",
        [BASE_RESOLVED] = " FROM dossier d WHERE d.outcome IS NOT NULL AND d.resolved_at >= @F "
                          "AND d.resolved_at < @T",
        [BASE_OPEN] = " FROM dossier d WHERE (d.state IN (@RUN) OR d.state IN (@PAUSE))",
        [BASE_RATED] = " FROM dossier d JOIN dossier_rating rt ON rt.dossier_id = d.id WHERE "
                       "rt.at >= @F AND rt.at < @T",
};

/* The instant of a base (days, order of lists); NULL: a snapshot. */
static const char *const base_instant[] = {
        [BASE_RECEIVED] = "rv.at",
        [BASE_RESOLVED] = "d.resolved_at",
        [BASE_OPEN] = NULL,
        [BASE_RATED] = "rt.at",
};

struct metric {
	enum base base;
	const char *refine;   /* a further condition, or NULL */
	const char *unit_col; /* the metric's unit */
};

#define DAY_OF(x) "((" x " + 25200) / 86400)"

static const struct metric metrics[DB_STATS_N_METRICS] = {
        [DB_STATS_RECEIVED] = {BASE_RECEIVED, NULL, "d.receiving_unit"},
        [DB_STATS_ONLINE] = {BASE_RECEIVED, "d.channel = 'online'", "d.receiving_unit"},
        [DB_STATS_RESOLVED] = {BASE_RESOLVED, NULL, "d.competent_unit"},
        [DB_STATS_RESOLVED_EARLY] = {BASE_RESOLVED, DAY_OF("d.resolved_at") " < " DAY_OF("@DUE"),
                                     "d.competent_unit"},
        [DB_STATS_RESOLVED_ON_TIME] = {BASE_RESOLVED,
                                       "(@DUE IS NULL OR (d.resolved_at <= @DUE AND " DAY_OF(
                                               "d.resolved_at") " >= " DAY_OF("@DUE") "))",
                                       "d.competent_unit"},
        [DB_STATS_RESOLVED_LATE] = {BASE_RESOLVED, "d.resolved_at > @DUE", "d.competent_unit"},
        [DB_STATS_OPEN] = {BASE_OPEN, NULL, "d.competent_unit"},
        [DB_STATS_OPEN_ON_TIME] =
                {BASE_OPEN,
                 "((d.state IN (@RUN) AND (@DUE IS NULL OR " DAY_OF(
                         "CAST(@N AS BIGINT)") " < " DAY_OF("@DUE") ")) OR "
                                                                    "(d.state IN (@PAUSE) AND "
                                                                    "(@DUE IS NULL OR d.paused_at "
                                                                    "IS "
                                                                    "NULL OR d.paused_at <= "
                                                                    "@DUE)))",
                 "d.competent_unit"},
        [DB_STATS_OPEN_LATE] =
                {BASE_OPEN,
                 "((d.state IN (@RUN) AND " DAY_OF("CAST(@N AS BIGINT)") " >= " DAY_OF(
                         "@DUE") ") OR (d.state IN (@PAUSE) "
                                 "AND d.paused_at > @DUE))",
                 "d.competent_unit"},
        [DB_STATS_RATED] = {BASE_RATED, NULL, "d.receiving_unit"},
        [DB_STATS_SATISFIED] = {BASE_RATED, "rt.level <> 'dissatisfied'", "d.receiving_unit"},
};

bool db_stats_metric_is_snapshot(enum db_stats_metric m)
{
	return (unsigned)m < DB_STATS_N_METRICS && metrics[m].base == BASE_OPEN;
}

/* A statement under construction. */
struct q {
	struct buf sql;
	struct db_param params[STATS_MAX_PARAMS];
	int n;
	bool bad;
	const struct db_stats_span *span;
};

static void q_init(struct q *q, const struct db_stats_span *span)
{
	memset(q, 0, sizeof *q);
	buf_init(&q->sql, STATS_SQL_MAX);
	q->span = span;
}

static void q_release(struct q *q)
{
	buf_release(&q->sql);
}

static void q_puts(struct q *q, const char *s)
{
	if (buf_puts(&q->sql, s))
		q->bad = true;
}

/* Binds p and writes "$k". */
static void q_param(struct q *q, struct db_param p)
{
	if (q->n >= STATS_MAX_PARAMS || buf_printf(&q->sql, "$%d", q->n + 1)) {
		q->bad = true;
		return;
	}
	q->params[q->n++] = p;
}

/* The quoted names of the states whose clock is clk, comma-separated. */
static void q_states(struct q *q, enum lifecycle_clock clk)
{
	bool first = true;
	for (int s = STATE_NONE + 1; s < STATE__COUNT; s++) {
		if (lifecycle_clock_of((enum dossier_state)s) != clk)
			continue;
		if (buf_printf(&q->sql, "%s'%s'", first ? "" : ", ",
		               lifecycle_state_name((enum dossier_state)s)))
			q->bad = true;
		first = false;
	}
	if (first)
		q_puts(q, "''"); /* no such state: an IN list that matches nothing */
}

/* Appends a fragment, expanding the @ tokens (see the top of the file). */
static void q_frag(struct q *q, const char *f)
{
	static const struct {
		const char *tok;
		int kind;
	} toks[] = {{"@DUE", 0}, {"@RUN", 1}, {"@PAUSE", 2}, {"@F", 3}, {"@T", 4}, {"@N", 5}};
	while (*f && !q->bad) {
		const char *at = strchr(f, '@');
		if (!at) {
			q_puts(q, f);
			return;
		}
		if (buf_append(&q->sql, f, (size_t)(at - f))) {
			q->bad = true;
			return;
		}
		size_t i;
		for (i = 0; i < sizeof toks / sizeof toks[0]; i++)
			if (strncmp(at, toks[i].tok, strlen(toks[i].tok)) == 0)
				break;
		if (i == sizeof toks / sizeof toks[0]) {
			q->bad = true; /* a fragment of this file is wrong */
			return;
		}
		switch (toks[i].kind) {
		case 0:
			q_puts(q, "COALESCE(d.original_due_at, d.due_at)");
			break;
		case 1:
			q_states(q, CLOCK_RUNNING);
			break;
		case 2:
			q_states(q, CLOCK_PAUSED);
			break;
		case 3:
			q_param(q, db_int(q->span->from));
			break;
		case 4:
			q_param(q, db_int(q->span->to));
			break;
		default:
			q_param(q, db_int(q->span->now));
			break;
		}
		f = at + strlen(toks[i].tok);
	}
}

/* The FROM and WHERE of metric m (with the unit condition when unit is given). */
static void q_where(struct q *q, enum db_stats_metric m, const char *unit)
{
	const struct metric *x = &metrics[m];
	q_frag(q, base_from[x->base]);
	if (x->refine) {
		q_puts(q, " AND ");
		q_frag(q, x->refine);
	}
	if (!str_empty(unit)) {
		q_puts(q, " AND ");
		q_puts(q, x->unit_col);
		q_puts(q, " = ");
		q_param(q, db_text(unit));
	}
}

static enum err_code check_metric(enum db_stats_metric m, struct err *e)
{
	if ((unsigned)m >= DB_STATS_N_METRICS)
		return err_set(e, ERR_INVALID_ARGUMENT, "unknown metric %d", (int)m);
	return ERR_OK;
}

static enum err_code q_bad(struct err *e)
{
	return err_set(e, ERR_INTERNAL, "statistics statement too large");
}

enum err_code db_stats_count(struct db_conn *c, enum db_stats_metric m,
                             const struct db_stats_span *span, const char *unit, int64_t *out,
                             struct err *e)
{
	*out = 0;
	enum err_code rc = check_metric(m, e);
	if (rc != ERR_OK)
		return rc;
	struct q q;
	q_init(&q, span);
	q_puts(&q, "SELECT count(*)");
	q_where(&q, m, unit);
	rc = q.bad ? q_bad(e) : db_query_int64(c, buf_str(&q.sql), q.params, q.n, out, e);
	q_release(&q);
	return rc;
}

enum err_code db_stats_daily(struct db_conn *c, enum db_stats_metric m,
                             const struct db_stats_span *span, struct db_stats_day *out, size_t max,
                             size_t *n, struct err *e)
{
	*n = 0;
	enum err_code rc = check_metric(m, e);
	if (rc != ERR_OK)
		return rc;
	const char *instant = base_instant[metrics[m].base];
	if (!instant)
		return err_set(e, ERR_INVALID_ARGUMENT, "a count at an instant has no days");
	struct q q;
	q_init(&q, span);
	char day[64];
	str_copy(day, sizeof day, "((");
	size_t l = strlen(day);
	str_copy(day + l, sizeof day - l, instant);
	l = strlen(day);
	str_copy(day + l, sizeof day - l, " + 25200) / 86400)");
	q_puts(&q, "SELECT ");
	q_puts(&q, day);
	q_puts(&q, ", count(*)");
	q_where(&q, m, NULL);
	q_puts(&q, " GROUP BY ");
	q_puts(&q, day);
	q_puts(&q, " ORDER BY 1");
	if (q.bad) {
		q_release(&q);
		return q_bad(e);
	}
	struct db_stmt *st;
	rc = db_query(c, buf_str(&q.sql), q.params, q.n, &st, e);
	q_release(&q);
	if (rc != ERR_OK)
		return rc;
	for (;;) {
		bool row;
		if ((rc = db_step(st, &row, e)) != ERR_OK || !row)
			break;
		if (*n >= max)
			continue; /* read to the end; the caller asked for fewer */
		out[*n].day = db_col_int64(st, 0);
		out[*n].count = db_col_int64(st, 1);
		(*n)++;
	}
	db_finish(st);
	if (rc != ERR_OK)
		*n = 0;
	return rc;
}

void db_stats_group_list_free(struct db_stats_group_list *l)
{
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

/* A row of db_stats_by_unit() into a zeroed struct db_stats_group. */
static void group_read(struct db_stmt *st, void *item)
{
	struct db_stats_group *g = item;
	db_col_copy(st, 0, g->code, sizeof g->code);
	db_col_copy(st, 1, g->name_vi, sizeof g->name_vi);
	db_col_copy(st, 2, g->name_en, sizeof g->name_en);
	g->count = db_col_int64(st, 3);
	g->part = db_col_int64(st, 4);
}

enum err_code db_stats_by_unit(struct db_conn *c, enum db_stats_metric m, int part,
                               const struct db_stats_span *span, int64_t limit,
                               struct db_stats_group_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	enum err_code rc = check_metric(m, e);
	if (rc != ERR_OK)
		return rc;
	const struct metric *x = &metrics[m];
	const struct metric *p = NULL;
	if (part >= 0) {
		if ((rc = check_metric((enum db_stats_metric)part, e)))
			return rc;
		p = &metrics[part];
		if (p->base != x->base || (x->refine && !str_eq(x->refine, p->refine)))
			return err_set(e, ERR_INVALID_ARGUMENT, "metric %d does not refine %d",
			               part, (int)m);
	}
	if (limit < 1)
		return err_set(e, ERR_OUT_OF_RANGE, "limit must be 1 or more");
	struct q q;
	q_init(&q, span);
	q_puts(&q, "SELECT ");
	q_puts(&q, x->unit_col);
	q_puts(&q, ", u.name_vi, u.name_en, count(*), ");
	if (p && p->refine) {
		q_puts(&q, "COALESCE(SUM(CASE WHEN ");
		q_frag(&q, p->refine);
		q_puts(&q, " THEN 1 ELSE 0 END), 0)");
	} else {
		q_puts(&q, p ? "count(*)" : "0");
	}
	/* the unit's names: joined after the base's own joins */
	const char *from = base_from[x->base];
	const char *where = strstr(from, " WHERE ");
	if (!where) {
		q_release(&q);
		return q_bad(e);
	}
	if (buf_append(&q.sql, from, (size_t)(where - from)))
		q.bad = true;
	q_puts(&q, " LEFT JOIN unit u ON u.code = ");
	q_puts(&q, x->unit_col);
	/* the WHERE clause, with its parameters numbered after those of the SELECT */
	q_frag(&q, where);
	if (x->refine) {
		q_puts(&q, " AND ");
		q_frag(&q, x->refine);
	}
	q_puts(&q, " AND ");
	q_puts(&q, x->unit_col);
	q_puts(&q, " IS NOT NULL GROUP BY ");
	q_puts(&q, x->unit_col);
	q_puts(&q, ", u.name_vi, u.name_en ORDER BY count(*) DESC, ");
	q_puts(&q, x->unit_col);
	q_puts(&q, " LIMIT ");
	q_param(&q, db_int(limit));
	if (q.bad) {
		q_release(&q);
		return q_bad(e);
	}
	rc = db_read_list(c, buf_str(&q.sql), q.params, q.n, sizeof *out->items, group_read,
	                  "figures", SIZE_MAX, NULL, (void **)&out->items, &out->count, e);
	q_release(&q);
	return rc;
}

void db_stats_line_list_free(struct db_stats_line_list *l)
{
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

#define LINE_COLS                                                                                  \
	"SELECT d.id, d.code, d.procedure_code, d.state, d.outcome, d.channel, d.applicant_name, " \
	"d.receiving_unit, d.competent_unit, (SELECT min(ev.at) FROM dossier_event ev WHERE "      \
	"ev.dossier_id = d.id AND ev.action IN ('receive', 'accept')), "                           \
	"COALESCE(d.original_due_at, d.due_at), d.resolved_at, (SELECT r.level FROM "              \
	"dossier_rating r WHERE r.dossier_id = d.id)"

static void line_read(struct db_stmt *st, void *item)
{
	struct db_stats_line *l = item;
	db_col_copy(st, 0, l->id, sizeof l->id);
	db_col_copy(st, 1, l->code, sizeof l->code);
	db_col_copy(st, 2, l->procedure_code, sizeof l->procedure_code);
	db_col_copy(st, 3, l->state, sizeof l->state);
	db_col_copy(st, 4, l->outcome, sizeof l->outcome);
	db_col_copy(st, 5, l->channel, sizeof l->channel);
	db_col_copy(st, 6, l->applicant_name, sizeof l->applicant_name);
	db_col_copy(st, 7, l->receiving_unit, sizeof l->receiving_unit);
	db_col_copy(st, 8, l->competent_unit, sizeof l->competent_unit);
	l->received_at = db_col_opt(st, 9);
	l->due_at = db_col_opt(st, 10);
	l->resolved_at = db_col_opt(st, 11);
	db_col_copy(st, 12, l->rating, sizeof l->rating);
}

enum err_code db_stats_list(struct db_conn *c, enum db_stats_metric m,
                            const struct db_stats_span *span, const char *unit, int64_t limit,
                            int64_t offset, struct db_stats_line_list *out, int64_t *total,
                            struct err *e)
{
	memset(out, 0, sizeof *out);
	*total = 0;
	enum err_code rc = check_metric(m, e);
	if (rc != ERR_OK)
		return rc;
	if (limit < 1 || offset < 0)
		return err_set(e, ERR_OUT_OF_RANGE, "limit must be 1 or more, offset 0 or more");
	if ((rc = db_stats_count(c, m, span, unit, total, e)) != ERR_OK)
		return rc;
	struct q q;
	q_init(&q, span);
	q_puts(&q, LINE_COLS);
	q_where(&q, m, unit);
	const char *instant = base_instant[metrics[m].base];
	if (instant) {
		q_puts(&q, " ORDER BY ");
		q_puts(&q, instant);
		q_puts(&q, " DESC, d.id");
	} else {
		q_frag(&q, " ORDER BY CASE WHEN @DUE IS NULL THEN 1 ELSE 0 END, @DUE, d.id");
	}
	q_puts(&q, " LIMIT ");
	q_param(&q, db_int(limit));
	q_puts(&q, " OFFSET ");
	q_param(&q, db_int(offset));
	if (q.bad) {
		q_release(&q);
		return q_bad(e);
	}
	rc = db_read_list(c, buf_str(&q.sql), q.params, q.n, sizeof *out->items, line_read,
	                  "dossiers", SIZE_MAX, NULL, (void **)&out->items, &out->count, e);
	q_release(&q);
	return rc;
}
