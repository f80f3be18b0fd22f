/*
 * cmd_due: `motcua due --received TIME (--days N | --hours N) [--cutoff
 * HH:MM|none]` prints the legal due time of a dossier as JSON: the due, the
 * received and legal reception instants, the legal time, the cut-off used,
 * and the calendar days that the period crosses (days off, make-up days),
 * with a flag and a note when some are provisional.
 *
 * Same-day procedures (--days 0) get the configured same_day_cutoff unless
 * --cutoff says otherwise; other procedures get a cut-off only when --cutoff
 * gives one.
 */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "base/vntime.h"
#include "cli/cli.h"
#include "cli/cli_calendar.h"

#define DUE_USAGE                                                                                  \
	"usage: motcua due --received YYYY-MM-DDTHH:MM (--days N | --hours N) "                    \
	"[--cutoff HH:MM|none]"

enum { OPT_RECEIVED, OPT_DAYS, OPT_HOURS, OPT_CUTOFF, OPT_COUNT };

static const char *const opt_names[OPT_COUNT] = {"--received", "--days", "--hours", "--cutoff"};

/* Reads "--name VALUE" and "--name=VALUE" into vals. Returns CLI_OK or a cli_fail status. */
static int parse_options(struct cli *cli, int argc, char **argv, const char *vals[OPT_COUNT])
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		int k;
		for (k = 0; k < OPT_COUNT; k++) {
			size_t n = strlen(opt_names[k]);
			if (strncmp(a, opt_names[k], n) == 0 && (a[n] == '\0' || a[n] == '=')) {
				if (a[n] == '=') {
					v = a + n + 1;
				} else {
					if (i + 1 >= argc)
						return cli_fail(cli, ERR_MISSING_ARGUMENT,
						                "option '%s' needs a value", a);
					v = argv[++i];
				}
				break;
			}
		}
		if (k == OPT_COUNT)
			return cli_fail(cli, ERR_USAGE, "unknown argument '%s'; " DUE_USAGE, a);
		if (vals[k])
			return cli_fail(cli, ERR_USAGE, "option '%s' given twice", opt_names[k]);
		if (*v == '\0')
			return cli_fail(cli, ERR_INVALID_ARGUMENT, "empty value for '%s'",
			                opt_names[k]);
		vals[k] = v;
	}
	return CLI_OK;
}

static json_t *time_json(int64_t t)
{
	char s[VNTIME_DATETIME_LEN];
	vntime_format_datetime(t, s);
	return json_string(s);
}

int cmd_due(struct cli *cli, int argc, char **argv)
{
	const char *vals[OPT_COUNT] = {NULL};
	int st = parse_options(cli, argc, argv, vals);
	if (st != CLI_OK)
		return st;
	if (!vals[OPT_RECEIVED])
		return cli_fail(cli, ERR_MISSING_ARGUMENT, "--received is required; " DUE_USAGE);
	if (!vals[OPT_DAYS] == !vals[OPT_HOURS])
		return cli_fail(cli, ERR_USAGE,
		                "give exactly one of --days and --hours; " DUE_USAGE);

	int64_t received;
	if (vntime_parse_datetime(vals[OPT_RECEIVED], &received) < 0)
		return cli_fail(cli, ERR_INVALID_TIME, "invalid time '%s'", vals[OPT_RECEIVED]);

	struct worktime_limit lim = {WORKTIME_DAYS, 0, WORKTIME_NO_CUTOFF, WORKTIME_PAUSE_CONTINUE};
	const char *amount = vals[OPT_DAYS] ? vals[OPT_DAYS] : vals[OPT_HOURS];
	int64_t max = vals[OPT_DAYS] ? WORKTIME_MAX_DAYS : WORKTIME_MAX_HOURS;
	int64_t n;
	lim.unit = vals[OPT_DAYS] ? WORKTIME_DAYS : WORKTIME_HOURS;
	if (!str_all_digits(amount) || strlen(amount) > 9)
		return cli_fail(cli, ERR_INVALID_ARGUMENT, "invalid number '%s'", amount);
	if (str_parse_int64(amount, 0, max, &n) < 0)
		return cli_fail(cli, ERR_OUT_OF_RANGE, "'%s' outside 0..%lld", amount,
		                (long long)max);
	lim.amount = (int)n;

	struct calendar cc;
	struct err e = {ERR_OK, ""};
	if (calendar_load(cli->cfg, &cc, &e))
		return cli_fail_err(cli, &e);

	int status = CLI_OK;
	json_t *out = NULL;
	const char *cut = vals[OPT_CUTOFF];
	if (cut && str_eq(cut, "none")) {
		lim.cutoff = WORKTIME_NO_CUTOFF;
	} else if (cut) {
		if (vntime_parse_hhmm(cut, &lim.cutoff) < 0) {
			status = cli_fail(cli, ERR_INVALID_ARGUMENT,
			                  "invalid cut-off '%s' (HH:MM or none)", cut);
			goto out;
		}
	} else if (lim.unit == WORKTIME_DAYS && lim.amount == 0) {
		lim.cutoff = cc.same_day_cutoff;
	}

	int64_t legal, due, plain;
	if (worktime_due(&cc.cal, &lim, received, &legal, &due, &e) ||
	    worktime_reception(&cc.cal, received, WORKTIME_NO_CUTOFF, &plain, &e)) {
		status = cli_fail_err(cli, &e);
		goto out;
	}

	/* The days of the calendar that the period crosses (weekends aside). */
	int64_t d0, d1;
	vntime_split(received, &d0, NULL);
	vntime_split(due, &d1, NULL);
	json_t *days = json_array(), *notes = json_array(), *prov = json_array();
	for (size_t i = holidays_set_lower_bound(&cc.set, d0);
	     i < cc.set.count && cc.set.entries[i].date <= d1; i++) {
		const struct holiday_entry *h = &cc.set.entries[i];
		if (h->weekend)
			continue;
		json_array_append_new(days, cli_calendar_entry_json(h));
		if (h->status != HOLIDAY_CONFIRMED) {
			char d[VNTIME_DATE_LEN];
			vntime_format_date(h->date, d);
			json_array_append_new(prov, json_string(d));
		}
	}
	if (plain != received)
		json_array_append_new(notes,
		                      json_string("received outside office hours or on a day "
		                                  "off: counted from the start of the next "
		                                  "working period"));
	if (legal != plain)
		json_array_append_new(notes,
		                      json_string("received at or after the cut-off: counted "
		                                  "from the start of the next working day"));
	if (json_array_size(prov) > 0)
		json_array_append_new(notes,
		                      json_string("the period crosses provisional days "
		                                  "(derived from the law, not yet announced): "
		                                  "re-check the due when the schedule is "
		                                  "announced"));

	char hours[WORKTIME_HOURS_TEXT_LEN];
	worktime_hours_format(&cc.cal.hours, hours);
	out = json_object();
	json_object_set_new(out, "due", time_json(due));
	json_object_set_new(out, "received", time_json(received));
	json_object_set_new(out, "legal_reception", time_json(legal));
	json_object_set_new(out, lim.unit == WORKTIME_DAYS ? "working_days" : "working_hours",
	                    json_integer(lim.amount));
	if (lim.cutoff == WORKTIME_NO_CUTOFF) {
		json_object_set_new(out, "cutoff", json_null());
	} else {
		char c[16];
		snprintf(c, sizeof c, "%02d:%02d", lim.cutoff / 3600, lim.cutoff / 60 % 60);
		json_object_set_new(out, "cutoff", json_string(c));
	}
	json_object_set_new(out, "office_hours", json_string(hours));
	json_t *cal = json_object();
	json_object_set_new(cal, "provisional", json_boolean(json_array_size(prov) > 0));
	json_object_set_new(cal, "provisional_days", prov);
	json_object_set_new(cal, "days", days);
	json_object_set_new(cal, "holidays_data", json_string(cc.data_source));
	json_object_set_new(cal, "include_uncertain", json_boolean(cc.include_uncertain));
	json_object_set_new(out, "calendar", cal);
	json_object_set_new(out, "notes", notes);
out:
	calendar_release(&cc);
	if (out)
		return cli_print_json(out);
	return status;
}
