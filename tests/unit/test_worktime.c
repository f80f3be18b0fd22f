/*
 * Unit tests for domain/worktime: office hours, the day table, legal
 * reception, due times, pauses, timeliness.
 *
 * Sources of the expected values:
 *   [DATA] data/holidays.csv (each row cites its announcement): Tết 2025 off
 *          Mon 27/1 - Fri 31/1 (VietnamNews 1687874); 30/4-1/5/2025 with the
 *          swap Fri 2/5 <-> Sat 26/4 (VietnamNews 1693234); New Year 2026 off
 *          Thu 1/1 and Fri 2/1, made up on Sat 10/1 (VietnamNews 1732658);
 *          Tết 2026 off Mon 16/2 - Fri 20/2 and 2/9/2026 with the swap Mon
 *          31/8 <-> Sat 22/8 (VietnamNews 1727514, Ministry of Home Affairs);
 *          Hùng Kings 2026 on Sun 26/4, Mon 27/4 off (Thanh Niên 13/1/2026).
 *   [CC]   Civil Code 2015 Art. 147(1): a period in days starts on the day
 *          after the event.
 *   [LC]   Labour Code 2019 Art. 111(3), 112 (see test_holidays.c).
 *   [LUNAR] Tết 2027 falls on Saturday 6/2/2027 (published calendars).
 *   [CFG]  the default office hours 08:00-12:00, 13:00-17:00 (config.def).
 *   [OURS] our documented interpretations (docs/calendar.md): reception at
 *          the end of a period belongs to the next one; a cut-off is reached
 *          at HH:MM:00; early/on time/late.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/holidays.h"
#include "domain/worktime.h"
#include "embedded_data.h"

struct fixture {
	struct holiday_table table;
	struct holiday_set set;
	struct worktime_calendar cal;
};

static int64_t D(int y, int m, int d)
{
	return vntime_days_from_civil(y, m, d);
}

/* Instant of a Vietnam local time. */
static int64_t T(int y, int mo, int d, int h, int mi, int s)
{
	return vntime_join(D(y, mo, d), h * 3600 + mi * 60 + s);
}

static int setup_years(void **state, int first, int last, const char *hours, bool with_data)
{
	static struct fixture f;
	struct err e = {ERR_OK, ""};
	memset(&f, 0, sizeof f);
	struct worktime_hours h;
	if (with_data && holidays_parse_csv((const char *)embedded_holidays_csv,
	                                    embedded_holidays_csv_len, &f.table, &e))
		return -1;
	if (holidays_resolve(with_data ? &f.table : NULL, first, last, false, &f.set, &e) ||
	    worktime_hours_parse(hours, &h, &e) || worktime_calendar_build(&f.cal, &f.set, &h, &e))
		return -1;
	*state = &f;
	return 0;
}

static int setup(void **state)
{
	return setup_years(state, WORKTIME_FIRST_YEAR, WORKTIME_LAST_YEAR,
	                   "08:00-12:00,13:00-17:00", true);
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	worktime_calendar_release(&f->cal);
	holidays_set_release(&f->set);
	holidays_table_release(&f->table);
	return 0;
}

static const struct worktime_calendar *CAL(void **state)
{
	return &((struct fixture *)*state)->cal;
}

/* The due of a dossier under a limit. */
static int64_t due_of(void **state, int64_t received, enum worktime_unit unit, int n, int cutoff)
{
	struct worktime_limit lim = {unit, n, cutoff, WORKTIME_PAUSE_CONTINUE};
	int64_t due, legal;
	struct err e = {ERR_OK, ""};
	enum err_code rc = worktime_due(CAL(state), &lim, received, &legal, &due, &e);
	if (rc)
		fail_msg("worktime_due: %s", e.detail);
	return due;
}

static int64_t reception(void **state, int64_t received, int cutoff)
{
	int64_t legal;
	struct err e = {ERR_OK, ""};
	if (worktime_reception(CAL(state), received, cutoff, &legal, &e))
		fail_msg("worktime_reception: %s", e.detail);
	return legal;
}

#define H15 (15 * 3600)

static void test_hours_parse(void **state)
{
	(void)state;
	struct worktime_hours h;
	struct err e = {ERR_OK, ""};
	char text[WORKTIME_HOURS_TEXT_LEN];
	assert_int_equal(worktime_hours_parse("08:00-12:00,13:00-17:00", &h, &e), ERR_OK);
	assert_int_equal(h.count, 2);
	assert_int_equal(h.day_seconds, 8 * 3600);
	worktime_hours_format(&h, text);
	assert_string_equal(text, "08:00-12:00,13:00-17:00");
	assert_int_equal(worktime_hours_parse("07:30-11:30,13:30-17:30,18:00-24:00", &h, &e),
	                 ERR_OK);
	assert_int_equal(h.end[2], 86400);
	assert_int_equal(worktime_hours_parse("08:00-12:00,12:00-17:00", &h, &e), ERR_OK);
	static const char *const bad[] = {
	        "",
	        "08:00",
	        "08:00-",
	        "8:00-12:00",
	        "08:00-12:00,",
	        "08:00-12:00;13:00-17:00",
	        "08:00-12:00, 13:00-17:00",
	        "12:00-08:00",
	        "08:00-08:00",
	        "08:00-12:60",
	        "13:00-17:00,08:00-12:00",
	        "08:00-13:00,12:00-17:00",
	        "24:00-24:00",
	        "01:00-02:00,03:00-04:00,05:00-06:00,07:00-08:00,09:00-10:00",
	        "08:00-25:00",
	        "08:00-12:00x"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (worktime_hours_parse(bad[i], &h, &e) != ERR_INVALID_OFFICE_HOURS)
			fail_msg("accepted '%s'", bad[i]);
	}
	assert_int_equal(worktime_hours_parse(NULL, &h, &e), ERR_INVALID_OFFICE_HOURS);
}

static void test_day_table(void **state)
{
	const struct worktime_calendar *cal = CAL(state);
	struct worktime_day d;
	struct err e = {ERR_OK, ""};
	/* [DATA] Sat 26/4/2025: make-up working day, confirmed. */
	assert_int_equal(worktime_day_info(cal, D(2025, 4, 26), &d, &e), ERR_OK);
	assert_int_equal(d.kind, WORKTIME_MAKEUP);
	assert_true(d.working);
	assert_false(d.provisional);
	assert_int_equal(d.occasion, HOLIDAY_REUNIFICATION_LABOUR);
	/* [DATA] Fri 2/5/2025: swapped day off. */
	assert_int_equal(worktime_day_info(cal, D(2025, 5, 2), &d, &e), ERR_OK);
	assert_int_equal(d.kind, WORKTIME_HOLIDAY);
	assert_false(d.working);
	/* [DATA] Sat 10/1/2026 and Sat 22/8/2026 work; Sat 3/5/2025 does not. */
	assert_true(worktime_is_working_day(cal, D(2026, 1, 10)));
	assert_true(worktime_is_working_day(cal, D(2026, 8, 22)));
	assert_false(worktime_is_working_day(cal, D(2025, 5, 3)));
	/* [DATA][LC] Hùng Kings 2026 on Sunday: Monday 27/4 off; Sunday stays a weekend day. */
	assert_false(worktime_is_working_day(cal, D(2026, 4, 27)));
	assert_int_equal(worktime_day_info(cal, D(2026, 4, 26), &d, &e), ERR_OK);
	assert_int_equal(d.kind, WORKTIME_WEEKEND);
	assert_int_equal(d.occasion, -1);
	/* An ordinary Monday. */
	assert_int_equal(worktime_day_info(cal, D(2025, 3, 3), &d, &e), ERR_OK);
	assert_int_equal(d.kind, WORKTIME_WORKDAY);
	assert_true(d.working);
	/* [LUNAR][OURS] Mon 8/2/2027 (Tết 2027, day 3): provisional day off. */
	assert_int_equal(worktime_day_info(cal, D(2027, 2, 8), &d, &e), ERR_OK);
	assert_int_equal(d.kind, WORKTIME_HOLIDAY);
	assert_true(d.provisional);
	assert_int_equal(d.occasion, HOLIDAY_TET);
	/* Edges of the table. */
	assert_int_equal(worktime_first_day(cal), D(2000, 1, 1));
	assert_int_equal(worktime_last_day(cal), D(2100, 12, 31));
	assert_int_equal(worktime_day_info(cal, D(1999, 12, 31), &d, &e), ERR_DATE_OUT_OF_CALENDAR);
	assert_non_null(strstr(e.detail, "'1999-12-31'"));
	assert_int_equal(worktime_day_info(cal, D(2101, 1, 1), &d, &e), ERR_DATE_OUT_OF_CALENDAR);
	assert_false(worktime_is_working_day(cal, D(2101, 1, 3)));
	/* Working days of 2026: 261 weekdays - 13 weekdays off + 2 make-up Saturdays. */
	assert_int_equal(cal->rank[D(2027, 1, 1) - cal->first_day] -
	                         cal->rank[D(2026, 1, 1) - cal->first_day],
	                 250);
}

static void test_issue_example(void **state)
{
	/* The issue's example: received Fri 25/4/2025 10:00, 2 working days: day 1 is
	 * the make-up Saturday 26/4 [DATA], day 2 Monday 28/4 [CC]. */
	assert_int_equal(
	        due_of(state, T(2025, 4, 25, 10, 0, 0), WORKTIME_DAYS, 2, WORKTIME_NO_CUTOFF),
	        T(2025, 4, 28, 17, 0, 0));
	/* 3 days: Tue 29/4; 4 days: 30/4, 1/5, 2/5 off, 3-4/5 weekend -> Mon 5/5. */
	assert_int_equal(
	        due_of(state, T(2025, 4, 25, 10, 0, 0), WORKTIME_DAYS, 3, WORKTIME_NO_CUTOFF),
	        T(2025, 4, 29, 17, 0, 0));
	assert_int_equal(
	        due_of(state, T(2025, 4, 25, 10, 0, 0), WORKTIME_DAYS, 4, WORKTIME_NO_CUTOFF),
	        T(2025, 5, 5, 17, 0, 0));
}

static void test_make_up_saturdays(void **state)
{
	/* [DATA] Sat 10/1/2026 and Sat 22/8/2026 are working days: 1 day after a Friday. */
	assert_int_equal(
	        due_of(state, T(2026, 1, 9, 10, 0, 0), WORKTIME_DAYS, 1, WORKTIME_NO_CUTOFF),
	        T(2026, 1, 10, 17, 0, 0));
	assert_int_equal(
	        due_of(state, T(2026, 8, 21, 10, 0, 0), WORKTIME_DAYS, 1, WORKTIME_NO_CUTOFF),
	        T(2026, 8, 22, 17, 0, 0));
	/* A dossier received on the make-up Saturday itself is received that day. */
	assert_int_equal(reception(state, T(2025, 4, 26, 9, 30, 0), WORKTIME_NO_CUTOFF),
	                 T(2025, 4, 26, 9, 30, 0));
	/* [DATA] 22/8/2026 -> 31/8 is off (swap), 1/9 and 2/9 off: Fri 28/8 + 1 day = Thu 3/9. */
	assert_int_equal(
	        due_of(state, T(2026, 8, 28, 10, 0, 0), WORKTIME_DAYS, 1, WORKTIME_NO_CUTOFF),
	        T(2026, 9, 3, 17, 0, 0));
	/* An ordinary Saturday is not a working day. */
	assert_int_equal(reception(state, T(2026, 1, 17, 9, 0, 0), WORKTIME_NO_CUTOFF),
	                 T(2026, 1, 19, 8, 0, 0));
}

static void test_tet(void **state)
{
	/* [DATA] Tết 2025: 27-31/1 off, weekends 25-26/1 and 1-2/2: Fri 24/1 + 1 day = Mon 3/2. */
	assert_int_equal(
	        due_of(state, T(2025, 1, 24, 10, 0, 0), WORKTIME_DAYS, 1, WORKTIME_NO_CUTOFF),
	        T(2025, 2, 3, 17, 0, 0));
	/* Received during Tết 2025: counted from Mon 3/2 08:00; 1 day -> Tue 4/2. */
	assert_int_equal(reception(state, T(2025, 1, 29, 9, 0, 0), WORKTIME_NO_CUTOFF),
	                 T(2025, 2, 3, 8, 0, 0));
	assert_int_equal(
	        due_of(state, T(2025, 1, 29, 9, 0, 0), WORKTIME_DAYS, 1, WORKTIME_NO_CUTOFF),
	        T(2025, 2, 4, 17, 0, 0));
	/* [DATA] Tết 2026: 16-20/2 off: Fri 13/2 + 3 days = 23, 24, 25/2 -> Wed 25/2. */
	assert_int_equal(
	        due_of(state, T(2026, 2, 13, 10, 0, 0), WORKTIME_DAYS, 3, WORKTIME_NO_CUTOFF),
	        T(2026, 2, 25, 17, 0, 0));
	/* 8 working hours from Fri 13/2/2026 16:00: 1 h that day, 7 h on Mon 23/2 -> 16:00. */
	assert_int_equal(
	        due_of(state, T(2026, 2, 13, 16, 0, 0), WORKTIME_HOURS, 8, WORKTIME_NO_CUTOFF),
	        T(2026, 2, 23, 16, 0, 0));
}

static void test_reception_outside_hours(void **state)
{
	int n = WORKTIME_NO_CUTOFF;
	/* [CFG][OURS] Monday 3/3/2025, an ordinary working day. */
	assert_int_equal(reception(state, T(2025, 3, 3, 7, 30, 0), n), T(2025, 3, 3, 8, 0, 0));
	assert_int_equal(reception(state, T(2025, 3, 3, 0, 0, 0), n), T(2025, 3, 3, 8, 0, 0));
	assert_int_equal(reception(state, T(2025, 3, 3, 8, 0, 0), n), T(2025, 3, 3, 8, 0, 0));
	assert_int_equal(reception(state, T(2025, 3, 3, 11, 59, 59), n), T(2025, 3, 3, 11, 59, 59));
	assert_int_equal(reception(state, T(2025, 3, 3, 12, 0, 0), n), T(2025, 3, 3, 13, 0, 0));
	assert_int_equal(reception(state, T(2025, 3, 3, 12, 30, 0), n), T(2025, 3, 3, 13, 0, 0));
	assert_int_equal(reception(state, T(2025, 3, 3, 13, 0, 0), n), T(2025, 3, 3, 13, 0, 0));
	assert_int_equal(reception(state, T(2025, 3, 3, 16, 59, 59), n), T(2025, 3, 3, 16, 59, 59));
	assert_int_equal(reception(state, T(2025, 3, 3, 17, 0, 0), n), T(2025, 3, 4, 8, 0, 0));
	assert_int_equal(reception(state, T(2025, 3, 3, 18, 0, 0), n), T(2025, 3, 4, 8, 0, 0));
	assert_int_equal(reception(state, T(2025, 3, 3, 23, 59, 59), n), T(2025, 3, 4, 8, 0, 0));
	/* Friday evening and Sunday: Monday 08:00. */
	assert_int_equal(reception(state, T(2025, 3, 7, 17, 30, 0), n), T(2025, 3, 10, 8, 0, 0));
	assert_int_equal(reception(state, T(2025, 3, 9, 10, 0, 0), n), T(2025, 3, 10, 8, 0, 0));
	/* [DATA] On a holiday (Wed 30/4/2025): 1/5, 2/5 off, 3-4/5 weekend -> Mon 5/5. */
	assert_int_equal(reception(state, T(2025, 4, 30, 10, 0, 0), n), T(2025, 5, 5, 8, 0, 0));
	/* [CC][OURS] Exactly 17:00 is the next period: 1 day -> Wednesday, not Tuesday. */
	assert_int_equal(due_of(state, T(2025, 3, 3, 17, 0, 0), WORKTIME_DAYS, 1, n),
	                 T(2025, 3, 5, 17, 0, 0));
	assert_int_equal(due_of(state, T(2025, 3, 3, 16, 59, 59), WORKTIME_DAYS, 1, n),
	                 T(2025, 3, 4, 17, 0, 0));
	/* Received on Sunday 9/3/2025: day 1 is Tuesday (Monday is the reception day). */
	assert_int_equal(due_of(state, T(2025, 3, 9, 10, 0, 0), WORKTIME_DAYS, 1, n),
	                 T(2025, 3, 11, 17, 0, 0));
	/* A time zone other than Vietnam's: 03:00Z = 10:00 in Vietnam. */
	int64_t t;
	assert_int_equal(vntime_parse_datetime("2025-04-25T03:00:00Z", &t), 0);
	assert_int_equal(due_of(state, t, WORKTIME_DAYS, 2, n), T(2025, 4, 28, 17, 0, 0));
}

static void test_cutoff(void **state)
{
	/* [OURS] Same-day procedure with the 15:00 cut-off on Monday 3/3/2025. */
	assert_int_equal(due_of(state, T(2025, 3, 3, 14, 59, 0), WORKTIME_DAYS, 0, H15),
	                 T(2025, 3, 3, 17, 0, 0));
	assert_int_equal(due_of(state, T(2025, 3, 3, 14, 59, 59), WORKTIME_DAYS, 0, H15),
	                 T(2025, 3, 3, 17, 0, 0));
	assert_int_equal(due_of(state, T(2025, 3, 3, 15, 0, 0), WORKTIME_DAYS, 0, H15),
	                 T(2025, 3, 4, 17, 0, 0));
	assert_int_equal(due_of(state, T(2025, 3, 3, 15, 1, 0), WORKTIME_DAYS, 0, H15),
	                 T(2025, 3, 4, 17, 0, 0));
	assert_int_equal(reception(state, T(2025, 3, 3, 15, 1, 0), H15), T(2025, 3, 4, 8, 0, 0));
	/* Without the cut-off, 15:01 is the same day. */
	assert_int_equal(
	        due_of(state, T(2025, 3, 3, 15, 1, 0), WORKTIME_DAYS, 0, WORKTIME_NO_CUTOFF),
	        T(2025, 3, 3, 17, 0, 0));
	/* Friday 15:01 with the cut-off: Monday. Before 08:00 the cut-off does not bite. */
	assert_int_equal(due_of(state, T(2025, 3, 7, 15, 1, 0), WORKTIME_DAYS, 0, H15),
	                 T(2025, 3, 10, 17, 0, 0));
	assert_int_equal(reception(state, T(2025, 3, 3, 7, 0, 0), H15), T(2025, 3, 3, 8, 0, 0));
	/* [DATA] A cut-off on the eve of the 30/4/2025 holidays: Tue 29/4 15:30 -> Mon 5/5. */
	assert_int_equal(due_of(state, T(2025, 4, 29, 15, 30, 0), WORKTIME_DAYS, 0, H15),
	                 T(2025, 5, 5, 17, 0, 0));
	/* A cut-off applied to an N-day procedure moves the reception day too. */
	assert_int_equal(due_of(state, T(2025, 3, 3, 15, 1, 0), WORKTIME_DAYS, 1, H15),
	                 T(2025, 3, 5, 17, 0, 0));
	/* A cut-off outside office hours is refused; 17:00 (no effect) is accepted. */
	int64_t legal;
	struct err e = {ERR_OK, ""};
	const struct worktime_calendar *cal = CAL(state);
	assert_int_equal(worktime_reception(cal, T(2025, 3, 3, 9, 0, 0), 7 * 3600, &legal, &e),
	                 ERR_OUT_OF_RANGE);
	assert_non_null(strstr(e.detail, "'07:00'"));
	assert_int_equal(worktime_reception(cal, T(2025, 3, 3, 9, 0, 0), 8 * 3600, &legal, &e),
	                 ERR_OUT_OF_RANGE);
	assert_int_equal(
	        worktime_reception(cal, T(2025, 3, 3, 9, 0, 0), 17 * 3600 + 60, &legal, &e),
	        ERR_OUT_OF_RANGE);
	assert_int_equal(worktime_reception(cal, T(2025, 3, 3, 16, 0, 0), 17 * 3600, &legal, &e),
	                 ERR_OK);
	assert_int_equal(legal, T(2025, 3, 3, 16, 0, 0));
}

static void test_same_day(void **state)
{
	/* [CC] N = 0: the end of office hours of the reception day. */
	assert_int_equal(
	        due_of(state, T(2025, 3, 3, 10, 0, 0), WORKTIME_DAYS, 0, WORKTIME_NO_CUTOFF),
	        T(2025, 3, 3, 17, 0, 0));
	/* Received on Saturday 8/3/2025: the reception day is Monday 10/3. */
	assert_int_equal(
	        due_of(state, T(2025, 3, 8, 10, 0, 0), WORKTIME_DAYS, 0, WORKTIME_NO_CUTOFF),
	        T(2025, 3, 10, 17, 0, 0));
	/* Adding 0 days to a day off is refused; 0 hours is the legal reception itself. */
	int64_t out;
	struct err e = {ERR_OK, ""};
	assert_int_equal(worktime_add_days(CAL(state), T(2025, 3, 8, 10, 0, 0), 0, &out, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_int_equal(worktime_add_days(CAL(state), T(2025, 3, 8, 10, 0, 0), 1, &out, &e),
	                 ERR_OK);
	assert_int_equal(out, T(2025, 3, 10, 17, 0, 0));
	assert_int_equal(worktime_add_days(CAL(state), T(2025, 3, 8, 10, 0, 0), -1, &out, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_int_equal(
	        due_of(state, T(2025, 3, 8, 10, 0, 0), WORKTIME_HOURS, 0, WORKTIME_NO_CUTOFF),
	        T(2025, 3, 10, 8, 0, 0));
	assert_int_equal(
	        due_of(state, T(2025, 3, 3, 12, 0, 0), WORKTIME_HOURS, 0, WORKTIME_NO_CUTOFF),
	        T(2025, 3, 3, 13, 0, 0));
}

static void test_hours(void **state)
{
	int n = WORKTIME_NO_CUTOFF;
	/* [CFG] Across lunch: 10:00 + 4 h = 10-12 (2 h) + 13-15 (2 h) -> 15:00. */
	assert_int_equal(due_of(state, T(2025, 3, 3, 10, 0, 0), WORKTIME_HOURS, 4, n),
	                 T(2025, 3, 3, 15, 0, 0));
	/* Landing on the end of a period: 08:00 + 4 h -> 12:00 (not 13:00). */
	assert_int_equal(due_of(state, T(2025, 3, 3, 8, 0, 0), WORKTIME_HOURS, 4, n),
	                 T(2025, 3, 3, 12, 0, 0));
	/* Across a weekend: Fri 7/3/2025 11:00 + 8 h = 5 h Friday + 3 h -> Mon 10/3 11:00. */
	assert_int_equal(due_of(state, T(2025, 3, 7, 11, 0, 0), WORKTIME_HOURS, 8, n),
	                 T(2025, 3, 10, 11, 0, 0));
	/* Received at lunch: counted from 13:00; + 1 h -> 14:00. */
	assert_int_equal(due_of(state, T(2025, 3, 3, 12, 15, 0), WORKTIME_HOURS, 1, n),
	                 T(2025, 3, 3, 14, 0, 0));
	/* 8 h from 08:00 is 17:00 the same day; 16 h from 08:00 Friday is Monday 17:00. */
	assert_int_equal(due_of(state, T(2025, 3, 3, 8, 0, 0), WORKTIME_HOURS, 8, n),
	                 T(2025, 3, 3, 17, 0, 0));
	assert_int_equal(due_of(state, T(2025, 3, 7, 8, 0, 0), WORKTIME_HOURS, 16, n),
	                 T(2025, 3, 10, 17, 0, 0));
	/* Working seconds between two instants, across lunch and a weekend. */
	int64_t s;
	struct err e = {ERR_OK, ""};
	assert_int_equal(worktime_between(CAL(state), T(2025, 3, 7, 11, 0, 0),
	                                  T(2025, 3, 10, 11, 0, 0), &s, &e),
	                 ERR_OK);
	assert_int_equal(s, 8 * 3600);
	assert_int_equal(worktime_between(CAL(state), T(2025, 3, 10, 11, 0, 0),
	                                  T(2025, 3, 7, 11, 0, 0), &s, &e),
	                 ERR_OK);
	assert_int_equal(s, -8 * 3600);
	int64_t out;
	assert_int_equal(worktime_add_seconds(CAL(state), T(2025, 3, 3, 8, 0, 0), -1, &out, &e),
	                 ERR_INVALID_ARGUMENT);
	/* Limits of the legal time. */
	struct worktime_limit lim = {WORKTIME_HOURS, WORKTIME_MAX_HOURS + 1, n,
	                             WORKTIME_PAUSE_CONTINUE};
	assert_int_equal(worktime_due(CAL(state), &lim, T(2025, 3, 3, 8, 0, 0), NULL, &out, &e),
	                 ERR_OUT_OF_RANGE);
	lim = (struct worktime_limit){WORKTIME_DAYS, -1, n, WORKTIME_PAUSE_CONTINUE};
	assert_int_equal(worktime_due(CAL(state), &lim, T(2025, 3, 3, 8, 0, 0), NULL, &out, &e),
	                 ERR_OUT_OF_RANGE);
}

static void test_year_end(void **state)
{
	int n = WORKTIME_NO_CUTOFF;
	/* [DATA] Wed 31/12/2025: 1/1 and 2/1/2026 off, 3-4/1 weekend: 1 day -> Mon 5/1/2026. */
	assert_int_equal(due_of(state, T(2025, 12, 31, 10, 0, 0), WORKTIME_DAYS, 1, n),
	                 T(2026, 1, 5, 17, 0, 0));
	assert_int_equal(due_of(state, T(2025, 12, 31, 10, 0, 0), WORKTIME_DAYS, 2, n),
	                 T(2026, 1, 6, 17, 0, 0));
	assert_int_equal(reception(state, T(2025, 12, 31, 17, 30, 0), n), T(2026, 1, 5, 8, 0, 0));
	assert_int_equal(reception(state, T(2026, 1, 1, 9, 0, 0), n), T(2026, 1, 5, 8, 0, 0));
	/* 5 days from Mon 5/1/2026: 6, 7, 8, 9 and the make-up Saturday 10/1. */
	assert_int_equal(due_of(state, T(2026, 1, 5, 9, 0, 0), WORKTIME_DAYS, 5, n),
	                 T(2026, 1, 10, 17, 0, 0));
	/* Hours across the new year: Wed 31/12/2025 16:00 + 2 h -> Mon 5/1/2026 09:00. */
	assert_int_equal(due_of(state, T(2025, 12, 31, 16, 0, 0), WORKTIME_HOURS, 2, n),
	                 T(2026, 1, 5, 9, 0, 0));
}

static void test_range_edges(void **state)
{
	const struct worktime_calendar *cal = CAL(state);
	struct worktime_limit lim = {WORKTIME_DAYS, 1, WORKTIME_NO_CUTOFF, WORKTIME_PAUSE_CONTINUE};
	int64_t due, w, t;
	struct err e = {ERR_OK, ""};
	/* 31/12/2100 is a Friday, the last day of the table: its next working day is outside. */
	assert_int_equal(
	        due_of(state, T(2100, 12, 30, 10, 0, 0), WORKTIME_DAYS, 1, WORKTIME_NO_CUTOFF),
	        T(2100, 12, 31, 17, 0, 0));
	assert_int_equal(worktime_due(cal, &lim, T(2100, 12, 31, 10, 0, 0), NULL, &due, &e),
	                 ERR_DATE_OUT_OF_CALENDAR);
	assert_int_equal(worktime_due(cal, &lim, T(2100, 12, 31, 17, 0, 0), NULL, &due, &e),
	                 ERR_DATE_OUT_OF_CALENDAR);
	lim.unit = WORKTIME_HOURS;
	lim.amount = 8;
	assert_int_equal(worktime_due(cal, &lim, T(2100, 12, 31, 9, 0, 0), NULL, &due, &e),
	                 ERR_DATE_OUT_OF_CALENDAR);
	lim.amount = 7;
	assert_int_equal(worktime_due(cal, &lim, T(2100, 12, 31, 9, 0, 0), NULL, &due, &e), ERR_OK);
	assert_int_equal(due, T(2100, 12, 31, 17, 0, 0));
	assert_int_equal(worktime_due(cal, &lim, T(1999, 12, 31, 9, 0, 0), NULL, &due, &e),
	                 ERR_DATE_OUT_OF_CALENDAR);
	assert_int_equal(worktime_due(cal, &lim, T(2101, 1, 3, 9, 0, 0), NULL, &due, &e),
	                 ERR_DATE_OUT_OF_CALENDAR);
	/* [LC] 1/1/2000 was a Saturday: Monday 3/1/2000 is its compensatory day, so the
	 * table's first working instant is Tuesday 4/1/2000 08:00 (working clock 0). */
	assert_int_equal(worktime_instant_at(cal, 0, &t, &e), ERR_OK);
	assert_int_equal(t, T(2000, 1, 4, 8, 0, 0));
	assert_int_equal(worktime_clock(cal, T(2000, 1, 1, 12, 0, 0), &w, &e), ERR_OK);
	assert_int_equal(w, 0);
	assert_int_equal(worktime_instant_at(cal, -1, &t, &e), ERR_DATE_OUT_OF_CALENDAR);
	int64_t max = (int64_t)cal->nwork * cal->hours.day_seconds;
	assert_int_equal(worktime_instant_at(cal, max, &t, &e), ERR_OK);
	assert_int_equal(t, T(2100, 12, 31, 17, 0, 0));
	assert_int_equal(worktime_instant_at(cal, max + 1, &t, &e), ERR_DATE_OUT_OF_CALENDAR);
	assert_int_equal(worktime_clock(cal, T(2101, 1, 1, 0, 0, 0), &w, &e),
	                 ERR_DATE_OUT_OF_CALENDAR);
}

static void test_pause_resume(void **state)
{
	const struct worktime_calendar *cal = CAL(state);
	struct err e = {ERR_OK, ""};
	int64_t due, nd, rem;
	/* Received Mon 21/4/2025 10:00, 5 days: 22, 23, 24, 25 and the make-up
	 * Saturday 26/4 [DATA] -> due Sat 26/4 17:00. */
	struct worktime_limit lim = {WORKTIME_DAYS, 5, WORKTIME_NO_CUTOFF, WORKTIME_PAUSE_CONTINUE};
	assert_int_equal(worktime_due(cal, &lim, T(2025, 4, 21, 10, 0, 0), NULL, &due, &e), ERR_OK);
	assert_int_equal(due, T(2025, 4, 26, 17, 0, 0));
	/* Paused Thu 24/4 10:00 with 6 + 8 + 8 = 22 working hours left. */
	assert_int_equal(worktime_remaining(cal, due, T(2025, 4, 24, 10, 0, 0), &rem, &e), ERR_OK);
	assert_int_equal(rem, 22 * 3600);
	/* CONTINUE, resumed Tue 29/4 10:00: 6 h that day, 30/4-4/5 off [DATA], 8 h Mon 5/5,
	 * 8 h Tue 6/5 -> Tue 6/5/2025 17:00. */
	assert_int_equal(worktime_resume(cal, &lim, due, T(2025, 4, 24, 10, 0, 0),
	                                 T(2025, 4, 29, 10, 0, 0), &nd, &e),
	                 ERR_OK);
	assert_int_equal(nd, T(2025, 5, 6, 17, 0, 0));
	/* Resumed during the holiday (Thu 1/5): the clock starts Mon 5/5 08:00 -> 22 h later
	 * is Wed 7/5 15:00 (8 + 8 + 6 h, the 6 h being 08-12 and 13-15). */
	assert_int_equal(worktime_resume(cal, &lim, due, T(2025, 4, 24, 10, 0, 0),
	                                 T(2025, 5, 1, 10, 0, 0), &nd, &e),
	                 ERR_OK);
	assert_int_equal(nd, T(2025, 5, 7, 15, 0, 0));
	/* RESTART, resumed Tue 29/4 10:00: 5 full days from then: 5, 6, 7, 8, 9/5 -> Fri 9/5. */
	lim.pause_mode = WORKTIME_PAUSE_RESTART;
	assert_int_equal(worktime_resume(cal, &lim, due, T(2025, 4, 24, 10, 0, 0),
	                                 T(2025, 4, 29, 10, 0, 0), &nd, &e),
	                 ERR_OK);
	assert_int_equal(nd, T(2025, 5, 9, 17, 0, 0));
	/* RESTART with a cut-off: the complete dossier at 15:30 counts from the next day. */
	lim.cutoff = H15;
	assert_int_equal(worktime_resume(cal, &lim, due, T(2025, 4, 24, 10, 0, 0),
	                                 T(2025, 4, 29, 15, 30, 0), &nd, &e),
	                 ERR_OK);
	assert_int_equal(nd, T(2025, 5, 12, 17, 0, 0));
	lim.cutoff = WORKTIME_NO_CUTOFF;
	/* Resumption before the pause is refused; in both modes. */
	assert_int_equal(worktime_resume(cal, &lim, due, T(2025, 4, 24, 10, 0, 0),
	                                 T(2025, 4, 24, 9, 0, 0), &nd, &e),
	                 ERR_INVALID_ARGUMENT);
	lim.pause_mode = WORKTIME_PAUSE_CONTINUE;
	assert_int_equal(worktime_resume(cal, &lim, due, T(2025, 4, 24, 10, 0, 0),
	                                 T(2025, 4, 24, 9, 0, 0), &nd, &e),
	                 ERR_INVALID_ARGUMENT);
	/* CONTINUE, paused when already 2 working hours late (Mon 28/4 10:00): the new due
	 * is the earliest instant 2 working hours before the resumption (Tue 6/5 10:00):
	 * the end of Monday 5/5. */
	assert_int_equal(worktime_resume(cal, &lim, due, T(2025, 4, 28, 10, 0, 0),
	                                 T(2025, 5, 6, 10, 0, 0), &nd, &e),
	                 ERR_OK);
	assert_int_equal(nd, T(2025, 5, 5, 17, 0, 0));
	assert_int_equal(worktime_judge(nd, T(2025, 5, 6, 10, 0, 0)), WORKTIME_LATE);
	/* Paused exactly at the due, resumed on a Sunday: due at the resumption itself. */
	assert_int_equal(worktime_resume(cal, &lim, due, due, T(2025, 5, 4, 10, 0, 0), &nd, &e),
	                 ERR_OK);
	assert_int_equal(nd, T(2025, 5, 4, 10, 0, 0));
	/* Hour-based procedure paused over Tết 2026 [DATA]: 16 h from Thu 12/2/2026 08:00
	 * is due Fri 13/2 17:00; paused Fri 13/2 08:00 (8 h left), resumed Sat 21/2 ->
	 * Mon 23/2 17:00. */
	lim = (struct worktime_limit){WORKTIME_HOURS, 16, WORKTIME_NO_CUTOFF,
	                              WORKTIME_PAUSE_CONTINUE};
	assert_int_equal(worktime_due(cal, &lim, T(2026, 2, 12, 8, 0, 0), NULL, &due, &e), ERR_OK);
	assert_int_equal(due, T(2026, 2, 13, 17, 0, 0));
	assert_int_equal(worktime_resume(cal, &lim, due, T(2026, 2, 13, 8, 0, 0),
	                                 T(2026, 2, 21, 9, 0, 0), &nd, &e),
	                 ERR_OK);
	assert_int_equal(nd, T(2026, 2, 23, 17, 0, 0));
	/* The same in RESTART mode: 16 h from Mon 23/2 08:00 -> Tue 24/2 17:00. */
	lim.pause_mode = WORKTIME_PAUSE_RESTART;
	assert_int_equal(worktime_resume(cal, &lim, due, T(2026, 2, 13, 8, 0, 0),
	                                 T(2026, 2, 21, 9, 0, 0), &nd, &e),
	                 ERR_OK);
	assert_int_equal(nd, T(2026, 2, 24, 17, 0, 0));
}

static void test_timeliness(void **state)
{
	(void)state;
	/* [OURS] Due Mon 28/4/2025 17:00:00. */
	int64_t due = T(2025, 4, 28, 17, 0, 0);
	assert_int_equal(worktime_judge(due, due), WORKTIME_ON_TIME);
	assert_int_equal(worktime_judge(due, due + 1), WORKTIME_LATE);
	assert_int_equal(worktime_judge(due, due - 1), WORKTIME_ON_TIME);
	assert_int_equal(worktime_judge(due, T(2025, 4, 28, 0, 0, 0)), WORKTIME_ON_TIME);
	assert_int_equal(worktime_judge(due, T(2025, 4, 27, 23, 59, 59)), WORKTIME_EARLY);
	assert_int_equal(worktime_judge(due, T(2025, 4, 26, 16, 0, 0)), WORKTIME_EARLY);
	assert_int_equal(worktime_judge(due, T(2025, 4, 29, 8, 0, 0)), WORKTIME_LATE);
	/* A step due at 10:00 (hour-based): 09:59 the same day is on time, not early. */
	int64_t step = T(2025, 3, 3, 10, 0, 0);
	assert_int_equal(worktime_judge(step, T(2025, 3, 3, 9, 59, 0)), WORKTIME_ON_TIME);
	assert_int_equal(worktime_judge(step, T(2025, 3, 3, 10, 0, 1)), WORKTIME_LATE);
	assert_int_equal(worktime_judge(step, T(2025, 2, 28, 16, 0, 0)), WORKTIME_EARLY);
	assert_string_equal(worktime_timeliness_name(WORKTIME_EARLY), "early");
	assert_string_equal(worktime_timeliness_name(WORKTIME_ON_TIME), "on_time");
	assert_string_equal(worktime_timeliness_name(WORKTIME_LATE), "late");
	/* Remaining time at the due is 0; one working hour after, -3600; over the
	 * evening after the due it stays 0 (judge() says late). */
	int64_t rem;
	struct err e = {ERR_OK, ""};
	const struct worktime_calendar *cal = CAL(state);
	assert_int_equal(worktime_remaining(cal, due, due, &rem, &e), ERR_OK);
	assert_int_equal(rem, 0);
	assert_int_equal(worktime_remaining(cal, due, T(2025, 4, 29, 9, 0, 0), &rem, &e), ERR_OK);
	assert_int_equal(rem, -3600);
	assert_int_equal(worktime_remaining(cal, due, T(2025, 4, 28, 20, 0, 0), &rem, &e), ERR_OK);
	assert_int_equal(rem, 0);
	assert_int_equal(worktime_remaining(cal, due, T(2025, 4, 28, 16, 0, 0), &rem, &e), ERR_OK);
	assert_int_equal(rem, 3600);
}

static void test_provisional_2027(void **state)
{
	/* [LUNAR][OURS] Tết 2027 (Sat 6/2) by the provisional pattern: Fri 5/2, Mon 8/2,
	 * Tue 9/2 and compensatory Wed 10/2, Thu 11/2 off. Thu 4/2 + 1 day -> Fri 12/2. */
	assert_int_equal(
	        due_of(state, T(2027, 2, 4, 10, 0, 0), WORKTIME_DAYS, 1, WORKTIME_NO_CUTOFF),
	        T(2027, 2, 12, 17, 0, 0));
	struct worktime_day d;
	struct err e = {ERR_OK, ""};
	assert_int_equal(worktime_day_info(CAL(state), D(2027, 2, 10), &d, &e), ERR_OK);
	assert_true(d.provisional);
	/* [LC] 2/9/2027 is a Thursday: 2/9 and Fri 3/9 off (provisional). Wed 1/9 + 1 day
	 * -> Mon 6/9. */
	assert_int_equal(
	        due_of(state, T(2027, 9, 1, 10, 0, 0), WORKTIME_DAYS, 1, WORKTIME_NO_CUTOFF),
	        T(2027, 9, 6, 17, 0, 0));
}

static void test_compensatory(void **state)
{
	/* [DATA][LC] Hùng Kings 2026 on Sunday 26/4 -> Monday 27/4 off: Fri 24/4 + 1 day
	 * -> Tue 28/4. */
	assert_int_equal(
	        due_of(state, T(2026, 4, 24, 10, 0, 0), WORKTIME_DAYS, 1, WORKTIME_NO_CUTOFF),
	        T(2026, 4, 28, 17, 0, 0));
	/* [DATA] 30/4 and 1/5/2026 (Thu, Fri) off: Wed 29/4 + 1 day -> Mon 4/5. */
	assert_int_equal(
	        due_of(state, T(2026, 4, 29, 10, 0, 0), WORKTIME_DAYS, 1, WORKTIME_NO_CUTOFF),
	        T(2026, 5, 4, 17, 0, 0));
}

/* Rules only (no data): the rule-derived compensatory Monday is the same day. */
static int setup_rules(void **state)
{
	return setup_years(state, 2026, 2026, "08:00-12:00,13:00-17:00", false);
}

static void test_rules_only_calendar(void **state)
{
	struct worktime_day d;
	struct err e = {ERR_OK, ""};
	assert_int_equal(worktime_day_info(CAL(state), D(2026, 4, 27), &d, &e), ERR_OK);
	assert_int_equal(d.kind, WORKTIME_HOLIDAY);
	assert_true(d.provisional);
	assert_int_equal(d.occasion, HOLIDAY_HUNG_KINGS);
	/* Without the data, Sat 10/1/2026 is no working day. */
	assert_false(worktime_is_working_day(CAL(state), D(2026, 1, 10)));
}

/* A day ending at 24:00: the end of office hours is midnight of the next day. */
static int setup_late(void **state)
{
	return setup_years(state, 2025, 2025, "08:00-12:00,13:00-24:00", true);
}

static void test_period_ending_midnight(void **state)
{
	assert_int_equal(reception(state, T(2025, 3, 3, 23, 59, 59), WORKTIME_NO_CUTOFF),
	                 T(2025, 3, 3, 23, 59, 59));
	assert_int_equal(
	        due_of(state, T(2025, 3, 3, 10, 0, 0), WORKTIME_DAYS, 0, WORKTIME_NO_CUTOFF),
	        T(2025, 3, 4, 0, 0, 0));
	/* 23:00 + 2 h: 1 h Monday, then Tuesday 08:00 + 1 h. */
	assert_int_equal(
	        due_of(state, T(2025, 3, 3, 23, 0, 0), WORKTIME_HOURS, 2, WORKTIME_NO_CUTOFF),
	        T(2025, 3, 4, 9, 0, 0));
}

/* A small deterministic generator for the property tests. */
static uint64_t rng_next(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

static void test_properties(void **state)
{
	const struct worktime_calendar *cal = CAL(state);
	struct err e = {ERR_OK, ""};
	uint64_t seed = 12345;
	int64_t from = T(2023, 1, 1, 0, 0, 0), span = T(2028, 1, 1, 0, 0, 0) - from;
	for (int i = 0; i < 20000; i++) {
		int64_t t = from + (int64_t)(rng_next(&seed) % (uint64_t)span);
		int n = (int)(rng_next(&seed) % 40);
		struct worktime_limit lim = {WORKTIME_DAYS, n, WORKTIME_NO_CUTOFF,
		                             WORKTIME_PAUSE_CONTINUE};
		int64_t legal, due, rem, w0, w1, due2;
		assert_int_equal(worktime_due(cal, &lim, t, &legal, &due, &e), ERR_OK);
		/* The due is 17:00 of a working day, after the legal reception >= received. */
		int64_t day;
		int sod;
		vntime_split(due, &day, &sod);
		assert_int_equal(sod, 17 * 3600);
		assert_true(worktime_is_working_day(cal, day));
		assert_true(legal >= t);
		assert_true(due > legal);
		/* Remaining time at the due is 0, and at the legal reception n days + the rest
		 * of the reception day. */
		assert_int_equal(worktime_remaining(cal, due, due, &rem, &e), ERR_OK);
		assert_int_equal(rem, 0);
		assert_int_equal(worktime_remaining(cal, due, legal, &rem, &e), ERR_OK);
		assert_true(rem >= (int64_t)n * 8 * 3600 && rem <= (int64_t)(n + 1) * 8 * 3600);
		/* One more day is a later working day. */
		lim.amount = n + 1;
		assert_int_equal(worktime_due(cal, &lim, t, NULL, &due2, &e), ERR_OK);
		assert_true(due2 >= due + 24 * 3600 - 0 && (due2 - due) % 86400 == 0);
		/* Hours: exactly n h of working time after the legal reception. */
		lim.unit = WORKTIME_HOURS;
		lim.amount = n;
		assert_int_equal(worktime_due(cal, &lim, t, &legal, &due, &e), ERR_OK);
		assert_int_equal(worktime_between(cal, legal, due, &rem, &e), ERR_OK);
		assert_int_equal(rem, (int64_t)n * 3600);
		/* The clock is monotonic, and instant_at inverts it. */
		int64_t t2 = t + (int64_t)(rng_next(&seed) % 200000);
		assert_int_equal(worktime_clock(cal, t, &w0, &e), ERR_OK);
		assert_int_equal(worktime_clock(cal, t2, &w1, &e), ERR_OK);
		assert_true(w1 >= w0);
		assert_true(w1 - w0 <= t2 - t);
		int64_t back;
		assert_int_equal(worktime_instant_at(cal, w0, &back, &e), ERR_OK);
		assert_true(back <= t);
		assert_int_equal(worktime_clock(cal, back, &w1, &e), ERR_OK);
		assert_int_equal(w1, w0);
	}
	/* Second by second over a week with a holiday: W never decreases and grows by
	 * one exactly inside office periods of working days. */
	int64_t prev;
	assert_int_equal(worktime_clock(cal, T(2025, 4, 28, 0, 0, 0), &prev, &e), ERR_OK);
	for (int64_t t = T(2025, 4, 28, 0, 0, 1); t < T(2025, 5, 6, 0, 0, 0); t++) {
		int64_t w, day;
		int sod;
		assert_int_equal(worktime_clock(cal, t, &w, &e), ERR_OK);
		vntime_split(t - 1, &day, &sod);
		bool inside = worktime_is_working_day(cal, day) &&
		              ((sod >= 8 * 3600 && sod < 12 * 3600) ||
		               (sod >= 13 * 3600 && sod < 17 * 3600));
		assert_int_equal(w - prev, inside ? 1 : 0);
		prev = w;
	}
}

static void test_build(void **state)
{
	(void)state;
	/* 200 years build; the table is small: a byte and an int32 per day, an int32 per
	 * working day. */
	struct holiday_set s;
	struct worktime_hours h;
	struct worktime_calendar cal;
	struct err e = {ERR_OK, ""};
	assert_int_equal(holidays_resolve(NULL, 1999, 2198, false, &s, &e), ERR_OK);
	assert_int_equal(worktime_hours_parse("08:00-12:00,13:00-17:00", &h, &e), ERR_OK);
	assert_int_equal(worktime_calendar_build(&cal, &s, &h, &e), ERR_OK);
	assert_int_equal(cal.ndays, D(2199, 1, 1) - D(1999, 1, 1));
	size_t bytes = (size_t)cal.ndays * 5 + (size_t)cal.nwork * 4;
	assert_true(bytes < 700 * 1024);
	assert_true(cal.nwork > 200 * 240 && cal.nwork < 200 * 255);
	worktime_calendar_release(&cal);
	assert_null(cal.info);
	/* No office time: refused. */
	struct worktime_hours none = {0};
	assert_int_equal(worktime_calendar_build(&cal, &s, &none, &e), ERR_INVALID_OFFICE_HOURS);
	holidays_set_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_hours_parse),
	        cmocka_unit_test_setup_teardown(test_day_table, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_issue_example, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_make_up_saturdays, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_tet, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_reception_outside_hours, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_cutoff, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_same_day, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_hours, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_year_end, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_range_edges, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_pause_resume, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_timeliness, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_provisional_2027, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_compensatory, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_rules_only_calendar, setup_rules, teardown),
	        cmocka_unit_test_setup_teardown(test_period_ending_midnight, setup_late, teardown),
	        cmocka_unit_test_setup_teardown(test_properties, setup, teardown),
	        cmocka_unit_test(test_build),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
