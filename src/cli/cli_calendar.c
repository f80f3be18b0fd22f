/*
 * cli_calendar: JSON of calendar days for the calendar commands (see cli_calendar.h).
 */
#include "cli/cli_calendar.h"

#include "base/vntime.h"

json_t *cli_calendar_entry_json(const struct holiday_entry *h)
{
	static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	char d[VNTIME_DATE_LEN];
	vntime_format_date(h->date, d);
	json_t *o = json_object();
	json_object_set_new(o, "date", json_string(d));
	json_object_set_new(o, "weekday", json_string(wd[vntime_weekday(h->date)]));
	json_object_set_new(o, "kind", json_string(holidays_kind_name(h->kind)));
	json_object_set_new(o, "occasion", json_string(holidays_occasion_name(h->occasion)));
	json_object_set_new(o, "name_vi", json_string(h->name_vi));
	json_object_set_new(o, "name_en", json_string(h->name_en));
	json_object_set_new(o, "source", json_string(h->source));
	json_object_set_new(o, "status", json_string(holidays_status_name(h->status)));
	json_object_set_new(o, "origin", json_string(holidays_origin_name(h->origin)));
	json_object_set_new(o, "weekend", json_boolean(h->weekend));
	return o;
}
