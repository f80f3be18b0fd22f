/*
 * Unit tests for service/population and db/db_population: loading the
 * population registry from CSV (checks, all-or-nothing per file, batches,
 * idempotent upserts) and the synthetic generator, on a temporary SQLite
 * database migrated with the built-in migrations and loaded with data/.
 *
 * ID numbers follow the layout of Decree 137/2015/NĐ-CP Art. 13 and
 * Circular 07/2016/TT-BCA Art. 7 (place 001 = Hà Nội; 4th digit 0/1 = male /
 * female born in the 1900s, 2/3 in the 2000s; digits 5-6 the year of
 * birth). Commune codes are those of data/communes.csv (00070 Hoàn Kiếm,
 * 00004 Ba Đình).
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
#include <unistd.h>

#include "base/buf.h"
#include "base/vntime.h"
#include "db/db_population.h"
#include "db/migrate.h"
#include "service/import.h"
#include "service/population.h"

#include "tmpdb_fixture.h"

static char tmpdir[256];
static int db_no;
static int64_t today; /* 2025-07-01 */

static int setup_dir(void **state)
{
	(void)state;
	today = vntime_days_from_civil(2025, 7, 1);
	return tmpdb_mkdir(tmpdir, sizeof tmpdir, "population");
}

static int teardown_dir(void **state)
{
	(void)state;
	tmpdb_rm_tree(tmpdir);
	return 0;
}

/* A migrated database, with the reference data when with_data. */
static struct db *new_db(bool with_data)
{
	struct db *db = tmpdb_new(tmpdir, ++db_no, 1751328000);
	if (with_data) {
		struct import_report rep;
		struct err e;
		if (import_reference(db, SOURCE_DIR "/data", &rep, &e) != ERR_OK)
			fail_msg("import: %s", e.detail);
	}
	return db;
}

static int64_t population_rows(struct db *db)
{
	struct db_conn *c;
	int64_t n = -1;
	assert_int_equal(db_thread_conn(db, &c, NULL), ERR_OK);
	assert_int_equal(db_population_count(c, &n, NULL), ERR_OK);
	return n;
}

static enum err_code load(struct db *db, const char *text, struct population_report *rep,
                          struct err *e)
{
	err_clear(e);
	return population_import_text(db, text, strlen(text), "people.csv", today, rep, e);
}

static const char good[] =
        "id_number,full_name,birth_date,sex,residence_commune,residence_address\n"
        "001085012345,Nguyễn Văn An,1985-03-12,male,00070,\"Số 1, Hàng Bạc\"\n"
        "001190000001,Trần Thị Bình,1990-12-31,nữ,00004,\n"
        "001203000777,Lê Minh Châu,2003-07-01,nam,,\n";

static void test_import_good_file(void **state)
{
	(void)state;
	struct db *db = new_db(true);
	struct population_report rep;
	struct err e;
	if (load(db, good, &rep, &e) != ERR_OK)
		fail_msg("%s", e.detail);
	assert_int_equal(rep.rows, 3);
	assert_int_equal(rep.inserted, 3);
	assert_int_equal(rep.updated + rep.unchanged + rep.bad_rows, 0);
	assert_int_equal(rep.batches, 1);
	assert_int_equal(population_rows(db), 3);

	struct db_conn *c;
	struct db_person_rec p;
	assert_int_equal(db_thread_conn(db, &c, NULL), ERR_OK);
	assert_int_equal(db_population_find(c, "001085012345", &p, NULL), ERR_OK);
	assert_string_equal(p.full_name, "Nguyễn Văn An");
	assert_string_equal(p.name_folded, "nguyen van an");
	assert_int_equal(p.birth_day, vntime_days_from_civil(1985, 3, 12));
	assert_string_equal(p.sex, "male");
	assert_string_equal(p.residence_commune, "00070");
	assert_string_equal(p.residence_address, "Số 1, Hàng Bạc");
	/* "nữ" is stored as female; empty address and commune are NULL (read back as "") */
	assert_int_equal(db_population_find(c, "001190000001", &p, NULL), ERR_OK);
	assert_string_equal(p.sex, "female");
	assert_string_equal(p.residence_address, "");
	assert_int_equal(db_population_find(c, "001203000777", &p, NULL), ERR_OK);
	assert_string_equal(p.residence_commune, "");
	assert_int_equal(db_population_find(c, "001203000778", &p, NULL), ERR_NOT_FOUND);

	/* again: nothing changes */
	assert_int_equal(load(db, good, &rep, &e), ERR_OK);
	assert_int_equal(rep.unchanged, 3);
	assert_int_equal(rep.inserted + rep.updated, 0);
	/* a changed name is an update; the file without the address column is accepted */
	assert_int_equal(load(db,
	                      "id_number,full_name,birth_date,sex,residence_commune\r\n"
	                      "001085012345,Nguyễn Văn Ân,1985-03-12,male,00070\r\n"
	                      "001190000001,Trần Thị Bình,1990-12-31,female,00004\r\n",
	                      &rep, &e),
	                 ERR_OK);
	assert_int_equal(rep.updated, 1); /* the name, and the address the short file drops */
	assert_int_equal(rep.unchanged, 1);
	assert_int_equal(db_population_find(c, "001085012345", &p, NULL), ERR_OK);
	assert_string_equal(p.name_folded, "nguyen van an");
	assert_string_equal(p.full_name, "Nguyễn Văn Ân");
	assert_int_equal(population_rows(db), 3);
	db_close(db);
}

/* Every bad row is listed with its line; none of the file is written. */
static void test_bad_rows_refuse_the_file(void **state)
{
	(void)state;
	struct db *db = new_db(true);
	struct population_report rep;
	struct err e;
	static const char text[] =
	        "id_number,full_name,birth_date,sex,residence_commune\n"
	        "001085012345,Nguyễn Văn An,1985-03-12,male,00070\n"  /* 2 good */
	        "001085012346,Nguyễn Văn Bảo,1986-03-12,male,00070\n" /* 3 year differs */
	        "001185012347,Phạm Thị Cúc,1985-03-12,male,00070\n"   /* 4 sex differs */
	        "00108501234,Đỗ Văn Dũng,1985-03-12,male,00070\n"     /* 5 11 digits */
	        "001085012348,Hà Văn Em,1985-02-30,male,00070\n"      /* 6 no such date */
	        "001225012349,Vũ Văn Giang,2025-12-01,male,00070\n"   /* 7 after today */
	        "001085012350,Lê Văn Hải,1985-03-12,male,99999\n"     /* 8 unknown commune */
	        "001085012345,Lê Văn Khoa,1985-03-12,male,00070\n"    /* 9 repeats line 2 */
	        "001085012351,,1985-03-12,male,00070\n"               /* 10 empty name */
	        "001085012352,Ngô Văn Lâm,1985-03-12,unknown,00070\n" /* 11 sex */
	        "001085012353,Ngô Văn Minh,1985-03-12,male,70\n"      /* 12 code form */
	        "001085012354,Tô Văn Nam ,1985-03-12,male,00070\n"    /* 13 trailing space */
	        "001085012355,Tạ Văn Oanh,1985-03-12,male,00070\n";   /* 14 good */
	assert_int_equal(load(db, text, &rep, &e), ERR_INVALID_DATA_FILE);
	assert_int_equal(rep.rows, 13);
	assert_int_equal(rep.bad_rows, 11);
	assert_int_equal(rep.nerrors, 11);
	assert_int_equal(rep.inserted, 0);
	assert_int_equal(rep.batches, 0);
	static const struct {
		int line;
		enum err_code code;
		const char *detail;
	} want[] = {
	        {3, ERR_CCCD_MISMATCH, "column 1 (id_number)"},
	        {4, ERR_CCCD_MISMATCH, "column 1 (id_number)"},
	        {5, ERR_INVALID_CCCD, "column 1 (id_number)"},
	        {6, ERR_INVALID_DATE, "column 3 (birth_date): '1985-02-30'"},
	        {7, ERR_OUT_OF_RANGE, "2025-12-01 is after today"},
	        {8, ERR_NOT_FOUND, "no commune '99999'"},
	        {9, ERR_DB_CONFLICT, "the number repeats line 2"},
	        {10, ERR_MISSING_ARGUMENT, "column 2 (full_name): empty"},
	        {11, ERR_INVALID_ARGUMENT, "column 4 (sex)"},
	        {12, ERR_INVALID_ARGUMENT, "'70' is not a 5-digit commune code"},
	        {13, ERR_INVALID_ARGUMENT, "space at either end"},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_int_equal(rep.errors[i].line, want[i].line);
		assert_int_equal(rep.errors[i].code, want[i].code);
		if (!strstr(rep.errors[i].detail, want[i].detail))
			fail_msg("line %d: '%s'", want[i].line, rep.errors[i].detail);
		/* the number itself is never echoed */
		assert_null(strstr(rep.errors[i].detail, "00108501"));
	}
	assert_non_null(strstr(e.detail, "people.csv: 11 bad rows, nothing loaded; line 3:"));
	assert_int_equal(population_rows(db), 0);
	db_close(db);
}

/* Errors of the file itself stop at once, naming the line. */
static void test_malformed_file(void **state)
{
	(void)state;
	struct db *db = new_db(true);
	struct population_report rep;
	struct err e;
	static const struct {
		const char *text;
		const char *detail;
	} cases[] = {
	        {"", "people.csv: the file is empty"},
	        {"id,full_name,birth_date,sex,residence_commune\n",
	         "header 'id' where 'id_number'"},
	        {"id_number,full_name,birth_date,sex\n", "the header has 4 columns"},
	        {"id_number,full_name,birth_date,sex,residence_commune\n"
	         "001085012345,Nguyễn Văn An,1985-03-12,male\n",
	         "people.csv line 2: 4 fields where 5 were expected"},
	        {"id_number,full_name,birth_date,sex,residence_commune\n"
	         "001085012345,\"Nguyễn Văn An,1985-03-12,male,00070\n",
	         "people.csv line 2, column 2: quoted field not closed"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(load(db, cases[i].text, &rep, &e), ERR_INVALID_DATA_FILE);
		if (!strstr(e.detail, cases[i].detail))
			fail_msg("case %zu: '%s'", i, e.detail);
	}
	/* files */
	char path[512];
	snprintf(path, sizeof path, "%s/none.csv", tmpdir);
	assert_int_equal(population_import_file(db, path, today, &rep, &e), ERR_IO);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(population_import_file(db, path, today, &rep, &e), ERR_INVALID_DATA_FILE);
	assert_non_null(strstr(e.detail, "none.csv: the file is empty"));
	assert_int_equal(population_import_file(db, tmpdir, today, &rep, &e), ERR_IO);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(good, f);
	fclose(f);
	assert_int_equal(population_import_file(db, path, today, &rep, &e), ERR_OK);
	assert_int_equal(rep.inserted, 3);
	assert_int_equal(population_rows(db), 3);
	db_close(db);
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* The generator: determinism, valid and distinct numbers, plausible values. */
static void test_synth(void **state)
{
	(void)state;
	static const char *const communes[] = {"00004", "00070", "10489"};
	struct population_person a, b;
	population_synth(42, 7, communes, 3, &a);
	population_synth(42, 7, communes, 3, &b);
	assert_memory_equal(&a, &b, sizeof a);
	population_synth(43, 7, communes, 3, &b);
	assert_true(memcmp(&a, &b, sizeof a) != 0);

	int64_t first = vntime_days_from_civil(1940, 1, 1);
	int64_t last = vntime_days_from_civil(2019, 12, 31);
	enum { N = 20000 };
	static uint64_t ids[N];
	int women = 0, nguyen = 0;
	for (int i = 0; i < N; i++) {
		population_synth(2025, i, communes, 3, &a);
		struct cccd c;
		struct err e;
		if (cccd_parse(a.id_number, today, &c, &e) != ERR_OK ||
		    cccd_check(&c, a.birth_day, (int)a.sex, &e) != ERR_OK)
			fail_msg("person %d: %s", i, e.detail);
		assert_string_equal(c.place_code, "001");
		assert_string_equal(c.province, "Hà Nội");
		assert_true(a.birth_day >= first && a.birth_day <= last);
		assert_true(strcmp(a.residence_commune, "00004") == 0 ||
		            strcmp(a.residence_commune, "00070") == 0 ||
		            strcmp(a.residence_commune, "10489") == 0);
		assert_true(strlen(a.full_name) > 5);
		assert_non_null(strchr(a.full_name, ' '));
		/* a woman's middle name of the list, e.g. "Thị", is never given to a man */
		if (a.sex == CCCD_MALE)
			assert_null(strstr(a.full_name, " Thị "));
		women += a.sex == CCCD_FEMALE;
		nguyen += strncmp(a.full_name, "Nguyễn ", strlen("Nguyễn ")) == 0;
		ids[i] = strtoull(a.id_number, NULL, 10);
	}
	/* both sexes about equally; Nguyễn the most common family name (38 % of the table) */
	assert_true(women > N * 45 / 100 && women < N * 55 / 100);
	assert_true(nguyen > N * 33 / 100 && nguyen < N * 43 / 100);
	/* no number repeats within a seed */
	int repeats = 0;
	qsort(ids, N, sizeof ids[0], u64_cmp);
	for (int i = 1; i < N; i++)
		repeats += ids[i] == ids[i - 1];
	assert_int_equal(repeats, 0);
}

/* Generated people are written in batches, checkable by the CSV loader, and idempotent. */
static void test_generate(void **state)
{
	(void)state;
	struct db *db = new_db(true);
	struct population_report rep;
	struct population_person sample[3];
	struct err e;
	err_clear(&e);
	assert_int_equal(population_generate(db, 1500, 42, sample, 3, &rep, &e), ERR_OK);
	assert_int_equal(rep.rows, 1500);
	assert_int_equal(rep.inserted, 1500);
	assert_int_equal(rep.batches, 2);
	assert_int_equal(population_rows(db), 1500);
	struct db_conn *c;
	struct db_person_rec p;
	assert_int_equal(db_thread_conn(db, &c, NULL), ERR_OK);
	assert_int_equal(db_population_find(c, sample[2].id_number, &p, NULL), ERR_OK);
	assert_string_equal(p.full_name, sample[2].full_name);
	assert_int_equal(p.birth_day, sample[2].birth_day);
	assert_string_equal(p.residence_commune, sample[2].residence_commune);
	assert_string_equal(p.sex, cccd_sex_str(sample[2].sex));

	/* the sample is person 0, 1, 2 of the synthetic population over the database's communes */
	struct import_data d;
	assert_int_equal(import_load_dir(SOURCE_DIR "/data", &d, NULL), ERR_OK);
	const char **codes = malloc(d.ncommunes * sizeof *codes);
	assert_non_null(codes);
	for (size_t i = 0; i < d.ncommunes; i++)
		codes[i] = d.communes[i].code;
	for (size_t i = 1; i < d.ncommunes; i++) /* ascending, as the database lists them */
		for (size_t k = i; k > 0 && strcmp(codes[k - 1], codes[k]) > 0; k--) {
			const char *t = codes[k];
			codes[k] = codes[k - 1];
			codes[k - 1] = t;
		}
	struct population_person s;
	population_synth(42, 1, codes, d.ncommunes, &s);
	assert_memory_equal(&s, &sample[1], sizeof s);
	free(codes);
	import_data_release(&d);

	/* again: nothing changes; more people: only the new ones are inserted */
	assert_int_equal(population_generate(db, 1500, 42, NULL, 0, &rep, &e), ERR_OK);
	assert_int_equal(rep.unchanged, 1500);
	assert_int_equal(rep.inserted + rep.updated, 0);
	assert_int_equal(population_generate(db, 2100, 42, NULL, 0, &rep, &e), ERR_OK);
	assert_int_equal(rep.inserted, 600);
	assert_int_equal(rep.unchanged, 1500);
	assert_int_equal(rep.batches, 3);

	/* bad arguments */
	assert_int_equal(population_generate(db, -1, 42, NULL, 0, &rep, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(
	        population_generate(db, POPULATION_GENERATE_MAX + 1, 42, NULL, 0, &rep, &e),
	        ERR_INVALID_ARGUMENT);
	assert_int_equal(population_generate(db, 1, 42, NULL, 1, &rep, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(population_generate(db, 0, 42, NULL, 0, &rep, &e), ERR_OK);
	assert_int_equal(rep.batches, 0);
	db_close(db);

	/* without communes there is nowhere to live */
	db = new_db(false);
	assert_int_equal(population_generate(db, 10, 42, NULL, 0, &rep, &e), ERR_NOT_FOUND);
	assert_non_null(strstr(e.detail, "motcua import"));
	db_close(db);
}

/* A large generated file goes through the CSV loader in batches of 1000. */
static void test_file_in_batches(void **state)
{
	(void)state;
	struct db *db = new_db(true);
	static const char *const communes[] = {"00070", "00004"};
	struct buf b = BUF_INIT(1 << 20);
	assert_int_equal(buf_puts(&b, POPULATION_CSV_HEADER "\n"), 0);
	for (int i = 0; i < 2500; i++) {
		struct population_person p;
		population_synth(7, i, communes, 2, &p);
		char date[VNTIME_DATE_LEN];
		vntime_format_date(p.birth_day, date);
		assert_int_equal(buf_printf(&b, "%s,%s,%s,%s,%s,\"%s\"\n", p.id_number, p.full_name,
		                            date, cccd_sex_str(p.sex), p.residence_commune,
		                            p.residence_address),
		                 0);
	}
	struct population_report rep;
	struct err e;
	err_clear(&e);
	if (population_import_text(db, b.data, b.len, "big.csv", today, &rep, &e) != ERR_OK)
		fail_msg("%s", e.detail);
	assert_int_equal(rep.rows, 2500);
	assert_int_equal(rep.inserted, 2500);
	assert_int_equal(rep.batches, 3);
	assert_int_equal(population_rows(db), 2500);
	buf_release(&b);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_import_good_file),
	        cmocka_unit_test(test_bad_rows_refuse_the_file),
	        cmocka_unit_test(test_malformed_file),
	        cmocka_unit_test(test_synth),
	        cmocka_unit_test(test_generate),
	        cmocka_unit_test(test_file_in_batches),
	};
	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
