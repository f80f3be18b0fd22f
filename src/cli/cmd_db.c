/*
 * cmd_db: `motcua db migrate | status | backup FILE` on the database named
 * by the `database` option (MOTCUA_DATABASE).
 *
 *   migrate      applies the pending migrations built into the binary and
 *                prints which ones ran and the resulting version;
 *   status       prints the database's version against the binary's, the
 *                verdict (current, behind, ahead, mismatch) and every migration;
 *   backup FILE  writes a consistent copy with the SQLite online backup API,
 *                safe while a server is writing; FILE must not exist;
 *   copy --from URL --to URL
 *                copies every table from one database to another (an office's
 *                SQLite file into the city's PostgreSQL, or back): migrates the
 *                destination, which must be empty, and checks every table's row
 *                count (db_copy.h); the `database` option is not used.
 * Output is one JSON object; bad input exits 2, a database failure 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/vntime.h"
#include "cli/cli.h"
#include "db/db.h"
#include "db/db_copy.h"
#include "db/migrate.h"

static const char usage[] = "usage: motcua db migrate | motcua db status | motcua db backup FILE | "
                            "motcua db copy --from URL --to URL";

static const char *verdict_name(enum err_code v)
{
	switch (v) {
	case ERR_OK:
		return "current";
	case ERR_SCHEMA_BEHIND:
		return "behind";
	case ERR_SCHEMA_AHEAD:
		return "ahead";
	default:
		return "mismatch";
	}
}

/* The object shared by every answer: the database (password redacted) and its driver. */
static json_t *answer_head(struct cli *cli, struct db *db)
{
	struct buf url = BUF_INIT(4 * CONFIG_VALUE_MAX);
	config_redacted(cli->cfg, CONFIG_OPT_database, &url);
	json_t *o = json_object();
	json_object_set_new(o, "database", json_string(buf_str(&url)));
	json_object_set_new(o, "driver", json_string(db_driver_name(db)));
	buf_release(&url);
	return o;
}

static json_t *migration_json(const struct migration_info *m)
{
	json_t *o = json_object();
	json_object_set_new(o, "version", json_integer(m->version));
	json_object_set_new(o, "name", json_string(m->name));
	json_object_set_new(o, "state", json_string(migration_state_name(m->state)));
	if (m->state == MIGRATION_PENDING) {
		json_object_set_new(o, "applied_at", json_null());
	} else {
		char when[VNTIME_DATETIME_LEN];
		vntime_format_datetime(m->applied_at, when);
		json_object_set_new(o, "applied_at", json_string(when));
	}
	return o;
}

static int db_status(struct cli *cli, struct db *db)
{
	struct err e;
	struct db_conn *c;
	struct migrate_status st;
	int n;
	err_clear(&e);
	const struct migration *list = migrate_embedded(&n);
	if (db_thread_conn(db, &c, &e) != ERR_OK || migrate_status(c, list, n, &st, &e) != ERR_OK)
		return cli_fail_err(cli, &e);
	json_t *o = answer_head(cli, db);
	json_object_set_new(o, "state", json_string(verdict_name(st.verdict)));
	json_object_set_new(o, "db_version", json_integer(st.db_version));
	json_object_set_new(o, "code_version", json_integer(st.code_version));
	json_object_set_new(o, "pending", json_integer(st.pending));
	json_t *items = json_array();
	for (int i = 0; i < st.count; i++)
		json_array_append_new(items, migration_json(&st.items[i]));
	json_object_set_new(o, "migrations", items);
	migrate_status_release(&st);
	return cli_print_json(o);
}

static int db_migrate(struct cli *cli, struct db *db)
{
	struct err e;
	struct db_conn *c;
	struct migrate_status before, after;
	int64_t now;
	int n, applied = 0;
	err_clear(&e);
	const struct migration *list = migrate_embedded(&n);
	if (cli_now(cli, &now, &e) != ERR_OK)
		return cli_fail_err(cli, &e);
	if (db_thread_conn(db, &c, &e) != ERR_OK ||
	    migrate_status(c, list, n, &before, &e) != ERR_OK)
		return cli_fail_err(cli, &e);
	if (migrate_apply(c, list, n, now, &applied, &e) != ERR_OK ||
	    migrate_status(c, list, n, &after, &e) != ERR_OK) {
		migrate_status_release(&before);
		return cli_fail_err(cli, &e);
	}
	json_t *o = answer_head(cli, db);
	json_t *done = json_array();
	for (int i = 0; i < after.count; i++) {
		const struct migration_info *m = &after.items[i];
		bool was_pending = false;
		for (int j = 0; j < before.count; j++)
			if (before.items[j].version == m->version)
				was_pending = before.items[j].state == MIGRATION_PENDING;
		if (was_pending && m->state == MIGRATION_APPLIED)
			json_array_append_new(done, migration_json(m));
	}
	json_object_set_new(o, "applied", done);
	json_object_set_new(o, "db_version", json_integer(after.db_version));
	json_object_set_new(o, "state", json_string(verdict_name(after.verdict)));
	log_info("db.migrate", "applied %d migrations; schema at version %d", applied,
	         after.db_version);
	migrate_status_release(&before);
	migrate_status_release(&after);
	return cli_print_json(o);
}

static int db_backup_cmd(struct cli *cli, struct db *db, const char *path)
{
	struct err e;
	int64_t bytes = 0;
	err_clear(&e);
	if (db_backup(db, path, &bytes, &e) != ERR_OK)
		return cli_fail_err(cli, &e);
	json_t *o = answer_head(cli, db);
	json_object_set_new(o, "backup", json_string(path));
	json_object_set_new(o, "bytes", json_integer(bytes));
	log_info("db.backup", "wrote '%s' (%lld bytes)", path, (long long)bytes);
	return cli_print_json(o);
}

static int db_copy_cmd(struct cli *cli, int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	for (int i = 2; i < argc; i++) {
		const char **slot = strcmp(argv[i], "--from") == 0 ? &from
		                    : strcmp(argv[i], "--to") == 0 ? &to
		                                                   : NULL;
		if (argv[i][0] == '\0')
			return cli_fail(cli, ERR_USAGE, "empty argument; %s", usage);
		if (!slot)
			return cli_fail(cli, ERR_USAGE, "unknown option '%s'; %s", argv[i], usage);
		if (*slot)
			return cli_fail(cli, ERR_USAGE, "option '%s' given twice", argv[i]);
		if (i + 1 >= argc || argv[i + 1][0] == '\0')
			return cli_fail(cli, ERR_USAGE, "option '%s' needs a database url",
			                argv[i]);
		*slot = argv[++i];
	}
	if (!from || !to)
		return cli_fail(cli, ERR_USAGE, "db copy needs --from URL and --to URL; %s", usage);
	if (strcmp(from, to) == 0)
		return cli_fail(cli, ERR_INVALID_ARGUMENT,
		                "--from and --to name the same database");

	struct err e;
	struct db *src = NULL, *dst = NULL;
	struct db_copy_report *rep = calloc(1, sizeof *rep);
	int64_t now;
	int rc = CLI_OK;
	char from_shown[1024], to_shown[1024];
	err_clear(&e);
	db_url_redacted(from, from_shown, sizeof from_shown);
	db_url_redacted(to, to_shown, sizeof to_shown);
	if (!rep) {
		rc = cli_fail(cli, ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	if (cli_now(cli, &now, &e) != ERR_OK) {
		rc = cli_fail_err(cli, &e);
		goto out;
	}
	if (db_open(from, NULL, &src, &e) != ERR_OK) {
		rc = cli_fail(cli, e.code, "source '%s': %s", from_shown, e.detail);
		goto out;
	}
	if (db_open(to, NULL, &dst, &e) != ERR_OK) {
		rc = cli_fail(cli, e.code, "destination '%s': %s", to_shown, e.detail);
		goto out;
	}
	if (db_copy(src, dst, now, rep, &e) != ERR_OK) {
		rc = cli_fail_err(cli, &e);
		goto out;
	}
	json_t *o = json_object();
	json_object_set_new(o, "from", json_string(from_shown));
	json_object_set_new(o, "from_driver", json_string(db_driver_name(src)));
	json_object_set_new(o, "to", json_string(to_shown));
	json_object_set_new(o, "to_driver", json_string(db_driver_name(dst)));
	json_object_set_new(o, "migrations_applied", json_integer(rep->migrations_applied));
	json_t *tables = json_object();
	for (int i = 0; i < rep->count; i++)
		json_object_set_new(tables, rep->tables[i].name, json_integer(rep->tables[i].rows));
	json_object_set_new(o, "tables", tables);
	json_object_set_new(o, "rows", json_integer(rep->rows));
	log_info("db.copy", "copied %lld rows in %d tables from '%s' to '%s'", (long long)rep->rows,
	         rep->count, from_shown, to_shown);
	rc = cli_print_json(o);
out:
	db_close(src);
	db_close(dst);
	free(rep);
	return rc;
}

int cmd_db(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_fail(cli, ERR_USAGE, "%s", usage);
	if (strcmp(argv[1], "copy") == 0)
		return db_copy_cmd(cli, argc, argv);
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '\0')
			return cli_fail(cli, ERR_USAGE, "empty argument; %s", usage);
		if (argv[i][0] == '-')
			return cli_fail(cli, ERR_USAGE, "unknown option '%s'; %s", argv[i], usage);
	}
	const char *sub = argv[1];
	bool backup = strcmp(sub, "backup") == 0;
	if (!backup && strcmp(sub, "migrate") != 0 && strcmp(sub, "status") != 0)
		return cli_fail(cli, ERR_USAGE, "unknown subcommand '%s'; %s", sub, usage);
	if (argc != (backup ? 3 : 2))
		return cli_fail(cli, ERR_USAGE, "%s", usage);

	struct db *db = NULL;
	struct err e;
	err_clear(&e);
	if (db_open(config_str(cli->cfg, CONFIG_OPT_database), NULL, &db, &e) != ERR_OK)
		return cli_fail_err(cli, &e);
	int rc;
	if (backup)
		rc = db_backup_cmd(cli, db, argv[2]);
	else if (strcmp(sub, "migrate") == 0)
		rc = db_migrate(cli, db);
	else
		rc = db_status(cli, db);
	db_close(db);
	return rc;
}
