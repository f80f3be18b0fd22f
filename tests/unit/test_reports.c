/*
 * Unit tests for service/reports and db/db_reports: the late dossiers and
 * the satisfaction report over hand-built dossiers on SQLite
 * (tests/unit/dossier_fixture.h), checked against figures computed by hand;
 * who may read; the periods; the audit of the late list; the generic table
 * and its JSON.
 *
 * Calendar facts (data/holidays.csv; office hours 08:00-12:00, 13:00-17:00,
 * 8 working hours a day; docs/calendar.md): Wed 20 to Fri 29 August 2025 are
 * working days but the weekend 23-24/8; Mon 1 and Tue 2 September are days
 * off. Legal dues (worktime rules of docs/calendar.md: day 1 is the first
 * working day after the reception):
 *   T.SAME  (0 days) received before the 15:00 cut-off: 17:00 the same day
 *   T.SIGN  (3 days) received Wed 20/8: Mon 25/8 17:00 (21, 22, 25)
 *   T.CONT  (5 days) received Wed 20/8: Wed 27/8 17:00 (21, 22, 25, 26, 27)
 *   T.HOURS (16 h)   received Wed 27/8 09:00: Fri 29/8 09:00
 * The workload (now = Fri 29/8/2025 10:00; An's dossiers, competent unit
 * UBND-00070 but E's SO-TP; all received at CN-A):
 *   K  T.SIGN  received 20/8 09:00, taken by spec-b2 20/8 10:00, sent for
 *              sign-off 27/8 09:00 (step 2 "Xử lý" late), signed 27/8 10:00:
 *              resolved late, delay W(27/8 10:00) - W(25/8 17:00) = 8 h on
 *              26/8 + 2 h on 27/8 = 10 h
 *   H  T.CONT  received 20/8 09:00, taken by spec-b2 20/8 10:00, extended
 *              26/8 10:00 to 5/9 ("Chờ ý kiến"): in progress, late since its
 *              legal due 27/8 17:00 (an extension does not move it), delay at
 *              now 8 h (28/8) + 2 h = 10 h
 *   B  T.SAME  received 27/8 10:00, taken by spec-b1, completed 28/8 09:00:
 *              late by 1 h (28/8 08:00-09:00)
 *   X  T.SAME  received 27/8 13:00, extended 27/8 14:00 ("Cần xác minh"),
 *              taken and completed 28/8 11:00 by spec-b1: late by 3 h
 *   E  T.HOURS received 27/8 09:00, never taken: late by 1 h at now
 *   P  T.SAME  received 28/8 09:30, paused 29/8 09:00 after its due: paused,
 *              so not in the list (as in the indicators)
 *   A  T.SIGN  received 27/8 09:00, signed off 28/8 10:00: early
 *   C  T.SAME  received 28/8 09:00, completed 28/8 16:00: on time
 *   D  T.CONT  received 27/8 11:00, in progress, due 5/9
 *   ratings: A satisfied 28/8 15:00, C dissatisfied 29/8 09:30, C's earlier
 *   J-like rating out of the period (30/7); complaints: A 29/8 09:45, E
 *   29/8 09:50.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "db/db_reports.h"
#include "service/reports.h"
#include "world_fixture.h"

struct world {
	char a[DBD_ID_SIZE], b[DBD_ID_SIZE], c[DBD_ID_SIZE], d[DBD_ID_SIZE], e[DBD_ID_SIZE];
	char h[DBD_ID_SIZE], k[DBD_ID_SIZE], p[DBD_ID_SIZE], x[DBD_ID_SIZE];
};

struct fact {
	const char *id, *at, *level; /* level NULL: a complaint */
};

static enum err_code fact_txn(struct db_conn *c, void *ctx, struct err *e)
{
	const struct fact *x = ctx;
	if (x->level)
		return db_dossier_rating_insert(c, x->id, fx_time(x->at), x->level, NULL, e);
	char cid[SERVICE_ID_LEN];
	service_new_id(cid);
	return db_dossier_complaint_insert(c, cid, x->id, fx_time(x->at), "Chậm trả kết quả", e);
}

static void fact(struct fx *f, const char *id, const char *at, const char *level)
{
	struct fact x = {id, at, level};
	struct err e = {0};
	assert_rc(db_run_txn(f->db, DB_TXN_WRITE, fact_txn, &x, &e), ERR_OK);
}

static void make_world(struct fx *f, struct world *w)
{
	struct actor spec1, spec2, appr;
	FX_SPEC_B1(&spec1);
	FX_SPEC_B2(&spec2);
	FX_APPR_B(&appr);
	struct action_params note;
	action_params_init(&note);
	note.note = "Thiếu giấy tờ";

	fx_receive(f, "2025-08-20T09:00", "T.SIGN", NULL, w->k);
	fx_receive(f, "2025-08-20T09:00", "T.CONT", NULL, w->h);
	assert_int_equal(fx_int(f, "SELECT original_due_at FROM dossier WHERE id = $1", w->k),
	                 fx_time("2025-08-25T17:00"));
	assert_int_equal(fx_int(f, "SELECT original_due_at FROM dossier WHERE id = $1", w->h),
	                 fx_time("2025-08-27T17:00"));
	fx_act(f, "2025-08-20T10:00", &spec2, w->k, "take", NULL);
	fx_act(f, "2025-08-20T10:00", &spec2, w->h, "take", NULL);
	struct action_params ext;
	action_params_init(&ext);
	ext.note = "Chờ ý kiến";
	ext.new_due = fx_time("2025-09-05T17:00");
	fx_act(f, "2025-08-26T10:00", &spec2, w->h, "extend", &ext);

	fx_receive(f, "2025-08-27T09:00", "T.SIGN", NULL, w->a);
	fx_receive(f, "2025-08-27T09:00", "T.HOURS", NULL, w->e);
	fx_act(f, "2025-08-27T09:00", &spec2, w->k, "submit_signoff", NULL);
	fx_act(f, "2025-08-27T10:00", &appr, w->k, "sign_off", NULL);
	fx_receive(f, "2025-08-27T10:00", "T.SAME", NULL, w->b);
	fx_act(f, "2025-08-27T10:00", &spec1, w->a, "take", NULL);
	fx_receive(f, "2025-08-27T11:00", "T.CONT", NULL, w->d);
	fx_act(f, "2025-08-27T11:00", &spec1, w->b, "take", NULL);
	fx_receive(f, "2025-08-27T13:00", "T.SAME", NULL, w->x);
	ext.note = "Cần xác minh";
	ext.new_due = fx_time("2025-08-29T17:00");
	fx_act(f, "2025-08-27T14:00", &spec1, w->x, "extend", &ext);

	fx_receive(f, "2025-08-28T09:00", "T.SAME", NULL, w->c);
	fx_act(f, "2025-08-28T09:00", &spec1, w->b, "complete", NULL);
	fx_act(f, "2025-08-28T09:00", &spec1, w->a, "submit_signoff", NULL);
	fx_act(f, "2025-08-28T09:10", &spec1, w->c, "take", NULL);
	fx_receive(f, "2025-08-28T09:30", "T.SAME", NULL, w->p);
	fx_act(f, "2025-08-28T10:00", &appr, w->a, "sign_off", NULL);
	fx_act(f, "2025-08-28T10:00", &spec1, w->p, "take", NULL);
	fx_act(f, "2025-08-28T10:30", &spec1, w->x, "take", NULL);
	fx_act(f, "2025-08-28T11:00", &spec1, w->x, "complete", NULL);
	fact(f, w->a, "2025-08-28T15:00", "satisfied");
	fx_act(f, "2025-08-28T16:00", &spec1, w->c, "complete", NULL);
	fx_act(f, "2025-08-29T09:00", &spec1, w->p, "request_supplement", &note);
	fact(f, w->c, "2025-08-29T09:30", "dissatisfied");
	fact(f, w->a, "2025-08-29T09:45", NULL);
	fact(f, w->e, "2025-08-29T09:50", NULL);
	fact(f, w->d, "2025-07-30T15:00", "very_satisfied"); /* out of the period */
	fx_at(f, "2025-08-29T10:00");
}

static struct report_query period(const char *from, const char *to)
{
	struct report_query q;
	memset(&q, 0, sizeof q);
	q.from_day = fx_day(from);
	q.to_day = fx_day(to);
	return q;
}

/* The index of a column of a section by key. */
static size_t col(const struct report_section *s, const char *key)
{
	for (size_t i = 0; i < s->ncols; i++)
		if (str_eq(s->cols[i].key, key))
			return i;
	fail_msg("no column '%s'", key);
	return 0;
}

static const struct report_cell *cell(const struct report_section *s, size_t row, const char *key)
{
	return &s->rows[row].cells[col(s, key)];
}

static void test_late_list(void **state)
{
	struct fx *f = *state;
	struct world w;
	make_world(f, &w);
	struct actor leader;
	FX_LEADER(&leader);
	struct report r;
	struct err e = {0};
	struct report_query q = period("2025-08-01", "2025-08-29");
	int64_t audits = fx_count(f, "audit");
	assert_rc(reports_late(&f->svc, &leader, &q, &r, &e), ERR_OK);
	assert_int_equal(r.as_of, fx_time("2025-08-29T10:00")); /* now is before the end */
	assert_int_equal(r.nsections, 1);
	const struct report_section *s = &r.sections[0];
	/* the earliest legal due first; equal dues by code (H of 20/8 before B, X of 27/8) */
	assert_int_equal(r.total_rows, 5);
	assert_int_equal(s->nrows, 5);
	const char *order[] = {w.k, w.h, w.b, w.x, w.e};
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(s->rows[i].id, order[i]);
	/* K: resolved late; the late step (2, Xử lý) by Specialist B2; 10 working hours */
	assert_string_equal(cell(s, 0, "status")->s, "Đã giải quyết, quá hạn");
	assert_string_equal(cell(s, 0, "status")->s_en, "Resolved late");
	assert_int_equal(cell(s, 0, "due_at")->n, fx_time("2025-08-25T17:00"));
	assert_int_equal(cell(s, 0, "resolved_at")->n, fx_time("2025-08-27T10:00"));
	assert_string_equal(cell(s, 0, "step")->s, "Xử lý");
	assert_string_equal(cell(s, 0, "step")->s_en, "Processing");
	assert_string_equal(cell(s, 0, "officer")->s, "Specialist B2");
	assert_int_equal(cell(s, 0, "delay")->n, 10 * 3600);
	assert_false(cell(s, 0, "reason")->set);
	assert_string_equal(cell(s, 0, "applicant")->s, FX_AN_NAME);
	assert_string_equal(cell(s, 0, "agency")->s, "UBND phường Hoàn Kiếm");
	assert_string_equal(cell(s, 0, "agency")->s_en, "Hoan Kiem Ward Committee");
	assert_string_equal(cell(s, 0, "procedure")->s, "Thủ tục ký duyệt");
	assert_string_equal(cell(s, 0, "code")->s,
	                    fx_text(f, "SELECT code FROM dossier WHERE id = $1", w.k));
	/* H: in progress, late from its legal due despite the extension; holder; reason */
	assert_string_equal(cell(s, 1, "status")->s, "Đang giải quyết, quá hạn");
	assert_int_equal(cell(s, 1, "due_at")->n, fx_time("2025-08-27T17:00"));
	assert_false(cell(s, 1, "resolved_at")->set);
	assert_string_equal(cell(s, 1, "officer")->s, "Specialist B2");
	assert_string_equal(cell(s, 1, "step")->s, "Xử lý");
	assert_string_equal(cell(s, 1, "reason")->s, "Chờ ý kiến");
	assert_int_equal(cell(s, 1, "delay")->n, 10 * 3600);
	/* B: late by 1 h, no step of its own, completed by Specialist B1 */
	assert_int_equal(cell(s, 2, "delay")->n, 3600);
	assert_string_equal(cell(s, 2, "officer")->s, "Specialist B1");
	assert_false(cell(s, 2, "step")->set);
	/* X: the extension's reason; late by 3 h */
	assert_int_equal(cell(s, 3, "delay")->n, 3 * 3600);
	assert_string_equal(cell(s, 3, "reason")->s, "Cần xác minh");
	assert_int_equal(cell(s, 3, "due_at")->n, fx_time("2025-08-27T17:00"));
	/* E: never taken: no officer; SO-TP; 1 h */
	assert_int_equal(cell(s, 4, "delay")->n, 3600);
	assert_false(cell(s, 4, "officer")->set);
	assert_string_equal(cell(s, 4, "agency")->s, "Sở Tư pháp");
	assert_false(s->has_total);
	/* the read is audited */
	assert_int_equal(fx_count(f, "audit"), audits + 1);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM audit WHERE action = $1", "reports.late"),
	                 1);
	/* the JSON names applicants and officers but holds no ID number, address or phone */
	json_t *j = report_json(&r, ERR_LANG_VI);
	char *text = json_dumps(j, JSON_COMPACT);
	assert_non_null(strstr(text, "\"delay\":36000"));
	assert_non_null(strstr(text, "\"due_at\":\"2025-08-25T17:00:00+07:00\""));
	assert_non_null(strstr(text, "\"resolved_at\":null"));
	assert_non_null(strstr(text, "\"total_rows\":5"));
	assert_null(strstr(text, FX_AN_ID));
	const char *addr = fx_text(f, "SELECT applicant_address FROM dossier WHERE id = $1", w.k);
	assert_true(addr[0] == '\0' || strstr(text, addr) == NULL);
	free(text);
	json_decref(j);
	report_release(&r);

	/* a page: 2 rows from the second; the total stays */
	q.limit = 2;
	q.offset = 1;
	assert_rc(reports_late(&f->svc, &leader, &q, &r, &e), ERR_OK);
	assert_int_equal(r.total_rows, 5);
	assert_int_equal(r.sections[0].nrows, 2);
	assert_string_equal(r.sections[0].rows[0].id, w.h);
	assert_string_equal(r.sections[0].rows[1].id, w.b);
	report_release(&r);
}

/*
 * A period that ended: stocks at its end (28/8 00:00). Resolved late in it:
 * K. In progress and late at its end: H, and B and X (resolved later, but
 * open then, due 27/8 17:00); no working time passed from 17:00 to
 * midnight, so their delay is 0. E was due only on 29/8.
 */
static void test_late_list_history(void **state)
{
	struct fx *f = *state;
	struct world w;
	make_world(f, &w);
	struct actor sys;
	service_system_actor(&sys, "test");
	struct report r;
	struct err e = {0};
	struct report_query q = period("2025-08-01", "2025-08-27");
	assert_rc(reports_late(&f->svc, &sys, &q, &r, &e), ERR_OK);
	assert_int_equal(r.as_of, fx_time("2025-08-28T00:00"));
	const struct report_section *s = &r.sections[0];
	assert_int_equal(s->nrows, 4);
	const char *order[] = {w.k, w.h, w.b, w.x};
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(s->rows[i].id, order[i]);
	assert_string_equal(cell(s, 2, "status")->s, "Đang giải quyết, quá hạn");
	assert_int_equal(cell(s, 2, "delay")->n, 0);
	assert_string_equal(cell(s, 2, "officer")->s, "Specialist B1"); /* held then */
	assert_string_equal(cell(s, 3, "reason")->s, "Cần xác minh");   /* extended before */
	assert_false(cell(s, 3, "officer")->set);                       /* not taken yet */
	report_release(&r);
	/* one day, 26/8: K was due 25/8 17:00 and still open at the end of 26/8, late by the
	 * whole working day of 26/8; H was not due before 27/8 */
	q = period("2025-08-26", "2025-08-26");
	assert_rc(reports_late(&f->svc, &sys, &q, &r, &e), ERR_OK);
	assert_int_equal(r.sections[0].nrows, 1);
	assert_string_equal(r.sections[0].rows[0].id, w.k);
	assert_int_equal(cell(&r.sections[0], 0, "delay")->n, 8 * 3600);
	report_release(&r);
	/* July: nothing late */
	q = period("2025-07-01", "2025-07-31");
	assert_rc(reports_late(&f->svc, &sys, &q, &r, &e), ERR_OK);
	assert_int_equal(r.total_rows, 0);
	assert_int_equal(r.sections[0].nrows, 0);
	report_release(&r);
}

static void test_satisfaction(void **state)
{
	struct fx *f = *state;
	struct world w;
	make_world(f, &w);
	struct actor leader;
	FX_LEADER(&leader);
	struct report r;
	struct err e = {0};
	struct report_query q = period("2025-08-01", "2025-08-29");
	int64_t audits = fx_count(f, "audit");
	assert_rc(reports_satisfaction(&f->svc, &leader, &q, &r, &e), ERR_OK);
	assert_int_equal(fx_count(f, "audit"), audits); /* no personal data: not audited */
	assert_int_equal(r.nsections, 2);
	/* by agency: SO-TP (E's complaint) and UBND-00070, by code */
	const struct report_section *s = &r.sections[0];
	assert_string_equal(s->key, "agency");
	assert_int_equal(s->nrows, 2);
	assert_string_equal(cell(s, 0, "code")->s, "SO-TP");
	assert_string_equal(cell(s, 0, "name")->s, "Sở Tư pháp");
	assert_int_equal(cell(s, 0, "rated")->n, 0);
	assert_int_equal(cell(s, 0, "complaints")->n, 1);
	assert_int_equal(cell(s, 0, "resolved")->n, 0);
	assert_false(cell(s, 0, "satisfaction_766")->set); /* no dossier within competence */
	assert_false(cell(s, 0, "satisfied_share")->set);
	/* UBND-00070: ratings A satisfied, C dissatisfied; A's complaint; resolved K A B X C;
	 * unsatisfied C (dissatisfied) and A (complaint): 766 = (5 - 2) / 5 */
	assert_string_equal(cell(s, 1, "code")->s, "UBND-00070");
	assert_int_equal(cell(s, 1, "rated")->n, 2);
	assert_int_equal(cell(s, 1, "very_satisfied")->n, 0);
	assert_int_equal(cell(s, 1, "satisfied")->n, 1);
	assert_int_equal(cell(s, 1, "neutral")->n, 0);
	assert_int_equal(cell(s, 1, "dissatisfied")->n, 1);
	assert_int_equal(cell(s, 1, "complaints")->n, 1);
	assert_int_equal(cell(s, 1, "resolved")->n, 5);
	assert_int_equal(cell(s, 1, "unsatisfied")->n, 2);
	assert_true(fabs(cell(s, 1, "satisfaction_766")->x - 0.6) < 1e-12);
	assert_true(fabs(cell(s, 1, "satisfied_share")->x - 0.5) < 1e-12);
	/* group sums equal the totals, column by column */
	for (size_t k = 0; k < r.nsections; k++) {
		const struct report_section *t = &r.sections[k];
		assert_true(t->has_total);
		for (size_t c = 0; c < t->ncols; c++) {
			if (t->cols[c].kind != REPORT_INTEGER)
				continue;
			int64_t sum = 0;
			for (size_t i = 0; i < t->nrows; i++)
				sum += t->rows[i].cells[c].n;
			assert_int_equal(sum, t->total.cells[c].n);
		}
	}
	assert_int_equal(s->total.cells[col(s, "complaints")].n, 2);
	assert_true(fabs(s->total.cells[col(s, "satisfaction_766")].x - 0.6) < 1e-12);
	assert_string_equal(s->total.cells[0].s, "Tổng cộng");
	/* by branch: everything was received at CN-A */
	s = &r.sections[1];
	assert_int_equal(s->nrows, 1);
	assert_string_equal(cell(s, 0, "code")->s, "CN-A");
	assert_string_equal(cell(s, 0, "name")->s_en, "Branch A");
	assert_int_equal(cell(s, 0, "complaints")->n, 2);
	assert_int_equal(cell(s, 0, "resolved")->n, 5);
	report_release(&r);
	/* before C's rating and the complaints (period ending 28/8): A alone is rated, K A B X C
	 * resolved, none unsatisfied yet: 766 = 100 % */
	q = period("2025-08-01", "2025-08-28");
	assert_rc(reports_satisfaction(&f->svc, &leader, &q, &r, &e), ERR_OK);
	s = &r.sections[0];
	assert_int_equal(s->nrows, 1);
	assert_int_equal(cell(s, 0, "rated")->n, 1);
	assert_int_equal(cell(s, 0, "unsatisfied")->n, 0);
	assert_true(fabs(cell(s, 0, "satisfaction_766")->x - 1.0) < 1e-12);
	report_release(&r);
	/* July: D's very satisfied rating (its agency), nothing resolved */
	q = period("2025-07-01", "2025-07-31");
	assert_rc(reports_satisfaction(&f->svc, &leader, &q, &r, &e), ERR_OK);
	s = &r.sections[0];
	assert_int_equal(s->nrows, 1);
	assert_int_equal(cell(s, 0, "very_satisfied")->n, 1);
	assert_true(fabs(cell(s, 0, "satisfied_share")->x - 1.0) < 1e-12);
	report_release(&r);
}

static void test_access_and_periods(void **state)
{
	struct fx *f = *state;
	struct actor who;
	struct report r;
	struct err e = {0};
	struct report_query q = period("2025-08-01", "2025-08-29");
	fx_at(f, "2025-08-29T10:00");
	/* officers, specialists and citizens may not read the reports */
	FX_OFF_A(&who);
	for (int t = 0; t < REPORT_N_TYPES; t++) {
		assert_rc(reports_build(&f->svc, &who, (enum report_type)t, &q, &r, &e),
		          ERR_FORBIDDEN);
		report_release(&r);
	}
	FX_SPEC_B1(&who);
	assert_rc(reports_late(&f->svc, &who, &q, &r, &e), ERR_FORBIDDEN);
	report_release(&r);
	fx_citizen(&who, "cit-an");
	assert_rc(reports_satisfaction(&f->svc, &who, &q, &r, &e), ERR_FORBIDDEN);
	report_release(&r);
	/* supervisors and admins may */
	fx_staff(&who, "leader", ROLE_SUPERVISOR, NULL);
	assert_rc(reports_satisfaction(&f->svc, &who, &q, &r, &e), ERR_OK);
	report_release(&r);
	fx_staff(&who, "leader", ROLE_ADMIN, NULL);
	assert_rc(reports_late(&f->svc, &who, &q, &r, &e), ERR_OK);
	report_release(&r);
	/* periods: reversed, too long (366 days is the most), bad pages */
	FX_LEADER(&who);
	q = period("2025-08-29", "2025-08-01");
	assert_rc(reports_late(&f->svc, &who, &q, &r, &e), ERR_INVALID_DATE);
	report_release(&r);
	q = period("2024-01-01", "2024-12-31"); /* a leap year: 366 days */
	assert_rc(reports_satisfaction(&f->svc, &who, &q, &r, &e), ERR_OK);
	report_release(&r);
	q = period("2024-01-01", "2025-01-01");
	assert_rc(reports_satisfaction(&f->svc, &who, &q, &r, &e), ERR_OUT_OF_RANGE);
	report_release(&r);
	q = period("2025-08-01", "2025-08-29");
	q.limit = REPORTS_PAGE_MAX + 1;
	assert_rc(reports_late(&f->svc, &who, &q, &r, &e), ERR_OUT_OF_RANGE);
	report_release(&r);
	q.limit = 0;
	q.offset = -1;
	assert_rc(reports_late(&f->svc, &who, &q, &r, &e), ERR_OUT_OF_RANGE);
	report_release(&r);
	assert_rc(reports_build(&f->svc, &who, REPORT_N_TYPES, &q, &r, &e), ERR_INVALID_ARGUMENT);
	report_release(&r);
}

/* reports_query_parse: the defaults (the month of to, up to today) and bad dates. */
static void test_query_parse(void **state)
{
	(void)state;
	struct report_query q;
	struct err e = {0};
	int64_t now = fx_time("2025-08-29T10:00");
	assert_rc(reports_query_parse(NULL, NULL, now, &q, &e), ERR_OK);
	assert_int_equal(q.from_day, fx_day("2025-08-01"));
	assert_int_equal(q.to_day, fx_day("2025-08-29"));
	assert_rc(reports_query_parse(NULL, "2025-02-10", now, &q, &e), ERR_OK);
	assert_int_equal(q.from_day, fx_day("2025-02-01"));
	assert_int_equal(q.to_day, fx_day("2025-02-10"));
	assert_rc(reports_query_parse("2025-08-15", NULL, now, &q, &e), ERR_OK);
	assert_int_equal(q.from_day, fx_day("2025-08-15"));
	/* 00:30 on 1/9 in Vietnam is still 31/8 in UTC: the default month is September */
	assert_rc(reports_query_parse(NULL, NULL, fx_time("2025-09-01T00:30"), &q, &e), ERR_OK);
	assert_int_equal(q.from_day, fx_day("2025-09-01"));
	assert_rc(reports_query_parse("2025-02-30", NULL, now, &q, &e), ERR_INVALID_DATE);
	assert_rc(reports_query_parse("", NULL, now, &q, &e), ERR_INVALID_DATE);
	assert_rc(reports_query_parse(NULL, "29/08/2025", now, &q, &e), ERR_INVALID_DATE);
	assert_rc(reports_query_parse("2025-09-01", "2025-08-31", now, &q, &e), ERR_INVALID_DATE);
	assert_rc(reports_query_parse("2024-08-28", "2025-08-29", now, &q, &e), ERR_OUT_OF_RANGE);
	assert_rc(reports_query_parse("2024-08-29", "2025-08-29", now, &q, &e), ERR_OK);
	enum report_type t;
	assert_rc(reports_type_from_name("late", &t, &e), ERR_OK);
	assert_int_equal(t, REPORT_LATE);
	assert_rc(reports_type_from_name("LATE", &t, &e), ERR_INVALID_ARGUMENT);
	assert_rc(reports_type_from_name(NULL, &t, &e), ERR_INVALID_ARGUMENT);
}

/* The generic table: texts by language, empty cells, JSON shapes, file names. */
static void test_table(void **state)
{
	(void)state;
	static const struct report_column cols[] = {
	        {"t", "Chữ", "Text", REPORT_TEXT, 10},
	        {"p", "Tỷ lệ", "Rate", REPORT_PERCENT, 10},
	        {"d", "Trễ", "Delay", REPORT_DURATION, 10},
	};
	struct report r;
	report_init(&r, REPORT_SATISFACTION);
	r.from_day = fx_day("2025-08-01");
	r.to_day = fx_day("2025-08-31");
	struct report_section *s = report_section_add(&r, "s", "Phần", "Part", cols, 3);
	struct report_row *row = report_row_add(s, NULL);
	assert_int_equal(report_set_text(row, 0, "Hà Nội", "Hanoi"), 0);
	report_set_pct(row, 1, 2.0 / 3.0);
	assert_string_equal(report_cell_text(&row->cells[0], ERR_LANG_EN), "Hanoi");
	assert_string_equal(report_cell_text(&row->cells[0], ERR_LANG_VI), "Hà Nội");
	assert_string_equal(report_cell_text(&row->cells[2], ERR_LANG_VI), "");
	/* the same English text is not stored twice */
	assert_int_equal(report_set_text(row, 0, "Huế", "Huế"), 0);
	assert_null(row->cells[0].s_en);
	json_t *j = report_json(&r, ERR_LANG_EN);
	/* as the API and the command line print it (http/response.c, cli/cli_util.c) */
	char *text = json_dumps(j, JSON_PRESERVE_ORDER | JSON_COMPACT | JSON_REAL_PRECISION(15));
	assert_non_null(strstr(text, "\"report\":\"satisfaction\""));
	assert_non_null(strstr(text, "\"title\":\"Satisfaction report\""));
	assert_non_null(strstr(text, "{\"key\":\"p\",\"header\":\"Rate\",\"kind\":\"percent\"}"));
	assert_non_null(strstr(text, "\"rows\":[{\"t\":\"Huế\",\"p\":0.6667,\"d\":null}]"));
	assert_non_null(strstr(text, "\"total\":null"));
	assert_null(strstr(text, "total_rows")); /* only for the late list */
	free(text);
	json_decref(j);
	char name[REPORTS_FILENAME_SIZE];
	report_filename(&r, "xlsx", name);
	assert_string_equal(name, "report-satisfaction-2025-08-01-2025-08-31.xlsx");
	report_release(&r);
	report_release(&r); /* twice is harmless */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_late_list, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_late_list_history, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_satisfaction, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_access_and_periods, fx_setup, fx_teardown),
	        cmocka_unit_test(test_query_parse),
	        cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
