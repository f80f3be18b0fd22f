/*
 * calendar: the civil-service calendar built from the configuration and the
 * holiday data (see calendar.h).
 */
#include "service/calendar.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/vntime.h"
#include "embedded_data.h"

/* Reads a whole file of at most HOLIDAYS_CSV_MAX_BYTES into a new buffer. */
static enum err_code read_file(const char *path, char **data, size_t *len, struct err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, ERR_IO, "cannot open holidays_file '%s': %s", path,
		               strerror(errno));
	size_t cap = (size_t)HOLIDAYS_CSV_MAX_BYTES + 1;
	char *buf = malloc(cap);
	if (!buf) {
		fclose(f);
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	}
	size_t n = fread(buf, 1, cap, f);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		return err_set(e, ERR_IO, "cannot read holidays_file '%s'", path);
	}
	if (n == cap) {
		free(buf);
		return err_set(e, ERR_INVALID_HOLIDAY_DATA,
		               "holidays_file '%s' is larger than %u bytes", path,
		               HOLIDAYS_CSV_MAX_BYTES);
	}
	*data = buf;
	*len = n;
	return ERR_OK;
}

enum err_code calendar_load(const struct config *cfg, struct calendar *cc, struct err *e)
{
	enum err_code rc;
	struct err sub = {ERR_OK, ""};
	char *file = NULL;
	memset(cc, 0, sizeof(*cc));
	cc->include_uncertain = config_bool(cfg, CONFIG_OPT_holidays_include_uncertain);

	const char *cut = config_str(cfg, CONFIG_OPT_same_day_cutoff);
	cc->same_day_cutoff = WORKTIME_NO_CUTOFF;
	if (!str_empty(cut) && vntime_parse_hhmm(cut, &cc->same_day_cutoff) < 0)
		return err_set(e, ERR_CONFIG_INVALID,
		               "invalid same_day_cutoff '%s' (HH:MM or empty)", cut);

	struct worktime_hours hours;
	if ((rc = worktime_hours_parse(config_str(cfg, CONFIG_OPT_office_hours), &hours, e)))
		return rc;
	if (cc->same_day_cutoff != WORKTIME_NO_CUTOFF &&
	    (cc->same_day_cutoff <= hours.start[0] ||
	     cc->same_day_cutoff > hours.end[hours.count - 1]))
		return err_set(e, ERR_CONFIG_INVALID,
		               "same_day_cutoff '%s' is outside office hours", cut);

	const char *path = config_str(cfg, CONFIG_OPT_holidays_file);
	const char *text;
	size_t len = 0;
	if (str_empty(path)) {
		str_copy(cc->data_source, sizeof(cc->data_source), "embedded");
		text = (const char *)embedded_holidays_csv;
		len = embedded_holidays_csv_len;
	} else {
		str_copy(cc->data_source, sizeof(cc->data_source), path);
		if ((rc = read_file(path, &file, &len, e)))
			return rc;
		text = file;
	}
	rc = holidays_parse_csv(text, len, &cc->table, &sub);
	free(file);
	if (rc == ERR_OK)
		rc = holidays_resolve(&cc->table, WORKTIME_FIRST_YEAR, WORKTIME_LAST_YEAR,
		                      cc->include_uncertain, &cc->set, &sub);
	if (rc) {
		holidays_table_release(&cc->table);
		return err_set(e, rc, "%s: %s",
		               str_empty(path) ? "built-in data/holidays.csv" : path, sub.detail);
	}
	if ((rc = worktime_calendar_build(&cc->cal, &cc->set, &hours, e))) {
		holidays_set_release(&cc->set);
		holidays_table_release(&cc->table);
		return rc;
	}
	return ERR_OK;
}

void calendar_release(struct calendar *cc)
{
	worktime_calendar_release(&cc->cal);
	holidays_set_release(&cc->set);
	holidays_table_release(&cc->table);
}
