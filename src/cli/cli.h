/*
 * cli: the motcua command. main.c holds the table of subcommands
 * (commands.def); each subcommand lives in a cmd_*.c file.
 *
 * A subcommand receives its own arguments (argv[0] is its name; the global
 * --config FILE has been removed already) and the loaded configuration. It
 * prints JSON on stdout and returns 0, or reports a clear error on stderr
 * through cli_fail() and returns its value (2 for bad input).
 */
#ifndef MOTCUA_CLI_CLI_H
#define MOTCUA_CLI_CLI_H

#include <jansson.h>
#include <stdint.h>

#include "base/config.h"
#include "base/error.h"
#include "db/db.h"
#include "service/service.h"

struct cli {
	const char *command;      /* the subcommand's name, for messages */
	const struct config *cfg; /* effective configuration */
};

typedef int cli_fn(struct cli *cli, int argc, char **argv);

#define CMD(name, fn, summary, usage) cli_fn fn;
#include "cli/commands.def"
#undef CMD

/* Exit statuses. */
#define CLI_OK    0
#define CLI_FAIL  1 /* the command could not do its work (I/O, database, ...) */
#define CLI_USAGE 2 /* bad input: wrong arguments, invalid values */

/*
 * Prints "motcua COMMAND: DETAIL (CODE)" to stderr and returns CLI_USAGE for
 * errors of the 4xx family, CLI_FAIL otherwise.
 */
int cli_fail(struct cli *cli, enum err_code code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Same, from a struct err filled by a library call. */
int cli_fail_err(struct cli *cli, const struct err *e);

/* Prints a JSON value on stdout (one line, keys in insertion order) and releases it. Returns 0. */
int cli_print_json(json_t *value);

/*
 * The current instant: the real clock, or MOTCUA_NOW (ISO 8601) when the
 * configuration allows a clock override. Returns ERR_OK or
 * ERR_CLOCK_OVERRIDE_REFUSED / ERR_INVALID_TIME.
 */
enum err_code cli_now(struct cli *cli, int64_t *now, struct err *e);

/*
 * Opens the configured database and refuses a schema that is not current
 * (telling the user to run `motcua db migrate`). On failure reports the error
 * and returns its exit status with nothing left open; on success CLI_OK.
 */
int cli_open_db(struct cli *cli, struct db **db);

/*
 * cli_open_db(), then builds the service context. On failure reports the error (cli_fail_err) and
 * returns its exit status with nothing left open; on success returns CLI_OK. Close with
 * cli_close_service().
 */
int cli_open_service(struct cli *cli, struct db **db, struct service *svc);
void cli_close_service(struct db *db, struct service *svc);

#endif
