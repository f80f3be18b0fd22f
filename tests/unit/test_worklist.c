/*
 * Unit tests for service/worklist: work lists by scope, sorted by remaining
 * working time, filters (state, due within N working hours, overdue),
 * paging, and staff search within scope, each read audited.
 *
 * Calendar facts (data/holidays.csv, office hours 08:00-12:00, 13:00-17:00):
 * Wed 2025-08-27; Mon 1 and Tue 2 September 2025 are days off. At Thu 28/8
 * 10:00 the remaining working time of
 *   T.SAME received Wed 27/8 10:00 (due Wed 27/8 17:00):   -2 h (Thu 08-10)
 *   T.SIGN received Wed 27/8 09:00 (due Wed 3/9 17:00):    Thu 6 + Fri 8 + Wed 8 = 22 h
 *   T.SIGN paused Thu 28/8 09:00:                          Thu 7 + Fri 8 + Wed 8 = 23 h
 *   T.CONT received Wed 27/8 11:00 (due Fri 5/9 17:00):    6 + 8 + 8 + 8 + 8 = 38 h
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "service/worklist.h"
#include "world_fixture.h"

struct world {
	char sign[DBD_ID_SIZE], same[DBD_ID_SIZE], cont[DBD_ID_SIZE], paused[DBD_ID_SIZE];
};

static void make_world(struct fx *f, struct world *w)
{
	struct actor spec;
	FX_SPEC_B1(&spec);
	struct action_result r;
	struct action_params p;
	struct err e = {0};
	fx_receive(f, "2025-08-27T09:00", "T.SIGN", NULL, w->sign);
	fx_receive(f, "2025-08-27T09:00", "T.SIGN", NULL, w->paused);
	fx_receive(f, "2025-08-27T10:00", "T.SAME", NULL, w->same);
	fx_receive(f, "2025-08-27T11:00", "T.CONT", "CN-C", w->cont);
	fx_at(f, "2025-08-28T09:00");
	assert_rc(action_perform(&f->svc, &spec, w->paused, "take", 1, NULL, &r, &e), ERR_OK);
	action_params_init(&p);
	p.note = "Bổ sung";
	assert_rc(action_perform(&f->svc, &spec, w->paused, "request_supplement", 2, &p, &r, &e),
	          ERR_OK);
	fx_at(f, "2025-08-28T10:00");
}

static void test_agency_sorted(void **state)
{
	struct fx *f = *state;
	struct world w;
	make_world(f, &w);
	struct actor spec, offa, leader;
	FX_SPEC_B1(&spec);
	FX_OFF_A(&offa);
	FX_LEADER(&leader);
	struct worklist_query q;
	struct worklist l;
	struct err e = {0};
	int64_t audits = fx_count(f, "audit");
	worklist_query_init(&q, WORKLIST_AGENCY);
	assert_rc(worklist_get(&f->svc, &spec, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 4);
	assert_int_equal(l.count, 4);
	assert_string_equal(l.items[0].id, w.same);
	assert_int_equal(l.items[0].remaining, -2 * 3600);
	assert_true(l.items[0].overdue);
	assert_string_equal(l.items[1].id, w.sign);
	assert_int_equal(l.items[1].remaining, 22 * 3600);
	assert_false(l.items[1].overdue);
	assert_string_equal(l.items[2].id, w.paused);
	assert_int_equal(l.items[2].remaining, 23 * 3600);
	assert_true(l.items[2].paused);
	assert_string_equal(l.items[3].id, w.cont);
	assert_int_equal(l.items[3].remaining, 38 * 3600);
	assert_int_equal(l.items[3].portal_code, 2);
	worklist_free(&l);
	/* due within 22 working hours (the overdue one included) */
	q.due_within_hours = 22;
	assert_rc(worklist_get(&f->svc, &spec, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 2);
	worklist_free(&l);
	q.due_within_hours = 21;
	assert_rc(worklist_get(&f->svc, &spec, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 1);
	worklist_free(&l);
	/* overdue only */
	worklist_query_init(&q, WORKLIST_AGENCY);
	q.overdue = true;
	assert_rc(worklist_get(&f->svc, &spec, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 1);
	assert_string_equal(l.items[0].id, w.same);
	worklist_free(&l);
	/* one state */
	worklist_query_init(&q, WORKLIST_AGENCY);
	q.state = "supplement_requested";
	assert_rc(worklist_get(&f->svc, &spec, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 1);
	assert_string_equal(l.items[0].id, w.paused);
	worklist_free(&l);
	q.state = "sleeping";
	assert_rc(worklist_get(&f->svc, &spec, &q, &l, &e), ERR_UNKNOWN_STATE);
	/* paging keeps the total */
	worklist_query_init(&q, WORKLIST_AGENCY);
	q.limit = 2;
	q.offset = 1;
	assert_rc(worklist_get(&f->svc, &spec, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 4);
	assert_int_equal(l.count, 2);
	assert_string_equal(l.items[0].id, w.sign);
	assert_string_equal(l.items[1].id, w.paused);
	worklist_free(&l);
	q.offset = 10;
	assert_rc(worklist_get(&f->svc, &spec, &q, &l, &e), ERR_OK);
	assert_int_equal(l.count, 0);
	assert_int_equal(l.total, 4);
	worklist_free(&l);
	q.limit = WORKLIST_MAX_LIMIT + 1;
	assert_rc(worklist_get(&f->svc, &spec, &q, &l, &e), ERR_OUT_OF_RANGE);
	/* the specialist's own list: the one they took */
	worklist_query_init(&q, WORKLIST_MINE);
	assert_rc(worklist_get(&f->svc, &spec, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 1);
	assert_string_equal(l.items[0].id, w.paused);
	worklist_free(&l);
	/* roles: an officer has no agency list; a leader sees the city */
	worklist_query_init(&q, WORKLIST_AGENCY);
	assert_rc(worklist_get(&f->svc, &offa, &q, &l, &e), ERR_FORBIDDEN);
	worklist_query_init(&q, WORKLIST_CITY);
	assert_rc(worklist_get(&f->svc, &spec, &q, &l, &e), ERR_FORBIDDEN);
	assert_rc(worklist_get(&f->svc, &leader, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 4);
	worklist_free(&l);
	/* every list read that ran is audited (9 of them) */
	assert_int_equal(fx_int(f, "SELECT count(*) FROM audit WHERE action = $1", "worklist.read"),
	                 9);
	assert_int_equal(fx_count(f, "audit"), audits + 9);
}

static void test_branch_lists(void **state)
{
	struct fx *f = *state;
	struct world w;
	make_world(f, &w);
	struct actor offa, offc, cit, spec, appr;
	FX_OFF_A(&offa);
	FX_OFF_C(&offc);
	FX_SPEC_B1(&spec);
	FX_APPR_B(&appr);
	fx_citizen(&cit, "cit-an");
	struct worklist_query q;
	struct worklist l;
	struct err e = {0};
	/* an online filing that chose branch C */
	struct intake_request r;
	struct intake_result out;
	fx_an(&r, "T.SIGN");
	r.collection_unit = "CN-C";
	assert_rc(intake_submit(&f->svc, &cit, &r, &out, &e), ERR_OK);
	worklist_query_init(&q, WORKLIST_ONLINE);
	assert_rc(worklist_get(&f->svc, &offc, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 1);
	assert_string_equal(l.items[0].id, out.id);
	assert_false(l.items[0].has_remaining); /* no clock before acceptance */
	worklist_free(&l);
	assert_rc(worklist_get(&f->svc, &offa, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 0);
	worklist_free(&l);
	q.all_branches = true;
	assert_rc(worklist_get(&f->svc, &offa, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 1);
	worklist_free(&l);
	/* received at branch A: the four open ones */
	worklist_query_init(&q, WORKLIST_RECEIVED);
	assert_rc(worklist_get(&f->svc, &offa, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 4);
	worklist_free(&l);
	/* results for collection at branch C: the T.CONT one once sent */
	struct action_result ar;
	assert_rc(action_perform(&f->svc, &spec, w.cont, "take", 1, NULL, &ar, &e), ERR_OK);
	assert_rc(action_perform(&f->svc, &spec, w.cont, "complete", 2, NULL, &ar, &e), ERR_OK);
	worklist_query_init(&q, WORKLIST_COLLECTION);
	assert_rc(worklist_get(&f->svc, &offc, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 0);
	worklist_free(&l);
	assert_rc(action_perform(&f->svc, &spec, w.cont, "send_result", 3, NULL, &ar, &e), ERR_OK);
	assert_rc(worklist_get(&f->svc, &offc, &q, &l, &e), ERR_OK);
	assert_int_equal(l.total, 1);
	assert_string_equal(l.items[0].state, "result_in_transit");
	worklist_free(&l);
	/* a point that does not receive has no branch lists */
	struct actor offx;
	fx_staff(&offx, "off-a", ROLE_OFFICER, "PV-X");
	assert_rc(worklist_get(&f->svc, &offx, &q, &l, &e), ERR_FORBIDDEN);
	(void)appr;
}

static void test_search(void **state)
{
	struct fx *f = *state;
	struct world w;
	make_world(f, &w);
	struct actor offa, offc, spec, other, leader;
	FX_OFF_A(&offa);
	FX_OFF_C(&offc);
	FX_SPEC_B1(&spec);
	FX_SPEC_B2X(&other);
	FX_LEADER(&leader);
	/* Bình's dossier, received at C, competent UBND-00008, co-applicant An */
	struct intake_request r;
	struct intake_result out;
	struct err e = {0};
	struct intake_person an = {FX_AN_NAME, FX_AN_ID, 0};
	an.birth_day = fx_day(FX_AN_BIRTH);
	intake_request_init(&r);
	r.procedure_code = "T.SIGN";
	r.applicant_name = FX_BINH_NAME;
	r.id_number = FX_BINH_ID;
	r.birth_day = fx_day(FX_BINH_BIRTH);
	r.phone = "0987000111";
	r.co_applicants = &an;
	r.n_co_applicants = 1;
	fx_components(&r, 1, false);
	assert_rc(intake_receive(&f->svc, &offc, &r, &out, &e), ERR_OK);
	struct worklist_search s = {0};
	struct worklist l;
	int64_t audits = fx_count(f, "audit");
	/* name without accents, word prefix */
	s.name = "nguyen van";
	assert_rc(worklist_search(&f->svc, &spec, &s, &l, &e), ERR_OK);
	assert_int_equal(l.total, 4);
	worklist_free(&l);
	s.name = "VĂN AN";
	assert_rc(worklist_search(&f->svc, &spec, &s, &l, &e), ERR_OK);
	assert_int_equal(l.total, 4);
	worklist_free(&l);
	s.name = "an nguyen"; /* "an" starts no word in order with "nguyen" after it */
	assert_rc(worklist_search(&f->svc, &spec, &s, &l, &e), ERR_OK);
	assert_int_equal(l.total, 0);
	worklist_free(&l);
	s.name = "guyen"; /* not at the start of a word */
	assert_rc(worklist_search(&f->svc, &spec, &s, &l, &e), ERR_OK);
	assert_int_equal(l.total, 0);
	worklist_free(&l);
	/* scope: branch C sees only what it received or returns */
	s.name = "nguyen";
	assert_rc(worklist_search(&f->svc, &offc, &s, &l, &e), ERR_OK);
	assert_int_equal(l.total, 1); /* T.CONT is collected at C */
	assert_string_equal(l.items[0].id, w.cont);
	worklist_free(&l);
	/* ID number: applicant or co-applicant */
	memset(&s, 0, sizeof s);
	s.id_number = FX_AN_ID;
	assert_rc(worklist_search(&f->svc, &offc, &s, &l, &e), ERR_OK);
	assert_int_equal(l.total, 2); /* Bình's (An co-applies) and T.CONT */
	worklist_free(&l);
	assert_rc(worklist_search(&f->svc, &other, &s, &l, &e), ERR_OK);
	assert_int_equal(l.total, 1); /* UBND-00008 handles Bình's */
	assert_string_equal(l.items[0].id, out.id);
	worklist_free(&l);
	assert_rc(worklist_search(&f->svc, &leader, &s, &l, &e), ERR_OK);
	assert_int_equal(l.total, 5);
	worklist_free(&l);
	/* phone and code */
	memset(&s, 0, sizeof s);
	s.phone = "0987000111";
	assert_rc(worklist_search(&f->svc, &leader, &s, &l, &e), ERR_OK);
	assert_int_equal(l.total, 1);
	worklist_free(&l);
	memset(&s, 0, sizeof s);
	s.code = out.code;
	assert_rc(worklist_search(&f->svc, &offc, &s, &l, &e), ERR_OK);
	assert_int_equal(l.total, 1);
	worklist_free(&l);
	assert_rc(worklist_search(&f->svc, &offa, &s, &l, &e), ERR_OK);
	assert_int_equal(l.total, 0);
	worklist_free(&l);
	/* paging: newest first */
	memset(&s, 0, sizeof s);
	s.name = "nguyen";
	s.limit = 1;
	s.offset = 1;
	assert_rc(worklist_search(&f->svc, &leader, &s, &l, &e), ERR_OK);
	assert_int_equal(l.total, 4);
	assert_int_equal(l.count, 1);
	worklist_free(&l);
	/* nothing to search by; a one-letter name */
	memset(&s, 0, sizeof s);
	assert_rc(worklist_search(&f->svc, &leader, &s, &l, &e), ERR_MISSING_ARGUMENT);
	s.name = "n";
	assert_rc(worklist_search(&f->svc, &leader, &s, &l, &e), ERR_INVALID_ARGUMENT);
	/* a citizen lists exactly the dossiers of their own account, without criteria
	 * and without an audit entry (the audit is for staff reads) */
	struct actor cit;
	fx_citizen(&cit, "cit-an");
	memset(&s, 0, sizeof s);
	assert_rc(worklist_search(&f->svc, &cit, &s, &l, &e), ERR_OK);
	assert_int_equal(l.total, fx_int(f, "SELECT count(*) FROM dossier WHERE owner_account = $1",
	                                 cit.account_id));
	worklist_free(&l);
	/* each search that ran is audited with its criteria */
	assert_int_equal(
	        fx_int(f, "SELECT count(*) FROM audit WHERE action = $1", "dossier.search"), 12);
	assert_int_equal(fx_count(f, "audit"), audits + 12);
	assert_int_equal(fx_int(f,
	                        "SELECT count(*) FROM audit WHERE action = 'dossier.search' AND "
	                        "detail LIKE $1",
	                        "%" FX_AN_ID "%"),
	                 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_agency_sorted, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_branch_lists, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_search, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
