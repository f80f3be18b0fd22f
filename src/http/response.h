/*
 * response: what a handler answers, before the server hands it to
 * libmicrohttpd: a status, a body with its content type, extra headers and
 * cookies.
 *
 * JSON bodies are written with keys in insertion order. Error bodies come
 * from the error registry (base/errors.def):
 *   {"code":"not_found","hint":"<in the request's language>","detail":...}
 * with the code's HTTP status; detail is a sentence, a JSON value, or null.
 * Before sending, http_response_finish() adds the security headers every
 * response carries (unless the handler set its own value for one of them).
 *
 * A response owns its memory (malloc); http_response_release() frees it.
 * Setting a body again replaces the previous one, so a handler may start a
 * response and turn it into an error later.
 */
#ifndef MOTCUA_HTTP_RESPONSE_H
#define MOTCUA_HTTP_RESPONSE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define HTTP_MAX_RESPONSE_HEADERS 32
#define HTTP_MAX_RESPONSE_BODY    (64u << 20) /* bytes of one response body */
#define HTTP_MAX_HEADER_VALUE     4096        /* bytes of one response header value */

struct http_header {
	char *name;
	char *value;
};

struct http_response {
	int status;         /* 0 until a body or status is set */
	char *content_type; /* NULL: no Content-Type */
	char *body;         /* malloc'd, may be NULL when len is 0 */
	size_t len;
	struct http_header headers[HTTP_MAX_RESPONSE_HEADERS + 8]; /* 8 kept for finish() */
	size_t nheaders;
	enum err_lang lang;  /* language of error hints */
	enum err_code error; /* the code of an error response, ERR_OK otherwise */
	bool close;          /* close the connection after it (finish() adds Connection: close) */
	bool has_file; /* the body is file_size bytes read from file_fd (http_response_file) */
	int file_fd;
	uint64_t file_size;
};

/* Prepares an empty response whose error hints will be in lang. */
void http_response_init(struct http_response *res, enum err_lang lang);

/* Frees body and headers; the response is empty (status 0) afterwards. */
void http_response_release(struct http_response *res);

/*
 * A JSON body ("application/json; charset=utf-8") with status. Takes the
 * reference to value (also on failure). Returns ERR_OK; when value is NULL,
 * cannot be serialised or is larger than HTTP_MAX_RESPONSE_BODY, the
 * response becomes a 500 internal error and that code is returned.
 */
enum err_code http_response_json(struct http_response *res, int status, json_t *value);

/*
 * An error body for code with its registry status and hint. fmt (printf,
 * may be NULL for a null detail) gives the detail sentence; bytes that are
 * not valid UTF-8 are replaced by '?'. ERR_OK is turned into ERR_INTERNAL.
 * Returns the code used.
 */
enum err_code http_response_error(struct http_response *res, enum err_code code, const char *fmt,
                                  ...) __attribute__((format(printf, 3, 4)));

/* Same with a JSON detail (e.g. {"field":"name"}); takes the reference to detail (NULL: null). */
enum err_code http_response_error_json(struct http_response *res, enum err_code code,
                                       json_t *detail);

/* Same from a struct err filled by a library call (empty detail: null). */
enum err_code http_response_err(struct http_response *res, const struct err *e);

/*
 * A body of len bytes copied from data, with the given status and content
 * type (e.g. "text/plain; charset=utf-8"). Returns ERR_OK, ERR_INVALID_ARGUMENT
 * (status outside 100..599, content type with CR/LF) or ERR_NO_MEMORY; on
 * failure the response is a 500 error.
 */
enum err_code http_response_bytes(struct http_response *res, int status, const char *content_type,
                                  const void *data, size_t len);

/* Same for a NUL-terminated text. */
enum err_code http_response_text(struct http_response *res, int status, const char *content_type,
                                 const char *text);

/* Same, taking ownership of data (allocated with malloc; freed also on failure). */
enum err_code http_response_take(struct http_response *res, int status, const char *content_type,
                                 char *data, size_t len);

/*
 * A body of size bytes read from the open file fd from its current offset
 * (sent without copying it into memory), with status and content type; the
 * response owns fd from now on (closed when sent, replaced or released,
 * also on failure). Returns ERR_OK, or as http_response_bytes.
 */
enum err_code http_response_file(struct http_response *res, int status, const char *content_type,
                                 int fd, uint64_t size);

/*
 * A redirect (301, 302, 303, 307 or 308) to location (a path or an absolute
 * URL without CR, LF or other control characters), with an empty body.
 */
enum err_code http_response_redirect(struct http_response *res, int status, const char *location);

/*
 * Adds a header (copied). name must be a token and value free of control
 * characters other than tab, at most HTTP_MAX_HEADER_VALUE bytes; several
 * headers of a name are allowed (Set-Cookie). Content-Type and
 * Content-Length cannot be set this way. Returns ERR_OK, ERR_INVALID_ARGUMENT,
 * ERR_TOO_LONG (more than HTTP_MAX_RESPONSE_HEADERS) or ERR_NO_MEMORY.
 */
enum err_code http_response_header(struct http_response *res, const char *name, const char *value);

/* Replaces every header of that name by one with value (same checks). */
enum err_code http_response_set_header(struct http_response *res, const char *name,
                                       const char *value);

/* The first header of that name (case-insensitive), or NULL. */
const char *http_response_get_header(const struct http_response *res, const char *name);

enum http_same_site { HTTP_SAME_SITE_LAX = 0, HTTP_SAME_SITE_STRICT, HTTP_SAME_SITE_NONE };

struct http_cookie {
	const char *path; /* NULL: "/" */
	int64_t max_age;  /* seconds; < 0: a session cookie; 0: delete it */
	bool http_only;
	bool secure; /* required by browsers with SameSite=None */
	enum http_same_site same_site;
};

/*
 * Adds a Set-Cookie header: name=value; Path; Max-Age; HttpOnly; Secure;
 * SameSite. name must be a token, value cookie-octets only (RFC 6265 section
 * 4.1.1: no space, '"', ',', ';', '\', control characters); opt NULL means
 * Path=/, session cookie, HttpOnly, SameSite=Lax, not Secure.
 */
enum err_code http_response_cookie(struct http_response *res, const char *name, const char *value,
                                   const struct http_cookie *opt);

/*
 * Completes the response before it is sent: a response that was never set
 * becomes a 500 error; the security headers are added unless present:
 *   X-Content-Type-Options: nosniff
 *   X-Frame-Options: DENY
 *   Referrer-Policy: same-origin
 *   Content-Security-Policy: default-src 'none'; frame-ancestors 'none'
 *   Cache-Control: no-store
 *   Cross-Origin-Opener-Policy: same-origin
 * and Connection: close when res->close is set.
 */
void http_response_finish(struct http_response *res);

/*
 * The body ("" when empty) and its length in *len when len is not NULL.
 * Bodies set by the json, error, text and bytes functions are NUL-terminated;
 * one given to http_response_take() need not be.
 */
const char *http_response_body(const struct http_response *res, size_t *len);

/* A JSON string of s with bytes that are not valid UTF-8 replaced by '?'; NULL when out of memory.
 */
json_t *http_json_text(const char *s);

#endif
