/*
 * Tests of service/admin.c on SQLite, in the small world of dossier_fixture.h:
 * validation with the importer's rules (messages on the right form field),
 * an audit row for every change and none for a refused or empty one,
 * components and steps that dossiers refer to, branches, staff accounts, and
 * announced days off: they change the working-day computation of the running
 * service at once, reach another service sharing the database through
 * admin_calendar_sync(), and a new service picks them up at start-up.
 *
 * Sources of the expected values: the importer's rules (data/README.md,
 * src/service/import.c); Labour Code 2019 Art. 112(1) (2/9 is a statutory day
 * off, so an announcement for National Day must keep it); the calendar (2 Sept
 * 2027 is a Thursday, 28 Aug 2027 a Saturday, 1 Jan 2026 is in
 * data/holidays.csv); Vietnamese numbering (mobile 10 digits, Hanoi fixed
 * lines 024 + 8 digits since 2017, hotline 1022 of the centre).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>

#include "service/admin.h"
#include "service/audit.h"

#include "dossier_fixture.h"

static const struct actor *admin_actor(void)
{
	static struct actor a;
	fx_staff(&a, "adm", ROLE_ADMIN, NULL);
	return &a;
}

/* The action of the last audit row. */
static const char *last_audit_action(struct fx *f)
{
	return fx_text(
	        f, "SELECT action FROM audit WHERE seq = (SELECT max(seq) FROM audit) AND $1 = $1",
	        "");
}

static const char *last_audit_detail(struct fx *f)
{
	return fx_text(
	        f, "SELECT detail FROM audit WHERE seq = (SELECT max(seq) FROM audit) AND $1 = $1",
	        "");
}

/* A valid form of T.CONT as stored by the fixture. */
static void tcont_input(struct admin_procedure_input *in)
{
	memset(in, 0, sizeof *in);
	in->name_vi = "Thủ tục tiếp tục";
	in->name_en = "Continue procedure";
	in->sector = "Hộ tịch";
	in->level = "commune";
	in->competent_kind = "commune_committee";
	in->competent_unit = "";
	in->route_by = "residence";
	in->legal_amount = "5";
	in->legal_unit = "days";
	in->cutoff = "";
	in->fee_vnd = "50000";
	in->online = "partial";
	in->boundary_free = true;
	in->supplement_rule = "continue";
	in->max_supplements = "2";
	in->max_extensions = "1";
	in->active = true;
	in->source = "";
}

/* ---- procedures ---- */

static void test_procedure_update(void **state)
{
	struct fx *f = *state;
	struct admin_procedure_input in;
	struct admin_errors fe;
	struct err e;
	bool changed = true;
	err_clear(&e);
	int64_t audits = fx_count(f, "audit");

	/* the stored values again: nothing changes, nothing is audited */
	tcont_input(&in);
	assert_rc(admin_procedure_update(&f->svc, admin_actor(), "T.CONT", &in, &changed, &fe, &e),
	          ERR_OK);
	assert_false(changed);
	assert_int_equal(fx_count(f, "audit"), audits);

	/* a new fee and legal time: stored and audited with old and new values */
	in.fee_vnd = "75000";
	in.legal_amount = "7";
	assert_rc(admin_procedure_update(&f->svc, admin_actor(), "T.CONT", &in, &changed, &fe, &e),
	          ERR_OK);
	assert_true(changed);
	assert_int_equal(fx_int(f, "SELECT fee_vnd FROM procedure WHERE code = $1", "T.CONT"),
	                 75000);
	assert_int_equal(fx_int(f, "SELECT legal_days FROM procedure WHERE code = $1", "T.CONT"),
	                 7);
	assert_int_equal(fx_count(f, "audit"), audits + 1);
	assert_string_equal(last_audit_action(f), "procedure.update");
	assert_non_null(strstr(last_audit_detail(f), "\"fee_vnd\":[50000,75000]"));
	assert_non_null(strstr(last_audit_detail(f), "\"legal_days\":[5,7]"));

	/* deactivated, then active again */
	in.active = false;
	assert_rc(admin_procedure_update(&f->svc, admin_actor(), "T.CONT", &in, &changed, &fe, &e),
	          ERR_OK);
	assert_int_equal(fx_int(f, "SELECT active FROM procedure WHERE code = $1", "T.CONT"), 0);
	in.active = true;
	assert_rc(admin_procedure_update(&f->svc, admin_actor(), "T.CONT", &in, &changed, &fe, &e),
	          ERR_OK);
	assert_int_equal(fx_int(f, "SELECT active FROM procedure WHERE code = $1", "T.CONT"), 1);

	/* unknown procedure, and a non-administrator */
	assert_rc(
	        admin_procedure_update(&f->svc, admin_actor(), "9.999999", &in, &changed, &fe, &e),
	        ERR_NOT_FOUND);
	struct actor leader;
	FX_LEADER(&leader);
	assert_rc(admin_procedure_update(&f->svc, &leader, "T.CONT", &in, &changed, &fe, &e),
	          ERR_FORBIDDEN);
}

/* Each broken rule is refused on its field, with the importer's message, and changes nothing. */
static void test_procedure_validation(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *what, *field, *detail;
	} cases[] = {
	        {"fee", "fee_vnd", "'-5' is not a whole number in 0..1000000000000"},
	        {"name", "name_vi", "empty"},
	        {"space", "name_en", "leading or trailing space"},
	        {"level", "level", "'district' is not one of: city, commune, police"},
	        {"rule", "competent_kind",
	         "a commune-level procedure goes to the commune_committee"},
	        {"fixed", "competent_kind", "route_by 'fixed' needs a competent_unit"},
	        {"unit", "competent_unit", "no unit 'SO-XX'"},
	        {"kind", "competent_kind", "'office' but unit 'SO-TP' is a department"},
	        {"cutoff", "cutoff", "a cut-off applies to a legal time in days only"},
	        {"cutoff2", "cutoff", "'25:00' is not a time HH:MM"},
	        {"days", "legal_amount", "'3651' is not a whole number in 0..3650"},
	        {"unit2", "legal_unit", "'weeks' is not one of: days, hours"},
	        {"limit", "max_supplements", "'101' is not a whole number in 0..100"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct admin_procedure_input in;
		struct admin_errors fe;
		struct err e;
		bool changed = false;
		err_clear(&e);
		tcont_input(&in);
		const char *w = cases[i].what;
		if (str_eq(w, "fee"))
			in.fee_vnd = "-5";
		else if (str_eq(w, "name"))
			in.name_vi = "";
		else if (str_eq(w, "space"))
			in.name_en = "Continue ";
		else if (str_eq(w, "level"))
			in.level = "district";
		else if (str_eq(w, "rule"))
			in.competent_kind = "commune_police";
		else if (str_eq(w, "fixed"))
			in.route_by = "fixed";
		else if (str_eq(w, "unit")) {
			in.level = "city", in.competent_kind = "department";
			in.competent_unit = "SO-XX", in.route_by = "fixed";
		} else if (str_eq(w, "kind")) {
			in.level = "city", in.competent_kind = "office";
			in.competent_unit = "SO-TP", in.route_by = "fixed";
		} else if (str_eq(w, "cutoff")) {
			in.legal_unit = "hours", in.cutoff = "15:00";
		} else if (str_eq(w, "cutoff2"))
			in.cutoff = "25:00";
		else if (str_eq(w, "days"))
			in.legal_amount = "3651";
		else if (str_eq(w, "unit2"))
			in.legal_unit = "weeks";
		else if (str_eq(w, "limit"))
			in.max_supplements = "101";
		int64_t audits = fx_count(f, "audit");
		int64_t fee = fx_int(f, "SELECT fee_vnd FROM procedure WHERE code = $1", "T.CONT");
		enum err_code rc = admin_procedure_update(&f->svc, admin_actor(), "T.CONT", &in,
		                                          &changed, &fe, &e);
		const struct admin_field_error *fe1 = admin_error_of(&fe, cases[i].field);
		if (rc != ERR_INVALID_ARGUMENT || !fe1 || !strstr(fe1->detail, cases[i].detail))
			fail_msg("case %s: %s, %s: '%s' (wanted %s: '%s')", w, err_code_str(rc),
			         fe.count ? fe.items[0].field : "-",
			         fe.count ? fe.items[0].detail : "", cases[i].field,
			         cases[i].detail);
		assert_int_equal(fx_count(f, "audit"), audits);
		assert_int_equal(
		        fx_int(f, "SELECT fee_vnd FROM procedure WHERE code = $1", "T.CONT"), fee);
	}
	/* an empty field is reported as required */
	struct admin_procedure_input in;
	struct admin_errors fe;
	struct err e;
	tcont_input(&in);
	in.sector = "";
	assert_int_equal(
	        admin_procedure_update(&f->svc, admin_actor(), "T.CONT", &in, NULL, &fe, &e),
	        ERR_INVALID_ARGUMENT);
	assert_int_equal(admin_error_of(&fe, "sector")->issue, ADMIN_REQUIRED);
}

static void test_components(void **state)
{
	struct fx *f = *state;
	struct admin_errors fe;
	struct err e;
	err_clear(&e);
	int64_t audits = fx_count(f, "audit");

	/* the importer's rules of a component name: no '|', no unknown [marker] */
	struct admin_component_input bad[] = {
	        {"Tờ khai", true, false, false},
	        {"Giấy A | Giấy B", true, false, false},
	        {"Bản sao [công chứng]", true, false, false},
	        {"Giấy tờ tùy thân [DC]", true, false, false},
	};
	assert_int_equal(
	        admin_procedure_set_components(&f->svc, admin_actor(), "T.LOCAL", bad, 4, &fe, &e),
	        ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(admin_error_of(&fe, "c2_name")->detail, "'|'"));
	assert_non_null(strstr(admin_error_of(&fe, "c3_name")->detail, "unknown marker"));
	assert_non_null(strstr(admin_error_of(&fe, "c4_name")->detail, "tick the boxes"));
	assert_null(admin_error_of(&fe, "c1_name"));
	assert_int_equal(fx_count(f, "audit"), audits);

	/* every row removed: a procedure keeps at least one component */
	struct admin_component_input none[] = {{"Tờ khai", true, false, true}};
	assert_int_equal(
	        admin_procedure_set_components(&f->svc, admin_actor(), "T.LOCAL", none, 1, &fe, &e),
	        ERR_INVALID_ARGUMENT);
	assert_non_null(admin_error_of(&fe, "components"));

	/* a second component, waivable by the population data */
	struct admin_component_input two[] = {
	        {"Tờ khai", true, false, false},
	        {"Giấy tờ tùy thân", true, true, false},
	};
	assert_rc(
	        admin_procedure_set_components(&f->svc, admin_actor(), "T.LOCAL", two, 2, &fe, &e),
	        ERR_OK);
	assert_int_equal(fx_int(f,
	                        "SELECT population_replaces FROM procedure_component WHERE "
	                        "procedure_code = $1 AND seq = 2",
	                        "T.LOCAL"),
	                 1);
	assert_string_equal(last_audit_action(f), "procedure.components");
	assert_int_equal(fx_count(f, "audit"), audits + 1);
	/* the same again: no audit row */
	assert_rc(
	        admin_procedure_set_components(&f->svc, admin_actor(), "T.LOCAL", two, 2, &fe, &e),
	        ERR_OK);
	assert_int_equal(fx_count(f, "audit"), audits + 1);

	/* a dossier of T.SIGN refers to its components: removing the 2nd would renumber them */
	struct actor off;
	FX_OFF_A(&off);
	struct intake_request r;
	struct intake_result out;
	fx_an(&r, "T.SIGN");
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_OK);
	struct admin_component_input sign[] = {
	        {"Tờ khai", true, false, false},
	        {"Giấy tờ tùy thân", true, true, true},
	        {"Giấy tờ cư trú", true, true, false},
	        {"Giấy tờ khác", false, false, false},
	};
	audits = fx_count(f, "audit");
	assert_int_equal(
	        admin_procedure_set_components(&f->svc, admin_actor(), "T.SIGN", sign, 4, &fe, &e),
	        ERR_INVALID_ARGUMENT);
	assert_int_equal(admin_error_of(&fe, "c2_remove")->issue, ADMIN_CONFLICT);
	assert_int_equal(fx_int(f,
	                        "SELECT count(*) FROM procedure_component WHERE "
	                        "procedure_code = $1",
	                        "T.SIGN"),
	                 4);
	assert_int_equal(fx_count(f, "audit"), audits);
	/* renaming in place and adding at the end keep the numbers: allowed */
	sign[1].remove = false;
	sign[1].name = "Căn cước";
	struct admin_component_input more[5];
	memcpy(more, sign, sizeof sign);
	more[4] = (struct admin_component_input){"Ảnh 4x6", false, false, false};
	assert_rc(
	        admin_procedure_set_components(&f->svc, admin_actor(), "T.SIGN", more, 5, &fe, &e),
	        ERR_OK);
	assert_int_equal(fx_int(f,
	                        "SELECT count(*) FROM procedure_component WHERE "
	                        "procedure_code = $1",
	                        "T.SIGN"),
	                 5);
}

static void test_steps(void **state)
{
	struct fx *f = *state;
	struct admin_errors fe;
	struct err e;
	err_clear(&e);
	int64_t audits = fx_count(f, "audit");

	/* shares must add up to 100 (the importer's message) */
	struct admin_step_input s90[] = {
	        {"Xử lý", "Processing", "70", "specialist", false},
	        {"Trả kết quả", "Return", "20", "officer", false},
	};
	assert_int_equal(
	        admin_procedure_set_steps(&f->svc, admin_actor(), "T.LOCAL", s90, 2, &fe, &e),
	        ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(admin_error_of(&fe, "steps")->detail, "add up to 90, not 100"));
	/* a bad role and a share out of range, each on its row */
	struct admin_step_input bad[] = {
	        {"Xử lý", "Processing", "0", "specialist", false},
	        {"Trả kết quả", "Return", "100", "clerk", false},
	};
	assert_int_equal(
	        admin_procedure_set_steps(&f->svc, admin_actor(), "T.LOCAL", bad, 2, &fe, &e),
	        ERR_INVALID_ARGUMENT);
	assert_non_null(
	        strstr(admin_error_of(&fe, "s1_share")->detail, "'0' is not a whole number"));
	assert_non_null(strstr(admin_error_of(&fe, "s2_role")->detail, "'clerk' is not one of"));
	assert_int_equal(fx_count(f, "audit"), audits);

	/* an approver step: sign-off becomes needed */
	struct admin_step_input ok[] = {
	        {"Xử lý", "Processing", "60", "specialist", false},
	        {"Ký duyệt", "Sign-off", "25", "approver", false},
	        {"Trả kết quả", "Return", "15", "officer", false},
	};
	assert_int_equal(
	        fx_int(f, "SELECT needs_signoff FROM procedure WHERE code = $1", "T.LOCAL"), 0);
	assert_rc(admin_procedure_set_steps(&f->svc, admin_actor(), "T.LOCAL", ok, 3, &fe, &e),
	          ERR_OK);
	assert_int_equal(
	        fx_int(f, "SELECT needs_signoff FROM procedure WHERE code = $1", "T.LOCAL"), 1);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM procedure_step WHERE procedure_code = $1",
	                        "T.LOCAL"),
	                 3);
	assert_string_equal(last_audit_action(f), "procedure.steps");
	assert_int_equal(fx_count(f, "audit"), audits + 1);
	/* removing the approver step: sign-off no longer needed */
	ok[1].remove = true;
	ok[0].share_pct = "85";
	assert_rc(admin_procedure_set_steps(&f->svc, admin_actor(), "T.LOCAL", ok, 3, &fe, &e),
	          ERR_OK);
	assert_int_equal(
	        fx_int(f, "SELECT needs_signoff FROM procedure WHERE code = $1", "T.LOCAL"), 0);

	/* T.SIGN has a dossier (test_components) at its first step: steps 1.. cannot go */
	struct admin_step_input sign[] = {
	        {"Tiếp nhận", "Reception", "10", "officer", true},
	        {"Xử lý", "Processing", "80", "specialist", false},
	        {"Ký duyệt", "Sign-off", "20", "approver", false},
	};
	assert_int_equal(
	        admin_procedure_set_steps(&f->svc, admin_actor(), "T.SIGN", sign, 3, &fe, &e),
	        ERR_INVALID_ARGUMENT);
	assert_int_equal(admin_error_of(&fe, "s1_remove")->issue, ADMIN_CONFLICT);
}

static void test_procedure_reads(void **state)
{
	struct fx *f = *state;
	struct err e;
	err_clear(&e);
	struct admin_procedure_page pg;
	/* diacritics ignored, word prefix; code prefix */
	assert_rc(admin_procedures(&f->svc, admin_actor(), "thu tuc trong", 10, 0, &pg, &e),
	          ERR_OK);
	assert_int_equal(pg.total, 1);
	assert_string_equal(pg.items[0].code, "T.SAME");
	admin_procedure_page_release(&pg);
	assert_rc(admin_procedures(&f->svc, admin_actor(), "T.", 3, 0, &pg, &e), ERR_OK);
	assert_int_equal(pg.total, 7);
	assert_int_equal(pg.count, 3);
	admin_procedure_page_release(&pg);
	assert_rc(admin_procedures(&f->svc, admin_actor(), NULL, 0, 0, &pg, &e), ERR_OUT_OF_RANGE);
	struct admin_procedure_view v;
	assert_rc(admin_procedure_get(&f->svc, admin_actor(), "T.SIGN", &v, &e), ERR_OK);
	assert_true(v.components.count >= 4);
	assert_int_equal(v.steps.count, 4);
	admin_procedure_view_release(&v);
	assert_rc(admin_procedure_get(&f->svc, admin_actor(), "NOPE", &v, &e), ERR_NOT_FOUND);
}

/* ---- branches ---- */

static void test_phone(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
	        {"024 3825 3536", "02438253536"}, /* Hanoi fixed line */
	        {"(024) 3825-3536", "02438253536"},
	        {"+84 24 3825 3536", "02438253536"},
	        {"0912.345.678", "0912345678"}, /* mobile */
	        {"+84912345678", "0912345678"},
	        {"1022", "1022"},          /* Hanoi's hotline */
	        {"1900 1234", "19001234"}, /* national hotline */
	        {"12345", NULL},
	        {"0123456789", NULL}, /* no mobile prefix 01 since 2018 */
	        {"024 3825 353", NULL},
	        {"+1 202 555 0100", NULL},
	        {"09x2345678", NULL},
	        {"", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[DB_ADMIN_PHONE_SIZE];
		struct err e;
		err_clear(&e);
		enum err_code rc = admin_phone_normalize(cases[i].in, out, &e);
		if (cases[i].out) {
			if (rc != ERR_OK || !str_eq(out, cases[i].out))
				fail_msg("'%s': %s '%s'", cases[i].in, e.detail, out);
		} else if (rc != ERR_INVALID_ARGUMENT) {
			fail_msg("'%s' accepted as '%s'", cases[i].in, out);
		}
	}
}

static void test_units(void **state)
{
	struct fx *f = *state;
	struct admin_errors fe;
	struct err e;
	bool changed = false;
	err_clear(&e);
	int64_t audits = fx_count(f, "audit");
	struct admin_unit_input in = {
	        "1 Phố A, phường Hoàn Kiếm", "Mon-Fri 08:00-17:00", "21.0285", "105.8542",
	        "from the city map",         "024 3825 3536"};
	assert_rc(admin_unit_update(&f->svc, admin_actor(), "CN-A", &in, &changed, &fe, &e),
	          ERR_OK);
	assert_true(changed);
	assert_string_equal(fx_text(f, "SELECT phone FROM unit WHERE code = $1", "CN-A"),
	                    "02438253536");
	assert_int_equal(fx_int(f, "SELECT lat_e6 FROM unit WHERE code = $1", "CN-A"), 21028500);
	assert_string_equal(last_audit_action(f), "unit.update");
	assert_non_null(strstr(last_audit_detail(f), "\"coordinates\""));
	assert_int_equal(fx_count(f, "audit"), audits + 1);
	/* the same again: unchanged, not audited */
	assert_rc(admin_unit_update(&f->svc, admin_actor(), "CN-A", &in, &changed, &fe, &e),
	          ERR_OK);
	assert_false(changed);
	assert_int_equal(fx_count(f, "audit"), audits + 1);

	/* outside Hanoi's box, one coordinate alone, a bad phone, a control character */
	struct admin_unit_input bad = in;
	bad.lat = "10.7769"; /* Ho Chi Minh City */
	bad.phone = "12345";
	bad.address = "1 Phố A\nhidden";
	assert_int_equal(admin_unit_update(&f->svc, admin_actor(), "CN-A", &bad, &changed, &fe, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(admin_error_of(&fe, "lat")->detail, "out of range"));
	assert_non_null(admin_error_of(&fe, "phone"));
	assert_non_null(strstr(admin_error_of(&fe, "address")->detail, "control character"));
	bad = in;
	bad.lon = "";
	assert_int_equal(admin_unit_update(&f->svc, admin_actor(), "CN-A", &bad, &changed, &fe, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(admin_error_of(&fe, "lon")->detail, "give both lat and lon"));
	assert_int_equal(fx_count(f, "audit"), audits + 1);
	/* an agency is not a branch */
	assert_rc(admin_unit_update(&f->svc, admin_actor(), "SO-TP", &in, &changed, &fe, &e),
	          ERR_NOT_FOUND);
	struct db_admin_unit_list list;
	assert_rc(admin_units(&f->svc, admin_actor(), &list, &e), ERR_OK);
	assert_int_equal(list.count, 4); /* TTPVHCC, CN-A, CN-C, PV-X */
	assert_string_equal(list.items[0].code, "TTPVHCC");
	db_admin_unit_list_free(&list);
}

/* ---- staff accounts ---- */

static void test_users(void **state)
{
	struct fx *f = *state;
	struct err e;
	err_clear(&e);
	assert_int_equal(config_set(&f->cfg, "password_opslimit", "1", CONFIG_FROM_ENV, &e),
	                 ERR_OK);
	assert_int_equal(config_set(&f->cfg, "password_memlimit_kib", "8", CONFIG_FROM_ENV, &e),
	                 ERR_OK);
	struct accounts acc;
	assert_rc(accounts_init(&acc, &f->svc, &e), ERR_OK);
	struct admin_errors fe;
	struct account_info info;
	const char *bad_roles[] = {"officer", "wizard"};
	struct admin_user_input in = {"x", "", "CN A", "short", bad_roles, 2};
	assert_int_equal(admin_user_create(&acc, admin_actor(), &in, &info, &fe, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_non_null(admin_error_of(&fe, "username"));
	assert_int_equal(admin_error_of(&fe, "full_name")->issue, ADMIN_REQUIRED);
	assert_non_null(strstr(admin_error_of(&fe, "roles")->detail, "'wizard'"));
	assert_non_null(admin_error_of(&fe, "unit_code"));
	assert_non_null(admin_error_of(&fe, "password"));

	/* an officer must work at a reception unit (account.c's rule, on the unit field) */
	const char *officer[] = {"officer"};
	struct admin_user_input o = {"new.officer",         "Nguyễn Thị Mới", "SO-TP",
	                             "Mot-cua-2025-secret", officer,          1};
	assert_int_equal(admin_user_create(&acc, admin_actor(), &o, &info, &fe, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_non_null(admin_error_of(&fe, "unit_code"));
	int64_t audits = fx_count(f, "audit");
	o.unit_code = "CN-C";
	assert_rc(admin_user_create(&acc, admin_actor(), &o, &info, &fe, &e), ERR_OK);
	assert_string_equal(info.username, "new.officer");
	assert_string_equal(last_audit_action(f), "account.create");
	assert_int_equal(fx_count(f, "audit"), audits + 1);
	/* taken */
	assert_int_equal(admin_user_create(&acc, admin_actor(), &o, &info, &fe, &e),
	                 ERR_DB_CONFLICT);
	assert_int_equal(admin_error_of(&fe, "username")->issue, ADMIN_CONFLICT);
	/* a weak password on reset is put on its field */
	int64_t ended = -1;
	assert_int_equal(
	        admin_user_password(&acc, admin_actor(), "new.officer", "abc", &ended, &fe, &e),
	        ERR_WEAK_PASSWORD);
	assert_non_null(admin_error_of(&fe, "password"));
	assert_rc(admin_user_password(&acc, admin_actor(), "new.officer", "Another-2025-secret",
	                              &ended, &fe, &e),
	          ERR_OK);
	assert_string_equal(last_audit_action(f), "account.password");
	struct actor leader;
	FX_LEADER(&leader);
	assert_int_equal(admin_user_create(&acc, &leader, &o, &info, &fe, &e), ERR_FORBIDDEN);
	accounts_release(&acc);
}

/* ---- announced days off ---- */

static int64_t at(const char *s)
{
	return fx_time(s);
}

/* The due of a 1-working-day limit received at t (end of office hours of the next working day). */
static int64_t due1(const struct worktime_calendar *cal, int64_t t)
{
	struct worktime_limit lim = {WORKTIME_DAYS, 1, WORKTIME_NO_CUTOFF, WORKTIME_PAUSE_RESTART};
	int64_t due = 0;
	struct err e;
	if (worktime_due(cal, &lim, t, NULL, &due, &e) != ERR_OK)
		fail_msg("worktime_due: %s", e.detail);
	return due;
}

static void national_day_2027(struct admin_holiday_input *in)
{
	memset(in, 0, sizeof *in);
	in->occasion = "national_day";
	in->year = "2027";
	in->days_off = "2027-09-01, 2027-09-02 03/09/2027";
	in->work_days = "2027-08-28";
	in->name_vi = "Nghỉ lễ Quốc khánh 2027 (giả định)";
	in->name_en = "National Day 2027 (hypothetical)";
	in->source = "Thông báo giả định số 1/TB-TEST, dùng cho kiểm thử";
}

static void test_holidays(void **state)
{
	struct fx *f = *state;
	struct admin_holiday_input in;
	struct admin_errors fe;
	struct err e;
	char batch[SERVICE_ID_LEN];
	err_clear(&e);
	int64_t audits = fx_count(f, "audit");
	int64_t tue = at("2027-08-31T10:00");
	int64_t sat = fx_day("2027-08-28");

	/* before: the rule's 2/9 (Thu) and adjacent 3/9 (Fri); Wed 1/9 is a working day */
	assert_int_equal(due1(f->svc.cal, tue), at("2027-09-01T17:00"));
	assert_false(worktime_is_working_day(f->svc.cal, sat));

	/* the refusals, each on its field, none stored */
	static const struct {
		const char *off, *work, *field, *detail;
	} cases[] = {
	        {"2027-09-01", "", "days_off", "lacks its statutory day off '2027-09-02'"},
	        {"2027-09-04, 2027-09-02", "", "days_off", "falls on a weekend"},
	        {"2027-09-02", "2027-09-06", "work_days", "falls on a weekday"},
	        {"2027-09-02, 2027-09-02", "", "days_off", "already given"},
	        {"2027-02-30", "", "days_off", "is not a date"},
	        {"", "", "days_off", "at least one date"},
	        {"2026-01-01", "", "days_off", "in the holiday data already"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		national_day_2027(&in);
		in.days_off = cases[i].off;
		in.work_days = cases[i].work;
		if (str_eq(cases[i].off, "2026-01-01"))
			in.occasion = "new_year", in.year = "2026";
		enum err_code rc =
		        admin_holiday_announce(&f->svc, admin_actor(), &in, batch, &fe, &e);
		const struct admin_field_error *x = admin_error_of(&fe, cases[i].field);
		if (rc != ERR_INVALID_ARGUMENT || !x || !strstr(x->detail, cases[i].detail))
			fail_msg("case %zu: %s, %s: '%s' (wanted '%s')", i, err_code_str(rc),
			         fe.count ? fe.items[0].field : "-",
			         fe.count ? fe.items[0].detail : "", cases[i].detail);
	}
	national_day_2027(&in);
	in.year = "2019";
	assert_int_equal(admin_holiday_announce(&f->svc, admin_actor(), &in, batch, &fe, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(admin_error_of(&fe, "days_off")->detail, "invalid year"));
	in.year = "2027";
	in.source = "";
	assert_int_equal(admin_holiday_announce(&f->svc, admin_actor(), &in, batch, &fe, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_int_equal(admin_error_of(&fe, "source")->issue, ADMIN_REQUIRED);
	assert_int_equal(fx_count(f, "audit"), audits);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM holiday_announcement WHERE $1 = $1", ""),
	                 0);

	/* a second service on the same database: another node */
	struct service other;
	assert_rc(service_init(&other, f->db, &f->cfg, &e), ERR_OK);

	/* the announcement: stored, audited, and in force at once in this service */
	const struct worktime_calendar *before = f->svc.cal;
	national_day_2027(&in);
	assert_rc(admin_holiday_announce(&f->svc, admin_actor(), &in, batch, &fe, &e), ERR_OK);
	assert_int_equal(
	        fx_int(f, "SELECT count(*) FROM holiday_announcement WHERE batch = $1", batch), 4);
	assert_string_equal(last_audit_action(f), "holiday.announce");
	assert_non_null(strstr(last_audit_detail(f), "\"2027-09-03\""));
	assert_int_equal(fx_count(f, "audit"), audits + 1);
	assert_ptr_not_equal(f->svc.cal, before);
	/* Tue 31/8 + 1 working day: 1-3/9 off, 4-5/9 the weekend -> Mon 6/9 */
	assert_int_equal(due1(f->svc.cal, tue), at("2027-09-06T17:00"));
	assert_true(worktime_is_working_day(f->svc.cal, sat));
	/* the earlier table is still valid for a request that loaded it */
	assert_int_equal(due1(before, tue), at("2027-09-01T17:00"));
	assert_non_null(strstr(service_calendar(&f->svc)->data_source, "+ 4 announced"));
	/* a date announced twice */
	in.days_off = "2027-09-02";
	in.work_days = "";
	assert_int_equal(admin_holiday_announce(&f->svc, admin_actor(), &in, NULL, &fe, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(admin_error_of(&fe, "days_off")->detail, "announced already"));

	/* the other node until it syncs, then with the announcement */
	assert_int_equal(due1(other.cal, tue), at("2027-09-01T17:00"));
	assert_rc(admin_calendar_sync(&other, &e), ERR_OK);
	assert_int_equal(due1(other.cal, tue), at("2027-09-06T17:00"));
	service_release(&other);
	/* a service started now has it from the start */
	assert_rc(service_init(&other, f->db, &f->cfg, &e), ERR_OK);
	assert_int_equal(due1(other.cal, tue), at("2027-09-06T17:00"));
	service_release(&other);

	struct db_admin_holiday_list list;
	assert_rc(admin_holidays(&f->svc, admin_actor(), &list, &e), ERR_OK);
	assert_int_equal(list.count, 4);
	assert_string_equal(list.items[0].kind, "work"); /* 28/8 first, by date */
	assert_non_null(strstr(list.items[0].name_vi, "Làm bù: "));
	db_admin_holiday_list_free(&list);

	/* withdrawn: the rule again */
	struct actor leader;
	FX_LEADER(&leader);
	assert_int_equal(admin_holiday_withdraw(&f->svc, &leader, batch, &e), ERR_FORBIDDEN);
	assert_int_equal(admin_holiday_withdraw(&f->svc, admin_actor(), "0123456789abcdef", &e),
	                 ERR_NOT_FOUND);
	assert_rc(admin_holiday_withdraw(&f->svc, admin_actor(), batch, &e), ERR_OK);
	assert_string_equal(last_audit_action(f), "holiday.withdraw");
	assert_int_equal(due1(f->svc.cal, tue), at("2027-09-01T17:00"));
	assert_false(worktime_is_working_day(f->svc.cal, sat));
	assert_int_equal(fx_int(f, "SELECT count(*) FROM holiday_announcement WHERE $1 = $1", ""),
	                 0);
}

/* Two announcements of one occasion: withdrawing the one with 2/9 would break the other. */
static void test_holiday_withdraw_guard(void **state)
{
	struct fx *f = *state;
	struct admin_holiday_input in;
	struct admin_errors fe;
	struct err e;
	char first[SERVICE_ID_LEN], second[SERVICE_ID_LEN];
	err_clear(&e);
	national_day_2027(&in);
	in.days_off = "2027-09-02, 2027-09-03";
	in.work_days = "";
	assert_rc(admin_holiday_announce(&f->svc, admin_actor(), &in, first, &fe, &e), ERR_OK);
	in.days_off = "2027-09-01";
	in.work_days = "2027-08-28";
	in.source = "Thông báo giả định số 2/TB-TEST (hoán đổi)";
	assert_rc(admin_holiday_announce(&f->svc, admin_actor(), &in, second, &fe, &e), ERR_OK);
	assert_int_equal(due1(f->svc.cal, at("2027-08-31T10:00")), at("2027-09-06T17:00"));
	assert_int_equal(admin_holiday_withdraw(&f->svc, admin_actor(), first, &e),
	                 ERR_GUARD_FAILED);
	assert_non_null(strstr(e.detail, "statutory day off '2027-09-02'"));
	assert_rc(admin_holiday_withdraw(&f->svc, admin_actor(), second, &e), ERR_OK);
	assert_rc(admin_holiday_withdraw(&f->svc, admin_actor(), first, &e), ERR_OK);
	assert_int_equal(due1(f->svc.cal, at("2027-08-31T10:00")), at("2027-09-01T17:00"));
}

/*
 * Threads computing appointments with the calendar in force while another
 * thread publishes new calendars: every answer is the one of a whole calendar
 * (the rule's or the announcement's), never a torn or freed table (run under
 * ThreadSanitizer and AddressSanitizer as well).
 */
struct reader {
	struct service *svc;
	atomic_bool *stop;
	int64_t a, b; /* the two possible answers */
	long reads, bad;
};

static void *read_loop(void *arg)
{
	struct reader *r = arg;
	struct worktime_limit lim = {WORKTIME_DAYS, 1, WORKTIME_NO_CUTOFF, WORKTIME_PAUSE_RESTART};
	int64_t t = fx_time("2027-08-31T10:00");
	while (!atomic_load(r->stop) || r->reads < 100) {
		const struct worktime_calendar *cal = r->svc->cal; /* one load per computation */
		int64_t due = 0;
		struct err e;
		if (worktime_due(cal, &lim, t, NULL, &due, &e) != ERR_OK ||
		    (due != r->a && due != r->b))
			r->bad++;
		r->reads++;
	}
	return NULL;
}

static void test_concurrent_readers(void **state)
{
	struct fx *f = *state;
	struct admin_holiday_input in;
	struct admin_errors fe;
	struct err e;
	char batch[SERVICE_ID_LEN];
	err_clear(&e);
	atomic_bool stop = false;
	struct reader r[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		r[i] = (struct reader){
		        &f->svc, &stop, at("2027-09-01T17:00"), at("2027-09-06T17:00"), 0, 0};
		assert_int_equal(pthread_create(&th[i], NULL, read_loop, &r[i]), 0);
	}
	for (int round = 0; round < 5; round++) {
		national_day_2027(&in);
		assert_rc(admin_holiday_announce(&f->svc, admin_actor(), &in, batch, &fe, &e),
		          ERR_OK);
		assert_int_equal(due1(f->svc.cal, at("2027-08-31T10:00")), at("2027-09-06T17:00"));
		assert_rc(admin_holiday_withdraw(&f->svc, admin_actor(), batch, &e), ERR_OK);
		assert_int_equal(due1(f->svc.cal, at("2027-08-31T10:00")), at("2027-09-01T17:00"));
	}
	atomic_store(&stop, true);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_true(r[i].reads >= 100);
		assert_int_equal(r[i].bad, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_procedure_update),
	        cmocka_unit_test(test_procedure_validation),
	        cmocka_unit_test(test_components),
	        cmocka_unit_test(test_steps),
	        cmocka_unit_test(test_procedure_reads),
	        cmocka_unit_test(test_phone),
	        cmocka_unit_test(test_units),
	        cmocka_unit_test(test_users),
	        cmocka_unit_test(test_holidays),
	        cmocka_unit_test(test_holiday_withdraw_guard),
	        cmocka_unit_test(test_concurrent_readers),
	};
	return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
