/*
 * cli_calendar: what the calendar commands (`motcua holidays`, `motcua due`)
 * share beyond the calendar itself, which service/calendar.h builds.
 */
#ifndef MOTCUA_CLI_CLI_CALENDAR_H
#define MOTCUA_CLI_CLI_CALENDAR_H

#include <jansson.h>

#include "domain/holidays.h"
#include "service/calendar.h"

/*
 * One resolved day as a JSON object: date, weekday, kind, occasion, name_vi,
 * name_en, source, status, origin, weekend. New reference.
 */
json_t *cli_calendar_entry_json(const struct holiday_entry *h);

#endif
