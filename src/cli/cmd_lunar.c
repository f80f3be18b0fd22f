/*
 * cmd_lunar: `motcua lunar YYYY-MM-DD` converts a solar (Gregorian) date to
 * the Vietnamese lunar calendar; `motcua lunar --to-solar [--leap] YYYY-MM-DD`
 * reads the three numbers as a lunar year, month and day (with --leap: in
 * that year's leap month) and gives the solar date (domain/lunar).
 *
 * Both print one JSON object: the lunar day, month, year and leap flag, the
 * can-chi names of the year, month and day, the solar date and its weekday,
 * the length of the lunar month and the leap month of the lunar year; the
 * reverse conversion puts the solar date first, as "date".
 */
#include <string.h>

#include "base/vntime.h"
#include "cli/cli.h"
#include "domain/lunar.h"

#define USAGE "usage: motcua lunar YYYY-MM-DD | motcua lunar --to-solar [--leap] YYYY-MM-DD"

/* Reads exactly n decimal digits at s. Returns the value or -1. */
static int read_digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * Splits "YYYY-MM-DD" into three numbers without checking them against the
 * Gregorian calendar (lunar day 30 of month 2 exists). Returns 0 or -1.
 */
static int parse_lunar_text(const char *s, struct lunar_date *ld)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	int y = read_digits(s, 4), m = read_digits(s + 5, 2), d = read_digits(s + 8, 2);
	if (y < 0 || m < 0 || d < 0)
		return -1;
	ld->year = y;
	ld->month = m;
	ld->day = d;
	return 0;
}

/* Adds the fields that describe a day of both calendars to o. */
static void add_day_fields(json_t *o, int64_t days, const struct lunar_date *ld)
{
	static const char *const wd_en[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const wd_vi[] = {"Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư",
	                                    "Thứ Năm",  "Thứ Sáu", "Thứ Bảy"};
	char year_name[LUNAR_CANCHI_LEN], month_name[LUNAR_CANCHI_LEN], day_name[LUNAR_CANCHI_LEN];
	char solar[VNTIME_DATE_LEN];
	lunar_canchi_year(ld->year, year_name);
	lunar_canchi_month(ld->year, ld->month, month_name);
	lunar_canchi_day(days, day_name);
	vntime_format_date(days, solar);
	int wd = vntime_weekday(days);

	json_object_set_new(o, "day", json_integer(ld->day));
	json_object_set_new(o, "month", json_integer(ld->month));
	json_object_set_new(o, "year", json_integer(ld->year));
	json_object_set_new(o, "leap", json_boolean(ld->leap));
	json_object_set_new(o, "can_chi", json_string(year_name));
	json_object_set_new(o, "can_chi_month", json_string(month_name));
	json_object_set_new(o, "can_chi_day", json_string(day_name));
	json_object_set_new(o, "solar", json_string(solar));
	json_object_set_new(o, "weekday", json_string(wd_en[wd]));
	json_object_set_new(o, "weekday_vi", json_string(wd_vi[wd]));
	json_object_set_new(o, "month_length",
	                    json_integer(lunar_month_length(ld->year, ld->month, ld->leap)));
	json_object_set_new(o, "leap_month", json_integer(lunar_leap_month(ld->year)));
}

int cmd_lunar(struct cli *cli, int argc, char **argv)
{
	bool to_solar = false, leap = false;
	const char *text = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--to-solar") == 0) {
			to_solar = true;
		} else if (strcmp(a, "--leap") == 0) {
			leap = true;
		} else if (a[0] == '-' && a[1] != '\0') {
			return cli_fail(cli, ERR_USAGE, "unknown option '%s'; " USAGE, a);
		} else if (text) {
			return cli_fail(cli, ERR_USAGE, "one date only; " USAGE);
		} else {
			text = a;
		}
	}
	if (!text)
		return cli_fail(cli, ERR_USAGE, "a date is needed; " USAGE);
	if (leap && !to_solar)
		return cli_fail(cli, ERR_USAGE, "'--leap' goes with '--to-solar'; " USAGE);

	struct err e;
	err_clear(&e);
	struct lunar_date ld;
	int64_t days;
	json_t *o = json_object();
	if (to_solar) {
		if (parse_lunar_text(text, &ld) != 0) {
			json_decref(o);
			return cli_fail(cli, ERR_INVALID_DATE,
			                "invalid lunar date '%s'; use YYYY-MM-DD", text);
		}
		ld.leap = leap;
		if (lunar_to_solar(&ld, &days, &e) != ERR_OK) {
			json_decref(o);
			return cli_fail_err(cli, &e);
		}
		char solar[VNTIME_DATE_LEN];
		vntime_format_date(days, solar);
		json_object_set_new(o, "date", json_string(solar));
	} else {
		if (vntime_parse_date(text, &days) != 0) {
			json_decref(o);
			return cli_fail(cli, ERR_INVALID_DATE, "invalid date '%s'; use YYYY-MM-DD",
			                text);
		}
		if (lunar_from_solar(days, &ld, &e) != ERR_OK) {
			json_decref(o);
			return cli_fail_err(cli, &e);
		}
	}
	add_day_fields(o, days, &ld);
	return cli_print_json(o);
}
