/*
 * web_public: (being written) pages of this area; see web.h.
 */
#include "web/web.h"

static void page(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	web_fail_code(&p, ERR_NOT_FOUND, "not yet");
}

const struct http_route web_public_routes[] = {
        {"GET", "/", page, WEB_FORM_MAX},
};
const size_t web_public_nroutes = sizeof web_public_routes / sizeof web_public_routes[0];
