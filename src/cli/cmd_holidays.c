/*
 * cmd_holidays: `motcua holidays YEAR` prints the days off and make-up
 * working days of a year of the civil-service calendar, as JSON sorted by
 * date: announced days (data/holidays.csv or holidays_file), rule-derived
 * provisional days for occasions not yet announced, and, marked
 * "weekend": true, holidays that fall on a Saturday or Sunday.
 */
#include <string.h>

#include "base/str.h"
#include "base/vntime.h"
#include "cli/cli.h"
#include "cli/cli_calendar.h"

int cmd_holidays(struct cli *cli, int argc, char **argv)
{
	if (argc != 2 || (argv[1][0] == '-' && argv[1][1] != '\0'))
		return cli_fail(cli, ERR_USAGE, "usage: motcua holidays YEAR");
	int64_t year;
	if (!str_all_digits(argv[1]) || strlen(argv[1]) > 9)
		return cli_fail(cli, ERR_INVALID_ARGUMENT, "invalid year '%s'", argv[1]);
	if (str_parse_int64(argv[1], WORKTIME_FIRST_YEAR, WORKTIME_LAST_YEAR, &year) < 0)
		return cli_fail(cli, ERR_OUT_OF_RANGE, "year '%s' outside the calendar (%d..%d)",
		                argv[1], WORKTIME_FIRST_YEAR, WORKTIME_LAST_YEAR);

	struct calendar cc;
	struct err e = {ERR_OK, ""};
	if (calendar_load(cli->cfg, &cc, &e))
		return cli_fail_err(cli, &e);

	int64_t first = vntime_days_from_civil((int)year, 1, 1);
	int64_t next = vntime_days_from_civil((int)year + 1, 1, 1);
	json_t *days = json_array();
	int off = 0, work = 0;
	bool provisional = false;
	for (size_t i = holidays_set_lower_bound(&cc.set, first);
	     i < cc.set.count && cc.set.entries[i].date < next; i++) {
		const struct holiday_entry *h = &cc.set.entries[i];
		json_array_append_new(days, cli_calendar_entry_json(h));
		if (h->weekend)
			continue;
		if (h->kind == HOLIDAY_OFF)
			off++;
		else
			work++;
		if (h->status != HOLIDAY_CONFIRMED)
			provisional = true;
	}
	/* Working days of the year: ranks of the table (first day of the next year may be past it).
	 */
	const struct worktime_calendar *cal = &cc.cal;
	int32_t r0 = cal->rank[first - cal->first_day];
	int32_t r1 =
	        next - cal->first_day < cal->ndays ? cal->rank[next - cal->first_day] : cal->nwork;

	json_t *out = json_object();
	json_object_set_new(out, "year", json_integer(year));
	json_object_set_new(out, "holidays_data", json_string(cc.data_source));
	json_object_set_new(out, "include_uncertain", json_boolean(cc.include_uncertain));
	json_object_set_new(out, "provisional", json_boolean(provisional));
	json_object_set_new(out, "weekdays_off", json_integer(off));
	json_object_set_new(out, "make_up_days", json_integer(work));
	json_object_set_new(out, "working_days", json_integer(r1 - r0));
	json_object_set_new(out, "days", days);
	calendar_release(&cc);
	return cli_print_json(out);
}
