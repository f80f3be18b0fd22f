/*
 * cmd_report: `motcua report ...` (issue 7; docs/indicators.md).
 *
 *   motcua report verify
 *       recomputes every indicator counter from the dossiers' events and
 *       compares; prints {"match", "dossiers", "events", "rows",
 *       "mismatches", "first": [...]} and exits 0 when they agree, 1 when
 *       they do not, 2 on any error (bad arguments, database).
 *   motcua report rebuild
 *       replaces the counters with the recount (for a database whose
 *       dossiers predate the counters); prints what differed before.
 *   motcua report indicators --from YYYY-MM-DD --to YYYY-MM-DD --by DIM [--key K]
 *       the figures of every group of DIM (city, agency, branch, commune,
 *       officer, procedure, sector, step) over the period, as JSON.
 *   motcua report 766 --from YYYY-MM-DD --to YYYY-MM-DD
 *       the Decision 766 group scores of the city over the period.
 *   motcua report period|late|satisfaction ...
 *       the exports, in cmd_report_export.c.
 *
 * The command acts as the system actor.
 */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "base/vntime.h"
#include "cli/cli.h"
#include "cli/cmd_report.h"
#include "service/indicators.h"

#define REPORT_USAGE                                                                               \
	"usage: motcua report verify | rebuild | indicators --from DATE --to DATE --by DIM "       \
	"[--key K] | 766 --from DATE --to DATE | period|late|satisfaction ..."

/* An error of verify / rebuild: exit 2 whatever its kind (exit 1 means "does not match"). */
static int fail2(struct cli *cli, const struct err *e)
{
	cli_fail_err(cli, e);
	return CLI_USAGE;
}

static json_t *verify_json(const struct ind_verify *v, bool rebuilt)
{
	json_t *o = json_object();
	if (!rebuilt)
		json_object_set_new(o, "match", json_boolean(v->mismatches == 0));
	json_object_set_new(o, "dossiers", json_integer(v->dossiers));
	json_object_set_new(o, "events", json_integer(v->events));
	json_object_set_new(o, "rows", json_integer(v->rows));
	json_object_set_new(o, rebuilt ? "mismatches_before" : "mismatches",
	                    json_integer(v->mismatches));
	json_t *first = json_array();
	size_t max = sizeof v->first / sizeof v->first[0];
	for (size_t i = 0; i < max && (int64_t)i < v->mismatches; i++)
		json_array_append_new(first, json_string(v->first[i]));
	json_object_set_new(o, "first", first);
	return o;
}

static int run_verify(struct cli *cli, bool rebuild)
{
	struct db *db = NULL;
	struct service svc;
	int st = cli_open_service(cli, &db, &svc);
	if (st != CLI_OK)
		return CLI_USAGE;
	struct ind_verify v;
	struct err e;
	err_clear(&e);
	enum err_code rc =
	        rebuild ? indicators_rebuild(&svc, &v, &e) : indicators_verify(&svc, &v, &e);
	cli_close_service(db, &svc);
	if (rc != ERR_OK)
		return fail2(cli, &e);
	cli_print_json(verify_json(&v, rebuild));
	if (!rebuild && v.mismatches) {
		fprintf(stderr, "motcua %s: %lld counter rows or states do not match the events\n",
		        cli->command, (long long)v.mismatches);
		return CLI_FAIL;
	}
	return CLI_OK;
}

/* The options of indicators / 766. */
struct opts {
	const char *from, *to, *by, *key;
};

static int parse_opts(struct cli *cli, int argc, char **argv, bool grouped, struct opts *o)
{
	memset(o, 0, sizeof *o);
	for (int i = 1; i < argc; i++) {
		const char **slot = NULL;
		if (str_eq(argv[i], "--from"))
			slot = &o->from;
		else if (str_eq(argv[i], "--to"))
			slot = &o->to;
		else if (grouped && str_eq(argv[i], "--by"))
			slot = &o->by;
		else if (grouped && str_eq(argv[i], "--key"))
			slot = &o->key;
		else
			return cli_fail(cli, ERR_USAGE, "unknown option '%.40s'; %s", argv[i],
			                REPORT_USAGE);
		if (i + 1 >= argc || str_empty(argv[i + 1]))
			return cli_fail(cli, ERR_USAGE, "'%s' needs a value", argv[i]);
		if (*slot)
			return cli_fail(cli, ERR_USAGE, "'%s' given twice", argv[i]);
		*slot = argv[++i];
	}
	if (!o->from || !o->to || (grouped && !o->by))
		return cli_fail(cli, ERR_USAGE,
		                grouped ? "--from, --to and --by are required"
		                        : "--from and --to are required");
	return CLI_OK;
}

static int parse_day(struct cli *cli, const char *s, int64_t *day)
{
	if (vntime_parse_date(s, day) != 0)
		return cli_fail(cli, ERR_INVALID_DATE, "invalid date '%.40s' (YYYY-MM-DD)", s);
	return CLI_OK;
}

/* `indicators` (grouped: the table of a dimension) or `766` (the city's scores). */
static int read_figures(struct cli *cli, int argc, char **argv, bool grouped)
{
	struct opts o;
	int st = parse_opts(cli, argc, argv, grouped, &o);
	if (st != CLI_OK)
		return st;
	struct ind_query q;
	memset(&q, 0, sizeof q);
	struct err e;
	err_clear(&e);
	if ((st = parse_day(cli, o.from, &q.from_day)) || (st = parse_day(cli, o.to, &q.to_day)))
		return st;
	if (grouped && indicators_dim_from_name(o.by, &q.dim, &e) != ERR_OK)
		return cli_fail_err(cli, &e);
	if (o.key && str_copy(q.key, sizeof q.key, o.key) != 0)
		return cli_fail(cli, ERR_TOO_LONG, "the key is too long");
	struct db *db = NULL;
	struct service svc;
	if ((st = cli_open_service(cli, &db, &svc)) != CLI_OK)
		return st;
	struct actor sys;
	service_system_actor(&sys, "cli");
	struct ind_table t;
	struct ind766 s;
	enum err_code rc = grouped ? indicators_read(&svc, &sys, &q, &t, &e)
	                           : indicators_766(&svc, &sys, q.from_day, q.to_day, &s, &e);
	cli_close_service(db, &svc);
	if (rc != ERR_OK)
		return cli_fail_err(cli, &e);
	if (!grouped)
		return cli_print_json(indicators_766_json(&s));
	json_t *j = indicators_table_json(&t);
	indicators_table_release(&t);
	return cli_print_json(j);
}

int cmd_report(struct cli *cli, int argc, char **argv)
{
	if (argc < 2 || str_empty(argv[1]))
		return cli_fail(cli, ERR_USAGE, "%s", REPORT_USAGE);
	const char *sub = argv[1];
	if (str_eq(sub, "verify") || str_eq(sub, "rebuild")) {
		if (argc != 2)
			return cli_fail(cli, ERR_USAGE, "'%s' takes no arguments", sub);
		return run_verify(cli, str_eq(sub, "rebuild"));
	}
	if (str_eq(sub, "indicators"))
		return read_figures(cli, argc - 1, argv + 1, true);
	if (str_eq(sub, "766"))
		return read_figures(cli, argc - 1, argv + 1, false);
	if (str_eq(sub, "period"))
		return report_cmd_period(cli, argc - 1, argv + 1);
	if (str_eq(sub, "late"))
		return report_cmd_late(cli, argc - 1, argv + 1);
	if (str_eq(sub, "satisfaction"))
		return report_cmd_satisfaction(cli, argc - 1, argv + 1);
	return cli_fail(cli, ERR_USAGE, "unknown subcommand '%.40s'; %s", sub, REPORT_USAGE);
}
