/*
 * dossier_fixture: a temporary SQLite database migrated with the embedded
 * migrations and seeded with a small world, for the tests of intake, action,
 * worklist, lookup and outbox. Included by those test files only.
 *
 * The world (all made up except the commune codes and the calendar):
 *   communes 00070 Hoàn Kiếm (ward "B"), 00008 Ngọc Hà (ward "B2"),
 *            00004 Ba Đình (no units: a commune the data does not cover);
 *   branches CN-A (identifier 000.01.01.H26) and CN-C (000.03.01.H26),
 *            a point PV-X that does not receive (receives = 0);
 *   commune units UBND-00070 (receives, identifier 000.70.00.H26),
 *            CA-00070, UBND-00008, CA-00008; department SO-TP;
 *   procedures
 *     T.SIGN   3 working days, commune, by residence, boundary-free, online
 *              full, restart on supplement, sign-off; steps officer 10 /
 *              specialist 60 / approver 20 / officer 10; components
 *              1 form (required), 2 ID [population], 3 residence [population],
 *              4 optional;
 *     T.CONT   5 working days, like T.SIGN but continue on supplement, no
 *              sign-off, fee 50000; steps officer 10 / specialist 80 / officer 10;
 *     T.HOURS  16 working hours, city level, fixed agency SO-TP, no steps;
 *     T.LOCAL  2 working days, commune, not boundary-free, not online;
 *     T.POLICE 2 working days, police level, by residence;
 *     T.SAME   0 working days (same day; the configured cut-off 15:00);
 *     T.PROP   4 working days, commune, by the property's commune;
 *   population  An (001090012345, Nguyễn Văn An, 1990-05-12, lives in 00070),
 *               Bình (001190054321, Trần Thị Bình, 1990-08-20, lives in 00008),
 *               Cường (079085011111, Lê Văn Cường, 1985-01-02, no Hanoi residence);
 *   accounts (id = username) off-a, off-c (officers of CN-A, CN-C), off-b
 *            (officer of UBND-00070), spec-b1, spec-b2, appr-b (UBND-00070),
 *            spec-b2x (specialist of UBND-00008), spec-tp (SO-TP), leader,
 *            cit-an (citizen, An's ID number), cit-binh.
 *
 * The clock is fixed (fx_at); instants are Vietnam time.
 */
#ifndef MOTCUA_TESTS_DOSSIER_FIXTURE_H
#define MOTCUA_TESTS_DOSSIER_FIXTURE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "base/str.h"
#include "base/vntime.h"
#include "db/db.h"
#include "db/migrate.h"
#include "domain/lifecycle.h"
#include "service/intake.h"
#include "service/service.h"

#include "tmpdb_fixture.h"

struct fx {
	char dir[256];
	struct db *db;
	struct config cfg;
	struct service svc;
};

static const char fx_seed_sql[] =
        "INSERT INTO commune (code, name_vi, name_folded, kind, lat_e6, lon_e6, area_m2) VALUES "
        "('00070', 'Hoàn Kiếm', 'hoan kiem', 'ward', 21032000, 105850400, 1920000),"
        "('00008', 'Ngọc Hà', 'ngoc ha', 'ward', 21038100, 105816300, 2630000),"
        "('00004', 'Ba Đình', 'ba dinh', 'ward', 21038500, 105838100, 2960000);"
        "INSERT INTO unit (code, kind, identifier, name_vi, name_en, name_folded, parent_code, "
        "commune_code, address, receives) VALUES "
        "('TTPVHCC', 'centre', NULL, 'Trung tâm', 'Centre', 'trung tam', NULL, NULL, NULL, 0),"
        "('CN-A', 'branch', '000.01.01.H26', 'Chi nhánh A', 'Branch A', 'chi nhanh a', 'TTPVHCC', "
        " '00070', '1 Phố A', 1),"
        "('CN-C', 'branch', '000.03.01.H26', 'Chi nhánh C', 'Branch C', 'chi nhanh c', 'TTPVHCC', "
        " '00008', '3 Phố C', 1),"
        "('PV-X', 'point', '000.09.01.H26', 'Điểm X', 'Point X', 'diem x', 'TTPVHCC', NULL, NULL, "
        "0),"
        "('UBND-00070', 'commune_committee', '000.70.00.H26', 'UBND phường Hoàn Kiếm', "
        " 'Hoan Kiem Ward Committee', 'ubnd phuong hoan kiem', NULL, '00070', '70 Phố B', 1),"
        "('CA-00070', 'commune_police', NULL, 'Công an phường Hoàn Kiếm', 'Hoan Kiem Police', "
        " 'cong an phuong hoan kiem', NULL, '00070', NULL, 0),"
        "('UBND-00008', 'commune_committee', NULL, 'UBND phường Ngọc Hà', 'Ngoc Ha Ward "
        "Committee', "
        " 'ubnd phuong ngoc ha', NULL, '00008', NULL, 0),"
        "('CA-00008', 'commune_police', NULL, 'Công an phường Ngọc Hà', 'Ngoc Ha Police', "
        " 'cong an phuong ngoc ha', NULL, '00008', NULL, 0),"
        "('SO-TP', 'department', NULL, 'Sở Tư pháp', 'Department of Justice', 'so tu phap', NULL, "
        " NULL, NULL, 0);"
        "INSERT INTO procedure (code, name_vi, name_en, name_folded, sector, sector_folded, level, "
        "competent_kind, competent_unit, route_by, legal_days, legal_hours, fee_vnd, online, "
        "boundary_free, cutoff_sec, supplement_rule, max_supplements, max_extensions, "
        "needs_signoff) "
        "VALUES "
        "('T.SIGN', 'Thủ tục ký duyệt', 'Signed procedure', 'thu tuc ky duyet', 'Hộ tịch', 'ho "
        "tich', "
        " 'commune', 'commune_committee', NULL, 'residence', 3, NULL, 0, 'full', 1, NULL, "
        "'restart', "
        " 1, 1, 1),"
        "('T.CONT', 'Thủ tục tiếp tục', 'Continue procedure', 'thu tuc tiep tuc', 'Hộ tịch', "
        " 'ho tich', 'commune', 'commune_committee', NULL, 'residence', 5, NULL, 50000, 'partial', "
        "1, "
        " NULL, 'continue', 2, 1, 0),"
        "('T.HOURS', 'Thủ tục theo giờ', 'Hours procedure', 'thu tuc theo gio', 'Tư pháp', "
        " 'tu phap', 'city', 'department', 'SO-TP', 'fixed', NULL, 16, 0, 'full', 1, NULL, "
        " 'restart', 1, 1, 0),"
        "('T.LOCAL', 'Thủ tục tại chỗ', 'Local procedure', 'thu tuc tai cho', 'Đất đai', 'dat "
        "dai', "
        " 'commune', 'commune_committee', NULL, 'residence', 2, NULL, 0, 'none', 0, NULL, "
        " 'restart', 1, 1, 0),"
        "('T.POLICE', 'Thủ tục công an', 'Police procedure', 'thu tuc cong an', 'Cư trú', 'cu "
        "tru', "
        " 'police', 'commune_police', NULL, 'residence', 2, NULL, 0, 'full', 1, NULL, 'restart', "
        " 1, 1, 0),"
        "('T.SAME', 'Thủ tục trong ngày', 'Same-day procedure', 'thu tuc trong ngay', 'Hộ tịch', "
        " 'ho tich', 'commune', 'commune_committee', NULL, 'residence', 0, NULL, 0, 'full', 1, "
        " NULL, 'restart', 1, 1, 0),"
        "('T.PROP', 'Thủ tục theo tài sản', 'Property procedure', 'thu tuc theo tai san', "
        " 'Đất đai', 'dat dai', 'commune', 'commune_committee', NULL, 'property', 4, NULL, 0, "
        " 'full', 1, NULL, 'restart', 1, 1, 0);"
        "INSERT INTO procedure_component (procedure_code, seq, name_vi, required, "
        "population_replaces) VALUES "
        "('T.SIGN', 1, 'Tờ khai', 1, 0), ('T.SIGN', 2, 'Giấy tờ tùy thân', 1, 1),"
        "('T.SIGN', 3, 'Giấy tờ cư trú', 1, 1), ('T.SIGN', 4, 'Giấy tờ khác', 0, 0),"
        "('T.CONT', 1, 'Tờ khai', 1, 0), ('T.CONT', 2, 'Giấy tờ tùy thân', 1, 1),"
        "('T.HOURS', 1, 'Tờ khai', 1, 0), ('T.LOCAL', 1, 'Tờ khai', 1, 0),"
        "('T.POLICE', 1, 'Tờ khai', 1, 0), ('T.SAME', 1, 'Tờ khai', 1, 0),"
        "('T.PROP', 1, 'Tờ khai', 1, 0);"
        "INSERT INTO procedure_step (procedure_code, seq, name_vi, name_en, share_pct, role) "
        "VALUES "
        "('T.SIGN', 1, 'Tiếp nhận', 'Reception', 10, 'officer'),"
        "('T.SIGN', 2, 'Xử lý', 'Processing', 60, 'specialist'),"
        "('T.SIGN', 3, 'Ký duyệt', 'Sign-off', 20, 'approver'),"
        "('T.SIGN', 4, 'Trả kết quả', 'Return', 10, 'officer'),"
        "('T.CONT', 1, 'Tiếp nhận', 'Reception', 10, 'officer'),"
        "('T.CONT', 2, 'Xử lý', 'Processing', 80, 'specialist'),"
        "('T.CONT', 3, 'Trả kết quả', 'Return', 10, 'officer');"
        "INSERT INTO population (id_number, full_name, name_folded, birth_day, sex, "
        "residence_commune) VALUES "
        "('001090012345', 'Nguyễn Văn An', 'nguyen van an', 7436, 'male', '00070'),"
        "('001190054321', 'Trần Thị Bình', 'tran thi binh', 7536, 'female', '00008'),"
        "('079085011111', 'Lê Văn Cường', 'le van cuong', 5480, 'male', NULL);"
        "INSERT INTO account (id, username, kind, roles, unit_code, full_name, id_number, "
        "created_at, updated_at) VALUES "
        "('off-a', 'off-a', 'staff', 8, 'CN-A', 'Officer A', NULL, 0, 0),"
        "('off-c', 'off-c', 'staff', 8, 'CN-C', 'Officer C', NULL, 0, 0),"
        "('off-b', 'off-b', 'staff', 8, 'UBND-00070', 'Officer B', NULL, 0, 0),"
        "('spec-b1', 'spec-b1', 'staff', 16, 'UBND-00070', 'Specialist B1', NULL, 0, 0),"
        "('spec-b2', 'spec-b2', 'staff', 16, 'UBND-00070', 'Specialist B2', NULL, 0, 0),"
        "('appr-b', 'appr-b', 'staff', 32, 'UBND-00070', 'Approver B', NULL, 0, 0),"
        "('spec-b2x', 'spec-b2x', 'staff', 16, 'UBND-00008', 'Specialist B2X', NULL, 0, 0),"
        "('appr-b2x', 'appr-b2x', 'staff', 32, 'UBND-00008', 'Approver B2X', NULL, 0, 0),"
        "('spec-tp', 'spec-tp', 'staff', 16, 'SO-TP', 'Specialist TP', NULL, 0, 0),"
        "('leader', 'leader', 'staff', 2, NULL, 'Leader', NULL, 0, 0),"
        "('cit-an', 'cit-an', 'citizen', 64, NULL, 'Nguyễn Văn An', '001090012345', 0, 0),"
        "('cit-binh', 'cit-binh', 'citizen', 64, NULL, 'Trần Thị Bình', '001190054321', 0, 0);";

/* Birth days of the population rows (checked in fx_setup against vntime). */
#define FX_AN_ID       "001090012345"
#define FX_AN_NAME     "Nguyễn Văn An"
#define FX_AN_BIRTH    "1990-05-12"
#define FX_BINH_ID     "001190054321"
#define FX_BINH_NAME   "Trần Thị Bình"
#define FX_BINH_BIRTH  "1990-08-20"
#define FX_CUONG_ID    "079085011111"
#define FX_CUONG_NAME  "Lê Văn Cường"
#define FX_CUONG_BIRTH "1985-01-02"

/* Days since 1970 of "YYYY-MM-DD" (aborts the test on a bad literal). */
static inline int64_t fx_day(const char *s)
{
	int64_t d = 0;
	if (vntime_parse_date(s, &d) != 0)
		abort();
	return d;
}

/* Instant of "YYYY-MM-DDTHH:MM" in Vietnam time. */
static inline int64_t fx_time(const char *s)
{
	int64_t t = 0;
	if (vntime_parse_datetime(s, &t) != 0)
		abort();
	return t;
}

/* Fixes the service clock at a Vietnam time. */
static inline void fx_at(struct fx *f, const char *s)
{
	f->svc.clock.fixed = true;
	f->svc.clock.at = fx_time(s);
}

static enum err_code fx_seed_txn(struct db_conn *c, void *ctx, struct err *e)
{
	(void)ctx;
	return db_exec_script(c, fx_seed_sql, e);
}

static inline int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	struct err e = {ERR_OK, ""};
	if (tmpdb_setup(f->dir, sizeof f->dir, "dossier", &f->db) != 0 ||
	    db_run_txn(f->db, DB_TXN_WRITE, fx_seed_txn, NULL, &e) != ERR_OK) {
		fprintf(stderr, "setup: %s\n", e.detail);
		return -1;
	}
	config_defaults(&f->cfg);
	unsetenv("MOTCUA_NOW");
	if (service_init(&f->svc, f->db, &f->cfg, &e) != ERR_OK) {
		fprintf(stderr, "service_init: %s\n", e.detail);
		return -1;
	}
	/* the population rows' birth days above are these dates */
	if (fx_day(FX_AN_BIRTH) != 7436 || fx_day(FX_BINH_BIRTH) != 7536 ||
	    fx_day(FX_CUONG_BIRTH) != 5480)
		abort();
	fx_at(f, "2025-08-27T09:00");
	*state = f;
	return 0;
}

static inline int fx_teardown(void **state)
{
	struct fx *f = *state;
	service_release(&f->svc);
	tmpdb_teardown(f->dir, f->db);
	free(f);
	return 0;
}

/* A staff actor whose account id and username are id. */
static inline void fx_staff(struct actor *a, const char *id, unsigned roles, const char *unit)
{
	memset(a, 0, sizeof *a);
	a->kind = ACTOR_STAFF;
	str_copy(a->account_id, sizeof a->account_id, id);
	str_copy(a->username, sizeof a->username, id);
	a->roles = roles;
	str_copy(a->unit_code, sizeof a->unit_code, unit ? unit : "");
	str_copy(a->addr, sizeof a->addr, "127.0.0.1");
}

static inline void fx_citizen(struct actor *a, const char *id)
{
	memset(a, 0, sizeof *a);
	a->kind = ACTOR_CITIZEN;
	str_copy(a->account_id, sizeof a->account_id, id);
	str_copy(a->username, sizeof a->username, id);
	str_copy(a->addr, sizeof a->addr, "127.0.0.2");
}

/* The usual actors of the world. */
#define FX_OFF_A(a)    fx_staff((a), "off-a", ROLE_OFFICER, "CN-A")
#define FX_OFF_C(a)    fx_staff((a), "off-c", ROLE_OFFICER, "CN-C")
#define FX_OFF_B(a)    fx_staff((a), "off-b", ROLE_OFFICER, "UBND-00070")
#define FX_SPEC_B1(a)  fx_staff((a), "spec-b1", ROLE_SPECIALIST, "UBND-00070")
#define FX_SPEC_B2(a)  fx_staff((a), "spec-b2", ROLE_SPECIALIST, "UBND-00070")
#define FX_APPR_B(a)   fx_staff((a), "appr-b", ROLE_APPROVER, "UBND-00070")
#define FX_SPEC_B2X(a) fx_staff((a), "spec-b2x", ROLE_SPECIALIST, "UBND-00008")
#define FX_LEADER(a)   fx_staff((a), "leader", ROLE_LEADER, NULL)

/* Components 1..n handed in (a static array: one request at a time). */
static inline void fx_components(struct intake_request *r, int n, bool originals)
{
	static struct intake_component comps[INTAKE_MAX_COMPONENTS];
	for (int i = 0; i < n; i++) {
		comps[i].seq = i + 1;
		comps[i].original_kept = originals;
	}
	r->components = comps;
	r->n_components = (size_t)n;
}

/* An's request for a procedure: ID, name, birth day, phone, form component 1. */
static inline void fx_an(struct intake_request *r, const char *procedure)
{
	intake_request_init(r);
	r->procedure_code = procedure;
	r->applicant_kind = INTAKE_PERSON;
	r->applicant_name = FX_AN_NAME;
	r->id_number = FX_AN_ID;
	r->birth_day = fx_day(FX_AN_BIRTH);
	r->phone = "0912345678";
	fx_components(r, 1, false);
}

/* Rows of a table (db_dossier_count names). */
static inline int64_t fx_count(struct fx *f, const char *table)
{
	struct db_conn *c;
	int64_t n = -1;
	struct err e;
	if (db_thread_conn(f->db, &c, &e) != ERR_OK)
		return -1;
	if (str_eq(table, "audit")) {
		if (db_query_int64(c, "SELECT count(*) FROM audit", DB_NOARGS, &n, &e) != ERR_OK)
			return -1;
		return n;
	}
	if (str_eq(table, "sequence")) { /* daily dossier sequences (not audit.seq) */
		if (db_query_int64(c, "SELECT count(*) FROM counter WHERE name LIKE 'seq:%'",
		                   DB_NOARGS, &n, &e) != ERR_OK)
			return -1;
		return n;
	}
	if (db_dossier_count(c, table, &n, &e) != ERR_OK)
		return -1;
	return n;
}

/* One integer from SQL with one text parameter (tests only). */
static inline int64_t fx_int(struct fx *f, const char *sql, const char *arg)
{
	struct db_conn *c;
	int64_t n = INT64_MIN;
	struct err e;
	if (db_thread_conn(f->db, &c, &e) != ERR_OK)
		return INT64_MIN;
	if (db_query_int64(c, sql, DB_ARGS(db_text(arg)), &n, &e) != ERR_OK)
		return INT64_MIN;
	return n;
}

/* One text from SQL with one text parameter, into a static buffer. */
static inline const char *fx_text(struct fx *f, const char *sql, const char *arg)
{
	static char out[1024];
	struct db_conn *c;
	struct err e;
	out[0] = '\0';
	if (db_thread_conn(f->db, &c, &e) != ERR_OK)
		return out;
	if (db_query_text(c, sql, DB_ARGS(db_text(arg)), out, sizeof out, &e) != ERR_OK)
		out[0] = '\0';
	return out;
}

/* The state of a dossier by id. */
static inline const char *fx_state(struct fx *f, const char *id)
{
	return fx_text(f, "SELECT state FROM dossier WHERE id = $1", id);
}

/* Counts of everything a change writes, to prove that nothing changed. */
struct fx_counts {
	int64_t dossier, event, outbox, audit, component, applicant, rating, complaint, counter;
};

static inline void fx_counts(struct fx *f, struct fx_counts *c)
{
	c->dossier = fx_count(f, "dossier");
	c->event = fx_count(f, "dossier_event");
	c->outbox = fx_count(f, "outbox");
	c->audit = fx_count(f, "audit");
	c->component = fx_count(f, "dossier_component");
	c->applicant = fx_count(f, "dossier_applicant");
	c->rating = fx_count(f, "dossier_rating");
	c->complaint = fx_count(f, "dossier_complaint");
	c->counter = fx_count(f, "counter");
}

static inline bool fx_counts_equal(const struct fx_counts *a, const struct fx_counts *b)
{
	return memcmp(a, b, sizeof *a) == 0;
}

/* Asserts that call returns code, printing the error detail (in e) when not. */
#define assert_rc(call, code)                                                                      \
	do {                                                                                       \
		enum err_code rc_ = (call);                                                        \
		if (rc_ != (code))                                                                 \
			fprintf(stderr, "# got %s: %s\n", err_code_str(rc_), e.detail);            \
		assert_int_equal(rc_, (code));                                                     \
	} while (0)

#endif
