/*
 * api: registration of /api/v1, the session hook and the helpers every
 * resource file shares (see api.h).
 */
#include "api/api.h"
#include "api/api_files.h"
#include "api/api_indicators.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/vntime.h"
#include "service/catalog.h"
#include "domain/lifecycle.h"

/* ---- the caller ---- */

const struct api_user *api_user_of(const struct http_request *req)
{
	return req ? req->user : NULL;
}

bool api_csrf_ok(const struct http_request *req, const char *presented)
{
	const struct api_user *u = api_user_of(req);
	return u && u->authenticated && account_csrf_ok(&u->session, presented);
}

static void unauthorized(struct http_response *res, const char *detail)
{
	http_response_error(res, ERR_UNAUTHORIZED, "%s", detail);
	http_response_header(res, "WWW-Authenticate", "Bearer realm=\"motcua\"");
}

const struct actor *api_require_actor(struct http_request *req, struct http_response *res)
{
	const struct api_user *u = api_user_of(req);
	if (u && u->authenticated)
		return &u->actor;
	unauthorized(res, "log in first: cookie '" API_SESSION_COOKIE
	                  "' or header 'Authorization: Bearer TOKEN'");
	return NULL;
}

/* Writes that read no session (and change nothing of one), hence need no CSRF token. */
static const struct {
	const char *method, *pattern;
} csrf_exempt[] = {
        {"POST", API_PREFIX "/sessions"},
        {"POST", API_PREFIX "/accounts"},
        {"POST", API_PREFIX "/verify"},
};

static bool is_exempt(const struct http_request *req)
{
	if (!req->route)
		return false;
	for (size_t i = 0; i < sizeof csrf_exempt / sizeof csrf_exempt[0]; i++)
		if (str_eq(req->route->method, csrf_exempt[i].method) &&
		    str_eq(req->route->pattern, csrf_exempt[i].pattern))
			return true;
	return false;
}

static bool is_safe_method(const struct http_request *req)
{
	return http_request_method_is(req, "GET") || http_request_method_is(req, "HEAD") ||
	       http_request_method_is(req, "OPTIONS");
}

static bool under_api(const struct http_request *req)
{
	return req->raw_path && str_has_prefix(req->raw_path, "/api/");
}

enum err_code api_hook(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	struct api_user *u = http_request_alloc(req, sizeof *u);
	if (!u)
		return ERR_NO_MEMORY;
	u->actor.kind = ACTOR_ANONYMOUS;
	str_copy(u->actor.addr, sizeof u->actor.addr, req->client);
	req->user = u;

	const char *secret = NULL;
	const char *auth = http_request_header(req, "Authorization");
	if (auth) {
		if (strncasecmp(auth, "Bearer ", 7) != 0) {
			if (!under_api(req))
				return ERR_OK;
			unauthorized(res, "only 'Authorization: Bearer TOKEN' is accepted");
			return ERR_UNAUTHORIZED;
		}
		secret = auth + 7;
		while (*secret == ' ')
			secret++;
		u->via_bearer = true;
	} else {
		secret = http_request_cookie(req, API_SESSION_COOKIE);
	}
	if (str_empty(secret) && !u->via_bearer)
		return ERR_OK;

	struct err e;
	err_clear(&e);
	enum err_code rc = account_session_lookup(api->accounts, secret, &u->session, &e);
	if (rc == ERR_UNAUTHORIZED) {
		if (!u->via_bearer || !under_api(req))
			return ERR_OK; /* a stale cookie: anonymous */
		unauthorized(res, e.detail[0] ? e.detail : "invalid token");
		return ERR_UNAUTHORIZED;
	}
	if (rc != ERR_OK) {
		http_response_err(res, &e);
		return rc;
	}
	u->authenticated = true;
	str_copy(u->secret, sizeof u->secret, secret);
	account_session_actor(&u->session, req->client, &u->actor);

	if (!u->via_bearer && under_api(req) && !is_safe_method(req) && !is_exempt(req) &&
	    !account_csrf_ok(&u->session, http_request_header(req, API_CSRF_HEADER))) {
		http_response_error(
		        res, ERR_FORBIDDEN,
		        "a cookie-authenticated write needs the header '" API_CSRF_HEADER
		        "' with the session's csrf_token");
		return ERR_FORBIDDEN;
	}
	return ERR_OK;
}

void api_set_session_cookie(const struct api *api, struct http_response *res, const char *value,
                            int64_t max_age)
{
	struct http_cookie opt = {
	        .path = "/",
	        .max_age = max_age,
	        .http_only = true,
	        .secure = config_bool(api->svc->cfg, CONFIG_OPT_cookie_secure),
	        .same_site = HTTP_SAME_SITE_LAX,
	};
	http_response_cookie(res, API_SESSION_COOKIE, value, &opt);
}

/* ---- input ---- */

int api_parse_body(struct http_request *req, struct http_response *res, const struct jspec *spec,
                   bool allow_empty, json_t **root)
{
	struct err e;
	err_clear(&e);
	*root = NULL;
	const char *text = buf_str(&req->body);
	size_t len = req->body.len;
	if (len == 0 && allow_empty) {
		text = "{}";
		len = 2;
	} else if (!http_request_content_type_is(req, "application/json")) {
		http_response_error(res, ERR_UNSUPPORTED_MEDIA_TYPE,
		                    "send the body as 'Content-Type: application/json'");
		return -1;
	}
	if (jspec_load(text, len, root, &e) != ERR_OK) {
		http_response_err(res, &e);
		return -1;
	}
	if (jspec_parse(*root, spec, &e) != ERR_OK) {
		json_decref(*root);
		*root = NULL;
		http_response_err(res, &e);
		return -1;
	}
	return 0;
}

int api_page(struct http_request *req, struct http_response *res, int64_t *limit, int64_t *offset)
{
	struct err e;
	err_clear(&e);
	if (http_request_query_int(req, "limit", 1, API_LIST_MAX, API_LIST_DEFAULT, limit, &e) !=
	            ERR_OK ||
	    http_request_query_int(req, "offset", 0, API_OFFSET_MAX, 0, offset, &e) != ERR_OK) {
		http_response_err(res, &e);
		return -1;
	}
	return 0;
}

int api_query_text(struct http_request *req, struct http_response *res, const char *name,
                   size_t max, const char **out)
{
	const char *v = http_request_query(req, name);
	*out = NULL;
	if (!v)
		return 0;
	if (!*v) {
		http_response_error(res, ERR_INVALID_ARGUMENT, "empty query parameter '%s'", name);
		return -1;
	}
	if (strlen(v) > max) {
		http_response_error(res, ERR_TOO_LONG,
		                    "query parameter '%s' is longer than %zu bytes", name, max);
		return -1;
	}
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			http_response_error(res, ERR_INVALID_ARGUMENT,
			                    "query parameter '%s' holds a control character", name);
			return -1;
		}
	}
	*out = v;
	return 0;
}

int api_query_bool(struct http_request *req, struct http_response *res, const char *name, bool def,
                   bool *out)
{
	const char *v = http_request_query(req, name);
	*out = def;
	if (!v)
		return 0;
	if (str_eq(v, "true") || str_eq(v, "1") || str_eq(v, "yes")) {
		*out = true;
		return 0;
	}
	if (str_eq(v, "false") || str_eq(v, "0") || str_eq(v, "no")) {
		*out = false;
		return 0;
	}
	http_response_error(res, ERR_INVALID_ARGUMENT, "query parameter '%s' must be true or false",
	                    name);
	return -1;
}

/* ---- output ---- */

json_t *api_list(json_t *items, int64_t total, int64_t limit, int64_t offset)
{
	json_t *o = json_object();
	json_object_set_new(o, "items", items ? items : json_array());
	json_object_set_new(o, "total", json_integer(total));
	json_object_set_new(o, "limit", json_integer(limit));
	json_object_set_new(o, "offset", json_integer(offset));
	return o;
}

json_t *api_text(const char *s)
{
	return str_empty(s) ? json_null() : http_json_text(s);
}

json_t *api_time(int64_t epoch)
{
	if (epoch == INT64_MIN)
		return json_null();
	char buf[VNTIME_DATETIME_LEN];
	vntime_format_datetime(epoch, buf);
	return json_string(buf);
}

json_t *api_day(int64_t days)
{
	if (days == INT64_MIN)
		return json_null();
	char buf[VNTIME_DATE_LEN];
	vntime_format_date(days, buf);
	return json_string(buf);
}

json_t *api_int(int64_t v)
{
	return v == INT64_MIN ? json_null() : json_integer(v);
}

json_t *api_roles_json(unsigned roles)
{
	json_t *arr = json_array();
	for (unsigned bit = 1; bit && bit <= ROLE_SYSTEM; bit <<= 1) {
		const char *name =
		        (roles & bit) ? lifecycle_role_name((enum lifecycle_role)bit) : NULL;
		if (name)
			json_array_append_new(arr, json_string(name));
	}
	return arr;
}

json_t *api_account_json(const struct account_info *a)
{
	json_t *o = json_object();
	const char *kind = account_kind_name(a->kind);
	json_object_set_new(o, "id", json_string(a->id));
	json_object_set_new(o, "username", http_json_text(a->username));
	json_object_set_new(o, "kind", kind ? json_string(kind) : json_null());
	json_object_set_new(o, "roles", api_roles_json(a->roles));
	json_object_set_new(o, "unit", api_text(a->unit_code));
	json_object_set_new(o, "full_name", api_text(a->full_name));
	json_object_set_new(o, "id_number", api_text(a->id_number));
	json_object_set_new(o, "tax_code", api_text(a->tax_code));
	json_object_set_new(o, "phone", api_text(a->phone));
	json_object_set_new(o, "email", api_text(a->email));
	json_object_set_new(o, "disabled", json_boolean(a->disabled));
	json_object_set_new(o, "created_at", api_time(a->created_at));
	json_object_set_new(o, "updated_at", api_time(a->updated_at));
	return o;
}

void api_fail(struct http_response *res, const struct err *e, int64_t retry_after)
{
	http_response_err(res, e);
	if (e->code == ERR_RATE_LIMITED && retry_after > 0) {
		char v[32];
		snprintf(v, sizeof v, "%lld", (long long)retry_after);
		http_response_header(res, "Retry-After", v);
	}
}

/* ---- the dossier gauge ---- */

struct state_counts {
	int64_t n[STATE__COUNT];
	int64_t other;
};

static int count_state(void *ctx, const char *state, int64_t count)
{
	struct state_counts *x = ctx;
	enum dossier_state s;
	if (lifecycle_state_from_name(state, &s) == ERR_OK && s > STATE_NONE && s < STATE__COUNT)
		x->n[s] += count;
	else
		x->other += count;
	return 0;
}

static void clear_counts(void *ctx)
{
	memset(ctx, 0, sizeof(struct state_counts));
}

static int gauge_dossiers(struct http_metric_out *out, void *ctx)
{
	struct api *api = ctx;
	struct state_counts x;
	struct err e;
	if (catalog_dossier_states(api->svc, clear_counts, count_state, &x, &e) != ERR_OK)
		return -1;
	for (int s = STATE_NONE + 1; s < STATE__COUNT; s++)
		http_metric_sample(out, "state", lifecycle_state_name((enum dossier_state)s),
		                   (double)x.n[s]);
	if (x.other)
		http_metric_sample(out, "state", "unknown", (double)x.other);
	return 0;
}

/* ---- registration ---- */

static const struct {
	const struct http_route *routes;
	const size_t *n;
} tables[] = {
        {api_catalog_routes, &api_catalog_nroutes},
        {api_session_routes, &api_session_nroutes},
        {api_user_routes, &api_user_nroutes},
        {api_dossier_routes, &api_dossier_nroutes},
        {api_worklist_routes, &api_worklist_nroutes},
        {api_lookup_routes, &api_lookup_nroutes},
        {api_document_routes, &api_document_nroutes},
        {api_file_routes, &api_file_nroutes},
        {api_report_routes, &api_report_nroutes},
        {api_indicator_routes, &api_indicator_nroutes},
};

size_t api_route_count(void)
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
		n += *tables[i].n;
	return n;
}

enum err_code api_register(struct http_server *srv, struct service *svc, struct accounts *acc,
                           struct api **out, struct err *e)
{
	*out = NULL;
	if (!srv || !svc || !acc || !svc->db)
		return err_set(e, ERR_INTERNAL,
		               "api_register needs a server, a service with a "
		               "database and the accounts");
	struct api *api = calloc(1, sizeof *api);
	if (!api)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	api->svc = svc;
	api->accounts = acc;
	enum err_code rc = ERR_OK;
	for (size_t i = 0; i < sizeof tables / sizeof tables[0] && rc == ERR_OK; i++)
		rc = http_server_add_routes(srv, tables[i].routes, *tables[i].n, api, e);
	if (rc == ERR_OK)
		rc = http_metrics_add(http_server_metrics(srv), "motcua_dossiers",
		                      "Dossiers by state of the lifecycle.", HTTP_METRIC_GAUGE,
		                      gauge_dossiers, api, e);
	if (rc != ERR_OK) {
		free(api);
		return rc;
	}
	http_server_set_hook(srv, api_hook, api);
	*out = api;
	return ERR_OK;
}

void api_free(struct api *api)
{
	free(api);
}
