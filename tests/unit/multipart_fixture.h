/*
 * multipart_fixture: what the unit tests of http/multipart and its fuzz
 * target share: the data and end callbacks of a streamed route, which feed
 * the body to the parser of the request being streamed (mpfx_parser; one
 * request at a time), and a loopback client that sends a request's head and
 * body to the server under test. Included by tests/unit/test_multipart.c and
 * tests/fuzz/fuzz_multipart.c only.
 */
#ifndef MOTCUA_TESTS_MULTIPART_FIXTURE_H
#define MOTCUA_TESTS_MULTIPART_FIXTURE_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "http/multipart.h"
#include "http/server.h"

/* The parser of the request being streamed (set by the route's begin). */
static struct multipart *mpfx_parser;

static inline enum err_code mpfx_data(struct http_request *req, void *ctx, const char *data,
                                      size_t n, struct err *e)
{
	(void)req;
	(void)ctx;
	return multipart_feed(mpfx_parser, data, n, e);
}

static inline enum err_code mpfx_end(struct http_request *req, void *ctx, struct err *e)
{
	(void)req;
	(void)ctx;
	return multipart_finish(mpfx_parser, e);
}

/* Connects to 127.0.0.1:port (reads time out after timeout_s seconds), writes
 * the head whole and then as much of the body as the server takes (it may
 * close early: its answer can still be read). Returns the socket, for the
 * caller to read the answer from and close, or -1 when the connection or the
 * head failed. */
static inline int mpfx_send(uint16_t port, int timeout_s, const char *head, size_t hlen,
                            const void *body, size_t blen)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct timeval tv = {timeout_s, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
	    write(fd, head, hlen) != (ssize_t)hlen) {
		close(fd);
		return -1;
	}
	size_t off = 0;
	while (off < blen) {
		ssize_t w = write(fd, (const char *)body + off, blen - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	return fd;
}

#endif
