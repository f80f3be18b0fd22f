/*
 * api_users: staff accounts for administrators, and the registration of
 * citizen and business accounts.
 *
 *   GET  /api/v1/users?include_citizens=&limit=&offset=   admins, supervisors
 *   POST /api/v1/users                    {"username","roles":[...],"unit","full_name",
 *                                          "password"}                  admins
 *   POST /api/v1/users/{username}/disable                               admins
 *   POST /api/v1/users/{username}/enable                                admins
 *   POST /api/v1/users/{username}/tokens  {"label"} -> an API token, shown once
 *   POST /api/v1/accounts                 {"kind":"citizen"|"business","id_number" |
 *                                          "tax_code","full_name","phone","email",
 *                                          "password"}                  anyone
 *
 * Who may do what is decided by service/account.c (403 forbidden).
 */
#include <string.h>

#include "api/api.h"
#include "base/str.h"
#include "domain/lifecycle.h"

static void get_users(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const struct actor *actor = api_require_actor(req, res);
	int64_t limit, offset;
	bool citizens;
	if (!actor || api_page(req, res, &limit, &offset) ||
	    api_query_bool(req, res, "include_citizens", false, &citizens))
		return;
	struct account_list list;
	struct err e;
	err_clear(&e);
	if (account_list(api->accounts, actor, citizens, limit, offset, &list, &e) != ERR_OK) {
		http_response_err(res, &e);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < list.count; i++)
		json_array_append_new(items, api_account_json(&list.items[i]));
	int64_t total = list.total;
	account_list_release(&list);
	http_response_json(res, 200, api_list(items, total, limit, offset));
}

static void post_user(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const struct actor *actor = api_require_actor(req, res);
	if (!actor)
		return;
	struct account_new in;
	memset(&in, 0, sizeof in);
	struct jspec_strings roles = {0};
	const struct jspec spec[] = {
	        JSPEC_STRING("username", &in.username, SERVICE_USERNAME_MAX - 1, JSPEC_NONEMPTY),
	        JSPEC_STRINGS("roles", &roles, API_MAX_ROLES, 32, JSPEC_NONEMPTY),
	        JSPEC_STRING("unit", &in.unit_code, API_CODE_MAX,
	                     JSPEC_OPTIONAL | JSPEC_NULLABLE | JSPEC_NONEMPTY),
	        JSPEC_STRING("full_name", &in.full_name, ACCOUNT_NAME_MAX - 1, JSPEC_NONEMPTY),
	        JSPEC_STRING("password", &in.password, API_PASSWORD_MAX,
	                     JSPEC_OPTIONAL | JSPEC_NULLABLE | JSPEC_NONEMPTY),
	        JSPEC_END,
	};
	json_t *root;
	if (api_parse_body(req, res, spec, false, &root) != 0)
		return;
	for (size_t i = 0; i < roles.count; i++) {
		unsigned bit = lifecycle_role_from_name(roles.items[i]);
		if (!bit) {
			http_response_error(res, ERR_JSON_FIELD_RANGE, "unknown role 'roles[%zu]'",
			                    i);
			goto out;
		}
		in.roles |= bit;
	}
	struct account_info info;
	struct err e;
	err_clear(&e);
	if (account_create(api->accounts, actor, &in, &info, &e) != ERR_OK) {
		http_response_err(res, &e);
		goto out;
	}
	char where[SERVICE_USERNAME_MAX + 32];
	snprintf(where, sizeof where, API_PREFIX "/users/%s", info.username);
	http_response_header(res, "Location", where);
	http_response_json(res, 201, api_account_json(&info));
out:
	jspec_free(spec);
	json_decref(root);
}

static void set_disabled(struct http_request *req, struct http_response *res, struct api *api,
                         bool disabled)
{
	const struct actor *actor = api_require_actor(req, res);
	if (!actor)
		return;
	const char *username = http_request_param(req, "username");
	int64_t ended = 0;
	struct err e;
	err_clear(&e);
	if (account_set_disabled(api->accounts, actor, username, disabled, &ended, &e) != ERR_OK) {
		http_response_err(res, &e);
		return;
	}
	struct account_info info;
	if (account_get(api->accounts, username, &info, &e) != ERR_OK) {
		http_response_err(res, &e);
		return;
	}
	json_t *o = api_account_json(&info);
	json_object_set_new(o, "sessions_ended", json_integer(ended));
	http_response_json(res, 200, o);
}

static void post_disable(struct http_request *req, struct http_response *res, void *ctx)
{
	set_disabled(req, res, ctx, true);
}

static void post_enable(struct http_request *req, struct http_response *res, void *ctx)
{
	set_disabled(req, res, ctx, false);
}

static void post_token(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const struct actor *actor = api_require_actor(req, res);
	if (!actor)
		return;
	const char *label = NULL;
	const struct jspec spec[] = {
	        JSPEC_STRING("label", &label, ACCOUNT_LABEL_MAX - 1, JSPEC_NONEMPTY),
	        JSPEC_END,
	};
	json_t *root;
	if (api_parse_body(req, res, spec, false, &root) != 0)
		return;
	struct session_new s;
	struct err e;
	err_clear(&e);
	if (account_token_create(api->accounts, actor, http_request_param(req, "username"), label,
	                         &s, &e) != ERR_OK) {
		http_response_err(res, &e);
	} else {
		json_t *o = json_object();
		json_object_set_new(o, "token", json_string(s.secret));
		json_object_set_new(o, "label", http_json_text(label));
		json_object_set_new(o, "expires_at", api_time(s.expires_at));
		json_object_set_new(o, "account", api_account_json(&s.account));
		http_response_json(res, 201, o);
	}
	jspec_free(spec);
	json_decref(root);
}

static const char *const account_kinds[] = {"citizen", "business", NULL};

static void post_account(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	struct account_registration in;
	memset(&in, 0, sizeof in);
	int kind = -1;
	const struct jspec spec[] = {
	        JSPEC_ENUM("kind", &kind, account_kinds, 0),
	        JSPEC_STRING("id_number", &in.id_number, ACCOUNT_NUMBER_MAX - 1,
	                     JSPEC_OPTIONAL | JSPEC_NULLABLE),
	        JSPEC_STRING("tax_code", &in.tax_code, ACCOUNT_NUMBER_MAX - 1,
	                     JSPEC_OPTIONAL | JSPEC_NULLABLE),
	        JSPEC_STRING("full_name", &in.full_name, ACCOUNT_NAME_MAX - 1, JSPEC_NONEMPTY),
	        JSPEC_STRING("phone", &in.phone, 32, JSPEC_OPTIONAL | JSPEC_NULLABLE),
	        JSPEC_STRING("email", &in.email, ACCOUNT_EMAIL_MAX - 1,
	                     JSPEC_OPTIONAL | JSPEC_NULLABLE),
	        JSPEC_STRING("password", &in.password, API_PASSWORD_MAX, JSPEC_NONEMPTY),
	        JSPEC_END,
	};
	json_t *root;
	if (api_parse_body(req, res, spec, false, &root) != 0)
		return;
	in.kind = kind == 1 ? ACTOR_BUSINESS : ACTOR_CITIZEN;
	struct account_info info;
	struct err e;
	err_clear(&e);
	if (account_register(api->accounts, &in, &info, &e) != ERR_OK)
		http_response_err(res, &e);
	else
		http_response_json(res, 201, api_account_json(&info));
	jspec_free(spec);
	json_decref(root);
}

const struct http_route api_user_routes[] = {
        {"GET", API_PREFIX "/users", get_users, API_SMALL_BODY_MAX},
        {"POST", API_PREFIX "/users", post_user, API_SMALL_BODY_MAX},
        {"POST", API_PREFIX "/users/{username}/disable", post_disable, API_SMALL_BODY_MAX},
        {"POST", API_PREFIX "/users/{username}/enable", post_enable, API_SMALL_BODY_MAX},
        {"POST", API_PREFIX "/users/{username}/tokens", post_token, API_SMALL_BODY_MAX},
        {"POST", API_PREFIX "/accounts", post_account, API_SMALL_BODY_MAX},
};
const size_t api_user_nroutes = sizeof api_user_routes / sizeof api_user_routes[0];
