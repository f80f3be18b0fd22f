/*
 * cmd_cccd: `motcua cccd NUMBER [--birth-date YYYY-MM-DD] [--sex male|female]`
 * checks and decodes a personal identification number (domain/cccd) and,
 * when a date of birth or a sex is declared, checks that the number agrees.
 * Prints one JSON object; an invalid or inconsistent number exits 2.
 */
#include <string.h>

#include "base/vntime.h"
#include "cli/cli.h"
#include "domain/cccd.h"

/* Matches "--name VALUE" or "--name=VALUE" at argv[*i]; advances *i past it. */
static int option_value(int argc, char **argv, int *i, const char *name, const char **value,
                        bool *missing)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	*missing = false;
	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*value = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		*missing = true;
		return 1;
	}
	*value = argv[++*i];
	return 1;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

int cmd_cccd(struct cli *cli, int argc, char **argv)
{
	const char *number = NULL, *birth = NULL, *sex_s = NULL;
	for (int i = 1; i < argc; i++) {
		bool missing;
		if (option_value(argc, argv, &i, "--birth-date", &birth, &missing) ||
		    option_value(argc, argv, &i, "--sex", &sex_s, &missing)) {
			if (missing)
				return cli_fail(cli, ERR_USAGE, "option '%s' needs a value",
				                argv[i]);
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_fail(cli, ERR_USAGE, "unknown option '%s'", argv[i]);
		if (number)
			return cli_fail(cli, ERR_USAGE,
			                "one number only; usage: motcua cccd NUMBER "
			                "[--birth-date YYYY-MM-DD] [--sex male|female]");
		number = argv[i];
	}
	if (!number)
		return cli_fail(
		        cli, ERR_USAGE,
		        "usage: motcua cccd NUMBER [--birth-date YYYY-MM-DD] [--sex male|female]");

	int64_t birth_days = CCCD_NO_DATE;
	if (birth && vntime_parse_date(birth, &birth_days) != 0)
		return cli_fail(cli, ERR_INVALID_DATE, "invalid date of birth '%s'; use YYYY-MM-DD",
		                birth);
	int sex = CCCD_NO_SEX;
	if (sex_s) {
		enum cccd_sex s;
		if (cccd_sex_parse(sex_s, &s) != 0)
			return cli_fail(cli, ERR_INVALID_ARGUMENT,
			                "invalid sex '%s'; use male or female", sex_s);
		sex = (int)s;
	}

	struct err e;
	err_clear(&e);
	int64_t now, today;
	if (cli_now(cli, &now, &e) != ERR_OK)
		return cli_fail_err(cli, &e);
	vntime_split(now, &today, NULL);

	struct cccd c;
	if (cccd_parse(number, today, &c, &e) != ERR_OK)
		return cli_fail_err(cli, &e);
	if (birth_days != CCCD_NO_DATE && birth_days > today)
		return cli_fail(cli, ERR_INVALID_DATE, "the date of birth '%s' is in the future",
		                birth);
	if (cccd_check(&c, birth_days, sex, &e) != ERR_OK)
		return cli_fail_err(cli, &e);

	json_t *o = json_object();
	json_object_set_new(o, "number", json_string(c.number));
	json_object_set_new(o, "province_code",
	                    c.registered_abroad ? json_null() : json_string(c.place_code));
	json_object_set_new(o, "province", str_or_null(c.province));
	json_object_set_new(o, "registered_abroad", json_boolean(c.registered_abroad));
	json_object_set_new(o, "country_code",
	                    c.registered_abroad ? json_string(c.place_code) : json_null());
	json_object_set_new(o, "country", str_or_null(c.country));
	json_object_set_new(o, "place_status", json_string(cccd_place_status_str(c.place_status)));
	json_object_set_new(o, "sex", json_string(cccd_sex_str(c.sex)));
	json_object_set_new(o, "century", json_integer(c.century));
	json_object_set_new(o, "birth_year", json_integer(c.birth_year));
	if (birth || sex_s) {
		char d[VNTIME_DATE_LEN];
		if (birth)
			vntime_format_date(birth_days, d);
		json_object_set_new(o, "declared_birth_date", birth ? json_string(d) : json_null());
		json_object_set_new(o, "declared_sex",
		                    sex_s ? json_string(cccd_sex_str((enum cccd_sex)sex))
		                          : json_null());
		json_object_set_new(o, "consistent", json_true());
	}
	return cli_print_json(o);
}
