/*
 * Unit tests for domain/lifecycle: the dossier state machine.
 *
 * The portal status codes 1-10 are those of the national public service
 * portal as listed in the project's lifecycle issue (1 new, 2 accepted,
 * 3 refused at reception, 4 processing, 5 supplement requested, 6 fees due,
 * 7 withdrawal, 8 stopped, 9 result ready, 10 result delivered). The roles
 * are those of the same issue. The exhaustive test walks every
 * role x state x action combination and checks the rules that must hold for
 * all of them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/lifecycle.h"

static const unsigned all_roles[] = {ROLE_ADMIN,      ROLE_LEADER,   ROLE_SUPERVISOR, ROLE_OFFICER,
                                     ROLE_SPECIALIST, ROLE_APPROVER, ROLE_APPLICANT,  ROLE_SYSTEM};
#define N_ROLES (sizeof all_roles / sizeof all_roles[0])

/* Facts under which every guard but the mutually exclusive ones holds. */
static struct lifecycle_facts permissive(bool signoff, bool post)
{
	struct lifecycle_facts f = {
	        .online_allowed = true,
	        .receivable_here = true,
	        .supplements_used = 0,
	        .supplements_max = 1,
	        .extensions_used = 0,
	        .extensions_max = 1,
	        .needs_signoff = signoff,
	        .by_post = post,
	        .actor_at_collection_branch = true,
	        .rated = false,
	};
	return f;
}

static bool allowed(enum dossier_state s, enum dossier_action a, unsigned roles, bool signoff,
                    bool post, enum dossier_state *to)
{
	struct lifecycle_facts f = permissive(signoff, post);
	enum dossier_state t;
	bool ok = lifecycle_next(s, a, roles, &f, &t, NULL) == ERR_OK;
	if (ok && to)
		*to = t;
	return ok;
}

static bool allowed_any_facts(enum dossier_state s, enum dossier_action a, unsigned roles,
                              enum dossier_state *to)
{
	for (int signoff = 0; signoff < 2; signoff++)
		for (int post = 0; post < 2; post++)
			if (allowed(s, a, roles, signoff, post, to))
				return true;
	return false;
}

static void test_portal_codes(void **state)
{
	(void)state;
	struct {
		const char *name;
		int code;
	} expect[] = {
	        {"submitted", 1},     {"received", 2},          {"refused_at_reception", 3},
	        {"processing", 4},    {"awaiting_signoff", 4},  {"supplement_requested", 5},
	        {"fees_due", 6},      {"withdrawn", 7},         {"stopped", 8},
	        {"result_ready", 9},  {"result_in_transit", 9}, {"result_at_branch", 9},
	        {"result_posted", 9}, {"delivered", 10},
	};
	assert_int_equal(sizeof expect / sizeof expect[0], STATE__COUNT - 1);
	for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
		enum dossier_state s;
		assert_int_equal(lifecycle_state_from_name(expect[i].name, &s), ERR_OK);
		assert_int_equal(lifecycle_portal_code(s), expect[i].code);
		assert_string_equal(lifecycle_state_name(s), expect[i].name);
	}
	/* Every portal code 1..10 is used by at least one state. */
	for (int code = 1; code <= 10; code++) {
		bool used = false;
		for (int s = 1; s < STATE__COUNT; s++)
			used |= lifecycle_portal_code((enum dossier_state)s) == code;
		assert_true(used);
	}
	enum dossier_state s;
	assert_int_equal(lifecycle_state_from_name("none", &s), ERR_UNKNOWN_STATE);
	assert_int_equal(lifecycle_state_from_name("bogus", &s), ERR_UNKNOWN_STATE);
	assert_int_equal(lifecycle_state_from_name(NULL, &s), ERR_UNKNOWN_STATE);
}

static void test_names_round_trip(void **state)
{
	(void)state;
	for (int a = 0; a < ACTION__COUNT; a++) {
		enum dossier_action back;
		const char *name = lifecycle_action_name((enum dossier_action)a);
		assert_non_null(name);
		assert_int_equal(lifecycle_action_from_name(name, &back), ERR_OK);
		assert_int_equal(back, a);
		assert_true(strlen(lifecycle_action_summary((enum dossier_action)a)) > 0);
	}
	for (size_t r = 0; r < N_ROLES; r++)
		assert_int_equal(lifecycle_role_from_name(lifecycle_role_name(all_roles[r])),
		                 all_roles[r]);
	assert_int_equal(lifecycle_role_from_name("citizen"), 0);
	assert_null(lifecycle_action_name(ACTION__COUNT));
	assert_null(lifecycle_state_name(STATE__COUNT));
}

/* The clock: paused while waiting for the applicant, stopped once resolved. */
static void test_clock(void **state)
{
	(void)state;
	assert_int_equal(lifecycle_clock_of(STATE_SUBMITTED), CLOCK_IDLE);
	assert_int_equal(lifecycle_clock_of(STATE_RECEIVED), CLOCK_RUNNING);
	assert_int_equal(lifecycle_clock_of(STATE_PROCESSING), CLOCK_RUNNING);
	assert_int_equal(lifecycle_clock_of(STATE_SUPPLEMENT_REQUESTED), CLOCK_PAUSED);
	assert_int_equal(lifecycle_clock_of(STATE_FEES_DUE), CLOCK_PAUSED);
	assert_int_equal(lifecycle_clock_of(STATE_RESULT_READY), CLOCK_DONE);
	assert_int_equal(lifecycle_clock_of(STATE_DELIVERED), CLOCK_DONE);
}

/* Every role x state x action: the rules that must hold for all combinations. */
static void test_exhaustive(void **state)
{
	(void)state;
	int checked = 0;
	for (int s = 0; s < STATE__COUNT; s++) {
		for (int a = 0; a < ACTION__COUNT; a++) {
			for (size_t r = 0; r < N_ROLES; r++) {
				enum dossier_state st = (enum dossier_state)s, to = STATE_NONE;
				enum dossier_action ac = (enum dossier_action)a;
				bool ok = allowed_any_facts(st, ac, all_roles[r], &to);
				checked++;
				/* Leaders, supervisors and administrators only read dossiers. */
				if (all_roles[r] & (ROLE_ADMIN | ROLE_LEADER | ROLE_SUPERVISOR))
					assert_false(ok);
				/* The applicant never does the agency's or the branch's work. */
				if (ok && all_roles[r] == ROLE_APPLICANT)
					assert_true(ac == ACTION_SUBMIT || ac == ACTION_WITHDRAW ||
					            ac == ACTION_CHANGE_COLLECTION ||
					            ac == ACTION_RECEIVE_SUPPLEMENT ||
					            ac == ACTION_RECORD_PAYMENT ||
					            ac == ACTION_RATE || ac == ACTION_COMPLAIN);
				if (!ok)
					continue;
				/* No action leads back to "none"; only creation starts from it. */
				assert_true(to != STATE_NONE);
				if (st == STATE_NONE)
					assert_true(ac == ACTION_SUBMIT || ac == ACTION_RECEIVE ||
					            ac == ACTION_REFUSE_RECEPTION);
				/* Terminal states accept only a complaint, a rating or a
				 * hand-over of paper, in place. */
				if (lifecycle_is_terminal(st)) {
					assert_true(ac == ACTION_COMPLAIN || ac == ACTION_RATE ||
					            ac == ACTION_HANDOVER);
					assert_int_equal(to, st);
				}
				/* A resolved dossier never goes back to processing. */
				if (lifecycle_clock_of(st) == CLOCK_DONE)
					assert_int_equal(lifecycle_clock_of(to), CLOCK_DONE);
				/* A dossier can only be withdrawn before it is resolved. */
				if (ac == ACTION_WITHDRAW)
					assert_true(lifecycle_clock_of(st) != CLOCK_DONE);
			}
		}
	}
	assert_int_equal(checked, STATE__COUNT * ACTION__COUNT * (int)N_ROLES);
}

/* Every state is reachable from creation, and a terminal state from every state. */
static void test_reachability(void **state)
{
	(void)state;
	bool reach[STATE__COUNT] = {false};
	reach[STATE_NONE] = true;
	for (int changed = 1; changed;) {
		changed = 0;
		for (int s = 0; s < STATE__COUNT; s++) {
			if (!reach[s])
				continue;
			for (int a = 0; a < ACTION__COUNT; a++)
				for (size_t r = 0; r < N_ROLES; r++) {
					enum dossier_state to;
					if (allowed_any_facts((enum dossier_state)s,
					                      (enum dossier_action)a, all_roles[r],
					                      &to) &&
					    !reach[to])
						reach[to] = true, changed = 1;
				}
		}
	}
	for (int s = 0; s < STATE__COUNT; s++)
		assert_true(reach[s]);

	bool ends[STATE__COUNT] = {false};
	for (int s = 1; s < STATE__COUNT; s++)
		ends[s] = lifecycle_is_terminal((enum dossier_state)s);
	for (int changed = 1; changed;) {
		changed = 0;
		for (int s = 1; s < STATE__COUNT; s++) {
			if (ends[s])
				continue;
			for (int a = 0; a < ACTION__COUNT && !ends[s]; a++)
				for (size_t r = 0; r < N_ROLES; r++) {
					enum dossier_state to;
					if (allowed_any_facts((enum dossier_state)s,
					                      (enum dossier_action)a, all_roles[r],
					                      &to) &&
					    ends[to]) {
						ends[s] = true, changed = 1;
						break;
					}
				}
		}
	}
	for (int s = 1; s < STATE__COUNT; s++)
		assert_true(ends[s]);
}

/* A whole life: online filing, acceptance, supplement, sign-off, return at a branch, rating. */
static void test_whole_life(void **state)
{
	(void)state;
	struct lifecycle_facts f = permissive(true, false);
	struct {
		enum dossier_action a;
		unsigned role;
		enum dossier_state expect;
	} steps[] = {
	        {ACTION_SUBMIT, ROLE_APPLICANT, STATE_SUBMITTED},
	        {ACTION_ACCEPT, ROLE_OFFICER, STATE_RECEIVED},
	        {ACTION_TAKE, ROLE_SPECIALIST, STATE_PROCESSING},
	        {ACTION_REQUEST_SUPPLEMENT, ROLE_SPECIALIST, STATE_SUPPLEMENT_REQUESTED},
	        {ACTION_RECEIVE_SUPPLEMENT, ROLE_APPLICANT, STATE_PROCESSING},
	        {ACTION_SUBMIT_SIGNOFF, ROLE_SPECIALIST, STATE_AWAITING_SIGNOFF},
	        {ACTION_RETURN_FOR_REWORK, ROLE_APPROVER, STATE_PROCESSING},
	        {ACTION_SUBMIT_SIGNOFF, ROLE_SPECIALIST, STATE_AWAITING_SIGNOFF},
	        {ACTION_SIGN_OFF, ROLE_APPROVER, STATE_RESULT_READY},
	        {ACTION_SEND_RESULT, ROLE_SPECIALIST, STATE_RESULT_IN_TRANSIT},
	        {ACTION_RECEIVE_RESULT, ROLE_OFFICER, STATE_RESULT_AT_BRANCH},
	        {ACTION_DELIVER, ROLE_OFFICER, STATE_DELIVERED},
	        {ACTION_RATE, ROLE_APPLICANT, STATE_DELIVERED},
	};
	enum dossier_state s = STATE_NONE;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		struct err e;
		assert_int_equal(lifecycle_next(s, steps[i].a, steps[i].role, &f, &s, &e), ERR_OK);
		assert_int_equal(s, steps[i].expect);
		if (steps[i].a == ACTION_REQUEST_SUPPLEMENT)
			f.supplements_used++;
	}
}

static void test_errors_and_guards(void **state)
{
	(void)state;
	struct lifecycle_facts f = permissive(false, false);
	enum dossier_state to = STATE_NONE;
	struct err e;
	/* Not in this state. */
	assert_int_equal(lifecycle_next(STATE_SUBMITTED, ACTION_DELIVER, ROLE_OFFICER, &f, &to, &e),
	                 ERR_ACTION_NOT_ALLOWED);
	assert_non_null(strstr(e.detail, "'deliver'"));
	assert_int_equal(to, STATE_NONE);
	/* In this state, but not for this role. */
	assert_int_equal(
	        lifecycle_next(STATE_PROCESSING, ACTION_COMPLETE, ROLE_OFFICER, &f, &to, &e),
	        ERR_FORBIDDEN);
	assert_int_equal(
	        lifecycle_next(STATE_PROCESSING, ACTION_STOP, ROLE_SPECIALIST, &f, &to, &e),
	        ERR_FORBIDDEN);
	/* Limits. */
	f.supplements_used = 1;
	assert_int_equal(lifecycle_next(STATE_PROCESSING, ACTION_REQUEST_SUPPLEMENT,
	                                ROLE_SPECIALIST, &f, &to, &e),
	                 ERR_GUARD_FAILED);
	assert_non_null(strstr(e.detail, "supplement"));
	f.extensions_used = 1;
	assert_int_equal(
	        lifecycle_next(STATE_PROCESSING, ACTION_EXTEND, ROLE_APPROVER, &f, &to, &e),
	        ERR_GUARD_FAILED);
	/* Sign-off: completion needs it when the procedure has the step. */
	f.needs_signoff = true;
	assert_int_equal(
	        lifecycle_next(STATE_PROCESSING, ACTION_COMPLETE, ROLE_SPECIALIST, &f, &to, &e),
	        ERR_GUARD_FAILED);
	assert_int_equal(lifecycle_next(STATE_PROCESSING, ACTION_SUBMIT_SIGNOFF, ROLE_SPECIALIST,
	                                &f, &to, &e),
	                 ERR_OK);
	assert_int_equal(to, STATE_AWAITING_SIGNOFF);
	/* Boundary-free reception and online filing. */
	f.receivable_here = false;
	assert_int_equal(lifecycle_next(STATE_NONE, ACTION_RECEIVE, ROLE_OFFICER, &f, &to, &e),
	                 ERR_GUARD_FAILED);
	assert_non_null(strstr(e.detail, "boundary-free"));
	f.online_allowed = false;
	assert_int_equal(lifecycle_next(STATE_NONE, ACTION_SUBMIT, ROLE_APPLICANT, &f, &to, &e),
	                 ERR_GUARD_FAILED);
	/* Only the branch of collection hands the result over. */
	f.actor_at_collection_branch = false;
	assert_int_equal(
	        lifecycle_next(STATE_RESULT_AT_BRANCH, ACTION_DELIVER, ROLE_OFFICER, &f, &to, &e),
	        ERR_GUARD_FAILED);
	/* Rating once. */
	f.rated = true;
	assert_int_equal(lifecycle_next(STATE_DELIVERED, ACTION_RATE, ROLE_APPLICANT, &f, &to, &e),
	                 ERR_GUARD_FAILED);
	/* Guards other than none fail closed without facts. */
	assert_int_equal(
	        lifecycle_next(STATE_PROCESSING, ACTION_EXTEND, ROLE_APPROVER, NULL, &to, &e),
	        ERR_GUARD_FAILED);
	/* Out of range. */
	assert_int_equal(lifecycle_next(STATE__COUNT, ACTION_RATE, ROLE_APPLICANT, &f, &to, &e),
	                 ERR_UNKNOWN_STATE);
	assert_int_equal(
	        lifecycle_next(STATE_DELIVERED, ACTION__COUNT, ROLE_APPLICANT, &f, &to, &e),
	        ERR_UNKNOWN_ACTION);
}

static void test_allowed_list(void **state)
{
	(void)state;
	struct lifecycle_facts f = permissive(false, false);
	enum dossier_action out[ACTION__COUNT];
	size_t n = lifecycle_allowed(STATE_PROCESSING, ROLE_SPECIALIST, &f, out, ACTION__COUNT);
	bool complete = false, stop = false;
	for (size_t i = 0; i < n; i++) {
		complete |= out[i] == ACTION_COMPLETE;
		stop |= out[i] == ACTION_STOP;
	}
	assert_true(complete);
	assert_false(stop);
	assert_int_equal(lifecycle_allowed(STATE_PROCESSING, ROLE_LEADER, &f, out, ACTION__COUNT),
	                 0);
	/* The list is bounded by max. */
	assert_int_equal(lifecycle_allowed(STATE_PROCESSING, ROLE_SPECIALIST, &f, out, 2), 2);
	/* Forms issued by actions. */
	assert_int_equal(lifecycle_action_form(ACTION_RECEIVE), FORM_RECEIPT);
	assert_int_equal(lifecycle_action_form(ACTION_REQUEST_SUPPLEMENT), FORM_SUPPLEMENT);
	assert_int_equal(lifecycle_action_form(ACTION_EXTEND), FORM_APOLOGY);
	assert_int_equal(lifecycle_action_form(ACTION_REFUSE_RECEPTION), FORM_REFUSAL);
	assert_int_equal(lifecycle_action_form(ACTION_STOP), FORM_STOP_NOTICE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_portal_codes),
	        cmocka_unit_test(test_names_round_trip),
	        cmocka_unit_test(test_clock),
	        cmocka_unit_test(test_exhaustive),
	        cmocka_unit_test(test_reachability),
	        cmocka_unit_test(test_whole_life),
	        cmocka_unit_test(test_errors_and_guards),
	        cmocka_unit_test(test_allowed_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
