/*
 * Unit tests for domain/holidays: the CSV parser, the statutory rules and
 * their merge with announced schedules.
 *
 * Sources of the expected values:
 *   [LC]   Labour Code 2019 (45/2019/QH14) Art. 112(1) (the holidays), 112(3)
 *          (the Prime Minister fixes Tết and 2/9), 111(3) (a holiday on a
 *          weekly rest day gives a day off on the next working day).
 *   [DATA] data/holidays.csv, each row with its source: e.g. Tết 2025 27-31/1
 *          (VietnamNews 1687874), 30/4-1/5/2025 swap Fri 2/5 <-> Sat 26/4
 *          (VietnamNews 1693234), Tết 2026 16-20/2 and 2/9/2026 swap Mon 31/8
 *          <-> Sat 22/8 (VietnamNews 1727514, Ministry of Home Affairs), New
 *          Year 2026 swap Fri 2/1 <-> Sat 10/1 (VietnamNews 1732658), Hùng Kings
 *          2026 on Sun 26/4 -> Mon 27/4 off (Thanh Niên, 13/1/2026).
 *   [LUNAR] Tết (1/1 lunar) fell on 10/2/2024, 29/1/2025, 17/2/2026 and falls
 *          on 6/2/2027 (published Vietnamese calendars).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/holidays.h"
#include "embedded_data.h"

static int64_t D(int y, int m, int d)
{
	return vntime_days_from_civil(y, m, d);
}

static const char *const HDR = HOLIDAYS_CSV_HEADER "\n";

/* Parses a NUL-terminated text. */
static enum err_code parse(const char *text, struct holiday_table *t, struct err *e)
{
	return holidays_parse_csv(text, strlen(text), t, e);
}

static void load_embedded(struct holiday_table *t)
{
	struct err e = {ERR_OK, ""};
	enum err_code rc = holidays_parse_csv((const char *)embedded_holidays_csv,
	                                      embedded_holidays_csv_len, t, &e);
	if (rc)
		fail_msg("embedded data: %s", e.detail);
}

static void test_parse_embedded(void **state)
{
	(void)state;
	struct holiday_table t;
	load_embedded(&t);
	assert_true(t.count >= 40);
	for (size_t i = 1; i < t.count; i++)
		assert_true(t.rows[i - 1].date < t.rows[i].date);
	/* [DATA] Saturday 26/4/2025 was a make-up working day for Friday 2/5/2025. */
	const struct holiday_row *r = NULL;
	for (size_t i = 0; i < t.count; i++)
		if (t.rows[i].date == D(2025, 4, 26))
			r = &t.rows[i];
	assert_non_null(r);
	assert_int_equal(r->kind, HOLIDAY_WORK);
	assert_int_equal(r->occasion, HOLIDAY_REUNIFICATION_LABOUR);
	assert_int_equal(r->year, 2025);
	assert_int_equal(r->status, HOLIDAY_CONFIRMED);
	assert_non_null(strstr(r->source, "vietnamnews.vn"));
	assert_true(r->line > 1);
	/* Every row keeps a source. */
	for (size_t i = 0; i < t.count; i++)
		assert_true(strlen(t.rows[i].source) > 10);
	holidays_table_release(&t);
	assert_int_equal(t.count, 0);
}

static void test_parse_quoting(void **state)
{
	(void)state;
	/* BOM, CRLF, a blank line, quoted commas, doubled quotes and UTF-8. */
	const char *text = "\xEF\xBB\xBF" HOLIDAYS_CSV_HEADER "\r\n"
	                   "\r\n"
	                   "2025-04-26,work,reunification_labour,2025,confirmed,"
	                   "\"Làm bù, thứ Bảy\",\"Make-up \"\"Saturday\"\"\",\"a, b\"\r\n"
	                   "2025-05-02,off,reunification_labour,2025,confirmed,Nghỉ,Off,src\n"
	                   "\n";
	struct holiday_table t;
	struct err e = {ERR_OK, ""};
	assert_int_equal(parse(text, &t, &e), ERR_OK);
	assert_int_equal(t.count, 2);
	assert_string_equal(t.rows[0].name_vi, "Làm bù, thứ Bảy");
	assert_string_equal(t.rows[0].name_en, "Make-up \"Saturday\"");
	assert_string_equal(t.rows[0].source, "a, b");
	assert_int_equal(t.rows[0].line, 3);
	assert_int_equal(t.rows[1].line, 4);
	assert_string_equal(t.rows[1].source, "src");
	holidays_table_release(&t);

	/* A header alone is an empty table; the last line may lack its LF. */
	assert_int_equal(parse(HOLIDAYS_CSV_HEADER, &t, &e), ERR_OK);
	assert_int_equal(t.count, 0);
	holidays_table_release(&t);
	char buf[512];
	snprintf(buf, sizeof buf, "%s2025-05-02,off,other,2025,provisional,\"\",x,y", HDR);
	assert_int_equal(parse(buf, &t, &e), ERR_INVALID_HOLIDAY_DATA); /* empty name_vi */
	snprintf(buf, sizeof buf, "%s2025-05-02,off,other,2025,provisional,a,x,y", HDR);
	assert_int_equal(parse(buf, &t, &e), ERR_OK);
	assert_int_equal(t.rows[0].status, HOLIDAY_PROVISIONAL);
	assert_int_equal(t.rows[0].occasion, HOLIDAY_OTHER);
	holidays_table_release(&t);
}

struct bad_case {
	const char *text;   /* after the header (NULL: the whole text is given in body) */
	const char *expect; /* part of the detail */
};

static void test_parse_errors(void **state)
{
	(void)state;
	static const struct bad_case cases[] = {
	        {"2025-02-30,off,other,2025,confirmed,a,b,c\n",
	         "line 2: invalid date '2025-02-30'"},
	        {"2025-05-02,of,other,2025,confirmed,a,b,c\n", "line 2: invalid kind 'of'"},
	        {"2025-05-02,off,xmas,2025,confirmed,a,b,c\n", "line 2: invalid occasion 'xmas'"},
	        {"2025-05-02,off,other,2027,confirmed,a,b,c\n", "line 2: invalid year '2027'"},
	        {"2025-05-02,off,other,,confirmed,a,b,c\n", "line 2: invalid year ''"},
	        {"2025-05-02,off,other,2025,sure,a,b,c\n", "line 2: invalid status 'sure'"},
	        {"2025-05-02,off,other,2025,confirmed,a,b,\n", "line 2: empty source"},
	        {"2025-05-02,off,other,2025,confirmed,a,,c\n", "line 2: empty name_en"},
	        {"2025-05-02,off,other,2025,confirmed,a,b\n", "line 2: 7 fields instead of 8"},
	        {"2025-05-02,off,other,2025,confirmed,a,b,c,d\n", "line 2: more than 8 fields"},
	        /* A weekend day cannot be a day off, nor a weekday a make-up day. */
	        {"2025-04-26,off,other,2025,confirmed,a,b,c\n",
	         "line 2: off day '2025-04-26' falls on a weekend"},
	        {"2025-04-28,work,other,2025,confirmed,a,b,c\n",
	         "line 2: work day '2025-04-28' falls on a weekday"},
	        {"2025-05-02,off,other,2025,confirmed,a,b,c\n\n2025-05-02,off,other,2025,confirmed,"
	         "a,b,c\n",
	         "line 4: date '2025-05-02' already given on line 2"},
	        {"2025-05-02,off,other,2025,confirmed,\"a,b,c\n",
	         "line 2: line break inside a quoted field"},
	        {"2025-05-02,off,other,2025,confirmed,\"a,b,c",
	         "line 2: unterminated quoted field"},
	        {"2025-05-02,off,other,2025,confirmed,\"a\"x,b,c\n",
	         "line 2: text after a closing quote"},
	        {"2025-05-02,off,other,2025,confirmed,a\"b,b,c\n",
	         "line 2: quote inside an unquoted field"},
	        {"2025-05-02,off,other,2025,confirmed,\xC3\x28,b,c\n",
	         "line 2: field 6 is not valid UTF-8"},
	        {"2025-05-02,off,other,2025,confirmed,a\tb,b,c\n",
	         "line 2: control character in field 6"},
	        {"2025-05-02,off,other,2025,confirmed,a,b,c\rx\n",
	         "line 2: carriage return without line feed"},
	        {"x\n2025-05-02,off,other,2025,confirmed,a,b,c\n", "line 2: 1 fields instead of 8"},
	        {" 2025-05-02,off,other,2025,confirmed,a,b,c\n",
	         "line 2: invalid date ' 2025-05-02'"},
	};
	char buf[1024];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(buf, sizeof buf, "%s%s", HDR, cases[i].text);
		struct holiday_table t = {(void *)1, 99};
		struct err e = {ERR_OK, ""};
		enum err_code rc = parse(buf, &t, &e);
		if (rc != ERR_INVALID_HOLIDAY_DATA || !strstr(e.detail, cases[i].expect))
			fail_msg("case %zu: rc %d detail '%s', expected '%s'", i, rc, e.detail,
			         cases[i].expect);
		assert_null(t.rows);
		assert_int_equal(t.count, 0);
	}

	/* Whole-text failures: no header, a wrong header, a NUL byte. */
	struct holiday_table t;
	struct err e = {ERR_OK, ""};
	assert_int_equal(parse("", &t, &e), ERR_INVALID_HOLIDAY_DATA);
	assert_non_null(strstr(e.detail, "line 1: the header must be"));
	assert_int_equal(parse("\xEF\xBB\xBF", &t, &e), ERR_INVALID_HOLIDAY_DATA);
	assert_int_equal(parse("date,kind,status,name_vi,name_en,source\n", &t, &e),
	                 ERR_INVALID_HOLIDAY_DATA);
	assert_non_null(strstr(e.detail, "line 1: the header must be"));
	const char nul[] = "date,kind,occasion,year,status,name_vi,name_en,source\n2025\0";
	assert_int_equal(holidays_parse_csv(nul, sizeof nul - 1, &t, &e), ERR_INVALID_HOLIDAY_DATA);
	assert_non_null(strstr(e.detail, "line 2: NUL byte"));
	/* A field over the limit. */
	static char big[HOLIDAYS_FIELD_MAX + 200];
	int n = snprintf(big, sizeof big, "%s2025-05-02,off,other,2025,confirmed,", HDR);
	memset(big + n, 'a', HOLIDAYS_FIELD_MAX + 1);
	memcpy(big + n + HOLIDAYS_FIELD_MAX + 1, ",b,c\n", 6);
	assert_int_equal(parse(big, &t, &e), ERR_INVALID_HOLIDAY_DATA);
	assert_non_null(strstr(e.detail, "line 2: field longer than"));
	/* Exactly at the limit is fine. */
	memcpy(big + n + HOLIDAYS_FIELD_MAX, ",b,c\n", 6);
	assert_int_equal(parse(big, &t, &e), ERR_OK);
	assert_int_equal(strlen(t.rows[0].name_vi), HOLIDAYS_FIELD_MAX);
	holidays_table_release(&t);
}

static void test_write_round_trip(void **state)
{
	(void)state;
	struct holiday_table t, u;
	struct err e = {ERR_OK, ""};
	load_embedded(&t);
	struct buf b = BUF_INIT(HOLIDAYS_CSV_MAX_BYTES);
	assert_int_equal(holidays_write_csv(&t, &b), 0);
	assert_int_equal(parse(buf_str(&b), &u, &e), ERR_OK);
	assert_int_equal(u.count, t.count);
	for (size_t i = 0; i < t.count; i++) {
		assert_int_equal(u.rows[i].date, t.rows[i].date);
		assert_int_equal(u.rows[i].kind, t.rows[i].kind);
		assert_int_equal(u.rows[i].occasion, t.rows[i].occasion);
		assert_int_equal(u.rows[i].year, t.rows[i].year);
		assert_int_equal(u.rows[i].status, t.rows[i].status);
		assert_string_equal(u.rows[i].name_vi, t.rows[i].name_vi);
		assert_string_equal(u.rows[i].name_en, t.rows[i].name_en);
		assert_string_equal(u.rows[i].source, t.rows[i].source);
	}
	/* A full buffer is reported. */
	struct buf small = BUF_INIT(100);
	assert_int_equal(holidays_write_csv(&t, &small), -1);
	buf_release(&small);
	buf_release(&b);
	holidays_table_release(&u);
	holidays_table_release(&t);
}

/* Resolves first..last from the embedded data. */
static void resolve_embedded(int first, int last, bool uncertain, struct holiday_table *t,
                             struct holiday_set *s)
{
	struct err e = {ERR_OK, ""};
	load_embedded(t);
	enum err_code rc = holidays_resolve(t, first, last, uncertain, s, &e);
	if (rc)
		fail_msg("resolve: %s", e.detail);
}

static void test_resolve_announced(void **state)
{
	(void)state;
	struct holiday_table t;
	struct holiday_set s;
	resolve_embedded(2024, 2027, false, &t, &s);
	for (size_t i = 1; i < s.count; i++)
		assert_true(s.entries[i - 1].date < s.entries[i].date);
	/* [DATA][LC] Hùng Kings 2026 (10/3 lunar) is Sunday 26/4: listed as a weekend
	 * holiday; Monday 27/4 is the (announced) compensatory day. */
	const struct holiday_entry *h = holidays_set_find(&s, D(2026, 4, 26));
	assert_non_null(h);
	assert_true(h->weekend);
	assert_int_equal(h->occasion, HOLIDAY_HUNG_KINGS);
	assert_int_equal(h->status, HOLIDAY_CONFIRMED);
	assert_int_equal(h->origin, HOLIDAY_RULE);
	h = holidays_set_find(&s, D(2026, 4, 27));
	assert_non_null(h);
	assert_false(h->weekend);
	assert_int_equal(h->kind, HOLIDAY_OFF);
	assert_int_equal(h->origin, HOLIDAY_ANNOUNCED);
	assert_int_equal(h->status, HOLIDAY_CONFIRMED);
	/* [DATA] Tết 2024: only the weekdays are listed; day 1 (Sat 10/2) is a weekend holiday. */
	h = holidays_set_find(&s, D(2024, 2, 10));
	assert_non_null(h);
	assert_true(h->weekend);
	assert_null(holidays_set_find(&s, D(2024, 2, 11)));
	assert_non_null(holidays_set_find(&s, D(2024, 2, 14)));
	assert_null(holidays_set_find(&s, D(2024, 2, 15)));
	/* [DATA] Tết 2025: 27-31/1 off; no rule day (28/1 - 1/2) leaks in: 3/2 works. */
	for (int d = 27; d <= 31; d++) {
		h = holidays_set_find(&s, D(2025, 1, d));
		assert_non_null(h);
		assert_int_equal(h->origin, HOLIDAY_ANNOUNCED);
	}
	assert_null(holidays_set_find(&s, D(2025, 2, 3)));
	/* [DATA] Make-up Saturdays. */
	int64_t sats[] = {D(2024, 5, 4), D(2025, 4, 26), D(2026, 1, 10), D(2026, 8, 22)};
	for (size_t i = 0; i < 4; i++) {
		h = holidays_set_find(&s, sats[i]);
		assert_non_null(h);
		assert_int_equal(h->kind, HOLIDAY_WORK);
	}
	/* Nothing announced for 2027 yet: everything there is provisional. */
	size_t i = holidays_set_lower_bound(&s, D(2027, 1, 1));
	assert_true(i < s.count);
	for (; i < s.count; i++)
		assert_int_equal(s.entries[i].status, HOLIDAY_PROVISIONAL);
	/* The uncertain Culture Day (24/11/2026) is left out by default. */
	assert_null(holidays_set_find(&s, D(2026, 11, 24)));
	holidays_set_release(&s);
	holidays_table_release(&t);

	resolve_embedded(2026, 2026, true, &t, &s);
	h = holidays_set_find(&s, D(2026, 11, 24));
	assert_non_null(h);
	assert_int_equal(h->status, HOLIDAY_UNCERTAIN);
	assert_int_equal(h->occasion, HOLIDAY_OTHER);
	holidays_set_release(&s);
	holidays_table_release(&t);
}

/* The off weekdays (not weekend entries) of an occasion in a set. */
static int off_days(const struct holiday_set *s, enum holiday_occasion o, int year, int64_t *out,
                    int max)
{
	int n = 0;
	for (size_t i = 0; i < s->count; i++) {
		const struct holiday_entry *h = &s->entries[i];
		if (h->occasion == o && h->year == year && h->kind == HOLIDAY_OFF && !h->weekend &&
		    n < max)
			out[n++] = h->date;
	}
	return n;
}

static void test_rules_tet_2027(void **state)
{
	(void)state;
	struct holiday_table t;
	struct holiday_set s;
	resolve_embedded(2027, 2027, false, &t, &s);
	/* [LUNAR] Tết 2027 falls on Saturday 6/2/2027. Our provisional pattern
	 * (last day of the lunar year + days 1-4, [LC] 5 days) gives Fri 5/2 and
	 * Sat 6/2 .. Tue 9/2; the weekend days 6/2, 7/2 give compensatory days
	 * ([LC] Art. 111(3)) on the next free working days, Wed 10/2 and Thu 11/2. */
	const struct holiday_entry *h = holidays_set_find(&s, D(2027, 2, 6));
	assert_non_null(h);
	assert_true(h->weekend);
	assert_int_equal(h->occasion, HOLIDAY_TET);
	assert_int_equal(h->status, HOLIDAY_PROVISIONAL);
	int64_t days[10];
	int n = off_days(&s, HOLIDAY_TET, 2027, days, 10);
	int64_t want[] = {D(2027, 2, 5), D(2027, 2, 8), D(2027, 2, 9), D(2027, 2, 10),
	                  D(2027, 2, 11)};
	assert_int_equal(n, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(days[i], want[i]);
	assert_int_equal(holidays_set_find(&s, D(2027, 2, 10))->origin, HOLIDAY_COMPENSATORY);
	/* [LC] 1/5/2027 is a Saturday: Monday 3/5 off (provisional compensatory). */
	h = holidays_set_find(&s, D(2027, 5, 3));
	assert_non_null(h);
	assert_int_equal(h->origin, HOLIDAY_COMPENSATORY);
	assert_int_equal(h->occasion, HOLIDAY_REUNIFICATION_LABOUR);
	/* [LC] 2/9/2027 is a Thursday: the adjacent day chosen is Friday 3/9. */
	n = off_days(&s, HOLIDAY_NATIONAL_DAY, 2027, days, 10);
	assert_int_equal(n, 2);
	assert_int_equal(days[0], D(2027, 9, 2));
	assert_int_equal(days[1], D(2027, 9, 3));
	holidays_set_release(&s);
	holidays_table_release(&t);
}

static void test_rules_only_match_announcements(void **state)
{
	(void)state;
	struct holiday_set s;
	struct err e = {ERR_OK, ""};
	int64_t days[10];
	assert_int_equal(holidays_resolve(NULL, 2024, 2026, false, &s, &e), ERR_OK);
	/* [LUNAR][DATA] Tết 2026 (day 1 Tue 17/2): the pattern gives 16-20/2, as announced. */
	assert_int_equal(off_days(&s, HOLIDAY_TET, 2026, days, 10), 5);
	assert_int_equal(days[0], D(2026, 2, 16));
	assert_int_equal(days[4], D(2026, 2, 20));
	/* [LC] Hùng Kings 2026 on Sunday 26/4: rule-derived Monday 27/4, as announced. */
	assert_int_equal(off_days(&s, HOLIDAY_HUNG_KINGS, 2026, days, 10), 1);
	assert_int_equal(days[0], D(2026, 4, 27));
	assert_int_equal(holidays_set_find(&s, D(2026, 4, 27))->status, HOLIDAY_PROVISIONAL);
	/* [DATA] 2/9 adjacent day: after a Monday (2024: 3/9), before a Tuesday (2025: 1/9),
	 * before a Wednesday (2026: 1/9), as announced. */
	assert_int_equal(off_days(&s, HOLIDAY_NATIONAL_DAY, 2024, days, 10), 2);
	assert_int_equal(days[1], D(2024, 9, 3));
	assert_int_equal(off_days(&s, HOLIDAY_NATIONAL_DAY, 2025, days, 10), 2);
	assert_int_equal(days[0], D(2025, 9, 1));
	assert_int_equal(off_days(&s, HOLIDAY_NATIONAL_DAY, 2026, days, 10), 2);
	assert_int_equal(days[0], D(2026, 9, 1));
	/* [LUNAR] Hùng Kings 2024 = Thu 18/4, 2025 = Mon 7/4 (as in [DATA]). */
	assert_int_equal(off_days(&s, HOLIDAY_HUNG_KINGS, 2024, days, 10), 1);
	assert_int_equal(days[0], D(2024, 4, 18));
	assert_int_equal(off_days(&s, HOLIDAY_HUNG_KINGS, 2025, days, 10), 1);
	assert_int_equal(days[0], D(2025, 4, 7));
	/* No make-up days without data. */
	for (size_t i = 0; i < s.count; i++)
		assert_int_equal(s.entries[i].kind, HOLIDAY_OFF);
	holidays_set_release(&s);
}

static void test_rules_compensatory_chain(void **state)
{
	(void)state;
	struct holiday_set s;
	struct err e = {ERR_OK, ""};
	int64_t days[10];
	/* [LC] 2023: Hùng Kings (10/3 lunar) on Sat 29/4, 30/4 on Sunday, 1/5 on
	 * Monday: the two compensatory days go to the next free working days,
	 * Tue 2/5 and Wed 3/5. New Year 2023 on a Sunday: Monday 2/1. */
	assert_int_equal(holidays_resolve(NULL, 2023, 2023, false, &s, &e), ERR_OK);
	assert_true(holidays_set_find(&s, D(2023, 4, 29))->weekend);
	assert_int_equal(off_days(&s, HOLIDAY_HUNG_KINGS, 2023, days, 10), 1);
	assert_int_equal(days[0], D(2023, 5, 2));
	assert_int_equal(off_days(&s, HOLIDAY_REUNIFICATION_LABOUR, 2023, days, 10), 2);
	assert_int_equal(days[0], D(2023, 5, 1));
	assert_int_equal(days[1], D(2023, 5, 3));
	assert_int_equal(off_days(&s, HOLIDAY_NEW_YEAR, 2023, days, 10), 1);
	assert_int_equal(days[0], D(2023, 1, 2));
	/* [LC] 2/9/2023 on a Saturday: the day before (Fri 1/9) and Monday 4/9. */
	assert_int_equal(off_days(&s, HOLIDAY_NATIONAL_DAY, 2023, days, 10), 2);
	assert_int_equal(days[0], D(2023, 9, 1));
	assert_int_equal(days[1], D(2023, 9, 4));
	holidays_set_release(&s);
}

static void test_rules_older_codes(void **state)
{
	(void)state;
	struct holiday_set s;
	struct err e = {ERR_OK, ""};
	int64_t days[10];
	assert_int_equal(holidays_resolve(NULL, 2006, 2020, false, &s, &e), ERR_OK);
	/* Before 2021 (Labour Code 2012 Art. 115), 2/9 is a single day: 2/9/2020 was a Wednesday.
	 */
	assert_int_equal(off_days(&s, HOLIDAY_NATIONAL_DAY, 2020, days, 10), 1);
	assert_int_equal(days[0], D(2020, 9, 2));
	/* Tết: 4 days until 2013 (Labour Code 1994 Art. 73), 5 from 2014 (2012 Code). */
	int n13 = 0, n14 = 0;
	for (size_t i = 0; i < s.count; i++) {
		const struct holiday_entry *h = &s.entries[i];
		if (h->occasion == HOLIDAY_TET && h->origin == HOLIDAY_RULE) {
			n13 += h->year == 2013;
			n14 += h->year == 2014;
		}
	}
	assert_int_equal(n13, 4);
	assert_int_equal(n14, 5);
	/* Hùng Kings became a day off in 2007. */
	assert_int_equal(off_days(&s, HOLIDAY_HUNG_KINGS, 2006, days, 10), 0);
	bool hk2007 = false;
	for (size_t i = 0; i < s.count; i++)
		hk2007 |= s.entries[i].occasion == HOLIDAY_HUNG_KINGS && s.entries[i].year == 2007;
	assert_true(hk2007);
	holidays_set_release(&s);
}

static void test_override_and_checks(void **state)
{
	(void)state;
	struct holiday_table t;
	struct holiday_set s;
	struct err e = {ERR_OK, ""};
	char buf[2048];
	/* A hypothetical announcement for Tết 2027 (Thu 4/2 .. Wed 10/2 weekdays)
	 * replaces the provisional pattern entirely; a New Year 2027 swap on
	 * Thursday 31/12/2026 belongs to the occasion year 2027. */
	snprintf(buf, sizeof buf,
	         "%s2027-02-04,off,tet,2027,confirmed,a,b,test\n"
	         "2027-02-05,off,tet,2027,confirmed,a,b,test\n"
	         "2027-02-08,off,tet,2027,confirmed,a,b,test\n"
	         "2027-02-09,off,tet,2027,confirmed,a,b,test\n"
	         "2027-02-10,off,tet,2027,confirmed,a,b,test\n"
	         "2026-12-31,off,new_year,2027,confirmed,a,b,test\n"
	         "2027-01-01,off,new_year,2027,confirmed,a,b,test\n"
	         "2027-01-09,work,new_year,2027,confirmed,a,b,test\n",
	         HDR);
	assert_int_equal(parse(buf, &t, &e), ERR_OK);
	assert_int_equal(holidays_resolve(&t, 2026, 2027, false, &s, &e), ERR_OK);
	int64_t days[10];
	assert_int_equal(off_days(&s, HOLIDAY_TET, 2027, days, 10), 5);
	assert_int_equal(days[0], D(2027, 2, 4));
	assert_null(holidays_set_find(&s, D(2027, 2, 11))); /* no rule-derived compensatory day */
	assert_true(holidays_set_find(&s, D(2027, 2, 6))->weekend);
	const struct holiday_entry *h = holidays_set_find(&s, D(2026, 12, 31));
	assert_non_null(h);
	assert_int_equal(h->year, 2027);
	assert_int_equal(h->status, HOLIDAY_CONFIRMED);
	/* New Year 2026 was not in this table: its rule applies (1/1/2026, provisional). */
	assert_int_equal(holidays_set_find(&s, D(2026, 1, 1))->status, HOLIDAY_PROVISIONAL);
	holidays_set_release(&s);
	holidays_table_release(&t);

	/* An announcement that lacks a statutory weekday (2/9/2027, a Thursday) is refused. */
	snprintf(buf, sizeof buf, "%s2027-09-03,off,national_day,2027,confirmed,a,b,test\n", HDR);
	assert_int_equal(parse(buf, &t, &e), ERR_OK);
	assert_int_equal(holidays_resolve(&t, 2027, 2027, false, &s, &e), ERR_INVALID_HOLIDAY_DATA);
	assert_non_null(strstr(e.detail, "line 2: the announcement for national_day 2027 lacks"));
	assert_non_null(strstr(e.detail, "2027-09-02"));
	assert_null(s.entries);
	/* ... unless the row is uncertain and uncertain rows are left out. */
	holidays_table_release(&t);
	snprintf(buf, sizeof buf, "%s2027-09-03,off,national_day,2027,uncertain,a,b,test\n", HDR);
	assert_int_equal(parse(buf, &t, &e), ERR_OK);
	assert_int_equal(holidays_resolve(&t, 2027, 2027, false, &s, &e), ERR_OK);
	assert_int_equal(off_days(&s, HOLIDAY_NATIONAL_DAY, 2027, days, 10), 2);
	holidays_set_release(&s);
	assert_int_equal(holidays_resolve(&t, 2027, 2027, true, &s, &e), ERR_INVALID_HOLIDAY_DATA);
	holidays_table_release(&t);
}

static void test_resolve_range(void **state)
{
	(void)state;
	struct holiday_set s;
	struct err e = {ERR_OK, ""};
	assert_int_equal(holidays_resolve(NULL, HOLIDAYS_MIN_YEAR - 1, 2000, false, &s, &e),
	                 ERR_OUT_OF_RANGE);
	assert_int_equal(holidays_resolve(NULL, 2000, HOLIDAYS_MAX_YEAR + 1, false, &s, &e),
	                 ERR_OUT_OF_RANGE);
	assert_int_equal(holidays_resolve(NULL, 2001, 2000, false, &s, &e), ERR_OUT_OF_RANGE);
	assert_int_equal(
	        holidays_resolve(NULL, HOLIDAYS_MIN_YEAR, HOLIDAYS_MAX_YEAR, false, &s, &e),
	        ERR_OK);
	/* Every entry within the range; at least 8 weekday entries a year. */
	assert_true(s.entries[0].date >= D(HOLIDAYS_MIN_YEAR, 1, 1));
	assert_true(s.entries[s.count - 1].date <= D(HOLIDAYS_MAX_YEAR, 12, 31));
	assert_true(s.count >= 8 * (HOLIDAYS_MAX_YEAR - HOLIDAYS_MIN_YEAR + 1));
	assert_int_equal(holidays_set_lower_bound(&s, D(9000, 1, 1)), s.count);
	assert_int_equal(holidays_set_lower_bound(&s, D(1900, 1, 1)), 0);
	assert_null(holidays_set_find(&s, D(2025, 3, 3)));
	holidays_set_release(&s);
}

static void test_names(void **state)
{
	(void)state;
	enum holiday_occasion o;
	for (int i = 0; i < HOLIDAY_OCCASION_COUNT; i++) {
		assert_int_equal(holidays_occasion_from_name(holidays_occasion_name(i), &o), 0);
		assert_int_equal(o, i);
	}
	assert_int_equal(holidays_occasion_from_name("Tet", &o), -1);
	assert_int_equal(holidays_occasion_from_name(NULL, &o), -1);
	assert_string_equal(holidays_kind_name(HOLIDAY_WORK), "work");
	assert_string_equal(holidays_status_name(HOLIDAY_UNCERTAIN), "uncertain");
	assert_string_equal(holidays_origin_name(HOLIDAY_COMPENSATORY), "compensatory");
	assert_string_equal(holidays_occasion_name(HOLIDAY_REUNIFICATION_LABOUR),
	                    "reunification_labour");
	assert_string_equal(holidays_occasion_name((enum holiday_occasion)42), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse_embedded),
	        cmocka_unit_test(test_parse_quoting),
	        cmocka_unit_test(test_parse_errors),
	        cmocka_unit_test(test_write_round_trip),
	        cmocka_unit_test(test_resolve_announced),
	        cmocka_unit_test(test_rules_tet_2027),
	        cmocka_unit_test(test_rules_only_match_announcements),
	        cmocka_unit_test(test_rules_compensatory_chain),
	        cmocka_unit_test(test_rules_older_codes),
	        cmocka_unit_test(test_override_and_checks),
	        cmocka_unit_test(test_resolve_range),
	        cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
