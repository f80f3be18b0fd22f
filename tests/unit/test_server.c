/*
 * Tests of http/server: a real server in this process on 127.0.0.1 with an
 * ephemeral port, spoken to with libcurl and with raw sockets.
 * What is expected comes from HTTP/1.1 itself (RFC 9112 section 9.3:
 * persistent connections; RFC 9110 section 10.1.1: Expect: 100-continue
 * may be answered with a final status; sections 15.5.6 and 15.5.14: 405
 * with Allow, 413; section 9.3.2: HEAD has the headers of GET and no body)
 * and from the contract in server.h. libcurl reports connection reuse with
 * CURLINFO_NUM_CONNECTS (0 when the request went over an existing
 * connection). Timeouts here are only safety caps; nothing asserts a time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/str.h"
#include "http/server.h"

#define CAP_SECONDS 20 /* safety cap on any wait */

/* ---- handlers ---- */

static void h_echo_id(struct http_request *req, struct http_response *res, void *ctx)
{
	(void)ctx;
	json_t *o = json_object();
	const char *q = http_request_query(req, "q"), *sid = http_request_cookie(req, "sid");
	json_object_set_new(o, "id", json_string(http_request_param(req, "id")));
	json_object_set_new(o, "q", q ? json_string(q) : json_null());
	json_object_set_new(o, "lang", json_string(req->lang == ERR_LANG_EN ? "en" : "vi"));
	json_object_set_new(o, "method", json_string(req->method));
	json_object_set_new(o, "client", json_string(req->client));
	json_object_set_new(o, "sid", sid ? json_string(sid) : json_null());
	json_object_set_new(o, "user", req->user ? json_string(req->user) : json_null());
	http_response_json(res, 200, o);
}

static void h_body_len(struct http_request *req, struct http_response *res, void *ctx)
{
	(void)ctx;
	json_t *o = json_object();
	json_object_set_new(o, "len", json_integer((json_int_t)req->body.len));
	json_object_set_new(
	        o, "head",
	        json_stringn(buf_str(&req->body), req->body.len < 8 ? req->body.len : 8));
	http_response_json(res, 200, o);
}

static pthread_mutex_t slow_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slow_cond = PTHREAD_COND_INITIALIZER;
static bool slow_entered, slow_release;

/* Waits (under slow_lock) until *flag, at most CAP_SECONDS. Returns *flag. */
static bool wait_flag(bool *flag)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += CAP_SECONDS;
	pthread_mutex_lock(&slow_lock);
	while (!*flag)
		if (pthread_cond_timedwait(&slow_cond, &slow_lock, &until) == ETIMEDOUT)
			break;
	bool v = *flag;
	pthread_mutex_unlock(&slow_lock);
	return v;
}

static void set_flag(bool *flag)
{
	pthread_mutex_lock(&slow_lock);
	*flag = true;
	pthread_cond_broadcast(&slow_cond);
	pthread_mutex_unlock(&slow_lock);
}

static void h_slow(struct http_request *req, struct http_response *res, void *ctx)
{
	(void)req, (void)ctx;
	set_flag(&slow_entered);
	wait_flag(&slow_release);
	http_response_text(res, 200, "application/json", "{\"slow\":true}");
}

static void h_nothing(struct http_request *req, struct http_response *res, void *ctx)
{
	(void)req, (void)res, (void)ctx;
}

static void h_login(struct http_request *req, struct http_response *res, void *ctx)
{
	(void)req, (void)ctx;
	struct http_cookie c = {"/", 3600, true, false, HTTP_SAME_SITE_STRICT};
	http_response_cookie(res, "sid", "s3cr3t", &c);
	http_response_redirect(res, 303, "/echo/me");
}

static enum err_code hook(struct http_request *req, struct http_response *res, void *ctx)
{
	(void)res, (void)ctx;
	if (strncmp(req->route->pattern, "/private", 8) != 0)
		return ERR_OK;
	const char *a = http_request_header(req, "Authorization");
	if (!a || strcmp(a, "Bearer ok") != 0)
		return ERR_UNAUTHORIZED;
	req->user = http_request_strdup(req, "officer1");
	return ERR_OK;
}

static const struct http_route routes[] = {
        {"GET", "/echo/{id}", h_echo_id, 0}, {"GET", "/private/{id}", h_echo_id, 0},
        {"POST", "/echo", h_body_len, 0},    {"POST", "/small", h_body_len, 1024},
        {"GET", "/slow", h_slow, 0},         {"GET", "/nothing", h_nothing, 0},
        {"POST", "/login", h_login, 0},
};

/* ---- server and client helpers ---- */

static struct http_server *start(const char *listen, struct err *e)
{
	struct http_server_opts o = {listen, 4, 30, 64, 4096};
	struct http_server *s;
	if (http_server_new(&o, &s, e) != ERR_OK)
		return NULL;
	assert_int_equal(
	        http_server_add_routes(s, routes, sizeof routes / sizeof routes[0], NULL, e),
	        ERR_OK);
	http_server_set_hook(s, hook, NULL);
	if (http_server_start(s, e) != ERR_OK) {
		http_server_free(s);
		return NULL;
	}
	return s;
}

static struct http_server *srv;

static int setup(void **state)
{
	(void)state;
	struct err e;
	srv = start("127.0.0.1:0", &e);
	assert_non_null(srv);
	assert_true(http_server_port(srv) > 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	http_server_free(srv);
	srv = NULL;
	return 0;
}

struct reply {
	CURLcode rc;
	long status;
	long connects;
	struct buf body;
	struct buf headers;
};

static size_t on_data(char *p, size_t size, size_t n, void *b)
{
	return buf_append(b, p, size * n) == 0 ? size * n : 0;
}

static void reply_release(struct reply *r)
{
	buf_release(&r->body);
	buf_release(&r->headers);
}

/*
 * One request on handle h (kept between calls so connections can be
 * reused). body NULL: no body. extra: more request headers.
 */
static void request(CURL *h, const char *method, const char *path, const char *body, size_t len,
                    struct curl_slist *extra, struct reply *r)
{
	char url[256];
	snprintf(url, sizeof url, "%s%s", http_server_url(srv), path);
	memset(r, 0, sizeof *r);
	buf_init(&r->body, 1 << 22);
	buf_init(&r->headers, 1 << 16);
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)CAP_SECONDS);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &r->headers);
	curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	else if (strcmp(method, "GET") != 0)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	if (body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	if (extra)
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, extra);
	r->rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &r->connects);
}

/* The value of a response header (copied into out), or NULL. */
static const char *header(const struct reply *r, const char *name, char *out, size_t size)
{
	size_t n = strlen(name);
	for (const char *p = buf_str(&r->headers); *p;) {
		const char *eol = strstr(p, "\r\n");
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len > n && strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;
			while (*v == ' ')
				v++;
			size_t vlen = (size_t)(p + len - v);
			if (vlen >= size)
				vlen = size - 1;
			memcpy(out, v, vlen);
			out[vlen] = '\0';
			return out;
		}
		p += len + (eol ? 2 : 0);
	}
	return NULL;
}

/* The "code" of a JSON error body, copied into out ("" when absent). */
static const char *json_code(const struct reply *r, const char *key, char *out, size_t size)
{
	json_error_t je;
	json_t *j = json_loadb(r->body.data ? r->body.data : "", r->body.len, 0, &je);
	const char *v = j ? json_string_value(json_object_get(j, key)) : NULL;
	snprintf(out, size, "%s", v ? v : "");
	json_decref(j);
	return out;
}

/* Sends raw bytes on a new connection and reads until EOF, until `want` was seen `times` times, or
 * the cap. */
static void raw(const char *data, size_t len, const char *want, int times, struct buf *out)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_port = htons(http_server_port(srv));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	struct timeval tv = {CAP_SECONDS, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	size_t off = 0;
	while (off < len) {
		ssize_t w = send(fd, data + off, len - off, MSG_NOSIGNAL);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	buf_reset(out);
	char chunk[4096];
	for (;;) {
		int seen = 0;
		for (const char *p = buf_str(out); want && (p = strstr(p, want)) != NULL; p++)
			seen++;
		if (want && seen >= times)
			break;
		ssize_t n = recv(fd, chunk, sizeof chunk, 0);
		if (n <= 0)
			break;
		buf_append(out, chunk, (size_t)n);
	}
	close(fd);
}

/* Waits until the server has no request in flight (cap). */
static void wait_idle(void)
{
	for (int i = 0; i < CAP_SECONDS * 500 && http_server_in_flight(srv) > 0; i++) {
		struct timespec ts = {0, 2000000};
		nanosleep(&ts, NULL);
	}
	assert_int_equal(http_server_in_flight(srv), 0);
}

/* ---- tests ---- */

static void test_keep_alive(void **state)
{
	(void)state;
	CURL *h = curl_easy_init();
	struct reply r;
	char v[256];
	request(h, "GET", "/healthz", NULL, 0, NULL, &r);
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.status, 200);
	assert_string_equal(buf_str(&r.body), "{\"status\":\"ok\"}");
	assert_int_equal(r.connects, 1);
	assert_string_equal(header(&r, "Content-Type", v, sizeof v),
	                    "application/json; charset=utf-8");
	assert_string_equal(header(&r, "X-Content-Type-Options", v, sizeof v), "nosniff");
	reply_release(&r);
	/* The same connection serves the next requests, error answers and bodies included. */
	request(h, "GET", "/healthz", NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.connects, 0);
	reply_release(&r);
	request(h, "POST", "/echo", "hello", 5, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(buf_str(&r.body), "{\"len\":5,\"head\":\"hello\"}");
	assert_int_equal(r.connects, 0);
	reply_release(&r);
	request(h, "GET", "/nope", NULL, 0, NULL, &r);
	assert_int_equal(r.status, 404);
	assert_int_equal(r.connects, 0);
	reply_release(&r);
	request(h, "DELETE", "/healthz", NULL, 0, NULL, &r);
	assert_int_equal(r.status, 405);
	assert_int_equal(r.connects, 0);
	reply_release(&r);
	request(h, "GET", "/healthz", NULL, 0, NULL, &r);
	assert_int_equal(r.connects, 0);
	reply_release(&r);
	curl_easy_cleanup(h);
}

static void test_body_cap(void **state)
{
	(void)state;
	CURL *h = curl_easy_init();
	struct reply r;
	char v[256];
	size_t big = 64 * 1024;
	char *body = malloc(big);
	memset(body, 'b', big);
	/* No "Expect: 100-continue": the body is sent, read, dropped; 413 on the same connection.
	 */
	struct curl_slist *noexpect = curl_slist_append(NULL, "Expect:");
	request(h, "POST", "/small", body, big, noexpect, &r);
	assert_int_equal(r.rc, CURLE_OK); /* no reset */
	assert_int_equal(r.status, 413);
	assert_string_equal(json_code(&r, "code", v, sizeof v), "payload_too_large");
	assert_non_null(strstr(buf_str(&r.body), "1024 bytes"));
	assert_null(header(&r, "Connection", v, sizeof v));
	reply_release(&r);
	request(h, "GET", "/healthz", NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.connects, 0); /* the connection survived the oversized body */
	reply_release(&r);
	/* The route's cap exactly, and one byte more. */
	request(h, "POST", "/small", body, 1024, noexpect, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(buf_str(&r.body), "\"len\":1024"));
	reply_release(&r);
	request(h, "POST", "/small", body, 1025, noexpect, &r);
	assert_int_equal(r.status, 413);
	reply_release(&r);
	/* The server's cap (4096 here) for routes without their own. */
	request(h, "POST", "/echo", body, 4096, noexpect, &r);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	request(h, "POST", "/echo", body, 4097, noexpect, &r);
	assert_int_equal(r.status, 413);
	assert_int_equal(r.connects, 0);
	reply_release(&r);
	/* With "Expect: 100-continue" the 413 comes before the body is sent. */
	struct curl_slist *expect = curl_slist_append(NULL, "Expect: 100-continue");
	request(h, "POST", "/small", body, big, expect, &r);
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.status, 413);
	assert_string_equal(json_code(&r, "code", v, sizeof v), "payload_too_large");
	reply_release(&r);
	/* A body sent to an unknown path is drained too. */
	request(h, "POST", "/nope", body, big, noexpect, &r);
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	curl_slist_free_all(noexpect);
	curl_slist_free_all(expect);
	free(body);
	curl_easy_cleanup(h);
	wait_idle();
}

static void test_errors(void **state)
{
	(void)state;
	CURL *h = curl_easy_init();
	struct reply r;
	char v[512];
	request(h, "GET", "/no/such/page", NULL, 0, NULL, &r);
	assert_int_equal(r.status, 404);
	assert_string_equal(json_code(&r, "code", v, sizeof v), "not_found");
	assert_string_equal(json_code(&r, "hint", v, sizeof v),
	                    err_hint(ERR_NOT_FOUND, ERR_LANG_VI));
	assert_string_equal(header(&r, "X-Frame-Options", v, sizeof v), "DENY");
	reply_release(&r);
	/* Accept-Language picks the English hint. */
	struct curl_slist *en = curl_slist_append(NULL, "Accept-Language: en-GB,en;q=0.9,vi;q=0.5");
	request(h, "GET", "/no/such/page", NULL, 0, en, &r);
	assert_string_equal(json_code(&r, "hint", v, sizeof v),
	                    err_hint(ERR_NOT_FOUND, ERR_LANG_EN));
	reply_release(&r);
	curl_slist_free_all(en);
	/* 405 lists the allowed methods. */
	request(h, "POST", "/healthz", "x", 1, NULL, &r);
	assert_int_equal(r.status, 405);
	assert_string_equal(json_code(&r, "code", v, sizeof v), "method_not_allowed");
	assert_string_equal(header(&r, "Allow", v, sizeof v), "GET, HEAD");
	reply_release(&r);
	request(h, "GET", "/echo", NULL, 0, NULL, &r);
	assert_int_equal(r.status, 405);
	assert_string_equal(header(&r, "Allow", v, sizeof v), "POST");
	reply_release(&r);
	/* HEAD: the headers of GET, no body. */
	request(h, "HEAD", "/healthz", NULL, 0, NULL, &r);
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.status, 200);
	assert_string_equal(header(&r, "Content-Length", v, sizeof v), "15");
	assert_int_equal(r.body.len, 0);
	reply_release(&r);
	/* Bad percent-encoding and traversal in the path. */
	request(h, "GET", "/echo/a%zz", NULL, 0, NULL, &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(json_code(&r, "code", v, sizeof v), "invalid_argument");
	reply_release(&r);
	request(h, "GET", "/echo/%2e%2e", NULL, 0, NULL, &r);
	assert_int_equal(r.status, 400);
	reply_release(&r);
	/* A handler that sets nothing: 500 internal, and the connection stays usable. */
	request(h, "GET", "/nothing", NULL, 0, NULL, &r);
	assert_int_equal(r.status, 500);
	assert_string_equal(json_code(&r, "code", v, sizeof v), "internal");
	reply_release(&r);
	request(h, "GET", "/healthz", NULL, 0, NULL, &r);
	assert_int_equal(r.connects, 0);
	reply_release(&r);
	curl_easy_cleanup(h);
}

static void test_raw_protocol(void **state)
{
	(void)state;
	struct buf out = BUF_INIT(1 << 20);
	/* A request line libmicrohttpd cannot parse: 400 (its own page). */
	static const char bad_line[] = "GET /healthz FOO\r\nHost: x\r\n\r\n";
	raw(bad_line, strlen(bad_line), NULL, 0, &out);
	assert_true(str_has_prefix(buf_str(&out), "HTTP/1.1 400"));
	/* A space in the target: our 400 with the JSON error. */
	static const char space[] = "GET /a b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	raw(space, strlen(space), NULL, 0, &out);
	assert_true(str_has_prefix(buf_str(&out), "HTTP/1.1 400"));
	assert_non_null(strstr(buf_str(&out), "\"code\":\"invalid_argument\""));
	/* Bad percent-encoding; the answer still speaks the client's language. */
	static const char pct[] = "GET /echo/%G1 HTTP/1.1\r\nHost: x\r\nAccept-Language: "
	                          "en\r\nConnection: close\r\n\r\n";
	raw(pct, strlen(pct), NULL, 0, &out);
	assert_true(str_has_prefix(buf_str(&out), "HTTP/1.1 400"));
	assert_non_null(strstr(buf_str(&out), "invalid percent-encoding"));
	assert_non_null(strstr(buf_str(&out), err_hint(ERR_INVALID_ARGUMENT, ERR_LANG_EN)));
	/* A method that is not a token. */
	static const char meth[] = "G@T /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	raw(meth, strlen(meth), NULL, 0, &out);
	assert_true(str_has_prefix(buf_str(&out), "HTTP/1.1 400"));
	/* A chunked body over the cap is drained; the next pipelined request is answered. */
	struct buf req = BUF_INIT(1 << 20);
	buf_puts(&req, "POST /small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
	for (int i = 0; i < 8; i++) {
		buf_puts(&req, "400\r\n");
		for (int k = 0; k < 0x400; k++)
			buf_putc(&req, 'c');
		buf_puts(&req, "\r\n");
	}
	buf_puts(&req, "0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
	raw(buf_str(&req), req.len, "{\"status\":\"ok\"}", 1, &out);
	assert_true(str_has_prefix(buf_str(&out), "HTTP/1.1 413"));
	assert_non_null(strstr(buf_str(&out), "\"code\":\"payload_too_large\""));
	assert_non_null(strstr(buf_str(&out), "{\"status\":\"ok\"}"));
	/* A header block too large for libmicrohttpd: its own error; nothing leaks
	 * (the request is completed and counted out). */
	buf_reset(&req);
	buf_puts(&req, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ");
	for (int k = 0; k < 40000; k++)
		buf_putc(&req, 'h');
	buf_puts(&req, "\r\n\r\n");
	raw(buf_str(&req), req.len, NULL, 0, &out);
	assert_true(str_has_prefix(buf_str(&out), "HTTP/1.1 4"));
	wait_idle();
	buf_release(&req);
	buf_release(&out);
}

static void test_request_data(void **state)
{
	(void)state;
	CURL *h = curl_easy_init();
	struct reply r;
	char v[512];
	struct curl_slist *hdr = curl_slist_append(NULL, "Cookie: sid=abc; lang=en");
	request(h, "GET", "/echo/HN%2D1?q=%C4%91%C6%B0%E1%BB%9Dng+1", NULL, 0, hdr, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(buf_str(&r.body), "{\"id\":\"HN-1\",\"q\":\"đường "
	                                      "1\",\"lang\":\"en\",\"method\":\"GET\",\"client\":"
	                                      "\"127.0.0.1\",\"sid\":\"abc\",\"user\":null}");
	reply_release(&r);
	curl_slist_free_all(hdr);
	/* Set-Cookie and a redirect (not followed). */
	request(h, "POST", "/login", "", 0, NULL, &r);
	assert_int_equal(r.status, 303);
	assert_string_equal(header(&r, "Location", v, sizeof v), "/echo/me");
	assert_string_equal(header(&r, "Set-Cookie", v, sizeof v),
	                    "sid=s3cr3t; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict");
	reply_release(&r);
	/* The hook refuses, then lets through and hands the user to the handler. */
	request(h, "GET", "/private/1", NULL, 0, NULL, &r);
	assert_int_equal(r.status, 401);
	assert_string_equal(json_code(&r, "code", v, sizeof v), "unauthorized");
	reply_release(&r);
	hdr = curl_slist_append(NULL, "Authorization: Bearer ok");
	request(h, "GET", "/private/1", NULL, 0, hdr, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_code(&r, "user", v, sizeof v), "officer1");
	reply_release(&r);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
}

#define CLIENTS    8
#define PER_CLIENT 25

static atomic_int concurrent_ok;

static void *client(void *arg)
{
	int id = *(int *)arg;
	CURL *h = curl_easy_init();
	for (int i = 0; i < PER_CLIENT; i++) {
		char path[64], want[64];
		snprintf(path, sizeof path, "/echo/c%d-%d", id, i);
		snprintf(want, sizeof want, "\"id\":\"c%d-%d\"", id, i);
		struct reply r;
		request(h, "GET", path, NULL, 0, NULL, &r);
		if (r.rc == CURLE_OK && r.status == 200 && strstr(buf_str(&r.body), want))
			atomic_fetch_add(&concurrent_ok, 1);
		reply_release(&r);
	}
	curl_easy_cleanup(h);
	return NULL;
}

/* Reads metric line "NAME{LABELS} VALUE" of the /metrics page; -1 when absent. */
static long metric(const char *text, const char *series)
{
	size_t n = strlen(series);
	for (const char *p = text; (p = strstr(p, series)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && p[n] == ' ')
			return strtol(p + n + 1, NULL, 10);
	return -1;
}

static void test_concurrent_and_metrics(void **state)
{
	(void)state;
	pthread_t t[CLIENTS];
	int ids[CLIENTS];
	atomic_store(&concurrent_ok, 0);
	for (int i = 0; i < CLIENTS; i++) {
		ids[i] = i;
		assert_int_equal(pthread_create(&t[i], NULL, client, &ids[i]), 0);
	}
	for (int i = 0; i < CLIENTS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(atomic_load(&concurrent_ok), CLIENTS * PER_CLIENT);
	wait_idle(); /* the server may still be completing the last requests */
	CURL *h = curl_easy_init();
	struct reply r;
	char v[256];
	for (int i = 0; i < 3; i++) {
		request(h, "GET", "/healthz", NULL, 0, NULL, &r);
		reply_release(&r);
	}
	request(h, "GET", "/nope", NULL, 0, NULL, &r);
	reply_release(&r);
	request(h, "GET", "/metrics", NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(header(&r, "Content-Type", v, sizeof v),
	                    "text/plain; version=0.0.4; charset=utf-8");
	const char *text = buf_str(&r.body);
	assert_int_equal(metric(text, "motcua_http_requests_total{method=\"GET\",route=\"/echo/"
	                              "{id}\",class=\"2xx\"}"),
	                 CLIENTS * PER_CLIENT);
	assert_int_equal(metric(text, "motcua_http_request_duration_seconds_count{method=\"GET\","
	                              "route=\"/echo/{id}\"}"),
	                 CLIENTS * PER_CLIENT);
	assert_int_equal(metric(text, "motcua_http_requests_total{method=\"GET\",route=\"/"
	                              "healthz\",class=\"2xx\"}"),
	                 3);
	assert_int_equal(metric(text, "motcua_http_requests_total{method=\"any\",route="
	                              "\"unmatched\",class=\"4xx\"}"),
	                 1);
	assert_int_equal(metric(text, "motcua_http_errors_total{code=\"not_found\"}"), 1);
	assert_int_equal(metric(text, "motcua_http_requests_in_flight"), 1); /* this very request */
	assert_true(metric(text, "motcua_http_connections") >= 1);
	reply_release(&r);
	curl_easy_cleanup(h);
}

struct slow_client {
	struct reply r;
};

static void *slow_client_run(void *arg)
{
	struct slow_client *c = arg;
	CURL *h = curl_easy_init();
	request(h, "GET", "/slow", NULL, 0, NULL, &c->r);
	curl_easy_cleanup(h);
	return NULL;
}

static unsigned stop_left = 99;

static void *stopper(void *arg)
{
	stop_left = http_server_stop(arg, CAP_SECONDS * 1000);
	return NULL;
}

static void test_graceful_shutdown(void **state)
{
	(void)state;
	slow_entered = slow_release = false;
	char url[128];
	snprintf(url, sizeof url, "%s", http_server_url(srv));
	struct slow_client c;
	pthread_t tc, ts;
	assert_int_equal(pthread_create(&tc, NULL, slow_client_run, &c), 0);
	assert_true(wait_flag(&slow_entered));
	assert_int_equal(http_server_in_flight(srv), 1);
	/* Stop while the slow request is in its handler. */
	assert_true(http_server_accepting(srv));
	assert_int_equal(pthread_create(&ts, NULL, stopper, srv), 0);
	for (int i = 0; i < CAP_SECONDS * 500 && http_server_accepting(srv); i++) {
		struct timespec t = {0, 2000000};
		nanosleep(&t, NULL);
	}
	assert_false(http_server_accepting(srv));
	/* New connections are refused now. */
	CURL *h = curl_easy_init();
	char u[160];
	snprintf(u, sizeof u, "%s/healthz", url);
	curl_easy_setopt(h, CURLOPT_URL, u);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)CAP_SECONDS);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	struct buf sink = BUF_INIT(1 << 16);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
	assert_int_equal(curl_easy_perform(h), CURLE_COULDNT_CONNECT);
	curl_easy_cleanup(h);
	buf_release(&sink);
	/* The request in flight finishes normally, told to close its connection. */
	set_flag(&slow_release);
	pthread_join(tc, NULL);
	assert_int_equal(c.r.rc, CURLE_OK);
	assert_int_equal(c.r.status, 200);
	assert_string_equal(buf_str(&c.r.body), "{\"slow\":true}");
	char v[64];
	assert_string_equal(header(&c.r, "Connection", v, sizeof v), "close");
	reply_release(&c.r);
	pthread_join(ts, NULL);
	assert_int_equal(stop_left, 0);
	assert_int_equal(http_server_in_flight(srv), 0);
	assert_int_equal(http_server_port(srv), 0);
	assert_string_equal(http_server_url(srv), "");
	assert_int_equal(http_server_stop(srv, 0), 0); /* stopping twice is harmless */
}

static enum err_code check_fails(void *ctx, struct err *e)
{
	(void)ctx;
	return err_set(e, ERR_SCHEMA_BEHIND, "schema version %d, this program needs %d", 3, 5);
}

static enum err_code check_ok(void *ctx, struct err *e)
{
	(void)e;
	(*(int *)ctx)++;
	return ERR_OK;
}

static enum err_code health_busy(void *ctx, struct err *e)
{
	(void)ctx;
	return err_set(e, ERR_DB_BUSY, "database '%s' is locked", "var/motcua.db");
}

static void test_checks_and_health(void **state)
{
	(void)state;
	struct http_server_opts o = {"127.0.0.1:0", 2, 30, 16, 4096};
	struct http_server *s;
	struct err e;
	int runs = 0;
	/* A failing start check: the server refuses to start and listens nowhere. */
	assert_int_equal(http_server_new(&o, &s, &e), ERR_OK);
	assert_int_equal(http_server_add_check(s, "count", check_ok, &runs, &e), ERR_OK);
	assert_int_equal(http_server_add_check(s, "schema", check_fails, NULL, &e), ERR_OK);
	err_clear(&e);
	assert_int_equal(http_server_start(s, &e), ERR_SCHEMA_BEHIND);
	assert_string_equal(e.detail, "schema version 3, this program needs 5");
	assert_int_equal(runs, 1);
	assert_int_equal(http_server_port(s), 0);
	assert_false(http_server_accepting(s));
	http_server_free(s);
	/* Check limits. */
	assert_int_equal(http_server_new(&o, &s, &e), ERR_OK);
	for (int i = 0; i < HTTP_MAX_CHECKS; i++)
		assert_int_equal(http_server_add_check(s, "ok", check_ok, &runs, &e), ERR_OK);
	assert_int_equal(http_server_add_check(s, "ok", check_ok, &runs, &e), ERR_TOO_LONG);
	assert_int_equal(http_server_add_check(s, "x", NULL, NULL, &e), ERR_INVALID_ARGUMENT);
	/* Passing checks, a failing health check: /healthz answers 503 with the details. */
	assert_int_equal(http_server_add_health(s, "db", health_busy, NULL, &e), ERR_OK);
	assert_int_equal(http_server_start(s, &e), ERR_OK);
	assert_int_equal(runs, 1 + HTTP_MAX_CHECKS);
	assert_int_equal(http_server_start(s, &e), ERR_INVALID_ARGUMENT); /* started twice */
	static const struct http_route late[] = {{"GET", "/late", h_nothing, 0}};
	assert_int_equal(http_server_add_routes(s, late, 1, NULL, &e), ERR_INVALID_ARGUMENT);
	struct http_server *keep = srv;
	srv = s;
	CURL *h = curl_easy_init();
	struct reply r;
	request(h, "GET", "/healthz", NULL, 0, NULL, &r);
	assert_int_equal(r.status, 503);
	assert_string_equal(buf_str(&r.body),
	                    "{\"status\":\"fail\",\"checks\":{\"db\":{\"status\":\"fail\",\"code\":"
	                    "\"db_busy\",\"detail\":\"database 'var/motcua.db' is locked\"}}}");
	reply_release(&r);
	curl_easy_cleanup(h);
	srv = keep;
	http_server_free(s);
}

static void test_listen(void **state)
{
	(void)state;
	struct err e;
	struct http_server *s;
	static const char *bad[] = {"nohost",     "127.0.0.1:65536", "127.0.0.1:x",
	                            "127.0.0.1:", "[::1:80",         "::1:80",
	                            ":80",        "[]:80",           "no.such.host.invalid:80"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct http_server_opts o = {bad[i], 1, 30, 16, 4096};
		if (http_server_new(&o, &s, &e) != ERR_CONFIG_INVALID)
			fail_msg("listen address '%s' was accepted", bad[i]);
	}
	struct http_server_opts zero = {"127.0.0.1:0", 0, 30, 16, 4096};
	assert_int_equal(http_server_new(&zero, &s, &e), ERR_INVALID_ARGUMENT);
	/* Two servers side by side on ephemeral ports; a third on a taken port fails. */
	struct http_server *a = start("127.0.0.1:0", &e), *b = start("localhost:0", &e);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_not_equal(http_server_port(a), http_server_port(b));
	char taken[64];
	snprintf(taken, sizeof taken, "127.0.0.1:%u", (unsigned)http_server_port(a));
	struct http_server_opts o = {taken, 1, 30, 16, 4096};
	assert_int_equal(http_server_new(&o, &s, &e), ERR_OK);
	err_clear(&e);
	assert_int_equal(http_server_start(s, &e), ERR_IO);
	assert_non_null(strstr(e.detail, "cannot listen on '127.0.0.1:"));
	http_server_free(s);
	/* Both answer. */
	struct http_server *keep = srv;
	CURL *h = curl_easy_init();
	struct reply r;
	srv = a;
	request(h, "GET", "/healthz", NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	srv = b;
	request(h, "GET", "/healthz", NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	/* IPv6 loopback, when this machine has one. */
	s = start("[::1]:0", &e);
	if (s) {
		assert_true(str_has_prefix(http_server_url(s), "http://[::1]:"));
		srv = s;
		request(h, "GET", "/healthz", NULL, 0, NULL, &r);
		assert_int_equal(r.status, 200);
		reply_release(&r);
		http_server_free(s);
	} else {
		assert_int_equal(e.code, ERR_IO);
		printf("# IPv6 loopback not available: %s\n", e.detail);
	}
	srv = keep;
	curl_easy_cleanup(h);
	http_server_free(a);
	http_server_free(b);
}

/* Connects a raw socket to port; returns the descriptor. */
static int raw_connect(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	struct timeval tv = {CAP_SECONDS, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	return fd;
}

/* Reads until EOF or error; returns the bytes read, -1 when the cap ran out first. */
static long read_to_end(int fd)
{
	char chunk[4096];
	long total = 0;
	for (;;) {
		ssize_t n = recv(fd, chunk, sizeof chunk, 0);
		if (n > 0) {
			total += n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return -1;
		return total;
	}
}

/* The value of a metric without labels in the server's /metrics text; -1 when absent. */
static long server_metric(struct http_server *s, const char *name)
{
	struct buf b = BUF_INIT(1 << 20);
	struct err e;
	assert_int_equal(http_metrics_render(http_server_metrics(s), &b, &e), ERR_OK);
	long v = metric(buf_str(&b), name);
	buf_release(&b);
	return v;
}

static void test_limits(void **state)
{
	(void)state;
	struct err e;
	/* One thread, two connections at most, one second of idleness. */
	struct http_server_opts o = {"127.0.0.1:0", 1, 1, 2, 4096};
	struct http_server *s;
	assert_int_equal(http_server_new(&o, &s, &e), ERR_OK);
	assert_int_equal(http_server_start(s, &e), ERR_OK);
	uint16_t port = http_server_port(s);
	int a = raw_connect(port), b = raw_connect(port);
	assert_int_equal(send(a, "GET /heal", 9, MSG_NOSIGNAL), 9);
	assert_int_equal(send(b, "GET /heal", 9, MSG_NOSIGNAL), 9);
	for (int i = 0; i < CAP_SECONDS * 500 && server_metric(s, "motcua_http_connections") < 2;
	     i++) {
		struct timespec t = {0, 2000000};
		nanosleep(&t, NULL);
	}
	assert_int_equal(server_metric(s, "motcua_http_connections"), 2);
	/* A third connection waits (libmicrohttpd leaves it in the listen backlog):
	 * no answer comes while both slots are taken. (The short poll is no timing
	 * assertion: a correct server never answers here, however long we wait.) */
	int c = raw_connect(port);
	static const char full[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	assert_int_equal(send(c, full, strlen(full), MSG_NOSIGNAL), (ssize_t)strlen(full));
	struct pollfd p = {c, POLLIN, 0};
	assert_int_equal(poll(&p, 1, 300), 0);
	assert_int_equal(server_metric(s, "motcua_http_connections"), 2);
	/* The first finishes its request and is answered; its slot goes to the third. */
	static const char rest[] = "thz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	assert_int_equal(send(a, rest, strlen(rest), MSG_NOSIGNAL), (ssize_t)strlen(rest));
	char head[13] = {0};
	assert_int_equal(recv(a, head, 12, MSG_WAITALL), 12);
	assert_string_equal(head, "HTTP/1.1 200");
	close(a);
	memset(head, 0, sizeof head);
	assert_int_equal(recv(c, head, 12, MSG_WAITALL), 12);
	assert_string_equal(head, "HTTP/1.1 200");
	close(c);
	/* The idle one is closed by the server after the connection timeout. */
	assert_true(read_to_end(b) >= 0);
	close(b);
	http_server_free(s);
}

static void test_opts_from_config(void **state)
{
	(void)state;
	struct config cfg;
	struct err e;
	config_defaults(&cfg);
	assert_int_equal(config_set(&cfg, "threads", "7", CONFIG_FROM_ENV, &e), ERR_OK);
	assert_int_equal(config_set(&cfg, "max_body_bytes", "2048", CONFIG_FROM_ENV, &e), ERR_OK);
	struct http_server_opts o;
	http_server_opts_from_config(&o, &cfg);
	assert_string_equal(o.listen, "127.0.0.1:8080");
	assert_int_equal(o.threads, 7);
	assert_int_equal(o.connection_timeout, 30);
	assert_int_equal(o.max_connections, 1000);
	assert_int_equal(o.max_body_bytes, 2048);
	assert_int_equal(config_set(&cfg, "threads", "0", CONFIG_FROM_ENV, &e), ERR_CONFIG_INVALID);
	assert_int_equal(config_set(&cfg, "max_body_bytes", "10", CONFIG_FROM_ENV, &e),
	                 ERR_CONFIG_INVALID);
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	log_set_level(LOG_ERROR);
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_keep_alive, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_body_cap, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_raw_protocol, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_request_data, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_concurrent_and_metrics, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_graceful_shutdown, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_checks_and_health, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_listen, setup, teardown),
	        cmocka_unit_test(test_limits),
	        cmocka_unit_test(test_opts_from_config),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
