/*
 * cmd_files: upkeep of the file store (service/files.h).
 *
 *   motcua files sweep [--older-than HOURS]
 *
 * deletes blobs under files_dir that no stored_file row names and temporary
 * files of uploads that never ended, when unchanged for HOURS hours
 * (default 24; 0 sweeps everything unreferenced, only safe with no server
 * running), and prints
 *   {"examined":N,"removed":N,"removed_bytes":N,"referenced":N,
 *    "kept_young":N,"foreign":N}
 * Bad arguments exit 2.
 */
#include <string.h>
#include <time.h>

#include "base/str.h"
#include "cli/cli.h"
#include "service/files.h"

#define FILES_USAGE "usage: motcua files sweep [--older-than HOURS]"
#define HOURS_MAX   (24 * 366 * 10)

int cmd_files(struct cli *cli, int argc, char **argv)
{
	int64_t hours = 24;
	if (argc < 2 || strcmp(argv[1], "sweep") != 0) {
		if (argc >= 2 && argv[1][0] && argv[1][0] != '-')
			return cli_fail(cli, ERR_USAGE, "unknown subcommand '%s'; %s", argv[1],
			                FILES_USAGE);
		return cli_fail(cli, ERR_USAGE, "%s", FILES_USAGE);
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--older-than") == 0 && i + 1 < argc) {
			if (str_parse_int64(argv[++i], 0, HOURS_MAX, &hours) != 0)
				return cli_fail(cli, ERR_USAGE,
				                "--older-than takes whole hours from 0 to %d",
				                HOURS_MAX);
			continue;
		}
		return cli_fail(cli, ERR_USAGE, "unknown argument '%s'; %s", argv[i], FILES_USAGE);
	}
	struct db *db = NULL;
	struct service svc;
	int st = cli_open_service(cli, &db, &svc);
	if (st != CLI_OK)
		return st;
	struct err e;
	err_clear(&e);
	/* the real time, not the service clock: the files' times are real */
	struct files_sweep_report r;
	enum err_code rc = files_sweep(&svc, (int64_t)time(NULL), hours * 3600, &r, &e);
	cli_close_service(db, &svc);
	if (rc != ERR_OK)
		return cli_fail_err(cli, &e);
	json_t *o = json_object();
	json_object_set_new(o, "examined", json_integer(r.examined));
	json_object_set_new(o, "removed", json_integer(r.removed));
	json_object_set_new(o, "removed_bytes", json_integer(r.removed_bytes));
	json_object_set_new(o, "referenced", json_integer(r.referenced));
	json_object_set_new(o, "kept_young", json_integer(r.kept_young));
	json_object_set_new(o, "foreign", json_integer(r.foreign));
	return cli_print_json(o);
}
