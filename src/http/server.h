/*
 * server: the HTTP server on libmicrohttpd.
 *
 * A pool of threads, each running its own epoll loop, accepts connections
 * on the listen address and answers requests through the router. Responses
 * are queued only once the whole request was read (the last handler call),
 * so keep-alive connections stay open; a body larger than its cap is read
 * and discarded, then answered 413 on the same connection. When the client
 * announced the body with "Expect: 100-continue", or declared more than
 * HTTP_DRAIN_MAX bytes, the 413 is sent at once instead (the body was not
 * sent, or is too large to be worth reading) and the connection is closed.
 * A body without a declared length (chunked) that runs past HTTP_DRAIN_MAX
 * gets no answer: the connection is closed. The same holds for bodies sent
 * with requests answered 400, 404 or 405 before their handler.
 *
 * Built-in routes: GET /healthz (200 {"status":"ok"}, or 503 when a health
 * check fails) and GET /metrics (Prometheus text). Upper layers plug in
 * through: route tables (http_server_add_routes), checks run before the
 * server starts (it refuses to start when one fails), health checks, a hook
 * run before every routed handler (sessions, CSRF), and metrics callbacks
 * (http_server_metrics).
 *
 * Shutdown: http_server_stop() stops accepting connections (new connects
 * are refused), answers the requests in flight (with Connection: close),
 * waits for them up to a grace period, then stops the threads.
 */
#ifndef MOTCUA_HTTP_SERVER_H
#define MOTCUA_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/config.h"
#include "base/error.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"

#define HTTP_DRAIN_MAX  (64u << 20) /* bytes of an oversized body read and discarded at most */
#define HTTP_MAX_CHECKS 8           /* start checks, and health checks, each */

struct http_server_opts {
	const char *listen; /* "127.0.0.1:8080", "[::1]:8080", "localhost:0" (0: any free port) */
	unsigned threads;   /* threads in the pool, >= 1 */
	unsigned connection_timeout; /* seconds a connection may stay idle; 0: no limit */
	unsigned max_connections; /* connections at once; further ones wait in the listen backlog */
	size_t max_body_bytes;    /* default cap on a request body */
};

/* Options from the configuration (listen, threads, connection_timeout, max_connections,
 * max_body_bytes). */
void http_server_opts_from_config(struct http_server_opts *o, const struct config *cfg);

/*
 * A check: returns ERR_OK, or an error code with a detail in *e.
 * Start checks run once in http_server_start(); health checks at each
 * GET /healthz (on a server thread).
 */
typedef enum err_code http_check_fn(void *ctx, struct err *e);

/*
 * A hook run before every routed handler (not for 404/405/413). Returning
 * ERR_OK lets the handler run; otherwise the response is sent as the hook
 * left it, or, when it set none, as the error response of the code returned.
 */
typedef enum err_code http_hook_fn(struct http_request *req, struct http_response *res, void *ctx);

struct http_server;

/*
 * A new server (not started) with the built-in routes. The listen address is
 * checked here: ERR_CONFIG_INVALID when it is malformed or does not resolve;
 * ERR_INVALID_ARGUMENT for other bad options; ERR_NO_MEMORY.
 */
enum err_code http_server_new(const struct http_server_opts *opts, struct http_server **out,
                              struct err *e);

/* Adds a route table (see http_router_add); before http_server_start() only. */
enum err_code http_server_add_routes(struct http_server *s, const struct http_route *routes,
                                     size_t n, void *ctx, struct err *e);

/* Adds a check run by http_server_start(); name is used in messages. ERR_TOO_LONG when full. */
enum err_code http_server_add_check(struct http_server *s, const char *name, http_check_fn *fn,
                                    void *ctx, struct err *e);

/* Adds a health check reported by GET /healthz under name. ERR_TOO_LONG when full. */
enum err_code http_server_add_health(struct http_server *s, const char *name, http_check_fn *fn,
                                     void *ctx, struct err *e);

/* Sets the hook run before every routed handler (NULL: none). */
void http_server_set_hook(struct http_server *s, http_hook_fn *fn, void *ctx);

/* The server's metrics registry, for upper layers' gauges. */
struct http_metrics *http_server_metrics(struct http_server *s);

/*
 * Runs the start checks, then listens and starts the threads. Returns
 * ERR_OK; the failing check's error; ERR_IO when the address cannot be
 * listened on (the detail says why); ERR_INVALID_ARGUMENT when started twice.
 */
enum err_code http_server_start(struct http_server *s, struct err *e);

/* The port listened on (the one chosen when 0 was asked), 0 before start. */
uint16_t http_server_port(const struct http_server *s);

/* "http://127.0.0.1:8080" or "http://[::1]:8080" once started, "" before. */
const char *http_server_url(const struct http_server *s);

/* True while started and accepting connections (false once stopping began). */
bool http_server_accepting(const struct http_server *s);

/* Requests received but not yet completed. */
unsigned http_server_in_flight(const struct http_server *s);

/*
 * Graceful stop: stops accepting, lets the requests in flight finish for up to
 * grace_ms milliseconds, then stops the threads (a handler still running is
 * waited for; connections still open are closed). Returns the number of
 * requests that were still in flight when the grace period ran out (0: all
 * finished). Does nothing and returns 0 when the server is not running.
 */
unsigned http_server_stop(struct http_server *s, unsigned grace_ms);

/* Stops (without grace) if running and frees everything. NULL is allowed. */
void http_server_free(struct http_server *s);

#endif
