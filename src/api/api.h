/*
 * api: the JSON API under /api/v1 (docs/api.md).
 *
 * api_register() appends the route tables of every resource file
 * (api_catalog.c, api_sessions.c, api_users.c, api_dossiers.c,
 * api_worklists.c, api_lookup.c) to a server, installs the session hook and
 * the gauge motcua_dossiers{state}. Handlers parse and check input, call one
 * service function and render its result; they hold no business rule.
 *
 * Sessions. The hook runs before every routed handler and finds who is
 * asking: an "Authorization: Bearer <secret>" header (a login session's
 * token or an API token), else the cookie motcua_session (HttpOnly,
 * SameSite=Lax). It leaves a struct api_user in req->user (anonymous when
 * no credential came). A bearer secret that is unknown, expired or of a
 * disabled account is answered 401 at once; a stale cookie makes the
 * request anonymous (public pages keep working). Cookie-authenticated
 * writes under /api/ (any method but GET, HEAD, OPTIONS) must carry the
 * header X-CSRF-Token equal to the session's CSRF token, or get 403;
 * bearer-authenticated requests need none (a browser never adds that
 * header by itself). Logging in, registering and verifying a document read
 * no session and are exempt. Pages outside /api/ (the web layer) check their own CSRF form
 * field with api_csrf_ok().
 *
 * Limits are named constants below; every error body comes from the
 * registry (base/errors.def).
 */
#ifndef MOTCUA_API_API_H
#define MOTCUA_API_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/jspec.h"
#include "http/server.h"
#include "service/account.h"
#include "service/action.h"
#include "service/intake.h"
#include "service/service.h"

#define API_PREFIX            "/api/v1"
#define API_SESSION_COOKIE    "motcua_session"
#define API_CSRF_HEADER       "X-CSRF-Token"

#define API_BODY_MAX          (64u * 1024u)        /* bytes of a dossier form */
#define API_SMALL_BODY_MAX    (8u * 1024u)         /* bytes of other JSON bodies */
#define API_LIST_DEFAULT      20                   /* items of a list page when no limit is given */
#define API_LIST_MAX          100                  /* largest limit of a list page */
#define API_OFFSET_MAX        1000000              /* largest offset of a list page */
#define API_QUERY_TEXT_MAX    200                  /* bytes of a search text (q, name) */
#define API_CODE_MAX          (DBD_KEY_SIZE - 1)   /* bytes of a code (unit, procedure, ...) */
#define API_NAME_MAX          INTAKE_NAME_MAX      /* bytes of a person's or organisation's name */
#define API_TEXT_MAX          INTAKE_TEXT_MAX      /* bytes of an address or document */
#define API_NOTE_MAX          ACTION_NOTE_MAX      /* bytes of a note, reason, comment, complaint */
#define API_PASSWORD_MAX      ACCOUNT_PASSWORD_MAX /* bytes of a password */
#define API_MAX_COMPONENTS    INTAKE_MAX_COMPONENTS    /* component numbers in one request */
#define API_MAX_CO_APPLICANTS INTAKE_MAX_CO_APPLICANTS /* further applicants of one dossier */
#define API_MAX_ROLES         8                        /* role names in one user */
#define API_DUE_HOURS_MAX     100000                   /* largest due_within_hours of a work list */
#define API_FEE_MAX           INT64_C(1000000000000)   /* largest fee in VND */

/* What the API layer shares with its handlers: built once, read-only afterwards. */
struct api {
	struct service *svc;
	struct accounts *accounts;
};

/* Who is asking; in req->user for every routed request once the hook ran. */
struct api_user {
	bool authenticated;
	bool via_bearer;                 /* Authorization: Bearer (no CSRF needed) */
	struct session_info session;     /* when authenticated */
	struct actor actor;              /* ACTOR_ANONYMOUS unless authenticated */
	char secret[ACCOUNT_SECRET_LEN]; /* the credential presented, when authenticated */
};

/*
 * Registers the routes of /api/v1, the session hook and the dossier gauge on
 * srv (before it starts). svc and acc must outlive the server. *out gets the
 * context to free with api_free() after the server is freed. Returns ERR_OK,
 * ERR_NO_MEMORY or the error of http_server_add_routes / http_metrics_add.
 */
enum err_code api_register(struct http_server *srv, struct service *svc, struct accounts *acc,
                           struct api **out, struct err *e);

/* Frees what api_register() allocated. NULL is allowed. */
void api_free(struct api *api);

/* The session hook (installed by api_register; exposed for tests and the web layer). */
enum err_code api_hook(struct http_request *req, struct http_response *res, void *ctx);

/* The caller of req: the hook's user, or NULL before the hook ran. */
const struct api_user *api_user_of(const struct http_request *req);

/* True when presented equals the CSRF token of req's session (constant time). */
bool api_csrf_ok(const struct http_request *req, const char *presented);

/*
 * Sets the session cookie (HttpOnly, SameSite=Lax, Secure when cookie_secure
 * says the service is reached over HTTPS); max_age 0 deletes it.
 */
void api_set_session_cookie(const struct api *api, struct http_response *res, const char *value,
                            int64_t max_age);

/* Number of routes api_register() adds (for tests). */
size_t api_route_count(void);

/* ---- shared by the handler files ---- */

/*
 * The authenticated actor of req, or NULL after answering 401 (with a
 * WWW-Authenticate header) when nobody is logged in.
 */
const struct actor *api_require_actor(struct http_request *req, struct http_response *res);

/*
 * Parses req's body as one JSON object checked against spec: 415 unless the
 * Content-Type is application/json (an empty body counts as {} when
 * allow_empty), 400 with the jspec code otherwise. On success *root holds
 * the parsed value (json_decref it after jspec_free(spec)) and 0 is
 * returned; on failure the error response is set and -1 returned (nothing
 * to free).
 */
int api_parse_body(struct http_request *req, struct http_response *res, const struct jspec *spec,
                   bool allow_empty, json_t **root);

/*
 * Reads limit (1..API_LIST_MAX, default API_LIST_DEFAULT) and offset
 * (0..API_OFFSET_MAX) from the query. Returns 0, or -1 after answering 400.
 */
int api_page(struct http_request *req, struct http_response *res, int64_t *limit, int64_t *offset);

/*
 * A text query parameter: NULL when absent; -1 after answering 400 when it
 * is empty, longer than max bytes, or holds control characters.
 */
int api_query_text(struct http_request *req, struct http_response *res, const char *name,
                   size_t max, const char **out);

/* A boolean query parameter (true/false/1/0/yes/no), def when absent; -1 after answering 400. */
int api_query_bool(struct http_request *req, struct http_response *res, const char *name, bool def,
                   bool *out);

/* {"items": items, "total": total, "limit": limit, "offset": offset} (takes items). */
json_t *api_list(json_t *items, int64_t total, int64_t limit, int64_t offset);

/* JSON for optional values: null for "" / INT64_MIN; instants as ISO 8601 (+07:00). */
json_t *api_text(const char *s);
json_t *api_time(int64_t epoch);
json_t *api_day(int64_t days);
json_t *api_int(int64_t v);

/* The role names of a role mask, as a JSON array. */
json_t *api_roles_json(unsigned roles);

/* An account as callers see it (never the password hash). */
json_t *api_account_json(const struct account_info *a);

struct worklist_item;
/* A line of a work list or of a staff search (api_worklists.c). */
json_t *api_worklist_item_json(const struct worklist_item *it);

/* Answers a service error; ERR_RATE_LIMITED with retry_after > 0 adds Retry-After. */
void api_fail(struct http_response *res, const struct err *e, int64_t retry_after);

/* ---- the route tables of the resource files ---- */

extern const struct http_route api_catalog_routes[];
extern const size_t api_catalog_nroutes;
extern const struct http_route api_session_routes[];
extern const size_t api_session_nroutes;
extern const struct http_route api_user_routes[];
extern const size_t api_user_nroutes;
extern const struct http_route api_dossier_routes[];
extern const size_t api_dossier_nroutes;
extern const struct http_route api_worklist_routes[];
extern const size_t api_worklist_nroutes;
extern const struct http_route api_lookup_routes[];
extern const size_t api_lookup_nroutes;
extern const struct http_route api_document_routes[];
extern const size_t api_document_nroutes;
extern const struct http_route api_report_routes[];
extern const size_t api_report_nroutes;

#endif
