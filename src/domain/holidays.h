/*
 * holidays: the days off and make-up working days of Vietnam's civil service.
 *
 * Two sources are merged into one list per day:
 *   - the law (Labour Code 2019 Art. 112(1)): 1/1, Tết (5 days), Hùng Kings
 *     (10/3 lunar), 30/4, 1/5, 2/9 plus one adjacent day; a holiday on a
 *     Saturday or Sunday gives a compensatory day off on the next working day
 *     (Art. 111(3)); the Prime Minister fixes the actual Tết and 2/9 days each
 *     year (Art. 112(3));
 *   - the announced schedules, kept as data (data/holidays.csv): weekdays
 *     `off` and weekend days of `work`, each keyed to its occasion and year,
 *     with a status and a source.
 * An announcement replaces the rule for its occasion and year. Days that come
 * only from the rule (no announcement yet) are marked provisional. The rule's
 * choices where the law leaves them to the Prime Minister are documented in
 * docs/calendar.md (Tết: the last day of the lunar year and days 1-4 of the new
 * one; 2/9: a fixed choice of adjacent day by weekday).
 *
 * Everything here is pure: the CSV parser takes text; nothing reads files.
 */
#ifndef MOTCUA_DOMAIN_HOLIDAYS_H
#define MOTCUA_DOMAIN_HOLIDAYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"

/*
 * Years for which the rules can be resolved: the Labour Code of 1994 came into
 * force on 1/1/1995; the upper bound leaves one year of the lunar calendar
 * (lunar.h) as a margin.
 */
#define HOLIDAYS_MIN_YEAR 1995
#define HOLIDAYS_MAX_YEAR 2198

/* Limits of the CSV parser. */
#define HOLIDAYS_CSV_MAX_BYTES (4u << 20) /* whole text */
#define HOLIDAYS_CSV_MAX_ROWS  20000      /* data rows, header excluded */
#define HOLIDAYS_FIELD_MAX     2048       /* bytes of one field */

/* The exact header line of the CSV. */
#define HOLIDAYS_CSV_HEADER "date,kind,occasion,year,status,name_vi,name_en,source"

enum holiday_kind {
	HOLIDAY_OFF = 0, /* a day off (on a weekday, unless the entry is marked weekend) */
	HOLIDAY_WORK = 1 /* a make-up working day on a Saturday or Sunday */
};

/* The occasion an entry belongs to; the CSV column uses the names in brackets. */
enum holiday_occasion {
	HOLIDAY_NEW_YEAR = 0,             /* [new_year] 1/1 */
	HOLIDAY_TET = 1,                  /* [tet] Lunar New Year */
	HOLIDAY_HUNG_KINGS = 2,           /* [hung_kings] 10/3 lunar */
	HOLIDAY_REUNIFICATION_LABOUR = 3, /* [reunification_labour] 30/4 and 1/5 */
	HOLIDAY_NATIONAL_DAY = 4,         /* [national_day] 2/9 and the adjacent day */
	HOLIDAY_OTHER = 5,                /* [other] anything else announced (no rule) */
	HOLIDAY_OCCASION_COUNT = 6
};

enum holiday_status {
	HOLIDAY_CONFIRMED = 0,   /* announced (or fixed by the law) */
	HOLIDAY_PROVISIONAL = 1, /* derived from the rule, or a row marked provisional */
	HOLIDAY_UNCERTAIN = 2    /* a row marked uncertain, applied only when asked to */
};

enum holiday_origin {
	HOLIDAY_ANNOUNCED = 0,   /* a row of the data */
	HOLIDAY_RULE = 1,        /* a day the law names (or the provisional pattern) */
	HOLIDAY_COMPENSATORY = 2 /* a rule-derived compensatory day (Art. 111(3)) */
};

/* One parsed CSV row. */
struct holiday_row {
	int64_t date; /* days since 1970-01-01 (vntime.h) */
	enum holiday_kind kind;
	enum holiday_occasion occasion;
	int year; /* the occasion's year (Tết: the lunar year); date's year +-1 */
	enum holiday_status status;
	const char *name_vi; /* these three point into text, owned by the row */
	const char *name_en;
	const char *source;
	int line; /* line of the CSV where the row starts (1 = header) */
	char *text;
};

/* The rows of a CSV, sorted by date, one row per date at most. */
struct holiday_table {
	struct holiday_row *rows;
	size_t count;
};

/* One day of the resolved calendar. */
struct holiday_entry {
	int64_t date;
	enum holiday_kind kind;
	enum holiday_occasion occasion;
	int year; /* the occasion's year */
	enum holiday_status status;
	enum holiday_origin origin;
	/*
	 * True for a holiday that falls on a Saturday or Sunday: listed for
	 * information, it changes nothing in the working calendar (its
	 * compensatory day, if any, is an entry of its own).
	 */
	bool weekend;
	const char *name_vi; /* borrowed from the table or static strings */
	const char *name_en;
	const char *source;
};

/* The resolved days of first_year..last_year, sorted by date, one per date. */
struct holiday_set {
	int first_year;
	int last_year;
	struct holiday_entry *entries;
	size_t count;
};

/*
 * Parses the CSV text (len bytes, need not be NUL-terminated): the header
 * HOLIDAYS_CSV_HEADER, then one row per line. Accepts a UTF-8 byte-order
 * mark, CRLF or LF line ends, blank lines, and RFC 4180 quoted fields (commas
 * and doubled quotes inside quotes; no line break inside a field). Rejects,
 * with ERR_INVALID_HOLIDAY_DATA and a detail naming the line: a wrong header
 * or number of fields, a bad date, kind, occasion, year or status, an empty
 * name or source, text that is not UTF-8 or has control characters, an `off`
 * day on a weekend, a `work` day on a weekday, and two rows for one date.
 * On success *out owns its rows (release with holidays_table_release); on
 * failure *out is empty.
 */
enum err_code holidays_parse_csv(const char *text, size_t len, struct holiday_table *out,
                                 struct err *e);

/* Frees the rows; the table is empty afterwards. */
void holidays_table_release(struct holiday_table *t);

/*
 * Writes the table as CSV (header, then rows in order, LF line ends), quoting
 * fields that contain a comma or a quote. Returns 0, or -1 when out is full.
 * Parsing the result gives the same table.
 */
int holidays_write_csv(const struct holiday_table *t, struct buf *out);

/*
 * Resolves the days of first_year..last_year (within HOLIDAYS_MIN_YEAR..
 * HOLIDAYS_MAX_YEAR) from the table (may be NULL: rules only). Rows whose
 * status is uncertain are skipped unless include_uncertain. For each occasion
 * and year, the rows of that occasion and year replace the rule; the weekday
 * statutory days of an announced occasion must be among its rows, else
 * ERR_INVALID_HOLIDAY_DATA (naming the line). Weekend statutory days of an
 * announced occasion are listed with weekend = true. The set borrows strings
 * from the table, which must outlive it. Returns ERR_OK, ERR_OUT_OF_RANGE,
 * ERR_INVALID_HOLIDAY_DATA, ERR_NO_MEMORY or an error of the lunar calendar.
 */
enum err_code holidays_resolve(const struct holiday_table *t, int first_year, int last_year,
                               bool include_uncertain, struct holiday_set *out, struct err *e);

/* Frees the entries; the set is empty afterwards. */
void holidays_set_release(struct holiday_set *s);

/* The entry of a date, or NULL. O(log n). */
const struct holiday_entry *holidays_set_find(const struct holiday_set *s, int64_t date);

/* Index of the first entry whose date is >= date (count when none). O(log n). */
size_t holidays_set_lower_bound(const struct holiday_set *s, int64_t date);

/* Names used in the CSV and in JSON: "off"/"work", "new_year", ..., "confirmed", ... */
const char *holidays_kind_name(enum holiday_kind kind);
const char *holidays_occasion_name(enum holiday_occasion occasion);
const char *holidays_status_name(enum holiday_status status);
const char *holidays_origin_name(enum holiday_origin origin); /* announced, rule, compensatory */

/* Looks an occasion name up. Returns 0, or -1 when unknown. */
int holidays_occasion_from_name(const char *name, enum holiday_occasion *out);

#endif
