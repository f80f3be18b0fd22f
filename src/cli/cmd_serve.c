/*
 * cmd_serve: `motcua serve` runs the HTTP server with the JSON API until
 * SIGTERM or SIGINT.
 *
 * It opens the configured database, builds the service context and the
 * accounts, registers the routes of /api/v1 (api/api.h), a start check that
 * refuses a database whose schema is not current (run `motcua db migrate`),
 * a health check of the database for GET /healthz, and the gauge
 * motcua_dossiers{state} of GET /metrics. It prints one line
 * "listening on http://HOST:PORT" on stdout once the server accepts
 * connections, logs to stderr, and on a signal stops accepting, lets the
 * requests in flight finish (up to shutdown_timeout seconds) and exits 0;
 * 1 when requests had to be cut off or the server could not start (address
 * in use, a failed start check, a database that cannot be opened).
 *
 * Shutdown order: the server (its threads hold database connections and
 * use the service) stops and is freed first, then the API context, the
 * accounts, the service, and the database last.
 *
 * The signals are blocked before any server thread exists, so every thread
 * inherits the mask and only the main thread receives them, with
 * sigtimedwait(): no work happens in a signal handler.
 *
 * Periodic work, on the main thread between signals: every
 * calendar_sync_seconds the days off announced by an administrator on
 * another node sharing the database are picked up (admin_calendar_sync(): one
 * read of a counter when nothing changed), so every node computes due dates
 * with the same calendar within that delay.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "web/web.h"
#include "base/log.h"
#include "cli/cli.h"
#include "db/db.h"
#include "db/db_catalog_query.h"
#include "db/migrate.h"
#include "http/server.h"
#include "service/account.h"
#include "service/admin.h"
#include "service/service.h"

/* Start check: the schema must be current. */
static enum err_code check_schema(void *ctx, struct err *e)
{
	struct db *db = ctx;
	enum err_code rc = db_schema_check(db, e);
	if (rc == ERR_SCHEMA_BEHIND && e && !strstr(e->detail, "db migrate")) {
		struct err inner = *e;
		err_set(e, rc, "%s; run 'motcua db migrate' first", inner.detail);
	}
	return rc;
}

static enum err_code ping_txn(struct db_conn *c, void *ctx, struct err *e)
{
	(void)ctx;
	return dbq_ping(c, e);
}

/* Health check: the database answers on this server thread's connection. */
static enum err_code check_db(void *ctx, struct err *e)
{
	return db_run_txn(ctx, DB_TXN_READ, ping_txn, NULL, e);
}

/* Everything the server needs, released in reverse order of creation. */
struct serve {
	struct db *db;
	struct service svc;
	bool svc_ok;
	struct accounts acc;
	bool acc_ok;
	struct http_server *srv;
	struct api *api;
	struct web *web;
};

static void serve_release(struct serve *s)
{
	http_server_free(s->srv); /* stops the threads (and their connections) first */
	s->srv = NULL;
	web_free(s->web);
	s->web = NULL;
	api_free(s->api);
	s->api = NULL;
	if (s->acc_ok)
		accounts_release(&s->acc);
	s->acc_ok = false;
	if (s->svc_ok)
		service_release(&s->svc);
	s->svc_ok = false;
	db_close(s->db);
	s->db = NULL;
}

static enum err_code serve_build(struct serve *s, const struct config *cfg, struct err *e)
{
	enum err_code rc;
	struct http_server_opts opts;
	http_server_opts_from_config(&opts, cfg);
	if ((rc = db_open(config_str(cfg, CONFIG_OPT_database), NULL, &s->db, e)) != ERR_OK)
		return rc;
	if ((rc = service_init(&s->svc, s->db, cfg, e)) != ERR_OK)
		return rc;
	s->svc_ok = true;
	if ((rc = accounts_init(&s->acc, &s->svc, e)) != ERR_OK)
		return rc;
	s->acc_ok = true;
	if ((rc = accounts_prepare_login(&s->acc, e)) != ERR_OK)
		return rc;
	if ((rc = http_server_new(&opts, &s->srv, e)) != ERR_OK ||
	    (rc = http_server_add_check(s->srv, "schema", check_schema, s->db, e)) != ERR_OK ||
	    (rc = http_server_add_health(s->srv, "database", check_db, s->db, e)) != ERR_OK)
		return rc;
	if ((rc = api_register(s->srv, &s->svc, &s->acc, &s->api, e)) != ERR_OK)
		return rc;
	return web_register(s->srv, &s->svc, &s->acc, s->api, &s->web, e);
}

/*
 * Waits for SIGTERM or SIGINT, syncing the calendar every period seconds
 * (never when period is 0). Returns the signal. The main thread's database
 * connection, opened by the first sync, is closed before returning.
 */
static int wait_for_signal(struct serve *s, const sigset_t *stop, int64_t period)
{
	int sig = -1;
	while (sig < 0) {
		if (period <= 0) {
			int got = 0;
			if (sigwait(stop, &got) == 0)
				sig = got;
			continue;
		}
		struct timespec ts = {.tv_sec = (time_t)period, .tv_nsec = 0};
		int got = sigtimedwait(stop, NULL, &ts);
		if (got > 0) {
			sig = got;
		} else if (errno == EAGAIN) {
			struct err e;
			err_clear(&e);
			if (admin_calendar_sync(&s->svc, &e) != ERR_OK)
				log_warn("calendar.sync", "cannot sync the calendar: %s", e.detail);
		}
	}
	db_thread_conn_close(s->db);
	return sig;
}

int cmd_serve(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_fail(cli, ERR_USAGE,
		                "usage: motcua serve (options come from the configuration)");

	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	if (pthread_sigmask(SIG_BLOCK, &stop, NULL) != 0)
		return cli_fail(cli, ERR_INTERNAL, "cannot block signals");
	signal(SIGPIPE, SIG_IGN);

	struct serve s;
	memset(&s, 0, sizeof s);
	struct err e;
	err_clear(&e);
	if (serve_build(&s, cli->cfg, &e) != ERR_OK || http_server_start(s.srv, &e) != ERR_OK) {
		serve_release(&s);
		return cli_fail_err(cli, &e);
	}
	printf("listening on %s\n", http_server_url(s.srv));
	fflush(stdout);

	int sig =
	        wait_for_signal(&s, &stop, config_int(cli->cfg, CONFIG_OPT_calendar_sync_seconds));
	log_info("http.signal", "received %s; finishing the requests in flight",
	         sig == SIGTERM ? "SIGTERM" : "SIGINT");
	int64_t grace = config_int(cli->cfg, CONFIG_OPT_shutdown_timeout);
	unsigned left = http_server_stop(s.srv, (unsigned)grace * 1000u);
	serve_release(&s);
	return left ? CLI_FAIL : CLI_OK;
}
