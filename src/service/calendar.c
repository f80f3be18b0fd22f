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
	return calendar_load_with(cfg, NULL, 0, cc, e);
}

/*
 * The holiday text plus the extra rows (added for the administration pages):
 * the file's text, a line feed when it lacks a final one, then the rows, so
 * that one parse checks them all (a date in both is a repeated date).
 */
static enum err_code join_rows(const char **text, size_t *len, const char *extra, size_t extra_len,
                               char **joined, struct err *e)
{
	bool nl = *len > 0 && (*text)[*len - 1] != '\n';
	size_t n = *len + (nl ? 1 : 0) + extra_len;
	if (n > HOLIDAYS_CSV_MAX_BYTES)
		return err_set(e, ERR_INVALID_HOLIDAY_DATA,
		               "holiday data and announcements larger than %u bytes",
		               HOLIDAYS_CSV_MAX_BYTES);
	char *j = malloc(n + 1);
	if (!j)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	memcpy(j, *text, *len);
	if (nl)
		j[*len] = '\n';
	memcpy(j + *len + (nl ? 1 : 0), extra, extra_len);
	j[n] = '\0';
	*joined = j;
	*text = j;
	*len = n;
	return ERR_OK;
}

/* Lines of text (the announced rows, one per line). */
static size_t count_lines(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n')
			n++;
	return n + (len > 0 && s[len - 1] != '\n' ? 1 : 0);
}

enum err_code calendar_load_with(const struct config *cfg, const char *extra, size_t extra_len,
                                 struct calendar *cc, struct err *e)
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
	char *joined = NULL;
	if (extra && extra_len > 0) {
		rc = join_rows(&text, &len, extra, extra_len, &joined, e);
		free(file);
		file = NULL;
		if (rc != ERR_OK)
			return rc;
		size_t used = strlen(cc->data_source);
		snprintf(cc->data_source + used, sizeof(cc->data_source) - used, " + %zu announced",
		         count_lines(extra, extra_len));
	}
	rc = holidays_parse_csv(text, len, &cc->table, &sub);
	free(file);
	free(joined);
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
