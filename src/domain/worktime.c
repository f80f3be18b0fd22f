/*
 * worktime: the day table and the working clock (see worktime.h and
 * docs/calendar.md for the rules and their sources).
 */
#include "domain/worktime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/vntime.h"

/* ----------------------------------------------------------- office hours */

enum err_code worktime_hours_parse(const char *text, struct worktime_hours *out, struct err *e)
{
	struct worktime_hours h;
	memset(&h, 0, sizeof(h));
	if (!text || !*text)
		return err_set(e, ERR_INVALID_OFFICE_HOURS, "empty office hours");
	size_t len = strnlen(text, WORKTIME_HOURS_TEXT_LEN + 1);
	if (len > WORKTIME_HOURS_TEXT_LEN - 1)
		return err_set(e, ERR_INVALID_OFFICE_HOURS, "office hours too long");
	const char *p = text;
	for (;;) {
		char a[6], b[6];
		if (h.count == WORKTIME_MAX_PERIODS)
			return err_set(e, ERR_INVALID_OFFICE_HOURS,
			               "more than %d periods in office hours '%s'",
			               WORKTIME_MAX_PERIODS, text);
		/* HH:MM-HH:MM */
		if (strnlen(p, 11) < 11 || p[5] != '-')
			goto bad;
		memcpy(a, p, 5);
		a[5] = '\0';
		memcpy(b, p + 6, 5);
		b[5] = '\0';
		int s, t;
		if (vntime_parse_hhmm(a, &s) < 0 || vntime_parse_hhmm(b, &t) < 0)
			goto bad;
		if (s >= t || s >= 86400)
			return err_set(e, ERR_INVALID_OFFICE_HOURS,
			               "empty or reversed period '%s-%s' in office hours", a, b);
		if (h.count > 0 && s < h.end[h.count - 1])
			return err_set(e, ERR_INVALID_OFFICE_HOURS,
			               "period '%s-%s' overlaps or precedes the one before it", a,
			               b);
		h.start[h.count] = s;
		h.end[h.count] = t;
		h.day_seconds += t - s;
		h.count++;
		p += 11;
		if (*p == '\0')
			break;
		if (*p != ',')
			goto bad;
		p++;
	}
	*out = h;
	return ERR_OK;
bad:
	return err_set(e, ERR_INVALID_OFFICE_HOURS,
	               "invalid office hours '%s' (use HH:MM-HH:MM,HH:MM-HH:MM)", text);
}

void worktime_hours_format(const struct worktime_hours *h, char out[WORKTIME_HOURS_TEXT_LEN])
{
	size_t n = 0;
	out[0] = '\0';
	for (int i = 0; i < h->count && i < WORKTIME_MAX_PERIODS; i++) {
		int r = snprintf(out + n, WORKTIME_HOURS_TEXT_LEN - n, "%s%02d:%02d-%02d:%02d",
		                 i ? "," : "", h->start[i] / 3600, h->start[i] / 60 % 60,
		                 h->end[i] / 3600, h->end[i] / 60 % 60);
		if (r < 0 || (size_t)r >= WORKTIME_HOURS_TEXT_LEN - n)
			break;
		n += (size_t)r;
	}
}

/* Office seconds of a working day before second of day sod. */
static int worked_before(const struct worktime_hours *h, int sod)
{
	int w = 0;
	for (int i = 0; i < h->count; i++) {
		if (sod <= h->start[i])
			break;
		w += (sod < h->end[i] ? sod : h->end[i]) - h->start[i];
	}
	return w;
}

/* The earliest second of day at which worked_before() reaches w (0 <= w <= day_seconds). */
static int sod_at(const struct worktime_hours *h, int w)
{
	int c = 0;
	for (int i = 0; i < h->count; i++) {
		int len = h->end[i] - h->start[i];
		if (w <= c + len)
			return h->start[i] + (w - c);
		c += len;
	}
	return h->end[h->count - 1];
}

/* -------------------------------------------------------------- day table */

#define INFO_KIND(b)     ((enum worktime_day_kind)((b)&3))
#define INFO_PROVISIONAL 4u

static bool kind_working(enum worktime_day_kind k)
{
	return k == WORKTIME_WORKDAY || k == WORKTIME_MAKEUP;
}

enum err_code worktime_calendar_build(struct worktime_calendar *cal, const struct holiday_set *set,
                                      const struct worktime_hours *hours, struct err *e)
{
	memset(cal, 0, sizeof(*cal));
	if (hours->count < 1 || hours->count > WORKTIME_MAX_PERIODS || hours->day_seconds <= 0)
		return err_set(e, ERR_INVALID_OFFICE_HOURS, "no office time in a working day");
	if (set->first_year > set->last_year || set->first_year < VNTIME_MIN_YEAR ||
	    set->last_year >= VNTIME_MAX_YEAR)
		return err_set(e, ERR_OUT_OF_RANGE, "year range '%d..%d' is invalid",
		               set->first_year, set->last_year);
	cal->first_year = set->first_year;
	cal->last_year = set->last_year;
	cal->hours = *hours;
	cal->first_day = vntime_days_from_civil(set->first_year, 1, 1);
	cal->ndays = (int32_t)(vntime_days_from_civil(set->last_year + 1, 1, 1) - cal->first_day);
	cal->info = malloc((size_t)cal->ndays);
	cal->rank = malloc((size_t)cal->ndays * sizeof(*cal->rank));
	if (!cal->info || !cal->rank)
		goto nomem;
	/* Saturday and Sunday are off (Decision 188/1999/QĐ-TTg, 40-hour week). */
	int wd = vntime_weekday(cal->first_day);
	for (int32_t i = 0; i < cal->ndays; i++) {
		cal->info[i] = (wd == 0 || wd == 6) ? WORKTIME_WEEKEND : WORKTIME_WORKDAY;
		wd = wd == 6 ? 0 : wd + 1;
	}
	for (size_t k = 0; k < set->count; k++) {
		const struct holiday_entry *h = &set->entries[k];
		int64_t i = h->date - cal->first_day;
		if (h->weekend || i < 0 || i >= cal->ndays)
			continue;
		unsigned b = h->kind == HOLIDAY_WORK ? WORKTIME_MAKEUP : WORKTIME_HOLIDAY;
		if (h->status != HOLIDAY_CONFIRMED)
			b |= INFO_PROVISIONAL;
		b |= ((unsigned)h->occasion + 1) << 3;
		cal->info[i] = (uint8_t)b;
	}
	int32_t n = 0;
	for (int32_t i = 0; i < cal->ndays; i++) {
		cal->rank[i] = n;
		if (kind_working(INFO_KIND(cal->info[i])))
			n++;
	}
	cal->nwork = n;
	cal->workday = malloc((size_t)(n > 0 ? n : 1) * sizeof(*cal->workday));
	if (!cal->workday)
		goto nomem;
	for (int32_t i = 0; i < cal->ndays; i++) {
		if (kind_working(INFO_KIND(cal->info[i])))
			cal->workday[cal->rank[i]] = i;
	}
	return ERR_OK;
nomem:
	worktime_calendar_release(cal);
	return err_set(e, ERR_NO_MEMORY, "out of memory building the calendar");
}

void worktime_calendar_release(struct worktime_calendar *cal)
{
	if (!cal)
		return;
	free(cal->info);
	free(cal->rank);
	free(cal->workday);
	cal->info = NULL;
	cal->rank = NULL;
	cal->workday = NULL;
	cal->ndays = 0;
	cal->nwork = 0;
}

int64_t worktime_first_day(const struct worktime_calendar *cal)
{
	return cal->first_day;
}

int64_t worktime_last_day(const struct worktime_calendar *cal)
{
	return cal->first_day + cal->ndays - 1;
}

static enum err_code out_of_table(const struct worktime_calendar *cal, int64_t day, struct err *e)
{
	char d[VNTIME_DATE_LEN];
	vntime_format_date(day, d);
	return err_set(e, ERR_DATE_OUT_OF_CALENDAR, "date '%s' is outside the calendar (%d..%d)", d,
	               cal->first_year, cal->last_year);
}

/* Offset of a day in the table, or -1. */
static int64_t day_index(const struct worktime_calendar *cal, int64_t day)
{
	int64_t i = day - cal->first_day;
	return i >= 0 && i < cal->ndays ? i : -1;
}

enum err_code worktime_day_info(const struct worktime_calendar *cal, int64_t day,
                                struct worktime_day *out, struct err *e)
{
	int64_t i = day_index(cal, day);
	if (i < 0)
		return out_of_table(cal, day, e);
	unsigned b = cal->info[i];
	out->kind = INFO_KIND(b);
	out->working = kind_working(out->kind);
	out->provisional = (b & INFO_PROVISIONAL) != 0;
	out->occasion = (int)(b >> 3) - 1;
	return ERR_OK;
}

bool worktime_is_working_day(const struct worktime_calendar *cal, int64_t day)
{
	int64_t i = day_index(cal, day);
	return i >= 0 && kind_working(INFO_KIND(cal->info[i]));
}

/* -------------------------------------------------------- working clock */

enum err_code worktime_clock(const struct worktime_calendar *cal, int64_t t, int64_t *w,
                             struct err *e)
{
	int64_t day;
	int sod;
	vntime_split(t, &day, &sod);
	int64_t i = day_index(cal, day);
	if (i < 0)
		return out_of_table(cal, day, e);
	int64_t v = (int64_t)cal->rank[i] * cal->hours.day_seconds;
	if (kind_working(INFO_KIND(cal->info[i])))
		v += worked_before(&cal->hours, sod);
	*w = v;
	return ERR_OK;
}

enum err_code worktime_instant_at(const struct worktime_calendar *cal, int64_t w, int64_t *t,
                                  struct err *e)
{
	int64_t ds = cal->hours.day_seconds;
	if (w < 0 || cal->nwork == 0 || w > (int64_t)cal->nwork * ds)
		return err_set(e, ERR_DATE_OUT_OF_CALENDAR,
		               "working time %lld s is outside the calendar (%d..%d)", (long long)w,
		               cal->first_year, cal->last_year);
	int64_t r = w / ds, rem = w % ds;
	if (rem == 0 && r > 0) {
		/* The end of the previous working day's office hours. */
		*t = vntime_join(cal->first_day + cal->workday[r - 1],
		                 cal->hours.end[cal->hours.count - 1]);
		return ERR_OK;
	}
	*t = vntime_join(cal->first_day + cal->workday[r], sod_at(&cal->hours, (int)rem));
	return ERR_OK;
}

enum err_code worktime_between(const struct worktime_calendar *cal, int64_t a, int64_t b,
                               int64_t *seconds, struct err *e)
{
	int64_t wa, wb;
	enum err_code rc;
	if ((rc = worktime_clock(cal, a, &wa, e)) || (rc = worktime_clock(cal, b, &wb, e)))
		return rc;
	*seconds = wb - wa;
	return ERR_OK;
}

/* The instant of W(base) + delta, with a clear error past either end of the table. */
static enum err_code clock_plus(const struct worktime_calendar *cal, int64_t base, int64_t delta,
                                int64_t *out, struct err *e)
{
	int64_t w;
	enum err_code rc = worktime_clock(cal, base, &w, e);
	if (rc)
		return rc;
	int64_t target = w + delta;
	if (target < 0 || target > (int64_t)cal->nwork * cal->hours.day_seconds)
		return err_set(e, ERR_DATE_OUT_OF_CALENDAR,
		               "the result falls outside the calendar (%d..%d)", cal->first_year,
		               cal->last_year);
	if ((rc = worktime_instant_at(cal, target, out, e)))
		return rc;
	/* With no time to add, the earliest instant may lie before base (the end
	 * of the previous period): the clock only counts from base on. */
	if (delta >= 0 && *out < base)
		*out = base;
	return ERR_OK;
}

enum err_code worktime_add_seconds(const struct worktime_calendar *cal, int64_t from,
                                   int64_t seconds, int64_t *out, struct err *e)
{
	if (seconds < 0)
		return err_set(e, ERR_INVALID_ARGUMENT, "negative working time '%lld'",
		               (long long)seconds);
	return clock_plus(cal, from, seconds, out, e);
}

enum err_code worktime_add_days(const struct worktime_calendar *cal, int64_t from, int n,
                                int64_t *out, struct err *e)
{
	int64_t day;
	vntime_split(from, &day, NULL);
	int64_t i = day_index(cal, day);
	if (i < 0)
		return out_of_table(cal, day, e);
	if (n < 0)
		return err_set(e, ERR_INVALID_ARGUMENT, "negative number of days '%d'", n);
	bool working = kind_working(INFO_KIND(cal->info[i]));
	if (n == 0 && !working) {
		char d[VNTIME_DATE_LEN];
		vntime_format_date(day, d);
		return err_set(e, ERR_INVALID_ARGUMENT, "'%s' is not a working day", d);
	}
	/* rank[i] is the rank of day i when it works, else of the next working day. */
	int64_t k = (int64_t)cal->rank[i] + n - (working ? 0 : 1);
	if (k >= cal->nwork)
		return err_set(e, ERR_DATE_OUT_OF_CALENDAR,
		               "the due date falls after the end of the calendar (%d)",
		               cal->last_year);
	*out = vntime_join(cal->first_day + cal->workday[k], cal->hours.end[cal->hours.count - 1]);
	return ERR_OK;
}

/* ------------------------------------------------------------- deadlines */

/* Start of the first office period of the k-th working day. */
static enum err_code start_of_rank(const struct worktime_calendar *cal, int64_t k, int64_t *out,
                                   struct err *e)
{
	if (k >= cal->nwork)
		return err_set(e, ERR_DATE_OUT_OF_CALENDAR,
		               "no working day left in the calendar (%d..%d)", cal->first_year,
		               cal->last_year);
	*out = vntime_join(cal->first_day + cal->workday[k], cal->hours.start[0]);
	return ERR_OK;
}

enum err_code worktime_reception(const struct worktime_calendar *cal, int64_t received, int cutoff,
                                 int64_t *legal, struct err *e)
{
	const struct worktime_hours *h = &cal->hours;
	if (cutoff != WORKTIME_NO_CUTOFF &&
	    (cutoff <= h->start[0] || cutoff > h->end[h->count - 1]))
		return err_set(e, ERR_OUT_OF_RANGE, "cut-off '%02d:%02d' is outside office hours",
		               cutoff / 3600, cutoff / 60 % 60);
	int64_t day;
	int sod;
	vntime_split(received, &day, &sod);
	int64_t i = day_index(cal, day);
	if (i < 0)
		return out_of_table(cal, day, e);
	int64_t r = -1;
	enum err_code rc;
	if (kind_working(INFO_KIND(cal->info[i]))) {
		for (int p = 0; p < h->count; p++) {
			if (sod < h->end[p]) {
				r = sod >= h->start[p] ? received : vntime_join(day, h->start[p]);
				break;
			}
		}
		if (r < 0 && (rc = start_of_rank(cal, (int64_t)cal->rank[i] + 1, &r, e)))
			return rc;
	} else if ((rc = start_of_rank(cal, cal->rank[i], &r, e))) {
		return rc;
	}
	if (cutoff != WORKTIME_NO_CUTOFF) {
		vntime_split(r, &day, &sod);
		if (sod >= cutoff &&
		    (rc = start_of_rank(cal, (int64_t)cal->rank[day - cal->first_day] + 1, &r, e)))
			return rc;
	}
	*legal = r;
	return ERR_OK;
}

enum err_code worktime_due(const struct worktime_calendar *cal, const struct worktime_limit *lim,
                           int64_t received, int64_t *legal, int64_t *due, struct err *e)
{
	int max = lim->unit == WORKTIME_DAYS ? WORKTIME_MAX_DAYS : WORKTIME_MAX_HOURS;
	if (lim->unit != WORKTIME_DAYS && lim->unit != WORKTIME_HOURS)
		return err_set(e, ERR_INVALID_ARGUMENT, "unknown unit of legal time");
	if (lim->amount < 0 || lim->amount > max)
		return err_set(e, ERR_OUT_OF_RANGE, "legal time '%d' outside 0..%d", lim->amount,
		               max);
	int64_t r;
	enum err_code rc = worktime_reception(cal, received, lim->cutoff, &r, e);
	if (rc)
		return rc;
	if (lim->unit == WORKTIME_DAYS)
		rc = worktime_add_days(cal, r, lim->amount, due, e);
	else
		rc = worktime_add_seconds(cal, r, (int64_t)lim->amount * 3600, due, e);
	if (rc)
		return rc;
	if (legal)
		*legal = r;
	return ERR_OK;
}

enum err_code worktime_remaining(const struct worktime_calendar *cal, int64_t due, int64_t now,
                                 int64_t *remaining, struct err *e)
{
	return worktime_between(cal, now, due, remaining, e);
}

enum err_code worktime_resume(const struct worktime_calendar *cal, const struct worktime_limit *lim,
                              int64_t due, int64_t paused, int64_t resumed, int64_t *new_due,
                              struct err *e)
{
	if (resumed < paused)
		return err_set(e, ERR_INVALID_ARGUMENT, "resumption before the pause");
	if (lim->pause_mode == WORKTIME_PAUSE_RESTART)
		return worktime_due(cal, lim, resumed, NULL, new_due, e);
	if (lim->pause_mode != WORKTIME_PAUSE_CONTINUE)
		return err_set(e, ERR_INVALID_ARGUMENT, "unknown pause mode");
	int64_t left;
	enum err_code rc = worktime_between(cal, paused, due, &left, e);
	if (rc)
		return rc;
	return clock_plus(cal, resumed, left, new_due, e);
}

enum worktime_timeliness worktime_judge(int64_t due, int64_t finished)
{
	if (finished > due)
		return WORKTIME_LATE;
	int64_t dd, fd;
	vntime_split(due, &dd, NULL);
	vntime_split(finished, &fd, NULL);
	return fd < dd ? WORKTIME_EARLY : WORKTIME_ON_TIME;
}

const char *worktime_timeliness_name(enum worktime_timeliness t)
{
	switch (t) {
	case WORKTIME_EARLY:
		return "early";
	case WORKTIME_ON_TIME:
		return "on_time";
	case WORKTIME_LATE:
		return "late";
	}
	return "?";
}
