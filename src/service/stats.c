/*
 * stats: the leaders' figures and the lists behind them (see stats.h).
 * The figures are read from the indicator counters (service/indicators.h);
 * the lists behind them from the dossier tables (db/db_stats.c).
 */
#include "service/stats.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/vntime.h"
#include "domain/lifecycle.h"
#include "service/audit.h"
#include "service/indicators.h"

static const char *const metric_names[DB_STATS_N_METRICS] = {
        [DB_STATS_RECEIVED] = "received",
        [DB_STATS_ONLINE] = "online",
        [DB_STATS_RESOLVED] = "resolved",
        [DB_STATS_RESOLVED_EARLY] = "resolved_early",
        [DB_STATS_RESOLVED_ON_TIME] = "resolved_on_time",
        [DB_STATS_RESOLVED_LATE] = "resolved_late",
        [DB_STATS_OPEN] = "open",
        [DB_STATS_OPEN_ON_TIME] = "open_on_time",
        [DB_STATS_OPEN_LATE] = "open_late",
        [DB_STATS_RATED] = "rated",
        [DB_STATS_SATISFIED] = "satisfied",
};

const char *stats_metric_name(enum db_stats_metric m)
{
	return (unsigned)m < DB_STATS_N_METRICS ? metric_names[m] : NULL;
}

enum err_code stats_metric_from_name(const char *name, enum db_stats_metric *out, struct err *e)
{
	for (unsigned i = 0; name && i < DB_STATS_N_METRICS; i++) {
		if (str_eq(metric_names[i], name)) {
			*out = (enum db_stats_metric)i;
			return ERR_OK;
		}
	}
	return err_set(e, ERR_INVALID_ARGUMENT, "unknown figure '%.40s'", name ? name : "");
}

/* The city's readers: the system, and staff leaders, supervisors and admins. */
static enum err_code check_reader(const struct actor *a, struct err *e)
{
	return indicators_check_reader(a, "the city's figures", e);
}

/* The instants [00:00 of from_day, 00:00 of the day after to_day) and now. */
static struct db_stats_span span_of(int64_t from_day, int64_t to_day, int64_t now)
{
	return (struct db_stats_span){vntime_join(from_day, 0), vntime_join(to_day + 1, 0), now};
}

/*
 * The figures come from the indicator counters (service/indicators.h),
 * read in time proportional to days x groups; only the ratings (rated,
 * satisfied) are still counted from dossier_rating, so that a rating is
 * counted whatever wrote it. open* are the stock at the end of today
 * (the counters are kept per day): a dossier whose legal due falls later
 * today already counts as late.
 */
static enum err_code ind_read(struct service *svc, const struct actor *actor, enum ind_dim dim,
                              int64_t from_day, int64_t to_day, struct ind_table *t, struct err *e)
{
	struct ind_query q;
	memset(&q, 0, sizeof q);
	q.dim = dim;
	q.from_day = from_day;
	q.to_day = to_day;
	return indicators_read(svc, actor, &q, t, e);
}

struct ratings_ctx {
	int64_t from_day, to_day, now;
	struct stats_figures *out;
};

static enum err_code ratings_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct ratings_ctx *x = ctx;
	struct db_stats_span span = span_of(x->from_day, x->to_day, x->now);
	enum err_code rc =
	        db_stats_count(c, DB_STATS_RATED, &span, NULL, &x->out->n[DB_STATS_RATED], e);
	if (rc == ERR_OK)
		rc = db_stats_count(c, DB_STATS_SATISFIED, &span, NULL,
		                    &x->out->n[DB_STATS_SATISFIED], e);
	return rc;
}

static enum err_code figures_read(struct service *svc, const struct actor *actor, int64_t from_day,
                                  int64_t to_day, int64_t now, struct stats_figures *out,
                                  struct err *e)
{
	memset(out, 0, sizeof *out);
	out->from_day = from_day;
	out->to_day = to_day;
	int64_t today;
	vntime_split(now, &today, NULL);
	struct ind_table t;
	enum err_code rc = ind_read(svc, actor, IND_DIM_CITY, from_day, to_day, &t, e);
	if (rc != ERR_OK)
		return rc;
	out->n[DB_STATS_RECEIVED] = t.total.received;
	out->n[DB_STATS_ONLINE] = t.total.received_online;
	out->n[DB_STATS_RESOLVED] = t.total.resolved;
	out->n[DB_STATS_RESOLVED_EARLY] = t.total.resolved_early;
	out->n[DB_STATS_RESOLVED_ON_TIME] = t.total.resolved_on_time;
	out->n[DB_STATS_RESOLVED_LATE] = t.total.resolved_late;
	indicators_table_release(&t);
	if ((rc = ind_read(svc, actor, IND_DIM_CITY, today, today, &t, e)))
		return rc;
	out->n[DB_STATS_OPEN] = t.total.open_end;
	out->n[DB_STATS_OPEN_ON_TIME] = t.total.open_end_on_time;
	out->n[DB_STATS_OPEN_LATE] = t.total.open_end_late;
	indicators_table_release(&t);
	struct ratings_ctx x = {from_day, to_day, now, out};
	return db_run_txn(svc->db, DB_TXN_READ, ratings_txn, &x, e);
}

/* ---- the overview ---- */

enum group_kind { GROUP_ON_TIME, GROUP_OVERDUE, GROUP_LOAD };

static int group_cmp(const void *pa, const void *pb)
{
	const struct db_stats_group *a = pa, *b = pb;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->code, b->code);
}

struct names_ctx {
	struct db_stats_group_list *l;
};

static enum err_code names_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct db_stats_group_list *l = ((struct names_ctx *)ctx)->l;
	for (size_t i = 0; i < l->count; i++) {
		struct db_unit_info u;
		enum err_code rc = db_dossier_unit(c, l->items[i].code, &u, e);
		if (rc == ERR_NOT_FOUND) {
			err_clear(e);
			continue;
		}
		if (rc != ERR_OK)
			return rc;
		str_copy(l->items[i].name_vi, sizeof l->items[i].name_vi, u.name_vi);
		str_copy(l->items[i].name_en, sizeof l->items[i].name_en, u.name_en);
	}
	return ERR_OK;
}

/* The groups of a chart: the largest counts first (then by code), at most STATS_TOP. */
static enum err_code groups_read(struct service *svc, const struct actor *actor,
                                 enum group_kind kind, const struct stats_overview *o,
                                 struct db_stats_group_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct ind_table t;
	enum ind_dim dim = kind == GROUP_LOAD ? IND_DIM_BRANCH : IND_DIM_AGENCY;
	int64_t from = kind == GROUP_OVERDUE ? o->today : o->month_first;
	enum err_code rc = ind_read(svc, actor, dim, from, o->today, &t, e);
	if (rc != ERR_OK)
		return rc;
	out->items = calloc(t.n ? t.n : 1, sizeof *out->items);
	if (!out->items) {
		indicators_table_release(&t);
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	}
	for (size_t i = 0; i < t.n; i++) {
		const struct ind_row *r = &t.rows[i];
		int64_t count = kind == GROUP_ON_TIME   ? r->f.resolved
		                : kind == GROUP_OVERDUE ? r->f.open_end_late
		                                        : r->f.received;
		if (count <= 0 || !r->key[0])
			continue;
		struct db_stats_group *g = &out->items[out->count++];
		memset(g, 0, sizeof *g);
		str_copy(g->code, sizeof g->code, r->key);
		g->count = count;
		g->part = kind == GROUP_ON_TIME ? r->f.resolved_late : 0;
	}
	indicators_table_release(&t);
	qsort(out->items, out->count, sizeof *out->items, group_cmp);
	if (out->count > STATS_TOP)
		out->count = STATS_TOP;
	struct names_ctx x = {out};
	rc = db_run_txn(svc->db, DB_TXN_READ, names_txn, &x, e);
	if (rc != ERR_OK)
		db_stats_group_list_free(out);
	return rc;
}

void stats_overview_free(struct stats_overview *o)
{
	db_stats_group_list_free(&o->on_time);
	db_stats_group_list_free(&o->overdue);
	db_stats_group_list_free(&o->load);
}

enum err_code stats_overview_get(struct service *svc, const struct actor *actor,
                                 struct stats_overview *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!svc || !actor)
		return err_set(e, ERR_INTERNAL, "no service or actor");
	enum err_code rc = check_reader(actor, e);
	if (rc != ERR_OK)
		return rc;
	out->now = service_now(svc);
	int sec;
	vntime_split(out->now, &out->today, &sec);
	struct vndate d = vntime_civil_from_days(out->today);
	out->month_first = vntime_days_from_civil(d.year, d.month, 1);
	out->n_days = (int)(out->today - out->month_first) + 1;
	if ((rc = figures_read(svc, actor, out->today, out->today, out->now, &out->day, e)) ||
	    (rc = figures_read(svc, actor, out->month_first, out->today, out->now, &out->month,
	                       e)) ||
	    (rc = indicators_daily(svc, actor, "received", out->month_first, out->today,
	                           out->per_day, 31, e)) ||
	    (rc = groups_read(svc, actor, GROUP_ON_TIME, out, &out->on_time, e)) ||
	    (rc = groups_read(svc, actor, GROUP_OVERDUE, out, &out->overdue, e)) ||
	    (rc = groups_read(svc, actor, GROUP_LOAD, out, &out->load, e)))
		stats_overview_free(out);
	return rc;
}

/* ---- figures of a period ---- */

static enum err_code check_period(int64_t from_day, int64_t to_day, struct err *e)
{
	return indicators_check_period(from_day, to_day, STATS_MAX_DAYS, e);
}

enum err_code stats_figures_get(struct service *svc, const struct actor *actor, int64_t from_day,
                                int64_t to_day, struct stats_figures *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!svc || !actor)
		return err_set(e, ERR_INTERNAL, "no service or actor");
	enum err_code rc;
	if ((rc = check_reader(actor, e)) || (rc = check_period(from_day, to_day, e)))
		return rc;
	return figures_read(svc, actor, from_day, to_day, service_now(svc), out, e);
}

/* ---- the list behind a figure ---- */

struct list_ctx {
	struct service *svc;
	const struct actor *actor;
	const struct stats_list_query *q;
	int64_t limit;
	struct stats_list *out;
};

static enum err_code list_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct list_ctx *x = ctx;
	const struct stats_list_query *q = x->q;
	struct stats_list *out = x->out;
	db_stats_line_list_free(&out->lines);
	out->unit_name_vi[0] = out->unit_name_en[0] = '\0';
	struct db_stats_span span = span_of(q->from_day, q->to_day, out->now);
	enum err_code rc;
	if (!str_empty(q->unit)) {
		struct db_unit_info u;
		rc = db_dossier_unit(c, q->unit, &u, e);
		if (rc == ERR_OK) {
			str_copy(out->unit_name_vi, sizeof out->unit_name_vi, u.name_vi);
			str_copy(out->unit_name_en, sizeof out->unit_name_en, u.name_en);
		} else if (rc == ERR_NOT_FOUND) {
			err_clear(e);
		} else {
			return rc;
		}
	}
	if ((rc = db_stats_list(c, q->metric, &span, q->unit, x->limit, q->offset, &out->lines,
	                        &out->total, e)))
		return rc;
	/* the lines name applicants: the read is audited */
	json_t *detail = json_object();
	char from[VNTIME_DATE_LEN], to[VNTIME_DATE_LEN];
	vntime_format_date(q->from_day, from);
	vntime_format_date(q->to_day, to);
	json_object_set_new(detail, "metric", json_string(stats_metric_name(q->metric)));
	json_object_set_new(detail, "from", json_string(from));
	json_object_set_new(detail, "to", json_string(to));
	json_object_set_new(detail, "unit",
	                    str_empty(q->unit) ? json_null() : json_string(q->unit));
	json_object_set_new(detail, "total", json_integer(out->total));
	json_object_set_new(detail, "shown", json_integer((json_int_t)out->lines.count));
	char *text = json_dumps(detail, JSON_COMPACT);
	json_decref(detail);
	if (!text)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	char object[64];
	snprintf(object, sizeof object, "stats:%s", stats_metric_name(q->metric));
	rc = audit_append(c, x->actor, out->now, "stats.list", object, text, e);
	free(text);
	return rc;
}

/* A unit code: 1..DBD_KEY_SIZE-1 ASCII letters, digits, '-', '_' or '.' (CN01, UBND-00070). */
static enum err_code check_unit(const char *s, struct err *e)
{
	if (str_empty(s))
		return ERR_OK;
	if (strlen(s) >= DBD_KEY_SIZE)
		return err_set(e, ERR_TOO_LONG, "'unit' is too long");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			return err_set(e, ERR_INVALID_ARGUMENT, "invalid unit code");
	return ERR_OK;
}

enum err_code stats_list_get(struct service *svc, const struct actor *actor,
                             const struct stats_list_query *q, struct stats_list *out,
                             struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!svc || !actor || !q)
		return err_set(e, ERR_INTERNAL, "no service, actor or query");
	enum err_code rc;
	if ((rc = check_reader(actor, e)))
		return rc;
	if (!stats_metric_name(q->metric))
		return err_set(e, ERR_INVALID_ARGUMENT, "unknown figure %d", (int)q->metric);
	if ((rc = check_period(q->from_day, q->to_day, e)) || (rc = check_unit(q->unit, e)))
		return rc;
	if (q->limit < 0 || q->limit > STATS_LIST_MAX)
		return err_set(e, ERR_OUT_OF_RANGE, "limit must be 1..%d", STATS_LIST_MAX);
	if (q->offset < 0 || q->offset > STATS_OFFSET_MAX)
		return err_set(e, ERR_OUT_OF_RANGE, "offset must be 0..%d", STATS_OFFSET_MAX);
	out->now = service_now(svc);
	struct list_ctx x = {svc, actor, q, q->limit ? q->limit : STATS_LIST_DEFAULT, out};
	rc = db_run_txn(svc->db, DB_TXN_WRITE, list_txn, &x, e);
	if (rc != ERR_OK)
		stats_list_free(out);
	return rc;
}

void stats_list_free(struct stats_list *l)
{
	db_stats_line_list_free(&l->lines);
	l->total = 0;
}
