/*
 * api_sessions: logging in and out.
 *
 *   POST   /api/v1/sessions          {"username","password"} -> 201 the session: a
 *                                    cookie motcua_session (HttpOnly, SameSite=Lax) and
 *                                    the same secret as "token" for Authorization: Bearer,
 *                                    with the csrf_token that cookie-authenticated writes
 *                                    send back in X-CSRF-Token
 *   GET    /api/v1/sessions/current  who am I
 *   DELETE /api/v1/sessions/current  log out (the cookie is deleted)
 *
 * Wrong credentials of every kind get the same 401 login_failed; too many
 * failures get 429 with Retry-After (service/account.h).
 */
#include <string.h>

#include "api/api.h"
#include "base/str.h"

static void post_session(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const char *username = NULL, *password = NULL;
	const struct jspec spec[] = {
	        JSPEC_STRING("username", &username, SERVICE_USERNAME_MAX - 1, JSPEC_NONEMPTY),
	        JSPEC_STRING("password", &password, API_PASSWORD_MAX, JSPEC_NONEMPTY),
	        JSPEC_END,
	};
	json_t *root;
	if (api_parse_body(req, res, spec, false, &root) != 0)
		return;
	struct session_new s;
	int64_t retry = 0;
	struct err e;
	err_clear(&e);
	enum err_code rc =
	        account_login(api->accounts, username, password, req->client, &s, &retry, &e);
	jspec_free(spec);
	json_decref(root);
	if (rc != ERR_OK) {
		api_fail(res, &e, retry);
		return;
	}
	int64_t now = service_now(api->svc);
	json_t *o = json_object();
	json_object_set_new(o, "token", json_string(s.secret));
	json_object_set_new(o, "csrf_token", json_string(s.csrf));
	json_object_set_new(o, "expires_at", api_time(s.expires_at));
	json_object_set_new(o, "account", api_account_json(&s.account));
	api_set_session_cookie(api, res, s.secret, s.expires_at > now ? s.expires_at - now : 1);
	http_response_header(res, "Location", API_PREFIX "/sessions/current");
	http_response_json(res, 201, o);
}

static void get_current(struct http_request *req, struct http_response *res, void *ctx)
{
	(void)ctx;
	if (!api_require_actor(req, res))
		return;
	const struct api_user *u = api_user_of(req);
	json_t *o = json_object();
	json_object_set_new(o, "account", api_account_json(&u->session.account));
	json_object_set_new(o, "via", json_string(u->via_bearer ? "bearer" : "cookie"));
	json_object_set_new(o, "api_token", json_boolean(u->session.is_token));
	json_object_set_new(o, "label", api_text(u->session.label));
	json_object_set_new(o, "csrf_token", json_string(u->session.csrf));
	json_object_set_new(o, "created_at", api_time(u->session.created_at));
	json_object_set_new(o, "expires_at", api_time(u->session.expires_at));
	http_response_json(res, 200, o);
}

static void delete_current(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	if (!api_require_actor(req, res))
		return;
	const struct api_user *u = api_user_of(req);
	struct err e;
	err_clear(&e);
	if (account_logout(api->accounts, u->secret, req->client, &e) != ERR_OK) {
		http_response_err(res, &e);
		return;
	}
	json_t *o = json_object();
	json_object_set_new(o, "logged_out", json_true());
	if (!u->via_bearer)
		api_set_session_cookie(api, res, "", 0);
	http_response_json(res, 200, o);
}

const struct http_route api_session_routes[] = {
        {"POST", API_PREFIX "/sessions", post_session, API_SMALL_BODY_MAX},
        {"GET", API_PREFIX "/sessions/current", get_current, API_SMALL_BODY_MAX},
        {"DELETE", API_PREFIX "/sessions/current", delete_current, API_SMALL_BODY_MAX},
};
const size_t api_session_nroutes = sizeof api_session_routes / sizeof api_session_routes[0];
