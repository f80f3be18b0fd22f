/*
 * server: libmicrohttpd glue (see server.h).
 *
 * The life of a request, in libmicrohttpd's callbacks:
 *   on_uri        the request line arrived: a per-request context is made,
 *                 the raw target parsed, the request counted in flight;
 *   on_access #1  headers are in: they are copied, the route matched, the
 *                 declared body size checked. Nothing is queued here unless
 *                 the answer is an early 413/4xx the client should get
 *                 before sending its body (see server.h): a response
 *                 queued on the first call makes libmicrohttpd 0.9.75 close
 *                 the connection;
 *   on_access #n  body pieces: kept up to the cap, or counted and dropped;
 *                 for a route with a streamed body (router.h), the hook runs
 *                 on the first call instead, then the stream's begin, and
 *                 the pieces go to the stream's data callback;
 *   on_access last (no more data) the handler runs, the response is queued;
 *   on_completed  the request is released in one place and counted out.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/str.h"

struct named_check {
	char name[32];
	http_check_fn *fn;
	void *ctx;
};

struct http_server {
	struct http_server_opts opts;
	char listen[256];
	struct sockaddr_storage addr;
	bool ipv6;
	struct MHD_Daemon *daemon;
	MHD_socket listen_fd; /* after quiesce, closed once the daemon stopped */
	struct http_router *router;
	struct http_metrics *metrics;
	int slots[HTTP_ROUTER_MAX]; /* metrics slot of each route */
	struct named_check checks[HTTP_MAX_CHECKS];
	size_t nchecks;
	struct named_check health[HTTP_MAX_CHECKS];
	size_t nhealth;
	http_hook_fn *hook;
	void *hook_ctx;
	atomic_uint in_flight;
	atomic_bool draining;
	atomic_bool accepting;
	bool starting;
	char start_error[256];
	uint16_t port;
	char url[128];
};

/* One request in flight (libmicrohttpd's *con_cls). */
struct conn_ctx {
	struct http_server *srv;
	struct http_request req;
	struct http_match match;
	struct err err;      /* the early error's detail */
	enum err_code early; /* an error found before the handler (bad target, headers) */
	bool started;        /* the first access call happened */
	bool discard;        /* the body is not wanted: count and drop it */
	bool too_large;      /* the body is over its cap: 413 */
	bool responded;
	bool streaming; /* the route streams its body (route->stream) */
	bool hook_ran;  /* the hook ran already (streamed routes: in begin) */
	enum err_code hook_rc;
	bool res_ready; /* res was initialised */
	struct http_response res;
	size_t max_body;
	uint64_t drained; /* bytes dropped */
	uint64_t start_us;
	int slot;
};

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void http_server_opts_from_config(struct http_server_opts *o, const struct config *cfg)
{
	o->listen = config_str(cfg, CONFIG_OPT_listen);
	o->threads = (unsigned)config_int(cfg, CONFIG_OPT_threads);
	o->connection_timeout = (unsigned)config_int(cfg, CONFIG_OPT_connection_timeout);
	o->max_connections = (unsigned)config_int(cfg, CONFIG_OPT_max_connections);
	o->max_body_bytes = (size_t)config_int(cfg, CONFIG_OPT_max_body_bytes);
}

/* HOST:PORT or [IPV6]:PORT into *ss. */
static enum err_code parse_listen(struct http_server *s, const char *text, struct err *e)
{
	const char *colon = strrchr(text, ':');
	int64_t port;
	char host[256];
	if (!colon || colon == text || str_parse_int64(colon + 1, 0, 65535, &port) != 0)
		return err_set(e, ERR_CONFIG_INVALID,
		               "invalid listen address '%s', expected HOST:PORT", text);
	size_t hlen = (size_t)(colon - text);
	const char *h = text;
	bool bracket = text[0] == '[';
	if (bracket) {
		if (hlen < 3 || colon[-1] != ']')
			return err_set(e, ERR_CONFIG_INVALID, "invalid listen address '%s'", text);
		h++;
		hlen -= 2;
	} else if (memchr(text, ':', hlen)) {
		return err_set(e, ERR_CONFIG_INVALID,
		               "invalid listen address '%s', write an IPv6 address as [ADDR]:PORT",
		               text);
	}
	if (hlen >= sizeof host)
		return err_set(e, ERR_CONFIG_INVALID, "listen address '%s' too long", text);
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = bracket ? AF_INET6 : AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = bracket ? AI_NUMERICHOST : 0;
	int rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0 || !res)
		return err_set(e, ERR_CONFIG_INVALID, "cannot resolve listen host '%s': %s", host,
		               gai_strerror(rc));
	memset(&s->addr, 0, sizeof s->addr);
	memcpy(&s->addr, res->ai_addr, res->ai_addrlen);
	s->ipv6 = res->ai_family == AF_INET6;
	freeaddrinfo(res);
	if (s->ipv6)
		((struct sockaddr_in6 *)&s->addr)->sin6_port = htons((uint16_t)port);
	else
		((struct sockaddr_in *)&s->addr)->sin_port = htons((uint16_t)port);
	s->port = (uint16_t)port;
	return ERR_OK;
}

static void get_healthz(struct http_request *req, struct http_response *res, void *ctx);
static void get_metrics(struct http_request *req, struct http_response *res, void *ctx);

static const struct http_route builtin_routes[] = {
        {"GET", "/healthz", get_healthz, 0},
        {"GET", "/metrics", get_metrics, 0},
};

static int metric_in_flight(struct http_metric_out *out, void *ctx)
{
	http_metric_sample(out, NULL, NULL, http_server_in_flight(ctx));
	return 0;
}

static int metric_connections(struct http_metric_out *out, void *ctx)
{
	struct http_server *s = ctx;
	if (!s->daemon)
		return -1;
	const union MHD_DaemonInfo *i =
	        MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	if (!i)
		return -1;
	http_metric_sample(out, NULL, NULL, i->num_connections);
	return 0;
}

enum err_code http_server_new(const struct http_server_opts *opts, struct http_server **out,
                              struct err *e)
{
	*out = NULL;
	if (!opts->listen || opts->threads < 1 || opts->threads > 1024 ||
	    opts->max_connections < 1 || opts->max_body_bytes < 1)
		return err_set(e, ERR_INVALID_ARGUMENT, "invalid server options");
	struct http_server *s = calloc(1, sizeof *s);
	if (!s)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	s->opts = *opts;
	s->listen_fd = MHD_INVALID_SOCKET;
	enum err_code rc = ERR_OK;
	if (str_copy(s->listen, sizeof s->listen, opts->listen) != 0)
		rc = err_set(e, ERR_CONFIG_INVALID, "listen address too long");
	s->opts.listen = s->listen;
	if (rc == ERR_OK)
		rc = parse_listen(s, s->listen, e);
	if (rc == ERR_OK) {
		s->router = http_router_new();
		s->metrics = http_metrics_new();
		if (!s->router || !s->metrics)
			rc = err_set(e, ERR_NO_MEMORY, "out of memory");
	}
	if (rc == ERR_OK)
		rc = http_server_add_routes(s, builtin_routes,
		                            sizeof builtin_routes / sizeof builtin_routes[0], s, e);
	if (rc == ERR_OK)
		rc = http_metrics_add(s->metrics, "motcua_http_requests_in_flight",
		                      "requests received and not yet completed", HTTP_METRIC_GAUGE,
		                      metric_in_flight, s, e);
	if (rc == ERR_OK)
		rc = http_metrics_add(s->metrics, "motcua_http_connections",
		                      "open HTTP connections", HTTP_METRIC_GAUGE,
		                      metric_connections, s, e);
	if (rc != ERR_OK) {
		http_server_free(s);
		return rc;
	}
	*out = s;
	return ERR_OK;
}

enum err_code http_server_add_routes(struct http_server *s, const struct http_route *routes,
                                     size_t n, void *ctx, struct err *e)
{
	if (s->daemon)
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "routes must be added before the server starts");
	size_t base = http_router_count(s->router);
	enum err_code rc = http_router_add(s->router, routes, n, ctx, e);
	if (rc != ERR_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		int slot = http_metrics_slot(s->metrics, routes[i].method, routes[i].pattern);
		s->slots[base + i] = slot < 0 ? HTTP_METRICS_UNMATCHED : slot;
	}
	return ERR_OK;
}

static enum err_code add_check(struct named_check *list, size_t *n, const char *name,
                               http_check_fn *fn, void *ctx, struct err *e)
{
	if (!fn || !name)
		return err_set(e, ERR_INVALID_ARGUMENT, "a check needs a name and a function");
	if (*n >= HTTP_MAX_CHECKS)
		return err_set(e, ERR_TOO_LONG, "more than %d checks", HTTP_MAX_CHECKS);
	struct named_check *c = &list[(*n)++];
	str_copy(c->name, sizeof c->name, name);
	c->fn = fn;
	c->ctx = ctx;
	return ERR_OK;
}

enum err_code http_server_add_check(struct http_server *s, const char *name, http_check_fn *fn,
                                    void *ctx, struct err *e)
{
	return add_check(s->checks, &s->nchecks, name, fn, ctx, e);
}

enum err_code http_server_add_health(struct http_server *s, const char *name, http_check_fn *fn,
                                     void *ctx, struct err *e)
{
	return add_check(s->health, &s->nhealth, name, fn, ctx, e);
}

void http_server_set_hook(struct http_server *s, http_hook_fn *fn, void *ctx)
{
	s->hook = fn;
	s->hook_ctx = ctx;
}

struct http_metrics *http_server_metrics(struct http_server *s)
{
	return s->metrics;
}

uint16_t http_server_port(const struct http_server *s)
{
	return s->daemon ? s->port : 0;
}

const char *http_server_url(const struct http_server *s)
{
	return s->daemon ? s->url : "";
}

bool http_server_accepting(const struct http_server *s)
{
	return atomic_load(&s->accepting);
}

unsigned http_server_in_flight(const struct http_server *s)
{
	return atomic_load(&s->in_flight);
}

/* ---- built-in routes ---- */

static void get_healthz(struct http_request *req, struct http_response *res, void *ctx)
{
	(void)req;
	struct http_server *s = ctx;
	json_t *o = json_object();
	json_t *checks = s->nhealth ? json_object() : NULL;
	bool ok = true;
	for (size_t i = 0; i < s->nhealth; i++) {
		struct err e;
		err_clear(&e);
		enum err_code rc = s->health[i].fn(s->health[i].ctx, &e);
		json_t *c = json_object();
		json_object_set_new(c, "status", json_string(rc == ERR_OK ? "ok" : "fail"));
		if (rc != ERR_OK) {
			ok = false;
			json_object_set_new(c, "code", json_string(err_code_str(rc)));
			json_object_set_new(c, "detail", http_json_text(e.detail));
		}
		json_object_set_new(checks, s->health[i].name, c);
	}
	json_object_set_new(o, "status", json_string(ok ? "ok" : "fail"));
	if (checks)
		json_object_set_new(o, "checks", checks);
	http_response_json(res, ok ? 200 : 503, o);
}

static void get_metrics(struct http_request *req, struct http_response *res, void *ctx)
{
	(void)req;
	struct http_server *s = ctx;
	struct buf b = BUF_INIT(HTTP_MAX_RESPONSE_BODY);
	struct err e;
	if (http_metrics_render(s->metrics, &b, &e) != ERR_OK) {
		buf_release(&b);
		http_response_err(res, &e);
		return;
	}
	size_t len = b.len;
	http_response_take(res, 200, "text/plain; version=0.0.4; charset=utf-8", buf_detach(&b),
	                   len);
}

/* ---- libmicrohttpd callbacks ---- */

static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct http_server *s = cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	if (s->starting) {
		str_copy(s->start_error, sizeof s->start_error, msg);
		log_warn("http.mhd", "%s", msg);
	} else {
		log_info("http.mhd", "%s", msg);
	}
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct http_server *s = cls;
	struct conn_ctx *x = calloc(1, sizeof *x);
	if (!x)
		return NULL;
	x->srv = s;
	x->start_us = now_us();
	x->slot = HTTP_METRICS_UNMATCHED;
	http_request_init(&x->req, s->opts.max_body_bytes);
	x->max_body = s->opts.max_body_bytes;
	err_clear(&x->err);
	x->early = http_request_set_target(&x->req, uri, &x->err);
	const union MHD_ConnectionInfo *ci =
	        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET,
			          &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
			          x->req.client, sizeof x->req.client);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
			          &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			          x->req.client, sizeof x->req.client);
	}
	atomic_fetch_add(&s->in_flight, 1);
	return x;
}

static enum MHD_Result add_header_cb(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
	(void)kind;
	struct conn_ctx *x = cls;
	struct err e;
	enum err_code rc = http_request_add_header(&x->req, key, value, &e);
	if (rc != ERR_OK && x->early == ERR_OK) {
		x->early = rc;
		x->err = e;
	}
	return rc == ERR_OK ? MHD_YES : MHD_NO;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)c;
	struct http_server *s = cls;
	struct conn_ctx *x = *con_cls;
	if (!x)
		return;
	*con_cls = NULL;
	if (!x->responded || toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
		log_debug("http.incomplete", "request '%s' ended without a full response (code %d)",
		          x->req.raw_path ? x->req.raw_path : "?", (int)toe);
	if (x->res_ready)
		http_response_release(&x->res);
	http_request_release(&x->req);
	free(x);
	atomic_fetch_sub(&s->in_flight, 1);
}

/* Builds the answer of a request and queues it. */
static enum MHD_Result respond(struct conn_ctx *x, struct MHD_Connection *c, bool early)
{
	struct http_server *s = x->srv;
	struct http_request *req = &x->req;
	if (!x->res_ready) {
		http_response_init(&x->res, req->lang);
		x->res_ready = true;
	}
	struct http_response res = x->res; /* moved out: x->res is not used again */
	x->res_ready = false;
	x->responded = true;
	req->conn = c;
	const char *path = req->raw_path ? req->raw_path : "?";
	if (x->early != ERR_OK) {
		http_response_err(&res, &x->err);
	} else if (x->hook_ran && x->hook_rc != ERR_OK) {
		if (res.status == 0)
			http_response_error(&res, x->hook_rc, NULL);
	} else if (x->too_large) {
		http_response_error(&res, ERR_PAYLOAD_TOO_LARGE,
		                    "request body larger than %zu bytes", x->max_body);
	} else if (x->match.status == HTTP_MATCH_NOT_FOUND) {
		http_response_error(&res, ERR_NOT_FOUND, "no resource at '%s'", path);
	} else if (x->match.status == HTTP_MATCH_METHOD) {
		http_response_error(&res, ERR_METHOD_NOT_ALLOWED, "method '%s' not allowed at '%s'",
		                    req->method, path);
		http_response_header(&res, "Allow", x->match.allow);
	} else {
		enum err_code rc = ERR_OK;
		if (s->hook && !x->hook_ran) {
			rc = s->hook(req, &res, s->hook_ctx);
			if (rc != ERR_OK && res.status == 0)
				http_response_error(&res, rc, NULL);
		}
		if (rc == ERR_OK)
			x->match.route->handler(req, &res, x->match.ctx);
		if (res.status == 0)
			log_error("http.handler", "handler of '%s %s' set no response", req->method,
			          x->match.route->pattern);
	}
	if (early || atomic_load(&s->draining))
		res.close = true;
	http_response_finish(&res);
	if (res.status >= 500) {
		size_t blen;
		const char *b = http_response_body(&res, &blen);
		log_warn("http.error", "%s %s -> %d %.*s", req->method ? req->method : "?", path,
		         res.status, (int)(blen < 300 ? blen : 300), b);
	}

	enum MHD_Result ret = MHD_NO;
	struct MHD_Response *r;
	if (res.has_file) {
		r = MHD_create_response_from_fd64(res.file_size, res.file_fd);
		if (r) /* libmicrohttpd closes it */
			res.has_file = false;
	} else if (res.len)
		r = MHD_create_response_from_buffer(res.len, res.body, MHD_RESPMEM_MUST_FREE);
	else
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (r) {
		if (res.len && res.body)
			res.body = NULL; /* libmicrohttpd frees it */
		if (res.content_type)
			MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, res.content_type);
		for (size_t i = 0; i < res.nheaders; i++)
			MHD_add_response_header(r, res.headers[i].name, res.headers[i].value);
		ret = MHD_queue_response(c, (unsigned)res.status, r);
		MHD_destroy_response(r);
	}
	uint64_t took = now_us() - x->start_us;
	if (ret == MHD_YES)
		http_metrics_observe(s->metrics, x->slot, res.status, res.error, took);
	if (res.status < 500)
		log_debug("http.request", "%s %s -> %d in %llu us from %s",
		          req->method ? req->method : "?", path, res.status,
		          (unsigned long long)took, req->client);
	if (ret != MHD_YES)
		log_info("http.queue", "could not queue the response to %s %s",
		         req->method ? req->method : "?", path);
	http_response_release(&res);
	return ret;
}

/* A streamed body failed: keep the first error, drop the rest of the body. */
static void stream_fail(struct conn_ctx *x, enum err_code rc, const struct err *e)
{
	if (x->req.stream_rc == ERR_OK) {
		x->req.stream_rc = rc;
		if (e)
			x->req.stream_err = *e;
		else
			err_set(&x->req.stream_err, rc, NULL);
	}
	x->discard = true;
}

/*
 * Headers of a streamed route are in: the hook runs now (the stream needs
 * to know who sends), then the stream's begin. A refusal of either drops
 * the body; the answer comes at the end (or at once, as for a 413).
 */
static void stream_begin(struct conn_ctx *x, struct MHD_Connection *c)
{
	struct http_server *s = x->srv;
	struct http_request *req = &x->req;
	const struct http_route *route = x->match.route;
	x->streaming = true;
	req->conn = c;
	http_response_init(&x->res, req->lang);
	x->res_ready = true;
	x->hook_ran = true;
	x->hook_rc = s->hook ? s->hook(req, &x->res, s->hook_ctx) : ERR_OK;
	if (x->hook_rc != ERR_OK) {
		x->discard = true;
		return;
	}
	if (route->stream->begin) {
		struct err e;
		err_clear(&e);
		size_t max = 0;
		enum err_code rc = route->stream->begin(req, x->match.ctx, &max, &e);
		if (rc != ERR_OK)
			stream_fail(x, rc, &e);
		else if (max)
			x->max_body = max;
	}
}

/* First call: headers are in. */
static enum MHD_Result begin(struct conn_ctx *x, struct MHD_Connection *c, const char *method)
{
	struct http_server *s = x->srv;
	struct http_request *req = &x->req;
	/* The headers are read even after an early error, so that its answer
	 * comes in the client's language; the first error is the one answered. */
	if (x->early == ERR_OK)
		x->early = http_request_set_method(req, method, &x->err);
	MHD_get_connection_values(c, MHD_HEADER_KIND, add_header_cb, x);
	struct err e;
	enum err_code rc = http_request_finish_headers(req, &e);
	if (rc != ERR_OK && x->early == ERR_OK) {
		x->early = rc;
		x->err = e;
	}
	if (x->early == ERR_OK)
		x->early = http_router_match(s->router, req, &x->match, &x->err);
	bool routed = x->early == ERR_OK && x->match.status == HTTP_MATCH_OK;
	if (routed) {
		x->slot = s->slots[x->match.index];
		if (x->match.route->max_body)
			x->max_body = x->match.route->max_body;
		req->body.max = x->max_body;
		if (x->match.route->stream)
			stream_begin(x, c);
	} else {
		x->discard = true;
	}
	uint64_t declared = 0;
	const char *cl =
	        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	int64_t v;
	if (cl && str_parse_int64(cl, 0, INT64_MAX, &v) == 0)
		declared = (uint64_t)v;
	if (routed && declared > x->max_body) {
		if (x->streaming)
			stream_fail(x,
			            err_set(&x->err, ERR_PAYLOAD_TOO_LARGE,
			                    "request body larger than %zu bytes", x->max_body),
			            &x->err);
		else
			x->too_large = true;
	}
	const char *expect =
	        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
	bool body_pending = declared > 0 ||
	                    MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                                MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL;
	bool known = !routed || x->too_large || (x->streaming && x->discard);
	if (known && body_pending &&
	    ((expect && strcasecmp(expect, "100-continue") == 0) || declared > HTTP_DRAIN_MAX))
		return respond(x, c, true);
	return MHD_YES;
}

/* Middle calls: a piece of the body. */
static enum MHD_Result take_body(struct conn_ctx *x, struct MHD_Connection *c, const char *data,
                                 size_t n)
{
	if (x->streaming && !x->discard) {
		struct http_request *req = &x->req;
		struct err e;
		err_clear(&e);
		enum err_code rc;
		if (n > x->max_body || req->streamed > x->max_body - n)
			rc = err_set(&e, ERR_PAYLOAD_TOO_LARGE,
			             "request body larger than %zu bytes", x->max_body);
		else
			rc = x->match.route->stream->data(req, x->match.ctx, data, n, &e);
		req->streamed += n;
		if (rc == ERR_OK)
			return MHD_YES;
		stream_fail(x, rc, &e);
	} else if (!x->discard && !x->too_large) {
		struct buf *b = &x->req.body;
		if (n > b->max || b->len > b->max - n) {
			x->too_large = true;
			x->drained = b->len;
			buf_release(b);
		} else if (buf_append(b, data, n) != 0) {
			x->early = err_set(&x->err, ERR_NO_MEMORY,
			                   "out of memory for the request body");
			x->discard = true;
			buf_release(b);
		} else {
			return MHD_YES;
		}
	}
	x->drained += n;
	if (x->drained > HTTP_DRAIN_MAX)
		return respond(x, c, true);
	return MHD_YES;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *c, const char *url,
                                 const char *method, const char *version, const char *upload_data,
                                 size_t *upload_data_size, void **con_cls)
{
	(void)cls;
	(void)url;
	(void)version;
	struct conn_ctx *x = *con_cls;
	if (!x)
		return MHD_NO; /* out of memory when the request line came */
	if (x->responded) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (!x->started) {
		x->started = true;
		return begin(x, c, method);
	}
	x->req.conn = c;
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		return take_body(x, c, upload_data, n);
	}
	if (x->streaming && !x->discard && x->match.route->stream->end) {
		struct err e;
		err_clear(&e);
		enum err_code rc = x->match.route->stream->end(&x->req, x->match.ctx, &e);
		if (rc != ERR_OK)
			stream_fail(x, rc, &e);
	}
	return respond(x, c, false);
}

enum err_code http_server_start(struct http_server *s, struct err *e)
{
	if (s->daemon)
		return err_set(e, ERR_INVALID_ARGUMENT, "the server is already started");
	for (size_t i = 0; i < s->nchecks; i++) {
		enum err_code rc = s->checks[i].fn(s->checks[i].ctx, e);
		if (rc != ERR_OK) {
			log_error("http.check", "start check '%s' failed: %s", s->checks[i].name,
			          e ? e->detail : err_code_str(rc));
			return rc;
		}
	}
	unsigned flags =
	        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (s->ipv6)
		flags |= MHD_USE_IPv6;
	s->starting = true;
	s->start_error[0] = '\0';
	atomic_store(&s->draining, false);
	/* A pool of one is no pool: libmicrohttpd then runs one internal thread. */
	struct MHD_OptionItem pool[] = {
	        {s->opts.threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END,
	         (intptr_t)s->opts.threads, NULL},
	        {MHD_OPTION_END, 0, NULL},
	};
	s->daemon = MHD_start_daemon(flags, s->port, NULL, NULL, on_access, s,
	                             MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s, MHD_OPTION_SOCK_ADDR,
	                             (struct sockaddr *)&s->addr, MHD_OPTION_URI_LOG_CALLBACK,
	                             on_uri, s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	                             MHD_OPTION_CONNECTION_TIMEOUT, s->opts.connection_timeout,
	                             MHD_OPTION_CONNECTION_LIMIT, s->opts.max_connections,
	                             MHD_OPTION_ARRAY, pool, MHD_OPTION_END);
	s->starting = false;
	if (!s->daemon)
		return err_set(e, ERR_IO, "cannot listen on '%s': %s", s->listen,
		               s->start_error[0] ? s->start_error
		                                 : "libmicrohttpd refused to start");
	const union MHD_DaemonInfo *info =
	        MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	if (info && info->port)
		s->port = info->port;
	char host[INET6_ADDRSTRLEN];
	if (s->ipv6) {
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&s->addr)->sin6_addr, host,
		          sizeof host);
		snprintf(s->url, sizeof s->url, "http://[%s]:%u", host, (unsigned)s->port);
	} else {
		inet_ntop(AF_INET, &((struct sockaddr_in *)&s->addr)->sin_addr, host, sizeof host);
		snprintf(s->url, sizeof s->url, "http://%s:%u", host, (unsigned)s->port);
	}
	atomic_store(&s->accepting, true);
	log_info("http.start", "listening on %s with %u threads", s->url, s->opts.threads);
	return ERR_OK;
}

unsigned http_server_stop(struct http_server *s, unsigned grace_ms)
{
	if (!s->daemon)
		return 0;
	atomic_store(&s->draining, true);
	MHD_socket fd = MHD_quiesce_daemon(s->daemon);
	/* Refuse new connects at once instead of leaving them in the backlog. */
	if (fd != MHD_INVALID_SOCKET)
		shutdown(fd, SHUT_RDWR);
	atomic_store(&s->accepting, false);
	unsigned n = atomic_load(&s->in_flight);
	log_info("http.stop", "stopped accepting connections; %u requests in flight", n);
	uint64_t deadline = now_us() + (uint64_t)grace_ms * 1000u;
	while (atomic_load(&s->in_flight) > 0 && now_us() < deadline) {
		struct timespec ts = {0, 2 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	unsigned left = atomic_load(&s->in_flight);
	if (left)
		log_warn("http.stop", "%u requests still in flight after %u ms; closing them", left,
		         grace_ms);
	MHD_stop_daemon(s->daemon);
	s->daemon = NULL;
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	log_info("http.stop", "server stopped");
	return left;
}

void http_server_free(struct http_server *s)
{
	if (!s)
		return;
	http_server_stop(s, 0);
	http_router_free(s->router);
	http_metrics_free(s->metrics);
	free(s);
}
