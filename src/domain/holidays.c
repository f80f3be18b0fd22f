/*
 * holidays: the CSV of announced schedules, the statutory rules, and their
 * merge into one list of days (see holidays.h and docs/calendar.md).
 *
 * Law used (facts, cited where they are applied):
 *   - Labour Code 2019 (45/2019/QH14, in force 1/1/2021) Art. 112(1): 1/1;
 *     Tết 5 days; 30/4; 1/5; 2/9 and one day before or after; 10/3 lunar.
 *     Art. 112(3): the Prime Minister decides the actual Tết and 2/9 days.
 *     Art. 111(3): a holiday on the weekly rest day gives a compensatory day
 *     off on the next working day.
 *   - Before 2021 the Labour Code 2012 (Art. 115, in force 1/5/2013; 2/9 one
 *     day) and the Labour Code 1994 (Art. 73; Tết 4 days; Hùng Kings added by
 *     the 2007 amendment) applied; see rule_days() for the years.
 *   - Saturday and Sunday are the weekly rest days of the civil service
 *     (Decision 188/1999/QĐ-TTg, 40-hour week).
 */
#include "domain/holidays.h"

#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/vntime.h"
#include "domain/lunar.h"

/* ---------------------------------------------------------------- names */

static const char *const kind_names[] = {"off", "work"};
static const char *const status_names[] = {"confirmed", "provisional", "uncertain"};
static const char *const origin_names[] = {"announced", "rule", "compensatory"};

struct occasion_info {
	const char *name;
	const char *vi, *en;           /* the statutory day */
	const char *comp_vi, *comp_en; /* its compensatory day */
	const char *law;               /* where the law names it */
};

static const struct occasion_info occasions[HOLIDAY_OCCASION_COUNT] = {
        {"new_year", "Tết Dương lịch (1/1)", "New Year's Day", "Nghỉ bù Tết Dương lịch",
         "Compensatory day off for New Year's Day", "Labour Code 2019 Art. 112(1)(a)"},
        {"tet", "Tết Nguyên đán", "Lunar New Year (Tết)", "Nghỉ bù Tết Nguyên đán",
         "Compensatory day off for Tết", "Labour Code 2019 Art. 112(1)(b)"},
        {"hung_kings", "Giỗ Tổ Hùng Vương (10/3 âm lịch)", "Hung Kings' Commemoration Day",
         "Nghỉ bù Giỗ Tổ Hùng Vương", "Compensatory day off for Hung Kings' Commemoration Day",
         "Labour Code 2019 Art. 112(1)(e)"},
        {"reunification_labour", "Ngày Chiến thắng (30/4)", "Reunification Day",
         "Nghỉ bù dịp 30/4 - 1/5", "Compensatory day off for 30 April / 1 May",
         "Labour Code 2019 Art. 112(1)(c),(d)"},
        {"national_day", "Quốc khánh (2/9)", "National Day", "Nghỉ bù Quốc khánh",
         "Compensatory day off for National Day", "Labour Code 2019 Art. 112(1)(đ)"},
        {"other", "Ngày nghỉ khác", "Other day off", "", "", ""},
};

const char *holidays_kind_name(enum holiday_kind kind)
{
	return (unsigned)kind < 2 ? kind_names[kind] : "?";
}

const char *holidays_occasion_name(enum holiday_occasion occasion)
{
	return (unsigned)occasion < HOLIDAY_OCCASION_COUNT ? occasions[occasion].name : "?";
}

const char *holidays_status_name(enum holiday_status status)
{
	return (unsigned)status < 3 ? status_names[status] : "?";
}

const char *holidays_origin_name(enum holiday_origin origin)
{
	return (unsigned)origin < 3 ? origin_names[origin] : "?";
}

int holidays_occasion_from_name(const char *name, enum holiday_occasion *out)
{
	for (int i = 0; i < HOLIDAY_OCCASION_COUNT; i++) {
		if (str_eq(name, occasions[i].name)) {
			*out = (enum holiday_occasion)i;
			return 0;
		}
	}
	return -1;
}

static bool is_weekend(int64_t day)
{
	int wd = vntime_weekday(day);
	return wd == 0 || wd == 6;
}

/* ------------------------------------------------------------ CSV parser */

#define NFIELDS 8

enum { F_DATE, F_KIND, F_OCCASION, F_YEAR, F_STATUS, F_NAME_VI, F_NAME_EN, F_SOURCE };

struct csv {
	const char *p, *end;
	int line; /* current physical line */
	struct err *e;
};

/*
 * Reads one field into out (NUL-terminated, at most HOLIDAYS_FIELD_MAX bytes)
 * and leaves p on the byte that ended it (',', '\r', '\n' or end). Returns 0
 * or an error code.
 */
static enum err_code csv_field(struct csv *c, char *out, size_t *outlen)
{
	size_t n = 0;
	bool quoted = c->p < c->end && *c->p == '"';
	if (quoted)
		c->p++;
	for (;;) {
		if (c->p >= c->end) {
			if (quoted)
				return err_set(c->e, ERR_INVALID_HOLIDAY_DATA,
				               "line %d: unterminated quoted field", c->line);
			break;
		}
		char ch = *c->p;
		if (ch == '\0')
			return err_set(c->e, ERR_INVALID_HOLIDAY_DATA, "line %d: NUL byte",
			               c->line);
		if (quoted) {
			if (ch == '"') {
				if (c->p + 1 < c->end && c->p[1] == '"') {
					c->p++; /* doubled quote: keep one */
				} else {
					c->p++;
					if (c->p < c->end && *c->p != ',' && *c->p != '\r' &&
					    *c->p != '\n')
						return err_set(
						        c->e, ERR_INVALID_HOLIDAY_DATA,
						        "line %d: text after a closing quote",
						        c->line);
					break;
				}
			} else if (ch == '\r' || ch == '\n') {
				return err_set(c->e, ERR_INVALID_HOLIDAY_DATA,
				               "line %d: line break inside a quoted field",
				               c->line);
			}
		} else {
			if (ch == ',' || ch == '\r' || ch == '\n')
				break;
			if (ch == '"')
				return err_set(c->e, ERR_INVALID_HOLIDAY_DATA,
				               "line %d: quote inside an unquoted field", c->line);
		}
		if (n >= HOLIDAYS_FIELD_MAX)
			return err_set(c->e, ERR_INVALID_HOLIDAY_DATA,
			               "line %d: field longer than %d bytes", c->line,
			               HOLIDAYS_FIELD_MAX);
		out[n++] = *c->p++;
	}
	out[n] = '\0';
	*outlen = n;
	return ERR_OK;
}

/*
 * Reads one record (up to NFIELDS fields; more is an error) and consumes its
 * line end. *nfields gets the count. Returns 0 or an error code.
 */
static enum err_code csv_record(struct csv *c, char fields[NFIELDS][HOLIDAYS_FIELD_MAX + 1],
                                int *nfields)
{
	int n = 0;
	for (;;) {
		if (n == NFIELDS)
			return err_set(c->e, ERR_INVALID_HOLIDAY_DATA,
			               "line %d: more than %d fields", c->line, NFIELDS);
		size_t len = 0;
		enum err_code rc = csv_field(c, fields[n], &len);
		if (rc)
			return rc;
		for (size_t i = 0; i < len; i++) {
			unsigned char ch = (unsigned char)fields[n][i];
			if (ch < 0x20 || ch == 0x7f)
				return err_set(c->e, ERR_INVALID_HOLIDAY_DATA,
				               "line %d: control character in field %d", c->line,
				               n + 1);
		}
		if (!str_valid_utf8(fields[n], HOLIDAYS_FIELD_MAX))
			return err_set(c->e, ERR_INVALID_HOLIDAY_DATA,
			               "line %d: field %d is not valid UTF-8", c->line, n + 1);
		n++;
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		break;
	}
	if (c->p < c->end) {
		if (*c->p == '\r') {
			if (c->p + 1 >= c->end || c->p[1] != '\n')
				return err_set(c->e, ERR_INVALID_HOLIDAY_DATA,
				               "line %d: carriage return without line feed",
				               c->line);
			c->p++;
		}
		c->p++; /* '\n' */
	}
	*nfields = n;
	return ERR_OK;
}

static enum err_code row_from_fields(char f[NFIELDS][HOLIDAYS_FIELD_MAX + 1], int line,
                                     struct holiday_row *r, struct err *e)
{
	memset(r, 0, sizeof(*r));
	r->line = line;
	if (vntime_parse_date(f[F_DATE], &r->date) < 0)
		return err_set(e, ERR_INVALID_HOLIDAY_DATA, "line %d: invalid date '%s'", line,
		               f[F_DATE]);
	if (str_eq(f[F_KIND], "off"))
		r->kind = HOLIDAY_OFF;
	else if (str_eq(f[F_KIND], "work"))
		r->kind = HOLIDAY_WORK;
	else
		return err_set(e, ERR_INVALID_HOLIDAY_DATA,
		               "line %d: invalid kind '%s' (off or work)", line, f[F_KIND]);
	if (holidays_occasion_from_name(f[F_OCCASION], &r->occasion) < 0)
		return err_set(e, ERR_INVALID_HOLIDAY_DATA,
		               "line %d: invalid occasion '%s' (new_year, tet, hung_kings, "
		               "reunification_labour, national_day or other)",
		               line, f[F_OCCASION]);
	struct vndate d = vntime_civil_from_days(r->date);
	int64_t y;
	if (str_parse_int64(f[F_YEAR], (int64_t)d.year - 1, (int64_t)d.year + 1, &y) < 0)
		return err_set(e, ERR_INVALID_HOLIDAY_DATA,
		               "line %d: invalid year '%s' (the occasion's year, %d +-1)", line,
		               f[F_YEAR], d.year);
	r->year = (int)y;
	if (str_eq(f[F_STATUS], "confirmed"))
		r->status = HOLIDAY_CONFIRMED;
	else if (str_eq(f[F_STATUS], "provisional"))
		r->status = HOLIDAY_PROVISIONAL;
	else if (str_eq(f[F_STATUS], "uncertain"))
		r->status = HOLIDAY_UNCERTAIN;
	else
		return err_set(e, ERR_INVALID_HOLIDAY_DATA,
		               "line %d: invalid status '%s' (confirmed, provisional or uncertain)",
		               line, f[F_STATUS]);
	static const char *const textcol[] = {"name_vi", "name_en", "source"};
	for (int i = 0; i < 3; i++) {
		if (f[F_NAME_VI + i][0] == '\0')
			return err_set(e, ERR_INVALID_HOLIDAY_DATA, "line %d: empty %s", line,
			               textcol[i]);
	}
	if (r->kind == HOLIDAY_OFF && is_weekend(r->date))
		return err_set(e, ERR_INVALID_HOLIDAY_DATA,
		               "line %d: off day '%s' falls on a weekend (list only weekdays off)",
		               line, f[F_DATE]);
	if (r->kind == HOLIDAY_WORK && !is_weekend(r->date))
		return err_set(e, ERR_INVALID_HOLIDAY_DATA,
		               "line %d: work day '%s' falls on a weekday (make-up days are "
		               "Saturdays or Sundays)",
		               line, f[F_DATE]);
	size_t l0 = strlen(f[F_NAME_VI]), l1 = strlen(f[F_NAME_EN]), l2 = strlen(f[F_SOURCE]);
	r->text = malloc(l0 + l1 + l2 + 3);
	if (!r->text)
		return err_set(e, ERR_NO_MEMORY, "out of memory reading line %d", line);
	memcpy(r->text, f[F_NAME_VI], l0 + 1);
	memcpy(r->text + l0 + 1, f[F_NAME_EN], l1 + 1);
	memcpy(r->text + l0 + l1 + 2, f[F_SOURCE], l2 + 1);
	r->name_vi = r->text;
	r->name_en = r->text + l0 + 1;
	r->source = r->text + l0 + l1 + 2;
	return ERR_OK;
}

static int row_cmp(const void *a, const void *b)
{
	const struct holiday_row *x = a, *y = b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

void holidays_table_release(struct holiday_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->count; i++)
		free(t->rows[i].text);
	free(t->rows);
	t->rows = NULL;
	t->count = 0;
}

enum err_code holidays_parse_csv(const char *text, size_t len, struct holiday_table *out,
                                 struct err *e)
{
	enum err_code rc = ERR_OK;
	struct holiday_table t = {NULL, 0};
	size_t cap = 0;
	char(*fields)[HOLIDAYS_FIELD_MAX + 1] = NULL;
	out->rows = NULL;
	out->count = 0;
	if (!text && len > 0)
		return err_set(e, ERR_INVALID_ARGUMENT, "no holiday text");
	if (len > HOLIDAYS_CSV_MAX_BYTES)
		return err_set(e, ERR_INVALID_HOLIDAY_DATA, "holiday data larger than %u bytes",
		               HOLIDAYS_CSV_MAX_BYTES);
	fields = malloc(sizeof(*fields) * NFIELDS);
	if (!fields)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	struct csv c = {text, text + len, 1, e};
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		c.p += 3;
	bool header = false;
	while (c.p < c.end) {
		int line = c.line, nf = 0;
		if (*c.p == '\n' || (*c.p == '\r' && c.p + 1 < c.end && c.p[1] == '\n')) {
			c.p += *c.p == '\r' ? 2 : 1; /* blank line */
			c.line++;
			continue;
		}
		rc = csv_record(&c, fields, &nf);
		if (rc)
			goto out;
		c.line++;
		if (!header) {
			/* Compare the header field by field. */
			static const char *const names[NFIELDS] = {"date",    "kind",   "occasion",
			                                           "year",    "status", "name_vi",
			                                           "name_en", "source"};
			bool same = nf == NFIELDS;
			for (int i = 0; same && i < NFIELDS; i++)
				same = str_eq(fields[i], names[i]);
			if (!same) {
				rc = err_set(e, ERR_INVALID_HOLIDAY_DATA,
				             "line %d: the header must be '%s'", line,
				             HOLIDAYS_CSV_HEADER);
				goto out;
			}
			header = true;
			continue;
		}
		if (nf != NFIELDS) {
			rc = err_set(e, ERR_INVALID_HOLIDAY_DATA,
			             "line %d: %d fields instead of %d", line, nf, NFIELDS);
			goto out;
		}
		if (t.count >= HOLIDAYS_CSV_MAX_ROWS) {
			rc = err_set(e, ERR_INVALID_HOLIDAY_DATA, "line %d: more than %d rows",
			             line, HOLIDAYS_CSV_MAX_ROWS);
			goto out;
		}
		if (t.count == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct holiday_row *nr = realloc(t.rows, ncap * sizeof(*nr));
			if (!nr) {
				rc = err_set(e, ERR_NO_MEMORY, "out of memory");
				goto out;
			}
			t.rows = nr;
			cap = ncap;
		}
		rc = row_from_fields(fields, line, &t.rows[t.count], e);
		if (rc)
			goto out;
		t.count++;
	}
	if (!header) {
		rc = err_set(e, ERR_INVALID_HOLIDAY_DATA, "line 1: the header must be '%s'",
		             HOLIDAYS_CSV_HEADER);
		goto out;
	}
	if (t.count > 1)
		qsort(t.rows, t.count, sizeof(*t.rows), row_cmp);
	for (size_t i = 1; i < t.count; i++) {
		if (t.rows[i].date == t.rows[i - 1].date) {
			char d[VNTIME_DATE_LEN];
			vntime_format_date(t.rows[i].date, d);
			rc = err_set(e, ERR_INVALID_HOLIDAY_DATA,
			             "line %d: date '%s' already given on line %d", t.rows[i].line,
			             d, t.rows[i - 1].line);
			goto out;
		}
	}
	*out = t;
	t.rows = NULL;
	t.count = 0;
out:
	free(fields);
	holidays_table_release(&t);
	return rc;
}

/* Appends one field, quoted when it holds a comma or a quote. */
static int put_field(struct buf *out, const char *s, bool last)
{
	int rc = 0;
	if (strpbrk(s, ",\"")) {
		rc |= buf_putc(out, '"');
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				rc |= buf_putc(out, '"');
			rc |= buf_putc(out, *p);
		}
		rc |= buf_putc(out, '"');
	} else {
		rc |= buf_puts(out, s);
	}
	rc |= buf_putc(out, last ? '\n' : ',');
	return rc ? -1 : 0;
}

int holidays_write_csv(const struct holiday_table *t, struct buf *out)
{
	if (buf_puts(out, HOLIDAYS_CSV_HEADER "\n") < 0)
		return -1;
	for (size_t i = 0; i < t->count; i++) {
		const struct holiday_row *r = &t->rows[i];
		char d[VNTIME_DATE_LEN];
		vntime_format_date(r->date, d);
		if (buf_printf(out, "%s,%s,%s,%d,%s,", d, holidays_kind_name(r->kind),
		               holidays_occasion_name(r->occasion), r->year,
		               holidays_status_name(r->status)) < 0 ||
		    put_field(out, r->name_vi, false) < 0 ||
		    put_field(out, r->name_en, false) < 0 || put_field(out, r->source, true) < 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ rules */

/* One day named by a rule. */
struct rule_day {
	int64_t date;
	const char *vi, *en, *source;
};

#define RULE_MAX_DAYS 6

static const char *const src_old =
        "Labour Code in force that year (2012 Art. 115 / 1994 Art. 73), rule-derived; see "
        "docs/calendar.md";

static const char *const src_tet =
        "Labour Code 2019 Art. 112(1)(b): 5 days, fixed by the Prime Minister (Art. 112(3)); "
        "provisional motcua pattern: last day of the lunar year + days 1-4 (lunar calendar "
        "UTC+7)";

static const char *const src_tet_old =
        "Labour Code in force that year (2012 Art. 115: 5 days from 2014; 1994 Art. 73: 4 "
        "days before); provisional motcua pattern: last day of the lunar year + following days";

static const char *const src_national =
        "Labour Code 2019 Art. 112(1)(đ): 2/9 and one adjacent day fixed by the Prime Minister "
        "(Art. 112(3)); provisional motcua choice of the adjacent day by weekday";

static const char *const src_comp =
        "Labour Code 2019 Art. 111(3): a holiday on a weekly rest day gives a day off on the "
        "next working day; rule-derived";

static const char *const tet_vi[] = {"Tết Nguyên đán - ngày cuối năm âm lịch",
                                     "Tết Nguyên đán - mùng 1", "Tết Nguyên đán - mùng 2",
                                     "Tết Nguyên đán - mùng 3", "Tết Nguyên đán - mùng 4"};
static const char *const tet_en[] = {"Lunar New Year (Tết): last day of the lunar year",
                                     "Lunar New Year (Tết): day 1", "Lunar New Year (Tết): day 2",
                                     "Lunar New Year (Tết): day 3", "Lunar New Year (Tết): day 4"};

/* The law by year (see the file comment; years before 2021 are from the older codes). */
static int tet_length(int year)
{
	return year >= 2014 ? 5 : 4; /* LC 2012 in force 1/5/2013: first 5-day Tết in 2014 */
}

static bool has_hung_kings(int year)
{
	return year >= 2007; /* added to LC 1994 Art. 73 by the 2007 amendment */
}

static bool has_national_adjacent(int year)
{
	return year >= 2021; /* LC 2019 Art. 112(1)(đ) */
}

static enum err_code lunar_day(int year, int month, int day, int64_t *out, struct err *e)
{
	struct lunar_date ld = {day, month, year, false};
	return lunar_to_solar(&ld, out, e);
}

/*
 * The days a rule names for an occasion and year (weekends included, no
 * compensatory days). anchors_only: only the statutory dates fixed by the law
 * itself (1/1, day 1 of Tết, 10/3 lunar, 30/4, 1/5, 2/9), as used to list and
 * check announced years.
 */
static enum err_code rule_days(enum holiday_occasion o, int y, bool anchors_only,
                               struct rule_day out[RULE_MAX_DAYS], int *n, struct err *e)
{
	const struct occasion_info *oi = &occasions[o];
	const char *src = y >= 2021 ? oi->law : src_old;
	enum err_code rc;
	int64_t d;
	*n = 0;
	switch (o) {
	case HOLIDAY_NEW_YEAR:
		out[(*n)++] =
		        (struct rule_day){vntime_days_from_civil(y, 1, 1), oi->vi, oi->en, src};
		break;
	case HOLIDAY_TET:
		if ((rc = lunar_day(y, 1, 1, &d, e)))
			return rc;
		if (anchors_only) {
			out[(*n)++] = (struct rule_day){d, tet_vi[1], tet_en[1], oi->law};
			break;
		}
		for (int i = 0; i < tet_length(y); i++)
			out[(*n)++] = (struct rule_day){d - 1 + i, tet_vi[i], tet_en[i],
			                                y >= 2021 ? src_tet : src_tet_old};
		break;
	case HOLIDAY_HUNG_KINGS:
		if (!has_hung_kings(y))
			break;
		if ((rc = lunar_day(y, 3, 10, &d, e)))
			return rc;
		out[(*n)++] = (struct rule_day){d, oi->vi, oi->en, src};
		break;
	case HOLIDAY_REUNIFICATION_LABOUR:
		out[(*n)++] =
		        (struct rule_day){vntime_days_from_civil(y, 4, 30), oi->vi, oi->en, src};
		out[(*n)++] = (struct rule_day){vntime_days_from_civil(y, 5, 1),
		                                "Ngày Quốc tế Lao động (1/5)",
		                                "International Labour Day", src};
		break;
	case HOLIDAY_NATIONAL_DAY: {
		int64_t sep2 = vntime_days_from_civil(y, 9, 2);
		out[(*n)++] = (struct rule_day){sep2, oi->vi, oi->en, src};
		if (anchors_only || !has_national_adjacent(y))
			break;
		/*
		 * The adjacent day, by the weekday of 2/9 (0 = Sunday): the one
		 * that joins a weekend, else the day before (as in 2025 and 2026).
		 * Mon -> 3/9 (2024), Tue -> 1/9 (2025), Wed -> 1/9 (2026),
		 * Thu -> 3/9, Fri -> 1/9, Sat -> 1/9, Sun -> 3/9.
		 */
		static const int after[7] = {1, 1, 0, 0, 1, 0, 0};
		int64_t adj = after[vntime_weekday(sep2)] ? sep2 + 1 : sep2 - 1;
		out[(*n)++] = (struct rule_day){adj, "Quốc khánh - ngày liền kề",
		                                "National Day (adjacent day)", src_national};
		break;
	}
	default:
		break;
	}
	return ERR_OK;
}

/* ---------------------------------------------------------------- resolve */

/* Work space of holidays_resolve: one slot per day of the range (+ margin). */
struct resolver {
	int64_t first_day; /* 1 January of first_year */
	int64_t ndays;     /* days in slot */
	int32_t *slot;     /* index into entries + 1; 0 = free */
	struct holiday_entry *entries;
	size_t count, cap;
	struct err *e;
};

#define RESOLVE_MARGIN 62 /* days after 31 December kept for compensatory days */

static enum err_code put_entry(struct resolver *r, const struct holiday_entry *h, bool *placed)
{
	int64_t i = h->date - r->first_day;
	*placed = false;
	if (i < 0 || i >= r->ndays || r->slot[i])
		return ERR_OK;
	if (r->count == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 256;
		struct holiday_entry *ne = realloc(r->entries, ncap * sizeof(*ne));
		if (!ne)
			return err_set(r->e, ERR_NO_MEMORY, "out of memory");
		r->entries = ne;
		r->cap = ncap;
	}
	r->entries[r->count++] = *h;
	r->slot[i] = (int32_t)r->count;
	*placed = true;
	return ERR_OK;
}

static const struct holiday_entry *slot_entry(const struct resolver *r, int64_t day)
{
	int64_t i = day - r->first_day;
	if (i < 0 || i >= r->ndays || !r->slot[i])
		return NULL;
	return &r->entries[r->slot[i] - 1];
}

/* True when an announced row of occasion o and year y is included. */
static bool announced(const unsigned char *has, int first_year, int year, enum holiday_occasion o)
{
	return has[(size_t)(year - first_year) * HOLIDAY_OCCASION_COUNT + o] != 0;
}

static int64_t cmp64(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

static int day_cmp(const void *a, const void *b)
{
	return (int)cmp64(*(const int64_t *)a, *(const int64_t *)b);
}

static int entry_cmp(const void *a, const void *b)
{
	const struct holiday_entry *x = a, *y = b;
	return (int)cmp64(x->date, y->date);
}

enum err_code holidays_resolve(const struct holiday_table *t, int first_year, int last_year,
                               bool include_uncertain, struct holiday_set *out, struct err *e)
{
	enum err_code rc = ERR_OK;
	struct resolver r = {0};
	unsigned char *has = NULL;
	int64_t *weekend_days = NULL; /* rule days on a weekend: owe a compensatory day */
	size_t nweekend = 0, capweekend = 0;
	out->first_year = first_year;
	out->last_year = last_year;
	out->entries = NULL;
	out->count = 0;
	if (first_year < HOLIDAYS_MIN_YEAR || last_year > HOLIDAYS_MAX_YEAR ||
	    first_year > last_year)
		return err_set(e, ERR_OUT_OF_RANGE, "year range '%d..%d' outside %d..%d",
		               first_year, last_year, HOLIDAYS_MIN_YEAR, HOLIDAYS_MAX_YEAR);
	int nyears = last_year - first_year + 1;
	r.e = e;
	r.first_day = vntime_days_from_civil(first_year, 1, 1);
	int64_t end_day = vntime_days_from_civil(last_year + 1, 1, 1); /* exclusive */
	r.ndays = end_day - r.first_day + RESOLVE_MARGIN;
	r.slot = calloc((size_t)r.ndays, sizeof(*r.slot));
	has = calloc((size_t)nyears * HOLIDAY_OCCASION_COUNT, 1);
	if (!r.slot || !has) {
		rc = err_set(e, ERR_NO_MEMORY, "out of memory");
		goto out;
	}

	/* 1. Announced rows: they win every date they name. */
	for (size_t i = 0; t && i < t->count; i++) {
		const struct holiday_row *row = &t->rows[i];
		if (row->status == HOLIDAY_UNCERTAIN && !include_uncertain)
			continue;
		if (row->year >= first_year && row->year <= last_year)
			has[(size_t)(row->year - first_year) * HOLIDAY_OCCASION_COUNT +
			    row->occasion] = 1;
		struct holiday_entry h = {
		        row->date,         row->kind, row->occasion, row->year,    row->status,
		        HOLIDAY_ANNOUNCED, false,     row->name_vi,  row->name_en, row->source};
		bool placed;
		if ((rc = put_entry(&r, &h, &placed)))
			goto out;
	}

	/* 2. Rules, for the occasions and years not announced. */
	for (int y = first_year; y <= last_year; y++) {
		for (int o = 0; o < HOLIDAY_OTHER; o++) {
			enum holiday_occasion occ = (enum holiday_occasion)o;
			bool ann = announced(has, first_year, y, occ);
			struct rule_day days[RULE_MAX_DAYS];
			int n;
			if ((rc = rule_days(occ, y, ann, days, &n, e)))
				goto out;
			for (int k = 0; k < n; k++) {
				bool we = is_weekend(days[k].date);
				if (ann && !we) {
					/* An announcement must keep the days the law fixes. */
					const struct holiday_entry *h =
					        slot_entry(&r, days[k].date);
					if (!h || h->kind != HOLIDAY_OFF || h->occasion != occ) {
						char d[VNTIME_DATE_LEN];
						vntime_format_date(days[k].date, d);
						int line = 0;
						for (size_t i = 0; t && i < t->count; i++) {
							if (t->rows[i].occasion == occ &&
							    t->rows[i].year == y) {
								line = t->rows[i].line;
								break;
							}
						}
						rc = err_set(e, ERR_INVALID_HOLIDAY_DATA,
						             "line %d: the announcement for %s %d "
						             "lacks its statutory day off '%s'",
						             line, occasions[occ].name, y, d);
						goto out;
					}
					continue;
				}
				struct holiday_entry h = {
				        days[k].date,
				        HOLIDAY_OFF,
				        occ,
				        y,
				        ann ? HOLIDAY_CONFIRMED : HOLIDAY_PROVISIONAL,
				        HOLIDAY_RULE,
				        we,
				        days[k].vi,
				        days[k].en,
				        days[k].source};
				bool placed;
				if ((rc = put_entry(&r, &h, &placed)))
					goto out;
				if (placed && we && !ann) {
					if (nweekend == capweekend) {
						size_t nc = capweekend ? capweekend * 2 : 64;
						int64_t *nw =
						        realloc(weekend_days, nc * sizeof(*nw));
						if (!nw) {
							rc = err_set(e, ERR_NO_MEMORY,
							             "out of memory");
							goto out;
						}
						weekend_days = nw;
						capweekend = nc;
					}
					weekend_days[nweekend++] = days[k].date;
				}
			}
		}
	}

	/*
	 * 3. Compensatory days (Art. 111(3)), in date order: for each
	 * rule-derived holiday on a weekend, the next working day that is not
	 * already off.
	 */
	if (nweekend > 1)
		qsort(weekend_days, nweekend, sizeof(*weekend_days), day_cmp);
	for (size_t i = 0; i < nweekend; i++) {
		const struct holiday_entry *src = slot_entry(&r, weekend_days[i]);
		for (int64_t d = weekend_days[i] + 1; d - r.first_day < r.ndays; d++) {
			/* An ordinary weekday: not a weekend, not already off (a make-up
			 * day is a weekend day and cannot take a day off either). */
			if (is_weekend(d) || slot_entry(&r, d))
				continue;
			const struct occasion_info *oi = &occasions[src->occasion];
			struct holiday_entry c = {
			        d,         HOLIDAY_OFF,         src->occasion,
			        src->year, HOLIDAY_PROVISIONAL, HOLIDAY_COMPENSATORY,
			        false,     oi->comp_vi,         oi->comp_en,
			        src_comp};
			bool placed;
			if ((rc = put_entry(&r, &c, &placed)))
				goto out;
			break;
		}
	}

	/* 4. Keep the entries of the range, in date order. */
	size_t n = 0;
	for (size_t i = 0; i < r.count; i++) {
		if (r.entries[i].date >= r.first_day && r.entries[i].date < end_day)
			r.entries[n++] = r.entries[i];
	}
	if (n > 1)
		qsort(r.entries, n, sizeof(*r.entries), entry_cmp);
	out->entries = r.entries;
	out->count = n;
	r.entries = NULL;
out:
	free(r.slot);
	free(r.entries);
	free(has);
	free(weekend_days);
	return rc;
}

void holidays_set_release(struct holiday_set *s)
{
	if (!s)
		return;
	free(s->entries);
	s->entries = NULL;
	s->count = 0;
}

size_t holidays_set_lower_bound(const struct holiday_set *s, int64_t date)
{
	size_t lo = 0, hi = s->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->entries[mid].date < date)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct holiday_entry *holidays_set_find(const struct holiday_set *s, int64_t date)
{
	size_t i = holidays_set_lower_bound(s, date);
	return i < s->count && s->entries[i].date == date ? &s->entries[i] : NULL;
}
