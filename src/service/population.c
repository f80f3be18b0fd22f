/*
 * population: loading and generating the population registry (see
 * population.h).
 *
 * A file is read twice: the first pass checks every row (and that no ID
 * number repeats) without writing; the second parses the rows again, a batch
 * at a time, and writes each batch in its own transaction. The batch is
 * parsed before its transaction starts, so that a retried transaction
 * writes exactly the same rows.
 */
#include "service/population.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/csv.h"
#include "base/fold.h"
#include "base/str.h"
#include "base/vntime.h"
#include "db/db_catalog.h"
#include "db/db_population.h"

#define COMMUNE_CODE_LEN 5

/* One checked person, with its own copies of the texts. */
struct person {
	char id_number[CCCD_LEN + 1];
	char full_name[POPULATION_NAME_MAX + 1];
	char name_folded[POPULATION_NAME_MAX + 1];
	int64_t birth_day;
	enum cccd_sex sex;
	char commune[COMMUNE_CODE_LEN + 1]; /* "" when none */
	char address[POPULATION_ADDRESS_MAX + 1];
	bool has_address;
};

/* ---- the communes of the database ---- */

struct communes {
	char (*code)[COMMUNE_CODE_LEN + 1]; /* ascending */
	size_t n, cap;
};

static int commune_add(void *ctx, const char *key)
{
	struct communes *c = ctx;
	if (strlen(key) != COMMUNE_CODE_LEN)
		return 0; /* not a code this registry can hold */
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		void *p = realloc(c->code, cap * sizeof *c->code);
		if (!p)
			return -1;
		c->code = p;
		c->cap = cap;
	}
	memcpy(c->code[c->n++], key, COMMUNE_CODE_LEN + 1);
	return 0;
}

static enum err_code communes_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct communes *cs = ctx;
	cs->n = 0;
	enum err_code rc = db_catalog_list_keys(c, DB_CATALOG_COMMUNE, commune_add, cs, e);
	if (rc == ERR_INTERNAL)
		rc = err_set(e, ERR_NO_MEMORY, "out of memory reading the communes");
	return rc;
}

static int code_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static bool commune_known(const struct communes *cs, const char *code)
{
	return bsearch(code, cs->code, cs->n, sizeof *cs->code, code_cmp) != NULL;
}

/* ---- checking one row ---- */

enum { F_ID, F_NAME, F_BIRTH, F_SEX, F_COMMUNE, F_ADDRESS, F_NCOLS };
static const char *const columns[] = {"id_number", "full_name",         "birth_date",
                                      "sex",       "residence_commune", "residence_address"};

/* Text rules of names and addresses: no control characters, no spaces at the ends. */
static bool plain_text(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return n == 0 || (s[0] != ' ' && s[n - 1] != ' ');
}

static enum err_code row_error(struct err *e, enum err_code code, int col, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static enum err_code row_error(struct err *e, enum err_code code, int col, const char *fmt, ...)
{
	char what[ERR_DETAIL_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return err_set(e, code, "column %d (%s): %s", col + 1, columns[col], what);
}

/* Checks the current record of r into *p. The detail of *e names the column, not the line. */
static enum err_code check_row(const struct csv_reader *r, const struct communes *cs, int64_t today,
                               struct person *p, struct err *e)
{
	memset(p, 0, sizeof *p);
	const char *id = csv_field(r, F_ID), *name = csv_field(r, F_NAME);
	const char *birth = csv_field(r, F_BIRTH), *sex = csv_field(r, F_SEX);
	const char *commune = csv_field(r, F_COMMUNE), *address = csv_field(r, F_ADDRESS);
	struct cccd cc;
	struct err ce;
	err_clear(&ce);
	if (cccd_parse(id, today, &cc, &ce) != ERR_OK)
		return row_error(e, ERR_INVALID_CCCD, F_ID, "%s", ce.detail);
	if (!*name)
		return row_error(e, ERR_MISSING_ARGUMENT, F_NAME, "empty");
	if (strlen(name) > POPULATION_NAME_MAX)
		return row_error(e, ERR_TOO_LONG, F_NAME, "longer than %d bytes",
		                 POPULATION_NAME_MAX);
	if (!plain_text(name))
		return row_error(e, ERR_INVALID_ARGUMENT, F_NAME,
		                 "control character or space at either end");
	struct buf b = BUF_INIT(POPULATION_NAME_MAX + 1);
	if (fold_text(name, strlen(name), &b, &ce) != ERR_OK || b.len == 0) {
		buf_release(&b);
		return row_error(e, ERR_INVALID_ARGUMENT, F_NAME, "no letters in the name");
	}
	memcpy(p->name_folded, buf_str(&b), b.len + 1);
	buf_release(&b);
	memcpy(p->full_name, name, strlen(name) + 1);
	if (vntime_parse_date(birth, &p->birth_day) != 0)
		return row_error(e, ERR_INVALID_DATE, F_BIRTH, "'%.20s' is not a date YYYY-MM-DD",
		                 birth);
	if (p->birth_day > today)
		return row_error(e, ERR_OUT_OF_RANGE, F_BIRTH, "%s is after today", birth);
	if (cccd_sex_parse(sex, &p->sex) != 0)
		return row_error(e, ERR_INVALID_ARGUMENT, F_SEX,
		                 "'%.20s' is not male, female, nam or nữ", sex);
	if (cccd_check(&cc, p->birth_day, (int)p->sex, &ce) != ERR_OK)
		return row_error(e, ERR_CCCD_MISMATCH, F_ID, "%s", ce.detail);
	memcpy(p->id_number, cc.number, sizeof p->id_number);
	if (*commune) {
		if (strlen(commune) != COMMUNE_CODE_LEN || !str_all_digits(commune))
			return row_error(e, ERR_INVALID_ARGUMENT, F_COMMUNE,
			                 "'%.20s' is not a 5-digit commune code", commune);
		if (!commune_known(cs, commune))
			return row_error(e, ERR_NOT_FOUND, F_COMMUNE,
			                 "no commune '%s' in the database", commune);
		memcpy(p->commune, commune, COMMUNE_CODE_LEN + 1);
	}
	if (address && *address) {
		if (strlen(address) > POPULATION_ADDRESS_MAX)
			return row_error(e, ERR_TOO_LONG, F_ADDRESS, "longer than %d bytes",
			                 POPULATION_ADDRESS_MAX);
		if (!plain_text(address))
			return row_error(e, ERR_INVALID_ARGUMENT, F_ADDRESS,
			                 "control character or space at either end");
		memcpy(p->address, address, strlen(address) + 1);
		p->has_address = true;
	}
	return ERR_OK;
}

/* ---- writing batches ---- */

struct batch {
	struct person *rows;
	size_t n;
	int64_t inserted, updated, unchanged; /* of this batch */
};

static enum err_code batch_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct batch *b = ctx;
	b->inserted = b->updated = b->unchanged = 0;
	for (size_t i = 0; i < b->n; i++) {
		const struct person *p = &b->rows[i];
		struct db_person dp = {
		        .id_number = p->id_number,
		        .full_name = p->full_name,
		        .name_folded = p->name_folded,
		        .birth_day = p->birth_day,
		        .sex = cccd_sex_str(p->sex),
		        .residence_commune = p->commune[0] ? p->commune : NULL,
		        .residence_address = p->has_address ? p->address : NULL,
		};
		enum db_upsert r;
		enum err_code rc = db_population_upsert(c, &dp, &r, e);
		if (rc != ERR_OK)
			return rc;
		if (r == DB_UPSERT_INSERTED)
			b->inserted++;
		else if (r == DB_UPSERT_UPDATED)
			b->updated++;
		else
			b->unchanged++;
	}
	return ERR_OK;
}

/* Writes the batch and adds its counts to the report. */
static enum err_code batch_write(struct db *db, struct batch *b, struct population_report *rep,
                                 struct err *e)
{
	if (b->n == 0)
		return ERR_OK;
	enum err_code rc = db_run_txn(db, DB_TXN_WRITE, batch_txn, b, e);
	if (rc != ERR_OK)
		return rc;
	rep->inserted += b->inserted;
	rep->updated += b->updated;
	rep->unchanged += b->unchanged;
	rep->batches++;
	b->n = 0;
	return ERR_OK;
}

/* ---- importing a file ---- */

struct seen {
	uint64_t id;
	int line;
};

static int seen_cmp(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int error_cmp(const void *a, const void *b)
{
	const struct population_error *x = a, *y = b;
	return (x->line > y->line) - (x->line < y->line);
}

static void add_error(struct population_report *rep, int line, enum err_code code,
                      const char *detail)
{
	rep->bad_rows++;
	if (rep->nerrors >= POPULATION_ERRORS_MAX)
		return;
	struct population_error *pe = &rep->errors[rep->nerrors++];
	pe->line = line;
	pe->code = code;
	str_copy(pe->detail, sizeof pe->detail, detail);
}

/* Opens a reader on text and checks the header; *ncols gets 5 or 6. */
static enum err_code begin(struct csv_reader *r, const char *text, size_t len, const char *name,
                           size_t *ncols, struct err *e)
{
	static const struct csv_limits lim = {.field_max = POPULATION_ADDRESS_MAX + 1,
	                                      .fields_max = F_NCOLS + 1,
	                                      .record_max = 4096};
	csv_reader_init(r, text, len, &lim);
	bool got = false;
	struct err ce;
	err_clear(&ce);
	enum err_code rc = csv_read(r, &got, &ce);
	if (rc == ERR_OK && !got)
		return err_set(e, ERR_INVALID_DATA_FILE, "%s: the file is empty", name);
	if (rc == ERR_OK)
		rc = csv_expect_header(r, columns, F_NCOLS - 1, F_NCOLS, &ce);
	if (rc != ERR_OK)
		return err_set(e, rc, "%s %s", name, ce.detail);
	*ncols = r->count;
	return ERR_OK;
}

/* Reads the next row (*got false at the end), checking its field count. */
static enum err_code next(struct csv_reader *r, const char *name, size_t ncols, bool *got,
                          struct err *e)
{
	struct err ce;
	err_clear(&ce);
	enum err_code rc = csv_read(r, got, &ce);
	if (rc != ERR_OK)
		return err_set(e, rc, "%s %s", name, ce.detail);
	if (*got && r->count != ncols)
		return err_set(e, ERR_INVALID_DATA_FILE,
		               "%s line %d: %zu fields where %zu were expected", name,
		               r->record_line, r->count, ncols);
	return ERR_OK;
}

/* Pass 1: checks every row; fills rep's errors. Returns ERR_OK when every row is good. */
static enum err_code check_all(const char *text, size_t len, const char *name,
                               const struct communes *cs, int64_t today,
                               struct population_report *rep, struct err *e)
{
	struct csv_reader r;
	size_t ncols = 0;
	struct seen *seen = NULL;
	size_t nseen = 0, cap = 0;
	struct person p;
	enum err_code rc = begin(&r, text, len, name, &ncols, e);
	for (bool got = true; rc == ERR_OK;) {
		rc = next(&r, name, ncols, &got, e);
		if (rc != ERR_OK || !got)
			break;
		if (++rep->rows > POPULATION_ROWS_MAX) {
			rc = err_set(e, ERR_INVALID_DATA_FILE, "%s: more than %d rows", name,
			             POPULATION_ROWS_MAX);
			break;
		}
		struct err re;
		err_clear(&re);
		if (check_row(&r, cs, today, &p, &re) != ERR_OK) {
			add_error(rep, r.record_line, re.code, re.detail);
			continue;
		}
		if (nseen == cap) {
			size_t c = cap ? cap * 2 : 1024;
			void *q = realloc(seen, c * sizeof *seen);
			if (!q) {
				rc = err_set(e, ERR_NO_MEMORY, "out of memory");
				break;
			}
			seen = q;
			cap = c;
		}
		seen[nseen++] = (struct seen){strtoull(p.id_number, NULL, 10), r.record_line};
	}
	csv_reader_release(&r);
	if (rc == ERR_OK) {
		qsort(seen, nseen, sizeof *seen, seen_cmp);
		for (size_t i = 1; i < nseen; i++)
			if (seen[i].id == seen[i - 1].id) {
				char d[64];
				snprintf(d, sizeof d,
				         "column 1 (id_number): the number repeats line %d",
				         seen[i - 1].line);
				add_error(rep, seen[i].line, ERR_DB_CONFLICT, d);
			}
		qsort(rep->errors, (size_t)rep->nerrors, sizeof rep->errors[0], error_cmp);
		if (rep->bad_rows > 0)
			rc = err_set(e, ERR_INVALID_DATA_FILE,
			             "%s: %lld bad rows, nothing loaded; line %d: %s", name,
			             (long long)rep->bad_rows, rep->errors[0].line,
			             rep->errors[0].detail);
	}
	free(seen);
	return rc;
}

/* Pass 2: parses again and writes in batches. */
static enum err_code load_all(struct db *db, const char *text, size_t len, const char *name,
                              const struct communes *cs, int64_t today,
                              struct population_report *rep, struct err *e)
{
	struct csv_reader r;
	size_t ncols = 0;
	struct batch b = {0};
	b.rows = malloc(POPULATION_BATCH_ROWS * sizeof *b.rows);
	if (!b.rows)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	enum err_code rc = begin(&r, text, len, name, &ncols, e);
	for (bool got = true; rc == ERR_OK;) {
		rc = next(&r, name, ncols, &got, e);
		if (rc != ERR_OK || !got)
			break;
		struct err re;
		err_clear(&re);
		rc = check_row(&r, cs, today, &b.rows[b.n], &re);
		if (rc != ERR_OK) { /* the file changed under us */
			rc = err_set(e, re.code, "%s line %d: %s", name, r.record_line, re.detail);
			break;
		}
		if (++b.n == POPULATION_BATCH_ROWS)
			rc = batch_write(db, &b, rep, e);
	}
	if (rc == ERR_OK)
		rc = batch_write(db, &b, rep, e);
	csv_reader_release(&r);
	free(b.rows);
	return rc;
}

static enum err_code load_communes(struct db *db, struct communes *cs, struct err *e)
{
	memset(cs, 0, sizeof *cs);
	enum err_code rc = db_run_txn(db, DB_TXN_READ, communes_txn, cs, e);
	if (rc != ERR_OK) {
		free(cs->code);
		memset(cs, 0, sizeof *cs);
	}
	return rc;
}

enum err_code population_import_text(struct db *db, const char *text, size_t len, const char *name,
                                     int64_t today, struct population_report *rep, struct err *e)
{
	memset(rep, 0, sizeof *rep);
	if (!name)
		name = "population";
	struct communes cs;
	enum err_code rc = load_communes(db, &cs, e);
	if (rc != ERR_OK)
		return rc;
	rc = check_all(text, len, name, &cs, today, rep, e);
	if (rc == ERR_OK) {
		int64_t rows = rep->rows;
		rc = load_all(db, text, len, name, &cs, today, rep, e);
		rep->rows = rows;
	}
	free(cs.code);
	return rc;
}

enum err_code population_import_file(struct db *db, const char *path, int64_t today,
                                     struct population_report *rep, struct err *e)
{
	memset(rep, 0, sizeof *rep);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, ERR_IO, "cannot open '%s': %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(e, ERR_IO, "'%s' is not a regular file", path);
	}
	if ((uint64_t)st.st_size > POPULATION_FILE_MAX) {
		close(fd);
		return err_set(e, ERR_TOO_LONG, "'%s' is larger than %zu bytes", path,
		               POPULATION_FILE_MAX);
	}
	size_t len = (size_t)st.st_size;
	const char *text = "";
	void *map = NULL;
	if (len > 0) {
		map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			int err = errno;
			close(fd);
			return err_set(e, ERR_IO, "cannot map '%s': %s", path, strerror(err));
		}
		text = map;
	}
	close(fd);
	const char *base = strrchr(path, '/');
	enum err_code rc =
	        population_import_text(db, text, len, base ? base + 1 : path, today, rep, e);
	if (map)
		munmap(map, len);
	return rc;
}

/* ---- the synthetic population ---- */

/* splitmix64 (Steele, Lea and Flood, OOPSLA 2014): a tiny, well-mixed generator. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static uint64_t uniform(uint64_t *state, uint64_t n)
{
	return next_random(state) % n;
}

struct weighted {
	const char *name;
	int weight;
};

/*
 * Family names with rough shares (per mille) of the common ones, in their
 * northern forms (Hoàng, Vũ): only plausibility matters for synthetic data.
 */
static const struct weighted family_names[] = {
        {"Nguyễn", 380}, {"Trần", 110}, {"Lê", 95},   {"Phạm", 70},  {"Hoàng", 50}, {"Phan", 40},
        {"Vũ", 40},      {"Đặng", 21},  {"Bùi", 20},  {"Đỗ", 14},    {"Hồ", 13},    {"Ngô", 13},
        {"Dương", 10},   {"Lý", 5},     {"Đinh", 20}, {"Trịnh", 15}, {"Đào", 15},   {"Mai", 10},
        {"Lưu", 8},      {"Tạ", 6},     {"Chu", 6},   {"Cao", 10},   {"Lương", 8},  {"Kiều", 5},
        {"Nghiêm", 4},   {"Khuất", 3},  {"Tô", 5},    {"Hà", 10},    {"Quách", 4},  {"Văn", 2},
};

static const char *const middle_male[] = {"Văn",  "Đức",   "Minh", "Quang", "Hữu",
                                          "Tuấn", "Thành", "Công", "Mạnh",  "Xuân"};
static const char *const middle_female[] = {"Thị",  "Ngọc", "Thu",  "Thanh", "Phương",
                                            "Minh", "Thúy", "Hồng", "Kim",   "Bích"};
static const char *const given_male[] = {"Anh",  "Hùng",  "Dũng", "Tuấn",  "Minh",  "Nam",   "Hải",
                                         "Long", "Quân",  "Sơn",  "Thắng", "Trung", "Phong", "Hiếu",
                                         "Đức",  "Khánh", "Bình", "Tùng",  "Hoàng", "Cường"};
static const char *const given_female[] = {
        "Hương", "Lan",  "Linh", "Trang", "Hoa", "Mai",    "Hà",  "Thảo", "Ngọc",  "Huyền",
        "Nhung", "Hằng", "Thủy", "Yến",   "Vân", "Phương", "Anh", "Dung", "Giang", "Nga"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *pick_weighted(uint64_t *state, const struct weighted *w, size_t n)
{
	int total = 0;
	for (size_t i = 0; i < n; i++)
		total += w[i].weight;
	int x = (int)uniform(state, (uint64_t)total);
	for (size_t i = 0; i < n; i++) {
		if (x < w[i].weight)
			return w[i].name;
		x -= w[i].weight;
	}
	return w[n - 1].name;
}

void population_synth(uint64_t seed, int index, const char *const *communes, size_t ncommunes,
                      struct population_person *out)
{
	uint64_t state = seed ^ ((uint64_t)(unsigned)index * 0xD1B54A32D192ED03ULL);
	next_random(&state);
	memset(out, 0, sizeof *out);
	out->sex = (next_random(&state) & 1) ? CCCD_FEMALE : CCCD_MALE;
	int64_t first = vntime_days_from_civil(1940, 1, 1);
	int64_t last = vntime_days_from_civil(2019, 12, 31);
	out->birth_day = first + (int64_t)uniform(&state, (uint64_t)(last - first + 1));
	struct vndate d = vntime_civil_from_days(out->birth_day);
	bool f = out->sex == CCCD_FEMALE;
	const char *family = pick_weighted(&state, family_names, NELEM(family_names));
	const char *middle = f ? middle_female[uniform(&state, NELEM(middle_female))]
	                       : middle_male[uniform(&state, NELEM(middle_male))];
	const char *given = f ? given_female[uniform(&state, NELEM(given_female))]
	                      : given_male[uniform(&state, NELEM(given_male))];
	snprintf(out->full_name, sizeof out->full_name, "%s %s %s", family, middle, given);
	/*
	 * Place 001 (Hà Nội), century and sex digit (0/1 for the 1900s, 2/3 for the 2000s,
	 * Circular 07/2016/TT-BCA Art. 7), two digits of the year, then six digits that are
	 * a bijection of index (7919 is prime to 10^6), so numbers never repeat in a seed.
	 */
	int century_sex = (d.year >= 2000 ? 2 : 0) + (f ? 1 : 0);
	uint64_t serial = ((uint64_t)(unsigned)index * 7919u + seed % 1000000u) % 1000000u;
	snprintf(out->id_number, sizeof out->id_number, "001%c%02u%06u", (char)('0' + century_sex),
	         (unsigned)d.year % 100u, (unsigned)serial % 1000000u);
	const char *commune = communes[uniform(&state, ncommunes)];
	snprintf(out->residence_commune, sizeof out->residence_commune, "%.5s", commune);
	snprintf(out->residence_address, sizeof out->residence_address, "Số %u, tổ %u",
	         (unsigned)uniform(&state, 199) + 1, (unsigned)uniform(&state, 40) + 1);
}

/* The batch row of a synthetic person. */
static enum err_code person_of(const struct population_person *s, struct person *p, struct err *e)
{
	memset(p, 0, sizeof *p);
	memcpy(p->id_number, s->id_number, sizeof p->id_number);
	str_copy(p->full_name, sizeof p->full_name, s->full_name);
	struct buf b = BUF_INIT(POPULATION_NAME_MAX + 1);
	enum err_code rc = fold_text(s->full_name, strlen(s->full_name), &b, e);
	if (rc == ERR_OK)
		str_copy(p->name_folded, sizeof p->name_folded, buf_str(&b));
	buf_release(&b);
	p->birth_day = s->birth_day;
	p->sex = s->sex;
	str_copy(p->commune, sizeof p->commune, s->residence_commune);
	str_copy(p->address, sizeof p->address, s->residence_address);
	p->has_address = true;
	return rc;
}

enum err_code population_generate(struct db *db, int count, uint64_t seed,
                                  struct population_person *sample, int nsample,
                                  struct population_report *rep, struct err *e)
{
	memset(rep, 0, sizeof *rep);
	if (count < 0 || count > POPULATION_GENERATE_MAX)
		return err_set(e, ERR_INVALID_ARGUMENT, "count %d is not in 0..%d", count,
		               POPULATION_GENERATE_MAX);
	if (nsample < 0 || (nsample > 0 && !sample))
		return err_set(e, ERR_INVALID_ARGUMENT, "bad sample buffer");
	struct communes cs;
	enum err_code rc = load_communes(db, &cs, e);
	if (rc != ERR_OK)
		return rc;
	const char **codes = malloc((cs.n ? cs.n : 1) * sizeof *codes);
	struct batch b = {0};
	b.rows = malloc(POPULATION_BATCH_ROWS * sizeof *b.rows);
	if (!codes || !b.rows) {
		rc = err_set(e, ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	if (cs.n == 0) {
		rc = err_set(e, ERR_NOT_FOUND,
		             "no communes in the database; run motcua import first");
		goto out;
	}
	for (size_t i = 0; i < cs.n; i++)
		codes[i] = cs.code[i];
	for (int i = 0; i < count && rc == ERR_OK; i++) {
		struct population_person s;
		population_synth(seed, i, codes, cs.n, &s);
		if (i < nsample)
			sample[i] = s;
		rc = person_of(&s, &b.rows[b.n], e);
		if (rc == ERR_OK && ++b.n == POPULATION_BATCH_ROWS)
			rc = batch_write(db, &b, rep, e);
		rep->rows++;
	}
	if (rc == ERR_OK)
		rc = batch_write(db, &b, rep, e);
out:
	free(codes);
	free(b.rows);
	free(cs.code);
	return rc;
}
