/*
 * Unit tests for db/db_catalog_query: the catalogue lists over the bundled
 * data/ loaded into a temporary SQLite database migrated with the built-in
 * migrations (service/import.h).
 *
 * Expected values come from the data files: 77 procedures, 15 of them of
 * the sector "Hộ tịch" and 15 of level police; 7 enterprise registrations
 * decided by SO_TAI_CHINH; the 5 construction-permit procedures 1.013225 to
 * 1.013229; 1.004873 (certificate of marital status) with 3 working days,
 * a fee of 3000 VND, no cut-off of its own and a sign-off; 126 communes and
 * wards (75 communes, 51 wards); Hoàn Kiếm = 00070; the points of branch
 * CN03 (Ba Đình, Hoàn Kiếm, Đống Đa), of which CN03 itself and the Hoàn
 * Kiếm point lie in ward 00070; per commune a committee UBND-<code>
 * (which receives dossiers) and a police unit CA-<code> (data/README.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db_catalog_query.h"
#include "db/db_dossier.h"
#include "db/migrate.h"
#include "service/import.h"

#define DATA_DIR SOURCE_DIR "/data"

static char tmpdir[256];
static char dbpath[320];
static struct db *db;

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/motcua-test-dbq-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(dbpath, sizeof dbpath, "%s/q.db", tmpdir);
	char url[400];
	snprintf(url, sizeof url, "sqlite:%s", dbpath);
	struct err e;
	err_clear(&e);
	if (db_open(url, NULL, &db, &e) != ERR_OK)
		return -1;
	struct db_conn *c;
	if (db_thread_conn(db, &c, &e) != ERR_OK)
		return -1;
	int n, applied;
	const struct migration *m = migrate_embedded(&n);
	if (migrate_apply(c, m, n, 1751328000, &applied, &e) != ERR_OK)
		return -1;
	struct import_report rep;
	if (import_reference(db, DATA_DIR, &rep, &e) != ERR_OK) {
		fprintf(stderr, "import: %s\n", e.detail);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	char p[400];
	const char *const suffixes[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", dbpath, suffixes[i]);
		unlink(p);
	}
	rmdir(tmpdir);
	return 0;
}

/* ---- a collector of rows ---- */

#define MAX_ROWS 200

struct rows {
	int n;
	char code[MAX_ROWS][64];
	int64_t total;
	int stop_after; /* 0: never stop */
	struct dbq_procedure last;
	char last_name[1024];
};

static int take_proc(void *ctx, const struct dbq_procedure *p)
{
	struct rows *r = ctx;
	if (r->n < MAX_ROWS)
		snprintf(r->code[r->n], sizeof r->code[0], "%s", p->code);
	r->n++;
	r->last = *p;
	snprintf(r->last_name, sizeof r->last_name, "%s", p->name_vi);
	r->last.name_vi = r->last_name; /* the row's strings die after the call */
	return r->stop_after && r->n >= r->stop_after ? -1 : 0;
}

static int take_commune(void *ctx, const struct dbq_commune *m)
{
	struct rows *r = ctx;
	if (r->n < MAX_ROWS)
		snprintf(r->code[r->n], sizeof r->code[0], "%s", m->code);
	r->n++;
	return 0;
}

static int take_unit(void *ctx, const struct dbq_unit *u)
{
	struct rows *r = ctx;
	if (r->n < MAX_ROWS)
		snprintf(r->code[r->n], sizeof r->code[0], "%s", u->code);
	r->n++;
	return 0;
}

static bool has(const struct rows *r, const char *code)
{
	for (int i = 0; i < r->n && i < MAX_ROWS; i++)
		if (strcmp(r->code[i], code) == 0)
			return true;
	return false;
}

struct query {
	const struct dbq_procedure_filter *pf;
	const struct dbq_commune_filter *cf;
	const struct dbq_unit_filter *uf;
	const char *code; /* procedure_get */
	int64_t limit, offset;
	struct rows *out;
};

static enum err_code query_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct query *q = ctx;
	struct rows *r = q->out;
	int stop = r->stop_after;
	memset(r, 0, sizeof *r);
	r->stop_after = stop;
	if (q->pf)
		return dbq_procedures(c, q->pf, q->limit, q->offset, &r->total, take_proc, r, e);
	if (q->cf)
		return dbq_communes(c, q->cf, q->limit, q->offset, &r->total, take_commune, r, e);
	if (q->uf)
		return dbq_units(c, q->uf, q->limit, q->offset, &r->total, take_unit, r, e);
	return dbq_procedure_get(c, q->code, take_proc, r, e);
}

static enum err_code run(struct query *q)
{
	struct err e;
	err_clear(&e);
	return db_run_txn(db, DB_TXN_READ, query_txn, q, &e);
}

static struct rows rows;

static void procs(const struct dbq_procedure_filter *f, int64_t limit, int64_t offset)
{
	struct query q = {.pf = f, .limit = limit, .offset = offset, .out = &rows};
	assert_int_equal(run(&q), ERR_OK);
}

/* ---- procedures ---- */

static void test_procedures_all(void **state)
{
	(void)state;
	struct dbq_procedure_filter f = {0};
	procs(&f, 100, 0);
	assert_int_equal(rows.total, 77);
	assert_int_equal(rows.n, 77);
	for (int i = 1; i < rows.n; i++) /* code order */
		assert_true(strcmp(rows.code[i - 1], rows.code[i]) < 0);
	char third[64];
	snprintf(third, sizeof third, "%s", rows.code[2]);
	procs(&f, 5, 2);
	assert_int_equal(rows.total, 77); /* the total ignores the page */
	assert_int_equal(rows.n, 5);
	assert_string_equal(rows.code[0], third);
	procs(&f, 0, 0);
	assert_int_equal(rows.total, 77);
	assert_int_equal(rows.n, 0);
	procs(&f, 10, 1000);
	assert_int_equal(rows.n, 0);
}

static void test_procedures_word_prefix(void **state)
{
	(void)state;
	struct dbq_procedure_filter f = {.q_folded = "khai sinh"};
	procs(&f, 100, 0);
	assert_true(has(&rows, "1.001193"));  /* Đăng ký khai sinh */
	assert_false(has(&rows, "1.000656")); /* Đăng ký khai tử */
	assert_int_equal(rows.total, rows.n);
	f.q_folded = "giay phep xay dung";
	procs(&f, 100, 0);
	assert_int_equal(rows.n, 4);
	assert_true(has(&rows, "1.013225"));
	assert_false(has(&rows, "1.013229")); /* "giấy phép sửa chữa" */
	f.q_folded = "ep xay";                /* inside a word: no match */
	procs(&f, 100, 0);
	assert_int_equal(rows.total, 0);
	f.q_folded = "dang"; /* the first word of the name */
	procs(&f, 100, 0);
	assert_true(has(&rows, "1.001193"));
}

static void test_procedures_code_prefix(void **state)
{
	(void)state;
	struct dbq_procedure_filter f = {.code_prefix = "1.0132"};
	procs(&f, 100, 0);
	assert_int_equal(rows.n, 5);
	assert_string_equal(rows.code[0], "1.013225");
	assert_string_equal(rows.code[4], "1.013229");
	/* q and code prefix together: either matches */
	f.q_folded = "khai tu";
	procs(&f, 100, 0);
	assert_true(has(&rows, "1.000656"));
	assert_true(has(&rows, "1.013225"));
	/* '%' and '_' in the raw code are not wildcards */
	struct dbq_procedure_filter g = {.code_prefix = "1.%"};
	procs(&g, 100, 0);
	assert_int_equal(rows.total, 0);
	g.code_prefix = "_";
	procs(&g, 100, 0);
	assert_int_equal(rows.total, 0);
}

/* Counted in data/procedures.csv (column online; with level = police). */
#define ONLINE_FULL           26
#define ONLINE_PARTIAL        51
#define ONLINE_PARTIAL_POLICE 7

static void test_procedures_filters(void **state)
{
	(void)state;
	struct dbq_procedure_filter f = {.sector_folded = "ho tich"};
	procs(&f, 100, 0);
	assert_int_equal(rows.total, 15);
	struct dbq_procedure_filter g = {.agency = "SO_TAI_CHINH"};
	procs(&g, 100, 0);
	assert_int_equal(rows.total, 7);
	struct dbq_procedure_filter h = {.level = "police"};
	procs(&h, 100, 0);
	assert_int_equal(rows.total, 15);
	h.agency = "CONG_AN_TP"; /* filters combine with AND */
	procs(&h, 100, 0);
	assert_int_equal(rows.total, 3);
	/* the online level (data/procedures.csv: column online) */
	struct dbq_procedure_filter o = {.online = "full"};
	procs(&o, 100, 0);
	assert_int_equal(rows.total, ONLINE_FULL);
	o.online = "partial";
	procs(&o, 100, 0);
	assert_int_equal(rows.total, ONLINE_PARTIAL);
	o.level = "police"; /* with AND again */
	procs(&o, 100, 0);
	assert_int_equal(rows.total, ONLINE_PARTIAL_POLICE);
	struct dbq_procedure_filter empty = {.q_folded = "", .level = ""}; /* "" = unused */
	procs(&empty, 1, 0);
	assert_int_equal(rows.total, 77);
}

static void test_procedure_get(void **state)
{
	(void)state;
	struct query q = {.code = "1.004873", .out = &rows};
	assert_int_equal(run(&q), ERR_OK);
	assert_int_equal(rows.n, 1);
	assert_int_equal(rows.last.legal_days, 3);
	assert_true(rows.last.legal_hours == DBQ_NONE);
	assert_int_equal(rows.last.fee_vnd, 3000);
	assert_true(rows.last.cutoff_sec == DBQ_NONE);
	assert_true(rows.last.needs_signoff);
	assert_true(rows.last.boundary_free);
	q.code = "9.999999";
	assert_int_equal(run(&q), ERR_NOT_FOUND);
	q.code = "";
	assert_int_equal(run(&q), ERR_NOT_FOUND);
	q.code = "1.001193"; /* same-day procedure with its own 15:00 cut-off */
	assert_int_equal(run(&q), ERR_OK);
	assert_int_equal(rows.last.legal_days, 0);
	assert_int_equal(rows.last.cutoff_sec, 15 * 3600);
}

static void test_procedures_stop_and_bad_page(void **state)
{
	(void)state;
	struct dbq_procedure_filter f = {0};
	rows.stop_after = 3;
	struct query q = {.pf = &f, .limit = 10, .out = &rows};
	assert_int_equal(run(&q), ERR_INTERNAL);
	rows.stop_after = 0;
	q.limit = -1;
	assert_int_equal(run(&q), ERR_INVALID_ARGUMENT);
	q.limit = 1;
	q.offset = -1;
	assert_int_equal(run(&q), ERR_INVALID_ARGUMENT);
}

/* ---- communes and units ---- */

static void test_communes(void **state)
{
	(void)state;
	struct dbq_commune_filter f = {0};
	struct query q = {.cf = &f, .limit = 100, .out = &rows};
	assert_int_equal(run(&q), ERR_OK);
	assert_int_equal(rows.total, 126);
	f.kind = "ward";
	assert_int_equal(run(&q), ERR_OK);
	assert_int_equal(rows.total, 51);
	f.kind = "commune";
	assert_int_equal(run(&q), ERR_OK);
	assert_int_equal(rows.total, 75);
	f.kind = NULL;
	f.q_folded = "hoan kiem";
	assert_int_equal(run(&q), ERR_OK);
	assert_int_equal(rows.n, 1);
	assert_string_equal(rows.code[0], "00070");
	f.q_folded = NULL;
	f.code = "00070";
	assert_int_equal(run(&q), ERR_OK);
	assert_int_equal(rows.n, 1);
	f.code = "0007"; /* codes match whole */
	assert_int_equal(run(&q), ERR_OK);
	assert_int_equal(rows.n, 0);
}

static void units(struct dbq_unit_filter *f)
{
	struct query q = {.uf = f, .limit = 100, .out = &rows};
	assert_int_equal(run(&q), ERR_OK);
}

static void test_units(void **state)
{
	(void)state;
	struct dbq_unit_filter f = {.cls = DBQ_UNITS_AGENCY, .commune = "00070"};
	units(&f);
	assert_int_equal(rows.n, 2);
	assert_string_equal(rows.code[0], "CA-00070");
	assert_string_equal(rows.code[1], "UBND-00070");
	f.cls = DBQ_UNITS_RECEIVING; /* the committee receives, the police does not */
	units(&f);                   /* and so do Branch 3 and the Hoàn Kiếm point there */
	assert_int_equal(rows.n, 3);
	assert_string_equal(rows.code[0], "CN03");
	assert_string_equal(rows.code[1], "DTN-HOAN-KIEM");
	assert_string_equal(rows.code[2], "UBND-00070");
	struct dbq_unit_filter g = {.cls = DBQ_UNITS_RECEIVING, .parent = "CN03"};
	units(&g);
	assert_int_equal(rows.n, 3);
	assert_true(has(&rows, "DTN-HOAN-KIEM"));
	struct dbq_unit_filter h = {.cls = DBQ_UNITS_RECEIVING, .kind = "branch"};
	units(&h);
	assert_int_equal(rows.total, 12);
	struct dbq_unit_filter k = {.cls = DBQ_UNITS_AGENCY, .kind = "branch"};
	units(&k); /* a branch is no agency */
	assert_int_equal(rows.total, 0);
	struct dbq_unit_filter m = {.cls = DBQ_UNITS_ANY, .q_folded = "so tu phap"};
	units(&m);
	assert_int_equal(rows.n, 1);
	assert_string_equal(rows.code[0], "SO_TU_PHAP");
	struct dbq_unit_filter bad = {.cls = (enum dbq_unit_class)7};
	struct query q = {.uf = &bad, .limit = 1, .out = &rows};
	assert_int_equal(run(&q), ERR_INVALID_ARGUMENT);
}

/* ---- figures ---- */

struct states {
	int n;
	char state[8][32];
	int64_t count[8];
};

static int take_state(void *ctx, const char *state, int64_t count)
{
	struct states *s = ctx;
	if (s->n < 8) {
		snprintf(s->state[s->n], sizeof s->state[0], "%s", state);
		s->count[s->n] = count;
	}
	s->n++;
	return 0;
}

static enum err_code states_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct states *s = ctx;
	memset(s, 0, sizeof *s);
	enum err_code rc = dbq_ping(c, e);
	return rc ? rc : dbq_dossier_states(c, take_state, s, e);
}

static enum err_code insert_txn(struct db_conn *c, void *ctx, struct err *e)
{
	const char *const *states = ctx;
	for (int i = 0; states[i]; i++) {
		struct db_dossier d;
		db_dossier_clear(&d);
		snprintf(d.id, sizeof d.id, "%016x", i + 1);
		snprintf(d.procedure_code, sizeof d.procedure_code, "1.001193");
		snprintf(d.state, sizeof d.state, "%s", states[i]);
		d.version = 1;
		snprintf(d.channel, sizeof d.channel, "online");
		snprintf(d.applicant_kind, sizeof d.applicant_kind, "person");
		snprintf(d.applicant_name, sizeof d.applicant_name, "A");
		snprintf(d.applicant_name_folded, sizeof d.applicant_name_folded, "a");
		d.submitted_at = d.updated_at = 1751328000;
		enum err_code rc = db_dossier_insert(c, &d, e);
		if (rc != ERR_OK)
			return rc;
	}
	return ERR_OK;
}

static void test_dossier_states(void **state)
{
	(void)state;
	struct states s;
	struct err e;
	err_clear(&e);
	assert_int_equal(db_run_txn(db, DB_TXN_READ, states_txn, &s, &e), ERR_OK);
	assert_int_equal(s.n, 0); /* no dossier yet */
	static const char *const add[] = {"submitted", "submitted", "received", NULL};
	assert_int_equal(db_run_txn(db, DB_TXN_WRITE, insert_txn, (void *)add, &e), ERR_OK);
	assert_int_equal(db_run_txn(db, DB_TXN_READ, states_txn, &s, &e), ERR_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.state[0], "received");
	assert_int_equal(s.count[0], 1);
	assert_string_equal(s.state[1], "submitted");
	assert_int_equal(s.count[1], 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_procedures_all),
	        cmocka_unit_test(test_procedures_word_prefix),
	        cmocka_unit_test(test_procedures_code_prefix),
	        cmocka_unit_test(test_procedures_filters),
	        cmocka_unit_test(test_procedure_get),
	        cmocka_unit_test(test_procedures_stop_and_bad_page),
	        cmocka_unit_test(test_communes),
	        cmocka_unit_test(test_units),
	        cmocka_unit_test(test_dossier_states),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
