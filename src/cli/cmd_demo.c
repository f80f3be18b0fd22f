/*
 * cmd_demo: `motcua demo [--population N] [--accounts-file FILE]` fills a
 * fresh database with the demonstration (service/demo.h) and prints one line
 * per account, exactly
 *   demo account: ROLE USERNAME PASSWORD
 * and one line per demonstration dossier. The account lines are also written
 * to FILE (default var/demo-accounts.txt, mode 0600) so that `make run` can
 * show them again on later starts; the passwords exist nowhere else.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/str.h"
#include "base/vntime.h"
#include "cli/cli.h"
#include "service/demo.h"

#define DEMO_DEFAULT_POPULATION 2000
#define DEMO_MAX_POPULATION     1000000
#define DEMO_DEFAULT_FILE       "var/demo-accounts.txt"

static int write_accounts(struct cli *cli, const char *path, const struct demo_report *r)
{
	char dir[1024];
	str_copy(dir, sizeof dir, path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0750) != 0 && errno != EEXIST)
			return cli_fail(cli, ERR_IO, "cannot create '%s': %s", dir,
			                strerror(errno));
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return cli_fail(cli, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return cli_fail(cli, ERR_IO, "cannot write '%s'", path);
	}
	for (size_t i = 0; i < r->n_accounts; i++)
		fprintf(f, "demo account: %s %s %s\n", r->accounts[i].role, r->accounts[i].username,
		        r->accounts[i].password);
	if (fflush(f) != 0 || fsync(fd) != 0) {
		fclose(f);
		return cli_fail(cli, ERR_IO, "cannot write '%s'", path);
	}
	fclose(f);
	return CLI_OK;
}

int cmd_demo(struct cli *cli, int argc, char **argv)
{
	int64_t population = DEMO_DEFAULT_POPULATION;
	const char *file = DEMO_DEFAULT_FILE;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--population") == 0 && i + 1 < argc) {
			if (str_parse_int64(argv[++i], 3, DEMO_MAX_POPULATION, &population))
				return cli_fail(
				        cli, ERR_INVALID_ARGUMENT,
				        "--population must be a number from 3 to %d, not '%s'",
				        DEMO_MAX_POPULATION, argv[i]);
		} else if (strcmp(argv[i], "--accounts-file") == 0 && i + 1 < argc) {
			file = argv[++i];
			if (!*file)
				return cli_fail(cli, ERR_USAGE,
				                "--accounts-file needs a file name");
		} else {
			return cli_fail(
			        cli, ERR_USAGE,
			        "usage: motcua demo [--population N] [--accounts-file FILE]");
		}
	}
	struct db *db;
	struct service svc;
	int st = cli_open_service(cli, &db, &svc);
	if (st != CLI_OK)
		return st;
	struct accounts acc;
	struct demo_report r;
	struct err e;
	err_clear(&e);
	if (accounts_init(&acc, &svc, &e) != ERR_OK) {
		cli_close_service(db, &svc);
		return cli_fail_err(cli, &e);
	}
	enum err_code rc = demo_seed(&svc, &acc, (int)population, &r, &e);
	accounts_release(&acc);
	cli_close_service(db, &svc);
	if (rc != ERR_OK)
		return cli_fail_err(cli, &e);
	st = write_accounts(cli, file, &r);
	if (st != CLI_OK)
		return st;
	printf("demo: %d synthetic residents in the population registry\n", r.population);
	for (size_t i = 0; i < r.n_dossiers; i++)
		printf("demo dossier: %s %s %s (lookup: code + last 4 digits %s)\n",
		       r.dossiers[i].code[0] ? r.dossiers[i].code : r.dossiers[i].id,
		       r.dossiers[i].procedure, r.dossiers[i].state, r.dossiers[i].id_last4);
	for (size_t i = 0; i < r.n_accounts; i++)
		printf("demo account: %s %s %s\n", r.accounts[i].role, r.accounts[i].username,
		       r.accounts[i].password);
	return CLI_OK;
}
