/*
 * request: one HTTP request as handlers see it.
 *
 * The server fills a struct http_request from what libmicrohttpd received: the
 * method, the raw request target (parsed here into percent-decoded path
 * segments and query parameters), the headers, the cookies, the client
 * address and the body in a bounded buffer. Everything a request owns lives
 * in its arena or is registered as a cleanup, and is freed in one place,
 * http_request_release(), when the request completes. Handlers may allocate
 * from the same arena (http_request_alloc) and never free.
 *
 * The parsing pieces (target, headers, cookies, language) are pure: they
 * need no connection, so unit tests and the fuzz target drive them directly.
 * Every limit is a named constant below; input beyond one is refused with a
 * 4xx error, never truncated silently.
 */
#ifndef MOTCUA_HTTP_REQUEST_H
#define MOTCUA_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"

#define HTTP_MAX_TARGET       8192       /* bytes of the raw request target (path and query) */
#define HTTP_MAX_METHOD       32         /* bytes of the method */
#define HTTP_MAX_SEGMENTS     32         /* path segments */
#define HTTP_MAX_SEGMENT_LEN  1024       /* bytes of one decoded path segment */
#define HTTP_MAX_QUERY_PARAMS 32         /* query parameters */
#define HTTP_MAX_QUERY_LEN    2048       /* bytes of one decoded query name or value */
#define HTTP_MAX_HEADERS      64         /* request headers */
#define HTTP_MAX_COOKIES      32         /* cookies kept (further ones are ignored) */
#define HTTP_MAX_CAPTURES     8          /* {name} captures of one route */
#define HTTP_ARENA_MAX        (8u << 20) /* bytes a request may allocate from its arena */

/* A name and a value (query parameter, header, cookie, route capture). */
struct http_param {
	const char *name;
	const char *value;
};

struct http_params {
	struct http_param *items; /* in the request's arena */
	size_t n;
};

/* The path split at '/', each segment percent-decoded. "/" has no segment. */
struct http_path {
	char **seg;
	size_t n;
	bool trailing_slash; /* "/a/b/" (the router treats it as "/a/b") */
};

struct http_route;
struct http_arena_block;
struct http_cleanup;

struct http_request {
	const char *method;    /* "GET", "POST", ... as received */
	const char *target;    /* the raw request target, e.g. "/api/v1/x?q=%C4%91" */
	const char *raw_path;  /* the raw path, without the query */
	const char *raw_query; /* the raw query after '?', or NULL */
	struct http_path path;
	struct http_params query;   /* in order of appearance; names may repeat */
	struct http_params headers; /* names as received; look up with http_request_header */
	struct http_params cookies;
	struct http_params captures;    /* {name} segments of the matched route */
	char client[64];                /* client address: "203.0.113.5" or "2001:db8::1" */
	struct buf body;                /* the body, at most the route's (or server's) cap */
	enum err_lang lang;             /* vi unless the lang cookie or Accept-Language says en */
	const struct http_route *route; /* the matched route, or NULL */
	void *user; /* free for upper layers: the session or user of the request */
	/* routes with a streamed body (router.h): the first error of the stream, ERR_OK if none */
	enum err_code stream_rc;
	struct err stream_err;
	void *stream_state; /* free for the stream's callbacks */
	uint64_t streamed;  /* bytes of the body handed to the stream so far */
	void *conn;         /* libmicrohttpd's connection while a callback runs (multipart.c) */

	/* private */
	struct http_arena_block *arena;
	size_t arena_total;
	struct http_cleanup *cleanups;
};

/* Prepares an empty request whose body may hold at most max_body bytes. */
void http_request_init(struct http_request *req, size_t max_body);

/*
 * Runs the registered cleanups (last registered first), then frees the arena
 * and the body. The request is empty afterwards.
 */
void http_request_release(struct http_request *req);

/*
 * n bytes of zeroed memory from the request's arena, aligned for any type,
 * valid until http_request_release(). Returns NULL when the arena would
 * exceed HTTP_ARENA_MAX or memory is exhausted.
 */
void *http_request_alloc(struct http_request *req, size_t n);

/* Copies of s (or of its first n bytes) in the arena; NULL when out of memory. */
char *http_request_strdup(struct http_request *req, const char *s);
char *http_request_strndup(struct http_request *req, const char *s, size_t n);

/*
 * Registers fn(arg) to run when the request is released (e.g. to return a
 * database connection). Returns 0, or -1 when out of memory (fn is not run).
 */
int http_request_on_cleanup(struct http_request *req, void (*fn)(void *), void *arg);

/*
 * Sets the method (copied). Returns ERR_OK, ERR_INVALID_ARGUMENT when it is
 * not a token (RFC 9110 section 9.1) of at most HTTP_MAX_METHOD bytes, or
 * ERR_NO_MEMORY.
 */
enum err_code http_request_set_method(struct http_request *req, const char *method, struct err *e);

/*
 * Parses the raw request target: origin form "/path?query" (absolute form
 * "http://host/path?query" is accepted and its authority ignored). Path
 * segments and query parameters are percent-decoded ('+' is a space in the
 * query only). Refused with ERR_INVALID_ARGUMENT: a target not starting with
 * '/', a '#', bad percent-encoding, an empty segment ("//"), a "." or ".."
 * segment (also when encoded), a decoded segment holding '/', a NUL or
 * another control character, invalid UTF-8 anywhere, a raw space or control
 * character in the target. Refused with
 * ERR_TOO_LONG: more than the HTTP_MAX_* limits.
 */
enum err_code http_request_set_target(struct http_request *req, const char *target, struct err *e);

/*
 * Adds a request header (copied). Returns ERR_OK, ERR_TOO_LONG beyond
 * HTTP_MAX_HEADERS, or ERR_NO_MEMORY.
 */
enum err_code http_request_add_header(struct http_request *req, const char *name, const char *value,
                                      struct err *e);

/*
 * Called once all headers were added: parses the Cookie headers (malformed
 * pairs are skipped; at most HTTP_MAX_COOKIES are kept) and picks the
 * language from the `lang` cookie, then Accept-Language. Returns ERR_OK or
 * ERR_NO_MEMORY.
 */
enum err_code http_request_finish_headers(struct http_request *req, struct err *e);

/* The first header of that name (case-insensitive), or NULL. */
const char *http_request_header(const struct http_request *req, const char *name);

/* The first query parameter of that name, or NULL. */
const char *http_request_query(const struct http_request *req, const char *name);

/* The cookie of that name, or NULL. */
const char *http_request_cookie(const struct http_request *req, const char *name);

/* The route capture of that name ("id" for /dossiers/{id}), or NULL. */
const char *http_request_param(const struct http_request *req, const char *name);

/*
 * The integer query parameter name in [min, max] into *out, or def when the
 * parameter is absent. An empty or malformed value is ERR_INVALID_ARGUMENT,
 * one out of bounds ERR_OUT_OF_RANGE (the detail names the parameter).
 */
enum err_code http_request_query_int(const struct http_request *req, const char *name, int64_t min,
                                     int64_t max, int64_t def, int64_t *out, struct err *e);

/*
 * True when the Content-Type's media type is mime (case-insensitive,
 * parameters such as "; charset=utf-8" ignored).
 */
bool http_request_content_type_is(const struct http_request *req, const char *mime);

/* True when the method is m (exact, methods are case-sensitive). */
bool http_request_method_is(const struct http_request *req, const char *m);

/*
 * Percent-decodes src[0..n) into dst (room for n + 1 bytes), NUL-terminating
 * it; '+' becomes a space when plus_space is true. Returns the decoded
 * length, or -1 on a '%' not followed by two hexadecimal digits. The result
 * may hold NUL bytes (callers check).
 */
long http_percent_decode(const char *src, size_t n, bool plus_space, char *dst);

/*
 * The language of the answer: the lang cookie when it is "vi" or "en", else
 * the best of vi and en in Accept-Language (highest q, the first one listed
 * on a tie, q=0 excluded), else vi. Either argument may be NULL.
 */
enum err_lang http_lang_pick(const char *accept_language, const char *lang_cookie);

#endif
