/*
 * cmd_code: `motcua code parse CODE` splits a dossier code into its parts;
 * `motcua code make UNIT YYYY-MM-DD SEQUENCE` writes the code of the
 * SEQUENCE-th dossier received by UNIT that day, in the layout that the
 * configuration option dossier_code_long_from selects (domain/dossier_code).
 */
#include <string.h>

#include "base/str.h"
#include "base/vntime.h"
#include "cli/cli.h"
#include "domain/dossier_code.h"

#define CODE_USAGE "usage: motcua code parse CODE | motcua code make UNIT YYYY-MM-DD SEQUENCE"

/* The parts of a code as a JSON object, after an optional "code" member. */
static json_t *code_json(const char *text, const struct dossier_code *c)
{
	char d[VNTIME_DATE_LEN];
	vntime_format_date(c->date, d);
	json_t *o = json_object();
	if (text)
		json_object_set_new(o, "code", json_string(text));
	json_object_set_new(o, "unit", json_string(c->unit));
	json_object_set_new(o, "date", json_string(d));
	json_object_set_new(o, "sequence", json_integer(c->sequence));
	json_object_set_new(o, "layout", json_string(dossier_layout_str(c->layout)));
	return o;
}

static int code_parse(struct cli *cli, int argc, char **argv)
{
	if (argc != 3)
		return cli_fail(cli, ERR_USAGE, CODE_USAGE);
	struct dossier_code c;
	struct err e;
	err_clear(&e);
	if (dossier_code_parse(argv[2], &c, &e) != ERR_OK)
		return cli_fail_err(cli, &e);
	return cli_print_json(code_json(NULL, &c));
}

static int code_make(struct cli *cli, int argc, char **argv)
{
	if (argc != 5)
		return cli_fail(cli, ERR_USAGE, CODE_USAGE);
	const char *unit = argv[2], *date_s = argv[3], *seq_s = argv[4];

	int64_t long_from = DOSSIER_LONG_NEVER;
	const char *lf = config_str(cli->cfg, CONFIG_OPT_dossier_code_long_from);
	if (!str_empty(lf) && vntime_parse_date(lf, &long_from) != 0)
		return cli_fail(
		        cli, ERR_CONFIG_INVALID,
		        "invalid dossier_code_long_from '%s'; use YYYY-MM-DD or leave it empty",
		        lf);

	int64_t date, seq;
	if (vntime_parse_date(date_s, &date) != 0)
		return cli_fail(cli, ERR_INVALID_DATE,
		                "invalid reception date '%s'; use YYYY-MM-DD", date_s);
	if (str_parse_int64(seq_s, INT64_MIN, INT64_MAX, &seq) != 0)
		return cli_fail(cli, ERR_INVALID_ARGUMENT, "invalid sequence number '%s'", seq_s);

	struct dossier_code c;
	struct err e;
	err_clear(&e);
	if (dossier_code_make(unit, date, seq, long_from, &c, &e) != ERR_OK)
		return cli_fail_err(cli, &e);
	char text[DOSSIER_CODE_SIZE];
	if (dossier_code_format(&c, text, sizeof text, &e) != ERR_OK)
		return cli_fail_err(cli, &e);
	return cli_print_json(code_json(text, &c));
}

int cmd_code(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "parse") == 0)
		return code_parse(cli, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "make") == 0)
		return code_make(cli, argc, argv);
	if (argc >= 2)
		return cli_fail(cli, ERR_USAGE, "unknown subcommand '%s'; %s", argv[1], CODE_USAGE);
	return cli_fail(cli, ERR_USAGE, CODE_USAGE);
}
