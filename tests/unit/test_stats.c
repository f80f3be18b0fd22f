/*
 * Unit tests for service/stats and db/db_stats: the leaders' figures counted
 * from hand-built dossiers on SQLite (tests/unit/dossier_fixture.h), the
 * lists behind them, who may read them, and the limits.
 *
 * Calendar facts (data/holidays.csv, office hours 08:00-12:00, 13:00-17:00,
 * docs/calendar.md): Wed 30/7/2025 and Wed 27 - Fri 29/8/2025 are working
 * days; Mon 1 and Tue 2 September 2025 are days off. Appointments of the
 * fixture's procedures (worktime rules of docs/calendar.md):
 *   T.SAME  (0 working days, cut-off 15:00) received before 15:00: 17:00 the same day;
 *   T.SIGN  (3 working days) received Wed 27/8: Wed 3/9 17:00;
 *   T.CONT  (5 working days) received Wed 27/8: Fri 5/9 17:00;
 *   T.HOURS (16 working hours) received Wed 27/8 09:00: Fri 29/8 09:00
 *           (7 h on Wed, 8 h on Thu, 1 h on Fri).
 * The workload (now = Fri 29/8/2025 10:00; every dossier of An's, so the
 * competent unit is UBND-00070 except T.HOURS's SO-TP; received at CN-A
 * except G, accepted at CN-C):
 *   J  T.SAME  received 30/7 09:00, completed 30/7 10:00 (July: outside August)
 *   A  T.SIGN  received 27/8 09:00, signed off 28/8 10:00: early (before 3/9)
 *   B  T.SAME  received 27/8 10:00, completed 28/8 09:00: late (after 27/8 17:00)
 *   C  T.SAME  received 28/8 09:00, completed 28/8 16:00: on time
 *   X  T.SAME  received 27/8 13:00, extended to 29/8 17:00, completed 28/8 11:00:
 *              late (after the legal due 27/8 17:00, the extension notwithstanding)
 *   D  T.CONT  received 27/8 11:00, open, due 5/9: on time
 *   E  T.HOURS received 27/8 09:00, open, due 29/8 09:00: late at 10:00
 *   F  T.SIGN  received 27/8 09:00, paused 28/8 09:00 (before its due): on time
 *   P  T.SAME  received 28/8 09:30, paused 29/8 09:00 (after its due 28/8 17:00): late
 *   W  T.CONT  received 28/8 11:00, withdrawn 28/8 14:00: received, not resolved
 *   R  refused at reception 28/8 11:30: not received
 *   G  T.SIGN  filed online 28/8 14:00, accepted at CN-C 29/8 09:00: received today
 *   ratings: A satisfied 28/8 15:00, C dissatisfied 29/8 09:30, J very satisfied 30/7.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "db/db_stats.h"
#include "service/stats.h"
#include "world_fixture.h"

static void test_overview(void **state)
{
	struct fx *f = *state;
	struct fx_world w;
	fx_world_build(f, &w, true);
	struct actor leader;
	FX_LEADER(&leader);
	struct stats_overview o;
	struct err e = {0};
	int64_t audits = fx_count(f, "audit");
	assert_rc(stats_overview_get(&f->svc, &leader, &o, &e), ERR_OK);
	assert_int_equal(o.today, fx_day("2025-08-29"));
	assert_int_equal(o.month_first, fx_day("2025-08-01"));
	assert_int_equal(o.n_days, 29);
	/* this month */
	const int64_t *m = o.month.n;
	assert_int_equal(m[DB_STATS_RECEIVED], 10); /* A B C D E F G P W X */
	assert_int_equal(m[DB_STATS_ONLINE], 1);    /* G */
	assert_int_equal(m[DB_STATS_RESOLVED], 4);  /* A B C X */
	assert_int_equal(m[DB_STATS_RESOLVED_EARLY], 1);
	assert_int_equal(m[DB_STATS_RESOLVED_ON_TIME], 1);
	assert_int_equal(m[DB_STATS_RESOLVED_LATE], 2);
	assert_int_equal(m[DB_STATS_OPEN], 5); /* D E F G P */
	assert_int_equal(m[DB_STATS_OPEN_ON_TIME], 3);
	assert_int_equal(m[DB_STATS_OPEN_LATE], 2);
	assert_int_equal(m[DB_STATS_RATED], 2);
	assert_int_equal(m[DB_STATS_SATISFIED], 1);
	/* today: only G was received; nothing resolved; C's rating; the open ones as above */
	const int64_t *d = o.day.n;
	assert_int_equal(d[DB_STATS_RECEIVED], 1);
	assert_int_equal(d[DB_STATS_ONLINE], 1);
	assert_int_equal(d[DB_STATS_RESOLVED], 0);
	assert_int_equal(d[DB_STATS_RESOLVED_LATE], 0);
	assert_int_equal(d[DB_STATS_OPEN], 5);
	assert_int_equal(d[DB_STATS_OPEN_LATE], 2);
	assert_int_equal(d[DB_STATS_RATED], 1);
	assert_int_equal(d[DB_STATS_SATISFIED], 0);
	/* received per day: 27/8 six (A B D E F X), 28/8 three (C P W), 29/8 one (G) */
	int64_t sum = 0;
	for (int i = 0; i < o.n_days; i++)
		sum += o.per_day[i];
	assert_int_equal(sum, 10);
	assert_int_equal(o.per_day[26], 6);
	assert_int_equal(o.per_day[27], 3);
	assert_int_equal(o.per_day[28], 1);
	/* resolved by agency: UBND-00070 resolved 4, 2 of them late */
	assert_int_equal(o.on_time.count, 1);
	assert_string_equal(o.on_time.items[0].code, "UBND-00070");
	assert_string_equal(o.on_time.items[0].name_vi, "UBND phường Hoàn Kiếm");
	assert_int_equal(o.on_time.items[0].count, 4);
	assert_int_equal(o.on_time.items[0].part, 2);
	/* late now by agency: E at SO-TP, P at UBND-00070 (equal counts: by code) */
	assert_int_equal(o.overdue.count, 2);
	assert_string_equal(o.overdue.items[0].code, "SO-TP");
	assert_int_equal(o.overdue.items[0].count, 1);
	assert_string_equal(o.overdue.items[1].code, "UBND-00070");
	/* load by receiving branch: 9 at CN-A, G at CN-C */
	assert_int_equal(o.load.count, 2);
	assert_string_equal(o.load.items[0].code, "CN-A");
	assert_int_equal(o.load.items[0].count, 9);
	assert_string_equal(o.load.items[1].code, "CN-C");
	assert_string_equal(o.load.items[1].name_en, "Branch C");
	assert_int_equal(o.load.items[1].count, 1);
	stats_overview_free(&o);
	/* figures are not personal data: no audit row */
	assert_int_equal(fx_count(f, "audit"), audits);
	/* July alone: J received, resolved on time (10:00, due 17:00) and rated */
	struct stats_figures fig;
	assert_rc(stats_figures_get(&f->svc, &leader, fx_day("2025-07-01"), fx_day("2025-07-31"),
	                            &fig, &e),
	          ERR_OK);
	assert_int_equal(fig.n[DB_STATS_RECEIVED], 1);
	assert_int_equal(fig.n[DB_STATS_RESOLVED], 1);
	assert_int_equal(fig.n[DB_STATS_RESOLVED_ON_TIME], 1);
	assert_int_equal(fig.n[DB_STATS_RATED], 1);
	assert_int_equal(fig.n[DB_STATS_SATISFIED], 1);
	assert_int_equal(fig.n[DB_STATS_OPEN], 5); /* open* are counted at now */
	/* one day: 28/8 (C, P, W received; A, B, C, X resolved) */
	assert_rc(stats_figures_get(&f->svc, &leader, fx_day("2025-08-28"), fx_day("2025-08-28"),
	                            &fig, &e),
	          ERR_OK);
	assert_int_equal(fig.n[DB_STATS_RECEIVED], 3);
	assert_int_equal(fig.n[DB_STATS_RESOLVED], 4);
}

static void test_lists(void **state)
{
	struct fx *f = *state;
	struct fx_world w;
	fx_world_build(f, &w, true);
	struct actor leader;
	FX_LEADER(&leader);
	struct stats_list l;
	struct err e = {0};
	struct stats_list_query q = {
	        .metric = DB_STATS_RESOLVED_LATE,
	        .from_day = fx_day("2025-08-01"),
	        .to_day = fx_day("2025-08-29"),
	};
	int64_t audits = fx_count(f, "audit");
	/* late ones, newest resolution first: X (28/8 11:00), B (28/8 09:00) */
	assert_rc(stats_list_get(&f->svc, &leader, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 2);
	assert_int_equal(l.lines.count, 2);
	assert_string_equal(l.lines.items[0].id, w.x);
	assert_string_equal(l.lines.items[1].id, w.b);
	assert_string_equal(l.lines.items[0].applicant_name, FX_AN_NAME);
	assert_int_equal(l.lines.items[0].due_at, fx_time("2025-08-27T17:00")); /* the legal due */
	assert_int_equal(l.lines.items[0].resolved_at, fx_time("2025-08-28T11:00"));
	assert_int_equal(l.lines.items[0].received_at, fx_time("2025-08-27T13:00"));
	assert_string_equal(l.lines.items[0].outcome, "granted");
	stats_list_free(&l);
	/* the read is audited, with its figure */
	assert_int_equal(fx_count(f, "audit"), audits + 1);
	assert_int_equal(
	        fx_int(f, "SELECT count(*) FROM audit WHERE action = 'stats.list' AND object = $1",
	               "stats:resolved_late"),
	        1);
	/* late now, the earliest legal due first: P (28/8 17:00), E (29/8 09:00) */
	q.metric = DB_STATS_OPEN_LATE;
	assert_rc(stats_list_get(&f->svc, &leader, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 2);
	assert_string_equal(l.lines.items[0].id, w.p);
	assert_string_equal(l.lines.items[1].id, w.e);
	assert_string_equal(l.lines.items[1].competent_unit, "SO-TP");
	stats_list_free(&l);
	/* with a unit: late at SO-TP; the unit's names come back */
	q.unit = "SO-TP";
	assert_rc(stats_list_get(&f->svc, &leader, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 1);
	assert_string_equal(l.lines.items[0].id, w.e);
	assert_string_equal(l.unit_name_vi, "Sở Tư pháp");
	stats_list_free(&l);
	/* received at branch C: G, filed online */
	q.metric = DB_STATS_RECEIVED;
	q.unit = "CN-C";
	assert_rc(stats_list_get(&f->svc, &leader, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 1);
	assert_string_equal(l.lines.items[0].id, w.g);
	assert_string_equal(l.lines.items[0].channel, "online");
	assert_int_equal(l.lines.items[0].received_at, fx_time("2025-08-29T09:00"));
	stats_list_free(&l);
	/* an unknown unit: no dossier, no names */
	q.unit = "NO-SUCH";
	assert_rc(stats_list_get(&f->svc, &leader, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 0);
	assert_string_equal(l.unit_name_vi, "");
	stats_list_free(&l);
	/* paging keeps the total; newest reception first (G on 29/8) */
	q.unit = NULL;
	q.limit = 3;
	assert_rc(stats_list_get(&f->svc, &leader, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 10);
	assert_int_equal(l.lines.count, 3);
	assert_string_equal(l.lines.items[0].id, w.g);
	stats_list_free(&l);
	q.offset = 9;
	assert_rc(stats_list_get(&f->svc, &leader, &q, &l, &e), ERR_OK);
	assert_int_equal(l.lines.count, 1);
	stats_list_free(&l);
	/* every number equals the length of its list */
	struct stats_overview o;
	assert_rc(stats_overview_get(&f->svc, &leader, &o, &e), ERR_OK);
	for (int m = 0; m < DB_STATS_N_METRICS; m++) {
		struct stats_list_query all = {.metric = (enum db_stats_metric)m,
		                               .from_day = o.month_first,
		                               .to_day = o.today,
		                               .limit = STATS_LIST_MAX};
		assert_rc(stats_list_get(&f->svc, &leader, &all, &l, &e), ERR_OK);
		assert_int_equal(l.total, o.month.n[m]);
		assert_int_equal((int64_t)l.lines.count, o.month.n[m]);
		stats_list_free(&l);
	}
	stats_overview_free(&o);
	/* the rating of a rated dossier's line */
	q = (struct stats_list_query){.metric = DB_STATS_RATED,
	                              .from_day = fx_day("2025-08-29"),
	                              .to_day = fx_day("2025-08-29")};
	assert_rc(stats_list_get(&f->svc, &leader, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 1);
	assert_string_equal(l.lines.items[0].id, w.c);
	assert_string_equal(l.lines.items[0].rating, "dissatisfied");
	stats_list_free(&l);
}

static void test_readers_and_limits(void **state)
{
	struct fx *f = *state;
	struct actor leader, offa, spec, cit, sys, sup, admin;
	FX_LEADER(&leader);
	FX_OFF_A(&offa);
	FX_SPEC_B1(&spec);
	fx_citizen(&cit, "cit-an");
	service_system_actor(&sys, "test");
	fx_staff(&sup, "leader", ROLE_SUPERVISOR, NULL);
	fx_staff(&admin, "leader", ROLE_ADMIN, NULL);
	struct stats_overview o;
	struct stats_list l;
	struct stats_figures fig;
	struct err e = {0};
	/* an empty database: every figure 0, every list empty */
	assert_rc(stats_overview_get(&f->svc, &leader, &o, &e), ERR_OK);
	for (int m = 0; m < DB_STATS_N_METRICS; m++) {
		assert_int_equal(o.day.n[m], 0);
		assert_int_equal(o.month.n[m], 0);
	}
	assert_int_equal(o.on_time.count + o.overdue.count + o.load.count, 0);
	stats_overview_free(&o);
	/* who may read (docs/lifecycle.md section 3: leaders, supervisors, admins see the city) */
	assert_rc(stats_overview_get(&f->svc, &offa, &o, &e), ERR_FORBIDDEN);
	assert_rc(stats_overview_get(&f->svc, &spec, &o, &e), ERR_FORBIDDEN);
	assert_rc(stats_overview_get(&f->svc, &cit, &o, &e), ERR_FORBIDDEN);
	assert_rc(stats_overview_get(&f->svc, &sys, &o, &e), ERR_OK);
	stats_overview_free(&o);
	assert_rc(stats_overview_get(&f->svc, &sup, &o, &e), ERR_OK);
	stats_overview_free(&o);
	assert_rc(stats_overview_get(&f->svc, &admin, &o, &e), ERR_OK);
	stats_overview_free(&o);
	struct stats_list_query q = {.metric = DB_STATS_RECEIVED,
	                             .from_day = fx_day("2025-08-01"),
	                             .to_day = fx_day("2025-08-31")};
	int64_t audits = fx_count(f, "audit");
	assert_rc(stats_list_get(&f->svc, &spec, &q, &l, &e), ERR_FORBIDDEN);
	assert_rc(stats_list_get(&f->svc, &cit, &q, &l, &e), ERR_FORBIDDEN);
	assert_rc(stats_figures_get(&f->svc, &offa, q.from_day, q.to_day, &fig, &e), ERR_FORBIDDEN);
	assert_int_equal(fx_count(f, "audit"), audits); /* a refusal reads nothing */
	/* periods */
	q.to_day = q.from_day - 1;
	assert_rc(stats_list_get(&f->svc, &leader, &q, &l, &e), ERR_INVALID_DATE);
	q.to_day = q.from_day + STATS_MAX_DAYS - 1; /* 366 days: allowed */
	assert_rc(stats_list_get(&f->svc, &leader, &q, &l, &e), ERR_OK);
	stats_list_free(&l);
	q.to_day = q.from_day + STATS_MAX_DAYS;
	assert_rc(stats_list_get(&f->svc, &leader, &q, &l, &e), ERR_OUT_OF_RANGE);
	assert_rc(stats_figures_get(&f->svc, &leader, 0, STATS_MAX_DAYS, &fig, &e),
	          ERR_OUT_OF_RANGE);
	assert_rc(stats_figures_get(&f->svc, &leader, INT64_C(-800000), INT64_C(-800000), &fig, &e),
	          ERR_INVALID_DATE);
	q.to_day = q.from_day;
	/* units, metrics, paging */
	q.unit = "CN A";
	assert_rc(stats_list_get(&f->svc, &leader, &q, &l, &e), ERR_INVALID_ARGUMENT);
	q.unit = "CN-\xc3\xa1";
	assert_rc(stats_list_get(&f->svc, &leader, &q, &l, &e), ERR_INVALID_ARGUMENT);
	q.unit = "<script>";
	assert_rc(stats_list_get(&f->svc, &leader, &q, &l, &e), ERR_INVALID_ARGUMENT);
	q.unit = "VP_UBND.TP-1"; /* letters, digits, '-', '_', '.': a code, even if unknown */
	assert_rc(stats_list_get(&f->svc, &leader, &q, &l, &e), ERR_OK);
	stats_list_free(&l);
	char longunit[DBD_KEY_SIZE + 1];
	memset(longunit, 'U', DBD_KEY_SIZE);
	longunit[DBD_KEY_SIZE] = '\0';
	q.unit = longunit;
	assert_rc(stats_list_get(&f->svc, &leader, &q, &l, &e), ERR_TOO_LONG);
	q.unit = NULL;
	q.metric = DB_STATS_N_METRICS;
	assert_rc(stats_list_get(&f->svc, &leader, &q, &l, &e), ERR_INVALID_ARGUMENT);
	q.metric = DB_STATS_OPEN;
	q.limit = STATS_LIST_MAX + 1;
	assert_rc(stats_list_get(&f->svc, &leader, &q, &l, &e), ERR_OUT_OF_RANGE);
	q.limit = -1;
	assert_rc(stats_list_get(&f->svc, &leader, &q, &l, &e), ERR_OUT_OF_RANGE);
	q.limit = 0;
	q.offset = -1;
	assert_rc(stats_list_get(&f->svc, &leader, &q, &l, &e), ERR_OUT_OF_RANGE);
	/* names of the metrics: every one round-trips; others are refused */
	for (int m = 0; m < DB_STATS_N_METRICS; m++) {
		enum db_stats_metric back;
		assert_non_null(stats_metric_name((enum db_stats_metric)m));
		assert_rc(stats_metric_from_name(stats_metric_name((enum db_stats_metric)m), &back,
		                                 &e),
		          ERR_OK);
		assert_int_equal(back, m);
	}
	enum db_stats_metric mm;
	assert_rc(stats_metric_from_name("late", &mm, &e), ERR_INVALID_ARGUMENT);
	assert_rc(stats_metric_from_name(NULL, &mm, &e), ERR_INVALID_ARGUMENT);
	assert_null(stats_metric_name(DB_STATS_N_METRICS));
	assert_string_equal(stats_metric_name(DB_STATS_OPEN_LATE), "open_late");
}

/* db_stats refuses what makes no sense. */
static void test_db_refusals(void **state)
{
	struct fx *f = *state;
	struct db_conn *c = tmpdb_conn(f->db);
	struct db_stats_span span = {0, INT64_C(4000000000), 0};
	struct db_stats_day days[4];
	struct db_stats_group_list g;
	size_t n = 99;
	struct err e = {0};
	assert_rc(db_stats_daily(c, DB_STATS_OPEN_LATE, &span, days, 4, &n, &e),
	          ERR_INVALID_ARGUMENT);
	assert_int_equal(n, 0);
	/* resolved_late is not a part of received */
	assert_rc(db_stats_by_unit(c, DB_STATS_RECEIVED, DB_STATS_RESOLVED_LATE, &span, 5, &g, &e),
	          ERR_INVALID_ARGUMENT);
	/* satisfied refines rated; online does not refine resolved */
	assert_rc(db_stats_by_unit(c, DB_STATS_RATED, DB_STATS_SATISFIED, &span, 5, &g, &e),
	          ERR_OK);
	db_stats_group_list_free(&g);
	assert_rc(db_stats_by_unit(c, DB_STATS_ONLINE, DB_STATS_RESOLVED, &span, 5, &g, &e),
	          ERR_INVALID_ARGUMENT);
	assert_rc(db_stats_by_unit(c, DB_STATS_RECEIVED, -1, &span, 0, &g, &e), ERR_OUT_OF_RANGE);
	int64_t k;
	assert_rc(db_stats_count(c, (enum db_stats_metric) - 1, &span, NULL, &k, &e),
	          ERR_INVALID_ARGUMENT);
	assert_true(db_stats_metric_is_snapshot(DB_STATS_OPEN));
	assert_false(db_stats_metric_is_snapshot(DB_STATS_RECEIVED));
	assert_false(db_stats_metric_is_snapshot(DB_STATS_N_METRICS));
}

static enum err_code set_resolved_txn(struct db_conn *c, void *ctx, struct err *e)
{
	const int64_t *at = ctx; /* the world holds one dossier */
	return db_exec(c, "UPDATE dossier SET resolved_at = $1", DB_ARGS(db_int(*at)), NULL, e);
}

struct count_ctx {
	enum db_stats_metric m;
	struct db_stats_span span;
	int64_t n;
};

static enum err_code count_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct count_ctx *x = ctx;
	return db_stats_count(c, x->m, &x->span, NULL, &x->n, e);
}

static int64_t sql_count(struct fx *f, enum db_stats_metric m, int64_t from, int64_t to)
{
	struct count_ctx x = {m, {from, to, f->svc.clock.at}, -1};
	struct err e = {0};
	assert_rc(db_run_txn(f->db, DB_TXN_READ, count_txn, &x, &e), ERR_OK);
	return x.n;
}

/*
 * Early / on time / late in the SQL of db_stats (which the lists behind the
 * figures use) agree with worktime_judge() (domain/worktime.h: late after
 * the due instant, the due second itself not late; early on a calendar day
 * before the due's day) around the due of one dossier. The figures
 * themselves come from the indicator counters, judged by the same
 * worktime_judge() when the result is recorded (test_indicators.c and
 * test_indicator_rules.c); moving resolved_at by hand does not reach them.
 * A running clock: the counters are kept per day, so the figures and the
 * list count a dossier as late from the day of its legal due ("late at the
 * end of today"), no longer from the due second.
 */
static void test_judge_boundaries(void **state)
{
	struct fx *f = *state;
	struct actor spec, leader;
	FX_SPEC_B1(&spec);
	FX_LEADER(&leader);
	char id[DBD_ID_SIZE];
	fx_receive(f, "2025-08-27T09:00", "T.SAME", NULL, id);
	fx_act(f, "2025-08-27T09:30", &spec, id, "take", NULL);
	fx_act(f, "2025-08-27T10:00", &spec, id, "complete", NULL);
	int64_t due = fx_time("2025-08-27T17:00");
	assert_int_equal(fx_int(f, "SELECT original_due_at FROM dossier WHERE id = $1", id), due);
	int64_t midnight = vntime_join(fx_day("2025-08-27"), 0);
	const int64_t cases[] = {midnight - 86400,
	                         midnight - 1,
	                         midnight,
	                         due - 1,
	                         due,
	                         due + 1,
	                         vntime_join(fx_day("2025-08-28"), 0)};
	struct err e = {0};
	int64_t from = vntime_join(fx_day("2025-08-20"), 0),
	        to = vntime_join(fx_day("2025-09-01"), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t at = cases[i];
		assert_rc(db_run_txn(f->db, DB_TXN_WRITE, set_resolved_txn, &at, &e), ERR_OK);
		enum worktime_timeliness t = worktime_judge(due, cases[i]);
		assert_int_equal(sql_count(f, DB_STATS_RESOLVED, from, to), 1);
		assert_int_equal(sql_count(f, DB_STATS_RESOLVED_EARLY, from, to),
		                 t == WORKTIME_EARLY);
		assert_int_equal(sql_count(f, DB_STATS_RESOLVED_ON_TIME, from, to),
		                 t == WORKTIME_ON_TIME);
		assert_int_equal(sql_count(f, DB_STATS_RESOLVED_LATE, from, to),
		                 t == WORKTIME_LATE);
	}
	/* the figure: completed at 10:00, due 17:00 the same day: on time */
	struct stats_figures fig;
	assert_rc(stats_figures_get(&f->svc, &leader, fx_day("2025-08-20"), fx_day("2025-08-31"),
	                            &fig, &e),
	          ERR_OK);
	assert_int_equal(fig.n[DB_STATS_RESOLVED], 1);
	assert_int_equal(fig.n[DB_STATS_RESOLVED_ON_TIME], 1);
	/* a running clock: T.HOURS due Fri 29/8 09:00 */
	char h[DBD_ID_SIZE];
	fx_receive(f, "2025-08-27T09:00", "T.HOURS", NULL, h);
	int64_t hdue = fx_int(f, "SELECT due_at FROM dossier WHERE id = $1", h);
	f->svc.clock.at = hdue - 86400; /* Thu 28/8: not late at the end of the day */
	assert_rc(stats_figures_get(&f->svc, &leader, fx_day("2025-08-28"), fx_day("2025-08-28"),
	                            &fig, &e),
	          ERR_OK);
	assert_int_equal(fig.n[DB_STATS_OPEN], 1);
	assert_int_equal(fig.n[DB_STATS_OPEN_LATE], 0);
	assert_int_equal(fig.n[DB_STATS_OPEN_ON_TIME], 1);
	assert_int_equal(sql_count(f, DB_STATS_OPEN_LATE, 0, 0), 0);
	f->svc.clock.at = hdue; /* Fri 29/8 09:00: late at the end of the day */
	assert_rc(stats_figures_get(&f->svc, &leader, fx_day("2025-08-29"), fx_day("2025-08-29"),
	                            &fig, &e),
	          ERR_OK);
	assert_int_equal(fig.n[DB_STATS_OPEN_LATE], 1);
	assert_int_equal(fig.n[DB_STATS_OPEN_ON_TIME], 0);
	assert_int_equal(sql_count(f, DB_STATS_OPEN_LATE, 0, 0), 1);
	f->svc.clock.at = vntime_join(fx_day("2025-08-28"), 86399); /* the last second of 28/8 */
	assert_int_equal(sql_count(f, DB_STATS_OPEN_LATE, 0, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_overview, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_lists, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_readers_and_limits, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_db_refusals, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_judge_boundaries, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
