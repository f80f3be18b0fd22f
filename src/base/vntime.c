/*
 * vntime: Vietnam civil time (UTC+7), computed without the C library's time
 * zone machinery. The day-count conversions use the era-based arithmetic of
 * the proleptic Gregorian calendar (400-year cycles of 146097 days).
 */
#include "base/vntime.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

bool vntime_is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int vntime_days_in_month(int year, int month)
{
	static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && vntime_is_leap_year(year))
		return 29;
	return len[month - 1];
}

bool vntime_valid_date(int year, int month, int day)
{
	return year >= VNTIME_MIN_YEAR && year <= VNTIME_MAX_YEAR && month >= 1 && month <= 12 &&
	       day >= 1 && day <= vntime_days_in_month(year, month);
}

/* Floor division for possibly negative numerators. */
static int64_t floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t vntime_days_from_civil(int year, int month, int day)
{
	/* Count from 1 March so that the leap day is the last day of the year. */
	int64_t y = (int64_t)year - (month <= 2);
	int64_t era = floordiv(y, 400);
	int64_t yoe = y - era * 400;                         /* 0..399 */
	int64_t mp = (month + 9) % 12;                       /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + day - 1;          /* 0..365 */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* 0..146096 */
	return era * 146097 + doe - 719468;
}

struct vndate vntime_civil_from_days(int64_t days)
{
	int64_t z = days + 719468;
	int64_t era = floordiv(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	struct vndate d;
	d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.year = (int)(yoe + era * 400 + (d.month <= 2));
	return d;
}

int vntime_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (4). */
	int64_t w = (days + 4) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

void vntime_split(int64_t epoch, int64_t *days, int *sec_of_day)
{
	int64_t local = epoch + VNTIME_UTC_OFFSET;
	int64_t d = floordiv(local, VNTIME_DAY);
	if (days)
		*days = d;
	if (sec_of_day)
		*sec_of_day = (int)(local - d * VNTIME_DAY);
}

int64_t vntime_join(int64_t days, int sec_of_day)
{
	return days * VNTIME_DAY + sec_of_day - VNTIME_UTC_OFFSET;
}

int64_t vntime_now_real(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

/* Reads exactly n decimal digits at s into *out. Returns 0 or -1. */
static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Parses "YYYY-MM-DD" at the start of s; returns the number of bytes used or -1. */
static int parse_date_prefix(const char *s, int64_t *days)
{
	int y, m, d;
	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) || s[7] != '-' ||
	    digits(s + 8, 2, &d))
		return -1;
	if (!vntime_valid_date(y, m, d))
		return -1;
	*days = vntime_days_from_civil(y, m, d);
	return 10;
}

int vntime_parse_date(const char *s, int64_t *days)
{
	int64_t d;
	if (!s || strnlen(s, 11) != 10 || parse_date_prefix(s, &d) < 0)
		return -1;
	*days = d;
	return 0;
}

int vntime_parse_hhmm(const char *s, int *sec_of_day)
{
	int h, m;
	if (!s || strnlen(s, 6) != 5 || digits(s, 2, &h) || s[2] != ':' || digits(s + 3, 2, &m))
		return -1;
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	*sec_of_day = h * 3600 + m * 60;
	return 0;
}

int vntime_parse_datetime(const char *s, int64_t *epoch)
{
	int64_t days;
	int h, mi, sec = 0, offset = VNTIME_UTC_OFFSET;
	if (!s || parse_date_prefix(s, &days) < 0)
		return -1;
	const char *p = s + 10;
	if (*p != 'T' && *p != ' ')
		return -1;
	p++;
	if (digits(p, 2, &h) || p[2] != ':' || digits(p + 3, 2, &mi))
		return -1;
	p += 5;
	if (*p == ':') {
		if (digits(p + 1, 2, &sec))
			return -1;
		p += 3;
	}
	if (h > 23 || mi > 59 || sec > 59)
		return -1;
	if (*p == 'Z') {
		offset = 0;
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 14 ||
		    om > 59)
			return -1;
		offset = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
		p += 6;
	}
	if (*p != '\0')
		return -1;
	int64_t t = days * VNTIME_DAY + h * 3600 + mi * 60 + sec - offset;
	/* The instant's date in Vietnam must itself be a date of 1..9999. */
	int64_t local_day;
	vntime_split(t, &local_day, NULL);
	if (local_day < vntime_days_from_civil(VNTIME_MIN_YEAR, 1, 1) ||
	    local_day > vntime_days_from_civil(VNTIME_MAX_YEAR, 12, 31))
		return -1;
	*epoch = t;
	return 0;
}

void vntime_format_date(int64_t days, char out[VNTIME_DATE_LEN])
{
	struct vndate d = vntime_civil_from_days(days);
	if (d.year < 0 || d.year > 9999) {
		snprintf(out, VNTIME_DATE_LEN, "0000-00-00");
		return;
	}
	snprintf(out, VNTIME_DATE_LEN, "%04d-%02d-%02d", d.year, d.month, d.day);
}

void vntime_format_datetime(int64_t epoch, char out[VNTIME_DATETIME_LEN])
{
	int64_t days;
	int sod;
	vntime_split(epoch, &days, &sod);
	vntime_format_date(days, out);
	int f[3] = {sod / 3600 % 24, sod / 60 % 60, sod % 60};
	char *p = out + 10;
	for (int i = 0; i < 3; i++) {
		*p++ = i == 0 ? 'T' : ':';
		*p++ = (char)('0' + f[i] / 10);
		*p++ = (char)('0' + f[i] % 10);
	}
	memcpy(p, "+07:00", 7);
}
