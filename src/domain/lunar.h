/*
 * lunar: the Vietnamese lunisolar calendar (âm lịch), computed from
 * astronomical algorithms for the meridian of UTC+7.
 *
 * A lunar month starts on the local (UTC+7) day of a new moon; month 11
 * contains the winter solstice; a lunar year with 13 months has a leap month,
 * the first month after month 11 that contains no major solar term (trung khí).
 * Dates are given as day counts of vntime.h (days since 1970-01-01).
 * Vietnamese dates differ from Chinese ones (UTC+8) in some years, e.g. Tết
 * 2007 fell on 17 February in Vietnam and 18 February in China.
 */
#ifndef MOTCUA_DOMAIN_LUNAR_H
#define MOTCUA_DOMAIN_LUNAR_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"

/*
 * Supported Gregorian years (inclusive) for both directions of conversion.
 * lunar_from_solar accepts every day of 1800-01-01..2199-12-31, and
 * lunar_to_solar accepts exactly the lunar dates that fall on those days: so
 * the last days of lunar year 1799 (months 11-12, in January 1800) are in, and
 * the days of lunar 2199's last months that fall in 2200 are out
 * (ERR_DATE_OUT_OF_CALENDAR). lunar_month_length and lunar_leap_month answer
 * for lunar years LUNAR_MIN_LUNAR_YEAR..LUNAR_MAX_YEAR.
 */
#define LUNAR_MIN_YEAR       1800
#define LUNAR_MAX_YEAR       2199
#define LUNAR_MIN_LUNAR_YEAR (LUNAR_MIN_YEAR - 1)

struct lunar_date {
	int day;   /* 1..30 */
	int month; /* 1..12 */
	int year;  /* lunar year, numbered as the Gregorian year in which it mostly falls */
	bool leap; /* true in a leap (intercalary) month */
};

/*
 * Converts a solar (Gregorian) day count to the lunar date. Returns ERR_OK, or
 * ERR_DATE_OUT_OF_CALENDAR outside LUNAR_MIN_YEAR..LUNAR_MAX_YEAR.
 */
enum err_code lunar_from_solar(int64_t days, struct lunar_date *out, struct err *e);

/*
 * Converts a lunar date to its solar day count. Returns ERR_OK,
 * ERR_INVALID_LUNAR_DATE when no such date exists (a leap flag on a month that
 * is not that year's leap month, day 30 of a 29-day month, ...), or
 * ERR_DATE_OUT_OF_CALENDAR.
 */
enum err_code lunar_to_solar(const struct lunar_date *ld, int64_t *days, struct err *e);

/*
 * Number of days (29 or 30) of a lunar month; 0 when that month does not exist
 * or its year is outside LUNAR_MIN_LUNAR_YEAR..LUNAR_MAX_YEAR.
 */
int lunar_month_length(int year, int month, bool leap);

/*
 * The leap month of a lunar year (1..12), or 0 when the year has none or is out
 * of range. A leap month follows the month of the same number: in 2025 the
 * leap month 6 (6 nhuận) comes after month 6.
 */
int lunar_leap_month(int year);

/*
 * The can-chi (sexagenary) names in Vietnamese, e.g. "Ất Tỵ" for lunar year
 * 2025. Each writes a NUL-terminated UTF-8 string of at most LUNAR_CANCHI_LEN
 * bytes. Any year and day count is accepted. A leap month has the name of the
 * month it repeats; lunar_canchi_month writes "" for a month outside 1..12.
 */
#define LUNAR_CANCHI_LEN 32
void lunar_canchi_year(int lunar_year, char out[LUNAR_CANCHI_LEN]);
void lunar_canchi_month(int lunar_year, int month, char out[LUNAR_CANCHI_LEN]);
void lunar_canchi_day(int64_t days, char out[LUNAR_CANCHI_LEN]);

#endif
