/*
 * cmd_erlang: `motcua erlang`, desks and staff for one service point by
 * Erlang C (plan/erlang.h).
 *
 *   motcua erlang --arrivals N --period S --aht S --within S
 *                 (--target P | --desks N) [--target P] [--max-occupancy P] [--shrinkage P]
 *
 * Without --desks it sizes the point: the fewest desks meeting the target
 * (and the occupancy cap). With --desks it evaluates that many desks. Times
 * are in seconds. Prints one JSON object; an unstable system (desks not
 * above the offered load) has "asa": null and a "reason".
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "cli/cli.h"
#include "plan/erlang.h"

enum opt {
	OPT_ARRIVALS,
	OPT_PERIOD,
	OPT_AHT,
	OPT_TARGET,
	OPT_WITHIN,
	OPT_MAX_OCC,
	OPT_SHRINKAGE,
	OPT_DESKS,
	OPT__COUNT
};

static const char *const opt_names[OPT__COUNT] = {
        "arrivals", "period", "aht", "target", "within", "max-occupancy", "shrinkage", "desks",
};

#define USAGE                                                                                      \
	"usage: motcua erlang --arrivals N --period SECONDS --aht SECONDS --within SECONDS "       \
	"(--target P | --desks N) [--max-occupancy P] [--shrinkage P]"

/* A whole decimal number: digits, sign, point, exponent; finite. Returns 0 or -1. */
static int parse_number(const char *s, double *out)
{
	if (str_empty(s) || strlen(s) > 64)
		return -1;
	for (const char *p = s; *p; p++)
		if (!strchr("0123456789+-.eE", *p))
			return -1;
	char *end = NULL;
	double v = strtod(s, &end);
	if (end == s || *end != '\0' || !isfinite(v))
		return -1;
	*out = v == 0.0 ? 0.0 : v; /* no negative zero */
	return 0;
}

static int find_opt(const char *name, size_t len)
{
	for (int i = 0; i < OPT__COUNT; i++)
		if (strlen(opt_names[i]) == len && strncmp(opt_names[i], name, len) == 0)
			return i;
	return -1;
}

static json_t *real_or_null(bool given, double v)
{
	return given ? json_real(v) : json_null();
}

int cmd_erlang(struct cli *cli, int argc, char **argv)
{
	const char *val[OPT__COUNT] = {0};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!str_has_prefix(a, "--") || a[2] == '\0')
			return cli_fail(cli, ERR_USAGE, "unexpected argument '%s'; " USAGE, a);
		const char *name = a + 2;
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		int o = find_opt(name, len);
		if (o < 0)
			return cli_fail(cli, ERR_USAGE, "unknown option '%s'; " USAGE, a);
		if (val[o])
			return cli_fail(cli, ERR_USAGE, "option '--%s' given twice", opt_names[o]);
		if (eq) {
			val[o] = eq + 1;
		} else {
			if (i + 1 >= argc)
				return cli_fail(cli, ERR_MISSING_ARGUMENT,
				                "option '--%s' needs a value", opt_names[o]);
			val[o] = argv[++i];
		}
		if (str_empty(val[o]))
			return cli_fail(cli, ERR_INVALID_ARGUMENT,
			                "option '--%s' has an empty value", opt_names[o]);
	}

	const int required[] = {OPT_ARRIVALS, OPT_PERIOD, OPT_AHT, OPT_WITHIN};
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
		if (!val[required[i]])
			return cli_fail(cli, ERR_MISSING_ARGUMENT,
			                "option '--%s' is required; " USAGE,
			                opt_names[required[i]]);
	bool sizing = val[OPT_DESKS] == NULL;
	if (sizing && !val[OPT_TARGET])
		return cli_fail(cli, ERR_MISSING_ARGUMENT,
		                "option '--target' is required unless '--desks' is given; " USAGE);

	double num[OPT__COUNT] = {0};
	for (int o = 0; o < OPT__COUNT; o++) {
		if (!val[o] || o == OPT_DESKS)
			continue;
		if (parse_number(val[o], &num[o]) != 0)
			return cli_fail(cli, ERR_INVALID_ARGUMENT,
			                "option '--%s': '%s' is not a number", opt_names[o],
			                val[o]);
	}
	int64_t desks = 0;
	if (!sizing && str_parse_int64(val[OPT_DESKS], 1, ERLANG_MAX_DESKS, &desks) != 0)
		return cli_fail(cli, ERR_INVALID_ARGUMENT,
		                "option '--desks': '%s' is not a whole number from 1 to %ld",
		                val[OPT_DESKS], ERLANG_MAX_DESKS);

	struct erlang_input in = {
	        .arrivals = num[OPT_ARRIVALS],
	        .period = num[OPT_PERIOD],
	        .aht = num[OPT_AHT],
	        .target = num[OPT_TARGET],
	        .within = num[OPT_WITHIN],
	        .max_occupancy = val[OPT_MAX_OCC] ? num[OPT_MAX_OCC] : 1.0,
	        .shrinkage = num[OPT_SHRINKAGE],
	        .min_desks = 0,
	};
	struct err e;
	err_clear(&e);
	enum err_code rc = erlang_check(&in, val[OPT_TARGET] != NULL, &e);
	if (rc != ERR_OK)
		return cli_fail_err(cli, &e);
	struct erlang_result r;
	rc = sizing ? erlang_size(&in, &r, &e) : erlang_evaluate(&in, (long)desks, &r, &e);
	if (rc != ERR_OK)
		return cli_fail_err(cli, &e);

	json_t *meets = json_null();
	if (val[OPT_TARGET])
		meets = json_boolean(r.stable && r.service_level >= in.target &&
		                     r.occupancy <= in.max_occupancy);
	json_t *reason = json_null();
	if (!r.stable) {
		char text[ERR_DETAIL_MAX];
		snprintf(text, sizeof text,
		         "unstable: %ld desks cannot keep up with an offered load of %g Erlangs, "
		         "so the queue grows without bound; at least %ld desks are needed",
		         r.desks, r.load, (long)floor(r.load) + 1);
		reason = json_string(text);
	}
	const char *limit = erlang_limit_name(r.limit);

	json_t *o = json_object();
	json_object_set_new(o, "mode", json_string(sizing ? "size" : "evaluate"));
	json_object_set_new(o, "arrivals", json_real(in.arrivals));
	json_object_set_new(o, "period", json_real(in.period));
	json_object_set_new(o, "aht", json_real(in.aht));
	json_object_set_new(o, "target", real_or_null(val[OPT_TARGET] != NULL, in.target));
	json_object_set_new(o, "within", json_real(in.within));
	json_object_set_new(o, "max_occupancy",
	                    real_or_null(val[OPT_MAX_OCC] != NULL, in.max_occupancy));
	json_object_set_new(o, "shrinkage", json_real(in.shrinkage));
	json_object_set_new(o, "offered_load", json_real(r.load));
	json_object_set_new(o, "desks", json_integer(r.desks));
	json_object_set_new(o, "staff", json_integer(r.staff));
	json_object_set_new(o, "stable", json_boolean(r.stable));
	json_object_set_new(o, "p_wait", json_real(r.p_wait));
	json_object_set_new(o, "service_level", json_real(r.service_level));
	json_object_set_new(o, "asa", r.stable ? json_real(r.asa) : json_null());
	json_object_set_new(o, "occupancy", json_real(r.occupancy));
	json_object_set_new(o, "limited_by", limit ? json_string(limit) : json_null());
	json_object_set_new(o, "meets_target", meets);
	json_object_set_new(o, "reason", reason);
	return cli_print_json(o);
}
