/*
 * Unit tests for service/lookup: the public status look-up (code + last 4
 * digits), the same answer for a wrong code and a wrong secret, the rate
 * limit of failed look-ups per client address, and the full view.
 *
 * Expected appointment: T.SIGN (3 working days) received Wed 2025-08-27
 * 09:00 is due Wed 2025-09-03 17:00 (Mon 1 and Tue 2 September 2025 are days
 * off, data/holidays.csv). The rate limit is LOOKUP_FAIL_MAX failures per
 * LOOKUP_FAIL_WINDOW seconds (lookup.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dossier_fixture.h"
#include "service/action.h"
#include "service/intake.h"
#include "service/lookup.h"

/* An's dossier received at A, to be collected at C, taken by the commune. */
static void make_dossier(struct fx *f, char code[DBD_KEY_SIZE], char id[DBD_ID_SIZE])
{
	struct actor off, spec;
	FX_OFF_A(&off);
	FX_SPEC_B1(&spec);
	struct intake_request r;
	fx_an(&r, "T.SIGN");
	r.collection_unit = "CN-C";
	r.owner_account = "cit-an";
	struct intake_result out;
	struct err e = {0};
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_OK);
	str_copy(code, DBD_KEY_SIZE, out.code);
	str_copy(id, DBD_ID_SIZE, out.id);
	struct action_result ar;
	fx_at(f, "2025-08-27T10:00");
	assert_rc(action_perform(&f->svc, &spec, out.id, "take", 1, NULL, &ar, &e), ERR_OK);
}

static void test_lookup_success(void **state)
{
	struct fx *f = *state;
	char code[DBD_KEY_SIZE], id[DBD_ID_SIZE];
	make_dossier(f, code, id);
	struct lookup_public p;
	struct err e = {0};
	/* last 4 digits of the ID number 001090012345 */
	assert_rc(lookup_public(&f->svc, "203.0.113.7", code, "2345", &p, &e), ERR_OK);
	assert_string_equal(p.code, code);
	assert_string_equal(p.state, "processing");
	assert_int_equal(p.portal_code, 4);
	assert_int_equal(p.due_at, fx_time("2025-09-03T17:00"));
	assert_string_equal(p.procedure_name_vi, "Thủ tục ký duyệt");
	assert_false(p.by_post);
	assert_string_equal(p.collection_unit, "CN-C");
	assert_string_equal(p.collection_name, "Chi nhánh C");
	assert_string_equal(p.collection_address, "3 Phố C");
	/* the history names units, never staff */
	assert_int_equal(p.nsteps, 2);
	assert_string_equal(p.steps[0].action, "receive");
	assert_string_equal(p.steps[0].unit, "CN-A");
	assert_string_equal(p.steps[0].unit_name, "Chi nhánh A");
	assert_string_equal(p.steps[1].action, "take");
	assert_string_equal(p.steps[1].unit, "UBND-00070");
	assert_string_equal(p.steps[1].step_result, "on_time");
	lookup_public_release(&p);
	/* last 4 digits of the phone 0912345678 */
	assert_rc(lookup_public(&f->svc, "203.0.113.7", code, "5678", &p, &e), ERR_OK);
	lookup_public_release(&p);
	/* malformed secrets are refused before anything is read */
	assert_rc(lookup_public(&f->svc, "203.0.113.7", code, "123", &p, &e), ERR_INVALID_ARGUMENT);
	assert_rc(lookup_public(&f->svc, "203.0.113.7", code, "12a4", &p, &e),
	          ERR_INVALID_ARGUMENT);
	assert_rc(lookup_public(&f->svc, "203.0.113.7", code, NULL, &p, &e), ERR_INVALID_ARGUMENT);
	/* public look-ups are not staff reads: no audit rows */
	assert_int_equal(fx_int(f, "SELECT count(*) FROM audit WHERE action LIKE $1", "lookup%"),
	                 0);
}

static void test_same_answer(void **state)
{
	struct fx *f = *state;
	char code[DBD_KEY_SIZE], id[DBD_ID_SIZE];
	make_dossier(f, code, id);
	struct lookup_public p;
	struct err e1 = {0}, e2 = {0}, e3 = {0};
	enum err_code wrong_secret = lookup_public(&f->svc, "a", code, "9999", &p, &e1);
	lookup_public_release(&p);
	enum err_code wrong_code =
	        lookup_public(&f->svc, "b", "000.01.01.H26-250827-0099", "2345", &p, &e2);
	lookup_public_release(&p);
	enum err_code garbage = lookup_public(&f->svc, "c", "not a code", "2345", &p, &e3);
	lookup_public_release(&p);
	assert_int_equal(wrong_secret, ERR_NOT_FOUND);
	assert_int_equal(wrong_code, ERR_NOT_FOUND);
	assert_int_equal(garbage, ERR_NOT_FOUND);
	assert_string_equal(e1.detail, e2.detail);
	assert_string_equal(e1.detail, e3.detail);
	/* nothing of the dossier leaks into the failed answer */
	assert_string_equal(p.state, "");
	assert_int_equal(p.nsteps, 0);
	/* the id is not a public key */
	struct err e = {0};
	assert_rc(lookup_public(&f->svc, "d", id, "2345", &p, &e), ERR_NOT_FOUND);
	lookup_public_release(&p);
}

static void test_rate_limit(void **state)
{
	struct fx *f = *state;
	char code[DBD_KEY_SIZE], id[DBD_ID_SIZE];
	make_dossier(f, code, id);
	struct lookup_public p;
	struct err e = {0};
	/* correct look-ups never count: many in a row from one address */
	for (int i = 0; i < 3 * LOOKUP_FAIL_MAX; i++) {
		assert_rc(lookup_public(&f->svc, "198.51.100.1", code, "2345", &p, &e), ERR_OK);
		lookup_public_release(&p);
	}
	/* a burst of wrong secrets from one address */
	for (int i = 0; i < LOOKUP_FAIL_MAX; i++) {
		assert_rc(lookup_public(&f->svc, "198.51.100.2", code, "0000", &p, &e),
		          ERR_NOT_FOUND);
		lookup_public_release(&p);
	}
	assert_rc(lookup_public(&f->svc, "198.51.100.2", code, "0000", &p, &e), ERR_RATE_LIMITED);
	assert_true(p.retry_after > 0 && p.retry_after <= LOOKUP_FAIL_WINDOW);
	lookup_public_release(&p);
	/* correct look-ups are never throttled, even from a throttled address (the
	 * issue's rule), while its wrong ones keep getting 429 */
	assert_rc(lookup_public(&f->svc, "198.51.100.2", code, "2345", &p, &e), ERR_OK);
	assert_string_not_equal(p.state, "");
	lookup_public_release(&p);
	assert_rc(lookup_public(&f->svc, "198.51.100.2", code, "0001", &p, &e), ERR_RATE_LIMITED);
	lookup_public_release(&p);
	/* other addresses are not affected */
	assert_rc(lookup_public(&f->svc, "198.51.100.1", code, "2345", &p, &e), ERR_OK);
	lookup_public_release(&p);
	/* after the window the address is served again */
	f->svc.clock.at += LOOKUP_FAIL_WINDOW + 1;
	assert_rc(lookup_public(&f->svc, "198.51.100.2", code, "2345", &p, &e), ERR_OK);
	lookup_public_release(&p);
}

static void test_full_view(void **state)
{
	struct fx *f = *state;
	char code[DBD_KEY_SIZE], id[DBD_ID_SIZE];
	make_dossier(f, code, id);
	struct actor cit, binh, offa, offc, spec;
	fx_citizen(&cit, "cit-an");
	fx_citizen(&binh, "cit-binh");
	FX_OFF_A(&offa);
	FX_OFF_C(&offc);
	FX_SPEC_B1(&spec);
	struct lookup_view v;
	struct err e = {0};
	int64_t audits = fx_count(f, "audit");
	/* the owner, by code */
	assert_rc(lookup_dossier(&f->svc, &cit, code, &v, &e), ERR_OK);
	assert_string_equal(v.dossier.id, id);
	assert_int_equal(v.components.count, 4);
	assert_int_equal(v.events.count, 2);
	lookup_view_release(&v);
	assert_int_equal(fx_count(f, "audit"), audits); /* the owner's own read */
	/* another citizen: as if it did not exist */
	assert_rc(lookup_dossier(&f->svc, &binh, code, &v, &e), ERR_NOT_FOUND);
	/* staff in scope: receiving branch, collection branch, competent commune; audited */
	assert_rc(lookup_dossier(&f->svc, &offa, id, &v, &e), ERR_OK);
	lookup_view_release(&v);
	assert_rc(lookup_dossier(&f->svc, &offc, id, &v, &e), ERR_OK);
	lookup_view_release(&v);
	assert_rc(lookup_dossier(&f->svc, &spec, id, &v, &e), ERR_OK);
	lookup_view_release(&v);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM audit WHERE action = $1", "dossier.read"),
	                 3);
	/* out of scope */
	struct actor offb;
	FX_OFF_B(&offb);
	assert_rc(lookup_dossier(&f->svc, &offb, id, &v, &e), ERR_FORBIDDEN);
	assert_rc(lookup_dossier(&f->svc, &spec, "nope", &v, &e), ERR_NOT_FOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_lookup_success, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_same_answer, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_rate_limit, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_full_view, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
