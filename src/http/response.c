/*
 * response: building responses (see response.h).
 *
 * Failures inside these functions (out of memory, a value that cannot be
 * serialised) never leave a half-built response: it becomes a 500 error with
 * a small static body, so the client always gets a well-formed answer.
 */
#include "http/response.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/str.h"

static const char JSON_TYPE[] = "application/json; charset=utf-8";

void http_response_init(struct http_response *res, enum err_lang lang)
{
	memset(res, 0, sizeof *res);
	res->lang = lang;
	res->error = ERR_OK;
}

static void drop_body(struct http_response *res)
{
	if (res->has_file) {
		close(res->file_fd);
		res->has_file = false;
		res->file_fd = -1;
		res->file_size = 0;
	}
	free(res->body);
	free(res->content_type);
	res->body = NULL;
	res->content_type = NULL;
	res->len = 0;
}

void http_response_release(struct http_response *res)
{
	drop_body(res);
	for (size_t i = 0; i < res->nheaders; i++) {
		free(res->headers[i].name);
		free(res->headers[i].value);
	}
	enum err_lang lang = res->lang;
	http_response_init(res, lang);
}

/* The last resort: a fixed 500 body that needs no allocation but its copy. */
static void fallback_internal(struct http_response *res)
{
	drop_body(res);
	res->status = 500;
	res->error = ERR_INTERNAL;
	static const char body[] =
	        "{\"code\":\"internal\",\"hint\":\"Internal error.\",\"detail\":null}";
	res->body = strdup(body);
	res->content_type = strdup(JSON_TYPE);
	res->len = res->body ? strlen(body) : 0;
}

static bool has_ctl(const char *s, bool allow_tab)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c < 0x20 && !(allow_tab && c == '\t')) || c == 0x7f)
			return true;
	}
	return false;
}

/* Sets status, content type and body (taking data). Returns ERR_OK or an error (data freed). */
static enum err_code set_body(struct http_response *res, int status, const char *content_type,
                              char *data, size_t len)
{
	if (status < 100 || status > 599 || !content_type || has_ctl(content_type, false) ||
	    len > HTTP_MAX_RESPONSE_BODY) {
		free(data);
		fallback_internal(res);
		return ERR_INVALID_ARGUMENT;
	}
	char *ct = strdup(content_type);
	if (!ct) {
		free(data);
		fallback_internal(res);
		return ERR_NO_MEMORY;
	}
	drop_body(res);
	res->status = status;
	res->content_type = ct;
	res->body = data;
	res->len = len;
	res->error = ERR_OK;
	return ERR_OK;
}

static int dump_cb(const char *chunk, size_t size, void *data)
{
	return buf_append(data, chunk, size);
}

enum err_code http_response_json(struct http_response *res, int status, json_t *value)
{
	if (!value) {
		fallback_internal(res);
		return ERR_INTERNAL;
	}
	struct buf b = BUF_INIT(HTTP_MAX_RESPONSE_BODY);
	int rc = json_dump_callback(value, dump_cb, &b,
	                            JSON_PRESERVE_ORDER | JSON_COMPACT | JSON_ENCODE_ANY |
	                                    JSON_REAL_PRECISION(15));
	json_decref(value);
	if (rc != 0) {
		buf_release(&b);
		fallback_internal(res);
		return ERR_INTERNAL;
	}
	size_t len = b.len;
	char *data = buf_detach(&b);
	if (!data) { /* an empty dump cannot happen for a JSON value */
		fallback_internal(res);
		return ERR_INTERNAL;
	}
	enum err_code ec = set_body(res, status, JSON_TYPE, data, len);
	return ec == ERR_OK ? ERR_OK : ERR_INTERNAL;
}

json_t *http_json_text(const char *s)
{
	size_t n = strlen(s);
	if (str_valid_utf8(s, n))
		return json_string(s);
	char *copy = strdup(s);
	if (!copy)
		return NULL;
	/* Replace byte by byte until the prefix checked so far is valid. */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)copy[i];
		if (c < 0x80)
			continue;
		size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		char tmp[5] = {0};
		bool ok = len > 1 && i + len <= n;
		if (ok) {
			memcpy(tmp, copy + i, len);
			ok = str_valid_utf8(tmp, len);
		}
		if (ok)
			i += len - 1;
		else
			copy[i] = '?';
	}
	json_t *j = json_string(copy);
	free(copy);
	return j;
}

enum err_code http_response_error_json(struct http_response *res, enum err_code code,
                                       json_t *detail)
{
	if (code <= ERR_OK || code >= ERR__COUNT)
		code = ERR_INTERNAL;
	json_t *o = json_object();
	if (!o || json_object_set_new(o, "code", json_string(err_code_str(code))) ||
	    json_object_set_new(o, "hint", json_string(err_hint(code, res->lang))) ||
	    json_object_set_new(o, "detail", detail ? detail : json_null())) {
		json_decref(o);
		fallback_internal(res);
		return ERR_INTERNAL;
	}
	if (http_response_json(res, err_http_status(code), o) != ERR_OK)
		return ERR_INTERNAL;
	res->error = code;
	return code;
}

enum err_code http_response_error(struct http_response *res, enum err_code code, const char *fmt,
                                  ...)
{
	json_t *detail = NULL;
	if (fmt) {
		char text[ERR_DETAIL_MAX];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(text, sizeof text, fmt, ap);
		va_end(ap);
		detail = http_json_text(text);
		if (!detail) {
			fallback_internal(res);
			return ERR_INTERNAL;
		}
	}
	return http_response_error_json(res, code, detail);
}

enum err_code http_response_err(struct http_response *res, const struct err *e)
{
	if (!e)
		return http_response_error(res, ERR_INTERNAL, NULL);
	if (!e->detail[0])
		return http_response_error(res, e->code, NULL);
	return http_response_error(res, e->code, "%s", e->detail);
}

enum err_code http_response_bytes(struct http_response *res, int status, const char *content_type,
                                  const void *data, size_t len)
{
	char *copy = len < SIZE_MAX ? malloc(len + 1) : NULL;
	if (!copy) {
		fallback_internal(res);
		return ERR_NO_MEMORY;
	}
	if (len)
		memcpy(copy, data, len);
	copy[len] = '\0';
	return set_body(res, status, content_type, copy, len);
}

enum err_code http_response_text(struct http_response *res, int status, const char *content_type,
                                 const char *text)
{
	return http_response_bytes(res, status, content_type, text, strlen(text));
}

enum err_code http_response_take(struct http_response *res, int status, const char *content_type,
                                 char *data, size_t len)
{
	return set_body(res, status, content_type, data, len);
}

enum err_code http_response_file(struct http_response *res, int status, const char *content_type,
                                 int fd, uint64_t size)
{
	enum err_code rc = set_body(res, status, content_type, NULL, 0);
	if (rc != ERR_OK) {
		close(fd);
		return rc;
	}
	res->has_file = true;
	res->file_fd = fd;
	res->file_size = size;
	return ERR_OK;
}

static bool is_token(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++) {
		char c = *s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("!#$%&'*+-.^_`|~", c)))
			return false;
	}
	return true;
}

static enum err_code check_header(const char *name, const char *value)
{
	if (!is_token(name) || !value || has_ctl(value, true))
		return ERR_INVALID_ARGUMENT;
	if (strcasecmp(name, "Content-Type") == 0 || strcasecmp(name, "Content-Length") == 0)
		return ERR_INVALID_ARGUMENT;
	if (strlen(value) > HTTP_MAX_HEADER_VALUE)
		return ERR_TOO_LONG;
	return ERR_OK;
}

/* Adds a checked header while fewer than limit are set. */
static enum err_code add_header(struct http_response *res, const char *name, const char *value,
                                size_t limit)
{
	if (res->nheaders >= limit)
		return ERR_TOO_LONG;
	char *n = strdup(name), *v = strdup(value);
	if (!n || !v) {
		free(n);
		free(v);
		return ERR_NO_MEMORY;
	}
	res->headers[res->nheaders].name = n;
	res->headers[res->nheaders].value = v;
	res->nheaders++;
	return ERR_OK;
}

enum err_code http_response_header(struct http_response *res, const char *name, const char *value)
{
	enum err_code rc = check_header(name, value);
	return rc != ERR_OK ? rc : add_header(res, name, value, HTTP_MAX_RESPONSE_HEADERS);
}

enum err_code http_response_set_header(struct http_response *res, const char *name,
                                       const char *value)
{
	enum err_code rc = check_header(name, value);
	if (rc != ERR_OK)
		return rc;
	size_t o = 0;
	for (size_t i = 0; i < res->nheaders; i++) {
		if (strcasecmp(res->headers[i].name, name) == 0) {
			free(res->headers[i].name);
			free(res->headers[i].value);
			continue;
		}
		res->headers[o++] = res->headers[i];
	}
	res->nheaders = o;
	return http_response_header(res, name, value);
}

const char *http_response_get_header(const struct http_response *res, const char *name)
{
	for (size_t i = 0; i < res->nheaders; i++)
		if (strcasecmp(res->headers[i].name, name) == 0)
			return res->headers[i].value;
	return NULL;
}

enum err_code http_response_redirect(struct http_response *res, int status, const char *location)
{
	if (!(status == 301 || status == 302 || status == 303 || status == 307 || status == 308) ||
	    !location || !*location || has_ctl(location, false))
		return ERR_INVALID_ARGUMENT;
	enum err_code rc = http_response_set_header(res, "Location", location);
	if (rc != ERR_OK)
		return rc;
	drop_body(res);
	res->status = status;
	res->error = ERR_OK;
	return ERR_OK;
}

/* RFC 6265 section 4.1.1 cookie-octet. */
static bool cookie_value_ok(const char *v)
{
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;
		if (c < 0x21 || c > 0x7e || c == '"' || c == ',' || c == ';' || c == '\\')
			return false;
	}
	return true;
}

enum err_code http_response_cookie(struct http_response *res, const char *name, const char *value,
                                   const struct http_cookie *opt)
{
	static const struct http_cookie defaults = {NULL, -1, true, false, HTTP_SAME_SITE_LAX};
	static const char *same_site[] = {"Lax", "Strict", "None"};
	if (!opt)
		opt = &defaults;
	const char *path = opt->path ? opt->path : "/";
	if (!is_token(name) || !value || !cookie_value_ok(value) || path[0] != '/' ||
	    strchr(path, ';') || has_ctl(path, false) || opt->same_site < HTTP_SAME_SITE_LAX ||
	    opt->same_site > HTTP_SAME_SITE_NONE)
		return ERR_INVALID_ARGUMENT;
	struct buf b = BUF_INIT(HTTP_MAX_HEADER_VALUE);
	int bad = buf_printf(&b, "%s=%s; Path=%s", name, value, path);
	if (opt->max_age >= 0)
		bad |= buf_printf(&b, "; Max-Age=%lld", (long long)opt->max_age);
	if (opt->http_only)
		bad |= buf_puts(&b, "; HttpOnly");
	if (opt->secure)
		bad |= buf_puts(&b, "; Secure");
	bad |= buf_printf(&b, "; SameSite=%s", same_site[opt->same_site]);
	enum err_code rc =
	        bad ? ERR_TOO_LONG : http_response_header(res, "Set-Cookie", buf_str(&b));
	buf_release(&b);
	return rc;
}

void http_response_finish(struct http_response *res)
{
	static const char *const security[][2] = {
	        {"X-Content-Type-Options", "nosniff"},
	        {"X-Frame-Options", "DENY"},
	        {"Referrer-Policy", "same-origin"},
	        {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
	        {"Cache-Control", "no-store"},
	        {"Cross-Origin-Opener-Policy", "same-origin"},
	};
	if (res->status == 0)
		http_response_error(res, ERR_INTERNAL, "the handler produced no response");
	const size_t limit = sizeof res->headers / sizeof res->headers[0];
	for (size_t i = 0; i < sizeof security / sizeof security[0]; i++)
		if (!http_response_get_header(res, security[i][0]))
			(void)add_header(res, security[i][0], security[i][1], limit);
	if (res->close) {
		const char *c = http_response_get_header(res, "Connection");
		if (!c || strcasecmp(c, "close") != 0)
			(void)add_header(res, "Connection", "close", limit);
	}
}

const char *http_response_body(const struct http_response *res, size_t *len)
{
	if (len)
		*len = res->len;
	return res->body && res->len ? res->body : "";
}
