/*
 * Unit tests for service/import (and db/db_catalog underneath): the bundled
 * data/ loaded into a temporary SQLite database migrated with the built-in
 * migrations.
 *
 * Expected counts come from the data files themselves: 126 communes and
 * wards (51 + 75, GSO list 1027/CTK-CSCL, Decision 19/2025/QĐ-TTg), 62 rows
 * of units.csv (20 agencies, 12 branches, 30 points: ../shared/data
 * branches.csv and agencies.csv, see data/README.md) plus 2 generated units
 * per commune, 77 procedures with 303 components (the `components` field,
 * split at '|') and 222 steps, and the rows of data/holidays.csv counted
 * here by its own parser. Spot values (Hoàn Kiếm's centroid 21.0320,
 * 105.8504, 1.92 km²; the 15:00 cut-off of birth registration) are those
 * written in the files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/db_catalog.h"
#include "db/migrate.h"
#include "domain/holidays.h"
#include "service/import.h"

#include "tmpdb_fixture.h"

#define DATA_DIR SOURCE_DIR "/data"

static char tmpdir[256];
static int test_no;

static const char *const data_files[] = {IMPORT_FILE_COMMUNES, IMPORT_FILE_UNITS,
                                         IMPORT_FILE_PROCEDURES, IMPORT_FILE_STEPS,
                                         IMPORT_FILE_HOLIDAYS};

static int setup_dir(void **state)
{
	(void)state;
	return tmpdb_mkdir(tmpdir, sizeof tmpdir, "import");
}

static int teardown_dir(void **state)
{
	(void)state;
	tmpdb_rm_tree(tmpdir);
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return s;
}

static void spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	fclose(f);
}

/* A fresh migrated database. */
static struct db *new_db(void)
{
	int n;
	migrate_embedded(&n);
	assert_true(n >= 1);
	return tmpdb_new(tmpdir, ++test_no, 1751328000);
}

/* A copy of the bundled data directory that a test may edit; returns its path. */
static const char *copy_data(void)
{
	static char dir[512];
	snprintf(dir, sizeof dir, "%s/data%d", tmpdir, ++test_no);
	assert_int_equal(mkdir(dir, 0700), 0);
	for (size_t i = 0; i < sizeof data_files / sizeof data_files[0]; i++) {
		char src[512], dst[600];
		snprintf(src, sizeof src, "%s/%s", DATA_DIR, data_files[i]);
		snprintf(dst, sizeof dst, "%s/%s", dir, data_files[i]);
		char *text = slurp(src, NULL);
		spit(dst, text);
		free(text);
	}
	return dir;
}

/* Replaces the first occurrence of old by new in dir/name (old must be there). */
static void edit(const char *dir, const char *name, const char *old, const char *new)
{
	char path[600];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	char *text = slurp(path, NULL);
	char *at = strstr(text, old);
	if (!at)
		fail_msg("'%s' not found in %s", old, name);
	size_t n = strlen(text) - strlen(old) + strlen(new) + 1;
	char *out = malloc(n);
	assert_non_null(out);
	size_t head = (size_t)(at - text);
	memcpy(out, text, head);
	memcpy(out + head, new, strlen(new));
	memcpy(out + head + strlen(new), at + strlen(old), strlen(at + strlen(old)) + 1);
	spit(path, out);
	free(out);
	free(text);
}

/* Removes every line of dir/name that contains part. */
static void drop_lines(const char *dir, const char *name, const char *part)
{
	char path[600];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	char *text = slurp(path, NULL);
	char *out = calloc(1, strlen(text) + 1);
	assert_non_null(out);
	size_t n = 0;
	int dropped = 0;
	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
		char save = line[len - (nl ? 1 : 0)];
		line[len - (nl ? 1 : 0)] = '\0';
		bool drop = strstr(line, part) != NULL;
		line[len - (nl ? 1 : 0)] = save;
		if (drop)
			dropped++;
		else {
			memcpy(out + n, line, len);
			n += len;
		}
		line += len;
	}
	assert_true(dropped > 0);
	spit(path, out);
	free(out);
	free(text);
}

static int64_t count_sql(struct db *db, const char *sql)
{
	struct db_conn *c;
	int64_t n = -1;
	assert_int_equal(db_thread_conn(db, &c, NULL), ERR_OK);
	assert_int_equal(db_query_int64(c, sql, DB_NOARGS, &n, NULL), ERR_OK);
	return n;
}

static size_t holiday_rows(void)
{
	size_t len;
	char *text = slurp(DATA_DIR "/" IMPORT_FILE_HOLIDAYS, &len);
	struct holiday_table t;
	assert_int_equal(holidays_parse_csv(text, len, &t, NULL), ERR_OK);
	size_t n = t.count;
	holidays_table_release(&t);
	free(text);
	return n;
}

static void import_ok(struct db *db, const char *dir, struct import_report *rep)
{
	struct err e;
	err_clear(&e);
	enum err_code rc = import_reference(db, dir, rep, &e);
	if (rc != ERR_OK)
		fail_msg("import: %s (%s)", e.detail, err_code_str(rc));
}

/* ---- pure parts ---- */

static void test_parse_e6(void **state)
{
	(void)state;
	int64_t v;
	assert_int_equal(import_parse_e6("21.0320", &v), 0);
	assert_int_equal(v, 21032000);
	assert_int_equal(import_parse_e6("105.8504", &v), 0);
	assert_int_equal(v, 105850400);
	assert_int_equal(import_parse_e6("1.92", &v), 0);
	assert_int_equal(v, 1920000);
	assert_int_equal(import_parse_e6("7", &v), 0);
	assert_int_equal(v, 7000000);
	assert_int_equal(import_parse_e6("-0.000001", &v), 0);
	assert_int_equal(v, -1);
	assert_int_equal(import_parse_e6("999999999.999999", &v), 0);
	static const char *const bad[] = {"",           "-",    ".5",   "5.",  "1.2345678",
	                                  "1e3",        " 1.0", "1.0 ", "1,5", "+1",
	                                  "1000000000", "0x10", "1..2"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (import_parse_e6(bad[i], &v) == 0)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(import_parse_e6(NULL, &v), -1);
}

struct parts {
	int n;
	char name[8][64];
	bool required[8], population[8];
};

static int collect(void *ctx, int seq, const char *name, size_t len, bool required, bool population)
{
	struct parts *p = ctx;
	assert_int_equal(seq, p->n + 1);
	assert_true(p->n < 8 && len < 64);
	memcpy(p->name[p->n], name, len);
	p->name[p->n][len] = '\0';
	p->required[p->n] = required;
	p->population[p->n] = population;
	p->n++;
	return 0;
}

/* The markers of ../shared/data/procedures.csv: [DC] population data, [opt] optional. */
static void test_split_components(void **state)
{
	(void)state;
	struct parts p;
	memset(&p, 0, sizeof p);
	assert_int_equal(
	        import_split_components("Tờ khai | Giấy tờ tùy thân [DC] | Văn bản ủy "
	                                "quyền [opt] |  Giấy XN [opt] [DC]| Thông tin [DC] "
	                                "[opt]",
	                                collect, &p, NULL),
	        ERR_OK);
	assert_int_equal(p.n, 5);
	assert_string_equal(p.name[0], "Tờ khai");
	assert_true(p.required[0] && !p.population[0]);
	assert_string_equal(p.name[1], "Giấy tờ tùy thân");
	assert_true(p.required[1] && p.population[1]);
	assert_string_equal(p.name[2], "Văn bản ủy quyền");
	assert_true(!p.required[2] && !p.population[2]);
	assert_string_equal(p.name[3], "Giấy XN");
	assert_true(!p.required[3] && p.population[3]);
	assert_true(!p.required[4] && p.population[4]);
	/* brackets that are not a trailing marker stay in the name */
	memset(&p, 0, sizeof p);
	assert_int_equal(import_split_components("A [x] b", collect, &p, NULL), ERR_OK);
	assert_string_equal(p.name[0], "A [x] b");

	static const struct {
		const char *field;
		const char *detail;
	} bad[] = {
	        {"", "component 1 is empty"},
	        {"A | | B", "component 2 is empty"},
	        {"A |", "component 2 is empty"},
	        {"[opt]", "component 1 is empty"},
	        {"A [DC] [DC]", "marker '[DC]' given twice"},
	        {"A | B [optional]", "component 2: unknown marker '[optional]'"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct err e;
		err_clear(&e);
		memset(&p, 0, sizeof p);
		assert_int_equal(import_split_components(bad[i].field, collect, &p, &e),
		                 ERR_INVALID_DATA_FILE);
		if (!strstr(e.detail, bad[i].detail))
			fail_msg("'%s': detail '%s'", bad[i].field, e.detail);
	}
}

/* ---- the bundled data ---- */

static void test_load_bundled(void **state)
{
	(void)state;
	struct import_data d;
	struct err e;
	err_clear(&e);
	if (import_load_dir(DATA_DIR, &d, &e) != ERR_OK)
		fail_msg("load: %s", e.detail);
	assert_int_equal(d.ncommunes, 126);
	assert_int_equal(d.nfile_units, 62);
	assert_int_equal(d.nunits, 62 + 2 * 126);
	assert_int_equal(d.nprocedures, 77);
	assert_int_equal(d.ncomponents, 303);
	assert_int_equal(d.nsteps, 222);
	assert_int_equal(d.nholidays, holiday_rows());
	size_t wards = 0, branches = 0, points = 0, receiving = 0;
	for (size_t i = 0; i < d.ncommunes; i++)
		wards += strcmp(d.communes[i].kind, "ward") == 0;
	for (size_t i = 0; i < d.nunits; i++) {
		branches += strcmp(d.units[i].kind, "branch") == 0;
		points += strcmp(d.units[i].kind, "point") == 0;
		receiving += d.units[i].receives;
		/* every receiving unit has a valid identifier (checked by the loader) */
		if (d.units[i].receives)
			assert_non_null(d.units[i].identifier);
	}
	assert_int_equal(wards, 51);
	assert_int_equal(branches, 12);
	assert_int_equal(points, 30);
	assert_int_equal(receiving, 12 + 30 + 126);
	import_data_release(&d);
	assert_int_equal(d.nunits, 0);
}

static void test_first_import(void **state)
{
	(void)state;
	struct db *db = new_db();
	struct import_report rep;
	import_ok(db, DATA_DIR, &rep);
	const struct import_count *t = rep.tables;
	assert_int_equal(t[IMPORT_COMMUNES].inserted, 126);
	assert_int_equal(t[IMPORT_UNITS].inserted, 314);
	assert_int_equal(t[IMPORT_PROCEDURES].inserted, 77);
	assert_int_equal(t[IMPORT_COMPONENTS].inserted, 303);
	assert_int_equal(t[IMPORT_STEPS].inserted, 222);
	assert_int_equal(t[IMPORT_HOLIDAYS].inserted, (int64_t)holiday_rows());
	for (int i = 0; i < IMPORT_TABLES; i++) {
		assert_int_equal(t[i].updated + t[i].unchanged + t[i].deactivated + t[i].deleted,
		                 0);
	}
	assert_int_equal(rep.changes, 126 + 314 + 77 + 303 + 222 + (int64_t)holiday_rows());
	assert_int_equal(rep.nwarnings, 0);

	assert_int_equal(count_sql(db, "SELECT count(*) FROM commune"), 126);
	assert_int_equal(count_sql(db, "SELECT count(*) FROM unit WHERE active = 1"), 314);
	assert_int_equal(count_sql(db, "SELECT count(*) FROM procedure_component"), 303);
	/* Hoàn Kiếm: 21.0320, 105.8504, 1.92 km² in communes.csv */
	assert_int_equal(count_sql(db, "SELECT lat_e6 FROM commune WHERE code = '00070'"),
	                 21032000);
	assert_int_equal(count_sql(db, "SELECT lon_e6 FROM commune WHERE code = '00070'"),
	                 105850400);
	assert_int_equal(count_sql(db, "SELECT area_m2 FROM commune WHERE code = '00070'"),
	                 1920000);
	assert_int_equal(count_sql(db, "SELECT count(*) FROM commune WHERE code = '00070' AND "
	                               "name_folded = 'hoan kiem' AND kind = 'ward'"),
	                 1);
	/* the generated commune units */
	assert_int_equal(count_sql(db,
	                           "SELECT count(*) FROM unit WHERE code = 'UBND-00070' AND "
	                           "kind = 'commune_committee' AND identifier = '000.70.XA.H26' "
	                           "AND receives = 1 AND parent_code = 'UBND_TP' AND "
	                           "commune_code = '00070' AND name_vi = 'Ủy ban nhân dân phường "
	                           "Hoàn Kiếm'"),
	                 1);
	assert_int_equal(count_sql(db, "SELECT count(*) FROM unit WHERE code = 'CA-00070' AND "
	                               "kind = 'commune_police' AND identifier IS NULL AND "
	                               "receives = 0 AND parent_code = 'CONG_AN_TP'"),
	                 1);
	assert_int_equal(count_sql(db, "SELECT count(*) FROM unit WHERE kind = "
	                               "'commune_committee' AND receives = 1"),
	                 126);
	assert_int_equal(count_sql(db, "SELECT count(*) FROM unit WHERE code = 'CN01' AND "
	                               "identifier = '000.01.CN.H26' AND parent_code = 'TTPVHCC'"),
	                 1);
	/* birth registration: same day, 15:00 cut-off, residence, 8 components, 3 [DC] */
	assert_int_equal(count_sql(db,
	                           "SELECT count(*) FROM procedure WHERE code = '1.001193' "
	                           "AND legal_days = 0 AND legal_hours IS NULL AND cutoff_sec = "
	                           "54000 AND route_by = 'residence' AND competent_unit IS NULL "
	                           "AND competent_kind = 'commune_committee' AND "
	                           "supplement_rule = 'restart' AND max_supplements = 1 AND "
	                           "needs_signoff = 0 AND boundary_free = 1 AND online = 'full'"),
	                 1);
	assert_int_equal(count_sql(db, "SELECT count(*) FROM procedure_component WHERE "
	                               "procedure_code = '1.001193'"),
	                 8);
	assert_int_equal(count_sql(db, "SELECT count(*) FROM procedure_component WHERE "
	                               "procedure_code = '1.001193' AND population_replaces = 1"),
	                 3);
	assert_int_equal(count_sql(db, "SELECT count(*) FROM procedure_component WHERE "
	                               "procedure_code = '1.001193' AND required = 0"),
	                 3);
	/* every procedure's steps sum to 100 */
	assert_int_equal(count_sql(db, "SELECT count(*) FROM (SELECT procedure_code FROM "
	                               "procedure_step GROUP BY procedure_code HAVING "
	                               "sum(share_pct) <> 100) x"),
	                 0);
	/* notification of stay: 1 working hour, no cut-off */
	assert_int_equal(count_sql(db, "SELECT legal_hours FROM procedure WHERE code = "
	                               "'2.001159' AND legal_days IS NULL AND cutoff_sec IS NULL"),
	                 1);
	/* the catalogue counts */
	struct db_conn *c;
	int64_t n;
	assert_int_equal(db_thread_conn(db, &c, NULL), ERR_OK);
	assert_int_equal(db_catalog_count(c, DB_CATALOG_UNIT, &n, NULL), ERR_OK);
	assert_int_equal(n, 314);
	assert_int_equal(db_catalog_count(c, DB_CATALOG_PROCEDURE, &n, NULL), ERR_OK);
	assert_int_equal(n, 77);
	assert_int_equal(db_catalog_count(c, DB_CATALOG_HOLIDAY, &n, NULL), ERR_OK);
	assert_int_equal(n, (int64_t)holiday_rows());
	assert_int_equal(db_catalog_count(c, (enum db_catalog_table)9, &n, NULL),
	                 ERR_INVALID_ARGUMENT);
	db_close(db);
}

static void test_second_import_changes_nothing(void **state)
{
	(void)state;
	struct db *db = new_db();
	struct import_report rep;
	import_ok(db, DATA_DIR, &rep);
	import_ok(db, DATA_DIR, &rep);
	assert_int_equal(rep.changes, 0);
	const struct import_count *t = rep.tables;
	assert_int_equal(t[IMPORT_COMMUNES].unchanged, 126);
	assert_int_equal(t[IMPORT_UNITS].unchanged, 314);
	assert_int_equal(t[IMPORT_PROCEDURES].unchanged, 77);
	assert_int_equal(t[IMPORT_COMPONENTS].unchanged, 303);
	assert_int_equal(t[IMPORT_STEPS].unchanged, 222);
	assert_int_equal(t[IMPORT_HOLIDAYS].unchanged, (int64_t)holiday_rows());
	for (int i = 0; i < IMPORT_TABLES; i++)
		assert_int_equal(t[i].inserted + t[i].updated + t[i].deactivated + t[i].deleted, 0);
	db_close(db);
}

static void test_modified_rows_updated(void **state)
{
	(void)state;
	struct db *db = new_db();
	struct import_report rep;
	import_ok(db, DATA_DIR, &rep);
	const char *dir = copy_data();
	/* a commune renamed (also renames its two generated units), a fee changed, a step name,
	 * a component flagged optional */
	edit(dir, IMPORT_FILE_COMMUNES, "00070,Hoàn Kiếm,", "00070,Hoàn Kiếm Mới,");
	edit(dir, IMPORT_FILE_PROCEDURES, ",15:00,2000,partial,yes", ",15:00,2500,partial,yes");
	edit(dir, IMPORT_FILE_STEPS, "1.001193,2,Chuyển kết quả", "1.001193,2,Gửi kết quả");
	edit(dir, IMPORT_FILE_PROCEDURES, "Giấy chứng sinh; nếu không có",
	     "Giấy chứng sinh; khi không có");
	import_ok(db, dir, &rep);
	const struct import_count *t = rep.tables;
	assert_int_equal(t[IMPORT_COMMUNES].updated, 1);
	assert_int_equal(t[IMPORT_COMMUNES].unchanged, 125);
	assert_int_equal(t[IMPORT_UNITS].updated, 2);
	assert_int_equal(t[IMPORT_UNITS].unchanged, 312);
	assert_int_equal(t[IMPORT_PROCEDURES].updated, 1);
	assert_int_equal(t[IMPORT_COMPONENTS].updated, 1);
	assert_int_equal(t[IMPORT_STEPS].updated, 1);
	assert_int_equal(t[IMPORT_HOLIDAYS].updated, 0);
	assert_int_equal(rep.changes, 6);
	assert_int_equal(count_sql(db, "SELECT count(*) FROM commune WHERE code = '00070' AND "
	                               "name_folded = 'hoan kiem moi'"),
	                 1);
	assert_int_equal(count_sql(db, "SELECT fee_vnd FROM procedure WHERE code = '2.000815'"),
	                 2500);
	db_close(db);
}

static void test_removed_rows(void **state)
{
	(void)state;
	struct db *db = new_db();
	struct import_report rep;
	import_ok(db, DATA_DIR, &rep);
	int64_t holidays = (int64_t)holiday_rows();
	const char *dir = copy_data();
	/* a point, a procedure with its steps, a component, a step, a holiday */
	drop_lines(dir, IMPORT_FILE_UNITS, "DTN-MY-DUC,");
	drop_lines(dir, IMPORT_FILE_PROCEDURES, "1.011607,");
	drop_lines(dir, IMPORT_FILE_STEPS, "1.011607,");
	edit(dir, IMPORT_FILE_PROCEDURES, " | Biên bản xác nhận trẻ bị bỏ rơi [opt]", "");
	edit(dir, IMPORT_FILE_STEPS,
	     "1.004873,2,\"Lãnh đạo cơ quan xem xét, ký duyệt\",Head of agency "
	     "reviews and signs off,25",
	     "1.004873,2,\"Lãnh đạo cơ quan xem xét, ký duyệt\",Head of agency reviews and signs "
	     "off,40");
	drop_lines(dir, IMPORT_FILE_STEPS, "1.004873,3,");
	drop_lines(dir, IMPORT_FILE_HOLIDAYS, "2024-01-01,");
	import_ok(db, dir, &rep);
	const struct import_count *t = rep.tables;
	assert_int_equal(t[IMPORT_UNITS].deactivated, 1);
	assert_int_equal(t[IMPORT_UNITS].unchanged, 313);
	assert_int_equal(t[IMPORT_PROCEDURES].deactivated, 1);
	assert_int_equal(t[IMPORT_PROCEDURES].unchanged, 76);
	/* 1.001193 lost its 7th component: the 8th moves up (updated), 8 is deleted */
	assert_int_equal(t[IMPORT_COMPONENTS].deleted, 1);
	assert_int_equal(t[IMPORT_COMPONENTS].updated, 1);
	assert_int_equal(t[IMPORT_STEPS].deleted, 1);
	assert_int_equal(t[IMPORT_STEPS].updated, 1);
	assert_int_equal(t[IMPORT_HOLIDAYS].deleted, 1);
	assert_int_equal(t[IMPORT_HOLIDAYS].unchanged, holidays - 1);
	assert_int_equal(count_sql(db, "SELECT active FROM unit WHERE code = 'DTN-MY-DUC'"), 0);
	assert_int_equal(count_sql(db, "SELECT active FROM procedure WHERE code = '1.011607'"), 0);
	/* a deactivated procedure keeps its rows */
	assert_int_equal(count_sql(db, "SELECT count(*) FROM procedure_step WHERE "
	                               "procedure_code = '1.011607'"),
	                 3);
	assert_int_equal(count_sql(db, "SELECT count(*) FROM procedure_component WHERE "
	                               "procedure_code = '1.001193'"),
	                 7);
	/* again: nothing more to do */
	import_ok(db, dir, &rep);
	assert_int_equal(rep.changes, 0);
	/* the bundled data again: the unit and procedure come back (updated), the rest returns */
	import_ok(db, DATA_DIR, &rep);
	assert_int_equal(t[IMPORT_UNITS].updated, 1);
	assert_int_equal(t[IMPORT_PROCEDURES].updated, 1);
	assert_int_equal(t[IMPORT_COMPONENTS].inserted, 1);
	assert_int_equal(t[IMPORT_STEPS].inserted, 1);
	assert_int_equal(t[IMPORT_HOLIDAYS].inserted, 1);
	assert_int_equal(count_sql(db, "SELECT active FROM unit WHERE code = 'DTN-MY-DUC'"), 1);
	db_close(db);
}

/* A commune that leaves the data is kept while units refer to it, with a warning. */
static void test_removed_commune_kept(void **state)
{
	(void)state;
	struct db *db = new_db();
	struct import_report rep;
	import_ok(db, DATA_DIR, &rep);
	const char *dir = copy_data();
	drop_lines(dir, IMPORT_FILE_COMMUNES, "10489,"); /* no unit of units.csv is there */
	import_ok(db, dir, &rep);
	assert_int_equal(rep.tables[IMPORT_COMMUNES].deleted, 0);
	assert_int_equal(rep.tables[IMPORT_UNITS].deactivated, 2); /* UBND- and CA-10489 */
	assert_int_equal(rep.nwarnings, 1);
	assert_non_null(strstr(rep.warnings[0], "commune '10489'"));
	assert_int_equal(count_sql(db, "SELECT count(*) FROM commune"), 126);

	/* in a database where nothing refers to it, it is deleted */
	struct db_conn *c;
	bool deleted = false;
	assert_int_equal(db_thread_conn(db, &c, NULL), ERR_OK);
	assert_int_equal(db_exec(c,
	                         "INSERT INTO commune (code, name_vi, name_folded, kind, "
	                         "lat_e6, lon_e6, area_m2) VALUES ('99999', 'X', 'x', 'ward', "
	                         "21000000, 105800000, 1)",
	                         DB_NOARGS, NULL, NULL),
	                 ERR_OK);
	import_ok(db, dir, &rep);
	assert_int_equal(rep.tables[IMPORT_COMMUNES].deleted, 1);
	assert_int_equal(rep.nwarnings, 1);
	assert_int_equal(count_sql(db, "SELECT count(*) FROM commune WHERE code = '99999'"), 0);
	assert_int_equal(db_catalog_delete_commune_if_unused(c, "00070", &deleted, NULL), ERR_OK);
	assert_false(deleted);
	db_close(db);
}

/* Snapshot of the tables, to show that a failed import changed nothing. */
static void snapshot(struct db *db, int64_t out[4])
{
	out[0] = count_sql(db, "SELECT count(*) + coalesce(sum(length(name_vi)), 0) FROM commune");
	out[1] = count_sql(db, "SELECT count(*) + coalesce(sum(active), 0) FROM unit");
	out[2] = count_sql(db, "SELECT count(*) + coalesce(sum(fee_vnd), 0) FROM procedure");
	out[3] = count_sql(db, "SELECT count(*) FROM holiday");
}

static void test_malformed_aborts(void **state)
{
	(void)state;
	struct db *db = new_db();
	struct import_report rep;
	struct err e;
	import_ok(db, DATA_DIR, &rep);
	int64_t before[4], after[4];
	snapshot(db, before);

	/* the communes and procedures change, but the last file is malformed */
	const char *dir = copy_data();
	edit(dir, IMPORT_FILE_COMMUNES, "00070,Hoàn Kiếm,", "00070,Hoàn Kiếm Mới,");
	edit(dir, IMPORT_FILE_PROCEDURES, ",15:00,2000,partial,yes", ",15:00,2500,partial,yes");
	edit(dir, IMPORT_FILE_HOLIDAYS, "2024-01-01,off", "2024-01-01,\"off");
	err_clear(&e);
	assert_int_equal(import_reference(db, dir, &rep, &e), ERR_INVALID_HOLIDAY_DATA);
	assert_non_null(strstr(e.detail, "holidays.csv"));
	assert_int_equal(rep.changes, 0);
	snapshot(db, after);
	assert_memory_equal(before, after, sizeof before);

	/* a CSV error names the file, the line and the column */
	dir = copy_data();
	edit(dir, IMPORT_FILE_UNITS, "CN01,branch,", "CN01,bra\"nch,");
	err_clear(&e);
	assert_int_equal(import_reference(db, dir, &rep, &e), ERR_INVALID_DATA_FILE);
	assert_non_null(strstr(e.detail, "units.csv line 22, column 2: quote inside"));

	/* a failure inside the transaction rolls back the rows written before it: a new unit
	 * takes the identifier that a removed unit still holds */
	dir = copy_data();
	edit(dir, IMPORT_FILE_COMMUNES, "00070,Hoàn Kiếm,", "00070,Hoàn Kiếm Mới,");
	edit(dir, IMPORT_FILE_UNITS, "DTN-MY-DUC,", "DTN-MY-DUC-2,");
	err_clear(&e);
	assert_int_equal(import_reference(db, dir, &rep, &e), ERR_DB_CONFLICT);
	snapshot(db, after);
	assert_memory_equal(before, after, sizeof before);
	assert_int_equal(count_sql(db, "SELECT count(*) FROM commune WHERE name_vi = 'Hoàn Kiếm'"),
	                 1);

	/* a missing file */
	dir = copy_data();
	char path[600];
	snprintf(path, sizeof path, "%s/%s", dir, IMPORT_FILE_STEPS);
	assert_int_equal(unlink(path), 0);
	err_clear(&e);
	assert_int_equal(import_reference(db, dir, &rep, &e), ERR_IO);
	assert_non_null(strstr(e.detail, "procedure_steps.csv"));
	assert_int_equal(import_reference(db, "", &rep, &e), ERR_INVALID_ARGUMENT);
	snapshot(db, after);
	assert_memory_equal(before, after, sizeof before);
	db_close(db);
}

/* Each broken rule is refused with the file, the line and what is wrong. */
static void test_validation(void **state)
{
	(void)state;
	static const struct {
		const char *file, *old, *new, *detail;
	} cases[] = {
	        {IMPORT_FILE_COMMUNES, "00070,", "0070,",
	         "communes.csv line 2, column 1 (code): "
	         "'0070' is not a 5-digit"},
	        {IMPORT_FILE_COMMUNES, "00082,", "00070,",
	         "communes.csv line 3 (code): commune "
	         "'00070' repeats line 2"},
	        {IMPORT_FILE_COMMUNES, "21.0320,105.8504", "21.0320,115.8504",
	         "line 2, column 5 (lon): 115.8504 is out of range"},
	        {IMPORT_FILE_COMMUNES, "21.0320,", "21.03201234,", "with at most 6 decimals"},
	        {IMPORT_FILE_COMMUNES, ",1.92,", ",0,", "column 6 (area_km2): 0 is out of range"},
	        {IMPORT_FILE_COMMUNES, ",ward,", ",phuong,",
	         "column 3 (kind): 'phuong' is not one "
	         "of: ward, commune"},
	        {IMPORT_FILE_COMMUNES, "000.70.XA.H26", "000.70.xa.H26",
	         "(committee_identifier): invalid unit identifier"},
	        {IMPORT_FILE_COMMUNES, "000.82.XA.H26", "000.70.XA.H26",
	         "identifier '000.70.XA.H26' is also the identifier of unit 'UBND-00070'"},
	        {IMPORT_FILE_COMMUNES, "code,name_vi", "code,name",
	         "header 'name' where 'name_vi'"},
	        {IMPORT_FILE_UNITS, "CN01,branch,000.01.CN.H26", "CN01,branch,000.05.DT.H26",
	         "is also the identifier of unit 'CN01'"},
	        {IMPORT_FILE_UNITS, "CN01,branch,000.01.CN.H26,", "CN01,branch,,",
	         "(identifier): a receiving unit needs a unit identifier"},
	        {IMPORT_FILE_UNITS, "CN01,branch,", "CN01,commune_committee,",
	         "'commune_committee' units are made from communes.csv"},
	        {IMPORT_FILE_UNITS, "CN01,branch,", "UBND-X,branch,", "are reserved"},
	        {IMPORT_FILE_UNITS, "CN02,branch,", "CN01,branch,", "unit 'CN01' repeats line 22"},
	        {IMPORT_FILE_UNITS, ",TTPVHCC,00103,", ",TTPVHCC,00109,",
	         "(commune_code): no commune '00109'"},
	        {IMPORT_FILE_UNITS, ",TTPVHCC,00103,", ",CN02,00103,",
	         "(parent_code): parent 'CN02' is not a unit listed above"},
	        {IMPORT_FILE_UNITS, ",TTPVHCC,00103,", ",NOWHERE,00103,",
	         "parent 'NOWHERE' is not a unit"},
	        {IMPORT_FILE_UNITS, "21.0580,105.8202", ",105.8202", "give both lat and lon"},
	        {IMPORT_FILE_UNITS, "Hanoi Department of Justice,UBND_TP",
	         "Hanoi Department of Justice ,UBND_TP", "leading or trailing space"},
	        {IMPORT_FILE_PROCEDURES, ",SO_TU_PHAP,", ",SO_TU_PHAP_X,",
	         "(competent_unit): no unit 'SO_TU_PHAP_X'"},
	        {IMPORT_FILE_PROCEDURES, "department,SO_TU_PHAP", "office,SO_TU_PHAP",
	         "(competent_kind): 'office' but unit 'SO_TU_PHAP' is a department"},
	        {IMPORT_FILE_PROCEDURES, "commune_committee,,residence,0,,15:00",
	         "commune_committee,,residence,0,8,15:00", "exactly one"},
	        {IMPORT_FILE_PROCEDURES, "commune_committee,,residence,0,,15:00",
	         "commune_committee,,residence,0,,25:00", "(cutoff): '25:00' is not a time"},
	        {IMPORT_FILE_PROCEDURES, "commune_committee,,residence,0,,15:00",
	         "commune_committee,,fixed,0,,15:00", "route_by 'fixed' needs a competent_unit"},
	        {IMPORT_FILE_PROCEDURES, "commune,commune_committee,,residence",
	         "commune,commune_police,,residence", "goes to the commune_committee"},
	        {IMPORT_FILE_PROCEDURES, "Biên bản xác nhận trẻ bị bỏ rơi [opt]",
	         "Biên bản xác nhận trẻ bị bỏ rơi [tùy chọn]",
	         "(components): component 7: unknown "
	         "marker"},
	        {IMPORT_FILE_PROCEDURES, "1.000894,", "1.001193,", "procedure '1.001193' repeats"},
	        {IMPORT_FILE_PROCEDURES, "1.000894,", "1-000894,", "is not a procedure code"},
	        {IMPORT_FILE_PROCEDURES, ",15:00,0,full,yes,restart,1,1,no,",
	         ",15:00,0,full,yes,restart,1,1,yes,",
	         "'1.001193' needs sign-off but has no "
	         "approver step"},
	        {IMPORT_FILE_PROCEDURES, ",15:00,0,full,yes,restart,1,1,",
	         ",15:00,-5,full,yes,restart,1,1,", "(fee_vnd): '-5' is not a whole number"},
	        {IMPORT_FILE_STEPS,
	         "1.001193,2,Chuyển kết quả về bộ phận một cửa,Send the result "
	         "to the one-stop desk,20",
	         "1.001193,2,Chuyển kết quả về bộ phận một cửa,Send the result to the one-stop "
	         "desk,10",
	         "the shares of '1.001193' add up to 90"},
	        {IMPORT_FILE_STEPS, "1.001193,2,", "1.001193,3,", "step 3 where 2 was expected"},
	        {IMPORT_FILE_STEPS, "1.001193,1,", "1.001194,1,", "step 2 where 1 was expected"},
	        {IMPORT_FILE_STEPS, ",specialist,template\n1.000894,1,",
	         ",approver,template\n1.000894,1,", "has an approver step but needs_signoff is no"},
	        {IMPORT_FILE_STEPS, ",20,specialist,template\n1.000894,1,",
	         ",20,clerk,template\n1.000894,1,", "(role): 'clerk' is not one of"},
	};
	struct db *db = new_db();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *dir = copy_data();
		edit(dir, cases[i].file, cases[i].old, cases[i].new);
		struct import_data d;
		struct err e;
		err_clear(&e);
		enum err_code rc = import_load_dir(dir, &d, &e);
		if (rc != ERR_INVALID_DATA_FILE || !strstr(e.detail, cases[i].detail))
			fail_msg("case %zu: %s: '%s' (wanted '%s')", i, err_code_str(rc), e.detail,
			         cases[i].detail);
		assert_int_equal(d.nunits + d.ncommunes + d.nprocedures, 0);
	}
	/* a procedure without steps */
	const char *dir = copy_data();
	drop_lines(dir, IMPORT_FILE_STEPS, "1.011607,");
	struct import_data d;
	struct err e;
	err_clear(&e);
	assert_int_equal(import_load_dir(dir, &d, &e), ERR_INVALID_DATA_FILE);
	assert_non_null(strstr(e.detail, "procedure '1.011607' has no steps"));
	/* steps of one procedure split over two places */
	dir = copy_data();
	drop_lines(dir, IMPORT_FILE_STEPS, "1.000894,");
	char path[600];
	snprintf(path, sizeof path, "%s/%s", dir, IMPORT_FILE_STEPS);
	FILE *f = fopen(path, "a");
	assert_non_null(f);
	fputs("1.000894,1,a,b,80,specialist,\n1.000894,2,a,b,20,specialist,\n1.001193,1,a,b,100,"
	      "specialist,\n",
	      f);
	fclose(f);
	err_clear(&e);
	assert_int_equal(import_load_dir(dir, &d, &e), ERR_INVALID_DATA_FILE);
	assert_non_null(strstr(e.detail, "the steps of '1.001193' must be consecutive"));
	/* steps of an unknown procedure */
	dir = copy_data();
	snprintf(path, sizeof path, "%s/%s", dir, IMPORT_FILE_STEPS);
	f = fopen(path, "a");
	assert_non_null(f);
	fputs("9.999999,1,a,b,100,specialist,\n", f);
	fclose(f);
	err_clear(&e);
	assert_int_equal(import_load_dir(dir, &d, &e), ERR_INVALID_DATA_FILE);
	assert_non_null(strstr(e.detail, "(procedure_code): no procedure '9.999999'"));
	/* an empty file */
	dir = copy_data();
	snprintf(path, sizeof path, "%s/%s", dir, IMPORT_FILE_UNITS);
	spit(path, "");
	assert_int_equal(import_load_dir(dir, &d, &e), ERR_INVALID_DATA_FILE);
	assert_non_null(strstr(e.detail, "units.csv: the file is empty"));
	/* a row with a missing field */
	dir = copy_data();
	edit(dir, IMPORT_FILE_COMMUNES, ",1.92,000.70.XA.H26", ",1.92");
	assert_int_equal(import_load_dir(dir, &d, &e), ERR_INVALID_DATA_FILE);
	assert_non_null(strstr(e.detail, "communes.csv line 2: 6 fields where 7 were expected"));
	/* nothing of it reached the database */
	assert_int_equal(count_sql(db, "SELECT count(*) FROM unit"), 0);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse_e6),
	        cmocka_unit_test(test_split_components),
	        cmocka_unit_test(test_load_bundled),
	        cmocka_unit_test(test_first_import),
	        cmocka_unit_test(test_second_import_changes_nothing),
	        cmocka_unit_test(test_modified_rows_updated),
	        cmocka_unit_test(test_removed_rows),
	        cmocka_unit_test(test_removed_commune_kept),
	        cmocka_unit_test(test_malformed_aborts),
	        cmocka_unit_test(test_validation),
	};
	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
