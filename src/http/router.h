/*
 * router: static route tables {method, pattern, handler} and the matching of
 * a request's method and path segments against them.
 *
 * A pattern is a path of segments: literal ones ("dossiers"), captures
 * ("{id}", any one segment) and, as the last segment only, a rest capture
 * ("{path*}", one or more segments joined by '/'). Examples:
 *   /api/v1/dossiers/{id}/{action}      /static/{file*}
 * When several patterns match, the most specific wins, segment by segment
 * from the left: a literal beats a capture, a capture beats a rest capture.
 * A trailing slash in the request path is ignored. HEAD is served by the GET
 * route of the path when there is no HEAD route. When a path matches but no
 * route has the method, the result is "method not allowed" with the list of
 * methods that would be (the Allow header).
 *
 * Upper layers (api/, web/) append their tables before the server starts;
 * the tables must stay valid while the router lives (static arrays). Matching
 * only reads the router, so any number of threads may match at once.
 */
#ifndef MOTCUA_HTTP_ROUTER_H
#define MOTCUA_HTTP_ROUTER_H

#include <stddef.h>

#include "base/error.h"
#include "http/request.h"

#define HTTP_ROUTER_MAX 512 /* routes in one router */

struct http_response;

/*
 * A handler reads req (captures: http_request_param) and fills res with one
 * of the http_response_* functions. ctx is the pointer given with its table.
 */
typedef void http_handler_fn(struct http_request *req, struct http_response *res, void *ctx);

/*
 * A streamed body (uploads): instead of being kept in req->body, the body is
 * handed to the route's callbacks piece by piece as it arrives, so that
 * memory stays bounded whatever its size. The order of calls for a request:
 *   begin  once the headers are in and the server's hook let the request
 *          through (the session is known), before any byte of the body; it
 *          may change *max_body, the cap on the whole body (0 keeps it);
 *   data   for each piece of the body, in order;
 *   end    once after the last piece;
 *   then the route's handler, which answers. The first error returned by a
 *   callback (or ERR_PAYLOAD_TOO_LARGE when the body runs past its cap) is
 *   kept in req->stream_rc / req->stream_err, no further callback runs, the
 *   rest of the body is read and dropped (see server.h for very large or
 *   announced bodies), and the handler still runs to answer it. Anything the
 *   callbacks hold is released through http_request_on_cleanup(). ctx is
 *   the context of the route's table. begin and end may be NULL.
 */
struct http_stream {
	enum err_code (*begin)(struct http_request *req, void *ctx, size_t *max_body,
	                       struct err *e);
	enum err_code (*data)(struct http_request *req, void *ctx, const char *data, size_t n,
	                      struct err *e);
	enum err_code (*end)(struct http_request *req, void *ctx, struct err *e);
};

struct http_route {
	const char *method;  /* "GET", "POST", ... (upper case) */
	const char *pattern; /* "/api/v1/dossiers/{id}" */
	http_handler_fn *handler;
	size_t max_body; /* cap on the body in bytes; 0: the server's max_body_bytes */
	const struct http_stream *stream; /* NULL: the body is kept in req->body; else streamed */
};

struct http_router;

/* A new empty router, or NULL when out of memory. */
struct http_router *http_router_new(void);

/* Frees the router (not the route tables it points to). NULL is allowed. */
void http_router_free(struct http_router *r);

/*
 * Appends n routes sharing the handler context ctx. Each pattern is checked
 * (leading '/', no empty segment, literal segments of URL-safe characters,
 * capture names of [a-z0-9_], at most HTTP_MAX_CAPTURES, no repeated name, a
 * rest capture only last) and a route of the same method and shape as an
 * earlier one is refused. On error nothing is added: ERR_INVALID_ARGUMENT or
 * ERR_TOO_LONG (more than HTTP_ROUTER_MAX routes), ERR_NO_MEMORY.
 */
enum err_code http_router_add(struct http_router *r, const struct http_route *routes, size_t n,
                              void *ctx, struct err *e);

/* Number of routes; routes are numbered 0..count-1 in the order they were added. */
size_t http_router_count(const struct http_router *r);

/* Route number i. */
const struct http_route *http_router_route(const struct http_router *r, size_t i);

enum http_match_status { HTTP_MATCH_OK, HTTP_MATCH_NOT_FOUND, HTTP_MATCH_METHOD };

struct http_match {
	enum http_match_status status;
	const struct http_route *route; /* HTTP_MATCH_OK: the route */
	void *ctx;                      /* its table's context */
	size_t index;                   /* its number */
	char allow[128];                /* HTTP_MATCH_METHOD: e.g. "GET, HEAD, POST" */
};

/*
 * Matches req->method and req->path; the outcome is in m->status. On
 * HTTP_MATCH_OK also sets req->route and req->captures (values in the
 * request's arena). Returns ERR_OK, or ERR_NO_MEMORY when the captures could
 * not be copied.
 */
enum err_code http_router_match(const struct http_router *r, struct http_request *req,
                                struct http_match *m, struct err *e);

#endif
