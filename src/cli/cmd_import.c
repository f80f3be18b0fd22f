/*
 * cmd_import: `motcua import [--data DIR]` loads the reference data of DIR
 * (default: data, relative to the working directory) into the database named
 * by the `database` option, in one transaction, and prints per table how many
 * rows were inserted, updated, unchanged, deactivated and deleted;
 * `motcua import population FILE` loads a population registry CSV (see
 * src/service/population.h) and prints the counts, or lists the bad rows on
 * stderr and loads nothing.
 *
 * Both refuse a database whose schema is behind the program (run
 * `motcua db migrate` first). Bad input exits 2, a failure of the database or
 * of a file 1.
 */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/vntime.h"
#include "cli/cli.h"
#include "db/db.h"
#include "db/migrate.h"
#include "service/import.h"
#include "service/population.h"

static const char usage[] = "usage: motcua import [--data DIR] | motcua import population FILE";

static json_t *answer_head(struct cli *cli)
{
	struct buf url = BUF_INIT(4 * CONFIG_VALUE_MAX);
	config_redacted(cli->cfg, CONFIG_OPT_database, &url);
	json_t *o = json_object();
	json_object_set_new(o, "database", json_string(buf_str(&url)));
	buf_release(&url);
	return o;
}

static int import_reference_cmd(struct cli *cli, const char *dir)
{
	struct db *db;
	int rc = cli_open_db(cli, &db);
	if (rc != CLI_OK)
		return rc;
	struct import_report rep;
	struct err e;
	err_clear(&e);
	if (import_reference(db, dir, &rep, &e) != ERR_OK) {
		db_close(db);
		return cli_fail_err(cli, &e);
	}
	db_close(db);
	json_t *o = answer_head(cli);
	json_object_set_new(o, "data", json_string(dir));
	json_t *tables = json_object();
	for (int i = 0; i < IMPORT_TABLES; i++) {
		const struct import_count *t = &rep.tables[i];
		json_t *c = json_object();
		json_object_set_new(c, "inserted", json_integer(t->inserted));
		json_object_set_new(c, "updated", json_integer(t->updated));
		json_object_set_new(c, "unchanged", json_integer(t->unchanged));
		json_object_set_new(c, "deactivated", json_integer(t->deactivated));
		json_object_set_new(c, "deleted", json_integer(t->deleted));
		json_object_set_new(tables, import_table_name((enum import_table)i), c);
	}
	json_object_set_new(o, "tables", tables);
	json_object_set_new(o, "changes", json_integer(rep.changes));
	json_t *w = json_array();
	for (int i = 0; i < rep.nwarnings; i++)
		json_array_append_new(w, json_string(rep.warnings[i]));
	json_object_set_new(o, "warnings", w);
	json_object_set_new(o, "warnings_total", json_integer(rep.warnings_total));
	log_info("import.reference", "imported '%s': %lld changes", dir, (long long)rep.changes);
	return cli_print_json(o);
}

static int import_population_cmd(struct cli *cli, const char *path)
{
	struct err e;
	err_clear(&e);
	int64_t now, today;
	int sec;
	if (cli_now(cli, &now, &e) != ERR_OK)
		return cli_fail_err(cli, &e);
	vntime_split(now, &today, &sec);
	struct db *db;
	int rc = cli_open_db(cli, &db);
	if (rc != CLI_OK)
		return rc;
	struct population_report rep;
	enum err_code code = population_import_file(db, path, today, &rep, &e);
	db_close(db);
	if (code != ERR_OK) {
		for (int i = 0; i < rep.nerrors; i++)
			fprintf(stderr, "motcua import: %s line %d, %s (%s)\n", path,
			        rep.errors[i].line, rep.errors[i].detail,
			        err_code_str(rep.errors[i].code));
		if (rep.bad_rows > rep.nerrors)
			fprintf(stderr, "motcua import: ... and %lld more bad rows\n",
			        (long long)(rep.bad_rows - rep.nerrors));
		if (rep.batches > 0)
			fprintf(stderr,
			        "motcua import: %d batches (%lld rows) were written before "
			        "the failure; run the import again to complete it\n",
			        rep.batches,
			        (long long)(rep.inserted + rep.updated + rep.unchanged));
		return cli_fail_err(cli, &e);
	}
	json_t *o = answer_head(cli);
	json_object_set_new(o, "file", json_string(path));
	json_object_set_new(o, "rows", json_integer(rep.rows));
	json_object_set_new(o, "inserted", json_integer(rep.inserted));
	json_object_set_new(o, "updated", json_integer(rep.updated));
	json_object_set_new(o, "unchanged", json_integer(rep.unchanged));
	json_object_set_new(o, "batches", json_integer(rep.batches));
	log_info("import.population", "imported '%s': %lld rows", path, (long long)rep.rows);
	return cli_print_json(o);
}

int cmd_import(struct cli *cli, int argc, char **argv)
{
	const char *dir = NULL;
	const char *args[2] = {NULL, NULL};
	int nargs = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] == '\0')
			return cli_fail(cli, ERR_USAGE, "empty argument; %s", usage);
		if (strcmp(a, "--data") == 0 || strncmp(a, "--data=", 7) == 0) {
			if (dir)
				return cli_fail(cli, ERR_USAGE, "--data given twice; %s", usage);
			if (a[6] == '=')
				dir = a + 7;
			else if (i + 1 < argc)
				dir = argv[++i];
			else
				return cli_fail(cli, ERR_USAGE, "option '--data' needs a value");
			if (!*dir)
				return cli_fail(cli, ERR_USAGE, "empty data directory; %s", usage);
			continue;
		}
		if (a[0] == '-')
			return cli_fail(cli, ERR_USAGE, "unknown option '%s'; %s", a, usage);
		if (nargs == 2)
			return cli_fail(cli, ERR_USAGE, "too many arguments; %s", usage);
		args[nargs++] = a;
	}
	if (nargs == 0)
		return import_reference_cmd(cli, dir ? dir : IMPORT_DEFAULT_DIR);
	if (strcmp(args[0], "population") != 0)
		return cli_fail(cli, ERR_USAGE, "unknown subcommand '%s'; %s", args[0], usage);
	if (dir)
		return cli_fail(cli, ERR_USAGE, "--data does not apply to population; %s", usage);
	if (nargs != 2)
		return cli_fail(cli, ERR_USAGE, "population needs a FILE; %s", usage);
	return import_population_cmd(cli, args[1]);
}
