/*
 * calendar: builds the civil-service calendar from the configuration
 * (office_hours, same_day_cutoff, holidays_file, holidays_include_uncertain)
 * and the holiday data: the file named by holidays_file, else the copy of
 * data/holidays.csv built into the binary. The command line and the server
 * build their calendar through this one function.
 */
#ifndef MOTCUA_SERVICE_CALENDAR_H
#define MOTCUA_SERVICE_CALENDAR_H

#include <stdbool.h>

#include "base/config.h"
#include "base/error.h"
#include "domain/holidays.h"
#include "domain/worktime.h"

struct calendar {
	struct holiday_table table;   /* the parsed CSV */
	struct holiday_set set;       /* resolved days, WORKTIME_FIRST_YEAR..LAST_YEAR */
	struct worktime_calendar cal; /* the day table */
	char data_source[1024];       /* "embedded" or the path of holidays_file */
	bool include_uncertain;
	int same_day_cutoff; /* seconds of day, or WORKTIME_NO_CUTOFF */
};

/*
 * Loads everything. Returns ERR_OK, or ERR_IO (file unreadable),
 * ERR_INVALID_HOLIDAY_DATA (detail prefixed by the data source),
 * ERR_INVALID_OFFICE_HOURS, ERR_CONFIG_INVALID (same_day_cutoff) or
 * ERR_NO_MEMORY. On failure nothing needs releasing.
 */
enum err_code calendar_load(const struct config *cfg, struct calendar *c, struct err *e);

/*
 * As calendar_load(), with further rows merged into the holiday data: extra
 * holds rows in the CSV format of HOLIDAYS_CSV_HEADER, one per line, WITHOUT
 * the header (len bytes; NULL or 0: none). They are the days off announced
 * by an administrator (service/admin.h), and they pass the same checks as
 * the file's rows; a date given in both is refused. data_source then ends
 * with " + N announced". Added for the administration pages; calendar_load()
 * is calendar_load_with() without rows.
 */
enum err_code calendar_load_with(const struct config *cfg, const char *extra, size_t len,
                                 struct calendar *c, struct err *e);

/* Frees what calendar_load() built. */
void calendar_release(struct calendar *c);

#endif
