/*
 * Unit tests for service/intake: counter intake, online filing and
 * acceptance, refusal at reception, population data reuse, routing, the
 * dossier code and the daily sequence under concurrency.
 *
 * Calendar facts used for expected deadlines (data/holidays.csv):
 *   2025-08-27 is a Wednesday; Mon 1 and Tue 2 September 2025 are days off
 *   (National Day, 2/9 and the adjacent day); 2025-08-30/31 is a weekend.
 *   Office hours 08:00-12:00, 13:00-17:00 (config default); N working days
 *   end at 17:00 of the N-th working day after the reception day (Civil Code
 *   2015 Art. 147(1), docs/calendar.md); same-day cut-off 15:00 (config).
 * Dossier code layout: Circular 01/2018/TT-VPCP Art. 19 (UNIT-YYMMDD-NNNN).
 * The world is described in dossier_fixture.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>

#include "dossier_fixture.h"
#include "service/action.h"
#include "service/intake.h"

static const char *component_status(struct fx *f, const char *id, int seq)
{
	char sql[160];
	snprintf(sql, sizeof sql,
	         "SELECT status FROM dossier_component WHERE dossier_id = $1 AND seq = %d", seq);
	return fx_text(f, sql, id);
}

/* Counter intake of An (lives in 00070) at branch A, 3 working days. */
static void test_receive_counter(void **state)
{
	struct fx *f = *state;
	struct actor off;
	FX_OFF_A(&off);
	struct intake_request r;
	fx_an(&r, "T.SIGN");
	struct intake_result out;
	struct err e = {0};
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_OK);
	/* code: branch A's identifier, 2025-08-27, first of the day */
	assert_string_equal(out.code, "000.01.01.H26-250827-0001");
	assert_string_equal(out.state, "received");
	assert_int_equal(out.portal_code, 2);
	assert_int_equal(out.version, 1);
	/* received inside office hours: the legal reception is the instant itself */
	assert_int_equal(out.received_at, fx_time("2025-08-27T09:00"));
	/* day 1 Thu 28, day 2 Fri 29, (Sat, Sun, Mon 1/9 and Tue 2/9 off) day 3 Wed 3/9 */
	assert_int_equal(out.due_at, fx_time("2025-09-03T17:00"));
	/* routed by the registry's residence (00070), not to the receiving branch */
	assert_string_equal(out.competent_unit, "UBND-00070");
	assert_false(out.competent_chosen);
	assert_string_equal(out.receiving_unit, "CN-A");
	assert_string_equal(out.collection_unit, "CN-A");
	assert_true(out.population_verified);
	assert_string_equal(out.residence_commune, "00070");
	/* step 1 (officer, 10%) of 31 working hours (Wed 7 + Thu 8 + Fri 8 + Wed 8):
	 * 3 h 06 min from 09:00 -> 12:00, then 13:06 */
	assert_int_equal(out.step_seq, 1);
	assert_int_equal(out.step_due_at, fx_time("2025-08-27T13:06"));
	/* components: the form handed in, ID and residence from population data */
	assert_string_equal(component_status(f, out.id, 1), "received");
	assert_string_equal(component_status(f, out.id, 2), "population");
	assert_string_equal(component_status(f, out.id, 3), "population");
	assert_string_equal(component_status(f, out.id, 4), "not_applicable");
	/* one event, one outbox row (portal status 2), two audit rows (look-up, receive) */
	assert_int_equal(fx_count(f, "dossier_event"), 1);
	assert_int_equal(fx_count(f, "outbox"), 1);
	assert_int_equal(fx_count(f, "audit"), 2);
	assert_int_equal(
	        fx_int(f, "SELECT count(*) FROM outbox WHERE payload LIKE $1", "%\"status\":2%"),
	        1);
	assert_int_equal(fx_int(f, "SELECT value FROM counter WHERE name = $1",
	                        "seq:000.01.01.H26:20250827"),
	                 1);
	/* the second of the day */
	fx_an(&r, "T.SIGN");
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_OK);
	assert_string_equal(out.code, "000.01.01.H26-250827-0002");
	/* another unit has its own sequence; another day starts again at 1 */
	fx_at(f, "2025-08-28T10:00");
	fx_an(&r, "T.SIGN");
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_OK);
	assert_string_equal(out.code, "000.01.01.H26-250828-0001");
}

/* Population data: three facts must match; a mismatch says nothing more. */
static void test_population_check(void **state)
{
	struct fx *f = *state;
	struct actor off;
	FX_OFF_A(&off);
	struct intake_population p;
	struct err e = {0};
	int64_t before = fx_count(f, "audit");
	assert_rc(intake_population_check(&f->svc, &off, FX_AN_ID, "nguyen van AN",
	                                  fx_day(FX_AN_BIRTH), &p, &e),
	          ERR_OK);
	assert_true(p.matched); /* the name is compared folded */
	assert_string_equal(p.residence_commune, "00070");
	/* right ID and name, wrong date of birth */
	assert_rc(intake_population_check(&f->svc, &off, FX_AN_ID, FX_AN_NAME, fx_day("1990-05-13"),
	                                  &p, &e),
	          ERR_OK);
	assert_false(p.matched);
	assert_string_equal(p.residence_commune, "");
	/* a valid number that is not in the registry: the same answer */
	assert_rc(intake_population_check(&f->svc, &off, "001090099999", FX_AN_NAME,
	                                  fx_day(FX_AN_BIRTH), &p, &e),
	          ERR_OK);
	assert_false(p.matched);
	assert_string_equal(p.residence_commune, "");
	/* each look-up audited */
	assert_int_equal(fx_count(f, "audit"), before + 3);
	assert_int_equal(
	        fx_int(f, "SELECT count(*) FROM audit WHERE action = $1", "population.lookup"), 3);
	/* a malformed number is refused before any look-up */
	assert_rc(intake_population_check(&f->svc, &off, "12345", FX_AN_NAME, fx_day(FX_AN_BIRTH),
	                                  &p, &e),
	          ERR_INVALID_CCCD);
	/* a specialist does not check population data */
	struct actor spec;
	FX_SPEC_B1(&spec);
	assert_rc(intake_population_check(&f->svc, &spec, FX_AN_ID, FX_AN_NAME, fx_day(FX_AN_BIRTH),
	                                  &p, &e),
	          ERR_FORBIDDEN);
	assert_int_equal(fx_count(f, "audit"), before + 3);
}

/* A mismatch means the replaced components must be handed in; the look-up stays audited. */
static void test_population_mismatch(void **state)
{
	struct fx *f = *state;
	struct actor off;
	FX_OFF_A(&off);
	struct intake_request r;
	fx_an(&r, "T.SIGN");
	r.birth_day = fx_day("1990-05-13");
	r.residence_commune = "00008"; /* declared; the registry does not confirm it */
	struct intake_result out;
	struct err e = {0};
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_MISSING_ARGUMENT);
	assert_non_null(strstr(e.detail, "component 2"));
	assert_int_equal(fx_count(f, "dossier"), 0);
	assert_int_equal(fx_count(f, "sequence"), 0);
	assert_int_equal(fx_count(f, "audit"), 1); /* the look-up */
	/* components 1-3 handed in; residence declared (not confirmed by the registry) */
	fx_components(&r, 3, true);
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_OK);
	assert_false(out.population_verified);
	assert_string_equal(out.competent_unit, "UBND-00008");
	assert_string_equal(component_status(f, out.id, 2), "received");
	/* originals kept: custody at the receiving branch */
	assert_string_equal(fx_text(f, "SELECT custody FROM dossier WHERE id = $1", out.id),
	                    "CN-A");
	/* an unknown declared commune */
	r.residence_commune = "99999";
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_INVALID_ARGUMENT);
}

/* No Hanoi residence on record and none given: the officer must choose. */
static void test_competent_unit_required(void **state)
{
	struct fx *f = *state;
	struct actor off;
	FX_OFF_A(&off);
	struct intake_request r;
	fx_an(&r, "T.SIGN");
	r.applicant_name = FX_CUONG_NAME;
	r.id_number = FX_CUONG_ID;
	r.birth_day = fx_day(FX_CUONG_BIRTH);
	fx_components(&r, 3, false);
	struct intake_result out;
	struct err e = {0};
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_COMPETENT_UNIT_REQUIRED);
	assert_int_equal(fx_count(f, "dossier"), 0);
	assert_int_equal(fx_count(f, "sequence"), 0);
	/* a unit of the wrong kind */
	r.competent_unit = "SO-TP";
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_INVALID_ARGUMENT);
	r.competent_unit = "NOPE";
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_INVALID_ARGUMENT);
	/* the choice is recorded */
	r.competent_unit = "UBND-00008";
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_OK);
	assert_string_equal(out.competent_unit, "UBND-00008");
	assert_true(out.competent_chosen);
	assert_string_equal(
	        fx_text(f, "SELECT competent_chosen_by FROM dossier WHERE id = $1", out.id),
	        "off-a");
	/* when the unit is determined, another choice is refused */
	fx_an(&r, "T.SIGN");
	r.competent_unit = "UBND-00008";
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_INVALID_ARGUMENT);
	r.competent_unit = "UBND-00070";
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_OK);
	assert_false(out.competent_chosen);
}

/* A procedure that is not boundary-free: refused at a branch, with where to go. */
static void test_not_boundary_free(void **state)
{
	struct fx *f = *state;
	struct actor off, offb;
	FX_OFF_A(&off);
	FX_OFF_B(&offb);
	struct intake_request r;
	fx_an(&r, "T.LOCAL");
	struct intake_result out;
	struct err e = {0};
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_GUARD_FAILED);
	assert_string_equal(out.refer_unit, "UBND-00070");
	assert_string_equal(out.refer_name, "UBND phường Hoàn Kiếm");
	assert_non_null(strstr(e.detail, "UBND-00070"));
	assert_int_equal(fx_count(f, "dossier"), 0);
	assert_int_equal(fx_count(f, "sequence"), 0);
	/* the competent unit itself receives it, with its own identifier */
	assert_rc(intake_receive(&f->svc, &offb, &r, &out, &e), ERR_OK);
	assert_string_equal(out.code, "000.70.00.H26-250827-0001");
	/* not online */
	struct actor cit;
	fx_citizen(&cit, "cit-an");
	fx_an(&r, "T.LOCAL");
	r.collection_unit = "CN-A";
	assert_rc(intake_submit(&f->svc, &cit, &r, &out, &e), ERR_GUARD_FAILED);
}

/* Hours, same day and cut-off. */
static void test_times(void **state)
{
	struct fx *f = *state;
	struct actor off;
	FX_OFF_A(&off);
	struct intake_request r;
	struct intake_result out;
	struct err e = {0};
	/* 16 working hours from Thu 28/8 14:00: Thu 3 h, Fri 8 h, (1-2/9 off), Wed 3/9
	 * 08:00-12:00 4 h and 13:00-14:00 1 h -> Wed 3/9 14:00; city level: fixed agency */
	fx_at(f, "2025-08-28T14:00");
	fx_an(&r, "T.HOURS");
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_OK);
	assert_int_equal(out.due_at, fx_time("2025-09-03T14:00"));
	assert_string_equal(out.competent_unit, "SO-TP");
	assert_int_equal(out.step_seq, 0); /* no steps */
	/* same day before the 15:00 cut-off: due at 17:00 that day */
	fx_an(&r, "T.SAME");
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_OK);
	assert_int_equal(out.due_at, fx_time("2025-08-28T17:00"));
	/* after the cut-off: received on Fri 29/8 08:00, due Fri 29/8 17:00 */
	fx_at(f, "2025-08-28T15:30");
	fx_an(&r, "T.SAME");
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_OK);
	assert_int_equal(out.received_at, fx_time("2025-08-29T08:00"));
	assert_int_equal(out.due_at, fx_time("2025-08-29T17:00"));
	/* the code keeps the calendar date of the counter: 28/8 */
	assert_non_null(strstr(out.code, "-250828-"));
	/* at 18:00 on Fri 29/8 (after hours, before the holiday): legal reception Wed 3/9 */
	fx_at(f, "2025-08-29T18:00");
	fx_an(&r, "T.SAME");
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_OK);
	assert_int_equal(out.received_at, fx_time("2025-09-03T08:00"));
	assert_int_equal(out.due_at, fx_time("2025-09-03T17:00"));
}

/* Police-level procedures go to the commune police; property ones to the property's commune. */
static void test_routing(void **state)
{
	struct fx *f = *state;
	struct actor off;
	FX_OFF_A(&off);
	struct intake_request r;
	struct intake_result out;
	struct err e = {0};
	intake_request_init(&r);
	r.procedure_code = "T.POLICE";
	r.applicant_name = FX_BINH_NAME;
	r.id_number = FX_BINH_ID;
	r.birth_day = fx_day(FX_BINH_BIRTH);
	fx_components(&r, 1, false);
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_OK);
	assert_string_equal(out.competent_unit, "CA-00008");
	r.procedure_code = "T.PROP";
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_COMPETENT_UNIT_REQUIRED);
	r.property_commune = "00070";
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_OK);
	assert_string_equal(out.competent_unit, "UBND-00070");
	/* a commune without units in the data: not determinable */
	r.property_commune = "00004";
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_COMPETENT_UNIT_REQUIRED);
}

/* Online filing on a Saturday, accepted at another branch after the holiday. */
static void test_online_submit_accept(void **state)
{
	struct fx *f = *state;
	struct actor cit, offc, offa;
	fx_citizen(&cit, "cit-an");
	FX_OFF_C(&offc);
	FX_OFF_A(&offa);
	struct intake_request r;
	struct intake_result out;
	struct err e = {0};
	fx_at(f, "2025-08-30T10:00");
	fx_an(&r, "T.SIGN");
	assert_rc(intake_submit(&f->svc, &cit, &r, &out, &e), ERR_MISSING_ARGUMENT);
	r.collection_unit = "PV-X"; /* does not return results */
	assert_rc(intake_submit(&f->svc, &cit, &r, &out, &e), ERR_INVALID_ARGUMENT);
	r.collection_unit = "CN-C";
	assert_rc(intake_submit(&f->svc, &cit, &r, &out, &e), ERR_OK);
	assert_string_equal(out.state, "submitted");
	assert_int_equal(out.portal_code, 1);
	assert_string_equal(out.code, "");
	assert_int_equal(out.due_at, DB_NONE);
	assert_string_equal(out.competent_unit, "UBND-00070");
	assert_string_equal(fx_text(f, "SELECT owner_account FROM dossier WHERE id = $1", out.id),
	                    "cit-an");
	char id[DBD_ID_SIZE];
	str_copy(id, sizeof id, out.id);
	/* staff do not file online */
	assert_rc(intake_submit(&f->svc, &offa, &r, &out, &e), ERR_FORBIDDEN);
	/* accepted by branch C on Wed 3/9 08:30: days Thu 4, Fri 5, Mon 8 */
	fx_at(f, "2025-09-03T08:30");
	struct action_result ar;
	assert_rc(intake_accept(&f->svc, &offc, id, 2, NULL, &ar, &e), ERR_VERSION_CONFLICT);
	assert_rc(intake_accept(&f->svc, &offc, id, 1, NULL, &ar, &e), ERR_OK);
	assert_string_equal(ar.code, "000.03.01.H26-250903-0001");
	assert_string_equal(ar.state, "received");
	assert_int_equal(ar.portal_code, 2);
	assert_string_equal(ar.form, "receipt");
	assert_int_equal(ar.received_at, fx_time("2025-09-03T08:30"));
	assert_int_equal(ar.due_at, fx_time("2025-09-08T17:00"));
	assert_string_equal(fx_text(f, "SELECT receiving_unit FROM dossier WHERE id = $1", id),
	                    "CN-C");
	/* accepted once only */
	assert_rc(intake_accept(&f->svc, &offa, id, 2, NULL, &ar, &e), ERR_ACTION_NOT_ALLOWED);

	/* no residence on record: the accepting officer chooses the competent unit */
	intake_request_init(&r);
	r.procedure_code = "T.SIGN";
	r.applicant_name = FX_CUONG_NAME;
	r.id_number = FX_CUONG_ID;
	r.birth_day = fx_day(FX_CUONG_BIRTH);
	r.by_post = true;
	r.post_address = "12 Phố Huế, Hà Nội";
	fx_components(&r, 3, false);
	struct actor cuong;
	fx_citizen(&cuong, "cit-binh"); /* any citizen account files for itself */
	assert_rc(intake_submit(&f->svc, &cuong, &r, &out, &e), ERR_OK);
	assert_string_equal(out.competent_unit, "");
	str_copy(id, sizeof id, out.id);
	assert_rc(intake_accept(&f->svc, &offa, id, 1, NULL, &ar, &e), ERR_COMPETENT_UNIT_REQUIRED);
	assert_int_equal(fx_count(f, "sequence"), 1); /* no number lost */
	assert_rc(intake_accept(&f->svc, &offa, id, 1, "UBND-00008", &ar, &e), ERR_OK);
	assert_string_equal(ar.code, "000.01.01.H26-250903-0001");
	assert_string_equal(fx_text(f, "SELECT competent_chosen_by FROM dossier WHERE id = $1", id),
	                    "off-a");
}

/* Refusal at the counter: a dossier in state refused_at_reception, without a code. */
static void test_refuse_at_reception(void **state)
{
	struct fx *f = *state;
	struct actor off;
	FX_OFF_A(&off);
	struct intake_request r;
	fx_an(&r, "T.SIGN");
	r.n_components = 0;
	struct intake_result out;
	struct err e = {0};
	assert_rc(intake_refuse(&f->svc, &off, &r, NULL, &out, &e), ERR_MISSING_ARGUMENT);
	assert_rc(intake_refuse(&f->svc, &off, &r, "thiếu tờ khai", &out, &e), ERR_OK);
	assert_string_equal(out.state, "refused_at_reception");
	assert_int_equal(out.portal_code, 3);
	assert_string_equal(out.code, "");
	assert_int_equal(fx_count(f, "sequence"), 0);
	assert_string_equal(
	        fx_text(f, "SELECT note FROM dossier_event WHERE dossier_id = $1", out.id),
	        "thiếu tờ khai");
	assert_string_equal(component_status(f, out.id, 1), "missing");
	/* terminal: nothing but complaints follows */
	struct action_result ar;
	assert_rc(action_perform(&f->svc, &off, out.id, "withdraw", 1, NULL, &ar, &e),
	          ERR_ACTION_NOT_ALLOWED);
}

/* Bad forms and wrong actors change nothing. */
static void test_bad_forms(void **state)
{
	struct fx *f = *state;
	struct actor off, spec, offx;
	FX_OFF_A(&off);
	FX_SPEC_B1(&spec);
	fx_staff(&offx, "off-a", ROLE_OFFICER, "PV-X");
	struct intake_request r;
	struct intake_result out;
	struct err e = {0};
	struct fx_counts before, after;
	fx_counts(f, &before);
	fx_an(&r, "T.SIGN");
	r.id_number = "001090012346"; /* valid layout, but the year 90 vs a birth in 1991 */
	r.birth_day = fx_day("1991-05-12");
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_CCCD_MISMATCH);
	r.id_number = "00109001234";
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_INVALID_CCCD);
	fx_an(&r, "T.NOPE");
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_NOT_FOUND);
	fx_an(&r, "T.SIGN");
	r.applicant_kind = INTAKE_ORGANISATION;
	r.id_number = NULL;
	r.birth_day = INTAKE_NO_DAY;
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_MISSING_ARGUMENT);
	r.tax_code = "01001091"; /* 8 digits */
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_INVALID_ARGUMENT);
	r.tax_code = "0100109106-001";
	r.representative_name = "Phạm Văn Đại";
	r.representative_id_number = FX_BINH_ID;
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_MISSING_ARGUMENT);
	fx_an(&r, "T.SIGN");
	static const struct intake_component twice[] = {{1, false}, {1, false}};
	r.components = twice;
	r.n_components = 2;
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_INVALID_ARGUMENT);
	fx_an(&r, "T.SIGN");
	r.applicant_name = "";
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_MISSING_ARGUMENT);
	r.applicant_name = "bad \x01 name";
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_INVALID_ARGUMENT);
	/* a unit that does not receive, and a role that does not receive */
	fx_an(&r, "T.SIGN");
	assert_rc(intake_receive(&f->svc, &offx, &r, &out, &e), ERR_FORBIDDEN);
	assert_rc(intake_receive(&f->svc, &spec, &r, &out, &e), ERR_FORBIDDEN);
	fx_counts(f, &after);
	assert_true(fx_counts_equal(&before, &after));
	/* a component the procedure does not have is found after the population look-up:
	 * the look-up stays audited, nothing else is written */
	fx_an(&r, "T.SIGN");
	static const struct intake_component unknown[] = {{1, false}, {9, false}};
	r.components = unknown;
	r.n_components = 2;
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_INVALID_ARGUMENT);
	fx_counts(f, &after);
	before.audit++;
	after.counter = before.counter; /* the audit's own sequence moved with it */
	assert_true(fx_counts_equal(&before, &after));
}

/* Several applicants (marriage); an organisation with its representative; the owner link. */
static void test_applicants(void **state)
{
	struct fx *f = *state;
	struct actor off;
	FX_OFF_A(&off);
	struct intake_request r;
	struct intake_result out;
	struct err e = {0};
	struct intake_person binh = {FX_BINH_NAME, FX_BINH_ID, 0};
	binh.birth_day = fx_day(FX_BINH_BIRTH);
	fx_an(&r, "T.SIGN");
	r.co_applicants = &binh;
	r.n_co_applicants = 1;
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_OK);
	assert_true(out.population_verified);
	assert_string_equal(component_status(f, out.id, 2), "population");
	assert_int_equal(fx_int(f,
	                        "SELECT count(*) FROM dossier_applicant WHERE dossier_id = $1 "
	                        "AND population_verified = 1",
	                        out.id),
	                 1);
	/* one person not confirmed: nothing is replaced */
	binh.full_name = "Trần Thị Bích";
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_MISSING_ARGUMENT);
	/* the same person twice */
	binh.id_number = FX_AN_ID;
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_INVALID_ARGUMENT);
	/* an organisation through its representative, routed by the property */
	intake_request_init(&r);
	r.procedure_code = "T.PROP";
	r.applicant_kind = INTAKE_ORGANISATION;
	r.applicant_name = "Công ty TNHH Ví Dụ";
	r.tax_code = "0100109106";
	r.representative_name = FX_BINH_NAME;
	r.representative_id_number = FX_BINH_ID;
	r.authorisation_doc = "Giấy ủy quyền số 12/2025";
	r.property_commune = "00070";
	fx_components(&r, 1, false);
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_OK);
	assert_false(out.population_verified);
	/* linking the applicant's own account at the counter */
	fx_an(&r, "T.SIGN");
	r.owner_account = "cit-binh";
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_INVALID_ARGUMENT);
	r.owner_account = "cit-an";
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_OK);
	assert_string_equal(fx_text(f, "SELECT owner_account FROM dossier WHERE id = $1", out.id),
	                    "cit-an");
}

/* ---- the daily sequence under concurrent intakes ---- */

#define SEQ_THREADS 6
#define SEQ_EACH    8

struct seq_arg {
	struct fx *f;
	pthread_barrier_t *start;
	char codes[SEQ_EACH][DBD_KEY_SIZE];
	int ok;
};

static void *seq_thread(void *p)
{
	struct seq_arg *a = p;
	struct actor off;
	FX_OFF_A(&off);
	pthread_barrier_wait(a->start);
	for (int i = 0; i < SEQ_EACH; i++) {
		struct intake_request r;
		struct intake_result out;
		struct err e = {0};
		fx_an(&r, "T.SIGN");
		if (intake_receive(&a->f->svc, &off, &r, &out, &e) == ERR_OK) {
			str_copy(a->codes[i], DBD_KEY_SIZE, out.code);
			a->ok++;
		} else {
			fprintf(stderr, "intake failed: %s\n", e.detail);
		}
	}
	db_thread_conn_close(a->f->db);
	return NULL;
}

static void test_concurrent_sequence(void **state)
{
	struct fx *f = *state;
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, SEQ_THREADS);
	static struct seq_arg args[SEQ_THREADS];
	pthread_t th[SEQ_THREADS];
	for (int i = 0; i < SEQ_THREADS; i++) {
		memset(&args[i], 0, sizeof args[i]);
		args[i].f = f;
		args[i].start = &start;
		assert_int_equal(pthread_create(&th[i], NULL, seq_thread, &args[i]), 0);
	}
	for (int i = 0; i < SEQ_THREADS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	/* every intake succeeded, and the sequences are exactly 1..N: unique, no gap */
	bool seen[SEQ_THREADS * SEQ_EACH + 1] = {0};
	for (int i = 0; i < SEQ_THREADS; i++) {
		assert_int_equal(args[i].ok, SEQ_EACH);
		for (int k = 0; k < SEQ_EACH; k++) {
			struct dossier_code dc;
			assert_int_equal(dossier_code_parse(args[i].codes[k], &dc, NULL), ERR_OK);
			assert_string_equal(dc.unit, "000.01.01.H26");
			assert_true(dc.sequence >= 1 && dc.sequence <= SEQ_THREADS * SEQ_EACH);
			assert_false(seen[dc.sequence]);
			seen[dc.sequence] = true;
		}
	}
	assert_int_equal(fx_int(f, "SELECT value FROM counter WHERE name = $1",
	                        "seq:000.01.01.H26:20250827"),
	                 SEQ_THREADS * SEQ_EACH);
	assert_int_equal(fx_count(f, "dossier"), SEQ_THREADS * SEQ_EACH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_receive_counter, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_population_check, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_population_mismatch, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_competent_unit_required, fx_setup,
	                                        fx_teardown),
	        cmocka_unit_test_setup_teardown(test_not_boundary_free, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_times, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_routing, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_online_submit_accept, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_refuse_at_reception, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_bad_forms, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_applicants, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_concurrent_sequence, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
