/*
 * request: parsing and per-request memory of an HTTP request (see request.h).
 *
 * The arena is a list of blocks; allocations are bumped from the newest block
 * and nothing is freed until http_request_release(), which runs the cleanups
 * and drops every block at once.
 */
#include "http/request.h"

#include <ctype.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"

#define ARENA_BLOCK 4096

struct http_arena_block {
	struct http_arena_block *next;
	size_t cap; /* bytes in data */
	size_t used;
	max_align_t data[];
};

struct http_cleanup {
	struct http_cleanup *next;
	void (*fn)(void *);
	void *arg;
};

void http_request_init(struct http_request *req, size_t max_body)
{
	memset(req, 0, sizeof *req);
	buf_init(&req->body, max_body);
	req->lang = ERR_LANG_VI;
}

void http_request_release(struct http_request *req)
{
	while (req->cleanups) {
		struct http_cleanup *c = req->cleanups;
		req->cleanups = c->next;
		c->fn(c->arg); /* c itself lives in the arena */
	}
	while (req->arena) {
		struct http_arena_block *b = req->arena;
		req->arena = b->next;
		free(b);
	}
	buf_release(&req->body);
	size_t max = req->body.max;
	http_request_init(req, max);
}

void *http_request_alloc(struct http_request *req, size_t n)
{
	const size_t align = alignof(max_align_t);
	if (n > HTTP_ARENA_MAX)
		return NULL;
	n = n ? (n + align - 1) / align * align : align;
	struct http_arena_block *b = req->arena;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		if (req->arena_total + cap > HTTP_ARENA_MAX)
			return NULL;
		b = malloc(sizeof *b + cap);
		if (!b)
			return NULL;
		b->cap = cap;
		b->used = 0;
		b->next = req->arena;
		req->arena = b;
		req->arena_total += cap;
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *http_request_strndup(struct http_request *req, const char *s, size_t n)
{
	char *p = http_request_alloc(req, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *http_request_strdup(struct http_request *req, const char *s)
{
	return http_request_strndup(req, s, strlen(s));
}

int http_request_on_cleanup(struct http_request *req, void (*fn)(void *), void *arg)
{
	struct http_cleanup *c = http_request_alloc(req, sizeof *c);
	if (!c)
		return -1;
	c->fn = fn;
	c->arg = arg;
	c->next = req->cleanups;
	req->cleanups = c;
	return 0;
}

enum err_code http_request_set_method(struct http_request *req, const char *method, struct err *e)
{
	size_t n = method ? strlen(method) : 0;
	if (n == 0 || n > HTTP_MAX_METHOD)
		return err_set(e, ERR_INVALID_ARGUMENT, "invalid method");
	for (size_t i = 0; i < n; i++) {
		char c = method[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("!#$%&'*+-.^_`|~", c)))
			return err_set(e, ERR_INVALID_ARGUMENT, "invalid method");
	}
	req->method = http_request_strdup(req, method);
	return req->method ? ERR_OK : err_set(e, ERR_NO_MEMORY, "out of memory");
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long http_percent_decode(const char *src, size_t n, bool plus_space, char *dst)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = src[i];
		if (c == '%') {
			int hi, lo;
			if (n - i < 3 || (hi = hexval(src[i + 1])) < 0 ||
			    (lo = hexval(src[i + 2])) < 0)
				return -1;
			dst[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus_space) {
			dst[o++] = ' ';
		} else {
			dst[o++] = c;
		}
	}
	dst[o] = '\0';
	return (long)o;
}

/* True when the n bytes hold no C0 control character nor DEL (NUL included). */
static bool no_controls(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return true;
}

/*
 * Decodes one raw piece into a copy in the arena (*out). kind names it in
 * messages ("path segment", "query parameter value").
 */
static enum err_code decode_piece(struct http_request *req, const char *raw, size_t n,
                                  bool plus_space, size_t max, const char *kind, char **out,
                                  struct err *e)
{
	char *d = http_request_alloc(req, n + 1);
	if (!d)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	long len = http_percent_decode(raw, n, plus_space, d);
	if (len < 0)
		return err_set(e, ERR_INVALID_ARGUMENT, "invalid percent-encoding in %s", kind);
	if ((size_t)len > max)
		return err_set(e, ERR_TOO_LONG, "%s longer than %zu bytes", kind, max);
	if (memchr(d, '\0', (size_t)len))
		return err_set(e, ERR_INVALID_ARGUMENT, "NUL byte in %s", kind);
	if (!str_valid_utf8(d, (size_t)len))
		return err_set(e, ERR_INVALID_ARGUMENT, "invalid UTF-8 in %s", kind);
	*out = d;
	return ERR_OK;
}

static enum err_code parse_path(struct http_request *req, const char *p, size_t n, struct err *e)
{
	if (n == 0 || p[0] != '/')
		return err_set(e, ERR_INVALID_ARGUMENT, "request target must start with '/'");
	/* Count the segments: one per '/' (the last may be empty: a trailing slash). */
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] == '/')
			count++;
	if (count > HTTP_MAX_SEGMENTS + 1)
		return err_set(e, ERR_TOO_LONG, "path has more than %d segments",
		               HTTP_MAX_SEGMENTS);
	req->path.seg = http_request_alloc(req, count * sizeof *req->path.seg);
	if (!req->path.seg)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	req->path.n = 0;
	req->path.trailing_slash = false;
	size_t i = 1;
	if (n == 1)
		return ERR_OK; /* "/" */
	while (i <= n) {
		const char *end = memchr(p + i, '/', n - i);
		size_t len = end ? (size_t)(end - (p + i)) : n - i;
		if (len == 0) {
			if (i == n) { /* "/a/b/" */
				req->path.trailing_slash = true;
				break;
			}
			return err_set(e, ERR_INVALID_ARGUMENT, "empty path segment");
		}
		if (req->path.n >= HTTP_MAX_SEGMENTS)
			return err_set(e, ERR_TOO_LONG, "path has more than %d segments",
			               HTTP_MAX_SEGMENTS);
		char *seg;
		enum err_code rc = decode_piece(req, p + i, len, false, HTTP_MAX_SEGMENT_LEN,
		                                "path segment", &seg, e);
		if (rc != ERR_OK)
			return rc;
		size_t dlen = strlen(seg);
		if (!no_controls(seg, dlen))
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "control character in path segment");
		if (memchr(seg, '/', dlen))
			return err_set(e, ERR_INVALID_ARGUMENT, "encoded '/' in path segment");
		if (strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0)
			return err_set(e, ERR_INVALID_ARGUMENT, "path segment '%s' not allowed",
			               seg);
		req->path.seg[req->path.n++] = seg;
		if (!end)
			break;
		i += len + 1;
	}
	return ERR_OK;
}

static enum err_code parse_query(struct http_request *req, const char *q, size_t n, struct err *e)
{
	size_t count = 1;
	for (size_t i = 0; i < n; i++)
		if (q[i] == '&')
			count++;
	if (count > HTTP_MAX_QUERY_PARAMS * 4)
		return err_set(e, ERR_TOO_LONG, "more than %d query parameters",
		               HTTP_MAX_QUERY_PARAMS);
	size_t cap = count < HTTP_MAX_QUERY_PARAMS ? count : HTTP_MAX_QUERY_PARAMS;
	req->query.items = http_request_alloc(req, cap * sizeof *req->query.items);
	if (!req->query.items)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	req->query.n = 0;
	size_t i = 0;
	while (i <= n) {
		const char *end = memchr(q + i, '&', n - i);
		size_t len = end ? (size_t)(end - (q + i)) : n - i;
		const char *pair = q + i;
		const char *eq = memchr(pair, '=', len);
		size_t nlen = eq ? (size_t)(eq - pair) : len;
		if (nlen > 0) { /* "&&" and "=x" carry no parameter */
			if (req->query.n >= HTTP_MAX_QUERY_PARAMS)
				return err_set(e, ERR_TOO_LONG, "more than %d query parameters",
				               HTTP_MAX_QUERY_PARAMS);
			char *name, *value;
			enum err_code rc = decode_piece(req, pair, nlen, true, HTTP_MAX_QUERY_LEN,
			                                "query parameter name", &name, e);
			if (rc != ERR_OK)
				return rc;
			const char *vraw = eq ? eq + 1 : pair + len;
			size_t vlen = eq ? len - nlen - 1 : 0;
			rc = decode_piece(req, vraw, vlen, true, HTTP_MAX_QUERY_LEN,
			                  "query parameter value", &value, e);
			if (rc != ERR_OK)
				return rc;
			req->query.items[req->query.n].name = name;
			req->query.items[req->query.n].value = value;
			req->query.n++;
		}
		if (!end)
			break;
		i += len + 1;
	}
	return ERR_OK;
}

enum err_code http_request_set_target(struct http_request *req, const char *target, struct err *e)
{
	size_t n = strnlen(target, HTTP_MAX_TARGET + 1);
	if (n > HTTP_MAX_TARGET)
		return err_set(e, ERR_TOO_LONG, "request target longer than %d bytes",
		               HTTP_MAX_TARGET);
	req->target = http_request_strndup(req, target, n);
	if (!req->target)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	const char *p = req->target;
	/* Absolute form (RFC 9112 section 3.2.2): skip scheme and authority. */
	if (strncasecmp(p, "http://", 7) == 0 || strncasecmp(p, "https://", 8) == 0) {
		p = strstr(p, "//") + 2;
		size_t auth = strcspn(p, "/?");
		p += auth;
		if (*p != '/')
			return err_set(e, ERR_INVALID_ARGUMENT, "request target has no path");
	}
	for (const char *q = p; *q; q++) {
		unsigned char c = (unsigned char)*q;
		if (c <= 0x20 || c == 0x7f)
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "space or control character in request target");
		if (c == '#')
			return err_set(e, ERR_INVALID_ARGUMENT, "fragment in request target");
	}
	const char *qm = strchr(p, '?');
	size_t plen = qm ? (size_t)(qm - p) : strlen(p);
	req->raw_path = http_request_strndup(req, p, plen);
	req->raw_query = qm ? qm + 1 : NULL;
	if (!req->raw_path)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	enum err_code rc = parse_path(req, p, plen, e);
	if (rc != ERR_OK)
		return rc;
	req->query.n = 0;
	if (qm)
		return parse_query(req, qm + 1, strlen(qm + 1), e);
	return ERR_OK;
}

enum err_code http_request_add_header(struct http_request *req, const char *name, const char *value,
                                      struct err *e)
{
	if (req->headers.n >= HTTP_MAX_HEADERS)
		return err_set(e, ERR_TOO_LONG, "more than %d request headers", HTTP_MAX_HEADERS);
	if (!req->headers.items) {
		req->headers.items =
		        http_request_alloc(req, HTTP_MAX_HEADERS * sizeof *req->headers.items);
		if (!req->headers.items)
			return err_set(e, ERR_NO_MEMORY, "out of memory");
	}
	struct http_param *h = &req->headers.items[req->headers.n];
	h->name = http_request_strdup(req, name);
	h->value = http_request_strdup(req, value ? value : "");
	if (!h->name || !h->value)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	req->headers.n++;
	return ERR_OK;
}

/* Parses one Cookie header value "a=b; c=d" into req->cookies. */
static enum err_code parse_cookie_header(struct http_request *req, const char *s, struct err *e)
{
	while (*s) {
		while (*s == ' ' || *s == '\t' || *s == ';')
			s++;
		if (!*s)
			break;
		size_t len = strcspn(s, ";");
		const char *eq = memchr(s, '=', len);
		if (eq && eq > s && req->cookies.n < HTTP_MAX_COOKIES) {
			size_t nlen = (size_t)(eq - s);
			while (nlen > 0 && (s[nlen - 1] == ' ' || s[nlen - 1] == '\t'))
				nlen--;
			const char *v = eq + 1;
			size_t vlen = len - (size_t)(v - s);
			while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
				vlen--;
			while (vlen > 0 && (*v == ' ' || *v == '\t'))
				v++, vlen--;
			if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"')
				v++, vlen -= 2;
			if (nlen > 0) {
				struct http_param *c = &req->cookies.items[req->cookies.n];
				c->name = http_request_strndup(req, s, nlen);
				c->value = http_request_strndup(req, v, vlen);
				if (!c->name || !c->value)
					return err_set(e, ERR_NO_MEMORY, "out of memory");
				req->cookies.n++;
			}
		}
		s += len;
	}
	return ERR_OK;
}

enum err_code http_request_finish_headers(struct http_request *req, struct err *e)
{
	req->cookies.n = 0;
	for (size_t i = 0; i < req->headers.n; i++) {
		if (strcasecmp(req->headers.items[i].name, "Cookie") != 0)
			continue;
		if (!req->cookies.items) {
			req->cookies.items = http_request_alloc(
			        req, HTTP_MAX_COOKIES * sizeof *req->cookies.items);
			if (!req->cookies.items)
				return err_set(e, ERR_NO_MEMORY, "out of memory");
		}
		enum err_code rc = parse_cookie_header(req, req->headers.items[i].value, e);
		if (rc != ERR_OK)
			return rc;
	}
	req->lang = http_lang_pick(http_request_header(req, "Accept-Language"),
	                           http_request_cookie(req, "lang"));
	return ERR_OK;
}

static const char *find_param(const struct http_params *p, const char *name, bool nocase)
{
	for (size_t i = 0; i < p->n; i++) {
		const char *n = p->items[i].name;
		if (nocase ? strcasecmp(n, name) == 0 : strcmp(n, name) == 0)
			return p->items[i].value;
	}
	return NULL;
}

const char *http_request_header(const struct http_request *req, const char *name)
{
	return find_param(&req->headers, name, true);
}

const char *http_request_query(const struct http_request *req, const char *name)
{
	return find_param(&req->query, name, false);
}

const char *http_request_cookie(const struct http_request *req, const char *name)
{
	return find_param(&req->cookies, name, false);
}

const char *http_request_param(const struct http_request *req, const char *name)
{
	return find_param(&req->captures, name, false);
}

enum err_code http_request_query_int(const struct http_request *req, const char *name, int64_t min,
                                     int64_t max, int64_t def, int64_t *out, struct err *e)
{
	const char *v = http_request_query(req, name);
	if (!v) {
		*out = def;
		return ERR_OK;
	}
	int64_t x;
	if (str_parse_int64(v, INT64_MIN, INT64_MAX, &x) != 0)
		return err_set(e, ERR_INVALID_ARGUMENT, "query parameter '%s' is not an integer",
		               name);
	if (x < min || x > max)
		return err_set(e, ERR_OUT_OF_RANGE,
		               "query parameter '%s' must be between %lld and %lld", name,
		               (long long)min, (long long)max);
	*out = x;
	return ERR_OK;
}

bool http_request_content_type_is(const struct http_request *req, const char *mime)
{
	const char *ct = http_request_header(req, "Content-Type");
	if (!ct)
		return false;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	size_t n = strlen(mime);
	if (strncasecmp(ct, mime, n) != 0)
		return false;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

bool http_request_method_is(const struct http_request *req, const char *m)
{
	return req->method && strcmp(req->method, m) == 0;
}

/* Parses a q value "0.8", "1", "1.000"; returns thousandths, or -1 when malformed. */
static int parse_q(const char *s, size_t n)
{
	if (n == 0 || n > 5 || (s[0] != '0' && s[0] != '1'))
		return -1;
	int v = (s[0] - '0') * 1000;
	if (n == 1)
		return v;
	if (s[1] != '.')
		return -1;
	int scale = 100;
	for (size_t i = 2; i < n; i++, scale /= 10) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v += (s[i] - '0') * scale;
	}
	return v > 1000 ? -1 : v;
}

enum err_lang http_lang_pick(const char *accept_language, const char *lang_cookie)
{
	if (lang_cookie && strcmp(lang_cookie, "en") == 0)
		return ERR_LANG_EN;
	if (lang_cookie && strcmp(lang_cookie, "vi") == 0)
		return ERR_LANG_VI;
	if (!accept_language)
		return ERR_LANG_VI;
	int best_q = 0;
	enum err_lang best = ERR_LANG_VI;
	const char *s = accept_language;
	while (*s) {
		size_t len = strcspn(s, ",");
		const char *item = s;
		s += len;
		if (*s == ',')
			s++;
		while (len > 0 && (*item == ' ' || *item == '\t'))
			item++, len--;
		size_t tag = 0;
		while (tag < len && item[tag] != ';' && item[tag] != ' ' && item[tag] != '\t')
			tag++;
		int lang = -1;
		if ((tag == 2 || (tag > 2 && item[2] == '-')) && strncasecmp(item, "vi", 2) == 0)
			lang = ERR_LANG_VI;
		else if ((tag == 2 || (tag > 2 && item[2] == '-')) &&
		         strncasecmp(item, "en", 2) == 0)
			lang = ERR_LANG_EN;
		if (lang < 0)
			continue;
		int q = 1000;
		const char *semi = memchr(item, ';', len);
		if (semi) {
			const char *p = semi + 1;
			size_t rest = len - (size_t)(p - item);
			while (rest > 0 && (*p == ' ' || *p == '\t'))
				p++, rest--;
			if (rest >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
				size_t qn = rest - 2;
				while (qn > 0 && (p[2 + qn - 1] == ' ' || p[2 + qn - 1] == '\t'))
					qn--;
				q = parse_q(p + 2, qn);
			}
		}
		if (q > best_q) {
			best_q = q;
			best = (enum err_lang)lang;
		}
	}
	return best;
}
