/*
 * web_admin: (being written) pages of this area; see web.h.
 */
#include "web/web.h"

static void page(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	web_fail_code(&p, ERR_NOT_FOUND, "not yet");
}

const struct http_route web_admin_routes[] = {
        {"GET", "/admin", page, WEB_FORM_MAX},
};
const size_t web_admin_nroutes = sizeof web_admin_routes / sizeof web_admin_routes[0];
