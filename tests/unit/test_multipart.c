/*
 * Tests of http/multipart and of the streamed bodies of http/server: a real
 * server in this process on 127.0.0.1 with an ephemeral port, spoken to
 * with raw sockets, so that every byte of the body is the test's.
 * What is expected comes from RFC 7578 (multipart/form-data: parts named by
 * Content-Disposition, a file part carries a filename), RFC 2046 section
 * 5.1.1 (the boundary, the closing "--boundary--"), RFC 6266 and RFC 8187
 * (Content-Disposition with filename*=UTF-8''...), and from the contracts
 * in router.h and multipart.h (one error kept, the rest of the body
 * drained, the handler answering it). Nothing asserts a time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/str.h"
#include "http/multipart.h"
#include "http/server.h"
#include "multipart_fixture.h"

#define BOUNDARY "----motcua-test-7MA4YWxkTrZu0gW"

/* What a stream saw (one request at a time in these tests). */
struct seen {
	struct buf file;
	char filename[256];
	char content_type[64];
	int ends;
};

static struct seen seen;
static struct buf expect; /* the file's bytes of the last body made */

static enum err_code t_file_begin(void *ctx, const struct multipart_file *f, struct err *e)
{
	struct seen *s = ctx;
	(void)e;
	str_copy(s->filename, sizeof s->filename, f->filename);
	str_copy(s->content_type, sizeof s->content_type, f->content_type ? f->content_type : "");
	buf_reset(&s->file);
	return ERR_OK;
}

static enum err_code t_file_data(void *ctx, const char *data, size_t n, struct err *e)
{
	struct seen *s = ctx;
	if (buf_append(&s->file, data, n) != 0)
		return err_set(e, ERR_PAYLOAD_TOO_LARGE, "file too large for the test");
	return ERR_OK;
}

static enum err_code t_file_end(void *ctx, struct err *e)
{
	(void)e;
	struct seen *s = ctx;
	s->ends++;
	return ERR_OK;
}

static const struct multipart_ops ops = {t_file_begin, t_file_data, t_file_end};

static enum err_code s_begin(struct http_request *req, void *ctx, size_t *max_body, struct err *e)
{
	(void)ctx;
	const char *cap = http_request_query(req, "cap");
	int64_t v;
	if (cap && str_parse_int64(cap, 1, 1 << 30, &v) == 0)
		*max_body = (size_t)v;
	return multipart_begin(req, &ops, &seen, &mpfx_parser, e);
}

static const struct http_stream stream = {s_begin, mpfx_data, mpfx_end};

static void h_upload(struct http_request *req, struct http_response *res, void *ctx)
{
	(void)ctx;
	if (req->stream_rc != ERR_OK) {
		http_response_err(res, &req->stream_err);
		return;
	}
	json_t *o = json_object();
	const char *a = multipart_field(mpfx_parser, "a");
	const char *b = multipart_field(mpfx_parser, "b");
	json_object_set_new(o, "a", a ? json_string(a) : json_null());
	json_object_set_new(o, "b", b ? json_string(b) : json_null());
	json_object_set_new(o, "files",
	                    json_integer((json_int_t)multipart_file_count(mpfx_parser)));
	json_object_set_new(o, "bytes", json_integer((json_int_t)seen.file.len));
	json_object_set_new(o, "streamed", json_integer((json_int_t)req->streamed));
	json_object_set_new(o, "body_kept", json_integer((json_int_t)req->body.len));
	http_response_json(res, 200, o);
}

static void h_plain(struct http_request *req, struct http_response *res, void *ctx)
{
	(void)ctx;
	json_t *o = json_object();
	json_object_set_new(o, "len", json_integer((json_int_t)req->body.len));
	http_response_json(res, 200, o);
}

static const struct http_route routes[] = {
        {"POST", "/upload", h_upload, 4096, &stream},
        {"POST", "/plain", h_plain, 4096, NULL},
};

static struct http_server *srv;

static int setup(void **state)
{
	(void)state;
	log_set_level(LOG_ERROR);
	struct http_server_opts o = {"127.0.0.1:0", 2, 10, 64, 1 << 20};
	struct err e;
	assert_int_equal(http_server_new(&o, &srv, &e), ERR_OK);
	assert_int_equal(http_server_add_routes(srv, routes, 2, NULL, &e), ERR_OK);
	assert_int_equal(http_server_start(srv, &e), ERR_OK);
	buf_init(&seen.file, 1 << 20);
	buf_init(&expect, 1 << 20);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	http_server_free(srv);
	buf_release(&seen.file);
	buf_release(&expect);
	return 0;
}

/* Sends head and body on a new connection (Connection: close) and reads the answer. */
static int exchange(const char *head, const void *body, size_t blen, struct buf *answer)
{
	int fd = mpfx_send(http_server_port(srv), 20, head, strlen(head), body, blen);
	assert_true(fd >= 0);
	buf_reset(answer);
	char chunk[4096];
	ssize_t r;
	while ((r = read(fd, chunk, sizeof chunk)) > 0)
		buf_append(answer, chunk, (size_t)r);
	close(fd);
	int status = 0;
	sscanf(buf_str(answer), "HTTP/1.1 %d", &status);
	return status;
}

/* POSTs body as multipart/form-data to path; returns the status, the answer in *answer. */
static int post(const char *path, const char *ctype, const void *body, size_t blen,
                struct buf *answer)
{
	char head[512];
	snprintf(head, sizeof head,
	         "POST %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: %s\r\n"
	         "Content-Length: %zu\r\n\r\n",
	         path, ctype, blen);
	return exchange(head, body, blen, answer);
}

static const char *json_of(struct buf *answer)
{
	const char *s = strstr(buf_str(answer), "\r\n\r\n");
	return s ? s + 4 : "";
}

/* A body with fields a and b and one file of n bytes (every byte value, and CR LF "--" inside). */
static void make_body(struct buf *b, size_t n, bool close)
{
	buf_reset(&expect);
	buf_reset(b);
	buf_printf(b, "--" BOUNDARY
	              "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nđây là a\r\n"
	              "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n\r\n"
	              "--" BOUNDARY
	              "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../x.pdf\"\r\n"
	              "Content-Type: application/pdf\r\n\r\n");
	for (size_t i = 0; i < n; i++) {
		char c = (char)(i % 256);
		if (i % 1000 == 999) {
			buf_append(b, "\r\n--", 4);
			buf_append(&expect, "\r\n--", 4);
		} else {
			buf_append(b, &c, 1);
			buf_append(&expect, &c, 1);
		}
	}
	if (close)
		buf_printf(b, "\r\n--" BOUNDARY "--\r\n");
}

#define MP "multipart/form-data; boundary=" BOUNDARY

/* The parts come back exactly: fields, the file's bytes (binary, CR LF and "--" inside). */
static void test_round_trip(void **state)
{
	(void)state;
	struct buf body = BUF_INIT(1 << 20), ans = BUF_INIT(1 << 20);
	seen.ends = 0;
	make_body(&body, 3000, true);
	assert_int_equal(post("/upload", MP, body.data, body.len, &ans), 200);
	json_t *j = json_loads(json_of(&ans), 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "a")), "đây là a");
	assert_string_equal(json_string_value(json_object_get(j, "b")), "");
	assert_int_equal(json_integer_value(json_object_get(j, "files")), 1);
	assert_int_equal(json_integer_value(json_object_get(j, "bytes")), (json_int_t)expect.len);
	assert_int_equal(json_integer_value(json_object_get(j, "streamed")), (json_int_t)body.len);
	assert_int_equal(json_integer_value(json_object_get(j, "body_kept")), 0); /* streamed */
	json_decref(j);
	assert_int_equal(seen.ends, 1);
	assert_string_equal(seen.filename, "../x.pdf"); /* as sent: the service cleans it */
	assert_string_equal(seen.content_type, "application/pdf");
	assert_int_equal(seen.file.len, expect.len);
	assert_memory_equal(seen.file.data, expect.data, expect.len);
	buf_release(&body);
	buf_release(&ans);
}

/* A body cut before its closing boundary is refused and its file never ends. */
static void test_truncated(void **state)
{
	(void)state;
	struct buf body = BUF_INIT(1 << 20), ans = BUF_INIT(1 << 20);
	seen.ends = 0;
	make_body(&body, 2000, false);
	assert_int_equal(post("/upload", MP, body.data, body.len, &ans), 400);
	assert_non_null(strstr(json_of(&ans), "\"invalid_argument\""));
	assert_int_equal(seen.ends, 0);
	buf_release(&body);
	buf_release(&ans);
}

/* Another media type: 415 before any byte is parsed; no boundary: 400. */
static void test_media_type(void **state)
{
	(void)state;
	struct buf ans = BUF_INIT(1 << 20);
	assert_int_equal(post("/upload", "application/json", "{}", 2, &ans), 415);
	assert_non_null(strstr(json_of(&ans), "\"unsupported_media_type\""));
	assert_int_equal(post("/upload", "multipart/form-data", "x", 1, &ans), 400);
	buf_release(&ans);
}

/* Over the stream's cap (set by begin): 413, announced or discovered while streaming. */
static void test_cap(void **state)
{
	(void)state;
	struct buf body = BUF_INIT(1 << 20), ans = BUF_INIT(1 << 20);
	make_body(&body, 5000, true);
	assert_int_equal(post("/upload?cap=2000", MP, body.data, body.len, &ans), 413);
	assert_non_null(strstr(json_of(&ans), "\"payload_too_large\""));
	/* chunked: the length is not announced, the cap is found while streaming */
	char head[512];
	snprintf(head, sizeof head,
	         "POST /upload?cap=2000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
	         "Content-Type: " MP "\r\nTransfer-Encoding: chunked\r\n\r\n%zx\r\n",
	         body.len);
	struct buf chunked = BUF_INIT(1 << 20);
	buf_append(&chunked, body.data, body.len);
	buf_printf(&chunked, "\r\n0\r\n\r\n");
	assert_int_equal(exchange(head, chunked.data, chunked.len, &ans), 413);
	/* the route's own cap (4096) without begin changing it */
	assert_int_equal(post("/upload", MP, body.data, body.len, &ans), 413);
	buf_release(&chunked);
	buf_release(&body);
	buf_release(&ans);
}

/* Limits of the parser: a field value above MULTIPART_VALUE_MAX, two files. */
static void test_limits(void **state)
{
	(void)state;
	struct buf body = BUF_INIT(1 << 20), ans = BUF_INIT(1 << 20);
	buf_printf(&body, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n");
	for (size_t i = 0; i < MULTIPART_VALUE_MAX + 1; i++)
		buf_putc(&body, 'x');
	buf_printf(&body, "\r\n--" BOUNDARY "--\r\n");
	assert_int_equal(post("/upload?cap=100000", MP, body.data, body.len, &ans), 400);
	assert_non_null(strstr(json_of(&ans), "\"too_long\""));
	buf_reset(&body);
	for (int k = 0; k < MULTIPART_MAX_FILES + 1; k++)
		buf_printf(&body,
		           "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"f\"; "
		           "filename=\"f%d\"\r\n\r\nabc\r\n",
		           k);
	buf_printf(&body, "--" BOUNDARY "--\r\n");
	assert_int_equal(post("/upload?cap=100000", MP, body.data, body.len, &ans), 400);
	assert_non_null(strstr(json_of(&ans), "\"too_long\""));
	/* a field that is not UTF-8 */
	buf_reset(&body);
	buf_printf(&body,
	           "--" BOUNDARY
	           "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xff\xfe\r\n--" BOUNDARY
	           "--\r\n");
	assert_int_equal(post("/upload", MP, body.data, body.len, &ans), 400);
	buf_release(&body);
	buf_release(&ans);
}

/* Routes without a stream keep their body in req->body as before. */
static void test_plain_route(void **state)
{
	(void)state;
	struct buf ans = BUF_INIT(1 << 20);
	assert_int_equal(post("/plain", "text/plain", "hello", 5, &ans), 200);
	assert_non_null(strstr(json_of(&ans), "\"len\":5"));
	buf_release(&ans);
}

/* RFC 6266 / RFC 8187: quoted ASCII fallback and the UTF-8 name percent-encoded. */
static void test_content_disposition(void **state)
{
	(void)state;
	char out[512];
	assert_int_equal(http_content_disposition(out, sizeof out, "attachment", "Tờ khai.pdf"), 0);
	assert_string_equal(
	        out,
	        "attachment; filename=\"T_ khai.pdf\"; filename*=UTF-8''T%E1%BB%9D%20khai.pdf");
	assert_int_equal(http_content_disposition(out, sizeof out, "inline", "a\"b\\c;d.png"), 0);
	assert_string_equal(out,
	                    "inline; filename=\"a_b_c;d.png\"; filename*=UTF-8''a%22b%5Cc%3Bd.png");
	assert_int_equal(http_content_disposition(out, 20, "attachment", "long-name.pdf"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_round_trip),
	        cmocka_unit_test(test_truncated),
	        cmocka_unit_test(test_media_type),
	        cmocka_unit_test(test_cap),
	        cmocka_unit_test(test_limits),
	        cmocka_unit_test(test_plain_route),
	        cmocka_unit_test(test_content_disposition),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
