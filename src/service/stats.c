/*
 * stats: the leaders' figures and the lists behind them (see stats.h).
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
	if (a->kind == ACTOR_SYSTEM ||
	    (a->kind == ACTOR_STAFF && (a->roles & (ROLE_LEADER | ROLE_SUPERVISOR | ROLE_ADMIN))))
		return ERR_OK;
	return err_set(e, ERR_FORBIDDEN, "the city's figures are for leaders and supervisors");
}

/* The instants [00:00 of from_day, 00:00 of the day after to_day) and now. */
static struct db_stats_span span_of(int64_t from_day, int64_t to_day, int64_t now)
{
	return (struct db_stats_span){vntime_join(from_day, 0), vntime_join(to_day + 1, 0), now};
}

static enum err_code figures_read(struct db_conn *c, int64_t from_day, int64_t to_day, int64_t now,
                                  struct stats_figures *out, struct err *e)
{
	struct db_stats_span span = span_of(from_day, to_day, now);
	out->from_day = from_day;
	out->to_day = to_day;
	for (int m = 0; m < DB_STATS_N_METRICS; m++) {
		enum err_code rc =
		        db_stats_count(c, (enum db_stats_metric)m, &span, NULL, &out->n[m], e);
		if (rc != ERR_OK)
			return rc;
	}
	return ERR_OK;
}

/* ---- the overview ---- */

struct overview_ctx {
	struct stats_overview *o;
};

static enum err_code overview_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct stats_overview *o = ((struct overview_ctx *)ctx)->o;
	/* a retried transaction starts again from nothing */
	db_stats_group_list_free(&o->on_time);
	db_stats_group_list_free(&o->overdue);
	db_stats_group_list_free(&o->load);
	memset(o->per_day, 0, sizeof o->per_day);
	enum err_code rc;
	if ((rc = figures_read(c, o->today, o->today, o->now, &o->day, e)) ||
	    (rc = figures_read(c, o->month_first, o->today, o->now, &o->month, e)))
		return rc;
	struct db_stats_span month = span_of(o->month_first, o->today, o->now);
	struct db_stats_day days[31];
	size_t n = 0;
	if ((rc = db_stats_daily(c, DB_STATS_RECEIVED, &month, days, 31, &n, e)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		int64_t k = days[i].day - o->month_first;
		if (k >= 0 && k < o->n_days)
			o->per_day[k] = days[i].count;
	}
	if ((rc = db_stats_by_unit(c, DB_STATS_RESOLVED, DB_STATS_RESOLVED_LATE, &month, STATS_TOP,
	                           &o->on_time, e)) ||
	    (rc = db_stats_by_unit(c, DB_STATS_OPEN_LATE, -1, &month, STATS_TOP, &o->overdue, e)) ||
	    (rc = db_stats_by_unit(c, DB_STATS_RECEIVED, -1, &month, STATS_TOP, &o->load, e)))
		return rc;
	return ERR_OK;
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
	struct overview_ctx x = {out};
	rc = db_run_txn(svc->db, DB_TXN_READ, overview_txn, &x, e);
	if (rc != ERR_OK)
		stats_overview_free(out);
	return rc;
}

/* ---- figures of a period ---- */

static enum err_code check_period(int64_t from_day, int64_t to_day, struct err *e)
{
	struct vndate a = vntime_civil_from_days(from_day), b = vntime_civil_from_days(to_day);
	if (a.year < 1 || a.year > 9999 || b.year < 1 || b.year > 9999)
		return err_set(e, ERR_INVALID_DATE, "a day outside the years 1..9999");
	if (to_day < from_day)
		return err_set(e, ERR_INVALID_DATE, "the period ends before it begins");
	if (to_day - from_day + 1 > STATS_MAX_DAYS)
		return err_set(e, ERR_OUT_OF_RANGE, "a period of at most %d days", STATS_MAX_DAYS);
	return ERR_OK;
}

struct figures_ctx {
	int64_t from_day, to_day, now;
	struct stats_figures *out;
};

static enum err_code figures_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct figures_ctx *x = ctx;
	return figures_read(c, x->from_day, x->to_day, x->now, x->out, e);
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
	struct figures_ctx x = {from_day, to_day, service_now(svc), out};
	return db_run_txn(svc->db, DB_TXN_READ, figures_txn, &x, e);
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
