/*
 * cmd_demo: `motcua demo [--population N] [--accounts-file FILE]` fills a
 * fresh database with the demonstration (service/demo.h) and prints one line
 * per account, exactly
 *   demo account: ROLE USERNAME PASSWORD
 * and one line per demonstration dossier. The account lines are also written
 * to FILE (default var/demo-accounts.txt, mode 0600) so that `make run` can
 * show them again on later starts; the passwords exist nowhere else.
 *
 * With --dossiers N it makes a whole city instead (service/demo_city.h,
 * docs/demo.md):
 *   motcua demo --dossiers N [--days D] [--seed S] [--end DATE|DATETIME]
 *               [--population N] [--batch EVENTS] [--durable] [--accounts-file FILE]
 * and prints a summary line, the states line and the same account lines.
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
#include "db/migrate.h"
#include "service/demo.h"
#include "service/demo_city.h"

#define DEMO_DEFAULT_POPULATION 2000
#define DEMO_MAX_POPULATION     1000000
#define DEMO_DEFAULT_FILE       "var/demo-accounts.txt"
#define DEMO_DEFAULT_DAYS       90
#define DEMO_DEFAULT_SEED       1
#define DEMO_STMT_CACHE         256 /* statements of the whole lifecycle stay prepared */

#define DEMO_USAGE                                                                                 \
	"usage: motcua demo [--population N] [--accounts-file FILE] | motcua demo --dossiers N "   \
	"[--days D] [--seed S] [--end DATE] [--population N] [--batch EVENTS] [--durable] "        \
	"[--accounts-file FILE]"

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

static int print_accounts(const struct demo_report *r)
{
	for (size_t i = 0; i < r->n_accounts; i++)
		printf("demo account: %s %s %s\n", r->accounts[i].role, r->accounts[i].username,
		       r->accounts[i].password);
	return CLI_OK;
}

/* The city: its own database handle (a larger statement cache), then demo_city_run(). */
static int run_city(struct cli *cli, struct demo_city_options *o, const char *file, bool end_given)
{
	struct db_options opt = {.stmt_cache_size = DEMO_STMT_CACHE};
	struct db *db = NULL;
	struct service svc;
	struct err e;
	err_clear(&e);
	if (db_open(config_str(cli->cfg, CONFIG_OPT_database), &opt, &db, &e) != ERR_OK)
		return cli_fail_err(cli, &e);
	if (db_schema_check(db, &e) != ERR_OK) {
		db_close(db);
		return cli_fail(cli, e.code, "%s; run 'motcua db migrate' first", e.detail);
	}
	if (service_init(&svc, db, cli->cfg, &e) != ERR_OK) {
		db_close(db);
		return cli_fail_err(cli, &e);
	}
	if (!end_given)
		o->end = service_now(&svc);
	struct accounts acc;
	struct demo_city_report r;
	if (accounts_init(&acc, &svc, &e) != ERR_OK) {
		cli_close_service(db, &svc);
		return cli_fail_err(cli, &e);
	}
	o->progress = isatty(STDERR_FILENO) ? stderr : NULL;
	enum err_code rc = demo_city_run(&svc, &acc, o, &r, &e);
	accounts_release(&acc);
	cli_close_service(db, &svc);
	if (rc != ERR_OK)
		return cli_fail_err(cli, &e);
	int st = write_accounts(cli, file, &r.login);
	if (st != CLI_OK)
		return st;
	char first[VNTIME_DATE_LEN], end[VNTIME_DATETIME_LEN];
	vntime_format_date(r.first_day, first);
	vntime_format_datetime(r.end, end);
	printf("demo: %lld synthetic residents in the population registry\n",
	       (long long)r.population);
	printf("demo city: %lld dossiers from %s to %s (seed %llu): %lld events in %lld "
	       "transactions, %.1f s, %.0f dossiers/s\n",
	       (long long)r.dossiers, first, end, (unsigned long long)o->seed, (long long)r.events,
	       (long long)r.transactions, r.seconds,
	       r.seconds > 0 ? (double)r.dossiers / r.seconds : 0.0);
	printf("demo city: counter %lld, online %lld, refused at reception %lld, withdrawn %lld, "
	       "stopped %lld, refused %lld, supplements %lld, extensions %lld, paid %lld "
	       "(online %lld), resolved late %lld, delivered %lld, rated %lld, complaints %lld, "
	       "in progress %lld; staff %lld, citizens %lld\n",
	       (long long)r.counter, (long long)r.online, (long long)r.refused_reception,
	       (long long)r.withdrawn, (long long)r.stopped, (long long)r.refused,
	       (long long)r.supplements, (long long)r.extensions, (long long)r.paid,
	       (long long)r.paid_online, (long long)r.late, (long long)r.delivered,
	       (long long)r.rated, (long long)r.complaints, (long long)r.in_progress,
	       (long long)r.staff, (long long)r.citizens);
	return print_accounts(&r.login);
}

int cmd_demo(struct cli *cli, int argc, char **argv)
{
	int64_t population = DEMO_DEFAULT_POPULATION, dossiers = 0, days = DEMO_DEFAULT_DAYS;
	int64_t seed = DEMO_DEFAULT_SEED, batch = 0;
	bool population_given = false, end_given = false, durable = false, city_only = false;
	int64_t end = 0;
	const char *file = DEMO_DEFAULT_FILE;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--population") == 0 && i + 1 < argc) {
			if (str_parse_int64(argv[++i], 3, DEMO_MAX_POPULATION, &population))
				return cli_fail(
				        cli, ERR_INVALID_ARGUMENT,
				        "--population must be a number from 3 to %d, not '%s'",
				        DEMO_MAX_POPULATION, argv[i]);
			population_given = true;
		} else if (strcmp(argv[i], "--accounts-file") == 0 && i + 1 < argc) {
			file = argv[++i];
			if (!*file)
				return cli_fail(cli, ERR_USAGE,
				                "--accounts-file needs a file name");
		} else if (strcmp(argv[i], "--dossiers") == 0 && i + 1 < argc) {
			if (str_parse_int64(argv[++i], 1, DEMO_CITY_MAX_DOSSIERS, &dossiers))
				return cli_fail(
				        cli, ERR_INVALID_ARGUMENT,
				        "--dossiers must be a number from 1 to %d, not '%s'",
				        DEMO_CITY_MAX_DOSSIERS, argv[i]);
		} else if (strcmp(argv[i], "--days") == 0 && i + 1 < argc) {
			city_only = true;
			if (str_parse_int64(argv[++i], 1, DEMO_CITY_MAX_DAYS, &days))
				return cli_fail(cli, ERR_INVALID_ARGUMENT,
				                "--days must be a number from 1 to %d, not '%s'",
				                DEMO_CITY_MAX_DAYS, argv[i]);
		} else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			city_only = true;
			if (str_parse_int64(argv[++i], 0, INT64_MAX, &seed))
				return cli_fail(cli, ERR_INVALID_ARGUMENT,
				                "--seed must be a number from 0, not '%s'",
				                argv[i]);
		} else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
			city_only = true;
			if (str_parse_int64(argv[++i], 1, 10000000, &batch))
				return cli_fail(
				        cli, ERR_INVALID_ARGUMENT,
				        "--batch must be a number from 1 to 10000000, not '%s'",
				        argv[i]);
		} else if (strcmp(argv[i], "--end") == 0 && i + 1 < argc) {
			city_only = true;
			const char *v = argv[++i];
			int64_t day;
			if (vntime_parse_date(v, &day) == 0)
				end = vntime_join(
				        day, 17 * 3600); /* the close of that day's office hours */
			else if (vntime_parse_datetime(v, &end) != 0)
				return cli_fail(cli, ERR_INVALID_DATE,
				                "--end must be a date YYYY-MM-DD or a time "
				                "YYYY-MM-DDTHH:MM, not '%s'",
				                v);
			end_given = true;
		} else if (strcmp(argv[i], "--durable") == 0) {
			city_only = true;
			durable = true;
		} else {
			return cli_fail(cli, ERR_USAGE, DEMO_USAGE);
		}
	}
	if (city_only && dossiers == 0)
		return cli_fail(cli, ERR_USAGE,
		                "--days, --seed, --end, --batch and --durable go with "
		                "--dossiers; " DEMO_USAGE);
	if (dossiers > 0) {
		struct demo_city_options o = {.dossiers = dossiers,
		                              .days = (int)days,
		                              .seed = (uint64_t)seed,
		                              .end = end,
		                              .population = population_given ? (int)population : 0,
		                              .batch_events = (int)batch,
		                              .bulk = !durable};
		return run_city(cli, &o, file, end_given);
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
	return print_accounts(&r);
}
