/*
 * worktime: working time of the civil service and the legal deadlines of
 * administrative procedures.
 *
 * A struct worktime_calendar is built once for a range of years from the
 * resolved holidays (holidays.h) and the office hours. It keeps, per day,
 * whether it is a working day and why, the number of working days before it
 * (its rank), and the list of working days by rank. Every working day has the
 * same office hours, so the "working clock" W(t) -- working seconds from the
 * start of the table to the instant t -- and its inverse are O(1):
 *   W(t) = rank(day) * seconds_per_working_day + office seconds of day before t.
 * All deadline functions are arithmetic on W. Instants are int64 seconds
 * since the Unix epoch; days and seconds of day are Vietnam time (vntime.h).
 *
 * The rules and our interpretations (each documented in docs/calendar.md):
 *   - legal reception: a dossier received outside office hours or on a day
 *     off counts as received at the start of the next working period; exactly
 *     at the end of a period (17:00) is outside it, exactly at its start
 *     (08:00) is inside. An optional cut-off (e.g. 15:00, for same-day
 *     procedures): received at or after it counts as received at the start of
 *     the next working day.
 *   - N working days: day 1 is the first working day after the reception day
 *     (Civil Code 2015 Art. 147(1)); due at the end of office hours of day N;
 *     N = 0: the end of office hours of the reception day.
 *   - N working hours: due when N*3600 working seconds have passed after the
 *     legal reception (the earliest such instant: a due that falls on the
 *     end of a period is that end, e.g. 12:00, not 13:00).
 *   - early / on time / late: see worktime_judge().
 */
#ifndef MOTCUA_DOMAIN_WORKTIME_H
#define MOTCUA_DOMAIN_WORKTIME_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "domain/holidays.h"

/* The range of years the product builds its calendar for. */
#define WORKTIME_FIRST_YEAR     2000
#define WORKTIME_LAST_YEAR      2100

#define WORKTIME_MAX_PERIODS    4     /* office-hour periods in a day */
#define WORKTIME_HOURS_TEXT_LEN 48    /* "HH:MM-HH:MM" x 4, commas and NUL */
#define WORKTIME_NO_CUTOFF      (-1)  /* no cut-off time */
#define WORKTIME_MAX_DAYS       3650  /* largest N of an N-working-day limit */
#define WORKTIME_MAX_HOURS      87600 /* largest N of an N-working-hour limit */

/* Office hours of a working day: sorted, non-overlapping periods [start, end). */
struct worktime_hours {
	int count;
	int start[WORKTIME_MAX_PERIODS]; /* seconds of day */
	int end[WORKTIME_MAX_PERIODS];   /* seconds of day, up to 86400 */
	int day_seconds;                 /* total office seconds of a working day */
};

/*
 * Parses "08:00-12:00,13:00-17:00": 1..WORKTIME_MAX_PERIODS periods HH:MM-HH:MM
 * (24:00 allowed as an end), each non-empty, in increasing order, not
 * overlapping (touching is allowed), no spaces. Returns ERR_OK or
 * ERR_INVALID_OFFICE_HOURS naming the text.
 */
enum err_code worktime_hours_parse(const char *text, struct worktime_hours *out, struct err *e);

/* Writes the hours back as "08:00-12:00,13:00-17:00". */
void worktime_hours_format(const struct worktime_hours *h, char out[WORKTIME_HOURS_TEXT_LEN]);

/* Why a day is or is not a working day. */
enum worktime_day_kind {
	WORKTIME_WORKDAY = 0, /* an ordinary Monday..Friday */
	WORKTIME_WEEKEND = 1, /* Saturday or Sunday (a holiday on it changes nothing) */
	WORKTIME_HOLIDAY = 2, /* a weekday off: holiday, compensatory or swapped day */
	WORKTIME_MAKEUP = 3   /* a Saturday or Sunday worked to make up a swapped day */
};

struct worktime_day {
	enum worktime_day_kind kind;
	bool working;     /* WORKDAY or MAKEUP */
	bool provisional; /* a HOLIDAY or MAKEUP whose status is not confirmed */
	int occasion;     /* enum holiday_occasion of a HOLIDAY or MAKEUP, else -1 */
};

/* The day table. Read-only after worktime_calendar_build(). */
struct worktime_calendar {
	int first_year, last_year;
	int64_t first_day; /* 1 January of first_year, as a vntime day count */
	int32_t ndays;     /* days in the table */
	int32_t nwork;     /* working days in the table */
	struct worktime_hours hours;
	uint8_t *info;    /* per day: kind | provisional << 2 | (occasion + 1) << 3 */
	int32_t *rank;    /* per day: working days before it in the table */
	int32_t *workday; /* per rank: the day's offset from first_day */
};

/*
 * Builds the table for the years of the set (set->first_year..last_year) with
 * the given office hours. 100 years take about 0.3 MB. Release with
 * worktime_calendar_release(). Returns ERR_OK, ERR_INVALID_OFFICE_HOURS (no
 * office time) or ERR_NO_MEMORY.
 */
enum err_code worktime_calendar_build(struct worktime_calendar *cal, const struct holiday_set *set,
                                      const struct worktime_hours *hours, struct err *e);

/* Frees the table. */
void worktime_calendar_release(struct worktime_calendar *cal);

/* First and last day (vntime day counts) of the table. */
int64_t worktime_first_day(const struct worktime_calendar *cal);
int64_t worktime_last_day(const struct worktime_calendar *cal);

/* What a day is. Returns ERR_OK or ERR_DATE_OUT_OF_CALENDAR. */
enum err_code worktime_day_info(const struct worktime_calendar *cal, int64_t day,
                                struct worktime_day *out, struct err *e);

/* True when day is a working day of the table (false outside it). */
bool worktime_is_working_day(const struct worktime_calendar *cal, int64_t day);

/*
 * The working clock W(t): working seconds from the start of the table to t.
 * Non-decreasing; constant outside office hours. Returns ERR_OK or
 * ERR_DATE_OUT_OF_CALENDAR.
 */
enum err_code worktime_clock(const struct worktime_calendar *cal, int64_t t, int64_t *w,
                             struct err *e);

/*
 * The earliest instant at which the working clock reads w (0 <= w <=
 * nwork * day_seconds) within office hours: inside or at the end of an office
 * period (for w = 0, the start of the table's first working period).
 * Returns ERR_OK or ERR_DATE_OUT_OF_CALENDAR.
 */
enum err_code worktime_instant_at(const struct worktime_calendar *cal, int64_t w, int64_t *t,
                                  struct err *e);

/* Working seconds from a to b (W(b) - W(a), negative when b is earlier). */
enum err_code worktime_between(const struct worktime_calendar *cal, int64_t a, int64_t b,
                               int64_t *seconds, struct err *e);

/* The earliest instant when `seconds` (>= 0) working seconds have passed after from. */
enum err_code worktime_add_seconds(const struct worktime_calendar *cal, int64_t from,
                                   int64_t seconds, int64_t *out, struct err *e);

/*
 * The end of office hours of the n-th working day after the day of from
 * (n >= 0; n = 0: the day of from itself, which must be a working day, else
 * ERR_INVALID_ARGUMENT). Returns ERR_OK or ERR_DATE_OUT_OF_CALENDAR.
 */
enum err_code worktime_add_days(const struct worktime_calendar *cal, int64_t from, int n,
                                int64_t *out, struct err *e);

/*
 * The legal reception instant of a dossier received at `received`: itself
 * when inside an office period of a working day, else the start of the next
 * office period; then, when cutoff is not WORKTIME_NO_CUTOFF and the result's
 * second of day is >= cutoff, the start of the next working day. cutoff must
 * lie after the start of the first period and no later than the end of the
 * last (else ERR_OUT_OF_RANGE). Returns ERR_OK, ERR_OUT_OF_RANGE or
 * ERR_DATE_OUT_OF_CALENDAR.
 */
enum err_code worktime_reception(const struct worktime_calendar *cal, int64_t received, int cutoff,
                                 int64_t *legal, struct err *e);

/* The unit of a procedure's legal time. */
enum worktime_unit { WORKTIME_DAYS = 0, WORKTIME_HOURS = 1 };

/* What a supplement request does to the clock, per procedure. */
enum worktime_pause_mode {
	WORKTIME_PAUSE_CONTINUE = 0, /* the remaining time goes on after the resumption */
	WORKTIME_PAUSE_RESTART = 1   /* the full time restarts when the complete dossier arrives */
};

/* A procedure's legal time. */
struct worktime_limit {
	enum worktime_unit unit;
	int amount; /* N working days (0..WORKTIME_MAX_DAYS) or hours (0..WORKTIME_MAX_HOURS) */
	int cutoff; /* seconds of day or WORKTIME_NO_CUTOFF; callers pass the configured
	               same_day_cutoff for same-day procedures (days, amount 0) */
	enum worktime_pause_mode pause_mode;
};

/*
 * The due instant of a dossier received at `received` under lim; *legal (may
 * be NULL) gets the legal reception instant. Returns ERR_OK, ERR_OUT_OF_RANGE
 * (amount or cut-off) or ERR_DATE_OUT_OF_CALENDAR.
 */
enum err_code worktime_due(const struct worktime_calendar *cal, const struct worktime_limit *lim,
                           int64_t received, int64_t *legal, int64_t *due, struct err *e);

/*
 * Working seconds left at `now` until due: W(due) - W(now); negative once the
 * working clock has passed the due (0 between the due and the next office
 * period: use worktime_judge() to tell late from not late).
 */
enum err_code worktime_remaining(const struct worktime_calendar *cal, int64_t due, int64_t now,
                                 int64_t *remaining, struct err *e);

/*
 * The new due after a supplement request paused the clock at `paused` and the
 * complete dossier arrived at `resumed` (>= paused, else ERR_INVALID_ARGUMENT):
 *   CONTINUE: the working time left at the pause (W(due) - W(paused)) runs
 *     again from `resumed` (a dossier paused when already late stays late);
 *   RESTART: the full legal time of lim counts again from `resumed`, as for a
 *     new reception (legal reception and cut-off included).
 */
enum err_code worktime_resume(const struct worktime_calendar *cal, const struct worktime_limit *lim,
                              int64_t due, int64_t paused, int64_t resumed, int64_t *new_due,
                              struct err *e);

enum worktime_timeliness { WORKTIME_EARLY = 0, WORKTIME_ON_TIME = 1, WORKTIME_LATE = 2 };

/*
 * Our interpretation (docs/calendar.md), the same for a dossier and for each
 * step with its own due: late when finished after the due instant (finished
 * at the due second is not late); early when finished on a calendar day
 * (Vietnam time) before the due's day; otherwise on time.
 */
enum worktime_timeliness worktime_judge(int64_t due, int64_t finished);

/* "early", "on_time", "late". */
const char *worktime_timeliness_name(enum worktime_timeliness t);

#endif
