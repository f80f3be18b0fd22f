/*
 * cmd_serve: `motcua serve` runs the HTTP server until SIGTERM or SIGINT.
 *
 * It prints one line "listening on http://HOST:PORT" on stdout once the
 * server accepts connections, logs to stderr, and on a signal stops
 * accepting, lets the requests in flight finish (up to shutdown_timeout
 * seconds) and exits 0; 1 when requests had to be cut off or the server
 * could not start (address in use, a failed start check).
 *
 * The signals are blocked before any server thread exists, so every thread
 * inherits the mask and only the main thread receives them, with sigwait():
 * no work happens in a signal handler.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "cli/cli.h"
#include "http/server.h"

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

	struct http_server_opts opts;
	http_server_opts_from_config(&opts, cli->cfg);
	struct http_server *srv;
	struct err e;
	err_clear(&e);
	if (http_server_new(&opts, &srv, &e) != ERR_OK)
		return cli_fail_err(cli, &e);
	if (http_server_start(srv, &e) != ERR_OK) {
		http_server_free(srv);
		return cli_fail_err(cli, &e);
	}
	printf("listening on %s\n", http_server_url(srv));
	fflush(stdout);

	int sig = 0;
	while (sigwait(&stop, &sig) != 0)
		;
	log_info("http.signal", "received %s; finishing the requests in flight",
	         sig == SIGTERM ? "SIGTERM" : "SIGINT");
	int64_t grace = config_int(cli->cfg, CONFIG_OPT_shutdown_timeout);
	unsigned left = http_server_stop(srv, (unsigned)grace * 1000u);
	http_server_free(srv);
	return left ? CLI_FAIL : CLI_OK;
}
