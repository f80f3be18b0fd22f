/*
 * Unit tests for http/router: pattern checks, matching by method and path
 * segments with captures, specificity (a literal beats a capture, a capture
 * beats a rest capture), 404 and 405 with the Allow list (RFC 9110 section
 * 15.5.6: a 405 response lists the methods the target supports), HEAD served
 * by GET routes (RFC 9110 section 9.3.2: HEAD is GET without the content).
 * The expected values are the contract written in router.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/request.h"
#include "http/router.h"

/* Handlers are only compared by address here. */
static void h_list(struct http_request *req, struct http_response *res, void *ctx)
{
	(void)req, (void)res, (void)ctx;
}
static void h_get(struct http_request *req, struct http_response *res, void *ctx)
{
	(void)req, (void)res, (void)ctx;
}
static void h_search(struct http_request *req, struct http_response *res, void *ctx)
{
	(void)req, (void)res, (void)ctx;
}
static void h_action(struct http_request *req, struct http_response *res, void *ctx)
{
	(void)req, (void)res, (void)ctx;
}
static void h_static(struct http_request *req, struct http_response *res, void *ctx)
{
	(void)req, (void)res, (void)ctx;
}
static void h_other(struct http_request *req, struct http_response *res, void *ctx)
{
	(void)req, (void)res, (void)ctx;
}

static const struct http_route api[] = {
        {"GET", "/api/v1/dossiers", h_list, 0},
        {"POST", "/api/v1/dossiers", h_other, 4096},
        {"GET", "/api/v1/dossiers/{id}", h_get, 0},
        {"GET", "/api/v1/dossiers/search", h_search, 0},
        {"POST", "/api/v1/dossiers/{id}/{action}", h_action, 0},
        {"DELETE", "/api/v1/dossiers/{id}", h_other, 0},
};

static const struct http_route web[] = {
        {"GET", "/", h_other, 0},
        {"GET", "/static/{file*}", h_static, 0},
        {"GET", "/static/app.js", h_get, 0},
        {"GET", "/a/{x}/b", h_get, 0},
        {"GET", "/a/{rest*}", h_static, 0},
        {"HEAD", "/head-only", h_other, 0},
        {"GET", "/head-only", h_get, 0},
};

static int api_ctx, web_ctx;
static struct http_router *router;
static struct http_request req;
static struct http_match m;

static int setup(void **state)
{
	(void)state;
	struct err e;
	router = http_router_new();
	assert_non_null(router);
	assert_int_equal(http_router_add(router, api, sizeof api / sizeof api[0], &api_ctx, &e),
	                 ERR_OK);
	assert_int_equal(http_router_add(router, web, sizeof web / sizeof web[0], &web_ctx, &e),
	                 ERR_OK);
	http_request_init(&req, 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	http_request_release(&req);
	http_router_free(router);
	return 0;
}

/* Matches method and target; returns the match status. */
static enum http_match_status match(const char *method, const char *target)
{
	struct err e;
	http_request_release(&req);
	assert_int_equal(http_request_set_method(&req, method, &e), ERR_OK);
	assert_int_equal(http_request_set_target(&req, target, &e), ERR_OK);
	assert_int_equal(http_router_match(router, &req, &m, &e), ERR_OK);
	return m.status;
}

static void test_literal_and_captures(void **state)
{
	(void)state;
	assert_int_equal(http_router_count(router), 13);
	assert_int_equal(match("GET", "/api/v1/dossiers"), HTTP_MATCH_OK);
	assert_ptr_equal(m.route->handler, h_list);
	assert_ptr_equal(m.ctx, &api_ctx);
	assert_int_equal(m.index, 0);
	assert_ptr_equal(req.route, m.route);
	assert_int_equal(req.captures.n, 0);

	assert_int_equal(match("POST", "/api/v1/dossiers"), HTTP_MATCH_OK);
	assert_int_equal(m.index, 1);
	assert_int_equal(m.route->max_body, 4096);

	/* The capture's value is the decoded segment. */
	assert_int_equal(match("GET", "/api/v1/dossiers/HN%2D250425%2D0001?x=1"), HTTP_MATCH_OK);
	assert_ptr_equal(m.route->handler, h_get);
	assert_string_equal(http_request_param(&req, "id"), "HN-250425-0001");
	assert_null(http_request_param(&req, "action"));

	assert_int_equal(match("POST", "/api/v1/dossiers/42/accept"), HTTP_MATCH_OK);
	assert_ptr_equal(m.route->handler, h_action);
	assert_int_equal(req.captures.n, 2);
	assert_string_equal(http_request_param(&req, "id"), "42");
	assert_string_equal(http_request_param(&req, "action"), "accept");

	/* The root, and a trailing slash ignored. */
	assert_int_equal(match("GET", "/"), HTTP_MATCH_OK);
	assert_ptr_equal(m.ctx, &web_ctx);
	assert_int_equal(match("GET", "/api/v1/dossiers/"), HTTP_MATCH_OK);
	assert_ptr_equal(m.route->handler, h_list);
}

static void test_specificity(void **state)
{
	(void)state;
	/* A literal beats a capture, whatever the order of the table. */
	assert_int_equal(match("GET", "/api/v1/dossiers/search"), HTTP_MATCH_OK);
	assert_ptr_equal(m.route->handler, h_search);
	assert_int_equal(match("GET", "/static/app.js"), HTTP_MATCH_OK);
	assert_ptr_equal(m.route->handler, h_get);
	/* The rest capture takes one or more segments, joined by '/'. */
	assert_int_equal(match("GET", "/static/css/site%20main.css"), HTTP_MATCH_OK);
	assert_ptr_equal(m.route->handler, h_static);
	assert_string_equal(http_request_param(&req, "file"), "css/site main.css");
	assert_int_equal(match("GET", "/static/x"), HTTP_MATCH_OK);
	assert_string_equal(http_request_param(&req, "file"), "x");
	assert_int_equal(match("GET", "/static"), HTTP_MATCH_NOT_FOUND);
	/* A capture beats a rest capture at the same position. */
	assert_int_equal(match("GET", "/a/1/b"), HTTP_MATCH_OK);
	assert_ptr_equal(m.route->handler, h_get);
	assert_string_equal(http_request_param(&req, "x"), "1");
	assert_int_equal(match("GET", "/a/1/c"), HTTP_MATCH_OK);
	assert_ptr_equal(m.route->handler, h_static);
	assert_string_equal(http_request_param(&req, "rest"), "1/c");
	assert_int_equal(match("GET", "/a/1/b/c"), HTTP_MATCH_OK);
	assert_ptr_equal(m.route->handler, h_static);
}

static void test_not_found_and_method(void **state)
{
	(void)state;
	assert_int_equal(match("GET", "/nope"), HTTP_MATCH_NOT_FOUND);
	assert_null(req.route);
	assert_int_equal(match("GET", "/api/v1"), HTTP_MATCH_NOT_FOUND);
	assert_int_equal(match("GET", "/api/v1/dossiers/1/accept/extra"), HTTP_MATCH_NOT_FOUND);
	assert_int_equal(match("GET", "/API/v1/dossiers"),
	                 HTTP_MATCH_NOT_FOUND); /* case-sensitive */
	/* Path known, method not: 405 with the methods of every route of the path. */
	assert_int_equal(match("PUT", "/api/v1/dossiers"), HTTP_MATCH_METHOD);
	assert_string_equal(m.allow, "GET, HEAD, POST");
	assert_null(m.route);
	assert_int_equal(match("PATCH", "/api/v1/dossiers/7"), HTTP_MATCH_METHOD);
	assert_string_equal(m.allow, "GET, HEAD, DELETE");
	assert_int_equal(match("GET", "/api/v1/dossiers/7/accept"), HTTP_MATCH_METHOD);
	assert_string_equal(m.allow, "POST");
	assert_int_equal(match("get", "/api/v1/dossiers"),
	                 HTTP_MATCH_METHOD); /* methods are case-sensitive */
}

static void test_head(void **state)
{
	(void)state;
	/* HEAD is served by the GET route ... */
	assert_int_equal(match("HEAD", "/api/v1/dossiers/9"), HTTP_MATCH_OK);
	assert_ptr_equal(m.route->handler, h_get);
	assert_string_equal(http_request_param(&req, "id"), "9");
	assert_int_equal(match("HEAD", "/api/v1/dossiers/search"), HTTP_MATCH_OK);
	assert_ptr_equal(m.route->handler, h_search);
	/* ... unless the path has its own HEAD route. */
	assert_int_equal(match("HEAD", "/head-only"), HTTP_MATCH_OK);
	assert_string_equal(m.route->method, "HEAD");
	assert_int_equal(match("POST", "/head-only"), HTTP_MATCH_METHOD);
	assert_string_equal(m.allow, "HEAD, GET");
	/* No GET route: HEAD is not allowed. */
	assert_int_equal(match("HEAD", "/api/v1/dossiers/1/accept"), HTTP_MATCH_METHOD);
	assert_string_equal(m.allow, "POST");
}

static void test_bad_patterns(void **state)
{
	(void)state;
	static const char *bad[] = {
	        "",          "api",     "/api/",      "//",
	        "/a//b",     "/{}",     "/{ID}",      "/{id",
	        "/id}",      "/{a-b}",  "/{rest*}/x", "/{x}/{x}",
	        "/{x}/{x*}", "/a b",    "/a%20b",     "/a?b",
	        "/a#b",      "/..",     "/.",         "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}",
	        "/{*}",      "/x/{y}*",
	};
	struct http_router *r = http_router_new();
	struct err e;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct http_route rt = {"GET", bad[i], h_get, 0};
		err_clear(&e);
		if (http_router_add(r, &rt, 1, NULL, &e) != ERR_INVALID_ARGUMENT)
			fail_msg("pattern '%s' was accepted", bad[i]);
		assert_non_null(strstr(e.detail, "pattern"));
	}
	/* Eight captures are allowed. */
	struct http_route eight = {"GET", "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}", h_get, 0};
	assert_int_equal(http_router_add(r, &eight, 1, NULL, &e), ERR_OK);
	/* Methods: upper-case tokens only; a handler is required. */
	struct http_route lower = {"get", "/m", h_get, 0};
	assert_int_equal(http_router_add(r, &lower, 1, NULL, &e), ERR_INVALID_ARGUMENT);
	struct http_route none = {NULL, "/m", h_get, 0};
	assert_int_equal(http_router_add(r, &none, 1, NULL, &e), ERR_INVALID_ARGUMENT);
	struct http_route nohandler = {"GET", "/m", NULL, 0};
	assert_int_equal(http_router_add(r, &nohandler, 1, NULL, &e), ERR_INVALID_ARGUMENT);
	struct http_route nopattern = {"GET", NULL, h_get, 0};
	assert_int_equal(http_router_add(r, &nopattern, 1, NULL, &e), ERR_INVALID_ARGUMENT);
	/* A route of the same method and shape, even with other capture names, is refused,
	 * and a failing table adds nothing (the good route before it included). */
	struct http_route dup[] = {
	        {"GET", "/fine", h_get, 0},
	        {"GET", "/{z}/{y}/{x}/{w}/{v}/{u}/{t}/{s}", h_get, 0},
	};
	size_t before = http_router_count(r);
	assert_int_equal(http_router_add(r, dup, 2, NULL, &e), ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(e.detail, "duplicates"));
	assert_int_equal(http_router_count(r), before);
	/* The same pattern with another method is fine. */
	struct http_route other = {"POST", "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}", h_get, 0};
	assert_int_equal(http_router_add(r, &other, 1, NULL, &e), ERR_OK);
	assert_int_equal(http_router_count(r), before + 1);
	http_router_free(r);
	http_router_free(NULL);
}

static void test_capacity(void **state)
{
	(void)state;
	struct http_router *r = http_router_new();
	struct err e;
	static char patterns[HTTP_ROUTER_MAX + 1][16];
	static struct http_route routes[HTTP_ROUTER_MAX + 1];
	for (int i = 0; i <= HTTP_ROUTER_MAX; i++) {
		snprintf(patterns[i], sizeof patterns[i], "/r%d", i);
		routes[i] = (struct http_route){"GET", patterns[i], h_get, 0};
	}
	assert_int_equal(http_router_add(r, routes, HTTP_ROUTER_MAX + 1, NULL, &e), ERR_TOO_LONG);
	assert_int_equal(http_router_count(r), 0);
	assert_int_equal(http_router_add(r, routes, HTTP_ROUTER_MAX - 1, NULL, &e), ERR_OK);
	assert_int_equal(http_router_add(r, routes + HTTP_ROUTER_MAX - 1, 2, NULL, &e),
	                 ERR_TOO_LONG);
	assert_int_equal(http_router_add(r, routes + HTTP_ROUTER_MAX - 1, 1, NULL, &e), ERR_OK);
	assert_int_equal(http_router_count(r), HTTP_ROUTER_MAX);
	assert_ptr_equal(http_router_route(r, 7), &routes[7]);
	assert_null(http_router_route(r, HTTP_ROUTER_MAX));
	http_router_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_literal_and_captures, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_specificity, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_not_found_and_method, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_head, setup, teardown),
	        cmocka_unit_test(test_bad_patterns),
	        cmocka_unit_test(test_capacity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
