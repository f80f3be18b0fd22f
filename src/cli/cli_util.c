/*
 * cli_util: what every subcommand shares: error reporting, JSON output, the clock.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "db/migrate.h"
#include "cli/cli.h"

static int exit_status(enum err_code code)
{
	int status = err_http_status(code);
	return status >= 400 && status < 500 ? CLI_USAGE : CLI_FAIL;
}

int cli_fail(struct cli *cli, enum err_code code, const char *fmt, ...)
{
	char detail[ERR_DETAIL_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	fprintf(stderr, "motcua %s: %s (%s)\n", cli->command, detail, err_code_str(code));
	return exit_status(code);
}

int cli_fail_err(struct cli *cli, const struct err *e)
{
	const char *detail = e->detail[0] ? e->detail : err_hint(e->code, ERR_LANG_EN);
	return cli_fail(cli, e->code, "%s", detail);
}

int cli_print_json(json_t *value)
{
	char *s = json_dumps(value, JSON_PRESERVE_ORDER | JSON_COMPACT | JSON_ENCODE_ANY |
	                                    JSON_REAL_PRECISION(15));
	json_decref(value);
	if (!s) {
		fprintf(stderr, "motcua: out of memory\n");
		return CLI_FAIL;
	}
	puts(s);
	free(s);
	return CLI_OK;
}

enum err_code cli_now(struct cli *cli, int64_t *now, struct err *e)
{
	struct clock c;
	enum err_code rc = clock_init(&c, getenv("MOTCUA_NOW"),
	                              config_bool(cli->cfg, CONFIG_OPT_allow_clock_override), e);
	if (rc == ERR_OK)
		*now = clock_now(&c);
	return rc;
}

int cli_open_db(struct cli *cli, struct db **db)
{
	struct err e;
	err_clear(&e);
	*db = NULL;
	if (db_open(config_str(cli->cfg, CONFIG_OPT_database), NULL, db, &e) != ERR_OK)
		return cli_fail_err(cli, &e);
	enum err_code rc = db_schema_check(*db, &e);
	if (rc == ERR_OK)
		return CLI_OK;
	db_close(*db);
	*db = NULL;
	if (rc == ERR_SCHEMA_BEHIND && !strstr(e.detail, "db migrate"))
		return cli_fail(cli, rc, "%s; run 'motcua db migrate' first", e.detail);
	return cli_fail_err(cli, &e);
}

int cli_open_service(struct cli *cli, struct db **db, struct service *svc)
{
	int st = cli_open_db(cli, db);
	if (st != CLI_OK)
		return st;
	struct err e;
	err_clear(&e);
	if (service_init(svc, *db, cli->cfg, &e) != ERR_OK) {
		db_close(*db);
		*db = NULL;
		return cli_fail_err(cli, &e);
	}
	return CLI_OK;
}

void cli_close_service(struct db *db, struct service *svc)
{
	service_release(svc);
	db_close(db);
}
