/*
 * cmd_audit: `motcua audit verify` recomputes the hash chain of the audit
 * log (service/audit.h) in one read transaction and prints
 *   {"intact":true,"rows":N,"last_seq":N,"last_hash":"..."}
 * exiting 0, or, when a row does not verify,
 *   {"intact":false,"rows":N,"broken_seq":S,"reason":"..."}
 * exiting 1 (with the same on stderr). Bad arguments exit 2.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "db/db.h"
#include "db/migrate.h"
#include "service/audit.h"

#define AUDIT_USAGE "usage: motcua audit verify"

struct verify_ctx {
	struct audit_report report;
};

static enum err_code verify_fn(struct db_conn *c, void *vctx, struct err *e)
{
	struct verify_ctx *x = vctx;
	return audit_verify(c, &x->report, e);
}

int cmd_audit(struct cli *cli, int argc, char **argv)
{
	if (argc != 2 || strcmp(argv[1], "verify") != 0) {
		if (argc >= 2 && argv[1][0] != '\0' && argv[1][0] != '-' &&
		    strcmp(argv[1], "verify"))
			return cli_fail(cli, ERR_USAGE, "unknown subcommand '%s'; %s", argv[1],
			                AUDIT_USAGE);
		return cli_fail(cli, ERR_USAGE, "%s", AUDIT_USAGE);
	}
	struct db *db = NULL;
	struct verify_ctx x;
	struct err e;
	err_clear(&e);
	memset(&x, 0, sizeof x);
	int st = cli_open_db(cli, &db);
	if (st != CLI_OK)
		return st;
	enum err_code rc = db_run_txn(db, DB_TXN_READ, verify_fn, &x, &e);
	db_close(db);
	if (rc != ERR_OK && rc != ERR_AUDIT_CHAIN_BROKEN)
		return cli_fail_err(cli, &e);
	const struct audit_report *r = &x.report;
	json_t *o = json_object();
	json_object_set_new(o, "intact", json_boolean(rc == ERR_OK));
	json_object_set_new(o, "rows", json_integer(r->rows));
	if (rc == ERR_OK) {
		json_object_set_new(o, "last_seq", json_integer(r->last_seq));
		json_object_set_new(o, "last_hash", json_string(r->last_hash));
		return cli_print_json(o);
	}
	json_object_set_new(o, "broken_seq", json_integer(r->broken_seq));
	json_object_set_new(o, "reason", json_string(r->reason));
	cli_print_json(o);
	return cli_fail_err(cli, &e);
}
