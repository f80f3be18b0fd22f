/*
 * import: the bundled reference data into the database (see import.h and
 * data/README.md for the files, their columns and their sources).
 *
 * Parsing keeps every string it needs in a list owned by struct import_data,
 * so that the rows can be the db_catalog row structs themselves, pointing
 * into that list. The file texts are freed as soon as a file is parsed.
 */
#include "service/import.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/csv.h"
#include "base/fold.h"
#include "base/str.h"
#include "base/vntime.h"
#include "domain/dossier_code.h"
#include "domain/worktime.h"

#define LAT_MIN_E6      IMPORT_LAT_MIN_E6
#define LAT_MAX_E6      IMPORT_LAT_MAX_E6
#define LON_MIN_E6      IMPORT_LON_MIN_E6
#define LON_MAX_E6      IMPORT_LON_MAX_E6
#define AREA_MAX_M2     2000000000 /* 2,000 km²: more than any commune */
#define FEE_MAX_VND     IMPORT_FEE_MAX_VND
#define LIMIT_COUNT_MAX IMPORT_LIMIT_COUNT_MAX

/* ---- small helpers ---- */

const char *import_table_name(enum import_table t)
{
	static const char *const names[] = {"communes",   "units", "procedures",
	                                    "components", "steps", "holidays"};
	return (int)t >= 0 && t < IMPORT_TABLES ? names[t] : "?";
}

int import_parse_e6(const char *s, int64_t *out)
{
	if (str_empty(s))
		return -1;
	const char *p = s;
	bool neg = *p == '-';
	if (neg)
		p++;
	int64_t whole = 0, frac = 0;
	int nwhole = 0, nfrac = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (++nwhole > 9)
			return -1;
		whole = whole * 10 + (*p - '0');
	}
	if (nwhole == 0)
		return -1;
	if (*p == '.') {
		p++;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (++nfrac > 6)
				return -1;
			frac = frac * 10 + (*p - '0');
		}
		if (nfrac == 0)
			return -1;
	}
	if (*p != '\0')
		return -1;
	for (int i = nfrac; i < 6; i++)
		frac *= 10;
	int64_t v = whole * 1000000 + frac;
	*out = neg ? -v : v;
	return 0;
}

/*
 * Grows the array whose pointer is at arr_ptr (elements of sz bytes) so that
 * it can hold n + 1. The pointer is read and written with memcpy, so that any
 * element type can be passed. Returns 0 or -1.
 */
static int grow(void *arr_ptr, size_t *cap, size_t n, size_t sz)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 16;
	void *old;
	memcpy(&old, arr_ptr, sizeof old);
	void *q = realloc(old, c * sz);
	if (!q)
		return -1;
	memcpy(arr_ptr, &q, sizeof q);
	*cap = c;
	return 0;
}

/* Keeps a copy of len bytes of s in d; NULL when out of memory. */
static char *keepn(struct import_data *d, const char *s, size_t len)
{
	if (grow(&d->strings, &d->strings_cap, d->nstrings, sizeof *d->strings) != 0)
		return NULL;
	char *c = malloc(len + 1);
	if (!c)
		return NULL;
	memcpy(c, s, len);
	c[len] = '\0';
	d->strings[d->nstrings++] = c;
	return c;
}

static char *keep(struct import_data *d, const char *s)
{
	return keepn(d, s, strlen(s));
}

void import_data_release(struct import_data *d)
{
	for (size_t i = 0; i < d->nstrings; i++)
		free(d->strings[i]);
	free(d->strings);
	free(d->communes);
	free(d->units);
	free(d->procedures);
	free(d->components);
	free(d->steps);
	free(d->holidays);
	holidays_table_release(&d->holiday_table);
	memset(d, 0, sizeof *d);
}

/* Reads a whole file (at most IMPORT_FILE_MAX bytes). *text is malloc'ed and NUL-terminated. */
static enum err_code read_file(const char *path, char **text, size_t *len, struct err *e)
{
	*text = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, ERR_IO, "cannot open '%s': %s", path, strerror(errno));
	struct buf b = BUF_INIT(IMPORT_FILE_MAX);
	char chunk[65536];
	size_t n;
	enum err_code rc = ERR_OK;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (buf_append(&b, chunk, n) != 0) {
			rc = err_set(e, ERR_IO, "'%s' is larger than %u bytes or out of memory",
			             path, IMPORT_FILE_MAX);
			break;
		}
	}
	if (rc == ERR_OK && ferror(f))
		rc = err_set(e, ERR_IO, "cannot read '%s'", path);
	fclose(f);
	if (rc != ERR_OK) {
		buf_release(&b);
		return rc;
	}
	*len = b.len;
	*text = b.data ? buf_detach(&b) : calloc(1, 1);
	if (!*text)
		return err_set(e, ERR_NO_MEMORY, "out of memory reading '%s'", path);
	return ERR_OK;
}

/* ---- parsing one file ---- */

/* The file being parsed: its name and reader, for error messages. */
struct file {
	const char *name;
	const char *const *columns;
	struct csv_reader r;
};

/* An error at a field of the current record: "FILE line L, column C (NAME): ...". */
static enum err_code bad(struct err *e, const struct file *f, size_t col, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static enum err_code bad(struct err *e, const struct file *f, size_t col, const char *fmt, ...)
{
	char what[ERR_DETAIL_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return err_set(e, ERR_INVALID_DATA_FILE, "%s line %d, column %zu (%s): %s", f->name,
	               f->r.record_line, col + 1, f->columns[col], what);
}

/* The value of column col of the current record. */
static const char *fld(const struct file *f, size_t col)
{
	const char *s = csv_field(&f->r, col);
	return s ? s : "";
}

/* Opens the reader on text, checks the header (exactly ncols columns). */
static enum err_code file_begin(struct file *f, const char *name, const char *const *columns,
                                size_t ncols, const char *text, size_t len, struct err *e)
{
	f->name = name;
	f->columns = columns;
	csv_reader_init(&f->r, text, len, NULL);
	bool got = false;
	struct err ce;
	err_clear(&ce);
	enum err_code rc = csv_read(&f->r, &got, &ce);
	if (rc != ERR_OK)
		return err_set(e, rc, "%s %s", name, ce.detail);
	if (!got)
		return err_set(e, ERR_INVALID_DATA_FILE, "%s: the file is empty", name);
	rc = csv_expect_header(&f->r, columns, ncols, ncols, &ce);
	if (rc != ERR_OK)
		return err_set(e, rc, "%s %s", name, ce.detail);
	return ERR_OK;
}

/* Reads the next data row; *got false at the end. Checks the field count and the row limit. */
static enum err_code file_next(struct file *f, size_t ncols, size_t nrows, bool *got, struct err *e)
{
	struct err ce;
	err_clear(&ce);
	enum err_code rc = csv_read(&f->r, got, &ce);
	if (rc != ERR_OK)
		return err_set(e, rc, "%s %s", f->name, ce.detail);
	if (!*got)
		return ERR_OK;
	if (nrows >= IMPORT_ROWS_MAX)
		return err_set(e, ERR_INVALID_DATA_FILE, "%s line %d: more than %d rows", f->name,
		               f->r.record_line, IMPORT_ROWS_MAX);
	if (f->r.count != ncols)
		return err_set(e, ERR_INVALID_DATA_FILE,
		               "%s line %d: %zu fields where %zu were expected", f->name,
		               f->r.record_line, f->r.count, ncols);
	return ERR_OK;
}

/* ---- checks of single values (public: service/admin.c uses them too) ---- */

const char *import_text_problem(const char *s, bool required, char why[IMPORT_WHY_MAX])
{
	size_t n = s ? strlen(s) : 0;
	if (required && n == 0)
		return "empty";
	if (n > IMPORT_TEXT_MAX) {
		snprintf(why, IMPORT_WHY_MAX, "longer than %d bytes", IMPORT_TEXT_MAX);
		return why;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return "control character in the text";
	if (n && (s[0] == ' ' || s[n - 1] == ' '))
		return "leading or trailing space";
	return NULL;
}

const char *import_code_problem(const char *s, bool required, char why[IMPORT_WHY_MAX])
{
	if (!s || !*s)
		return required ? "empty" : NULL;
	size_t n = strlen(s);
	if (n > IMPORT_CODE_MAX) {
		snprintf(why, IMPORT_WHY_MAX, "code longer than %d bytes", IMPORT_CODE_MAX);
		return why;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-')) {
			snprintf(why, IMPORT_WHY_MAX,
			         "invalid code '%.64s' (letters, digits, '.', '_', '-')", s);
			return why;
		}
	}
	return NULL;
}

/* One of nwords words; *index gets its position. */
static const char *word_problem(const char *s, const char *const *words, size_t nwords,
                                size_t *index, char why[IMPORT_WHY_MAX])
{
	for (size_t i = 0; i < nwords; i++)
		if (strcmp(s ? s : "", words[i]) == 0) {
			*index = i;
			return NULL;
		}
	char list[160];
	size_t n = 0;
	list[0] = '\0';
	for (size_t i = 0; i < nwords && n < sizeof list; i++)
		n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", words[i]);
	snprintf(why, IMPORT_WHY_MAX, "'%.40s' is not one of: %s", s ? s : "", list);
	return why;
}

static const char *const levels[] = {"city", "commune", "police"};
static const char *const routes[] = {"fixed", "residence", "property"};
static const char *const online_levels[] = {"full", "partial", "none"};
static const char *const supplement_rules[] = {"restart", "continue"};
static const char *const step_roles[] = {"officer", "specialist", "approver"};
/* The kinds of migration 0001; the last two are generated from the communes. */
static const char *const unit_kinds[] = {
        "centre",        "branch",     "point",  "city_committee",
        "office",        "department", "police", "commune_committee",
        "commune_police"};
#define UNIT_FILE_KINDS 7

const char *const *import_words(enum import_words w, size_t *n)
{
	static const struct {
		const char *const *words;
		size_t n;
	} lists[IMPORT_W_COUNT] = {
	        [IMPORT_W_LEVEL] = {levels, 3},
	        [IMPORT_W_UNIT_KIND] = {unit_kinds, UNIT_FILE_KINDS + 2},
	        [IMPORT_W_ROUTE] = {routes, 3},
	        [IMPORT_W_ONLINE] = {online_levels, 3},
	        [IMPORT_W_SUPPLEMENT] = {supplement_rules, 2},
	        [IMPORT_W_STEP_ROLE] = {step_roles, 3},
	};
	if ((int)w < 0 || w >= IMPORT_W_COUNT) {
		*n = 0;
		return NULL;
	}
	*n = lists[w].n;
	return lists[w].words;
}

const char *import_word_problem(const char *s, enum import_words w, size_t *index,
                                char why[IMPORT_WHY_MAX])
{
	size_t n;
	const char *const *words = import_words(w, &n);
	return word_problem(s, words, n, index, why);
}

const char *import_int_problem(const char *s, int64_t min, int64_t max, int64_t *out,
                               char why[IMPORT_WHY_MAX])
{
	if (!s || !*s)
		return "empty";
	if (!str_all_digits(s) || str_parse_int64(s, min, max, out) != 0) {
		snprintf(why, IMPORT_WHY_MAX, "'%.40s' is not a whole number in %lld..%lld", s,
		         (long long)min, (long long)max);
		return why;
	}
	return NULL;
}

const char *import_e6_problem(const char *s, int64_t min, int64_t max, int64_t *out,
                              char why[IMPORT_WHY_MAX])
{
	if (import_parse_e6(s, out) != 0) {
		snprintf(why, IMPORT_WHY_MAX,
		         "'%.40s' is not a decimal number with at most 6 decimals", s ? s : "");
		return why;
	}
	if (*out < min || *out > max) {
		snprintf(why, IMPORT_WHY_MAX, "%.40s is out of range", s);
		return why;
	}
	return NULL;
}

const char *import_coords_problem(const char *lat, const char *lon, bool *has, int64_t *lat_e6,
                                  int64_t *lon_e6, int *which, char why[IMPORT_WHY_MAX])
{
	bool has_lat = lat && *lat, has_lon = lon && *lon;
	*has = false;
	*which = 0;
	if (has_lat != has_lon) {
		*which = has_lat ? 1 : 0;
		return "give both lat and lon, or neither";
	}
	if (!has_lat)
		return NULL;
	const char *p = import_e6_problem(lat, LAT_MIN_E6, LAT_MAX_E6, lat_e6, why);
	if (!p) {
		*which = 1;
		p = import_e6_problem(lon, LON_MIN_E6, LON_MAX_E6, lon_e6, why);
	}
	*has = p == NULL;
	return p;
}

bool import_procedure_code_ok(const char *s)
{
	const char *dot = s ? strchr(s, '.') : NULL;
	if (!dot || dot == s || !dot[1] || strchr(dot + 1, '.'))
		return false;
	for (const char *p = s; *p; p++)
		if (p != dot && (*p < '0' || *p > '9'))
			return false;
	return true;
}

const char *import_route_problem(const char *level, const char *competent_kind,
                                 const char *competent_unit, const char *route_by)
{
	bool has_unit = competent_unit && *competent_unit;
	bool fixed = str_eq(route_by, "fixed");
	bool committee = str_eq(competent_kind, "commune_committee");
	bool commune_police = str_eq(competent_kind, "commune_police");
	bool commune_kind = committee || commune_police;
	if (has_unit && !fixed)
		return "a fixed competent_unit goes with route_by 'fixed'";
	if (!has_unit && fixed)
		return "route_by 'fixed' needs a competent_unit";
	if (!has_unit && !commune_kind)
		return "without a competent_unit the kind must be commune_committee or "
		       "commune_police";
	if (has_unit && commune_kind)
		return "commune units are found by route_by; leave competent_unit empty";
	if (str_eq(level, "city") && commune_kind)
		return "a city-level procedure has a fixed competent unit";
	if (str_eq(level, "commune") && !committee)
		return "a commune-level procedure goes to the commune_committee";
	if (str_eq(level, "police") && !commune_police && !str_eq(competent_kind, "police"))
		return "a police procedure goes to the police or the commune_police";
	return NULL;
}

const char *import_steps_problem(const struct db_step *steps, size_t n, bool needs_signoff,
                                 const char **column, char why[IMPORT_WHY_MAX])
{
	const char *code = n ? steps[0].procedure_code : "";
	int sum = 0;
	bool approver = false;
	for (size_t j = 0; j < n; j++) {
		sum += steps[j].share_pct;
		approver |= str_eq(steps[j].role, "approver");
	}
	if (sum != 100) {
		*column = "share_pct";
		snprintf(why, IMPORT_WHY_MAX, "the shares of '%s' add up to %d, not 100", code,
		         sum);
		return why;
	}
	if (approver != needs_signoff) {
		*column = "role";
		snprintf(why, IMPORT_WHY_MAX,
		         approver ? "'%s' has an approver step but needs_signoff is no"
		                  : "'%s' needs sign-off but has no approver step",
		         code);
		return why;
	}
	return NULL;
}

/* Text checks shared by every column: no control characters, bounded length. */
static enum err_code check_text(struct err *e, const struct file *f, size_t col, bool required)
{
	char why[IMPORT_WHY_MAX];
	const char *p = import_text_problem(fld(f, col), required, why);
	return p ? bad(e, f, col, "%s", p) : ERR_OK;
}

/* A required text column, kept. */
static enum err_code text_req(struct import_data *d, struct err *e, const struct file *f,
                              size_t col, const char **out)
{
	enum err_code rc = check_text(e, f, col, true);
	if (rc != ERR_OK)
		return rc;
	*out = keep(d, fld(f, col));
	return *out ? ERR_OK : err_set(e, ERR_NO_MEMORY, "out of memory");
}

/* An optional text column, kept; "" becomes NULL. */
static enum err_code text_opt(struct import_data *d, struct err *e, const struct file *f,
                              size_t col, const char **out)
{
	enum err_code rc = check_text(e, f, col, false);
	if (rc != ERR_OK)
		return rc;
	*out = NULL;
	if (!*fld(f, col))
		return ERR_OK;
	*out = keep(d, fld(f, col));
	return *out ? ERR_OK : err_set(e, ERR_NO_MEMORY, "out of memory");
}

/* The folded form of s, kept. */
static enum err_code folded(struct import_data *d, struct err *e, const struct file *f, size_t col,
                            const char *s, const char **out)
{
	struct buf b = BUF_INIT(strlen(s) + 1);
	struct err fe;
	enum err_code rc = fold_text(s, strlen(s), &b, &fe);
	if (rc != ERR_OK) {
		buf_release(&b);
		return bad(e, f, col, "cannot fold the text: %s", fe.detail);
	}
	*out = keep(d, buf_str(&b));
	buf_release(&b);
	return *out ? ERR_OK : err_set(e, ERR_NO_MEMORY, "out of memory");
}

/* A code: ASCII letters, digits, '.', '_' and '-', at most IMPORT_CODE_MAX bytes. */
static enum err_code code_field(struct import_data *d, struct err *e, const struct file *f,
                                size_t col, bool required, const char **out)
{
	const char *s = fld(f, col);
	char why[IMPORT_WHY_MAX];
	*out = NULL;
	const char *p = import_code_problem(s, required, why);
	if (p)
		return bad(e, f, col, "%s", p);
	if (!*s)
		return ERR_OK;
	*out = keep(d, s);
	return *out ? ERR_OK : err_set(e, ERR_NO_MEMORY, "out of memory");
}

/* One of the words of a list; *index gets its position. */
static enum err_code word_field(struct err *e, const struct file *f, size_t col,
                                const char *const *words, size_t nwords, size_t *index)
{
	char why[IMPORT_WHY_MAX];
	const char *p = word_problem(fld(f, col), words, nwords, index, why);
	return p ? bad(e, f, col, "%s", p) : ERR_OK;
}

static enum err_code yes_no(struct err *e, const struct file *f, size_t col, bool *out)
{
	static const char *const words[] = {"no", "yes"};
	size_t i = 0;
	enum err_code rc = word_field(e, f, col, words, 2, &i);
	*out = i == 1;
	return rc;
}

/* "0" or "1". */
static enum err_code yes_no_01(struct err *e, const struct file *f, size_t col, bool *out)
{
	static const char *const words[] = {"0", "1"};
	size_t i = 0;
	enum err_code rc = word_field(e, f, col, words, 2, &i);
	*out = i == 1;
	return rc;
}

/* An integer in [min, max]; when empty, *out = dflt if allow_empty. */
static enum err_code int_field(struct err *e, const struct file *f, size_t col, int64_t min,
                               int64_t max, bool allow_empty, int64_t dflt, int64_t *out)
{
	const char *s = fld(f, col);
	if (!*s && allow_empty) {
		*out = dflt;
		return ERR_OK;
	}
	char why[IMPORT_WHY_MAX];
	const char *p = import_int_problem(s, min, max, out, why);
	return p ? bad(e, f, col, "%s", p) : ERR_OK;
}

/* A coordinate or an area in millionths, within [min, max]. */
static enum err_code e6_field(struct err *e, const struct file *f, size_t col, int64_t min,
                              int64_t max, int64_t *out)
{
	char why[IMPORT_WHY_MAX];
	const char *p = import_e6_problem(fld(f, col), min, max, out, why);
	return p ? bad(e, f, col, "%s", p) : ERR_OK;
}

/* ---- indexes for look-ups ---- */

struct key {
	const char *k;
	size_t i;
};

static int key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	return strcmp(x->k, y->k);
}

/* A sorted index over n keys taken by get(i); NULL when out of memory. */
static struct key *index_build(size_t n, const char *(*get)(const struct import_data *, size_t),
                               const struct import_data *d)
{
	struct key *ix = malloc((n ? n : 1) * sizeof *ix);
	if (!ix)
		return NULL;
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		const char *k = get(d, i);
		if (k)
			ix[m++] = (struct key){k, i};
	}
	qsort(ix, m, sizeof *ix, key_cmp);
	if (m < n)
		ix[m].k = NULL; /* marks the end when some keys were absent */
	return ix;
}

static const struct key *index_find(const struct key *ix, size_t n, const char *k)
{
	if (!k)
		return NULL;
	struct key want = {k, 0};
	return bsearch(&want, ix, n, sizeof *ix, key_cmp);
}

static const char *commune_code_of(const struct import_data *d, size_t i)
{
	return d->communes[i].code;
}
static const char *unit_code_of(const struct import_data *d, size_t i)
{
	return d->units[i].code;
}
static const char *unit_identifier_of(const struct import_data *d, size_t i)
{
	return d->units[i].identifier;
}
static const char *procedure_code_of(const struct import_data *d, size_t i)
{
	return d->procedures[i].code;
}

/* Counts the keys of an index built over n items (absent keys are skipped). */
static size_t index_len(const struct key *ix, size_t n)
{
	size_t m = 0;
	while (m < n && ix[m].k)
		m++;
	return m;
}

/* ---- communes.csv ---- */

enum { C_CODE, C_NAME, C_KIND, C_LAT, C_LON, C_AREA, C_IDENT, C_NCOLS };
static const char *const commune_cols[] = {
        "code", "name_vi", "kind", "lat", "lon", "area_km2", "committee_identifier"};
static const char *const commune_kinds[] = {"ward", "commune"};

static enum err_code parse_communes(struct import_data *d, const char *text, size_t len,
                                    const char ***idents, int **lines, struct err *e)
{
	struct file f;
	size_t cap = 0, icap = 0, lcap = 0;
	enum err_code rc =
	        file_begin(&f, IMPORT_FILE_COMMUNES, commune_cols, C_NCOLS, text, len, e);
	for (bool got = true; rc == ERR_OK;) {
		rc = file_next(&f, C_NCOLS, d->ncommunes, &got, e);
		if (rc != ERR_OK || !got)
			break;
		if (grow(&d->communes, &cap, d->ncommunes, sizeof *d->communes) ||
		    grow(idents, &icap, d->ncommunes, sizeof **idents) ||
		    grow(lines, &lcap, d->ncommunes, sizeof **lines)) {
			rc = err_set(e, ERR_NO_MEMORY, "out of memory");
			break;
		}
		struct db_commune *c = &d->communes[d->ncommunes];
		memset(c, 0, sizeof *c);
		size_t kind = 0;
		const char *code = fld(&f, C_CODE);
		if (strlen(code) != 5 || !str_all_digits(code)) {
			rc = bad(e, &f, C_CODE, "'%.40s' is not a 5-digit commune code", code);
			break;
		}
		const char *ident = fld(&f, C_IDENT);
		struct err ue;
		if ((rc = code_field(d, e, &f, C_CODE, true, &c->code)) ||
		    (rc = text_req(d, e, &f, C_NAME, &c->name_vi)) ||
		    (rc = folded(d, e, &f, C_NAME, c->name_vi, &c->name_folded)) ||
		    (rc = word_field(e, &f, C_KIND, commune_kinds, 2, &kind)) ||
		    (rc = e6_field(e, &f, C_LAT, LAT_MIN_E6, LAT_MAX_E6, &c->lat_e6)) ||
		    (rc = e6_field(e, &f, C_LON, LON_MIN_E6, LON_MAX_E6, &c->lon_e6)) ||
		    (rc = e6_field(e, &f, C_AREA, 1, AREA_MAX_M2, &c->area_m2)))
			break;
		if (dossier_unit_check(ident, &ue) != ERR_OK) {
			rc = bad(e, &f, C_IDENT, "invalid unit identifier '%.40s'", ident);
			break;
		}
		c->kind = commune_kinds[kind];
		(*idents)[d->ncommunes] = keep(d, ident);
		(*lines)[d->ncommunes] = f.r.record_line;
		if (!(*idents)[d->ncommunes]) {
			rc = err_set(e, ERR_NO_MEMORY, "out of memory");
			break;
		}
		d->ncommunes++;
	}
	csv_reader_release(&f.r);
	if (rc == ERR_OK && d->ncommunes == 0)
		rc = err_set(e, ERR_INVALID_DATA_FILE, "%s: no communes", IMPORT_FILE_COMMUNES);
	return rc;
}

/* ---- units.csv ---- */

enum {
	U_CODE,
	U_KIND,
	U_IDENT,
	U_NAME_VI,
	U_NAME_EN,
	U_PARENT,
	U_COMMUNE,
	U_ADDRESS,
	U_LAT,
	U_LON,
	U_NOTE,
	U_HOURS,
	U_SERVES,
	U_RECEIVES,
	U_SOURCE,
	U_NCOLS
};
static const char *const unit_cols[] = {"code",    "kind",        "identifier",   "name_vi",
                                        "name_en", "parent_code", "commune_code", "address",
                                        "lat",     "lon",         "coord_note",   "opening_hours",
                                        "serves",  "receives",    "source"};
static enum err_code parse_units(struct import_data *d, const char *text, size_t len, int **lines,
                                 struct err *e)
{
	struct file f;
	size_t cap = 0, lcap = 0;
	enum err_code rc = file_begin(&f, IMPORT_FILE_UNITS, unit_cols, U_NCOLS, text, len, e);
	for (bool got = true; rc == ERR_OK;) {
		rc = file_next(&f, U_NCOLS, d->nunits, &got, e);
		if (rc != ERR_OK || !got)
			break;
		if (grow(&d->units, &cap, d->nunits, sizeof *d->units) ||
		    grow(lines, &lcap, d->nunits, sizeof **lines)) {
			rc = err_set(e, ERR_NO_MEMORY, "out of memory");
			break;
		}
		struct db_unit *u = &d->units[d->nunits];
		memset(u, 0, sizeof *u);
		size_t kind = 0;
		if ((rc = code_field(d, e, &f, U_CODE, true, &u->code)))
			break;
		if (str_has_prefix(u->code, "UBND-") || str_has_prefix(u->code, "CA-")) {
			rc = bad(e, &f, U_CODE,
			         "codes starting with UBND- or CA- are reserved for the units made "
			         "from communes.csv");
			break;
		}
		if ((rc = word_field(e, &f, U_KIND, unit_kinds, UNIT_FILE_KINDS + 2, &kind)))
			break;
		if (kind >= UNIT_FILE_KINDS) {
			rc = bad(e, &f, U_KIND,
			         "'%s' units are made from communes.csv, not listed here",
			         unit_kinds[kind]);
			break;
		}
		u->kind = unit_kinds[kind];
		if ((rc = text_opt(d, e, &f, U_IDENT, &u->identifier)))
			break;
		struct err ue;
		if (u->identifier && dossier_unit_check(u->identifier, &ue) != ERR_OK) {
			rc = bad(e, &f, U_IDENT, "invalid unit identifier '%.40s'", u->identifier);
			break;
		}
		if ((rc = text_req(d, e, &f, U_NAME_VI, &u->name_vi)) ||
		    (rc = text_req(d, e, &f, U_NAME_EN, &u->name_en)) ||
		    (rc = folded(d, e, &f, U_NAME_VI, u->name_vi, &u->name_folded)) ||
		    (rc = code_field(d, e, &f, U_PARENT, false, &u->parent_code)) ||
		    (rc = code_field(d, e, &f, U_COMMUNE, false, &u->commune_code)) ||
		    (rc = text_opt(d, e, &f, U_ADDRESS, &u->address)) ||
		    (rc = text_opt(d, e, &f, U_NOTE, &u->coord_note)) ||
		    (rc = text_opt(d, e, &f, U_HOURS, &u->opening_hours)) ||
		    (rc = text_opt(d, e, &f, U_SERVES, &u->serves)) ||
		    (rc = yes_no_01(e, &f, U_RECEIVES, &u->receives)) ||
		    (rc = text_opt(d, e, &f, U_SOURCE, &u->source)))
			break;
		char why[IMPORT_WHY_MAX];
		int which;
		const char *cp =
		        import_coords_problem(fld(&f, U_LAT), fld(&f, U_LON), &u->has_coords,
		                              &u->lat_e6, &u->lon_e6, &which, why);
		if (cp) {
			rc = bad(e, &f, which ? U_LON : U_LAT, "%s", cp);
			break;
		}
		if (u->receives && !u->identifier) {
			rc = bad(e, &f, U_IDENT, "a receiving unit needs a unit identifier");
			break;
		}
		(*lines)[d->nunits] = f.r.record_line;
		d->nunits++;
	}
	csv_reader_release(&f.r);
	d->nfile_units = d->nunits;
	return rc;
}

/* ---- procedures.csv ---- */

enum {
	P_CODE,
	P_NAME_VI,
	P_NAME_EN,
	P_SECTOR,
	P_LEVEL,
	P_CKIND,
	P_CUNIT,
	P_ROUTE,
	P_DAYS,
	P_HOURS,
	P_CUTOFF,
	P_FEE,
	P_ONLINE,
	P_BFREE,
	P_SUPPLEMENT,
	P_MAX_SUPPLEMENTS,
	P_MAX_EXTENSIONS,
	P_SIGNOFF,
	P_COMPONENTS,
	P_SOURCE,
	P_NCOLS
};
static const char *const procedure_cols[] = {
        "code",           "name_vi",        "name_en",         "sector",
        "level",          "competent_kind", "competent_unit",  "route_by",
        "legal_days",     "legal_hours",    "cutoff",          "fee_vnd",
        "online",         "boundary_free",  "supplement_rule", "max_supplements",
        "max_extensions", "needs_signoff",  "components",      "source"};
/* Trims ASCII spaces at both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
	while (*n && **s == ' ') {
		(*s)++;
		(*n)--;
	}
	while (*n && (*s)[*n - 1] == ' ')
		(*n)--;
}

enum err_code import_split_components(const char *field, import_component_fn *fn, void *ctx,
                                      struct err *e)
{
	int seq = 0;
	const char *p = field ? field : "";
	for (;;) {
		const char *bar = strchr(p, '|');
		const char *s = p;
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		trim(&s, &n);
		bool optional = false, population = false;
		/* trailing markers, any order */
		while (n && s[n - 1] == ']') {
			const char *open = NULL;
			for (size_t i = n; i-- > 0;)
				if (s[i] == '[') {
					open = s + i;
					break;
				}
			if (!open)
				break;
			size_t mlen = (size_t)(s + n - open);
			bool *flag = NULL;
			if (mlen == 5 && memcmp(open, "[opt]", 5) == 0)
				flag = &optional;
			else if (mlen == 4 && memcmp(open, "[DC]", 4) == 0)
				flag = &population;
			else
				return err_set(
				        e, ERR_INVALID_DATA_FILE,
				        "component %d: unknown marker '%.*s' (use [opt] or [DC])",
				        seq + 1, (int)(mlen > 40 ? 40 : mlen), open);
			if (*flag)
				return err_set(e, ERR_INVALID_DATA_FILE,
				               "component %d: marker '%.*s' given twice", seq + 1,
				               (int)mlen, open);
			*flag = true;
			n = (size_t)(open - s);
			trim(&s, &n);
		}
		if (n == 0)
			return err_set(e, ERR_INVALID_DATA_FILE, "component %d is empty", seq + 1);
		if (++seq > IMPORT_COMPONENTS_MAX)
			return err_set(e, ERR_INVALID_DATA_FILE, "more than %d components",
			               IMPORT_COMPONENTS_MAX);
		if (fn(ctx, seq, s, n, !optional, population) != 0)
			return err_set(e, ERR_NO_MEMORY, "out of memory");
		if (!bar)
			break;
		p = bar + 1;
	}
	return ERR_OK;
}

struct component_sink {
	struct import_data *d;
	size_t cap;
	const char *procedure_code;
};

static int add_component(void *ctx, int seq, const char *name, size_t name_len, bool required,
                         bool population_replaces)
{
	struct component_sink *k = ctx;
	struct import_data *d = k->d;
	if (grow(&d->components, &k->cap, d->ncomponents, sizeof *d->components) != 0)
		return -1;
	const char *n = keepn(d, name, name_len);
	if (!n)
		return -1;
	d->components[d->ncomponents++] = (struct db_component){
	        .procedure_code = k->procedure_code,
	        .seq = seq,
	        .name_vi = n,
	        .required = required,
	        .population_replaces = population_replaces,
	};
	return 0;
}

static enum err_code parse_procedures(struct import_data *d, const char *text, size_t len,
                                      int **lines, struct err *e)
{
	struct file f;
	size_t cap = 0, lcap = 0;
	struct component_sink sink = {d, 0, NULL};
	enum err_code rc =
	        file_begin(&f, IMPORT_FILE_PROCEDURES, procedure_cols, P_NCOLS, text, len, e);
	for (bool got = true; rc == ERR_OK;) {
		rc = file_next(&f, P_NCOLS, d->nprocedures, &got, e);
		if (rc != ERR_OK || !got)
			break;
		if (grow(&d->procedures, &cap, d->nprocedures, sizeof *d->procedures) ||
		    grow(lines, &lcap, d->nprocedures, sizeof **lines)) {
			rc = err_set(e, ERR_NO_MEMORY, "out of memory");
			break;
		}
		struct db_procedure *p = &d->procedures[d->nprocedures];
		memset(p, 0, sizeof *p);
		size_t level = 0, route = 0, online = 0, rule = 0, ckind = 0;
		int64_t v;
		if ((rc = code_field(d, e, &f, P_CODE, true, &p->code)))
			break;
		if (!import_procedure_code_ok(p->code)) {
			rc = bad(e, &f, P_CODE, "'%s' is not a procedure code like 1.001193",
			         p->code);
			break;
		}
		if ((rc = text_req(d, e, &f, P_NAME_VI, &p->name_vi)) ||
		    (rc = text_req(d, e, &f, P_NAME_EN, &p->name_en)) ||
		    (rc = folded(d, e, &f, P_NAME_VI, p->name_vi, &p->name_folded)) ||
		    (rc = text_req(d, e, &f, P_SECTOR, &p->sector)) ||
		    (rc = folded(d, e, &f, P_SECTOR, p->sector, &p->sector_folded)) ||
		    (rc = word_field(e, &f, P_LEVEL, levels, 3, &level)) ||
		    (rc = word_field(e, &f, P_CKIND, unit_kinds, UNIT_FILE_KINDS + 2, &ckind)) ||
		    (rc = code_field(d, e, &f, P_CUNIT, false, &p->competent_unit)) ||
		    (rc = word_field(e, &f, P_ROUTE, routes, 3, &route)))
			break;
		p->level = levels[level];
		p->competent_kind = unit_kinds[ckind];
		p->route_by = routes[route];
		/* legal time: days or hours, exactly one */
		bool has_days = *fld(&f, P_DAYS) != '\0', has_hours = *fld(&f, P_HOURS) != '\0';
		if (has_days == has_hours) {
			rc = bad(e, &f, P_DAYS, "give legal_days or legal_hours, exactly one");
			break;
		}
		p->legal_days = p->legal_hours = -1;
		if (has_days) {
			if ((rc = int_field(e, &f, P_DAYS, 0, WORKTIME_MAX_DAYS, false, 0, &v)))
				break;
			p->legal_days = (int)v;
		} else {
			if ((rc = int_field(e, &f, P_HOURS, 1, WORKTIME_MAX_HOURS, false, 0, &v)))
				break;
			p->legal_hours = (int)v;
		}
		const char *cutoff = fld(&f, P_CUTOFF);
		p->cutoff_sec = -1;
		if (*cutoff) {
			if (vntime_parse_hhmm(cutoff, &p->cutoff_sec) != 0 || strlen(cutoff) != 5) {
				rc = bad(e, &f, P_CUTOFF, "'%.20s' is not a time HH:MM", cutoff);
				break;
			}
			if (!has_days) {
				rc = bad(e, &f, P_CUTOFF,
				         "a cut-off applies to a legal time in days only");
				break;
			}
		}
		if ((rc = int_field(e, &f, P_FEE, 0, FEE_MAX_VND, true, 0, &p->fee_vnd)) ||
		    (rc = word_field(e, &f, P_ONLINE, online_levels, 3, &online)) ||
		    (rc = yes_no(e, &f, P_BFREE, &p->boundary_free)))
			break;
		p->online = online_levels[online];
		if (*fld(&f, P_SUPPLEMENT) &&
		    (rc = word_field(e, &f, P_SUPPLEMENT, supplement_rules, 2, &rule)))
			break;
		p->supplement_rule = supplement_rules[rule];
		if ((rc = int_field(e, &f, P_MAX_SUPPLEMENTS, 0, LIMIT_COUNT_MAX, true, 1, &v)))
			break;
		p->max_supplements = (int)v;
		if ((rc = int_field(e, &f, P_MAX_EXTENSIONS, 0, LIMIT_COUNT_MAX, true, 1, &v)))
			break;
		p->max_extensions = (int)v;
		if ((rc = yes_no(e, &f, P_SIGNOFF, &p->needs_signoff)) ||
		    (rc = check_text(e, &f, P_COMPONENTS, true)) ||
		    (rc = text_opt(d, e, &f, P_SOURCE, &p->source)))
			break;
		/* the level decides how the competent unit is found */
		const char *why = import_route_problem(p->level, p->competent_kind,
		                                       p->competent_unit, p->route_by);
		if (why) {
			rc = bad(e, &f, P_CKIND, "%s", why);
			break;
		}
		struct err ce;
		err_clear(&ce);
		sink.procedure_code = p->code;
		rc = import_split_components(fld(&f, P_COMPONENTS), add_component, &sink, &ce);
		if (rc == ERR_NO_MEMORY) {
			rc = err_set(e, rc, "out of memory");
			break;
		}
		if (rc != ERR_OK) {
			rc = bad(e, &f, P_COMPONENTS, "%s", ce.detail);
			break;
		}
		(*lines)[d->nprocedures] = f.r.record_line;
		d->nprocedures++;
	}
	csv_reader_release(&f.r);
	return rc;
}

/* ---- procedure_steps.csv ---- */

enum { S_PROC, S_SEQ, S_NAME_VI, S_NAME_EN, S_SHARE, S_ROLE, S_NOTE, S_NCOLS };
static const char *const step_cols[] = {"procedure_code", "seq",  "name_vi", "name_en",
                                        "share_pct",      "role", "note"};

static enum err_code parse_steps(struct import_data *d, const char *text, size_t len, int **lines,
                                 struct err *e)
{
	struct file f;
	size_t cap = 0, lcap = 0;
	enum err_code rc = file_begin(&f, IMPORT_FILE_STEPS, step_cols, S_NCOLS, text, len, e);
	for (bool got = true; rc == ERR_OK;) {
		rc = file_next(&f, S_NCOLS, d->nsteps, &got, e);
		if (rc != ERR_OK || !got)
			break;
		if (grow(&d->steps, &cap, d->nsteps, sizeof *d->steps) ||
		    grow(lines, &lcap, d->nsteps, sizeof **lines)) {
			rc = err_set(e, ERR_NO_MEMORY, "out of memory");
			break;
		}
		struct db_step *s = &d->steps[d->nsteps];
		memset(s, 0, sizeof *s);
		int64_t v;
		size_t role = 0;
		if ((rc = code_field(d, e, &f, S_PROC, true, &s->procedure_code)) ||
		    (rc = int_field(e, &f, S_SEQ, 1, IMPORT_STEPS_MAX, false, 0, &v)))
			break;
		s->seq = (int)v;
		/* steps of a procedure are contiguous and numbered 1, 2, ... */
		const struct db_step *prev = d->nsteps ? &d->steps[d->nsteps - 1] : NULL;
		bool same = prev && strcmp(prev->procedure_code, s->procedure_code) == 0;
		int want = same ? prev->seq + 1 : 1;
		if (s->seq != want) {
			rc = bad(e, &f, S_SEQ,
			         "step %d where %d was expected (steps of a procedure "
			         "are consecutive lines numbered from 1)",
			         s->seq, want);
			break;
		}
		if ((rc = text_req(d, e, &f, S_NAME_VI, &s->name_vi)) ||
		    (rc = text_req(d, e, &f, S_NAME_EN, &s->name_en)) ||
		    (rc = int_field(e, &f, S_SHARE, 1, 100, false, 0, &v)))
			break;
		s->share_pct = (int)v;
		if ((rc = word_field(e, &f, S_ROLE, step_roles, 3, &role)) ||
		    (rc = check_text(e, &f, S_NOTE, false)))
			break;
		s->role = step_roles[role];
		(*lines)[d->nsteps] = f.r.record_line;
		d->nsteps++;
	}
	csv_reader_release(&f.r);
	return rc;
}

/* ---- holidays.csv ---- */

static enum err_code parse_holidays(struct import_data *d, const char *text, size_t len,
                                    struct err *e)
{
	struct err he;
	err_clear(&he);
	enum err_code rc = holidays_parse_csv(text, len, &d->holiday_table, &he);
	if (rc != ERR_OK)
		return err_set(e, rc, "%s: %s", IMPORT_FILE_HOLIDAYS, he.detail);
	size_t n = d->holiday_table.count;
	d->holidays = calloc(n ? n : 1, sizeof *d->holidays);
	if (!d->holidays)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const struct holiday_row *h = &d->holiday_table.rows[i];
		d->holidays[i] = (struct db_holiday){
		        .day = h->date,
		        .kind = holidays_kind_name(h->kind),
		        .status = holidays_status_name(h->status),
		        .occasion = holidays_occasion_name(h->occasion),
		        .name_vi = h->name_vi,
		        .name_en = h->name_en,
		        .source = h->source,
		};
	}
	d->nholidays = n;
	return ERR_OK;
}

/* ---- references between files ---- */

/* An error found after parsing: "FILE line L (COLUMN): ...". */
static enum err_code bad_at(struct err *e, const char *file, int line, const char *col,
                            const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static enum err_code bad_at(struct err *e, const char *file, int line, const char *col,
                            const char *fmt, ...)
{
	char what[ERR_DETAIL_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return err_set(e, ERR_INVALID_DATA_FILE, "%s line %d (%s): %s", file, line, col, what);
}

/* The line of unit i: from units.csv, or the commune's line for generated units. */
struct lines {
	int *commune, *unit, *procedure, *step;
};

static int unit_line(const struct import_data *d, const struct lines *l, size_t i)
{
	return i < d->nfile_units ? l->unit[i] : l->commune[(i - d->nfile_units) / 2];
}

/* Adds UBND-<code> and CA-<code> for every commune. */
static enum err_code generate_commune_units(struct import_data *d, const char *const *idents,
                                            const struct key *units, size_t nunits, struct err *e)
{
	size_t cap = d->nunits;
	bool has_city = index_find(units, nunits, "UBND_TP") != NULL;
	bool has_police = index_find(units, nunits, "CONG_AN_TP") != NULL;
	for (size_t i = 0; i < d->ncommunes; i++) {
		const struct db_commune *c = &d->communes[i];
		bool ward = strcmp(c->kind, "ward") == 0;
		const char *vi = ward ? "phường" : "xã";
		const char *en = ward ? "Ward" : "Commune";
		char code[32], name_vi[512], name_en[512];
		for (int k = 0; k < 2; k++) {
			if (grow(&d->units, &cap, d->nunits, sizeof *d->units) != 0)
				return err_set(e, ERR_NO_MEMORY, "out of memory");
			struct db_unit u = {0};
			snprintf(code, sizeof code, "%s-%s", k ? "CA" : "UBND", c->code);
			snprintf(name_vi, sizeof name_vi, "%s %s %s",
			         k ? "Công an" : "Ủy ban nhân dân", vi, c->name_vi);
			snprintf(name_en, sizeof name_en, "%s %s %s",
			         k ? "Police of" : "People's Committee of", c->name_vi, en);
			u.kind = k ? "commune_police" : "commune_committee";
			u.identifier = k ? NULL : idents[i];
			u.parent_code = k ? (has_police ? "CONG_AN_TP" : NULL)
			                  : (has_city ? "UBND_TP" : NULL);
			u.commune_code = c->code;
			u.has_coords = true;
			u.lat_e6 = c->lat_e6;
			u.lon_e6 = c->lon_e6;
			u.coord_note = "commune centroid (the office address is not in the data)";
			u.opening_hours = IMPORT_COMMUNE_HOURS;
			u.receives = k == 0;
			u.source = "generated by motcua import from communes.csv";
			u.code = keep(d, code);
			u.name_vi = keep(d, name_vi);
			u.name_en = keep(d, name_en);
			if (!u.code || !u.name_vi || !u.name_en)
				return err_set(e, ERR_NO_MEMORY, "out of memory");
			struct buf b = BUF_INIT(sizeof name_vi);
			if (fold_text(u.name_vi, strlen(u.name_vi), &b, e) != ERR_OK) {
				buf_release(&b);
				return e ? e->code : ERR_INVALID_DATA_FILE;
			}
			u.name_folded = keep(d, buf_str(&b));
			buf_release(&b);
			if (!u.name_folded)
				return err_set(e, ERR_NO_MEMORY, "out of memory");
			d->units[d->nunits++] = u;
		}
	}
	return ERR_OK;
}

/* Finds the first repeated key of a sorted index; returns its two items, or false. */
static bool first_repeat(const struct key *ix, size_t n, size_t *a, size_t *b)
{
	for (size_t i = 1; i < n; i++)
		if (strcmp(ix[i - 1].k, ix[i].k) == 0) {
			*a = ix[i - 1].i < ix[i].i ? ix[i - 1].i : ix[i].i;
			*b = ix[i - 1].i < ix[i].i ? ix[i].i : ix[i - 1].i;
			return true;
		}
	return false;
}

static enum err_code check_references(struct import_data *d, const char *const *idents,
                                      const struct lines *l, struct err *e)
{
	enum err_code rc = ERR_OK;
	size_t a, b;
	struct key *cx = index_build(d->ncommunes, commune_code_of, d);
	struct key *ux = index_build(d->nunits, unit_code_of, d);
	struct key *px = NULL, *ix = NULL;
	if (!cx || !ux) {
		rc = err_set(e, ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	if (first_repeat(cx, d->ncommunes, &a, &b)) {
		rc = bad_at(e, IMPORT_FILE_COMMUNES, l->commune[b], "code",
		            "commune '%s' repeats line %d", d->communes[b].code, l->commune[a]);
		goto out;
	}
	if (first_repeat(ux, d->nunits, &a, &b)) {
		rc = bad_at(e, IMPORT_FILE_UNITS, l->unit[b], "code", "unit '%s' repeats line %d",
		            d->units[b].code, l->unit[a]);
		goto out;
	}
	for (size_t i = 0; i < d->nunits; i++) {
		const struct db_unit *u = &d->units[i];
		const struct key *p = index_find(ux, d->nunits, u->parent_code);
		if (u->parent_code && (!p || p->i >= i)) {
			rc = bad_at(e, IMPORT_FILE_UNITS, l->unit[i], "parent_code",
			            "parent '%s' is not a unit listed above", u->parent_code);
			goto out;
		}
		if (u->commune_code && !index_find(cx, d->ncommunes, u->commune_code)) {
			rc = bad_at(e, IMPORT_FILE_UNITS, l->unit[i], "commune_code",
			            "no commune '%s' in %s", u->commune_code, IMPORT_FILE_COMMUNES);
			goto out;
		}
	}
	/* the commune units, then identifiers unique over all units */
	rc = generate_commune_units(d, idents, ux, d->nunits, e);
	if (rc != ERR_OK)
		goto out;
	free(ux);
	ux = index_build(d->nunits, unit_code_of, d);
	ix = index_build(d->nunits, unit_identifier_of, d);
	if (!ux || !ix) {
		rc = err_set(e, ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	if (first_repeat(ux, d->nunits, &a, &b)) {
		rc = bad_at(e, IMPORT_FILE_UNITS, unit_line(d, l, b), "code",
		            "unit '%s' repeats a unit made from %s", d->units[b].code,
		            IMPORT_FILE_COMMUNES);
		goto out;
	}
	if (first_repeat(ix, index_len(ix, d->nunits), &a, &b)) {
		rc = bad_at(e, b < d->nfile_units ? IMPORT_FILE_UNITS : IMPORT_FILE_COMMUNES,
		            unit_line(d, l, b), "identifier",
		            "identifier '%s' is also the identifier of unit '%s'",
		            d->units[b].identifier, d->units[a].code);
		goto out;
	}
	/* procedures */
	px = index_build(d->nprocedures, procedure_code_of, d);
	if (!px) {
		rc = err_set(e, ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	if (first_repeat(px, d->nprocedures, &a, &b)) {
		rc = bad_at(e, IMPORT_FILE_PROCEDURES, l->procedure[b], "code",
		            "procedure '%s' repeats line %d", d->procedures[b].code,
		            l->procedure[a]);
		goto out;
	}
	for (size_t i = 0; i < d->nprocedures; i++) {
		const struct db_procedure *p = &d->procedures[i];
		if (!p->competent_unit)
			continue;
		const struct key *u = index_find(ux, d->nunits, p->competent_unit);
		if (!u) {
			rc = bad_at(e, IMPORT_FILE_PROCEDURES, l->procedure[i], "competent_unit",
			            "no unit '%s' in %s", p->competent_unit, IMPORT_FILE_UNITS);
			goto out;
		}
		if (strcmp(d->units[u->i].kind, p->competent_kind) != 0) {
			rc = bad_at(e, IMPORT_FILE_PROCEDURES, l->procedure[i], "competent_kind",
			            "'%s' but unit '%s' is a %s", p->competent_kind,
			            p->competent_unit, d->units[u->i].kind);
			goto out;
		}
	}
	/* steps: every procedure has a group summing to 100, sign-off <=> an approver step */
	int *seen = calloc(d->nprocedures ? d->nprocedures : 1, sizeof *seen);
	if (!seen) {
		rc = err_set(e, ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < d->nsteps && rc == ERR_OK;) {
		const char *code = d->steps[i].procedure_code;
		const struct key *p = index_find(px, d->nprocedures, code);
		if (!p) {
			rc = bad_at(e, IMPORT_FILE_STEPS, l->step[i], "procedure_code",
			            "no procedure '%s' in %s", code, IMPORT_FILE_PROCEDURES);
			break;
		}
		if (seen[p->i]) {
			rc = bad_at(e, IMPORT_FILE_STEPS, l->step[i], "procedure_code",
			            "the steps of '%s' must be consecutive lines (also line %d)",
			            code, seen[p->i]);
			break;
		}
		seen[p->i] = l->step[i];
		size_t j = i;
		while (j < d->nsteps && strcmp(d->steps[j].procedure_code, code) == 0)
			j++;
		char why[IMPORT_WHY_MAX];
		const char *column = "";
		const char *sp = import_steps_problem(
		        d->steps + i, j - i, d->procedures[p->i].needs_signoff, &column, why);
		if (sp)
			rc = bad_at(e, IMPORT_FILE_STEPS, l->step[i], column, "%s", sp);
		i = j;
	}
	for (size_t i = 0; i < d->nprocedures && rc == ERR_OK; i++)
		if (!seen[i])
			rc = bad_at(e, IMPORT_FILE_PROCEDURES, l->procedure[i], "code",
			            "procedure '%s' has no steps in %s", d->procedures[i].code,
			            IMPORT_FILE_STEPS);
	free(seen);
out:
	free(cx);
	free(ux);
	free(px);
	free(ix);
	return rc;
}

/* ---- the directory ---- */

enum err_code import_load_dir(const char *dir, struct import_data *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (str_empty(dir))
		return err_set(e, ERR_INVALID_ARGUMENT, "empty data directory");
	static const char *const files[] = {IMPORT_FILE_COMMUNES, IMPORT_FILE_UNITS,
	                                    IMPORT_FILE_PROCEDURES, IMPORT_FILE_STEPS,
	                                    IMPORT_FILE_HOLIDAYS};
	struct lines l = {0};
	const char **idents = NULL;
	enum err_code rc = ERR_OK;
	for (size_t i = 0; i < sizeof files / sizeof files[0] && rc == ERR_OK; i++) {
		char path[4096];
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, files[i]) >= sizeof path) {
			rc = err_set(e, ERR_TOO_LONG, "data directory name too long");
			break;
		}
		char *text;
		size_t len;
		rc = read_file(path, &text, &len, e);
		if (rc != ERR_OK)
			break;
		switch (i) {
		case 0:
			rc = parse_communes(out, text, len, &idents, &l.commune, e);
			break;
		case 1:
			rc = parse_units(out, text, len, &l.unit, e);
			break;
		case 2:
			rc = parse_procedures(out, text, len, &l.procedure, e);
			break;
		case 3:
			rc = parse_steps(out, text, len, &l.step, e);
			break;
		default:
			rc = parse_holidays(out, text, len, e);
			break;
		}
		free(text);
	}
	if (rc == ERR_OK)
		rc = check_references(out, idents, &l, e);
	free(idents);
	free(l.commune);
	free(l.unit);
	free(l.procedure);
	free(l.step);
	if (rc != ERR_OK)
		import_data_release(out);
	return rc;
}

/* ---- writing ---- */

struct keys {
	char **k;
	size_t n, cap;
};

static void keys_release(struct keys *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->k[i]);
	free(k->k);
	memset(k, 0, sizeof *k);
}

static int keys_add(void *ctx, const char *key)
{
	struct keys *k = ctx;
	if (grow(&k->k, &k->cap, k->n, sizeof *k->k) != 0)
		return -1;
	size_t n = strlen(key);
	char *c = malloc(n + 1);
	if (!c)
		return -1;
	memcpy(c, key, n + 1);
	k->k[k->n++] = c;
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A sorted list of the data's keys of one table, for "is it still in the data?". */
struct key_set {
	const char **k;
	size_t n;
};

static bool in_set(const struct key_set *s, const char *k)
{
	return bsearch(&k, s->k, s->n, sizeof *s->k, str_cmp) != NULL;
}

#define HOLIDAY_KEY_LEN 40

struct apply {
	const struct import_data *d;
	struct import_report *rep;
	struct key_set communes, units, procedures, holidays;
	char (*holiday_keys)[HOLIDAY_KEY_LEN];
	struct keys db; /* keys read from the database */
};

static void tally(struct import_count *c, enum db_upsert r)
{
	if (r == DB_UPSERT_INSERTED)
		c->inserted++;
	else if (r == DB_UPSERT_UPDATED)
		c->updated++;
	else
		c->unchanged++;
}

static void warn(struct import_report *rep, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
static void warn(struct import_report *rep, const char *fmt, ...)
{
	rep->warnings_total++;
	if (rep->nwarnings >= IMPORT_WARNINGS_MAX)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rep->warnings[rep->nwarnings++], sizeof rep->warnings[0], fmt, ap);
	va_end(ap);
}

/* Reads the keys of table t from the database into a->db. */
static enum err_code read_keys(struct db_conn *c, struct apply *a, enum db_catalog_table t,
                               struct err *e)
{
	keys_release(&a->db);
	enum err_code rc = db_catalog_list_keys(c, t, keys_add, &a->db, e);
	if (rc == ERR_INTERNAL)
		rc = err_set(e, ERR_NO_MEMORY, "out of memory listing keys");
	return rc;
}

static enum err_code apply_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct apply *a = ctx;
	const struct import_data *d = a->d;
	struct import_report *rep = a->rep;
	struct import_count *t = rep->tables;
	enum db_upsert r;
	enum err_code rc = ERR_OK;
	int64_t n;
	memset(rep, 0, sizeof *rep);

	for (size_t i = 0; i < d->ncommunes && rc == ERR_OK; i++)
		if ((rc = db_catalog_upsert_commune(c, &d->communes[i], &r, e)) == ERR_OK)
			tally(&t[IMPORT_COMMUNES], r);
	for (size_t i = 0; i < d->nunits && rc == ERR_OK; i++)
		if ((rc = db_catalog_upsert_unit(c, &d->units[i], &r, e)) == ERR_OK)
			tally(&t[IMPORT_UNITS], r);
	for (size_t i = 0; i < d->nprocedures && rc == ERR_OK; i++)
		if ((rc = db_catalog_upsert_procedure(c, &d->procedures[i], &r, e)) == ERR_OK)
			tally(&t[IMPORT_PROCEDURES], r);
	/* components and steps come grouped by procedure: trim after each group */
	for (size_t i = 0; i < d->ncomponents && rc == ERR_OK; i++) {
		const struct db_component *x = &d->components[i];
		if ((rc = db_catalog_upsert_component(c, x, &r, e)) != ERR_OK)
			break;
		tally(&t[IMPORT_COMPONENTS], r);
		if (i + 1 == d->ncomponents ||
		    strcmp(d->components[i + 1].procedure_code, x->procedure_code) != 0) {
			rc = db_catalog_trim_components(c, x->procedure_code, x->seq, &n, e);
			t[IMPORT_COMPONENTS].deleted += n;
		}
	}
	for (size_t i = 0; i < d->nsteps && rc == ERR_OK; i++) {
		const struct db_step *x = &d->steps[i];
		if ((rc = db_catalog_upsert_step(c, x, &r, e)) != ERR_OK)
			break;
		tally(&t[IMPORT_STEPS], r);
		if (i + 1 == d->nsteps ||
		    strcmp(d->steps[i + 1].procedure_code, x->procedure_code) != 0) {
			rc = db_catalog_trim_steps(c, x->procedure_code, x->seq, &n, e);
			t[IMPORT_STEPS].deleted += n;
		}
	}
	for (size_t i = 0; i < d->nholidays && rc == ERR_OK; i++)
		if ((rc = db_catalog_upsert_holiday(c, &d->holidays[i], &r, e)) == ERR_OK)
			tally(&t[IMPORT_HOLIDAYS], r);

	/* rows that are no longer in the data */
	bool changed;
	if (rc == ERR_OK && (rc = read_keys(c, a, DB_CATALOG_UNIT, e)) == ERR_OK)
		for (size_t i = 0; i < a->db.n && rc == ERR_OK; i++)
			if (!in_set(&a->units, a->db.k[i]) &&
			    (rc = db_catalog_deactivate_unit(c, a->db.k[i], &changed, e)) == ERR_OK)
				t[IMPORT_UNITS].deactivated += changed;
	if (rc == ERR_OK && (rc = read_keys(c, a, DB_CATALOG_PROCEDURE, e)) == ERR_OK)
		for (size_t i = 0; i < a->db.n && rc == ERR_OK; i++)
			if (!in_set(&a->procedures, a->db.k[i]) &&
			    (rc = db_catalog_deactivate_procedure(c, a->db.k[i], &changed, e)) ==
			            ERR_OK)
				t[IMPORT_PROCEDURES].deactivated += changed;
	if (rc == ERR_OK && (rc = read_keys(c, a, DB_CATALOG_HOLIDAY, e)) == ERR_OK)
		for (size_t i = 0; i < a->db.n && rc == ERR_OK; i++) {
			if (in_set(&a->holidays, a->db.k[i]))
				continue;
			/* "YYYY-MM-DD/kind" */
			char date[VNTIME_DATE_LEN];
			int64_t day;
			const char *key = a->db.k[i];
			const char *slash = strchr(key, '/');
			bool ok = slash && (size_t)(slash - key) == VNTIME_DATE_LEN - 1;
			if (ok) {
				memcpy(date, key, VNTIME_DATE_LEN - 1);
				date[VNTIME_DATE_LEN - 1] = '\0';
				ok = vntime_parse_date(date, &day) == 0;
			}
			if (!ok) {
				rc = err_set(e, ERR_INTERNAL, "bad holiday key '%s'", key);
				break;
			}
			if ((rc = db_catalog_delete_holiday(c, day, slash + 1, &changed, e)) ==
			    ERR_OK)
				t[IMPORT_HOLIDAYS].deleted += changed;
		}
	if (rc == ERR_OK && (rc = read_keys(c, a, DB_CATALOG_COMMUNE, e)) == ERR_OK)
		for (size_t i = 0; i < a->db.n && rc == ERR_OK; i++) {
			if (in_set(&a->communes, a->db.k[i]))
				continue;
			rc = db_catalog_delete_commune_if_unused(c, a->db.k[i], &changed, e);
			if (rc == ERR_OK && changed)
				t[IMPORT_COMMUNES].deleted++;
			else if (rc == ERR_OK)
				warn(rep,
				     "commune '%s' is no longer in the data; kept because "
				     "units, residents or dossiers refer to it",
				     a->db.k[i]);
		}
	keys_release(&a->db);
	if (rc != ERR_OK)
		return rc;
	for (int i = 0; i < IMPORT_TABLES; i++)
		rep->changes += t[i].inserted + t[i].updated + t[i].deactivated + t[i].deleted;
	return ERR_OK;
}

/* Fills a sorted key set from n strings got by get(d, i). Returns 0 or -1. */
static int set_build(struct key_set *s, size_t n,
                     const char *(*get)(const struct import_data *, size_t),
                     const struct import_data *d)
{
	s->k = malloc((n ? n : 1) * sizeof *s->k);
	if (!s->k)
		return -1;
	for (size_t i = 0; i < n; i++)
		s->k[i] = get(d, i);
	s->n = n;
	qsort(s->k, n, sizeof *s->k, str_cmp);
	return 0;
}

enum err_code import_apply(struct db *db, const struct import_data *d, struct import_report *rep,
                           struct err *e)
{
	struct apply a = {.d = d, .rep = rep};
	enum err_code rc = ERR_OK;
	memset(rep, 0, sizeof *rep);
	a.holiday_keys = calloc(d->nholidays ? d->nholidays : 1, sizeof *a.holiday_keys);
	a.holidays.k = calloc(d->nholidays ? d->nholidays : 1, sizeof *a.holidays.k);
	if (!a.holiday_keys || !a.holidays.k ||
	    set_build(&a.communes, d->ncommunes, commune_code_of, d) ||
	    set_build(&a.units, d->nunits, unit_code_of, d) ||
	    set_build(&a.procedures, d->nprocedures, procedure_code_of, d)) {
		rc = err_set(e, ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < d->nholidays; i++) {
		char date[VNTIME_DATE_LEN];
		vntime_format_date(d->holidays[i].day, date);
		snprintf(a.holiday_keys[i], HOLIDAY_KEY_LEN, "%s/%.16s", date, d->holidays[i].kind);
		a.holidays.k[i] = a.holiday_keys[i];
	}
	a.holidays.n = d->nholidays;
	qsort(a.holidays.k, a.holidays.n, sizeof *a.holidays.k, str_cmp);
	rc = db_run_txn(db, DB_TXN_WRITE, apply_txn, &a, e);
	if (rc != ERR_OK)
		memset(rep, 0, sizeof *rep);
out:
	keys_release(&a.db);
	free(a.communes.k);
	free(a.units.k);
	free(a.procedures.k);
	free(a.holidays.k);
	free(a.holiday_keys);
	return rc;
}

enum err_code import_reference(struct db *db, const char *dir, struct import_report *rep,
                               struct err *e)
{
	struct import_data d;
	memset(rep, 0, sizeof *rep);
	enum err_code rc = import_load_dir(dir, &d, e);
	if (rc != ERR_OK)
		return rc;
	rc = import_apply(db, &d, rep, e);
	import_data_release(&d);
	return rc;
}
