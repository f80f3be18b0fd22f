/*
 * Fuzz target for the pure request parsing of http/request (the request
 * target: path segments and query; cookies; Accept-Language) and the
 * router's matching. Invariants checked (abort() on violation):
 *  - a refusal has a detail and one of the documented codes;
 *  - an accepted target has at most the limits of request.h, every
 *    segment non-empty, valid UTF-8, no control character, no '/', not
 *    "." or ".."; every query name non-empty and valid UTF-8;
 *  - re-encoding the decoded segments and query gives a target that parses
 *    to the same segments and parameters (parse -> format -> parse);
 *  - a route capture equals the segment it came from.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "http/request.h"
#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void h(struct http_request *req, struct http_response *res, void *ctx)
{
	(void)req, (void)res, (void)ctx;
}

static const struct http_route routes[] = {
        {"GET", "/api/v1/dossiers/{id}/{action}", h, 0},
        {"GET", "/api/v1/dossiers/search", h, 0},
        {"GET", "/static/{file*}", h, 0},
        {"GET", "/{a}", h, 0},
};

static struct http_router *router;

static void check(int ok)
{
	if (!ok)
		abort();
}

static void encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '~')
			buf_putc(b, (char)*p);
		else
			buf_putc(b, '%'), buf_putc(b, hex[*p >> 4]), buf_putc(b, hex[*p & 15]);
	}
}

static void check_accepted(const struct http_request *r)
{
	check(r->path.n <= HTTP_MAX_SEGMENTS);
	for (size_t i = 0; i < r->path.n; i++) {
		const char *s = r->path.seg[i];
		size_t n = strlen(s);
		check(n > 0 && n <= HTTP_MAX_SEGMENT_LEN);
		check(str_valid_utf8(s, n));
		check(!strchr(s, '/'));
		check(strcmp(s, ".") != 0 && strcmp(s, "..") != 0);
		for (size_t k = 0; k < n; k++)
			check((unsigned char)s[k] >= 0x20 && s[k] != 0x7f);
	}
	check(r->query.n <= HTTP_MAX_QUERY_PARAMS);
	for (size_t i = 0; i < r->query.n; i++) {
		const struct http_param *p = &r->query.items[i];
		check(p->name[0] != '\0' && strlen(p->name) <= HTTP_MAX_QUERY_LEN);
		check(strlen(p->value) <= HTTP_MAX_QUERY_LEN);
		check(str_valid_utf8(p->name, HTTP_MAX_QUERY_LEN));
		check(str_valid_utf8(p->value, HTTP_MAX_QUERY_LEN));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!router) {
		router = http_router_new();
		if (!router ||
		    http_router_add(router, routes, sizeof routes / sizeof routes[0], NULL, NULL))
			abort();
	}
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	/* The percent-decoder never grows its input. */
	char *dec = malloc(size + 1);
	long dn = dec ? http_percent_decode(text, strlen(text), true, dec) : 0;
	check(dn < 0 || (size_t)dn <= strlen(text));
	free(dec);

	struct http_request r;
	http_request_init(&r, 64);
	struct err e;
	err_clear(&e);
	enum err_code rc = http_request_set_target(&r, text, &e);
	if (rc != ERR_OK) {
		check(rc == ERR_INVALID_ARGUMENT || rc == ERR_TOO_LONG || rc == ERR_NO_MEMORY);
		check(e.code == rc && e.detail[0] != '\0');
	} else {
		check_accepted(&r);
		/* Format again and parse again. */
		struct buf b = BUF_INIT(1 << 20);
		if (r.path.n == 0)
			buf_putc(&b, '/');
		for (size_t i = 0; i < r.path.n; i++)
			buf_putc(&b, '/'), encode(&b, r.path.seg[i]);
		for (size_t i = 0; i < r.query.n; i++) {
			buf_putc(&b, i ? '&' : '?');
			encode(&b, r.query.items[i].name);
			buf_putc(&b, '=');
			encode(&b, r.query.items[i].value);
		}
		struct http_request r2;
		http_request_init(&r2, 64);
		enum err_code rc2 = http_request_set_target(&r2, buf_str(&b), NULL);
		/* Re-encoding can lengthen the target past HTTP_MAX_TARGET; nothing else may fail.
		 */
		check(rc2 == ERR_OK || (rc2 == ERR_TOO_LONG && b.len > HTTP_MAX_TARGET));
		if (rc2 == ERR_OK) {
			check(r2.path.n == r.path.n && r2.query.n == r.query.n);
			for (size_t i = 0; i < r.path.n; i++)
				check(strcmp(r.path.seg[i], r2.path.seg[i]) == 0);
			for (size_t i = 0; i < r.query.n; i++)
				check(strcmp(r.query.items[i].name, r2.query.items[i].name) == 0 &&
				      strcmp(r.query.items[i].value, r2.query.items[i].value) == 0);
		}
		http_request_release(&r2);
		buf_release(&b);

		/* Routing: captures are the segments they stand for. */
		struct http_match m;
		if (http_request_set_method(&r, "GET", NULL) == ERR_OK &&
		    http_router_match(router, &r, &m, NULL) == ERR_OK &&
		    m.status == HTTP_MATCH_OK) {
			const char *id = http_request_param(&r, "id");
			if (id)
				check(r.path.n == 5 && strcmp(id, r.path.seg[3]) == 0);
			const char *file = http_request_param(&r, "file");
			if (file)
				check(r.path.n >= 2 &&
				      strncmp(file, r.path.seg[1], strlen(r.path.seg[1])) == 0);
			const char *a = http_request_param(&r, "a");
			if (a)
				check(r.path.n == 1 && strcmp(a, r.path.seg[0]) == 0);
		}
	}

	/* The same bytes as Cookie and Accept-Language headers. */
	http_request_release(&r);
	if (http_request_add_header(&r, "Cookie", text, NULL) == ERR_OK &&
	    http_request_add_header(&r, "Accept-Language", text, NULL) == ERR_OK &&
	    http_request_finish_headers(&r, NULL) == ERR_OK) {
		check(r.cookies.n <= HTTP_MAX_COOKIES);
		for (size_t i = 0; i < r.cookies.n; i++)
			check(r.cookies.items[i].name[0] != '\0');
		check(r.lang == ERR_LANG_VI || r.lang == ERR_LANG_EN);
	}
	http_request_release(&r);
	free(text);
	return 0;
}
