/*
 * Fuzz target of http/multipart: every input is sent as the body of a
 * multipart/form-data POST to a server started once in this process (the
 * parser is libmicrohttpd's post processor, which needs a connection), whose
 * streamed route parses it with multipart_*; the handler checks what the
 * parser handed over: fields are valid UTF-8 within their limits, file
 * bytes never exceed the body, file_end only after a complete body. The
 * same bytes also go to the display-name cleaner and to
 * http_content_disposition(), whose output must be one header-safe line.
 * Any violation aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/str.h"
#include "http/multipart.h"
#include "http/server.h"
#include "service/files.h"

#include "../unit/multipart_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BOUNDARY "fuzzboundary"

struct seen {
	uint64_t file_bytes;
	int ends;
	int begins;
};

static struct seen seen; /* one request at a time: the fuzzer is sequential */

static enum err_code f_begin(void *ctx, const struct multipart_file *f, struct err *e)
{
	(void)e;
	struct seen *s = ctx;
	if (!f->field || !f->filename || strlen(f->field) > MULTIPART_NAME_MAX)
		abort();
	s->begins++;
	return ERR_OK;
}

static enum err_code f_data(void *ctx, const char *d, size_t n, struct err *e)
{
	(void)d;
	(void)e;
	struct seen *s = ctx;
	s->file_bytes += n;
	return ERR_OK;
}

static enum err_code f_end(void *ctx, struct err *e)
{
	(void)e;
	struct seen *s = ctx;
	s->ends++;
	return ERR_OK;
}

static const struct multipart_ops ops = {f_begin, f_data, f_end};

static enum err_code s_begin(struct http_request *req, void *ctx, size_t *max_body, struct err *e)
{
	(void)ctx;
	(void)max_body;
	memset(&seen, 0, sizeof seen);
	mpfx_parser = NULL;
	return multipart_begin(req, &ops, &seen, &mpfx_parser, e);
}

static const struct http_stream stream = {s_begin, mpfx_data, mpfx_end};

static void h_upload(struct http_request *req, struct http_response *res, void *ctx)
{
	(void)ctx;
	if (seen.file_bytes > req->streamed)
		abort();
	if (req->stream_rc == ERR_OK) {
		const struct http_params *f = multipart_fields(mpfx_parser);
		if (f->n > MULTIPART_MAX_FIELDS || seen.ends != seen.begins)
			abort();
		for (size_t i = 0; i < f->n; i++)
			if (!str_valid_utf8(f->items[i].value, MULTIPART_VALUE_MAX + 1))
				abort();
	}
	http_response_text(res, req->stream_rc == ERR_OK ? 200 : 400, "text/plain", "x");
}

static const struct http_route routes[] = {
        {"POST", "/upload", h_upload, 1 << 20, &stream},
};

static struct http_server *srv;

static void start(void)
{
	log_set_level(LOG_ERROR);
	struct http_server_opts o = {"127.0.0.1:0", 1, 10, 16, 1 << 20};
	struct err e;
	if (http_server_new(&o, &srv, &e) != ERR_OK ||
	    http_server_add_routes(srv, routes, 1, NULL, &e) != ERR_OK ||
	    http_server_start(srv, &e) != ERR_OK)
		abort();
}

static void send_body(const uint8_t *data, size_t size)
{
	char head[256];
	int n = snprintf(head, sizeof head,
	                 "POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
	                 "Content-Type: multipart/form-data; boundary=" BOUNDARY
	                 "\r\nContent-Length: %zu\r\n\r\n",
	                 size);
	int fd = mpfx_send(http_server_port(srv), 10, head, (size_t)n, data, size);
	if (fd < 0)
		abort();
	char buf[1024];
	while (read(fd, buf, sizeof buf) > 0) {
	}
	close(fd);
}

/* The display name and the header made of the same bytes. */
static void check_names(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return;
	memcpy(s, data, size);
	s[size] = '\0';
	char name[256];
	files_display_name(s, name, sizeof name);
	if (!name[0] || strchr(name, '/') || strchr(name, '\\') ||
	    !str_valid_utf8(name, sizeof name))
		abort();
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			abort();
	char disp[1024];
	if (http_content_disposition(disp, sizeof disp, "attachment", name) == 0)
		for (const unsigned char *p = (const unsigned char *)disp; *p; p++)
			if (*p < 0x20 || *p >= 0x7f)
				abort();
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!srv)
		start();
	check_names(data, size);
	send_body(data, size);
	return 0;
}
