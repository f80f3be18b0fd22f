/*
 * Unit tests for service/action: whole lives of dossiers driven by the
 * lifecycle table, the legal clock (supplement pause in both modes, fees,
 * extension), steps, scope, optimistic concurrency and "nothing changed".
 *
 * Calendar facts used for expected deadlines (data/holidays.csv):
 *   Wed 2025-08-27; Sat 30 and Sun 31 August; Mon 1 and Tue 2 September 2025
 *   are days off (National Day); office hours 08:00-12:00, 13:00-17:00.
 *   T.SIGN (3 working days) received Wed 27/8 09:00 is due Wed 3/9 17:00 and
 *   its legal span is 31 working hours (Wed 7 + Thu 8 + Fri 8 + Wed 8);
 *   T.CONT (5 working days) received at the same instant is due Fri 5/9 17:00,
 *   span 47 hours. Step budgets are share_pct of the span (docs/lifecycle.md);
 *   each expected instant below is worked out in its comment.
 * Timeliness (docs/calendar.md): late after the due instant; early when
 * finished on a calendar day before the due's day; otherwise on time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>

#include "service/lookup.h"
#include "world_fixture.h"

static int64_t col_of(struct fx *f, const char *col, const char *id)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT %s FROM dossier WHERE id = $1", col);
	return fx_int(f, sql, id);
}

static const char *text_of(struct fx *f, const char *col, const char *id)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT %s FROM dossier WHERE id = $1", col);
	return fx_text(f, sql, id);
}

/* The step result recorded by the dossier's event of this version. */
static const char *event_field(struct fx *f, const char *id, int64_t version, const char *col)
{
	char sql[160];
	snprintf(sql, sizeof sql,
	         "SELECT %s FROM dossier_event WHERE dossier_id = $1 AND version = %lld", col,
	         (long long)version);
	return fx_text(f, sql, id);
}

/* Performs an action at the dossier's current version. */
static enum err_code act(struct fx *f, const struct actor *a, const char *id, const char *action,
                         const struct action_params *p, struct action_result *out, struct err *e)
{
	return action_perform(&f->svc, a, id, action, fx_version(f, id), p, out, e);
}

/* Received at A, processed by commune B with sign-off, returned at branch C, rated. */
static void test_whole_life(void **state)
{
	struct fx *f = *state;
	struct actor offa, offc, spec, appr, cit, other;
	FX_OFF_A(&offa);
	FX_OFF_C(&offc);
	FX_SPEC_B1(&spec);
	FX_APPR_B(&appr);
	fx_citizen(&cit, "cit-an");
	FX_SPEC_B2X(&other);
	char id[DBD_ID_SIZE];
	struct action_result r;
	struct action_params p;
	struct err e = {0};
	fx_receive_now(f, "T.SIGN", "CN-C", "cit-an", id);
	assert_string_equal(text_of(f, "competent_unit", id), "UBND-00070");

	/* Wed 27/8 11:00 the commune takes it: the reception step (due 13:06) ends on time;
	 * the processing step gets 60% of 31 h = 18 h 36 min: Wed 11-12, 13-17 (5 h), Thu 8 h,
	 * Fri 08-12 and 13:00-14:36 -> Fri 29/8 14:36 */
	fx_at(f, "2025-08-27T11:00");
	assert_rc(act(f, &spec, id, "take", NULL, &r, &e), ERR_OK);
	assert_string_equal(r.state, "processing");
	assert_int_equal(r.portal_code, 4);
	assert_string_equal(r.step_result, "on_time");
	assert_string_equal(text_of(f, "holder_account", id), "spec-b1");
	assert_int_equal(col_of(f, "step_seq", id), 2);
	assert_int_equal(col_of(f, "step_due_at", id), fx_time("2025-08-29T14:36"));

	/* Thu 28/8 10:00 draft to the head: step 2 early (a day before its due); the sign-off
	 * step gets 20% = 6 h 12 min: Thu 10-12, 13-17 (6 h), Fri 08:00-08:12 */
	fx_at(f, "2025-08-28T10:00");
	action_params_init(&p);
	assert_rc(act(f, &spec, id, "complete", NULL, &r, &e),
	          ERR_GUARD_FAILED); /* needs sign-off */
	assert_rc(act(f, &spec, id, "submit_signoff", NULL, &r, &e), ERR_OK);
	assert_string_equal(r.step_result, "early");
	assert_int_equal(col_of(f, "step_due_at", id), fx_time("2025-08-29T08:12"));
	/* only the head signs */
	assert_rc(act(f, &spec, id, "sign_off", NULL, &r, &e), ERR_FORBIDDEN);

	/* Thu 15:00 signed: result ready, outcome granted; the return step gets 10% = 3 h 06:
	 * Thu 15-17, Fri 08:00-09:06 */
	fx_at(f, "2025-08-28T15:00");
	assert_rc(act(f, &appr, id, "sign_off", NULL, &r, &e), ERR_OK);
	assert_string_equal(r.state, "result_ready");
	assert_int_equal(r.portal_code, 9);
	assert_string_equal(r.step_result, "early");
	assert_string_equal(text_of(f, "outcome", id), "granted");
	assert_int_equal(col_of(f, "resolved_at", id), fx_time("2025-08-28T15:00"));
	assert_int_equal(col_of(f, "step_seq", id), 4);
	assert_int_equal(col_of(f, "step_due_at", id), fx_time("2025-08-29T09:06"));

	/* the result travels to branch C */
	fx_at(f, "2025-08-28T15:30");
	assert_rc(act(f, &appr, id, "send_result", NULL, &r, &e), ERR_OK);
	assert_string_equal(r.state, "result_in_transit");
	assert_string_equal(text_of(f, "custody", id), "courier");
	assert_string_equal(event_field(f, id, r.version, "to_unit"), "CN-C");
	/* branch A is not the branch of collection: the table's guard says so */
	fx_at(f, "2025-08-29T08:30");
	assert_rc(act(f, &offa, id, "receive_result", NULL, &r, &e), ERR_GUARD_FAILED);
	assert_rc(act(f, &offc, id, "receive_result", NULL, &r, &e), ERR_OK);
	assert_string_equal(r.state, "result_at_branch");
	assert_string_equal(text_of(f, "custody", id), "CN-C");

	/* the collector's identity is checked */
	fx_at(f, "2025-08-29T08:45");
	action_params_init(&p);
	assert_rc(act(f, &offc, id, "deliver", &p, &r, &e), ERR_MISSING_ARGUMENT);
	p.collector_id_number = FX_BINH_ID;
	assert_rc(act(f, &offc, id, "deliver", &p, &r, &e), ERR_GUARD_FAILED);
	p.collector_id_number = FX_AN_ID;
	assert_rc(act(f, &offc, id, "deliver", &p, &r, &e), ERR_OK);
	assert_string_equal(r.state, "delivered");
	assert_int_equal(r.portal_code, 10);
	assert_string_equal(r.step_result, "on_time"); /* due Fri 09:06, done Fri 08:45 */
	assert_int_equal(col_of(f, "delivered_at", id), fx_time("2025-08-29T08:45"));

	/* the applicant rates once, and may complain */
	action_params_init(&p);
	p.rating = "very_satisfied";
	p.comment = "Nhanh";
	assert_rc(act(f, &offc, id, "rate", &p, &r, &e), ERR_FORBIDDEN);
	assert_rc(act(f, &cit, id, "rate", &p, &r, &e), ERR_OK);
	assert_rc(act(f, &cit, id, "rate", &p, &r, &e), ERR_GUARD_FAILED);
	p.rating = "meh";
	assert_rc(act(f, &cit, id, "rate", &p, &r, &e), ERR_INVALID_ARGUMENT);
	action_params_init(&p);
	p.complaint = "Thái độ chưa tốt";
	assert_rc(act(f, &cit, id, "complain", &p, &r, &e), ERR_OK);
	assert_int_equal(fx_count(f, "dossier_rating"), 1);
	assert_int_equal(fx_count(f, "dossier_complaint"), 1);

	/* receive + 8 actions: 9 events, 9 outbox rows, the last three with portal code 10 */
	assert_int_equal(fx_version(f, id), 9);
	assert_int_equal(fx_count(f, "dossier_event"), 9);
	assert_int_equal(fx_count(f, "outbox"), 9);
	assert_int_equal(
	        fx_int(f, "SELECT count(*) FROM outbox WHERE payload LIKE $1", "%\"status\":10%"),
	        3); /* delivered, rated, complained */
	assert_int_equal(
	        fx_int(f, "SELECT count(*) FROM audit WHERE object = 'dossier:' || $1", id), 9);
	/* another commune's staff cannot see it */
	struct lookup_view v;
	assert_rc(lookup_dossier(&f->svc, &other, id, &v, &e), ERR_FORBIDDEN);
	assert_rc(lookup_dossier(&f->svc, &spec, id, &v, &e), ERR_OK);
	assert_int_equal(v.events.count, 9);
	assert_string_equal(v.events.items[1].actor_account, "spec-b1");
	lookup_view_release(&v);
}

/* Supplement over the National Day holiday, restart rule (T.SIGN). */
static void test_supplement_restart(void **state)
{
	struct fx *f = *state;
	struct actor offa, spec, cit;
	FX_OFF_A(&offa);
	FX_SPEC_B1(&spec);
	fx_citizen(&cit, "cit-an");
	char id[DBD_ID_SIZE];
	struct action_result r;
	struct action_params p;
	struct err e = {0};
	fx_receive_now(f, "T.SIGN", NULL, "cit-an", id);
	fx_at(f, "2025-08-27T09:30");
	assert_rc(act(f, &spec, id, "take", NULL, &r, &e), ERR_OK);
	/* Fri 29/8 10:00: the clock stops with Fri 6 h + Wed 3/9 8 h = 14 h left */
	fx_at(f, "2025-08-29T10:00");
	action_params_init(&p);
	assert_rc(act(f, &spec, id, "request_supplement", &p, &r, &e), ERR_MISSING_ARGUMENT);
	p.note = "Bổ sung giấy tờ cư trú";
	static const int missing[] = {3};
	p.components = missing;
	p.n_components = 1;
	assert_rc(act(f, &spec, id, "request_supplement", &p, &r, &e), ERR_OK);
	assert_string_equal(r.state, "supplement_requested");
	assert_int_equal(r.portal_code, 5);
	assert_string_equal(r.form, "supplement");
	assert_int_equal(col_of(f, "paused_at", id), fx_time("2025-08-29T10:00"));
	assert_int_equal(col_of(f, "remaining_at_pause", id), 14 * 3600);
	assert_string_equal(fx_text(f,
	                            "SELECT status FROM dossier_component WHERE dossier_id = $1 "
	                            "AND seq = 3",
	                            id),
	                    "missing");
	/* the specialist cannot record the supplement; the applicant or an officer can */
	fx_at(f, "2025-09-03T09:00");
	assert_rc(act(f, &spec, id, "receive_supplement", NULL, &r, &e), ERR_FORBIDDEN);
	assert_rc(act(f, &offa, id, "receive_supplement", NULL, &r, &e), ERR_OK);
	/* restart: 3 full working days from Wed 3/9 09:00: Thu 4, Fri 5, Mon 8 -> 17:00 */
	assert_string_equal(r.state, "processing");
	assert_int_equal(r.due_at, fx_time("2025-09-08T17:00"));
	assert_int_equal(r.original_due_at, fx_time("2025-09-08T17:00"));
	assert_int_equal(col_of(f, "paused_at", id), INT64_MIN); /* NULL */
	assert_string_equal(fx_text(f,
	                            "SELECT status FROM dossier_component WHERE dossier_id = $1 "
	                            "AND seq = 3",
	                            id),
	                    "supplemented");
	/* the current step restarts with its whole budget: 60% of the span of a reception at
	 * Wed 3/9 09:00 (Wed 7 + Thu 8 + Fri 8 + Mon 8 = 31 h) = 18 h 36 from 09:00: Wed 7 h,
	 * Thu 8 h, Fri 08:00-11:36 */
	assert_int_equal(col_of(f, "step_due_at", id), fx_time("2025-09-05T11:36"));
	/* one supplement request only (max_supplements = 1) */
	p.components = NULL;
	p.n_components = 0;
	assert_rc(act(f, &spec, id, "request_supplement", &p, &r, &e), ERR_GUARD_FAILED);
}

/* Supplement over the holiday, continue rule; fees; refusal after processing (T.CONT). */
static void test_supplement_continue_fees_refuse(void **state)
{
	struct fx *f = *state;
	struct actor spec, cit;
	FX_SPEC_B1(&spec);
	fx_citizen(&cit, "cit-an");
	char id[DBD_ID_SIZE];
	struct action_result r;
	struct action_params p;
	struct err e = {0};
	fx_receive_now(f, "T.CONT", NULL, "cit-an", id);
	/* 5 days: Thu 28, Fri 29, Wed 3, Thu 4, Fri 5 -> Fri 5/9 17:00 */
	assert_int_equal(col_of(f, "due_at", id), fx_time("2025-09-05T17:00"));
	/* take at Wed 10:00: step 2 = 80% of 47 h = 37 h 36 from Wed 10:00: Wed 6 h, Thu 8,
	 * Fri 8, Wed 3/9 8, Thu 4/9 08-12 and 13:00-16:36 */
	fx_at(f, "2025-08-27T10:00");
	assert_rc(act(f, &spec, id, "take", NULL, &r, &e), ERR_OK);
	assert_int_equal(col_of(f, "step_due_at", id), fx_time("2025-09-04T16:36"));
	/* Fri 29/8 10:00 pause: left Fri 6 h + Wed 8 + Thu 8 + Fri 8 = 30 h */
	fx_at(f, "2025-08-29T10:00");
	action_params_init(&p);
	p.note = "Thiếu bản sao";
	assert_rc(act(f, &spec, id, "request_supplement", &p, &r, &e), ERR_OK);
	assert_int_equal(col_of(f, "remaining_at_pause", id), 30 * 3600);
	/* Wed 3/9 09:00 the applicant supplies online: 30 h from Wed 09:00: Wed 7, Thu 8,
	 * Fri 8, Mon 8/9 08-12 and 13:00-16:00 */
	fx_at(f, "2025-09-03T09:00");
	assert_rc(act(f, &cit, id, "receive_supplement", NULL, &r, &e), ERR_OK);
	assert_int_equal(r.due_at, fx_time("2025-09-08T16:00"));
	/* the step continues too: 21 h 36 left at the pause (Fri 6, Wed 8, Thu 7 h 36) run from
	 * Wed 09:00: Wed 7, Thu 8, Fri 5/9 08-12 and 13:00-15:36 */
	assert_int_equal(col_of(f, "step_due_at", id), fx_time("2025-09-05T15:36"));
	/* fees pause the clock too (always continue) */
	fx_at(f, "2025-09-03T10:00");
	assert_rc(act(f, &spec, id, "request_fee", NULL, &r, &e), ERR_OK);
	assert_string_equal(r.state, "fees_due");
	assert_int_equal(r.portal_code, 6);
	assert_int_equal(col_of(f, "fee_vnd", id), 50000);
	/* paid on Thu 4/9 10:00: 29 h left (Wed 6, Thu 8, Fri 8, Mon 7) from Thu 10:00: Thu 6,
	 * Fri 8, Mon 8, Tue 9/9 08-12 and 13:00-16:00 */
	fx_at(f, "2025-09-04T10:00");
	action_params_init(&p);
	p.payment_channel = "cash";
	assert_rc(act(f, &cit, id, "record_payment", &p, &r, &e), ERR_INVALID_ARGUMENT);
	assert_rc(act(f, &cit, id, "record_payment", NULL, &r, &e), ERR_OK);
	assert_int_equal(r.due_at, fx_time("2025-09-09T16:00"));
	assert_string_equal(text_of(f, "paid_channel", id), "online");
	/* the step moved the same way: 20 h 36 left at Wed 10:00 (Wed 6, Thu 8, Fri 6 h 36) run
	 * from Thu 10:00: Thu 6, Fri 8, Mon 8/9 08-12 and 13:00-15:36 */
	assert_int_equal(col_of(f, "step_due_at", id), fx_time("2025-09-08T15:36"));
	/* refusal after processing needs its reason; ends in result_ready, outcome refused */
	fx_at(f, "2025-09-05T10:00");
	assert_rc(act(f, &spec, id, "refuse", NULL, &r, &e), ERR_MISSING_ARGUMENT);
	action_params_init(&p);
	p.note = "Không đủ điều kiện";
	assert_rc(act(f, &spec, id, "refuse", &p, &r, &e), ERR_OK);
	assert_string_equal(r.state, "result_ready");
	assert_string_equal(text_of(f, "outcome", id), "refused");
	assert_string_equal(r.step_result, "early"); /* step due Mon 8/9 15:36, done Fri 5/9 */
	/* two supplement requests allowed for T.CONT, but not after the result */
	assert_rc(act(f, &spec, id, "request_supplement", &p, &r, &e), ERR_ACTION_NOT_ALLOWED);
}

/* A late dossier: apology and new appointment, counted once, stays late. */
static void test_late_extension(void **state)
{
	struct fx *f = *state;
	struct actor spec, appr, offa;
	FX_SPEC_B1(&spec);
	FX_APPR_B(&appr);
	FX_OFF_A(&offa);
	char id[DBD_ID_SIZE];
	struct action_result r;
	struct action_params p;
	struct err e = {0};
	fx_receive_now(f, "T.SIGN", NULL, "cit-an", id);
	fx_at(f, "2025-08-27T10:00");
	assert_rc(act(f, &spec, id, "take", NULL, &r, &e), ERR_OK);
	/* Wed 3/9 16:00, one hour before the appointment */
	fx_at(f, "2025-09-03T16:00");
	action_params_init(&p);
	p.new_due = fx_time("2025-09-05T17:00");
	assert_rc(act(f, &spec, id, "extend", &p, &r, &e), ERR_MISSING_ARGUMENT);
	p.note = "Cần xác minh thêm";
	p.new_due = fx_time("2025-09-03T12:00");
	assert_rc(act(f, &spec, id, "extend", &p, &r, &e), ERR_INVALID_ARGUMENT);
	p.new_due = fx_time("2025-09-05T17:00");
	assert_rc(act(f, &offa, id, "extend", &p, &r, &e), ERR_FORBIDDEN);
	assert_rc(act(f, &spec, id, "extend", &p, &r, &e), ERR_OK);
	assert_string_equal(r.form, "apology");
	assert_int_equal(r.due_at, fx_time("2025-09-05T17:00"));
	assert_int_equal(r.original_due_at, fx_time("2025-09-03T17:00"));
	assert_int_equal(col_of(f, "extensions_used", id), 1);
	p.new_due = fx_time("2025-09-08T17:00");
	assert_rc(act(f, &spec, id, "extend", &p, &r, &e), ERR_GUARD_FAILED);
	/* Thu 4/9 10:00 to the head: step 2 was due Fri 29/8 13:36 (18 h 36 from Wed 10:00) */
	fx_at(f, "2025-09-04T10:00");
	assert_rc(act(f, &spec, id, "submit_signoff", NULL, &r, &e), ERR_OK);
	assert_string_equal(r.step_result, "late");
	/* sent back for rework, then signed */
	action_params_init(&p);
	assert_rc(act(f, &appr, id, "return_for_rework", &p, &r, &e), ERR_MISSING_ARGUMENT);
	p.note = "Sửa lại";
	assert_rc(act(f, &appr, id, "return_for_rework", &p, &r, &e), ERR_OK);
	assert_string_equal(r.state, "processing");
	assert_int_equal(col_of(f, "step_seq", id), 2);
	assert_rc(act(f, &spec, id, "submit_signoff", NULL, &r, &e), ERR_OK);
	fx_at(f, "2025-09-04T11:00");
	assert_rc(act(f, &appr, id, "sign_off", NULL, &r, &e), ERR_OK);
	/* resolved after the legal appointment: it stays counted as late */
	assert_true(col_of(f, "resolved_at", id) > col_of(f, "original_due_at", id));
	assert_true(col_of(f, "resolved_at", id) < col_of(f, "due_at", id));
}

/* Withdrawal by the applicant (online) and by an officer (counter). */
static void test_withdraw(void **state)
{
	struct fx *f = *state;
	struct actor cit, binh, offa, offc, spec;
	fx_citizen(&cit, "cit-an");
	fx_citizen(&binh, "cit-binh");
	FX_OFF_A(&offa);
	FX_OFF_C(&offc);
	FX_SPEC_B1(&spec);
	struct intake_request q;
	struct intake_result out;
	struct action_result r;
	struct err e = {0};
	fx_an(&q, "T.SIGN");
	q.collection_unit = "CN-C";
	assert_rc(intake_submit(&f->svc, &cit, &q, &out, &e), ERR_OK);
	/* another citizen does not even see it */
	assert_rc(action_perform(&f->svc, &binh, out.id, "withdraw", 1, NULL, &r, &e),
	          ERR_NOT_FOUND);
	assert_rc(action_perform(&f->svc, &cit, out.id, "withdraw", 1, NULL, &r, &e), ERR_OK);
	assert_string_equal(r.state, "withdrawn");
	assert_int_equal(r.portal_code, 7);
	assert_int_equal(col_of(f, "resolved_at", out.id), fx_time("2025-08-27T09:00"));
	/* counter dossier: an officer of the receiving branch, not of another one */
	char id[DBD_ID_SIZE];
	fx_receive_now(f, "T.SIGN", NULL, "cit-an", id);
	assert_rc(act(f, &spec, id, "take", NULL, &r, &e), ERR_OK);
	assert_rc(act(f, &offc, id, "withdraw", NULL, &r, &e), ERR_FORBIDDEN);
	assert_rc(act(f, &offa, id, "withdraw", NULL, &r, &e), ERR_OK);
	assert_string_equal(r.state, "withdrawn");
	assert_rc(act(f, &spec, id, "complete", NULL, &r, &e), ERR_ACTION_NOT_ALLOWED);
}

/* Refusal of an online filing at reception; stop during a supplement. */
static void test_refuse_and_stop(void **state)
{
	struct fx *f = *state;
	struct actor cit, offc, spec, appr;
	fx_citizen(&cit, "cit-an");
	FX_OFF_C(&offc);
	FX_SPEC_B1(&spec);
	FX_APPR_B(&appr);
	struct intake_request q;
	struct intake_result out;
	struct action_result r;
	struct action_params p;
	struct err e = {0};
	fx_an(&q, "T.SIGN");
	q.collection_unit = "CN-C";
	assert_rc(intake_submit(&f->svc, &cit, &q, &out, &e), ERR_OK);
	action_params_init(&p);
	assert_rc(action_perform(&f->svc, &offc, out.id, "refuse_reception", 1, &p, &r, &e),
	          ERR_MISSING_ARGUMENT);
	p.note = "Hồ sơ không hợp lệ";
	assert_rc(action_perform(&f->svc, &offc, out.id, "refuse_reception", 1, &p, &r, &e),
	          ERR_OK);
	assert_string_equal(r.state, "refused_at_reception");
	assert_int_equal(r.portal_code, 3);
	assert_string_equal(r.form, "refusal");
	assert_string_equal(r.code, "");

	char id[DBD_ID_SIZE];
	fx_receive_now(f, "T.SIGN", NULL, "cit-an", id);
	assert_rc(act(f, &spec, id, "take", NULL, &r, &e), ERR_OK);
	p.note = "Bổ sung";
	assert_rc(act(f, &spec, id, "request_supplement", &p, &r, &e), ERR_OK);
	p.note = "Quá hạn bổ sung";
	assert_rc(act(f, &spec, id, "stop", &p, &r, &e), ERR_FORBIDDEN); /* the head stops */
	assert_rc(act(f, &appr, id, "stop", &p, &r, &e), ERR_OK);
	assert_string_equal(r.state, "stopped");
	assert_int_equal(r.portal_code, 8);
	assert_string_equal(r.form, "stop_notice");
	assert_int_equal(col_of(f, "paused_at", id), INT64_MIN);
	assert_true(col_of(f, "resolved_at", id) != INT64_MIN);
}

/* Mis-routed (the officer chose the wrong commune): transfer, then reassignment. */
static void test_misroute_transfer(void **state)
{
	struct fx *f = *state;
	struct actor offa, spec, spec2x, appr2x;
	FX_OFF_A(&offa);
	FX_SPEC_B1(&spec);
	FX_SPEC_B2X(&spec2x);
	fx_staff(&appr2x, "appr-b2x", ROLE_APPROVER, "UBND-00008");
	struct intake_request q;
	struct intake_result out;
	struct action_result r;
	struct action_params p;
	struct err e = {0};
	intake_request_init(&q);
	q.procedure_code = "T.SIGN";
	q.applicant_name = FX_CUONG_NAME;
	q.id_number = FX_CUONG_ID;
	q.birth_day = fx_day(FX_CUONG_BIRTH);
	q.competent_unit = "UBND-00070";
	fx_components(&q, 3, false);
	assert_rc(intake_receive(&f->svc, &offa, &q, &out, &e), ERR_OK);
	const char *id = out.id;
	assert_rc(act(f, &spec, id, "take", NULL, &r, &e), ERR_OK);
	action_params_init(&p);
	p.to_unit = "UBND-00008";
	assert_rc(act(f, &spec, id, "transfer", &p, &r, &e), ERR_MISSING_ARGUMENT);
	p.note = "Người dân cư trú tại phường Ngọc Hà";
	p.to_unit = "CN-C";
	assert_rc(act(f, &spec, id, "transfer", &p, &r, &e), ERR_INVALID_ARGUMENT);
	p.to_unit = "UBND-00070";
	assert_rc(act(f, &spec, id, "transfer", &p, &r, &e), ERR_INVALID_ARGUMENT);
	p.to_unit = "UBND-00008";
	assert_rc(act(f, &spec, id, "transfer", &p, &r, &e), ERR_OK);
	assert_string_equal(r.state, "received");
	assert_string_equal(text_of(f, "competent_unit", id), "UBND-00008");
	assert_string_equal(text_of(f, "competent_chosen_by", id), "spec-b1");
	assert_string_equal(text_of(f, "holder_account", id), "");
	assert_string_equal(event_field(f, id, r.version, "to_unit"), "UBND-00008");
	/* the first commune has lost it; the second takes it */
	assert_rc(act(f, &spec, id, "take", NULL, &r, &e), ERR_FORBIDDEN);
	assert_rc(act(f, &spec2x, id, "take", NULL, &r, &e), ERR_OK);
	/* reassignment inside the agency only */
	action_params_init(&p);
	p.to_account = "spec-b1";
	assert_rc(act(f, &spec2x, id, "reassign", &p, &r, &e), ERR_INVALID_ARGUMENT);
	p.to_account = "spec-b2x";
	assert_rc(act(f, &spec2x, id, "reassign", &p, &r, &e), ERR_INVALID_ARGUMENT);
	p.to_account = "appr-b2x";
	assert_rc(act(f, &spec2x, id, "reassign", &p, &r, &e), ERR_OK);
	assert_string_equal(text_of(f, "holder_account", id), "appr-b2x");
	assert_string_equal(event_field(f, id, r.version, "to_account"), "appr-b2x");
}

/* ---- two officers racing on one dossier ---- */

struct race_arg {
	struct fx *f;
	const char *id;
	struct actor actor;
	pthread_barrier_t *start;
	enum err_code rc;
};

static void *race_thread(void *p)
{
	struct race_arg *a = p;
	struct action_result r;
	struct err e = {0};
	pthread_barrier_wait(a->start);
	a->rc = action_perform(&a->f->svc, &a->actor, a->id, "take", 1, NULL, &r, &e);
	db_thread_conn_close(a->f->db);
	return NULL;
}

static void test_race(void **state)
{
	struct fx *f = *state;
	char id[DBD_ID_SIZE];
	fx_receive_now(f, "T.SIGN", NULL, "cit-an", id);
	for (int round = 0; round < 5; round++) {
		if (round) {
			fx_receive_now(f, "T.SIGN", NULL, "cit-an", id);
		}
		pthread_barrier_t start;
		pthread_barrier_init(&start, NULL, 2);
		struct race_arg a[2] = {{.f = f, .id = id, .start = &start},
		                        {.f = f, .id = id, .start = &start}};
		FX_SPEC_B1(&a[0].actor);
		FX_SPEC_B2(&a[1].actor);
		pthread_t th[2];
		for (int i = 0; i < 2; i++)
			assert_int_equal(pthread_create(&th[i], NULL, race_thread, &a[i]), 0);
		for (int i = 0; i < 2; i++)
			pthread_join(th[i], NULL);
		pthread_barrier_destroy(&start);
		/* exactly one wins; the other is told the dossier changed */
		assert_true((a[0].rc == ERR_OK) != (a[1].rc == ERR_OK));
		assert_int_equal(a[0].rc == ERR_OK ? a[1].rc : a[0].rc, ERR_VERSION_CONFLICT);
		assert_int_equal(fx_version(f, id), 2);
		assert_int_equal(
		        fx_int(f, "SELECT count(*) FROM dossier_event WHERE dossier_id = $1", id),
		        2);
		const char *holder = text_of(f, "holder_account", id);
		assert_string_equal(holder, a[0].rc == ERR_OK ? "spec-b1" : "spec-b2");
	}
}

/* Wrong role, another agency, stale version, wrong state: errors, and nothing changes. */
static void test_forbidden_nothing_changed(void **state)
{
	struct fx *f = *state;
	struct actor offa, other, leader, binh, spec;
	FX_OFF_A(&offa);
	FX_SPEC_B2X(&other);
	FX_LEADER(&leader);
	fx_citizen(&binh, "cit-binh");
	FX_SPEC_B1(&spec);
	char id[DBD_ID_SIZE];
	struct action_result r;
	struct action_params p;
	struct err e = {0};
	fx_receive_now(f, "T.SIGN", NULL, "cit-an", id);
	struct fx_counts before, after;
	fx_counts(f, &before);
	assert_rc(action_perform(&f->svc, &other, id, "take", 1, NULL, &r, &e), ERR_FORBIDDEN);
	assert_rc(action_perform(&f->svc, &offa, id, "take", 1, NULL, &r, &e), ERR_FORBIDDEN);
	assert_rc(action_perform(&f->svc, &leader, id, "take", 1, NULL, &r, &e), ERR_FORBIDDEN);
	assert_rc(action_perform(&f->svc, &binh, id, "withdraw", 1, NULL, &r, &e), ERR_NOT_FOUND);
	assert_rc(action_perform(&f->svc, &spec, id, "take", 2, NULL, &r, &e),
	          ERR_VERSION_CONFLICT);
	assert_rc(action_perform(&f->svc, &spec, id, "take", 0, NULL, &r, &e),
	          ERR_MISSING_ARGUMENT);
	assert_rc(action_perform(&f->svc, &spec, id, "fly", 1, NULL, &r, &e), ERR_UNKNOWN_ACTION);
	assert_rc(action_perform(&f->svc, &spec, id, "receive", 1, NULL, &r, &e),
	          ERR_ACTION_NOT_ALLOWED);
	assert_rc(action_perform(&f->svc, &offa, id, "deliver", 1, NULL, &r, &e),
	          ERR_MISSING_ARGUMENT);
	action_params_init(&p);
	p.collector_id_number = FX_AN_ID;
	assert_rc(action_perform(&f->svc, &offa, id, "deliver", 1, &p, &r, &e),
	          ERR_ACTION_NOT_ALLOWED);
	assert_rc(action_perform(&f->svc, &spec, "0000000000000000", "take", 1, NULL, &r, &e),
	          ERR_NOT_FOUND);
	assert_rc(action_perform(&f->svc, &spec, "000.01.01.H26-250827-0099", "take", 1, NULL, &r,
	                         &e),
	          ERR_NOT_FOUND);
	/* an effect that refuses late (unknown account) rolls back everything */
	p.to_account = "nobody";
	assert_rc(action_perform(&f->svc, &spec, id, "take", 1, &p, &r, &e), ERR_INVALID_ARGUMENT);
	fx_counts(f, &after);
	assert_true(fx_counts_equal(&before, &after));
	assert_int_equal(fx_version(f, id), 1);
	assert_string_equal(fx_state(f, id), "received");
	/* by code works as well as by id */
	const char *code = text_of(f, "code", id);
	char code_copy[DBD_KEY_SIZE];
	str_copy(code_copy, sizeof code_copy, code);
	assert_rc(action_perform(&f->svc, &spec, code_copy, "take", 1, NULL, &r, &e), ERR_OK);
}

static bool has_action(const struct action_allowed *a, enum dossier_action x)
{
	for (size_t i = 0; i < a->count; i++)
		if (a->actions[i] == x)
			return true;
	return false;
}

/* The buttons: allowed actions per actor, from the table and the scope. */
static void test_allowed(void **state)
{
	struct fx *f = *state;
	struct actor offa, offc, spec, other, cit;
	FX_OFF_A(&offa);
	FX_OFF_C(&offc);
	FX_SPEC_B1(&spec);
	FX_SPEC_B2X(&other);
	fx_citizen(&cit, "cit-an");
	char id[DBD_ID_SIZE];
	struct action_allowed a;
	struct err e = {0};
	fx_receive_now(f, "T.SIGN", NULL, "cit-an", id);
	assert_rc(action_allowed(&f->svc, &spec, id, &a, &e), ERR_OK);
	assert_int_equal(a.version, 1);
	assert_true(has_action(&a, ACTION_TAKE));
	assert_true(has_action(&a, ACTION_TRANSFER));
	assert_true(has_action(&a, ACTION_REQUEST_SUPPLEMENT));
	assert_true(has_action(&a, ACTION_EXTEND));
	assert_true(has_action(&a, ACTION_HANDOVER));
	assert_false(has_action(&a, ACTION_WITHDRAW));
	assert_rc(action_allowed(&f->svc, &offa, id, &a, &e), ERR_OK);
	assert_true(has_action(&a, ACTION_WITHDRAW));
	assert_true(has_action(&a, ACTION_CHANGE_COLLECTION));
	assert_true(has_action(&a, ACTION_TRANSFER));
	assert_false(has_action(&a, ACTION_TAKE));
	assert_rc(action_allowed(&f->svc, &offc, id, &a, &e), ERR_OK);
	assert_int_equal(a.count, 0);
	assert_rc(action_allowed(&f->svc, &other, id, &a, &e), ERR_OK);
	assert_int_equal(a.count, 0);
	assert_rc(action_allowed(&f->svc, &cit, id, &a, &e), ERR_OK);
	assert_true(has_action(&a, ACTION_WITHDRAW));
	assert_true(has_action(&a, ACTION_COMPLAIN));
	assert_false(has_action(&a, ACTION_TAKE));
}

/* Where the result goes: change of branch, post, and paper custody. */
static void test_collection_post_custody(void **state)
{
	struct fx *f = *state;
	struct actor offa, offc, spec, appr, cit, sys;
	FX_OFF_A(&offa);
	FX_OFF_C(&offc);
	FX_SPEC_B1(&spec);
	FX_APPR_B(&appr);
	fx_citizen(&cit, "cit-an");
	service_system_actor(&sys, "post");
	char id[DBD_ID_SIZE];
	struct action_result r;
	struct action_params p;
	struct err e = {0};
	fx_receive_now(f, "T.SIGN", NULL, "cit-an", id);
	/* paper hand-over: to the commune, by courier */
	action_params_init(&p);
	assert_rc(act(f, &offa, id, "handover", &p, &r, &e), ERR_MISSING_ARGUMENT);
	p.custody = "courier";
	assert_rc(act(f, &offa, id, "handover", &p, &r, &e), ERR_OK);
	assert_string_equal(text_of(f, "custody", id), "courier");
	p.custody = NULL;
	p.to_unit = "UBND-00070";
	assert_rc(act(f, &spec, id, "handover", &p, &r, &e), ERR_OK);
	assert_string_equal(text_of(f, "custody", id), "UBND-00070");
	/* the applicant moves collection to branch C, then to the post */
	action_params_init(&p);
	p.to_unit = "PV-X";
	assert_rc(act(f, &cit, id, "change_collection", &p, &r, &e), ERR_INVALID_ARGUMENT);
	p.to_unit = "CN-C";
	assert_rc(act(f, &cit, id, "change_collection", &p, &r, &e), ERR_OK);
	assert_string_equal(text_of(f, "collection_unit", id), "CN-C");
	assert_rc(act(f, &cit, id, "change_collection", &p, &r, &e), ERR_INVALID_ARGUMENT);
	action_params_init(&p);
	p.by_post = true;
	assert_rc(act(f, &cit, id, "change_collection", &p, &r, &e), ERR_MISSING_ARGUMENT);
	p.post_address = "5 Hàng Bạc, Hoàn Kiếm";
	assert_rc(act(f, &cit, id, "change_collection", &p, &r, &e), ERR_OK);
	assert_int_equal(col_of(f, "by_post", id), 1);
	/* processed; by post: send_result is not the way, post_result is */
	assert_rc(act(f, &spec, id, "take", NULL, &r, &e), ERR_OK);
	assert_rc(act(f, &spec, id, "submit_signoff", NULL, &r, &e), ERR_OK);
	assert_rc(act(f, &appr, id, "sign_off", NULL, &r, &e), ERR_OK);
	assert_rc(act(f, &appr, id, "send_result", NULL, &r, &e), ERR_GUARD_FAILED);
	assert_rc(act(f, &appr, id, "post_result", NULL, &r, &e), ERR_OK);
	assert_string_equal(r.state, "result_posted");
	assert_string_equal(text_of(f, "custody", id), "post");
	/* collection cannot change once posted */
	action_params_init(&p);
	p.to_unit = "CN-A";
	assert_rc(act(f, &cit, id, "change_collection", &p, &r, &e), ERR_ACTION_NOT_ALLOWED);
	/* the post confirms delivery (system actor, no version check) */
	assert_rc(action_perform(&f->svc, &sys, id, "confirm_delivery", ACTION_ANY_VERSION, NULL,
	                         &r, &e),
	          ERR_OK);
	assert_string_equal(r.state, "delivered");
	/* staff must send the version */
	assert_rc(action_perform(&f->svc, &spec, id, "handover", ACTION_ANY_VERSION, NULL, &r, &e),
	          ERR_MISSING_ARGUMENT);

	/* a result at branch C moved to branch A goes back in transit; post is refused there */
	char id2[DBD_ID_SIZE];
	fx_receive_now(f, "T.SIGN", "CN-C", "cit-an", id2);
	assert_rc(act(f, &spec, id2, "take", NULL, &r, &e), ERR_OK);
	assert_rc(act(f, &spec, id2, "submit_signoff", NULL, &r, &e), ERR_OK);
	assert_rc(act(f, &appr, id2, "sign_off", NULL, &r, &e), ERR_OK);
	assert_rc(act(f, &appr, id2, "send_result", NULL, &r, &e), ERR_OK);
	assert_rc(act(f, &offc, id2, "receive_result", NULL, &r, &e), ERR_OK);
	action_params_init(&p);
	p.by_post = true;
	p.post_address = "5 Hàng Bạc";
	assert_rc(act(f, &cit, id2, "change_collection", &p, &r, &e), ERR_GUARD_FAILED);
	action_params_init(&p);
	p.to_unit = "CN-A";
	assert_rc(act(f, &cit, id2, "change_collection", &p, &r, &e), ERR_OK);
	assert_string_equal(r.state, "result_in_transit");
	assert_rc(act(f, &offc, id2, "receive_result", NULL, &r, &e), ERR_GUARD_FAILED);
	assert_rc(act(f, &offa, id2, "receive_result", NULL, &r, &e), ERR_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_whole_life, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_supplement_restart, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_supplement_continue_fees_refuse, fx_setup,
	                                        fx_teardown),
	        cmocka_unit_test_setup_teardown(test_late_extension, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_withdraw, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_refuse_and_stop, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_misroute_transfer, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_race, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_forbidden_nothing_changed, fx_setup,
	                                        fx_teardown),
	        cmocka_unit_test_setup_teardown(test_allowed, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_collection_post_custody, fx_setup,
	                                        fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
