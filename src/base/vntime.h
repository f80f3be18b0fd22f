/*
 * vntime: Vietnam civil time, independent of the machine's time zone.
 *
 * Vietnam keeps UTC+7 all year (no daylight saving since 1975). Instants are
 * int64 seconds since the Unix epoch (UTC). Civil dates are counted as "days":
 * int64 days since 1970-01-01 in the proleptic Gregorian calendar, which makes
 * date arithmetic plain integer arithmetic. The Julian Day Number of a date is
 * days + VNTIME_JDN_EPOCH.
 *
 * Nothing here reads TZ, localtime() or gmtime(); every conversion is computed.
 */
#ifndef MOTCUA_BASE_VNTIME_H
#define MOTCUA_BASE_VNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VNTIME_UTC_OFFSET   (7 * 3600) /* seconds east of UTC */
#define VNTIME_DAY          86400
#define VNTIME_JDN_EPOCH    2440588 /* JDN of 1970-01-01 */
#define VNTIME_MIN_YEAR     1
#define VNTIME_MAX_YEAR     9999
#define VNTIME_DATE_LEN     11 /* "YYYY-MM-DD" + NUL */
#define VNTIME_DATETIME_LEN 26 /* "YYYY-MM-DDTHH:MM:SS+07:00" + NUL */

/* A civil date split into its fields. */
struct vndate {
	int year;  /* 1..9999 */
	int month; /* 1..12 */
	int day;   /* 1..31 */
};

/* True when year/month/day name a real Gregorian date in 1..9999. */
bool vntime_valid_date(int year, int month, int day);

/* Days in a month of the Gregorian calendar (0 when month is out of 1..12). */
int vntime_days_in_month(int year, int month);

/* True for a Gregorian leap year. */
bool vntime_is_leap_year(int year);

/* Days since 1970-01-01 of a civil date (no validation; any int fields). */
int64_t vntime_days_from_civil(int year, int month, int day);

/* Civil date of a day count. */
struct vndate vntime_civil_from_days(int64_t days);

/* Day of week of a day count: 0 = Sunday, 1 = Monday, ..., 6 = Saturday. */
int vntime_weekday(int64_t days);

/* Vietnam-local day and second of day of an instant. */
void vntime_split(int64_t epoch, int64_t *days, int *sec_of_day);

/* Instant of a Vietnam-local day and second of day (sec_of_day may exceed a day). */
int64_t vntime_join(int64_t days, int sec_of_day);

/* Current instant from the system clock (real time; see clock.h for the injectable one). */
int64_t vntime_now_real(void);

/*
 * Parses a strict ISO date "YYYY-MM-DD" into days. Returns 0, or -1 when the
 * text is not exactly a valid date (no surrounding spaces, no trailing text).
 */
int vntime_parse_date(const char *s, int64_t *days);

/*
 * Parses an ISO 8601 local or zoned time into an instant:
 * "YYYY-MM-DDTHH:MM", "YYYY-MM-DDTHH:MM:SS" (a space may replace the T),
 * optionally followed by "Z" or "+HH:MM" / "-HH:MM". Without an offset the
 * time is Vietnam time. A bare date is refused, and so is an instant whose
 * date in Vietnam falls outside the years 1..9999. Returns 0 or -1.
 */
int vntime_parse_datetime(const char *s, int64_t *epoch);

/* Parses "HH:MM" (00:00..24:00) into seconds of day. Returns 0 or -1. */
int vntime_parse_hhmm(const char *s, int *sec_of_day);

/* Writes "YYYY-MM-DD" (VNTIME_DATE_LEN bytes with NUL) for a day count. */
void vntime_format_date(int64_t days, char out[VNTIME_DATE_LEN]);

/* Writes "YYYY-MM-DDTHH:MM:SS+07:00" (Vietnam time) for an instant. */
void vntime_format_datetime(int64_t epoch, char out[VNTIME_DATETIME_LEN]);

#endif
