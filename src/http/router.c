/*
 * router: route tables and matching (see router.h).
 *
 * Each route's pattern is split once, when it is added, into literal,
 * capture and rest segments. Matching scans every route (a few hundred at
 * most, each a handful of string comparisons) and keeps the most specific.
 */
#include "http/router.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

enum seg_kind { SEG_REST = 0, SEG_CAPTURE = 1, SEG_LITERAL = 2 }; /* value = specificity */

struct seg {
	enum seg_kind kind;
	char *text; /* the literal, or the capture's name */
};

struct compiled {
	const struct http_route *route;
	void *ctx;
	size_t nseg;
	struct seg *seg;
};

struct http_router {
	struct compiled *routes;
	size_t n, cap;
};

struct http_router *http_router_new(void)
{
	return calloc(1, sizeof(struct http_router));
}

static void compiled_release(struct compiled *c)
{
	/* Every entry, not only nseg: a failed compile may leave one past it. */
	for (size_t i = 0; c->seg && i < HTTP_MAX_SEGMENTS; i++)
		free(c->seg[i].text);
	free(c->seg);
	c->seg = NULL;
	c->nseg = 0;
}

void http_router_free(struct http_router *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		compiled_release(&r->routes[i]);
	free(r->routes);
	free(r);
}

size_t http_router_count(const struct http_router *r)
{
	return r->n;
}

const struct http_route *http_router_route(const struct http_router *r, size_t i)
{
	return i < r->n ? r->routes[i].route : NULL;
}

static bool literal_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("-._~:@!$&'()*+,;=", c);
}

static bool method_ok(const char *m)
{
	if (!m || !*m || strlen(m) > 16)
		return false;
	for (; *m; m++)
		if (*m < 'A' || *m > 'Z')
			return false;
	return true;
}

/* Splits and checks one pattern into *c. */
static enum err_code compile(const struct http_route *rt, void *ctx, struct compiled *c,
                             struct err *e)
{
	memset(c, 0, sizeof *c);
	c->route = rt;
	c->ctx = ctx;
	const char *p = rt->pattern;
	if (!method_ok(rt->method))
		return err_set(e, ERR_INVALID_ARGUMENT, "invalid route method '%s'",
		               rt->method ? rt->method : "(null)");
	if (!rt->handler)
		return err_set(e, ERR_INVALID_ARGUMENT, "route '%s %s' has no handler", rt->method,
		               p ? p : "(null)");
	if (!p || p[0] != '/')
		return err_set(e, ERR_INVALID_ARGUMENT, "route pattern '%s' must start with '/'",
		               p ? p : "(null)");
	c->seg = calloc(HTTP_MAX_SEGMENTS, sizeof *c->seg);
	if (!c->seg)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	size_t ncap = 0;
	const char *s = p + 1;
	while (*s) {
		size_t len = strcspn(s, "/");
		if (len == 0 || (s[len] == '/' && s[len + 1] == '\0'))
			goto bad;
		if (c->nseg >= HTTP_MAX_SEGMENTS)
			goto bad;
		struct seg *g = &c->seg[c->nseg];
		if (s[0] == '{') {
			bool rest = len >= 4 && s[len - 2] == '*' && s[len - 1] == '}';
			size_t nlen = len - (rest ? 3 : 2);
			if (s[len - 1] != '}' || nlen == 0 || ncap >= HTTP_MAX_CAPTURES)
				goto bad;
			for (size_t i = 1; i <= nlen; i++) {
				char ch = s[i];
				if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
				      ch == '_'))
					goto bad;
			}
			if (rest && s[len] != '\0')
				goto bad; /* a rest capture must be the last segment */
			g->kind = rest ? SEG_REST : SEG_CAPTURE;
			g->text = strndup(s + 1, nlen);
			if (!g->text)
				goto oom;
			for (size_t i = 0; i < c->nseg; i++)
				if (c->seg[i].kind != SEG_LITERAL &&
				    strcmp(c->seg[i].text, g->text) == 0)
					goto bad;
			ncap++;
		} else {
			for (size_t i = 0; i < len; i++)
				if (!literal_char(s[i]))
					goto bad;
			if ((len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
				goto bad;
			g->kind = SEG_LITERAL;
			g->text = strndup(s, len);
			if (!g->text)
				goto oom;
		}
		c->nseg++;
		s += len;
		if (*s == '/')
			s++;
	}
	return ERR_OK;
bad:
	compiled_release(c);
	return err_set(e, ERR_INVALID_ARGUMENT, "invalid route pattern '%s'", p);
oom:
	compiled_release(c);
	return err_set(e, ERR_NO_MEMORY, "out of memory");
}

/* True when a and b have the same method and shape (they could never be told apart). */
static bool same_shape(const struct compiled *a, const struct compiled *b)
{
	if (strcmp(a->route->method, b->route->method) != 0 || a->nseg != b->nseg)
		return false;
	for (size_t i = 0; i < a->nseg; i++) {
		if (a->seg[i].kind != b->seg[i].kind)
			return false;
		if (a->seg[i].kind == SEG_LITERAL && strcmp(a->seg[i].text, b->seg[i].text) != 0)
			return false;
	}
	return true;
}

enum err_code http_router_add(struct http_router *r, const struct http_route *routes, size_t n,
                              void *ctx, struct err *e)
{
	if (n > HTTP_ROUTER_MAX || r->n > HTTP_ROUTER_MAX - n)
		return err_set(e, ERR_TOO_LONG, "more than %d routes", HTTP_ROUTER_MAX);
	if (r->n + n > r->cap) {
		size_t cap = r->n + n;
		struct compiled *p = realloc(r->routes, cap * sizeof *p);
		if (!p)
			return err_set(e, ERR_NO_MEMORY, "out of memory");
		r->routes = p;
		r->cap = cap;
	}
	size_t base = r->n;
	enum err_code rc = ERR_OK;
	size_t i;
	for (i = 0; i < n; i++) {
		struct compiled *c = &r->routes[base + i];
		rc = compile(&routes[i], ctx, c, e);
		if (rc != ERR_OK)
			break;
		for (size_t j = 0; j < base + i; j++) {
			if (same_shape(&r->routes[j], c)) {
				rc = err_set(e, ERR_INVALID_ARGUMENT,
				             "route '%s %s' duplicates '%s %s'", routes[i].method,
				             routes[i].pattern, r->routes[j].route->method,
				             r->routes[j].route->pattern);
				compiled_release(c);
				break;
			}
		}
		if (rc != ERR_OK)
			break;
	}
	if (rc != ERR_OK) {
		while (i-- > 0)
			compiled_release(&r->routes[base + i]);
		return rc;
	}
	r->n += n;
	return ERR_OK;
}

/* True when the compiled pattern matches the path. */
static bool path_matches(const struct compiled *c, const struct http_path *path)
{
	bool rest = c->nseg > 0 && c->seg[c->nseg - 1].kind == SEG_REST;
	if (rest ? path->n < c->nseg : path->n != c->nseg)
		return false;
	for (size_t i = 0; i < c->nseg; i++)
		if (c->seg[i].kind == SEG_LITERAL && strcmp(c->seg[i].text, path->seg[i]) != 0)
			return false;
	return true;
}

/* Specificity of position i (a rest capture covers every later position). */
static int rank_at(const struct compiled *c, size_t i)
{
	if (i < c->nseg)
		return (int)c->seg[i].kind;
	return SEG_REST;
}

/* True when a is more specific than b (both match the same path). */
static bool more_specific(const struct compiled *a, const struct compiled *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int ra = rank_at(a, i), rb = rank_at(b, i);
		if (ra != rb)
			return ra > rb;
	}
	return false;
}

/* Adds method to the comma-separated list unless it is there already. */
static void allow_add(char *list, size_t size, const char *method)
{
	size_t mlen = strlen(method);
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		if (len == mlen && strncmp(p, method, mlen) == 0)
			return;
		p += len;
		while (*p == ',' || *p == ' ')
			p++;
	}
	size_t used = strlen(list);
	if (used + mlen + 3 > size)
		return;
	if (used)
		memcpy(list + used, ", ", 2), used += 2;
	memcpy(list + used, method, mlen + 1);
}

static enum err_code set_captures(const struct compiled *c, struct http_request *req, struct err *e)
{
	req->captures.n = 0;
	req->captures.items = NULL;
	size_t ncap = 0;
	for (size_t i = 0; i < c->nseg; i++)
		if (c->seg[i].kind != SEG_LITERAL)
			ncap++;
	if (!ncap)
		return ERR_OK;
	req->captures.items = http_request_alloc(req, ncap * sizeof *req->captures.items);
	if (!req->captures.items)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	for (size_t i = 0; i < c->nseg; i++) {
		const struct seg *g = &c->seg[i];
		if (g->kind == SEG_LITERAL)
			continue;
		struct http_param *p = &req->captures.items[req->captures.n++];
		p->name = g->text;
		if (g->kind == SEG_CAPTURE) {
			p->value = req->path.seg[i];
			continue;
		}
		struct buf b = BUF_INIT(HTTP_MAX_TARGET);
		for (size_t j = i; j < req->path.n; j++)
			if ((j > i && buf_putc(&b, '/')) || buf_puts(&b, req->path.seg[j])) {
				buf_release(&b);
				return err_set(e, ERR_NO_MEMORY, "out of memory");
			}
		p->value = http_request_strdup(req, buf_str(&b));
		buf_release(&b);
		if (!p->value)
			return err_set(e, ERR_NO_MEMORY, "out of memory");
	}
	return ERR_OK;
}

enum err_code http_router_match(const struct http_router *r, struct http_request *req,
                                struct http_match *m, struct err *e)
{
	memset(m, 0, sizeof *m);
	m->status = HTTP_MATCH_NOT_FOUND;
	const char *method = req->method ? req->method : "";
	bool head = strcmp(method, "HEAD") == 0;
	const struct compiled *best = NULL, *best_get = NULL;
	bool any = false;
	size_t n = req->path.n + 1;
	for (size_t i = 0; i < r->n; i++) {
		const struct compiled *c = &r->routes[i];
		if (!path_matches(c, &req->path))
			continue;
		any = true;
		const char *rm = c->route->method;
		if (strcmp(rm, method) == 0) {
			if (!best || more_specific(c, best, n))
				best = c;
		} else if (head && strcmp(rm, "GET") == 0) {
			if (!best_get || more_specific(c, best_get, n))
				best_get = c;
		}
	}
	if (!best)
		best = best_get;
	if (!best) {
		if (!any)
			return ERR_OK;
		m->status = HTTP_MATCH_METHOD;
		for (size_t i = 0; i < r->n; i++) {
			const struct compiled *c = &r->routes[i];
			if (!path_matches(c, &req->path))
				continue;
			allow_add(m->allow, sizeof m->allow, c->route->method);
			if (strcmp(c->route->method, "GET") == 0)
				allow_add(m->allow, sizeof m->allow, "HEAD");
		}
		return ERR_OK;
	}
	m->status = HTTP_MATCH_OK;
	m->route = best->route;
	m->ctx = best->ctx;
	m->index = (size_t)(best - r->routes);
	req->route = best->route;
	return set_captures(best, req, e);
}
